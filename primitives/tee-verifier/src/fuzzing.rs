//! Entry points into the internal parsers, for the fuzz targets in `fuzz/` only.
//!
//! Compiled only with the `fuzzing` feature. Nothing here verifies anything: each function
//! runs one parser on untrusted bytes and reports whether it accepted them, so that a fuzzer
//! can reach the parsers directly instead of only through signature checks.

/// Parse bytes as an X.509 certificate and read the extensions the verifiers use.
pub fn certificate(der: &[u8]) -> bool {
	let Ok(cert) = crate::x509::Certificate::parse(der) else {
		return false;
	};
	let _ = cert.is_ca();
	let _ = cert.public_key();
	let _ = cert.extension(crate::asn1::oid::AMD_HW_ID);
	let _ = crate::tdx::fuzz_pck_extension(&cert);
	true
}

/// Parse bytes as a CRL and look up a serial number.
pub fn crl(der: &[u8]) -> bool {
	match crate::x509::Crl::parse(der) {
		Some(crl) => {
			let _ = crl.is_revoked(&[1]);
			true
		}
		None => false,
	}
}

/// Parse bytes as a PEM certificate chain.
pub fn pem_chain(pem: &[u8]) -> bool {
	crate::pem::certificates(pem, 4).is_some()
}

/// Parse bytes as a TDX quote.
pub fn quote(bytes: &[u8]) -> bool {
	crate::tdx::fuzz_quote(bytes)
}

/// Parse bytes as TCB Info and QE Identity JSON and run TCB matching on them.
pub fn collateral_json(json: &[u8]) -> bool {
	crate::tdx::fuzz_collateral_json(json)
}

/// Parse bytes as an SEV-SNP report.
pub fn snp_report(bytes: &[u8]) -> bool {
	crate::snp::fuzz_report(bytes)
}

/// Parse bytes as a TDX event log (with the chain's length bound), replay it, compare it with
/// zero registers and read its runtime events.
pub fn event_log(bytes: &[u8]) -> bool {
	let max = usize::try_from(crate::eventlog::MAX_EVENT_LOG_LEN).unwrap_or(usize::MAX);
	let Ok(log) = crate::eventlog::EventLog::parse(bytes, max) else {
		return false;
	};
	let _ = log.check(&[[0; 48]; 4]);
	let _ = log.measured_system();
	let _ = log.digest();
	log.runtime_events().count() < usize::MAX
}
