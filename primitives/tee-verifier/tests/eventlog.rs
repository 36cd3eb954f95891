//! TDX event logs: every case of `testvectors/eventlog/cases.json` gives exactly its expected
//! outcome, and every way of editing a real log is refused with a typed error.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

mod common;

use serde_json::Value;
use tee_verifier::eventlog::{
	event_type, EventLog, EventLogError, LogBuilder, Rtmr, RuntimeEvent, MAX_EVENTS,
};

const NO_LIMIT: usize = usize::MAX;

fn cases() -> Vec<Value> {
	let dir = common::vectors_dir().join("eventlog");
	let json: Value = serde_json::from_slice(&common::read(&dir.join("cases.json"))).unwrap();
	json["cases"].as_array().unwrap().clone()
}

fn file(case: &Value, key: &str) -> Option<Vec<u8>> {
	let name = case[key].as_str()?;
	let dir = common::vectors_dir()
		.join("eventlog")
		.join(case["dir"].as_str().unwrap());
	Some(common::read(&dir.join(name)))
}

fn rtmrs_of(v: &Value) -> [[u8; 48]; 4] {
	let list = v.as_array().unwrap();
	core::array::from_fn(|i| {
		hex::decode(list[i].as_str().unwrap())
			.unwrap()
			.try_into()
			.unwrap()
	})
}

#[test]
fn every_binary_case_gives_its_expected_outcome() {
	let mut checked = 0;
	for case in cases() {
		let id = case["id"].as_str().unwrap();
		let Some(log_bytes) = file(&case, "event_log") else {
			continue;
		};
		let log = EventLog::parse(&log_bytes, NO_LIMIT).unwrap_or_else(|e| panic!("{id}: {e}"));
		let expect = &case["expect"];
		let target = match file(&case, "quote") {
			Some(q) => tee_verifier::tdx::unverified_rtmrs(&q).unwrap(),
			None => rtmrs_of(&expect["rtmr"]),
		};
		if expect.get("rtmr").is_some() {
			assert_eq!(log.replay(), rtmrs_of(&expect["rtmr"]), "{id}: replay");
		}
		let result = log.check(&target);
		if expect["replays"].as_bool().unwrap() {
			assert_eq!(result, Ok(()), "{id}");
		} else {
			let Err(EventLogError::RtmrMismatch(set)) = result else {
				panic!("{id}: {result:?}")
			};
			let names: Vec<&str> = set.iter().map(Rtmr::name).collect();
			let want: Vec<&str> = expect["mismatch"]
				.as_array()
				.unwrap()
				.iter()
				.map(|v| v.as_str().unwrap())
				.collect();
			assert_eq!(names, want, "{id}: named registers");
		}
		checked += 1;
	}
	assert_eq!(checked, 8, "binary cases in cases.json");
}

/// The GCE log and its quote: the unpadded log, the digest, and the events' registers.
fn gce() -> (Vec<u8>, [[u8; 48]; 4]) {
	let dir = common::vectors_dir().join("eventlog/gce-cos113");
	let quote = common::read(&dir.join("quote.bin"));
	let log = common::read(&dir.join("ccel.bin"));
	let used = EventLog::parse(&log, NO_LIMIT)
		.unwrap()
		.used_bytes()
		.to_vec();
	(used, tee_verifier::tdx::unverified_rtmrs(&quote).unwrap())
}

#[test]
fn the_padding_is_not_part_of_the_log() {
	let dir = common::vectors_dir().join("eventlog/gce-cos113");
	let padded = common::read(&dir.join("ccel.bin"));
	let (used, rtmr) = gce();
	assert_eq!(used.len(), 18101);
	let a = EventLog::parse(&padded, NO_LIMIT).unwrap();
	let b = EventLog::parse(&used, NO_LIMIT).unwrap();
	assert_eq!(a.digest(), b.digest());
	assert_eq!(a.events().len(), 43);
	b.check(&rtmr).unwrap();
	// Zero padding instead of 0xff is padding too.
	let mut zero_padded = used.clone();
	zero_padded.extend_from_slice(&[0; 100]);
	assert_eq!(
		EventLog::parse(&zero_padded, NO_LIMIT).unwrap().digest(),
		b.digest()
	);
}

#[test]
fn a_flipped_digest_is_refused_naming_its_register() {
	let (used, rtmr) = gce();
	let log = EventLog::parse(&used, NO_LIMIT).unwrap();
	for target in [Rtmr::Rtmr0, Rtmr::Rtmr1, Rtmr::Rtmr2] {
		// An event whose payload is not checked (so only the replay can catch it).
		let e = log
			.events()
			.iter()
			.find(|e| e.register() == Some(target) && !e.payload_is_measured())
			.unwrap();
		let mut bytes = used.clone();
		// index, type, count, alg: the digest starts 14 bytes into the event.
		bytes[e.offset as usize + 14 + 7] ^= 1;
		let edited = EventLog::parse(&bytes, NO_LIMIT).unwrap();
		let Err(EventLogError::RtmrMismatch(set)) = edited.check(&rtmr) else {
			panic!()
		};
		assert_eq!(set.iter().collect::<Vec<_>>(), vec![target]);
	}
}

#[test]
fn a_flipped_measured_payload_is_refused_even_before_replay() {
	let (used, _) = gce();
	let log = EventLog::parse(&used, NO_LIMIT).unwrap();
	let e = log
		.events()
		.iter()
		.find(|e| e.event_type == event_type::EV_EFI_VARIABLE_DRIVER_CONFIG)
		.unwrap();
	let data_at = e.offset as usize + 14 + 48 + 4;
	let mut bytes = used.clone();
	bytes[data_at + 20] ^= 0x40;
	assert_eq!(
		EventLog::parse(&bytes, NO_LIMIT),
		Err(EventLogError::PayloadDigestMismatch {
			offset: e.offset,
			event_type: event_type::EV_EFI_VARIABLE_DRIVER_CONFIG
		})
	);
}

#[test]
fn reordered_events_are_refused() {
	let (used, rtmr) = gce();
	let log = EventLog::parse(&used, NO_LIMIT).unwrap();
	// Swap two adjacent RTMR0 events: same bytes, same digests, other order.
	let events = log.events();
	let i = events
		.windows(2)
		.position(|w| {
			w[0].register() == Some(Rtmr::Rtmr0)
				&& w[1].register() == Some(Rtmr::Rtmr0)
				&& w[0].digest != w[1].digest
		})
		.unwrap();
	let (a, b) = (events[i].offset as usize, events[i + 1].offset as usize);
	let end = events.get(i + 2).map_or(used.len(), |e| e.offset as usize);
	let mut bytes = used[..a].to_vec();
	bytes.extend_from_slice(&used[b..end]);
	bytes.extend_from_slice(&used[a..b]);
	bytes.extend_from_slice(&used[end..]);
	assert_eq!(bytes.len(), used.len());
	let Err(EventLogError::RtmrMismatch(set)) =
		EventLog::parse(&bytes, NO_LIMIT).unwrap().check(&rtmr)
	else {
		panic!()
	};
	assert_eq!(set.iter().collect::<Vec<_>>(), vec![Rtmr::Rtmr0]);
}

#[test]
fn truncated_logs_are_refused() {
	let (used, rtmr) = gce();
	let log = EventLog::parse(&used, NO_LIMIT).unwrap();
	let last = log.events().last().unwrap().offset;
	// Cut inside the last event: a typed truncation naming that event.
	assert_eq!(
		EventLog::parse(&used[..used.len() - 3], NO_LIMIT),
		Err(EventLogError::Truncated { offset: last })
	);
	// Cut at an event boundary: well-formed, but it no longer replays to the quote.
	let short = EventLog::parse(&used[..last as usize], NO_LIMIT).unwrap();
	assert!(matches!(
		short.check(&rtmr),
		Err(EventLogError::RtmrMismatch(_))
	));
	// Cut inside the header.
	assert_eq!(
		EventLog::parse(&used[..40], NO_LIMIT),
		Err(EventLogError::Truncated { offset: 0 })
	);
}

#[test]
fn an_extended_log_is_refused() {
	let (used, rtmr) = gce();
	let log = EventLog::parse(&used, NO_LIMIT).unwrap();
	let mut more = LogBuilder::continuing(&log);
	more.runtime_event(&RuntimeEvent::System(b"/nix/store/aaaa-nixos-system-other"))
		.unwrap();
	let Err(EventLogError::RtmrMismatch(set)) = EventLog::parse(&more.build(), NO_LIMIT)
		.unwrap()
		.check(&rtmr)
	else {
		panic!()
	};
	assert_eq!(set.iter().collect::<Vec<_>>(), vec![Rtmr::Rtmr3]);
}

#[test]
fn a_log_with_garbage_after_its_events_is_malformed_not_padding() {
	let (mut used, _) = gce();
	used.extend_from_slice(&[0xff; 16]);
	used.push(0x01);
	// Read as an event: index, type and digest count 0xffffffff.
	assert!(matches!(
		EventLog::parse(&used, NO_LIMIT),
		Err(EventLogError::TooManyDigests { .. })
	));
}

#[test]
fn header_and_register_rules() {
	assert_eq!(
		EventLog::parse(&[0xff; 64], NO_LIMIT),
		Err(EventLogError::Empty)
	);
	assert_eq!(EventLog::parse(&[], NO_LIMIT), Err(EventLogError::Empty));
	let base = LogBuilder::new().build();
	// Not the Spec ID signature.
	let mut bad = base.clone();
	bad[32] = b'X';
	assert_eq!(
		EventLog::parse(&bad, NO_LIMIT),
		Err(EventLogError::NoSpecIdEvent)
	);
	// A SHA-256-only log: the algorithm ID of its one digest changed to SHA-256 (0x000B).
	let mut sha256 = base.clone();
	let alg_at = 32 + 16 + 8 + 4;
	sha256[alg_at] = 0x0B;
	assert_eq!(
		EventLog::parse(&sha256, NO_LIMIT),
		Err(EventLogError::NoSha384)
	);
	// MRTD (index 0) cannot be extended; index 5 is no register.
	for index in [0u32, 5] {
		let mut log = LogBuilder::new();
		log.measured_event(Rtmr::Rtmr0, event_type::EV_EFI_ACTION, b"x");
		let mut bytes = log.build();
		let at = base.len();
		bytes[at..at + 4].copy_from_slice(&index.to_le_bytes());
		assert_eq!(
			EventLog::parse(&bytes, NO_LIMIT),
			Err(EventLogError::BadRegister {
				offset: at as u32,
				index
			})
		);
	}
	// An event with a digest of an algorithm the header did not announce (SHA-1).
	let mut log = LogBuilder::new();
	log.measured_event(Rtmr::Rtmr0, event_type::EV_EFI_ACTION, b"x");
	let mut bytes = log.build();
	bytes[base.len() + 12] = 0x04;
	assert_eq!(
		EventLog::parse(&bytes, NO_LIMIT),
		Err(EventLogError::UnknownAlgorithm {
			offset: base.len() as u32,
			algorithm: 4
		})
	);
}

#[test]
fn bounds_are_enforced() {
	let mut log = LogBuilder::new();
	for _ in 0..=MAX_EVENTS {
		log.measured_event(Rtmr::Rtmr3, event_type::EV_EFI_ACTION, b"x");
	}
	assert_eq!(
		EventLog::parse(&log.build(), NO_LIMIT),
		Err(EventLogError::TooManyEvents)
	);
	let (used, _) = gce();
	assert_eq!(
		EventLog::parse(&used, used.len() - 1),
		Err(EventLogError::TooLong)
	);
	assert!(EventLog::parse(&used, used.len()).is_ok());
}

#[test]
fn runtime_events_are_typed_and_the_system_must_be_measured_once() {
	let system = b"/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nixos-system-worker-24.11";
	let mut b = LogBuilder::new();
	b.measured_event(Rtmr::Rtmr1, event_type::EV_EFI_ACTION, b"boot");
	b.runtime_event(&RuntimeEvent::System(system)).unwrap();
	b.runtime_event(&RuntimeEvent::Service {
		name: b"echo",
		path: b"/nix/store/x-tee-echo",
	})
	.unwrap();
	let bytes = b.build();
	let log = EventLog::parse(&bytes, NO_LIMIT).unwrap();
	assert_eq!(log.measured_system(), Ok(&system[..]));
	assert_eq!(log.runtime_events().count(), 2);
	let mut rtmr3 = [0u8; 48];
	for e in log
		.events()
		.iter()
		.filter(|e| e.register() == Some(Rtmr::Rtmr3))
	{
		rtmr3 = tee_verifier::eventlog::extend(&rtmr3, &e.digest);
	}
	assert_eq!(log.replay()[3], rtmr3);

	// Edit the system path in the payload: the digest no longer matches its payload.
	let at = bytes.windows(10).position(|w| w == b"/nix/store").unwrap();
	let mut edited = bytes.clone();
	edited[at + 11] ^= 1;
	assert!(matches!(
		EventLog::parse(&edited, NO_LIMIT),
		Err(EventLogError::PayloadDigestMismatch {
			event_type: event_type::EV_EVENT_TAG,
			..
		})
	));

	// Two systems, or none: refused.
	let mut two = LogBuilder::new();
	two.runtime_event(&RuntimeEvent::System(system)).unwrap();
	two.runtime_event(&RuntimeEvent::System(b"/nix/store/other"))
		.unwrap();
	let two = two.build();
	assert_eq!(
		EventLog::parse(&two, NO_LIMIT).unwrap().measured_system(),
		Err(EventLogError::SystemNotMeasured)
	);
	let none = LogBuilder::new().build();
	assert_eq!(
		EventLog::parse(&none, NO_LIMIT).unwrap().measured_system(),
		Err(EventLogError::SystemNotMeasured)
	);

	// A runtime event whose text does not decode, measured correctly: refused as malformed.
	let mut data = tee_verifier::eventlog::RUNTIME_EVENT_TAG
		.to_le_bytes()
		.to_vec();
	data.extend_from_slice(&(16u32).to_le_bytes());
	data.extend_from_slice(b"tee-attest syst x");
	let mut bad = LogBuilder::new();
	bad.measured_event(Rtmr::Rtmr3, event_type::EV_EVENT_TAG, &data[..data.len()]);
	assert!(matches!(
		EventLog::parse(&bad.build(), NO_LIMIT),
		Err(EventLogError::BadRuntimeEvent { .. })
	));
	// Fields with spaces or control bytes cannot be built.
	assert!(RuntimeEvent::System(b"/nix/store/a b")
		.to_event_data()
		.is_none());
	assert!(RuntimeEvent::System(b"").to_event_data().is_none());
}

#[test]
fn the_alibaba_runtime_events_are_measured_payloads_but_not_ours() {
	let bytes =
		common::read(&common::vectors_dir().join("eventlog/trustee/trustee-alibaba-aael.bin"));
	let log = EventLog::parse(&bytes, NO_LIMIT).unwrap();
	let rtmr3: Vec<_> = log
		.events()
		.iter()
		.filter(|e| e.register() == Some(Rtmr::Rtmr3))
		.collect();
	assert_eq!(rtmr3.len(), 2);
	assert!(rtmr3
		.iter()
		.all(|e| e.payload_is_measured() && e.runtime_event().is_none()));
	assert_eq!(log.measured_system(), Err(EventLogError::SystemNotMeasured));
}

mod with_quotes {
	//! Evidence with an event log through `verify`: the log must replay to the verified quote,
	//! and the system the claims name must be the one it measured.
	use super::*;
	use mock_tee::{dev_image, DevRoots, TdxQuoteParams};
	use tee_verifier::{
		check_measured_system, verify, Claims, Evidence, Purpose, SystemNotMeasured, Tee,
		VerifiedClaims, VerifyError,
	};

	const NOW: u64 = 1_767_225_600;
	const OTHER_SYSTEM: &[u8] = b"/nix/store/11111111111111111111111111111111-nixos-system-evil";

	fn claims(system_path: &[u8]) -> Claims {
		Claims {
			genesis_hash: [1; 32],
			purpose: Purpose::Register,
			account: [2; 32],
			x25519: [3; 32],
			nonce: [4; 32],
			anchor_block: 5,
			system_hash: tee_verifier::system_hash(system_path),
			services_root: [6; 32],
			gpu_digest: None,
		}
	}

	fn verify_dev(evidence: &Evidence) -> Result<VerifiedClaims, VerifyError> {
		let roots = DevRoots::dev().unwrap();
		let anchors = roots.trust_anchors_for(&[]).unwrap();
		let collateral = roots.default_collateral(Tee::Tdx, NOW).unwrap();
		verify(evidence, &anchors, &collateral, NOW)
	}

	#[test]
	fn the_dev_image_evidence_proves_its_measured_system() {
		let system = dev_image::SYSTEM_PATH.as_bytes();
		let c = claims(system);
		let evidence = DevRoots::dev()
			.unwrap()
			.mint_dev_image_evidence(Tee::Tdx, c.report_data())
			.unwrap();
		let Evidence::TdxWithEventLog { event_log, .. } = &evidence else {
			panic!()
		};
		let verified = verify_dev(&evidence).unwrap();
		let VerifiedClaims::Tdx(tdx) = &verified else {
			panic!()
		};
		let log = tdx.event_log.unwrap();
		assert_eq!(log.system_hash, Some(tee_verifier::system_hash(system)));
		assert_eq!(
			log.digest,
			EventLog::parse(event_log, NO_LIMIT).unwrap().digest()
		);
		assert_eq!(&tdx.rtmr[..3], &dev_image::rtmrs()[..3]);
		assert_eq!(check_measured_system(&c, &verified), Ok(()));
		// Claims naming another system than the log measured: refused.
		assert_eq!(
			check_measured_system(&claims(OTHER_SYSTEM), &verified),
			Err(SystemNotMeasured::Differs)
		);
	}

	#[test]
	fn a_quote_without_its_log_proves_no_system() {
		let roots = DevRoots::dev().unwrap();
		let c = claims(dev_image::SYSTEM_PATH.as_bytes());
		let Evidence::TdxWithEventLog { quote, .. } = roots
			.mint_dev_image_evidence(Tee::Tdx, c.report_data())
			.unwrap()
		else {
			panic!()
		};
		let verified = verify_dev(&Evidence::Tdx { quote }).unwrap();
		assert_eq!(
			check_measured_system(&c, &verified),
			Err(SystemNotMeasured::NoEventLog)
		);
	}

	#[test]
	fn a_log_that_measures_another_system_than_the_quote_is_refused() {
		let roots = DevRoots::dev().unwrap();
		let c = claims(OTHER_SYSTEM);
		let Evidence::TdxWithEventLog { quote, .. } = roots
			.mint_dev_image_evidence(Tee::Tdx, c.report_data())
			.unwrap()
		else {
			panic!()
		};
		// The operator swaps the log for one naming the system its claims report.
		let forged = dev_image::event_log(OTHER_SYSTEM, &[]).unwrap();
		let evidence = Evidence::TdxWithEventLog {
			quote,
			event_log: forged.try_into().unwrap(),
		};
		let Err(VerifyError::EventLog(EventLogError::RtmrMismatch(set))) = verify_dev(&evidence)
		else {
			panic!()
		};
		assert_eq!(set.iter().collect::<Vec<_>>(), vec![Rtmr::Rtmr3]);
	}

	#[test]
	fn a_log_that_measures_no_system_proves_none() {
		let roots = DevRoots::dev().unwrap();
		let c = claims(dev_image::SYSTEM_PATH.as_bytes());
		let evidence = roots
			.mint_tdx_evidence_with_log(dev_image::firmware_log(), c.report_data())
			.unwrap();
		let verified = verify_dev(&evidence).unwrap();
		assert_eq!(
			check_measured_system(&c, &verified),
			Err(SystemNotMeasured::NotInLog)
		);
	}

	#[test]
	fn a_malformed_log_is_refused_after_the_quote_verified() {
		let roots = DevRoots::dev().unwrap();
		let quote = roots.mint_tdx_quote(&TdxQuoteParams::default()).unwrap();
		let evidence = Evidence::TdxWithEventLog {
			quote: quote.try_into().unwrap(),
			event_log: vec![0x01; 10].try_into().unwrap(),
		};
		assert_eq!(
			verify_dev(&evidence).unwrap_err(),
			VerifyError::EventLog(EventLogError::Truncated { offset: 0 })
		);
	}
}

#[test]
fn a_runtime_log_appended_to_the_firmware_log_extends_only_rtmr3() {
	let (used, quote_rtmr) = gce();
	let firmware = EventLog::parse(&used, NO_LIMIT).unwrap();
	let mut runtime = LogBuilder::new();
	runtime
		.runtime_event(&RuntimeEvent::System(b"/nix/store/a-nixos-system"))
		.unwrap();
	runtime
		.runtime_event(&RuntimeEvent::Service {
			name: b"echo",
			path: b"/nix/store/b-echo",
		})
		.unwrap();
	let runtime_bytes = runtime.build();
	let runtime = EventLog::parse(&runtime_bytes, NO_LIMIT).unwrap();
	let combined = LogBuilder::continuing(&firmware)
		.append_records(&runtime)
		.build();
	let log = EventLog::parse(&combined, NO_LIMIT).unwrap();
	assert_eq!(log.events().len(), firmware.events().len() + 2);
	let replay = log.replay();
	assert_eq!(&replay[..3], &quote_rtmr[..3]);
	// GCE's RTMR3 was zero: it is now exactly the runtime log's.
	assert_eq!(replay[3], runtime.replay()[3]);
	assert_eq!(log.measured_system(), Ok(&b"/nix/store/a-nixos-system"[..]));
	assert!(LogBuilder::new().build().len() + runtime.records().len() == runtime_bytes.len());
}
