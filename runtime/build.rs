//! Builds the runtime's wasm blob (embedded in the native crate as `WASM_BINARY`).

#[cfg(feature = "std")]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// The inner wasm build compiles this crate without `std`: nothing to do there.
#[cfg(not(feature = "std"))]
fn main() {}
