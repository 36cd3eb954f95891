//! The measured services: read from the configuration into a service tree, whose root goes
//! into every attestation (DESIGN.md section 6).

use service_tree::{PublicKey, Service, ServiceTree};

use crate::config::ServiceConfig;

/// A configured service that cannot be measured; the message names the key.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
	/// The public key file could not be read.
	#[error("service[{index}].public-key-file {path}: {message}")]
	KeyFile {
		/// Position in the configuration.
		index: usize,
		/// The file.
		path: String,
		/// Why.
		message: String,
	},
	/// The service is outside the tree's bounds (name or path too long, too many services...).
	#[error("service[{index}] `{name}`: {source}")]
	Tree {
		/// Position in the configuration (the first of a colliding pair).
		index: usize,
		/// Its name.
		name: String,
		/// What the tree refused.
		source: service_tree::Error,
	},
	/// The set of services does not form a tree.
	#[error("services: {0}")]
	Set(service_tree::Error),
}

/// The services and their tree.
#[derive(Clone, Debug)]
pub struct Services {
	services: Vec<Service>,
	tree: ServiceTree,
}

/// Parses a compressed secp256k1 public key: 33 bytes as hex (optionally `0x`-prefixed,
/// surrounding whitespace ignored). The point must be on the curve.
pub fn parse_public_key(text: &str) -> Result<PublicKey, String> {
	let text = text.trim();
	let bytes = hex::decode(text.trim_start_matches("0x")).map_err(|e| format!("not hex: {e}"))?;
	let bytes: [u8; 33] = bytes
		.try_into()
		.map_err(|b: Vec<u8>| format!("{} bytes, expected a 33-byte compressed key", b.len()))?;
	k256::PublicKey::from_sec1_bytes(&bytes).map_err(|_| "not a point on secp256k1".to_string())?;
	PublicKey::from_bytes(bytes).map_err(|e| e.to_string())
}

impl Services {
	/// No services (the root of the empty tree).
	pub fn none() -> Self {
		Self {
			services: Vec::new(),
			tree: ServiceTree::empty(),
		}
	}

	/// Reads each service's public key file and builds the tree.
	pub fn load(config: &[ServiceConfig]) -> Result<Self, ServiceError> {
		let mut services = Vec::with_capacity(config.len());
		for (index, c) in config.iter().enumerate() {
			let key_file = |message: String| ServiceError::KeyFile {
				index,
				path: c.public_key_file.display().to_string(),
				message,
			};
			let text =
				std::fs::read_to_string(&c.public_key_file).map_err(|e| key_file(e.to_string()))?;
			let public_key = parse_public_key(&text).map_err(key_file)?;
			let service = Service::new(c.name.as_bytes(), c.derivation.as_bytes(), public_key)
				.map_err(|source| ServiceError::Tree {
					index,
					name: c.name.clone(),
					source,
				})?;
			services.push(service);
		}
		let tree = ServiceTree::from_services(&services).map_err(ServiceError::Set)?;
		Ok(Self { services, tree })
	}

	/// The tree's root, as bound into REPORT_DATA.
	pub fn root(&self) -> [u8; 32] {
		self.tree.root().to_bytes()
	}

	/// The tree.
	pub fn tree(&self) -> &ServiceTree {
		&self.tree
	}

	/// The services in configuration order.
	pub fn services(&self) -> &[Service] {
		&self.services
	}

	/// The service called `name`.
	pub fn get(&self, name: &str) -> Option<&Service> {
		self.services.iter().find(|s| s.name() == name.as_bytes())
	}
}
