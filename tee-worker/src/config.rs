//! The worker's configuration: an optional TOML file (`--config F`) with command-line flags
//! overriding it, and documented defaults for everything else.
//!
//! Every key of the file has a flag of the same name (`data-dir` is `--data-dir`), except
//! `[[service]]` tables, which only the file can hold. `tee-worker/worker.example.toml`
//! documents each key. Unknown keys, wrong types and invalid values are errors that name the
//! key; the worker then exits with status 2.

use std::{
	fmt,
	net::SocketAddr,
	path::{Path, PathBuf},
};

use clap::{Parser, ValueEnum};
use serde::Deserialize;

use crate::{
	keys::KeyProtection,
	tpm::{PcrSet, DEFAULT_TCTI},
};

/// Where evidence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TeeKind {
	/// The first hardware provider found (configfs-tsm, then /dev/sev-guest).
	Auto,
	/// Intel TDX hardware (through configfs-tsm).
	Tdx,
	/// AMD SEV-SNP hardware (configfs-tsm, else /dev/sev-guest).
	Snp,
	/// mock-tee dev evidence (INSECURE: for the dev chain only).
	Mock,
}

/// Which evidence the mock provider mints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MockTee {
	/// A TDX quote.
	Tdx,
	/// An SEV-SNP report and VCEK.
	Snp,
}

/// Whether the worker's keys are sealed to a TPM (see [`crate::keys`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TpmMode {
	/// Seal a new identity when a TPM answers, else keep plain files; existing keys are
	/// used as they are stored.
	Auto,
	/// Keys must be TPM-sealed: no TPM, or plain key files, is an error.
	Required,
	/// Plain key files only; sealed keys are an error.
	Off,
}

/// Log output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
	/// Human-readable lines.
	Text,
	/// One JSON object per line.
	Json,
}

/// The dev accounts `--dev-funder` accepts.
pub const DEV_FUNDERS: [&str; 6] = ["alice", "bob", "charlie", "dave", "eve", "ferdie"];

/// Default WebSocket endpoint of the node.
pub const DEFAULT_NODE: &str = "ws://127.0.0.1:9944";
/// Default data directory.
pub const DEFAULT_DATA_DIR: &str = "/var/lib/tee-worker";
/// Default HTTP API address (loopback only).
pub const DEFAULT_API: &str = "127.0.0.1:8080";
/// Default symlink to the running NixOS system.
pub const DEFAULT_SYSTEM_PATH: &str = "/run/current-system";
/// Default configfs-tsm report directory.
pub const DEFAULT_CONFIGFS_TSM: &str = "/sys/kernel/config/tsm/report";

/// The TDX firmware's event log as Linux exposes the ACPI CCEL table's log area.
pub const DEFAULT_CCEL_LOG: &str = "/sys/firmware/acpi/tables/data/CCEL";
/// Where `--measure-boot` keeps the runtime log of what it measured into RTMR3 (a tmpfs:
/// RTMR3 starts from zero at every boot, and so does the log).
pub const DEFAULT_RUNTIME_LOG: &str = "/run/tee-worker/rtmr3.log";
/// The file that extends RTMR3 with a SHA-384 digest written to it (Linux >= 6.16, the
/// TDX guest driver's `tsm-mr` measurement registers).
pub const DEFAULT_RTMR3_EXTEND: &str = "/sys/class/misc/tdx_guest/measurements/rtmr3:sha384";

/// Command line of `tee-worker`. Flags override the file given with `--config`.
#[derive(Clone, Debug, Default, Parser)]
#[command(name = "tee-worker", version, about, long_about = None)]
pub struct Cli {
	/// TOML configuration file (keys as the flags below, plus `[[service]]` tables; see
	/// worker.example.toml). Flags given on the command line override it.
	#[arg(long, value_name = "FILE")]
	pub config: Option<PathBuf>,
	/// WebSocket endpoint of a node of the attestation chain [default: ws://127.0.0.1:9944].
	#[arg(long, value_name = "URL")]
	pub node: Option<String>,
	/// Evidence provider: auto (first hardware provider found), tdx, snp, or mock (dev chain
	/// only: its evidence is signed by the public mock-tee roots) [default: auto].
	#[arg(long, value_enum)]
	pub tee: Option<TeeKind>,
	/// With `--tee mock`: mint TDX or SNP evidence [default: tdx].
	#[arg(long, value_enum)]
	pub mock_tee: Option<MockTee>,
	/// With `--tee mock --mock-tee snp`: the launch MEASUREMENT (96 hex digits) the mock
	/// hardware reports, as `attest measure snp` computes it for the image the host launched
	/// [default: the dev image's].
	#[arg(long, value_name = "HEX")]
	pub mock_measurement: Option<String>,
	/// Directory for the worker's keys, created with mode 0700; key files are 0600
	/// [default: /var/lib/tee-worker].
	#[arg(long, value_name = "DIR")]
	pub data_dir: Option<PathBuf>,
	/// Seal the keys to the TPM: auto (when one answers), required, or off [default: auto].
	#[arg(long, value_enum)]
	pub tpm: Option<TpmMode>,
	/// How to reach the TPM, as a TSS2 TCTI string [default: device:/dev/tpmrm0].
	#[arg(long, value_name = "TCTI")]
	pub tpm_tcti: Option<String>,
	/// The SHA-256 PCRs new keys are sealed to, e.g. 4,7,9 [default: 4,7,9].
	#[arg(long, value_name = "LIST")]
	pub tpm_pcrs: Option<PcrSet>,
	/// Address of the HTTP API (/health, /attestation, /services, /metrics)
	/// [default: 127.0.0.1:8080].
	#[arg(long, value_name = "ADDR:PORT")]
	pub api: Option<SocketAddr>,
	/// The symlink to the running NixOS system; SHA-256 of its store path is the system hash
	/// in every attestation [default: /run/current-system].
	#[arg(long, value_name = "PATH")]
	pub system_path: Option<PathBuf>,
	/// configfs-tsm report directory (Linux >= 6.7) [default: /sys/kernel/config/tsm/report].
	#[arg(long, value_name = "DIR")]
	pub configfs_tsm: Option<PathBuf>,
	/// TDX: the firmware's event log (the CCEL table's log area), sent with every quote
	/// [default: /sys/firmware/acpi/tables/data/CCEL].
	#[arg(long, value_name = "FILE")]
	pub ccel_log: Option<PathBuf>,
	/// TDX: the runtime log `--measure-boot` writes and the worker appends to the firmware's
	/// [default: /run/tee-worker/rtmr3.log].
	#[arg(long, value_name = "FILE")]
	pub runtime_log: Option<PathBuf>,
	/// TDX: the file that extends RTMR3 with a written SHA-384 digest
	/// [default: /sys/class/misc/tdx_guest/measurements/rtmr3:sha384].
	#[arg(long, value_name = "FILE")]
	pub rtmr3_extend: Option<PathBuf>,
	/// Measure the system and every configured service into RTMR3 (TDX), write the runtime
	/// log and exit. Run once per boot, before any service starts. On SEV-SNP it only reports
	/// that the launch measurement covers the system.
	#[arg(long)]
	pub measure_boot: bool,
	/// Log format [default: text].
	#[arg(long, value_enum)]
	pub log_format: Option<LogFormat>,
	/// Dev chain only (requires `--tee mock`): a well-known dev account (alice, bob, charlie,
	/// dave, eve, ferdie) that tops up this worker's account so it can pay transaction fees.
	#[arg(long, value_name = "NAME", value_parser = DEV_FUNDERS)]
	pub dev_funder: Option<String>,
	/// SEV-SNP: AMD's Key Distribution Service, where the worker fetches its VCEK when the
	/// host supplies no certificate table [default: https://kdsintf.amd.com].
	#[arg(long, value_name = "URL")]
	pub kds: Option<String>,
}

/// The configuration file. Same keys as the flags (kebab-case), plus `[[service]]` tables.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
	/// See [`Cli::node`].
	pub node: Option<String>,
	/// See [`Cli::tee`].
	pub tee: Option<TeeKind>,
	/// See [`Cli::mock_tee`].
	pub mock_tee: Option<MockTee>,
	/// See [`Cli::mock_measurement`].
	pub mock_measurement: Option<String>,
	/// See [`Cli::data_dir`].
	pub data_dir: Option<PathBuf>,
	/// See [`Cli::tpm`].
	pub tpm: Option<TpmMode>,
	/// See [`Cli::tpm_tcti`].
	pub tpm_tcti: Option<String>,
	/// See [`Cli::tpm_pcrs`] (an array of integers in the file).
	pub tpm_pcrs: Option<PcrSet>,
	/// See [`Cli::api`].
	pub api: Option<SocketAddr>,
	/// See [`Cli::system_path`].
	pub system_path: Option<PathBuf>,
	/// See [`Cli::configfs_tsm`].
	pub configfs_tsm: Option<PathBuf>,
	/// See [`Cli::ccel_log`].
	pub ccel_log: Option<PathBuf>,
	/// See [`Cli::runtime_log`].
	pub runtime_log: Option<PathBuf>,
	/// See [`Cli::rtmr3_extend`].
	pub rtmr3_extend: Option<PathBuf>,
	/// See [`Cli::log_format`].
	pub log_format: Option<LogFormat>,
	/// See [`Cli::dev_funder`].
	pub dev_funder: Option<String>,
	/// See [`Cli::kds`].
	pub kds: Option<String>,
	/// The services this worker measures into its service tree.
	#[serde(default)]
	pub service: Vec<ServiceConfig>,
}

/// One measured service (`[[service]]` in the file).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServiceConfig {
	/// Its name (unique; the tree key is SHA-256 of it), e.g. `echo`.
	pub name: String,
	/// The Nix store path of its package, e.g. `/nix/store/<hash>-tee-echo-0.1.0`.
	pub derivation: String,
	/// File holding its secp256k1 public key: 33-byte compressed SEC1, hex (what
	/// `tee-echo --print-pubkey` writes).
	pub public_key_file: PathBuf,
}

/// The resolved configuration the worker runs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
	/// WebSocket endpoint of the node.
	pub node: String,
	/// Evidence provider.
	pub tee: TeeKind,
	/// What `--tee mock` mints.
	pub mock_tee: MockTee,
	/// The SNP launch measurement `--tee mock --mock-tee snp` reports (`None`: the dev image's).
	pub mock_measurement: Option<[u8; 48]>,
	/// Key directory.
	pub data_dir: PathBuf,
	/// How the keys are kept at rest.
	pub key_protection: KeyProtection,
	/// HTTP API address.
	pub api: SocketAddr,
	/// Symlink to the running system.
	pub system_path: PathBuf,
	/// configfs-tsm report directory.
	pub configfs_tsm: PathBuf,
	/// Where the TDX event log is read and RTMR3 extended.
	pub tdx_log: TdxLogPaths,
	/// `--measure-boot`: measure into RTMR3 and exit.
	pub measure_boot: bool,
	/// Log format.
	pub log_format: LogFormat,
	/// Dev funder account name.
	pub dev_funder: Option<String>,
	/// AMD KDS base URL (SEV-SNP VCEK fetch).
	pub kds: String,
	/// Measured services.
	pub services: Vec<ServiceConfig>,
}

/// The files of the TDX event log: the firmware's log, the boot step's runtime log and the
/// RTMR3 extension file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TdxLogPaths {
	/// The firmware's CCEL log area.
	pub ccel: PathBuf,
	/// The runtime log `--measure-boot` writes.
	pub runtime: PathBuf,
	/// The RTMR3 extension file.
	pub rtmr3_extend: PathBuf,
}

/// A configuration that cannot be used; the message names the file and the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
	/// The file could not be read.
	#[error("config file {path}: {message}")]
	Read {
		/// The file.
		path: String,
		/// Why.
		message: String,
	},
	/// The file is not valid TOML or a key is unknown or has the wrong type.
	#[error("config file {path}: {message}")]
	Parse {
		/// The file.
		path: String,
		/// The parser's message (names the key and the line).
		message: String,
	},
	/// A value is not acceptable.
	#[error("{key}: {message}")]
	Invalid {
		/// The key (`node`, `service[1].name`, ...).
		key: String,
		/// Why.
		message: String,
	},
}

fn invalid(key: impl fmt::Display, message: impl fmt::Display) -> ConfigError {
	ConfigError::Invalid {
		key: key.to_string(),
		message: message.to_string(),
	}
}

impl FileConfig {
	/// Reads and parses `path`.
	pub fn read(path: &Path) -> Result<Self, ConfigError> {
		let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
			path: path.display().to_string(),
			message: e.to_string(),
		})?;
		Self::parse(&text).map_err(|message| ConfigError::Parse {
			path: path.display().to_string(),
			message,
		})
	}

	/// Parses TOML text; the error names the key and line.
	pub fn parse(text: &str) -> Result<Self, String> {
		toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())
	}
}

impl Config {
	/// The configuration from the command line and the file it names (if any).
	pub fn load(cli: Cli) -> Result<Self, ConfigError> {
		let file = match &cli.config {
			Some(path) => FileConfig::read(path)?,
			None => FileConfig::default(),
		};
		Self::resolve(cli, file)
	}

	/// Flags over file over defaults, then validated.
	pub fn resolve(cli: Cli, file: FileConfig) -> Result<Self, ConfigError> {
		let parse_default = |s: &str| -> Result<SocketAddr, ConfigError> {
			s.parse().map_err(|e| invalid("api", e))
		};
		let config = Config {
			node: cli
				.node
				.or(file.node)
				.unwrap_or_else(|| DEFAULT_NODE.into()),
			tee: cli.tee.or(file.tee).unwrap_or(TeeKind::Auto),
			mock_tee: cli.mock_tee.or(file.mock_tee).unwrap_or(MockTee::Tdx),
			mock_measurement: match cli.mock_measurement.or(file.mock_measurement) {
				None => None,
				Some(text) => Some(
					hex::decode(text.trim_start_matches("0x"))
						.ok()
						.and_then(|b| <[u8; 48]>::try_from(b).ok())
						.ok_or_else(|| {
							invalid("mock-measurement", format!("`{text}` is not 96 hex digits"))
						})?,
				),
			},
			data_dir: cli
				.data_dir
				.or(file.data_dir)
				.unwrap_or_else(|| DEFAULT_DATA_DIR.into()),
			key_protection: KeyProtection {
				tpm: cli.tpm.or(file.tpm).unwrap_or(TpmMode::Auto),
				tcti: cli
					.tpm_tcti
					.or(file.tpm_tcti)
					.unwrap_or_else(|| DEFAULT_TCTI.into()),
				pcrs: cli.tpm_pcrs.or(file.tpm_pcrs).unwrap_or_default(),
			},
			api: match cli.api.or(file.api) {
				Some(api) => api,
				None => parse_default(DEFAULT_API)?,
			},
			system_path: cli
				.system_path
				.or(file.system_path)
				.unwrap_or_else(|| DEFAULT_SYSTEM_PATH.into()),
			configfs_tsm: cli
				.configfs_tsm
				.or(file.configfs_tsm)
				.unwrap_or_else(|| DEFAULT_CONFIGFS_TSM.into()),
			tdx_log: TdxLogPaths {
				ccel: cli
					.ccel_log
					.or(file.ccel_log)
					.unwrap_or_else(|| DEFAULT_CCEL_LOG.into()),
				runtime: cli
					.runtime_log
					.or(file.runtime_log)
					.unwrap_or_else(|| DEFAULT_RUNTIME_LOG.into()),
				rtmr3_extend: cli
					.rtmr3_extend
					.or(file.rtmr3_extend)
					.unwrap_or_else(|| DEFAULT_RTMR3_EXTEND.into()),
			},
			measure_boot: cli.measure_boot,
			log_format: cli
				.log_format
				.or(file.log_format)
				.unwrap_or(LogFormat::Text),
			dev_funder: cli.dev_funder.or(file.dev_funder),
			kds: cli
				.kds
				.or(file.kds)
				.unwrap_or_else(|| collateral_fetch::AMD_KDS.into()),
			services: file.service,
		};
		config.validate()?;
		Ok(config)
	}

	/// Checks that clap and serde cannot express; the error names the key.
	pub fn validate(&self) -> Result<(), ConfigError> {
		if !(self.node.starts_with("ws://") || self.node.starts_with("wss://")) {
			return Err(invalid(
				"node",
				format!("`{}` is not a ws:// or wss:// URL", self.node),
			));
		}
		if !(self.kds.starts_with("http://") || self.kds.starts_with("https://")) {
			return Err(invalid(
				"kds",
				format!("`{}` is not an http:// or https:// URL", self.kds),
			));
		}
		if self.mock_measurement.is_some()
			&& (self.tee != TeeKind::Mock || self.mock_tee != MockTee::Snp)
		{
			return Err(invalid(
				"mock-measurement",
				"is what the mock SNP hardware reports and needs `--tee mock --mock-tee snp`",
			));
		}
		if self.key_protection.tcti.trim().is_empty() {
			return Err(invalid("tpm-tcti", "is empty"));
		}
		if let Some(funder) = &self.dev_funder {
			if !DEV_FUNDERS.contains(&funder.as_str()) {
				return Err(invalid(
					"dev-funder",
					format!("`{funder}` is not one of {}", DEV_FUNDERS.join(", ")),
				));
			}
			if self.tee != TeeKind::Mock {
				return Err(invalid(
					"dev-funder",
					"is for the dev chain and needs `tee = mock` (--tee mock)",
				));
			}
		}
		let mut names = std::collections::BTreeSet::new();
		for (i, service) in self.services.iter().enumerate() {
			if service.name.is_empty() {
				return Err(invalid(format!("service[{i}].name"), "is empty"));
			}
			if !names.insert(service.name.as_str()) {
				return Err(invalid(
					format!("service[{i}].name"),
					format!("`{}` is configured twice", service.name),
				));
			}
			if service.derivation.is_empty() {
				return Err(invalid(format!("service[{i}].derivation"), "is empty"));
			}
		}
		Ok(())
	}
}
