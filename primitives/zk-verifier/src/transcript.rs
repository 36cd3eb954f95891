//! The Fiat-Shamir transcript of bb's keccak flavours: words are appended; a challenge is
//! keccak256 of everything appended since the last one, mod r, and that value is the first
//! word of the next hash.

use alloc::vec::Vec;

use ark_bn254::{Fr, G1Affine};
use ark_ff::PrimeField;
use sha3::{Digest, Keccak256};

use crate::encoding::{fr_word, g1_words, Word};

/// The transcript state.
#[derive(Default)]
pub struct Transcript {
	buffer: Vec<u8>,
}

impl Transcript {
	/// Appends a raw word.
	pub fn word(&mut self, word: &Word) {
		self.buffer.extend_from_slice(word);
	}

	/// Appends a scalar.
	pub fn fr(&mut self, value: &Fr) {
		self.word(&fr_word(value));
	}

	/// Appends a point as its x and y words.
	pub fn point(&mut self, point: &G1Affine) {
		for word in g1_words(point) {
			self.word(&word);
		}
	}

	/// The next round value `c = keccak(buffer) mod r`; the buffer restarts with `c`.
	pub fn round(&mut self) -> Fr {
		let c = Fr::from_be_bytes_mod_order(&Keccak256::digest(&self.buffer));
		self.buffer.clear();
		self.fr(&c);
		c
	}

	/// The next challenge: the low 127 bits of the next round value.
	pub fn challenge(&mut self) -> Fr {
		split(&self.round()).0
	}
}

/// A round value's two 127-bit challenges: `(c mod 2^127, c >> 127)`.
pub fn split(c: &Fr) -> (Fr, Fr) {
	let word = fr_word(c);
	let (high, low) = word.split_at(16);
	let mut h = [0u8; 16];
	let mut l = [0u8; 16];
	h.copy_from_slice(high);
	l.copy_from_slice(low);
	let (h, l) = (u128::from_be_bytes(h), u128::from_be_bytes(l));
	let lo = l & (u128::MAX >> 1);
	// c < 2^254, so h < 2^126 and (h << 1) | (l >> 127) < 2^127.
	let hi = (h << 1) | (l >> 127);
	(Fr::from(lo), Fr::from(hi))
}
