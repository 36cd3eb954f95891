//! The worker's keys sealed to a real (software) TPM: swtpm, started by each test, reached
//! through the TSS2 `swtpm` TCTI. Sealed keys survive worker and TPM restarts; a changed PCR,
//! another TPM or a contradicting configuration makes the worker refuse to start, and it never
//! replaces the sealed identity with a new one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
	fs,
	net::{TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	str::FromStr,
	sync::Mutex,
	time::{Duration, Instant},
};

use tee_worker::{
	config::TpmMode,
	keys::{KeyError, KeyProtection, KeyStorage, WorkerKeys, SEALED_FILE},
	tpm::{PcrSet, TpmError},
};
use tss_esapi::{
	handles::PcrHandle,
	interface_types::algorithm::HashingAlgorithm,
	structures::{Digest, DigestValues},
	tcti_ldr::TctiNameConf,
	Context,
};

fn temp_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("tee-worker-tpm-{name}-{}", std::process::id()));
	let _ = fs::remove_dir_all(&dir);
	fs::create_dir_all(&dir).unwrap();
	dir
}

/// A swtpm process with its state directory; restartable (a TPM power cycle: PCRs reset,
/// persistent state kept).
struct Swtpm {
	state: PathBuf,
	port: u16,
	child: Child,
}

impl Swtpm {
	fn start(state: &Path) -> Self {
		fs::create_dir_all(state).unwrap();
		let port = free_port_pair();
		let child = Self::spawn(state, port);
		Self {
			state: state.to_path_buf(),
			port,
			child,
		}
	}

	fn spawn(state: &Path, port: u16) -> Child {
		let mut child = Command::new("swtpm")
			.args(["socket", "--tpm2", "--tpmstate"])
			.arg(format!("dir={}", state.display()))
			.arg("--server")
			.arg(format!("type=tcp,port={port},bindaddr=127.0.0.1"))
			.arg("--ctrl")
			.arg(format!("type=tcp,port={},bindaddr=127.0.0.1", port + 1))
			.args(["--flags", "not-need-init,startup-clear"])
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.expect("swtpm (scripts/setup.sh installs it)");
		let deadline = Instant::now() + Duration::from_secs(10);
		while TcpStream::connect(("127.0.0.1", port)).is_err() {
			assert!(child.try_wait().unwrap().is_none(), "swtpm exited at start");
			assert!(Instant::now() < deadline, "swtpm did not listen");
			std::thread::sleep(Duration::from_millis(20));
		}
		// A listening port is not yet a TPM that answers (swtpm serves one connection at a
		// time, and the probe above is one): wait for a real answer through the TCTI the
		// tests use. The listener is ours only if our swtpm is still running (it exits when
		// a port is taken).
		let tcti = format!("swtpm:host=127.0.0.1,port={port}");
		loop {
			assert!(child.try_wait().unwrap().is_none(), "swtpm exited at start");
			let answered = TctiNameConf::from_str(&tcti)
				.ok()
				.and_then(|conf| Context::new(conf).ok())
				.and_then(|mut context| context.get_random(8).ok())
				.is_some();
			if answered {
				return child;
			}
			assert!(
				Instant::now() < deadline,
				"swtpm did not answer TPM2_GetRandom within 10 s"
			);
			std::thread::sleep(Duration::from_millis(50));
		}
	}

	fn tcti(&self) -> String {
		format!("swtpm:host=127.0.0.1,port={}", self.port)
	}

	fn restart(&mut self) {
		self.stop();
		self.child = Self::spawn(&self.state, self.port);
	}

	fn stop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}

	/// Extends SHA-256 PCR 9 (what a changed initrd or command line does at boot).
	fn extend_pcr9(&self) {
		let mut context = Context::new(TctiNameConf::from_str(&self.tcti()).unwrap()).unwrap();
		let mut digests = DigestValues::new();
		digests.set(
			HashingAlgorithm::Sha256,
			Digest::try_from(vec![0x42; 32]).unwrap(),
		);
		context
			.execute_with_nullauth_session(|c| c.pcr_extend(PcrHandle::Pcr9, digests))
			.unwrap();
	}
}

impl Drop for Swtpm {
	fn drop(&mut self) {
		self.stop();
	}
}

/// Ports handed to a swtpm of this test binary so far (tests run in parallel threads).
static HANDED_OUT: Mutex<Vec<u16>> = Mutex::new(Vec::new());

/// Two consecutive free TCP ports (swtpm's server and control channels), neither handed to
/// another test's swtpm: otherwise one test's readiness probe could reach another's control
/// channel while its own swtpm failed to bind.
fn free_port_pair() -> u16 {
	for _ in 0..100 {
		let listener = TcpListener::bind("127.0.0.1:0").unwrap();
		let port = listener.local_addr().unwrap().port();
		let mut taken = HANDED_OUT.lock().unwrap();
		if port < u16::MAX
			&& !taken.contains(&port)
			&& !taken.contains(&(port + 1))
			&& TcpListener::bind(("127.0.0.1", port + 1)).is_ok()
		{
			taken.extend([port, port + 1]);
			return port;
		}
	}
	panic!("no two consecutive free ports");
}

fn protection(mode: TpmMode, tcti: &str) -> KeyProtection {
	KeyProtection {
		tpm: mode,
		tcti: tcti.into(),
		pcrs: PcrSet::default(),
	}
}

fn files(dir: &Path) -> Vec<String> {
	let mut names: Vec<String> = fs::read_dir(dir)
		.unwrap()
		.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
		.collect();
	names.sort();
	names
}

/// Nothing listens here: no TPM.
const NO_TPM: &str = "swtpm:host=127.0.0.1,port=1";

#[test]
fn sealed_keys_survive_worker_and_tpm_restarts() {
	let dir = temp_dir("restart");
	let mut tpm = Swtpm::start(&dir.join("tpm"));
	let data = dir.join("data");
	let first = WorkerKeys::load(&data, &protection(TpmMode::Required, &tpm.tcti())).unwrap();
	assert_eq!(
		first.storage(),
		&KeyStorage::TpmSealed(PcrSet::from_str("4,7,9").unwrap())
	);
	assert_eq!(
		files(&data),
		[SEALED_FILE],
		"no plain secret is written next to the sealed one"
	);
	let sealed = fs::read_to_string(data.join(SEALED_FILE)).unwrap();
	assert!(sealed.contains("tee-worker-sealed-keys/1"), "{sealed}");

	// The worker restarts (auto finds the sealed file and uses the TPM).
	let again = WorkerKeys::load(&data, &protection(TpmMode::Auto, &tpm.tcti())).unwrap();
	assert_eq!(again.account_id(), first.account_id());
	assert_eq!(again.x25519_public(), first.x25519_public());

	// The TPM power-cycles: PCRs reset to the same values, the keys unseal.
	tpm.restart();
	let after = WorkerKeys::load(&data, &protection(TpmMode::Required, &tpm.tcti())).unwrap();
	assert_eq!(after.account_id(), first.account_id());
	assert_eq!(after.x25519_public(), first.x25519_public());
	assert_eq!(
		fs::read_to_string(data.join(SEALED_FILE)).unwrap(),
		sealed,
		"loading never rewrites the sealed file"
	);

	// Another identity on the same TPM is another key.
	let other =
		WorkerKeys::load(&dir.join("other"), &protection(TpmMode::Auto, &tpm.tcti())).unwrap();
	assert_ne!(other.account_id(), first.account_id());
	let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_pcr_makes_the_worker_refuse_and_keeps_its_identity() {
	let dir = temp_dir("pcr");
	let mut tpm = Swtpm::start(&dir.join("tpm"));
	let data = dir.join("data");
	let first = WorkerKeys::load(&data, &protection(TpmMode::Auto, &tpm.tcti())).unwrap();
	let sealed = fs::read(data.join(SEALED_FILE)).unwrap();

	tpm.extend_pcr9();
	for mode in [TpmMode::Auto, TpmMode::Required] {
		let err = WorkerKeys::load(&data, &protection(mode, &tpm.tcti())).unwrap_err();
		assert!(
			matches!(
				&err,
				KeyError::Unseal {
					source: TpmError::PcrMismatch(_),
					..
				}
			),
			"{err}"
		);
		let message = err.to_string();
		assert!(
			message.contains("PCRs 4+7+9 differ") && message.contains("Refusing to start"),
			"{message}"
		);
	}
	assert_eq!(files(&data), [SEALED_FILE], "no new identity was created");
	assert_eq!(fs::read(data.join(SEALED_FILE)).unwrap(), sealed);

	// The binary refuses too, with the reason, before it connects anywhere.
	let out = Command::new(env!("CARGO_BIN_EXE_tee-worker"))
		.args([
			"--tee",
			"mock",
			"--node",
			"ws://127.0.0.1:1",
			"--api",
			"127.0.0.1:0",
		])
		.args(["--tpm", "auto", "--tpm-tcti", &tpm.tcti(), "--data-dir"])
		.arg(&data)
		.output()
		.unwrap();
	let log = format!(
		"{}{}",
		String::from_utf8_lossy(&out.stdout),
		String::from_utf8_lossy(&out.stderr)
	);
	assert_eq!(out.status.code(), Some(1), "{log}");
	assert!(
		log.contains("the TPM refuses to unseal") && log.contains("Refusing to start"),
		"{log}"
	);
	assert_eq!(files(&data), [SEALED_FILE]);

	// Back to the PCR values it was sealed under (a reboot into the same system): it opens.
	tpm.restart();
	let back = WorkerKeys::load(&data, &protection(TpmMode::Auto, &tpm.tcti())).unwrap();
	assert_eq!(back.account_id(), first.account_id());
	let _ = fs::remove_dir_all(&dir);
}

#[test]
fn keys_sealed_by_another_tpm_or_a_missing_tpm_are_refused() {
	let dir = temp_dir("other-tpm");
	let tpm = Swtpm::start(&dir.join("tpm-a"));
	let data = dir.join("data");
	WorkerKeys::load(&data, &protection(TpmMode::Required, &tpm.tcti())).unwrap();
	drop(tpm);

	// The same file on another machine's TPM: fixedTPM, the object does not load.
	let other = Swtpm::start(&dir.join("tpm-b"));
	let err = WorkerKeys::load(&data, &protection(TpmMode::Auto, &other.tcti())).unwrap_err();
	assert!(
		matches!(
			&err,
			KeyError::Unseal {
				source: TpmError::Tpm(_, _),
				..
			}
		),
		"{err}"
	);
	// No TPM at all: refused, not replaced by plain keys.
	let err = WorkerKeys::load(&data, &protection(TpmMode::Auto, NO_TPM)).unwrap_err();
	assert!(
		matches!(
			&err,
			KeyError::Unseal {
				source: TpmError::Open { .. },
				..
			}
		),
		"{err}"
	);
	assert_eq!(files(&data), [SEALED_FILE]);
	let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_mode_decides_how_a_new_identity_is_stored_and_what_is_accepted() {
	let dir = temp_dir("modes");
	let tpm = Swtpm::start(&dir.join("tpm"));

	// A missing TPM device is recognised before the TSS library is asked.
	let err = WorkerKeys::load(
		&dir.join("nodev"),
		&protection(TpmMode::Required, "device:/dev/no-such-tpm"),
	)
	.unwrap_err();
	assert!(
		matches!(&err, KeyError::NoTpm(TpmError::NoDevice(p)) if p == "/dev/no-such-tpm"),
		"{err}"
	);

	// required without a TPM: no identity at all.
	let none = dir.join("none");
	let err = WorkerKeys::load(&none, &protection(TpmMode::Required, NO_TPM)).unwrap_err();
	assert!(matches!(err, KeyError::NoTpm(_)), "{err}");
	assert!(files(&none).is_empty(), "{:?}", files(&none));

	// auto without a TPM: plain files; with one: sealed.
	let plain = dir.join("plain");
	let keys = WorkerKeys::load(&plain, &protection(TpmMode::Auto, NO_TPM)).unwrap();
	assert_eq!(keys.storage(), &KeyStorage::Plain);
	assert_eq!(files(&plain), ["account.key", "x25519.key"]);
	let sealed = dir.join("sealed");
	let keys = WorkerKeys::load(&sealed, &protection(TpmMode::Auto, &tpm.tcti())).unwrap();
	assert!(matches!(keys.storage(), KeyStorage::TpmSealed(_)));

	// Existing plain keys stay plain under auto even with a TPM (same identity) ...
	let before = WorkerKeys::load_or_generate(&plain).unwrap().account_id();
	let keys = WorkerKeys::load(&plain, &protection(TpmMode::Auto, &tpm.tcti())).unwrap();
	assert_eq!(keys.account_id(), before);
	assert_eq!(keys.storage(), &KeyStorage::Plain);
	// ... and are refused under required.
	let err = WorkerKeys::load(&plain, &protection(TpmMode::Required, &tpm.tcti())).unwrap_err();
	assert!(
		matches!(&err, KeyError::Conflict(m) if m.contains("plain files")),
		"{err}"
	);
	// Sealed keys are refused under off.
	let err = WorkerKeys::load(&sealed, &protection(TpmMode::Off, NO_TPM)).unwrap_err();
	assert!(
		matches!(&err, KeyError::Conflict(m) if m.contains("tpm = off")),
		"{err}"
	);
	// Both kinds at once: ambiguous, refused.
	fs::copy(plain.join("account.key"), sealed.join("account.key")).unwrap();
	let err = WorkerKeys::load(&sealed, &protection(TpmMode::Auto, &tpm.tcti())).unwrap_err();
	assert!(
		matches!(&err, KeyError::Conflict(m) if m.contains("both exist")),
		"{err}"
	);
	fs::remove_file(sealed.join("account.key")).unwrap();

	// A damaged sealed file is an error, left in place.
	let path = sealed.join(SEALED_FILE);
	let good = fs::read_to_string(&path).unwrap();
	for bad in [
		"not json".to_string(),
		good.replace("tee-worker-sealed-keys/1", "tee-worker-sealed-keys/9"),
		good.replace("\"private\": \"", "\"private\": \"zz"),
		good.replace("[\n    4,", "[\n    24,"),
	] {
		fs::write(&path, &bad).unwrap();
		let err = WorkerKeys::load(&sealed, &protection(TpmMode::Auto, &tpm.tcti())).unwrap_err();
		assert!(
			matches!(
				&err,
				KeyError::SealedFile(..)
					| KeyError::Unseal {
						source: TpmError::Format(_),
						..
					}
			),
			"{bad}: {err}"
		);
		assert_eq!(fs::read_to_string(&path).unwrap(), bad);
	}
	fs::write(&path, &good).unwrap();
	WorkerKeys::load(&sealed, &protection(TpmMode::Auto, &tpm.tcti())).unwrap();
	let _ = fs::remove_dir_all(&dir);
}
