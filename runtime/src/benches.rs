//! The pallets benchmarked by `attestation-node benchmark pallet` (docs/benchmarks.md).

polkadot_sdk::frame_benchmarking::define_benchmarks!([pallet_attestation, Attestation]);
