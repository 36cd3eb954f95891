//! What a `service_response` proof states, and its public inputs.
//!
//! The circuit (`circuits/service_response/src/main.nr`) has five public inputs, each a BN254
//! field element given as a 32-byte big-endian word, in this order:
//!
//! | # | input | meaning |
//! |---|---|---|
//! | 0 | `services_root` | root of the service tree (primitives/service-tree) an attested worker reported |
//! | 1, 2 | `response_hash_hi`, `_lo` | SHA-256 of the response, high and low 16 bytes |
//! | 3, 4 | `service_key_hi`, `_lo` | SHA-256 of the service's name (its tree key), high and low 16 bytes |
//!
//! A proof of it says: a service whose leaf (name key, Nix store path hash, public key) is in
//! the tree with that root signed a response with that SHA-256.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Number of public inputs of `service_response`.
pub const PUBLIC_INPUTS: usize = 5;

/// The statement of a `service_response` proof.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct ServiceResponseStatement {
	/// The services root (a canonical BN254 field element, big-endian).
	pub services_root: [u8; 32],
	/// SHA-256 of the response.
	pub response_hash: [u8; 32],
	/// SHA-256 of the service's name.
	pub service_key: [u8; 32],
}

/// Public inputs that do not encode a statement.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum StatementError {
	/// Not exactly [`PUBLIC_INPUTS`] words.
	#[error("expected {PUBLIC_INPUTS} public inputs, got {0}")]
	Count(usize),
	/// A hash half is 2^128 or more.
	#[error("public input {0} is not a 128-bit half")]
	NotAHalf(usize),
}

impl ServiceResponseStatement {
	/// The public inputs, in the circuit's order.
	pub fn public_inputs(&self) -> [[u8; 32]; PUBLIC_INPUTS] {
		let [r_hi, r_lo] = halves(&self.response_hash);
		let [k_hi, k_lo] = halves(&self.service_key);
		[self.services_root, r_hi, r_lo, k_hi, k_lo]
	}

	/// The statement the public inputs encode. Each hash half must be below 2^128; the root is
	/// taken as given (the proof fails for a non-canonical root, since it is a field element).
	pub fn from_public_inputs(inputs: &[[u8; 32]]) -> Result<Self, StatementError> {
		let [root, r_hi, r_lo, k_hi, k_lo] = <&[[u8; 32]; PUBLIC_INPUTS]>::try_from(inputs)
			.map_err(|_| StatementError::Count(inputs.len()))?;
		// `hi` and `lo` are public inputs `index.0` and `index.1`.
		let join = |hi: &[u8; 32],
		            lo: &[u8; 32],
		            index: (usize, usize)|
		 -> Result<[u8; 32], StatementError> {
			let (hi_zero, hi_value) = hi.split_at(16);
			let (lo_zero, lo_value) = lo.split_at(16);
			if hi_zero.iter().any(|b| *b != 0) {
				return Err(StatementError::NotAHalf(index.0));
			}
			if lo_zero.iter().any(|b| *b != 0) {
				return Err(StatementError::NotAHalf(index.1));
			}
			let mut out = [0u8; 32];
			let (out_hi, out_lo) = out.split_at_mut(16);
			out_hi.copy_from_slice(hi_value);
			out_lo.copy_from_slice(lo_value);
			Ok(out)
		};
		Ok(Self {
			services_root: *root,
			response_hash: join(r_hi, r_lo, (1, 2))?,
			service_key: join(k_hi, k_lo, (3, 4))?,
		})
	}
}

/// `[0^16 || bytes[0..16], 0^16 || bytes[16..32]]`.
fn halves(bytes: &[u8; 32]) -> [[u8; 32]; 2] {
	let mut hi = [0u8; 32];
	let mut lo = [0u8; 32];
	let (first, second) = bytes.split_at(16);
	if let (Some(h), Some(l)) = (hi.get_mut(16..), lo.get_mut(16..)) {
		h.copy_from_slice(first);
		l.copy_from_slice(second);
	}
	[hi, lo]
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, reason = "test vectors of known length")]
mod tests {
	use super::*;

	#[test]
	fn public_inputs_round_trip_and_reject_bad_words() {
		let statement = ServiceResponseStatement {
			services_root: [7; 32],
			response_hash: core::array::from_fn(|i| i as u8),
			service_key: core::array::from_fn(|i| 200 - i as u8),
		};
		let inputs = statement.public_inputs();
		assert_eq!(inputs[1][16..], statement.response_hash[..16]);
		assert_eq!(inputs[4][16..], statement.service_key[16..]);
		assert_eq!(
			ServiceResponseStatement::from_public_inputs(&inputs),
			Ok(statement)
		);
		assert_eq!(
			ServiceResponseStatement::from_public_inputs(&inputs[..4]),
			Err(StatementError::Count(4))
		);
		for i in 1..5 {
			let mut bad = inputs;
			bad[i][0] = 1;
			assert_eq!(
				ServiceResponseStatement::from_public_inputs(&bad),
				Err(StatementError::NotAHalf(i))
			);
		}
	}
}
