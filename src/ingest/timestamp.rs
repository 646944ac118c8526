//! Timestamps as exports write them. The changes CSV requires RFC 3339 with an offset
//! (an instant without one is ambiguous, and a roll cannot rest on a guess); Gerrit's REST
//! API writes UTC without an offset (`2015-03-04 00:00:00.000000000`), which its
//! documentation defines as UTC; `gerrit query` writes seconds since the epoch.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::model::{Instant, excerpt};

/// Parse RFC 3339 with a `Z` or numeric offset (`T` or a space between date and time).
///
/// # Errors
/// A message quoting the value and saying what was expected.
pub fn parse_rfc3339(text: &str) -> Result<Instant, String> {
    let trimmed = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(trimmed) {
        return exact(trimmed, at.with_timezone(&Utc));
    }
    let looks_local = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .any(|format| NaiveDateTime::parse_from_str(trimmed, format).is_ok());
    if looks_local || NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").is_ok() {
        return Err(format!(
            "{} has no UTC offset, expected RFC 3339 with an offset such as \"2015-03-04T00:00:00Z\"",
            excerpt(trimmed)
        ));
    }
    if trimmed.is_empty() {
        return Err(
            "empty, expected an RFC 3339 timestamp such as \"2015-03-04T00:00:00Z\"".to_owned(),
        );
    }
    Err(format!(
        "{} is not an RFC 3339 timestamp, expected one such as \"2015-03-04T00:00:00Z\"",
        excerpt(trimmed)
    ))
}

/// The days that ended with a leap second, 23:59:60 UTC (IERS Bulletin C; none since
/// 2016, and none is announced).
const LEAP_SECOND_DAYS: [(i32, u32, u32); 27] = [
    (1972, 6, 30),
    (1972, 12, 31),
    (1973, 12, 31),
    (1974, 12, 31),
    (1975, 12, 31),
    (1976, 12, 31),
    (1977, 12, 31),
    (1978, 12, 31),
    (1979, 12, 31),
    (1981, 6, 30),
    (1982, 6, 30),
    (1983, 6, 30),
    (1985, 6, 30),
    (1987, 12, 31),
    (1989, 12, 31),
    (1990, 12, 31),
    (1992, 6, 30),
    (1993, 6, 30),
    (1994, 6, 30),
    (1995, 12, 31),
    (1997, 6, 30),
    (1998, 12, 31),
    (2005, 12, 31),
    (2008, 12, 31),
    (2012, 6, 30),
    (2015, 6, 30),
    (2016, 12, 31),
];

/// Refuse what the parser would accept but not keep: more than nine digits of a second
/// (cut, not rounded), or second 60 anywhere but at a real leap second.
fn exact(text: &str, at: Instant) -> Result<Instant, String> {
    use chrono::{Datelike, Timelike};
    // `YYYY-MM-DDTHH:MM:SS` is 19 bytes; a fraction follows its dot.
    let digits = text
        .get(19..)
        .and_then(|rest| rest.strip_prefix('.'))
        .map_or(0, |fraction| {
            fraction.bytes().take_while(u8::is_ascii_digit).count()
        });
    if digits > 9 {
        return Err(format!(
            "{} has {digits} digits after the second, expected at most 9 (nanoseconds)",
            excerpt(text)
        ));
    }
    // chrono keeps a leap second as a nanosecond count of one second or more.
    if at.nanosecond() >= 1_000_000_000 {
        let day = (at.year(), at.month(), at.day());
        let real = at.hour() == 23 && at.minute() == 59 && LEAP_SECOND_DAYS.contains(&day);
        if !real {
            return Err(format!(
                "{} has second 60, which only a leap second has (23:59:60 UTC on a day one was added), expected a second from 00 to 59",
                excerpt(text)
            ));
        }
    }
    Ok(at)
}

/// Parse an election configuration instant: RFC 3339 with an offset, or a bare date
/// `YYYY-MM-DD` meaning 00:00:00 UTC that day (dates in configuration files are written
/// by officials who mean UTC midnight; the manifest records the instant it became).
///
/// # Errors
/// A message quoting the value and saying what was expected.
pub fn parse_config_instant(text: &str) -> Result<Instant, String> {
    let trimmed = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
        && let Some(midnight) = date.and_hms_opt(0, 0, 0)
    {
        return Ok(midnight.and_utc());
    }
    parse_rfc3339(trimmed)
}

/// Parse Gerrit REST's `2015-03-04 00:00:00.000000000`, which is UTC by definition.
/// An RFC 3339 value with an offset is accepted too.
///
/// # Errors
/// A message quoting the value and saying what was expected.
pub fn parse_gerrit_rest(text: &str) -> Result<Instant, String> {
    let trimmed = text.trim();
    if let Ok(naive) = NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%d %H:%M:%S%.f") {
        return exact(trimmed, naive.and_utc());
    }
    match DateTime::parse_from_rfc3339(trimmed) {
        Ok(at) => exact(trimmed, at.with_timezone(&Utc)),
        Err(_) => Err(format!(
            "{} is not a Gerrit timestamp, expected UTC as \"2015-03-04 00:00:00.000000000\"",
            excerpt(trimmed)
        )),
    }
}

/// Seconds since the Unix epoch, as `gerrit query` writes them.
///
/// # Errors
/// When the number is outside the representable range.
pub fn from_epoch_seconds(seconds: i64) -> Result<Instant, String> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| format!("{seconds} is not a valid epoch time in seconds"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format_instant;

    #[test]
    fn second_60_only_at_a_real_leap_second() {
        let leap = parse_rfc3339("2016-12-31T23:59:60Z").unwrap();
        assert!(leap > parse_rfc3339("2016-12-31T23:59:59Z").unwrap());
        assert!(leap < parse_rfc3339("2017-01-01T00:00:00Z").unwrap());
        assert!(parse_gerrit_rest("2015-06-30 23:59:60.000000000").is_ok());
        for fake in [
            "2015-06-01T12:00:60Z",
            "2016-12-30T23:59:60Z",
            "2017-12-31T23:59:60Z",
        ] {
            let err = parse_rfc3339(fake).unwrap_err();
            assert!(err.contains("has second 60"), "{fake}: {err}");
        }
        let err = parse_gerrit_rest("2015-06-01 12:00:60.000000000").unwrap_err();
        assert!(err.contains("has second 60"), "{err}");
    }

    #[test]
    fn more_than_nine_digits_of_a_second_are_refused_not_cut() {
        assert!(parse_rfc3339("2015-06-01T12:00:00.123456789Z").is_ok());
        let err = parse_rfc3339("2015-06-01T12:00:00.1234567891Z").unwrap_err();
        assert_eq!(
            err,
            "\"2015-06-01T12:00:00.1234567891Z\" has 10 digits after the second, expected at most 9 (nanoseconds)"
        );
        assert!(parse_gerrit_rest("2015-06-01 12:00:00.0000000001").is_err());
        assert!(parse_gerrit_rest("2015-06-01 12:00:00.000000000").is_ok());
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        let at = parse_rfc3339("2016-03-04T01:00:00+01:00").unwrap();
        assert_eq!(format_instant(at), "2016-03-04T00:00:00Z");
        let at = parse_rfc3339("2016-03-03T23:30:00-01:00").unwrap();
        assert_eq!(format_instant(at), "2016-03-04T00:30:00Z");
        let at = parse_rfc3339("2016-03-03T23:59:59.5Z").unwrap();
        assert_eq!(format_instant(at), "2016-03-03T23:59:59.500Z");
    }

    #[test]
    fn missing_offset_is_named() {
        assert_eq!(
            parse_rfc3339("2015-03-04 00:00:00").unwrap_err(),
            "\"2015-03-04 00:00:00\" has no UTC offset, expected RFC 3339 with an offset such as \"2015-03-04T00:00:00Z\""
        );
        assert_eq!(
            parse_rfc3339("yesterday").unwrap_err(),
            "\"yesterday\" is not an RFC 3339 timestamp, expected one such as \"2015-03-04T00:00:00Z\""
        );
        assert!(
            parse_rfc3339("2015-03-04")
                .unwrap_err()
                .contains("no UTC offset")
        );
    }

    #[test]
    fn config_dates_are_utc_midnight() {
        assert_eq!(
            format_instant(parse_config_instant("2016-03-04").unwrap()),
            "2016-03-04T00:00:00Z"
        );
        assert!(parse_config_instant("2016-03-04T00:00").is_err());
    }

    #[test]
    fn gerrit_rest_times_are_utc() {
        let at = parse_gerrit_rest("2014-08-08 20:04:30.000000000").unwrap();
        assert_eq!(format_instant(at), "2014-08-08T20:04:30Z");
        assert!(parse_gerrit_rest("08/08/2014").is_err());
    }
}
