//! The HTTP API, served on a loopback port and called over real TCP: every endpoint, the
//! evidence it serves verifies and binds the caller's nonce with purpose `OffChain`, and bad
//! requests get JSON errors with the right status.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
	net::SocketAddr,
	sync::Arc,
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use codec::Decode;
use serde_json::Value;
use service_tree::{Digest, MembershipProof, MerklePath, DEPTH};
use tee_verifier::{Claims, Evidence, Purpose, Tee};
use tee_worker::{
	api::{self, ApiState},
	config::ServiceConfig,
	evidence::{BootMeasurement, EvidenceProvider, MockProvider},
	services::Services,
	status::{ChainState, Status},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const GENESIS: [u8; 32] = [0x42; 32];

struct Served {
	addr: SocketAddr,
	status: Arc<Status>,
	services: Arc<Services>,
}

fn services() -> Services {
	// One directory per call: the tests of this file run in parallel in one process.
	static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
	let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
	let dir = std::env::temp_dir().join(format!("tee-worker-api-{}-{call}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	let mut config = Vec::new();
	for (i, name) in ["echo", "echo-cpp"].iter().enumerate() {
		let key = k256::SecretKey::from_slice(&[i as u8 + 1; 32]).unwrap();
		let file = dir.join(format!("{name}.pub"));
		std::fs::write(&file, hex::encode(key.public_key().to_sec1_bytes())).unwrap();
		config.push(ServiceConfig {
			name: name.to_string(),
			derivation: format!("/nix/store/0000-{name}-0.1.0"),
			public_key_file: file,
		});
	}
	let services = Services::load(&config).unwrap();
	let _ = std::fs::remove_dir_all(&dir);
	services
}

async fn serve(tee: Tee, chain_known: bool) -> Served {
	let services = Arc::new(services());
	let boot = BootMeasurement::new(mock_tee::dev_image::SYSTEM_PATH.as_bytes().to_vec(), &[]);
	let provider: Arc<dyn EvidenceProvider> = Arc::new(MockProvider::new(tee, &boot).unwrap());
	let status = Arc::new(Status::new());
	if chain_known {
		status.saw_block(GENESIS, 17, ChainState::Active);
	}
	let state = Arc::new(ApiState::new(
		[1; 32],
		[2; 32],
		provider,
		mock_tee::dev_image::system_hash(),
		Arc::clone(&services),
		Arc::clone(&status),
	));
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let addr = listener.local_addr().unwrap();
	tokio::spawn(api::serve(listener, state));
	Served {
		addr,
		status,
		services,
	}
}

/// `GET path` over a fresh connection: (status, content type, body).
async fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
	let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
	let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
	stream.write_all(request.as_bytes()).await.unwrap();
	let mut raw = Vec::new();
	tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
		.await
		.expect("response in time")
		.unwrap();
	let text = String::from_utf8(raw).unwrap();
	let (head, body) = text.split_once("\r\n\r\n").expect("headers end");
	let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
	let content_type = head
		.lines()
		.find_map(|l| {
			l.to_ascii_lowercase()
				.strip_prefix("content-type: ")
				.map(str::to_string)
		})
		.unwrap_or_default();
	(status, content_type, body.to_string())
}

async fn get_json(addr: SocketAddr, path: &str) -> (u16, Value) {
	let (status, content_type, body) = get(addr, path).await;
	assert!(
		content_type.starts_with("application/json"),
		"{path}: {content_type}"
	);
	(status, serde_json::from_str(&body).unwrap())
}

fn now() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.unwrap()
		.as_secs()
}

/// Verifies served evidence as an off-chain verifier would: under the dev roots, then the
/// binding of the served claims.
fn verify_served(body: &Value, nonce: [u8; 32], tee: Tee) -> Claims {
	let roots = mock_tee::DevRoots::dev().unwrap();
	let evidence =
		Evidence::decode(&mut &hex::decode(body["evidence_scale"].as_str().unwrap()).unwrap()[..])
			.unwrap();
	let claims =
		Claims::decode(&mut &hex::decode(body["claims_scale"].as_str().unwrap()).unwrap()[..])
			.unwrap();
	let verified = tee_verifier::verify(
		&evidence,
		&roots.trust_anchors().unwrap(),
		&roots.default_collateral(tee, now()).unwrap(),
		now(),
	)
	.expect("served evidence verifies under the dev roots");
	tee_verifier::check_binding(&claims, &verified).expect("REPORT_DATA binds the claims");
	assert_eq!(
		body["report_data"].as_str().unwrap(),
		hex::encode(claims.report_data())
	);
	assert_eq!(claims.purpose, Purpose::OffChain);
	assert_eq!(claims.nonce, nonce);
	assert_eq!(claims.genesis_hash, GENESIS);
	assert_eq!(claims.account, [1; 32]);
	assert_eq!(claims.x25519, [2; 32]);
	assert_eq!(claims.system_hash, mock_tee::dev_image::system_hash());
	assert_eq!(body["claims"]["purpose"], "OffChain");
	assert_eq!(body["claims"]["nonce"], hex::encode(nonce));
	claims
}

#[tokio::test]
async fn health_reports_identity_and_chain_state() {
	let served = serve(Tee::Tdx, true).await;
	let (status, body) = get_json(served.addr, "/health").await;
	assert_eq!(status, 200);
	assert_eq!(body["status"], "ok");
	assert_eq!(body["account"], hex::encode([1u8; 32]));
	assert_eq!(body["tee"], "tdx");
	assert_eq!(body["provider"], "mock");
	assert_eq!(body["state"], "Active");
	assert_eq!(body["chain_connected"], false);
	assert_eq!(body["best_block"], 17);
	assert_eq!(body["services_root"], hex::encode(served.services.root()));
	assert_eq!(body["blocked"], serde_json::Value::Null);
	served.status.set_connected(true);
	let (_, body) = get_json(served.addr, "/health").await;
	assert_eq!(body["chain_connected"], true);
}

/// A refused worker says why and when it tries again, in /health and /metrics; an accepted
/// attestation clears it.
#[tokio::test]
async fn health_and_metrics_show_why_the_worker_is_blocked() {
	let served = serve(Tee::Tdx, true).await;
	served.status.set_blocked(tee_worker::status::Blocked {
		reason: "registration refused by the chain: Module \"TooManyWorkers\"".into(),
		retry_at_block: Some(42),
		refusals: 3,
	});
	let (_, body) = get_json(served.addr, "/health").await;
	assert_eq!(
		body["blocked"]["reason"],
		"registration refused by the chain: Module \"TooManyWorkers\""
	);
	assert_eq!(body["blocked"]["retry_at_block"], 42);
	assert_eq!(body["blocked"]["refusals"], 3);
	let (_, _, text) = get(served.addr, "/metrics").await;
	assert!(text.contains("\ntee_worker_blocked 1\n"), "{text}");
	assert!(text.contains("\ntee_worker_retry_at_block 42\n"), "{text}");
	assert!(
		text.contains(r#"reason="registration refused by the chain: Module \"TooManyWorkers\"""#),
		"the reason is a label, quotes escaped: {text}"
	);
	served.status.registered();
	let (_, body) = get_json(served.addr, "/health").await;
	assert_eq!(body["blocked"], serde_json::Value::Null);
	let (_, _, text) = get(served.addr, "/metrics").await;
	assert!(text.contains("\ntee_worker_blocked 0\n"), "{text}");
	assert!(!text.contains("tee_worker_blocked_info"), "{text}");
}

#[tokio::test]
async fn attestation_serves_verifiable_offchain_evidence_for_the_nonce() {
	for tee in [Tee::Tdx, Tee::Snp] {
		let served = serve(tee, true).await;
		let nonce = [0x9c; 32];
		let (status, body) = get_json(
			served.addr,
			&format!("/attestation?nonce={}", hex::encode(nonce)),
		)
		.await;
		assert_eq!(status, 200, "{body}");
		let claims = verify_served(&body, nonce, tee);
		assert_eq!(claims.services_root, served.services.root());
		match tee {
			Tee::Tdx => assert!(body["evidence"]["quote"].is_string()),
			Tee::Snp => assert!(body["evidence"]["vek_der"].is_string()),
		}
		// 0x-prefixed nonces are accepted too.
		let (status, body) = get_json(
			served.addr,
			&format!("/attestation?nonce=0x{}", hex::encode([7u8; 32])),
		)
		.await;
		assert_eq!(status, 200, "{body}");
		verify_served(&body, [7; 32], tee);
	}
}

#[tokio::test]
async fn attestation_rejects_bad_nonces_with_json_errors() {
	let served = serve(Tee::Tdx, true).await;
	for (path, needle) in [
		("/attestation", "missing parameter `nonce`"),
		("/attestation?nonce=", "0 bytes, expected 32"),
		("/attestation?nonce=abcd", "2 bytes, expected 32"),
		("/attestation?nonce=zz", "not hex"),
		(
			&format!("/attestation?nonce={}", "00".repeat(33)) as &str,
			"33 bytes",
		),
		(
			&format!("/attestation?nonce={}&purpose=Register", "00".repeat(32)) as &str,
			"unknown parameter `purpose`",
		),
		("/attestation?nonce=%ZZ", "nonce"),
	] {
		let (status, body) = get_json(served.addr, path).await;
		assert_eq!(status, 400, "{path}: {body}");
		assert!(
			body["error"].as_str().unwrap().contains(needle),
			"{path}: {body}"
		);
	}
	let (_, metrics, text) = get(served.addr, "/metrics").await;
	assert_eq!(metrics, "text/plain; version=0.0.4");
	assert!(
		text.contains("tee_worker_offchain_evidence_total 0"),
		"{text}"
	);
}

#[tokio::test]
async fn attestation_before_any_chain_is_503() {
	let served = serve(Tee::Tdx, false).await;
	let (status, body) = get_json(
		served.addr,
		&format!("/attestation?nonce={}", "11".repeat(32)),
	)
	.await;
	assert_eq!(status, 503);
	assert!(
		body["error"].as_str().unwrap().contains("genesis hash"),
		"{body}"
	);
}

#[tokio::test]
async fn services_and_membership_proofs() {
	let served = serve(Tee::Tdx, true).await;
	let (status, body) = get_json(served.addr, "/services").await;
	assert_eq!(status, 200);
	let root = hex::encode(served.services.root());
	assert_eq!(body["root"], root);
	let list = body["services"].as_array().unwrap();
	assert_eq!(list.len(), 2);
	assert_eq!(list[0]["name"], "echo");
	assert_eq!(list[0]["derivation"], "/nix/store/0000-echo-0.1.0");

	let (status, proof) = get_json(served.addr, "/services/echo/proof").await;
	assert_eq!(status, 200, "{proof}");
	assert_eq!(proof["root"], root);
	assert_eq!(proof["leaf"]["public_key"], list[0]["public_key"]);
	// The JSON form alone recomputes the root (what the Noir prover consumes)...
	let siblings: Vec<Digest> = proof["siblings"]
		.as_array()
		.unwrap()
		.iter()
		.map(|s| Digest::from_hex(s.as_str().unwrap()).unwrap())
		.collect();
	assert_eq!(siblings.len(), DEPTH);
	let path = MerklePath::from_siblings(&siblings.try_into().unwrap());
	let leaf_hash = Digest::from_hex(proof["leaf_hash"].as_str().unwrap()).unwrap();
	let index = proof["index"].as_u64().unwrap();
	assert_eq!(
		hex::encode(path.compute_root(index, &leaf_hash).to_bytes()),
		root
	);
	// ...and the SCALE form verifies with the service-tree crate.
	let decoded = MembershipProof::decode(
		&mut &hex::decode(proof["proof_scale"].as_str().unwrap()).unwrap()[..],
	)
	.unwrap();
	decoded
		.verify(&served.services.tree().root(), b"echo")
		.unwrap();
	assert!(decoded
		.verify(&served.services.tree().root(), b"echo-cpp")
		.is_err());

	let (status, body) = get_json(served.addr, "/services/nope/proof").await;
	assert_eq!(status, 404);
	assert!(body["error"].as_str().unwrap().contains("nope"), "{body}");
	let long = "x".repeat(200);
	let (status, body) = get_json(served.addr, &format!("/services/{long}/proof")).await;
	assert_eq!(status, 400, "{body}");
	let (status, body) = get_json(served.addr, "/no/such/endpoint").await;
	assert_eq!(status, 404);
	assert_eq!(body["error"], "no such endpoint");
}

#[tokio::test]
async fn metrics_count_served_evidence_and_chain_events() {
	let served = serve(Tee::Tdx, true).await;
	for _ in 0..2 {
		let (status, _) = get_json(
			served.addr,
			&format!("/attestation?nonce={}", "ab".repeat(32)),
		)
		.await;
		assert_eq!(status, 200);
	}
	served.status.answered();
	served.status.failed();
	served.status.set_connected(true);
	let (status, content_type, text) = get(served.addr, "/metrics").await;
	assert_eq!(status, 200);
	assert!(content_type.starts_with("text/plain"), "{content_type}");
	for line in [
		"tee_worker_offchain_evidence_total 2",
		"tee_worker_attestations_answered_total 1",
		"tee_worker_attestations_failed_total 1",
		"tee_worker_chain_connected 1",
		"tee_worker_best_block 17",
		"# TYPE tee_worker_attestations_answered_total counter",
	] {
		assert!(text.lines().any(|l| l == line), "{line} missing:\n{text}");
	}
	let last = text
		.lines()
		.find_map(|l| l.strip_prefix("tee_worker_last_success_timestamp_seconds "))
		.unwrap();
	assert!(last.parse::<u64>().unwrap() + 60 > now(), "{last}");
	assert!(text.contains("state=\"Active\"} 1"), "{text}");
}

/// Concurrent clients are all served (evidence requests are serialised, not dropped), and
/// the rate is printed (`--nocapture`) for the report; this is a measurement, not a timing
/// assertion.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_attestation_requests_are_all_answered() {
	let served = serve(Tee::Tdx, true).await;
	let clients = 4;
	let per_client = 25;
	let start = Instant::now();
	let mut tasks = Vec::new();
	for c in 0..clients {
		let addr = served.addr;
		tasks.push(tokio::spawn(async move {
			for i in 0..per_client {
				let nonce = [(c * per_client + i) as u8; 32];
				let (status, body) =
					get_json(addr, &format!("/attestation?nonce={}", hex::encode(nonce))).await;
				assert_eq!(status, 200, "{body}");
				assert_eq!(body["claims"]["nonce"], hex::encode(nonce));
			}
		}));
	}
	for t in tasks {
		t.await.unwrap();
	}
	let elapsed = start.elapsed();
	eprintln!(
		"GET /attestation (mock TDX): {} requests from {clients} clients in {elapsed:?} = {:.0}/s",
		clients * per_client,
		(clients * per_client) as f64 / elapsed.as_secs_f64()
	);
}
