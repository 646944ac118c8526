//! The CIVS upload format: the text file CIVS accepts to load ballots into a poll.
//!
//! As CIVS documents it: one ballot per line, each line giving the ranks of the N
//! choices in the poll's order, a rank being a number from 1 to N or a dash (`-`) for no
//! opinion; ranks are separated by whitespace or a comma; lines may end with LF or CR LF;
//! surrounding whitespace is ignored, and lines whose first non-blank character is `#`
//! are comments. A line may begin with `mX` (or `mx`), `m` a number, meaning `m`
//! identical ballots described by the rest of the line:
//!
//! ```text
//! 2,4,3,1,5
//! 5 - 2 - 3
//! 8X1 4 3 2 5
//! ```
//!
//! The file names no candidates. With a `--candidates` file the rows, in order, are the
//! choices (and N is their number); without one, N is the number of ranks on the first
//! ballot line and the choices are called `choice 1`, `choice 2`, ... (ids `1`, `2`,
//! ...).

use crate::tally::ballot::{
    BallotOrigin, BallotSet, Ballots, Candidate, CandidateIndex, Candidates, RankedBallots,
    RankingBuilder,
};
use crate::tally::error::{Location, ParseError, ParseProblem};
use crate::tally::format::candidates::CandidateFile;
use crate::tally::format::civs::parse_rank;
use crate::tally::format::{
    InputFormat, candidate_list_error, numbered_lines, parse_whole, push_error,
};

/// Read a CIVS upload file.
///
/// # Errors
/// An empty file, a bad multiplier, a line with the wrong number of ranks, a rank that is
/// not a number or out of range.
pub(super) fn read(
    file: &str,
    text: &str,
    names: Option<&CandidateFile>,
) -> Result<BallotSet, ParseError> {
    let mut lines = numbered_lines(text)
        .map(|(number, line)| (number, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .peekable();
    let Some(&(first_line, first)) = lines.peek() else {
        return Err(ParseError::new(
            Location::file(file),
            ParseProblem::Empty {
                expected: "one line of ranks per ballot".to_owned(),
            },
        ));
    };
    let list: Vec<Candidate> = match names {
        Some(names) => names
            .rows
            .iter()
            .enumerate()
            .map(|(position, row)| Candidate {
                name: row
                    .name
                    .clone()
                    .or_else(|| row.id.clone())
                    .unwrap_or_default(),
                id: Some((position + 1).to_string()),
                affiliation: None,
                withdrawn: false,
            })
            .collect(),
        None => {
            let (_, ranks) = split_line(file, first_line, first)?;
            if ranks.len() > CandidateIndex::MAX_CANDIDATES {
                return Err(ParseError::new(
                    Location::line(file, first_line),
                    ParseProblem::TooManyCandidates {
                        count: ranks.len(),
                        max: CandidateIndex::MAX_CANDIDATES,
                    },
                ));
            }
            (1..=ranks.len())
                .map(|number| Candidate {
                    name: format!("choice {number}"),
                    id: Some(number.to_string()),
                    affiliation: None,
                    withdrawn: false,
                })
                .collect()
        }
    };
    let candidates = Candidates::new(list).map_err(|error| {
        let file = names.map_or(file, |names| names.file.as_str());
        candidate_list_error(Location::file(file), error)
    })?;
    let count = candidates.len();
    let rank_range = format!("a rank from 1 to {count} or \"-\"");

    let mut ballots = RankedBallots::new();
    let mut builder = RankingBuilder::new(count);
    let mut ranks: Vec<Option<u32>> = vec![None; count];
    for (line, text) in lines {
        let (multiplier, fields) = split_line(file, line, text)?;
        if fields.len() != count {
            let source = if names.is_some() {
                "the --candidates file"
            } else {
                "the first ballot line"
            };
            return Err(ParseError::new(
                Location::line(file, line),
                ParseProblem::FieldCount {
                    found: fields.len(),
                    expected: format!("{count}, one rank per choice as in {source}"),
                },
            ));
        }
        for (position, (field, slot)) in fields.iter().zip(ranks.iter_mut()).enumerate() {
            *slot = if *field == "-" {
                None
            } else if field.bytes().all(|byte| byte.is_ascii_digit()) {
                Some(parse_rank(field, count, &rank_range).map_err(|problem| {
                    ParseError::new(
                        Location::field(
                            file,
                            line,
                            position + 1,
                            Some(candidates.name_at(position)),
                        ),
                        problem,
                    )
                })?)
            } else {
                let problem = if field.eq_ignore_ascii_case("no opinion") {
                    ParseProblem::MixedFormats {
                        found: "\"No opinion\" is CIVS export syntax".to_owned(),
                        format: InputFormat::CivsUpload.description(),
                        expected: rank_range.clone(),
                    }
                } else {
                    ParseProblem::RankNotANumber {
                        found: (*field).to_owned(),
                        expected: rank_range.clone(),
                    }
                };
                return Err(ParseError::new(
                    Location::field(file, line, position + 1, Some(candidates.name_at(position))),
                    problem,
                ));
            };
        }
        builder.set_from_ranks(&ranks);
        ballots
            .push(multiplier, &builder, None, BallotOrigin { line })
            .map_err(|error| push_error(file, line, error))?;
    }
    Ok(BallotSet {
        file: file.to_owned(),
        format: InputFormat::CivsUpload,
        title: None,
        seats: None,
        candidates,
        ballots: Ballots::Ranked(ballots),
    })
}

/// The multiplier (1 without one) and the rank fields of a ballot line.
fn split_line<'a>(file: &str, line: u32, text: &'a str) -> Result<(u64, Vec<&'a str>), ParseError> {
    let (multiplier, rest) = match text.find(['x', 'X']) {
        Some(at) => {
            let (before, after) = text.split_at(at);
            let multiplier = before.trim();
            let valid = multiplier == "0" || (!multiplier.starts_with('0'));
            match parse_whole(multiplier).filter(|_| valid) {
                Some(multiplier) => (multiplier, after.get(1..).unwrap_or_default()),
                None => {
                    return Err(ParseError::new(
                        Location::line(file, line),
                        ParseProblem::Invalid {
                            what: "ballot multiplier",
                            found: multiplier.to_owned(),
                            expected: "a whole number before the X, as in \"8X1 4 3 2 5\""
                                .to_owned(),
                        },
                    ));
                }
            }
        }
        None => (1, text),
    };
    let fields: Vec<&str> = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|field| !field.is_empty())
        .collect();
    if fields.is_empty() {
        return Err(ParseError::new(
            Location::line(file, line),
            ParseProblem::Unexpected {
                found: "a multiplier without ranks".to_owned(),
                expected: "the ranks of the ballot after the X".to_owned(),
            },
        ));
    }
    Ok((multiplier, fields))
}

/// Whether a line reads as an upload ballot: an optional `mX`, then ranks and dashes.
pub(crate) fn looks_like_ballot_line(line: &str) -> bool {
    let rest = match line.find(['x', 'X']) {
        Some(at) => {
            let (before, after) = line.split_at(at);
            if parse_whole(before.trim()).is_none() {
                return false;
            }
            after.get(1..).unwrap_or_default()
        }
        None => line,
    };
    let fields: Vec<&str> = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|field| !field.is_empty())
        .collect();
    !fields.is_empty()
        && fields
            .iter()
            .all(|field| *field == "-" || field.bytes().all(|byte| byte.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        read("upload.txt", text, None).unwrap_err().to_string()
    }

    #[test]
    fn the_documented_examples() {
        let set = read(
            "upload.txt",
            "# three lines from the CIVS help\n2,4,3,1,5\n  5 - 2 - 3\r\n8X1 4 3 2 5\n",
            None,
        )
        .unwrap();
        assert_eq!(set.candidates.len(), 5);
        assert_eq!(set.candidates.name_at(0), "choice 1");
        assert_eq!(set.ballots.len(), 3);
        assert_eq!(set.ballots.total_weight(), 10);
        let Ballots::Ranked(ballots) = &set.ballots else {
            panic!("ranked")
        };
        let second: Vec<Vec<usize>> = ballots
            .get(1)
            .unwrap()
            .ranking
            .tiers()
            .map(|tier| tier.iter().map(|c| c.index()).collect())
            .collect();
        assert_eq!(second, vec![vec![2], vec![4], vec![0]]);
        assert_eq!(ballots.get(2).unwrap().origin.line, 4);
    }

    #[test]
    fn names_come_from_the_candidates_file_in_order() {
        let names = CandidateFile::parse("c.csv", "name\nAlice\nBob\n").unwrap();
        let set = read("upload.txt", "1 -\n", Some(&names)).unwrap();
        assert_eq!(set.candidates.name_at(1), "Bob");
        let error = read("upload.txt", "1 - 2\n", Some(&names)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "upload.txt:1: the line has 3 fields, expected 2, one rank per choice as in the --candidates file"
        );
    }

    #[test]
    fn bad_lines() {
        assert_eq!(
            error("\n# nothing\n"),
            "upload.txt: the file is empty, expected one line of ranks per ballot"
        );
        assert_eq!(
            error("1 2\n1 2 3\n"),
            "upload.txt:2: the line has 3 fields, expected 2, one rank per choice as in the first ballot line"
        );
        assert_eq!(
            error("1 2\n1 3\n"),
            "upload.txt:2: field 2 (\"choice 2\"): rank 3 is out of range, expected a rank from 1 to 2 or \"-\""
        );
        assert_eq!(
            error("1 2\n1 b\n"),
            "upload.txt:2: field 2 (\"choice 2\"): rank \"b\" is not a number, expected a rank from 1 to 2 or \"-\""
        );
        assert_eq!(
            error("1 2\nmanyX1 2\n"),
            "upload.txt:2: ballot multiplier \"many\" is not valid, expected a whole number before the X, as in \"8X1 4 3 2 5\""
        );
        assert_eq!(
            error("1 2\n3x\n"),
            "upload.txt:2: found a multiplier without ranks, expected the ranks of the ballot after the X"
        );
    }

    #[test]
    fn recognised_lines() {
        assert!(looks_like_ballot_line("2,4,3,1,5 "));
        assert!(looks_like_ballot_line("5 - 2 - 3"));
        assert!(looks_like_ballot_line("8X1 4 3 2 5"));
        assert!(looks_like_ballot_line("1,-,2"));
        assert!(!looks_like_ballot_line("Alice,Bob"));
        assert!(!looks_like_ballot_line("1,Bob"));
    }
}
