//! Permissionless collateral is bounded and pruned (issue 19): at most `MaxTcbInfos` TCB
//! Infos; `on_idle` removes expired TCB Infos and remembered VEKs with the block's spare
//! weight, a bounded number per block, continuing where it stopped.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic
)]

use crate::{mock::*, tests::*, *};
use mock_tee::TdxTcbConfig;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight},
	sp_runtime::DispatchResult,
};

/// Uploads the dev TDX collateral for platform family `fmspc`, issued at `now`.
fn upload_family(fmspc: [u8; 6], now: u64) -> DispatchResult {
	let config = TdxTcbConfig {
		fmspc,
		..Default::default()
	};
	Pallet::<Test>::upload_collateral(
		RuntimeOrigin::signed(account(5)),
		Box::new(tdx_collateral(now, &config)),
	)
}

fn set_now(secs: u64) {
	polkadot_sdk::pallet_timestamp::Now::<Test>::put(secs * 1000);
}

fn idle(remaining: Weight) -> Weight {
	Attestation::on_idle(System::block_number(), remaining)
}

/// Room for `k` of each kind at the worst.
fn room(k: u32) -> Weight {
	<TestWeights as WeightInfo>::prune_collateral(k, k)
}

#[test]
fn the_chain_keeps_at_most_max_tcb_infos_and_frees_room_when_they_expire() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		// `setup` stored the default family's; one more fits.
		assert_eq!(TdxTcbInfo::<Test>::count(), 1);
		assert_ok!(upload_family([1, 0, 0, 0, 0, 0], NOW));
		assert_eq!(TdxTcbInfo::<Test>::count(), MaxTcbInfos::get());
		assert_noop!(
			upload_family([2, 0, 0, 0, 0, 0], NOW),
			Error::<Test>::TooManyTcbInfos
		);
		// A newer one of a stored family still replaces it.
		assert_ok!(upload_family([1, 0, 0, 0, 0, 0], NOW + 60));

		// Once expired, on_idle removes them, and a new family fits again.
		let expiry = TdxTcbInfo::<Test>::iter_values()
			.map(|p| p.freshness().next_update)
			.max()
			.unwrap();
		set_now(expiry);
		let used = idle(room(MAX_COLLATERAL_PRUNES));
		assert_eq!(TdxTcbInfo::<Test>::count(), 0);
		assert_eq!(used, <TestWeights as WeightInfo>::prune_collateral(2, 0));
		assert_ok!(upload_family([2, 0, 0, 0, 0, 0], expiry));
	});
}

#[test]
fn on_idle_removes_only_expired_entries_as_many_as_its_weight_allows() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		assert_ok!(upload_family([1, 0, 0, 0, 0, 0], NOW));
		let vek = |n: u8, expires_at: u64| {
			KnownVeks::<Test>::insert(
				[n; 32],
				(
					tee_verifier::KnownVek {
						vek_sha256: [n; 32],
						chain_sha256: [0; 32],
					},
					expires_at,
				),
			)
		};
		for n in 0..3 {
			vek(n, NOW + 10);
		}
		vek(9, NOW + 1_000_000_000);
		set_now(NOW + 10);
		// Less than one of each: nothing happens, nothing is charged.
		let short = room(1) - Weight::from_parts(1, 0);
		assert_eq!(idle(short), Weight::zero());
		assert_eq!(KnownVeks::<Test>::count(), 4);
		// Room for one of each: one of each is examined, and the cursor moves on.
		assert_eq!(idle(room(1)), room(1));
		assert_eq!(KnownVeks::<Test>::count(), 3);
		assert!(KnownVekCursor::<Test>::get().is_some());
		// Enough for all: the expired VEKs go, the unexpired one and the unexpired TCB
		// Infos stay, and the cursors are back at the start.
		for _ in 0..3 {
			idle(room(MAX_COLLATERAL_PRUNES));
		}
		assert_eq!(
			KnownVeks::<Test>::iter_keys().collect::<Vec<_>>(),
			vec![[9; 32]]
		);
		assert_eq!(TdxTcbInfo::<Test>::count(), 2);
		assert!(KnownVekCursor::<Test>::get().is_none());
		assert!(TcbInfoCursor::<Test>::get().is_none());
	});
}
