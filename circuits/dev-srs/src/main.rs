//! `dev-srs`: see the library docs.

use std::{
	path::{Path, PathBuf},
	process::ExitCode,
};

use dev_srs::{check, dev_g2, write_srs, AZTEC_G2, DEFAULT_G1_POINTS};

fn main() -> ExitCode {
	let mut args = std::env::args_os().skip(1);
	let Some(first) = args.next() else {
		eprintln!(
			"usage: dev-srs OUT_DIR [G1_POINTS]     writes an INSECURE dev SRS\n       dev-srs ensure DIR             the same, unless DIR already holds this version's\n       dev-srs check DIR dev|aztec  checks an SRS directory"
		);
		return ExitCode::from(2);
	};
	if first == "ensure" {
		let Some(dir) = args.next() else {
			eprintln!("usage: dev-srs ensure DIR");
			return ExitCode::from(2);
		};
		return match dev_srs::ensure(Path::new(&dir)) {
			Ok(()) => ExitCode::SUCCESS,
			Err(e) => {
				eprintln!("dev-srs: {}: {e}", dir.to_string_lossy());
				ExitCode::FAILURE
			}
		};
	}
	if first == "check" {
		let (Some(dir), Some(expect)) = (args.next(), args.next()) else {
			eprintln!("usage: dev-srs check DIR dev|aztec");
			return ExitCode::from(2);
		};
		let g2 = match expect.to_str() {
			Some("dev") => dev_g2(),
			Some("aztec") => AZTEC_G2,
			_ => {
				eprintln!("dev-srs check: expected `dev` or `aztec`");
				return ExitCode::from(2);
			}
		};
		return match check::check(Path::new(&dir), &g2) {
			Ok(n) => {
				println!(
					"{}: {n} G1 points, consistent powers of the expected G2",
					dir.to_string_lossy()
				);
				ExitCode::SUCCESS
			}
			Err(e) => {
				eprintln!("dev-srs check: {}: {e}", dir.to_string_lossy());
				ExitCode::FAILURE
			}
		};
	}
	let out = PathBuf::from(first);
	let g1_points = match args.next().map(|a| a.to_string_lossy().parse::<usize>()) {
		None => DEFAULT_G1_POINTS,
		Some(Ok(n)) if n >= 2 => n,
		Some(_) => {
			eprintln!("dev-srs: G1_POINTS must be a number >= 2");
			return ExitCode::from(2);
		}
	};
	match write_srs(&out, g1_points) {
		Ok(g2) => {
			println!("{g2}");
			ExitCode::SUCCESS
		}
		Err(e) => {
			eprintln!("dev-srs: {}: {e}", out.display());
			ExitCode::FAILURE
		}
	}
}
