//! AMD SEV-SNP attestation reports (ATTESTATION_REPORT of the SEV-SNP firmware ABI,
//! 1184 bytes, versions 2, 3 and 5) signed by a mock VCEK or VLEK.
//!
//! ```text
//! 0x000 VERSION u32          0x004 GUEST_SVN u32        0x008 POLICY u64
//! 0x010 FAMILY_ID [16]       0x020 IMAGE_ID [16]        0x030 VMPL u32
//! 0x034 SIGNATURE_ALGO u32 (1 = ECDSA P-384 with SHA-384)
//! 0x038 CURRENT_TCB u64      0x040 PLATFORM_INFO u64
//! 0x048 flags u32: bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 4:2 SIGNING_KEY (0 VCEK, 1 VLEK)
//! 0x050 REPORT_DATA [64]     0x090 MEASUREMENT [48]     0x0C0 HOST_DATA [32]
//! 0x0E0 ID_KEY_DIGEST [48]   0x110 AUTHOR_KEY_DIGEST [48]
//! 0x140 REPORT_ID [32]       0x160 REPORT_ID_MA [32]    0x180 REPORTED_TCB u64
//! 0x188 CPUID_FAM_ID, CPUID_MOD_ID, CPUID_STEP (v3+)
//! 0x1A0 CHIP_ID [64]         0x1E0 COMMITTED_TCB u64
//! 0x1E8 CURRENT_BUILD, _MINOR, _MAJOR, reserved;  0x1EC COMMITTED_BUILD, _MINOR, _MAJOR, reserved
//! 0x1F0 LAUNCH_TCB u64       0x1F8 LAUNCH_MIT_VECTOR u64 (v5)   0x200 CURRENT_MIT_VECTOR u64 (v5)
//! 0x2A0 SIGNATURE: R [72], S [72] (little-endian, zero-extended), reserved to 0x4A0
//! ```
//!
//! The signature covers bytes `0x000..0x2A0`. TCB_VERSION is `[BL, TEE, 0, 0, 0, 0, SNP, UCODE]`
//! on Milan and Genoa and `[FMC, BL, TEE, SNP, 0, 0, 0, UCODE]` on Turin.

use sha2::{Digest, Sha384};

use crate::{
	amd::{AmdPki, AmdProduct, VekSpec},
	error::{Error, Result},
	intel::{CERT_NOT_AFTER, CERT_NOT_BEFORE},
	keys::p384_key,
};

/// Size of an attestation report.
pub const SNP_REPORT_LEN: usize = 0x4A0;
/// End of the signed part of the report (start of the signature).
pub const SNP_SIGNED_LEN: usize = 0x2A0;

/// Guest policy bit 16: SMT allowed.
pub const POLICY_SMT: u64 = 1 << 16;
/// Guest policy bit 17: reserved, must be 1.
pub const POLICY_RESERVED_1: u64 = 1 << 17;
/// Guest policy bit 18: a migration agent may be associated.
pub const POLICY_MIGRATE_MA: u64 = 1 << 18;
/// Guest policy bit 19: the host may debug (read and write) guest memory.
pub const POLICY_DEBUG: u64 = 1 << 19;
/// Guest policy bit 20: the guest may only run on one socket.
pub const POLICY_SINGLE_SOCKET: u64 = 1 << 20;

/// Which endorsement key signs the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SnpSigningKey {
	/// Versioned Chip Endorsement Key: per chip and TCB, certified by the ASK.
	Vcek,
	/// Versioned Loaded Endorsement Key: per cloud provider, certified by the ASVK.
	Vlek,
}

/// The security patch levels of a TCB_VERSION.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SnpTcb {
	/// FMC SPL (Turin only; ignored for Milan and Genoa).
	pub fmc: u8,
	/// Boot loader SPL.
	pub bootloader: u8,
	/// TEE (PSP OS) SPL.
	pub tee: u8,
	/// SNP firmware SPL.
	pub snp: u8,
	/// Microcode SPL.
	pub microcode: u8,
}

impl SnpTcb {
	/// The 8-byte TCB_VERSION of `product` (little-endian u64 in the report).
	pub fn to_bytes(&self, product: AmdProduct) -> [u8; 8] {
		match product {
			AmdProduct::Milan | AmdProduct::Genoa => [
				self.bootloader,
				self.tee,
				0,
				0,
				0,
				0,
				self.snp,
				self.microcode,
			],
			AmdProduct::Turin => [
				self.fmc,
				self.bootloader,
				self.tee,
				self.snp,
				0,
				0,
				0,
				self.microcode,
			],
		}
	}

	/// A plausible current TCB for `product`.
	pub fn default_for(product: AmdProduct) -> Self {
		match product {
			AmdProduct::Milan => Self {
				fmc: 0,
				bootloader: 3,
				tee: 0,
				snp: 8,
				microcode: 0x73,
			},
			AmdProduct::Genoa => Self {
				fmc: 0,
				bootloader: 0x0A,
				tee: 0,
				snp: 0x17,
				microcode: 0x54,
			},
			AmdProduct::Turin => Self {
				fmc: 1,
				bootloader: 1,
				tee: 1,
				snp: 3,
				microcode: 0x4A,
			},
		}
	}
}

/// The VCEK/VLEK certificate that accompanies a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VekParams {
	/// TCB in the certificate's extensions; `None` = the report's REPORTED_TCB (as AMD's KDS
	/// issues it). Set it to mint a mismatch.
	pub tcb: Option<SnpTcb>,
	/// VCEK hwID; `None` = the report's CHIP_ID (its first 8 bytes on Turin). Set it to mint a
	/// certificate for another chip.
	pub hwid: Option<Vec<u8>>,
	/// notBefore (Unix seconds).
	pub not_before: u64,
	/// notAfter (Unix seconds).
	pub not_after: u64,
	/// VLEK cspId extension (the cloud provider).
	pub csp_id: String,
	/// Subject commonName; `None` = AMD's (`SEV-VCEK` / `SEV-VLEK`). Set it to mint a
	/// certificate named for another role, which verifiers must refuse.
	pub common_name: Option<String>,
}

impl Default for VekParams {
	fn default() -> Self {
		Self {
			tcb: None,
			hwid: None,
			not_before: CERT_NOT_BEFORE,
			not_after: CERT_NOT_AFTER,
			csp_id: "CN=mock-tee.invalid".into(),
			common_name: None,
		}
	}
}

/// Everything in a minted SNP report. [`SnpReportParams::new`] gives a valid, non-debug
/// VMPL-0 guest on the product with a consistent TCB; change fields to mint anything else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnpReportParams {
	/// Product (selects ARK/ASK/ASVK, TCB layout, CPUID, hwID length).
	pub product: AmdProduct,
	/// Report version: 2, 3, 4 or 5 (v3+ carry CPUID, v5 the mitigation vectors).
	pub version: u32,
	/// Guest SVN from the ID block.
	pub guest_svn: u32,
	/// Guest policy (see the `POLICY_*` bits).
	pub policy: u64,
	/// FAMILY_ID from the ID block.
	pub family_id: [u8; 16],
	/// IMAGE_ID from the ID block.
	pub image_id: [u8; 16],
	/// VMPL of the guest that requested the report.
	pub vmpl: u32,
	/// CURRENT_TCB.
	pub current_tcb: SnpTcb,
	/// REPORTED_TCB (what the VCEK certifies).
	pub reported_tcb: SnpTcb,
	/// COMMITTED_TCB.
	pub committed_tcb: SnpTcb,
	/// LAUNCH_TCB.
	pub launch_tcb: SnpTcb,
	/// PLATFORM_INFO (bit 0 SMT enabled, bit 1 TSME enabled, ...).
	pub platform_info: u64,
	/// VCEK or VLEK.
	pub signing_key: SnpSigningKey,
	/// MASK_CHIP_KEY flag (CHIP_ID reported as zero).
	pub mask_chip_key: bool,
	/// AUTHOR_KEY_EN flag.
	pub author_key_en: bool,
	/// REPORT_DATA chosen by the guest.
	pub report_data: [u8; 64],
	/// MEASUREMENT: launch digest of the guest.
	pub measurement: [u8; 48],
	/// HOST_DATA supplied by the host at launch.
	pub host_data: [u8; 32],
	/// ID_KEY_DIGEST.
	pub id_key_digest: [u8; 48],
	/// AUTHOR_KEY_DIGEST.
	pub author_key_digest: [u8; 48],
	/// REPORT_ID.
	pub report_id: [u8; 32],
	/// REPORT_ID_MA (all 0xFF when there is no migration agent).
	pub report_id_ma: [u8; 32],
	/// CHIP_ID (on Turin only the first 8 bytes are meaningful).
	pub chip_id: [u8; 64],
	/// CPUID family, model, stepping (v3+); `None` = the product's.
	pub cpuid: Option<(u8, u8, u8)>,
	/// Current firmware version (major, minor, build).
	pub current_version: (u8, u8, u8),
	/// Committed firmware version (major, minor, build).
	pub committed_version: (u8, u8, u8),
	/// LAUNCH_MIT_VECTOR (v5).
	pub launch_mit_vector: u64,
	/// CURRENT_MIT_VECTOR (v5).
	pub current_mit_vector: u64,
	/// The endorsement key certificate.
	pub vek: VekParams,
}

impl Default for SnpReportParams {
	fn default() -> Self {
		Self::new(AmdProduct::Milan)
	}
}

impl SnpReportParams {
	/// A version-3, VCEK-signed, VMPL-0, non-debug report for `product`, all TCBs equal.
	pub fn new(product: AmdProduct) -> Self {
		let tcb = SnpTcb::default_for(product);
		let mut chip_id = [0u8; 64];
		let pattern = b"mock-tee dev chip id (INSECURE) ";
		for (d, s) in chip_id
			.iter_mut()
			.take(product.hwid_len())
			.zip(pattern.iter().cycle())
		{
			*d = *s;
		}
		Self {
			product,
			version: 3,
			guest_svn: 0,
			policy: POLICY_RESERVED_1 | POLICY_SMT,
			family_id: [0; 16],
			image_id: [0; 16],
			vmpl: 0,
			current_tcb: tcb,
			reported_tcb: tcb,
			committed_tcb: tcb,
			launch_tcb: tcb,
			platform_info: 1,
			signing_key: SnpSigningKey::Vcek,
			mask_chip_key: false,
			author_key_en: false,
			report_data: [0; 64],
			measurement: [0; 48],
			host_data: [0; 32],
			id_key_digest: [0; 48],
			author_key_digest: [0; 48],
			report_id: [0x11; 32],
			report_id_ma: [0xFF; 32],
			chip_id,
			cpuid: None,
			current_version: (1, 55, 21),
			committed_version: (1, 55, 21),
			launch_mit_vector: 0,
			current_mit_vector: 0,
			vek: VekParams::default(),
		}
	}

	/// The same report signed by the VLEK instead of the VCEK.
	pub fn with_vlek(mut self) -> Self {
		self.signing_key = SnpSigningKey::Vlek;
		self
	}

	/// The hwID the VCEK certifies by default: CHIP_ID, truncated to 8 bytes on Turin.
	fn default_hwid(&self) -> Vec<u8> {
		self.chip_id
			.iter()
			.take(self.product.hwid_len())
			.copied()
			.collect()
	}

	/// The report bytes before signing (signature area zero).
	pub(crate) fn unsigned(&self) -> Result<Vec<u8>> {
		if !(2..=5).contains(&self.version) {
			return Err(Error::Unsupported(format!(
				"SNP report version {}",
				self.version
			)));
		}
		let mut r = Vec::with_capacity(SNP_REPORT_LEN);
		let p = self.product;
		r.extend_from_slice(&self.version.to_le_bytes()); // 0x000
		r.extend_from_slice(&self.guest_svn.to_le_bytes()); // 0x004
		r.extend_from_slice(&self.policy.to_le_bytes()); // 0x008
		r.extend_from_slice(&self.family_id); // 0x010
		r.extend_from_slice(&self.image_id); // 0x020
		r.extend_from_slice(&self.vmpl.to_le_bytes()); // 0x030
		r.extend_from_slice(&1u32.to_le_bytes()); // 0x034 ECDSA P-384 with SHA-384
		r.extend_from_slice(&self.current_tcb.to_bytes(p)); // 0x038
		r.extend_from_slice(&self.platform_info.to_le_bytes()); // 0x040
		let key_sel: u32 = match self.signing_key {
			SnpSigningKey::Vcek => 0,
			SnpSigningKey::Vlek => 1,
		};
		let flags =
			u32::from(self.author_key_en) | (u32::from(self.mask_chip_key) << 1) | (key_sel << 2);
		r.extend_from_slice(&flags.to_le_bytes()); // 0x048
		r.extend_from_slice(&[0u8; 4]); // 0x04C
		r.extend_from_slice(&self.report_data); // 0x050
		r.extend_from_slice(&self.measurement); // 0x090
		r.extend_from_slice(&self.host_data); // 0x0C0
		r.extend_from_slice(&self.id_key_digest); // 0x0E0
		r.extend_from_slice(&self.author_key_digest); // 0x110
		r.extend_from_slice(&self.report_id); // 0x140
		r.extend_from_slice(&self.report_id_ma); // 0x160
		r.extend_from_slice(&self.reported_tcb.to_bytes(p)); // 0x180
		let (fam, model, step) = if self.version >= 3 {
			self.cpuid.unwrap_or_else(|| p.cpuid())
		} else {
			(0, 0, 0)
		};
		r.extend_from_slice(&[fam, model, step]); // 0x188
		r.extend_from_slice(&[0u8; 0x1A0 - 0x18B]); // reserved
		let chip_id = if self.mask_chip_key {
			[0u8; 64]
		} else {
			self.chip_id
		};
		r.extend_from_slice(&chip_id); // 0x1A0
		r.extend_from_slice(&self.committed_tcb.to_bytes(p)); // 0x1E0
		let (maj, min, build) = self.current_version;
		r.extend_from_slice(&[build, min, maj, 0]); // 0x1E8
		let (maj, min, build) = self.committed_version;
		r.extend_from_slice(&[build, min, maj, 0]); // 0x1EC
		r.extend_from_slice(&self.launch_tcb.to_bytes(p)); // 0x1F0
		if self.version >= 5 {
			r.extend_from_slice(&self.launch_mit_vector.to_le_bytes()); // 0x1F8
			r.extend_from_slice(&self.current_mit_vector.to_le_bytes()); // 0x200
		}
		r.resize(SNP_REPORT_LEN, 0);
		Ok(r)
	}
}

/// The VCEK key of a chip at a TCB, or the VLEK of a provider at a TCB (deterministic).
fn vek_key(
	seed: &[u8; 32],
	p: &SnpReportParams,
	tcb: &SnpTcb,
	hwid: &[u8],
) -> Result<(p384::ecdsa::SigningKey, Vec<u8>)> {
	let mut ctx = p.product.name().as_bytes().to_vec();
	ctx.extend_from_slice(&tcb.to_bytes(p.product));
	let label = match p.signing_key {
		SnpSigningKey::Vcek => {
			ctx.extend_from_slice(hwid);
			"amd/vcek"
		}
		SnpSigningKey::Vlek => {
			ctx.extend_from_slice(p.vek.csp_id.as_bytes());
			"amd/vlek"
		}
	};
	Ok((p384_key(seed, label, &ctx)?, ctx))
}

/// Mint the report and its VCEK/VLEK certificate (DER).
pub(crate) fn mint_report(
	pki: &AmdPki,
	seed: &[u8; 32],
	p: &SnpReportParams,
) -> Result<(Vec<u8>, Vec<u8>)> {
	let mut report = p.unsigned()?;
	let tcb = p.vek.tcb.unwrap_or(p.reported_tcb);
	let hwid = p.vek.hwid.clone().unwrap_or_else(|| p.default_hwid());
	let (key, mut serial_context) = vek_key(seed, p, &tcb, &hwid)?;
	serial_context.extend_from_slice(&p.vek.not_before.to_be_bytes());
	serial_context.extend_from_slice(&p.vek.not_after.to_be_bytes());
	let vek_der = pki.issue_vek(
		seed,
		&VekSpec {
			kind: p.signing_key,
			key: &key,
			tcb,
			hwid: &hwid,
			csp_id: &p.vek.csp_id,
			common_name: p.vek.common_name.as_deref(),
			not_before: p.vek.not_before,
			not_after: p.vek.not_after,
			serial_context,
		},
	)?;

	let signed = report.get(..SNP_SIGNED_LEN).ok_or(Error::TooLong {
		what: "SNP report",
		len: SNP_SIGNED_LEN,
	})?;
	let digest = Sha384::digest(signed);
	let sig: p384::ecdsa::Signature = signature::hazmat::PrehashSigner::sign_prehash(&key, &digest)
		.map_err(Error::sign("SNP report"))?;
	let (r, s) = sig.split_bytes();
	// r and s are big-endian 48-byte integers; the report stores them little-endian in
	// 72-byte fields.
	let mut r_le: Vec<u8> = r.iter().rev().copied().collect();
	r_le.resize(72, 0);
	let mut s_le: Vec<u8> = s.iter().rev().copied().collect();
	s_le.resize(72, 0);
	let sig_area = report
		.get_mut(SNP_SIGNED_LEN..SNP_SIGNED_LEN + 144)
		.ok_or(Error::TooLong {
			what: "SNP signature",
			len: 144,
		})?;
	for (d, s) in sig_area.iter_mut().zip(r_le.iter().chain(s_le.iter())) {
		*d = *s;
	}
	Ok((report, vek_der))
}
