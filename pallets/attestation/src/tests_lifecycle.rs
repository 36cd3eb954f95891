//! Lifecycle of releases and workers (issue 19): retiring a release asks its workers to
//! re-attest, retired releases are removed once unused, lapsed workers are pruned by the
//! pallet, releases are found through their index, and the success path of an attestation
//! writes no more than it is charged for.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic
)]

use crate::{mock::*, tests::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::DispatchResultWithPostInfo, BoundedVec},
	frame_system::RawOrigin,
	sp_runtime::AccountId32,
};
use std::collections::BTreeMap;
use tee_verifier::{Claims, Purpose};

/// The answer to `who`'s outstanding request, with TDX evidence of the test image.
fn answer_request(who: &AccountId32) -> DispatchResultWithPostInfo {
	let request = PendingRequests::<Test>::get(who).expect("a request is outstanding");
	let mut claims = register_claims(who);
	claims.purpose = Purpose::Reattest;
	claims.anchor_block = request.issued_at as u32;
	claims.nonce = request.nonce;
	Pallet::<Test>::submit_attestation(
		RuntimeOrigin::signed(who.clone()),
		Box::new(tdx_evidence_for(&claims)),
		claims,
	)
}

fn register_tdx(who: &AccountId32) {
	let claims = register_claims(who);
	assert_ok!(register(who, tdx_evidence_for(&claims), claims));
}

fn status(who: &AccountId32) -> WorkerStatus {
	Workers::<Test>::get(who).expect("registered").status
}

/// A policy that differs from the current one: every worker is asked to re-attest.
pub(crate) fn change_policy() {
	let mut policy = Policy::<Test>::get();
	policy.response_window = policy.response_window.saturating_add(1);
	assert_ok!(Pallet::<Test>::set_policy(RawOrigin::Root.into(), policy));
}

#[test]
fn retiring_a_release_asks_its_workers_to_re_attest_instead_of_lapsing_them() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let (moves, stays) = (account(1), account(2));
		register_tdx(&moves);
		register_tdx(&stays);
		let before = Workers::<Test>::get(&moves).unwrap();

		assert_ok!(Pallet::<Test>::retire_release(RawOrigin::Root.into(), 0));
		assert!(attestation_events().contains(&Event::ReleaseRetired { id: 0, workers: 2 }));
		// The call touches no worker.
		assert_eq!(Workers::<Test>::get(&moves).unwrap(), before);

		// The next scan asks both, with a deadline; neither lapses.
		run_to_block(System::block_number() + 1);
		for who in [&moves, &stays] {
			assert!(requested_nonce(who).is_some(), "{who:?} was not asked");
			assert_eq!(status(who), WorkerStatus::Pending);
		}
		// Without an active release the answer is refused.
		assert_noop!(answer_request(&moves), Error::<Test>::RetiredRelease);
		// Governance adds the successor (the same image here); the answer moves the worker.
		assert_ok!(Pallet::<Test>::add_release(
			RawOrigin::Root.into(),
			release()
		));
		assert_ok!(answer_request(&moves));
		let moved = Workers::<Test>::get(&moves).unwrap();
		assert_eq!((moved.status, moved.release), (WorkerStatus::Active, 1));
		assert_eq!(ReleaseWorkers::<Test>::get(0), 1);
		assert_eq!(ReleaseWorkers::<Test>::get(1), 1);
		// The one that does not answer lapses after its deadline.
		let deadline = PendingRequests::<Test>::get(&stays).unwrap().deadline;
		run_to_block(deadline + 1);
		assert_eq!(status(&stays), WorkerStatus::Lapsed);
		assert_eq!(status(&moves), WorkerStatus::Active);
	});
}

#[test]
fn a_retired_release_is_removed_once_no_worker_runs_it_and_frees_its_place() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		register_tdx(&who);
		assert_noop!(
			Pallet::<Test>::remove_release(RuntimeOrigin::signed(who.clone()), 0),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			Pallet::<Test>::remove_release(RawOrigin::Root.into(), 0),
			Error::<Test>::ReleaseActive
		);
		assert_ok!(Pallet::<Test>::retire_release(RawOrigin::Root.into(), 0));
		assert_noop!(
			Pallet::<Test>::remove_release(RawOrigin::Root.into(), 0),
			Error::<Test>::ReleaseInUse
		);
		// Lapsed, the worker still runs it; evicted, it does not.
		run_to_block(System::block_number() + 1);
		let deadline = PendingRequests::<Test>::get(&who).unwrap().deadline;
		run_to_block(deadline + 1);
		assert_eq!(status(&who), WorkerStatus::Lapsed);
		assert_noop!(
			Pallet::<Test>::remove_release(RawOrigin::Root.into(), 0),
			Error::<Test>::ReleaseInUse
		);
		assert_ok!(Pallet::<Test>::evict(
			RuntimeOrigin::signed(account(9)),
			who.clone()
		));
		assert_ok!(Pallet::<Test>::remove_release(RawOrigin::Root.into(), 0));
		assert!(attestation_events().contains(&Event::ReleaseRemoved { id: 0 }));
		assert_eq!(Releases::<Test>::count(), 0);
		assert_eq!(ReleaseIndex::<Test>::iter().count(), 0);
		assert_noop!(
			Pallet::<Test>::remove_release(RawOrigin::Root.into(), 0),
			Error::<Test>::NoSuchRelease
		);
		// Every place is free again; ids are not reused.
		for n in 0..MaxReleases::get() {
			let mut image = release();
			if n > 0 {
				image.tdx.as_mut().unwrap().rtmr2 = [n as u8; 48];
				image.snp_measurement = Some([n as u8; 48]);
			}
			assert_ok!(Pallet::<Test>::add_release(RawOrigin::Root.into(), image));
		}
		assert!(Releases::<Test>::get(0).is_none());
		assert_eq!(NextReleaseId::<Test>::get(), MaxReleases::get() + 1);
		// The worker registers again under the new release.
		register_tdx(&who);
		assert_eq!(Workers::<Test>::get(&who).unwrap().release, 1);
	});
}

#[test]
fn lapsed_workers_are_pruned_after_the_grace_period_unless_they_registered_again() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let (gone, back) = (account(1), account(2));
		register_tdx(&gone);
		register_tdx(&back);
		change_policy();
		run_to_block(System::block_number() + 1);
		let deadline = PendingRequests::<Test>::get(&gone).unwrap().deadline;
		run_to_block(deadline + 1);
		let lapsed_at = System::block_number();
		assert_eq!(status(&gone), WorkerStatus::Lapsed);
		assert_eq!(status(&back), WorkerStatus::Lapsed);
		// One registers again in place.
		run_to_block(lapsed_at + 1);
		register_tdx(&back);
		assert_eq!(status(&back), WorkerStatus::Active);

		// Still there one block before the grace period ends.
		run_to_block(lapsed_at + LapsedGracePeriod::get() - 1);
		assert!(Workers::<Test>::get(&gone).is_some());
		run_to_block(lapsed_at + LapsedGracePeriod::get());
		assert!(Workers::<Test>::get(&gone).is_none());
		assert!(AcceptedEvidence::<Test>::get(&gone).is_none());
		assert!(attestation_events().contains(&Event::WorkerPruned {
			worker: gone.clone()
		}));
		assert!(!attestation_events().contains(&Event::WorkerPruned {
			worker: back.clone()
		}));
		assert_eq!(status(&back), WorkerStatus::Active);
		assert_eq!(Workers::<Test>::count(), 1);
		assert_eq!(ReleaseWorkers::<Test>::get(0), 1);
	});
}

#[test]
fn a_full_registry_gets_its_slots_back_without_anyone_paying() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		for n in 0..MaxWorkers::get() as u8 {
			register_tdx(&account(10 + n));
		}
		let late = account(60);
		let claims = register_claims(&late);
		assert_noop!(
			register(&late, tdx_evidence_for(&claims), claims),
			Error::<Test>::TooManyWorkers
		);
		// Every worker goes silent: they lapse, and the pallet removes them.
		change_policy();
		run_to_block(System::block_number() + 8);
		let last_deadline = Deadlines::<Test>::iter_keys().max().unwrap();
		run_to_block(last_deadline + 1 + LapsedGracePeriod::get());
		assert_eq!(Workers::<Test>::count(), 0);
		register_tdx(&late);
	});
}

#[test]
fn releases_are_found_through_their_measurements_and_bounded_per_measurement() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		// Releases of the same image that differ in their system.
		for n in 1..MAX_RELEASES_PER_MEASUREMENT {
			let mut same_image = release();
			same_image.system_hashes = BoundedVec::try_from(vec![[n as u8; 32]]).unwrap();
			assert_ok!(Pallet::<Test>::add_release(
				RawOrigin::Root.into(),
				same_image
			));
		}
		let mut one_more = release();
		one_more.system_hashes = BoundedVec::try_from(vec![[0xAA; 32]]).unwrap();
		assert_noop!(
			Pallet::<Test>::add_release(RawOrigin::Root.into(), one_more.clone()),
			Error::<Test>::TooManyReleasesPerMeasurement
		);
		// Another image is not affected.
		one_more.tdx.as_mut().unwrap().rtmr2 = [0xAB; 48];
		one_more.snp_measurement = None;
		assert_ok!(Pallet::<Test>::add_release(
			RawOrigin::Root.into(),
			one_more
		));
		// The first release (whose system the worker runs) is found among its siblings.
		let who = account(1);
		register_tdx(&who);
		assert_eq!(Workers::<Test>::get(&who).unwrap().release, 0);
		// Retire it: the lookup now finds no active release with this system.
		assert_ok!(Pallet::<Test>::retire_release(RawOrigin::Root.into(), 0));
		let other = account(2);
		let claims = register_claims(&other);
		assert_noop!(
			register(&other, tdx_evidence_for(&claims), claims),
			Error::<Test>::RetiredRelease
		);
	});
}

/// Every storage value outside the System pallet (events, block data).
fn storage() -> BTreeMap<Vec<u8>, Vec<u8>> {
	let system = polkadot_sdk::sp_io::hashing::twox_128(b"System");
	let mut all = BTreeMap::new();
	let mut key = Vec::new();
	while let Some(next) = polkadot_sdk::sp_io::storage::next_key(&key) {
		if !next.starts_with(&system) {
			let value = polkadot_sdk::sp_io::storage::get(&next).unwrap();
			all.insert(next.clone(), value.to_vec());
		}
		key = next;
	}
	all
}

/// How many storage items `f` adds, changes or removes.
pub(crate) fn items_written(f: impl FnOnce()) -> u64 {
	let before = storage();
	f();
	let after = storage();
	let keys: std::collections::BTreeSet<_> = before.keys().chain(after.keys()).collect();
	keys.into_iter()
		.filter(|k| before.get(*k) != after.get(*k))
		.count() as u64
}

fn snp_claims_for(who: &AccountId32) -> Claims {
	register_claims(who)
}

#[test]
fn an_attestation_writes_no_more_items_than_its_weight_charges() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		// A new worker: record, counter, evidence, its machine's and release's counts, its
		// root, a new VEK (2),
		// and the deposit's hold, taken before the benchmarked binding check (so charged by
		// the benchmark, not by `SUCCESS_WRITES`).
		let written = items_written(|| {
			let claims = snp_claims_for(&who);
			assert_ok!(register(
				&who,
				snp_evidence_with(&snp_params(claims.report_data())),
				claims
			));
		});
		assert_eq!(written, 9);
		// The worst case: a re-registration while a request is outstanding, from another
		// machine, onto another release and root, with a VEK chain the chain does not know.
		change_policy();
		run_to_block(System::block_number() + 1);
		assert!(PendingRequests::<Test>::get(&who).is_some());
		assert_ok!(Pallet::<Test>::retire_release(RawOrigin::Root.into(), 0));
		let mut any_root = release();
		any_root.services_roots = BoundedVec::new();
		assert_ok!(Pallet::<Test>::add_release(
			RawOrigin::Root.into(),
			any_root
		));
		let veks: Vec<_> = KnownVeks::<Test>::iter_keys().collect();
		for vek in veks {
			KnownVeks::<Test>::remove(vek);
		}
		run_to_block(System::block_number() + 1);
		let written = items_written(|| {
			let mut claims = snp_claims_for(&who);
			claims.services_root = [0x77; 32];
			let mut params = snp_params(claims.report_data());
			params.chip_id = [0x42; 64];
			assert_ok!(register(&who, snp_evidence_with(&params), claims));
		});
		assert_eq!(written, crate::verification::SUCCESS_WRITES);
		assert_eq!(Workers::<Test>::get(&who).unwrap().release, 1);
	});
}
