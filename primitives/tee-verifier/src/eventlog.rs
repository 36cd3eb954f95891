//! TDX confidential-computing event logs: parse the TCG crypto-agile log of the ACPI CCEL table,
//! replay RTMR0-3, compare them with a quote, and read the typed runtime events this project
//! measures into RTMR3.
//!
//! A TD's RTMRs are running SHA-384 hash chains (`RTMR = SHA-384(RTMR || digest)`, starting
//! from zero). The firmware, the boot loader, the kernel's EFI stub and, at run time, the guest
//! extend them and append each measurement to the event log. The log is untrusted: it is only
//! believed because replaying its digests gives exactly the RTMRs the hardware signed in the
//! quote. Even then an event's *payload* is only as trustworthy as the rule linking it to its
//! digest, so [`Event::payload_is_measured`] tells which payloads the replay vouches for, and
//! the parser refuses a log in which such a payload does not hash to its digest.
//!
//! Format (TCG PC Client Platform Firmware Profile, section 10, "crypto agile" log; the CC
//! measurement register index of the UEFI CC measurement protocol):
//!
//! ```text
//! TCG_PCClientPCREvent   index u32, type u32 (EV_NO_ACTION), SHA-1 digest [20] (zero),
//!                        size u32, TCG_EfiSpecIdEvent ("Spec ID Event03", digest sizes)
//! TCG_PCR_EVENT2 ...     index u32, type u32, count u32, count x (alg u16, digest),
//!                        size u32, data
//! padding                0xff or 0x00 bytes to the end of the log area
//! ```
//!
//! Register indices: 0 is MRTD (never extended at run time), 1..=4 are RTMR0..=3. Every event
//! must carry a SHA-384 digest; `EV_NO_ACTION` events extend nothing.
//!
//! Bounded: at most [`MAX_EVENTS`] events and [`MAX_ALGORITHMS`] digest algorithms; every
//! length is checked against the input before it is used. Never panics.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;
use sha2::{Digest, Sha256, Sha384};

/// Largest event log (its used part, without padding) a chain accepts with evidence. Real
/// firmware + boot loader logs are 2 to 22 KiB (the test vectors' largest is 21,897 bytes);
/// Secure Boot databases measured as variable events add a few KiB each, and the runtime
/// events of RTMR3 about 150 bytes per measured service. The TDX attestation weight includes
/// the replay of a log of this size.
pub const MAX_EVENT_LOG_LEN: u32 = 64 * 1024;

/// Most events a log may hold (real ones have 20 to 90).
pub const MAX_EVENTS: usize = 1024;

/// Most digest algorithms the Spec ID event may announce.
pub const MAX_ALGORITHMS: usize = 8;

/// TCG algorithm identifier of SHA-384, the hash of the TDX RTMRs.
pub const TPM_ALG_SHA384: u16 = 0x000C;

/// An RTMR value: SHA-384 output.
pub type RtmrValue = [u8; 48];

/// Event types this module treats specially (TCG PFP section 10.4.1).
pub mod event_type {
	/// An event that extends nothing (the Spec ID header, firmware notes).
	pub const EV_NO_ACTION: u32 = 0x0000_0003;
	/// A separator between boot phases; its digest is of its 4 data bytes.
	pub const EV_SEPARATOR: u32 = 0x0000_0004;
	/// A tagged event: tag ID u32, data size u32, data. Our runtime events use it.
	pub const EV_EVENT_TAG: u32 = 0x0000_0006;
	/// An action string logged by the firmware; its digest is of the string.
	pub const EV_EFI_ACTION: u32 = 0x8000_0007;
	/// A UEFI configuration variable (SecureBoot, PK, KEK, db, dbx); digest of the event data.
	pub const EV_EFI_VARIABLE_DRIVER_CONFIG: u32 = 0x8000_0001;
	/// The GPT of the boot disk; digest of the event data.
	pub const EV_EFI_GPT_EVENT: u32 = 0x8000_0006;
	/// The db entry that authorised an image; digest of the event data.
	pub const EV_EFI_VARIABLE_AUTHORITY: u32 = 0x8000_00E0;
}

/// The payload of these event types is exactly what their digest hashes (TCG PFP), so a log
/// whose payload does not hash to its digest has been edited.
fn payload_rule_applies(index: u32, typ: u32) -> bool {
	use event_type::*;
	matches!(
		typ,
		EV_SEPARATOR
			| EV_EFI_ACTION
			| EV_EFI_VARIABLE_DRIVER_CONFIG
			| EV_EFI_GPT_EVENT
			| EV_EFI_VARIABLE_AUTHORITY
	) || (typ == EV_EVENT_TAG && index == 4)
}

/// A run-time measurement register of a TD.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Rtmr {
	/// RTMR0: firmware configuration (TD HOB, ACPI tables, UEFI variables).
	Rtmr0,
	/// RTMR1: the OS loader (the UKI or kernel image) and boot-services events.
	Rtmr1,
	/// RTMR2: what the OS loader measures (command line, initrd, UKI sections).
	Rtmr2,
	/// RTMR3: run-time events of the guest (this project's system and service events).
	Rtmr3,
}

impl Rtmr {
	/// All four, in order.
	pub const ALL: [Rtmr; 4] = [Rtmr::Rtmr0, Rtmr::Rtmr1, Rtmr::Rtmr2, Rtmr::Rtmr3];

	/// The register's position in a quote's RTMR array.
	pub fn position(self) -> usize {
		match self {
			Rtmr::Rtmr0 => 0,
			Rtmr::Rtmr1 => 1,
			Rtmr::Rtmr2 => 2,
			Rtmr::Rtmr3 => 3,
		}
	}

	/// `rtmr0` .. `rtmr3`, as the CLI and its JSON name them.
	pub fn name(self) -> &'static str {
		match self {
			Rtmr::Rtmr0 => "rtmr0",
			Rtmr::Rtmr1 => "rtmr1",
			Rtmr::Rtmr2 => "rtmr2",
			Rtmr::Rtmr3 => "rtmr3",
		}
	}

	/// The register a CC measurement register index extends (1..=4), if any.
	pub fn from_index(index: u32) -> Option<Rtmr> {
		match index {
			1 => Some(Rtmr::Rtmr0),
			2 => Some(Rtmr::Rtmr1),
			3 => Some(Rtmr::Rtmr2),
			4 => Some(Rtmr::Rtmr3),
			_ => None,
		}
	}
}

/// A set of RTMRs (the ones that differ between a log and a quote).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct RtmrSet(u8);

impl RtmrSet {
	/// Add a register.
	pub fn insert(&mut self, r: Rtmr) {
		self.0 |= 1u8 << r.position();
	}

	/// Whether the set holds `r`.
	pub fn contains(self, r: Rtmr) -> bool {
		self.0 & (1u8 << r.position()) != 0
	}

	/// Whether no register is in the set.
	pub fn is_empty(self) -> bool {
		self.0 == 0
	}

	/// The registers in the set, in order.
	pub fn iter(self) -> impl Iterator<Item = Rtmr> {
		Rtmr::ALL.into_iter().filter(move |r| self.contains(*r))
	}
}

impl fmt::Display for RtmrSet {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		for (i, r) in self.iter().enumerate() {
			if i > 0 {
				f.write_str(", ")?;
			}
			f.write_str(r.name())?;
		}
		Ok(())
	}
}

/// Why an event log was refused. Offsets are byte offsets of the event in the log.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum EventLogError {
	/// The log is empty (or only padding).
	Empty,
	/// The event at this offset runs past the end of the log.
	Truncated {
		/// Offset of the event.
		offset: u32,
	},
	/// The first event is not a TCG crypto-agile Spec ID event (`Spec ID Event03`).
	NoSpecIdEvent,
	/// The Spec ID event's fields are inconsistent (sizes, counts, zero digest size).
	BadSpecIdEvent,
	/// The Spec ID event announces more than [`MAX_ALGORITHMS`] digest algorithms, or one twice.
	TooManyAlgorithms,
	/// The Spec ID event announces no SHA-384 digest of 48 bytes.
	NoSha384,
	/// An event carries a digest of an algorithm the Spec ID event did not announce, or twice.
	UnknownAlgorithm {
		/// Offset of the event.
		offset: u32,
		/// The TCG algorithm ID.
		algorithm: u16,
	},
	/// An event carries more digests than the Spec ID event announced algorithms.
	TooManyDigests {
		/// Offset of the event.
		offset: u32,
	},
	/// An event carries no SHA-384 digest.
	MissingSha384 {
		/// Offset of the event.
		offset: u32,
	},
	/// An event names a register that cannot be extended (0 = MRTD, or above 4).
	BadRegister {
		/// Offset of the event.
		offset: u32,
		/// The CC measurement register index it names.
		index: u32,
	},
	/// An event whose payload its digest must hash (see [`Event::payload_is_measured`])
	/// has a payload that does not hash to its digest: the log was edited.
	PayloadDigestMismatch {
		/// Offset of the event.
		offset: u32,
		/// Its event type.
		event_type: u32,
	},
	/// The log has more than [`MAX_EVENTS`] events.
	TooManyEvents,
	/// The log's used part is longer than the caller's bound.
	TooLong,
	/// A runtime event of this project in RTMR3 does not decode (see [`RuntimeEvent`]).
	BadRuntimeEvent {
		/// Offset of the event.
		offset: u32,
	},
	/// The log measures no system into RTMR3, or more than one.
	SystemNotMeasured,
	/// The registers replayed from the log differ from the quote's (these registers).
	RtmrMismatch(RtmrSet),
}

impl fmt::Display for EventLogError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Empty => f.write_str("the event log is empty"),
			Self::Truncated { offset } => write!(f, "event at byte {offset} runs past the end of the log"),
			Self::NoSpecIdEvent => f.write_str("the log does not start with a crypto-agile Spec ID event"),
			Self::BadSpecIdEvent => f.write_str("the Spec ID event is malformed"),
			Self::TooManyAlgorithms => write!(f, "the Spec ID event announces more than {MAX_ALGORITHMS} digest algorithms or one twice"),
			Self::NoSha384 => f.write_str("the Spec ID event announces no 48-byte SHA-384 digest"),
			Self::UnknownAlgorithm { offset, algorithm } =>
				write!(f, "event at byte {offset} has an unannounced or repeated digest algorithm 0x{algorithm:04x}"),
			Self::TooManyDigests { offset } => write!(f, "event at byte {offset} has more digests than announced algorithms"),
			Self::MissingSha384 { offset } => write!(f, "event at byte {offset} has no SHA-384 digest"),
			Self::BadRegister { offset, index } =>
				write!(f, "event at byte {offset} extends register index {index}, which is not an RTMR"),
			Self::PayloadDigestMismatch { offset, event_type } =>
				write!(f, "event at byte {offset} (type 0x{event_type:08x}): its payload does not hash to its digest"),
			Self::TooManyEvents => write!(f, "the log has more than {MAX_EVENTS} events"),
			Self::TooLong => f.write_str("the event log is longer than allowed"),
			Self::BadRuntimeEvent { offset } => write!(f, "runtime event at byte {offset} does not decode"),
			Self::SystemNotMeasured => f.write_str("the log does not measure exactly one system into RTMR3"),
			Self::RtmrMismatch(set) => write!(f, "replayed registers differ from the quote's: {set}"),
		}
	}
}

impl core::error::Error for EventLogError {}

/// One event of a parsed log, borrowing its payload from the log.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Event<'a> {
	/// Byte offset of the event in the log.
	pub offset: u32,
	/// CC measurement register index (0 = MRTD, 1..=4 = RTMR0..=3).
	pub index: u32,
	/// TCG event type.
	pub event_type: u32,
	/// The SHA-384 digest the event extends its register with.
	pub digest: RtmrValue,
	/// The event data. Trust it only where [`Event::payload_is_measured`] holds.
	pub data: &'a [u8],
}

impl<'a> Event<'a> {
	/// The register the event extends; `None` for `EV_NO_ACTION`.
	pub fn register(&self) -> Option<Rtmr> {
		if self.event_type == event_type::EV_NO_ACTION {
			None
		} else {
			Rtmr::from_index(self.index)
		}
	}

	/// Whether the digest is the SHA-384 of [`Event::data`] by the rules of its type (checked
	/// when parsing), so that a replay that matches the quote vouches for the payload too.
	/// For other types (images, boot variables, `EV_IPL`) the payload is a description that
	/// nothing checks.
	pub fn payload_is_measured(&self) -> bool {
		payload_rule_applies(self.index, self.event_type)
	}

	/// The event as one of this project's runtime events, if it is one (an RTMR3 tagged
	/// event with [`RUNTIME_EVENT_TAG`]).
	pub fn runtime_event(&self) -> Option<Result<RuntimeEvent<'a>, EventLogError>> {
		if self.index != 4 || self.event_type != event_type::EV_EVENT_TAG {
			return None;
		}
		let (tag, rest) = split_u32(self.data)?;
		if tag != RUNTIME_EVENT_TAG {
			return None;
		}
		Some(
			RuntimeEvent::decode_tagged(rest).ok_or(EventLogError::BadRuntimeEvent {
				offset: self.offset,
			}),
		)
	}
}

/// Tag ID of this project's RTMR3 events (`TCG_PCClientTaggedEvent.taggedEventID`): the
/// ASCII bytes `TEEA` read as a little-endian u32.
pub const RUNTIME_EVENT_TAG: u32 = u32::from_le_bytes(*b"TEEA");

/// Longest store path or service name a runtime event may carry.
pub const MAX_RUNTIME_FIELD_LEN: usize = 512;

/// What the boot step measures into RTMR3 before any service starts, as the payload of an
/// `EV_EVENT_TAG` event: tag [`RUNTIME_EVENT_TAG`], data size, then ASCII text
///
/// ```text
/// tee-attest system <store path of the NixOS system>
/// tee-attest service <name> <store path of the service's package>
/// ```
///
/// The event's digest is SHA-384 of its whole data (tag, size and text), so a log that
/// replays to the quote's RTMR3 proves the text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RuntimeEvent<'a> {
	/// The NixOS system (`init=` of the kernel command line, `/run/current-system`).
	System(&'a [u8]),
	/// A measured service: its name and store path.
	Service {
		/// The service's name in the worker's configuration.
		name: &'a [u8],
		/// Its store path.
		path: &'a [u8],
	},
}

const SYSTEM_PREFIX: &[u8] = b"tee-attest system ";
const SERVICE_PREFIX: &[u8] = b"tee-attest service ";

fn is_field(b: &[u8]) -> bool {
	!b.is_empty() && b.len() <= MAX_RUNTIME_FIELD_LEN && b.iter().all(|c| c.is_ascii_graphic())
}

impl<'a> RuntimeEvent<'a> {
	fn decode_tagged(rest: &'a [u8]) -> Option<Self> {
		let (size, text) = split_u32(rest)?;
		if usize::try_from(size).ok()? != text.len() {
			return None;
		}
		Self::decode_text(text)
	}

	/// Decode the text form.
	pub fn decode_text(text: &'a [u8]) -> Option<Self> {
		if let Some(path) = text.strip_prefix(SYSTEM_PREFIX) {
			return is_field(path).then_some(RuntimeEvent::System(path));
		}
		let rest = text.strip_prefix(SERVICE_PREFIX)?;
		let space = rest.iter().position(|c| *c == b' ')?;
		let (name, path) = (rest.get(..space)?, rest.get(space.checked_add(1)?..)?);
		(is_field(name) && is_field(path)).then_some(RuntimeEvent::Service { name, path })
	}

	/// The event data (`TCG_PCClientTaggedEvent`) of this runtime event; `None` if a field is
	/// empty, too long or not printable ASCII.
	pub fn to_event_data(&self) -> Option<Vec<u8>> {
		let mut text = Vec::new();
		match self {
			RuntimeEvent::System(path) => {
				if !is_field(path) {
					return None;
				}
				text.extend_from_slice(SYSTEM_PREFIX);
				text.extend_from_slice(path);
			}
			RuntimeEvent::Service { name, path } => {
				if !is_field(name) || !is_field(path) {
					return None;
				}
				text.extend_from_slice(SERVICE_PREFIX);
				text.extend_from_slice(name);
				text.push(b' ');
				text.extend_from_slice(path);
			}
		}
		let mut data = Vec::with_capacity(text.len().saturating_add(8));
		data.extend_from_slice(&RUNTIME_EVENT_TAG.to_le_bytes());
		data.extend_from_slice(&u32::try_from(text.len()).ok()?.to_le_bytes());
		data.extend_from_slice(&text);
		Some(data)
	}
}

fn split_u32(b: &[u8]) -> Option<(u32, &[u8])> {
	let (head, rest) = b.split_first_chunk::<4>()?;
	Some((u32::from_le_bytes(*head), rest))
}

/// A parsed event log: its events in order, the bytes they span, and the digest sizes of its
/// algorithms.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EventLog<'a> {
	events: Vec<Event<'a>>,
	used: &'a [u8],
}

/// A byte reader that reports the offset of the event it is reading when it runs out.
struct Reader<'a> {
	bytes: &'a [u8],
	pos: usize,
	event: u32,
}

impl<'a> Reader<'a> {
	fn take(&mut self, n: usize) -> Result<&'a [u8], EventLogError> {
		let end = self.pos.checked_add(n).ok_or(self.truncated())?;
		let s = self.bytes.get(self.pos..end).ok_or(self.truncated())?;
		self.pos = end;
		Ok(s)
	}
	fn u32(&mut self) -> Result<u32, EventLogError> {
		let b = self.take(4)?;
		let a: [u8; 4] = b.try_into().map_err(|_| self.truncated())?;
		Ok(u32::from_le_bytes(a))
	}
	fn u16(&mut self) -> Result<u16, EventLogError> {
		let b = self.take(2)?;
		let a: [u8; 2] = b.try_into().map_err(|_| self.truncated())?;
		Ok(u16::from_le_bytes(a))
	}
	fn truncated(&self) -> EventLogError {
		EventLogError::Truncated { offset: self.event }
	}
	fn rest(&self) -> &'a [u8] {
		self.bytes.get(self.pos..).unwrap_or_default()
	}
}

/// The padding after the last event: nothing, or only 0xff bytes, or only 0x00 bytes.
fn is_padding(rest: &[u8]) -> bool {
	rest.iter().all(|b| *b == 0xff) || rest.iter().all(|b| *b == 0)
}

/// Parse the Spec ID event at the start of the log; returns the announced (algorithm, digest
/// size) pairs.
fn spec_id(r: &mut Reader<'_>) -> Result<Vec<(u16, usize)>, EventLogError> {
	let index = r.u32()?;
	let typ = r.u32()?;
	let sha1 = r.take(20)?;
	let size = r.u32()?;
	if index > 1 || typ != event_type::EV_NO_ACTION || sha1.iter().any(|b| *b != 0) {
		return Err(EventLogError::NoSpecIdEvent);
	}
	let data = r.take(usize::try_from(size).map_err(|_| r.truncated())?)?;
	let mut s = Reader {
		bytes: data,
		pos: 0,
		event: 0,
	};
	let bad = |_| EventLogError::BadSpecIdEvent;
	if s.take(16).map_err(bad)? != b"Spec ID Event03\0" {
		return Err(EventLogError::NoSpecIdEvent);
	}
	// platformClass u32, version minor/major/errata u8, uintnSize u8.
	s.take(8).map_err(bad)?;
	let count =
		usize::try_from(s.u32().map_err(bad)?).map_err(|_| EventLogError::TooManyAlgorithms)?;
	if count == 0 {
		return Err(EventLogError::BadSpecIdEvent);
	}
	if count > MAX_ALGORITHMS {
		return Err(EventLogError::TooManyAlgorithms);
	}
	let mut algorithms: Vec<(u16, usize)> = Vec::with_capacity(count);
	for _ in 0..count {
		let alg = s.u16().map_err(bad)?;
		let size = usize::from(s.u16().map_err(bad)?);
		if size == 0 {
			return Err(EventLogError::BadSpecIdEvent);
		}
		if algorithms.iter().any(|(a, _)| *a == alg) {
			return Err(EventLogError::TooManyAlgorithms);
		}
		algorithms.push((alg, size));
	}
	let vendor = usize::from(
		*s.take(1)
			.map_err(bad)?
			.first()
			.ok_or(EventLogError::BadSpecIdEvent)?,
	);
	s.take(vendor).map_err(bad)?;
	if !s.rest().is_empty() {
		return Err(EventLogError::BadSpecIdEvent);
	}
	if !algorithms.contains(&(TPM_ALG_SHA384, 48)) {
		return Err(EventLogError::NoSha384);
	}
	Ok(algorithms)
}

/// Read one `TCG_PCR_EVENT2`.
fn event<'a>(r: &mut Reader<'a>, algorithms: &[(u16, usize)]) -> Result<Event<'a>, EventLogError> {
	let offset = r.event;
	let index = r.u32()?;
	let typ = r.u32()?;
	let count = r.u32()?;
	if usize::try_from(count).map_or(true, |c| c > algorithms.len()) {
		return Err(EventLogError::TooManyDigests { offset });
	}
	let mut sha384: Option<RtmrValue> = None;
	let mut seen: u16 = 0;
	for _ in 0..count {
		let alg = r.u16()?;
		let pos = algorithms.iter().position(|(a, _)| *a == alg).ok_or(
			EventLogError::UnknownAlgorithm {
				offset,
				algorithm: alg,
			},
		)?;
		let bit = 1u16
			.checked_shl(u32::try_from(pos).unwrap_or(u32::MAX))
			.unwrap_or(0);
		if seen & bit != 0 {
			return Err(EventLogError::UnknownAlgorithm {
				offset,
				algorithm: alg,
			});
		}
		seen |= bit;
		let size = algorithms.get(pos).map(|(_, s)| *s).unwrap_or_default();
		let d = r.take(size)?;
		if alg == TPM_ALG_SHA384 {
			sha384 = Some(
				d.try_into()
					.map_err(|_| EventLogError::MissingSha384 { offset })?,
			);
		}
	}
	let size = r.u32()?;
	let data = r.take(usize::try_from(size).map_err(|_| r.truncated())?)?;
	let digest = sha384.ok_or(EventLogError::MissingSha384 { offset })?;
	let event = Event {
		offset,
		index,
		event_type: typ,
		digest,
		data,
	};
	let extends = typ != event_type::EV_NO_ACTION;
	if index > 4 || (extends && index == 0) {
		return Err(EventLogError::BadRegister { offset, index });
	}
	if event.payload_is_measured() && <[u8; 48]>::from(Sha384::digest(data)) != digest {
		return Err(EventLogError::PayloadDigestMismatch {
			offset,
			event_type: typ,
		});
	}
	if let Some(Err(e)) = event.runtime_event() {
		return Err(e);
	}
	Ok(event)
}

impl<'a> EventLog<'a> {
	/// Parse a log: the Spec ID event, then events until the end or until only padding
	/// (0xff or 0x00 bytes) is left. Refuses a log whose used part is longer than `max_len`.
	pub fn parse(bytes: &'a [u8], max_len: usize) -> Result<Self, EventLogError> {
		if is_padding(bytes) {
			return Err(EventLogError::Empty);
		}
		let mut r = Reader {
			bytes,
			pos: 0,
			event: 0,
		};
		let algorithms = spec_id(&mut r)?;
		let mut events = Vec::new();
		while !is_padding(r.rest()) {
			if events.len() >= MAX_EVENTS {
				return Err(EventLogError::TooManyEvents);
			}
			r.event = u32::try_from(r.pos).map_err(|_| EventLogError::TooLong)?;
			if r.pos > max_len {
				return Err(EventLogError::TooLong);
			}
			events.push(event(&mut r, &algorithms)?);
		}
		if r.pos > max_len {
			return Err(EventLogError::TooLong);
		}
		let used = bytes.get(..r.pos).ok_or(EventLogError::Empty)?;
		Ok(EventLog { events, used })
	}

	/// The events after the Spec ID header, in log order.
	pub fn events(&self) -> &[Event<'a>] {
		&self.events
	}

	/// The bytes the header and events span (the log without its padding).
	pub fn used_bytes(&self) -> &'a [u8] {
		self.used
	}

	/// The bytes of the events after the Spec ID header (empty if there are none).
	pub fn records(&self) -> &'a [u8] {
		self.events
			.first()
			.and_then(|e| usize::try_from(e.offset).ok())
			.and_then(|o| self.used.get(o..))
			.unwrap_or_default()
	}

	/// SHA-256 of [`EventLog::used_bytes`]: what a chain stores to name the log it replayed.
	pub fn digest(&self) -> [u8; 32] {
		Sha256::digest(self.used).into()
	}

	/// RTMR0..=3 as the log's events extend them from zero.
	pub fn replay(&self) -> [RtmrValue; 4] {
		let mut rtmr = [[0u8; 48]; 4];
		for e in &self.events {
			if let Some(slot) = e.register().and_then(|r| rtmr.get_mut(r.position())) {
				*slot = extend(slot, &e.digest);
			}
		}
		rtmr
	}

	/// Compare the replay with a quote's RTMRs; the error names every register that differs.
	pub fn check(&self, quote_rtmr: &[RtmrValue; 4]) -> Result<(), EventLogError> {
		let replayed = self.replay();
		let mut differ = RtmrSet::default();
		for r in Rtmr::ALL {
			if replayed.get(r.position()) != quote_rtmr.get(r.position()) {
				differ.insert(r);
			}
		}
		if differ.is_empty() {
			Ok(())
		} else {
			Err(EventLogError::RtmrMismatch(differ))
		}
	}

	/// This project's runtime events in RTMR3, in order (all decode: [`EventLog::parse`]
	/// refused the log otherwise).
	pub fn runtime_events(&self) -> impl Iterator<Item = RuntimeEvent<'a>> + '_ {
		self.events
			.iter()
			.filter_map(|e| e.runtime_event().and_then(Result::ok))
	}

	/// The store path of the one system the log measures into RTMR3. Meaningful only after
	/// [`EventLog::check`] succeeded against a verified quote.
	pub fn measured_system(&self) -> Result<&'a [u8], EventLogError> {
		let mut systems = self.runtime_events().filter_map(|e| match e {
			RuntimeEvent::System(p) => Some(p),
			RuntimeEvent::Service { .. } => None,
		});
		match (systems.next(), systems.next()) {
			(Some(p), None) => Ok(p),
			_ => Err(EventLogError::SystemNotMeasured),
		}
	}
}

/// The value of a register after extending `rtmr` with `digest` (what the TDX module's
/// `TDG.MR.RTMR.EXTEND` computes).
pub fn extend(rtmr: &RtmrValue, digest: &RtmrValue) -> RtmrValue {
	let mut h = Sha384::new();
	h.update(rtmr);
	h.update(digest);
	h.finalize().into()
}

/// Builds well-formed event logs: the Spec ID header (SHA-384 only) and events with their
/// digests. For the worker's runtime log and for minting dev evidence; never for verifying.
#[derive(Clone, Debug)]
pub struct LogBuilder {
	bytes: Vec<u8>,
}

impl Default for LogBuilder {
	fn default() -> Self {
		Self::new()
	}
}

impl LogBuilder {
	/// A log holding only the Spec ID event (index 1, as TDVF writes it).
	pub fn new() -> Self {
		let mut spec = Vec::new();
		spec.extend_from_slice(b"Spec ID Event03\0");
		spec.extend_from_slice(&0u32.to_le_bytes()); // platformClass: client
		spec.extend_from_slice(&[0, 2, 0, 2]); // version 2.0, errata 0, uintnSize 2 (u64)
		spec.extend_from_slice(&1u32.to_le_bytes());
		spec.extend_from_slice(&TPM_ALG_SHA384.to_le_bytes());
		spec.extend_from_slice(&48u16.to_le_bytes());
		spec.push(0); // no vendor info
		let mut bytes = Vec::new();
		bytes.extend_from_slice(&1u32.to_le_bytes());
		bytes.extend_from_slice(&event_type::EV_NO_ACTION.to_le_bytes());
		bytes.extend_from_slice(&[0u8; 20]);
		bytes.extend_from_slice(&u32::try_from(spec.len()).unwrap_or(u32::MAX).to_le_bytes());
		bytes.extend_from_slice(&spec);
		LogBuilder { bytes }
	}

	/// Append an event extending `rtmr` with `digest`.
	pub fn event(&mut self, rtmr: Rtmr, typ: u32, digest: &RtmrValue, data: &[u8]) -> &mut Self {
		let index = u32::try_from(rtmr.position())
			.unwrap_or(0)
			.saturating_add(1);
		self.bytes.extend_from_slice(&index.to_le_bytes());
		self.bytes.extend_from_slice(&typ.to_le_bytes());
		self.bytes.extend_from_slice(&1u32.to_le_bytes());
		self.bytes.extend_from_slice(&TPM_ALG_SHA384.to_le_bytes());
		self.bytes.extend_from_slice(digest);
		self.bytes
			.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_le_bytes());
		self.bytes.extend_from_slice(data);
		self
	}

	/// Append an event whose digest is SHA-384 of its data.
	pub fn measured_event(&mut self, rtmr: Rtmr, typ: u32, data: &[u8]) -> &mut Self {
		let digest: RtmrValue = Sha384::digest(data).into();
		self.event(rtmr, typ, &digest, data)
	}

	/// Append a runtime event to RTMR3; `None` if a field is not a valid runtime field.
	pub fn runtime_event(&mut self, e: &RuntimeEvent<'_>) -> Option<&mut Self> {
		let data = e.to_event_data()?;
		Some(self.measured_event(Rtmr::Rtmr3, event_type::EV_EVENT_TAG, &data))
	}

	/// Continue a parsed log (the firmware's CCEL log): its header and events, then whatever
	/// is appended. Appended events carry only a SHA-384 digest, which the log announced.
	pub fn continuing(log: &EventLog<'_>) -> Self {
		LogBuilder {
			bytes: log.used_bytes().to_vec(),
		}
	}

	/// Append the events of another parsed log (the boot step's runtime log after the
	/// firmware's CCEL log). Both logs must announce the same digest algorithms for the
	/// result to parse; a caller parses the result before using it.
	pub fn append_records(&mut self, log: &EventLog<'_>) -> &mut Self {
		self.bytes.extend_from_slice(log.records());
		self
	}

	/// The log's bytes.
	pub fn build(&self) -> Vec<u8> {
		self.bytes.clone()
	}
}
