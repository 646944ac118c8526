//! Problems found in the inputs, each with its location: the file, the line (or record),
//! the field, what was found and what was expected. Readers collect every problem instead
//! of stopping at the first, so an official fixes an export in one pass.

use std::fmt;

use serde::Serialize;

use crate::model::Code;

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

/// 1-based line and column of a byte offset in a text.
#[must_use]
pub fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, column)
}

/// Physical line numbers (1-based) of byte offsets in one text, for readers built on the
/// `csv` crate: its own line count skips blank lines, so after one it names the wrong line
/// of the file. Offsets asked for in increasing order cost one pass over the text.
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
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.at..offset]).count() as u64;
        self.at = offset;
        self.line
    }
}

/// The problems of a run, in the order they were found.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics {
    problems: Vec<Problem>,
}

impl Diagnostics {
    pub fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.problems.extend(other.problems);
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

/// A value quoted for a message: `{:?}` quoting (so spaces and control characters show),
/// cut after 40 characters with `…` after the closing quote, so that a huge value makes a
/// one-line message.
#[must_use]
pub fn excerpt(value: &str) -> String {
    match value.char_indices().nth(40) {
        None => format!("{value:?}"),
        Some((cut, _)) => format!("{:?}…", value.get(..cut).unwrap_or(value)),
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
    fn lines_count_blank_lines_too() {
        let text = b"a,b\n1,2\n\n3,4\n\r\n5,6\n";
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.line_of(0), 1);
        assert_eq!(lines.line_of(4), 2);
        assert_eq!(lines.line_of(9), 4, "after a blank line");
        assert_eq!(lines.line_of(15), 6);
        assert_eq!(lines.line_of(4), 2, "going back recounts");
        assert_eq!(
            lines.record_line(8),
            4,
            "csv reports a record after a blank line at the blank line"
        );
    }
}
