//! Governance of the rules workers are verified under: the policy and the trust anchors.

use crate::{pallet::*, types::*, LOG_TARGET};
use codec::Encode;
use polkadot_sdk::{
	frame_support::pallet_prelude::*, sp_io::hashing::sha2_256, sp_runtime::SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	/// `set_policy`: stores a valid policy; a change starts a new rules epoch.
	pub(crate) fn do_set_policy(policy: ChainPolicy) -> DispatchResult {
		ensure!(Self::policy_is_valid(&policy), Error::<T>::InvalidPolicy);
		let version = policy.evidence.version;
		let hash = sha2_256(&policy.encode());
		if Policy::<T>::get() != policy {
			Policy::<T>::put(policy);
			Self::new_rules_epoch();
		}
		Self::deposit_event(Event::PolicySet { version, hash });
		Ok(())
	}

	/// `set_trust_anchors`: stores anchors that check out; a change starts a new rules epoch.
	/// Collateral and remembered VEK chains verified under a replaced root are not dropped
	/// here (that would cost in proportion to what was stored): they are never used again
	/// (`collateral_for` and the verifier compare their root with the anchors in force), and
	/// uploads under the new root replace them.
	pub(crate) fn do_set_trust_anchors(anchors: tee_verifier::TrustAnchors) -> DispatchResult {
		anchors.check().map_err(|e| {
			log::info!(target: LOG_TARGET, "trust anchors refused: {e}");
			Error::<T>::InvalidTrustAnchors
		})?;
		let hash = sha2_256(&anchors.encode());
		if TrustAnchors::<T>::get() != anchors {
			TrustAnchors::<T>::put(anchors);
			Self::new_rules_epoch();
		}
		Self::deposit_event(Event::TrustAnchorsSet { hash });
		Ok(())
	}

	/// A policy `set_policy` and genesis accept: this encoding version, non-zero windows, a
	/// registration window shorter than the block hashes the chain keeps, and a non-zero
	/// validity.
	pub(crate) fn policy_is_valid(policy: &ChainPolicy) -> bool {
		let keeps: u32 = T::BlockHashCount::get().saturated_into();
		policy.evidence.version == tee_verifier::Policy::VERSION
			&& policy.response_window > 0
			&& policy.registration_window > 0
			&& policy.registration_window < keeps
			&& policy.evidence.attestation_validity_secs > 0
	}
}
