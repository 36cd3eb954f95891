//! The measurements of the dev chain's mock VM image.
//!
//! A mock worker (`tee-worker --tee mock`) reports these registers, and the dev chain's
//! genesis holds a release with them, so a mock worker registers on the dev chain the way a
//! real one registers on a production chain with its image's release. They are fixed strings
//! hashed with SHA-384 (the registers' size): recognisable, and obviously not a real image.

use sha2::{Digest, Sha384};

fn register(label: &str) -> [u8; 48] {
	let mut h = Sha384::new();
	h.update(b"tee-attest dev image (mock-tee, INSECURE): ");
	h.update(label.as_bytes());
	h.finalize().into()
}

/// TDX MRTD of the dev image.
pub fn mrtd() -> [u8; 48] {
	register("MRTD")
}

/// TDX RTMR0..RTMR3 of the dev image (RTMR3 is not part of a release).
pub fn rtmrs() -> [[u8; 48]; 4] {
	[
		register("RTMR0"),
		register("RTMR1"),
		register("RTMR2"),
		register("RTMR3"),
	]
}

/// SEV-SNP launch MEASUREMENT of the dev image.
pub fn snp_measurement() -> [u8; 48] {
	register("SNP MEASUREMENT")
}

/// Store path the dev image reports as `/run/current-system` (a mock worker uses it when the
/// machine it runs on is not NixOS).
pub const SYSTEM_PATH: &str = "/nix/store/00000000000000000000000000000000-tee-attest-dev-system";

/// `system_hash` of the dev image: SHA-256 of [`SYSTEM_PATH`], as for a real image.
pub fn system_hash() -> [u8; 32] {
	tee_verifier::binding::system_hash(SYSTEM_PATH.as_bytes())
}
