//! Inputs of verification: the evidence a worker submits, the trust anchors fixed at genesis
//! and the collateral kept in chain state.
//!
//! Every variable-length field is a [`BoundedBytes`], so a decoded value can never be larger
//! than its bound and every type has a [`MaxEncodedLen`] for on-chain storage. The bounds are
//! generous multiples of what real Intel and AMD data needs (sizes measured on the test vectors
//! are given next to each bound).

use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::verify::SnpProduct;

/// A byte string of at most `N` bytes.
pub type BoundedBytes<const N: u32> = BoundedVec<u8, ConstU32<N>>;

/// Largest accepted TDX quote (real quotes with the PCK chain inside are about 5 KiB).
pub const MAX_QUOTE_LEN: u32 = 16 * 1024;
/// Size of an SEV-SNP ATTESTATION_REPORT (fixed by the SNP firmware ABI).
pub const SNP_REPORT_LEN: u32 = 1184;
/// Largest accepted DER certificate (RSA-4096 AMD certificates are about 1.7 KiB).
pub const MAX_CERT_LEN: u32 = 4 * 1024;
/// Largest accepted PEM certificate chain in Intel collateral (real ones are about 1.9 KiB).
pub const MAX_PEM_CHAIN_LEN: u32 = 8 * 1024;
/// Largest accepted CRL (Intel's PCK CRLs are 0.3 to 3.4 KiB and grow over time).
pub const MAX_CRL_LEN: u32 = 64 * 1024;
/// Largest accepted TCB Info JSON (real TDX TCB Info is 2 to 4.5 KiB).
pub const MAX_TCB_INFO_LEN: u32 = 32 * 1024;
/// Largest accepted QE Identity JSON (real ones are about 0.5 to 1.2 KiB).
pub const MAX_QE_IDENTITY_LEN: u32 = 8 * 1024;
/// Largest number of AMD CRLs in one [`SnpCollateral`] (a VCEK and a VLEK CRL of each of
/// three products).
pub const MAX_AMD_CRLS: u32 = 6;
/// Largest number of AMD products in [`TrustAnchors`].
pub const MAX_AMD_PRODUCTS: u32 = 8;
/// Largest length of one advisory ID (Intel's look like `INTEL-SA-00615`).
pub const MAX_ADVISORY_ID_LEN: u32 = 32;
/// Largest number of advisory IDs reported or allowed.
pub const MAX_ADVISORIES: u32 = 64;

/// A DER-encoded X.509 certificate.
pub type DerCert = BoundedBytes<MAX_CERT_LEN>;

/// An advisory ID such as `INTEL-SA-00615`, as ASCII bytes.
pub type AdvisoryId = BoundedBytes<MAX_ADVISORY_ID_LEN>;

/// Hardware-signed evidence as submitted by a worker.
///
/// TDX evidence is only the quote: the PCK certificate chain is inside it and everything else
/// (TCB Info, QE Identity, CRLs) is collateral in chain state. SNP evidence is the report plus
/// the VCEK or VLEK certificate that signed it; the ASK/ASVK and ARK are trust anchors.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum Evidence {
	/// An Intel TDX DCAP quote (version 4 or 5), exactly as the quoting enclave produced it.
	/// Trailing zero padding after the signature data is tolerated. Without an event log it
	/// proves nothing about RTMR3, so a chain accepts only [`Evidence::TdxWithEventLog`].
	#[codec(index = 0)]
	Tdx {
		/// The raw quote bytes.
		quote: BoundedBytes<MAX_QUOTE_LEN>,
	},
	/// An Intel TDX quote with the TD's event log: the firmware's CCEL log followed by the
	/// runtime events the guest measured into RTMR3 (see [`crate::eventlog`]). Verification
	/// replays the log and refuses it unless it gives exactly the quote's RTMR0-3.
	#[codec(index = 2)]
	TdxWithEventLog {
		/// The raw quote bytes.
		quote: BoundedBytes<MAX_QUOTE_LEN>,
		/// The event log without padding (TCG crypto-agile format).
		event_log: BoundedBytes<{ crate::eventlog::MAX_EVENT_LOG_LEN }>,
	},
	/// An AMD SEV-SNP attestation report and the certificate of the key that signed it.
	#[codec(index = 1)]
	Snp {
		/// The raw 1184-byte ATTESTATION_REPORT.
		report: BoundedBytes<SNP_REPORT_LEN>,
		/// DER of the VCEK or VLEK certificate (from AMD KDS, the host, or the cloud provider).
		vek_der: DerCert,
	},
}

impl Evidence {
	/// The TDX quote, for either TDX form.
	pub fn tdx_quote(&self) -> Option<&[u8]> {
		match self {
			Evidence::Tdx { quote } | Evidence::TdxWithEventLog { quote, .. } => Some(quote),
			Evidence::Snp { .. } => None,
		}
	}
}

/// The roots of trust for one AMD product.
///
/// The ASK and ASVK are pinned here instead of being taken from the evidence: they change
/// rarely, and pinning them means the evidence only needs to carry the leaf certificate.
/// They are still verified against the ARK on every use.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct AmdProductAnchors {
	/// The product these certificates are for.
	pub product: SnpProduct,
	/// DER of the AMD Root Key certificate (self-signed, RSA-4096, RSASSA-PSS SHA-384).
	pub ark: DerCert,
	/// DER of the AMD SEV Key certificate (signed by the ARK; signs VCEKs). `None` rejects VCEKs.
	pub ask: Option<DerCert>,
	/// DER of the AMD SEV VLEK Key certificate (signed by the ARK; signs VLEKs). `None` rejects
	/// VLEKs.
	pub asvk: Option<DerCert>,
}

/// The roots the verifier trusts. Fixed by the deployment (genesis config), never taken from a
/// call.
///
/// Dev chains put the `mock-tee` roots here; production puts Intel's and AMD's. Verification
/// code is the same either way.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct TrustAnchors {
	/// DER of the Intel SGX Root CA (self-signed, ECDSA P-256). `None` rejects all TDX evidence.
	pub intel_root_ca: Option<DerCert>,
	/// AMD roots, at most one entry per product. Empty rejects all SNP evidence.
	pub amd: BoundedVec<AmdProductAnchors, ConstU32<MAX_AMD_PRODUCTS>>,
}

/// Intel DCAP collateral for one platform family (FMSPC), in the PCCS "QuoteCollateralV3" form.
///
/// The JSON fields are the exact signed bytes (the `tcbInfo` / `enclaveIdentity` objects as
/// Intel serialised them); signatures are raw `r || s` over those bytes.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct TdxCollateral {
	/// PEM chain of the PCK CRL issuer (PCK Platform/Processor CA, then root). Kept for
	/// completeness; the PCK CRL is verified against the CA certificate found in the quote.
	pub pck_crl_issuer_chain: BoundedBytes<MAX_PEM_CHAIN_LEN>,
	/// DER of the Intel Root CA CRL (signed by the root; revokes intermediate CAs).
	pub root_ca_crl: BoundedBytes<MAX_CRL_LEN>,
	/// DER of the PCK CRL (signed by the PCK Platform or Processor CA; revokes PCK certificates).
	pub pck_crl: BoundedBytes<MAX_CRL_LEN>,
	/// PEM chain of the TCB Info signer (TCB Signing certificate, then root).
	pub tcb_info_issuer_chain: BoundedBytes<MAX_PEM_CHAIN_LEN>,
	/// The signed TCB Info JSON object.
	pub tcb_info: BoundedBytes<MAX_TCB_INFO_LEN>,
	/// ECDSA P-256 signature (`r || s`) over `tcb_info`.
	pub tcb_info_signature: [u8; 64],
	/// PEM chain of the QE Identity signer (TCB Signing certificate, then root).
	pub qe_identity_issuer_chain: BoundedBytes<MAX_PEM_CHAIN_LEN>,
	/// The signed QE Identity JSON object.
	pub qe_identity: BoundedBytes<MAX_QE_IDENTITY_LEN>,
	/// ECDSA P-256 signature (`r || s`) over `qe_identity`.
	pub qe_identity_signature: [u8; 64],
}

/// AMD collateral: optional CRLs, each signed by a trusted ARK.
///
/// AMD's KDS publishes one CRL per product (revoking ASKs/ASVKs and VCEKs). An empty list means
/// no revocation check; [`crate::verify::SnpClaims::crl_checked`] tells the policy whether one
/// was made.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct SnpCollateral {
	/// DER CRLs, each signed by one of the trusted ARKs.
	pub crls: BoundedVec<BoundedBytes<MAX_CRL_LEN>, ConstU32<MAX_AMD_CRLS>>,
}

/// Collateral matching the evidence's TEE.
///
/// The variants differ in size (the TDX one holds nine bounded fields); values are short-lived
/// and passed by reference, so boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum Collateral {
	/// Intel DCAP collateral for TDX evidence.
	#[codec(index = 0)]
	Tdx(TdxCollateral),
	/// AMD collateral for SNP evidence.
	#[codec(index = 1)]
	Snp(SnpCollateral),
}
