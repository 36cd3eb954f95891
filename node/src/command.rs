//! Parses the command line and runs the node or a subcommand.

use polkadot_sdk::{
	sc_cli::{self, SubstrateCli},
	sc_consensus_grandpa, sc_network,
	sc_service::{self, PartialComponents},
};

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"TEE Attestation Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		"the tee-attest developers".into()
	}

	fn support_url() -> String {
		"https://example.invalid/tee-attest/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		chain_spec::load(id)
	}
}

/// Runs what the command line asks for.
pub fn run() -> sc_cli::Result<()> {
	let cli = Cli::from_args();

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let spec = cli.load_spec(&cmd.chain)?;
			cmd.run(spec)
		}
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					import_queue,
					..
				} = service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					..
				} = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		}
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					..
				} = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		}
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					import_queue,
					..
				} = service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		}
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					backend,
					..
				} = service::new_partial(&config)?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		}
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Benchmark(cmd)) => {
			use polkadot_sdk::{
				frame_benchmarking_cli::BenchmarkCmd, sp_runtime::traits::HashingFor,
			};
			match cmd {
				// The runtime comes from `--runtime FILE` (a wasm built with the benchmarks;
				// see scripts/bench.sh), its genesis from one of its presets: no chain spec.
				// The extra host functions are the node's own (the proof verifier's BN254
				// operations), so weights are measured on the production path.
				BenchmarkCmd::Pallet(cmd) => cmd
					.run_with_spec::<HashingFor<attestation_runtime::opaque::Block>, bn254_host::HostFunctions>(
						None,
					),
				_ => Err("this node supports `benchmark pallet` only".into()),
			}
		}
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<attestation_runtime::opaque::Block>(&config))
		}
		None => {
			let runner = cli.create_runner(&cli.run)?;
			runner.run_node_until_exit(|mut config| async move {
				require_configured_rpc_ports(&mut config);
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config)
							.map_err(sc_cli::Error::Service)
					}
					sc_network::config::NetworkBackendType::Libp2p => Err(sc_cli::Error::Input(
						"this node supports only the litep2p network backend \
						 (drop --network-backend libp2p)"
							.into(),
					)),
				}
			})
		}
	}
}

/// Substrate moves the JSON-RPC server to a random port when the configured one is taken.
/// Clients (the worker, the CLI, scripts) connect to the port they were told, so a silently
/// moved server is a failure that looks like success: make an occupied port a start-up error.
fn require_configured_rpc_ports(config: &mut sc_service::Configuration) {
	for endpoint in config.rpc.addr.iter_mut().flatten() {
		endpoint.retry_random_port = false;
	}
}
