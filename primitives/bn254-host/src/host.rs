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
	if out.len() != G1_BYTES {
		return Status::LengthMismatch;
	}
	if points.len() > MAX_MSM_POINTS.saturating_mul(G1_BYTES)
		|| scalars.len() > MAX_MSM_POINTS.saturating_mul(SCALAR_BYTES)
	{
		return Status::TooMany;
	}
	let points = match decode_all::<G1Affine>(points, G1_BYTES, Status::BadG1) {
		Ok(points) => points,
		Err(status) => return status,
	};
	let scalars = match decode_all::<Fr>(scalars, SCALAR_BYTES, Status::BadScalar) {
		Ok(scalars) => scalars,
		Err(status) => return status,
	};
	let Ok(sum) = G1Projective::msm(&points, &scalars) else {
		return Status::LengthMismatch;
	};
	match sum.into_affine().serialize_uncompressed(out) {
		Ok(()) => Status::Ok,
		Err(_) => Status::LengthMismatch,
	}
}

/// See [`crate::interface::bn_254::pairing_product_is_one`].
pub(crate) fn pairing_product_is_one(g1: &[u8], g2: &[u8]) -> Status {
	if g1.len() > MAX_PAIRS.saturating_mul(G1_BYTES)
		|| g2.len() > MAX_PAIRS.saturating_mul(G2_BYTES)
	{
		return Status::TooMany;
	}
	let g1 = match decode_all::<G1Affine>(g1, G1_BYTES, Status::BadG1) {
		Ok(g1) => g1,
		Err(status) => return status,
	};
	let g2 = match decode_all::<G2Affine>(g2, G2_BYTES, Status::BadG2) {
		Ok(g2) => g2,
		Err(status) => return status,
	};
	// An empty product is one: never let "nothing to check" pass as a check.
	if g1.len() != g2.len() || g1.is_empty() {
		return Status::LengthMismatch;
	}
	// The target group is written additively in arkworks: its zero is the identity.
	if Bn254::multi_pairing(g1, g2).is_zero() {
		Status::Ok
	} else {
		Status::NotOne
	}
}
