//! The node side of the host functions: decode, check, compute with arkworks. Never panics:
//! every malformed input is a [`Status`].

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{pairing::Pairing, CurveGroup, VariableBaseMSM};
use ark_ff::Zero;
use ark_serialize::CanonicalSerialize;

use crate::encoding::{
	decode_all, Status, G1_BYTES, G2_BYTES, MAX_MSM_POINTS, MAX_PAIRS, SCALAR_BYTES,
};

/// See [`crate::interface::bn_254::msm_g1`].
pub(crate) fn msm_g1(points: &[u8], scalars: &[u8], out: &mut [u8]) -> Status {
	checked_msm_g1(points, scalars, out).unwrap_or_else(|status| status)
}

/// See [`crate::interface::bn_254::pairing_product_is_one`].
pub(crate) fn pairing_product_is_one(g1: &[u8], g2: &[u8]) -> Status {
	checked_pairing_product_is_one(g1, g2).unwrap_or_else(|status| status)
}

/// [`msm_g1`] with every refusal as the error.
fn checked_msm_g1(points: &[u8], scalars: &[u8], out: &mut [u8]) -> Result<Status, Status> {
	if out.len() != G1_BYTES {
		return Err(Status::LengthMismatch);
	}
	if points.len() > MAX_MSM_POINTS.saturating_mul(G1_BYTES)
		|| scalars.len() > MAX_MSM_POINTS.saturating_mul(SCALAR_BYTES)
	{
		return Err(Status::TooMany);
	}
	let points = decode_all::<G1Affine>(points, G1_BYTES, Status::BadG1)?;
	let scalars = decode_all::<Fr>(scalars, SCALAR_BYTES, Status::BadScalar)?;
	let sum = G1Projective::msm(&points, &scalars).map_err(|_| Status::LengthMismatch)?;
	sum.into_affine()
		.serialize_uncompressed(out)
		.map_err(|_| Status::LengthMismatch)?;
	Ok(Status::Ok)
}

/// [`pairing_product_is_one`] with every refusal as the error.
fn checked_pairing_product_is_one(g1: &[u8], g2: &[u8]) -> Result<Status, Status> {
	if g1.len() > MAX_PAIRS.saturating_mul(G1_BYTES)
		|| g2.len() > MAX_PAIRS.saturating_mul(G2_BYTES)
	{
		return Err(Status::TooMany);
	}
	let g1 = decode_all::<G1Affine>(g1, G1_BYTES, Status::BadG1)?;
	let g2 = decode_all::<G2Affine>(g2, G2_BYTES, Status::BadG2)?;
	// An empty product is one: never let "nothing to check" pass as a check.
	if g1.len() != g2.len() || g1.is_empty() {
		return Err(Status::LengthMismatch);
	}
	// The target group is written additively in arkworks: its zero is the identity.
	if Bn254::multi_pairing(g1, g2).is_zero() {
		Ok(Status::Ok)
	} else {
		Ok(Status::NotOne)
	}
}
