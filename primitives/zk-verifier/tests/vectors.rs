//! Real bb 3.0.x proofs: Aztec-SRS proofs from another project (testvectors/ultrahonk) verify
//! with Aztec's G2 only; the project's dev-SRS proofs of service_response verify with the dev
//! G2 only; any flipped byte, changed public input, other key or other G2 is rejected.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use fixtures::{cases, read, words};
use zk_verifier::{
	encoding::Word, verify, Flavour, ServiceResponseStatement, VerificationKey, VerifyError,
};

#[test]
fn aztec_g2_file_of_the_testvectors_is_the_built_in_constant() {
	// testvectors/ultrahonk/aztec_srs_g2.dat: four 64-bit limbs per coordinate, least
	// significant first, each big-endian.
	let legacy = read("../../testvectors/ultrahonk/aztec_srs_g2.dat");
	let mut converted = [0u8; 128];
	for (coordinate, out) in legacy.chunks_exact(32).zip(converted.chunks_exact_mut(32)) {
		for (limb, slot) in coordinate
			.chunks_exact(8)
			.rev()
			.zip(out.chunks_exact_mut(8))
		{
			slot.copy_from_slice(limb);
		}
	}
	assert_eq!(converted, zk_verifier::AZTEC_G2);
}

#[test]
fn every_proof_verifies_under_its_srs_and_not_under_the_other() {
	for case in cases() {
		let vk = VerificationKey::parse(&case.vk).unwrap();
		verify(&vk, &case.proof, &case.inputs, case.flavour, &case.g2)
			.unwrap_or_else(|e| panic!("{}: {e}", case.name));
		assert_eq!(
			verify(&vk, &case.proof, &case.inputs, case.flavour, &case.other_g2),
			Err(VerifyError::Pairing),
			"{}",
			case.name
		);
	}
}

/// Under Aztec's SRS bb's default pairing points are aggregated into the final pairing like
/// any other (they satisfy it under Aztec's tau): the Aztec test vectors carry the defaults,
/// so they take that path, and verify. Only the dev SRS skips them.
#[test]
fn the_default_pairing_points_are_aggregated_under_every_srs_but_the_dev_one() {
	let aztec = zk_verifier::SrsG2::aztec().unwrap();
	assert!(!aztec.is_dev());
	assert!(zk_verifier::SrsG2::dev().unwrap().is_dev());
	let mut aggregated = 0;
	for case in cases().into_iter().filter(|c| c.g2 == aztec) {
		// A bb proof begins with its pairing-point object.
		let words: Vec<[u8; 32]> = case.proof[..16 * 32]
			.chunks_exact(32)
			.map(|c| c.try_into().unwrap())
			.collect();
		assert_eq!(
			words.as_slice(),
			zk_verifier::DEFAULT_PAIRING_WORDS.as_slice(),
			"{}: the default pairing points",
			case.name
		);
		let vk = VerificationKey::parse(&case.vk).unwrap();
		verify(&vk, &case.proof, &case.inputs, case.flavour, &aztec)
			.unwrap_or_else(|e| panic!("{}: {e}", case.name));
		aggregated += 1;
	}
	assert_eq!(aggregated, 2, "both Aztec vectors (ZK and plain)");
}

#[test]
fn the_statement_is_read_from_the_public_inputs() {
	let inputs = words(&read("tests/data/service_response/zk/public_inputs"));
	let statement = ServiceResponseStatement::from_public_inputs(&inputs).unwrap();
	assert_eq!(statement.public_inputs().to_vec(), inputs);
}

#[test]
fn any_flipped_proof_byte_is_rejected() {
	for case in cases() {
		let vk = VerificationKey::parse(&case.vk).unwrap();
		// Every 32-byte word, at its last byte (a flipped high byte is mostly caught as
		// non-canonical; the low byte reaches the arithmetic).
		for word in 0..case.proof.len() / 32 {
			for byte in [word * 32 + 31, word * 32] {
				let mut proof = case.proof.clone();
				proof[byte] ^= 1;
				assert!(
					verify(&vk, &proof, &case.inputs, case.flavour, &case.g2).is_err(),
					"{}: flipping byte {byte} was accepted",
					case.name
				);
			}
		}
	}
}

/// Word offsets (in 32-byte words) of parts of a proof, by the layout in proof.rs.
fn offsets(flavour: Flavour, log_n: usize) -> (usize, usize, usize, usize) {
	// (first univariate word, first entity evaluation, first libra poly eval (ZK), KZG W.x)
	match flavour {
		Flavour::Plain => {
			let uni = 16 + 16;
			let evals = uni + 8 * log_n;
			let w = 11 * log_n + 75 - 2;
			(uni, evals, 0, w)
		}
		Flavour::Zk => {
			let uni = 16 + 18 + 3;
			let evals = uni + 9 * log_n + 1; // after the masking evaluation
			let libra = evals + 41 + 1 + 4 + 2 * (log_n - 1) + log_n;
			let w = 12 * log_n + 90 - 2;
			(uni, evals, libra, w)
		}
	}
}

#[test]
fn each_check_catches_what_it_is_for() {
	for case in cases() {
		let vk = VerificationKey::parse(&case.vk).unwrap();
		let n = vk.log_n as usize;
		let (uni, evals, libra, w) = offsets(case.flavour, n);
		let flip = |word: usize| {
			let mut proof = case.proof.clone();
			proof[word * 32 + 31] ^= 1;
			verify(&vk, &proof, &case.inputs, case.flavour, &case.g2)
		};
		assert_eq!(
			flip(uni),
			Err(VerifyError::SumcheckRound(0)),
			"{}",
			case.name
		);
		assert_eq!(
			flip(uni + case.flavour.univariate_length() * (n - 1) + 1),
			Err(VerifyError::SumcheckRound(n - 1)),
			"{}",
			case.name
		);
		for e in [0, 27, 28, 35, 36, 40] {
			assert_eq!(
				flip(evals + e),
				Err(VerifyError::SumcheckFinal),
				"{} evaluation {e}",
				case.name
			);
		}
		if case.flavour == Flavour::Zk {
			for k in 0..4 {
				assert_eq!(
					flip(libra + k),
					Err(VerifyError::Libra),
					"{} libra eval {k}",
					case.name
				);
			}
		}
		assert_eq!(
			flip(w + 1),
			Err(VerifyError::NotOnCurve("KZG opening")),
			"{}",
			case.name
		);
		// Another point of the curve as W: only the pairing can tell.
		let mut proof = case.proof.clone();
		let g = <ark_bn254::G1Affine as ark_ec::AffineRepr>::generator();
		let [x, y] = zk_verifier::encoding::g1_words(&g);
		proof[w * 32..w * 32 + 32].copy_from_slice(&x);
		proof[w * 32 + 32..w * 32 + 64].copy_from_slice(&y);
		assert_eq!(
			verify(&vk, &proof, &case.inputs, case.flavour, &case.g2),
			Err(VerifyError::Pairing),
			"{}",
			case.name
		);
	}
}

#[test]
fn changed_inputs_keys_and_flavours_are_rejected() {
	let cases = cases();
	for case in &cases {
		let vk = VerificationKey::parse(&case.vk).unwrap();
		for i in 0..case.inputs.len() {
			let mut inputs = case.inputs.clone();
			inputs[i][31] ^= 1;
			assert!(
				verify(&vk, &case.proof, &inputs, case.flavour, &case.g2).is_err(),
				"{}: public input {i} changed",
				case.name
			);
		}
		assert!(
			matches!(
				verify(&vk, &case.proof, &case.inputs[1..], case.flavour, &case.g2),
				Err(VerifyError::PublicInputCount { .. })
			),
			"{}",
			case.name
		);
		let other = if case.flavour == Flavour::Zk {
			Flavour::Plain
		} else {
			Flavour::Zk
		};
		assert!(
			matches!(
				verify(&vk, &case.proof, &case.inputs, other, &case.g2),
				Err(VerifyError::ProofLength { .. })
			),
			"{}",
			case.name
		);
		// Every other case's key: a different circuit or size.
		for wrong in cases.iter().filter(|c| c.vk != case.vk) {
			let wrong_vk = VerificationKey::parse(&wrong.vk).unwrap();
			let inputs: Vec<Word> = (0..wrong_vk.public_inputs)
				.map(|i| case.inputs.get(i).copied().unwrap_or([0; 32]))
				.collect();
			assert!(
				verify(&wrong_vk, &case.proof, &inputs, case.flavour, &case.g2).is_err(),
				"{} under {}'s key",
				case.name,
				wrong.name
			);
		}
		// A changed key commitment (another valid point: the generator doubled).
		let mut vk_bytes = case.vk.clone();
		let g = <ark_bn254::G1Affine as ark_ec::AffineRepr>::generator();
		let g2 = g + g;
		let [x, y] = zk_verifier::encoding::g1_words(&ark_ec::CurveGroup::into_affine(g2));
		vk_bytes[3 * 32..4 * 32].copy_from_slice(&x);
		vk_bytes[4 * 32..5 * 32].copy_from_slice(&y);
		let changed = VerificationKey::parse(&vk_bytes).unwrap();
		assert!(
			verify(&changed, &case.proof, &case.inputs, case.flavour, &case.g2).is_err(),
			"{}: changed q_m",
			case.name
		);
	}
}

#[test]
fn malformed_keys_are_refused() {
	let vk = read("tests/data/service_response/vk");
	assert_eq!(
		VerificationKey::parse(&vk[..1887]),
		Err(VerifyError::VkLength(1887))
	);
	for (word, value, expect) in [
		(0usize, 0u8, "log circuit size outside 3..=28"),
		(0, 2, "log circuit size outside 3..=28"),
		(0, 29, "log circuit size outside 3..=28"),
		(1, 15, "fewer public inputs than the 16 pairing-point words"),
		(2, 2, "public input offset is not 1"),
	] {
		let mut bad = vk.clone();
		bad[word * 32 + 31] = value;
		assert_eq!(
			VerificationKey::parse(&bad),
			Err(VerifyError::VkHeader(expect))
		);
	}
	let mut off_curve = vk.clone();
	off_curve[3 * 32 + 31] ^= 1;
	assert!(matches!(
		VerificationKey::parse(&off_curve),
		Err(VerifyError::NotOnCurve(_))
	));
}
