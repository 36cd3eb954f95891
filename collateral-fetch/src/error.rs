//! What can go wrong fetching collateral, named so that an operator knows what to do.

/// A failed fetch or a refused document.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
	/// The URL is not `http://` or `https://`, or cannot be parsed.
	#[error("{url}: not an http:// or https:// URL ({reason})")]
	BadUrl {
		/// The URL.
		url: String,
		/// Why.
		reason: String,
	},
	/// The server has no such document (an unknown FMSPC, product or chip).
	#[error("{url}: 404 not found{hint}")]
	NotFound {
		/// The URL.
		url: String,
		/// What the 404 usually means here.
		hint: String,
	},
	/// The server rate-limited us longer than we are willing to wait.
	#[error(
		"{url}: 429 rate-limited (Retry-After {retry_after} s exceeds the {max_wait} s we wait)"
	)]
	RateLimited {
		/// The URL.
		url: String,
		/// The server's Retry-After, in seconds.
		retry_after: u64,
		/// The longest wait we accept.
		max_wait: u64,
	},
	/// Another HTTP status.
	#[error("{url}: HTTP {status}")]
	Status {
		/// The URL.
		url: String,
		/// The status code.
		status: u16,
	},
	/// No connection, a timeout or a broken (truncated) response, after every retry.
	#[error("{url}: {reason} (after {attempts} attempts)")]
	Unreachable {
		/// The URL.
		url: String,
		/// The last failure.
		reason: String,
		/// How many attempts were made.
		attempts: u32,
	},
	/// The body is larger than the limit.
	#[error("{url}: response larger than {limit} bytes")]
	TooLarge {
		/// The URL.
		url: String,
		/// The limit.
		limit: usize,
	},
	/// A response that is not what the API defines (missing header, bad JSON, bad hex, ...).
	#[error("{url}: {what}")]
	Malformed {
		/// The URL.
		url: String,
		/// What is wrong.
		what: String,
	},
	/// The document was fetched but does not verify against the trusted roots (a bad
	/// signature, a stale or expired CRL, a chain that is not the roots'): never used.
	#[error("{what} does not verify: {reason}")]
	Rejected {
		/// Which document.
		what: String,
		/// The verifier's reason.
		reason: String,
	},
}
