//! Collateral uploads: verified on their own against the anchors, before a chain stores them.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

mod common;

use tee_verifier::{
	collateral_id, verify, verify_collateral, Collateral, CollateralId, CollateralPart, TdxError,
	VerifiedClaims, VerifyError,
};

/// Every real TDX collateral that verifies with its quote also verifies on its own, names the
/// quote's FMSPC, and expires no later than the claims say.
#[test]
fn real_tdx_collateral_verifies_on_its_own_for_the_quotes_platform() {
	let anchors = common::trust_anchors(&common::vectors_dir());
	let mut checked = 0;
	for case in common::cases().into_iter().filter(|c| c.kind == "tdx") {
		let Ok(VerifiedClaims::Tdx(claims)) =
			verify(&case.evidence, &anchors, &case.collateral, case.now)
		else {
			continue;
		};
		let info = verify_collateral(&case.collateral, &anchors, case.now)
			.unwrap_or_else(|e| panic!("{}: {e}", case.id));
		assert_eq!(
			info.id,
			CollateralId::Tdx {
				fmspc: claims.fmspc
			},
			"{}",
			case.id
		);
		assert_eq!(
			collateral_id(&case.evidence).unwrap(),
			info.id,
			"{}",
			case.id
		);
		assert_eq!(
			info.tcb_evaluation_data_number,
			claims.tcb_evaluation_data_number
		);
		assert!(
			info.issued_at <= case.now && case.now < info.next_update,
			"{}",
			case.id
		);
		checked += 1;
	}
	assert!(checked >= 3, "too few verifiable TDX cases: {checked}");
}

#[test]
fn expired_tdx_collateral_is_refused() {
	let case = common::case("tdx-v4-collateral-expired");
	let anchors = common::trust_anchors(&common::vectors_dir());
	let err = verify_collateral(&case.collateral, &anchors, case.now).unwrap_err();
	assert!(
		matches!(err, VerifyError::Tdx(TdxError::CollateralExpired(_))),
		"{err:?}"
	);
}

#[test]
fn tampered_tcb_info_is_refused() {
	let case = common::case("tdx-v4-uptodate");
	let anchors = common::trust_anchors(&common::vectors_dir());
	let Collateral::Tdx(mut c) = case.collateral.clone() else {
		unreachable!()
	};
	let mut json = c.tcb_info.into_inner();
	let at = json.len() / 2;
	json[at] ^= 1;
	c.tcb_info = json.try_into().unwrap();
	let err = verify_collateral(&Collateral::Tdx(c), &anchors, case.now).unwrap_err();
	assert_eq!(
		err,
		VerifyError::Tdx(TdxError::CollateralSignatureInvalid(
			CollateralPart::TcbInfo
		))
	);
}

#[test]
fn collateral_needs_an_intel_root() {
	let case = common::case("tdx-v4-uptodate");
	let mut anchors = common::trust_anchors(&common::vectors_dir());
	anchors.intel_root_ca = None;
	assert_eq!(
		verify_collateral(&case.collateral, &anchors, case.now).unwrap_err(),
		VerifyError::Tdx(TdxError::NoIntelRoot)
	);
}

#[test]
fn an_empty_amd_crl_set_is_refused_and_snp_evidence_names_the_crl_set() {
	let case = common::case("snp-milan-v2");
	let anchors = common::trust_anchors(&common::vectors_dir());
	assert!(verify_collateral(&case.collateral, &anchors, case.now).is_err());
	assert_eq!(collateral_id(&case.evidence).unwrap(), CollateralId::Snp);
}
