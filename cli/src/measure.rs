//! `attest measure`: a release's launch measurements computed from the image, so that a
//! release can be checked against its source instead of copied from a first boot.
//!
//! SEV-SNP: the launch MEASUREMENT of a guest booted by OVMF (with its SEV metadata) and,
//! for measured direct boot, a kernel/UKI, initrd and command line (OVMF's kernel-hashes
//! table), for a vCPU count, vCPU type and guest features. The computation is virtee's
//! `sev::measurement` (the Rust port of `sev-snp-measure`); `cli/tests/measure.rs` checks it
//! byte for byte against the independent Python `sev-snp-measure`.

use std::path::{Path, PathBuf};

use sev::{
	measurement::{
		snp::{snp_calc_launch_digest, SnpMeasurementArgs},
		vcpu_types::CpuType,
		vmsa::{GuestFeatures, VMMType},
	},
	parser::Decoder,
};

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

/// GUIDs of OVMF's footer table, as their little-endian bytes.
const FOOTER_TABLE_GUID: [u8; 16] = guid_le(
	0x96b5_82de,
	0x1fb2,
	0x45f7,
	[0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d],
);
const SEV_METADATA_GUID: [u8; 16] = guid_le(
	0xdc88_6566,
	0x984a,
	0x4798,
	[0xa7, 0x5e, 0x55, 0x85, 0xa7, 0xbf, 0x67, 0xcc],
);
/// Largest metadata section accepted (OVMF's are a few pages).
const MAX_SECTION: u32 = 64 * 1024 * 1024;

const fn guid_le(a: u32, b: u16, c: u16, d: [u8; 8]) -> [u8; 16] {
	let a = a.to_le_bytes();
	let b = b.to_le_bytes();
	let c = c.to_le_bytes();
	[
		a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d[0], d[1], d[2], d[3], d[4], d[5], d[6],
		d[7],
	]
}

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
	Some(u16::from_le_bytes(
		b.get(at..at.checked_add(2)?)?.try_into().ok()?,
	))
}

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
	Some(u32::from_le_bytes(
		b.get(at..at.checked_add(4)?)?.try_into().ok()?,
	))
}

/// Check the structures of an OVMF image that the measurement reads (the GUIDed footer table
/// 32 bytes before the end, and the SEV metadata it points to), so that a malformed or
/// foreign file is a clear error. virtee's parser indexes them unchecked and panics on
/// such files; this check refuses every input it would index out of bounds.
pub fn check_ovmf(data: &[u8]) -> Result<(), String> {
	const HEADER: usize = 18; // u16 size + GUID
	let footer_at = data
		.len()
		.checked_sub(32 + HEADER)
		.ok_or("too short for an OVMF footer table")?;
	let footer_size = usize::from(le_u16(data, footer_at).ok_or("no footer")?);
	if data.get(footer_at + 2..footer_at + HEADER) != Some(&FOOTER_TABLE_GUID[..]) {
		return Err(
			"no OVMF footer table GUID 32 bytes before the end (not an OVMF image?)".into(),
		);
	}
	let table_size = footer_size
		.checked_sub(HEADER)
		.ok_or("footer table entry shorter than its header")?;
	let table = data
		.get(
			footer_at
				.checked_sub(table_size)
				.ok_or("footer table larger than the file")?..footer_at,
		)
		.ok_or("footer table out of the file")?;
	let mut offset = table.len();
	let mut metadata_entry = None;
	while offset >= HEADER {
		let size = usize::from(le_u16(table, offset - HEADER).ok_or("footer entry")?);
		if size < HEADER {
			return Err(format!("footer table entry of {size} bytes at {offset}"));
		}
		if offset < size {
			break;
		}
		if table.get(offset - HEADER + 2..offset) == Some(&SEV_METADATA_GUID[..]) {
			metadata_entry = table.get(offset - size..offset - HEADER);
		}
		offset -= size;
	}
	let Some(entry) = metadata_entry else {
		return Err("no SEV metadata in the footer table (not an SEV-capable OVMF)".into());
	};
	let from_end = le_u32(entry, 0).ok_or("SEV metadata entry shorter than 4 bytes")?;
	let start = usize::try_from(from_end)
		.ok()
		.and_then(|o| data.len().checked_sub(o))
		.ok_or("SEV metadata offset outside the file")?;
	if data.get(start..start.saturating_add(4)) != Some(&b"ASEV"[..]) {
		return Err("SEV metadata header signature is not ASEV".into());
	}
	let size = le_u32(data, start + 4).ok_or("SEV metadata header truncated")? as usize;
	let items = le_u32(data, start + 12).ok_or("SEV metadata header truncated")? as usize;
	let end = start
		.checked_add(size)
		.filter(|e| *e <= data.len())
		.ok_or("SEV metadata runs past the end")?;
	let needed = items
		.checked_mul(12)
		.and_then(|n| n.checked_add(16))
		.ok_or("too many SEV sections")?;
	if size < needed || end < start + needed {
		return Err(format!(
			"SEV metadata of {size} bytes cannot hold {items} sections"
		));
	}
	for i in 0..items {
		let at = start + 16 + i * 12;
		let gpa = u64::from(le_u32(data, at).ok_or("section")?);
		let len = le_u32(data, at + 4).ok_or("section")?;
		if len > MAX_SECTION || gpa + u64::from(len) > 1 << 32 {
			return Err(format!(
				"SEV metadata section {i} (gpa {gpa:#x}, {len} bytes) is out of range"
			));
		}
	}
	Ok(())
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
