//! Noir proofs end to end on the dev chain: a real tee-echo signs a response, a mock worker
//! measuring it registers, Alice runs `attest prove` (worker API + echo service + node/bb.js),
//! Bob runs `attest verify-proof`, which checks the services root against the worker and
//! submits the proof: the chain accepts it (`ServiceResponseProven`). A tampered response
//! hash, a proof for a root no worker attests and a proof under another circuit's key are
//! rejected off chain by `attest verify-proof` and on chain by `submit_proof`.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
	time::{Duration, Instant},
};

use codec::Encode;
use e2e_tests::{
	output_text as text, scale_call,
	subxt::{OnlineClient, PolkadotConfig},
	subxt_signer::sr25519::dev,
	workspace_binary, Node, WorkerProcess,
};
use pallet_attestation::WorkerStatus;
use tee_worker::keys::WorkerKeys;

type Api = OnlineClient<PolkadotConfig>;

fn repo() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `attest` CLI against `node`.
fn attest(node: &str, args: &[&str]) -> Output {
	e2e_tests::attest(node, args).expect("run attest")
}

/// tee-echo on a free port with a fresh key; its public key is written to `pubkey`.
struct Echo {
	child: Child,
	addr: String,
}

impl Drop for Echo {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

fn start_echo(dir: &Path, pubkey: &Path) -> Echo {
	let addr = format!("127.0.0.1:{}", e2e_tests::free_port().expect("port"));
	let child = Command::new(workspace_binary("tee-echo").expect("tee-echo binary"))
		.arg("--key")
		.arg(dir.join("echo.key"))
		.arg("--pubkey-out")
		.arg(pubkey)
		.args(["--listen", &addr])
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.spawn()
		.expect("start tee-echo");
	let start = Instant::now();
	while std::net::TcpStream::connect(&addr).is_err() || !pubkey.exists() {
		assert!(
			start.elapsed() < Duration::from_secs(20),
			"tee-echo did not start"
		);
		std::thread::sleep(Duration::from_millis(100));
	}
	Echo { child, addr }
}

/// Submits `submit_proof` directly (bypassing attest's own checks) as Charlie; the chain's
/// verdict: `Ok` or the dispatch error's text.
async fn submit_direct(
	api: &Api,
	circuit: [u8; 32],
	zk: bool,
	proof: &[u8],
	public_inputs: &[[u8; 32]],
) -> Result<(), String> {
	let at = api.at_current_block().await.expect("block");
	// Flavour: index 0 = Zk, 1 = Plain.
	let flavour: u8 = if zk { 0 } else { 1 };
	let call = scale_call::build(
		at.metadata_ref(),
		"Attestation",
		"submit_proof",
		&[
			circuit.encode(),
			vec![flavour],
			proof.to_vec().encode(),
			public_inputs.to_vec().encode(),
		],
	)
	.expect("submit_proof call");
	at.transactions()
		.sign_and_submit_then_watch_default(&call, &dev::charlie())
		.await
		.map_err(|e| e.to_string())?
		.wait_for_finalized_success()
		.await
		.map(|_| ())
		.map_err(|e| e.to_string())
}

fn words(bytes: &[u8]) -> Vec<[u8; 32]> {
	bytes
		.chunks_exact(32)
		.map(|c| <[u8; 32]>::try_from(c).expect("word"))
		.collect()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
	use sha2::Digest;
	sha2::Sha256::digest(bytes).into()
}

#[tokio::test]
async fn a_signed_echo_response_is_proven_verified_and_accepted_on_chain() {
	let srs = std::env::var_os("HOME")
		.map(PathBuf::from)
		.unwrap_or_else(std::env::temp_dir)
		.join(".cache/tee-attest/dev-srs");
	dev_srs::ensure(&srs).expect("dev SRS");
	assert!(
		repo().join("circuits/node_modules").exists(),
		"run `npm ci --prefix circuits` first (scripts/test.sh does)"
	);

	let mut node = Node::start("proof", &["--dev"]).expect("start node");
	node.rpc(Duration::from_secs(120)).await.expect("rpc up");
	let url = node.ws_url();
	let api = Api::from_insecure_url(&url).await.expect("subxt client");

	// tee-echo and a worker that measures it.
	let dir = WorkerProcess::data_dir("proof").expect("data dir");
	let pubkey = dir.path().join("echo.pub");
	let echo = start_echo(dir.path(), &pubkey);
	let account = WorkerKeys::load_or_generate(&dir.path().join("data"))
		.expect("keys")
		.account_id();
	let config = dir.path().join("worker.toml");
	std::fs::write(
		&config,
		format!(
			"tee = \"mock\"\ndev-funder = \"alice\"\n[[service]]\nname = \"echo\"\n\
			 derivation = \"/nix/store/0000-tee-echo-0.1.0\"\npublic-key-file = \"{}\"\n",
			pubkey.display()
		),
	)
	.expect("config");
	let api_addr = format!("127.0.0.1:{}", e2e_tests::free_port().expect("port"));
	let worker = WorkerProcess::start(
		dir,
		&[
			"--config",
			&config.display().to_string(),
			"--node",
			&url,
			"--api",
			&api_addr,
		],
	)
	.expect("start worker");
	let start = Instant::now();
	loop {
		let record = e2e_tests::worker_record(&api, account)
			.await
			.expect("record");
		if record.is_some_and(|w| w.status == WorkerStatus::Active) {
			break;
		}
		assert!(
			start.elapsed() < Duration::from_secs(90),
			"not registered:\n{}",
			worker.log()
		);
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	let worker_ss58 = e2e_tests::subxt::utils::AccountId32(account).to_string();

	// Alice proves.
	let out_dir = e2e_tests::TempDir::new("attest-proof").expect("tempdir");
	let proof_dir = out_dir.path().join("proof");
	let started = Instant::now();
	let out = attest(
		&url,
		&[
			"prove",
			"--worker",
			&worker_ss58,
			"--message",
			"hello Bob, from the echo service",
			"--api",
			&format!("http://{api_addr}"),
			"--echo",
			&echo.addr,
			"--out",
			&proof_dir.display().to_string(),
			"--srs",
			&srs.display().to_string(),
		],
	);
	eprintln!("attest prove: {:?}", started.elapsed());
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let file = |name: &str| proof_dir.join(name).display().to_string();
	let proof = std::fs::read(file("proof")).expect("proof");
	let inputs = words(&std::fs::read(file("public_inputs")).expect("inputs"));
	let vk = std::fs::read(file("vk")).expect("vk");
	assert_eq!(
		inputs[1][16..],
		sha256(b"hello Bob, from the echo service")[..16]
	);

	// Bob verifies off chain, against the worker, and submits.
	let verify = |extra: &[&str], inputs_file: &str, vk_file: &str| {
		let proof_file = file("proof");
		let mut args = vec![
			"verify-proof",
			"--vk",
			vk_file,
			"--proof",
			&proof_file,
			"--public-inputs",
			inputs_file,
			"--flavour",
			"zk",
		];
		args.extend_from_slice(extra);
		attest(&url, &args)
	};
	let vk_file = file("vk");
	let inputs_file = file("public_inputs");
	let out = verify(&["--srs", "dev"], &inputs_file, &vk_file);
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let out = verify(&["--srs", "aztec"], &inputs_file, &vk_file);
	assert_eq!(out.status.code(), Some(1), "wrong SRS: {}", text(&out));
	let started = Instant::now();
	let out = verify(
		&[
			"--srs",
			"dev",
			"--worker",
			&worker_ss58,
			"--submit",
			"--dev-key",
			"bob",
		],
		&inputs_file,
		&vk_file,
	);
	eprintln!("attest verify-proof --submit: {:?}", started.elapsed());
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	assert!(
		text(&out).contains("ServiceResponseProven"),
		"{}",
		text(&out)
	);

	// A tampered response hash: refused off chain and on chain.
	let mut tampered = inputs.clone();
	tampered[2][31] ^= 1;
	let tampered_file = out_dir.path().join("tampered_inputs");
	std::fs::write(&tampered_file, tampered.concat()).expect("write");
	let out = verify(
		&["--srs", "dev", "--worker", &worker_ss58],
		&tampered_file.display().to_string(),
		&vk_file,
	);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	let circuit = sha256(&vk);
	let err = submit_direct(&api, circuit, true, &proof, &tampered)
		.await
		.expect_err("tampered hash accepted");
	assert!(err.contains("ProofRejected"), "{err}");

	// A valid proof for a root no worker attests (the zk-verifier fixture's tree): verifies
	// on its own, fails against the worker, refused on chain.
	let fixtures = repo().join("primitives/zk-verifier/tests/data/service_response");
	let foreign_inputs = fixtures.join("zk/public_inputs").display().to_string();
	let foreign_proof = std::fs::read(fixtures.join("zk/proof")).expect("fixture");
	let out = attest(
		&url,
		&[
			"verify-proof",
			"--vk",
			&fixtures.join("vk").display().to_string(),
			"--proof",
			&fixtures.join("zk/proof").display().to_string(),
			"--public-inputs",
			&foreign_inputs,
			"--flavour",
			"zk",
			"--srs",
			"dev",
		],
	);
	assert_eq!(
		out.status.code(),
		Some(0),
		"the fixture verifies: {}",
		text(&out)
	);
	let out = attest(
		&url,
		&[
			"verify-proof",
			"--vk",
			&fixtures.join("vk").display().to_string(),
			"--proof",
			&fixtures.join("zk/proof").display().to_string(),
			"--public-inputs",
			&foreign_inputs,
			"--flavour",
			"zk",
			"--srs",
			"dev",
			"--worker",
			&worker_ss58,
		],
	);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	let foreign_words = words(&std::fs::read(&foreign_inputs).expect("inputs"));
	let err = submit_direct(&api, circuit, true, &foreign_proof, &foreign_words)
		.await
		.expect_err("foreign root accepted");
	assert!(err.contains("RootNotAttested"), "{err}");

	// The proof under another circuit's key: refused off chain, and on chain that circuit
	// is not registered.
	let other_vk = repo().join("testvectors/ultrahonk/zk/vk");
	let out = verify(
		&["--srs", "dev"],
		&inputs_file,
		&other_vk.display().to_string(),
	);
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	let other = sha256(&std::fs::read(&other_vk).expect("vk"));
	let err = submit_direct(&api, other, true, &proof, &inputs)
		.await
		.expect_err("other circuit accepted");
	assert!(err.contains("NoSuchCircuit"), "{err}");

	// The valid proof, directly: accepted again (proofs are statements, not one-time).
	submit_direct(&api, circuit, true, &proof, &inputs)
		.await
		.expect("valid proof accepted");
	drop(echo);
}
