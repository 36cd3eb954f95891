//! `attest measure snp` equals the independent Python implementation `sev-snp-measure`
//! (PyPI 0.0.13, installed by scripts/setup.sh in /opt/tee-attest-tools/sev-snp-measure, or
//! `$SEV_SNP_MEASURE`) byte for byte, on the AmdSev and OvmfX64 OVMF footers of
//! `testvectors/snp-measure/` and on Debian's whole OVMF.fd, for many vCPU counts and types,
//! guest features, kernels, initrds and command lines; firmware without a kernel-hashes
//! section refuses a kernel in both.
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

fn vectors() -> PathBuf {
	match std::env::var_os("TEE_TESTVECTORS") {
		Some(dir) => PathBuf::from(dir),
		None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors"),
	}
	.join("snp-measure")
}

fn reference_tool() -> PathBuf {
	let tool = std::env::var_os("SEV_SNP_MEASURE").map_or_else(
		|| PathBuf::from("/opt/tee-attest-tools/sev-snp-measure/bin/sev-snp-measure"),
		PathBuf::from,
	);
	assert!(
		tool.exists(),
		"{} missing: run scripts/setup.sh",
		tool.display()
	);
	tool
}

fn run(cmd: &mut Command) -> Output {
	cmd.output().unwrap()
}

/// One case: `attest measure snp` and `sev-snp-measure --mode snp` on the same inputs.
fn both(firmware: &Path, extra: &[(&str, String)]) -> (Output, Output) {
	let mut ours = Command::new(env!("CARGO_BIN_EXE_attest"));
	ours.args(["--json", "measure", "snp", "--firmware"])
		.arg(firmware);
	let mut theirs = Command::new(reference_tool());
	theirs.args(["--mode", "snp", "--ovmf"]).arg(firmware);
	for (flag, value) in extra {
		ours.arg(flag).arg(value);
		let flag = if *flag == "--cmdline" {
			"--append"
		} else {
			flag
		};
		theirs.arg(flag).arg(value);
	}
	(run(&mut ours), run(&mut theirs))
}

fn measurement(ours: &Output) -> String {
	assert_eq!(ours.status.code(), Some(0), "{ours:?}");
	let v: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap();
	v["measurement"].as_str().unwrap().to_string()
}

#[test]
fn equals_sev_snp_measure_byte_for_byte() {
	let dir = std::env::temp_dir().join(format!("attest-measure-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	// Stand-ins for a UKI and an initrd: only their SHA-256 enters the kernel-hashes table.
	let kernel = dir.join("kernel");
	let initrd = dir.join("initrd");
	std::fs::write(
		&kernel,
		(0..300_000u32).map(|i| (i * 7) as u8).collect::<Vec<_>>(),
	)
	.unwrap();
	std::fs::write(&initrd, b"initrd contents").unwrap();
	let amdsev = vectors().join("ovmf_AmdSev_suffix.bin");
	let ovmfx64 = vectors().join("ovmf_OvmfX64_suffix.bin");
	let debian = PathBuf::from("/usr/share/ovmf/OVMF.fd");
	assert!(
		debian.exists(),
		"Debian's OVMF.fd missing: run scripts/setup.sh (package ovmf)"
	);
	let s = |v: &str| v.to_string();
	let k = kernel.display().to_string();
	let i = initrd.display().to_string();
	let mut cases: Vec<(&Path, Vec<(&str, String)>)> = Vec::new();
	for vcpus in ["1", "2", "4", "16"] {
		for vcpu_type in [
			"EPYC",
			"EPYC-v4",
			"EPYC-Rome",
			"EPYC-Milan",
			"EPYC-Genoa",
			"EPYC-Turin",
		] {
			cases.push((
				&amdsev,
				vec![("--vcpus", s(vcpus)), ("--vcpu-type", s(vcpu_type))],
			));
		}
	}
	for gf in ["0x1", "0x21"] {
		let base = vec![
			("--vcpus", s("2")),
			("--vcpu-type", s("EPYC-Milan")),
			("--guest-features", s(gf)),
		];
		cases.push((&amdsev, base.clone()));
		cases.push((&ovmfx64, base.clone()));
		cases.push((&debian, base.clone()));
		let mut direct = base.clone();
		direct.push(("--kernel", k.clone()));
		cases.push((&amdsev, direct.clone()));
		direct.push(("--initrd", i.clone()));
		cases.push((&amdsev, direct.clone()));
		for cmdline in [
			"",
			"console=ttyS0 loglevel=7",
			"init=/nix/store/x-nixos-system usrhash=abc",
		] {
			let mut with = direct.clone();
			with.push(("--cmdline", s(cmdline)));
			cases.push((&amdsev, with));
		}
	}
	let mut results = Vec::new();
	for (firmware, extra) in &cases {
		let (ours, theirs) = both(firmware, extra);
		let ours = measurement(&ours);
		assert_eq!(theirs.status.code(), Some(0), "{theirs:?}");
		let theirs = String::from_utf8(theirs.stdout).unwrap().trim().to_string();
		assert_eq!(ours, theirs, "{} {extra:?}", firmware.display());
		assert_eq!(ours.len(), 96);
		results.push(ours);
	}
	// The last five: kernel; kernel + initrd; then three command lines.
	let n = results.len();
	assert_ne!(
		results[n - 5],
		results[n - 4],
		"the initrd changes the measurement"
	);
	let cmdlines: std::collections::BTreeSet<_> = results[n - 3..].iter().collect();
	assert_eq!(
		cmdlines.len(),
		3,
		"each command line changes the measurement"
	);
	let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn firmware_without_kernel_hashes_refuses_a_kernel_as_sev_snp_measure_does() {
	for firmware in [
		vectors().join("ovmf_OvmfX64_suffix.bin"),
		PathBuf::from("/usr/share/ovmf/OVMF.fd"),
	] {
		let extra = [
			("--vcpus", "1".to_string()),
			("--vcpu-type", "EPYC-v4".to_string()),
			("--kernel", "/dev/null".to_string()),
		];
		let (ours, theirs) = both(&firmware, &extra);
		assert_eq!(ours.status.code(), Some(2), "{ours:?}");
		assert!(
			String::from_utf8_lossy(&ours.stderr).contains("SNP_KERNEL_HASHES"),
			"{ours:?}"
		);
		assert_ne!(theirs.status.code(), Some(0), "{theirs:?}");
	}
}

/// Malformed firmware (truncated, any byte of the footer, metadata and reset block flipped,
/// oversized entries) is a clear error or a measurement, never a panic.
#[test]
fn malformed_firmware_never_panics() {
	let good = std::fs::read(vectors().join("ovmf_AmdSev_suffix.bin")).unwrap();
	let dir = std::env::temp_dir().join(format!("attest-measure-bad-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	let file = dir.join("ovmf.bin");
	let mut variants: Vec<Vec<u8>> = (0..good.len())
		.step_by(61)
		.map(|n| good[good.len() - n..].to_vec())
		.collect();
	for at in (good.len() - 1024..good.len()).step_by(3) {
		for bits in [0x01u8, 0x80, 0xff] {
			let mut v = good.clone();
			v[at] ^= bits;
			variants.push(v);
		}
	}
	let mut refused = 0;
	for v in &variants {
		std::fs::write(&file, v).unwrap();
		let inputs = attest::measure::SnpInputs {
			firmware: file.clone(),
			kernel: None,
			initrd: None,
			cmdline: None,
			vcpus: 1,
			vcpu_type: "EPYC-v4".into(),
			guest_features: 1,
		};
		let result = std::panic::catch_unwind(|| attest::measure::snp(&inputs));
		match result {
			Ok(Ok(_)) => {}
			Ok(Err(_)) => refused += 1,
			Err(_) => panic!("panicked on a malformed firmware ({} bytes)", v.len()),
		}
	}
	// Damage to the footer table or the metadata is refused; elsewhere it only changes the
	// measurement, as it changes what the firmware runs.
	assert!(refused >= 100, "{refused} of {} refused", variants.len());
	let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_is_a_clear_error() {
	let amdsev = vectors()
		.join("ovmf_AmdSev_suffix.bin")
		.display()
		.to_string();
	for (args, needle) in [
		(
			vec![
				"--firmware",
				"/nonexistent",
				"--vcpus",
				"1",
				"--vcpu-type",
				"EPYC",
			],
			"/nonexistent",
		),
		(
			vec![
				"--firmware",
				&amdsev,
				"--vcpus",
				"1",
				"--vcpu-type",
				"Pentium",
			],
			"--vcpu-type",
		),
		(
			vec!["--firmware", &amdsev, "--vcpus", "0", "--vcpu-type", "EPYC"],
			"--vcpus",
		),
		(
			vec![
				"--firmware",
				&amdsev,
				"--vcpus",
				"1",
				"--vcpu-type",
				"EPYC",
				"--guest-features",
				"0xzz",
			],
			"guest features",
		),
		(
			vec![
				"--firmware",
				&amdsev,
				"--vcpus",
				"1",
				"--vcpu-type",
				"EPYC",
				"--cmdline",
				"x",
			],
			"--kernel",
		),
		(
			vec![
				"--firmware",
				"/etc/hostname",
				"--vcpus",
				"1",
				"--vcpu-type",
				"EPYC",
			],
			"OVMF footer",
		),
	] {
		let out = run(Command::new(env!("CARGO_BIN_EXE_attest"))
			.args(["measure", "snp"])
			.args(&args));
		assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
		let err = String::from_utf8_lossy(&out.stderr);
		assert!(err.contains(needle), "{args:?}: {err}");
	}
}
