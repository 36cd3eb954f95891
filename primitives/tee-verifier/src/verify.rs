//! The verification step: signatures, certificate chains, revocation, collateral validity and
//! TCB level matching. It returns [`VerifiedClaims`] and never applies policy; deciding whether
//! the claims are acceptable is [`crate::policy::Policy::check`]'s job.

use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::error::VerifyError;
use crate::evidence::{AdvisoryId, Collateral, Evidence, TrustAnchors, MAX_ADVISORIES};

/// Which TEE produced some evidence.
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
pub enum Tee {
	/// Intel TDX.
	#[codec(index = 0)]
	Tdx,
	/// AMD SEV-SNP.
	#[codec(index = 1)]
	Snp,
}

/// Intel's TCB status of a platform, converged from the platform TCB level, the TDX module TCB
/// level and the QE TCB level the way Intel's QVL does.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum TcbStatus {
	/// The platform is patched for every known issue.
	#[codec(index = 0)]
	UpToDate,
	/// Patched, but software mitigations are needed for some advisories.
	#[codec(index = 1)]
	SWHardeningNeeded,
	/// Patched, but the platform configuration needs changes for some advisories.
	#[codec(index = 2)]
	ConfigurationNeeded,
	/// Both of the above.
	#[codec(index = 3)]
	ConfigurationAndSWHardeningNeeded,
	/// The platform misses security updates.
	#[codec(index = 4)]
	OutOfDate,
	/// Out of date and needs configuration changes.
	#[codec(index = 5)]
	OutOfDateConfigurationNeeded,
	/// The platform's keys are compromised. Never acceptable.
	#[codec(index = 6)]
	Revoked,
	/// TDX 1.5: launched on an out-of-date TCB, but the current TCB is fine; relaunch advised.
	#[codec(index = 7)]
	TDRelaunchAdvised,
	/// As above, and configuration is needed.
	#[codec(index = 8)]
	TDRelaunchAdvisedConfigurationNeeded,
}

impl TcbStatus {
	/// Parse Intel's JSON spelling of a status.
	pub fn from_intel_str(s: &str) -> Option<Self> {
		Some(match s {
			"UpToDate" => TcbStatus::UpToDate,
			"SWHardeningNeeded" => TcbStatus::SWHardeningNeeded,
			"ConfigurationNeeded" => TcbStatus::ConfigurationNeeded,
			"ConfigurationAndSWHardeningNeeded" => TcbStatus::ConfigurationAndSWHardeningNeeded,
			"OutOfDate" => TcbStatus::OutOfDate,
			"OutOfDateConfigurationNeeded" => TcbStatus::OutOfDateConfigurationNeeded,
			"Revoked" => TcbStatus::Revoked,
			"TDRelaunchAdvised" => TcbStatus::TDRelaunchAdvised,
			"TDRelaunchAdvisedConfigurationNeeded" => {
				TcbStatus::TDRelaunchAdvisedConfigurationNeeded
			}
			_ => return None,
		})
	}

	/// Intel's JSON spelling of the status.
	pub fn as_intel_str(&self) -> &'static str {
		match self {
			TcbStatus::UpToDate => "UpToDate",
			TcbStatus::SWHardeningNeeded => "SWHardeningNeeded",
			TcbStatus::ConfigurationNeeded => "ConfigurationNeeded",
			TcbStatus::ConfigurationAndSWHardeningNeeded => "ConfigurationAndSWHardeningNeeded",
			TcbStatus::OutOfDate => "OutOfDate",
			TcbStatus::OutOfDateConfigurationNeeded => "OutOfDateConfigurationNeeded",
			TcbStatus::Revoked => "Revoked",
			TcbStatus::TDRelaunchAdvised => "TDRelaunchAdvised",
			TcbStatus::TDRelaunchAdvisedConfigurationNeeded => {
				"TDRelaunchAdvisedConfigurationNeeded"
			}
		}
	}
}

/// AMD EPYC generation. Decides the certificate chain and the layout of TCB values.
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
pub enum SnpProduct {
	/// 3rd generation EPYC (Zen 3).
	#[codec(index = 0)]
	Milan,
	/// 4th generation EPYC (Zen 4), including Bergamo and Siena.
	#[codec(index = 1)]
	Genoa,
	/// 5th generation EPYC (Zen 5).
	#[codec(index = 2)]
	Turin,
}

impl SnpProduct {
	/// Every product this verifier knows.
	pub const ALL: [SnpProduct; 3] = [SnpProduct::Milan, SnpProduct::Genoa, SnpProduct::Turin];

	/// The product's name as AMD's KDS spells it.
	pub fn name(&self) -> &'static str {
		match self {
			SnpProduct::Milan => "Milan",
			SnpProduct::Genoa => "Genoa",
			SnpProduct::Turin => "Turin",
		}
	}
}

/// Which AMD key signed an SNP report.
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
pub enum SigningKeyKind {
	/// Versioned Chip Endorsement Key: per chip and TCB, issued by AMD (chains to the ASK).
	#[codec(index = 0)]
	Vcek,
	/// Versioned Loaded Endorsement Key: per cloud provider, loaded by the host (chains to the
	/// ASVK).
	#[codec(index = 1)]
	Vlek,
}

/// An SNP TCB_VERSION, raw and decoded according to the product's layout.
///
/// Milan and Genoa: byte 0 bootloader, 1 TEE, 6 SNP, 7 microcode. Turin: byte 0 FMC,
/// 1 bootloader, 2 TEE, 3 SNP, 7 microcode.
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
pub struct SnpTcb {
	/// The 64-bit value as in the report.
	pub raw: u64,
	/// FMC SPL (Turin only).
	pub fmc: Option<u8>,
	/// Bootloader SPL.
	pub bootloader: u8,
	/// TEE (PSP OS) SPL.
	pub tee: u8,
	/// SNP firmware SPL.
	pub snp: u8,
	/// CPU microcode SPL.
	pub microcode: u8,
}

impl SnpTcb {
	/// Decode a raw TCB_VERSION for `product`.
	pub fn decode_for(product: SnpProduct, raw: u64) -> Self {
		let b = raw.to_le_bytes();
		match product {
			SnpProduct::Milan | SnpProduct::Genoa => SnpTcb {
				raw,
				fmc: None,
				bootloader: b[0],
				tee: b[1],
				snp: b[6],
				microcode: b[7],
			},
			SnpProduct::Turin => SnpTcb {
				raw,
				fmc: Some(b[0]),
				bootloader: b[1],
				tee: b[2],
				snp: b[3],
				microcode: b[7],
			},
		}
	}
}

/// Verified claims of a TDX quote.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct TdxClaims {
	/// Quote format version (4 or 5).
	pub quote_version: u16,
	/// TEE_TCB_SVN: the TDX module's SVNs at TD launch.
	pub tee_tcb_svn: [u8; 16],
	/// MRSEAM: measurement of the TDX module.
	pub mr_seam: [u8; 48],
	/// MRSIGNERSEAM: signer of the TDX module (zero for Intel's).
	pub mr_signer_seam: [u8; 48],
	/// SEAMATTRIBUTES of the TDX module.
	pub seam_attributes: [u8; 8],
	/// TDATTRIBUTES (bit 0 DEBUG, bit 28 SEPT_VE_DISABLE, bit 29 MIGRATABLE, ...).
	pub td_attributes: [u8; 8],
	/// XFAM: the extended CPU features enabled for the TD.
	pub xfam: [u8; 8],
	/// MRTD: measurement of the initial TD contents (firmware).
	pub mr_td: [u8; 48],
	/// MRCONFIGID: software-defined configuration ID.
	pub mr_config_id: [u8; 48],
	/// MROWNER: software-defined owner ID.
	pub mr_owner: [u8; 48],
	/// MROWNERCONFIG: software-defined owner configuration.
	pub mr_owner_config: [u8; 48],
	/// RTMR0..3: run-time extendable measurements (firmware, kernel, command line, user space).
	pub rtmr: [[u8; 48]; 4],
	/// REPORT_DATA: the 64 bytes the TD asked the hardware to sign.
	pub report_data: [u8; 64],
	/// TEE_TCB_SVN2 (TDX 1.5 quotes): the module SVNs now, after a TD-preserving update.
	pub tee_tcb_svn2: Option<[u8; 16]>,
	/// MRSERVICETD (TDX 1.5 quotes): hash of the bound service TDs.
	pub mr_service_td: Option<[u8; 48]>,
	/// FMSPC of the platform (from the PCK certificate).
	pub fmspc: [u8; 6],
	/// PPID of the platform (from the PCK certificate): names the machine, so the chain can
	/// bound how many workers one machine runs.
	pub ppid: [u8; 16],
	/// CPUSVN from the PCK certificate.
	pub cpu_svn: [u8; 16],
	/// PCESVN from the PCK certificate.
	pub pce_svn: u16,
	/// ISVSVN of the quoting enclave.
	pub qe_svn: u16,
	/// Converged TCB status (platform, TDX module and QE).
	pub tcb_status: TcbStatus,
	/// Union of the advisory IDs of the matched TCB levels.
	pub advisory_ids: BoundedVec<AdvisoryId, ConstU32<MAX_ADVISORIES>>,
	/// tcbDate of the matched platform TCB level (Unix seconds).
	pub tcb_date: u64,
	/// tcbEvaluationDataNumber of the TCB Info.
	pub tcb_evaluation_data_number: u32,
	/// Oldest issueDate/thisUpdate of the collateral used (Unix seconds).
	pub collateral_issued_at: u64,
	/// Earliest expiry of anything verification relied on: TCB Info and QE Identity nextUpdate,
	/// CRL nextUpdate, certificate notAfter (Unix seconds).
	pub collateral_expires_at: u64,
	/// The `now` verification ran at (Unix seconds).
	pub verified_at: u64,
	/// What the event log proves, when the evidence carried one (it replayed to `rtmr`).
	pub event_log: Option<MeasuredLog>,
}

/// What a TDX event log that replayed to the quote's RTMRs proves.
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
pub struct MeasuredLog {
	/// SHA-256 of the log without padding ([`crate::eventlog::EventLog::digest`]).
	pub digest: [u8; 32],
	/// `system_hash` ([`crate::binding::system_hash`]) of the one system the log measured
	/// into RTMR3, if it measured exactly one.
	pub system_hash: Option<[u8; 32]>,
}

/// Parse `log` (at most [`crate::eventlog::MAX_EVENT_LOG_LEN`] bytes), check that it replays
/// to the RTMRs of a verified quote's `claims` and record what it proves in
/// [`TdxClaims::event_log`]. [`verify`] does this for [`Evidence::TdxWithEventLog`]; a chain
/// that verifies the quote first calls it after its other checks.
pub fn apply_event_log(mut claims: TdxClaims, log: &[u8]) -> Result<TdxClaims, VerifyError> {
	use crate::eventlog::{EventLog, MAX_EVENT_LOG_LEN};
	let max = usize::try_from(MAX_EVENT_LOG_LEN).unwrap_or(usize::MAX);
	let parsed = EventLog::parse(log, max).map_err(VerifyError::EventLog)?;
	parsed.check(&claims.rtmr).map_err(VerifyError::EventLog)?;
	claims.event_log = Some(MeasuredLog {
		digest: parsed.digest(),
		system_hash: parsed
			.measured_system()
			.ok()
			.map(crate::binding::system_hash),
	});
	Ok(claims)
}

impl TdxClaims {
	/// TD attributes as the 64-bit value the TDX module reports.
	pub fn td_attributes_u64(&self) -> u64 {
		u64::from_le_bytes(self.td_attributes)
	}

	/// Any bit of the TUD ("TD under debug") group, bits 7:0 (bit 0 is DEBUG): the host can
	/// read and modify the TD, which is then untrusted.
	pub fn debug(&self) -> bool {
		self.td_attributes_u64() & 0xff != 0
	}

	/// TD attribute MIGRATABLE (bit 29): a migration TD may export the TD's state.
	pub fn migratable(&self) -> bool {
		self.td_attributes_u64() & (1 << 29) != 0
	}

	/// TD attribute SEPT_VE_DISABLE (bit 28): EPT violations on pending pages do not become
	/// #VE in the guest (Intel recommends it; without it the host can inject #VEs).
	pub fn sept_ve_disabled(&self) -> bool {
		self.td_attributes_u64() & (1 << 28) != 0
	}

	/// Whether TD attribute bits that the TDX module ABI reserves (must be zero: bits 1-3, 7-15,
	/// 23-26, 32-61) are set.
	pub fn reserved_attributes_set(&self) -> bool {
		// Bits 1-3, 7-15, 23-26 and 32-61.
		const RESERVED: u64 = 0x3fff_ffff_0780_ff8e;
		self.td_attributes_u64() & RESERVED != 0
	}
}

/// Verified claims of an SEV-SNP report.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct SnpClaims {
	/// The AMD product of the chip.
	pub product: SnpProduct,
	/// Which key signed the report.
	pub signing_key: SigningKeyKind,
	/// Report format version (2, 3 or 5).
	pub report_version: u32,
	/// Guest SVN from the ID block.
	pub guest_svn: u32,
	/// Guest policy (bit 16 SMT, 18 MIGRATE_MA, 19 DEBUG, 20 SINGLE_SOCKET, ...).
	pub policy: u64,
	/// FAMILY_ID from the ID block.
	pub family_id: [u8; 16],
	/// IMAGE_ID from the ID block.
	pub image_id: [u8; 16],
	/// VMPL the report was requested from.
	pub vmpl: u32,
	/// CURRENT_TCB: the platform's TCB now.
	pub current_tcb: SnpTcb,
	/// PLATFORM_INFO (bit 0 SMT enabled, bit 1 TSME enabled, ...).
	pub platform_info: u64,
	/// REPORT_DATA: the 64 bytes the guest asked the firmware to sign.
	pub report_data: [u8; 64],
	/// MEASUREMENT: launch digest of the guest.
	pub measurement: [u8; 48],
	/// HOST_DATA: 32 bytes the host supplied at launch.
	pub host_data: [u8; 32],
	/// SHA-384 of the ID key that signed the ID block (zero if none).
	pub id_key_digest: [u8; 48],
	/// SHA-384 of the author key that certified the ID key (zero if none).
	pub author_key_digest: [u8; 48],
	/// REPORT_ID of the guest.
	pub report_id: [u8; 32],
	/// REPORT_ID of the guest's migration agent.
	pub report_id_ma: [u8; 32],
	/// REPORTED_TCB: the TCB the VCEK is derived from (checked against the VCEK).
	pub reported_tcb: SnpTcb,
	/// CHIP_ID (zero when MASK_CHIP_ID is set; Turin uses only the first 8 bytes).
	pub chip_id: [u8; 64],
	/// COMMITTED_TCB.
	pub committed_tcb: SnpTcb,
	/// Current firmware version as (build, minor, major).
	pub current_version: [u8; 3],
	/// Committed firmware version as (build, minor, major).
	pub committed_version: [u8; 3],
	/// LAUNCH_TCB: the TCB at guest launch.
	pub launch_tcb: SnpTcb,
	/// CPUID family, model and stepping (report version 3 and later).
	pub cpuid: Option<[u8; 3]>,
	/// LAUNCH_MIT_VECTOR (report version 5).
	pub launch_mit_vector: Option<u64>,
	/// CURRENT_MIT_VECTOR (report version 5).
	pub current_mit_vector: Option<u64>,
	/// Earliest notAfter of the VEK, ASK/ASVK and ARK (Unix seconds).
	pub certs_expire_at: u64,
	/// The VEK and the chain it verified under, for a chain to remember (see
	/// [`crate::snp::KnownVek`]).
	pub known_vek: crate::snp::KnownVek,
	/// Whether a verified AMD CRL for the product was checked.
	pub crl_checked: bool,
	/// The `now` verification ran at (Unix seconds).
	pub verified_at: u64,
}

impl SnpClaims {
	/// Guest policy DEBUG (bit 19): the host may debug the guest.
	pub fn debug(&self) -> bool {
		self.policy & (1 << 19) != 0
	}

	/// Guest policy MIGRATE_MA (bit 18): a migration agent may be associated with the guest.
	pub fn migration_agent_allowed(&self) -> bool {
		self.policy & (1 << 18) != 0
	}

	/// Guest policy SMT (bit 16): the guest may run with SMT enabled.
	pub fn smt_allowed(&self) -> bool {
		self.policy & (1 << 16) != 0
	}

	/// Whether the report names a migration agent (REPORT_ID_MA not all ones or zero).
	pub fn has_migration_agent(&self) -> bool {
		self.report_id_ma != [0xff; 32] && self.report_id_ma != [0; 32]
	}
}

/// Claims that verification established, per TEE.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum VerifiedClaims {
	/// Claims of a TDX quote.
	#[codec(index = 0)]
	Tdx(TdxClaims),
	/// Claims of an SEV-SNP report.
	#[codec(index = 1)]
	Snp(SnpClaims),
}

impl VerifiedClaims {
	/// Which TEE the claims are from.
	pub fn tee(&self) -> Tee {
		match self {
			VerifiedClaims::Tdx(_) => Tee::Tdx,
			VerifiedClaims::Snp(_) => Tee::Snp,
		}
	}

	/// The 64 bytes of REPORT_DATA; compare with [`crate::binding::report_data`] of the claims.
	pub fn report_data(&self) -> &[u8; 64] {
		match self {
			VerifiedClaims::Tdx(c) => &c.report_data,
			VerifiedClaims::Snp(c) => &c.report_data,
		}
	}

	/// Whether the TEE was launched in debug mode (its memory is open to the host).
	pub fn debug(&self) -> bool {
		match self {
			VerifiedClaims::Tdx(c) => c.debug(),
			VerifiedClaims::Snp(c) => c.debug(),
		}
	}

	/// When anything this verification relied on expires (Unix seconds).
	pub fn expires_at(&self) -> u64 {
		match self {
			VerifiedClaims::Tdx(c) => c.collateral_expires_at,
			VerifiedClaims::Snp(c) => c.certs_expire_at,
		}
	}

	/// The `now` the evidence was verified at (Unix seconds).
	pub fn verified_at(&self) -> u64 {
		match self {
			VerifiedClaims::Tdx(c) => c.verified_at,
			VerifiedClaims::Snp(c) => c.verified_at,
		}
	}
}

/// Verify evidence under the caller's trust anchors and collateral at time `now` (Unix seconds).
///
/// Checks every signature from the vendor root down to REPORT_DATA, certificate validity and
/// revocation at `now`, collateral validity at `now` and (TDX) TCB level matching, and returns
/// what the evidence proves. It does not judge the result: debug TDs, out-of-date TCBs or the
/// wrong VMPL verify fine and are rejected by [`crate::policy::Policy::check`]. It does not
/// compare REPORT_DATA with any [`crate::binding::Claims`] either; the caller does.
///
/// Never panics; reads no clock, file or network.
pub fn verify(
	evidence: &Evidence,
	trust_anchors: &TrustAnchors,
	collateral: &Collateral,
	now: u64,
) -> Result<VerifiedClaims, VerifyError> {
	match (evidence, collateral) {
		(Evidence::Tdx { quote }, Collateral::Tdx(c)) => {
			crate::tdx::verify_quote(quote, trust_anchors, c, now)
				.map(VerifiedClaims::Tdx)
				.map_err(VerifyError::Tdx)
		}
		(Evidence::TdxWithEventLog { quote, event_log }, Collateral::Tdx(c)) => {
			let claims = crate::tdx::verify_quote(quote, trust_anchors, c, now)?;
			apply_event_log(claims, event_log).map(VerifiedClaims::Tdx)
		}
		(Evidence::Snp { report, vek_der }, Collateral::Snp(c)) => {
			crate::snp::verify_report(report, vek_der, trust_anchors, c, now)
				.map(VerifiedClaims::Snp)
				.map_err(VerifyError::Snp)
		}
		_ => Err(VerifyError::CollateralMismatch),
	}
}

/// Collateral as a chain stores it: TDX collateral and AMD CRLs verified at upload.
#[derive(Clone, Copy, Debug)]
pub enum StoredCollateral<'a> {
	/// Intel DCAP collateral verified when it was stored.
	Tdx(&'a crate::tdx::VerifiedTdxCollateral),
	/// The AMD CRL of the evidence's product verified when it was stored (see
	/// [`crate::snp::product_of`]), if the chain has one, and the VEK chain the chain remembers
	/// having verified for this evidence's VEK, if any.
	Snp(
		Option<&'a crate::snp::VerifiedAmdCrl>,
		Option<crate::snp::KnownVek>,
	),
}

/// [`verify`] with collateral a chain verified when it stored it: the same checks and claims,
/// except that the stored TDX collateral's own signatures are not verified again (see
/// [`crate::tdx`]), and that an SNP VEK chain the chain already verified is not verified again
/// (see [`crate::snp::KnownVek`]). For a chain's runtime; an off-chain verifier with collateral from
/// anywhere uses [`verify`].
pub fn verify_with_stored(
	evidence: &Evidence,
	trust_anchors: &TrustAnchors,
	collateral: StoredCollateral<'_>,
	now: u64,
) -> Result<VerifiedClaims, VerifyError> {
	match (evidence, collateral) {
		(Evidence::Tdx { quote }, StoredCollateral::Tdx(c)) => {
			crate::tdx::verify_quote_with_stored(quote, trust_anchors, c, now)
				.map(VerifiedClaims::Tdx)
				.map_err(VerifyError::Tdx)
		}
		(Evidence::TdxWithEventLog { quote, event_log }, StoredCollateral::Tdx(c)) => {
			let claims = crate::tdx::verify_quote_with_stored(quote, trust_anchors, c, now)?;
			apply_event_log(claims, event_log).map(VerifiedClaims::Tdx)
		}
		(Evidence::Snp { report, vek_der }, StoredCollateral::Snp(crl, known)) => {
			crate::snp::verify_report_with_stored(report, vek_der, trust_anchors, crl, known, now)
				.map(VerifiedClaims::Snp)
				.map_err(VerifyError::Snp)
		}
		_ => Err(VerifyError::CollateralMismatch),
	}
}
