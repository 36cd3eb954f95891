//! The attestation data the runtime's genesis presets embed (`runtime/genesis/*.scale`) must be
//! what the mock-tee dev roots and the real vendor roots say. Regenerate with
//! `UPDATE_GENESIS=1 cargo test --release -p e2e-tests --test genesis_data`.
//!
//! - `dev-trust-anchors.scale`: SCALE `TrustAnchors` of `mock_tee::DevRoots::dev()` (the
//!   public, insecure dev roots; every AMD product).
//! - `dev-tdx-collateral.scale`: SCALE `Collateral` for the mock platform, issued
//!   2026-01-01 and valid ten years, so a dev chain started any day until 2036 accepts it.
//! - `dev-snp-collateral.scale`: SCALE `Collateral` holding a CRL of every AMD product of the
//!   dev roots (signed by its dev ARK, revoking nothing), issued 2026-01-01 and valid ten
//!   years, so the dev chain checks SNP revocation on the same path as a real network.
//! - `real-trust-anchors.scale`: SCALE `TrustAnchors` of Intel's SGX Root CA and AMD's
//!   Milan/Genoa/Turin ARK, ASK and ASVK (from `testvectors/roots`).
//! - `dev-release.scale`: SCALE `Release` of the mock-tee dev image (`mock_tee::dev_image`:
//!   TDX and SNP measurements, the dev system hash, any services root).
//! - `dev-policy.scale`: SCALE `ChainPolicy` of the dev chain: the strict default evidence
//!   policy with a short cycle (valid 60 s, asked to re-attest 40 s before expiry, 10 blocks
//!   to answer), so re-attestation is visible within a minute.

use std::path::{Path, PathBuf};

use codec::Encode;
use mock_tee::{AmdProduct, DevRoots, TdxTcbConfig};

/// 2026-01-01T00:00:00Z: issue date of the dev collateral (also `runtime`'s
/// `DEV_COLLATERAL_ISSUED_AT`).
const DEV_COLLATERAL_ISSUED_AT: u64 = 1_767_225_600;
/// Ten years (of 365 days).
const TEN_YEARS: u64 = 10 * 365 * 86_400;

fn repo() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn real_trust_anchors() -> tee_verifier::TrustAnchors {
	let roots = repo().join("testvectors/roots");
	let der = |p: &str| {
		std::fs::read(roots.join(p))
			.expect("root certificate")
			.try_into()
			.expect("bounded")
	};
	let mut amd = Vec::new();
	for (product, name) in [
		(tee_verifier::SnpProduct::Milan, "milan"),
		(tee_verifier::SnpProduct::Genoa, "genoa"),
		(tee_verifier::SnpProduct::Turin, "turin"),
	] {
		amd.push(tee_verifier::AmdProductAnchors {
			product,
			ark: der(&format!("amd/ark_{name}.der")),
			ask: Some(der(&format!("amd/ask_{name}.der"))),
			asvk: Some(der(&format!("amd/asvk_{name}.der"))),
		});
	}
	tee_verifier::TrustAnchors {
		intel_root_ca: Some(der("intel/sgx_root_ca.der")),
		amd: amd.try_into().expect("three products"),
	}
}

#[test]
fn runtime_genesis_data_is_current() {
	let roots = DevRoots::dev().expect("dev roots");
	let config = TdxTcbConfig {
		issued_before_now: 0,
		validity: TEN_YEARS,
		..Default::default()
	};
	let collateral = roots
		.tdx_collateral(DEV_COLLATERAL_ISSUED_AT, &config)
		.expect("dev collateral")
		.to_collateral()
		.expect("bounded collateral");
	let dev_anchors = roots
		.trust_anchors_for(&AmdProduct::ALL)
		.expect("dev anchors");

	// The dev collateral verifies under the dev roots for its whole window.
	for at in [
		DEV_COLLATERAL_ISSUED_AT + 86_400,
		DEV_COLLATERAL_ISSUED_AT + TEN_YEARS - 86_400,
	] {
		tee_verifier::verify_collateral(&collateral, &dev_anchors, at)
			.expect("dev collateral verifies");
	}

	let snp_collateral = tee_verifier::Collateral::Snp(tee_verifier::SnpCollateral {
		crls: AmdProduct::ALL
			.iter()
			.map(|p| {
				roots
					.amd_crl(
						*p,
						DEV_COLLATERAL_ISSUED_AT,
						DEV_COLLATERAL_ISSUED_AT + TEN_YEARS,
						&[],
					)
					.expect("dev AMD CRL")
					.try_into()
					.expect("bounded CRL")
			})
			.collect::<Vec<_>>()
			.try_into()
			.expect("at most MAX_AMD_CRLS"),
	});
	// Genesis refuses anchors that do not check out.
	dev_anchors.check().expect("dev anchors check out");
	real_trust_anchors()
		.check()
		.expect("real anchors check out");
	for at in [
		DEV_COLLATERAL_ISSUED_AT + 86_400,
		DEV_COLLATERAL_ISSUED_AT + TEN_YEARS - 86_400,
	] {
		tee_verifier::verify_collateral(&snp_collateral, &dev_anchors, at)
			.expect("dev AMD CRLs verify");
	}

	let dev_release = pallet_attestation::Release {
		name: b"tee-attest dev image (mock-tee, INSECURE)"
			.to_vec()
			.try_into()
			.expect("bounded"),
		tdx: Some(pallet_attestation::TdxMeasurements {
			mrtd: mock_tee::dev_image::mrtd(),
			rtmr0: mock_tee::dev_image::rtmrs()[0],
			rtmr1: mock_tee::dev_image::rtmrs()[1],
			rtmr2: mock_tee::dev_image::rtmrs()[2],
		}),
		snp_measurement: Some(mock_tee::dev_image::snp_measurement()),
		tdx_pins: Default::default(),
		snp_pins: Default::default(),
		system_hashes: vec![mock_tee::dev_image::system_hash()]
			.try_into()
			.expect("bounded"),
		services_roots: Default::default(),
		status: pallet_attestation::ReleaseStatus::Active,
	};
	let mut dev_policy = pallet_attestation::ChainPolicy::default();
	dev_policy.evidence.attestation_validity_secs = 60;
	dev_policy.request_lead_secs = 40;
	dev_policy.response_window = 10;

	let want = [
		("dev-trust-anchors.scale", dev_anchors.encode()),
		("dev-tdx-collateral.scale", collateral.encode()),
		("dev-snp-collateral.scale", snp_collateral.encode()),
		("real-trust-anchors.scale", real_trust_anchors().encode()),
		("dev-release.scale", dev_release.encode()),
		("dev-policy.scale", dev_policy.encode()),
	];
	let dir = repo().join("runtime/genesis");
	for (name, bytes) in want {
		let path = dir.join(name);
		if std::env::var_os("UPDATE_GENESIS").is_some() {
			std::fs::write(&path, &bytes).expect("write genesis data");
		}
		let have = std::fs::read(&path).unwrap_or_default();
		assert!(
			have == bytes,
			"runtime/genesis/{name} is stale: regenerate it (see this file's docs)"
		);
	}
}
