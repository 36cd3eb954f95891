//! Reading the attestation pallet's state (at the latest finalized block or any earlier one),
//! decoded with the pallet's own types.

use std::time::Duration;

use codec::Decode;
use pallet_attestation::{ChainPolicy, EvidenceRecord, Release, ReleaseId, WorkerInfo};
use subxt::{dynamic::Value, OnlineClient, OnlineClientAtBlock, PolkadotConfig};

use crate::CliError;

/// A connected node.
pub struct Chain {
	/// The client.
	pub api: OnlineClient<PolkadotConfig>,
	/// The node's URL (for messages).
	pub url: String,
}

/// State at one block.
pub type At = OnlineClientAtBlock<PolkadotConfig>;

/// How long to wait for the node.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

fn state_err(what: &str, e: impl std::fmt::Display) -> CliError {
	CliError::Unreachable(format!("reading {what}: {e}"))
}

impl Chain {
	/// Connects to `url` (ws:// or wss://), within [`CONNECT_TIMEOUT`].
	pub async fn connect(url: &str) -> Result<Self, CliError> {
		if !(url.starts_with("ws://") || url.starts_with("wss://")) {
			return Err(CliError::BadInput(format!(
				"--node {url}: not a ws:// or wss:// URL"
			)));
		}
		let api = tokio::time::timeout(
			CONNECT_TIMEOUT,
			OnlineClient::<PolkadotConfig>::from_insecure_url(url),
		)
		.await
		.map_err(|_| CliError::Unreachable(format!("{url}: no answer within {CONNECT_TIMEOUT:?}")))?
		.map_err(|e| CliError::Unreachable(format!("{url}: {e}")))?;
		Ok(Self {
			api,
			url: url.to_string(),
		})
	}

	/// State at the latest finalized block.
	pub async fn latest(&self) -> Result<At, CliError> {
		self.api
			.at_current_block()
			.await
			.map_err(|e| CliError::Unreachable(format!("{}: {e}", self.url)))
	}

	/// State at block `number`.
	pub async fn at(&self, number: u32) -> Result<At, CliError> {
		self.api
			.at_block(u64::from(number))
			.await
			.map_err(|e| state_err(&format!("block {number}"), e))
	}

	/// The chain's genesis hash.
	pub fn genesis(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}
}

/// The raw value of a storage item, decoded as `V`.
fn decode_value<V: Decode>(entry: &str, raw: Option<&[u8]>) -> Result<Option<V>, CliError> {
	raw.map(|mut bytes| V::decode(&mut bytes).map_err(|e| state_err(entry, e)))
		.transpose()
}

/// `Attestation.<entry>` (a plain value), decoded as `V`; `None` if absent.
pub async fn value<V: Decode>(at: &At, entry: &str) -> Result<Option<V>, CliError> {
	let addr = subxt::dynamic::storage::<(), Value>("Attestation", entry);
	let raw = at
		.storage()
		.try_fetch(addr, ())
		.await
		.map_err(|e| state_err(entry, e))?;
	decode_value(entry, raw.as_ref().map(|r| r.bytes()))
}

/// `Attestation.<entry>(key)`, decoded as `V`; `None` if absent. The key is encoded with
/// the type the metadata gives (`Value::from_bytes` for byte arrays, `Value::u128` for ids).
pub async fn map_value<V: Decode>(at: &At, entry: &str, key: Value) -> Result<Option<V>, CliError> {
	let addr = subxt::dynamic::storage::<(Value,), Value>("Attestation", entry);
	let raw = at
		.storage()
		.try_fetch(addr, (key,))
		.await
		.map_err(|e| state_err(entry, e))?;
	decode_value(entry, raw.as_ref().map(|r| r.bytes()))
}

/// Every entry of the map `Attestation.<entry>`: the last `key_len` bytes of each storage
/// key (the `*Concat` hashers end with the key itself) and the decoded value.
pub async fn entries<K: Decode, V: Decode>(at: &At, entry: &str) -> Result<Vec<(K, V)>, CliError> {
	let addr = subxt::dynamic::storage::<(Value,), Value>("Attestation", entry);
	let mut stream = at
		.storage()
		.iter(addr, ())
		.await
		.map_err(|e| state_err(entry, e))?;
	let mut out = Vec::new();
	while let Some(kv) = stream.next().await {
		let kv = kv.map_err(|e| state_err(entry, e))?;
		let key_bytes = kv.key_bytes();
		let key_len = std::mem::size_of::<K>();
		let tail = key_bytes
			.get(key_bytes.len().saturating_sub(key_len)..)
			.ok_or_else(|| state_err(entry, "short storage key"))?;
		let key = K::decode(&mut &tail[..]).map_err(|e| state_err(entry, e))?;
		let value = V::decode(&mut kv.value().bytes()).map_err(|e| state_err(entry, e))?;
		out.push((key, value));
	}
	Ok(out)
}

/// All workers.
pub async fn workers(at: &At) -> Result<Vec<([u8; 32], WorkerInfo<u32>)>, CliError> {
	entries(at, "Workers").await
}

/// One worker's record.
pub async fn worker(at: &At, who: [u8; 32]) -> Result<Option<WorkerInfo<u32>>, CliError> {
	map_value(at, "Workers", Value::from_bytes(who)).await
}

/// The evidence a worker was last accepted with.
pub async fn accepted_evidence(
	at: &At,
	who: [u8; 32],
) -> Result<Option<EvidenceRecord<u32>>, CliError> {
	map_value(at, "AcceptedEvidence", Value::from_bytes(who)).await
}

/// All releases.
pub async fn releases(at: &At) -> Result<Vec<(ReleaseId, Release)>, CliError> {
	entries(at, "Releases").await
}

/// The policy (the pallet's default if never set).
pub async fn policy(at: &At) -> Result<ChainPolicy, CliError> {
	Ok(value(at, "Policy").await?.unwrap_or_default())
}

/// The trust anchors (empty if never set).
pub async fn trust_anchors(at: &At) -> Result<tee_verifier::TrustAnchors, CliError> {
	Ok(value(at, "TrustAnchors").await?.unwrap_or_default())
}

/// The block's timestamp, Unix seconds.
pub async fn timestamp(at: &At) -> Result<u64, CliError> {
	let addr = subxt::dynamic::storage::<(), Value>("Timestamp", "Now");
	let raw = at
		.storage()
		.try_fetch(addr, ())
		.await
		.map_err(|e| state_err("Timestamp.Now", e))?
		.ok_or_else(|| state_err("Timestamp.Now", "absent"))?;
	let millis = u64::decode(&mut raw.bytes()).map_err(|e| state_err("Timestamp.Now", e))?;
	Ok(millis / 1000)
}

/// Signs and submits `call` (named `name` in messages) and waits for finality.
/// `Ok(Ok(events))`: included, with its events as (pallet, event) names; `Ok(Err(reason))`:
/// the chain refused it (a dispatch error); `Err`: the node could not be reached or dropped
/// the transaction.
pub async fn submit(
	at: &At,
	name: &str,
	call: &subxt::transactions::DynamicPayload<Vec<Value>>,
	signer: &subxt_signer::sr25519::Keypair,
) -> Result<Result<Vec<(String, String)>, String>, CliError> {
	let progress = at
		.transactions()
		.sign_and_submit_then_watch_default(call, signer)
		.await
		.map_err(|e| CliError::Unreachable(format!("submitting {name}: {e}")))?;
	match progress.wait_for_finalized_success().await {
		Ok(events) => Ok(Ok(events
			.iter()
			.filter_map(Result::ok)
			.map(|e| (e.pallet_name().to_string(), e.event_name().to_string()))
			.collect())),
		Err(e) if tee_worker::chain::is_dispatch_error(&e.to_string()) => Ok(Err(e.to_string())),
		Err(e) => Err(CliError::Unreachable(format!("waiting for {name}: {e}"))),
	}
}
