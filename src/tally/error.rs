//! The two ways a tally fails: an input file that cannot be read as ballots
//! ([`ParseError`]), and a count that cannot be run as asked ([`TallyError`]).
//!
//! Parse errors point at the input: file, line and field, the value found (quoted) and
//! what was expected, so an election official can open the file and fix the line.
//! Messages are lowercase without a trailing period, as everywhere in `electorate`.

use std::fmt::{self, Write as _};

/// Values are quoted as everywhere else: [`crate::model::excerpt`].
pub use crate::model::{EXCERPT_CHARS, excerpt};

/// Text that is not a quoted value (a number as written, another parser's message) but
/// can still carry input (the TOML parser names an unknown key as written, line breaks and
/// other control characters included): one line, control characters escaped as `{:?}`
/// would (`\n`, `\u{96}`), cut with `…` after [`MESSAGE_CHARS`] characters as shown.
struct Cut<'a>(&'a str);

/// The most characters of such text.
const MESSAGE_CHARS: usize = 200;

impl fmt::Display for Cut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = 0;
        for c in self.0.chars() {
            let escape = c.is_control().then(|| c.escape_debug());
            let width = escape.clone().map_or(1, Iterator::count);
            if shown + width > MESSAGE_CHARS {
                return f.write_str("…");
            }
            shown += width;
            match escape {
                Some(escape) => escape.into_iter().try_for_each(|e| f.write_char(e))?,
                None => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// [`excerpt`] in a format string.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&excerpt(self.0))
    }
}

/// Where in an input file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line number, when the problem belongs to a line.
    pub line: Option<u32>,
    /// The field within the line, when the problem belongs to one.
    pub field: Option<Field>,
}

/// A field within a line: its 1-based position and, when it has one, its label
/// (usually the candidate the column stands for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub number: usize,
    pub label: Option<String>,
}

impl Location {
    /// The whole file.
    #[must_use]
    pub fn file(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            field: None,
        }
    }

    /// One line of a file.
    #[must_use]
    pub fn line(file: &str, line: u32) -> Self {
        Self {
            file: file.to_owned(),
            line: Some(line),
            field: None,
        }
    }

    /// One field of one line.
    #[must_use]
    pub fn field(file: &str, line: u32, number: usize, label: Option<&str>) -> Self {
        Self {
            file: file.to_owned(),
            line: Some(line),
            field: Some(Field {
                number,
                label: label.map(str::to_owned),
            }),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field {}", field.number)?;
            if let Some(label) = &field.label {
                write!(f, " ({})", Quoted(label))?;
            }
        }
        Ok(())
    }
}

/// An input file that could not be read as ballots (or as a roll, or a candidates file).
///
/// Boxed, so that `Result<_, ParseError>` stays one pointer wide on the happy path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {}", .0.location, .0.problem)]
pub struct ParseError(Box<Located>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Located {
    location: Location,
    problem: ParseProblem,
}

impl ParseError {
    #[must_use]
    pub fn new(location: Location, problem: ParseProblem) -> Self {
        Self(Box::new(Located { location, problem }))
    }

    /// Where the problem is.
    #[must_use]
    pub fn location(&self) -> &Location {
        &self.0.location
    }

    /// What the problem is.
    #[must_use]
    pub fn problem(&self) -> &ParseProblem {
        &self.0.problem
    }
}

/// What was wrong at a [`Location`]. Every variant says what was found and what was
/// expected; `found` values are quoted with Rust's `{:?}` so that spaces, empty
/// strings and control characters are visible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseProblem {
    #[error("the file is empty, expected {expected}")]
    Empty { expected: String },

    #[error("byte {byte:#04x} at column {column} is not UTF-8, expected UTF-8 text")]
    NotUtf8 { byte: u8, column: usize },

    #[error("rank {} is not a number, expected {expected}", Quoted(.found))]
    RankNotANumber { found: String, expected: String },

    #[error("rank {} is out of range, expected {expected}", Cut(.found))]
    RankOutOfRange { found: String, expected: String },

    #[error("the line has {found} fields, expected {expected}")]
    FieldCount { found: usize, expected: String },

    #[error("unknown candidate {}, expected {expected}", Quoted(.found))]
    UnknownCandidate { found: String, expected: String },

    #[error("candidate {} is ranked twice, expected each candidate at most once per ballot", Quoted(.name))]
    RankedTwice { name: String },

    #[error("candidate {} is listed twice, expected distinct candidates", Quoted(.name))]
    DuplicateCandidate { name: String },

    #[error("{what} {} is not valid, expected {expected}", Quoted(.found))]
    Invalid {
        what: &'static str,
        found: String,
        expected: String,
    },

    #[error("found {found}, expected {expected}")]
    Unexpected { found: String, expected: String },

    #[error("{found}, but this file was read as {format}: expected {expected}")]
    MixedFormats {
        found: String,
        format: &'static str,
        expected: String,
    },

    #[error("the file holds no ballots, expected {expected}")]
    NoBallots { expected: String },

    #[error("the ballots' total weight exceeds {max}, expected a smaller election")]
    TooMuchWeight { max: u64 },

    #[error("{count} candidates, expected at most {max}")]
    TooManyCandidates { count: usize, max: usize },

    #[error(
        "the line starting {start} is longer than {max} bytes, expected at most {max} bytes per line"
    )]
    LineTooLong {
        /// How the line starts, already quoted with [`excerpt`].
        start: String,
        max: usize,
    },

    #[error("{what} {found} is {length} characters long, expected at most {max}")]
    TooLong {
        what: &'static str,
        /// The value, already quoted with [`excerpt`].
        found: String,
        length: usize,
        max: usize,
    },

    #[error("{}", Cut(.message))]
    Toml { message: String },
}

/// A count that cannot be run as asked: the wrong kind of ballots for the method, more
/// seats than candidates, too many candidates for the method.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TallyError {
    #[error("method {method:?} needs ranked ballots, but {file} holds votes per candidate")]
    NeedsRankedBallots { method: &'static str, file: String },

    #[error("method {method:?} needs votes per candidate, but {file} holds rankings")]
    NeedsVotes { method: &'static str, file: String },

    #[error("{seats} seats, expected at least 1 and at most {standing} (the standing candidates)")]
    SeatsOutOfRange { seats: u32, standing: usize },

    #[error(
        "--max-per-affiliation needs candidate affiliations, but no candidate has one; expected a --candidates file with an affiliation column"
    )]
    NoAffiliations,

    #[error("--max-per-affiliation {max}, expected at least 1")]
    CapTooSmall { max: u32 },

    #[error(
        "{standing} standing candidates, expected at most {max} for method {method:?} (a pairwise count grows with the square of the candidates)"
    )]
    TooManyCandidates {
        method: &'static str,
        standing: usize,
        max: usize,
    },

    #[error("method {method:?} does not support --max-per-affiliation")]
    CapNotSupported { method: &'static str },

    #[error(
        "method {method:?} does not support --default-option, expected schulze, ranked-pairs or minimax"
    )]
    DefaultOptionNotSupported { method: &'static str },

    #[error(
        "--default-option with {seats} seats, expected 1: a default option decides a single-winner vote (Debian's)"
    )]
    DefaultOptionSeats { seats: u32 },

    #[error("--default-option {} is not a standing candidate, expected one of {expected}", Quoted(.name))]
    UnknownDefaultOption { name: String, expected: String },

    #[error("--majority {n}:{m}, expected two whole numbers of at least 1, such as 3:1")]
    BadMajority { n: u32, m: u32 },

    #[error(
        "--roll needs ballots that carry voter ids, but {file} has none; expected a csv or toml ballot file with voter ids"
    )]
    NoVoterIds { file: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_and_cut_after_forty_characters() {
        assert_eq!(excerpt(""), "\"\"");
        assert_eq!(excerpt("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
        let forty = "é".repeat(40);
        assert_eq!(excerpt(&forty), format!("\"{forty}\""));
        assert_eq!(excerpt(&format!("{forty}x")), format!("\"{forty}\"…"));
        let problem = ParseProblem::UnknownCandidate {
            found: "z".repeat(1_000_000),
            expected: "one of \"A\"".to_owned(),
        };
        assert_eq!(
            problem.to_string(),
            format!(
                "unknown candidate \"{}\"…, expected one of \"A\"",
                "z".repeat(40)
            )
        );
    }

    #[test]
    fn other_parsers_messages_are_one_line_cut_with_control_characters_escaped() {
        let message = format!("invalid type: string \"{}\"\nsecond line", "x".repeat(500));
        let shown = ParseProblem::Toml { message }.to_string();
        assert_eq!(shown.lines().count(), 1);
        assert_eq!(shown.chars().count(), MESSAGE_CHARS + 1);
        assert!(shown.ends_with('…'));
        let shown = ParseProblem::Toml {
            message: "error\nsecond line".to_owned(),
        }
        .to_string();
        assert_eq!(shown, "error\\nsecond line");
        // The TOML parser quotes an unknown key as written (found by fuzzing).
        let shown = ParseProblem::Toml {
            message: "unknown field `a\nb\u{96}`, expected `ballot`".to_owned(),
        }
        .to_string();
        assert_eq!(shown, "unknown field `a\\nb\\u{96}`, expected `ballot`");
        // Escapes count as their length: no message of a thousand characters.
        let shown = ParseProblem::Toml {
            message: "\u{96}".repeat(200),
        }
        .to_string();
        assert_eq!(shown, format!("{}…", "\\u{96}".repeat(33)));
    }
}
