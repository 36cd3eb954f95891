//! The crate builds for `wasm32v1-none` (no `std` at all), as the runtime needs.
//!
//! Ignored by default because it runs a second cargo build (minutes on two cores) and needs the
//! `debian-web` toolchain. Run it with `cargo test -p tee-verifier --test wasm -- --ignored`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

#[test]
#[ignore = "runs `cargo +debian-web build --target wasm32v1-none` (slow; needs that toolchain)"]
fn builds_for_wasm32v1_none_without_std() {
	let target_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("wasm32v1-none");
	let out = Command::new("cargo")
		.args([
			"+debian-web",
			"build",
			"-p",
			"tee-verifier",
			"--no-default-features",
			"--target",
			"wasm32v1-none",
		])
		.env("CARGO_TARGET_DIR", &target_dir)
		.env_remove("RUSTUP_TOOLCHAIN")
		.env_remove("RUSTC")
		.env_remove("RUSTDOC")
		.current_dir(env!("CARGO_MANIFEST_DIR"))
		.output()
		.expect("running cargo");
	assert!(
		out.status.success(),
		"wasm32v1-none build failed:\n{}",
		String::from_utf8_lossy(&out.stderr)
	);
	let rlib = target_dir.join("wasm32v1-none/debug/libtee_verifier.rlib");
	assert!(rlib.exists(), "no {}", rlib.display());
}
