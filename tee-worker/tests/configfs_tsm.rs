//! The configfs-tsm provider against a fake `/sys/kernel/config/tsm/report` tree whose
//! `outblob` (and SNP `auxblob`) hold mock-tee evidence, as the kernel would present it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
	fs,
	path::{Path, PathBuf},
};

use clap::Parser;
use sev::firmware::host::{CertTableEntry, CertType};
use tee_verifier::EventLog;
use tee_verifier::{Evidence, Tee};
use tee_worker::{
	config::{Cli, Config, FileConfig, ServiceConfig, TdxLogPaths, TeeKind},
	evidence::{
		self, BootMeasurement, ConfigfsTsm, EvidenceError, EvidenceProvider, MockProvider,
		TSM_ENTRY,
	},
};

fn fake_tree(name: &str, provider: &str) -> (PathBuf, PathBuf) {
	let root = std::env::temp_dir().join(format!("fake-tsm-{name}-{}", std::process::id()));
	let _ = fs::remove_dir_all(&root);
	let entry = root.join(TSM_ENTRY);
	fs::create_dir_all(&entry).unwrap();
	fs::write(entry.join("provider"), format!("{provider}\n")).unwrap();
	fs::write(entry.join("generation"), "7\n").unwrap();
	(root, entry)
}

/// The TDX log files of a fake tree: the dev image's firmware log as CCEL, the runtime log
/// and the RTMR3 extension file inside `root`.
fn paths(root: &Path) -> TdxLogPaths {
	TdxLogPaths {
		ccel: root.join("CCEL"),
		runtime: root.join("run/rtmr3.log"),
		rtmr3_extend: root.join("rtmr3:sha384"),
	}
}

const SYSTEM: &str = "/nix/store/22222222222222222222222222222222-nixos-system-worker";

fn boot() -> BootMeasurement {
	BootMeasurement::new(SYSTEM.as_bytes().to_vec(), &[])
}

fn roots() -> mock_tee::DevRoots {
	mock_tee::DevRoots::dev().unwrap()
}

#[test]
fn tdx_quote_from_outblob_with_its_event_log() {
	let (root, entry) = fake_tree("tdx", "tdx_guest");
	let paths = paths(&root);
	let report_data = [0x5a; 64];
	// The "hardware": the dev firmware log as CCEL, and a quote of the boot that measured
	// `boot()` (the runtime log as `--measure-boot` writes it).
	fs::write(&paths.ccel, mock_tee::dev_image::firmware_log()).unwrap();
	fs::write(&paths.rtmr3_extend, b"").unwrap();
	evidence::measure_boot(&boot(), &paths).unwrap();
	let mock = MockProvider::new(Tee::Tdx, &boot()).unwrap();
	let minted = mock.evidence(report_data).unwrap();
	let Evidence::TdxWithEventLog { quote, event_log } = &minted else {
		panic!("tdx evidence with its log")
	};
	fs::write(entry.join("outblob"), quote.as_slice()).unwrap();

	let tsm = ConfigfsTsm::open(&root, paths.clone()).unwrap();
	assert_eq!(tsm.tee(), Tee::Tdx);
	assert_eq!(tsm.name(), "configfs-tsm");
	let evidence = tsm.evidence(report_data).unwrap();
	assert_eq!(
		evidence, minted,
		"the CCEL log and the runtime log, as the mock builds them"
	);
	let log = EventLog::parse(event_log, usize::MAX).unwrap();
	assert_eq!(log.measured_system(), Ok(SYSTEM.as_bytes()));
	assert_eq!(
		fs::read(entry.join("inblob")).unwrap(),
		report_data.to_vec(),
		"the request's REPORT_DATA was written to inblob"
	);

	// The outblob answers another request: refused, never submitted.
	let err = tsm.evidence([0x11; 64]).unwrap_err();
	assert!(matches!(err, EvidenceError::ReportDataMismatch), "{err}");

	// A runtime log of another boot (another system): refused, naming RTMR3.
	let other = BootMeasurement::new(b"/nix/store/x-other".to_vec(), &[]);
	fs::write(&paths.runtime, other.runtime_log().unwrap()).unwrap();
	let err = tsm.evidence(report_data).unwrap_err();
	assert!(matches!(err, EvidenceError::EventLogMismatch(_)), "{err}");
	assert!(err.to_string().contains("rtmr3"), "{err}");

	// No runtime log: the boot step did not run.
	fs::remove_file(&paths.runtime).unwrap();
	let err = tsm.evidence(report_data).unwrap_err();
	assert!(matches!(err, EvidenceError::NotMeasured { .. }), "{err}");
	assert!(err.to_string().contains("--measure-boot"), "{err}");

	// A corrupt firmware log: an event-log error naming the file.
	fs::write(&paths.ccel, b"garbage").unwrap();
	let err = tsm.evidence(report_data).unwrap_err();
	assert!(err.to_string().contains("CCEL"), "{err}");

	// Garbage in outblob: a parse error naming the provider.
	fs::write(entry.join("outblob"), b"not a quote").unwrap();
	let err = tsm.evidence(report_data).unwrap_err();
	assert!(
		matches!(
			err,
			EvidenceError::Malformed {
				provider: "configfs-tsm",
				..
			}
		),
		"{err}"
	);
	let _ = fs::remove_dir_all(&root);
}

#[test]
fn measure_boot_extends_rtmr3_once_per_event_and_only_once_per_boot() {
	let (root, _) = fake_tree("measure", "tdx_guest");
	let paths = paths(&root);
	// The extension file is a FIFO read by a thread: every write the kernel would see.
	let status = std::process::Command::new("mkfifo")
		.arg(&paths.rtmr3_extend)
		.status()
		.unwrap();
	assert!(status.success());
	let fifo = paths.rtmr3_extend.clone();
	let reader = std::thread::spawn(move || {
		use std::io::Read;
		// Two digests of 48 bytes; consecutive writes may arrive in one read session.
		let mut written = Vec::new();
		while written.len() < 96 {
			fs::File::open(&fifo)
				.unwrap()
				.read_to_end(&mut written)
				.unwrap();
		}
		written
	});
	let services = services_with_one();
	let boot = BootMeasurement::new(SYSTEM.as_bytes().to_vec(), &services);
	assert_eq!(evidence::measure_boot(&boot, &paths).unwrap(), 2);
	let written = reader.join().unwrap();
	let log_bytes = fs::read(&paths.runtime).unwrap();
	let log = EventLog::parse(&log_bytes, usize::MAX).unwrap();
	let digests: Vec<u8> = log.events().iter().flat_map(|e| e.digest).collect();
	assert_eq!(
		written, digests,
		"each event's digest written, in log order"
	);
	assert_eq!(log_bytes, boot.runtime_log().unwrap());

	// A second run in the same boot is refused and changes nothing.
	let err = evidence::measure_boot(&boot, &paths).unwrap_err();
	assert!(
		matches!(err, EvidenceError::AlreadyMeasured { .. }),
		"{err}"
	);
	assert_eq!(fs::read(&paths.runtime).unwrap(), log_bytes);

	// A kernel without RTMR extension: a clear error, no log written.
	fs::remove_file(&paths.runtime).unwrap();
	fs::remove_file(&paths.rtmr3_extend).unwrap();
	let err = evidence::measure_boot(&boot, &paths).unwrap_err();
	assert!(
		matches!(err, EvidenceError::NoRtmrExtension { .. }),
		"{err}"
	);
	assert!(err.to_string().contains("6.16"), "{err}");
	assert!(!paths.runtime.exists());
	let _ = fs::remove_dir_all(&root);
}

/// One configured service. Its public key file does not exist: the boot step runs before
/// the services write their keys, and reads only names and paths.
fn services_with_one() -> Vec<ServiceConfig> {
	vec![ServiceConfig {
		name: "echo".into(),
		derivation: "/nix/store/33333333333333333333333333333333-tee-echo-0.1.0".into(),
		public_key_file: "/nonexistent/echo.pub".into(),
	}]
}

#[test]
fn snp_report_and_vcek_from_outblob_and_auxblob() {
	let (root, entry) = fake_tree("snp", "sev_guest");
	let report_data = [0xa5; 64];
	let minted = roots()
		.mint_dev_image_evidence(Tee::Snp, report_data)
		.unwrap();
	let Evidence::Snp { report, vek_der } = &minted else {
		panic!("snp evidence")
	};
	fs::write(entry.join("outblob"), report.as_slice()).unwrap();
	let table = vec![
		CertTableEntry::new(CertType::ASK, vec![1, 2, 3]),
		CertTableEntry::new(CertType::VCEK, vek_der.to_vec()),
	];
	fs::write(
		entry.join("auxblob"),
		CertTableEntry::cert_table_to_vec_bytes(&table).unwrap(),
	)
	.unwrap();

	let tsm = ConfigfsTsm::open(&root, paths(&root)).unwrap();
	assert_eq!(tsm.tee(), Tee::Snp);
	assert_eq!(tsm.evidence(report_data).unwrap(), minted);

	// No certificate table from the host: a clear error.
	fs::write(entry.join("auxblob"), b"").unwrap();
	let err = tsm.evidence(report_data).unwrap_err();
	assert!(
		matches!(&err, EvidenceError::NoVek { provider: "configfs-tsm", report: r } if r == report.as_slice()),
		"{err}"
	);
	let _ = fs::remove_dir_all(&root);
}

#[test]
fn broken_trees_are_clear_errors() {
	let (root, entry) = fake_tree("broken", "sgx_guest");
	let err = ConfigfsTsm::open(&root, paths(&root)).err().unwrap();
	assert!(
		matches!(err, EvidenceError::UnknownTsmProvider(ref p) if p == "sgx_guest"),
		"{err}"
	);

	fs::write(entry.join("provider"), "tdx_guest").unwrap();
	fs::write(entry.join("generation"), "many").unwrap();
	let tsm = ConfigfsTsm::open(&root, paths(&root)).unwrap();
	let err = tsm.evidence([0; 64]).unwrap_err();
	assert!(err.to_string().contains("generation"), "{err}");

	// No provider file at all (not a configfs-tsm directory).
	fs::remove_file(entry.join("provider")).unwrap();
	let err = ConfigfsTsm::open(&root, paths(&root)).err().unwrap();
	assert!(matches!(err, EvidenceError::Configfs { .. }), "{err}");
	let _ = fs::remove_dir_all(&root);
}

#[test]
fn auto_and_explicit_selection_use_the_configured_tree() {
	let (root, entry) = fake_tree("select", "sev_guest");
	let config = |tee: &str| {
		let args = [
			"tee-worker",
			"--tee",
			tee,
			"--configfs-tsm",
			root.to_str().unwrap(),
		];
		let cli = Cli::try_parse_from(args).unwrap();
		Config::resolve(cli, FileConfig::default()).unwrap()
	};
	let auto = evidence::select(&config("auto")).unwrap();
	assert_eq!((auto.name(), auto.tee()), ("configfs-tsm", Tee::Snp));
	let snp = evidence::select(&config("snp")).unwrap();
	assert_eq!(snp.tee(), Tee::Snp);
	let err = evidence::select(&config("tdx")).err().unwrap().to_string();
	assert!(
		err.contains("--tee tdx: configfs-tsm is served by snp"),
		"{err}"
	);
	assert_eq!(config("mock").tee, TeeKind::Mock);
	let _ = fs::remove_dir_all(&entry);
	let _ = fs::remove_dir_all(&root);
}

/// Each mock machine (the worker names it by its data directory) has its own PPID and chip:
/// the chain counts the workers of one machine against `MaxWorkersPerPlatform`, and separate
/// mock workers stand for separate hosts.
/// Evidence of `tee` minted by the mock on the machine `name`.
fn minted_on(tee: Tee, name: &[u8]) -> Evidence {
	MockProvider::new(tee, &boot())
		.unwrap()
		.on_machine(name)
		.evidence([1; 64])
		.unwrap()
}

#[test]
fn mock_machines_have_their_own_ppid_and_chip() {
	let ppid = |name: &[u8]| {
		tee_verifier::tdx::unverified_ppid(minted_on(Tee::Tdx, name).tdx_quote().unwrap()).unwrap()
	};
	assert_eq!(ppid(b"/data/a"), ppid(b"/data/a"));
	assert_ne!(ppid(b"/data/a"), ppid(b"/data/b"));
	assert_ne!(ppid(b"/data/a"), *b"mock-tee dev PPI");
	// CHIP_ID is at 0x1A0 of the SNP report.
	let chip = |name: &[u8]| {
		let Evidence::Snp { report, .. } = minted_on(Tee::Snp, name) else {
			panic!("SNP evidence")
		};
		report.as_slice()[0x1A0..0x1E0].to_vec()
	};
	assert_eq!(chip(b"/data/a"), chip(b"/data/a"));
	assert_ne!(chip(b"/data/a"), chip(b"/data/b"));
}

/// SEV-SNP without a certificate table: the VCEK comes from (a local stand-in for) AMD's KDS,
/// is verified against the chain's roots before use, and is cached in the data directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_certificate_table_the_vcek_comes_from_kds_verified_and_cached() {
	use std::sync::Arc;
	use tee_worker::vcek::{self, ChainAnchors};

	let (root, entry) = fake_tree("snp-kds", "sev_guest");
	let report_data = [0x3c; 64];
	let dev = roots();
	let params = mock_tee::SnpReportParams {
		report_data,
		..mock_tee::SnpReportParams::new(mock_tee::AmdProduct::Milan)
	};
	let (report, vek) = dev.mint_snp_report(&params).unwrap();
	let minted = Evidence::Snp {
		report: report.clone().try_into().unwrap(),
		vek_der: vek.clone().try_into().unwrap(),
	};
	fs::write(entry.join("outblob"), &report).unwrap();
	fs::write(entry.join("auxblob"), b"").unwrap();
	let hwid = hex::encode(params.chip_id);

	let sources = fake_pcs::FakeSources::new();
	let (addr, _server) = sources.serve("127.0.0.1:0".parse().unwrap()).await.unwrap();
	let kds = format!("http://{addr}");
	let data = std::env::temp_dir().join(format!("vcek-cache-{}", std::process::id()));
	let _ = fs::remove_dir_all(&data);
	let anchors = ChainAnchors::default();
	let provider: Arc<dyn EvidenceProvider> = Arc::from(vcek::with_kds(
		Box::new(ConfigfsTsm::open(&root, paths(&root)).unwrap()),
		&kds,
		&data,
		anchors.clone(),
	));
	let evidence = |p: Arc<dyn EvidenceProvider>| async move {
		tokio::task::spawn_blocking(move || p.evidence(report_data))
			.await
			.unwrap()
	};

	// The chain's roots are not known yet: nothing is fetched, and it says so.
	let err = evidence(provider.clone()).await.unwrap_err().to_string();
	assert!(err.contains("trust anchors are not known yet"), "{err}");
	assert!(sources.requests().is_empty());

	// KDS does not know the chip: a clear error naming KDS.
	*anchors.write().unwrap() = Some(dev.trust_anchors().unwrap());
	let err = evidence(provider.clone()).await.unwrap_err().to_string();
	assert!(err.contains(&kds) && err.contains("404"), "{err}");

	// KDS serves another chip's VCEK under this chip's hwid: refused, not cached.
	let other = mock_tee::SnpReportParams {
		chip_id: [0x77; 64],
		..params.clone()
	};
	let (_, other_vek) = dev.mint_snp_report(&other).unwrap();
	sources.publish_vcek(tee_verifier::SnpProduct::Milan, &hwid, &other_vek);
	let err = evidence(provider.clone()).await.unwrap_err().to_string();
	assert!(err.contains("does not verify this report"), "{err}");
	assert!(!data.join("vcek").exists() || fs::read_dir(data.join("vcek")).unwrap().count() == 0);

	// The right VCEK: the evidence is complete, and the VCEK is cached.
	sources.publish_vcek(tee_verifier::SnpProduct::Milan, &hwid, &vek);
	assert_eq!(evidence(provider.clone()).await.unwrap(), minted);
	let requests = sources.requests();
	let last = requests.last().unwrap();
	assert!(
		last.starts_with(&format!("/vcek/v1/Milan/{hwid}?")),
		"{last}"
	);
	assert!(
		last.contains("blSPL=") && last.contains("ucodeSPL="),
		"{last}"
	);
	assert_eq!(fs::read_dir(data.join("vcek")).unwrap().count(), 1);

	// Later reports of the same chip and TCB use the cache: no request.
	let before = sources.requests().len();
	assert_eq!(evidence(provider.clone()).await.unwrap(), minted);
	assert_eq!(sources.requests().len(), before);

	// KDS unreachable and nothing cached for another TCB: says it cannot reach KDS.
	let unreachable: Arc<dyn EvidenceProvider> = Arc::from(vcek::with_kds(
		Box::new(ConfigfsTsm::open(&root, paths(&root)).unwrap()),
		"http://127.0.0.1:9",
		&std::env::temp_dir().join(format!("vcek-none-{}", std::process::id())),
		anchors.clone(),
	));
	let err = evidence(unreachable).await.unwrap_err().to_string();
	assert!(
		err.contains("cannot reach KDS") && err.contains("127.0.0.1:9"),
		"{err}"
	);
	let _ = fs::remove_dir_all(&root);
	let _ = fs::remove_dir_all(&data);
}
