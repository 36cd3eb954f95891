//! The circuit registry and `submit_proof`, with real proofs of the service_response circuit
//! made with the INSECURE dev SRS (primitives/zk-verifier/tests/data): a proof for the root an
//! attested worker reported is accepted; every other case is refused and changes nothing.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic
)]

use crate::{mock::*, tests::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, pallet_prelude::DispatchResult, BoundedVec},
	frame_system::RawOrigin,
	sp_core::ConstU32,
	sp_runtime::DispatchError,
};
use zk_verifier::{Flavour, ServiceResponseStatement};

const VK: &[u8] = include_bytes!("../../../primitives/zk-verifier/tests/data/service_response/vk");
const ZK_PROOF: &[u8] =
	include_bytes!("../../../primitives/zk-verifier/tests/data/service_response/zk/proof");
const ZK_INPUTS: &[u8] =
	include_bytes!("../../../primitives/zk-verifier/tests/data/service_response/zk/public_inputs");
const PLAIN_PROOF: &[u8] =
	include_bytes!("../../../primitives/zk-verifier/tests/data/service_response/plain/proof");
/// Another circuit's key (one public input): not a service-response statement.
const OTHER_VK: &[u8] = include_bytes!("../../../testvectors/ultrahonk/zk/vk");

fn inputs(bytes: &[u8]) -> BoundedVec<[u8; 32], ConstU32<STATEMENT_INPUTS>> {
	BoundedVec::try_from(
		bytes
			.chunks_exact(32)
			.map(|c| <[u8; 32]>::try_from(c).unwrap())
			.collect::<Vec<_>>(),
	)
	.unwrap()
}

fn statement() -> ServiceResponseStatement {
	ServiceResponseStatement::from_public_inputs(&inputs(ZK_INPUTS)).unwrap()
}

fn circuit_id() -> CircuitId {
	polkadot_sdk::sp_io::hashing::sha2_256(VK)
}

fn register_circuit(flavour: Flavour) -> DispatchResult {
	Pallet::<Test>::register_circuit(
		RawOrigin::Root.into(),
		BoundedVec::try_from(b"service_response".to_vec()).unwrap(),
		flavour,
		BoundedVec::try_from(VK.to_vec()).unwrap(),
	)
}

/// Trust anchors, collateral, a release, the dev SRS, the circuit in both flavours and an
/// attested worker (account 1) whose services root is the proofs' root.
fn setup_proofs() -> AccountId32 {
	setup();
	ProofSrsG2::<Test>::put(zk_verifier::DEV_G2);
	assert_ok!(register_circuit(Flavour::Zk));
	assert_ok!(register_circuit(Flavour::Plain));
	// The test image with the proofs' services root pinned (release 1).
	let mut pinned = release();
	pinned.services_roots = BoundedVec::try_from(vec![statement().services_root]).unwrap();
	assert_ok!(Pallet::<Test>::add_release(RawOrigin::Root.into(), pinned));
	let who = account(1);
	register_on_proof_root(&who);
	System::reset_events();
	who
}

/// Registers `who` with the proofs' services root.
fn register_on_proof_root(who: &AccountId32) {
	let mut claims = register_claims(who);
	claims.services_root = statement().services_root;
	assert_ok!(register(who, tdx_evidence_for(&claims), claims));
}

fn submit(
	flavour: Flavour,
	proof: &[u8],
	public_inputs: BoundedVec<[u8; 32], ConstU32<STATEMENT_INPUTS>>,
) -> DispatchResult {
	Pallet::<Test>::submit_proof(
		RuntimeOrigin::signed(account(50)),
		circuit_id(),
		flavour,
		BoundedVec::try_from(proof.to_vec()).unwrap(),
		public_inputs,
	)
}

/// The event of a proof of the fixture statement naming `workers`.
fn proven(workers: Vec<AccountId32>) -> Event<Test> {
	Event::ServiceResponseProven {
		services_root: statement().services_root,
		response_hash: statement().response_hash,
		service_key: statement().service_key,
		circuit: circuit_id(),
		workers: BoundedVec::try_from(workers).unwrap(),
	}
}

use polkadot_sdk::sp_runtime::AccountId32;

#[test]
fn a_proof_for_an_attested_workers_root_is_accepted_in_both_flavours() {
	new_test_ext(NOW).execute_with(|| {
		let worker = setup_proofs();
		for (flavour, proof) in [(Flavour::Zk, ZK_PROOF), (Flavour::Plain, PLAIN_PROOF)] {
			assert_ok!(submit(flavour, proof, inputs(ZK_INPUTS)));
			assert_eq!(
				attestation_events().last(),
				Some(&proven(vec![worker.clone()]))
			);
		}
	});
}

#[test]
fn proofs_that_do_not_hold_are_refused_without_effect() {
	new_test_ext(NOW).execute_with(|| {
		setup_proofs();
		// A tampered response hash: the statement is well formed, the proof does not hold.
		let mut tampered = inputs(ZK_INPUTS);
		tampered[2][31] ^= 1;
		assert_noop!(
			submit(Flavour::Zk, ZK_PROOF, tampered),
			Error::<Test>::ProofRejected
		);
		// A flipped proof byte.
		let mut flipped = ZK_PROOF.to_vec();
		flipped[5000] ^= 1;
		assert_noop!(
			submit(Flavour::Zk, &flipped, inputs(ZK_INPUTS)),
			Error::<Test>::ProofRejected
		);
		// A ZK proof presented as a plain one.
		assert_noop!(
			submit(Flavour::Plain, ZK_PROOF, inputs(ZK_INPUTS)),
			Error::<Test>::ProofRejected
		);
		// Not a statement (a hash half of 2^128 or more).
		let mut not_half = inputs(ZK_INPUTS);
		not_half[1][0] = 1;
		assert_noop!(
			submit(Flavour::Zk, ZK_PROOF, not_half),
			Error::<Test>::BadStatement
		);
		// Under the Aztec SRS the dev proof does not verify.
		ProofSrsG2::<Test>::put(zk_verifier::AZTEC_G2);
		assert_noop!(
			submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)),
			Error::<Test>::ProofRejected
		);
		ProofSrsG2::<Test>::kill();
		assert_noop!(
			submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)),
			Error::<Test>::NoProofSrs
		);
	});
}

#[test]
fn the_root_must_be_attested_and_every_worker_attesting_it_is_named() {
	new_test_ext(NOW).execute_with(|| {
		let worker = setup_proofs();
		// A second worker of the image that pins this root: the statement is about the
		// root, so both are named (not one the submitter picks).
		let second = account(2);
		register_on_proof_root(&second);
		assert_ok!(submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)));
		assert_eq!(
			attestation_events().last(),
			Some(&proven(vec![worker.clone(), second.clone()]))
		);
		// A lapsed or expired worker is not named; with none left the proof is refused.
		Workers::<Test>::mutate(&second, |w| {
			w.as_mut().unwrap().status = WorkerStatus::Lapsed
		});
		assert_ok!(submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)));
		assert_eq!(
			attestation_events().last(),
			Some(&proven(vec![worker.clone()]))
		);
		Workers::<Test>::mutate(&worker, |w| w.as_mut().unwrap().expires_at = NOW - 1);
		assert_noop!(
			submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)),
			Error::<Test>::RootNotAttested
		);
		// A root no worker attests.
		let mut foreign = inputs(ZK_INPUTS);
		foreign[0] = [0x45; 32];
		assert_noop!(
			submit(Flavour::Zk, ZK_PROOF, foreign),
			Error::<Test>::RootNotAttested
		);
		Workers::<Test>::mutate(&worker, |w| w.as_mut().unwrap().expires_at = NOW + 600);
		Workers::<Test>::mutate(&second, |w| {
			w.as_mut().unwrap().status = WorkerStatus::Active
		});
	});
}

/// The event is a statement ("this root's service signed this response"), not a receipt: the
/// same proof submitted again (by anyone, e.g. front-running) states the same thing and
/// changes no state, so there is nothing to steal or double-count.
#[test]
fn submitting_a_proof_again_states_the_same_and_changes_nothing() {
	new_test_ext(NOW).execute_with(|| {
		let worker = setup_proofs();
		assert_ok!(submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)));
		let first = attestation_events().last().cloned();
		let written = crate::tests_lifecycle::items_written(|| {
			assert_ok!(submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)));
		});
		assert_eq!(written, 0);
		assert_eq!(attestation_events().last().cloned(), first);
		assert_eq!(first, Some(proven(vec![worker])));
	});
}

/// Any number of workers may share a services root (workers without services all share the
/// empty tree's); the first `MAX_WORKERS_PER_ROOT` are listed, and a freed place goes to the
/// next unlisted worker that attests.
#[test]
fn a_shared_services_root_accepts_every_worker_and_lists_the_first() {
	new_test_ext(NOW).execute_with(|| {
		let worker = setup_proofs();
		let root = statement().services_root;
		// Fill the root's list up to the bound with stand-ins.
		let stand_ins: Vec<_> = (0..(MAX_WORKERS_PER_ROOT - 1))
			.map(|n| account(100 + n as u8))
			.collect();
		RootWorkers::<Test>::mutate(root, |list| {
			for w in &stand_ins {
				list.try_push(w.clone()).unwrap();
			}
		});
		let late = account(3);
		register_on_proof_root(&late);
		assert!(Workers::<Test>::get(&late).is_some_and(|w| w.services_root == root));
		assert!(!RootWorkers::<Test>::get(root).contains(&late));
		// A proof about the root names the listed attested workers.
		assert_ok!(submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)));
		assert_eq!(
			attestation_events().last(),
			Some(&proven(vec![worker.clone()]))
		);
		// A place frees; the unlisted worker takes it when it attests again.
		RootWorkers::<Test>::mutate(root, |list| list.retain(|w| w != &stand_ins[0]));
		run_to_block(System::block_number() + 1);
		register_on_proof_root(&late);
		let list = RootWorkers::<Test>::get(root);
		assert_eq!(list.len() as u32, MAX_WORKERS_PER_ROOT);
		assert_eq!(list.last(), Some(&late));
		assert_ok!(submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)));
		assert_eq!(
			attestation_events().last(),
			Some(&proven(vec![worker.clone(), late.clone()]))
		);
		RootWorkers::<Test>::mutate(root, |list| list.retain(|w| w == &worker || w == &late));
	});
}

#[test]
fn the_registry_is_governed_checked_and_bounded() {
	new_test_ext(NOW).execute_with(|| {
		setup_proofs();
		// Only governance.
		assert_noop!(
			Pallet::<Test>::register_circuit(
				RuntimeOrigin::signed(account(50)),
				BoundedVec::try_from(b"x".to_vec()).unwrap(),
				Flavour::Zk,
				BoundedVec::try_from(VK.to_vec()).unwrap(),
			),
			DispatchError::BadOrigin
		);
		assert_noop!(register_circuit(Flavour::Zk), Error::<Test>::CircuitExists);
		// A key that does not parse, and one whose statement is not a service response.
		let mut broken = VK.to_vec();
		broken[200] ^= 1;
		for vk in [broken, OTHER_VK.to_vec()] {
			assert_noop!(
				Pallet::<Test>::register_circuit(
					RawOrigin::Root.into(),
					BoundedVec::try_from(b"x".to_vec()).unwrap(),
					Flavour::Zk,
					BoundedVec::try_from(vk).unwrap(),
				),
				Error::<Test>::InvalidVerificationKey
			);
		}
		// Proofs under an unknown circuit.
		assert_noop!(
			Pallet::<Test>::submit_proof(
				RuntimeOrigin::signed(account(50)),
				[9; 32],
				Flavour::Zk,
				BoundedVec::try_from(ZK_PROOF.to_vec()).unwrap(),
				inputs(ZK_INPUTS),
			),
			Error::<Test>::NoSuchCircuit
		);
		// Retired: refused; retiring twice is an error.
		assert_ok!(Pallet::<Test>::retire_circuit(
			RawOrigin::Root.into(),
			circuit_id(),
			Flavour::Zk
		));
		assert_noop!(
			submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)),
			Error::<Test>::RetiredCircuit
		);
		assert_noop!(
			Pallet::<Test>::retire_circuit(RawOrigin::Root.into(), circuit_id(), Flavour::Zk),
			Error::<Test>::RetiredCircuit
		);
		assert_ok!(submit(Flavour::Plain, PLAIN_PROOF, inputs(ZK_INPUTS)));
		// Registering it again brings it back.
		assert_ok!(register_circuit(Flavour::Zk));
		assert_ok!(submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)));
		// Larger than the benchmarked size: refused.
		let mut large = VK.to_vec();
		large[31] = 18;
		assert_noop!(
			Pallet::<Test>::register_circuit(
				RawOrigin::Root.into(),
				BoundedVec::try_from(b"large".to_vec()).unwrap(),
				Flavour::Zk,
				BoundedVec::try_from(large).unwrap(),
			),
			Error::<Test>::CircuitTooLarge
		);
		// MaxCircuits (3): the third key fills it, a fourth is refused.
		let mut third = VK.to_vec();
		third[31] = 16; // log n 16: another (parseable) key
		assert_ok!(Pallet::<Test>::register_circuit(
			RawOrigin::Root.into(),
			BoundedVec::try_from(b"third".to_vec()).unwrap(),
			Flavour::Zk,
			BoundedVec::try_from(third.clone()).unwrap(),
		));
		third[31] = 15;
		assert_noop!(
			Pallet::<Test>::register_circuit(
				RawOrigin::Root.into(),
				BoundedVec::try_from(b"fourth".to_vec()).unwrap(),
				Flavour::Zk,
				BoundedVec::try_from(third.clone()).unwrap(),
			),
			Error::<Test>::TooManyCircuits
		);
		// Only a retired circuit is removed; removing it frees its place.
		assert_noop!(
			Pallet::<Test>::remove_circuit(RawOrigin::Root.into(), circuit_id(), Flavour::Zk),
			Error::<Test>::CircuitActive
		);
		assert_noop!(
			Pallet::<Test>::remove_circuit(
				RuntimeOrigin::signed(account(5)),
				circuit_id(),
				Flavour::Zk
			),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Pallet::<Test>::retire_circuit(
			RawOrigin::Root.into(),
			circuit_id(),
			Flavour::Zk
		));
		assert_ok!(Pallet::<Test>::remove_circuit(
			RawOrigin::Root.into(),
			circuit_id(),
			Flavour::Zk
		));
		assert!(attestation_events().contains(&Event::CircuitRemoved {
			circuit: circuit_id(),
			flavour: Flavour::Zk
		}));
		assert_noop!(
			Pallet::<Test>::remove_circuit(RawOrigin::Root.into(), circuit_id(), Flavour::Zk),
			Error::<Test>::NoSuchCircuit
		);
		assert_noop!(
			submit(Flavour::Zk, ZK_PROOF, inputs(ZK_INPUTS)),
			Error::<Test>::NoSuchCircuit
		);
		assert_ok!(Pallet::<Test>::register_circuit(
			RawOrigin::Root.into(),
			BoundedVec::try_from(b"fourth".to_vec()).unwrap(),
			Flavour::Zk,
			BoundedVec::try_from(third).unwrap(),
		));
	});
}
