//! REPORT_DATA binding: what a worker's evidence commits to.
//!
//! ```text
//! REPORT_DATA (64 bytes) = SHA-512("tee-attest/report-data/v1" || SCALE(Claims))
//! ```
//!
//! The TEE signs REPORT_DATA, so binding it to [`Claims`] ties the hardware evidence to the
//! worker's keys, a fresh chain-derived nonce, the chain (genesis hash), the purpose of the
//! attestation and the software image (system hash, services root). SHA-512 output is exactly
//! the 64 bytes of REPORT_DATA on both TDX and SNP, so nothing is ever padded or truncated;
//! comparing is an exact 64-byte equality.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sha2::{Digest, Sha256, Sha512};

/// Domain separation tag prefixed to the SCALE encoding of [`Claims`]. The version suffix lets
/// a later encoding coexist with this one.
pub const REPORT_DATA_DOMAIN: &[u8] = b"tee-attest/report-data/v1";

/// `system_hash` of a NixOS system: SHA-256 of the store path `/run/current-system` points
/// to (e.g. `/nix/store/<hash>-nixos-system-<name>-<version>`), as bytes without a trailing
/// newline. The store path already names the whole closure, so hashing the path (not its
/// contents) is enough and is cheap for a client to recompute from a build.
pub fn system_hash(store_path: &[u8]) -> [u8; 32] {
	Sha256::digest(store_path).into()
}

/// Why the evidence was produced. Part of the binding so that evidence fetched for one purpose
/// can never be replayed for another: in particular `OffChain` evidence (served by a worker's
/// HTTP API) can never register a worker.
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
pub enum Purpose {
	/// First registration of a worker (`register_worker`).
	#[codec(index = 0)]
	Register,
	/// Answer to an on-chain re-attestation request (`submit_attestation`).
	#[codec(index = 1)]
	Reattest,
	/// Evidence for an off-chain verifier; never accepted by the chain.
	#[codec(index = 2)]
	OffChain,
}

/// What REPORT_DATA commits to (DESIGN.md section 5). Field order is the SCALE order and is
/// part of the binding: changing it needs a new [`REPORT_DATA_DOMAIN`] version.
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
pub struct Claims {
	/// Genesis hash of the chain the evidence is for: stops replay across chains.
	pub genesis_hash: [u8; 32],
	/// What the evidence is for.
	pub purpose: Purpose,
	/// The worker's sr25519 account public key.
	pub account: [u8; 32],
	/// The worker's x25519 public key (for encrypted requests to the worker).
	pub x25519: [u8; 32],
	/// Freshness: the hash of block `anchor_block` at registration, or the nonce of an
	/// `AttestationRequested` event at re-attestation.
	pub nonce: [u8; 32],
	/// The block number the nonce refers to (`u32`, the runtime's block number type), so the
	/// chain can check that the nonce is recent.
	pub anchor_block: u32,
	/// SHA-256 of the store path of `/run/current-system` (the NixOS system closure). Not
	/// trusted as reported: see [`check_measured_system`].
	pub system_hash: [u8; 32],
	/// Root of the sparse Merkle tree of services in the image.
	pub services_root: [u8; 32],
	/// Digest of GPU attestation evidence, when the worker has a confidential GPU.
	pub gpu_digest: Option<[u8; 32]>,
}

/// The 64 bytes of REPORT_DATA that evidence for `claims` must carry.
pub fn report_data(claims: &Claims) -> [u8; 64] {
	let mut hasher = Sha512::new();
	hasher.update(REPORT_DATA_DOMAIN);
	hasher.update(claims.encode());
	hasher.finalize().into()
}

/// The evidence's REPORT_DATA is not the binding of the claims it was submitted with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ReportDataMismatch;

impl core::fmt::Display for ReportDataMismatch {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("REPORT_DATA does not commit to the claims")
	}
}

impl core::error::Error for ReportDataMismatch {}

/// Check that verified evidence carries exactly [`report_data`]`(claims)`: all 64 bytes, no
/// padding or truncation.
pub fn check_binding(
	claims: &Claims,
	verified: &crate::verify::VerifiedClaims,
) -> Result<(), ReportDataMismatch> {
	if verified.report_data() == &report_data(claims) {
		Ok(())
	} else {
		Err(ReportDataMismatch)
	}
}

/// The claims' `system_hash` is not one the evidence measured.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SystemNotMeasured {
	/// TDX evidence without an event log: nothing measured the system, it is self-reported.
	NoEventLog,
	/// The event log measured no system into RTMR3, or more than one.
	NotInLog,
	/// The event log measured another system than the claims name.
	Differs,
}

impl core::fmt::Display for SystemNotMeasured {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(match self {
			SystemNotMeasured::NoEventLog => {
				"TDX evidence without an event log: the system is self-reported"
			}
			SystemNotMeasured::NotInLog => "the event log measures no single system into RTMR3",
			SystemNotMeasured::Differs => {
				"the event log measured another system than the claims' system_hash"
			}
		})
	}
}

impl core::error::Error for SystemNotMeasured {}

/// Check that the claims' `system_hash` is measured, not self-reported.
///
/// TDX: the event log (which replayed to the quote's RTMRs) must measure exactly one system
/// into RTMR3, and its hash must be the claims'. SEV-SNP has no run-time register: there the
/// system path is on the kernel command line inside the launch measurement, so the release
/// that pins the MEASUREMENT also fixes the system, and the chain matches both in one release;
/// this check has nothing more to compare and accepts.
pub fn check_measured_system(
	claims: &Claims,
	verified: &crate::verify::VerifiedClaims,
) -> Result<(), SystemNotMeasured> {
	match verified {
		crate::verify::VerifiedClaims::Snp(_) => Ok(()),
		crate::verify::VerifiedClaims::Tdx(c) => {
			let log = c.event_log.ok_or(SystemNotMeasured::NoEventLog)?;
			match log.system_hash {
				None => Err(SystemNotMeasured::NotInLog),
				Some(h) if h == claims.system_hash => Ok(()),
				Some(_) => Err(SystemNotMeasured::Differs),
			}
		}
	}
}

impl Claims {
	/// Shorthand for [`report_data`].
	pub fn report_data(&self) -> [u8; 64] {
		report_data(self)
	}
}
