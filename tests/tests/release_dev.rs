//! A release made from an image, end to end on a dev node: `attest measure snp` on the
//! image's files, `attest release propose` (Sudo-wrapped `add_release`), a mock SEV-SNP
//! worker whose hardware reports that launch measurement registers against the new release,
//! `attest release show` prints what was proposed, `attest release check --image` passes on
//! the same image and names `snp_measurement` when the image's command line changes. Bad
//! release files are exit 2 before the network; a signer that is not sudo is exit 1.
#![allow(clippy::arithmetic_side_effects)]

use std::{
	path::{Path, PathBuf},
	process::Output,
	time::{Duration, Instant},
};

use e2e_tests::{
	output_text as text,
	subxt::{OnlineClient, PolkadotConfig},
	Node, WorkerProcess,
};
use pallet_attestation::WorkerStatus;
use tee_worker::keys::WorkerKeys;

fn attest(node: &str, args: &[&str]) -> Output {
	e2e_tests::attest(node, args).expect("run attest")
}

fn vectors() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors")
}

fn json(out: &Output) -> serde_json::Value {
	assert_eq!(out.status.code(), Some(0), "{}", text(out));
	serde_json::from_slice(&out.stdout).expect("json")
}

/// The image directory: the AmdSev OVMF (its footer and metadata) and a kernel, with the
/// release file `attest measure snp` gives for them (recipe included).
fn make_image(dir: &Path, node: &str, cmdline: &str) -> serde_json::Value {
	std::fs::create_dir_all(dir).expect("image dir");
	std::fs::copy(
		vectors().join("snp-measure/ovmf_AmdSev_suffix.bin"),
		dir.join("ovmf-snp.fd"),
	)
	.expect("firmware");
	std::fs::copy(vectors().join("tdx-measure/bzImage"), dir.join("kernel")).expect("kernel");
	let measured = json(&attest(
		node,
		&[
			"--json",
			"measure",
			"snp",
			"--firmware",
			dir.join("ovmf-snp.fd").to_str().expect("path"),
			"--kernel",
			dir.join("kernel").to_str().expect("path"),
			"--cmdline",
			cmdline,
			"--vcpus",
			"2",
			"--vcpu-type",
			"EPYC-v4",
		],
	));
	let system = mock_tee::dev_image::SYSTEM_PATH;
	let release = serde_json::json!({
		"name": "echo-vm measured (e2e)",
		"snp_measurement": measured["measurement"],
		"system_hashes": [hex::encode(tee_verifier::binding::system_hash(system.as_bytes()))],
		"inputs": {
			"system_path": system,
			"kernel": "kernel",
			"cmdline": cmdline,
			"snp": { "firmware": "ovmf-snp.fd", "vcpus": 2, "vcpu_type": "EPYC-v4", "guest_features": "0x1" }
		}
	});
	std::fs::write(
		dir.join("release.json"),
		serde_json::to_string_pretty(&release).expect("json"),
	)
	.expect("write release");
	release
}

#[tokio::test]
async fn a_release_measured_from_its_image_is_proposed_used_and_checked() {
	let mut node = Node::start("release", &["--dev"]).expect("start node");
	node.rpc(Duration::from_secs(120)).await.expect("rpc up");
	let url = node.ws_url();
	let work = WorkerProcess::data_dir("release-image").expect("dir");
	let image = work.path().join("image");
	let release = make_image(&image, &url, "console=ttyS0 quiet");
	let file = image.join("release.json");
	let file_arg = file.to_str().expect("path");

	// Bad files: exit 2 naming the field, before any transaction.
	let bad = work.path().join("bad.json");
	std::fs::write(
		&bad,
		std::fs::read_to_string(&file)
			.expect("read")
			.replace("\"snp_measurement\": \"", "\"snp_measurement\": \"00"),
	)
	.expect("write");
	let out = attest(
		&url,
		&[
			"release",
			"propose",
			bad.to_str().expect("path"),
			"--dev-key",
			"alice",
		],
	);
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	assert!(text(&out).contains("snp_measurement"), "{}", text(&out));

	// Bob is not the sudo key: the chain refuses (exit 1) and nothing is added.
	let out = attest(&url, &["release", "propose", file_arg, "--dev-key", "bob"]);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	let releases = json(&attest(&url, &["--json", "releases"]));
	assert_eq!(releases.as_array().map(Vec::len), Some(1), "{releases}");

	// The call for another governance path: Attestation.add_release, SCALE, hex.
	let out = attest(&url, &["release", "propose", file_arg, "--call-data"]);
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	assert!(String::from_utf8_lossy(&out.stdout)
		.trim()
		.starts_with("0x"));

	// Alice (sudo) adds it as release 1 (the dev genesis has release 0).
	let out = attest(
		&url,
		&[
			"--json",
			"release",
			"propose",
			file_arg,
			"--dev-key",
			"alice",
		],
	);
	let proposed = json(&out);
	assert_eq!(proposed["proposed"], true, "{proposed}");
	assert_eq!(proposed["id"], 1, "{proposed}");
	let shown = json(&attest(&url, &["--json", "release", "show", "1"]));
	for key in ["name", "snp_measurement", "system_hashes"] {
		assert_eq!(shown[key], release[key], "{key}: {shown}");
	}
	assert!(shown.get("inputs").is_none());
	let out = attest(&url, &["release", "show", "7"]);
	assert_ne!(out.status.code(), Some(0), "{}", text(&out));
	assert!(text(&out).contains("release 7"), "{}", text(&out));

	// A mock SNP worker whose (mock) hardware reports the image's launch measurement
	// registers against release 1.
	let api = OnlineClient::<PolkadotConfig>::from_insecure_url(&url)
		.await
		.expect("client");
	let dir = WorkerProcess::data_dir("release-worker").expect("data dir");
	let account = WorkerKeys::load_or_generate(&dir.path().join("data"))
		.expect("keys")
		.account_id();
	let measurement = release["snp_measurement"]
		.as_str()
		.expect("hex")
		.to_string();
	let worker = WorkerProcess::start(
		dir,
		&[
			"--node",
			&url,
			"--tee",
			"mock",
			"--mock-tee",
			"snp",
			"--mock-measurement",
			&measurement,
			"--dev-funder",
			"bob",
		],
	)
	.expect("start worker");
	let start = Instant::now();
	let info = loop {
		let record = e2e_tests::worker_record(&api, account)
			.await
			.expect("record");
		if let Some(info) = record.filter(|w| w.status == WorkerStatus::Active) {
			break info;
		}
		assert!(
			start.elapsed() < Duration::from_secs(90),
			"not registered:\n{}",
			worker.log()
		);
		tokio::time::sleep(Duration::from_secs(1)).await;
	};
	assert_eq!(info.release, 1, "registered against {}", info.release);

	// Bob rebuilds the image and checks the release against it: every field matches.
	let checked = json(&attest(
		&url,
		&[
			"--json",
			"release",
			"check",
			"1",
			"--image",
			image.to_str().expect("path"),
		],
	));
	assert_eq!(checked["matches"], true, "{checked}");
	let verdicts: Vec<(String, String)> = checked["fields"]
		.as_array()
		.expect("fields")
		.iter()
		.map(|f| {
			(
				f["field"].as_str().unwrap_or_default().to_string(),
				f["verdict"].as_str().unwrap_or_default().to_string(),
			)
		})
		.collect();
	assert!(
		verdicts.contains(&("snp_measurement".into(), "match".into())),
		"{verdicts:?}"
	);
	assert!(
		verdicts.contains(&("system_hashes".into(), "match".into())),
		"{verdicts:?}"
	);

	// An image built with another command line is not release 1, and check says where.
	let changed = work.path().join("changed");
	make_image(&changed, &url, "console=ttyS0 quiet init=/bin/sh");
	let out = attest(
		&url,
		&[
			"release",
			"check",
			"1",
			"--image",
			changed.to_str().expect("path"),
		],
	);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	let stdout = String::from_utf8_lossy(&out.stdout);
	assert!(stdout.contains("snp_measurement differs"), "{stdout}");
	assert!(stdout.contains("NOT this image"), "{stdout}");
	drop(worker);
}
