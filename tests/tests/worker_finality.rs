//! The worker under lagging finality (issue 19). On the `local` chain with Bob, one of its two
//! validators, stopped, GRANDPA finalizes nothing while Alice keeps authoring. The pallet
//! counts best-chain blocks (registration window, request deadlines), and so does the worker:
//! a worker already registered answers its re-attestation requests in time, and one started
//! after finality has lagged longer than the registration window registers, anchored to a
//! best block. Bob back, finality catches up and both are Active, each registered once.
//!
//! The chain is set up as the dev chain is at genesis (mock-tee roots, the dev policy with its
//! 60 s validity, the dev image release, dev TDX collateral), through Alice, the sudo key.

use std::time::{Duration, Instant};

use e2e_tests::{
	best_number, finalized_number, free_port, scale_call, start_local_validators, submit_finalized,
	subxt::{OnlineClient, PolkadotConfig},
	subxt_signer::sr25519::dev,
	worker_record, worker_record_at_best, WorkerProcess,
};
use pallet_attestation::WorkerStatus;
use tee_worker::keys::WorkerKeys;

type Api = OnlineClient<PolkadotConfig>;

/// A dev genesis value (SCALE) from `runtime/genesis/`.
fn genesis_file(name: &str) -> Vec<u8> {
	std::fs::read(
		std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
			.join("../runtime/genesis")
			.join(name),
	)
	.expect("genesis file")
}

/// `Attestation.<call>(arg)`, wrapped in `Sudo.sudo` when `sudo`, signed by Alice, finalized.
async fn alice_calls(api: &Api, call: &str, arg: Vec<u8>, sudo: bool) {
	let at = api.at_current_block().await.expect("block");
	let metadata = at.metadata_ref();
	let payload = if sudo {
		let pallet = metadata.pallet_by_name("Attestation").expect("pallet");
		let variant = pallet.call_variant_by_name(call).expect("call");
		let mut inner = vec![pallet.call_index(), variant.index];
		inner.extend(arg);
		scale_call::build(metadata, "Sudo", "sudo", &[inner]).expect("sudo")
	} else {
		scale_call::build(metadata, "Attestation", call, &[arg]).expect("call")
	};
	submit_finalized(api, &payload, &dev::alice())
		.await
		.unwrap_or_else(|e| panic!("{call}: {e}"));
}

/// Starts a mock worker on Alice's node; its account.
fn start_worker(name: &str, node: &str) -> (WorkerProcess, [u8; 32]) {
	let dir = WorkerProcess::data_dir(name).expect("data dir");
	let account = WorkerKeys::load_or_generate(&dir.path().join("data"))
		.expect("keys")
		.account_id();
	let api = format!("127.0.0.1:{}", free_port().expect("port"));
	let process = WorkerProcess::start(
		dir,
		&[
			"--tee",
			"mock",
			"--node",
			node,
			"--dev-funder",
			"alice",
			"--api",
			&api,
		],
	)
	.expect("start worker");
	(process, account)
}

#[tokio::test]
async fn workers_stay_active_while_finality_lags_and_after_it_catches_up() {
	// Alice authors even without peers (`--force-authoring`), as a validator of a larger
	// network would while one of the others is down.
	let (mut alice, mut bob) =
		start_local_validators("finality", &["--force-authoring"]).expect("start validators");
	let rpc = alice
		.rpc(Duration::from_secs(120))
		.await
		.expect("alice rpc");
	bob.rpc(Duration::from_secs(120)).await.expect("bob rpc");
	let api = Api::from_insecure_url(alice.ws_url())
		.await
		.expect("subxt client");
	// Dev roots, policy, release and collateral, as the dev genesis has them.
	alice_calls(
		&api,
		"set_trust_anchors",
		genesis_file("dev-trust-anchors.scale"),
		true,
	)
	.await;
	alice_calls(&api, "set_policy", genesis_file("dev-policy.scale"), true).await;
	alice_calls(&api, "add_release", genesis_file("dev-release.scale"), true).await;
	alice_calls(
		&api,
		"upload_collateral",
		genesis_file("dev-tdx-collateral.scale"),
		false,
	)
	.await;

	let (early, early_account) = start_worker("finality-early", &alice.ws_url());
	let logs = |w: &WorkerProcess| format!("worker:\n{}\nalice:\n{}", w.log(), alice.log());
	e2e_tests::wait_until_active(&api, early_account, Duration::from_secs(90), || {
		logs(&early)
	})
	.await
	.expect("registered while finality works");
	let registered_at = worker_record(&api, early_account)
		.await
		.expect("record")
		.expect("registered")
		.registered_at;

	// Bob stops: nothing is finalized any more (GRANDPA needs both), Alice authors every
	// other slot (6 s).
	bob.stop();
	let stalled_at = finalized_number(&rpc).await.expect("finalized");
	// Longer than the registration window (20 blocks): a registration anchored to the
	// finalized head would be refused as stale.
	let window_passed = best_number(&rpc).await.expect("best") + 22;
	let attested_before = worker_record_at_best(&api, &rpc, early_account)
		.await
		.expect("record")
		.expect("registered")
		.attested_at;
	let mut attested_during = attested_before;
	let start = Instant::now();
	while best_number(&rpc).await.expect("best") < window_passed {
		let record = worker_record_at_best(&api, &rpc, early_account)
			.await
			.expect("record")
			.expect("still registered");
		attested_during = record.attested_at;
		assert_ne!(record.status, WorkerStatus::Lapsed, "{}", logs(&early));
		assert!(
			start.elapsed() < Duration::from_secs(400),
			"{}",
			logs(&early)
		);
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	assert_eq!(
		finalized_number(&rpc).await.expect("finalized"),
		stalled_at,
		"finality stalled while Bob was down"
	);
	assert!(
		attested_during > attested_before,
		"re-attested during the stall (at block {attested_during}, before {attested_before}): {}",
		logs(&early)
	);

	// A worker started now registers, anchored to a best block.
	let (late, late_account) = start_worker("finality-late", &alice.ws_url());
	let start = Instant::now();
	loop {
		let record = worker_record_at_best(&api, &rpc, late_account)
			.await
			.expect("record");
		if record.is_some_and(|w| w.status == WorkerStatus::Active) {
			break;
		}
		assert!(
			start.elapsed() < Duration::from_secs(120),
			"{}",
			logs(&late)
		);
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	let late_registered_at = worker_record_at_best(&api, &rpc, late_account)
		.await
		.expect("record")
		.expect("registered")
		.registered_at;

	// Bob back: finality catches up past the stall, and both workers are attested in
	// finalized state, each registered once.
	bob.restart().expect("restart bob");
	let target = best_number(&rpc).await.expect("best");
	let start = Instant::now();
	while finalized_number(&rpc).await.expect("finalized") < target {
		assert!(
			start.elapsed() < Duration::from_secs(180),
			"finality did not catch up\nbob:\n{}",
			bob.log()
		);
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	for (worker, account, registered) in [
		(&early, early_account, registered_at),
		(&late, late_account, late_registered_at),
	] {
		let record = worker_record(&api, account)
			.await
			.expect("record")
			.expect("registered");
		assert_ne!(record.status, WorkerStatus::Lapsed, "{}", logs(worker));
		assert_eq!(
			record.registered_at,
			registered,
			"registered once: {}",
			logs(worker)
		);
	}
}
