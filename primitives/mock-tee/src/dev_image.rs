//! The measurements of the dev chain's mock VM image.
//!
//! A mock worker (`tee-worker --tee mock`) reports these registers, and the dev chain's
//! genesis holds a release with them, so a mock worker registers on the dev chain the way a
//! real one registers on a production chain with its image's release. They are fixed strings
//! hashed with SHA-384 (the registers' size), and an event log whose events say what they
//! stand for: recognisable, and obviously not a real image.

use sha2::{Digest, Sha384};
use tee_verifier::eventlog::{event_type, EventLog, LogBuilder, Rtmr, RuntimeEvent};

fn register(label: &str) -> [u8; 48] {
	let mut h = Sha384::new();
	h.update(b"tee-attest dev image (mock-tee, INSECURE): ");
	h.update(label.as_bytes());
	h.finalize().into()
}

/// TDX MRTD of the dev image.
pub fn mrtd() -> [u8; 48] {
	register("MRTD")
}

/// The dev image's firmware event log (what a real TD reads from the ACPI CCEL table): one
/// `EV_EFI_ACTION` event per boot register, whose payload says what it stands for. A mock
/// worker appends its RTMR3 runtime events to it.
pub fn firmware_log() -> Vec<u8> {
	let mut log = LogBuilder::new();
	for (rtmr, what) in [
		(Rtmr::Rtmr0, "RTMR0: firmware configuration"),
		(Rtmr::Rtmr1, "RTMR1: the unified kernel image"),
		(Rtmr::Rtmr2, "RTMR2: command line, initrd"),
	] {
		let text = format!("tee-attest dev image (mock-tee, INSECURE): {what}");
		log.measured_event(rtmr, event_type::EV_EFI_ACTION, text.as_bytes());
	}
	log.build()
}

/// The dev image's event log after the boot step measured `system` (a store path) and
/// `services` (name, store path) into RTMR3, as the worker's boot step does. `None` if a
/// path or name is not a valid runtime-event field (empty, too long, spaces).
pub fn event_log(system: &[u8], services: &[(&[u8], &[u8])]) -> Option<Vec<u8>> {
	let firmware = firmware_log();
	let parsed = EventLog::parse(&firmware, usize::MAX).ok()?;
	let mut log = LogBuilder::continuing(&parsed);
	log.runtime_event(&RuntimeEvent::System(system))?;
	for (name, path) in services {
		log.runtime_event(&RuntimeEvent::Service { name, path })?;
	}
	Some(log.build())
}

/// TDX RTMR0..RTMR3 of the dev image before any runtime event: the replay of
/// [`firmware_log`] (RTMR3 is zero; it is not part of a release).
pub fn rtmrs() -> [[u8; 48]; 4] {
	EventLog::parse(&firmware_log(), usize::MAX)
		.map(|log| log.replay())
		.unwrap_or([[0; 48]; 4])
}

/// SEV-SNP launch MEASUREMENT of the dev image.
pub fn snp_measurement() -> [u8; 48] {
	register("SNP MEASUREMENT")
}

/// Store path the dev image reports as `/run/current-system` (a mock worker uses it when the
/// machine it runs on is not NixOS).
pub const SYSTEM_PATH: &str = "/nix/store/00000000000000000000000000000000-tee-attest-dev-system";

/// `system_hash` of the dev image: SHA-256 of [`SYSTEM_PATH`], as for a real image.
pub fn system_hash() -> [u8; 32] {
	tee_verifier::binding::system_hash(SYSTEM_PATH.as_bytes())
}
