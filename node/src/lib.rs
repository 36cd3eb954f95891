//! # attestation-node
//!
//! The node of the TEE attestation chain, as a library so integration tests can reuse the
//! chain-spec builders; the binary (`src/main.rs`) only calls [`command::run`].
//!
//! Two ways to run it:
//! - `--dev`: a single node on the `development` preset. Blocks are sealed by the node itself
//!   ([`dev_seal`]): exactly one block per Aura slot (every 3 s), finalized at once, so
//!   transactions are included within a slot and chain time follows the wall clock.
//! - `--chain local` (or a chain-spec file): Aura authoring and GRANDPA finality between the
//!   validators of the spec (Alice and Bob for `local`).

pub mod chain_spec;
pub mod cli;
pub mod command;
pub mod dev_seal;
mod rpc;
pub mod service;
