//! Chain specifications built from the runtime's genesis presets.
//!
//! `chain-specs/{dev,local,production}.json` are these specs exported with
//! `scripts/chain-specs.sh`; a test fails when the committed files no longer match.

use attestation_runtime::WASM_BINARY;
use polkadot_sdk::{sc_service, sp_genesis_builder};
use sc_service::ChainType;

/// The node's chain spec type: no chain-spec extensions; genesis is built with the node's
/// extra host functions available (bn254-host).
pub type ChainSpec = sc_service::GenericChainSpec<Option<()>, bn254_host::HostFunctions>;

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime's wasm was not built (SKIP_WASM_BUILD set?); rebuild without it".to_string()
	})
}

fn properties() -> sc_service::Properties {
	let mut p = sc_service::Properties::new();
	p.insert("tokenSymbol".into(), "TEE".into());
	p.insert("tokenDecimals".into(), 12.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

/// The single-node development chain (`--dev`): manual seal, Alice funded and sudo.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("TEE Attestation Development")
		.with_id("tee_attest_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The local testnet: Alice and Bob validate with Aura and GRANDPA on loopback.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("TEE Attestation Local Testnet")
		.with_id("tee_attest_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// A template for a real network: real Intel and AMD roots, strict policy, no release, no
/// collateral, no endowment; Alice's well-known keys as authority and sudo placeholders that
/// an operator replaces in the exported spec (`export-chain-spec --chain production`).
pub fn production_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("TEE Attestation")
		.with_id("tee_attest")
		.with_chain_type(ChainType::Live)
		.with_genesis_config_preset_name(
			attestation_runtime::genesis_config_presets::PRODUCTION_RUNTIME_PRESET,
		)
		.with_properties(properties())
		.build())
}

/// Resolves `--chain ID`: the built-in `dev`, `local` and `production`, otherwise a
/// chain-spec JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development_chain_spec()?),
		"" | "local" => Box::new(local_chain_spec()?),
		"production" => Box::new(production_chain_spec()?),
		path => Box::new(
			ChainSpec::from_json_file(std::path::PathBuf::from(path))
				.map_err(|e| format!("cannot load chain spec {path}: {e}"))?,
		),
	})
}
