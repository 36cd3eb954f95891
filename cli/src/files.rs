//! Evidence, collateral, roots and policy read from files (for `verify-evidence` and
//! `collateral upload`). Formats are those of `testvectors/README.md`.

use std::path::Path;

use codec::Decode;
use tee_verifier::{
	AmdProductAnchors, BoundedBytes, Collateral, Evidence, Policy, SnpCollateral, SnpProduct,
	TdxCollateral, TrustAnchors,
};

use crate::CliError;

/// The real Intel SGX Root CA and AMD Milan/Genoa/Turin roots, as the `local` and
/// `production` chains trust them (SCALE `TrustAnchors`, generated and checked by
/// `tests/tests/genesis_data.rs`).
const REAL_ANCHORS: &[u8] = include_bytes!("../../runtime/genesis/real-trust-anchors.scale");

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
	std::fs::read(path).map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))
}

fn bounded<const N: u32>(what: &str, bytes: Vec<u8>) -> Result<BoundedBytes<N>, CliError> {
	let len = bytes.len();
	bytes
		.try_into()
		.map_err(|_| CliError::BadInput(format!("{what}: {len} bytes, at most {N}")))
}

/// The built-in real roots.
pub fn real_anchors() -> Result<TrustAnchors, CliError> {
	TrustAnchors::decode(&mut &REAL_ANCHORS[..])
		.map_err(|e| CliError::BadInput(format!("built-in trust anchors: {e}")))
}

/// Roots from a directory laid out like `testvectors/roots`: `intel/sgx_root_ca.der` and
/// `amd/{ark,ask,asvk}_{milan,genoa,turin}.der` (any subset).
pub fn anchors_from_dir(dir: &Path) -> Result<TrustAnchors, CliError> {
	let intel = dir.join("intel/sgx_root_ca.der");
	let intel_root_ca = if intel.exists() {
		Some(bounded("intel/sgx_root_ca.der", read(&intel)?)?)
	} else {
		None
	};
	let mut amd = Vec::new();
	for (product, name) in [
		(SnpProduct::Milan, "milan"),
		(SnpProduct::Genoa, "genoa"),
		(SnpProduct::Turin, "turin"),
	] {
		let file = |kind: &str| dir.join(format!("amd/{kind}_{name}.der"));
		if !file("ark").exists() {
			continue;
		}
		let optional = |kind: &str| -> Result<_, CliError> {
			let f = file(kind);
			if f.exists() {
				Ok(Some(bounded(&format!("amd/{kind}_{name}.der"), read(&f)?)?))
			} else {
				Ok(None)
			}
		};
		amd.push(AmdProductAnchors {
			product,
			ark: bounded(&format!("amd/ark_{name}.der"), read(&file("ark"))?)?,
			ask: optional("ask")?,
			asvk: optional("asvk")?,
		});
	}
	if intel_root_ca.is_none() && amd.is_empty() {
		return Err(CliError::BadInput(format!(
			"{}: no intel/sgx_root_ca.der and no amd/ark_*.der",
			dir.display()
		)));
	}
	Ok(TrustAnchors {
		intel_root_ca,
		amd: amd
			.try_into()
			.map_err(|_| CliError::BadInput("too many AMD products".into()))?,
	})
}

/// A SCALE-encoded `tee_verifier::Policy` file, or the default policy.
pub fn policy(path: Option<&Path>) -> Result<Policy, CliError> {
	match path {
		None => Ok(Policy::default()),
		Some(p) => Policy::decode(&mut &read(p)?[..])
			.map_err(|e| CliError::BadInput(format!("{}: not a SCALE policy: {e}", p.display()))),
	}
}

/// TDX collateral in the PCCS "QuoteCollateralV3" JSON form of the test vectors.
pub fn tdx_collateral(path: &Path) -> Result<TdxCollateral, CliError> {
	collateral_fetch::json::from_json(&read(path)?)
		.map_err(|e| CliError::BadInput(format!("collateral {}: {e}", path.display())))
}

/// Collateral to upload: Intel's PCCS "QuoteCollateralV3" JSON (a file starting with `{`), or
/// AMD CRLs: one DER CRL, or a PEM file of `X509 CRL` blocks (a product's VCEK and VLEK CRLs
/// may come together).
pub fn collateral(path: &Path) -> Result<Collateral, CliError> {
	let bytes = read(path)?;
	let start = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
	let bad = |what: String| CliError::BadInput(format!("{}: {what}", path.display()));
	let crls: Vec<Vec<u8>> = match start {
		Some(b'{') => return Ok(Collateral::Tdx(tdx_collateral(path)?)),
		Some(b'-') => pem::parse_many(&bytes)
			.map_err(|e| bad(e.to_string()))?
			.into_iter()
			.filter(|b| b.tag() == "X509 CRL")
			.map(|b| b.into_contents())
			.collect(),
		Some(0x30) => vec![bytes],
		_ => {
			return Err(bad(
				"neither PCCS collateral JSON nor an AMD CRL (DER or PEM)".into(),
			))
		}
	};
	if crls.is_empty() {
		return Err(bad("no PEM `X509 CRL` block".into()));
	}
	let crls = crls
		.into_iter()
		.map(|der| bounded("AMD CRL", der))
		.collect::<Result<Vec<_>, _>>()?;
	let count = crls.len();
	Ok(Collateral::Snp(SnpCollateral {
		crls: crls
			.try_into()
			.map_err(|_| bad(format!("{count} CRLs exceed the bound of one upload")))?,
	}))
}

/// TDX evidence and collateral from a quote file, a collateral JSON file and, if given, the
/// TD's event log (its padding dropped, so a whole CCEL log area can be given).
pub fn tdx(
	quote: &Path,
	collateral: &Path,
	event_log: Option<&Path>,
) -> Result<(Evidence, Collateral), CliError> {
	let quote = bounded("quote", read(quote)?)?;
	let evidence = match event_log {
		None => Evidence::Tdx { quote },
		Some(path) => {
			let bytes = read(path)?;
			let used = tee_verifier::EventLog::parse(&bytes, usize::MAX)
				.map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?
				.used_bytes()
				.to_vec();
			Evidence::TdxWithEventLog {
				quote,
				event_log: bounded("event log", used)?,
			}
		}
	};
	Ok((evidence, Collateral::Tdx(tdx_collateral(collateral)?)))
}

/// DER certificates in a PEM file, in order.
pub fn pem_certificates(path: &Path) -> Result<Vec<Vec<u8>>, CliError> {
	let blocks = pem::parse_many(read(path)?)
		.map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
	let certs: Vec<Vec<u8>> = blocks
		.into_iter()
		.filter(|b| b.tag() == "CERTIFICATE")
		.map(|b| b.into_contents())
		.collect();
	if certs.is_empty() {
		return Err(CliError::BadInput(format!(
			"{}: no PEM certificate",
			path.display()
		)));
	}
	Ok(certs)
}

/// SNP evidence from a report, a VEK certificate (DER) and the chain that signed it (PEM:
/// ASK or ASVK, then ARK). The chain must be the pinned anchors' (the verifier takes the
/// ASK/ASVK and ARK from the trust anchors, never from the evidence); a chain that is not is
/// refused here rather than silently ignored.
pub fn snp(
	report: &Path,
	vek: &Path,
	chain: Option<&Path>,
	anchors: &TrustAnchors,
) -> Result<(Evidence, Collateral), CliError> {
	if let Some(chain) = chain {
		let certs = pem_certificates(chain)?;
		let pinned = anchors.amd.iter().any(|a| {
			certs.iter().any(|c| a.ark.as_slice() == c.as_slice())
				&& certs.iter().any(|c| {
					a.ask.as_ref().is_some_and(|k| k.as_slice() == c.as_slice())
						|| a.asvk
							.as_ref()
							.is_some_and(|k| k.as_slice() == c.as_slice())
				})
		});
		if !pinned {
			return Err(CliError::BadInput(format!(
				"{}: the ASK/ASVK and ARK are not those of the trusted roots (see --roots)",
				chain.display()
			)));
		}
	}
	Ok((
		Evidence::Snp {
			report: bounded("report", read(report)?)?,
			vek_der: bounded("vek", read(vek)?)?,
		},
		Collateral::Snp(SnpCollateral::default()),
	))
}
