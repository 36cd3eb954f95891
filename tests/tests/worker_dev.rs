//! `tee-worker --tee mock` against a real dev node: it registers by itself with the services
//! root of its configured services, answers three re-attestation rounds, survives a node
//! crash and restart (reconnects and answers again), reports all this through its HTTP API,
//! and once stopped it lapses and can be evicted.

use std::time::{Duration, Instant};

use e2e_tests::{
	free_port, http_get,
	subxt::{self, dynamic::Value, OnlineClient, PolkadotConfig},
	subxt_signer::sr25519::dev,
	Node, WorkerProcess,
};
use pallet_attestation::{WorkerInfo, WorkerStatus};
use tee_worker::{config::ServiceConfig, keys::WorkerKeys, services::Services};

type Api = OnlineClient<PolkadotConfig>;

async fn worker(api: &Api, who: [u8; 32]) -> Option<WorkerInfo<u32>> {
	e2e_tests::worker_record(api, who)
		.await
		.expect("read the worker record")
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

/// secp256k1's generator, compressed: a valid public key for a configured service.
const SERVICE_KEY: &str = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

/// Waits for the next answered round: Active with a later expiry than `before`.
async fn next_round(
	api: &Api,
	who: [u8; 32],
	before: u64,
	what: &str,
	logs: impl Fn() -> String,
) -> WorkerInfo<u32> {
	wait_for(api, who, Duration::from_secs(90), what, logs, |r| {
		r.as_ref()
			.is_some_and(|w| w.status == WorkerStatus::Active && w.expires_at > before)
	})
	.await
	.expect("record")
}

/// The value of metric `name` in Prometheus text.
fn metric(text: &str, name: &str) -> u64 {
	text.lines()
		.find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
		.unwrap_or_else(|| panic!("{name} not in:\n{text}"))
}

/// Polls the worker's `/metrics` until `name` is at least `min` (the worker counts an answer
/// once its submission is finalized, a moment after the chain state shows it).
async fn wait_metric(api: std::net::SocketAddr, name: &str, min: u64) -> String {
	let start = Instant::now();
	loop {
		let (status, text) = http_get(api, "/metrics").await.expect("GET /metrics");
		assert_eq!(status, 200, "{text}");
		if metric(&text, name) >= min {
			return text;
		}
		assert!(
			start.elapsed() < Duration::from_secs(30),
			"{name} < {min}:\n{text}"
		);
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

#[tokio::test]
async fn mock_worker_registers_re_attests_survives_a_node_restart_and_lapses_when_stopped() {
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

	// One measured service, configured through the TOML file.
	let key_file = dir.path().join("echo.pub");
	std::fs::write(&key_file, SERVICE_KEY).expect("key file");
	let config = dir.path().join("worker.toml");
	std::fs::write(
		&config,
		format!(
			"tee = \"mock\"\ndev-funder = \"alice\"\n[[service]]\nname = \"echo\"\n\
			 derivation = \"/nix/store/0000-tee-echo-0.1.0\"\npublic-key-file = \"{}\"\n",
			key_file.display()
		),
	)
	.expect("config file");
	let services_root = Services::load(&[ServiceConfig {
		name: "echo".into(),
		derivation: "/nix/store/0000-tee-echo-0.1.0".into(),
		public_key_file: key_file,
	}])
	.expect("services")
	.root();

	let api_addr: std::net::SocketAddr = format!("127.0.0.1:{}", free_port().expect("port"))
		.parse()
		.expect("address");
	let mut process = WorkerProcess::start(
		dir,
		&[
			"--config",
			config.to_str().expect("utf-8 path"),
			"--node",
			&node.ws_url(),
			"--api",
			&api_addr.to_string(),
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
	assert_eq!(
		registered.services_root, services_root,
		"the configured services' root"
	);

	// Validity 60 s, requests 40 s before expiry: a round every ~20 s. Three rounds answered.
	let mut last = registered;
	for round in 1..=3 {
		last = next_round(&api, account, last.expires_at, "re-attestation", logs).await;
		assert!(last.attested_at > last.registered_at, "round {round}");
	}
	let log = process.log();
	assert!(log.contains("re-attestation accepted"), "{log}");

	// The API reports the same.
	let (status, health) = http_get(api_addr, "/health").await.expect("GET /health");
	assert_eq!(status, 200, "{health}");
	let health: serde_json::Value = serde_json::from_str(&health).expect("json");
	// Active, or already asked for the next round (Pending): attested either way.
	assert!(
		health["state"] == "Active" || health["state"] == "Pending",
		"{health}"
	);
	assert_eq!(health["chain_connected"], true, "{health}");
	assert_eq!(health["services_root"], hex::encode(services_root));
	let metrics = wait_metric(api_addr, "tee_worker_attestations_answered_total", 3).await;
	assert_eq!(
		metric(&metrics, "tee_worker_registrations_total"),
		1,
		"{metrics}"
	);

	// The node crashes and comes back on the same database: the worker reconnects by itself
	// and answers the next request.
	node.restart().expect("restart node");
	node.rpc(Duration::from_secs(120))
		.await
		.expect("rpc up again");
	let api = Api::from_insecure_url(node.ws_url())
		.await
		.expect("subxt client after restart");
	let logs = || format!("worker:\n{}\nnode:\n{}", process.log(), node.log());
	last = next_round(&api, account, last.expires_at, "answer after restart", logs).await;
	assert_eq!(last.status, WorkerStatus::Active);
	let log = process.log();
	assert!(log.contains("reconnecting"), "{log}");
	assert_eq!(
		log.matches("registering").count(),
		1,
		"the worker did not register again: {log}"
	);
	let metrics = wait_metric(api_addr, "tee_worker_attestations_answered_total", 4).await;
	assert_eq!(
		metric(&metrics, "tee_worker_chain_connected"),
		1,
		"{metrics}"
	);
	// One connection to the node, the new one: the old died with the node.
	assert_eq!(
		e2e_tests::tcp_connections_to(process.pid(), node.rpc_port).expect("sockets"),
		1,
		"{}",
		process.log()
	);

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
