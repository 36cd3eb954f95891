//! Reading bb's byte formats: 32-byte big-endian words, canonical field elements, G1 points
//! as (x, y) words with (0, 0) for the point at infinity, and the 68-bit limbs of the
//! pairing-point object.

use ark_bn254::{Fq, Fr, G1Affine};
use ark_ec::AffineRepr;
use ark_ff::{AdditiveGroup, BigInt, PrimeField};

use crate::error::VerifyError;

/// One 32-byte big-endian word.
pub type Word = [u8; 32];

/// A canonical scalar (`< r`), else `what` is named in the error.
pub fn fr(word: &Word, what: &'static str) -> Result<Fr, VerifyError> {
	Fr::from_bigint(bigint(word)).ok_or(VerifyError::NotCanonical(what))
}

/// A canonical base-field element (`< q`).
pub fn fq(word: &Word, what: &'static str) -> Result<Fq, VerifyError> {
	Fq::from_bigint(bigint(word)).ok_or(VerifyError::NotCanonical(what))
}

/// A G1 point from its x and y words: (0, 0) is the point at infinity, anything else must be
/// on the curve (G1 has cofactor 1, so that is also the subgroup check).
pub fn g1(x: &Word, y: &Word, what: &'static str) -> Result<G1Affine, VerifyError> {
	let (x, y) = (fq(x, what)?, fq(y, what)?);
	if x == Fq::ZERO && y == Fq::ZERO {
		return Ok(G1Affine::zero());
	}
	let point = G1Affine::new_unchecked(x, y);
	if point.is_on_curve() {
		Ok(point)
	} else {
		Err(VerifyError::NotOnCurve(what))
	}
}

/// The (x, y) words of a G1 point, (0, 0) for infinity (what the transcript hashes).
pub fn g1_words(point: &G1Affine) -> [Word; 2] {
	match point.xy() {
		Some((x, y)) => [fq_word(&x), fq_word(&y)],
		None => [[0; 32], [0; 32]],
	}
}

/// The big-endian word of a scalar.
pub fn fr_word(value: &Fr) -> Word {
	be_word(&value.into_bigint())
}

fn fq_word(value: &Fq) -> Word {
	be_word(&value.into_bigint())
}

fn be_word(value: &BigInt<4>) -> Word {
	let mut out = [0u8; 32];
	for (chunk, limb) in out.chunks_exact_mut(8).zip(value.0.iter().rev()) {
		chunk.copy_from_slice(&limb.to_be_bytes());
	}
	out
}

fn bigint(word: &Word) -> BigInt<4> {
	let mut limbs = [0u64; 4];
	for (limb, chunk) in limbs.iter_mut().rev().zip(word.chunks_exact(8)) {
		let mut bytes = [0u8; 8];
		bytes.copy_from_slice(chunk);
		*limb = u64::from_be_bytes(bytes);
	}
	BigInt::new(limbs)
}

/// A base-field coordinate from four 68-bit limbs, least significant first (the pairing-point
/// object's encoding). Each limb must be below 2^68 and the value below q.
pub fn fq_from_limbs(limbs: &[Word], what: &'static str) -> Result<Fq, VerifyError> {
	let [l0, l1, l2, l3] = <&[Word; 4]>::try_from(limbs).map_err(|_| VerifyError::Length(what))?;
	let mut values = [0u128; 4];
	for (value, limb) in values.iter_mut().zip([l0, l1, l2, l3]) {
		let (high, low) = limb.split_at(16);
		let mut bytes = [0u8; 16];
		bytes.copy_from_slice(low);
		let v = u128::from_be_bytes(bytes);
		if high.iter().any(|b| *b != 0) || v >> 68 != 0 {
			return Err(VerifyError::NotCanonical(what));
		}
		*value = v;
	}
	let [v0, v1, v2, v3] = values;
	// The 64-bit words of v0 + v1 * 2^68 + v2 * 2^136 + v3 * 2^204 (limbs are < 2^68).
	let w0 = v0 as u64;
	let w1 = ((v0 >> 64) | ((v1 & ((1 << 60) - 1)) << 4)) as u64;
	let w2 = ((v1 >> 60) | ((v2 & ((1 << 56) - 1)) << 8)) as u64;
	let w3 = ((v2 >> 56) | ((v3 & ((1 << 52) - 1)) << 12)) as u64;
	if v3 >> 52 != 0 {
		return Err(VerifyError::NotCanonical(what));
	}
	Fq::from_bigint(BigInt::new([w0, w1, w2, w3])).ok_or(VerifyError::NotCanonical(what))
}
