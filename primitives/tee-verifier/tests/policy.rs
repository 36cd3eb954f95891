//! Policy decisions on real verified claims, with single fields changed.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::field_reassign_with_default
)]

mod common;

use codec::{Decode, Encode};
use tee_verifier::{
	verify, AdvisoryId, Policy, SnpClaims, SnpMinimumTcb, TcbStatus, TdxClaims, VerifiedClaims,
	Violation,
};

fn verified(id: &str) -> VerifiedClaims {
	let case = common::case(id);
	verify(
		&case.evidence,
		&common::trust_anchors(&common::vectors_dir()),
		&case.collateral,
		case.now,
	)
	.unwrap()
}

fn tdx(id: &str) -> TdxClaims {
	match verified(id) {
		VerifiedClaims::Tdx(c) => c,
		_ => panic!("not TDX"),
	}
}

fn snp(id: &str) -> SnpClaims {
	match verified(id) {
		VerifiedClaims::Snp(c) => c,
		_ => panic!("not SNP"),
	}
}

fn violations(p: &Policy, c: VerifiedClaims) -> Vec<Violation> {
	match p.check(&c) {
		Ok(()) => vec![],
		Err(v) => v.violations,
	}
}

fn advisory(s: &str) -> AdvisoryId {
	s.as_bytes().to_vec().try_into().unwrap()
}

#[test]
fn default_policy_accepts_up_to_date_tdx() {
	assert_eq!(
		violations(
			&Policy::default(),
			VerifiedClaims::Tdx(tdx("tdx-v4-uptodate"))
		),
		vec![]
	);
}

#[test]
fn revoked_is_never_accepted_even_if_listed() {
	let mut c = tdx("tdx-v4-uptodate");
	c.tcb_status = TcbStatus::Revoked;
	let mut p = Policy::default();
	p.accepted_tcb_statuses = vec![TcbStatus::UpToDate, TcbStatus::Revoked]
		.try_into()
		.unwrap();
	assert_eq!(
		violations(&p, VerifiedClaims::Tdx(c)),
		vec![Violation::TcbRevoked]
	);
}

#[test]
fn rejects_advisories_not_on_the_allow_list() {
	let mut c = tdx("tdx-v4-uptodate");
	c.advisory_ids = vec![advisory("INTEL-SA-00615"), advisory("INTEL-SA-00837")]
		.try_into()
		.unwrap();
	let mut p = Policy::default();
	assert_eq!(
		violations(&p, VerifiedClaims::Tdx(c.clone())),
		vec![Violation::AdvisoryNotAllowed]
	);
	p.allowed_advisory_ids = vec![advisory("INTEL-SA-00615")].try_into().unwrap();
	assert_eq!(
		violations(&p, VerifiedClaims::Tdx(c.clone())),
		vec![Violation::AdvisoryNotAllowed]
	);
	p.allowed_advisory_ids
		.try_push(advisory("INTEL-SA-00837"))
		.unwrap();
	assert_eq!(violations(&p, VerifiedClaims::Tdx(c)), vec![]);
}

#[test]
fn rejects_migratable_td_unless_allowed() {
	let mut c = tdx("tdx-v4-uptodate");
	c.td_attributes[3] |= 0x20;
	assert_eq!(
		violations(&Policy::default(), VerifiedClaims::Tdx(c.clone())),
		vec![Violation::Migration]
	);
	let p = Policy {
		allow_migration: true,
		..Policy::default()
	};
	assert_eq!(violations(&p, VerifiedClaims::Tdx(c)), vec![]);
}

#[test]
fn rejects_snp_migration_agent_unless_allowed() {
	let mut c = snp("snp-milan-v2");
	c.policy |= 1 << 18;
	assert_eq!(
		violations(&Policy::default(), VerifiedClaims::Snp(c.clone())),
		vec![Violation::Migration]
	);
	let mut c = snp("snp-milan-v2");
	c.report_id_ma = [7; 32];
	assert_eq!(
		violations(&Policy::default(), VerifiedClaims::Snp(c)),
		vec![Violation::Migration]
	);
}

#[test]
fn rejects_td_without_sept_ve_disable_or_with_reserved_attributes() {
	let base = tdx("tdx-v4-uptodate");
	assert!(base.sept_ve_disabled() && !base.reserved_attributes_set());
	let mut c = base.clone();
	c.td_attributes[3] &= !0x10; // clear bit 28
	assert_eq!(
		violations(&Policy::default(), VerifiedClaims::Tdx(c)),
		vec![Violation::UnsafeTdAttributes]
	);
	for bit in [1u32, 3, 7, 15, 23, 26, 32, 61] {
		let mut c = base.clone();
		c.td_attributes = (c.td_attributes_u64() | (1 << bit)).to_le_bytes();
		let v = violations(&Policy::default(), VerifiedClaims::Tdx(c));
		assert!(
			v.contains(&Violation::UnsafeTdAttributes),
			"bit {bit}: {v:?}"
		);
	}
	for bit in [30u32, 62, 63] {
		let mut c = base.clone();
		c.td_attributes = (c.td_attributes_u64() | (1 << bit)).to_le_bytes();
		assert_eq!(
			violations(&Policy::default(), VerifiedClaims::Tdx(c)),
			vec![],
			"bit {bit}"
		);
	}
}

#[test]
fn treats_every_tud_bit_as_debug() {
	for bit in 0..8u32 {
		let mut c = tdx("tdx-v4-uptodate");
		c.td_attributes = (c.td_attributes_u64() | (1 << bit)).to_le_bytes();
		assert!(c.debug(), "bit {bit}");
		let v = violations(&Policy::default(), VerifiedClaims::Tdx(c));
		assert!(v.contains(&Violation::Debug), "bit {bit}: {v:?}");
	}
}

#[test]
fn enforces_minimum_svns() {
	let c = tdx("tdx-v4-uptodate");
	let mut p = Policy::default();
	p.tdx_minimum_tee_tcb_svn = c.tee_tcb_svn;
	assert_eq!(violations(&p, VerifiedClaims::Tdx(c.clone())), vec![]);
	p.tdx_minimum_tee_tcb_svn[2] += 1;
	assert_eq!(
		violations(&p, VerifiedClaims::Tdx(c)),
		vec![Violation::TeeTcbSvnTooLow]
	);

	let s = snp("snp-milan-v2");
	let t = s.reported_tcb;
	let mut p = Policy::default();
	p.snp_minimum_tcb = SnpMinimumTcb {
		bootloader: t.bootloader,
		tee: t.tee,
		snp: t.snp,
		microcode: t.microcode,
		fmc: 0,
	};
	assert_eq!(violations(&p, VerifiedClaims::Snp(s.clone())), vec![]);
	p.snp_minimum_tcb.microcode += 1;
	assert_eq!(
		violations(&p, VerifiedClaims::Snp(s.clone())),
		vec![Violation::SnpTcbTooLow]
	);
	let p = Policy {
		snp_minimum_guest_svn: s.guest_svn + 1,
		..Policy::default()
	};
	assert_eq!(
		violations(&p, VerifiedClaims::Snp(s)),
		vec![Violation::GuestSvnTooLow]
	);
}

#[test]
fn enforces_maximum_collateral_age() {
	let c = tdx("tdx-v4-uptodate");
	let age = c.verified_at - c.collateral_issued_at;
	let p = Policy {
		maximum_collateral_age_secs: Some(age),
		..Policy::default()
	};
	assert_eq!(violations(&p, VerifiedClaims::Tdx(c.clone())), vec![]);
	let p = Policy {
		maximum_collateral_age_secs: Some(age - 1),
		..Policy::default()
	};
	assert_eq!(
		violations(&p, VerifiedClaims::Tdx(c)),
		vec![Violation::CollateralTooOld]
	);
}

#[test]
fn reports_every_violation_at_once() {
	let mut c = tdx("tdx-v4-debug-td");
	c.tcb_status = TcbStatus::OutOfDate;
	c.td_attributes[3] |= 0x20;
	assert_eq!(
		violations(&Policy::default(), VerifiedClaims::Tdx(c)),
		vec![
			Violation::Debug,
			Violation::TcbStatusNotAccepted(TcbStatus::OutOfDate),
			Violation::Migration
		]
	);
	let mut s = snp("snp-milan-v3-vlek");
	s.policy |= 1 << 19;
	assert_eq!(
		violations(&Policy::default(), VerifiedClaims::Snp(s)),
		vec![Violation::Debug, Violation::WrongVmpl(1)]
	);
}

#[test]
fn refuses_policy_of_unknown_version() {
	let p = Policy {
		version: Policy::VERSION + 1,
		..Policy::default()
	};
	assert_eq!(
		violations(&p, VerifiedClaims::Tdx(tdx("tdx-v4-uptodate"))),
		vec![Violation::UnsupportedPolicyVersion(Policy::VERSION + 1)]
	);
}

#[test]
fn attestation_expiry_is_capped_by_collateral_expiry() {
	// This case's `now` is one second before its PCK CRL's nextUpdate.
	let c = VerifiedClaims::Tdx(tdx("tdx-v4-uptodate"));
	assert_eq!(c.expires_at(), c.verified_at() + 1);
	let short = Policy {
		attestation_validity_secs: 60,
		..Policy::default()
	};
	assert_eq!(short.attestation_expiry(&c), c.expires_at());
	// SNP certificates are valid for years.
	let c = verified("snp-milan-v2");
	assert!(c.expires_at() > c.verified_at() + 60);
	assert_eq!(short.attestation_expiry(&c), c.verified_at() + 60);
	let long = Policy {
		attestation_validity_secs: u64::MAX,
		..Policy::default()
	};
	assert_eq!(long.attestation_expiry(&c), c.expires_at());
}

#[test]
fn policy_and_claims_round_trip_through_scale() {
	let p = Policy::default();
	assert_eq!(Policy::decode(&mut &p.encode()[..]).unwrap(), p);
	for id in ["tdx-v5-uptodate", "snp-genoa-v3"] {
		let c = verified(id);
		assert_eq!(VerifiedClaims::decode(&mut &c.encode()[..]).unwrap(), c);
	}
}

#[test]
fn a_td_bound_to_service_tds_is_refused_unless_allowed() {
	let base = tdx("tdx-v5-uptodate");
	assert_eq!(base.mr_service_td, Some([0; 48]));
	assert_eq!(
		violations(&Policy::default(), VerifiedClaims::Tdx(base.clone())),
		vec![]
	);
	let mut bound = base;
	bound.mr_service_td = Some([0x5a; 48]);
	assert_eq!(
		violations(&Policy::default(), VerifiedClaims::Tdx(bound.clone())),
		vec![Violation::ServiceTdBound]
	);
	let p = Policy {
		allow_service_tds: true,
		..Policy::default()
	};
	assert_eq!(violations(&p, VerifiedClaims::Tdx(bound)), vec![]);
}

#[test]
fn snp_evidence_checked_without_a_crl_is_refused_when_the_policy_requires_one() {
	let mut c = snp("snp-milan-v2");
	assert!(!c.crl_checked, "the vectors carry no AMD CRL");
	let p = Policy {
		require_amd_crl: true,
		..Policy::default()
	};
	assert_eq!(
		violations(&p, VerifiedClaims::Snp(c.clone())),
		vec![Violation::NoAmdCrl]
	);
	assert_eq!(
		violations(&Policy::default(), VerifiedClaims::Snp(c.clone())),
		vec![]
	);
	c.crl_checked = true;
	assert_eq!(violations(&p, VerifiedClaims::Snp(c)), vec![]);
}

#[test]
fn an_snp_guest_allowing_smt_is_refused_when_the_policy_forbids_smt() {
	let c = snp("snp-milan-v2");
	assert!(c.smt_allowed());
	let p = Policy {
		snp_allow_smt: false,
		..Policy::default()
	};
	assert_eq!(
		violations(&p, VerifiedClaims::Snp(c.clone())),
		vec![Violation::Smt]
	);
	let mut no_smt = c;
	no_smt.policy &= !(1 << 16);
	assert_eq!(violations(&p, VerifiedClaims::Snp(no_smt)), vec![]);
}

#[test]
fn an_snp_guest_launched_under_an_old_tcb_is_refused_below_the_minimum_launch_tcb() {
	let s = snp("snp-genoa-v3");
	let t = s.launch_tcb;
	let mut p = Policy::default();
	p.snp_minimum_launch_tcb = SnpMinimumTcb {
		bootloader: t.bootloader,
		tee: t.tee,
		snp: t.snp,
		microcode: t.microcode,
		fmc: 0,
	};
	assert_eq!(violations(&p, VerifiedClaims::Snp(s.clone())), vec![]);
	p.snp_minimum_launch_tcb.snp += 1;
	assert_eq!(
		violations(&p, VerifiedClaims::Snp(s.clone())),
		vec![Violation::SnpLaunchTcbTooLow]
	);
	// The reported TCB minimum is a separate rule.
	let mut low_launch = s;
	low_launch.launch_tcb.snp = 0;
	p.snp_minimum_launch_tcb = SnpMinimumTcb::default();
	p.snp_minimum_launch_tcb.snp = 1;
	assert_eq!(
		violations(&p, VerifiedClaims::Snp(low_launch)),
		vec![Violation::SnpLaunchTcbTooLow]
	);
}
