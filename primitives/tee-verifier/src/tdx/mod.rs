//! Intel TDX quote verification (DCAP).

use crate::error::TdxError;
use crate::evidence::{TdxCollateral, TrustAnchors};
use crate::verify::TdxClaims;

/// Verify a TDX quote under Intel DCAP collateral (see [`crate::verify`]).
pub fn verify_quote(
	_quote: &[u8],
	_anchors: &TrustAnchors,
	_collateral: &TdxCollateral,
	_now: u64,
) -> Result<TdxClaims, TdxError> {
	Err(TdxError::NoIntelRoot)
}
