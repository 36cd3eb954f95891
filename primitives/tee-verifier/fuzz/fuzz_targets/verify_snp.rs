//! Arbitrary bytes as an SNP report (first 1184 bytes) and VEK certificate (the rest),
//! verified with real AMD roots.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tee_verifier::{verify, Collateral, Evidence, SnpCollateral, TrustAnchors};

static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
	let anchors = ANCHORS.get_or_init(common::anchors);
	let split = data.len().min(1184);
	let (report, vek) = data.split_at(split);
	let _ = tee_verifier::snp::verify_report(report, vek, anchors, &SnpCollateral::default(), common::SNP_NOW);
	if let (Ok(report), Ok(vek_der)) = (report.to_vec().try_into(), vek.to_vec().try_into()) {
		let evidence = Evidence::Snp { report, vek_der };
		// The VEK bytes double as a CRL, to reach the CRL path with a valid chain.
		let crls = vek.to_vec().try_into().map(|c| vec![c]).unwrap_or_default();
		let collateral = Collateral::Snp(SnpCollateral { crls: crls.try_into().unwrap_or_default() });
		let _ = verify(&evidence, anchors, &collateral, common::SNP_NOW);
	}
});
