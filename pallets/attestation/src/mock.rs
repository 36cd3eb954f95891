//! Test runtime: System, Timestamp and the attestation pallet, with helpers to advance blocks
//! and to build evidence from the real test vectors and from `mock-tee`.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic
)]

use crate as pallet_attestation;
use polkadot_sdk::{
	frame_support::{derive_impl, parameter_types, traits::Hooks, weights::Weight},
	frame_system::{self, EnsureRoot},
	pallet_balances, pallet_timestamp,
	sp_runtime::{traits::IdentityLookup, AccountId32, BuildStorage, Perbill},
};

type Block = frame_system::mocking::MockBlock<Test>;

#[polkadot_sdk::frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeHoldReason,
		RuntimeFreezeReason
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Attestation = pallet_attestation;
	#[runtime::pallet_index(3)]
	pub type Balances = pallet_balances;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId32;
	type Lookup = IdentityLookup<AccountId32>;
	type BlockHashCount = polkadot_sdk::frame_support::traits::ConstU64<250>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// What every test account holds at genesis.
pub const INITIAL_BALANCE: u64 = 1_000_000;

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	pub const MaxWorkers: u32 = 8;
	pub const MaxReleases: u32 = 12;
	pub const MaxRequestsPerBlock: u32 = 2;
	pub const MaxScansPerBlock: u32 = 4;
	pub const MaxCircuits: u32 = 3;
	pub const MaxTcbInfos: u32 = 2;
	pub const LapsedGracePeriod: u64 = 10;
	/// As many as the registry holds unless a test lowers it.
	pub static MaxWorkersPerPlatform: u32 = 8;
	pub const WorkerDeposit: u64 = 1_000;
	pub const EvictionReward: Perbill = Perbill::from_percent(20);
}

impl pallet_attestation::Config for Test {
	type GovernanceOrigin = EnsureRoot<AccountId32>;
	type UnixTime = Timestamp;
	type MaxWorkers = MaxWorkers;
	type MaxWorkersPerPlatform = MaxWorkersPerPlatform;
	type MaxReleases = MaxReleases;
	type MaxRequestsPerBlock = MaxRequestsPerBlock;
	type MaxScansPerBlock = MaxScansPerBlock;
	type MaxCircuits = MaxCircuits;
	type MaxTcbInfos = MaxTcbInfos;
	type LapsedGracePeriod = LapsedGracePeriod;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type WorkerDeposit = WorkerDeposit;
	type EvictionReward = EvictionReward;
	type WeightInfo = TestWeights;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestClock;
}

/// Sets the test runtime's clock in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestClock;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper for TestClock {
	fn set_unix_time(secs: u64) {
		pallet_timestamp::Now::<Test>::put(secs * 1000);
	}
}

/// Milliseconds between test blocks.
pub const BLOCK_MS: u64 = 3000;

/// Externalities at block 1 with the clock at `now_secs`.
/// Test externalities that check the pallet's storage invariants (`do_try_state`) after
/// every test body.
pub struct CheckedExt(polkadot_sdk::sp_io::TestExternalities);

impl CheckedExt {
	/// Runs `f`, then checks the invariants.
	pub fn execute_with<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.0.execute_with(|| {
			let r = f();
			pallet_attestation::Pallet::<Test>::do_try_state().unwrap();
			r
		})
	}
}

/// Test externalities without the invariant check (benchmarks set up partial states).
#[cfg(feature = "runtime-benchmarks")]
pub fn new_unchecked_ext(now_secs: u64) -> polkadot_sdk::sp_io::TestExternalities {
	new_test_ext(now_secs).0
}

pub fn new_test_ext(now_secs: u64) -> CheckedExt {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	// Every account the tests use (`account(n)`) is funded.
	pallet_balances::GenesisConfig::<Test> {
		balances: (0..=u8::MAX)
			.map(|n| (AccountId32::new([n; 32]), INITIAL_BALANCE))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(now_secs * 1000);
	});
	CheckedExt(ext)
}

/// Finalizes the current block and runs `on_initialize` of the following ones up to `n`,
/// advancing the clock by `BLOCK_MS` per block and recording real parent hashes.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let header = System::finalize();
		let next = System::block_number() + 1;
		System::reset_events();
		System::initialize(
			&next,
			&polkadot_sdk::sp_runtime::traits::Header::hash(&header),
			&Default::default(),
		);
		let now = pallet_timestamp::Now::<Test>::get();
		pallet_timestamp::Now::<Test>::put(now + BLOCK_MS);
		Attestation::on_initialize(next);
	}
}

/// The pallet's events since the last block started.
pub fn attestation_events() -> Vec<pallet_attestation::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Attestation(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Unit weights for the test runtime (weights are not what these tests check).
pub struct TestWeights;

impl pallet_attestation::WeightInfo for TestWeights {
	fn replay_event_log(l: u32) -> Weight {
		// Grows with the log, so tests can tell what was charged.
		Weight::from_parts(10 * u64::from(l), 0)
	}
	fn register_worker_tdx() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn register_worker_snp() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn submit_attestation_tdx() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn submit_attestation_snp() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn submit_attestation_snp_known_vek() -> Weight {
		// Distinct from the full SNP weight so tests can tell which path was charged.
		Weight::from_parts(2, 0)
	}
	fn upload_collateral_tdx() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn upload_collateral_snp() -> Weight {
		// Distinct from the TDX weight so tests can tell which was charged.
		Weight::from_parts(3, 0)
	}
	fn set_policy() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn add_release() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn retire_release() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn remove_release() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn set_trust_anchors() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn evict() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn deregister() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn prune_collateral(t: u32, v: u32) -> Weight {
		// Grows with the work, so tests can give room for some of it.
		Weight::from_parts(100 + 10 * u64::from(t + v), 0)
	}
	fn prune_lapsed(_p: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn lapse_overdue(_l: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn expiry_scan(_s: u32, _r: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn register_circuit() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn retire_circuit() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn remove_circuit() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn submit_proof() -> Weight {
		Weight::from_parts(1, 0)
	}
}
