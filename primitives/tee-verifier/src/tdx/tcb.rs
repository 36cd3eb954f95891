//! Intel's signed collateral JSON (TCB Info v3, QE Identity v2) and TCB level matching.
//!
//! The rules follow Intel's Quote Verification Library: levels are tried from the highest
//! (sorted by SGX components, then PCESVN, then TDX components, all descending) and the first
//! level the platform meets in every component wins; a non-zero TDX module version
//! (`TEE_TCB_SVN[1]`) leaves TDX components 0 and 1 to the TDX module identity of that version;
//! component statuses converge into the platform status (only `OutOfDate` and `Revoked`
//! components change it).

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use serde::Deserialize;

use crate::error::{CollateralPart, TdxError};
use crate::time;
use crate::verify::TcbStatus;

/// Largest number of TCB levels (platform, module or QE) accepted in one collateral item.
const MAX_LEVELS: usize = 256;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TcbInfo {
	pub id: String,
	pub version: u32,
	pub issue_date: String,
	pub next_update: String,
	pub fmspc: String,
	pub pce_id: String,
	pub tcb_evaluation_data_number: u32,
	pub tdx_module: Option<ModuleIdentityBase>,
	#[serde(default)]
	pub tdx_module_identities: Vec<ModuleIdentity>,
	pub tcb_levels: Vec<TcbLevel>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ModuleIdentityBase {
	pub mrsigner: String,
	pub attributes: String,
	pub attributes_mask: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ModuleIdentity {
	pub id: String,
	pub mrsigner: String,
	pub attributes: String,
	pub attributes_mask: String,
	pub tcb_levels: Vec<IsvLevel>,
}

#[derive(Deserialize)]
pub(crate) struct Component {
	pub svn: u8,
}

#[derive(Deserialize)]
pub(crate) struct Tcb {
	pub sgxtcbcomponents: Vec<Component>,
	pub pcesvn: u16,
	#[serde(default)]
	pub tdxtcbcomponents: Vec<Component>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TcbLevel {
	pub tcb: Tcb,
	pub tcb_date: String,
	pub tcb_status: String,
	#[serde(rename = "advisoryIDs", default)]
	pub advisory_ids: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct IsvTcb {
	pub isvsvn: u16,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IsvLevel {
	pub tcb: IsvTcb,
	pub tcb_date: String,
	pub tcb_status: String,
	#[serde(rename = "advisoryIDs", default)]
	pub advisory_ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QeIdentity {
	pub id: String,
	pub version: u32,
	pub issue_date: String,
	pub next_update: String,
	pub tcb_evaluation_data_number: u32,
	pub miscselect: String,
	pub miscselect_mask: String,
	pub attributes: String,
	pub attributes_mask: String,
	pub mrsigner: String,
	pub isvprodid: u16,
	pub tcb_levels: Vec<IsvLevel>,
}

/// Parse one of the signed JSON objects.
pub(crate) fn parse_json<'de, T: Deserialize<'de>>(
	bytes: &'de [u8],
	part: CollateralPart,
) -> Result<T, TdxError> {
	serde_json::from_slice(bytes).map_err(|_| TdxError::CollateralMalformed(part))
}

/// Hex string of exactly `N` bytes.
pub(crate) fn hex_array<const N: usize>(
	s: &str,
	part: CollateralPart,
) -> Result<[u8; N], TdxError> {
	let bad = TdxError::CollateralMalformed(part);
	let b = s.as_bytes();
	if b.len() != N.checked_mul(2).ok_or(bad)? {
		return Err(bad);
	}
	let nibble = |c: u8| -> Option<u8> {
		match c {
			b'0'..=b'9' => c.checked_sub(b'0'),
			b'a'..=b'f' => c.checked_sub(b'a')?.checked_add(10),
			b'A'..=b'F' => c.checked_sub(b'A')?.checked_add(10),
			_ => None,
		}
	};
	let mut out = [0u8; N];
	for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
		let hi = pair.first().copied().and_then(nibble).ok_or(bad)?;
		let lo = pair.get(1).copied().and_then(nibble).ok_or(bad)?;
		*o = (hi << 4) | lo;
	}
	Ok(out)
}

/// RFC 3339 date of a collateral item.
pub(crate) fn date(s: &str, part: CollateralPart) -> Result<u64, TdxError> {
	time::rfc3339(s).ok_or(TdxError::CollateralMalformed(part))
}

/// `issue <= now <= next`.
pub(crate) fn check_window(
	issue: &str,
	next: &str,
	now: u64,
	part: CollateralPart,
) -> Result<(u64, u64), TdxError> {
	let issue = date(issue, part)?;
	let next = date(next, part)?;
	if now < issue {
		return Err(TdxError::CollateralNotYetValid(part));
	}
	if now > next {
		return Err(TdxError::CollateralExpired(part));
	}
	Ok((issue, next))
}

fn status(s: &str) -> Result<TcbStatus, TdxError> {
	TcbStatus::from_intel_str(s).ok_or(TdxError::UnknownTcbStatus)
}

/// Intel QVL's `convergeTcbStatuses` of a platform status with a component (QE or TDX module)
/// status.
pub(crate) fn converge(platform: TcbStatus, component: TcbStatus) -> TcbStatus {
	use TcbStatus::*;
	match (component, platform) {
		(Revoked, _) => Revoked,
		(OutOfDate, UpToDate | SWHardeningNeeded) => OutOfDate,
		(OutOfDate, ConfigurationNeeded | ConfigurationAndSWHardeningNeeded) => {
			OutOfDateConfigurationNeeded
		}
		_ => platform,
	}
}

fn configuration_needed(s: TcbStatus) -> bool {
	use TcbStatus::*;
	matches!(
		s,
		ConfigurationNeeded
			| OutOfDateConfigurationNeeded
			| ConfigurationAndSWHardeningNeeded
			| TDRelaunchAdvisedConfigurationNeeded
	)
}

/// The outcome of matching one TCB.
#[derive(Clone, Debug)]
pub(crate) struct Matched {
	pub status: TcbStatus,
	pub advisory_ids: Vec<String>,
	pub tcb_date: u64,
}

impl Matched {
	/// Converge with a component's level: status, union of advisories, oldest date.
	pub fn absorb(&mut self, status: TcbStatus, advisories: &[String], tcb_date: u64) {
		self.status = converge(self.status, status);
		for a in advisories {
			if !self.advisory_ids.contains(a) {
				self.advisory_ids.push(a.clone());
			}
		}
		self.tcb_date = self.tcb_date.min(tcb_date);
	}
}

fn svns(c: &[Component]) -> impl Iterator<Item = u8> + '_ {
	c.iter().map(|c| c.svn)
}

/// Whether the platform's SGX components and PCESVN meet `level`'s.
fn meets_sgx(level: &TcbLevel, cpu_svn: &[u8; 16], pce_svn: u16) -> bool {
	cpu_svn
		.iter()
		.zip(svns(&level.tcb.sgxtcbcomponents))
		.all(|(have, need)| *have >= need)
		&& pce_svn >= level.tcb.pcesvn
}

fn order_levels(a: &TcbLevel, b: &TcbLevel) -> Ordering {
	svns(&b.tcb.sgxtcbcomponents)
		.cmp(svns(&a.tcb.sgxtcbcomponents))
		.then(b.tcb.pcesvn.cmp(&a.tcb.pcesvn))
		.then_with(|| svns(&b.tcb.tdxtcbcomponents).cmp(svns(&a.tcb.tdxtcbcomponents)))
}

impl TcbInfo {
	/// Check the shape Intel's QVL relies on and sort the levels highest first.
	pub fn canonicalize(&mut self) -> Result<(), TdxError> {
		let bad = TdxError::CollateralMalformed(CollateralPart::TcbInfo);
		if self.tcb_levels.len() > MAX_LEVELS || self.tdx_module_identities.len() > MAX_LEVELS {
			return Err(bad);
		}
		for l in &self.tcb_levels {
			if l.tcb.sgxtcbcomponents.len() != 16 || l.tcb.tdxtcbcomponents.len() != 16 {
				return Err(bad);
			}
		}
		self.tcb_levels.sort_by(order_levels);
		for m in &mut self.tdx_module_identities {
			if m.tcb_levels.len() > MAX_LEVELS {
				return Err(bad);
			}
			m.tcb_levels
				.sort_by_key(|l| core::cmp::Reverse(l.tcb.isvsvn));
		}
		Ok(())
	}

	/// The TDX module identity for module version `tee_tcb_svn[1]` (none for version 0).
	fn module_identity(&self, tee_tcb_svn: &[u8; 16]) -> Result<Option<&ModuleIdentity>, TdxError> {
		let version = tee_tcb_svn[1];
		if version == 0 {
			return Ok(None);
		}
		self.tdx_module_identities
			.iter()
			.find(|m| {
				// Identities are named `TDX_XX`, XX the module version in hex.
				m.id.strip_prefix("TDX_")
					.and_then(|v| hex_array::<1>(v, CollateralPart::TcbInfo).ok())
					.is_some_and(|[v]| v == version)
			})
			.map(Some)
			.ok_or(TdxError::NoMatchingTdxModuleLevel)
	}

	/// Match the platform TCB for one TEE_TCB_SVN and converge it with the TDX module level.
	pub fn match_tdx(
		&self,
		cpu_svn: &[u8; 16],
		pce_svn: u16,
		tee_tcb_svn: &[u8; 16],
	) -> Result<Matched, TdxError> {
		let skip = if tee_tcb_svn[1] > 0 { 2 } else { 0 };
		let level = self
			.tcb_levels
			.iter()
			.find(|l| {
				meets_sgx(l, cpu_svn, pce_svn)
					&& tee_tcb_svn
						.iter()
						.zip(svns(&l.tcb.tdxtcbcomponents))
						.skip(skip)
						.all(|(have, need)| *have >= need)
			})
			.ok_or(TdxError::NoMatchingTcbLevel)?;
		let mut m = Matched {
			status: status(&level.tcb_status)?,
			advisory_ids: level.advisory_ids.clone(),
			tcb_date: date(&level.tcb_date, CollateralPart::TcbInfo)?,
		};
		if let Some(ml) = self.module_level(tee_tcb_svn)? {
			m.absorb(
				status(&ml.tcb_status)?,
				&ml.advisory_ids,
				date(&ml.tcb_date, CollateralPart::TcbInfo)?,
			);
		}
		Ok(m)
	}

	/// Status of the highest level the platform's SGX components and PCESVN meet (Intel's
	/// "SGX TCB status"), if any.
	fn sgx_status(&self, cpu_svn: &[u8; 16], pce_svn: u16) -> Result<Option<TcbStatus>, TdxError> {
		self.tcb_levels
			.iter()
			.find(|l| meets_sgx(l, cpu_svn, pce_svn))
			.map(|l| status(&l.tcb_status))
			.transpose()
	}

	/// The TDX module's TCB level for TEE_TCB_SVN (`None` for module version 0).
	fn module_level(&self, tee_tcb_svn: &[u8; 16]) -> Result<Option<&IsvLevel>, TdxError> {
		let Some(module) = self.module_identity(tee_tcb_svn)? else {
			return Ok(None);
		};
		let module_svn = u16::from(tee_tcb_svn[0]);
		module
			.tcb_levels
			.iter()
			.find(|l| module_svn >= l.tcb.isvsvn)
			.map(Some)
			.ok_or(TdxError::NoMatchingTdxModuleLevel)
	}

	/// Status of the TDX module level for TEE_TCB_SVN (`None` for module version 0).
	fn module_status(&self, tee_tcb_svn: &[u8; 16]) -> Result<Option<TcbStatus>, TdxError> {
		self.module_level(tee_tcb_svn)?
			.map(|l| status(&l.tcb_status))
			.transpose()
	}

	/// Intel QVL's `checkForRelaunch` for a TD 1.5 quote: `TDRelaunchAdvised` (or its
	/// configuration-needed form) only when the QE is current, the SGX TCB level is not out of
	/// date, the TDX level at launch is out of date *because of the TDX module* (module version
	/// non-zero and its level OutOfDate), and TEE_TCB_SVN2 meets the latest TCB level (module
	/// ISVSVN: the latest level of TEE_TCB_SVN2's module identity; TDX component 2: the latest
	/// platform level). Otherwise the launch status `tdx_status` stands.
	pub fn relaunch_status(
		&self,
		cpu_svn: &[u8; 16],
		pce_svn: u16,
		tee_tcb_svn: &[u8; 16],
		tee_tcb_svn2: &[u8; 16],
		tdx_status: TcbStatus,
		qe_status: TcbStatus,
	) -> Result<TcbStatus, TdxError> {
		use TcbStatus::*;
		let qe_current = !matches!(
			qe_status,
			OutOfDate | OutOfDateConfigurationNeeded | Revoked
		);
		let sgx_status = self.sgx_status(cpu_svn, pce_svn)?;
		let sgx_current = matches!(
			sgx_status,
			Some(
				UpToDate
					| SWHardeningNeeded
					| ConfigurationNeeded
					| ConfigurationAndSWHardeningNeeded
			)
		);
		let launch_out_of_date = matches!(tdx_status, OutOfDate | OutOfDateConfigurationNeeded);
		let module_out_of_date = self.module_status(tee_tcb_svn)? == Some(OutOfDate);
		if !(qe_current && sgx_current && launch_out_of_date && module_out_of_date) {
			return Ok(tdx_status);
		}
		let latest = self
			.tcb_levels
			.first()
			.ok_or(TdxError::NoMatchingTcbLevel)?;
		let latest_component = |i: usize| {
			latest
				.tcb
				.tdxtcbcomponents
				.get(i)
				.map(|c| c.svn)
				.ok_or(TdxError::CollateralMalformed(CollateralPart::TcbInfo))
		};
		let module_svn_needed = match self.module_identity(tee_tcb_svn2)? {
			None => u16::from(latest_component(0)?),
			Some(module) => {
				module
					.tcb_levels
					.first()
					.ok_or(TdxError::NoMatchingTdxModuleLevel)?
					.tcb
					.isvsvn
			}
		};
		let meets_latest = u16::from(tee_tcb_svn2[0]) >= module_svn_needed
			&& tee_tcb_svn2[2] >= latest_component(2)?;
		if !meets_latest {
			return Ok(tdx_status);
		}
		let config =
			sgx_status.is_some_and(configuration_needed) || configuration_needed(tdx_status);
		Ok(if config {
			TDRelaunchAdvisedConfigurationNeeded
		} else {
			TDRelaunchAdvised
		})
	}

	/// Check MRSIGNERSEAM and SEAMATTRIBUTES against the module identity (the version-specific
	/// one if there is one, else the base `tdxModule`).
	pub fn check_module(
		&self,
		tee_tcb_svn: &[u8; 16],
		mr_signer_seam: &[u8; 48],
		seam_attributes: &[u8; 8],
	) -> Result<(), TdxError> {
		let part = CollateralPart::TcbInfo;
		let (signer, attributes, mask) = match self.module_identity(tee_tcb_svn)? {
			Some(m) => (&m.mrsigner, &m.attributes, &m.attributes_mask),
			None => {
				let base = self.tdx_module.as_ref().ok_or(TdxError::TcbInfoMismatch)?;
				(&base.mrsigner, &base.attributes, &base.attributes_mask)
			}
		};
		let signer: [u8; 48] = hex_array(signer, part)?;
		let attributes: [u8; 8] = hex_array(attributes, part)?;
		let mask: [u8; 8] = hex_array(mask, part)?;
		if &signer != mr_signer_seam {
			return Err(TdxError::TdxModuleMismatch);
		}
		for ((have, want), m) in seam_attributes
			.iter()
			.zip(attributes.iter())
			.zip(mask.iter())
		{
			if have & m != want & m || have & !m != 0 {
				return Err(TdxError::TdxModuleMismatch);
			}
		}
		Ok(())
	}
}

fn masked_eq(have: &[u8], want: &[u8], mask: &[u8]) -> bool {
	have.iter()
		.zip(want)
		.zip(mask)
		.all(|((h, w), m)| h & m == w & m)
}

impl QeIdentity {
	/// Check the QE report against the identity and return its QE TCB level.
	pub fn match_qe(&mut self, qe: &super::quote::QeReport) -> Result<Matched, TdxError> {
		let part = CollateralPart::QeIdentity;
		if self.tcb_levels.len() > MAX_LEVELS {
			return Err(TdxError::CollateralMalformed(part));
		}
		let mrsigner: [u8; 32] = hex_array(&self.mrsigner, part)?;
		let misc: [u8; 4] = hex_array(&self.miscselect, part)?;
		let misc_mask: [u8; 4] = hex_array(&self.miscselect_mask, part)?;
		let attributes: [u8; 16] = hex_array(&self.attributes, part)?;
		let attributes_mask: [u8; 16] = hex_array(&self.attributes_mask, part)?;
		// Both are compared as bytes in report order, as Intel's QVL does.
		let attributes_ok = masked_eq(&qe.attributes, &attributes, &attributes_mask);
		if qe.mr_signer != mrsigner
			|| qe.isv_prod_id != self.isvprodid
			|| !masked_eq(&qe.misc_select, &misc, &misc_mask)
			|| !attributes_ok
		{
			return Err(TdxError::QeReportMismatch);
		}
		self.tcb_levels
			.sort_by_key(|l| core::cmp::Reverse(l.tcb.isvsvn));
		let level = self
			.tcb_levels
			.iter()
			.find(|l| qe.isv_svn >= l.tcb.isvsvn)
			.ok_or(TdxError::NoMatchingQeTcbLevel)?;
		Ok(Matched {
			status: status(&level.tcb_status)?,
			advisory_ids: level.advisory_ids.clone(),
			tcb_date: date(&level.tcb_date, part)?,
		})
	}
}
