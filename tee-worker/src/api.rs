//! The worker's HTTP API (axum), read-only, JSON unless noted:
//!
//! - `GET /health`: liveness and what the worker is (account, TEE, chain connection, state).
//! - `GET /attestation?nonce=<64 hex>`: fresh evidence for an off-chain verifier, bound to
//!   claims with purpose `OffChain` (which the chain never accepts) and the caller's nonce.
//! - `GET /services`: the measured services and the services root.
//! - `GET /services/{name}/proof`: the membership proof of one service in the tree (what the
//!   Noir prover needs).
//! - `GET /metrics`: Prometheus text.
//!
//! Bad requests get 400, unknown services and paths 404, always with `{"error": "..."}`.
//! Evidence requests run one at a time on a blocking thread; at most [`MAX_WAITING`] may wait,
//! more get 503, so a flood cannot queue unbounded work.

use std::{collections::HashMap, sync::Arc};

use axum::{
	extract::{rejection::QueryRejection, Path, Query, State},
	http::{header, StatusCode},
	response::{IntoResponse, Response},
	routing::get,
	Json, Router,
};
use codec::Encode;
use serde_json::{json, Value};
use service_tree::{Digest, MAX_NAME_LEN};
use tee_verifier::{Claims, Evidence, Purpose};
use tokio::sync::Semaphore;

use crate::{
	evidence::{tee_name, EvidenceProvider},
	services::Services,
	status::{ChainState, Status},
};

/// Evidence requests that may wait for the TEE at once.
pub const MAX_WAITING: usize = 32;

/// What the API serves from.
pub struct ApiState {
	/// The worker's account (sr25519 public key).
	pub account: [u8; 32],
	/// The worker's x25519 public key.
	pub x25519: [u8; 32],
	/// The evidence provider (shared with the chain client).
	pub provider: Arc<dyn EvidenceProvider>,
	/// SHA-256 of the running system's store path.
	pub system_hash: [u8; 32],
	/// The measured services.
	pub services: Arc<Services>,
	/// Run-time state and counters.
	pub status: Arc<Status>,
	/// Admission for evidence requests (held until the TEE call ends, even if the client
	/// goes away).
	pub admission: Arc<Semaphore>,
	/// One evidence request at a time.
	pub tee_lock: Arc<tokio::sync::Mutex<()>>,
}

impl ApiState {
	/// State for an API serving these parts.
	pub fn new(
		account: [u8; 32],
		x25519: [u8; 32],
		provider: Arc<dyn EvidenceProvider>,
		system_hash: [u8; 32],
		services: Arc<Services>,
		status: Arc<Status>,
	) -> Self {
		Self {
			account,
			x25519,
			provider,
			system_hash,
			services,
			status,
			admission: Arc::new(Semaphore::new(MAX_WAITING)),
			tee_lock: Arc::new(tokio::sync::Mutex::new(())),
		}
	}
}

/// An error response: status and `{"error": message}`.
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		(self.0, Json(json!({ "error": self.1 }))).into_response()
	}
}

fn bad_request(message: impl Into<String>) -> ApiError {
	ApiError(StatusCode::BAD_REQUEST, message.into())
}

/// The API's routes.
pub fn router(state: Arc<ApiState>) -> Router {
	Router::new()
		.route("/health", get(health))
		.route("/attestation", get(attestation))
		.route("/services", get(services))
		.route("/services/{name}/proof", get(service_proof))
		.route("/metrics", get(metrics))
		.fallback(|| async { ApiError(StatusCode::NOT_FOUND, "no such endpoint".into()) })
		.with_state(state)
}

/// Serves the API on `listener` until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<ApiState>) -> std::io::Result<()> {
	axum::serve(listener, router(state)).await
}

async fn health(State(s): State<Arc<ApiState>>) -> Json<Value> {
	let chain = s.status.chain();
	Json(json!({
		"status": "ok",
		"account": hex::encode(s.account),
		"x25519": hex::encode(s.x25519),
		"tee": tee_name(s.provider.tee()),
		"provider": s.provider.name(),
		"chain_connected": s.status.connected(),
		"genesis_hash": chain.map(|c| hex::encode(c.genesis)),
		"best_block": chain.map(|c| c.best),
		"state": chain.map_or(ChainState::Unregistered, |c| c.state).as_str(),
		"system_hash": hex::encode(s.system_hash),
		"services_root": hex::encode(s.services.root()),
		"blocked": s.status.blocked().map(|b| json!({
			"reason": b.reason,
			"retry_at_block": b.retry_at_block,
			"refusals": b.refusals,
		})),
	}))
}

/// Parses the `nonce` parameter: exactly 32 bytes of hex.
fn parse_nonce(
	query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<[u8; 32], ApiError> {
	let Query(params) = query.map_err(|e| bad_request(format!("query: {e}")))?;
	if let Some(unknown) = params.keys().find(|k| k.as_str() != "nonce") {
		return Err(bad_request(format!(
			"unknown parameter `{unknown}` (only `nonce`)"
		)));
	}
	let nonce = params
		.get("nonce")
		.ok_or_else(|| bad_request("missing parameter `nonce` (32 bytes as 64 hex digits)"))?;
	let bytes = hex::decode(nonce.trim_start_matches("0x"))
		.map_err(|e| bad_request(format!("nonce: not hex: {e}")))?;
	bytes
		.try_into()
		.map_err(|b: Vec<u8>| bad_request(format!("nonce: {} bytes, expected 32", b.len())))
}

async fn attestation(
	State(s): State<Arc<ApiState>>,
	query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
	let nonce = parse_nonce(query)?;
	let chain = s.status.chain().ok_or_else(|| {
		ApiError(
			StatusCode::SERVICE_UNAVAILABLE,
			"not connected to a chain yet: the genesis hash bound into evidence is unknown".into(),
		)
	})?;
	let claims = Claims {
		genesis_hash: chain.genesis,
		purpose: Purpose::OffChain,
		account: s.account,
		x25519: s.x25519,
		nonce,
		anchor_block: chain.best,
		system_hash: s.system_hash,
		services_root: s.services.root(),
		gpu_digest: None,
	};
	let report_data = claims.report_data();
	let admitted = Arc::clone(&s.admission).try_acquire_owned().map_err(|_| {
		ApiError(
			StatusCode::SERVICE_UNAVAILABLE,
			"too many evidence requests waiting; retry later".into(),
		)
	})?;
	// Both guards move into the blocking task: a client that disconnects drops this future,
	// not the TEE call, so the limits hold for calls still running.
	let turn = Arc::clone(&s.tee_lock).lock_owned().await;
	let provider = Arc::clone(&s.provider);
	let evidence = tokio::task::spawn_blocking(move || {
		let evidence = provider.evidence(report_data);
		drop(turn);
		drop(admitted);
		evidence
	})
	.await
	.map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
	.map_err(|e| {
		tracing::warn!("GET /attestation: {e}");
		ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
	})?;
	s.status.served_offchain();
	let parts = match &evidence {
		Evidence::Tdx { quote } => json!({ "quote": hex::encode(quote) }),
		Evidence::TdxWithEventLog { quote, event_log } => json!({
			"quote": hex::encode(quote),
			"event_log": hex::encode(event_log),
		}),
		Evidence::Snp { report, vek_der } => json!({
			"report": hex::encode(report),
			"vek_der": hex::encode(vek_der),
		}),
	};
	Ok(Json(json!({
		"tee": tee_name(s.provider.tee()),
		"provider": s.provider.name(),
		"claims": claims_json(&claims),
		"claims_scale": hex::encode(claims.encode()),
		"report_data": hex::encode(report_data),
		"evidence_scale": hex::encode(evidence.encode()),
		"evidence": parts,
	})))
}

/// The claims as JSON (hex byte strings).
pub fn claims_json(c: &Claims) -> Value {
	json!({
		"genesis_hash": hex::encode(c.genesis_hash),
		"purpose": format!("{:?}", c.purpose),
		"account": hex::encode(c.account),
		"x25519": hex::encode(c.x25519),
		"nonce": hex::encode(c.nonce),
		"anchor_block": c.anchor_block,
		"system_hash": hex::encode(c.system_hash),
		"services_root": hex::encode(c.services_root),
		"gpu_digest": c.gpu_digest.map(hex::encode),
	})
}

fn digest_hex(d: &Digest) -> String {
	hex::encode(d.to_bytes())
}

async fn services(State(s): State<Arc<ApiState>>) -> Json<Value> {
	let list: Vec<Value> = s
		.services
		.services()
		.iter()
		.map(|service| {
			let leaf = service.leaf();
			json!({
				"name": String::from_utf8_lossy(service.name()),
				"derivation": String::from_utf8_lossy(service.derivation()),
				"public_key": hex::encode(service.public_key().as_bytes()),
				"key": hex::encode(leaf.key.0),
				"index": leaf.index(),
				"leaf_hash": digest_hex(&leaf.hash()),
			})
		})
		.collect();
	Json(json!({
		"root": hex::encode(s.services.root()),
		"services": list,
	}))
}

async fn service_proof(
	State(s): State<Arc<ApiState>>,
	Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
	if name.is_empty() || name.len() > MAX_NAME_LEN as usize {
		return Err(bad_request(format!(
			"service name must be 1 to {MAX_NAME_LEN} bytes"
		)));
	}
	let service = s.services.get(&name).ok_or_else(|| {
		ApiError(
			StatusCode::NOT_FOUND,
			format!("no service `{name}` is measured by this worker"),
		)
	})?;
	let proof = s
		.services
		.tree()
		.prove_membership(name.as_bytes())
		.map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
	let leaf = &proof.leaf;
	Ok(Json(json!({
		"name": name,
		"derivation": String::from_utf8_lossy(service.derivation()),
		"root": hex::encode(s.services.root()),
		"leaf": {
			"key": hex::encode(leaf.key.0),
			"derivation_hash": hex::encode(leaf.derivation_hash),
			"public_key": hex::encode(leaf.public_key.as_bytes()),
		},
		"leaf_hash": digest_hex(&leaf.hash()),
		"leaf_hash_inputs": leaf.hash_inputs().iter().map(digest_hex).collect::<Vec<_>>(),
		"index": leaf.index(),
		"siblings": proof.path.siblings().iter().map(digest_hex).collect::<Vec<_>>(),
		"proof_scale": hex::encode(proof.encode()),
	})))
}

async fn metrics(State(s): State<Arc<ApiState>>) -> Response {
	let labels = format!(
		"account=\"{}\",tee=\"{}\",provider=\"{}\"",
		hex::encode(s.account),
		tee_name(s.provider.tee()),
		s.provider.name()
	);
	(
		[(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
		s.status.prometheus(&labels),
	)
		.into_response()
}
