//! The `local` chain: Alice and Bob validate with Aura and GRANDPA and finalize blocks.

use std::time::{Duration, Instant};

use e2e_tests::{subxt::rpcs::rpc_params, Node};

/// Node keys with well-known peer ids, so Bob can be pointed at Alice.
const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
const BOB_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000002";

async fn finalized_number(rpc: &e2e_tests::subxt::rpcs::RpcClient) -> u64 {
	let hash: String = rpc
		.request("chain_getFinalizedHead", rpc_params![])
		.await
		.expect("finalized head");
	let header: serde_json::Value = rpc
		.request("chain_getHeader", rpc_params![hash])
		.await
		.expect("header");
	let hex = header["number"].as_str().expect("hex number");
	u64::from_str_radix(hex.trim_start_matches("0x"), 16).expect("number")
}

#[tokio::test]
async fn two_validators_finalize_blocks() {
	let mut alice = Node::start(
		"local-alice",
		&["--chain", "local", "--alice", "--node-key", ALICE_NODE_KEY],
	)
	.expect("start alice");
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{ALICE_PEER_ID}", alice.p2p_port);
	let mut bob = Node::start(
		"local-bob",
		&[
			"--chain",
			"local",
			"--bob",
			"--node-key",
			BOB_NODE_KEY,
			"--bootnodes",
			&bootnode,
		],
	)
	.expect("start bob");

	let alice_rpc = alice
		.rpc(Duration::from_secs(120))
		.await
		.expect("alice rpc");
	let bob_rpc = bob.rpc(Duration::from_secs(120)).await.expect("bob rpc");

	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let (a, b) = (
			finalized_number(&alice_rpc).await,
			finalized_number(&bob_rpc).await,
		);
		if a >= 1 && b >= 1 {
			break;
		}
		assert!(
			Instant::now() < deadline,
			"no block finalized in 120 s (alice {a}, bob {b})\n--- alice:\n{}\n--- bob:\n{}",
			alice.log(),
			bob.log()
		);
		tokio::time::sleep(Duration::from_secs(1)).await;
	}

	let health: serde_json::Value = bob_rpc
		.request("system_health", rpc_params![])
		.await
		.expect("health");
	assert_eq!(health["peers"], 1, "bob is connected to alice: {health}");
}
