//! `attest event-log`: show a TDX event log, its replayed RTMRs, and whether they are a quote's.
//!
//! The parsing and replay are `tee_verifier::eventlog`'s (the chain's own code); this module
//! only renders events for people: type names, and a readable payload where the type has one.
//! A payload is marked `payload_measured` only when its digest is its hash (see
//! [`tee_verifier::eventlog::Event::payload_is_measured`]); other payloads are descriptions
//! that nothing checks.

use std::path::Path;

use serde_json::{json, Value as Json};
use tee_verifier::eventlog::{event_type, Event, EventLog, Rtmr, RtmrSet, RuntimeEvent};

use crate::{CliError, EXIT_FAILED, EXIT_OK};

/// The TCG name of an event type (PC Client PFP 10.4.1), or `0x...` when unknown.
pub fn type_name(t: u32) -> String {
	let name = match t {
		0x0000_0000 => "EV_PREBOOT_CERT",
		0x0000_0001 => "EV_POST_CODE",
		0x0000_0003 => "EV_NO_ACTION",
		0x0000_0004 => "EV_SEPARATOR",
		0x0000_0005 => "EV_ACTION",
		0x0000_0006 => "EV_EVENT_TAG",
		0x0000_0007 => "EV_S_CRTM_CONTENTS",
		0x0000_0008 => "EV_S_CRTM_VERSION",
		0x0000_0009 => "EV_CPU_MICROCODE",
		0x0000_000A => "EV_PLATFORM_CONFIG_FLAGS",
		0x0000_000B => "EV_TABLE_OF_DEVICES",
		0x0000_000C => "EV_COMPACT_HASH",
		0x0000_000D => "EV_IPL",
		0x0000_000E => "EV_IPL_PARTITION_DATA",
		0x0000_000F => "EV_NONHOST_CODE",
		0x0000_0010 => "EV_NONHOST_CONFIG",
		0x0000_0011 => "EV_NONHOST_INFO",
		0x0000_0012 => "EV_OMIT_BOOT_DEVICE_EVENTS",
		0x8000_0001 => "EV_EFI_VARIABLE_DRIVER_CONFIG",
		0x8000_0002 => "EV_EFI_VARIABLE_BOOT",
		0x8000_0003 => "EV_EFI_BOOT_SERVICES_APPLICATION",
		0x8000_0004 => "EV_EFI_BOOT_SERVICES_DRIVER",
		0x8000_0005 => "EV_EFI_RUNTIME_SERVICES_DRIVER",
		0x8000_0006 => "EV_EFI_GPT_EVENT",
		0x8000_0007 => "EV_EFI_ACTION",
		0x8000_0008 => "EV_EFI_PLATFORM_FIRMWARE_BLOB",
		0x8000_0009 => "EV_EFI_HANDOFF_TABLES",
		0x8000_000A => "EV_EFI_PLATFORM_FIRMWARE_BLOB2",
		0x8000_000B => "EV_EFI_HANDOFF_TABLES2",
		0x8000_000C => "EV_EFI_VARIABLE_BOOT2",
		0x8000_0010 => "EV_EFI_HCRTM_EVENT",
		0x8000_00E0 => "EV_EFI_VARIABLE_AUTHORITY",
		0x8000_00E1 => "EV_EFI_SPDM_FIRMWARE_BLOB",
		0x8000_00E2 => "EV_EFI_SPDM_FIRMWARE_CONFIG",
		_ => return format!("0x{t:08x}"),
	};
	name.to_string()
}

/// Printable ASCII text of `b` up to its first NUL, if it is all printable.
fn ascii(b: &[u8]) -> Option<String> {
	let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
	let text = b.get(..end)?;
	(!text.is_empty() && text.iter().all(|c| c.is_ascii_graphic() || *c == b' '))
		.then(|| String::from_utf8_lossy(text).into_owned())
}

/// UTF-16LE text of `b` up to its first NUL, if it decodes.
fn utf16(b: &[u8]) -> Option<String> {
	let units: Vec<u16> = b
		.chunks_exact(2)
		.map(|c| u16::from_le_bytes([c[0], c[1]]))
		.take_while(|u| *u != 0)
		.collect();
	let text = String::from_utf16(&units).ok()?;
	(!text.is_empty() && text.chars().all(|c| !c.is_control())).then_some(text)
}

/// A readable form of the event's payload, where its type has one.
pub fn payload(e: &Event<'_>) -> Option<String> {
	if let Some(Ok(r)) = e.runtime_event() {
		return Some(match r {
			RuntimeEvent::System(p) => format!("system {}", String::from_utf8_lossy(p)),
			RuntimeEvent::Service { name, path } => format!(
				"service {} {}",
				String::from_utf8_lossy(name),
				String::from_utf8_lossy(path)
			),
		});
	}
	let d = e.data;
	match e.event_type {
		event_type::EV_SEPARATOR => Some(hex::encode(d)),
		event_type::EV_EVENT_TAG => {
			let tag = d.get(..4)?;
			let text = d.get(8..).and_then(ascii).unwrap_or_default();
			Some(format!("tag {} {text}", hex::encode(tag)))
		}
		// UEFI_VARIABLE_DATA: GUID, name length (chars), data length, name (UTF-16), data.
		0x8000_0001 | 0x8000_0002 | 0x8000_000C | 0x8000_00E0 => {
			let chars = u64::from_le_bytes(d.get(16..24)?.try_into().ok()?);
			let len = usize::try_from(chars).ok()?.checked_mul(2)?;
			let name = utf16(d.get(32..32usize.checked_add(len)?)?)?;
			Some(format!("variable {name}"))
		}
		// UEFI_PLATFORM_FIRMWARE_BLOB2 / UEFI_HANDOFF_TABLE_POINTERS2: a sized description.
		0x8000_000A | 0x8000_000B => {
			let size = usize::from(*d.first()?);
			ascii(d.get(1..1usize.checked_add(size)?)?)
		}
		// UEFI_IMAGE_LOAD_EVENT: location, length, link address, device path length, path.
		0x8000_0003..=0x8000_0005 => {
			let length = u64::from_le_bytes(d.get(8..16)?.try_into().ok()?);
			Some(format!("image of {length} bytes"))
		}
		_ => ascii(d).or_else(|| utf16(d)),
	}
}

/// One event as JSON.
pub fn event_json(e: &Event<'_>) -> Json {
	json!({
		"offset": e.offset,
		"index": e.index,
		"register": e.register().map(Rtmr::name),
		"type": type_name(e.event_type),
		"type_id": e.event_type,
		"digest": hex::encode(e.digest),
		"payload": payload(e),
		"payload_measured": e.payload_is_measured(),
		"data": hex::encode(e.data),
	})
}

/// The registers that differ between the replay and the quote, as JSON names.
fn names(set: RtmrSet) -> Vec<&'static str> {
	set.iter().map(Rtmr::name).collect()
}

/// A log in dstack's JSON form (`{"quote": hex, "event_log": "[{imr, event_type, digest,
/// event_payload}, ...]"}`, `imr` 0-based) as a binary TCG log, and its quote.
pub fn from_dstack_json(bytes: &[u8]) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
	use tee_verifier::eventlog::LogBuilder;
	let doc: Json = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
	let events: Json = match &doc["event_log"] {
		Json::String(s) => serde_json::from_str(s).map_err(|e| format!("event_log: {e}"))?,
		other => other.clone(),
	};
	let events = events.as_array().ok_or("no event_log list")?;
	let mut log = LogBuilder::new();
	for (i, e) in events.iter().enumerate() {
		let field = |k: &str| e.get(k).ok_or(format!("event {i}: no {k}"));
		let imr = field("imr")?.as_u64().ok_or(format!("event {i}: imr"))?;
		let register = u32::try_from(imr)
			.ok()
			.and_then(|i| Rtmr::from_index(i.saturating_add(1)))
			.ok_or(format!("event {i}: imr {imr} is not an RTMR"))?;
		let typ = field("event_type")?
			.as_u64()
			.and_then(|t| u32::try_from(t).ok())
			.ok_or(format!("event {i}: event_type"))?;
		let digest: [u8; 48] = hex::decode(field("digest")?.as_str().unwrap_or_default())
			.ok()
			.and_then(|d| d.try_into().ok())
			.ok_or(format!("event {i}: digest is not 48 bytes of hex"))?;
		let payload = hex::decode(field("event_payload")?.as_str().unwrap_or_default())
			.map_err(|e| format!("event {i}: event_payload: {e}"))?;
		log.event(register, typ, &digest, &payload);
	}
	let quote = match doc.get("quote").and_then(Json::as_str) {
		Some(q) => Some(hex::decode(q).map_err(|e| format!("quote: {e}"))?),
		None => None,
	};
	Ok((log.build(), quote))
}

/// `attest event-log --log F [--quote Q] [--json]`: exit 0 when the log parses (and, with a
/// quote, replays to all four of its RTMRs), 1 naming each register that differs, 2 when
/// a file is malformed. `F` is a binary TCG log, or dstack's JSON form (whose quote is
/// compared when no `--quote` is given).
pub fn run(log_path: &Path, quote_path: Option<&Path>, json: bool) -> Result<u8, CliError> {
	let read = |p: &Path| {
		std::fs::read(p).map_err(|e| CliError::BadInput(format!("{}: {e}", p.display())))
	};
	let raw = read(log_path)?;
	let first = raw.iter().find(|b| !b.is_ascii_whitespace());
	let (bytes, embedded_quote) = if first == Some(&b'{') {
		from_dstack_json(&raw)
			.map_err(|e| CliError::BadInput(format!("{}: {e}", log_path.display())))?
	} else {
		(raw, None)
	};
	let log = EventLog::parse(&bytes, usize::MAX)
		.map_err(|e| CliError::BadInput(format!("{}: {e}", log_path.display())))?;
	let quote = match quote_path {
		Some(q) => Some((read(q)?, q.display().to_string())),
		None => embedded_quote.map(|q| (q, format!("{} (its quote)", log_path.display()))),
	};
	let quote_rtmr = match quote {
		Some((q, name)) => Some(
			tee_verifier::tdx::unverified_rtmrs(&q)
				.map_err(|e| CliError::BadInput(format!("{name}: not a TDX quote: {e}")))?,
		),
		None => None,
	};
	let replay = log.replay();
	let mismatch = match &quote_rtmr {
		Some(q) => match log.check(q) {
			Ok(()) => RtmrSet::default(),
			Err(tee_verifier::EventLogError::RtmrMismatch(set)) => set,
			Err(e) => return Err(CliError::BadInput(e.to_string())),
		},
		None => RtmrSet::default(),
	};
	let matches = quote_rtmr.is_some() && mismatch.is_empty();
	if json {
		println!(
			"{}",
			json!({
				"rtmr": replay.iter().map(hex::encode).collect::<Vec<_>>(),
				"events": log.events().iter().map(event_json).collect::<Vec<_>>(),
				"matches_quote": matches,
				"mismatch": names(mismatch),
				"digest": hex::encode(log.digest()),
				"measured_system": log.measured_system().ok().map(|p| String::from_utf8_lossy(p).into_owned()),
			})
		);
	} else {
		print_text(&log, &replay, quote_rtmr.as_ref(), mismatch);
	}
	Ok(if quote_rtmr.is_some() && !matches {
		EXIT_FAILED
	} else {
		EXIT_OK
	})
}

fn print_text(
	log: &EventLog<'_>,
	replay: &[[u8; 48]; 4],
	quote: Option<&[[u8; 48]; 4]>,
	mismatch: RtmrSet,
) {
	for (i, e) in log.events().iter().enumerate() {
		let register = e.register().map_or("-", Rtmr::name);
		let payload = payload(e).unwrap_or_default();
		let mark = if e.payload_is_measured() {
			""
		} else {
			" (unmeasured)"
		};
		println!(
			"{i:>4} {register:<5} {:<34} {} {payload}{}",
			type_name(e.event_type),
			hex::encode(e.digest),
			if payload.is_empty() { "" } else { mark }
		);
	}
	println!("log digest (SHA-256) {}", hex::encode(log.digest()));
	for r in Rtmr::ALL {
		let p = r.position();
		let verdict = match quote {
			None => "",
			Some(_) if mismatch.contains(r) => "  DIFFERS from the quote",
			Some(_) => "  = quote",
		};
		println!("{} {}{verdict}", r.name(), hex::encode(replay[p]));
		if let (Some(q), true) = (quote, mismatch.contains(r)) {
			println!("quote {}", hex::encode(q[p]));
		}
	}
	match quote {
		Some(_) if mismatch.is_empty() => println!("MATCHES the quote's RTMR0-3"),
		Some(_) => println!("MISMATCH: {mismatch}"),
		None => {}
	}
}
