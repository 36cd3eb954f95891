//! Where the verifier's two expensive group operations run.
//!
//! Everything else in a verification is scalar-field arithmetic; the G1 multi-scalar
//! multiplication of the batch opening and the final pairing are most of the cost. A chain
//! runtime compiled to wasm runs them several times slower than native code, so the verifier
//! takes them from a [`GroupBackend`]: [`Arkworks`] computes them in place (the CLI, tests,
//! native code), and a runtime can pass one that forwards them to host functions of its node.
//! The result of a verification never depends on the backend, only its speed does.

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{pairing::Pairing, CurveGroup, VariableBaseMSM};
use ark_ff::Zero;

/// Why a backend could not compute an operation (a broken host, never a property of the
/// proof: the verifier only passes points it has already checked).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BackendError(pub &'static str);

/// The group operations the verifier delegates.
pub trait GroupBackend {
	/// `sum(scalars[i] * points[i])` in G1. `points` and `scalars` have the same length.
	fn msm_g1(points: &[G1Affine], scalars: &[Fr]) -> Result<G1Affine, BackendError>;

	/// Whether `e(g1[0], g2[0]) * e(g1[1], g2[1])` is the identity of the target group.
	fn pairing_product_is_one(g1: [G1Affine; 2], g2: [G2Affine; 2]) -> Result<bool, BackendError>;
}

/// Computes the group operations with arkworks in the calling code: the reference backend.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Arkworks;

impl GroupBackend for Arkworks {
	fn msm_g1(points: &[G1Affine], scalars: &[Fr]) -> Result<G1Affine, BackendError> {
		G1Projective::msm(points, scalars)
			.map(|p| p.into_affine())
			.map_err(|_| BackendError("msm: points and scalars differ in length"))
	}

	fn pairing_product_is_one(g1: [G1Affine; 2], g2: [G2Affine; 2]) -> Result<bool, BackendError> {
		// The target group is written additively in arkworks: its zero is the identity.
		Ok(Bn254::multi_pairing(g1, g2).is_zero())
	}
}
