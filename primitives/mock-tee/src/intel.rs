//! The Intel-style PKI: root CA, PCK platform CA, PCK leaf certificates with the SGX extension,
//! the TCB signing certificate, and the root CA and PCK CRLs.
//!
//! The shapes follow Intel's real certificates (see `testvectors/tdx/*/quote.bin`): ECDSA P-256
//! with SHA-256 everywhere, the same subject names (with our own organization so nobody mistakes
//! them for Intel's), the same extensions and criticality, the PCK leaf issued by a "Platform"
//! CA with the Platform-CA-only SGX fields (platform instance ID, configuration flags).

use const_oid::ObjectIdentifier;
use der::{
	asn1::{OctetString, Uint},
	Any, Sequence, Tag,
};
use tee_verifier::tdx::PckCa;
use x509_cert::certificate::Certificate;

use crate::{
	error::{Error, Result},
	keys::{derive, p256_key, spki_of, to_der},
	x509::{
		aki_ext, basic_constraints_ext, cert_der, cert_pem, crl_dp_ext, issue_crl, key_usage_ext,
		name, raw_ext, serial, ski_ext, validity, CaKey, CertSpec, KeyUsageKind,
	},
};

/// Organization in every mock Intel certificate: the CNs match Intel's, the O says what it is.
pub(crate) const DEV_ORG: &str = "mock-tee INSECURE dev roots (not Intel)";

/// 2020-01-01T00:00:00Z: notBefore of every long-lived mock certificate.
pub(crate) const CERT_NOT_BEFORE: u64 = 1_577_836_800;
/// 2049-12-31T23:59:59Z: notAfter of every long-lived mock certificate (last UTCTime second,
/// as Intel's root CA uses).
pub(crate) const CERT_NOT_AFTER: u64 = 2_524_607_999;

const ROOT_CRL_URL: &str = "https://mock-tee.invalid/intel/IntelSGXRootCA.der";
const PCK_CRL_URL_PLATFORM: &str = "https://mock-tee.invalid/intel/pckcrl?ca=platform&encoding=der";
const PCK_CRL_URL_PROCESSOR: &str =
	"https://mock-tee.invalid/intel/pckcrl?ca=processor&encoding=der";

fn intel_name(cn: &str) -> Result<x509_cert::name::Name> {
	name(&[
		("CN", cn),
		("O", DEV_ORG),
		("L", "Santa Clara"),
		("ST", "CA"),
		("C", "US"),
	])
}

/// One CA (or signing) certificate with its key.
pub(crate) struct Issued {
	pub key: p256::ecdsa::SigningKey,
	pub cert: Certificate,
	pub der: Vec<u8>,
}

/// The Intel-style hierarchy derived from one seed.
pub(crate) struct IntelPki {
	seed: [u8; 32],
	pub root: Issued,
	pub platform_ca: Issued,
	pub processor_ca: Issued,
	pub tcb_signing: Issued,
}

impl IntelPki {
	pub(crate) fn new(seed: &[u8; 32]) -> Result<Self> {
		let root_key = p256_key(seed, "intel/root-ca", b"")?;
		let root_spki = spki_of(root_key.verifying_key(), "Intel root CA")?;
		let root_name = intel_name("Intel SGX Root CA")?;
		let root_cert = root_key.issue(
			CertSpec {
				issuer: root_name.clone(),
				subject: root_name.clone(),
				serial: serial(&derive(seed, "intel/root-ca/serial", b""))?,
				validity: validity(CERT_NOT_BEFORE, CERT_NOT_AFTER)?,
				extensions: vec![
					aki_ext(&root_spki)?,
					crl_dp_ext(ROOT_CRL_URL)?,
					ski_ext(&root_spki)?,
					key_usage_ext(KeyUsageKind::CaWithCrl)?,
					basic_constraints_ext(true, Some(1))?,
				],
			},
			root_spki.clone(),
		)?;
		let root = Issued {
			der: cert_der(&root_cert)?,
			cert: root_cert,
			key: root_key,
		};

		let platform_ca = issue_sub(
			seed,
			&root,
			"intel/pck-platform-ca",
			"Intel SGX PCK Platform CA",
			vec![KeyUsageKind::CaWithCrl],
			Some(0),
		)?;
		let processor_ca = issue_sub(
			seed,
			&root,
			"intel/pck-processor-ca",
			"Intel SGX PCK Processor CA",
			vec![KeyUsageKind::CaWithCrl],
			Some(0),
		)?;
		let tcb_signing = issue_sub(
			seed,
			&root,
			"intel/tcb-signing",
			"Intel SGX TCB Signing",
			vec![KeyUsageKind::Signing],
			None,
		)?;
		Ok(Self {
			seed: *seed,
			root,
			platform_ca,
			processor_ca,
			tcb_signing,
		})
	}

	/// The PCK CA `which`.
	pub(crate) fn pck_ca(&self, which: PckCa) -> &Issued {
		match which {
			PckCa::Platform => &self.platform_ca,
			PckCa::Processor => &self.processor_ca,
		}
	}

	/// The PCK certificate and key of one platform (deterministic in the platform's fields),
	/// issued by the platform's PCK CA.
	pub(crate) fn pck(&self, platform: &crate::tdx::TdxPlatform) -> Result<Issued> {
		let context = platform.identity_bytes();
		let key = p256_key(&self.seed, "intel/pck-leaf", &context)?;
		let spki = spki_of(key.verifying_key(), "PCK leaf")?;
		let ca = self.pck_ca(platform.pck_ca);
		let crl_url = match platform.pck_ca {
			PckCa::Platform => PCK_CRL_URL_PLATFORM,
			PckCa::Processor => PCK_CRL_URL_PROCESSOR,
		};
		let issuer_spki = ca.cert.tbs_certificate().subject_public_key_info().clone();
		let cert = ca.key.issue(
			CertSpec {
				issuer: ca.cert.tbs_certificate().subject().clone(),
				subject: intel_name("Intel SGX PCK Certificate")?,
				serial: serial(&derive(&self.seed, "intel/pck-leaf/serial", &context))?,
				validity: validity(CERT_NOT_BEFORE, CERT_NOT_AFTER)?,
				extensions: vec![
					aki_ext(&issuer_spki)?,
					crl_dp_ext(crl_url)?,
					ski_ext(&spki)?,
					key_usage_ext(KeyUsageKind::Signing)?,
					basic_constraints_ext(false, None)?,
					raw_ext(SGX_EXTENSION, false, sgx_extension(platform)?)?,
				],
			},
			spki,
		)?;
		Ok(Issued {
			der: cert_der(&cert)?,
			cert,
			key,
		})
	}

	/// The root CA CRL (issued by the root; lists revoked intermediate CAs).
	pub(crate) fn root_ca_crl(
		&self,
		this_update: u64,
		next_update: u64,
		revoked: &[Vec<u8>],
	) -> Result<Vec<u8>> {
		issue_crl(
			&self.root.cert,
			&self.root.key,
			1,
			this_update,
			next_update,
			revoked,
		)
	}

	/// The PCK CRL of the PCK CA `which` (lists the PCK certificates it revoked).
	pub(crate) fn pck_crl(
		&self,
		which: PckCa,
		this_update: u64,
		next_update: u64,
		revoked: &[Vec<u8>],
	) -> Result<Vec<u8>> {
		let ca = self.pck_ca(which);
		issue_crl(&ca.cert, &ca.key, 1, this_update, next_update, revoked)
	}

	/// PEM chain `[first, root]` as Intel's PCS serves issuer chains.
	pub(crate) fn chain_pem(&self, first: &Issued) -> Result<String> {
		Ok(format!(
			"{}{}",
			cert_pem(&first.der)?,
			cert_pem(&self.root.der)?
		))
	}
}

fn issue_sub(
	seed: &[u8; 32],
	root: &Issued,
	label: &str,
	cn: &str,
	usage: Vec<KeyUsageKind>,
	path_len: Option<u8>,
) -> Result<Issued> {
	let key = p256_key(seed, label, b"")?;
	let spki = spki_of(key.verifying_key(), "Intel intermediate")?;
	let root_spki = root
		.cert
		.tbs_certificate()
		.subject_public_key_info()
		.clone();
	let is_ca = path_len.is_some();
	let mut extensions = vec![
		aki_ext(&root_spki)?,
		crl_dp_ext(ROOT_CRL_URL)?,
		ski_ext(&spki)?,
	];
	for u in usage {
		extensions.push(key_usage_ext(u)?);
	}
	extensions.push(basic_constraints_ext(is_ca, path_len)?);
	let cert = root.key.issue(
		CertSpec {
			issuer: root.cert.tbs_certificate().subject().clone(),
			subject: intel_name(cn)?,
			serial: serial(&derive(seed, &format!("{label}/serial"), b""))?,
			validity: validity(CERT_NOT_BEFORE, CERT_NOT_AFTER)?,
			extensions,
		},
		spki,
	)?;
	Ok(Issued {
		der: cert_der(&cert)?,
		cert,
		key,
	})
}

// ---------------------------------------------------------------------------------------------
// The SGX extension (OID 1.2.840.113741.1.13.1) of PCK certificates.
// ---------------------------------------------------------------------------------------------

/// Intel SGX extension of PCK certificates.
pub(crate) const SGX_EXTENSION: ObjectIdentifier =
	ObjectIdentifier::new_unwrap("1.2.840.113741.1.13.1");

fn sgx_oid(suffix: &str) -> Result<ObjectIdentifier> {
	ObjectIdentifier::new(&format!("1.2.840.113741.1.13.1.{suffix}"))
		.map_err(|e| Error::Unsupported(format!("OID suffix {suffix}: {e}")))
}

/// One `SEQUENCE { OBJECT IDENTIFIER, value }` entry of the SGX extension.
#[derive(Sequence)]
struct SgxEntry {
	oid: ObjectIdentifier,
	value: Any,
}

fn entry<T: der::Encode>(suffix: &str, value: &T) -> Result<SgxEntry> {
	let der = to_der(value, "SGX extension value")?;
	Ok(SgxEntry {
		oid: sgx_oid(suffix)?,
		value: <Any as der::Decode>::from_der(&der).map_err(Error::der("SGX extension value"))?,
	})
}

fn octets(bytes: &[u8]) -> Result<OctetString> {
	OctetString::new(bytes).map_err(Error::der("SGX extension octets"))
}

fn integer(value: u16) -> Result<Uint> {
	Uint::new(&value.to_be_bytes()).map_err(Error::der("SGX extension integer"))
}

/// The DER value of the SGX extension: PPID, TCB (16 SGX component SVNs, PCESVN, CPUSVN),
/// PCE-ID, FMSPC, SGX type, and the Platform-CA fields (platform instance ID, configuration).
fn sgx_extension(p: &crate::tdx::TdxPlatform) -> Result<Vec<u8>> {
	let mut tcb = Vec::with_capacity(18);
	for (i, svn) in (1u8..).zip(p.cpu_svn.iter()) {
		tcb.push(entry(&format!("2.{i}"), &integer(u16::from(*svn))?)?);
	}
	tcb.push(entry("2.17", &integer(p.pce_svn)?)?);
	tcb.push(entry("2.18", &octets(&p.cpu_svn)?)?);

	let configuration = vec![
		entry("7.1", &p.dynamic_platform)?,
		entry("7.2", &p.cached_keys)?,
		entry("7.3", &p.smt_enabled)?,
	];
	let sgx_type = Any::new(Tag::Enumerated, vec![p.sgx_type]).map_err(Error::der("SGX type"))?;
	let entries = vec![
		entry("1", &octets(&p.ppid)?)?,
		entry("2", &tcb)?,
		entry("3", &octets(&p.pce_id)?)?,
		entry("4", &octets(&p.fmspc)?)?,
		SgxEntry {
			oid: sgx_oid("5")?,
			value: sgx_type,
		},
		entry("6", &octets(&p.platform_instance_id)?)?,
		entry("7", &configuration)?,
	];
	to_der(&entries, "SGX extension")
}

/// Sign `msg` with a P-256 key, returning the raw `r || s` (64 bytes) that DCAP structures use.
pub(crate) fn sign_raw_p256(
	key: &p256::ecdsa::SigningKey,
	what: &'static str,
	msg: &[u8],
) -> Result<[u8; 64]> {
	use signature::Signer;
	let sig: p256::ecdsa::Signature = key.try_sign(msg).map_err(Error::sign(what))?;
	let bytes = sig.to_bytes();
	let mut out = [0u8; 64];
	if bytes.len() != out.len() {
		return Err(Error::Sign {
			what,
			detail: format!("unexpected signature length {}", bytes.len()),
		});
	}
	out.copy_from_slice(&bytes);
	Ok(out)
}
