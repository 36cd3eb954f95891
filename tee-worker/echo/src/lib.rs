//! `tee-echo`: a TCP line echo service whose every response is signed by the service's
//! secp256k1 key.
//!
//! The worker measures this service into its service tree (name, Nix store path, public key),
//! so a signed response proves it came from a service inside an attested image. For each
//! line received the service writes one JSON line:
//!
//! ```json
//! {"response":"<the line>","sha256":"<hex>","signature":"<hex r||s>","public_key":"<hex>"}
//! ```
//!
//! `sha256` is SHA-256 of the UTF-8 bytes of `response`; `signature` is ECDSA over that hash
//! (64 bytes `r || s`, `s` normalised to the lower half, as Noir's `ecdsa_secp256k1` expects);
//! `public_key` is the 33-byte compressed key. A line that is not UTF-8 gets
//! `{"error": ...}` and the connection goes on; a line longer than the limit gets an error and
//! the connection is closed. Connections are bounded by [`MAX_CLIENTS`]; one that sends no
//! complete line for [`IDLE_TIMEOUT`] is closed.

use std::{
	fs,
	io::Write,
	os::unix::fs::{OpenOptionsExt, PermissionsExt},
	path::Path,
	sync::Arc,
};

use k256::ecdsa::{signature::hazmat::PrehashSigner, Signature, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::{
	io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
	net::{TcpListener, TcpStream},
	sync::Semaphore,
};

/// Clients served at once; more wait in the kernel's accept queue.
pub const MAX_CLIENTS: usize = 1024;
/// Default longest line, in bytes (without the newline).
pub const DEFAULT_MAX_LINE: usize = 64 * 1024;
/// A connection that sends no complete line for this long is closed (idle clients cannot
/// hold the [`MAX_CLIENTS`] slots).
pub const IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// Why the key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	/// File I/O failed.
	#[error("{0}: {1}")]
	Io(String, std::io::Error),
	/// The file is readable by others.
	#[error("{0}: mode {1:o} lets others read the key; it must be 0600 (or 0400)")]
	Permissions(String, u32),
	/// The file does not hold a key.
	#[error("{0}: not a secp256k1 secret key (expected 64 hex digits)")]
	Malformed(String),
	/// No randomness.
	#[error("no randomness for a new key: {0}")]
	Random(String),
}

/// Loads the secret key from `path` (64 hex digits), or creates it (mode 0600) if the file
/// does not exist. A file readable by group or others, or that holds no valid key, is an
/// error and is never overwritten.
pub fn load_or_generate_key(path: &Path) -> Result<SigningKey, KeyError> {
	let shown = path.display().to_string();
	match fs::metadata(path) {
		Ok(meta) => {
			let mode = meta.permissions().mode() & 0o777;
			if mode & 0o077 != 0 {
				return Err(KeyError::Permissions(shown, mode));
			}
			let text = fs::read_to_string(path).map_err(|e| KeyError::Io(shown.clone(), e))?;
			let bytes = hex::decode(text.trim()).map_err(|_| KeyError::Malformed(shown.clone()))?;
			SigningKey::from_slice(&bytes).map_err(|_| KeyError::Malformed(shown))
		}
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
			let key = loop {
				let mut seed = [0u8; 32];
				getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
				// Fails only for zero or >= the group order (probability ~2^-128).
				if let Ok(key) = SigningKey::from_slice(&seed) {
					break key;
				}
			};
			let tmp = path.with_extension("tmp");
			// A crash between create and rename leaves the tmp file behind: it never held
			// a key anyone used, so it is removed rather than blocking every restart.
			match fs::remove_file(&tmp) {
				Ok(()) => {}
				Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
				Err(e) => return Err(KeyError::Io(tmp.display().to_string(), e)),
			}
			let mut file = fs::OpenOptions::new()
				.write(true)
				.create_new(true)
				.mode(0o600)
				.open(&tmp)
				.map_err(|e| KeyError::Io(tmp.display().to_string(), e))?;
			file.write_all(hex::encode(key.to_bytes()).as_bytes())
				.and_then(|()| file.sync_all())
				.map_err(|e| KeyError::Io(tmp.display().to_string(), e))?;
			fs::rename(&tmp, path).map_err(|e| KeyError::Io(shown, e))?;
			Ok(key)
		}
		Err(e) => Err(KeyError::Io(shown, e)),
	}
}

/// The 33-byte compressed public key, hex: what the worker's `public-key-file` holds.
pub fn public_key_hex(key: &SigningKey) -> String {
	hex::encode(key.verifying_key().to_encoded_point(true).as_bytes())
}

/// One signed response line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedResponse {
	/// The echoed line.
	pub response: String,
	/// SHA-256 of `response`, hex.
	pub sha256: String,
	/// ECDSA signature `r || s` (low `s`) over the hash, hex.
	pub signature: String,
	/// Compressed public key, hex.
	pub public_key: String,
}

/// Why a response does not verify.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
	/// A field is not valid hex or has the wrong length.
	#[error("field `{0}` is malformed")]
	Malformed(&'static str),
	/// `sha256` is not the hash of `response`.
	#[error("sha256 does not match the response")]
	HashMismatch,
	/// The signature does not verify under the public key.
	#[error("signature does not verify")]
	BadSignature,
	/// The signature's `s` is in the upper half (not accepted by Noir).
	#[error("signature is not normalised (high s)")]
	HighS,
}

/// Signs `response`.
pub fn sign(key: &SigningKey, response: &str) -> Result<SignedResponse, k256::ecdsa::Error> {
	let hash: [u8; 32] = Sha256::digest(response.as_bytes()).into();
	let signature: Signature = key.sign_prehash(&hash)?;
	let signature = signature.normalize_s().unwrap_or(signature);
	Ok(SignedResponse {
		response: response.to_string(),
		sha256: hex::encode(hash),
		signature: hex::encode(signature.to_bytes()),
		public_key: public_key_hex(key),
	})
}

impl SignedResponse {
	/// Checks the hash and the signature (what a client or the prover does first).
	pub fn check(&self) -> Result<(), CheckError> {
		use k256::ecdsa::signature::hazmat::PrehashVerifier;
		let hash: [u8; 32] = Sha256::digest(self.response.as_bytes()).into();
		let claimed = hex::decode(&self.sha256).map_err(|_| CheckError::Malformed("sha256"))?;
		if claimed != hash {
			return Err(CheckError::HashMismatch);
		}
		let key = hex::decode(&self.public_key)
			.ok()
			.and_then(|b| VerifyingKey::from_sec1_bytes(&b).ok())
			.ok_or(CheckError::Malformed("public_key"))?;
		let signature = hex::decode(&self.signature)
			.ok()
			.and_then(|b| Signature::from_slice(&b).ok())
			.ok_or(CheckError::Malformed("signature"))?;
		if signature.normalize_s().is_some() {
			return Err(CheckError::HighS);
		}
		key.verify_prehash(&hash, &signature)
			.map_err(|_| CheckError::BadSignature)
	}
}

/// Serves clients on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, key: Arc<SigningKey>, max_line: usize) {
	let slots = Arc::new(Semaphore::new(MAX_CLIENTS));
	loop {
		let Ok(permit) = Arc::clone(&slots).acquire_owned().await else {
			return;
		};
		let (stream, peer) = match listener.accept().await {
			Ok(accepted) => accepted,
			Err(e) => {
				// Out of descriptors and the like: back off briefly, keep serving.
				tracing::warn!("accept: {e}");
				tokio::time::sleep(std::time::Duration::from_millis(50)).await;
				continue;
			}
		};
		let key = Arc::clone(&key);
		tokio::spawn(async move {
			if let Err(e) = client(stream, &key, max_line).await {
				tracing::debug!(%peer, "client: {e}");
			}
			drop(permit);
		});
	}
}

async fn client(stream: TcpStream, key: &SigningKey, max_line: usize) -> std::io::Result<()> {
	let (read, mut write) = stream.into_split();
	let mut reader = BufReader::new(read);
	let mut line = Vec::new();
	loop {
		line.clear();
		// Read at most one byte more than allowed (plus the newline) to detect an over-long line.
		let limit = u64::try_from(max_line.saturating_add(2)).unwrap_or(u64::MAX);
		let mut limited = (&mut reader).take(limit);
		let read = limited.read_until(b'\n', &mut line);
		let Ok(n) = tokio::time::timeout(IDLE_TIMEOUT, read).await else {
			return Ok(()); // idle: close
		};
		let n = n?;
		if n == 0 {
			return Ok(());
		}
		let ended = line.last() == Some(&b'\n');
		if ended {
			line.pop();
			if line.last() == Some(&b'\r') {
				line.pop();
			}
		}
		if line.len() > max_line {
			let message = format!("line longer than {max_line} bytes; closing");
			write_json(&mut write, &serde_json::json!({ "error": message })).await?;
			return Ok(());
		}
		let reply = match std::str::from_utf8(&line) {
			Ok(text) => match sign(key, text) {
				Ok(signed) => serde_json::to_value(signed).map_err(std::io::Error::other)?,
				Err(e) => serde_json::json!({ "error": format!("signing failed: {e}") }),
			},
			Err(_) => serde_json::json!({ "error": "line is not UTF-8" }),
		};
		write_json(&mut write, &reply).await?;
		if !ended {
			// End of stream without a newline: the last partial line was answered.
			return Ok(());
		}
	}
}

async fn write_json(
	write: &mut tokio::net::tcp::OwnedWriteHalf,
	value: &serde_json::Value,
) -> std::io::Result<()> {
	let mut out = serde_json::to_vec(value).map_err(std::io::Error::other)?;
	out.push(b'\n');
	write.write_all(&out).await
}
