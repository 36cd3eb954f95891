//! Collateral from Intel PCS v4 / AMD KDS for the chain: what `attest collateral fetch` and
//! the keeper `attest collateral watch` share. Everything fetched is verified against trusted
//! roots before it is written or uploaded, and an upload is only submitted when the chain's
//! own rule (newer parts replace older ones; no part may go back) would store something.

use std::path::{Path, PathBuf};

use codec::Encode;
use collateral_fetch::{kds, pcs, FetchError, Http};
use subxt::dynamic::Value;
use tee_verifier::{
	snp::{CrlMerge, VerifiedAmdCrl},
	tdx::{
		Freshness, PckCa, PckCrlPart, QeIdentityPart, RootCaCrlPart, TcbInfoPart,
		TdxCollateralParts, VerifiedPart,
	},
	Collateral, SigningKeyKind, SnpProduct, TdxCollateral, TrustAnchors,
};

use crate::{chain, CliError};

/// Where collateral comes from.
pub struct Sources {
	/// The HTTP client.
	pub http: Http,
	/// Base URL of the Intel PCS v4 API or a PCCS.
	pub pcs: String,
	/// Base URL of AMD's KDS.
	pub kds: String,
	/// Where the Intel root CA CRL is, when the PCS has no `rootcacrl` path (Intel's has not).
	pub root_ca_crl: String,
}

/// A verified TDX bundle for one FMSPC and PCK CA.
pub struct FetchedTdx {
	/// The bundle as fetched.
	pub collateral: TdxCollateral,
	/// Its verified parts (FMSPC, PCK CA, freshness of each part).
	pub parts: TdxCollateralParts,
}

/// A product's verified AMD chains and CRLs.
pub struct FetchedSnp {
	/// The product.
	pub product: SnpProduct,
	/// The chains fetched and found to be the trusted roots' own (signing key, then ARK).
	pub chains: Vec<(SigningKeyKind, Vec<Vec<u8>>)>,
	/// The CRLs fetched and verified (DER and what the verifier read).
	pub crls: Vec<(SigningKeyKind, Vec<u8>, VerifiedAmdCrl)>,
}

/// The error of a fetch, as the CLI reports it: a document that does not verify is a failed
/// check (exit 1); anything that prevented getting it is exit 2.
pub fn cli_error(e: FetchError) -> CliError {
	match e {
		FetchError::Rejected { .. } => CliError::Failed(e.to_string()),
		other => CliError::Source(other.to_string()),
	}
}

/// Parses an FMSPC (12 hex digits, either case).
pub fn parse_fmspc(text: &str) -> Result<[u8; 6], CliError> {
	hex::decode(text)
		.ok()
		.and_then(|b| <[u8; 6]>::try_from(b).ok())
		.ok_or_else(|| CliError::BadInput(format!("FMSPC `{text}`: expected 12 hex digits")))
}

/// Parses a product name (Milan, Genoa, Turin; any case).
pub fn parse_product(text: &str) -> Result<SnpProduct, CliError> {
	SnpProduct::ALL
		.into_iter()
		.find(|p| p.name().eq_ignore_ascii_case(text))
		.ok_or_else(|| {
			CliError::BadInput(format!("product `{text}`: expected Milan, Genoa or Turin"))
		})
}

/// Fetches the TDX collateral of `fmspc` with the CRL of each CA in `cas` (TCB Info, QE
/// Identity and root CA CRL once) and verifies each bundle against `anchors` at `now`.
pub async fn fetch_tdx(
	sources: &Sources,
	fmspc: [u8; 6],
	cas: &[PckCa],
	anchors: &TrustAnchors,
	now: u64,
) -> Result<Vec<FetchedTdx>, FetchError> {
	let pcs = pcs::Pcs::new(&sources.http, &sources.pcs).with_root_ca_crl(&sources.root_ca_crl);
	let (tcb, qe, root) =
		tokio::try_join!(pcs.tcb_info(fmspc), pcs.qe_identity(), pcs.root_ca_crl())?;
	let mut out = Vec::new();
	for ca in cas {
		let pck = pcs.pck_crl(*ca).await?;
		let collateral = pcs::bundle(tcb.clone(), qe.clone(), pck, root.clone())?;
		let parts = pcs::verify(&collateral, anchors, now)?;
		if parts.fmspc != fmspc {
			return Err(FetchError::Rejected {
				what: "TDX collateral".into(),
				reason: format!(
					"asked for FMSPC {}, the TCB Info is for {}",
					hex::encode_upper(fmspc),
					hex::encode_upper(parts.fmspc)
				),
			});
		}
		if parts.pck_ca != *ca {
			return Err(FetchError::Rejected {
				what: "TDX collateral".into(),
				reason: format!(
					"asked for the {ca:?} CA's CRL, got the {:?} CA's",
					parts.pck_ca
				),
			});
		}
		out.push(FetchedTdx { collateral, parts });
	}
	Ok(out)
}

/// Fetches `product`'s VCEK and VLEK chains and CRLs and verifies them against `anchors` at
/// `now`. A kind of key the roots do not trust (no ASVK, say) is skipped.
pub async fn fetch_snp(
	sources: &Sources,
	product: SnpProduct,
	anchors: &TrustAnchors,
	now: u64,
) -> Result<FetchedSnp, FetchError> {
	let kds = kds::Kds::new(&sources.http, &sources.kds);
	let trusted = anchors
		.amd
		.iter()
		.find(|a| a.product == product)
		.ok_or_else(|| FetchError::Rejected {
			what: format!("AMD {} collateral", product.name()),
			reason: "the trusted roots have no ARK for this product".into(),
		})?;
	let mut fetched = FetchedSnp {
		product,
		chains: Vec::new(),
		crls: Vec::new(),
	};
	for kind in [SigningKeyKind::Vcek, SigningKeyKind::Vlek] {
		let trusted_kind = match kind {
			SigningKeyKind::Vcek => trusted.ask.is_some(),
			SigningKeyKind::Vlek => trusted.asvk.is_some(),
		};
		if !trusted_kind {
			continue;
		}
		let chain = kds.cert_chain(product, kind).await?;
		kds::verify_chain(product, kind, &chain, anchors)?;
		let der = kds.crl(product, kind).await?;
		let crl = kds::verify_crl(product, kind, &der, anchors, now)?;
		fetched.chains.push((kind, chain));
		fetched.crls.push((kind, der, crl));
	}
	Ok(fetched)
}

/// The file a TDX bundle is written to: `tdx-<FMSPC>.json` for the primary CA (the quote's,
/// or the Platform CA), `tdx-<FMSPC>-processor.json` / `-platform.json` for the other.
pub fn tdx_file(dir: &Path, fmspc: [u8; 6], ca: PckCa, primary: bool) -> PathBuf {
	let fmspc = hex::encode_upper(fmspc);
	if primary {
		dir.join(format!("tdx-{fmspc}.json"))
	} else {
		dir.join(format!("tdx-{fmspc}-{}.json", pcs::ca_name(ca)))
	}
}

/// Writes `bytes` to `path` atomically (a temporary file renamed into place).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
	let tmp = path.with_extension("tmp");
	std::fs::write(&tmp, bytes)
		.and_then(|()| std::fs::rename(&tmp, path))
		.map_err(|e| CliError::BadInput(format!("writing {}: {e}", path.display())))
}

/// Writes a verified TDX bundle in the collateral JSON form.
pub fn write_tdx(path: &Path, fetched: &FetchedTdx) -> Result<(), CliError> {
	let json = collateral_fetch::json::to_json(&fetched.collateral);
	let text =
		serde_json::to_string_pretty(&json).map_err(|e| CliError::BadInput(e.to_string()))?;
	write_file(path, text.as_bytes())
}

/// Writes a product's CRLs (`snp-<Product>.pem`, what `collateral upload` takes) and chains
/// (`snp-<Product>-vcek-chain.pem`, `-vlek-chain.pem`); returns the paths.
pub fn write_snp(dir: &Path, fetched: &FetchedSnp) -> Result<Vec<PathBuf>, CliError> {
	let name = fetched.product.name();
	let mut written = Vec::new();
	let crls: Vec<pem::Pem> = fetched
		.crls
		.iter()
		.map(|(_, der, _)| pem::Pem::new("X509 CRL", der.clone()))
		.collect();
	if !crls.is_empty() {
		let path = dir.join(format!("snp-{name}.pem"));
		write_file(&path, pem::encode_many(&crls).as_bytes())?;
		written.push(path);
	}
	for (kind, chain) in &fetched.chains {
		let kind = match kind {
			SigningKeyKind::Vcek => "vcek",
			SigningKeyKind::Vlek => "vlek",
		};
		let path = dir.join(format!("snp-{name}-{kind}-chain.pem"));
		let blocks: Vec<pem::Pem> = chain
			.iter()
			.map(|der| pem::Pem::new("CERTIFICATE", der.clone()))
			.collect();
		write_file(&path, pem::encode_many(&blocks).as_bytes())?;
		written.push(path);
	}
	Ok(written)
}

/// The chain's stored TDX parts a bundle for (`fmspc`, `ca`) would be compared with; a part
/// verified under another Intel root than `root_sha256` counts as absent, as on chain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChainTdx {
	/// TCB Info of the FMSPC.
	pub tcb_info: Option<Freshness>,
	/// QE Identity.
	pub qe_identity: Option<Freshness>,
	/// The CA's PCK CRL.
	pub pck_crl: Option<Freshness>,
	/// Root CA CRL.
	pub root_ca_crl: Option<Freshness>,
}

/// Reads [`ChainTdx`] at `at`.
pub async fn chain_tdx(
	at: &chain::At,
	fmspc: [u8; 6],
	ca: PckCa,
	root_sha256: [u8; 32],
) -> Result<ChainTdx, CliError> {
	fn usable<P>(part: Option<VerifiedPart<P>>, root: [u8; 32]) -> Option<Freshness> {
		part.filter(|p| p.root_sha256() == root)
			.map(|p| p.freshness())
	}
	let ca_key = Value::unnamed_variant(format!("{ca:?}"), []);
	Ok(ChainTdx {
		tcb_info: usable(
			chain::map_value::<VerifiedPart<TcbInfoPart>>(
				at,
				"TdxTcbInfo",
				Value::from_bytes(fmspc),
			)
			.await?,
			root_sha256,
		),
		qe_identity: usable(
			chain::value::<VerifiedPart<QeIdentityPart>>(at, "TdxQeIdentity").await?,
			root_sha256,
		),
		pck_crl: usable(
			chain::map_value::<VerifiedPart<PckCrlPart>>(at, "TdxPckCrl", ca_key).await?,
			root_sha256,
		),
		root_ca_crl: usable(
			chain::value::<VerifiedPart<RootCaCrlPart>>(at, "TdxRootCaCrl").await?,
			root_sha256,
		),
	})
}

/// What the chain would do with a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
	/// Store these parts (newer than the chain's, or new).
	Upload(Vec<&'static str>),
	/// Nothing is newer: not worth a transaction.
	NothingNewer,
	/// This part is older than the chain's: the chain would refuse the bundle (a rollback).
	Older(&'static str),
}

/// The chain's rule for a TDX bundle (see `store_tdx_parts`), applied off chain.
pub fn plan_tdx(parts: &TdxCollateralParts, on_chain: &ChainTdx) -> Plan {
	let pairs = [
		("TCB Info", parts.tcb_info.freshness(), on_chain.tcb_info),
		(
			"QE Identity",
			parts.qe_identity.freshness(),
			on_chain.qe_identity,
		),
		("PCK CRL", parts.pck_crl.freshness(), on_chain.pck_crl),
		(
			"root CA CRL",
			parts.root_ca_crl.freshness(),
			on_chain.root_ca_crl,
		),
	];
	let mut newer = Vec::new();
	for (name, new, old) in pairs {
		match old {
			Some(old) if new.is_older_than(&old) => return Plan::Older(name),
			Some(old) if !new.is_newer_than(&old) => {}
			_ => newer.push(name),
		}
	}
	if newer.is_empty() {
		Plan::NothingNewer
	} else {
		Plan::Upload(newer)
	}
}

/// The chain's rule for AMD CRLs (see `store_amd_crls`): upload when one of them changes
/// the stored CRL of the product (the union under the same ARK; a new ARK replaces it).
pub fn plan_snp(fetched: &FetchedSnp, stored: Option<&VerifiedAmdCrl>) -> Plan {
	let mut current = stored.cloned();
	let mut changed = false;
	for (_, _, crl) in &fetched.crls {
		let next = match &current {
			Some(old) if old.ark_sha256() == crl.ark_sha256() => match crl.clone().merged_into(old)
			{
				Ok(CrlMerge::Updated(merged)) => merged,
				Ok(CrlMerge::Unchanged) => continue,
				Err(_) => return Plan::Older("CRL"),
			},
			_ => crl.clone(),
		};
		changed = true;
		current = Some(next);
	}
	if changed {
		Plan::Upload(vec!["CRL"])
	} else {
		Plan::NothingNewer
	}
}

/// The chain's stored CRL of `product`.
pub async fn chain_crl(
	at: &chain::At,
	product: SnpProduct,
) -> Result<Option<VerifiedAmdCrl>, CliError> {
	let key = Value::unnamed_variant(product.name(), []);
	chain::map_value::<VerifiedAmdCrl>(at, "SnpCrls", key).await
}

/// The AMD CRLs as one upload (a CRL served at both paths is sent once: the chain refuses
/// duplicates).
pub fn snp_upload(fetched: &FetchedSnp) -> Result<Collateral, CliError> {
	let mut crls: Vec<Vec<u8>> = Vec::new();
	for (_, der, _) in &fetched.crls {
		if !crls.contains(der) {
			crls.push(der.clone());
		}
	}
	kds::snp_collateral(crls)
		.map(Collateral::Snp)
		.map_err(cli_error)
}

/// Unix seconds now (the local clock).
pub fn unix_now() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |d| d.as_secs())
}

/// Submits `upload_collateral(collateral)` signed by `signer` at the latest finalized block
/// (so that a second upload after a first one takes the next nonce) and waits for finality:
/// `Ok(Ok(()))` stored, `Ok(Err(reason))` refused by the chain.
pub async fn upload(
	chain: &chain::Chain,
	collateral: &Collateral,
	signer: &subxt_signer::sr25519::Keypair,
) -> Result<Result<(), String>, CliError> {
	let at = chain.latest().await?;
	let call = tee_worker::scale_call::build(
		at.metadata_ref(),
		"Attestation",
		"upload_collateral",
		&[collateral.encode()],
	)
	.map_err(CliError::BadInput)?;
	chain::submit(&at, "upload_collateral", &call, signer)
		.await
		.map(|r| r.map(|_| ()))
}

/// SHA-256 of the trusted Intel root (what stored parts record), if there is one.
pub fn intel_root_sha256(anchors: &TrustAnchors) -> Option<[u8; 32]> {
	use sha2::Digest;
	anchors
		.intel_root_ca
		.as_ref()
		.map(|der| sha2::Sha256::digest(der.as_slice()).into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
	use super::*;

	fn parts_at(now: u64) -> TdxCollateralParts {
		let roots = mock_tee::DevRoots::dev().unwrap();
		let c = roots
			.tdx_collateral(now, &mock_tee::TdxTcbConfig::default())
			.unwrap()
			.to_verifier()
			.unwrap();
		let anchors = roots.trust_anchors().unwrap();
		pcs::verify(&c, &anchors, now).unwrap()
	}

	#[test]
	fn a_bundle_is_uploaded_only_when_a_part_is_newer_and_none_older() {
		let now = 1_780_000_000;
		let parts = parts_at(now);
		let fresh = |p: &TdxCollateralParts| ChainTdx {
			tcb_info: Some(p.tcb_info.freshness()),
			qe_identity: Some(p.qe_identity.freshness()),
			pck_crl: Some(p.pck_crl.freshness()),
			root_ca_crl: Some(p.root_ca_crl.freshness()),
		};
		// Nothing on chain: everything is new.
		assert_eq!(
			plan_tdx(&parts, &ChainTdx::default()).clone(),
			Plan::Upload(vec!["TCB Info", "QE Identity", "PCK CRL", "root CA CRL"])
		);
		// The same bundle again: nothing newer.
		assert_eq!(plan_tdx(&parts, &fresh(&parts)), Plan::NothingNewer);
		// A later issue is newer in every part.
		let later = parts_at(now + 60);
		assert_eq!(
			plan_tdx(&later, &fresh(&parts)),
			Plan::Upload(vec!["TCB Info", "QE Identity", "PCK CRL", "root CA CRL"])
		);
		// An earlier issue would be a rollback: never submitted.
		assert_eq!(plan_tdx(&parts, &fresh(&later)), Plan::Older("TCB Info"));
		// Only the PCK CRL is newer: that alone is worth an upload.
		let mut chain = fresh(&later);
		chain.pck_crl = Some(parts.pck_crl.freshness());
		assert_eq!(plan_tdx(&later, &chain), Plan::Upload(vec!["PCK CRL"]));
	}

	#[test]
	fn fmspcs_and_products_parse_strictly() {
		assert_eq!(
			parse_fmspc("b0c06f000000").unwrap(),
			[0xb0, 0xc0, 0x6f, 0, 0, 0]
		);
		assert_eq!(
			parse_fmspc("B0C06F000000").unwrap(),
			[0xb0, 0xc0, 0x6f, 0, 0, 0]
		);
		assert!(matches!(parse_fmspc("B0C06F"), Err(CliError::BadInput(_))));
		assert!(matches!(parse_fmspc("zz"), Err(CliError::BadInput(_))));
		assert_eq!(parse_product("milan").unwrap(), SnpProduct::Milan);
		assert!(matches!(
			parse_product("Naples"),
			Err(CliError::BadInput(_))
		));
	}
}
