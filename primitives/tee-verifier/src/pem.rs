//! PEM certificate chains (Intel puts its chains in PEM, in the quote and in the collateral).

use alloc::vec::Vec;

const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
const END: &[u8] = b"-----END CERTIFICATE-----";

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
	hay.windows(needle.len()).position(|w| w == needle)
}

fn b64_value(c: u8) -> Option<u8> {
	Some(match c {
		b'A'..=b'Z' => c.checked_sub(b'A')?,
		b'a'..=b'z' => c.checked_sub(b'a')?.checked_add(26)?,
		b'0'..=b'9' => c.checked_sub(b'0')?.checked_add(52)?,
		b'+' => 62,
		b'/' => 63,
		_ => return None,
	})
}

/// Decode standard base64, ignoring ASCII whitespace. Padding is required to be canonical.
fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
	let mut out = Vec::with_capacity(text.len().checked_mul(3)?.checked_div(4)?);
	let mut acc: u32 = 0;
	let mut bits: u32 = 0;
	let mut padding = 0usize;
	for &c in text {
		if c.is_ascii_whitespace() {
			continue;
		}
		if c == b'=' {
			padding = padding.checked_add(1)?;
			continue;
		}
		if padding > 0 {
			return None;
		}
		acc = (acc << 6) | u32::from(b64_value(c)?);
		bits = bits.checked_add(6)?;
		if bits >= 8 {
			bits = bits.checked_sub(8)?;
			out.push(((acc >> bits) & 0xff) as u8);
		}
	}
	// Leftover bits must be zero and padding consistent with them.
	if padding > 2 || acc & ((1u32 << bits).checked_sub(1)?) != 0 {
		return None;
	}
	Some(out)
}

/// Decode every certificate in a PEM chain, in order. Only ASCII whitespace and NUL bytes (some
/// quotes end the chain with a NUL) may appear outside the BEGIN/END markers, so every byte of
/// the chain matters. Returns `None` if a block does not decode, if there is no certificate, or
/// if there are more than `max` certificates.
pub(crate) fn certificates(mut pem: &[u8], max: usize) -> Option<Vec<Vec<u8>>> {
	let filler = |bytes: &[u8]| bytes.iter().all(|&b| b.is_ascii_whitespace() || b == 0);
	let mut out = Vec::new();
	while let Some(start) = find(pem, BEGIN) {
		if !filler(pem.get(..start)?) {
			return None;
		}
		let body_start = start.checked_add(BEGIN.len())?;
		let after_begin = pem.get(body_start..)?;
		let end = find(after_begin, END)?;
		if out.len() >= max {
			return None;
		}
		out.push(base64_decode(after_begin.get(..end)?)?);
		pem = after_begin.get(end.checked_add(END.len())?..)?;
	}
	(filler(pem) && !out.is_empty()).then_some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
	use super::*;
	use alloc::vec;

	#[test]
	fn decodes_base64() {
		assert_eq!(base64_decode(b"aGVsbG8=").unwrap(), b"hello");
		assert_eq!(base64_decode(b"aGVs\nbG8h").unwrap(), b"hello!");
		assert!(base64_decode(b"aGVsbG9=").is_none());
		assert!(base64_decode(b"a=Gk").is_none());
		assert!(base64_decode(b"a*").is_none());
	}

	#[test]
	fn splits_chain_and_enforces_max() {
		assert!(certificates(
			b"junk-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----",
			4
		)
		.is_none());
		let pem = b"\n-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n\
                    -----BEGIN CERTIFICATE-----\nAwQF\n-----END CERTIFICATE-----\n\0";
		let certs = certificates(pem, 4).unwrap();
		assert_eq!(certs, vec![vec![0, 1, 2], vec![3, 4, 5]]);
		assert!(certificates(pem, 1).is_none());
		assert!(certificates(b"nothing", 4).is_none());
	}
}
