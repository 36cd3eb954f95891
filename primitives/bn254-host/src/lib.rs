#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod encoding;
#[cfg(not(substrate_runtime))]
mod host;
pub mod interface;

pub use encoding::{Status, G1_BYTES, G2_BYTES, MAX_MSM_POINTS, MAX_PAIRS, SCALAR_BYTES};
#[cfg(not(substrate_runtime))]
pub use interface::bn_254::HostFunctions;

use ark_bn254::{Fr, G1Affine, G2Affine};
use zk_verifier::{BackendError, GroupBackend};

/// The zk-verifier backend that runs the group operations in the node, through the
/// [`interface::bn_254`] host functions. In a native build (tests, the node's own runtime
/// build) the same calls run the host code directly, so both paths share one implementation.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct HostBackend;

impl GroupBackend for HostBackend {
	fn msm_g1(points: &[G1Affine], scalars: &[Fr]) -> Result<G1Affine, BackendError> {
		if points.len() != scalars.len() {
			return Err(BackendError("msm: points and scalars differ in length"));
		}
		let points = encoding::encode_all(points)?;
		let scalars = encoding::encode_all(scalars)?;
		let mut out = [0u8; G1_BYTES];
		match Status::from_code(interface::bn_254::msm_g1(&points, &scalars, &mut out)) {
			Status::Ok => encoding::decode_g1(&out),
			other => Err(BackendError(other.describe())),
		}
	}

	fn pairing_product_is_one(g1: [G1Affine; 2], g2: [G2Affine; 2]) -> Result<bool, BackendError> {
		let g1 = encoding::encode_all(&g1)?;
		let g2 = encoding::encode_all(&g2)?;
		match Status::from_code(interface::bn_254::pairing_product_is_one(&g1, &g2)) {
			Status::Ok => Ok(true),
			Status::NotOne => Ok(false),
			other => Err(BackendError(other.describe())),
		}
	}
}
