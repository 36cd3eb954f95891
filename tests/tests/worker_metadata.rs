//! `tee-worker/metadata/attestation.scale` is the metadata (V15) of the runtime a dev node
//! built from this checkout serves.
//!
//! The worker embeds that file and refuses a chain whose Attestation pallet hashes
//! differently, so a stale file would make every worker refuse the dev chain. The metadata
//! is read from a running node (the wasm runtime) rather than from a native build of the
//! runtime crate, whose metadata depends on which cargo features the build unified.
//! Regenerate it with
//! `UPDATE_METADATA=1 cargo test --release -p e2e-tests --test worker_metadata`.

use std::{path::PathBuf, time::Duration};

use codec::{Decode, Encode};
use e2e_tests::{subxt::rpcs::rpc_params, Node};

fn committed_path() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tee-worker/metadata/attestation.scale")
}

fn pallets(m: &subxt::Metadata) -> Vec<(String, [u8; 32])> {
	m.pallets()
		.map(|p| (p.name().to_string(), p.hash()))
		.collect()
}

#[tokio::test]
async fn worker_metadata_is_the_dev_runtimes() {
	let mut node = Node::start("metadata", &["--dev"]).expect("start node");
	let rpc = node.rpc(Duration::from_secs(120)).await.expect("rpc up");
	let answer: String = rpc
		.request(
			"state_call",
			rpc_params![
				"Metadata_metadata_at_version",
				format!("0x{}", hex::encode(15u32.encode()))
			],
		)
		.await
		.expect("Metadata_metadata_at_version");
	let raw = hex::decode(answer.trim_start_matches("0x")).expect("hex");
	let live = Option::<Vec<u8>>::decode(&mut &raw[..])
		.expect("SCALE Option<OpaqueMetadata>")
		.expect("the runtime serves metadata V15");

	let path = committed_path();
	if std::env::var_os("UPDATE_METADATA").is_some() {
		std::fs::write(&path, &live).expect("write metadata");
	}
	let committed = std::fs::read(&path).expect("read committed metadata");
	let decode = |bytes: &[u8]| subxt::Metadata::decode_from(bytes).expect("metadata decodes");
	let (live_md, committed_md) = (decode(&live), decode(&committed));
	assert_eq!(
		pallets(&committed_md),
		pallets(&live_md),
		"tee-worker/metadata/attestation.scale is stale (see the pallet whose hash differs): \
		 regenerate it with UPDATE_METADATA=1 cargo test --release -p e2e-tests --test \
		 worker_metadata"
	);
	assert!(
		committed == live,
		"tee-worker/metadata/attestation.scale differs from the dev node's metadata: \
		 regenerate it as above"
	);
	// What the worker compares a live chain against is this same hash.
	let attestation = live_md
		.pallet_by_name("Attestation")
		.expect("Attestation pallet")
		.hash();
	assert_eq!(
		tee_worker::chain::expected_pallet_hash().expect("embedded metadata"),
		attestation
	);
}
