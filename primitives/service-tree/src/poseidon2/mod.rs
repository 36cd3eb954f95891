//! Poseidon2 over the BN254 scalar field, bit-compatible with Noir.
//!
//! - [`permutation`] is Noir's `std::hash::poseidon2_permutation(state, 4)` (Barretenberg's
//!   Poseidon2: t = 4, S-box x^5, 8 full rounds split 4 + 4 around 56 partial rounds, external
//!   matrix M4, internal matrix `diag(mu) + J`).
//! - [`hash`] is the fixed-length sponge of Noir's `poseidon` library (`Poseidon2::hash(input,
//!   N)` with `N == input.len()`), which is also the sponge inside Noir's standard library:
//!   state `[0, 0, 0, n * 2^64]`, absorb the inputs three at a time (added into lanes 0..3, then
//!   one permutation per chunk, a short last chunk being zero-padded), output lane 0.
//!
//! Constants (`src/poseidon2/constants.rs`): the round constants and internal diagonal of Noir's
//! black-box solver (`bn254_blackbox_solver` 1.0.0, `src/poseidon2_constants.rs`; noir_wasm and
//! noir_js execute `poseidon2_permutation` with it), which are the Poseidon2 authors' BN254
//! parameters for t = 4 (HorizenLabs `poseidon2_rust_params.sage`) as Barretenberg uses them. They
//! were converted by a script and checked three ways: against permutation outputs that noir_js
//! computed (`tests/noir_vectors.json`), against `taceo-poseidon2` 0.3.1 (an independent
//! implementation, same constants in decimal) on random states, and against published outputs of
//! Noir's `poseidon` library.
//!
//! Field arithmetic is modular (arkworks' Montgomery form), so it can neither overflow nor panic.
//! The workspace lint `arithmetic_side_effects`, which is aimed at integer overflow, is allowed
//! in this module for that reason.

#![allow(
	clippy::arithmetic_side_effects,
	reason = "BN254 field arithmetic is modular: it never overflows and never panics"
)]

mod constants;

use crate::digest::Digest;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, BigInt, Field};

/// State width t of the permutation (Noir's `poseidon2_permutation(_, 4)`).
pub const WIDTH: usize = 4;
/// Rate of the sponge (lanes 0..3 absorb input, lane 3 is the capacity).
pub const RATE: usize = 3;
/// Number of rounds (8 full + 56 partial).
const ROUNDS: usize = 64;
/// Rounds 4..60 are partial; 0..4 and 60..64 are full.
const PARTIAL_ROUNDS: core::ops::Range<usize> = 4..ROUNDS - 4;

/// 2^64: the sponge's initial capacity value is `input length * 2^64`.
const TWO_POW_64: Fr = fr("0000000000000000000000000000000000000000000000010000000000000000");

/// Parses 64 hexadecimal digits (big-endian) into a field element at compile time.
///
/// Only used to initialise constants: a malformed literal is a compile error (const evaluation
/// fails), never a run-time panic.
#[allow(
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects,
	clippy::panic,
	reason = "const evaluation only: an error here fails the build, not a run"
)]
const fn fr(hex: &str) -> Fr {
	let digits = hex.as_bytes();
	if digits.len() != 64 {
		panic!("field constants are 64 hex digits");
	}
	let mut limbs = [0u64; 4];
	let mut i = 0;
	while i < 64 {
		let c = digits[i];
		let nibble = match c {
			b'0'..=b'9' => c - b'0',
			b'a'..=b'f' => c - b'a' + 10,
			_ => panic!("lower-case hex digits only"),
		};
		// Digit i (most significant first) lands in limb 3 - i / 16 (limbs are little-endian).
		let limb = 3 - i / 16;
		limbs[limb] = (limbs[limb] << 4) | nibble as u64;
		i += 1;
	}
	Fr::new(BigInt::new(limbs))
}

/// x^5, the S-box.
#[inline(always)]
fn sbox(x: &mut Fr) {
	let x2 = x.square();
	*x *= x2.square();
}

/// Multiplication by the external matrix
/// `M4 = [[5, 7, 1, 3], [4, 6, 1, 1], [1, 3, 5, 7], [1, 1, 4, 6]]`, with the addition chain of
/// the Poseidon2 paper (appendix B) that Barretenberg and Noir use.
#[inline(always)]
fn external_layer(s: &mut [Fr; WIDTH]) {
	let [x0, x1, x2, x3] = *s;
	let t0 = x0 + x1;
	let t1 = x2 + x3;
	let t2 = x1.double() + t1;
	let t3 = x3.double() + t0;
	let t4 = t1.double().double() + t3;
	let t5 = t0.double().double() + t2;
	let t6 = t3 + t5;
	let t7 = t2 + t4;
	*s = [t6, t5, t7, t4];
}

/// Multiplication by the internal matrix `diag(mu) + J`: `x_i <- mu_i * x_i + sum(x)`.
#[inline(always)]
fn internal_layer(s: &mut [Fr; WIDTH]) {
	let sum: Fr = s.iter().sum();
	for (x, mu) in s.iter_mut().zip(constants::INTERNAL_DIAGONAL.iter()) {
		*x = *x * mu + sum;
	}
}

/// The Poseidon2 permutation on field elements.
pub(crate) fn permute(mut s: [Fr; WIDTH]) -> [Fr; WIDTH] {
	external_layer(&mut s);
	for (round, constants) in constants::ROUND_CONSTANTS.iter().enumerate() {
		if !PARTIAL_ROUNDS.contains(&round) {
			for (x, c) in s.iter_mut().zip(constants.iter()) {
				*x += c;
				sbox(x);
			}
			external_layer(&mut s);
		} else {
			let [c0, ..] = constants;
			let [x0, ..] = &mut s;
			*x0 += c0;
			sbox(x0);
			internal_layer(&mut s);
		}
	}
	s
}

/// The fixed-length Poseidon2 sponge on field elements (see the module docs).
pub(crate) fn sponge(inputs: &[Fr]) -> Fr {
	// The length is at most a few elements in this crate; u64 cannot overflow on any target.
	let len = Fr::from(u64::try_from(inputs.len()).unwrap_or(u64::MAX));
	let mut state = [Fr::ZERO, Fr::ZERO, Fr::ZERO, len * TWO_POW_64];
	for chunk in inputs.chunks(RATE) {
		for (lane, x) in state.iter_mut().zip(chunk) {
			*lane += x;
		}
		state = permute(state);
	}
	if inputs.is_empty() {
		state = permute(state);
	}
	let [out, ..] = state;
	out
}

/// Noir's `std::hash::poseidon2_permutation(state, 4)` on canonical 32-byte field elements.
///
/// Exposed so that other components (the circuit's prover inputs, tests, the CLI) can check
/// values against Noir without depending on arkworks.
pub fn permutation(state: &[Digest; WIDTH]) -> [Digest; WIDTH] {
	permute(state.map(|d| d.to_fr())).map(Digest::from_fr)
}

/// Noir's fixed-length Poseidon2 sponge `Poseidon2::hash(inputs, inputs.len())`.
///
/// The service tree uses it with 2 inputs (node hash) and 6 inputs (leaf hash).
pub fn hash(inputs: &[Digest]) -> Digest {
	let fields: alloc::vec::Vec<Fr> = inputs.iter().map(|d| d.to_fr()).collect();
	Digest::from_fr(sponge(&fields))
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
	use super::*;

	fn from_hex(h: &str) -> Fr {
		Digest::from_hex(h).unwrap().to_fr()
	}

	/// Known answer of the Poseidon2 reference implementation for t = 4 (input [0, 1, 2, 3]),
	/// as used in Barretenberg's and Noir's tests; `tests/noir_vectors.json` has more.
	#[test]
	fn permutation_known_answer() {
		let out = permute([
			Fr::from(0u64),
			Fr::from(1u64),
			Fr::from(2u64),
			Fr::from(3u64),
		]);
		let expected = [
			"01bd538c2ee014ed5141b29e9ae240bf8db3fe5b9a38629a9647cf8d76c01737",
			"239b62e7db98aa3a2a8f6a0d2fa1709e7a35959aa6c7034814d9daa90cbac662",
			"04cbb44c61d928ed06808456bf758cbf0c18d1e15a7b6dbc8245fa7515d5e3cb",
			"2e11c5cff2a22c64d01304b778d78f6998eff1ab73163a35603f54794c30847a",
		];
		for (o, e) in out.iter().zip(expected) {
			assert_eq!(*o, from_hex(e));
		}
	}

	#[test]
	fn const_parser_matches_runtime_parser() {
		assert_eq!(TWO_POW_64, Fr::from(1u128 << 64));
		assert_eq!(
			constants::INTERNAL_DIAGONAL[0],
			from_hex("10dc6e9c006ea38b04b1e03b4bd9490c0d03f98929ca1d7fb56821fd19d3b6e7")
		);
	}

	#[test]
	fn sponge_of_two_is_one_permutation() {
		let (a, b) = (Fr::from(7u64), Fr::from(9u64));
		let direct = permute([a, b, Fr::ZERO, Fr::from(2u64) * TWO_POW_64])[0];
		assert_eq!(sponge(&[a, b]), direct);
	}
}
