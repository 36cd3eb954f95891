//! `chain-specs/*.json` must match what the node builds from the runtime's presets.
//!
//! The specs are committed in raw form (the exact genesis storage), so they pin the genesis
//! of anyone who starts a node from them. The runtime code inside them is compared by its
//! embedded runtime version, not byte for byte: the wasm embeds the absolute paths of the
//! build, which differ between checkouts. Everything else (name, id, chain type, properties,
//! every genesis storage entry but `:code`) must be identical.
//! Regenerate with `scripts/chain-specs.sh`.

use attestation_node::chain_spec::{
	development_chain_spec, local_chain_spec, production_chain_spec, ChainSpec,
};
use polkadot_sdk::{
	sc_executor::read_embedded_version, sc_executor_common::runtime_blob::RuntimeBlob,
	sp_core::bytes::from_hex,
};
use serde_json::Value;

/// Storage key of the runtime code (`:code`), hex.
const CODE_KEY: &str = "0x3a636f6465";

fn committed(name: &str) -> Value {
	let path = format!("{}/../chain-specs/{name}.json", env!("CARGO_MANIFEST_DIR"));
	let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
	serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn generated(spec: ChainSpec) -> Value {
	serde_json::from_str(&spec.as_json(true).expect("raw chain spec")).expect("valid JSON")
}

/// Removes the runtime code from a raw spec and returns it.
fn take_code(spec: &mut Value) -> Vec<u8> {
	let top = spec["genesis"]["raw"]["top"]
		.as_object_mut()
		.expect("raw spec has genesis.raw.top");
	let code = top.remove(CODE_KEY).expect("genesis has :code");
	from_hex(code.as_str().expect(":code is a hex string")).expect("hex code")
}

fn check(name: &str, spec: ChainSpec) {
	let mut want = generated(spec);
	let mut have = committed(name);
	let _ = take_code(&mut want);
	let code = take_code(&mut have);
	assert!(
		have == want,
		"chain-specs/{name}.json is stale: regenerate it with scripts/chain-specs.sh"
	);

	let blob = RuntimeBlob::uncompress_if_needed(&code).expect("committed code is wasm");
	let version = read_embedded_version(&blob)
		.expect("readable runtime version")
		.expect("runtime version section present");
	let current = attestation_runtime::VERSION;
	assert_eq!(
		(
			version.spec_name,
			version.spec_version,
			version.transaction_version
		),
		(
			current.spec_name,
			current.spec_version,
			current.transaction_version
		),
		"chain-specs/{name}.json carries another runtime version: regenerate it"
	);
}

#[test]
fn dev_chain_spec_is_current() {
	check("dev", development_chain_spec().expect("dev spec"));
}

#[test]
fn local_chain_spec_is_current() {
	check("local", local_chain_spec().expect("local spec"));
}

#[test]
fn production_chain_spec_is_current() {
	check(
		"production",
		production_chain_spec().expect("production spec"),
	);
}
