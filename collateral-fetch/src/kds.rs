//! AMD SEV-SNP collateral from the Key Distribution Service: a product's certificate chain
//! (ASK or ASVK, then ARK), its VCEK and VLEK CRLs, and a chip's VCEK for a reported TCB.
//!
//! Paths (relative to the base URL): `/{vcek|vlek}/v1/{Milan|Genoa|Turin}/cert_chain` (PEM),
//! `/{vcek|vlek}/v1/{product}/crl` (DER) and
//! `/vcek/v1/{product}/{hwid}?blSPL=&teeSPL=&snpSPL=&ucodeSPL=` (DER; Turin also `fmcSPL=`,
//! and its hwid is the first 8 bytes of CHIP_ID).

use tee_verifier::{
	snp::VerifiedAmdCrl, SigningKeyKind, SnpCollateral, SnpProduct, SnpTcb, TrustAnchors,
};

use crate::{FetchError, Http};

/// A KDS endpoint.
pub struct Kds<'a> {
	http: &'a Http,
	base: String,
}

/// The path segment of a key kind.
fn kind_path(kind: SigningKeyKind) -> &'static str {
	match kind {
		SigningKeyKind::Vcek => "vcek",
		SigningKeyKind::Vlek => "vlek",
	}
}

impl<'a> Kds<'a> {
	/// The KDS at `base` (e.g. [`crate::AMD_KDS`]).
	pub fn new(http: &'a Http, base: &str) -> Self {
		Self {
			http,
			base: base.trim_end_matches('/').to_string(),
		}
	}

	/// The chain that issues `kind` keys of `product`: the ASK (VCEK) or ASVK (VLEK), then
	/// the ARK, as DER (not verified: see [`verify_chain`]).
	pub async fn cert_chain(
		&self,
		product: SnpProduct,
		kind: SigningKeyKind,
	) -> Result<Vec<Vec<u8>>, FetchError> {
		let url = format!(
			"{}/{}/v1/{}/cert_chain",
			self.base,
			kind_path(kind),
			product.name()
		);
		let response = self.http.get(&url).await?;
		let certs: Vec<Vec<u8>> = pem::parse_many(response.body.as_ref())
			.map_err(|e| response.malformed(format!("not PEM: {e}")))?
			.into_iter()
			.filter(|p| p.tag() == "CERTIFICATE")
			.map(|p| p.into_contents())
			.collect();
		if certs.len() != 2 {
			return Err(response.malformed(format!(
				"{} certificates, expected the signing key's and the ARK's",
				certs.len()
			)));
		}
		Ok(certs)
	}

	/// The CRL of `product`'s `kind` keys (DER, not verified: see [`verify_crl`]).
	pub async fn crl(
		&self,
		product: SnpProduct,
		kind: SigningKeyKind,
	) -> Result<Vec<u8>, FetchError> {
		let url = format!(
			"{}/{}/v1/{}/crl",
			self.base,
			kind_path(kind),
			product.name()
		);
		let response = self.http.get(&url).await?;
		if response.body.first() != Some(&0x30) {
			return Err(response.malformed("the CRL is not DER"));
		}
		Ok(response.body.to_vec())
	}

	/// The VCEK of the chip `chip_id` at `tcb` (DER, not verified: the caller checks it signed
	/// its report, with [`tee_verifier::snp::verify_report`]).
	pub async fn vcek(
		&self,
		product: SnpProduct,
		chip_id: &[u8; 64],
		tcb: &SnpTcb,
	) -> Result<Vec<u8>, FetchError> {
		let url = vcek_url(&self.base, product, chip_id, tcb);
		let response = self.http.get(&url).await.map_err(|e| match e {
			FetchError::NotFound { url, .. } => FetchError::NotFound {
				url,
				hint: " (KDS knows no VCEK for this chip and TCB)".into(),
			},
			other => other,
		})?;
		if response.body.first() != Some(&0x30) {
			return Err(response.malformed("the VCEK is not a DER certificate"));
		}
		Ok(response.body.to_vec())
	}
}

/// The KDS URL of a chip's VCEK at `tcb`.
pub fn vcek_url(base: &str, product: SnpProduct, chip_id: &[u8; 64], tcb: &SnpTcb) -> String {
	let base = base.trim_end_matches('/');
	let name = product.name();
	match (product, tcb.fmc) {
		(SnpProduct::Turin, fmc) => format!(
			"{base}/vcek/v1/{name}/{}?fmcSPL={}&blSPL={}&teeSPL={}&snpSPL={}&ucodeSPL={}",
			hex::encode(chip_id.get(..8).unwrap_or_default()),
			fmc.unwrap_or_default(),
			tcb.bootloader,
			tcb.tee,
			tcb.snp,
			tcb.microcode
		),
		_ => format!(
			"{base}/vcek/v1/{name}/{}?blSPL={}&teeSPL={}&snpSPL={}&ucodeSPL={}",
			hex::encode(chip_id),
			tcb.bootloader,
			tcb.tee,
			tcb.snp,
			tcb.microcode
		),
	}
}

/// Checks a fetched chain is exactly the trusted roots' own: the ASK (or ASVK) and the ARK of
/// `product` in `anchors` (the verifier trusts only those; a different chain is refused).
pub fn verify_chain(
	product: SnpProduct,
	kind: SigningKeyKind,
	chain: &[Vec<u8>],
	anchors: &TrustAnchors,
) -> Result<(), FetchError> {
	let what = format!(
		"the {} {} chain",
		product.name(),
		kind_path(kind).to_uppercase()
	);
	let rejected = |reason: &str| FetchError::Rejected {
		what: what.clone(),
		reason: reason.to_string(),
	};
	let trusted = anchors
		.amd
		.iter()
		.find(|a| a.product == product)
		.ok_or_else(|| rejected("no trusted ARK for this product"))?;
	let signer = match kind {
		SigningKeyKind::Vcek => trusted.ask.as_ref(),
		SigningKeyKind::Vlek => trusted.asvk.as_ref(),
	}
	.ok_or_else(|| rejected("the trusted roots have no key of this kind"))?;
	match chain {
		[key, ark]
			if key.as_slice() == signer.as_slice() && ark.as_slice() == trusted.ark.as_slice() =>
		{
			Ok(())
		}
		[_, ark] if ark.as_slice() != trusted.ark.as_slice() => {
			Err(rejected("its ARK is not the trusted ARK"))
		}
		_ => Err(rejected("its signing key is not the trusted one")),
	}
}

/// Verifies a fetched CRL at `now` (signed by the trusted ARK of `product`, current), as the
/// chain does on upload.
pub fn verify_crl(
	product: SnpProduct,
	kind: SigningKeyKind,
	der: &[u8],
	anchors: &TrustAnchors,
	now: u64,
) -> Result<VerifiedAmdCrl, FetchError> {
	let what = format!(
		"the {} {} CRL",
		product.name(),
		kind_path(kind).to_uppercase()
	);
	let crl = VerifiedAmdCrl::verify(der, anchors, now).map_err(|e| FetchError::Rejected {
		what: what.clone(),
		reason: e.to_string(),
	})?;
	if crl.product() != product {
		return Err(FetchError::Rejected {
			what,
			reason: format!("signed by the {} ARK", crl.product().name()),
		});
	}
	Ok(crl)
}

/// CRLs as the collateral the chain takes (at most the verifier's number of CRLs).
pub fn snp_collateral(crls: Vec<Vec<u8>>) -> Result<SnpCollateral, FetchError> {
	let rejected = |reason: String| FetchError::Rejected {
		what: "AMD CRLs".into(),
		reason,
	};
	let crls = crls
		.into_iter()
		.map(|c| {
			let len = c.len();
			c.try_into()
				.map_err(|_| rejected(format!("a CRL of {len} bytes is over the limit")))
		})
		.collect::<Result<Vec<_>, _>>()?;
	Ok(SnpCollateral {
		crls: crls
			.try_into()
			.map_err(|_| rejected("too many CRLs".into()))?,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn vcek_urls_follow_the_kds_layout_of_each_product() {
		let mut chip = [0u8; 64];
		chip[0] = 0xab;
		chip[63] = 0xcd;
		let milan = SnpTcb::decode_for(
			SnpProduct::Milan,
			u64::from_le_bytes([3, 0, 0, 0, 0, 0, 8, 115]),
		);
		let url = vcek_url("https://kds/", SnpProduct::Milan, &chip, &milan);
		assert_eq!(
			url,
			format!(
				"https://kds/vcek/v1/Milan/ab{}cd?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115",
				"00".repeat(62)
			)
		);
		let turin = SnpTcb::decode_for(
			SnpProduct::Turin,
			u64::from_le_bytes([1, 2, 3, 4, 0, 0, 0, 5]),
		);
		assert_eq!(
			vcek_url("https://kds", SnpProduct::Turin, &chip, &turin),
			"https://kds/vcek/v1/Turin/ab00000000000000?fmcSPL=1&blSPL=2&teeSPL=3&snpSPL=4&ucodeSPL=5"
		);
	}
}
