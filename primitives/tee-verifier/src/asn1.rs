//! A minimal DER reader: tag-length-value splitting over byte slices.
//!
//! Only what X.509 certificates and CRLs need: single-byte tags and definite lengths of up to
//! four bytes. Every step is bounds-checked and returns `None` on malformed input; nothing is
//! allocated. It is deliberately tolerant where strict DER would reject harmless encodings that
//! real vendor certificates use (e.g. a non-positive serial number): signatures cover the raw
//! bytes anyway, so tolerance here cannot make a forged certificate verify.

/// Universal tags used by this crate.
pub(crate) mod tag {
	pub const BOOLEAN: u8 = 0x01;
	pub const INTEGER: u8 = 0x02;
	pub const BIT_STRING: u8 = 0x03;
	pub const OCTET_STRING: u8 = 0x04;
	pub const OID: u8 = 0x06;
	pub const UTC_TIME: u8 = 0x17;
	pub const GENERALIZED_TIME: u8 = 0x18;
	pub const SEQUENCE: u8 = 0x30;
	/// `[n]` constructed, context-specific.
	pub const fn context(n: u8) -> u8 {
		0xa0 | n
	}
}

/// One decoded element.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
	/// The identifier octet.
	pub tag: u8,
	/// The contents octets.
	pub value: &'a [u8],
	/// The whole element, identifier and length included.
	pub raw: &'a [u8],
}

/// Reads consecutive elements from a slice.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
	rest: &'a [u8],
}

impl<'a> Reader<'a> {
	pub fn new(bytes: &'a [u8]) -> Self {
		Reader { rest: bytes }
	}

	pub fn is_empty(&self) -> bool {
		self.rest.is_empty()
	}

	/// The tag of the next element, without consuming it.
	pub fn peek_tag(&self) -> Option<u8> {
		self.rest.first().copied()
	}

	/// The next element, whatever its tag.
	pub fn any(&mut self) -> Option<Tlv<'a>> {
		let (&tag, after_tag) = self.rest.split_first()?;
		// High-tag-number form is never used by the structures we read.
		if tag & 0x1f == 0x1f {
			return None;
		}
		let (&first, after_len0) = after_tag.split_first()?;
		let (len, after_len) = if first < 0x80 {
			(usize::from(first), after_len0)
		} else {
			let n = usize::from(first & 0x7f);
			if n == 0 || n > 4 {
				return None;
			}
			let (len_bytes, after) = after_len0.split_at_checked(n)?;
			let mut len: usize = 0;
			for &b in len_bytes {
				len = len.checked_mul(256)?.checked_add(usize::from(b))?;
			}
			(len, after)
		};
		let (value, rest) = after_len.split_at_checked(len)?;
		let header_len = self.rest.len().checked_sub(after_len.len())?;
		let raw_len = header_len.checked_add(len)?;
		let raw = self.rest.get(..raw_len)?;
		self.rest = rest;
		Some(Tlv { tag, value, raw })
	}

	/// The next element, which must have tag `tag`.
	pub fn expect(&mut self, tag: u8) -> Option<Tlv<'a>> {
		if self.peek_tag()? != tag {
			return None;
		}
		self.any()
	}

	/// The next element if it has tag `tag`; `Some(None)` if another tag (or nothing) follows.
	pub fn optional(&mut self, tag: u8) -> Option<Option<Tlv<'a>>> {
		if self.peek_tag() == Some(tag) {
			self.any().map(Some)
		} else {
			Some(None)
		}
	}

	/// A reader over the contents of the next element, which must have tag `tag`.
	pub fn nested(&mut self, tag: u8) -> Option<Reader<'a>> {
		self.expect(tag).map(|t| Reader::new(t.value))
	}
}

/// Parse `bytes` as exactly one element with tag `tag` (no trailing bytes).
pub(crate) fn single(bytes: &[u8], tag: u8) -> Option<Tlv<'_>> {
	let mut r = Reader::new(bytes);
	let t = r.expect(tag)?;
	r.is_empty().then_some(t)
}

/// The magnitude of a DER INTEGER's contents with leading zero octets removed (at least one
/// octet is kept). Used to compare serial numbers and to feed big-endian key material.
pub(crate) fn integer_magnitude(value: &[u8]) -> &[u8] {
	let mut v = value;
	while let [0, rest @ ..] = v {
		if rest.is_empty() {
			break;
		}
		v = rest;
	}
	v
}

/// A small non-negative DER INTEGER (at most 8 magnitude octets).
pub(crate) fn small_uint(value: &[u8]) -> Option<u64> {
	if value.is_empty() || value.first().is_some_and(|b| b & 0x80 != 0) {
		return None;
	}
	let m = integer_magnitude(value);
	if m.len() > 8 {
		return None;
	}
	let mut out: u64 = 0;
	for &b in m {
		out = out.checked_mul(256)?.checked_add(u64::from(b))?;
	}
	Some(out)
}

/// BIT STRING contents without the unused-bits octet, which must be zero.
pub(crate) fn bit_string_bytes(value: &[u8]) -> Option<&[u8]> {
	match value.split_first() {
		Some((0, bytes)) => Some(bytes),
		_ => None,
	}
}

/// Object identifiers used by this crate, as DER contents octets.
pub(crate) mod oid {
	/// 1.2.840.10045.2.1 id-ecPublicKey
	pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
	/// 1.2.840.10045.3.1.7 prime256v1
	pub const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
	/// 1.3.132.0.34 secp384r1
	pub const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
	/// 1.2.840.10045.4.3.2 ecdsa-with-SHA256
	pub const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
	/// 1.2.840.10045.4.3.3 ecdsa-with-SHA384
	pub const ECDSA_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
	/// 1.2.840.113549.1.1.1 rsaEncryption
	pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
	/// 1.2.840.113549.1.1.10 id-RSASSA-PSS
	pub const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
	/// 1.2.840.113549.1.1.8 id-mgf1
	pub const MGF1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];
	/// 2.16.840.1.101.3.4.2.2 id-sha384
	pub const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
	/// 2.5.29.19 basicConstraints
	pub const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];

	/// 1.3.6.1.4.1.3704.1.3.1 AMD blSPL
	pub const AMD_BL_SPL: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01, 0x03, 0x01];
	/// 1.3.6.1.4.1.3704.1.3.2 AMD teeSPL
	pub const AMD_TEE_SPL: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01, 0x03, 0x02];
	/// 1.3.6.1.4.1.3704.1.3.3 AMD snpSPL
	pub const AMD_SNP_SPL: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01, 0x03, 0x03];
	/// 1.3.6.1.4.1.3704.1.3.8 AMD ucodeSPL
	pub const AMD_UCODE_SPL: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01, 0x03, 0x08];
	/// 1.3.6.1.4.1.3704.1.3.9 AMD fmcSPL (Turin)
	pub const AMD_FMC_SPL: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01, 0x03, 0x09];
	/// 1.3.6.1.4.1.3704.1.4 AMD hwID
	pub const AMD_HW_ID: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01, 0x04];

	/// 1.2.840.113741.1.13.1 Intel SGX extensions
	pub const SGX_EXTENSIONS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01];
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
	use super::*;

	#[test]
	fn reads_short_and_long_lengths() {
		let mut r = Reader::new(&[0x02, 0x01, 0x05, 0x04, 0x81, 0x01, 0xaa]);
		let a = r.expect(tag::INTEGER).unwrap();
		assert_eq!(a.value, &[5]);
		assert_eq!(a.raw, &[0x02, 0x01, 0x05]);
		let b = r.expect(tag::OCTET_STRING).unwrap();
		assert_eq!(b.value, &[0xaa]);
		assert!(r.is_empty());
	}

	#[test]
	fn rejects_truncated_and_oversized_lengths() {
		assert!(Reader::new(&[0x04, 0x05, 0x00]).any().is_none());
		assert!(Reader::new(&[0x04, 0x85, 1, 1, 1, 1, 1]).any().is_none());
		assert!(Reader::new(&[0x04, 0x84, 0xff, 0xff, 0xff, 0xff])
			.any()
			.is_none());
		assert!(Reader::new(&[0x04]).any().is_none());
		assert!(Reader::new(&[0x1f, 0x00]).any().is_none());
	}

	#[test]
	fn integer_helpers() {
		assert_eq!(integer_magnitude(&[0, 0, 1]), &[1]);
		assert_eq!(integer_magnitude(&[0]), &[0]);
		assert_eq!(small_uint(&[0x00, 0xff]), Some(255));
		assert_eq!(small_uint(&[0x80]), None);
	}
}
