#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;
// The workspace's `thiserror` entry keeps thiserror's default `std` feature for the std crates;
// this crate takes it without std under another name. The derive expands to `::thiserror::...`
// paths, which this alias (an `extern crate` at the root joins the extern prelude) satisfies.
extern crate thiserror_no_std as thiserror;

mod digest;
mod empty;
mod error;
mod leaf;
pub mod poseidon2;
mod proof;
mod tree;

pub use digest::Digest;
pub use error::{Error, NonCanonicalDigest, ProofError};
pub use leaf::{DerivationPath, Leaf, Name, PublicKey, Service, ServiceKey};
pub use proof::{MembershipProof, MerklePath, NonMembershipProof, ServiceProof};
pub use tree::{empty_subtree, node_hash, Leaves, ServiceTree};

/// Depth of the tree: leaves are indexed by the first 64 bits of their key. One Poseidon2
/// permutation per level in a circuit; 64 bits keep accidental slot collisions negligible
/// (2^-49 for 256 services) at a quarter of the cost of a 256-level tree.
pub const DEPTH: usize = 64;

/// Maximum number of services in one tree (bounds the SCALE encoding and the build work,
/// `MAX_SERVICES * DEPTH` node hashes).
pub const MAX_SERVICES: u32 = 256;

/// Maximum length of a service name in bytes.
pub const MAX_NAME_LEN: u32 = 128;

/// Maximum length of a Nix store path in bytes (Nix limits store paths to 255).
pub const MAX_DERIVATION_LEN: u32 = 256;
