//! Benchmarks of every call and the hook, on the production verification path with REAL
//! evidence: the TDX quote `tdx-v4-uptodate` (full DCAP with on-chain collateral) and the
//! SEV-SNP report `snp-milan-v2` (VCEK chain to AMD's Milan ARK), from `testvectors/`.
//!
//! A real quote's REPORT_DATA cannot commit to claims chosen here, so the attestation
//! benchmarks run the call through every check (signatures, chains, collateral, TCB level,
//! policy, release lookup over `MaxReleases` releases) and end at the binding check with
//! `ReportDataMismatch`; the storage writes of the success path (worker record and evidence)
//! are added to those weights in `weights.rs` from the database weights.

use super::*;
use alloc::{boxed::Box, vec, vec::Vec};
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{Get, Hooks},
		BoundedVec,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor, RawOrigin},
	sp_runtime::traits::{One, Zero},
};
use tee_verifier::{Claims, Evidence, Purpose, VerifiedClaims};

/// Sets the chain's clock for benchmarks (the runtime implements it with its timestamp pallet).
pub trait BenchmarkHelper {
	/// Makes `UnixTime::now()` return `secs`.
	fn set_unix_time(secs: u64);
}

const TDX_QUOTE: &[u8] = include_bytes!("../../../testvectors/tdx/tdx-v4-uptodate/quote.bin");
const TDX_NOW: u64 = 1_752_919_234;
/// SCALE of the `tee_verifier::Collateral` of `tdx-v4-uptodate` (generated from its
/// collateral.json by the test `benchmark_fixtures_are_current`).
const TDX_COLLATERAL: &[u8] = include_bytes!("../fixtures/tdx-v4-uptodate.collateral.scale");
/// SCALE of the real trust anchors (Intel SGX Root CA; AMD Milan/Genoa/Turin ARK/ASK/ASVK).
const REAL_ANCHORS: &[u8] = include_bytes!("../fixtures/real-trust-anchors.scale");

const SNP_REPORT: &[u8] = include_bytes!("../../../testvectors/snp/snp-milan-v2/report.bin");
const SNP_VEK: &[u8] = include_bytes!("../../../testvectors/snp/snp-milan-v2/vek.der");
const SNP_NOW: u64 = 1_767_225_600;

fn anchors() -> tee_verifier::TrustAnchors {
	tee_verifier::TrustAnchors::decode(&mut &REAL_ANCHORS[..]).expect("valid fixture")
}

fn tdx_collateral() -> tee_verifier::Collateral {
	tee_verifier::Collateral::decode(&mut &TDX_COLLATERAL[..]).expect("valid fixture")
}

fn tdx_evidence() -> Evidence {
	Evidence::Tdx {
		quote: TDX_QUOTE.to_vec().try_into().expect("quote within bound"),
	}
}

fn snp_evidence() -> Evidence {
	Evidence::Snp {
		report: SNP_REPORT.to_vec().try_into().expect("report within bound"),
		vek_der: SNP_VEK
			.to_vec()
			.try_into()
			.expect("certificate within bound"),
	}
}

/// The service_response circuit's key and a real ZK proof of it, made with the INSECURE dev SRS
/// (`primitives/zk-verifier/tests/data`).
const VK: &[u8] = include_bytes!("../../../primitives/zk-verifier/tests/data/service_response/vk");
const PROOF: &[u8] =
	include_bytes!("../../../primitives/zk-verifier/tests/data/service_response/zk/proof");
const PROOF_INPUTS: &[u8] =
	include_bytes!("../../../primitives/zk-verifier/tests/data/service_response/zk/public_inputs");

fn circuit_vk() -> BoundedVec<u8, polkadot_sdk::sp_core::ConstU32<VK_LEN>> {
	BoundedVec::try_from(VK.to_vec()).expect("1888-byte key")
}

fn circuit_entry(vk: BoundedVec<u8, polkadot_sdk::sp_core::ConstU32<VK_LEN>>) -> Circuit {
	Circuit {
		name: BoundedVec::try_from(b"service_response".to_vec()).expect("short name"),
		status: CircuitStatus::Active,
		vk,
	}
}

/// The 32 bytes of an account id (its SCALE encoding).
fn account_bytes<T: Config>(who: &T::AccountId) -> [u8; 32] {
	let mut out = [0u8; 32];
	let encoded = who.encode();
	for (o, b) in out.iter_mut().zip(encoded.iter()) {
		*o = *b;
	}
	out
}

fn bytes32(fill: u8) -> [u8; 32] {
	[fill; 32]
}

/// Removes the releases a chain's genesis may hold (the dev chain has one), so every benchmark
/// sets up exactly the releases it describes.
fn clear_releases<T: Config>() {
	let _ = Releases::<T>::clear(u32::MAX, None);
	NextReleaseId::<T>::kill();
}

/// A release matching `verified`, preceded by `MaxReleases - 1` non-matching ones so the
/// lookup examines every release.
fn fill_releases<T: Config>(verified: &VerifiedClaims) {
	clear_releases::<T>();
	let filler = Release {
		name: BoundedVec::try_from(b"filler".to_vec()).expect("short name"),
		tdx: None,
		snp_measurement: Some([0xEE; 48]),
		system_hashes: BoundedVec::try_from(vec![bytes32(0xEE)]).expect("one hash"),
		services_roots: BoundedVec::try_from(vec![bytes32(0xEE)]).expect("one root"),
		status: ReleaseStatus::Active,
	};
	for _ in 1..T::MaxReleases::get() {
		Pallet::<T>::insert_release(filler.clone()).expect("within MaxReleases");
	}
	let mut release = filler;
	release.snp_measurement = None;
	release.system_hashes = BoundedVec::try_from(vec![bytes32(0x33)]).expect("one hash");
	release.services_roots = BoundedVec::try_from(vec![bytes32(0x44)]).expect("one root");
	match verified {
		VerifiedClaims::Tdx(c) => {
			let [rtmr0, rtmr1, rtmr2, _] = c.rtmr;
			release.tdx = Some(TdxMeasurements {
				mrtd: c.mr_td,
				rtmr0,
				rtmr1,
				rtmr2,
			});
		}
		VerifiedClaims::Snp(c) => release.snp_measurement = Some(c.measurement),
	}
	Pallet::<T>::insert_release(release).expect("within MaxReleases");
}

/// Removes every stored part of Intel's collateral.
fn clear_tdx_collateral<T: Config>() {
	let _ = TdxTcbInfo::<T>::clear(u32::MAX, None);
	let _ = TdxPckCrl::<T>::clear(u32::MAX, None);
	TdxQeIdentity::<T>::kill();
	TdxRootCaCrl::<T>::kill();
}

/// Chain state for verifying `evidence` at `now`: anchors, collateral, releases, a block
/// history for the anchor block; returns the claims of `who` (purpose `purpose`) and what the
/// evidence verifies to.
fn prepare<T: Config>(
	who: &T::AccountId,
	evidence: &Evidence,
	now: u64,
	purpose: Purpose,
) -> (Claims, VerifiedClaims) {
	T::BenchmarkHelper::set_unix_time(now);
	TrustAnchors::<T>::put(anchors());
	// Genesis collateral (the dev chain's mock platform may share the real quote's FMSPC and be
	// newer) must not stand in the way of the real collateral.
	clear_tdx_collateral::<T>();
	// Likewise the dev chain's AMD CRLs (signed by the dev ARKs, not the real ones).
	let _ = SnpCrls::<T>::clear(u32::MAX, None);
	let collateral = match evidence {
		Evidence::Tdx { .. } => {
			Pallet::<T>::store_collateral(tdx_collateral(), now).expect("real collateral verifies");
			tdx_collateral()
		}
		Evidence::Snp { .. } => tee_verifier::Collateral::Snp(Default::default()),
	};
	let verified = tee_verifier::verify(evidence, &anchors(), &collateral, now)
		.expect("real evidence verifies");
	fill_releases::<T>(&verified);
	let claims = Claims {
		genesis_hash: bytes32(0),
		purpose,
		account: account_bytes::<T>(who),
		x25519: bytes32(7),
		nonce: bytes32(0),
		anchor_block: 9,
		system_hash: bytes32(0x33),
		services_root: bytes32(0x44),
		gpu_digest: None,
	};
	let anchor = BlockNumberFor::<T>::from(9u32);
	frame_system::BlockHash::<T>::insert(BlockNumberFor::<T>::zero(), T::Hash::default());
	frame_system::BlockHash::<T>::insert(anchor, T::Hash::default());
	frame_system::Pallet::<T>::set_block_number(anchor + One::one());
	(claims, verified)
}

/// A registered worker record (with evidence) for `who`.
fn insert_worker<T: Config>(
	who: &T::AccountId,
	status: WorkerStatus,
	expires_at: u64,
	release: ReleaseId,
) {
	let info = WorkerInfo {
		tee: tee_verifier::Tee::Tdx,
		release,
		x25519: bytes32(7),
		platform: PlatformId::Tdx { fmspc: [0; 6] },
		tcb_status: Some(tee_verifier::TcbStatus::UpToDate),
		advisory_ids: Default::default(),
		system_hash: bytes32(0x33),
		services_root: bytes32(0x44),
		registered_at: Zero::zero(),
		attested_at: Zero::zero(),
		expires_at,
		status,
		evidence_hash: bytes32(1),
		last_anchor: 0,
	};
	Workers::<T>::insert(who, info);
	AcceptedEvidence::<T>::insert(
		who,
		EvidenceRecord {
			evidence: tdx_evidence(),
			claims: Claims {
				genesis_hash: bytes32(0),
				purpose: Purpose::Register,
				account: account_bytes::<T>(who),
				x25519: bytes32(7),
				nonce: bytes32(0),
				anchor_block: 0,
				system_hash: bytes32(0x33),
				services_root: bytes32(0x44),
				gpu_digest: None,
			},
			verified_at: 0,
			block: Zero::zero(),
		},
	);
}

/// `who` is a Pending worker (expiring 10 minutes after `now`) whose request `claims` answers.
fn awaiting_answer<T: Config>(who: &T::AccountId, claims: &Claims, now: u64) {
	insert_worker::<T>(who, WorkerStatus::Pending, now + 600, 0);
	PendingRequests::<T>::insert(
		who,
		Request {
			nonce: claims.nonce,
			issued_at: BlockNumberFor::<T>::from(9u32),
			deadline: frame_system::Pallet::<T>::block_number(),
		},
	);
}

fn expect_binding_mismatch<T: Config>(result: DispatchResultWithPostInfo) {
	let err = result.expect_err("a real quote cannot bind the benchmark's claims");
	assert_eq!(
		err.error,
		Error::<T>::ReportDataMismatch.into(),
		"failed before the binding"
	);
}

use polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_worker_tdx() {
		let who: T::AccountId = whitelisted_caller();
		let evidence = tdx_evidence();
		let (claims, _) = prepare::<T>(&who, &evidence, TDX_NOW, Purpose::Register);
		#[block]
		{
			expect_binding_mismatch::<T>(Pallet::<T>::register_worker(
				RawOrigin::Signed(who.clone()).into(),
				Box::new(evidence),
				claims,
			));
		}
	}

	#[benchmark]
	fn register_worker_snp() {
		let who: T::AccountId = whitelisted_caller();
		let evidence = snp_evidence();
		let (claims, _) = prepare::<T>(&who, &evidence, SNP_NOW, Purpose::Register);
		#[block]
		{
			expect_binding_mismatch::<T>(Pallet::<T>::register_worker(
				RawOrigin::Signed(who.clone()).into(),
				Box::new(evidence),
				claims,
			));
		}
	}

	#[benchmark]
	fn submit_attestation_tdx() {
		let who: T::AccountId = whitelisted_caller();
		let evidence = tdx_evidence();
		let (claims, _) = prepare::<T>(&who, &evidence, TDX_NOW, Purpose::Reattest);
		awaiting_answer::<T>(&who, &claims, TDX_NOW);
		#[block]
		{
			expect_binding_mismatch::<T>(Pallet::<T>::submit_attestation(
				RawOrigin::Signed(who.clone()).into(),
				Box::new(evidence),
				claims,
			));
		}
	}

	#[benchmark]
	fn submit_attestation_snp() {
		let who: T::AccountId = whitelisted_caller();
		let evidence = snp_evidence();
		let (claims, _) = prepare::<T>(&who, &evidence, SNP_NOW, Purpose::Reattest);
		awaiting_answer::<T>(&who, &claims, SNP_NOW);
		#[block]
		{
			expect_binding_mismatch::<T>(Pallet::<T>::submit_attestation(
				RawOrigin::Signed(who.clone()).into(),
				Box::new(evidence),
				claims,
			));
		}
	}

	/// As `submit_attestation_snp`, with the VEK's chain remembered from an earlier attestation.
	#[benchmark]
	fn submit_attestation_snp_known_vek() {
		let who: T::AccountId = whitelisted_caller();
		let evidence = snp_evidence();
		let (claims, verified) = prepare::<T>(&who, &evidence, SNP_NOW, Purpose::Reattest);
		let VerifiedClaims::Snp(verified) = verified else {
			panic!("SNP evidence gives SNP claims");
		};
		KnownVeks::<T>::insert(
			verified.known_vek.vek_sha256,
			(verified.known_vek, verified.certs_expire_at),
		);
		awaiting_answer::<T>(&who, &claims, SNP_NOW);
		#[block]
		{
			expect_binding_mismatch::<T>(Pallet::<T>::submit_attestation(
				RawOrigin::Signed(who.clone()).into(),
				Box::new(evidence),
				claims,
			));
		}
	}

	#[benchmark]
	fn upload_collateral() {
		let who: T::AccountId = whitelisted_caller();
		T::BenchmarkHelper::set_unix_time(TDX_NOW);
		TrustAnchors::<T>::put(anchors());
		// Nothing stored: every part is written (the most expensive upload).
		clear_tdx_collateral::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), Box::new(tdx_collateral()));
		assert_eq!(TdxTcbInfo::<T>::iter().count(), 1);
		assert!(TdxQeIdentity::<T>::exists() && TdxRootCaCrl::<T>::exists());
		assert_eq!(TdxPckCrl::<T>::iter().count(), 1);
	}

	#[benchmark]
	fn set_policy() {
		let mut policy = ChainPolicy::default();
		for i in 0..tee_verifier::evidence::MAX_ADVISORIES {
			let id: Vec<u8> = alloc::format!("INTEL-SA-{i:05}").into_bytes();
			policy
				.evidence
				.allowed_advisory_ids
				.try_push(id.try_into().expect("short id"))
				.expect("within MAX_ADVISORIES");
		}
		#[extrinsic_call]
		_(RawOrigin::Root, policy.clone());
		assert_eq!(Policy::<T>::get(), policy);
	}

	#[benchmark]
	fn add_release() {
		clear_releases::<T>();
		for _ in 1..T::MaxReleases::get() {
			let filler = Release {
				name: BoundedVec::try_from(vec![b'x'; MAX_RELEASE_NAME_LEN as usize])
					.expect("bound"),
				tdx: None,
				snp_measurement: Some([1; 48]),
				system_hashes: BoundedVec::try_from(vec![bytes32(1)]).expect("bound"),
				services_roots: BoundedVec::try_from(vec![bytes32(1)]).expect("bound"),
				status: ReleaseStatus::Active,
			};
			Pallet::<T>::insert_release(filler).expect("within MaxReleases");
		}
		let release = Release {
			name: BoundedVec::try_from(vec![b'x'; MAX_RELEASE_NAME_LEN as usize]).expect("bound"),
			tdx: Some(TdxMeasurements {
				mrtd: [1; 48],
				rtmr0: [2; 48],
				rtmr1: [3; 48],
				rtmr2: [4; 48],
			}),
			snp_measurement: Some([5; 48]),
			system_hashes: BoundedVec::try_from(vec![bytes32(1); MAX_SYSTEM_HASHES as usize])
				.expect("bound"),
			services_roots: BoundedVec::try_from(vec![bytes32(2); MAX_SERVICES_ROOTS as usize])
				.expect("bound"),
			status: ReleaseStatus::Active,
		};
		#[extrinsic_call]
		_(RawOrigin::Root, release);
		assert_eq!(Releases::<T>::count(), T::MaxReleases::get());
	}

	#[benchmark]
	fn retire_release(w: Linear<0, { T::MaxWorkers::get() }>) {
		clear_releases::<T>();
		let release = Release {
			name: BoundedVec::try_from(b"r".to_vec()).expect("bound"),
			tdx: None,
			snp_measurement: Some([1; 48]),
			system_hashes: BoundedVec::try_from(vec![bytes32(1)]).expect("bound"),
			services_roots: BoundedVec::try_from(vec![bytes32(1)]).expect("bound"),
			status: ReleaseStatus::Active,
		};
		let id = Pallet::<T>::insert_release(release).expect("within MaxReleases");
		T::BenchmarkHelper::set_unix_time(TDX_NOW);
		for i in 0..w {
			let who: T::AccountId = account("worker", i, 0);
			insert_worker::<T>(&who, WorkerStatus::Active, TDX_NOW + 3600, id);
		}
		#[extrinsic_call]
		_(RawOrigin::Root, id);
		assert_eq!(
			Releases::<T>::get(id).map(|r| r.status),
			Some(ReleaseStatus::Retired)
		);
	}

	#[benchmark]
	fn set_trust_anchors() {
		#[extrinsic_call]
		_(RawOrigin::Root, Box::new(anchors()));
		assert_eq!(TrustAnchors::<T>::get(), anchors());
	}

	#[benchmark]
	fn evict() {
		let caller: T::AccountId = whitelisted_caller();
		let who: T::AccountId = account("worker", 0, 0);
		T::BenchmarkHelper::set_unix_time(TDX_NOW);
		insert_worker::<T>(&who, WorkerStatus::Lapsed, TDX_NOW, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), who.clone());
		assert!(Workers::<T>::get(&who).is_none());
	}

	/// `l` workers lapse at this block's deadline, `s` workers are examined, `r` of which are
	/// asked to re-attest.
	#[benchmark]
	fn on_initialize(
		l: Linear<0, { T::MaxRequestsPerBlock::get() }>,
		s: Linear<0, { T::MaxScansPerBlock::get() }>,
		r: Linear<0, { T::MaxRequestsPerBlock::get() }>,
	) {
		let now = TDX_NOW;
		T::BenchmarkHelper::set_unix_time(now);
		let n = BlockNumberFor::<T>::from(100u32);
		frame_system::Pallet::<T>::set_block_number(n);
		let mut bucket = BoundedVec::<T::AccountId, T::MaxRequestsPerBlock>::default();
		// Lapsing workers have a request but no record in `Workers`, so the expiry scan below
		// examines only the `s` scanned workers (one storage write per lapse is not measured).
		for i in 0..l {
			let who: T::AccountId = account("lapsing", i, 0);
			PendingRequests::<T>::insert(
				&who,
				Request {
					nonce: bytes32(0),
					issued_at: n,
					deadline: n,
				},
			);
			bucket.try_push(who).expect("l within MaxRequestsPerBlock");
		}
		Deadlines::<T>::insert(n, bucket);
		let lead = Policy::<T>::get().request_lead_secs;
		for i in 0..s {
			let who: T::AccountId = account("scanned", i, 0);
			// The first `r` are due for a request; the others are examined and skipped.
			let expires = if i < r {
				now + lead / 2
			} else {
				now + lead * 4
			};
			insert_worker::<T>(&who, WorkerStatus::Active, expires, 0);
		}
		#[block]
		{
			Pallet::<T>::on_initialize(n);
		}
		assert_eq!(PendingRequests::<T>::count(), r.min(s));
	}

	/// `register_circuit` with `MaxCircuits - 1` circuits registered (parses the key).
	#[benchmark]
	fn register_circuit() {
		let vk = circuit_vk();
		// Genesis may hold circuits (the dev preset registers this one): start empty, then
		// fill the registry with placeholder entries under other ids.
		let _ = Circuits::<T>::clear(u32::MAX, None);
		for i in 1..T::MaxCircuits::get() {
			let mut id = [0u8; 32];
			id[..4].copy_from_slice(&i.to_le_bytes());
			Circuits::<T>::insert((id, zk_verifier::Flavour::Zk), circuit_entry(vk.clone()));
		}
		let name = BoundedVec::try_from(b"service_response".to_vec()).expect("short name");
		#[extrinsic_call]
		_(RawOrigin::Root, name, zk_verifier::Flavour::Zk, vk);
		assert_eq!(Circuits::<T>::count(), T::MaxCircuits::get());
	}

	#[benchmark]
	fn retire_circuit() {
		let vk = circuit_vk();
		let id = polkadot_sdk::sp_io::hashing::sha2_256(&vk);
		let _ = Circuits::<T>::clear(u32::MAX, None);
		Circuits::<T>::insert((id, zk_verifier::Flavour::Zk), circuit_entry(vk));
		#[extrinsic_call]
		_(RawOrigin::Root, id, zk_verifier::Flavour::Zk);
		assert_eq!(
			Circuits::<T>::get((id, zk_verifier::Flavour::Zk)).map(|c| c.status),
			Some(CircuitStatus::Retired)
		);
	}

	/// A real ZK proof of the 2^17-row service_response circuit (dev SRS), verified in full,
	/// for a worker whose services root it names.
	#[benchmark]
	fn submit_proof() {
		let caller: T::AccountId = whitelisted_caller();
		let who: T::AccountId = account("worker", 0, 0);
		let vk = circuit_vk();
		let id = polkadot_sdk::sp_io::hashing::sha2_256(&vk);
		let _ = Circuits::<T>::clear(u32::MAX, None);
		Circuits::<T>::insert((id, zk_verifier::Flavour::Zk), circuit_entry(vk));
		ProofSrsG2::<T>::put(zk_verifier::DEV_G2);
		T::BenchmarkHelper::set_unix_time(TDX_NOW);
		insert_worker::<T>(&who, WorkerStatus::Active, TDX_NOW + 600, 0);
		let inputs: Vec<[u8; 32]> = PROOF_INPUTS
			.chunks_exact(32)
			.filter_map(|c| <[u8; 32]>::try_from(c).ok())
			.collect();
		let statement = zk_verifier::ServiceResponseStatement::from_public_inputs(&inputs)
			.expect("fixture statement");
		Workers::<T>::mutate(&who, |w| {
			if let Some(w) = w.as_mut() {
				w.services_root = statement.services_root;
			}
		});
		let proof = BoundedVec::try_from(PROOF.to_vec()).expect("proof within bound");
		let inputs = BoundedVec::try_from(inputs).expect("five inputs");
		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			id,
			zk_verifier::Flavour::Zk,
			proof,
			inputs,
			who.clone(),
		);
		assert_eq!(
			frame_system::Pallet::<T>::events().len(),
			1,
			"ServiceResponseProven is the one event"
		);
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::new_test_ext(1_752_919_234),
		crate::mock::Test
	);
}
