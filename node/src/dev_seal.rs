//! Block production on the development chain.
//!
//! The dev chain has no validators to take turns: the node seals blocks itself through
//! manual seal. It seals exactly one block at the start of every Aura slot (3 s), with the
//! wall-clock timestamp and an Aura pre-digest for that slot, and finalizes it at once. So:
//! - a transaction is included in the next slot's block (within one slot);
//! - time advances steadily even when nothing happens (hooks such as re-attestation run);
//! - the runtime checks stay as strict as on the Aura chain (one block per slot, slot from
//!   the timestamp, `MinimumPeriod` between blocks).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::{
	channel::{mpsc, oneshot},
	SinkExt,
};
use polkadot_sdk::sc_consensus_manual_seal::EngineCommand;

const LOG_TARGET: &str = "dev-seal";

/// How far past a slot boundary the block is sealed, so its timestamp falls in the new slot.
const MARGIN: Duration = Duration::from_millis(50);

/// Asks the manual-seal engine for one finalized block per slot, forever (until the engine
/// stops, i.e. the node shuts down). Failures to seal are logged and the next slot is tried.
pub async fn seal_every_slot<Hash: Send + 'static>(
	mut engine: mpsc::Sender<EngineCommand<Hash>>,
	slot: Duration,
) {
	loop {
		futures_timer::Delay::new(until_next_slot(SystemTime::now(), slot)).await;
		let (reply, result) = oneshot::channel();
		let command = EngineCommand::SealNewBlock {
			create_empty: true,
			finalize: true,
			parent_hash: None,
			sender: Some(reply),
		};
		if engine.send(command).await.is_err() {
			return;
		}
		match result.await {
			Ok(Ok(_)) => {}
			Ok(Err(err)) => log::warn!(target: LOG_TARGET, "could not seal a block: {err}"),
			Err(_) => return,
		}
	}
}

/// Time from `now` until just after the start of the next slot.
pub fn until_next_slot(now: SystemTime, slot: Duration) -> Duration {
	let slot_ms = slot.as_millis().max(1);
	let now_ms = now
		.duration_since(UNIX_EPOCH)
		.unwrap_or_default()
		.as_millis();
	let left_ms = slot_ms.saturating_sub(now_ms % slot_ms);
	Duration::from_millis(u64::try_from(left_ms).unwrap_or(u64::MAX)).saturating_add(MARGIN)
}
