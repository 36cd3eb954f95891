//! The proof (bb 3.x, keccak transcript): its layout for each flavour, parsed and checked.

use alloc::vec::Vec;

use ark_bn254::{Fr, G1Affine};

use crate::{
	encoding::{fr, g1, Word},
	error::VerifyError,
	key::PAIRING_POINT_WORDS,
};

/// Which UltraHonk flavour a proof was made with.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub enum Flavour {
	/// Zero-knowledge (bb.js `verifierTarget: 'evm'`).
	#[codec(index = 0)]
	Zk,
	/// Not zero-knowledge (`'evm-no-zk'`).
	#[codec(index = 1)]
	Plain,
}

/// Number of entities evaluated at the end of sumcheck (without the ZK masking evaluation).
pub const ENTITIES: usize = 41;
/// Of which the first 36 are unshifted, the last 5 shifted.
pub const UNSHIFTED: usize = 36;

impl Flavour {
	/// Evaluations per sumcheck round univariate.
	pub const fn univariate_length(self) -> usize {
		match self {
			Self::Zk => 9,
			Self::Plain => 8,
		}
	}

	/// Proof size in 32-byte words for a circuit of 2^log_n rows (`12n + 90` ZK, `11n + 75`
	/// plain).
	pub fn proof_words(self, log_n: u32) -> Option<usize> {
		let n = usize::try_from(log_n).ok()?;
		let (per_round, fixed) = match self {
			Self::Zk => (12usize, 90usize),
			Self::Plain => (11, 75),
		};
		per_round.checked_mul(n)?.checked_add(fixed)
	}
}

/// What only a ZK proof carries (the Libra masking argument and the Gemini masking
/// polynomial).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkParts {
	/// Commitment to the Gemini masking polynomial.
	pub gemini_masking: G1Affine,
	/// Its evaluation (first of the 42 sumcheck evaluations).
	pub gemini_masking_eval: Fr,
	/// Commitment to the Libra concatenated polynomial.
	pub libra_concat: G1Affine,
	/// The claimed Libra sum.
	pub libra_sum: Fr,
	/// The Libra evaluation at the sumcheck point.
	pub libra_evaluation: Fr,
	/// Commitment to the Libra grand-sum polynomial.
	pub libra_grand_sum: G1Affine,
	/// Commitment to the Libra quotient.
	pub libra_quotient: G1Affine,
	/// concat(r), grand_sum(g r), grand_sum(r), quotient(r).
	pub libra_poly_evals: [Fr; 4],
}

/// A parsed proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
	/// The flavour it was parsed as.
	pub flavour: Flavour,
	/// The pairing-point object: two G1 points in 68-bit limbs (public inputs to the
	/// transcript).
	pub pairing_words: [Word; PAIRING_POINT_WORDS],
	/// w_l, w_r, w_o, lookup read counts, lookup read tags, w_4, lookup inverses, z_perm, in
	/// proof order.
	pub witness: [G1Affine; 8],
	/// Sumcheck round univariates, `log_n` of them, as evaluations at 0..L.
	pub univariates: Vec<Vec<Fr>>,
	/// The 41 entity evaluations (order in the crate docs).
	pub evaluations: Vec<Fr>,
	/// Gemini fold commitments A_1 .. A_{n-1}.
	pub folds: Vec<G1Affine>,
	/// Gemini evaluations a_0 .. a_{n-1}.
	pub gemini_evals: Vec<Fr>,
	/// Shplonk quotient commitment.
	pub shplonk_q: G1Affine,
	/// KZG opening proof.
	pub kzg_w: G1Affine,
	/// ZK-only parts.
	pub zk: Option<ZkParts>,
}

/// Index of each witness commitment in [`Proof::witness`].
pub mod witness {
	/// w_l.
	pub const W1: usize = 0;
	/// w_r.
	pub const W2: usize = 1;
	/// w_o.
	pub const W3: usize = 2;
	/// Lookup read counts.
	pub const READ_COUNTS: usize = 3;
	/// Lookup read tags.
	pub const READ_TAGS: usize = 4;
	/// w_4.
	pub const W4: usize = 5;
	/// Lookup inverses.
	pub const LOOKUP_INVERSES: usize = 6;
	/// z_perm.
	pub const Z_PERM: usize = 7;
}

struct Reader<'a> {
	words: core::slice::ChunksExact<'a, u8>,
}

impl Reader<'_> {
	fn word(&mut self) -> Result<Word, VerifyError> {
		self.words
			.next()
			.and_then(|w| Word::try_from(w).ok())
			.ok_or(VerifyError::Length("proof"))
	}

	fn fr(&mut self, what: &'static str) -> Result<Fr, VerifyError> {
		fr(&self.word()?, what)
	}

	fn g1(&mut self, what: &'static str) -> Result<G1Affine, VerifyError> {
		let x = self.word()?;
		let y = self.word()?;
		g1(&x, &y, what)
	}

	fn frs(&mut self, count: usize, what: &'static str) -> Result<Vec<Fr>, VerifyError> {
		(0..count).map(|_| self.fr(what)).collect()
	}
}

impl Proof {
	/// Parses `bytes` as a `flavour` proof of a circuit with 2^log_n rows.
	pub fn parse(bytes: &[u8], flavour: Flavour, log_n: u32) -> Result<Self, VerifyError> {
		let expected = flavour
			.proof_words(log_n)
			.and_then(|w| w.checked_mul(32))
			.ok_or(VerifyError::VkHeader("log circuit size"))?;
		if bytes.len() != expected {
			return Err(VerifyError::ProofLength {
				expected,
				got: bytes.len(),
			});
		}
		let n = usize::try_from(log_n).map_err(|_| VerifyError::VkHeader("log circuit size"))?;
		let mut r = Reader {
			words: bytes.chunks_exact(32),
		};
		let mut pairing_words = [[0u8; 32]; PAIRING_POINT_WORDS];
		for word in &mut pairing_words {
			*word = r.word()?;
		}
		let gemini_masking = match flavour {
			Flavour::Zk => Some(r.g1("gemini masking commitment")?),
			Flavour::Plain => None,
		};
		let mut witness = [G1Affine::default(); 8];
		for slot in &mut witness {
			*slot = r.g1("witness commitment")?;
		}
		let libra_start = match flavour {
			Flavour::Zk => Some((r.g1("libra concatenation commitment")?, r.fr("libra sum")?)),
			Flavour::Plain => None,
		};
		let length = flavour.univariate_length();
		let univariates = (0..n)
			.map(|_| r.frs(length, "sumcheck univariate"))
			.collect::<Result<Vec<_>, _>>()?;
		let gemini_masking_eval = match flavour {
			Flavour::Zk => Some(r.fr("gemini masking evaluation")?),
			Flavour::Plain => None,
		};
		let evaluations = r.frs(crate::proof::ENTITIES, "sumcheck evaluation")?;
		let libra_end = match flavour {
			Flavour::Zk => Some((
				r.fr("libra evaluation")?,
				r.g1("libra grand sum commitment")?,
				r.g1("libra quotient commitment")?,
			)),
			Flavour::Plain => None,
		};
		let folds = (1..n)
			.map(|_| r.g1("gemini fold commitment"))
			.collect::<Result<Vec<_>, _>>()?;
		let gemini_evals = r.frs(n, "gemini evaluation")?;
		let libra_poly_evals = match flavour {
			Flavour::Zk => Some([
				r.fr("libra polynomial evaluation")?,
				r.fr("libra polynomial evaluation")?,
				r.fr("libra polynomial evaluation")?,
				r.fr("libra polynomial evaluation")?,
			]),
			Flavour::Plain => None,
		};
		let shplonk_q = r.g1("shplonk quotient")?;
		let kzg_w = r.g1("KZG opening")?;
		let zk = match (
			gemini_masking,
			gemini_masking_eval,
			libra_start,
			libra_end,
			libra_poly_evals,
		) {
			(
				Some(gemini_masking),
				Some(gemini_masking_eval),
				Some((libra_concat, libra_sum)),
				Some((libra_evaluation, libra_grand_sum, libra_quotient)),
				Some(libra_poly_evals),
			) => Some(ZkParts {
				gemini_masking,
				gemini_masking_eval,
				libra_concat,
				libra_sum,
				libra_evaluation,
				libra_grand_sum,
				libra_quotient,
				libra_poly_evals,
			}),
			_ => None,
		};
		Ok(Self {
			flavour,
			pairing_words,
			witness,
			univariates,
			evaluations,
			folds,
			gemini_evals,
			shplonk_q,
			kzg_w,
			zk,
		})
	}
}
