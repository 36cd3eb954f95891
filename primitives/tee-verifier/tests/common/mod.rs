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

/// Encode DER certificates as a PEM chain (tests only).
pub fn to_pem(certs: &[Vec<u8>]) -> String {
	const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	let mut out = String::new();
	for der in certs {
		out.push_str("-----BEGIN CERTIFICATE-----\n");
		let mut line = String::new();
		for chunk in der.chunks(3) {
			let b = [
				chunk[0],
				*chunk.get(1).unwrap_or(&0),
				*chunk.get(2).unwrap_or(&0),
			];
			let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
			for i in 0..4 {
				if i <= chunk.len() {
					line.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
				} else {
					line.push('=');
				}
			}
			if line.len() >= 64 {
				out.push_str(&line);
				out.push('\n');
				line.clear();
			}
		}
		if !line.is_empty() {
			out.push_str(&line);
			out.push('\n');
		}
		out.push_str("-----END CERTIFICATE-----\n");
	}
	out
}

/// Offsets of the parts of a TDX quote (v4 or v5), from its length fields.
#[derive(Debug, Clone, Copy)]
pub struct QuoteLayout {
	pub body: (usize, usize),
	pub signature: usize,
	pub attestation_key: usize,
	pub qe_report: usize,
	pub qe_report_signature: usize,
	pub qe_auth_data: (usize, usize),
	pub pck_chain: (usize, usize),
	pub end: usize,
}

pub fn quote_layout(q: &[u8]) -> QuoteLayout {
	let u16_at = |o: usize| u16::from_le_bytes([q[o], q[o + 1]]) as usize;
	let u32_at = |o: usize| u32::from_le_bytes(q[o..o + 4].try_into().unwrap()) as usize;
	let version = u16_at(0);
	let (body_start, body_len) = if version == 5 {
		(54, u32_at(50))
	} else {
		(48, 584)
	};
	let auth = body_start + body_len + 4;
	let cert_data = auth + 128 + 6;
	let qe_auth_len = u16_at(cert_data + 448);
	let qe_auth = cert_data + 450;
	let chain_len = u32_at(qe_auth + qe_auth_len + 2);
	let chain = qe_auth + qe_auth_len + 6;
	QuoteLayout {
		body: (body_start, body_len),
		signature: auth,
		attestation_key: auth + 64,
		qe_report: cert_data,
		qe_report_signature: cert_data + 384,
		qe_auth_data: (qe_auth, qe_auth_len),
		pck_chain: (chain, chain_len),
		end: chain + chain_len,
	}
}

/// The quote with its PEM PCK chain replaced by `pem` of the same length (DER tampering keeps
/// the length, so all length fields stay right).
pub fn with_pck_chain(q: &[u8], pem: &str) -> Vec<u8> {
	let l = quote_layout(q);
	let mut pem = pem.as_bytes().to_vec();
	assert!(
		pem.len() <= l.pck_chain.1,
		"re-encoded PEM is longer than the original"
	);
	pem.resize(l.pck_chain.1, b'\n');
	let mut out = q.to_vec();
	out[l.pck_chain.0..l.pck_chain.0 + l.pck_chain.1].copy_from_slice(&pem);
	out
}

pub fn quote_bytes(e: &Evidence) -> Vec<u8> {
	match e {
		Evidence::Tdx { quote } => quote.to_vec(),
		_ => panic!("not TDX evidence"),
	}
}

pub fn tdx_evidence(quote: Vec<u8>) -> Evidence {
	Evidence::Tdx {
		quote: bounded(quote),
	}
}

pub fn snp_parts(e: &Evidence) -> (Vec<u8>, Vec<u8>) {
	match e {
		Evidence::Snp { report, vek_der } => (report.to_vec(), vek_der.to_vec()),
		_ => panic!("not SNP evidence"),
	}
}

pub fn snp_evidence(report: Vec<u8>, vek: Vec<u8>) -> Evidence {
	Evidence::Snp {
		report: bounded(report),
		vek_der: bounded(vek),
	}
}

pub fn tdx_coll(c: &Collateral) -> TdxCollateral {
	match c {
		Collateral::Tdx(t) => t.clone(),
		_ => panic!("not TDX collateral"),
	}
}

pub fn set_bytes<const N: u32>(v: Vec<u8>) -> tee_verifier::BoundedBytes<N> {
	bounded(v)
}
