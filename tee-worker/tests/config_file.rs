//! The TOML configuration: the documented example parses, flags override the file, and every
//! kind of bad input is an error that names the key (and exits 2 from the binary).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{fs, path::PathBuf, process::Command};

use clap::Parser;
use tee_worker::{
	config::{Cli, Config, ConfigError, FileConfig, LogFormat, MockTee, TeeKind, TpmMode},
	services::{ServiceError, Services},
};

const EXAMPLE: &str = include_str!("../worker.example.toml");

fn temp_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("tee-worker-cfg-{name}-{}", std::process::id()));
	let _ = fs::remove_dir_all(&dir);
	fs::create_dir_all(&dir).unwrap();
	dir
}

fn resolve(args: &[&str], file: &str) -> Result<Config, ConfigError> {
	let cli =
		Cli::try_parse_from(std::iter::once("tee-worker").chain(args.iter().copied())).unwrap();
	Config::resolve(
		cli,
		FileConfig::parse(file).map_err(|m| ConfigError::Parse {
			path: "test".into(),
			message: m,
		})?,
	)
}

fn error(args: &[&str], file: &str) -> String {
	resolve(args, file).unwrap_err().to_string()
}

#[test]
fn example_file_parses_with_every_key() {
	let config = resolve(&[], EXAMPLE).unwrap();
	assert_eq!(config.node, "ws://127.0.0.1:9944");
	assert_eq!(config.tee, TeeKind::Auto);
	assert_eq!(config.api.to_string(), "127.0.0.1:8080");
	assert_eq!(config.services.len(), 1);
	assert_eq!(config.services[0].name, "echo");
	// Every flag is documented as a key in the example (and the reverse is checked by
	// deny_unknown_fields).
	let help = Command::new(env!("CARGO_BIN_EXE_tee-worker"))
		.arg("--help")
		.output()
		.unwrap();
	let help = String::from_utf8(help.stdout).unwrap();
	for flag in help.split_whitespace().filter(|w| w.starts_with("--")) {
		let key = flag.trim_start_matches("--").trim_end_matches(',');
		// --measure-boot is an action, not a setting.
		if ["config", "help", "version", "measure-boot"].contains(&key) {
			continue;
		}
		assert!(
			EXAMPLE.contains(&format!("{key} =")),
			"{key} is not documented in worker.example.toml"
		);
	}
}

#[test]
fn defaults_then_file_then_flags() {
	let config = resolve(&[], "").unwrap();
	assert_eq!(config.node, "ws://127.0.0.1:9944");
	assert_eq!(config.data_dir, PathBuf::from("/var/lib/tee-worker"));
	assert_eq!(config.log_format, LogFormat::Text);
	assert_eq!(config.mock_tee, MockTee::Tdx);
	assert!(config.services.is_empty());
	assert_eq!(config.key_protection.tpm, TpmMode::Auto);
	assert_eq!(config.key_protection.tcti, "device:/dev/tpmrm0");
	assert_eq!(config.key_protection.pcrs.to_string(), "4+7+9");
	let config = resolve(
		&["--tpm", "required", "--tpm-pcrs", "7+11"],
		"tpm = \"off\"\ntpm-tcti = \"swtpm:port=2321\"\ntpm-pcrs = [0, 7]\n",
	)
	.unwrap();
	assert_eq!(config.key_protection.tpm, TpmMode::Required);
	assert_eq!(config.key_protection.tcti, "swtpm:port=2321");
	assert_eq!(config.key_protection.pcrs.to_string(), "7+11");

	let file = "node = \"ws://10.0.0.1:9944\"\ntee = \"mock\"\nmock-tee = \"snp\"\n\
	            log-format = \"json\"\napi = \"127.0.0.1:9000\"\n";
	let config = resolve(&[], file).unwrap();
	assert_eq!(config.node, "ws://10.0.0.1:9944");
	assert_eq!(config.tee, TeeKind::Mock);
	assert_eq!(config.mock_tee, MockTee::Snp);
	assert_eq!(config.log_format, LogFormat::Json);
	assert_eq!(config.api.port(), 9000);

	let config = resolve(
		&[
			"--node",
			"wss://example.org",
			"--mock-tee",
			"tdx",
			"--api",
			"127.0.0.1:1",
		],
		file,
	)
	.unwrap();
	assert_eq!(config.node, "wss://example.org");
	assert_eq!(config.mock_tee, MockTee::Tdx);
	assert_eq!(config.api.port(), 1);
	assert_eq!(
		config.tee,
		TeeKind::Mock,
		"keys without a flag keep the file's value"
	);
}

#[test]
fn bad_values_name_their_key() {
	assert!(error(&[], "nod = \"ws://x\"").contains("unknown field `nod`"));
	let e = error(&[], "tee = \"sgx\"");
	assert!(e.contains("tee") && e.contains("sgx"), "{e}");
	let e = error(&[], "api = 8080");
	assert!(e.contains("api"), "{e}");
	let e = error(&[], "node = \"http://127.0.0.1:9944\"");
	assert!(e.starts_with("node:"), "{e}");
	let e = error(&[], "kds = \"kdsintf.amd.com\"");
	assert!(e.starts_with("kds:") && e.contains("not an http"), "{e}");
	let e = error(&[], "dev-funder = \"alice\"");
	assert!(e.starts_with("dev-funder:"), "{e}");
	let e = error(&[], "tee = \"mock\"\ndev-funder = \"mallory\"");
	assert!(e.starts_with("dev-funder:") && e.contains("mallory"), "{e}");
	let two = "[[service]]\nname = \"a\"\nderivation = \"/nix/store/a\"\npublic-key-file = \"k\"\n";
	let e = error(&[], &format!("{two}{two}"));
	assert!(e.starts_with("service[1].name:"), "{e}");
	let e = error(
		&[],
		"[[service]]\nname = \"a\"\nderivation = \"/nix/store/a\"\n",
	);
	assert!(e.contains("public-key-file"), "{e}");
	let e = error(
		&[],
		"[[service]]\nname = \"a\"\nderivation = \"/x\"\npublic-key-file = \"k\"\nport = 1\n",
	);
	assert!(e.contains("unknown field `port`"), "{e}");
	for (file, expect) in [
		("tpm = \"yes\"", "tpm"),
		("tpm-pcrs = [24]", "PCR 24 does not exist"),
		("tpm-pcrs = [7, 7]", "PCR 7 is given twice"),
		("tpm-pcrs = []", "no PCRs given"),
		("tpm-pcrs = \"7\"", "tpm-pcrs"),
		("tpm-tcti = \" \"", "tpm-tcti: is empty"),
	] {
		let e = error(&[], file);
		assert!(e.contains(expect), "{file}: {e}");
	}
	// The mock hardware's launch measurement: 96 hex digits, only for mock SNP evidence.
	let good = "ab".repeat(48);
	let e = error(
		&[],
		"tee = \"mock\"\nmock-tee = \"snp\"\nmock-measurement = \"zz\"",
	);
	assert!(
		e.starts_with("mock-measurement:") && e.contains("96 hex"),
		"{e}"
	);
	let e = error(&["--mock-measurement", &good], "tee = \"mock\"");
	assert!(
		e.starts_with("mock-measurement:") && e.contains("--mock-tee snp"),
		"{e}"
	);
	let e = error(&["--mock-measurement", &good], "");
	assert!(e.starts_with("mock-measurement:"), "{e}");
	let config = resolve(
		&[
			"--tee",
			"mock",
			"--mock-tee",
			"snp",
			"--mock-measurement",
			&good,
		],
		"",
	)
	.unwrap();
	assert_eq!(config.mock_measurement, Some([0xab; 48]));
	for bad in ["4,x", "", "4,,7", "99"] {
		let e = Cli::try_parse_from(["tee-worker", "--tpm-pcrs", bad]).unwrap_err();
		assert!(e.to_string().contains("--tpm-pcrs"), "{bad}: {e}");
	}
}

#[test]
fn service_keys_are_read_and_checked() {
	let dir = temp_dir("services");
	let key = k256::SecretKey::from_slice(&[3u8; 32]).unwrap();
	let public = hex::encode(key.public_key().to_sec1_bytes());
	fs::write(dir.join("echo.pub"), format!("{public}\n")).unwrap();
	// x = 5 is not on secp256k1 (5^3 + 7 is not a square mod p).
	fs::write(dir.join("bad.pub"), format!("02{}05", "00".repeat(31))).unwrap();
	let service = |name: &str, file: &str| {
		format!(
			"[[service]]\nname = \"{name}\"\nderivation = \"/nix/store/x-{name}\"\n\
			 public-key-file = \"{}\"\n",
			dir.join(file).display()
		)
	};
	let config = resolve(&[], &service("echo", "echo.pub")).unwrap();
	let services = Services::load(&config.services).unwrap();
	assert_eq!(services.services().len(), 1);
	assert_ne!(services.root(), Services::none().root());
	assert!(services.get("echo").is_some());

	let two = format!(
		"{}{}",
		service("echo", "echo.pub"),
		service("cpp", "missing.pub")
	);
	let config = resolve(&[], &two).unwrap();
	let e = Services::load(&config.services).unwrap_err();
	assert!(matches!(e, ServiceError::KeyFile { index: 1, .. }), "{e}");
	assert!(
		e.to_string().starts_with("service[1].public-key-file"),
		"{e}"
	);

	let config = resolve(&[], &service("echo", "bad.pub")).unwrap();
	let e = Services::load(&config.services).unwrap_err().to_string();
	assert!(e.contains("not a point on secp256k1"), "{e}");
	let _ = fs::remove_dir_all(&dir);
}

#[test]
fn binary_exits_2_naming_the_bad_key() {
	let dir = temp_dir("binary");
	let file = dir.join("worker.toml");
	fs::write(&file, "tee = \"mock\"\nlog-format = \"yaml\"\n").unwrap();
	let out = Command::new(env!("CARGO_BIN_EXE_tee-worker"))
		.arg("--config")
		.arg(&file)
		.output()
		.unwrap();
	assert_eq!(out.status.code(), Some(2));
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(
		err.contains("worker.toml") && err.contains("log-format"),
		"{err}"
	);

	let out = Command::new(env!("CARGO_BIN_EXE_tee-worker"))
		.args(["--config", "/nonexistent/worker.toml"])
		.output()
		.unwrap();
	assert_eq!(out.status.code(), Some(2));
	assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/worker.toml"));
	let _ = fs::remove_dir_all(&dir);
}
