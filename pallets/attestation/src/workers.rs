//! The worker registry: registration, re-attestation answers, the records they write, and
//! the removal of workers (eviction by anyone, pruning by the pallet).

use crate::{event_log_len, pallet::*, types::*, verification::Accepted};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::{
			fungible::{InspectHold, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
		},
	},
	frame_system::{self, pallet_prelude::*},
	sp_io::hashing::blake2_256,
	sp_runtime::traits::{Saturating, Zero},
};
use tee_verifier::{Evidence, Purpose, VerifiedClaims};

impl<T: Config> Pallet<T> {
	/// `register_worker`: checks the claims and their freshness (the anchor block), verifies
	/// the evidence, records the worker and drops a request it had outstanding.
	pub(crate) fn do_register_worker(
		who: T::AccountId,
		evidence: Evidence,
		claims: tee_verifier::Claims,
	) -> DispatchResultWithPostInfo {
		Self::check_claims(&who, &claims, Purpose::Register)?;
		let existing = Workers::<T>::get(&who);
		Self::check_anchor(&claims, existing.as_ref())?;
		if existing.is_none() {
			ensure!(
				Workers::<T>::count() < T::MaxWorkers::get(),
				Error::<T>::TooManyWorkers
			);
		}
		// Before the verification, so an account that cannot pay is refused cheaply (the call
		// is transactional: a later failure releases the hold again).
		Self::hold_deposit(&who)?;
		let accepted = Self::verify_evidence(&evidence, &claims)?;
		Self::check_machine_has_room(existing.as_ref(), &accepted.claims)?;
		let now = frame_system::Pallet::<T>::block_number();
		let registered_at = match &existing {
			Some(w) if w.x25519 == claims.x25519 => w.registered_at,
			_ => now,
		};
		let expires_at = accepted.expires_at;
		let release = accepted.release;
		let tee = accepted.claims.tee();
		let known_vek = accepted.known_vek;
		let log_len = event_log_len(&evidence);
		Self::record(
			&who,
			existing.as_ref(),
			evidence,
			claims,
			accepted,
			registered_at,
			claims.anchor_block,
		);
		if let Some(request) = PendingRequests::<T>::take(&who) {
			Self::forget_deadline(&who, request.deadline);
		}
		Self::deposit_event(Event::WorkerRegistered {
			worker: who,
			release,
			tee,
			expires_at,
		});
		Ok(PostDispatchInfo {
			actual_weight: Some(Self::attestation_weight(
				Some(tee),
				true,
				known_vek,
				log_len,
			)),
			pays_fee: Pays::No,
		})
	}

	/// `submit_attestation`: checks the answer against the pending request (nonce, anchor,
	/// the registered x25519 key), verifies the evidence and records it.
	pub(crate) fn do_submit_attestation(
		who: T::AccountId,
		evidence: Evidence,
		claims: tee_verifier::Claims,
	) -> DispatchResultWithPostInfo {
		Self::check_claims(&who, &claims, Purpose::Reattest)?;
		let worker = Workers::<T>::get(&who).ok_or(Error::<T>::UnknownWorker)?;
		let request = PendingRequests::<T>::get(&who).ok_or(Error::<T>::NoPendingRequest)?;
		ensure!(
			claims.nonce == request.nonce
				&& BlockNumberFor::<T>::from(claims.anchor_block) == request.issued_at,
			Error::<T>::WrongNonce
		);
		ensure!(claims.x25519 == worker.x25519, Error::<T>::X25519Mismatch);
		let accepted = Self::verify_evidence(&evidence, &claims)?;
		Self::check_machine_has_room(Some(&worker), &accepted.claims)?;
		let expires_at = accepted.expires_at;
		let tee = accepted.claims.tee();
		let known_vek = accepted.known_vek;
		let log_len = event_log_len(&evidence);
		Self::record(
			&who,
			Some(&worker),
			evidence,
			claims,
			accepted,
			worker.registered_at,
			worker.last_anchor,
		);
		PendingRequests::<T>::remove(&who);
		Self::forget_deadline(&who, request.deadline);
		Self::deposit_event(Event::WorkerAttested {
			worker: who,
			expires_at,
		});
		Ok(PostDispatchInfo {
			actual_weight: Some(Self::attestation_weight(
				Some(tee),
				false,
				known_vek,
				log_len,
			)),
			pays_fee: Pays::No,
		})
	}

	/// `evict`: removes a worker that lapsed or whose attestation expired and pays the
	/// evictor `EvictionReward` of its deposit; the rest returns to the worker.
	pub(crate) fn do_evict(evictor: T::AccountId, worker: T::AccountId) -> DispatchResult {
		let info = Workers::<T>::get(&worker).ok_or(Error::<T>::UnknownWorker)?;
		ensure!(
			info.status == WorkerStatus::Lapsed || info.expires_at <= Self::now_secs(),
			Error::<T>::WorkerNotEvictable
		);
		let held = T::Currency::balance_on_hold(&HoldReason::WorkerDeposit.into(), &worker);
		let reward = T::EvictionReward::get().mul_floor(held);
		// Best effort: a reward the evictor's account cannot take (below the existential
		// deposit of a new account) stays with the worker.
		let reward = T::Currency::transfer_on_hold(
			&HoldReason::WorkerDeposit.into(),
			&worker,
			&evictor,
			reward,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_default();
		Self::remove_worker(&worker, &info);
		Self::deposit_event(Event::WorkerEvicted {
			worker,
			evictor,
			reward,
		});
		Ok(())
	}

	/// `deregister`: the worker leaves and gets its deposit back.
	pub(crate) fn do_deregister(who: T::AccountId) -> DispatchResult {
		let info = Workers::<T>::get(&who).ok_or(Error::<T>::UnknownWorker)?;
		Self::remove_worker(&who, &info);
		Self::deposit_event(Event::WorkerDeregistered { worker: who });
		Ok(())
	}

	/// Holds `WorkerDeposit` from `who`, less what it already holds (a worker registered
	/// before deposits, or before the deposit grew, tops it up when it registers again).
	fn hold_deposit(who: &T::AccountId) -> DispatchResult {
		let reason = HoldReason::WorkerDeposit.into();
		let due =
			T::WorkerDeposit::get().saturating_sub(T::Currency::balance_on_hold(&reason, who));
		if !due.is_zero() {
			T::Currency::hold(&reason, who, due).map_err(|_| Error::<T>::DepositUnavailable)?;
		}
		Ok(())
	}

	/// Removes a worker's record, evidence and outstanding request, its count on the release
	/// it ran and its place under its services root, and returns what is left of its deposit.
	pub(crate) fn remove_worker(who: &T::AccountId, info: &WorkerInfo<BlockNumberFor<T>>) {
		// Best effort: a release cannot fail for an existing account; if it did, the funds
		// would stay held rather than block the removal.
		let _ = T::Currency::release_all(
			&HoldReason::WorkerDeposit.into(),
			who,
			Precision::BestEffort,
		);
		Workers::<T>::remove(who);
		AcceptedEvidence::<T>::remove(who);
		if let Some(request) = PendingRequests::<T>::take(who) {
			Self::forget_deadline(who, request.deadline);
		}
		Self::count_release_user(info.release, false);
		if let Some(machine) = info.platform.machine_key() {
			Self::count_on_machine(machine, false);
		}
		Self::leave_root(who, &info.services_root);
	}

	/// The platform verified claims come from.
	pub(crate) fn platform_of(claims: &VerifiedClaims) -> PlatformId {
		match claims {
			VerifiedClaims::Tdx(c) => PlatformId::Tdx {
				fmspc: c.fmspc,
				ppid: c.ppid,
			},
			VerifiedClaims::Snp(c) => PlatformId::Snp {
				product: c.product,
				chip_id: c.chip_id,
			},
		}
	}

	/// Refuses an attestation that would make its machine run more than
	/// `MaxWorkersPerPlatform` workers (a worker already counted on it is not counted again).
	pub(crate) fn check_machine_has_room(
		previous: Option<&WorkerInfo<BlockNumberFor<T>>>,
		claims: &VerifiedClaims,
	) -> DispatchResult {
		let Some(machine) = Self::platform_of(claims).machine_key() else {
			return Ok(());
		};
		if previous.and_then(|p| p.platform.machine_key()) == Some(machine) {
			return Ok(());
		}
		ensure!(
			PlatformWorkers::<T>::get(machine) < T::MaxWorkersPerPlatform::get(),
			Error::<T>::TooManyWorkersOnPlatform
		);
		Ok(())
	}

	/// Counts one worker more (`add`) or less on `machine` (`PlatformWorkers`).
	pub(crate) fn count_on_machine(machine: [u8; 32], add: bool) {
		PlatformWorkers::<T>::mutate_exists(machine, |count| step(count, add));
	}

	/// Lists `who` under `root` unless it is listed or the list is full. A root shared by more
	/// than `MAX_WORKERS_PER_ROOT` workers lists the first ones; when a listed one leaves, the
	/// next of the others to attest takes its place (each attestation of a worker tries), so
	/// an attested root is never refused for want of room and the list refills within one
	/// re-attestation period.
	fn join_root(who: &T::AccountId, root: &[u8; 32]) {
		let mut workers = RootWorkers::<T>::get(root);
		// A full list leaves `who` out (see above); nothing is refused.
		if !workers.contains(who) && workers.try_push(who.clone()).is_ok() {
			RootWorkers::<T>::insert(root, workers);
		}
	}

	/// Takes `who` off the workers of `root`.
	fn leave_root(who: &T::AccountId, root: &[u8; 32]) {
		RootWorkers::<T>::mutate_exists(root, |workers| {
			if let Some(list) = workers {
				list.retain(|w| w != who);
				if list.is_empty() {
					*workers = None;
				}
			}
		});
	}

	/// Counts one worker more (`add`) or less on `release` (`ReleaseWorkers`).
	pub(crate) fn count_release_user(release: ReleaseId, add: bool) {
		ReleaseWorkers::<T>::mutate_exists(release, |count| step(count, add));
	}

	/// Writes the worker record and the accepted evidence, and moves the worker's count and
	/// services root from its `previous` record (none for a new worker) to the accepted ones.
	/// `last_anchor` is the anchor block of the latest accepted registration (callers already
	/// hold it).
	pub(crate) fn record(
		who: &T::AccountId,
		previous: Option<&WorkerInfo<BlockNumberFor<T>>>,
		evidence: Evidence,
		claims: tee_verifier::Claims,
		accepted: Accepted,
		registered_at: BlockNumberFor<T>,
		last_anchor: u32,
	) {
		let now = frame_system::Pallet::<T>::block_number();
		let platform = Self::platform_of(&accepted.claims);
		let (tcb_status, advisory_ids) = match &accepted.claims {
			VerifiedClaims::Tdx(c) => (Some(c.tcb_status), c.advisory_ids.clone()),
			VerifiedClaims::Snp(_) => (None, Default::default()),
		};
		let info = WorkerInfo {
			tee: accepted.claims.tee(),
			release: accepted.release,
			x25519: claims.x25519,
			platform,
			tcb_status,
			advisory_ids,
			system_hash: claims.system_hash,
			services_root: claims.services_root,
			registered_at,
			attested_at: now,
			expires_at: accepted.expires_at,
			status: WorkerStatus::Active,
			evidence_hash: blake2_256(&evidence.encode()),
			last_anchor,
			rules_epoch: RulesEpoch::<T>::get(),
		};
		if previous.map(|p| p.release) != Some(info.release) {
			if let Some(p) = previous {
				Self::count_release_user(p.release, false);
			}
			Self::count_release_user(info.release, true);
		}
		let machines = (
			previous.and_then(|p| p.platform.machine_key()),
			info.platform.machine_key(),
		);
		if machines.0 != machines.1 {
			if let Some(old) = machines.0 {
				Self::count_on_machine(old, false);
			}
			// `check_machine_has_room` made sure of the room.
			if let Some(new) = machines.1 {
				Self::count_on_machine(new, true);
			}
		}
		if let Some(p) = previous.filter(|p| p.services_root != info.services_root) {
			Self::leave_root(who, &p.services_root);
		}
		Self::join_root(who, &info.services_root);
		Workers::<T>::insert(who, info);
		AcceptedEvidence::<T>::insert(
			who,
			EvidenceRecord {
				evidence,
				claims,
				verified_at: accepted.verified_at,
				block: now,
			},
		);
	}
}

/// One more (`add`) or one less in a count stored only while positive.
fn step(count: &mut Option<u32>, add: bool) {
	let n = count.unwrap_or(0);
	let n = if add {
		n.saturating_add(1)
	} else {
		n.saturating_sub(1)
	};
	*count = (n > 0).then_some(n);
}
