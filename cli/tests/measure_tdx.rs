//! `attest measure tdx` against an independent implementation and real boots
//! (`testvectors/tdx-measure/`): MRTD of Debian's OVMF.fd in both page orders and RTMR1/RTMR2
//! of a direct boot for three memory sizes equal dstack-mr's; the RTMR1/RTMR2 event model
//! reproduces the registers of two real TDX quotes from their event logs' digests; malformed
//! firmware and non-PE kernels are clear errors, never panics.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use std::{
	path::{Path, PathBuf},
	process::{Command, Output},
};

use attest::measure::tdx;
use serde_json::Value;

const DEBIAN_OVMF: &str = "/usr/share/ovmf/OVMF.fd";

fn vectors() -> PathBuf {
	match std::env::var_os("TEE_TESTVECTORS") {
		Some(dir) => PathBuf::from(dir),
		None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors"),
	}
}

fn cases() -> Value {
	let text = std::fs::read_to_string(vectors().join("tdx-measure/cases.json")).unwrap();
	serde_json::from_str(&text).unwrap()
}

fn attest(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_attest"))
		.args(args)
		.output()
		.unwrap()
}

fn json_of(out: &Output) -> Value {
	assert_eq!(
		out.status.code(),
		Some(0),
		"{}",
		String::from_utf8_lossy(&out.stderr)
	);
	serde_json::from_slice(&out.stdout).unwrap()
}

fn hex48(v: &Value) -> [u8; 48] {
	hex::decode(v.as_str().unwrap())
		.unwrap()
		.try_into()
		.unwrap()
}

fn debian_ovmf() -> &'static str {
	assert!(
		Path::new(DEBIAN_OVMF).exists(),
		"{DEBIAN_OVMF} missing: run scripts/setup.sh (package ovmf)"
	);
	DEBIAN_OVMF
}

#[test]
fn mrtd_of_debian_ovmf_equals_dstack_mr_in_both_page_orders() {
	let c = cases();
	let fw = &c["firmware"];
	let bytes = std::fs::read(debian_ovmf()).unwrap();
	let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
	assert_eq!(
		digest,
		fw["sha256"].as_str().unwrap(),
		"another OVMF.fd than the one the reference values are for"
	);
	let single = json_of(&attest(&[
		"--json",
		"measure",
		"tdx",
		"--firmware",
		DEBIAN_OVMF,
	]));
	assert_eq!(single["mrtd"], fw["mrtd_single_pass"]);
	let two = json_of(&attest(&[
		"--json",
		"measure",
		"tdx",
		"--firmware",
		DEBIAN_OVMF,
		"--page-order",
		"two-pass",
	]));
	assert_eq!(two["mrtd"], fw["mrtd_two_pass"]);
	assert_ne!(single["mrtd"], two["mrtd"]);
	// Without a kernel only MRTD is determined; each other register says why not.
	for reg in ["rtmr0", "rtmr1", "rtmr2"] {
		assert!(single.get(reg).is_none(), "{reg} printed without inputs");
		assert!(single["omitted"][reg].as_str().unwrap().len() > 20);
	}
	assert!(single["omitted"]["rtmr0"]
		.as_str()
		.unwrap()
		.contains("ACPI"));
}

/// `attest --json measure tdx` of Debian's OVMF and the dummy kernel and initrd, with
/// `cmdline` and, when given, `--memory MIB`.
fn measure_dummy(cmdline: &str, memory: Option<&str>) -> Value {
	let dir = vectors().join("tdx-measure");
	let kernel = dir.join("bzImage").display().to_string();
	let initrd = dir.join("initrd.img").display().to_string();
	let mut args = vec![
		"--json",
		"measure",
		"tdx",
		"--firmware",
		debian_ovmf(),
		"--kernel",
		&kernel,
		"--initrd",
		&initrd,
		"--cmdline",
		cmdline,
		"--vcpus",
		"2",
	];
	if let Some(mib) = memory {
		args.extend(["--memory", mib]);
	}
	json_of(&attest(&args))
}

#[test]
fn direct_boot_rtmrs_equal_dstack_mr_for_each_memory_size() {
	let c = cases();
	let boot = &c["direct_boot"];
	let dir = vectors().join("tdx-measure");
	let cmdline = boot["cmdline"].as_str().unwrap();
	for mib in ["1024", "2048", "4096"] {
		let v = measure_dummy(cmdline, Some(mib));
		assert_eq!(v["rtmr1"], boot["rtmr1"][mib], "RTMR1 at {mib} MiB");
		assert_eq!(v["rtmr2"], boot["rtmr2"], "RTMR2 at {mib} MiB");
		assert_eq!(v["mrtd"], c["firmware"]["mrtd_single_pass"]);
		assert!(v.get("rtmr0").is_none());
	}
	// Where the initrd goes depends on memory, so without --memory RTMR1 is not computed.
	let v = measure_dummy(cmdline, None);
	assert!(v.get("rtmr1").is_none());
	assert!(v["omitted"]["rtmr1"].as_str().unwrap().contains("--memory"));
	assert_eq!(v["rtmr2"], boot["rtmr2"]);

	// The pieces, each against dstack-mr's.
	let kernel_bytes = std::fs::read(dir.join("bzImage")).unwrap();
	let initrd_bytes = std::fs::read(dir.join("initrd.img")).unwrap();
	// dstack-mr's kernel digest: patched as QEMU does with the initrd, memory >= 2.75 GiB.
	let patched =
		tdx::patch_kernel(&kernel_bytes, Some(initrd_bytes.len() as u64), 4 << 30).unwrap();
	assert_eq!(
		tdx::authenticode_sha384(&patched).unwrap(),
		hex48(&boot["kernel_authenticode_patched_4g"])
	);
	assert_ne!(patched, kernel_bytes);
	assert_eq!(
		tdx::sha384(&tdx::load_options(cmdline, true)),
		hex48(&boot["load_options_sha384"])
	);
	assert_eq!(tdx::sha384(&initrd_bytes), hex48(&boot["initrd_sha384"]));
	// A different command line changes RTMR2 and nothing else.
	let other = measure_dummy("console=ttyS0", Some("2048"));
	assert_ne!(other["rtmr2"], boot["rtmr2"]);
	assert_eq!(other["rtmr1"], boot["rtmr1"]["2048"]);
}

/// The event model (which events TDVF and the kernel's EFI stub extend, in which order)
/// reproduces the RTMR1 and RTMR2 of real TDX quotes from the digests of their inputs.
#[test]
fn event_model_reproduces_real_quotes() {
	for q in cases()["real_quotes"].as_array().unwrap() {
		let rtmr1 = tdx::replay(&tdx::rtmr1_events(hex48(&q["kernel_authenticode"])));
		assert_eq!(rtmr1, hex48(&q["rtmr1"]), "{}", q["source"]);
		let rtmr2 = tdx::replay(&[hex48(&q["load_options_sha384"]), hex48(&q["initrd_sha384"])]);
		assert_eq!(rtmr2, hex48(&q["rtmr2"]), "{}", q["source"]);
	}
	// The second quote is in testvectors/eventlog: its registers are the quote's own.
	let report: Value = serde_json::from_str(
		&std::fs::read_to_string(vectors().join("eventlog/dstack-quote-report/quote-report.json"))
			.unwrap(),
	)
	.unwrap();
	let quote = hex::decode(report["quote"].as_str().unwrap()).unwrap();
	let body = &quote[48..];
	let q = &cases()["real_quotes"][1];
	assert_eq!(body[376..424], hex48(&q["rtmr1"]));
	assert_eq!(body[424..472], hex48(&q["rtmr2"]));
}

#[test]
fn a_uki_gets_rtmr1_and_rtmr2_from_a_reference_log_with_its_digest_named() {
	// systemd's EFI stub (installed by setup.sh: systemd-boot-efi) is a PE image without a
	// Linux setup header, like a UKI.
	let stub = "/usr/lib/systemd/boot/efi/linuxx64.efi.stub";
	assert!(
		Path::new(stub).exists(),
		"{stub} missing: run scripts/setup.sh"
	);
	let v = json_of(&attest(&[
		"--json",
		"measure",
		"tdx",
		"--firmware",
		debian_ovmf(),
		"--kernel",
		stub,
		"--memory",
		"2048",
	]));
	let digest = hex::encode(tdx::authenticode_sha384(&std::fs::read(stub).unwrap()).unwrap());
	assert!(v["omitted"]["rtmr1"].as_str().unwrap().contains(&digest));
	assert!(v["omitted"]["rtmr2"]
		.as_str()
		.unwrap()
		.contains("systemd-stub"));
	assert!(v.get("mrtd").is_some());
}

#[test]
fn malformed_firmware_and_kernels_are_clear_errors_never_panics() {
	let good = std::fs::read(debian_ovmf()).unwrap();
	let sections = tdx::sections(&good).unwrap();
	assert_eq!(sections.len(), 6);
	// Locate the TDVF descriptor to damage it on purpose.
	let at = good
		.windows(4)
		.rposition(|w| w == b"TDVF")
		.expect("TDVF descriptor");
	let entry = |i: usize| at + 16 + 32 * i;
	let mut cases: Vec<(Vec<u8>, &str)> = Vec::new();
	let mut patch = |f: &dyn Fn(&mut Vec<u8>), needle: &'static str| {
		let mut v = good.clone();
		f(&mut v);
		cases.push((v, needle));
	};
	patch(&|v| v[at] = b'X', "signature");
	patch(&|v| v[at + 8] = 2, "version");
	patch(
		&|v| v[at + 12..at + 16].copy_from_slice(&0u32.to_le_bytes()),
		"0 sections",
	);
	patch(
		&|v| v[at + 12..at + 16].copy_from_slice(&60u32.to_le_bytes()),
		"cannot hold",
	);
	// An unaligned GPA, a size that is not whole pages, an unknown type.
	patch(&|v| v[entry(2) + 8] = 1, "not whole pages");
	patch(&|v| v[entry(2) + 16] = 1, "not whole pages");
	patch(&|v| v[entry(2) + 24] = 9, "type 9");
	// Data past the end of the image; raw data larger than the section.
	patch(
		&|v| v[entry(0)..entry(0) + 4].copy_from_slice(&0x7fff_f000u32.to_le_bytes()),
		"past the end",
	);
	patch(
		&|v| v[entry(1) + 4..entry(1) + 8].copy_from_slice(&0x30000u32.to_le_bytes()),
		"do not fit",
	);
	// A temp-memory section moved onto the TD HOB: overlapping regions.
	patch(
		&|v| v[entry(3) + 8..entry(3) + 16].copy_from_slice(&0x809000u64.to_le_bytes()),
		"overlaps",
	);
	// Data in a section that must not carry any; unknown attributes.
	patch(
		&|v| v[entry(2) + 4..entry(2) + 8].copy_from_slice(&0x1000u32.to_le_bytes()),
		"must not carry data",
	);
	patch(&|v| v[entry(2) + 28] = 0x10, "unknown attributes");
	// Truncated to the descriptor.
	cases.push((good[..at + 20].to_vec(), "footer"));
	cases.push((b"not firmware at all".to_vec(), "too short"));
	// The last 4 KiB of a firmware: its metadata points at sections outside the file.
	let suffix = std::fs::read(vectors().join("snp-measure/ovmf_AmdSev_suffix.bin")).unwrap();
	cases.push((suffix, "past the end"));
	// The TDX entry of the footer table renamed: an SEV-only OVMF.
	let guid = [0x35u8, 0x65, 0x7a, 0xe4, 0x4a, 0x98, 0x98, 0x47];
	let mut no_tdx = good.clone();
	let g = no_tdx
		.windows(8)
		.rposition(|w| w == guid)
		.expect("TDX metadata GUID");
	no_tdx[g] ^= 0xff;
	cases.push((no_tdx, "no TDX metadata"));

	let dir = std::env::temp_dir().join(format!("attest-measure-tdx-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	let file = dir.join("fw.fd");
	for (bytes, needle) in &cases {
		let result = std::panic::catch_unwind(|| tdx::mrtd(bytes));
		let err = result.expect("panicked").expect_err(needle);
		assert!(err.contains(needle), "wanted `{needle}`, got `{err}`");
		std::fs::write(&file, bytes).unwrap();
		let out = attest(&["measure", "tdx", "--firmware", file.to_str().unwrap()]);
		assert_eq!(out.status.code(), Some(2), "{needle}: {out:?}");
		assert!(String::from_utf8_lossy(&out.stderr).contains(needle));
	}
	// Every byte of the descriptor and its entries flipped: an error or a value, no panic.
	for i in at..entry(6) {
		for bits in [0x01u8, 0x80, 0xff] {
			let mut v = good.clone();
			v[i] ^= bits;
			assert!(
				std::panic::catch_unwind(|| tdx::mrtd(&v)).is_ok(),
				"byte {i}"
			);
		}
	}

	// Kernels: not a PE image; a bzImage header without a PE body; a missing file.
	std::fs::write(dir.join("notpe"), b"#!/bin/sh\necho not a kernel\n").unwrap();
	let mut half = std::fs::read(vectors().join("tdx-measure/bzImage")).unwrap();
	half.truncate(0x800);
	std::fs::write(dir.join("half"), &half).unwrap();
	for (kernel, needle) in [
		(dir.join("notpe"), "not a 64-bit PE image"),
		(dir.join("half"), "shorter than its setup header"),
		(dir.join("missing"), "--kernel"),
	] {
		let out = attest(&[
			"measure",
			"tdx",
			"--firmware",
			debian_ovmf(),
			"--kernel",
			kernel.to_str().unwrap(),
			"--memory",
			"2048",
		]);
		assert_eq!(out.status.code(), Some(2), "{out:?}");
		let err = String::from_utf8_lossy(&out.stderr);
		assert!(err.contains(needle), "wanted `{needle}`: {err}");
	}
	// Inputs that need a kernel, or make no sense.
	for (args, needle) in [
		(vec!["--cmdline", "x"], "--kernel"),
		(vec!["--vcpus", "0"], "--vcpus"),
		(vec!["--memory", "0"], "--memory"),
		(vec!["--page-order", "three-pass"], "three-pass"),
	] {
		let mut all = vec!["measure", "tdx", "--firmware", debian_ovmf()];
		all.extend(args);
		let out = attest(&all);
		assert_eq!(out.status.code(), Some(2), "{out:?}");
		assert!(String::from_utf8_lossy(&out.stderr).contains(needle));
	}
	let _ = std::fs::remove_dir_all(&dir);
}
