//! `attest collateral watch`: a keeper that keeps the chain's collateral fresh, unattended.
//!
//! Every round it reads which FMSPCs (with their PCK CA) and AMD products the chain's workers
//! use (their accepted evidence, plus the collateral already stored), fetches each from Intel
//! PCS / AMD KDS, verifies it against the chain's own trust anchors (at the local time: the
//! chain verifies an upload at its block's time, about now), and uploads it only when the
//! chain would store something newer (never a rollback, never a duplicate). Rounds run every
//! `interval` seconds, and earlier when a stored item comes within `margin` seconds of its
//! nextUpdate. Failures are reported and retried next round;
//! nothing unverified is ever uploaded. Prometheus metrics on `--metrics`.

use std::{
	collections::BTreeMap,
	fmt::Write as _,
	net::SocketAddr,
	sync::{Arc, Mutex},
	time::Duration,
};

use collateral_fetch::FetchError;
use pallet_attestation::EvidenceRecord;
use serde_json::json;
use tee_verifier::{
	snp::VerifiedAmdCrl,
	tdx::{Freshness, PckCa, TcbInfoPart, VerifiedPart},
	Collateral, Evidence, SnpProduct, TrustAnchors,
};

use crate::{
	chain::{self, Chain},
	collateral::{self as c, Plan, Sources},
	CliError,
};

/// What the keeper does and how often.
pub struct WatchConfig {
	/// The node's WebSocket URL.
	pub node: String,
	/// Where collateral comes from.
	pub sources: Sources,
	/// Refresh when a stored item is this close (seconds) to its nextUpdate.
	pub margin: u64,
	/// Seconds between rounds.
	pub interval: u64,
	/// The account that pays for uploads.
	pub signer: subxt_signer::sr25519::Keypair,
	/// One round, then exit.
	pub once: bool,
	/// Events as JSON lines on stdout.
	pub json: bool,
}

/// One stored item's state, for the metrics.
#[derive(Clone, Copy, Debug)]
struct ItemState {
	issued_at: u64,
	next_update: u64,
}

/// Counters and gauges, rendered in the Prometheus text format.
#[derive(Default)]
pub struct Metrics {
	items: BTreeMap<String, ItemState>,
	fetches: BTreeMap<(String, String), u64>,
	uploads: BTreeMap<String, u64>,
	rounds: u64,
	last_round: u64,
	chain_time: u64,
}

/// Shared metrics (the server reads while rounds write).
pub type SharedMetrics = Arc<Mutex<Metrics>>;

fn with<R>(m: &SharedMetrics, f: impl FnOnce(&mut Metrics) -> R) -> R {
	let mut guard = match m.lock() {
		Ok(g) => g,
		Err(p) => p.into_inner(),
	};
	f(&mut guard)
}

impl Metrics {
	/// The Prometheus text exposition: each family's HELP and TYPE, then its samples.
	pub fn render(&self) -> String {
		let mut out = String::new();
		let mut family = |name: &str, kind: &str, help: &str, samples: Vec<(String, String)>| {
			let _ = writeln!(out, "# HELP {name} {help}");
			let _ = writeln!(out, "# TYPE {name} {kind}");
			for (labels, value) in samples {
				let _ = writeln!(out, "{name}{labels} {value}");
			}
		};
		let per_item = |value: &dyn Fn(&ItemState) -> String| -> Vec<(String, String)> {
			self.items
				.iter()
				.map(|(item, s)| (format!("{{collateral=\"{item}\"}}"), value(s)))
				.collect()
		};
		family(
			"attest_collateral_next_update_seconds",
			"gauge",
			"nextUpdate (Unix seconds) of each collateral item the chain holds.",
			per_item(&|s| s.next_update.to_string()),
		);
		family(
			"attest_collateral_expires_in_seconds",
			"gauge",
			"Seconds until each item's nextUpdate at the chain's time (negative: expired).",
			per_item(&|s| (i128::from(s.next_update) - i128::from(self.chain_time)).to_string()),
		);
		family(
			"attest_collateral_age_seconds",
			"gauge",
			"Seconds since each item was issued, at the chain's time.",
			per_item(&|s| self.chain_time.saturating_sub(s.issued_at).to_string()),
		);
		family(
			"attest_collateral_fetches_total",
			"counter",
			"Fetches by source and outcome (ok, not_found, rate_limited, unreachable, rejected, malformed).",
			self.fetches
				.iter()
				.map(|((source, outcome), n)| {
					(
						format!("{{source=\"{source}\",outcome=\"{outcome}\"}}"),
						n.to_string(),
					)
				})
				.collect(),
		);
		family(
			"attest_collateral_uploads_total",
			"counter",
			"Uploads by outcome (stored, refused, failed).",
			self.uploads
				.iter()
				.map(|(outcome, n)| (format!("{{outcome=\"{outcome}\"}}"), n.to_string()))
				.collect(),
		);
		family(
			"attest_collateral_rounds_total",
			"counter",
			"Completed rounds.",
			vec![(String::new(), self.rounds.to_string())],
		);
		family(
			"attest_collateral_last_round_timestamp_seconds",
			"gauge",
			"Chain time (Unix seconds) of the last completed round.",
			vec![(String::new(), self.last_round.to_string())],
		);
		out
	}
}

fn outcome(e: &FetchError) -> &'static str {
	match e {
		FetchError::NotFound { .. } => "not_found",
		FetchError::RateLimited { .. } => "rate_limited",
		FetchError::Rejected { .. } => "rejected",
		FetchError::Malformed { .. } | FetchError::TooLarge { .. } => "malformed",
		FetchError::Unreachable { .. } | FetchError::Status { .. } | FetchError::BadUrl { .. } => {
			"unreachable"
		}
	}
}

/// What the chain's workers and stored collateral need.
#[derive(Default, Debug)]
struct Targets {
	tdx: Vec<([u8; 6], PckCa)>,
	snp: Vec<SnpProduct>,
}

/// Adds `item` unless it is there.
fn add<T: PartialEq>(list: &mut Vec<T>, item: T) {
	if !list.contains(&item) {
		list.push(item);
	}
}

async fn targets(at: &chain::At, anchors: &TrustAnchors) -> Result<Targets, CliError> {
	let mut t = Targets::default();
	for (_, record) in
		chain::entries::<[u8; 32], EvidenceRecord<u32>>(at, "AcceptedEvidence").await?
	{
		match &record.evidence {
			Evidence::Tdx { quote } | Evidence::TdxWithEventLog { quote, .. } => {
				if let Ok(sel) = tee_verifier::tdx::collateral_selector(quote) {
					add(
						&mut t.tdx,
						(sel.fmspc, sel.pck_ca.unwrap_or(PckCa::Platform)),
					);
				}
			}
			Evidence::Snp { report, vek_der } => {
				if let Ok(p) = tee_verifier::snp::product_of(report, vek_der, anchors) {
					add(&mut t.snp, p);
				}
			}
		}
	}
	for (fmspc, _) in chain::entries::<[u8; 6], VerifiedPart<TcbInfoPart>>(at, "TdxTcbInfo").await?
	{
		if !t.tdx.iter().any(|(f, _)| *f == fmspc) {
			add(&mut t.tdx, (fmspc, PckCa::Platform));
		}
	}
	for (product, _) in chain::entries::<SnpProduct, VerifiedAmdCrl>(at, "SnpCrls").await? {
		add(&mut t.snp, product);
	}
	Ok(t)
}

/// Runs rounds until stopped (or one with `once`). Exit status with `once`: 0 when every
/// item is current and was fetched, 1 otherwise.
pub async fn run(config: WatchConfig, metrics: SharedMetrics) -> Result<u8, CliError> {
	loop {
		let started = std::time::Instant::now();
		let (ok, deadline) = match round(&config, &metrics).await {
			Ok(r) => r,
			Err(e) => {
				config.event(
					json!({"event": "round_failed", "reason": e.to_string()}),
					&format!("round failed: {e}"),
				);
				if config.once {
					return Err(e);
				}
				(false, None)
			}
		};
		if config.once {
			return Ok(if ok {
				crate::EXIT_OK
			} else {
				crate::EXIT_FAILED
			});
		}
		let mut wait = config.interval;
		if let Some(secs) = deadline {
			wait = wait.min(secs.max(1));
		}
		let wait = Duration::from_secs(wait)
			.saturating_sub(started.elapsed().min(Duration::from_secs(wait)));
		tokio::time::sleep(wait.max(Duration::from_millis(500))).await;
	}
}

impl WatchConfig {
	fn event(&self, json: serde_json::Value, text: &str) {
		if self.json {
			println!("{json}");
		} else {
			println!("{text}");
		}
	}

	/// Uploads `collateral` (for item `name`) and reports the outcome, with `detail` merged into
	/// the event; true when the chain stored it. A failed submission (the node dropped it) is
	/// reported and retried next round, like a refusal.
	async fn upload(
		&self,
		chain: &Chain,
		name: &str,
		collateral: &Collateral,
		detail: serde_json::Value,
		text: &str,
		metrics: &SharedMetrics,
	) -> bool {
		let (outcome, event, line) = match c::upload(chain, collateral, &self.signer).await {
			Ok(Ok(())) => ("stored", "uploaded", format!("{name}: {text}")),
			Ok(Err(reason)) => (
				"refused",
				"refused",
				format!("{name}: the chain refused the upload: {reason}"),
			),
			Err(e) => (
				"failed",
				"upload_failed",
				format!("{name}: the upload did not go through: {e}"),
			),
		};
		with(metrics, |m| {
			*m.uploads.entry(outcome.to_string()).or_default() += 1
		});
		let mut json = json!({"event": event, "collateral": name});
		if let (Some(obj), Some(extra)) = (json.as_object_mut(), detail.as_object()) {
			if outcome == "stored" {
				obj.extend(extra.clone());
			}
		}
		if outcome != "stored" {
			json["reason"] = json!(line.clone());
		}
		self.event(json, &line);
		outcome == "stored"
	}

	/// Reports a fetch that failed or a document that does not verify (nothing uploaded).
	fn fetch_failed(&self, name: &str, e: &FetchError) {
		let kind = if matches!(e, FetchError::Rejected { .. }) {
			"rejected"
		} else {
			"fetch_failed"
		};
		self.event(
			json!({"event": kind, "collateral": name, "reason": e.to_string()}),
			&format!("{name}: {kind}: {e} (nothing uploaded)"),
		);
	}
}

/// One round: `(everything fetched and current, seconds until the earliest refresh deadline)`.
async fn round(
	config: &WatchConfig,
	metrics: &SharedMetrics,
) -> Result<(bool, Option<u64>), CliError> {
	let chain = Chain::connect(&config.node).await?;
	let at = chain.latest().await?;
	let chain_time = chain::timestamp(&at).await?;
	// Verified at the local time: the chain verifies an upload at the timestamp of the block
	// that includes it, about now (the finalized block read here is some seconds older).
	let now = crate::collateral::unix_now();
	let anchors = chain::trust_anchors(&at).await?;
	let targets = targets(&at, &anchors).await?;
	let mut all_ok = true;
	let mut items: BTreeMap<String, ItemState> = BTreeMap::new();
	let record_fetch = |source: &str, result: &str| {
		with(metrics, |m| {
			*m.fetches
				.entry((source.to_string(), result.to_string()))
				.or_default() += 1
		})
	};

	if let (Some(root), false) = (c::intel_root_sha256(&anchors), targets.tdx.is_empty()) {
		for (fmspc, ca) in &targets.tdx {
			let name = format!(
				"TDX {} {}",
				hex::encode_upper(fmspc),
				collateral_fetch::pcs::ca_name(*ca)
			);
			let fetched = c::fetch_tdx(&config.sources, *fmspc, &[*ca], &anchors, now).await;
			let fetched = match fetched.map(|mut v| v.pop()) {
				Ok(Some(f)) => {
					record_fetch("pcs", "ok");
					f
				}
				Ok(None) => continue,
				Err(e) => {
					record_fetch("pcs", outcome(&e));
					all_ok = false;
					config.fetch_failed(&name, &e);
					let stored = c::chain_tdx(&at, *fmspc, *ca, root).await?;
					note_tdx(&mut items, *fmspc, *ca, &stored);
					continue;
				}
			};
			let stored = c::chain_tdx(&at, *fmspc, *ca, root).await?;
			let tcb = fetched.parts.tcb_info.freshness();
			match c::plan_tdx(&fetched.parts, &stored) {
				Plan::Upload(parts) => {
					let collateral = Collateral::Tdx(fetched.collateral.clone());
					let detail = json!({"parts": parts, "issued_at": tcb.issued_at,
						"next_update": tcb.next_update,
						"tcb_evaluation_data_number": tcb.evaluation_data_number});
					let text = format!(
						"uploaded {} (issued {}, next update {})",
						parts.join(", "),
						tcb.issued_at,
						tcb.next_update
					);
					all_ok &= config
						.upload(&chain, &name, &collateral, detail, &text, metrics)
						.await;
					let after = chain.latest().await?;
					note_tdx(
						&mut items,
						*fmspc,
						*ca,
						&c::chain_tdx(&after, *fmspc, *ca, root).await?,
					);
				}
				Plan::NothingNewer => {
					config.event(
						json!({"event": "current", "collateral": name, "issued_at": tcb.issued_at, "next_update": tcb.next_update}),
						&format!("{name}: the chain has the source's latest (next update {})", tcb.next_update),
					);
					note_tdx(&mut items, *fmspc, *ca, &stored);
				}
				Plan::Older(part) => {
					all_ok = false;
					config.event(
						json!({"event": "source_older", "collateral": name, "part": part}),
						&format!(
							"{name}: the source's {part} is older than the chain's; not uploaded"
						),
					);
					note_tdx(&mut items, *fmspc, *ca, &stored);
				}
			}
		}
	}

	for product in &targets.snp {
		let name = format!("AMD {}", product.name());
		let stored = c::chain_crl(&at, *product).await?;
		let fetched = match c::fetch_snp(&config.sources, *product, &anchors, now).await {
			Ok(f) => {
				record_fetch("kds", "ok");
				f
			}
			Err(e) => {
				record_fetch("kds", outcome(&e));
				all_ok = false;
				config.fetch_failed(&name, &e);
				note_crl(&mut items, *product, stored.as_ref());
				continue;
			}
		};
		match c::plan_snp(&fetched, stored.as_ref()) {
			Plan::Upload(_) => {
				let collateral = c::snp_upload(&fetched)?;
				all_ok &= config
					.upload(
						&chain,
						&name,
						&collateral,
						json!({"parts": ["CRL"]}),
						"uploaded its CRLs",
						metrics,
					)
					.await;
				let after = chain.latest().await?;
				note_crl(
					&mut items,
					*product,
					c::chain_crl(&after, *product).await?.as_ref(),
				);
			}
			Plan::NothingNewer | Plan::Older(_) => {
				config.event(
					json!({"event": "current", "collateral": name}),
					&format!("{name}: the chain has the source's latest CRLs"),
				);
				note_crl(&mut items, *product, stored.as_ref());
			}
		}
	}

	// The next time an item enters its margin (items already inside are fetched every
	// round; waking for them sooner would only hammer the sources).
	let deadline = items
		.values()
		.map(|s| s.next_update.saturating_sub(config.margin))
		.filter(|enters| *enters > now)
		.map(|enters| enters.saturating_sub(now))
		.min();
	// An expired item (the source had nothing newer) is not "ok".
	if items.values().any(|s| s.next_update <= now) {
		all_ok = false;
	}
	with(metrics, |m| {
		m.items = items;
		m.rounds = m.rounds.saturating_add(1);
		m.last_round = chain_time;
		m.chain_time = chain_time;
	});
	Ok((all_ok, deadline))
}

fn note_tdx(
	items: &mut BTreeMap<String, ItemState>,
	fmspc: [u8; 6],
	ca: PckCa,
	stored: &c::ChainTdx,
) {
	let mut put = |name: String, f: Option<Freshness>| {
		if let Some(f) = f {
			items.insert(
				name,
				ItemState {
					issued_at: f.issued_at,
					next_update: f.next_update,
				},
			);
		}
	};
	put(
		format!("tdx_tcb_info/{}", hex::encode_upper(fmspc)),
		stored.tcb_info,
	);
	put("tdx_qe_identity".into(), stored.qe_identity);
	put(
		format!("tdx_pck_crl/{}", collateral_fetch::pcs::ca_name(ca)),
		stored.pck_crl,
	);
	put("tdx_root_ca_crl".into(), stored.root_ca_crl);
}

fn note_crl(
	items: &mut BTreeMap<String, ItemState>,
	product: SnpProduct,
	stored: Option<&VerifiedAmdCrl>,
) {
	if let Some(crl) = stored {
		items.insert(
			format!("amd_crl/{}", product.name()),
			ItemState {
				issued_at: crl.this_update(),
				next_update: crl.next_update(),
			},
		);
	}
}

/// Serves `/metrics` on `addr` until the process ends.
pub async fn serve_metrics(addr: SocketAddr, metrics: SharedMetrics) -> Result<(), CliError> {
	let listener = tokio::net::TcpListener::bind(addr)
		.await
		.map_err(|e| CliError::BadInput(format!("--metrics {addr}: {e}")))?;
	let app = axum::Router::new().route(
		"/metrics",
		axum::routing::get(move || {
			let metrics = metrics.clone();
			async move { with(&metrics, |m| m.render()) }
		}),
	);
	tokio::spawn(async move {
		if let Err(e) = axum::serve(listener, app).await {
			eprintln!("metrics server stopped: {e}");
		}
	});
	Ok(())
}
