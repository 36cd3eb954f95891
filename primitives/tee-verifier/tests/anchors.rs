//! Trust anchors governance may install: real and dev anchors pass; anything that would let a
//! wrong certificate stand as a root or a product's signing key is refused.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

mod common;

use mock_tee::{AmdProduct, DevRoots};
use tee_verifier::{AnchorError, CertError, CertRole, SnpProduct, TrustAnchors};

fn real() -> TrustAnchors {
	common::trust_anchors(&common::vectors_dir())
}

fn dev() -> TrustAnchors {
	DevRoots::dev()
		.unwrap()
		.trust_anchors_for(&AmdProduct::ALL)
		.unwrap()
}

#[test]
fn real_and_dev_anchors_pass() {
	assert_eq!(real().check(), Ok(()));
	assert_eq!(dev().check(), Ok(()));
	assert_eq!(TrustAnchors::default().check(), Ok(()));
}

#[test]
fn a_product_listed_twice_is_refused() {
	let mut a = real();
	let milan = a.amd[0].clone();
	a.amd.try_push(milan.clone()).unwrap();
	assert_eq!(a.check(), Err(AnchorError::DuplicateProduct(milan.product)));
}

#[test]
fn another_products_ask_is_refused() {
	let mut a = real();
	let genoa_ask = a
		.amd
		.iter()
		.find(|p| p.product == SnpProduct::Genoa)
		.unwrap()
		.ask
		.clone();
	let milan = a
		.amd
		.iter_mut()
		.find(|p| p.product == SnpProduct::Milan)
		.unwrap();
	milan.ask = genoa_ask;
	assert_eq!(
		a.check(),
		Err(AnchorError::Amd(
			SnpProduct::Milan,
			CertRole::Ask,
			CertError::WrongRole
		))
	);
}

#[test]
fn an_ask_not_issued_by_the_products_ark_is_refused() {
	// The dev Milan ASK has the right name but the dev ARK signed it, not AMD's.
	let mut a = real();
	let dev_ask = dev()
		.amd
		.iter()
		.find(|p| p.product == SnpProduct::Milan)
		.unwrap()
		.ask
		.clone();
	let milan = a
		.amd
		.iter_mut()
		.find(|p| p.product == SnpProduct::Milan)
		.unwrap();
	milan.ask = dev_ask;
	assert!(
		matches!(
			a.check(),
			Err(AnchorError::Amd(SnpProduct::Milan, CertRole::Ask, _))
		),
		"{:?}",
		a.check()
	);
}

#[test]
fn an_ask_in_the_arks_place_is_refused() {
	let mut a = real();
	let milan = a
		.amd
		.iter_mut()
		.find(|p| p.product == SnpProduct::Milan)
		.unwrap();
	milan.ark = milan.ask.clone().unwrap();
	assert_eq!(
		a.check(),
		Err(AnchorError::Amd(
			SnpProduct::Milan,
			CertRole::Root,
			CertError::WrongRole
		))
	);
}

#[test]
fn a_non_root_intel_certificate_is_refused() {
	let roots = DevRoots::dev().unwrap();
	let mut a = dev();
	a.intel_root_ca = Some(
		roots
			.intel_pck_platform_ca_der()
			.to_vec()
			.try_into()
			.unwrap(),
	);
	assert_eq!(a.check(), Err(AnchorError::Intel(CertError::WrongRole)));
}

#[test]
fn garbage_is_refused() {
	let mut a = real();
	a.intel_root_ca = Some(vec![0x30, 0x03, 0x02, 0x01, 0x00].try_into().unwrap());
	assert_eq!(a.check(), Err(AnchorError::Intel(CertError::Malformed)));
	let mut a = real();
	a.amd[0].asvk = Some(vec![1, 2, 3].try_into().unwrap());
	assert!(matches!(
		a.check(),
		Err(AnchorError::Amd(_, CertRole::Asvk, CertError::Malformed))
	));
}
