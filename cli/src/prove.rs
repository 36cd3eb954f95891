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
