//! A worker whose account cannot pay the fee (a new user starting `tee-worker --tee mock` on
//! the dev chain without `--dev-funder`) says so once, naming the account, the fee and how to
//! fund it, shows it in `/health` and `/metrics`, and waits for the balance to change instead
//! of reconnecting. Funded for the fee but not the registration deposit, it says that; funded
//! for both, it registers at once and the deposit is held. Throughout it holds exactly one
//! connection to its node.

use std::time::{Duration, Instant};

use e2e_tests::{
	free_port, http_get,
	subxt::{self, OnlineClient, PolkadotConfig},
	subxt_signer::sr25519::dev,
	tcp_connections_to, Node, WorkerProcess,
};
use tee_worker::keys::WorkerKeys;

type Api = OnlineClient<PolkadotConfig>;

const UNIT: u128 = 1_000_000_000_000;

/// Alice sends `amount` planck to `account`.
async fn fund(api: &Api, account: [u8; 32], amount: u128) {
	let transfer = subxt::dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(
			subxt::utils::MultiAddress::<subxt::utils::AccountId32, ()>::Id(account.into()),
			amount,
		),
	);
	e2e_tests::submit_finalized(api, &transfer, &dev::alice())
		.await
		.expect("transfer finalized");
}

async fn health(addr: std::net::SocketAddr) -> serde_json::Value {
	let (status, body) = http_get(addr, "/health").await.expect("GET /health");
	assert_eq!(status, 200, "{body}");
	serde_json::from_str(&body).expect("json")
}

#[tokio::test]
async fn an_unfunded_worker_says_so_once_waits_for_funds_and_keeps_one_connection() {
	let mut node = Node::start("worker-funds", &["--dev"]).expect("start node");
	node.rpc(Duration::from_secs(120)).await.expect("rpc up");
	let api = Api::from_insecure_url(node.ws_url())
		.await
		.expect("subxt client");
	let dir = WorkerProcess::data_dir("funds").expect("data dir");
	let account = WorkerKeys::load_or_generate(&dir.path().join("data"))
		.expect("keys")
		.account_id();
	let ss58 = subxt::utils::AccountId32(account).to_string();
	let api_addr: std::net::SocketAddr = format!("127.0.0.1:{}", free_port().expect("port"))
		.parse()
		.expect("address");
	let process = WorkerProcess::start(
		dir,
		&[
			"--tee",
			"mock",
			"--node",
			&node.ws_url(),
			"--api",
			&api_addr.to_string(),
		],
	)
	.expect("start worker");
	let logs = || format!("worker:\n{}\nnode:\n{}", process.log(), node.log());

	// It finds out and says why in /health: the account, the fee, how to fund it. (The API
	// comes up a moment after the process starts.)
	let start = Instant::now();
	let blocked = loop {
		if let Ok((200, body)) = http_get(api_addr, "/health").await {
			let h: serde_json::Value = serde_json::from_str(&body).expect("json");
			if h["blocked"].is_object() {
				break h["blocked"].clone();
			}
		}
		assert!(start.elapsed() < Duration::from_secs(60), "{}", logs());
		tokio::time::sleep(Duration::from_millis(500)).await;
	};
	let reason = blocked["reason"].as_str().expect("reason");
	assert!(reason.contains(&ss58), "{reason}");
	assert!(reason.contains("fee"), "{reason}");
	assert!(reason.contains("--dev-funder alice"), "{reason}");
	assert_eq!(
		blocked["retry_at_block"],
		serde_json::Value::Null,
		"{blocked}"
	);
	let (_, metrics) = http_get(api_addr, "/metrics").await.expect("GET /metrics");
	assert!(metrics.contains("\ntee_worker_blocked 1\n"), "{metrics}");

	// Some blocks later: said once, no reconnection, one connection.
	tokio::time::sleep(Duration::from_secs(15)).await;
	let log = process.log();
	assert_eq!(
		log.matches("cannot pay the fee").count(),
		1,
		"said once: {log}"
	);
	assert!(!log.contains("reconnecting"), "{log}");
	assert_eq!(
		tcp_connections_to(process.pid(), node.rpc_port).expect("sockets"),
		1,
		"{log}"
	);

	// Enough for the fee, not for the deposit (10 UNIT): it says what is missing.
	fund(&api, account, UNIT).await;
	let start = Instant::now();
	loop {
		let h = health(api_addr).await;
		if let Some(reason) = h["blocked"]["reason"].as_str() {
			if reason.contains("holds 1000000000000 planck") {
				assert!(
					reason.contains("registration deposit of 10000000000000 planck"),
					"{reason}"
				);
				break;
			}
		}
		assert!(start.elapsed() < Duration::from_secs(60), "{h}\n{}", logs());
		tokio::time::sleep(Duration::from_millis(500)).await;
	}

	// Funded, it registers without being restarted, and its deposit is held.
	fund(&api, account, 20 * UNIT).await;
	e2e_tests::wait_until_active(&api, account, Duration::from_secs(60), logs)
		.await
		.expect("registered once funded");
	let at = api.at_current_block().await.expect("latest block");
	let info = at
		.storage()
		.try_fetch(
			subxt::dynamic::storage::<([u8; 32],), subxt::dynamic::Value>("System", "Account"),
			(account,),
		)
		.await
		.expect("System.Account")
		.expect("the account exists");
	let (_, _, _, _, _free, reserved) =
		<(u32, u32, u32, u32, u128, u128) as codec::Decode>::decode(&mut info.bytes())
			.expect("AccountInfo");
	assert_eq!(reserved, 10 * UNIT, "the registration deposit is held");
	// The accepted registration clears the reason (the worker counts it once finalized).
	let start = Instant::now();
	while !health(api_addr).await["blocked"].is_null() {
		assert!(start.elapsed() < Duration::from_secs(30), "{}", logs());
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	assert_eq!(
		tcp_connections_to(process.pid(), node.rpc_port).expect("sockets"),
		1,
		"{}",
		process.log()
	);
}
