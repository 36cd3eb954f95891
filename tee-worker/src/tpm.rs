//! Sealing the worker's keys to the TPM (tss-esapi over the TSS2 ESAPI C library).
//!
//! The secret is stored as a TPM keyed-hash object under the owner hierarchy's storage
//! primary key (ECC P-256, re-created from its fixed template at every start, as systemd
//! does), with an authorisation policy of `PolicyPCR` over the configured SHA-256 PCRs: the
//! TPM releases it only while those PCRs hold the values they held when it was sealed, and
//! only on this TPM (`fixedTPM`). What lands on disk ([`SealedBlob`]) is the object's public
//! area and its private area encrypted by the TPM; neither reveals the secret.

use std::{collections::BTreeSet, fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use tss_esapi::{
	attributes::ObjectAttributesBuilder,
	constants::{response_code::Tss2ResponseCodeKind, SessionType},
	handles::{KeyHandle, ObjectHandle, SessionHandle},
	interface_types::{
		algorithm::{HashingAlgorithm, PublicAlgorithm},
		ecc::EccCurve,
		resource_handles::Hierarchy,
		session_handles::PolicySession,
	},
	structures::{
		Digest, EccPoint, KeyedHashScheme, PcrSelectionList, PcrSelectionListBuilder, PcrSlot,
		Private, Public, PublicBuilder, PublicEccParametersBuilder, PublicKeyedHashParameters,
		SensitiveData, SymmetricDefinition, SymmetricDefinitionObject,
	},
	tcti_ldr::TctiNameConf,
	traits::{Marshall, UnMarshall},
	Context,
};
use zeroize::Zeroizing;

/// Format tag of [`SealedBlob`] files; a file with another tag is refused.
pub const SEALED_FORMAT: &str = "tee-worker-sealed-keys/1";
/// The PCRs keys are sealed to by default: those the VM's LUKS key is bound to (nixos/vm.nix):
/// boot loader and kernel images, Secure Boot state, initrd and kernel command line.
pub const DEFAULT_PCRS: [u8; 3] = [4, 7, 9];
/// The default TCTI: the kernel's TPM resource manager.
pub const DEFAULT_TCTI: &str = "device:/dev/tpmrm0";

/// A non-empty set of PCR indices (0–23) of the SHA-256 bank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<u8>", into = "Vec<u8>")]
pub struct PcrSet(BTreeSet<u8>);

impl PcrSet {
	/// The indices, ascending.
	pub fn indices(&self) -> impl Iterator<Item = u8> + '_ {
		self.0.iter().copied()
	}

	fn selection(&self) -> Result<PcrSelectionList, TpmError> {
		let slots = self
			.indices()
			.map(|i| {
				PcrSlot::try_from(1u32 << u32::from(i))
					.map_err(|e| TpmError::Tpm("PCR selection", e))
			})
			.collect::<Result<Vec<_>, _>>()?;
		PcrSelectionListBuilder::new()
			.with_selection(HashingAlgorithm::Sha256, &slots)
			.build()
			.map_err(|e| TpmError::Tpm("PCR selection", e))
	}
}

impl TryFrom<Vec<u8>> for PcrSet {
	type Error = String;

	fn try_from(indices: Vec<u8>) -> Result<Self, String> {
		if indices.is_empty() {
			return Err("no PCRs given".into());
		}
		let mut set = BTreeSet::new();
		for i in indices {
			if i > 23 {
				return Err(format!("PCR {i} does not exist (0-23)"));
			}
			if !set.insert(i) {
				return Err(format!("PCR {i} is given twice"));
			}
		}
		Ok(Self(set))
	}
}

impl From<PcrSet> for Vec<u8> {
	fn from(set: PcrSet) -> Self {
		set.0.into_iter().collect()
	}
}

impl Default for PcrSet {
	fn default() -> Self {
		Self(DEFAULT_PCRS.into_iter().collect())
	}
}

impl FromStr for PcrSet {
	type Err = String;

	/// `4,7,9` or `4+7+9` (systemd-cryptenroll's form).
	fn from_str(s: &str) -> Result<Self, String> {
		s.split([',', '+'])
			.map(|p| {
				p.trim()
					.parse::<u8>()
					.map_err(|_| format!("`{p}` is not a PCR index"))
			})
			.collect::<Result<Vec<_>, _>>()
			.and_then(Self::try_from)
	}
}

impl fmt::Display for PcrSet {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let list: Vec<String> = self.indices().map(|i| i.to_string()).collect();
		f.write_str(&list.join("+"))
	}
}

/// A secret sealed by [`Tpm::seal`], as stored on disk (JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedBlob {
	/// [`SEALED_FORMAT`].
	pub format: String,
	/// The SHA-256 PCRs the policy covers.
	pub pcrs: PcrSet,
	/// The object's public area (TPM2B_PUBLIC contents, marshalled), hex.
	pub public: String,
	/// The object's private area as the TPM encrypted it (TPM2B_PRIVATE contents), hex.
	pub private: String,
}

/// What went wrong with the TPM.
#[derive(Debug, thiserror::Error)]
pub enum TpmError {
	/// The TCTI string is malformed or no TPM answers through it.
	#[error("no TPM through `{tcti}`: {source}")]
	Open {
		/// The TCTI.
		tcti: String,
		/// The library's error.
		source: tss_esapi::Error,
	},
	/// The TCTI names a TPM device that does not exist (checked before the TSS library is
	/// asked, which would log its own errors).
	#[error("no TPM: {0} does not exist")]
	NoDevice(String),
	/// The TPM refused to unseal because the PCRs differ from when the secret was sealed.
	#[error(
		"the TPM refuses to unseal: PCRs {0} differ from when the keys were sealed (another kernel, initrd, kernel command line, boot loader or Secure Boot state)"
	)]
	PcrMismatch(PcrSet),
	/// A TPM command failed.
	#[error("TPM {0}: {1}")]
	Tpm(&'static str, tss_esapi::Error),
	/// The sealed file is not one this worker wrote.
	#[error("sealed keys: {0}")]
	Format(String),
}

/// An open TPM connection.
pub struct Tpm {
	context: Context,
}

impl fmt::Debug for Tpm {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("Tpm")
	}
}

impl Tpm {
	/// Opens the TPM through `tcti` (`device:/dev/tpmrm0`, `swtpm:host=…,port=…`, …).
	pub fn open(tcti: &str) -> Result<Self, TpmError> {
		let open = |source| TpmError::Open {
			tcti: tcti.to_string(),
			source,
		};
		if let Some(device) = tcti.strip_prefix("device:") {
			let path = device.split(',').next().unwrap_or(device);
			if !std::path::Path::new(path).exists() {
				return Err(TpmError::NoDevice(path.to_string()));
			}
		}
		let name = TctiNameConf::from_str(tcti).map_err(open)?;
		let context = Context::new(name).map_err(open)?;
		Ok(Self { context })
	}

	/// Seals `secret` to the current values of `pcrs`.
	pub fn seal(&mut self, secret: &[u8], pcrs: &PcrSet) -> Result<SealedBlob, TpmError> {
		let selection = pcrs.selection()?;
		let policy = self.pcr_policy(SessionType::Trial, selection)?;
		let digest = self
			.context
			.policy_get_digest(policy.session)
			.map_err(|e| TpmError::Tpm("PolicyGetDigest", e))?;
		self.flush_session(policy.handle);
		// Only the policy authorises use: no auth value (userWithAuth clear); noDA because a
		// wrong policy is not a password guess.
		let attributes = ObjectAttributesBuilder::new()
			.with_fixed_tpm(true)
			.with_fixed_parent(true)
			.with_no_da(true)
			.build()
			.map_err(|e| TpmError::Tpm("object attributes", e))?;
		let public = PublicBuilder::new()
			.with_public_algorithm(PublicAlgorithm::KeyedHash)
			.with_name_hashing_algorithm(HashingAlgorithm::Sha256)
			.with_object_attributes(attributes)
			.with_auth_policy(digest)
			.with_keyed_hash_parameters(PublicKeyedHashParameters::new(KeyedHashScheme::Null))
			.with_keyed_hash_unique_identifier(Digest::default())
			.build()
			.map_err(|e| TpmError::Tpm("sealed object template", e))?;
		let data = SensitiveData::try_from(secret.to_vec())
			.map_err(|e| TpmError::Tpm("secret size", e))?;
		let primary = self.primary()?;
		let created = self.context.execute_with_nullauth_session(|c| {
			c.create(primary, public, None, Some(data), None, None)
		});
		self.flush_object(primary.into());
		let created = created.map_err(|e| TpmError::Tpm("Create", e))?;
		let public = created
			.out_public
			.marshall()
			.map_err(|e| TpmError::Tpm("marshal public area", e))?;
		Ok(SealedBlob {
			format: SEALED_FORMAT.into(),
			pcrs: pcrs.clone(),
			public: hex::encode(public),
			private: hex::encode(created.out_private.value()),
		})
	}

	/// Unseals `blob`; fails with [`TpmError::PcrMismatch`] when its PCRs have changed.
	pub fn unseal(&mut self, blob: &SealedBlob) -> Result<Zeroizing<Vec<u8>>, TpmError> {
		if blob.format != SEALED_FORMAT {
			return Err(TpmError::Format(format!(
				"format `{}`, expected `{SEALED_FORMAT}`",
				blob.format
			)));
		}
		let bytes = |field: &str, text: &str| {
			hex::decode(text).map_err(|_| TpmError::Format(format!("`{field}` is not hex")))
		};
		let public = Public::unmarshall(&bytes("public", &blob.public)?)
			.map_err(|_| TpmError::Format("`public` is not a TPM public area".into()))?;
		let private = Private::try_from(bytes("private", &blob.private)?)
			.map_err(|_| TpmError::Format("`private` is too long".into()))?;
		let primary = self.primary()?;
		let loaded = self
			.context
			.execute_with_nullauth_session(|c| c.load(primary, private, public));
		self.flush_object(primary.into());
		let object = loaded.map_err(|e| TpmError::Tpm("Load (was it sealed by this TPM?)", e))?;
		let unsealed = self
			.pcr_policy(SessionType::Policy, blob.pcrs.selection()?)
			.and_then(|policy| {
				let result = self
					.context
					.execute_with_session(Some(policy.auth), |c| c.unseal(object.into()));
				self.flush_session(policy.handle);
				result.map_err(|e| match e {
					tss_esapi::Error::Tss2Error(rc)
						if rc.kind() == Some(Tss2ResponseCodeKind::PolicyFail) =>
					{
						TpmError::PcrMismatch(blob.pcrs.clone())
					}
					e => TpmError::Tpm("Unseal", e),
				})
			});
		self.flush_object(object.into());
		Ok(Zeroizing::new(unsealed?.value().to_vec()))
	}

	/// The storage primary key: ECC P-256 with AES-128-CFB, the fixed template (same key on
	/// every start of the same TPM).
	fn primary(&mut self) -> Result<KeyHandle, TpmError> {
		let attributes = ObjectAttributesBuilder::new()
			.with_fixed_tpm(true)
			.with_fixed_parent(true)
			.with_sensitive_data_origin(true)
			.with_user_with_auth(true)
			.with_decrypt(true)
			.with_restricted(true)
			.build()
			.map_err(|e| TpmError::Tpm("primary key attributes", e))?;
		let parameters = PublicEccParametersBuilder::new_restricted_decryption_key(
			SymmetricDefinitionObject::AES_128_CFB,
			EccCurve::NistP256,
		)
		.build()
		.map_err(|e| TpmError::Tpm("primary key parameters", e))?;
		let public = PublicBuilder::new()
			.with_public_algorithm(PublicAlgorithm::Ecc)
			.with_name_hashing_algorithm(HashingAlgorithm::Sha256)
			.with_object_attributes(attributes)
			.with_ecc_parameters(parameters)
			.with_ecc_unique_identifier(EccPoint::default())
			.build()
			.map_err(|e| TpmError::Tpm("primary key template", e))?;
		self.context
			.execute_with_nullauth_session(|c| {
				c.create_primary(Hierarchy::Owner, public, None, None, None, None)
			})
			.map(|created| created.key_handle)
			.map_err(|e| TpmError::Tpm("CreatePrimary", e))
	}

	/// A session (trial, to compute the digest; or policy, to authorise) with `PolicyPCR`
	/// over the current values of `selection`.
	fn pcr_policy(
		&mut self,
		kind: SessionType,
		selection: PcrSelectionList,
	) -> Result<PcrPolicySession, TpmError> {
		let auth = self
			.context
			.start_auth_session(
				None,
				None,
				None,
				kind,
				SymmetricDefinition::AES_128_CFB,
				HashingAlgorithm::Sha256,
			)
			.map_err(|e| TpmError::Tpm("StartAuthSession", e))?
			.ok_or(TpmError::Format("the TPM returned no session".into()))?;
		let handle = SessionHandle::from(auth);
		let session = match PolicySession::try_from(auth) {
			Ok(session) => session,
			Err(e) => {
				self.flush_session(handle);
				return Err(TpmError::Tpm("policy session", e));
			}
		};
		if let Err(e) = self
			.context
			.policy_pcr(session, Digest::default(), selection)
		{
			self.flush_session(handle);
			return Err(TpmError::Tpm("PolicyPCR", e));
		}
		Ok(PcrPolicySession {
			auth,
			session,
			handle,
		})
	}

	fn flush_session(&mut self, handle: SessionHandle) {
		// A failed flush leaves a transient handle that the resource manager (or the next
		// TPM reset) reclaims; nothing to do about it here.
		let _ = self.context.flush_context(ObjectHandle::from(handle));
	}

	fn flush_object(&mut self, handle: ObjectHandle) {
		let _ = self.context.flush_context(handle);
	}
}

/// A started policy session with its three views.
struct PcrPolicySession {
	auth: tss_esapi::interface_types::session_handles::AuthSession,
	session: PolicySession,
	handle: SessionHandle,
}
