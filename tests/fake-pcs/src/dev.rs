//! The dev chain's collateral source: mock-tee collateral under the public dev roots
//! (INSECURE), re-issued on a schedule with a short validity, so that a collateral keeper
//! (`attest collateral watch`) has something to keep fresh.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mock_tee::{AmdProduct, DevRoots, PckCa, TdxTcbConfig};
use tee_verifier::SigningKeyKind;

use crate::FakeSources;

/// Unix seconds now.
pub fn unix_now() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map_or(0, |d| d.as_secs())
}

/// How long before `now` each issue is dated, so that a chain whose latest block is a few
/// seconds old already accepts it.
pub const ISSUE_SKEW: u64 = 30;

/// Publishes dev collateral issued [`ISSUE_SKEW`] before `now` and valid for `validity`
/// seconds from then: the TDX bundle (see [`publish_dev_tdx`]) and the AMD chains and CRLs
/// (see [`publish_dev_amd`]).
pub fn publish_dev(
	sources: &FakeSources,
	roots: &DevRoots,
	config: &TdxTcbConfig,
	now: u64,
	validity: u64,
) -> Result<(), String> {
	publish_dev_tdx(sources, roots, config, now, validity)?;
	publish_dev_amd(sources, roots, now, validity)
}

/// Publishes the dev platform's TDX collateral (`config`'s FMSPC, as the mock worker's quotes
/// need) with the CRLs of both PCK CAs, issued [`ISSUE_SKEW`] before `now`, valid `validity`
/// seconds.
pub fn publish_dev_tdx(
	sources: &FakeSources,
	roots: &DevRoots,
	config: &TdxTcbConfig,
	now: u64,
	validity: u64,
) -> Result<(), String> {
	for (pck_ca, name) in [
		(PckCa::Processor, "processor"),
		(PckCa::Platform, "platform"),
	] {
		let config = TdxTcbConfig {
			issued_before_now: ISSUE_SKEW,
			validity,
			pck_ca,
			..config.clone()
		};
		let tdx = roots
			.tdx_collateral(now, &config)
			.and_then(|c| c.to_verifier())
			.map_err(|e| format!("minting TDX collateral: {e}"))?;
		sources.publish_tdx(&tdx, name);
	}
	Ok(())
}

/// Publishes every product's AMD chains and (empty) VCEK and VLEK CRLs, issued
/// [`ISSUE_SKEW`] before `now`, valid `validity` seconds.
pub fn publish_dev_amd(
	sources: &FakeSources,
	roots: &DevRoots,
	now: u64,
	validity: u64,
) -> Result<(), String> {
	let issued = now.saturating_sub(ISSUE_SKEW);
	let end = issued.saturating_add(validity);
	for product in AmdProduct::ALL {
		let certs = roots
			.amd_roots(product)
			.map_err(|e| format!("{} roots: {e}", product.name()))?;
		// Two distinct CRLs, as AMD's (the VLEK one a second older; the chain refuses the same
		// CRL twice in one upload).
		let vcek_crl = roots
			.amd_crl(product, issued, end, &[])
			.map_err(|e| format!("{} CRL: {e}", product.name()))?;
		let vlek_crl = roots
			.amd_crl(product, issued.saturating_sub(1), end, &[])
			.map_err(|e| format!("{} CRL: {e}", product.name()))?;
		let p = product.to_verifier();
		sources.publish_amd_chain(p, SigningKeyKind::Vcek, &certs.ask, &certs.ark);
		sources.publish_amd_chain(p, SigningKeyKind::Vlek, &certs.asvk, &certs.ark);
		sources.publish_amd_crl(p, SigningKeyKind::Vcek, &vcek_crl);
		sources.publish_amd_crl(p, SigningKeyKind::Vlek, &vlek_crl);
	}
	Ok(())
}

/// Re-publishes dev collateral every `refresh` seconds, each issue valid for `validity`
/// seconds, until the task is dropped.
pub async fn rotate(
	sources: FakeSources,
	roots: DevRoots,
	config: TdxTcbConfig,
	validity: u64,
	refresh: u64,
) {
	loop {
		let now = unix_now();
		match publish_dev(&sources, &roots, &config, now, validity) {
			Ok(()) => tracing::info!(issued_at = now, validity, "published dev collateral"),
			Err(e) => tracing::error!("{e}"),
		}
		tokio::time::sleep(Duration::from_secs(refresh.max(1))).await;
	}
}
