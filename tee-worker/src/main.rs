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
	// The boot step runs before the services exist: it needs only their names and paths.
	if config.measure_boot {
		return measure_boot(&config);
	}
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

/// `--measure-boot`: exit 0 when RTMR3 was measured (or, on SEV-SNP, needs no measuring), 1
/// when it could not be.
fn measure_boot(config: &Config) -> ExitCode {
	let run = || -> Result<String, evidence::EvidenceError> {
		let system = evidence::system_path(&config.system_path, false)?;
		let boot = evidence::BootMeasurement::new(system, &config.services);
		let tdx = match config.tee {
			TeeKind::Tdx => true,
			TeeKind::Snp => false,
			TeeKind::Mock => {
				return Ok("--tee mock: the mock measures at start-up; nothing to do".into())
			}
			TeeKind::Auto => !std::path::Path::new(evidence::SEV_GUEST_DEVICE).exists(),
		};
		if !tdx {
			return Ok(
				"SEV-SNP: the launch measurement covers the kernel command line and \
			           with it the system; there is no run-time register to extend"
					.into(),
			);
		}
		let n = evidence::measure_boot(&boot, &config.tdx_log)?;
		Ok(format!(
			"measured {n} events into RTMR3 (system {}); runtime log {}",
			String::from_utf8_lossy(boot.system()),
			config.tdx_log.runtime.display()
		))
	};
	match run() {
		Ok(message) => {
			println!("{message}");
			ExitCode::SUCCESS
		}
		Err(e) => {
			eprintln!("error: {e}");
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
	// SEV-SNP without a certificate table: the VCEK from KDS, verified against the chain's
	// roots (which the chain client keeps current in `anchors`).
	let anchors = tee_worker::vcek::ChainAnchors::default();
	let provider: Arc<dyn evidence::EvidenceProvider> = Arc::from(tee_worker::vcek::with_kds(
		evidence::select(config)?,
		&config.kds,
		&config.data_dir,
		anchors.clone(),
	));
	// The system the boot step measured (TDX) or the launch measurement fixes (SEV-SNP).
	let system = evidence::system_path(&config.system_path, config.tee == TeeKind::Mock)?;
	let system_hash = tee_verifier::system_hash(&system);
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
		anchors,
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
