//! Services and the leaves that commit to them.

use crate::{
	digest::{limbs_32, limbs_33, Digest},
	error::Error,
	poseidon2, MAX_DERIVATION_LEN, MAX_NAME_LEN,
};
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;
use sha2::{Digest as _, Sha256};

/// The key of a service's leaf: SHA-256 of the service name.
///
/// Any 32 bytes are a valid key. Its first 8 bytes, big-endian, are the leaf's slot index
/// ([`ServiceKey::index`]); the whole key is committed in the leaf hash.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct ServiceKey(pub [u8; 32]);

impl ServiceKey {
	/// `SHA-256(name)`, the key of the service called `name` (its bytes as given, no
	/// normalisation).
	pub fn from_name(name: &[u8]) -> Self {
		ServiceKey(Sha256::digest(name).into())
	}

	/// The leaf slot: the first 8 bytes of the key as a big-endian integer. Bit `l` (least
	/// significant first) says whether the slot's ancestor at level `l` is a right child.
	pub fn index(&self) -> u64 {
		let (chunks, _) = self.0.as_chunks::<8>();
		chunks.first().map_or(0, |c| u64::from_be_bytes(*c))
	}
}

impl fmt::Debug for ServiceKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "ServiceKey({self})")
	}
}

/// Lower-case hexadecimal, 64 digits.
impl fmt::Display for ServiceKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		for b in self.0 {
			write!(f, "{b:02x}")?;
		}
		Ok(())
	}
}

/// A secp256k1 public key in compressed SEC1 form (33 bytes, prefix `0x02` or `0x03`).
///
/// Only the prefix is checked: whether the 32 bytes after it are the x-coordinate of a curve
/// point is not (that would need secp256k1 arithmetic here; the circuit's ECDSA verification
/// and the echo service's own key handling reject invalid points). The key is the service's
/// response-signing key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, TypeInfo, MaxEncodedLen)]
pub struct PublicKey([u8; 33]);

impl PublicKey {
	/// Accepts 33 bytes whose first byte is `0x02` or `0x03`.
	pub fn from_bytes(bytes: [u8; 33]) -> Result<Self, Error> {
		match bytes.first() {
			Some(0x02 | 0x03) => Ok(PublicKey(bytes)),
			other => Err(Error::InvalidPublicKeyPrefix {
				prefix: other.copied().unwrap_or(0),
			}),
		}
	}

	/// Accepts a slice of exactly 33 bytes with a valid prefix (e.g. a key file's contents).
	pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
		let array = <[u8; 33]>::try_from(bytes)
			.map_err(|_| Error::InvalidPublicKeyLength { len: bytes.len() })?;
		Self::from_bytes(array)
	}

	/// The 33 bytes.
	pub fn as_bytes(&self) -> &[u8; 33] {
		&self.0
	}

	/// The 32-byte x-coordinate (what Noir's `ecdsa_secp256k1::verify_signature` takes as
	/// `public_key_x`).
	pub fn x(&self) -> [u8; 32] {
		let mut x = [0u8; 32];
		for (d, s) in x.iter_mut().zip(self.0.iter().skip(1)) {
			*d = *s;
		}
		x
	}

	/// Whether the y-coordinate is odd (prefix `0x03`). A circuit that takes y as a private
	/// input checks its parity against this.
	pub fn y_is_odd(&self) -> bool {
		self.0.first() == Some(&0x03)
	}
}

impl DecodeWithMemTracking for PublicKey {}

impl Decode for PublicKey {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let bytes = <[u8; 33]>::decode(input)?;
		PublicKey::from_bytes(bytes).map_err(|_| "PublicKey: prefix must be 0x02 or 0x03".into())
	}
}

impl fmt::Debug for PublicKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "PublicKey(")?;
		for b in self.0 {
			write!(f, "{b:02x}")?;
		}
		write!(f, ")")
	}
}

/// What a leaf commits to: the service key, the hash of its Nix store path and its public key.
///
/// This is all the tree (and a proof) needs; names and store paths are not kept. Any field
/// values are accepted, so a tree can also be rebuilt from leaves alone (e.g. from proofs).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Leaf {
	/// `SHA-256(name)`.
	pub key: ServiceKey,
	/// `SHA-256(store path)`: the service's Nix derivation output path as bytes.
	pub derivation_hash: [u8; 32],
	/// The service's response-signing key.
	pub public_key: PublicKey,
}

impl Leaf {
	/// The leaf hash: the 6-input Poseidon2 sponge of the 128-bit limbs of key, derivation hash
	/// and public key (see the crate docs for the exact encoding).
	pub fn hash(&self) -> Digest {
		let [k_hi, k_lo] = limbs_32(&self.key.0);
		let [d_hi, d_lo] = limbs_32(&self.derivation_hash);
		let [p_hi, p_lo] = limbs_33(&self.public_key.0);
		Digest::from_fr(poseidon2::sponge(&[k_hi, k_lo, d_hi, d_lo, p_hi, p_lo]))
	}

	/// The leaf's slot, [`ServiceKey::index`] of its key.
	pub fn index(&self) -> u64 {
		self.key.index()
	}

	/// The six field elements hashed into the leaf, in order: key hi, key lo, derivation hash
	/// hi, derivation hash lo, public key hi, public key lo. These are the circuit's inputs.
	pub fn hash_inputs(&self) -> [Digest; 6] {
		let [k_hi, k_lo] = limbs_32(&self.key.0);
		let [d_hi, d_lo] = limbs_32(&self.derivation_hash);
		let [p_hi, p_lo] = limbs_33(&self.public_key.0);
		[k_hi, k_lo, d_hi, d_lo, p_hi, p_lo].map(Digest::from_fr)
	}
}

/// Bounded service name (1 to [`MAX_NAME_LEN`] bytes).
pub type Name = BoundedVec<u8, ConstU32<MAX_NAME_LEN>>;
/// Bounded Nix store path (1 to [`MAX_DERIVATION_LEN`] bytes).
pub type DerivationPath = BoundedVec<u8, ConstU32<MAX_DERIVATION_LEN>>;

/// A service as configured in the image: its name, its Nix store path and its public key.
///
/// Names and paths are opaque bytes (normally UTF-8, e.g. `echo` and
/// `/nix/store/<hash>-echo-0.1.0`); both must be non-empty and within their bounds. SCALE
/// decoding re-checks this.
#[derive(Clone, PartialEq, Eq, Debug, Encode, TypeInfo, MaxEncodedLen)]
pub struct Service {
	name: Name,
	derivation: DerivationPath,
	public_key: PublicKey,
}

impl Service {
	/// Checks the bounds and builds a service.
	pub fn new(name: &[u8], derivation: &[u8], public_key: PublicKey) -> Result<Self, Error> {
		if name.is_empty() {
			return Err(Error::EmptyName);
		}
		if derivation.is_empty() {
			return Err(Error::EmptyDerivation);
		}
		// Lengths are checked before copying, so oversized input is never allocated.
		if name.len() > MAX_NAME_LEN as usize {
			return Err(Error::NameTooLong {
				len: name.len(),
				max: MAX_NAME_LEN,
			});
		}
		if derivation.len() > MAX_DERIVATION_LEN as usize {
			return Err(Error::DerivationTooLong {
				len: derivation.len(),
				max: MAX_DERIVATION_LEN,
			});
		}
		let name = Name::truncate_from(name.to_vec());
		let derivation = DerivationPath::truncate_from(derivation.to_vec());
		Ok(Service {
			name,
			derivation,
			public_key,
		})
	}

	/// The name.
	pub fn name(&self) -> &[u8] {
		&self.name
	}

	/// The Nix store path.
	pub fn derivation(&self) -> &[u8] {
		&self.derivation
	}

	/// The public key.
	pub fn public_key(&self) -> &PublicKey {
		&self.public_key
	}

	/// The leaf committing to this service.
	pub fn leaf(&self) -> Leaf {
		Leaf {
			key: ServiceKey::from_name(&self.name),
			derivation_hash: Sha256::digest(&self.derivation[..]).into(),
			public_key: self.public_key,
		}
	}
}

impl DecodeWithMemTracking for Service {}

impl Decode for Service {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let name = Name::decode(input)?;
		let derivation = DerivationPath::decode(input)?;
		let public_key = PublicKey::decode(input)?;
		Service::new(&name, &derivation, public_key)
			.map_err(|_| "Service: empty name or derivation path".into())
	}
}
