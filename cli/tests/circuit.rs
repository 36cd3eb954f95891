//! The service_response circuit, executed and proved through circuits/prove.mjs (noir_js and
//! bb.js, as `attest prove` runs them) on inputs built by `attest::prove`: a valid signed
//! response proves in both flavours with the expected public inputs; each kind of forgery
//! fails the circuit with the assertion that names it.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::indexing_slicing
)]

use std::{
	path::{Path, PathBuf},
	process::Command,
};

use attest::prove::{service_response_inputs, InputsError, MAX_RESPONSE};
use k256::ecdsa::{signature::hazmat::PrehashSigner, Signature, SigningKey};
use service_tree::{Digest, PublicKey, Service, ServiceTree};
use sha2::{Digest as _, Sha256};

fn repo() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn dev_srs() -> PathBuf {
	let dir = std::env::var_os("HOME")
		.map(PathBuf::from)
		.unwrap_or_else(std::env::temp_dir)
		.join(".cache/tee-attest/dev-srs");
	dev_srs::ensure(&dir).unwrap();
	dir
}

fn temp_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("attest-circuit-{name}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

fn public_key(key: &SigningKey) -> PublicKey {
	PublicKey::from_bytes(
		key.verifying_key()
			.to_encoded_point(true)
			.as_bytes()
			.try_into()
			.unwrap(),
	)
	.unwrap()
}

fn sign(key: &SigningKey, message: &[u8]) -> [u8; 64] {
	let hash: [u8; 32] = Sha256::digest(message).into();
	let signature: Signature = key.sign_prehash(&hash).unwrap();
	signature
		.normalize_s()
		.unwrap_or(signature)
		.to_bytes()
		.into()
}

/// A tree with `echo` (signing with `key`) and one more service.
fn tree(key: &SigningKey) -> ServiceTree {
	let other = SigningKey::from_slice(&[9; 32]).unwrap();
	ServiceTree::from_services(&[
		Service::new(
			b"echo",
			b"/nix/store/00000000000000000000000000000000-tee-echo-0.1.0",
			public_key(key),
		)
		.unwrap(),
		Service::new(
			b"echo-cpp",
			b"/nix/store/11111111111111111111111111111111-echo-cpp-0.1.0",
			public_key(&other),
		)
		.unwrap(),
	])
	.unwrap()
}

/// Runs prove.mjs; returns (exit code, stderr).
fn prove(inputs: &serde_json::Value, out: &Path, flavour: &str) -> (i32, String) {
	let srs = dev_srs();
	prove_mjs(
		inputs,
		out,
		&[
			"--out".as_ref(),
			out.as_os_str(),
			"--flavour".as_ref(),
			flavour.as_ref(),
			"--srs".as_ref(),
			srs.as_os_str(),
		],
	)
}

/// Runs circuits/prove.mjs on `inputs` (written into `dir`) with `args`: its exit code and
/// stderr.
fn prove_mjs(inputs: &serde_json::Value, dir: &Path, args: &[&std::ffi::OsStr]) -> (i32, String) {
	assert!(
		repo().join("circuits/node_modules").exists(),
		"run `npm ci --prefix circuits` first (scripts/test.sh does)"
	);
	let file = dir.join("inputs.json");
	std::fs::create_dir_all(dir).unwrap();
	std::fs::write(&file, inputs.to_string()).unwrap();
	let result = Command::new("node")
		.arg(repo().join("circuits/prove.mjs"))
		.arg("--inputs")
		.arg(&file)
		.args(args)
		.output()
		.unwrap();
	(
		result.status.code().unwrap_or(-1),
		String::from_utf8_lossy(&result.stderr).into_owned(),
	)
}

#[test]
fn a_signed_response_of_a_service_in_the_tree_proves_in_both_flavours() {
	let key = SigningKey::from_slice(&[7; 32]).unwrap();
	let tree = tree(&key);
	let membership = tree.prove_membership(b"echo").unwrap();
	let response = b"hello from the echo service";
	let (inputs, statement) =
		service_response_inputs(response, &sign(&key, response), &membership, &tree.root())
			.unwrap();
	assert_eq!(
		statement.response_hash,
		<[u8; 32]>::from(Sha256::digest(response))
	);
	for flavour in ["plain", "zk"] {
		let out = temp_dir(flavour);
		let (code, stderr) = prove(&inputs, &out, flavour);
		assert_eq!(code, 0, "{stderr}");
		let words = std::fs::read(out.join("public_inputs")).unwrap();
		assert_eq!(words, statement.public_inputs().concat(), "{flavour}");
		let proof = std::fs::read(out.join("proof")).unwrap();
		// bb 3.0 proof sizes for a 2^17 circuit (see circuits/README.md).
		let expected = if flavour == "zk" { 9408 } else { 8384 };
		assert_eq!(proof.len(), expected, "{flavour}");
		assert_eq!(
			std::fs::read(out.join("vk")).unwrap(),
			std::fs::read(repo().join("circuits/artifacts/service_response.dev.vk")).unwrap()
		);
	}
}

#[test]
fn forged_inputs_fail_the_circuit_with_the_reason() {
	let key = SigningKey::from_slice(&[7; 32]).unwrap();
	let tree = tree(&key);
	let membership = tree.prove_membership(b"echo").unwrap();
	let response = b"pay Bob 10";
	let (inputs, _) =
		service_response_inputs(response, &sign(&key, response), &membership, &tree.root())
			.unwrap();
	let out = temp_dir("forged");
	let case = |name: &str, change: &dyn Fn(&mut serde_json::Value), reason: &str| {
		let mut forged = inputs.clone();
		change(&mut forged);
		let (code, stderr) = prove(&forged, &out, "plain");
		assert_eq!(code, 1, "{name}: {stderr}");
		assert!(stderr.contains(reason), "{name}: {stderr}");
	};
	case(
		"another response hash",
		&|v| v["response_hash_lo"] = "0x01".into(),
		"response hash (low half) differs",
	);
	case(
		"another response than was signed",
		&|v| v["response"]["storage"][4] = "49".into(),
		"response hash (high half) differs",
	);
	let other = SigningKey::from_slice(&[8; 32]).unwrap();
	let foreign = sign(&other, response);
	case(
		"signed by a key not in the tree",
		&|v| {
			v["signature"] = foreign
				.iter()
				.map(|b| b.to_string())
				.collect::<Vec<_>>()
				.into()
		},
		"the signature does not verify",
	);
	case(
		"a root no tree has",
		&|v| v["services_root"] = "0x05".into(),
		"the service is not under this root",
	);
	case(
		"another service's key",
		&|v| v["service_key_hi"] = "0x02".into(),
		"service key (high half) differs",
	);
	// High-S signatures are refused by Noir's ECDSA; the worker's echo signs low-S.
	let low = Signature::from_slice(&sign(&key, response)).unwrap();
	let high: [u8; 64] = Signature::from_scalars(low.r(), -*low.s())
		.unwrap()
		.to_bytes()
		.into();
	case(
		"high-S signature",
		&|v| {
			v["signature"] = high
				.iter()
				.map(|b| b.to_string())
				.collect::<Vec<_>>()
				.into()
		},
		"the signature does not verify",
	);
}

/// Runs prove.mjs --execute-only; returns (exit code, stderr).
fn execute(inputs: &serde_json::Value, dir: &Path) -> (i32, String) {
	prove_mjs(inputs, dir, &["--execute-only".as_ref()])
}

#[test]
fn the_circuits_sha256_matches_at_every_padding_boundary_and_bounds_the_length() {
	let key = SigningKey::from_slice(&[7; 32]).unwrap();
	let tree = tree(&key);
	let membership = tree.prove_membership(b"echo").unwrap();
	let dir = temp_dir("padding");
	// One block holds 55 bytes of message; 56..=63 spill the length into a second block.
	for len in [0, 1, 55, 56, 63, 64, 119, 120, 183, 184, 255, MAX_RESPONSE] {
		let response: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
		let (inputs, _) =
			service_response_inputs(&response, &sign(&key, &response), &membership, &tree.root())
				.unwrap();
		let (code, stderr) = execute(&inputs, &dir);
		assert_eq!(code, 0, "length {len}: {stderr}");
	}
	// A length beyond the storage is refused by the circuit itself.
	let response = vec![b'z'; MAX_RESPONSE];
	let (mut inputs, _) =
		service_response_inputs(&response, &sign(&key, &response), &membership, &tree.root())
			.unwrap();
	inputs["response"]["len"] = "300".into();
	let (code, stderr) = execute(&inputs, &dir);
	assert_eq!(code, 1, "{stderr}");
	assert!(stderr.contains("message longer than MAX"), "{stderr}");
}

#[test]
fn inputs_that_cannot_be_built_are_refused_before_proving() {
	let key = SigningKey::from_slice(&[7; 32]).unwrap();
	let tree = tree(&key);
	let membership = tree.prove_membership(b"echo").unwrap();
	let long = vec![b'a'; MAX_RESPONSE + 1];
	let err =
		service_response_inputs(&long, &sign(&key, &long), &membership, &tree.root()).unwrap_err();
	assert!(matches!(err, InputsError::TooLong(257)), "{err}");
	let err =
		service_response_inputs(b"x", &sign(&key, b"x"), &membership, &Digest::ZERO).unwrap_err();
	assert!(matches!(err, InputsError::Membership(_)), "{err}");
	// The longest response still fits.
	let max = vec![b'z'; MAX_RESPONSE];
	assert!(service_response_inputs(&max, &sign(&key, &max), &membership, &tree.root()).is_ok());
}
