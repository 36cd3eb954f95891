//! Verification: transcript, sumcheck with the relations, Shplemini (Gemini + Shplonk batch
//! opening) with the Libra masking check for ZK proofs, and the final KZG pairing.

#![allow(
	clippy::arithmetic_side_effects,
	reason = "BN254 field and curve arithmetic is modular: it never overflows and never panics; integer arithmetic here is on loop indices below 64"
)]

use alloc::vec::Vec;

use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{batch_inversion, AdditiveGroup, Field, MontFp, One, Zero};

use crate::{
	backend::{Arkworks, GroupBackend},
	encoding::{fq_from_limbs, fr, g1_words, Word},
	error::VerifyError,
	key::{VerificationKey, PAIRING_POINT_WORDS},
	proof::{witness as wi, Flavour, Proof, ENTITIES, UNSHIFTED},
	relations::{batched_relations, RelationParameters},
	transcript::{split, Transcript},
};

/// The SRS's `[x]_2`: fixed by the deployment (a runtime constant, the CLI's `--srs`), never
/// taken from a key or a proof.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SrsG2(pub G2Affine);

/// Aztec Ignition's `[x]_2` in bb.js's `bn254_g2.dat` layout (x.c0, x.c1, y.c0, y.c1, each
/// 32-byte big-endian): the production SRS.
pub const AZTEC_G2: [u8; 128] = hex128(concat!(
	"0118c4d5b837bcc2bc89b5b398b5974e9f5944073b32078b7e231fec938883b0",
	"260e01b251f6f1c7e7ff4e580791dee8ea51d87a358e038b4efe30fac09383c1",
	"22febda3c0c0632a56475b4214e5615e11e6dd3f96e6cea2854a87d4dacc5e55",
	"04fc6369f7110fe3d25156c1bb9a72859cf2a04641f99ba4ee413c80da6a5fe4",
));

/// The **INSECURE** dev SRS's `[tau]_2` (circuits/dev-srs: tau is public, anyone can forge
/// proofs under it), same layout. For tests and the dev chain only.
pub const DEV_G2: [u8; 128] = hex128(concat!(
	"2211630e508cc63f49665d32a32c526d7d6d1ff92eb2da505ad8f6f16bed3eb1",
	"0d7d1f16a5b225ab88ddf6cc1188818c5be1a34472ebfa9e0d7164e3f1febd20",
	"067759a6453ac71b8c69024b156fa3ca55ce073846e8aeec1de557239418e56a",
	"1a1940e039ea431f0ad8eebed562fc9b143589fb97eb2b2247ee0944b40a8d9e",
));

impl SrsG2 {
	/// From bb.js's `bn254_g2.dat` layout; the point must be in G2.
	pub fn from_bytes(bytes: &[u8; 128]) -> Result<Self, VerifyError> {
		let what = "SRS G2 point";
		let point = point_of(bytes)?;
		if point.is_on_curve() && point.is_in_correct_subgroup_assuming_on_curve() {
			Ok(Self(point))
		} else {
			Err(VerifyError::NotOnCurve(what))
		}
	}

	/// Whether this is the INSECURE dev SRS ([`DEV_G2`]): only there are bb's default
	/// pairing points left out of the final pairing (see [`verify`]).
	pub fn is_dev(&self) -> bool {
		point_of(&DEV_G2).is_ok_and(|dev| dev == self.0)
	}

	/// Aztec's `[x]_2` ([`AZTEC_G2`]).
	pub fn aztec() -> Result<Self, VerifyError> {
		Self::from_bytes(&AZTEC_G2)
	}

	/// The INSECURE dev SRS's `[tau]_2` ([`DEV_G2`]).
	pub fn dev() -> Result<Self, VerifyError> {
		Self::from_bytes(&DEV_G2)
	}
}

/// The G2 coordinates in bb.js's `bn254_g2.dat` layout, not yet checked to be in G2.
fn point_of(bytes: &[u8; 128]) -> Result<G2Affine, VerifyError> {
	let what = "SRS G2 point";
	let mut c = [ark_bn254::Fq::ZERO; 4];
	for (slot, chunk) in c.iter_mut().zip(bytes.chunks_exact(32)) {
		let word = Word::try_from(chunk).map_err(|_| VerifyError::Length(what))?;
		*slot = crate::encoding::fq(&word, what)?;
	}
	let [x0, x1, y0, y1] = c;
	Ok(G2Affine::new_unchecked(
		ark_bn254::Fq2::new(x0, x1),
		ark_bn254::Fq2::new(y0, y1),
	))
}

#[allow(
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects,
	clippy::panic,
	reason = "const evaluation of a literal: an error fails the build, not a run"
)]
const fn hex128(hex: &str) -> [u8; 128] {
	let digits = hex.as_bytes();
	if digits.len() != 256 {
		panic!("128-byte literal expected");
	}
	let mut out = [0u8; 128];
	let mut i = 0;
	while i < 128 {
		out[i] = nibble(digits[2 * i]) << 4 | nibble(digits[2 * i + 1]);
		i += 1;
	}
	out
}

#[allow(
	clippy::arithmetic_side_effects,
	clippy::panic,
	reason = "const evaluation only"
)]
const fn nibble(d: u8) -> u8 {
	match d {
		b'0'..=b'9' => d - b'0',
		b'a'..=b'f' => d - b'a' + 10,
		_ => panic!("not hex"),
	}
}

/// bb's default pairing-point object: what a circuit without recursive verification puts in
/// its proof (two G1 points that satisfy the pairing under Aztec's SRS only).
pub const DEFAULT_PAIRING_WORDS: [Word; PAIRING_POINT_WORDS] = default_pairing_words();

#[allow(
	clippy::indexing_slicing,
	reason = "const evaluation over fixed-size arrays: an out-of-bounds index fails the build"
)]
const fn default_pairing_words() -> [Word; PAIRING_POINT_WORDS] {
	// The limbs, least significant first: PP0.x, PP0.y, PP1.x, PP1.y (4 each).
	let limbs: [u128; PAIRING_POINT_WORDS] = [
		0x42ab5d6d1986846cf,
		0xb75c020998797da78,
		0x05a107acb64952eca,
		0x31e97a575e9d,
		0xb5666547acf8bd5a4,
		0xc410db10a01750aeb,
		0xd722669117f9758a4,
		0x178cbf4206471,
		0x0e91b8a11e7842c38,
		0x7fd51009034b3357f,
		0x9889939f81e9c7402,
		0xf94656a2ca48,
		0x6fb128b46c1ddb67f,
		0x93fe27776f50224bd,
		0x4a0c80c0da527a081,
		0x1b52c2020d746,
	];
	let mut words = [[0u8; 32]; PAIRING_POINT_WORDS];
	let mut i = 0;
	while i < PAIRING_POINT_WORDS {
		let bytes = limbs[i].to_be_bytes();
		let mut j = 0;
		while j < 16 {
			words[i][16 + j] = bytes[j];
			j += 1;
		}
		i += 1;
	}
	words
}

/// Small-subgroup size of the Libra masking check.
const LIBRA_SUBGROUP: usize = 256;
/// Evaluations per round in the Libra challenge polynomial.
const LIBRA_UNIVARIATE_LENGTH: usize = 9;
/// Generator of the order-256 subgroup.
const LIBRA_GENERATOR: Fr =
	MontFp!("3478517300119284901893091970156912948790432420133812234316178878452092729974");
/// Its inverse.
const LIBRA_GENERATOR_INVERSE: Fr =
	MontFp!("14607982016670611764231825270871087984049314771307170893064215224383340934614");
/// PERMUTATION_ARGUMENT_VALUE_SEPARATOR: 2^28.
const PERMUTATION_SEPARATOR: u64 = 1 << 28;

/// Verifies a bb 3.x UltraHonk keccak proof.
///
/// `public_inputs` are the statement's words (without the pairing-point object, which is in
/// the proof). The pairing-point object must be well formed and is aggregated into the final
/// pairing exactly as bb does, with one exception: under the INSECURE dev SRS
/// ([`SrsG2::is_dev`]) bb's default object ([`DEFAULT_PAIRING_WORDS`]) is left out, because
/// those points satisfy the pairing only under Aztec's tau and dev proofs carry them. Under
/// any other SRS nothing is skipped.
///
/// The group operations run in the calling code ([`Arkworks`]); see [`verify_with`].
pub fn verify(
	vk: &VerificationKey,
	proof_bytes: &[u8],
	public_inputs: &[Word],
	flavour: Flavour,
	g2: &SrsG2,
) -> Result<(), VerifyError> {
	verify_with::<Arkworks>(vk, proof_bytes, public_inputs, flavour, g2)
}

/// [`verify`] with the G1 multi-scalar multiplication and the final pairing computed by `B`
/// (a chain runtime passes its node's host functions). Same result for every backend.
pub fn verify_with<B: GroupBackend>(
	vk: &VerificationKey,
	proof_bytes: &[u8],
	public_inputs: &[Word],
	flavour: Flavour,
	g2: &SrsG2,
) -> Result<(), VerifyError> {
	if public_inputs.len() != vk.public_inputs {
		return Err(VerifyError::PublicInputCount {
			expected: vk.public_inputs,
			got: public_inputs.len(),
		});
	}
	let proof = Proof::parse(proof_bytes, flavour, vk.log_n)?;
	let inputs = public_inputs
		.iter()
		.map(|w| fr(w, "public input"))
		.collect::<Result<Vec<_>, _>>()?;
	let pairing_points = pairing_points(&proof.pairing_words)?;
	let pairing_values = proof
		.pairing_words
		.iter()
		.map(|w| fr(w, "pairing point limb"))
		.collect::<Result<Vec<_>, _>>()?;

	let challenges = Challenges::derive(vk, &proof, public_inputs)?;
	let delta = public_input_delta(
		inputs.iter().chain(pairing_values.iter()),
		&challenges.beta,
		&challenges.gamma,
		vk.offset,
	)?;
	let evaluations: &[Fr; ENTITIES] = proof
		.evaluations
		.as_slice()
		.try_into()
		.map_err(|_| VerifyError::Length("sumcheck evaluations"))?;
	sumcheck(&proof, &challenges, evaluations, delta)?;
	if let Some(zk) = &proof.zk {
		libra_check(zk, &challenges, vk.log_n)?;
	}
	let (p0, p1) = shplemini::<B>(vk, &proof, &challenges, evaluations)?;

	let g2_one = G2Affine::generator();
	let (a0, a1) = if proof.pairing_words == DEFAULT_PAIRING_WORDS && g2.is_dev() {
		(p0, p1)
	} else {
		let (pp0, pp1) = pairing_points;
		let mut t = Transcript::default();
		for point in [&pp0, &pp1, &p0, &p1] {
			for word in g1_words(point) {
				t.word(&word);
			}
		}
		let separator = t.round();
		(
			B::msm_g1(&[p0, pp0], &[separator, Fr::ONE]).map_err(backend)?,
			B::msm_g1(&[p1, pp1], &[separator, Fr::ONE]).map_err(backend)?,
		)
	};
	if B::pairing_product_is_one([a0, a1], [g2_one, g2.0]).map_err(backend)? {
		Ok(())
	} else {
		Err(VerifyError::Pairing)
	}
}

/// A backend failure as the verifier's error.
fn backend(e: crate::backend::BackendError) -> VerifyError {
	VerifyError::Backend(e.0)
}

/// The two G1 points of the pairing-point object.
fn pairing_points(
	words: &[Word; PAIRING_POINT_WORDS],
) -> Result<(G1Affine, G1Affine), VerifyError> {
	let what = "pairing point object";
	let coordinate = |k: usize| words.get(4 * k..4 * k + 4).ok_or(VerifyError::Length(what));
	let point = |x, y| {
		let (x, y) = (fq_from_limbs(x, what)?, fq_from_limbs(y, what)?);
		if x.is_zero() && y.is_zero() {
			return Ok(G1Affine::zero());
		}
		let p = G1Affine::new_unchecked(x, y);
		if p.is_on_curve() {
			Ok(p)
		} else {
			Err(VerifyError::NotOnCurve(what))
		}
	};
	Ok((
		point(coordinate(0)?, coordinate(1)?)?,
		point(coordinate(2)?, coordinate(3)?)?,
	))
}

/// Every challenge of the protocol, in transcript order.
struct Challenges {
	eta: [Fr; 3],
	beta: Fr,
	gamma: Fr,
	alpha: Fr,
	gate: Vec<Fr>,
	libra: Option<Fr>,
	u: Vec<Fr>,
	rho: Fr,
	gemini_r: Fr,
	nu: Fr,
	z: Fr,
}

impl Challenges {
	fn derive(
		vk: &VerificationKey,
		proof: &Proof,
		public_inputs: &[Word],
	) -> Result<Self, VerifyError> {
		let mut t = Transcript::default();
		t.fr(&vk.hash);
		for word in public_inputs.iter().chain(proof.pairing_words.iter()) {
			t.word(word);
		}
		if let Some(zk) = &proof.zk {
			t.point(&zk.gemini_masking);
		}
		let w = |i: usize| proof.witness.get(i).copied().unwrap_or_default();
		for i in [wi::W1, wi::W2, wi::W3] {
			t.point(&w(i));
		}
		let (eta, eta_two) = split(&t.round());
		let eta_three = t.challenge();
		for i in [wi::READ_COUNTS, wi::READ_TAGS, wi::W4] {
			t.point(&w(i));
		}
		let (beta, gamma) = split(&t.round());
		for i in [wi::LOOKUP_INVERSES, wi::Z_PERM] {
			t.point(&w(i));
		}
		let alpha = t.challenge();
		let mut g = t.challenge();
		let mut gate = Vec::with_capacity(proof.univariates.len());
		for _ in 0..proof.univariates.len() {
			gate.push(g);
			g = g.square();
		}
		let libra = match &proof.zk {
			Some(zk) => {
				t.point(&zk.libra_concat);
				t.fr(&zk.libra_sum);
				Some(t.challenge())
			}
			None => None,
		};
		let mut u = Vec::with_capacity(proof.univariates.len());
		for univariate in &proof.univariates {
			for value in univariate {
				t.fr(value);
			}
			u.push(t.challenge());
		}
		if let Some(zk) = &proof.zk {
			t.fr(&zk.gemini_masking_eval);
		}
		for value in &proof.evaluations {
			t.fr(value);
		}
		if let Some(zk) = &proof.zk {
			t.fr(&zk.libra_evaluation);
			t.point(&zk.libra_grand_sum);
			t.point(&zk.libra_quotient);
		}
		let rho = t.challenge();
		for fold in &proof.folds {
			t.point(fold);
		}
		let gemini_r = t.challenge();
		for value in &proof.gemini_evals {
			t.fr(value);
		}
		if let Some(zk) = &proof.zk {
			for value in &zk.libra_poly_evals {
				t.fr(value);
			}
		}
		let nu = t.challenge();
		t.point(&proof.shplonk_q);
		let z = t.challenge();
		let _ = vk;
		Ok(Self {
			eta: [eta, eta_two, eta_three],
			beta,
			gamma,
			alpha,
			gate,
			libra,
			u,
			rho,
			gemini_r,
			nu,
			z,
		})
	}
}

/// The permutation argument's public-input delta over `values` (statement, then pairing
/// words).
fn public_input_delta<'a>(
	values: impl Iterator<Item = &'a Fr>,
	beta: &Fr,
	gamma: &Fr,
	offset: u64,
) -> Result<Fr, VerifyError> {
	let mut numerator = Fr::ONE;
	let mut denominator = Fr::ONE;
	let mut numerator_acc = *gamma + *beta * Fr::from(PERMUTATION_SEPARATOR + offset);
	let mut denominator_acc = *gamma - *beta * Fr::from(offset + 1);
	for value in values {
		numerator *= numerator_acc + value;
		denominator *= denominator_acc + value;
		numerator_acc += beta;
		denominator_acc -= beta;
	}
	Ok(numerator
		* denominator
			.inverse()
			.ok_or(VerifyError::DegenerateChallenge("public input delta"))?)
}

/// The round univariates, then the relations at the challenge point.
fn sumcheck(
	proof: &Proof,
	c: &Challenges,
	evaluations: &[Fr; ENTITIES],
	delta: Fr,
) -> Result<(), VerifyError> {
	let mut target = match (&proof.zk, c.libra) {
		(Some(zk), Some(libra)) => libra * zk.libra_sum,
		_ => Fr::ZERO,
	};
	let mut pow = Fr::ONE;
	let length = proof.flavour.univariate_length();
	let denominators = lagrange_denominators(length);
	// The barycentric weights `1 / ((u - k) d_k)` of every round, inverted together (a zero,
	// `u` on the domain, stays zero and `barycentric` does not use it).
	let mut weights = Vec::with_capacity(length * c.u.len());
	for u in &c.u {
		for (k, d) in (0u64..).zip(&denominators) {
			weights.push((*u - Fr::from(k)) * d);
		}
	}
	batch_inversion(&mut weights);
	let rounds = proof
		.univariates
		.iter()
		.zip(&c.u)
		.zip(&c.gate)
		.zip(weights.chunks_exact(length));
	for (round, (((univariate, u), g), weights)) in rounds.enumerate() {
		let (Some(at0), Some(at1)) = (univariate.first(), univariate.get(1)) else {
			return Err(VerifyError::Length("sumcheck univariate"));
		};
		if *at0 + at1 != target {
			return Err(VerifyError::SumcheckRound(round));
		}
		target = barycentric(univariate, weights, u);
		pow *= Fr::ONE + *u * (*g - Fr::ONE);
	}
	let parameters = RelationParameters {
		eta: c.eta,
		beta: c.beta,
		gamma: c.gamma,
		public_input_delta: delta,
		alpha: c.alpha,
		pow,
	};
	let relations = batched_relations(evaluations, &parameters);
	let full = match (&proof.zk, c.libra) {
		(Some(zk), Some(libra)) => {
			let disabled: Fr = c.u.iter().skip(2).product();
			relations * (Fr::ONE - disabled) + zk.libra_evaluation * libra
		}
		_ => relations,
	};
	if full == target {
		Ok(())
	} else {
		Err(VerifyError::SumcheckFinal)
	}
}

/// `d_k = prod_{j != k} (k - j)` on the domain 0..length.
fn lagrange_denominators(length: usize) -> Vec<Fr> {
	(0..length)
		.map(|k| {
			(0..length)
				.filter(|j| *j != k)
				.map(|j| Fr::from(k as u64) - Fr::from(j as u64))
				.product()
		})
		.collect()
}

/// The polynomial with `values` on 0..L at `u`, given the weights `1 / ((u - k) d_k)`.
fn barycentric(values: &[Fr], weights: &[Fr], u: &Fr) -> Fr {
	let points: Vec<Fr> = (0..values.len()).map(|k| *u - Fr::from(k as u64)).collect();
	if let Some(k) = points.iter().position(|p| p.is_zero()) {
		return values.get(k).copied().unwrap_or_default();
	}
	let big: Fr = points.iter().product();
	big * values.iter().zip(weights).map(|(v, w)| *v * w).sum::<Fr>()
}

/// The Libra small-subgroup consistency check (ZK proofs).
fn libra_check(zk: &crate::proof::ZkParts, c: &Challenges, log_n: u32) -> Result<(), VerifyError> {
	let r = c.gemini_r;
	let vanishing = r.pow([LIBRA_SUBGROUP as u64]) - Fr::ONE;
	if vanishing.is_zero() {
		return Err(VerifyError::DegenerateChallenge(
			"gemini r in the Libra subgroup",
		));
	}
	let n = usize::try_from(log_n).map_err(|_| VerifyError::VkHeader("log circuit size"))?;
	if 1 + LIBRA_UNIVARIATE_LENGTH * n > LIBRA_SUBGROUP {
		return Err(VerifyError::VkHeader(
			"circuit too large for the Libra check",
		));
	}
	let mut coefficients = [Fr::ZERO; LIBRA_SUBGROUP];
	if let Some(first) = coefficients.first_mut() {
		*first = Fr::ONE;
	}
	for (round, u) in c.u.iter().enumerate() {
		let mut power = Fr::ONE;
		for j in 0..LIBRA_UNIVARIATE_LENGTH {
			if let Some(slot) = coefficients.get_mut(1 + LIBRA_UNIVARIATE_LENGTH * round + j) {
				*slot = power;
			}
			power *= u;
		}
	}
	// L_i(r) = Z_H(r) / (256 (g^-i r - 1)).
	let mut denominators = Vec::with_capacity(LIBRA_SUBGROUP);
	let mut point = r;
	let size = Fr::from(LIBRA_SUBGROUP as u64);
	for _ in 0..LIBRA_SUBGROUP {
		denominators.push(size * (point - Fr::ONE));
		point *= LIBRA_GENERATOR_INVERSE;
	}
	if denominators.iter().any(Zero::is_zero) {
		return Err(VerifyError::DegenerateChallenge(
			"gemini r in the Libra subgroup",
		));
	}
	batch_inversion(&mut denominators);
	let challenge_poly: Fr = coefficients
		.iter()
		.zip(&denominators)
		.map(|(c, d)| *c * d)
		.sum::<Fr>()
		* vanishing;
	let lagrange_first = denominators.first().copied().unwrap_or_default() * vanishing;
	let lagrange_last = denominators.last().copied().unwrap_or_default() * vanishing;
	let [concat, grand_shifted, grand, quotient] = zk.libra_poly_evals;
	let check = lagrange_first * grand
		+ (r - LIBRA_GENERATOR_INVERSE) * (grand_shifted - grand - concat * challenge_poly)
		+ lagrange_last * (grand - zk.libra_evaluation)
		- vanishing * quotient;
	if check.is_zero() {
		Ok(())
	} else {
		Err(VerifyError::Libra)
	}
}

/// The batch opening: returns the KZG pair (P0, P1) with `e(P0, [1]_2) e(P1, [x]_2) = 1`.
fn shplemini<B: GroupBackend>(
	vk: &VerificationKey,
	proof: &Proof,
	c: &Challenges,
	evaluations: &[Fr; ENTITIES],
) -> Result<(G1Affine, G1Affine), VerifyError> {
	let n = proof.univariates.len();
	let (r, nu, z) = (c.gemini_r, c.nu, c.z);
	let mut r_powers = Vec::with_capacity(n);
	let mut square = r;
	for _ in 0..n {
		r_powers.push(square);
		square = square.square();
	}
	// Every denominator of the opening, inverted together.
	let mut batch = BatchInverse::with_capacity(3 * n + 4);
	let pos = batch.push(z - r, "shplonk z")?;
	let neg = batch.push(z + r, "shplonk z")?;
	let r_inverse = batch.push(r, "gemini r")?;
	let mut fold_denominators = Vec::with_capacity(n);
	for (r_l, u_l) in r_powers.iter().zip(&c.u) {
		fold_denominators.push(batch.push(*r_l * (Fr::ONE - u_l) + u_l, "gemini fold")?);
	}
	let mut shplonk_denominators = Vec::with_capacity(n);
	for r_l in r_powers.iter().skip(1) {
		shplonk_denominators.push((
			batch.push(z - r_l, "shplonk z")?,
			batch.push(z + r_l, "shplonk z")?,
		));
	}
	let libra_shifted = match proof.zk {
		Some(_) => Some(batch.push(z - LIBRA_GENERATOR * r, "shplonk z")?),
		None => None,
	};
	let inverses = batch.invert();
	let inv_pos = inverses.get(pos)?;
	let inv_neg = inverses.get(neg)?;
	let unshifted_scalar = inv_pos + nu * inv_neg;
	let shifted_scalar = inverses.get(r_inverse)? * (inv_pos - nu * inv_neg);

	let mut points: Vec<G1Affine> = Vec::with_capacity(80);
	let mut scalars: Vec<Fr> = Vec::with_capacity(80);
	let w = |i: usize| proof.witness.get(i).copied().unwrap_or_default();
	// Unshifted: [ZK masking], the 28 key commitments, then the witnesses in entity order.
	let mut unshifted: Vec<(G1Affine, Fr)> = Vec::with_capacity(UNSHIFTED + 1);
	if let Some(zk) = &proof.zk {
		unshifted.push((zk.gemini_masking, zk.gemini_masking_eval));
	}
	let entity_witness = [
		wi::W1,
		wi::W2,
		wi::W3,
		wi::W4,
		wi::Z_PERM,
		wi::LOOKUP_INVERSES,
		wi::READ_COUNTS,
		wi::READ_TAGS,
	];
	let commitments = vk
		.commitments
		.iter()
		.copied()
		.chain(entity_witness.iter().map(|i| w(*i)));
	for (commitment, value) in commitments.zip(evaluations.iter()) {
		unshifted.push((commitment, *value));
	}
	let shifted = [wi::W1, wi::W2, wi::W3, wi::W4, wi::Z_PERM]
		.iter()
		.map(|i| w(*i))
		.zip(evaluations.iter().skip(UNSHIFTED).copied());
	let mut batched = Fr::ZERO;
	let mut rho_power = Fr::ONE;
	for (commitment, value) in unshifted {
		points.push(commitment);
		scalars.push(-(rho_power * unshifted_scalar));
		batched += rho_power * value;
		rho_power *= c.rho;
	}
	for (commitment, value) in shifted {
		points.push(commitment);
		scalars.push(-(rho_power * shifted_scalar));
		batched += rho_power * value;
		rho_power *= c.rho;
	}

	// Gemini: A_l(r_l) from the top down.
	let mut positive = alloc::vec![Fr::ZERO; n];
	let mut acc = batched;
	for l in (0..n).rev() {
		let (Some(r_l), Some(a_l), Some(u_l), Some(denominator)) = (
			r_powers.get(l),
			proof.gemini_evals.get(l),
			c.u.get(l),
			fold_denominators.get(l),
		) else {
			return Err(VerifyError::Length("gemini"));
		};
		let numerator = *r_l * acc * Fr::from(2u64) - *a_l * (*r_l * (Fr::ONE - u_l) - u_l);
		acc = numerator * inverses.get(*denominator)?;
		if let Some(slot) = positive.get_mut(l) {
			*slot = acc;
		}
	}

	// Shplonk: the constant term and the fold commitments.
	let (Some(pos0), Some(a0)) = (positive.first(), proof.gemini_evals.first()) else {
		return Err(VerifyError::Length("gemini"));
	};
	let mut constant = *pos0 * inv_pos + nu * a0 * inv_neg;
	let nu_squared = nu.square();
	let mut power = nu_squared;
	for (l, fold) in proof.folds.iter().enumerate() {
		let index = l + 1;
		let (Some(pos_l), Some(a_l), Some((at_pos, at_neg))) = (
			positive.get(index),
			proof.gemini_evals.get(index),
			shplonk_denominators.get(l),
		) else {
			return Err(VerifyError::Length("gemini"));
		};
		let sp = power * inverses.get(*at_pos)?;
		let sn = power * nu * inverses.get(*at_neg)?;
		points.push(*fold);
		scalars.push(-(sp + sn));
		constant += sp * pos_l + sn * a_l;
		power *= nu_squared;
	}

	if let (Some(zk), Some(libra_shifted)) = (&proof.zk, libra_shifted) {
		power *= nu_squared;
		let at_r = inv_pos;
		let at_gr = inverses.get(libra_shifted)?;
		let mut s = [Fr::ZERO; 4];
		for ((slot, den), value) in s
			.iter_mut()
			.zip([at_r, at_gr, at_r, at_r])
			.zip(zk.libra_poly_evals)
		{
			*slot = den * power;
			constant += *slot * value;
			power *= nu;
		}
		let [s0, s1, s2, s3] = s;
		points.extend([zk.libra_concat, zk.libra_grand_sum, zk.libra_quotient]);
		scalars.extend([-s0, -(s1 + s2), -s3]);
	}

	points.extend([proof.shplonk_q, G1Affine::generator(), proof.kzg_w]);
	scalars.extend([Fr::one(), constant, z]);
	let p0 = B::msm_g1(&points, &scalars).map_err(backend)?;
	Ok((p0, -proof.kzg_w))
}

/// Field inversions collected and done together (Montgomery's trick: one inversion and three
/// multiplications each). In wasm an inversion costs about as much as a hundred
/// multiplications, and the opening needs some fifty of them.
struct BatchInverse {
	values: Vec<Fr>,
}

/// Where [`BatchInverse::push`] put a value: its index among the inverses.
#[derive(Clone, Copy)]
struct InverseOf(usize);

impl BatchInverse {
	fn with_capacity(capacity: usize) -> Self {
		Self {
			values: Vec::with_capacity(capacity),
		}
	}

	/// Queues `x`; zero is a degenerate challenge named by `what`.
	fn push(&mut self, x: Fr, what: &'static str) -> Result<InverseOf, VerifyError> {
		if x.is_zero() {
			return Err(VerifyError::DegenerateChallenge(what));
		}
		self.values.push(x);
		Ok(InverseOf(self.values.len() - 1))
	}

	fn invert(mut self) -> Inverses {
		batch_inversion(&mut self.values);
		Inverses(self.values)
	}
}

/// The inverses of a [`BatchInverse`].
struct Inverses(Vec<Fr>);

impl Inverses {
	fn get(&self, at: InverseOf) -> Result<Fr, VerifyError> {
		self.0
			.get(at.0)
			.copied()
			.ok_or(VerifyError::Length("inverses"))
	}
}
