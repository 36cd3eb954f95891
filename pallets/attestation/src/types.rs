//! Types kept in the pallet's storage and taken by its calls.
//!
//! Every type is bounded (`MaxEncodedLen`) and has pinned codec indices where it is an enum, so
//! clients (subxt, polkadot.js) decode it by the names in the metadata.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{frame_support::BoundedVec, sp_core::ConstU32};
use scale_info::TypeInfo;
use tee_verifier::{evidence::MAX_ADVISORIES, AdvisoryId, Evidence, SnpProduct, TcbStatus, Tee};

/// Identifier of a release (an allowed NixOS image).
pub type ReleaseId = u32;

/// Largest release name, in bytes.
pub const MAX_RELEASE_NAME_LEN: u32 = 64;
/// Largest number of system hashes (NixOS system store paths) one release allows.
pub const MAX_SYSTEM_HASHES: u32 = 16;
/// Largest number of service-tree roots one release allows.
pub const MAX_SERVICES_ROOTS: u32 = 16;
/// Largest number of releases (active or retired) sharing one set of measurements (TDX
/// registers or SNP launch measurement); they differ in system hashes, roots or pins. Bounds
/// the release lookup of an attestation.
pub const MAX_RELEASES_PER_MEASUREMENT: u32 = 8;
/// Most workers listed under one services root (`RootWorkers`) and named by a proof about it.
/// A root is usually one worker's (its VM generates its service keys); a release that pins
/// roots (fixed service keys), or workers without services (the empty tree), share one. Any
/// number of workers may share a root; the first this many are listed.
pub const MAX_WORKERS_PER_ROOT: u32 = 16;

/// Most expired TCB Infos, and most expired remembered VEKs, `on_idle` examines per block.
pub const MAX_COLLATERAL_PRUNES: u32 = 8;

/// A TDX measurement register (48 bytes, SHA-384).
pub type Measurement = [u8; 48];

/// The TDX registers that identify an image: firmware (MRTD) and the boot chain (RTMR0-2).
/// RTMR3 is extended at run time by the workload and is not part of a release.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct TdxMeasurements {
	/// MRTD: the TD's initial contents (virtual firmware).
	pub mrtd: Measurement,
	/// RTMR0: firmware configuration.
	pub rtmr0: Measurement,
	/// RTMR1: kernel and initrd loaded by the firmware.
	pub rtmr1: Measurement,
	/// RTMR2: kernel command line and what the OS loader measures.
	pub rtmr2: Measurement,
}

/// Optional TDX pins of a release: software-defined registers the host or the TD's owner
/// sets at launch. Unset accepts any value; set requires the quote's register to equal it.
#[derive(
	Clone,
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
pub struct TdxPins {
	/// MRCONFIGID: configuration ID (e.g. a hash of the workload's configuration).
	pub mr_config_id: Option<Measurement>,
	/// MROWNER: the TD owner's ID.
	pub mr_owner: Option<Measurement>,
	/// MROWNERCONFIG: owner-defined configuration.
	pub mr_owner_config: Option<Measurement>,
}

/// Optional SEV-SNP pins of a release. Unset accepts any value; set requires the report's
/// field to equal it.
#[derive(
	Clone,
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
pub struct SnpPins {
	/// HOST_DATA: 32 bytes the host supplied at launch.
	pub host_data: Option<[u8; 32]>,
	/// SHA-384 of the ID key that signed the ID block.
	pub id_key_digest: Option<[u8; 48]>,
	/// SHA-384 of the author key that certified the ID key.
	pub author_key_digest: Option<[u8; 48]>,
}

impl TdxPins {
	/// Whether every set pin equals the quote's register.
	pub fn admit(&self, c: &tee_verifier::TdxClaims) -> bool {
		pin_holds(&self.mr_config_id, &c.mr_config_id)
			&& pin_holds(&self.mr_owner, &c.mr_owner)
			&& pin_holds(&self.mr_owner_config, &c.mr_owner_config)
	}
}

impl SnpPins {
	/// Whether every set pin equals the report's field.
	pub fn admit(&self, c: &tee_verifier::SnpClaims) -> bool {
		pin_holds(&self.host_data, &c.host_data)
			&& pin_holds(&self.id_key_digest, &c.id_key_digest)
			&& pin_holds(&self.author_key_digest, &c.author_key_digest)
	}
}

/// An unset pin holds for any value; a set one only for its own (what release matching and
/// `attest worker` both apply).
pub fn pin_holds<V: PartialEq>(pin: &Option<V>, value: &V) -> bool {
	pin.as_ref().is_none_or(|p| p == value)
}

/// Whether new attestations may use a release.
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
pub enum ReleaseStatus {
	/// Workers may register and re-attest with this release.
	#[codec(index = 0)]
	Active,
	/// No new attestation is accepted; its workers were asked to re-attest (and lapse unless
	/// they now run an active release).
	#[codec(index = 1)]
	Retired,
}

/// An allowed image: what its TEE measurements are and which system and service trees it may
/// report.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Release {
	/// Human-readable name, e.g. `echo-vm 2026.11.1`.
	pub name: BoundedVec<u8, ConstU32<MAX_RELEASE_NAME_LEN>>,
	/// TDX measurements of the image, if it runs on TDX.
	pub tdx: Option<TdxMeasurements>,
	/// SEV-SNP launch MEASUREMENT of the image, if it runs on SEV-SNP.
	pub snp_measurement: Option<Measurement>,
	/// TDX registers the release pins besides the measurements (default: none).
	pub tdx_pins: TdxPins,
	/// SEV-SNP fields the release pins besides the measurement (default: none).
	pub snp_pins: SnpPins,
	/// Allowed `system_hash`es: SHA-256 of the store path of `/run/current-system`.
	pub system_hashes: BoundedVec<[u8; 32], ConstU32<MAX_SYSTEM_HASHES>>,
	/// Allowed roots of the service tree; empty accepts any root (service keys generated
	/// inside each VM, so every worker has its own root, recorded on its `Worker`).
	pub services_roots: BoundedVec<[u8; 32], ConstU32<MAX_SERVICES_ROOTS>>,
	/// Active or retired.
	pub status: ReleaseStatus,
}

/// Where a worker is in the attestation cycle.
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
pub enum WorkerStatus {
	/// Attested and not expired; no request outstanding.
	#[codec(index = 0)]
	Active,
	/// Attested and not expired, but asked to re-attest (see `PendingRequests`).
	#[codec(index = 1)]
	Pending,
	/// Missed a re-attestation deadline or expired: not trusted. Anyone may `evict` it.
	#[codec(index = 2)]
	Lapsed,
}

/// Which physical platform a worker runs on, as its evidence states it.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum PlatformId {
	/// Intel, as recorded before storage version 5: the platform family only. Such a record
	/// names no machine and counts under none; the worker's next accepted attestation records
	/// [`PlatformId::Tdx`] (the upgrade to version 5 asks every worker to re-attest).
	#[codec(index = 0)]
	TdxFamily {
		/// FMSPC from the PCK certificate.
		fmspc: [u8; 6],
	},
	/// AMD: the product and the chip.
	#[codec(index = 1)]
	Snp {
		/// Milan, Genoa or Turin.
		product: SnpProduct,
		/// CHIP_ID from the report (all zero when the guest policy masks it: such workers all
		/// count as one machine).
		chip_id: [u8; 64],
	},
	/// Intel: the platform family and the machine, from the PCK certificate.
	#[codec(index = 2)]
	Tdx {
		/// FMSPC from the PCK certificate.
		fmspc: [u8; 6],
		/// PPID (platform provisioning ID) from the PCK certificate: the machine.
		ppid: [u8; 16],
	},
}

impl PlatformId {
	/// The machine this names, as the key of `PlatformWorkers` (`None` for a record from
	/// before storage version 5, which names none).
	pub fn machine_key(&self) -> Option<[u8; 32]> {
		use codec::Encode;
		let machine = match self {
			PlatformId::TdxFamily { .. } => return None,
			PlatformId::Tdx { ppid, .. } => (0u8, ppid.to_vec()),
			PlatformId::Snp { product, chip_id } => (1u8, (*product, *chip_id).encode()),
		};
		Some(polkadot_sdk::sp_io::hashing::blake2_256(&machine.encode()))
	}
}

/// A registered worker.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct WorkerInfo<BlockNumber> {
	/// TDX or SEV-SNP.
	pub tee: Tee,
	/// The release its measurements matched.
	pub release: ReleaseId,
	/// The worker's x25519 key, bound into its evidence (for encrypted requests to it).
	pub x25519: [u8; 32],
	/// The platform it runs on.
	pub platform: PlatformId,
	/// TCB status of the platform (TDX; `None` for SNP, whose TCB is checked by version).
	pub tcb_status: Option<TcbStatus>,
	/// Intel advisory IDs that apply to the platform (TDX).
	pub advisory_ids: BoundedVec<AdvisoryId, ConstU32<MAX_ADVISORIES>>,
	/// NixOS system hash the worker reported.
	pub system_hash: [u8; 32],
	/// Root of the worker's service tree.
	pub services_root: [u8; 32],
	/// Block of the first successful registration with the current keys.
	pub registered_at: BlockNumber,
	/// Block of the latest successful attestation.
	pub attested_at: BlockNumber,
	/// Unix time (seconds) after which the attestation is no longer valid:
	/// `min(verification time + policy validity, earliest collateral/certificate expiry)`.
	pub expires_at: u64,
	/// Active, Pending or Lapsed.
	pub status: WorkerStatus,
	/// BLAKE2-256 of the SCALE-encoded evidence accepted last.
	pub evidence_hash: [u8; 32],
	/// Anchor block of the latest accepted registration (a registration must use a newer one).
	pub last_anchor: u32,
	/// The `RulesEpoch` (policy and trust anchors) the worker was last verified under. After
	/// governance changes either, the expiry scan asks every worker of an older epoch to
	/// re-attest under the new rules.
	pub rules_epoch: u32,
}

/// The evidence and claims a worker was last accepted with, kept so anyone can re-verify it
/// off chain (`attest worker`).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct EvidenceRecord<BlockNumber> {
	/// The hardware evidence.
	pub evidence: Evidence,
	/// The claims bound into its REPORT_DATA.
	pub claims: tee_verifier::Claims,
	/// Unix time (seconds) at which it was verified (the block's timestamp).
	pub verified_at: u64,
	/// Block in which it was accepted.
	pub block: BlockNumber,
}

/// An outstanding re-attestation request.
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
pub struct Request<BlockNumber> {
	/// What the answer's claims must carry as `nonce`.
	pub nonce: [u8; 32],
	/// Block in which the request was issued (the answer's `anchor_block`).
	pub issued_at: BlockNumber,
	/// Last block in which an answer is accepted; the worker lapses after it.
	pub deadline: BlockNumber,
}

/// The governed policy: the verifier's evidence policy plus the attestation cycle.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct ChainPolicy {
	/// What evidence is acceptable (TCB statuses, debug, VMPL, minimum SVNs, collateral age,
	/// validity of an attestation in seconds).
	pub evidence: tee_verifier::Policy,
	/// Seconds before expiry at which the chain asks a worker to re-attest.
	pub request_lead_secs: u64,
	/// Blocks a worker has to answer a request.
	pub response_window: u32,
	/// Largest age, in blocks, of the anchor block a registration commits to.
	pub registration_window: u32,
}

impl Default for ChainPolicy {
	/// The verifier's default evidence policy with a current AMD CRL required (a chain can
	/// always hold one: anyone uploads it), re-attestation one hour before expiry, 20 blocks
	/// (one minute) to answer, registrations anchored at most 20 blocks back.
	fn default() -> Self {
		Self {
			evidence: tee_verifier::Policy {
				require_amd_crl: true,
				..tee_verifier::Policy::default()
			},
			request_lead_secs: 3600,
			response_window: 20,
			registration_window: 20,
		}
	}
}

/// Identifier of a registered circuit: SHA-256 of its UltraHonk verification key.
pub type CircuitId = [u8; 32];
/// Largest circuit name, in bytes.
pub const MAX_CIRCUIT_NAME_LEN: u32 = 64;
/// Size of a bb 3.x verification key in bytes.
pub const VK_LEN: u32 = 1888;
/// Largest proof (ZK flavour of a 2^28-row circuit: `(12 * 28 + 90) * 32` bytes).
pub const MAX_PROOF_LEN: u32 = 13_632;
/// Largest circuit the registry takes: 2^17 rows, the size `submit_proof` is benchmarked at
/// (service_response's). Verification time grows with the size; a larger circuit needs a new
/// benchmark first.
pub const MAX_CIRCUIT_LOG_N: u32 = 17;
/// Public inputs of the service-response statement.
pub const STATEMENT_INPUTS: u32 = 5;

/// Whether proofs under a circuit are accepted.
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
pub enum CircuitStatus {
	/// `submit_proof` accepts proofs under it.
	#[codec(index = 0)]
	Active,
	/// No longer accepted.
	#[codec(index = 1)]
	Retired,
}

/// A circuit whose proofs the chain verifies (`Circuits`): its name, status and verification
/// key. Its proofs state a `zk_verifier::ServiceResponseStatement` (five public inputs).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Circuit {
	/// Human-readable name, e.g. `service_response`.
	pub name: BoundedVec<u8, ConstU32<MAX_CIRCUIT_NAME_LEN>>,
	/// Active or retired.
	pub status: CircuitStatus,
	/// The UltraHonk verification key (bb 3.x, 1888 bytes).
	pub vk: BoundedVec<u8, ConstU32<VK_LEN>>,
}
