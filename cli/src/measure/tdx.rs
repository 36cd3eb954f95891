//! Intel TDX reference values computed from the image.
//!
//! - **MRTD** is what the TDX module hashed while the VMM built the TD: for every page of every
//!   section TDVF's metadata lists, `TDH.MEM.PAGE.ADD` (the page's guest-physical address) and,
//!   for sections marked `MR.EXTEND`, `TDH.MR.EXTEND` of each 256-byte chunk (address and
//!   contents). It depends only on the firmware file.
//! - **RTMR1** and **RTMR2** are what TDVF and the kernel's EFI stub extend during a direct boot
//!   (QEMU `-kernel`): see [`DirectBoot`].
//! - **RTMR0** covers the TD HOB, TDVF's configuration volume and the ACPI tables the VMM builds
//!   for the VM's shape; QEMU's ACPI tables are not computed offline, so RTMR0 is not computed
//!   here: a release takes it from a reference boot's event log, checked event by event.

use sha2::{Digest, Sha384};

use super::ovmf::{footer_entry, le_u32, le_u64, metadata_start, TDX_METADATA_GUID};

/// Page size of the TD's private memory.
const PAGE: u64 = 4096;
/// Bytes hashed per `TDH.MR.EXTEND`.
const EXTEND_CHUNK: usize = 256;
/// Section attribute: the section's contents are measured into MRTD (`TDH.MR.EXTEND`).
const ATTR_MR_EXTEND: u32 = 1 << 0;
/// Section attribute: the pages are added after launch (`TDH.MEM.PAGE.AUG`), not measured.
const ATTR_PAGE_AUG: u32 = 1 << 1;
/// Most sections accepted in TDVF metadata (OVMF has 5-7).
const MAX_SECTIONS: u32 = 64;
/// Most memory accepted in one image's sections (OVMF's total a few MiB).
const MAX_TOTAL_MEMORY: u64 = 1 << 30;
/// Size of the TDVF descriptor header ("TDVF", length, version, number of sections).
const DESCRIPTOR_HEADER: usize = 16;
/// Size of one section entry.
const SECTION_ENTRY: usize = 32;

/// What a TDVF section holds (TDVF design guide, "TDVF metadata").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
	/// Boot firmware volume: the firmware's code, copied from the image and measured.
	Bfv,
	/// Configuration firmware volume (UEFI variables), copied from the image.
	Cfv,
	/// The TD HOB the VMM writes (memory map and the VM's shape).
	TdHob,
	/// Zeroed temporary memory.
	TempMem,
}

impl SectionKind {
	fn from_u32(kind: u32) -> Option<Self> {
		match kind {
			0 => Some(Self::Bfv),
			1 => Some(Self::Cfv),
			2 => Some(Self::TdHob),
			3 => Some(Self::TempMem),
			_ => None,
		}
	}
}

/// One section of TDVF metadata, checked: page-aligned, inside the image, not overlapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
	/// What the section holds.
	pub kind: SectionKind,
	/// Offset of its initial contents in the image.
	pub data_offset: usize,
	/// Bytes of initial contents (the rest of the section is zero).
	pub raw_size: usize,
	/// Guest-physical address of its first page.
	pub address: u64,
	/// Size in memory (whole pages).
	pub size: u64,
	/// Its contents are measured into MRTD.
	pub extend: bool,
	/// Its pages are added after launch and not measured.
	pub aug: bool,
}

/// The TDVF metadata sections of a TDX firmware image, checked the way QEMU checks them
/// before it loads the image (and more: bounds, overlaps), so a foreign or damaged file is
/// a clear error.
pub fn sections(image: &[u8]) -> Result<Vec<Section>, String> {
	let entry = footer_entry(image, &TDX_METADATA_GUID)?
		.ok_or("no TDX metadata in the OVMF footer table (not a TDVF/TDX-capable OVMF)")?;
	let start = metadata_start(image, entry, "TDX metadata")?;
	if image.get(start..start.saturating_add(4)) != Some(&b"TDVF"[..]) {
		return Err("TDX metadata signature is not TDVF".into());
	}
	let length = le_u32(image, start + 4).ok_or("TDVF descriptor truncated")? as usize;
	let version = le_u32(image, start + 8).ok_or("TDVF descriptor truncated")?;
	let count = le_u32(image, start + 12).ok_or("TDVF descriptor truncated")?;
	if version != 1 {
		return Err(format!(
			"TDVF metadata version {version} (only 1 is defined)"
		));
	}
	if count == 0 || count > MAX_SECTIONS {
		return Err(format!("TDVF metadata with {count} sections"));
	}
	let needed = DESCRIPTOR_HEADER + count as usize * SECTION_ENTRY;
	if length < needed
		|| start
			.checked_add(length)
			.is_none_or(|end| end > image.len())
	{
		return Err(format!(
			"TDVF descriptor of {length} bytes cannot hold {count} sections inside the image"
		));
	}
	let mut out: Vec<Section> = Vec::new();
	let mut total: u64 = 0;
	for i in 0..count as usize {
		let at = start + DESCRIPTOR_HEADER + i * SECTION_ENTRY;
		let field = |o: usize| le_u32(image, at + o).ok_or("TDVF section truncated");
		let data_offset = field(0)? as usize;
		let raw_size = field(4)? as usize;
		let address = le_u64(image, at + 8).ok_or("TDVF section truncated")?;
		let size = le_u64(image, at + 16).ok_or("TDVF section truncated")?;
		let kind_raw = field(24)?;
		let attributes = field(28)?;
		let kind = SectionKind::from_u32(kind_raw).ok_or(format!(
			"TDVF section {i}: type {kind_raw} is not one a VMM loads"
		))?;
		let which = format!("TDVF section {i} ({kind:?}, GPA {address:#x}, {size:#x} bytes)");
		if size == 0 || size % PAGE != 0 || address % PAGE != 0 {
			return Err(format!("{which}: not whole pages"));
		}
		if address.checked_add(size).is_none() {
			return Err(format!("{which}: wraps the address space"));
		}
		if raw_size as u64 > size {
			return Err(format!("{which}: {raw_size} bytes of data do not fit"));
		}
		if data_offset
			.checked_add(raw_size)
			.is_none_or(|end| end > image.len())
		{
			return Err(format!("{which}: its data runs past the end of the image"));
		}
		match kind {
			SectionKind::Bfv | SectionKind::Cfv if raw_size == 0 => {
				return Err(format!("{which}: a firmware volume with no data"));
			}
			SectionKind::TdHob | SectionKind::TempMem if raw_size != 0 => {
				return Err(format!("{which}: must not carry data from the image"));
			}
			_ => {}
		}
		if attributes & !(ATTR_MR_EXTEND | ATTR_PAGE_AUG) != 0 {
			return Err(format!("{which}: unknown attributes {attributes:#x}"));
		}
		if let Some(other) = out
			.iter()
			.find(|o| address < o.address + o.size && o.address < address + size)
		{
			return Err(format!(
				"{which}: overlaps the {:?} section at GPA {:#x}",
				other.kind, other.address
			));
		}
		total = total.saturating_add(size);
		if total > MAX_TOTAL_MEMORY {
			return Err("TDVF sections add up to more than 1 GiB".into());
		}
		out.push(Section {
			kind,
			data_offset,
			raw_size,
			address,
			size,
			extend: attributes & ATTR_MR_EXTEND != 0,
			aug: attributes & ATTR_PAGE_AUG != 0,
		});
	}
	Ok(out)
}

/// The 128-byte block the TDX module hashes for one operation: its name, then a GPA.
fn operation(name: &[u8], gpa: u64) -> [u8; 128] {
	let mut block = [0u8; 128];
	block[..name.len()].copy_from_slice(name);
	block[16..24].copy_from_slice(&gpa.to_le_bytes());
	block
}

/// Hashes `TDH.MR.EXTEND` of section `s`'s chunks in `[from, to)` (offsets in the section):
/// each chunk's address, then its contents (the image's data, zero past `raw_size`).
fn extend_chunks(
	h: &mut Sha384,
	image: &[u8],
	s: &Section,
	from: u64,
	to: u64,
) -> Result<(), String> {
	let mut offset = from;
	while offset < to {
		let at = usize::try_from(offset).map_err(|e| e.to_string())?;
		let mut chunk = [0u8; EXTEND_CHUNK];
		if at < s.raw_size {
			let len = (s.raw_size - at).min(EXTEND_CHUNK);
			let src = image
				.get(s.data_offset + at..s.data_offset + at + len)
				.ok_or("section data outside the image")?;
			chunk[..len].copy_from_slice(src);
		}
		h.update(operation(b"MR.EXTEND", s.address + offset));
		h.update(chunk);
		offset += EXTEND_CHUNK as u64;
	}
	Ok(())
}

/// MRTD of a TD built from `image` by a VMM that adds every page of every section in the
/// metadata's order and measures the `MR.EXTEND` sections in `order`.
pub fn mrtd_in_order(image: &[u8], order: PageOrder) -> Result<[u8; 48], String> {
	let sections = sections(image)?;
	let mut h = Sha384::new();
	for s in sections.iter().filter(|s| !s.aug) {
		let mut offset = 0u64;
		while offset < s.size {
			h.update(operation(b"MEM.PAGE.ADD", s.address + offset));
			if s.extend && order == PageOrder::SinglePass {
				extend_chunks(&mut h, image, s, offset, offset + PAGE)?;
			}
			offset += PAGE;
		}
		if s.extend && order == PageOrder::TwoPass {
			extend_chunks(&mut h, image, s, 0, s.size)?;
		}
	}
	Ok(h.finalize().into())
}

/// MRTD in the single-pass order of Linux KVM's `KVM_TDX_INIT_MEM_REGION` with
/// `KVM_TDX_MEASURE_MEMORY_REGION` (per page: add, then extend its chunks), which QEMU
/// >= 10.1 uses.
pub fn mrtd(image: &[u8]) -> Result<[u8; 48], String> {
	mrtd_in_order(image, PageOrder::SinglePass)
}

/// `rtmr := SHA-384(rtmr || digest)` over `digests`, from zero: the value of a register
/// after these extends.
pub fn replay(digests: &[[u8; 48]]) -> [u8; 48] {
	digests.iter().fold([0u8; 48], |rtmr, d| {
		tee_verifier::eventlog::extend(&rtmr, d)
	})
}

/// SHA-384 of `data`.
pub fn sha384(data: &[u8]) -> [u8; 48] {
	Sha384::digest(data).into()
}

/// The Authenticode digest (SHA-384) of a PE image: what UEFI firmware measures when it
/// loads an EFI application (a kernel with its EFI stub, a UKI).
pub fn authenticode_sha384(pe: &[u8]) -> Result<[u8; 48], String> {
	use sha2_digest010::Digest as _;
	let file = object::read::pe::PeFile64::parse(pe)
		.map_err(|e| format!("not a 64-bit PE image (an EFI kernel or UKI): {e}"))?;
	let mut h = sha2_digest010::Sha384::new();
	authenticode::authenticode_digest(&file, &mut h)
		.map_err(|_| "PE image whose headers or sections point outside the file".to_string())?;
	Ok(h.finalize().into())
}

/// The order in which the VMM adds and measures the firmware's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PageOrder {
	/// Per page: add, then extend its chunks (Linux KVM's `KVM_TDX_INIT_MEM_REGION`, used by
	/// upstream QEMU ≥ 10.1 and Intel's QEMU ≤ 8.1).
	#[default]
	SinglePass,
	/// Per section: add every page, then extend every chunk (Intel's and Canonical's TDX
	/// QEMU 8.2 trees).
	TwoPass,
}

impl PageOrder {
	/// The order named as `--page-order` and a release recipe's `page_order` spell it.
	pub fn parse(name: &str) -> Result<Self, String> {
		match name {
			"single-pass" => Ok(Self::SinglePass),
			"two-pass" => Ok(Self::TwoPass),
			other => Err(format!("`{other}` is not single-pass or two-pass")),
		}
	}
}

/// Everything `attest measure tdx` takes.
#[derive(Clone, Debug, Default)]
pub struct TdxInputs {
	/// TDVF (OVMF with TDX metadata).
	pub firmware: std::path::PathBuf,
	/// Kernel (bzImage with an EFI stub) or UKI booted directly (`-kernel`).
	pub kernel: Option<std::path::PathBuf>,
	/// Initrd (`-initrd`).
	pub initrd: Option<std::path::PathBuf>,
	/// Command line (`-append`).
	pub cmdline: Option<String>,
	/// vCPUs of the VM.
	pub vcpus: Option<u32>,
	/// Memory of the VM in MiB (where QEMU places the initrd, which it writes into the
	/// kernel's setup header, depends on it).
	pub memory_mib: Option<u64>,
	/// How the VMM measured the firmware.
	pub page_order: PageOrder,
}

/// The registers `attest measure tdx` computed, each with why not when it could not.
#[derive(Clone, Debug)]
pub struct TdxValues {
	/// MRTD.
	pub mrtd: [u8; 48],
	/// RTMR0, or why it is not computed.
	pub rtmr0: Result<[u8; 48], String>,
	/// RTMR1, or why it is not computed.
	pub rtmr1: Result<[u8; 48], String>,
	/// RTMR2, or why it is not computed.
	pub rtmr2: Result<[u8; 48], String>,
}

impl TdxValues {
	/// A register by its name (`mrtd`, `rtmr0`..`rtmr2`).
	pub fn get(&self, name: &str) -> Result<[u8; 48], String> {
		match name {
			"mrtd" => Ok(self.mrtd),
			"rtmr0" => self.rtmr0.clone(),
			"rtmr1" => self.rtmr1.clone(),
			"rtmr2" => self.rtmr2.clone(),
			other => Err(format!("no register {other}")),
		}
	}
}

/// Why RTMR0 is never computed here.
pub const RTMR0_NOT_COMPUTED: &str = "RTMR0 covers the TD HOB, TDVF's configuration volume and \
	the ACPI tables QEMU builds for the VM shape (vCPUs, memory, devices, QEMU version), which \
	are not computed offline: take it from a reference boot's event log of this shape \
	(`attest event-log LOG` checks it event by event)";

/// Offset of the Linux boot protocol's header magic `HdrS` in a bzImage.
const SETUP_MAGIC_AT: usize = 0x202;
/// Space QEMU keeps free for ACPI data at the top of low memory.
const ACPI_DATA_SIZE: u64 = 0x20000 + 0x8000;

/// The Linux x86 boot protocol version of `kernel`, if it is a bzImage (a UKI is not).
pub fn boot_protocol(kernel: &[u8]) -> Option<u16> {
	(kernel.get(SETUP_MAGIC_AT..SETUP_MAGIC_AT + 4) == Some(&b"HdrS"[..]))
		.then(|| super::ovmf::le_u16(kernel, 0x206))
		.flatten()
}

fn put_u32(k: &mut [u8], at: usize, v: u32) -> Result<(), String> {
	k.get_mut(at..at + 4)
		.ok_or("setup header truncated")?
		.copy_from_slice(&v.to_le_bytes());
	Ok(())
}

/// `kernel` as TDVF sees it after QEMU's direct-boot loader wrote the boot parameters into
/// its setup header (QEMU's `x86_load_linux`: loader type, heap, command-line pointer and,
/// with an initrd, where it placed the initrd below the top of low memory).
pub fn patch_kernel(
	kernel: &[u8],
	initrd_size: Option<u64>,
	memory: u64,
) -> Result<Vec<u8>, String> {
	let protocol = boot_protocol(kernel).ok_or("not a Linux bzImage (no HdrS setup header)")?;
	if kernel.len() < 0x1000 {
		return Err("bzImage shorter than its setup header".into());
	}
	let mut k = kernel.to_vec();
	let loadflags = k[0x211];
	let (real, cmdline) = if protocol < 0x200 || loadflags & 1 == 0 {
		(0x90000u32, 0x9a000u32)
	} else {
		(0x10000, 0x20000)
	};
	if protocol >= 0x200 {
		k[0x210] = 0xb0;
	}
	if protocol >= 0x201 {
		k[0x211] |= 0x80;
		put_u32(&mut k, 0x224, cmdline - real - 0x200)?;
	}
	if protocol >= 0x202 {
		put_u32(&mut k, 0x228, cmdline)?;
	} else {
		k[0x20..0x22].copy_from_slice(&0xa33fu16.to_le_bytes());
		k[0x22..0x24].copy_from_slice(
			&u16::try_from(cmdline - real)
				.map_err(|e| e.to_string())?
				.to_le_bytes(),
		);
	}
	if let Some(size) = initrd_size.filter(|s| *s > 0) {
		let xloadflags = super::ovmf::le_u16(&k, 0x236).unwrap_or(0);
		let mut initrd_max: u64 = if protocol >= 0x20c && xloadflags & 0x2 != 0 {
			u64::from(u32::MAX)
		} else if protocol >= 0x203 {
			match le_u32(&k, 0x22c).unwrap_or(0) {
				0 => 0x37ff_ffff,
				v => u64::from(v),
			}
		} else {
			0x37ff_ffff
		};
		let lowmem: u64 = if memory >= 0xb000_0000 {
			0x8000_0000
		} else {
			0xb000_0000
		};
		let below_4g = memory.min(lowmem);
		let top = below_4g
			.checked_sub(ACPI_DATA_SIZE + 1)
			.ok_or("--memory too small for an initrd")?;
		initrd_max = initrd_max.min(top);
		let address = initrd_max
			.checked_sub(size)
			.ok_or("initrd larger than the memory below 4 GiB")?
			& !0xfff;
		put_u32(
			&mut k,
			0x218,
			u32::try_from(address).map_err(|e| e.to_string())?,
		)?;
		put_u32(
			&mut k,
			0x21c,
			u32::try_from(size).map_err(|_| "initrd of 4 GiB or more")?,
		)?;
	}
	Ok(k)
}

/// The event digests TDVF extends into RTMR1 when it boots an EFI application directly
/// (QEMU `-kernel`), as real TDX event logs show (dstack's QEMU 8.2 and 9.2 boots): the
/// application's Authenticode digest, "Calling EFI Application from Boot Option", the
/// PCR 4 separator, and the two ExitBootServices actions.
pub fn rtmr1_events(application: [u8; 48]) -> [[u8; 48]; 5] {
	[
		application,
		sha384(b"Calling EFI Application from Boot Option"),
		sha384(&[0, 0, 0, 0]),
		sha384(b"Exit Boot Services Invocation"),
		sha384(b"Exit Boot Services Returned with Success"),
	]
}

/// The load options TDVF's direct-boot loader hands the kernel: the command line, with
/// ` initrd=initrd` appended when there is an initrd, as UTF-16LE with its NUL.
pub fn load_options(cmdline: &str, has_initrd: bool) -> Vec<u8> {
	let mut text = cmdline.to_string();
	if has_initrd {
		text.push_str(" initrd=initrd");
	}
	text.encode_utf16()
		.chain(core::iter::once(0))
		.flat_map(u16::to_le_bytes)
		.collect()
}

/// The event digests the kernel's EFI stub extends into RTMR2 (PCR 9): its load options and
/// the initrd it loaded.
pub fn rtmr2_events(cmdline: &str, initrd: Option<&[u8]>) -> Vec<[u8; 48]> {
	let mut events = vec![sha384(&load_options(cmdline, initrd.is_some()))];
	if let Some(initrd) = initrd {
		events.push(sha384(initrd));
	}
	events
}

fn read(path: &std::path::Path, flag: &str) -> Result<Vec<u8>, String> {
	std::fs::read(path).map_err(|e| format!("{flag} {}: {e}", path.display()))
}

/// MRTD, and RTMR1/RTMR2 of a direct boot, of `inputs`. Bad files are errors; registers
/// the inputs do not determine come back as `Err(reason)` in [`TdxValues`].
fn measure_values(inputs: &TdxInputs) -> Result<TdxValues, String> {
	let firmware = read(&inputs.firmware, "--firmware")?;
	let mrtd = mrtd_in_order(&firmware, inputs.page_order)
		.map_err(|e| format!("--firmware {}: {e}", inputs.firmware.display()))?;
	if inputs.vcpus == Some(0) {
		return Err("--vcpus must be at least 1".into());
	}
	if inputs.memory_mib == Some(0) {
		return Err("--memory must be at least 1 MiB".into());
	}
	let initrd = inputs
		.initrd
		.as_ref()
		.map(|p| read(p, "--initrd"))
		.transpose()?;
	let Some(kernel_path) = &inputs.kernel else {
		if initrd.is_some() || inputs.cmdline.is_some() {
			return Err(
				"--initrd and --cmdline are measured only with --kernel (direct boot)".into(),
			);
		}
		let no_kernel = "needs --kernel: the kernel or UKI booted directly".to_string();
		return Ok(TdxValues {
			mrtd,
			rtmr0: Err(RTMR0_NOT_COMPUTED.into()),
			rtmr1: Err(no_kernel.clone()),
			rtmr2: Err(no_kernel),
		});
	};
	let kernel = read(kernel_path, "--kernel")?;
	let bad_kernel = |e: String| format!("--kernel {}: {e}", kernel_path.display());
	let cmdline = inputs.cmdline.clone().unwrap_or_default();
	let (rtmr1, rtmr2) = if boot_protocol(&kernel).is_some() {
		let rtmr1 = match inputs.memory_mib {
			_ if initrd.is_none() => {
				let patched = patch_kernel(&kernel, None, 0).map_err(bad_kernel)?;
				Ok(replay(&rtmr1_events(
					authenticode_sha384(&patched).map_err(bad_kernel)?,
				)))
			}
			Some(mib) => {
				let size = initrd.as_ref().map(|i| i.len() as u64);
				let patched =
					patch_kernel(&kernel, size, mib.saturating_mul(1 << 20)).map_err(bad_kernel)?;
				Ok(replay(&rtmr1_events(
					authenticode_sha384(&patched).map_err(bad_kernel)?,
				)))
			}
			None => Err(
				"needs --memory: QEMU writes where it put the initrd, which depends on \
				the VM's memory, into the kernel's setup header before TDVF measures it"
					.to_string(),
			),
		};
		(
			rtmr1,
			Ok(replay(&rtmr2_events(&cmdline, initrd.as_deref()))),
		)
	} else {
		let app = hex::encode(authenticode_sha384(&kernel).map_err(bad_kernel)?);
		(
			Err(format!(
				"the kernel is a PE image without a Linux setup header (a UKI): which events \
				TDVF and its stub log around it depends on how it is booted; take RTMR1 from a \
				reference boot's event log, whose EV_EFI_BOOT_SERVICES_APPLICATION event must \
				carry this image's Authenticode SHA-384 {app}"
			)),
			Err(
				"a UKI's stub (systemd-stub) measures its sections, and the kernel inside it \
				its own load options and initrd, in ways that depend on the stub's version: \
				take RTMR2 from a reference boot's event log"
					.to_string(),
			),
		)
	};
	Ok(TdxValues {
		mrtd,
		rtmr0: Err(RTMR0_NOT_COMPUTED.into()),
		rtmr1,
		rtmr2,
	})
}

/// [`measure_values`] with errors as the CLI reports them.
pub fn measure(inputs: &TdxInputs) -> Result<TdxValues, crate::CliError> {
	measure_values(inputs).map_err(crate::CliError::BadInput)
}
