//! `tee-worker`: the agent inside a confidential VM.
//!
//! It holds the worker's keys, obtains hardware evidence whose REPORT_DATA binds its claims
//! (account, x25519 key, chain, nonce, system hash, services root), registers the worker on the
//! chain and answers the chain's re-attestation requests, reconnecting when the node goes away.
//!
//! Modules: [`config`] (command line), [`keys`] (persisted keys), [`evidence`] (providers of
//! hardware evidence), [`scale_call`] (calls built from our SCALE types, checked against the
//! chain's metadata), [`chain`] (registration and re-attestation).

pub mod chain;
pub mod config;
pub mod evidence;
pub mod keys;
pub mod scale_call;
