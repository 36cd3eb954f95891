//! Minted evidence through the real verifier: `tee_verifier::verify` with the mock roots as
//! trust anchors, then the default `Policy`. Positive cases must be accepted; every negative
//! case must be refused by verification or by policy, as the real hardware case would be.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects,
	missing_docs
)]

use std::sync::OnceLock;

use mock_tee::*;
use tee_verifier::{
	verify, CertError, CertRole, Collateral, Evidence, Policy, SnpError, TdxError, TrustAnchors,
	VerifiedClaims, VerifyError, Violation,
};

/// 2026-01-01T00:00:00Z.
const NOW: u64 = 1_767_225_600;
const DAY: u64 = 86_400;

fn roots() -> &'static DevRoots {
	static ROOTS: OnceLock<DevRoots> = OnceLock::new();
	ROOTS.get_or_init(|| DevRoots::from_seed(b"mock-tee roundtrip tests").unwrap())
}

fn anchors() -> &'static TrustAnchors {
	static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
	ANCHORS.get_or_init(|| roots().trust_anchors().unwrap())
}

fn tdx_collateral(cfg: &TdxTcbConfig) -> Collateral {
	roots()
		.tdx_collateral(NOW, cfg)
		.unwrap()
		.to_collateral()
		.unwrap()
}

fn no_crls() -> Collateral {
	Collateral::Snp(Default::default())
}

fn accepted(evidence: &Evidence, collateral: &Collateral, now: u64) -> VerifiedClaims {
	let claims = verify(evidence, anchors(), collateral, now)
		.unwrap_or_else(|e| panic!("verification failed: {e:?}"));
	Policy::default()
		.check(&claims)
		.unwrap_or_else(|v| panic!("policy rejected: {v}"));
	claims
}

/// Verifies, but the default policy refuses it, for (at least) `why`.
fn refused_by_policy(
	evidence: &Evidence,
	collateral: &Collateral,
	why: Violation,
) -> VerifiedClaims {
	let claims = verify(evidence, anchors(), collateral, NOW)
		.unwrap_or_else(|e| panic!("verification failed: {e:?}"));
	match Policy::default().check(&claims) {
		Ok(()) => panic!("policy accepted {claims:?}"),
		Err(v) => assert!(v.contains(&why), "refused for {v}, expected {why:?}"),
	}
	claims
}

fn refused_by_verify(evidence: &Evidence, collateral: &Collateral, now: u64) -> VerifyError {
	match verify(evidence, anchors(), collateral, now) {
		Ok(claims) => panic!("verification accepted: {claims:?}"),
		Err(e) => {
			eprintln!("refused as expected: {e:?}");
			e
		}
	}
}

/// Refused by either step (for cases where which step refuses is the verifier's choice).
fn refused(evidence: &Evidence, collateral: &Collateral) {
	if let Ok(claims) = verify(evidence, anchors(), collateral, NOW) {
		assert!(
			Policy::default().check(&claims).is_err(),
			"accepted: {claims:?}"
		);
	}
}

fn tdx(params: &TdxQuoteParams) -> Evidence {
	roots().mint_tdx_evidence(params).unwrap()
}

fn quote_bytes(e: &Evidence) -> Vec<u8> {
	match e {
		Evidence::Tdx { quote } => quote.to_vec(),
		_ => unreachable!(),
	}
}

// ---------------------------------------------------------------------------------------------
// TDX
// ---------------------------------------------------------------------------------------------

#[test]
fn tdx_v4_quote_is_accepted_with_its_measurements() {
	let params = TdxQuoteParams {
		report_data: [0xAB; 64],
		mr_td: [1; 48],
		mr_config_id: [2; 48],
		mr_owner: [3; 48],
		rtmr: [[4; 48], [5; 48], [6; 48], [7; 48]],
		..Default::default()
	};
	let claims = accepted(
		&tdx(&params),
		&tdx_collateral(&TdxTcbConfig::default()),
		NOW,
	);
	let VerifiedClaims::Tdx(c) = claims else {
		panic!("not TDX claims")
	};
	assert_eq!(c.quote_version, 4);
	assert_eq!(c.report_data, [0xAB; 64]);
	assert_eq!(c.mr_td, [1; 48]);
	assert_eq!(c.mr_config_id, [2; 48]);
	assert_eq!(c.mr_owner, [3; 48]);
	assert_eq!(c.rtmr, [[4; 48], [5; 48], [6; 48], [7; 48]]);
	assert_eq!(c.tcb_status, tee_verifier::TcbStatus::UpToDate);
	assert!(c.advisory_ids.is_empty());
	assert_eq!(c.fmspc, TdxPlatform::default().fmspc);
}

#[test]
fn tdx_v5_quotes_are_accepted() {
	for version in [TdxQuoteVersion::V5Td10, TdxQuoteVersion::V5Td15] {
		let e = tdx(&TdxQuoteParams {
			version,
			..Default::default()
		});
		let claims = accepted(&e, &tdx_collateral(&TdxTcbConfig::default()), NOW);
		let VerifiedClaims::Tdx(c) = claims else {
			panic!("not TDX claims")
		};
		assert_eq!(c.quote_version, 5, "{version:?}");
	}
}

#[test]
fn mint_evidence_binds_report_data() {
	let rd = [0x5A; 64];
	for tee in [tee_verifier::Tee::Tdx, tee_verifier::Tee::Snp] {
		let e = roots().mint_evidence(tee, rd).unwrap();
		let col = roots().default_collateral(tee, NOW).unwrap();
		let claims = accepted(&e, &col, NOW);
		assert_eq!(claims.report_data(), &rd);
		assert_eq!(claims.tee(), tee);
	}
}

#[test]
fn tdx_rejects_debug_td() {
	let e = tdx(&TdxQuoteParams {
		td_attributes: TD_ATTR_SEPT_VE_DISABLE | TD_ATTR_DEBUG,
		..Default::default()
	});
	let col = tdx_collateral(&TdxTcbConfig::default());
	// Verification may report it (then policy refuses) or refuse it outright.
	if let Ok(claims) = verify(&e, anchors(), &col, NOW) {
		assert!(claims.debug());
		assert!(Policy::default().check(&claims).is_err());
	}
}

#[test]
fn tdx_out_of_date_verifies_with_advisories_and_policy_refuses() {
	let e = tdx(&TdxQuoteParams::default());
	let col = tdx_collateral(&TdxTcbConfig::with_platform_status(
		TcbStatus::OutOfDate,
		&["INTEL-SA-00999", "INTEL-SA-01000"],
	));
	let VerifiedClaims::Tdx(c) = refused_by_policy(
		&e,
		&col,
		Violation::TcbStatusNotAccepted(tee_verifier::TcbStatus::OutOfDate),
	) else {
		panic!("not TDX")
	};
	assert_eq!(c.tcb_status, tee_verifier::TcbStatus::OutOfDate);
	let ids: Vec<&[u8]> = c.advisory_ids.iter().map(|a| a.as_slice()).collect();
	assert_eq!(ids, vec![&b"INTEL-SA-00999"[..], &b"INTEL-SA-01000"[..]]);

	// An older platform lands on the OutOfDate level of the default collateral.
	let old = tdx(&TdxQuoteParams {
		platform: TdxPlatform {
			cpu_svn: [2, 2, 2, 2, 3, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0],
			pce_svn: 5,
			..Default::default()
		},
		..Default::default()
	});
	let VerifiedClaims::Tdx(c) = refused_by_policy(
		&old,
		&tdx_collateral(&TdxTcbConfig::default()),
		Violation::TcbStatusNotAccepted(tee_verifier::TcbStatus::OutOfDate),
	) else {
		panic!("not TDX")
	};
	assert_eq!(c.tcb_status, tee_verifier::TcbStatus::OutOfDate);
	assert!(!c.advisory_ids.is_empty());
}

#[test]
fn tdx_rejects_revoked_tcb() {
	let e = tdx(&TdxQuoteParams::default());
	refused(
		&e,
		&tdx_collateral(&TdxTcbConfig::with_platform_status(TcbStatus::Revoked, &[])),
	);
}

#[test]
fn tdx_rejects_platform_below_every_tcb_level() {
	let e = tdx(&TdxQuoteParams {
		platform: TdxPlatform {
			cpu_svn: [1; 16],
			pce_svn: 1,
			..Default::default()
		},
		..Default::default()
	});
	refused_by_verify(&e, &tdx_collateral(&TdxTcbConfig::default()), NOW);
}

#[test]
fn tdx_rejects_expired_and_not_yet_valid_collateral() {
	let e = tdx(&TdxQuoteParams::default());
	let col = tdx_collateral(&TdxTcbConfig::default());
	// Default collateral: issued NOW - 1 day, valid 30 days.
	accepted(&e, &col, NOW + 28 * DAY);
	let err = refused_by_verify(&e, &col, NOW + 30 * DAY);
	assert!(
		matches!(err, VerifyError::Tdx(TdxError::CollateralExpired(_))),
		"{err:?}"
	);
	let err = refused_by_verify(&e, &col, NOW - 2 * DAY);
	assert!(
		matches!(err, VerifyError::Tdx(TdxError::CollateralNotYetValid(_))),
		"{err:?}"
	);
	// Collateral minted 40 days ago has expired at NOW.
	let old = roots()
		.tdx_collateral(NOW - 40 * DAY, &TdxTcbConfig::default())
		.unwrap()
		.to_collateral()
		.unwrap();
	refused_by_verify(&e, &old, NOW);
}

#[test]
fn tdx_rejects_revoked_pck() {
	let mut cfg = TdxTcbConfig::default();
	cfg.revoked_pck_serials
		.push(roots().pck_serial(&TdxPlatform::default()).unwrap());
	let err = refused_by_verify(&tdx(&TdxQuoteParams::default()), &tdx_collateral(&cfg), NOW);
	assert_eq!(
		err,
		VerifyError::Tdx(TdxError::Certificate(CertRole::PckLeaf, CertError::Revoked))
	);
}

#[test]
fn tdx_rejects_quote_from_other_roots() {
	let other = DevRoots::from_seed(b"someone else's dev roots").unwrap();
	let e = other.mint_tdx_evidence(&TdxQuoteParams::default()).unwrap();
	// With our collateral, and with the other roots' own collateral.
	refused_by_verify(&e, &tdx_collateral(&TdxTcbConfig::default()), NOW);
	let theirs = other.tdx_collateral(NOW, &TdxTcbConfig::default()).unwrap();
	refused_by_verify(&e, &theirs.to_collateral().unwrap(), NOW);
}

#[test]
fn tdx_fails_under_real_intel_root() {
	let real = std::fs::read(concat!(
		env!("CARGO_MANIFEST_DIR"),
		"/../../testvectors/roots/intel/sgx_root_ca.der"
	))
	.unwrap();
	let anchors = TrustAnchors {
		intel_root_ca: Some(real.try_into().unwrap()),
		amd: Default::default(),
	};
	let e = tdx(&TdxQuoteParams::default());
	let r = verify(&e, &anchors, &tdx_collateral(&TdxTcbConfig::default()), NOW);
	assert!(r.is_err(), "{r:?}");
}

#[test]
fn tdx_rejects_flipped_bytes() {
	let good = quote_bytes(&tdx(&TdxQuoteParams::default()));
	let col = tdx_collateral(&TdxTcbConfig::default());
	// Header, TD report body, quote signature, attestation key, QE report, QE report
	// signature, QE auth data, PCK chain (leaf and CA certificates).
	let sig_data = 48 + 584 + 4;
	let qe_cert = sig_data + 128 + 6;
	let positions = [
		0,
		8,
		30,
		48,
		48 + 200,
		48 + 520,
		48 + 583,
		sig_data + 10,
		sig_data + 63,
		sig_data + 64,
		sig_data + 127,
		qe_cert + 50,
		qe_cert + 320,
		qe_cert + 384 + 5,
		qe_cert + 384 + 64 + 2 + 3,
		qe_cert + 384 + 64 + 2 + 32 + 6 + 300,
		qe_cert + 384 + 64 + 2 + 32 + 6 + 1200,
	];
	for pos in positions {
		let mut q = good.clone();
		q[pos] ^= 0x01;
		let e = tdx_evidence(q).unwrap();
		let err = refused_by_verify(&e, &col, NOW);
		assert!(matches!(err, VerifyError::Tdx(_)), "flip at {pos}: {err:?}");
	}
}

#[test]
fn tdx_rejects_tampered_collateral() {
	let e = tdx(&TdxQuoteParams::default());
	let c = roots()
		.tdx_collateral(NOW, &TdxTcbConfig::default())
		.unwrap();
	let mut t = c.clone();
	t.tcb_info = t.tcb_info.replacen(
		"\"tcbEvaluationDataNumber\":17",
		"\"tcbEvaluationDataNumber\":18",
		1,
	);
	refused_by_verify(&e, &t.to_collateral().unwrap(), NOW);
	let mut t = c.clone();
	t.qe_identity = t
		.qe_identity
		.replacen("\"isvprodid\":2", "\"isvprodid\":3", 1);
	refused_by_verify(&e, &t.to_collateral().unwrap(), NOW);
	let mut t = c.clone();
	t.tcb_info_signature[5] ^= 1;
	refused_by_verify(&e, &t.to_collateral().unwrap(), NOW);
	let mut t = c.clone();
	let last = t.pck_crl.len() - 3;
	t.pck_crl[last] ^= 1;
	refused_by_verify(&e, &t.to_collateral().unwrap(), NOW);
	let mut t = c;
	let last = t.root_ca_crl.len() - 3;
	t.root_ca_crl[last] ^= 1;
	refused_by_verify(&e, &t.to_collateral().unwrap(), NOW);
}

// ---------------------------------------------------------------------------------------------
// SEV-SNP
// ---------------------------------------------------------------------------------------------

fn snp(params: &SnpReportParams) -> Evidence {
	roots().mint_snp_evidence(params).unwrap()
}

#[test]
fn snp_vcek_and_vlek_reports_are_accepted_for_every_product() {
	for product in AmdProduct::ALL {
		for key in [SnpSigningKey::Vcek, SnpSigningKey::Vlek] {
			let params = SnpReportParams {
				signing_key: key,
				report_data: [0x42; 64],
				measurement: [0x17; 48],
				host_data: [0x99; 32],
				..SnpReportParams::new(product)
			};
			let claims = accepted(&snp(&params), &no_crls(), NOW);
			let VerifiedClaims::Snp(c) = claims else {
				panic!("not SNP claims")
			};
			assert_eq!(c.product, product.to_verifier(), "{product:?} {key:?}");
			let expected_key = match key {
				SnpSigningKey::Vcek => tee_verifier::SigningKeyKind::Vcek,
				SnpSigningKey::Vlek => tee_verifier::SigningKeyKind::Vlek,
			};
			assert_eq!(c.signing_key, expected_key);
			assert_eq!(c.report_data, [0x42; 64]);
			assert_eq!(c.measurement, [0x17; 48]);
			assert_eq!(c.host_data, [0x99; 32]);
			assert_eq!(c.vmpl, 0);
			assert_eq!(
				c.reported_tcb.raw,
				u64::from_le_bytes(SnpTcb::default_for(product).to_bytes(product))
			);
		}
	}
}

#[test]
fn snp_report_versions_2_3_5_are_accepted() {
	for version in [2, 3, 5] {
		let params = SnpReportParams {
			version,
			launch_mit_vector: 3,
			current_mit_vector: 7,
			..SnpReportParams::new(AmdProduct::Milan)
		};
		let VerifiedClaims::Snp(c) = accepted(&snp(&params), &no_crls(), NOW) else {
			panic!("not SNP")
		};
		assert_eq!(c.report_version, version);
		if version == 5 {
			assert_eq!(c.launch_mit_vector, Some(3));
			assert_eq!(c.current_mit_vector, Some(7));
		}
	}
}

#[test]
fn snp_rejects_debug_policy() {
	let params = SnpReportParams {
		policy: POLICY_RESERVED_1 | POLICY_SMT | POLICY_DEBUG,
		..SnpReportParams::new(AmdProduct::Genoa)
	};
	let claims = refused_by_policy(&snp(&params), &no_crls(), Violation::Debug);
	assert!(claims.debug());
}

#[test]
fn snp_rejects_migration_agent_policy() {
	let params = SnpReportParams {
		policy: POLICY_RESERVED_1 | POLICY_SMT | POLICY_MIGRATE_MA,
		..SnpReportParams::new(AmdProduct::Milan)
	};
	refused_by_policy(&snp(&params), &no_crls(), Violation::Migration);
}

#[test]
fn snp_rejects_vmpl_1() {
	let params = SnpReportParams {
		vmpl: 1,
		..SnpReportParams::new(AmdProduct::Milan).with_vlek()
	};
	let VerifiedClaims::Snp(c) =
		refused_by_policy(&snp(&params), &no_crls(), Violation::WrongVmpl(1))
	else {
		panic!("not SNP")
	};
	assert_eq!(c.vmpl, 1);
}

#[test]
fn snp_rejects_vcek_of_another_chip() {
	for product in [AmdProduct::Milan, AmdProduct::Turin] {
		let params = SnpReportParams {
			vek: VekParams {
				hwid: Some(vec![0x33; product.hwid_len()]),
				..Default::default()
			},
			..SnpReportParams::new(product)
		};
		let e = refused_by_verify(&snp(&params), &no_crls(), NOW);
		assert_eq!(e, VerifyError::Snp(SnpError::ChipIdMismatch), "{product:?}");
	}
}

#[test]
fn snp_rejects_vcek_tcb_other_than_reported_tcb() {
	let product = AmdProduct::Genoa;
	let mut higher = SnpTcb::default_for(product);
	higher.snp += 1;
	// VCEK for a TCB that differs from REPORTED_TCB.
	let params = SnpReportParams {
		vek: VekParams {
			tcb: Some(higher),
			..Default::default()
		},
		..SnpReportParams::new(product)
	};
	let e = refused_by_verify(&snp(&params), &no_crls(), NOW);
	assert_eq!(e, VerifyError::Snp(SnpError::TcbMismatch));
	// CURRENT_TCB may differ from REPORTED_TCB: the VCEK follows REPORTED_TCB.
	let params = SnpReportParams {
		current_tcb: higher,
		..SnpReportParams::new(product)
	};
	accepted(&snp(&params), &no_crls(), NOW);
}

#[test]
fn snp_rejects_expired_vlek() {
	let params = SnpReportParams {
		vek: VekParams {
			not_before: NOW - 400 * DAY,
			not_after: NOW - DAY,
			..Default::default()
		},
		..SnpReportParams::new(AmdProduct::Milan).with_vlek()
	};
	let e = refused_by_verify(&snp(&params), &no_crls(), NOW);
	assert_eq!(
		e,
		VerifyError::Snp(SnpError::Certificate(CertRole::Vek, CertError::Expired))
	);
}

#[test]
fn snp_rejects_flipped_bytes() {
	let (report, vek) = roots()
		.mint_snp_report(&SnpReportParams::new(AmdProduct::Milan))
		.unwrap();
	for pos in [
		0x00, 0x08, 0x30, 0x50, 0x90, 0x180, 0x1A0, 0x29F, 0x2A0, 0x2E8, 0x2F0,
	] {
		let mut r = report.clone();
		r[pos] ^= 0x01;
		refused_by_verify(&snp_evidence(r, vek.clone()).unwrap(), &no_crls(), NOW);
	}
	// The VCEK certificate's signature and its TBS.
	for pos in [vek.len() - 10, vek.len() / 2] {
		let mut v = vek.clone();
		v[pos] ^= 0x01;
		refused_by_verify(&snp_evidence(report.clone(), v).unwrap(), &no_crls(), NOW);
	}
}

#[test]
fn snp_rejects_report_from_other_roots() {
	let other = DevRoots::from_seed(b"someone else's dev roots").unwrap();
	let (report, vek) = other
		.mint_snp_report(&SnpReportParams::new(AmdProduct::Milan))
		.unwrap();
	refused_by_verify(&snp_evidence(report, vek).unwrap(), &no_crls(), NOW);
}

#[test]
fn snp_fails_under_real_amd_roots() {
	let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testvectors/roots/amd");
	let read = |f: &str| {
		std::fs::read(format!("{dir}/{f}"))
			.unwrap()
			.try_into()
			.unwrap()
	};
	let anchors = TrustAnchors {
		intel_root_ca: None,
		amd: vec![tee_verifier::AmdProductAnchors {
			product: tee_verifier::SnpProduct::Milan,
			ark: read("ark_milan.der"),
			ask: Some(read("ask_milan.der")),
			asvk: Some(read("asvk_milan.der")),
		}]
		.try_into()
		.unwrap(),
	};
	let e = snp(&SnpReportParams::new(AmdProduct::Milan));
	let r = verify(&e, &anchors, &no_crls(), NOW);
	assert!(matches!(r, Err(VerifyError::Snp(_))), "{r:?}");
}

#[test]
fn snp_crl_revokes_ask() {
	let product = AmdProduct::Genoa;
	let e = snp(&SnpReportParams::new(product));
	// A CRL revoking nothing verifies; one revoking the ASK does not.
	let empty = roots().snp_collateral(&[product], NOW, &[]).unwrap();
	let VerifiedClaims::Snp(c) = accepted(&e, &empty, NOW) else {
		panic!("not SNP")
	};
	assert!(c.crl_checked);
	let ask = roots().amd_roots(product).unwrap().ask;
	let serial = ask_serial(&ask);
	let revoking = roots().snp_collateral(&[product], NOW, &[serial]).unwrap();
	let err = refused_by_verify(&e, &revoking, NOW);
	assert_eq!(
		err,
		VerifyError::Snp(SnpError::Certificate(CertRole::Ask, CertError::Revoked))
	);
	// A CRL past its nextUpdate is not usable.
	let stale = roots()
		.snp_collateral(&[product], NOW - 60 * DAY, &[])
		.unwrap();
	refused_by_verify(&e, &stale, NOW);
}

/// The serial number of a DER certificate (TBS, then optional [0] version, then INTEGER).
fn ask_serial(der: &[u8]) -> Vec<u8> {
	use der::Decode;
	let cert = x509_cert::Certificate::from_der(der).unwrap();
	cert.tbs_certificate().serial_number().as_bytes().to_vec()
}

// ---------------------------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------------------------

#[test]
fn same_seed_gives_identical_bytes() {
	let a = DevRoots::from_seed(b"mock-tee roundtrip tests").unwrap();
	assert_eq!(a.intel_root_ca_der(), roots().intel_root_ca_der());
	assert_eq!(
		&a.trust_anchors_for(&[AmdProduct::Milan]).unwrap().amd[0],
		&anchors().amd[0]
	);
	let p = SnpReportParams::new(AmdProduct::Milan);
	assert_eq!(
		a.mint_snp_report(&p).unwrap(),
		roots().mint_snp_report(&p).unwrap()
	);
	let q = TdxQuoteParams::default();
	assert_eq!(
		a.mint_tdx_quote(&q).unwrap(),
		roots().mint_tdx_quote(&q).unwrap()
	);
}
