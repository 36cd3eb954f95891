//! # Attestation pallet
//!
//! A registry of TEE workers: confidential VMs (Intel TDX, AMD SEV-SNP) whose hardware evidence
//! the runtime verified completely, with periodic re-attestation, a governed policy and list of
//! allowed releases, and collateral kept in chain state.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module: [`Call`] for the calls, [`Event`], [`Error`], and the storage
//! items ([`Workers`], [`AcceptedEvidence`], [`PendingRequests`], [`Releases`], [`Policy`],
//! [`TrustAnchors`], [`TdxTcbInfo`] and the other collateral parts, [`SnpCrls`]).
//!
//! ## Overview
//!
//! A worker proves what it runs by submitting `register_worker(evidence, claims)`. The evidence
//! is a TDX quote or an SNP report whose 64-byte REPORT_DATA commits to `claims` (the chain's
//! genesis hash, the purpose, the worker's account and x25519 key, a fresh nonce, the NixOS
//! system hash and the root of its service tree). The pallet accepts it only if:
//! 1. the evidence verifies under the on-chain trust anchors and collateral at the block's
//!    timestamp (signature chain to the vendor root, TCB level, certificate validity);
//! 2. the evidence policy accepts its claims (TCB status, debug, VMPL, minimum SVNs, ...);
//! 3. `REPORT_DATA == SHA-512("tee-attest/report-data/v1" || SCALE(claims))` exactly;
//! 4. the claims name this chain, this account and a purpose matching the call, and their
//!    nonce is fresh: for a registration the hash of a recent block (`anchor_block`), for a
//!    re-attestation the nonce of the worker's pending request;
//! 5. the measurements, system hash and services root belong to an active release.
//!
//! Each block, `on_initialize` asks workers whose attestation expires within
//! `request_lead_secs` to re-attest (event `AttestationRequested`), at most
//! `MaxRequestsPerBlock` at a time; a worker that misses the deadline becomes `Lapsed` and
//! anyone may `evict` it. Successful attestations are free; failed ones pay the full fee.
//!
//! Collateral (Intel TCB Info, QE Identity and CRLs; AMD CRLs) is uploaded by anyone and kept
//! only when it verifies against the trust anchors and is newer than what is stored.
//!
//! Dev chains differ only in genesis: they trust the `mock-tee` roots instead of Intel's and
//! AMD's. There is one verification path.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod migrations;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_proofs;

pub use types::*;
pub use weights::WeightInfo;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::attestation";

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use polkadot_sdk::{
		frame_support::{
			dispatch::{DispatchResultWithPostInfo, Pays, PostDispatchInfo},
			pallet_prelude::*,
			traits::UnixTime,
		},
		frame_system::{self, pallet_prelude::*},
		sp_io::hashing::blake2_256,
		sp_runtime::{
			traits::{One, Saturating, Zero},
			SaturatedConversion,
		},
	};
	use tee_verifier::{
		snp::{CrlMerge, VerifiedAmdCrl},
		tdx::{
			Freshness, PckCa, PckCrlPart, QeIdentityPart, RootCaCrlPart, TcbInfoPart,
			TdxCollateralParts, VerifiedPart,
		},
		Collateral, Evidence, Purpose, SnpProduct, StorableCollateral as Stored, StoredCollateral,
		VerifiedClaims, VerifiedTdxCollateral,
	};

	/// The in-code storage version.
	/// Version 3: policy v2 (`tee_verifier::Policy::VERSION` 2), release pins, the workers'
	/// rules epoch (see `migrations`).
	/// Version 2: Intel collateral is stored as four parts (`TdxTcbInfo`, `TdxQeIdentity`,
	/// `TdxPckCrl`, `TdxRootCaCrl`) instead of whole bundles by FMSPC (`TdxCollateral`), and
	/// AMD CRLs verified, one per product (`SnpCrls`), instead of one DER list
	/// (`SnpCollateral`).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	/// Most TCB Infos removed at once when the Intel root changes (one per platform family
	/// ever uploaded; Intel has a few dozen).
	pub const MAX_TCB_INFOS_DROPPED: u32 = 1024;

	/// Intel's PCK CAs (Platform, Processor): the entries of `TdxPckCrl`.
	const MAX_PCK_CAS: u32 = 2;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// Who may change the policy, the releases and the trust anchors (root on the dev
		/// chain).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The chain's clock (the block timestamp); evidence is verified at this time.
		type UnixTime: UnixTime;

		/// Largest number of registered workers.
		#[pallet::constant]
		type MaxWorkers: Get<u32>;

		/// Largest number of releases (active and retired) kept.
		#[pallet::constant]
		type MaxReleases: Get<u32>;

		/// Largest number of re-attestation requests issued in one block (also the largest
		/// number of deadlines falling in one block).
		#[pallet::constant]
		type MaxRequestsPerBlock: Get<u32>;

		/// Largest number of workers `on_initialize` examines per block for upcoming expiry.
		#[pallet::constant]
		type MaxScansPerBlock: Get<u32>;

		/// Most circuits (with their flavours) the registry holds.
		#[pallet::constant]
		type MaxCircuits: Get<u32>;

		/// Weights of the calls and the hook.
		type WeightInfo: WeightInfo;

		/// Sets the clock in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper;
	}

	/// The roots the verifier trusts: Intel SGX Root CA, AMD ARK/ASK/ASVK per product. Set at
	/// genesis; changed only by `GovernanceOrigin`.
	#[pallet::storage]
	pub type TrustAnchors<T> = StorageValue<_, tee_verifier::TrustAnchors, ValueQuery>;

	/// The governed policy: evidence policy and attestation-cycle parameters.
	#[pallet::storage]
	pub type Policy<T> = StorageValue<_, ChainPolicy, ValueQuery>;

	/// Allowed (and retired) releases by id.
	#[pallet::storage]
	pub type Releases<T> = CountedStorageMap<_, Twox64Concat, ReleaseId, Release>;

	/// The id the next release gets.
	#[pallet::storage]
	pub type NextReleaseId<T> = StorageValue<_, ReleaseId, ValueQuery>;

	/// Intel DCAP collateral is kept as its four parts, each the newest the chain has seen and
	/// each replaced only by a part that is not older (see `tee_verifier::tdx::parts`): a
	/// permissionless uploader cannot pair a fresh TCB Info with an older CRL or QE Identity
	/// to make the chain forget a revocation. Every part verified against the trust anchors,
	/// as part of a whole bundle, when it was stored, and is bound to the Intel root it
	/// verified under; quotes are verified with the newest part of each kind without
	/// re-checking the parts' own signatures.
	///
	/// The TCB Info of each platform family (FMSPC).
	#[pallet::storage]
	pub type TdxTcbInfo<T> = StorageMap<_, Blake2_128Concat, [u8; 6], VerifiedPart<TcbInfoPart>>;

	/// The TDX QE Identity (one for all platforms).
	#[pallet::storage]
	pub type TdxQeIdentity<T> = StorageValue<_, VerifiedPart<QeIdentityPart>>;

	/// The PCK CRL of each of Intel's two PCK CAs (Platform, Processor): a quote is checked
	/// against the CRL of the CA that issued its PCK certificate.
	#[pallet::storage]
	pub type TdxPckCrl<T> = StorageMap<_, Twox64Concat, PckCa, VerifiedPart<PckCrlPart>>;

	/// The Intel root CA's CRL (revokes the PCK CAs and the TCB Signing certificate).
	#[pallet::storage]
	pub type TdxRootCaCrl<T> = StorageValue<_, VerifiedPart<RootCaCrlPart>>;

	/// The AMD revocations of each product, verified once at upload (each CRL signed by the
	/// product's ARK) and kept as what revocation checks need: the listed serials, the window
	/// of the newest CRL, the ARK they verified under. AMD publishes a VCEK CRL and a VLEK
	/// CRL per product, so the chain keeps the union of every CRL uploaded (see
	/// `tee_verifier::snp::VerifiedAmdCrl::merged_into`): no upload, of any product, age or
	/// kind, removes a revocation. Without a CRL of the product, SNP evidence is verified
	/// without a revocation check, which its claims record (`crl_checked`) and the chain's
	/// default policy refuses (`require_amd_crl`).
	#[pallet::storage]
	pub type SnpCrls<T> = StorageMap<_, Twox64Concat, SnpProduct, VerifiedAmdCrl>;

	/// SEV-SNP VEK certificates whose chain (ARK -> ASK/ASVK -> VEK) verified, by SHA-256 of the
	/// VEK, with the chain they verified under and the VEK's expiry (Unix seconds). A worker's
	/// later attestations with the same VEK skip the two RSA signature checks (validity,
	/// revocation and everything else still run). At most `MaxWorkers` entries; when full,
	/// verification simply stays complete. Expired entries are dropped when looked up.
	#[pallet::storage]
	pub type KnownVeks<T> =
		CountedStorageMap<_, Blake2_128Concat, [u8; 32], (tee_verifier::KnownVek, u64)>;

	/// Registered workers.
	#[pallet::storage]
	pub type Workers<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, WorkerInfo<BlockNumberFor<T>>>;

	/// The evidence and claims each worker was last accepted with (for off-chain re-checks).
	#[pallet::storage]
	pub type AcceptedEvidence<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EvidenceRecord<BlockNumberFor<T>>>;

	/// Outstanding re-attestation requests.
	#[pallet::storage]
	pub type PendingRequests<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, Request<BlockNumberFor<T>>>;

	/// Workers whose request deadline is the given block (the last block in which they may
	/// answer; the next block's `on_initialize` lapses those that did not).
	#[pallet::storage]
	pub type Deadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<T::AccountId, T::MaxRequestsPerBlock>,
		ValueQuery,
	>;

	/// `[x]_2` of the SRS proofs are verified under (bb.js `bn254_g2.dat` layout). Set at
	/// genesis and never by a call: Aztec's (`zk_verifier::AZTEC_G2`) on real networks, the
	/// INSECURE dev SRS's (`zk_verifier::DEV_G2`) on the dev chain. Without it no proof is
	/// accepted.
	#[pallet::storage]
	pub type ProofSrsG2<T> = StorageValue<_, [u8; 128]>;

	/// Circuits whose proofs `submit_proof` verifies, by verification-key hash and flavour
	/// (the same key serves the ZK and the plain flavour; each is registered on its own).
	/// Changed only by `GovernanceOrigin`; at most `MaxCircuits`.
	#[pallet::storage]
	pub type Circuits<T> =
		CountedStorageMap<_, Blake2_128Concat, (CircuitId, zk_verifier::Flavour), Circuit>;

	/// Counts changes of the rules workers were verified under: the policy and trust anchors
	/// (governance), and collateral that adds a revocation or a TCB recovery (a CRL listing a
	/// new serial; a TCB Info or QE Identity with a higher evaluation number). A worker verified under
	/// an older epoch (`WorkerInfo::rules_epoch`) is asked to re-attest by the expiry scan
	/// regardless of its expiry, and lapses unless its evidence passes the new rules.
	#[pallet::storage]
	pub type RulesEpoch<T> = StorageValue<_, u32, ValueQuery>;

	/// Where the expiry scan of `on_initialize` continues (raw storage key of the last worker
	/// examined); `None` starts from the beginning.
	#[pallet::storage]
	pub type ScanCursor<T> = StorageValue<_, BoundedVec<u8, ConstU32<128>>>;

	/// The collateral a piece of evidence is verified with, read from storage.
	pub(crate) enum ChainCollateral {
		/// Intel's parts, combined.
		Tdx(VerifiedTdxCollateral),
		/// The AMD CRL of the evidence's product, if stored.
		Snp(Option<VerifiedAmdCrl>),
	}

	/// A stored part, if it verified under the Intel root `root` (a part under another root
	/// can never be used, so it does not block a newer upload).
	fn usable<P>(part: Option<VerifiedPart<P>>, root: [u8; 32]) -> Option<VerifiedPart<P>> {
		part.filter(|p| p.root_sha256() == root)
	}

	/// One part of Intel's DCAP collateral as the chain stores it.
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
	pub enum TdxPart {
		/// The TCB Info of one platform family.
		#[codec(index = 0)]
		TcbInfo {
			/// FMSPC of the platform family.
			fmspc: [u8; 6],
		},
		/// The TDX QE Identity.
		#[codec(index = 1)]
		QeIdentity,
		/// The CRL of one PCK CA.
		#[codec(index = 2)]
		PckCrl {
			/// Which CA.
			ca: PckCa,
		},
		/// The root CA CRL.
		#[codec(index = 3)]
		RootCaCrl,
	}

	/// Genesis: trust anchors, releases and collateral. The policy starts at its default.
	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// SCALE encoding of the `tee_verifier::TrustAnchors` (DER certificates inside).
		pub trust_anchors: Vec<u8>,
		/// SCALE encodings of `Release`s, registered in order (ids 0, 1, ...).
		pub releases: Vec<Vec<u8>>,
		/// SCALE encodings of `tee_verifier::Collateral` items.
		pub collateral: Vec<Vec<u8>>,
		/// Unix time (seconds) at which the genesis collateral is checked.
		pub collateral_checked_at: u64,
		/// SCALE encoding of the initial `ChainPolicy`; empty for the default policy.
		pub policy: Vec<u8>,
		/// Circuits to register: name, ZK flavour (`true`) or plain (`false`), verification key.
		pub circuits: Vec<(Vec<u8>, bool, Vec<u8>)>,
		/// The SRS's `[x]_2` (128 bytes, see `ProofSrsG2`); empty: no proofs accepted.
		pub proof_srs_g2: Vec<u8>,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _marker: PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		#[allow(clippy::expect_used, clippy::panic)]
		fn build(&self) {
			// Genesis is built from a chain spec by its author, not from external input: a
			// malformed spec must stop the chain from starting.
			if !self.trust_anchors.is_empty() {
				let anchors = tee_verifier::TrustAnchors::decode(&mut &self.trust_anchors[..])
					.expect("genesis trust_anchors is a SCALE TrustAnchors");
				if let Err(e) = anchors.check() {
					panic!("genesis trust_anchors refused: {e}");
				}
				TrustAnchors::<T>::put(anchors);
			}
			if !self.policy.is_empty() {
				let policy = ChainPolicy::decode(&mut &self.policy[..])
					.expect("genesis policy is a SCALE ChainPolicy");
				assert!(
					Pallet::<T>::policy_is_valid(&policy),
					"genesis policy is invalid"
				);
				Policy::<T>::put(policy);
			}
			for raw in &self.releases {
				let release =
					Release::decode(&mut &raw[..]).expect("genesis release is a SCALE Release");
				Pallet::<T>::insert_release(release).expect("genesis releases within MaxReleases");
			}
			if !self.proof_srs_g2.is_empty() {
				let g2 = <[u8; 128]>::try_from(self.proof_srs_g2.as_slice())
					.expect("genesis proof_srs_g2 is 128 bytes");
				assert!(
					zk_verifier::SrsG2::from_bytes(&g2).is_ok(),
					"genesis proof_srs_g2 is a point of G2"
				);
				ProofSrsG2::<T>::put(g2);
			}
			for (name, zk, vk) in &self.circuits {
				let flavour = if *zk {
					zk_verifier::Flavour::Zk
				} else {
					zk_verifier::Flavour::Plain
				};
				let name =
					BoundedVec::try_from(name.clone()).expect("genesis circuit name <= 64 bytes");
				let vk =
					BoundedVec::try_from(vk.clone()).expect("genesis circuit key is 1888 bytes");
				Pallet::<T>::insert_circuit(name, flavour, vk).expect("genesis circuit is valid");
			}
			for raw in &self.collateral {
				let item = Collateral::decode(&mut &raw[..])
					.expect("genesis collateral is a SCALE Collateral");
				if let Err(e) = Pallet::<T>::store_collateral(item, self.collateral_checked_at) {
					panic!("genesis collateral rejected: {e:?}");
				}
			}
		}
	}

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A worker was registered (or re-registered with new keys).
		WorkerRegistered {
			/// The worker's account.
			worker: T::AccountId,
			/// The release it runs.
			release: ReleaseId,
			/// TDX or SNP.
			tee: tee_verifier::Tee,
			/// Unix time (seconds) its attestation expires.
			expires_at: u64,
		},
		/// A worker answered a re-attestation request successfully.
		WorkerAttested {
			/// The worker's account.
			worker: T::AccountId,
			/// Unix time (seconds) its attestation now expires.
			expires_at: u64,
		},
		/// A worker must re-attest: answer with `submit_attestation` using `nonce` before
		/// `deadline` (inclusive).
		AttestationRequested {
			/// The worker's account.
			worker: T::AccountId,
			/// The nonce the answer's claims must carry.
			nonce: [u8; 32],
			/// Last block in which the answer is accepted.
			deadline: BlockNumberFor<T>,
		},
		/// A worker missed its deadline or its attestation expired; it is no longer trusted.
		WorkerLapsed {
			/// The worker's account.
			worker: T::AccountId,
		},
		/// A lapsed or expired worker was removed.
		WorkerEvicted {
			/// The worker's account.
			worker: T::AccountId,
		},
		/// A newer part of Intel's collateral was stored.
		TdxCollateralUpdated {
			/// Which part.
			part: TdxPart,
			/// Its evaluation number (TCB Info, QE Identity), issue date and `nextUpdate`.
			freshness: Freshness,
		},
		/// A newer AMD CRL of a product was stored.
		AmdCrlUpdated {
			/// The product whose ARK signed it.
			product: SnpProduct,
			/// Its `thisUpdate`.
			this_update: u64,
			/// Its `nextUpdate`.
			next_update: u64,
			/// How many serial numbers it revokes.
			revoked: u32,
		},
		/// The policy was set (changed or not).
		PolicySet {
			/// The evidence policy's version.
			version: u16,
			/// SHA-256 of the SCALE-encoded `ChainPolicy` now in force.
			hash: [u8; 32],
		},
		/// A release was added.
		ReleaseAdded {
			/// Its id.
			id: ReleaseId,
		},
		/// A release was retired; its workers were asked to re-attest.
		ReleaseRetired {
			/// Its id.
			id: ReleaseId,
			/// How many workers were marked for re-attestation.
			workers: u32,
		},
		/// The trust anchors were set (changed or not).
		TrustAnchorsSet {
			/// SHA-256 of the SCALE-encoded `TrustAnchors` now in force.
			hash: [u8; 32],
		},
		/// A circuit was registered.
		CircuitRegistered {
			/// SHA-256 of its verification key.
			circuit: CircuitId,
			/// The flavour its proofs use.
			flavour: zk_verifier::Flavour,
		},
		/// A circuit was retired.
		CircuitRetired {
			/// SHA-256 of its verification key.
			circuit: CircuitId,
			/// The flavour.
			flavour: zk_verifier::Flavour,
		},
		/// A proof showed that a service in an attested worker's image signed a response.
		ServiceResponseProven {
			/// The worker whose services root the proof's statement names.
			worker: T::AccountId,
			/// SHA-256 of the response.
			response_hash: [u8; 32],
			/// SHA-256 of the service's name.
			service_key: [u8; 32],
			/// The circuit the proof verified under.
			circuit: CircuitId,
		},
	}

	/// Errors. Details of verification failures are logged under `runtime::attestation`.
	#[pallet::error]
	pub enum Error<T> {
		/// The claims' purpose does not match the call (`Register` for `register_worker`,
		/// `Reattest` for `submit_attestation`; `OffChain` is never accepted).
		WrongPurpose,
		/// The claims name another account than the signer.
		AccountMismatch,
		/// The claims name another chain (genesis hash).
		WrongGenesis,
		/// The anchor block is unknown, in the future, older than `registration_window`, or
		/// not newer than the worker's last registration.
		StaleAnchor,
		/// The nonce is not the hash of the anchor block (registration), or not the pending
		/// request's nonce or anchor (re-attestation).
		WrongNonce,
		/// A re-attestation's x25519 key is not the registered one (keys change only by
		/// registering again).
		X25519Mismatch,
		/// `submit_attestation` without an outstanding request.
		NoPendingRequest,
		/// The signer is not a registered worker.
		UnknownWorker,
		/// No collateral is stored for the evidence's platform.
		NoCollateral,
		/// The evidence failed verification (signature, certificate chain, TCB level,
		/// collateral validity, malformed data).
		EvidenceRejected,
		/// The evidence verified but the policy rejects it (TCB status, debug, VMPL, SVNs).
		PolicyViolation,
		/// REPORT_DATA is not the binding of the submitted claims.
		ReportDataMismatch,
		/// No active release has these measurements, system hash and services root.
		UnknownRelease,
		/// The only matching release is retired.
		RetiredRelease,
		/// The attestation would already be expired (collateral or certificates expire now).
		AlreadyExpired,
		/// `MaxWorkers` workers are registered.
		TooManyWorkers,
		/// `MaxReleases` releases exist.
		TooManyReleases,
		/// The release id does not exist.
		NoSuchRelease,
		/// The release is already retired.
		AlreadyRetired,
		/// A release must have TDX or SNP measurements and at least one system hash.
		IncompleteRelease,
		/// The collateral does not verify against the trust anchors or is expired.
		CollateralRejected,
		/// Stored collateral is as new or newer, or (AMD) lists nothing new: nothing to update.
		CollateralNotNewer,
		/// A part of the collateral is older than the stored part of its kind (a lower TCB
		/// evaluation number, or issued earlier): the upload would roll the chain back.
		CollateralRollback,
		/// `evict` on a worker that is active and unexpired.
		WorkerNotEvictable,
		/// The policy is invalid (unsupported version, a zero window, or a registration window
		/// longer than the block hashes the chain keeps).
		InvalidPolicy,
		/// The trust anchors do not check out: a certificate is malformed, a root not
		/// self-signed under its name, an ASK/ASVK not its product's, or a product is listed
		/// twice.
		InvalidTrustAnchors,
		/// The verification key does not parse, or its statement is not the five public inputs
		/// of a service response.
		InvalidVerificationKey,
		/// `MaxCircuits` circuits are registered.
		TooManyCircuits,
		/// The circuit has more than 2^`MAX_CIRCUIT_LOG_N` rows: its proofs would cost more
		/// than `submit_proof`'s benchmarked weight.
		CircuitTooLarge,
		/// The circuit (with this flavour) is already registered.
		CircuitExists,
		/// No circuit with this key hash and flavour.
		NoSuchCircuit,
		/// The circuit is retired.
		RetiredCircuit,
		/// The public inputs do not encode a service-response statement.
		BadStatement,
		/// The worker is not attested (unknown, lapsed or expired).
		WorkerNotAttested,
		/// The statement's services root is not the worker's.
		ServicesRootMismatch,
		/// The proof does not verify.
		ProofRejected,
		/// The chain has no proof SRS (`ProofSrsG2` was not set at genesis).
		NoProofSrs,
		/// TDX evidence without its event log (`Evidence::Tdx`): nothing would tie the claims'
		/// system to what runs. Submit `Evidence::TdxWithEventLog`.
		EventLogRequired,
		/// The TDX event log is malformed or does not replay to the quote's RTMRs.
		EventLogRejected,
		/// The claims' `system_hash` is not the system the event log measured into RTMR3
		/// (or the log measured none, or more than one).
		SystemNotMeasured,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let lapsed = Self::lapse_overdue(n);
			let (scanned, requested) = Self::request_reattestations(n);
			T::WeightInfo::on_initialize(lapsed, scanned, requested)
		}

		/// Upgrades storage from version 1 or 2 (see `migrations`).
		fn on_runtime_upgrade() -> Weight {
			let on_chain = StorageVersion::get::<Pallet<T>>();
			let mut weight = T::DbWeight::get().reads(1);
			if on_chain >= STORAGE_VERSION {
				return weight;
			}
			if on_chain < 2 {
				weight = weight.saturating_add(crate::migrations::to_v2::<T>());
			}
			weight = weight.saturating_add(crate::migrations::to_v3::<T>());
			STORAGE_VERSION.put::<Pallet<T>>();
			weight.saturating_add(T::DbWeight::get().writes(1))
		}

		fn integrity_test() {
			assert!(T::MaxWorkers::get() > 0, "MaxWorkers must be positive");
			assert!(
				T::MaxRequestsPerBlock::get() > 0,
				"MaxRequestsPerBlock must be positive"
			);
			assert!(
				T::MaxScansPerBlock::get() > 0,
				"MaxScansPerBlock must be positive"
			);
			assert!(T::MaxCircuits::get() > 0, "MaxCircuits must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register the signer as a worker (or replace its keys) with fresh evidence.
		///
		/// - Origin: signed by the worker's account (the account in `claims`).
		/// - `claims.purpose` must be `Register`; `claims.nonce` the hash of block
		///   `claims.anchor_block`, at most `registration_window` blocks old and newer than the
		///   worker's previous registration.
		/// - Full verification as described in the crate docs.
		///
		/// Free when it succeeds; the full fee is paid when it fails.
		///
		/// Emits `WorkerRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::attestation_weight(None, true, false, event_log_len(evidence)))]
		pub fn register_worker(
			origin: OriginFor<T>,
			evidence: Box<Evidence>,
			claims: tee_verifier::Claims,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::check_claims(&who, &claims, Purpose::Register)?;
			let existing = Workers::<T>::get(&who);
			Self::check_anchor(&claims, existing.as_ref())?;
			if existing.is_none() {
				ensure!(
					Workers::<T>::count() < T::MaxWorkers::get(),
					Error::<T>::TooManyWorkers
				);
			}
			let accepted = Self::verify_evidence(&evidence, &claims)?;
			let now = frame_system::Pallet::<T>::block_number();
			let registered_at = match &existing {
				Some(w) if w.x25519 == claims.x25519 => w.registered_at,
				_ => now,
			};
			let expires_at = accepted.expires_at;
			let release = accepted.release;
			let tee = accepted.claims.tee();
			let known_vek = accepted.known_vek;
			let log_len = event_log_len(&evidence);
			Self::record(
				&who,
				*evidence,
				claims,
				accepted,
				registered_at,
				claims.anchor_block,
			);
			if let Some(request) = PendingRequests::<T>::take(&who) {
				Self::forget_deadline(&who, request.deadline);
			}
			Self::deposit_event(Event::WorkerRegistered {
				worker: who,
				release,
				tee,
				expires_at,
			});
			Ok(PostDispatchInfo {
				actual_weight: Some(Self::attestation_weight(
					Some(tee),
					true,
					known_vek,
					log_len,
				)),
				pays_fee: Pays::No,
			})
		}

		/// Answer a re-attestation request.
		///
		/// - Origin: signed by the worker.
		/// - `claims.purpose` must be `Reattest`, `claims.nonce` the pending request's nonce
		///   and `claims.anchor_block` the block the request was issued in.
		/// - The x25519 key must be the registered one (keys change only by registering).
		///
		/// Free when it succeeds. Emits `WorkerAttested`.
		#[pallet::call_index(1)]
		#[pallet::weight(Pallet::<T>::attestation_weight(None, false, false, event_log_len(evidence)))]
		pub fn submit_attestation(
			origin: OriginFor<T>,
			evidence: Box<Evidence>,
			claims: tee_verifier::Claims,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::check_claims(&who, &claims, Purpose::Reattest)?;
			let worker = Workers::<T>::get(&who).ok_or(Error::<T>::UnknownWorker)?;
			let request = PendingRequests::<T>::get(&who).ok_or(Error::<T>::NoPendingRequest)?;
			ensure!(
				claims.nonce == request.nonce
					&& BlockNumberFor::<T>::from(claims.anchor_block) == request.issued_at,
				Error::<T>::WrongNonce
			);
			ensure!(claims.x25519 == worker.x25519, Error::<T>::X25519Mismatch);
			let accepted = Self::verify_evidence(&evidence, &claims)?;
			let expires_at = accepted.expires_at;
			let tee = accepted.claims.tee();
			let known_vek = accepted.known_vek;
			let log_len = event_log_len(&evidence);
			Self::record(
				&who,
				*evidence,
				claims,
				accepted,
				worker.registered_at,
				worker.last_anchor,
			);
			PendingRequests::<T>::remove(&who);
			Self::forget_deadline(&who, request.deadline);
			Self::deposit_event(Event::WorkerAttested {
				worker: who,
				expires_at,
			});
			Ok(PostDispatchInfo {
				actual_weight: Some(Self::attestation_weight(
					Some(tee),
					false,
					known_vek,
					log_len,
				)),
				pays_fee: Pays::No,
			})
		}

		/// Store collateral (an Intel bundle: TCB Info, QE Identity and CRLs; or AMD CRLs).
		///
		/// - Origin: any signed account.
		/// - Verified whole against the trust anchors at the block's time.
		/// - Intel: every part newer than the stored part of its kind replaces it. Refused if
		///   any part is older (`CollateralRollback`) or none is newer (`CollateralNotNewer`).
		/// - AMD: each CRL is added to its product's revocations (the union; the window of the
		///   newest). Refused if nothing changes (`CollateralNotNewer`).
		///
		/// Emits `TdxCollateralUpdated` / `AmdCrlUpdated` for each part stored.
		#[pallet::call_index(2)]
		#[pallet::weight(match collateral.as_ref() {
			Collateral::Tdx(_) => T::WeightInfo::upload_collateral_tdx(),
			Collateral::Snp(_) => T::WeightInfo::upload_collateral_snp(),
		})]
		pub fn upload_collateral(
			origin: OriginFor<T>,
			collateral: Box<Collateral>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::store_collateral(*collateral, Self::now_secs())
		}

		/// Replace the policy.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - The evidence policy's version must be supported, the windows non-zero and the
		///   registration window shorter than the number of block hashes the chain keeps.
		/// - A policy that differs from the current one starts a new `RulesEpoch`: every worker
		///   is asked to re-attest under it (see `request_reattestations`).
		///
		/// Emits `PolicySet`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_policy())]
		pub fn set_policy(origin: OriginFor<T>, policy: ChainPolicy) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(Self::policy_is_valid(&policy), Error::<T>::InvalidPolicy);
			let version = policy.evidence.version;
			if Policy::<T>::get() != policy {
				Policy::<T>::put(policy);
				Self::new_rules_epoch();
			}
			let hash = polkadot_sdk::sp_io::hashing::sha2_256(&Policy::<T>::get().encode());
			Self::deposit_event(Event::PolicySet { version, hash });
			Ok(())
		}

		/// Add an allowed release.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - It must have TDX and/or SNP measurements and at least one system hash. An empty
		///   `services_roots` accepts any services root: the image (measurements and system
		///   hash) fixes the services' code, and their keys are generated inside each VM, so
		///   the root differs per worker and is recorded on the worker. A non-empty list pins
		///   the roots (for images whose service keys are fixed). Its status is set to `Active`.
		///
		/// Emits `ReleaseAdded`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::add_release())]
		pub fn add_release(origin: OriginFor<T>, release: Release) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let id = Self::insert_release(release)?;
			Self::deposit_event(Event::ReleaseAdded { id });
			Ok(())
		}

		/// Retire a release: no new attestation may use it, and every worker running it is
		/// asked to re-attest (it lapses unless it can prove an active release).
		///
		/// - Origin: `GovernanceOrigin`.
		///
		/// Emits `ReleaseRetired`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::retire_release(T::MaxWorkers::get()))]
		pub fn retire_release(origin: OriginFor<T>, id: ReleaseId) -> DispatchResultWithPostInfo {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let mut release = Releases::<T>::get(id).ok_or(Error::<T>::NoSuchRelease)?;
			ensure!(
				release.status == ReleaseStatus::Active,
				Error::<T>::AlreadyRetired
			);
			release.status = ReleaseStatus::Retired;
			Releases::<T>::insert(id, release);
			// Expire the workers' attestations now: the next scans ask them to re-attest.
			let now = Self::now_secs();
			let mut marked: u32 = 0;
			let mut seen: u32 = 0;
			Workers::<T>::translate_values(|mut w: WorkerInfo<BlockNumberFor<T>>| {
				seen = seen.saturating_add(1);
				if w.release == id && w.status != WorkerStatus::Lapsed {
					w.expires_at = w.expires_at.min(now);
					marked = marked.saturating_add(1);
				}
				Some(w)
			});
			Self::deposit_event(Event::ReleaseRetired {
				id,
				workers: marked,
			});
			Ok(Some(T::WeightInfo::retire_release(seen)).into())
		}

		/// Replace the trust anchors.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - They must check out (`tee_verifier::TrustAnchors::check`), else
		///   `InvalidTrustAnchors`.
		/// - Anchors that differ from the current ones drop the collateral and remembered VEK
		///   chains verified under a replaced root, and start a new `RulesEpoch` (every worker is
		///   asked to re-attest).
		///
		/// Emits `TrustAnchorsSet`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_trust_anchors())]
		pub fn set_trust_anchors(
			origin: OriginFor<T>,
			anchors: Box<tee_verifier::TrustAnchors>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			anchors.check().map_err(|e| {
				log::info!(target: LOG_TARGET, "trust anchors refused: {e}");
				Error::<T>::InvalidTrustAnchors
			})?;
			let old = TrustAnchors::<T>::get();
			if old != *anchors {
				Self::drop_collateral_of_replaced_roots(&old, &anchors);
				TrustAnchors::<T>::put(*anchors);
				Self::new_rules_epoch();
			}
			let hash = polkadot_sdk::sp_io::hashing::sha2_256(&TrustAnchors::<T>::get().encode());
			Self::deposit_event(Event::TrustAnchorsSet { hash });
			Ok(())
		}

		/// Remove a worker that lapsed or whose attestation expired, with its evidence and
		/// request.
		///
		/// - Origin: any signed account.
		///
		/// Emits `WorkerEvicted`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::evict())]
		pub fn evict(origin: OriginFor<T>, worker: T::AccountId) -> DispatchResult {
			ensure_signed(origin)?;
			let info = Workers::<T>::get(&worker).ok_or(Error::<T>::UnknownWorker)?;
			ensure!(
				info.status == WorkerStatus::Lapsed || info.expires_at <= Self::now_secs(),
				Error::<T>::WorkerNotEvictable
			);
			Workers::<T>::remove(&worker);
			AcceptedEvidence::<T>::remove(&worker);
			if let Some(request) = PendingRequests::<T>::take(&worker) {
				Self::forget_deadline(&worker, request.deadline);
			}
			Self::deposit_event(Event::WorkerEvicted { worker });
			Ok(())
		}

		/// Register a circuit whose proofs `submit_proof` accepts (or bring back a retired one):
		/// its verification key must parse, state a service response (five public inputs) and
		/// have at most 2^`MAX_CIRCUIT_LOG_N` rows.
		///
		/// - Origin: `GovernanceOrigin`.
		///
		/// Emits `CircuitRegistered`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::register_circuit())]
		pub fn register_circuit(
			origin: OriginFor<T>,
			name: BoundedVec<u8, ConstU32<MAX_CIRCUIT_NAME_LEN>>,
			flavour: zk_verifier::Flavour,
			vk: BoundedVec<u8, ConstU32<VK_LEN>>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::insert_circuit(name, flavour, vk)?;
			Ok(())
		}

		/// Retire a circuit: its proofs are no longer accepted.
		///
		/// - Origin: `GovernanceOrigin`.
		///
		/// Emits `CircuitRetired`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::retire_circuit())]
		pub fn retire_circuit(
			origin: OriginFor<T>,
			circuit: CircuitId,
			flavour: zk_verifier::Flavour,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Circuits::<T>::try_mutate((circuit, flavour), |entry| {
				let entry = entry.as_mut().ok_or(Error::<T>::NoSuchCircuit)?;
				ensure!(
					entry.status == CircuitStatus::Active,
					Error::<T>::RetiredCircuit
				);
				entry.status = CircuitStatus::Retired;
				Ok::<(), DispatchError>(())
			})?;
			Self::deposit_event(Event::CircuitRetired { circuit, flavour });
			Ok(())
		}

		/// Prove that a service inside an attested worker's image signed a response: verifies
		/// `proof` (UltraHonk, `flavour`) under the registered `circuit` with `public_inputs`
		/// (services root, response hash halves, service key halves), and that the services
		/// root is the one `worker` attested to. The worker must be attested and unexpired
		/// (`Active`, or `Pending` while its re-attestation is outstanding).
		///
		/// - Origin: signed by anyone (pays the fee).
		///
		/// Emits `ServiceResponseProven`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::submit_proof())]
		pub fn submit_proof(
			origin: OriginFor<T>,
			circuit: CircuitId,
			flavour: zk_verifier::Flavour,
			proof: BoundedVec<u8, ConstU32<MAX_PROOF_LEN>>,
			public_inputs: BoundedVec<[u8; 32], ConstU32<STATEMENT_INPUTS>>,
			worker: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let entry = Circuits::<T>::get((circuit, flavour)).ok_or(Error::<T>::NoSuchCircuit)?;
			ensure!(
				entry.status == CircuitStatus::Active,
				Error::<T>::RetiredCircuit
			);
			let statement =
				zk_verifier::ServiceResponseStatement::from_public_inputs(&public_inputs)
					.map_err(|_| Error::<T>::BadStatement)?;
			let info = Workers::<T>::get(&worker).ok_or(Error::<T>::WorkerNotAttested)?;
			ensure!(
				info.status != WorkerStatus::Lapsed && info.expires_at > Self::now_secs(),
				Error::<T>::WorkerNotAttested
			);
			ensure!(
				info.services_root == statement.services_root,
				Error::<T>::ServicesRootMismatch
			);
			Self::verify_proof(&entry, flavour, &proof, &public_inputs)?;
			Self::deposit_event(Event::ServiceResponseProven {
				worker,
				response_hash: statement.response_hash,
				service_key: statement.service_key,
				circuit,
			});
			Ok(())
		}
	}

	/// What a successful verification established.
	pub(crate) struct Accepted {
		pub claims: VerifiedClaims,
		pub release: ReleaseId,
		pub expires_at: u64,
		pub verified_at: u64,
		/// The SNP VEK chain was known (its signatures were not re-checked).
		pub known_vek: bool,
	}

	/// Length in bytes of the evidence's TDX event log (0 without one): the replay's weight
	/// grows with it.
	pub fn event_log_len(evidence: &Evidence) -> u32 {
		match evidence {
			Evidence::TdxWithEventLog { event_log, .. } => {
				u32::try_from(event_log.len()).unwrap_or(u32::MAX)
			}
			Evidence::Tdx { .. } | Evidence::Snp { .. } => 0,
		}
	}

	impl<T: Config> Pallet<T> {
		/// Weight of `register_worker` (`register`) or `submit_attestation`: the benchmarked
		/// verification of `tee`'s evidence (the worst of both when unknown; for SNP with a
		/// `known_vek`, the cheaper benchmark; for TDX plus the replay of an event log of
		/// `event_log_len` bytes at its worst, in whole KiB) plus the writes of the success
		/// path (worker record and counter, evidence, request and deadline, a remembered VEK).
		pub fn attestation_weight(
			tee: Option<tee_verifier::Tee>,
			register: bool,
			known_vek: bool,
			event_log_len: u32,
		) -> Weight {
			use tee_verifier::Tee;
			let (tdx, snp) = if register {
				(
					T::WeightInfo::register_worker_tdx(),
					T::WeightInfo::register_worker_snp(),
				)
			} else {
				(
					T::WeightInfo::submit_attestation_tdx(),
					T::WeightInfo::submit_attestation_snp(),
				)
			};
			let log_kib = event_log_len.div_ceil(1024).max(1);
			let tdx = tdx.saturating_add(T::WeightInfo::replay_event_log(log_kib));
			let verification = match tee {
				Some(Tee::Tdx) => tdx,
				Some(Tee::Snp) if known_vek => T::WeightInfo::submit_attestation_snp_known_vek(),
				Some(Tee::Snp) => snp,
				None => tdx.max(snp),
			};
			verification.saturating_add(T::DbWeight::get().reads_writes(1, 6))
		}

		/// Checks and stores a circuit (governance and genesis).
		pub(crate) fn insert_circuit(
			name: BoundedVec<u8, ConstU32<MAX_CIRCUIT_NAME_LEN>>,
			flavour: zk_verifier::Flavour,
			vk: BoundedVec<u8, ConstU32<VK_LEN>>,
		) -> DispatchResult {
			let parsed = zk_verifier::VerificationKey::parse(&vk)
				.map_err(|_| Error::<T>::InvalidVerificationKey)?;
			ensure!(
				parsed.public_inputs == zk_verifier::statement::PUBLIC_INPUTS,
				Error::<T>::InvalidVerificationKey
			);
			ensure!(
				parsed.log_n <= MAX_CIRCUIT_LOG_N,
				Error::<T>::CircuitTooLarge
			);
			let circuit: CircuitId = polkadot_sdk::sp_io::hashing::sha2_256(&vk);
			if let Some(mut existing) = Circuits::<T>::get((circuit, flavour)) {
				// A retired circuit can be brought back (same key, so same id); an active one
				// is already there.
				ensure!(
					existing.status == CircuitStatus::Retired,
					Error::<T>::CircuitExists
				);
				existing.status = CircuitStatus::Active;
				existing.name = name;
				Circuits::<T>::insert((circuit, flavour), existing);
				Self::deposit_event(Event::CircuitRegistered { circuit, flavour });
				return Ok(());
			}
			ensure!(
				Circuits::<T>::count() < T::MaxCircuits::get(),
				Error::<T>::TooManyCircuits
			);
			Circuits::<T>::insert(
				(circuit, flavour),
				Circuit {
					name,
					status: CircuitStatus::Active,
					vk,
				},
			);
			Self::deposit_event(Event::CircuitRegistered { circuit, flavour });
			Ok(())
		}

		/// The production verification of a proof (what `submit_proof` and its benchmark run).
		pub(crate) fn verify_proof(
			entry: &Circuit,
			flavour: zk_verifier::Flavour,
			proof: &[u8],
			public_inputs: &[[u8; 32]],
		) -> DispatchResult {
			let vk = zk_verifier::VerificationKey::parse(&entry.vk)
				.map_err(|_| Error::<T>::InvalidVerificationKey)?;
			let g2 = ProofSrsG2::<T>::get()
				.and_then(|g2| zk_verifier::SrsG2::from_bytes(&g2).ok())
				.ok_or(Error::<T>::NoProofSrs)?;
			// The MSM and the pairing run natively in the node (bn254-host's host functions).
			zk_verifier::verify_with::<bn254_host::HostBackend>(
				&vk,
				proof,
				public_inputs,
				flavour,
				&g2,
			)
			.map_err(|e| {
				log::debug!(target: LOG_TARGET, "proof rejected: {e}");
				Error::<T>::ProofRejected
			})?;
			Ok(())
		}

		/// The block's timestamp in Unix seconds.
		pub fn now_secs() -> u64 {
			T::UnixTime::now().as_secs()
		}

		/// Checks that do not need the evidence: purpose, account and chain.
		fn check_claims(
			who: &T::AccountId,
			claims: &tee_verifier::Claims,
			purpose: Purpose,
		) -> Result<(), Error<T>> {
			ensure!(claims.purpose == purpose, Error::<T>::WrongPurpose);
			// The claims carry the 32-byte account id, which is its SCALE encoding.
			ensure!(
				who.encode().as_slice() == claims.account.as_slice(),
				Error::<T>::AccountMismatch
			);
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			ensure!(
				claims.genesis_hash == genesis.as_ref(),
				Error::<T>::WrongGenesis
			);
			Ok(())
		}

		/// Registration freshness: the nonce is the hash of a recent block.
		fn check_anchor(
			claims: &tee_verifier::Claims,
			existing: Option<&WorkerInfo<BlockNumberFor<T>>>,
		) -> Result<(), Error<T>> {
			let now = frame_system::Pallet::<T>::block_number();
			let anchor = BlockNumberFor::<T>::from(claims.anchor_block);
			let window = BlockNumberFor::<T>::from(Policy::<T>::get().registration_window);
			ensure!(
				anchor < now && now.saturating_sub(anchor) <= window,
				Error::<T>::StaleAnchor
			);
			if let Some(w) = existing {
				ensure!(claims.anchor_block > w.last_anchor, Error::<T>::StaleAnchor);
			}
			let hash = frame_system::Pallet::<T>::block_hash(anchor);
			ensure!(claims.nonce == hash.as_ref(), Error::<T>::WrongNonce);
			Ok(())
		}

		/// Verifies the evidence under the stored anchors, collateral and policy, finds the
		/// release, checks the REPORT_DATA binding and (TDX) replays the event log and checks
		/// that it measured the claimed system, in that order (so every failure names the first
		/// check that fails). The event log comes last so that the benchmarks of the quote
		/// path and of the replay (`replay_event_log`) together cover a TDX attestation.
		pub(crate) fn verify_evidence(
			evidence: &Evidence,
			claims: &tee_verifier::Claims,
		) -> Result<Accepted, Error<T>> {
			// TDX: the quote now, the log after the binding.
			let (quote_evidence, event_log) = match evidence {
				Evidence::Tdx { .. } => return Err(Error::<T>::EventLogRequired),
				Evidence::TdxWithEventLog { quote, event_log } => (
					Some(Evidence::Tdx {
						quote: quote.clone(),
					}),
					Some(event_log),
				),
				Evidence::Snp { .. } => (None, None),
			};
			let evidence = quote_evidence.as_ref().unwrap_or(evidence);
			let now = Self::now_secs();
			// Read once: the collateral lookup and the verification both need them.
			let anchors = TrustAnchors::<T>::get();
			let collateral = Self::collateral_for(evidence, &anchors)?;
			let known = match evidence {
				Evidence::Snp { vek_der, .. } => Self::known_vek(vek_der, now),
				Evidence::Tdx { .. } | Evidence::TdxWithEventLog { .. } => None,
			};
			let stored = match &collateral {
				ChainCollateral::Tdx(c) => StoredCollateral::Tdx(c),
				ChainCollateral::Snp(c) => StoredCollateral::Snp(c.as_ref(), known),
			};
			let verified = tee_verifier::verify_with_stored(evidence, &anchors, stored, now)
				.map_err(|e| {
					log::info!(target: LOG_TARGET, "evidence rejected: {e}");
					Error::<T>::EvidenceRejected
				})?;
			let policy = Policy::<T>::get();
			policy.evidence.check(&verified).map_err(|v| {
				log::info!(target: LOG_TARGET, "{v}");
				Error::<T>::PolicyViolation
			})?;
			let release = Self::matching_release(&verified, claims)?;
			ensure!(
				verified.report_data() == &tee_verifier::report_data(claims),
				Error::<T>::ReportDataMismatch
			);
			let verified = match (verified, event_log) {
				(VerifiedClaims::Tdx(c), Some(log)) => tee_verifier::apply_event_log(c, log)
					.map(VerifiedClaims::Tdx)
					.map_err(|e| {
						log::info!(target: LOG_TARGET, "evidence rejected: {e}");
						Error::<T>::EventLogRejected
					})?,
				(verified, _) => verified,
			};
			tee_verifier::check_measured_system(claims, &verified).map_err(|e| {
				log::info!(target: LOG_TARGET, "{e}");
				Error::<T>::SystemNotMeasured
			})?;
			let expires_at = policy.evidence.attestation_expiry(&verified);
			ensure!(expires_at > now, Error::<T>::AlreadyExpired);
			let mut known_vek = false;
			if let VerifiedClaims::Snp(c) = &verified {
				known_vek = known == Some(c.known_vek);
				if !known_vek {
					Self::remember_vek(c.known_vek, c.certs_expire_at);
				}
			}
			Ok(Accepted {
				claims: verified,
				release,
				expires_at,
				verified_at: now,
				known_vek,
			})
		}

		/// The remembered chain of a VEK certificate at the block's time (see `known_vek`).
		#[cfg(test)]
		pub(crate) fn known_vek_for(vek_der: &[u8]) -> Option<tee_verifier::KnownVek> {
			Self::known_vek(vek_der, Self::now_secs())
		}

		/// The remembered chain of a VEK certificate, unless it expired (then it is dropped).
		fn known_vek(vek_der: &[u8], now: u64) -> Option<tee_verifier::KnownVek> {
			let key = tee_verifier::KnownVek::vek_hash(vek_der);
			let (known, expires_at) = KnownVeks::<T>::get(key)?;
			if expires_at <= now {
				KnownVeks::<T>::remove(key);
				return None;
			}
			Some(known)
		}

		/// Remember a VEK whose chain just verified, while there is room.
		fn remember_vek(known: tee_verifier::KnownVek, expires_at: u64) {
			if KnownVeks::<T>::count() < T::MaxWorkers::get()
				|| KnownVeks::<T>::contains_key(known.vek_sha256)
			{
				KnownVeks::<T>::insert(known.vek_sha256, (known, expires_at));
			}
		}

		/// The stored collateral the evidence needs.
		fn collateral_for(
			evidence: &Evidence,
			anchors: &tee_verifier::TrustAnchors,
		) -> Result<ChainCollateral, Error<T>> {
			match evidence {
				Evidence::Tdx { quote } | Evidence::TdxWithEventLog { quote, .. } => {
					// The quote's FMSPC selects the TCB Info, its PCK CA the PCK CRL.
					let selector = tee_verifier::tdx::collateral_selector(quote).map_err(|e| {
						log::info!(target: LOG_TARGET, "evidence rejected: {e}");
						Error::<T>::EvidenceRejected
					})?;
					let pck_ca = selector.pck_ca.ok_or(Error::<T>::EvidenceRejected)?;
					let parts = (
						TdxTcbInfo::<T>::get(selector.fmspc),
						TdxQeIdentity::<T>::get(),
						TdxPckCrl::<T>::get(pck_ca),
						TdxRootCaCrl::<T>::get(),
					);
					let (Some(tcb), Some(qe), Some(pck_crl), Some(root_crl)) = parts else {
						return Err(Error::<T>::NoCollateral);
					};
					VerifiedTdxCollateral::from_parts(&tcb, &qe, &pck_crl, &root_crl)
						.map(ChainCollateral::Tdx)
						.map_err(|e| {
							log::info!(target: LOG_TARGET, "evidence rejected: {e}");
							Error::<T>::EvidenceRejected
						})
				}
				// The CRL of the product whose key issued the VEK (none: no revocation check,
				// which the claims record).
				Evidence::Snp { report, vek_der } => Ok(ChainCollateral::Snp(
					tee_verifier::snp::product_of(report, vek_der, anchors)
						.ok()
						.and_then(|product| SnpCrls::<T>::get(product)),
				)),
			}
		}

		/// The active release whose measurements, system hash and services root match.
		fn matching_release(
			verified: &VerifiedClaims,
			claims: &tee_verifier::Claims,
		) -> Result<ReleaseId, Error<T>> {
			let mut retired_match = false;
			for (id, release) in Releases::<T>::iter() {
				let measured = match verified {
					VerifiedClaims::Tdx(c) => {
						release.tdx.as_ref().is_some_and(|m| {
							let [rtmr0, rtmr1, rtmr2, _] = &c.rtmr;
							m.mrtd == c.mr_td
								&& &m.rtmr0 == rtmr0 && &m.rtmr1 == rtmr1
								&& &m.rtmr2 == rtmr2
						}) && release.tdx_pins.admit(c)
					}
					VerifiedClaims::Snp(c) => {
						release.snp_measurement == Some(c.measurement) && release.snp_pins.admit(c)
					}
				};
				if measured
					&& release.system_hashes.contains(&claims.system_hash)
					&& (release.services_roots.is_empty()
						|| release.services_roots.contains(&claims.services_root))
				{
					match release.status {
						ReleaseStatus::Active => return Ok(id),
						ReleaseStatus::Retired => retired_match = true,
					}
				}
			}
			Err(if retired_match {
				Error::<T>::RetiredRelease
			} else {
				Error::<T>::UnknownRelease
			})
		}

		/// Writes the worker record and the accepted evidence. `last_anchor` is the anchor
		/// block of the latest accepted registration (callers already hold it).
		fn record(
			who: &T::AccountId,
			evidence: Evidence,
			claims: tee_verifier::Claims,
			accepted: Accepted,
			registered_at: BlockNumberFor<T>,
			last_anchor: u32,
		) {
			let now = frame_system::Pallet::<T>::block_number();
			let (platform, tcb_status, advisory_ids) = match &accepted.claims {
				VerifiedClaims::Tdx(c) => (
					PlatformId::Tdx { fmspc: c.fmspc },
					Some(c.tcb_status),
					c.advisory_ids.clone(),
				),
				VerifiedClaims::Snp(c) => (
					PlatformId::Snp {
						product: c.product,
						chip_id: c.chip_id,
					},
					None,
					Default::default(),
				),
			};
			let info = WorkerInfo {
				tee: accepted.claims.tee(),
				release: accepted.release,
				x25519: claims.x25519,
				platform,
				tcb_status,
				advisory_ids,
				system_hash: claims.system_hash,
				services_root: claims.services_root,
				registered_at,
				attested_at: now,
				expires_at: accepted.expires_at,
				status: WorkerStatus::Active,
				evidence_hash: blake2_256(&evidence.encode()),
				last_anchor,
				rules_epoch: RulesEpoch::<T>::get(),
			};
			Workers::<T>::insert(who, info);
			AcceptedEvidence::<T>::insert(
				who,
				EvidenceRecord {
					evidence,
					claims,
					verified_at: accepted.verified_at,
					block: now,
				},
			);
		}

		/// Removes `who` from the deadline bucket of block `deadline`.
		fn forget_deadline(who: &T::AccountId, deadline: BlockNumberFor<T>) {
			Deadlines::<T>::mutate_exists(deadline, |bucket| {
				if let Some(accounts) = bucket {
					accounts.retain(|a| a != who);
					if accounts.is_empty() {
						*bucket = None;
					}
				}
			});
		}

		/// Marks the workers whose deadline was block `n - 1` and who did not answer as
		/// lapsed: the deadline block is inclusive, so a worker may still answer in it (its
		/// extrinsics run after this block's `on_initialize`). Returns how many lapsed.
		fn lapse_overdue(n: BlockNumberFor<T>) -> u32 {
			if n.is_zero() {
				return 0;
			}
			let overdue = n.saturating_sub(One::one());
			let mut lapsed: u32 = 0;
			for who in Deadlines::<T>::take(overdue) {
				if PendingRequests::<T>::take(&who).is_some() {
					Workers::<T>::mutate(&who, |w| {
						if let Some(w) = w {
							w.status = WorkerStatus::Lapsed;
						}
					});
					lapsed = lapsed.saturating_add(1);
					Self::deposit_event(Event::WorkerLapsed { worker: who });
				}
			}
			lapsed
		}

		/// Examines up to `MaxScansPerBlock` workers (continuing where the last block stopped)
		/// and asks those expiring within `request_lead_secs`, and those verified under an older
		/// `RulesEpoch`, to re-attest, at most `MaxRequestsPerBlock` per block. A worker already
		/// expired without a request lapses. Every Active worker of an older epoch is asked
		/// within ceil(MaxScans / MaxRequests) laps of ceil(workers / MaxScans) + 1 blocks.
		/// Returns (examined, requested).
		fn request_reattestations(n: BlockNumberFor<T>) -> (u32, u32) {
			let policy = Policy::<T>::get();
			let epoch = RulesEpoch::<T>::get();
			let now = Self::now_secs();
			// The timestamp of the previous block; zero only before the first block.
			if now == 0 {
				return (0, 0);
			}
			let deadline = n.saturating_add(BlockNumberFor::<T>::from(policy.response_window));
			let parent = frame_system::Pallet::<T>::parent_hash();
			let mut iter = match ScanCursor::<T>::get() {
				Some(key) => Workers::<T>::iter_from(key.into_inner()),
				None => Workers::<T>::iter(),
			};
			let mut scanned: u32 = 0;
			let mut requested: u32 = 0;
			let mut last_key = None;
			let mut bucket = Deadlines::<T>::get(deadline);
			while scanned < T::MaxScansPerBlock::get() {
				let Some((who, mut info)) = iter.next() else {
					last_key = None;
					break;
				};
				scanned = scanned.saturating_add(1);
				last_key = Some(Workers::<T>::hashed_key_for(&who));
				if info.status != WorkerStatus::Active {
					continue;
				}
				if info.expires_at <= now {
					info.status = WorkerStatus::Lapsed;
					Workers::<T>::insert(&who, info);
					Self::deposit_event(Event::WorkerLapsed { worker: who });
					continue;
				}
				let expiring = info.expires_at <= now.saturating_add(policy.request_lead_secs);
				let under_old_rules = info.rules_epoch != epoch;
				if !(expiring || under_old_rules) || requested >= T::MaxRequestsPerBlock::get() {
					continue;
				}
				if bucket.try_push(who.clone()).is_err() {
					continue;
				}
				let nonce = blake2_256(&(b"tee-attest/request", parent, &who).encode());
				PendingRequests::<T>::insert(
					&who,
					Request {
						nonce,
						issued_at: n,
						deadline,
					},
				);
				info.status = WorkerStatus::Pending;
				Workers::<T>::insert(&who, info);
				requested = requested.saturating_add(1);
				Self::deposit_event(Event::AttestationRequested {
					worker: who,
					nonce,
					deadline,
				});
			}
			if requested > 0 {
				Deadlines::<T>::insert(deadline, bucket);
			}
			match last_key.and_then(|k| BoundedVec::try_from(k).ok()) {
				Some(key) => ScanCursor::<T>::put(key),
				None => ScanCursor::<T>::kill(),
			}
			(scanned, requested)
		}

		/// Starts a new rules epoch: every worker verified under the old policy or anchors is
		/// asked to re-attest by the expiry scan.
		fn new_rules_epoch() {
			RulesEpoch::<T>::mutate(|e| *e = e.wrapping_add(1));
		}

		/// Drops what was verified under a root that `new` no longer holds, so it cannot be
		/// used and a replacement can be uploaded: the Intel parts when the Intel root
		/// changes, a product's AMD CRL when its ARK changes, and the remembered VEK chains
		/// when any AMD anchor changes.
		fn drop_collateral_of_replaced_roots(
			old: &tee_verifier::TrustAnchors,
			new: &tee_verifier::TrustAnchors,
		) {
			if old.intel_root_ca != new.intel_root_ca {
				let _ = TdxTcbInfo::<T>::clear(MAX_TCB_INFOS_DROPPED, None);
				let _ = TdxPckCrl::<T>::clear(MAX_PCK_CAS, None);
				TdxQeIdentity::<T>::kill();
				TdxRootCaCrl::<T>::kill();
			}
			for product in SnpProduct::ALL {
				let new_ark = new
					.amd
					.iter()
					.find(|a| a.product == product)
					.map(|a| polkadot_sdk::sp_io::hashing::sha2_256(&a.ark));
				if SnpCrls::<T>::get(product).is_some_and(|crl| new_ark != Some(crl.ark_sha256())) {
					SnpCrls::<T>::remove(product);
				}
			}
			if old.amd != new.amd {
				let _ = KnownVeks::<T>::clear(T::MaxWorkers::get(), None);
			}
		}

		/// A policy `set_policy` and genesis accept: this encoding version, non-zero windows, a
		/// registration window shorter than the block hashes the chain keeps, and a non-zero
		/// validity.
		pub(crate) fn policy_is_valid(policy: &ChainPolicy) -> bool {
			let keeps: u32 = T::BlockHashCount::get().saturated_into();
			policy.evidence.version == tee_verifier::Policy::VERSION
				&& policy.response_window > 0
				&& policy.registration_window > 0
				&& policy.registration_window < keeps
				&& policy.evidence.attestation_validity_secs > 0
		}

		/// Validates and stores a release under the next id.
		pub(crate) fn insert_release(mut release: Release) -> Result<ReleaseId, Error<T>> {
			ensure!(
				(release.tdx.is_some() || release.snp_measurement.is_some())
					&& !release.system_hashes.is_empty(),
				Error::<T>::IncompleteRelease
			);
			ensure!(
				Releases::<T>::count() < T::MaxReleases::get(),
				Error::<T>::TooManyReleases
			);
			let id = NextReleaseId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::TooManyReleases)?;
			release.status = ReleaseStatus::Active;
			Releases::<T>::insert(id, release);
			NextReleaseId::<T>::put(next);
			Ok(id)
		}

		/// Verifies collateral against the trust anchors at `now` and stores what is newer.
		pub(crate) fn store_collateral(collateral: Collateral, now: u64) -> DispatchResult {
			let anchors = TrustAnchors::<T>::get();
			let rejected = |e: tee_verifier::VerifyError| {
				log::info!(target: LOG_TARGET, "collateral rejected: {e}");
				Error::<T>::CollateralRejected
			};
			if let Collateral::Tdx(c) = collateral {
				let parts = VerifiedTdxCollateral::verify_parts(c, &anchors, now)
					.map_err(|e| rejected(e.into()))?;
				return Self::store_tdx_parts(parts);
			}
			let (Stored::Snp(crls), _) =
				tee_verifier::verify_for_storage(collateral, &anchors, now).map_err(rejected)?
			else {
				return Err(Error::<T>::CollateralRejected.into());
			};
			Self::store_amd_crls(crls)
		}

		/// Adds verified AMD CRLs to their products' revocations (the union under the same ARK,
		/// see `VerifiedAmdCrl::merged_into`; a CRL under a replaced ARK is replaced), in upload
		/// order; refused if nothing changes. A new serial starts a new rules epoch.
		fn store_amd_crls(crls: Vec<VerifiedAmdCrl>) -> DispatchResult {
			// What each product's stored CRL becomes, in upload order (a product's VCEK and
			// VLEK CRLs may come together).
			let mut newer: Vec<VerifiedAmdCrl> = Vec::new();
			let mut revoked_more = false;
			for crl in crls {
				let product = crl.product();
				let pending = newer.iter().position(|c| c.product() == product);
				let current = match pending {
					Some(i) => newer.get(i).cloned(),
					None => SnpCrls::<T>::get(product),
				};
				let updated = match current {
					// Under the same ARK: the union (no upload removes a revocation).
					Some(old) if old.ark_sha256() == crl.ark_sha256() => {
						match crl.merged_into(&old).map_err(|e| {
							log::info!(target: LOG_TARGET, "collateral rejected: {e}");
							Error::<T>::CollateralRejected
						})? {
							CrlMerge::Unchanged => continue,
							CrlMerge::Updated(merged) => {
								revoked_more |= merged.revoked_count() > old.revoked_count();
								merged
							}
						}
					}
					// None yet, or one under a replaced ARK (never applies again).
					_ => {
						revoked_more |= crl.revoked_count() > 0;
						crl
					}
				};
				match pending.and_then(|i| newer.get_mut(i)) {
					Some(slot) => *slot = updated,
					None => newer.push(updated),
				}
			}
			ensure!(!newer.is_empty(), Error::<T>::CollateralNotNewer);
			// Workers verified before a revocation was known re-attest.
			if revoked_more {
				Self::new_rules_epoch();
			}
			for crl in newer {
				Self::deposit_event(Event::AmdCrlUpdated {
					product: crl.product(),
					this_update: crl.this_update(),
					next_update: crl.next_update(),
					revoked: u32::try_from(crl.revoked_count()).unwrap_or(u32::MAX),
				});
				SnpCrls::<T>::insert(crl.product(), crl);
			}
			Ok(())
		}

		/// Stores the parts of a verified TDX bundle: refused if any part is older than the
		/// stored part of its kind (a stored part verified under another Intel root counts as
		/// absent: it is unusable); otherwise every newer part replaces its stored one, and a
		/// bundle with nothing newer is refused.
		fn store_tdx_parts(parts: TdxCollateralParts) -> DispatchResult {
			let TdxCollateralParts {
				fmspc,
				pck_ca,
				tcb_info,
				qe_identity,
				pck_crl,
				root_ca_crl,
				..
			} = parts;
			let root = tcb_info.root_sha256();
			let old_pck_crl = usable(TdxPckCrl::<T>::get(pck_ca), root);
			let old_root_ca_crl = usable(TdxRootCaCrl::<T>::get(), root);
			let stored = [
				usable(TdxTcbInfo::<T>::get(fmspc), root).map(|p| p.freshness()),
				usable(TdxQeIdentity::<T>::get(), root).map(|p| p.freshness()),
				old_pck_crl.as_ref().map(|p| p.freshness()),
				old_root_ca_crl.as_ref().map(|p| p.freshness()),
			];
			let new = [
				tcb_info.freshness(),
				qe_identity.freshness(),
				pck_crl.freshness(),
				root_ca_crl.freshness(),
			];
			let mut update = [false; 4];
			for ((new, old), update) in new.iter().zip(stored.iter()).zip(update.iter_mut()) {
				match old {
					Some(old) if new.is_older_than(old) => {
						return Err(Error::<T>::CollateralRollback.into())
					}
					Some(old) => *update = new.is_newer_than(old),
					None => *update = true,
				}
			}
			ensure!(update.contains(&true), Error::<T>::CollateralNotNewer);
			let [tcb, qe, pck, root_crl] = update;
			// A TCB recovery (a higher evaluation number) or a CRL listing a new serial changes
			// what the chain's workers were verified against: they re-attest.
			let [old_tcb, old_qe, ..] = stored;
			let recovery = |old: Option<Freshness>, new: Freshness| {
				old.is_some_and(|old| new.evaluation_data_number > old.evaluation_data_number)
			};
			let new_revocations = || {
				old_pck_crl
					.as_ref()
					.is_some_and(|old| pck_crl.part().adds_revocations_to(old.part()))
					|| old_root_ca_crl.as_ref().is_some_and(|old| {
						tee_verifier::tdx::crl_adds_revocations(old.part(), root_ca_crl.part())
					})
			};
			if (tcb && recovery(old_tcb, tcb_info.freshness()))
				|| (qe && recovery(old_qe, qe_identity.freshness()))
				|| ((pck || root_crl) && new_revocations())
			{
				Self::new_rules_epoch();
			}
			let updated = |part, freshness| {
				Self::deposit_event(Event::TdxCollateralUpdated { part, freshness })
			};
			if tcb {
				updated(TdxPart::TcbInfo { fmspc }, tcb_info.freshness());
				TdxTcbInfo::<T>::insert(fmspc, tcb_info);
			}
			if qe {
				updated(TdxPart::QeIdentity, qe_identity.freshness());
				TdxQeIdentity::<T>::put(qe_identity);
			}
			if pck {
				updated(TdxPart::PckCrl { ca: pck_ca }, pck_crl.freshness());
				TdxPckCrl::<T>::insert(pck_ca, pck_crl);
			}
			if root_crl {
				updated(TdxPart::RootCaCrl, root_ca_crl.freshness());
				TdxRootCaCrl::<T>::put(root_ca_crl);
			}
			Ok(())
		}

		/// Invariants: every Active worker has an unexpired attestation and its evidence; every
		/// pending request belongs to a Pending worker and sits in its deadline bucket; the
		/// counters match the maps.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let now = Self::now_secs();
			let mut workers: u32 = 0;
			for (who, w) in Workers::<T>::iter() {
				workers = workers.saturating_add(1);
				ensure!(
					AcceptedEvidence::<T>::contains_key(&who),
					"worker without evidence"
				);
				ensure!(
					Releases::<T>::contains_key(w.release),
					"worker with unknown release"
				);
				if w.status == WorkerStatus::Active {
					// Expiry is detected by the scan, at most one full scan late.
					ensure!(
						w.expires_at > now || ScanCursor::<T>::exists() || now == 0,
						"active worker with expired attestation"
					);
				}
				ensure!(
					(w.status == WorkerStatus::Pending) == PendingRequests::<T>::contains_key(&who),
					"pending status and pending request disagree"
				);
			}
			ensure!(workers == Workers::<T>::count(), "worker counter mismatch");
			let mut pending: u32 = 0;
			for (who, r) in PendingRequests::<T>::iter() {
				pending = pending.saturating_add(1);
				ensure!(
					Workers::<T>::contains_key(&who),
					"request for an unknown worker"
				);
				ensure!(
					Deadlines::<T>::get(r.deadline).contains(&who),
					"request not in its bucket"
				);
			}
			ensure!(
				pending == PendingRequests::<T>::count(),
				"request counter mismatch"
			);
			ensure!(
				Releases::<T>::iter_keys().count() as u32 == Releases::<T>::count(),
				"release counter mismatch"
			);
			Ok(())
		}
	}
}
