//! The one error type of this crate.

/// Why minting failed.
///
/// Minting only fails on inputs that cannot be encoded (a field too long for its slot, a time
/// outside the X.509 range) or on a failure inside a cryptographic library; never on purpose.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
	/// DER encoding of a certificate, CRL or extension failed (the message says which part).
	#[error("DER encoding of {what} failed: {source}")]
	Der {
		/// What was being encoded.
		what: &'static str,
		/// The encoder's error.
		source: der::Error,
	},
	/// The X.509 certificate or CRL builder refused its input.
	#[error("building {what} failed: {detail}")]
	Builder {
		/// What was being built.
		what: &'static str,
		/// The builder's error, as text (its type is not `Send + Sync` in every version).
		detail: String,
	},
	/// An ECDSA or RSA key could not be derived or generated.
	#[error("key derivation for {what} failed: {detail}")]
	Key {
		/// Which key.
		what: &'static str,
		/// The library's error, as text.
		detail: String,
	},
	/// Signing failed inside the signature library.
	#[error("signing {what} failed: {detail}")]
	Sign {
		/// What was being signed.
		what: &'static str,
		/// The library's error, as text.
		detail: String,
	},
	/// A Unix time cannot be represented (X.509 needs years 1950..=9999; JSON dates the same).
	#[error("time {0} (Unix seconds) cannot be represented")]
	Time(u64),
	/// An input is outside what the format can carry (for example a quote version other than
	/// 4 or 5, or an SNP report version other than 2, 3 or 5).
	#[error("unsupported input: {0}")]
	Unsupported(String),
	/// A length does not fit the field that carries it in the binary format.
	#[error("{what} is {len} bytes, more than its length field allows")]
	TooLong {
		/// The field.
		what: &'static str,
		/// Its actual length.
		len: usize,
	},
	/// Conversion into a `tee-verifier` type failed (a bound was exceeded).
	#[error("conversion to tee-verifier's {what} failed: {detail}")]
	Verifier {
		/// Which type.
		what: &'static str,
		/// Why.
		detail: String,
	},
}

/// Result with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

impl Error {
	pub(crate) fn der(what: &'static str) -> impl FnOnce(der::Error) -> Error {
		move |source| Error::Der { what, source }
	}

	pub(crate) fn builder<E: core::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> Error {
		move |e| Error::Builder {
			what,
			detail: e.to_string(),
		}
	}

	pub(crate) fn key<E: core::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> Error {
		move |e| Error::Key {
			what,
			detail: e.to_string(),
		}
	}

	pub(crate) fn sign<E: core::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> Error {
		move |e| Error::Sign {
			what,
			detail: e.to_string(),
		}
	}
}
