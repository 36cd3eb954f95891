//! `attest collateral watch` on a dev node with a mock TDX worker and a local fake Intel PCS /
//! AMD KDS that re-issues short-lived dev collateral: the watcher uploads each newer issue
//! exactly once, the worker stays attested across several collateral nextUpdates, and a
//! tampered issue is refused (not uploaded) and counted in the metrics.

use std::{
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use e2e_tests::{
	free_port, http_get, output_text as text,
	subxt::{OnlineClient, PolkadotConfig},
	workspace_binary, Node, WorkerProcess,
};
use fake_pcs::{dev, FakeSources};
use pallet_attestation::WorkerStatus;
use tee_worker::keys::WorkerKeys;
use tokio::io::AsyncBufReadExt;

type Api = OnlineClient<PolkadotConfig>;

/// Validity of each dev issue, from its issue date (`ISSUE_SKEW` before it is published).
const VALIDITY: u64 = 120;
/// Seconds between issues.
const CADENCE: Duration = Duration::from_secs(20);

/// The chain's TDX TCB Info of `fmspc` as `attest collateral status` reports it:
/// (issued_at, next_update).
async fn chain_tcb_info(ws: &str, fmspc: &str) -> Option<(u64, u64)> {
	let out = tokio::process::Command::new(workspace_binary("attest").expect("attest"))
		.args(["--json", "--node", ws, "collateral", "status"])
		.output()
		.await
		.expect("run attest");
	let v: serde_json::Value =
		serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
	v["collateral"].as_array()?.iter().find_map(|item| {
		let name = item["collateral"].as_str()?;
		(name == format!("TDX TCB Info, FMSPC {}", fmspc.to_lowercase()))
			.then(|| Some((item["issued_at"].as_u64()?, item["next_update"].as_u64()?)))?
	})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watcher_keeps_a_tdx_worker_attested_across_collateral_updates() {
	let mut node = Node::start("collateral-watch", &["--dev"]).expect("start node");
	node.rpc(Duration::from_secs(120)).await.expect("rpc up");
	let ws = node.ws_url();
	let api = Api::from_insecure_url(&ws).await.expect("subxt client");

	// The fake PCS/KDS, with a first issue of dev collateral.
	let roots = mock_tee::DevRoots::dev().expect("dev roots");
	let config = mock_tee::TdxTcbConfig::default();
	let fmspc = hex::encode_upper(config.fmspc);
	let sources = FakeSources::new();
	// AMD CRLs once (valid for the whole test), TDX collateral re-issued every CADENCE.
	dev::publish_dev_amd(&sources, &roots, dev::unix_now(), 3600).expect("publish AMD");
	let publish = |sources: &FakeSources| {
		let now = dev::unix_now();
		dev::publish_dev_tdx(sources, &roots, &config, now, VALIDITY).expect("publish");
		now - dev::ISSUE_SKEW
	};
	let mut issues = vec![publish(&sources)];
	let (addr, _server) = sources
		.serve("127.0.0.1:0".parse().expect("addr"))
		.await
		.expect("serve");
	let url = format!("http://{addr}");

	// A mock TDX worker, registered under the genesis collateral.
	let dir = WorkerProcess::data_dir("collateral-watch").expect("data dir");
	let who = WorkerKeys::load_or_generate(&dir.path().join("data"))
		.expect("keys")
		.account_id();
	let worker = WorkerProcess::start(
		dir,
		&["--tee", "mock", "--node", &ws, "--dev-funder", "alice"],
	)
	.expect("worker");
	e2e_tests::wait_until_active(&api, who, Duration::from_secs(120), || worker.log())
		.await
		.expect("registered");

	// The watcher.
	let metrics: std::net::SocketAddr = format!("127.0.0.1:{}", free_port().expect("port"))
		.parse()
		.expect("addr");
	let mut watcher = tokio::process::Command::new(workspace_binary("attest").expect("attest"))
		.args([
			"--json",
			"--node",
			&ws,
			"collateral",
			"watch",
			"--pcs",
			&url,
			"--kds",
			&url,
			"--margin",
			"40",
			"--interval",
			"3",
			"--dev-key",
			"bob",
			"--metrics",
			&metrics.to_string(),
		])
		.stdout(std::process::Stdio::piped())
		.stderr(std::process::Stdio::piped())
		.kill_on_drop(true)
		.spawn()
		.expect("start the watcher");
	let events: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
	let mut lines = tokio::io::BufReader::new(watcher.stdout.take().expect("stdout")).lines();
	let sink = events.clone();
	tokio::spawn(async move {
		while let Ok(Some(line)) = lines.next_line().await {
			if let Ok(v) = serde_json::from_str(&line) {
				sink.lock().expect("events").push(v);
			}
		}
	});
	let logs = |events: &Arc<Mutex<Vec<serde_json::Value>>>| {
		format!(
			"watcher events: {:?}\nworker:\n{}\nnode:\n{}",
			events.lock().expect("events"),
			worker.log(),
			node.log()
		)
	};

	// Each issue reaches the chain; the worker stays attested.
	let wait_on_chain = |issued: u64| {
		let ws = ws.clone();
		let fmspc = fmspc.clone();
		async move {
			let start = Instant::now();
			loop {
				if chain_tcb_info(&ws, &fmspc)
					.await
					.is_some_and(|(i, _)| i == issued)
				{
					return true;
				}
				if start.elapsed() > Duration::from_secs(45) {
					return false;
				}
				tokio::time::sleep(Duration::from_secs(1)).await;
			}
		}
	};
	let assert_attested = |api: Api| async move {
		let record = e2e_tests::worker_record(&api, who)
			.await
			.expect("read")
			.expect("record");
		let now = dev::unix_now();
		assert_ne!(record.status, WorkerStatus::Lapsed);
		assert!(
			record.expires_at > now.saturating_sub(10),
			"{record:?} at {now}"
		);
		record
	};
	for round in 0..5 {
		let issued = *issues.last().expect("issue");
		assert!(
			wait_on_chain(issued).await,
			"round {round}: issue {issued} not uploaded\n{}",
			logs(&events)
		);
		assert_attested(api.clone()).await;
		tokio::time::sleep(CADENCE).await;
		issues.push(publish(&sources));
	}
	assert!(
		wait_on_chain(*issues.last().expect("issue")).await,
		"{}",
		logs(&events)
	);

	// A tampered issue (a bad TCB Info signature, newer than the chain's): refused, not
	// uploaded; the chain keeps the last good one.
	let good = *issues.last().expect("issue");
	let mut tampered = roots
		.tdx_collateral(
			dev::unix_now() + 5,
			&mock_tee::TdxTcbConfig {
				issued_before_now: dev::ISSUE_SKEW,
				validity: VALIDITY,
				..config.clone()
			},
		)
		.expect("mint")
		.to_verifier()
		.expect("verifier");
	tampered.tcb_info_signature[0] ^= 1;
	sources.publish_tdx(&tampered, "platform");
	let start = Instant::now();
	loop {
		let rejected = events
			.lock()
			.expect("events")
			.iter()
			.any(|e| e["event"] == "rejected");
		if rejected {
			break;
		}
		assert!(
			start.elapsed() < Duration::from_secs(30),
			"no rejection\n{}",
			logs(&events)
		);
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	tokio::time::sleep(Duration::from_secs(8)).await;
	assert_eq!(
		chain_tcb_info(&ws, &fmspc).await.map(|(i, _)| i),
		Some(good),
		"{}",
		logs(&events)
	);
	// Back to good issues: uploaded again.
	issues.push(publish(&sources));
	assert!(
		wait_on_chain(*issues.last().expect("issue")).await,
		"{}",
		logs(&events)
	);

	// The worker re-attested under collateral issued after the first issue expired: it stayed
	// attested across several nextUpdates.
	let first_next_update = issues[0] + VALIDITY;
	assert!(
		dev::unix_now() > first_next_update + 30,
		"crossed several nextUpdates"
	);
	let record = assert_attested(api.clone()).await;
	assert!(record.expires_at > first_next_update, "{record:?}");

	// Every issue was uploaded exactly once; nothing else was uploaded for TDX.
	let uploaded: Vec<u64> = events
		.lock()
		.expect("events")
		.iter()
		.filter(|e| {
			e["event"] == "uploaded"
				&& e["collateral"]
					.as_str()
					.is_some_and(|c| c.starts_with("TDX"))
		})
		.filter_map(|e| e["issued_at"].as_u64())
		.collect();
	assert_eq!(uploaded, issues, "{}", logs(&events));
	assert!(
		events
			.lock()
			.expect("events")
			.iter()
			.all(|e| e["event"] != "refused" && e["event"] != "upload_failed"),
		"{}",
		logs(&events)
	);

	// The metrics say the same (once the round that uploaded the last issue has ended).
	let expected = format!(
		"attest_collateral_next_update_seconds{{collateral=\"tdx_tcb_info/{fmspc}\"}} {}",
		issues.last().expect("issue") + VALIDITY
	);
	let start = Instant::now();
	let body = loop {
		let (status, body) = http_get(metrics, "/metrics").await.expect("GET /metrics");
		assert_eq!(status, 200);
		if body.contains(&expected) {
			break body;
		}
		assert!(
			start.elapsed() < Duration::from_secs(60),
			"{expected} not in:\n{body}"
		);
		tokio::time::sleep(Duration::from_secs(1)).await;
	};
	assert!(
		body.contains("attest_collateral_fetches_total{source=\"pcs\",outcome=\"rejected\"} "),
		"{body}"
	);
	let stored: u64 = body
		.lines()
		.find_map(|l| {
			l.strip_prefix("attest_collateral_uploads_total{outcome=\"stored\"} ")?
				.parse()
				.ok()
		})
		.unwrap_or(0);
	// Each TDX issue, and each product's AMD CRLs once (newer than the dev genesis' CRLs, then
	// current).
	assert_eq!(stored, issues.len() as u64 + 3, "{body}");
	let amd_uploads = events
		.lock()
		.expect("events")
		.iter()
		.filter(|e| {
			e["event"] == "uploaded"
				&& e["collateral"]
					.as_str()
					.is_some_and(|c| c.starts_with("AMD"))
		})
		.count();
	assert_eq!(amd_uploads, 3, "{}", logs(&events));
	let _ = watcher.kill().await;
}

/// `attest collateral fetch --upload`: each bundle is submitted only when the chain would
/// store something newer; a second run finds everything on chain and submits nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_upload_submits_only_what_is_newer() {
	let mut node = Node::start("collateral-fetch-upload", &["--dev"]).expect("start node");
	node.rpc(Duration::from_secs(120)).await.expect("rpc up");
	let ws = node.ws_url();
	let roots = mock_tee::DevRoots::dev().expect("dev roots");
	let config = mock_tee::TdxTcbConfig::default();
	let fmspc = hex::encode_upper(config.fmspc);
	let sources = FakeSources::new();
	let now = dev::unix_now();
	dev::publish_dev(&sources, &roots, &config, now, 3600).expect("publish");
	let (addr, _server) = sources
		.serve("127.0.0.1:0".parse().expect("addr"))
		.await
		.expect("serve");
	let url = format!("http://{addr}");
	let out_dir = e2e_tests::TempDir::new("fetch-upload").expect("dir");
	let run = || async {
		tokio::process::Command::new(workspace_binary("attest").expect("attest"))
			.args([
				"--json",
				"--node",
				&ws,
				"collateral",
				"fetch",
				"--tdx",
				&fmspc,
				"--pcs",
				&url,
				"--out",
				out_dir.path().to_str().expect("utf8"),
				"--upload",
				"--dev-key",
				"bob",
			])
			.output()
			.await
			.expect("run attest")
	};
	let uploads = |out: &std::process::Output| -> Vec<String> {
		let v: serde_json::Value =
			serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)));
		v["collateral"]
			.as_array()
			.expect("collateral")
			.iter()
			.filter_map(|c| c["upload"].as_str().map(str::to_string))
			.collect()
	};
	// Newer than genesis: the Platform CA bundle replaces every part; the Processor CA
	// bundle then adds only that CA's CRL (its other parts are the ones just stored).
	let first = run().await;
	assert_eq!(first.status.code(), Some(0), "{}", text(&first));
	assert_eq!(
		uploads(&first),
		["uploaded", "uploaded"],
		"{}",
		text(&first)
	);
	let mut files: Vec<String> = std::fs::read_dir(out_dir.path())
		.expect("ls")
		.filter_map(|e| e.ok()?.file_name().into_string().ok())
		.collect();
	files.sort();
	assert_eq!(
		files,
		[
			format!("tdx-{fmspc}-processor.json"),
			format!("tdx-{fmspc}.json")
		]
	);
	let (issued, _) = chain_tcb_info(&ws, &fmspc)
		.await
		.expect("TCB Info on chain");
	assert_eq!(issued, now - dev::ISSUE_SKEW);
	// Again: nothing is newer, nothing is submitted.
	let second = run().await;
	assert_eq!(second.status.code(), Some(0), "{}", text(&second));
	assert_eq!(
		uploads(&second),
		["already on chain", "already on chain"],
		"{}",
		text(&second)
	);
	drop(node);
}
