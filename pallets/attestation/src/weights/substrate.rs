//! Weights of `pallet_attestation` measured by `frame-benchmarking` (GENERATED: do not edit; see
//! `docs/benchmarks.md`, regenerate with `scripts/bench.sh`).
//!
//! CLI VERSION 64.0.0, DATE 2026-12-07, STEPS `20`, REPEAT `20`,
//! WASM-EXECUTION `Compiled`, CHAIN `None`, CPU `AMD EPYC`.
//!
//! Command:
//! `/root/.cache/tee-attest/target/release/attestation-node-bench`
//! `benchmark`
//! `pallet`
//! `--runtime`
//! `/root/.cache/tee-attest/target/bench-wasm/attestation_runtime.wasm`
//! `--genesis-builder`
//! `runtime`
//! `--genesis-builder-preset`
//! `development`
//! `--pallet`
//! `pallet_attestation`
//! `--extrinsic`
//! `*`
//! `--steps`
//! `20`
//! `--repeat`
//! `20`
//! `--wasm-execution`
//! `compiled`
//! `--template`
//! `scripts/weights-template.hbs`
//! `--output`
//! `pallets/attestation/src/weights/substrate.rs`

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::Weight};

/// Weights of `pallet_attestation` for a runtime whose `DbWeight` prices storage access.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> super::WeightInfo for SubstrateWeight<T> {
	// Storage: `System::BlockHash` (r:2 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:0)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Balances::Holds` (r:1 w:0)
	// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(67), added: 2542, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxTcbInfo` (r:1 w:0)
	// Proof: `Attestation::TdxTcbInfo` (`max_values`: None, `max_size`: Some(41104), added: 43579, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxQeIdentity` (r:1 w:0)
	// Proof: `Attestation::TdxQeIdentity` (`max_values`: Some(1), `max_size`: Some(16504), added: 16999, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxPckCrl` (r:1 w:0)
	// Proof: `Attestation::TdxPckCrl` (`max_values`: None, `max_size`: Some(73795), added: 76270, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxRootCaCrl` (r:1 w:0)
	// Proof: `Attestation::TdxRootCaCrl` (`max_values`: Some(1), `max_size`: Some(65592), added: 66087, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseIndex` (r:1 w:0)
	// Proof: `Attestation::ReleaseIndex` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:8 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn register_worker_tdx() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `32693`
		//  Estimated: `103961`
		// Minimum execution time: 2_735_415_000 picoseconds.
		Weight::from_parts(2_847_301_000, 103961)
			.saturating_add(T::DbWeight::get().reads(21_u64))
	}
	// The range of component `l` is `[1, 64]`.
	fn replay_event_log(l: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 60_089_000 picoseconds.
		Weight::from_parts(86_323_372, 0)
			// Standard Error: 2_153_372
			.saturating_add(Weight::from_parts(62_442_684, 0).saturating_mul(l.into()))
	}
	// Storage: `System::BlockHash` (r:2 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:0)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Balances::Holds` (r:1 w:0)
	// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(67), added: 2542, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::SnpCrls` (r:1 w:0)
	// Proof: `Attestation::SnpCrls` (`max_values`: None, `max_size`: Some(21564), added: 24039, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVeks` (r:1 w:0)
	// Proof: `Attestation::KnownVeks` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseIndex` (r:1 w:0)
	// Proof: `Attestation::ReleaseIndex` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:8 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn register_worker_snp() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `40684`
		//  Estimated: `103961`
		// Minimum execution time: 8_376_658_000 picoseconds.
		Weight::from_parts(8_549_233_000, 103961)
			.saturating_add(T::DbWeight::get().reads(19_u64))
	}
	// Storage: `System::BlockHash` (r:1 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:0)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxTcbInfo` (r:1 w:0)
	// Proof: `Attestation::TdxTcbInfo` (`max_values`: None, `max_size`: Some(41104), added: 43579, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxQeIdentity` (r:1 w:0)
	// Proof: `Attestation::TdxQeIdentity` (`max_values`: Some(1), `max_size`: Some(16504), added: 16999, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxPckCrl` (r:1 w:0)
	// Proof: `Attestation::TdxPckCrl` (`max_values`: None, `max_size`: Some(73795), added: 76270, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxRootCaCrl` (r:1 w:0)
	// Proof: `Attestation::TdxRootCaCrl` (`max_values`: Some(1), `max_size`: Some(65592), added: 66087, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseIndex` (r:1 w:0)
	// Proof: `Attestation::ReleaseIndex` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:8 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn submit_attestation_tdx() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `33239`
		//  Estimated: `103961`
		// Minimum execution time: 2_720_573_000 picoseconds.
		Weight::from_parts(2_824_927_000, 103961)
			.saturating_add(T::DbWeight::get().reads(19_u64))
	}
	// Storage: `System::BlockHash` (r:1 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:0)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::SnpCrls` (r:1 w:0)
	// Proof: `Attestation::SnpCrls` (`max_values`: None, `max_size`: Some(21564), added: 24039, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVeks` (r:1 w:0)
	// Proof: `Attestation::KnownVeks` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseIndex` (r:1 w:0)
	// Proof: `Attestation::ReleaseIndex` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:8 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn submit_attestation_snp() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `41223`
		//  Estimated: `103961`
		// Minimum execution time: 8_309_658_000 picoseconds.
		Weight::from_parts(8_475_244_000, 103961)
			.saturating_add(T::DbWeight::get().reads(17_u64))
	}
	// Storage: `System::BlockHash` (r:1 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:0)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::SnpCrls` (r:1 w:0)
	// Proof: `Attestation::SnpCrls` (`max_values`: None, `max_size`: Some(21564), added: 24039, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVeks` (r:1 w:0)
	// Proof: `Attestation::KnownVeks` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseIndex` (r:1 w:0)
	// Proof: `Attestation::ReleaseIndex` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:8 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn submit_attestation_snp_known_vek() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `41339`
		//  Estimated: `103961`
		// Minimum execution time: 4_238_673_000 picoseconds.
		Weight::from_parts(4_312_934_000, 103961)
			.saturating_add(T::DbWeight::get().reads(17_u64))
	}
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxPckCrl` (r:1 w:1)
	// Proof: `Attestation::TdxPckCrl` (`max_values`: None, `max_size`: Some(73795), added: 76270, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxRootCaCrl` (r:1 w:1)
	// Proof: `Attestation::TdxRootCaCrl` (`max_values`: Some(1), `max_size`: Some(65592), added: 66087, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxTcbInfo` (r:1 w:1)
	// Proof: `Attestation::TdxTcbInfo` (`max_values`: None, `max_size`: Some(41104), added: 43579, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxQeIdentity` (r:1 w:1)
	// Proof: `Attestation::TdxQeIdentity` (`max_values`: Some(1), `max_size`: Some(16504), added: 16999, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RulesEpoch` (r:1 w:1)
	// Proof: `Attestation::RulesEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn upload_collateral_tdx() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `28567`
		//  Estimated: `103961`
		// Minimum execution time: 5_147_110_000 picoseconds.
		Weight::from_parts(5_242_802_000, 103961)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::SnpCrls` (r:3 w:3)
	// Proof: `Attestation::SnpCrls` (`max_values`: None, `max_size`: Some(21564), added: 24039, mode: `MaxEncodedLen`)
	fn upload_collateral_snp() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `81237`
		//  Estimated: `103961`
		// Minimum execution time: 17_121_660_000 picoseconds.
		Weight::from_parts(17_263_702_000, 103961)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	// Storage: `Attestation::Policy` (r:1 w:1)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RulesEpoch` (r:1 w:1)
	// Proof: `Attestation::RulesEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn set_policy() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `444`
		//  Estimated: `3683`
		// Minimum execution time: 30_746_000 picoseconds.
		Weight::from_parts(32_418_000, 3683)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Attestation::CounterForReleases` (r:1 w:1)
	// Proof: `Attestation::CounterForReleases` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::NextReleaseId` (r:1 w:1)
	// Proof: `Attestation::NextReleaseId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseIndex` (r:2 w:2)
	// Proof: `Attestation::ReleaseIndex` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:1 w:1)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn add_release() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2024`
		//  Estimated: `6070`
		// Minimum execution time: 47_811_000 picoseconds.
		Weight::from_parts(51_507_000, 6070)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	// Storage: `Attestation::Releases` (r:1 w:1)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseWorkers` (r:1 w:0)
	// Proof: `Attestation::ReleaseWorkers` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	fn retire_release() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1729`
		//  Estimated: `5090`
		// Minimum execution time: 18_258_000 picoseconds.
		Weight::from_parts(19_919_000, 5090)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	// Storage: `Attestation::Releases` (r:1 w:1)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseWorkers` (r:1 w:0)
	// Proof: `Attestation::ReleaseWorkers` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseIndex` (r:2 w:2)
	// Proof: `Attestation::ReleaseIndex` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForReleases` (r:1 w:1)
	// Proof: `Attestation::CounterForReleases` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn remove_release() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1682`
		//  Estimated: `6070`
		// Minimum execution time: 36_284_000 picoseconds.
		Weight::from_parts(38_827_000, 6070)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	// Storage: `Attestation::TrustAnchors` (r:1 w:1)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RulesEpoch` (r:1 w:1)
	// Proof: `Attestation::RulesEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn set_trust_anchors() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `16523`
		//  Estimated: `103961`
		// Minimum execution time: 19_021_897_000 picoseconds.
		Weight::from_parts(19_197_598_000, 103961)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Attestation::Workers` (r:1 w:1)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Balances::Holds` (r:1 w:1)
	// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(67), added: 2542, mode: `MaxEncodedLen`)
	// Storage: `System::Account` (r:1 w:1)
	// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:1)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:1)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForPendingRequests` (r:1 w:1)
	// Proof: `Attestation::CounterForPendingRequests` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Deadlines` (r:1 w:1)
	// Proof: `Attestation::Deadlines` (`max_values`: None, `max_size`: Some(525), added: 3000, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseWorkers` (r:1 w:1)
	// Proof: `Attestation::ReleaseWorkers` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PlatformWorkers` (r:1 w:1)
	// Proof: `Attestation::PlatformWorkers` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RootWorkers` (r:1 w:1)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
	// Storage: `Attestation::AcceptedEvidence` (r:0 w:1)
	// Proof: `Attestation::AcceptedEvidence` (`max_values`: None, `max_size`: Some(82219), added: 84694, mode: `MaxEncodedLen`)
	fn evict() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1641`
		//  Estimated: `5853`
		// Minimum execution time: 146_297_000 picoseconds.
		Weight::from_parts(151_655_000, 5853)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(11_u64))
	}
	// Storage: `Attestation::Workers` (r:1 w:1)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Balances::Holds` (r:1 w:1)
	// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(67), added: 2542, mode: `MaxEncodedLen`)
	// Storage: `System::Account` (r:1 w:1)
	// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:1)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:1)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForPendingRequests` (r:1 w:1)
	// Proof: `Attestation::CounterForPendingRequests` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Deadlines` (r:1 w:1)
	// Proof: `Attestation::Deadlines` (`max_values`: None, `max_size`: Some(525), added: 3000, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseWorkers` (r:1 w:1)
	// Proof: `Attestation::ReleaseWorkers` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PlatformWorkers` (r:1 w:1)
	// Proof: `Attestation::PlatformWorkers` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RootWorkers` (r:1 w:1)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
	// Storage: `Attestation::AcceptedEvidence` (r:0 w:1)
	// Proof: `Attestation::AcceptedEvidence` (`max_values`: None, `max_size`: Some(82219), added: 84694, mode: `MaxEncodedLen`)
	fn deregister() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1641`
		//  Estimated: `5853`
		// Minimum execution time: 95_131_000 picoseconds.
		Weight::from_parts(99_388_000, 5853)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(11_u64))
	}
	// Storage: `Attestation::PruneQueue` (r:1 w:1)
	// Proof: `Attestation::PruneQueue` (`max_values`: None, `max_size`: Some(2894), added: 5369, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:80 w:80)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Balances::Holds` (r:80 w:80)
	// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(67), added: 2542, mode: `MaxEncodedLen`)
	// Storage: `System::Account` (r:80 w:80)
	// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:1)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:80 w:80)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForPendingRequests` (r:1 w:1)
	// Proof: `Attestation::CounterForPendingRequests` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Deadlines` (r:80 w:80)
	// Proof: `Attestation::Deadlines` (`max_values`: None, `max_size`: Some(525), added: 3000, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ReleaseWorkers` (r:64 w:64)
	// Proof: `Attestation::ReleaseWorkers` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PlatformWorkers` (r:1 w:1)
	// Proof: `Attestation::PlatformWorkers` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RootWorkers` (r:1 w:1)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
	// Storage: `Attestation::AcceptedEvidence` (r:0 w:80)
	// Proof: `Attestation::AcceptedEvidence` (`max_values`: None, `max_size`: Some(82219), added: 84694, mode: `MaxEncodedLen`)
	// The range of component `p` is `[0, 80]`.
	fn prune_lapsed(p: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1119 + p * (1082 ±0)`
		//  Estimated: `9106 + p * (4863 ±0)`
		// Minimum execution time: 7_922_000 picoseconds.
		Weight::from_parts(47_454_940, 9106)
			// Standard Error: 368_901
			.saturating_add(Weight::from_parts(83_172_109, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().reads((6_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(7_u64))
			.saturating_add(T::DbWeight::get().writes((7_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 4863).saturating_mul(p.into()))
	}
	// Storage: `Attestation::Deadlines` (r:1 w:1)
	// Proof: `Attestation::Deadlines` (`max_values`: None, `max_size`: Some(525), added: 3000, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:16 w:16)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForPendingRequests` (r:1 w:1)
	// Proof: `Attestation::CounterForPendingRequests` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:16 w:16)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PruneQueue` (r:1 w:1)
	// Proof: `Attestation::PruneQueue` (`max_values`: None, `max_size`: Some(2894), added: 5369, mode: `MaxEncodedLen`)
	// The range of component `l` is `[0, 16]`.
	fn lapse_overdue(l: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `715 + l * (204 ±0)`
		//  Estimated: `6359 + l * (4863 ±0)`
		// Minimum execution time: 7_180_000 picoseconds.
		Weight::from_parts(14_830_947, 6359)
			// Standard Error: 11_816
			.saturating_add(Weight::from_parts(12_977_337, 0).saturating_mul(l.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(l.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(l.into())))
			.saturating_add(Weight::from_parts(0, 4863).saturating_mul(l.into()))
	}
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RulesEpoch` (r:1 w:0)
	// Proof: `Attestation::RulesEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `System::ParentHash` (r:1 w:0)
	// Proof: `System::ParentHash` (`max_values`: Some(1), `max_size`: Some(32), added: 527, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ScanCursor` (r:1 w:1)
	// Proof: `Attestation::ScanCursor` (`max_values`: Some(1), `max_size`: Some(130), added: 625, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Deadlines` (r:1 w:1)
	// Proof: `Attestation::Deadlines` (`max_values`: None, `max_size`: Some(525), added: 3000, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:65 w:64)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:16 w:16)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForPendingRequests` (r:1 w:1)
	// Proof: `Attestation::CounterForPendingRequests` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PruneQueue` (r:1 w:1)
	// Proof: `Attestation::PruneQueue` (`max_values`: None, `max_size`: Some(2894), added: 5369, mode: `MaxEncodedLen`)
	// The range of component `s` is `[0, 64]`.
	// The range of component `r` is `[0, 16]`.
	fn expiry_scan(s: u32, r: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `933 + s * (86 ±0)`
		//  Estimated: `6359 + r * (1982 ±97) + s * (4863 ±0)`
		// Minimum execution time: 17_145_000 picoseconds.
		Weight::from_parts(17_856_000, 6359)
			// Standard Error: 25_931
			.saturating_add(Weight::from_parts(13_072_971, 0).saturating_mul(s.into()))
			// Standard Error: 104_450
			.saturating_add(Weight::from_parts(5_118_491, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(r.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(r.into())))
			.saturating_add(Weight::from_parts(0, 1982).saturating_mul(r.into()))
			.saturating_add(Weight::from_parts(0, 4863).saturating_mul(s.into()))
	}
	// Storage: `Attestation::Circuits` (r:1 w:1)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForCircuits` (r:1 w:1)
	// Proof: `Attestation::CounterForCircuits` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn register_circuit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `742`
		//  Estimated: `5471`
		// Minimum execution time: 54_951_000 picoseconds.
		Weight::from_parts(57_745_000, 5471)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Attestation::Circuits` (r:1 w:1)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	fn retire_circuit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2279`
		//  Estimated: `5471`
		// Minimum execution time: 15_473_000 picoseconds.
		Weight::from_parts(16_665_000, 5471)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	// Storage: `Attestation::Circuits` (r:1 w:1)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForCircuits` (r:1 w:1)
	// Proof: `Attestation::CounterForCircuits` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn remove_circuit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2306`
		//  Estimated: `5471`
		// Minimum execution time: 21_191_000 picoseconds.
		Weight::from_parts(22_834_000, 5471)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TcbInfoCursor` (r:1 w:1)
	// Proof: `Attestation::TcbInfoCursor` (`max_values`: Some(1), `max_size`: Some(130), added: 625, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxTcbInfo` (r:9 w:8)
	// Proof: `Attestation::TdxTcbInfo` (`max_values`: None, `max_size`: Some(41104), added: 43579, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForTdxTcbInfo` (r:1 w:1)
	// Proof: `Attestation::CounterForTdxTcbInfo` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVekCursor` (r:1 w:1)
	// Proof: `Attestation::KnownVekCursor` (`max_values`: Some(1), `max_size`: Some(130), added: 625, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVeks` (r:9 w:8)
	// Proof: `Attestation::KnownVeks` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForKnownVeks` (r:1 w:1)
	// Proof: `Attestation::CounterForKnownVeks` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// The range of component `t` is `[0, 8]`.
	// The range of component `v` is `[0, 8]`.
	fn prune_collateral(t: u32, v: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `5418 + t * (59 ±0) + v * (128 ±0)`
		//  Estimated: `44569 + t * (43579 ±0) + v * (2595 ±0)`
		// Minimum execution time: 101_711_000 picoseconds.
		Weight::from_parts(30_144_552, 44569)
			// Standard Error: 79_534
			.saturating_add(Weight::from_parts(12_827_355, 0).saturating_mul(t.into()))
			// Standard Error: 79_534
			.saturating_add(Weight::from_parts(10_085_458, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(t.into())))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(t.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(v.into())))
			.saturating_add(Weight::from_parts(0, 43579).saturating_mul(t.into()))
			.saturating_add(Weight::from_parts(0, 2595).saturating_mul(v.into()))
	}
	// Storage: `Attestation::Circuits` (r:1 w:0)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RootWorkers` (r:1 w:0)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:16 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ProofSrsG2` (r:1 w:0)
	// Proof: `Attestation::ProofSrsG2` (`max_values`: Some(1), `max_size`: Some(128), added: 623, mode: `MaxEncodedLen`)
	fn submit_proof() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `4702`
		//  Estimated: `78798`
		// Minimum execution time: 4_356_187_000 picoseconds.
		Weight::from_parts(4_765_494_000, 78798)
			.saturating_add(T::DbWeight::get().reads(20_u64))
	}
}
