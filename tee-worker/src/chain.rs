//! The chain client: registers the worker and answers re-attestation requests, across node
//! restarts.
//!
//! Every finalized block is one step. The client reads the worker's record and pending request
//! from chain state at that block (the source of truth, so a missed event or a reconnect loses
//! nothing) and
//! - answers a pending request whose nonce it has not answered yet (claims with purpose
//!   `Reattest`, the request's nonce and block);
//! - otherwise registers when the chain has no record for its account, the record is `Lapsed`
//!   or holds another x25519 key (claims with purpose `Register`, anchored at that block).
//!
//! One submission at a time, awaited until finalized: nothing is ever submitted twice
//! concurrently, and an answered nonce is never answered again. A submission the chain refuses
//! is retried after `RETRY_BLOCKS` blocks (each failed attempt pays a fee). When the node goes
//! away the client reconnects with exponential backoff (1 s doubling to 30 s) and resumes.
//!
//! On connecting, the chain's `Attestation` pallet must be the one this worker was built
//! for: its metadata hash must equal that of `metadata/attestation.scale` (generated from the
//! runtime, checked for staleness by a test). Another pallet is refused with a clear error
//! rather than sent calls it may misread.

use std::{
	sync::{Arc, OnceLock},
	time::{Duration, Instant},
};

use codec::{Decode, Encode};
use pallet_attestation::{Request, WorkerInfo, WorkerStatus};
use subxt::{dynamic::Value, OnlineClient, OnlineClientAtBlock, PolkadotConfig};
use tee_verifier::{Claims, Purpose};
use tracing::{info, warn};

use crate::{
	evidence::EvidenceProvider,
	keys::WorkerKeys,
	scale_call,
	status::{ChainState, Status},
};

/// The runtime metadata this worker was built against (SCALE `RuntimeMetadataPrefixed`),
/// generated from `attestation-runtime` (`UPDATE_METADATA=1 cargo test -p e2e-tests --test
/// worker_metadata`).
pub const METADATA: &[u8] = include_bytes!("../metadata/attestation.scale");

/// The metadata hash of the `Attestation` pallet in [`METADATA`].
pub fn expected_pallet_hash() -> Result<[u8; 32], String> {
	static HASH: OnceLock<Result<[u8; 32], String>> = OnceLock::new();
	HASH.get_or_init(|| {
		let metadata = subxt::Metadata::decode_from(METADATA)
			.map_err(|e| format!("embedded metadata: {e}"))?;
		metadata
			.pallet_by_name("Attestation")
			.map(|p| p.hash())
			.ok_or_else(|| "embedded metadata has no Attestation pallet".to_string())
	})
	.clone()
}

/// Blocks to wait before submitting again after the chain refused a submission.
pub const RETRY_BLOCKS: u32 = 5;
/// Longest pause between reconnection attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What can go wrong talking to the chain.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	/// The node could not be reached or the connection failed.
	#[error("node: {0}")]
	Node(String),
	/// The chain's state did not decode as this worker expects (another runtime?).
	#[error("chain state: {0}")]
	State(String),
	/// The block subscription ended.
	#[error("the node closed the block subscription")]
	StreamEnded,
	/// Evidence could not be produced.
	#[error(transparent)]
	Evidence(#[from] crate::evidence::EvidenceError),
	/// The chain runs another version of the Attestation pallet than this worker knows.
	#[error(
		"the chain's Attestation pallet (metadata hash {found}) is not the one this worker was 		 built for ({expected}): upgrade the worker to match the runtime"
	)]
	PalletMismatch {
		/// Hash expected from the embedded metadata.
		expected: String,
		/// Hash found on the chain.
		found: String,
	},
}

fn node_err(e: impl std::fmt::Display) -> ChainError {
	ChainError::Node(e.to_string())
}

/// What the worker proves about itself.
pub struct Worker {
	/// Its keys.
	pub keys: WorkerKeys,
	/// Where its evidence comes from (shared with the HTTP API).
	pub provider: Arc<dyn EvidenceProvider>,
	/// SHA-256 of its NixOS system's store path.
	pub system_hash: [u8; 32],
	/// Root of its service tree.
	pub services_root: [u8; 32],
	/// Dev chain only: an account that tops up the worker's account (`--dev-funder`).
	pub dev_funder: Option<subxt_signer::sr25519::Keypair>,
	/// Run-time state, shared with the HTTP API.
	pub status: Arc<Status>,
}

/// The well-known dev keypair called `name` (`alice`, ..., `ferdie`).
pub fn dev_keypair(name: &str) -> Option<subxt_signer::sr25519::Keypair> {
	use subxt_signer::sr25519::dev;
	Some(match name {
		"alice" => dev::alice(),
		"bob" => dev::bob(),
		"charlie" => dev::charlie(),
		"dave" => dev::dave(),
		"eve" => dev::eve(),
		"ferdie" => dev::ferdie(),
		_ => return None,
	})
}

/// What a dev funder sends: 1 000 UNIT (12 decimals).
const DEV_FUNDING: u128 = 1_000_000_000_000_000;

/// Top up the worker's account from the dev funder when it holds less than a tenth of
/// `DEV_FUNDING`.
async fn dev_fund(worker: &Worker, api: &OnlineClient<PolkadotConfig>) -> Result<(), ChainError> {
	let Some(funder) = &worker.dev_funder else {
		return Ok(());
	};
	let at = api.at_current_block().await.map_err(node_err)?;
	let account = worker.keys.account_id();
	let addr = subxt::dynamic::storage::<([u8; 32],), Value>("System", "Account");
	let free = match at
		.storage()
		.try_fetch(addr, (account,))
		.await
		.map_err(node_err)?
	{
		// AccountInfo { nonce: u32, consumers: u32, providers: u32, sufficients: u32,
		// data: { free: u128, .. } }
		Some(v) => <(u32, u32, u32, u32, u128)>::decode(&mut v.bytes())
			.map(|(_, _, _, _, free)| free)
			.map_err(|e| ChainError::State(format!("System.Account: {e}")))?,
		None => 0,
	};
	if free >= DEV_FUNDING / 10 {
		return Ok(());
	}
	let transfer = subxt::dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(
			subxt::utils::MultiAddress::<subxt::utils::AccountId32, ()>::Id(account.into()),
			DEV_FUNDING,
		),
	);
	at.transactions()
		.sign_and_submit_then_watch_default(&transfer, funder)
		.await
		.map_err(node_err)?
		.wait_for_finalized_success()
		.await
		.map_err(node_err)?;
	info!(
		amount = DEV_FUNDING,
		"dev funder topped up the worker's account"
	);
	Ok(())
}

/// What the client remembers across blocks and reconnections.
#[derive(Default)]
struct Progress {
	/// The chain these notes are about.
	genesis: Option<[u8; 32]>,
	/// The last request nonce answered successfully.
	answered: Option<[u8; 32]>,
	/// Do not submit before this block (after a refusal).
	quiet_until: u32,
	/// When the current request was first seen (block, instant), for the latency log.
	request_seen: Option<([u8; 32], u32, Instant)>,
}

/// Run until the process is stopped: connect, follow finalized blocks, reconnect on failure.
pub async fn run(worker: &Worker, node: &str) {
	let mut progress = Progress::default();
	let mut backoff = Duration::from_secs(1);
	loop {
		let result = session(worker, node, &mut progress, &mut backoff).await;
		worker.status.set_connected(false);
		match result {
			Ok(()) => return,
			Err(e) => warn!("chain client: {e}; reconnecting in {}s", backoff.as_secs()),
		}
		tokio::time::sleep(backoff).await;
		backoff = backoff.saturating_mul(2).min(MAX_BACKOFF);
	}
}

async fn session(
	worker: &Worker,
	node: &str,
	progress: &mut Progress,
	backoff: &mut Duration,
) -> Result<(), ChainError> {
	let api = OnlineClient::<PolkadotConfig>::from_insecure_url(node)
		.await
		.map_err(node_err)?;
	let genesis = api.genesis_hash().0;
	check_pallet(&api).await?;
	if progress.genesis != Some(genesis) {
		*progress = Progress {
			genesis: Some(genesis),
			..Progress::default()
		};
	}
	info!(
		node,
		genesis = %hex::encode(genesis),
		account = %hex::encode(worker.keys.account_id()),
		"connected"
	);
	*backoff = Duration::from_secs(1);
	worker.status.set_connected(true);
	dev_fund(worker, &api).await?;
	let mut blocks = api.stream_blocks().await.map_err(node_err)?;
	while let Some(block) = blocks.next().await {
		let block = block.map_err(node_err)?;
		let number = u32::try_from(block.number())
			.map_err(|_| ChainError::State("block number above u32".into()))?;
		let at = block.at().await.map_err(node_err)?;
		step(worker, &api, &at, number, progress).await?;
	}
	Err(ChainError::StreamEnded)
}

/// One finalized block: answer a request or register, if needed.
async fn step(
	worker: &Worker,
	api: &OnlineClient<PolkadotConfig>,
	at: &OnlineClientAtBlock<PolkadotConfig>,
	number: u32,
	progress: &mut Progress,
) -> Result<(), ChainError> {
	let account = worker.keys.account_id();
	let record: Option<WorkerInfo<u32>> = fetch(at, "Workers", account).await?;
	let request: Option<Request<u32>> = fetch(at, "PendingRequests", account).await?;
	let genesis_hash = api.genesis_hash().0;
	let state = match &record {
		None => ChainState::Unregistered,
		Some(w) => match w.status {
			WorkerStatus::Active => ChainState::Active,
			WorkerStatus::Pending => ChainState::Pending,
			WorkerStatus::Lapsed => ChainState::Lapsed,
		},
	};
	worker.status.saw_block(genesis_hash, number, state);
	if number < progress.quiet_until {
		return Ok(());
	}
	if let Some(request) = request {
		if progress.answered == Some(request.nonce) {
			return Ok(());
		}
		let seen = match progress.request_seen {
			Some((nonce, block, when)) if nonce == request.nonce => (block, when),
			_ => {
				info!(
					issued_at = request.issued_at,
					deadline = request.deadline,
					"re-attestation requested"
				);
				progress.request_seen = Some((request.nonce, number, Instant::now()));
				(number, Instant::now())
			}
		};
		let claims = worker.claims(
			genesis_hash,
			Purpose::Reattest,
			request.nonce,
			request.issued_at,
		);
		match submit(worker, at, "submit_attestation", &claims).await? {
			Ok(()) => {
				progress.answered = Some(request.nonce);
				worker.status.answered();
				info!(
					blocks = number.saturating_sub(seen.0).saturating_add(1),
					ms = seen.1.elapsed().as_millis() as u64,
					"re-attestation accepted"
				);
			}
			Err(reason) => {
				worker.status.failed();
				warn!("re-attestation refused: {reason}");
				progress.quiet_until = number.saturating_add(RETRY_BLOCKS);
			}
		}
		return Ok(());
	}
	let registered = record.as_ref().is_some_and(|w| {
		w.status != WorkerStatus::Lapsed && w.x25519 == worker.keys.x25519_public()
	});
	if registered {
		return Ok(());
	}
	let hash = at.block_hash().0;
	let claims = worker.claims(genesis_hash, Purpose::Register, hash, number);
	info!(anchor = number, "registering");
	match submit(worker, at, "register_worker", &claims).await? {
		Ok(()) => {
			worker.status.registered();
			info!("registered");
			// Finalized blocks that queued while we waited predate the registration and
			// still show no record: skip them, or a chain whose finality lags (GRANDPA)
			// would see the worker register again.
			progress.quiet_until = latest_finalized(api).await?.saturating_add(1);
		}
		Err(reason) => {
			worker.status.failed();
			warn!("registration refused: {reason}");
			progress.quiet_until = number.saturating_add(RETRY_BLOCKS);
		}
	}
	Ok(())
}

impl Worker {
	fn claims(
		&self,
		genesis_hash: [u8; 32],
		purpose: Purpose,
		nonce: [u8; 32],
		anchor: u32,
	) -> Claims {
		Claims {
			genesis_hash,
			purpose,
			account: self.keys.account_id(),
			x25519: self.keys.x25519_public(),
			nonce,
			anchor_block: anchor,
			system_hash: self.system_hash,
			services_root: self.services_root,
			gpu_digest: None,
		}
	}
}

/// The number of the latest finalized block.
async fn latest_finalized(api: &OnlineClient<PolkadotConfig>) -> Result<u32, ChainError> {
	let at = api.at_current_block().await.map_err(node_err)?;
	u32::try_from(at.block_number()).map_err(|_| ChainError::State("block number above u32".into()))
}

/// Refuses a chain whose Attestation pallet differs from the embedded metadata's.
async fn check_pallet(api: &OnlineClient<PolkadotConfig>) -> Result<(), ChainError> {
	let expected = expected_pallet_hash().map_err(ChainError::State)?;
	let at = api.at_current_block().await.map_err(node_err)?;
	let found = at
		.metadata_ref()
		.pallet_by_name("Attestation")
		.map(|p| p.hash());
	if found != Some(expected) {
		return Err(ChainError::PalletMismatch {
			expected: hex::encode(expected),
			found: found.map_or_else(|| "none: no Attestation pallet".into(), hex::encode),
		});
	}
	Ok(())
}

/// `Attestation.<entry>(account)` at `at` (e.g. `Workers`, `PendingRequests`), decoded as our
/// own type.
pub async fn fetch<V: Decode>(
	at: &OnlineClientAtBlock<PolkadotConfig>,
	entry: &str,
	account: [u8; 32],
) -> Result<Option<V>, ChainError> {
	let addr = subxt::dynamic::storage::<([u8; 32],), Value>("Attestation", entry);
	let Some(value) = at
		.storage()
		.try_fetch(addr, (account,))
		.await
		.map_err(node_err)?
	else {
		return Ok(None);
	};
	V::decode(&mut value.bytes())
		.map(Some)
		.map_err(|e| ChainError::State(format!("Attestation.{entry}: {e}")))
}

/// Submit `call(evidence, claims)` and wait until it is finalized. The outer error is a
/// connection problem (retry after reconnecting); the inner one the chain's refusal.
async fn submit(
	worker: &Worker,
	at: &OnlineClientAtBlock<PolkadotConfig>,
	call: &str,
	claims: &Claims,
) -> Result<Result<(), String>, ChainError> {
	let report_data = claims.report_data();
	let provider = Arc::clone(&worker.provider);
	// No evidence is like a refusal: retried after RETRY_BLOCKS, not a reconnection loop.
	let evidence = match tokio::task::spawn_blocking(move || provider.evidence(report_data)).await {
		Ok(Ok(evidence)) => evidence,
		Ok(Err(e)) => return Ok(Err(format!("no evidence: {e}"))),
		Err(e) => return Ok(Err(format!("evidence task: {e}"))),
	};
	let payload = scale_call::build(
		at.metadata_ref(),
		"Attestation",
		call,
		&[evidence.encode(), claims.encode()],
	)
	.map_err(ChainError::State)?;
	let progress = match at
		.transactions()
		.sign_and_submit_then_watch_default(&payload, &worker.keys.account)
		.await
	{
		Ok(p) => p,
		// Refused by the pool (e.g. the account cannot pay the fee): not a connection problem.
		Err(e) if is_invalid_transaction(&e.to_string()) => {
			return Ok(Err(format!(
				"{e} (account {} must hold funds for the fee)",
				hex::encode(worker.keys.account_id())
			)))
		}
		Err(e) => return Err(node_err(e)),
	};
	match progress.wait_for_finalized_success().await {
		Ok(_) => Ok(Ok(())),
		Err(e) => {
			let text = e.to_string();
			if is_dispatch_error(&text) {
				Ok(Err(text))
			} else {
				Err(node_err(text))
			}
		}
	}
}

/// Whether a transaction error's text is the runtime refusing the call (a dispatch error of
/// a module), rather than a connection or pool problem.
pub fn is_dispatch_error(text: &str) -> bool {
	text.contains("Attestation") || text.contains("Module") || text.contains("dispatch")
}

fn is_invalid_transaction(text: &str) -> bool {
	text.contains("Invalid Transaction") || text.contains("Inability to pay")
}
