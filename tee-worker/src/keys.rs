//! The worker's keys: an sr25519 account key (signs its transactions) and an x25519 key (bound
//! into its evidence, for encrypted requests to it). Generated on first start, persisted in the
//! data directory (`account.key`, `x25519.key`: 32-byte secrets in hex, mode 0600, the
//! directory 0700), and never logged. A key file that exists but cannot be read, is malformed
//! or readable by others is an error: the worker never silently replaces its identity.

use std::{
	fs,
	io::Write,
	os::unix::fs::{OpenOptionsExt, PermissionsExt},
	path::{Path, PathBuf},
};

use subxt_signer::sr25519::Keypair;

/// Why the keys could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	/// The data directory or a key file could not be read or written.
	#[error("{path}: {source}")]
	Io {
		/// The file or directory.
		path: PathBuf,
		/// What failed.
		source: std::io::Error,
	},
	/// A key file does not hold 32 bytes of hex.
	#[error("{0}: not a 32-byte hex secret")]
	Malformed(PathBuf),
	/// A key file is readable or writable by group or others.
	#[error("{0}: permissions {1:o} allow others to read it; expected 600")]
	Permissions(PathBuf, u32),
	/// The operating system's random source failed.
	#[error("no randomness for a new key: {0}")]
	Random(getrandom::Error),
	/// The sr25519 secret is not usable.
	#[error("{0}: invalid sr25519 secret")]
	Sr25519(PathBuf),
}

/// The worker's keys.
pub struct WorkerKeys {
	/// The account key (signs transactions; the chain's worker id).
	pub account: Keypair,
	/// The x25519 secret.
	x25519: x25519_dalek::StaticSecret,
}

impl std::fmt::Debug for WorkerKeys {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("WorkerKeys")
			.field("account", &hex::encode(self.account_id()))
			.field("x25519", &hex::encode(self.x25519_public()))
			.finish()
	}
}

impl WorkerKeys {
	/// Load the keys from `dir`, generating any that do not exist yet.
	pub fn load_or_generate(dir: &Path) -> Result<Self, KeyError> {
		let io = |path: &Path| {
			let path = path.to_path_buf();
			move |source| KeyError::Io { path, source }
		};
		fs::create_dir_all(dir).map_err(io(dir))?;
		fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
		let account_path = dir.join("account.key");
		let account_secret = secret(&account_path)?;
		let account = Keypair::from_secret_key(account_secret)
			.map_err(|_| KeyError::Sr25519(account_path.clone()))?;
		let x25519 = x25519_dalek::StaticSecret::from(secret(&dir.join("x25519.key"))?);
		Ok(Self { account, x25519 })
	}

	/// The account id (sr25519 public key).
	pub fn account_id(&self) -> [u8; 32] {
		self.account.public_key().0
	}

	/// The x25519 public key bound into the evidence.
	pub fn x25519_public(&self) -> [u8; 32] {
		x25519_dalek::PublicKey::from(&self.x25519).to_bytes()
	}
}

/// Read a secret from `path`, or create it when the file does not exist.
fn secret(path: &Path) -> Result<[u8; 32], KeyError> {
	let io = |source| KeyError::Io {
		path: path.to_path_buf(),
		source,
	};
	match fs::metadata(path) {
		Ok(meta) => {
			let mode = meta.permissions().mode() & 0o777;
			if mode & 0o077 != 0 {
				return Err(KeyError::Permissions(path.to_path_buf(), mode));
			}
			let text = fs::read_to_string(path).map_err(io)?;
			hex::decode(text.trim())
				.ok()
				.and_then(|b| <[u8; 32]>::try_from(b).ok())
				.ok_or_else(|| KeyError::Malformed(path.to_path_buf()))
		}
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
			let mut key = [0u8; 32];
			getrandom::fill(&mut key).map_err(KeyError::Random)?;
			// Written to a temporary file (0600 from creation) and renamed, so a crash never
			// leaves a partial key behind.
			let tmp = path.with_extension("key.tmp");
			let mut f = fs::OpenOptions::new()
				.write(true)
				.create(true)
				.truncate(true)
				.mode(0o600)
				.open(&tmp)
				.map_err(io)?;
			f.write_all(hex::encode(key).as_bytes()).map_err(io)?;
			f.sync_all().map_err(io)?;
			fs::rename(&tmp, path).map_err(io)?;
			Ok(key)
		}
		Err(e) => Err(io(e)),
	}
}
