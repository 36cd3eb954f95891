//! The worker's keys: an sr25519 account key (signs its transactions) and an x25519 key (bound
//! into its evidence, for encrypted requests to it). Generated on first start and never
//! logged. Stored in the data directory (0700) in one of two ways:
//!
//! - sealed to the TPM ([`crate::tpm`]): `keys.sealed`, both secrets in one object the TPM
//!   releases only while the configured PCRs are unchanged;
//! - plain: `account.key`, `x25519.key` (32-byte secrets in hex, mode 0600).
//!
//! Whatever is on disk decides: sealed keys need the TPM and unchanged PCRs, and are never
//! replaced. A key file that exists but cannot be read, unsealed or parsed, or is readable by
//! others, is an error: the worker never silently replaces its identity. [`TpmMode`] chooses
//! how a *new* identity is stored and whether plain keys are acceptable.

use std::{
	fs,
	io::Write,
	os::unix::fs::{OpenOptionsExt, PermissionsExt},
	path::{Path, PathBuf},
};

use subxt_signer::sr25519::Keypair;
use zeroize::Zeroizing;

use crate::{
	config::TpmMode,
	tpm::{PcrSet, SealedBlob, Tpm, TpmError},
};

/// File name of the TPM-sealed keys in the data directory.
pub const SEALED_FILE: &str = "keys.sealed";
/// File names of the plain keys in the data directory.
pub const PLAIN_FILES: [&str; 2] = ["account.key", "x25519.key"];

/// A 32-byte secret, wiped from memory when dropped.
type Secret32 = Zeroizing<[u8; 32]>;

/// How the keys are kept at rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyProtection {
	/// Whether the TPM is used.
	pub tpm: TpmMode,
	/// How to reach the TPM (TSS2 TCTI string).
	pub tcti: String,
	/// The PCRs new keys are sealed to.
	pub pcrs: PcrSet,
}

impl KeyProtection {
	/// Plain key files only (`tpm = off`): for the dev chain and tests.
	pub fn plain() -> Self {
		Self {
			tpm: TpmMode::Off,
			tcti: crate::tpm::DEFAULT_TCTI.into(),
			pcrs: PcrSet::default(),
		}
	}
}

/// Where the loaded keys are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyStorage {
	/// Plain files (0600).
	Plain,
	/// Sealed to the TPM under these PCRs.
	TpmSealed(PcrSet),
}

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
	/// Sealed keys exist but cannot be unsealed; the worker refuses to start rather than
	/// create a new identity.
	#[error(
		"{path}: {source}. Refusing to start with keys that cannot be unsealed; the worker never replaces its identity by itself (to start over with a new one, move {path} away)"
	)]
	Unseal {
		/// The sealed file.
		path: PathBuf,
		/// Why.
		source: TpmError,
	},
	/// The TPM could not seal new keys (`tpm = required`, or it failed after being found).
	#[error("sealing new keys to the TPM: {0}")]
	Seal(TpmError),
	/// `tpm = required` but no TPM answers.
	#[error("tpm = required, but {0}")]
	NoTpm(TpmError),
	/// What is on disk contradicts the configuration or itself.
	#[error("{0}")]
	Conflict(String),
	/// The sealed file is not valid JSON of the expected shape.
	#[error("{0}: not a sealed-keys file: {1}")]
	SealedFile(PathBuf, String),
}

/// The worker's keys.
pub struct WorkerKeys {
	/// The account key (signs transactions; the chain's worker id).
	pub account: Keypair,
	/// The x25519 secret.
	x25519: x25519_dalek::StaticSecret,
	/// Where they are kept.
	storage: KeyStorage,
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
	/// Plain key files in `dir`, generated when absent (`tpm = off`; see [`Self::load`]).
	pub fn load_or_generate(dir: &Path) -> Result<Self, KeyError> {
		Self::load(dir, &KeyProtection::plain())
	}

	/// Loads the keys from `dir` as [`KeyProtection`] allows, generating a new identity when
	/// there is none (sealed when a TPM is used, else plain files).
	pub fn load(dir: &Path, protection: &KeyProtection) -> Result<Self, KeyError> {
		fs::create_dir_all(dir).map_err(io(dir))?;
		fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
		let sealed_path = dir.join(SEALED_FILE);
		let sealed_exists = exists(&sealed_path)?;
		let plain: Vec<PathBuf> = PLAIN_FILES
			.iter()
			.map(|f| dir.join(f))
			.filter_map(|p| match exists(&p) {
				Ok(true) => Some(Ok(p)),
				Ok(false) => None,
				Err(e) => Some(Err(e)),
			})
			.collect::<Result<_, _>>()?;
		if sealed_exists && !plain.is_empty() {
			return Err(KeyError::Conflict(format!(
				"{} and plain key files ({}) both exist: which identity is meant is unclear; remove one",
				sealed_path.display(),
				display_paths(&plain)
			)));
		}
		if sealed_exists {
			if protection.tpm == TpmMode::Off {
				return Err(KeyError::Conflict(format!(
					"{} holds TPM-sealed keys, but tpm = off",
					sealed_path.display()
				)));
			}
			return Self::unseal(&sealed_path, protection);
		}
		if !plain.is_empty() {
			if protection.tpm == TpmMode::Auto && Tpm::open(&protection.tcti).is_ok() {
				tracing::warn!(
					"a TPM is present, but the keys are plain files created without it; to seal a new identity instead, stop the worker and move them away"
				);
			}
			if protection.tpm == TpmMode::Required {
				return Err(KeyError::Conflict(format!(
					"tpm = required, but the keys are plain files ({}); they were not created with a TPM. Move them away to start over with a new, sealed identity",
					display_paths(&plain)
				)));
			}
			return Self::from_secrets(
				plain_secret(&dir.join(PLAIN_FILES[0]))?,
				plain_secret(&dir.join(PLAIN_FILES[1]))?,
				&dir.join(PLAIN_FILES[0]),
				KeyStorage::Plain,
			);
		}
		// A new identity.
		let tpm = match protection.tpm {
			TpmMode::Off => None,
			TpmMode::Required => Some(Tpm::open(&protection.tcti).map_err(KeyError::NoTpm)?),
			TpmMode::Auto => match Tpm::open(&protection.tcti) {
				Ok(tpm) => Some(tpm),
				Err(e) => {
					tracing::info!("{e}; keys are stored as plain files");
					None
				}
			},
		};
		match tpm {
			Some(mut tpm) => Self::generate_sealed(&mut tpm, &sealed_path, &protection.pcrs),
			None => Self::from_secrets(
				plain_secret(&dir.join(PLAIN_FILES[0]))?,
				plain_secret(&dir.join(PLAIN_FILES[1]))?,
				&dir.join(PLAIN_FILES[0]),
				KeyStorage::Plain,
			),
		}
	}

	fn unseal(path: &Path, protection: &KeyProtection) -> Result<Self, KeyError> {
		let text = fs::read_to_string(path).map_err(io(path))?;
		let blob: SealedBlob = serde_json::from_str(&text)
			.map_err(|e| KeyError::SealedFile(path.to_path_buf(), e.to_string()))?;
		let unseal_error = |source| KeyError::Unseal {
			path: path.to_path_buf(),
			source,
		};
		let mut tpm = Tpm::open(&protection.tcti).map_err(unseal_error)?;
		let secret = tpm.unseal(&blob).map_err(unseal_error)?;
		let (account, x25519) = split_secret(&secret).ok_or_else(|| {
			KeyError::SealedFile(
				path.to_path_buf(),
				"the sealed secret is not 64 bytes".into(),
			)
		})?;
		Self::from_secrets(account, x25519, path, KeyStorage::TpmSealed(blob.pcrs))
	}

	fn generate_sealed(tpm: &mut Tpm, path: &Path, pcrs: &PcrSet) -> Result<Self, KeyError> {
		let mut secret = Zeroizing::new([0u8; 64]);
		getrandom::fill(secret.as_mut_slice()).map_err(KeyError::Random)?;
		let blob = tpm.seal(secret.as_slice(), pcrs).map_err(KeyError::Seal)?;
		// Unsealed once before it is kept: a blob this TPM cannot open is never written.
		let check = tpm.unseal(&blob).map_err(KeyError::Seal)?;
		if check.as_slice() != secret.as_slice() {
			return Err(KeyError::Seal(TpmError::Format(
				"the TPM unsealed something else than it sealed".into(),
			)));
		}
		let json = serde_json::to_string_pretty(&blob)
			.map_err(|e| KeyError::SealedFile(path.to_path_buf(), e.to_string()))?;
		write_new(path, json.as_bytes())?;
		let (account, x25519) = split_secret(secret.as_slice()).ok_or_else(|| {
			KeyError::SealedFile(
				path.to_path_buf(),
				"the sealed secret is not 64 bytes".into(),
			)
		})?;
		Self::from_secrets(account, x25519, path, KeyStorage::TpmSealed(pcrs.clone()))
	}

	fn from_secrets(
		account: Secret32,
		x25519: Secret32,
		account_path: &Path,
		storage: KeyStorage,
	) -> Result<Self, KeyError> {
		let account = Keypair::from_secret_key(*account)
			.map_err(|_| KeyError::Sr25519(account_path.to_path_buf()))?;
		Ok(Self {
			account,
			x25519: x25519_dalek::StaticSecret::from(*x25519),
			storage,
		})
	}

	/// Where the keys are kept (for the start-up log).
	pub fn storage(&self) -> &KeyStorage {
		&self.storage
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

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + use<> {
	let path = path.to_path_buf();
	move |source| KeyError::Io { path, source }
}

fn exists(path: &Path) -> Result<bool, KeyError> {
	match fs::symlink_metadata(path) {
		Ok(_) => Ok(true),
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
		Err(e) => Err(io(path)(e)),
	}
}

fn display_paths(paths: &[PathBuf]) -> String {
	paths
		.iter()
		.map(|p| p.display().to_string())
		.collect::<Vec<_>>()
		.join(", ")
}

/// The account and x25519 halves of a 64-byte sealed secret.
fn split_secret(secret: &[u8]) -> Option<(Secret32, Secret32)> {
	let account = Zeroizing::new(<[u8; 32]>::try_from(secret.get(..32)?).ok()?);
	let x25519 = Zeroizing::new(<[u8; 32]>::try_from(secret.get(32..)?).ok()?);
	Some((account, x25519))
}

/// Writes a new file with mode 0600 through a temporary file and a rename, so a crash never
/// leaves a partial key behind.
fn write_new(path: &Path, contents: &[u8]) -> Result<(), KeyError> {
	let tmp = path.with_extension("tmp");
	let mut f = fs::OpenOptions::new()
		.write(true)
		.create(true)
		.truncate(true)
		.mode(0o600)
		.open(&tmp)
		.map_err(io(&tmp))?;
	f.write_all(contents).map_err(io(&tmp))?;
	f.sync_all().map_err(io(&tmp))?;
	fs::rename(&tmp, path).map_err(io(path))
}

/// Read a plain secret from `path`, or create it when the file does not exist.
fn plain_secret(path: &Path) -> Result<Secret32, KeyError> {
	match fs::metadata(path) {
		Ok(meta) => {
			let mode = meta.permissions().mode() & 0o777;
			if mode & 0o077 != 0 {
				return Err(KeyError::Permissions(path.to_path_buf(), mode));
			}
			let text = Zeroizing::new(fs::read_to_string(path).map_err(io(path))?);
			hex::decode(text.trim())
				.ok()
				.and_then(|b| <[u8; 32]>::try_from(b).ok())
				.map(Zeroizing::new)
				.ok_or_else(|| KeyError::Malformed(path.to_path_buf()))
		}
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
			let mut key = Zeroizing::new([0u8; 32]);
			getrandom::fill(key.as_mut_slice()).map_err(KeyError::Random)?;
			write_new(path, hex::encode(*key).as_bytes())?;
			Ok(key)
		}
		Err(e) => Err(io(path)(e)),
	}
}
