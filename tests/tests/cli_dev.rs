//! `attest` against a real dev node with real mock workers (TDX and SNP): lists them, verifies
//! each from chain state alone, and fails with the right exit status for tampered stored
//! evidence, an unknown account, a bad account string and an unreachable node. Also
//! `releases`, `policy` and `collateral status`.

use std::{
	process::{Command, Output},
	time::{Duration, Instant},
};

use codec::Encode;
use e2e_tests::{
	output_text as text, scale_call,
	subxt::{self, dynamic::Value, OnlineClient, PolkadotConfig},
	subxt_signer::sr25519::dev,
	Node, WorkerProcess,
};
use pallet_attestation::{EvidenceRecord, WorkerStatus};
use tee_verifier::Evidence;
use tee_worker::keys::WorkerKeys;

type Api = OnlineClient<PolkadotConfig>;

/// The `attest` CLI against `node`.
fn attest(node: &str, args: &[&str]) -> Output {
	e2e_tests::attest(node, args).expect("run attest")
}

/// The fields of the failed checks in `attest --json worker` output (`checks` or
/// `live_checks`).
fn failed_fields<'a>(v: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
	v[key]
		.as_array()
		.unwrap_or_else(|| panic!("no {key}: {v}"))
		.iter()
		.filter(|c| c["ok"] == false)
		.filter_map(|c| c["field"].as_str())
		.collect()
}

fn ss58(account: [u8; 32]) -> String {
	subxt::utils::AccountId32(account).to_string()
}

async fn wait_active(api: &Api, who: [u8; 32], logs: impl Fn() -> String) {
	let start = Instant::now();
	loop {
		let record = e2e_tests::worker_record(api, who)
			.await
			.expect("read record");
		if record.is_some_and(|w| w.status == WorkerStatus::Active) {
			return;
		}
		assert!(
			start.elapsed() < Duration::from_secs(60),
			"not registered:\n{}",
			logs()
		);
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// Overwrites `Attestation.AcceptedEvidence(who)` through `Sudo.sudo(System.set_storage)`.
async fn overwrite_evidence(api: &Api, who: [u8; 32], record: &EvidenceRecord<u32>) {
	let at = api.at_current_block().await.expect("block");
	let addr = subxt::dynamic::storage::<([u8; 32],), Value>("Attestation", "AcceptedEvidence");
	let key = at
		.storage()
		.entry(addr)
		.expect("entry")
		.fetch_key((who,))
		.expect("key");
	let metadata = at.metadata_ref();
	let system = metadata.pallet_by_name("System").expect("System");
	let set_storage = system
		.call_variant_by_name("set_storage")
		.expect("set_storage");
	let items: Vec<(Vec<u8>, Vec<u8>)> = vec![(key, record.encode())];
	let mut call = vec![system.call_index(), set_storage.index];
	call.extend(items.encode());
	let sudo = scale_call::build(metadata, "Sudo", "sudo", &[call]).expect("sudo call");
	at.transactions()
		.sign_and_submit_then_watch_default(&sudo, &dev::alice())
		.await
		.expect("submit")
		.wait_for_finalized_success()
		.await
		.expect("set_storage");
}

#[tokio::test]
async fn attest_verifies_workers_from_chain_state_and_fails_on_tampering() {
	let mut node = Node::start("cli", &["--dev"]).expect("start node");
	node.rpc(Duration::from_secs(120)).await.expect("rpc up");
	let url = node.ws_url();
	let api = Api::from_insecure_url(&url).await.expect("subxt client");

	let mut workers = Vec::new();
	let mut apis = Vec::new();
	for mock in ["tdx", "snp"] {
		let api_url = format!("127.0.0.1:{}", e2e_tests::free_port().expect("port"));
		let dir = WorkerProcess::data_dir(&format!("cli-{mock}")).expect("data dir");
		let account = WorkerKeys::load_or_generate(&dir.path().join("data"))
			.expect("keys")
			.account_id();
		let process = WorkerProcess::start(
			dir,
			&[
				"--node",
				&url,
				"--tee",
				"mock",
				"--mock-tee",
				mock,
				"--dev-funder",
				if mock == "tdx" { "alice" } else { "bob" },
				"--api",
				&api_url,
			],
		)
		.expect("start worker");
		workers.push((mock, account, process));
		apis.push(format!("http://{api_url}"));
	}
	for (_, account, process) in &workers {
		wait_active(&api, *account, || process.log()).await;
	}

	// attest workers --json: both, Active, with TEE and release.
	let out = attest(&url, &["--json", "workers"]);
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	for (mock, account, _) in &workers {
		let entry = list
			.as_array()
			.expect("list")
			.iter()
			.find(|w| w["account"] == ss58(*account))
			.unwrap_or_else(|| panic!("{mock} worker missing: {list}"));
		assert_eq!(entry["status"], "Active", "{entry}");
		assert_eq!(entry["release"], 0, "{entry}");
		let tee = if *mock == "tdx" { "Tdx" } else { "Snp" };
		assert_eq!(entry["tee"], tee, "{entry}");
	}
	// polkadot.js (tests/polkadotjs, pinned in its package-lock.json) decodes the same state
	// with the chain's metadata alone: readable names, the workers Active on release 0.
	let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("polkadotjs/inspect.mjs");
	assert!(
		script.with_file_name("node_modules").exists(),
		"run `npm ci --prefix tests/polkadotjs` first (scripts/test.sh does)"
	);
	let out = Command::new("node")
		.arg(&script)
		.arg(&url)
		.output()
		.expect("run node");
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let state: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	for (mock, account, _) in &workers {
		let entry = state["workers"]
			.as_array()
			.expect("workers")
			.iter()
			.find(|w| w["account"] == ss58(*account))
			.unwrap_or_else(|| panic!("{mock} worker missing: {state}"));
		assert_eq!(entry["status"], "Active", "{entry}");
		assert_eq!(entry["release"], 0, "{entry}");
		assert_eq!(
			entry["tcbStatus"],
			if *mock == "tdx" {
				"UpToDate".into()
			} else {
				serde_json::Value::Null
			},
			"{entry}"
		);
	}
	assert_eq!(
		state["releases"][0]["name"],
		"tee-attest dev image (mock-tee, INSECURE)"
	);
	assert_eq!(state["policy"]["evidence"]["attestationValiditySecs"], 60);
	// Intel's collateral as its separately stored parts: the dev PCK CRL is the Platform CA's.
	let tdx = &state["tdxCollateral"];
	assert_eq!(tdx["pckCrl"][0]["ca"], "Platform", "{tdx}");
	assert_eq!(tdx["tcbInfo"].as_array().map(Vec::len), Some(1), "{tdx}");
	assert_eq!(tdx["qeIdentity"]["evaluationDataNumber"], 17, "{tdx}");
	assert!(tdx["rootCaCrl"]["nextUpdate"].is_number(), "{tdx}");
	let out = Command::new("node")
		.arg(&script)
		.arg("ws://127.0.0.1:1")
		.output()
		.expect("run node");
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));

	let table = attest(&url, &["workers"]);
	assert_eq!(table.status.code(), Some(0));
	assert!(String::from_utf8_lossy(&table.stdout).contains("ACCOUNT"));

	// attest worker: verified from chain state, every check ok, for TDX and SNP.
	for (mock, account, _) in &workers {
		let started = Instant::now();
		let out = attest(&url, &["worker", &ss58(*account)]);
		eprintln!("attest worker ({mock}): {:?}", started.elapsed());
		assert_eq!(out.status.code(), Some(0), "{mock}: {}", text(&out));
		assert!(String::from_utf8_lossy(&out.stdout).contains("VERIFIED"));
		let out = attest(&url, &["--json", "worker", &hex::encode(account)]);
		assert_eq!(out.status.code(), Some(0), "{mock}: {}", text(&out));
		let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
		assert_eq!(v["verified"], true, "{v}");
		let checks = v["checks"].as_array().expect("checks");
		assert!(checks.len() >= 12, "{v}");
		assert!(checks.iter().all(|c| c["ok"] == true), "{v}");
		// Freshness and revocations are checked here, not taken from the chain.
		for field in ["freshness", "today's collateral"] {
			assert!(checks.iter().any(|c| c["field"] == field), "{field}: {v}");
		}
	}

	// --live: fresh evidence from each worker's own API verifies; another worker's API (its
	// evidence binds another account) fails; an API that is not there is exit 2.
	for ((mock, account, _), api_url) in workers.iter().zip(&apis) {
		let started = Instant::now();
		let out = attest(
			&url,
			&["--json", "worker", &ss58(*account), "--live", api_url],
		);
		eprintln!("attest worker --live ({mock}): {:?}", started.elapsed());
		assert_eq!(out.status.code(), Some(0), "{mock}: {}", text(&out));
		let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
		let live = v["live_checks"].as_array().expect("live checks");
		assert!(live.iter().any(|c| c["field"] == "nonce"), "{v}");
		assert!(live.iter().all(|c| c["ok"] == true), "{v}");
	}
	let out = attest(
		&url,
		&["--json", "worker", &ss58(workers[1].1), "--live", &apis[0]],
	);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	let failed = failed_fields(&v, "live_checks");
	assert!(failed.contains(&"account"), "{v}");
	let free = format!("http://127.0.0.1:{}", e2e_tests::free_port().expect("port"));
	let out = attest(&url, &["worker", &ss58(workers[1].1), "--live", &free]);
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));

	// Tampered stored evidence: stop the TDX worker (so it does not overwrite the record),
	// flip one byte of its quote's signature in chain state, and attest must fail with 1.
	let (_, tdx_account, tdx_process) = &mut workers[0];
	tdx_process.kill();
	let tdx_account = *tdx_account;
	let at = api.at_current_block().await.expect("block");
	let mut record: EvidenceRecord<u32> =
		tee_worker::chain::fetch(&at, "AcceptedEvidence", tdx_account)
			.await
			.expect("read")
			.expect("record");
	if let Evidence::TdxWithEventLog { quote, .. } = &mut record.evidence {
		// Inside the quote's ECDSA signature (right after the 4-byte signature length).
		let offset = 48 + 584 + 4 + 10;
		let byte = quote.get_mut(offset).expect("quote long enough");
		*byte ^= 0x01;
	} else {
		panic!("tdx evidence expected");
	}
	overwrite_evidence(&api, tdx_account, &record).await;
	let out = attest(&url, &["--json", "worker", &ss58(tdx_account)]);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	assert_eq!(v["verified"], false);
	let failed = failed_fields(&v, "checks");
	assert!(failed.contains(&"evidence"), "{v}");
	assert!(failed.contains(&"evidence hash"), "{v}");
	let out = attest(&url, &["worker", &ss58(tdx_account)]);
	assert_eq!(out.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&out.stdout).contains("NOT VERIFIED"));

	// A record forged from the SNP worker's public API output (valid evidence, valid binding,
	// but purpose OffChain, which the chain never accepts) is caught by the purpose check.
	let (_, snp_account, snp_process) = &mut workers[1];
	let snp_account = *snp_account;
	let (status, body) = e2e_tests::http_get(
		apis[1]
			.trim_start_matches("http://")
			.parse()
			.expect("address"),
		&format!("/attestation?nonce={}", hex::encode([5u8; 32])),
	)
	.await
	.expect("GET /attestation");
	assert_eq!(status, 200, "{body}");
	snp_process.kill();
	let body: serde_json::Value = serde_json::from_str(&body).expect("json");
	let field = |k: &str| hex::decode(body[k].as_str().expect(k)).expect("hex");
	let at = api.at_current_block().await.expect("block");
	let mut forged: EvidenceRecord<u32> =
		tee_worker::chain::fetch(&at, "AcceptedEvidence", snp_account)
			.await
			.expect("read")
			.expect("record");
	forged.evidence = codec::Decode::decode(&mut &field("evidence_scale")[..]).expect("evidence");
	forged.claims = codec::Decode::decode(&mut &field("claims_scale")[..]).expect("claims");
	overwrite_evidence(&api, snp_account, &forged).await;
	let out = attest(&url, &["--json", "worker", &ss58(snp_account)]);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	let failed = failed_fields(&v, "checks");
	assert!(failed.contains(&"purpose"), "{v}");
	assert!(
		!failed.contains(&"evidence"),
		"the forged evidence itself verifies: {v}"
	);

	// Unknown account: 3. Bad account string, unreachable node, bad URL: 2.
	let unknown = ss58([7; 32]);
	let out = attest(&url, &["worker", &unknown]);
	assert_eq!(out.status.code(), Some(3), "{}", text(&out));
	assert!(String::from_utf8_lossy(&out.stderr).contains("no worker"));
	let out = attest(&url, &["worker", "not-an-account"]);
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	let out = attest("ws://127.0.0.1:1", &["workers"]);
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	assert!(String::from_utf8_lossy(&out.stderr).contains("127.0.0.1:1"));
	let out = attest("http://127.0.0.1:9944", &["workers"]);
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));

	// Releases, policy, collateral status of the dev chain.
	let out = attest(&url, &["--json", "releases"]);
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let releases: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	assert_eq!(releases[0]["id"], 0, "{releases}");
	assert_eq!(releases[0]["status"], "Active", "{releases}");
	let out = attest(&url, &["--json", "policy"]);
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let policy: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	assert_eq!(policy["attestation_validity_secs"], 60, "{policy}");
	assert_eq!(policy["accepted_tcb_statuses"][0], "UpToDate", "{policy}");
	let out = attest(&url, &["--json", "collateral", "status"]);
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	assert_eq!(status["collateral"][0]["expired"], false, "{status}");
	let genesis_issued = status["collateral"][0]["issued_at"]
		.as_u64()
		.expect("issued_at");

	// collateral upload: fresh dev collateral is accepted and replaces the genesis one; the
	// same again is refused (not newer), real Intel collateral is refused (other root), and
	// a file that is not collateral is bad input.
	let dir = WorkerProcess::data_dir("cli-collateral").expect("dir");
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.expect("clock")
		.as_secs();
	let fresh = dir.path().join("dev-collateral.json");
	let minted = mock_tee::DevRoots::dev()
		.expect("dev roots")
		.tdx_collateral(now, &mock_tee::TdxTcbConfig::default())
		.expect("collateral");
	std::fs::write(&fresh, minted.to_json()).expect("write");
	let fresh = fresh.to_str().expect("utf-8");
	let upload = |file: &str| attest(&url, &["collateral", "upload", file, "--dev-key", "eve"]);
	let out = upload(fresh);
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let out = attest(&url, &["--json", "collateral", "status"]);
	let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	let issued = status["collateral"][0]["issued_at"]
		.as_u64()
		.expect("issued_at");
	assert!(issued > genesis_issued, "{status}");
	let out = upload(fresh);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stdout).contains("CollateralNotNewer"),
		"{}",
		text(&out)
	);
	let real = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
		.join("../testvectors/tdx/tdx-v4-uptodate/collateral.json");
	let out = upload(real.to_str().expect("utf-8"));
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stdout).contains("CollateralRejected"),
		"{}",
		text(&out)
	);
	// The same through a key file (a secret URI): signed and dispatched, refused as not newer;
	// a key file that holds no key is bad input.
	let key_file = dir.path().join("uploader.key");
	std::fs::write(&key_file, "//Ferdie\n").expect("write");
	let key_file = key_file.to_str().expect("utf-8");
	let out = attest(
		&url,
		&["collateral", "upload", fresh, "--key-file", key_file],
	);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stdout).contains("CollateralNotNewer"),
		"{}",
		text(&out)
	);
	let bad_key = dir.path().join("bad.key");
	std::fs::write(&bad_key, "not a key at all").expect("write");
	let out = attest(
		&url,
		&[
			"collateral",
			"upload",
			fresh,
			"--key-file",
			bad_key.to_str().expect("utf-8"),
		],
	);
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	let garbage = dir.path().join("garbage.json");
	std::fs::write(&garbage, "{}").expect("write");
	let out = upload(garbage.to_str().expect("utf-8"));
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stderr).contains("missing"),
		"{}",
		text(&out)
	);

	// AMD CRLs: a fresh dev Milan CRL revoking one serial (DER) joins the genesis one; the
	// same again adds nothing (refused); the product's other CRL in PEM is added; a file
	// that is neither form is bad input.
	let roots = mock_tee::DevRoots::dev().expect("dev roots");
	let milan = mock_tee::AmdProduct::Milan;
	let crl = |revoked: &[Vec<u8>]| {
		roots
			.amd_crl(milan, now - 60, now + 30 * 86_400, revoked)
			.expect("crl")
	};
	let der = dir.path().join("milan.crl");
	std::fs::write(&der, crl(&[vec![0x42; 8]])).expect("write");
	let der = der.to_str().expect("utf-8");
	let out = upload(der);
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let out = upload(der);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stdout).contains("CollateralNotNewer"),
		"{}",
		text(&out)
	);
	let pem_file = dir.path().join("milan-vlek.pem");
	let block = pem::Pem::new("X509 CRL", crl(&[vec![0x43; 8]]));
	std::fs::write(&pem_file, pem::encode(&block)).expect("write");
	let out = upload(pem_file.to_str().expect("utf-8"));
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let out = attest(&url, &["--json", "collateral", "status"]);
	let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
	let listed = status["collateral"]
		.as_array()
		.expect("list")
		.iter()
		.filter_map(|c| c["collateral"].as_str())
		.collect::<Vec<_>>();
	assert!(
		listed
			.iter()
			.any(|c| c.starts_with("AMD Milan CRL (2 revoked)")),
		"{status}"
	);
	let neither = dir.path().join("neither.bin");
	std::fs::write(&neither, b"hello").expect("write");
	let out = upload(neither.to_str().expect("utf-8"));
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	drop(node);
}
