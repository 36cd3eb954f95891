//! Harness for the end-to-end tests: starts real `attestation-node` processes on free
//! loopback ports, waits for their JSON-RPC server and stops them (and only them) on drop.
//!
//! The node binary is found next to the test executable's directory (`target/<profile>/`),
//! or at `$ATTESTATION_NODE_BIN`. Build it first: `cargo build --release --workspace`
//! (scripts/test.sh does).

use std::{
	fs::File,
	io::Read,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	time::{Duration, Instant},
};

pub use subxt;
pub use subxt_signer;
pub use tempdir::TempDir;

/// Errors of the harness, with enough context to debug a failed test.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Path of the `attestation-node` binary under test.
pub fn node_binary() -> Result<PathBuf, Error> {
	if let Some(path) = std::env::var_os("ATTESTATION_NODE_BIN") {
		return Ok(PathBuf::from(path));
	}
	workspace_binary("attestation-node")
}

/// Path of a binary of this workspace, next to the test executable's directory.
pub fn workspace_binary(name: &str) -> Result<PathBuf, Error> {
	// Test executables live in target/<profile>/deps/; binaries in target/<profile>/.
	let exe = std::env::current_exe()?;
	let profile_dir = exe
		.parent()
		.and_then(Path::parent)
		.ok_or("cannot locate the target directory from the test executable")?;
	let bin = profile_dir.join(name);
	if !bin.exists() {
		return Err(format!(
			"{} does not exist: build it first (cargo build --release --workspace)",
			bin.display()
		)
		.into());
	}
	Ok(bin)
}

/// Runs the workspace's `attest` CLI against the node at `node` (a ws:// URL) with `args`,
/// to completion.
pub fn attest(node: &str, args: &[&str]) -> Result<std::process::Output, Error> {
	Ok(Command::new(workspace_binary("attest")?)
		.args(["--node", node])
		.args(args)
		.output()?)
}

/// A finished command's exit code, stdout and stderr, for assertion messages.
pub fn output_text(out: &std::process::Output) -> String {
	format!(
		"exit {:?}\nstdout:\n{}\nstderr:\n{}",
		out.status.code(),
		String::from_utf8_lossy(&out.stdout),
		String::from_utf8_lossy(&out.stderr)
	)
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> Result<u16, Error> {
	Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A running node process with its own temporary base path. Killed on drop.
pub struct Node {
	child: Child,
	/// JSON-RPC port on 127.0.0.1.
	pub rpc_port: u16,
	/// libp2p port on 127.0.0.1.
	pub p2p_port: u16,
	args: Vec<String>,
	dir: tempdir::TempDir,
}

pub mod tempdir {
	//! A minimal self-deleting temporary directory (keeps the harness dependency-free).
	use std::path::{Path, PathBuf};

	/// Deleted with its contents on drop.
	pub struct TempDir(PathBuf);

	impl TempDir {
		/// Creates a fresh directory under the system temp dir.
		pub fn new(prefix: &str) -> std::io::Result<Self> {
			let unique = format!(
				"{prefix}-{}-{}",
				std::process::id(),
				std::time::SystemTime::now()
					.duration_since(std::time::UNIX_EPOCH)
					.unwrap_or_default()
					.as_nanos()
			);
			let path = std::env::temp_dir().join(unique);
			std::fs::create_dir_all(&path)?;
			Ok(Self(path))
		}

		/// The directory.
		pub fn path(&self) -> &Path {
			&self.0
		}
	}

	impl Drop for TempDir {
		fn drop(&mut self) {
			let _ = std::fs::remove_dir_all(&self.0);
		}
	}
}

impl Node {
	/// Starts `attestation-node` with `args` plus a private base path, loopback-only
	/// networking, free RPC and p2p ports, and no telemetry or Prometheus.
	pub fn start(name: &str, args: &[&str]) -> Result<Self, Error> {
		let dir = tempdir::TempDir::new(&format!("attestation-node-{name}"))?;
		let rpc_port = free_port()?;
		let p2p_port = free_port()?;
		let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
		let child = Self::spawn(&dir, &args, rpc_port, p2p_port)?;
		Ok(Self {
			child,
			rpc_port,
			p2p_port,
			args,
			dir,
		})
	}

	/// Stops the node (SIGKILL, as a crash would) until `restart`.
	pub fn stop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}

	/// Kills the node (SIGKILL, as a crash would) and starts it again on the same database
	/// and ports; its log continues in the same file.
	pub fn restart(&mut self) -> Result<(), Error> {
		let _ = self.child.kill();
		let _ = self.child.wait();
		self.child = Self::spawn(&self.dir, &self.args, self.rpc_port, self.p2p_port)?;
		Ok(())
	}

	fn spawn(
		dir: &tempdir::TempDir,
		args: &[String],
		rpc_port: u16,
		p2p_port: u16,
	) -> Result<Child, Error> {
		let log = std::fs::OpenOptions::new()
			.create(true)
			.append(true)
			.open(dir.path().join("node.log"))?;
		let child = Command::new(node_binary()?)
			.args(args)
			.arg("--base-path")
			.arg(dir.path().join("db"))
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			.stdin(Stdio::null())
			.stdout(log.try_clone()?)
			.stderr(log)
			.spawn()?;
		Ok(child)
	}

	/// `ws://127.0.0.1:<rpc_port>`.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// What the node printed so far (stdout and stderr).
	pub fn log(&self) -> String {
		read_log(&self.dir.path().join("node.log"))
	}

	/// Waits until the JSON-RPC server accepts a client, failing early if the node exits.
	pub async fn rpc(&mut self, timeout: Duration) -> Result<subxt::rpcs::RpcClient, Error> {
		let deadline = Instant::now() + timeout;
		loop {
			if let Some(status) = self.child.try_wait()? {
				return Err(format!("node exited early ({status}):\n{}", self.log()).into());
			}
			if let Ok(client) = subxt::rpcs::RpcClient::from_insecure_url(self.ws_url()).await {
				return Ok(client);
			}
			if Instant::now() > deadline {
				return Err(format!("no JSON-RPC after {timeout:?}:\n{}", self.log()).into());
			}
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// Outcome of a node run that was expected to stop by itself.
pub struct Exit {
	/// Exit status.
	pub status: ExitStatus,
	/// stdout and stderr, interleaved.
	pub output: String,
}

/// Runs the node with `args` (private base path appended) and waits up to `timeout` for it
/// to exit on its own. A node still running at the deadline is killed and reported as an
/// error, so a test can never leave it behind.
pub fn run_to_exit(args: &[&str], timeout: Duration) -> Result<Exit, Error> {
	let dir = tempdir::TempDir::new("attestation-node-exit")?;
	let log_path = dir.path().join("node.log");
	let log = File::create(&log_path)?;
	let mut child = Command::new(node_binary()?)
		.args(args)
		.arg("--base-path")
		.arg(dir.path().join("db"))
		.stdin(Stdio::null())
		.stdout(log.try_clone()?)
		.stderr(log)
		.spawn()?;
	let deadline = Instant::now() + timeout;
	let status = loop {
		if let Some(status) = child.try_wait()? {
			break status;
		}
		if Instant::now() > deadline {
			let _ = child.kill();
			let _ = child.wait();
			return Err(format!(
				"node still running after {timeout:?}:\n{}",
				std::fs::read_to_string(&log_path).unwrap_or_default()
			)
			.into());
		}
		std::thread::sleep(Duration::from_millis(100));
	};
	Ok(Exit {
		status,
		output: std::fs::read_to_string(&log_path)?,
	})
}

/// A running `tee-worker` process with its own data directory. Killed on drop.
pub struct WorkerProcess {
	child: Child,
	dir: tempdir::TempDir,
}

impl WorkerProcess {
	/// A fresh data directory for a worker (keys can be created in it before it starts).
	pub fn data_dir(name: &str) -> Result<tempdir::TempDir, Error> {
		Ok(tempdir::TempDir::new(&format!("tee-worker-{name}"))?)
	}

	/// Starts `tee-worker --data-dir <dir>/data` with `args`; its output goes to a log file.
	pub fn start(dir: tempdir::TempDir, args: &[&str]) -> Result<Self, Error> {
		let log = File::create(dir.path().join("worker.log"))?;
		let child = Command::new(workspace_binary("tee-worker")?)
			.args(args)
			.arg("--data-dir")
			.arg(dir.path().join("data"))
			.stdin(Stdio::null())
			.stdout(log.try_clone()?)
			.stderr(log)
			.spawn()?;
		Ok(Self { child, dir })
	}

	/// What the worker printed so far.
	pub fn log(&self) -> String {
		read_log(&self.dir.path().join("worker.log"))
	}

	/// The worker's process id.
	pub fn pid(&self) -> u32 {
		self.child.id()
	}

	/// Stops the worker (SIGKILL) and waits for it.
	pub fn kill(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Drop for WorkerProcess {
	fn drop(&mut self) {
		self.kill();
	}
}

/// How many established TCP connections process `pid` holds to port `port` on this machine
/// (its socket descriptors matched against `/proc/net/tcp` and `/proc/net/tcp6`).
pub fn tcp_connections_to(pid: u32, port: u16) -> Result<usize, Error> {
	let mut inodes = std::collections::HashSet::new();
	for fd in std::fs::read_dir(format!("/proc/{pid}/fd"))? {
		let Ok(target) = std::fs::read_link(fd?.path()) else {
			continue;
		};
		let target = target.to_string_lossy().into_owned();
		if let Some(inode) = target
			.strip_prefix("socket:[")
			.and_then(|t| t.strip_suffix(']'))
		{
			inodes.insert(inode.to_string());
		}
	}
	let mut count = 0;
	for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
		let Ok(text) = std::fs::read_to_string(table) else {
			continue;
		};
		for line in text.lines().skip(1) {
			let fields: Vec<&str> = line.split_whitespace().collect();
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			let (Some(remote), Some(state), Some(inode)) =
				(fields.get(2), fields.get(3), fields.get(9))
			else {
				continue;
			};
			let remote_port = remote
				.rsplit(':')
				.next()
				.and_then(|p| u16::from_str_radix(p, 16).ok());
			if *state == "01" && remote_port == Some(port) && inodes.contains(*inode) {
				count += 1;
			}
		}
	}
	Ok(count)
}

/// What a process wrote to its log file so far (empty if there is none yet).
fn read_log(path: &Path) -> String {
	let mut out = String::new();
	if let Ok(mut f) = File::open(path) {
		let _ = f.read_to_string(&mut out);
	}
	out
}

/// The chain's record of worker `who` at the latest block (read as the worker reads it).
pub async fn worker_record(
	api: &subxt::OnlineClient<subxt::PolkadotConfig>,
	who: [u8; 32],
) -> Result<Option<pallet_attestation::WorkerInfo<u32>>, Error> {
	let at = api.at_current_block().await?;
	Ok(tee_worker::chain::fetch(&at, "Workers", who).await?)
}

/// Signs `call` with `signer`, submits it and waits until it is finalized successfully.
pub async fn submit_finalized(
	api: &subxt::OnlineClient<subxt::PolkadotConfig>,
	call: &impl subxt::transactions::Payload,
	signer: &subxt_signer::sr25519::Keypair,
) -> Result<(), Error> {
	api.at_current_block()
		.await?
		.transactions()
		.sign_and_submit_then_watch_default(call, signer)
		.await?
		.wait_for_finalized_success()
		.await?;
	Ok(())
}

/// Polls until worker `who` is `Active` on chain; `Err` with `context()` after `timeout`.
pub async fn wait_until_active(
	api: &subxt::OnlineClient<subxt::PolkadotConfig>,
	who: [u8; 32],
	timeout: Duration,
	context: impl Fn() -> String,
) -> Result<(), Error> {
	let start = Instant::now();
	loop {
		let record = worker_record(api, who).await?;
		if record.is_some_and(|w| w.status == pallet_attestation::WorkerStatus::Active) {
			return Ok(());
		}
		if start.elapsed() > timeout {
			return Err(format!("not Active within {timeout:?}:\n{}", context()).into());
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// Calls built from our own SCALE-encoded types (the worker's, reused here).
pub use tee_worker::scale_call;

/// `GET http://<addr><path>` over a fresh connection (HTTP/1.1, `Connection: close`):
/// the status code and the body. Enough for the worker's API; no client library needed.
pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> Result<(u16, String), Error> {
	use tokio::io::{AsyncReadExt, AsyncWriteExt};
	let mut stream = tokio::net::TcpStream::connect(addr).await?;
	let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
	stream.write_all(request.as_bytes()).await?;
	let mut raw = Vec::new();
	tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw)).await??;
	let text = String::from_utf8(raw)?;
	let (head, body) = text
		.split_once("\r\n\r\n")
		.ok_or("HTTP response without the end of its headers")?;
	let status = head
		.split_whitespace()
		.nth(1)
		.ok_or("HTTP response without a status")?
		.parse()?;
	Ok((status, body.to_string()))
}

/// Node keys with well-known peer ids for the `local` chain, so Bob can be pointed at Alice.
const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
const BOB_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000002";

/// The `local` chain's two validators, Alice (with `alice_args` added) and Bob (pointed at
/// Alice).
pub fn start_local_validators(name: &str, alice_args: &[&str]) -> Result<(Node, Node), Error> {
	let mut args = vec!["--chain", "local", "--alice", "--node-key", ALICE_NODE_KEY];
	args.extend_from_slice(alice_args);
	let alice = Node::start(&format!("{name}-alice"), &args)?;
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{ALICE_PEER_ID}", alice.p2p_port);
	let bob = Node::start(
		&format!("{name}-bob"),
		&[
			"--chain",
			"local",
			"--bob",
			"--node-key",
			BOB_NODE_KEY,
			"--bootnodes",
			&bootnode,
		],
	)?;
	Ok((alice, bob))
}

/// The number of the node's finalized head.
pub async fn finalized_number(rpc: &subxt::rpcs::RpcClient) -> Result<u32, Error> {
	let hash: String = rpc
		.request("chain_getFinalizedHead", subxt::rpcs::rpc_params![])
		.await?;
	header_number(rpc, Some(hash)).await
}

/// The number of the node's best block.
pub async fn best_number(rpc: &subxt::rpcs::RpcClient) -> Result<u32, Error> {
	header_number(rpc, None).await
}

async fn header_number(rpc: &subxt::rpcs::RpcClient, hash: Option<String>) -> Result<u32, Error> {
	let header: serde_json::Value = rpc
		.request("chain_getHeader", subxt::rpcs::rpc_params![hash])
		.await?;
	let hex = header["number"].as_str().ok_or("header without a number")?;
	Ok(u32::from_str_radix(hex.trim_start_matches("0x"), 16)?)
}

/// The chain's record of worker `who` at the node's best block (what the worker acts on).
pub async fn worker_record_at_best(
	api: &subxt::OnlineClient<subxt::PolkadotConfig>,
	rpc: &subxt::rpcs::RpcClient,
	who: [u8; 32],
) -> Result<Option<pallet_attestation::WorkerInfo<u32>>, Error> {
	let hash: subxt::utils::H256 = rpc
		.request("chain_getBlockHash", subxt::rpcs::rpc_params![])
		.await?;
	let at = api.at_block(hash).await?;
	Ok(tee_worker::chain::fetch(&at, "Workers", who).await?)
}
