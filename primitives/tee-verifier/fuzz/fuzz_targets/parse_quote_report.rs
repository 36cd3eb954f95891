//! The TDX quote and SNP report parsers on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	let _ = tee_verifier::fuzzing::quote(data);
	let _ = tee_verifier::fuzzing::snp_report(data);
});
