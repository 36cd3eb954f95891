//! Load test: many mock workers (in this one process, each with its own keys and its own
//! connection, as separate machines would have) register on one dev node and answer
//! re-attestation rounds for a while. Reports what the chain saw: registrations, requests
//! answered and their latency, lapses, attestations per block, block intervals, the node's
//! block preparation times, and whether `attest workers` still gets through.
//!
//! ```sh
//! cargo run --release -p e2e-tests --example load -- [WORKERS=100] [SECONDS=300]
//! ```
//!
//! It starts its own dev node (`--dev --rpc-max-connections 1024`: each worker holds one
//! connection, and the default limit is 100) and funds the workers from Alice first.

use std::{
	collections::BTreeMap,
	sync::Arc,
	time::{Duration, Instant},
};

use e2e_tests::{
	attest, output_text,
	subxt::{self, dynamic::Value, OnlineClient, PolkadotConfig},
	subxt_signer::sr25519::dev,
	Node, TempDir,
};
use tee_worker::{
	chain::{self, Worker},
	evidence::{BootMeasurement, MockProvider},
	keys::WorkerKeys,
	services::Services,
	status::Status,
};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Sorted values' percentile `p` (0-100).
fn percentile(sorted: &[u64], p: usize) -> u64 {
	if sorted.is_empty() {
		return 0;
	}
	let i = (sorted.len() - 1) * p / 100;
	sorted[i]
}

fn summary(name: &str, unit: &str, mut values: Vec<u64>) {
	values.sort_unstable();
	let mean = if values.is_empty() {
		0.0
	} else {
		values.iter().sum::<u64>() as f64 / values.len() as f64
	};
	println!(
		"{name}: n={} mean={mean:.2}{unit} p50={}{unit} p90={}{unit} p99={}{unit} max={}{unit}",
		values.len(),
		percentile(&values, 50),
		percentile(&values, 90),
		percentile(&values, 99),
		values.last().copied().unwrap_or(0),
	);
}

#[tokio::main]
async fn main() -> Result<(), Error> {
	let mut args = std::env::args().skip(1);
	let workers: u32 = args.next().map_or(Ok(100), |a| a.parse())?;
	let seconds: u64 = args.next().map_or(Ok(300), |a| a.parse())?;
	let mut node = Node::start("load", &["--dev", "--rpc-max-connections", "1024"])?;
	node.rpc(Duration::from_secs(120)).await?;
	let url = node.ws_url();
	let api = OnlineClient::<PolkadotConfig>::from_insecure_url(&url).await?;

	// Keys, then funds from Alice (one transfer each, nonces in order).
	let dir = TempDir::new("load-workers")?;
	let mut keys = Vec::new();
	for i in 0..workers {
		keys.push(WorkerKeys::load_or_generate(
			&dir.path().join(i.to_string()),
		)?);
	}
	// Alice's transfers carry explicit, consecutive nonces: submitted back to back, the pool
	// would otherwise see them all with the same one.
	let alice = dev::alice();
	let at = api.at_current_block().await?;
	let mut nonce = at
		.transactions()
		.account_nonce(&alice.public_key().to_account_id())
		.await?;
	let mut pending = Vec::new();
	for k in &keys {
		let transfer = subxt::dynamic::transaction(
			"Balances",
			"transfer_keep_alive",
			(
				subxt::utils::MultiAddress::<subxt::utils::AccountId32, ()>::Id(
					k.account_id().into(),
				),
				100_000_000_000_000u128,
			),
		);
		let params = subxt::config::DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
			.nonce(nonce)
			.build();
		let progress = at
			.transactions()
			.sign_and_submit_then_watch(&transfer, &alice, params)
			.await?;
		nonce += 1;
		pending.push(progress);
	}
	for progress in pending {
		progress.wait_for_finalized_success().await?;
	}
	println!("funded {workers} worker accounts");

	// The workers: mock TDX evidence of the dev image, no services, each on its own mock
	// machine (the chain admits at most `MaxWorkersPerPlatform` per machine).
	let system =
		tee_worker::evidence::system_path(std::path::Path::new("/run/current-system"), true)?;
	let boot = BootMeasurement::new(system.clone(), &[]);
	let services_root = Services::load(&[])?.root();
	let started = Instant::now();
	for k in keys.drain(..) {
		let machine = k.account_id();
		let worker = Worker {
			keys: k,
			provider: Arc::new(
				MockProvider::new(tee_verifier::Tee::Tdx, &boot)?.on_machine(&machine),
			),
			system_hash: tee_verifier::system_hash(&system),
			services_root,
			dev_funder: None,
			status: Arc::new(Status::new()),
			anchors: Default::default(),
		};
		let url = url.clone();
		tokio::spawn(async move { chain::run(&worker, &url).await });
	}

	// What the chain sees, block by block.
	let mut blocks = api.stream_blocks().await?;
	let mut requested: BTreeMap<Vec<u8>, (u32, u64)> = BTreeMap::new();
	let mut latency_blocks = Vec::new();
	let mut latency_secs = Vec::new();
	let mut per_block = Vec::new();
	let mut intervals = Vec::new();
	let (mut registered, mut lapsed, mut requests) = (0u64, 0u64, 0u64);
	let mut last_time: Option<u64> = None;
	let mut attest_ok = (0, 0);
	let mut last_attest = Instant::now();
	while started.elapsed() < Duration::from_secs(seconds) {
		let Some(block) = blocks.next().await else {
			break;
		};
		let block = block?;
		let number = u32::try_from(block.number())?;
		let at = block.at().await?;
		let now: u64 = at
			.storage()
			.try_fetch(subxt::dynamic::storage::<(), Value>("Timestamp", "Now"), ())
			.await?
			.map(|v| codec::Decode::decode(&mut v.bytes()))
			.transpose()?
			.unwrap_or(0);
		if let Some(t) = last_time {
			intervals.push(now.saturating_sub(t));
		}
		last_time = Some(now);
		let events = at.events().fetch().await?;
		let mut attested_here = 0;
		for event in events.iter() {
			let event = event?;
			if event.pallet_name() != "Attestation" {
				continue;
			}
			let worker = event.field_bytes().get(..32).map(<[u8]>::to_vec);
			match (event.event_name(), worker) {
				("WorkerRegistered", _) => {
					registered += 1;
					attested_here += 1;
				}
				("AttestationRequested", Some(w)) => {
					requests += 1;
					requested.insert(w, (number, now));
				}
				("WorkerAttested", Some(w)) => {
					attested_here += 1;
					if let Some((b, t)) = requested.remove(&w) {
						latency_blocks.push(u64::from(number - b));
						latency_secs.push(now.saturating_sub(t) / 1000);
					}
				}
				("WorkerLapsed", _) => lapsed += 1,
				_ => {}
			}
		}
		per_block.push(attested_here);
		if last_attest.elapsed() > Duration::from_secs(30) {
			last_attest = Instant::now();
			let out = attest(&url, &["workers"])?;
			if out.status.success() {
				attest_ok.0 += 1;
			} else {
				attest_ok.1 += 1;
				eprintln!("attest workers failed: {}", output_text(&out));
			}
		}
	}
	println!(
		"{workers} workers, {seconds} s: {registered} registrations, {requests} requests, {} answered, {} unanswered at the end, {lapsed} lapsed",
		latency_blocks.len(),
		requested.len()
	);
	summary("request -> answer (blocks)", "", latency_blocks);
	summary("request -> answer (block time, s)", "s", latency_secs);
	summary("attestations per block", "", per_block);
	summary("block interval", "ms", intervals);
	let prepared: Vec<u64> = node
		.log()
		.lines()
		.filter_map(|l| {
			let rest = l.split("Prepared block for proposing at ").nth(1)?;
			let ms = rest.split('(').nth(1)?.split(" ms").next()?;
			ms.trim().parse().ok()
		})
		.collect();
	summary("block preparation (node log)", "ms", prepared);
	println!("attest workers: {} ok, {} failed", attest_ok.0, attest_ok.1);
	Ok(())
}
