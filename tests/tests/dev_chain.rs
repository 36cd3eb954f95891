//! The dev chain: starts, authors blocks on its own, answers JSON-RPC, includes transfers.

use std::time::{Duration, Instant};

use e2e_tests::{
	subxt::{
		self,
		dynamic::{At, Value},
		rpcs::rpc_params,
		OnlineClient, PolkadotConfig,
	},
	subxt_signer::sr25519::dev,
	Node,
};

const STARTUP: Duration = Duration::from_secs(120);

async fn best_number(rpc: &subxt::rpcs::RpcClient) -> u64 {
	let header: serde_json::Value = rpc
		.request("chain_getHeader", rpc_params![])
		.await
		.expect("chain_getHeader");
	let hex = header["number"]
		.as_str()
		.expect("header number is a hex string");
	u64::from_str_radix(hex.trim_start_matches("0x"), 16).expect("hex block number")
}

#[tokio::test]
async fn dev_node_authors_blocks_and_answers_rpc() {
	let mut node = Node::start("dev-rpc", &["--dev"]).expect("start node");
	let rpc = node.rpc(STARTUP).await.expect("rpc up");

	let health: serde_json::Value = rpc
		.request("system_health", rpc_params![])
		.await
		.expect("system_health");
	assert_eq!(
		health["isSyncing"],
		serde_json::Value::Bool(false),
		"health: {health}"
	);
	assert!(health["peers"].is_u64(), "health: {health}");

	// Blocks keep coming without any transaction: one per 3-second slot.
	let first = best_number(&rpc).await;
	let deadline = Instant::now() + Duration::from_secs(30);
	while best_number(&rpc).await < first + 2 {
		assert!(
			Instant::now() < deadline,
			"no new blocks in 30 s:\n{}",
			node.log()
		);
		tokio::time::sleep(Duration::from_millis(500)).await;
	}

	// Finalized with each block (manual seal finalizes what it seals).
	let finalized: String = rpc
		.request("chain_getFinalizedHead", rpc_params![])
		.await
		.expect("finalized head");
	let fin_header: serde_json::Value = rpc
		.request("chain_getHeader", rpc_params![finalized])
		.await
		.expect("finalized header");
	assert_ne!(
		fin_header["number"], "0x0",
		"dev chain must finalize: {fin_header}"
	);

	let metadata: String = rpc
		.request("state_getMetadata", rpc_params![])
		.await
		.expect("state_getMetadata");
	// SCALE-encoded RuntimeMetadataPrefixed starts with the magic "meta".
	assert!(
		metadata.starts_with("0x6d657461"),
		"unexpected metadata prefix: {}",
		&metadata[..16]
	);
	assert!(
		metadata.len() > 10_000,
		"metadata suspiciously small: {} chars",
		metadata.len()
	);

	let version: serde_json::Value = rpc
		.request("state_getRuntimeVersion", rpc_params![])
		.await
		.expect("runtime version");
	assert_eq!(version["specName"], "tee-attestation");
}

/// Free balance of `who` at the latest block.
async fn free_balance(api: &OnlineClient<PolkadotConfig>, who: [u8; 32]) -> u128 {
	let at = api.at_current_block().await.expect("current block");
	let addr = subxt::dynamic::storage::<([u8; 32],), Value>("System", "Account");
	let info = at
		.storage()
		.fetch(addr, (who,))
		.await
		.expect("fetch account")
		.decode()
		.expect("decode");
	let free = info
		.at("data")
		.and_then(|d| d.at("free"))
		.expect("data.free");
	free.as_u128().expect("free is a number")
}

#[tokio::test]
async fn balance_transfer_from_alice_to_bob_is_included() {
	let mut node = Node::start("dev-transfer", &["--dev"]).expect("start node");
	node.rpc(STARTUP).await.expect("rpc up");
	let api = OnlineClient::<PolkadotConfig>::from_insecure_url(node.ws_url())
		.await
		.expect("subxt client");

	let alice = dev::alice();
	let bob = dev::bob();
	let alice_id: [u8; 32] = alice.public_key().0;
	let bob_id: [u8; 32] = bob.public_key().0;
	let alice_before = free_balance(&api, alice_id).await;
	let bob_before = free_balance(&api, bob_id).await;
	assert!(
		alice_before > 0 && bob_before > 0,
		"dev accounts are endowed at genesis"
	);

	const AMOUNT: u128 = 1_234_567_890_000; // 1.23456789 UNIT
	let tx = subxt::dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(bob.public_key().to_address::<()>(), AMOUNT),
	);
	let events = api
		.at_current_block()
		.await
		.expect("current block")
		.transactions()
		.sign_and_submit_then_watch_default(&tx, &alice)
		.await
		.expect("submit")
		.wait_for_finalized_success()
		.await
		.expect("transfer included and successful");
	let transfer = events
		.iter()
		.filter_map(Result::ok)
		.find(|e| e.pallet_name() == "Balances" && e.event_name() == "Transfer");
	assert!(transfer.is_some(), "no Balances::Transfer event");

	let alice_after = free_balance(&api, alice_id).await;
	let bob_after = free_balance(&api, bob_id).await;
	assert_eq!(
		bob_after,
		bob_before + AMOUNT,
		"Bob receives exactly the amount"
	);
	assert!(
		alice_after < alice_before - AMOUNT,
		"Alice pays the amount plus a non-zero fee: before {alice_before}, after {alice_after}"
	);
}
