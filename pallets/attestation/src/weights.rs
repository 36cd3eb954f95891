//! Weights of the attestation pallet's calls and hook.
//!
//! The trait is written by hand; its implementation [`SubstrateWeight`] (`weights/substrate.rs`)
//! is generated from the benchmarks in `benchmarking.rs`, which run the production verification
//! path on real TDX and SNP evidence in the wasm runtime (`scripts/bench.sh`, see
//! `docs/benchmarks.md`).

use polkadot_sdk::frame_support::weights::Weight;

mod substrate;
pub use substrate::SubstrateWeight;

/// Weight functions of the pallet, one per benchmark.
pub trait WeightInfo {
	/// `register_worker` with TDX evidence, through every check (the benchmark ends at the
	/// binding check; see `benchmarking.rs`).
	fn register_worker_tdx() -> Weight;
	/// The event-log part of TDX verification (parse, payload digests, replay, comparison
	/// with the quote, the measured system) on a log of `l` KiB (1 to 64, `MAX_EVENT_LOG_LEN`)
	/// with the most events that fit; added to the TDX attestation weights.
	fn replay_event_log(l: u32) -> Weight;
	/// `register_worker` with SEV-SNP evidence, likewise.
	fn register_worker_snp() -> Weight;
	/// `submit_attestation` with TDX evidence, likewise.
	fn submit_attestation_tdx() -> Weight;
	/// `submit_attestation` with SEV-SNP evidence, likewise.
	fn submit_attestation_snp() -> Weight;
	/// `submit_attestation` with SEV-SNP evidence whose VEK chain the chain remembers
	/// (`KnownVeks`); also used for such a `register_worker`.
	fn submit_attestation_snp_known_vek() -> Weight;
	/// `upload_collateral` of an Intel bundle (TCB Info, QE Identity and CRL signatures), every
	/// part new.
	fn upload_collateral_tdx() -> Weight;
	/// `upload_collateral` of `MAX_AMD_CRLS` AMD CRLs (an RSA-4096 signature each) at the
	/// largest revocation lists the chain keeps.
	fn upload_collateral_snp() -> Weight;
	/// `set_policy` with the largest advisory allow-list.
	fn set_policy() -> Weight;
	/// `add_release` with `MaxReleases - 1` releases stored.
	fn add_release() -> Weight;
	/// `retire_release` (touches no worker: the expiry scan finds them).
	fn retire_release() -> Weight;
	/// `remove_release` of a release indexed under both TDX and SNP measurements, each
	/// index entry full.
	fn remove_release() -> Weight;
	/// `set_trust_anchors` replacing every root: checks every certificate's signature.
	fn set_trust_anchors() -> Weight;
	/// `evict` of a lapsed worker with a request in a full deadline bucket: pays the
	/// evictor's reward from the deposit and returns the rest.
	fn evict() -> Weight;
	/// `deregister` of a worker with a request in a full deadline bucket.
	fn deregister() -> Weight;
	/// The part of `on_initialize` that removes `p` workers lapsed `LapsedGracePeriod` ago.
	fn prune_lapsed(p: u32) -> Weight;
	/// The part of `on_initialize` that lapses `l` workers whose deadline passed.
	fn lapse_overdue(l: u32) -> Weight;
	/// The expiry scan of `on_initialize`: `s` workers examined, `r` of them asked to
	/// re-attest, the others expired (each lapses: the dearest way to examine a worker).
	fn expiry_scan(s: u32, r: u32) -> Weight;
	/// `on_idle`'s removal of expired collateral: `t` TCB Infos (of the largest size) and `v`
	/// remembered VEKs examined, each expired and removed.
	fn prune_collateral(t: u32, v: u32) -> Weight;
	/// `register_circuit` (parses the verification key) with `MaxCircuits - 1` registered.
	fn register_circuit() -> Weight;
	/// `retire_circuit`.
	fn retire_circuit() -> Weight;
	/// `remove_circuit`.
	fn remove_circuit() -> Weight;
	/// `submit_proof`: a ZK proof of the 2^17-row service_response circuit verified in full
	/// (the largest proof the chain's registered circuits produce).
	fn submit_proof() -> Weight;
}
