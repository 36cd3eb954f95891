//! # Attestation runtime
//!
//! The runtime of the TEE attestation chain. It keeps (in later pallets) a registry of
//! confidential-VM workers whose hardware evidence was verified on chain; this crate composes
//! the FRAME pallets every chain needs: `System`, `Timestamp`, `Aura` and `Grandpa` (block
//! authoring and finality on the local testnet), `Balances`, `TransactionPayment` and `Sudo`.
//!
//! The same runtime serves both chains the node knows:
//! - `development` (`--dev`): one node, blocks sealed by the node on a timer (one per slot),
//!   Alice funded and sudo.
//! - `local`: Alice and Bob as Aura/GRANDPA validators on loopback.
//!
//! Genesis presets live in [`genesis_config_presets`]; the runtime APIs in [`apis`].

#![cfg_attr(not(feature = "std"), no_std)]
// `impl_runtime_apis!` and `#[frame_support::runtime]` expand to many undocumented items.
#![allow(missing_docs)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benches;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;

use alloc::vec::Vec;
use polkadot_sdk::*;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(feature = "std")]
pub use sp_runtime::BuildStorage;

/// Opaque types: what the node needs to know about blocks without depending on the runtime's
/// extrinsic format, so it keeps syncing across runtime upgrades.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: Aura for authoring, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// Runtime version. Bump `spec_version` on every change of runtime logic, `transaction_version`
/// when call indices or argument encodings change.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("tee-attestation"),
	impl_name: alloc::borrow::Cow::Borrowed("tee-attestation"),
	authoring_version: 1,
	spec_version: 110,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Target block time and Aura slot length, in milliseconds. The dev node seals one block per
/// slot; the local testnet's validators author one block per slot. Cannot change after genesis.
pub const MILLISECS_PER_BLOCK: u64 = 3000;
/// Aura slot duration (one block per slot).
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

/// Blocks per minute at the target block time.
pub const MINUTES: BlockNumber = 20;
/// Blocks per hour at the target block time.
pub const HOURS: BlockNumber = 1_200;
/// Blocks per day at the target block time.
pub const DAYS: BlockNumber = 28_800;

/// The smallest unit is 10^-12 of a `UNIT`.
pub const UNIT: Balance = 1_000_000_000_000;
/// One thousandth of a `UNIT`.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// One millionth of a `UNIT`.
pub const MICRO_UNIT: Balance = 1_000_000;
/// Accounts below this balance are reaped.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Transaction signature: sr25519, ed25519 or ECDSA.
pub type Signature = MultiSignature;
/// Account identifier: the 32-byte public key (or its hash for ECDSA) of the signer.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Per-account transaction counter.
pub type Nonce = u32;
/// Block and state hash.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// How an extrinsic names an account.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// Block with justifications.
pub type SignedBlock = generic::SignedBlock<Block>;

/// Checks applied to every signed transaction.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Extrinsic as the runtime decodes it.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// What a transaction's signature covers.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Runtime migrations beyond the pallets' own.
type Migrations = ();

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(10)]
	pub type Attestation = pallet_attestation;
}
