//! Verification of a worker's evidence: the claims' purpose, account, chain and freshness, the
//! evidence under the stored trust anchors, collateral and policy, the release, the
//! REPORT_DATA binding and (TDX) the event log; and the weight of an attestation.

use crate::{collateral::ChainCollateral, pallet::*, types::*, weights::WeightInfo, LOG_TARGET};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::UnixTime},
	frame_system::{self, pallet_prelude::*},
	sp_runtime::traits::{Saturating, Zero},
};
use tee_verifier::{Evidence, Purpose, StoredCollateral, VerifiedClaims};

/// Storage reads of a successful attestation after the part its benchmark measures (which
/// ends at the binding check): the remembered-VEK counter and entry, the rules epoch, the
/// worker counts of the old and new machine and of the old and new release, the workers of
/// the old and new services root, the outstanding request and its counter, the deadline
/// bucket, the worker record's presence and the worker counter.
pub(crate) const SUCCESS_READS: u64 = 14;

/// Storage items a successful attestation writes at most: the worker record, its evidence,
/// the worker counts of its old and new machine and of its old and new release, the workers
/// of its old and new services root, the request and its counter, the deadline bucket, the
/// remembered VEK and its counter (a worker that re-registers while a request is outstanding,
/// moves to another machine, release and root and brings a new VEK). A new worker writes the
/// worker counter instead of an old machine's and release's count and root, and has no
/// request: fewer.
pub(crate) const SUCCESS_WRITES: u64 = 13;

/// What a successful verification established.
pub(crate) struct Accepted {
	pub claims: VerifiedClaims,
	pub release: ReleaseId,
	pub expires_at: u64,
	pub verified_at: u64,
	/// The SNP VEK chain was known (its signatures were not re-checked).
	pub known_vek: bool,
}

/// Length in bytes of the evidence's TDX event log (0 without one): the replay's weight
/// grows with it.
pub fn event_log_len(evidence: &Evidence) -> u32 {
	match evidence {
		Evidence::TdxWithEventLog { event_log, .. } => {
			u32::try_from(event_log.len()).unwrap_or(u32::MAX)
		}
		Evidence::Tdx { .. } | Evidence::Snp { .. } => 0,
	}
}

impl<T: Config> Pallet<T> {
	/// Weight of `register_worker` (`register`) or `submit_attestation`: the benchmarked
	/// verification of `tee`'s evidence (the worst of both when unknown; for SNP with a
	/// `known_vek`, the cheaper benchmark; for TDX plus the replay of an event log of
	/// `event_log_len` bytes at its worst, in whole KiB) plus the storage the success path
	/// touches after the benchmarked part (`SUCCESS_READS`, `SUCCESS_WRITES`).
	pub fn attestation_weight(
		tee: Option<tee_verifier::Tee>,
		register: bool,
		known_vek: bool,
		event_log_len: u32,
	) -> Weight {
		use tee_verifier::Tee;
		let (tdx, snp) = if register {
			(
				T::WeightInfo::register_worker_tdx(),
				T::WeightInfo::register_worker_snp(),
			)
		} else {
			(
				T::WeightInfo::submit_attestation_tdx(),
				T::WeightInfo::submit_attestation_snp(),
			)
		};
		let log_kib = event_log_len.div_ceil(1024).max(1);
		let tdx = tdx.saturating_add(T::WeightInfo::replay_event_log(log_kib));
		let verification = match tee {
			Some(Tee::Tdx) => tdx,
			Some(Tee::Snp) if known_vek => T::WeightInfo::submit_attestation_snp_known_vek(),
			Some(Tee::Snp) => snp,
			None => tdx.max(snp),
		};
		verification.saturating_add(T::DbWeight::get().reads_writes(SUCCESS_READS, SUCCESS_WRITES))
	}

	/// The block's timestamp in Unix seconds.
	pub fn now_secs() -> u64 {
		T::UnixTime::now().as_secs()
	}

	/// Checks that do not need the evidence: purpose, account and chain.
	pub(crate) fn check_claims(
		who: &T::AccountId,
		claims: &tee_verifier::Claims,
		purpose: Purpose,
	) -> Result<(), Error<T>> {
		ensure!(claims.purpose == purpose, Error::<T>::WrongPurpose);
		// The claims carry the 32-byte account id, which is its SCALE encoding.
		ensure!(
			who.encode().as_slice() == claims.account.as_slice(),
			Error::<T>::AccountMismatch
		);
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		ensure!(
			claims.genesis_hash == genesis.as_ref(),
			Error::<T>::WrongGenesis
		);
		Ok(())
	}

	/// Registration freshness: the nonce is the hash of a recent block.
	pub(crate) fn check_anchor(
		claims: &tee_verifier::Claims,
		existing: Option<&WorkerInfo<BlockNumberFor<T>>>,
	) -> Result<(), Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		let anchor = BlockNumberFor::<T>::from(claims.anchor_block);
		let window = BlockNumberFor::<T>::from(Policy::<T>::get().registration_window);
		ensure!(
			anchor < now && now.saturating_sub(anchor) <= window,
			Error::<T>::StaleAnchor
		);
		if let Some(w) = existing {
			ensure!(claims.anchor_block > w.last_anchor, Error::<T>::StaleAnchor);
		}
		let hash = frame_system::Pallet::<T>::block_hash(anchor);
		ensure!(claims.nonce == hash.as_ref(), Error::<T>::WrongNonce);
		Ok(())
	}

	/// Verifies the evidence under the stored anchors, collateral and policy, finds the
	/// release, checks the REPORT_DATA binding and (TDX) replays the event log and checks
	/// that it measured the claimed system, in that order (so every failure names the first
	/// check that fails). The event log comes last so that the benchmarks of the quote
	/// path and of the replay (`replay_event_log`) together cover a TDX attestation.
	pub(crate) fn verify_evidence(
		evidence: &Evidence,
		claims: &tee_verifier::Claims,
	) -> Result<Accepted, Error<T>> {
		// TDX: the quote now, the log after the binding.
		let (quote_evidence, event_log) = match evidence {
			Evidence::Tdx { .. } => return Err(Error::<T>::EventLogRequired),
			Evidence::TdxWithEventLog { quote, event_log } => (
				Some(Evidence::Tdx {
					quote: quote.clone(),
				}),
				Some(event_log),
			),
			Evidence::Snp { .. } => (None, None),
		};
		let evidence = quote_evidence.as_ref().unwrap_or(evidence);
		let now = Self::now_secs();
		// Read once: the collateral lookup and the verification both need them.
		let anchors = TrustAnchors::<T>::get();
		let collateral = Self::collateral_for(evidence, &anchors)?;
		let known = match evidence {
			Evidence::Snp { vek_der, .. } => Self::known_vek(vek_der, now),
			Evidence::Tdx { .. } | Evidence::TdxWithEventLog { .. } => None,
		};
		let stored = match &collateral {
			ChainCollateral::Tdx(c) => StoredCollateral::Tdx(c),
			ChainCollateral::Snp(c) => StoredCollateral::Snp(c.as_ref(), known),
		};
		let verified =
			tee_verifier::verify_with_stored(evidence, &anchors, stored, now).map_err(|e| {
				log::info!(target: LOG_TARGET, "evidence rejected: {e}");
				Error::<T>::EvidenceRejected
			})?;
		let policy = Policy::<T>::get();
		policy.evidence.check(&verified).map_err(|v| {
			log::info!(target: LOG_TARGET, "{v}");
			Error::<T>::PolicyViolation
		})?;
		let release = Self::matching_release(&verified, claims)?;
		ensure!(
			verified.report_data() == &tee_verifier::report_data(claims),
			Error::<T>::ReportDataMismatch
		);
		let verified = match (verified, event_log) {
			(VerifiedClaims::Tdx(c), Some(log)) => tee_verifier::apply_event_log(c, log)
				.map(VerifiedClaims::Tdx)
				.map_err(|e| {
					log::info!(target: LOG_TARGET, "evidence rejected: {e}");
					Error::<T>::EventLogRejected
				})?,
			(verified, _) => verified,
		};
		tee_verifier::check_measured_system(claims, &verified).map_err(|e| {
			log::info!(target: LOG_TARGET, "{e}");
			Error::<T>::SystemNotMeasured
		})?;
		let expires_at = policy.evidence.attestation_expiry(&verified);
		ensure!(expires_at > now, Error::<T>::AlreadyExpired);
		let mut known_vek = false;
		if let VerifiedClaims::Snp(c) = &verified {
			known_vek = known == Some(c.known_vek);
			if !known_vek {
				Self::remember_vek(c.known_vek, c.certs_expire_at);
			}
		}
		Ok(Accepted {
			claims: verified,
			release,
			expires_at,
			verified_at: now,
			known_vek,
		})
	}
}
