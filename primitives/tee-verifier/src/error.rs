//! Typed verification errors.
//!
//! Every variant says *what* failed so that the pallet can log it, the worker can map it to an
//! HTTP status and the CLI to an exit code. Errors are small `Copy` values with a SCALE encoding
//! so they can also travel in events or RPC answers; they never carry attacker-controlled text.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;

/// Which certificate of a chain an error is about.
///
/// Chains are short and their roles are fixed by the vendors' PKIs, so naming the role is more
/// useful to an operator than an index into a list.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum CertRole {
	/// The caller's trust anchor (Intel SGX Root CA or an AMD ARK).
	Root,
	/// Intel PCK leaf certificate (inside the quote).
	PckLeaf,
	/// Intel PCK Platform or Processor CA (inside the quote).
	PckCa,
	/// Intel TCB Signing certificate (signs TCB Info and QE Identity).
	TcbSigning,
	/// AMD ASK (signs VCEKs), taken from the trust anchors.
	Ask,
	/// AMD ASVK (signs VLEKs), taken from the trust anchors.
	Asvk,
	/// AMD VCEK or VLEK (the evidence's leaf certificate).
	Vek,
}

/// What went wrong with one certificate.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum CertError {
	/// The DER does not parse as an X.509 certificate (or has trailing bytes).
	Malformed,
	/// The signature or key algorithm is not the one this PKI uses.
	UnsupportedAlgorithm,
	/// The public key does not decode for its algorithm.
	BadPublicKey,
	/// The certificate's issuer name is not its parent's subject name.
	IssuerMismatch,
	/// The parent's signature over the certificate does not verify.
	SignatureInvalid,
	/// `now` is before the certificate's notBefore.
	NotYetValid,
	/// `now` is after the certificate's notAfter.
	Expired,
	/// The parent is not a CA (basicConstraints cA is not set).
	NotCa,
	/// The certificate's serial number is listed in a verified CRL.
	Revoked,
	/// The chain does not end in the caller's trust anchor.
	Untrusted,
	/// A required vendor extension is missing or malformed.
	BadExtension,
	/// The certificate is not one of the kind this role needs (by its subject name, or a CA
	/// where a leaf belongs and the other way round).
	WrongRole,
}

/// Which part of the Intel collateral an error is about.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum CollateralPart {
	/// The TCB Info JSON and its signature.
	TcbInfo,
	/// The QE Identity JSON and its signature.
	QeIdentity,
	/// The Intel Root CA CRL.
	RootCaCrl,
	/// The PCK (Platform or Processor CA) CRL.
	PckCrl,
	/// The TCB Info issuer chain (PEM).
	TcbInfoIssuerChain,
	/// The QE Identity issuer chain (PEM).
	QeIdentityIssuerChain,
	/// An AMD CRL (signed by an ARK).
	AmdCrl,
	/// The PCK CRL issuer chain (PEM: PCK CA, then root).
	PckCrlIssuerChain,
}

/// Failures of TDX (Intel DCAP) verification.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum TdxError {
	/// The quote ends before a field that its header or length fields promise.
	QuoteTruncated,
	/// Bytes after the quote's authentication data are not zero padding.
	TrailingBytes,
	/// The quote is longer than [`crate::evidence::MAX_QUOTE_LEN`] (only reachable from raw bytes).
	QuoteTooLong,
	/// The quote version is not 4 or 5 (v3 quotes are SGX-only).
	UnsupportedQuoteVersion(u16),
	/// The quote's TEE type is not TDX (0x81); SGX quotes (0) end here.
	NotTdx(u32),
	/// The attestation key type is not ECDSA-256 with P-256 (2).
	UnsupportedAttestationKeyType(u16),
	/// The QE vendor ID is not Intel's.
	UnknownQeVendor,
	/// A v5 quote body type is not a TD report (2 = TDX 1.0, 3 = TDX 1.5).
	UnsupportedBodyType(u16),
	/// A v5 quote body size does not match its body type.
	BodySizeMismatch,
	/// The certification data type is not what DCAP uses here (6 outer, 5 inner PEM chain).
	UnsupportedCertificationDataType(u16),
	/// The PCK certificate chain inside the quote is not valid PEM or has too many certificates.
	MalformedPckChain,
	/// The trust anchors hold no Intel SGX Root CA.
	NoIntelRoot,
	/// The Intel trust anchor does not parse or is not a self-issued CA.
	BadTrustAnchor,
	/// Stored collateral was verified under another Intel root than the current anchor: it
	/// must be uploaded (verified) again.
	CollateralUnderOtherRoot,
	/// A certificate of a chain failed (role, what failed).
	Certificate(CertRole, CertError),
	/// A collateral field does not parse (bad JSON, PEM, DER or hex).
	CollateralMalformed(CollateralPart),
	/// A collateral signature (JSON or CRL) does not verify.
	CollateralSignatureInvalid(CollateralPart),
	/// `now` is before a collateral item's issueDate/thisUpdate.
	CollateralNotYetValid(CollateralPart),
	/// `now` is after a collateral item's nextUpdate.
	CollateralExpired(CollateralPart),
	/// The TCB Info is not TDX TCB Info v3, or its FMSPC/PCE-ID differ from the PCK certificate.
	TcbInfoMismatch,
	/// The QE Identity is not a TD_QE identity of a supported version.
	QeIdentityMismatch,
	/// The PCK certificate's signature over the QE report does not verify.
	QeReportSignatureInvalid,
	/// The QE report does not commit to the attestation key and QE auth data.
	AttestationKeyBindingMismatch,
	/// The QE report's MRSIGNER, ISVPRODID, MISCSELECT or ATTRIBUTES differ from the QE Identity.
	QeReportMismatch,
	/// The QE's ISVSVN is below every TCB level of the QE Identity.
	NoMatchingQeTcbLevel,
	/// The attestation key's signature over the quote header and body does not verify.
	QuoteSignatureInvalid,
	/// No TCB level in the TCB Info is met by the platform's SVNs (CPUSVN, PCESVN, TEE_TCB_SVN).
	NoMatchingTcbLevel,
	/// The TDX module's signer or SEAM attributes differ from the TCB Info's module identity.
	TdxModuleMismatch,
	/// The TCB Info has no TDX module identity / level for the module's version and SVN.
	NoMatchingTdxModuleLevel,
	/// A TCB level carries a status string this verifier does not know.
	UnknownTcbStatus,
	/// The PCK CRL is not the CRL of the PCK CA that issued the quote's PCK certificate (its
	/// issuer name, or the CA that signed it, differs). Intel has two PCK CAs with a CRL each.
	PckCrlIssuerMismatch,
	/// The PCK CA is neither Intel's PCK Platform CA nor its PCK Processor CA.
	UnknownPckCa,
	/// Collateral parts verified under different Intel roots cannot be combined.
	PartsUnderDifferentRoots,
}

/// Failures of AMD SEV-SNP verification.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum SnpError {
	/// The report is not exactly 1184 bytes (the SNP ABI's ATTESTATION_REPORT size).
	ReportLength(u32),
	/// The report version is not 2, 3 or 5.
	UnsupportedReportVersion(u32),
	/// The report's signature algorithm is not ECDSA P-384 with SHA-384 (1).
	UnsupportedSignatureAlgorithm(u32),
	/// The report's SIGNING_KEY field is neither VCEK (0) nor VLEK (1).
	UnsupportedSigningKey(u32),
	/// The VEK certificate is not the kind (VCEK/VLEK) that the report says signed it.
	SigningKeyMismatch,
	/// The product (Milan, Genoa, Turin) cannot be determined from the report and certificate.
	UnknownProduct,
	/// The trust anchors hold no ASK (VCEK) or ASVK (VLEK) that issued the certificate.
	NoTrustAnchor,
	/// The report's CPUID names another product than the certificate chain.
	ProductMismatch,
	/// A certificate of the chain failed (role, what failed).
	Certificate(CertRole, CertError),
	/// The VCEK's hwID extension differs from the report's CHIP_ID.
	ChipIdMismatch,
	/// A VEK TCB extension (blSPL, teeSPL, snpSPL, ucodeSPL, fmcSPL) differs from REPORTED_TCB.
	TcbMismatch,
	/// The report's ECDSA P-384 signature does not verify under the VEK.
	ReportSignatureInvalid,
	/// An AMD CRL does not parse.
	CrlMalformed,
	/// An AMD CRL's signature does not verify under any trusted ARK.
	CrlSignatureInvalid,
	/// `now` is outside an AMD CRL's thisUpdate..nextUpdate window.
	CrlOutOfDate,
	/// The same AMD CRL twice in one upload.
	DuplicateCrl,
	/// The AMD CRLs of a product list more serials together than a chain keeps.
	TooManyRevocations,
}

/// Why [`crate::verify()`] refused the evidence.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum VerifyError {
	/// TDX evidence was given SNP collateral or the other way round.
	CollateralMismatch,
	/// TDX verification failed.
	Tdx(TdxError),
	/// SEV-SNP verification failed.
	Snp(SnpError),
	/// The TDX quote verified but its event log is malformed or does not replay to it.
	EventLog(crate::eventlog::EventLogError),
}

impl From<TdxError> for VerifyError {
	fn from(e: TdxError) -> Self {
		VerifyError::Tdx(e)
	}
}

impl From<SnpError> for VerifyError {
	fn from(e: SnpError) -> Self {
		VerifyError::Snp(e)
	}
}

impl fmt::Display for CertRole {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			CertRole::Root => "trust anchor",
			CertRole::PckLeaf => "PCK certificate",
			CertRole::PckCa => "PCK CA certificate",
			CertRole::TcbSigning => "TCB signing certificate",
			CertRole::Ask => "ASK",
			CertRole::Asvk => "ASVK",
			CertRole::Vek => "VCEK/VLEK",
		})
	}
}

impl fmt::Display for CertError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			CertError::Malformed => "is malformed",
			CertError::UnsupportedAlgorithm => "uses an unsupported algorithm",
			CertError::BadPublicKey => "has an invalid public key",
			CertError::IssuerMismatch => "is not issued by its parent",
			CertError::SignatureInvalid => "has an invalid signature",
			CertError::NotYetValid => "is not yet valid",
			CertError::Expired => "has expired",
			CertError::NotCa => "is issued by a non-CA certificate",
			CertError::Revoked => "is revoked",
			CertError::Untrusted => "does not chain to the trust anchor",
			CertError::BadExtension => "has a missing or malformed vendor extension",
			CertError::WrongRole => "is not a certificate of this role",
		})
	}
}

impl fmt::Display for CollateralPart {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			CollateralPart::TcbInfo => "TCB Info",
			CollateralPart::QeIdentity => "QE Identity",
			CollateralPart::RootCaCrl => "root CA CRL",
			CollateralPart::PckCrl => "PCK CRL",
			CollateralPart::TcbInfoIssuerChain => "TCB Info issuer chain",
			CollateralPart::QeIdentityIssuerChain => "QE Identity issuer chain",
			CollateralPart::AmdCrl => "AMD CRL",
			CollateralPart::PckCrlIssuerChain => "PCK CRL issuer chain",
		})
	}
}

impl fmt::Display for TdxError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			TdxError::QuoteTruncated => f.write_str("quote is truncated"),
			TdxError::QuoteTooLong => f.write_str("quote is too long"),
			TdxError::TrailingBytes => f.write_str("non-zero bytes after the quote"),
			TdxError::UnsupportedQuoteVersion(v) => write!(f, "unsupported quote version {v}"),
			TdxError::NotTdx(t) => write!(f, "TEE type {t:#x} is not TDX"),
			TdxError::UnsupportedAttestationKeyType(t) => {
				write!(f, "unsupported attestation key type {t}")
			}
			TdxError::UnknownQeVendor => f.write_str("unknown QE vendor"),
			TdxError::UnsupportedBodyType(t) => write!(f, "unsupported quote body type {t}"),
			TdxError::BodySizeMismatch => f.write_str("quote body size does not match its type"),
			TdxError::UnsupportedCertificationDataType(t) => {
				write!(f, "unsupported certification data type {t}")
			}
			TdxError::MalformedPckChain => f.write_str("malformed PCK certificate chain"),
			TdxError::NoIntelRoot => f.write_str("no Intel root CA in the trust anchors"),
			TdxError::CollateralUnderOtherRoot => {
				f.write_str("stored collateral was verified under another Intel root CA")
			}
			TdxError::BadTrustAnchor => f.write_str("the Intel trust anchor is invalid"),
			TdxError::Certificate(role, e) => write!(f, "{role} {e}"),
			TdxError::CollateralMalformed(p) => write!(f, "{p} is malformed"),
			TdxError::CollateralSignatureInvalid(p) => write!(f, "{p} signature is invalid"),
			TdxError::CollateralNotYetValid(p) => write!(f, "{p} is not yet valid"),
			TdxError::CollateralExpired(p) => write!(f, "{p} has expired"),
			TdxError::TcbInfoMismatch => f.write_str("TCB Info does not match the platform"),
			TdxError::QeIdentityMismatch => f.write_str("QE Identity is not a TD QE identity"),
			TdxError::QeReportSignatureInvalid => f.write_str("QE report signature is invalid"),
			TdxError::AttestationKeyBindingMismatch => {
				f.write_str("QE report does not commit to the attestation key")
			}
			TdxError::QeReportMismatch => f.write_str("QE report does not match the QE Identity"),
			TdxError::NoMatchingQeTcbLevel => f.write_str("QE SVN is below every QE TCB level"),
			TdxError::QuoteSignatureInvalid => f.write_str("quote signature is invalid"),
			TdxError::NoMatchingTcbLevel => f.write_str("no TCB level matches the platform"),
			TdxError::TdxModuleMismatch => f.write_str("TDX module identity mismatch"),
			TdxError::NoMatchingTdxModuleLevel => {
				f.write_str("no TDX module TCB level matches the module")
			}
			TdxError::UnknownTcbStatus => f.write_str("unknown TCB status in collateral"),
			TdxError::PckCrlIssuerMismatch => {
				f.write_str("the PCK CRL is not the CRL of the quote's PCK CA")
			}
			TdxError::UnknownPckCa => {
				f.write_str("unknown PCK CA (neither Platform nor Processor)")
			}
			TdxError::PartsUnderDifferentRoots => {
				f.write_str("collateral parts were verified under different Intel roots")
			}
		}
	}
}

impl fmt::Display for SnpError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			SnpError::ReportLength(l) => write!(f, "report length {l} is not 1184"),
			SnpError::UnsupportedReportVersion(v) => write!(f, "unsupported report version {v}"),
			SnpError::UnsupportedSignatureAlgorithm(a) => {
				write!(f, "unsupported signature algorithm {a}")
			}
			SnpError::UnsupportedSigningKey(k) => write!(f, "unsupported signing key {k}"),
			SnpError::SigningKeyMismatch => {
				f.write_str("certificate kind differs from the report's signing key")
			}
			SnpError::UnknownProduct => f.write_str("cannot determine the AMD product"),
			SnpError::NoTrustAnchor => f.write_str("no trusted AMD key issued the certificate"),
			SnpError::ProductMismatch => {
				f.write_str("CPUID and certificate chain name different products")
			}
			SnpError::Certificate(role, e) => write!(f, "{role} {e}"),
			SnpError::ChipIdMismatch => f.write_str("VCEK hwID differs from CHIP_ID"),
			SnpError::TcbMismatch => f.write_str("VEK TCB differs from REPORTED_TCB"),
			SnpError::ReportSignatureInvalid => f.write_str("report signature is invalid"),
			SnpError::CrlMalformed => f.write_str("AMD CRL is malformed"),
			SnpError::CrlSignatureInvalid => f.write_str("AMD CRL signature is invalid"),
			SnpError::CrlOutOfDate => f.write_str("AMD CRL is not valid now"),
			SnpError::DuplicateCrl => f.write_str("the same AMD CRL twice"),
			SnpError::TooManyRevocations => {
				f.write_str("the product's AMD CRLs list too many serials together")
			}
		}
	}
}

impl fmt::Display for VerifyError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			VerifyError::CollateralMismatch => f.write_str("collateral is for the other TEE"),
			VerifyError::Tdx(e) => write!(f, "TDX: {e}"),
			VerifyError::Snp(e) => write!(f, "SEV-SNP: {e}"),
			VerifyError::EventLog(e) => write!(f, "TDX event log: {e}"),
		}
	}
}

impl core::error::Error for VerifyError {}
impl core::error::Error for TdxError {}
impl core::error::Error for SnpError {}
