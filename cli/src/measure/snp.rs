//! SEV-SNP: the launch MEASUREMENT of a guest booted by OVMF (with its SEV metadata) and,
//! for measured direct boot, a kernel/UKI, initrd and command line (OVMF's kernel-hashes
//! table), for a vCPU count, vCPU type and guest features. The computation is virtee's
//! `sev::measurement` (the Rust port of `sev-snp-measure`); `cli/tests/measure.rs` checks it
//! byte for byte against the independent Python `sev-snp-measure`.

use std::path::PathBuf;

use sev::{
	measurement::{
		snp::{snp_calc_launch_digest, SnpMeasurementArgs},
		vcpu_types::CpuType,
		vmsa::{GuestFeatures, VMMType},
	},
	parser::Decoder,
};

use super::{existing, ovmf::check_ovmf};
use crate::CliError;

/// Inputs of an SEV-SNP launch measurement.
#[derive(Clone, Debug)]
pub struct SnpInputs {
	/// OVMF firmware image (with SEV metadata; the AmdSev build for measured direct boot).
	pub firmware: PathBuf,
	/// Kernel or UKI for measured direct boot.
	pub kernel: Option<PathBuf>,
	/// Initrd for measured direct boot.
	pub initrd: Option<PathBuf>,
	/// Kernel command line for measured direct boot.
	pub cmdline: Option<String>,
	/// Number of vCPUs (each has its VMSA in the measurement).
	pub vcpus: u32,
	/// vCPU type as `sev-snp-measure` spells it (`EPYC-v4`, `EPYC-Milan`, ...).
	pub vcpu_type: String,
	/// SEV_FEATURES of the guest, as in `sev-snp-measure --guest-features` (`0x1`: SNP).
	pub guest_features: u64,
}

/// Parse a guest-features value the way `sev-snp-measure` takes it: hex with `0x`, or decimal.
pub fn parse_guest_features(s: &str) -> Result<u64, String> {
	match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
		Some(hex) => u64::from_str_radix(hex, 16),
		None => s.parse(),
	}
	.map_err(|e| format!("guest features `{s}`: {e}"))
}

/// The SEV-SNP launch MEASUREMENT (48 bytes) of `inputs`.
pub fn snp(inputs: &SnpInputs) -> Result<[u8; 48], CliError> {
	existing(&inputs.firmware, "--firmware")?;
	let firmware = std::fs::read(&inputs.firmware).map_err(|e| {
		CliError::BadInput(format!("--firmware {}: {e}", inputs.firmware.display()))
	})?;
	check_ovmf(&firmware).map_err(|e| {
		CliError::BadInput(format!("--firmware {}: {e}", inputs.firmware.display()))
	})?;
	for (p, what) in [(&inputs.kernel, "--kernel"), (&inputs.initrd, "--initrd")] {
		if let Some(p) = p {
			existing(p, what)?;
		}
	}
	if inputs.kernel.is_none() && (inputs.initrd.is_some() || inputs.cmdline.is_some()) {
		return Err(CliError::BadInput(
			"--initrd and --cmdline are measured only with --kernel (measured direct boot)".into(),
		));
	}
	if inputs.vcpus == 0 {
		return Err(CliError::BadInput("--vcpus must be at least 1".into()));
	}
	let vcpu_type = CpuType::try_from(inputs.vcpu_type.as_str())
		.map_err(|e| CliError::BadInput(format!("--vcpu-type: {e}")))?;
	let guest_features = GuestFeatures::decode(&mut &inputs.guest_features.to_le_bytes()[..], ())
		.map_err(|e| CliError::BadInput(format!("--guest-features: {e}")))?;
	let digest = snp_calc_launch_digest(SnpMeasurementArgs {
		vcpus: inputs.vcpus,
		vcpu_type,
		ovmf_file: inputs.firmware.clone(),
		guest_features,
		kernel_file: inputs.kernel.clone(),
		initrd_file: inputs.initrd.clone(),
		append: inputs.cmdline.as_deref(),
		ovmf_hash_str: None,
		vmm_type: Some(VMMType::QEMU),
	})
	.map_err(|e| CliError::BadInput(format!("cannot measure: {e}")))?;
	let hex = digest.get_hex_ld();
	hex::decode(&hex)
		.ok()
		.and_then(|b| <[u8; 48]>::try_from(b).ok())
		.ok_or_else(|| CliError::BadInput(format!("unexpected digest `{hex}`")))
}
