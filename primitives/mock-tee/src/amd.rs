//! The AMD-style PKI per product: ARK (root), ASK (signs VCEKs), ASVK (signs VLEKs), all
//! RSA-4096 signing with RSASSA-PSS/SHA-384 exactly as AMD's KDS certificates do, and the
//! P-384 VCEK/VLEK leaf certificates with AMD's extensions.

use const_oid::ObjectIdentifier;
use der::asn1::Ia5String;
use x509_cert::certificate::Certificate;

use crate::{
	error::{Error, Result},
	intel::{CERT_NOT_AFTER, CERT_NOT_BEFORE},
	keys::{derive, rsa_key, spki_of, to_der, PssCa},
	x509::{
		aki_ext, basic_constraints_ext, cert_der, crl_dp_ext, issue_crl, key_usage_ext, name,
		raw_ext, serial, ski_ext, validity, CaKey, CertSpec, KeyUsageKind,
	},
};

/// RSA modulus size of the mock ARK, ASK and ASVK: 4096 bits, as AMD's.
pub const AMD_RSA_BITS: usize = 4096;

/// Organization in every mock AMD certificate (AMD's say "Advanced Micro Devices").
pub(crate) const DEV_ORG: &str = "mock-tee INSECURE dev roots (not AMD)";

/// An AMD EPYC product line with SEV-SNP. Each has its own ARK, ASK and ASVK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AmdProduct {
	/// 3rd generation EPYC (Zen 3).
	Milan,
	/// 4th generation EPYC (Zen 4).
	Genoa,
	/// 5th generation EPYC (Zen 5): TCB_VERSION has an FMC field, VCEK hwID is 8 bytes.
	Turin,
}

impl AmdProduct {
	/// All products, in order.
	pub const ALL: [AmdProduct; 3] = [AmdProduct::Milan, AmdProduct::Genoa, AmdProduct::Turin];

	/// The product name as in certificate subjects ("ARK-Milan") and KDS URLs.
	pub fn name(self) -> &'static str {
		match self {
			AmdProduct::Milan => "Milan",
			AmdProduct::Genoa => "Genoa",
			AmdProduct::Turin => "Turin",
		}
	}

	pub(crate) fn index(self) -> usize {
		match self {
			AmdProduct::Milan => 0,
			AmdProduct::Genoa => 1,
			AmdProduct::Turin => 2,
		}
	}

	/// CPUID family, model and stepping that v3+ reports carry (Milan 19h/01h, Genoa
	/// 19h/11h, Turin 1Ah/02h).
	pub fn cpuid(self) -> (u8, u8, u8) {
		match self {
			AmdProduct::Milan => (0x19, 0x01, 0x01),
			AmdProduct::Genoa => (0x19, 0x11, 0x01),
			AmdProduct::Turin => (0x1A, 0x02, 0x01),
		}
	}

	/// The productName extension of VCEKs ("Milan-B0" as AMD's Milan VCEKs; the bare name
	/// for the others, as AMD's Genoa VCEKs and VLEKs).
	fn vcek_product_name(self) -> &'static str {
		match self {
			AmdProduct::Milan => "Milan-B0",
			AmdProduct::Genoa => "Genoa",
			AmdProduct::Turin => "Turin",
		}
	}

	/// Length of the VCEK hwID extension: the full 64-byte CHIP_ID, or its first 8 bytes on
	/// Turin.
	pub fn hwid_len(self) -> usize {
		match self {
			AmdProduct::Turin => 8,
			AmdProduct::Milan | AmdProduct::Genoa => 64,
		}
	}
}

/// A CA certificate with its RSA signer.
pub(crate) struct RsaIssued {
	pub ca: PssCa,
	pub cert: Certificate,
	pub der: Vec<u8>,
}

/// ARK, ASK and ASVK of one product.
pub(crate) struct AmdPki {
	pub product: AmdProduct,
	pub ark: RsaIssued,
	pub ask: RsaIssued,
	pub asvk: RsaIssued,
}

fn amd_name(cn: &str) -> Result<x509_cert::name::Name> {
	name(&[
		("OU", "Engineering"),
		("C", "US"),
		("L", "Santa Clara"),
		("ST", "CA"),
		("O", DEV_ORG),
		("CN", cn),
	])
}

fn crl_url(product: AmdProduct, kind: &str) -> String {
	format!("https://mock-tee.invalid/{kind}/v1/{}/crl", product.name())
}

impl AmdPki {
	/// Generate (or take from the key cache) the three RSA keys and issue the three CAs.
	pub(crate) fn new(seed: &[u8; 32], product: AmdProduct) -> Result<Self> {
		let p = product.name();
		let ark_key = rsa_key(seed, &format!("amd/{p}/ark"), AMD_RSA_BITS)?;
		let ark_ca = PssCa::new(
			&ark_key,
			derive(seed, "amd/pss-salt", format!("{p}/ark").as_bytes()),
		);
		let ark_spki = ark_ca.spki()?;
		let ark_name = amd_name(&format!("ARK-{p}"))?;
		let ark_cert = ark_ca.issue(
			CertSpec {
				issuer: ark_name.clone(),
				subject: ark_name,
				serial: serial(&derive(seed, "amd/serial", format!("{p}/ark").as_bytes()))?,
				validity: validity(CERT_NOT_BEFORE, CERT_NOT_AFTER)?,
				extensions: vec![
					key_usage_ext(KeyUsageKind::CaWithCrl)?,
					ski_ext(&ark_spki)?,
					basic_constraints_ext(true, None)?,
					crl_dp_ext(&crl_url(product, "vcek"))?,
				],
			},
			ark_spki,
		)?;
		let ark = RsaIssued {
			der: cert_der(&ark_cert)?,
			cert: ark_cert,
			ca: ark_ca,
		};
		let ask = issue_signing_ca(seed, product, &ark, "ask", &format!("SEV-{p}"), "vcek")?;
		let asvk = issue_signing_ca(
			seed,
			product,
			&ark,
			"asvk",
			&format!("SEV-VLEK-{p}"),
			"vlek",
		)?;
		Ok(Self {
			product,
			ark,
			ask,
			asvk,
		})
	}

	/// Issue a VCEK (by the ASK) or VLEK (by the ASVK) for `key` carrying `tcb` in AMD's
	/// extensions; the VCEK also carries `hwid`.
	pub(crate) fn issue_vek(&self, seed: &[u8; 32], vek: &VekSpec<'_>) -> Result<Vec<u8>> {
		let issuer = match vek.kind {
			crate::snp::SnpSigningKey::Vcek => &self.ask,
			crate::snp::SnpSigningKey::Vlek => &self.asvk,
		};
		let spki = spki_of(vek.key.verifying_key(), "VCEK/VLEK")?;
		let subject = match (vek.common_name, vek.kind) {
			(Some(cn), _) => cn,
			(None, crate::snp::SnpSigningKey::Vcek) => "SEV-VCEK",
			(None, crate::snp::SnpSigningKey::Vlek) => "SEV-VLEK",
		};
		let cert = issuer.ca.issue(
			CertSpec {
				issuer: issuer.cert.tbs_certificate().subject().clone(),
				subject: amd_name(subject)?,
				serial: serial(&derive(seed, "amd/vek-serial", &vek.serial_context))?,
				validity: validity(vek.not_before, vek.not_after)?,
				extensions: self.vek_extensions(vek)?,
			},
			spki,
		)?;
		cert_der(&cert)
	}

	fn vek_extensions(&self, vek: &VekSpec<'_>) -> Result<Vec<x509_cert::ext::Extension>> {
		let product = self.product;
		let product_name = match vek.kind {
			crate::snp::SnpSigningKey::Vcek => product.vcek_product_name(),
			crate::snp::SnpSigningKey::Vlek => product.name(),
		};
		let mut exts = vec![
			amd_ext("1", to_der(&0u8, "structVersion")?)?,
			amd_ext("2", to_der(&ia5(product_name)?, "productName")?)?,
			amd_ext("3.1", to_der(&vek.tcb.bootloader, "blSPL")?)?,
			amd_ext("3.2", to_der(&vek.tcb.tee, "teeSPL")?)?,
			amd_ext("3.4", to_der(&0u8, "spl_4")?)?,
			amd_ext("3.5", to_der(&0u8, "spl_5")?)?,
			amd_ext("3.6", to_der(&0u8, "spl_6")?)?,
			amd_ext("3.7", to_der(&0u8, "spl_7")?)?,
			amd_ext("3.3", to_der(&vek.tcb.snp, "snpSPL")?)?,
			amd_ext("3.8", to_der(&vek.tcb.microcode, "ucodeSPL")?)?,
		];
		if product == AmdProduct::Turin {
			exts.push(amd_ext("3.9", to_der(&vek.tcb.fmc, "fmcSPL")?)?);
		}
		match vek.kind {
			// hwID is the raw chip ID, not wrapped in another DER value.
			crate::snp::SnpSigningKey::Vcek => exts.push(amd_ext("4", vek.hwid.to_vec())?),
			crate::snp::SnpSigningKey::Vlek => {
				exts.push(amd_ext("5", to_der(&ia5(vek.csp_id)?, "cspId")?)?);
			}
		}
		Ok(exts)
	}

	/// A CRL issued by the ARK (RSA-PSS) listing revoked ASK/ASVK serial numbers, as AMD's
	/// KDS `/crl` endpoint serves.
	pub(crate) fn crl(
		&self,
		this_update: u64,
		next_update: u64,
		revoked: &[Vec<u8>],
	) -> Result<Vec<u8>> {
		issue_crl(
			&self.ark.cert,
			&self.ark.ca,
			1,
			this_update,
			next_update,
			revoked,
		)
	}
}

/// What a VCEK or VLEK certificate certifies.
pub(crate) struct VekSpec<'a> {
	pub kind: crate::snp::SnpSigningKey,
	pub key: &'a p384::ecdsa::SigningKey,
	pub tcb: crate::snp::SnpTcb,
	pub hwid: &'a [u8],
	pub csp_id: &'a str,
	pub common_name: Option<&'a str>,
	pub not_before: u64,
	pub not_after: u64,
	pub serial_context: Vec<u8>,
}

fn ia5(s: &str) -> Result<Ia5String> {
	Ia5String::new(s).map_err(Error::der("IA5String"))
}

fn amd_ext(suffix: &str, value: Vec<u8>) -> Result<x509_cert::ext::Extension> {
	let oid = ObjectIdentifier::new(&format!("1.3.6.1.4.1.3704.1.{suffix}"))
		.map_err(|e| Error::Unsupported(format!("AMD OID suffix {suffix}: {e}")))?;
	raw_ext(oid, false, value)
}

fn issue_signing_ca(
	seed: &[u8; 32],
	product: AmdProduct,
	ark: &RsaIssued,
	role: &str,
	cn: &str,
	crl_kind: &str,
) -> Result<RsaIssued> {
	let p = product.name();
	let key = rsa_key(seed, &format!("amd/{p}/{role}"), AMD_RSA_BITS)?;
	let ca = PssCa::new(
		&key,
		derive(seed, "amd/pss-salt", format!("{p}/{role}").as_bytes()),
	);
	let spki = ca.spki()?;
	let ark_spki = ark.cert.tbs_certificate().subject_public_key_info().clone();
	let cert = ark.ca.issue(
		CertSpec {
			issuer: ark.cert.tbs_certificate().subject().clone(),
			subject: amd_name(cn)?,
			serial: serial(&derive(
				seed,
				"amd/serial",
				format!("{p}/{role}").as_bytes(),
			))?,
			validity: validity(CERT_NOT_BEFORE, CERT_NOT_AFTER)?,
			extensions: vec![
				ski_ext(&spki)?,
				aki_ext(&ark_spki)?,
				basic_constraints_ext(true, Some(0))?,
				key_usage_ext(KeyUsageKind::CaCertOnly)?,
				crl_dp_ext(&crl_url(product, crl_kind))?,
			],
		},
		spki,
	)?;
	Ok(RsaIssued {
		der: cert_der(&cert)?,
		cert,
		ca,
	})
}
