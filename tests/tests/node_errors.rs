//! Bad input makes the node exit at once with a clear message and a non-zero status.

use std::{net::TcpListener, time::Duration};

use e2e_tests::run_to_exit;

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn unknown_flag_is_refused() {
	let exit = run_to_exit(&["--dev", "--no-such-flag"], LIMIT).expect("node exits");
	assert!(!exit.status.success());
	assert!(
		exit.output.contains("unexpected argument '--no-such-flag'"),
		"{}",
		exit.output
	);
}

#[test]
fn occupied_rpc_port_is_a_startup_error() {
	let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
	let port = taken.local_addr().expect("addr").port().to_string();
	let exit = run_to_exit(
		&[
			"--dev",
			"--rpc-port",
			&port,
			"--no-prometheus",
			"--listen-addr",
			"/ip4/127.0.0.1/tcp/0",
		],
		LIMIT,
	)
	.expect("node exits instead of moving to another port");
	assert!(!exit.status.success());
	assert!(
		exit.output.contains("Address already in use") || exit.output.contains("address in use"),
		"{}",
		exit.output
	);
	drop(taken);
}

#[test]
fn corrupt_chain_spec_is_refused() {
	let dir = std::env::temp_dir().join(format!("corrupt-spec-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("dir");
	let spec = dir.join("spec.json");
	std::fs::write(&spec, "{ \"name\": \"half a chain spec\", ").expect("write");
	let exit =
		run_to_exit(&["--chain", spec.to_str().expect("utf-8 path")], LIMIT).expect("node exits");
	let _ = std::fs::remove_dir_all(&dir);
	assert!(!exit.status.success());
	assert!(
		exit.output.contains("cannot load chain spec"),
		"{}",
		exit.output
	);
}
