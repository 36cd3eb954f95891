//! Collateral from its sources: Intel's PCS v4 (or a PCCS) and AMD's KDS, fetched over HTTP(S)
//! with timeouts, bounded bodies and retries, and verified locally (with the same code the
//! chain runs) before anything writes, caches or uploads it.
//!
//! - [`http`]: the HTTP client (timeouts, size limits, backoff, 404/429 handling).
//! - [`pcs`]: Intel TDX collateral (TCB Info, QE Identity, PCK CRLs, root CA CRL).
//! - [`kds`]: AMD SEV-SNP certificate chains, CRLs and VCEKs.
//! - [`json`]: the collateral JSON form of the test vectors and `attest verify-evidence`.

pub mod error;
pub mod http;
pub mod json;
pub mod kds;
pub mod pcs;

pub use error::FetchError;
pub use http::{Http, HttpConfig};
pub use kds::Kds;
pub use pcs::Pcs;

/// Intel's public PCS v4 API (no API key is needed for TDX collateral and CRLs).
pub const INTEL_PCS: &str = "https://api.trustedservices.intel.com";
/// AMD's Key Distribution Service (no API key).
pub const AMD_KDS: &str = "https://kdsintf.amd.com";
