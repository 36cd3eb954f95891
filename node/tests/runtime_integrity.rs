//! The runtime's own integrity checks, on its real configuration and weights. The runtime
//! crate has no test build of its own (see its Cargo.toml), so they run here, where the node
//! links it natively: among them the attestation pallet's check that every call at its largest
//! input, and `on_initialize` at its most work, fit in a block with at most 1 MiB of proof.

use polkadot_sdk::{frame_support::traits::IntegrityTest, sp_io::TestExternalities};

#[test]
fn the_runtime_passes_every_pallets_integrity_test() {
	TestExternalities::new_empty().execute_with(|| {
		attestation_runtime::AllPalletsWithSystem::integrity_test();
	});
}
