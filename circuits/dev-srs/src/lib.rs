//! `dev-srs OUT_DIR [G1_POINTS]` (and [`write_srs`]): writes an **INSECURE** development structured reference
//! string for Barretenberg, in the layout bb.js reads from `CRS_PATH`:
//!
//! - `bn254_g1.dat`: `[tau^i]_1` for `i < G1_POINTS` (default 2^20 + 1, what bb.js's wasm
//!   backend loads), 64 bytes each: x then y, 32-byte big-endian;
//! - `bn254_g2.dat`: `[tau]_2`, 128 bytes: x.c0, x.c1, y.c0, y.c1, each 32-byte big-endian;
//! - `grumpkin_g1.flat.dat` (+ `grumpkin_size`): 2^16 + 1 Grumpkin points, same layout (bb.js
//!   loads them although UltraHonk does not use them).
//!
//! tau is SHA-256 of [`TAU_SEED`] reduced mod r: **anyone can forge proofs under this SRS.** It
//! exists because Aztec's SRS cannot be downloaded on the project's machines; it is for tests
//! and the dev chain only. It prints `[tau]_2` in the verifier's (EIP-197) order.

#![allow(
	clippy::arithmetic_side_effects,
	reason = "a host tool: curve and field arithmetic is modular; integer arithmetic is on sizes of local files bounded far below overflow"
)]

use std::{
	fs,
	io::{BufWriter, Write},
	path::Path,
};

use ark_ec::{scalar_mul::BatchMulPreprocessing, AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{BigInteger, Field, PrimeField};
use sha2::{Digest, Sha256};

pub mod check;

/// The public seed of the dev tau. Changing it changes every dev verification key's G2.
const TAU_SEED: &[u8] = b"tee-attest INSECURE development SRS: tau is public, proofs are forgeable";
/// bb.js's wasm backend loads 2^20 + 1 BN254 points.
pub const DEFAULT_G1_POINTS: usize = (1 << 20) + 1;
/// And 2^16 + 1 Grumpkin points.
const GRUMPKIN_POINTS: usize = (1 << 16) + 1;

/// Aztec Ignition's `[x]_2` as bb.js's `bn254_g2.dat` holds it: the verifier's constant.
pub use zk_verifier::AZTEC_G2;

/// The dev SRS's `[tau]_2` in the same layout.
pub fn dev_g2() -> [u8; 128] {
	let (x, y) = (ark_bn254::G2Projective::generator() * tau_bn254())
		.into_affine()
		.xy()
		.unwrap_or_default();
	let mut out = [0u8; 128];
	for (chunk, c) in out.chunks_mut(32).zip([x.c0, x.c1, y.c0, y.c1]) {
		chunk.copy_from_slice(&be32(&c));
	}
	out
}

/// tau for BN254 (mod r).
pub fn tau_bn254() -> ark_bn254::Fr {
	ark_bn254::Fr::from_be_bytes_mod_order(&Sha256::digest(TAU_SEED))
}

/// Powers `1, x, x^2, ...` (n of them).
fn powers<F: Field>(x: F, n: usize) -> Vec<F> {
	let mut out = Vec::with_capacity(n);
	let mut acc = F::ONE;
	for _ in 0..n {
		out.push(acc);
		acc *= x;
	}
	out
}

fn be32<F: PrimeField>(f: &F) -> Vec<u8> {
	let mut bytes = f.into_bigint().to_bytes_be();
	// Field elements of both curves fit 32 bytes; left-pad shorter encodings.
	while bytes.len() < 32 {
		bytes.insert(0, 0);
	}
	bytes
}

/// Writes the three files and returns `[tau]_2` as hex in EIP-197 order
/// (x.c1, x.c0, y.c1, y.c0).
pub fn write_srs(out: &Path, g1_points: usize) -> std::io::Result<String> {
	fs::create_dir_all(out)?;
	let tau = tau_bn254();

	let g1 = ark_bn254::G1Projective::generator();
	let table = BatchMulPreprocessing::new(g1, g1_points);
	let points = table.batch_mul(&powers(tau, g1_points));
	let mut file = BufWriter::new(fs::File::create(out.join("bn254_g1.dat"))?);
	for p in &points {
		let (x, y) = p.xy().unwrap_or_default();
		file.write_all(&be32(&x))?;
		file.write_all(&be32(&y))?;
	}
	file.flush()?;

	let g2 = (ark_bn254::G2Projective::generator() * tau).into_affine();
	let (x, y) = g2.xy().unwrap_or_default();
	let mut g2_file = Vec::with_capacity(128);
	for c in [x.c0, x.c1, y.c0, y.c1] {
		g2_file.extend(be32(&c));
	}
	fs::write(out.join("bn254_g2.dat"), &g2_file)?;

	let tau_grumpkin = ark_grumpkin::Fr::from_be_bytes_mod_order(&Sha256::digest(TAU_SEED));
	let gg = ark_grumpkin::Projective::generator();
	let table = BatchMulPreprocessing::new(gg, GRUMPKIN_POINTS);
	let points = table.batch_mul(&powers(tau_grumpkin, GRUMPKIN_POINTS));
	let mut file = BufWriter::new(fs::File::create(out.join("grumpkin_g1.flat.dat"))?);
	for p in &points {
		let (x, y) = p.xy().unwrap_or_default();
		file.write_all(&be32(&x))?;
		file.write_all(&be32(&y))?;
	}
	file.flush()?;
	fs::write(out.join("grumpkin_size"), GRUMPKIN_POINTS.to_string())?;
	fs::write(
		out.join("INSECURE-DEV-SRS.txt"),
		"INSECURE development SRS: tau = SHA-256(\"tee-attest INSECURE development SRS: tau is public, proofs are forgeable\") mod r.\nAnyone can forge proofs under it. Tests and the dev chain only.\n",
	)?;

	let mut eip197 = String::new();
	for c in [x.c1, x.c0, y.c1, y.c0] {
		for b in be32(&c) {
			eip197.push_str(&format!("{b:02x}"));
		}
	}
	Ok(eip197)
}

/// The dev SRS in `dir` (default size), written first when it is missing or was written by
/// another version of this generator (a `stamp` file records it). For tests.
pub fn ensure(dir: &Path) -> std::io::Result<()> {
	let stamp = format!("{}:{}", env!("CARGO_PKG_VERSION"), hex_of(&dev_g2()));
	if fs::read_to_string(dir.join("stamp")).is_ok_and(|s| s == stamp) {
		return Ok(());
	}
	write_srs(dir, DEFAULT_G1_POINTS)?;
	fs::write(dir.join("stamp"), stamp)
}

fn hex_of(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
	/// The G2 point this crate's tau gives is the one the verifier and the dev chain pin.
	#[test]
	fn dev_g2_is_the_verifiers_constant() {
		assert_eq!(super::dev_g2(), zk_verifier::DEV_G2);
	}
}
