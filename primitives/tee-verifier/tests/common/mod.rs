//! Loading the test vectors (`cases.json` format, see testvectors/README.md).
#![allow(
	dead_code,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic
)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use tee_verifier::{
	AmdProductAnchors, Collateral, Evidence, SnpCollateral, SnpProduct, TdxCollateral, TrustAnchors,
};

/// The vectors directory: `$TEE_TESTVECTORS`, or the repository's `testvectors/`.
pub fn vectors_dir() -> PathBuf {
	match std::env::var_os("TEE_TESTVECTORS") {
		Some(dir) => PathBuf::from(dir),
		None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testvectors"),
	}
}

pub struct Case {
	pub id: String,
	pub kind: String,
	pub now: u64,
	pub expect: Value,
	pub evidence: Evidence,
	pub collateral: Collateral,
	pub dir: PathBuf,
	pub raw: Value,
}

pub fn read(path: &Path) -> Vec<u8> {
	std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn bounded<const N: u32>(bytes: Vec<u8>) -> tee_verifier::BoundedBytes<N> {
	bytes.try_into().expect("test input exceeds its bound")
}

pub fn tdx_collateral(json: &Value) -> TdxCollateral {
	let s = |k: &str| {
		json[k]
			.as_str()
			.unwrap_or_else(|| panic!("collateral.{k}"))
			.to_string()
	};
	let h = |k: &str| hex::decode(s(k)).unwrap_or_else(|e| panic!("collateral.{k}: {e}"));
	TdxCollateral {
		pck_crl_issuer_chain: bounded(s("pck_crl_issuer_chain").into_bytes()),
		root_ca_crl: bounded(h("root_ca_crl")),
		pck_crl: bounded(h("pck_crl")),
		tcb_info_issuer_chain: bounded(s("tcb_info_issuer_chain").into_bytes()),
		tcb_info: bounded(s("tcb_info").into_bytes()),
		tcb_info_signature: h("tcb_info_signature").try_into().unwrap(),
		qe_identity_issuer_chain: bounded(s("qe_identity_issuer_chain").into_bytes()),
		qe_identity: bounded(s("qe_identity").into_bytes()),
		qe_identity_signature: h("qe_identity_signature").try_into().unwrap(),
	}
}

/// Intel and AMD roots from `roots/`.
pub fn trust_anchors(dir: &Path) -> TrustAnchors {
	let roots = dir.join("roots");
	let mut amd = Vec::new();
	for (product, name) in [
		(SnpProduct::Milan, "milan"),
		(SnpProduct::Genoa, "genoa"),
		(SnpProduct::Turin, "turin"),
	] {
		let f = |kind: &str| roots.join(format!("amd/{kind}_{name}.der"));
		if !f("ark").exists() {
			continue;
		}
		amd.push(AmdProductAnchors {
			product,
			ark: bounded(read(&f("ark"))),
			ask: f("ask").exists().then(|| bounded(read(&f("ask")))),
			asvk: f("asvk").exists().then(|| bounded(read(&f("asvk")))),
		});
	}
	TrustAnchors {
		intel_root_ca: Some(bounded(read(&roots.join("intel/sgx_root_ca.der")))),
		amd: amd.try_into().unwrap(),
	}
}

pub fn cases() -> Vec<Case> {
	let dir = vectors_dir();
	let json: Value = serde_json::from_slice(&read(&dir.join("cases.json"))).unwrap();
	json["cases"]
		.as_array()
		.expect("cases")
		.iter()
		.map(|c| {
			let case_dir = dir.join(c["dir"].as_str().unwrap());
			let file = |k: &str| read(&case_dir.join(c[k].as_str().unwrap()));
			let kind = c["kind"].as_str().unwrap().to_string();
			let (evidence, collateral) = match kind.as_str() {
				"tdx" => (
					Evidence::Tdx {
						quote: bounded(file("quote")),
					},
					Collateral::Tdx(tdx_collateral(
						&serde_json::from_slice(&file("collateral")).unwrap(),
					)),
				),
				"snp" => (
					Evidence::Snp {
						report: bounded(file("report")),
						vek_der: bounded(file("vek")),
					},
					Collateral::Snp(SnpCollateral::default()),
				),
				other => panic!("unknown kind {other}"),
			};
			Case {
				id: c["id"].as_str().unwrap().to_string(),
				kind,
				now: c["now"].as_u64().unwrap(),
				expect: c["expect"].clone(),
				evidence,
				collateral,
				dir: case_dir,
				raw: c.clone(),
			}
		})
		.collect()
}

pub fn case(id: &str) -> Case {
	cases()
		.into_iter()
		.find(|c| c.id == id)
		.unwrap_or_else(|| panic!("no case {id}"))
}

/// Decode a PEM file into DER certificates (tests only).
pub fn pem_certs(text: &str) -> Vec<Vec<u8>> {
	let mut out = Vec::new();
	let mut cur: Option<String> = None;
	for line in text.lines() {
		let line = line.trim();
		if line.starts_with("-----BEGIN") {
			cur = Some(String::new());
		} else if line.starts_with("-----END") {
			out.push(b64(&cur.take().unwrap()));
		} else if let Some(c) = cur.as_mut() {
			c.push_str(line);
		}
	}
	out
}

fn b64(s: &str) -> Vec<u8> {
	let val = |c: u8| -> u32 {
		match c {
			b'A'..=b'Z' => (c - b'A') as u32,
			b'a'..=b'z' => (c - b'a' + 26) as u32,
			b'0'..=b'9' => (c - b'0' + 52) as u32,
			b'+' => 62,
			b'/' => 63,
			_ => panic!("bad base64"),
		}
	};
	let mut out = Vec::new();
	let (mut acc, mut bits) = (0u32, 0u32);
	for &c in s.as_bytes().iter().filter(|&&c| c != b'=') {
		acc = (acc << 6) | val(c);
		bits += 6;
		if bits >= 8 {
			bits -= 8;
			out.push((acc >> bits) as u8);
		}
	}
	out
}
