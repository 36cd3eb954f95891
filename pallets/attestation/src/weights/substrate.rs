//! Weights of `pallet_attestation` measured by `frame-benchmarking` (GENERATED: do not edit; see
//! `docs/benchmarks.md`, regenerate with `scripts/bench.sh`).
//!
//! CLI VERSION 64.0.0, DATE 2026-12-07, STEPS `20`, REPEAT `20`,
//! WASM-EXECUTION `Compiled`, CHAIN `None`, CPU `Intel(R) Xeon(R) Processor @ 2.80GHz`.
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
	// The range of component `l` is `[1, 64]`.
	fn replay_event_log(l: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 46_957_000 picoseconds.
		Weight::from_parts(76_080_000, 0)
			// Standard Error: 288_070
			.saturating_add(Weight::from_parts(43_556_865, 0).saturating_mul(l.into()))
	}
	// Storage: `System::BlockHash` (r:2 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:0)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
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
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn register_worker_tdx() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `30114`
		//  Estimated: `103961`
		// Minimum execution time: 3_146_975_000 picoseconds.
		Weight::from_parts(3_540_417_000, 103961)
			.saturating_add(T::DbWeight::get().reads(24_u64))
	}
	// Storage: `System::BlockHash` (r:2 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2198), added: 2693, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:0)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::SnpCrls` (r:1 w:0)
	// Proof: `Attestation::SnpCrls` (`max_values`: None, `max_size`: Some(21564), added: 24039, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVeks` (r:1 w:0)
	// Proof: `Attestation::KnownVeks` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn register_worker_snp() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `39105`
		//  Estimated: `103961`
		// Minimum execution time: 9_218_000_000 picoseconds.
		Weight::from_parts(15_823_164_000, 103961)
			.saturating_add(T::DbWeight::get().reads(22_u64))
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
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn submit_attestation_tdx() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `30545`
		//  Estimated: `103961`
		// Minimum execution time: 3_155_326_000 picoseconds.
		Weight::from_parts(3_336_780_000, 103961)
			.saturating_add(T::DbWeight::get().reads(23_u64))
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
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn submit_attestation_snp() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `39528`
		//  Estimated: `103961`
		// Minimum execution time: 9_149_791_000 picoseconds.
		Weight::from_parts(13_808_014_000, 103961)
			.saturating_add(T::DbWeight::get().reads(21_u64))
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
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn submit_attestation_snp_known_vek() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `39644`
		//  Estimated: `103961`
		// Minimum execution time: 4_665_662_000 picoseconds.
		Weight::from_parts(5_758_951_000, 103961)
			.saturating_add(T::DbWeight::get().reads(21_u64))
	}
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxTcbInfo` (r:1 w:1)
	// Proof: `Attestation::TdxTcbInfo` (`max_values`: None, `max_size`: Some(41104), added: 43579, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxQeIdentity` (r:1 w:1)
	// Proof: `Attestation::TdxQeIdentity` (`max_values`: Some(1), `max_size`: Some(16504), added: 16999, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxPckCrl` (r:1 w:1)
	// Proof: `Attestation::TdxPckCrl` (`max_values`: None, `max_size`: Some(73795), added: 76270, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxRootCaCrl` (r:1 w:1)
	// Proof: `Attestation::TdxRootCaCrl` (`max_values`: Some(1), `max_size`: Some(65592), added: 66087, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RulesEpoch` (r:1 w:1)
	// Proof: `Attestation::RulesEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn upload_collateral_tdx() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `28504`
		//  Estimated: `103961`
		// Minimum execution time: 5_868_709_000 picoseconds.
		Weight::from_parts(6_502_021_000, 103961)
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
		// Minimum execution time: 18_128_080_000 picoseconds.
		Weight::from_parts(18_985_671_000, 103961)
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
		// Minimum execution time: 34_920_000 picoseconds.
		Weight::from_parts(37_026_000, 3683)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Attestation::CounterForReleases` (r:1 w:1)
	// Proof: `Attestation::CounterForReleases` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::NextReleaseId` (r:1 w:1)
	// Proof: `Attestation::NextReleaseId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:1 w:1)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1625), added: 4100, mode: `MaxEncodedLen`)
	fn add_release() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1128`
		//  Estimated: `5090`
		// Minimum execution time: 34_853_000 picoseconds.
		Weight::from_parts(42_646_000, 5090)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	// PLACEHOLDER until scripts/bench.sh regenerates this file.
	fn retire_release() -> Weight {
		Weight::from_parts(40_000_000, 5000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	// PLACEHOLDER until scripts/bench.sh regenerates this file.
	fn remove_release() -> Weight {
		Weight::from_parts(60_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	// Storage: `Attestation::TrustAnchors` (r:1 w:1)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxTcbInfo` (r:1024 w:1024)
	// Proof: `Attestation::TdxTcbInfo` (`max_values`: None, `max_size`: Some(41104), added: 43579, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxPckCrl` (r:1 w:1)
	// Proof: `Attestation::TdxPckCrl` (`max_values`: None, `max_size`: Some(73795), added: 76270, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxQeIdentity` (r:1 w:1)
	// Proof: `Attestation::TdxQeIdentity` (`max_values`: Some(1), `max_size`: Some(16504), added: 16999, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxRootCaCrl` (r:1 w:1)
	// Proof: `Attestation::TdxRootCaCrl` (`max_values`: Some(1), `max_size`: Some(65592), added: 66087, mode: `MaxEncodedLen`)
	// Storage: `Attestation::SnpCrls` (r:3 w:3)
	// Proof: `Attestation::SnpCrls` (`max_values`: None, `max_size`: Some(21564), added: 24039, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVeks` (r:1024 w:1024)
	// Proof: `Attestation::KnownVeks` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	// Storage: `Attestation::RulesEpoch` (r:1 w:1)
	// Proof: `Attestation::RulesEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForKnownVeks` (r:0 w:1)
	// Proof: `Attestation::CounterForKnownVeks` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn set_trust_anchors() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `231538`
		//  Estimated: `44625886`
		// Minimum execution time: 27_385_454_000 picoseconds.
		Weight::from_parts(28_363_138_000, 44625886)
			.saturating_add(T::DbWeight::get().reads(2056_u64))
			.saturating_add(T::DbWeight::get().writes(2057_u64))
	}
	// Storage: `Attestation::Workers` (r:1 w:1)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:1)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:1)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::AcceptedEvidence` (r:0 w:1)
	// Proof: `Attestation::AcceptedEvidence` (`max_values`: None, `max_size`: Some(16679), added: 19154, mode: `MaxEncodedLen`)
	fn evict() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `602`
		//  Estimated: `5853`
		// Minimum execution time: 33_377_000 picoseconds.
		Weight::from_parts(35_588_000, 5853)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	// PLACEHOLDER until scripts/bench.sh regenerates this file.
	fn prune_lapsed(p: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 3000)
			.saturating_add(Weight::from_parts(30_000_000, 30000).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().reads((6_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((6_u64).saturating_mul(p.into())))
	}
	// PLACEHOLDER until scripts/bench.sh regenerates this file.
	fn lapse_overdue(l: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 3000)
			.saturating_add(Weight::from_parts(20_000_000, 8000).saturating_mul(l.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(l.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(l.into())))
	}
	// PLACEHOLDER until scripts/bench.sh regenerates this file.
	fn expiry_scan(s: u32, r: u32, ) -> Weight {
		Weight::from_parts(130_000_000, 42000)
			.saturating_add(Weight::from_parts(10_000_000, 10000).saturating_mul(s.into()))
			.saturating_add(Weight::from_parts(5_000_000, 1134).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(r.into())))
	}
	// Storage: `Attestation::Circuits` (r:1 w:1)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForCircuits` (r:1 w:1)
	// Proof: `Attestation::CounterForCircuits` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn register_circuit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `742`
		//  Estimated: `5471`
		// Minimum execution time: 70_356_000 picoseconds.
		Weight::from_parts(73_911_000, 5471)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Attestation::Circuits` (r:1 w:1)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	fn retire_circuit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2279`
		//  Estimated: `5471`
		// Minimum execution time: 21_142_000 picoseconds.
		Weight::from_parts(23_016_000, 5471)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	// PLACEHOLDER until scripts/bench.sh regenerates this file.
	fn remove_circuit() -> Weight {
		Weight::from_parts(25_000_000, 5471)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Attestation::Circuits` (r:1 w:0)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2388), added: 4863, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ProofSrsG2` (r:1 w:0)
	// Proof: `Attestation::ProofSrsG2` (`max_values`: Some(1), `max_size`: Some(128), added: 623, mode: `MaxEncodedLen`)
	fn submit_proof() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2715`
		//  Estimated: `5853`
		// Minimum execution time: 5_192_758_000 picoseconds.
		Weight::from_parts(5_447_685_000, 5853)
			.saturating_add(T::DbWeight::get().reads(4_u64))
	}
}
