//! The X.509 certificate, CRL and PEM chain parsers on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	let _ = tee_verifier::fuzzing::certificate(data);
	let _ = tee_verifier::fuzzing::crl(data);
	let _ = tee_verifier::fuzzing::pem_chain(data);
});
