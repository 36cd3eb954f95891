//! `attest`: check from chain state alone (or offline, from files) that workers run the
//! released image on genuine, up-to-date hardware.
//!
//! Modules: [`chain`] (reading the pallet's state), [`check`] (off-chain re-verification of
//! what the chain accepted, field by field), [`collateral`] (fetching collateral from Intel and AMD, and what the chain would store), [`watch`] (the collateral keeper), [`eventlog`] (`attest event-log`), [`files`] (evidence, collateral, roots and
//! policy from files), [`live`] (fresh evidence from a worker's API), [`measure`] (launch measurements from an image), [`prove`] (inputs of the
//! service-response circuit).

pub mod chain;
pub mod check;
pub mod collateral;
pub mod eventlog;
pub mod files;
pub mod live;
pub mod measure;
pub mod prove;
pub mod release;
pub mod watch;

/// Exit status: what was asked is verified.
pub const EXIT_OK: u8 = 0;
/// Exit status: verification failed (or something is expired).
pub const EXIT_FAILED: u8 = 1;
/// Exit status: bad input, or the node could not be reached.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit status: the worker (or other object asked for) does not exist.
pub const EXIT_NOT_FOUND: u8 = 3;

/// Why a command could not do what was asked (verification failures are results, not errors).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
	/// Bad arguments or input files.
	#[error("{0}")]
	BadInput(String),
	/// The node could not be reached or answered badly.
	#[error("node: {0}")]
	Unreachable(String),
	/// A collateral source (Intel PCS, a PCCS, AMD KDS) could not be reached or did not
	/// have what was asked (a 404, a rate limit, repeated failures).
	#[error("{0}")]
	Source(String),
	/// What was asked for does not exist.
	#[error("not found: {0}")]
	NotFound(String),
	/// A party contradicts the chain or itself (a service's bad signature, a proof for
	/// another root): a failed check, not bad input.
	#[error("{0}")]
	Failed(String),
}

impl CliError {
	/// The exit status for this error.
	pub fn exit_code(&self) -> u8 {
		match self {
			CliError::BadInput(_) | CliError::Unreachable(_) | CliError::Source(_) => {
				EXIT_BAD_INPUT
			}
			CliError::NotFound(_) => EXIT_NOT_FOUND,
			CliError::Failed(_) => EXIT_FAILED,
		}
	}
}

/// Parses an SS58 address or 32 bytes of hex into an account id.
pub fn parse_account(text: &str) -> Result<[u8; 32], CliError> {
	if let Ok(id) = text.parse::<subxt::utils::AccountId32>() {
		return Ok(id.0);
	}
	let bytes = hex::decode(text.trim_start_matches("0x")).map_err(|_| {
		CliError::BadInput(format!("`{text}` is not an SS58 address or 32-byte hex"))
	})?;
	bytes
		.try_into()
		.map_err(|_| CliError::BadInput(format!("`{text}` is not an SS58 address or 32-byte hex")))
}

/// The SS58 form (generic prefix 42) of an account id.
pub fn ss58(account: [u8; 32]) -> String {
	subxt::utils::AccountId32(account).to_string()
}

/// "in 1h 2m 3s" / "expired 5s ago".
pub fn relative(target: u64, now: u64) -> String {
	fn span(s: u64) -> String {
		let (h, m, s) = (s / 3600, s % 3600 / 60, s % 60);
		match (h, m) {
			(0, 0) => format!("{s}s"),
			(0, _) => format!("{m}m {s}s"),
			_ => format!("{h}h {m}m"),
		}
	}
	if target > now {
		format!("in {}", span(target - now))
	} else {
		format!("expired {} ago", span(now - target))
	}
}
