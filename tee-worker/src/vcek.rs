//! SEV-SNP without a certificate table: when the host supplies no VCEK with the report (no
//! configfs-tsm `auxblob`, no extended-report table), the worker fetches its chip's VCEK for
//! the reported TCB from AMD's KDS, verifies it against the chain's ARK/ASK (and that it
//! signed this very report) before using it, and caches it in its data directory. A VLEK
//! cannot be fetched by chip: a VLEK-signed report without a table stays an error.

use std::{
	path::{Path, PathBuf},
	sync::{Arc, RwLock},
};

use collateral_fetch::{kds::Kds, FetchError, Http, HttpConfig};
use tee_verifier::{
	snp::{unverified_vcek_lookup, VcekLookup},
	Evidence, SnpCollateral, SnpProduct, SnpTcb, Tee, TrustAnchors,
};

use crate::evidence::{snp_evidence, EvidenceError, EvidenceProvider};

/// The chain's trust anchors as the worker last read them (set by the chain client before each
/// submission; `None` until then).
pub type ChainAnchors = Arc<RwLock<Option<TrustAnchors>>>;

/// An SNP provider whose missing VCEK comes from KDS.
pub struct KdsVcek {
	inner: Box<dyn EvidenceProvider>,
	kds: String,
	cache: PathBuf,
	anchors: ChainAnchors,
	http: Http,
}

/// `provider`, completed with VCEKs from `kds` when it is a real SNP provider (the mock mints
/// its own certificates); VCEKs are cached under `data_dir/vcek`.
pub fn with_kds(
	provider: Box<dyn EvidenceProvider>,
	kds: &str,
	data_dir: &Path,
	anchors: ChainAnchors,
) -> Box<dyn EvidenceProvider> {
	if provider.tee() != Tee::Snp || provider.name() == "mock" {
		return provider;
	}
	Box::new(KdsVcek {
		inner: provider,
		kds: kds.trim_end_matches('/').to_string(),
		cache: data_dir.join("vcek"),
		anchors,
		http: Http::new(HttpConfig::default()),
	})
}

impl KdsVcek {
	fn err(&self, provider: &'static str, message: impl Into<String>) -> EvidenceError {
		EvidenceError::Vcek {
			provider,
			kds: self.kds.clone(),
			message: message.into(),
		}
	}

	/// The cache file of a chip's VCEK at a TCB.
	fn cache_file(&self, product: SnpProduct, lookup: &VcekLookup) -> PathBuf {
		self.cache.join(format!(
			"{}-{}-{:016x}.der",
			product.name(),
			hex::encode(lookup.chip_id),
			lookup.reported_tcb
		))
	}

	/// The VCEK that signed `report`: cached, or from KDS; verified either way.
	async fn vcek(&self, provider: &'static str, report: &[u8]) -> Result<Vec<u8>, EvidenceError> {
		let lookup = unverified_vcek_lookup(report)
			.map_err(|e| self.err(provider, format!("the report: {e}")))?;
		if !lookup.vcek_signed {
			return Err(self.err(
				provider,
				"the report is signed by a VLEK, which KDS does not serve by chip: the host must \
				 supply its certificate table",
			));
		}
		let anchors = self
			.anchors
			.read()
			.map_err(|_| self.err(provider, "the chain's roots are unavailable"))?
			.clone()
			.ok_or_else(|| self.err(provider, "the chain's trust anchors are not known yet"))?;
		let verifies = |der: &[u8]| {
			tee_verifier::snp::verify_report(
				report,
				der,
				&anchors,
				&SnpCollateral::default(),
				crate::status::unix_now(),
			)
		};
		// The report names its product from version 3 on; older ones: every trusted product.
		let products: Vec<SnpProduct> = match lookup.product {
			Some(p) => vec![p],
			None => anchors.amd.iter().map(|a| a.product).collect(),
		};
		let kds = Kds::new(&self.http, &self.kds);
		let mut last = None;
		for product in products {
			let file = self.cache_file(product, &lookup);
			if let Ok(der) = std::fs::read(&file) {
				if verifies(&der).is_ok() {
					return Ok(der);
				}
				tracing::warn!(file = %file.display(), "cached VCEK no longer verifies; fetching again");
			}
			let tcb = SnpTcb::decode_for(product, lookup.reported_tcb);
			match kds.vcek(product, &lookup.chip_id, &tcb).await {
				Ok(der) => match verifies(&der) {
					Ok(_) => {
						if let Err(e) = std::fs::create_dir_all(&self.cache)
							.and_then(|()| std::fs::write(&file, &der))
						{
							tracing::warn!(file = %file.display(), "cannot cache the VCEK: {e}");
						}
						tracing::info!(
							product = product.name(),
							"VCEK fetched from KDS and verified"
						);
						return Ok(der);
					}
					Err(e) => {
						return Err(self.err(
							provider,
							format!(
								"the {} VCEK KDS served does not verify this report: {e}",
								product.name()
							),
						))
					}
				},
				Err(e @ FetchError::NotFound { .. }) => last = Some(e.to_string()),
				Err(e) => return Err(self.err(provider, format!("cannot reach KDS: {e}"))),
			}
		}
		Err(self.err(
			provider,
			last.unwrap_or_else(|| "the chain trusts no AMD product".into()),
		))
	}
}

impl EvidenceProvider for KdsVcek {
	fn tee(&self) -> Tee {
		self.inner.tee()
	}
	fn name(&self) -> &'static str {
		self.inner.name()
	}
	fn evidence(&self, report_data: [u8; 64]) -> Result<Evidence, EvidenceError> {
		match self.inner.evidence(report_data) {
			Err(EvidenceError::NoVek { provider, report }) => {
				// Called from blocking threads (the chain client and the API use
				// spawn_blocking); a caller outside any runtime gets a small one.
				let vek = match tokio::runtime::Handle::try_current() {
					Ok(handle) => handle.block_on(self.vcek(provider, &report)),
					Err(_) => tokio::runtime::Builder::new_current_thread()
						.enable_all()
						.build()
						.map_err(|e| self.err(provider, e.to_string()))?
						.block_on(self.vcek(provider, &report)),
				}?;
				snp_evidence(provider, report, vek)
			}
			other => other,
		}
	}
}
