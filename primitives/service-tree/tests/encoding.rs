//! SCALE encodings: round trips, bounds, rejected encodings, and no panic on arbitrary bytes.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use codec::{Decode, Encode, MaxEncodedLen};
use service_tree::{
	empty_subtree, Digest, Leaf, MembershipProof, MerklePath, NonMembershipProof, ProofError,
	PublicKey, Service, ServiceProof, ServiceTree, DEPTH, MAX_SERVICES,
};

fn service(i: u32) -> Service {
	let mut pk = [0x02u8; 33];
	pk[1..5].copy_from_slice(&i.to_be_bytes());
	let name = format!("svc-{i}");
	Service::new(
		name.as_bytes(),
		format!("/nix/store/{i:032}-{name}").as_bytes(),
		PublicKey::from_bytes(pk).unwrap(),
	)
	.unwrap()
}

fn tree(n: u32) -> ServiceTree {
	ServiceTree::from_services(&(0..n).map(service).collect::<Vec<_>>()).unwrap()
}

fn round_trip<T: Encode + Decode + MaxEncodedLen + PartialEq + core::fmt::Debug>(value: &T) {
	let bytes = value.encode();
	assert!(
		bytes.len() <= T::max_encoded_len(),
		"{} > {}",
		bytes.len(),
		T::max_encoded_len()
	);
	assert_eq!(&T::decode(&mut &bytes[..]).unwrap(), value);
}

#[test]
fn every_type_round_trips_within_its_bound() {
	let t = tree(10);
	round_trip(&t.root());
	round_trip(&service(3));
	round_trip(&service(3).leaf());
	round_trip(&t);
	for name in [&b"svc-2"[..], b"absent"] {
		let proof = t.prove(name);
		round_trip(&proof);
		match proof {
			ServiceProof::Member(p) => {
				round_trip(&p.path);
				round_trip(&p);
			}
			ServiceProof::Absent(p) => round_trip(&p),
		}
	}
}

#[test]
fn documented_sizes() {
	assert_eq!(Digest::max_encoded_len(), 32);
	assert_eq!(Leaf::max_encoded_len(), 97);
	assert_eq!(MerklePath::max_encoded_len(), 8 + 2 + DEPTH * 32);
	assert!(ServiceTree::max_encoded_len() >= MAX_SERVICES as usize * 97);
	// A full path (all siblings listed) is exactly the bound.
	let all: [Digest; DEPTH] = core::array::from_fn(|l| Digest::from_u64(l as u64 + 1000));
	assert_eq!(
		MerklePath::from_siblings(&all).encode().len(),
		MerklePath::max_encoded_len()
	);
}

#[test]
fn tree_encoding_is_its_sorted_leaves_and_decoding_rebuilds() {
	let t = tree(6);
	let leaves: Vec<Leaf> = t.leaves().to_vec();
	assert_eq!(t.encode(), leaves.encode());
	// Leaves in another order decode to the same tree.
	let mut reversed = leaves.clone();
	reversed.reverse();
	let decoded = ServiceTree::decode(&mut &reversed.encode()[..]).unwrap();
	assert_eq!(decoded, t);
	// A duplicate leaf is rejected.
	let mut dup = leaves.clone();
	dup.push(leaves[0]);
	assert!(ServiceTree::decode(&mut &dup.encode()[..]).is_err());
	// More than MAX_SERVICES leaves is rejected by the bound.
	let many: Vec<Leaf> = (0..=MAX_SERVICES).map(|i| service(i).leaf()).collect();
	assert!(ServiceTree::decode(&mut &many.encode()[..]).is_err());
}

#[test]
fn rejects_non_canonical_encodings() {
	// A field element >= p.
	assert!(Digest::decode(&mut &[0xff; 32][..]).is_err());
	// A public key with a bad prefix.
	let mut leaf = service(1).leaf().encode();
	leaf[64] = 0x04;
	assert!(Leaf::decode(&mut &leaf[..]).is_err());
	// A service with an empty name.
	let mut s = Vec::new();
	Vec::<u8>::new().encode_to(&mut s);
	b"/nix/store/x".to_vec().encode_to(&mut s);
	[2u8; 33].encode_to(&mut s);
	assert!(Service::decode(&mut &s[..]).is_err());
	// A name over the bound.
	let mut s = Vec::new();
	vec![b'a'; 129].encode_to(&mut s);
	b"/nix/store/x".to_vec().encode_to(&mut s);
	[2u8; 33].encode_to(&mut s);
	assert!(Service::decode(&mut &s[..]).is_err());
}

#[test]
fn paths_must_match_their_bitmap_and_omit_empty_siblings() {
	let one = Digest::from_u64(1);
	assert_eq!(
		MerklePath::new(0b101, vec![one]),
		Err(ProofError::SiblingCountMismatch {
			expected: 2,
			found: 1
		})
	);
	assert_eq!(
		MerklePath::new(0, vec![one]),
		Err(ProofError::SiblingCountMismatch {
			expected: 0,
			found: 1
		})
	);
	let e3 = empty_subtree(3).unwrap();
	assert_eq!(
		MerklePath::new(0b1001, vec![one, e3]),
		Err(ProofError::NonCanonicalSibling { level: 3 })
	);
	let ok = MerklePath::new(0b1001, vec![one, Digest::from_u64(2)]).unwrap();
	let siblings = ok.siblings();
	assert_eq!(siblings[0], one);
	assert_eq!(siblings[3], Digest::from_u64(2));
	assert_eq!(siblings[1], empty_subtree(1).unwrap());
	assert_eq!(MerklePath::from_siblings(&siblings), ok);

	// The same checks on decoding.
	let mut bad = Vec::new();
	0b1001u64.encode_to(&mut bad);
	vec![one, e3].encode_to(&mut bad);
	assert!(MerklePath::decode(&mut &bad[..]).is_err());
	let mut bad = Vec::new();
	u64::MAX.encode_to(&mut bad);
	vec![one].encode_to(&mut bad);
	assert!(MerklePath::decode(&mut &bad[..]).is_err());
	let mut too_long = Vec::new();
	u64::MAX.encode_to(&mut too_long);
	vec![one; DEPTH + 1].encode_to(&mut too_long);
	assert!(MerklePath::decode(&mut &too_long[..]).is_err());
}

/// Every byte of an encoded proof flipped: decoding fails, or the proof no longer verifies.
#[test]
fn flipped_bytes_in_encoded_proofs_never_verify() {
	let t = tree(40);
	let root = t.root();
	let member = t.prove_membership(b"svc-9").unwrap().encode();
	for i in 0..member.len() {
		let mut b = member.clone();
		b[i] ^= if i % 2 == 0 { 0x01 } else { 0x80 };
		if let Ok(p) = MembershipProof::decode(&mut &b[..]) {
			assert!(p.verify(&root, b"svc-9").is_err(), "byte {i}");
		}
	}
	let absent = t.prove_non_membership(b"nope").unwrap().encode();
	for i in 0..absent.len() {
		let mut b = absent.clone();
		b[i] ^= 0x01;
		if let Ok(p) = NonMembershipProof::decode(&mut &b[..]) {
			assert!(p.verify(&root, b"nope").is_err(), "byte {i}");
		}
	}
}

/// Arbitrary bytes never make decoding (or verifying what decodes) panic.
#[test]
fn arbitrary_bytes_never_panic() {
	let root = tree(3).root();
	let mut state = 0x9e37_79b9_7f4a_7c15u64;
	let mut next = || {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		state
	};
	let valid = tree(3).prove(b"svc-1").encode();
	for round in 0..1500 {
		let len = (next() % 700) as usize;
		let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
		if round % 3 == 0 {
			// Mostly-valid inputs reach deeper.
			bytes = valid.clone();
			let i = (next() as usize) % bytes.len();
			bytes[i] = next() as u8;
		}
		let input = &mut &bytes[..];
		if let Ok(p) = ServiceProof::decode(&mut &input[..]) {
			let _ = p.verify(&root, b"svc-1");
		}
		let _ = MerklePath::decode(&mut &bytes[..]);
		let _ = Service::decode(&mut &bytes[..]);
		let _ = Leaf::decode(&mut &bytes[..]);
		let _ = Digest::decode(&mut &bytes[..]);
		let _ = ServiceTree::decode(&mut &bytes[..]);
		if let Ok(s) = core::str::from_utf8(&bytes) {
			let _ = Digest::from_hex(s);
		}
	}
}
