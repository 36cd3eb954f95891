//! `attest measure`: a release's launch measurements computed from the image, so that a
//! release can be checked against its source instead of copied from a first boot.
//!
//! [`snp`]: the SEV-SNP launch MEASUREMENT. [`tdx`]: MRTD, and RTMR1/RTMR2 of a direct boot.
//! [`ovmf`]: the firmware structures both read.

use std::path::Path;

pub mod ovmf;
pub mod snp;
pub mod tdx;

pub use snp::{parse_guest_features, snp, SnpInputs};

use crate::CliError;

/// `Ok` when `path` exists, else a clear error naming the flag it came from.
fn existing(path: &Path, what: &str) -> Result<(), CliError> {
	if path.exists() {
		Ok(())
	} else {
		Err(CliError::BadInput(format!(
			"{what} {}: no such file",
			path.display()
		)))
	}
}
