//! Layout of the SEV-SNP ATTESTATION_REPORT (AMD SEV-SNP firmware ABI, table "ATTESTATION_REPORT
//! Structure"): 1184 bytes, little-endian integers, signature over bytes `0..0x2A0`.

use crate::error::SnpError;
use crate::evidence::SNP_REPORT_LEN;

/// End of the signed region and start of the signature.
pub(crate) const SIGNED_LEN: usize = 0x2a0;
/// Each signature component is a 72-byte little-endian field; P-384 scalars use 48 of them.
const SIG_COMPONENT_LEN: usize = 72;

/// Field offsets.
mod off {
	pub const VERSION: usize = 0x00;
	pub const GUEST_SVN: usize = 0x04;
	pub const POLICY: usize = 0x08;
	pub const FAMILY_ID: usize = 0x10;
	pub const IMAGE_ID: usize = 0x20;
	pub const VMPL: usize = 0x30;
	pub const SIGNATURE_ALGO: usize = 0x34;
	pub const CURRENT_TCB: usize = 0x38;
	pub const PLATFORM_INFO: usize = 0x40;
	pub const FLAGS: usize = 0x48;
	pub const REPORT_DATA: usize = 0x50;
	pub const MEASUREMENT: usize = 0x90;
	pub const HOST_DATA: usize = 0xc0;
	pub const ID_KEY_DIGEST: usize = 0xe0;
	pub const AUTHOR_KEY_DIGEST: usize = 0x110;
	pub const REPORT_ID: usize = 0x140;
	pub const REPORT_ID_MA: usize = 0x160;
	pub const REPORTED_TCB: usize = 0x180;
	pub const CPUID: usize = 0x188;
	pub const CHIP_ID: usize = 0x1a0;
	pub const COMMITTED_TCB: usize = 0x1e0;
	pub const CURRENT_VERSION: usize = 0x1e8;
	pub const COMMITTED_VERSION: usize = 0x1ec;
	pub const LAUNCH_TCB: usize = 0x1f0;
	pub const LAUNCH_MIT_VECTOR: usize = 0x1f8;
	pub const CURRENT_MIT_VECTOR: usize = 0x200;
	pub const SIGNATURE: usize = 0x2a0;
}

/// The report's fields, copied out of the raw bytes.
#[derive(Clone, Debug)]
pub(crate) struct Report {
	pub version: u32,
	pub guest_svn: u32,
	pub policy: u64,
	pub family_id: [u8; 16],
	pub image_id: [u8; 16],
	pub vmpl: u32,
	pub signature_algo: u32,
	pub current_tcb: u64,
	pub platform_info: u64,
	/// Bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 4:2 SIGNING_KEY.
	pub flags: u32,
	pub report_data: [u8; 64],
	pub measurement: [u8; 48],
	pub host_data: [u8; 32],
	pub id_key_digest: [u8; 48],
	pub author_key_digest: [u8; 48],
	pub report_id: [u8; 32],
	pub report_id_ma: [u8; 32],
	pub reported_tcb: u64,
	pub cpuid: [u8; 3],
	pub chip_id: [u8; 64],
	pub committed_tcb: u64,
	pub current_version: [u8; 3],
	pub committed_version: [u8; 3],
	pub launch_tcb: u64,
	pub launch_mit_vector: u64,
	pub current_mit_vector: u64,
	/// Signature r, big-endian.
	pub sig_r: [u8; 48],
	/// Signature s, big-endian.
	pub sig_s: [u8; 48],
}

fn array<const N: usize>(bytes: &[u8], at: usize) -> Result<[u8; N], SnpError> {
	let end = at.checked_add(N).ok_or(SnpError::ReportLength(0))?;
	bytes
		.get(at..end)
		.and_then(|s| s.try_into().ok())
		.ok_or(SnpError::ReportLength(len32(bytes)))
}

fn len32(bytes: &[u8]) -> u32 {
	u32::try_from(bytes.len()).unwrap_or(u32::MAX)
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, SnpError> {
	array::<4>(bytes, at).map(u32::from_le_bytes)
}

fn u64_at(bytes: &[u8], at: usize) -> Result<u64, SnpError> {
	array::<8>(bytes, at).map(u64::from_le_bytes)
}

/// A little-endian 72-byte signature component as a big-endian P-384 scalar; the 24 high
/// bytes must be zero.
fn sig_component(bytes: &[u8], at: usize) -> Result<[u8; 48], SnpError> {
	let field: [u8; SIG_COMPONENT_LEN] = array(bytes, at)?;
	let (low, high) = field.split_at(48);
	if high.iter().any(|&b| b != 0) {
		return Err(SnpError::ReportSignatureInvalid);
	}
	let mut be = [0u8; 48];
	for (dst, src) in be.iter_mut().zip(low.iter().rev()) {
		*dst = *src;
	}
	Ok(be)
}

impl Report {
	/// Copy the fields out of a raw report, which must be exactly 1184 bytes.
	pub fn parse(bytes: &[u8]) -> Result<Self, SnpError> {
		if bytes.len() != SNP_REPORT_LEN as usize {
			return Err(SnpError::ReportLength(len32(bytes)));
		}
		// The rest of the 512-byte signature field after r and s is reserved (must be zero).
		let reserved_from = off::SIGNATURE.saturating_add(2 * SIG_COMPONENT_LEN);
		if bytes
			.get(reserved_from..)
			.is_some_and(|r| r.iter().any(|&b| b != 0))
		{
			return Err(SnpError::ReportSignatureInvalid);
		}
		Ok(Report {
			version: u32_at(bytes, off::VERSION)?,
			guest_svn: u32_at(bytes, off::GUEST_SVN)?,
			policy: u64_at(bytes, off::POLICY)?,
			family_id: array(bytes, off::FAMILY_ID)?,
			image_id: array(bytes, off::IMAGE_ID)?,
			vmpl: u32_at(bytes, off::VMPL)?,
			signature_algo: u32_at(bytes, off::SIGNATURE_ALGO)?,
			current_tcb: u64_at(bytes, off::CURRENT_TCB)?,
			platform_info: u64_at(bytes, off::PLATFORM_INFO)?,
			flags: u32_at(bytes, off::FLAGS)?,
			report_data: array(bytes, off::REPORT_DATA)?,
			measurement: array(bytes, off::MEASUREMENT)?,
			host_data: array(bytes, off::HOST_DATA)?,
			id_key_digest: array(bytes, off::ID_KEY_DIGEST)?,
			author_key_digest: array(bytes, off::AUTHOR_KEY_DIGEST)?,
			report_id: array(bytes, off::REPORT_ID)?,
			report_id_ma: array(bytes, off::REPORT_ID_MA)?,
			reported_tcb: u64_at(bytes, off::REPORTED_TCB)?,
			cpuid: array(bytes, off::CPUID)?,
			chip_id: array(bytes, off::CHIP_ID)?,
			committed_tcb: u64_at(bytes, off::COMMITTED_TCB)?,
			current_version: array(bytes, off::CURRENT_VERSION)?,
			committed_version: array(bytes, off::COMMITTED_VERSION)?,
			launch_tcb: u64_at(bytes, off::LAUNCH_TCB)?,
			launch_mit_vector: u64_at(bytes, off::LAUNCH_MIT_VECTOR)?,
			current_mit_vector: u64_at(bytes, off::CURRENT_MIT_VECTOR)?,
			sig_r: sig_component(bytes, off::SIGNATURE)?,
			sig_s: sig_component(bytes, off::SIGNATURE.saturating_add(SIG_COMPONENT_LEN))?,
		})
	}

	/// SIGNING_KEY (flags bits 4:2): 0 VCEK, 1 VLEK, 7 none.
	pub fn signing_key(&self) -> u32 {
		(self.flags >> 2) & 0x7
	}
}
