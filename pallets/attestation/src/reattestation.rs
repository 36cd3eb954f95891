//! The re-attestation cycle run by `on_initialize`: the expiry scan that asks workers to
//! re-attest, the deadlines, and the lapse of workers that did not answer.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use polkadot_sdk::{
	frame_support::pallet_prelude::*,
	frame_system::{self, pallet_prelude::*},
	sp_io::hashing::blake2_256,
	sp_runtime::traits::{One, Saturating, Zero},
};

/// The nonce of a re-attestation request issued in a block whose parent is `parent`, for
/// worker `who`: unpredictable before that parent exists, and different for each worker. Off
/// chain verifiers (`attest worker`) recompute it.
pub fn request_nonce(parent: &impl Encode, who: &impl Encode) -> [u8; 32] {
	blake2_256(&(b"tee-attest/request", parent, who).encode())
}

impl<T: Config> Pallet<T> {
	/// Removes `who` from the deadline bucket of block `deadline`.
	pub(crate) fn forget_deadline(who: &T::AccountId, deadline: BlockNumberFor<T>) {
		Deadlines::<T>::mutate_exists(deadline, |bucket| {
			if let Some(accounts) = bucket {
				accounts.retain(|a| a != who);
				if accounts.is_empty() {
					*bucket = None;
				}
			}
		});
	}

	/// Marks the workers whose deadline was block `n - 1` and who did not answer as
	/// lapsed: the deadline block is inclusive, so a worker may still answer in it (its
	/// extrinsics run after this block's `on_initialize`). Returns how many lapsed.
	pub(crate) fn lapse_overdue(n: BlockNumberFor<T>) -> u32 {
		if n.is_zero() {
			return 0;
		}
		let overdue = n.saturating_sub(One::one());
		let mut lapsed = Vec::new();
		for who in Deadlines::<T>::take(overdue) {
			if PendingRequests::<T>::take(&who).is_some() {
				Workers::<T>::mutate(&who, |w| {
					if let Some(w) = w {
						w.status = WorkerStatus::Lapsed;
					}
				});
				Self::deposit_event(Event::WorkerLapsed {
					worker: who.clone(),
				});
				lapsed.push(who);
			}
		}
		let count = u32::try_from(lapsed.len()).unwrap_or(u32::MAX);
		Self::schedule_prune(n, lapsed);
		count
	}

	/// Queues workers that lapsed in block `n` for removal `LapsedGracePeriod` blocks later.
	fn schedule_prune(n: BlockNumberFor<T>, lapsed: Vec<T::AccountId>) {
		if lapsed.is_empty() {
			return;
		}
		PruneQueue::<T>::mutate(n.saturating_add(T::LapsedGracePeriod::get()), |queue| {
			for who in lapsed {
				// At most MaxRequestsPerBlock + MaxScansPerBlock lapse in one block: the bound.
				let _ = queue.try_push((who, n));
			}
		});
	}

	/// Removes the workers queued for block `n` that are still lapsed since then (a worker
	/// that registered again, or was evicted, is skipped). Returns how many were removed.
	pub(crate) fn prune_lapsed(n: BlockNumberFor<T>) -> u32 {
		let mut pruned: u32 = 0;
		for (who, lapsed_at) in PruneQueue::<T>::take(n) {
			let Some(info) = Workers::<T>::get(&who) else {
				continue;
			};
			// Attested in or after the block it lapsed in: registered again since.
			if info.status != WorkerStatus::Lapsed || info.attested_at >= lapsed_at {
				continue;
			}
			Self::remove_worker(&who, &info);
			pruned = pruned.saturating_add(1);
			Self::deposit_event(Event::WorkerPruned { worker: who });
		}
		pruned
	}

	/// Examines up to `MaxScansPerBlock` workers (continuing where the last block stopped)
	/// and asks those expiring within `request_lead_secs`, those verified under an older
	/// `RulesEpoch` and those whose release was retired or removed to re-attest, at most
	/// `MaxRequestsPerBlock` per block. A worker already expired without a request lapses. Every Active worker of an older epoch is asked
	/// within ceil(MaxScans / MaxRequests) laps of ceil(workers / MaxScans) + 1 blocks.
	/// Returns (examined, requested).
	pub(crate) fn request_reattestations(n: BlockNumberFor<T>) -> (u32, u32) {
		let policy = Policy::<T>::get();
		let epoch = RulesEpoch::<T>::get();
		let now = Self::now_secs();
		// The timestamp of the previous block; zero only before the first block.
		if now == 0 {
			return (0, 0);
		}
		let deadline = n.saturating_add(BlockNumberFor::<T>::from(policy.response_window));
		let parent = frame_system::Pallet::<T>::parent_hash();
		let mut iter = match ScanCursor::<T>::get() {
			Some(key) => Workers::<T>::iter_from(key.into_inner()),
			None => Workers::<T>::iter(),
		};
		let mut scanned: u32 = 0;
		let mut requested: u32 = 0;
		let mut last_key = None;
		let mut bucket = Deadlines::<T>::get(deadline);
		let mut lapsed = Vec::new();
		while scanned < T::MaxScansPerBlock::get() {
			let Some((who, mut info)) = iter.next() else {
				last_key = None;
				break;
			};
			scanned = scanned.saturating_add(1);
			last_key = Some(Workers::<T>::hashed_key_for(&who));
			if info.status != WorkerStatus::Active {
				continue;
			}
			if info.expires_at <= now {
				info.status = WorkerStatus::Lapsed;
				Workers::<T>::insert(&who, info);
				Self::deposit_event(Event::WorkerLapsed {
					worker: who.clone(),
				});
				lapsed.push(who);
				continue;
			}
			if requested >= T::MaxRequestsPerBlock::get() {
				continue;
			}
			let due = info.expires_at <= now.saturating_add(policy.request_lead_secs)
				|| info.rules_epoch != epoch
				|| Self::release_retired(info.release);
			if !due {
				continue;
			}
			if bucket.try_push(who.clone()).is_err() {
				continue;
			}
			let nonce = request_nonce(&parent, &who);
			PendingRequests::<T>::insert(
				&who,
				Request {
					nonce,
					issued_at: n,
					deadline,
				},
			);
			info.status = WorkerStatus::Pending;
			Workers::<T>::insert(&who, info);
			requested = requested.saturating_add(1);
			Self::deposit_event(Event::AttestationRequested {
				worker: who,
				nonce,
				deadline,
			});
		}
		if requested > 0 {
			Deadlines::<T>::insert(deadline, bucket);
		}
		Self::schedule_prune(n, lapsed);
		match last_key.and_then(|k| BoundedVec::try_from(k).ok()) {
			Some(key) => ScanCursor::<T>::put(key),
			None => ScanCursor::<T>::kill(),
		}
		(scanned, requested)
	}

	/// Starts a new rules epoch: every worker verified under the old policy or anchors is
	/// asked to re-attest by the expiry scan.
	pub(crate) fn new_rules_epoch() {
		RulesEpoch::<T>::mutate(|e| *e = e.wrapping_add(1));
	}
}
