//! Contributions that are not code: working-group meetings (MeetBot summaries), rosters
//! kept by people (user-group organisers, meetup moderators, track chairs, ...), and the
//! Foundation's AUC metrics export. Operators contribute this way, and a policy may count
//! it; the readers here only record who did what and when.
//!
//! - MeetBot text summaries: files named `<meeting_id>.<YYYY-MM-DD-HH.MM>.txt` (UTC), with
//!   a `People present (lines said)` section of `* nick (N)` lines. Nicks are normalised
//!   as the User Committee's script did (spaces and underscores stripped from both ends,
//!   lower-cased); the bot's own nick is left out.
//! - Roster CSV: `criterion` (or `role`), `name`, `email`, `evidence`, `date`.
//! - AUC metrics CSV (the Foundation's export): `identifier`, `value`, `member_email`,
//!   `expires`; other columns ignored.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use crate::ingest::limits::{MAX_ATTENDEES, field_too_long};
use crate::ingest::timestamp::parse_rfc3339;
use crate::ingest::{FileDigest, InputPath, header, read_text};
use crate::model::LineCounter;
use crate::model::{
    Activities, Attendance, Code, FileId, Instant, Meeting, MetricEntry, Origin, Position,
    RosterEntry, normalize_nick,
};
use crate::model::{Diagnostics, Problem};
use crate::model::{address_problem, excerpt};

/// The nicks MeetBot itself speaks under, left out of attendance unless the election
/// names others.
pub const DEFAULT_BOTS: &[&str] = &["openstack", "zodbot", "meetbot"];

impl Activities {
    /// Read one MeetBot summary. `bots` are normalised nicks to leave out.
    ///
    /// # Errors
    /// Only when the file cannot be read.
    pub fn read_meetbot(
        &mut self,
        input: &InputPath,
        file: FileId,
        bots: &[String],
        diagnostics: &mut Diagnostics,
    ) -> std::io::Result<FileDigest> {
        let (text, digest) = read_text(input)?;
        self.parse_meetbot(&input.display, &input.path, &text, file, bots, diagnostics);
        Ok(digest)
    }

    /// Parse the text of the MeetBot summary at `path` (its file name dates the meeting).
    pub fn parse_meetbot(
        &mut self,
        name: &str,
        path: &Path,
        text: &str,
        file: FileId,
        bots: &[String],
        diagnostics: &mut Diagnostics,
    ) {
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Some((series, at)) = meeting_from_file_name(file_name) else {
            diagnostics.push(Problem::error(
                Code::MeetingSummaryInvalid,
                name,
                format!("file name {} is not <meeting_id>.<YYYY-MM-DD-HH.MM>.txt, expected a MeetBot summary name such as ops_meetups_team.2016-12-13-15.03.txt", excerpt(file_name)),
            ));
            return;
        };
        let heading = text
            .lines()
            .position(|l| l.trim().eq_ignore_ascii_case("people present (lines said)"));
        let Some(heading) = heading else {
            diagnostics.push(Problem::error(
                Code::MeetingSummaryInvalid,
                name,
                "no \"People present (lines said)\" section, expected a MeetBot text summary",
            ));
            return;
        };
        // Who was present, gathered before anything is recorded: a summary listing more
        // people than any meeting has is refused whole.
        let mut present: Vec<(String, u32, u64)> = Vec::new();
        let mut started = false;
        for (i, line) in text.lines().enumerate().skip(heading + 1) {
            let trimmed = line.trim();
            if trimmed.chars().all(|c| c == '-') && !trimmed.is_empty() && !started {
                continue;
            }
            let Some(entry) = trimmed.strip_prefix('*') else {
                if started || !trimmed.is_empty() {
                    break;
                }
                continue;
            };
            started = true;
            let line_no = i as u64 + 1;
            let entry = entry.trim();
            let parsed = entry.rsplit_once('(').and_then(|(nick, count)| {
                Some((nick, count.strip_suffix(')')?.trim().parse::<u32>().ok()?))
            });
            let Some((nick, lines)) = parsed else {
                diagnostics.push(
                    Problem::error(
                        Code::MeetingSummaryInvalid,
                        name,
                        format!(
                            "{} is not an attendee line, expected \"* nick (lines said)\"",
                            excerpt(trimmed)
                        ),
                    )
                    .at_line(line_no),
                );
                continue;
            };
            if let Some(message) = field_too_long(nick.trim()) {
                diagnostics.push(
                    Problem::error(Code::FieldTooLong, name, format!("nick {message}"))
                        .at_line(line_no),
                );
                continue;
            }
            let nick = normalize_nick(nick);
            if nick.is_empty() || bots.contains(&nick) {
                continue;
            }
            if present.len() == MAX_ATTENDEES {
                diagnostics.push(
                    Problem::error(
                        Code::InputTooLarge,
                        name,
                        format!("more than {MAX_ATTENDEES} people present, expected at most {MAX_ATTENDEES} at one meeting; the summary is not read"),
                    )
                    .at_line(line_no),
                );
                return;
            }
            present.push((nick, lines, line_no));
        }
        let meeting = u32::try_from(self.meetings.len()).unwrap_or(u32::MAX);
        self.meetings.push(Meeting {
            series,
            at,
            origin: Origin {
                file,
                position: u32::try_from(heading + 1).unwrap_or(u32::MAX),
                kind: Position::Line,
            },
        });
        for (nick, lines, line_no) in present {
            let nick = self.intern_nick(&nick);
            self.attendance.push(Attendance {
                meeting,
                nick,
                lines,
                origin: Origin {
                    file,
                    position: u32::try_from(line_no).unwrap_or(u32::MAX),
                    kind: Position::Line,
                },
            });
        }
    }

    /// Read a roster CSV.
    ///
    /// # Errors
    /// Only when the file cannot be read.
    pub fn read_roster(
        &mut self,
        input: &InputPath,
        file: FileId,
        diagnostics: &mut Diagnostics,
    ) -> std::io::Result<(FileDigest, u64, u64)> {
        let (text, digest) = read_text(input)?;
        let (read, rejected) = self.parse_roster(&input.display, &text, file, diagnostics);
        Ok((digest, read, rejected))
    }

    /// Parse the text of a roster CSV: the rows read and the rows rejected.
    pub fn parse_roster(
        &mut self,
        name: &str,
        text: &str,
        file: FileId,
        diagnostics: &mut Diagnostics,
    ) -> (u64, u64) {
        let (mut read, mut rejected) = (0, 0);
        // Each row is checked and kept (or not) as it is read: the rows are never all in
        // memory beside what is kept of them.
        let each = |table: &Table, row: &Row, diagnostics: &mut Diagnostics| {
            read += 1;
            let mut ok = true;
            let role = row.get(table, "criterion");
            let email = row.get(table, "email");
            let date = row.get(table, "date");
            if role.is_empty() {
                diagnostics.push(row.problem(
                    Code::FieldMissing,
                    name,
                    "criterion",
                    "is empty, expected a criterion such as \"user-group-organiser\"".to_owned(),
                ));
                ok = false;
            }
            if let Some((code, message)) = address_problem(email) {
                diagnostics.push(row.problem(code, name, "email", message));
                ok = false;
            }
            for field in ["criterion", "name", "evidence"] {
                if let Some(message) = field_too_long(row.get(table, field)) {
                    diagnostics.push(row.problem(Code::FieldTooLong, name, field, message));
                    ok = false;
                }
            }
            let at = match parse_date_or_instant(date) {
                Ok(at) => Some(at),
                Err(message) => {
                    diagnostics.push(row.problem(Code::FieldInvalid, name, "date", message));
                    ok = false;
                    None
                }
            };
            let (true, Some(at)) = (ok, at) else {
                rejected += 1;
                return;
            };
            let optional = |column: &str| {
                Some(row.get(table, column))
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            self.roster.push(RosterEntry {
                role: role.to_owned(),
                name: optional("name"),
                email: email.to_owned(),
                evidence: optional("evidence"),
                at,
                origin: row.origin(file),
            });
        };
        let Some(broken) = Table::read(
            name,
            text,
            &[&["criterion", "role"], &["email"], &["date"]],
            &["name", "evidence"],
            diagnostics,
            each,
        ) else {
            return (0, 0);
        };
        (read + broken, rejected + broken)
    }

    /// Read the Foundation's AUC metrics export.
    ///
    /// # Errors
    /// Only when the file cannot be read.
    pub fn read_metrics(
        &mut self,
        input: &InputPath,
        file: FileId,
        diagnostics: &mut Diagnostics,
    ) -> std::io::Result<(FileDigest, u64, u64)> {
        let (text, digest) = read_text(input)?;
        let (read, rejected) = self.parse_metrics(&input.display, &text, file, diagnostics);
        Ok((digest, read, rejected))
    }

    /// Parse the text of an AUC metrics CSV: the rows read and the rows rejected.
    pub fn parse_metrics(
        &mut self,
        name: &str,
        text: &str,
        file: FileId,
        diagnostics: &mut Diagnostics,
    ) -> (u64, u64) {
        let (mut read, mut rejected) = (0, 0);
        // Each row is checked and kept (or not) as it is read: the rows are never all in
        // memory beside what is kept of them.
        let each = |table: &Table, row: &Row, diagnostics: &mut Diagnostics| {
            read += 1;
            let identifier = row.get(table, "identifier");
            let email = row.get(table, "member_email");
            let expires = row.get(table, "expires");
            let mut ok = true;
            if identifier.is_empty() {
                diagnostics.push(row.problem(
                    Code::FieldMissing,
                    name,
                    "identifier",
                    "is empty, expected a metric identifier".to_owned(),
                ));
                ok = false;
            }
            if let Some((code, message)) = address_problem(email) {
                diagnostics.push(row.problem(code, name, "member_email", message));
                ok = false;
            }
            for field in ["identifier", "value"] {
                if let Some(message) = field_too_long(row.get(table, field)) {
                    diagnostics.push(row.problem(Code::FieldTooLong, name, field, message));
                    ok = false;
                }
            }
            let expires = if expires.is_empty() {
                None
            } else {
                match parse_date_or_instant(expires) {
                    Ok(at) => Some(at),
                    Err(message) => {
                        diagnostics.push(row.problem(Code::FieldInvalid, name, "expires", message));
                        ok = false;
                        None
                    }
                }
            };
            if !ok {
                rejected += 1;
                return;
            }
            self.metrics.push(MetricEntry {
                identifier: identifier.to_owned(),
                value: row.get(table, "value").to_owned(),
                email: email.to_owned(),
                expires,
                origin: row.origin(file),
            });
        };
        let Some(broken) = Table::read(
            name,
            text,
            &[&["identifier"], &["member_email", "email"]],
            &["value", "expires"],
            diagnostics,
            each,
        ) else {
            return (0, 0);
        };
        (read + broken, rejected + broken)
    }
}

/// `ops_meetups_team.2016-12-13-15.03.txt` → (`ops_meetups_team`, 2016-12-13T15:03:00Z).
#[must_use]
pub fn meeting_from_file_name(file_name: &str) -> Option<(String, Instant)> {
    let stem = file_name.strip_suffix(".txt")?;
    // The date is the last 16 characters; meeting ids may themselves contain dots.
    let split = stem.len().checked_sub(17)?;
    let (series, date) = (stem.get(..split)?, stem.get(split..)?);
    let date = date.strip_prefix('.')?;
    let at = NaiveDateTime::parse_from_str(date, "%Y-%m-%d-%H.%M")
        .ok()?
        .and_utc();
    (!series.is_empty()).then(|| (series.to_owned(), at))
}

/// A roster or export date: `YYYY-MM-DD` (00:00 UTC), `YYYY-MM-DD HH:MM:SS` (UTC, as the
/// Foundation's exports write it), or RFC 3339 with an offset.
///
/// # Errors
/// A message quoting the value and saying what was expected.
pub fn parse_date_or_instant(text: &str) -> Result<Instant, String> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        && let Some(at) = date.and_hms_opt(0, 0, 0)
    {
        return Ok(at.and_utc());
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        return Ok(at.and_utc());
    }
    parse_rfc3339(text).map_err(|_| {
        format!(
            "{} is not a date, expected YYYY-MM-DD, \"YYYY-MM-DD HH:MM:SS\" (UTC) or RFC 3339",
            excerpt(text)
        )
    })
}

/// A small CSV with named columns: header names matched case-insensitively, each required
/// column by one of several names.
struct Table {
    /// Canonical column name (the first alias) → position.
    columns: Vec<(&'static str, usize)>,
}

struct Row {
    line: u64,
    /// The values of the table's columns, in the order of [`Table::columns`]: the
    /// columns nobody reads are not kept.
    fields: Vec<String>,
}

impl Table {
    /// Read the header, then hand each row to `each` as it is read; the number of rows
    /// that could not be read at all (reported). `None` when the header is unusable.
    fn read(
        name: &str,
        text: &str,
        required: &[&[&'static str]],
        optional: &[&'static str],
        diagnostics: &mut Diagnostics,
        mut each: impl FnMut(&Self, &Row, &mut Diagnostics),
    ) -> Option<u64> {
        if text.trim().is_empty() {
            let names: Vec<&str> = required.iter().map(|aliases| aliases[0]).collect();
            diagnostics.push(Problem::error(
                Code::InputEmpty,
                name,
                format!("file is empty, expected a header with {}", names.join(", ")),
            ));
            return None;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut lines = LineCounter::new(text.as_bytes());
        let mut records = reader.records();
        let (header_line, header): (u64, Vec<String>) = match records.next() {
            Some(Ok(record)) => (
                record
                    .position()
                    .map_or(1, |position| lines.record_line(position.byte())),
                record
                    .iter()
                    .map(|h| h.trim().to_ascii_lowercase())
                    .collect(),
            ),
            Some(Err(err)) => {
                let line = err
                    .position()
                    .map_or(1, |position| lines.record_line(position.byte()));
                diagnostics.push(
                    Problem::error(
                        Code::RowMalformed,
                        name,
                        format!("cannot read the header: {err}"),
                    )
                    .at_line(line),
                );
                return None;
            }
            None => return None,
        };
        let mut columns = Vec::new();
        let mut missing = Vec::new();
        for aliases in required {
            match aliases
                .iter()
                .find_map(|a| header.iter().position(|h| h == a))
            {
                Some(position) => columns.push((aliases[0], position)),
                None => missing.push(aliases.join(" or ")),
            }
        }
        for column in optional {
            if let Some(position) = header.iter().position(|h| h == column) {
                columns.push((*column, position));
            }
        }
        if !missing.is_empty() {
            let cells: Vec<&str> = header.iter().map(String::as_str).collect();
            let wanted: Vec<&str> = required
                .iter()
                .filter(|aliases| !aliases.iter().any(|a| cells.contains(a)))
                .map(|aliases| aliases[0])
                .collect();
            let found = header::found(
                &cells,
                |cell| {
                    required.iter().any(|aliases| aliases.contains(&cell))
                        || optional.contains(&cell)
                },
                &wanted,
            );
            diagnostics.push(
                Problem::error(
                    Code::HeaderMissingColumn,
                    name,
                    format!(
                        "missing column {}, expected a header with {} ({found})",
                        missing.join(", "),
                        required
                            .iter()
                            .map(|a| a[0])
                            .chain(optional.iter().copied())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                )
                .at_line(header_line),
            );
            return None;
        }
        let table = Self { columns };
        let mut broken = 0;
        for record in records {
            match record {
                Ok(record) => {
                    let line = record
                        .position()
                        .map_or(0, |position| lines.record_line(position.byte()));
                    if record.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    if record.len() != header.len() {
                        broken += 1;
                        diagnostics.push(
                            Problem::error(
                                Code::RowMalformed,
                                name,
                                format!(
                                    "row has {} fields, expected {} as in the header",
                                    record.len(),
                                    header.len()
                                ),
                            )
                            .at_line(line),
                        );
                        continue;
                    }
                    let row = Row {
                        line,
                        fields: table
                            .columns
                            .iter()
                            .map(|(_, position)| {
                                record.get(*position).unwrap_or("").trim().to_owned()
                            })
                            .collect(),
                    };
                    each(&table, &row, diagnostics);
                }
                Err(err) => {
                    broken += 1;
                    let line = err
                        .position()
                        .map_or(0, |position| lines.record_line(position.byte()));
                    diagnostics.push(
                        Problem::error(Code::RowMalformed, name, format!("malformed CSV: {err}"))
                            .at_line(line),
                    );
                }
            }
        }
        Some(broken)
    }
}

impl Row {
    fn get<'r>(&'r self, table: &Table, column: &str) -> &'r str {
        table
            .columns
            .iter()
            .position(|(c, _)| *c == column)
            .and_then(|i| self.fields.get(i))
            .map_or("", String::as_str)
    }

    fn problem(&self, code: Code, name: &str, field: &str, message: String) -> Problem {
        Problem::error(code, name, message)
            .at_line(self.line)
            .in_field(field)
    }

    fn origin(&self, file: FileId) -> Origin {
        Origin {
            file,
            position: u32::try_from(self.line).unwrap_or(u32::MAX),
            kind: Position::Line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format_instant;

    const SUMMARY: &str = "\
=====================================
#openstack-meeting: ops meetups team
=====================================

Meeting started by chair_a at 15:03:11 UTC.

Meeting summary
---------------
* agenda  (chair_a, 15:04:00)

People present (lines said)
---------------------------
* chair_a (48)
* Ops_Bob_ (12)
* openstack (6)
* lurker (0)

Generated by `MeetBot`_ 0.1.4
";

    #[test]
    fn meetbot_summaries_give_attendance() {
        let mut a = Activities::default();
        let mut d = Diagnostics::default();
        let bots: Vec<String> = DEFAULT_BOTS.iter().map(|b| (*b).to_owned()).collect();
        a.parse_meetbot(
            "m.txt",
            Path::new("meetbot/ops_meetups_team.2016-12-13-15.03.txt"),
            SUMMARY,
            FileId(0),
            &bots,
            &mut d,
        );
        assert!(d.is_empty(), "{:?}", d.all());
        assert_eq!(a.meetings[0].series, "ops_meetups_team");
        assert_eq!(format_instant(a.meetings[0].at), "2016-12-13T15:03:00Z");
        let seen: Vec<(&str, u32)> = a
            .attendance
            .iter()
            .map(|x| (a.nicks[x.nick as usize].as_str(), x.lines))
            .collect();
        assert_eq!(
            seen,
            [("chair_a", 48), ("ops_bob", 12), ("lurker", 0)],
            "bot left out, nicks normalised"
        );
        assert_eq!(a.attendance[1].origin.position, 14);
    }

    #[test]
    fn meetbot_problems() {
        let mut a = Activities::default();
        let mut d = Diagnostics::default();
        a.parse_meetbot(
            "x.txt",
            Path::new("notes.txt"),
            SUMMARY,
            FileId(0),
            &[],
            &mut d,
        );
        a.parse_meetbot(
            "y.txt",
            Path::new("wg.2016-01-01-10.00.txt"),
            "nothing here\n",
            FileId(0),
            &[],
            &mut d,
        );
        a.parse_meetbot(
            "z.txt",
            Path::new("wg.2016-01-01-10.00.txt"),
            "People present (lines said)\n---\n* bob 12\n",
            FileId(0),
            &[],
            &mut d,
        );
        let messages: Vec<String> = d.all().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "x.txt: file name \"notes.txt\" is not <meeting_id>.<YYYY-MM-DD-HH.MM>.txt, expected a MeetBot summary name such as ops_meetups_team.2016-12-13-15.03.txt",
                "y.txt: no \"People present (lines said)\" section, expected a MeetBot text summary",
                "z.txt:3: \"* bob 12\" is not an attendee line, expected \"* nick (lines said)\"",
            ]
        );
    }

    #[test]
    fn file_names_with_dots_in_the_meeting_id() {
        let (series, at) = meeting_from_file_name("k8s.sig.2019-02-03-04.05.txt").unwrap();
        assert_eq!(series, "k8s.sig");
        assert_eq!(format_instant(at), "2019-02-03T04:05:00Z");
        assert!(meeting_from_file_name(".2019-02-03-04.05.txt").is_none());
        assert!(meeting_from_file_name("x.2019-02-03.txt").is_none());
    }

    #[test]
    fn rosters_and_metrics() {
        let mut a = Activities::default();
        let mut d = Diagnostics::default();
        let (read, rejected) = a.parse_roster(
            "r.csv",
            "Role,Name,Email,Evidence,Date\nuser-group-organiser,Ann,ann@example.org,Ops Meetup Berlin,2016-01-20\n\ntrack-chair,Bo,bo-at-example,,2016-02-30\n",
            FileId(0),
            &mut d,
        );
        assert_eq!((read, rejected), (2, 1));
        assert_eq!(a.roster[0].role, "user-group-organiser");
        let messages: Vec<String> = d.all().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "r.csv:4: field email: \"bo-at-example\" is not an e-mail address, expected one such as \"jane@example.org\"",
                "r.csv:4: field date: \"2016-02-30\" is not a date, expected YYYY-MM-DD, \"YYYY-MM-DD HH:MM:SS\" (UTC) or RFC 3339",
            ]
        );
        let mut d = Diagnostics::default();
        let (read, rejected) = a.parse_metrics(
            "m.csv",
            "identifier,value,member_email,expires,id\nTRACK_CHAIR,Cloud,ann@example.org,2017-01-01 00:00:00,7\n",
            FileId(0),
            &mut d,
        );
        assert_eq!((read, rejected), (1, 0));
        assert!(d.is_empty());
        assert_eq!(
            format_instant(a.metrics[0].expires.unwrap()),
            "2017-01-01T00:00:00Z"
        );
        let (_, _) = a.parse_metrics("m.csv", "value\n", FileId(0), &mut d);
        assert_eq!(
            d.all()[0].to_string(),
            "m.csv:1: missing column identifier, member_email or email, expected a header with identifier, member_email, value, expires (found: value)"
        );
    }
}
