//! Arbitrary bytes as a TDX quote, verified with real roots and collateral.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tee_verifier::{verify, Collateral, Evidence, TrustAnchors};

static CTX: OnceLock<(TrustAnchors, Collateral)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
	let (anchors, collateral) =
		CTX.get_or_init(|| (common::anchors(), Collateral::Tdx(common::tdx_collateral())));
	if let Ok(quote) = data.to_vec().try_into() {
		let _ = verify(&Evidence::Tdx { quote }, anchors, collateral, common::TDX_NOW);
	}
	// Also past the evidence bound, straight into the TDX verifier.
	if let Collateral::Tdx(c) = collateral {
		let _ = tee_verifier::tdx::verify_quote(data, anchors, c, common::TDX_NOW);
	}
});
