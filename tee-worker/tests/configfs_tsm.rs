//! The configfs-tsm provider against a fake `/sys/kernel/config/tsm/report` tree whose
//! `outblob` (and SNP `auxblob`) hold mock-tee evidence, as the kernel would present it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{fs, path::PathBuf};

use clap::Parser;
use sev::firmware::host::{CertTableEntry, CertType};
use tee_verifier::{Evidence, Tee};
use tee_worker::{
	config::{Cli, Config, FileConfig, TeeKind},
	evidence::{self, ConfigfsTsm, EvidenceError, EvidenceProvider, TSM_ENTRY},
};

fn fake_tree(name: &str, provider: &str) -> (PathBuf, PathBuf) {
	let root = std::env::temp_dir().join(format!("fake-tsm-{name}-{}", std::process::id()));
	let _ = fs::remove_dir_all(&root);
	let entry = root.join(TSM_ENTRY);
	fs::create_dir_all(&entry).unwrap();
	fs::write(entry.join("provider"), format!("{provider}\n")).unwrap();
	fs::write(entry.join("generation"), "7\n").unwrap();
	(root, entry)
}

fn roots() -> mock_tee::DevRoots {
	mock_tee::DevRoots::dev().unwrap()
}

#[test]
fn tdx_quote_from_outblob() {
	let (root, entry) = fake_tree("tdx", "tdx_guest");
	let report_data = [0x5a; 64];
	let minted = roots()
		.mint_dev_image_evidence(Tee::Tdx, report_data)
		.unwrap();
	let Evidence::Tdx { quote } = &minted else {
		panic!("tdx evidence")
	};
	fs::write(entry.join("outblob"), quote.as_slice()).unwrap();

	let tsm = ConfigfsTsm::open(&root).unwrap();
	assert_eq!(tsm.tee(), Tee::Tdx);
	assert_eq!(tsm.name(), "configfs-tsm");
	let evidence = tsm.evidence(report_data).unwrap();
	assert_eq!(evidence, minted);
	assert_eq!(
		fs::read(entry.join("inblob")).unwrap(),
		report_data.to_vec(),
		"the request's REPORT_DATA was written to inblob"
	);

	// The outblob answers another request: refused, never submitted.
	let err = tsm.evidence([0x11; 64]).unwrap_err();
	assert!(matches!(err, EvidenceError::ReportDataMismatch), "{err}");

	// Garbage in outblob: a parse error naming the provider.
	fs::write(entry.join("outblob"), b"not a quote").unwrap();
	let err = tsm.evidence(report_data).unwrap_err();
	assert!(
		matches!(
			err,
			EvidenceError::Malformed {
				provider: "configfs-tsm",
				..
			}
		),
		"{err}"
	);
	let _ = fs::remove_dir_all(&root);
}

#[test]
fn snp_report_and_vcek_from_outblob_and_auxblob() {
	let (root, entry) = fake_tree("snp", "sev_guest");
	let report_data = [0xa5; 64];
	let minted = roots()
		.mint_dev_image_evidence(Tee::Snp, report_data)
		.unwrap();
	let Evidence::Snp { report, vek_der } = &minted else {
		panic!("snp evidence")
	};
	fs::write(entry.join("outblob"), report.as_slice()).unwrap();
	let table = vec![
		CertTableEntry::new(CertType::ASK, vec![1, 2, 3]),
		CertTableEntry::new(CertType::VCEK, vek_der.to_vec()),
	];
	fs::write(
		entry.join("auxblob"),
		CertTableEntry::cert_table_to_vec_bytes(&table).unwrap(),
	)
	.unwrap();

	let tsm = ConfigfsTsm::open(&root).unwrap();
	assert_eq!(tsm.tee(), Tee::Snp);
	assert_eq!(tsm.evidence(report_data).unwrap(), minted);

	// No certificate table from the host: a clear error.
	fs::write(entry.join("auxblob"), b"").unwrap();
	let err = tsm.evidence(report_data).unwrap_err();
	assert!(matches!(err, EvidenceError::NoVek("configfs-tsm")), "{err}");
	let _ = fs::remove_dir_all(&root);
}

#[test]
fn broken_trees_are_clear_errors() {
	let (root, entry) = fake_tree("broken", "sgx_guest");
	let err = ConfigfsTsm::open(&root).err().unwrap();
	assert!(
		matches!(err, EvidenceError::UnknownTsmProvider(ref p) if p == "sgx_guest"),
		"{err}"
	);

	fs::write(entry.join("provider"), "tdx_guest").unwrap();
	fs::write(entry.join("generation"), "many").unwrap();
	let tsm = ConfigfsTsm::open(&root).unwrap();
	let err = tsm.evidence([0; 64]).unwrap_err();
	assert!(err.to_string().contains("generation"), "{err}");

	// No provider file at all (not a configfs-tsm directory).
	fs::remove_file(entry.join("provider")).unwrap();
	let err = ConfigfsTsm::open(&root).err().unwrap();
	assert!(matches!(err, EvidenceError::Configfs { .. }), "{err}");
	let _ = fs::remove_dir_all(&root);
}

#[test]
fn auto_and_explicit_selection_use_the_configured_tree() {
	let (root, entry) = fake_tree("select", "sev_guest");
	let config = |tee: &str| {
		let args = [
			"tee-worker",
			"--tee",
			tee,
			"--configfs-tsm",
			root.to_str().unwrap(),
		];
		let cli = Cli::try_parse_from(args).unwrap();
		Config::resolve(cli, FileConfig::default()).unwrap()
	};
	let auto = evidence::select(&config("auto")).unwrap();
	assert_eq!((auto.name(), auto.tee()), ("configfs-tsm", Tee::Snp));
	let snp = evidence::select(&config("snp")).unwrap();
	assert_eq!(snp.tee(), Tee::Snp);
	let err = evidence::select(&config("tdx")).err().unwrap().to_string();
	assert!(
		err.contains("--tee tdx: configfs-tsm is served by snp"),
		"{err}"
	);
	assert_eq!(config("mock").tee, TeeKind::Mock);
	let _ = fs::remove_dir_all(&entry);
	let _ = fs::remove_dir_all(&root);
}
