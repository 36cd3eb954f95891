//! `tee-worker`: the agent inside a confidential VM.
//!
//! It holds the worker's keys, obtains hardware evidence whose REPORT_DATA binds its claims
//! (account, x25519 key, chain, nonce, system hash, services root), registers the worker on the
//! chain, answers the chain's re-attestation requests (reconnecting when the node goes away),
//! and serves evidence, its services and metrics over HTTP.
//!
//! Modules: [`config`] (TOML file and command line), [`keys`] (persisted keys), [`tpm`] (sealing them to the TPM), [`evidence`]
//! (providers of hardware evidence), [`services`] (the measured services and their tree),
//! [`scale_call`] (calls built from our SCALE types, checked against the chain's metadata),
//! [`chain`] (registration and re-attestation), [`status`] (run-time state and metrics),
//! [`api`] (HTTP API), [`vcek`] (SEV-SNP VCEKs from AMD KDS when the host supplies none).

pub mod api;
pub mod chain;
pub mod config;
pub mod evidence;
pub mod keys;
pub mod scale_call;
pub mod services;
pub mod status;
pub mod tpm;
pub mod vcek;
