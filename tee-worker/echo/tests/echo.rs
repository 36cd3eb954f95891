//! The signing echo service: every response verifies under the service key, many clients at
//! once, bad input handled per connection, keys persisted and guarded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
	fs,
	os::unix::fs::PermissionsExt,
	path::PathBuf,
	process::Command,
	sync::Arc,
	time::{Duration, Instant},
};

use k256::ecdsa::SigningKey;
use tee_echo::{sign, CheckError, SignedResponse};
use tokio::{
	io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
	net::{TcpListener, TcpStream},
};

fn temp_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("tee-echo-{name}-{}", std::process::id()));
	let _ = fs::remove_dir_all(&dir);
	fs::create_dir_all(&dir).unwrap();
	dir
}

fn test_key() -> SigningKey {
	SigningKey::from_slice(&[7u8; 32]).unwrap()
}

async fn start(max_line: usize) -> std::net::SocketAddr {
	let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
	let addr = listener.local_addr().unwrap();
	tokio::spawn(tee_echo::serve(listener, Arc::new(test_key()), max_line));
	addr
}

async fn read_json(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> serde_json::Value {
	let mut line = String::new();
	let n = tokio::time::timeout(Duration::from_secs(10), reader.read_line(&mut line))
		.await
		.expect("reply in time")
		.unwrap();
	assert!(n > 0, "connection closed before a reply");
	serde_json::from_str(&line).unwrap()
}

#[test]
fn signatures_verify_and_tampering_is_detected() {
	let key = test_key();
	let signed = sign(&key, "hello").unwrap();
	signed.check().unwrap();
	assert_eq!(
		signed.sha256,
		"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	);
	assert_eq!(signed.public_key, tee_echo::public_key_hex(&key));

	let tampered = SignedResponse {
		response: "hellO".into(),
		..signed.clone()
	};
	assert_eq!(tampered.check(), Err(CheckError::HashMismatch));

	let mut sig = hex::decode(&signed.signature).unwrap();
	sig[10] ^= 1;
	let bad_sig = SignedResponse {
		signature: hex::encode(sig),
		..signed.clone()
	};
	assert!(matches!(
		bad_sig.check(),
		Err(CheckError::BadSignature | CheckError::Malformed(_))
	));

	let other = SigningKey::from_slice(&[9u8; 32]).unwrap();
	let wrong_key = SignedResponse {
		public_key: tee_echo::public_key_hex(&other),
		..signed
	};
	assert_eq!(wrong_key.check(), Err(CheckError::BadSignature));
}

#[test]
fn signatures_are_low_s() {
	let key = test_key();
	for i in 0..200 {
		let signed = sign(&key, &format!("message {i}")).unwrap();
		let sig =
			k256::ecdsa::Signature::from_slice(&hex::decode(&signed.signature).unwrap()).unwrap();
		assert!(sig.normalize_s().is_none(), "high s for message {i}");
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_clients_each_get_their_own_signed_lines() {
	let addr = start(tee_echo::DEFAULT_MAX_LINE).await;
	let clients = 64;
	let lines = 25;
	let start_time = Instant::now();
	let mut tasks = Vec::new();
	for c in 0..clients {
		tasks.push(tokio::spawn(async move {
			let stream = TcpStream::connect(addr).await.unwrap();
			let (read, mut write) = stream.into_split();
			let mut reader = BufReader::new(read);
			// Send everything in one write (batched lines), then read all replies.
			let batch: String = (0..lines)
				.map(|i| format!("client {c} line {i}\n"))
				.collect();
			write.write_all(batch.as_bytes()).await.unwrap();
			for i in 0..lines {
				let reply: SignedResponse =
					serde_json::from_value(read_json(&mut reader).await).unwrap();
				assert_eq!(reply.response, format!("client {c} line {i}"));
				reply.check().unwrap();
			}
		}));
	}
	for task in tasks {
		task.await.unwrap();
	}
	eprintln!(
		"{} signed round trips over {clients} connections in {:?}",
		clients * lines,
		start_time.elapsed()
	);
}

#[tokio::test]
async fn bad_lines_are_answered_with_errors_and_others_keep_working() {
	let addr = start(16).await;
	// A line that is not UTF-8: an error, then the connection goes on.
	let (read, mut write) = TcpStream::connect(addr).await.unwrap().into_split();
	let mut reader = BufReader::new(read);
	write.write_all(b"\xff\xfe\n").await.unwrap();
	let reply = read_json(&mut reader).await;
	assert_eq!(reply["error"], "line is not UTF-8");
	write.write_all(b"crlf ok\r\n").await.unwrap();
	let reply: SignedResponse = serde_json::from_value(read_json(&mut reader).await).unwrap();
	assert_eq!(reply.response, "crlf ok");

	// An over-long line: an error, then that connection is closed.
	write.write_all(&[b'a'; 40]).await.unwrap();
	write.write_all(b"\n").await.unwrap();
	let reply = read_json(&mut reader).await;
	assert!(
		reply["error"].as_str().unwrap().contains("longer than 16"),
		"{reply}"
	);
	let mut rest = String::new();
	let n = tokio::time::timeout(Duration::from_secs(5), reader.read_line(&mut rest))
		.await
		.unwrap()
		.unwrap_or(0);
	assert_eq!(n, 0, "closed after the over-long line");

	// A client that disconnects mid-line does not disturb a new one.
	let mut abrupt = TcpStream::connect(addr).await.unwrap();
	abrupt.write_all(b"half a li").await.unwrap();
	drop(abrupt);
	let (read, mut write) = TcpStream::connect(addr).await.unwrap().into_split();
	let mut reader = BufReader::new(read);
	write.write_all(b"still here\n").await.unwrap();
	let reply: SignedResponse = serde_json::from_value(read_json(&mut reader).await).unwrap();
	assert_eq!(reply.response, "still here");
	reply.check().unwrap();
}

#[test]
fn key_file_is_created_private_reused_and_guarded() {
	let dir = temp_dir("keys");
	let path = dir.join("echo.key");
	let bin = env!("CARGO_BIN_EXE_tee-echo");
	let pubkey = |expect_ok: bool| {
		let out = Command::new(bin)
			.args(["--print-pubkey", "--key"])
			.arg(&path)
			.output()
			.unwrap();
		assert_eq!(out.status.success(), expect_ok, "{out:?}");
		(
			String::from_utf8(out.stdout).unwrap(),
			String::from_utf8(out.stderr).unwrap(),
		)
	};
	let (first, _) = pubkey(true);
	assert_eq!(first.trim().len(), 66, "{first}");
	assert_eq!(
		fs::metadata(&path).unwrap().permissions().mode() & 0o777,
		0o600
	);
	let (again, _) = pubkey(true);
	assert_eq!(first, again, "the key is reused, not regenerated");

	fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
	let (_, err) = pubkey(false);
	assert!(err.contains("mode 644"), "{err}");

	fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
	fs::write(&path, "zz").unwrap();
	let (_, err) = pubkey(false);
	assert!(err.contains("not a secp256k1 secret key"), "{err}");
	assert_eq!(
		fs::read(&path).unwrap(),
		b"zz",
		"a bad key is never replaced"
	);
	let _ = fs::remove_dir_all(&dir);
}

#[test]
fn binary_serves_signed_lines() {
	let dir = temp_dir("bin");
	let key = dir.join("echo.key");
	let port = std::net::TcpListener::bind("127.0.0.1:0")
		.unwrap()
		.local_addr()
		.unwrap()
		.port();
	let pubkey_out = dir.join("public-key");
	let mut child = Command::new(env!("CARGO_BIN_EXE_tee-echo"))
		.arg("--key")
		.arg(&key)
		.arg("--pubkey-out")
		.arg(&pubkey_out)
		.args(["--listen", &format!("127.0.0.1:{port}")])
		.stderr(std::process::Stdio::null())
		.spawn()
		.unwrap();
	let deadline = Instant::now() + Duration::from_secs(20);
	let stream = loop {
		match std::net::TcpStream::connect(("127.0.0.1", port)) {
			Ok(s) => break s,
			Err(e) => {
				assert!(Instant::now() < deadline, "tee-echo did not listen: {e}");
				std::thread::sleep(Duration::from_millis(50));
			}
		}
	};
	use std::io::{BufRead, Write};
	stream
		.set_read_timeout(Some(Duration::from_secs(10)))
		.unwrap();
	let mut writer = stream.try_clone().unwrap();
	writer.write_all(b"ping\n").unwrap();
	let mut line = String::new();
	std::io::BufReader::new(stream)
		.read_line(&mut line)
		.unwrap();
	let reply: SignedResponse = serde_json::from_str(&line).unwrap();
	assert_eq!(reply.response, "ping");
	reply.check().unwrap();
	let printed = Command::new(env!("CARGO_BIN_EXE_tee-echo"))
		.args(["--print-pubkey", "--key"])
		.arg(&key)
		.output()
		.unwrap();
	assert_eq!(
		String::from_utf8(printed.stdout).unwrap().trim(),
		reply.public_key
	);
	assert_eq!(
		fs::read_to_string(&pubkey_out).unwrap().trim(),
		reply.public_key,
		"--pubkey-out wrote the same key"
	);
	// Publishing without serving (what the NixOS unit's ExecStartPre does, so the key file
	// exists before units ordered after it start).
	let published = pubkey_out.with_file_name("published.pub");
	let out = Command::new(env!("CARGO_BIN_EXE_tee-echo"))
		.args(["--print-pubkey", "--key"])
		.arg(&key)
		.arg("--pubkey-out")
		.arg(&published)
		.output()
		.unwrap();
	assert!(out.status.success(), "{out:?}");
	assert_eq!(
		fs::read_to_string(&published).unwrap().trim(),
		reply.public_key
	);
	let _ = child.kill();
	let _ = child.wait();
	let _ = fs::remove_dir_all(&dir);
}
