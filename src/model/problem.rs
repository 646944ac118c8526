//! Problems found in the inputs, each with its location: the file, the line (or record),
//! the field, what was found and what was expected. Readers collect every problem instead
//! of stopping at the first, so an official fixes an export in one pass.

use std::fmt;

use serde::Serialize;

use crate::model::Code;

/// Ordered worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The record cannot be used: a roll built without it could be wrong.
    Error,
    /// Worth knowing, but nothing is lost.
    Warning,
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// What kind of problem it is (a `Problem`-kind code).
    pub code: Code,
    /// The file as the user named it.
    pub file: String,
    /// 1-based line, when the format has lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// 1-based record number, for formats where lines mean little (JSON arrays).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    #[must_use]
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: None,
            column: None,
            record: None,
            field: None,
            message: message.into(),
        }
    }

    #[must_use]
    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, file, message)
        }
    }

    #[must_use]
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    #[must_use]
    pub fn at_column(mut self, column: u64) -> Self {
        self.column = Some(column);
        self
    }

    #[must_use]
    pub fn at_record(mut self, record: u64) -> Self {
        self.record = Some(record);
        self
    }

    #[must_use]
    pub fn in_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, ":{line}:{column}")?,
            (Some(line), None) => write!(f, ":{line}")?,
            _ => {}
        }
        if let Some(record) = self.record {
            write!(f, ": record {record}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// 1-based line and column of a byte offset in a text. Each call reads the text up to
/// the offset: to locate many offsets in one text, use a [`LineIndex`].
#[must_use]
pub fn line_column(text: &str, offset: usize) -> (u64, u64) {
    LineIndex::new(text).locate(offset)
}

/// Lines and columns of byte offsets in one text, for readers that report many problems:
/// the line starts are found once, and the column of an offset after the one located
/// last on the same line is counted from there. Locating every offset of a text costs
/// about one pass over it, where [`line_column`] would cost one pass per offset.
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// The last offset located, its line (0-based) and its column (1-based).
    last: Option<(usize, usize, u64)>,
}

impl<'t> LineIndex<'t> {
    #[must_use]
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        Self {
            text,
            starts,
            last: None,
        }
    }

    /// 1-based line and column (in characters) of the byte at `offset`; an offset past
    /// the end is the end, and one inside a character is that character.
    pub fn locate(&mut self, offset: usize) -> (u64, u64) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let (from, column) = match self.last {
            Some((at, last_line, column)) if last_line == line && at <= offset => (at, column),
            _ => (self.starts[line], 1),
        };
        let column = column + self.text[from..offset].chars().count() as u64;
        self.last = Some((offset, line, column));
        (line as u64 + 1, column)
    }
}

/// The most characters of a value a message quotes.
pub const EXCERPT_CHARS: usize = 40;

/// A value quoted for a message: Rust's `{:?}` quoting (so spaces, control characters
/// and an empty value show), cut after [`EXCERPT_CHARS`] characters with `…` after the
/// closing quote, so that a field of a hundred megabytes makes a one-line message.
#[must_use]
pub fn excerpt(value: &str) -> String {
    match value.char_indices().nth(EXCERPT_CHARS) {
        None => format!("{value:?}"),
        Some((cut, _)) => format!("{:?}…", &value[..cut]),
    }
}

/// Text that is named rather than quoted (a column name, a person's name in a list):
/// control characters escaped as `{:?}` would (`\0`, `\u{1b}`), so that no input can
/// move a terminal's cursor, and cut with `…` after [`EXCERPT_CHARS`] characters as
/// shown (an escape counts as its length, so forty control characters make no name of
/// two hundred).
#[must_use]
pub fn cut(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * EXCERPT_CHARS));
    let mut shown = 0;
    for c in text.chars() {
        let escape = c.is_control().then(|| c.escape_debug());
        let width = escape.clone().map_or(1, Iterator::count);
        if shown + width > EXCERPT_CHARS {
            out.push('…');
            break;
        }
        shown += width;
        match escape {
            Some(escape) => out.extend(escape),
            None => out.push(c),
        }
    }
    out
}

/// The most characters of one line of another parser's message.
const MESSAGE_CHARS: usize = 200;

/// Another parser's message (serde, TOML, YAML, CSV), which may quote the input: every
/// quoted run (`"…"` or `` `…` ``) longer than [`EXCERPT_CHARS`] characters is cut to that
/// many with `…`, then every line to 200 characters.
#[must_use]
pub fn cut_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4 * MESSAGE_CHARS));
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '"' && c != '`' {
            continue;
        }
        // Inside a quoted run: copy up to the limit, skip the rest, keep the closing quote.
        let mut kept = 0;
        let mut escaped = false;
        let mut cut = false;
        for inner in chars.by_ref() {
            let closes = inner == c && !escaped;
            escaped = c == '"' && inner == '\\' && !escaped;
            if closes {
                break;
            }
            if kept < EXCERPT_CHARS {
                out.push(inner);
                kept += 1;
            } else {
                cut = true;
            }
        }
        out.push(c);
        if cut {
            out.push('…');
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for line in out.split('\n') {
        match line.char_indices().nth(MESSAGE_CHARS) {
            None => lines.push(line.to_owned()),
            Some((at, _)) => lines.push(format!("{}…", &line[..at])),
        }
    }
    lines.join("\n")
}

/// Physical line numbers (1-based) of byte offsets in one text, for readers built on the
/// `csv` crate: its own line count skips blank lines, so after one it names the wrong line
/// of the file. A line ends at `\n`, `\r\n` or a lone `\r`, as the `csv` crate ends
/// records. Offsets asked for in increasing order cost one pass over the text.
#[derive(Debug, Clone)]
pub struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            at: 0,
            line: 1,
        }
    }

    /// The line of a record the `csv` crate reports at `offset`: it counts the blank lines
    /// it skipped before a record as part of it, so the record itself starts after them.
    pub fn record_line(&mut self, offset: u64) -> u64 {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        let skipped = self.bytes[start..]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        self.line_of(offset + skipped as u64)
    }

    /// The line the byte at `offset` is on.
    pub fn line_of(&mut self, offset: u64) -> u64 {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        if offset < self.at {
            self.at = 0;
            self.line = 1;
        }
        let bytes = self.bytes;
        self.line += memchr::memchr2_iter(b'\n', b'\r', &bytes[self.at..offset])
            .filter(|&i| bytes[self.at + i] == b'\n' || bytes.get(self.at + i + 1) != Some(&b'\n'))
            .count() as u64;
        self.at = offset;
        self.line
    }
}

/// The most problems listed for one file; the rest are counted in one more problem
/// (`problems-not-listed`). A file with a problem every few bytes would otherwise cost a
/// hundred times its size in messages nobody reads.
pub const MAX_PROBLEMS_PER_FILE: usize = 1_000;

/// The problems of a run, in the order they were found: at most
/// [`MAX_PROBLEMS_PER_FILE`] per file, then one that counts the rest.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics {
    problems: Vec<Problem>,
    #[serde(skip)]
    per_file: rustc_hash::FxHashMap<String, Listed>,
}

/// How many problems of one file are listed, and the one counting those that are not.
#[derive(Debug, Clone, Copy, Default)]
struct Listed {
    listed: usize,
    unlisted: u64,
    /// Where the counting problem is in the list.
    summary: Option<usize>,
}

impl Diagnostics {
    pub fn push(&mut self, problem: Problem) {
        let listed = match self.per_file.get_mut(&problem.file) {
            Some(listed) => listed,
            None => self.per_file.entry(problem.file.clone()).or_default(),
        };
        if listed.listed < MAX_PROBLEMS_PER_FILE {
            listed.listed += 1;
            self.problems.push(problem);
            return;
        }
        self.count_unlisted(problem.file, 1, problem.severity);
    }

    /// Count `more` problems of `file` that are not listed, the worst of them `severity`.
    fn count_unlisted(&mut self, file: String, more: u64, severity: Severity) {
        let listed = match self.per_file.get_mut(&file) {
            Some(listed) => listed,
            None => self.per_file.entry(file.clone()).or_default(),
        };
        listed.unlisted += more;
        let message = format!(
            "{} more problem{} in this file {} not listed (the first {MAX_PROBLEMS_PER_FILE} are)",
            listed.unlisted,
            if listed.unlisted == 1 { "" } else { "s" },
            if listed.unlisted == 1 { "is" } else { "are" },
        );
        match listed.summary {
            Some(at) => {
                let summary = &mut self.problems[at];
                summary.message = message;
                // Errors sort before warnings: the worst is the least.
                summary.severity = summary.severity.min(severity);
            }
            None => {
                listed.summary = Some(self.problems.len());
                self.problems.push(Problem {
                    severity,
                    ..Problem::error(Code::ProblemsNotListed, file, message)
                });
            }
        }
    }

    /// Append the problems of `other`, found after these, each file still listing at
    /// most [`MAX_PROBLEMS_PER_FILE`].
    pub fn extend(&mut self, other: Diagnostics) {
        for problem in other.problems {
            if problem.code == Code::ProblemsNotListed {
                let more = other.per_file.get(&problem.file).map_or(0, |l| l.unlisted);
                self.count_unlisted(problem.file, more, problem.severity);
            } else {
                self.push(problem);
            }
        }
    }

    #[must_use]
    pub fn all(&self) -> &[Problem] {
        &self.problems
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| !p.is_error())
    }

    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_file_line_field_message() {
        let p = Problem::error(Code::FieldInvalid, "changes.csv", "\"x\" is not a number")
            .at_line(7)
            .in_field("change_number");
        assert_eq!(
            p.to_string(),
            "changes.csv:7: field change_number: \"x\" is not a number"
        );
        let q = Problem::warning(Code::FieldMissing, "rest.json", "no submitted time")
            .at_record(3)
            .in_field("submitted");
        assert_eq!(
            q.to_string(),
            "rest.json: record 3: field submitted: no submitted time"
        );
        let r = Problem::error(Code::ConfigUnknownKey, "projects.yaml", "unknown key")
            .at_line(4)
            .at_column(3);
        assert_eq!(r.to_string(), "projects.yaml:4:3: unknown key");
    }

    #[test]
    fn line_index_locates_in_characters_in_any_order() {
        let text = "ab\néé x\n\nz";
        let mut index = LineIndex::new(text);
        for (offset, expected) in [
            (0, (1, 1)),
            (2, (1, 3)),
            (3, (2, 1)),
            (7, (2, 3)),
            (8, (2, 4)),
            (5, (2, 2)),
            (4, (2, 1)),
            (11, (4, 1)),
            (99, (4, 2)),
        ] {
            assert_eq!(index.locate(offset), expected, "{offset}");
            assert_eq!(line_column(text, offset), expected, "{offset}");
        }
    }

    #[test]
    fn excerpts_quote_and_cut() {
        assert_eq!(excerpt("a b"), "\"a b\"");
        assert_eq!(excerpt("tab\there"), "\"tab\\there\"");
        assert_eq!(excerpt(&"é".repeat(41)), format!("\"{}\"…", "é".repeat(40)));
    }

    #[test]
    fn names_are_cut_and_their_control_characters_escaped() {
        assert_eq!(cut("Ann Lee"), "Ann Lee");
        assert_eq!(cut("nam\0e\u{1b}[31m"), "nam\\0e\\u{1b}[31m");
        assert_eq!(cut(&"x".repeat(41)), format!("{}…", "x".repeat(40)));
        assert_eq!(cut(&"x".repeat(40)), "x".repeat(40));
        // Forty characters as shown: escapes count as their length (found by fuzzing).
        assert_eq!(
            cut(&"\u{19}".repeat(26)),
            format!("{}…", "\\u{19}".repeat(6))
        );
        assert_eq!(
            cut(&format!("{}\0", "x".repeat(38))),
            format!("{}\\0", "x".repeat(38))
        );
        assert_eq!(
            cut(&format!("{}\0", "x".repeat(39))),
            format!("{}…", "x".repeat(39))
        );
    }

    #[test]
    fn other_parsers_messages_are_cut_inside_quotes() {
        let long = "x".repeat(100);
        assert_eq!(
            cut_quoted(&format!("invalid type: string \"{long}\", expected u64")),
            format!("invalid type: string \"{}\"…, expected u64", "x".repeat(40))
        );
        assert_eq!(
            cut_quoted(&format!("unknown field `{long}`, expected `name`")),
            format!("unknown field `{}`…, expected `name`", "x".repeat(40))
        );
        assert_eq!(
            cut_quoted("string \"a \\\" b\", expected"),
            "string \"a \\\" b\", expected",
            "an escaped quote does not end the run"
        );
        assert_eq!(cut_quoted(&"y".repeat(300)).chars().count(), 201);
    }

    #[test]
    fn a_file_lists_a_thousand_problems_and_counts_the_rest() {
        let mut d = Diagnostics::default();
        let mut later = Diagnostics::default();
        for line in 1..=1500 {
            let problem =
                |file: &str| Problem::warning(Code::RowMalformed, file, "bad row").at_line(line);
            d.push(problem("a.csv"));
            d.push(problem("b.csv"));
            later.push(problem("a.csv"));
        }
        later.push(Problem::error(Code::RowMalformed, "a.csv", "worse"));
        d.extend(later);
        let summaries: Vec<String> = d
            .all()
            .iter()
            .filter(|p| p.code == Code::ProblemsNotListed)
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            summaries,
            [
                "a.csv: 2001 more problems in this file are not listed (the first 1000 are)",
                "b.csv: 500 more problems in this file are not listed (the first 1000 are)",
            ]
        );
        assert_eq!(d.all().len(), 2002);
        assert_eq!(d.errors().count(), 1, "the summary counts an error");
    }

    #[test]
    fn lines_count_blank_lines_too() {
        let text = b"a,b\n1,2\n\n3,4\n\r\n5,6\n";
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.line_of(0), 1);
        assert_eq!(lines.line_of(4), 2);
        assert_eq!(lines.line_of(9), 4, "after a blank line");
        assert_eq!(lines.line_of(15), 6);
        assert_eq!(lines.line_of(4), 2, "going back recounts");
        let mut carriage = LineCounter::new(b"a\rb\r\nc\n\rd");
        assert_eq!(
            [2, 5, 7, 9].map(|offset| carriage.line_of(offset)),
            [2, 3, 4, 5],
            "a lone carriage return ends a line, as it ends a CSV record"
        );
        assert_eq!(
            lines.record_line(8),
            4,
            "csv reports a record after a blank line at the blank line"
        );
    }
}
