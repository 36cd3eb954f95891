//! Native verification time of the project's proofs (`cargo bench -p zk-verifier`), and of the
//! two group operations a runtime delegates to its node (bn254-host): the in-runtime weight is
//! measured by the pallet's frame-benchmarking benchmark, this is the native side of it.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use criterion::{criterion_group, criterion_main, Criterion};
use zk_verifier::{verify, Arkworks, GroupBackend, VerificationKey};

fn proofs(c: &mut Criterion) {
	for case in fixtures::cases() {
		let vk = VerificationKey::parse(&case.vk).unwrap();
		let (proof, inputs, flavour, g2) = (case.proof, case.inputs, case.flavour, case.g2);
		assert_eq!(
			verify(&vk, &proof, &inputs, flavour, &g2),
			Ok(()),
			"{}",
			case.name
		);
		c.bench_function(&format!("verify {}", case.name), |b| {
			b.iter(|| verify(&vk, &proof, &inputs, flavour, &g2))
		});
	}
}

fn group_operations(c: &mut Criterion) {
	// The size of service_response's opening MSM (ZK, 2^17 rows): 64 terms.
	let scalars: Vec<Fr> = (1..=64u64)
		.map(|i| Fr::from(i) * Fr::from(u64::MAX - i))
		.collect();
	let points: Vec<G1Affine> = scalars
		.iter()
		.map(|s| (G1Affine::generator() * s).into_affine())
		.collect();
	c.bench_function("msm_g1 64 terms", |b| {
		b.iter(|| Arkworks::msm_g1(&points, &scalars).unwrap())
	});
	let g1 = [points[0], -points[0]];
	let g2 = [G2Affine::generator(), G2Affine::generator()];
	c.bench_function("pairing check 2 pairs", |b| {
		b.iter(|| Arkworks::pairing_product_is_one(g1, g2).unwrap())
	});
}

criterion_group!(benches, proofs, group_operations);
criterion_main!(benches);
