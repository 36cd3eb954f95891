//! TDX collateral as JSON: the PCCS / dcap-qvl "QuoteCollateralV3" form of
//! `testvectors/tdx/*/collateral.json` (TCB Info and QE Identity as their exact signed
//! strings, signatures as hex `r || s`, CRLs as hex DER, issuer chains as PEM). What
//! `attest collateral fetch` writes and `attest verify-evidence --collateral` and
//! `attest collateral upload` read.

use serde_json::{json, Value};
use tee_verifier::{BoundedBytes, TdxCollateral};

/// The JSON form of `c`.
pub fn to_json(c: &TdxCollateral) -> Value {
	let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
	json!({
		"pck_crl_issuer_chain": text(&c.pck_crl_issuer_chain),
		"root_ca_crl": hex::encode(&c.root_ca_crl[..]),
		"pck_crl": hex::encode(&c.pck_crl[..]),
		"tcb_info_issuer_chain": text(&c.tcb_info_issuer_chain),
		"tcb_info": text(&c.tcb_info),
		"tcb_info_signature": hex::encode(c.tcb_info_signature),
		"qe_identity_issuer_chain": text(&c.qe_identity_issuer_chain),
		"qe_identity": text(&c.qe_identity),
		"qe_identity_signature": hex::encode(c.qe_identity_signature),
	})
}

/// Reads the JSON form; the error names the field that is missing or malformed.
pub fn from_json(bytes: &[u8]) -> Result<TdxCollateral, String> {
	let json: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
	let field = |k: &str| -> Result<String, String> {
		json.get(k)
			.and_then(Value::as_str)
			.map(str::to_string)
			.ok_or_else(|| format!("missing `{k}`"))
	};
	let hex_field = |k: &str| -> Result<Vec<u8>, String> {
		hex::decode(field(k)?).map_err(|e| format!("`{k}`: {e}"))
	};
	let signature = |k: &str| -> Result<[u8; 64], String> {
		hex_field(k)?
			.try_into()
			.map_err(|_| format!("`{k}` is not 64 bytes"))
	};
	fn bounded<const N: u32>(what: &str, bytes: Vec<u8>) -> Result<BoundedBytes<N>, String> {
		let len = bytes.len();
		bytes
			.try_into()
			.map_err(|_| format!("{what}: {len} bytes, at most {N}"))
	}
	Ok(TdxCollateral {
		pck_crl_issuer_chain: bounded(
			"pck_crl_issuer_chain",
			field("pck_crl_issuer_chain")?.into_bytes(),
		)?,
		root_ca_crl: bounded("root_ca_crl", hex_field("root_ca_crl")?)?,
		pck_crl: bounded("pck_crl", hex_field("pck_crl")?)?,
		tcb_info_issuer_chain: bounded(
			"tcb_info_issuer_chain",
			field("tcb_info_issuer_chain")?.into_bytes(),
		)?,
		tcb_info: bounded("tcb_info", field("tcb_info")?.into_bytes())?,
		tcb_info_signature: signature("tcb_info_signature")?,
		qe_identity_issuer_chain: bounded(
			"qe_identity_issuer_chain",
			field("qe_identity_issuer_chain")?.into_bytes(),
		)?,
		qe_identity: bounded("qe_identity", field("qe_identity")?.into_bytes())?,
		qe_identity_signature: signature("qe_identity_signature")?,
	})
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
	use super::*;

	#[test]
	fn the_json_form_round_trips_the_recorded_collateral() {
		let path = concat!(
			env!("CARGO_MANIFEST_DIR"),
			"/../testvectors/tdx/tdx-v4-uptodate/collateral.json"
		);
		let bytes = std::fs::read(path).unwrap();
		let collateral = from_json(&bytes).unwrap();
		// Every field is written exactly as the recorded file has it.
		let original: Value = serde_json::from_slice(&bytes).unwrap();
		let written = to_json(&collateral);
		for (k, v) in written.as_object().unwrap() {
			assert_eq!(original.get(k), Some(v), "field {k}");
		}
		assert_eq!(
			original.as_object().unwrap().len(),
			written.as_object().unwrap().len()
		);
		assert_eq!(
			from_json(&serde_json::to_vec(&written).unwrap()),
			Ok(collateral)
		);
	}

	#[test]
	fn a_missing_or_malformed_field_is_named() {
		assert_eq!(
			from_json(b"{}").map(|_| ()),
			Err("missing `pck_crl_issuer_chain`".into())
		);
		assert!(from_json(b"[").is_err_and(|e| e.starts_with("not JSON")));
	}
}
