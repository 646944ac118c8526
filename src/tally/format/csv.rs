//! `electorate`'s own CSV ballot format: one ballot per row, one column per candidate,
//! optional voter ids and weights.
//!
//! ```text
//! voter,weight,rank:Alice,rank:Bob,rank:Carol
//! ann@example.org,,1,2,
//! bo@example.org,1,1,1,2
//! ,3,,1,2
//! ```
//!
//! The header names the columns (names case-insensitive, in any order):
//!
//! - `voter` (optional): the voter's id, checked against `--roll`; empty for none;
//! - `weight` (optional): how many identical ballots the row stands for, a whole number
//!   of at least 1; empty for 1;
//! - `rank:NAME`, one per candidate: the candidate's rank, 1 best, equal ranks tie,
//!   empty (or `-`) for unranked; ranks run from 1 to the number of candidates;
//! - or `votes:NAME`, one per candidate, for cumulative ballots: the votes given, a whole
//!   number, empty for 0.
//!
//! All candidate columns use one prefix. Fields follow RFC 4180 quoting, so names may
//! hold commas. Spaces around fields are ignored.

use crate::model::LineCounter;
use crate::tally::ballot::{
    BallotOrigin, BallotSet, Ballots, Candidate, CandidateIndex, Candidates, RankedBallots,
    RankingBuilder, ScoredBallots,
};
use crate::tally::error::{Location, ParseError, ParseProblem, excerpt};
use crate::tally::format::candidates::{csv_error, record_line};
use crate::tally::format::civs::parse_rank;
use crate::tally::format::limits::{check_field, check_name};
use crate::tally::format::{InputFormat, candidate_list_error, parse_whole, push_error};

const EXPECTED_HEADER: &str =
    "a header such as \"voter,weight,rank:Alice,rank:Bob\" or \"voter,votes:Alice,votes:Bob\"";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Voter,
    Weight,
    Candidate(CandidateIndex),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marks {
    Ranks,
    Votes,
}

/// Read an `electorate` CSV ballot file.
///
/// # Errors
/// An empty file, a header without candidate columns or with an unknown column, mixed
/// `rank:` and `votes:` columns, a row of the wrong length, a bad rank, vote count or
/// weight.
pub(super) fn read(file: &str, text: &str) -> Result<BallotSet, ParseError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let mut records = reader.records();
    let header = loop {
        match records.next() {
            None => {
                return Err(ParseError::new(
                    Location::file(file),
                    ParseProblem::Empty {
                        expected: EXPECTED_HEADER.to_owned(),
                    },
                ));
            }
            Some(Err(error)) => return Err(csv_error(file, &mut lines, &error)),
            Some(Ok(record)) if record.iter().all(str::is_empty) => {}
            Some(Ok(record)) => break record,
        }
    };
    let header_line = record_line(&mut lines, &header);
    let (columns, marks, candidates) = read_header(file, header_line, &header)?;
    let count = candidates.len();
    let rank_range = format!("a rank from 1 to {count}, or an empty cell for unranked");

    let mut ranked = RankedBallots::new();
    let mut scored = ScoredBallots::new();
    let mut builder = RankingBuilder::new(count);
    let mut ranks: Vec<Option<u32>> = vec![None; count];
    let mut votes: Vec<(CandidateIndex, u32)> = Vec::with_capacity(count);
    for record in records {
        let record = record.map_err(|error| csv_error(file, &mut lines, &error))?;
        let line = record_line(&mut lines, &record);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != columns.len() {
            return Err(ParseError::new(
                Location::line(file, line),
                ParseProblem::FieldCount {
                    found: record.len(),
                    expected: format!(
                        "{}, one per column of the header on line {header_line}",
                        columns.len()
                    ),
                },
            ));
        }
        let (mut voter, mut weight) = (None, 1u64);
        ranks.fill(None);
        votes.clear();
        for (position, (field, column)) in record.iter().zip(&columns).enumerate() {
            let label = header.get(position);
            let at = || Location::field(file, line, position + 1, label);
            match column {
                Column::Voter => {
                    check_field(at, "voter id", field)?;
                    voter = Some(field).filter(|field| !field.is_empty());
                }
                Column::Weight if field.is_empty() => {}
                Column::Weight => {
                    weight = parse_whole(field)
                        .filter(|weight| *weight >= 1)
                        .ok_or_else(|| {
                            ParseError::new(
                                at(),
                                ParseProblem::Invalid {
                                    what: "weight",
                                    found: field.to_owned(),
                                    expected:
                                        "a whole number of at least 1, or an empty cell for 1"
                                            .to_owned(),
                                },
                            )
                        })?;
                }
                Column::Candidate(_)
                    if field.is_empty() || (marks == Marks::Ranks && field == "-") => {}
                Column::Candidate(candidate) => match marks {
                    Marks::Ranks => {
                        let rank = parse_rank(field, count, &rank_range)
                            .map_err(|problem| ParseError::new(at(), problem))?;
                        if let Some(slot) = ranks.get_mut(candidate.index()) {
                            *slot = Some(rank);
                        }
                    }
                    Marks::Votes => {
                        let given = parse_whole(field)
                            .and_then(|votes| u32::try_from(votes).ok())
                            .ok_or_else(|| {
                                ParseError::new(
                                    at(),
                                    ParseProblem::Invalid {
                                        what: "vote count",
                                        found: field.to_owned(),
                                        expected: "a whole number of votes, or an empty cell for 0"
                                            .to_owned(),
                                    },
                                )
                            })?;
                        votes.push((*candidate, given));
                    }
                },
            }
        }
        let pushed = match marks {
            Marks::Ranks => {
                builder.set_from_ranks(&ranks);
                ranked.push(weight, &builder, voter, BallotOrigin { line })
            }
            Marks::Votes => scored.push(weight, &votes, voter, BallotOrigin { line }),
        };
        pushed.map_err(|error| push_error(file, line, error))?;
    }
    let ballots = match marks {
        Marks::Ranks => Ballots::Ranked(ranked),
        Marks::Votes => Ballots::Scored(scored),
    };
    if ballots.is_empty() {
        return Err(ParseError::new(
            Location::file(file),
            ParseProblem::NoBallots {
                expected: format!("a row per ballot after the header on line {header_line}"),
            },
        ));
    }
    Ok(BallotSet {
        file: file.to_owned(),
        format: InputFormat::Csv,
        title: None,
        seats: None,
        candidates,
        ballots,
    })
}

fn read_header(
    file: &str,
    line: u32,
    header: &::csv::StringRecord,
) -> Result<(Vec<Column>, Marks, Candidates), ParseError> {
    let mut columns = Vec::with_capacity(header.len());
    let mut names = Vec::new();
    let mut marks = None;
    let mut seen_voter = false;
    let mut seen_weight = false;
    for (position, cell) in header.iter().enumerate() {
        let at = || Location::field(file, line, position + 1, None);
        let lower = cell.to_ascii_lowercase();
        let (column, these_marks) = if lower == "voter" && !seen_voter {
            seen_voter = true;
            (Column::Voter, None)
        } else if lower == "weight" && !seen_weight {
            seen_weight = true;
            (Column::Weight, None)
        } else if lower.starts_with("rank:") || lower.starts_with("votes:") {
            let (prefix, name) = cell.split_once(':').unwrap_or_default();
            let name = name.trim();
            if name.is_empty() {
                return Err(ParseError::new(
                    at(),
                    ParseProblem::Invalid {
                        what: "column",
                        found: cell.to_owned(),
                        expected: format!("a candidate name after \"{prefix}:\""),
                    },
                ));
            }
            let index = CandidateIndex::new(names.len()).ok_or_else(|| {
                ParseError::new(
                    at(),
                    ParseProblem::TooManyCandidates {
                        count: names.len() + 1,
                        max: CandidateIndex::MAX_CANDIDATES,
                    },
                )
            })?;
            check_name(at, "candidate name", name)?;
            names.push(Candidate::named(name));
            let these = if prefix.eq_ignore_ascii_case("rank") {
                Marks::Ranks
            } else {
                Marks::Votes
            };
            (Column::Candidate(index), Some(these))
        } else {
            let expected = if lower == "voter" || lower == "weight" {
                format!("one {lower} column at most")
            } else {
                "\"voter\", \"weight\", \"rank:NAME\" or \"votes:NAME\"".to_owned()
            };
            return Err(ParseError::new(
                at(),
                ParseProblem::Invalid {
                    what: "column",
                    found: cell.to_owned(),
                    expected,
                },
            ));
        };
        if let Some(these) = these_marks {
            match marks {
                None => marks = Some(these),
                Some(earlier) if earlier != these => {
                    return Err(ParseError::new(
                        at(),
                        ParseProblem::MixedFormats {
                            found: format!("{} mixes votes and ranks", excerpt(cell)),
                            format: InputFormat::Csv.description(),
                            expected: "\"rank:NAME\" columns only, or \"votes:NAME\" columns only"
                                .to_owned(),
                        },
                    ));
                }
                Some(_) => {}
            }
        }
        columns.push(column);
    }
    let Some(marks) = marks else {
        return Err(ParseError::new(
            Location::line(file, line),
            ParseProblem::Unexpected {
                found: "no candidate columns".to_owned(),
                expected: EXPECTED_HEADER.to_owned(),
            },
        ));
    };
    let candidates = Candidates::new(names)
        .map_err(|error| candidate_list_error(Location::line(file, line), error))?;
    Ok((columns, marks, candidates))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        read("ballots.csv", text).unwrap_err().to_string()
    }

    #[test]
    fn ranked_rows_with_voters_and_weights() {
        let set = read(
            "ballots.csv",
            "Voter, Weight ,rank:Alice,\"rank:Bob, Jr\",RANK:Carol\nann@example.org,,1,2,\nbo@example.org,1,1,1,2\n,3,,-,\n",
        )
        .unwrap();
        assert_eq!(set.candidates.name_at(1), "Bob, Jr");
        let Ballots::Ranked(ballots) = &set.ballots else {
            panic!("ranked")
        };
        let first = ballots.get(0).unwrap();
        assert_eq!(first.voter, Some("ann@example.org"));
        assert_eq!(first.ranking.tier_count(), 2);
        let third = ballots.get(2).unwrap();
        assert_eq!((third.weight, third.voter), (3, None));
        assert!(third.ranking.is_empty());
        assert_eq!(set.ballots.total_weight(), 5);
    }

    #[test]
    fn cumulative_rows() {
        let set = read(
            "ballots.csv",
            "voter,votes:Alice,votes:Bob\nv1,2,1\nv2,,3\n",
        )
        .unwrap();
        let Ballots::Scored(ballots) = &set.ballots else {
            panic!("scored")
        };
        assert_eq!(ballots.get(1).unwrap().total(), 3);
        assert_eq!(ballots.get(1).unwrap().votes.len(), 1);
    }

    #[test]
    fn bad_headers() {
        assert_eq!(
            error(""),
            "ballots.csv: the file is empty, expected a header such as \"voter,weight,rank:Alice,rank:Bob\" or \"voter,votes:Alice,votes:Bob\""
        );
        assert_eq!(
            error("voter,Alice\n"),
            "ballots.csv:1: field 2: column \"Alice\" is not valid, expected \"voter\", \"weight\", \"rank:NAME\" or \"votes:NAME\""
        );
        assert_eq!(
            error("voter,rank:Alice,votes:Bob\n"),
            "ballots.csv:1: field 3: \"votes:Bob\" mixes votes and ranks, but this file was read as an electorate CSV ballot file: expected \"rank:NAME\" columns only, or \"votes:NAME\" columns only"
        );
        assert_eq!(
            error("voter,weight\nx,1\n"),
            "ballots.csv:1: found no candidate columns, expected a header such as \"voter,weight,rank:Alice,rank:Bob\" or \"voter,votes:Alice,votes:Bob\""
        );
        assert_eq!(
            error("rank:A,rank:A\n1,2\n"),
            "ballots.csv:1: candidate \"A\" is listed twice, expected distinct candidates"
        );
    }

    #[test]
    fn bad_rows() {
        assert_eq!(
            error("\nvoter,rank:Alice,rank:Bob\n\nv,1,2\n\n\nw,1\n"),
            "ballots.csv:7: the line has 2 fields, expected 3, one per column of the header on line 2",
            "lines of the file, blank ones counted"
        );
        assert_eq!(
            error("voter,rank:Alice,rank:Bob\nv,1\n"),
            "ballots.csv:2: the line has 2 fields, expected 3, one per column of the header on line 1"
        );
        assert_eq!(
            error("voter,rank:Alice,rank:Bob\nv,1,first\n"),
            "ballots.csv:2: field 3 (\"rank:Bob\"): rank \"first\" is not a number, expected a rank from 1 to 2, or an empty cell for unranked"
        );
        assert_eq!(
            error("weight,rank:Alice\n0,1\n"),
            "ballots.csv:2: field 1 (\"weight\"): weight \"0\" is not valid, expected a whole number of at least 1, or an empty cell for 1"
        );
        assert_eq!(
            error("votes:Alice\n-1\n"),
            "ballots.csv:2: field 1 (\"votes:Alice\"): vote count \"-1\" is not valid, expected a whole number of votes, or an empty cell for 0"
        );
        assert_eq!(
            error("rank:Alice\n"),
            "ballots.csv: the file holds no ballots, expected a row per ballot after the header on line 1"
        );
    }
}
