#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;
// As in service-tree: thiserror without std under another name.
extern crate thiserror_no_std as thiserror;

pub mod statement;

pub use statement::{ServiceResponseStatement, StatementError};
