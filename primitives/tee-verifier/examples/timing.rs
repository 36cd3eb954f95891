//! Native verification time of each real test vector (not a benchmark harness: a quick,
//! dependency-free measurement). Run with
//! `cargo run --release -p tee-verifier --example timing`.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic
)]
#![allow(clippy::arithmetic_side_effects, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

fn main() {
	let anchors = common::trust_anchors(&common::vectors_dir());
	let iterations = 50u32;
	println!("{:<28} {:>12} result", "case", "µs/verify");
	for case in common::cases() {
		let result = tee_verifier::verify(&case.evidence, &anchors, &case.collateral, case.now);
		let start = Instant::now();
		for _ in 0..iterations {
			let _ = std::hint::black_box(tee_verifier::verify(
				&case.evidence,
				&anchors,
				&case.collateral,
				case.now,
			));
		}
		let micros = start.elapsed().as_micros() / u128::from(iterations);
		println!(
			"{:<28} {:>12} {}",
			case.id,
			micros,
			match result {
				Ok(_) => "verified".to_string(),
				Err(e) => format!("rejected: {e}"),
			}
		);
	}
}
