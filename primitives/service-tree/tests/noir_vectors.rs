//! The crate reproduces what Noir computes.
//!
//! `noir_vectors.json` was written by `tests/noir-vectors/generate.mjs` (repository root), which
//! compiles `tests/noir-vectors/src/main.nr` with @noir-lang/noir_wasm and executes it with
//! @noir-lang/noir_js (versions recorded in the file). Regenerate it with
//!
//! ```sh
//! cd tests/noir-vectors && npm ci && node generate.mjs
//! ```
//!
//! The Rust tests only read the committed JSON; they never need node.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use serde_json::Value;
use service_tree::{
	empty_subtree, node_hash, poseidon2, Digest, Leaf, PublicKey, Service, ServiceKey,
	ServiceProof, ServiceTree, DEPTH,
};

const VECTORS: &str = include_str!("noir_vectors.json");

fn vectors() -> Value {
	serde_json::from_str(VECTORS).unwrap()
}

fn digest(v: &Value) -> Digest {
	Digest::from_hex(v.as_str().expect("hex string")).expect("canonical field element")
}

fn digests(v: &Value) -> Vec<Digest> {
	v.as_array().unwrap().iter().map(digest).collect()
}

fn bytes<const N: usize>(v: &Value) -> [u8; N] {
	let s = v.as_str().unwrap();
	let mut out = [0u8; N];
	assert_eq!(s.len(), 2 * N, "{s}");
	for (i, b) in out.iter_mut().enumerate() {
		*b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
	}
	out
}

#[test]
fn generated_by_the_pinned_noir_packages() {
	let v = vectors();
	assert_eq!(v["noir_wasm"], "1.0.0-beta.15");
	assert_eq!(v["noir_js"], "1.0.0-beta.15");
}

#[test]
fn permutation_matches_noir() {
	let v = vectors();
	let inputs = v["inputs"]["permutations"].as_array().unwrap();
	let outputs = v["outputs"]["permutations"].as_array().unwrap();
	assert_eq!(inputs.len(), 3);
	for (input, output) in inputs.iter().zip(outputs) {
		let state: [Digest; 4] = digests(input).try_into().unwrap();
		let expected: [Digest; 4] = digests(output).try_into().unwrap();
		assert_eq!(poseidon2::permutation(&state), expected);
	}
}

#[test]
fn node_hash_and_six_input_sponge_match_noir() {
	let v = vectors();
	let one_two = node_hash(&Digest::from_u64(1), &Digest::from_u64(2));
	assert_eq!(one_two, digest(&v["outputs"]["node_1_2"]));
	let six: Vec<Digest> = (1..=6).map(Digest::from_u64).collect();
	assert_eq!(
		poseidon2::hash(&six),
		digest(&v["outputs"]["sponge6_1_to_6"])
	);
}

#[test]
fn empty_subtrees_match_noir() {
	let v = vectors();
	let expected = digests(&v["outputs"]["empty_subtrees"]);
	assert_eq!(expected.len(), DEPTH + 1);
	for (level, e) in expected.iter().enumerate() {
		assert_eq!(empty_subtree(level), Some(*e), "level {level}");
	}
	assert_eq!(ServiceTree::empty().root(), expected[DEPTH]);
}

/// Checks a tree against Noir's `Tree` output: leaf inputs and hashes in input order, root,
/// siblings of the first leaf, siblings of the probe's slot; and that the proofs verify.
fn check_tree(tree: &ServiceTree, leaves: &[Leaf], probe: &ServiceKey, noir: &Value) -> Digest {
	let root = digest(&noir["root"]);
	for (i, leaf) in leaves.iter().enumerate() {
		let inputs = digests(&noir["leaf_inputs"][i]);
		assert_eq!(leaf.hash_inputs().to_vec(), inputs, "leaf {i} inputs");
		assert_eq!(
			leaf.hash(),
			digest(&noir["leaf_hashes"][i]),
			"leaf {i} hash"
		);
	}
	assert_eq!(tree.root(), root);

	let ServiceProof::Member(member) = tree.prove_key(&leaves[0].key) else {
		panic!("leaf 0 is present");
	};
	assert_eq!(
		member.path.siblings().to_vec(),
		digests(&noir["member_siblings"])
	);
	member.verify_key(&root, &leaves[0].key).unwrap();

	let ServiceProof::Absent(absent) = tree.prove_key(probe) else {
		panic!("probe is absent")
	};
	assert_eq!(
		absent.path.siblings().to_vec(),
		digests(&noir["probe_siblings"])
	);
	absent.verify_key(&root, probe).unwrap();
	root
}

#[test]
fn named_services_tree_matches_noir() {
	let v = vectors();
	let input = &v["inputs"]["named"];
	let services: Vec<Service> = input["services"]
		.as_array()
		.unwrap()
		.iter()
		.map(|s| {
			let key = PublicKey::from_bytes(bytes::<33>(&s["public_key"])).unwrap();
			Service::new(
				s["name"].as_str().unwrap().as_bytes(),
				s["derivation"].as_str().unwrap().as_bytes(),
				key,
			)
			.unwrap()
		})
		.collect();
	let leaves: Vec<Leaf> = services.iter().map(Service::leaf).collect();
	let tree = ServiceTree::from_services(&services).unwrap();
	let probe_name = input["probe_name"].as_str().unwrap();
	let probe = ServiceKey::from_name(probe_name.as_bytes());
	let root = check_tree(&tree, &leaves, &probe, &v["outputs"]["named"]);

	// The probe's slot is empty: no occupant; and by name.
	let absent = tree.prove_non_membership(probe_name.as_bytes()).unwrap();
	assert_eq!(absent.occupant, None);
	absent.verify(&root, probe_name.as_bytes()).unwrap();
	for s in &services {
		tree.prove_membership(s.name())
			.unwrap()
			.verify(&root, s.name())
			.unwrap();
	}

	// Any input order gives Noir's root.
	let mut reversed = services.clone();
	reversed.reverse();
	assert_eq!(ServiceTree::from_services(&reversed).unwrap().root(), root);
}

#[test]
fn synthetic_slots_tree_matches_noir() {
	let v = vectors();
	let input = &v["inputs"]["synthetic"];
	let leaves: Vec<Leaf> = input["leaves"]
		.as_array()
		.unwrap()
		.iter()
		.map(|l| Leaf {
			key: ServiceKey(bytes::<32>(&l["key"])),
			derivation_hash: bytes::<32>(&l["derivation_hash"]),
			public_key: PublicKey::from_bytes(bytes::<33>(&l["public_key"])).unwrap(),
		})
		.collect();
	let slots: Vec<u64> = leaves.iter().map(Leaf::index).collect();
	assert_eq!(slots, [0, 1, 3, 1 << 63, u64::MAX]);
	let tree = ServiceTree::from_leaves(leaves.clone()).unwrap();
	let probe = ServiceKey(bytes::<32>(&input["probe_key"]));
	let root = check_tree(&tree, &leaves, &probe, &v["outputs"]["synthetic"]);

	// The probe shares slot 1 with leaf 1: its non-membership proof carries that occupant.
	let occupant = input["probe_occupant"].as_u64().unwrap() as usize;
	let ServiceProof::Absent(absent) = tree.prove_key(&probe) else {
		panic!("absent")
	};
	assert_eq!(absent.occupant, Some(leaves[occupant]));
	absent.verify_key(&root, &probe).unwrap();
	// Leaf 0's sibling at the leaf level is leaf 1 (not empty), so the path lists it.
	let ServiceProof::Member(member) = tree.prove_key(&leaves[0].key) else {
		panic!("present")
	};
	assert_eq!(member.path.present() & 1, 1);
}
