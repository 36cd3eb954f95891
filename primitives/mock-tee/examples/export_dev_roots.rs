//! Write the dev chain's mock roots of trust to a directory, for genesis and for inspection
//! with openssl:
//!
//! ```text
//! cargo run -p mock-tee --example export_dev_roots -- OUT_DIR [SEED]
//! ```
//!
//! Writes `intel_root_ca.der`, `{ark,ask,asvk}_{milan,genoa,turin}.der` and
//! `trust_anchors.scale.hex` (the SCALE encoding of `tee_verifier::TrustAnchors`, hex). The
//! default seed is `mock_tee::DEV_SEED`. These roots are public and INSECURE.

use std::{path::PathBuf, process::ExitCode};

use codec::Encode;
use mock_tee::{AmdProduct, DevRoots, DEV_SEED};

fn try_main() -> Result<(), String> {
	let mut args = std::env::args().skip(1);
	let out = PathBuf::from(
		args.next()
			.ok_or("usage: export_dev_roots OUT_DIR [SEED]")?,
	);
	let seed = args
		.next()
		.map(String::into_bytes)
		.unwrap_or_else(|| DEV_SEED.to_vec());
	let roots = DevRoots::from_seed(&seed).map_err(|e| e.to_string())?;
	std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
	let write = |name: &str, bytes: &[u8]| {
		let path = out.join(name);
		std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
	};
	write("intel_root_ca.der", roots.intel_root_ca_der())?;
	for product in AmdProduct::ALL {
		let certs = roots.amd_roots(product).map_err(|e| e.to_string())?;
		let p = product.name().to_lowercase();
		write(&format!("ark_{p}.der"), &certs.ark)?;
		write(&format!("ask_{p}.der"), &certs.ask)?;
		write(&format!("asvk_{p}.der"), &certs.asvk)?;
	}
	let anchors = roots.trust_anchors().map_err(|e| e.to_string())?;
	write(
		"trust_anchors.scale.hex",
		hex::encode(anchors.encode()).as_bytes(),
	)?;
	eprintln!("wrote the mock roots to {}", out.display());
	Ok(())
}

fn main() -> ExitCode {
	match try_main() {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("export_dev_roots: {e}");
			ExitCode::FAILURE
		}
	}
}
