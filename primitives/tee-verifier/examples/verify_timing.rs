//! Native verification time of each real test vector (not a benchmark harness: a quick,
//! dependency-free measurement). Run with
//! `cargo run --release -p tee-verifier --example verify_timing`.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic
)]
#![allow(clippy::arithmetic_side_effects, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

fn main() {
	let anchors = common::trust_anchors(&common::vectors_dir());
	let iterations = 50u32;
	println!("{:<28} {:>12} result", "case", "µs/verify");
	for case in common::cases() {
		let result = tee_verifier::verify(&case.evidence, &anchors, &case.collateral, case.now);
		let start = Instant::now();
		for _ in 0..iterations {
			let _ = std::hint::black_box(tee_verifier::verify(
				&case.evidence,
				&anchors,
				&case.collateral,
				case.now,
			));
		}
		let micros = start.elapsed().as_micros() / u128::from(iterations);
		println!(
			"{:<28} {:>12} {}",
			case.id,
			micros,
			match result {
				Ok(_) => "verified".to_string(),
				Err(e) => format!("rejected: {e}"),
			}
		);
	}
	// The same TDX quotes through dcap-qvl 0.7.1 (RustCrypto backend), on the same machine and
	// load, for comparison.
	let root = common::read(&common::vectors_dir().join("roots/intel/sgx_root_ca.der"));
	for case in common::cases().iter().filter(|c| c.kind == "tdx") {
		let q = common::quote_bytes(&case.evidence);
		let c = common::tdx_coll(&case.collateral);
		let coll = dcap_qvl::QuoteCollateralV3 {
			pck_crl_issuer_chain: String::from_utf8(c.pck_crl_issuer_chain.to_vec()).unwrap(),
			root_ca_crl: c.root_ca_crl.to_vec(),
			pck_crl: c.pck_crl.to_vec(),
			tcb_info_issuer_chain: String::from_utf8(c.tcb_info_issuer_chain.to_vec()).unwrap(),
			tcb_info: String::from_utf8(c.tcb_info.to_vec()).unwrap(),
			tcb_info_signature: c.tcb_info_signature.to_vec(),
			qe_identity_issuer_chain: String::from_utf8(c.qe_identity_issuer_chain.to_vec())
				.unwrap(),
			qe_identity: String::from_utf8(c.qe_identity.to_vec()).unwrap(),
			qe_identity_signature: c.qe_identity_signature.to_vec(),
			pck_certificate_chain: None,
		};
		let verifier = dcap_qvl::verify::QuoteVerifier::<dcap_qvl::configs::RustCryptoConfig>::new_with_config(root.clone())
			.allow_debug(true);
		let start = Instant::now();
		for _ in 0..iterations {
			let _ = std::hint::black_box(verifier.verify(&q, &coll, case.now));
		}
		let micros = start.elapsed().as_micros() / u128::from(iterations);
		println!("dcap-qvl {:<19} {:>12}", case.id, micros);
	}
}
