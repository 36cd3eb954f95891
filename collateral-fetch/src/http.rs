//! A small GET-only HTTP(S) client for collateral sources: every request has a timeout, every
//! body a size limit; connection failures, timeouts, truncated bodies and 5xx answers are
//! retried with exponential backoff; a 429 waits for the server's Retry-After (up to a limit);
//! a 404 fails at once (retrying cannot make an unknown FMSPC known).

use std::time::Duration;

use http_body_util::{BodyExt, Empty, Limited};
use hyper::{body::Bytes, header::HeaderMap, Request, StatusCode};
use hyper_rustls::HttpsConnector;
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};

use crate::FetchError;

/// Limits and retry behaviour.
#[derive(Clone, Debug)]
pub struct HttpConfig {
	/// Timeout of one attempt (connect, headers and body).
	pub timeout: Duration,
	/// Largest body accepted (Intel's PCK CRLs are the largest documents, a few hundred KiB).
	pub max_body: usize,
	/// Retries after the first attempt.
	pub retries: u32,
	/// Backoff before the first retry; doubled for each further one.
	pub backoff: Duration,
	/// The longest Retry-After (429) we wait; a longer one fails the fetch.
	pub max_retry_after: Duration,
}

impl Default for HttpConfig {
	fn default() -> Self {
		Self {
			timeout: Duration::from_secs(20),
			max_body: 4 << 20,
			retries: 3,
			backoff: Duration::from_secs(1),
			max_retry_after: Duration::from_secs(120),
		}
	}
}

/// A response with a success status.
#[derive(Debug)]
pub struct Response {
	/// The URL it came from (for messages).
	pub url: String,
	/// Its headers.
	pub headers: HeaderMap,
	/// Its body.
	pub body: Bytes,
}

impl Response {
	/// A header's value as text.
	pub fn header(&self, name: &str) -> Option<&str> {
		self.headers.get(name).and_then(|v| v.to_str().ok())
	}

	/// A malformed-response error naming this URL.
	pub fn malformed(&self, what: impl Into<String>) -> FetchError {
		FetchError::Malformed {
			url: self.url.clone(),
			what: what.into(),
		}
	}
}

/// The client: plain HTTP always; HTTPS with the system's CA certificates when it has some.
pub struct Http {
	config: HttpConfig,
	plain: Client<HttpConnector, Empty<Bytes>>,
	tls: Result<Client<HttpsConnector<HttpConnector>, Empty<Bytes>>, String>,
}

/// One attempt's outcome: done, or worth retrying (after a wait if the server named one).
enum Attempt {
	Done(Result<Response, FetchError>),
	Retry {
		reason: String,
		wait: Option<Duration>,
	},
}

impl Http {
	/// A client with `config`. Without system CA certificates only `http://` URLs work (an
	/// `https://` fetch then fails saying so).
	pub fn new(config: HttpConfig) -> Self {
		let tls = hyper_rustls::HttpsConnectorBuilder::new()
			.with_native_roots()
			.map(|b| {
				Client::builder(TokioExecutor::new()).build(b.https_only().enable_http1().build())
			})
			.map_err(|e| format!("no system CA certificates ({e}); install ca-certificates"));
		Self {
			config,
			plain: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
			tls,
		}
	}

	/// The configuration.
	pub fn config(&self) -> &HttpConfig {
		&self.config
	}

	/// GET `url`: the response of the first attempt that succeeds, or why none did.
	pub async fn get(&self, url: &str) -> Result<Response, FetchError> {
		let uri: hyper::Uri =
			url.parse()
				.map_err(|e: hyper::http::uri::InvalidUri| FetchError::BadUrl {
					url: url.to_string(),
					reason: e.to_string(),
				})?;
		if !matches!(uri.scheme_str(), Some("http" | "https")) {
			return Err(FetchError::BadUrl {
				url: url.to_string(),
				reason: "the scheme must be http or https".into(),
			});
		}
		let attempts = self.config.retries.saturating_add(1);
		let mut backoff = self.config.backoff;
		let mut last = String::new();
		for attempt in 1..=attempts {
			match self.attempt(url, &uri).await {
				Attempt::Done(result) => return result,
				Attempt::Retry { reason, wait } => {
					tracing::info!(url, attempt, "fetch failed: {reason}");
					last = reason;
					if attempt < attempts {
						tokio::time::sleep(wait.unwrap_or(backoff)).await;
						backoff = backoff.saturating_mul(2);
					}
				}
			}
		}
		Err(FetchError::Unreachable {
			url: url.to_string(),
			reason: last,
			attempts,
		})
	}

	async fn attempt(&self, url: &str, uri: &hyper::Uri) -> Attempt {
		let request = match Request::get(uri.clone()).body(Empty::<Bytes>::new()) {
			Ok(r) => r,
			Err(e) => {
				return Attempt::Done(Err(FetchError::BadUrl {
					url: url.to_string(),
					reason: e.to_string(),
				}))
			}
		};
		let limit = self.config.max_body;
		let exchange = async {
			let response = match uri.scheme_str() {
				Some("https") => match &self.tls {
					Ok(client) => client.request(request).await,
					Err(reason) => return Err(reason.clone()),
				},
				_ => self.plain.request(request).await,
			}
			.map_err(|e| chain_of(&e))?;
			let (parts, body) = response.into_parts();
			if parts.status != StatusCode::OK {
				return Ok((parts, None));
			}
			match Limited::new(body, limit).collect().await {
				Ok(collected) => Ok((parts, Some(Ok(collected.to_bytes())))),
				Err(e)
					if e.downcast_ref::<http_body_util::LengthLimitError>()
						.is_some() =>
				{
					Ok((parts, Some(Err(()))))
				}
				Err(e) => Err(format!("broken response body: {}", chain_of(&*e))),
			}
		};
		let (parts, body) = match tokio::time::timeout(self.config.timeout, exchange).await {
			Err(_) => {
				return Attempt::Retry {
					reason: format!("no complete answer within {:?}", self.config.timeout),
					wait: None,
				}
			}
			Ok(Err(reason)) => return Attempt::Retry { reason, wait: None },
			Ok(Ok(x)) => x,
		};
		let status = parts.status;
		match (status, body) {
			(StatusCode::OK, Some(Ok(body))) => Attempt::Done(Ok(Response {
				url: url.to_string(),
				headers: parts.headers,
				body,
			})),
			(StatusCode::OK, _) => Attempt::Done(Err(FetchError::TooLarge {
				url: url.to_string(),
				limit,
			})),
			(StatusCode::NOT_FOUND, _) => Attempt::Done(Err(FetchError::NotFound {
				url: url.to_string(),
				hint: String::new(),
			})),
			(StatusCode::TOO_MANY_REQUESTS, _) => {
				let retry_after = parts
					.headers
					.get(hyper::header::RETRY_AFTER)
					.and_then(|v| v.to_str().ok())
					.and_then(|v| v.trim().parse::<u64>().ok());
				let max_wait = self.config.max_retry_after.as_secs();
				match retry_after {
					Some(secs) if secs > max_wait => Attempt::Done(Err(FetchError::RateLimited {
						url: url.to_string(),
						retry_after: secs,
						max_wait,
					})),
					_ => Attempt::Retry {
						reason: format!("429 rate-limited (Retry-After {retry_after:?} s)"),
						wait: retry_after.map(Duration::from_secs),
					},
				}
			}
			(s, _) if s.is_server_error() => Attempt::Retry {
				reason: format!("HTTP {}", s.as_u16()),
				wait: None,
			},
			(s, _) => Attempt::Done(Err(FetchError::Status {
				url: url.to_string(),
				status: s.as_u16(),
			})),
		}
	}
}

/// An error with its causes (hyper's top-level message alone is often just "error").
fn chain_of(e: &(dyn std::error::Error + 'static)) -> String {
	let mut text = e.to_string();
	let mut source = e.source();
	while let Some(s) = source {
		text.push_str(": ");
		text.push_str(&s.to_string());
		source = s.source();
	}
	text
}
