//! Pallet tests: every call's success path and failures (each with no state change), the
//! re-attestation cycle, bounds, and registration attempts with real TDX and SNP evidence.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use crate::{mock::*, *};
use codec::Encode;
use mock_tee::{AmdProduct, DevRoots, SnpReportParams, TdxQuoteParams, TdxTcbConfig};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::Pays, BoundedVec},
	frame_system::{self, RawOrigin},
	pallet_timestamp,
	sp_runtime::{AccountId32, BuildStorage, DispatchError},
};
use std::sync::OnceLock;
use tee_verifier::{Claims, Collateral, Evidence, Purpose, VerifiedClaims};

/// 2026-11-24T00:00:00Z: the mock collateral is minted around this time.
pub(crate) const NOW: u64 = 1_795_478_400;

fn roots() -> &'static DevRoots {
	static ROOTS: OnceLock<DevRoots> = OnceLock::new();
	ROOTS.get_or_init(|| DevRoots::dev().unwrap())
}

fn dev_anchors() -> tee_verifier::TrustAnchors {
	roots().trust_anchors_for(&[AmdProduct::Milan]).unwrap()
}

pub(crate) fn account(n: u8) -> AccountId32 {
	AccountId32::new([n; 32])
}

const MRTD: [u8; 48] = [0x11; 48];
const SNP_MEASUREMENT: [u8; 48] = [0x22; 48];
/// The system the test image's event log measures into RTMR3.
const SYSTEM_PATH: &[u8] = b"/nix/store/33333333333333333333333333333333-nixos-system-test";

fn system_hash() -> [u8; 32] {
	tee_verifier::system_hash(SYSTEM_PATH)
}

/// The test image's event log: three firmware events, then the boot step's system event.
fn event_log_of(system: &[u8]) -> Vec<u8> {
	use tee_verifier::eventlog::{event_type, LogBuilder, Rtmr, RuntimeEvent};
	let mut log = LogBuilder::new();
	for (rtmr, text) in [
		(Rtmr::Rtmr0, "td hob"),
		(Rtmr::Rtmr1, "uki"),
		(Rtmr::Rtmr2, "cmdline"),
	] {
		log.measured_event(rtmr, event_type::EV_EFI_ACTION, text.as_bytes());
	}
	log.runtime_event(&RuntimeEvent::System(system)).unwrap();
	log.build()
}

/// RTMR0..3 of the test image: the replay of its event log.
fn test_rtmrs() -> [[u8; 48]; 4] {
	tee_verifier::EventLog::parse(&event_log_of(SYSTEM_PATH), usize::MAX)
		.unwrap()
		.replay()
}

/// TDX evidence: `quote` with the test image's event log.
fn with_test_log(quote: Vec<u8>) -> Evidence {
	Evidence::TdxWithEventLog {
		quote: quote.try_into().unwrap(),
		event_log: event_log_of(SYSTEM_PATH).try_into().unwrap(),
	}
}
const SERVICES_ROOT: [u8; 32] = [0x44; 32];

pub(crate) fn release() -> Release {
	Release {
		name: BoundedVec::try_from(b"echo-vm test".to_vec()).unwrap(),
		tdx: Some(TdxMeasurements {
			mrtd: MRTD,
			rtmr0: test_rtmrs()[0],
			rtmr1: test_rtmrs()[1],
			rtmr2: test_rtmrs()[2],
		}),
		snp_measurement: Some(SNP_MEASUREMENT),
		tdx_pins: Default::default(),
		snp_pins: Default::default(),
		system_hashes: BoundedVec::try_from(vec![system_hash()]).unwrap(),
		services_roots: BoundedVec::try_from(vec![SERVICES_ROOT]).unwrap(),
		status: ReleaseStatus::Active,
	}
}

pub(crate) fn tdx_collateral(now: u64, config: &TdxTcbConfig) -> Collateral {
	roots()
		.tdx_collateral(now, config)
		.unwrap()
		.to_collateral()
		.unwrap()
}

/// Trust anchors, collateral (Intel's and the Milan CRL, uploaded through the call) and one
/// release.
pub(crate) fn setup() {
	Pallet::<Test>::set_trust_anchors(RawOrigin::Root.into(), Box::new(dev_anchors())).unwrap();
	Pallet::<Test>::upload_collateral(
		RuntimeOrigin::signed(account(99)),
		Box::new(tdx_collateral(NOW, &TdxTcbConfig::default())),
	)
	.unwrap();
	upload_crls(vec![amd_crl(AmdProduct::Milan, NOW - 86_400, &[])]).unwrap();
	Pallet::<Test>::add_release(RawOrigin::Root.into(), release()).unwrap();
	run_to_block(5);
}

/// Registration claims of `who` anchored at the parent block.
pub(crate) fn register_claims(who: &AccountId32) -> Claims {
	let anchor = System::block_number() - 1;
	Claims {
		genesis_hash: System::block_hash(0).into(),
		purpose: Purpose::Register,
		account: *who.as_ref(),
		x25519: [7; 32],
		nonce: System::block_hash(anchor).into(),
		anchor_block: anchor as u32,
		system_hash: system_hash(),
		services_root: SERVICES_ROOT,
		gpu_digest: None,
	}
}

pub(crate) fn tdx_params(report_data: [u8; 64]) -> TdxQuoteParams {
	TdxQuoteParams {
		mr_td: MRTD,
		rtmr: test_rtmrs(),
		report_data,
		..Default::default()
	}
}

pub(crate) fn tdx_evidence_with(params: &TdxQuoteParams) -> Evidence {
	with_test_log(roots().mint_tdx_quote(params).unwrap())
}

pub(crate) fn tdx_evidence_for(claims: &Claims) -> Evidence {
	tdx_evidence_with(&tdx_params(claims.report_data()))
}

pub(crate) fn snp_params(report_data: [u8; 64]) -> SnpReportParams {
	SnpReportParams {
		measurement: SNP_MEASUREMENT,
		report_data,
		..SnpReportParams::new(AmdProduct::Milan)
	}
}

pub(crate) fn snp_evidence_with(params: &SnpReportParams) -> Evidence {
	let (report, vek) = roots().mint_snp_report(params).unwrap();
	mock_tee::snp_evidence(report, vek).unwrap()
}

pub(crate) fn register(
	who: &AccountId32,
	evidence: Evidence,
	claims: Claims,
) -> DispatchResultWithPostInfo {
	Pallet::<Test>::register_worker(
		RuntimeOrigin::signed(who.clone()),
		Box::new(evidence),
		claims,
	)
}

use polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo;

fn try_state() {
	Pallet::<Test>::do_try_state().unwrap();
}

// ---- registration ----------------------------------------------------------------------

#[test]
fn registers_a_tdx_worker_for_free() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		let post = register(&who, tdx_evidence_for(&claims), claims).unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		let w = Workers::<Test>::get(&who).unwrap();
		assert_eq!(w.status, WorkerStatus::Active);
		assert_eq!(w.tee, tee_verifier::Tee::Tdx);
		assert_eq!(w.release, 0);
		assert_eq!(w.x25519, [7; 32]);
		assert_eq!(w.tcb_status, Some(tee_verifier::TcbStatus::UpToDate));
		assert!(w.expires_at > NOW && w.expires_at <= NOW + 24 * 3600 + 60);
		let kept = AcceptedEvidence::<Test>::get(&who).unwrap();
		assert_eq!(kept.claims, claims);
		assert!(matches!(
			attestation_events().last(),
			Some(Event::WorkerRegistered {
				release: 0,
				tee: tee_verifier::Tee::Tdx,
				..
			})
		));
		try_state();
	});
}

/// An operator swaps the worker binary (so the system is another) and submits the quote
/// alone, with a self-reported `system_hash`: nothing measured ties it to what runs.
#[test]
fn tdx_evidence_without_its_event_log_is_refused() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		let Evidence::TdxWithEventLog { quote, .. } = tdx_evidence_for(&claims) else {
			unreachable!()
		};
		assert_noop!(
			register(&who, Evidence::Tdx { quote }, claims),
			Error::<Test>::EventLogRequired
		);
	});
}

/// The image booted another system (its boot step measured it into RTMR3), and the operator
/// submits the quote with the log of the release's system: the replay gives another RTMR3.
#[test]
fn a_tdx_event_log_of_another_boot_is_refused() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		let evil = b"/nix/store/44444444444444444444444444444444-nixos-system-evil";
		let booted = tee_verifier::EventLog::parse(&event_log_of(evil), usize::MAX)
			.unwrap()
			.replay();
		let mut params = tdx_params(claims.report_data());
		params.rtmr = booted;
		let quote = roots().mint_tdx_quote(&params).unwrap();
		assert_noop!(
			register(&who, with_test_log(quote), claims),
			Error::<Test>::EventLogRejected
		);
		// With the log of the boot, the replay matches but the measured system is not the
		// claimed one.
		let evidence = Evidence::TdxWithEventLog {
			quote: roots().mint_tdx_quote(&params).unwrap().try_into().unwrap(),
			event_log: event_log_of(evil).try_into().unwrap(),
		};
		assert_noop!(
			register(&who, evidence, claims),
			Error::<Test>::SystemNotMeasured
		);
	});
}

/// A release that allows two systems does not let a worker claim one while running the
/// other: the claim must be the measured one.
#[test]
fn claims_must_name_the_system_the_log_measured() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let other = b"/nix/store/55555555555555555555555555555555-nixos-system-other";
		let mut both = release();
		both.system_hashes =
			BoundedVec::try_from(vec![system_hash(), tee_verifier::system_hash(other)]).unwrap();
		assert_ok!(Pallet::<Test>::retire_release(RawOrigin::Root.into(), 0));
		assert_ok!(Pallet::<Test>::add_release(RawOrigin::Root.into(), both));
		let who = account(1);
		let mut claims = register_claims(&who);
		claims.system_hash = tee_verifier::system_hash(other);
		// The quote and log of a boot of SYSTEM_PATH, bound to claims naming `other`.
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::SystemNotMeasured
		);
		let claims = register_claims(&who);
		assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
		// The accepted evidence keeps the log, so anyone can replay it from chain state.
		let record = AcceptedEvidence::<Test>::get(&who).unwrap();
		let Evidence::TdxWithEventLog { event_log, .. } = record.evidence else {
			panic!("the log is stored with the quote")
		};
		assert_eq!(event_log.to_vec(), event_log_of(SYSTEM_PATH));
	});
}

/// The replay's weight follows the log's length (in KiB, at its worst per byte): a worker
/// pays for the log it sends, and the largest log for its largest.
#[test]
fn tdx_attestation_is_charged_for_the_event_log_it_carries() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		let evidence = tdx_evidence_for(&claims);
		let len = crate::event_log_len(&evidence);
		assert_eq!(len as usize, event_log_of(SYSTEM_PATH).len());
		let info = register(&who, evidence, claims).unwrap();
		let tdx = |len| {
			Pallet::<Test>::attestation_weight(Some(tee_verifier::Tee::Tdx), true, false, len)
		};
		assert_eq!(info.actual_weight, Some(tdx(len)));
		assert!(tdx(64 * 1024).ref_time() > tdx(len).ref_time());
		assert_eq!(tdx(1).ref_time(), tdx(1024).ref_time(), "whole KiB");
		assert!(tdx(1025).ref_time() > tdx(1024).ref_time());
	});
}

#[test]
fn registers_an_snp_worker() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(2);
		let claims = register_claims(&who);
		let evidence = snp_evidence_with(&snp_params(claims.report_data()));
		assert_ok!(register(&who, evidence, claims));
		let w = Workers::<Test>::get(&who).unwrap();
		assert_eq!(w.tee, tee_verifier::Tee::Snp);
		assert!(matches!(
			w.platform,
			PlatformId::Snp {
				product: tee_verifier::SnpProduct::Milan,
				..
			}
		));
		try_state();
	});
}

#[test]
fn remembers_verified_vek_chains_and_drops_expired_ones() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(2);
		let claims = register_claims(&who);
		let evidence = snp_evidence_with(&snp_params(claims.report_data()));
		let Evidence::Snp { vek_der, .. } = &evidence else {
			unreachable!()
		};
		let key = tee_verifier::KnownVek::vek_hash(vek_der);
		let first = register(&who, evidence.clone(), claims).unwrap();
		let (known, expires) = KnownVeks::<Test>::get(key).expect("VEK remembered");
		assert_eq!(known.vek_sha256, key);
		assert_eq!(KnownVeks::<Test>::count(), 1);

		// The next registration with the same VEK is verified with the remembered chain and
		// charged the cheaper weight.
		System::set_block_number(System::block_number() + 1);
		let claims = register_claims(&who);
		let evidence = snp_evidence_with(&snp_params(claims.report_data()));
		let second = register(&who, evidence, claims).unwrap();
		assert_eq!(
			first.actual_weight,
			Some(Pallet::<Test>::attestation_weight(
				Some(tee_verifier::Tee::Snp),
				true,
				false,
				0
			))
		);
		assert_eq!(
			second.actual_weight,
			Some(Pallet::<Test>::attestation_weight(
				Some(tee_verifier::Tee::Snp),
				true,
				true,
				0
			))
		);
		assert_ne!(first.actual_weight, second.actual_weight);

		// Once the VEK expired, its entry is dropped at the next lookup.
		polkadot_sdk::pallet_timestamp::Now::<Test>::put(expires.saturating_mul(1000));
		assert_eq!(Pallet::<Test>::known_vek_for(vek_der), None);
		assert!(!KnownVeks::<Test>::contains_key(key));
	});
}

#[test]
fn rejects_a_tampered_quote() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		let Evidence::TdxWithEventLog { quote, .. } = tdx_evidence_for(&claims) else {
			unreachable!()
		};
		let mut raw = quote.into_inner();
		// Inside the quote signature (right after the 48-byte header, 584-byte body and
		// the 4-byte signature length).
		raw[48 + 584 + 4 + 10] ^= 1;
		let evidence = with_test_log(raw);
		assert_noop!(
			register(&who, evidence, claims),
			Error::<Test>::EvidenceRejected
		);
	});
}

#[test]
fn rejects_evidence_from_untrusted_roots() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		let other = DevRoots::from_seed(b"someone else").unwrap();
		let quote = other
			.mint_tdx_quote(&tdx_params(claims.report_data()))
			.unwrap();
		let evidence = with_test_log(quote);
		assert_noop!(
			register(&who, evidence, claims),
			Error::<Test>::EvidenceRejected
		);
	});
}

#[test]
fn rejects_unknown_and_retired_releases() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let mut claims = register_claims(&who);
		claims.system_hash = [0xEE; 32];
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::UnknownRelease
		);

		let claims = register_claims(&who);
		let mut params = tdx_params(claims.report_data());
		params.mr_td = [0x99; 48];
		assert_noop!(
			register(&who, tdx_evidence_with(&params), claims),
			Error::<Test>::UnknownRelease
		);

		let mut other_root = register_claims(&who);
		other_root.services_root = [0x45; 32];
		assert_noop!(
			register(&who, tdx_evidence_for(&other_root), other_root),
			Error::<Test>::UnknownRelease
		);

		assert_ok!(Pallet::<Test>::retire_release(RawOrigin::Root.into(), 0));
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::RetiredRelease
		);
	});
}

#[test]
fn a_release_without_services_roots_accepts_each_workers_own_root() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		assert_ok!(Pallet::<Test>::retire_release(RawOrigin::Root.into(), 0));
		let mut any_root = release();
		any_root.services_roots = BoundedVec::new();
		assert_ok!(Pallet::<Test>::add_release(
			RawOrigin::Root.into(),
			any_root
		));

		for (n, root) in [(1u8, [0x51; 32]), (2, [0x52; 32])] {
			let who = account(n);
			let mut claims = register_claims(&who);
			claims.services_root = root;
			assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
			let worker = Workers::<Test>::get(&who).unwrap();
			assert_eq!(worker.release, 1);
			assert_eq!(worker.services_root, root);
		}
		try_state();
	});
}

#[test]
fn rejects_stale_and_future_anchor_blocks() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		run_to_block(40);
		let who = account(1);
		let mut claims = register_claims(&who);
		claims.anchor_block = 10; // older than registration_window (20)
		claims.nonce = System::block_hash(10).into();
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::StaleAnchor
		);

		let mut claims = register_claims(&who);
		claims.anchor_block = 40; // the current block has no hash yet
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::StaleAnchor
		);
	});
}

#[test]
fn rejects_a_wrong_nonce() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let mut claims = register_claims(&who);
		claims.nonce = [0xAB; 32];
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::WrongNonce
		);
	});
}

#[test]
fn rejects_replayed_registration_evidence() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		let evidence = tdx_evidence_for(&claims);
		assert_ok!(register(&who, evidence.clone(), claims));
		run_to_block(6);
		assert_noop!(register(&who, evidence, claims), Error::<Test>::StaleAnchor);
	});
}

#[test]
fn rejects_another_chain_another_account_and_wrong_purpose() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let mut claims = register_claims(&who);
		claims.genesis_hash = [0x01; 32];
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::WrongGenesis
		);

		let claims = register_claims(&account(2));
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::AccountMismatch
		);

		for purpose in [Purpose::OffChain, Purpose::Reattest] {
			let mut claims = register_claims(&who);
			claims.purpose = purpose;
			assert_noop!(
				register(&who, tdx_evidence_for(&claims), claims),
				Error::<Test>::WrongPurpose
			);
		}
	});
}

#[test]
fn rejects_report_data_that_does_not_bind_the_claims() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		let mut other = claims;
		other.x25519 = [8; 32];
		let evidence = tdx_evidence_for(&other);
		assert_noop!(
			register(&who, evidence, claims),
			Error::<Test>::ReportDataMismatch
		);
	});
}

#[test]
fn rejects_debug_tees_under_the_default_policy() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		let mut params = tdx_params(claims.report_data());
		params.td_attributes |= mock_tee::TD_ATTR_DEBUG;
		assert_noop!(
			register(&who, tdx_evidence_with(&params), claims),
			Error::<Test>::PolicyViolation
		);

		let mut params = snp_params(claims.report_data());
		params.policy |= mock_tee::POLICY_DEBUG;
		assert_noop!(
			register(&who, snp_evidence_with(&params), claims),
			Error::<Test>::PolicyViolation
		);
	});
}

#[test]
fn rejects_an_outdated_tcb_under_the_default_policy() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let mut config = TdxTcbConfig::default();
		for level in &mut config.tcb_levels {
			level.status = mock_tee::TcbStatus::OutOfDate;
		}
		config.tcb_evaluation_data_number += 1;
		run_to_block(6);
		pallet_timestamp::Now::<Test>::put((NOW + 60) * 1000);
		assert_ok!(Pallet::<Test>::upload_collateral(
			RuntimeOrigin::signed(account(99)),
			Box::new(tdx_collateral(NOW + 60, &config)),
		));
		let who = account(1);
		let claims = register_claims(&who);
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::PolicyViolation
		);
	});
}

#[test]
fn rejects_evidence_once_the_collateral_expired() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let next_update = TdxTcbInfo::<Test>::iter_values()
			.next()
			.unwrap()
			.freshness()
			.next_update;
		pallet_timestamp::Now::<Test>::put((next_update + 1) * 1000);
		let who = account(1);
		let claims = register_claims(&who);
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::EvidenceRejected
		);
	});
}

#[test]
fn requires_collateral_for_tdx() {
	new_test_ext(NOW).execute_with(|| {
		Pallet::<Test>::set_trust_anchors(RawOrigin::Root.into(), Box::new(dev_anchors())).unwrap();
		Pallet::<Test>::add_release(RawOrigin::Root.into(), release()).unwrap();
		run_to_block(5);
		let who = account(1);
		let claims = register_claims(&who);
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::NoCollateral
		);
	});
}

#[test]
fn bounds_the_number_of_workers() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		for n in 1..=MaxWorkers::get() as u8 {
			let who = account(n);
			let claims = register_claims(&who);
			assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
		}
		assert_eq!(Workers::<Test>::count(), MaxWorkers::get());
		let who = account(200);
		let claims = register_claims(&who);
		assert_noop!(
			register(&who, tdx_evidence_for(&claims), claims),
			Error::<Test>::TooManyWorkers
		);
		// A registered worker may still re-register (replace its keys).
		run_to_block(6);
		let who = account(1);
		let mut claims = register_claims(&who);
		claims.x25519 = [9; 32];
		assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
		assert_eq!(Workers::<Test>::get(&who).unwrap().x25519, [9; 32]);
		try_state();
	});
}

// ---- collateral --------------------------------------------------------------------------

/// Every stored part of Intel's collateral, encoded (to compare before and after).
fn stored_tdx_collateral() -> Vec<Vec<u8>> {
	let mut all: Vec<Vec<u8>> = TdxTcbInfo::<Test>::iter().map(|kv| kv.encode()).collect();
	all.extend(TdxPckCrl::<Test>::iter().map(|kv| kv.encode()));
	all.push(TdxQeIdentity::<Test>::get().encode());
	all.push(TdxRootCaCrl::<Test>::get().encode());
	all
}

#[test]
fn refuses_collateral_rollback_and_unverifiable_collateral() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let before = stored_tdx_collateral();
		// Same issue date again: not newer.
		assert_noop!(
			Pallet::<Test>::upload_collateral(
				RuntimeOrigin::signed(account(5)),
				Box::new(tdx_collateral(NOW, &TdxTcbConfig::default())),
			),
			Error::<Test>::CollateralNotNewer
		);
		// Older collateral (issued a day earlier, still valid): a rollback.
		assert_noop!(
			Pallet::<Test>::upload_collateral(
				RuntimeOrigin::signed(account(5)),
				Box::new(tdx_collateral(NOW - 86_400, &TdxTcbConfig::default())),
			),
			Error::<Test>::CollateralRollback
		);
		// Collateral from other roots.
		let other = DevRoots::from_seed(b"someone else").unwrap();
		let foreign = other
			.tdx_collateral(NOW + 10, &TdxTcbConfig::default())
			.unwrap();
		assert_noop!(
			Pallet::<Test>::upload_collateral(
				RuntimeOrigin::signed(account(5)),
				Box::new(foreign.to_collateral().unwrap()),
			),
			Error::<Test>::CollateralRejected
		);
		// Expired collateral.
		assert_noop!(
			Pallet::<Test>::upload_collateral(
				RuntimeOrigin::signed(account(5)),
				Box::new(tdx_collateral(NOW - 90 * 86_400, &TdxTcbConfig::default())),
			),
			Error::<Test>::CollateralRejected
		);
		assert_eq!(stored_tdx_collateral(), before);
	});
}

#[test]
fn stores_newer_collateral() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		pallet_timestamp::Now::<Test>::put((NOW + 3600) * 1000);
		assert_ok!(Pallet::<Test>::upload_collateral(
			RuntimeOrigin::signed(account(5)),
			Box::new(tdx_collateral(NOW + 3600, &TdxTcbConfig::default())),
		));
		let tcb_info = TdxTcbInfo::<Test>::iter_values().next().unwrap();
		assert!(tcb_info.freshness().issued_at > NOW - 86_400);
		// Every part of the bundle was newer: four updates, one event each.
		let updated = attestation_events()
			.into_iter()
			.filter(|e| matches!(e, Event::TdxCollateralUpdated { .. }))
			.count();
		assert_eq!(updated, 4);
	});
}

// ---- governance --------------------------------------------------------------------------

#[test]
fn governance_calls_need_the_governance_origin() {
	new_test_ext(NOW).execute_with(|| {
		let signed = RuntimeOrigin::signed(account(1));
		assert_noop!(
			Pallet::<Test>::set_policy(signed.clone(), ChainPolicy::default()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Pallet::<Test>::add_release(signed.clone(), release()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Pallet::<Test>::retire_release(signed.clone(), 0),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Pallet::<Test>::set_trust_anchors(signed, Box::new(dev_anchors())),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn validates_policies_and_releases() {
	new_test_ext(NOW).execute_with(|| {
		let mut policy = ChainPolicy::default();
		policy.response_window = 0;
		assert_noop!(
			Pallet::<Test>::set_policy(RawOrigin::Root.into(), policy),
			Error::<Test>::InvalidPolicy
		);
		let mut policy = ChainPolicy::default();
		policy.evidence.version = 99;
		assert_noop!(
			Pallet::<Test>::set_policy(RawOrigin::Root.into(), policy),
			Error::<Test>::InvalidPolicy
		);
		assert_ok!(Pallet::<Test>::set_policy(
			RawOrigin::Root.into(),
			ChainPolicy::default()
		));

		let mut incomplete = release();
		incomplete.tdx = None;
		incomplete.snp_measurement = None;
		assert_noop!(
			Pallet::<Test>::add_release(RawOrigin::Root.into(), incomplete),
			Error::<Test>::IncompleteRelease
		);
		for n in 0..MaxReleases::get() {
			let mut image = release();
			image.snp_measurement = Some([n as u8; 48]);
			image.tdx.as_mut().unwrap().rtmr2 = [n as u8; 48];
			assert_ok!(Pallet::<Test>::add_release(RawOrigin::Root.into(), image));
		}
		assert_noop!(
			Pallet::<Test>::add_release(RawOrigin::Root.into(), release()),
			Error::<Test>::TooManyReleases
		);
		assert_noop!(
			Pallet::<Test>::retire_release(RawOrigin::Root.into(), 77),
			Error::<Test>::NoSuchRelease
		);
	});
}

// ---- re-attestation cycle ------------------------------------------------------------------

fn short_cycle_policy() -> ChainPolicy {
	let mut policy = ChainPolicy::default();
	policy.evidence.attestation_validity_secs = 600;
	policy.request_lead_secs = 300;
	policy.response_window = 5;
	policy
}

pub(crate) fn requested_nonce(who: &AccountId32) -> Option<([u8; 32], u64)> {
	attestation_events().into_iter().find_map(|e| match e {
		Event::AttestationRequested {
			worker,
			nonce,
			deadline,
		} if &worker == who => Some((nonce, deadline)),
		_ => None,
	})
}

#[test]
fn re_attestation_cycle_request_answer_lapse_evict() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		assert_ok!(Pallet::<Test>::set_policy(
			RawOrigin::Root.into(),
			short_cycle_policy()
		));
		let who = account(1);
		let claims = register_claims(&who);
		assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
		let registered_at = System::block_number();

		// 600 s validity, asked 300 s before expiry: about 100 blocks of 3 s later.
		let mut request = None;
		for _ in 0..200 {
			run_to_block(System::block_number() + 1);
			if let Some(r) = requested_nonce(&who) {
				request = Some(r);
				break;
			}
		}
		let (nonce, deadline) = request.expect("a request within 200 blocks");
		let asked_at = System::block_number();
		assert!(
			asked_at > registered_at + 90,
			"asked too early: block {asked_at}"
		);
		assert_eq!(
			Workers::<Test>::get(&who).unwrap().status,
			WorkerStatus::Pending
		);
		assert_eq!(deadline, asked_at + 5);
		try_state();

		// The deadline block is inclusive: the worker is still Pending in it and may answer.
		run_to_block(deadline);
		assert_eq!(
			Workers::<Test>::get(&who).unwrap().status,
			WorkerStatus::Pending
		);
		assert!(PendingRequests::<Test>::get(&who).is_some());
		// A wrong nonce is refused and changes nothing.
		let mut answer = claims;
		answer.purpose = Purpose::Reattest;
		answer.anchor_block = asked_at as u32;
		answer.nonce = [0; 32];
		assert_noop!(
			Pallet::<Test>::submit_attestation(
				RuntimeOrigin::signed(who.clone()),
				Box::new(tdx_evidence_for(&answer)),
				answer
			),
			Error::<Test>::WrongNonce
		);
		// Another x25519 key than the registered one has its own error.
		answer.nonce = nonce;
		let mut other_key = answer;
		other_key.x25519 = [0x42; 32];
		assert_noop!(
			Pallet::<Test>::submit_attestation(
				RuntimeOrigin::signed(who.clone()),
				Box::new(tdx_evidence_for(&other_key)),
				other_key
			),
			Error::<Test>::X25519Mismatch
		);
		// The right answer, in the deadline block, is free and renews the attestation.
		let before = Workers::<Test>::get(&who).unwrap().expires_at;
		let post = Pallet::<Test>::submit_attestation(
			RuntimeOrigin::signed(who.clone()),
			Box::new(tdx_evidence_for(&answer)),
			answer,
		)
		.unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		let w = Workers::<Test>::get(&who).unwrap();
		assert_eq!(w.status, WorkerStatus::Active);
		assert!(w.expires_at > before);
		assert!(PendingRequests::<Test>::get(&who).is_none());
		try_state();
		// Answering twice is refused.
		assert_noop!(
			Pallet::<Test>::submit_attestation(
				RuntimeOrigin::signed(who.clone()),
				Box::new(tdx_evidence_for(&answer)),
				answer
			),
			Error::<Test>::NoPendingRequest
		);
		// An active worker cannot be evicted.
		assert_noop!(
			Pallet::<Test>::evict(RuntimeOrigin::signed(account(50)), who.clone()),
			Error::<Test>::WorkerNotEvictable
		);

		// Next request: not answered -> lapses after the deadline.
		let mut request = None;
		for _ in 0..200 {
			run_to_block(System::block_number() + 1);
			if let Some(r) = requested_nonce(&who) {
				request = Some(r);
				break;
			}
		}
		let (_, deadline) = request.expect("a second request");
		run_to_block(deadline);
		assert_eq!(
			Workers::<Test>::get(&who).unwrap().status,
			WorkerStatus::Pending,
			"lapsed before the end of its deadline block"
		);
		run_to_block(deadline + 1);
		assert!(attestation_events().contains(&Event::WorkerLapsed {
			worker: who.clone()
		}));
		assert_eq!(
			Workers::<Test>::get(&who).unwrap().status,
			WorkerStatus::Lapsed
		);
		try_state();

		// Anyone may evict it; everything about it is removed.
		assert_ok!(Pallet::<Test>::evict(
			RuntimeOrigin::signed(account(50)),
			who.clone()
		));
		assert!(Workers::<Test>::get(&who).is_none());
		assert!(AcceptedEvidence::<Test>::get(&who).is_none());
		assert_eq!(Workers::<Test>::count(), 0);
		try_state();
	});
}

#[test]
fn requests_are_bounded_per_block() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		assert_ok!(Pallet::<Test>::set_policy(
			RawOrigin::Root.into(),
			short_cycle_policy()
		));
		for n in 1..=6u8 {
			let who = account(n);
			let claims = register_claims(&who);
			assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
		}
		let mut most = 0;
		for _ in 0..150 {
			run_to_block(System::block_number() + 1);
			let issued = attestation_events()
				.iter()
				.filter(|e| matches!(e, Event::AttestationRequested { .. }))
				.count();
			most = most.max(issued);
			try_state();
		}
		assert_eq!(most, MaxRequestsPerBlock::get() as usize);
		assert_eq!(
			Workers::<Test>::iter_values()
				.filter(|w| w.status == WorkerStatus::Active)
				.count(),
			0
		);
	});
}

#[test]
fn retiring_a_release_asks_its_workers_to_re_attest() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
		assert_ok!(Pallet::<Test>::retire_release(RawOrigin::Root.into(), 0));
		assert!(attestation_events().contains(&Event::ReleaseRetired { id: 0, workers: 1 }));
		run_to_block(System::block_number() + 3);
		assert_ne!(
			Workers::<Test>::get(&who).unwrap().status,
			WorkerStatus::Active
		);
		assert_noop!(
			Pallet::<Test>::retire_release(RawOrigin::Root.into(), 0),
			Error::<Test>::AlreadyRetired
		);
	});
}

// ---- real evidence -----------------------------------------------------------------------

fn vectors() -> std::path::PathBuf {
	std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testvectors")
}

fn real_tdx_collateral(case: &str) -> Collateral {
	let text =
		std::fs::read_to_string(vectors().join(format!("tdx/{case}/collateral.json"))).unwrap();
	let j: serde_json::Value = serde_json::from_str(&text).unwrap();
	let s = |k: &str| j[k].as_str().unwrap().as_bytes().to_vec();
	let h = |k: &str| hex::decode(j[k].as_str().unwrap()).unwrap();
	let sig = |k: &str| <[u8; 64]>::try_from(h(k)).unwrap();
	Collateral::Tdx(tee_verifier::TdxCollateral {
		pck_crl_issuer_chain: s("pck_crl_issuer_chain").try_into().unwrap(),
		root_ca_crl: h("root_ca_crl").try_into().unwrap(),
		pck_crl: h("pck_crl").try_into().unwrap(),
		tcb_info_issuer_chain: s("tcb_info_issuer_chain").try_into().unwrap(),
		tcb_info: s("tcb_info").try_into().unwrap(),
		tcb_info_signature: sig("tcb_info_signature"),
		qe_identity_issuer_chain: s("qe_identity_issuer_chain").try_into().unwrap(),
		qe_identity: s("qe_identity").try_into().unwrap(),
		qe_identity_signature: sig("qe_identity_signature"),
	})
}

fn real_anchors() -> tee_verifier::TrustAnchors {
	let der = |p: &str| {
		std::fs::read(vectors().join("roots").join(p))
			.unwrap()
			.try_into()
			.unwrap()
	};
	let mut amd = BoundedVec::new();
	for (product, name) in [
		(tee_verifier::SnpProduct::Milan, "milan"),
		(tee_verifier::SnpProduct::Genoa, "genoa"),
		(tee_verifier::SnpProduct::Turin, "turin"),
	] {
		amd.try_push(tee_verifier::AmdProductAnchors {
			product,
			ark: der(&format!("amd/ark_{name}.der")),
			ask: Some(der(&format!("amd/ask_{name}.der"))),
			asvk: Some(der(&format!("amd/asvk_{name}.der"))),
		})
		.unwrap();
	}
	tee_verifier::TrustAnchors {
		intel_root_ca: Some(der("intel/sgx_root_ca.der")),
		amd,
	}
}

/// Registers a release built from the real evidence's own measurements, then tries to
/// register with it: verification, policy and release matching pass, and only the binding
/// fails (a real quote's REPORT_DATA cannot commit to our claims).
fn real_evidence_reaches_the_binding_check(
	evidence: Evidence,
	collateral: Option<Collateral>,
	now: u64,
) {
	// Start a little before the pinned time: the registration happens four blocks later and
	// some real collateral expires seconds after its case's time.
	let start = now - 4 * BLOCK_MS / 1000 - 1;
	new_test_ext(start).execute_with(|| {
		assert_ok!(Pallet::<Test>::set_trust_anchors(
			RawOrigin::Root.into(),
			Box::new(real_anchors())
		));
		// The vectors carry no AMD CRL (the chain's default requires one).
		let mut policy = ChainPolicy::default();
		policy.evidence.require_amd_crl = false;
		assert_ok!(Pallet::<Test>::set_policy(RawOrigin::Root.into(), policy));
		if let Some(c) = collateral.clone() {
			assert_ok!(Pallet::<Test>::upload_collateral(
				RuntimeOrigin::signed(account(9)),
				Box::new(c)
			));
		}
		let c = collateral.unwrap_or(Collateral::Snp(Default::default()));
		// The quote alone verifies (the log is another boot's; the chain replays it last).
		let quote_only = match &evidence {
			Evidence::TdxWithEventLog { quote, .. } => Evidence::Tdx {
				quote: quote.clone(),
			},
			other => other.clone(),
		};
		let verified = tee_verifier::verify(&quote_only, &real_anchors(), &c, start).unwrap();
		let mut r = release();
		r.tdx = None;
		r.snp_measurement = None;
		match &verified {
			VerifiedClaims::Tdx(t) => {
				r.tdx = Some(TdxMeasurements {
					mrtd: t.mr_td,
					rtmr0: t.rtmr[0],
					rtmr1: t.rtmr[1],
					rtmr2: t.rtmr[2],
				})
			}
			VerifiedClaims::Snp(s) => r.snp_measurement = Some(s.measurement),
		}
		run_to_block(5);
		let at = Pallet::<Test>::now_secs();
		if let Err(e) = tee_verifier::verify(&quote_only, &TrustAnchors::<Test>::get(), &c, at) {
			panic!("evidence does not verify at block 5 ({at}): {e}");
		}
		let who = account(1);
		let claims = register_claims(&who);
		assert_noop!(
			register(&who, evidence.clone(), claims),
			Error::<Test>::UnknownRelease
		);
		assert_ok!(Pallet::<Test>::add_release(RawOrigin::Root.into(), r));
		assert_noop!(
			register(&who, evidence, claims),
			Error::<Test>::ReportDataMismatch
		);
	});
}

#[test]
fn real_tdx_quote_passes_verification_policy_and_release_matching() {
	let quote = std::fs::read(vectors().join("tdx/tdx-v4-uptodate/quote.bin")).unwrap();
	// The log is the test image's, not this boot's: the binding check comes first and fails.
	let evidence = with_test_log(quote);
	real_evidence_reaches_the_binding_check(
		evidence,
		Some(real_tdx_collateral("tdx-v4-uptodate")),
		1_752_919_234,
	);
}

#[test]
fn real_snp_report_passes_verification_policy_and_release_matching() {
	let dir = vectors().join("snp/snp-milan-v2");
	let evidence = mock_tee::snp_evidence(
		std::fs::read(dir.join("report.bin")).unwrap(),
		std::fs::read(dir.join("vek.der")).unwrap(),
	)
	.unwrap();
	real_evidence_reaches_the_binding_check(evidence, None, 1_767_225_600);
}

#[test]
fn real_outdated_tdx_platform_is_refused_by_the_default_policy() {
	new_test_ext(1_762_000_000).execute_with(|| {
		assert_ok!(Pallet::<Test>::set_trust_anchors(
			RawOrigin::Root.into(),
			Box::new(real_anchors())
		));
		assert_ok!(Pallet::<Test>::upload_collateral(
			RuntimeOrigin::signed(account(9)),
			Box::new(real_tdx_collateral("tdx-v4-outofdate"))
		));
		run_to_block(5);
		let quote = std::fs::read(vectors().join("tdx/tdx-v4-outofdate/quote.bin")).unwrap();
		let who = account(1);
		let claims = register_claims(&who);
		assert_noop!(
			register(&who, with_test_log(quote), claims),
			Error::<Test>::PolicyViolation
		);
	});
}

#[test]
fn genesis_config_installs_anchors_releases_and_collateral() {
	let genesis = GenesisConfig::<Test> {
		trust_anchors: dev_anchors().encode(),
		releases: vec![release().encode()],
		collateral: vec![tdx_collateral(NOW, &TdxTcbConfig::default()).encode()],
		collateral_checked_at: NOW,
		policy: short_cycle_policy().encode(),
		circuits: vec![(
			b"service_response".to_vec(),
			true,
			include_bytes!("../../../primitives/zk-verifier/tests/data/service_response/vk")
				.to_vec(),
		)],
		proof_srs_g2: zk_verifier::DEV_G2.to_vec(),
		_marker: Default::default(),
	};
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	polkadot_sdk::sp_runtime::BuildStorage::assimilate_storage(&genesis, &mut storage).unwrap();
	polkadot_sdk::sp_io::TestExternalities::new(storage).execute_with(|| {
		assert_eq!(TrustAnchors::<Test>::get(), dev_anchors());
		assert_eq!(Releases::<Test>::count(), 1);
		assert_eq!(TdxTcbInfo::<Test>::iter().count(), 1);
		assert_eq!(TdxPckCrl::<Test>::iter().count(), 1);
		assert_eq!(Policy::<Test>::get(), short_cycle_policy());
		assert_eq!(Circuits::<Test>::count(), 1);
		assert_eq!(ProofSrsG2::<Test>::get(), Some(zk_verifier::DEV_G2));
	});
}

#[test]
#[should_panic(expected = "genesis policy is invalid")]
fn genesis_config_refuses_an_invalid_policy() {
	let mut policy = ChainPolicy::default();
	policy.response_window = 0;
	let genesis = GenesisConfig::<Test> {
		policy: policy.encode(),
		..Default::default()
	};
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	let _ = polkadot_sdk::sp_runtime::BuildStorage::assimilate_storage(&genesis, &mut storage);
}

/// `MAX_AMD_CRLS` CRLs signed by the dev ARKs, two per product, each listing 512 serials of
/// 20 bytes (the two together: `MAX_AMD_REVOKED`), current at the SNP benchmark's time.
fn worst_dev_amd_crls() -> Collateral {
	const SNP_BENCH_NOW: u64 = 1_767_225_600;
	let half = tee_verifier::snp::MAX_AMD_REVOKED / 2;
	let mut crls = Vec::new();
	for product in AmdProduct::ALL {
		for first in [0, half] {
			let serials: Vec<Vec<u8>> = (first..first + half)
				.map(|i| {
					let mut serial = vec![0x51; tee_verifier::snp::MAX_SERIAL_LEN as usize];
					serial[16..].copy_from_slice(&i.to_be_bytes());
					serial
				})
				.collect();
			let der = roots()
				.amd_crl(
					product,
					SNP_BENCH_NOW - 86_400 + u64::from(first),
					SNP_BENCH_NOW + 30 * 86_400,
					&serials,
				)
				.unwrap();
			crls.push(der.try_into().unwrap());
		}
	}
	assert_eq!(crls.len(), tee_verifier::evidence::MAX_AMD_CRLS as usize);
	Collateral::Snp(tee_verifier::SnpCollateral {
		crls: crls.try_into().unwrap(),
	})
}

/// The benchmarks (which run in the no_std runtime) read the real collateral and roots as SCALE
/// fixtures; they must be what the test vectors say.
/// Regenerate with `UPDATE_FIXTURES=1 cargo test --release -p pallet-attestation fixtures`.
#[test]
fn benchmark_fixtures_are_current() {
	let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
	let want = [
		(
			"tdx-v4-uptodate.collateral.scale",
			real_tdx_collateral("tdx-v4-uptodate").encode(),
		),
		("real-trust-anchors.scale", real_anchors().encode()),
		("dev-amd-crls.scale", worst_dev_amd_crls().encode()),
	];
	for (name, bytes) in want {
		let path = dir.join(name);
		if std::env::var_os("UPDATE_FIXTURES").is_some() {
			std::fs::create_dir_all(&dir).unwrap();
			std::fs::write(&path, &bytes).unwrap();
		}
		assert!(
			std::fs::read(&path).unwrap_or_default() == bytes,
			"fixtures/{name} is stale"
		);
	}
}

// ---- collateral parts: no rollback of any part, refresh of any one part (issue 16) ----------

/// Bundle minted at `now` (issued a day before) with `config`.
fn bundle_at(now: u64, config: &TdxTcbConfig) -> tee_verifier::TdxCollateral {
	match tdx_collateral(now, config) {
		Collateral::Tdx(c) => c,
		Collateral::Snp(_) => unreachable!(),
	}
}

fn upload_tdx(c: tee_verifier::TdxCollateral) -> polkadot_sdk::sp_runtime::DispatchResult {
	Pallet::<Test>::upload_collateral(
		RuntimeOrigin::signed(account(5)),
		Box::new(Collateral::Tdx(c)),
	)
}

fn revoking_default_pck() -> TdxTcbConfig {
	TdxTcbConfig {
		revoked_pck_serials: vec![roots().pck_serial(&Default::default()).unwrap()],
		..Default::default()
	}
}

/// In the next block, the default platform's evidence is refused (its PCK is revoked).
fn assert_default_platform_refused() {
	run_to_block(6);
	let who = account(1);
	let claims = register_claims(&who);
	assert_noop!(
		register(&who, tdx_evidence_for(&claims), claims),
		Error::<Test>::EvidenceRejected
	);
}

#[test]
fn a_newer_tcb_info_cannot_bring_back_an_older_pck_crl() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		// The PCK CRL now revokes the default platform's PCK certificate.
		pallet_timestamp::Now::<Test>::put((NOW + 60) * 1000);
		assert_ok!(upload_tdx(bundle_at(NOW + 60, &revoking_default_pck())));
		// A bundle with the newest TCB Info but the older CRL (genuine, still valid).
		pallet_timestamp::Now::<Test>::put((NOW + 120) * 1000);
		let old_crl = bundle_at(NOW, &TdxTcbConfig::default());
		let mut rollback = bundle_at(NOW + 120, &TdxTcbConfig::default());
		rollback.pck_crl = old_crl.pck_crl;
		assert_noop!(upload_tdx(rollback), Error::<Test>::CollateralRollback);
		// The revocation still holds.
		assert_default_platform_refused();
	});
}

#[test]
fn a_bundle_may_refresh_only_the_pck_crl() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		// Same TCB Info, QE Identity and root CA CRL as stored; a fresher PCK CRL.
		pallet_timestamp::Now::<Test>::put((NOW + 60) * 1000);
		let mut refresh = bundle_at(NOW, &TdxTcbConfig::default());
		refresh.pck_crl = bundle_at(NOW + 60, &revoking_default_pck()).pck_crl;
		assert_ok!(upload_tdx(refresh));
		assert_default_platform_refused();
	});
}

#[test]
fn an_older_qe_identity_freshly_signed_is_refused() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		pallet_timestamp::Now::<Test>::put((NOW + 60) * 1000);
		// Intel keeps serving identities of older evaluation numbers, freshly signed.
		let older_eval = bundle_at(
			NOW + 60,
			&TdxTcbConfig {
				tcb_evaluation_data_number: 16,
				..Default::default()
			},
		);
		let mut bundle = bundle_at(NOW + 60, &TdxTcbConfig::default());
		bundle.qe_identity = older_eval.qe_identity;
		bundle.qe_identity_signature = older_eval.qe_identity_signature;
		assert_noop!(upload_tdx(bundle), Error::<Test>::CollateralRollback);
	});
}

#[test]
fn a_quote_is_checked_against_the_crl_of_its_own_pck_ca() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let processor = mock_tee::TdxPlatform {
			pck_ca: mock_tee::PckCa::Processor,
			..Default::default()
		};
		let evidence_for = |claims: &Claims| {
			tdx_evidence_with(&TdxQuoteParams {
				platform: processor.clone(),
				..tdx_params(claims.report_data())
			})
		};
		// Only the Platform CA's CRL is stored: a Processor-CA quote has no collateral.
		let who = account(1);
		let claims = register_claims(&who);
		assert_noop!(
			register(&who, evidence_for(&claims), claims),
			Error::<Test>::NoCollateral
		);
		// The Processor CA's CRL, revoking this PCK certificate, is stored beside it (the
		// Platform CA's CRL stays) and the quote is refused.
		pallet_timestamp::Now::<Test>::put((NOW + 60) * 1000);
		assert_ok!(upload_tdx(bundle_at(
			NOW + 60,
			&TdxTcbConfig {
				pck_ca: mock_tee::PckCa::Processor,
				revoked_pck_serials: vec![roots().pck_serial(&processor).unwrap()],
				..Default::default()
			},
		)));
		assert_eq!(TdxPckCrl::<Test>::iter().count(), 2);
		run_to_block(6);
		let claims = register_claims(&who);
		assert_noop!(
			register(&who, evidence_for(&claims), claims),
			Error::<Test>::EvidenceRejected
		);
		// A Platform-CA quote still registers.
		let claims = register_claims(&who);
		assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
	});
}

#[test]
fn the_upgrade_from_storage_version_1_drops_version_1_bundles() {
	use polkadot_sdk::frame_support::traits::{GetStorageVersion, Hooks, StorageVersion};
	new_test_ext(NOW).execute_with(|| {
		StorageVersion::new(1).put::<Pallet<Test>>();
		// A version 1 bundle under its old key.
		let key =
			polkadot_sdk::frame_support::storage::storage_prefix(b"Attestation", b"TdxCollateral");
		let mut full = key.to_vec();
		full.extend(polkadot_sdk::sp_io::hashing::blake2_128(&[1u8; 6]));
		full.extend([1u8; 6]);
		polkadot_sdk::frame_support::storage::unhashed::put_raw(&full, b"old bundle");
		<Pallet<Test> as Hooks<u64>>::on_runtime_upgrade();
		assert!(polkadot_sdk::frame_support::storage::unhashed::get_raw(&full).is_none());
		// Once current the upgrade does nothing.
		polkadot_sdk::frame_support::storage::unhashed::put_raw(&full, b"not touched");
		<Pallet<Test> as Hooks<u64>>::on_runtime_upgrade();
		assert!(polkadot_sdk::frame_support::storage::unhashed::get_raw(&full).is_some());
		assert_eq!(
			Pallet::<Test>::on_chain_storage_version(),
			StorageVersion::new(5)
		);
	});
}

#[test]
fn the_upgrade_to_storage_version_3_keeps_policy_releases_and_workers_and_asks_for_re_attestation()
{
	use crate::migrations::v2;
	use polkadot_sdk::frame_support::{
		storage::{storage_prefix, unhashed},
		traits::{GetStorageVersion, Hooks, StorageVersion},
		StorageHasher, Twox64Concat,
	};
	new_test_ext(NOW).execute_with(|| {
		setup();
		let who = account(1);
		let claims = register_claims(&who);
		assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
		let worker = Workers::<Test>::get(&who).unwrap();
		let stored_release = Releases::<Test>::get(0).unwrap();
		// Rewrite the three values in their version 2 layouts.
		let old_policy = v2::ChainPolicy {
			evidence: v2::EvidencePolicy {
				version: 1,
				accepted_tcb_statuses: vec![
					tee_verifier::TcbStatus::UpToDate,
					tee_verifier::TcbStatus::SWHardeningNeeded,
				]
				.try_into()
				.unwrap(),
				allowed_advisory_ids: Default::default(),
				allow_debug: false,
				allow_migration: false,
				snp_required_vmpl: 0,
				tdx_minimum_tee_tcb_svn: [0; 16],
				snp_minimum_tcb: Default::default(),
				snp_minimum_guest_svn: 3,
				maximum_collateral_age_secs: Some(7),
				attestation_validity_secs: 86_400,
			},
			request_lead_secs: 3600,
			response_window: 20,
			registration_window: 20,
		};
		unhashed::put(&storage_prefix(b"Attestation", b"Policy"), &old_policy);
		let old_release = v2::Release {
			name: stored_release.name.clone(),
			tdx: stored_release.tdx.clone(),
			snp_measurement: stored_release.snp_measurement,
			system_hashes: stored_release.system_hashes.clone(),
			services_roots: stored_release.services_roots.clone(),
			status: stored_release.status,
		};
		let mut release_key = storage_prefix(b"Attestation", b"Releases").to_vec();
		release_key.extend(Twox64Concat::hash(&0u32.encode()));
		unhashed::put(&release_key, &old_release);
		let old_worker = v2::WorkerInfo {
			tee: worker.tee,
			release: worker.release,
			x25519: worker.x25519,
			platform: worker.platform.clone(),
			tcb_status: worker.tcb_status,
			advisory_ids: worker.advisory_ids.clone(),
			system_hash: worker.system_hash,
			services_root: worker.services_root,
			registered_at: worker.registered_at,
			attested_at: worker.attested_at,
			expires_at: worker.expires_at,
			status: worker.status,
			evidence_hash: worker.evidence_hash,
			last_anchor: worker.last_anchor,
		};
		unhashed::put(&Workers::<Test>::hashed_key_for(&who), &old_worker);
		// Version 2 had no release index and no counts of workers per release.
		let _ = ReleaseIndex::<Test>::clear(u32::MAX, None);
		let _ = ReleaseWorkers::<Test>::clear(u32::MAX, None);
		let _ = RootWorkers::<Test>::clear(u32::MAX, None);
		StorageVersion::new(2).put::<Pallet<Test>>();

		<Pallet<Test> as Hooks<u64>>::on_runtime_upgrade();

		assert_eq!(
			Pallet::<Test>::on_chain_storage_version(),
			StorageVersion::new(5)
		);
		let policy = Policy::<Test>::get();
		assert_eq!(policy.evidence.version, tee_verifier::Policy::VERSION);
		assert_eq!(policy.evidence.accepted_tcb_statuses.len(), 2);
		assert_eq!(policy.evidence.snp_minimum_guest_svn, 3);
		assert_eq!(policy.evidence.maximum_collateral_age_secs, Some(7));
		assert!(policy.evidence.require_amd_crl && !policy.evidence.allow_service_tds);
		assert_eq!(Releases::<Test>::get(0).unwrap(), stored_release);
		assert_eq!(ReleaseWorkers::<Test>::get(0), 1);
		let upgraded = Workers::<Test>::get(&who).unwrap();
		assert_eq!(upgraded.rules_epoch, 0);
		assert_eq!(upgraded.expires_at, worker.expires_at);
		// Version 3 starts epoch 1, version 5 moves it on.
		assert_eq!(RulesEpoch::<Test>::get(), 2);
		// The worker was verified under the old rules: the next scan asks it to re-attest.
		run_to_block(System::block_number() + 1);
		assert!(requested_nonce(&who).is_some());
		try_state();
	});
}

/// Version 3 had no release index, no counts of workers per release and no pruning: the
/// upgrade builds the first two, queues the lapsed workers, and the index then finds the
/// release and the pruning removes the lapsed worker after the grace period.
#[test]
fn the_upgrade_to_storage_version_4_indexes_releases_counts_workers_and_queues_lapsed_ones() {
	use polkadot_sdk::frame_support::traits::{GetStorageVersion, Hooks, StorageVersion};
	new_test_ext(NOW).execute_with(|| {
		setup();
		let (active, lapsed) = (account(1), account(2));
		for who in [&active, &lapsed] {
			let claims = register_claims(who);
			assert_ok!(register(who, tdx_evidence_for(&claims), claims));
		}
		Workers::<Test>::mutate(&lapsed, |w| {
			w.as_mut().unwrap().status = WorkerStatus::Lapsed
		});
		let _ = ReleaseIndex::<Test>::clear(u32::MAX, None);
		let _ = ReleaseWorkers::<Test>::clear(u32::MAX, None);
		let _ = RootWorkers::<Test>::clear(u32::MAX, None);
		let _ = PruneQueue::<Test>::clear(u32::MAX, None);
		StorageVersion::new(3).put::<Pallet<Test>>();
		run_to_block(System::block_number() + 1);

		<Pallet<Test> as Hooks<u64>>::on_runtime_upgrade();

		assert_eq!(
			Pallet::<Test>::on_chain_storage_version(),
			StorageVersion::new(5)
		);
		assert_eq!(ReleaseWorkers::<Test>::get(0), 2);
		// The release has TDX and SNP measurements: two keys.
		assert_eq!(ReleaseIndex::<Test>::iter().count(), 2);
		try_state();
		// The index finds the release for a new worker.
		let who = account(3);
		let claims = register_claims(&who);
		assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
		assert_eq!(Workers::<Test>::get(&who).unwrap().release, 0);
		// The lapsed worker goes after the grace period, the others stay.
		run_to_block(System::block_number() + LapsedGracePeriod::get() + 1);
		assert!(Workers::<Test>::get(&lapsed).is_none());
		assert!(Workers::<Test>::get(&active).is_some());
		assert_eq!(ReleaseWorkers::<Test>::get(0), 2);
	});
}

/// Registers account 1 with TDX evidence and account 2 with SNP evidence.
fn register_tdx_and_snp() -> (AccountId32, AccountId32) {
	let (tdx, snp) = (account(1), account(2));
	let claims = register_claims(&tdx);
	assert_ok!(register(&tdx, tdx_evidence_for(&claims), claims));
	let claims = register_claims(&snp);
	assert_ok!(register(
		&snp,
		snp_evidence_with(&snp_params(claims.report_data())),
		claims
	));
	(tdx, snp)
}

/// Version 4 counted no workers per machine and recorded TDX platforms by family only: the
/// upgrade counts the machines it knows (SNP chips), asks every worker to re-attest, and the
/// TDX worker's answer records and counts its machine.
#[test]
fn the_upgrade_to_storage_version_5_counts_machines_and_tdx_workers_record_theirs() {
	use polkadot_sdk::frame_support::traits::{GetStorageVersion, Hooks, StorageVersion};
	new_test_ext(NOW).execute_with(|| {
		setup();
		let (tdx, snp) = register_tdx_and_snp();
		let tdx_machine = Workers::<Test>::get(&tdx).unwrap().platform;
		let fmspc = match tdx_machine {
			PlatformId::Tdx { fmspc, .. } => fmspc,
			_ => panic!("a TDX platform"),
		};
		// As version 4 left them.
		Workers::<Test>::mutate(&tdx, |w| {
			w.as_mut().unwrap().platform = PlatformId::TdxFamily { fmspc }
		});
		let _ = PlatformWorkers::<Test>::clear(u32::MAX, None);
		StorageVersion::new(4).put::<Pallet<Test>>();
		let epoch = RulesEpoch::<Test>::get();

		<Pallet<Test> as Hooks<u64>>::on_runtime_upgrade();

		assert_eq!(
			Pallet::<Test>::on_chain_storage_version(),
			StorageVersion::new(5)
		);
		let snp_machine = Workers::<Test>::get(&snp)
			.unwrap()
			.platform
			.machine_key()
			.unwrap();
		assert_eq!(
			PlatformWorkers::<Test>::iter().collect::<Vec<_>>(),
			vec![(snp_machine, 1)]
		);
		assert_eq!(RulesEpoch::<Test>::get(), epoch + 1);
		try_state();
		// Both are asked to re-attest; the TDX worker's answer records its machine.
		let mut asked = None;
		for _ in 0..20 {
			run_to_block(System::block_number() + 1);
			if PendingRequests::<Test>::contains_key(&tdx) {
				asked = PendingRequests::<Test>::get(&tdx);
				break;
			}
		}
		let request = asked.expect("the TDX worker is asked to re-attest");
		let mut answer = register_claims(&tdx);
		answer.purpose = Purpose::Reattest;
		answer.anchor_block = request.issued_at as u32;
		answer.nonce = request.nonce;
		assert_ok!(Pallet::<Test>::submit_attestation(
			RuntimeOrigin::signed(tdx.clone()),
			Box::new(tdx_evidence_for(&answer)),
			answer
		));
		assert_eq!(Workers::<Test>::get(&tdx).unwrap().platform, tdx_machine);
		assert_eq!(
			PlatformWorkers::<Test>::get(tdx_machine.machine_key().unwrap()),
			1
		);
		try_state();
	});
}

// ---- Governance changes of policy and anchors (issue 16 item 4) ----

#[test]
fn invalid_trust_anchors_are_refused_and_change_nothing() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let before = TrustAnchors::<Test>::get();
		let epoch = RulesEpoch::<Test>::get();
		let mut twice = dev_anchors();
		let milan = twice.amd[0].clone();
		twice.amd.try_push(milan).unwrap();
		let mut garbage = dev_anchors();
		garbage.intel_root_ca = Some(vec![0x30, 0x00].try_into().unwrap());
		let mut not_a_root = dev_anchors();
		not_a_root.amd[0].ark = not_a_root.amd[0].ask.clone().unwrap();
		for bad in [twice, garbage, not_a_root] {
			assert_noop!(
				Pallet::<Test>::set_trust_anchors(RawOrigin::Root.into(), Box::new(bad)),
				Error::<Test>::InvalidTrustAnchors
			);
		}
		assert_eq!(TrustAnchors::<Test>::get(), before);
		assert_eq!(RulesEpoch::<Test>::get(), epoch);
	});
}

/// New anchors do not delete what was verified under the old ones (that would cost in
/// proportion to the stored collateral): it is simply never used again, and uploads under the
/// new roots replace it. Going back to the old anchors makes it usable again (it verified
/// under them).
#[test]
fn collateral_under_a_replaced_root_is_not_used_and_can_be_uploaded_again() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		register_tdx_and_snp();
		assert_eq!(KnownVeks::<Test>::count(), 1);
		// Other roots (another seed).
		let other = DevRoots::from_seed(b"another root").unwrap();
		let anchors = other.trust_anchors_for(&[AmdProduct::Milan]).unwrap();
		assert_ok!(Pallet::<Test>::set_trust_anchors(
			RawOrigin::Root.into(),
			Box::new(anchors.clone())
		));
		// Evidence from the other roots' platforms finds no usable collateral: the stored
		// Intel parts and the AMD CRL verified under the replaced roots.
		let tdx_new = account(3);
		let claims = register_claims(&tdx_new);
		let params = tdx_params(claims.report_data());
		let evidence = with_test_log(other.mint_tdx_quote(&params).unwrap());
		assert_noop!(
			register(&tdx_new, evidence.clone(), claims),
			Error::<Test>::NoCollateral
		);
		let snp_new = account(4);
		let snp_claims = register_claims(&snp_new);
		let (report, vek) = other
			.mint_snp_report(&snp_params(snp_claims.report_data()))
			.unwrap();
		let snp_evidence = mock_tee::snp_evidence(report, vek).unwrap();
		// No CRL under the new ARK: the default policy requires one.
		assert_noop!(
			register(&snp_new, snp_evidence, snp_claims),
			Error::<Test>::PolicyViolation
		);
		// Collateral under the new roots is accepted although the old parts are newer or
		// as new, and then used.
		assert_ok!(Pallet::<Test>::upload_collateral(
			RuntimeOrigin::signed(account(9)),
			Box::new(
				other
					.tdx_collateral(NOW, &TdxTcbConfig::default())
					.unwrap()
					.to_collateral()
					.unwrap()
			)
		));
		assert_ok!(register(&tdx_new, evidence, claims));
		// The same anchors again change nothing.
		assert_ok!(Pallet::<Test>::set_trust_anchors(
			RawOrigin::Root.into(),
			Box::new(anchors)
		));
		assert!(TdxQeIdentity::<Test>::get().is_some());
	});
}

#[test]
fn a_policy_change_asks_every_worker_to_re_attest_and_one_that_no_longer_passes_lapses() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let tdx_worker = account(1);
		let claims = register_claims(&tdx_worker);
		assert_ok!(register(&tdx_worker, tdx_evidence_for(&claims), claims));
		let snp_worker = account(2);
		let snp_claims = register_claims(&snp_worker);
		assert_ok!(register(
			&snp_worker,
			snp_evidence_with(&snp_params(snp_claims.report_data())),
			snp_claims
		));
		// Valid for a day, asked an hour before expiry: nothing is due for a long time.
		run_to_block(System::block_number() + 5);
		assert!(requested_nonce(&tdx_worker).is_none() && requested_nonce(&snp_worker).is_none());
		// The new rules forbid SMT, which the SNP guest allows.
		let mut policy = ChainPolicy::default();
		policy.evidence.snp_allow_smt = false;
		assert_ok!(Pallet::<Test>::set_policy(RawOrigin::Root.into(), policy));
		let mut asked = std::collections::BTreeMap::new();
		for _ in 0..4 {
			run_to_block(System::block_number() + 1);
			for who in [&tdx_worker, &snp_worker] {
				if let Some(r) = requested_nonce(who) {
					asked.insert(who.clone(), (r, System::block_number()));
				}
			}
		}
		assert_eq!(
			asked.len(),
			2,
			"both workers asked within 4 blocks: {asked:?}"
		);
		// The TDX worker passes the new rules and answers.
		let ((nonce, _), asked_at) = asked[&tdx_worker];
		let mut answer = claims;
		answer.purpose = Purpose::Reattest;
		answer.anchor_block = asked_at as u32;
		answer.nonce = nonce;
		assert_ok!(Pallet::<Test>::submit_attestation(
			RuntimeOrigin::signed(tdx_worker.clone()),
			Box::new(tdx_evidence_for(&answer)),
			answer
		));
		let w = Workers::<Test>::get(&tdx_worker).unwrap();
		assert_eq!(
			(w.status, w.rules_epoch),
			(WorkerStatus::Active, RulesEpoch::<Test>::get())
		);
		// The SNP worker cannot: its answer is refused and it lapses at the deadline.
		let ((nonce, deadline), asked_at) = asked[&snp_worker];
		let mut answer = snp_claims;
		answer.purpose = Purpose::Reattest;
		answer.anchor_block = asked_at as u32;
		answer.nonce = nonce;
		assert_noop!(
			Pallet::<Test>::submit_attestation(
				RuntimeOrigin::signed(snp_worker.clone()),
				Box::new(snp_evidence_with(&snp_params(answer.report_data()))),
				answer
			),
			Error::<Test>::PolicyViolation
		);
		run_to_block(deadline + 1);
		assert_eq!(
			Workers::<Test>::get(&snp_worker).unwrap().status,
			WorkerStatus::Lapsed
		);
		// The TDX worker, verified under the current rules, is not asked again.
		run_to_block(System::block_number() + 4);
		assert_eq!(
			Workers::<Test>::get(&tdx_worker).unwrap().status,
			WorkerStatus::Active
		);
		try_state();
	});
}

#[test]
fn after_a_rules_change_every_worker_is_asked_within_the_bound() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let n = MaxWorkers::get();
		for i in 1..=n as u8 {
			let who = account(i);
			let claims = register_claims(&who);
			assert_ok!(register(&who, tdx_evidence_for(&claims), claims));
		}
		let mut policy = Policy::<Test>::get();
		policy.evidence.snp_minimum_guest_svn += 1;
		assert_ok!(Pallet::<Test>::set_policy(RawOrigin::Root.into(), policy));
		// ceil(MaxScans / MaxRequests) laps of ceil(MaxWorkers / MaxScans) + 1 blocks each (a
		// lap ends with a block that finds the end of the map).
		let laps = MaxScansPerBlock::get().div_ceil(MaxRequestsPerBlock::get());
		let bound = laps * (MaxWorkers::get().div_ceil(MaxScansPerBlock::get()) + 1);
		let start = System::block_number();
		let mut asked = std::collections::BTreeSet::new();
		while asked.len() < n as usize {
			assert!(
				System::block_number() < start + u64::from(bound),
				"only {} of {n} asked within {bound} blocks",
				asked.len()
			);
			run_to_block(System::block_number() + 1);
			for e in attestation_events() {
				if let Event::AttestationRequested { worker, .. } = e {
					asked.insert(worker);
				}
			}
			try_state();
		}
	});
}

// ---- Release pins (issue 16 item 6) ----

#[test]
fn a_release_pinning_tdx_registers_refuses_other_values() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let mut pinned = release();
		pinned.tdx_pins = TdxPins {
			mr_config_id: Some([0xc1; 48]),
			mr_owner: Some([0x0a; 48]),
			mr_owner_config: None,
		};
		// Governance's release, pinned (releases are immutable through calls).
		Releases::<Test>::insert(0, pinned);
		let who = account(1);
		let claims = register_claims(&who);
		let mut params = tdx_params(claims.report_data());
		params.mr_config_id = [0xc1; 48];
		params.mr_owner = [0x0b; 48];
		assert_noop!(
			register(&who, tdx_evidence_with(&params), claims),
			Error::<Test>::UnknownRelease
		);
		params.mr_owner = [0x0a; 48];
		params.mr_owner_config = [0x77; 48];
		assert_ok!(register(&who, tdx_evidence_with(&params), claims));
	});
}

#[test]
fn a_release_pinning_snp_fields_refuses_other_values() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let mut pinned = release();
		pinned.snp_pins = SnpPins {
			host_data: Some([0x4d; 32]),
			id_key_digest: Some([0x1d; 48]),
			author_key_digest: Some([0xad; 48]),
		};
		// Governance's release, pinned (releases are immutable through calls).
		Releases::<Test>::insert(0, pinned);
		let who = account(1);
		let claims = register_claims(&who);
		let good = SnpReportParams {
			host_data: [0x4d; 32],
			id_key_digest: [0x1d; 48],
			author_key_digest: [0xad; 48],
			author_key_en: true,
			..snp_params(claims.report_data())
		};
		for bad in [
			SnpReportParams {
				host_data: [0; 32],
				..good.clone()
			},
			SnpReportParams {
				id_key_digest: [0; 48],
				..good.clone()
			},
			SnpReportParams {
				author_key_digest: [0; 48],
				..good.clone()
			},
		] {
			assert_noop!(
				register(&who, snp_evidence_with(&bad), claims),
				Error::<Test>::UnknownRelease
			);
		}
		assert_ok!(register(&who, snp_evidence_with(&good), claims));
	});
}

#[test]
fn snp_evidence_without_a_crl_of_its_product_is_refused_by_the_chain_default_policy() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		SnpCrls::<Test>::remove(tee_verifier::SnpProduct::Milan);
		assert_noop!(register_snp(&account(1)), Error::<Test>::PolicyViolation);
		assert_ok!(upload_crls(vec![amd_crl(AmdProduct::Milan, NOW - 60, &[])]));
		assert_ok!(register_snp(&account(1)));
	});
}

// ---- AMD CRLs: one per product, verified at upload, never dropped by another (issue 16) ----

fn amd_crl(product: AmdProduct, this_update: u64, revoked: &[Vec<u8>]) -> Vec<u8> {
	roots()
		.amd_crl(product, this_update, this_update + 30 * 86_400, revoked)
		.unwrap()
}

fn upload_crls(crls: Vec<Vec<u8>>) -> polkadot_sdk::sp_runtime::DispatchResult {
	let crls = crls
		.into_iter()
		.map(|c| c.try_into().unwrap())
		.collect::<Vec<_>>()
		.try_into()
		.unwrap();
	Pallet::<Test>::upload_collateral(
		RuntimeOrigin::signed(account(5)),
		Box::new(Collateral::Snp(tee_verifier::SnpCollateral { crls })),
	)
}

fn milan_ask_serial() -> Vec<u8> {
	roots().amd_ask_serial(AmdProduct::Milan).unwrap()
}

fn register_snp(who: &AccountId32) -> DispatchResultWithPostInfo {
	let claims = register_claims(who);
	let evidence = snp_evidence_with(&snp_params(claims.report_data()));
	register(who, evidence, claims)
}

/// Milan and Genoa roots, collateral and the release.
fn setup_two_amd_products() {
	setup();
	let anchors = roots()
		.trust_anchors_for(&[AmdProduct::Milan, AmdProduct::Genoa])
		.unwrap();
	Pallet::<Test>::set_trust_anchors(RawOrigin::Root.into(), Box::new(anchors)).unwrap();
}

#[test]
fn a_crl_of_another_product_cannot_remove_a_revocation() {
	new_test_ext(NOW).execute_with(|| {
		setup_two_amd_products();
		assert_ok!(upload_crls(vec![amd_crl(
			AmdProduct::Milan,
			NOW - 3600,
			&[milan_ask_serial()]
		)]));
		assert_noop!(register_snp(&account(1)), Error::<Test>::EvidenceRejected);
		// A newer CRL, but Genoa's: stored beside Milan's, which still revokes the ASK.
		assert_ok!(upload_crls(vec![amd_crl(AmdProduct::Genoa, NOW - 60, &[])]));
		assert_eq!(SnpCrls::<Test>::iter().count(), 2);
		assert_noop!(register_snp(&account(1)), Error::<Test>::EvidenceRejected);
	});
}

#[test]
fn an_older_repeated_or_same_amd_crl_changes_nothing() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		assert_ok!(upload_crls(vec![amd_crl(AmdProduct::Milan, NOW - 60, &[])]));
		let stored = SnpCrls::<Test>::get(tee_verifier::SnpProduct::Milan).unwrap();
		// Older (still valid) and listing nothing new: nothing to store.
		assert_noop!(
			upload_crls(vec![amd_crl(AmdProduct::Milan, NOW - 3600, &[])]),
			Error::<Test>::CollateralNotNewer
		);
		// The same again: nothing newer.
		assert_noop!(
			upload_crls(vec![amd_crl(AmdProduct::Milan, NOW - 60, &[])]),
			Error::<Test>::CollateralNotNewer
		);
		// The same CRL twice in one upload.
		let twice = amd_crl(AmdProduct::Milan, NOW - 30, &[]);
		assert_noop!(
			upload_crls(vec![twice.clone(), twice]),
			Error::<Test>::CollateralRejected
		);
		assert_eq!(
			SnpCrls::<Test>::get(tee_verifier::SnpProduct::Milan),
			Some(stored)
		);
		// A newer one replaces it, and the claims record the check.
		assert_ok!(upload_crls(vec![amd_crl(AmdProduct::Milan, NOW - 30, &[])]));
		assert!(matches!(
			attestation_events().last(),
			Some(Event::AmdCrlUpdated {
				product: tee_verifier::SnpProduct::Milan,
				revoked: 0,
				..
			})
		));
		run_to_block(6);
		assert_ok!(register_snp(&account(1)));
		let record = AcceptedEvidence::<Test>::get(account(1)).unwrap();
		let VerifiedClaims::Snp(claims) = tee_verifier::verify_with_stored(
			&record.evidence,
			&TrustAnchors::<Test>::get(),
			tee_verifier::StoredCollateral::Snp(
				SnpCrls::<Test>::get(tee_verifier::SnpProduct::Milan).as_ref(),
				None,
			),
			NOW,
		)
		.unwrap() else {
			panic!("SNP claims")
		};
		assert!(claims.crl_checked);
	});
}

fn register_vlek(who: &AccountId32) -> DispatchResultWithPostInfo {
	let claims = register_claims(who);
	let params = SnpReportParams {
		signing_key: mock_tee::SnpSigningKey::Vlek,
		..snp_params(claims.report_data())
	};
	register(who, snp_evidence_with(&params), claims)
}

#[test]
fn a_newer_crl_that_no_longer_lists_a_serial_does_not_un_revoke_it() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		assert_ok!(upload_crls(vec![amd_crl(
			AmdProduct::Milan,
			NOW - 3600,
			&[milan_ask_serial()]
		)]));
		assert_noop!(register_snp(&account(1)), Error::<Test>::EvidenceRejected);
		assert_ok!(upload_crls(vec![amd_crl(AmdProduct::Milan, NOW - 60, &[])]));
		let stored = SnpCrls::<Test>::get(tee_verifier::SnpProduct::Milan).unwrap();
		assert_eq!(
			(stored.this_update(), stored.revoked_count()),
			(NOW - 60, 1)
		);
		assert_noop!(register_snp(&account(1)), Error::<Test>::EvidenceRejected);
	});
}

#[test]
fn the_vlek_crl_adds_its_revocations_even_when_older_than_the_vcek_crl() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		// The VCEK CRL (newer, revokes nothing here) is stored first.
		assert_ok!(upload_crls(vec![amd_crl(AmdProduct::Milan, NOW - 60, &[])]));
		assert_ok!(register_vlek(&account(1)));
		// The VLEK CRL, published earlier, revokes the ASVK: it is added, not refused.
		let asvk = roots().amd_asvk_serial(AmdProduct::Milan).unwrap();
		assert_ok!(upload_crls(vec![amd_crl(
			AmdProduct::Milan,
			NOW - 3600,
			&[asvk.clone()]
		)]));
		let stored = SnpCrls::<Test>::get(tee_verifier::SnpProduct::Milan).unwrap();
		assert_eq!(
			(stored.this_update(), stored.revoked_count()),
			(NOW - 60, 1)
		);
		assert_noop!(register_vlek(&account(2)), Error::<Test>::EvidenceRejected);
		// Both in one upload work too, and a later VCEK CRL keeps the ASVK revoked.
		assert_ok!(upload_crls(vec![
			amd_crl(AmdProduct::Milan, NOW - 30, &[]),
			amd_crl(AmdProduct::Milan, NOW - 20, &[asvk]),
		]));
		assert_noop!(register_vlek(&account(2)), Error::<Test>::EvidenceRejected);
		assert_ok!(register_snp(&account(3)));
	});
}

// ---- Revocations learnt after acceptance reach the workers (issue 16 item 4) ----

/// Re-attestation requests issued in the next `blocks` blocks, by worker.
fn requests_within(blocks: u64) -> std::collections::BTreeMap<AccountId32, ([u8; 32], u64, u64)> {
	let mut asked = std::collections::BTreeMap::new();
	for _ in 0..blocks {
		run_to_block(System::block_number() + 1);
		for e in attestation_events() {
			if let Event::AttestationRequested {
				worker,
				nonce,
				deadline,
			} = e
			{
				asked.insert(worker, (nonce, deadline, System::block_number()));
			}
		}
	}
	asked
}

#[test]
fn a_pck_crl_revoking_a_workers_key_makes_it_re_attest_and_lapse() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		let tdx_worker = account(1);
		let claims = register_claims(&tdx_worker);
		assert_ok!(register(&tdx_worker, tdx_evidence_for(&claims), claims));
		assert_ok!(register_snp(&account(2)));
		let epoch = RulesEpoch::<Test>::get();
		// A refresh that revokes nothing new: nothing to re-check.
		assert_ok!(upload_tdx(bundle_at(NOW + 60, &TdxTcbConfig::default())));
		assert_eq!(RulesEpoch::<Test>::get(), epoch);
		assert!(requests_within(4).is_empty());
		// Intel revokes the worker's PCK key.
		assert_ok!(upload_tdx(bundle_at(NOW + 120, &revoking_default_pck())));
		assert_eq!(RulesEpoch::<Test>::get(), epoch + 1);
		let asked = requests_within(4);
		assert_eq!(asked.len(), 2, "{asked:?}");
		let (nonce, deadline, asked_at) = asked[&tdx_worker];
		let mut answer = claims;
		answer.purpose = Purpose::Reattest;
		answer.anchor_block = asked_at as u32;
		answer.nonce = nonce;
		assert_noop!(
			Pallet::<Test>::submit_attestation(
				RuntimeOrigin::signed(tdx_worker.clone()),
				Box::new(tdx_evidence_for(&answer)),
				answer
			),
			Error::<Test>::EvidenceRejected
		);
		run_to_block(deadline + 1);
		assert_eq!(
			Workers::<Test>::get(&tdx_worker).unwrap().status,
			WorkerStatus::Lapsed
		);
		try_state();
	});
}

#[test]
fn an_amd_crl_adding_a_serial_makes_workers_re_attest_a_refresh_does_not() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		assert_ok!(register_snp(&account(1)));
		let epoch = RulesEpoch::<Test>::get();
		assert_ok!(upload_crls(vec![amd_crl(AmdProduct::Milan, NOW - 60, &[])]));
		assert_eq!(RulesEpoch::<Test>::get(), epoch);
		assert!(requests_within(4).is_empty());
		assert_ok!(upload_crls(vec![amd_crl(
			AmdProduct::Milan,
			NOW - 30,
			&[milan_ask_serial()]
		)]));
		assert_eq!(RulesEpoch::<Test>::get(), epoch + 1);
		assert!(requests_within(4).contains_key(&account(1)));
	});
}

#[test]
fn setting_the_same_policy_or_anchors_again_re_checks_nobody() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		assert_ok!(register_snp(&account(1)));
		let epoch = RulesEpoch::<Test>::get();
		assert_ok!(Pallet::<Test>::set_policy(
			RawOrigin::Root.into(),
			Policy::<Test>::get()
		));
		assert_ok!(Pallet::<Test>::set_trust_anchors(
			RawOrigin::Root.into(),
			Box::new(dev_anchors())
		));
		assert_eq!(RulesEpoch::<Test>::get(), epoch);
		assert_eq!(KnownVeks::<Test>::count(), 1);
		assert!(requests_within(4).is_empty());
	});
}

#[test]
fn the_upgrade_leaves_require_amd_crl_off_without_a_crl_of_every_product() {
	use polkadot_sdk::frame_support::{
		storage::{storage_prefix, unhashed},
		traits::{Hooks, StorageVersion},
	};
	new_test_ext(NOW).execute_with(|| {
		setup();
		SnpCrls::<Test>::remove(tee_verifier::SnpProduct::Milan);
		let v1_policy = crate::migrations::v2::EvidencePolicy {
			version: 1,
			accepted_tcb_statuses: vec![tee_verifier::TcbStatus::UpToDate].try_into().unwrap(),
			allowed_advisory_ids: Default::default(),
			allow_debug: false,
			allow_migration: false,
			snp_required_vmpl: 0,
			tdx_minimum_tee_tcb_svn: [0; 16],
			snp_minimum_tcb: Default::default(),
			snp_minimum_guest_svn: 0,
			maximum_collateral_age_secs: None,
			attestation_validity_secs: 86_400,
		};
		let old = crate::migrations::v2::ChainPolicy {
			evidence: v1_policy,
			request_lead_secs: 3600,
			response_window: 20,
			registration_window: 20,
		};
		unhashed::put(&storage_prefix(b"Attestation", b"Policy"), &old);
		// A worker record that does not decode: removed with its evidence, counter kept right.
		unhashed::put_raw(&Workers::<Test>::hashed_key_for(account(7)), b"garbage");
		polkadot_sdk::frame_support::storage::unhashed::put(
			&storage_prefix(b"Attestation", b"CounterForWorkers"),
			&1u32,
		);
		StorageVersion::new(2).put::<Pallet<Test>>();
		<Pallet<Test> as Hooks<u64>>::on_runtime_upgrade();
		assert!(!Policy::<Test>::get().evidence.require_amd_crl);
		assert_eq!(Workers::<Test>::count(), 0);
		try_state();
	});
}

/// `PolicySet` and `TrustAnchorsSet` name what is now in force: the SHA-256 of its SCALE
/// encoding, which anyone can recompute from the call or from storage.
#[test]
fn governance_events_carry_the_hash_of_what_is_in_force() {
	new_test_ext(NOW).execute_with(|| {
		setup();
		System::reset_events();
		let policy = short_cycle_policy();
		assert_ok!(Pallet::<Test>::set_policy(
			RawOrigin::Root.into(),
			policy.clone()
		));
		let hash = polkadot_sdk::sp_io::hashing::sha2_256(&policy.encode());
		assert!(
			attestation_events().contains(&Event::PolicySet {
				version: policy.evidence.version,
				hash
			}),
			"{:?}",
			attestation_events()
		);
		assert_eq!(
			hash,
			polkadot_sdk::sp_io::hashing::sha2_256(&Policy::<Test>::get().encode())
		);
		let anchors = dev_anchors();
		assert_ok!(Pallet::<Test>::set_trust_anchors(
			RawOrigin::Root.into(),
			Box::new(anchors.clone())
		));
		let hash = polkadot_sdk::sp_io::hashing::sha2_256(&anchors.encode());
		assert!(attestation_events().contains(&Event::TrustAnchorsSet { hash }));
		assert_ne!(hash, [0; 32]);
	});
}
