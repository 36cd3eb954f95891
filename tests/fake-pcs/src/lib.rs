//! A local stand-in for Intel's PCS v4 API (with Intel's root CA CRL at
//! `/IntelSGXRootCA.der`, as certificates.trustedservices.intel.com has it) and AMD's KDS: the
//! real URL paths, response bodies,
//! issuer-chain headers (URL-encoded PEM) and status codes, serving whatever collateral a
//! test (or the dev chain's `scripts/dev.sh`) publishes, plus faults on demand: a 404, a 429
//! with Retry-After, a 503, a truncated body. Tampered documents (a bad signature, a stale
//! CRL) are published like any other: the fake serves what it is given.

use std::{
	collections::{HashMap, VecDeque},
	net::SocketAddr,
	sync::{Arc, Mutex},
};

use axum::{
	body::Body,
	extract::{Path, Query, State},
	http::{header, HeaderMap, HeaderValue, StatusCode},
	response::{IntoResponse, Response},
	routing::get,
	Router,
};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use tee_verifier::{SigningKeyKind, SnpProduct, TdxCollateral};

pub mod dev;

/// A fault served instead of the next answer on a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
	/// 404 Not Found.
	NotFound,
	/// 429 Too Many Requests with `Retry-After: secs`.
	RateLimited {
		/// The Retry-After value.
		secs: u64,
	},
	/// 503 Service Unavailable.
	Unavailable,
	/// 200 whose body stops halfway (the connection breaks).
	Truncated,
}

#[derive(Clone)]
struct Signed {
	json: String,
	signature: [u8; 64],
	chain: String,
}

#[derive(Default)]
struct Published {
	tcb_infos: HashMap<String, Signed>,
	qe_identity: Option<Signed>,
	pck_crls: HashMap<String, (Vec<u8>, String)>,
	root_ca_crl: Option<Vec<u8>>,
	amd_chains: HashMap<(String, String), String>,
	amd_crls: HashMap<(String, String), Vec<u8>>,
	vceks: HashMap<(String, String), Vec<u8>>,
	faults: HashMap<String, VecDeque<Fault>>,
	requests: Vec<String>,
}

/// What the fake serves; cloning shares it (publish while it serves).
#[derive(Clone, Default)]
pub struct FakeSources {
	state: Arc<Mutex<Published>>,
}

fn kind_name(kind: SigningKeyKind) -> &'static str {
	match kind {
		SigningKeyKind::Vcek => "vcek",
		SigningKeyKind::Vlek => "vlek",
	}
}

/// The FMSPC a TCB Info names (upper-case hex), if it is a TCB Info.
fn fmspc_of(tcb_info: &[u8]) -> Option<String> {
	let json: serde_json::Value = serde_json::from_slice(tcb_info).ok()?;
	Some(json.get("fmspc")?.as_str()?.to_uppercase())
}

impl FakeSources {
	/// Nothing published.
	pub fn new() -> Self {
		Self::default()
	}

	fn with<R>(&self, f: impl FnOnce(&mut Published) -> R) -> R {
		let mut guard = match self.state.lock() {
			Ok(g) => g,
			Err(poisoned) => poisoned.into_inner(),
		};
		f(&mut guard)
	}

	/// Publishes every document of a TDX bundle: its TCB Info (under the FMSPC it names), the
	/// QE Identity, the PCK CRL as the CRL of `ca` (`"platform"` or `"processor"`) and the
	/// root CA CRL.
	pub fn publish_tdx(&self, c: &TdxCollateral, ca: &str) {
		let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
		let fmspc = fmspc_of(&c.tcb_info).unwrap_or_default();
		self.with(|p| {
			p.tcb_infos.insert(
				fmspc,
				Signed {
					json: text(&c.tcb_info),
					signature: c.tcb_info_signature,
					chain: text(&c.tcb_info_issuer_chain),
				},
			);
			p.qe_identity = Some(Signed {
				json: text(&c.qe_identity),
				signature: c.qe_identity_signature,
				chain: text(&c.qe_identity_issuer_chain),
			});
			p.pck_crls.insert(
				ca.to_string(),
				(c.pck_crl.to_vec(), text(&c.pck_crl_issuer_chain)),
			);
			p.root_ca_crl = Some(c.root_ca_crl.to_vec());
		})
	}

	/// Publishes `product`'s chain for `kind` keys: the signing key's and the ARK's DER.
	pub fn publish_amd_chain(
		&self,
		product: SnpProduct,
		kind: SigningKeyKind,
		key: &[u8],
		ark: &[u8],
	) {
		let chain = format!(
			"{}{}",
			pem_block("CERTIFICATE", key),
			pem_block("CERTIFICATE", ark)
		);
		self.with(|p| {
			p.amd_chains.insert(
				(product.name().to_string(), kind_name(kind).to_string()),
				chain,
			)
		});
	}

	/// Publishes `product`'s CRL of `kind` keys (DER).
	pub fn publish_amd_crl(&self, product: SnpProduct, kind: SigningKeyKind, der: &[u8]) {
		self.with(|p| {
			p.amd_crls.insert(
				(product.name().to_string(), kind_name(kind).to_string()),
				der.to_vec(),
			)
		});
	}

	/// Publishes a chip's VCEK under its hwid (lower-case hex, as in the KDS path), for any
	/// TCB.
	pub fn publish_vcek(&self, product: SnpProduct, hwid_hex: &str, der: &[u8]) {
		self.with(|p| {
			p.vceks.insert(
				(product.name().to_string(), hwid_hex.to_lowercase()),
				der.to_vec(),
			)
		});
	}

	/// Serves `fault` instead of the next answer on `path` (faults on a path queue up).
	pub fn fail_next(&self, path: &str, fault: Fault) {
		self.with(|p| {
			p.faults
				.entry(path.to_string())
				.or_default()
				.push_back(fault)
		});
	}

	/// Every request served so far (path and query), in order.
	pub fn requests(&self) -> Vec<String> {
		self.with(|p| p.requests.clone())
	}

	/// Serves on `addr` (port 0: any free port) until the task is dropped; returns the bound
	/// address and the serving task.
	pub async fn serve(
		&self,
		addr: SocketAddr,
	) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
		let listener = tokio::net::TcpListener::bind(addr).await?;
		let bound = listener.local_addr()?;
		let app = self.router();
		let task = tokio::spawn(async move {
			if let Err(e) = axum::serve(listener, app).await {
				tracing::error!("fake PCS/KDS stopped: {e}");
			}
		});
		Ok((bound, task))
	}

	/// The routes.
	pub fn router(&self) -> Router {
		Router::new()
			.route("/tdx/certification/v4/tcb", get(tcb_info))
			.route("/tdx/certification/v4/qe/identity", get(qe_identity))
			.route("/sgx/certification/v4/pckcrl", get(pck_crl))
			.route("/sgx/certification/v4/rootcacrl", get(root_ca_crl))
			.route("/IntelSGXRootCA.der", get(root_ca_crl_der))
			.route("/{kind}/v1/{product}/{item}", get(kds))
			.with_state(self.clone())
	}

	/// Logs the request and takes the path's next fault, if any.
	fn arrive(&self, path: &str, query: &HashMap<String, String>) -> Option<Fault> {
		let mut line = path.to_string();
		let mut pairs: Vec<_> = query.iter().collect();
		pairs.sort();
		for (i, (k, v)) in pairs.iter().enumerate() {
			line.push(if i == 0 { '?' } else { '&' });
			line.push_str(&format!("{k}={v}"));
		}
		self.with(|p| {
			p.requests.push(line);
			p.faults.get_mut(path).and_then(VecDeque::pop_front)
		})
	}
}

/// One PEM block.
fn pem_block(tag: &str, der: &[u8]) -> String {
	pem::encode(&pem::Pem::new(tag, der.to_vec()))
}

fn fault_response(fault: Fault, body: Vec<u8>) -> Response {
	match fault {
		Fault::NotFound => StatusCode::NOT_FOUND.into_response(),
		Fault::RateLimited { secs } => (
			StatusCode::TOO_MANY_REQUESTS,
			[(header::RETRY_AFTER, secs.to_string())],
		)
			.into_response(),
		Fault::Unavailable => StatusCode::SERVICE_UNAVAILABLE.into_response(),
		Fault::Truncated => {
			let half = body.len() / 2;
			let first: Vec<u8> = body.into_iter().take(half).collect();
			let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
				vec![Ok(first), Err(std::io::Error::other("connection dropped"))];
			Response::new(Body::from_stream(futures::stream::iter(chunks)))
		}
	}
}

/// 200 with `body` and headers, or the path's fault (a truncated body is cut from `body`).
fn answer(fault: Option<Fault>, headers: HeaderMap, body: Vec<u8>) -> Response {
	match fault {
		Some(f) => fault_response(f, body),
		None => (StatusCode::OK, headers, body).into_response(),
	}
}

fn chain_header(name: &'static str, chain: &str) -> HeaderMap {
	let mut headers = HeaderMap::new();
	let encoded = utf8_percent_encode(chain, NON_ALPHANUMERIC).to_string();
	if let Ok(value) = HeaderValue::from_str(&encoded) {
		headers.insert(name, value);
	}
	headers
}

fn signed_body(key: &str, doc: &Signed) -> Vec<u8> {
	format!(
		"{{\"{key}\":{},\"signature\":\"{}\"}}",
		doc.json,
		hex::encode(doc.signature)
	)
	.into_bytes()
}

async fn tcb_info(
	State(s): State<FakeSources>,
	Query(q): Query<HashMap<String, String>>,
) -> Response {
	let fault = s.arrive("/tdx/certification/v4/tcb", &q);
	let fmspc = q.get("fmspc").map(|f| f.to_uppercase()).unwrap_or_default();
	match s.with(|p| p.tcb_infos.get(&fmspc).cloned()) {
		Some(doc) => answer(
			fault,
			chain_header("TCB-Info-Issuer-Chain", &doc.chain),
			signed_body("tcbInfo", &doc),
		),
		None => fault_response(fault.unwrap_or(Fault::NotFound), Vec::new()),
	}
}

async fn qe_identity(State(s): State<FakeSources>) -> Response {
	let fault = s.arrive("/tdx/certification/v4/qe/identity", &HashMap::new());
	match s.with(|p| p.qe_identity.clone()) {
		Some(doc) => answer(
			fault,
			chain_header("SGX-Enclave-Identity-Issuer-Chain", &doc.chain),
			signed_body("enclaveIdentity", &doc),
		),
		None => fault_response(fault.unwrap_or(Fault::NotFound), Vec::new()),
	}
}

async fn pck_crl(
	State(s): State<FakeSources>,
	Query(q): Query<HashMap<String, String>>,
) -> Response {
	let fault = s.arrive("/sgx/certification/v4/pckcrl", &q);
	let ca = q.get("ca").cloned().unwrap_or_default();
	let der_wanted = q.get("encoding").is_some_and(|e| e == "der");
	match s.with(|p| p.pck_crls.get(&ca).cloned()) {
		Some((der, chain)) => {
			// Without encoding=der, PCS answers in PEM.
			let body = if der_wanted {
				der
			} else {
				pem_block("X509 CRL", &der).into_bytes()
			};
			answer(
				fault,
				chain_header("SGX-PCK-CRL-Issuer-Chain", &chain),
				body,
			)
		}
		None => fault_response(fault.unwrap_or(Fault::NotFound), Vec::new()),
	}
}

async fn root_ca_crl(State(s): State<FakeSources>) -> Response {
	let fault = s.arrive("/sgx/certification/v4/rootcacrl", &HashMap::new());
	// As a PCCS: the DER CRL as hex text.
	match s.with(|p| p.root_ca_crl.clone()) {
		Some(der) => answer(fault, HeaderMap::new(), hex::encode(der).into_bytes()),
		None => fault_response(fault.unwrap_or(Fault::NotFound), Vec::new()),
	}
}

/// As Intel's certificate site serves the root CA CRL: DER.
async fn root_ca_crl_der(State(s): State<FakeSources>) -> Response {
	let fault = s.arrive("/IntelSGXRootCA.der", &HashMap::new());
	match s.with(|p| p.root_ca_crl.clone()) {
		Some(der) => answer(fault, HeaderMap::new(), der),
		None => fault_response(fault.unwrap_or(Fault::NotFound), Vec::new()),
	}
}

async fn kds(
	State(s): State<FakeSources>,
	Path((kind, product, item)): Path<(String, String, String)>,
	Query(q): Query<HashMap<String, String>>,
) -> Response {
	let path = format!("/{kind}/v1/{product}/{item}");
	let fault = s.arrive(&path, &q);
	let key = (product.clone(), kind.clone());
	let found = s.with(|p| match item.as_str() {
		"cert_chain" => p.amd_chains.get(&key).map(|c| c.clone().into_bytes()),
		"crl" => p.amd_crls.get(&key).cloned(),
		hwid if kind == "vcek" => p
			.vceks
			.get(&(product.clone(), hwid.to_lowercase()))
			.cloned(),
		_ => None,
	});
	match found {
		Some(body) => answer(fault, HeaderMap::new(), body),
		None => fault_response(fault.unwrap_or(Fault::NotFound), Vec::new()),
	}
}
