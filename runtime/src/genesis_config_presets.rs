//! Genesis presets: `development` (one authority, Alice), `local` (Alice and Bob) and
//! `production` (a template for a real network).
//!
//! `development` and `local` fund the well-known dev accounts and make Alice the sudo key.
//!
//! Attestation genesis (one code path; only the data differs):
//! - `development` trusts the mock-tee dev roots (public keys: INSECURE), holds dev TDX
//!   collateral and a dev AMD CRL of every product, valid 2026-2035, the release of the
//!   mock-tee dev image and a short re-attestation cycle (60 s validity), so
//!   `tee-worker --tee mock` registers at once.
//!   It registers the service_response circuit (both flavours) and verifies proofs with the
//!   INSECURE dev SRS.
//! - `local` and `production` trust Intel's SGX Root CA and AMD's Milan/Genoa/Turin roots,
//!   use the strict default policy and hold no release and no collateral: governance adds the
//!   releases it built, and anyone uploads current Intel/AMD collateral. Proofs are verified
//!   under Aztec's SRS; governance registers the circuits (keys computed under that SRS).
//!
//! The attestation data are SCALE files in `runtime/genesis/`, generated and checked by
//! `tests/tests/genesis_data.rs`.

use alloc::{string::String, vec, vec::Vec};
use polkadot_sdk::*;

use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	AccountId, AttestationConfig, Balance, BalancesConfig, RuntimeGenesisConfig, SudoConfig, UNIT,
};

/// What each endowed dev account starts with: 1 000 000 UNIT.
const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// Unix time at which the dev collateral is checked in genesis: 2026-01-02T00:00:00Z, a day
/// after it was issued (it stays valid until 2035-12-30).
const DEV_COLLATERAL_CHECKED_AT: u64 = 1_767_312_000;

/// The service_response circuit's verification key under the INSECURE dev SRS.
const DEV_CIRCUIT_VK: &[u8] = include_bytes!("../../circuits/artifacts/service_response.dev.vk");

/// The attestation part of a preset.
fn attestation_genesis(dev: bool) -> AttestationConfig {
	if dev {
		AttestationConfig {
			trust_anchors: include_bytes!("../genesis/dev-trust-anchors.scale").to_vec(),
			releases: vec![include_bytes!("../genesis/dev-release.scale").to_vec()],
			collateral: vec![
				include_bytes!("../genesis/dev-tdx-collateral.scale").to_vec(),
				include_bytes!("../genesis/dev-snp-collateral.scale").to_vec(),
			],
			collateral_checked_at: DEV_COLLATERAL_CHECKED_AT,
			policy: include_bytes!("../genesis/dev-policy.scale").to_vec(),
			// The service_response circuit in both flavours, with its key under the INSECURE
			// dev SRS, whose G2 the chain verifies with.
			circuits: [true, false]
				.into_iter()
				.map(|zk| (b"service_response".to_vec(), zk, DEV_CIRCUIT_VK.to_vec()))
				.collect(),
			proof_srs_g2: zk_verifier::DEV_G2.to_vec(),
			..Default::default()
		}
	} else {
		AttestationConfig {
			trust_anchors: include_bytes!("../genesis/real-trust-anchors.scale").to_vec(),
			// Aztec's SRS; governance registers circuits with keys computed under it.
			proof_srs_g2: zk_verifier::AZTEC_G2.to_vec(),
			..Default::default()
		}
	}
}

fn testnet_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	attestation: AttestationConfig,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|k| (k, ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities
				.iter()
				.map(|x| x.0.clone())
				.collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities
				.iter()
				.map(|x| (x.1.clone(), 1))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		attestation: AttestationConfig {
			trust_anchors: attestation.trust_anchors,
			releases: attestation.releases,
			collateral: attestation.collateral,
			collateral_checked_at: attestation.collateral_checked_at,
			policy: attestation.policy,
			circuits: attestation.circuits,
			proof_srs_g2: attestation.proof_srs_g2,
		},
	})
}

/// The well-known dev accounts (Alice, Bob, Charlie, Dave, Eve, Ferdie and their stashes).
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

fn authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The `development` preset: Alice is the only authority (the dev node seals the blocks) and
/// sudo; the dev accounts are funded.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		attestation_genesis(true),
	)
}

/// The `local` preset: Alice and Bob validate (Aura + GRANDPA); Alice is sudo.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		attestation_genesis(false),
	)
}

/// Name of the production-style preset.
pub const PRODUCTION_RUNTIME_PRESET: &str = "production";

/// The `production` preset: a template for a real network. Real Intel and AMD roots, the
/// strict default policy, no release, no collateral and no endowed accounts. Its authority
/// and sudo key are Alice's well-known dev keys as placeholders: an operator replaces them
/// (`aura`, `grandpa`, `sudo` in the exported spec) before starting a real network.
pub fn production_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Vec::new(),
		Sr25519Keyring::Alice.to_account_id(),
		attestation_genesis(false),
	)
}

/// The JSON genesis patch of preset `id`, or `None` for an unknown preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		PRODUCTION_RUNTIME_PRESET => production_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(String::into_bytes)
}

/// The presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(PRODUCTION_RUNTIME_PRESET),
	]
}
