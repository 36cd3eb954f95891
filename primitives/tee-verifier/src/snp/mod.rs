//! AMD SEV-SNP report verification.
//!
//! Steps, in order (each failure has its own [`SnpError`]):
//!
//! 1. Parse the 1184-byte report; require version 2, 3 or 5, signature algorithm 1 (ECDSA
//!    P-384 with SHA-384) and a SIGNING_KEY of VCEK or VLEK.
//! 2. Parse the VEK certificate and find the trusted product whose ASK (VCEK) or ASVK (VLEK)
//!    subject is the VEK's issuer; with a report version 3 or later, its CPUID must agree.
//! 3. Verify the chain ARK -> ASK/ASVK -> VEK (RSASSA-PSS SHA-384), every certificate valid at
//!    `now`; the ARK is the caller's trust anchor (self-issued; its self-signature is not
//!    re-checked, the anchor being trusted by configuration).
//! 4. Apply the AMD CRLs given as collateral (each must be signed by a trusted ARK and current;
//!    the product's own CRLs must not list the ASK/ASVK or the VEK). A chain verifies each CRL
//!    once, at upload, and keeps per product the union of their serials
//!    ([`VerifiedAmdCrl`]): no RSA per report.
//! 5. Verify the report signature with the VEK's P-384 key over bytes `0..0x2A0`.
//! 6. Bind the VEK to the report: VCEK hwID == CHIP_ID (8 bytes on Turin), and the VEK's TCB
//!    extensions == REPORTED_TCB (the TCB the VEK was derived for, not CURRENT_TCB).
//!
//! A chain re-attests the same machines again and again, and each machine's VEK is the same
//! until its TCB changes. [`verify_report_with_stored`] takes a [`KnownVek`] the chain kept from
//! an earlier full verification: when the VEK, ASK/ASVK and ARK are byte for byte those it
//! names, step 3 skips the two RSA-4096 signature checks (validity windows are still checked,
//! and everything else runs). In the runtime, where RSA has no host function, that saves about
//! two fifths of an SNP verification.

mod crl;
mod report;

pub use crl::{CrlMerge, VerifiedAmdCrl, MAX_AMD_REVOKED, MAX_SERIAL_LEN};

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};

use crate::asn1::{self, oid, tag};
use crate::error::{CertError, CertRole, SnpError};
use crate::evidence::{AmdProductAnchors, SnpCollateral, TrustAnchors};
use crate::verify::{SigningKeyKind, SnpClaims, SnpProduct, SnpTcb};
use crate::x509::{self, Certificate, Crl, PublicKey};

pub(crate) use report::SIGNED_LEN;

#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_report(bytes: &[u8]) -> bool {
	report::Report::parse(bytes).is_ok()
}

/// The product a report's CPUID (family, model) names, if recognised.
fn product_from_cpuid(cpuid: [u8; 3]) -> Option<SnpProduct> {
	let [family, model, _stepping] = cpuid;
	match (family, model) {
		(0x19, 0x00..=0x0f) => Some(SnpProduct::Milan),
		(0x19, 0x10..=0x1f) | (0x19, 0xa0..=0xaf) => Some(SnpProduct::Genoa),
		(0x1a, 0x00..=0x1f) => Some(SnpProduct::Turin),
		_ => None,
	}
}

/// A VEK certificate whose chain (ARK -> ASK/ASVK -> VEK signatures) verified, identified by
/// hashes: SHA-256 of the VEK DER, and SHA-256 of the ARK DER followed by the ASK/ASVK DER it
/// verified under. A chain stores it after a full verification ([`SnpClaims::known_vek`]); it
/// says nothing about time or revocation, which are checked on every verification.
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
pub struct KnownVek {
	/// SHA-256 of the VEK certificate (DER).
	pub vek_sha256: [u8; 32],
	/// SHA-256 of ARK DER || ASK/ASVK DER.
	pub chain_sha256: [u8; 32],
}

impl KnownVek {
	/// SHA-256 of a VEK certificate (the key a chain looks a [`KnownVek`] up by).
	pub fn vek_hash(vek_der: &[u8]) -> [u8; 32] {
		Sha256::digest(vek_der).into()
	}

	fn of(vek_der: &[u8], ark_der: &[u8], signer_der: &[u8]) -> Self {
		let mut chain = Sha256::new();
		chain.update(ark_der);
		chain.update(signer_der);
		Self {
			vek_sha256: Self::vek_hash(vek_der),
			chain_sha256: chain.finalize().into(),
		}
	}
}

/// The REPORT_DATA of an SNP report, read without verifying anything (see
/// [`crate::tdx::unverified_report_data`]).
pub fn unverified_report_data(report: &[u8]) -> Result<[u8; 64], SnpError> {
	Ok(report::Report::parse(report)?.report_data)
}

/// What a chip's VCEK is looked up by at AMD's KDS, read from a report without verifying
/// anything (for a guest whose host supplies no certificate table: the VCEK it fetches is then
/// verified with [`verify_report`], which checks it signed this very report).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VcekLookup {
	/// CHIP_ID (Turin's KDS uses its first 8 bytes).
	pub chip_id: [u8; 64],
	/// REPORTED_TCB, the TCB the VCEK must be for.
	pub reported_tcb: u64,
	/// The product, from the report's CPUID (version 3 and later); `None` for older reports.
	pub product: Option<SnpProduct>,
	/// Whether a VCEK signed the report (a VLEK cannot be fetched from KDS by chip).
	pub vcek_signed: bool,
}

/// The [`VcekLookup`] of a raw report.
pub fn unverified_vcek_lookup(report: &[u8]) -> Result<VcekLookup, SnpError> {
	let report = report::Report::parse(report)?;
	Ok(VcekLookup {
		chip_id: report.chip_id,
		reported_tcb: report.reported_tcb,
		product: if report.version >= 3 {
			product_from_cpuid(report.cpuid)
		} else {
			None
		},
		vcek_signed: report.signing_key() == 0,
	})
}

/// Where revocation information comes from.
#[derive(Clone, Copy)]
enum Revocation<'a> {
	/// DER CRLs from anywhere: every one is verified (off-chain verifiers, uploads).
	Crls(&'a SnpCollateral),
	/// The CRL a chain verified when it stored it, for the evidence's product, if it has one.
	Stored(Option<&'a VerifiedAmdCrl>),
}

/// The product whose ASK (VCEK) or ASVK (VLEK) issued the evidence's VEK, read without
/// verifying anything (for looking up the product's stored CRL).
pub fn product_of(
	report_bytes: &[u8],
	vek_der: &[u8],
	anchors: &TrustAnchors,
) -> Result<SnpProduct, SnpError> {
	let report = report::Report::parse(report_bytes)?;
	let kind = match report.signing_key() {
		0 => SigningKeyKind::Vcek,
		1 => SigningKeyKind::Vlek,
		other => return Err(SnpError::UnsupportedSigningKey(other)),
	};
	let vek = Certificate::parse(vek_der).map_err(|e| SnpError::Certificate(CertRole::Vek, e))?;
	Ok(find_product(anchors, &vek, kind)?.0.product)
}

/// Verify an SNP report and its VCEK/VLEK certificate (see [`crate::verify()`]).
pub fn verify_report(
	report_bytes: &[u8],
	vek_der: &[u8],
	anchors: &TrustAnchors,
	collateral: &SnpCollateral,
	now: u64,
) -> Result<SnpClaims, SnpError> {
	verify_under(
		report_bytes,
		vek_der,
		anchors,
		Revocation::Crls(collateral),
		None,
		now,
	)
}

/// [`verify_report`] with what a chain stored: the CRL of the evidence's product verified at
/// upload (`None`: no revocation check, as full verification without a CRL of the product),
/// and the chain's two signature checks skipped when `known` names exactly this VEK, ASK/ASVK
/// and ARK (see the module docs). Otherwise the same full verification.
pub fn verify_report_with_stored(
	report_bytes: &[u8],
	vek_der: &[u8],
	anchors: &TrustAnchors,
	crl: Option<&VerifiedAmdCrl>,
	known: Option<KnownVek>,
	now: u64,
) -> Result<SnpClaims, SnpError> {
	verify_under(
		report_bytes,
		vek_der,
		anchors,
		Revocation::Stored(crl),
		known,
		now,
	)
}

fn verify_under(
	report_bytes: &[u8],
	vek_der: &[u8],
	anchors: &TrustAnchors,
	revocation: Revocation<'_>,
	known: Option<KnownVek>,
	now: u64,
) -> Result<SnpClaims, SnpError> {
	// Step 1: the report.
	let report = report::Report::parse(report_bytes)?;
	if !matches!(report.version, 2 | 3 | 5) {
		return Err(SnpError::UnsupportedReportVersion(report.version));
	}
	if report.signature_algo != 1 {
		return Err(SnpError::UnsupportedSignatureAlgorithm(
			report.signature_algo,
		));
	}
	let signing_key = match report.signing_key() {
		0 => SigningKeyKind::Vcek,
		1 => SigningKeyKind::Vlek,
		other => return Err(SnpError::UnsupportedSigningKey(other)),
	};
	let signer_role = match signing_key {
		SigningKeyKind::Vcek => CertRole::Ask,
		SigningKeyKind::Vlek => CertRole::Asvk,
	};
	let cert_err = SnpError::Certificate;

	// Step 2: the VEK and the product whose signing key issued it.
	let vek = Certificate::parse(vek_der).map_err(|e| cert_err(CertRole::Vek, e))?;
	let (product_anchors, signer_der) = find_product(anchors, &vek, signing_key)?;
	let product = product_anchors.product;
	if report.version >= 3 {
		if let Some(p) = product_from_cpuid(report.cpuid) {
			if p != product {
				return Err(SnpError::ProductMismatch);
			}
		}
	}

	// Step 3: ARK -> ASK/ASVK -> VEK.
	let ark = Certificate::parse(&product_anchors.ark).map_err(|e| cert_err(CertRole::Root, e))?;
	let signer = Certificate::parse(signer_der).map_err(|e| cert_err(signer_role, e))?;
	// The ARK is trusted by configuration, so its self-signature is not re-checked on every
	// verification; it must still be self-issued.
	if ark.issuer != ark.subject {
		return Err(cert_err(CertRole::Root, CertError::Untrusted));
	}
	ark.check_validity(now)
		.map_err(|e| cert_err(CertRole::Root, e))?;
	check_roles(product, signing_key, &signer, &vek)?;
	let this_chain = KnownVek::of(vek_der, &product_anchors.ark, signer_der);
	// The same three certificates verified before (names included): only their signatures
	// are skipped.
	let chain_known = known == Some(this_chain);
	if !chain_known {
		signer
			.verify_issued_by(&ark)
			.map_err(|e| cert_err(signer_role, e))?;
	}
	signer
		.check_validity(now)
		.map_err(|e| cert_err(signer_role, e))?;
	if !chain_known {
		vek.verify_issued_by(&signer)
			.map_err(|e| cert_err(CertRole::Vek, e))?;
	}
	vek.check_validity(now)
		.map_err(|e| cert_err(CertRole::Vek, e))?;

	// Step 4: revocation.
	let crl_checked = match revocation {
		Revocation::Crls(collateral) => {
			check_crls(collateral, anchors, &ark, &signer, signer_role, &vek, now)?
		}
		Revocation::Stored(Some(crl)) if crl.product() == product => {
			crl.applies(&product_anchors.ark, now)?;
			if crl.is_revoked(signer.serial) {
				return Err(SnpError::Certificate(signer_role, CertError::Revoked));
			}
			if crl.is_revoked(vek.serial) {
				return Err(SnpError::Certificate(CertRole::Vek, CertError::Revoked));
			}
			true
		}
		// Another product's CRL never applies (full verification skips it too).
		Revocation::Stored(_) => false,
	};

	// Step 5: the report signature.
	let PublicKey::P384(vek_key) = vek.public_key().map_err(|e| cert_err(CertRole::Vek, e))? else {
		return Err(SnpError::Certificate(
			CertRole::Vek,
			CertError::UnsupportedAlgorithm,
		));
	};
	let signed = report_bytes
		.get(..SIGNED_LEN)
		.ok_or(SnpError::ReportLength(0))?;
	x509::verify_p384(&vek_key, signed, &report.sig_r, &report.sig_s)
		.map_err(|_| SnpError::ReportSignatureInvalid)?;

	// Step 6: the VEK belongs to this chip and TCB.
	let reported_tcb = SnpTcb::decode_for(product, report.reported_tcb);
	if signing_key == SigningKeyKind::Vcek {
		check_hw_id(&vek, product, &report.chip_id)?;
	}
	check_vek_tcb(&vek, &reported_tcb)?;

	let v3 = report.version >= 3;
	let v5 = report.version >= 5;
	Ok(SnpClaims {
		product,
		signing_key,
		report_version: report.version,
		guest_svn: report.guest_svn,
		policy: report.policy,
		family_id: report.family_id,
		image_id: report.image_id,
		vmpl: report.vmpl,
		current_tcb: SnpTcb::decode_for(product, report.current_tcb),
		platform_info: report.platform_info,
		report_data: report.report_data,
		measurement: report.measurement,
		host_data: report.host_data,
		id_key_digest: report.id_key_digest,
		author_key_digest: report.author_key_digest,
		report_id: report.report_id,
		report_id_ma: report.report_id_ma,
		reported_tcb,
		chip_id: report.chip_id,
		committed_tcb: SnpTcb::decode_for(product, report.committed_tcb),
		current_version: report.current_version,
		committed_version: report.committed_version,
		launch_tcb: SnpTcb::decode_for(product, report.launch_tcb),
		cpuid: v3.then_some(report.cpuid),
		launch_mit_vector: v5.then_some(report.launch_mit_vector),
		current_mit_vector: v5.then_some(report.current_mit_vector),
		certs_expire_at: vek.not_after.min(signer.not_after).min(ark.not_after),
		known_vek: this_chain,
		crl_checked,
		verified_at: now,
	})
}

/// commonName AMD gives the ASK (`SEV-Milan`), the ASVK (`SEV-VLEK-Milan`) and the VEKs
/// (`SEV-VCEK`, `SEV-VLEK`) of a product.
pub(crate) fn expected_common_name(
	product: SnpProduct,
	role: CertRole,
) -> Option<alloc::string::String> {
	let p = product.name();
	match role {
		CertRole::Root => Some(alloc::format!("ARK-{p}")),
		CertRole::Ask => Some(alloc::format!("SEV-{p}")),
		CertRole::Asvk => Some(alloc::format!("SEV-VLEK-{p}")),
		_ => None,
	}
}

/// `cert` stands as `product`'s ASK or ASVK (`role`): a CA under the name AMD gives it
/// ([`CertError::WrongRole`] otherwise). Used for evidence and for trust anchors alike.
pub(crate) fn check_signer_role(
	product: SnpProduct,
	role: CertRole,
	cert: &Certificate<'_>,
) -> Result<(), CertError> {
	let cn = expected_common_name(product, role).ok_or(CertError::WrongRole)?;
	let is_ca = cert.is_ca()?;
	if !cert.is_named(cn.as_bytes()) || !is_ca {
		return Err(CertError::WrongRole);
	}
	Ok(())
}

/// Certificate roles: the signer is the product's ASK or ASVK and a CA; the VEK is a VCEK or
/// VLEK as the report says, and not a CA. A certificate cannot stand in another's place.
fn check_roles(
	product: SnpProduct,
	kind: SigningKeyKind,
	signer: &Certificate<'_>,
	vek: &Certificate<'_>,
) -> Result<(), SnpError> {
	let (signer_role, vek_cn): (CertRole, &[u8]) = match kind {
		SigningKeyKind::Vcek => (CertRole::Ask, b"SEV-VCEK"),
		SigningKeyKind::Vlek => (CertRole::Asvk, b"SEV-VLEK"),
	};
	let wrong = |role| SnpError::Certificate(role, CertError::WrongRole);
	check_signer_role(product, signer_role, signer)
		.map_err(|e| SnpError::Certificate(signer_role, e))?;
	let vek_is_ca = vek
		.is_ca()
		.map_err(|e| SnpError::Certificate(CertRole::Vek, e))?;
	if !vek.is_named(vek_cn) || vek_is_ca {
		return Err(wrong(CertRole::Vek));
	}
	Ok(())
}

/// The trusted product whose ASK (VCEK) or ASVK (VLEK) subject is the VEK's issuer.
fn find_product<'a>(
	anchors: &'a TrustAnchors,
	vek: &Certificate<'_>,
	kind: SigningKeyKind,
) -> Result<(&'a AmdProductAnchors, &'a [u8]), SnpError> {
	let subject_matches = |der: &Option<crate::evidence::DerCert>| {
		der.as_ref()
			.and_then(|d| Certificate::parse(d).ok())
			.is_some_and(|c| c.subject == vek.issuer)
	};
	for a in anchors.amd.iter() {
		let signer = match kind {
			SigningKeyKind::Vcek => &a.ask,
			SigningKeyKind::Vlek => &a.asvk,
		};
		if subject_matches(signer) {
			if let Some(der) = signer {
				return Ok((a, der.as_slice()));
			}
		}
	}
	// Issued by the other kind's signer: the report and certificate disagree on the key kind.
	let other_kind = anchors.amd.iter().any(|a| match kind {
		SigningKeyKind::Vcek => subject_matches(&a.asvk),
		SigningKeyKind::Vlek => subject_matches(&a.ask),
	});
	Err(if other_kind {
		SnpError::SigningKeyMismatch
	} else {
		SnpError::NoTrustAnchor
	})
}

/// Apply every AMD CRL: each must be signed by a trusted ARK and current; the product's own
/// CRLs must not list the ASK/ASVK or the VEK. Returns whether a CRL of the product was checked.
fn check_crls(
	collateral: &SnpCollateral,
	anchors: &TrustAnchors,
	ark: &Certificate<'_>,
	signer: &Certificate<'_>,
	signer_role: CertRole,
	vek: &Certificate<'_>,
	now: u64,
) -> Result<bool, SnpError> {
	let mut checked = false;
	for der in collateral.crls.iter() {
		let crl = Crl::parse(der).ok_or(SnpError::CrlMalformed)?;
		if crl.issuer == ark.subject {
			crl.verify_issued_by(ark)
				.map_err(|_| SnpError::CrlSignatureInvalid)?;
			if !crl.is_current(now) {
				return Err(SnpError::CrlOutOfDate);
			}
			if crl.is_revoked(signer.serial) {
				return Err(SnpError::Certificate(signer_role, CertError::Revoked));
			}
			if crl.is_revoked(vek.serial) {
				return Err(SnpError::Certificate(CertRole::Vek, CertError::Revoked));
			}
			checked = true;
		} else {
			// Another product's CRL: it must still come from a trusted ARK.
			let signed_by_trusted_ark = anchors.amd.iter().any(|a| {
				Certificate::parse(&a.ark).is_ok_and(|other| crl.verify_issued_by(&other).is_ok())
			});
			if !signed_by_trusted_ark {
				return Err(SnpError::CrlSignatureInvalid);
			}
		}
	}
	Ok(checked)
}

/// VCEK hwID extension (OCTET STRING) == CHIP_ID; Turin VCEKs carry the 8-byte form.
fn check_hw_id(
	vek: &Certificate<'_>,
	product: SnpProduct,
	chip_id: &[u8; 64],
) -> Result<(), SnpError> {
	let bad_ext = SnpError::Certificate(CertRole::Vek, CertError::BadExtension);
	let ext = vek
		.extension(oid::AMD_HW_ID)
		.map_err(|e| SnpError::Certificate(CertRole::Vek, e))?
		.ok_or(bad_ext)?;
	// The value is an OCTET STRING; some issuers put the raw bytes directly.
	let hw_id = asn1::single(ext.value, tag::OCTET_STRING)
		.map(|t| t.value)
		.unwrap_or(ext.value);
	let expected: &[u8] = match product {
		SnpProduct::Turin => chip_id.get(..8).ok_or(bad_ext)?,
		SnpProduct::Milan | SnpProduct::Genoa => chip_id,
	};
	if hw_id == expected {
		Ok(())
	} else {
		Err(SnpError::ChipIdMismatch)
	}
}

/// One SPL extension (a DER INTEGER) of the VEK.
fn spl(vek: &Certificate<'_>, id: &[u8]) -> Result<Option<u64>, SnpError> {
	let bad_ext = SnpError::Certificate(CertRole::Vek, CertError::BadExtension);
	let Some(ext) = vek
		.extension(id)
		.map_err(|e| SnpError::Certificate(CertRole::Vek, e))?
	else {
		return Ok(None);
	};
	asn1::single(ext.value, tag::INTEGER)
		.and_then(|i| asn1::small_uint(i.value))
		.map(Some)
		.ok_or(bad_ext)
}

/// The VEK's blSPL, teeSPL, snpSPL, ucodeSPL (and fmcSPL on Turin) == REPORTED_TCB.
fn check_vek_tcb(vek: &Certificate<'_>, reported: &SnpTcb) -> Result<(), SnpError> {
	let bad_ext = SnpError::Certificate(CertRole::Vek, CertError::BadExtension);
	let required = [
		(oid::AMD_BL_SPL, reported.bootloader),
		(oid::AMD_TEE_SPL, reported.tee),
		(oid::AMD_SNP_SPL, reported.snp),
		(oid::AMD_UCODE_SPL, reported.microcode),
	];
	for (id, want) in required {
		let have = spl(vek, id)?.ok_or(bad_ext)?;
		if have != u64::from(want) {
			return Err(SnpError::TcbMismatch);
		}
	}
	if let Some(fmc) = reported.fmc {
		let have = spl(vek, oid::AMD_FMC_SPL)?.ok_or(bad_ext)?;
		if have != u64::from(fmc) {
			return Err(SnpError::TcbMismatch);
		}
	}
	Ok(())
}

#[cfg(all(test, feature = "std"))]
#[allow(
	clippy::unwrap_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod tests {
	//! The VEK-to-report binding checks in isolation (a tampered report fails its signature
	//! before reaching them).
	use super::*;
	use std::path::PathBuf;

	fn vector(case: &str, file: &str) -> std::vec::Vec<u8> {
		let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
			.join("../../testvectors/snp")
			.join(case)
			.join(file);
		std::fs::read(p).unwrap()
	}

	#[test]
	fn vcek_hw_id_must_equal_chip_id() {
		let vek = vector("snp-milan-v2", "vek.der");
		let report = report::Report::parse(&vector("snp-milan-v2", "report.bin")).unwrap();
		let cert = Certificate::parse(&vek).unwrap();
		assert_eq!(
			check_hw_id(&cert, SnpProduct::Milan, &report.chip_id),
			Ok(())
		);
		let mut other = report.chip_id;
		other[63] ^= 1;
		assert_eq!(
			check_hw_id(&cert, SnpProduct::Milan, &other),
			Err(SnpError::ChipIdMismatch)
		);
		// The 8-byte Turin form compares only the first 8 bytes, so a 64-byte hwID never
		// matches it.
		assert_eq!(
			check_hw_id(&cert, SnpProduct::Turin, &report.chip_id),
			Err(SnpError::ChipIdMismatch)
		);
	}

	#[test]
	fn vek_tcb_must_equal_reported_tcb_not_current_tcb() {
		// In this VLEK report CURRENT_TCB (snp 0xdc) differs from REPORTED_TCB (snp 0xd9).
		let vek = vector("snp-milan-v3-vlek", "vek.der");
		let report = report::Report::parse(&vector("snp-milan-v3-vlek", "report.bin")).unwrap();
		assert_ne!(report.current_tcb, report.reported_tcb);
		let cert = Certificate::parse(&vek).unwrap();
		let reported = SnpTcb::decode_for(SnpProduct::Milan, report.reported_tcb);
		let current = SnpTcb::decode_for(SnpProduct::Milan, report.current_tcb);
		assert_eq!(check_vek_tcb(&cert, &reported), Ok(()));
		assert_eq!(check_vek_tcb(&cert, &current), Err(SnpError::TcbMismatch));
		for field in 0..4 {
			let mut t = reported;
			match field {
				0 => t.bootloader ^= 1,
				1 => t.tee ^= 1,
				2 => t.snp ^= 1,
				_ => t.microcode ^= 1,
			}
			assert_eq!(
				check_vek_tcb(&cert, &t),
				Err(SnpError::TcbMismatch),
				"field {field}"
			);
		}
		// A Turin TCB also needs fmcSPL, which a Milan VEK does not have.
		let turin = SnpTcb {
			fmc: Some(0),
			..reported
		};
		assert_eq!(
			check_vek_tcb(&cert, &turin),
			Err(SnpError::Certificate(
				CertRole::Vek,
				CertError::BadExtension
			))
		);
	}

	#[test]
	fn cpuid_names_the_product() {
		assert_eq!(
			product_from_cpuid([0x19, 0x01, 0x01]),
			Some(SnpProduct::Milan)
		);
		assert_eq!(
			product_from_cpuid([0x19, 0x11, 0x01]),
			Some(SnpProduct::Genoa)
		);
		assert_eq!(
			product_from_cpuid([0x19, 0xa0, 0x00]),
			Some(SnpProduct::Genoa)
		);
		assert_eq!(
			product_from_cpuid([0x1a, 0x02, 0x00]),
			Some(SnpProduct::Turin)
		);
		assert_eq!(product_from_cpuid([0x17, 0x31, 0x00]), None);
	}

	#[test]
	fn turin_tcb_layout_has_fmc_first() {
		let t = SnpTcb::decode_for(
			SnpProduct::Turin,
			u64::from_le_bytes([1, 2, 3, 4, 0, 0, 0, 9]),
		);
		assert_eq!(
			(t.fmc, t.bootloader, t.tee, t.snp, t.microcode),
			(Some(1), 2, 3, 4, 9)
		);
		let m = SnpTcb::decode_for(
			SnpProduct::Milan,
			u64::from_le_bytes([1, 2, 0, 0, 0, 0, 7, 9]),
		);
		assert_eq!(
			(m.fmc, m.bootloader, m.tee, m.snp, m.microcode),
			(None, 1, 2, 7, 9)
		);
	}
}
