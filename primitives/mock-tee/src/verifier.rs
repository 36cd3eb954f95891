//! Conversions into `tee-verifier`'s types, and one-call minting of ready-to-verify evidence.

use tee_verifier::{
	AmdProductAnchors, BoundedBytes, Collateral, Evidence, SnpCollateral, SnpProduct, Tee,
	TrustAnchors,
};

use crate::{
	error::{Error, Result},
	AmdProduct, DevRoots, SnpReportParams, TdxCollateral, TdxQuoteParams, TdxTcbConfig,
};

fn bounded<const N: u32>(what: &'static str, bytes: Vec<u8>) -> Result<BoundedBytes<N>> {
	let len = bytes.len();
	BoundedBytes::<N>::try_from(bytes).map_err(|_| Error::Verifier {
		what,
		detail: format!("{len} bytes exceed the bound {N}"),
	})
}

fn signature64(what: &'static str, bytes: &[u8]) -> Result<[u8; 64]> {
	<[u8; 64]>::try_from(bytes).map_err(|_| Error::Verifier {
		what,
		detail: format!("signature is {} bytes, not 64", bytes.len()),
	})
}

impl AmdProduct {
	/// The same product in `tee-verifier`'s terms.
	pub fn to_verifier(self) -> SnpProduct {
		match self {
			AmdProduct::Milan => SnpProduct::Milan,
			AmdProduct::Genoa => SnpProduct::Genoa,
			AmdProduct::Turin => SnpProduct::Turin,
		}
	}
}

impl TdxCollateral {
	/// This collateral as `tee-verifier`'s [`tee_verifier::TdxCollateral`].
	pub fn to_verifier(&self) -> Result<tee_verifier::TdxCollateral> {
		Ok(tee_verifier::TdxCollateral {
			pck_crl_issuer_chain: bounded(
				"pck_crl_issuer_chain",
				self.pck_crl_issuer_chain.clone().into_bytes(),
			)?,
			root_ca_crl: bounded("root_ca_crl", self.root_ca_crl.clone())?,
			pck_crl: bounded("pck_crl", self.pck_crl.clone())?,
			tcb_info_issuer_chain: bounded(
				"tcb_info_issuer_chain",
				self.tcb_info_issuer_chain.clone().into_bytes(),
			)?,
			tcb_info: bounded("tcb_info", self.tcb_info.clone().into_bytes())?,
			tcb_info_signature: signature64("tcb_info_signature", &self.tcb_info_signature)?,
			qe_identity_issuer_chain: bounded(
				"qe_identity_issuer_chain",
				self.qe_identity_issuer_chain.clone().into_bytes(),
			)?,
			qe_identity: bounded("qe_identity", self.qe_identity.clone().into_bytes())?,
			qe_identity_signature: signature64(
				"qe_identity_signature",
				&self.qe_identity_signature,
			)?,
		})
	}

	/// This collateral wrapped as [`Collateral::Tdx`], ready for `tee_verifier::verify`.
	pub fn to_collateral(&self) -> Result<Collateral> {
		Ok(Collateral::Tdx(self.to_verifier()?))
	}
}

/// TDX evidence from a raw quote.
pub fn tdx_evidence(quote: Vec<u8>) -> Result<Evidence> {
	Ok(Evidence::Tdx {
		quote: bounded("quote", quote)?,
	})
}

/// SNP evidence from a raw report and the DER of its VCEK/VLEK.
pub fn snp_evidence(report: Vec<u8>, vek_der: Vec<u8>) -> Result<Evidence> {
	Ok(Evidence::Snp {
		report: bounded("report", report)?,
		vek_der: bounded("vek_der", vek_der)?,
	})
}

impl DevRoots {
	/// The trust anchors under which everything these roots mint verifies: the mock Intel root
	/// and the ARK/ASK/ASVK of every product (this generates all nine RSA keys on first use).
	///
	/// This is what a dev chain's genesis holds instead of Intel's and AMD's roots.
	pub fn trust_anchors(&self) -> Result<TrustAnchors> {
		self.trust_anchors_for(&AmdProduct::ALL)
	}

	/// Like [`DevRoots::trust_anchors`] with only some AMD products (cheaper to build).
	pub fn trust_anchors_for(&self, products: &[AmdProduct]) -> Result<TrustAnchors> {
		let amd = products
			.iter()
			.map(|p| {
				let certs = self.amd_roots(*p)?;
				Ok(AmdProductAnchors {
					product: p.to_verifier(),
					ark: bounded("ark", certs.ark)?,
					ask: Some(bounded("ask", certs.ask)?),
					asvk: Some(bounded("asvk", certs.asvk)?),
				})
			})
			.collect::<Result<Vec<_>>>()?;
		let amd_len = amd.len();
		Ok(TrustAnchors {
			intel_root_ca: Some(bounded("intel_root_ca", self.intel_root_ca_der().to_vec())?),
			amd: amd.try_into().map_err(|_| Error::Verifier {
				what: "TrustAnchors",
				detail: format!("{amd_len} AMD products exceed the bound"),
			})?,
		})
	}

	/// Mint a TDX quote as [`Evidence::Tdx`].
	pub fn mint_tdx_evidence(&self, params: &TdxQuoteParams) -> Result<Evidence> {
		tdx_evidence(self.mint_tdx_quote(params)?)
	}

	/// Mint a quote of the dev image whose RTMRs are what `log` (a TCG event log, e.g.
	/// [`crate::dev_image::event_log`]) replays to, as [`Evidence::TdxWithEventLog`]: like
	/// hardware, the mock signs whatever the guest extended. Fails on a log that does not parse.
	pub fn mint_tdx_evidence_with_log(
		&self,
		log: Vec<u8>,
		report_data: [u8; 64],
	) -> Result<Evidence> {
		self.mint_tdx_evidence_on(&crate::TdxPlatform::default(), log, report_data)
	}

	/// [`Self::mint_tdx_evidence_with_log`] from the machine `platform` (its own PPID, PCK key
	/// and certificate).
	pub fn mint_tdx_evidence_on(
		&self,
		platform: &crate::TdxPlatform,
		log: Vec<u8>,
		report_data: [u8; 64],
	) -> Result<Evidence> {
		let max = usize::try_from(tee_verifier::eventlog::MAX_EVENT_LOG_LEN).unwrap_or(usize::MAX);
		let rtmr = tee_verifier::EventLog::parse(&log, max)
			.map_err(|e| Error::Verifier {
				what: "event log",
				detail: e.to_string(),
			})?
			.replay();
		let quote = self.mint_tdx_quote(&TdxQuoteParams {
			mr_td: crate::dev_image::mrtd(),
			rtmr,
			report_data,
			platform: platform.clone(),
			..Default::default()
		})?;
		Ok(Evidence::TdxWithEventLog {
			quote: bounded("quote", quote)?,
			event_log: bounded("event_log", log)?,
		})
	}

	/// Mint an SNP report and its VCEK/VLEK as [`Evidence::Snp`].
	pub fn mint_snp_evidence(&self, params: &SnpReportParams) -> Result<Evidence> {
		let (report, vek) = self.mint_snp_report(params)?;
		snp_evidence(report, vek)
	}

	/// Mint default, policy-passing evidence for `tee` whose REPORT_DATA is `report_data` (for
	/// example `tee_verifier::binding::report_data(&claims)`): a non-debug TD on an UpToDate
	/// platform, or a Milan VMPL-0 guest signed by its VCEK.
	pub fn mint_evidence(&self, tee: Tee, report_data: [u8; 64]) -> Result<Evidence> {
		match tee {
			Tee::Tdx => self.mint_tdx_evidence(&TdxQuoteParams {
				report_data,
				..Default::default()
			}),
			Tee::Snp => self.mint_snp_evidence(&SnpReportParams {
				report_data,
				..SnpReportParams::new(AmdProduct::Milan)
			}),
		}
	}

	/// Evidence from the dev image ([`crate::dev_image`] measurements) with `report_data`, its
	/// boot step having measured the dev system ([`crate::dev_image::SYSTEM_PATH`]) and no
	/// service: what a mock worker submits on the dev chain. TDX evidence is a v4 quote from
	/// [`TdxPlatform::default`](crate::TdxPlatform) with its event log; SNP a Milan VCEK report.
	pub fn mint_dev_image_evidence(&self, tee: Tee, report_data: [u8; 64]) -> Result<Evidence> {
		match tee {
			Tee::Tdx => {
				let log =
					crate::dev_image::event_log(crate::dev_image::SYSTEM_PATH.as_bytes(), &[])
						.ok_or(Error::Verifier {
							what: "event log",
							detail: "the dev system path is not a runtime-event field".into(),
						})?;
				self.mint_tdx_evidence_with_log(log, report_data)
			}
			Tee::Snp => self.mint_snp_evidence(&SnpReportParams {
				measurement: crate::dev_image::snp_measurement(),
				report_data,
				..SnpReportParams::new(AmdProduct::Milan)
			}),
		}
	}

	/// The collateral that makes [`DevRoots::mint_evidence`]'s evidence verify at `now`: TDX
	/// collateral from [`TdxTcbConfig::default`], or (SNP) no CRLs.
	pub fn default_collateral(&self, tee: Tee, now: u64) -> Result<Collateral> {
		match tee {
			Tee::Tdx => self
				.tdx_collateral(now, &TdxTcbConfig::default())?
				.to_collateral(),
			Tee::Snp => Ok(Collateral::Snp(SnpCollateral::default())),
		}
	}

	/// SNP collateral holding one CRL per listed product, each signed by that product's ARK
	/// and valid from `now - 1 day` for 30 days, revoking `revoked` serial numbers.
	pub fn snp_collateral(
		&self,
		products: &[AmdProduct],
		now: u64,
		revoked: &[Vec<u8>],
	) -> Result<Collateral> {
		let this_update = now.checked_sub(86_400).ok_or(Error::Time(now))?;
		let next_update = this_update
			.checked_add(30 * 86_400)
			.ok_or(Error::Time(this_update))?;
		let crls = products
			.iter()
			.map(|p| {
				bounded(
					"AMD CRL",
					self.amd_crl(*p, this_update, next_update, revoked)?,
				)
			})
			.collect::<Result<Vec<_>>>()?;
		let n = crls.len();
		Ok(Collateral::Snp(SnpCollateral {
			crls: crls.try_into().map_err(|_| Error::Verifier {
				what: "SnpCollateral",
				detail: format!("{n} CRLs exceed the bound"),
			})?,
		}))
	}
}
