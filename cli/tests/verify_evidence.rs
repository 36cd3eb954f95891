//! `attest verify-evidence` on every case of the test vectors (`$TEE_TESTVECTORS`, default the
//! repository's `testvectors/`), with the built-in real roots and the default policy: exit 0
//! exactly for the accepted cases, 1 for the others, and the reason printed; bad input is 2.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
	path::{Path, PathBuf},
	process::{Command, Output},
};

use serde_json::Value;

fn vectors_dir() -> PathBuf {
	match std::env::var_os("TEE_TESTVECTORS") {
		Some(dir) => PathBuf::from(dir),
		None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors"),
	}
}

fn attest(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_attest"))
		.args(args)
		.output()
		.unwrap()
}

fn case_args(dir: &Path, case: &Value) -> Vec<String> {
	let case_dir = dir.join(case["dir"].as_str().unwrap());
	let file = |k: &str| {
		case_dir
			.join(case[k].as_str().unwrap())
			.display()
			.to_string()
	};
	let mut args = vec!["verify-evidence".to_string()];
	match case["kind"].as_str().unwrap() {
		"tdx" => args.extend([
			"--quote".into(),
			file("quote"),
			"--collateral".into(),
			file("collateral"),
		]),
		"snp" => args.extend([
			"--report".into(),
			file("report"),
			"--vek".into(),
			file("vek"),
			"--chain".into(),
			file("chain"),
		]),
		other => panic!("unknown kind {other}"),
	}
	args.extend(["--now".into(), case["now"].as_u64().unwrap().to_string()]);
	args
}

#[test]
fn every_vector_gives_its_expected_outcome_with_the_built_in_roots() {
	let dir = vectors_dir();
	let cases: Value =
		serde_json::from_slice(&std::fs::read(dir.join("cases.json")).unwrap()).unwrap();
	let cases = cases["cases"].as_array().unwrap();
	assert!(cases.len() >= 13);
	for case in cases {
		let id = case["id"].as_str().unwrap();
		let args = case_args(&dir, case);
		let args: Vec<&str> = args.iter().map(String::as_str).collect();
		let accepted = case["expect"]["accepted"].as_bool().unwrap();
		let out = attest(&args);
		let stdout = String::from_utf8_lossy(&out.stdout);
		assert_eq!(
			out.status.code(),
			Some(if accepted { 0 } else { 1 }),
			"{id}: {stdout}{}",
			String::from_utf8_lossy(&out.stderr)
		);
		if accepted {
			assert!(stdout.contains("ACCEPTED"), "{id}: {stdout}");
		} else {
			assert!(stdout.contains("REJECTED: "), "{id}: {stdout}");
		}
		// The JSON form agrees, with the claims the vectors pin.
		let mut json_args = args.clone();
		json_args.insert(0, "--json");
		let out = attest(&json_args);
		let v: Value = serde_json::from_slice(&out.stdout).unwrap();
		assert_eq!(v["accepted"], accepted, "{id}: {v}");
		if let Some(status) = case["expect"].get("tcb_status") {
			assert_eq!(&v["claims"]["tcb_status"], status, "{id}: {v}");
		}
		if let Some(vmpl) = case["expect"].get("vmpl") {
			assert_eq!(&v["claims"]["vmpl"], vmpl, "{id}: {v}");
		}
	}
}

#[test]
fn other_roots_and_bad_input() {
	let dir = vectors_dir();
	let case = dir.join("tdx/tdx-v4-uptodate");
	let quote = case.join("quote.bin").display().to_string();
	let collateral = case.join("collateral.json").display().to_string();
	let now = "1752919234";
	// --roots with the same real roots: accepted.
	let roots = dir.join("roots").display().to_string();
	let out = attest(&[
		"verify-evidence",
		"--quote",
		&quote,
		"--collateral",
		&collateral,
		"--now",
		now,
		"--roots",
		&roots,
	]);
	assert_eq!(out.status.code(), Some(0), "{out:?}");
	// The mock-tee dev roots do not anchor a real quote: rejected (1), with the reason.
	let dev_roots = std::env::temp_dir().join(format!("attest-dev-roots-{}", std::process::id()));
	std::fs::create_dir_all(dev_roots.join("intel")).unwrap();
	let dev = mock_tee_root();
	std::fs::write(dev_roots.join("intel/sgx_root_ca.der"), dev).unwrap();
	let out = attest(&[
		"verify-evidence",
		"--quote",
		&quote,
		"--collateral",
		&collateral,
		"--now",
		now,
		"--roots",
		dev_roots.to_str().unwrap(),
	]);
	assert_eq!(out.status.code(), Some(1), "{out:?}");
	let _ = std::fs::remove_dir_all(&dev_roots);
	// Missing files, garbage and contradictory options: 2, naming the problem.
	for (args, needle) in [
		(
			vec![
				"verify-evidence",
				"--quote",
				"/nonexistent",
				"--collateral",
				&collateral,
			],
			"/nonexistent",
		),
		(
			vec!["verify-evidence", "--quote", &quote, "--collateral", &quote],
			"collateral",
		),
		(vec!["verify-evidence"], "give --quote and --collateral"),
		(
			vec![
				"verify-evidence",
				"--quote",
				&quote,
				"--collateral",
				&collateral,
				"--roots",
				"/nonexistent",
			],
			"no intel",
		),
	] {
		let out = attest(&args);
		assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
		let err = String::from_utf8_lossy(&out.stderr);
		assert!(err.contains(needle), "{args:?}: {err}");
	}
	// An SNP chain that is not the trusted roots' (here the mock-tee dev ARK and ASK) is
	// refused, not ignored.
	let snp = dir.join("snp/snp-milan-v2");
	let amd = mock_tee::DevRoots::dev()
		.unwrap()
		.amd_roots(mock_tee::AmdProduct::Milan)
		.unwrap();
	let chain = std::env::temp_dir().join(format!("attest-chain-{}.pem", std::process::id()));
	std::fs::write(
		&chain,
		pem::encode_many(&[
			pem::Pem::new("CERTIFICATE", amd.ask),
			pem::Pem::new("CERTIFICATE", amd.ark),
		]),
	)
	.unwrap();
	let out = attest(&[
		"verify-evidence",
		"--report",
		snp.join("report.bin").to_str().unwrap(),
		"--vek",
		snp.join("vek.der").to_str().unwrap(),
		"--chain",
		chain.to_str().unwrap(),
	]);
	assert_eq!(out.status.code(), Some(2), "{out:?}");
	assert!(String::from_utf8_lossy(&out.stderr).contains("not those of the trusted roots"));
	let _ = std::fs::remove_file(&chain);
}

fn mock_tee_root() -> Vec<u8> {
	mock_tee::DevRoots::dev()
		.unwrap()
		.intel_root_ca_der()
		.to_vec()
}
