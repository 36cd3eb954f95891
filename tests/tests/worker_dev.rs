//! `tee-worker --tee mock` against a real dev node: it registers by itself, answers the chain's
//! re-attestation requests round after round, and once stopped it lapses and can be evicted.

use std::time::{Duration, Instant};

use codec::Decode;
use e2e_tests::{
	subxt::{self, dynamic::Value, OnlineClient, PolkadotConfig},
	subxt_signer::sr25519::dev,
	Node, WorkerProcess,
};
use pallet_attestation::{WorkerInfo, WorkerStatus};
use tee_worker::keys::WorkerKeys;

type Api = OnlineClient<PolkadotConfig>;

async fn worker(api: &Api, who: [u8; 32]) -> Option<WorkerInfo<u32>> {
	let at = api.at_current_block().await.expect("current block");
	let addr = subxt::dynamic::storage::<([u8; 32],), Value>("Attestation", "Workers");
	let value = at.storage().try_fetch(addr, (who,)).await.expect("fetch")?;
	Some(WorkerInfo::<u32>::decode(&mut value.bytes()).expect("a WorkerInfo"))
}

/// Polls the worker record until `done` holds for it; panics with both logs after `timeout`.
async fn wait_for(
	api: &Api,
	who: [u8; 32],
	timeout: Duration,
	what: &str,
	logs: impl Fn() -> String,
	done: impl Fn(&Option<WorkerInfo<u32>>) -> bool,
) -> Option<WorkerInfo<u32>> {
	let start = Instant::now();
	loop {
		let record = worker(api, who).await;
		if done(&record) {
			return record;
		}
		assert!(
			start.elapsed() < timeout,
			"{what}: not within {timeout:?}: {record:?}\n{}",
			logs()
		);
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

#[tokio::test]
async fn mock_worker_registers_re_attests_and_lapses_when_stopped() {
	let mut node = Node::start("dev-worker", &["--dev"]).expect("start node");
	node.rpc(Duration::from_secs(120)).await.expect("rpc up");
	let api = Api::from_insecure_url(node.ws_url())
		.await
		.expect("subxt client");

	// The worker's keys are created in its data directory first, so the test knows its
	// account; the worker must load them rather than make new ones. Its account starts empty:
	// `--dev-funder alice` tops it up (transactions pay fees up front).
	let dir = WorkerProcess::data_dir("dev").expect("data dir");
	let keys = WorkerKeys::load_or_generate(&dir.path().join("data")).expect("keys");
	let account = keys.account_id();

	let mut process = WorkerProcess::start(
		dir,
		&[
			"--node",
			&node.ws_url(),
			"--tee",
			"mock",
			"--dev-funder",
			"alice",
		],
	)
	.expect("start worker");
	let logs = || format!("worker:\n{}\nnode:\n{}", process.log(), node.log());

	let registered = wait_for(
		&api,
		account,
		Duration::from_secs(60),
		"registration",
		logs,
		|r| r.as_ref().is_some_and(|w| w.status == WorkerStatus::Active),
	)
	.await
	.expect("record");
	assert_eq!(registered.release, 0, "the dev image release");
	assert_eq!(registered.x25519, keys.x25519_public());

	// Validity 60 s, requests 40 s before expiry: a round every ~20 s. Two rounds answered.
	let mut last = registered;
	for round in 1..=2 {
		let before = last.expires_at;
		last = wait_for(
			&api,
			account,
			Duration::from_secs(90),
			"re-attestation",
			logs,
			|r| {
				r.as_ref()
					.is_some_and(|w| w.status == WorkerStatus::Active && w.expires_at > before)
			},
		)
		.await
		.expect("record");
		assert!(last.attested_at > last.registered_at, "round {round}");
	}
	let log = process.log();
	assert!(log.contains("re-attestation accepted"), "{log}");

	// Stopped, the worker misses its next deadline and lapses; anyone may then evict it.
	process.kill();
	let logs = || {
		format!(
			"worker (stopped):\n{}\nnode:\n{}",
			process.log(),
			node.log()
		)
	};
	wait_for(
		&api,
		account,
		Duration::from_secs(120),
		"lapse",
		logs,
		|r| r.as_ref().is_some_and(|w| w.status == WorkerStatus::Lapsed),
	)
	.await;
	let evict = subxt::dynamic::transaction("Attestation", "evict", (Value::from_bytes(account),));
	api.at_current_block()
		.await
		.expect("block")
		.transactions()
		.sign_and_submit_then_watch_default(&evict, &dev::ferdie())
		.await
		.expect("submit")
		.wait_for_finalized_success()
		.await
		.expect("evicted");
	assert!(worker(&api, account).await.is_none());
}
