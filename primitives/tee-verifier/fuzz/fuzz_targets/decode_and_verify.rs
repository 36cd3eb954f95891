//! SCALE-decode evidence, collateral and policy from arbitrary bytes (as the pallet does with
//! extrinsic arguments), then verify and check policy.
#![no_main]

#[path = "common.rs"]
mod common;

use codec::Decode;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tee_verifier::{verify, Collateral, Evidence, Policy, TrustAnchors};

static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
	let anchors = ANCHORS.get_or_init(common::anchors);
	let mut input = data;
	let Ok(evidence) = Evidence::decode(&mut input) else { return };
	let Ok(collateral) = Collateral::decode(&mut input) else { return };
	let policy = Policy::decode(&mut input).unwrap_or_default();
	if let Ok(claims) = verify(&evidence, anchors, &collateral, common::TDX_NOW) {
		let _ = policy.check(&claims);
		let _ = policy.attestation_expiry(&claims);
	}
});
