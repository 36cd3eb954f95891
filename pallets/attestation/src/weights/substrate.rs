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
	// Storage: `Attestation::RootWorkers` (r:1 w:0)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
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
		//  Measured:  `32666`
		//  Estimated: `103961`
		// Minimum execution time: 2_677_529_000 picoseconds.
		Weight::from_parts(2_823_275_000, 103961)
			.saturating_add(T::DbWeight::get().reads(21_u64))
	}
	// The range of component `l` is `[1, 64]`.
	fn replay_event_log(l: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 60_039_000 picoseconds.
		Weight::from_parts(60_630_000, 0)
			// Standard Error: 67_755
			.saturating_add(Weight::from_parts(62_378_260, 0).saturating_mul(l.into()))
	}
	// Storage: `System::BlockHash` (r:2 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:0)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RootWorkers` (r:1 w:0)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
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
		// Minimum execution time: 8_297_771_000 picoseconds.
		Weight::from_parts(8_564_396_000, 103961)
			.saturating_add(T::DbWeight::get().reads(19_u64))
	}
	// Storage: `System::BlockHash` (r:1 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:0)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RootWorkers` (r:1 w:0)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
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
		//  Measured:  `33219`
		//  Estimated: `103961`
		// Minimum execution time: 2_687_133_000 picoseconds.
		Weight::from_parts(2_793_140_000, 103961)
			.saturating_add(T::DbWeight::get().reads(20_u64))
	}
	// Storage: `System::BlockHash` (r:1 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:0)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RootWorkers` (r:1 w:0)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
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
		//  Measured:  `41229`
		//  Estimated: `103961`
		// Minimum execution time: 8_210_642_000 picoseconds.
		Weight::from_parts(8_406_812_000, 103961)
			.saturating_add(T::DbWeight::get().reads(18_u64))
	}
	// Storage: `System::BlockHash` (r:1 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:0)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RootWorkers` (r:1 w:0)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
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
		//  Measured:  `41345`
		//  Estimated: `103961`
		// Minimum execution time: 4_207_828_000 picoseconds.
		Weight::from_parts(4_314_255_000, 103961)
			.saturating_add(T::DbWeight::get().reads(18_u64))
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
		//  Measured:  `28541`
		//  Estimated: `103961`
		// Minimum execution time: 4_979_371_000 picoseconds.
		Weight::from_parts(5_089_144_000, 103961)
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
		// Minimum execution time: 17_221_489_000 picoseconds.
		Weight::from_parts(17_427_374_000, 103961)
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
		// Minimum execution time: 31_347_000 picoseconds.
		Weight::from_parts(33_279_000, 3683)
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
		// Minimum execution time: 47_721_000 picoseconds.
		Weight::from_parts(51_817_000, 6070)
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
		// Minimum execution time: 18_668_000 picoseconds.
		Weight::from_parts(20_170_000, 5090)
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
		// Minimum execution time: 36_494_000 picoseconds.
		Weight::from_parts(39_118_000, 6070)
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
		// Minimum execution time: 19_098_090_000 picoseconds.
		Weight::from_parts(19_317_466_000, 103961)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Attestation::Workers` (r:1 w:1)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
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
	// Storage: `Attestation::RootWorkers` (r:1 w:1)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
	// Storage: `Attestation::AcceptedEvidence` (r:0 w:1)
	// Proof: `Attestation::AcceptedEvidence` (`max_values`: None, `max_size`: Some(82219), added: 84694, mode: `MaxEncodedLen`)
	fn evict() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1410`
		//  Estimated: `5853`
		// Minimum execution time: 42_273_000 picoseconds.
		Weight::from_parts(45_117_000, 5853)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	// Provisional (until `scripts/bench.sh` runs): a read and a write of a largest TCB Info
	// (74 KB) per entry.
	fn prune_collateral(t: u32, v: u32) -> Weight {
		Weight::from_parts(5_000_000, 1_000)
			.saturating_add(Weight::from_parts(100_000_000, 80_000).saturating_mul(t.into()))
			.saturating_add(Weight::from_parts(10_000_000, 3_000).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads_writes(3, 2))
			.saturating_add(T::DbWeight::get().reads_writes(1, 1).saturating_mul((t + v).into()))
	}
	// Provisional (until `scripts/bench.sh` runs): `evict`'s.
	fn deregister() -> Weight {
		Weight::from_parts(45_117_000, 5853)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	// Storage: `Attestation::PruneQueue` (r:1 w:1)
	// Proof: `Attestation::PruneQueue` (`max_values`: None, `max_size`: Some(2894), added: 5369, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:80 w:80)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
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
	// Storage: `Attestation::RootWorkers` (r:1 w:1)
	// Proof: `Attestation::RootWorkers` (`max_values`: None, `max_size`: Some(545), added: 3020, mode: `MaxEncodedLen`)
	// Storage: `Attestation::AcceptedEvidence` (r:0 w:80)
	// Proof: `Attestation::AcceptedEvidence` (`max_values`: None, `max_size`: Some(82219), added: 84694, mode: `MaxEncodedLen`)
	// The range of component `p` is `[0, 80]`.
	fn prune_lapsed(p: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1107 + p * (908 ±0)`
		//  Estimated: `9106 + p * (4863 ±0)`
		// Minimum execution time: 7_200_000 picoseconds.
		Weight::from_parts(15_403_655, 9106)
			// Standard Error: 29_489
			.saturating_add(Weight::from_parts(31_022_692, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((4_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(6_u64))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(p.into())))
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
		//  Measured:  `682 + l * (204 ±0)`
		//  Estimated: `6359 + l * (4863 ±0)`
		// Minimum execution time: 6_980_000 picoseconds.
		Weight::from_parts(12_922_957, 6359)
			// Standard Error: 6_681
			.saturating_add(Weight::from_parts(13_021_584, 0).saturating_mul(l.into()))
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
		//  Measured:  `861 + s * (86 ±0)`
		//  Estimated: `6359 + r * (1997 ±92) + s * (4863 ±0)`
		// Minimum execution time: 16_855_000 picoseconds.
		Weight::from_parts(17_416_000, 6359)
			// Standard Error: 18_637
			.saturating_add(Weight::from_parts(12_597_734, 0).saturating_mul(s.into()))
			// Standard Error: 75_067
			.saturating_add(Weight::from_parts(5_568_553, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(r.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(r.into())))
			.saturating_add(Weight::from_parts(0, 1997).saturating_mul(r.into()))
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
		// Minimum execution time: 55_722_000 picoseconds.
		Weight::from_parts(59_498_000, 5471)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Attestation::Circuits` (r:1 w:1)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	fn retire_circuit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2279`
		//  Estimated: `5471`
		// Minimum execution time: 15_753_000 picoseconds.
		Weight::from_parts(17_136_000, 5471)
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
		// Minimum execution time: 21_612_000 picoseconds.
		Weight::from_parts(24_096_000, 5471)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
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
		//  Measured:  `4653`
		//  Estimated: `78798`
		// Minimum execution time: 4_340_044_000 picoseconds.
		Weight::from_parts(4_779_675_000, 78798)
			.saturating_add(T::DbWeight::get().reads(20_u64))
	}
}
