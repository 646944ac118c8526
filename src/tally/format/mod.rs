//! Ballot file formats: one reader per format, detection, and the text rules every
//! reader shares.
//!
//! Readers take the file's name (for messages) and its text and return a
//! [`BallotSet`]; they never touch the file system. [`read_ballots`] turns raw bytes into
//! text (a UTF-8 byte-order mark is stripped, other non-UTF-8 bytes are an error with
//! their line and column), picks the format (`--input-format`, else the extension, else
//! the content), reads, and applies the `--candidates` file.
//!
//! The formats are specified for users in `docs/ballot-formats.md`.

mod blt;
pub mod candidates;
mod civs;
mod civs_upload;
mod csv;
mod elekto;
pub mod limits;
mod preflib;
mod toml;

use std::fmt;

use super::ballot::{BallotSet, CandidateListError, MAX_TOTAL_WEIGHT, PushError};
use super::error::{Location, ParseError, ParseProblem, excerpt};
use candidates::CandidateFile;

/// The ballot formats `electorate tally` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputFormat {
    /// CIVS ballot export: candidate names, then one line of ranks per ballot.
    Civs,
    /// Elekto export: the CIVS shape with candidate ids.
    Elekto,
    /// CIVS upload format: ranks or `-`, optional `mX` multiplier, no names.
    CivsUpload,
    /// BLT (`OpenSTV`, Droop): weights, `=` ties, withdrawn candidates, quoted names.
    Blt,
    /// `PrefLib` `.soc .soi .toc .toi` (current layout, and the older one).
    Preflib,
    /// `electorate`'s CSV: `voter`, `weight`, `rank:NAME` or `votes:NAME` columns.
    Csv,
    /// `electorate`'s TOML: candidates and `[[ballot]]` tables.
    Toml,
}

impl InputFormat {
    /// Every format, in the order `--input-format` lists them.
    pub const ALL: [Self; 7] = [
        Self::Civs,
        Self::Elekto,
        Self::CivsUpload,
        Self::Blt,
        Self::Preflib,
        Self::Csv,
        Self::Toml,
    ];

    /// The name used by `--input-format` and in results.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Civs => "civs",
            Self::Elekto => "elekto",
            Self::CivsUpload => "civs-upload",
            Self::Blt => "blt",
            Self::Preflib => "preflib",
            Self::Csv => "csv",
            Self::Toml => "toml",
        }
    }

    /// A phrase for messages: "a CIVS ballot export".
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Self::Civs => "a CIVS ballot export",
            Self::Elekto => "an Elekto ballot export",
            Self::CivsUpload => "a CIVS upload file",
            Self::Blt => "a BLT file",
            Self::Preflib => "a PrefLib file",
            Self::Csv => "an electorate CSV ballot file",
            Self::Toml => "an electorate TOML ballot file",
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How the format of a ballot file was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetectedBy {
    /// `--input-format`.
    Forced,
    /// The file's extension (given without the dot).
    Extension(String),
    /// The file's content; the text says what gave it away.
    Content(&'static str),
}

/// A format and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub format: InputFormat,
    pub by: DetectedBy,
}

impl fmt::Display for Detection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.by {
            DetectedBy::Forced => write!(f, "{} (forced with --input-format)", self.format),
            DetectedBy::Extension(extension) => {
                write!(f, "{} (from the extension \".{extension}\")", self.format)
            }
            DetectedBy::Content(why) => write!(f, "{} (from the content: {why})", self.format),
        }
    }
}

/// Read a ballot file: decode, detect (unless `forced`), parse, apply `candidates`.
///
/// # Errors
/// Non-UTF-8 text, anything the format's reader rejects, or a candidates file that does
/// not match the ballots.
pub fn read_ballots(
    file: &str,
    bytes: &[u8],
    forced: Option<InputFormat>,
    candidates: Option<&CandidateFile>,
) -> Result<(BallotSet, Detection), ParseError> {
    limits::check_lines(file, bytes)?;
    let text = decode(file, bytes)?;
    let detection = match forced {
        Some(format) => Detection {
            format,
            by: DetectedBy::Forced,
        },
        None => detect(file, text, candidates),
    };
    let set = read_as(file, text, detection.format, candidates)?;
    Ok((set, detection))
}

/// Read decoded text in a given format and apply `candidates`.
///
/// # Errors
/// Anything the format's reader rejects, or a candidates file that does not match the
/// ballots.
pub fn read_as(
    file: &str,
    text: &str,
    format: InputFormat,
    candidates: Option<&CandidateFile>,
) -> Result<BallotSet, ParseError> {
    let mut set = match format {
        InputFormat::Civs => civs::read(file, text)?,
        InputFormat::Elekto => elekto::read(file, text)?,
        InputFormat::CivsUpload => civs_upload::read(file, text, candidates)?,
        InputFormat::Blt => blt::read(file, text)?,
        InputFormat::Preflib => preflib::read(file, text)?,
        InputFormat::Csv => csv::read(file, text)?,
        InputFormat::Toml => toml::read(file, text)?,
    };
    if let Some(candidates) = candidates {
        candidates.apply(&mut set)?;
    }
    Ok(set)
}

/// The text of a file: a UTF-8 byte-order mark stripped, anything else not UTF-8 an
/// error at its line and column (columns count bytes from 1).
///
/// # Errors
/// The first byte that is not UTF-8.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        let before = bytes.get(..offset).unwrap_or_default();
        let line_start = before
            .iter()
            .rposition(|byte| *byte == b'\n')
            .map_or(0, |newline| newline + 1);
        let line = before.iter().filter(|byte| **byte == b'\n').count() + 1;
        ParseError::new(
            Location::line(file, u32::try_from(line).unwrap_or(u32::MAX)),
            ParseProblem::NotUtf8 {
                byte: bytes.get(offset).copied().unwrap_or(0),
                column: offset - line_start + 1,
            },
        )
    })
}

/// Choose a format from the extension, else from the first meaningful line.
#[must_use]
pub fn detect(file: &str, text: &str, candidates: Option<&CandidateFile>) -> Detection {
    let extension = std::path::Path::new(file)
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase);
    let by_extension = match extension.as_deref() {
        Some("blt") => Some(InputFormat::Blt),
        Some("soc" | "soi" | "toc" | "toi") => Some(InputFormat::Preflib),
        Some("toml") => Some(InputFormat::Toml),
        _ => None,
    };
    if let (Some(format), Some(extension)) = (by_extension, extension) {
        return Detection {
            format,
            by: DetectedBy::Extension(extension),
        };
    }
    let (format, why) = detect_content(text, candidates);
    Detection {
        format,
        by: DetectedBy::Content(why),
    }
}

const PREFLIB_KEYS: [&str; 5] = [
    "# FILE NAME:",
    "# TITLE:",
    "# DATA TYPE:",
    "# NUMBER ALTERNATIVES:",
    "# ALTERNATIVE NAME",
];

fn detect_content(text: &str, candidates: Option<&CandidateFile>) -> (InputFormat, &'static str) {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let Some(first) = lines.next() else {
        return (
            InputFormat::Civs,
            "the file is empty; read as the default format",
        );
    };
    if PREFLIB_KEYS.iter().any(|key| first.starts_with(key)) {
        return (InputFormat::Preflib, "\"# KEY: value\" header lines");
    }
    // CIVS upload files may open with comment lines.
    let first = std::iter::once(first)
        .chain(lines.clone())
        .find(|line| !line.starts_with('#'))
        .unwrap_or(first);
    if is_blt(first, text) {
        return (
            InputFormat::Blt,
            "a \"CANDIDATES SEATS\" line and quoted names after the ballots",
        );
    }
    if first.bytes().all(|byte| byte.is_ascii_digit())
        && let Some(second) = lines.clone().next()
        && second.split_once(',').is_some_and(|(number, _)| {
            !number.is_empty() && number.trim().bytes().all(|b| b.is_ascii_digit())
        })
    {
        return (
            InputFormat::Preflib,
            "a count of alternatives, then \"number,name\" lines (older PrefLib layout)",
        );
    }
    let cells: Vec<String> = first
        .split(',')
        .map(|cell| cell.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    if cells.iter().any(|cell| {
        cell == "voter"
            || cell == "weight"
            || cell.starts_with("rank:")
            || cell.starts_with("votes:")
    }) {
        return (
            InputFormat::Csv,
            "a header with voter, weight, rank:NAME or votes:NAME columns",
        );
    }
    if civs_upload::looks_like_ballot_line(first) {
        return (
            InputFormat::CivsUpload,
            "lines of ranks and \"-\" without a line of candidate names",
        );
    }
    if let Some(candidates) = candidates {
        let all_ids = first
            .split(',')
            .map(str::trim)
            .all(|cell| candidates.has_id(cell));
        if all_ids {
            return (
                InputFormat::Elekto,
                "a first line of candidate ids found in the --candidates file",
            );
        }
    }
    (InputFormat::Civs, "a first line of candidate names")
}

fn is_blt(first: &str, text: &str) -> bool {
    let numbers: Vec<&str> = first.split_whitespace().collect();
    numbers.len() == 2
        && numbers
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_digit()))
        && text.lines().any(|line| line.trim() == "0")
        && text.lines().any(|line| line.trim_start().starts_with('"'))
}

/// Lines with their 1-based numbers; `\r\n` endings are handled by [`str::lines`].
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    (1u32..).zip(text.lines())
}

/// The line a byte offset falls on (1-based).
pub(crate) fn line_of_offset(text: &str, offset: usize) -> u32 {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    u32::try_from(before.bytes().filter(|byte| *byte == b'\n').count() + 1).unwrap_or(u32::MAX)
}

/// The error for a ballot that cannot be stored.
pub(crate) fn push_error(file: &str, line: u32, error: PushError) -> ParseError {
    match error {
        PushError::TooMuchWeight => ParseError::new(
            Location::line(file, line),
            ParseProblem::TooMuchWeight {
                max: MAX_TOTAL_WEIGHT,
            },
        ),
        PushError::TooManyBallots => ParseError::new(
            Location::line(file, line),
            ParseProblem::Unexpected {
                found: "more ballot data than one election can hold".to_owned(),
                expected: "fewer than four billion ranked candidates in all".to_owned(),
            },
        ),
    }
}

/// The error for an invalid candidate list, at `location`.
pub(crate) fn candidate_list_error(location: Location, error: CandidateListError) -> ParseError {
    let problem = match error {
        CandidateListError::DuplicateName(name) | CandidateListError::DuplicateId(name) => {
            ParseProblem::DuplicateCandidate { name }
        }
        CandidateListError::TooMany(count) => ParseProblem::TooManyCandidates {
            count,
            max: super::ballot::CandidateIndex::MAX_CANDIDATES,
        },
    };
    ParseError::new(location, problem)
}

/// "one of \"A\", \"B\" and \"C\"" (or a hint for a near miss), for unknown candidates.
pub(crate) fn expected_candidates(candidates: &super::ballot::Candidates, found: &str) -> String {
    if let Some(close) = candidates.closest_name(found) {
        return format!(
            "one of the {} candidates (did you mean {}?)",
            candidates.len(),
            excerpt(close)
        );
    }
    if candidates.len() <= 6 {
        let names: Vec<String> = candidates
            .iter()
            .map(|(_, candidate)| excerpt(&candidate.name))
            .collect();
        return format!("one of {}", names.join(", "));
    }
    format!("one of the {} candidates", candidates.len())
}

/// Parse a whole number of at most `u64`, accepting only ASCII digits.
pub(crate) fn parse_whole(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(file: &str, text: &str) -> InputFormat {
        detect(file, text, None).format
    }

    #[test]
    fn a_bom_is_stripped_and_bad_bytes_are_located() {
        assert_eq!(decode("b.csv", b"\xEF\xBB\xBFA,B\n").unwrap(), "A,B\n");
        let error = decode("b.csv", b"A,B\n1,\xE9\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "b.csv:2: byte 0xe9 at column 3 is not UTF-8, expected UTF-8 text"
        );
    }

    #[test]
    fn the_extension_decides_first() {
        assert_eq!(detected("x.blt", "A,B\n"), InputFormat::Blt);
        assert_eq!(detected("x.SOI", ""), InputFormat::Preflib);
        assert_eq!(detected("x.toml", ""), InputFormat::Toml);
    }

    #[test]
    fn the_content_decides_otherwise() {
        assert_eq!(detected("x.csv", "Alice,Bob\n1,2\n"), InputFormat::Civs);
        assert_eq!(
            detected("x.csv", "voter,rank:Alice\nv,1\n"),
            InputFormat::Csv
        );
        assert_eq!(
            detected("x.txt", "RANK:Alice,rank:Bob\n1,2\n"),
            InputFormat::Csv
        );
        assert_eq!(
            detected("x.txt", "# poll\n3x 1,2,-\n"),
            InputFormat::CivsUpload
        );
        assert_eq!(detected("x.txt", "1 - 2\n"), InputFormat::CivsUpload);
        assert_eq!(
            detected("x.txt", "# FILE NAME: 1.soi\n# DATA TYPE: soi\n"),
            InputFormat::Preflib
        );
        assert_eq!(
            detected("x.txt", "2\n1,A\n2,B\n1,1,1\n1,1,2\n"),
            InputFormat::Preflib
        );
        assert_eq!(
            detected("x.txt", "2 1\n1 1 2 0\n0\n\"A\"\n\"B\"\n\"T\"\n"),
            InputFormat::Blt
        );
    }

    #[test]
    fn elekto_ids_are_recognised_through_the_candidates_file() {
        let candidates =
            CandidateFile::parse("c.csv", "id,name\nann,Ann Lee\nbo,Bo Ray\n").unwrap();
        let detection = detect("b.csv", "ann,bo\n1,2\n", Some(&candidates));
        assert_eq!(detection.format, InputFormat::Elekto);
        let detection = detect("b.csv", "Ann Lee,Bo Ray\n1,2\n", Some(&candidates));
        assert_eq!(detection.format, InputFormat::Civs);
    }
}
