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
	snp::VerifiedAmdCrl, verify, verify_with_stored, Collateral, Evidence, StoredCollateral,
	TdxError, VerifiedTdxCollateral, VerifyError,
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

/// The CRL a chain would hold for the evidence's product: one of `crls` that verifies at `now`
/// under a trusted ARK and is that product's.
fn stored_crl(
	evidence: &Evidence,
	crls: &tee_verifier::SnpCollateral,
	anchors: &tee_verifier::TrustAnchors,
	now: u64,
) -> Option<VerifiedAmdCrl> {
	let Evidence::Snp { report, vek_der } = evidence else {
		return None;
	};
	let product = tee_verifier::snp::product_of(report, vek_der, anchors).ok()?;
	crls.crls
		.iter()
		.filter_map(|der| VerifiedAmdCrl::verify(der, anchors, now).ok())
		.find(|crl| crl.product() == product)
}

#[test]
fn every_real_snp_case_has_the_same_outcome_with_a_known_vek() {
	let anchors = common::trust_anchors(&common::vectors_dir());
	let mut compared = 0;
	for case in common::cases() {
		let Collateral::Snp(crls) = &case.collateral else {
			continue;
		};
		let full = verify(&case.evidence, &anchors, &case.collateral, case.now);
		let unknown = verify_with_stored(
			&case.evidence,
			&anchors,
			StoredCollateral::Snp(
				stored_crl(&case.evidence, crls, &anchors, case.now).as_ref(),
				None,
			),
			case.now,
		);
		assert_eq!(unknown, full, "{}", case.id);
		if let Ok(tee_verifier::VerifiedClaims::Snp(claims)) = &full {
			let stored = stored_crl(&case.evidence, crls, &anchors, case.now);
			let known = verify_with_stored(
				&case.evidence,
				&anchors,
				StoredCollateral::Snp(stored.as_ref(), Some(claims.known_vek)),
				case.now,
			);
			assert_eq!(known, full, "{}", case.id);
			// Time is still checked with a known VEK.
			let late = claims.certs_expire_at + 1;
			let full_late = verify(&case.evidence, &anchors, &case.collateral, late);
			let known_late = verify_with_stored(
				&case.evidence,
				&anchors,
				StoredCollateral::Snp(stored.as_ref(), Some(claims.known_vek)),
				late,
			);
			assert!(full_late.is_err(), "{}", case.id);
			assert_eq!(known_late, full_late, "{}", case.id);
			compared += 1;
		}
	}
	assert!(compared >= 4, "only {compared} SNP cases compared");
}

#[test]
fn a_known_vek_only_skips_checks_for_exactly_that_certificate() {
	let case = common::case("snp-milan-v2");
	let anchors = common::trust_anchors(&common::vectors_dir());
	let Ok(tee_verifier::VerifiedClaims::Snp(claims)) =
		verify(&case.evidence, &anchors, &case.collateral, case.now)
	else {
		panic!("snp-milan-v2 verifies");
	};
	// The VEK's signature (its last bytes) flipped: its hash is no longer the known one, so
	// the chain is verified in full and fails.
	let Evidence::Snp { report, vek_der } = &case.evidence else {
		unreachable!()
	};
	let mut bad = vek_der.to_vec();
	let last = bad.len() - 1;
	bad[last] ^= 0x01;
	let tampered = Evidence::Snp {
		report: report.clone(),
		vek_der: bad.try_into().unwrap(),
	};
	let full = verify(&tampered, &anchors, &case.collateral, case.now).unwrap_err();
	let known = verify_with_stored(
		&tampered,
		&anchors,
		StoredCollateral::Snp(None, Some(claims.known_vek)),
		case.now,
	)
	.unwrap_err();
	assert_eq!(known, full);
	// A known entry naming another chain (other anchors) does not apply either.
	let mut other = claims.known_vek;
	other.chain_sha256[0] ^= 1;
	let with_other = verify_with_stored(
		&case.evidence,
		&anchors,
		StoredCollateral::Snp(None, Some(other)),
		case.now,
	);
	assert!(with_other.is_ok());
}

/// A PCK certificate of the Processor CA, revoked on the Processor CA's CRL only.
fn processor_platform_revoked(roots: &DevRoots) -> (Evidence, mock_tee::TdxPlatform, Vec<u8>) {
	let platform = mock_tee::TdxPlatform {
		pck_ca: mock_tee::PckCa::Processor,
		..Default::default()
	};
	let evidence = roots
		.mint_tdx_evidence(&TdxQuoteParams {
			platform: platform.clone(),
			..Default::default()
		})
		.unwrap();
	let serial = roots.pck_serial(&platform).unwrap();
	(evidence, platform, serial)
}

fn collateral_of(roots: &DevRoots, pck_ca: mock_tee::PckCa, revoked: &[Vec<u8>]) -> Collateral {
	roots
		.tdx_collateral(
			NOW,
			&TdxTcbConfig {
				pck_ca,
				revoked_pck_serials: revoked.to_vec(),
				..Default::default()
			},
		)
		.unwrap()
		.to_collateral()
		.unwrap()
}

#[test]
fn a_revoked_pck_cannot_hide_behind_the_other_pck_cas_crl() {
	let roots = DevRoots::dev().unwrap();
	let anchors = roots.trust_anchors().unwrap();
	let (evidence, _, serial) = processor_platform_revoked(&roots);
	// Its own CA's CRL lists it; the Platform CA's CRL (also genuine) does not.
	let own = collateral_of(&roots, mock_tee::PckCa::Processor, &[serial]);
	let other = collateral_of(&roots, mock_tee::PckCa::Platform, &[]);
	let revoked = VerifyError::Tdx(TdxError::Certificate(
		tee_verifier::CertRole::PckLeaf,
		tee_verifier::CertError::Revoked,
	));
	assert_eq!(verify(&evidence, &anchors, &own, NOW).unwrap_err(), revoked);
	let full_other = verify(&evidence, &anchors, &other, NOW).unwrap_err();
	for collateral in [&own, &other] {
		let Collateral::Tdx(c) = collateral else {
			unreachable!()
		};
		let (stored, _) = VerifiedTdxCollateral::verify(c.clone(), &anchors, NOW).unwrap();
		let with_stored =
			verify_with_stored(&evidence, &anchors, StoredCollateral::Tdx(&stored), NOW);
		let full = verify(&evidence, &anchors, collateral, NOW);
		assert_eq!(with_stored, full);
	}
	// A CRL of another CA is refused by name, before its signature is even looked at.
	assert_eq!(full_other, VerifyError::Tdx(TdxError::PckCrlIssuerMismatch));
}

/// A stored AMD CRL gives the verdict of full verification with its DER: a revoked ASK or VEK,
/// an expired CRL, another product's CRL (which does not apply), a clean CRL.
#[test]
fn a_stored_amd_crl_has_the_same_outcome_as_its_der() {
	use mock_tee::{AmdProduct, SnpReportParams};
	let roots = DevRoots::dev().unwrap();
	let anchors = roots
		.trust_anchors_for(&[AmdProduct::Milan, AmdProduct::Genoa])
		.unwrap();
	let evidence = roots
		.mint_snp_evidence(&SnpReportParams::new(AmdProduct::Milan))
		.unwrap();
	let Evidence::Snp { vek_der, .. } = &evidence else {
		unreachable!()
	};
	let vek_serial = {
		use der::Decode;
		x509_cert::Certificate::from_der(vek_der)
			.unwrap()
			.tbs_certificate()
			.serial_number()
			.as_bytes()
			.to_vec()
	};
	let ask_serial = {
		use der::Decode;
		let ask = roots.amd_roots(AmdProduct::Milan).unwrap().ask;
		x509_cert::Certificate::from_der(&ask)
			.unwrap()
			.tbs_certificate()
			.serial_number()
			.as_bytes()
			.to_vec()
	};
	let day = 86_400;
	let cases: Vec<(&str, Vec<u8>, u64)> = vec![
		(
			"clean",
			roots
				.amd_crl(AmdProduct::Milan, NOW - day, NOW + 30 * day, &[])
				.unwrap(),
			NOW,
		),
		(
			"ASK revoked",
			roots
				.amd_crl(AmdProduct::Milan, NOW - day, NOW + 30 * day, &[ask_serial])
				.unwrap(),
			NOW,
		),
		(
			"VEK revoked",
			roots
				.amd_crl(AmdProduct::Milan, NOW - day, NOW + 30 * day, &[vek_serial])
				.unwrap(),
			NOW,
		),
		(
			"expired",
			roots
				.amd_crl(AmdProduct::Milan, NOW - day, NOW + 30 * day, &[])
				.unwrap(),
			NOW + 31 * day,
		),
		(
			"another product's",
			roots
				.amd_crl(AmdProduct::Genoa, NOW - day, NOW + 30 * day, &[])
				.unwrap(),
			NOW,
		),
	];
	for (what, der, at) in cases {
		let collateral = tee_verifier::SnpCollateral {
			crls: vec![der.clone().try_into().unwrap()].try_into().unwrap(),
		};
		let full = verify(&evidence, &anchors, &Collateral::Snp(collateral), at);
		// Stored when it was current (at upload); applied at `at`.
		let stored = VerifiedAmdCrl::verify(&der, &anchors, NOW).unwrap();
		let product = tee_verifier::snp::product_of(
			match &evidence {
				Evidence::Snp { report, .. } => report,
				_ => unreachable!(),
			},
			vek_der,
			&anchors,
		)
		.unwrap();
		let lookup = (stored.product() == product).then_some(&stored);
		let with_stored =
			verify_with_stored(&evidence, &anchors, StoredCollateral::Snp(lookup, None), at);
		assert_eq!(with_stored, full, "{what}");
		match what {
			"clean" => assert!(matches!(
				full,
				Ok(tee_verifier::VerifiedClaims::Snp(ref c)) if c.crl_checked
			)),
			"another product's" => assert!(matches!(
				full,
				Ok(tee_verifier::VerifiedClaims::Snp(ref c)) if !c.crl_checked
			)),
			_ => assert!(full.is_err(), "{what}"),
		}
	}
}
