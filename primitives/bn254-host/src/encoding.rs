//! How points, scalars and outcomes cross the host-function boundary.

use alloc::vec::Vec;

use ark_bn254::G1Affine;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use zk_verifier::BackendError;

/// Bytes of a G1 point: ark-serialize uncompressed (x, y little-endian; the point at infinity
/// is a flag in the last byte).
pub const G1_BYTES: usize = 64;
/// Bytes of a G2 point, same encoding.
pub const G2_BYTES: usize = 128;
/// Bytes of a scalar (little-endian, below r).
pub const SCALAR_BYTES: usize = 32;
/// Most terms of one multi-scalar multiplication. The verifier needs at most 75 (a ZK proof
/// of a 2^28-row circuit); the bound keeps a host call's work bounded whatever it is given.
pub const MAX_MSM_POINTS: usize = 128;
/// Most pairs of one pairing check (the verifier uses 2).
pub const MAX_PAIRS: usize = 4;

/// The outcome of a host call, carried over the FFI as its `u32` code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum Status {
	/// Computed; for the pairing: the product is one.
	Ok = 0,
	/// The pairing product is not one.
	NotOne = 1,
	/// A G1 input is not a canonical encoding of a point of G1.
	BadG1 = 2,
	/// A G2 input is not a canonical encoding of a point of G2.
	BadG2 = 3,
	/// A scalar is not a canonical encoding below r.
	BadScalar = 4,
	/// The inputs' lengths do not match (points and scalars, G1 and G2, or not whole
	/// elements), or a pairing check has no pairs.
	LengthMismatch = 5,
	/// More terms or pairs than the host accepts.
	TooMany = 6,
	/// A code this version does not know (a newer host).
	Unknown = 255,
}

impl Status {
	/// The status a code stands for.
	pub fn from_code(code: u32) -> Self {
		match code {
			0 => Self::Ok,
			1 => Self::NotOne,
			2 => Self::BadG1,
			3 => Self::BadG2,
			4 => Self::BadScalar,
			5 => Self::LengthMismatch,
			6 => Self::TooMany,
			_ => Self::Unknown,
		}
	}

	/// What went wrong, for the verifier's error.
	pub fn describe(self) -> &'static str {
		match self {
			Self::Ok => "bn254 host: ok",
			Self::NotOne => "bn254 host: pairing product is not one",
			Self::BadG1 => "bn254 host: bad G1 point",
			Self::BadG2 => "bn254 host: bad G2 point",
			Self::BadScalar => "bn254 host: bad scalar",
			Self::LengthMismatch => "bn254 host: input lengths do not match",
			Self::TooMany => "bn254 host: too many terms",
			Self::Unknown => "bn254 host: unknown status code",
		}
	}
}

/// Encodes values one after another, uncompressed.
pub(crate) fn encode_all<T: CanonicalSerialize>(values: &[T]) -> Result<Vec<u8>, BackendError> {
	let mut bytes = Vec::with_capacity(values.len().saturating_mul(G1_BYTES));
	for value in values {
		value
			.serialize_uncompressed(&mut bytes)
			.map_err(|_| BackendError("bn254 host: cannot encode an input"))?;
	}
	Ok(bytes)
}

/// Decodes `bytes` as consecutive `size`-byte values, each validated (on the curve and in
/// the subgroup for points, below r for scalars) and canonical (its bytes are exactly what
/// encoding it gives: no stray flag bits, no coordinates behind the infinity flag):
/// `LengthMismatch` if `bytes` is not whole values, `invalid` if a value is not valid.
pub(crate) fn decode_all<T: CanonicalDeserialize + CanonicalSerialize>(
	bytes: &[u8],
	size: usize,
	invalid: Status,
) -> Result<Vec<T>, Status> {
	if bytes.len().checked_rem(size) != Some(0) {
		return Err(Status::LengthMismatch);
	}
	bytes
		.chunks_exact(size)
		.map(|chunk| {
			let value = T::deserialize_with_mode(chunk, Compress::No, Validate::Yes)
				.map_err(|_| invalid)?;
			let mut again = Vec::with_capacity(size);
			value
				.serialize_uncompressed(&mut again)
				.map_err(|_| invalid)?;
			if again.as_slice() == chunk {
				Ok(value)
			} else {
				Err(invalid)
			}
		})
		.collect()
}

/// The host's G1 result, checked again on this side.
pub(crate) fn decode_g1(bytes: &[u8; G1_BYTES]) -> Result<G1Affine, BackendError> {
	G1Affine::deserialize_with_mode(bytes.as_slice(), Compress::No, Validate::Yes)
		.map_err(|_| BackendError("bn254 host: returned a bad G1 point"))
}
