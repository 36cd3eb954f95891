//! REPORT_DATA binding: the published test vector and the properties the binding must have.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects,
	clippy::type_complexity
)]

use codec::Encode;
use tee_verifier::{report_data, Claims, Purpose};

/// The claims of the published test vector (README.md, "REPORT_DATA binding").
fn vector_claims() -> Claims {
	Claims {
		genesis_hash: [0x01; 32],
		purpose: Purpose::Register,
		account: [0x02; 32],
		x25519: [0x03; 32],
		nonce: [0x04; 32],
		anchor_block: 42,
		system_hash: [0x05; 32],
		services_root: [0x06; 32],
		gpu_digest: None,
	}
}

#[test]
fn report_data_matches_published_vector() {
	// Computed independently with Python's hashlib over a hand-built SCALE encoding.
	let expected = hex::decode(
		"9f82897c51a4cf81df5ebf827b1d124fcc582f1d744a94d4a4c49c4de3aa8d05\
         c42868908227e6a9aba397185433282e0484f505d31d3545be9d7f8c28f11769",
	)
	.unwrap();
	assert_eq!(report_data(&vector_claims()).to_vec(), expected);
}

#[test]
fn report_data_matches_second_vector_with_gpu_digest() {
	let claims = Claims {
		purpose: Purpose::OffChain,
		gpu_digest: Some([0x07; 32]),
		..vector_claims()
	};
	let expected = hex::decode(
		"660b13776ba16e5534a2c4d806ab415c0f99d516de5715545c58bb7f366ff9de\
         0f365eedff7944ec94750609ec25f8ac733a238d4e1b6e41e38cc2c734add9cb",
	)
	.unwrap();
	assert_eq!(report_data(&claims).to_vec(), expected);
}

#[test]
fn claims_scale_layout_is_pinned() {
	// 32 + 1 + 32 + 32 + 32 + 4 + 32 + 32 + 1 bytes, purpose index 0, block number little endian.
	let enc = vector_claims().encode();
	assert_eq!(enc.len(), 198);
	assert_eq!(enc[32], 0);
	assert_eq!(&enc[129..133], &42u32.to_le_bytes());
	assert_eq!(enc[197], 0);
}

#[test]
fn every_field_changes_report_data() {
	let base = report_data(&vector_claims());
	let variants: Vec<Box<dyn Fn(&mut Claims)>> = vec![
		Box::new(|c| c.genesis_hash[0] ^= 1),
		Box::new(|c| c.purpose = Purpose::Reattest),
		Box::new(|c| c.purpose = Purpose::OffChain),
		Box::new(|c| c.account[31] ^= 1),
		Box::new(|c| c.x25519[0] ^= 1),
		Box::new(|c| c.nonce[5] ^= 1),
		Box::new(|c| c.anchor_block += 1),
		Box::new(|c| c.system_hash[0] ^= 1),
		Box::new(|c| c.services_root[0] ^= 1),
		Box::new(|c| c.gpu_digest = Some([0; 32])),
	];
	for (i, change) in variants.iter().enumerate() {
		let mut c = vector_claims();
		change(&mut c);
		assert_ne!(
			report_data(&c),
			base,
			"field change {i} did not change REPORT_DATA"
		);
	}
}

#[test]
fn system_hash_is_sha256_of_the_store_path() {
	// `printf '%s' /nix/store/abc-nixos-system | sha256sum`
	let want = "370faee7b5173414999f11419aaae4de2fd38ad56ae5a7dadc3522c0f289bb4e";
	let got = tee_verifier::system_hash(b"/nix/store/abc-nixos-system");
	let hex: String = got.iter().map(|b| format!("{b:02x}")).collect();
	assert_eq!(hex, want);
	assert_ne!(
		got,
		tee_verifier::system_hash(b"/nix/store/abc-nixos-system\n")
	);
}
