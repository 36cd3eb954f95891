//! Behaviour of the tree and its proofs: present and absent names, tampering, empty tree, many
//! entries, bounds, determinism.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use service_tree::{
	empty_subtree, Digest, Error, Leaf, MembershipProof, MerklePath, NonMembershipProof,
	ProofError, PublicKey, Service, ServiceKey, ServiceProof, ServiceTree, DEPTH,
	MAX_DERIVATION_LEN, MAX_NAME_LEN, MAX_SERVICES,
};

fn key(i: u32) -> PublicKey {
	let mut bytes = [0u8; 33];
	bytes[0] = if i.is_multiple_of(2) { 0x02 } else { 0x03 };
	bytes[1..5].copy_from_slice(&i.to_be_bytes());
	bytes[32] = 0x5a;
	PublicKey::from_bytes(bytes).unwrap()
}

fn service(i: u32) -> Service {
	let name = format!("service-{i}");
	let path = format!("/nix/store/{:032}-{name}-1.0", i);
	Service::new(name.as_bytes(), path.as_bytes(), key(i)).unwrap()
}

fn services(n: u32) -> Vec<Service> {
	(0..n).map(service).collect()
}

fn tree(n: u32) -> ServiceTree {
	ServiceTree::from_services(&services(n)).unwrap()
}

/// A leaf with a chosen slot (first 8 key bytes) and a distinguishing tag in the rest.
fn leaf_in_slot(slot: u64, tag: u8) -> Leaf {
	let mut k = [tag; 32];
	k[..8].copy_from_slice(&slot.to_be_bytes());
	Leaf {
		key: ServiceKey(k),
		derivation_hash: [tag; 32],
		public_key: key(u32::from(tag)),
	}
}

#[test]
fn empty_tree_has_the_empty_root_and_proves_absence() {
	let t = ServiceTree::empty();
	assert!(t.is_empty());
	assert_eq!(t.root(), empty_subtree(DEPTH).unwrap());
	assert_eq!(ServiceTree::from_services(&[]).unwrap(), t);
	let proof = t.prove_non_membership(b"echo").unwrap();
	assert_eq!(proof.occupant, None);
	assert_eq!(proof.path.present(), 0, "every sibling is an empty subtree");
	proof.verify(&t.root(), b"echo").unwrap();
	assert_eq!(t.prove_membership(b"echo"), Err(Error::NotInTree));
	assert_eq!(empty_subtree(DEPTH + 1), None);
}

#[test]
fn proves_every_present_service_and_rejects_it_under_other_names() {
	let s = services(20);
	let t = ServiceTree::from_services(&s).unwrap();
	let root = t.root();
	for svc in &s {
		let proof = t.prove_membership(svc.name()).unwrap();
		proof.verify(&root, svc.name()).unwrap();
		assert_eq!(proof.leaf, svc.leaf());
		assert_eq!(proof.leaf.public_key, *svc.public_key());
		assert_eq!(t.get(svc.name()), Some(&svc.leaf()));
		assert_eq!(t.prove_non_membership(svc.name()), Err(Error::InTree));
		assert_eq!(
			proof.verify(&root, b"service-999"),
			Err(ProofError::KeyMismatch)
		);
		assert_eq!(
			t.prove(svc.name()).verify(&root, svc.name()).unwrap(),
			Some(&svc.leaf())
		);
	}
}

#[test]
fn proves_absent_names() {
	let t = tree(20);
	let root = t.root();
	for name in ["ssh", "service-20", "", "service-1 ", "SERVICE-1"] {
		let proof = t.prove_non_membership(name.as_bytes()).unwrap();
		proof.verify(&root, name.as_bytes()).unwrap();
		assert_eq!(
			t.prove(name.as_bytes())
				.verify(&root, name.as_bytes())
				.unwrap(),
			None
		);
		assert!(t.get(name.as_bytes()).is_none());
		// The proof is about this name only.
		assert!(proof.verify(&root, b"service-3").is_err());
	}
}

#[test]
fn proofs_fail_against_another_root() {
	let t = tree(5);
	let other = tree(6).root();
	assert_ne!(t.root(), other);
	let member = t.prove_membership(b"service-1").unwrap();
	assert_eq!(
		member.verify(&other, b"service-1"),
		Err(ProofError::RootMismatch)
	);
	let absent = t.prove_non_membership(b"ssh").unwrap();
	assert_eq!(absent.verify(&other, b"ssh"), Err(ProofError::RootMismatch));
}

#[test]
fn rejects_tampered_membership_proofs() {
	let t = tree(30);
	let root = t.root();
	let name = b"service-7";
	let good = t.prove_membership(name).unwrap();

	// Another derivation or public key in the leaf.
	let mut p = good.clone();
	p.leaf.derivation_hash[31] ^= 1;
	assert_eq!(p.verify(&root, name), Err(ProofError::RootMismatch));
	let mut p = good.clone();
	p.leaf.public_key = key(12345);
	assert_eq!(p.verify(&root, name), Err(ProofError::RootMismatch));

	// Every listed sibling changed.
	let all = good.path.siblings();
	for level in 0..DEPTH {
		let mut siblings = all;
		siblings[level] = Digest::from_u64(u64::try_from(level).unwrap() + 1);
		let p = MembershipProof {
			leaf: good.leaf,
			path: MerklePath::from_siblings(&siblings),
		};
		assert_eq!(
			p.verify(&root, name),
			Err(ProofError::RootMismatch),
			"level {level}"
		);
	}

	// The root itself.
	let mut r = root.to_bytes();
	r[31] ^= 1;
	assert_eq!(
		good.verify(&Digest::from_bytes(r).unwrap(), name),
		Err(ProofError::RootMismatch)
	);
}

#[test]
fn rejects_tampered_non_membership_proofs() {
	let t = tree(30);
	let root = t.root();

	// Claiming an empty slot for a present service.
	let member = t.prove_membership(b"service-4").unwrap();
	let lie = NonMembershipProof {
		occupant: None,
		path: member.path.clone(),
	};
	assert_eq!(
		lie.verify(&root, b"service-4"),
		Err(ProofError::RootMismatch)
	);
	// Presenting the service's own leaf as the "other" occupant.
	let lie = NonMembershipProof {
		occupant: Some(member.leaf),
		path: member.path.clone(),
	};
	assert_eq!(
		lie.verify(&root, b"service-4"),
		Err(ProofError::OccupantHasQueriedKey)
	);
	// A real leaf from another slot as occupant.
	let absent = t.prove_non_membership(b"ssh").unwrap();
	let lie = NonMembershipProof {
		occupant: Some(member.leaf),
		path: absent.path.clone(),
	};
	assert_eq!(
		lie.verify(&root, b"ssh"),
		Err(ProofError::OccupantInOtherSlot)
	);
	// A changed sibling.
	let mut siblings = absent.path.siblings();
	siblings[DEPTH - 1] = Digest::from_u64(7);
	let lie = NonMembershipProof {
		occupant: None,
		path: MerklePath::from_siblings(&siblings),
	};
	assert_eq!(lie.verify(&root, b"ssh"), Err(ProofError::RootMismatch));
}

#[test]
fn slot_shared_with_another_key_proves_absence_with_the_occupant() {
	let present = leaf_in_slot(42, 1);
	let t =
		ServiceTree::from_leaves(vec![present, leaf_in_slot(43, 2), leaf_in_slot(7, 3)]).unwrap();
	let probe = leaf_in_slot(42, 9).key;
	let ServiceProof::Absent(proof) = t.prove_key(&probe) else {
		panic!("absent")
	};
	assert_eq!(proof.occupant, Some(present));
	proof.verify_key(&t.root(), &probe).unwrap();
	// Without the occupant, the slot does not hash to the root.
	let lie = NonMembershipProof {
		occupant: None,
		path: proof.path.clone(),
	};
	assert_eq!(
		lie.verify_key(&t.root(), &probe),
		Err(ProofError::RootMismatch)
	);
}

#[test]
fn extreme_slots() {
	let leaves = vec![
		leaf_in_slot(0, 1),
		leaf_in_slot(u64::MAX, 2),
		leaf_in_slot(1, 3),
	];
	let t = ServiceTree::from_leaves(leaves.clone()).unwrap();
	for leaf in &leaves {
		let ServiceProof::Member(p) = t.prove_key(&leaf.key) else {
			panic!("present")
		};
		p.verify_key(&t.root(), &leaf.key).unwrap();
	}
	for slot in [2u64, u64::MAX - 1, 1 << 63] {
		let probe = leaf_in_slot(slot, 4).key;
		let ServiceProof::Absent(p) = t.prove_key(&probe) else {
			panic!("absent")
		};
		assert_eq!(p.occupant, None);
		p.verify_key(&t.root(), &probe).unwrap();
	}
}

#[test]
fn many_entries_up_to_the_maximum() {
	let s = services(MAX_SERVICES);
	let started = std::time::Instant::now();
	let t = ServiceTree::from_services(&s).unwrap();
	let built = started.elapsed();
	assert_eq!(t.len(), MAX_SERVICES as usize);
	let root = t.root();
	for svc in s.iter().step_by(17) {
		t.prove_membership(svc.name())
			.unwrap()
			.verify(&root, svc.name())
			.unwrap();
	}
	for i in MAX_SERVICES..MAX_SERVICES + 20 {
		let name = format!("service-{i}");
		t.prove_non_membership(name.as_bytes())
			.unwrap()
			.verify(&root, name.as_bytes())
			.unwrap();
	}
	// Leaves come out sorted by key.
	assert!(t.leaves().windows(2).all(|w| w[0].key < w[1].key));
	eprintln!("built a {MAX_SERVICES}-service tree in {built:?}");
}

#[test]
fn rejects_more_than_the_maximum() {
	let s = services(MAX_SERVICES + 1);
	assert_eq!(
		ServiceTree::from_services(&s),
		Err(Error::TooManyServices {
			count: MAX_SERVICES as usize + 1,
			max: MAX_SERVICES
		})
	);
	let leaves: Vec<Leaf> = s.iter().map(Service::leaf).collect();
	assert!(matches!(
		ServiceTree::from_leaves(leaves),
		Err(Error::TooManyServices { .. })
	));
}

#[test]
fn rejects_bad_services() {
	let k = key(1);
	assert_eq!(Service::new(b"", b"/nix/store/x", k), Err(Error::EmptyName));
	assert_eq!(Service::new(b"echo", b"", k), Err(Error::EmptyDerivation));
	let long_name = vec![b'a'; MAX_NAME_LEN as usize + 1];
	assert_eq!(
		Service::new(&long_name, b"/nix/store/x", k),
		Err(Error::NameTooLong {
			len: long_name.len(),
			max: MAX_NAME_LEN
		})
	);
	assert!(Service::new(&long_name[1..], b"/nix/store/x", k).is_ok());
	let long_path = vec![b'p'; MAX_DERIVATION_LEN as usize + 1];
	assert_eq!(
		Service::new(b"echo", &long_path, k),
		Err(Error::DerivationTooLong {
			len: long_path.len(),
			max: MAX_DERIVATION_LEN
		})
	);
	assert!(Service::new(b"echo", &long_path[1..], k).is_ok());
}

#[test]
fn rejects_bad_public_keys() {
	let mut bytes = [0x02u8; 33];
	assert!(PublicKey::from_bytes(bytes).is_ok());
	for prefix in [0x00u8, 0x01, 0x04, 0x06, 0xff] {
		bytes[0] = prefix;
		assert_eq!(
			PublicKey::from_bytes(bytes),
			Err(Error::InvalidPublicKeyPrefix { prefix })
		);
	}
	assert_eq!(
		PublicKey::from_slice(&[2; 65]),
		Err(Error::InvalidPublicKeyLength { len: 65 })
	);
	assert_eq!(
		PublicKey::from_slice(&[]),
		Err(Error::InvalidPublicKeyLength { len: 0 })
	);
	let k = PublicKey::from_slice(&[3; 33]).unwrap();
	assert!(k.y_is_odd());
	assert_eq!(k.x(), [3; 32]);
}

#[test]
fn rejects_duplicate_names_and_shared_slots() {
	let mut s = services(3);
	s.push(service(1));
	assert_eq!(
		ServiceTree::from_services(&s),
		Err(Error::DuplicateKey {
			key: ServiceKey::from_name(b"service-1")
		})
	);
	let clash = vec![leaf_in_slot(5, 1), leaf_in_slot(5, 2)];
	assert_eq!(
		ServiceTree::from_leaves(clash),
		Err(Error::IndexCollision { index: 5 })
	);
}

#[test]
fn same_services_in_any_order_give_the_same_tree() {
	let s = services(40);
	let reference = ServiceTree::from_services(&s).unwrap();
	let mut shuffled = s.clone();
	// A fixed pseudo-random permutation, then reversals.
	let mut state = 0x2545_f491_4f6c_dd1du64;
	for i in (1..shuffled.len()).rev() {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		shuffled.swap(i, (state % (i as u64 + 1)) as usize);
	}
	assert_eq!(ServiceTree::from_services(&shuffled).unwrap(), reference);
	shuffled.reverse();
	assert_eq!(
		ServiceTree::from_services(&shuffled).unwrap().root(),
		reference.root()
	);
	// Repeated builds agree, and any change of content changes the root.
	assert_eq!(
		ServiceTree::from_services(&s).unwrap().root(),
		reference.root()
	);
	let mut changed = s.clone();
	changed[3] = Service::new(b"service-3", b"/nix/store/other", key(3)).unwrap();
	assert_ne!(
		ServiceTree::from_services(&changed).unwrap().root(),
		reference.root()
	);
	let fewer = &s[..39];
	assert_ne!(
		ServiceTree::from_services(fewer).unwrap().root(),
		reference.root()
	);
}

#[test]
fn leaf_hash_depends_on_every_field() {
	let base = leaf_in_slot(9, 1);
	let h = base.hash();
	let mut l = base;
	l.key.0[31] ^= 1;
	assert_ne!(l.hash(), h);
	let mut l = base;
	l.derivation_hash[0] ^= 1;
	assert_ne!(l.hash(), h);
	let mut l = base;
	let mut pk = *l.public_key.as_bytes();
	pk[0] = if pk[0] == 2 { 3 } else { 2 };
	l.public_key = PublicKey::from_bytes(pk).unwrap();
	assert_ne!(l.hash(), h, "the prefix (y parity) is committed");
}
