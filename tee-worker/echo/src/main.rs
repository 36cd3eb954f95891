//! `tee-echo`: see the library docs and `tee-echo --help`.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc};

use clap::Parser;

/// TCP line echo that signs each response with the service's secp256k1 key (one JSON line per
/// input line: response, sha256, signature, public_key).
#[derive(Parser)]
#[command(name = "tee-echo", version, about)]
struct Cli {
	/// Secret key file (64 hex digits). Created with mode 0600 when missing; a file readable
	/// by others or holding no valid key is refused.
	#[arg(long, value_name = "FILE")]
	key: PathBuf,
	/// Print the 33-byte compressed public key (hex) and exit (after writing `--pubkey-out`,
	/// if given): what the worker's `public-key-file` must hold.
	#[arg(long)]
	print_pubkey: bool,
	/// Write the public key (hex, mode 0644) to this file before serving (or before
	/// `--print-pubkey` exits), for the worker's `public-key-file`.
	#[arg(long, value_name = "FILE")]
	pubkey_out: Option<PathBuf>,
	/// Address to listen on.
	#[arg(long, default_value = "127.0.0.1:7000", value_name = "ADDR:PORT")]
	listen: SocketAddr,
	/// Longest accepted line in bytes; a longer line closes that connection.
	#[arg(long, default_value_t = tee_echo::DEFAULT_MAX_LINE, value_name = "BYTES")]
	max_line: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let key = match tee_echo::load_or_generate_key(&cli.key) {
		Ok(key) => key,
		Err(e) => {
			eprintln!("error: {e}");
			return ExitCode::from(2);
		}
	};
	if let Some(out) = &cli.pubkey_out {
		// Written to a temporary file and renamed, so a reader never sees half a key.
		let line = format!("{}\n", tee_echo::public_key_hex(&key));
		let tmp = out.with_extension("tmp");
		if let Err(e) = std::fs::write(&tmp, line).and_then(|()| std::fs::rename(&tmp, out)) {
			eprintln!("error: {}: {e}", out.display());
			return ExitCode::FAILURE;
		}
	}
	if cli.print_pubkey {
		println!("{}", tee_echo::public_key_hex(&key));
		return ExitCode::SUCCESS;
	}
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.init();
	let listener = match tokio::net::TcpListener::bind(cli.listen).await {
		Ok(listener) => listener,
		Err(e) => {
			tracing::error!("cannot listen on {}: {e}", cli.listen);
			return ExitCode::FAILURE;
		}
	};
	let local = listener.local_addr().map_or(cli.listen, |a| a);
	tracing::info!(
		listen = %local,
		public_key = %tee_echo::public_key_hex(&key),
		"serving"
	);
	tokio::select! {
		() = tee_echo::serve(listener, Arc::new(key), cli.max_line) => {}
		_ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
	}
	ExitCode::SUCCESS
}
