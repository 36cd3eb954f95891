//! `tee-worker`: see the library docs and `tee-worker --help`.

use std::{process::ExitCode, sync::Arc};

use clap::Parser;
use tee_worker::{
	api::{self, ApiState},
	chain::{self, Worker},
	config::{Cli, Config, LogFormat, TeeKind},
	evidence,
	keys::{KeyStorage, WorkerKeys},
	services::Services,
	status::Status,
};

#[tokio::main]
async fn main() -> ExitCode {
	let config = match Config::load(Cli::parse()) {
		Ok(config) => config,
		Err(e) => {
			eprintln!("error: {e}");
			return ExitCode::from(2);
		}
	};
	// Services are configuration too: a bad key file is a configuration error (status 2).
	let services = match Services::load(&config.services) {
		Ok(services) => Arc::new(services),
		Err(e) => {
			eprintln!("error: {e}");
			return ExitCode::from(2);
		}
	};
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	let builder = tracing_subscriber::fmt().with_env_filter(filter);
	match config.log_format {
		LogFormat::Text => builder.init(),
		LogFormat::Json => builder.json().init(),
	}
	match start(&config, services).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			tracing::error!("{e}");
			ExitCode::FAILURE
		}
	}
}

async fn start(config: &Config, services: Arc<Services>) -> Result<(), Box<dyn std::error::Error>> {
	let keys = WorkerKeys::load(&config.data_dir, &config.key_protection)?;
	tracing::info!(
		account = %hex::encode(keys.account_id()),
		x25519 = %hex::encode(keys.x25519_public()),
		data_dir = %config.data_dir.display(),
		storage = %match keys.storage() {
			KeyStorage::Plain => "plain files".to_string(),
			KeyStorage::TpmSealed(pcrs) => format!("sealed to the TPM, PCRs {pcrs}"),
		},
		"keys loaded"
	);
	let provider: Arc<dyn evidence::EvidenceProvider> = Arc::from(evidence::select(config)?);
	let system_hash = evidence::system_hash(&config.system_path, config.tee == TeeKind::Mock)?;
	let status = Arc::new(Status::new());
	let listener = tokio::net::TcpListener::bind(config.api)
		.await
		.map_err(|e| format!("cannot serve the HTTP API on {}: {e}", config.api))?;
	let api_state = Arc::new(ApiState::new(
		keys.account_id(),
		keys.x25519_public(),
		Arc::clone(&provider),
		system_hash,
		Arc::clone(&services),
		Arc::clone(&status),
	));
	for service in services.services() {
		tracing::info!(
			name = %String::from_utf8_lossy(service.name()),
			derivation = %String::from_utf8_lossy(service.derivation()),
			public_key = %hex::encode(service.public_key().as_bytes()),
			"service measured"
		);
	}
	let worker = Worker {
		keys,
		provider,
		system_hash,
		services_root: services.root(),
		dev_funder: config.dev_funder.as_deref().and_then(chain::dev_keypair),
		status,
	};
	tracing::info!(
		provider = worker.provider.name(),
		tee = evidence::tee_name(worker.provider.tee()),
		system_hash = %hex::encode(worker.system_hash),
		services_root = %hex::encode(worker.services_root),
		api = %config.api,
		"evidence"
	);
	tokio::select! {
		() = chain::run(&worker, &config.node) => {}
		served = api::serve(listener, api_state) => {
			served.map_err(|e| format!("HTTP API stopped: {e}"))?;
		}
		_ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
	}
	Ok(())
}
