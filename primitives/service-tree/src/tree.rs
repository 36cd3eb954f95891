//! The tree: node hash, empty subtrees, building and proving.

use crate::{
	digest::Digest,
	empty::EMPTY_SUBTREE,
	error::Error,
	leaf::{Leaf, Service, ServiceKey},
	poseidon2,
	proof::{MembershipProof, MerklePath, NonMembershipProof, ServiceProof},
	DEPTH, MAX_SERVICES,
};
use alloc::{collections::BTreeMap, vec::Vec};
use ark_bn254::Fr;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The leaves of a tree, at most [`MAX_SERVICES`].
pub type Leaves = BoundedVec<Leaf, ConstU32<MAX_SERVICES>>;

/// Hash of an inner node: the 2-input Poseidon2 sponge of its children,
/// `poseidon2_permutation([left, right, 0, 2^65], 4)[0]`.
pub fn node_hash(left: &Digest, right: &Digest) -> Digest {
	Digest::from_fr(node_fr(left.to_fr(), right.to_fr()))
}

pub(crate) fn node_fr(left: Fr, right: Fr) -> Fr {
	poseidon2::sponge(&[left, right])
}

/// Root of an empty subtree whose leaves are `level` levels below it: `E_0 = 0` (an empty
/// slot), `E_{l+1} = node_hash(E_l, E_l)`. `empty_subtree(DEPTH)` is the root of the empty tree.
/// Levels above [`DEPTH`] do not exist and give `None`.
pub fn empty_subtree(level: usize) -> Option<Digest> {
	EMPTY_SUBTREE.get(level).copied()
}

/// A sparse Merkle tree of up to [`MAX_SERVICES`] service leaves (see the crate docs for the
/// exact definition).
///
/// Built once from a set of services; the set decides the tree, whatever order it is given in.
/// All non-empty nodes are kept (at most `MAX_SERVICES * DEPTH`), so proofs need no hashing.
/// The SCALE encoding is the sorted leaf list; decoding rebuilds and re-validates the tree.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ServiceTree {
	/// Sorted by key.
	leaves: Leaves,
	/// `levels[l]` maps a node position at level `l` (0 = leaves) to its hash, for non-empty
	/// subtrees only. Length `DEPTH + 1`.
	levels: Vec<BTreeMap<u64, Digest>>,
}

impl ServiceTree {
	/// The tree without services; its root is `empty_subtree(DEPTH)`.
	pub fn empty() -> Self {
		Self::from_sorted_leaves(Leaves::new())
	}

	/// Builds the tree of `services`.
	///
	/// Fails if there are more than [`MAX_SERVICES`], if two services have the same name
	/// ([`Error::DuplicateKey`]), or if two names' keys share their first 8 bytes and so the
	/// same slot ([`Error::IndexCollision`]; probability about `n^2 / 2^65` for `n` random names,
	/// 2^-49 for 256).
	pub fn from_services(services: &[Service]) -> Result<Self, Error> {
		if services.len() > MAX_SERVICES as usize {
			return Err(Error::TooManyServices {
				count: services.len(),
				max: MAX_SERVICES,
			});
		}
		Self::from_leaves(services.iter().map(Service::leaf).collect())
	}

	/// Builds the tree of `leaves` (any order), with the same checks as
	/// [`ServiceTree::from_services`].
	pub fn from_leaves(mut leaves: Vec<Leaf>) -> Result<Self, Error> {
		if leaves.len() > MAX_SERVICES as usize {
			return Err(Error::TooManyServices {
				count: leaves.len(),
				max: MAX_SERVICES,
			});
		}
		leaves.sort_unstable_by_key(|l| l.key);
		for pair in leaves.windows(2) {
			if let [a, b] = pair {
				if a.key == b.key {
					return Err(Error::DuplicateKey { key: a.key });
				}
				if a.index() == b.index() {
					return Err(Error::IndexCollision { index: a.index() });
				}
			}
		}
		let leaves = Leaves::try_from(leaves).map_err(|l| Error::TooManyServices {
			count: l.len(),
			max: MAX_SERVICES,
		})?;
		Ok(Self::from_sorted_leaves(leaves))
	}

	/// Hashes level by level. `leaves` is sorted by key, hence by index, with distinct indices.
	fn from_sorted_leaves(leaves: Leaves) -> Self {
		let mut levels = Vec::with_capacity(DEPTH.saturating_add(1));
		let mut current: BTreeMap<u64, Fr> = leaves
			.iter()
			.map(|l| (l.index(), l.hash().to_fr()))
			.collect();
		for empty in EMPTY_SUBTREE.iter().take(DEPTH) {
			let empty = empty.to_fr();
			let mut parent = BTreeMap::new();
			let mut nodes = current.iter().peekable();
			while let Some((&position, &hash)) = nodes.next() {
				let value = if position & 1 == 0 {
					// A left child; its right sibling, if present, is the next entry.
					let right = match nodes.peek() {
						Some((&next, &h)) if next == position | 1 => {
							nodes.next();
							h
						}
						_ => empty,
					};
					node_fr(hash, right)
				} else {
					// A right child whose left sibling is empty (otherwise it was consumed above).
					node_fr(empty, hash)
				};
				parent.insert(position >> 1, value);
			}
			levels.push(
				current
					.iter()
					.map(|(&p, &h)| (p, Digest::from_fr(h)))
					.collect(),
			);
			current = parent;
		}
		levels.push(
			current
				.iter()
				.map(|(&p, &h)| (p, Digest::from_fr(h)))
				.collect(),
		);
		ServiceTree { leaves, levels }
	}

	/// The root, 32 bytes big-endian. This is `Claims::services_root`.
	pub fn root(&self) -> Digest {
		self.node(DEPTH, 0)
	}

	/// The leaves, sorted by key.
	pub fn leaves(&self) -> &[Leaf] {
		&self.leaves
	}

	/// The number of services.
	pub fn len(&self) -> usize {
		self.leaves.len()
	}

	/// Whether the tree has no services.
	pub fn is_empty(&self) -> bool {
		self.leaves.is_empty()
	}

	/// The leaf of the service called `name`, if present.
	pub fn get(&self, name: &[u8]) -> Option<&Leaf> {
		self.get_key(&ServiceKey::from_name(name))
	}

	/// The leaf with key `key`, if present.
	pub fn get_key(&self, key: &ServiceKey) -> Option<&Leaf> {
		self.leaves
			.binary_search_by_key(key, |l| l.key)
			.ok()
			.and_then(|i| self.leaves.get(i))
	}

	/// A proof that `name` is in the tree (with its leaf) or that it is not.
	pub fn prove(&self, name: &[u8]) -> ServiceProof {
		self.prove_key(&ServiceKey::from_name(name))
	}

	/// [`ServiceTree::prove`] by key.
	pub fn prove_key(&self, key: &ServiceKey) -> ServiceProof {
		let path = self.path(key.index());
		match self.get_key(key) {
			Some(leaf) => ServiceProof::Member(MembershipProof { leaf: *leaf, path }),
			None => ServiceProof::Absent(NonMembershipProof {
				occupant: self.occupant(key.index()).copied(),
				path,
			}),
		}
	}

	/// A membership proof for `name`; [`Error::NotInTree`] if it is absent.
	pub fn prove_membership(&self, name: &[u8]) -> Result<MembershipProof, Error> {
		match self.prove(name) {
			ServiceProof::Member(proof) => Ok(proof),
			ServiceProof::Absent(_) => Err(Error::NotInTree),
		}
	}

	/// A non-membership proof for `name`; [`Error::InTree`] if it is present.
	pub fn prove_non_membership(&self, name: &[u8]) -> Result<NonMembershipProof, Error> {
		match self.prove(name) {
			ServiceProof::Absent(proof) => Ok(proof),
			ServiceProof::Member(_) => Err(Error::InTree),
		}
	}

	/// The leaf in slot `index`, if any.
	fn occupant(&self, index: u64) -> Option<&Leaf> {
		self.leaves.iter().find(|l| l.index() == index)
	}

	/// Hash of the node at `level`, `position` (an empty subtree if it has no leaves).
	fn node(&self, level: usize, position: u64) -> Digest {
		self.levels
			.get(level)
			.and_then(|nodes| nodes.get(&position))
			.copied()
			.or_else(|| empty_subtree(level))
			.unwrap_or(Digest::ZERO)
	}

	/// The siblings of slot `index` from the leaf level up.
	fn path(&self, index: u64) -> MerklePath {
		let mut siblings = [Digest::ZERO; DEPTH];
		for (level, sibling) in siblings.iter_mut().enumerate() {
			let position = index.checked_shr(level as u32).unwrap_or(0);
			*sibling = self.node(level, position ^ 1);
		}
		MerklePath::from_siblings(&siblings)
	}
}

impl Encode for ServiceTree {
	fn size_hint(&self) -> usize {
		self.leaves.size_hint()
	}
	fn encode_to<T: codec::Output + ?Sized>(&self, dest: &mut T) {
		self.leaves.encode_to(dest)
	}
}

impl DecodeWithMemTracking for ServiceTree {}

impl Decode for ServiceTree {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let leaves = Leaves::decode(input)?;
		ServiceTree::from_leaves(leaves.into_inner())
			.map_err(|_| "ServiceTree: duplicate key or shared leaf slot".into())
	}
}

impl MaxEncodedLen for ServiceTree {
	fn max_encoded_len() -> usize {
		Leaves::max_encoded_len()
	}
}

/// Described as a composite with one field, the sorted leaf list, which is its encoding.
impl TypeInfo for ServiceTree {
	type Identity = Self;
	fn type_info() -> scale_info::Type {
		scale_info::Type::builder()
			.path(scale_info::Path::new("ServiceTree", module_path!()))
			.docs(&["Sparse Merkle tree of service leaves, encoded as its sorted leaves."])
			.composite(scale_info::build::Fields::unnamed().field(|f| f.ty::<Leaves>()))
	}
}
