//! Policy: which verified claims are acceptable. Never touches signatures.
//!
//! A [`Policy`] is chain state (set by governance, SCALE-encoded, versioned). [`Policy::check`]
//! looks only at [`VerifiedClaims`] and reports *every* rule the claims break, so an operator
//! sees all problems at once.

use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;

use crate::evidence::{AdvisoryId, MAX_ADVISORIES};
use crate::verify::{SnpClaims, SnpTcb, TcbStatus, TdxClaims, VerifiedClaims};

/// Minimum SNP TCB component SVNs (compared with REPORTED_TCB).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct SnpMinimumTcb {
	/// Minimum bootloader SPL.
	pub bootloader: u8,
	/// Minimum TEE SPL.
	pub tee: u8,
	/// Minimum SNP firmware SPL.
	pub snp: u8,
	/// Minimum microcode SPL.
	pub microcode: u8,
	/// Minimum FMC SPL (Turin only; ignored for other products).
	pub fmc: u8,
}

impl SnpMinimumTcb {
	/// Whether every component of `t` reaches the minimum (FMC only where `t` has one).
	pub fn admits(&self, t: &SnpTcb) -> bool {
		t.bootloader >= self.bootloader
			&& t.tee >= self.tee
			&& t.snp >= self.snp
			&& t.microcode >= self.microcode
			&& t.fmc.is_none_or(|fmc| fmc >= self.fmc)
	}
}

/// Acceptance rules for verified evidence.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Policy {
	/// Encoding version of this policy; [`Policy::VERSION`] for this layout. A policy with
	/// another version is refused by [`Policy::check`] rather than misread.
	pub version: u16,
	/// TDX TCB statuses to accept. `Revoked` is never accepted, even if listed.
	pub accepted_tcb_statuses: BoundedVec<TcbStatus, ConstU32<9>>,
	/// TDX advisory IDs that may appear in an accepted TCB level. Any other advisory rejects.
	pub allowed_advisory_ids: BoundedVec<AdvisoryId, ConstU32<MAX_ADVISORIES>>,
	/// Accept TEEs launched in debug mode (TD attribute DEBUG; SNP policy DEBUG). Only for
	/// development: a debug TEE's memory is open to the host.
	pub allow_debug: bool,
	/// Accept a migratable TD or an SNP guest whose policy allows a migration agent.
	pub allow_migration: bool,
	/// The VMPL SNP reports must come from (0 = the most privileged level, i.e. the guest
	/// kernel rather than an SVSM-hosted component).
	pub snp_required_vmpl: u32,
	/// Minimum TDX TEE_TCB_SVN, component by component.
	pub tdx_minimum_tee_tcb_svn: [u8; 16],
	/// Minimum SNP REPORTED_TCB components.
	pub snp_minimum_tcb: SnpMinimumTcb,
	/// Minimum SNP guest SVN.
	pub snp_minimum_guest_svn: u32,
	/// Maximum age of the oldest collateral item at verification time, in seconds (TDX only:
	/// SNP has no dated collateral besides CRLs). `None` disables the check.
	pub maximum_collateral_age_secs: Option<u64>,
	/// How long an accepted attestation stays valid, in seconds (see
	/// [`Policy::attestation_expiry`]).
	pub attestation_validity_secs: u64,
	/// Accept a TDX 1.5 TD bound to service TDs (non-zero MRSERVICETD). A bound service TD
	/// (e.g. a migration TD or a vTPM TD) can read or change the TD's state; like dcap-qvl,
	/// the default refuses it.
	pub allow_service_tds: bool,
	/// Require SNP evidence to be checked against a current AMD CRL of its product (the VEK
	/// and ASK/ASVK not revoked). Off in the library default (so evidence verifies without
	/// network access); on in the chain's default policy.
	pub require_amd_crl: bool,
	/// Accept an SNP guest whose policy allows SMT (guest policy bit 16). Sibling hyperthreads
	/// share caches with the host and other guests; on by default because every cloud host
	/// runs with SMT enabled, where a guest that forbids it cannot launch.
	pub snp_allow_smt: bool,
	/// Minimum SNP LAUNCH_TCB components: the TCB the guest was launched under (a guest
	/// launched before a firmware update keeps secrets derived under the old TCB).
	pub snp_minimum_launch_tcb: SnpMinimumTcb,
}

impl Default for Policy {
	/// The strict default: only `UpToDate`, no advisories, no debug, no migration, SNP VMPL 0,
	/// no SVN minimums, no collateral age limit beyond its own expiry, validity one day, no
	/// service TDs, SMT allowed, no AMD CRL required (see [`Policy::require_amd_crl`]).
	fn default() -> Self {
		let mut accepted = BoundedVec::new();
		// A bound of 9 always has room for one element.
		let _ = accepted.try_push(TcbStatus::UpToDate);
		Policy {
			version: Self::VERSION,
			accepted_tcb_statuses: accepted,
			allowed_advisory_ids: BoundedVec::new(),
			allow_debug: false,
			allow_migration: false,
			snp_required_vmpl: 0,
			tdx_minimum_tee_tcb_svn: [0; 16],
			snp_minimum_tcb: SnpMinimumTcb::default(),
			snp_minimum_guest_svn: 0,
			maximum_collateral_age_secs: None,
			attestation_validity_secs: 24 * 60 * 60,
			allow_service_tds: false,
			require_amd_crl: false,
			snp_allow_smt: true,
			snp_minimum_launch_tcb: SnpMinimumTcb::default(),
		}
	}
}

/// One broken rule.
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
pub enum Violation {
	/// The policy's `version` is not one this code understands.
	UnsupportedPolicyVersion(u16),
	/// The TCB status is `Revoked` (never acceptable).
	TcbRevoked,
	/// The TCB status is not in `accepted_tcb_statuses`.
	TcbStatusNotAccepted(TcbStatus),
	/// An advisory ID of the matched TCB level is not in `allowed_advisory_ids`.
	AdvisoryNotAllowed,
	/// The TEE runs in debug mode and `allow_debug` is false.
	Debug,
	/// The TD is migratable or the SNP policy allows a migration agent, and `allow_migration`
	/// is false.
	Migration,
	/// The SNP report's VMPL differs from `snp_required_vmpl`.
	WrongVmpl(u32),
	/// A TDX TEE_TCB_SVN component is below `tdx_minimum_tee_tcb_svn`.
	TeeTcbSvnTooLow,
	/// An SNP REPORTED_TCB component is below `snp_minimum_tcb`.
	SnpTcbTooLow,
	/// The SNP guest SVN is below `snp_minimum_guest_svn`.
	GuestSvnTooLow,
	/// The oldest collateral was older than `maximum_collateral_age_secs` at verification.
	CollateralTooOld,
	/// The TD sets reserved TD attribute bits or does not set SEPT_VE_DISABLE. Always checked:
	/// no deployment should accept such a TD.
	UnsafeTdAttributes,
	/// The TD is bound to service TDs (non-zero MRSERVICETD) and `allow_service_tds` is false.
	ServiceTdBound,
	/// No current AMD CRL of the evidence's product was checked and `require_amd_crl` is set.
	NoAmdCrl,
	/// The SNP guest policy allows SMT and `snp_allow_smt` is false.
	Smt,
	/// An SNP LAUNCH_TCB component is below `snp_minimum_launch_tcb`.
	SnpLaunchTcbTooLow,
}

/// Every rule the claims break (never empty).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PolicyViolation {
	/// The broken rules, in the order they were checked; each appears at most once.
	pub violations: Vec<Violation>,
}

impl PolicyViolation {
	/// Whether `v` is among the violations.
	pub fn contains(&self, v: &Violation) -> bool {
		self.violations.contains(v)
	}
}

impl fmt::Display for Violation {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Violation::UnsupportedPolicyVersion(v) => write!(f, "unsupported policy version {v}"),
			Violation::TcbRevoked => f.write_str("TCB status is Revoked"),
			Violation::TcbStatusNotAccepted(s) => {
				write!(f, "TCB status {} is not accepted", s.as_intel_str())
			}
			Violation::AdvisoryNotAllowed => f.write_str("an advisory ID is not allowed"),
			Violation::Debug => f.write_str("TEE is in debug mode"),
			Violation::Migration => f.write_str("migration is allowed"),
			Violation::WrongVmpl(v) => write!(f, "VMPL {v} is not the required one"),
			Violation::TeeTcbSvnTooLow => f.write_str("TEE_TCB_SVN is below the minimum"),
			Violation::SnpTcbTooLow => f.write_str("REPORTED_TCB is below the minimum"),
			Violation::GuestSvnTooLow => f.write_str("guest SVN is below the minimum"),
			Violation::CollateralTooOld => f.write_str("collateral is too old"),
			Violation::UnsafeTdAttributes => {
				f.write_str("TD attributes: reserved bits set or SEPT_VE_DISABLE clear")
			}
			Violation::ServiceTdBound => f.write_str("the TD is bound to service TDs"),
			Violation::NoAmdCrl => f.write_str("no current AMD CRL of the product was checked"),
			Violation::Smt => f.write_str("the guest policy allows SMT"),
			Violation::SnpLaunchTcbTooLow => f.write_str("LAUNCH_TCB is below the minimum"),
		}
	}
}

impl fmt::Display for PolicyViolation {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("policy violated: ")?;
		for (i, v) in self.violations.iter().enumerate() {
			if i > 0 {
				f.write_str("; ")?;
			}
			write!(f, "{v}")?;
		}
		Ok(())
	}
}

impl core::error::Error for PolicyViolation {}

impl Policy {
	/// The encoding version of [`Policy`] that this code implements.
	pub const VERSION: u16 = 2;

	/// Check verified claims against the policy; `Err` lists every broken rule.
	pub fn check(&self, claims: &VerifiedClaims) -> Result<(), PolicyViolation> {
		let mut v = Vec::new();
		if self.version != Self::VERSION {
			v.push(Violation::UnsupportedPolicyVersion(self.version));
		} else {
			if claims.debug() && !self.allow_debug {
				v.push(Violation::Debug);
			}
			match claims {
				VerifiedClaims::Tdx(c) => self.check_tdx(c, &mut v),
				VerifiedClaims::Snp(c) => self.check_snp(c, &mut v),
			}
		}
		if v.is_empty() {
			Ok(())
		} else {
			Err(PolicyViolation { violations: v })
		}
	}

	/// When an attestation verified as `claims` stops being valid: `verified_at + validity`,
	/// but never later than the expiry of the collateral or certificates it relied on.
	pub fn attestation_expiry(&self, claims: &VerifiedClaims) -> u64 {
		claims
			.verified_at()
			.saturating_add(self.attestation_validity_secs)
			.min(claims.expires_at())
	}

	fn check_tdx(&self, c: &TdxClaims, v: &mut Vec<Violation>) {
		if c.tcb_status == TcbStatus::Revoked {
			v.push(Violation::TcbRevoked);
		} else if !self.accepted_tcb_statuses.contains(&c.tcb_status) {
			v.push(Violation::TcbStatusNotAccepted(c.tcb_status));
		}
		if c.advisory_ids
			.iter()
			.any(|id| !self.allowed_advisory_ids.contains(id))
		{
			v.push(Violation::AdvisoryNotAllowed);
		}
		if c.migratable() && !self.allow_migration {
			v.push(Violation::Migration);
		}
		if c.reserved_attributes_set() || !c.sept_ve_disabled() {
			v.push(Violation::UnsafeTdAttributes);
		}
		if c.tee_tcb_svn
			.iter()
			.zip(self.tdx_minimum_tee_tcb_svn.iter())
			.any(|(have, min)| have < min)
		{
			v.push(Violation::TeeTcbSvnTooLow);
		}
		if c.mr_service_td.is_some_and(|m| m != [0; 48]) && !self.allow_service_tds {
			v.push(Violation::ServiceTdBound);
		}
		if let Some(max_age) = self.maximum_collateral_age_secs {
			if c.verified_at.saturating_sub(c.collateral_issued_at) > max_age {
				v.push(Violation::CollateralTooOld);
			}
		}
	}

	fn check_snp(&self, c: &SnpClaims, v: &mut Vec<Violation>) {
		if (c.migration_agent_allowed() || c.has_migration_agent()) && !self.allow_migration {
			v.push(Violation::Migration);
		}
		if c.vmpl != self.snp_required_vmpl {
			v.push(Violation::WrongVmpl(c.vmpl));
		}
		if !self.snp_minimum_tcb.admits(&c.reported_tcb) {
			v.push(Violation::SnpTcbTooLow);
		}
		if !self.snp_minimum_launch_tcb.admits(&c.launch_tcb) {
			v.push(Violation::SnpLaunchTcbTooLow);
		}
		if c.guest_svn < self.snp_minimum_guest_svn {
			v.push(Violation::GuestSvnTooLow);
		}
		if c.smt_allowed() && !self.snp_allow_smt {
			v.push(Violation::Smt);
		}
		if !c.crl_checked && self.require_amd_crl {
			v.push(Violation::NoAmdCrl);
		}
	}
}
