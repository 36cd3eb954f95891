//! The TCB Info / QE Identity JSON parsers and TCB matching on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	let _ = tee_verifier::fuzzing::collateral_json(data);
});
