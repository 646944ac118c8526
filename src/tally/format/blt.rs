//! BLT, the ballot format of `OpenSTV`, Droop and most STV counting programs.
//!
//! ```text
//! 4 2                 candidates, seats
//! -4                  optional: withdrawn candidates, as negative numbers
//! 3 1 2 = 3 0         weight, then candidate numbers best first, "=" ties, 0 ends it
//! 1 4 0
//! 0                   end of ballots
//! "Alice"             one name per candidate, in number order
//! "Bob"
//! "Carol"
//! "Dan"
//! "Example election"  optional title
//! ```
//!
//! A ballot line may start with a ballot id in parentheses, `(17)`, which is ignored.
//! `#` starts a comment in the numeric part. Names are quoted, several to a line if
//! wished; an unquoted line is taken whole as one name.

use crate::tally::ballot::{
    BallotOrigin, BallotSet, Ballots, Candidate, CandidateIndex, Candidates, RankedBallots,
    RankingBuilder,
};
use crate::tally::error::{Location, ParseError, ParseProblem, excerpt};
use crate::tally::format::limits::{check_field, check_name};
use crate::tally::format::{
    InputFormat, candidate_list_error, numbered_lines, parse_whole, push_error,
};

const EXPECTED_HEADER: &str = "a first line \"CANDIDATES SEATS\", e.g. \"4 2\"";

/// Read a BLT file.
///
/// # Errors
/// A bad header, withdrawn line, weight or preference, a candidate ranked twice, a
/// ballot without its closing `0`, a missing end-of-ballots line, too few names, or text
/// after the title.
pub(super) fn read(file: &str, text: &str) -> Result<BallotSet, ParseError> {
    let mut lines = numbered_lines(text);
    let (header_line, header) = lines
        .by_ref()
        .map(|(number, line)| (number, strip_comment(line).trim()))
        .find(|(_, line)| !line.is_empty())
        .ok_or_else(|| {
            ParseError::new(
                Location::file(file),
                ParseProblem::Empty {
                    expected: EXPECTED_HEADER.to_owned(),
                },
            )
        })?;
    let numbers: Vec<Option<u64>> = header.split_whitespace().map(parse_whole).collect();
    let (count, seats) = match numbers.as_slice() {
        [Some(count), Some(seats)] if *count >= 1 && *seats >= 1 => (*count, *seats),
        _ => {
            return Err(ParseError::new(
                Location::line(file, header_line),
                ParseProblem::Unexpected {
                    found: excerpt(header),
                    expected: EXPECTED_HEADER.to_owned(),
                },
            ));
        }
    };
    let count = usize::try_from(count)
        .ok()
        .filter(|count| *count <= CandidateIndex::MAX_CANDIDATES)
        .ok_or_else(|| {
            ParseError::new(
                Location::line(file, header_line),
                ParseProblem::TooManyCandidates {
                    count: usize::try_from(count).unwrap_or(usize::MAX),
                    max: CandidateIndex::MAX_CANDIDATES,
                },
            )
        })?;
    let seats = u32::try_from(seats).unwrap_or(u32::MAX);

    let mut withdrawn = vec![false; count];
    let mut ballots = RankedBallots::new();
    let mut builder = RankingBuilder::new(count);
    let mut ended = false;
    for (line, raw) in lines.by_ref() {
        let content = strip_comment(raw).trim();
        if content.is_empty() {
            continue;
        }
        if content == "0" {
            ended = true;
            break;
        }
        if ballots.is_empty() && content.starts_with('-') {
            read_withdrawn(file, line, content, &mut withdrawn)?;
            continue;
        }
        let weight = read_ballot(file, line, content, count, &mut builder)?;
        ballots
            .push(weight, &builder, None, BallotOrigin { line })
            .map_err(|error| push_error(file, line, error))?;
    }
    if !ended {
        return Err(ParseError::new(
            Location::file(file),
            ParseProblem::Unexpected {
                found: "the end of the file".to_owned(),
                expected: "a line \"0\" after the last ballot, then the candidate names".to_owned(),
            },
        ));
    }

    let mut strings: Vec<(u32, String)> = Vec::new();
    for (line, raw) in lines {
        read_strings(file, line, raw, &mut strings)?;
    }
    if strings.len() < count {
        return Err(ParseError::new(
            Location::file(file),
            ParseProblem::Unexpected {
                found: format!("{} candidate names", strings.len()),
                expected: format!("{count} names, one per candidate, after the \"0\" line"),
            },
        ));
    }
    for (position, (line, text)) in strings.iter().enumerate() {
        let at = || Location::line(file, *line);
        if position < count {
            check_name(at, "candidate name", text)?;
        } else {
            check_field(at, "title", text)?;
        }
    }
    let mut strings = strings.into_iter();
    let list: Vec<Candidate> = strings
        .by_ref()
        .take(count)
        .zip(&withdrawn)
        .enumerate()
        .map(|(position, ((_, name), withdrawn))| Candidate {
            name,
            id: Some((position + 1).to_string()),
            affiliation: None,
            withdrawn: *withdrawn,
        })
        .collect();
    let candidates =
        Candidates::new(list).map_err(|error| candidate_list_error(Location::file(file), error))?;
    let title = strings.next().map(|(_, title)| title);
    if let Some((line, extra)) = strings.next() {
        return Err(ParseError::new(
            Location::line(file, line),
            ParseProblem::Unexpected {
                found: format!("{} after the title", excerpt(&extra)),
                expected: "nothing after the candidate names and the title".to_owned(),
            },
        ));
    }
    Ok(BallotSet {
        file: file.to_owned(),
        format: InputFormat::Blt,
        title,
        seats: Some(seats),
        candidates,
        ballots: Ballots::Ranked(ballots),
    })
}

fn strip_comment(line: &str) -> &str {
    line.split_once('#').map_or(line, |(before, _)| before)
}

fn read_withdrawn(
    file: &str,
    line: u32,
    content: &str,
    withdrawn: &mut [bool],
) -> Result<(), ParseError> {
    let count = withdrawn.len();
    for (position, token) in content.split_whitespace().enumerate() {
        let number = token
            .strip_prefix('-')
            .and_then(parse_whole)
            .and_then(|number| usize::try_from(number).ok())
            .filter(|number| (1..=count).contains(number));
        match number.and_then(|number| withdrawn.get_mut(number - 1)) {
            Some(slot) => *slot = true,
            None => {
                return Err(ParseError::new(
                    Location::field(file, line, position + 1, None),
                    ParseProblem::Invalid {
                        what: "withdrawn candidate",
                        found: token.to_owned(),
                        expected: format!("a negative candidate number from -1 to -{count}"),
                    },
                ));
            }
        }
    }
    Ok(())
}

/// Parse one ballot line into `builder`; returns the weight.
fn read_ballot(
    file: &str,
    line: u32,
    content: &str,
    count: usize,
    builder: &mut RankingBuilder,
) -> Result<u64, ParseError> {
    builder.clear();
    // (field number, token), with "=" split out of tokens like "2=3".
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    for (position, word) in content.split_whitespace().enumerate() {
        let mut rest = word;
        while let Some(at) = rest.find('=') {
            let (before, after) = rest.split_at(at);
            if !before.is_empty() {
                tokens.push((position + 1, before));
            }
            tokens.push((position + 1, "="));
            rest = after.get(1..).unwrap_or_default();
        }
        if !rest.is_empty() {
            tokens.push((position + 1, rest));
        }
    }
    let mut tokens = tokens.into_iter().peekable();
    if tokens
        .peek()
        .is_some_and(|(_, token)| token.starts_with('(') && token.ends_with(')'))
    {
        tokens.next();
    }
    let (weight_field, weight_token) = tokens.next().unwrap_or((1, ""));
    let weight = parse_whole(weight_token).ok_or_else(|| {
        ParseError::new(
            Location::field(file, line, weight_field, None),
            ParseProblem::Invalid {
                what: "ballot weight",
                found: weight_token.to_owned(),
                expected: "a whole number, then the candidates best first, then 0".to_owned(),
            },
        )
    })?;
    let mut tie_next = false;
    let mut terminated = false;
    for (field, token) in tokens {
        let at = || Location::field(file, line, field, None);
        if terminated {
            return Err(ParseError::new(
                at(),
                ParseProblem::Unexpected {
                    found: format!("{} after the 0 that ends the ballot", excerpt(token)),
                    expected: "nothing after the 0".to_owned(),
                },
            ));
        }
        match token {
            "=" if builder.is_empty() || tie_next => {
                return Err(ParseError::new(
                    at(),
                    ParseProblem::Unexpected {
                        found: "\"=\" without a candidate before it".to_owned(),
                        expected: "\"=\" between two candidates ranked equal".to_owned(),
                    },
                ));
            }
            "=" => tie_next = true,
            "0" if tie_next => {
                return Err(ParseError::new(
                    at(),
                    ParseProblem::Unexpected {
                        found: "\"=\" before the closing 0".to_owned(),
                        expected: "\"=\" between two candidates ranked equal".to_owned(),
                    },
                ));
            }
            "0" => terminated = true,
            _ => {
                let candidate = parse_whole(token)
                    .and_then(|number| usize::try_from(number).ok())
                    .filter(|number| (1..=count).contains(number))
                    .and_then(|number| CandidateIndex::new(number - 1))
                    .ok_or_else(|| {
                        let expected = format!("a candidate number from 1 to {count}, \"=\" or 0");
                        let problem = if parse_whole(token).is_some() {
                            ParseProblem::UnknownCandidate {
                                found: token.to_owned(),
                                expected,
                            }
                        } else {
                            ParseProblem::Invalid {
                                what: "preference",
                                found: token.to_owned(),
                                expected,
                            }
                        };
                        ParseError::new(at(), problem)
                    })?;
                builder.push(candidate, !tie_next).map_err(|_| {
                    ParseError::new(
                        at(),
                        ParseProblem::RankedTwice {
                            name: token.to_owned(),
                        },
                    )
                })?;
                tie_next = false;
            }
        }
    }
    if !terminated {
        return Err(ParseError::new(
            Location::line(file, line),
            ParseProblem::Unexpected {
                found: "the end of the line".to_owned(),
                expected: "0 at the end of the ballot".to_owned(),
            },
        ));
    }
    Ok(weight)
}

/// The quoted strings of a line (or the whole line when it is not quoted).
fn read_strings(
    file: &str,
    line: u32,
    raw: &str,
    out: &mut Vec<(u32, String)>,
) -> Result<(), ParseError> {
    let mut rest = raw.trim();
    if rest.is_empty() {
        return Ok(());
    }
    if !rest.starts_with('"') {
        out.push((line, rest.to_owned()));
        return Ok(());
    }
    while let Some(after_quote) = rest.strip_prefix('"') {
        let Some(end) = after_quote.find('"') else {
            return Err(ParseError::new(
                Location::line(file, line),
                ParseProblem::Unexpected {
                    found: format!("an unterminated quoted name {}", excerpt(rest)),
                    expected: "a closing \" on the same line".to_owned(),
                },
            ));
        };
        let (name, after) = after_quote.split_at(end);
        out.push((line, name.to_owned()));
        rest = after.get(1..).unwrap_or_default().trim_start();
    }
    if !rest.is_empty() {
        return Err(ParseError::new(
            Location::line(file, line),
            ParseProblem::Unexpected {
                found: format!("{} outside quotes", excerpt(rest)),
                expected: "names in double quotes".to_owned(),
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "4 2\n-4\n3 1 2 = 3 0\n(b7) 1 4 0\n2 3 0\n1 0\n0\n\"Alice\"\n\"Bob\"\n\"Carol\" \"Dan\"\n\"Example election\"\n";

    fn tiers(set: &BallotSet, position: usize) -> (u64, Vec<Vec<usize>>) {
        let Ballots::Ranked(ballots) = &set.ballots else {
            panic!("ranked")
        };
        let ballot = ballots.get(position).unwrap();
        (
            ballot.weight,
            ballot
                .ranking
                .tiers()
                .map(|tier| tier.iter().map(|c| c.index()).collect())
                .collect(),
        )
    }

    fn error(text: &str) -> String {
        read("e.blt", text).unwrap_err().to_string()
    }

    #[test]
    fn the_documented_example() {
        let set = read("e.blt", EXAMPLE).unwrap();
        assert_eq!(set.seats, Some(2));
        assert_eq!(set.title.as_deref(), Some("Example election"));
        assert_eq!(set.candidates.name_at(3), "Dan");
        assert!(set.candidates.as_slice()[3].withdrawn);
        assert_eq!(tiers(&set, 0), (3, vec![vec![0], vec![1, 2]]));
        assert_eq!(tiers(&set, 1), (1, vec![vec![3]]));
        assert_eq!(tiers(&set, 3), (1, vec![]));
        assert_eq!(set.ballots.total_weight(), 7);
    }

    #[test]
    fn ties_written_without_spaces() {
        let set = read("e.blt", "3 1\n1 1=2 3 0\n0\n\"A\"\n\"B\"\n\"C\"\n").unwrap();
        assert_eq!(tiers(&set, 0), (1, vec![vec![0, 1], vec![2]]));
        assert_eq!(set.title, None);
    }

    #[test]
    fn bad_files() {
        assert_eq!(
            error(""),
            "e.blt: the file is empty, expected a first line \"CANDIDATES SEATS\", e.g. \"4 2\""
        );
        assert_eq!(
            error("4\n"),
            "e.blt:1: found \"4\", expected a first line \"CANDIDATES SEATS\", e.g. \"4 2\""
        );
        assert_eq!(
            error("2 1\n1 1 3 0\n0\n\"A\"\n\"B\"\n"),
            "e.blt:2: field 3: unknown candidate \"3\", expected a candidate number from 1 to 2, \"=\" or 0"
        );
        assert_eq!(
            error("2 1\n1 1 2\n0\n\"A\"\n\"B\"\n"),
            "e.blt:2: found the end of the line, expected 0 at the end of the ballot"
        );
        assert_eq!(
            error("2 1\n1 1 1 0\n0\n\"A\"\n\"B\"\n"),
            "e.blt:2: field 3: candidate \"1\" is ranked twice, expected each candidate at most once per ballot"
        );
        assert_eq!(
            error("2 1\n1.5 1 0\n0\n\"A\"\n\"B\"\n"),
            "e.blt:2: field 1: ballot weight \"1.5\" is not valid, expected a whole number, then the candidates best first, then 0"
        );
        assert_eq!(
            error("2 1\n1 1 0\n"),
            "e.blt: found the end of the file, expected a line \"0\" after the last ballot, then the candidate names"
        );
        assert_eq!(
            error("2 1\n1 1 0\n0\n\"A\"\n"),
            "e.blt: found 1 candidate names, expected 2 names, one per candidate, after the \"0\" line"
        );
        assert_eq!(
            error("2 1\n-3\n1 1 0\n0\n\"A\"\n\"B\"\n"),
            "e.blt:2: field 1: withdrawn candidate \"-3\" is not valid, expected a negative candidate number from -1 to -2"
        );
        assert_eq!(
            error("2 1\n1 1 0\n0\n\"A\"\n\"B\"\n\"T\"\n\"extra\"\n"),
            "e.blt:7: found \"extra\" after the title, expected nothing after the candidate names and the title"
        );
        assert_eq!(
            error("2 1\n1 = 1 0\n0\n\"A\"\n\"B\"\n"),
            "e.blt:2: field 2: found \"=\" without a candidate before it, expected \"=\" between two candidates ranked equal"
        );
    }
}
