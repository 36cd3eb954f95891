//! Checking a set of trust anchors before a chain adopts it.
//!
//! Verification trusts the anchors by configuration and does not re-check their own
//! signatures on every call. [`TrustAnchors::check`] is what governance input goes through
//! first: every certificate parses, each root is self-signed under its expected name, each
//! AMD product appears once, and each ASK/ASVK is the product's, issued by its ARK.

use core::fmt;

use crate::error::{CertError, CertRole};
use crate::evidence::{AmdProductAnchors, TrustAnchors};
use crate::snp::{check_signer_role, expected_common_name};
use crate::verify::SnpProduct;
use crate::x509::Certificate;

/// commonName of Intel's SGX Root CA (and of mock-tee's stand-in).
const INTEL_ROOT_CN: &[u8] = b"Intel SGX Root CA";

/// Why a set of trust anchors is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AnchorError {
	/// The Intel root certificate is unusable.
	Intel(CertError),
	/// A certificate of an AMD product is unusable.
	Amd(SnpProduct, CertRole, CertError),
	/// The product appears more than once.
	DuplicateProduct(SnpProduct),
}

impl fmt::Display for AnchorError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			AnchorError::Intel(e) => write!(f, "Intel root {e}"),
			AnchorError::Amd(p, role, e) => write!(f, "{} {role} {e}", p.name()),
			AnchorError::DuplicateProduct(p) => write!(f, "{} appears more than once", p.name()),
		}
	}
}

impl core::error::Error for AnchorError {}

/// A self-issued, self-signed CA certificate named `cn`.
fn check_root(cert: &Certificate<'_>, cn: &[u8]) -> Result<(), CertError> {
	if cert.issuer != cert.subject || !cert.is_named(cn) {
		return Err(CertError::WrongRole);
	}
	if !cert.is_ca()? {
		return Err(CertError::NotCa);
	}
	cert.verify_issued_by(cert)
}

fn check_product(a: &AmdProductAnchors) -> Result<(), AnchorError> {
	let p = a.product;
	let err = |role| move |e| AnchorError::Amd(p, role, e);
	let ark = Certificate::parse(&a.ark).map_err(err(CertRole::Root))?;
	let ark_cn = expected_common_name(p, CertRole::Root).ok_or(AnchorError::Amd(
		p,
		CertRole::Root,
		CertError::WrongRole,
	))?;
	check_root(&ark, ark_cn.as_bytes()).map_err(err(CertRole::Root))?;
	for (role, der) in [(CertRole::Ask, &a.ask), (CertRole::Asvk, &a.asvk)] {
		let Some(der) = der else { continue };
		let cert = Certificate::parse(der).map_err(err(role))?;
		check_signer_role(p, role, &cert).map_err(err(role))?;
		cert.verify_issued_by(&ark).map_err(err(role))?;
	}
	Ok(())
}

impl TrustAnchors {
	/// Checks the anchors as a whole (see the module docs); validity periods are not checked
	/// here (verification checks them at its own time).
	pub fn check(&self) -> Result<(), AnchorError> {
		if let Some(der) = &self.intel_root_ca {
			let root = Certificate::parse(der).map_err(AnchorError::Intel)?;
			check_root(&root, INTEL_ROOT_CN).map_err(AnchorError::Intel)?;
		}
		for (i, a) in self.amd.iter().enumerate() {
			if self.amd.iter().take(i).any(|b| b.product == a.product) {
				return Err(AnchorError::DuplicateProduct(a.product));
			}
			check_product(a)?;
		}
		Ok(())
	}
}
