//! Why a proof does not verify.

/// Why a verification key or proof is rejected. Each variant names the failed step.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum VerifyError {
	/// The verification key is not 1888 bytes.
	#[error("verification key: {0} bytes, expected 1888")]
	VkLength(usize),
	/// A header field of the verification key is out of range.
	#[error("verification key: {0}")]
	VkHeader(&'static str),
	/// The proof's length does not match its flavour and the key's circuit size.
	#[error("proof: {got} bytes, expected {expected} for this flavour and circuit size")]
	ProofLength {
		/// Expected bytes.
		expected: usize,
		/// Given bytes.
		got: usize,
	},
	/// A wrong number of public inputs.
	#[error("{got} public inputs, the verification key expects {expected}")]
	PublicInputCount {
		/// Expected count.
		expected: usize,
		/// Given count.
		got: usize,
	},
	/// A field of the wrong size.
	#[error("{0}: wrong length")]
	Length(&'static str),
	/// A value is not canonical (a scalar `>= r`, a coordinate `>= q`, a limb `>= 2^68`).
	#[error("{0}: not a canonical value")]
	NotCanonical(&'static str),
	/// A point is not on the curve.
	#[error("{0}: not a point of the curve")]
	NotOnCurve(&'static str),
	/// A sumcheck round's univariate does not sum to the running target.
	#[error("sumcheck round {0}: P(0) + P(1) differs from the target")]
	SumcheckRound(usize),
	/// The relations evaluated at the sumcheck point differ from the final target.
	#[error("sumcheck: the relations do not hold at the challenge point")]
	SumcheckFinal,
	/// The Libra (ZK masking) evaluations are inconsistent.
	#[error("libra: the masking polynomial evaluations are inconsistent")]
	Libra,
	/// A challenge hit a value the protocol divides by (negligible for honest proofs).
	#[error("a challenge hit a degenerate value ({0})")]
	DegenerateChallenge(&'static str),
	/// The group-operation backend failed (a broken host function, not the proof).
	#[error("group operations: {0}")]
	Backend(&'static str),
	/// The final pairing check fails.
	#[error("the KZG pairing check fails")]
	Pairing,
}
