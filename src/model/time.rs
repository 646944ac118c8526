//! Time as elections speak of it: instants (always UTC), half-open windows, the election's
//! dates, calendar months (an extra-ATC's `expires-in`), and durations read aloud.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Timelike, Utc};
use serde::Serialize;

/// A point in time, always UTC. Inputs with other offsets are converted on reading, so
/// comparisons are between instants, never between strings.
pub type Instant = DateTime<Utc>;

/// A half-open interval of time, `[start, end)`: the start instant is in, the end instant
/// is out. OpenStack's election windows are written this way (`2015-03-04T00:00Z ..
/// 2016-03-04T00:00Z`: the start day in, the end day out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    pub start: Instant,
    pub end: Instant,
}

/// Where an instant falls relative to a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Before the start, by this much.
    Before(TimeDelta),
    Inside,
    /// At or after the end; the delta is measured from the end, so an instant exactly at
    /// the end is after it by zero.
    After(TimeDelta),
}

impl Window {
    /// A window from `start` (in) to `end` (out).
    #[must_use]
    pub fn new(start: Instant, end: Instant) -> Self {
        Self { start, end }
    }

    /// The window of `days` days that ends just after `as_of`: `(as_of - days, as_of]`,
    /// the bylaws' reading of "within the last N days". Represented half-open by moving
    /// both edges one nanosecond later, which is exact because instants have nanosecond
    /// resolution.
    #[must_use]
    pub fn trailing(as_of: Instant, days: u32) -> Self {
        let nano = TimeDelta::nanoseconds(1);
        let end = as_of + nano;
        Self {
            start: end - TimeDelta::days(i64::from(days)),
            end,
        }
    }

    #[must_use]
    pub fn contains(&self, at: Instant) -> bool {
        self.start <= at && at < self.end
    }

    #[must_use]
    pub fn place(&self, at: Instant) -> Placement {
        if at < self.start {
            Placement::Before(self.start - at)
        } else if at >= self.end {
            Placement::After(at - self.end)
        } else {
            Placement::Inside
        }
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}, {})",
            format_instant(self.start),
            format_instant(self.end)
        )
    }
}

/// RFC 3339 in UTC with a `Z`, to the second, with sub-second digits only when present:
/// the one way instants are written in every output.
#[must_use]
pub fn format_instant(at: Instant) -> String {
    if at.timestamp_subsec_nanos() == 0 {
        // By hand: chrono's formatter interprets its pattern on every call, and a roll
        // CSV formats two instants per voter.
        let (date, time) = (at.date_naive(), at.time());
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            date.year(),
            date.month(),
            date.day(),
            time.hour(),
            time.minute(),
            time.second()
        )
    } else {
        at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

/// A human reading of a duration for explanations: "3 days 4 hours", "1 second".
#[must_use]
pub fn describe_duration(delta: TimeDelta) -> String {
    let total = delta.num_seconds();
    if total == 0 {
        let nanos = delta.subsec_nanos();
        return if nanos == 0 {
            "0 seconds".to_owned()
        } else {
            format!("{:.3} seconds", f64::from(nanos) / 1e9)
        };
    }
    let units = [
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ];
    let mut rest = total;
    let mut parts = Vec::new();
    for (name, size) in units {
        let n = rest / size;
        rest %= size;
        if n > 0 {
            parts.push(format!("{n} {name}{}", if n == 1 { "" } else { "s" }));
        }
        if parts.len() == 2 {
            break;
        }
    }
    parts.join(" ")
}

/// The election's dates: everything time-dependent is decided against these, never against
/// the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    /// The contribution window, `[start, end)`.
    pub window: Window,
    /// The reference instant for trailing windows and expiries; the window end unless the
    /// election says otherwise.
    pub as_of: Instant,
}

/// A calendar month, as in an extra-ATC's `expires-in: February 2017`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Month {
    /// The first instant of the month, 00:00:00 UTC on its first day.
    #[must_use]
    pub fn first_instant(self) -> Instant {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(DateTime::<Utc>::MIN_UTC, |naive| naive.and_utc())
    }

    /// Parse `February 2017`, `Feb 2017`, `Sept 2016`, `february, 2017` or `2017-02`.
    /// Month names are English, any case, full or abbreviated to three or more letters.
    ///
    /// # Errors
    /// A message saying what was expected, for the caller to place.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let expected = || {
            format!(
                "{} is not a month, expected a month and year such as \"February 2017\", \"Feb 2017\" or \"2017-02\"",
                super::excerpt(trimmed)
            )
        };
        if let Some((year, month)) = trimmed.split_once('-') {
            let year: i32 = year.parse().map_err(|_| expected())?;
            let month: u32 = month.parse().map_err(|_| expected())?;
            return if (1..=12).contains(&month) && (1000..=9999).contains(&year) {
                Ok(Self { year, month })
            } else {
                Err(expected())
            };
        }
        let mut words = trimmed
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty());
        let (Some(name), Some(year), None) = (words.next(), words.next(), words.next()) else {
            return Err(expected());
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let month = MONTH_NAMES
            .iter()
            .position(|full| {
                let full = full.to_ascii_lowercase();
                name.len() >= 3 && full.starts_with(&name)
            })
            .ok_or_else(expected)?;
        let year: i32 = year.parse().map_err(|_| expected())?;
        if !(1000..=9999).contains(&year) {
            return Err(expected());
        }
        Ok(Self {
            year,
            month: u32::try_from(month + 1).unwrap_or(1),
        })
    }

    /// The month an instant falls in.
    #[must_use]
    pub fn of(at: Instant) -> Self {
        Self {
            year: at.year(),
            month: at.month(),
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let index = usize::try_from(self.month.saturating_sub(1)).unwrap_or(0);
        let name = MONTH_NAMES.get(index).copied().unwrap_or("?");
        write!(f, "{name} {}", self.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(s: &str) -> Instant {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn window_is_half_open() {
        let w = Window::new(at("2015-03-04T00:00:00Z"), at("2016-03-04T00:00:00Z"));
        assert!(w.contains(at("2015-03-04T00:00:00Z")));
        assert!(!w.contains(at("2015-03-03T23:59:59.999999999Z")));
        assert!(w.contains(at("2016-03-03T23:59:59.999999999Z")));
        assert!(!w.contains(at("2016-03-04T00:00:00Z")));
        assert_eq!(
            w.place(at("2016-03-04T00:00:01Z")),
            Placement::After(TimeDelta::seconds(1))
        );
        assert_eq!(
            w.place(at("2015-03-03T23:59:59Z")),
            Placement::Before(TimeDelta::seconds(1))
        );
    }

    #[test]
    fn trailing_window_is_open_at_start_closed_at_as_of() {
        let as_of = at("2016-03-04T00:00:00Z");
        let w = Window::trailing(as_of, 365);
        assert!(w.contains(as_of));
        assert!(
            !w.contains(at("2015-03-05T00:00:00Z")),
            "exactly 365 days before is out"
        );
        assert!(w.contains(at("2015-03-05T00:00:00.000000001Z")));
        assert!(!w.contains(at("2016-03-04T00:00:00.000000001Z")));
    }

    #[test]
    fn months_parse_full_abbreviated_and_iso() {
        let feb = Month {
            year: 2017,
            month: 2,
        };
        for text in [
            "February 2017",
            "Feb 2017",
            "feb. 2017",
            "FEBRUARY, 2017",
            "2017-02",
        ] {
            assert_eq!(Month::parse(text), Ok(feb), "{text}");
        }
        assert_eq!(
            Month::parse("Sept 2016"),
            Ok(Month {
                year: 2016,
                month: 9
            })
        );
        assert_eq!(
            Month::parse("Oct 2021"),
            Ok(Month {
                year: 2021,
                month: 10
            })
        );
        assert_eq!(
            Month::parse("Fe 2017"),
            Err("\"Fe 2017\" is not a month, expected a month and year such as \"February 2017\", \"Feb 2017\" or \"2017-02\"".to_owned())
        );
        assert!(Month::parse("2017-13").is_err());
        assert!(Month::parse("February").is_err());
        assert!(Month::parse("Maybe 2017").is_err());
        assert_eq!(
            feb.first_instant(),
            Utc.with_ymd_and_hms(2017, 2, 1, 0, 0, 0).unwrap()
        );
        assert_eq!(feb.to_string(), "February 2017");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(describe_duration(TimeDelta::seconds(1)), "1 second");
        assert_eq!(
            describe_duration(TimeDelta::seconds(90_061)),
            "1 day 1 hour"
        );
        assert_eq!(
            describe_duration(TimeDelta::milliseconds(250)),
            "0.250 seconds"
        );
    }
}
