//! The release registry: adding, retiring and removing releases, and finding the release whose
//! measurements, system hash and services root match verified evidence.
//!
//! Releases are found through `ReleaseIndex`, keyed by a hash of the measurements (TDX: MRTD
//! and RTMR0-2; SNP: the launch measurement), so the lookup reads the index and at most
//! `MAX_RELEASES_PER_MEASUREMENT` releases however many the chain holds.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use polkadot_sdk::{frame_support::pallet_prelude::*, sp_io::hashing::blake2_256};
use tee_verifier::VerifiedClaims;

/// The index key of a release's TDX registers (MRTD, RTMR0-2).
pub fn tdx_measurement_key(m: &TdxMeasurements) -> [u8; 32] {
	blake2_256(&(b"tee-attest/release-index/tdx", m).encode())
}

/// The index key of a release's SEV-SNP launch measurement.
pub fn snp_measurement_key(measurement: &[u8; 48]) -> [u8; 32] {
	blake2_256(&(b"tee-attest/release-index/snp", measurement).encode())
}

/// The index keys of a release: one per TEE it has measurements for.
pub(crate) fn measurement_keys(release: &Release) -> Vec<[u8; 32]> {
	release
		.tdx
		.as_ref()
		.map(tdx_measurement_key)
		.into_iter()
		.chain(release.snp_measurement.as_ref().map(snp_measurement_key))
		.collect()
}

/// The index key of what evidence measured.
fn verified_key(verified: &VerifiedClaims) -> [u8; 32] {
	match verified {
		VerifiedClaims::Tdx(c) => {
			let [rtmr0, rtmr1, rtmr2, _] = c.rtmr;
			tdx_measurement_key(&TdxMeasurements {
				mrtd: c.mr_td,
				rtmr0,
				rtmr1,
				rtmr2,
			})
		}
		VerifiedClaims::Snp(c) => snp_measurement_key(&c.measurement),
	}
}

impl<T: Config> Pallet<T> {
	/// The active release whose measurements, pins, system hash and services root match.
	pub(crate) fn matching_release(
		verified: &VerifiedClaims,
		claims: &tee_verifier::Claims,
	) -> Result<ReleaseId, Error<T>> {
		let mut retired_match = false;
		for id in ReleaseIndex::<T>::get(verified_key(verified)) {
			let Some(release) = Releases::<T>::get(id) else {
				continue;
			};
			// The key is a hash: compare the registers themselves.
			let measured = match verified {
				VerifiedClaims::Tdx(c) => {
					release.tdx.as_ref().is_some_and(|m| {
						let [rtmr0, rtmr1, rtmr2, _] = &c.rtmr;
						m.mrtd == c.mr_td
							&& &m.rtmr0 == rtmr0 && &m.rtmr1 == rtmr1
							&& &m.rtmr2 == rtmr2
					}) && release.tdx_pins.admit(c)
				}
				VerifiedClaims::Snp(c) => {
					release.snp_measurement == Some(c.measurement) && release.snp_pins.admit(c)
				}
			};
			if measured
				&& release.system_hashes.contains(&claims.system_hash)
				&& (release.services_roots.is_empty()
					|| release.services_roots.contains(&claims.services_root))
			{
				match release.status {
					ReleaseStatus::Active => return Ok(id),
					ReleaseStatus::Retired => retired_match = true,
				}
			}
		}
		Err(if retired_match {
			Error::<T>::RetiredRelease
		} else {
			Error::<T>::UnknownRelease
		})
	}

	/// Validates and stores a release under the next id, and indexes it by its measurements.
	pub(crate) fn insert_release(mut release: Release) -> Result<ReleaseId, Error<T>> {
		ensure!(
			(release.tdx.is_some() || release.snp_measurement.is_some())
				&& !release.system_hashes.is_empty(),
			Error::<T>::IncompleteRelease
		);
		ensure!(
			Releases::<T>::count() < T::MaxReleases::get(),
			Error::<T>::TooManyReleases
		);
		let id = NextReleaseId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::TooManyReleases)?;
		// Every index entry is checked before anything is written.
		let mut entries = Vec::new();
		for key in measurement_keys(&release) {
			let mut ids = ReleaseIndex::<T>::get(key);
			ids.try_push(id)
				.map_err(|_| Error::<T>::TooManyReleasesPerMeasurement)?;
			entries.push((key, ids));
		}
		release.status = ReleaseStatus::Active;
		Releases::<T>::insert(id, release);
		for (key, ids) in entries {
			ReleaseIndex::<T>::insert(key, ids);
		}
		NextReleaseId::<T>::put(next);
		Ok(id)
	}

	/// `retire_release`: marks the release retired. Its workers are found by the expiry scan
	/// (see `request_reattestations`), which asks each to re-attest; the call itself touches no
	/// worker, so its cost does not grow with them.
	pub(crate) fn do_retire_release(id: ReleaseId) -> DispatchResult {
		Releases::<T>::try_mutate(id, |release| {
			let release = release.as_mut().ok_or(Error::<T>::NoSuchRelease)?;
			ensure!(
				release.status == ReleaseStatus::Active,
				Error::<T>::AlreadyRetired
			);
			release.status = ReleaseStatus::Retired;
			Ok::<(), DispatchError>(())
		})?;
		Self::deposit_event(Event::ReleaseRetired {
			id,
			workers: ReleaseWorkers::<T>::get(id),
		});
		Ok(())
	}

	/// `remove_release`: deletes a retired release no registered worker runs, freeing its
	/// place under `MaxReleases`.
	pub(crate) fn do_remove_release(id: ReleaseId) -> DispatchResult {
		let release = Releases::<T>::get(id).ok_or(Error::<T>::NoSuchRelease)?;
		ensure!(
			release.status == ReleaseStatus::Retired,
			Error::<T>::ReleaseActive
		);
		ensure!(ReleaseWorkers::<T>::get(id) == 0, Error::<T>::ReleaseInUse);
		for key in measurement_keys(&release) {
			ReleaseIndex::<T>::mutate_exists(key, |ids| {
				if let Some(list) = ids {
					list.retain(|i| *i != id);
					if list.is_empty() {
						*ids = None;
					}
				}
			});
		}
		Releases::<T>::remove(id);
		Self::deposit_event(Event::ReleaseRemoved { id });
		Ok(())
	}

	/// Whether `id` is retired or gone (the expiry scan asks its workers to re-attest).
	pub(crate) fn release_retired(id: ReleaseId) -> bool {
		Releases::<T>::get(id).is_none_or(|r| r.status == ReleaseStatus::Retired)
	}
}
