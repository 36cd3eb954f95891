//! The TDX event-log parser, replay and runtime-event decoding on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	let _ = tee_verifier::fuzzing::event_log(data);
});
