//! Deterministic key derivation from the dev seed, and the signers used for certificates.
//!
//! Every key is `f(seed, label, context)`: the same seed always gives the same keys, so the
//! same certificates, quotes and reports (ECDSA signatures are RFC 6979 deterministic; the
//! RSA-PSS salt comes from a seeded ChaCha20 stream). The derivation is public, so every key
//! here is public: these are INSECURE development keys.

use std::{
	collections::HashMap,
	path::PathBuf,
	sync::{Arc, Mutex, OnceLock},
};

use const_oid::db::rfc5912;
use der::{asn1::Null, Any, Encode, Sequence};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use rsa::{
	pkcs8::{DecodePrivateKey, EncodePrivateKey},
	traits::PublicKeyParts,
};
use sha2::{Digest, Sha256, Sha384};
use signature::{Keypair, RandomizedSigner, Signer};
use spki::{
	AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey,
	SubjectPublicKeyInfoOwned,
};
use x509_cert::certificate::Certificate;

use crate::{
	error::{Error, Result},
	x509::{build_with, CaKey, CertSpec},
};

/// Domain separation for everything derived from a seed. Bump the version if any derivation
/// changes, so that old and new outputs can never be confused.
const DOMAIN: &[u8] = b"tee-attest/mock-tee/v1";

/// 32 bytes derived from the seed for one purpose: SHA-256(domain, label, context, seed), each
/// part length-prefixed so that no two (label, context) pairs collide.
pub(crate) fn derive(seed: &[u8; 32], label: &str, context: &[u8]) -> [u8; 32] {
	let mut h = Sha256::new();
	for part in [DOMAIN, label.as_bytes(), context, seed.as_slice()] {
		h.update((part.len() as u64).to_be_bytes());
		h.update(part);
	}
	h.finalize().into()
}

/// A P-256 key for one purpose (retrying with a counter in the negligible case that the
/// derived scalar is zero or not below the group order).
pub(crate) fn p256_key(
	seed: &[u8; 32],
	label: &str,
	context: &[u8],
) -> Result<p256::ecdsa::SigningKey> {
	for counter in 0u8..=255 {
		let mut ctx = context.to_vec();
		ctx.push(counter);
		if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&derive(seed, label, &ctx)) {
			return Ok(key);
		}
	}
	Err(Error::Key {
		what: "P-256",
		detail: "no valid scalar in 256 tries".into(),
	})
}

/// A P-384 key for one purpose.
pub(crate) fn p384_key(
	seed: &[u8; 32],
	label: &str,
	context: &[u8],
) -> Result<p384::ecdsa::SigningKey> {
	for counter in 0u8..=255 {
		let mut ctx = context.to_vec();
		ctx.push(counter);
		let a = derive(seed, label, &ctx);
		ctx.push(0xff);
		let b = derive(seed, label, &ctx);
		let mut bytes = [0u8; 48];
		for (dst, src) in bytes.iter_mut().zip(a.iter().chain(b.iter())) {
			*dst = *src;
		}
		if let Ok(key) = p384::ecdsa::SigningKey::from_slice(&bytes) {
			return Ok(key);
		}
	}
	Err(Error::Key {
		what: "P-384",
		detail: "no valid scalar in 256 tries".into(),
	})
}

/// Uncompressed public point without the 0x04 prefix (x || y), as DCAP quotes carry it.
pub(crate) fn p256_raw_public(key: &p256::ecdsa::SigningKey) -> [u8; 64] {
	let point = key.verifying_key().to_sec1_point(false);
	let mut out = [0u8; 64];
	for (dst, src) in out.iter_mut().zip(point.as_bytes().iter().skip(1)) {
		*dst = *src;
	}
	out
}

pub(crate) fn spki_of<K: EncodePublicKey>(
	key: &K,
	what: &'static str,
) -> Result<SubjectPublicKeyInfoOwned> {
	SubjectPublicKeyInfoOwned::from_key(key).map_err(Error::key(what))
}

impl CaKey for p256::ecdsa::SigningKey {
	fn issue(
		&self,
		spec: CertSpec,
		subject_spki: SubjectPublicKeyInfoOwned,
	) -> Result<Certificate> {
		build_with::<_, p256::ecdsa::DerSignature>(spec, subject_spki, self)
	}

	fn algorithm(&self) -> Result<AlgorithmIdentifierOwned> {
		Ok(AlgorithmIdentifierOwned {
			oid: rfc5912::ECDSA_WITH_SHA_256,
			parameters: None,
		})
	}

	fn sign_raw(&self, what: &'static str, tbs: &[u8]) -> Result<Vec<u8>> {
		let sig: p256::ecdsa::DerSignature = self.try_sign(tbs).map_err(Error::sign(what))?;
		Ok(sig.as_bytes().to_vec())
	}
}

/// RSASSA-PSS parameters as AMD encodes them in every ARK/ASK/ASVK/VCEK certificate:
/// SHA-384, MGF1 with SHA-384, salt length 48, and the trailer field written out explicitly.
#[derive(Sequence)]
struct PssParams {
	#[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
	hash: AlgorithmIdentifierOwned,
	#[asn1(context_specific = "1", tag_mode = "EXPLICIT")]
	mask_gen: AlgorithmIdentifierOwned,
	#[asn1(context_specific = "2", tag_mode = "EXPLICIT")]
	salt_len: u8,
	#[asn1(context_specific = "3", tag_mode = "EXPLICIT")]
	trailer_field: u8,
}

/// The `AlgorithmIdentifier` of AMD's certificate signatures (RSASSA-PSS, SHA-384).
pub(crate) fn amd_pss_algorithm() -> Result<AlgorithmIdentifierOwned> {
	let sha384 = AlgorithmIdentifierOwned {
		oid: rfc5912::ID_SHA_384,
		parameters: Some(Any::from(Null)),
	};
	let params = PssParams {
		hash: sha384.clone(),
		mask_gen: AlgorithmIdentifierOwned {
			oid: rfc5912::ID_MGF_1,
			parameters: Some(Any::encode_from(&sha384).map_err(Error::der("MGF1 parameters"))?),
		},
		salt_len: 48,
		trailer_field: 1,
	};
	Ok(AlgorithmIdentifierOwned {
		oid: rfc5912::ID_RSASSA_PSS,
		parameters: Some(Any::encode_from(&params).map_err(Error::der("PSS parameters"))?),
	})
}

/// An RSA key that signs certificates and CRLs the way AMD's ARK, ASK and ASVK do
/// (RSASSA-PSS, SHA-384, 48-byte salt), with the salt drawn from a seeded stream.
pub(crate) struct PssCa {
	key: rsa::pss::SigningKey<Sha384>,
	public: rsa::PublicKey,
	salt_seed: [u8; 32],
}

impl PssCa {
	pub(crate) fn new(key: &rsa::PrivateKey, salt_seed: [u8; 32]) -> Self {
		Self {
			key: rsa::pss::SigningKey::<Sha384>::new(key.clone()),
			public: key.to_public_key(),
			salt_seed,
		}
	}

	pub(crate) fn spki(&self) -> Result<SubjectPublicKeyInfoOwned> {
		spki_of(&self.public, "RSA public key")
	}

	fn signature_over(&self, msg: &[u8]) -> signature::Result<rsa::pss::Signature> {
		let mut ctx = self.salt_seed.to_vec();
		ctx.extend_from_slice(&Sha384::digest(msg));
		let mut rng = ChaCha20Rng::from_seed(derive(&self.salt_seed, "pss-salt", &ctx));
		self.key.try_sign_with_rng(&mut rng, msg)
	}
}

impl Keypair for PssCa {
	type VerifyingKey = rsa::pss::VerifyingKey<Sha384>;

	fn verifying_key(&self) -> Self::VerifyingKey {
		rsa::pss::VerifyingKey::new(self.public.clone())
	}
}

impl DynSignatureAlgorithmIdentifier for PssCa {
	fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
		amd_pss_algorithm().map_err(|_| spki::Error::AlgorithmParametersMissing)
	}
}

impl Signer<rsa::pss::Signature> for PssCa {
	fn try_sign(&self, msg: &[u8]) -> signature::Result<rsa::pss::Signature> {
		self.signature_over(msg)
	}
}

impl CaKey for PssCa {
	fn issue(
		&self,
		spec: CertSpec,
		subject_spki: SubjectPublicKeyInfoOwned,
	) -> Result<Certificate> {
		build_with::<_, rsa::pss::Signature>(spec, subject_spki, self)
	}

	fn algorithm(&self) -> Result<AlgorithmIdentifierOwned> {
		amd_pss_algorithm()
	}

	fn sign_raw(&self, what: &'static str, tbs: &[u8]) -> Result<Vec<u8>> {
		let sig = self.signature_over(tbs).map_err(Error::sign(what))?;
		Ok(Box::<[u8]>::from(sig).into_vec())
	}
}

// ---------------------------------------------------------------------------------------------
// RSA keys: deterministic but slow to generate (seconds each for 4096 bits), so cached in the
// process and, unless disabled, on disk.
// ---------------------------------------------------------------------------------------------

/// Environment variable that controls the on-disk RSA key cache: unset = a directory under the
/// system temp dir; `off` (or `0`) = no disk cache; anything else = the cache directory.
pub const RSA_CACHE_ENV: &str = "MOCK_TEE_RSA_CACHE";

type Slot = Arc<Mutex<Option<Arc<rsa::PrivateKey>>>>;

fn memory_cache() -> &'static Mutex<HashMap<[u8; 32], Slot>> {
	static CACHE: OnceLock<Mutex<HashMap<[u8; 32], Slot>>> = OnceLock::new();
	CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn disk_cache_dir() -> Option<PathBuf> {
	match std::env::var_os(RSA_CACHE_ENV) {
		Some(v) if v == "off" || v == "0" => None,
		Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
		_ => Some(std::env::temp_dir().join("mock-tee-rsa-cache-v2")),
	}
}

/// A fingerprint of the RSA key generation algorithm in this build: the modulus of a small key
/// generated from a fixed stream. If a dependency update changes how keys are generated, the
/// fingerprint changes with it, so disk cache entries written by an older build are never
/// used by a newer one (which would give this machine other keys than a fresh machine).
fn keygen_fingerprint() -> Result<[u8; 32]> {
	static FINGERPRINT: OnceLock<Option<[u8; 32]>> = OnceLock::new();
	let fp = FINGERPRINT.get_or_init(|| {
		let mut rng = ChaCha20Rng::from_seed([0x5A; 32]);
		let key = rsa::PrivateKey::new(&mut rng, 1024).ok()?;
		Some(Sha256::digest(key.n().to_be_bytes()).into())
	});
	fp.ok_or_else(|| Error::Key {
		what: "RSA",
		detail: "fingerprint key generation failed".into(),
	})
}

/// The RSA key for `label`, generated from the seed with a ChaCha20 stream (so the same seed
/// gives the same key), or taken from the process or disk cache where it was stored before.
///
/// A cached key is used only if it parses, is consistent and has the requested size; the
/// cache is keyed by a hash of (seed, label, size, [`keygen_fingerprint`]), so different seeds
/// or key generation algorithms never share entries.
pub(crate) fn rsa_key(seed: &[u8; 32], label: &str, bits: usize) -> Result<Arc<rsa::PrivateKey>> {
	let id = derive(
		seed,
		"rsa-key",
		&[label.as_bytes(), &(bits as u64).to_be_bytes()].concat(),
	);
	let slot = {
		let mut map = memory_cache().lock().map_err(|_| Error::Key {
			what: "RSA",
			detail: "key cache lock poisoned".into(),
		})?;
		map.entry(id).or_default().clone()
	};
	let mut guard = slot.lock().map_err(|_| Error::Key {
		what: "RSA",
		detail: "key slot lock poisoned".into(),
	})?;
	if let Some(key) = guard.as_ref() {
		return Ok(key.clone());
	}
	let file = match disk_cache_dir() {
		Some(dir) => {
			let name = Sha256::digest([id.as_slice(), &keygen_fingerprint()?].concat());
			Some(dir.join(format!("{}-{bits}.p8.der", hex::encode(name))))
		}
		None => None,
	};
	let cached = file
		.as_ref()
		.and_then(|f| std::fs::read(f).ok())
		.and_then(|der| rsa::PrivateKey::from_pkcs8_der(&der).ok())
		.filter(|k| k.validate().is_ok() && k.size().checked_mul(8) == Some(bits));
	let key = match cached {
		Some(k) => k,
		None => {
			let mut rng = ChaCha20Rng::from_seed(id);
			let k = rsa::PrivateKey::new(&mut rng, bits).map_err(Error::key("RSA"))?;
			if let (Some(path), Ok(der)) = (file.as_ref(), k.to_pkcs8_der()) {
				store(path, der.as_bytes());
			}
			k
		}
	};
	let key = Arc::new(key);
	*guard = Some(key.clone());
	Ok(key)
}

/// Best-effort atomic write of a cache file (a failure only costs regeneration next time).
fn store(path: &std::path::Path, bytes: &[u8]) {
	let Some(dir) = path.parent() else { return };
	if std::fs::create_dir_all(dir).is_err() {
		return;
	}
	let tmp = path.with_extension(format!("tmp{}", std::process::id()));
	if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
		let _ = std::fs::remove_file(&tmp);
	}
}

/// Encode any DER value (used for extension payloads).
pub(crate) fn to_der<T: Encode>(value: &T, what: &'static str) -> Result<Vec<u8>> {
	value.to_der().map_err(Error::der(what))
}
