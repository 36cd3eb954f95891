//! Attacks on the verifier found by the review of issue 16, one test each, named after the
//! attack. Each failed before its fix.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use mock_tee::{DevRoots, TdxQuoteParams, TdxTcbConfig};
use tee_verifier::{
	verify, verify_collateral, CertError, CertRole, Collateral, TdxError, VerifyError,
};

const NOW: u64 = 1_767_225_600;

fn tdx_collateral(roots: &DevRoots, config: &TdxTcbConfig) -> Collateral {
	roots
		.tdx_collateral(NOW, config)
		.unwrap()
		.to_collateral()
		.unwrap()
}

/// Item 7: a certificate the root issued for another role (here the PCK CA) cannot sign TCB
/// Info and QE Identity: only Intel's TCB Signing certificate may.
#[test]
fn tcb_info_signed_by_a_pck_ca_is_refused() {
	let roots = DevRoots::dev().unwrap();
	let anchors = roots.trust_anchors().unwrap();
	let evidence = roots.mint_tdx_evidence(&TdxQuoteParams::default()).unwrap();
	let collateral = tdx_collateral(
		&roots,
		&TdxTcbConfig {
			sign_documents_with_pck_ca: true,
			..Default::default()
		},
	);
	let wrong_role = TdxError::Certificate(CertRole::TcbSigning, CertError::WrongRole);
	assert_eq!(
		verify(&evidence, &anchors, &collateral, NOW).unwrap_err(),
		VerifyError::Tdx(wrong_role)
	);
	assert_eq!(
		verify_collateral(&collateral, &anchors, NOW).unwrap_err(),
		VerifyError::Tdx(wrong_role)
	);
	// The same documents signed by the TCB Signing certificate verify.
	let genuine = tdx_collateral(&roots, &TdxTcbConfig::default());
	assert!(verify(&evidence, &anchors, &genuine, NOW).is_ok());
}

fn td15_status(roots: &DevRoots, launch: [u8; 3], now_svn: [u8; 3]) -> tee_verifier::TcbStatus {
	let svn = |s: [u8; 3]| {
		let mut v = [0u8; 16];
		v[..3].copy_from_slice(&s);
		v
	};
	let evidence = roots
		.mint_tdx_evidence(&TdxQuoteParams {
			version: mock_tee::TdxQuoteVersion::V5Td15,
			tee_tcb_svn: svn(launch),
			tee_tcb_svn2: svn(now_svn),
			..Default::default()
		})
		.unwrap();
	let collateral = tdx_collateral(roots, &TdxTcbConfig::default());
	let anchors = roots.trust_anchors().unwrap();
	match verify(&evidence, &anchors, &collateral, NOW).unwrap() {
		tee_verifier::VerifiedClaims::Tdx(c) => c.tcb_status,
		other => panic!("not TDX: {other:?}"),
	}
}

/// Item 5: a TD 1.5 launched on an out-of-date TCB is "relaunch advised" (an acceptable status
/// under many policies) only as Intel's QVL says: the TDX module was out of date at launch and
/// TEE_TCB_SVN2 meets the latest TCB level. The default mock TCB Info has the levels
/// UpToDate (TDX components 5,0,3) and OutOfDate (3,0,2), and TDX module 1 levels
/// UpToDate (ISVSVN 4) and OutOfDate (2).
#[test]
fn td_relaunch_advised_only_when_qvl_says_so() {
	use tee_verifier::TcbStatus::{OutOfDate, TDRelaunchAdvised};
	let roots = DevRoots::dev().unwrap();
	// Module out of date at launch (ISVSVN 2), everything at the latest level now.
	assert_eq!(td15_status(&roots, [2, 1, 2], [4, 1, 3]), TDRelaunchAdvised);
	// The module was up to date at launch (only component 2 was old): no relaunch fixes
	// what is out of date, so it stays OutOfDate.
	assert_eq!(td15_status(&roots, [4, 1, 2], [4, 1, 3]), OutOfDate);
	// Module version 0 (no module identity): never relaunch advised.
	assert_eq!(td15_status(&roots, [3, 0, 2], [5, 0, 3]), OutOfDate);
	// The module is current now, but component 2 is still below the latest level.
	assert_eq!(td15_status(&roots, [2, 1, 2], [4, 1, 2]), OutOfDate);
}

/// Item 7, AMD: a certificate issued by the ASK but named for another role (here the ASK's own
/// name) is not a VCEK, even though its signature chain is genuine.
#[test]
fn a_vek_named_for_another_role_is_refused() {
	use mock_tee::{AmdProduct, SnpReportParams};
	let roots = DevRoots::dev().unwrap();
	let anchors = roots.trust_anchors_for(&[AmdProduct::Milan]).unwrap();
	let mint = |common_name: Option<&str>| {
		let mut params = SnpReportParams::new(AmdProduct::Milan);
		params.vek.common_name = common_name.map(str::to_string);
		roots.mint_snp_evidence(&params).unwrap()
	};
	let crls = Collateral::Snp(Default::default());
	assert!(verify(&mint(None), &anchors, &crls, NOW).is_ok());
	assert_eq!(
		verify(&mint(Some("SEV-Milan")), &anchors, &crls, NOW).unwrap_err(),
		VerifyError::Snp(tee_verifier::SnpError::Certificate(
			CertRole::Vek,
			CertError::WrongRole
		))
	);
}
