//! X.509 certificates and CRLs: a tolerant parser and signature checks for the two PKIs we
//! trust (Intel: ECDSA P-256 / SHA-256; AMD: RSASSA-PSS SHA-384 and ECDSA P-384 VEKs).
//!
//! The parser keeps borrowed slices of the input: the signed TBS bytes, names as raw DER (names
//! are compared byte for byte, which is how both vendors issue them), the public key and the
//! extensions. Serial numbers are kept as raw INTEGER contents of any sign: some real VCEKs
//! have a zero or negative serial, which strict parsers reject.

use crate::asn1::{self, oid, tag, Reader, Tlv};
use crate::error::CertError;
use crate::time;

use alloc::vec::Vec;

/// An AlgorithmIdentifier: OID and raw parameters (if any).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AlgId<'a> {
	/// The whole AlgorithmIdentifier element.
	pub raw: &'a [u8],
	pub oid: &'a [u8],
	pub params: Option<Tlv<'a>>,
}

fn alg_id<'a>(r: &mut Reader<'a>) -> Option<AlgId<'a>> {
	let whole = r.expect(tag::SEQUENCE)?;
	let mut seq = Reader::new(whole.value);
	let oid = seq.expect(tag::OID)?.value;
	let params = if seq.is_empty() {
		None
	} else {
		Some(seq.any()?)
	};
	seq.is_empty().then_some(AlgId {
		raw: whole.raw,
		oid,
		params,
	})
}

/// A parsed certificate borrowing from its DER.
#[derive(Clone, Debug)]
pub(crate) struct Certificate<'a> {
	/// The whole DER.
	pub raw: &'a [u8],
	/// TBSCertificate, as signed.
	pub tbs: &'a [u8],
	/// Serial number INTEGER contents (any sign).
	pub serial: &'a [u8],
	/// Outer signature algorithm.
	pub sig_alg: AlgId<'a>,
	/// Signature bytes (BIT STRING without the unused-bits octet).
	pub signature: &'a [u8],
	/// Issuer Name, raw DER.
	pub issuer: &'a [u8],
	/// Subject Name, raw DER.
	pub subject: &'a [u8],
	/// notBefore, Unix seconds.
	pub not_before: u64,
	/// notAfter, Unix seconds.
	pub not_after: u64,
	/// SubjectPublicKeyInfo algorithm.
	pub key_alg: AlgId<'a>,
	/// SubjectPublicKeyInfo key bits.
	pub key: &'a [u8],
	/// Contents of the Extensions SEQUENCE (empty if absent).
	pub extensions: &'a [u8],
}

/// One extension.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extension<'a> {
	/// The OCTET STRING contents (itself usually DER).
	pub value: &'a [u8],
}

impl<'a> Certificate<'a> {
	/// Parse one DER certificate (no trailing bytes).
	pub fn parse(der: &'a [u8]) -> Result<Self, CertError> {
		Self::parse_inner(der).ok_or(CertError::Malformed)
	}

	fn parse_inner(der: &'a [u8]) -> Option<Self> {
		let outer = asn1::single(der, tag::SEQUENCE)?;
		let mut r = Reader::new(outer.value);
		let tbs = r.expect(tag::SEQUENCE)?;
		let sig_alg = alg_id(&mut r)?;
		let signature = asn1::bit_string_bytes(r.expect(tag::BIT_STRING)?.value)?;
		if !r.is_empty() {
			return None;
		}

		let mut t = Reader::new(tbs.value);
		// version [0] EXPLICIT INTEGER, optional (absent means v1).
		let _version = t.optional(tag::context(0))?;
		let serial = t.expect(tag::INTEGER)?.value;
		if serial.is_empty() || serial.len() > 64 {
			return None;
		}
		let inner_sig_alg = alg_id(&mut t)?;
		// RFC 5280: the unsigned outer algorithm must be the signed inner one, byte for byte.
		if inner_sig_alg.raw != sig_alg.raw {
			return None;
		}
		let issuer = t.expect(tag::SEQUENCE)?.raw;
		let mut validity = t.nested(tag::SEQUENCE)?;
		let not_before = time::asn1_time(&validity.any()?)?;
		let not_after = time::asn1_time(&validity.any()?)?;
		if !validity.is_empty() {
			return None;
		}
		let subject = t.expect(tag::SEQUENCE)?.raw;
		let mut spki = t.nested(tag::SEQUENCE)?;
		let key_alg = alg_id(&mut spki)?;
		let key = asn1::bit_string_bytes(spki.expect(tag::BIT_STRING)?.value)?;
		if !spki.is_empty() {
			return None;
		}
		// issuerUniqueID [1], subjectUniqueID [2] (primitive, implicit) are skipped.
		let _ = t.optional(0x81)?;
		let _ = t.optional(0x82)?;
		let extensions = match t.optional(tag::context(3))? {
			Some(ext) => asn1::single(ext.value, tag::SEQUENCE)?.value,
			None => &[],
		};
		if !t.is_empty() {
			return None;
		}
		Some(Certificate {
			raw: der,
			tbs: tbs.raw,
			serial,
			sig_alg,
			signature,
			issuer,
			subject,
			not_before,
			not_after,
			key_alg,
			key,
			extensions,
		})
	}

	/// The extension with `id`, if present exactly once.
	pub fn extension(&self, id: &[u8]) -> Result<Option<Extension<'a>>, CertError> {
		let mut found = None;
		let mut r = Reader::new(self.extensions);
		while !r.is_empty() {
			let mut ext = r.nested(tag::SEQUENCE).ok_or(CertError::Malformed)?;
			let ext_id = ext.expect(tag::OID).ok_or(CertError::Malformed)?.value;
			// `critical` is not acted on: every extension this crate relies on is required by
			// the code that reads it, and the vendors mark none of theirs critical.
			let _critical = ext.optional(tag::BOOLEAN).ok_or(CertError::Malformed)?;
			let value = ext
				.expect(tag::OCTET_STRING)
				.ok_or(CertError::Malformed)?
				.value;
			if !ext.is_empty() {
				return Err(CertError::Malformed);
			}
			if ext_id == id {
				if found.is_some() {
					return Err(CertError::Malformed);
				}
				found = Some(Extension { value });
			}
		}
		Ok(found)
	}

	/// Whether basicConstraints says this is a CA.
	pub fn is_ca(&self) -> Result<bool, CertError> {
		let Some(ext) = self.extension(oid::BASIC_CONSTRAINTS)? else {
			return Ok(false);
		};
		let mut seq = asn1::single(ext.value, tag::SEQUENCE)
			.map(|t| Reader::new(t.value))
			.ok_or(CertError::Malformed)?;
		match seq.optional(tag::BOOLEAN).ok_or(CertError::Malformed)? {
			Some(b) => Ok(b.value != [0]),
			None => Ok(false),
		}
	}

	/// The subject's commonName (its value bytes), if the subject has exactly one.
	pub fn subject_common_name(&self) -> Option<&'a [u8]> {
		common_name(self.subject)
	}

	/// Whether the subject's commonName is `cn`, byte for byte.
	pub fn is_named(&self, cn: &[u8]) -> bool {
		self.subject_common_name() == Some(cn)
	}

	/// notBefore <= now <= notAfter.
	pub fn check_validity(&self, now: u64) -> Result<(), CertError> {
		if now < self.not_before {
			Err(CertError::NotYetValid)
		} else if now > self.not_after {
			Err(CertError::Expired)
		} else {
			Ok(())
		}
	}

	/// This certificate's public key, for checking signatures it made.
	pub fn public_key(&self) -> Result<PublicKey, CertError> {
		PublicKey::from_spki(&self.key_alg, self.key)
	}

	/// Check that `issuer` issued this certificate: names chain and the signature verifies.
	pub fn verify_issued_by(&self, issuer: &Certificate<'_>) -> Result<(), CertError> {
		if self.issuer != issuer.subject {
			return Err(CertError::IssuerMismatch);
		}
		issuer
			.public_key()?
			.verify(&self.sig_alg, self.tbs, self.signature)
	}
}

/// The commonName value of a DER `Name` (`raw` SEQUENCE), if it holds exactly one.
pub(crate) fn common_name(name: &[u8]) -> Option<&[u8]> {
	/// id-at-commonName, 2.5.4.3.
	const CN: &[u8] = &[0x55, 0x04, 0x03];
	/// SET (constructed).
	const SET: u8 = 0x31;
	let seq = asn1::single(name, tag::SEQUENCE)?;
	let mut rdns = Reader::new(seq.value);
	let mut found = None;
	while !rdns.is_empty() {
		let mut set = rdns.nested(SET)?;
		while !set.is_empty() {
			let mut atv = set.nested(tag::SEQUENCE)?;
			let id = atv.expect(tag::OID)?.value;
			let value = atv.any()?;
			if !atv.is_empty() {
				return None;
			}
			if id == CN {
				if found.is_some() {
					return None;
				}
				found = Some(value.value);
			}
		}
	}
	found
}

/// A CRL borrowing from its DER.
#[derive(Clone, Debug)]
pub(crate) struct Crl<'a> {
	pub tbs: &'a [u8],
	pub sig_alg: AlgId<'a>,
	pub signature: &'a [u8],
	pub issuer: &'a [u8],
	pub this_update: u64,
	pub next_update: Option<u64>,
	/// Contents of revokedCertificates (empty if absent).
	revoked: &'a [u8],
}

impl<'a> Crl<'a> {
	/// Parse one DER CRL (no trailing bytes).
	pub fn parse(der: &'a [u8]) -> Option<Self> {
		let outer = asn1::single(der, tag::SEQUENCE)?;
		let mut r = Reader::new(outer.value);
		let tbs = r.expect(tag::SEQUENCE)?;
		let sig_alg = alg_id(&mut r)?;
		let signature = asn1::bit_string_bytes(r.expect(tag::BIT_STRING)?.value)?;
		if !r.is_empty() {
			return None;
		}
		let mut t = Reader::new(tbs.value);
		let _version = t.optional(tag::INTEGER)?;
		let inner_sig_alg = alg_id(&mut t)?;
		// RFC 5280: the unsigned outer algorithm must be the signed inner one, byte for byte.
		if inner_sig_alg.raw != sig_alg.raw {
			return None;
		}
		let issuer = t.expect(tag::SEQUENCE)?.raw;
		let this_update = time::asn1_time(&t.any()?)?;
		let next_update = match t.peek_tag() {
			Some(tag::UTC_TIME) | Some(tag::GENERALIZED_TIME) => Some(time::asn1_time(&t.any()?)?),
			_ => None,
		};
		let revoked = match t.optional(tag::SEQUENCE)? {
			Some(seq) => seq.value,
			None => &[],
		};
		let _extensions = t.optional(tag::context(0))?;
		if !t.is_empty() {
			return None;
		}
		// Check the revoked entries parse, so lookups cannot hit malformed data later.
		let mut entries = Reader::new(revoked);
		while !entries.is_empty() {
			let mut entry = entries.nested(tag::SEQUENCE)?;
			entry.expect(tag::INTEGER)?;
		}
		Some(Crl {
			tbs: tbs.raw,
			sig_alg,
			signature,
			issuer,
			this_update,
			next_update,
			revoked,
		})
	}

	/// The serial numbers listed (INTEGER contents without leading zero bytes), in order; `None`
	/// for an entry that does not parse (never after [`Crl::parse`], which checks them).
	pub fn revoked_serials(&self) -> impl Iterator<Item = Option<&'a [u8]>> + 'a {
		let mut entries = Reader::new(self.revoked);
		core::iter::from_fn(move || {
			if entries.is_empty() {
				return None;
			}
			Some(
				entries
					.nested(tag::SEQUENCE)
					.and_then(|mut e| e.expect(tag::INTEGER))
					.map(|s| asn1::integer_magnitude(s.value)),
			)
		})
	}

	/// Whether a certificate with serial number contents `serial` is listed.
	pub fn is_revoked(&self, serial: &[u8]) -> bool {
		let wanted = asn1::integer_magnitude(serial);
		let mut entries = Reader::new(self.revoked);
		while let Some(mut entry) = entries.nested(tag::SEQUENCE) {
			if let Some(s) = entry.expect(tag::INTEGER) {
				if asn1::integer_magnitude(s.value) == wanted {
					return true;
				}
			}
		}
		false
	}

	/// Check that `issuer` signed this CRL.
	pub fn verify_issued_by(&self, issuer: &Certificate<'_>) -> Result<(), CertError> {
		if self.issuer != issuer.subject {
			return Err(CertError::IssuerMismatch);
		}
		issuer
			.public_key()?
			.verify(&self.sig_alg, self.tbs, self.signature)
	}

	/// thisUpdate <= now <= nextUpdate (a CRL without nextUpdate never expires).
	pub fn is_current(&self, now: u64) -> bool {
		now >= self.this_update && self.next_update.is_none_or(|next| now <= next)
	}
}

/// A public key of a kind these PKIs use.
pub(crate) enum PublicKey {
	P256(p256::ecdsa::VerifyingKey),
	P384(p384::ecdsa::VerifyingKey),
	Rsa(rsa::PublicKey),
}

impl PublicKey {
	fn from_spki(alg: &AlgId<'_>, key: &[u8]) -> Result<Self, CertError> {
		match alg.oid {
			oid::EC_PUBLIC_KEY => {
				let curve = alg
					.params
					.filter(|p| p.tag == tag::OID)
					.ok_or(CertError::UnsupportedAlgorithm)?;
				match curve.value {
					oid::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
						.map(PublicKey::P256)
						.map_err(|_| CertError::BadPublicKey),
					oid::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
						.map(PublicKey::P384)
						.map_err(|_| CertError::BadPublicKey),
					_ => Err(CertError::UnsupportedAlgorithm),
				}
			}
			oid::RSA_ENCRYPTION | oid::RSASSA_PSS => rsa_public_key(key)
				.map(PublicKey::Rsa)
				.ok_or(CertError::BadPublicKey),
			_ => Err(CertError::UnsupportedAlgorithm),
		}
	}

	/// Verify `signature` over `message` with the algorithm `alg` (which must suit this key).
	pub fn verify(
		&self,
		alg: &AlgId<'_>,
		message: &[u8],
		signature: &[u8],
	) -> Result<(), CertError> {
		match (self, alg.oid) {
			(PublicKey::P256(key), oid::ECDSA_SHA256) => {
				let (r, s) = ecdsa_sig_value(signature, 32).ok_or(CertError::SignatureInvalid)?;
				verify_p256(key, message, &r, &s)
			}
			(PublicKey::P384(key), oid::ECDSA_SHA384) => {
				let (r, s) = ecdsa_sig_value(signature, 48).ok_or(CertError::SignatureInvalid)?;
				verify_p384(key, message, &r, &s)
			}
			(PublicKey::Rsa(key), oid::RSASSA_PSS) => {
				check_pss_sha384_params(alg.params.as_ref())?;
				verify_rsa_pss_sha384(key, message, signature)
			}
			_ => Err(CertError::UnsupportedAlgorithm),
		}
	}
}

/// ECDSA P-256 / SHA-256 over `message` with big-endian `r` and `s`.
pub(crate) fn verify_p256(
	key: &p256::ecdsa::VerifyingKey,
	message: &[u8],
	r: &[u8],
	s: &[u8],
) -> Result<(), CertError> {
	use p256::ecdsa::signature::Verifier;
	let r: [u8; 32] = r.try_into().map_err(|_| CertError::SignatureInvalid)?;
	let s: [u8; 32] = s.try_into().map_err(|_| CertError::SignatureInvalid)?;
	let sig =
		p256::ecdsa::Signature::from_scalars(r, s).map_err(|_| CertError::SignatureInvalid)?;
	key.verify(message, &sig)
		.map_err(|_| CertError::SignatureInvalid)
}

/// ECDSA P-384 / SHA-384 over `message` with big-endian `r` and `s`.
pub(crate) fn verify_p384(
	key: &p384::ecdsa::VerifyingKey,
	message: &[u8],
	r: &[u8],
	s: &[u8],
) -> Result<(), CertError> {
	use p384::ecdsa::signature::Verifier;
	let r: [u8; 48] = r.try_into().map_err(|_| CertError::SignatureInvalid)?;
	let s: [u8; 48] = s.try_into().map_err(|_| CertError::SignatureInvalid)?;
	let sig =
		p384::ecdsa::Signature::from_scalars(r, s).map_err(|_| CertError::SignatureInvalid)?;
	key.verify(message, &sig)
		.map_err(|_| CertError::SignatureInvalid)
}

fn verify_rsa_pss_sha384(
	key: &rsa::PublicKey,
	message: &[u8],
	signature: &[u8],
) -> Result<(), CertError> {
	use rsa::signature::Verifier;
	let vk = rsa::pss::VerifyingKey::<sha2::Sha384>::new(key.clone());
	let sig = rsa::pss::Signature::try_from(signature).map_err(|_| CertError::SignatureInvalid)?;
	vk.verify(message, &sig)
		.map_err(|_| CertError::SignatureInvalid)
}

/// Accept only RSASSA-PSS parameters naming SHA-384 (hash and MGF1) with a 48-byte salt, which
/// is what AMD uses; anything else is another algorithm as far as we are concerned.
fn check_pss_sha384_params(params: Option<&Tlv<'_>>) -> Result<(), CertError> {
	let bad = CertError::UnsupportedAlgorithm;
	let params = params.filter(|p| p.tag == tag::SEQUENCE).ok_or(bad)?;
	let mut r = Reader::new(params.value);
	// [0] hashAlgorithm
	let mut hash = r.nested(tag::context(0)).ok_or(bad)?;
	let hash_alg = alg_id(&mut hash).ok_or(bad)?;
	if hash_alg.oid != oid::SHA384 {
		return Err(bad);
	}
	// [1] maskGenAlgorithm: MGF1 with SHA-384
	let mut mgf = r.nested(tag::context(1)).ok_or(bad)?;
	let mgf_alg = alg_id(&mut mgf).ok_or(bad)?;
	let mgf_hash = mgf_alg
		.params
		.filter(|p| p.tag == tag::SEQUENCE)
		.and_then(|p| alg_id(&mut Reader::new(p.raw)))
		.ok_or(bad)?;
	if mgf_alg.oid != oid::MGF1 || mgf_hash.oid != oid::SHA384 {
		return Err(bad);
	}
	// [2] saltLength
	let salt = r
		.nested(tag::context(2))
		.and_then(|mut s| s.expect(tag::INTEGER))
		.and_then(|i| asn1::small_uint(i.value))
		.ok_or(bad)?;
	if salt != 48 {
		return Err(bad);
	}
	// [3] trailerField, if present, must be 1 (the default).
	if let Some(trailer) = r.optional(tag::context(3)).ok_or(bad)? {
		let v = Reader::new(trailer.value)
			.expect(tag::INTEGER)
			.and_then(|i| asn1::small_uint(i.value));
		if v != Some(1) {
			return Err(bad);
		}
	}
	if r.is_empty() {
		Ok(())
	} else {
		Err(bad)
	}
}

/// Decode an ECDSA-Sig-Value `SEQUENCE { r INTEGER, s INTEGER }` into fixed-width big-endian
/// scalars of `width` bytes.
fn ecdsa_sig_value(der: &[u8], width: usize) -> Option<(Vec<u8>, Vec<u8>)> {
	let seq = asn1::single(der, tag::SEQUENCE)?;
	let mut r = Reader::new(seq.value);
	let a = r.expect(tag::INTEGER)?.value;
	let b = r.expect(tag::INTEGER)?.value;
	if !r.is_empty() {
		return None;
	}
	Some((fixed_width(a, width)?, fixed_width(b, width)?))
}

/// Left-pad a non-negative big-endian integer to `width` bytes.
pub(crate) fn fixed_width(int: &[u8], width: usize) -> Option<Vec<u8>> {
	if int.first().is_some_and(|b| b & 0x80 != 0) {
		return None;
	}
	let m = asn1::integer_magnitude(int);
	let pad = width.checked_sub(m.len())?;
	let mut out = alloc::vec![0u8; pad];
	out.extend_from_slice(m);
	Some(out)
}

/// RSAPublicKey `SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
fn rsa_public_key(der: &[u8]) -> Option<rsa::PublicKey> {
	let seq = asn1::single(der, tag::SEQUENCE)?;
	let mut r = Reader::new(seq.value);
	let n = r.expect(tag::INTEGER)?.value;
	let e = r.expect(tag::INTEGER)?.value;
	if !r.is_empty() || n.first().is_some_and(|b| b & 0x80 != 0) {
		return None;
	}
	let n = asn1::integer_magnitude(n);
	let e = asn1::integer_magnitude(e);
	if n.len() > 1024 || e.len() > 8 {
		return None;
	}
	let n_bits = u32::try_from(n.len().checked_mul(8)?).ok()?;
	let e_bits = u32::try_from(e.len().checked_mul(8)?).ok()?.max(64);
	let n = rsa::BoxedUint::from_be_slice(n, n_bits).ok()?;
	let e = rsa::BoxedUint::from_be_slice(e, e_bits).ok()?;
	rsa::PublicKey::new(n, e).ok()
}

#[cfg(all(test, feature = "std"))]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
	use super::*;

	fn vcek() -> std::vec::Vec<u8> {
		let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
			.join("../../testvectors/snp/snp-milan-v2/vek.der");
		std::fs::read(p).unwrap()
	}

	#[test]
	fn parses_zero_and_negative_serials() {
		let mut der = vcek();
		// serial INTEGER at offset 13: `02 01 00`.
		assert_eq!(&der[13..16], &[0x02, 0x01, 0x00]);
		assert_eq!(Certificate::parse(&der).unwrap().serial, &[0x00]);
		der[15] = 0xff; // serial -1
		assert_eq!(Certificate::parse(&der).unwrap().serial, &[0xff]);
	}

	#[test]
	fn rejects_trailing_bytes_and_truncation() {
		let mut der = vcek();
		assert!(Certificate::parse(&der[..der.len() - 1]).is_err());
		der.push(0);
		assert!(Certificate::parse(&der).is_err());
	}

	#[test]
	fn rejects_outer_algorithm_differing_from_signed_one() {
		let der = vcek();
		let cert = Certificate::parse(&der).unwrap();
		// Change a byte inside the outer (unsigned) AlgorithmIdentifier only.
		let outer_at = der.len() - cert.signature.len() - 5 - cert.sig_alg.raw.len() + 4;
		let mut t = der.clone();
		t[outer_at + 10] ^= 0x01;
		assert!(Certificate::parse(&t).is_err());
	}

	#[test]
	fn finds_revoked_serials_in_a_real_crl() {
		use der::Decode as _;
		let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
			.join("../../testvectors/tdx/tdx-v5-uptodate/collateral.json");
		let json: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
		let der = hex::decode(json["pck_crl"].as_str().unwrap()).unwrap();
		let crl = Crl::parse(&der).unwrap();
		// Independent parse with x509-cert for the listed serials.
		let other =
			x509_cert::crl::CertificateList::<x509_cert::certificate::Rfc5280>::from_der(&der)
				.unwrap();
		let listed = other.tbs_cert_list.revoked_certificates.unwrap();
		assert!(listed.len() > 5);
		for entry in &listed {
			let serial = entry.serial_number.as_bytes();
			assert!(crl.is_revoked(serial));
			let mut other_serial = serial.to_vec();
			*other_serial.last_mut().unwrap() ^= 0x55;
			if !listed
				.iter()
				.any(|e| e.serial_number.as_bytes() == other_serial.as_slice())
			{
				assert!(!crl.is_revoked(&other_serial));
			}
		}
		assert!(crl.next_update.is_some());
	}
}
