//! Inputs of the `service_response` circuit (circuits/service_response), as noir_js takes them:
//! built from a signed echo response and the worker's membership proof of the service.

use k256::elliptic_curve::sec1::ToEncodedPoint;
use serde_json::{json, Value};
use service_tree::{Digest, MembershipProof};
use sha2::{Digest as _, Sha256};
use zk_verifier::ServiceResponseStatement;

/// Longest response the circuit takes (`MAX_RESPONSE` in main.nr).
pub const MAX_RESPONSE: usize = 256;

/// Why the inputs cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum InputsError {
	/// The response is longer than the circuit takes.
	#[error("the response is {0} bytes; the circuit takes at most {MAX_RESPONSE}")]
	TooLong(usize),
	/// The membership proof does not lead to the root.
	#[error("the service's membership proof does not match the services root: {0}")]
	Membership(service_tree::ProofError),
	/// The leaf's public key is not a secp256k1 point.
	#[error("the service's public key is not a secp256k1 point")]
	PublicKey,
}

/// The circuit inputs and the statement they prove.
pub fn service_response_inputs(
	response: &[u8],
	signature: &[u8; 64],
	membership: &MembershipProof,
	root: &Digest,
) -> Result<(Value, ServiceResponseStatement), InputsError> {
	if response.len() > MAX_RESPONSE {
		return Err(InputsError::TooLong(response.len()));
	}
	let leaf = &membership.leaf;
	membership
		.verify_key(root, &leaf.key)
		.map_err(InputsError::Membership)?;
	let point = k256::PublicKey::from_sec1_bytes(leaf.public_key.as_bytes())
		.map_err(|_| InputsError::PublicKey)?
		.to_encoded_point(false);
	let (Some(x), Some(y)) = (point.x(), point.y()) else {
		return Err(InputsError::PublicKey);
	};
	let statement = ServiceResponseStatement {
		services_root: root.to_bytes(),
		response_hash: Sha256::digest(response).into(),
		service_key: leaf.key.0,
	};
	let words = statement
		.public_inputs()
		.map(|w| format!("0x{}", hex::encode(w)));
	let bytes = |b: &[u8]| b.iter().map(|v| v.to_string()).collect::<Vec<_>>();
	let mut storage = response.to_vec();
	storage.resize(MAX_RESPONSE, 0);
	let inputs = json!({
		"services_root": words[0],
		"response_hash_hi": words[1],
		"response_hash_lo": words[2],
		"service_key_hi": words[3],
		"service_key_lo": words[4],
		"response": { "storage": bytes(&storage), "len": response.len().to_string() },
		"public_key_x": bytes(x),
		"public_key_y": bytes(y),
		"signature": bytes(signature),
		"service_key": bytes(&leaf.key.0),
		"derivation_hash": bytes(&leaf.derivation_hash),
		"siblings": membership
			.path
			.siblings()
			.iter()
			.map(|d| format!("0x{}", hex::encode(d.as_bytes())))
			.collect::<Vec<_>>(),
	});
	Ok((inputs, statement))
}

/// Where the circuits' tooling lives (prove.mjs, artifacts, node_modules): `$ATTEST_CIRCUITS`,
/// else the repository this binary was built from.
pub fn circuits_dir() -> std::path::PathBuf {
	std::env::var_os("ATTEST_CIRCUITS")
		.map(std::path::PathBuf::from)
		.unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../circuits"))
}

/// The membership proof of `service` from a worker's API (`GET {api}/services/{service}/proof`).
pub async fn fetch_membership(
	api: &str,
	service: &str,
) -> Result<MembershipProof, crate::CliError> {
	use codec::Decode;
	let url = format!("{}/services/{service}/proof", api.trim_end_matches('/'));
	let json = tokio::time::timeout(
		crate::live::FETCH_TIMEOUT,
		crate::live::get_json(&url, "--api"),
	)
	.await
	.map_err(|_| crate::CliError::Unreachable(format!("{url}: no answer in time")))??;
	let bytes = json["proof_scale"]
		.as_str()
		.and_then(|s| hex::decode(s).ok())
		.ok_or_else(|| crate::CliError::Unreachable(format!("{url}: no hex `proof_scale`")))?;
	MembershipProof::decode(&mut &bytes[..])
		.map_err(|e| crate::CliError::Unreachable(format!("{url}: membership proof: {e}")))
}

/// Longest echo reply line read.
const MAX_REPLY: usize = 64 * 1024;

/// Sends `message` to the echo service at `addr` and returns its signed reply, whose signature
/// has been checked.
pub async fn ask_echo(
	addr: &str,
	message: &str,
) -> Result<tee_echo::SignedResponse, crate::CliError> {
	use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
	if message.contains('\n') {
		return Err(crate::CliError::BadInput(
			"--message must be one line".into(),
		));
	}
	let exchange = async {
		let mut stream = tokio::net::TcpStream::connect(addr)
			.await
			.map_err(|e| crate::CliError::Unreachable(format!("echo service {addr}: {e}")))?;
		stream
			.write_all(format!("{message}\n").as_bytes())
			.await
			.map_err(|e| crate::CliError::Unreachable(format!("echo service {addr}: {e}")))?;
		let mut reader = BufReader::new(stream).take(MAX_REPLY as u64);
		let mut line = String::new();
		reader
			.read_line(&mut line)
			.await
			.map_err(|e| crate::CliError::Unreachable(format!("echo service {addr}: {e}")))?;
		Ok::<String, crate::CliError>(line)
	};
	let line = tokio::time::timeout(crate::live::FETCH_TIMEOUT, exchange)
		.await
		.map_err(|_| {
			crate::CliError::Unreachable(format!("echo service {addr}: no answer in time"))
		})??;
	let reply: tee_echo::SignedResponse = serde_json::from_str(&line).map_err(|e| {
		crate::CliError::Failed(format!("echo service {addr}: not a signed reply: {e}"))
	})?;
	reply
		.check()
		.map_err(|e| crate::CliError::Failed(format!("echo service {addr}: {e}")))?;
	if reply.response != message {
		return Err(crate::CliError::Failed(format!(
			"echo service {addr}: answered `{}` to `{message}`",
			reply.response
		)));
	}
	Ok(reply)
}

/// Checks, before any network round trip, that proving can run: the circuits' node
/// modules and an SRS directory.
pub fn check_prover(srs: &std::path::Path) -> Result<(), crate::CliError> {
	let circuits = circuits_dir();
	if !circuits.join("node_modules").exists() {
		return Err(crate::CliError::BadInput(format!(
			"{}: no node_modules; run `npm ci --prefix {}` (or set ATTEST_CIRCUITS to a prepared circuits/ directory)",
			circuits.display(),
			circuits.display()
		)));
	}
	if !srs.join("bn254_g2.dat").exists() || !srs.join("bn254_g1.dat").exists() {
		return Err(crate::CliError::BadInput(format!(
			"{}: not an SRS directory; scripts/dev-srs writes the INSECURE dev SRS there, scripts/aztec-srs Aztec's",
			srs.display()
		)));
	}
	Ok(())
}

/// Whether the SRS directory holds the INSECURE dev SRS (by its G2).
pub fn is_dev_srs(srs: &std::path::Path) -> bool {
	std::fs::read(srs.join("bn254_g2.dat")).is_ok_and(|g2| g2 == zk_verifier::DEV_G2)
}

/// Runs `node circuits/prove.mjs`; progress goes to our stderr. `Ok(false)`: the inputs do
/// not satisfy the circuit.
pub fn run_prover(
	inputs: &Value,
	out: &std::path::Path,
	flavour: zk_verifier::Flavour,
	srs: &std::path::Path,
) -> Result<bool, crate::CliError> {
	let circuits = circuits_dir();
	if !circuits.join("node_modules").exists() {
		return Err(crate::CliError::BadInput(format!(
			"{}: run `npm ci --prefix {}` first",
			circuits.display(),
			circuits.display()
		)));
	}
	std::fs::create_dir_all(out)
		.map_err(|e| crate::CliError::BadInput(format!("{}: {e}", out.display())))?;
	let inputs_file = out.join("inputs.json");
	std::fs::write(&inputs_file, inputs.to_string())
		.map_err(|e| crate::CliError::BadInput(format!("{}: {e}", inputs_file.display())))?;
	let status = std::process::Command::new("node")
		.arg(circuits.join("prove.mjs"))
		.arg("--inputs")
		.arg(&inputs_file)
		.arg("--out")
		.arg(out)
		.args(["--flavour", flavour_name(flavour), "--srs"])
		.arg(srs)
		.stdout(std::process::Stdio::null())
		.status()
		.map_err(|e| crate::CliError::BadInput(format!("node: {e}")))?;
	// prove.mjs: 0 proved, 1 the inputs do not satisfy the circuit, 2 usage, 3 the prover
	// itself failed (bb.js, SRS, memory).
	match status.code() {
		Some(0) => Ok(true),
		Some(1) => Ok(false),
		_ => Err(crate::CliError::BadInput(format!(
			"prove.mjs failed ({status}); its messages are above"
		))),
	}
}

/// `zk` or `plain`.
pub fn flavour_name(flavour: zk_verifier::Flavour) -> &'static str {
	match flavour {
		zk_verifier::Flavour::Zk => "zk",
		zk_verifier::Flavour::Plain => "plain",
	}
}

/// A proof as files hold it: verification key, proof bytes, public inputs (32-byte words).
pub struct ProofFiles {
	/// The verification key's bytes.
	pub vk: Vec<u8>,
	/// The proof's bytes.
	pub proof: Vec<u8>,
	/// The public inputs.
	pub public_inputs: Vec<[u8; 32]>,
}

impl ProofFiles {
	/// Reads the three files; the public inputs must be whole 32-byte words.
	pub fn read(
		vk: &std::path::Path,
		proof: &std::path::Path,
		public_inputs: &std::path::Path,
	) -> Result<Self, crate::CliError> {
		let read = |p: &std::path::Path| {
			std::fs::read(p).map_err(|e| crate::CliError::BadInput(format!("{}: {e}", p.display())))
		};
		let words = read(public_inputs)?;
		if words.len() % 32 != 0 {
			return Err(crate::CliError::BadInput(format!(
				"{}: {} bytes, not whole 32-byte big-endian words",
				public_inputs.display(),
				words.len()
			)));
		}
		Ok(Self {
			vk: read(vk)?,
			proof: read(proof)?,
			public_inputs: words
				.chunks_exact(32)
				.filter_map(|c| <[u8; 32]>::try_from(c).ok())
				.collect(),
		})
	}

	/// SHA-256 of the verification key: the chain's circuit id.
	pub fn circuit_id(&self) -> [u8; 32] {
		Sha256::digest(&self.vk).into()
	}
}
