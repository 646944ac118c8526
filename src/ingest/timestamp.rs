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
        return Ok(at.with_timezone(&Utc));
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
        return Ok(naive.and_utc());
    }
    DateTime::parse_from_rfc3339(trimmed)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "{} is not a Gerrit timestamp, expected UTC as \"2015-03-04 00:00:00.000000000\"",
                excerpt(trimmed)
            )
        })
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
