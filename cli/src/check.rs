//! Re-verifying what the chain accepted, off chain, field by field.
//!
//! `attest worker` takes the evidence and claims a worker was accepted with and the chain's
//! trust anchors, collateral, policy and release as they were in the block before acceptance,
//! verifies the evidence in full (including the collateral's own signatures, which the chain
//! checked once at upload), applies the policy, recomputes the REPORT_DATA binding, and
//! compares every claim with the worker record and the release.

use codec::Encode;
use pallet_attestation::{ChainPolicy, EvidenceRecord, Release, WorkerInfo, WorkerStatus};
use serde_json::{json, Value};
use tee_verifier::{snp::VerifiedAmdCrl, Collateral, TrustAnchors, VerifiedClaims, Violation};

/// One compared field.
#[derive(Clone, Debug)]
pub struct Row {
	/// What is compared.
	pub field: &'static str,
	/// What the evidence / record says.
	pub claimed: String,
	/// What it must be.
	pub expected: String,
	/// Whether they agree.
	pub ok: bool,
}

impl Row {
	fn new(field: &'static str, claimed: String, expected: String, ok: bool) -> Self {
		Self {
			field,
			claimed,
			expected,
			ok,
		}
	}

	fn eq(field: &'static str, claimed: String, expected: String) -> Self {
		let ok = claimed == expected;
		Self::new(field, claimed, expected, ok)
	}

	/// A row that is ok when `claimed == expected`.
	pub fn eq_pub(field: &'static str, claimed: String, expected: String) -> Self {
		Self::eq(field, claimed, expected)
	}

	/// As JSON.
	pub fn json(&self) -> Value {
		json!({ "field": self.field, "claimed": self.claimed, "expected": self.expected, "ok": self.ok })
	}
}

/// What the chain held when it accepted the evidence.
/// The collateral the chain holds for a piece of evidence.
#[derive(Clone)]
pub enum ChainCollateral {
	/// Intel's parts, combined into the bundle they came from (re-verified in full here).
	Tdx(Box<Collateral>),
	/// The AMD CRL of the evidence's product, as the chain verified and stored it (listed
	/// serials and window; the chain keeps no DER to re-check its signature), if any.
	Snp(Option<VerifiedAmdCrl>),
}

impl ChainCollateral {
	/// Verify `evidence` at `now` with this collateral: TDX in full; SNP in full (certificate
	/// chain included) with the stored CRL of its product.
	pub fn verify(
		&self,
		evidence: &tee_verifier::Evidence,
		anchors: &TrustAnchors,
		now: u64,
	) -> Result<tee_verifier::VerifiedClaims, tee_verifier::VerifyError> {
		match self {
			ChainCollateral::Tdx(c) => tee_verifier::verify(evidence, anchors, c, now),
			ChainCollateral::Snp(crl) => tee_verifier::verify_with_stored(
				evidence,
				anchors,
				tee_verifier::StoredCollateral::Snp(crl.as_ref(), None),
				now,
			),
		}
	}
}

/// The chain state evidence is judged by.
#[derive(Clone)]
pub struct ChainContext {
	/// The chain's genesis hash.
	pub genesis: [u8; 32],
	/// Trust anchors.
	pub anchors: TrustAnchors,
	/// Collateral for this evidence, as the chain holds it.
	pub collateral: ChainCollateral,
	/// Policy.
	pub policy: ChainPolicy,
	/// The worker's release.
	pub release: Option<Release>,
	/// Now (for the expiry check), Unix seconds.
	pub now: u64,
}

/// What the chain's history says a nonce must be (read by the caller at the blocks involved).
pub enum ExpectedNonce {
	/// A registration: the hash of its anchor block, which lies at most `window` blocks before
	/// the block that accepted it.
	Registration {
		/// Hash of block `claims.anchor_block`.
		anchor_hash: [u8; 32],
		/// The policy's registration window when it was accepted.
		window: u32,
		/// The block that accepted it.
		accepted_in: u32,
	},
	/// A re-attestation: the pallet's request nonce, derived from the parent hash of the block
	/// that issued the request (`claims.anchor_block`) and the worker.
	Reattestation {
		/// Hash of block `claims.anchor_block - 1`.
		parent_hash: [u8; 32],
	},
}

/// The nonce the pallet gives a re-attestation request issued in a block whose parent is
/// `parent_hash` (see the pallet's `request_reattestations`).
pub fn request_nonce(parent_hash: [u8; 32], who: [u8; 32]) -> [u8; 32] {
	pallet_attestation::request_nonce(&parent_hash, &who)
}

/// Whether the claims' nonce is fresh: checked here from the chain's block hashes rather than
/// taken from the chain's verdict.
pub fn freshness_row(
	claims: &tee_verifier::Claims,
	who: [u8; 32],
	expected: &ExpectedNonce,
) -> Row {
	match expected {
		ExpectedNonce::Registration {
			anchor_hash,
			window,
			accepted_in,
		} => {
			let age = accepted_in.checked_sub(claims.anchor_block);
			Row::new(
				"freshness",
				format!(
					"nonce {} (anchor block {}, {} blocks before acceptance)",
					short(&claims.nonce),
					claims.anchor_block,
					age.map_or("not".into(), |a| a.to_string())
				),
				format!(
					"the hash of block {} ({}), 1 to {window} blocks before block {accepted_in}",
					claims.anchor_block,
					short(anchor_hash)
				),
				claims.nonce == *anchor_hash && age.is_some_and(|a| a >= 1 && a <= *window),
			)
		}
		ExpectedNonce::Reattestation { parent_hash } => {
			let nonce = request_nonce(*parent_hash, who);
			Row::new(
				"freshness",
				format!(
					"nonce {} (request of block {})",
					short(&claims.nonce),
					claims.anchor_block
				),
				format!(
					"the request nonce of block {} ({})",
					claims.anchor_block,
					short(&nonce)
				),
				claims.nonce == nonce,
			)
		}
	}
}

fn short(bytes: &[u8]) -> String {
	hex::encode(bytes)
}

/// Compares the record with a full off-chain re-verification; every row must be ok.
/// `stored_hash`: the evidence hash the record holds (`None` for live evidence).
pub fn worker_rows(
	who: [u8; 32],
	info: &WorkerInfo<u32>,
	record: &EvidenceRecord<u32>,
	ctx: &ChainContext,
	stored_hash: Option<[u8; 32]>,
) -> Vec<Row> {
	let claims = &record.claims;
	let mut rows = Vec::new();
	let verified = ctx
		.collateral
		.verify(&record.evidence, &ctx.anchors, record.verified_at);
	rows.push(Row::new(
		"evidence",
		match &verified {
			Ok(_) => "verifies".into(),
			Err(e) => format!("rejected: {e}"),
		},
		"verifies under the chain's roots and collateral".into(),
		verified.is_ok(),
	));
	if let Some(stored) = stored_hash {
		let evidence_hash = sp_crypto_hashing::blake2_256(&record.evidence.encode());
		rows.push(Row::eq(
			"evidence hash",
			short(&evidence_hash),
			short(&stored),
		));
	}
	if let Ok(v) = &verified {
		let policy = ctx.policy.evidence.check(v);
		rows.push(Row::new(
			"policy",
			match &policy {
				Ok(()) => format!("satisfies policy v{}", ctx.policy.evidence.version),
				Err(violation) => violation.to_string(),
			},
			format!("satisfies policy v{}", ctx.policy.evidence.version),
			policy.is_ok(),
		));
		rows.push(Row::eq(
			"report_data",
			short(v.report_data()),
			short(&tee_verifier::report_data(claims)),
		));
		rows.push(measured_system_row(claims, v));
		rows.extend(measurement_rows(v, ctx.release.as_ref()));
		rows.extend(differing_register_events(
			&record.evidence,
			v,
			ctx.release.as_ref(),
		));
		let violations = policy.as_ref().err().map_or(&[][..], |p| &p.violations[..]);
		rows.extend(pin_rows(
			v,
			ctx.release.as_ref(),
			&ctx.policy.evidence,
			violations,
		));
		let tcb = match v {
			VerifiedClaims::Tdx(c) => Some(c.tcb_status),
			VerifiedClaims::Snp(_) => None,
		};
		rows.push(Row::eq(
			"tcb status",
			format!("{:?}", info.tcb_status),
			format!("{tcb:?}"),
		));
	}
	rows.push(Row::eq(
		"genesis hash",
		short(&claims.genesis_hash),
		short(&ctx.genesis),
	));
	rows.push(Row::eq("account", short(&claims.account), short(&who)));
	if stored_hash.is_some() {
		// Evidence the chain accepted is for Register or Reattest; OffChain evidence (what
		// any worker's API hands out) can never be accepted, so it means a forged record.
		rows.push(Row::new(
			"purpose",
			format!("{:?}", claims.purpose),
			"Register or Reattest".into(),
			claims.purpose != tee_verifier::Purpose::OffChain,
		));
	}
	rows.push(Row::eq(
		"x25519",
		short(&claims.x25519),
		short(&info.x25519),
	));
	let release_systems = ctx
		.release
		.as_ref()
		.map(|r| r.system_hashes.to_vec())
		.unwrap_or_default();
	rows.push(Row::new(
		"system hash",
		short(&claims.system_hash),
		format!(
			"one of the release's {} system hashes",
			release_systems.len()
		),
		claims.system_hash == info.system_hash && release_systems.contains(&claims.system_hash),
	));
	let release_roots = ctx
		.release
		.as_ref()
		.map(|r| r.services_roots.to_vec())
		.unwrap_or_default();
	rows.push(Row::new(
		"services root",
		short(&claims.services_root),
		if release_roots.is_empty() {
			"the record's (release accepts any root)".into()
		} else {
			format!("one of the release's {} roots", release_roots.len())
		},
		claims.services_root == info.services_root
			&& (release_roots.is_empty() || release_roots.contains(&claims.services_root)),
	));
	rows.push(Row::new(
		"status",
		format!("{:?}", info.status),
		"Active or Pending".into(),
		info.status != WorkerStatus::Lapsed,
	));
	rows.push(Row::new(
		"expiry",
		info.expires_at.to_string(),
		format!("after now ({})", ctx.now),
		info.expires_at > ctx.now,
	));
	rows
}

/// Whether the claimed system is the measured one (TDX: the event log's RTMR3 system event;
/// SEV-SNP: fixed by the launch measurement, which the release pins).
fn measured_system_row(claims: &tee_verifier::Claims, v: &VerifiedClaims) -> Row {
	let expected = match v {
		VerifiedClaims::Tdx(_) => "the system the event log measured into RTMR3",
		VerifiedClaims::Snp(_) => "fixed by the launch measurement (SEV-SNP)",
	};
	let result = tee_verifier::check_measured_system(claims, v);
	Row::new(
		"measured system",
		match &result {
			Ok(()) => match v {
				VerifiedClaims::Tdx(c) => format!(
					"measured (event log {})",
					c.event_log.map(|l| short(&l.digest)).unwrap_or_default()
				),
				VerifiedClaims::Snp(_) => "in the measurement".into(),
			},
			Err(e) => e.to_string(),
		},
		expected.into(),
		result.is_ok(),
	)
}

/// For each boot register that differs from the release, the events the log extended it
/// with: which components were measured instead (type and payload of each).
fn differing_register_events(
	evidence: &tee_verifier::Evidence,
	v: &VerifiedClaims,
	release: Option<&Release>,
) -> Vec<Row> {
	use tee_verifier::eventlog::Rtmr;
	let (
		VerifiedClaims::Tdx(c),
		Some(m),
		tee_verifier::Evidence::TdxWithEventLog { event_log, .. },
	) = (v, release.and_then(|r| r.tdx.as_ref()), evidence)
	else {
		return Vec::new();
	};
	let Ok(log) = tee_verifier::EventLog::parse(event_log, usize::MAX) else {
		return Vec::new();
	};
	let expected = [
		(Rtmr::Rtmr0, &m.rtmr0),
		(Rtmr::Rtmr1, &m.rtmr1),
		(Rtmr::Rtmr2, &m.rtmr2),
	];
	expected
		.into_iter()
		.filter(|(r, value)| c.rtmr.get(r.position()) != Some(*value))
		.map(|(r, _)| {
			let events: Vec<String> = log
				.events()
				.iter()
				.filter(|e| e.register() == Some(r))
				.map(|e| {
					let payload = crate::eventlog::payload(e).unwrap_or_default();
					format!("{} {payload}", crate::eventlog::type_name(e.event_type))
						.trim_end()
						.to_string()
				})
				.collect();
			Row::new(
				match r {
					Rtmr::Rtmr0 => "RTMR0 events",
					Rtmr::Rtmr1 => "RTMR1 events",
					Rtmr::Rtmr2 => "RTMR2 events",
					Rtmr::Rtmr3 => "RTMR3 events",
				},
				events.join("; "),
				"the release's components".into(),
				false,
			)
		})
		.collect()
}

fn measurement_rows(v: &VerifiedClaims, release: Option<&Release>) -> Vec<Row> {
	let missing = || "release not found".to_string();
	match v {
		VerifiedClaims::Tdx(c) => {
			let m = release.and_then(|r| r.tdx.as_ref());
			let [rtmr0, rtmr1, rtmr2, _] = &c.rtmr;
			vec![
				Row::eq(
					"MRTD",
					short(&c.mr_td),
					m.map_or_else(missing, |m| short(&m.mrtd)),
				),
				Row::eq(
					"RTMR0",
					short(rtmr0),
					m.map_or_else(missing, |m| short(&m.rtmr0)),
				),
				Row::eq(
					"RTMR1",
					short(rtmr1),
					m.map_or_else(missing, |m| short(&m.rtmr1)),
				),
				Row::eq(
					"RTMR2",
					short(rtmr2),
					m.map_or_else(missing, |m| short(&m.rtmr2)),
				),
			]
		}
		VerifiedClaims::Snp(c) => vec![Row::eq(
			"MEASUREMENT",
			short(&c.measurement),
			release
				.and_then(|r| r.snp_measurement)
				.map_or_else(missing, |m| short(&m)),
		)],
	}
}

/// A row for an optional pin: unset accepts any value.
fn pin_row<const N: usize>(field: &'static str, value: &[u8; N], pin: Option<&[u8; N]>) -> Row {
	Row::new(
		field,
		short(value),
		pin.map_or_else(|| "any (not pinned)".into(), |p| short(p)),
		pallet_attestation::pin_holds(&pin.copied(), value),
	)
}

/// The release's optional pins and the policy's launch rules, one row each; a rule's row is
/// ok unless the policy check reported its violation (`violations`).
fn pin_rows(
	v: &VerifiedClaims,
	release: Option<&Release>,
	policy: &tee_verifier::Policy,
	violations: &[Violation],
) -> Vec<Row> {
	let holds = |rule: Violation| !violations.contains(&rule);
	match v {
		VerifiedClaims::Tdx(c) => {
			let pins = release.map(|r| r.tdx_pins.clone()).unwrap_or_default();
			let service_td = c.mr_service_td.unwrap_or([0; 48]);
			vec![
				pin_row("MRCONFIGID", &c.mr_config_id, pins.mr_config_id.as_ref()),
				pin_row("MROWNER", &c.mr_owner, pins.mr_owner.as_ref()),
				pin_row(
					"MROWNERCONFIG",
					&c.mr_owner_config,
					pins.mr_owner_config.as_ref(),
				),
				Row::new(
					"MRSERVICETD",
					short(&service_td),
					if policy.allow_service_tds {
						"any (policy allows service TDs)".into()
					} else {
						"zero (no service TD bound)".into()
					},
					holds(Violation::ServiceTdBound),
				),
			]
		}
		VerifiedClaims::Snp(c) => {
			let pins = release.map(|r| r.snp_pins.clone()).unwrap_or_default();
			let m = &policy.snp_minimum_launch_tcb;
			let t = &c.launch_tcb;
			vec![
				pin_row("HOST_DATA", &c.host_data, pins.host_data.as_ref()),
				pin_row(
					"ID key digest",
					&c.id_key_digest,
					pins.id_key_digest.as_ref(),
				),
				pin_row(
					"author key digest",
					&c.author_key_digest,
					pins.author_key_digest.as_ref(),
				),
				Row::new(
					"SMT",
					if c.smt_allowed() {
						"allowed"
					} else {
						"not allowed"
					}
					.into(),
					if policy.snp_allow_smt {
						"any"
					} else {
						"not allowed"
					}
					.into(),
					holds(Violation::Smt),
				),
				Row::new(
					"LAUNCH_TCB",
					format!(
						"bl {} tee {} snp {} ucode {} fmc {:?}",
						t.bootloader, t.tee, t.snp, t.microcode, t.fmc
					),
					format!(
						"at least bl {} tee {} snp {} ucode {} fmc {}",
						m.bootloader, m.tee, m.snp, m.microcode, m.fmc
					),
					holds(Violation::SnpLaunchTcbTooLow),
				),
				Row::new(
					"AMD CRL",
					if c.crl_checked {
						"checked"
					} else {
						"none stored"
					}
					.into(),
					if policy.require_amd_crl {
						"checked"
					} else {
						"any"
					}
					.into(),
					holds(Violation::NoAmdCrl),
				),
			]
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use tee_verifier::{Claims, Purpose};

	fn claims(purpose: Purpose, nonce: [u8; 32], anchor_block: u32) -> Claims {
		Claims {
			genesis_hash: [0; 32],
			purpose,
			account: [1; 32],
			x25519: [2; 32],
			nonce,
			anchor_block,
			system_hash: [3; 32],
			services_root: [4; 32],
			gpu_digest: None,
		}
	}

	#[test]
	fn a_registration_is_fresh_only_with_its_anchor_hash_inside_the_window() {
		let expected = ExpectedNonce::Registration {
			anchor_hash: [9; 32],
			window: 20,
			accepted_in: 110,
		};
		let fresh = |nonce, anchor| {
			freshness_row(
				&claims(Purpose::Register, nonce, anchor),
				[1; 32],
				&expected,
			)
			.ok
		};
		assert!(fresh([9; 32], 100));
		assert!(fresh([9; 32], 90), "20 blocks old: the window's edge");
		assert!(!fresh([9; 32], 89), "older than the window");
		assert!(!fresh([9; 32], 110), "anchored in the accepting block");
		assert!(!fresh([9; 32], 111), "anchored after acceptance");
		assert!(!fresh([8; 32], 100), "not the anchor's hash");
	}

	#[test]
	fn a_re_attestation_is_fresh_only_with_the_pallets_request_nonce() {
		let parent = [5; 32];
		let expected = ExpectedNonce::Reattestation {
			parent_hash: parent,
		};
		let nonce = request_nonce(parent, [1; 32]);
		assert!(freshness_row(&claims(Purpose::Reattest, nonce, 7), [1; 32], &expected).ok);
		assert!(!freshness_row(&claims(Purpose::Reattest, [0; 32], 7), [1; 32], &expected).ok);
		// Another worker's request nonce.
		assert!(!freshness_row(&claims(Purpose::Reattest, nonce, 7), [6; 32], &expected).ok);
	}
}
