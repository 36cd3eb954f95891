//! Intel TDX collateral from a PCS v4 API (Intel's, or a PCCS that mirrors it): TCB Info of an
//! FMSPC, the TDX QE Identity, the PCK CRL of either PCK CA and the root CA CRL, assembled
//! into the bundle the chain takes and verified against the trusted roots.
//!
//! Paths (relative to the base URL): `/tdx/certification/v4/tcb?fmspc=`,
//! `/tdx/certification/v4/qe/identity`, `/sgx/certification/v4/pckcrl?ca=platform|processor&encoding=der`
//! and `/sgx/certification/v4/rootcacrl`; the issuer chains come URL-encoded in the
//! `TCB-Info-Issuer-Chain`, `SGX-Enclave-Identity-Issuer-Chain` and `SGX-PCK-CRL-Issuer-Chain`
//! headers.

use serde::Deserialize;
use serde_json::value::RawValue;
use tee_verifier::{
	tdx::{PckCa, TdxCollateralParts},
	BoundedBytes, TdxCollateral, TrustAnchors, VerifiedTdxCollateral,
};

use crate::{http::Response, FetchError, Http};

/// Where Intel publishes the root CA CRL (Intel's PCS has no `rootcacrl` path; a PCCS has).
pub const INTEL_ROOT_CA_CRL: &str =
	"https://certificates.trustedservices.intel.com/IntelSGXRootCA.der";

/// A signed Intel JSON document as served: its exact bytes, signature and issuer chain.
#[derive(Clone, Debug)]
pub struct SignedDocument {
	/// The signed JSON object, byte for byte as the server sent it.
	pub json: String,
	/// ECDSA P-256 `r || s`.
	pub signature: [u8; 64],
	/// PEM chain of the signer (TCB Signing certificate, then root).
	pub issuer_chain: String,
}

/// A PCK CRL and its issuer chain.
#[derive(Clone, Debug)]
pub struct PckCrl {
	/// DER.
	pub der: Vec<u8>,
	/// PEM chain of the issuer (the PCK CA, then root).
	pub issuer_chain: String,
}

/// A PCS v4 / PCCS endpoint.
pub struct Pcs<'a> {
	http: &'a Http,
	base: String,
	root_ca_crl: String,
}

#[derive(Deserialize)]
struct TcbInfoBody {
	#[serde(rename = "tcbInfo")]
	tcb_info: Box<RawValue>,
	signature: String,
}

#[derive(Deserialize)]
struct QeIdentityBody {
	#[serde(rename = "enclaveIdentity")]
	enclave_identity: Box<RawValue>,
	signature: String,
}

/// The lowercase query name of a PCK CA.
pub fn ca_name(ca: PckCa) -> &'static str {
	match ca {
		PckCa::Platform => "platform",
		PckCa::Processor => "processor",
	}
}

impl<'a> Pcs<'a> {
	/// The API at `base` (e.g. [`crate::INTEL_PCS`] or `https://pccs.internal:8081`).
	pub fn new(http: &'a Http, base: &str) -> Self {
		Self {
			http,
			base: base.trim_end_matches('/').to_string(),
			root_ca_crl: INTEL_ROOT_CA_CRL.to_string(),
		}
	}

	/// Where the root CA CRL is fetched when the API has no `rootcacrl` path (default
	/// [`INTEL_ROOT_CA_CRL`]).
	pub fn with_root_ca_crl(mut self, url: &str) -> Self {
		self.root_ca_crl = url.to_string();
		self
	}

	/// TCB Info of `fmspc` (404: Intel does not know that FMSPC).
	pub async fn tcb_info(&self, fmspc: [u8; 6]) -> Result<SignedDocument, FetchError> {
		let fmspc_hex = hex::encode_upper(fmspc);
		let url = format!("{}/tdx/certification/v4/tcb?fmspc={fmspc_hex}", self.base);
		let response = self
			.get(&url, &format!(" (unknown FMSPC {fmspc_hex}?)"))
			.await?;
		let chain = issuer_chain(
			&response,
			&["TCB-Info-Issuer-Chain", "SGX-TCB-Info-Issuer-Chain"],
		)?;
		let body: TcbInfoBody = serde_json::from_slice(&response.body)
			.map_err(|e| response.malformed(format!("not a TCB Info response: {e}")))?;
		Ok(SignedDocument {
			json: body.tcb_info.get().to_string(),
			signature: signature(&response, &body.signature)?,
			issuer_chain: chain,
		})
	}

	/// The TDX QE Identity.
	pub async fn qe_identity(&self) -> Result<SignedDocument, FetchError> {
		let url = format!("{}/tdx/certification/v4/qe/identity", self.base);
		let response = self.get(&url, "").await?;
		let chain = issuer_chain(
			&response,
			&[
				"SGX-Enclave-Identity-Issuer-Chain",
				"Enclave-Identity-Issuer-Chain",
			],
		)?;
		let body: QeIdentityBody = serde_json::from_slice(&response.body)
			.map_err(|e| response.malformed(format!("not a QE Identity response: {e}")))?;
		Ok(SignedDocument {
			json: body.enclave_identity.get().to_string(),
			signature: signature(&response, &body.signature)?,
			issuer_chain: chain,
		})
	}

	/// The CRL of the PCK CA `ca`.
	pub async fn pck_crl(&self, ca: PckCa) -> Result<PckCrl, FetchError> {
		let url = format!(
			"{}/sgx/certification/v4/pckcrl?ca={}&encoding=der",
			self.base,
			ca_name(ca)
		);
		let response = self.get(&url, "").await?;
		let chain = issuer_chain(&response, &["SGX-PCK-CRL-Issuer-Chain"])?;
		Ok(PckCrl {
			der: crl_der(&response)?,
			issuer_chain: chain,
		})
	}

	/// The Intel root CA CRL: from the API's `rootcacrl` (a PCCS; hex or DER), or where Intel
	/// publishes it (see [`Pcs::with_root_ca_crl`]) when the API has no such path (404).
	pub async fn root_ca_crl(&self) -> Result<Vec<u8>, FetchError> {
		let url = format!("{}/sgx/certification/v4/rootcacrl", self.base);
		match self.get(&url, "").await {
			Ok(response) => crl_der(&response),
			Err(FetchError::NotFound { .. }) => {
				tracing::info!("{url}: 404; fetching {}", self.root_ca_crl);
				crl_der(&self.http.get(&self.root_ca_crl).await?)
			}
			Err(e) => Err(e),
		}
	}

	/// Everything a quote of `fmspc` whose PCK certificate `ca` issued needs, as one bundle
	/// (not verified: see [`verify`]).
	pub async fn tdx_collateral(
		&self,
		fmspc: [u8; 6],
		ca: PckCa,
	) -> Result<TdxCollateral, FetchError> {
		let (tcb, qe, pck, root) = tokio::try_join!(
			self.tcb_info(fmspc),
			self.qe_identity(),
			self.pck_crl(ca),
			self.root_ca_crl()
		)?;
		bundle(tcb, qe, pck, root)
	}

	async fn get(&self, url: &str, not_found: &str) -> Result<Response, FetchError> {
		self.http.get(url).await.map_err(|e| match e {
			FetchError::NotFound { url, .. } => FetchError::NotFound {
				url,
				hint: not_found.to_string(),
			},
			other => other,
		})
	}
}

/// The four documents as the chain's bundle (checked against the verifier's size bounds).
pub fn bundle(
	tcb: SignedDocument,
	qe: SignedDocument,
	pck: PckCrl,
	root_ca_crl: Vec<u8>,
) -> Result<TdxCollateral, FetchError> {
	fn bounded<const N: u32>(what: &str, bytes: Vec<u8>) -> Result<BoundedBytes<N>, FetchError> {
		let len = bytes.len();
		bytes.try_into().map_err(|_| FetchError::Rejected {
			what: what.to_string(),
			reason: format!("{len} bytes, more than the verifier's limit of {N}"),
		})
	}
	Ok(TdxCollateral {
		pck_crl_issuer_chain: bounded("PCK CRL issuer chain", pck.issuer_chain.into_bytes())?,
		root_ca_crl: bounded("root CA CRL", root_ca_crl)?,
		pck_crl: bounded("PCK CRL", pck.der)?,
		tcb_info_issuer_chain: bounded("TCB Info issuer chain", tcb.issuer_chain.into_bytes())?,
		tcb_info: bounded("TCB Info", tcb.json.into_bytes())?,
		tcb_info_signature: tcb.signature,
		qe_identity_issuer_chain: bounded(
			"QE Identity issuer chain",
			qe.issuer_chain.into_bytes(),
		)?,
		qe_identity: bounded("QE Identity", qe.json.into_bytes())?,
		qe_identity_signature: qe.signature,
	})
}

/// Verifies a bundle against `anchors` at `now`, exactly as the chain does on upload, and
/// returns its parts with their freshness.
pub fn verify(
	collateral: &TdxCollateral,
	anchors: &TrustAnchors,
	now: u64,
) -> Result<TdxCollateralParts, FetchError> {
	VerifiedTdxCollateral::verify_parts(collateral.clone(), anchors, now).map_err(|e| {
		FetchError::Rejected {
			what: "TDX collateral".into(),
			reason: e.to_string(),
		}
	})
}

/// A URL-encoded PEM chain from the first of `names` present.
fn issuer_chain(response: &Response, names: &[&str]) -> Result<String, FetchError> {
	let raw = names
		.iter()
		.find_map(|n| response.header(n))
		.ok_or_else(|| response.malformed(format!("no {} header", names.join(" or "))))?;
	let chain = percent_encoding::percent_decode_str(raw)
		.decode_utf8()
		.map_err(|e| {
			response.malformed(format!("{}: not URL-encoded UTF-8: {e}", names.join("/")))
		})?;
	if !chain.contains("-----BEGIN CERTIFICATE-----") {
		return Err(response.malformed(format!("{}: no PEM certificate", names.join("/"))));
	}
	Ok(chain.into_owned())
}

fn signature(response: &Response, text: &str) -> Result<[u8; 64], FetchError> {
	hex::decode(text)
		.ok()
		.and_then(|b| <[u8; 64]>::try_from(b).ok())
		.ok_or_else(|| response.malformed("the signature is not 64 bytes of hex"))
}

/// A CRL body as DER: DER itself, PEM, or hex text (what a PCCS serves for `rootcacrl`).
fn crl_der(response: &Response) -> Result<Vec<u8>, FetchError> {
	let body = response.body.as_ref();
	if body.first() == Some(&0x30) {
		return Ok(body.to_vec());
	}
	let text = std::str::from_utf8(body)
		.map_err(|_| response.malformed("the CRL is neither DER, PEM nor hex"))?
		.trim();
	if text.starts_with("-----BEGIN") {
		return pem::parse(text)
			.map(|p| p.into_contents())
			.map_err(|e| response.malformed(format!("the CRL PEM: {e}")));
	}
	hex::decode(text).map_err(|_| response.malformed("the CRL is neither DER, PEM nor hex"))
}
