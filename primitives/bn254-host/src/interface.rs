//! The host functions themselves: their names and signatures are part of the chain's
//! consensus interface (a runtime importing them runs only on nodes that provide them).
// The macro's wasm side calls the imported functions through `unsafe` FFI; nothing else here is.
#![allow(unsafe_code)]

use sp_runtime_interface::{
	pass_by::{PassFatPointerAndRead, PassFatPointerAndWrite},
	runtime_interface,
};

/// BN254 group operations computed natively by the node (imported by the runtime as
/// `ext_bn_254_msm_g1_version_1` and `ext_bn_254_pairing_product_is_one_version_1`).
///
/// Encodings (`crate::encoding`): ark-serialize, uncompressed, little-endian; points are
/// checked on the curve and in the subgroup, scalars below r. The result is a
/// [`crate::Status`] code.
#[runtime_interface]
pub trait Bn254 {
	/// `sum(scalars[i] * points[i])` over G1 (at most [`crate::MAX_MSM_POINTS`] terms),
	/// written to `out` (which must be [`crate::G1_BYTES`] long); returns
	/// [`crate::Status::Ok`] or why not.
	fn msm_g1(
		points: PassFatPointerAndRead<&[u8]>,
		scalars: PassFatPointerAndRead<&[u8]>,
		out: PassFatPointerAndWrite<&mut [u8]>,
	) -> u32 {
		crate::host::msm_g1(points, scalars, out) as u32
	}

	/// Whether `prod e(g1[i], g2[i])` is one (at most [`crate::MAX_PAIRS`] pairs):
	/// [`crate::Status::Ok`] if it is, [`crate::Status::NotOne`] if not, or why it could not
	/// be computed.
	fn pairing_product_is_one(
		g1: PassFatPointerAndRead<&[u8]>,
		g2: PassFatPointerAndRead<&[u8]>,
	) -> u32 {
		crate::host::pairing_product_is_one(g1, g2) as u32
	}
}
