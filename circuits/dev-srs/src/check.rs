//! `dev-srs check`: is a directory a well-formed SRS for a given `[x]_2`?
//!
//! The G2 file must equal the expected point; every G1 point must be on the curve, the first
//! the generator; and the G1 points must be successive powers under that G2: for random
//! `r_i` (from the OS), `e(sum r_i P_{i+1}, [1]_2) == e(sum r_i P_i, [x]_2)`, which holds for
//! all i except with negligible probability only when `P_{i+1} = x * P_i`. This checks a
//! downloaded SRS without pinning the hash of a file that cannot be fetched here.

use std::{fs, path::Path};

use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::{pairing::Pairing, AffineRepr, VariableBaseMSM};
use ark_ff::PrimeField;
use sha2::{Digest, Sha256};

/// Checks `dir`; returns the number of G1 points.
pub fn check(dir: &Path, expected_g2: &[u8; 128]) -> Result<usize, String> {
	let g2_bytes = fs::read(dir.join("bn254_g2.dat")).map_err(|e| format!("bn254_g2.dat: {e}"))?;
	if g2_bytes.as_slice() != expected_g2.as_slice() {
		return Err("bn254_g2.dat is not the expected [x]_2".into());
	}
	let coord = |i: usize| -> Result<Fq, String> {
		let bytes = g2_bytes.get(i * 32..(i + 1) * 32).ok_or("short G2")?;
		fq(bytes)
	};
	let g2 = G2Affine::new_unchecked(
		Fq2::new(coord(0)?, coord(1)?),
		Fq2::new(coord(2)?, coord(3)?),
	);
	if !g2.is_on_curve() || !g2.is_in_correct_subgroup_assuming_on_curve() {
		return Err("[x]_2 is not a point of G2".into());
	}

	let g1_bytes = fs::read(dir.join("bn254_g1.dat")).map_err(|e| format!("bn254_g1.dat: {e}"))?;
	if g1_bytes.len() % 64 != 0 || g1_bytes.len() < 128 {
		return Err(format!(
			"bn254_g1.dat: {} bytes, not a list of >= 2 points",
			g1_bytes.len()
		));
	}
	let mut points = Vec::with_capacity(g1_bytes.len() / 64);
	for (i, chunk) in g1_bytes.chunks(64).enumerate() {
		let (x, y) = chunk.split_at(32);
		let p = G1Affine::new_unchecked(fq(x)?, fq(y)?);
		if !p.is_on_curve() {
			return Err(format!("bn254_g1.dat: point {i} is not on the curve"));
		}
		points.push(p);
	}
	if points.first() != Some(&G1Affine::generator()) {
		return Err("bn254_g1.dat: the first point is not the generator".into());
	}
	let n = points.len();
	// r_i = SHA-256(seed || i) with a fresh seed from the OS: unpredictable to whoever made
	// the files.
	let mut seed = [0u8; 32];
	std::io::Read::read_exact(
		&mut fs::File::open("/dev/urandom").map_err(|e| format!("/dev/urandom: {e}"))?,
		&mut seed,
	)
	.map_err(|e| format!("/dev/urandom: {e}"))?;
	let r: Vec<Fr> = (1..n)
		.map(|i| {
			let mut h = Sha256::new();
			h.update(seed);
			h.update((i as u64).to_be_bytes());
			Fr::from_be_bytes_mod_order(&h.finalize())
		})
		.collect();
	let (lower, upper) = (points.get(..n - 1), points.get(1..));
	let (Some(lower), Some(upper)) = (lower, upper) else {
		return Err("too few points".into());
	};
	let a = <ark_bn254::G1Projective as VariableBaseMSM>::msm(lower, &r).map_err(|_| "msm")?;
	let b = <ark_bn254::G1Projective as VariableBaseMSM>::msm(upper, &r).map_err(|_| "msm")?;
	if Bn254::pairing(b, G2Affine::generator()) != Bn254::pairing(a, g2) {
		return Err("the G1 points are not successive powers of the G2's secret".into());
	}
	Ok(n)
}

fn fq(bytes: &[u8]) -> Result<Fq, String> {
	let f = Fq::from_be_bytes_mod_order(bytes);
	// Canonical encodings only.
	if ark_ff::BigInteger::to_bytes_be(&f.into_bigint()).as_slice() != bytes {
		return Err("a coordinate is not a canonical field element".into());
	}
	Ok(f)
}
