//! [`Digest`]: a BN254 field element as 32 bytes, and the byte-to-field encodings of the tree.

use crate::error::NonCanonicalDigest;
use ark_bn254::Fr;
use ark_ff::{BigInt, PrimeField};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;

/// A BN254 scalar field element in its canonical 32-byte big-endian encoding.
///
/// Roots, node hashes, leaf hashes and proof siblings are all `Digest`s. The integer value is
/// always below the field modulus `p`
/// (`0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001`): [`Digest::from_bytes`]
/// and SCALE decoding reject anything else, so one field element has exactly one encoding and a
/// circuit's public input (a `Field`) maps to exactly one `Digest`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, TypeInfo, MaxEncodedLen)]
pub struct Digest([u8; 32]);

impl Digest {
	/// The zero element: the value of an empty leaf slot.
	pub const ZERO: Digest = Digest([0; 32]);

	/// Accepts 32 big-endian bytes if they encode an integer below the field modulus.
	pub fn from_bytes(bytes: [u8; 32]) -> Result<Self, NonCanonicalDigest> {
		match Fr::from_bigint(bigint_from_be(&bytes)) {
			Some(_) => Ok(Digest(bytes)),
			None => Err(NonCanonicalDigest),
		}
	}

	/// Parses 64 hexadecimal digits (an optional `0x` prefix is accepted), as Noir and noir_js
	/// print field elements; shorter inputs are left-padded with zeros.
	pub fn from_hex(hex: &str) -> Result<Self, NonCanonicalDigest> {
		let digits = hex.strip_prefix("0x").unwrap_or(hex).as_bytes();
		if digits.len() > 64 {
			return Err(NonCanonicalDigest);
		}
		let mut bytes = [0u8; 32];
		// Fill nibbles from the least significant end.
		for (k, &c) in digits.iter().rev().enumerate() {
			let nibble = match c {
				b'0'..=b'9' => c.wrapping_sub(b'0'),
				b'a'..=b'f' => c.wrapping_sub(b'a').wrapping_add(10),
				b'A'..=b'F' => c.wrapping_sub(b'A').wrapping_add(10),
				_ => return Err(NonCanonicalDigest),
			};
			let byte = bytes
				.iter_mut()
				.rev()
				.nth(k / 2)
				.ok_or(NonCanonicalDigest)?;
			*byte |= if k % 2 == 0 { nibble } else { nibble << 4 };
		}
		Self::from_bytes(bytes)
	}

	/// The 32 big-endian bytes.
	pub fn to_bytes(&self) -> [u8; 32] {
		self.0
	}

	/// The 32 big-endian bytes, borrowed.
	pub fn as_bytes(&self) -> &[u8; 32] {
		&self.0
	}

	/// A field element from a 64-bit integer (used for small test states and limbs).
	pub fn from_u64(value: u64) -> Self {
		Self::from_fr(Fr::from(value))
	}

	/// 64 lower-case hex digits to bytes, at compile time, for the generated tables (whose
	/// values a test checks to be canonical).
	#[allow(
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects,
		clippy::panic,
		reason = "const evaluation only: an error here fails the build, not a run"
	)]
	pub(crate) const fn from_const_hex(hex: &str) -> Digest {
		let digits = hex.as_bytes();
		if digits.len() != 64 {
			panic!("64 hex digits");
		}
		let mut bytes = [0u8; 32];
		let mut i = 0;
		while i < 64 {
			let c = digits[i];
			let nibble = match c {
				b'0'..=b'9' => c - b'0',
				b'a'..=b'f' => c - b'a' + 10,
				_ => panic!("lower-case hex digits only"),
			};
			bytes[i / 2] = (bytes[i / 2] << 4) | nibble;
			i += 1;
		}
		Digest(bytes)
	}

	pub(crate) fn from_fr(value: Fr) -> Self {
		let limbs = value.into_bigint().0;
		let mut bytes = [0u8; 32];
		// limbs are little-endian u64s; bytes are big-endian.
		for (chunk, limb) in bytes.chunks_exact_mut(8).zip(limbs.iter().rev()) {
			chunk.copy_from_slice(&limb.to_be_bytes());
		}
		Digest(bytes)
	}

	pub(crate) fn to_fr(self) -> Fr {
		// The invariant (value < p) makes `from_bigint` succeed; reducing is only a fallback
		// that cannot be reached.
		Fr::from_bigint(bigint_from_be(&self.0))
			.unwrap_or_else(|| Fr::from_be_bytes_mod_order(&self.0))
	}
}

fn bigint_from_be(bytes: &[u8; 32]) -> BigInt<4> {
	let mut limbs = [0u64; 4];
	let (chunks, _) = bytes.as_chunks::<8>();
	for (limb, chunk) in limbs.iter_mut().rev().zip(chunks) {
		*limb = u64::from_be_bytes(*chunk);
	}
	BigInt::new(limbs)
}

/// 2^128.
const TWO_POW_128: Fr = Fr::new(BigInt::new([0, 0, 1, 0]));

/// The two 128-bit limbs of a 32-byte string: `(int_be(b[0..16]), int_be(b[16..32]))`.
pub(crate) fn limbs_32(bytes: &[u8; 32]) -> [Fr; 2] {
	let mut hi = [0u8; 16];
	let mut lo = [0u8; 16];
	for (d, s) in hi.iter_mut().zip(bytes.iter()) {
		*d = *s;
	}
	for (d, s) in lo.iter_mut().zip(bytes.iter().skip(16)) {
		*d = *s;
	}
	[
		Fr::from(u128::from_be_bytes(hi)),
		Fr::from(u128::from_be_bytes(lo)),
	]
}

/// The two limbs of a 33-byte compressed public key:
/// `(int_be(k[0..17]), int_be(k[17..33]))`, i.e. `prefix * 2^128 + int_be(x[0..16])` and
/// `int_be(x[16..32])`.
pub(crate) fn limbs_33(bytes: &[u8; 33]) -> [Fr; 2] {
	let mut x = [0u8; 32];
	for (d, s) in x.iter_mut().zip(bytes.iter().skip(1)) {
		*d = *s;
	}
	let [x_hi, x_lo] = limbs_32(&x);
	let prefix = Fr::from(bytes.first().copied().unwrap_or(0));
	#[allow(
		clippy::arithmetic_side_effects,
		reason = "modular field arithmetic cannot overflow"
	)]
	let hi = prefix * TWO_POW_128 + x_hi;
	[hi, x_lo]
}

impl DecodeWithMemTracking for Digest {}

impl Decode for Digest {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let bytes = <[u8; 32]>::decode(input)?;
		Digest::from_bytes(bytes).map_err(|_| "Digest: not a canonical BN254 field element".into())
	}
}

impl fmt::Debug for Digest {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "Digest(0x{self})")
	}
}

/// Lower-case hexadecimal, 64 digits, no prefix.
impl fmt::Display for Digest {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		for b in self.0 {
			write!(f, "{b:02x}")?;
		}
		Ok(())
	}
}

impl From<Digest> for [u8; 32] {
	fn from(d: Digest) -> Self {
		d.0
	}
}

impl TryFrom<[u8; 32]> for Digest {
	type Error = NonCanonicalDigest;
	fn try_from(bytes: [u8; 32]) -> Result<Self, Self::Error> {
		Digest::from_bytes(bytes)
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;
	use alloc::string::ToString;

	const MODULUS: &str = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";

	#[test]
	fn rejects_values_at_or_above_the_modulus() {
		assert!(Digest::from_hex(MODULUS).is_err());
		assert!(Digest::from_bytes([0xff; 32]).is_err());
		let below = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000";
		assert_eq!(Digest::from_hex(below).unwrap().to_string(), below);
		assert!(<Digest as Decode>::decode(&mut &[0xffu8; 32][..]).is_err());
	}

	#[test]
	fn round_trips_through_the_field() {
		let d =
			Digest::from_hex("0x2e11c5cff2a22c64d01304b778d78f6998eff1ab73163a35603f54794c30847a")
				.unwrap();
		assert_eq!(Digest::from_fr(d.to_fr()), d);
		assert_eq!(Digest::from_u64(0x0102).to_bytes()[30..], [1, 2]);
		assert_eq!(Digest::from_hex("0x10").unwrap(), Digest::from_u64(16));
		assert!(Digest::from_hex("0xzz").is_err());
	}

	#[test]
	fn limbs_split_big_endian() {
		let mut b = [0u8; 32];
		b[15] = 1;
		b[31] = 2;
		assert_eq!(limbs_32(&b), [Fr::from(1u64), Fr::from(2u64)]);
		let mut k = [0u8; 33];
		k[0] = 3;
		k[16] = 5; // last byte of the high limb
		k[32] = 7;
		let expected_hi = Fr::from(3u64) * Fr::from(u128::MAX) + Fr::from(3u64) + Fr::from(5u64);
		assert_eq!(limbs_33(&k), [expected_hi, Fr::from(7u64)]);
	}
}
