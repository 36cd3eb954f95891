//! Real roots and collateral from the repository's test vectors, compiled into the targets.
#![allow(dead_code)]

use tee_verifier::{AmdProductAnchors, SnpProduct, TdxCollateral, TrustAnchors};

macro_rules! tv {
	($p:literal) => {
		include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../testvectors/", $p))
	};
}

/// Verification time of the `tdx-v4-uptodate` case.
pub const TDX_NOW: u64 = 1752919234;
/// Verification time of the `snp-milan-v2` case.
pub const SNP_NOW: u64 = 1767225600;

pub fn anchors() -> TrustAnchors {
	let b = |v: &[u8]| v.to_vec().try_into().ok();
	let amd = vec![
		AmdProductAnchors {
			product: SnpProduct::Milan,
			ark: b(tv!("roots/amd/ark_milan.der")).unwrap_or_default(),
			ask: b(tv!("roots/amd/ask_milan.der")),
			asvk: b(tv!("roots/amd/asvk_milan.der")),
		},
		AmdProductAnchors {
			product: SnpProduct::Genoa,
			ark: b(tv!("roots/amd/ark_genoa.der")).unwrap_or_default(),
			ask: b(tv!("roots/amd/ask_genoa.der")),
			asvk: b(tv!("roots/amd/asvk_genoa.der")),
		},
	];
	TrustAnchors {
		intel_root_ca: b(tv!("roots/intel/sgx_root_ca.der")),
		amd: amd.try_into().unwrap_or_default(),
	}
}

fn hex(s: &str) -> Vec<u8> {
	let n = |c: u8| match c {
		b'0'..=b'9' => c - b'0',
		b'a'..=b'f' => c - b'a' + 10,
		b'A'..=b'F' => c - b'A' + 10,
		_ => 0,
	};
	s.as_bytes().chunks(2).map(|p| (n(p[0]) << 4) | n(*p.get(1).unwrap_or(&b'0'))).collect()
}

/// Extract a JSON string field from the flat collateral file (test data, trusted).
fn field(json: &str, key: &str) -> String {
	let k = format!("\"{key}\":");
	let start = json.find(&k).map(|i| i + k.len()).unwrap_or(0);
	let rest = json[start..].trim_start().trim_start_matches('"');
	let mut out = String::new();
	let mut chars = rest.chars();
	while let Some(c) = chars.next() {
		match c {
			'"' => break,
			'\\' => match chars.next() {
				Some('n') => out.push('\n'),
				Some(other) => out.push(other),
				None => break,
			},
			c => out.push(c),
		}
	}
	out
}

pub fn tdx_collateral() -> TdxCollateral {
	let json = std::str::from_utf8(tv!("tdx/tdx-v4-uptodate/collateral.json")).unwrap_or("");
	fn b<const N: u32>(v: Vec<u8>) -> tee_verifier::BoundedBytes<N> {
		v.try_into().unwrap_or_default()
	}
	let sig = |v: Vec<u8>| v.try_into().unwrap_or([0; 64]);
	TdxCollateral {
		pck_crl_issuer_chain: b(field(json, "pck_crl_issuer_chain").into_bytes()),
		root_ca_crl: b(hex(&field(json, "root_ca_crl"))),
		pck_crl: b(hex(&field(json, "pck_crl"))),
		tcb_info_issuer_chain: b(field(json, "tcb_info_issuer_chain").into_bytes()),
		tcb_info: b(field(json, "tcb_info").into_bytes()),
		tcb_info_signature: sig(hex(&field(json, "tcb_info_signature"))),
		qe_identity_issuer_chain: b(field(json, "qe_identity_issuer_chain").into_bytes()),
		qe_identity: b(field(json, "qe_identity").into_bytes()),
		qe_identity_signature: sig(hex(&field(json, "qe_identity_signature"))),
	}
}
