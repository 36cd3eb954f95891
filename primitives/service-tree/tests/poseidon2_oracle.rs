//! Our Poseidon2 against independent implementations and published values.
//!
//! - `taceo-poseidon2` 0.3.1 (an independent Rust implementation of the same parameters; a
//!   dev-dependency only, since it needs std) on pseudo-random states, including values near
//!   the modulus;
//! - published outputs of Noir's `poseidon` library, `Poseidon2::hash(x, n)` for n = 1..4, which
//!   cover a short chunk, a full chunk and a second chunk of the sponge.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use service_tree::{poseidon2, Digest};

fn to_digest(x: &Fr) -> Digest {
	Digest::from_bytes(x.into_bigint().to_bytes_be().try_into().unwrap()).unwrap()
}

#[test]
fn permutation_matches_taceo_poseidon2() {
	let mut state = 0x0123_4567_89ab_cdefu64;
	let mut next = || {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		state
	};
	for round in 0..300 {
		let input: [Fr; 4] = core::array::from_fn(|lane| match (round + lane) % 5 {
			0 => Fr::from(0u64),
			1 => -Fr::from(next() % 4 + 1), // p - 1 .. p - 4
			_ => {
				let bytes: Vec<u8> = (0..32)
					.flat_map(|_| next().to_be_bytes())
					.take(32)
					.collect();
				Fr::from_be_bytes_mod_order(&bytes)
			}
		});
		let expected = taceo_poseidon2::bn254::t4::permutation(&input);
		let ours = poseidon2::permutation(&input.map(|x| to_digest(&x)));
		assert_eq!(ours, expected.map(|x| to_digest(&x)), "round {round}");
	}
}

#[test]
fn sponge_matches_published_noir_poseidon_hashes() {
	let cases: [(&[u64], &str); 4] = [
		(
			&[1],
			"168758332d5b3e2d13be8048c8011b454590e06c44bce7f702f09103eef5a373",
		),
		(
			&[1, 2],
			"038682aa1cb5ae4e0a3f13da432a95c77c5c111f6f030faf9cad641ce1ed7383",
		),
		(
			&[1, 2, 3],
			"23864adb160dddf590f1d3303683ebcb914f828e2635f6e85a32f0a1aecd3dd8",
		),
		(
			&[1, 2, 3, 4],
			"130bf204a32cac1f0ace56c78b731aa3809f06df2731ebcf6b3464a15788b1b9",
		),
	];
	for (input, expected) in cases {
		let input: Vec<Digest> = input.iter().map(|&x| Digest::from_u64(x)).collect();
		assert_eq!(
			poseidon2::hash(&input),
			Digest::from_hex(expected).unwrap(),
			"{input:?}"
		);
	}
}
