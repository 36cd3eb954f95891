//! Workers per machine (issue 19): one host cannot take the registry's slots. A machine is
//! the PCK certificate's PPID (TDX) or the chip (SNP); at most `MaxWorkersPerPlatform`
//! workers run on one.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic
)]

use crate::{mock::*, tests::*, *};
use mock_tee::TdxPlatform;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::DispatchResultWithPostInfo},
	sp_runtime::AccountId32,
};

/// A machine other than the default mock platform.
fn machine(n: u8) -> TdxPlatform {
	TdxPlatform {
		ppid: [n; 16],
		..Default::default()
	}
}

/// `register_worker` for `who` with TDX evidence from `platform`.
fn register_on(who: &AccountId32, platform: &TdxPlatform) -> DispatchResultWithPostInfo {
	let claims = register_claims(who);
	let mut params = tdx_params(claims.report_data());
	params.platform = platform.clone();
	register(who, tdx_evidence_with(&params), claims)
}

fn on_machine(platform: &TdxPlatform) -> u32 {
	PlatformId::Tdx {
		fmspc: platform.fmspc,
		ppid: platform.ppid,
	}
	.machine_key()
	.map_or(0, PlatformWorkers::<Test>::get)
}

#[test]
fn a_machine_runs_at_most_max_workers_per_platform() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		MaxWorkersPerPlatform::set(2);
		let (a, b) = (machine(1), machine(2));
		assert_ok!(register_on(&account(1), &a));
		assert_ok!(register_on(&account(2), &a));
		assert_eq!(on_machine(&a), 2);
		let w = Workers::<Test>::get(account(1)).unwrap();
		assert_eq!(
			w.platform,
			PlatformId::Tdx {
				fmspc: a.fmspc,
				ppid: a.ppid
			}
		);
		// A third on the same machine is refused, and nothing changes.
		assert_noop!(
			register_on(&account(3), &a),
			Error::<Test>::TooManyWorkersOnPlatform
		);
		// On another machine it is welcome.
		assert_ok!(register_on(&account(3), &b));
		// A worker already counted on the full machine registers again.
		run_to_block(System::block_number() + 1);
		assert_ok!(register_on(&account(1), &a));
		assert_eq!(on_machine(&a), 2);
		// One leaves: the machine has room again, and the count follows a worker that moves.
		assert_ok!(Pallet::<Test>::deregister(RuntimeOrigin::signed(account(
			2
		))));
		assert_eq!(on_machine(&a), 1);
		run_to_block(System::block_number() + 1);
		assert_ok!(register_on(&account(3), &a));
		assert_eq!((on_machine(&a), on_machine(&b)), (2, 0));
		assert!(!PlatformWorkers::<Test>::contains_key(
			PlatformId::Tdx {
				fmspc: b.fmspc,
				ppid: b.ppid
			}
			.machine_key()
			.unwrap()
		));
	});
}

/// An SNP machine is its chip: reports from one chip count together.
#[test]
fn an_snp_machine_is_its_chip() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		MaxWorkersPerPlatform::set(1);
		let from_chip = |who: &AccountId32, chip: u8| {
			let claims = register_claims(who);
			let mut params = snp_params(claims.report_data());
			params.chip_id = [chip; 64];
			register(who, snp_evidence_with(&params), claims)
		};
		assert_ok!(from_chip(&account(1), 7));
		assert_noop!(
			from_chip(&account(2), 7),
			Error::<Test>::TooManyWorkersOnPlatform
		);
		assert_ok!(from_chip(&account(2), 8));
	});
}

/// A record from before storage version 5 names no machine: it counts under none until its
/// next attestation records the machine (and is refused if that machine is full).
#[test]
fn a_record_without_a_machine_gets_one_at_its_next_attestation() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		MaxWorkersPerPlatform::set(1);
		let a = machine(1);
		assert_ok!(register_on(&account(1), &a));
		let old = account(2);
		assert_ok!(register_on(&old, &machine(2)));
		let key = Workers::<Test>::get(&old)
			.unwrap()
			.platform
			.machine_key()
			.unwrap();
		Workers::<Test>::mutate(&old, |w| {
			w.as_mut().unwrap().platform = PlatformId::TdxFamily { fmspc: a.fmspc }
		});
		PlatformWorkers::<Test>::remove(key);
		run_to_block(System::block_number() + 1);
		assert_noop!(
			register_on(&old, &a),
			Error::<Test>::TooManyWorkersOnPlatform
		);
		assert_ok!(register_on(&old, &machine(3)));
		assert_eq!(on_machine(&machine(3)), 1);
	});
}
