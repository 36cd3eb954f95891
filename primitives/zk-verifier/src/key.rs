//! The verification key (bb 3.x, 1888 bytes): log2 of the circuit size, the number of public
//! inputs (the 16 pairing-point words included), their offset, and 28 commitments.

use ark_bn254::{Fr, G1Affine};
use ark_ff::PrimeField;
use sha3::{Digest, Keccak256};

use crate::{
	encoding::{g1, Word},
	error::VerifyError,
};

/// Size of a verification key in bytes.
pub const VK_BYTES: usize = 1888;
/// Number of commitments in a verification key.
pub const VK_COMMITMENTS: usize = 28;
/// Words of the pairing-point object, counted among the public inputs.
pub const PAIRING_POINT_WORDS: usize = 16;
/// Largest circuit size bb 3.x proves (2^28), and what the ZK masking check allows.
pub const MAX_LOG_N: u32 = 28;
/// Smallest circuit size accepted: below 2^3 the ZK flavour's row-disabling factor
/// `1 - u_2 ... u_{n-1}` is an empty product's complement, 0, and would switch the relation
/// check off (bb never makes such circuits).
pub const MIN_LOG_N: u32 = 3;

/// A parsed verification key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationKey {
	/// log2 of the circuit size.
	pub log_n: u32,
	/// Public inputs the proof's statement has (without the pairing-point words).
	pub public_inputs: usize,
	/// Offset of the public inputs in the trace (1 for bb 3.x).
	pub offset: u64,
	/// q_m, q_c, q_l, q_r, q_o, q_4, q_lookup, q_arith, q_delta_range, q_elliptic, q_memory,
	/// q_nnf, q_poseidon2_external, q_poseidon2_internal, sigma_1..4, id_1..4, table_1..4,
	/// lagrange_first, lagrange_last.
	pub commitments: [G1Affine; VK_COMMITMENTS],
	/// keccak256 of the key's bytes, mod r: the first transcript word.
	pub hash: Fr,
}

impl VerificationKey {
	/// Parses and checks a key.
	pub fn parse(bytes: &[u8]) -> Result<Self, VerifyError> {
		if bytes.len() != VK_BYTES {
			return Err(VerifyError::VkLength(bytes.len()));
		}
		let words: alloc::vec::Vec<Word> = bytes
			.chunks_exact(32)
			.filter_map(|c| Word::try_from(c).ok())
			.collect();
		let small = |index: usize, what: &'static str| -> Result<u64, VerifyError> {
			let word = words.get(index).ok_or(VerifyError::VkHeader(what))?;
			let (high, low) = word.split_at(24);
			if high.iter().any(|b| *b != 0) {
				return Err(VerifyError::VkHeader(what));
			}
			let mut bytes = [0u8; 8];
			bytes.copy_from_slice(low);
			Ok(u64::from_be_bytes(bytes))
		};
		let log_n = u32::try_from(small(0, "log circuit size")?)
			.ok()
			.filter(|n| (MIN_LOG_N..=MAX_LOG_N).contains(n))
			.ok_or(VerifyError::VkHeader("log circuit size outside 3..=28"))?;
		let public_inputs = usize::try_from(small(1, "number of public inputs")?)
			.ok()
			.and_then(|n| n.checked_sub(PAIRING_POINT_WORDS))
			.ok_or(VerifyError::VkHeader(
				"fewer public inputs than the 16 pairing-point words",
			))?;
		let offset = small(2, "public input offset")?;
		if offset != 1 {
			return Err(VerifyError::VkHeader("public input offset is not 1"));
		}
		let mut commitments = [G1Affine::default(); VK_COMMITMENTS];
		let points = words.get(3..).ok_or(VerifyError::VkLength(bytes.len()))?;
		for (slot, pair) in commitments.iter_mut().zip(points.chunks_exact(2)) {
			let [x, y] =
				<&[Word; 2]>::try_from(pair).map_err(|_| VerifyError::VkLength(bytes.len()))?;
			*slot = g1(x, y, "verification key commitment")?;
		}
		Ok(Self {
			log_n,
			public_inputs,
			offset,
			commitments,
			hash: Fr::from_be_bytes_mod_order(&Keccak256::digest(bytes)),
		})
	}
}
