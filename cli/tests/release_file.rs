//! The release file and `attest release check`'s comparison, without a chain: a file round
//! trips to the chain's `Release` and back; bad fields are errors naming the field; an image
//! directory recomputed from its recipe matches the release made from it, and a changed
//! command line, firmware, vCPU count or system path is named as the field that differs.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use attest::release::{check, ReleaseFile, Verdict, RELEASE_FILE};

fn vectors() -> PathBuf {
	match std::env::var_os("TEE_TESTVECTORS") {
		Some(dir) => PathBuf::from(dir),
		None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors"),
	}
}

/// An image directory: the AmdSev OVMF footer (SNP), Debian's OVMF (TDX), the dummy
/// bzImage and initrd, and a release.json whose measurements are computed from them.
fn image_dir(name: &str, cmdline: &str) -> (PathBuf, ReleaseFile) {
	let dir = std::env::temp_dir().join(format!("attest-release-{name}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	std::fs::copy(
		vectors().join("snp-measure/ovmf_AmdSev_suffix.bin"),
		dir.join("ovmf-snp.fd"),
	)
	.unwrap();
	std::fs::copy("/usr/share/ovmf/OVMF.fd", dir.join("tdvf.fd")).unwrap();
	std::fs::copy(vectors().join("tdx-measure/bzImage"), dir.join("kernel")).unwrap();
	std::fs::copy(vectors().join("tdx-measure/initrd.img"), dir.join("initrd")).unwrap();
	let recipe = serde_json::json!({
		"system_path": "/nix/store/00000000000000000000000000000000-test-system",
		"kernel": "kernel",
		"initrd": "initrd",
		"cmdline": cmdline,
		"snp": { "firmware": "ovmf-snp.fd", "vcpus": 2, "vcpu_type": "EPYC-v4", "guest_features": "0x1" },
		"tdx": { "firmware": "tdvf.fd", "vcpus": 2, "memory_mib": 2048 }
	});
	let inputs: attest::release::Inputs = serde_json::from_value(recipe).unwrap();
	let snp = attest::measure::snp(&attest::measure::SnpInputs {
		firmware: dir.join("ovmf-snp.fd"),
		kernel: Some(dir.join("kernel")),
		initrd: Some(dir.join("initrd")),
		cmdline: Some(cmdline.into()),
		vcpus: 2,
		vcpu_type: "EPYC-v4".into(),
		guest_features: 1,
	})
	.unwrap();
	let tdx = attest::measure::tdx::measure(&attest::measure::tdx::TdxInputs {
		firmware: dir.join("tdvf.fd"),
		kernel: Some(dir.join("kernel")),
		initrd: Some(dir.join("initrd")),
		cmdline: Some(cmdline.into()),
		vcpus: Some(2),
		memory_mib: Some(2048),
		page_order: Default::default(),
	})
	.unwrap();
	let file = ReleaseFile {
		name: format!("test {name}"),
		tdx: Some(attest::release::TdxFile {
			mrtd: hex::encode(tdx.mrtd),
			// A reference value (from an event log in a real release).
			rtmr0: "11".repeat(48),
			rtmr1: hex::encode(tdx.rtmr1.unwrap()),
			rtmr2: hex::encode(tdx.rtmr2.unwrap()),
		}),
		snp_measurement: Some(hex::encode(snp)),
		system_hashes: vec![hex::encode(tee_verifier::binding::system_hash(
			inputs.system_path.as_bytes(),
		))],
		inputs: Some(inputs),
		..Default::default()
	};
	std::fs::write(
		dir.join(RELEASE_FILE),
		serde_json::to_string_pretty(&file).unwrap(),
	)
	.unwrap();
	(dir, file)
}

fn verdict(fields: &[attest::release::FieldCheck], field: &str) -> Verdict {
	fields
		.iter()
		.find(|f| f.field == field)
		.unwrap_or_else(|| panic!("no field {field}: {fields:?}"))
		.verdict
}

#[test]
fn release_file_round_trips_and_names_bad_fields() {
	let (dir, file) = image_dir("roundtrip", "console=ttyS0");
	let chain = file.to_chain().unwrap();
	let back = ReleaseFile::from_chain(&chain);
	assert_eq!(back.to_chain().unwrap(), chain);
	assert_eq!(back.name, file.name);
	assert!(back.inputs.is_none());
	let text = std::fs::read_to_string(dir.join(RELEASE_FILE)).unwrap();
	for (from, to, needle) in [
		(
			"\"snp_measurement\": \"",
			"\"snp_measurement\": \"zz",
			"snp_measurement",
		),
		("\"mrtd\": \"", "\"mrtd\": \"00", "tdx.mrtd"),
		(
			"\"system_hashes\": [",
			"\"system_hashes\": [\"abcd\",",
			"system_hashes[0]",
		),
		("\"name\"", "\"nmae\"", "nmae"),
	] {
		let bad = dir.join("bad.json");
		std::fs::write(&bad, text.replacen(from, to, 1)).unwrap();
		let err = ReleaseFile::read(&bad).unwrap_err().to_string();
		assert!(err.contains(needle), "wanted `{needle}`: {err}");
	}
	let mut empty = file.clone();
	empty.system_hashes.clear();
	assert!(empty.to_chain().unwrap_err().contains("system_hashes"));
	let mut none = file;
	none.tdx = None;
	none.snp_measurement = None;
	assert!(none
		.to_chain()
		.unwrap_err()
		.contains("tdx or snp_measurement"));
	let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_matches_its_own_image_and_names_what_differs() {
	let (dir, file) = image_dir("check", "console=ttyS0 quiet");
	let chain = file.to_chain().unwrap();
	let fields = check(&chain, &dir).unwrap();
	for f in [
		"system_hashes",
		"snp_measurement",
		"tdx.mrtd",
		"tdx.rtmr1",
		"tdx.rtmr2",
	] {
		assert_eq!(verdict(&fields, f), Verdict::Match, "{f}: {fields:?}");
	}
	// RTMR0 is a reference value: reported, never counted as matched.
	assert_eq!(verdict(&fields, "tdx.rtmr0"), Verdict::NotRecomputed);

	// The same image with another command line: SNP measurement and RTMR2 differ.
	let (other, _) = image_dir("check-cmdline", "console=ttyS0 quiet init=/bin/sh");
	let fields = check(&chain, &other).unwrap();
	assert_eq!(verdict(&fields, "snp_measurement"), Verdict::Differs);
	assert_eq!(verdict(&fields, "tdx.rtmr2"), Verdict::Differs);
	assert_eq!(verdict(&fields, "tdx.mrtd"), Verdict::Match);
	assert_eq!(verdict(&fields, "tdx.rtmr1"), Verdict::Match);

	// Another vCPU count, system path and TDX firmware, each named.
	let text = std::fs::read_to_string(dir.join(RELEASE_FILE)).unwrap();
	std::fs::write(
		other.join(RELEASE_FILE),
		text.replace(
			"\"vcpus\": 2,\n      \"vcpu_type\"",
			"\"vcpus\": 4,\n      \"vcpu_type\"",
		)
		.replace("-test-system", "-evil-system")
		.replace("\"firmware\": \"tdvf.fd\"", "\"firmware\": \"ovmf-snp.fd\""),
	)
	.unwrap();
	let err = check(&chain, &other).unwrap_err().to_string();
	assert!(
		err.contains("ovmf-snp.fd") && err.contains("past the end"),
		"{err}"
	);
	std::fs::write(
		other.join(RELEASE_FILE),
		text.replace(
			"\"vcpus\": 2,\n      \"vcpu_type\"",
			"\"vcpus\": 4,\n      \"vcpu_type\"",
		)
		.replace("-test-system", "-evil-system"),
	)
	.unwrap();
	let fields = check(&chain, &dir).unwrap();
	assert_eq!(verdict(&fields, "snp_measurement"), Verdict::Match);
	let fields = check(&chain, &other).unwrap();
	assert_eq!(verdict(&fields, "system_hashes"), Verdict::Differs);
	assert_eq!(verdict(&fields, "snp_measurement"), Verdict::Differs);

	// A missing file of the recipe is a clear error.
	std::fs::remove_file(other.join("kernel")).unwrap();
	let err = check(&chain, &other).unwrap_err().to_string();
	assert!(err.contains("inputs.kernel"), "{err}");
	let _ = std::fs::remove_dir_all(&dir);
	let _ = std::fs::remove_dir_all(&other);
}
