//! Storage migrations: the layouts of older storage versions and their upgrades.
//!
//! - v1 -> v2: Intel collateral bundles and the one AMD CRL list are dropped (they cannot be
//!   converted without verifying them again under the anchors and time of their upload);
//!   anyone uploads collateral again.
//! - v2 -> v3: the policy gains the v2 evidence rules (service TDs refused, SMT allowed, no
//!   minimum LAUNCH_TCB; a current AMD CRL required only if the chain holds a CRL of every
//!   trusted AMD product, so the upgrade cannot lapse the SNP workers of a chain nobody fed
//!   AMD CRLs: governance turns it on once they are uploaded), releases gain empty pins,
//!   workers a rules epoch; the epoch starts at 1, so the expiry scan asks every worker
//!   verified under the old rules to re-attest.
//! - v3 -> v4: the release index (`ReleaseIndex`), the workers per release
//!   (`ReleaseWorkers`) and per services root (`RootWorkers`) are built from `Releases` and
//!   `Workers`; workers already lapsed are queued for pruning `LapsedGracePeriod` blocks after
//!   the upgrade.
//! - v4 -> v5: the workers per machine (`PlatformWorkers`) are counted from `Workers`. TDX
//!   records of v4 name the platform family only (`PlatformId::TdxFamily`, decoded as it
//!   was) and count under no machine; the rules epoch moves on, so the expiry scan asks every
//!   worker to re-attest, and the answer records its machine (`PlatformId::Tdx` with the
//!   PPID) or is refused if that machine is full. `TdxTcbInfo` becomes a counted map (bounded
//!   by `MaxTcbInfos`): its counter is set from its entries.

use codec::Decode;
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, storage_alias, Blake2_128Concat},
	frame_system::pallet_prelude::BlockNumberFor,
};
use tee_verifier::{evidence::MAX_ADVISORIES, AdvisoryId, SnpMinimumTcb, TcbStatus, Tee};

use crate::pallet::{Config, Pallet};
use crate::types::*;
use crate::LOG_TARGET;
use polkadot_sdk::frame_support::traits::Get;

/// Most entries of the version 1 `TdxCollateral` map the upgrade removes (one per platform
/// family ever uploaded; a handful in practice).
pub(crate) const MAX_V1_COLLATERAL_ENTRIES: u32 = 1024;

/// Storage items of version 1, removed by the upgrade to version 2.
mod v1 {
	use super::*;

	/// Version 1: whole Intel collateral bundles by FMSPC (value not decoded, only removed).
	#[storage_alias]
	pub(crate) type TdxCollateral<T: Config> = StorageMap<Pallet<T>, Blake2_128Concat, [u8; 6], ()>;

	/// Version 1: all AMD CRLs in one value, replaced wholesale by any upload.
	#[storage_alias]
	pub(crate) type SnpCollateral<T: Config> = StorageValue<Pallet<T>, ()>;
}

/// Layouts of version 2 (decoded once, by the upgrade to version 3).
pub(crate) mod v2 {
	use super::*;
	use polkadot_sdk::frame_support::BoundedVec;

	/// `tee_verifier::Policy` version 1.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub(crate) struct EvidencePolicy {
		pub version: u16,
		pub accepted_tcb_statuses: BoundedVec<TcbStatus, ConstU32<9>>,
		pub allowed_advisory_ids: BoundedVec<AdvisoryId, ConstU32<MAX_ADVISORIES>>,
		pub allow_debug: bool,
		pub allow_migration: bool,
		pub snp_required_vmpl: u32,
		pub tdx_minimum_tee_tcb_svn: [u8; 16],
		pub snp_minimum_tcb: SnpMinimumTcb,
		pub snp_minimum_guest_svn: u32,
		pub maximum_collateral_age_secs: Option<u64>,
		pub attestation_validity_secs: u64,
	}

	/// `ChainPolicy` of version 2.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub(crate) struct ChainPolicy {
		pub evidence: EvidencePolicy,
		pub request_lead_secs: u64,
		pub response_window: u32,
		pub registration_window: u32,
	}

	/// `Release` of version 2 (no pins).
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub(crate) struct Release {
		pub name: BoundedVec<u8, ConstU32<MAX_RELEASE_NAME_LEN>>,
		pub tdx: Option<TdxMeasurements>,
		pub snp_measurement: Option<Measurement>,
		pub system_hashes: BoundedVec<[u8; 32], ConstU32<MAX_SYSTEM_HASHES>>,
		pub services_roots: BoundedVec<[u8; 32], ConstU32<MAX_SERVICES_ROOTS>>,
		pub status: ReleaseStatus,
	}

	/// `WorkerInfo` of version 2 (no rules epoch).
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub(crate) struct WorkerInfo<BlockNumber> {
		pub tee: Tee,
		pub release: ReleaseId,
		pub x25519: [u8; 32],
		pub platform: PlatformId,
		pub tcb_status: Option<TcbStatus>,
		pub advisory_ids: BoundedVec<AdvisoryId, ConstU32<MAX_ADVISORIES>>,
		pub system_hash: [u8; 32],
		pub services_root: [u8; 32],
		pub registered_at: BlockNumber,
		pub attested_at: BlockNumber,
		pub expires_at: u64,
		pub status: WorkerStatus,
		pub evidence_hash: [u8; 32],
		pub last_anchor: u32,
	}

	impl ChainPolicy {
		/// The version 3 policy: the old rules plus the new rules at the chain's defaults,
		/// except that a current AMD CRL is required only if `every_product_has_a_crl`.
		pub(crate) fn upgrade(self, every_product_has_a_crl: bool) -> crate::ChainPolicy {
			let e = self.evidence;
			let defaults = tee_verifier::Policy {
				require_amd_crl: every_product_has_a_crl,
				..crate::ChainPolicy::default().evidence
			};
			crate::ChainPolicy {
				evidence: tee_verifier::Policy {
					version: tee_verifier::Policy::VERSION,
					accepted_tcb_statuses: e.accepted_tcb_statuses,
					allowed_advisory_ids: e.allowed_advisory_ids,
					allow_debug: e.allow_debug,
					allow_migration: e.allow_migration,
					snp_required_vmpl: e.snp_required_vmpl,
					tdx_minimum_tee_tcb_svn: e.tdx_minimum_tee_tcb_svn,
					snp_minimum_tcb: e.snp_minimum_tcb,
					snp_minimum_guest_svn: e.snp_minimum_guest_svn,
					maximum_collateral_age_secs: e.maximum_collateral_age_secs,
					attestation_validity_secs: e.attestation_validity_secs,
					..defaults
				},
				request_lead_secs: self.request_lead_secs,
				response_window: self.response_window,
				registration_window: self.registration_window,
			}
		}
	}

	impl Release {
		/// The version 3 release: the same, pinning nothing more.
		pub(crate) fn upgrade(self) -> crate::Release {
			crate::Release {
				name: self.name,
				tdx: self.tdx,
				snp_measurement: self.snp_measurement,
				tdx_pins: Default::default(),
				snp_pins: Default::default(),
				system_hashes: self.system_hashes,
				services_roots: self.services_roots,
				status: self.status,
			}
		}
	}

	impl<B> WorkerInfo<B> {
		/// The version 3 record, verified under epoch 0 (older than any current epoch).
		pub(crate) fn upgrade(self) -> crate::WorkerInfo<B> {
			crate::WorkerInfo {
				tee: self.tee,
				release: self.release,
				x25519: self.x25519,
				platform: self.platform,
				tcb_status: self.tcb_status,
				advisory_ids: self.advisory_ids,
				system_hash: self.system_hash,
				services_root: self.services_root,
				registered_at: self.registered_at,
				attested_at: self.attested_at,
				expires_at: self.expires_at,
				status: self.status,
				evidence_hash: self.evidence_hash,
				last_anchor: self.last_anchor,
				rules_epoch: 0,
			}
		}
	}
}

/// Version 1 -> 2 (see the module docs).
pub(crate) fn to_v2<T: Config>() -> Weight {
	let removed = v1::TdxCollateral::<T>::clear(MAX_V1_COLLATERAL_ENTRIES, None);
	v1::SnpCollateral::<T>::kill();
	log::info!(
		target: LOG_TARGET,
		"storage v2: removed {} v1 TDX collateral bundles; upload collateral again",
		removed.backend
	);
	T::DbWeight::get().reads_writes(
		u64::from(removed.loops),
		u64::from(removed.backend).saturating_add(1),
	)
}

/// Version 2 -> 3 (see the module docs). A value that does not decode in the version 2
/// layout is replaced by the default (policy) or removed with what belongs to it (release;
/// worker with its evidence and request), and logged.
pub(crate) fn to_v3<T: Config>() -> Weight {
	let anchors = crate::TrustAnchors::<T>::get();
	let every_product_has_a_crl = anchors
		.amd
		.iter()
		.all(|a| crate::SnpCrls::<T>::contains_key(a.product));
	let policy = crate::Policy::<T>::translate::<v2::ChainPolicy, _>(|old| {
		Some(old.map_or_else(crate::ChainPolicy::default, |p| {
			p.upgrade(every_product_has_a_crl)
		}))
	});
	if policy.is_err() {
		log::warn!(target: LOG_TARGET, "storage v3: policy undecodable, default set");
		crate::Policy::<T>::put(crate::ChainPolicy::default());
	}
	let mut releases: u64 = 0;
	crate::Releases::<T>::translate_values::<v2::Release, _>(|old| {
		releases = releases.saturating_add(1);
		Some(old.upgrade())
	});
	let mut workers: u64 = 0;
	crate::Workers::<T>::translate_values::<v2::WorkerInfo<BlockNumberFor<T>>, _>(|old| {
		workers = workers.saturating_add(1);
		Some(old.upgrade())
	});
	// `translate_values` leaves values it cannot decode in place (and counted): remove them.
	let mut dropped: u64 = 0;
	let release_ids: alloc::vec::Vec<ReleaseId> = crate::Releases::<T>::iter_keys().collect();
	for id in release_ids {
		if crate::Releases::<T>::try_get(id).is_err() {
			crate::Releases::<T>::remove(id);
			dropped = dropped.saturating_add(1);
		}
	}
	let accounts: alloc::vec::Vec<T::AccountId> = crate::Workers::<T>::iter_keys().collect();
	for who in accounts {
		if crate::Workers::<T>::try_get(&who).is_err() {
			crate::Workers::<T>::remove(&who);
			crate::AcceptedEvidence::<T>::remove(&who);
			crate::PendingRequests::<T>::remove(&who);
			dropped = dropped.saturating_add(1);
		}
	}
	if dropped > 0 {
		log::warn!(target: LOG_TARGET, "storage v3: removed {dropped} undecodable entries");
	}
	if !every_product_has_a_crl {
		log::warn!(
			target: LOG_TARGET,
			"storage v3: require_amd_crl left off (no CRL of every trusted AMD product)"
		);
	}
	crate::RulesEpoch::<T>::put(1);
	log::info!(
		target: LOG_TARGET,
		"storage v3: policy, {releases} releases and {workers} workers upgraded; workers re-attest"
	);
	let items = releases
		.saturating_add(workers)
		.saturating_add(dropped)
		.saturating_add(2)
		.saturating_mul(2);
	T::DbWeight::get().reads_writes(items, items)
}

/// Version 3 -> 4 (see the module docs). Reads every release and worker once (both bounded
/// by the pallet's constants).
pub(crate) fn to_v4<T: Config>() -> Weight {
	use polkadot_sdk::sp_runtime::traits::{One, Saturating};
	let mut releases: u64 = 0;
	for (id, release) in crate::Releases::<T>::iter() {
		releases = releases.saturating_add(1);
		for key in crate::releases::measurement_keys(&release) {
			crate::ReleaseIndex::<T>::mutate(key, |ids| {
				if ids.try_push(id).is_err() {
					log::warn!(target: LOG_TARGET, "storage v4: release {id} not indexed (full)");
				}
			});
		}
	}
	let now = polkadot_sdk::frame_system::Pallet::<T>::block_number();
	let mut at = now.saturating_add(T::LapsedGracePeriod::get());
	let mut workers: u64 = 0;
	let mut queued: u64 = 0;
	for (who, info) in crate::Workers::<T>::iter() {
		workers = workers.saturating_add(1);
		crate::ReleaseWorkers::<T>::mutate(info.release, |n| *n = n.saturating_add(1));
		crate::RootWorkers::<T>::mutate(info.services_root, |list| {
			if !list.contains(&who) && list.try_push(who.clone()).is_err() {
				log::warn!(target: LOG_TARGET, "storage v4: a services root has too many workers");
			}
		});
		if info.status == WorkerStatus::Lapsed {
			// One bucket per block holds `MaxLapsesPerBlock`: spill into the next blocks.
			if crate::PruneQueue::<T>::decode_len(at).unwrap_or(0)
				>= crate::MaxLapsesPerBlock::<T>::get() as usize
			{
				at = at.saturating_add(One::one());
			}
			crate::PruneQueue::<T>::mutate(at, |q| {
				let _ = q.try_push((who, now));
			});
			queued = queued.saturating_add(1);
		}
	}
	log::info!(
		target: LOG_TARGET,
		"storage v4: {releases} releases indexed, {workers} workers counted, {queued} lapsed queued for pruning"
	);
	let items = releases.saturating_add(workers).saturating_mul(3);
	T::DbWeight::get().reads_writes(items, items)
}

/// Version 4 -> 5 (see the module docs). Reads every worker once (bounded by `MaxWorkers`).
pub(crate) fn to_v5<T: Config>() -> Weight {
	let cleared = crate::PlatformWorkers::<T>::clear(T::MaxWorkers::get(), None);
	let mut workers: u64 = 0;
	let mut counted: u64 = 0;
	for info in crate::Workers::<T>::iter_values() {
		workers = workers.saturating_add(1);
		if let Some(machine) = info.platform.machine_key() {
			Pallet::<T>::count_on_machine(machine, true);
			counted = counted.saturating_add(1);
		}
	}
	crate::RulesEpoch::<T>::mutate(|epoch| *epoch = epoch.saturating_add(1));
	let tcb_infos = crate::TdxTcbInfo::<T>::initialize_counter();
	log::info!(
		target: LOG_TARGET,
		"storage v5: {counted} of {workers} workers counted on their machine; workers re-attest; {tcb_infos} TCB Infos counted"
	);
	let items = workers
		.saturating_add(u64::from(cleared.loops))
		.saturating_add(u64::from(tcb_infos))
		.saturating_add(3);
	T::DbWeight::get().reads_writes(items, items)
}
