//! `attest worker --live URL`: fresh evidence from the worker's own API for a random nonce,
//! verified under the chain's current roots, collateral and policy.

use codec::Decode;
use http_body_util::BodyExt;
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use tee_verifier::{Claims, Evidence, Purpose};

use crate::{
	check::{self, ChainContext, Row},
	CliError,
};
use pallet_attestation::{EvidenceRecord, WorkerInfo};

/// Longest accepted API response.
const MAX_BODY: usize = 1 << 20;

/// How long the whole `GET /attestation` (connect, headers and body) may take.
pub const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Fetches `GET {base}/attestation?nonce=<nonce>`: the evidence and the claims it binds,
/// within [`FETCH_TIMEOUT`].
pub async fn fetch(base: &str, nonce: [u8; 32]) -> Result<(Evidence, Claims), CliError> {
	tokio::time::timeout(FETCH_TIMEOUT, fetch_inner(base, nonce))
		.await
		.map_err(|_| {
			CliError::Unreachable(format!(
				"{base}: no complete answer within {FETCH_TIMEOUT:?}"
			))
		})?
}

async fn fetch_inner(base: &str, nonce: [u8; 32]) -> Result<(Evidence, Claims), CliError> {
	let url = format!(
		"{}/attestation?nonce={}",
		base.trim_end_matches('/'),
		hex::encode(nonce)
	);
	let json = get_json(&url, "--live").await?;
	let field = |k: &str| -> Result<Vec<u8>, CliError> {
		json[k]
			.as_str()
			.and_then(|s| hex::decode(s).ok())
			.ok_or_else(|| CliError::Unreachable(format!("{url}: no hex `{k}`")))
	};
	let evidence = Evidence::decode(&mut &field("evidence_scale")?[..])
		.map_err(|e| CliError::Unreachable(format!("{url}: evidence: {e}")))?;
	let claims = Claims::decode(&mut &field("claims_scale")?[..])
		.map_err(|e| CliError::Unreachable(format!("{url}: claims: {e}")))?;
	Ok((evidence, claims))
}

/// `GET url` from a worker's API (plain http://): the JSON body of a success, else an error
/// with the API's message. `option` names the flag the URL came from.
pub async fn get_json(url: &str, option: &str) -> Result<serde_json::Value, CliError> {
	let uri: hyper::Uri = url
		.parse()
		.map_err(|e| CliError::BadInput(format!("{option} {url}: {e}")))?;
	if uri.scheme_str() != Some("http") {
		return Err(CliError::BadInput(format!(
			"{option} {url}: only http:// (the worker's API is plain HTTP; put TLS in front)"
		)));
	}
	let client = Client::builder(TokioExecutor::new())
		.build_http::<http_body_util::Empty<hyper::body::Bytes>>();
	let response = client
		.get(uri)
		.await
		.map_err(|e| CliError::Unreachable(format!("{url}: {e}")))?;
	let status = response.status();
	let body = http_body_util::Limited::new(response.into_body(), MAX_BODY)
		.collect()
		.await
		.map_err(|e| CliError::Unreachable(format!("{url}: {e}")))?
		.to_bytes();
	let json: serde_json::Value = serde_json::from_slice(&body)
		.map_err(|e| CliError::Unreachable(format!("{url}: not JSON: {e}")))?;
	if !status.is_success() {
		return Err(CliError::Unreachable(format!(
			"{url}: {status}: {}",
			json["error"].as_str().unwrap_or("no error message")
		)));
	}
	Ok(json)
}

/// A fresh random nonce.
pub fn nonce() -> Result<[u8; 32], CliError> {
	let mut nonce = [0u8; 32];
	getrandom::fill(&mut nonce).map_err(|e| CliError::BadInput(format!("randomness: {e}")))?;
	Ok(nonce)
}

/// The checks for live evidence: everything `attest worker` checks for stored evidence
/// (except the stored hash), plus our nonce and the off-chain purpose.
pub fn rows(
	who: [u8; 32],
	info: &WorkerInfo<u32>,
	evidence: Evidence,
	claims: Claims,
	nonce: [u8; 32],
	ctx: &ChainContext,
) -> Vec<Row> {
	let record = EvidenceRecord {
		evidence,
		claims,
		verified_at: ctx.now,
		block: 0,
	};
	let mut rows = check::worker_rows(who, info, &record, ctx, None);
	rows.push(Row::eq_pub(
		"nonce",
		hex::encode(record.claims.nonce),
		hex::encode(nonce),
	));
	rows.push(Row::eq_pub(
		"purpose",
		format!("{:?}", record.claims.purpose),
		format!("{:?}", Purpose::OffChain),
	));
	rows
}
