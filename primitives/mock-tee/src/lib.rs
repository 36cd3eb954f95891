//! # mock-tee: dev roots of trust that mint TDX and SEV-SNP evidence
//!
//! **INSECURE, for development and tests only.** Every key in this crate is derived from a
//! seed with a public algorithm, so anyone who knows the seed (and the seed of the dev chain is
//! public) can mint evidence for any measurement. Never trust these roots outside a dev chain.
//!
//! ## Why
//!
//! The dev chain, the worker in a plain VM and the test suites need attestation evidence
//! without TDX or SEV-SNP hardware. This crate plays Intel and AMD: it holds an Intel-style and
//! an AMD-style PKI and mints quotes, reports, certificates and collateral in exactly the
//! binary and JSON formats the hardware and the vendors' services produce. The evidence then
//! goes through the **real** verifier (`tee-verifier`), unchanged: the only difference between
//! dev and production is which roots the verifier trusts (design section 4: "dev mode is data,
//! not code"). Under the real Intel and AMD roots, minted evidence fails.
//!
//! ## Overview
//!
//! - [`DevRoots::from_seed`] derives everything from a seed: same seed, byte-identical
//!   certificates, keys, quotes, reports and collateral (given the same `now`).
//! - Intel side: root CA, PCK platform CA, per-platform PCK leaf certificates carrying the SGX
//!   extension, TCB signing certificate, root CA and PCK CRLs, all ECDSA P-256.
//!   [`DevRoots::mint_tdx_quote`] mints v4/v5 TDX quotes ([`TdxQuoteParams`]) and
//!   [`DevRoots::tdx_collateral`] the signed TCB Info / QE Identity and CRLs
//!   ([`TdxTcbConfig`]) valid around a given time.
//! - AMD side, per [`AmdProduct`]: ARK, ASK and ASVK (RSA-4096, RSASSA-PSS/SHA-384 as AMD),
//!   VCEK/VLEK (P-384) with AMD's extensions. [`DevRoots::mint_snp_report`] mints 1184-byte
//!   attestation reports ([`SnpReportParams`]) with their VCEK or VLEK certificate, and
//!   [`DevRoots::amd_crl`] ARK-signed CRLs.
//! - `tee-verifier` vocabulary: [`DevRoots::trust_anchors`] (what a dev genesis trusts),
//!   [`DevRoots::mint_evidence`] (default, policy-passing evidence for a REPORT_DATA),
//!   [`DevRoots::default_collateral`], [`DevRoots::snp_collateral`],
//!   [`TdxCollateral::to_collateral`], [`tdx_evidence`], [`snp_evidence`].
//! - Every `Default`/`new` parameter set mints evidence that the default `Policy` accepts;
//!   change one field to mint a negative case (debug TD or guest, VMPL 1, migration agent,
//!   OutOfDate or Revoked TCB levels, expired collateral, revoked PCK or ASK, a VCEK for
//!   another chip or TCB, an expired VLEK). The times in certificates are fixed
//!   (2020-01-01 to 2049-12-31) except where a parameter says otherwise; collateral is dated
//!   around the `now` it is minted for.
//!
//! ## Example
//!
//! Mint a TDX quote whose REPORT_DATA is some binding, with its collateral, and run it
//! through the real verifier and the default policy:
//!
//! ```
//! use mock_tee::{DevRoots, TdxQuoteParams, TdxTcbConfig};
//! use tee_verifier::{verify, Policy};
//!
//! let roots = DevRoots::from_seed(b"example")?;
//! let now = 1_767_225_600; // 2026-01-01T00:00:00Z
//! let params = TdxQuoteParams { report_data: [7; 64], mr_td: [1; 48], ..Default::default() };
//! let evidence = roots.mint_tdx_evidence(&params)?;
//! let collateral = roots.tdx_collateral(now, &TdxTcbConfig::default())?.to_collateral()?;
//! // Only the Intel-style root: `trust_anchors()` would also build the AMD ones (RSA keys).
//! let anchors = roots.trust_anchors_for(&[])?;
//!
//! let claims = verify(&evidence, &anchors, &collateral, now).expect("verifies");
//! Policy::default().check(&claims).expect("accepted");
//! assert_eq!(claims.report_data(), &[7; 64]);
//!
//! // The same quote under another seed's roots is refused.
//! let other = DevRoots::from_seed(b"not the same")?.trust_anchors_for(&[])?;
//! assert!(verify(&evidence, &other, &collateral, now).is_err());
//! # Ok::<(), mock_tee::Error>(())
//! ```
//!
//! ## RSA key generation
//!
//! The nine AMD RSA-4096 keys are generated deterministically from the seed, lazily per
//! product, which takes seconds per key in an optimized build and much longer in a debug
//! build. Generated keys are cached in the process and on disk (see [`RSA_CACHE_ENV`]); the
//! cache is keyed by the seed, so it can only ever return the key the seed would generate.

#![forbid(unsafe_code)]

mod amd;
pub mod dev_image;
mod error;
mod intel;
mod keys;
mod snp;
mod tdx;
mod verifier;
mod x509;

use std::sync::{Arc, Mutex};

pub use amd::{AmdProduct, AMD_RSA_BITS};
pub use error::{Error, Result};
pub use keys::RSA_CACHE_ENV;
pub use snp::{
	SnpReportParams, SnpSigningKey, SnpTcb, VekParams, POLICY_DEBUG, POLICY_MIGRATE_MA,
	POLICY_RESERVED_1, POLICY_SINGLE_SOCKET, POLICY_SMT, SNP_REPORT_LEN, SNP_SIGNED_LEN,
};
pub use tdx::{
	IsvTcbLevel, QeIdentityConfig, QeReportParams, TcbStatus, TdxCollateral, TdxModuleIdentity,
	TdxPlatform, TdxQuoteParams, TdxQuoteVersion, TdxTcbConfig, TdxTcbLevel, DEV_QE_MRSIGNER,
	INTEL_QE_VENDOR_ID, TD_ATTR_DEBUG, TD_ATTR_SEPT_VE_DISABLE,
};
pub use tee_verifier::tdx::PckCa;
pub use verifier::{snp_evidence, tdx_evidence};

use sha2::{Digest, Sha256};

/// The seed of the public dev chain's roots (see [`DevRoots::dev`]).
pub const DEV_SEED: &[u8] = b"tee-attest dev roots of trust (public, INSECURE)";

/// The certificates a verifier must trust to accept evidence from one [`DevRoots`]: DER
/// encodings, in the roles of the real Intel SGX Root CA and AMD ARK/ASK/ASVK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevTrustAnchors {
	/// The mock "Intel SGX Root CA" (self-signed, ECDSA P-256).
	pub intel_root_ca: Vec<u8>,
	/// Per product: the AMD-style roots.
	pub amd: Vec<AmdRootCerts>,
}

/// The AMD-style CA certificates of one product, DER.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmdRootCerts {
	/// Which product.
	pub product: AmdProduct,
	/// The ARK (self-signed root).
	pub ark: Vec<u8>,
	/// The ASK (signs VCEKs).
	pub ask: Vec<u8>,
	/// The ASVK (signs VLEKs).
	pub asvk: Vec<u8>,
}

/// Dev roots of trust derived from a seed: mints TDX quotes + collateral and SNP reports +
/// certificates. See the crate docs; **the keys are public and insecure**.
///
/// The Intel PKI is built at construction (a few milliseconds). The AMD PKI of each product
/// is built on first use, since it needs three RSA-4096 keys.
pub struct DevRoots {
	seed: [u8; 32],
	intel: intel::IntelPki,
	amd: [Mutex<Option<Arc<amd::AmdPki>>>; 3],
}

impl core::fmt::Debug for DevRoots {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("DevRoots")
			.field("seed_hash", &hex::encode(Sha256::digest(self.seed)))
			.finish_non_exhaustive()
	}
}

impl DevRoots {
	/// Derive all roots from `seed` (any length; it is hashed). Same seed, same roots.
	pub fn from_seed(seed: &[u8]) -> Result<Self> {
		let mut h = Sha256::new();
		h.update(b"tee-attest/mock-tee/seed");
		h.update(seed);
		let seed: [u8; 32] = h.finalize().into();
		Ok(Self {
			intel: intel::IntelPki::new(&seed)?,
			seed,
			amd: Default::default(),
		})
	}

	/// The roots of the public dev chain ([`DEV_SEED`]).
	pub fn dev() -> Result<Self> {
		Self::from_seed(DEV_SEED)
	}

	fn amd(&self, product: AmdProduct) -> Result<Arc<amd::AmdPki>> {
		let slot = self
			.amd
			.get(product.index())
			.ok_or_else(|| Error::Unsupported(format!("product {product:?}")))?;
		let mut guard = slot.lock().map_err(|_| Error::Key {
			what: "AMD PKI",
			detail: "lock poisoned".into(),
		})?;
		if let Some(pki) = guard.as_ref() {
			return Ok(pki.clone());
		}
		let pki = Arc::new(amd::AmdPki::new(&self.seed, product)?);
		*guard = Some(pki.clone());
		Ok(pki)
	}

	/// The mock Intel SGX Root CA certificate (DER): the TDX trust anchor.
	pub fn intel_root_ca_der(&self) -> &[u8] {
		&self.intel.root.der
	}

	/// The mock Intel SGX PCK Platform CA certificate (DER), issued by the root.
	pub fn intel_pck_platform_ca_der(&self) -> &[u8] {
		&self.intel.platform_ca.der
	}

	/// The mock Intel SGX PCK Processor CA certificate (DER), issued by the root: the second
	/// PCK CA, with a CRL of its own (see [`TdxPlatform::pck_ca`]).
	pub fn intel_pck_processor_ca_der(&self) -> &[u8] {
		&self.intel.processor_ca.der
	}

	/// The mock Intel SGX TCB Signing certificate (DER), which signs TCB Info and QE Identity.
	pub fn intel_tcb_signing_der(&self) -> &[u8] {
		&self.intel.tcb_signing.der
	}

	/// The ARK, ASK and ASVK certificates of `product` (generates its RSA keys on first use).
	pub fn amd_roots(&self, product: AmdProduct) -> Result<AmdRootCerts> {
		let pki = self.amd(product)?;
		Ok(AmdRootCerts {
			product,
			ark: pki.ark.der.clone(),
			ask: pki.ask.der.clone(),
			asvk: pki.asvk.der.clone(),
		})
	}

	/// Every certificate a verifier must trust for evidence from these roots (all products).
	pub fn dev_trust_anchors(&self) -> Result<DevTrustAnchors> {
		Ok(DevTrustAnchors {
			intel_root_ca: self.intel.root.der.clone(),
			amd: AmdProduct::ALL
				.iter()
				.map(|p| self.amd_roots(*p))
				.collect::<Result<Vec<_>>>()?,
		})
	}

	/// Mint a TDX quote. The quote is signed by the attestation key of `params.platform`,
	/// whose QE report is signed by that platform's PCK key; the PCK chain is embedded.
	pub fn mint_tdx_quote(&self, params: &TdxQuoteParams) -> Result<Vec<u8>> {
		tdx::mint_quote(&self.intel, &self.seed, params)
	}

	/// Mint TDX collateral: TCB Info and QE Identity signed by the TCB signing key, the root
	/// CA and PCK CRLs, issued `config.issued_before_now` before `now` and valid for
	/// `config.validity` seconds. Evaluate at `now` to accept; past `nextUpdate` to test
	/// expiry (or mint with an earlier `now`).
	pub fn tdx_collateral(&self, now: u64, config: &TdxTcbConfig) -> Result<TdxCollateral> {
		tdx::mint_collateral(&self.intel, now, config)
	}

	/// The serial number (big-endian) of the PCK certificate of `platform`, for
	/// [`TdxTcbConfig::revoked_pck_serials`].
	pub fn pck_serial(&self, platform: &TdxPlatform) -> Result<Vec<u8>> {
		tdx::pck_serial(&self.intel, platform)
	}

	/// The PCK certificate (DER) of `platform`, as embedded in its quotes.
	pub fn pck_certificate_der(&self, platform: &TdxPlatform) -> Result<Vec<u8>> {
		Ok(self.intel.pck(platform)?.der)
	}

	/// Mint an SEV-SNP attestation report and the VCEK or VLEK certificate (DER) whose key
	/// signed it. Returns `(report, vek_der)`.
	pub fn mint_snp_report(&self, params: &SnpReportParams) -> Result<(Vec<u8>, Vec<u8>)> {
		let pki = self.amd(params.product)?;
		snp::mint_report(&pki, &self.seed, params)
	}

	/// The serial number (big-endian) of the ASK of `product`, for [`DevRoots::amd_crl`].
	pub fn amd_ask_serial(&self, product: AmdProduct) -> Result<Vec<u8>> {
		Ok(self
			.amd(product)?
			.ask
			.cert
			.tbs_certificate()
			.serial_number()
			.as_bytes()
			.to_vec())
	}

	/// The serial number (big-endian) of the ASVK of `product` (what AMD's VLEK CRL revokes).
	pub fn amd_asvk_serial(&self, product: AmdProduct) -> Result<Vec<u8>> {
		Ok(self
			.amd(product)?
			.asvk
			.cert
			.tbs_certificate()
			.serial_number()
			.as_bytes()
			.to_vec())
	}

	/// An AMD-style CRL of `product` (signed by its ARK with RSA-PSS) listing `revoked` serial
	/// numbers, valid from `this_update` to `next_update` (Unix seconds).
	pub fn amd_crl(
		&self,
		product: AmdProduct,
		this_update: u64,
		next_update: u64,
		revoked: &[Vec<u8>],
	) -> Result<Vec<u8>> {
		self.amd(product)?.crl(this_update, next_update, revoked)
	}
}

#[cfg(test)]
mod tests;
