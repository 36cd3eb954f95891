//! `attest event-log` on every case of `testvectors/eventlog/cases.json` (exit 0 when the
//! replay is the quote's or the expected RTMRs, 1 naming each differing register, 2 on a
//! malformed file), and `attest verify-evidence --event-log` on dev evidence.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::indexing_slicing
)]

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

fn json_of(out: &Output) -> Value {
	serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"))
}

fn temp_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("attest-eventlog-{name}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

#[test]
fn every_case_gives_its_expected_outcome() {
	let dir = vectors_dir().join("eventlog");
	let cases: Value =
		serde_json::from_slice(&std::fs::read(dir.join("cases.json")).unwrap()).unwrap();
	let mut checked = 0;
	for case in cases["cases"].as_array().unwrap() {
		let id = case["id"].as_str().unwrap();
		let case_dir = dir.join(case["dir"].as_str().unwrap());
		// dstack's JSON form holds the quote and the log: the log is converted, the quote
		// compared.
		let Some(log) = case["event_log"].as_str().or(case["dstack_json"].as_str()) else {
			panic!("{id}: no log")
		};
		let quote_inside = case.get("dstack_json").is_some();
		let log = case_dir.join(log).display().to_string();
		let quote = case["quote"]
			.as_str()
			.map(|q| case_dir.join(q).display().to_string());
		let mut args = vec!["--json", "event-log", "--log", &log];
		if let Some(q) = &quote {
			args.extend(["--quote", q]);
		}
		let out = attest(&args);
		let json = json_of(&out);
		let expect = &case["expect"];
		if let Some(rtmr) = expect.get("rtmr") {
			assert_eq!(&json["rtmr"], rtmr, "{id}");
		}
		assert!(!json["events"].as_array().unwrap().is_empty(), "{id}");
		let quote = quote.or(quote_inside.then(String::new));
		match (&quote, expect["replays"].as_bool().unwrap()) {
			(Some(_), true) => {
				assert_eq!(out.status.code(), Some(0), "{id}: {out:?}");
				assert_eq!(json["matches_quote"], true, "{id}");
				assert_eq!(json["mismatch"], serde_json::json!([]), "{id}");
			}
			(Some(_), false) => {
				assert_eq!(out.status.code(), Some(1), "{id}: {out:?}");
				assert_eq!(json["matches_quote"], false, "{id}");
				assert_eq!(json["mismatch"], expect["mismatch"], "{id}");
			}
			(None, _) => {
				assert_eq!(out.status.code(), Some(0), "{id}: {out:?}");
				assert_eq!(
					json["matches_quote"], false,
					"{id}: no quote, nothing matched"
				);
			}
		}
		checked += 1;
	}
	assert_eq!(checked, 9, "every case in cases.json");
}

#[test]
fn text_output_names_the_differing_registers_and_readable_payloads() {
	let dir = vectors_dir().join("eventlog/trustee");
	let log = dir.join("trustee-plain.bin").display().to_string();
	let quote = dir.join("quote4.bin").display().to_string();
	let out = attest(&["event-log", "--log", &log, "--quote", &quote]);
	assert_eq!(out.status.code(), Some(1), "{out:?}");
	let text = String::from_utf8_lossy(&out.stdout);
	assert!(text.contains("MISMATCH: rtmr0, rtmr1"), "{text}");
	assert!(text.contains("rtmr2") && text.contains("= quote"), "{text}");
	// The Alibaba log's runtime events (EV_EVENT_TAG in RTMR3) are shown with their text.
	let aael = dir.join("trustee-alibaba-aael.bin").display().to_string();
	let out = attest(&["event-log", "--log", &aael]);
	assert_eq!(out.status.code(), Some(0), "{out:?}");
	let text = String::from_utf8_lossy(&out.stdout);
	assert!(text.contains("EV_EVENT_TAG"), "{text}");
	assert!(
		text.contains("coco.com some-operation some-content"),
		"{text}"
	);
	assert!(text.contains("variable SecureBoot"), "{text}");
}

#[test]
fn malformed_files_exit_2_naming_the_problem() {
	let dir = temp_dir("bad");
	let gce = vectors_dir().join("eventlog/gce-cos113");
	let log = std::fs::read(gce.join("ccel.bin")).unwrap();
	// Truncated inside an event (the log ends at 18101 bytes; cut 3 bytes before that).
	let cut = dir.join("cut.bin");
	std::fs::write(&cut, &log[..18098]).unwrap();
	let quote = gce.join("quote.bin").display().to_string();
	for (file, needle) in [
		(cut.display().to_string(), "runs past the end"),
		("/nonexistent/log".to_string(), "/nonexistent/log"),
		(quote.clone(), "Spec ID"),
	] {
		let out = attest(&["event-log", "--log", &file]);
		assert_eq!(out.status.code(), Some(2), "{file}: {out:?}");
		let err = String::from_utf8_lossy(&out.stderr);
		assert!(err.contains(needle), "{file}: {err}");
	}
	// A quote that is not a quote.
	let log_path = gce.join("ccel.bin").display().to_string();
	let out = attest(&["event-log", "--log", &log_path, "--quote", &log_path]);
	assert_eq!(out.status.code(), Some(2), "{out:?}");
	assert!(String::from_utf8_lossy(&out.stderr).contains("not a TDX quote"));
	let _ = std::fs::remove_dir_all(&dir);
}

/// Dev evidence with its log through `verify-evidence --event-log`: accepted, the events
/// shown; the log of another boot: rejected, naming RTMR3.
#[test]
fn verify_evidence_replays_the_event_log_against_the_verified_quote() {
	use tee_verifier::{Evidence, Tee};
	let dir = temp_dir("verify");
	let roots = mock_tee::DevRoots::dev().unwrap();
	let now = 1_767_225_600u64;
	std::fs::create_dir_all(dir.join("roots/intel")).unwrap();
	std::fs::write(
		dir.join("roots/intel/sgx_root_ca.der"),
		roots.intel_root_ca_der(),
	)
	.unwrap();
	let collateral = roots.tdx_collateral(now, &Default::default()).unwrap();
	std::fs::write(dir.join("collateral.json"), collateral.to_json()).unwrap();
	let Evidence::TdxWithEventLog { quote, event_log } =
		roots.mint_dev_image_evidence(Tee::Tdx, [7; 64]).unwrap()
	else {
		panic!()
	};
	std::fs::write(dir.join("quote.bin"), quote.as_slice()).unwrap();
	std::fs::write(dir.join("log.bin"), event_log.as_slice()).unwrap();
	let other = mock_tee::dev_image::event_log(b"/nix/store/x-other-system", &[]).unwrap();
	std::fs::write(dir.join("other.bin"), other).unwrap();
	let path = |f: &str| dir.join(f).display().to_string();
	let now = now.to_string();
	let run = |log: &str| {
		attest(&[
			"--json",
			"verify-evidence",
			"--quote",
			&path("quote.bin"),
			"--collateral",
			&path("collateral.json"),
			"--event-log",
			&path(log),
			"--roots",
			&path("roots"),
			"--now",
			&now,
		])
	};
	let out = run("log.bin");
	assert_eq!(out.status.code(), Some(0), "{out:?}");
	let json = json_of(&out);
	assert_eq!(json["accepted"], true);
	let system = mock_tee::dev_image::SYSTEM_PATH;
	assert_eq!(
		json["claims"]["measured_system_hash"],
		hex::encode(tee_verifier::system_hash(system.as_bytes()))
	);
	let events = json["events"].as_array().unwrap();
	assert_eq!(
		events.last().unwrap()["payload"],
		format!("system {system}")
	);
	assert_eq!(events.last().unwrap()["register"], "rtmr3");

	let out = run("other.bin");
	assert_eq!(out.status.code(), Some(1), "{out:?}");
	let json = json_of(&out);
	assert_eq!(json["verifies"], false);
	assert!(json["reason"].as_str().unwrap().contains("rtmr3"), "{json}");
	let _ = std::fs::remove_dir_all(&dir);
}
