//! AMD SEV-SNP report verification.

use crate::error::SnpError;
use crate::evidence::{SnpCollateral, TrustAnchors};
use crate::verify::SnpClaims;

/// Verify an SNP report and its VCEK/VLEK certificate (see [`crate::verify`]).
pub fn verify_report(
	_report: &[u8],
	_vek_der: &[u8],
	_anchors: &TrustAnchors,
	_collateral: &SnpCollateral,
	_now: u64,
) -> Result<SnpClaims, SnpError> {
	Err(SnpError::UnknownProduct)
}
