//! Weights of `pallet_attestation` measured by `frame-benchmarking` (GENERATED: do not edit; see
//! `docs/benchmarks.md`, regenerate with `scripts/bench.sh`).
//!
//! CLI VERSION 64.0.0, DATE 2026-11-24, STEPS `20`, REPEAT `20`,
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
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2384), added: 4859, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2190), added: 2685, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:0)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxCollateral` (r:1 w:0)
	// Proof: `Attestation::TdxCollateral` (`max_values`: None, `max_size`: Some(196830), added: 199305, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1347), added: 3822, mode: `MaxEncodedLen`)
	fn register_worker_tdx() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `29859`
		//  Estimated: `200295`
		// Minimum execution time: 2_649_469_000 picoseconds.
		Weight::from_parts(2_732_253_000, 200295)
			.saturating_add(T::DbWeight::get().reads(21_u64))
	}
	// Storage: `System::BlockHash` (r:2 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2384), added: 4859, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2190), added: 2685, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:0)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::SnpCollateral` (r:1 w:0)
	// Proof: `Attestation::SnpCollateral` (`max_values`: Some(1), `max_size`: Some(393261), added: 393756, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVeks` (r:1 w:0)
	// Proof: `Attestation::KnownVeks` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1347), added: 3822, mode: `MaxEncodedLen`)
	fn register_worker_snp() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `17492`
		//  Estimated: `394746`
		// Minimum execution time: 7_960_146_000 picoseconds.
		Weight::from_parts(8_031_221_000, 394746)
			.saturating_add(T::DbWeight::get().reads(22_u64))
	}
	// Storage: `System::BlockHash` (r:1 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2384), added: 4859, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:0)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxCollateral` (r:1 w:0)
	// Proof: `Attestation::TdxCollateral` (`max_values`: None, `max_size`: Some(196830), added: 199305, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2190), added: 2685, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1347), added: 3822, mode: `MaxEncodedLen`)
	fn submit_attestation_tdx() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `30281`
		//  Estimated: `200295`
		// Minimum execution time: 2_652_283_000 picoseconds.
		Weight::from_parts(2_722_358_000, 200295)
			.saturating_add(T::DbWeight::get().reads(20_u64))
	}
	// Storage: `System::BlockHash` (r:1 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2384), added: 4859, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:0)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::SnpCollateral` (r:1 w:0)
	// Proof: `Attestation::SnpCollateral` (`max_values`: Some(1), `max_size`: Some(393261), added: 393756, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVeks` (r:1 w:0)
	// Proof: `Attestation::KnownVeks` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2190), added: 2685, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1347), added: 3822, mode: `MaxEncodedLen`)
	fn submit_attestation_snp() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `17911`
		//  Estimated: `394746`
		// Minimum execution time: 7_997_321_000 picoseconds.
		Weight::from_parts(8_069_168_000, 394746)
			.saturating_add(T::DbWeight::get().reads(21_u64))
	}
	// Storage: `System::BlockHash` (r:1 w:0)
	// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2384), added: 4859, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:0)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::SnpCollateral` (r:1 w:0)
	// Proof: `Attestation::SnpCollateral` (`max_values`: Some(1), `max_size`: Some(393261), added: 393756, mode: `MaxEncodedLen`)
	// Storage: `Attestation::KnownVeks` (r:1 w:0)
	// Proof: `Attestation::KnownVeks` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2190), added: 2685, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:13 w:0)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1347), added: 3822, mode: `MaxEncodedLen`)
	fn submit_attestation_snp_known_vek() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `18027`
		//  Estimated: `394746`
		// Minimum execution time: 3_932_968_000 picoseconds.
		Weight::from_parts(3_993_007_000, 394746)
			.saturating_add(T::DbWeight::get().reads(21_u64))
	}
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TrustAnchors` (r:1 w:0)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	// Storage: `Attestation::TdxCollateral` (r:1 w:1)
	// Proof: `Attestation::TdxCollateral` (`max_values`: None, `max_size`: Some(196830), added: 199305, mode: `MaxEncodedLen`)
	fn upload_collateral_tdx() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `15927`
		//  Estimated: `200295`
		// Minimum execution time: 4_938_863_000 picoseconds.
		Weight::from_parts(4_992_173_000, 200295)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}

	fn upload_collateral_snp() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `15927`
		//  Estimated: `200295`
		// Minimum execution time: 4_938_863_000 picoseconds.
		Weight::from_parts(4_992_173_000, 200295)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	// Storage: `Attestation::Policy` (r:0 w:1)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2190), added: 2685, mode: `MaxEncodedLen`)
	fn set_policy() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 20_341_000 picoseconds.
		Weight::from_parts(21_472_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	// Storage: `Attestation::CounterForReleases` (r:1 w:1)
	// Proof: `Attestation::CounterForReleases` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::NextReleaseId` (r:1 w:1)
	// Proof: `Attestation::NextReleaseId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Releases` (r:1 w:1)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1347), added: 3822, mode: `MaxEncodedLen`)
	fn add_release() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `992`
		//  Estimated: `4812`
		// Minimum execution time: 24_195_000 picoseconds.
		Weight::from_parts(26_460_000, 4812)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	// Storage: `Attestation::Releases` (r:1 w:1)
	// Proof: `Attestation::Releases` (`max_values`: None, `max_size`: Some(1347), added: 3822, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1025 w:1024)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2384), added: 4859, mode: `MaxEncodedLen`)
	// The range of component `w` is `[0, 1024]`.
	fn retire_release(w: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `610 + w * (85 ±0)`
		//  Estimated: `5849 + w * (4859 ±0)`
		// Minimum execution time: 24_327_000 picoseconds.
		Weight::from_parts(24_887_000, 5849)
			// Standard Error: 13_805
			.saturating_add(Weight::from_parts(5_772_620, 0).saturating_mul(w.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(w.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(w.into())))
			.saturating_add(Weight::from_parts(0, 4859).saturating_mul(w.into()))
	}
	// Storage: `Attestation::TrustAnchors` (r:0 w:1)
	// Proof: `Attestation::TrustAnchors` (`max_values`: Some(1), `max_size`: Some(102476), added: 102971, mode: `MaxEncodedLen`)
	fn set_trust_anchors() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 18_808_000 picoseconds.
		Weight::from_parts(19_900_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	// Storage: `Attestation::Workers` (r:1 w:1)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2384), added: 4859, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForWorkers` (r:1 w:1)
	// Proof: `Attestation::CounterForWorkers` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:1 w:1)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::AcceptedEvidence` (r:0 w:1)
	// Proof: `Attestation::AcceptedEvidence` (`max_values`: None, `max_size`: Some(16679), added: 19154, mode: `MaxEncodedLen`)
	fn evict() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `522`
		//  Estimated: `5849`
		// Minimum execution time: 24_767_000 picoseconds.
		Weight::from_parts(26_470_000, 5849)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	// Storage: `Attestation::Deadlines` (r:2 w:2)
	// Proof: `Attestation::Deadlines` (`max_values`: None, `max_size`: Some(525), added: 3000, mode: `MaxEncodedLen`)
	// Storage: `Attestation::PendingRequests` (r:32 w:32)
	// Proof: `Attestation::PendingRequests` (`max_values`: None, `max_size`: Some(88), added: 2563, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForPendingRequests` (r:1 w:1)
	// Proof: `Attestation::CounterForPendingRequests` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:81 w:32)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2384), added: 4859, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Policy` (r:1 w:0)
	// Proof: `Attestation::Policy` (`max_values`: Some(1), `max_size`: Some(2190), added: 2685, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `System::ParentHash` (r:1 w:0)
	// Proof: `System::ParentHash` (`max_values`: Some(1), `max_size`: Some(32), added: 527, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ScanCursor` (r:1 w:1)
	// Proof: `Attestation::ScanCursor` (`max_values`: Some(1), `max_size`: Some(130), added: 625, mode: `MaxEncodedLen`)
	// The range of component `l` is `[0, 16]`.
	// The range of component `s` is `[0, 64]`.
	// The range of component `r` is `[0, 16]`.
	fn on_initialize(l: u32, s: u32, r: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `679 + l * (118 ±0) + s * (86 ±0)`
		//  Estimated: `41998 + l * (4859 ±0) + r * (1146 ±116) + s * (4859 ±0)`
		// Minimum execution time: 183_773_000 picoseconds.
		Weight::from_parts(186_798_000, 41998)
			// Standard Error: 163_317
			.saturating_add(Weight::from_parts(5_134_090, 0).saturating_mul(l.into()))
			// Standard Error: 41_350
			.saturating_add(Weight::from_parts(5_777_622, 0).saturating_mul(s.into()))
			// Standard Error: 163_317
			.saturating_add(Weight::from_parts(6_554_912, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(40_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(l.into())))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(35_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(l.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(r.into())))
			.saturating_add(Weight::from_parts(0, 4859).saturating_mul(l.into()))
			.saturating_add(Weight::from_parts(0, 1146).saturating_mul(r.into()))
			.saturating_add(Weight::from_parts(0, 4859).saturating_mul(s.into()))
	}
	// Storage: `Attestation::Circuits` (r:1 w:1)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	// Storage: `Attestation::CounterForCircuits` (r:1 w:1)
	// Proof: `Attestation::CounterForCircuits` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn register_circuit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `633`
		//  Estimated: `5471`
		// Minimum execution time: 56_033_000 picoseconds.
		Weight::from_parts(58_337_000, 5471)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// Storage: `Attestation::Circuits` (r:1 w:1)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	fn retire_circuit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2170`
		//  Estimated: `5471`
		// Minimum execution time: 15_433_000 picoseconds.
		Weight::from_parts(16_645_000, 5471)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	// Storage: `Attestation::Circuits` (r:1 w:0)
	// Proof: `Attestation::Circuits` (`max_values`: None, `max_size`: Some(2006), added: 4481, mode: `MaxEncodedLen`)
	// Storage: `Attestation::Workers` (r:1 w:0)
	// Proof: `Attestation::Workers` (`max_values`: None, `max_size`: Some(2384), added: 4859, mode: `MaxEncodedLen`)
	// Storage: `Timestamp::Now` (r:1 w:0)
	// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	// Storage: `Attestation::ProofSrsG2` (r:1 w:0)
	// Proof: `Attestation::ProofSrsG2` (`max_values`: Some(1), `max_size`: Some(128), added: 623, mode: `MaxEncodedLen`)
	fn submit_proof() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2635`
		//  Estimated: `5849`
		// Minimum execution time: 4_204_431_000 picoseconds.
		Weight::from_parts(4_318_070_000, 5849)
			.saturating_add(T::DbWeight::get().reads(4_u64))
	}
}
