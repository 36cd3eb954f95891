//! `tee-worker/metadata/attestation.scale` is the metadata of the runtime in this checkout.
//!
//! The worker embeds that file and refuses a chain whose Attestation pallet hashes
//! differently, so a stale file would make every worker refuse the dev chain. Regenerate it
//! with `UPDATE_METADATA=1 cargo test --release -p e2e-tests --test worker_metadata`.

use std::path::PathBuf;

use attestation_runtime::Runtime;

fn committed_path() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tee-worker/metadata/attestation.scale")
}

/// The runtime's metadata as `state_getMetadata` returns it (V15, SCALE-encoded prefixed).
fn runtime_metadata() -> Vec<u8> {
	let opaque = Runtime::metadata_at_version(15).expect("the runtime serves metadata V15");
	opaque.to_vec()
}

#[test]
fn worker_metadata_is_the_runtimes() {
	let fresh = runtime_metadata();
	let path = committed_path();
	if std::env::var_os("UPDATE_METADATA").is_some() {
		std::fs::write(&path, &fresh).expect("write metadata");
	}
	let committed = std::fs::read(&path).expect("read committed metadata");
	let decode = |bytes: &[u8]| subxt::Metadata::decode_from(bytes).expect("metadata decodes");
	let pallet_hash = |m: &subxt::Metadata| {
		m.pallet_by_name("Attestation")
			.expect("Attestation pallet")
			.hash()
	};
	let (fresh_md, committed_md) = (decode(&fresh), decode(&committed));
	assert_eq!(
		pallet_hash(&committed_md),
		pallet_hash(&fresh_md),
		"tee-worker/metadata/attestation.scale is stale: regenerate it with \
		 UPDATE_METADATA=1 cargo test --release -p e2e-tests --test worker_metadata"
	);
	assert!(
		committed == fresh,
		"tee-worker/metadata/attestation.scale differs from the runtime's metadata (outside \
		 the Attestation pallet): regenerate it as above"
	);
	// What the worker compares a live chain against is this same hash.
	assert_eq!(
		tee_worker::chain::expected_pallet_hash().expect("embedded metadata"),
		pallet_hash(&fresh_md)
	);
}
