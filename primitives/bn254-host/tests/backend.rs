//! The host backend computes what arkworks computes in place, rejects each malformed input
//! with its status, and makes the verifier accept and reject exactly the same proofs.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

#[path = "../../zk-verifier/tests/fixtures/mod.rs"]
mod fixtures;

use ark_bn254::{Fq, Fr, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, PrimeField};
use ark_serialize::CanonicalSerialize;
use bn254_host::{
	interface::bn_254, HostBackend, Status, G1_BYTES, G2_BYTES, MAX_MSM_POINTS, MAX_PAIRS,
};
use zk_verifier::{verify, verify_with, Arkworks, GroupBackend, VerificationKey, VerifyError};

/// Deterministic scalars (no RNG dependency): a fixed linear congruence mod r.
fn scalars(n: usize, seed: u64) -> Vec<Fr> {
	let step = Fr::from(0x9e37_79b9_7f4a_7c15u64);
	let mut x = Fr::from(seed);
	(0..n)
		.map(|_| {
			x = x * step + Fr::from(7u64);
			x
		})
		.collect()
}

fn g1_points(n: usize, seed: u64) -> Vec<G1Affine> {
	scalars(n, seed)
		.into_iter()
		.map(|s| (G1Affine::generator() * s).into_affine())
		.collect()
}

fn encode<T: CanonicalSerialize>(values: &[T]) -> Vec<u8> {
	let mut out = Vec::new();
	for v in values {
		v.serialize_uncompressed(&mut out).unwrap();
	}
	out
}

#[test]
fn msm_matches_arkworks_for_every_size_up_to_the_verifiers() {
	for n in [0usize, 1, 2, 3, 17, 60, 75, MAX_MSM_POINTS] {
		let points = g1_points(n, n as u64 + 1);
		let s = scalars(n, 1000 + n as u64);
		assert_eq!(
			HostBackend::msm_g1(&points, &s).unwrap(),
			Arkworks::msm_g1(&points, &s).unwrap(),
			"{n} terms"
		);
	}
	// The point at infinity and the zero scalar are valid terms.
	let points = [G1Affine::identity(), G1Affine::generator()];
	let s = [Fr::from(5u64), Fr::from(0u64)];
	assert!(HostBackend::msm_g1(&points, &s).unwrap().is_zero());
	let s = [Fr::from(5u64), Fr::from(3u64)];
	assert_eq!(
		HostBackend::msm_g1(&points, &s).unwrap(),
		(G1Affine::generator() * Fr::from(3u64)).into_affine()
	);
}

#[test]
fn pairing_answers_like_arkworks() {
	let p = (G1Affine::generator() * Fr::from(11u64)).into_affine();
	let q = (G2Affine::generator() * Fr::from(13u64)).into_affine();
	// e(11 G, 13 H) e(-143 G, H) = 1.
	let balancing = (G1Affine::generator() * -Fr::from(143u64)).into_affine();
	let cases = [
		([p, balancing], [q, G2Affine::generator()], true),
		([p, p], [q, G2Affine::generator()], false),
		([p, -p], [q, q], true),
		([G1Affine::identity(), G1Affine::identity()], [q, q], true),
	];
	for (g1, g2, expected) in cases {
		assert_eq!(
			HostBackend::pairing_product_is_one(g1, g2).unwrap(),
			expected
		);
		assert_eq!(Arkworks::pairing_product_is_one(g1, g2).unwrap(), expected);
	}
}

#[test]
fn host_rejects_malformed_msm_inputs_with_their_status() {
	let points = encode(&g1_points(3, 1));
	let s = encode(&scalars(3, 2));
	let mut out = [0u8; 64];
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&points, &s, &mut out)),
		Status::Ok
	);

	// Not whole points / scalars.
	let cut = &points[..points.len() - 1];
	assert_eq!(
		Status::from_code(bn_254::msm_g1(cut, &s, &mut out)),
		Status::LengthMismatch
	);
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&points, &s[..s.len() - 1], &mut out)),
		Status::LengthMismatch
	);
	// Three points, two scalars.
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&points, &s[..2 * 32], &mut out)),
		Status::LengthMismatch
	);
	// A point off the curve: y + 1.
	let mut off = points.clone();
	off[32] ^= 1;
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&off, &s, &mut out)),
		Status::BadG1
	);
	// A coordinate at q (not canonical).
	let mut big = points.clone();
	let q = Fq::MODULUS.to_bytes_le();
	big[..32].copy_from_slice(&q);
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&big, &s, &mut out)),
		Status::BadG1
	);
	// A scalar equal to r.
	let mut r = s.clone();
	r[..32].copy_from_slice(&Fr::MODULUS.to_bytes_le());
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&points, &r, &mut out)),
		Status::BadScalar
	);
	// One term more than the bound.
	let n = MAX_MSM_POINTS + 1;
	let many = encode(&vec![G1Affine::generator(); n]);
	let many_s = encode(&vec![Fr::from(1u64); n]);
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&many, &many_s, &mut out)),
		Status::TooMany
	);

	// An output buffer that is not one G1 point.
	let mut short = [0u8; G1_BYTES - 1];
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&points, &s, &mut short)),
		Status::LengthMismatch
	);
}

#[test]
fn host_rejects_malformed_pairing_inputs_with_their_status() {
	let g1 = encode(&[G1Affine::generator(), -G1Affine::generator()]);
	let g2 = encode(&[G2Affine::generator(), G2Affine::generator()]);
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&g1, &g2)),
		Status::Ok
	);
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&g1, &g2[..G2_BYTES])),
		Status::LengthMismatch
	);
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&g1[..G1_BYTES + 1], &g2)),
		Status::LengthMismatch
	);
	let mut off = g2.clone();
	off[0] ^= 1;
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&g1, &off)),
		Status::BadG2
	);
	let mut off = g1.clone();
	off[0] ^= 1;
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&off, &g2)),
		Status::BadG1
	);
	// A G2 point on the twist but outside the prime-order subgroup.
	let outside = twist_point_outside_subgroup();
	let g2_outside = encode(&[G2Affine::generator(), outside]);
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&g1, &g2_outside)),
		Status::BadG2
	);
	let n = MAX_PAIRS + 1;
	let many1 = encode(&vec![G1Affine::generator(); n]);
	let many2 = encode(&vec![G2Affine::generator(); n]);
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&many1, &many2)),
		Status::TooMany
	);
}

#[test]
fn host_takes_only_canonical_encodings() {
	let s = encode(&[Fr::from(3u64)]);
	let mut out = [0u8; G1_BYTES];
	let g = encode(&[G1Affine::generator()]);
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&g, &s, &mut out)),
		Status::Ok
	);
	// The flag bits live in the top of y's last byte: a finite point with either flag set.
	for flag in [0x80u8, 0x40] {
		let mut flagged = g.clone();
		flagged[G1_BYTES - 1] |= flag;
		assert_eq!(
			Status::from_code(bn_254::msm_g1(&flagged, &s, &mut out)),
			Status::BadG1,
			"flag {flag:#x}"
		);
	}
	// The point at infinity: its canonical encoding is a valid term, with coordinates behind
	// the flag it is not.
	let zero = encode(&[G1Affine::identity()]);
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&zero, &s, &mut out)),
		Status::Ok
	);
	let mut dressed = zero.clone();
	dressed[0] = 1;
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&dressed, &s, &mut out)),
		Status::BadG1
	);
	// A G2 coordinate at or above q.
	let g1 = encode(&[G1Affine::generator(), -G1Affine::generator()]);
	let mut g2 = encode(&[G2Affine::generator(), G2Affine::generator()]);
	g2[..32].copy_from_slice(&Fq::MODULUS.to_bytes_le());
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&g1, &g2)),
		Status::BadG2
	);
}

#[test]
fn host_bounds_are_inclusive_and_nothing_is_not_a_check() {
	let g = G1Affine::generator();
	let h = G2Affine::generator();
	// Exactly MAX_PAIRS pairs: e(g, h) e(-g, h) ... = 1, and one pair changed: not one.
	let g1: Vec<G1Affine> = (0..MAX_PAIRS)
		.map(|i| if i % 2 == 0 { g } else { -g })
		.collect();
	let g2 = vec![h; MAX_PAIRS];
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&encode(&g1), &encode(&g2))),
		Status::Ok
	);
	let mut skewed = g1.clone();
	skewed[0] = (g * Fr::from(2u64)).into_affine();
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(
			&encode(&skewed),
			&encode(&g2)
		)),
		Status::NotOne
	);
	// No pairs at all: an empty product would be one, so it is refused.
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(&[], &[])),
		Status::LengthMismatch
	);
	// G2's point at infinity is a valid input (its pairings are one).
	let zero2 = G2Affine::identity();
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(
			&encode(&[g, G1Affine::identity()]),
			&encode(&[zero2, h])
		)),
		Status::Ok
	);
	assert_eq!(
		Status::from_code(bn_254::pairing_product_is_one(
			&encode(&[g, g]),
			&encode(&[zero2, h])
		)),
		Status::NotOne
	);
	// Too many scalars while the points are within the bound.
	let mut out = [0u8; G1_BYTES];
	let points = encode(&vec![g; MAX_MSM_POINTS]);
	let s = encode(&vec![Fr::from(1u64); MAX_MSM_POINTS + 1]);
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&points, &s, &mut out)),
		Status::TooMany
	);
	// Exactly MAX_MSM_POINTS terms: sum of 1 * g, MAX_MSM_POINTS times.
	let s = encode(&vec![Fr::from(1u64); MAX_MSM_POINTS]);
	assert_eq!(
		Status::from_code(bn_254::msm_g1(&points, &s, &mut out)),
		Status::Ok
	);
	let expected = encode(&[(g * Fr::from(MAX_MSM_POINTS as u64)).into_affine()]);
	assert_eq!(out.as_slice(), expected.as_slice());
}

/// The first point of the twist found from x = 1, 2, ... that is not in G2 (the twist's
/// cofactor is large, so the first one found is).
fn twist_point_outside_subgroup() -> G2Affine {
	for i in 1u64.. {
		let x = ark_bn254::Fq2::new(Fq::from(i), Fq::from(0u64));
		if let Some(p) = G2Affine::get_point_from_x_unchecked(x, false) {
			if !p.is_in_correct_subgroup_assuming_on_curve() {
				return p;
			}
		}
	}
	unreachable!()
}

#[test]
fn unknown_status_codes_are_not_success() {
	assert_eq!(Status::from_code(7), Status::Unknown);
	assert_eq!(Status::from_code(u32::MAX), Status::Unknown);
	for code in 0..=6u32 {
		assert_eq!(Status::from_code(code) as u32, code);
	}
}

#[test]
fn verifier_with_the_host_backend_accepts_and_rejects_the_same_proofs() {
	for case in fixtures::cases() {
		let vk = VerificationKey::parse(&case.vk).unwrap();
		let (proof, inputs, flavour, g2) = (&case.proof, &case.inputs, case.flavour, &case.g2);
		assert_eq!(
			verify_with::<HostBackend>(&vk, proof, inputs, flavour, g2),
			Ok(()),
			"{}",
			case.name
		);
		assert_eq!(
			verify_with::<HostBackend>(&vk, proof, inputs, flavour, &case.other_g2),
			Err(VerifyError::Pairing),
			"{}",
			case.name
		);
		// Flipped bytes in the last two commitments (the Shplonk quotient and the KZG witness:
		// off the curve, or caught by the backend's MSM and pairing) and in the middle of the
		// proof: the result is the in-place verifier's, and a rejection.
		for at in [proof.len() - 1, proof.len() - 65, proof.len() / 2] {
			let mut bad = proof.clone();
			bad[at] ^= 1;
			let hosted = verify_with::<HostBackend>(&vk, &bad, inputs, flavour, g2);
			assert_eq!(
				hosted,
				verify(&vk, &bad, inputs, flavour, g2),
				"{} byte {at}",
				case.name
			);
			assert!(hosted.is_err(), "{} byte {at}", case.name);
		}
	}
}
