//! Intel TDX quote verification (DCAP), implemented here in `no_std` Rust.
//!
//! Steps, in order (each failure has its own [`TdxError`]):
//!
//! 1. Parse the quote: TEE type TDX, version 4 or 5 (TDX 1.0 or 1.5 body), ECDSA P-256
//!    attestation key, Intel QE vendor; every length checked against the bytes present.
//! 2. The trust anchor (Intel SGX Root CA) must be a self-issued CA valid at `now` (its
//!    self-signature is not re-checked: the anchor is trusted by configuration).
//! 3. Chains: the TCB Info and QE Identity signers (collateral PEM) are issued directly by the
//!    root; the PCK chain in the quote is leaf <- PCK CA <- root; all valid at `now`. A chain
//!    ending in another root is `Certificate(Root, Untrusted)`. Roles are checked by subject
//!    name and basicConstraints: the signer is Intel's TCB Signing certificate (not a CA), the
//!    PCK CA is the PCK Platform or Processor CA, the leaf an SGX PCK certificate (not a CA).
//! 4. Revocation: the root CA CRL (signed by the root, current) lists neither the root nor the
//!    signers nor the PCK CA; the PCK CRL is the CRL *of the quote's PCK CA* (its issuer name is
//!    the CA's subject byte for byte, as in Intel's QVL; Intel has two PCK CAs with a CRL each),
//!    signed by it, current, and does not list the leaf.
//! 5. TCB Info: the signature over the JSON verifies; `now` is within issueDate..nextUpdate;
//!    it is TDX TCB Info v3.
//! 6. QE Identity: likewise; it is a TD_QE identity.
//! 7. QE report signed by the PCK key; its REPORT_DATA is SHA-256(attestation key || QE auth
//!    data) followed by 32 zero bytes.
//! 8. QE report matches the QE Identity (MRSIGNER, ISVPRODID, masked MISCSELECT/ATTRIBUTES);
//!    its ISVSVN selects the QE TCB level.
//! 9. The attestation key's signature over header and body verifies.
//! 10. The TCB Info's FMSPC and PCE-ID are the PCK certificate's; the TDX module signer and
//!     attributes match the module identity; the platform TCB level is matched for TEE_TCB_SVN
//!     (and TEE_TCB_SVN2 on TDX 1.5) and converged with the module and QE levels.
//!
//! What the result is judged by (debug TD, status, advisories) is left to the policy.
//!
//! A chain verifies collateral once, when it is uploaded ([`VerifiedTdxCollateral::verify`]),
//! and then verifies quotes with [`verify_quote_with_stored`]: steps 3 to 6 skip the
//! collateral's own signatures (signer certificates, CRLs, TCB Info, QE Identity) and the PCK
//! CA's signature when the quote carries the very CA certificate the collateral's PCK CRL
//! issuer chain holds. Everything that depends on the quote or on time is still checked:
//! validity windows, revocation of the quote's certificates, identities, TCB matching and the
//! three signatures of the quote itself (PCK leaf, QE report, quote). That halves the cost of a
//! quote in the runtime, where P-256 has no host function. The stored PCK CRL stands for the
//! quote's PCK CA only if the CA that signed it at upload has the same name and key as the
//! quote's CA; otherwise the quote is refused (`PckCrlIssuerMismatch`), exactly as full
//! verification refuses it. A chain keeps the four parts of the collateral separately, each
//! the newest it has seen (see [`parts`]).

pub mod parts;
mod pck;
mod quote;
mod tcb;

pub use parts::{
	bundle, crl_adds_revocations, Freshness, PckCrlPart, QeIdentityPart, RootCaCrlPart, SignedJson,
	TcbInfoPart, TdxCollateralParts, VerifiedPart,
};

use alloc::vec::Vec;
use bounded_collections::BoundedVec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};

use crate::error::{CertError, CertRole, CollateralPart, TdxError};
use crate::evidence::{AdvisoryId, TdxCollateral, TrustAnchors};
use crate::pem;
use crate::verify::TdxClaims;
use crate::x509::{self, Certificate, Crl, PublicKey};

/// Which Intel PCK CA issued a platform's PCK certificate; each has its own PCK CRL.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
	codec::MaxEncodedLen,
)]
pub enum PckCa {
	/// "Intel SGX PCK Platform CA" (multi-package platforms; TDX servers).
	#[codec(index = 0)]
	Platform,
	/// "Intel SGX PCK Processor CA".
	#[codec(index = 1)]
	Processor,
}

/// commonName of Intel's PCK Platform CA.
const PLATFORM_CA_CN: &[u8] = b"Intel SGX PCK Platform CA";
/// commonName of Intel's PCK Processor CA.
const PROCESSOR_CA_CN: &[u8] = b"Intel SGX PCK Processor CA";
/// commonName of Intel's PCK (leaf) certificates.
const PCK_LEAF_CN: &[u8] = b"Intel SGX PCK Certificate";
/// commonName of Intel's TCB Signing certificate (signs TCB Info and QE Identity).
const TCB_SIGNING_CN: &[u8] = b"Intel SGX TCB Signing";

impl PckCa {
	/// The PCK CA a DER `Name` names by its commonName, if it is one of Intel's two.
	fn named_by(name: &[u8]) -> Option<Self> {
		match x509::common_name(name)? {
			PLATFORM_CA_CN => Some(PckCa::Platform),
			PROCESSOR_CA_CN => Some(PckCa::Processor),
			_ => None,
		}
	}
}

/// Which collateral a quote needs, read from the quote without verifying anything.
///
/// Collateral is chain state keyed by FMSPC (TCB Info) and PCK CA (PCK CRL); a caller looks it
/// up with this before calling [`crate::verify()`], which then verifies everything.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CollateralSelector {
	/// FMSPC of the platform (selects the TCB Info).
	pub fmspc: [u8; 6],
	/// The PCK CA named as the PCK certificate's issuer (selects the PCK CRL), if recognised.
	pub pck_ca: Option<PckCa>,
}

/// The REPORT_DATA of a TDX quote, read without verifying anything. For the party that asked
/// for the quote (the worker checks its hardware answered the request it made); a verifier
/// must use [`verify_quote`], which returns it as a verified claim.
pub fn unverified_report_data(quote_bytes: &[u8]) -> Result<[u8; 64], TdxError> {
	Ok(quote::Quote::parse(quote_bytes)?.report.report_data)
}

/// RTMR0..=3 of a TDX quote, read without verifying anything: for comparing an event log
/// with a quote offline (`attest event-log --quote`). A verifier uses the verified
/// [`crate::TdxClaims::rtmr`].
pub fn unverified_rtmrs(quote_bytes: &[u8]) -> Result<[[u8; 48]; 4], TdxError> {
	Ok(quote::Quote::parse(quote_bytes)?.report.rtmr)
}

/// Read which collateral `quote` needs (unverified: for lookup only).
pub fn collateral_selector(quote_bytes: &[u8]) -> Result<CollateralSelector, TdxError> {
	with_unverified_pck_leaf(quote_bytes, |leaf| {
		Ok(CollateralSelector {
			fmspc: pck::parse(leaf)?.fmspc,
			pck_ca: PckCa::named_by(leaf.issuer),
		})
	})
}

/// Runs `f` on the PCK leaf certificate of `quote_bytes`, parsed but not verified.
fn with_unverified_pck_leaf<R>(
	quote_bytes: &[u8],
	f: impl FnOnce(&Certificate<'_>) -> Result<R, TdxError>,
) -> Result<R, TdxError> {
	let quote = quote::Quote::parse(quote_bytes)?;
	let ders = pem::certificates(quote.pck_chain_pem, MAX_CHAIN_CERTS)
		.ok_or(TdxError::MalformedPckChain)?;
	let leaf_der = ders.first().ok_or(TdxError::MalformedPckChain)?;
	let leaf =
		Certificate::parse(leaf_der).map_err(|e| TdxError::Certificate(CertRole::PckLeaf, e))?;
	f(&leaf)
}

/// The PPID (platform provisioning ID) in the PCK certificate of `quote` (unverified: for
/// a stored quote that verified when it was accepted; a verifier uses
/// [`crate::TdxClaims::ppid`]).
pub fn unverified_ppid(quote_bytes: &[u8]) -> Result<[u8; 16], TdxError> {
	with_unverified_pck_leaf(quote_bytes, |leaf| Ok(pck::parse(leaf)?.ppid))
}

/// Most certificates accepted in one PEM chain (leaf, CA, root, and one spare).
const MAX_CHAIN_CERTS: usize = 4;

/// Whether the collateral's own signatures are checked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Signatures {
	/// Check every signature: an upload, or an off-chain verifier with collateral from anywhere.
	Check,
	/// The collateral verified under this anchor when it was stored
	/// ([`VerifiedTdxCollateral`]): skip its signatures, re-check everything else.
	Stored,
}

/// TDX collateral that verified against the Intel root when a chain stored it, bound to that
/// root by hash.
///
/// Made by [`VerifiedTdxCollateral::verify`]. It is SCALE-encodable because a chain keeps it in
/// storage (which only the runtime writes, after that verification); do not decode one from
/// anywhere else. Under another Intel root it is refused, so changing the trust anchors
/// requires uploading collateral again.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct VerifiedTdxCollateral {
	collateral: TdxCollateral,
	root_sha256: [u8; 32],
}

impl VerifiedTdxCollateral {
	/// Verify `collateral` completely (as [`verify_collateral`]) and keep it with the hash of
	/// the Intel root it verified under.
	pub fn verify(
		collateral: TdxCollateral,
		anchors: &TrustAnchors,
		now: u64,
	) -> Result<(Self, TdxCollateralInfo), TdxError> {
		let info = verify_collateral(&collateral, anchors, now)?;
		let root_sha256 = root_sha256(anchors)?;
		Ok((
			Self {
				collateral,
				root_sha256,
			},
			info,
		))
	}

	/// The collateral as uploaded (for clients that re-verify everything off chain).
	pub fn collateral(&self) -> &TdxCollateral {
		&self.collateral
	}
}

fn root_sha256(anchors: &TrustAnchors) -> Result<[u8; 32], TdxError> {
	let root = anchors
		.intel_root_ca
		.as_ref()
		.ok_or(TdxError::NoIntelRoot)?;
	Ok(Sha256::digest(root.as_slice()).into())
}

/// Verify a TDX quote under Intel DCAP collateral from anywhere (see [`crate::verify()`]):
/// every signature is checked.
pub fn verify_quote(
	quote_bytes: &[u8],
	anchors: &TrustAnchors,
	collateral: &TdxCollateral,
	now: u64,
) -> Result<TdxClaims, TdxError> {
	verify_quote_under(quote_bytes, anchors, collateral, now, Signatures::Check)
}

/// Verify a TDX quote under collateral a chain verified when it stored it (see the module
/// docs): the same checks and claims as [`verify_quote`] except the collateral's signatures.
pub fn verify_quote_with_stored(
	quote_bytes: &[u8],
	anchors: &TrustAnchors,
	stored: &VerifiedTdxCollateral,
	now: u64,
) -> Result<TdxClaims, TdxError> {
	if root_sha256(anchors)? != stored.root_sha256 {
		return Err(TdxError::CollateralUnderOtherRoot);
	}
	verify_quote_under(
		quote_bytes,
		anchors,
		&stored.collateral,
		now,
		Signatures::Stored,
	)
}

fn verify_quote_under(
	quote_bytes: &[u8],
	anchors: &TrustAnchors,
	collateral: &TdxCollateral,
	now: u64,
	signatures: Signatures,
) -> Result<TdxClaims, TdxError> {
	// Step 1: the quote.
	let quote = quote::Quote::parse(quote_bytes)?;

	// Steps 2-6: the anchor, the collateral's chains, CRLs, TCB Info and QE Identity.
	let pck_ders = pem::certificates(quote.pck_chain_pem, MAX_CHAIN_CERTS)
		.ok_or(TdxError::MalformedPckChain)?;
	let CheckedCollateral {
		mut expiry,
		pck_leaf,
		tcb_info,
		mut qe_identity,
		tcb_issued,
		qe_issued,
		..
	} = check_collateral(
		collateral,
		anchors,
		now,
		PckSource::Quote(&pck_ders),
		signatures,
	)?;
	let pck_leaf = pck_leaf.ok_or(TdxError::MalformedPckChain)?;
	expiry.cert(&pck_leaf);

	// Step 7: QE report signature and attestation key binding.
	let PublicKey::P256(pck_key) = pck_leaf
		.public_key()
		.map_err(|e| TdxError::Certificate(CertRole::PckLeaf, e))?
	else {
		return Err(TdxError::Certificate(
			CertRole::PckLeaf,
			CertError::UnsupportedAlgorithm,
		));
	};
	let (r, s) = quote.qe_report_signature.split_at(32);
	x509::verify_p256(&pck_key, quote.qe_report_raw, r, s)
		.map_err(|_| TdxError::QeReportSignatureInvalid)?;
	let mut hasher = Sha256::new();
	hasher.update(quote.attestation_key);
	hasher.update(quote.qe_auth_data);
	let mut expected_qe_report_data = [0u8; 64];
	if let Some(head) = expected_qe_report_data.get_mut(..32) {
		head.copy_from_slice(&hasher.finalize());
	}
	if quote.qe_report.report_data != expected_qe_report_data {
		return Err(TdxError::AttestationKeyBindingMismatch);
	}

	// Step 8: QE identity.
	let qe_level = qe_identity.match_qe(&quote.qe_report)?;

	// Step 9: the quote signature.
	let mut sec1 = [0x04u8; 65];
	if let Some(xy) = sec1.get_mut(1..) {
		xy.copy_from_slice(&quote.attestation_key);
	}
	let att_key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
		.map_err(|_| TdxError::QuoteSignatureInvalid)?;
	let (r, s) = quote.signature.split_at(32);
	x509::verify_p256(&att_key, quote.signed, r, s).map_err(|_| TdxError::QuoteSignatureInvalid)?;

	// Step 10: TCB.
	let pck = pck::parse(&pck_leaf)?;
	let tcb_fmspc: [u8; 6] = tcb::hex_array(&tcb_info.fmspc, CollateralPart::TcbInfo)?;
	let tcb_pce_id: [u8; 2] = tcb::hex_array(&tcb_info.pce_id, CollateralPart::TcbInfo)?;
	if tcb_fmspc != pck.fmspc || tcb_pce_id != pck.pce_id {
		return Err(TdxError::TcbInfoMismatch);
	}
	let td = &quote.report;
	tcb_info.check_module(&td.tee_tcb_svn, &td.mr_signer_seam, &td.seam_attributes)?;
	let mut platform = tcb_info.match_tdx(&pck.cpu_svn, pck.pce_svn, &td.tee_tcb_svn)?;
	// The TDX level's status (with the module's), before the QE's is converged in: the input
	// of QVL's relaunch check.
	let tdx_status = match &td.tee_tcb_svn2 {
		Some(svn2) => tcb_info.relaunch_status(
			&pck.cpu_svn,
			pck.pce_svn,
			&td.tee_tcb_svn,
			svn2,
			platform.status,
			qe_level.status,
		)?,
		None => platform.status,
	};
	platform.absorb(qe_level.status, &qe_level.advisory_ids, qe_level.tcb_date);
	let status = tcb::converge(tdx_status, qe_level.status);

	let mut advisory_ids: BoundedVec<AdvisoryId, _> = BoundedVec::new();
	for id in &platform.advisory_ids {
		let id: AdvisoryId = id
			.as_bytes()
			.to_vec()
			.try_into()
			.map_err(|_| TdxError::CollateralMalformed(CollateralPart::TcbInfo))?;
		advisory_ids
			.try_push(id)
			.map_err(|_| TdxError::CollateralMalformed(CollateralPart::TcbInfo))?;
	}

	Ok(TdxClaims {
		quote_version: quote.version,
		tee_tcb_svn: td.tee_tcb_svn,
		mr_seam: td.mr_seam,
		mr_signer_seam: td.mr_signer_seam,
		seam_attributes: td.seam_attributes,
		td_attributes: td.td_attributes,
		xfam: td.xfam,
		mr_td: td.mr_td,
		mr_config_id: td.mr_config_id,
		mr_owner: td.mr_owner,
		mr_owner_config: td.mr_owner_config,
		rtmr: td.rtmr,
		report_data: td.report_data,
		tee_tcb_svn2: td.tee_tcb_svn2,
		mr_service_td: td.mr_service_td,
		fmspc: pck.fmspc,
		ppid: pck.ppid,
		cpu_svn: pck.cpu_svn,
		pce_svn: pck.pce_svn,
		qe_svn: quote.qe_report.isv_svn,
		tcb_status: status,
		advisory_ids,
		tcb_date: platform.tcb_date,
		tcb_evaluation_data_number: tcb_info.tcb_evaluation_data_number,
		collateral_issued_at: tcb_issued.min(qe_issued),
		collateral_expires_at: expiry.0,
		verified_at: now,
		event_log: None,
	})
}

/// Where the PCK CA certificate comes from.
enum PckSource<'q> {
	/// The quote's PCK chain (leaf, CA, optionally the root): verifying a quote.
	Quote(&'q [Vec<u8>]),
	/// The collateral's PCK CRL issuer chain (CA, optionally the root): verifying collateral
	/// on its own, before it is stored.
	CrlIssuerChain,
}

/// Collateral whose every part verified against the anchor at a given time.
struct CheckedCollateral<'q> {
	/// Earliest expiry of the root, signers, PCK CA, CRLs and documents.
	expiry: Expiry,
	/// The PCK leaf (when verifying a quote).
	pck_leaf: Option<Certificate<'q>>,
	/// The TCB Info, canonicalized.
	tcb_info: tcb::TcbInfo,
	/// The QE Identity.
	qe_identity: tcb::QeIdentity,
	/// TCB Info issue date.
	tcb_issued: u64,
	/// QE Identity issue date.
	qe_issued: u64,
	/// Freshness of each part, for a chain that stores them separately.
	freshness: PartsFreshness,
	/// Which PCK CA the PCK CRL belongs to.
	pck_ca: PckCa,
}

/// How fresh each part of a TDX collateral bundle is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct PartsFreshness {
	pub tcb_info: Freshness,
	pub qe_identity: Freshness,
	pub pck_crl: Freshness,
	pub root_ca_crl: Freshness,
}

/// Steps 2 to 6 of DCAP verification, shared by quote verification and collateral uploads:
/// the trust anchor, the TCB signing chains, the PCK chain, both CRLs and revocation, the TCB
/// Info and QE Identity signatures, validity windows and identities.
fn check_collateral<'q>(
	collateral: &TdxCollateral,
	anchors: &TrustAnchors,
	now: u64,
	pck_source: PckSource<'q>,
	signatures: Signatures,
) -> Result<CheckedCollateral<'q>, TdxError> {
	// Step 2: the trust anchor.
	let root_der = anchors
		.intel_root_ca
		.as_ref()
		.ok_or(TdxError::NoIntelRoot)?;
	let root = Certificate::parse(root_der).map_err(|_| TdxError::BadTrustAnchor)?;
	// The anchor is trusted by configuration, so its self-signature is not re-checked on every
	// verification; it must still be a self-issued CA.
	if root.issuer != root.subject || !root.is_ca().map_err(|_| TdxError::BadTrustAnchor)? {
		return Err(TdxError::BadTrustAnchor);
	}
	root.check_validity(now)
		.map_err(|e| TdxError::Certificate(CertRole::Root, e))?;
	let mut expiry = Expiry(root.not_after);

	// Step 3: certificate chains to the anchor (revocation is checked in step 4).
	let tcb_chain = pem_chain(
		&collateral.tcb_info_issuer_chain,
		CollateralPart::TcbInfoIssuerChain,
	)?;
	let tcb_signer = signer_of(
		&tcb_chain,
		&root,
		now,
		CollateralPart::TcbInfoIssuerChain,
		signatures,
	)?;
	let qe_chain = pem_chain(
		&collateral.qe_identity_issuer_chain,
		CollateralPart::QeIdentityIssuerChain,
	)?;
	// Intel signs both with the same certificate; verify it once.
	let qe_signer = if qe_chain == tcb_chain {
		tcb_signer.clone()
	} else {
		signer_of(
			&qe_chain,
			&root,
			now,
			CollateralPart::QeIdentityIssuerChain,
			signatures,
		)?
	};
	let crl_issuer_ders;
	let mut stored_crl_ca = None;
	let (pck_leaf, pck_ca) = match pck_source {
		PckSource::Quote(ders) => {
			// With stored collateral, the PCK CA of its CRL issuer chain verified at upload
			// and signed the stored PCK CRL.
			let stored_ca = match signatures {
				Signatures::Check => None,
				Signatures::Stored => pem_chain(
					&collateral.pck_crl_issuer_chain,
					CollateralPart::PckCrlIssuerChain,
				)?
				.into_iter()
				.next(),
			};
			let (leaf, ca) = pck_chain(ders, &root, now, stored_ca.as_deref())?;
			stored_crl_ca = stored_ca;
			(Some(leaf), ca)
		}
		PckSource::CrlIssuerChain => {
			crl_issuer_ders = pem_chain(
				&collateral.pck_crl_issuer_chain,
				CollateralPart::PckCrlIssuerChain,
			)?;
			(None, pck_ca_of(&crl_issuer_ders, &root, now, signatures)?)
		}
	};
	for c in [&tcb_signer, &qe_signer, &pck_ca] {
		expiry.cert(c);
	}
	let pck_ca_kind = PckCa::named_by(pck_ca.subject).ok_or(TdxError::UnknownPckCa)?;

	// Step 4: revocation. The root CA CRL covers the root's direct subordinates, the PCK CRL
	// (signed by the PCK CA) covers PCK certificates.
	let root_crl = verified_crl(
		&collateral.root_ca_crl,
		&root,
		CollateralPart::RootCaCrl,
		now,
		signatures,
	)?;
	for (cert, role) in [
		(&root, CertRole::Root),
		(&tcb_signer, CertRole::TcbSigning),
		(&qe_signer, CertRole::TcbSigning),
		(&pck_ca, CertRole::PckCa),
	] {
		if root_crl.is_revoked(cert.serial) {
			return Err(TdxError::Certificate(role, CertError::Revoked));
		}
	}
	// Intel's QVL: the PCK CRL's issuer is the PCK CA, byte for byte (each CA has a CRL).
	let pck_crl = Crl::parse(&collateral.pck_crl)
		.ok_or(TdxError::CollateralMalformed(CollateralPart::PckCrl))?;
	if pck_crl.issuer != pck_ca.subject {
		return Err(TdxError::PckCrlIssuerMismatch);
	}
	if let Some(stored_der) = &stored_crl_ca {
		// The stored CRL's signature was checked under the stored CA: it stands for the
		// quote's CA only if that is the same CA (name and key).
		let stored = Certificate::parse(stored_der)
			.map_err(|_| TdxError::CollateralMalformed(CollateralPart::PckCrlIssuerChain))?;
		if stored.subject != pck_ca.subject
			|| stored.key != pck_ca.key
			|| stored.key_alg.raw != pck_ca.key_alg.raw
		{
			return Err(TdxError::PckCrlIssuerMismatch);
		}
	}
	let pck_crl = checked_crl(pck_crl, &pck_ca, CollateralPart::PckCrl, now, signatures)?;
	if let Some(leaf) = &pck_leaf {
		if pck_crl.is_revoked(leaf.serial) {
			return Err(TdxError::Certificate(CertRole::PckLeaf, CertError::Revoked));
		}
	}
	expiry.crl(&root_crl);
	expiry.crl(&pck_crl);

	// Step 5: TCB Info.
	if signatures == Signatures::Check {
		verify_json_signature(
			&tcb_signer,
			&collateral.tcb_info,
			&collateral.tcb_info_signature,
			CollateralPart::TcbInfo,
		)?;
	}
	let mut tcb_info: tcb::TcbInfo =
		tcb::parse_json(&collateral.tcb_info, CollateralPart::TcbInfo)?;
	let (tcb_issued, tcb_next) = tcb::check_window(
		&tcb_info.issue_date,
		&tcb_info.next_update,
		now,
		CollateralPart::TcbInfo,
	)?;
	expiry.at(tcb_next);
	if tcb_info.id != "TDX" || tcb_info.version != 3 {
		return Err(TdxError::TcbInfoMismatch);
	}
	tcb_info.canonicalize()?;

	// Step 6: QE Identity.
	if signatures == Signatures::Check {
		verify_json_signature(
			&qe_signer,
			&collateral.qe_identity,
			&collateral.qe_identity_signature,
			CollateralPart::QeIdentity,
		)?;
	}
	let qe_identity: tcb::QeIdentity =
		tcb::parse_json(&collateral.qe_identity, CollateralPart::QeIdentity)?;
	let (qe_issued, qe_next) = tcb::check_window(
		&qe_identity.issue_date,
		&qe_identity.next_update,
		now,
		CollateralPart::QeIdentity,
	)?;
	expiry.at(qe_next);
	if qe_identity.id != "TD_QE" || !matches!(qe_identity.version, 2 | 3) {
		return Err(TdxError::QeIdentityMismatch);
	}

	let crl_freshness = |crl: &Crl<'_>| Freshness {
		evaluation_data_number: 0,
		issued_at: crl.this_update,
		next_update: crl.next_update.unwrap_or(u64::MAX),
	};
	let freshness = PartsFreshness {
		tcb_info: Freshness {
			evaluation_data_number: tcb_info.tcb_evaluation_data_number,
			issued_at: tcb_issued,
			next_update: tcb_next,
		},
		qe_identity: Freshness {
			evaluation_data_number: qe_identity.tcb_evaluation_data_number,
			issued_at: qe_issued,
			next_update: qe_next,
		},
		pck_crl: crl_freshness(&pck_crl),
		root_ca_crl: crl_freshness(&root_crl),
	};
	Ok(CheckedCollateral {
		expiry,
		pck_leaf,
		tcb_info,
		qe_identity,
		tcb_issued,
		qe_issued,
		freshness,
		pck_ca: pck_ca_kind,
	})
}

/// What verified TDX collateral is for and how long it is good.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TdxCollateralInfo {
	/// FMSPC of the TCB Info: the platforms this collateral serves.
	pub fmspc: [u8; 6],
	/// Intel's TCB evaluation data number of the TCB Info (grows with each TCB recovery).
	pub tcb_evaluation_data_number: u32,
	/// When the TCB Info was issued (Unix seconds).
	pub issued_at: u64,
	/// The earliest `nextUpdate` or certificate expiry of any part (Unix seconds).
	pub next_update: u64,
}

/// Verify TDX collateral on its own, as a chain does before storing an upload: every part as
/// in quote verification (chains to the anchor, CRLs, signatures, windows, identities), with
/// the PCK CA taken from the PCK CRL issuer chain instead of a quote.
pub fn verify_collateral(
	collateral: &TdxCollateral,
	anchors: &TrustAnchors,
	now: u64,
) -> Result<TdxCollateralInfo, TdxError> {
	verify_collateral_parts(collateral, anchors, now).map(|(info, _, _)| info)
}

/// [`verify_collateral`], also returning each part's freshness and the PCK CA of the CRL.
fn verify_collateral_parts(
	collateral: &TdxCollateral,
	anchors: &TrustAnchors,
	now: u64,
) -> Result<(TdxCollateralInfo, PartsFreshness, PckCa), TdxError> {
	let checked = check_collateral(
		collateral,
		anchors,
		now,
		PckSource::CrlIssuerChain,
		Signatures::Check,
	)?;
	let fmspc: [u8; 6] = tcb::hex_array(&checked.tcb_info.fmspc, CollateralPart::TcbInfo)?;
	let info = TdxCollateralInfo {
		fmspc,
		tcb_evaluation_data_number: checked.tcb_info.tcb_evaluation_data_number,
		issued_at: checked.tcb_issued,
		next_update: checked.expiry.0,
	};
	Ok((info, checked.freshness, checked.pck_ca))
}

/// The PCK CA of a PCK CRL issuer chain (CA, then optionally the root), issued by the anchor.
fn pck_ca_of<'a>(
	ders: &'a [Vec<u8>],
	root: &Certificate<'_>,
	now: u64,
	signatures: Signatures,
) -> Result<Certificate<'a>, TdxError> {
	let mut certs = parse_chain(ders, root, &[CertRole::PckCa])?;
	if certs.len() != 1 {
		if certs.get(1).is_some_and(|c| c.issuer == c.subject) {
			return Err(TdxError::Certificate(CertRole::Root, CertError::Untrusted));
		}
		return Err(TdxError::CollateralMalformed(
			CollateralPart::PckCrlIssuerChain,
		));
	}
	let ca = certs.pop().ok_or(TdxError::CollateralMalformed(
		CollateralPart::PckCrlIssuerChain,
	))?;
	check_issued_by_root(&ca, CertRole::PckCa, root, now, signatures)?;
	if !ca
		.is_ca()
		.map_err(|e| TdxError::Certificate(CertRole::PckCa, e))?
	{
		return Err(TdxError::Certificate(CertRole::PckCa, CertError::NotCa));
	}
	if PckCa::named_by(ca.subject).is_none() {
		return Err(TdxError::Certificate(CertRole::PckCa, CertError::WrongRole));
	}
	Ok(ca)
}

/// The earliest expiry seen so far.
struct Expiry(u64);

impl Expiry {
	fn at(&mut self, t: u64) {
		self.0 = self.0.min(t);
	}
	fn cert(&mut self, c: &Certificate<'_>) {
		self.at(c.not_after);
	}
	fn crl(&mut self, c: &Crl<'_>) {
		if let Some(next) = c.next_update {
			self.at(next);
		}
	}
}

/// Parse a CRL, check its issuer's signature (unless stored) and that it is current.
fn verified_crl<'a>(
	der: &'a [u8],
	issuer: &Certificate<'_>,
	part: CollateralPart,
	now: u64,
	signatures: Signatures,
) -> Result<Crl<'a>, TdxError> {
	let crl = Crl::parse(der).ok_or(TdxError::CollateralMalformed(part))?;
	checked_crl(crl, issuer, part, now, signatures)
}

/// Check a parsed CRL's issuer signature (unless stored) and that it is current.
fn checked_crl<'a>(
	crl: Crl<'a>,
	issuer: &Certificate<'_>,
	part: CollateralPart,
	now: u64,
	signatures: Signatures,
) -> Result<Crl<'a>, TdxError> {
	if signatures == Signatures::Check {
		crl.verify_issued_by(issuer)
			.map_err(|_| TdxError::CollateralSignatureInvalid(part))?;
	}
	if now < crl.this_update {
		return Err(TdxError::CollateralNotYetValid(part));
	}
	if !crl.is_current(now) {
		return Err(TdxError::CollateralExpired(part));
	}
	Ok(crl)
}

fn pem_chain(pem_bytes: &[u8], part: CollateralPart) -> Result<Vec<Vec<u8>>, TdxError> {
	pem::certificates(pem_bytes, MAX_CHAIN_CERTS).ok_or(TdxError::CollateralMalformed(part))
}

/// Parse a PEM-decoded chain and drop a trailing copy of the trust anchor.
fn parse_chain<'a>(
	ders: &'a [Vec<u8>],
	root: &Certificate<'_>,
	roles: &[CertRole],
) -> Result<Vec<Certificate<'a>>, TdxError> {
	let mut certs = Vec::with_capacity(ders.len());
	for (i, der) in ders.iter().enumerate() {
		let role = roles.get(i).copied().unwrap_or(CertRole::Root);
		certs.push(Certificate::parse(der).map_err(|e| TdxError::Certificate(role, e))?);
	}
	if certs.last().is_some_and(|c| c.raw == root.raw) {
		certs.pop();
	}
	Ok(certs)
}

/// Check that `cert` (with `role`) is issued by the trust anchor (its signature unless it was
/// verified when stored) and valid. A chain ending in another root is
/// [`CertError::Untrusted`].
fn check_issued_by_root(
	cert: &Certificate<'_>,
	role: CertRole,
	root: &Certificate<'_>,
	now: u64,
	signatures: Signatures,
) -> Result<(), TdxError> {
	if cert.issuer == cert.subject || cert.issuer != root.subject {
		return Err(TdxError::Certificate(CertRole::Root, CertError::Untrusted));
	}
	if signatures == Signatures::Check {
		cert.verify_issued_by(root)
			.map_err(|e| TdxError::Certificate(role, e))?;
	}
	cert.check_validity(now)
		.map_err(|e| TdxError::Certificate(role, e))?;
	Ok(())
}

/// The TCB Signing certificate of a collateral issuer chain (signer, then optionally the root).
fn signer_of<'a>(
	ders: &'a [Vec<u8>],
	root: &Certificate<'_>,
	now: u64,
	part: CollateralPart,
	signatures: Signatures,
) -> Result<Certificate<'a>, TdxError> {
	let mut certs = parse_chain(ders, root, &[CertRole::TcbSigning])?;
	if certs.len() != 1 {
		// Either the chain holds more than the signer, or it ends in a root that is not ours.
		if certs.get(1).is_some_and(|c| c.issuer == c.subject) {
			return Err(TdxError::Certificate(CertRole::Root, CertError::Untrusted));
		}
		return Err(TdxError::CollateralMalformed(part));
	}
	let signer = certs.pop().ok_or(TdxError::CollateralMalformed(part))?;
	check_issued_by_root(&signer, CertRole::TcbSigning, root, now, signatures)?;
	// Only Intel's TCB Signing certificate signs TCB Info and QE Identity: not a PCK CA or
	// any other certificate the root issued.
	let is_ca = signer
		.is_ca()
		.map_err(|e| TdxError::Certificate(CertRole::TcbSigning, e))?;
	if !signer.is_named(TCB_SIGNING_CN) || is_ca {
		return Err(TdxError::Certificate(
			CertRole::TcbSigning,
			CertError::WrongRole,
		));
	}
	Ok(signer)
}

/// The PCK leaf and CA of the quote's chain (leaf, CA, then optionally the root). The CA's
/// signature is not re-checked when it is byte for byte `verified_ca` (the CA of stored
/// collateral, verified at upload); its validity and the leaf's signature always are.
fn pck_chain<'a>(
	ders: &'a [Vec<u8>],
	root: &Certificate<'_>,
	now: u64,
	verified_ca: Option<&[u8]>,
) -> Result<(Certificate<'a>, Certificate<'a>), TdxError> {
	let certs = parse_chain(ders, root, &[CertRole::PckLeaf, CertRole::PckCa])?;
	let [leaf, ca] = <[Certificate<'a>; 2]>::try_from(certs).map_err(|certs| {
		if certs.get(2).is_some_and(|c| c.issuer == c.subject) {
			TdxError::Certificate(CertRole::Root, CertError::Untrusted)
		} else {
			TdxError::MalformedPckChain
		}
	})?;
	let ca_signature = if verified_ca == Some(ca.raw) {
		Signatures::Stored
	} else {
		Signatures::Check
	};
	check_issued_by_root(&ca, CertRole::PckCa, root, now, ca_signature)?;
	if !ca
		.is_ca()
		.map_err(|e| TdxError::Certificate(CertRole::PckCa, e))?
	{
		return Err(TdxError::Certificate(CertRole::PckLeaf, CertError::NotCa));
	}
	if PckCa::named_by(ca.subject).is_none() {
		return Err(TdxError::Certificate(CertRole::PckCa, CertError::WrongRole));
	}
	let leaf_is_ca = leaf
		.is_ca()
		.map_err(|e| TdxError::Certificate(CertRole::PckLeaf, e))?;
	if !leaf.is_named(PCK_LEAF_CN) || leaf_is_ca {
		return Err(TdxError::Certificate(
			CertRole::PckLeaf,
			CertError::WrongRole,
		));
	}
	leaf.verify_issued_by(&ca)
		.map_err(|e| TdxError::Certificate(CertRole::PckLeaf, e))?;
	leaf.check_validity(now)
		.map_err(|e| TdxError::Certificate(CertRole::PckLeaf, e))?;
	Ok((leaf, ca))
}

/// ECDSA P-256 `r || s` signature of a TCB signing certificate over collateral JSON.
fn verify_json_signature(
	signer: &Certificate<'_>,
	json: &[u8],
	signature: &[u8; 64],
	part: CollateralPart,
) -> Result<(), TdxError> {
	let PublicKey::P256(key) = signer
		.public_key()
		.map_err(|e| TdxError::Certificate(CertRole::TcbSigning, e))?
	else {
		return Err(TdxError::Certificate(
			CertRole::TcbSigning,
			CertError::UnsupportedAlgorithm,
		));
	};
	let (r, s) = signature.split_at(32);
	x509::verify_p256(&key, json, r, s).map_err(|_| TdxError::CollateralSignatureInvalid(part))
}

#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_quote(bytes: &[u8]) -> bool {
	quote::Quote::parse(bytes).is_ok()
}

#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_pck_extension(cert: &Certificate<'_>) -> bool {
	pck::parse(cert).is_ok()
}

#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_collateral_json(json: &[u8]) -> bool {
	let mut ok = false;
	if let Ok(mut info) = tcb::parse_json::<tcb::TcbInfo>(json, CollateralPart::TcbInfo) {
		ok = true;
		if info.canonicalize().is_ok() {
			let mut svn = [0u8; 16];
			for seed in [0u8, 1, 3, 0xff] {
				svn.iter_mut().for_each(|b| *b = seed);
				let _ = info.match_tdx(&svn, u16::from(seed), &svn);
				let _ = info.check_module(&svn, &[seed; 48], &[seed; 8]);
			}
		}
	}
	if let Ok(mut qe) = tcb::parse_json::<tcb::QeIdentity>(json, CollateralPart::QeIdentity) {
		ok = true;
		let report = quote::QeReport::fuzz_default();
		let _ = qe.match_qe(&report);
	}
	ok
}
