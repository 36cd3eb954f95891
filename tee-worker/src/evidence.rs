//! Providers of hardware evidence, behind one trait.
//!
//! This version has the mock provider only (mock-tee evidence for the dev chain). The hardware
//! providers (configfs-tsm, /dev/tdx_guest, /dev/sev-guest) are not written yet: choosing
//! them is a clear error rather than a silent fallback to mock evidence.

use std::path::Path;

use tee_verifier::{Evidence, Tee};

use crate::config::{Config, MockTee, TeeKind};

/// Why evidence could not be obtained.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
	/// The requested provider is not available in this build.
	#[error(
		"evidence provider `{0}` is not available in this build; on the dev chain use --tee mock"
	)]
	Unavailable(&'static str),
	/// The mock provider failed to mint evidence.
	#[error("mock-tee: {0}")]
	Mock(String),
	/// The running system's store path could not be read.
	#[error("{path}: {message}")]
	System {
		/// The symlink that was read.
		path: String,
		/// What failed.
		message: String,
	},
}

/// A source of hardware evidence.
pub trait EvidenceProvider: Send + Sync {
	/// The TEE the evidence comes from.
	fn tee(&self) -> Tee;
	/// A short name for logs.
	fn name(&self) -> &'static str;
	/// Evidence whose REPORT_DATA is `report_data`.
	fn evidence(&self, report_data: [u8; 64]) -> Result<Evidence, EvidenceError>;
}

/// mock-tee evidence with the dev image's measurements, signed by the public dev roots.
pub struct MockProvider {
	roots: mock_tee::DevRoots,
	tee: Tee,
}

impl MockProvider {
	/// A mock provider minting `tee` evidence.
	pub fn new(tee: Tee) -> Result<Self, EvidenceError> {
		let roots = mock_tee::DevRoots::dev().map_err(|e| EvidenceError::Mock(e.to_string()))?;
		Ok(Self { roots, tee })
	}
}

impl EvidenceProvider for MockProvider {
	fn tee(&self) -> Tee {
		self.tee
	}
	fn name(&self) -> &'static str {
		"mock"
	}
	fn evidence(&self, report_data: [u8; 64]) -> Result<Evidence, EvidenceError> {
		self.roots
			.mint_dev_image_evidence(self.tee, report_data)
			.map_err(|e| EvidenceError::Mock(e.to_string()))
	}
}

/// The provider `config` asks for.
pub fn select(config: &Config) -> Result<Box<dyn EvidenceProvider>, EvidenceError> {
	match config.tee {
		TeeKind::Mock => {
			let tee = match config.mock_tee {
				MockTee::Tdx => Tee::Tdx,
				MockTee::Snp => Tee::Snp,
			};
			tracing::warn!(
				"--tee mock: evidence is signed by the PUBLIC mock-tee dev roots; only a dev \
				 chain accepts it, and it proves nothing about this machine"
			);
			Ok(Box::new(MockProvider::new(tee)?))
		}
		TeeKind::Auto => Err(EvidenceError::Unavailable("auto")),
		TeeKind::Tdx => Err(EvidenceError::Unavailable("tdx")),
		TeeKind::Snp => Err(EvidenceError::Unavailable("snp")),
	}
}

/// The `system_hash` of the running system: SHA-256 of the store path `path` points to. With
/// the mock provider on a machine that is not NixOS, the dev image's system path.
pub fn system_hash(path: &Path, mock: bool) -> Result<[u8; 32], EvidenceError> {
	match std::fs::read_link(path) {
		Ok(target) => Ok(tee_verifier::system_hash(
			target.as_os_str().as_encoded_bytes(),
		)),
		Err(e) if mock && e.kind() == std::io::ErrorKind::NotFound => {
			tracing::warn!(
				"{} does not exist: reporting the dev image's system path {}",
				path.display(),
				mock_tee::dev_image::SYSTEM_PATH
			);
			Ok(mock_tee::dev_image::system_hash())
		}
		Err(e) => Err(EvidenceError::System {
			path: path.display().to_string(),
			message: e.to_string(),
		}),
	}
}
