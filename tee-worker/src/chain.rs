//! The chain client: registers the worker and answers re-attestation requests, across node
//! restarts.
//!
//! Every new best block is one step. The client reads the worker's record and pending request
//! from chain state at that block (the source of truth, so a missed event or a reconnect loses
//! nothing) and
//! - answers a pending request whose nonce it has not answered yet (claims with purpose
//!   `Reattest`, the request's nonce and block);
//! - otherwise registers when the chain has no record for its account, the record is `Lapsed`
//!   or holds another x25519 key (claims with purpose `Register`, anchored at that block).
//!
//! It follows the best chain, not the finalized one, because that is what the pallet counts:
//! the registration window and the request deadlines are best-chain blocks, and when finality
//! lags (a GRANDPA validator down) requests still arrive and must be answered in time.
//! Registrations are anchored to the best block. One submission at a time, awaited until it
//! is in a best block: nothing is ever submitted twice concurrently, and an answered nonce is
//! answered again only if its answer left the best chain (a re-organisation: the request is
//! still pending in a best block after the one that included the answer).
//!
//! Refusals do not loop, and do not cost the node connections:
//! - A submission the chain refuses (each failed attempt pays a fee) is retried after
//!   `RETRY_BLOCKS` blocks, doubling with each refusal in a row up to `MAX_RETRY_BLOCKS`, or at
//!   once when the chain state that decides it changes (an `Attestation` event of governance,
//!   collateral or the registry: a release added or removed, a policy or anchors set,
//!   collateral stored, a worker removed). The reason and the retry block are in `/health` and `/metrics`.
//! - An account that cannot pay the fee is reported once (which account, the fee, its balance,
//!   how to fund it); the client then waits for that balance to change.
//! - The client holds exactly one connection to its node. An error while the node still
//!   answers is retried on the same connection at the next block; only a node that does not
//!   answer is reconnected to, with exponential backoff (1 s doubling to 30 s), and the old
//!   connection (with its background driver) is closed first.
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
	status::{Blocked, ChainState, Status},
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

/// Blocks to wait before submitting again after the chain refused a submission; doubled for
/// each further refusal in a row.
pub const RETRY_BLOCKS: u32 = 5;
/// The longest wait between attempts after refusals (30 minutes of 3 s blocks).
pub const MAX_RETRY_BLOCKS: u32 = 600;
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

/// Why a submission did not go through, other than a connection failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
	/// The runtime refused the call (its dispatch error).
	Chain(String),
	/// The transaction pool refused it for now (a nonce race, a priority): retried at the next
	/// block.
	Pool(String),
	/// The account's free balance does not cover the fee (and, for a registration, the part
	/// of the pallet's `WorkerDeposit` it does not hold yet).
	Unfunded {
		/// The fee the node estimated (planck).
		fee: u128,
		/// The deposit still to be held (planck; 0 when already held or not a registration).
		deposit: u128,
		/// The account's free balance (planck).
		free: u128,
	},
	/// No evidence could be produced.
	NoEvidence(String),
}

impl std::fmt::Display for Refusal {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Refusal::Chain(e) => write!(f, "refused by the chain: {e}"),
			Refusal::Pool(e) => write!(f, "refused by the transaction pool: {e}"),
			Refusal::Unfunded { fee, deposit, free } => {
				write!(
					f,
					"the fee ({fee} planck) and deposit ({deposit} planck) exceed the free \
					 balance ({free} planck)"
				)
			}
			Refusal::NoEvidence(e) => write!(f, "no evidence: {e}"),
		}
	}
}

/// Blocks to wait after `refusals` refusals in a row: `RETRY_BLOCKS` doubled for each one
/// after the first, at most `MAX_RETRY_BLOCKS`.
pub fn retry_wait(refusals: u32) -> u32 {
	let doublings = refusals.saturating_sub(1).min(16);
	RETRY_BLOCKS
		.saturating_mul(1 << doublings)
		.min(MAX_RETRY_BLOCKS)
}

/// `Attestation` events after which a refused submission is retried at once: they change the
/// releases, the rules, the collateral or the registry's room.
pub const RETRY_EVENTS: [&str; 9] = [
	"ReleaseAdded",
	"ReleaseRemoved",
	"PolicySet",
	"TrustAnchorsSet",
	"TdxCollateralUpdated",
	"AmdCrlUpdated",
	"WorkerEvicted",
	"WorkerPruned",
	"WorkerDeregistered",
];

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
	/// The chain's trust anchors, refreshed before each SEV-SNP submission (a VCEK fetched
	/// from KDS is verified against them, see [`crate::vcek`]).
	pub anchors: crate::vcek::ChainAnchors,
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

/// The free balance of `account` at `at` (0 without an account).
async fn free_balance(
	at: &OnlineClientAtBlock<PolkadotConfig>,
	account: [u8; 32],
) -> Result<u128, ChainError> {
	Ok(balances(at, account).await?.0)
}

/// The free and the reserved (held) balance of `account` at `at` (0 without an account).
async fn balances(
	at: &OnlineClientAtBlock<PolkadotConfig>,
	account: [u8; 32],
) -> Result<(u128, u128), ChainError> {
	let addr = subxt::dynamic::storage::<([u8; 32],), Value>("System", "Account");
	match at
		.storage()
		.try_fetch(addr, (account,))
		.await
		.map_err(node_err)?
	{
		// AccountInfo { nonce: u32, consumers: u32, providers: u32, sufficients: u32,
		// data: { free: u128, reserved: u128, .. } }
		Some(v) => <(u32, u32, u32, u32, u128, u128)>::decode(&mut v.bytes())
			.map(|(_, _, _, _, free, reserved)| (free, reserved))
			.map_err(|e| ChainError::State(format!("System.Account: {e}"))),
		None => Ok((0, 0)),
	}
}

/// A balance constant (planck) of `pallet` in `at`'s metadata.
fn balance_constant(
	at: &OnlineClientAtBlock<PolkadotConfig>,
	pallet: &str,
	name: &str,
) -> Result<u128, ChainError> {
	let value = at
		.metadata_ref()
		.pallet_by_name(pallet)
		.and_then(|p| p.constant_by_name(name))
		.map(|c| c.value().to_vec())
		.ok_or_else(|| ChainError::State(format!("no constant {pallet}.{name}")))?;
	u128::decode(&mut &value[..]).map_err(|e| ChainError::State(format!("{pallet}.{name}: {e}")))
}

/// Top up the worker's account from the dev funder when it holds less than a tenth of
/// `DEV_FUNDING`. Several workers funded by the same account race for its nonce: a transfer
/// the pool refuses for that is signed again with a fresh nonce after a random pause (on the
/// same connection).
async fn dev_fund(
	worker: &Worker,
	rpc: &subxt::rpcs::RpcClient,
	at: &OnlineClientAtBlock<PolkadotConfig>,
) -> Result<bool, ChainError> {
	let Some(funder) = &worker.dev_funder else {
		return Ok(false);
	};
	let account = worker.keys.account_id();
	if free_balance(at, account).await? >= DEV_FUNDING / 10 {
		return Ok(false);
	}
	let transfer = subxt::dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(
			subxt::utils::MultiAddress::<subxt::utils::AccountId32, ()>::Id(account.into()),
			DEV_FUNDING,
		),
	);
	let funder_id = subxt::utils::AccountId32(funder.public_key().0);
	for attempt in 1..=DEV_FUND_ATTEMPTS {
		// The funder's next nonce as the node's pool sees it (its pending transfers to other
		// workers included), not as the block's state has it.
		let nonce: u64 = rpc
			.request(
				"system_accountNextIndex",
				subxt::rpcs::rpc_params![funder_id.to_string()],
			)
			.await
			.map_err(node_err)?;
		let params = subxt::config::DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
			.nonce(nonce)
			.build();
		let result = match at
			.transactions()
			.sign_and_submit_then_watch(&transfer, funder, params)
			.await
		{
			Ok(progress) => in_best_block(progress).await.map(|_| ()),
			Err(e) => Err(e.to_string()),
		};
		match result {
			Ok(()) => {
				info!(
					amount = DEV_FUNDING,
					"dev funder topped up the worker's account"
				);
				return Ok(true);
			}
			Err(e) if attempt < DEV_FUND_ATTEMPTS && is_nonce_race(&e) => {
				let pause = 200 + u64::from(random_u16() % 1800);
				info!(
					block = at.block_number(),
					nonce, "dev top-up raced another transaction ({e}); again in {pause} ms"
				);
				tokio::time::sleep(Duration::from_millis(pause)).await;
			}
			Err(e) => return Err(ChainError::Node(format!("dev top-up: {e}"))),
		}
	}
	Ok(false)
}

/// How often a dev top-up is signed again after losing a nonce race.
const DEV_FUND_ATTEMPTS: u32 = 8;

/// A random number for pauses (0 if the system has no randomness to give).
fn random_u16() -> u16 {
	let mut b = [0u8; 2];
	let _ = getrandom::fill(&mut b);
	u16::from_le_bytes(b)
}

/// Whether a pool error is another transaction taking the same nonce first.
fn is_nonce_race(text: &str) -> bool {
	text.contains("Priority is too low")
		|| text.contains("priority of the transaction is too low")
		|| text.contains("Transaction is outdated")
		|| text.contains("Stale")
		|| text.contains("already imported")
}

/// What the client remembers across blocks and reconnections.
#[derive(Default)]
struct Progress {
	/// The chain these notes are about.
	genesis: Option<[u8; 32]>,
	/// The last request nonce answered successfully, and the best block that included it.
	answered: Option<([u8; 32], u32)>,
	/// Do not submit before this block (after a refusal).
	quiet_until: u32,
	/// Refusals in a row (for the backoff); reset by a success.
	refusals: u32,
	/// While the account cannot pay the fee: its free balance then (retry when it changes).
	unfunded: Option<u128>,
	/// When the current request was first seen (block, instant), for the latency log.
	request_seen: Option<([u8; 32], u32, Instant)>,
}

/// One connection to the node: the client, its RPC connection and the driver of its block
/// subscriptions. Dropping it closes all three (the driver would otherwise keep the connection
/// open for as long as the node lives).
struct Connection {
	api: OnlineClient<PolkadotConfig>,
	rpc: subxt::rpcs::RpcClient,
	driver: tokio::task::JoinHandle<()>,
}

impl Drop for Connection {
	fn drop(&mut self) {
		self.driver.abort();
	}
}

impl Connection {
	async fn open(node: &str) -> Result<Self, ChainError> {
		use subxt::ext::futures::StreamExt;
		let rpc = subxt::rpcs::RpcClient::from_insecure_url(node)
			.await
			.map_err(node_err)?;
		let (backend, mut driver) = subxt::backend::CombinedBackend::builder()
			.build(rpc.clone())
			.await
			.map_err(node_err)?;
		let driver = tokio::spawn(async move { while driver.next().await.is_some() {} });
		let api = OnlineClient::<PolkadotConfig>::from_backend(Arc::new(backend))
			.await
			.map_err(node_err);
		match api {
			Ok(api) => Ok(Self { api, rpc, driver }),
			Err(e) => {
				driver.abort();
				Err(e)
			}
		}
	}

	/// Whether the node still answers on this connection.
	async fn alive(&self) -> bool {
		tokio::time::timeout(
			Duration::from_secs(10),
			self.rpc
				.request::<serde_json::Value>("system_health", subxt::rpcs::rpc_params![]),
		)
		.await
		.is_ok_and(|r| r.is_ok())
	}
}

/// Run until the process is stopped: connect, follow finalized blocks, reconnect when the
/// node stops answering.
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
	let connection = Connection::open(node).await?;
	let api = &connection.api;
	let genesis = api.genesis_hash().0;
	check_pallet(api).await?;
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
	let mut blocks = api.stream_best_blocks().await.map_err(node_err)?;
	while let Some(block) = blocks.next().await {
		let block = block.map_err(node_err)?;
		let number = u32::try_from(block.number())
			.map_err(|_| ChainError::State("block number above u32".into()))?;
		let at = block.at().await.map_err(node_err)?;
		// A top-up lands in a later block: act from that one.
		let result = match dev_fund(worker, &connection.rpc, &at).await {
			Ok(false) => step(worker, api, &at, number, progress).await,
			Ok(true) => Ok(()),
			Err(e) => Err(e),
		};
		match result {
			Ok(()) => {}
			// The node still answers: the same connection, the next block.
			Err(ChainError::Node(e)) if connection.alive().await => {
				warn!("chain client: {e}; the node answers: retrying at the next block");
			}
			Err(e) => return Err(e),
		}
	}
	Err(ChainError::StreamEnded)
}

/// One best block: answer a request or register, if needed.
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
	if let Some(was) = progress.unfunded {
		// Waiting for funds: nothing to try until the balance changes.
		if free_balance(at, account).await? == was {
			return Ok(());
		}
		info!("the account's balance changed: trying again");
		progress.unfunded = None;
		progress.quiet_until = number;
	}
	if number < progress.quiet_until {
		if progress.refusals == 0 || !retry_event_in(at).await? {
			return Ok(());
		}
		info!("the chain state behind the refusal changed: trying again");
	}
	if let Some(request) = request {
		match progress.answered {
			// Answered, and this block does not follow the one that included the answer.
			Some((nonce, included)) if nonce == request.nonce && number <= included => {
				return Ok(());
			}
			Some((nonce, included)) if nonce == request.nonce => warn!(
				included,
				number, "the answer left the best chain (re-organisation): answering again"
			),
			_ => {}
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
			Ok(included) => {
				progress.answered = Some((request.nonce, included));
				progress.refusals = 0;
				worker.status.answered();
				info!(
					blocks = number.saturating_sub(seen.0).saturating_add(1),
					ms = seen.1.elapsed().as_millis() as u64,
					"re-attestation accepted"
				);
			}
			Err(refusal) => refused(worker, progress, number, "re-attestation", refusal),
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
		Ok(included) => {
			progress.refusals = 0;
			worker.status.registered();
			info!(block = included, "registered");
			// Blocks that queued while we waited, up to the one that included the
			// registration, still show no record: skip them, or the worker would register
			// again. A later best block without the record means the registration left the
			// best chain, and the worker registers again.
			progress.quiet_until = included.saturating_add(1);
		}
		Err(refusal) => refused(worker, progress, number, "registration", refusal),
	}
	Ok(())
}

/// Records a refusal at block `number`: when to try again, and why (log, `/health`).
fn refused(worker: &Worker, progress: &mut Progress, number: u32, what: &str, refusal: Refusal) {
	let account = subxt::utils::AccountId32(worker.keys.account_id());
	match refusal {
		Refusal::Pool(e) => {
			// Not the chain's verdict: the next block.
			warn!("{what}: refused by the transaction pool ({e}); again at the next block");
			progress.quiet_until = number.saturating_add(1);
		}
		Refusal::Unfunded { fee, deposit, free } => {
			worker.status.failed();
			let need = fee.saturating_add(deposit);
			let deposit_part = if deposit > 0 {
				format!(
					" plus the registration deposit of {deposit} planck ({} UNIT), held while \
					 the worker is registered and returned when it leaves",
					units(deposit)
				)
			} else {
				String::new()
			};
			let reason = format!(
				"account {account} cannot pay the fee of a {what}: it holds {free} planck ({} \
				 UNIT) and needs {need} planck ({} UNIT), the fee of {fee} planck{deposit_part}, \
				 and the existential deposit left over; fund it (on the dev chain, start the \
				 worker with --dev-funder alice). Waiting for its balance to change.",
				units(free),
				units(need)
			);
			if progress.unfunded != Some(free) {
				warn!("{reason}");
			}
			progress.unfunded = Some(free);
			worker.status.set_blocked(Blocked {
				reason,
				retry_at_block: None,
				refusals: progress.refusals,
			});
		}
		Refusal::Chain(_) | Refusal::NoEvidence(_) => {
			worker.status.failed();
			progress.refusals = progress.refusals.saturating_add(1);
			let retry_at = number.saturating_add(retry_wait(progress.refusals));
			progress.quiet_until = retry_at;
			let reason = format!("{what} {refusal}");
			warn!(
				refusals = progress.refusals,
				retry_at, "{reason}; retrying then, or as soon as releases, rules, collateral or the registry change"
			);
			worker.status.set_blocked(Blocked {
				reason,
				retry_at_block: Some(retry_at),
				refusals: progress.refusals,
			});
		}
	}
}

/// An amount in UNIT (12 decimals), for messages.
fn units(planck: u128) -> String {
	const UNIT: u128 = 1_000_000_000_000;
	format!("{}.{:06}", planck / UNIT, (planck % UNIT) / 1_000_000)
}

/// Whether block `at` holds an `Attestation` event after which a refused submission is tried
/// again at once (`RETRY_EVENTS`).
async fn retry_event_in(at: &OnlineClientAtBlock<PolkadotConfig>) -> Result<bool, ChainError> {
	let events = at.events().fetch().await.map_err(node_err)?;
	let mut found = false;
	for event in events.iter().flatten() {
		found |= event.pallet_name() == "Attestation" && RETRY_EVENTS.contains(&event.event_name());
	}
	Ok(found)
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

/// Reads the chain's trust anchors at `at` into `worker.anchors`.
async fn refresh_anchors(
	worker: &Worker,
	at: &OnlineClientAtBlock<PolkadotConfig>,
) -> Result<(), ChainError> {
	let addr = subxt::dynamic::storage::<(), Value>("Attestation", "TrustAnchors");
	let anchors = match at.storage().try_fetch(addr, ()).await.map_err(node_err)? {
		Some(value) => tee_verifier::TrustAnchors::decode(&mut value.bytes())
			.map_err(|e| ChainError::State(format!("Attestation.TrustAnchors: {e}")))?,
		None => tee_verifier::TrustAnchors::default(),
	};
	if let Ok(mut slot) = worker.anchors.write() {
		*slot = Some(anchors);
	}
	Ok(())
}

/// Submit `call(evidence, claims)` and wait until it is in a best block; returns that block's
/// number. The outer error is a connection problem; the inner one why the submission did not
/// go through.
async fn submit(
	worker: &Worker,
	at: &OnlineClientAtBlock<PolkadotConfig>,
	call: &str,
	claims: &Claims,
) -> Result<Result<u32, Refusal>, ChainError> {
	let report_data = claims.report_data();
	if worker.provider.tee() == tee_verifier::Tee::Snp {
		refresh_anchors(worker, at).await?;
	}
	let provider = Arc::clone(&worker.provider);
	// No evidence is like a refusal: retried later, not a reconnection loop.
	let evidence = match tokio::task::spawn_blocking(move || provider.evidence(report_data)).await {
		Ok(Ok(evidence)) => evidence,
		Ok(Err(e)) => return Ok(Err(Refusal::NoEvidence(e.to_string()))),
		Err(e) => return Ok(Err(Refusal::NoEvidence(format!("evidence task: {e}")))),
	};
	let payload = scale_call::build(
		at.metadata_ref(),
		"Attestation",
		call,
		&[evidence.encode(), claims.encode()],
	)
	.map_err(ChainError::State)?;
	let tx = match at
		.transactions()
		.create_signed(&payload, &worker.keys.account, Default::default())
		.await
	{
		Ok(tx) => tx,
		Err(e) => return Err(node_err(e)),
	};
	// The fee is taken before the call runs (and refunded when it succeeds): the account must
	// hold it at the best block, which the transaction pool checks.
	let fee = tx.partial_fee_estimate().await.map_err(node_err)?;
	let (free, held) = balances(at, worker.keys.account_id()).await?;
	// A registration also holds the deposit (less what the account holds already: a worker
	// registering again keeps the one it has), and a hold leaves the existential deposit free.
	let deposit = if call == "register_worker" {
		balance_constant(at, "Attestation", "WorkerDeposit")?.saturating_sub(held)
	} else {
		0
	};
	let keep = if deposit > 0 {
		balance_constant(at, "Balances", "ExistentialDeposit")?
	} else {
		0
	};
	if free < fee.saturating_add(deposit).saturating_add(keep) {
		return Ok(Err(Refusal::Unfunded { fee, deposit, free }));
	}
	let progress = match tx.submit_and_watch().await {
		Ok(p) => p,
		Err(e) => {
			let text = e.to_string();
			return if text.contains("Inability to pay") {
				Ok(Err(Refusal::Unfunded { fee, deposit, free }))
			} else if is_invalid_transaction(&text) || is_nonce_race(&text) {
				Ok(Err(Refusal::Pool(text)))
			} else {
				Err(node_err(text))
			};
		}
	};
	match in_best_block(progress).await {
		Ok(number) => Ok(Ok(number)),
		Err(text) if is_dispatch_error(&text) => Ok(Err(Refusal::Chain(text))),
		Err(text) => Err(node_err(text)),
	}
}

/// Waits until a submitted transaction is in a best block and succeeded there; returns the
/// block's number, or why not (the dispatch error, or what the pool or node said).
async fn in_best_block<C>(
	mut progress: subxt::transactions::TransactionProgress<PolkadotConfig, C>,
) -> Result<u32, String>
where
	C: subxt::client::OnlineClientAtBlockT<PolkadotConfig> + Clone,
{
	use subxt::transactions::TransactionStatus as S;
	while let Some(status) = progress.next().await {
		match status.map_err(|e| e.to_string())? {
			S::InBestBlock(b) | S::InFinalizedBlock(b) => {
				b.wait_for_success().await.map_err(|e| e.to_string())?;
				let at = b.at().await.map_err(|e| e.to_string())?;
				return u32::try_from(at.block_number())
					.map_err(|_| "block number above u32".to_string());
			}
			S::Error { message } | S::Invalid { message } | S::Dropped { message } => {
				return Err(message)
			}
			_ => {}
		}
	}
	Err("the transaction's status stream ended".into())
}

/// Whether a transaction error's text is the runtime refusing the call (a dispatch error of
/// a module), rather than a connection or pool problem.
pub fn is_dispatch_error(text: &str) -> bool {
	text.contains("Attestation") || text.contains("Module") || text.contains("dispatch")
}

fn is_invalid_transaction(text: &str) -> bool {
	text.contains("Invalid Transaction") || text.contains("Inability to pay")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn refusals_back_off_exponentially_up_to_the_cap() {
		let waits: Vec<u32> = (1..=10).map(retry_wait).collect();
		assert_eq!(waits, [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
		assert_eq!(retry_wait(0), RETRY_BLOCKS);
		assert_eq!(retry_wait(u32::MAX), MAX_RETRY_BLOCKS);
	}

	#[test]
	fn nonce_races_and_amounts_are_recognised() {
		assert!(is_nonce_race(
			"Invalid transaction: Priority is too low: (1 vs 1)"
		));
		assert!(is_nonce_race("Transaction is outdated"));
		assert!(!is_nonce_race("Inability to pay some fees"));
		assert_eq!(units(1_500_000_000_000), "1.500000");
		assert_eq!(units(124_000_000), "0.000124");
	}
}
