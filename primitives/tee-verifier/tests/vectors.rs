//! Every case of `cases.json` (in `$TEE_TESTVECTORS`, default: the repository's `testvectors/`)
//! gives exactly its expected outcome: `verifies` (verification alone), `accepted`
//! (verification + the default policy) and every listed claim.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

mod common;

use serde_json::Value;
use tee_verifier::{verify, Policy, SigningKeyKind, VerifiedClaims};

/// Compare the claims named in `expect` with what verification reported; returns mismatches.
fn claim_mismatches(expect: &Value, claims: &VerifiedClaims) -> Vec<String> {
	let mut bad = Vec::new();
	let mut check = |name: &str, got: Value| {
		if let Some(want) = expect.get(name) {
			if *want != got {
				bad.push(format!("{name}: expected {want}, got {got}"));
			}
		}
	};
	check("debug", Value::Bool(claims.debug()));
	match claims {
		VerifiedClaims::Tdx(c) => {
			check("tcb_status", Value::from(c.tcb_status.as_intel_str()));
			check(
				"advisory_ids",
				Value::from(
					c.advisory_ids
						.iter()
						.map(|a| String::from_utf8(a.to_vec()).unwrap())
						.collect::<Vec<_>>(),
				),
			);
			for absent in ["vmpl", "signing_key", "product", "report_version"] {
				if expect.get(absent).is_some() {
					bad.push(format!("{absent} expected for a TDX case"));
				}
			}
		}
		VerifiedClaims::Snp(c) => {
			check("vmpl", Value::from(c.vmpl));
			check(
				"signing_key",
				Value::from(match c.signing_key {
					SigningKeyKind::Vcek => "VCEK",
					SigningKeyKind::Vlek => "VLEK",
				}),
			);
			check("product", Value::from(c.product.name()));
			check("report_version", Value::from(c.report_version));
			for absent in ["tcb_status", "advisory_ids"] {
				if expect.get(absent).is_some() {
					bad.push(format!("{absent} expected for an SNP case"));
				}
			}
		}
	}
	bad
}

const CLAIM_KEYS: [&str; 7] = [
	"tcb_status",
	"advisory_ids",
	"debug",
	"vmpl",
	"signing_key",
	"product",
	"report_version",
];

#[test]
fn every_case_gives_its_expected_outcome() {
	let dir = common::vectors_dir();
	let anchors = common::trust_anchors(&dir);
	let policy = Policy::default();
	let cases = common::cases();
	assert!(!cases.is_empty(), "no cases in {}", dir.display());
	let mut failures = Vec::new();
	for case in &cases {
		let result = verify(&case.evidence, &anchors, &case.collateral, case.now);
		let accepted = match &result {
			Ok(claims) => policy.check(claims).map_err(|v| v.to_string()),
			Err(e) => Err(e.to_string()),
		};
		let mut bad = Vec::new();
		let expect = &case.expect;
		match expect.get("verifies") {
			Some(Value::Bool(want)) if *want != result.is_ok() => bad.push(format!(
				"verifies: expected {want}, got {}",
				match &result {
					Ok(_) => "Ok".to_string(),
					Err(e) => format!("Err({e})"),
				}
			)),
			Some(Value::Bool(_)) | Some(Value::Null) | None => {}
			Some(other) => bad.push(format!("verifies: unreadable expectation {other}")),
		}
		let want_accepted = expect["accepted"]
			.as_bool()
			.expect("every case has `accepted`");
		if want_accepted != accepted.is_ok() {
			bad.push(format!(
				"accepted: expected {want_accepted}, got {accepted:?}"
			));
		}
		let wants_claims = CLAIM_KEYS.iter().any(|k| expect.get(*k).is_some());
		match &result {
			Ok(claims) => bad.extend(claim_mismatches(expect, claims)),
			Err(e) if wants_claims => {
				bad.push(format!("claims expected but verification failed: {e}"))
			}
			Err(_) => {}
		}
		let outcome = match (&result, &accepted) {
			(Ok(_), Ok(())) => "verified, accepted".to_string(),
			(Ok(_), Err(v)) => format!("verified, rejected by policy ({v})"),
			(Err(e), _) => format!("not verified ({e})"),
		};
		println!(
			"{:<28} {:<4} {}: {outcome}",
			case.id,
			if bad.is_empty() { "ok" } else { "FAIL" },
			case.kind
		);
		for b in &bad {
			println!("    {b}");
		}
		if !bad.is_empty() {
			failures.push(case.id.clone());
		}
	}
	assert!(
		failures.is_empty(),
		"cases with unexpected outcomes: {failures:?}"
	);
}

#[test]
fn snp_chain_files_match_the_pinned_anchors() {
	// The evidence carries only the VEK; the ASK/ASVK and ARK come from the trust anchors. The
	// chain shipped with each case must be exactly those anchors.
	let anchors = common::trust_anchors(&common::vectors_dir());
	for case in common::cases().iter().filter(|c| c.kind == "snp") {
		let chain = common::pem_certs(
			&std::fs::read_to_string(case.dir.join(case.raw["chain"].as_str().unwrap())).unwrap(),
		);
		assert_eq!(chain.len(), 2, "{}", case.id);
		let pinned = anchors.amd.iter().any(|a| {
			a.ark.to_vec() == chain[1]
				&& (a.ask.as_ref().is_some_and(|k| k.to_vec() == chain[0])
					|| a.asvk.as_ref().is_some_and(|k| k.to_vec() == chain[0]))
		});
		assert!(
			pinned,
			"{}: chain.pem is not a pinned ARK + ASK/ASVK",
			case.id
		);
	}
}
