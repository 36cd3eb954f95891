//! The Intel SGX extension of PCK certificates (OID 1.2.840.113741.1.13.1): the platform's
//! FMSPC, PCE-ID, CPUSVN and PCESVN, which select the TCB Info and its TCB level, and its PPID,
//! which names the platform.

use crate::asn1::{self, oid, tag, Reader};
use crate::error::{CertError, CertRole, TdxError};
use crate::x509::Certificate;

/// Sub-OIDs (last arcs after the SGX extension OID).
const PPID: &[u8] = &[0x01];
const TCB: &[u8] = &[0x02];
const PCE_ID: &[u8] = &[0x03];
const FMSPC: &[u8] = &[0x04];
const TCB_PCESVN: &[u8] = &[0x02, 0x11];
const TCB_CPUSVN: &[u8] = &[0x02, 0x12];

/// What TCB matching needs from a PCK certificate, and the platform it certifies.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PckInfo {
	/// Platform Provisioning ID: one per platform (CPU package, or multi-package platform).
	pub ppid: [u8; 16],
	pub fmspc: [u8; 6],
	pub pce_id: [u8; 2],
	pub cpu_svn: [u8; 16],
	pub pce_svn: u16,
}

/// The last arcs of `id` below the SGX extension OID, if it is one.
fn sgx_arcs(id: &[u8]) -> Option<&[u8]> {
	id.strip_prefix(oid::SGX_EXTENSIONS)
}

/// Iterate the `SEQUENCE { OID, value }` entries of an SGX extension sequence.
fn entries<'a>(seq: &'a [u8]) -> impl Iterator<Item = Option<(&'a [u8], asn1::Tlv<'a>)>> + 'a {
	let mut r = Reader::new(seq);
	core::iter::from_fn(move || {
		if r.is_empty() {
			return None;
		}
		Some((|| {
			let mut e = r.nested(tag::SEQUENCE)?;
			let id = e.expect(tag::OID)?.value;
			let value = e.any()?;
			e.is_empty().then_some((id, value))
		})())
	})
}

fn octets<const N: usize>(v: &asn1::Tlv<'_>) -> Option<[u8; N]> {
	if v.tag != tag::OCTET_STRING {
		return None;
	}
	v.value.try_into().ok()
}

/// Parse the SGX extension of a PCK leaf certificate.
pub(crate) fn parse(leaf: &Certificate<'_>) -> Result<PckInfo, TdxError> {
	let bad = TdxError::Certificate(CertRole::PckLeaf, CertError::BadExtension);
	let ext = leaf
		.extension(oid::SGX_EXTENSIONS)
		.map_err(|e| TdxError::Certificate(CertRole::PckLeaf, e))?
		.ok_or(bad)?;
	let outer = asn1::single(ext.value, tag::SEQUENCE).ok_or(bad)?;
	let (mut ppid, mut fmspc, mut pce_id, mut cpu_svn, mut pce_svn) =
		(None, None, None, None, None);
	for entry in entries(outer.value) {
		let (id, value) = entry.ok_or(bad)?;
		match sgx_arcs(id) {
			Some(PPID) => ppid = Some(octets::<16>(&value).ok_or(bad)?),
			Some(FMSPC) => fmspc = Some(octets::<6>(&value).ok_or(bad)?),
			Some(PCE_ID) => pce_id = Some(octets::<2>(&value).ok_or(bad)?),
			Some(TCB) => {
				if value.tag != tag::SEQUENCE {
					return Err(bad);
				}
				for component in entries(value.value) {
					let (cid, cvalue) = component.ok_or(bad)?;
					match sgx_arcs(cid) {
						Some(TCB_CPUSVN) => cpu_svn = Some(octets::<16>(&cvalue).ok_or(bad)?),
						Some(TCB_PCESVN) => {
							let v = (cvalue.tag == tag::INTEGER)
								.then(|| asn1::small_uint(cvalue.value))
								.flatten()
								.and_then(|v| u16::try_from(v).ok())
								.ok_or(bad)?;
							pce_svn = Some(v);
						}
						_ => {}
					}
				}
			}
			_ => {}
		}
	}
	Ok(PckInfo {
		ppid: ppid.ok_or(bad)?,
		fmspc: fmspc.ok_or(bad)?,
		pce_id: pce_id.ok_or(bad)?,
		cpu_svn: cpu_svn.ok_or(bad)?,
		pce_svn: pce_svn.ok_or(bad)?,
	})
}
