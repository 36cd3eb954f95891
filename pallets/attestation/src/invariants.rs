//! Invariants of the pallet's storage, checked by `try_state` and at the end of every unit
//! test (`mock::new_test_ext`), and
//! of its weights, checked by `integrity_test`.

use crate::{pallet::*, weights::WeightInfo};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, weights::Weight},
	frame_system,
};

/// Largest proof size (PoV) any call or the block hook may need: 1 MiB.
pub const MAX_PROOF_SIZE: u64 = 1024 * 1024;

impl<T: Config> Pallet<T> {
	/// The weight of every call at its largest input, and of `on_initialize` at its most
	/// work: each must fit in a block, with a proof size under `MAX_PROOF_SIZE`.
	pub(crate) fn worst_weights() -> [(&'static str, Weight); 16] {
		let requests = T::MaxRequestsPerBlock::get();
		let scans = T::MaxScansPerBlock::get();
		let log_len = tee_verifier::eventlog::MAX_EVENT_LOG_LEN;
		let hook = T::WeightInfo::prune_lapsed(MaxLapsesPerBlock::<T>::get())
			.saturating_add(T::WeightInfo::lapse_overdue(requests))
			.saturating_add(T::WeightInfo::expiry_scan(scans, requests));
		[
			(
				"register_worker",
				Self::attestation_weight(None, true, false, log_len),
			),
			(
				"submit_attestation",
				Self::attestation_weight(None, false, false, log_len),
			),
			(
				"upload_collateral (TDX)",
				T::WeightInfo::upload_collateral_tdx(),
			),
			(
				"upload_collateral (SNP)",
				T::WeightInfo::upload_collateral_snp(),
			),
			("set_policy", T::WeightInfo::set_policy()),
			("add_release", T::WeightInfo::add_release()),
			("retire_release", T::WeightInfo::retire_release()),
			("remove_release", T::WeightInfo::remove_release()),
			("set_trust_anchors", T::WeightInfo::set_trust_anchors()),
			("evict", T::WeightInfo::evict()),
			("register_circuit", T::WeightInfo::register_circuit()),
			("retire_circuit", T::WeightInfo::retire_circuit()),
			("remove_circuit", T::WeightInfo::remove_circuit()),
			("submit_proof", T::WeightInfo::submit_proof()),
			("on_initialize", hook),
			(
				"replay_event_log",
				T::WeightInfo::replay_event_log(log_len.div_ceil(1024)),
			),
		]
	}

	/// Panics (in `integrity_test`) if a worst-case weight exceeds a block or its proof size
	/// `MAX_PROOF_SIZE`.
	pub(crate) fn check_weights_fit() {
		let block = <T as frame_system::Config>::BlockWeights::get().max_block;
		for (name, weight) in Self::worst_weights() {
			assert!(
				weight.ref_time() <= block.ref_time(),
				"{name}: {} ps exceeds the block's {} ps",
				weight.ref_time(),
				block.ref_time()
			);
			assert!(
				weight.proof_size() <= MAX_PROOF_SIZE,
				"{name}: proof size {} bytes exceeds {MAX_PROOF_SIZE}",
				weight.proof_size()
			);
		}
	}

	/// Invariants: every worker has its evidence and a known release (an Active worker whose
	/// attestation expired is found by the expiry scan, which may still be on its way); every
	/// pending request belongs to a Pending worker and sits in its deadline bucket, and every
	/// bucket entry has its request; every lapsed worker is queued for pruning; the release
	/// index lists exactly the releases; the per-release and per-machine worker counts and every
	/// counter match the maps.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use crate::types::{ReleaseId, WorkerStatus};
		use alloc::collections::btree_map::BTreeMap;
		let queued: alloc::vec::Vec<_> = PruneQueue::<T>::iter_values().flatten().collect();
		let mut workers: u32 = 0;
		let mut per_release: BTreeMap<ReleaseId, u32> = BTreeMap::new();
		let mut per_machine: BTreeMap<[u8; 32], u32> = BTreeMap::new();
		for (who, w) in Workers::<T>::iter() {
			workers = workers.saturating_add(1);
			let count = per_release.entry(w.release).or_default();
			*count = count.saturating_add(1);
			if let Some(machine) = w.platform.machine_key() {
				let count = per_machine.entry(machine).or_default();
				*count = count.saturating_add(1);
			}
			ensure!(
				AcceptedEvidence::<T>::contains_key(&who),
				"worker without evidence"
			);
			ensure!(
				Releases::<T>::contains_key(w.release),
				"worker with unknown release"
			);
			if w.status == WorkerStatus::Lapsed {
				ensure!(
					queued
						.iter()
						.any(|(q, lapsed_at)| *q == who && w.attested_at < *lapsed_at),
					"lapsed worker not queued for pruning"
				);
			}
			ensure!(
				(w.status == WorkerStatus::Pending) == PendingRequests::<T>::contains_key(&who),
				"pending status and pending request disagree"
			);
		}
		ensure!(workers == Workers::<T>::count(), "worker counter mismatch");
		ensure!(
			per_release == ReleaseWorkers::<T>::iter().collect::<BTreeMap<_, _>>(),
			"workers per release mismatch"
		);
		ensure!(
			per_machine == PlatformWorkers::<T>::iter().collect::<BTreeMap<_, _>>(),
			"workers per machine mismatch"
		);
		let mut rooted: u32 = 0;
		for (root, list) in RootWorkers::<T>::iter() {
			ensure!(!list.is_empty(), "empty services root entry");
			for (i, who) in list.iter().enumerate() {
				rooted = rooted.saturating_add(1);
				ensure!(
					Workers::<T>::get(who).is_some_and(|w| w.services_root == root),
					"services root entry without its worker"
				);
				ensure!(
					!list.iter().skip(i.saturating_add(1)).any(|w| w == who),
					"worker listed twice under its services root"
				);
			}
		}
		ensure!(rooted <= workers, "more services root entries than workers");
		let mut pending: u32 = 0;
		for (who, r) in PendingRequests::<T>::iter() {
			pending = pending.saturating_add(1);
			ensure!(
				Workers::<T>::contains_key(&who),
				"request for an unknown worker"
			);
			ensure!(
				Deadlines::<T>::get(r.deadline).contains(&who),
				"request not in its bucket"
			);
		}
		ensure!(
			pending == PendingRequests::<T>::count(),
			"request counter mismatch"
		);
		for (deadline, bucket) in Deadlines::<T>::iter() {
			for who in bucket {
				ensure!(
					PendingRequests::<T>::get(&who).is_some_and(|r| r.deadline == deadline),
					"deadline without its request"
				);
			}
		}
		let mut releases: u32 = 0;
		for (id, release) in Releases::<T>::iter() {
			releases = releases.saturating_add(1);
			for key in crate::releases::measurement_keys(&release) {
				ensure!(
					ReleaseIndex::<T>::get(key).contains(&id),
					"release missing from the index"
				);
			}
		}
		ensure!(
			releases == Releases::<T>::count(),
			"release counter mismatch"
		);
		for (key, ids) in ReleaseIndex::<T>::iter() {
			ensure!(!ids.is_empty(), "empty index entry");
			for id in ids {
				ensure!(
					Releases::<T>::get(id)
						.is_some_and(|r| crate::releases::measurement_keys(&r).contains(&key)),
					"index entry without its release"
				);
			}
		}
		ensure!(
			KnownVeks::<T>::iter_keys().count() as u32 == KnownVeks::<T>::count(),
			"known VEK counter mismatch"
		);
		ensure!(
			KnownVeks::<T>::count() <= T::MaxWorkers::get(),
			"too many known VEKs"
		);
		ensure!(
			Circuits::<T>::iter_keys().count() as u32 == Circuits::<T>::count(),
			"circuit counter mismatch"
		);
		Ok(())
	}
}
