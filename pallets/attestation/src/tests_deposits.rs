//! Registration deposits (issue 19): a slot is never free. The deposit is held while a worker
//! is registered and comes back when it leaves: all of it on `deregister` and on pruning, less
//! the evictor's reward on `evict`.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic
)]

use crate::{mock::*, tests::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{Inspect, InspectHold, Mutate},
	},
	sp_runtime::AccountId32,
};

fn held(who: &AccountId32) -> u64 {
	Balances::balance_on_hold(
		&RuntimeHoldReason::Attestation(HoldReason::WorkerDeposit),
		who,
	)
}

fn free(who: &AccountId32) -> u64 {
	Balances::balance(who)
}

fn register_tdx(
	who: &AccountId32,
) -> polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo {
	let claims = register_claims(who);
	register(who, tdx_evidence_for(&claims), claims)
}

/// Lets `who`'s attestation lapse (a policy change asks it to re-attest; it does not answer).
fn lapse(who: &AccountId32) {
	crate::tests_lifecycle::change_policy();
	run_to_block(System::block_number() + 1);
	let deadline = PendingRequests::<Test>::get(who).unwrap().deadline;
	run_to_block(deadline + 1);
	assert_eq!(
		Workers::<Test>::get(who).unwrap().status,
		WorkerStatus::Lapsed
	);
}

#[test]
fn registering_holds_the_deposit_once() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		assert_ok!(register_tdx(&who));
		assert_eq!(held(&who), WorkerDeposit::get());
		assert_eq!(free(&who), INITIAL_BALANCE - WorkerDeposit::get());
		// Registering again (next block, a fresh anchor) holds nothing more.
		run_to_block(System::block_number() + 1);
		assert_ok!(register_tdx(&who));
		assert_eq!(held(&who), WorkerDeposit::get());
	});
}

#[test]
fn an_account_that_cannot_hold_the_deposit_is_refused_and_nothing_changes() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let poor = account(2);
		// The deposit plus the existential deposit, less one.
		Balances::set_balance(&poor, WorkerDeposit::get());
		assert_noop!(register_tdx(&poor), Error::<Test>::DepositUnavailable);
		Balances::set_balance(&poor, WorkerDeposit::get() + Balances::minimum_balance());
		assert_ok!(register_tdx(&poor));
		assert_eq!(free(&poor), Balances::minimum_balance());
	});
}

#[test]
fn a_worker_registered_without_a_deposit_tops_it_up_when_it_registers_again() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		assert_ok!(register_tdx(&who));
		// As if it had registered before deposits existed.
		assert_ok!(
			<Balances as polkadot_sdk::frame_support::traits::fungible::MutateHold<_>>::release_all(
				&HoldReason::WorkerDeposit.into(),
				&who,
				polkadot_sdk::frame_support::traits::tokens::Precision::Exact,
			)
		);
		assert_eq!(held(&who), 0);
		run_to_block(System::block_number() + 1);
		assert_ok!(register_tdx(&who));
		assert_eq!(held(&who), WorkerDeposit::get());
	});
}

#[test]
fn deregistering_removes_the_worker_and_returns_the_deposit() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		assert_noop!(
			Pallet::<Test>::deregister(RuntimeOrigin::signed(who.clone())),
			Error::<Test>::UnknownWorker
		);
		assert_ok!(register_tdx(&who));
		assert_ok!(Pallet::<Test>::deregister(RuntimeOrigin::signed(
			who.clone()
		)));
		assert!(Workers::<Test>::get(&who).is_none());
		assert!(AcceptedEvidence::<Test>::get(&who).is_none());
		assert_eq!(ReleaseWorkers::<Test>::get(0), 0);
		assert_eq!(held(&who), 0);
		assert_eq!(free(&who), INITIAL_BALANCE);
		assert!(attestation_events().contains(&Event::WorkerDeregistered { worker: who }));
	});
}

#[test]
fn evicting_a_lapsed_worker_pays_the_evictor_its_reward_and_returns_the_rest() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let (who, evictor) = (account(1), account(50));
		assert_ok!(register_tdx(&who));
		lapse(&who);
		assert_ok!(Pallet::<Test>::evict(
			RuntimeOrigin::signed(evictor.clone()),
			who.clone()
		));
		let reward = EvictionReward::get().mul_floor(WorkerDeposit::get());
		assert!(reward > 0);
		assert_eq!(free(&evictor), INITIAL_BALANCE + reward);
		assert_eq!(held(&who), 0);
		assert_eq!(free(&who), INITIAL_BALANCE - reward);
		assert!(attestation_events().contains(&Event::WorkerEvicted {
			worker: who,
			evictor,
			reward
		}));
	});
}

#[test]
fn a_pruned_worker_gets_its_whole_deposit_back() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		assert_ok!(register_tdx(&who));
		lapse(&who);
		run_to_block(System::block_number() + LapsedGracePeriod::get());
		assert!(Workers::<Test>::get(&who).is_none());
		assert_eq!(held(&who), 0);
		assert_eq!(free(&who), INITIAL_BALANCE);
	});
}
