//! `attestation-node`: the node of the TEE attestation chain.

fn main() {
	if let Err(err) = attestation_node::command::run() {
		// One readable line on stderr and a non-zero status; nothing keeps running.
		eprintln!("Error: {err}");
		std::process::exit(1);
	}
}
