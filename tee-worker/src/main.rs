//! `tee-worker`: see the library docs and `tee-worker --help`.

use clap::Parser;
use tee_worker::{
	chain::{self, Worker},
	config::{Config, LogFormat, TeeKind},
	evidence,
	keys::WorkerKeys,
};

#[tokio::main]
async fn main() -> std::process::ExitCode {
	let config = Config::parse();
	if let Err(e) = config.validate() {
		eprintln!("error: {e}");
		return std::process::ExitCode::from(2);
	}
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	let builder = tracing_subscriber::fmt().with_env_filter(filter);
	match config.log_format {
		LogFormat::Text => builder.init(),
		LogFormat::Json => builder.json().init(),
	}
	match start(&config).await {
		Ok(()) => std::process::ExitCode::SUCCESS,
		Err(e) => {
			tracing::error!("{e}");
			std::process::ExitCode::FAILURE
		}
	}
}

async fn start(config: &Config) -> Result<(), Box<dyn std::error::Error>> {
	let keys = WorkerKeys::load_or_generate(&config.data_dir)?;
	tracing::info!(
		account = %hex::encode(keys.account_id()),
		x25519 = %hex::encode(keys.x25519_public()),
		data_dir = %config.data_dir.display(),
		"keys loaded"
	);
	let provider = evidence::select(config)?;
	let system_hash = evidence::system_hash(&config.system_path, config.tee == TeeKind::Mock)?;
	let worker = Worker {
		keys,
		provider,
		system_hash,
		services_root: config.services_root(),
		dev_funder: config.dev_funder.as_deref().and_then(chain::dev_keypair),
	};
	tracing::info!(
		provider = worker.provider.name(),
		tee = ?worker.provider.tee(),
		system_hash = %hex::encode(worker.system_hash),
		services_root = %hex::encode(worker.services_root),
		"evidence"
	);
	tokio::select! {
		() = chain::run(&worker, &config.node) => {}
		_ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
	}
	Ok(())
}
