//! TDX behaviour on real quotes and tampered copies of them.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::type_complexity
)]

mod common;

use common::{quote_layout, Case};
use der::{Decode, Encode};
use tee_verifier::{
	verify, CertError, CertRole, Collateral, CollateralPart, Policy, TcbStatus, TdxCollateral,
	TdxError, TrustAnchors, VerifiedClaims, VerifyError, Violation,
};

fn anchors() -> TrustAnchors {
	common::trust_anchors(&common::vectors_dir())
}

fn run(
	case: &Case,
	quote: &[u8],
	coll: &TdxCollateral,
	now: u64,
) -> Result<VerifiedClaims, VerifyError> {
	let _ = case;
	verify(
		&common::tdx_evidence(quote.to_vec()),
		&anchors(),
		&Collateral::Tdx(coll.clone()),
		now,
	)
}

fn run_case(case: &Case) -> Result<VerifiedClaims, VerifyError> {
	verify(&case.evidence, &anchors(), &case.collateral, case.now)
}

fn tdx_err(e: TdxError) -> Result<(), VerifyError> {
	Err(VerifyError::Tdx(e))
}

fn outcome(r: Result<VerifiedClaims, VerifyError>) -> Result<(), VerifyError> {
	r.map(|_| ())
}

#[test]
fn verified_claims_are_the_quote_fields() {
	for id in ["tdx-v4-uptodate", "tdx-v5-uptodate"] {
		let case = common::case(id);
		let q = common::quote_bytes(&case.evidence);
		let VerifiedClaims::Tdx(c) = run_case(&case).unwrap() else {
			panic!("not TDX")
		};
		let body = &q[quote_layout(&q).body.0..];
		assert_eq!(c.quote_version, u16::from_le_bytes([q[0], q[1]]));
		assert_eq!(&c.tee_tcb_svn[..], &body[0..16]);
		assert_eq!(&c.mr_seam[..], &body[16..64]);
		assert_eq!(&c.td_attributes[..], &body[120..128]);
		assert_eq!(&c.xfam[..], &body[128..136]);
		assert_eq!(&c.mr_td[..], &body[136..184]);
		assert_eq!(&c.mr_config_id[..], &body[184..232]);
		assert_eq!(&c.mr_owner[..], &body[232..280]);
		assert_eq!(&c.mr_owner_config[..], &body[280..328]);
		for i in 0..4 {
			assert_eq!(&c.rtmr[i][..], &body[328 + 48 * i..376 + 48 * i]);
		}
		assert_eq!(&c.report_data[..], &body[520..584]);
		assert_eq!(c.tee_tcb_svn2.is_some(), c.quote_version == 5);
		assert_eq!(c.tcb_status, TcbStatus::UpToDate);
		assert_eq!(c.verified_at, case.now);
		assert!(c.collateral_expires_at >= case.now);
		assert!(c.collateral_issued_at <= case.now);
	}
}

#[test]
fn fmspc_claim_matches_tcb_info() {
	let case = common::case("tdx-v4-uptodate");
	let VerifiedClaims::Tdx(c) = run_case(&case).unwrap() else {
		panic!("not TDX")
	};
	let tcb_info: serde_json::Value =
		serde_json::from_slice(&common::tdx_coll(&case.collateral).tcb_info).unwrap();
	assert_eq!(
		hex::encode_upper(c.fmspc),
		tcb_info["fmspc"].as_str().unwrap().to_uppercase()
	);
}

/// The PPID names the machine (the chain bounds workers per machine with it). Expected value
/// read from the quote's PCK certificate with `openssl asn1parse` (OID 1.2.840.113741.1.13.1.1).
#[test]
fn ppid_claim_is_the_pck_certificates() {
	let case = common::case("tdx-v4-uptodate");
	let VerifiedClaims::Tdx(c) = run_case(&case).unwrap() else {
		panic!("not TDX")
	};
	assert_eq!(
		hex::encode_upper(c.ppid),
		"811DCA2A26B952E85BB6448B097BA4FD"
	);
	let quote = case.evidence.tdx_quote().expect("a TDX quote");
	assert_eq!(tee_verifier::tdx::unverified_ppid(quote).unwrap(), c.ppid);
}

#[test]
fn rejects_sgx_quote() {
	let case = common::case("sgx-v3-not-tdx");
	assert_eq!(outcome(run_case(&case)), tdx_err(TdxError::NotTdx(0)));
}

#[test]
fn rejects_debug_td_by_default() {
	let claims = run_case(&common::case("tdx-v4-debug-td")).unwrap();
	assert!(claims.debug());
	let v = Policy::default().check(&claims).unwrap_err();
	assert!(v.contains(&Violation::Debug), "{v}");
}

#[test]
fn accepts_debug_td_when_policy_allows_debug() {
	let claims = run_case(&common::case("tdx-v4-debug-td")).unwrap();
	let policy = Policy {
		allow_debug: true,
		..Policy::default()
	};
	assert_eq!(policy.check(&claims), Ok(()));
}

#[test]
fn rejects_out_of_date_tcb_by_default_and_accepts_it_when_listed() {
	let claims = run_case(&common::case("tdx-v4-outofdate")).unwrap();
	let v = Policy::default().check(&claims).unwrap_err();
	assert_eq!(
		v.violations,
		vec![Violation::TcbStatusNotAccepted(TcbStatus::OutOfDate)]
	);
	let mut policy = Policy::default();
	policy
		.accepted_tcb_statuses
		.try_push(TcbStatus::OutOfDate)
		.unwrap();
	assert_eq!(policy.check(&claims), Ok(()));
}

#[test]
fn rejects_platform_below_every_tcb_level() {
	let case = common::case("tdx-v5-no-tcb-level");
	assert_eq!(
		outcome(run_case(&case)),
		tdx_err(TdxError::NoMatchingTcbLevel)
	);
}

#[test]
fn rejects_expired_collateral() {
	// At this time both the PCK CRL and the TCB Info are past nextUpdate; the CRL is checked
	// first.
	let case = common::case("tdx-v4-collateral-expired");
	let r = outcome(run_case(&case));
	assert!(
		matches!(r, Err(VerifyError::Tdx(TdxError::CollateralExpired(_)))),
		"{r:?}"
	);
	let tcb: serde_json::Value =
		serde_json::from_slice(&common::tdx_coll(&case.collateral).tcb_info).unwrap();
	assert!(rfc3339(tcb["nextUpdate"].as_str().unwrap()) < case.now);
}

#[test]
fn tolerates_zero_padding_but_not_other_trailing_bytes() {
	let case = common::case("tdx-v4-uptodate");
	let q = common::quote_bytes(&case.evidence);
	let coll = common::tdx_coll(&case.collateral);
	let end = quote_layout(&q).end;
	assert!(q.len() > end, "this quote is expected to be zero padded");
	assert!(run(&case, &q[..end], &coll, case.now).is_ok());
	let mut padded = q.clone();
	padded.extend_from_slice(&[0; 16]);
	assert!(run(&case, &padded, &coll, case.now).is_ok());
	let mut junk = q.clone();
	*junk.last_mut().unwrap() = 1;
	assert_eq!(
		outcome(run(&case, &junk, &coll, case.now)),
		tdx_err(TdxError::TrailingBytes)
	);
}

#[test]
fn rejects_truncated_quotes() {
	let case = common::case("tdx-v4-uptodate");
	let q = common::quote_bytes(&case.evidence);
	let coll = common::tdx_coll(&case.collateral);
	let end = quote_layout(&q).end;
	for len in [0, 1, 7, 47, 48, 100, 631, 632, 700, 1000, 1500, end - 1] {
		assert_eq!(
			outcome(run(&case, &q[..len], &coll, case.now)),
			tdx_err(TdxError::QuoteTruncated),
			"length {len}"
		);
	}
}

#[test]
fn rejects_oversized_quote() {
	let case = common::case("tdx-v4-uptodate");
	let mut q = common::quote_bytes(&case.evidence);
	q.resize(tee_verifier::evidence::MAX_QUOTE_LEN as usize + 1, 0);
	// Too long for the bounded evidence type, so call the TDX verifier directly.
	let r = tee_verifier::tdx::verify_quote(
		&q,
		&anchors(),
		&common::tdx_coll(&case.collateral),
		case.now,
	);
	assert_eq!(r.map(|_| ()), Err(TdxError::QuoteTooLong));
	assert!(
		tee_verifier::BoundedBytes::<{ tee_verifier::evidence::MAX_QUOTE_LEN }>::try_from(q)
			.is_err()
	);
}

/// Flip one byte of the quote at `at` and return the verification outcome.
fn flip_quote(case: &Case, at: usize) -> Result<(), VerifyError> {
	let mut q = common::quote_bytes(&case.evidence);
	q[at] ^= 0x01;
	outcome(run(case, &q, &common::tdx_coll(&case.collateral), case.now))
}

#[test]
fn rejects_flipped_bytes_in_each_quote_region_with_the_right_error() {
	for id in ["tdx-v4-uptodate", "tdx-v5-uptodate"] {
		let case = common::case(id);
		let q = common::quote_bytes(&case.evidence);
		let l = quote_layout(&q);
		let body = l.body.0;
		let cases: Vec<(&str, usize, TdxError)> = vec![
			("header tee type", 4, TdxError::NotTdx(0x80)),
			(
				"header key type",
				2,
				TdxError::UnsupportedAttestationKeyType(3),
			),
			("header QE vendor", 12, TdxError::UnknownQeVendor),
			("header user data", 40, TdxError::QuoteSignatureInvalid),
			("body MRTD", body + 140, TdxError::QuoteSignatureInvalid),
			("body RTMR3", body + 480, TdxError::QuoteSignatureInvalid),
			(
				"body REPORT_DATA",
				body + 530,
				TdxError::QuoteSignatureInvalid,
			),
			(
				"quote signature r",
				l.signature + 3,
				TdxError::QuoteSignatureInvalid,
			),
			(
				"quote signature s",
				l.signature + 40,
				TdxError::QuoteSignatureInvalid,
			),
			(
				"attestation key",
				l.attestation_key + 10,
				TdxError::AttestationKeyBindingMismatch,
			),
			(
				"QE report",
				l.qe_report + 70,
				TdxError::QeReportSignatureInvalid,
			),
			(
				"QE report data",
				l.qe_report + 330,
				TdxError::QeReportSignatureInvalid,
			),
			(
				"QE report signature",
				l.qe_report_signature + 5,
				TdxError::QeReportSignatureInvalid,
			),
			(
				"QE auth data",
				l.qe_auth_data.0 + 1,
				TdxError::AttestationKeyBindingMismatch,
			),
		];
		for (what, at, want) in cases {
			assert_eq!(
				flip_quote(&case, at),
				tdx_err(want),
				"{id}: {what} (offset {at})"
			);
		}
	}
}

#[test]
fn rejects_flipped_bytes_sampled_over_the_whole_quote() {
	let case = common::case("tdx-v5-uptodate");
	let q = common::quote_bytes(&case.evidence);
	let mut positions: Vec<usize> = (0..q.len()).step_by(37).collect();
	positions.push(q.len() - 1);
	for at in positions {
		assert!(
			flip_quote(&case, at).is_err(),
			"flipping byte {at} was accepted"
		);
	}
}

/// Re-encode the quote's PCK chain after `tamper` changed one DER certificate.
fn tampered_pck_chain(case: &Case, cert: usize, tamper: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
	let q = common::quote_bytes(&case.evidence);
	let l = quote_layout(&q);
	let pem = std::str::from_utf8(&q[l.pck_chain.0..l.pck_chain.0 + l.pck_chain.1]).unwrap();
	let mut certs = common::pem_certs(pem);
	tamper(&mut certs[cert]);
	common::with_pck_chain(&q, &common::to_pem(&certs))
}

/// Byte offset of a certificate's serial number contents, via an independent DER parser.
fn serial_offset(der: &[u8]) -> usize {
	let cert = x509_cert::Certificate::from_der(der).unwrap();
	let serial = cert.tbs_certificate().serial_number().as_bytes().to_vec();
	der.windows(serial.len())
		.position(|w| w == serial.as_slice())
		.unwrap()
}

#[test]
fn rejects_tampered_pck_certificates() {
	let case = common::case("tdx-v4-uptodate");
	let coll = common::tdx_coll(&case.collateral);
	// The re-encoding itself must not change anything.
	let same = tampered_pck_chain(&case, 0, |_| {});
	assert!(run(&case, &same, &coll, case.now).is_ok());

	let sig_last = |d: &mut Vec<u8>| *d.last_mut().unwrap() ^= 1;
	let serial = |d: &mut Vec<u8>| {
		let at = serial_offset(d) + 1;
		d[at] ^= 1;
	};
	for (cert, role, what) in [
		(0, CertRole::PckLeaf, "leaf"),
		(1, CertRole::PckCa, "PCK CA"),
	] {
		for (how, tamper) in [
			("signature", &sig_last as &dyn Fn(&mut Vec<u8>)),
			("serial", &serial),
		] {
			let q = tampered_pck_chain(&case, cert, tamper);
			assert_eq!(
				outcome(run(&case, &q, &coll, case.now)),
				tdx_err(TdxError::Certificate(role, CertError::SignatureInvalid)),
				"{what} {how}"
			);
		}
	}
	// The root copy at the end of the chain is not the anchor any more.
	let q = tampered_pck_chain(&case, 2, sig_last);
	assert_eq!(
		outcome(run(&case, &q, &coll, case.now)),
		tdx_err(TdxError::Certificate(CertRole::Root, CertError::Untrusted))
	);
}

#[test]
fn rejects_tampered_collateral_with_the_right_error() {
	use CollateralPart::*;
	let case = common::case("tdx-v4-uptodate");
	let q = common::quote_bytes(&case.evidence);
	let base = common::tdx_coll(&case.collateral);
	let flip_last = |v: &[u8]| {
		let mut v = v.to_vec();
		*v.last_mut().unwrap() ^= 1;
		v
	};
	let flip_at = |v: &[u8], at: usize| {
		let mut v = v.to_vec();
		v[at] ^= 1;
		v
	};
	type Tamper = Box<dyn Fn(&mut TdxCollateral)>;
	let cases: Vec<(&str, Tamper, TdxError)> = vec![
		(
			"TCB Info JSON",
			Box::new(move |c| c.tcb_info = common::set_bytes(flip_at(&c.tcb_info, 100))),
			TdxError::CollateralSignatureInvalid(TcbInfo),
		),
		(
			"TCB Info signature",
			Box::new(|c| c.tcb_info_signature[7] ^= 1),
			TdxError::CollateralSignatureInvalid(TcbInfo),
		),
		(
			"QE Identity JSON",
			Box::new(move |c| c.qe_identity = common::set_bytes(flip_at(&c.qe_identity, 50))),
			TdxError::CollateralSignatureInvalid(QeIdentity),
		),
		(
			"QE Identity signature",
			Box::new(|c| c.qe_identity_signature[40] ^= 1),
			TdxError::CollateralSignatureInvalid(QeIdentity),
		),
		(
			"root CA CRL signature",
			Box::new(move |c| c.root_ca_crl = common::set_bytes(flip_last(&c.root_ca_crl))),
			TdxError::CollateralSignatureInvalid(RootCaCrl),
		),
		(
			"root CA CRL body",
			Box::new(move |c| c.root_ca_crl = common::set_bytes(flip_at(&c.root_ca_crl, 60))),
			TdxError::CollateralSignatureInvalid(RootCaCrl),
		),
		(
			"PCK CRL signature",
			Box::new(move |c| c.pck_crl = common::set_bytes(flip_last(&c.pck_crl))),
			TdxError::CollateralSignatureInvalid(PckCrl),
		),
		(
			"PCK CRL body",
			Box::new(move |c| c.pck_crl = common::set_bytes(flip_at(&c.pck_crl, 200))),
			TdxError::CollateralSignatureInvalid(PckCrl),
		),
		(
			"TCB signing certificate",
			Box::new(|c| {
				let mut certs =
					common::pem_certs(std::str::from_utf8(&c.tcb_info_issuer_chain).unwrap());
				*certs[0].last_mut().unwrap() ^= 1;
				c.tcb_info_issuer_chain = common::set_bytes(common::to_pem(&certs).into_bytes());
			}),
			TdxError::Certificate(CertRole::TcbSigning, CertError::SignatureInvalid),
		),
	];
	for (what, tamper, want) in cases {
		let mut coll = base.clone();
		tamper(&mut coll);
		assert_eq!(
			outcome(run(&case, &q, &coll, case.now)),
			tdx_err(want),
			"{what}"
		);
	}
}

#[test]
fn rejects_flipped_bytes_sampled_over_signed_collateral() {
	let case = common::case("tdx-v4-uptodate");
	let q = common::quote_bytes(&case.evidence);
	let base = common::tdx_coll(&case.collateral);
	let fields: Vec<(&str, Vec<u8>, fn(&mut TdxCollateral, Vec<u8>))> = vec![
		("tcb_info", base.tcb_info.to_vec(), |c, v| {
			c.tcb_info = common::set_bytes(v)
		}),
		("qe_identity", base.qe_identity.to_vec(), |c, v| {
			c.qe_identity = common::set_bytes(v)
		}),
		("root_ca_crl", base.root_ca_crl.to_vec(), |c, v| {
			c.root_ca_crl = common::set_bytes(v)
		}),
		("pck_crl", base.pck_crl.to_vec(), |c, v| {
			c.pck_crl = common::set_bytes(v)
		}),
	];
	for (name, bytes, set) in fields {
		for at in (0..bytes.len()).step_by(bytes.len() / 12 + 1) {
			let mut v = bytes.clone();
			v[at] ^= 0x01;
			let mut coll = base.clone();
			set(&mut coll, v);
			assert!(
				run(&case, &q, &coll, case.now).is_err(),
				"{name}: flipping byte {at} was accepted"
			);
		}
	}
}

#[test]
fn rejects_wrong_root() {
	let case = common::case("tdx-v4-uptodate");
	let dir = common::vectors_dir();
	let mut a = anchors();
	// Another self-signed root (AMD's Milan ARK): the chains end in Intel's root, not this one.
	a.intel_root_ca = Some(common::set_bytes(common::read(
		&dir.join("roots/amd/ark_milan.der"),
	)));
	assert_eq!(
		outcome(verify(&case.evidence, &a, &case.collateral, case.now)),
		tdx_err(TdxError::Certificate(CertRole::Root, CertError::Untrusted))
	);
	// Not a self-signed CA at all.
	let q = common::quote_bytes(&case.evidence);
	let l = quote_layout(&q);
	let pem = std::str::from_utf8(&q[l.pck_chain.0..l.pck_chain.0 + l.pck_chain.1]).unwrap();
	a.intel_root_ca = Some(common::set_bytes(common::pem_certs(pem)[1].clone()));
	assert_eq!(
		outcome(verify(&case.evidence, &a, &case.collateral, case.now)),
		tdx_err(TdxError::BadTrustAnchor)
	);
	a.intel_root_ca = None;
	assert_eq!(
		outcome(verify(&case.evidence, &a, &case.collateral, case.now)),
		tdx_err(TdxError::NoIntelRoot)
	);
}

#[test]
fn rejects_snp_collateral_for_tdx_evidence() {
	let case = common::case("tdx-v4-uptodate");
	let r = verify(
		&case.evidence,
		&anchors(),
		&Collateral::Snp(Default::default()),
		case.now,
	);
	assert_eq!(outcome(r), Err(VerifyError::CollateralMismatch));
}

/// A validity window of one collateral item: (name, start, end, error it gives outside).
type Window = (&'static str, u64, u64, fn(bool) -> TdxError);

fn rfc3339(s: &str) -> u64 {
	let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
	let (y, m, d) = (n(0..4), n(5..7), n(8..10));
	// Days from civil (Howard Hinnant's algorithm).
	let y2 = if m <= 2 { y - 1 } else { y };
	let era = y2.div_euclid(400);
	let yoe = y2 - era * 400;
	let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
	let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	let days = era * 146_097 + doe - 719_468;
	(days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)) as u64
}

fn cert_window(der: &[u8]) -> (u64, u64) {
	let c = x509_cert::Certificate::from_der(der).unwrap();
	let v = c.tbs_certificate().validity();
	(
		v.not_before.to_unix_duration().as_secs(),
		v.not_after.to_unix_duration().as_secs(),
	)
}

fn crl_window(der: &[u8]) -> (u64, u64) {
	let c =
		x509_cert::crl::CertificateList::<x509_cert::certificate::Rfc5280>::from_der(der).unwrap();
	let tbs = &c.tbs_cert_list;
	(
		tbs.this_update.to_unix_duration().as_secs(),
		tbs.next_update.unwrap().to_unix_duration().as_secs(),
	)
}

fn windows(case: &Case) -> Vec<Window> {
	use CollateralPart::*;
	let coll = common::tdx_coll(&case.collateral);
	let q = common::quote_bytes(&case.evidence);
	let l = quote_layout(&q);
	let pck = common::pem_certs(
		std::str::from_utf8(&q[l.pck_chain.0..l.pck_chain.0 + l.pck_chain.1]).unwrap(),
	);
	let signer = common::pem_certs(std::str::from_utf8(&coll.tcb_info_issuer_chain).unwrap());
	let root = common::read(&common::vectors_dir().join("roots/intel/sgx_root_ca.der"));
	let tcb: serde_json::Value = serde_json::from_slice(&coll.tcb_info).unwrap();
	let qe: serde_json::Value = serde_json::from_slice(&coll.qe_identity).unwrap();
	let json = |v: &serde_json::Value| {
		(
			rfc3339(v["issueDate"].as_str().unwrap()),
			rfc3339(v["nextUpdate"].as_str().unwrap()),
		)
	};
	let w = |name, (a, b): (u64, u64), f: fn(bool) -> TdxError| -> Window { (name, a, b, f) };
	vec![
		w("root", cert_window(&root), |e| {
			TdxError::Certificate(
				CertRole::Root,
				if e {
					CertError::NotYetValid
				} else {
					CertError::Expired
				},
			)
		}),
		w("PCK leaf", cert_window(&pck[0]), |e| {
			TdxError::Certificate(
				CertRole::PckLeaf,
				if e {
					CertError::NotYetValid
				} else {
					CertError::Expired
				},
			)
		}),
		w("PCK CA", cert_window(&pck[1]), |e| {
			TdxError::Certificate(
				CertRole::PckCa,
				if e {
					CertError::NotYetValid
				} else {
					CertError::Expired
				},
			)
		}),
		w("TCB signer", cert_window(&signer[0]), |e| {
			TdxError::Certificate(
				CertRole::TcbSigning,
				if e {
					CertError::NotYetValid
				} else {
					CertError::Expired
				},
			)
		}),
		w("root CA CRL", crl_window(&coll.root_ca_crl), |e| {
			if e {
				TdxError::CollateralNotYetValid(RootCaCrl)
			} else {
				TdxError::CollateralExpired(RootCaCrl)
			}
		}),
		w("PCK CRL", crl_window(&coll.pck_crl), |e| {
			if e {
				TdxError::CollateralNotYetValid(PckCrl)
			} else {
				TdxError::CollateralExpired(PckCrl)
			}
		}),
		w("TCB Info", json(&tcb), |e| {
			if e {
				TdxError::CollateralNotYetValid(TcbInfo)
			} else {
				TdxError::CollateralExpired(TcbInfo)
			}
		}),
		w("QE Identity", json(&qe), |e| {
			if e {
				TdxError::CollateralNotYetValid(QeIdentity)
			} else {
				TdxError::CollateralExpired(QeIdentity)
			}
		}),
	]
}

#[test]
fn rejects_every_time_outside_each_validity_window() {
	for id in ["tdx-v4-uptodate", "tdx-v5-uptodate"] {
		let case = common::case(id);
		let q = common::quote_bytes(&case.evidence);
		let coll = common::tdx_coll(&case.collateral);
		let ws = windows(&case);
		let start = ws.iter().map(|w| w.1).max().unwrap();
		let end = ws.iter().map(|w| w.2).min().unwrap();
		assert!(
			start <= case.now && case.now <= end,
			"{id}: the case's now is outside its windows"
		);
		// Boundaries are inclusive.
		assert!(
			run(&case, &q, &coll, start).is_ok(),
			"{id}: at the latest start"
		);
		let VerifiedClaims::Tdx(c) = run(&case, &q, &coll, end).unwrap() else {
			panic!()
		};
		assert_eq!(c.collateral_expires_at, end, "{id}: earliest expiry claim");
		for (name, a, b, err) in &ws {
			for (t, early) in [(a - 1, true), (b + 1, false)] {
				let got = outcome(run(&case, &q, &coll, t));
				// The first failing check wins; it must be a window that excludes t, and this
				// window's own error must be among the possible ones.
				let possible: Vec<TdxError> = ws
					.iter()
					.filter(|w| t < w.1 || t > w.2)
					.map(|w| (w.3)(t < w.1))
					.collect();
				assert!(possible.contains(&err(early)), "{id}: {name}");
				match got {
					Err(VerifyError::Tdx(e)) => assert!(
						possible.contains(&e),
						"{id}: {name} {}: got {e:?}, expected one of {possible:?}",
						if early { "start - 1" } else { "end + 1" }
					),
					other => panic!("{id}: {name} at {t}: {other:?}"),
				}
			}
		}
	}
}

#[test]
fn agrees_with_dcap_qvl_on_every_tdx_case() {
	use dcap_qvl::{configs::RustCryptoConfig, verify::QuoteVerifier, QuoteCollateralV3};
	let root = common::read(&common::vectors_dir().join("roots/intel/sgx_root_ca.der"));
	for case in common::cases().iter().filter(|c| c.kind == "tdx") {
		let q = common::quote_bytes(&case.evidence);
		let c = common::tdx_coll(&case.collateral);
		let oracle = QuoteVerifier::<RustCryptoConfig>::new_with_config(root.clone())
			.allow_debug(true)
			.verify(
				&q,
				&QuoteCollateralV3 {
					pck_crl_issuer_chain: String::from_utf8(c.pck_crl_issuer_chain.to_vec())
						.unwrap(),
					root_ca_crl: c.root_ca_crl.to_vec(),
					pck_crl: c.pck_crl.to_vec(),
					tcb_info_issuer_chain: String::from_utf8(c.tcb_info_issuer_chain.to_vec())
						.unwrap(),
					tcb_info: String::from_utf8(c.tcb_info.to_vec()).unwrap(),
					tcb_info_signature: c.tcb_info_signature.to_vec(),
					qe_identity_issuer_chain: String::from_utf8(
						c.qe_identity_issuer_chain.to_vec(),
					)
					.unwrap(),
					qe_identity: String::from_utf8(c.qe_identity.to_vec()).unwrap(),
					qe_identity_signature: c.qe_identity_signature.to_vec(),
					pck_certificate_chain: None,
				},
				case.now,
			);
		let ours = run_case(case);
		if case.id == "sgx-v3-not-tdx" {
			// By design: dcap-qvl verifies SGX quotes, a TDX verifier must not.
			assert!(oracle.is_ok() && ours.is_err(), "{}", case.id);
			continue;
		}
		match (&ours, &oracle) {
			(Ok(VerifiedClaims::Tdx(mine)), Ok(theirs)) => {
				assert_eq!(mine.tcb_status.as_intel_str(), theirs.status, "{}", case.id);
				let ids: Vec<String> = mine
					.advisory_ids
					.iter()
					.map(|a| String::from_utf8(a.to_vec()).unwrap())
					.collect();
				assert_eq!(ids, theirs.advisory_ids, "{}", case.id);
			}
			(Err(_), Err(_)) => {}
			_ => panic!(
				"{}: ours {:?}, dcap-qvl {:?}",
				case.id,
				ours.map(|_| ()),
				oracle.map(|_| ())
			),
		}
		println!(
			"{:<28} agrees with dcap-qvl ({})",
			case.id,
			if ours.is_ok() { "verified" } else { "rejected" }
		);
	}
}

#[test]
fn binding_check_requires_exact_report_data() {
	let claims = run_case(&common::case("tdx-v4-uptodate")).unwrap();
	let c = tee_verifier::Claims {
		genesis_hash: [0; 32],
		purpose: tee_verifier::Purpose::Register,
		account: [0; 32],
		x25519: [0; 32],
		nonce: [0; 32],
		anchor_block: 0,
		system_hash: [0; 32],
		services_root: [0; 32],
		gpu_digest: None,
	};
	// A real quote's REPORT_DATA is not our binding of arbitrary claims.
	assert_eq!(
		tee_verifier::check_binding(&c, &claims),
		Err(tee_verifier::ReportDataMismatch)
	);
}

#[test]
fn der_reencoding_helper_is_faithful() {
	// Guard for the tamper tests: decoding and re-encoding PEM/DER must round-trip.
	let case = common::case("tdx-v4-uptodate");
	let c = common::tdx_coll(&case.collateral);
	let certs = common::pem_certs(std::str::from_utf8(&c.tcb_info_issuer_chain).unwrap());
	for der in &certs {
		let parsed = x509_cert::Certificate::from_der(der).unwrap();
		assert_eq!(&parsed.to_der().unwrap(), der);
	}
	assert_eq!(common::pem_certs(&common::to_pem(&certs)), certs);
}

#[test]
fn collateral_selector_names_fmspc_and_pck_ca() {
	for id in [
		"tdx-v4-uptodate",
		"tdx-v5-uptodate",
		"tdx-v4-outofdate",
		"tdx-v4-debug-td",
	] {
		let case = common::case(id);
		let sel =
			tee_verifier::tdx::collateral_selector(&common::quote_bytes(&case.evidence)).unwrap();
		let tcb_info: serde_json::Value =
			serde_json::from_slice(&common::tdx_coll(&case.collateral).tcb_info).unwrap();
		assert_eq!(
			hex::encode_upper(sel.fmspc),
			tcb_info["fmspc"].as_str().unwrap().to_uppercase(),
			"{id}"
		);
		// Every test vector's PCK CRL issuer is the Platform CA.
		assert_eq!(sel.pck_ca, Some(tee_verifier::tdx::PckCa::Platform), "{id}");
	}
	let sgx = common::case("sgx-v3-not-tdx");
	assert_eq!(
		tee_verifier::tdx::collateral_selector(&common::quote_bytes(&sgx.evidence)),
		Err(TdxError::NotTdx(0))
	);
}
