//! The `local` chain: Alice and Bob validate with Aura and GRANDPA and finalize blocks.

use std::time::{Duration, Instant};

use e2e_tests::{finalized_number, start_local_validators, subxt::rpcs::rpc_params};

#[tokio::test]
async fn two_validators_finalize_blocks() {
	let (mut alice, mut bob) = start_local_validators("local", &[]).expect("start validators");
	let alice_rpc = alice
		.rpc(Duration::from_secs(120))
		.await
		.expect("alice rpc");
	let bob_rpc = bob.rpc(Duration::from_secs(120)).await.expect("bob rpc");

	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let (a, b) = (
			finalized_number(&alice_rpc).await.expect("alice finalized"),
			finalized_number(&bob_rpc).await.expect("bob finalized"),
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
