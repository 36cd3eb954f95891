//! Calendar times to Unix seconds: ASN.1 UTCTime/GeneralizedTime and Intel's RFC 3339 dates.
//!
//! Only UTC ("Z") forms are accepted, which is all that Intel and AMD use. Dates before 1970
//! are refused (they never occur in this PKI and refusing keeps results unsigned).

/// Unix seconds of a civil UTC date and time, or `None` if a field is out of range.
fn unix_secs(year: u32, month: u32, day: u32, hour: u32, min: u32, sec: u32) -> Option<u64> {
	if !(1970..=9999).contains(&year)
		|| !(1..=12).contains(&month)
		|| day == 0
		|| day > days_in_month(year, month)
		|| hour > 23
		|| min > 59
		|| sec > 60
	{
		return None;
	}
	// Days before `year`, then before `month`, then before `day`.
	let mut days: u64 = 0;
	for y in 1970..year {
		days = days.checked_add(if is_leap(y) { 366 } else { 365 })?;
	}
	for m in 1..month {
		days = days.checked_add(u64::from(days_in_month(year, m)))?;
	}
	days = days.checked_add(u64::from(day.checked_sub(1)?))?;
	let secs = u64::from(hour)
		.checked_mul(3600)?
		.checked_add(u64::from(min).checked_mul(60)?)?
		.checked_add(u64::from(sec))?;
	days.checked_mul(86_400)?.checked_add(secs)
}

fn is_leap(y: u32) -> bool {
	(y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u32, m: u32) -> u32 {
	match m {
		1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
		4 | 6 | 9 | 11 => 30,
		2 if is_leap(y) => 29,
		2 => 28,
		_ => 0,
	}
}

/// Parse `n` ASCII digits.
fn digits(bytes: &[u8]) -> Option<u32> {
	let mut v: u32 = 0;
	for &b in bytes {
		if !b.is_ascii_digit() {
			return None;
		}
		v = v
			.checked_mul(10)?
			.checked_add(u32::from(b.checked_sub(b'0')?))?;
	}
	Some(v)
}

/// ASN.1 UTCTime `YYMMDDHHMMSSZ` (RFC 5280: YY < 50 means 20YY).
pub(crate) fn utc_time(bytes: &[u8]) -> Option<u64> {
	let [y @ .., b'Z'] = bytes else { return None };
	if y.len() != 12 {
		return None;
	}
	let yy = digits(y.get(0..2)?)?;
	let year = if yy < 50 {
		2000u32.checked_add(yy)?
	} else {
		1900u32.checked_add(yy)?
	};
	unix_secs(
		year,
		digits(y.get(2..4)?)?,
		digits(y.get(4..6)?)?,
		digits(y.get(6..8)?)?,
		digits(y.get(8..10)?)?,
		digits(y.get(10..12)?)?,
	)
}

/// ASN.1 GeneralizedTime `YYYYMMDDHHMMSSZ`.
pub(crate) fn generalized_time(bytes: &[u8]) -> Option<u64> {
	let [y @ .., b'Z'] = bytes else { return None };
	if y.len() != 14 {
		return None;
	}
	unix_secs(
		digits(y.get(0..4)?)?,
		digits(y.get(4..6)?)?,
		digits(y.get(6..8)?)?,
		digits(y.get(8..10)?)?,
		digits(y.get(10..12)?)?,
		digits(y.get(12..14)?)?,
	)
}

/// An X.509 `Time` element (UTCTime or GeneralizedTime).
pub(crate) fn asn1_time(tlv: &crate::asn1::Tlv<'_>) -> Option<u64> {
	match tlv.tag {
		crate::asn1::tag::UTC_TIME => utc_time(tlv.value),
		crate::asn1::tag::GENERALIZED_TIME => generalized_time(tlv.value),
		_ => None,
	}
}

/// RFC 3339 `YYYY-MM-DDTHH:MM:SSZ`, optionally with fractional seconds (ignored), as Intel's
/// collateral JSON uses.
pub(crate) fn rfc3339(s: &str) -> Option<u64> {
	let b = s.as_bytes();
	let (main, rest) = b.split_at_checked(19)?;
	let ok_seps = main.get(4) == Some(&b'-')
		&& main.get(7) == Some(&b'-')
		&& main.get(10) == Some(&b'T')
		&& main.get(13) == Some(&b':')
		&& main.get(16) == Some(&b':');
	if !ok_seps {
		return None;
	}
	let rest = match rest.split_first() {
		Some((b'.', frac)) => {
			let end = frac.iter().position(|c| !c.is_ascii_digit())?;
			if end == 0 {
				return None;
			}
			frac.get(end..)?
		}
		_ => rest,
	};
	if rest != b"Z" {
		return None;
	}
	unix_secs(
		digits(main.get(0..4)?)?,
		digits(main.get(5..7)?)?,
		digits(main.get(8..10)?)?,
		digits(main.get(11..13)?)?,
		digits(main.get(14..16)?)?,
		digits(main.get(17..19)?)?,
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn converts_known_dates() {
		assert_eq!(rfc3339("1970-01-01T00:00:00Z"), Some(0));
		assert_eq!(rfc3339("2025-06-19T10:16:03Z"), Some(1_750_328_163));
		assert_eq!(rfc3339("2000-02-29T00:00:00.123Z"), Some(951_782_400));
		assert_eq!(utc_time(b"250619101603Z"), Some(1_750_328_163));
		assert_eq!(generalized_time(b"20250619101603Z"), Some(1_750_328_163));
	}

	#[test]
	fn rejects_bad_dates() {
		assert_eq!(rfc3339("2025-02-29T00:00:00Z"), None);
		assert_eq!(rfc3339("2025-06-19T10:16:03+01:00"), None);
		assert_eq!(rfc3339("2025-06-19"), None);
		assert_eq!(utc_time(b"2506191016Z"), None);
		assert_eq!(generalized_time(b"1969123123595 9Z"), None);
	}
}
