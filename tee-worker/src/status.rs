//! What the worker knows about itself at run time, shared by the chain client (which updates
//! it) and the HTTP API (which reports it, including as Prometheus metrics).

use std::{
	fmt::Write,
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Mutex,
	},
	time::{SystemTime, UNIX_EPOCH},
};

/// The chain's view of this worker, as last read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainState {
	/// No record on chain (or not read yet).
	Unregistered,
	/// Registered and attested.
	Active,
	/// A re-attestation request is open.
	Pending,
	/// Missed a deadline.
	Lapsed,
}

impl ChainState {
	/// The name used by the API and the CLI.
	pub fn as_str(self) -> &'static str {
		match self {
			ChainState::Unregistered => "Unregistered",
			ChainState::Active => "Active",
			ChainState::Pending => "Pending",
			ChainState::Lapsed => "Lapsed",
		}
	}
}

/// Why the worker is not attesting right now, and when it tries again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
	/// What stopped it: the chain's refusal (its error), an unpaid fee (which account needs
	/// how much), or evidence that could not be produced.
	pub reason: String,
	/// The block at which it retries, unless the chain state changes first (`None`: it waits
	/// for the account's balance to change).
	pub retry_at_block: Option<u32>,
	/// Refusals in a row so far.
	pub refusals: u32,
}

/// Shared run-time state and counters. All updates are lock-free or take a short lock.
#[derive(Debug)]
pub struct Status {
	connected: AtomicBool,
	chain: Mutex<Option<ChainView>>,
	blocked: Mutex<Option<Blocked>>,
	answered: AtomicU64,
	failed: AtomicU64,
	registrations: AtomicU64,
	last_success: AtomicU64,
	offchain_evidence: AtomicU64,
}

/// The chain the worker is connected (or was last connected) to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainView {
	/// Its genesis hash (bound into every attestation).
	pub genesis: [u8; 32],
	/// The latest best block seen.
	pub best: u32,
	/// The worker's state there.
	pub state: ChainState,
}

/// Unix seconds now (the local clock).
pub(crate) fn unix_now() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or(0)
}

impl Default for Status {
	fn default() -> Self {
		Self::new()
	}
}

impl Status {
	/// Nothing known yet.
	pub fn new() -> Self {
		Self {
			connected: AtomicBool::new(false),
			chain: Mutex::new(None),
			blocked: Mutex::new(None),
			answered: AtomicU64::new(0),
			failed: AtomicU64::new(0),
			registrations: AtomicU64::new(0),
			last_success: AtomicU64::new(0),
			offchain_evidence: AtomicU64::new(0),
		}
	}

	/// The connection to the node came up or went down.
	pub fn set_connected(&self, connected: bool) {
		self.connected.store(connected, Ordering::Relaxed);
	}

	/// Whether the node is connected.
	pub fn connected(&self) -> bool {
		self.connected.load(Ordering::Relaxed)
	}

	/// A best block was processed.
	pub fn saw_block(&self, genesis: [u8; 32], best: u32, state: ChainState) {
		let mut chain = self.chain.lock().unwrap_or_else(|p| p.into_inner());
		*chain = Some(ChainView {
			genesis,
			best,
			state,
		});
	}

	/// The chain last seen, if any.
	pub fn chain(&self) -> Option<ChainView> {
		*self.chain.lock().unwrap_or_else(|p| p.into_inner())
	}

	/// The worker cannot attest for now (see [`Blocked`]); replaces an earlier reason.
	pub fn set_blocked(&self, blocked: Blocked) {
		*self.blocked.lock().unwrap_or_else(|p| p.into_inner()) = Some(blocked);
	}

	/// What blocks the worker, if anything.
	pub fn blocked(&self) -> Option<Blocked> {
		self.blocked
			.lock()
			.unwrap_or_else(|p| p.into_inner())
			.clone()
	}

	fn unblock(&self) {
		*self.blocked.lock().unwrap_or_else(|p| p.into_inner()) = None;
	}

	/// The chain accepted a registration.
	pub fn registered(&self) {
		self.unblock();
		self.registrations.fetch_add(1, Ordering::Relaxed);
		self.last_success.store(unix_now(), Ordering::Relaxed);
	}

	/// The chain accepted an answer to a re-attestation request.
	pub fn answered(&self) {
		self.unblock();
		self.answered.fetch_add(1, Ordering::Relaxed);
		self.last_success.store(unix_now(), Ordering::Relaxed);
	}

	/// A registration or answer failed (refused, or evidence could not be produced).
	pub fn failed(&self) {
		self.failed.fetch_add(1, Ordering::Relaxed);
	}

	/// Evidence was served to an off-chain verifier.
	pub fn served_offchain(&self) {
		self.offchain_evidence.fetch_add(1, Ordering::Relaxed);
	}

	/// Re-attestation requests answered and accepted.
	pub fn answered_count(&self) -> u64 {
		self.answered.load(Ordering::Relaxed)
	}

	/// The Prometheus text exposition of the counters.
	pub fn prometheus(&self, labels: &str) -> String {
		let chain = self.chain();
		let blocked = self.blocked();
		let metrics: [(&str, &str, &str, u64); 9] = [
			(
				"tee_worker_attestations_answered_total",
				"counter",
				"Re-attestation requests answered and accepted by the chain.",
				self.answered.load(Ordering::Relaxed),
			),
			(
				"tee_worker_attestations_failed_total",
				"counter",
				"Registrations or answers that failed (refused by the chain or no evidence).",
				self.failed.load(Ordering::Relaxed),
			),
			(
				"tee_worker_registrations_total",
				"counter",
				"Registrations accepted by the chain.",
				self.registrations.load(Ordering::Relaxed),
			),
			(
				"tee_worker_last_success_timestamp_seconds",
				"gauge",
				"Unix time of the last accepted registration or answer (0: none yet).",
				self.last_success.load(Ordering::Relaxed),
			),
			(
				"tee_worker_chain_connected",
				"gauge",
				"1 when the node is connected.",
				u64::from(self.connected()),
			),
			(
				"tee_worker_offchain_evidence_total",
				"counter",
				"Evidence served by GET /attestation.",
				self.offchain_evidence.load(Ordering::Relaxed),
			),
			(
				"tee_worker_best_block",
				"gauge",
				"The latest best block the worker processed.",
				chain.map_or(0, |c| u64::from(c.best)),
			),
			(
				"tee_worker_blocked",
				"gauge",
				"1 while the worker cannot attest (refused, unfunded, no evidence); see /health.",
				u64::from(blocked.is_some()),
			),
			(
				"tee_worker_retry_at_block",
				"gauge",
				"The block at which a blocked worker retries (0: not blocked, or waiting for funds).",
				blocked
					.as_ref()
					.and_then(|b| b.retry_at_block)
					.map_or(0, u64::from),
			),
		];
		let mut out = String::new();
		for (name, kind, help, value) in metrics {
			let _ = writeln!(out, "# HELP {name} {help}");
			let _ = writeln!(out, "# TYPE {name} {kind}");
			let _ = writeln!(out, "{name} {value}");
		}
		let state = chain.map_or(ChainState::Unregistered, |c| c.state);
		let _ = writeln!(
			out,
			"# HELP tee_worker_info The worker's identity and on-chain state (always 1)."
		);
		let _ = writeln!(out, "# TYPE tee_worker_info gauge");
		let _ = writeln!(
			out,
			"tee_worker_info{{{labels},state=\"{}\"}} 1",
			state.as_str()
		);
		if let Some(b) = blocked {
			let _ = writeln!(
				out,
				"# HELP tee_worker_blocked_info Why the worker cannot attest (always 1 while blocked)."
			);
			let _ = writeln!(out, "# TYPE tee_worker_blocked_info gauge");
			let reason = b
				.reason
				.replace('\\', "\\\\")
				.replace('"', "\\\"")
				.replace('\n', " ");
			let _ = writeln!(
				out,
				"tee_worker_blocked_info{{{labels},reason=\"{reason}\"}} 1"
			);
		}
		out
	}
}
