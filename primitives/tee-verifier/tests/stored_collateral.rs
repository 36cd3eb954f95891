//! Verification with collateral a chain verified when it stored it
//! (`VerifiedTdxCollateral` + `verify_with_stored`) gives exactly the outcome of full
//! verification, for every real case and for time and revocation failures; it is refused under
//! another Intel root.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

mod common;

use mock_tee::{DevRoots, TdxQuoteParams, TdxTcbConfig};
use tee_verifier::{
	verify, verify_with_stored, Collateral, Evidence, StoredCollateral, TdxError,
	VerifiedTdxCollateral, VerifyError,
};

#[test]
fn every_real_tdx_case_has_the_same_outcome_with_stored_collateral() {
	let anchors = common::trust_anchors(&common::vectors_dir());
	let mut compared = 0;
	for case in common::cases() {
		let Collateral::Tdx(collateral) = &case.collateral else {
			continue;
		};
		let full = verify(&case.evidence, &anchors, &case.collateral, case.now);
		match VerifiedTdxCollateral::verify(collateral.clone(), &anchors, case.now) {
			Ok((stored, _)) => {
				let with_stored = verify_with_stored(
					&case.evidence,
					&anchors,
					StoredCollateral::Tdx(&stored),
					case.now,
				);
				assert_eq!(with_stored, full, "{}", case.id);
				compared += 1;
			}
			// Collateral that does not verify on its own is never stored; full verification
			// must refuse the quote too.
			Err(_) => assert!(
				full.is_err(),
				"{}: collateral refused but quote accepted",
				case.id
			),
		}
	}
	assert!(compared >= 4, "only {compared} TDX cases compared");
}

fn mock_setup(now: u64) -> (DevRoots, tee_verifier::TrustAnchors, Evidence, Collateral) {
	let roots = DevRoots::dev().unwrap();
	let anchors = roots.trust_anchors().unwrap();
	let evidence = roots.mint_tdx_evidence(&TdxQuoteParams::default()).unwrap();
	let collateral = roots
		.tdx_collateral(now, &TdxTcbConfig::default())
		.unwrap()
		.to_collateral()
		.unwrap();
	(roots, anchors, evidence, collateral)
}

const NOW: u64 = 1_767_225_600;

#[test]
fn stored_collateral_still_expires() {
	let (_, anchors, evidence, collateral) = mock_setup(NOW);
	let Collateral::Tdx(c) = &collateral else {
		unreachable!()
	};
	let (stored, info) = VerifiedTdxCollateral::verify(c.clone(), &anchors, NOW).unwrap();
	let ok = verify_with_stored(&evidence, &anchors, StoredCollateral::Tdx(&stored), NOW);
	assert!(ok.is_ok(), "{ok:?}");
	let late = info.next_update + 1;
	let full = verify(&evidence, &anchors, &collateral, late).unwrap_err();
	let with_stored =
		verify_with_stored(&evidence, &anchors, StoredCollateral::Tdx(&stored), late).unwrap_err();
	assert_eq!(with_stored, full);
}

#[test]
fn stored_collateral_is_refused_under_another_intel_root() {
	let (_, anchors, evidence, collateral) = mock_setup(NOW);
	let Collateral::Tdx(c) = &collateral else {
		unreachable!()
	};
	let (stored, _) = VerifiedTdxCollateral::verify(c.clone(), &anchors, NOW).unwrap();
	let other = DevRoots::from_seed(b"another root")
		.unwrap()
		.trust_anchors()
		.unwrap();
	let err =
		verify_with_stored(&evidence, &other, StoredCollateral::Tdx(&stored), NOW).unwrap_err();
	assert_eq!(err, VerifyError::Tdx(TdxError::CollateralUnderOtherRoot));
}

#[test]
fn a_quote_from_another_pck_ca_is_still_checked_against_the_root() {
	// The quote's PCK CA is trusted without its signature only when it is the stored CA; a
	// quote from a different hierarchy must still fail the chain check.
	let (_, anchors, _, collateral) = mock_setup(NOW);
	let Collateral::Tdx(c) = &collateral else {
		unreachable!()
	};
	let (stored, _) = VerifiedTdxCollateral::verify(c.clone(), &anchors, NOW).unwrap();
	let foreign = DevRoots::from_seed(b"another root")
		.unwrap()
		.mint_tdx_evidence(&TdxQuoteParams::default())
		.unwrap();
	let full = verify(&foreign, &anchors, &collateral, NOW).unwrap_err();
	let with_stored =
		verify_with_stored(&foreign, &anchors, StoredCollateral::Tdx(&stored), NOW).unwrap_err();
	assert_eq!(with_stored, full);
}
