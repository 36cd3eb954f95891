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
//! anyone may `evict` it. Successful attestations are free; failed ones pay the full fee. A
//! registration holds `WorkerDeposit` until the worker leaves (`deregister`, `evict`, pruning).
//!
//! Collateral (Intel TCB Info, QE Identity and CRLs; AMD CRLs) is uploaded by anyone and kept
//! only when it verifies against the trust anchors and is newer than what is stored.
//!
//! Dev chains differ only in genesis: they trust the `mock-tee` roots instead of Intel's and
//! AMD's. There is one verification path.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod collateral;
mod governance;
mod invariants;
mod migrations;
mod proofs;
mod reattestation;
mod releases;
pub mod types;
mod verification;
pub mod weights;
mod workers;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_deposits;
#[cfg(test)]
mod tests_lifecycle;
#[cfg(test)]
mod tests_platforms;
#[cfg(test)]
mod tests_proofs;
#[cfg(test)]
mod tests_pruning;

pub use reattestation::request_nonce;
pub use types::*;
pub use verification::event_log_len;
pub use weights::WeightInfo;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::attestation";

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use polkadot_sdk::{
		frame_support::{
			dispatch::DispatchResultWithPostInfo,
			pallet_prelude::*,
			traits::{fungible, UnixTime},
		},
		frame_system::pallet_prelude::*,
		sp_runtime::{traits::Zero, Perbill},
	};
	use tee_verifier::{
		snp::VerifiedAmdCrl,
		tdx::{
			Freshness, PckCa, PckCrlPart, QeIdentityPart, RootCaCrlPart, TcbInfoPart, VerifiedPart,
		},
		Collateral, Evidence, SnpProduct,
	};

	/// The in-code storage version.
	/// Version 5: the count of workers per machine (`PlatformWorkers`); TDX workers record
	/// their machine (`PlatformId::Tdx` with the PPID).
	/// Version 4: the release index (`ReleaseIndex`), the count of workers per release
	/// (`ReleaseWorkers`) and the pruning of lapsed workers (`PruneQueue`).
	/// Version 3: policy v2 (`tee_verifier::Policy::VERSION` 2), release pins, the workers'
	/// rules epoch (see `migrations`).
	/// Version 2: Intel collateral is stored as four parts (`TdxTcbInfo`, `TdxQeIdentity`,
	/// `TdxPckCrl`, `TdxRootCaCrl`) instead of whole bundles by FMSPC (`TdxCollateral`), and
	/// AMD CRLs verified, one per product (`SnpCrls`), instead of one DER list
	/// (`SnpCollateral`).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(5);

	/// Most workers that lapse in one block: the deadline bucket (`MaxRequestsPerBlock`) plus
	/// the expiry scan (`MaxScansPerBlock`). Bounds a `PruneQueue` entry.
	pub struct MaxLapsesPerBlock<T>(PhantomData<T>);

	impl<T: Config> Get<u32> for MaxLapsesPerBlock<T> {
		fn get() -> u32 {
			T::MaxRequestsPerBlock::get().saturating_add(T::MaxScansPerBlock::get())
		}
	}

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The balance type of the deposits (`Config::Currency`'s).
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
	>>::Balance;

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A registered worker's deposit (`Config::WorkerDeposit`), held from registration
		/// until the worker deregisters, is evicted or is pruned.
		#[codec(index = 0)]
		WorkerDeposit,
	}

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

		/// Largest number of registered workers on one machine (TDX: the PCK certificate's
		/// PPID; SNP: the chip), so that one host cannot take the registry's slots.
		#[pallet::constant]
		type MaxWorkersPerPlatform: Get<u32>;

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

		/// Most TDX TCB Infos (platform families, FMSPC) the chain keeps. Anyone may upload
		/// one Intel signed; expired ones are removed by `on_idle`.
		#[pallet::constant]
		type MaxTcbInfos: Get<u32>;

		/// Blocks a lapsed worker stays registered (visible, and able to register again
		/// in place) before the pallet removes it by itself, freeing its slot.
		#[pallet::constant]
		type LapsedGracePeriod: Get<BlockNumberFor<Self>>;

		/// The runtime's hold reasons (the deposit is held as `HoldReason::WorkerDeposit`).
		type RuntimeHoldReason: From<HoldReason>;

		/// Where registration deposits are held (`pallet_balances`).
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;

		/// Held from a worker's account while it is registered, so that a slot is never free:
		/// returned on `deregister`, on pruning, and on `evict` less the evictor's reward.
		#[pallet::constant]
		type WorkerDeposit: Get<BalanceOf<Self>>;

		/// The part of a worker's deposit paid to whoever `evict`s it (the rest returns to the
		/// worker): evicting a lapsed worker pays for itself.
		#[pallet::constant]
		type EvictionReward: Get<Perbill>;

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

	/// The releases with given measurements, by `releases::tdx_measurement_key` (MRTD, RTMR0-2)
	/// or `releases::snp_measurement_key` (launch measurement): verified evidence finds its
	/// release with one read of this index and at most `MAX_RELEASES_PER_MEASUREMENT` release
	/// reads, however many releases the chain holds.
	#[pallet::storage]
	pub type ReleaseIndex<T> = StorageMap<
		_,
		Identity,
		[u8; 32],
		BoundedVec<ReleaseId, ConstU32<MAX_RELEASES_PER_MEASUREMENT>>,
		ValueQuery,
	>;

	/// The registered workers (of any status) whose last accepted attestation carries a
	/// services root: a proof about the root names the attested ones among them. At most
	/// `MAX_WORKERS_PER_ROOT` are listed; a root shared by more lists the first ones, and a
	/// place freed is taken by the next unlisted worker to attest (`workers::join_root`).
	#[pallet::storage]
	pub type RootWorkers<T: Config> = StorageMap<
		_,
		Identity,
		[u8; 32],
		BoundedVec<T::AccountId, ConstU32<MAX_WORKERS_PER_ROOT>>,
		ValueQuery,
	>;

	/// How many registered workers (of any status) run on each machine, by
	/// `PlatformId::machine_key`; absent for none. At most `MaxWorkersPerPlatform` are admitted
	/// (a lower limit set later leaves those above it registered until they leave).
	#[pallet::storage]
	pub type PlatformWorkers<T> = StorageMap<_, Identity, [u8; 32], u32, ValueQuery>;

	/// How many registered workers (of any status) run each release; absent for none. A
	/// release is removed only when no worker runs it.
	#[pallet::storage]
	pub type ReleaseWorkers<T> = StorageMap<_, Twox64Concat, ReleaseId, u32, ValueQuery>;

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
	/// The TCB Info of each platform family (FMSPC), at most `MaxTcbInfos`; removed by
	/// `on_idle` once expired (it can verify nothing then).
	#[pallet::storage]
	pub type TdxTcbInfo<T> =
		CountedStorageMap<_, Blake2_128Concat, [u8; 6], VerifiedPart<TcbInfoPart>>;

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
	/// verification simply stays complete. Expired entries are dropped when looked up, and by
	/// `on_idle`.
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

	/// Lapsed workers the pallet removes in the given block (`LapsedGracePeriod` after they
	/// lapsed), each with the block it lapsed in; removed only if it is still lapsed since.
	#[pallet::storage]
	pub type PruneQueue<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<(T::AccountId, BlockNumberFor<T>), MaxLapsesPerBlock<T>>,
		ValueQuery,
	>;

	/// Where the expiry scan of `on_initialize` continues (raw storage key of the last worker
	/// examined); `None` starts from the beginning.
	#[pallet::storage]
	pub type ScanCursor<T> = StorageValue<_, BoundedVec<u8, ConstU32<128>>>;

	/// Where `on_idle`'s removal of expired TCB Infos continues (raw storage key of the last
	/// entry examined); `None` starts from the beginning.
	#[pallet::storage]
	pub type TcbInfoCursor<T> = StorageValue<_, BoundedVec<u8, ConstU32<128>>>;

	/// Where `on_idle`'s removal of expired remembered VEKs continues, as `TcbInfoCursor`.
	#[pallet::storage]
	pub type KnownVekCursor<T> = StorageValue<_, BoundedVec<u8, ConstU32<128>>>;

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
		/// A lapsed or expired worker was removed by `evict`; its deposit went back to it less
		/// the evictor's reward.
		WorkerEvicted {
			/// The worker's account.
			worker: T::AccountId,
			/// Who evicted it.
			evictor: T::AccountId,
			/// What the evictor got from the worker's deposit.
			reward: BalanceOf<T>,
		},
		/// A worker left by `deregister`; its deposit went back to it.
		WorkerDeregistered {
			/// The worker's account.
			worker: T::AccountId,
		},
		/// A worker lapsed for `LapsedGracePeriod` blocks was removed by the pallet.
		WorkerPruned {
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
		/// A release was retired: the expiry scan asks each of its workers to re-attest
		/// (`AttestationRequested`); a worker that cannot prove an active release lapses.
		ReleaseRetired {
			/// Its id.
			id: ReleaseId,
			/// How many registered workers run it.
			workers: u32,
		},
		/// A retired release no worker ran was removed.
		ReleaseRemoved {
			/// Its id.
			id: ReleaseId,
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
		/// A retired circuit was removed.
		CircuitRemoved {
			/// SHA-256 of its verification key.
			circuit: CircuitId,
			/// The flavour.
			flavour: zk_verifier::Flavour,
		},
		/// A proof showed that a service of the services tree `services_root` signed a
		/// response. The statement is about the root: every worker attesting that root is named
		/// (one, unless a release pins roots shared by several workers). It is a statement, not
		/// a receipt: the same proof submitted again states the same thing again.
		ServiceResponseProven {
			/// The services root the proof's statement names.
			services_root: [u8; 32],
			/// SHA-256 of the response.
			response_hash: [u8; 32],
			/// SHA-256 of the service's name.
			service_key: [u8; 32],
			/// The circuit the proof verified under.
			circuit: CircuitId,
			/// The workers attested (Active or Pending, unexpired) with that root at this block,
			/// among those listed in `RootWorkers` (all of them unless more than
			/// `MAX_WORKERS_PER_ROOT` share the root).
			workers: BoundedVec<T::AccountId, ConstU32<MAX_WORKERS_PER_ROOT>>,
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
		/// `MAX_RELEASES_PER_MEASUREMENT` releases already have these measurements.
		TooManyReleasesPerMeasurement,
		/// Only a retired release can be removed.
		ReleaseActive,
		/// A registered worker still runs the release (it is removed once its workers
		/// re-attested under another release, or were evicted or pruned).
		ReleaseInUse,
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
		/// A TCB Info of a new platform family while `MaxTcbInfos` are stored (expired ones
		/// are removed by `on_idle`).
		TooManyTcbInfos,
		/// `MaxWorkersPerPlatform` workers already run on the evidence's machine.
		TooManyWorkersOnPlatform,
		/// A new worker's account cannot put `WorkerDeposit` on hold (its free balance, less
		/// the existential deposit, is smaller).
		DepositUnavailable,
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
		/// Only a retired circuit can be removed.
		CircuitActive,
		/// The public inputs do not encode a service-response statement.
		BadStatement,
		/// No attested worker (Active or Pending, unexpired) has the statement's services root.
		RootNotAttested,
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
			let pruned = Self::prune_lapsed(n);
			let lapsed = Self::lapse_overdue(n);
			let (scanned, requested) = Self::request_reattestations(n);
			T::WeightInfo::prune_lapsed(pruned)
				.saturating_add(T::WeightInfo::lapse_overdue(lapsed))
				.saturating_add(T::WeightInfo::expiry_scan(scanned, requested))
		}

		/// Removes expired TCB Infos and remembered VEKs with the block's spare weight, at most
		/// `MAX_COLLATERAL_PRUNES` of each per block.
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune_expired_collateral(remaining)
		}

		/// Upgrades storage from version 1, 2, 3 or 4 (see `migrations`).
		fn on_runtime_upgrade() -> Weight {
			let on_chain = StorageVersion::get::<Pallet<T>>();
			let mut weight = T::DbWeight::get().reads(1);
			if on_chain >= STORAGE_VERSION {
				return weight;
			}
			if on_chain < 2 {
				weight = weight.saturating_add(crate::migrations::to_v2::<T>());
			}
			if on_chain < 3 {
				weight = weight.saturating_add(crate::migrations::to_v3::<T>());
			}
			if on_chain < 4 {
				weight = weight.saturating_add(crate::migrations::to_v4::<T>());
			}
			weight = weight.saturating_add(crate::migrations::to_v5::<T>());
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
			assert!(
				!T::LapsedGracePeriod::get().is_zero(),
				"LapsedGracePeriod must be positive"
			);
			Self::check_weights_fit();
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
			Self::do_register_worker(who, *evidence, claims)
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
			Self::do_submit_attestation(who, *evidence, claims)
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
			Self::do_set_policy(policy)
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

		/// Retire a release: no new attestation may use it, and the expiry scan asks every
		/// worker running it to re-attest (`AttestationRequested`; it lapses unless it proves
		/// an active release). The call's cost does not depend on the number of workers.
		///
		/// - Origin: `GovernanceOrigin`.
		///
		/// Emits `ReleaseRetired`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::retire_release())]
		pub fn retire_release(origin: OriginFor<T>, id: ReleaseId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_retire_release(id)
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
			Self::do_set_trust_anchors(*anchors)
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
			let evictor = ensure_signed(origin)?;
			Self::do_evict(evictor, worker)
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
			Self::do_retire_circuit(circuit, flavour)
		}

		/// Prove that a service inside an attested worker's image signed a response: verifies
		/// `proof` (UltraHonk, `flavour`) under the registered `circuit` with `public_inputs`
		/// (services root, response hash halves, service key halves). At least one worker must
		/// attest the statement's services root (`Active`, or `Pending` while its
		/// re-attestation is outstanding, and unexpired); the event names every one.
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
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_submit_proof(circuit, flavour, &proof, &public_inputs)
		}

		/// Remove a retired release that no registered worker runs, freeing its place under
		/// `MaxReleases` (ids are never reused).
		///
		/// - Origin: `GovernanceOrigin`.
		///
		/// Emits `ReleaseRemoved`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::remove_release())]
		pub fn remove_release(origin: OriginFor<T>, id: ReleaseId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_remove_release(id)
		}

		/// Remove a retired circuit, freeing its place under `MaxCircuits`.
		///
		/// - Origin: `GovernanceOrigin`.
		///
		/// Emits `CircuitRemoved`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::remove_circuit())]
		pub fn remove_circuit(
			origin: OriginFor<T>,
			circuit: CircuitId,
			flavour: zk_verifier::Flavour,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_remove_circuit(circuit, flavour)
		}

		/// Leave the registry: the signer's worker record, evidence and request are removed
		/// and its deposit returned, whatever its status.
		///
		/// - Origin: the worker's account.
		///
		/// Emits `WorkerDeregistered`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::deregister())]
		pub fn deregister(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who)
		}
	}
}
