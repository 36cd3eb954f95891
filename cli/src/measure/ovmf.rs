//! OVMF's GUIDed footer table: the list of (GUID, data) entries that ends 32 bytes before the
//! end of an OVMF/TDVF image and points to the SEV and TDX metadata. Every offset read from
//! the file is checked, so a foreign or damaged file is an error, never a panic.

/// GUID of the footer table itself, as its little-endian bytes.
const FOOTER_TABLE_GUID: [u8; 16] = guid_le(
	0x96b5_82de,
	0x1fb2,
	0x45f7,
	[0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d],
);
/// GUID of the entry holding the SEV metadata's offset from the end of the image.
const SEV_METADATA_GUID: [u8; 16] = guid_le(
	0xdc88_6566,
	0x984a,
	0x4798,
	[0xa7, 0x5e, 0x55, 0x85, 0xa7, 0xbf, 0x67, 0xcc],
);
/// GUID of the entry holding the TDX (TDVF) metadata's offset from the end of the image.
pub const TDX_METADATA_GUID: [u8; 16] = guid_le(
	0xe47a_6535,
	0x984a,
	0x4798,
	[0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2],
);
/// Largest metadata section accepted (OVMF's are a few pages).
const MAX_SECTION: u32 = 64 * 1024 * 1024;
/// An entry's header: its u16 size, then its GUID.
const HEADER: usize = 18;

/// A GUID as the bytes it has in the image (first three fields little-endian).
const fn guid_le(a: u32, b: u16, c: u16, d: [u8; 8]) -> [u8; 16] {
	let a = a.to_le_bytes();
	let b = b.to_le_bytes();
	let c = c.to_le_bytes();
	[
		a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d[0], d[1], d[2], d[3], d[4], d[5], d[6],
		d[7],
	]
}

/// Little-endian u16 at `at`, if the bytes are there.
pub fn le_u16(b: &[u8], at: usize) -> Option<u16> {
	Some(u16::from_le_bytes(
		b.get(at..at.checked_add(2)?)?.try_into().ok()?,
	))
}

/// Little-endian u32 at `at`, if the bytes are there.
pub fn le_u32(b: &[u8], at: usize) -> Option<u32> {
	Some(u32::from_le_bytes(
		b.get(at..at.checked_add(4)?)?.try_into().ok()?,
	))
}

/// Little-endian u64 at `at`, if the bytes are there.
pub fn le_u64(b: &[u8], at: usize) -> Option<u64> {
	Some(u64::from_le_bytes(
		b.get(at..at.checked_add(8)?)?.try_into().ok()?,
	))
}

/// The data of the footer-table entry named `guid` (`Ok(None)`: the table has no such entry).
/// Errors when the image has no well-formed footer table.
pub fn footer_entry<'a>(data: &'a [u8], guid: &[u8; 16]) -> Result<Option<&'a [u8]>, String> {
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
	let mut found = None;
	while offset >= HEADER {
		let size = usize::from(le_u16(table, offset - HEADER).ok_or("footer entry")?);
		if size < HEADER {
			return Err(format!("footer table entry of {size} bytes at {offset}"));
		}
		if offset < size {
			break;
		}
		if table.get(offset - HEADER + 2..offset) == Some(&guid[..]) {
			found = table.get(offset - size..offset - HEADER);
		}
		offset -= size;
	}
	Ok(found)
}

/// Where a metadata block starts: the u32 in `entry` counts back from the end of the image.
pub fn metadata_start(data: &[u8], entry: &[u8], what: &str) -> Result<usize, String> {
	let from_end = le_u32(entry, 0).ok_or(format!("{what} entry shorter than 4 bytes"))?;
	usize::try_from(from_end)
		.ok()
		.and_then(|o| data.len().checked_sub(o))
		.ok_or(format!("{what} offset outside the file"))
}

/// Check the structures of an OVMF image that the SEV-SNP measurement reads (the footer
/// table and the SEV metadata it points to), so that a malformed or foreign file is a clear
/// error. virtee's parser indexes them unchecked and panics on such files; this check
/// refuses every input it would index out of bounds.
pub fn check_ovmf(data: &[u8]) -> Result<(), String> {
	let Some(entry) = footer_entry(data, &SEV_METADATA_GUID)? else {
		return Err("no SEV metadata in the footer table (not an SEV-capable OVMF)".into());
	};
	let start = metadata_start(data, entry, "SEV metadata")?;
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
