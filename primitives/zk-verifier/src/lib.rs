#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;
// As in service-tree: thiserror without std under another name.
extern crate thiserror_no_std as thiserror;

pub mod backend;
pub mod encoding;
mod error;
pub mod key;
pub mod proof;
mod relations;
pub mod statement;
pub mod transcript;
mod verifier;

pub use backend::{Arkworks, BackendError, GroupBackend};
pub use error::VerifyError;
pub use key::VerificationKey;
pub use proof::{Flavour, Proof};
pub use statement::{ServiceResponseStatement, StatementError};
pub use verifier::{verify, verify_with, SrsG2, AZTEC_G2, DEFAULT_PAIRING_WORDS, DEV_G2};
