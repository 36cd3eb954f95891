//! The worker's keys persist and are never silently replaced; the command line explains itself
//! and refuses what this build cannot do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{fs, os::unix::fs::PermissionsExt, path::PathBuf, process::Command};

use tee_worker::keys::{KeyError, WorkerKeys};

fn temp_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("tee-worker-test-{name}-{}", std::process::id()));
	let _ = fs::remove_dir_all(&dir);
	dir
}

#[test]
fn keys_are_generated_once_persisted_private_and_reloaded() {
	let dir = temp_dir("persist");
	let first = WorkerKeys::load_or_generate(&dir).unwrap();
	for file in ["account.key", "x25519.key"] {
		let mode = fs::metadata(dir.join(file)).unwrap().permissions().mode() & 0o777;
		assert_eq!(mode, 0o600, "{file}");
	}
	assert_eq!(
		fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
		0o700
	);
	let again = WorkerKeys::load_or_generate(&dir).unwrap();
	assert_eq!(first.account_id(), again.account_id());
	assert_eq!(first.x25519_public(), again.x25519_public());
	let other = WorkerKeys::load_or_generate(&temp_dir("other")).unwrap();
	assert_ne!(first.account_id(), other.account_id());
	// Debug shows public parts only.
	let shown = format!("{first:?}");
	let secret = fs::read_to_string(dir.join("account.key")).unwrap();
	assert!(!shown.contains(secret.trim()), "{shown}");
	let _ = fs::remove_dir_all(&dir);
}

#[test]
fn refuses_readable_or_malformed_key_files_instead_of_replacing_them() {
	let dir = temp_dir("refuse");
	WorkerKeys::load_or_generate(&dir).unwrap();
	let key = dir.join("account.key");
	let before = fs::read(&key).unwrap();

	fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
	let err = WorkerKeys::load_or_generate(&dir).unwrap_err();
	assert!(matches!(err, KeyError::Permissions(_, 0o644)), "{err}");

	fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();
	fs::write(&key, "not hex").unwrap();
	let err = WorkerKeys::load_or_generate(&dir).unwrap_err();
	assert!(matches!(err, KeyError::Malformed(_)), "{err}");
	assert_eq!(
		fs::read(&key).unwrap(),
		b"not hex",
		"the bad file is left for the operator"
	);
	assert_ne!(before, b"not hex");
	let _ = fs::remove_dir_all(&dir);
}

#[test]
fn help_lists_the_options() {
	let out = Command::new(env!("CARGO_BIN_EXE_tee-worker"))
		.arg("--help")
		.output()
		.unwrap();
	assert!(out.status.success());
	let help = String::from_utf8(out.stdout).unwrap();
	for option in [
		"--node",
		"--tee",
		"--mock-tee",
		"--data-dir",
		"--api",
		"--system-path",
		"--log-format",
		"--config",
		"--configfs-tsm",
	] {
		assert!(help.contains(option), "{option} missing from:\n{help}");
	}
}

#[test]
fn missing_tee_hardware_is_a_clear_error() {
	// This machine is not a confidential VM: point the configfs-tsm root somewhere empty.
	let dir = temp_dir("provider");
	for (tee, expected) in [
		("tdx", "--tee tdx: /nonexistent/tsm/report does not exist"),
		("auto", "no TEE interface found"),
	] {
		let out = Command::new(env!("CARGO_BIN_EXE_tee-worker"))
			.args([
				"--tee",
				tee,
				"--node",
				"ws://127.0.0.1:1",
				"--api",
				"127.0.0.1:0",
			])
			.args(["--configfs-tsm", "/nonexistent/tsm/report", "--data-dir"])
			.arg(&dir)
			.output()
			.unwrap();
		assert_eq!(out.status.code(), Some(1), "{tee}: {out:?}");
		let text = String::from_utf8_lossy(&out.stdout).to_string()
			+ &String::from_utf8_lossy(&out.stderr);
		assert!(text.contains(expected), "{tee}: {text}");
		assert!(text.contains("--tee mock") || tee == "tdx", "{text}");
	}
	let _ = fs::remove_dir_all(&dir);
}

#[test]
fn bad_arguments_exit_non_zero_naming_the_option() {
	let out = Command::new(env!("CARGO_BIN_EXE_tee-worker"))
		.args(["--api", "not-an-address"])
		.output()
		.unwrap();
	assert_eq!(out.status.code(), Some(2));
	assert!(String::from_utf8_lossy(&out.stderr).contains("--api"));
}

#[test]
fn dev_funder_needs_the_mock_provider() {
	let out = Command::new(env!("CARGO_BIN_EXE_tee-worker"))
		.args(["--tee", "auto", "--dev-funder", "alice"])
		.output()
		.unwrap();
	assert_eq!(out.status.code(), Some(2));
	assert!(
		String::from_utf8_lossy(&out.stderr).contains("dev-funder: is for the dev chain"),
		"{out:?}"
	);
}
