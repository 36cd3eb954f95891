//! TDX collateral as a chain keeps it: four parts, each kept on its own and replaced only by a
//! part that is not older.
//!
//! Intel publishes the parts of DCAP collateral separately and at different rates: a TCB Info
//! per platform family (FMSPC), one TDX QE Identity, a PCK CRL per PCK CA (Platform and
//! Processor) and the root CA CRL. A bundle pairs one of each, and a permissionless uploader
//! chooses the pairing; so a chain that stored bundles whole could be made to verify with an
//! older CRL or identity than one it already holds, just because it came with a newer TCB Info.
//! Kept apart, every quote is verified with the newest part of each kind the chain has seen,
//! and a bundle that would roll any part back is refused (see [`Freshness::is_older_than`]).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::cmp::Ordering;
use scale_info::TypeInfo;

use alloc::vec::Vec;

use super::{PckCa, TdxCollateralInfo, VerifiedTdxCollateral};
use crate::error::TdxError;
use crate::evidence::{
	BoundedBytes, TdxCollateral, TrustAnchors, MAX_CRL_LEN, MAX_PEM_CHAIN_LEN, MAX_QE_IDENTITY_LEN,
	MAX_TCB_INFO_LEN,
};
use crate::x509::Crl;

/// How recent one collateral part is, and until when it is good.
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
pub struct Freshness {
	/// `tcbEvaluationDataNumber` of a TCB Info or QE Identity (0 for CRLs). Intel raises it
	/// with every TCB recovery and keeps serving older numbers, freshly signed.
	pub evaluation_data_number: u32,
	/// `issueDate` of a document, `thisUpdate` of a CRL (Unix seconds).
	pub issued_at: u64,
	/// `nextUpdate` of the part itself (Unix seconds; `u64::MAX` for a CRL without one).
	pub next_update: u64,
}

impl Freshness {
	/// Whether this part is older than `stored`: a lower evaluation number (never undo a TCB
	/// recovery, however recently it was signed), or the same number issued earlier.
	pub fn is_older_than(&self, stored: &Freshness) -> bool {
		self.order(stored) == Ordering::Less
	}

	/// Whether this part is newer than `stored` (see [`Freshness::is_older_than`]).
	pub fn is_newer_than(&self, stored: &Freshness) -> bool {
		self.order(stored) == Ordering::Greater
	}

	fn order(&self, other: &Freshness) -> Ordering {
		(self.evaluation_data_number, self.issued_at)
			.cmp(&(other.evaluation_data_number, other.issued_at))
	}
}

/// A signed Intel JSON document (TCB Info or QE Identity) with its signer's chain.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct SignedJson<const N: u32> {
	/// PEM chain of the signer (TCB Signing certificate, then the root).
	pub issuer_chain: BoundedBytes<MAX_PEM_CHAIN_LEN>,
	/// The signed JSON object, verbatim.
	pub json: BoundedBytes<N>,
	/// ECDSA P-256 signature (`r || s`) over `json`.
	pub signature: [u8; 64],
}

/// The TCB Info of one platform family.
pub type TcbInfoPart = SignedJson<MAX_TCB_INFO_LEN>;
/// The TDX QE Identity.
pub type QeIdentityPart = SignedJson<MAX_QE_IDENTITY_LEN>;

/// The CRL of one PCK CA, with the CA's chain (CA, then the root).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct PckCrlPart {
	/// PEM chain of the CRL's issuer.
	pub issuer_chain: BoundedBytes<MAX_PEM_CHAIN_LEN>,
	/// DER of the CRL.
	pub crl: BoundedBytes<MAX_CRL_LEN>,
}

/// The Intel root CA's CRL (DER).
pub type RootCaCrlPart = BoundedBytes<MAX_CRL_LEN>;

/// Whether the DER CRL `newer` lists a serial number that `older` does not: a chain that
/// replaces `older` with it has learnt of a revocation, and re-checks the workers it trusts.
/// A CRL that does not parse counts as adding (stored parts always parse: they verified).
pub fn crl_adds_revocations(older: &[u8], newer: &[u8]) -> bool {
	let (Some(older), Some(newer)) = (Crl::parse(older), Crl::parse(newer)) else {
		return true;
	};
	let mut known: Vec<&[u8]> = older.revoked_serials().flatten().collect();
	known.sort_unstable();
	newer
		.revoked_serials()
		.any(|serial| serial.is_none_or(|serial| known.binary_search(&serial).is_err()))
}

impl PckCrlPart {
	/// Whether this CRL lists a serial `older` does not (see [`crl_adds_revocations`]).
	pub fn adds_revocations_to(&self, older: &PckCrlPart) -> bool {
		crl_adds_revocations(&older.crl, &self.crl)
	}
}

/// A part that verified, as part of a whole bundle, under the Intel root with hash
/// `root_sha256`.
///
/// Made only by [`VerifiedTdxCollateral::verify_parts`]. SCALE-encodable because a chain keeps
/// it in storage (which only its runtime writes, after that verification); do not decode one
/// from anywhere else.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct VerifiedPart<P> {
	part: P,
	root_sha256: [u8; 32],
	freshness: Freshness,
}

impl<P> VerifiedPart<P> {
	/// The part as uploaded (for clients that re-verify everything off chain).
	pub fn part(&self) -> &P {
		&self.part
	}

	/// How recent the part is.
	pub fn freshness(&self) -> Freshness {
		self.freshness
	}

	/// SHA-256 of the Intel root certificate the part verified under.
	pub fn root_sha256(&self) -> [u8; 32] {
		self.root_sha256
	}
}

/// A verified bundle split into the parts a chain stores separately.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TdxCollateralParts {
	/// FMSPC of the TCB Info.
	pub fmspc: [u8; 6],
	/// The PCK CA whose CRL the bundle holds.
	pub pck_ca: PckCa,
	/// The TCB Info of `fmspc`.
	pub tcb_info: VerifiedPart<TcbInfoPart>,
	/// The TDX QE Identity.
	pub qe_identity: VerifiedPart<QeIdentityPart>,
	/// The CRL of `pck_ca`.
	pub pck_crl: VerifiedPart<PckCrlPart>,
	/// The root CA CRL.
	pub root_ca_crl: VerifiedPart<RootCaCrlPart>,
	/// The bundle as a whole (validity of everything it relies on).
	pub info: TdxCollateralInfo,
}

/// The bundle made of four parts, unverified (for clients that re-verify everything off chain
/// with [`crate::verify()`]).
pub fn bundle(
	tcb_info: &TcbInfoPart,
	qe_identity: &QeIdentityPart,
	pck_crl: &PckCrlPart,
	root_ca_crl: &RootCaCrlPart,
) -> TdxCollateral {
	TdxCollateral {
		pck_crl_issuer_chain: pck_crl.issuer_chain.clone(),
		root_ca_crl: root_ca_crl.clone(),
		pck_crl: pck_crl.crl.clone(),
		tcb_info_issuer_chain: tcb_info.issuer_chain.clone(),
		tcb_info: tcb_info.json.clone(),
		tcb_info_signature: tcb_info.signature,
		qe_identity_issuer_chain: qe_identity.issuer_chain.clone(),
		qe_identity: qe_identity.json.clone(),
		qe_identity_signature: qe_identity.signature,
	}
}

impl VerifiedTdxCollateral {
	/// Verify a bundle completely (as [`super::verify_collateral`]) and split it into the
	/// parts a chain stores separately, each with its freshness.
	pub fn verify_parts(
		collateral: TdxCollateral,
		anchors: &TrustAnchors,
		now: u64,
	) -> Result<TdxCollateralParts, TdxError> {
		let (info, freshness, pck_ca) = super::verify_collateral_parts(&collateral, anchors, now)?;
		let root_sha256 = super::root_sha256(anchors)?;
		let TdxCollateral {
			pck_crl_issuer_chain,
			root_ca_crl,
			pck_crl,
			tcb_info_issuer_chain,
			tcb_info,
			tcb_info_signature,
			qe_identity_issuer_chain,
			qe_identity,
			qe_identity_signature,
		} = collateral;
		Ok(TdxCollateralParts {
			fmspc: info.fmspc,
			pck_ca,
			tcb_info: VerifiedPart {
				part: SignedJson {
					issuer_chain: tcb_info_issuer_chain,
					json: tcb_info,
					signature: tcb_info_signature,
				},
				root_sha256,
				freshness: freshness.tcb_info,
			},
			qe_identity: VerifiedPart {
				part: SignedJson {
					issuer_chain: qe_identity_issuer_chain,
					json: qe_identity,
					signature: qe_identity_signature,
				},
				root_sha256,
				freshness: freshness.qe_identity,
			},
			pck_crl: VerifiedPart {
				part: PckCrlPart {
					issuer_chain: pck_crl_issuer_chain,
					crl: pck_crl,
				},
				root_sha256,
				freshness: freshness.pck_crl,
			},
			root_ca_crl: VerifiedPart {
				part: root_ca_crl,
				root_sha256,
				freshness: freshness.root_ca_crl,
			},
			info,
		})
	}

	/// Stored parts, combined for [`crate::verify_with_stored`]. Every part must have verified
	/// under the same Intel root (which verification then compares with the current anchor).
	/// The parts need not come from one bundle: each verified on its own at upload, and every
	/// check that relates them to each other or to a quote runs again at verification.
	pub fn from_parts(
		tcb_info: &VerifiedPart<TcbInfoPart>,
		qe_identity: &VerifiedPart<QeIdentityPart>,
		pck_crl: &VerifiedPart<PckCrlPart>,
		root_ca_crl: &VerifiedPart<RootCaCrlPart>,
	) -> Result<Self, TdxError> {
		let root_sha256 = tcb_info.root_sha256;
		if [
			qe_identity.root_sha256,
			pck_crl.root_sha256,
			root_ca_crl.root_sha256,
		]
		.iter()
		.any(|r| *r != root_sha256)
		{
			return Err(TdxError::PartsUnderDifferentRoots);
		}
		Ok(Self {
			collateral: bundle(
				&tcb_info.part,
				&qe_identity.part,
				&pck_crl.part,
				&root_ca_crl.part,
			),
			root_sha256,
		})
	}
}
