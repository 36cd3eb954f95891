//! AMD CRLs as a chain keeps them: verified once when uploaded, merged per product.
//!
//! AMD's KDS publishes CRLs per product, signed by the product's ARK (RSASSA-PSS, RSA-4096),
//! that revoke ASKs, ASVKs and VEKs: a VCEK CRL and a VLEK CRL. Checking that signature costs
//! as much as the rest of an SNP verification, and the CRLs change weekly to monthly, so a
//! chain verifies each once, at upload, and keeps only what revocation checks need: the
//! listed serial numbers (of every CRL of the product, see [`VerifiedAmdCrl::merged_into`]),
//! the validity window of the newest and the ARK they verified under.
//! [`crate::verify_with_stored`] then gives the verdict of full verification with a CRL
//! listing those serials.

use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};

use crate::error::SnpError;
use crate::evidence::{BoundedBytes, TrustAnchors};
use crate::verify::SnpProduct;
use crate::x509::{Certificate, Crl};

/// Most serial numbers kept from one AMD CRL (AMD's CRLs list a handful of intermediates).
pub const MAX_AMD_REVOKED: u32 = 1024;
/// Longest serial number kept (RFC 5280 allows 20 octets; the magnitude is at most that).
pub const MAX_SERIAL_LEN: u32 = 20;

/// What adding a freshly verified CRL to the one a chain holds for its product gives.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CrlMerge {
	/// Nothing new: the window is not newer and every serial is already listed.
	Unchanged,
	/// The union of both lists, with the window of the newer CRL.
	Updated(VerifiedAmdCrl),
}

/// An AMD CRL whose signature verified under a product's ARK.
///
/// Made only by [`VerifiedAmdCrl::verify`]. SCALE-encodable because a chain keeps it in
/// storage (which only its runtime writes, after that verification); do not decode one from
/// anywhere else.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct VerifiedAmdCrl {
	product: SnpProduct,
	ark_sha256: [u8; 32],
	this_update: u64,
	next_update: u64,
	revoked: BoundedVec<BoundedBytes<MAX_SERIAL_LEN>, ConstU32<MAX_AMD_REVOKED>>,
}

impl VerifiedAmdCrl {
	/// Verify a DER CRL at `now`: signed by the ARK of one of the trusted products, current.
	pub fn verify(der: &[u8], anchors: &TrustAnchors, now: u64) -> Result<Self, SnpError> {
		let crl = Crl::parse(der).ok_or(SnpError::CrlMalformed)?;
		let (product, ark_der) = anchors
			.amd
			.iter()
			.find(|a| {
				// The ARK named as issuer (one RSA check per CRL, not one per product).
				Certificate::parse(&a.ark).is_ok_and(|ark| {
					ark.subject == crl.issuer && crl.verify_issued_by(&ark).is_ok()
				})
			})
			.map(|a| (a.product, &a.ark))
			.ok_or(SnpError::CrlSignatureInvalid)?;
		if !crl.is_current(now) {
			return Err(SnpError::CrlOutOfDate);
		}
		let mut revoked = BoundedVec::new();
		for serial in crl.revoked_serials() {
			let serial = serial.ok_or(SnpError::CrlMalformed)?;
			let serial = BoundedBytes::<MAX_SERIAL_LEN>::try_from(serial.to_vec())
				.map_err(|_| SnpError::CrlMalformed)?;
			revoked
				.try_push(serial)
				.map_err(|_| SnpError::CrlMalformed)?;
		}
		Ok(Self {
			product,
			ark_sha256: Sha256::digest(ark_der.as_slice()).into(),
			this_update: crl.this_update,
			next_update: crl.next_update.unwrap_or(u64::MAX),
			revoked,
		})
	}

	/// The product whose ARK signed the CRL.
	pub fn product(&self) -> SnpProduct {
		self.product
	}

	/// `thisUpdate` of the newest CRL merged in (Unix seconds).
	pub fn this_update(&self) -> u64 {
		self.this_update
	}

	/// `nextUpdate` of the newest CRL merged in (Unix seconds; `u64::MAX` if it has none).
	pub fn next_update(&self) -> u64 {
		self.next_update
	}

	/// SHA-256 of the ARK certificate it verified under (a CRL under another ARK, after the
	/// trust anchors changed, never applies).
	pub fn ark_sha256(&self) -> [u8; 32] {
		self.ark_sha256
	}

	/// How many serial numbers it lists.
	pub fn revoked_count(&self) -> usize {
		self.revoked.len()
	}

	/// The check full verification makes with this CRL: it applies to `ark_der` (the CRL was
	/// verified under it, else the signature check fails), it is current, and `serial`
	/// (INTEGER contents) is listed or not.
	pub(crate) fn applies(&self, ark_der: &[u8], now: u64) -> Result<(), SnpError> {
		if <[u8; 32]>::from(Sha256::digest(ark_der)) != self.ark_sha256 {
			return Err(SnpError::CrlSignatureInvalid);
		}
		if now < self.this_update || now > self.next_update {
			return Err(SnpError::CrlOutOfDate);
		}
		Ok(())
	}

	/// Adds this CRL (just verified) to `stored`, the one a chain holds for the same product
	/// under the same ARK. AMD publishes two CRLs per product under one ARK (the VCEK CRL,
	/// which revokes ASKs, and the VLEK CRL, which revokes ASVKs) and neither says which it
	/// is, so a chain keeps their union: no upload, older or newer, of either kind can remove a
	/// revocation (a certificate is never un-revoked). The window is the newer CRL's.
	///
	/// Errors: another product or ARK ([`SnpError::CrlSignatureInvalid`]: it does not speak
	/// for the stored CRL's issuer), or more than [`MAX_AMD_REVOKED`] serials in the union
	/// ([`SnpError::TooManyRevocations`]).
	pub fn merged_into(self, stored: &VerifiedAmdCrl) -> Result<CrlMerge, SnpError> {
		if self.product != stored.product || self.ark_sha256 != stored.ark_sha256 {
			return Err(SnpError::CrlSignatureInvalid);
		}
		let newer = self.this_update > stored.this_update;
		let mut known: alloc::vec::Vec<&[u8]> =
			stored.revoked.iter().map(|s| s.as_slice()).collect();
		known.sort_unstable();
		let mut added = alloc::vec::Vec::new();
		for serial in self.revoked {
			if known.binary_search(&serial.as_slice()).is_err() {
				added.push(serial);
			}
		}
		added.sort_unstable();
		added.dedup();
		if !newer && added.is_empty() {
			return Ok(CrlMerge::Unchanged);
		}
		let mut merged = stored.clone();
		if newer {
			merged.this_update = self.this_update;
			merged.next_update = self.next_update;
		}
		for serial in added {
			merged
				.revoked
				.try_push(serial)
				.map_err(|_| SnpError::TooManyRevocations)?;
		}
		Ok(CrlMerge::Updated(merged))
	}

	/// Whether the certificate with serial number contents `serial` is listed.
	pub(crate) fn is_revoked(&self, serial: &[u8]) -> bool {
		let wanted = crate::asn1::integer_magnitude(serial);
		self.revoked.iter().any(|s| s.as_slice() == wanted)
	}
}
