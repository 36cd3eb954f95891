//! Minted TDX quotes and collateral checked directly with dcap-qvl (the DCAP library inside
//! tee-verifier), trusting the mock root. The end-to-end tests through tee-verifier live in
//! `roundtrip.rs`.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects,
	missing_docs
)]

use dcap_qvl::{verify::QuoteVerifier, QuoteCollateralV3};
use mock_tee::*;

const NOW: u64 = 1_767_225_600; // 2026-01-01

fn collateral(roots: &DevRoots, now: u64, cfg: &TdxTcbConfig) -> QuoteCollateralV3 {
	let c = roots.tdx_collateral(now, cfg).unwrap();
	serde_json::from_str(&c.to_json()).unwrap()
}

fn verify(
	roots: &DevRoots,
	quote: &[u8],
	col: &QuoteCollateralV3,
	now: u64,
) -> std::result::Result<dcap_qvl::verify::VerifiedReport, String> {
	QuoteVerifier::new(roots.intel_root_ca_der().to_vec())
		.verify(quote, col, now)
		.map_err(|e| format!("{e:#}"))
}

#[test]
fn v4_quote_verifies_up_to_date() {
	let roots = DevRoots::from_seed(b"dcap-qvl test").unwrap();
	let params = TdxQuoteParams {
		report_data: [7; 64],
		mr_td: [1; 48],
		..Default::default()
	};
	let quote = roots.mint_tdx_quote(&params).unwrap();
	let col = collateral(&roots, NOW, &TdxTcbConfig::default());
	let report = verify(&roots, &quote, &col, NOW).unwrap();
	assert_eq!(report.status, "UpToDate");
	assert!(report.advisory_ids.is_empty());
	let td = report.report.as_td10().unwrap();
	assert_eq!(td.report_data, [7; 64]);
	assert_eq!(td.mr_td, [1; 48]);
}

#[test]
fn v5_quotes_verify() {
	let roots = DevRoots::from_seed(b"dcap-qvl test").unwrap();
	let col = collateral(&roots, NOW, &TdxTcbConfig::default());
	for version in [TdxQuoteVersion::V5Td10, TdxQuoteVersion::V5Td15] {
		let params = TdxQuoteParams {
			version,
			..Default::default()
		};
		let quote = roots.mint_tdx_quote(&params).unwrap();
		let report =
			verify(&roots, &quote, &col, NOW).unwrap_or_else(|e| panic!("{version:?}: {e}"));
		assert_eq!(report.status, "UpToDate", "{version:?}");
	}
}

#[test]
fn statuses_and_rejections() {
	let roots = DevRoots::from_seed(b"dcap-qvl test").unwrap();
	let quote = roots.mint_tdx_quote(&TdxQuoteParams::default()).unwrap();

	let ood = collateral(
		&roots,
		NOW,
		&TdxTcbConfig::with_platform_status(TcbStatus::OutOfDate, &["INTEL-SA-00999"]),
	);
	let r = verify(&roots, &quote, &ood, NOW).unwrap();
	assert_eq!(r.status, "OutOfDate");
	assert_eq!(r.advisory_ids, vec!["INTEL-SA-00999".to_string()]);

	let revoked = collateral(
		&roots,
		NOW,
		&TdxTcbConfig::with_platform_status(TcbStatus::Revoked, &[]),
	);
	assert!(verify(&roots, &quote, &revoked, NOW).is_err());

	// An older platform matches the OutOfDate level of the default collateral.
	let old = TdxQuoteParams {
		platform: TdxPlatform {
			cpu_svn: [2, 2, 2, 2, 3, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0],
			pce_svn: 5,
			..Default::default()
		},
		..Default::default()
	};
	let old_quote = roots.mint_tdx_quote(&old).unwrap();
	let good = collateral(&roots, NOW, &TdxTcbConfig::default());
	let r = verify(&roots, &old_quote, &good, NOW).unwrap();
	assert_eq!(r.status, "OutOfDate");
	assert!(!r.advisory_ids.is_empty());

	// Expired collateral.
	let e = verify(&roots, &quote, &good, NOW + 40 * 86_400).unwrap_err();
	assert!(e.contains("expired") || e.contains("Expired"), "{e}");

	// Debug TD.
	let debug = TdxQuoteParams {
		td_attributes: TD_ATTR_SEPT_VE_DISABLE | TD_ATTR_DEBUG,
		..Default::default()
	};
	let e = verify(&roots, &roots.mint_tdx_quote(&debug).unwrap(), &good, NOW).unwrap_err();
	assert!(e.contains("Debug"), "{e}");

	// Revoked PCK.
	let mut cfg = TdxTcbConfig::default();
	cfg.revoked_pck_serials
		.push(roots.pck_serial(&TdxPlatform::default()).unwrap());
	let e = verify(&roots, &quote, &collateral(&roots, NOW, &cfg), NOW).unwrap_err();
	assert!(e.to_lowercase().contains("revoked"), "{e}");

	// Another seed's root.
	let other = DevRoots::from_seed(b"another seed").unwrap();
	assert!(verify(&other, &quote, &good, NOW).is_err());

	// A flipped byte in the body.
	let mut tampered = quote.clone();
	tampered[48 + 520] ^= 1;
	assert!(verify(&roots, &tampered, &good, NOW).is_err());
}

#[test]
fn same_seed_same_bytes() {
	let a = DevRoots::from_seed(b"x").unwrap();
	let b = DevRoots::from_seed(b"x").unwrap();
	assert_eq!(a.intel_root_ca_der(), b.intel_root_ca_der());
	let p = TdxQuoteParams::default();
	assert_eq!(a.mint_tdx_quote(&p).unwrap(), b.mint_tdx_quote(&p).unwrap());
	assert_eq!(
		a.tdx_collateral(NOW, &TdxTcbConfig::default()).unwrap(),
		b.tdx_collateral(NOW, &TdxTcbConfig::default()).unwrap()
	);
	let c = DevRoots::from_seed(b"y").unwrap();
	assert_ne!(a.intel_root_ca_der(), c.intel_root_ca_der());
}
