//! The release file: a release as JSON (what `nix build ./nixos#release` writes, what
//! `attest release propose` submits and `attest release show` prints), the recipe it was
//! measured from, and the field-by-field comparison `attest release check` makes.
//!
//! The JSON holds exactly what the chain's `Release` holds (hex strings for byte fields) plus
//! an optional `inputs` recipe: which files of the image directory, and which VM shape, the
//! measurements were computed from. `check` recomputes every measurement it can from the
//! recipe and the files and compares it with the release on chain; values it cannot
//! recompute (RTMR0, and RTMR1/RTMR2 of a UKI, see [`crate::measure::tdx`]) are reported as
//! such, never as passed.

use std::path::{Path, PathBuf};

use pallet_attestation::{Measurement, Release, ReleaseStatus, SnpPins, TdxMeasurements, TdxPins};
use serde::{Deserialize, Serialize};

use crate::{
	measure::{self, tdx},
	CliError,
};

/// Name of the release file in an image directory.
pub const RELEASE_FILE: &str = "release.json";

/// A release as JSON. Byte fields are lowercase hex.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseFile {
	/// Human-readable name.
	pub name: String,
	/// TDX measurements (all four registers), if the image runs on TDX.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub tdx: Option<TdxFile>,
	/// SEV-SNP launch MEASUREMENT, if the image runs on SEV-SNP.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub snp_measurement: Option<String>,
	/// TDX pins (unset: any value).
	#[serde(default)]
	pub tdx_pins: TdxPinsFile,
	/// SEV-SNP pins (unset: any value).
	#[serde(default)]
	pub snp_pins: SnpPinsFile,
	/// Allowed system hashes (SHA-256 of the system's store path).
	pub system_hashes: Vec<String>,
	/// Allowed services roots (empty: any).
	#[serde(default)]
	pub services_roots: Vec<String>,
	/// How the measurements were computed (absent in what the chain returns).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub inputs: Option<Inputs>,
}

/// TDX measurements as hex.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TdxFile {
	/// MRTD.
	pub mrtd: String,
	/// RTMR0.
	pub rtmr0: String,
	/// RTMR1.
	pub rtmr1: String,
	/// RTMR2.
	pub rtmr2: String,
}

/// TDX pins as hex.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TdxPinsFile {
	/// MRCONFIGID.
	#[serde(default)]
	pub mr_config_id: Option<String>,
	/// MROWNER.
	#[serde(default)]
	pub mr_owner: Option<String>,
	/// MROWNERCONFIG.
	#[serde(default)]
	pub mr_owner_config: Option<String>,
}

/// SEV-SNP pins as hex.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnpPinsFile {
	/// HOST_DATA.
	#[serde(default)]
	pub host_data: Option<String>,
	/// SHA-384 of the ID key.
	#[serde(default)]
	pub id_key_digest: Option<String>,
	/// SHA-384 of the author key.
	#[serde(default)]
	pub author_key_digest: Option<String>,
}

/// The recipe of a release: files relative to the image directory, and the VM shape.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
	/// The system's store path (`/run/current-system`), whose hash is the system hash.
	pub system_path: String,
	/// SEV-SNP: firmware and VM shape.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub snp: Option<SnpRecipe>,
	/// TDX: firmware, and the reference values not computed from files.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub tdx: Option<TdxRecipe>,
	/// The kernel or UKI booted directly (`-kernel`), relative to the image directory.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub kernel: Option<String>,
	/// The initrd given with `-initrd`, relative to the image directory.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub initrd: Option<String>,
	/// The command line given with `-append`.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub cmdline: Option<String>,
}

/// SEV-SNP part of a recipe.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnpRecipe {
	/// OVMF (AmdSev build), relative to the image directory.
	pub firmware: String,
	/// vCPUs of the VM.
	pub vcpus: u32,
	/// vCPU type as `sev-snp-measure` spells it.
	pub vcpu_type: String,
	/// Guest SEV features, hex (`0x1`).
	pub guest_features: String,
}

/// TDX part of a recipe.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TdxRecipe {
	/// TDVF, relative to the image directory.
	pub firmware: String,
	/// vCPUs of the VM shape the reference registers were taken for.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub vcpus: Option<u32>,
	/// Memory (MiB) of that shape.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub memory_mib: Option<u64>,
	/// How the VMM measures the firmware: `single-pass` (default) or `two-pass`.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub page_order: Option<String>,
}

fn decode<const N: usize>(field: &str, hex_str: &str) -> Result<[u8; N], String> {
	let bytes = hex::decode(hex_str.trim_start_matches("0x"))
		.map_err(|e| format!("{field}: not hex: {e}"))?;
	<[u8; N]>::try_from(bytes.as_slice())
		.map_err(|_| format!("{field}: {} bytes, expected {N}", bytes.len()))
}

fn decode_opt<const N: usize>(field: &str, v: &Option<String>) -> Result<Option<[u8; N]>, String> {
	v.as_deref().map(|s| decode(field, s)).transpose()
}

impl ReleaseFile {
	/// Read and parse a release file; every error names the file and the field.
	pub fn read(path: &Path) -> Result<Self, CliError> {
		let text = std::fs::read_to_string(path)
			.map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
		let file: Self = serde_json::from_str(&text)
			.map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
		file.to_chain()
			.map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
		Ok(file)
	}

	/// The chain's `Release` (status `Active`: the chain sets it) for this file.
	pub fn to_chain(&self) -> Result<Release, String> {
		let tdx = self
			.tdx
			.as_ref()
			.map(|t| -> Result<TdxMeasurements, String> {
				Ok(TdxMeasurements {
					mrtd: decode("tdx.mrtd", &t.mrtd)?,
					rtmr0: decode("tdx.rtmr0", &t.rtmr0)?,
					rtmr1: decode("tdx.rtmr1", &t.rtmr1)?,
					rtmr2: decode("tdx.rtmr2", &t.rtmr2)?,
				})
			})
			.transpose()?;
		let snp_measurement: Option<Measurement> =
			decode_opt("snp_measurement", &self.snp_measurement)?;
		if tdx.is_none() && snp_measurement.is_none() {
			return Err("a release needs tdx or snp_measurement".into());
		}
		let hashes = self
			.system_hashes
			.iter()
			.enumerate()
			.map(|(i, h)| decode::<32>(&format!("system_hashes[{i}]"), h))
			.collect::<Result<Vec<_>, _>>()?;
		if hashes.is_empty() {
			return Err("system_hashes is empty (a release must name its system)".into());
		}
		let roots = self
			.services_roots
			.iter()
			.enumerate()
			.map(|(i, h)| decode::<32>(&format!("services_roots[{i}]"), h))
			.collect::<Result<Vec<_>, _>>()?;
		let n_hashes = hashes.len();
		let n_roots = roots.len();
		Ok(Release {
			name: self.name.as_bytes().to_vec().try_into().map_err(|_| {
				format!(
					"name: longer than {} bytes",
					pallet_attestation::MAX_RELEASE_NAME_LEN
				)
			})?,
			tdx,
			snp_measurement,
			tdx_pins: TdxPins {
				mr_config_id: decode_opt("tdx_pins.mr_config_id", &self.tdx_pins.mr_config_id)?,
				mr_owner: decode_opt("tdx_pins.mr_owner", &self.tdx_pins.mr_owner)?,
				mr_owner_config: decode_opt(
					"tdx_pins.mr_owner_config",
					&self.tdx_pins.mr_owner_config,
				)?,
			},
			snp_pins: SnpPins {
				host_data: decode_opt("snp_pins.host_data", &self.snp_pins.host_data)?,
				id_key_digest: decode_opt("snp_pins.id_key_digest", &self.snp_pins.id_key_digest)?,
				author_key_digest: decode_opt(
					"snp_pins.author_key_digest",
					&self.snp_pins.author_key_digest,
				)?,
			},
			system_hashes: hashes
				.try_into()
				.map_err(|_| format!("system_hashes: {n_hashes} are too many"))?,
			services_roots: roots
				.try_into()
				.map_err(|_| format!("services_roots: {n_roots} are too many"))?,
			status: ReleaseStatus::Active,
		})
	}

	/// The file form of a release on chain (no recipe).
	pub fn from_chain(r: &Release) -> Self {
		let hex_opt = |v: Option<&[u8]>| v.map(hex::encode);
		Self {
			name: String::from_utf8_lossy(&r.name).into_owned(),
			tdx: r.tdx.as_ref().map(|m| TdxFile {
				mrtd: hex::encode(m.mrtd),
				rtmr0: hex::encode(m.rtmr0),
				rtmr1: hex::encode(m.rtmr1),
				rtmr2: hex::encode(m.rtmr2),
			}),
			snp_measurement: r.snp_measurement.map(hex::encode),
			tdx_pins: TdxPinsFile {
				mr_config_id: hex_opt(r.tdx_pins.mr_config_id.as_ref().map(|v| &v[..])),
				mr_owner: hex_opt(r.tdx_pins.mr_owner.as_ref().map(|v| &v[..])),
				mr_owner_config: hex_opt(r.tdx_pins.mr_owner_config.as_ref().map(|v| &v[..])),
			},
			snp_pins: SnpPinsFile {
				host_data: hex_opt(r.snp_pins.host_data.as_ref().map(|v| &v[..])),
				id_key_digest: hex_opt(r.snp_pins.id_key_digest.as_ref().map(|v| &v[..])),
				author_key_digest: hex_opt(r.snp_pins.author_key_digest.as_ref().map(|v| &v[..])),
			},
			system_hashes: r.system_hashes.iter().map(hex::encode).collect(),
			services_roots: r.services_roots.iter().map(hex::encode).collect(),
			inputs: None,
		}
	}
}

/// One field of a release as `attest release check` sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldCheck {
	/// The field, as named in the release JSON (`snp_measurement`, `tdx.mrtd`, ...).
	pub field: String,
	/// The chain's value (hex), if the release has the field.
	pub chain: Option<String>,
	/// The value recomputed from the image (hex), if it could be.
	pub image: Option<String>,
	/// `match`, `differs`, or `not recomputed` (with why in `note`).
	pub verdict: Verdict,
	/// Why a value was not recomputed, or what it was computed from.
	pub note: String,
}

/// The verdict on one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
	/// The chain's value equals the image's.
	Match,
	/// They differ: the release is not this image.
	Differs,
	/// The image does not determine this field (taken from a reference, or policy).
	NotRecomputed,
}

fn file_in(dir: &Path, rel: &str, what: &str) -> Result<PathBuf, CliError> {
	let path = dir.join(rel);
	if path.is_file() {
		Ok(path)
	} else {
		Err(CliError::BadInput(format!(
			"{what} {}: no such file in the image directory",
			path.display()
		)))
	}
}

fn compare(field: &str, chain: Option<String>, image: Option<String>, note: &str) -> FieldCheck {
	let verdict = match (&chain, &image) {
		(_, None) => Verdict::NotRecomputed,
		(Some(c), Some(i)) if c == i => Verdict::Match,
		_ => Verdict::Differs,
	};
	FieldCheck {
		field: field.into(),
		chain,
		image,
		verdict,
		note: note.into(),
	}
}

/// Recompute the release of image directory `dir` (its `release.json` recipe and files) and
/// compare it, field by field, with `chain`.
pub fn check(chain: &Release, dir: &Path) -> Result<Vec<FieldCheck>, CliError> {
	let local = ReleaseFile::read(&dir.join(RELEASE_FILE))?;
	let inputs = local.inputs.clone().ok_or_else(|| {
		CliError::BadInput(format!(
			"{}: no `inputs` recipe to recompute the measurements from",
			dir.join(RELEASE_FILE).display()
		))
	})?;
	let on_chain = ReleaseFile::from_chain(chain);
	let kernel = inputs
		.kernel
		.as_deref()
		.map(|k| file_in(dir, k, "inputs.kernel"))
		.transpose()?;
	let initrd = inputs
		.initrd
		.as_deref()
		.map(|k| file_in(dir, k, "inputs.initrd"))
		.transpose()?;
	let mut out = Vec::new();

	let system_hash = hex::encode(tee_verifier::binding::system_hash(
		inputs.system_path.as_bytes(),
	));
	out.push(FieldCheck {
		field: "system_hashes".into(),
		verdict: if on_chain.system_hashes.contains(&system_hash) {
			Verdict::Match
		} else {
			Verdict::Differs
		},
		chain: Some(on_chain.system_hashes.join(",")),
		image: Some(system_hash),
		note: format!("SHA-256 of {}", inputs.system_path),
	});

	match (&inputs.snp, &on_chain.snp_measurement) {
		(Some(recipe), chain_value) => {
			let measured = measure::snp(&measure::SnpInputs {
				firmware: file_in(dir, &recipe.firmware, "inputs.snp.firmware")?,
				kernel: kernel.clone(),
				initrd: initrd.clone(),
				cmdline: inputs.cmdline.clone(),
				vcpus: recipe.vcpus,
				vcpu_type: recipe.vcpu_type.clone(),
				guest_features: measure::parse_guest_features(&recipe.guest_features)
					.map_err(CliError::BadInput)?,
			})?;
			out.push(compare(
				"snp_measurement",
				chain_value.clone(),
				Some(hex::encode(measured)),
				&format!("{} vCPUs {}", recipe.vcpus, recipe.vcpu_type),
			));
		}
		(None, Some(v)) => out.push(compare(
			"snp_measurement",
			Some(v.clone()),
			None,
			"the image's recipe has no SEV-SNP part",
		)),
		(None, None) => {}
	}

	if let Some(chain_tdx) = &on_chain.tdx {
		let computed = match &inputs.tdx {
			Some(recipe) => Some(tdx::measure(&tdx::TdxInputs {
				firmware: file_in(dir, &recipe.firmware, "inputs.tdx.firmware")?,
				kernel: kernel.clone(),
				initrd: initrd.clone(),
				cmdline: inputs.cmdline.clone(),
				vcpus: recipe.vcpus,
				memory_mib: recipe.memory_mib,
				page_order: recipe
					.page_order
					.as_deref()
					.map(tdx::PageOrder::parse)
					.transpose()
					.map_err(|e| CliError::BadInput(format!("inputs.tdx.page_order: {e}")))?
					.unwrap_or_default(),
			})?),
			None => None,
		};
		for (field, chain_value) in [
			("mrtd", &chain_tdx.mrtd),
			("rtmr0", &chain_tdx.rtmr0),
			("rtmr1", &chain_tdx.rtmr1),
			("rtmr2", &chain_tdx.rtmr2),
		] {
			let (image, note) = match &computed {
				None => (None, "the image's recipe has no TDX part".to_string()),
				Some(m) => match m.get(field) {
					Ok(v) => (Some(hex::encode(v)), String::new()),
					Err(why) => (None, why.to_string()),
				},
			};
			out.push(compare(
				&format!("tdx.{field}"),
				Some(chain_value.clone()),
				image,
				&note,
			));
		}
	}

	for (field, chain_value, local_value) in [
		(
			"tdx_pins.mr_config_id",
			&on_chain.tdx_pins.mr_config_id,
			&local.tdx_pins.mr_config_id,
		),
		(
			"tdx_pins.mr_owner",
			&on_chain.tdx_pins.mr_owner,
			&local.tdx_pins.mr_owner,
		),
		(
			"tdx_pins.mr_owner_config",
			&on_chain.tdx_pins.mr_owner_config,
			&local.tdx_pins.mr_owner_config,
		),
		(
			"snp_pins.host_data",
			&on_chain.snp_pins.host_data,
			&local.snp_pins.host_data,
		),
		(
			"snp_pins.id_key_digest",
			&on_chain.snp_pins.id_key_digest,
			&local.snp_pins.id_key_digest,
		),
		(
			"snp_pins.author_key_digest",
			&on_chain.snp_pins.author_key_digest,
			&local.snp_pins.author_key_digest,
		),
	] {
		if chain_value.is_some() || local_value.is_some() {
			out.push(FieldCheck {
				field: field.into(),
				verdict: if chain_value == local_value {
					Verdict::Match
				} else {
					Verdict::Differs
				},
				chain: chain_value.clone(),
				image: local_value.clone(),
				note: "a pin: compared with the image's release.json".into(),
			});
		}
	}
	Ok(out)
}
