//! `attest collateral fetch` against a local fake Intel PCS / AMD KDS (`fake-pcs`) serving the
//! real recorded collateral of `testvectors/` on the real URL paths, with the real headers and
//! status codes, and faults: a 404, a 429 with Retry-After, a 503, a truncated body, a bad
//! signature, a stale CRL, a chain that is not the trusted one. Every TDX case gives exactly
//! its expected outcome when verified with what was fetched.

use std::{
	path::{Path, PathBuf},
	process::Output,
	time::{Duration, Instant},
};

use e2e_tests::{output_text as text, workspace_binary, TempDir};
use fake_pcs::{FakeSources, Fault};
use tee_verifier::{SigningKeyKind, SnpProduct};

fn vectors() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors")
}

async fn attest(args: &[&str]) -> Output {
	tokio::process::Command::new(workspace_binary("attest").expect("attest binary"))
		.args(args)
		.output()
		.await
		.expect("run attest")
}

async fn serve(sources: &FakeSources) -> String {
	let (addr, _task) = sources
		.serve("127.0.0.1:0".parse().expect("addr"))
		.await
		.expect("serve");
	format!("http://{addr}")
}

fn recorded(case: &str) -> tee_verifier::TdxCollateral {
	let bytes =
		std::fs::read(vectors().join("tdx").join(case).join("collateral.json")).expect("read");
	collateral_fetch::json::from_json(&bytes).expect("recorded collateral")
}

/// Publishes a recorded bundle, its PCK CRL as either CA's (the client asks for its quote's).
fn publish(sources: &FakeSources, c: &tee_verifier::TdxCollateral) {
	sources.publish_tdx(c, "platform");
	sources.publish_tdx(c, "processor");
}

/// `attest collateral fetch --tdx B0C06F000000` from `pcs` into `dir` at the recorded time of
/// tdx-v4-uptodate, with `extra` arguments.
async fn fetch_fmspc(pcs: &str, dir: &Path, extra: &[&str]) -> Output {
	let mut args = vec![
		"collateral",
		"fetch",
		"--tdx",
		"B0C06F000000",
		"--pcs",
		pcs,
		"--out",
		dir.to_str().expect("utf8"),
		"--now",
		"1752919234",
	];
	args.extend_from_slice(extra);
	attest(&args).await
}

fn json(out: &Output) -> serde_json::Value {
	serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tdx_case_gives_its_expected_outcome_with_fetched_collateral() {
	let cases: serde_json::Value =
		serde_json::from_slice(&std::fs::read(vectors().join("cases.json")).expect("cases"))
			.expect("json");
	let mut fetched_ok = 0;
	for case in cases["cases"]
		.as_array()
		.expect("cases")
		.iter()
		.filter(|c| c["kind"] == "tdx")
	{
		let id = case["id"].as_str().expect("id");
		let now = case["now"].as_u64().expect("now").to_string();
		let dir = vectors().join(case["dir"].as_str().expect("dir"));
		let quote = dir.join("quote.bin");
		let sources = FakeSources::new();
		publish(&sources, &recorded(id));
		let pcs = serve(&sources).await;
		let out_dir = TempDir::new(&format!("fetch-{id}")).expect("dir");
		let out = out_dir.path().to_str().expect("utf8");
		let fetch = attest(&[
			"--json",
			"collateral",
			"fetch",
			"--from-quote",
			quote.to_str().expect("utf8"),
			"--pcs",
			&pcs,
			"--out",
			out,
			"--now",
			&now,
		])
		.await;
		let with_recorded = attest(&[
			"--json",
			"verify-evidence",
			"--quote",
			quote.to_str().expect("utf8"),
			"--collateral",
			dir.join("collateral.json").to_str().expect("utf8"),
			"--now",
			&now,
		])
		.await;
		let accepted = case["expect"]["accepted"].as_bool().expect("accepted");
		assert_eq!(
			with_recorded.status.code() == Some(0),
			accepted,
			"{id}: {}",
			text(&with_recorded)
		);
		if fetch.status.code() != Some(0) {
			// Collateral that does not verify at `now` is refused (exit 1) and not written; a
			// quote that is not TDX is bad input (exit 2). Either way the case is not accepted.
			assert!(!accepted, "{id}: fetch failed: {}", text(&fetch));
			assert!(
				matches!(fetch.status.code(), Some(1 | 2)),
				"{id}: {}",
				text(&fetch)
			);
			assert_eq!(
				std::fs::read_dir(out_dir.path()).expect("ls").count(),
				0,
				"{id}: wrote something"
			);
			continue;
		}
		fetched_ok += 1;
		let report = json(&fetch);
		let written = report["written"].as_array().expect("written");
		assert_eq!(written.len(), 1, "{id}: {report}");
		let file = PathBuf::from(written[0].as_str().expect("path"));
		let name = file
			.file_name()
			.and_then(|n| n.to_str())
			.expect("name")
			.to_string();
		assert!(
			name.starts_with("tdx-")
				&& name.ends_with(".json")
				&& name.len() == "tdx-.json".len() + 12,
			"{name}"
		);
		assert_eq!(
			name[4..16],
			name[4..16].to_uppercase(),
			"FMSPC in upper case: {name}"
		);
		// Byte for byte what was recorded (the signed documents are kept exactly).
		let written_json: serde_json::Value =
			serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
		let recorded_json: serde_json::Value =
			serde_json::from_slice(&std::fs::read(dir.join("collateral.json")).expect("read"))
				.expect("json");
		assert_eq!(written_json, recorded_json, "{id}");
		// And verify-evidence gives the same verdict and claims with it.
		let with_fetched = attest(&[
			"--json",
			"verify-evidence",
			"--quote",
			quote.to_str().expect("utf8"),
			"--collateral",
			file.to_str().expect("utf8"),
			"--now",
			&now,
		])
		.await;
		assert_eq!(
			with_fetched.status.code(),
			with_recorded.status.code(),
			"{id}: {}",
			text(&with_fetched)
		);
		assert_eq!(with_fetched.stdout, with_recorded.stdout, "{id}");
		// Only what the quote needs: one TCB Info, the QE Identity, its CA's CRL, the root CRL.
		let requests = sources.requests();
		assert_eq!(requests.len(), 4, "{id}: {requests:?}");
		assert!(
			requests
				.iter()
				.any(|r| r.starts_with("/tdx/certification/v4/tcb?fmspc=")),
			"{requests:?}"
		);
		assert!(
			requests
				.iter()
				.any(|r| r.starts_with("/sgx/certification/v4/pckcrl?ca=")),
			"{requests:?}"
		);
	}
	assert!(
		fetched_ok >= 3,
		"the up-to-date and out-of-date cases fetch"
	);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_fmspc_is_a_clear_404_and_writes_nothing() {
	let sources = FakeSources::new();
	publish(&sources, &recorded("tdx-v4-uptodate"));
	let pcs = serve(&sources).await;
	let dir = TempDir::new("fetch-404").expect("dir");
	let out = attest(&[
		"collateral",
		"fetch",
		"--tdx",
		"00112233aabb",
		"--pcs",
		&pcs,
		"--out",
		dir.path().to_str().expect("utf8"),
		"--now",
		"1752919234",
	])
	.await;
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(
		stderr.contains("404") && stderr.contains("unknown FMSPC 00112233AABB"),
		"{stderr}"
	);
	assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
	// A 404 is not retried.
	assert_eq!(
		sources
			.requests()
			.iter()
			.filter(|r| r.contains("/tcb?"))
			.count(),
		1
	);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_rootcacrl_path_the_root_crl_comes_from_intels_certificate_site() {
	// Intel's PCS has no rootcacrl (a PCCS has): on its 404 the CRL comes from --root-ca-crl.
	let sources = FakeSources::new();
	publish(&sources, &recorded("tdx-v4-uptodate"));
	sources.fail_next("/sgx/certification/v4/rootcacrl", Fault::NotFound);
	let pcs = serve(&sources).await;
	let dir = TempDir::new("fetch-root-crl").expect("dir");
	let site = format!("{pcs}/IntelSGXRootCA.der");
	let quote = vectors().join("tdx/tdx-v4-uptodate/quote.bin");
	let out = attest(&[
		"collateral",
		"fetch",
		"--from-quote",
		quote.to_str().expect("utf8"),
		"--pcs",
		&pcs,
		"--root-ca-crl",
		&site,
		"--out",
		dir.path().to_str().expect("utf8"),
		"--now",
		"1752919234",
	])
	.await;
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let requests = sources.requests();
	let rootcacrl = requests
		.iter()
		.position(|r| r == "/sgx/certification/v4/rootcacrl");
	let fallback = requests.iter().position(|r| r == "/IntelSGXRootCA.der");
	assert!(
		matches!((rootcacrl, fallback), (Some(a), Some(b)) if a < b),
		"{requests:?}"
	);
	let written: serde_json::Value = serde_json::from_slice(
		&std::fs::read(dir.path().join("tdx-B0C06F000000.json")).expect("read"),
	)
	.expect("json");
	let recorded_json: serde_json::Value = serde_json::from_slice(
		&std::fs::read(vectors().join("tdx/tdx-v4-uptodate/collateral.json")).expect("read"),
	)
	.expect("json");
	assert_eq!(written["root_ca_crl"], recorded_json["root_ca_crl"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_are_honoured_and_broken_answers_retried() {
	let sources = FakeSources::new();
	publish(&sources, &recorded("tdx-v4-uptodate"));
	sources.fail_next("/tdx/certification/v4/tcb", Fault::RateLimited { secs: 2 });
	sources.fail_next("/sgx/certification/v4/pckcrl", Fault::Truncated);
	sources.fail_next("/tdx/certification/v4/qe/identity", Fault::Unavailable);
	let pcs = serve(&sources).await;
	let dir = TempDir::new("fetch-retry").expect("dir");
	let start = Instant::now();
	let quote = vectors().join("tdx/tdx-v4-uptodate/quote.bin");
	let out = attest(&[
		"--json",
		"collateral",
		"fetch",
		"--from-quote",
		quote.to_str().expect("utf8"),
		"--pcs",
		&pcs,
		"--out",
		dir.path().to_str().expect("utf8"),
		"--now",
		"1752919234",
	])
	.await;
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	assert!(
		start.elapsed() >= Duration::from_secs(2),
		"waited for Retry-After"
	);
	let requests = sources.requests();
	let count = |p: &str| requests.iter().filter(|r| r.starts_with(p)).count();
	assert_eq!(count("/tdx/certification/v4/tcb"), 2, "{requests:?}");
	assert_eq!(
		count("/tdx/certification/v4/qe/identity"),
		2,
		"{requests:?}"
	);
	// The quote's CA's CRL, after a truncated answer.
	assert_eq!(count("/sgx/certification/v4/pckcrl"), 2, "{requests:?}");
	let report = json(&out);
	let written = report["written"].as_array().expect("written");
	assert_eq!(written.len(), 1, "{report}");
	assert!(
		written[0]
			.as_str()
			.is_some_and(|p| p.ends_with("/tdx-B0C06F000000.json")),
		"{report}"
	);

	// A Retry-After longer than we wait, and a source that keeps failing: exit 2, said why.
	sources.fail_next(
		"/tdx/certification/v4/tcb",
		Fault::RateLimited { secs: 3600 },
	);
	let out = fetch_fmspc(&pcs, dir.path(), &[]).await;
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stderr).contains("429 rate-limited (Retry-After 3600 s"),
		"{}",
		text(&out)
	);
	for _ in 0..4 {
		sources.fail_next("/sgx/certification/v4/rootcacrl", Fault::Unavailable);
	}
	let out = fetch_fmspc(&pcs, dir.path(), &[]).await;
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stderr).contains("HTTP 503 (after 4 attempts)"),
		"{}",
		text(&out)
	);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_signature_or_a_stale_crl_is_refused_and_nothing_written() {
	// A TCB Info whose signature does not match.
	let mut tampered = recorded("tdx-v4-uptodate");
	tampered.tcb_info_signature[10] ^= 1;
	let sources = FakeSources::new();
	publish(&sources, &tampered);
	let pcs = serve(&sources).await;
	let dir = TempDir::new("fetch-bad").expect("dir");
	let out = fetch_fmspc(&pcs, dir.path(), &[]).await;
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stderr).contains("does not verify"),
		"{}",
		text(&out)
	);
	assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);

	// A stale PCK CRL (issued 90 days earlier, past its nextUpdate) in an otherwise fresh
	// bundle, under the dev roots.
	let dev = mock_tee::DevRoots::dev().expect("dev roots");
	let now = 1_790_000_000; // 2026-09
	let fresh = dev
		.tdx_collateral(now, &mock_tee::TdxTcbConfig::default())
		.expect("mint")
		.to_verifier()
		.expect("verifier");
	let old = dev
		.tdx_collateral(now - 90 * 86_400, &mock_tee::TdxTcbConfig::default())
		.expect("mint")
		.to_verifier()
		.expect("verifier");
	let mut stale = fresh.clone();
	stale.pck_crl = old.pck_crl.clone();
	let sources = FakeSources::new();
	sources.publish_tdx(&stale, "platform");
	let pcs = serve(&sources).await;
	let roots = TempDir::new("dev-roots").expect("dir");
	write_dev_roots(&dev, roots.path());
	let fmspc = hex::encode_upper(mock_tee::TdxPlatform::default().fmspc);
	let now_arg = now.to_string();
	let dev_fetch = || async {
		attest(&[
			"collateral",
			"fetch",
			"--tdx",
			&fmspc,
			"--pcs",
			&pcs,
			"--out",
			dir.path().to_str().expect("utf8"),
			"--now",
			&now_arg,
			"--roots",
			roots.path().to_str().expect("utf8"),
		])
		.await
	};
	let out = dev_fetch().await;
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(
		stderr.contains("does not verify") && stderr.contains("CRL"),
		"{stderr}"
	);
	assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
	// The same source with current CRLs (of both PCK CAs): accepted, written.
	fake_pcs::dev::publish_dev_tdx(
		&sources,
		&dev,
		&mock_tee::TdxTcbConfig::default(),
		now,
		30 * 86_400,
	)
	.expect("publish");
	let out = dev_fetch().await;
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// Writes the dev roots as a `testvectors/roots`-style directory.
fn write_dev_roots(dev: &mock_tee::DevRoots, dir: &Path) {
	std::fs::create_dir_all(dir.join("intel")).expect("mkdir");
	std::fs::create_dir_all(dir.join("amd")).expect("mkdir");
	std::fs::write(dir.join("intel/sgx_root_ca.der"), dev.intel_root_ca_der()).expect("write");
	for product in mock_tee::AmdProduct::ALL {
		let certs = dev.amd_roots(product).expect("amd roots");
		let name = product.name().to_lowercase();
		std::fs::write(dir.join(format!("amd/ark_{name}.der")), &certs.ark).expect("write");
		std::fs::write(dir.join(format!("amd/ask_{name}.der")), &certs.ask).expect("write");
		std::fs::write(dir.join(format!("amd/asvk_{name}.der")), &certs.asvk).expect("write");
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amd_chains_and_crls_are_verified_before_they_are_written() {
	let dev = mock_tee::DevRoots::dev().expect("dev roots");
	let now = fake_pcs::dev::unix_now();
	let roots = TempDir::new("dev-roots-amd").expect("dir");
	write_dev_roots(&dev, roots.path());
	let sources = FakeSources::new();
	fake_pcs::dev::publish_dev(
		&sources,
		&dev,
		&mock_tee::TdxTcbConfig::default(),
		now,
		3600,
	)
	.expect("publish");
	let kds = serve(&sources).await;
	let dir = TempDir::new("fetch-amd").expect("dir");
	let out = attest(&[
		"--json",
		"collateral",
		"fetch",
		"--snp",
		"milan",
		"--kds",
		&kds,
		"--out",
		dir.path().to_str().expect("utf8"),
		"--roots",
		roots.path().to_str().expect("utf8"),
	])
	.await;
	assert_eq!(out.status.code(), Some(0), "{}", text(&out));
	let report = json(&out);
	let mut written: Vec<String> = report["written"]
		.as_array()
		.expect("written")
		.iter()
		.filter_map(|p| p.as_str())
		.map(|p| p.rsplit('/').next().unwrap_or_default().to_string())
		.collect();
	written.sort();
	assert_eq!(
		written,
		[
			"snp-Milan-vcek-chain.pem",
			"snp-Milan-vlek-chain.pem",
			"snp-Milan.pem"
		]
	);
	// What was written is what `collateral upload` takes: two CRLs of Milan.
	let crls = pem::parse_many(std::fs::read(dir.path().join("snp-Milan.pem")).expect("read"))
		.expect("pem");
	assert_eq!(crls.len(), 2);
	assert!(crls.iter().all(|c| c.tag() == "X509 CRL"));
	assert_eq!(
		sources
			.requests()
			.iter()
			.filter(|r| r.starts_with("/vcek/v1/Milan/") || r.starts_with("/vlek/v1/Milan/"))
			.count(),
		4
	);

	// Under the real AMD roots: the real Milan chain is accepted, a CRL not signed by the
	// real ARK is refused (exit 1) and nothing is written.
	let real = TempDir::new("fetch-amd-real").expect("dir");
	let ask = std::fs::read(vectors().join("roots/amd/ask_milan.der")).expect("ask");
	let ark = std::fs::read(vectors().join("roots/amd/ark_milan.der")).expect("ark");
	sources.publish_amd_chain(SnpProduct::Milan, SigningKeyKind::Vcek, &ask, &ark);
	let out = attest(&[
		"collateral",
		"fetch",
		"--snp",
		"Milan",
		"--kds",
		&kds,
		"--out",
		real.path().to_str().expect("utf8"),
	])
	.await;
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stderr).contains("the Milan VCEK CRL does not verify"),
		"{}",
		text(&out)
	);
	assert_eq!(std::fs::read_dir(real.path()).expect("ls").count(), 0);
	// A chain that is not the trusted one (the dev chain under the real roots): refused.
	let certs = dev.amd_roots(mock_tee::AmdProduct::Milan).expect("roots");
	sources.publish_amd_chain(
		SnpProduct::Milan,
		SigningKeyKind::Vcek,
		&certs.ask,
		&certs.ark,
	);
	let out = attest(&[
		"collateral",
		"fetch",
		"--snp",
		"Milan",
		"--kds",
		&kds,
		"--out",
		real.path().to_str().expect("utf8"),
	])
	.await;
	assert_eq!(out.status.code(), Some(1), "{}", text(&out));
	assert!(
		String::from_utf8_lossy(&out.stderr).contains("its ARK is not the trusted ARK"),
		"{}",
		text(&out)
	);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_before_any_fetch() {
	let sources = FakeSources::new();
	let pcs = serve(&sources).await;
	let dir = TempDir::new("fetch-input").expect("dir");
	let d = dir.path().to_str().expect("utf8");
	for args in [
		vec![
			"collateral",
			"fetch",
			"--tdx",
			"B0C06F",
			"--pcs",
			&pcs,
			"--out",
			d,
		],
		vec![
			"collateral",
			"fetch",
			"--snp",
			"Naples",
			"--kds",
			&pcs,
			"--out",
			d,
		],
		vec![
			"collateral",
			"fetch",
			"--from-quote",
			"/nonexistent/quote.bin",
			"--pcs",
			&pcs,
			"--out",
			d,
		],
		vec![
			"collateral",
			"fetch",
			"--tdx",
			"B0C06F000000",
			"--pcs",
			"ftp://example",
			"--out",
			d,
		],
	] {
		let out = attest(&args).await;
		assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
	}
	// Two of --tdx/--from-quote/--snp, or none: a usage error.
	let out = attest(&[
		"collateral",
		"fetch",
		"--tdx",
		"B0C06F000000",
		"--snp",
		"Milan",
	])
	.await;
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	let out = attest(&["collateral", "fetch"]).await;
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	assert!(sources.requests().is_empty(), "{:?}", sources.requests());
}
