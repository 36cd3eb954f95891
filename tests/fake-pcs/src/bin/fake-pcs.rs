//! `fake-pcs`: serves the dev chain's collateral (mock-tee, public dev roots, INSECURE) on
//! Intel PCS v4 and AMD KDS paths, re-issued every --refresh seconds with --validity seconds
//! of validity. `scripts/dev.sh` runs it with `attest collateral watch` (COLLATERAL=watch).

use std::net::SocketAddr;

use clap::Parser;
use fake_pcs::{dev, FakeSources};

/// A local Intel PCS v4 / AMD KDS serving dev collateral (never use it for real workers).
#[derive(Parser)]
#[command(name = "fake-pcs")]
struct Args {
	/// Address to serve on.
	#[arg(long, default_value = "127.0.0.1:8082")]
	listen: SocketAddr,
	/// Validity of each issue, in seconds.
	#[arg(long, default_value_t = 600)]
	validity: u64,
	/// Seconds between issues.
	#[arg(long, default_value_t = 300)]
	refresh: u64,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
	tracing_subscriber::fmt()
		.with_writer(std::io::stderr)
		.init();
	let args = Args::parse();
	if args.validity == 0 || args.refresh == 0 {
		eprintln!("fake-pcs: --validity and --refresh must be at least 1 second");
		return std::process::ExitCode::from(2);
	}
	let roots = match mock_tee::DevRoots::dev() {
		Ok(r) => r,
		Err(e) => {
			eprintln!("fake-pcs: dev roots: {e}");
			return std::process::ExitCode::FAILURE;
		}
	};
	let sources = FakeSources::new();
	let (addr, server) = match sources.serve(args.listen).await {
		Ok(x) => x,
		Err(e) => {
			eprintln!("fake-pcs: {}: {e}", args.listen);
			return std::process::ExitCode::from(2);
		}
	};
	eprintln!("fake-pcs: serving dev collateral on http://{addr}");
	let rotation = tokio::spawn(dev::rotate(
		sources,
		roots,
		mock_tee::TdxTcbConfig::default(),
		args.validity,
		args.refresh,
	));
	tokio::select! {
		_ = server => {}
		_ = rotation => {}
		_ = tokio::signal::ctrl_c() => {}
	}
	std::process::ExitCode::SUCCESS
}
