//! Typed errors.

use crate::leaf::ServiceKey;

/// Why a service, a public key or a tree could not be built, or a proof could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
	/// A service name has no bytes.
	#[error("service name is empty")]
	EmptyName,
	/// A service name is longer than [`crate::MAX_NAME_LEN`].
	#[error("service name is {len} bytes, more than the maximum of {max}")]
	NameTooLong {
		/// Its length.
		len: usize,
		/// The bound.
		max: u32,
	},
	/// A derivation (store) path has no bytes.
	#[error("derivation path is empty")]
	EmptyDerivation,
	/// A derivation path is longer than [`crate::MAX_DERIVATION_LEN`].
	#[error("derivation path is {len} bytes, more than the maximum of {max}")]
	DerivationTooLong {
		/// Its length.
		len: usize,
		/// The bound.
		max: u32,
	},
	/// A public key is not 33 bytes long (compressed SEC1).
	#[error("public key is {len} bytes; a compressed secp256k1 key has 33")]
	InvalidPublicKeyLength {
		/// Its length.
		len: usize,
	},
	/// A public key's first byte is not 0x02 or 0x03 (compressed SEC1).
	#[error(
		"public key prefix is 0x{prefix:02x}; a compressed secp256k1 key starts with 0x02 or 0x03"
	)]
	InvalidPublicKeyPrefix {
		/// The first byte (0 for an empty key).
		prefix: u8,
	},
	/// More services than [`crate::MAX_SERVICES`].
	#[error("{count} services, more than the maximum of {max}")]
	TooManyServices {
		/// How many were given.
		count: usize,
		/// The bound.
		max: u32,
	},
	/// Two services have the same key, i.e. the same name.
	#[error("two services have the same name (key {key})")]
	DuplicateKey {
		/// The shared key.
		key: ServiceKey,
	},
	/// Two different names' keys start with the same 8 bytes, so they need the same leaf slot.
	/// Rename one of the services.
	#[error("two services' keys share leaf slot {index:#018x}; rename one of them")]
	IndexCollision {
		/// The shared slot.
		index: u64,
	},
	/// A membership proof was asked for a service that is not in the tree.
	#[error("the service is not in the tree")]
	NotInTree,
	/// A non-membership proof was asked for a service that is in the tree.
	#[error("the service is in the tree")]
	InTree,
}

/// Why a proof does not verify, or could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
	/// The membership proof's leaf has another key than the queried name's.
	#[error("the proof's leaf belongs to another service")]
	KeyMismatch,
	/// Hashing up the path gives another root than the expected one (a tampered leaf, path or
	/// root, or a proof for another tree).
	#[error("the proof leads to another root")]
	RootMismatch,
	/// The number of listed siblings differs from the number of bits set in the bitmap.
	#[error("the path's bitmap announces {expected} siblings but {found} are listed")]
	SiblingCountMismatch {
		/// Bits set in the bitmap.
		expected: u32,
		/// Siblings listed.
		found: usize,
	},
	/// A listed sibling equals the empty subtree of its level; it must be left out instead.
	#[error("sibling at level {level} is the empty subtree and must be left out")]
	NonCanonicalSibling {
		/// Its level (0 = leaf level).
		level: u32,
	},
	/// The non-membership proof's occupant has the queried key, so the service is present.
	#[error("the slot holds the queried service: it is present")]
	OccupantHasQueriedKey,
	/// The non-membership proof's occupant belongs in another slot than the queried key's.
	#[error("the occupant leaf is not in the queried key's slot")]
	OccupantInOtherSlot,
}

/// 32 bytes that are not the canonical encoding of a BN254 field element (the integer is not
/// below the modulus), or a malformed hexadecimal string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a canonical BN254 field element (32 bytes big-endian, below the modulus)")]
pub struct NonCanonicalDigest;
