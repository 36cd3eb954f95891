//! Builds the runtime's wasm blob (embedded in the native crate as `WASM_BINARY`).

#[cfg(feature = "std")]
fn main() {
	// The genesis presets embed these files with `include_bytes!`; the wasm builder tracks only
	// the crates' sources, so without this a changed file would leave a stale wasm.
	println!("cargo:rerun-if-changed=genesis");
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// The inner wasm build compiles this crate without `std`: nothing to do there.
#[cfg(not(feature = "std"))]
fn main() {}
