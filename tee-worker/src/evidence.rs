//! Providers of hardware evidence, behind one trait.
//!
//! - [`ConfigfsTsm`]: the kernel's vendor-neutral `configfs-tsm` report interface (Linux >= 6.7,
//!   `/sys/kernel/config/tsm/report`), serving TDX quotes (`tdx_guest`) and SNP reports with
//!   their certificate table (`sev_guest`).
//! - [`SevGuest`]: `/dev/sev-guest` (`SNP_GET_EXT_REPORT` through the `sev` crate), for SNP
//!   guests whose kernel lacks configfs-tsm.
//! - [`MockProvider`]: mock-tee evidence signed by the public dev roots (dev chain only).
//!
//! There is no `/dev/tdx_guest` provider: upstream Linux removed its quote ioctl when
//! configfs-tsm arrived (6.7), and `TDX_CMD_GET_REPORT0` yields only a TDREPORT, which no
//! remote party can verify. A TDX guest without configfs-tsm gets a clear error instead.
//!
//! Every provider checks that the evidence it returns carries the REPORT_DATA it was asked
//! for, so a stale or foreign report is never submitted.
//!
//! TDX evidence carries the TD's event log: the firmware's CCEL log followed by the runtime
//! log of what [`measure_boot`] (`tee-worker --measure-boot`, run once per boot before any
//! service) extended RTMR3 with: the system and each service's store path. The chain replays
//! the log against the quote and accepts the worker's system only as measured there. The
//! provider refuses to send a log that does not replay to its own quote.

use std::{
	fs,
	io::ErrorKind,
	path::{Path, PathBuf},
	sync::Mutex,
};

use tee_verifier::{BoundedBytes, DerCert, Evidence, Tee};

use tee_verifier::eventlog::{EventLog, LogBuilder, RuntimeEvent, MAX_EVENT_LOG_LEN};

use crate::config::{Config, MockTee, ServiceConfig, TdxLogPaths, TeeKind};

/// Why evidence could not be obtained.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
	/// `--tee auto` found no TEE interface.
	#[error(
		"no TEE interface found (checked {checked}); this is not a confidential VM with a \
		 supported kernel. On the dev chain use --tee mock"
	)]
	NoTee {
		/// What was looked for.
		checked: String,
	},
	/// A TDX guest whose kernel has no configfs-tsm.
	#[error(
		"{tdx_guest} exists but {configfs} does not: TDX quotes need configfs-tsm (Linux >= 6.7 \
		 with CONFIG_TSM_REPORTS); /dev/tdx_guest alone yields only an unverifiable TDREPORT"
	)]
	TdxWithoutConfigfs {
		/// The TDX device.
		tdx_guest: String,
		/// The configfs-tsm directory looked for.
		configfs: String,
	},
	/// The requested TEE is not what this machine has.
	#[error("--tee {wanted}: {found}")]
	WrongTee {
		/// What was asked for.
		wanted: &'static str,
		/// What was found instead.
		found: String,
	},
	/// configfs-tsm file I/O failed.
	#[error("configfs-tsm {path}: {message}")]
	Configfs {
		/// The file or directory.
		path: String,
		/// What failed.
		message: String,
	},
	/// configfs-tsm is served by a provider we do not know.
	#[error("configfs-tsm provider `{0}` is not supported (expected tdx_guest or sev_guest)")]
	UnknownTsmProvider(String),
	/// Another writer changed the report request while we read it.
	#[error("configfs-tsm report entry changed while reading (generation {before} -> {after})")]
	Conflict {
		/// Generation after our write.
		before: u64,
		/// Generation after our read.
		after: u64,
	},
	/// The hardware returned evidence that does not carry the requested REPORT_DATA.
	#[error("the returned evidence carries other REPORT_DATA than requested (stale or foreign)")]
	ReportDataMismatch,
	/// The evidence could not be parsed.
	#[error("malformed evidence from {provider}: {message}")]
	Malformed {
		/// The provider.
		provider: &'static str,
		/// What is wrong.
		message: String,
	},
	/// SNP evidence without a VCEK or VLEK certificate (the report, checked to carry the
	/// requested REPORT_DATA, is kept: see [`crate::vcek`], which completes it from KDS).
	#[error(
		"{provider}: the host supplied no VCEK/VLEK certificate with the report (the hypervisor \
		 must provide the SNP certificate table)"
	)]
	NoVek {
		/// The provider.
		provider: &'static str,
		/// The report (1184 bytes).
		report: Vec<u8>,
	},
	/// No certificate table, and the VCEK could not be obtained from KDS.
	#[error(
		"{provider}: the host supplied no VCEK/VLEK certificate and the VCEK could not be \
		 obtained from KDS ({kds}): {message}"
	)]
	Vcek {
		/// The provider.
		provider: &'static str,
		/// The KDS base URL.
		kds: String,
		/// What failed.
		message: String,
	},
	/// `/dev/sev-guest` failed.
	#[error("/dev/sev-guest: {0}")]
	SevGuest(String),
	/// The mock provider failed to mint evidence.
	#[error("mock-tee: {0}")]
	Mock(String),
	/// RTMR3 cannot be extended on this kernel.
	#[error(
		"{path} does not exist: RTMR3 cannot be extended (needs Linux >= 6.16 with the TDX \
		 guest driver's measurement registers, CONFIG_TDX_GUEST_DRIVER)"
	)]
	NoRtmrExtension {
		/// The extension file looked for.
		path: String,
	},
	/// `--measure-boot` ran already this boot.
	#[error(
		"{path} exists: this boot was measured already (RTMR3 can only be extended, so \
		 measuring again would match no release); reboot to measure again"
	)]
	AlreadyMeasured {
		/// The runtime log.
		path: String,
	},
	/// The worker started before `--measure-boot` ran.
	#[error(
		"{path} does not exist: RTMR3 was not measured this boot; run `tee-worker \
		 --measure-boot` before the worker and the services"
	)]
	NotMeasured {
		/// The runtime log looked for.
		path: String,
	},
	/// An event log could not be read, written or parsed.
	#[error("event log {path}: {message}")]
	EventLog {
		/// The file.
		path: String,
		/// What failed.
		message: String,
	},
	/// The event log does not replay to the quote's registers.
	#[error(
		"the event log does not replay to the quote's {0}: something extended the registers \
		 without logging it, or the logs are of another boot"
	)]
	EventLogMismatch(tee_verifier::RtmrSet),
	/// The running system's store path could not be read.
	#[error("{path}: {message}")]
	System {
		/// The symlink that was read.
		path: String,
		/// What failed.
		message: String,
	},
}

/// A source of hardware evidence.
pub trait EvidenceProvider: Send + Sync {
	/// The TEE the evidence comes from.
	fn tee(&self) -> Tee;
	/// A short name for logs and the API (`configfs-tsm`, `sev-guest`, `mock`).
	fn name(&self) -> &'static str;
	/// Evidence whose REPORT_DATA is `report_data`. May block (hardware round trip).
	fn evidence(&self, report_data: [u8; 64]) -> Result<Evidence, EvidenceError>;
}

/// Checks that `evidence` carries `report_data`.
fn check_report_data(
	provider: &'static str,
	evidence: &Evidence,
	report_data: &[u8; 64],
) -> Result<(), EvidenceError> {
	let found = match evidence {
		Evidence::Tdx { quote } | Evidence::TdxWithEventLog { quote, .. } => {
			tee_verifier::tdx::unverified_report_data(quote)
				.map_err(|e| malformed(provider, format!("TDX quote: {e:?}")))?
		}
		Evidence::Snp { report, .. } => tee_verifier::snp::unverified_report_data(report)
			.map_err(|e| malformed(provider, format!("SNP report: {e:?}")))?,
	};
	if &found != report_data {
		return Err(EvidenceError::ReportDataMismatch);
	}
	Ok(())
}

fn malformed(provider: &'static str, message: impl Into<String>) -> EvidenceError {
	EvidenceError::Malformed {
		provider,
		message: message.into(),
	}
}

/// TDX evidence from a raw quote.
fn tdx_evidence(provider: &'static str, quote: Vec<u8>) -> Result<Evidence, EvidenceError> {
	let len = quote.len();
	let quote = BoundedBytes::try_from(quote)
		.map_err(|_| malformed(provider, format!("quote of {len} bytes is too long")))?;
	Ok(Evidence::Tdx { quote })
}

/// [`EvidenceError::NoVek`] for a report that carries `report_data` (or why it does not).
fn no_vek(
	provider: &'static str,
	report: Vec<u8>,
	report_data: &[u8; 64],
) -> Result<EvidenceError, EvidenceError> {
	let found = tee_verifier::snp::unverified_report_data(&report)
		.map_err(|e| malformed(provider, format!("SNP report: {e:?}")))?;
	if &found != report_data {
		return Err(EvidenceError::ReportDataMismatch);
	}
	Ok(EvidenceError::NoVek { provider, report })
}

/// SNP evidence from a raw report and the VCEK/VLEK DER.
pub(crate) fn snp_evidence(
	provider: &'static str,
	report: Vec<u8>,
	vek: Vec<u8>,
) -> Result<Evidence, EvidenceError> {
	let len = report.len();
	let report = BoundedBytes::try_from(report)
		.map_err(|_| malformed(provider, format!("report of {len} bytes, expected 1184")))?;
	let len = vek.len();
	let vek_der = DerCert::try_from(vek)
		.map_err(|_| malformed(provider, format!("certificate of {len} bytes is too long")))?;
	Ok(Evidence::Snp { report, vek_der })
}

/// The VCEK or VLEK in an SNP certificate table (VLEK preferred: when present it signed).
fn vek_from_table(table: &[sev::firmware::host::CertTableEntry]) -> Option<Vec<u8>> {
	use sev::firmware::host::CertType;
	let find = |wanted: CertType| {
		table
			.iter()
			.find(|e| e.cert_type == wanted)
			.map(|e| e.data.clone())
	};
	find(CertType::VLEK).or_else(|| find(CertType::VCEK))
}

/// mock-tee evidence with the dev image's measurements, signed by the public dev roots.
pub struct MockProvider {
	roots: mock_tee::DevRoots,
	tee: Tee,
	/// TDX: the dev image's firmware log with the boot measurement's runtime events appended.
	event_log: Vec<u8>,
	/// SNP: the launch measurement the mock hardware reports.
	snp_measurement: [u8; 48],
	/// The mock machine: its PPID (TDX) and chip id (SNP) derive from it.
	machine: [u8; 64],
}

impl MockProvider {
	/// A mock provider minting `tee` evidence of the dev image whose boot step measured `boot`
	/// (the mock measures at start-up what `--measure-boot` measures on a real TD; its quotes
	/// carry the RTMRs the resulting log replays to, as hardware's would).
	pub fn new(tee: Tee, boot: &BootMeasurement) -> Result<Self, EvidenceError> {
		let roots = mock_tee::DevRoots::dev().map_err(|e| EvidenceError::Mock(e.to_string()))?;
		let firmware = mock_tee::dev_image::firmware_log();
		let firmware = EventLog::parse(&firmware, usize::MAX)
			.map_err(|e| EvidenceError::Mock(format!("dev firmware log: {e}")))?;
		let runtime = boot.runtime_log()?;
		let runtime = EventLog::parse(&runtime, usize::MAX)
			.map_err(|e| EvidenceError::Mock(format!("runtime log: {e}")))?;
		let event_log = LogBuilder::continuing(&firmware)
			.append_records(&runtime)
			.build();
		Ok(Self {
			roots,
			tee,
			event_log,
			snp_measurement: mock_tee::dev_image::snp_measurement(),
			machine: Self::machine_of(b"default"),
		})
	}

	/// A mock machine named `name` (64 bytes derived from it).
	fn machine_of(name: &[u8]) -> [u8; 64] {
		use sha2::Digest;
		sha2::Sha512::new()
			.chain_update(b"tee-worker/mock-machine/v1")
			.chain_update(name)
			.finalize()
			.into()
	}

	/// Run on the mock machine named `name` (the worker uses its data directory: each data
	/// directory is its own machine, as separate hosts would be, and the chain's limit of
	/// workers per machine counts them apart).
	pub fn on_machine(mut self, name: &[u8]) -> Self {
		self.machine = Self::machine_of(name);
		self
	}

	/// The mock TDX platform: the dev platform with this machine's PPID.
	fn tdx_platform(&self) -> mock_tee::TdxPlatform {
		let mut ppid = [0u8; 16];
		ppid.copy_from_slice(&self.machine[..16]);
		mock_tee::TdxPlatform {
			ppid,
			..Default::default()
		}
	}

	/// Report `measurement` (what the host computed for the image it launched, as
	/// `attest measure snp` does) instead of the dev image's, when given.
	pub fn with_snp_measurement(mut self, measurement: Option<[u8; 48]>) -> Self {
		if let Some(m) = measurement {
			self.snp_measurement = m;
		}
		self
	}
}

impl EvidenceProvider for MockProvider {
	fn tee(&self) -> Tee {
		self.tee
	}
	fn name(&self) -> &'static str {
		"mock"
	}
	fn evidence(&self, report_data: [u8; 64]) -> Result<Evidence, EvidenceError> {
		match self.tee {
			Tee::Tdx => self.roots.mint_tdx_evidence_on(
				&self.tdx_platform(),
				self.event_log.clone(),
				report_data,
			),
			Tee::Snp => self.roots.mint_snp_evidence(&mock_tee::SnpReportParams {
				measurement: self.snp_measurement,
				report_data,
				chip_id: self.machine,
				..mock_tee::SnpReportParams::new(mock_tee::AmdProduct::Milan)
			}),
		}
		.map_err(|e| EvidenceError::Mock(e.to_string()))
	}
}

/// The configfs-tsm report entry this worker uses (`<root>/tee-worker`).
pub const TSM_ENTRY: &str = "tee-worker";

/// The kernel's configfs-tsm report interface: write 64 bytes to `inblob`, read the quote or
/// report from `outblob` (and the SNP certificate table from `auxblob`), and check that
/// `generation` did not move in between (another writer would make the result not ours).
pub struct ConfigfsTsm {
	entry: PathBuf,
	tee: Tee,
	/// One request at a time through the entry.
	lock: Mutex<()>,
	/// TDX: where the event log sent with each quote is read.
	tdx_log: TdxLogPaths,
}

fn configfs_err(path: &Path, e: impl std::fmt::Display) -> EvidenceError {
	EvidenceError::Configfs {
		path: path.display().to_string(),
		message: e.to_string(),
	}
}

impl ConfigfsTsm {
	/// Opens (creating it if needed) the report entry under `root` and reads which TEE serves
	/// it. A TDX quote is sent with the event log read from `tdx_log`.
	pub fn open(root: &Path, tdx_log: TdxLogPaths) -> Result<Self, EvidenceError> {
		let entry = root.join(TSM_ENTRY);
		match fs::create_dir(&entry) {
			Ok(()) => {}
			Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
			Err(e) => return Err(configfs_err(&entry, e)),
		}
		let provider_path = entry.join("provider");
		let provider =
			fs::read_to_string(&provider_path).map_err(|e| configfs_err(&provider_path, e))?;
		let tee = match provider.trim() {
			"tdx_guest" => Tee::Tdx,
			"sev_guest" => Tee::Snp,
			other => return Err(EvidenceError::UnknownTsmProvider(other.to_string())),
		};
		Ok(Self {
			entry,
			tee,
			lock: Mutex::new(()),
			tdx_log,
		})
	}

	fn read(&self, name: &str) -> Result<Vec<u8>, EvidenceError> {
		let path = self.entry.join(name);
		fs::read(&path).map_err(|e| configfs_err(&path, e))
	}

	/// A report without a certificate table: [`EvidenceError::NoVek`], after the same
	/// generation and REPORT_DATA checks as complete evidence.
	fn without_vek(
		&self,
		before: u64,
		report: Vec<u8>,
		report_data: &[u8; 64],
	) -> Result<Evidence, EvidenceError> {
		let after = self.generation()?;
		if before != after {
			return Err(EvidenceError::Conflict { before, after });
		}
		Err(no_vek(self.name(), report, report_data)?)
	}

	fn generation(&self) -> Result<u64, EvidenceError> {
		let path = self.entry.join("generation");
		let text = self.read("generation")?;
		std::str::from_utf8(&text)
			.ok()
			.and_then(|t| t.trim().parse().ok())
			.ok_or_else(|| configfs_err(&path, "not a number"))
	}
}

impl EvidenceProvider for ConfigfsTsm {
	fn tee(&self) -> Tee {
		self.tee
	}
	fn name(&self) -> &'static str {
		"configfs-tsm"
	}
	fn evidence(&self, report_data: [u8; 64]) -> Result<Evidence, EvidenceError> {
		let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
		let inblob = self.entry.join("inblob");
		fs::write(&inblob, report_data).map_err(|e| configfs_err(&inblob, e))?;
		let before = self.generation()?;
		let outblob = self.read("outblob")?;
		let evidence = match self.tee {
			Tee::Tdx => tdx_evidence(self.name(), outblob)?,
			Tee::Snp => {
				let mut aux = self.read("auxblob")?;
				let table = if aux.is_empty() {
					Vec::new()
				} else {
					sev::firmware::host::CertTableEntry::vec_bytes_to_cert_table(&mut aux)
						.map_err(|e| malformed(self.name(), format!("auxblob: {e}")))?
				};
				match vek_from_table(&table) {
					Some(vek) => snp_evidence(self.name(), outblob, vek)?,
					None => return self.without_vek(before, outblob, &report_data),
				}
			}
		};
		let after = self.generation()?;
		if before != after {
			return Err(EvidenceError::Conflict { before, after });
		}
		check_report_data(self.name(), &evidence, &report_data)?;
		match evidence.tdx_quote() {
			Some(quote) => {
				let event_log = tdx_event_log(&self.tdx_log, quote)?;
				with_event_log(evidence, event_log)
			}
			None => Ok(evidence),
		}
	}
}

/// `/dev/sev-guest`, through the `sev` crate: `SNP_GET_EXT_REPORT` at VMPL 0 returns the
/// report and the host's certificate table (VCEK or VLEK).
/// The TD's event log for `quote`: the firmware's CCEL log with the runtime log appended,
/// checked to replay to the quote's RTMRs (so a log that would be refused is never sent).
pub fn tdx_event_log(paths: &TdxLogPaths, quote: &[u8]) -> Result<Vec<u8>, EvidenceError> {
	let read = |path: &Path| {
		fs::read(path).map_err(|e| match e.kind() {
			ErrorKind::NotFound if path == paths.runtime => EvidenceError::NotMeasured {
				path: path.display().to_string(),
			},
			_ => log_error(path, e),
		})
	};
	let ccel_bytes = read(&paths.ccel)?;
	let ccel = EventLog::parse(&ccel_bytes, usize::MAX).map_err(|e| log_error(&paths.ccel, e))?;
	let runtime_bytes = read(&paths.runtime)?;
	let runtime =
		EventLog::parse(&runtime_bytes, usize::MAX).map_err(|e| log_error(&paths.runtime, e))?;
	let log = LogBuilder::continuing(&ccel)
		.append_records(&runtime)
		.build();
	let max = usize::try_from(MAX_EVENT_LOG_LEN).unwrap_or(usize::MAX);
	let parsed = EventLog::parse(&log, max).map_err(|e| EvidenceError::EventLog {
		path: format!("{} + {}", paths.ccel.display(), paths.runtime.display()),
		message: e.to_string(),
	})?;
	let rtmr = tee_verifier::tdx::unverified_rtmrs(quote)
		.map_err(|e| malformed("configfs-tsm", format!("TDX quote: {e:?}")))?;
	match parsed.check(&rtmr) {
		Ok(()) => Ok(log),
		Err(tee_verifier::EventLogError::RtmrMismatch(set)) => {
			Err(EvidenceError::EventLogMismatch(set))
		}
		Err(e) => Err(log_error(&paths.ccel, e)),
	}
}

fn log_error(path: &Path, e: impl std::fmt::Display) -> EvidenceError {
	EvidenceError::EventLog {
		path: path.display().to_string(),
		message: e.to_string(),
	}
}

/// `evidence` (a TDX quote) with its event log.
fn with_event_log(evidence: Evidence, log: Vec<u8>) -> Result<Evidence, EvidenceError> {
	let Evidence::Tdx { quote } = evidence else {
		return Ok(evidence);
	};
	let len = log.len();
	let event_log = BoundedBytes::try_from(log).map_err(|_| EvidenceError::EventLog {
		path: "event log".into(),
		message: format!("{len} bytes exceed the bound {MAX_EVENT_LOG_LEN}"),
	})?;
	Ok(Evidence::TdxWithEventLog { quote, event_log })
}

/// What the boot step measures into RTMR3: the system and each service, by store path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootMeasurement {
	system: Vec<u8>,
	services: Vec<(Vec<u8>, Vec<u8>)>,
}

impl BootMeasurement {
	/// The measurement of `system` (a store path) and the configured `services` (their names
	/// and store paths, in configuration order). Only names and paths: the boot step runs
	/// before the services exist, so their public keys are not read.
	pub fn new(system: Vec<u8>, services: &[ServiceConfig]) -> Self {
		Self {
			system,
			services: services
				.iter()
				.map(|s| (s.name.as_bytes().to_vec(), s.derivation.as_bytes().to_vec()))
				.collect(),
		}
	}

	/// The system's store path.
	pub fn system(&self) -> &[u8] {
		&self.system
	}

	/// `system_hash` of the measured system (what the worker's claims carry).
	pub fn system_hash(&self) -> [u8; 32] {
		tee_verifier::system_hash(&self.system)
	}

	/// The runtime events, system first.
	pub fn events(&self) -> Vec<RuntimeEvent<'_>> {
		let mut events = vec![RuntimeEvent::System(&self.system)];
		events.extend(
			self.services
				.iter()
				.map(|(name, path)| RuntimeEvent::Service { name, path }),
		);
		events
	}

	/// The runtime log: a TCG event log of [`BootMeasurement::events`] in RTMR3.
	pub fn runtime_log(&self) -> Result<Vec<u8>, EvidenceError> {
		let mut log = LogBuilder::new();
		for event in self.events() {
			if log.runtime_event(&event).is_none() {
				return Err(EvidenceError::EventLog {
					path: "runtime log".into(),
					message: format!(
						"`{}` cannot be measured: store paths and names must be 1 to 512 \
						 printable ASCII characters without spaces",
						describe(&event)
					),
				});
			}
		}
		Ok(log.build())
	}
}

fn describe(event: &RuntimeEvent<'_>) -> String {
	match event {
		RuntimeEvent::System(p) => String::from_utf8_lossy(p).into_owned(),
		RuntimeEvent::Service { name, path } => format!(
			"{} {}",
			String::from_utf8_lossy(name),
			String::from_utf8_lossy(path)
		),
	}
}

/// The boot step (`tee-worker --measure-boot`): extend RTMR3 with the SHA-384 of each of
/// `boot`'s runtime events through `paths.rtmr3_extend`, then write the runtime log to
/// `paths.runtime`. Refuses to run twice in one boot and fails when the kernel cannot
/// extend RTMR3. Returns the number of events measured.
pub fn measure_boot(boot: &BootMeasurement, paths: &TdxLogPaths) -> Result<usize, EvidenceError> {
	use std::io::Write;
	if paths.runtime.exists() {
		return Err(EvidenceError::AlreadyMeasured {
			path: paths.runtime.display().to_string(),
		});
	}
	if !paths.rtmr3_extend.exists() {
		return Err(EvidenceError::NoRtmrExtension {
			path: paths.rtmr3_extend.display().to_string(),
		});
	}
	let log = boot.runtime_log()?;
	let parsed = EventLog::parse(&log, usize::MAX).map_err(|e| log_error(&paths.runtime, e))?;
	for event in parsed.events() {
		// One write of the whole digest per event: the kernel extends on each write.
		let mut file = fs::OpenOptions::new()
			.write(true)
			.open(&paths.rtmr3_extend)
			.map_err(|e| log_error(&paths.rtmr3_extend, e))?;
		file.write_all(&event.digest)
			.map_err(|e| log_error(&paths.rtmr3_extend, e))?;
	}
	if let Some(dir) = paths.runtime.parent() {
		fs::create_dir_all(dir).map_err(|e| log_error(dir, e))?;
	}
	let tmp = paths.runtime.with_extension("tmp");
	fs::write(&tmp, &log).map_err(|e| log_error(&tmp, e))?;
	fs::rename(&tmp, &paths.runtime).map_err(|e| log_error(&paths.runtime, e))?;
	Ok(parsed.events().len())
}

pub struct SevGuest {
	lock: Mutex<()>,
}

/// The device [`SevGuest`] uses (fixed by the `sev` crate).
pub const SEV_GUEST_DEVICE: &str = "/dev/sev-guest";
/// The TDX guest device (only detected, see the module docs).
pub const TDX_GUEST_DEVICE: &str = "/dev/tdx_guest";

impl EvidenceProvider for SevGuest {
	fn tee(&self) -> Tee {
		Tee::Snp
	}
	fn name(&self) -> &'static str {
		"sev-guest"
	}
	fn evidence(&self, report_data: [u8; 64]) -> Result<Evidence, EvidenceError> {
		let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
		let mut firmware = sev::firmware::guest::Firmware::open()
			.map_err(|e| EvidenceError::SevGuest(e.to_string()))?;
		let (report, table) = firmware
			.get_ext_report(None, Some(report_data), Some(0))
			.map_err(|e| EvidenceError::SevGuest(e.to_string()))?;
		let Some(vek) = table.as_deref().and_then(vek_from_table) else {
			return Err(no_vek(self.name(), report, &report_data)?);
		};
		let evidence = snp_evidence(self.name(), report, vek)?;
		check_report_data(self.name(), &evidence, &report_data)?;
		Ok(evidence)
	}
}

/// The provider `config` asks for; `auto` logs which one it picked.
pub fn select(config: &Config) -> Result<Box<dyn EvidenceProvider>, EvidenceError> {
	let configfs = &config.configfs_tsm;
	let has_configfs = configfs.is_dir();
	let has_sev_guest = Path::new(SEV_GUEST_DEVICE).exists();
	let provider: Box<dyn EvidenceProvider> = match config.tee {
		TeeKind::Mock => {
			let tee = match config.mock_tee {
				MockTee::Tdx => Tee::Tdx,
				MockTee::Snp => Tee::Snp,
			};
			tracing::warn!(
				"--tee mock: evidence is signed by the PUBLIC mock-tee dev roots; only a dev \
				 chain accepts it, and it proves nothing about this machine"
			);
			let system = system_path(&config.system_path, true)?;
			let boot = BootMeasurement::new(system, &config.services);
			let machine =
				std::path::absolute(&config.data_dir).unwrap_or_else(|_| config.data_dir.clone());
			Box::new(
				MockProvider::new(tee, &boot)?
					.with_snp_measurement(config.mock_measurement)
					.on_machine(machine.as_os_str().as_encoded_bytes()),
			)
		}
		TeeKind::Auto if has_configfs => {
			Box::new(ConfigfsTsm::open(configfs, config.tdx_log.clone())?)
		}
		TeeKind::Auto if has_sev_guest => Box::new(SevGuest {
			lock: Mutex::new(()),
		}),
		TeeKind::Auto | TeeKind::Tdx if Path::new(TDX_GUEST_DEVICE).exists() && !has_configfs => {
			return Err(EvidenceError::TdxWithoutConfigfs {
				tdx_guest: TDX_GUEST_DEVICE.into(),
				configfs: configfs.display().to_string(),
			})
		}
		TeeKind::Auto => {
			return Err(EvidenceError::NoTee {
				checked: format!(
					"{}, {SEV_GUEST_DEVICE}, {TDX_GUEST_DEVICE}",
					configfs.display()
				),
			})
		}
		TeeKind::Tdx | TeeKind::Snp if has_configfs => {
			let tsm = ConfigfsTsm::open(configfs, config.tdx_log.clone())?;
			let wanted = if config.tee == TeeKind::Tdx {
				Tee::Tdx
			} else {
				Tee::Snp
			};
			if tsm.tee() != wanted {
				return Err(EvidenceError::WrongTee {
					wanted: tee_name(wanted),
					found: format!("configfs-tsm is served by {}", tee_name(tsm.tee())),
				});
			}
			Box::new(tsm)
		}
		TeeKind::Snp if has_sev_guest => Box::new(SevGuest {
			lock: Mutex::new(()),
		}),
		TeeKind::Tdx => {
			return Err(EvidenceError::WrongTee {
				wanted: "tdx",
				found: format!("{} does not exist", configfs.display()),
			})
		}
		TeeKind::Snp => {
			return Err(EvidenceError::WrongTee {
				wanted: "snp",
				found: format!(
					"neither {} nor {SEV_GUEST_DEVICE} exists",
					configfs.display()
				),
			})
		}
	};
	if config.tee == TeeKind::Auto {
		tracing::info!(
			provider = provider.name(),
			tee = tee_name(provider.tee()),
			"--tee auto picked"
		);
	}
	Ok(provider)
}

/// `tdx` or `snp`.
pub fn tee_name(tee: Tee) -> &'static str {
	match tee {
		Tee::Tdx => "tdx",
		Tee::Snp => "snp",
	}
}

/// The store path of the running system, which `path` (`/run/current-system`) points to.
/// With the mock provider on a machine that is not NixOS, the dev image's system path.
pub fn system_path(path: &Path, mock: bool) -> Result<Vec<u8>, EvidenceError> {
	match fs::read_link(path) {
		Ok(target) => Ok(target.into_os_string().into_encoded_bytes()),
		Err(e) if mock && e.kind() == ErrorKind::NotFound => {
			tracing::warn!(
				"{} does not exist: reporting the dev image's system path {}",
				path.display(),
				mock_tee::dev_image::SYSTEM_PATH
			);
			Ok(mock_tee::dev_image::SYSTEM_PATH.as_bytes().to_vec())
		}
		Err(e) => Err(EvidenceError::System {
			path: path.display().to_string(),
			message: e.to_string(),
		}),
	}
}
