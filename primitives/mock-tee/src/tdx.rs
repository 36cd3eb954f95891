//! Intel TDX: DCAP quotes (v4, v5) and their collateral (TCB Info, QE Identity, CRLs).
//!
//! Quote layout (Intel DCAP "Quote v4/v5" as in `sgx_quote_4.h`/`sgx_quote_5.h`), all integers
//! little-endian:
//!
//! ```text
//! header (48)          version u16, att. key type u16 (2 = ECDSA P-256), TEE type u32 (0x81),
//!                      QE SVN u16, PCE SVN u16, QE vendor ID [16], user data [20]
//! [v5: body type u16 (2 = TD 1.0, 3 = TD 1.5), body size u32]
//! TD report body       584 bytes (TD 1.0) or 648 bytes (TD 1.5)
//! signature data len   u32
//! signature data       quote signature r||s [64] over header..body, attestation key x||y [64],
//!                      cert data type u16 = 6, size u32, then:
//!                        QE report [384] (SGX report of the quoting enclave), its signature by
//!                        the PCK key r||s [64], QE auth data len u16 + data, cert data type
//!                        u16 = 5, size u32, PEM chain PCK leaf || PCK platform CA || root CA
//! ```
//!
//! The QE report's REPORT_DATA starts with SHA-256(attestation key || QE auth data): that binds
//! the attestation key to the PCK-certified quoting enclave.

use sha2::{Digest, Sha256};
use tee_verifier::tdx::PckCa;

use crate::{
	error::{Error, Result},
	intel::{sign_raw_p256, IntelPki},
	keys::{p256_key, p256_raw_public},
	x509::{cert_pem, rfc3339},
};

/// Intel's QE vendor ID, which verifiers require in the quote header.
pub const INTEL_QE_VENDOR_ID: [u8; 16] = [
	0x93, 0x9A, 0x72, 0x33, 0xF7, 0x9C, 0x4C, 0xA9, 0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07,
];

/// TD attribute bit 0: the TD runs in debug mode (its memory is readable by the host).
pub const TD_ATTR_DEBUG: u64 = 1 << 0;
/// TD attribute bit 28: EPT violations are not converted to #VE (required by verifiers, as in
/// Intel's QVL).
pub const TD_ATTR_SEPT_VE_DISABLE: u64 = 1 << 28;

/// MRSIGNER of the mock TD quoting enclave (the QE Identity and the QE report must agree).
pub const DEV_QE_MRSIGNER: [u8; 32] = *b"mock-tee dev TD QE signer (INSEC";

const DAY: u64 = 86_400;

/// The platform a quote comes from: what the PCK certificate certifies.
///
/// Changing any field gives a different PCK key and certificate, as on real hardware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TdxPlatform {
	/// Family-Model-Stepping-Platform-CustomSKU: selects the TCB Info that applies.
	pub fmspc: [u8; 6],
	/// PCE identifier (0000 on every current platform).
	pub pce_id: [u8; 2],
	/// CPUSVN; its 16 bytes are also the 16 SGX TCB component SVNs in the certificate.
	pub cpu_svn: [u8; 16],
	/// SVN of the provisioning certification enclave.
	pub pce_svn: u16,
	/// Platform provisioning ID (identifies the CPU package).
	pub ppid: [u8; 16],
	/// Platform instance ID (Platform CA certificates only).
	pub platform_instance_id: [u8; 16],
	/// SGX type: 0 standard, 1 scalable, 2 scalable with integrity.
	pub sgx_type: u8,
	/// Configuration flag: platform can be extended with new packages.
	pub dynamic_platform: bool,
	/// Configuration flag: platform root keys are cached by Intel's registration service.
	pub cached_keys: bool,
	/// Configuration flag: SMT (hyper-threading) enabled.
	pub smt_enabled: bool,
	/// Which PCK CA issues the platform's PCK certificate (Intel has a Platform and a
	/// Processor CA, each with its own CRL).
	pub pck_ca: PckCa,
}

impl Default for TdxPlatform {
	/// A platform whose TCB is the first (UpToDate) level of [`TdxTcbConfig::default`].
	fn default() -> Self {
		Self {
			fmspc: [0xB0, 0xC0, 0x6F, 0x00, 0x00, 0x00],
			pce_id: [0, 0],
			cpu_svn: [3, 3, 2, 2, 4, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0],
			pce_svn: 13,
			ppid: *b"mock-tee dev PPI",
			platform_instance_id: *b"mock-tee instanc",
			sgx_type: 1,
			dynamic_platform: true,
			cached_keys: true,
			smt_enabled: true,
			pck_ca: PckCa::Platform,
		}
	}
}

impl TdxPlatform {
	pub(crate) fn identity_bytes(&self) -> Vec<u8> {
		let mut v = Vec::with_capacity(64);
		v.extend_from_slice(&self.fmspc);
		v.extend_from_slice(&self.pce_id);
		v.extend_from_slice(&self.cpu_svn);
		v.extend_from_slice(&self.pce_svn.to_le_bytes());
		v.extend_from_slice(&self.ppid);
		v.extend_from_slice(&self.platform_instance_id);
		v.extend_from_slice(&[
			self.sgx_type,
			u8::from(self.dynamic_platform),
			u8::from(self.cached_keys),
			u8::from(self.smt_enabled),
		]);
		// Platform-CA platforms keep the identity (and so the keys) they always had.
		if self.pck_ca == PckCa::Processor {
			v.extend_from_slice(b"processor-ca");
		}
		v
	}
}

/// The quoting enclave's own report (what the QE Identity collateral appraises).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QeReportParams {
	/// QE CPUSVN.
	pub cpu_svn: [u8; 16],
	/// QE MISCSELECT.
	pub misc_select: u32,
	/// QE attributes (bit 1 of byte 0 = DEBUG, which verifiers reject).
	pub attributes: [u8; 16],
	/// QE MRENCLAVE.
	pub mr_enclave: [u8; 32],
	/// QE MRSIGNER (must equal the QE Identity's).
	pub mr_signer: [u8; 32],
	/// QE product ID (2 for the TD QE).
	pub isv_prod_id: u16,
	/// QE SVN (matched against the QE Identity's TCB levels).
	pub isv_svn: u16,
	/// QE authentication data hashed into the QE report (DCAP uses 32 bytes).
	pub auth_data: Vec<u8>,
}

impl Default for QeReportParams {
	fn default() -> Self {
		let mut attributes = [0u8; 16];
		attributes[0] = 0x11;
		attributes[8] = 0xE7;
		Self {
			cpu_svn: [3, 3, 2, 2, 4, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0],
			misc_select: 0,
			attributes,
			mr_enclave: *b"mock-tee dev TD QE enclave (INSE",
			mr_signer: DEV_QE_MRSIGNER,
			isv_prod_id: 2,
			isv_svn: 4,
			auth_data: (0u8..32).collect(),
		}
	}
}

/// Which quote format to emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TdxQuoteVersion {
	/// Quote v4 with a TD 1.0 report body (584 bytes).
	V4,
	/// Quote v5 with a TD 1.0 body (type 2).
	V5Td10,
	/// Quote v5 with a TD 1.5 body (type 3, 648 bytes: adds TEE_TCB_SVN2 and MRSERVICETD).
	V5Td15,
}

/// Everything that goes into a minted TDX quote. `Default` is an UpToDate, non-debug TD on
/// [`TdxPlatform::default`] with all measurements zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TdxQuoteParams {
	/// Quote version and body type.
	pub version: TdxQuoteVersion,
	/// TEE_TCB_SVN: byte 0 = TDX module ISVSVN, byte 1 = module major version (selects the
	/// `TDX_%02X` module identity in TCB Info when non-zero), the rest = TDX TCB components.
	pub tee_tcb_svn: [u8; 16],
	/// MRSEAM: measurement of the TDX module.
	pub mr_seam: [u8; 48],
	/// MRSIGNERSEAM: signer of the TDX module (zero for Intel's).
	pub mr_signer_seam: [u8; 48],
	/// SEAM attributes.
	pub seam_attributes: [u8; 8],
	/// TD attributes as a little-endian u64 (see [`TD_ATTR_DEBUG`], [`TD_ATTR_SEPT_VE_DISABLE`]).
	pub td_attributes: u64,
	/// XFAM (extended features available mask) as a little-endian u64.
	pub xfam: u64,
	/// MRTD: measurement of the initial TD contents (firmware).
	pub mr_td: [u8; 48],
	/// MRCONFIGID: software-defined configuration ID.
	pub mr_config_id: [u8; 48],
	/// MROWNER: software-defined owner ID.
	pub mr_owner: [u8; 48],
	/// MROWNERCONFIG: software-defined owner configuration.
	pub mr_owner_config: [u8; 48],
	/// RTMR0..3: runtime measurement registers.
	pub rtmr: [[u8; 48]; 4],
	/// REPORT_DATA: 64 bytes chosen by the TD (our binding of the worker's claims).
	pub report_data: [u8; 64],
	/// TD 1.5 only: TEE_TCB_SVN2 (current TCB after a TD-preserving update).
	pub tee_tcb_svn2: [u8; 16],
	/// TD 1.5 only: MRSERVICETD (zero unless service TDs are bound).
	pub mr_service_td: [u8; 48],
	/// Header QE SVN.
	pub qe_svn: u16,
	/// Header PCE SVN.
	pub pce_svn: u16,
	/// Header user data (QE ID in the first 16 bytes).
	pub user_data: [u8; 20],
	/// The platform (PCK certificate) the quote comes from.
	pub platform: TdxPlatform,
	/// The quoting enclave's report.
	pub qe: QeReportParams,
}

impl Default for TdxQuoteParams {
	fn default() -> Self {
		let mut user_data = [0u8; 20];
		for (d, s) in user_data.iter_mut().zip(b"mock-tee dev QEID") {
			*d = *s;
		}
		let mut mr_seam = [0u8; 48];
		for (d, s) in mr_seam.iter_mut().zip(b"mock-tee dev TDX module") {
			*d = *s;
		}
		Self {
			version: TdxQuoteVersion::V4,
			tee_tcb_svn: [6, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
			mr_seam,
			mr_signer_seam: [0; 48],
			seam_attributes: [0; 8],
			td_attributes: TD_ATTR_SEPT_VE_DISABLE,
			xfam: 0x0006_02E7,
			mr_td: [0; 48],
			mr_config_id: [0; 48],
			mr_owner: [0; 48],
			mr_owner_config: [0; 48],
			rtmr: [[0; 48]; 4],
			report_data: [0; 64],
			tee_tcb_svn2: [6, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
			mr_service_td: [0; 48],
			qe_svn: 0,
			pce_svn: 0,
			user_data,
			platform: TdxPlatform::default(),
			qe: QeReportParams::default(),
		}
	}
}

impl TdxQuoteParams {
	/// The TD report body bytes (584 or 648).
	fn body(&self) -> Vec<u8> {
		let mut b = Vec::with_capacity(648);
		b.extend_from_slice(&self.tee_tcb_svn);
		b.extend_from_slice(&self.mr_seam);
		b.extend_from_slice(&self.mr_signer_seam);
		b.extend_from_slice(&self.seam_attributes);
		b.extend_from_slice(&self.td_attributes.to_le_bytes());
		b.extend_from_slice(&self.xfam.to_le_bytes());
		b.extend_from_slice(&self.mr_td);
		b.extend_from_slice(&self.mr_config_id);
		b.extend_from_slice(&self.mr_owner);
		b.extend_from_slice(&self.mr_owner_config);
		for r in &self.rtmr {
			b.extend_from_slice(r);
		}
		b.extend_from_slice(&self.report_data);
		if self.version == TdxQuoteVersion::V5Td15 {
			b.extend_from_slice(&self.tee_tcb_svn2);
			b.extend_from_slice(&self.mr_service_td);
		}
		b
	}

	fn header(&self) -> Vec<u8> {
		let version: u16 = match self.version {
			TdxQuoteVersion::V4 => 4,
			TdxQuoteVersion::V5Td10 | TdxQuoteVersion::V5Td15 => 5,
		};
		let mut h = Vec::with_capacity(48);
		h.extend_from_slice(&version.to_le_bytes());
		h.extend_from_slice(&2u16.to_le_bytes()); // ECDSA-256-with-P-256 attestation key
		h.extend_from_slice(&0x81u32.to_le_bytes()); // TEE type: TDX
		h.extend_from_slice(&self.qe_svn.to_le_bytes());
		h.extend_from_slice(&self.pce_svn.to_le_bytes());
		h.extend_from_slice(&INTEL_QE_VENDOR_ID);
		h.extend_from_slice(&self.user_data);
		h
	}
}

fn u16_len(what: &'static str, len: usize) -> Result<[u8; 2]> {
	u16::try_from(len)
		.map(u16::to_le_bytes)
		.map_err(|_| Error::TooLong { what, len })
}

fn u32_len(what: &'static str, len: usize) -> Result<[u8; 4]> {
	u32::try_from(len)
		.map(u32::to_le_bytes)
		.map_err(|_| Error::TooLong { what, len })
}

/// The 384-byte SGX report of the quoting enclave.
fn qe_report(qe: &QeReportParams, report_data_prefix: &[u8; 32]) -> Vec<u8> {
	let mut r = Vec::with_capacity(384);
	r.extend_from_slice(&qe.cpu_svn);
	r.extend_from_slice(&qe.misc_select.to_le_bytes());
	r.extend_from_slice(&[0u8; 28]);
	r.extend_from_slice(&qe.attributes);
	r.extend_from_slice(&qe.mr_enclave);
	r.extend_from_slice(&[0u8; 32]);
	r.extend_from_slice(&qe.mr_signer);
	r.extend_from_slice(&[0u8; 96]);
	r.extend_from_slice(&qe.isv_prod_id.to_le_bytes());
	r.extend_from_slice(&qe.isv_svn.to_le_bytes());
	r.extend_from_slice(&[0u8; 60]);
	r.extend_from_slice(report_data_prefix);
	r.extend_from_slice(&[0u8; 32]);
	r
}

/// Mint a quote: sign the header and body with the platform's attestation key, certify that
/// key with a QE report signed by the platform's PCK key, and attach the PCK chain.
pub(crate) fn mint_quote(pki: &IntelPki, seed: &[u8; 32], p: &TdxQuoteParams) -> Result<Vec<u8>> {
	let pck = pki.pck(&p.platform)?;
	let attestation_key = p256_key(seed, "intel/attestation-key", &p.platform.identity_bytes())?;
	let attestation_pub = p256_raw_public(&attestation_key);

	let mut signed = p.header();
	let body = p.body();
	match p.version {
		TdxQuoteVersion::V4 => {}
		TdxQuoteVersion::V5Td10 => {
			signed.extend_from_slice(&2u16.to_le_bytes());
			signed.extend_from_slice(&u32_len("TD report body", body.len())?);
		}
		TdxQuoteVersion::V5Td15 => {
			signed.extend_from_slice(&3u16.to_le_bytes());
			signed.extend_from_slice(&u32_len("TD report body", body.len())?);
		}
	}
	signed.extend_from_slice(&body);
	let quote_signature = sign_raw_p256(&attestation_key, "TDX quote", &signed)?;

	let mut hash_input = attestation_pub.to_vec();
	hash_input.extend_from_slice(&p.qe.auth_data);
	let binding: [u8; 32] = Sha256::digest(&hash_input).into();
	let qe_report = qe_report(&p.qe, &binding);
	let qe_report_signature = sign_raw_p256(&pck.key, "QE report", &qe_report)?;

	// PCK chain as Intel's QE writes it: leaf, PCK CA, root, NUL-terminated.
	let mut chain = format!(
		"{}{}{}",
		cert_pem(&pck.der)?,
		cert_pem(&pki.pck_ca(p.platform.pck_ca).der)?,
		cert_pem(&pki.root.der)?
	)
	.into_bytes();
	chain.push(0);

	let mut qe_cert_data = qe_report;
	qe_cert_data.extend_from_slice(&qe_report_signature);
	qe_cert_data.extend_from_slice(&u16_len("QE auth data", p.qe.auth_data.len())?);
	qe_cert_data.extend_from_slice(&p.qe.auth_data);
	qe_cert_data.extend_from_slice(&5u16.to_le_bytes());
	qe_cert_data.extend_from_slice(&u32_len("PCK chain", chain.len())?);
	qe_cert_data.extend_from_slice(&chain);

	let mut sig_data = quote_signature.to_vec();
	sig_data.extend_from_slice(&attestation_pub);
	sig_data.extend_from_slice(&6u16.to_le_bytes());
	sig_data.extend_from_slice(&u32_len("QE certification data", qe_cert_data.len())?);
	sig_data.extend_from_slice(&qe_cert_data);

	let mut quote = signed;
	quote.extend_from_slice(&u32_len("signature data", sig_data.len())?);
	quote.extend_from_slice(&sig_data);
	Ok(quote)
}

// ---------------------------------------------------------------------------------------------
// Collateral
// ---------------------------------------------------------------------------------------------

/// A TCB status as Intel writes it in TCB Info and QE Identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcbStatus {
	/// Fully patched.
	UpToDate,
	/// Patched, but software hardening is needed.
	SWHardeningNeeded,
	/// Patched, but platform configuration is needed.
	ConfigurationNeeded,
	/// Patched; both configuration and software hardening are needed.
	ConfigurationAndSWHardeningNeeded,
	/// Missing security patches.
	OutOfDate,
	/// Missing patches and configuration is needed.
	OutOfDateConfigurationNeeded,
	/// Keys of this TCB level are compromised.
	Revoked,
}

impl TcbStatus {
	/// The exact string Intel uses.
	pub fn as_str(self) -> &'static str {
		match self {
			TcbStatus::UpToDate => "UpToDate",
			TcbStatus::SWHardeningNeeded => "SWHardeningNeeded",
			TcbStatus::ConfigurationNeeded => "ConfigurationNeeded",
			TcbStatus::ConfigurationAndSWHardeningNeeded => "ConfigurationAndSWHardeningNeeded",
			TcbStatus::OutOfDate => "OutOfDate",
			TcbStatus::OutOfDateConfigurationNeeded => "OutOfDateConfigurationNeeded",
			TcbStatus::Revoked => "Revoked",
		}
	}
}

/// One platform TCB level of the TCB Info: a platform whose SVNs are all at least these gets
/// `status` (levels are tried from the highest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TdxTcbLevel {
	/// Minimum SGX TCB component SVNs (compared with the PCK certificate's CPUSVN).
	pub sgx_components: [u8; 16],
	/// Minimum PCE SVN.
	pub pce_svn: u16,
	/// Minimum TDX TCB component SVNs (compared with TEE_TCB_SVN; components 0 and 1 are left
	/// to the module identity when `TEE_TCB_SVN[1]` is non-zero).
	pub tdx_components: [u8; 16],
	/// Date of the TCB recovery this level belongs to (Unix seconds).
	pub tcb_date: u64,
	/// Status of platforms at this level.
	pub status: TcbStatus,
	/// Intel security advisories that apply at this level.
	pub advisory_ids: Vec<String>,
}

/// A QE or TDX module TCB level: ISVSVN at least `isv_svn` gets `status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IsvTcbLevel {
	/// Minimum ISVSVN.
	pub isv_svn: u16,
	/// Date of the TCB recovery (Unix seconds).
	pub tcb_date: u64,
	/// Status at this level.
	pub status: TcbStatus,
	/// Advisories at this level.
	pub advisory_ids: Vec<String>,
}

/// A TDX module identity of TCB Info (`TDX_%02X`, selected by `TEE_TCB_SVN[1]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TdxModuleIdentity {
	/// Module major version (the `%02X` in the id).
	pub version: u8,
	/// Expected MRSIGNERSEAM.
	pub mr_signer: [u8; 48],
	/// Expected SEAM attributes.
	pub attributes: [u8; 8],
	/// Mask for the attributes comparison.
	pub attributes_mask: [u8; 8],
	/// Levels for the module ISVSVN (`TEE_TCB_SVN[0]`).
	pub tcb_levels: Vec<IsvTcbLevel>,
}

/// The QE Identity (`TD_QE`) contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QeIdentityConfig {
	/// Expected QE MRSIGNER.
	pub mr_signer: [u8; 32],
	/// Expected QE product ID.
	pub isv_prod_id: u16,
	/// Expected MISCSELECT (under the mask).
	pub misc_select: u32,
	/// MISCSELECT mask.
	pub misc_select_mask: u32,
	/// Expected attributes (under the mask).
	pub attributes: [u8; 16],
	/// Attributes mask.
	pub attributes_mask: [u8; 16],
	/// Levels for the QE ISVSVN.
	pub tcb_levels: Vec<IsvTcbLevel>,
}

/// What the minted TDX collateral says: TCB levels, module and QE identities, validity and
/// revocations. `Default` matches [`TdxQuoteParams::default`] with status UpToDate, plus an
/// older OutOfDate level carrying advisories (reached by a platform with lower SVNs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TdxTcbConfig {
	/// FMSPC the TCB Info is for.
	pub fmspc: [u8; 6],
	/// PCE ID the TCB Info is for.
	pub pce_id: [u8; 2],
	/// TCB evaluation data number of both documents.
	pub tcb_evaluation_data_number: u32,
	/// Platform TCB levels (any order; verifiers sort them).
	pub tcb_levels: Vec<TdxTcbLevel>,
	/// `tdxModule`: expected MRSIGNERSEAM when no module identity applies.
	pub tdx_module_mr_signer: [u8; 48],
	/// `tdxModule`: expected SEAM attributes.
	pub tdx_module_attributes: [u8; 8],
	/// `tdxModule`: attributes mask.
	pub tdx_module_attributes_mask: [u8; 8],
	/// `tdxModuleIdentities`.
	pub tdx_module_identities: Vec<TdxModuleIdentity>,
	/// The QE Identity.
	pub qe_identity: QeIdentityConfig,
	/// How long before `now` the documents and CRLs were issued (seconds).
	pub issued_before_now: u64,
	/// Validity of the documents and CRLs from their issue date (seconds; Intel uses 30 days).
	pub validity: u64,
	/// Whose PCK CRL (and CRL issuer chain) the collateral carries.
	pub pck_ca: PckCa,
	/// Serial numbers (big-endian bytes) put on the PCK CRL.
	pub revoked_pck_serials: Vec<Vec<u8>>,
	/// Serial numbers put on the root CA CRL.
	pub revoked_ca_serials: Vec<Vec<u8>>,
	/// Sign TCB Info and QE Identity with the PCK CA's key (and name it in their issuer
	/// chains) instead of the TCB Signing key: a certificate in the wrong role, which
	/// verifiers must refuse.
	pub sign_documents_with_pck_ca: bool,
}

const TCB_DATE_CURRENT: u64 = 1_710_288_000; // 2024-03-13
const TCB_DATE_OLD: u64 = 1_691_539_200; // 2023-08-09
const TCB_DATE_ANCIENT: u64 = 1_515_024_000; // 2018-01-04

fn padded(prefix: &[u8]) -> [u8; 16] {
	let mut out = [0u8; 16];
	for (d, s) in out.iter_mut().zip(prefix) {
		*d = *s;
	}
	out
}

impl Default for TdxTcbConfig {
	fn default() -> Self {
		let mut qe_attributes = [0u8; 16];
		qe_attributes[0] = 0x11;
		let mut qe_attributes_mask = [0u8; 16];
		for b in qe_attributes_mask.iter_mut().take(8) {
			*b = 0xFF;
		}
		qe_attributes_mask[0] = 0xFB;
		Self {
			fmspc: TdxPlatform::default().fmspc,
			pce_id: [0, 0],
			tcb_evaluation_data_number: 17,
			tcb_levels: vec![
				TdxTcbLevel {
					sgx_components: padded(&[3, 3, 2, 2, 4, 1, 0, 5]),
					pce_svn: 13,
					tdx_components: padded(&[5, 0, 3]),
					tcb_date: TCB_DATE_CURRENT,
					status: TcbStatus::UpToDate,
					advisory_ids: vec![],
				},
				TdxTcbLevel {
					sgx_components: padded(&[2, 2, 2, 2, 3, 1, 0, 5]),
					pce_svn: 5,
					tdx_components: padded(&[3, 0, 2]),
					tcb_date: TCB_DATE_ANCIENT,
					status: TcbStatus::OutOfDate,
					advisory_ids: vec!["INTEL-SA-00837".into(), "INTEL-SA-00960".into()],
				},
			],
			tdx_module_mr_signer: [0; 48],
			tdx_module_attributes: [0; 8],
			tdx_module_attributes_mask: [0xFF; 8],
			tdx_module_identities: vec![TdxModuleIdentity {
				version: 1,
				mr_signer: [0; 48],
				attributes: [0; 8],
				attributes_mask: [0xFF; 8],
				tcb_levels: vec![
					IsvTcbLevel {
						isv_svn: 4,
						tcb_date: TCB_DATE_CURRENT,
						status: TcbStatus::UpToDate,
						advisory_ids: vec![],
					},
					IsvTcbLevel {
						isv_svn: 2,
						tcb_date: TCB_DATE_OLD,
						status: TcbStatus::OutOfDate,
						advisory_ids: vec![],
					},
				],
			}],
			qe_identity: QeIdentityConfig {
				mr_signer: DEV_QE_MRSIGNER,
				isv_prod_id: 2,
				misc_select: 0,
				misc_select_mask: 0xFFFF_FFFF,
				attributes: qe_attributes,
				attributes_mask: qe_attributes_mask,
				tcb_levels: vec![IsvTcbLevel {
					isv_svn: 4,
					tcb_date: TCB_DATE_CURRENT,
					status: TcbStatus::UpToDate,
					advisory_ids: vec![],
				}],
			},
			issued_before_now: DAY,
			validity: 30 * DAY,
			pck_ca: PckCa::Platform,
			revoked_pck_serials: vec![],
			revoked_ca_serials: vec![],
			sign_documents_with_pck_ca: false,
		}
	}
}

impl TdxTcbConfig {
	/// The default configuration with the status (and advisories) of the level that
	/// [`TdxPlatform::default`] matches replaced: the easy way to mint OutOfDate or Revoked
	/// collateral for an otherwise default quote.
	pub fn with_platform_status(status: TcbStatus, advisory_ids: &[&str]) -> Self {
		let mut cfg = Self::default();
		if let Some(level) = cfg.tcb_levels.first_mut() {
			level.status = status;
			level.advisory_ids = advisory_ids.iter().map(|s| s.to_string()).collect();
		}
		cfg
	}
}

/// DCAP collateral for TDX quotes in the "QuoteCollateralV3" form of dcap-qvl and PCCS:
/// the signed JSON documents verbatim, their signatures as raw `r || s`, CRLs as DER and the
/// issuer chains as PEM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TdxCollateral {
	/// PCK platform CA and root CA, PEM.
	pub pck_crl_issuer_chain: String,
	/// Root CA CRL, DER.
	pub root_ca_crl: Vec<u8>,
	/// PCK CRL, DER.
	pub pck_crl: Vec<u8>,
	/// TCB signing certificate and root CA, PEM.
	pub tcb_info_issuer_chain: String,
	/// The signed `tcbInfo` JSON object, verbatim.
	pub tcb_info: String,
	/// ECDSA P-256 signature over `tcb_info`, `r || s`.
	pub tcb_info_signature: Vec<u8>,
	/// Same as `tcb_info_issuer_chain`.
	pub qe_identity_issuer_chain: String,
	/// The signed `enclaveIdentity` JSON object, verbatim.
	pub qe_identity: String,
	/// ECDSA P-256 signature over `qe_identity`, `r || s`.
	pub qe_identity_signature: Vec<u8>,
}

impl TdxCollateral {
	/// The collateral as JSON in the exact form of `testvectors/tdx/*/collateral.json`
	/// (byte fields as lowercase hex), which dcap-qvl's `QuoteCollateralV3` deserializes.
	pub fn to_json(&self) -> String {
		let fields: [(&str, serde_json::Value); 9] = [
			(
				"pck_crl_issuer_chain",
				self.pck_crl_issuer_chain.clone().into(),
			),
			("root_ca_crl", hex::encode(&self.root_ca_crl).into()),
			("pck_crl", hex::encode(&self.pck_crl).into()),
			(
				"tcb_info_issuer_chain",
				self.tcb_info_issuer_chain.clone().into(),
			),
			("tcb_info", self.tcb_info.clone().into()),
			(
				"tcb_info_signature",
				hex::encode(&self.tcb_info_signature).into(),
			),
			(
				"qe_identity_issuer_chain",
				self.qe_identity_issuer_chain.clone().into(),
			),
			("qe_identity", self.qe_identity.clone().into()),
			(
				"qe_identity_signature",
				hex::encode(&self.qe_identity_signature).into(),
			),
		];
		let body = fields
			.iter()
			.map(|(k, v)| format!("  {}: {}", json_str(k), v))
			.collect::<Vec<_>>()
			.join(",\n");
		format!("{{\n{body}\n}}\n")
	}
}

/// A JSON string literal (serde_json's escaping).
fn json_str(s: &str) -> String {
	serde_json::Value::from(s).to_string()
}

fn hex_upper(bytes: &[u8]) -> String {
	hex::encode_upper(bytes)
}

fn advisories(ids: &[String]) -> String {
	if ids.is_empty() {
		String::new()
	} else {
		let list = ids
			.iter()
			.map(|s| json_str(s))
			.collect::<Vec<_>>()
			.join(",");
		format!(",\"advisoryIDs\":[{list}]")
	}
}

fn isv_levels(levels: &[IsvTcbLevel]) -> Result<String> {
	let items = levels
		.iter()
		.map(|l| {
			Ok(format!(
				"{{\"tcb\":{{\"isvsvn\":{}}},\"tcbDate\":\"{}\",\"tcbStatus\":\"{}\"{}}}",
				l.isv_svn,
				rfc3339(l.tcb_date)?,
				l.status.as_str(),
				advisories(&l.advisory_ids)
			))
		})
		.collect::<Result<Vec<_>>>()?;
	Ok(format!("[{}]", items.join(",")))
}

fn components(svns: &[u8; 16]) -> String {
	let items = svns
		.iter()
		.map(|s| format!("{{\"svn\":{s}}}"))
		.collect::<Vec<_>>();
	format!("[{}]", items.join(","))
}

/// The `tcbInfo` JSON (version 3, id "TDX"), keys in Intel's order.
pub(crate) fn tcb_info_json(cfg: &TdxTcbConfig, issue: u64, next: u64) -> Result<String> {
	let identities = cfg
        .tdx_module_identities
        .iter()
        .map(|m| {
            Ok(format!(
                "{{\"id\":\"TDX_{:02X}\",\"mrsigner\":\"{}\",\"attributes\":\"{}\",\"attributesMask\":\"{}\",\"tcbLevels\":{}}}",
                m.version,
                hex_upper(&m.mr_signer),
                hex_upper(&m.attributes),
                hex_upper(&m.attributes_mask),
                isv_levels(&m.tcb_levels)?
            ))
        })
        .collect::<Result<Vec<_>>>()?;
	let levels = cfg
        .tcb_levels
        .iter()
        .map(|l| {
            Ok(format!(
                "{{\"tcb\":{{\"sgxtcbcomponents\":{},\"pcesvn\":{},\"tdxtcbcomponents\":{}}},\"tcbDate\":\"{}\",\"tcbStatus\":\"{}\"{}}}",
                components(&l.sgx_components),
                l.pce_svn,
                components(&l.tdx_components),
                rfc3339(l.tcb_date)?,
                l.status.as_str(),
                advisories(&l.advisory_ids)
            ))
        })
        .collect::<Result<Vec<_>>>()?;
	Ok(format!(
        "{{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"{}\",\"nextUpdate\":\"{}\",\"fmspc\":\"{}\",\"pceId\":\"{}\",\"tcbType\":0,\"tcbEvaluationDataNumber\":{},\"tdxModule\":{{\"mrsigner\":\"{}\",\"attributes\":\"{}\",\"attributesMask\":\"{}\"}},\"tdxModuleIdentities\":[{}],\"tcbLevels\":[{}]}}",
        rfc3339(issue)?,
        rfc3339(next)?,
        hex_upper(&cfg.fmspc),
        hex_upper(&cfg.pce_id),
        cfg.tcb_evaluation_data_number,
        hex_upper(&cfg.tdx_module_mr_signer),
        hex_upper(&cfg.tdx_module_attributes),
        hex_upper(&cfg.tdx_module_attributes_mask),
        identities.join(","),
        levels.join(",")
    ))
}

/// The `enclaveIdentity` JSON (version 2, id "TD_QE"), keys in Intel's order.
pub(crate) fn qe_identity_json(cfg: &TdxTcbConfig, issue: u64, next: u64) -> Result<String> {
	let q = &cfg.qe_identity;
	Ok(format!(
        "{{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"{}\",\"nextUpdate\":\"{}\",\"tcbEvaluationDataNumber\":{},\"miscselect\":\"{}\",\"miscselectMask\":\"{}\",\"attributes\":\"{}\",\"attributesMask\":\"{}\",\"mrsigner\":\"{}\",\"isvprodid\":{},\"tcbLevels\":{}}}",
        rfc3339(issue)?,
        rfc3339(next)?,
        cfg.tcb_evaluation_data_number,
        hex_upper(&q.misc_select.to_le_bytes()),
        hex_upper(&q.misc_select_mask.to_le_bytes()),
        hex_upper(&q.attributes),
        hex_upper(&q.attributes_mask),
        hex_upper(&q.mr_signer),
        q.isv_prod_id,
        isv_levels(&q.tcb_levels)?
    ))
}

/// Mint the collateral valid from `now - issued_before_now` for `validity` seconds.
pub(crate) fn mint_collateral(
	pki: &IntelPki,
	now: u64,
	cfg: &TdxTcbConfig,
) -> Result<TdxCollateral> {
	let issue = now
		.checked_sub(cfg.issued_before_now)
		.ok_or(Error::Time(now))?;
	let next = issue.checked_add(cfg.validity).ok_or(Error::Time(issue))?;
	let tcb_info = tcb_info_json(cfg, issue, next)?;
	let qe_identity = qe_identity_json(cfg, issue, next)?;
	let signer = if cfg.sign_documents_with_pck_ca {
		pki.pck_ca(cfg.pck_ca)
	} else {
		&pki.tcb_signing
	};
	let tcb_info_signature = sign_raw_p256(&signer.key, "TCB Info", tcb_info.as_bytes())?.to_vec();
	let qe_identity_signature =
		sign_raw_p256(&signer.key, "QE Identity", qe_identity.as_bytes())?.to_vec();
	let tcb_chain = pki.chain_pem(signer)?;
	Ok(TdxCollateral {
		pck_crl_issuer_chain: pki.chain_pem(pki.pck_ca(cfg.pck_ca))?,
		root_ca_crl: pki.root_ca_crl(issue, next, &cfg.revoked_ca_serials)?,
		pck_crl: pki.pck_crl(cfg.pck_ca, issue, next, &cfg.revoked_pck_serials)?,
		tcb_info_issuer_chain: tcb_chain.clone(),
		tcb_info,
		tcb_info_signature,
		qe_identity_issuer_chain: tcb_chain,
		qe_identity,
		qe_identity_signature,
	})
}

/// The serial number (big-endian bytes) of the PCK certificate of `platform`, to revoke it.
pub(crate) fn pck_serial(pki: &IntelPki, platform: &TdxPlatform) -> Result<Vec<u8>> {
	let pck = pki.pck(platform)?;
	Ok(pck
		.cert
		.tbs_certificate()
		.serial_number()
		.as_bytes()
		.to_vec())
}
