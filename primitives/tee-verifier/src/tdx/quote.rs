//! Layout of Intel DCAP quotes v4 and v5 carrying a TD report (Intel TDX DCAP Quoting Library
//! API, "Quote Format"). All integers are little-endian; every length field is checked against
//! the bytes actually present before anything is sliced, and nothing is allocated here.

use crate::error::TdxError;

/// TEE type of TDX in the quote header.
pub(crate) const TEE_TYPE_TDX: u32 = 0x81;
/// Attestation key type ECDSA-256 with P-256.
const ATTESTATION_KEY_TYPE_P256: u16 = 2;
/// Intel's QE vendor ID.
const INTEL_QE_VENDOR_ID: [u8; 16] = [
	0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07,
];
const HEADER_LEN: usize = 48;
const V5_BODY_HEADER_LEN: usize = 6;
const TD10_LEN: usize = 584;
const TD15_LEN: usize = 648;
/// v5 body types.
const BODY_TD10: u16 = 2;
const BODY_TD15: u16 = 3;
/// Certification data types.
const CERT_DATA_QE_REPORT: u16 = 6;
const CERT_DATA_PCK_CHAIN: u16 = 5;
/// SGX REPORT of the quoting enclave.
pub(crate) const QE_REPORT_LEN: usize = 384;

/// A byte cursor whose reads fail with [`TdxError::QuoteTruncated`] instead of panicking.
struct Cursor<'a> {
	rest: &'a [u8],
}

impl<'a> Cursor<'a> {
	fn take(&mut self, n: usize) -> Result<&'a [u8], TdxError> {
		let (head, tail) = self
			.rest
			.split_at_checked(n)
			.ok_or(TdxError::QuoteTruncated)?;
		self.rest = tail;
		Ok(head)
	}
	fn array<const N: usize>(&mut self) -> Result<[u8; N], TdxError> {
		self.take(N)?
			.try_into()
			.map_err(|_| TdxError::QuoteTruncated)
	}
	fn u16(&mut self) -> Result<u16, TdxError> {
		self.array().map(u16::from_le_bytes)
	}
	fn u32(&mut self) -> Result<u32, TdxError> {
		self.array().map(u32::from_le_bytes)
	}
	fn len_u32(&mut self) -> Result<usize, TdxError> {
		usize::try_from(self.u32()?).map_err(|_| TdxError::QuoteTruncated)
	}
}

/// A TD report body (TDX 1.0 fields plus the TDX 1.5 additions when present).
#[derive(Clone, Debug)]
pub(crate) struct TdReport {
	pub tee_tcb_svn: [u8; 16],
	pub mr_seam: [u8; 48],
	pub mr_signer_seam: [u8; 48],
	pub seam_attributes: [u8; 8],
	pub td_attributes: [u8; 8],
	pub xfam: [u8; 8],
	pub mr_td: [u8; 48],
	pub mr_config_id: [u8; 48],
	pub mr_owner: [u8; 48],
	pub mr_owner_config: [u8; 48],
	pub rtmr: [[u8; 48]; 4],
	pub report_data: [u8; 64],
	pub tee_tcb_svn2: Option<[u8; 16]>,
	pub mr_service_td: Option<[u8; 48]>,
}

impl TdReport {
	fn parse(body: &[u8], td15: bool) -> Result<Self, TdxError> {
		let mut c = Cursor { rest: body };
		let mut r = TdReport {
			tee_tcb_svn: c.array()?,
			mr_seam: c.array()?,
			mr_signer_seam: c.array()?,
			seam_attributes: c.array()?,
			td_attributes: c.array()?,
			xfam: c.array()?,
			mr_td: c.array()?,
			mr_config_id: c.array()?,
			mr_owner: c.array()?,
			mr_owner_config: c.array()?,
			rtmr: [c.array()?, c.array()?, c.array()?, c.array()?],
			report_data: c.array()?,
			tee_tcb_svn2: None,
			mr_service_td: None,
		};
		if td15 {
			r.tee_tcb_svn2 = Some(c.array()?);
			r.mr_service_td = Some(c.array()?);
		}
		Ok(r)
	}
}

/// The fields of the QE's SGX REPORT that DCAP checks.
#[derive(Clone, Debug)]
pub(crate) struct QeReport {
	/// MISCSELECT as stored (a little-endian u32).
	pub misc_select: [u8; 4],
	pub attributes: [u8; 16],
	pub mr_signer: [u8; 32],
	pub isv_prod_id: u16,
	pub isv_svn: u16,
	pub report_data: [u8; 64],
}

impl QeReport {
	/// An all-zero report, for fuzzing the identity matching.
	#[cfg(feature = "fuzzing")]
	pub fn fuzz_default() -> Self {
		QeReport {
			misc_select: [0; 4],
			attributes: [0; 16],
			mr_signer: [0; 32],
			isv_prod_id: 0,
			isv_svn: 0,
			report_data: [0; 64],
		}
	}

	fn parse(bytes: &[u8]) -> Result<Self, TdxError> {
		let mut c = Cursor { rest: bytes };
		let _cpu_svn = c.take(16)?;
		let misc_select = c.array()?;
		let _reserved1 = c.take(28)?;
		let attributes = c.array()?;
		let _mr_enclave = c.take(32)?;
		let _reserved2 = c.take(32)?;
		let mr_signer = c.array()?;
		let _reserved3 = c.take(96)?;
		let isv_prod_id = c.u16()?;
		let isv_svn = c.u16()?;
		let _reserved4 = c.take(60)?;
		let report_data = c.array()?;
		Ok(QeReport {
			misc_select,
			attributes,
			mr_signer,
			isv_prod_id,
			isv_svn,
			report_data,
		})
	}
}

/// A parsed quote, borrowing its variable-length parts.
#[derive(Clone, Debug)]
pub(crate) struct Quote<'a> {
	pub version: u16,
	/// Header and body: what the attestation key signed.
	pub signed: &'a [u8],
	pub report: TdReport,
	/// ECDSA signature `r || s` by the attestation key over `signed`.
	pub signature: [u8; 64],
	/// The attestation public key `x || y`.
	pub attestation_key: [u8; 64],
	/// The QE's SGX REPORT, raw (signed by the PCK key).
	pub qe_report_raw: &'a [u8],
	pub qe_report: QeReport,
	/// PCK signature `r || s` over `qe_report_raw`.
	pub qe_report_signature: [u8; 64],
	pub qe_auth_data: &'a [u8],
	/// The PEM PCK certificate chain.
	pub pck_chain_pem: &'a [u8],
}

impl<'a> Quote<'a> {
	/// Parse a TDX quote. Trailing bytes after the authentication data must be zero (quote
	/// buffers are often zero-padded); anything else is refused.
	pub fn parse(bytes: &'a [u8]) -> Result<Self, TdxError> {
		if bytes.len() > crate::evidence::MAX_QUOTE_LEN as usize {
			return Err(TdxError::QuoteTooLong);
		}
		let mut c = Cursor { rest: bytes };
		let version = c.u16()?;
		let attestation_key_type = c.u16()?;
		let tee_type = c.u32()?;
		let _qe_svn = c.u16()?;
		let _pce_svn = c.u16()?;
		let qe_vendor_id: [u8; 16] = c.array()?;
		let _user_data = c.take(20)?;
		// The TEE type decides whether this is our kind of quote at all, so check it first.
		if tee_type != TEE_TYPE_TDX {
			return Err(TdxError::NotTdx(tee_type));
		}
		if version != 4 && version != 5 {
			return Err(TdxError::UnsupportedQuoteVersion(version));
		}
		if attestation_key_type != ATTESTATION_KEY_TYPE_P256 {
			return Err(TdxError::UnsupportedAttestationKeyType(
				attestation_key_type,
			));
		}
		if qe_vendor_id != INTEL_QE_VENDOR_ID {
			return Err(TdxError::UnknownQeVendor);
		}
		let (body, td15, signed_len) = if version == 4 {
			let body = c.take(TD10_LEN)?;
			(body, false, HEADER_LEN.saturating_add(TD10_LEN))
		} else {
			let body_type = c.u16()?;
			let body_size = c.len_u32()?;
			let (td15, expected) = match body_type {
				BODY_TD10 => (false, TD10_LEN),
				BODY_TD15 => (true, TD15_LEN),
				other => return Err(TdxError::UnsupportedBodyType(other)),
			};
			if body_size != expected {
				return Err(TdxError::BodySizeMismatch);
			}
			let body = c.take(body_size)?;
			(
				body,
				td15,
				HEADER_LEN
					.saturating_add(V5_BODY_HEADER_LEN)
					.saturating_add(body_size),
			)
		};
		let report = TdReport::parse(body, td15)?;
		let signed = bytes.get(..signed_len).ok_or(TdxError::QuoteTruncated)?;

		let auth_len = c.len_u32()?;
		let auth = c.take(auth_len)?;
		if c.rest.iter().any(|&b| b != 0) {
			return Err(TdxError::TrailingBytes);
		}

		let mut a = Cursor { rest: auth };
		let signature = a.array()?;
		let attestation_key = a.array()?;
		let cert_type = a.u16()?;
		if cert_type != CERT_DATA_QE_REPORT {
			return Err(TdxError::UnsupportedCertificationDataType(cert_type));
		}
		let cert_len = a.len_u32()?;
		let cert_data = a.take(cert_len)?;

		let mut q = Cursor { rest: cert_data };
		let qe_report_raw = q.take(QE_REPORT_LEN)?;
		let qe_report = QeReport::parse(qe_report_raw)?;
		let qe_report_signature = q.array()?;
		let qe_auth_len = usize::from(q.u16()?);
		let qe_auth_data = q.take(qe_auth_len)?;
		let inner_type = q.u16()?;
		if inner_type != CERT_DATA_PCK_CHAIN {
			return Err(TdxError::UnsupportedCertificationDataType(inner_type));
		}
		let chain_len = q.len_u32()?;
		let pck_chain_pem = q.take(chain_len)?;

		Ok(Quote {
			version,
			signed,
			report,
			signature,
			attestation_key,
			qe_report_raw,
			qe_report,
			qe_report_signature,
			qe_auth_data,
			pck_chain_pem,
		})
	}
}
