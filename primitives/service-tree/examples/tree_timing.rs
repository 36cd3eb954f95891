//! Native timing of the tree operations (not a benchmark harness; run with `--release`):
//!
//! ```sh
//! nice -n 15 cargo run --release -p service-tree --example tree_timing
//! ```

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::arithmetic_side_effects
)]

use service_tree::{poseidon2, Digest, PublicKey, Service, ServiceTree, MAX_SERVICES};
use std::time::Instant;

fn main() {
	let state = [
		Digest::from_u64(1),
		Digest::from_u64(2),
		Digest::from_u64(3),
		Digest::from_u64(4),
	];
	let n = 10_000u32;
	let started = Instant::now();
	let mut s = state;
	for _ in 0..n {
		s = poseidon2::permutation(&s);
	}
	println!("permutation: {:?} each", started.elapsed() / n);

	for count in [1u32, 16, MAX_SERVICES] {
		let services: Vec<Service> = (0..count)
			.map(|i| {
				let mut pk = [0x02u8; 33];
				pk[1..5].copy_from_slice(&i.to_be_bytes());
				let name = format!("service-{i}");
				let path = format!("/nix/store/{i:032}-{name}");
				Service::new(
					name.as_bytes(),
					path.as_bytes(),
					PublicKey::from_bytes(pk).unwrap(),
				)
				.unwrap()
			})
			.collect();
		let started = Instant::now();
		let tree = ServiceTree::from_services(&services).unwrap();
		let build = started.elapsed();
		let started = Instant::now();
		let proof = tree.prove_membership(b"service-0").unwrap();
		let prove = started.elapsed();
		let root = tree.root();
		let started = Instant::now();
		proof.verify(&root, b"service-0").unwrap();
		let verify = started.elapsed();
		println!("{count:>3} services: build {build:?}, prove {prove:?}, verify {verify:?}");
	}
}
