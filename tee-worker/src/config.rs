//! The worker's configuration: command-line options with documented defaults.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Parser, ValueEnum};

/// Where evidence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TeeKind {
	/// The first hardware provider found (configfs-tsm, /dev/tdx_guest, /dev/sev-guest).
	Auto,
	/// Intel TDX hardware.
	Tdx,
	/// AMD SEV-SNP hardware.
	Snp,
	/// mock-tee dev evidence (INSECURE: for the dev chain only).
	Mock,
}

/// Which evidence the mock provider mints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MockTee {
	/// A TDX quote.
	Tdx,
	/// An SEV-SNP report and VCEK.
	Snp,
}

/// Log output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
	/// Human-readable lines.
	Text,
	/// One JSON object per line.
	Json,
}

/// Command line of `tee-worker`.
#[derive(Clone, Debug, Parser)]
#[command(name = "tee-worker", version, about)]
pub struct Config {
	/// WebSocket endpoint of a node of the attestation chain.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub node: String,
	/// Evidence provider: auto, tdx, snp, or mock (dev chain only: its evidence is signed by
	/// the public mock-tee roots).
	#[arg(long, value_enum, default_value_t = TeeKind::Auto)]
	pub tee: TeeKind,
	/// With `--tee mock`: mint TDX or SNP evidence.
	#[arg(long, value_enum, default_value_t = MockTee::Tdx)]
	pub mock_tee: MockTee,
	/// Directory for the worker's keys (created with mode 0700; key files 0600).
	#[arg(long, default_value = "/var/lib/tee-worker")]
	pub data_dir: PathBuf,
	/// Address of the HTTP API (reserved; the API is not served by this version).
	#[arg(long, default_value = "127.0.0.1:8080")]
	pub api: SocketAddr,
	/// The symlink to the running NixOS system, whose store path is hashed into the claims.
	#[arg(long, default_value = "/run/current-system")]
	pub system_path: PathBuf,
	/// Services root to report (hex, 32 bytes), until the service tree is built from the
	/// configured services. Default: the root of the empty service tree.
	#[arg(long, value_parser = parse_hex32)]
	pub services_root: Option<[u8; 32]>,
	/// Log format.
	#[arg(long, value_enum, default_value_t = LogFormat::Text)]
	pub log_format: LogFormat,
	/// Dev chain only (requires `--tee mock`): a well-known dev account (`alice`, `bob`,
	/// `charlie`, `dave`, `eve`, `ferdie`) that tops up this worker's account so it can pay
	/// transaction fees up front.
	#[arg(long, value_parser = ["alice", "bob", "charlie", "dave", "eve", "ferdie"])]
	pub dev_funder: Option<String>,
}

/// Parse 32 bytes of hex (with or without `0x`).
pub fn parse_hex32(s: &str) -> Result<[u8; 32], String> {
	let bytes = hex::decode(s.trim_start_matches("0x")).map_err(|e| format!("not hex: {e}"))?;
	bytes
		.try_into()
		.map_err(|b: Vec<u8>| format!("{} bytes, expected 32", b.len()))
}

impl Config {
	/// Checks between options that clap cannot express; the message names the options.
	pub fn validate(&self) -> Result<(), String> {
		if self.dev_funder.is_some() && self.tee != TeeKind::Mock {
			return Err("--dev-funder is for the dev chain and needs --tee mock".into());
		}
		Ok(())
	}

	/// The services root the worker reports.
	pub fn services_root(&self) -> [u8; 32] {
		self.services_root
			.unwrap_or_else(|| service_tree::ServiceTree::empty().root().to_bytes())
	}
}
