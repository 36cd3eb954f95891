#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod anchors;
mod asn1;
pub mod binding;
pub mod collateral;
pub mod error;
pub mod eventlog;
pub mod evidence;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod pem;
pub mod policy;
pub mod snp;
pub mod tdx;
mod time;
pub mod verify;
mod x509;

pub use anchors::AnchorError;
pub use binding::{
	check_binding, check_measured_system, report_data, system_hash, Claims, Purpose,
	ReportDataMismatch, SystemNotMeasured, REPORT_DATA_DOMAIN,
};
pub use collateral::{
	collateral_id, verify_collateral, verify_for_storage, CollateralId, CollateralInfo,
	StorableCollateral,
};
pub use error::{CertError, CertRole, CollateralPart, SnpError, TdxError, VerifyError};
pub use eventlog::{EventLog, EventLogError, Rtmr, RtmrSet, RuntimeEvent};
pub use evidence::{
	AdvisoryId, AmdProductAnchors, BoundedBytes, Collateral, DerCert, Evidence, SnpCollateral,
	TdxCollateral, TrustAnchors,
};
pub use policy::{Policy, PolicyViolation, SnpMinimumTcb, Violation};
pub use snp::KnownVek;
pub use tdx::VerifiedTdxCollateral;
pub use verify::{
	apply_event_log, verify, verify_with_stored, MeasuredLog, SigningKeyKind, SnpClaims,
	SnpProduct, SnpTcb, StoredCollateral, TcbStatus, TdxClaims, Tee, VerifiedClaims,
};
