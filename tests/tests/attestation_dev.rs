//! The attestation pallet on a real dev chain: its genesis (mock-tee roots, dev collateral, the
//! dev image release, a 60 s validity) lets mock-tee evidence register TDX and SNP workers; bad
//! evidence is refused and changes nothing; the chain asks for re-attestation, accepts the
//! answer, lapses a worker that does not answer, and lets anyone evict it.

use std::time::{Duration, Instant};

use codec::{Decode, Encode};
use e2e_tests::{
	scale_call,
	subxt::{self, dynamic::Value, OnlineClient, PolkadotConfig},
	subxt_signer::sr25519::{dev, Keypair},
	Node,
};
use mock_tee::{dev_image, DevRoots};
use pallet_attestation::{WorkerInfo, WorkerStatus};
use tee_verifier::{Claims, Evidence, Purpose, Tee};

const STARTUP: Duration = Duration::from_secs(120);

type Api = OnlineClient<PolkadotConfig>;

fn account(who: &Keypair) -> [u8; 32] {
	who.public_key().0
}

async fn worker(api: &Api, who: [u8; 32]) -> Option<WorkerInfo<u32>> {
	e2e_tests::worker_record(api, who)
		.await
		.expect("read the worker record")
}

/// Claims for `purpose` anchored at the latest block (registration) or at a request.
async fn claims_for(api: &Api, who: &Keypair, anchor: Option<([u8; 32], u32)>) -> Claims {
	let (nonce, anchor_block, purpose) = match anchor {
		Some((nonce, block)) => (nonce, block, Purpose::Reattest),
		None => {
			let at = api.at_current_block().await.expect("current block");
			let number = u32::try_from(at.block_number()).expect("u32 block number");
			(at.block_hash().0, number, Purpose::Register)
		}
	};
	Claims {
		genesis_hash: api.genesis_hash().0,
		purpose,
		account: account(who),
		x25519: [0x25; 32],
		nonce,
		anchor_block,
		system_hash: dev_image::system_hash(),
		services_root: [0x5e; 32],
		gpu_digest: None,
	}
}

/// What submitting a call led to: its events (pallet, name, field bytes) or the dispatch error.
async fn submit(
	api: &Api,
	who: &Keypair,
	call: &str,
	evidence: &Evidence,
	claims: &Claims,
) -> Result<Vec<(String, String, Vec<u8>)>, String> {
	let at = api.at_current_block().await.expect("current block");
	let payload = scale_call::build(
		at.metadata_ref(),
		"Attestation",
		call,
		&[evidence.encode(), claims.encode()],
	)
	.expect("call matches the metadata");
	let progress = at
		.transactions()
		.sign_and_submit_then_watch_default(&payload, who)
		.await
		.expect("submitted");
	let events = progress
		.wait_for_finalized_success()
		.await
		.map_err(|e| e.to_string())?;
	Ok(events
		.iter()
		.filter_map(Result::ok)
		.map(|e| {
			(
				e.pallet_name().to_string(),
				e.event_name().to_string(),
				e.field_bytes().to_vec(),
			)
		})
		.collect())
}

fn has_event(events: &[(String, String, Vec<u8>)], name: &str) -> bool {
	events
		.iter()
		.any(|(p, n, _)| p == "Attestation" && n == name)
}

/// Waits for `Attestation.AttestationRequested` for `who`; returns (nonce, block it was issued
/// in, deadline).
async fn wait_for_request(api: &Api, who: [u8; 32], timeout: Duration) -> ([u8; 32], u32, u32) {
	let deadline = Instant::now() + timeout;
	let mut blocks = api.stream_blocks().await.expect("block stream");
	while Instant::now() < deadline {
		let block = tokio::time::timeout(Duration::from_secs(15), blocks.next())
			.await
			.expect("a block within 15 s")
			.expect("stream open")
			.expect("block");
		let number = u32::try_from(block.number()).expect("u32 block number");
		let events = block
			.at()
			.await
			.expect("at block")
			.events()
			.fetch()
			.await
			.expect("events");
		for event in events.iter().filter_map(Result::ok) {
			if event.pallet_name() == "Attestation" && event.event_name() == "AttestationRequested"
			{
				let (worker, nonce, until) =
					<([u8; 32], [u8; 32], u32)>::decode(&mut event.field_bytes())
						.expect("AttestationRequested fields");
				if worker == who {
					return (nonce, number, until);
				}
			}
		}
	}
	panic!("no AttestationRequested for the worker within {timeout:?}");
}

#[tokio::test]
async fn mock_workers_register_re_attest_lapse_and_are_evicted() {
	let mut node = Node::start("dev-attestation", &["--dev"]).expect("start node");
	node.rpc(STARTUP).await.expect("rpc up");
	let api = Api::from_insecure_url(node.ws_url())
		.await
		.expect("subxt client");
	let roots = DevRoots::dev().expect("dev roots");

	// A TDX worker (Charlie) and an SNP worker (Dave) register with dev-image evidence.
	let charlie = dev::charlie();
	let dave = dev::dave();
	for (who, tee) in [(&charlie, Tee::Tdx), (&dave, Tee::Snp)] {
		let claims = claims_for(&api, who, None).await;
		let evidence = roots
			.mint_dev_image_evidence(tee, claims.report_data())
			.expect("mint evidence");
		let events = submit(&api, who, "register_worker", &evidence, &claims)
			.await
			.unwrap_or_else(|e| panic!("{tee:?} registration failed: {e}\n{}", node.log()));
		assert!(
			has_event(&events, "WorkerRegistered"),
			"{tee:?}: {events:?}"
		);
		let record = worker(&api, account(who)).await.expect("worker stored");
		assert_eq!(record.status, WorkerStatus::Active);
		assert_eq!(record.tee, tee);
		assert_eq!(record.release, 0, "the dev image release");
		assert_eq!(record.services_root, [0x5e; 32]);
	}

	// Bad evidence is refused and stores nothing: claims for another chain, evidence not bound
	// to the claims, and an image that is not the dev release.
	let eve = dev::eve();
	let mut other_chain = claims_for(&api, &eve, None).await;
	other_chain.genesis_hash = [0xAB; 32];
	let evidence = roots
		.mint_dev_image_evidence(Tee::Tdx, other_chain.report_data())
		.expect("mint evidence");
	let err = submit(&api, &eve, "register_worker", &evidence, &other_chain)
		.await
		.expect_err("another chain's claims are refused");
	assert!(err.contains("WrongGenesis"), "{err}");

	let claims = claims_for(&api, &eve, None).await;
	let unbound = roots
		.mint_dev_image_evidence(Tee::Snp, [0x77; 64])
		.expect("mint evidence");
	let err = submit(&api, &eve, "register_worker", &unbound, &claims)
		.await
		.expect_err("evidence not bound to the claims is refused");
	assert!(err.contains("ReportDataMismatch"), "{err}");

	// Another image: the dev firmware, then another UKI (one more RTMR1 event), then the dev
	// system: its RTMR1 is no release's.
	let other_image = {
		use tee_verifier::eventlog::{event_type, EventLog, LogBuilder, Rtmr, RuntimeEvent};
		let firmware = dev_image::firmware_log();
		let firmware = EventLog::parse(&firmware, usize::MAX).expect("dev log");
		let mut log = LogBuilder::continuing(&firmware);
		log.measured_event(Rtmr::Rtmr1, event_type::EV_EFI_ACTION, b"another kernel");
		log.runtime_event(&RuntimeEvent::System(dev_image::SYSTEM_PATH.as_bytes()))
			.expect("a store path");
		roots
			.mint_tdx_evidence_with_log(log.build(), claims.report_data())
			.expect("mint evidence")
	};
	let err = submit(&api, &eve, "register_worker", &other_image, &claims)
		.await
		.expect_err("an image without a release is refused");
	assert!(err.contains("UnknownRelease"), "{err}");

	// The dev image's quote without its event log: the system would be self-reported.
	let Evidence::TdxWithEventLog { quote, .. } = roots
		.mint_dev_image_evidence(Tee::Tdx, claims.report_data())
		.expect("mint evidence")
	else {
		panic!("dev TDX evidence carries its log")
	};
	let err = submit(
		&api,
		&eve,
		"register_worker",
		&Evidence::Tdx {
			quote: quote.clone(),
		},
		&claims,
	)
	.await
	.expect_err("a quote without its event log is refused");
	assert!(err.contains("EventLogRequired"), "{err}");

	// The same quote with the log of a boot of another system: the replay gives another
	// RTMR3, refused on chain.
	let forged = dev_image::event_log(b"/nix/store/99999999999999999999999999999999-evil", &[])
		.expect("a store path");
	let mismatching = Evidence::TdxWithEventLog {
		quote,
		event_log: forged.try_into().expect("within bound"),
	};
	let err = submit(&api, &eve, "register_worker", &mismatching, &claims)
		.await
		.expect_err("a log that does not replay to the quote is refused");
	assert!(err.contains("EventLogRejected"), "{err}");
	assert!(
		worker(&api, account(&eve)).await.is_none(),
		"nothing stored for Eve"
	);

	// Validity is 60 s and requests come 40 s before expiry: Charlie is asked within ~20 s and
	// answers; Dave is asked too and does not answer.
	let (nonce, issued, deadline) =
		wait_for_request(&api, account(&charlie), Duration::from_secs(90)).await;
	let before = worker(&api, account(&charlie)).await.expect("Charlie");
	assert_eq!(before.status, WorkerStatus::Pending);
	let claims = claims_for(&api, &charlie, Some((nonce, issued))).await;

	let mut wrong = claims;
	wrong.nonce = [0x01; 32];
	let evidence = roots
		.mint_dev_image_evidence(Tee::Tdx, wrong.report_data())
		.expect("mint evidence");
	let err = submit(&api, &charlie, "submit_attestation", &evidence, &wrong)
		.await
		.expect_err("a wrong nonce is refused");
	assert!(err.contains("WrongNonce"), "{err}");

	let evidence = roots
		.mint_dev_image_evidence(Tee::Tdx, claims.report_data())
		.expect("mint evidence");
	let events = submit(&api, &charlie, "submit_attestation", &evidence, &claims)
		.await
		.unwrap_or_else(|e| panic!("re-attestation failed: {e}\n{}", node.log()));
	assert!(has_event(&events, "WorkerAttested"), "{events:?}");
	let after = worker(&api, account(&charlie)).await.expect("Charlie");
	assert_eq!(after.status, WorkerStatus::Active);
	assert!(
		after.expires_at > before.expires_at,
		"the answer extends the attestation"
	);
	assert!(
		after.attested_at <= deadline,
		"answered before the deadline"
	);

	// Dave never answers: Lapsed after his deadline, then anyone (Ferdie) evicts him.
	let started = Instant::now();
	loop {
		let record = worker(&api, account(&dave))
			.await
			.expect("Dave still stored");
		if record.status == WorkerStatus::Lapsed {
			break;
		}
		assert!(
			started.elapsed() < Duration::from_secs(120),
			"Dave never lapsed: {record:?}"
		);
		tokio::time::sleep(Duration::from_secs(3)).await;
	}
	let at = api.at_current_block().await.expect("current block");
	let evict =
		subxt::dynamic::transaction("Attestation", "evict", (Value::from_bytes(account(&dave)),));
	let events = at
		.transactions()
		.sign_and_submit_then_watch_default(&evict, &dev::ferdie())
		.await
		.expect("submitted")
		.wait_for_finalized_success()
		.await
		.unwrap_or_else(|e| panic!("evict failed: {e}"));
	assert!(events
		.iter()
		.filter_map(Result::ok)
		.any(|e| e.event_name() == "WorkerEvicted"));
	assert!(
		worker(&api, account(&dave)).await.is_none(),
		"Dave's record is removed"
	);
	assert!(
		worker(&api, account(&charlie)).await.is_some(),
		"Charlie stays"
	);
}
