//! Unit tests of the encodings against the real vendor formats in `testvectors/`.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use crate::*;

fn testvector(path: &str) -> Vec<u8> {
	std::fs::read(format!(
		"{}/../../testvectors/{path}",
		env!("CARGO_MANIFEST_DIR")
	))
	.unwrap()
}

#[test]
fn pss_algorithm_identifier_is_byte_identical_to_amds() {
	use der::Encode;
	let ours = keys::amd_pss_algorithm().unwrap().to_der().unwrap();
	let ark = testvector("roots/amd/ark_milan.der");
	// The TBS signature AlgorithmIdentifier starts after the TBS header (4), version (5)
	// and serial (5): offset 18, 72 bytes.
	assert_eq!(&ark[18..18 + 72], ours.as_slice());
}

#[test]
fn rfc3339_matches_intel_spelling() {
	assert_eq!(
		x509::rfc3339(1_750_328_163).unwrap(),
		"2025-06-19T10:16:03Z"
	);
	assert_eq!(x509::rfc3339(0).unwrap(), "1970-01-01T00:00:00Z");
}

#[test]
fn tcb_info_and_qe_identity_have_intels_keys_in_intels_order() {
	let cfg = TdxTcbConfig::default();
	let ours = tdx::tcb_info_json(&cfg, 1_750_328_163, 1_752_920_163).unwrap();
	let ours: serde_json::Value = serde_json::from_str(&ours).unwrap();
	let real = testvector("tdx/tdx-v4-uptodate/collateral.json");
	let real: serde_json::Value = serde_json::from_slice(&real).unwrap();
	let real_tcb: serde_json::Value =
		serde_json::from_str(real["tcb_info"].as_str().unwrap()).unwrap();
	let keys = |v: &serde_json::Value| -> Vec<String> {
		let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
		k.sort();
		k
	};
	assert_eq!(keys(&ours), keys(&real_tcb));
	assert_eq!(ours["issueDate"], "2025-06-19T10:16:03Z");
	assert_eq!(
		ours["tcbLevels"][0]["tcb"]["sgxtcbcomponents"]
			.as_array()
			.unwrap()
			.len(),
		16
	);
	assert_eq!(
		ours["tcbLevels"][0]["tcb"]["tdxtcbcomponents"]
			.as_array()
			.unwrap()
			.len(),
		16
	);
	assert_eq!(ours["tdxModuleIdentities"][0]["id"], "TDX_01");

	let ours = tdx::qe_identity_json(&cfg, 1_750_328_163, 1_752_920_163).unwrap();
	let ours: serde_json::Value = serde_json::from_str(&ours).unwrap();
	let real_qe: serde_json::Value =
		serde_json::from_str(real["qe_identity"].as_str().unwrap()).unwrap();
	assert_eq!(keys(&ours), keys(&real_qe));
	assert_eq!(ours["id"], "TD_QE");
}

#[test]
fn collateral_json_has_the_testvector_fields() {
	let roots = DevRoots::from_seed(b"unit").unwrap();
	let c = roots
		.tdx_collateral(1_767_225_600, &TdxTcbConfig::default())
		.unwrap();
	let ours: serde_json::Value = serde_json::from_str(&c.to_json()).unwrap();
	let real: serde_json::Value =
		serde_json::from_slice(&testvector("tdx/tdx-v4-uptodate/collateral.json")).unwrap();
	let mut a: Vec<_> = ours.as_object().unwrap().keys().collect();
	let mut b: Vec<_> = real.as_object().unwrap().keys().collect();
	a.sort();
	b.sort();
	assert_eq!(a, b);
	assert_eq!(ours["tcb_info_signature"].as_str().unwrap().len(), 128);
}

#[test]
fn quote_layout_matches_dcap() {
	let roots = DevRoots::from_seed(b"unit").unwrap();
	let params = TdxQuoteParams {
		report_data: [9; 64],
		..Default::default()
	};
	let q = roots.mint_tdx_quote(&params).unwrap();
	assert_eq!(&q[0..2], &4u16.to_le_bytes());
	assert_eq!(&q[4..8], &0x81u32.to_le_bytes());
	assert_eq!(&q[12..28], &INTEL_QE_VENDOR_ID);
	// REPORT_DATA is the last 64 bytes of the 584-byte body.
	assert_eq!(&q[48 + 520..48 + 584], &[9; 64]);
	let sig_len = u32::from_le_bytes(q[632..636].try_into().unwrap()) as usize;
	assert_eq!(q.len(), 636 + sig_len);
	// Certification data type 6 after signature and attestation key.
	assert_eq!(&q[636 + 128..636 + 130], &6u16.to_le_bytes());

	let v5 = roots
		.mint_tdx_quote(&TdxQuoteParams {
			version: TdxQuoteVersion::V5Td15,
			..params
		})
		.unwrap();
	assert_eq!(&v5[0..2], &5u16.to_le_bytes());
	assert_eq!(&v5[48..50], &3u16.to_le_bytes());
	assert_eq!(&v5[50..54], &648u32.to_le_bytes());
}

#[test]
fn snp_report_fields_sit_at_abi_offsets() {
	let p = SnpReportParams {
		version: 5,
		vmpl: 2,
		report_data: [0x21; 64],
		measurement: [0x22; 48],
		host_data: [0x23; 32],
		launch_mit_vector: 0x0102,
		current_mit_vector: 0x0304,
		policy: POLICY_RESERVED_1 | POLICY_DEBUG,
		..SnpReportParams::new(AmdProduct::Turin).with_vlek()
	};
	let r = p.unsigned().unwrap();
	assert_eq!(r.len(), SNP_REPORT_LEN);
	assert_eq!(&r[0..4], &5u32.to_le_bytes());
	assert_eq!(
		&r[0x08..0x10],
		&(POLICY_RESERVED_1 | POLICY_DEBUG).to_le_bytes()
	);
	assert_eq!(&r[0x30..0x34], &2u32.to_le_bytes());
	assert_eq!(&r[0x34..0x38], &1u32.to_le_bytes());
	assert_eq!(&r[0x48..0x4C], &4u32.to_le_bytes()); // SIGNING_KEY = 1 (VLEK) in bits 4:2
	assert_eq!(&r[0x50..0x90], &[0x21; 64]);
	assert_eq!(&r[0x90..0xC0], &[0x22; 48]);
	assert_eq!(&r[0xC0..0xE0], &[0x23; 32]);
	assert_eq!(&r[0x160..0x180], &[0xFF; 32]);
	assert_eq!(&r[0x188..0x18B], &[0x1A, 0x02, 0x01]);
	assert_eq!(&r[0x1A8..0x1E0], &[0u8; 56]); // Turin CHIP_ID is 8 bytes
	assert_eq!(&r[0x1F8..0x200], &0x0102u64.to_le_bytes());
	assert_eq!(&r[0x200..0x208], &0x0304u64.to_le_bytes());
	// Turin TCB layout: FMC, BL, TEE, SNP, 0, 0, 0, UCODE.
	let t = SnpTcb {
		fmc: 1,
		bootloader: 2,
		tee: 3,
		snp: 4,
		microcode: 5,
	};
	assert_eq!(t.to_bytes(AmdProduct::Turin), [1, 2, 3, 4, 0, 0, 0, 5]);
	assert_eq!(t.to_bytes(AmdProduct::Milan), [2, 3, 0, 0, 0, 0, 4, 5]);
}

#[test]
fn snp_report_tcb_layout_matches_a_real_milan_report() {
	// testvectors/snp/snp-milan-v2: REPORTED_TCB 03 00 00 00 00 00 08 73.
	let real = testvector("snp/snp-milan-v2/report.bin");
	let tcb = SnpTcb {
		fmc: 0,
		bootloader: 3,
		tee: 0,
		snp: 8,
		microcode: 0x73,
	};
	assert_eq!(&real[0x180..0x188], &tcb.to_bytes(AmdProduct::Milan));
}

#[test]
fn rsa_key_generation_is_deterministic() {
	use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
	let a = rsa::PrivateKey::new(&mut ChaCha20Rng::from_seed([7; 32]), 1024).unwrap();
	let b = rsa::PrivateKey::new(&mut ChaCha20Rng::from_seed([7; 32]), 1024).unwrap();
	assert_eq!(a, b);
}

/// The dev chain's genesis holds these roots: a change in any derivation changes them, and
/// must be deliberate (bump the domain in `keys.rs`, regenerate chain specs).
#[test]
fn dev_roots_are_pinned() {
	use sha2::{Digest, Sha256};
	let roots = DevRoots::dev().unwrap();
	assert_eq!(
		hex::encode(Sha256::digest(roots.intel_root_ca_der())),
		"a1b0e51f8b5dff351acc68b961ce5d742a8998086aa888c6cad3cad5a4ac4fe0"
	);
	assert_eq!(
		hex::encode(Sha256::digest(
			roots.amd_roots(AmdProduct::Milan).unwrap().ark
		)),
		"46a9376728ff3aa29f906445f48eb75a16ae17239e54301c302c41db052b7f70"
	);
}
