//! The collateral store: Intel's four DCAP parts and AMD's CRLs, each verified against the trust
//! anchors when uploaded and replaced only by newer ones; the remembered SEV-SNP VEK chains; the
//! removal of expired TCB Infos and VEKs with the blocks' spare weight.

use crate::{pallet::*, types::MAX_COLLATERAL_PRUNES, weights::WeightInfo, LOG_TARGET};
use alloc::vec::Vec;
use polkadot_sdk::{frame_support::pallet_prelude::*, sp_io::hashing::sha2_256};
use tee_verifier::{
	snp::{CrlMerge, VerifiedAmdCrl},
	tdx::{Freshness, TcbInfoPart, TdxCollateralParts, VerifiedPart},
	Collateral, Evidence, StorableCollateral as Stored, VerifiedTdxCollateral,
};

/// Examines up to `$k` entries of the counted map `$map` from the cursor `$cursor`, removes
/// those `$expired` says are, moves the cursor on (back to the start after the last entry)
/// and evaluates to how many it examined. (A macro: counted maps share no trait to be generic
/// over.)
macro_rules! prune_expired {
	($map:ty, $cursor:ty, $k:expr, $expired:expr) => {{
		let expired = $expired;
		let mut iter = match <$cursor>::get() {
			Some(key) => <$map>::iter_from(key.into_inner()),
			None => <$map>::iter(),
		};
		let mut examined: u32 = 0;
		let mut last_key = None;
		let mut gone = Vec::new();
		while examined < $k {
			let Some((key, value)) = iter.next() else {
				last_key = None;
				break;
			};
			examined = examined.saturating_add(1);
			last_key = Some(<$map>::hashed_key_for(&key));
			if expired(&value) {
				gone.push(key);
			}
		}
		for key in gone {
			<$map>::remove(key);
		}
		match last_key.and_then(|k| BoundedVec::try_from(k).ok()) {
			Some(key) => <$cursor>::put(key),
			None => <$cursor>::kill(),
		}
		examined
	}};
}

/// The collateral a piece of evidence is verified with, read from storage.
// A local value of one verification, never stored or copied around: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub(crate) enum ChainCollateral {
	/// Intel's parts, combined.
	Tdx(VerifiedTdxCollateral),
	/// The AMD CRL of the evidence's product, if stored.
	Snp(Option<VerifiedAmdCrl>),
}

/// A stored part, if it verified under the Intel root `root` (a part under another root
/// can never be used, so it does not block a newer upload).
fn usable<P>(part: Option<VerifiedPart<P>>, root: [u8; 32]) -> Option<VerifiedPart<P>> {
	part.filter(|p| p.root_sha256() == root)
}

impl<T: Config> Pallet<T> {
	/// The remembered chain of a VEK certificate at the block's time (see `known_vek`).
	#[cfg(test)]
	pub(crate) fn known_vek_for(vek_der: &[u8]) -> Option<tee_verifier::KnownVek> {
		Self::known_vek(vek_der, Self::now_secs())
	}

	/// The remembered chain of a VEK certificate, unless it expired (then it is dropped).
	pub(crate) fn known_vek(vek_der: &[u8], now: u64) -> Option<tee_verifier::KnownVek> {
		let key = tee_verifier::KnownVek::vek_hash(vek_der);
		let (known, expires_at) = KnownVeks::<T>::get(key)?;
		if expires_at <= now {
			KnownVeks::<T>::remove(key);
			return None;
		}
		Some(known)
	}

	/// Remember a VEK whose chain just verified, while there is room.
	pub(crate) fn remember_vek(known: tee_verifier::KnownVek, expires_at: u64) {
		if KnownVeks::<T>::count() < T::MaxWorkers::get()
			|| KnownVeks::<T>::contains_key(known.vek_sha256)
		{
			KnownVeks::<T>::insert(known.vek_sha256, (known, expires_at));
		}
	}

	/// The stored collateral the evidence needs.
	pub(crate) fn collateral_for(
		evidence: &Evidence,
		anchors: &tee_verifier::TrustAnchors,
	) -> Result<ChainCollateral, Error<T>> {
		match evidence {
			Evidence::Tdx { quote } | Evidence::TdxWithEventLog { quote, .. } => {
				// The quote's FMSPC selects the TCB Info, its PCK CA the PCK CRL.
				let selector = tee_verifier::tdx::collateral_selector(quote).map_err(|e| {
					log::info!(target: LOG_TARGET, "evidence rejected: {e}");
					Error::<T>::EvidenceRejected
				})?;
				let pck_ca = selector.pck_ca.ok_or(Error::<T>::EvidenceRejected)?;
				// Parts verified under a replaced Intel root are not used (they stay until a
				// part of their kind under the current root replaces them).
				let root = anchors
					.intel_root_ca
					.as_ref()
					.map(|der| sha2_256(der))
					.ok_or(Error::<T>::NoCollateral)?;
				let parts = (
					usable(TdxTcbInfo::<T>::get(selector.fmspc), root),
					usable(TdxQeIdentity::<T>::get(), root),
					usable(TdxPckCrl::<T>::get(pck_ca), root),
					usable(TdxRootCaCrl::<T>::get(), root),
				);
				let (Some(tcb), Some(qe), Some(pck_crl), Some(root_crl)) = parts else {
					return Err(Error::<T>::NoCollateral);
				};
				VerifiedTdxCollateral::from_parts(&tcb, &qe, &pck_crl, &root_crl)
					.map(ChainCollateral::Tdx)
					.map_err(|e| {
						log::info!(target: LOG_TARGET, "evidence rejected: {e}");
						Error::<T>::EvidenceRejected
					})
			}
			// The CRL of the product whose key issued the VEK, if it verified under the
			// product's current ARK (none: no revocation check, which the claims record).
			Evidence::Snp { report, vek_der } => {
				let crl = tee_verifier::snp::product_of(report, vek_der, anchors)
					.ok()
					.and_then(|product| {
						let ark = anchors.amd.iter().find(|a| a.product == product)?;
						SnpCrls::<T>::get(product)
							.filter(|crl| crl.ark_sha256() == sha2_256(&ark.ark))
					});
				Ok(ChainCollateral::Snp(crl))
			}
		}
	}

	/// Verifies collateral against the trust anchors at `now` and stores what is newer.
	pub(crate) fn store_collateral(collateral: Collateral, now: u64) -> DispatchResult {
		let anchors = TrustAnchors::<T>::get();
		let rejected = |e: tee_verifier::VerifyError| {
			log::info!(target: LOG_TARGET, "collateral rejected: {e}");
			Error::<T>::CollateralRejected
		};
		if let Collateral::Tdx(c) = collateral {
			let parts = VerifiedTdxCollateral::verify_parts(c, &anchors, now)
				.map_err(|e| rejected(e.into()))?;
			return Self::store_tdx_parts(parts);
		}
		let (Stored::Snp(crls), _) =
			tee_verifier::verify_for_storage(collateral, &anchors, now).map_err(rejected)?
		else {
			return Err(Error::<T>::CollateralRejected.into());
		};
		Self::store_amd_crls(crls)
	}

	/// Adds verified AMD CRLs to their products' revocations (the union under the same ARK,
	/// see `VerifiedAmdCrl::merged_into`; a CRL under a replaced ARK is replaced), in upload
	/// order; refused if nothing changes. A new serial starts a new rules epoch.
	pub(crate) fn store_amd_crls(crls: Vec<VerifiedAmdCrl>) -> DispatchResult {
		// What each product's stored CRL becomes, in upload order (a product's VCEK and
		// VLEK CRLs may come together).
		let mut newer: Vec<VerifiedAmdCrl> = Vec::new();
		let mut revoked_more = false;
		for crl in crls {
			let product = crl.product();
			let pending = newer.iter().position(|c| c.product() == product);
			let current = match pending {
				Some(i) => newer.get(i).cloned(),
				None => SnpCrls::<T>::get(product),
			};
			let updated = match current {
				// Under the same ARK: the union (no upload removes a revocation).
				Some(old) if old.ark_sha256() == crl.ark_sha256() => {
					match crl.merged_into(&old).map_err(|e| {
						log::info!(target: LOG_TARGET, "collateral rejected: {e}");
						Error::<T>::CollateralRejected
					})? {
						CrlMerge::Unchanged => continue,
						CrlMerge::Updated(merged) => {
							revoked_more |= merged.revoked_count() > old.revoked_count();
							merged
						}
					}
				}
				// None yet, or one under a replaced ARK (never applies again).
				_ => {
					revoked_more |= crl.revoked_count() > 0;
					crl
				}
			};
			match pending.and_then(|i| newer.get_mut(i)) {
				Some(slot) => *slot = updated,
				None => newer.push(updated),
			}
		}
		ensure!(!newer.is_empty(), Error::<T>::CollateralNotNewer);
		// Workers verified before a revocation was known re-attest.
		if revoked_more {
			Self::new_rules_epoch();
		}
		for crl in newer {
			Self::deposit_event(Event::AmdCrlUpdated {
				product: crl.product(),
				this_update: crl.this_update(),
				next_update: crl.next_update(),
				revoked: u32::try_from(crl.revoked_count()).unwrap_or(u32::MAX),
			});
			SnpCrls::<T>::insert(crl.product(), crl);
		}
		Ok(())
	}

	/// Stores the parts of a verified TDX bundle: refused if any part is older than the
	/// stored part of its kind (a stored part verified under another Intel root counts as
	/// absent: it is unusable); otherwise every newer part replaces its stored one, and a
	/// bundle with nothing newer is refused.
	pub(crate) fn store_tdx_parts(parts: TdxCollateralParts) -> DispatchResult {
		let TdxCollateralParts {
			fmspc,
			pck_ca,
			tcb_info,
			qe_identity,
			pck_crl,
			root_ca_crl,
			..
		} = parts;
		let root = tcb_info.root_sha256();
		let old_pck_crl = usable(TdxPckCrl::<T>::get(pck_ca), root);
		let old_root_ca_crl = usable(TdxRootCaCrl::<T>::get(), root);
		let stored = [
			usable(TdxTcbInfo::<T>::get(fmspc), root).map(|p| p.freshness()),
			usable(TdxQeIdentity::<T>::get(), root).map(|p| p.freshness()),
			old_pck_crl.as_ref().map(|p| p.freshness()),
			old_root_ca_crl.as_ref().map(|p| p.freshness()),
		];
		let new = [
			tcb_info.freshness(),
			qe_identity.freshness(),
			pck_crl.freshness(),
			root_ca_crl.freshness(),
		];
		let mut update = [false; 4];
		for ((new, old), update) in new.iter().zip(stored.iter()).zip(update.iter_mut()) {
			match old {
				Some(old) if new.is_older_than(old) => {
					return Err(Error::<T>::CollateralRollback.into())
				}
				Some(old) => *update = new.is_newer_than(old),
				None => *update = true,
			}
		}
		ensure!(update.contains(&true), Error::<T>::CollateralNotNewer);
		let [tcb, qe, pck, root_crl] = update;
		ensure!(
			!tcb || TdxTcbInfo::<T>::contains_key(fmspc)
				|| TdxTcbInfo::<T>::count() < T::MaxTcbInfos::get(),
			Error::<T>::TooManyTcbInfos
		);
		// A TCB recovery (a higher evaluation number) or a CRL listing a new serial changes
		// what the chain's workers were verified against: they re-attest.
		let [old_tcb, old_qe, ..] = stored;
		let recovery = |old: Option<Freshness>, new: Freshness| {
			old.is_some_and(|old| new.evaluation_data_number > old.evaluation_data_number)
		};
		let new_revocations = || {
			old_pck_crl
				.as_ref()
				.is_some_and(|old| pck_crl.part().adds_revocations_to(old.part()))
				|| old_root_ca_crl.as_ref().is_some_and(|old| {
					tee_verifier::tdx::crl_adds_revocations(old.part(), root_ca_crl.part())
				})
		};
		if (tcb && recovery(old_tcb, tcb_info.freshness()))
			|| (qe && recovery(old_qe, qe_identity.freshness()))
			|| ((pck || root_crl) && new_revocations())
		{
			Self::new_rules_epoch();
		}
		let updated =
			|part, freshness| Self::deposit_event(Event::TdxCollateralUpdated { part, freshness });
		if tcb {
			updated(TdxPart::TcbInfo { fmspc }, tcb_info.freshness());
			TdxTcbInfo::<T>::insert(fmspc, tcb_info);
		}
		if qe {
			updated(TdxPart::QeIdentity, qe_identity.freshness());
			TdxQeIdentity::<T>::put(qe_identity);
		}
		if pck {
			updated(TdxPart::PckCrl { ca: pck_ca }, pck_crl.freshness());
			TdxPckCrl::<T>::insert(pck_ca, pck_crl);
		}
		if root_crl {
			updated(TdxPart::RootCaCrl, root_ca_crl.freshness());
			TdxRootCaCrl::<T>::put(root_ca_crl);
		}
		Ok(())
	}

	/// `on_idle`: removes expired TCB Infos and remembered VEKs, examining at most
	/// `MAX_COLLATERAL_PRUNES` of each from where the last block stopped, as many as
	/// `remaining` pays for at the worst (every one examined removed). Nothing when not even
	/// one of each fits.
	pub(crate) fn prune_expired_collateral(remaining: Weight) -> Weight {
		let Some(k) = (1..=MAX_COLLATERAL_PRUNES)
			.rev()
			.find(|k| remaining.all_gte(T::WeightInfo::prune_collateral(*k, *k)))
		else {
			return Weight::zero();
		};
		let now = Self::now_secs();
		let tcb_expired = |part: &VerifiedPart<TcbInfoPart>| part.freshness().next_update <= now;
		let tcb_infos = prune_expired!(TdxTcbInfo<T>, TcbInfoCursor<T>, k, tcb_expired);
		let vek_expired = |entry: &(tee_verifier::KnownVek, u64)| entry.1 <= now;
		let veks = prune_expired!(KnownVeks<T>, KnownVekCursor<T>, k, vek_expired);
		T::WeightInfo::prune_collateral(tcb_infos, veks)
	}
}
