//! SEV-SNP behaviour on real reports and tampered copies of them.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::type_complexity
)]

mod common;

use common::Case;
use der::Decode;
use tee_verifier::{
	verify, CertError, CertRole, Collateral, Policy, SigningKeyKind, SnpError, SnpProduct,
	TrustAnchors, VerifiedClaims, VerifyError, Violation,
};

fn anchors() -> TrustAnchors {
	common::trust_anchors(&common::vectors_dir())
}

fn run_with(
	report: &[u8],
	vek: &[u8],
	anchors: &TrustAnchors,
	now: u64,
) -> Result<VerifiedClaims, VerifyError> {
	verify(
		&common::snp_evidence(report.to_vec(), vek.to_vec()),
		anchors,
		&Collateral::Snp(Default::default()),
		now,
	)
}

fn run(_case: &Case, report: &[u8], vek: &[u8], now: u64) -> Result<(), VerifyError> {
	run_with(report, vek, &anchors(), now).map(|_| ())
}

fn snp_err(e: SnpError) -> Result<(), VerifyError> {
	Err(VerifyError::Snp(e))
}

fn claims(id: &str) -> tee_verifier::SnpClaims {
	let case = common::case(id);
	match verify(&case.evidence, &anchors(), &case.collateral, case.now).unwrap() {
		VerifiedClaims::Snp(c) => c,
		_ => panic!("not SNP"),
	}
}

#[test]
fn verified_claims_are_the_report_fields() {
	for id in [
		"snp-milan-v2",
		"snp-genoa-v3",
		"snp-milan-v5",
		"snp-milan-v3-vlek",
	] {
		let case = common::case(id);
		let (r, _) = common::snp_parts(&case.evidence);
		let c = claims(id);
		let u32_at = |o: usize| u32::from_le_bytes(r[o..o + 4].try_into().unwrap());
		let u64_at = |o: usize| u64::from_le_bytes(r[o..o + 8].try_into().unwrap());
		assert_eq!(c.report_version, u32_at(0), "{id}");
		assert_eq!(c.policy, u64_at(0x08), "{id}");
		assert_eq!(c.vmpl, u32_at(0x30), "{id}");
		assert_eq!(&c.report_data[..], &r[0x50..0x90], "{id}");
		assert_eq!(&c.measurement[..], &r[0x90..0xc0], "{id}");
		assert_eq!(&c.host_data[..], &r[0xc0..0xe0], "{id}");
		assert_eq!(c.reported_tcb.raw, u64_at(0x180), "{id}");
		assert_eq!(c.current_tcb.raw, u64_at(0x38), "{id}");
		assert_eq!(&c.chip_id[..], &r[0x1a0..0x1e0], "{id}");
		assert_eq!(c.launch_tcb.raw, u64_at(0x1f0), "{id}");
		assert_eq!(c.cpuid.is_some(), c.report_version >= 3, "{id}");
		assert_eq!(c.launch_mit_vector.is_some(), c.report_version >= 5, "{id}");
		assert!(!c.crl_checked);
	}
}

#[test]
fn decodes_milan_tcb_components() {
	// REPORTED_TCB 0x7308000000000003: microcode 0x73, SNP 8, TEE 0, bootloader 3.
	let c = claims("snp-milan-v2");
	assert_eq!(c.reported_tcb.raw, 0x7308_0000_0000_0003);
	let t = c.reported_tcb;
	assert_eq!(
		(t.fmc, t.bootloader, t.tee, t.snp, t.microcode),
		(None, 3, 0, 8, 0x73)
	);
	assert_eq!(c.product, SnpProduct::Milan);
	assert_eq!(c.signing_key, SigningKeyKind::Vcek);
}

#[test]
fn rejects_debug_guest_by_default() {
	let c = claims("snp-milan-v2-debug-policy");
	assert!(c.debug());
	let v = Policy::default()
		.check(&VerifiedClaims::Snp(c.clone()))
		.unwrap_err();
	assert_eq!(v.violations, vec![Violation::Debug]);
	let allow = Policy {
		allow_debug: true,
		..Policy::default()
	};
	assert_eq!(allow.check(&VerifiedClaims::Snp(c)), Ok(()));
}

#[test]
fn rejects_vmpl_1_by_default_and_accepts_it_when_required() {
	let c = VerifiedClaims::Snp(claims("snp-milan-v3-vlek"));
	let v = Policy::default().check(&c).unwrap_err();
	assert_eq!(v.violations, vec![Violation::WrongVmpl(1)]);
	let vmpl1 = Policy {
		snp_required_vmpl: 1,
		..Policy::default()
	};
	assert_eq!(vmpl1.check(&c), Ok(()));
}

#[test]
fn verifies_vlek_through_the_asvk() {
	let c = claims("snp-milan-v3-vlek");
	assert_eq!(c.signing_key, SigningKeyKind::Vlek);
	// Without the ASVK the VLEK has no trusted issuer (the ASK does not issue VLEKs).
	let mut a = anchors();
	for p in a.amd.iter_mut() {
		p.asvk = None;
	}
	let case = common::case("snp-milan-v3-vlek");
	assert_eq!(
		verify(&case.evidence, &a, &case.collateral, case.now).map(|_| ()),
		snp_err(SnpError::NoTrustAnchor)
	);
}

#[test]
fn rejects_expired_vlek() {
	let case = common::case("snp-vlek-expired");
	let (r, v) = common::snp_parts(&case.evidence);
	assert_eq!(
		run(&case, &r, &v, case.now),
		snp_err(SnpError::Certificate(CertRole::Vek, CertError::Expired))
	);
}

#[test]
fn rejects_flipped_bytes_in_each_report_region_with_the_right_error() {
	for id in [
		"snp-milan-v2",
		"snp-genoa-v3",
		"snp-milan-v5",
		"snp-milan-v3-vlek",
	] {
		let case = common::case(id);
		let (r, v) = common::snp_parts(&case.evidence);
		let flips: Vec<(&str, usize, u8, SnpError)> = vec![
			(
				"version",
				0x00,
				0x08,
				SnpError::UnsupportedReportVersion(r[0] as u32 ^ 8),
			),
			("guest SVN", 0x04, 0x01, SnpError::ReportSignatureInvalid),
			("policy", 0x08, 0x01, SnpError::ReportSignatureInvalid),
			("VMPL", 0x30, 0x01, SnpError::ReportSignatureInvalid),
			(
				"signature algorithm",
				0x34,
				0x02,
				SnpError::UnsupportedSignatureAlgorithm(3),
			),
			("REPORT_DATA", 0x60, 0x01, SnpError::ReportSignatureInvalid),
			("MEASUREMENT", 0x91, 0x01, SnpError::ReportSignatureInvalid),
			("HOST_DATA", 0xc5, 0x01, SnpError::ReportSignatureInvalid),
			(
				"REPORTED_TCB",
				0x180,
				0x01,
				SnpError::ReportSignatureInvalid,
			),
			("CHIP_ID", 0x1a3, 0x01, SnpError::ReportSignatureInvalid),
			("LAUNCH_TCB", 0x1f0, 0x01, SnpError::ReportSignatureInvalid),
			("reserved", 0x250, 0x01, SnpError::ReportSignatureInvalid),
			("signature r", 0x2a0, 0x01, SnpError::ReportSignatureInvalid),
			(
				"signature s",
				0x2e8 + 20,
				0x01,
				SnpError::ReportSignatureInvalid,
			),
			(
				"signature r high bytes",
				0x2a0 + 60,
				0x01,
				SnpError::ReportSignatureInvalid,
			),
			(
				"signature reserved",
				0x400,
				0x01,
				SnpError::ReportSignatureInvalid,
			),
		];
		for (what, at, mask, want) in flips {
			let mut t = r.clone();
			t[at] ^= mask;
			assert_eq!(run(&case, &t, &v, case.now), snp_err(want), "{id}: {what}");
		}
		// SIGNING_KEY bits: a VCEK report claiming VLEK (and the other way round).
		let mut t = r.clone();
		t[0x48] ^= 0x04;
		assert_eq!(
			run(&case, &t, &v, case.now),
			snp_err(SnpError::SigningKeyMismatch),
			"{id}"
		);
	}
}

#[test]
fn rejects_flipped_bytes_sampled_over_the_whole_report_and_certificate() {
	for id in ["snp-milan-v2", "snp-milan-v3-vlek"] {
		let case = common::case(id);
		let (r, v) = common::snp_parts(&case.evidence);
		for at in (0..r.len()).step_by(13) {
			let mut t = r.clone();
			t[at] ^= 0x01;
			assert!(
				run(&case, &t, &v, case.now).is_err(),
				"{id}: report byte {at} accepted"
			);
		}
		for at in (0..v.len()).step_by(11) {
			let mut t = v.clone();
			t[at] ^= 0x01;
			assert!(
				run(&case, &r, &t, case.now).is_err(),
				"{id}: certificate byte {at} accepted"
			);
		}
	}
}

#[test]
fn rejects_tampered_vek_certificate() {
	let case = common::case("snp-milan-v2");
	let (r, v) = common::snp_parts(&case.evidence);
	let mut t = v.clone();
	*t.last_mut().unwrap() ^= 1;
	assert_eq!(
		run(&case, &r, &t, case.now),
		snp_err(SnpError::Certificate(
			CertRole::Vek,
			CertError::SignatureInvalid
		))
	);
	// The hwID extension is inside the signed TBS.
	let hw_id = &r[0x1a0..0x1e0];
	let at = v.windows(64).position(|w| w == hw_id).unwrap();
	let mut t = v.clone();
	t[at + 5] ^= 1;
	assert_eq!(
		run(&case, &r, &t, case.now),
		snp_err(SnpError::Certificate(
			CertRole::Vek,
			CertError::SignatureInvalid
		))
	);
	assert_eq!(
		run(&case, &r, &[0x30, 0x00], case.now),
		snp_err(SnpError::Certificate(CertRole::Vek, CertError::Malformed))
	);
}

#[test]
fn accepts_vcek_with_non_positive_serial() {
	// These real VCEKs have serial number 0 (`02 01 00` right after the version), which RFC 5280
	// forbids and strict parsers reject.
	for id in ["snp-milan-v2", "snp-genoa-v3", "snp-milan-v5"] {
		let (_, v) = common::snp_parts(&common::case(id).evidence);
		assert_eq!(
			&v[8..16],
			&[0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x00],
			"{id}"
		);
		println!(
			"{id}: x509-cert 0.3 parses it: {}",
			x509_cert::Certificate::from_der(&v).is_ok()
		);
		assert_eq!(claims(id).signing_key, SigningKeyKind::Vcek);
	}
}

#[test]
fn rejects_wrong_root() {
	let case = common::case("snp-milan-v2");
	let dir = common::vectors_dir();
	let mut a = anchors();
	let milan = a
		.amd
		.iter_mut()
		.find(|p| p.product == SnpProduct::Milan)
		.unwrap();
	milan.ark = common::set_bytes(common::read(&dir.join("roots/amd/ark_genoa.der")));
	assert_eq!(
		verify(&case.evidence, &a, &case.collateral, case.now).map(|_| ()),
		snp_err(SnpError::Certificate(
			CertRole::Ask,
			CertError::IssuerMismatch
		))
	);
	let mut a = anchors();
	a.amd = a
		.amd
		.into_iter()
		.filter(|p| p.product != SnpProduct::Milan)
		.collect::<Vec<_>>()
		.try_into()
		.unwrap();
	assert_eq!(
		verify(&case.evidence, &a, &case.collateral, case.now).map(|_| ()),
		snp_err(SnpError::NoTrustAnchor)
	);
}

#[test]
fn rejects_product_mismatch_between_cpuid_and_chain() {
	// Pretend the Genoa ASK is Milan's: the chain then says Milan while CPUID says Genoa.
	let case = common::case("snp-genoa-v3");
	let mut a = anchors();
	for p in a.amd.iter_mut() {
		p.product = match p.product {
			SnpProduct::Genoa => SnpProduct::Milan,
			SnpProduct::Milan => SnpProduct::Genoa,
			other => other,
		};
	}
	assert_eq!(
		verify(&case.evidence, &a, &case.collateral, case.now).map(|_| ()),
		snp_err(SnpError::ProductMismatch)
	);
}

#[test]
fn rejects_every_time_outside_each_certificate_window() {
	for id in ["snp-milan-v2", "snp-milan-v3-vlek", "snp-genoa-v3"] {
		let case = common::case(id);
		let (r, v) = common::snp_parts(&case.evidence);
		let chain = common::pem_certs(
			&std::fs::read_to_string(case.dir.join(case.raw["chain"].as_str().unwrap())).unwrap(),
		);
		let window = |der: &[u8]| {
			x509_cert::Certificate::from_der(der).ok().map(|c| {
				let v = c.tbs_certificate().validity();
				(
					v.not_before.to_unix_duration().as_secs(),
					v.not_after.to_unix_duration().as_secs(),
				)
			})
		};
		let signer_role = if id.contains("vlek") {
			CertRole::Asvk
		} else {
			CertRole::Ask
		};
		// In the order the verifier checks them. x509-cert may refuse the VEK (non-positive
		// serial); its window is then only exercised through the expiry claim below.
		let ws: Vec<(CertRole, (u64, u64))> = [
			(CertRole::Root, window(&chain[1])),
			(signer_role, window(&chain[0])),
			(CertRole::Vek, window(&v)),
		]
		.into_iter()
		.filter_map(|(role, w)| w.map(|w| (role, w)))
		.collect();
		for (role, (a, b)) in &ws {
			for (t, early) in [(a - 1, true), (b + 1, false)] {
				let (first, _) = ws.iter().find(|(_, (a, b))| t < *a || t > *b).unwrap();
				let want = if early {
					CertError::NotYetValid
				} else {
					CertError::Expired
				};
				assert_eq!(
					run(&case, &r, &v, t),
					snp_err(SnpError::Certificate(*first, want)),
					"{id}: {role:?} {}",
					if early { "start - 1" } else { "end + 1" }
				);
			}
		}
		let c = claims(id);
		assert!(
			run(&case, &r, &v, c.certs_expire_at).is_ok(),
			"{id}: at the earliest expiry"
		);
		let after = run(&case, &r, &v, c.certs_expire_at + 1);
		assert!(
			matches!(
				after,
				Err(VerifyError::Snp(SnpError::Certificate(
					_,
					CertError::Expired
				)))
			),
			"{id}: {after:?}"
		);
	}
}

#[test]
fn rejects_truncated_and_oversized_reports() {
	let case = common::case("snp-milan-v2");
	let (r, v) = common::snp_parts(&case.evidence);
	for len in [0, 1, 0x2a0, 1183] {
		assert_eq!(
			run(&case, &r[..len], &v, case.now),
			snp_err(SnpError::ReportLength(len as u32))
		);
	}
	let mut long = r.clone();
	long.push(0);
	let out =
		tee_verifier::snp::verify_report(&long, &v, &anchors(), &Default::default(), case.now);
	assert_eq!(out.map(|_| ()), Err(SnpError::ReportLength(1185)));
}

#[test]
fn rejects_tdx_collateral_for_snp_evidence() {
	let snp = common::case("snp-milan-v2");
	let tdx = common::case("tdx-v4-uptodate");
	assert_eq!(
		verify(&snp.evidence, &anchors(), &tdx.collateral, snp.now).map(|_| ()),
		Err(VerifyError::CollateralMismatch)
	);
}
