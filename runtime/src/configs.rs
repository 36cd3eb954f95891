//! Configuration of each pallet in the runtime.

use polkadot_sdk::*;

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
	System, EXISTENTIAL_DEPOSIT, SLOT_DURATION, UNIT, VERSION,
};

/// Share of a block's weight and length available to normal (non-operational) extrinsics.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Largest block, in bytes.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// One second of compute per 3-second block: a third of the slot, leaving time to
	/// propagate and import the block.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// 5 MiB blocks; normal extrinsics may fill 75% of them.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDb (there is no RocksDB in this node).
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Registered workers at most.
	pub const MaxWorkers: u32 = 1024;
	/// Registered workers on one machine (TDX PPID, SNP chip) at most: filling the registry
	/// takes 64 machines.
	pub const MaxWorkersPerPlatform: u32 = 16;
	/// Releases (active and retired) at most.
	pub const MaxReleases: u32 = 64;
	/// Re-attestation requests (and deadlines) per block at most.
	pub const MaxRequestsPerBlock: u32 = 16;
	/// Workers examined for upcoming expiry per block: all 1024 in 16 blocks (48 s).
	pub const MaxScansPerBlock: u32 = 64;
	/// Circuits (per flavour) the proof registry holds at most.
	pub const MaxCircuits: u32 = 32;
	/// TDX TCB Infos (platform families) kept at most; Intel's TDX platforms have far fewer.
	pub const MaxTcbInfos: u32 = 64;
	/// A lapsed worker stays registered for an hour (1200 blocks of 3 s), then the pallet
	/// removes it.
	pub const LapsedGracePeriod: BlockNumber = 1200;
	/// Held from each registered worker: taking all 1024 slots locks 10 240 UNIT.
	pub const WorkerDeposit: Balance = 10 * UNIT;
	/// A fifth of a lapsed worker's deposit pays whoever evicts it.
	pub const EvictionReward: Perbill = Perbill::from_percent(20);
}

impl pallet_attestation::Config for Runtime {
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type UnixTime = pallet_timestamp::Pallet<Runtime>;
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
	type WeightInfo = pallet_attestation::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkClock;
}

/// Sets the timestamp pallet's clock in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkClock;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_attestation::benchmarking::BenchmarkHelper for BenchmarkClock {
	fn set_unix_time(secs: u64) {
		pallet_timestamp::Now::<Runtime>::put(secs.saturating_mul(1000));
	}
}
