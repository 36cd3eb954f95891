//! Membership and non-membership proofs and their verification.

use crate::{
	digest::Digest,
	error::ProofError,
	leaf::{Leaf, ServiceKey},
	tree::{empty_subtree, node_fr},
	DEPTH,
};
use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The siblings of a leaf slot from the leaf level (level 0) up to just below the root, with
/// empty-subtree siblings left out.
///
/// Bit `l` of `present` is set when the sibling at level `l` is not the empty subtree `E_l`;
/// `siblings` lists exactly those, lowest level first. A sibling equal to `E_l` must be left
/// out, so each path has one encoding. Construction and SCALE decoding check both rules; at most
/// 8 + 2 + 64 * 32 = 2058 bytes encoded.
#[derive(Clone, PartialEq, Eq, Debug, Encode, TypeInfo, MaxEncodedLen)]
pub struct MerklePath {
	present: u64,
	siblings: BoundedVec<Digest, ConstU32<{ DEPTH as u32 }>>,
}

impl MerklePath {
	/// Checks the two rules above.
	pub fn new(present: u64, siblings: Vec<Digest>) -> Result<Self, ProofError> {
		let expected = present.count_ones();
		if siblings.len() != expected as usize {
			return Err(ProofError::SiblingCountMismatch {
				expected,
				found: siblings.len(),
			});
		}
		let mut listed = siblings.iter();
		for level in 0..DEPTH {
			if present.checked_shr(level as u32).unwrap_or(0) & 1 == 1 {
				let sibling = listed.next();
				if sibling.is_some() && sibling.copied() == empty_subtree(level) {
					return Err(ProofError::NonCanonicalSibling {
						level: level as u32,
					});
				}
			}
		}
		let siblings = BoundedVec::try_from(siblings).map_err(|s: Vec<Digest>| {
			ProofError::SiblingCountMismatch {
				expected,
				found: s.len(),
			}
		})?;
		Ok(MerklePath { present, siblings })
	}

	/// Compresses a full list of `DEPTH` siblings (leaf level first).
	pub fn from_siblings(all: &[Digest; DEPTH]) -> Self {
		let mut present = 0u64;
		let mut siblings = Vec::new();
		for (level, sibling) in all.iter().enumerate() {
			if Some(*sibling) != empty_subtree(level) {
				present |= 1u64.checked_shl(level as u32).unwrap_or(0);
				siblings.push(*sibling);
			}
		}
		// At most DEPTH entries, so the bound holds.
		MerklePath {
			present,
			siblings: BoundedVec::truncate_from(siblings),
		}
	}

	/// All `DEPTH` siblings, leaf level first, empty subtrees filled in: the circuit's
	/// `siblings` input.
	pub fn siblings(&self) -> [Digest; DEPTH] {
		let mut all = [Digest::ZERO; DEPTH];
		let mut listed = self.siblings.iter();
		for (level, slot) in all.iter_mut().enumerate() {
			let is_present = self.present.checked_shr(level as u32).unwrap_or(0) & 1 == 1;
			let value = if is_present {
				listed.next().copied()
			} else {
				empty_subtree(level)
			};
			*slot = value.unwrap_or(Digest::ZERO);
		}
		all
	}

	/// The bitmap of explicitly listed siblings.
	pub fn present(&self) -> u64 {
		self.present
	}

	/// The root obtained by hashing `leaf` at slot `index` up this path: at level `l`, if bit `l`
	/// of `index` is 1 the current node is a right child, `node_hash(sibling_l, current)`,
	/// otherwise `node_hash(current, sibling_l)`.
	pub fn compute_root(&self, index: u64, leaf: &Digest) -> Digest {
		let mut current = leaf.to_fr();
		for (level, sibling) in self.siblings().iter().enumerate() {
			let sibling = sibling.to_fr();
			let is_right = index.checked_shr(level as u32).unwrap_or(0) & 1 == 1;
			current = if is_right {
				node_fr(sibling, current)
			} else {
				node_fr(current, sibling)
			};
		}
		Digest::from_fr(current)
	}
}

impl DecodeWithMemTracking for MerklePath {}

impl Decode for MerklePath {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let present = u64::decode(input)?;
		let siblings = BoundedVec::<Digest, ConstU32<{ DEPTH as u32 }>>::decode(input)?;
		MerklePath::new(present, siblings.into_inner())
			.map_err(|_| "MerklePath: siblings do not match the bitmap".into())
	}
}

/// Proof that a service is in the tree: its leaf and the path from its slot to the root.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct MembershipProof {
	/// The service's leaf (its key, derivation hash and public key). Read the public key and
	/// derivation hash from here after [`MembershipProof::verify`] succeeds.
	pub leaf: Leaf,
	/// Siblings from the leaf's slot up.
	pub path: MerklePath,
}

impl MembershipProof {
	/// Checks that the service called `name` is in the tree with root `root`, with this leaf.
	pub fn verify(&self, root: &Digest, name: &[u8]) -> Result<(), ProofError> {
		self.verify_key(root, &ServiceKey::from_name(name))
	}

	/// [`MembershipProof::verify`] by key.
	pub fn verify_key(&self, root: &Digest, key: &ServiceKey) -> Result<(), ProofError> {
		if self.leaf.key != *key {
			return Err(ProofError::KeyMismatch);
		}
		check_root(
			&self.path.compute_root(key.index(), &self.leaf.hash()),
			root,
		)
	}
}

/// Proof that a service is not in the tree: its slot is empty (`occupant` is `None`, leaf value
/// 0), or holds another service's leaf (each slot holds at most one key, and the leaf commits
/// to its whole key).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct NonMembershipProof {
	/// The leaf in the slot, if the slot is not empty; its key differs from the queried one.
	pub occupant: Option<Leaf>,
	/// Siblings from the slot up.
	pub path: MerklePath,
}

impl NonMembershipProof {
	/// Checks that no service called `name` is in the tree with root `root`.
	pub fn verify(&self, root: &Digest, name: &[u8]) -> Result<(), ProofError> {
		self.verify_key(root, &ServiceKey::from_name(name))
	}

	/// [`NonMembershipProof::verify`] by key.
	pub fn verify_key(&self, root: &Digest, key: &ServiceKey) -> Result<(), ProofError> {
		let leaf = match &self.occupant {
			None => Digest::ZERO,
			Some(occupant) => {
				if occupant.key == *key {
					return Err(ProofError::OccupantHasQueriedKey);
				}
				if occupant.index() != key.index() {
					return Err(ProofError::OccupantInOtherSlot);
				}
				occupant.hash()
			}
		};
		check_root(&self.path.compute_root(key.index(), &leaf), root)
	}
}

/// Either kind of proof, as [`crate::ServiceTree::prove`] returns it (e.g. for a worker API
/// that answers for any name).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum ServiceProof {
	/// The service is present.
	#[codec(index = 0)]
	Member(MembershipProof),
	/// The service is absent.
	#[codec(index = 1)]
	Absent(NonMembershipProof),
}

impl ServiceProof {
	/// Verifies either kind: `Ok(Some(leaf))` if `name` is in the tree with root `root`,
	/// `Ok(None)` if it is proven absent.
	pub fn verify(&self, root: &Digest, name: &[u8]) -> Result<Option<&Leaf>, ProofError> {
		match self {
			ServiceProof::Member(proof) => proof.verify(root, name).map(|()| Some(&proof.leaf)),
			ServiceProof::Absent(proof) => proof.verify(root, name).map(|()| None),
		}
	}
}

fn check_root(computed: &Digest, root: &Digest) -> Result<(), ProofError> {
	if computed == root {
		Ok(())
	} else {
		Err(ProofError::RootMismatch)
	}
}
