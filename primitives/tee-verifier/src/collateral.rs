//! Collateral as chain state: which stored collateral a piece of evidence needs, and the
//! verification of an uploaded piece before it is stored.
//!
//! A chain keeps Intel DCAP collateral as parts (see [`crate::tdx::parts`]) and, per AMD
//! product, the revocations of every CRL uploaded (see [`crate::snp::VerifiedAmdCrl`]).
//! Uploads are permissionless, so each is verified against the trust anchors first, exactly as
//! during evidence verification; the returned [`CollateralInfo`] lets the chain keep only
//! newer collateral (no rollback) and know when it must be replaced.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{
	error::SnpError,
	evidence::{Collateral, Evidence, SnpCollateral, TrustAnchors},
	snp::VerifiedAmdCrl,
	tdx::{TdxCollateralInfo, VerifiedTdxCollateral},
	VerifyError,
};

/// Which stored collateral evidence needs (the storage key of a chain's collateral).
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
pub enum CollateralId {
	/// Intel DCAP collateral of one platform family.
	#[codec(index = 0)]
	Tdx {
		/// FMSPC of the platform family.
		fmspc: [u8; 6],
	},
	/// The AMD CRLs (one set for all products).
	#[codec(index = 1)]
	Snp,
}

/// What verified collateral is for and how long it is good.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CollateralInfo {
	/// Which collateral it is.
	pub id: CollateralId,
	/// Intel's TCB evaluation data number (TDX; 0 for AMD CRLs). A chain must never go back
	/// to a lower one: that would undo a TCB recovery.
	pub tcb_evaluation_data_number: u32,
	/// When it was issued (TDX: the TCB Info; AMD: the newest CRL), Unix seconds.
	pub issued_at: u64,
	/// The earliest time any part must be replaced, Unix seconds.
	pub next_update: u64,
}

/// The collateral `evidence` needs, read from the evidence without verifying it (for lookup).
pub fn collateral_id(evidence: &Evidence) -> Result<CollateralId, VerifyError> {
	match evidence {
		Evidence::Tdx { quote } | Evidence::TdxWithEventLog { quote, .. } => {
			let selector = crate::tdx::collateral_selector(quote)?;
			Ok(CollateralId::Tdx {
				fmspc: selector.fmspc,
			})
		}
		Evidence::Snp { .. } => Ok(CollateralId::Snp),
	}
}

impl From<TdxCollateralInfo> for CollateralInfo {
	fn from(info: TdxCollateralInfo) -> Self {
		CollateralInfo {
			id: CollateralId::Tdx { fmspc: info.fmspc },
			tcb_evaluation_data_number: info.tcb_evaluation_data_number,
			issued_at: info.issued_at,
			next_update: info.next_update,
		}
	}
}

/// Verify collateral on its own against `anchors` at `now`, as before storing an upload.
pub fn verify_collateral(
	collateral: &Collateral,
	anchors: &TrustAnchors,
	now: u64,
) -> Result<CollateralInfo, VerifyError> {
	match collateral {
		Collateral::Tdx(c) => Ok(crate::tdx::verify_collateral(c, anchors, now)?.into()),
		Collateral::Snp(c) => Ok(amd_crls_info(&verify_amd_crls(c, anchors, now)?)),
	}
}

/// Collateral in the form a chain stores it, made by [`verify_for_storage`] and lent to
/// [`crate::verify_with_stored`] as a [`crate::StoredCollateral`].
// Short-lived (made, then moved into storage or lent to the verifier): boxing the large
// variant would only add an allocation to every verification.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum StorableCollateral {
	/// Intel DCAP collateral, verified and bound to the Intel root.
	Tdx(VerifiedTdxCollateral),
	/// AMD CRLs, each verified under its product's ARK (a product's VCEK and VLEK CRLs may
	/// both be there).
	Snp(alloc::vec::Vec<VerifiedAmdCrl>),
}

/// [`verify_collateral`], keeping the collateral in the form a chain stores it.
pub fn verify_for_storage(
	collateral: Collateral,
	anchors: &TrustAnchors,
	now: u64,
) -> Result<(StorableCollateral, CollateralInfo), VerifyError> {
	match collateral {
		Collateral::Tdx(c) => {
			let (verified, info) = VerifiedTdxCollateral::verify(c, anchors, now)?;
			Ok((StorableCollateral::Tdx(verified), info.into()))
		}
		Collateral::Snp(c) => {
			let crls = verify_amd_crls(&c, anchors, now)?;
			let info = amd_crls_info(&crls);
			Ok((StorableCollateral::Snp(crls), info))
		}
	}
}

/// Newest `thisUpdate` and earliest `nextUpdate` of verified CRLs (a non-empty list).
fn amd_crls_info(crls: &[VerifiedAmdCrl]) -> CollateralInfo {
	CollateralInfo {
		id: CollateralId::Snp,
		tcb_evaluation_data_number: 0,
		issued_at: crls.iter().map(|c| c.this_update()).max().unwrap_or(0),
		next_update: crls
			.iter()
			.map(|c| c.next_update())
			.min()
			.unwrap_or(u64::MAX),
	}
}

/// Every CRL must be signed by a trusted ARK and current, each at most once; an empty set is
/// refused (there is nothing to store).
fn verify_amd_crls(
	collateral: &SnpCollateral,
	anchors: &TrustAnchors,
	now: u64,
) -> Result<alloc::vec::Vec<VerifiedAmdCrl>, SnpError> {
	let mut crls: alloc::vec::Vec<VerifiedAmdCrl> = alloc::vec::Vec::new();
	for der in collateral.crls.iter() {
		let crl = VerifiedAmdCrl::verify(der, anchors, now)?;
		// A product's VCEK and VLEK CRLs may come together; the same CRL twice may not.
		if crls.contains(&crl) {
			return Err(SnpError::DuplicateCrl);
		}
		crls.push(crl);
	}
	if crls.is_empty() {
		return Err(SnpError::CrlMalformed);
	}
	Ok(crls)
}
