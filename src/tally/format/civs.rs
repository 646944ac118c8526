//! The CIVS ballot export (and, through [`read_rank_grid`], Elekto's export, which has
//! the same shape).
//!
//! The first line names the candidates, comma-separated; then one line per ballot gives
//! each candidate's rank in the same order: a number from 1 (best) to the number of
//! candidates, equal numbers for a tie, or `No opinion` for a candidate left unranked.
//! Fields are not quoted in real exports; quoted fields are accepted all the same, and
//! spaces around fields are ignored.

use crate::model::LineCounter;
use crate::tally::ballot::{
    BallotOrigin, BallotSet, Ballots, Candidate, CandidateIndex, Candidates, RankedBallots,
    RankingBuilder,
};
use crate::tally::error::{Location, ParseError, ParseProblem, excerpt};
use crate::tally::format::candidates::{csv_error, record_line};
use crate::tally::format::limits::check_name;
use crate::tally::format::{InputFormat, candidate_list_error, push_error};

/// Read a CIVS ballot export.
///
/// # Errors
/// See [`read_rank_grid`].
pub(super) fn read(file: &str, text: &str) -> Result<BallotSet, ParseError> {
    read_rank_grid(file, text, InputFormat::Civs)
}

/// Read the CIVS/Elekto shape. With [`InputFormat::Elekto`] the header tokens are
/// candidate ids (the name defaults to the id until a candidates file renames them).
///
/// # Errors
/// An empty file, an empty or repeated candidate, a line with the wrong number of
/// fields, a rank that is not a number or out of range, CIVS upload syntax (`-`, `mX`),
/// or a file without ballots.
pub(crate) fn read_rank_grid(
    file: &str,
    text: &str,
    format: InputFormat,
) -> Result<BallotSet, ParseError> {
    read_rank_grid_in_parts(file, text, format, PARALLEL_FROM)
}

/// [`read_rank_grid`], reading unquoted ballot text of `parallel_from` bytes or more on
/// two threads (tests lower it to check that two halves read as one).
fn read_rank_grid_in_parts(
    file: &str,
    text: &str,
    format: InputFormat,
    parallel_from: usize,
) -> Result<BallotSet, ParseError> {
    // Fields are trimmed here rather than by the CSV reader, which would rebuild every
    // record; one record is reused for every line. A million ballots are read this way.
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let mut header = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut header) {
            Ok(false) => {
                return Err(ParseError::new(
                    Location::file(file),
                    ParseProblem::Empty {
                        expected: "a first line of candidate names".to_owned(),
                    },
                ));
            }
            Err(error) => return Err(csv_error(file, &mut lines, &error)),
            Ok(true) if header.iter().all(|f| f.trim_ascii().is_empty()) => {}
            Ok(true) => break,
        }
    }
    let header_line = record_line(&mut lines, &header);
    if header.len() > CandidateIndex::MAX_CANDIDATES {
        return Err(ParseError::new(
            Location::line(file, header_line),
            ParseProblem::TooManyCandidates {
                count: header.len(),
                max: CandidateIndex::MAX_CANDIDATES,
            },
        ));
    }
    let mut list = Vec::with_capacity(header.len());
    for (position, token) in header.iter().map(str::trim_ascii).enumerate() {
        if token.is_empty() {
            return Err(ParseError::new(
                Location::field(file, header_line, position + 1, None),
                ParseProblem::Invalid {
                    what: "candidate name",
                    found: String::new(),
                    expected: "a candidate name in every field of the first line".to_owned(),
                },
            ));
        }
        let what = if format == InputFormat::Elekto {
            "candidate id"
        } else {
            "candidate name"
        };
        check_name(
            || Location::field(file, header_line, position + 1, None),
            what,
            token,
        )?;
        let mut candidate = Candidate::named(token);
        if format == InputFormat::Elekto {
            candidate.id = Some(token.to_owned());
        }
        list.push(candidate);
    }
    let candidates = Candidates::new(list)
        .map_err(|error| candidate_list_error(Location::line(file, header_line), error))?;
    let count = candidates.len();
    let rank_range = format!("a rank from 1 to {count} or \"No opinion\"");

    let mut grid = Grid {
        file,
        format,
        candidates: &candidates,
        header_line,
        rank_range,
        ballots: RankedBallots::new(),
        builder: RankingBuilder::new(count),
        ranks: vec![None; count],
    };
    let bytes = text.as_bytes();
    let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'));
    if text.contains('"') || lone_cr {
        // Quoted fields, or old Mac line ends: let the CSV reader handle them.
        let mut record = ::csv::StringRecord::new();
        while reader
            .read_record(&mut record)
            .map_err(|error| csv_error(file, &mut lines, &error))?
        {
            let fields: Vec<&str> = record.iter().collect();
            grid.ballot(record_line(&mut lines, &record), &fields)?;
        }
    } else {
        // The exports CIVS and Elekto write are never quoted: split lines and fields
        // directly, several times faster than a general CSV reader on a million ballots.
        let mut start = usize::try_from(reader.position().byte())
            .unwrap_or(text.len())
            .min(text.len());
        if start > 0
            && text.as_bytes()[start - 1] == b'\r'
            && text.as_bytes().get(start) == Some(&b'\n')
        {
            // The reader stopped between the two bytes of a CRLF line end.
            start += 1;
        }
        let line = u32::try_from(lines.line_of(start as u64)).unwrap_or(u32::MAX);
        let body = &text[start..];
        // Large files are read in two halves at once, split after a line end; the first
        // half's problem, if any, is the one reported, as a reading in one go would.
        let split = if body.len() >= parallel_from {
            memchr::memchr(b'\n', &body.as_bytes()[body.len() / 2..])
                .map_or(body.len(), |newline| body.len() / 2 + newline + 1)
        } else {
            body.len()
        };
        let (head, tail) = body.split_at(split);
        if tail.is_empty() {
            grid.read_lines(head, line)?;
        } else {
            let tail_line = line.saturating_add(
                u32::try_from(memchr::memchr_iter(b'\n', head.as_bytes()).count())
                    .unwrap_or(u32::MAX),
            );
            let mut rest = grid.fork();
            let (first, second) = std::thread::scope(|scope| {
                let reader = scope.spawn(|| rest.read_lines(tail, tail_line));
                let first = grid.read_lines(head, line);
                (first, reader.join())
            });
            first?;
            second.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            grid.ballots
                .append(rest.ballots)
                .map_err(|error| push_error(file, tail_line, error))?;
        }
    }
    let ballots = grid.ballots;
    if ballots.is_empty() {
        return Err(ParseError::new(
            Location::file(file),
            ParseProblem::NoBallots {
                expected: format!(
                    "a line of ranks per ballot after the candidate names on line {header_line}"
                ),
            },
        ));
    }
    Ok(BallotSet {
        file: file.to_owned(),
        format,
        title: None,
        seats: None,
        candidates,
        ballots: Ballots::Ranked(ballots),
    })
}

/// The ballots of a rank grid as they are read, line by line.
struct Grid<'a> {
    file: &'a str,
    format: InputFormat,
    candidates: &'a Candidates,
    header_line: u32,
    rank_range: String,
    ballots: RankedBallots,
    builder: RankingBuilder,
    ranks: Vec<Option<u32>>,
}

/// Unquoted ballot text from this many bytes on is read on two threads.
const PARALLEL_FROM: usize = 8 << 20;

impl Grid<'_> {
    /// A grid for another part of the same file, with no ballots yet.
    fn fork(&self) -> Self {
        Self {
            file: self.file,
            format: self.format,
            candidates: self.candidates,
            header_line: self.header_line,
            rank_range: self.rank_range.clone(),
            ballots: RankedBallots::new(),
            builder: RankingBuilder::new(self.ranks.len()),
            ranks: vec![None; self.ranks.len()],
        }
    }

    /// Unquoted lines, the first of them line `line` of the file.
    fn read_lines(&mut self, text: &str, mut line: u32) -> Result<(), ParseError> {
        let mut fields: Vec<&str> = Vec::with_capacity(self.ranks.len());
        let mut from = 0;
        // Byte searches on ASCII separators: slicing the text there always lands on
        // character boundaries.
        let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
        for end in ends {
            let raw = &text[from..end];
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            from = (end + 1).min(text.len());
            if !self.plain_ballot(line, raw.as_bytes())? {
                fields.clear();
                let mut field_from = 0;
                for comma in memchr::memchr_iter(b',', raw.as_bytes()) {
                    fields.push(&raw[field_from..comma]);
                    field_from = comma + 1;
                }
                fields.push(&raw[field_from..]);
                self.ballot(line, &fields)?;
            }
            line = line.saturating_add(1);
        }
        Ok(())
    }

    /// The common line, one rank in range or "No opinion" per candidate, nothing else,
    /// read in one pass over its bytes. Anything else (spaces, a problem to report) is left
    /// to [`Self::ballot`]: false, and nothing counted.
    fn plain_ballot(&mut self, line: u32, raw: &[u8]) -> Result<bool, ParseError> {
        let count = self.ranks.len();
        let mut fields = raw.split(|&byte| byte == b',');
        for slot in &mut self.ranks {
            let Some(field) = fields.next() else {
                return Ok(false);
            };
            *slot = match field {
                [] => return Ok(false),
                [b'N' | b'n', ..] if field.eq_ignore_ascii_case(b"no opinion") => None,
                _ => {
                    let mut rank: usize = 0;
                    for &byte in field {
                        if !byte.is_ascii_digit() {
                            return Ok(false);
                        }
                        rank = rank * 10 + usize::from(byte - b'0');
                        if rank > count {
                            return Ok(false);
                        }
                    }
                    if rank == 0 {
                        return Ok(false);
                    }
                    u32::try_from(rank).ok()
                }
            };
        }
        if fields.next().is_some() {
            return Ok(false);
        }
        self.builder.set_from_ranks(&self.ranks);
        self.ballots
            .push(1, &self.builder, None, BallotOrigin { line })
            .map_err(|error| push_error(self.file, line, error))?;
        Ok(true)
    }

    /// One line of ranks (fields untrimmed); blank lines are skipped.
    fn ballot(&mut self, line: u32, fields: &[&str]) -> Result<(), ParseError> {
        let (file, format, candidates) = (self.file, self.format, self.candidates);
        let count = self.ranks.len();
        if fields.iter().all(|f| f.trim_ascii().is_empty()) {
            return Ok(());
        }
        if let Some(first) = fields.first().map(|f| f.trim_ascii())
            && civs_multiplier(first)
        {
            return Err(ParseError::new(
                Location::field(file, line, 1, Some(candidates.name_at(0))),
                ParseProblem::MixedFormats {
                    found: format!("{} starts with a CIVS upload multiplier", excerpt(first)),
                    format: format.description(),
                    expected: self.rank_range.clone(),
                },
            ));
        }
        if fields.len() != count {
            return Err(ParseError::new(
                Location::line(file, line),
                ParseProblem::FieldCount {
                    found: fields.len(),
                    expected: format!(
                        "{count}, one rank per candidate named on line {}",
                        self.header_line
                    ),
                },
            ));
        }
        for (position, (field, slot)) in fields
            .iter()
            .map(|f| f.trim_ascii())
            .zip(self.ranks.iter_mut())
            .enumerate()
        {
            let at =
                || Location::field(file, line, position + 1, Some(candidates.name_at(position)));
            *slot = if field.eq_ignore_ascii_case("no opinion") {
                None
            } else if field == "-" {
                return Err(ParseError::new(
                    at(),
                    ParseProblem::MixedFormats {
                        found: "\"-\" is the CIVS upload mark for no opinion".to_owned(),
                        format: format.description(),
                        expected: self.rank_range.clone(),
                    },
                ));
            } else {
                Some(
                    parse_rank(field, count, &self.rank_range)
                        .map_err(|problem| ParseError::new(at(), problem))?,
                )
            };
        }
        self.builder.set_from_ranks(&self.ranks);
        self.ballots
            .push(1, &self.builder, None, BallotOrigin { line })
            .map_err(|error| push_error(file, line, error))
    }
}

/// A rank from 1 to `count`, or the problem with `field`.
pub(crate) fn parse_rank(field: &str, count: usize, expected: &str) -> Result<u32, ParseProblem> {
    // Digits only, accumulated in one pass (a million ballots of thirty ranks each).
    let mut rank: u64 = 0;
    for byte in field.bytes() {
        if !byte.is_ascii_digit() {
            return Err(ParseProblem::RankNotANumber {
                found: field.to_owned(),
                expected: expected.to_owned(),
            });
        }
        rank = (rank * 10 + u64::from(byte - b'0')).min(u64::from(u32::MAX) + 1);
    }
    if field.is_empty() {
        return Err(ParseProblem::RankNotANumber {
            found: field.to_owned(),
            expected: expected.to_owned(),
        });
    }
    match u32::try_from(rank) {
        Ok(rank) if rank >= 1 && usize::try_from(rank).is_ok_and(|rank| rank <= count) => Ok(rank),
        _ => Err(ParseProblem::RankOutOfRange {
            found: field.to_owned(),
            expected: expected.to_owned(),
        }),
    }
}

/// Whether a field starts like a CIVS upload line (`3x1`, `3X 1`).
fn civs_multiplier(field: &str) -> bool {
    let digits = field.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(field.as_bytes().get(digits), Some(b'x' | b'X'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::ballot::CandidateIndex;

    fn tiers(set: &BallotSet, position: usize) -> Vec<Vec<usize>> {
        let Ballots::Ranked(ballots) = &set.ballots else {
            panic!("ranked")
        };
        ballots
            .get(position)
            .unwrap()
            .ranking
            .tiers()
            .map(|tier| tier.iter().map(|c: &CandidateIndex| c.index()).collect())
            .collect()
    }

    fn error(text: &str) -> String {
        read("ballots.csv", text).unwrap_err().to_string()
    }

    #[test]
    fn ranks_ties_and_no_opinion() {
        let set = read(
            "ballots.csv",
            "Alice,Bob,Carol,Dan\n2,1,No opinion,2\nNo opinion,No opinion,No opinion,No opinion\n",
        )
        .unwrap();
        assert_eq!(set.candidates.len(), 4);
        assert_eq!(tiers(&set, 0), vec![vec![1], vec![0, 3]]);
        assert!(tiers(&set, 1).is_empty());
        assert_eq!(set.ballots.total_weight(), 2);
    }

    #[test]
    fn a_rank_that_is_not_a_number() {
        assert_eq!(
            error("Alice,Bob,Carol,Dan\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,x,4\n"),
            "ballots.csv:7: field 3 (\"Carol\"): rank \"x\" is not a number, expected a rank from 1 to 4 or \"No opinion\""
        );
    }

    #[test]
    fn a_rank_out_of_range() {
        assert_eq!(
            error("Alice,Bob\n1,3\n"),
            "ballots.csv:2: field 2 (\"Bob\"): rank 3 is out of range, expected a rank from 1 to 2 or \"No opinion\""
        );
        assert_eq!(
            error("Alice,Bob\n0,1\n"),
            "ballots.csv:2: field 1 (\"Alice\"): rank 0 is out of range, expected a rank from 1 to 2 or \"No opinion\""
        );
    }

    #[test]
    fn a_short_row() {
        assert_eq!(
            error("Alice,Bob,Carol\n1,2\n"),
            "ballots.csv:2: the line has 2 fields, expected 3, one rank per candidate named on line 1"
        );
    }

    #[test]
    fn an_empty_file_and_a_file_without_ballots() {
        assert_eq!(
            error(""),
            "ballots.csv: the file is empty, expected a first line of candidate names"
        );
        assert_eq!(
            error("Alice,Bob\n"),
            "ballots.csv: the file holds no ballots, expected a line of ranks per ballot after the candidate names on line 1"
        );
    }

    #[test]
    fn repeated_and_empty_candidates() {
        assert_eq!(
            error("Alice,Bob,Alice\n1,2,3\n"),
            "ballots.csv:1: candidate \"Alice\" is listed twice, expected distinct candidates"
        );
        assert_eq!(
            error("Alice,,Bob\n1,2,3\n"),
            "ballots.csv:1: field 2: candidate name \"\" is not valid, expected a candidate name in every field of the first line"
        );
    }

    #[test]
    fn upload_syntax_is_a_mixed_format() {
        assert_eq!(
            error("Alice,Bob\n1,-\n"),
            "ballots.csv:2: field 2 (\"Bob\"): \"-\" is the CIVS upload mark for no opinion, but this file was read as a CIVS ballot export: expected a rank from 1 to 2 or \"No opinion\""
        );
        assert_eq!(
            error("Alice,Bob\n3x1,2\n"),
            "ballots.csv:2: field 1 (\"Alice\"): \"3x1\" starts with a CIVS upload multiplier, but this file was read as a CIVS ballot export: expected a rank from 1 to 2 or \"No opinion\""
        );
    }

    #[test]
    fn crlf_and_blank_lines_are_fine() {
        let set = read("b.csv", "A,B\r\n1,2\r\n\r\n2,1\r\n").unwrap();
        assert_eq!(set.ballots.len(), 2);
        assert_eq!(tiers(&set, 1), vec![vec![1], vec![0]]);
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #[test]
        fn reading_in_halves_is_reading_in_one_go(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        (1u32..=4).prop_map(|rank| rank.to_string()),
                        proptest::strategy::Just("No opinion".to_owned()),
                        proptest::strategy::Just(" 2".to_owned()),
                    ],
                    4..=4,
                ),
                0..60,
            ),
            blank_after in 0usize..60,
            out_of_range in proptest::option::of(0usize..60),
            crlf in proptest::bool::ANY,
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("A,B,C,D{end}");
            for (number, line) in lines.iter().enumerate() {
                if number == blank_after {
                    text.push_str(end);
                }
                if out_of_range == Some(number) {
                    text.push_str("9,");
                    text.push_str(&line[1..].join(","));
                } else {
                    text.push_str(&line.join(","));
                }
                text.push_str(end);
            }
            let whole = read_rank_grid_in_parts("b.csv", &text, InputFormat::Civs, usize::MAX);
            let halves = read_rank_grid_in_parts("b.csv", &text, InputFormat::Civs, 0);
            match (whole, halves) {
                (Ok(whole), Ok(halves)) => proptest::prop_assert_eq!(whole, halves),
                (Err(whole), Err(halves)) => {
                    proptest::prop_assert_eq!(whole.to_string(), halves.to_string());
                }
                (whole, halves) => proptest::prop_assert!(false, "{whole:?} vs {halves:?}"),
            }
        }
    }

    #[test]
    fn carriage_returns_alone_end_lines_too() {
        let set = read("b.csv", "A,B\r1,2\r2,1\r").unwrap();
        assert_eq!(set.ballots.len(), 2);
        assert_eq!(tiers(&set, 1), vec![vec![1], vec![0]]);
    }

    #[test]
    fn errors_name_the_file_line_after_blank_lines() {
        let expected = "ballots.csv:6: field 2 (\"B\"): rank 3 is out of range, expected a rank from 1 to 2 or \"No opinion\"";
        assert_eq!(error("\n\nA,B\n1,2\n\n2,3\n"), expected, "unquoted");
        assert_eq!(error("\r\n\r\nA,B\r\n1,2\r\n\r\n2,3\r\n"), expected, "CRLF");
        assert_eq!(error("\n\n\"A\",B\n1,2\n\n2,3\n"), expected, "quoted");
        assert_eq!(
            error("\n\nA,,B\n"),
            "ballots.csv:3: field 2: candidate name \"\" is not valid, expected a candidate name in every field of the first line"
        );
    }
}
