//! The 28 subrelations of bb 3.x's Ultra arithmetisation, evaluated at the sumcheck point and
//! batched with powers of alpha: arithmetic (2), permutation (2), log-derivative lookup (3),
//! delta range (4), elliptic (2, Grumpkin), memory (6), non-native field (1), Poseidon2
//! external (4) and internal (4). Every subrelation except the second lookup one is scaled by
//! the gate separator `d`.

#![allow(
	clippy::arithmetic_side_effects,
	reason = "BN254 scalar field arithmetic is modular: it never overflows and never panics"
)]

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, MontFp};

/// Challenges and derived values the relations use.
pub struct RelationParameters {
	/// eta, eta_two, eta_three (lookup and memory column batching).
	pub eta: [Fr; 3],
	/// beta (permutation and lookup).
	pub beta: Fr,
	/// gamma.
	pub gamma: Fr,
	/// The public-input delta of the permutation argument.
	pub public_input_delta: Fr,
	/// The subrelation separator (its powers weight the 28 subrelations).
	pub alpha: Fr,
	/// The gate separator (pow polynomial) at the sumcheck point.
	pub pow: Fr,
}

/// The diagonal of Poseidon2's internal matrix as the relation uses it (bb's t = 4 parameters):
/// the next state is `D_k * u_k + sum(u)`.
const INTERNAL_DIAGONAL: [Fr; 4] = [
	MontFp!("7626475329478847982857743246276194948757851985510858890691733676098590062311"),
	MontFp!("5498568565063849786384470689962419967523752476452646391422913716315471115275"),
	MontFp!("148936322117705719734052984176402258788283488576388928671173547788498414613"),
	MontFp!("15456385653678559339152734484033356164266089951521103188900320352052358038155"),
];

/// Entity indices (the order of the 41 sumcheck evaluations).
mod e {
	pub const Q_M: usize = 0;
	pub const Q_C: usize = 1;
	pub const Q_L: usize = 2;
	pub const Q_R: usize = 3;
	pub const Q_O: usize = 4;
	pub const Q_4: usize = 5;
	pub const Q_LOOKUP: usize = 6;
	pub const Q_ARITH: usize = 7;
	pub const Q_RANGE: usize = 8;
	pub const Q_ELLIPTIC: usize = 9;
	pub const Q_MEMORY: usize = 10;
	pub const Q_NNF: usize = 11;
	pub const Q_POSEIDON2_EXTERNAL: usize = 12;
	pub const Q_POSEIDON2_INTERNAL: usize = 13;
	pub const SIGMA_1: usize = 14;
	pub const ID_1: usize = 18;
	pub const TABLE_1: usize = 22;
	pub const TABLE_2: usize = 23;
	pub const TABLE_3: usize = 24;
	pub const TABLE_4: usize = 25;
	pub const LAGRANGE_FIRST: usize = 26;
	pub const LAGRANGE_LAST: usize = 27;
	pub const W_L: usize = 28;
	pub const W_R: usize = 29;
	pub const W_O: usize = 30;
	pub const W_4: usize = 31;
	pub const Z_PERM: usize = 32;
	pub const LOOKUP_INVERSES: usize = 33;
	pub const LOOKUP_READ_COUNTS: usize = 34;
	pub const LOOKUP_READ_TAGS: usize = 35;
	pub const W_L_SHIFT: usize = 36;
	pub const W_R_SHIFT: usize = 37;
	pub const W_O_SHIFT: usize = 38;
	pub const W_4_SHIFT: usize = 39;
	pub const Z_PERM_SHIFT: usize = 40;
}

/// `sum_k alpha^k S_k` over the 28 subrelations at evaluations `ev` (the 41 entities).
pub fn batched_relations(ev: &[Fr; 41], p: &RelationParameters) -> Fr {
	let g = |i: usize| ev.get(i).copied().unwrap_or_default();
	let d = p.pow;
	let [eta, eta_two, eta_three] = p.eta;
	let (beta, gamma) = (p.beta, p.gamma);
	let (q_m, q_c, q_l, q_r, q_o, q_4) = (
		g(e::Q_M),
		g(e::Q_C),
		g(e::Q_L),
		g(e::Q_R),
		g(e::Q_O),
		g(e::Q_4),
	);
	let (wl, wr, wo, w4) = (g(e::W_L), g(e::W_R), g(e::W_O), g(e::W_4));
	let (wl_s, wr_s, wo_s, w4_s) = (
		g(e::W_L_SHIFT),
		g(e::W_R_SHIFT),
		g(e::W_O_SHIFT),
		g(e::W_4_SHIFT),
	);
	let one = Fr::ONE;
	let two = Fr::from(2u64);
	let three = Fr::from(3u64);
	let mut s = [Fr::ZERO; 28];

	// Arithmetic.
	let q_arith = g(e::Q_ARITH);
	let neg_half: Fr = -Fr::from(2u64).inverse().unwrap_or_default();
	s[0] =
		q_arith
			* ((q_arith - three) * q_m * wr * wl * neg_half
				+ q_l * wl + q_r * wr
				+ q_o * wo + q_4 * w4
				+ q_c + (q_arith - one) * w4_s)
			* d;
	s[1] = q_arith * (q_arith - one) * (q_arith - two) * (wl + w4 - wl_s + q_m) * d;

	// Permutation.
	let wires = [wl, wr, wo, w4];
	let mut numerator = Fr::ONE;
	let mut denominator = Fr::ONE;
	for (k, w) in wires.iter().enumerate() {
		numerator *= *w + beta * g(e::ID_1 + k) + gamma;
		denominator *= *w + beta * g(e::SIGMA_1 + k) + gamma;
	}
	let (z, z_s) = (g(e::Z_PERM), g(e::Z_PERM_SHIFT));
	let (l_first, l_last) = (g(e::LAGRANGE_FIRST), g(e::LAGRANGE_LAST));
	s[2] = ((z + l_first) * numerator - (z_s + l_last * p.public_input_delta) * denominator) * d;
	s[3] = l_last * z_s * d;

	// Log-derivative lookup.
	let write = g(e::TABLE_1)
		+ gamma
		+ eta * g(e::TABLE_2)
		+ eta_two * g(e::TABLE_3)
		+ eta_three * g(e::TABLE_4);
	let read = (wl + gamma + q_r * wl_s)
		+ eta * (wr + q_m * wr_s)
		+ eta_two * (wo + q_c * wo_s)
		+ eta_three * q_o;
	let inverses = g(e::LOOKUP_INVERSES);
	let tag = g(e::LOOKUP_READ_TAGS);
	let count = g(e::LOOKUP_READ_COUNTS);
	let q_lookup = g(e::Q_LOOKUP);
	s[4] = (read * write * inverses - (tag + q_lookup - tag * q_lookup)) * d;
	s[5] = q_lookup * inverses * write - count * inverses * read;
	s[6] = (tag * tag - tag) * d;

	// Delta range.
	let q_range = g(e::Q_RANGE);
	for (k, delta) in [wr - wl, wo - wr, w4 - wo, wl_s - w4]
		.into_iter()
		.enumerate()
	{
		if let Some(slot) = s.get_mut(7 + k) {
			*slot = delta * (delta - one) * (delta - two) * (delta - three) * q_range * d;
		}
	}

	// Elliptic curve addition and doubling on Grumpkin (y^2 = x^3 - 17).
	let (x1, y1, x2, y2, x3, y3) = (wr, wo, wl_s, w4_s, wr_s, wo_s);
	let (q_sign, q_double) = (q_l, q_m);
	let q_elliptic = g(e::Q_ELLIPTIC);
	let dx = x2 - x1;
	let add_x = (x3 + x2 + x1) * dx * dx - y2 * y2 - y1 * y1 + two * q_sign * y1 * y2;
	let add_y = (y1 + y3) * dx + (x3 - x1) * (q_sign * y2 - y1);
	let seventeen = Fr::from(17u64);
	let double_x =
		(x3 + two * x1) * Fr::from(4u64) * y1 * y1 - Fr::from(9u64) * x1 * (y1 * y1 + seventeen);
	let double_y = three * x1 * x1 * (x1 - x3) - two * y1 * (y1 + y3);
	s[11] = q_elliptic * d * ((one - q_double) * add_x + q_double * double_x);
	s[12] = q_elliptic * d * ((one - q_double) * add_y + q_double * double_y);

	// Memory (ROM and RAM).
	let q_memory = g(e::Q_MEMORY);
	let partial_record = eta_three * wo + eta_two * wr + eta * wl + q_c;
	let record_check = partial_record - w4;
	let index_delta = wl_s - wl;
	let record_delta = w4_s - w4;
	let monotone = index_delta * (index_delta - one);
	let access = w4 - partial_record;
	let access_check = access * (access - one);
	let next_access = w4_s - (eta_three * wo_s + eta_two * wr_s + eta * wl_s);
	let memory_d = q_memory * d;
	s[14] = (one - index_delta) * record_delta * q_l * q_r * memory_d;
	s[15] = monotone * q_l * q_r * memory_d;
	s[16] = (one - index_delta) * (wo_s - wo) * (one - next_access) * q_o * memory_d;
	s[17] = monotone * q_o * memory_d;
	s[18] = (next_access * next_access - next_access) * q_o * memory_d;
	let timestamp = (one - index_delta) * (wr_s - wr) - wo;
	s[13] = (record_check * q_l * q_r
		+ timestamp * q_4 * q_l
		+ record_check * q_m * q_l
		+ access_check * q_o)
		* memory_d;

	// Non-native field arithmetic.
	let limb_shift = Fr::from(1u128 << 68);
	let sublimb_shift = Fr::from(1u64 << 14);
	let sub = wl * wr_s + wl_s * wr;
	let g2 = ((wl * w4 + wr * wo - wo_s) * limb_shift - w4_s + sub) * q_4;
	let sub2 = sub * limb_shift + wl_s * wr_s;
	let g1 = (sub2 - wo - w4) * q_o;
	let g3 = (sub2 + w4 - wo_s - w4_s) * q_m;
	let nnf = (g1 + g2 + g3) * q_r;
	let limb_accumulate_1 = ((((wr_s * sublimb_shift + wl_s) * sublimb_shift + wo)
		* sublimb_shift
		+ wr) * sublimb_shift
		+ wl - w4)
		* q_4;
	let limb_accumulate_2 = ((((wo_s * sublimb_shift + wr_s) * sublimb_shift + wl_s)
		* sublimb_shift
		+ w4) * sublimb_shift
		+ wo - w4_s)
		* q_m;
	s[19] = (nnf + (limb_accumulate_1 + limb_accumulate_2) * q_o) * g(e::Q_NNF) * d;

	// Poseidon2 external round.
	let pow5 = |x: Fr| {
		let x2 = x * x;
		x2 * x2 * x
	};
	let q_external = g(e::Q_POSEIDON2_EXTERNAL) * d;
	let (u1, u2, u3, u4) = (
		pow5(wl + q_l),
		pow5(wr + q_r),
		pow5(wo + q_o),
		pow5(w4 + q_4),
	);
	let five = Fr::from(5u64);
	let six = Fr::from(6u64);
	let seven = Fr::from(7u64);
	let four = Fr::from(4u64);
	let v = [
		five * u1 + seven * u2 + u3 + three * u4,
		four * u1 + six * u2 + u3 + u4,
		u1 + three * u2 + five * u3 + seven * u4,
		u1 + u2 + four * u3 + six * u4,
	];
	let next = [wl_s, wr_s, wo_s, w4_s];
	for k in 0..4 {
		if let (Some(slot), Some(v), Some(n)) = (s.get_mut(20 + k), v.get(k), next.get(k)) {
			*slot = q_external * (*v - *n);
		}
	}

	// Poseidon2 internal round.
	let q_internal = g(e::Q_POSEIDON2_INTERNAL) * d;
	let u = [pow5(wl + q_l), wr, wo, w4];
	let sum: Fr = u.iter().sum();
	for k in 0..4 {
		if let (Some(slot), Some(diag), Some(uk), Some(n)) = (
			s.get_mut(24 + k),
			INTERNAL_DIAGONAL.get(k),
			u.get(k),
			next.get(k),
		) {
			*slot = q_internal * (*diag * *uk + sum - *n);
		}
	}

	// Batch with 1, alpha, alpha^2, ...
	let mut total = Fr::ZERO;
	let mut power = Fr::ONE;
	for value in s {
		total += power * value;
		power *= p.alpha;
	}
	total
}
