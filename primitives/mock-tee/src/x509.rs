//! Small helpers over `x509-cert`: names, times, extensions, and issuing certificates and CRLs
//! with a fixed profile (exactly the extensions we ask for, nothing added).

use core::time::Duration;
use std::str::FromStr;

use der::{
	asn1::{Ia5String, OctetString, Uint},
	referenced::OwnedToRef,
	DateTime, Encode,
};
use spki::{AlgorithmIdentifierOwned, EncodePublicKey, SubjectPublicKeyInfoOwned};
use x509_cert::{
	builder::{profile::BuilderProfile, Builder, CertificateBuilder},
	certificate::{Certificate, TbsCertificate, Version},
	crl::{CertificateList, RevokedCert, TbsCertList},
	ext::{
		pkix::{
			name::{DistributionPointName, GeneralName},
			AuthorityKeyIdentifier, BasicConstraints, CrlDistributionPoints, CrlNumber, KeyUsage,
			KeyUsages, SubjectKeyIdentifier,
		},
		Extension,
	},
	name::Name,
	serial_number::SerialNumber,
	time::{Time, Validity},
};

use crate::error::{Error, Result};

/// A name from `(attribute, value)` pairs in the order they are encoded (the first pair is the
/// first RDN). RFC 4514 strings list RDNs in reverse, so the pairs are joined back to front.
pub(crate) fn name(rdns: &[(&str, &str)]) -> Result<Name> {
	let text = rdns
		.iter()
		.rev()
		.map(|(attr, value)| format!("{attr}={value}"))
		.collect::<Vec<_>>()
		.join(",");
	Name::from_str(&text).map_err(Error::der("distinguished name"))
}

/// A Unix time as an X.509 `Time` (UTCTime before 2050, GeneralizedTime after, per RFC 5280).
pub(crate) fn time(unix: u64) -> Result<Time> {
	let dt =
		DateTime::from_unix_duration(Duration::from_secs(unix)).map_err(|_| Error::Time(unix))?;
	Ok(Time::from(dt))
}

/// A Unix time in the RFC 3339 form Intel uses in TCB Info and QE Identity (`2025-06-19T10:16:03Z`).
pub(crate) fn rfc3339(unix: u64) -> Result<String> {
	let dt =
		DateTime::from_unix_duration(Duration::from_secs(unix)).map_err(|_| Error::Time(unix))?;
	Ok(format!(
		"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
		dt.year(),
		dt.month(),
		dt.day(),
		dt.hour(),
		dt.minutes(),
		dt.seconds()
	))
}

pub(crate) fn validity(not_before: u64, not_after: u64) -> Result<Validity> {
	Ok(Validity::new(time(not_before)?, time(not_after)?))
}

/// A positive serial number of at most 20 bytes from arbitrary bytes (RFC 5280 4.1.2.2).
pub(crate) fn serial(bytes: &[u8]) -> Result<SerialNumber> {
	let mut v: Vec<u8> = bytes.iter().copied().take(16).collect();
	if let Some(first) = v.first_mut() {
		// Clear the sign bit and make the leading byte non-zero: positive, minimal encoding.
		*first = (*first & 0x7f) | 0x01;
	} else {
		v.push(1);
	}
	SerialNumber::new(&v).map_err(Error::der("serial number"))
}

/// An extension with an arbitrary DER value (the `extnValue` octets).
pub(crate) fn raw_ext(
	oid: const_oid::ObjectIdentifier,
	critical: bool,
	value: Vec<u8>,
) -> Result<Extension> {
	Ok(Extension {
		extn_id: oid,
		critical,
		extn_value: OctetString::new(value).map_err(Error::der("extension value"))?,
	})
}

fn typed_ext<T: Encode + const_oid::AssociatedOid>(value: &T, critical: bool) -> Result<Extension> {
	let der = value.to_der().map_err(Error::der("extension"))?;
	raw_ext(T::OID, critical, der)
}

/// Subject key identifier (SHA-1 of the public key bits, RFC 5280 method 1).
pub(crate) fn ski(spki: &SubjectPublicKeyInfoOwned) -> Result<SubjectKeyIdentifier> {
	SubjectKeyIdentifier::try_from(spki.owned_to_ref())
		.map_err(Error::der("subject key identifier"))
}

pub(crate) fn ski_ext(spki: &SubjectPublicKeyInfoOwned) -> Result<Extension> {
	typed_ext(&ski(spki)?, false)
}

pub(crate) fn aki_ext(issuer_spki: &SubjectPublicKeyInfoOwned) -> Result<Extension> {
	let aki = AuthorityKeyIdentifier {
		key_identifier: Some(ski(issuer_spki)?.0),
		..Default::default()
	};
	typed_ext(&aki, false)
}

pub(crate) fn basic_constraints_ext(ca: bool, path_len: Option<u8>) -> Result<Extension> {
	typed_ext(
		&BasicConstraints {
			ca,
			path_len_constraint: path_len,
		},
		true,
	)
}

/// Key usage for CAs (`cert_sign` and, when it issues CRLs, `crl_sign`) or for signing leaves.
pub(crate) fn key_usage_ext(usage: KeyUsageKind) -> Result<Extension> {
	let flags = match usage {
		KeyUsageKind::CaWithCrl => KeyUsages::KeyCertSign | KeyUsages::CRLSign,
		KeyUsageKind::CaCertOnly => KeyUsages::KeyCertSign.into(),
		KeyUsageKind::Signing => KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
	};
	typed_ext(&KeyUsage(flags), true)
}

#[derive(Clone, Copy)]
pub(crate) enum KeyUsageKind {
	CaWithCrl,
	CaCertOnly,
	Signing,
}

pub(crate) fn crl_dp_ext(url: &str) -> Result<Extension> {
	let uri = Ia5String::new(url).map_err(Error::der("CRL distribution point"))?;
	let dp = x509_cert::ext::pkix::crl::dp::DistributionPoint {
		distribution_point: Some(DistributionPointName::FullName(vec![
			GeneralName::UniformResourceIdentifier(uri),
		])),
		reasons: None,
		crl_issuer: None,
	};
	typed_ext(&CrlDistributionPoints(vec![dp]), false)
}

/// A builder profile that adds exactly the given extensions, in the given order.
struct FixedProfile {
	issuer: Name,
	subject: Name,
	extensions: Vec<Extension>,
}

impl BuilderProfile for FixedProfile {
	fn get_issuer(&self, _subject: &Name) -> Name {
		self.issuer.clone()
	}

	fn get_subject(&self) -> Name {
		self.subject.clone()
	}

	fn build_extensions(
		&self,
		_spk: spki::SubjectPublicKeyInfoRef<'_>,
		_issuer_spk: spki::SubjectPublicKeyInfoRef<'_>,
		_tbs: &TbsCertificate,
	) -> x509_cert::builder::Result<Vec<Extension>> {
		Ok(self.extensions.clone())
	}
}

/// What goes into a certificate besides the keys.
pub(crate) struct CertSpec {
	pub issuer: Name,
	pub subject: Name,
	pub serial: SerialNumber,
	pub validity: Validity,
	pub extensions: Vec<Extension>,
}

/// Anything that can sign a certificate or CRL for us: its algorithm identifier, its public key
/// and a deterministic signature (DER ECDSA or raw RSA) over the to-be-signed bytes.
pub(crate) trait CaKey {
	fn issue(&self, spec: CertSpec, subject_spki: SubjectPublicKeyInfoOwned)
		-> Result<Certificate>;
	fn algorithm(&self) -> Result<AlgorithmIdentifierOwned>;
	fn sign_raw(&self, what: &'static str, tbs: &[u8]) -> Result<Vec<u8>>;
}

pub(crate) fn build_with<S, Sig>(
	spec: CertSpec,
	subject_spki: SubjectPublicKeyInfoOwned,
	signer: &S,
) -> Result<Certificate>
where
	S: signature::Signer<Sig> + signature::Keypair + spki::DynSignatureAlgorithmIdentifier,
	S::VerifyingKey: EncodePublicKey,
	Sig: spki::SignatureBitStringEncoding,
{
	let profile = FixedProfile {
		issuer: spec.issuer,
		subject: spec.subject,
		extensions: spec.extensions,
	};
	let builder = CertificateBuilder::new(profile, spec.serial, spec.validity, subject_spki)
		.map_err(Error::builder("certificate"))?;
	let cert = builder
		.build::<S, Sig>(signer)
		.map_err(Error::builder("certificate"))?;
	if cert.tbs_certificate().version() != Version::V3 {
		return Err(Error::Unsupported("certificate without extensions".into()));
	}
	Ok(cert)
}

/// Issue a CRL (v2, with CRL number and authority key identifier) signed by `issuer_key`.
pub(crate) fn issue_crl(
	issuer: &Certificate,
	issuer_key: &dyn CaKey,
	crl_number: u32,
	this_update: u64,
	next_update: u64,
	revoked: &[Vec<u8>],
) -> Result<Vec<u8>> {
	let issuer_spki = issuer.tbs_certificate().subject_public_key_info().clone();
	let number =
		CrlNumber::from(Uint::new(&crl_number.to_be_bytes()).map_err(Error::der("CRL number"))?);
	let extensions = vec![typed_ext(&number, false)?, aki_ext(&issuer_spki)?];
	let revoked_certificates = revoked
		.iter()
		.map(|serial_bytes| {
			Ok(RevokedCert::<x509_cert::certificate::Rfc5280> {
				serial_number: SerialNumber::<x509_cert::certificate::Rfc5280>::new(serial_bytes)
					.map_err(Error::der("revoked serial"))?,
				revocation_date: time(this_update)?,
				crl_entry_extensions: None,
			})
		})
		.collect::<Result<Vec<_>>>()?;
	let tbs = TbsCertList {
		version: Version::V2,
		signature: issuer_key.algorithm()?,
		issuer: issuer.tbs_certificate().subject().clone(),
		this_update: time(this_update)?,
		next_update: Some(time(next_update)?),
		revoked_certificates: if revoked_certificates.is_empty() {
			None
		} else {
			Some(revoked_certificates)
		},
		crl_extensions: Some(extensions),
	};
	let tbs_der = tbs.to_der().map_err(Error::der("CRL"))?;
	let signature = issuer_key.sign_raw("CRL", &tbs_der)?;
	let crl = CertificateList {
		signature_algorithm: tbs.signature.clone(),
		tbs_cert_list: tbs,
		signature: der::asn1::BitString::from_bytes(&signature)
			.map_err(Error::der("CRL signature"))?,
	};
	crl.to_der().map_err(Error::der("CRL"))
}

pub(crate) fn cert_der(cert: &Certificate) -> Result<Vec<u8>> {
	cert.to_der().map_err(Error::der("certificate"))
}

/// PEM of one certificate, with `\n` line endings as Intel's PCS and AMD's KDS serve them.
pub(crate) fn cert_pem(der: &[u8]) -> Result<String> {
	der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, der)
		.map_err(Error::builder("PEM"))
}
