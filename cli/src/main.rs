//! `attest`: see `attest --help` and docs/cli.md.

use std::{io::IsTerminal, path::PathBuf, process::ExitCode};

use attest::{
	chain::{self, Chain},
	check::{self, ChainCollateral, ChainContext, Row},
	collateral::unix_now,
	files, parse_account, relative, ss58, CliError, EXIT_FAILED, EXIT_OK,
};
use clap::{Parser, Subcommand};
use serde_json::json;
use subxt::dynamic::Value;
type Json = serde_json::Value;
use tee_verifier::tdx::{
	Freshness, PckCa, PckCrlPart, QeIdentityPart, RootCaCrlPart, TcbInfoPart, VerifiedPart,
};
use tee_verifier::{snp::VerifiedAmdCrl, Collateral, SnpProduct};

/// Verify attested workers and evidence from chain state (or offline), and inspect the
/// attestation chain's releases, policy and collateral.
///
/// Exit status: 0 when what was asked is verified; 1 when verification fails (or collateral
/// has expired); 2 for bad input or an unreachable node; 3 when the worker does not exist.
#[derive(Parser)]
#[command(name = "attest", version)]
struct Cli {
	/// WebSocket endpoint of a node of the attestation chain.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// Machine-readable JSON on stdout instead of tables.
	#[arg(long, global = true)]
	json: bool,
	/// Progress and details on stderr.
	#[arg(short, long, global = true)]
	verbose: bool,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// List the registered workers (account, TEE, release, status, TCB status, expiry).
	Workers,
	/// Re-verify a worker off chain: its accepted evidence under the chain's roots, collateral
	/// and policy at the time it was accepted, the REPORT_DATA binding, and every claim.
	Worker {
		/// The worker's account (SS58 or 32-byte hex).
		account: String,
		/// Also fetch fresh evidence from the worker's API (e.g. http://10.0.0.5:8080) for a
		/// random nonce and verify it under the chain's current roots, collateral and policy.
		#[arg(long, value_name = "URL")]
		live: Option<String>,
	},
	/// Verify evidence from files, without a chain. TDX: --quote and --collateral; SNP:
	/// --report and --vek (and optionally --chain). Trusts the real Intel and AMD roots unless
	/// --roots is given; applies the default policy unless --policy is given.
	VerifyEvidence {
		/// TDX quote (binary).
		#[arg(long, value_name = "FILE", requires = "collateral", conflicts_with_all = ["report", "vek"])]
		quote: Option<PathBuf>,
		/// TDX collateral (PCCS QuoteCollateralV3 JSON, as in the test vectors).
		#[arg(long, value_name = "FILE")]
		collateral: Option<PathBuf>,
		/// TDX: the TD's event log; it must replay to the quote's RTMRs, and its events are
		/// shown.
		#[arg(long, value_name = "FILE", requires = "quote")]
		event_log: Option<PathBuf>,
		/// SNP attestation report (1184 bytes).
		#[arg(long, value_name = "FILE", requires = "vek")]
		report: Option<PathBuf>,
		/// SNP VCEK or VLEK certificate (DER).
		#[arg(long, value_name = "FILE")]
		vek: Option<PathBuf>,
		/// SNP ASK/ASVK + ARK (PEM); must be the trusted roots' own.
		#[arg(long, value_name = "FILE")]
		chain: Option<PathBuf>,
		/// Verification time, Unix seconds (default: now).
		#[arg(long, value_name = "UNIX_SECONDS")]
		now: Option<u64>,
		/// Directory of roots laid out as testvectors/roots (default: built-in real roots).
		#[arg(long, value_name = "DIR")]
		roots: Option<PathBuf>,
		/// SCALE-encoded tee_verifier::Policy (default: the default policy).
		#[arg(long, value_name = "FILE")]
		policy: Option<PathBuf>,
	},
	/// Show a TDX event log (CCEL, or what a worker sent): every event, the replayed
	/// RTMR0-3 and, with --quote, whether they are the quote's. Exit 0 when they match (or
	/// no quote is given), 1 naming each register that differs, 2 on a malformed file.
	EventLog {
		/// The event log (TCG crypto-agile; padding after the last event is ignored).
		#[arg(long, value_name = "FILE")]
		log: PathBuf,
		/// A TDX quote to compare the replayed RTMRs with (read, not verified: use
		/// verify-evidence --event-log for that).
		#[arg(long, value_name = "FILE")]
		quote: Option<PathBuf>,
	},
	/// Compute a release's launch measurements from the image (no chain).
	#[command(subcommand)]
	Measure(MeasureCommand),
	/// List the releases (images) workers may run.
	Releases,
	/// Propose, show and check one release.
	#[command(subcommand)]
	Release(ReleaseCommand),
	/// Show the chain's policy.
	Policy,
	/// Collateral on chain.
	#[command(subcommand)]
	Collateral(CollateralCommand),
	/// Prove that a service inside an attested worker signed a response (Alice): send
	/// --message to the service, take its signed reply and the service's membership proof
	/// from the worker's API, check both against the worker's services root on chain, and
	/// produce an UltraHonk proof with node + bb.js (circuits/prove.mjs).
	Prove {
		/// The service's name in the worker's service tree.
		#[arg(long, default_value = "echo")]
		service: String,
		/// The worker (SS58 or 32-byte hex); its services root must be attested on chain.
		#[arg(long)]
		worker: String,
		/// The line to send.
		#[arg(long)]
		message: String,
		/// The worker's API (its address is not on chain), e.g. http://10.0.0.5:8080.
		#[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8080")]
		api: String,
		/// The service's TCP address.
		#[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:7000")]
		echo: String,
		/// Where to write proof, public_inputs, vk and inputs.json.
		#[arg(long, value_name = "DIR", default_value = "proof")]
		out: PathBuf,
		/// zk (bb.js `evm`) or plain (`evm-no-zk`).
		#[arg(long, default_value = "zk", value_parser = ["zk", "plain"])]
		flavour: String,
		/// The SRS directory bb.js proves with [default: $CRS_PATH, else
		/// ~/.cache/tee-attest/dev-srs, the INSECURE dev SRS scripts/dev-srs writes;
		/// scripts/aztec-srs writes Aztec's].
		#[arg(long, value_name = "DIR")]
		srs: Option<PathBuf>,
	},
	/// Verify a bb 3.x UltraHonk keccak proof off chain (Bob); exit 0 exactly when it
	/// verifies. With --worker also check the statement's services root against that worker
	/// on chain; with --submit also submit it to the chain (`submit_proof`).
	VerifyProof {
		/// Verification key (1888 bytes).
		#[arg(long, value_name = "FILE")]
		vk: PathBuf,
		/// Proof bytes.
		#[arg(long, value_name = "FILE")]
		proof: PathBuf,
		/// Public inputs: 32-byte big-endian words.
		#[arg(long, value_name = "FILE")]
		public_inputs: PathBuf,
		/// zk or plain.
		#[arg(long, value_parser = ["zk", "plain"])]
		flavour: String,
		/// The SRS's G2: aztec (production) or dev (INSECURE dev SRS).
		#[arg(long, value_parser = ["aztec", "dev"])]
		srs: String,
		/// The worker whose attested services root the statement must name.
		#[arg(long)]
		worker: Option<String>,
		/// Submit the proof to the chain (needs --worker and a signer).
		#[arg(long, requires = "worker")]
		submit: bool,
		/// Sign the submission with a dev account (alice, bob, ...).
		#[arg(
			long,
			value_name = "NAME",
			conflicts_with = "key_file",
			requires = "submit"
		)]
		dev_key: Option<String>,
		/// Sign the submission with the sr25519 secret URI in this file.
		#[arg(long, value_name = "FILE", requires = "submit")]
		key_file: Option<PathBuf>,
	},
}

/// What the VMM loads: the firmware and, for a direct boot (`-kernel`), the kernel or UKI,
/// initrd and command line.
#[derive(clap::Args, Debug)]
struct BootFiles {
	/// Firmware: OVMF with SEV metadata (SEV-SNP; the AmdSev build for measured direct boot)
	/// or TDVF, OVMF with TDX metadata (TDX).
	#[arg(long, value_name = "FILE")]
	firmware: PathBuf,
	/// Kernel (bzImage) or UKI booted directly.
	#[arg(long, value_name = "FILE")]
	kernel: Option<PathBuf>,
	/// Initrd of the direct boot.
	#[arg(long, value_name = "FILE")]
	initrd: Option<PathBuf>,
	/// Kernel command line of the direct boot.
	#[arg(long, value_name = "STRING")]
	cmdline: Option<String>,
}

/// `attest measure ...`.
#[derive(Subcommand, Debug)]
enum MeasureCommand {
	/// The SEV-SNP launch MEASUREMENT: OVMF (with SEV metadata), and for measured direct boot
	/// the kernel/UKI, initrd and command line, for a vCPU count and type. Prints
	/// `measurement <96 hex>` (JSON: {"measurement": hex}).
	Snp {
		#[command(flatten)]
		boot: BootFiles,
		/// Number of vCPUs.
		#[arg(long, value_name = "N")]
		vcpus: u32,
		/// vCPU type as sev-snp-measure spells it: EPYC, EPYC-v4, EPYC-Rome, EPYC-Milan,
		/// EPYC-Genoa, EPYC-Turin, ...
		#[arg(long, value_name = "TYPE")]
		vcpu_type: String,
		/// Guest SEV features, hex as sev-snp-measure takes them (0x1: SNP active).
		#[arg(long, value_name = "HEX", default_value = "0x1")]
		guest_features: String,
	},
	/// TDX registers: MRTD from TDVF's metadata; RTMR1 and RTMR2 of a direct boot (QEMU
	/// -kernel) of a bzImage with --initrd and --cmdline. Prints `mrtd`, `rtmr0`, `rtmr1`,
	/// `rtmr2` (JSON keys the same); a register its inputs do not determine is omitted with
	/// the reason (stderr; JSON: "omitted": {register: reason}).
	Tdx {
		#[command(flatten)]
		boot: BootFiles,
		/// vCPUs of the VM.
		#[arg(long, value_name = "N")]
		vcpus: Option<u32>,
		/// Memory of the VM in MiB.
		#[arg(long, value_name = "MIB")]
		memory: Option<u64>,
		/// How the VMM measures the firmware pages: single-pass (upstream KVM/QEMU >= 10.1)
		/// or two-pass (Intel's and Canonical's TDX QEMU 8.2).
		#[arg(long, value_name = "ORDER", default_value = "single-pass", value_parser = ["single-pass", "two-pass"])]
		page_order: String,
	},
}

/// `attest release ...`.
#[derive(Subcommand, Debug)]
enum ReleaseCommand {
	/// Submit a release file (JSON, as `nix build ./nixos#release` writes and `release show`
	/// prints) as `add_release`, wrapped in `Sudo.sudo` (the dev and local chains' governance);
	/// with --call-data print the encoded `add_release` call for another governance path.
	Propose {
		/// The release file.
		file: PathBuf,
		/// Print the SCALE-encoded `Attestation.add_release` call (hex, with the chain's call
		/// indices) instead of submitting.
		#[arg(long, conflicts_with_all = ["dev_key", "key_file"])]
		call_data: bool,
		/// Sign with a dev account's well-known key (alice, bob, ...; dev chains only).
		#[arg(long, value_name = "NAME", conflicts_with = "key_file")]
		dev_key: Option<String>,
		/// Sign with the secret URI in FILE (the sudo key).
		#[arg(long, value_name = "FILE")]
		key_file: Option<PathBuf>,
	},
	/// Print a release on chain as a release file.
	Show {
		/// Release id.
		id: u32,
	},
	/// Recompute a release's measurements from a locally built image directory (its
	/// release.json recipe and files) and compare them, field by field, with the release on
	/// chain. Exit 0: every recomputed field matches; 1: a field differs.
	Check {
		/// Release id.
		id: u32,
		/// The image directory (`nix build ./nixos#release` output).
		#[arg(long, value_name = "DIR")]
		image: PathBuf,
	},
}

/// Where collateral comes from (`collateral fetch` and `collateral watch`).
#[derive(clap::Args)]
struct SourceArgs {
	/// Base URL of the Intel PCS v4 API or of a PCCS.
	#[arg(long, value_name = "URL", default_value = collateral_fetch::INTEL_PCS)]
	pcs: String,
	/// Base URL of AMD's KDS.
	#[arg(long, value_name = "URL", default_value = collateral_fetch::AMD_KDS)]
	kds: String,
	/// Where the Intel root CA CRL is fetched when the PCS has no `rootcacrl` path (Intel's
	/// PCS has none; a PCCS has).
	#[arg(long, value_name = "URL", default_value = collateral_fetch::pcs::INTEL_ROOT_CA_CRL)]
	root_ca_crl: String,
}

#[derive(Subcommand)]
enum CollateralCommand {
	/// What collateral the chain holds and when it must be replaced.
	Status,
	/// Upload collateral: Intel TDX (PCCS QuoteCollateralV3 JSON) or AMD CRLs (DER, or PEM
	/// with one or more CRLs); anyone may, the chain verifies it against its roots and keeps
	/// what is newer.
	Upload {
		/// The collateral file.
		file: PathBuf,
		/// Sign with a well-known dev account (alice, bob, ...; dev chains only).
		#[arg(
			long,
			value_name = "NAME",
			conflicts_with = "key_file",
			required_unless_present = "key_file"
		)]
		dev_key: Option<String>,
		/// Sign with the sr25519 key in this file (a secret URI: hex seed, mnemonic or //path).
		#[arg(long, value_name = "FILE")]
		key_file: Option<PathBuf>,
	},
	/// Fetch collateral from Intel PCS v4 (or a PCCS) / AMD KDS, verify it against the
	/// built-in real roots (--roots DIR: those; --upload: the chain's) and write it to --out:
	/// TDX as `tdx-<FMSPC>.json` (the form `verify-evidence --collateral` and `collateral
	/// upload` read; with --tdx also `tdx-<FMSPC>-processor.json` for the Processor CA's CRL),
	/// SNP as `snp-<Product>.pem` (its CRLs) and `snp-<Product>-{vcek,vlek}-chain.pem`.
	/// Exit 0: fetched, verified, written (and uploaded, or already on chain); 1: a document
	/// does not verify, or the chain refused it (nothing written); 2: bad input, or a source
	/// or the node could not be reached (404, 429, timeouts).
	#[command(group = clap::ArgGroup::new("what").required(true).multiple(false))]
	Fetch {
		/// TDX collateral of this FMSPC (12 hex digits), with the CRLs of both PCK CAs.
		#[arg(long, value_name = "FMSPC", group = "what")]
		tdx: Option<String>,
		/// TDX collateral this quote needs: its FMSPC and the CRL of the CA that issued its
		/// PCK certificate.
		#[arg(long, value_name = "FILE", group = "what")]
		from_quote: Option<PathBuf>,
		/// AMD collateral of this product (Milan, Genoa, Turin): VCEK and VLEK chains and CRLs.
		#[arg(long, value_name = "PRODUCT", group = "what")]
		snp: Option<String>,
		#[command(flatten)]
		source: SourceArgs,
		/// Directory to write to (created if missing).
		#[arg(long, value_name = "DIR", default_value = ".")]
		out: PathBuf,
		/// Verify at this time, Unix seconds (default: now).
		#[arg(long, value_name = "UNIX", conflicts_with = "upload")]
		now: Option<u64>,
		/// Directory of roots laid out as testvectors/roots (default: built-in real roots).
		#[arg(long, value_name = "DIR", conflicts_with = "upload")]
		roots: Option<PathBuf>,
		/// Also upload what is newer than the chain's (verified against the chain's roots).
		#[arg(long)]
		upload: bool,
		/// Sign the upload with a well-known dev account (dev chains only).
		#[arg(
			long,
			value_name = "NAME",
			conflicts_with = "key_file",
			requires = "upload"
		)]
		dev_key: Option<String>,
		/// Sign the upload with the sr25519 key in this file.
		#[arg(long, value_name = "FILE", requires = "upload")]
		key_file: Option<PathBuf>,
	},
	/// Keep the chain's collateral fresh, unattended: every --interval seconds (and before a
	/// stored item comes within --margin of its nextUpdate) fetch what the chain's workers use
	/// from Intel PCS / AMD KDS, verify it against the chain's roots, and upload what is newer.
	/// Prometheus metrics on --metrics. Runs until stopped (--once: one round; exit 0 when
	/// everything is current, 1 otherwise).
	Watch {
		#[command(flatten)]
		source: SourceArgs,
		/// Refresh a stored item this many seconds before its nextUpdate.
		#[arg(long, value_name = "SECONDS", default_value_t = 7 * 86_400)]
		margin: u64,
		/// Seconds between rounds (each round asks the sources for newer collateral).
		#[arg(long, value_name = "SECONDS", default_value_t = 3_600)]
		interval: u64,
		/// Serve Prometheus metrics on this address (e.g. 127.0.0.1:9616).
		#[arg(long, value_name = "ADDR")]
		metrics: Option<std::net::SocketAddr>,
		/// One round, then exit.
		#[arg(long)]
		once: bool,
		/// Sign uploads with a well-known dev account (dev chains only).
		#[arg(
			long,
			value_name = "NAME",
			conflicts_with = "key_file",
			required_unless_present = "key_file"
		)]
		dev_key: Option<String>,
		/// Sign uploads with the sr25519 key in this file.
		#[arg(long, value_name = "FILE")]
		key_file: Option<PathBuf>,
	},
}

/// Output helpers: colour only on a terminal.
struct Out {
	json: bool,
	colour: bool,
	verbose: bool,
}

impl Out {
	fn mark(&self, ok: bool) -> String {
		match (ok, self.colour) {
			(true, true) => "\x1b[32mok\x1b[0m".into(),
			(false, true) => "\x1b[31mFAIL\x1b[0m".into(),
			(true, false) => "ok".into(),
			(false, false) => "FAIL".into(),
		}
	}

	fn progress(&self, what: &str) {
		if self.verbose || std::io::stderr().is_terminal() {
			eprintln!("… {what}");
		}
	}

	/// One row per check: field, claimed, expected (long hex shortened), ok.
	fn checks(&self, rows: &[Row]) {
		let table: Vec<Vec<String>> = rows
			.iter()
			.map(|r| {
				vec![
					r.field.to_string(),
					abbreviate(&r.claimed),
					abbreviate(&r.expected),
					self.mark(r.ok),
				]
			})
			.collect();
		self.table(&["FIELD", "CLAIMED", "EXPECTED", ""], &table);
	}

	fn table(&self, header: &[&str], rows: &[Vec<String>]) {
		let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
		for row in rows {
			for (w, cell) in widths.iter_mut().zip(row) {
				*w = (*w).max(visible_len(cell));
			}
		}
		let line = |cells: Vec<String>| {
			let mut s = String::new();
			for (cell, w) in cells.iter().zip(&widths) {
				s.push_str(cell);
				s.push_str(&" ".repeat(w.saturating_sub(visible_len(cell)) + 2));
			}
			println!("{}", s.trim_end());
		};
		line(header.iter().map(|h| h.to_string()).collect());
		for row in rows {
			line(row.clone());
		}
	}
}

/// Long hex shortened for the table (`--json` has it in full): `4edbec13…70fa510d`.
fn abbreviate(s: &str) -> String {
	let is_hex = s.len() > 24 && s.bytes().all(|b| b.is_ascii_hexdigit());
	match (is_hex, s.get(..8), s.get(s.len().saturating_sub(8)..)) {
		(true, Some(head), Some(tail)) => format!("{head}…{tail}"),
		_ => s.to_string(),
	}
}

fn visible_len(s: &str) -> usize {
	let mut len = 0;
	let mut escape = false;
	for c in s.chars() {
		match (escape, c) {
			(false, '\x1b') => escape = true,
			(true, 'm') => escape = false,
			(true, _) => {}
			(false, _) => len += 1,
		}
	}
	len
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let out = Out {
		json: cli.json,
		colour: std::io::stdout().is_terminal() && !cli.json,
		verbose: cli.verbose,
	};
	match run(&cli, &out).await {
		Ok(code) => ExitCode::from(code),
		Err(e) => {
			if out.json {
				println!("{}", json!({ "error": e.to_string() }));
			}
			eprintln!("error: {e}");
			ExitCode::from(e.exit_code())
		}
	}
}

async fn run(cli: &Cli, out: &Out) -> Result<u8, CliError> {
	if let Command::Measure(MeasureCommand::Snp {
		boot: BootFiles {
			firmware,
			kernel,
			initrd,
			cmdline,
		},
		vcpus,
		vcpu_type,
		guest_features,
	}) = &cli.command
	{
		let inputs = attest::measure::SnpInputs {
			firmware: firmware.clone(),
			kernel: kernel.clone(),
			initrd: initrd.clone(),
			cmdline: cmdline.clone(),
			vcpus: *vcpus,
			vcpu_type: vcpu_type.clone(),
			guest_features: attest::measure::parse_guest_features(guest_features)
				.map_err(CliError::BadInput)?,
		};
		let measurement = hex::encode(attest::measure::snp(&inputs)?);
		if out.json {
			println!("{}", json!({ "measurement": measurement }));
		} else {
			println!("measurement {measurement}");
		}
		return Ok(EXIT_OK);
	}
	if let Command::Measure(MeasureCommand::Tdx {
		boot: BootFiles {
			firmware,
			kernel,
			initrd,
			cmdline,
		},
		vcpus,
		memory,
		page_order,
	}) = &cli.command
	{
		return measure_tdx(
			out,
			&attest::measure::tdx::TdxInputs {
				firmware: firmware.clone(),
				kernel: kernel.clone(),
				initrd: initrd.clone(),
				cmdline: cmdline.clone(),
				vcpus: *vcpus,
				memory_mib: *memory,
				page_order: attest::measure::tdx::PageOrder::parse(page_order)
					.map_err(|e| CliError::BadInput(format!("--page-order: {e}")))?,
			},
		);
	}
	if let Command::Release(ReleaseCommand::Propose { file, .. }) = &cli.command {
		// Bad files are exit 2 before the network is touched.
		attest::release::ReleaseFile::read(file)?;
	}
	if let Command::EventLog { log, quote } = &cli.command {
		return attest::eventlog::run(log, quote.as_deref(), out.json);
	}
	if let Command::VerifyEvidence {
		quote,
		collateral,
		event_log,
		report,
		vek,
		chain,
		now,
		roots,
		policy,
	} = &cli.command
	{
		return verify_evidence(
			out,
			quote.as_deref(),
			collateral.as_deref(),
			event_log.as_deref(),
			report.as_deref(),
			vek.as_deref(),
			chain.as_deref(),
			now.unwrap_or_else(unix_now),
			roots.as_deref(),
			policy.as_deref(),
		);
	}
	if let Command::VerifyProof {
		vk,
		proof,
		public_inputs,
		flavour,
		srs,
		worker,
		submit,
		dev_key,
		key_file,
	} = &cli.command
	{
		let files = attest::prove::ProofFiles::read(vk, proof, public_inputs)?;
		let verified = verify_proof_offline(out, &files, flavour, srs, worker.is_some())?;
		let Some(worker) = worker else {
			return Ok(if verified { EXIT_OK } else { EXIT_FAILED });
		};
		let who = parse_account(worker)?;
		let signer = if *submit {
			Some(signer(dev_key.as_deref(), key_file.as_deref())?)
		} else {
			None
		};
		if !verified {
			return Ok(EXIT_FAILED);
		}
		out.progress(&format!("connecting to {}", cli.node));
		let chain = Chain::connect(&cli.node).await?;
		let at = chain.latest().await?;
		return proof_on_chain(out, &at, &files, flavour, srs, who, signer.as_ref()).await;
	}
	if let Command::Prove {
		service,
		worker,
		message,
		api,
		echo,
		out: dir,
		flavour,
		srs,
	} = &cli.command
	{
		let who = parse_account(worker)?;
		let srs = srs
			.clone()
			.or_else(|| std::env::var_os("CRS_PATH").map(PathBuf::from))
			.or_else(|| {
				std::env::var_os("HOME")
					.map(|home| PathBuf::from(home).join(".cache/tee-attest/dev-srs"))
			})
			.ok_or_else(|| CliError::BadInput("no SRS: give --srs DIR".into()))?;
		if message.len() > attest::prove::MAX_RESPONSE {
			return Err(CliError::BadInput(format!(
				"--message: {} bytes; the circuit takes at most {}",
				message.len(),
				attest::prove::MAX_RESPONSE
			)));
		}
		attest::prove::check_prover(&srs)?;
		out.progress(&format!("connecting to {}", cli.node));
		let chain = Chain::connect(&cli.node).await?;
		let at = chain.latest().await?;
		return prove(
			out, &at, who, service, message, api, echo, dir, flavour, &srs,
		)
		.await;
	}
	if let Command::Collateral(CollateralCommand::Fetch {
		tdx,
		from_quote,
		snp,
		source,
		out: dir,
		now,
		roots,
		upload,
		dev_key,
		key_file,
	}) = &cli.command
	{
		let request = FetchRequest {
			tdx: tdx.as_deref(),
			from_quote: from_quote.as_deref(),
			snp: snp.as_deref(),
			dir,
		};
		let sources = collateral_sources(source);
		if !*upload {
			let anchors = match roots {
				Some(dir) => files::anchors_from_dir(dir)?,
				None => files::real_anchors()?,
			};
			let now = now.unwrap_or_else(unix_now);
			return fetch_collateral(out, &request, &sources, &anchors, now, None).await;
		}
		let signer = signer(dev_key.as_deref(), key_file.as_deref())?;
		out.progress(&format!("connecting to {}", cli.node));
		let chain = Chain::connect(&cli.node).await?;
		let anchors = chain::trust_anchors(&chain.latest().await?).await?;
		// The local time: the chain verifies an upload at its including block's time, about
		// now (the latest finalized block is some seconds older).
		let now = unix_now();
		return fetch_collateral(
			out,
			&request,
			&sources,
			&anchors,
			now,
			Some((&chain, &signer)),
		)
		.await;
	}
	if let Command::Collateral(CollateralCommand::Watch {
		source,
		margin,
		interval,
		metrics,
		once,
		dev_key,
		key_file,
	}) = &cli.command
	{
		if *interval == 0 {
			return Err(CliError::BadInput(
				"--interval must be at least 1 second".into(),
			));
		}
		let config = attest::watch::WatchConfig {
			node: cli.node.clone(),
			sources: collateral_sources(source),
			margin: *margin,
			interval: *interval,
			signer: signer(dev_key.as_deref(), key_file.as_deref())?,
			once: *once,
			json: out.json,
		};
		let shared = attest::watch::SharedMetrics::default();
		if let Some(addr) = metrics {
			attest::watch::serve_metrics(*addr, shared.clone()).await?;
		}
		return tokio::select! {
			result = attest::watch::run(config, shared) => result,
			_ = tokio::signal::ctrl_c() => Ok(EXIT_OK),
		};
	}
	if let Command::Collateral(CollateralCommand::Upload { file, .. }) = &cli.command {
		// Read and check the file before touching the network: bad input is exit 2 either way.
		files::collateral(file)?;
	}
	out.progress(&format!("connecting to {}", cli.node));
	let chain = Chain::connect(&cli.node).await?;
	let at = chain.latest().await?;
	match &cli.command {
		Command::Workers => workers(out, &at).await,
		Command::Worker { account, live } => {
			worker(out, &chain, parse_account(account)?, live.as_deref()).await
		}
		Command::Releases => releases(out, &at).await,
		Command::Release(ReleaseCommand::Propose {
			file,
			call_data,
			dev_key,
			key_file,
		}) => {
			let signer = if *call_data {
				None
			} else {
				Some(signer(dev_key.as_deref(), key_file.as_deref())?)
			};
			propose_release(out, &chain, &at, file, signer.as_ref()).await
		}
		Command::Release(ReleaseCommand::Show { id }) => {
			let release = release_on_chain(&at, *id).await?;
			let file = attest::release::ReleaseFile::from_chain(&release);
			println!(
				"{}",
				if out.json {
					serde_json::to_string(&file)
				} else {
					serde_json::to_string_pretty(&file)
				}
				.map_err(|e| CliError::BadInput(e.to_string()))?
			);
			Ok(EXIT_OK)
		}
		Command::Release(ReleaseCommand::Check { id, image }) => {
			let release = release_on_chain(&at, *id).await?;
			check_release(out, *id, &release, image)
		}
		Command::Policy => policy(out, &at).await,
		Command::Collateral(CollateralCommand::Status) => collateral_status(out, &at).await,
		Command::Collateral(CollateralCommand::Upload {
			file,
			dev_key,
			key_file,
		}) => {
			let signer = signer(dev_key.as_deref(), key_file.as_deref())?;
			upload_collateral(out, &chain, file, &signer).await
		}
		Command::Collateral(CollateralCommand::Fetch { .. } | CollateralCommand::Watch { .. })
		| Command::VerifyEvidence { .. }
		| Command::VerifyProof { .. }
		| Command::Prove { .. }
		| Command::EventLog { .. }
		| Command::Measure(_) => Ok(EXIT_OK),
	}
}

fn flavour_of(name: &str) -> zk_verifier::Flavour {
	if name == "plain" {
		zk_verifier::Flavour::Plain
	} else {
		zk_verifier::Flavour::Zk
	}
}

/// `attest verify-proof` without the chain: prints the statement and the verdict.
fn verify_proof_offline(
	out: &Out,
	files: &attest::prove::ProofFiles,
	flavour: &str,
	srs: &str,
	checks_chain: bool,
) -> Result<bool, CliError> {
	let g2 = if srs == "dev" {
		zk_verifier::SrsG2::dev()
	} else {
		zk_verifier::SrsG2::aztec()
	}
	.map_err(|e| CliError::BadInput(e.to_string()))?;
	let vk = zk_verifier::VerificationKey::parse(&files.vk)
		.map_err(|e| CliError::BadInput(format!("--vk: {e}")))?;
	let result = zk_verifier::verify(
		&vk,
		&files.proof,
		&files.public_inputs,
		flavour_of(flavour),
		&g2,
	);
	let statement =
		zk_verifier::ServiceResponseStatement::from_public_inputs(&files.public_inputs).ok();
	if out.json {
		println!(
			"{}",
			json!({
				"verified": result.is_ok(),
				"reason": result.as_ref().err().map(|e| e.to_string()),
				"circuit": hex::encode(files.circuit_id()),
				"flavour": flavour,
				"srs": srs,
				"statement": statement.map(|s| json!({
					"services_root": hex::encode(s.services_root),
					"response_hash": hex::encode(s.response_hash),
					"service_key": hex::encode(s.service_key),
				})),
			})
		);
	} else {
		println!(
			"circuit        {} ({flavour}, {srs} SRS)",
			hex::encode(files.circuit_id())
		);
		if let Some(s) = statement {
			println!("services root  {}", hex::encode(s.services_root));
			println!("response hash  {}", hex::encode(s.response_hash));
			println!("service key    {}", hex::encode(s.service_key));
		}
		match &result {
			Ok(()) => println!("{}", out.mark(true)),
			Err(e) => println!("{}: {e}", out.mark(false)),
		}
		if !checks_chain {
			println!(
				"(the proof only: give --worker to check that its circuit, SRS and services root are the chain's)"
			);
		}
	}
	Ok(result.is_ok())
}

/// `verify-proof --worker [--submit]`: the statement's root must be the worker's attested
/// root; then optionally `submit_proof`.
async fn proof_on_chain(
	out: &Out,
	at: &chain::At,
	files: &attest::prove::ProofFiles,
	flavour: &str,
	srs: &str,
	who: [u8; 32],
	signer: Option<&subxt_signer::sr25519::Keypair>,
) -> Result<u8, CliError> {
	use codec::Encode;
	let statement = zk_verifier::ServiceResponseStatement::from_public_inputs(&files.public_inputs)
		.map_err(|e| CliError::BadInput(format!("public inputs: {e}")))?;
	// The circuit and the SRS must be the chain's: a prover's own key (a circuit without
	// constraints) or the dev SRS against a real network would otherwise "verify".
	let variant = if flavour == "plain" { "Plain" } else { "Zk" };
	let circuit = chain::map_value::<pallet_attestation::Circuit>(
		at,
		"Circuits",
		Value::unnamed_composite([
			Value::from_bytes(files.circuit_id()),
			Value::unnamed_variant(variant, []),
		]),
	)
	.await?;
	let chain_g2 = chain::value::<[u8; 128]>(at, "ProofSrsG2").await?;
	let our_g2 = if srs == "dev" {
		zk_verifier::DEV_G2
	} else {
		zk_verifier::AZTEC_G2
	};
	let registered = circuit.as_ref().is_some_and(|c| {
		c.status == pallet_attestation::CircuitStatus::Active
			&& c.vk.as_slice() == files.vk.as_slice()
	});
	let same_srs = chain_g2 == Some(our_g2);
	let info = chain::worker(at, who)
		.await?
		.ok_or_else(|| CliError::NotFound(format!("worker {}", ss58(who))))?;
	let now = chain::timestamp(at).await?;
	let attested = info.status != pallet_attestation::WorkerStatus::Lapsed && info.expires_at > now;
	let same_root = info.services_root == statement.services_root;
	let rows = [
		Row {
			field: "circuit",
			claimed: format!("{} ({flavour})", hex::encode(files.circuit_id())),
			expected: match &circuit {
				Some(c) => format!(
					"registered as `{}`, {:?}",
					String::from_utf8_lossy(&c.name),
					c.status
				),
				None => "a circuit registered on chain".into(),
			},
			ok: registered,
		},
		Row {
			field: "SRS",
			claimed: srs.into(),
			expected: match chain_g2 {
				Some(g2) if g2 == zk_verifier::DEV_G2 => "dev (INSECURE)".into(),
				Some(g2) if g2 == zk_verifier::AZTEC_G2 => "aztec".into(),
				Some(_) => "another G2".into(),
				None => "none: the chain accepts no proofs".into(),
			},
			ok: same_srs,
		},
		Row::eq_pub(
			"services root",
			hex::encode(statement.services_root),
			hex::encode(info.services_root),
		),
		Row {
			field: "worker attested",
			claimed: format!("{:?}, {}", info.status, relative(info.expires_at, now)),
			expected: "Active or Pending, unexpired".into(),
			ok: attested,
		},
	];
	let all = registered && same_srs && attested && same_root;
	if out.json {
		println!(
			"{}",
			json!({
				"checks": rows.iter().map(Row::json).collect::<Vec<_>>(),
				"verified_against_chain": all,
			})
		);
	} else {
		out.checks(&rows);
	}
	if !all {
		return Ok(EXIT_FAILED);
	}
	let Some(signer) = signer else {
		return Ok(EXIT_OK);
	};
	let call = tee_worker::scale_call::build(
		at.metadata_ref(),
		"Attestation",
		"submit_proof",
		&[
			files.circuit_id().encode(),
			flavour_of(flavour).encode(),
			files.proof.encode(),
			files.public_inputs.encode(),
		],
	)
	.map_err(CliError::BadInput)?;
	match submit_and_wait(out, at, "submit_proof", &call, signer).await? {
		Ok(events) => {
			let proven = events
				.iter()
				.any(|(pallet, event)| pallet == "Attestation" && event == "ServiceResponseProven");
			if out.json {
				println!("{}", json!({ "submitted": proven }));
			} else if proven {
				println!("the chain accepted the proof (ServiceResponseProven)");
			} else {
				println!("REFUSED: the transaction succeeded without ServiceResponseProven");
			}
			Ok(if proven { EXIT_OK } else { EXIT_FAILED })
		}
		Err(reason) => Ok(refused(out, "submitted", &reason)),
	}
}

/// Prints that the chain refused a transaction (JSON: `{key: false, "reason": reason}`) and
/// returns exit status 1.
fn refused(out: &Out, key: &str, reason: &str) -> u8 {
	if out.json {
		let mut v = serde_json::Map::new();
		v.insert(key.into(), Json::Bool(false));
		v.insert("reason".into(), Json::from(reason));
		println!("{}", Json::Object(v));
	} else {
		println!("REFUSED: {reason}");
	}
	EXIT_FAILED
}

/// Signs and submits `call` (named `name` in the progress line) and waits for finality.
/// `Ok(Ok(events))`: included, with its events as (pallet, event) names; `Ok(Err(reason))`:
/// the chain refused it (a dispatch error, exit 1 for the caller); `Err`: the node could not
/// be reached or dropped the transaction (exit 2).
async fn submit_and_wait(
	out: &Out,
	at: &chain::At,
	name: &str,
	call: &subxt::transactions::DynamicPayload<Vec<subxt::dynamic::Value>>,
	signer: &subxt_signer::sr25519::Keypair,
) -> Result<Result<Vec<(String, String)>, String>, CliError> {
	out.progress(&format!("submitting {name} and waiting for finality"));
	chain::submit(at, name, call, signer).await
}

/// `attest prove`.
#[allow(clippy::too_many_arguments)]
async fn prove(
	out: &Out,
	at: &chain::At,
	who: [u8; 32],
	service: &str,
	message: &str,
	api: &str,
	echo: &str,
	dir: &std::path::Path,
	flavour: &str,
	srs: &std::path::Path,
) -> Result<u8, CliError> {
	let info = chain::worker(at, who)
		.await?
		.ok_or_else(|| CliError::NotFound(format!("worker {}", ss58(who))))?;
	let now = chain::timestamp(at).await?;
	if info.status == pallet_attestation::WorkerStatus::Lapsed || info.expires_at <= now {
		return Err(CliError::Failed(format!(
			"worker {} is not attested ({:?}, {}): no proof for its root would be accepted",
			ss58(who),
			info.status,
			relative(info.expires_at, now)
		)));
	}
	let root = service_tree::Digest::from_bytes(info.services_root).map_err(|_| {
		CliError::Unreachable("the worker's services root is not a field element".into())
	})?;
	out.progress(&format!(
		"fetching the membership proof of `{service}` from {api}"
	));
	let membership = attest::prove::fetch_membership(api, service).await?;
	if membership.verify(&root, service.as_bytes()).is_err() {
		return Err(CliError::Failed(format!(
			"the worker's API proves `{service}` under another root than the worker attested"
		)));
	}
	out.progress(&format!("asking the service at {echo}"));
	let reply = attest::prove::ask_echo(echo, message).await?;
	let signature: [u8; 64] = hex::decode(&reply.signature)
		.ok()
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| CliError::Failed("the reply's signature is malformed".into()))?;
	if hex::decode(&reply.public_key).ok().as_deref()
		!= Some(&membership.leaf.public_key.as_bytes()[..])
	{
		return Err(CliError::Failed(format!(
			"the service signed with another key than the attested tree holds for `{service}`"
		)));
	}
	let (inputs, statement) = attest::prove::service_response_inputs(
		reply.response.as_bytes(),
		&signature,
		&membership,
		&root,
	)
	.map_err(|e| CliError::BadInput(e.to_string()))?;
	let started = std::time::Instant::now();
	if !attest::prove::run_prover(&inputs, dir, flavour_of(flavour), srs)? {
		return Ok(EXIT_FAILED);
	}
	let seconds = started.elapsed().as_secs_f64();
	if out.json {
		println!(
			"{}",
			json!({
				"out": dir.display().to_string(),
				"flavour": flavour,
				"worker": ss58(who),
				"response": reply.response,
				"response_hash": hex::encode(statement.response_hash),
				"services_root": hex::encode(statement.services_root),
				"service_key": hex::encode(statement.service_key),
				"seconds": seconds,
			})
		);
	} else {
		println!("proof          {}/proof ({flavour})", dir.display());
		println!("response       {}", reply.response);
		println!("response hash  {}", hex::encode(statement.response_hash));
		println!(
			"services root  {} (worker {})",
			hex::encode(statement.services_root),
			ss58(who)
		);
		println!("proved in      {seconds:.1} s");
		println!(
			"verify with    attest verify-proof --vk {d}/vk --proof {d}/proof --public-inputs {d}/public_inputs --flavour {flavour} --srs {s} --worker {w}",
			d = dir.display(),
			s = if attest::prove::is_dev_srs(srs) { "dev" } else { "aztec" },
			w = ss58(who)
		);
	}
	Ok(EXIT_OK)
}

async fn workers(out: &Out, at: &chain::At) -> Result<u8, CliError> {
	let now = chain::timestamp(at).await?;
	let workers = chain::workers(at).await?;
	if out.json {
		let list: Vec<Json> = workers
			.iter()
			.map(|(who, w)| {
				json!({
					"account": ss58(*who),
					"status": format!("{:?}", w.status),
					"tee": format!("{:?}", w.tee),
					"release": w.release,
					"tcb_status": w.tcb_status.map(|s| format!("{s:?}")),
					"expires_at": w.expires_at,
					"attested_at": w.attested_at,
					"services_root": hex::encode(w.services_root),
				})
			})
			.collect();
		println!("{}", Json::from(list));
		return Ok(EXIT_OK);
	}
	let rows: Vec<Vec<String>> = workers
		.iter()
		.map(|(who, w)| {
			vec![
				ss58(*who),
				format!("{:?}", w.tee),
				w.release.to_string(),
				format!("{:?}", w.status),
				w.tcb_status.map_or("-".into(), |s| format!("{s:?}")),
				relative(w.expires_at, now),
			]
		})
		.collect();
	out.table(
		&["ACCOUNT", "TEE", "RELEASE", "STATUS", "TCB", "EXPIRES"],
		&rows,
	);
	if rows.is_empty() {
		println!("(no workers registered)");
	}
	Ok(EXIT_OK)
}

async fn worker(
	out: &Out,
	chain: &Chain,
	who: [u8; 32],
	live: Option<&str>,
) -> Result<u8, CliError> {
	let at = chain.latest().await?;
	let info = chain::worker(&at, who)
		.await?
		.ok_or_else(|| CliError::NotFound(format!("no worker {}", ss58(who))))?;
	let record = chain::accepted_evidence(&at, who).await?.ok_or_else(|| {
		CliError::NotFound(format!("no accepted evidence for worker {}", ss58(who)))
	})?;
	// The state the chain verified against: the block before the one that accepted it (or,
	// for collateral uploaded earlier in that same block, the block itself; see below).
	out.progress(&format!(
		"reading the chain state before block {}",
		record.block
	));
	let before = chain.at(record.block.saturating_sub(1)).await?;
	let policy = chain::policy(&before).await?;
	// Expiry is judged by this machine's clock, not the node's.
	let now = unix_now();
	let node_now = chain::timestamp(&at).await?;
	let skew = i128::from(now) - i128::from(node_now);
	if skew.abs() > 60 {
		eprintln!(
			"warning: this machine's clock and the node's latest block differ by {skew} s; \
			 expiry is judged by this machine's clock"
		);
	}
	let ctx = ChainContext {
		genesis: chain.genesis(),
		anchors: chain::trust_anchors(&before).await?,
		// No collateral (or unparseable evidence): verification reports what is missing.
		collateral: current_collateral(&before, &record.evidence).await?,
		policy: policy.clone(),
		release: chain::map_value(&before, "Releases", Value::u128(u128::from(info.release)))
			.await?,
		now,
	};
	out.progress("verifying the evidence in full");
	let mut rows = check::worker_rows(who, &info, &record, &ctx, Some(info.evidence_hash));
	let mut collateral_block = record.block.saturating_sub(1);
	if rows.first().is_some_and(|r| !r.ok) {
		// Collateral uploaded earlier in the accepting block is in force for the call.
		let inclusion = chain.at(record.block).await?;
		let at_inclusion = ChainContext {
			anchors: chain::trust_anchors(&inclusion).await?,
			collateral: current_collateral(&inclusion, &record.evidence).await?,
			..ctx.clone()
		};
		let retry =
			check::worker_rows(who, &info, &record, &at_inclusion, Some(info.evidence_hash));
		if retry.first().is_some_and(|r| r.ok) {
			rows = retry;
			collateral_block = record.block;
		}
	}
	rows.push(check::freshness_row(
		&record.claims,
		who,
		&expected_nonce(chain, &record, &policy).await?,
	));
	// Revocations and TCB changes since: the same evidence under today's collateral.
	let today = ChainContext {
		anchors: chain::trust_anchors(&at).await?,
		collateral: current_collateral(&at, &record.evidence).await?,
		..ctx.clone()
	};
	let still = today
		.collateral
		.verify(&record.evidence, &today.anchors, now);
	rows.push(Row {
		field: "today's collateral",
		claimed: match &still {
			Ok(_) => "still verifies (no revocation since)".into(),
			Err(e) => format!("rejected now: {e}"),
		},
		expected:
			"the accepted evidence still verifies under the chain's current roots and collateral"
				.into(),
		ok: still.is_ok(),
	});
	let live_rows = match live {
		None => None,
		Some(base) => {
			let nonce = attest::live::nonce()?;
			out.progress(&format!("fetching fresh evidence from {base}"));
			let (evidence, claims) = attest::live::fetch(base, nonce).await?;
			// Current state: the live evidence is judged by today's roots, collateral, policy.
			let now_ctx = ChainContext {
				anchors: chain::trust_anchors(&at).await?,
				collateral: current_collateral(&at, &evidence).await?,
				policy: chain::policy(&at).await?,
				release: chain::map_value(&at, "Releases", Value::u128(u128::from(info.release)))
					.await?,
				..ctx
			};
			Some(attest::live::rows(
				who, &info, evidence, claims, nonce, &now_ctx,
			))
		}
	};
	let ok = rows.iter().all(|r| r.ok) && live_rows.iter().flatten().all(|r| r.ok);
	if out.json {
		println!(
			"{}",
			json!({
				"account": ss58(who),
				"verified": ok,
				"tee": format!("{:?}", info.tee),
				"release": info.release,
				"status": format!("{:?}", info.status),
				"accepted_in_block": record.block,
				"collateral_of_block": collateral_block,
				"verified_at": record.verified_at,
				"clock_skew_secs": skew,
				"checks": rows.iter().map(Row::json).collect::<Vec<_>>(),
				"live_checks": live_rows.as_ref().map(|r| r.iter().map(Row::json).collect::<Vec<_>>()),
			})
		);
	} else {
		println!(
			"worker {} ({:?}, release {}, {:?}), evidence accepted in block {}",
			ss58(who),
			info.tee,
			info.release,
			info.status,
			record.block
		);
		out.checks(&rows);
		if let Some(live_rows) = &live_rows {
			println!("live evidence from the worker's API (random nonce):");
			out.checks(live_rows);
		}
		println!(
			"{}",
			if ok {
				"VERIFIED under this chain's trust anchors: released image, accepted hardware"
					.to_string()
			} else {
				"NOT VERIFIED".to_string()
			}
		);
	}
	Ok(if ok { EXIT_OK } else { EXIT_FAILED })
}

#[allow(clippy::too_many_arguments)]
fn verify_evidence(
	out: &Out,
	quote: Option<&std::path::Path>,
	collateral: Option<&std::path::Path>,
	event_log: Option<&std::path::Path>,
	report: Option<&std::path::Path>,
	vek: Option<&std::path::Path>,
	chain: Option<&std::path::Path>,
	now: u64,
	roots: Option<&std::path::Path>,
	policy: Option<&std::path::Path>,
) -> Result<u8, CliError> {
	let anchors = match roots {
		Some(dir) => files::anchors_from_dir(dir)?,
		None => files::real_anchors()?,
	};
	let policy = files::policy(policy)?;
	let (evidence, collateral) = match (quote, collateral, report, vek) {
		(Some(q), Some(c), None, None) => files::tdx(q, c, event_log)?,
		(None, None, Some(r), Some(v)) => files::snp(r, v, chain, &anchors)?,
		_ => {
			return Err(CliError::BadInput(
				"give --quote and --collateral (TDX), or --report and --vek (SNP)".into(),
			))
		}
	};
	let verified = tee_verifier::verify(&evidence, &anchors, &collateral, now);
	let accepted = match &verified {
		Ok(claims) => policy.check(claims).map_err(|v| v.to_string()),
		Err(e) => Err(format!("verification failed: {e}")),
	};
	let log_events = match &evidence {
		tee_verifier::Evidence::TdxWithEventLog { event_log, .. } => {
			tee_verifier::EventLog::parse(event_log, usize::MAX)
				.ok()
				.map(|log| {
					log.events()
						.iter()
						.map(attest::eventlog::event_json)
						.collect::<Vec<_>>()
				})
		}
		_ => None,
	};
	if out.json {
		println!(
			"{}",
			json!({
				"accepted": accepted.is_ok(),
				"verifies": verified.is_ok(),
				"reason": accepted.as_ref().err(),
				"claims": verified.as_ref().ok().map(claims_json),
				"events": log_events,
				"now": now,
			})
		);
	} else {
		if let Ok(claims) = &verified {
			let json = claims_json(claims);
			if let Some(map) = json.as_object() {
				for (k, v) in map {
					println!(
						"{k:<22} {}",
						v.as_str().map_or(v.to_string(), str::to_string)
					);
				}
			}
		}
		for e in log_events.iter().flatten() {
			println!(
				"event {:<5} {:<34} {} {}",
				e["register"].as_str().unwrap_or("-"),
				e["type"].as_str().unwrap_or_default(),
				e["digest"].as_str().unwrap_or_default(),
				e["payload"].as_str().unwrap_or_default()
			);
		}
		match &accepted {
			Ok(()) => println!("ACCEPTED under policy v{}", policy.version),
			Err(reason) => println!("REJECTED: {reason}"),
		}
	}
	Ok(if accepted.is_ok() {
		EXIT_OK
	} else {
		EXIT_FAILED
	})
}

fn claims_json(c: &tee_verifier::VerifiedClaims) -> Json {
	use tee_verifier::VerifiedClaims;
	match c {
		VerifiedClaims::Tdx(c) => {
			let [rtmr0, rtmr1, rtmr2, rtmr3] = &c.rtmr;
			json!({
			"tee": "tdx",
			"tcb_status": format!("{:?}", c.tcb_status),
			"advisory_ids": c.advisory_ids.iter().map(|a| String::from_utf8_lossy(a).to_string()).collect::<Vec<_>>(),
			"debug": c.debug(),
			"mrtd": hex::encode(c.mr_td),
			"rtmr0": hex::encode(rtmr0),
			"rtmr1": hex::encode(rtmr1),
			"rtmr2": hex::encode(rtmr2),
			"rtmr3": hex::encode(rtmr3),
			"report_data": hex::encode(c.report_data),
			"event_log_digest": c.event_log.map(|l| hex::encode(l.digest)),
			"measured_system_hash": c.event_log.and_then(|l| l.system_hash).map(hex::encode),
			})
		}
		VerifiedClaims::Snp(c) => json!({
			"tee": "snp",
			"product": c.product.name(),
			"debug": c.debug(),
			"vmpl": c.vmpl,
			"signing_key": format!("{:?}", c.signing_key),
			"report_version": c.report_version,
			"measurement": hex::encode(c.measurement),
			"report_data": hex::encode(c.report_data),
		}),
	}
}

async fn releases(out: &Out, at: &chain::At) -> Result<u8, CliError> {
	let releases = chain::releases(at).await?;
	let list: Vec<Json> = releases
		.iter()
		.map(|(id, r)| {
			json!({
				"id": id,
				"name": String::from_utf8_lossy(&r.name),
				"status": format!("{:?}", r.status),
				"tdx": r.tdx.as_ref().map(|m| json!({
					"mrtd": hex::encode(m.mrtd),
					"rtmr0": hex::encode(m.rtmr0),
					"rtmr1": hex::encode(m.rtmr1),
					"rtmr2": hex::encode(m.rtmr2),
				})),
				"snp_measurement": r.snp_measurement.map(hex::encode),
				"tdx_pins": {
					"mr_config_id": r.tdx_pins.mr_config_id.map(hex::encode),
					"mr_owner": r.tdx_pins.mr_owner.map(hex::encode),
					"mr_owner_config": r.tdx_pins.mr_owner_config.map(hex::encode),
				},
				"snp_pins": {
					"host_data": r.snp_pins.host_data.map(hex::encode),
					"id_key_digest": r.snp_pins.id_key_digest.map(hex::encode),
					"author_key_digest": r.snp_pins.author_key_digest.map(hex::encode),
				},
				"system_hashes": r.system_hashes.iter().map(hex::encode).collect::<Vec<_>>(),
				"services_roots": r.services_roots.iter().map(hex::encode).collect::<Vec<_>>(),
			})
		})
		.collect();
	if out.json {
		println!("{}", Json::from(list));
	} else {
		for release in &list {
			println!(
				"{}",
				serde_json::to_string_pretty(release).unwrap_or_default()
			);
		}
		if list.is_empty() {
			println!("(no releases)");
		}
	}
	Ok(EXIT_OK)
}

/// `attest measure tdx`.
fn measure_tdx(out: &Out, inputs: &attest::measure::tdx::TdxInputs) -> Result<u8, CliError> {
	let values = attest::measure::tdx::measure(inputs)?;
	let mut computed = serde_json::Map::new();
	let mut omitted = serde_json::Map::new();
	for name in ["mrtd", "rtmr0", "rtmr1", "rtmr2"] {
		match values.get(name) {
			Ok(v) => {
				computed.insert(name.into(), Json::from(hex::encode(v)));
			}
			Err(why) => {
				omitted.insert(name.into(), Json::from(why));
			}
		}
	}
	if out.json {
		computed.insert("omitted".into(), Json::Object(omitted));
		println!("{}", Json::Object(computed));
	} else {
		for (name, value) in &computed {
			println!("{name} {}", value.as_str().unwrap_or_default());
		}
		for (name, why) in &omitted {
			eprintln!("{name} not computed: {}", why.as_str().unwrap_or_default());
		}
	}
	Ok(EXIT_OK)
}

/// The release `id` on chain, or exit 2 naming it.
async fn release_on_chain(
	at: &chain::At,
	id: u32,
) -> Result<pallet_attestation::Release, CliError> {
	chain::releases(at)
		.await?
		.into_iter()
		.find(|(i, _)| *i == id)
		.map(|(_, r)| r)
		.ok_or_else(|| CliError::NotFound(format!("release {id}")))
}

/// `attest release propose FILE`: `Sudo.sudo(Attestation.add_release(release))` signed by
/// `signer`; without a signer, print the encoded `add_release` call (hex) for governance.
async fn propose_release(
	out: &Out,
	chain: &Chain,
	at: &chain::At,
	file: &std::path::Path,
	signer: Option<&subxt_signer::sr25519::Keypair>,
) -> Result<u8, CliError> {
	use codec::Encode;
	let release = attest::release::ReleaseFile::read(file)?
		.to_chain()
		.map_err(CliError::BadInput)?;
	let metadata = at.metadata_ref();
	// Checks the release's layout against the chain's `add_release` argument type.
	tee_worker::scale_call::build(metadata, "Attestation", "add_release", &[release.encode()])
		.map_err(CliError::BadInput)?;
	let pallet = metadata
		.pallet_by_name("Attestation")
		.ok_or_else(|| CliError::BadInput("the chain has no Attestation pallet".into()))?;
	let add_release = pallet
		.call_variant_by_name("add_release")
		.ok_or_else(|| CliError::BadInput("the chain has no Attestation.add_release".into()))?;
	let mut inner = vec![pallet.call_index(), add_release.index];
	inner.extend(release.encode());
	let Some(signer) = signer else {
		if out.json {
			println!("{}", json!({ "call": hex::encode(&inner) }));
		} else {
			println!("0x{}", hex::encode(&inner));
		}
		return Ok(EXIT_OK);
	};
	let call = tee_worker::scale_call::build(metadata, "Sudo", "sudo", &[inner])
		.map_err(CliError::BadInput)?;
	match submit_and_wait(out, at, "add_release", &call, signer).await? {
		Ok(events) => {
			if events.iter().any(|(p, e)| p == "Sudo" && e == "Sudid")
				&& events
					.iter()
					.any(|(p, e)| p == "Attestation" && e == "ReleaseAdded")
			{
				// The id the pallet gave it: one below the next id after inclusion.
				let after = chain.latest().await?;
				let id = chain::value::<u32>(&after, "NextReleaseId")
					.await?
					.and_then(|next| next.checked_sub(1));
				if out.json {
					println!("{}", json!({ "proposed": true, "id": id }));
				} else {
					println!(
						"release added{}",
						id.map(|i| format!(" as release {i}")).unwrap_or_default()
					);
				}
				Ok(EXIT_OK)
			} else {
				Ok(refused(
					out,
					"proposed",
					"the sudo call did not add a release (is the signer the sudo key?)",
				))
			}
		}
		Err(reason) => Ok(refused(out, "proposed", &reason)),
	}
}

/// `attest release check ID --image DIR`.
fn check_release(
	out: &Out,
	id: u32,
	release: &pallet_attestation::Release,
	image: &std::path::Path,
) -> Result<u8, CliError> {
	use attest::release::Verdict;
	let fields = attest::release::check(release, image)?;
	let differs = fields.iter().any(|f| f.verdict == Verdict::Differs);
	if out.json {
		println!(
			"{}",
			json!({ "release": id, "matches": !differs, "fields": fields })
		);
	} else {
		let rows: Vec<Vec<String>> = fields
			.iter()
			.map(|f| {
				vec![
					f.field.clone(),
					match f.verdict {
						Verdict::Match => "match".into(),
						Verdict::Differs => "DIFFERS".into(),
						Verdict::NotRecomputed => "not recomputed".into(),
					},
					f.note.clone(),
				]
			})
			.collect();
		out.table(&["FIELD", "VERDICT", "NOTE"], &rows);
		for f in fields.iter().filter(|f| f.verdict == Verdict::Differs) {
			println!(
				"{} differs: chain {} / image {}",
				f.field,
				f.chain.as_deref().unwrap_or("(none)"),
				f.image.as_deref().unwrap_or("(none)")
			);
		}
		println!(
			"{}",
			if differs {
				format!("release {id} is NOT this image")
			} else {
				format!("release {id} matches this image in every recomputed field")
			}
		);
	}
	Ok(if differs { EXIT_FAILED } else { EXIT_OK })
}

/// An SNP TCB minimum as JSON.
fn tcb_json(t: &tee_verifier::SnpMinimumTcb) -> Json {
	json!({
		"bootloader": t.bootloader,
		"tee": t.tee,
		"snp": t.snp,
		"microcode": t.microcode,
		"fmc": t.fmc,
	})
}

async fn policy(out: &Out, at: &chain::At) -> Result<u8, CliError> {
	let p = chain::policy(at).await?;
	let e = &p.evidence;
	let value = json!({
		"version": e.version,
		"accepted_tcb_statuses": e.accepted_tcb_statuses.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>(),
		"allowed_advisory_ids": e.allowed_advisory_ids.iter().map(|a| String::from_utf8_lossy(a).to_string()).collect::<Vec<_>>(),
		"allow_debug": e.allow_debug,
		"allow_migration": e.allow_migration,
		"snp_required_vmpl": e.snp_required_vmpl,
		"tdx_minimum_tee_tcb_svn": hex::encode(e.tdx_minimum_tee_tcb_svn),
		"snp_minimum_guest_svn": e.snp_minimum_guest_svn,
		"snp_minimum_tcb": tcb_json(&e.snp_minimum_tcb),
		"snp_minimum_launch_tcb": tcb_json(&e.snp_minimum_launch_tcb),
		"snp_allow_smt": e.snp_allow_smt,
		"require_amd_crl": e.require_amd_crl,
		"allow_service_tds": e.allow_service_tds,
		"maximum_collateral_age_secs": e.maximum_collateral_age_secs,
		"attestation_validity_secs": e.attestation_validity_secs,
		"request_lead_secs": p.request_lead_secs,
		"response_window_blocks": p.response_window,
		"registration_window_blocks": p.registration_window,
	});
	if out.json {
		println!("{value}");
	} else {
		println!(
			"{}",
			serde_json::to_string_pretty(&value).unwrap_or_default()
		);
	}
	Ok(EXIT_OK)
}

async fn collateral_status(out: &Out, at: &chain::At) -> Result<u8, CliError> {
	let now = chain::timestamp(at).await?;
	let mut items = Vec::new();
	for (fmspc, part) in
		chain::entries::<[u8; 6], VerifiedPart<TcbInfoPart>>(at, "TdxTcbInfo").await?
	{
		items.push((
			format!("TDX TCB Info, FMSPC {}", hex::encode(fmspc)),
			part.freshness(),
		));
	}
	if let Some(part) = chain::value::<VerifiedPart<QeIdentityPart>>(at, "TdxQeIdentity").await? {
		items.push(("TDX QE Identity".to_string(), part.freshness()));
	}
	for (ca, part) in chain::entries::<PckCa, VerifiedPart<PckCrlPart>>(at, "TdxPckCrl").await? {
		items.push((format!("Intel PCK {ca:?} CA CRL"), part.freshness()));
	}
	if let Some(part) = chain::value::<VerifiedPart<RootCaCrlPart>>(at, "TdxRootCaCrl").await? {
		items.push(("Intel root CA CRL".to_string(), part.freshness()));
	}
	for (product, crl) in chain::entries::<SnpProduct, VerifiedAmdCrl>(at, "SnpCrls").await? {
		items.push((
			format!(
				"AMD {} CRL ({} revoked)",
				product.name(),
				crl.revoked_count()
			),
			Freshness {
				evaluation_data_number: 0,
				issued_at: crl.this_update(),
				next_update: crl.next_update(),
			},
		));
	}
	let expired = items.iter().any(|(_, w)| w.next_update <= now);
	if out.json {
		let list: Vec<Json> = items
			.iter()
			.map(|(what, w)| {
				json!({
					"collateral": what,
					"tcb_evaluation_data_number": w.evaluation_data_number,
					"issued_at": w.issued_at,
					"next_update": w.next_update,
					"expired": w.next_update <= now,
				})
			})
			.collect();
		println!("{}", json!({ "now": now, "collateral": list }));
	} else {
		let rows: Vec<Vec<String>> = items
			.iter()
			.map(|(what, w)| {
				vec![
					what.clone(),
					w.evaluation_data_number.to_string(),
					relative(w.next_update, now),
					out.mark(w.next_update > now),
				]
			})
			.collect();
		out.table(&["COLLATERAL", "TCB EVAL #", "NEXT UPDATE", ""], &rows);
		if rows.is_empty() {
			println!("(no collateral on chain: TDX workers cannot attest)");
		}
	}
	Ok(if expired { EXIT_FAILED } else { EXIT_OK })
}

/// The signing key for a transaction.
fn signer(
	dev_key: Option<&str>,
	key_file: Option<&std::path::Path>,
) -> Result<subxt_signer::sr25519::Keypair, CliError> {
	use std::str::FromStr;
	use subxt_signer::SecretUri;
	match (dev_key, key_file) {
		(Some(name), None) => tee_worker::chain::dev_keypair(name).ok_or_else(|| {
			CliError::BadInput(format!(
				"--dev-key {name}: not one of {}",
				tee_worker::config::DEV_FUNDERS.join(", ")
			))
		}),
		(None, Some(path)) => {
			let text = std::fs::read_to_string(path)
				.map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
			let uri = SecretUri::from_str(text.trim()).map_err(|e| {
				CliError::BadInput(format!("{}: not a secret URI: {e}", path.display()))
			})?;
			subxt_signer::sr25519::Keypair::from_uri(&uri)
				.map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))
		}
		_ => Err(CliError::BadInput(
			"give --dev-key NAME or --key-file FILE".into(),
		)),
	}
}

async fn upload_collateral(
	out: &Out,
	chain: &Chain,
	file: &std::path::Path,
	signer: &subxt_signer::sr25519::Keypair,
) -> Result<u8, CliError> {
	let collateral = files::collateral(file)?;
	out.progress("submitting upload_collateral and waiting for finality");
	match attest::collateral::upload(chain, &collateral, signer).await? {
		Ok(_) => {
			if out.json {
				println!("{}", json!({ "uploaded": true }));
			} else {
				println!("collateral accepted by the chain");
			}
			Ok(EXIT_OK)
		}
		Err(reason) => Ok(refused(out, "uploaded", &reason)),
	}
}

/// What `attest collateral fetch` was asked for.
struct FetchRequest<'a> {
	tdx: Option<&'a str>,
	from_quote: Option<&'a std::path::Path>,
	snp: Option<&'a str>,
	dir: &'a std::path::Path,
}

fn collateral_sources(source: &SourceArgs) -> attest::collateral::Sources {
	attest::collateral::Sources {
		http: collateral_fetch::Http::new(collateral_fetch::HttpConfig::default()),
		pcs: source.pcs.clone(),
		kds: source.kds.clone(),
		root_ca_crl: source.root_ca_crl.clone(),
	}
}

/// `attest collateral fetch`: fetch, verify, write; with `upload`, also submit what the chain
/// would store.
async fn fetch_collateral(
	out: &Out,
	request: &FetchRequest<'_>,
	sources: &attest::collateral::Sources,
	anchors: &tee_verifier::TrustAnchors,
	now: u64,
	upload: Option<(&Chain, &subxt_signer::sr25519::Keypair)>,
) -> Result<u8, CliError> {
	use attest::collateral::{self as c, Plan};
	// Parse the request before any network access: bad input is exit 2 either way.
	enum What {
		Tdx([u8; 6], Vec<PckCa>),
		Snp(SnpProduct),
	}
	let what = match (request.tdx, request.from_quote, request.snp) {
		(Some(fmspc), None, None) => What::Tdx(
			c::parse_fmspc(fmspc)?,
			vec![PckCa::Platform, PckCa::Processor],
		),
		(None, Some(path), None) => {
			let quote = std::fs::read(path)
				.map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
			let selector = tee_verifier::tdx::collateral_selector(&quote).map_err(|e| {
				CliError::BadInput(format!(
					"{}: not a TDX quote with a PCK chain: {e}",
					path.display()
				))
			})?;
			let ca = selector.pck_ca.ok_or_else(|| {
				CliError::BadInput(format!(
					"{}: its PCK certificate is not issued by an Intel PCK CA",
					path.display()
				))
			})?;
			What::Tdx(selector.fmspc, vec![ca])
		}
		(None, None, Some(product)) => What::Snp(c::parse_product(product)?),
		_ => {
			return Err(CliError::BadInput(
				"give one of --tdx, --from-quote, --snp".into(),
			))
		}
	};
	std::fs::create_dir_all(request.dir)
		.map_err(|e| CliError::BadInput(format!("--out {}: {e}", request.dir.display())))?;
	let mut report = Vec::new();
	let mut written = Vec::new();
	let mut status = EXIT_OK;
	match what {
		What::Tdx(fmspc, cas) => {
			out.progress(&format!(
				"fetching TDX collateral of FMSPC {} from {}",
				hex::encode_upper(fmspc),
				sources.pcs
			));
			let bundles = c::fetch_tdx(sources, fmspc, &cas, anchors, now)
				.await
				.map_err(c::cli_error)?;
			for (i, fetched) in bundles.iter().enumerate() {
				let path = c::tdx_file(request.dir, fmspc, fetched.parts.pck_ca, i == 0);
				c::write_tdx(&path, fetched)?;
				written.push(path.display().to_string());
				let tcb = fetched.parts.tcb_info.freshness();
				let mut item = json!({
					"collateral": format!("TDX {} {}", hex::encode_upper(fmspc), collateral_fetch::pcs::ca_name(fetched.parts.pck_ca)),
					"file": path.display().to_string(),
					"tcb_evaluation_data_number": tcb.evaluation_data_number,
					"issued_at": tcb.issued_at,
					"next_update": fetched.parts.info.next_update,
				});
				if let Some((chain, signer)) = upload {
					let root = c::intel_root_sha256(anchors)
						.ok_or_else(|| CliError::Failed("the chain trusts no Intel root".into()))?;
					let at = chain.latest().await?;
					let stored = c::chain_tdx(&at, fmspc, fetched.parts.pck_ca, root).await?;
					let outcome = match c::plan_tdx(&fetched.parts, &stored) {
						Plan::Upload(_) => match c::upload(
							chain,
							&Collateral::Tdx(fetched.collateral.clone()),
							signer,
						)
						.await?
						{
							Ok(()) => "uploaded".to_string(),
							Err(reason) => {
								status = EXIT_FAILED;
								format!("refused: {reason}")
							}
						},
						Plan::NothingNewer => "already on chain".to_string(),
						Plan::Older(part) => {
							status = EXIT_FAILED;
							format!("not uploaded: its {part} is older than the chain's")
						}
					};
					item["upload"] = json!(outcome);
				}
				report.push(item);
			}
		}
		What::Snp(product) => {
			out.progress(&format!(
				"fetching AMD {} collateral from {}",
				product.name(),
				sources.kds
			));
			let fetched = c::fetch_snp(sources, product, anchors, now)
				.await
				.map_err(c::cli_error)?;
			written.extend(
				c::write_snp(request.dir, &fetched)?
					.iter()
					.map(|p| p.display().to_string()),
			);
			for (kind, _, crl) in &fetched.crls {
				report.push(json!({
					"collateral": format!("AMD {} {:?} CRL", product.name(), kind),
					"issued_at": crl.this_update(),
					"next_update": crl.next_update(),
					"revoked": crl.revoked_count(),
				}));
			}
			if let Some((chain, signer)) = upload {
				let stored = c::chain_crl(&chain.latest().await?, product).await?;
				let outcome = match c::plan_snp(&fetched, stored.as_ref()) {
					Plan::Upload(_) => {
						match c::upload(chain, &c::snp_upload(&fetched)?, signer).await? {
							Ok(()) => "uploaded".to_string(),
							Err(reason) => {
								status = EXIT_FAILED;
								format!("refused: {reason}")
							}
						}
					}
					Plan::NothingNewer | Plan::Older(_) => "already on chain".to_string(),
				};
				report.push(
					json!({ "collateral": format!("AMD {} CRLs", product.name()), "upload": outcome }),
				);
			}
		}
	}
	if out.json {
		println!(
			"{}",
			json!({ "verified_at": now, "written": written, "collateral": report })
		);
	} else {
		for item in &report {
			let mut line = item["collateral"].as_str().unwrap_or_default().to_string();
			if let Some(n) = item.get("next_update").and_then(Json::as_u64) {
				line.push_str(&format!(": verified, next update {}", relative(n, now)));
			}
			if let Some(u) = item.get("upload").and_then(Json::as_str) {
				line.push_str(&format!(": {u}"));
			}
			println!("{line}");
		}
		for path in &written {
			println!("wrote {path}");
		}
	}
	Ok(status)
}

/// The chain's collateral for `evidence` at `at`: Intel's parts for its FMSPC and PCK CA, or
/// the AMD CRL of its product.
/// What the nonce of accepted evidence must have been, from the chain's block hashes.
async fn expected_nonce(
	chain: &Chain,
	record: &pallet_attestation::EvidenceRecord<u32>,
	policy: &pallet_attestation::ChainPolicy,
) -> Result<check::ExpectedNonce, CliError> {
	let anchor = record.claims.anchor_block;
	Ok(match record.claims.purpose {
		tee_verifier::Purpose::Reattest => check::ExpectedNonce::Reattestation {
			parent_hash: chain.at(anchor.saturating_sub(1)).await?.block_hash().0,
		},
		// OffChain evidence is never accepted (the purpose row fails): judged like a
		// registration.
		tee_verifier::Purpose::Register | tee_verifier::Purpose::OffChain => {
			check::ExpectedNonce::Registration {
				anchor_hash: chain.at(anchor).await?.block_hash().0,
				window: policy.registration_window,
				accepted_in: record.block,
			}
		}
	})
}

async fn current_collateral(
	at: &chain::At,
	evidence: &tee_verifier::Evidence,
) -> Result<ChainCollateral, CliError> {
	let tdx = evidence
		.tdx_quote()
		.and_then(|quote| tee_verifier::tdx::collateral_selector(quote).ok());
	Ok(match tdx {
		Some(selector) => {
			let ca = selector
				.pck_ca
				.map(|ca| Value::unnamed_variant(format!("{ca:?}"), []));
			let pck_crl = match ca {
				Some(ca) => {
					chain::map_value::<VerifiedPart<PckCrlPart>>(at, "TdxPckCrl", ca).await?
				}
				None => None,
			};
			let parts = (
				chain::map_value::<VerifiedPart<TcbInfoPart>>(
					at,
					"TdxTcbInfo",
					Value::from_bytes(selector.fmspc),
				)
				.await?,
				chain::value::<VerifiedPart<QeIdentityPart>>(at, "TdxQeIdentity").await?,
				pck_crl,
				chain::value::<VerifiedPart<RootCaCrlPart>>(at, "TdxRootCaCrl").await?,
			);
			ChainCollateral::Tdx(Box::new(match parts {
				(Some(tcb), Some(qe), Some(pck_crl), Some(root_crl)) => {
					Collateral::Tdx(tee_verifier::tdx::bundle(
						tcb.part(),
						qe.part(),
						pck_crl.part(),
						root_crl.part(),
					))
				}
				// Missing collateral: verification reports it as a mismatch.
				_ => Collateral::Snp(Default::default()),
			}))
		}
		None => {
			let product = match evidence {
				tee_verifier::Evidence::Snp { report, vek_der } => {
					let anchors = chain::trust_anchors(at).await?;
					tee_verifier::snp::product_of(report, vek_der, &anchors).ok()
				}
				_ => None,
			};
			ChainCollateral::Snp(match product {
				Some(p) => {
					let key = Value::unnamed_variant(p.name(), []);
					chain::map_value::<VerifiedAmdCrl>(at, "SnpCrls", key).await?
				}
				None => None,
			})
		}
	})
}
