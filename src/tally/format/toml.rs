//! `electorate`'s own TOML ballot format: the election and its ballots in one readable
//! file, rankings written as ordered lists.
//!
//! ```toml
//! title = "Example board election"   # optional
//! seats = 2                          # optional; --seats overrides it
//! candidates = ["Alice", "Bob", "Carol"]
//!
//! [[ballot]]
//! voter = "ann@example.org"          # optional, checked against --roll
//! ranking = ["Alice", ["Bob", "Carol"]]   # best first; an inner list is a tie
//!
//! [[ballot]]
//! weight = 3                         # optional, default 1: identical ballots
//! ranking = ["Carol"]                # unlisted candidates are unranked
//! ```
//!
//! Candidates are either a list of names, or `[[candidate]]` tables with `name` and
//! optional `id`, `affiliation` and `withdrawn` (`true` or `false`). Ballots refer to a
//! candidate by name or id. Cumulative ballots use `votes = { Alice = 2, Bob = 1 }`
//! instead of `ranking`; one file holds one kind. Unknown keys are errors, so a typo
//! cannot drop a ballot.

use std::collections::BTreeMap;
use std::ops::Range;

use ::toml::Spanned;
use serde::Deserialize;

use crate::tally::ballot::{
    BallotOrigin, BallotSet, Ballots, Candidate, CandidateIndex, Candidates, RankedBallots,
    RankingBuilder, ScoredBallots,
};
use crate::tally::error::{Location, ParseError, ParseProblem};
use crate::tally::format::limits::{check_field, check_name};
use crate::tally::format::{
    InputFormat, candidate_list_error, expected_candidates, line_of_offset, push_error,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    title: Option<String>,
    seats: Option<Spanned<u32>>,
    candidates: Option<Spanned<Vec<String>>>,
    candidate: Option<Spanned<Vec<CandidateEntry>>>,
    #[serde(default)]
    ballot: Vec<Spanned<BallotEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CandidateEntry {
    name: String,
    id: Option<String>,
    affiliation: Option<String>,
    #[serde(default)]
    withdrawn: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BallotEntry {
    voter: Option<String>,
    weight: Option<Spanned<u64>>,
    ranking: Option<Vec<Spanned<::toml::Value>>>,
    votes: Option<Spanned<BTreeMap<String, u32>>>,
}

/// Read an `electorate` TOML ballot file.
///
/// # Errors
/// TOML syntax or type errors (with their line), no or both kinds of candidate lists, no
/// ballots, a ballot with neither or both of `ranking` and `votes`, mixed kinds, an
/// unknown candidate, a candidate ranked twice, a weight or seat count of 0.
pub(super) fn read(file: &str, text: &str) -> Result<BallotSet, ParseError> {
    let at = |span: Range<usize>| Location::line(file, line_of_offset(text, span.start));
    if text.trim().is_empty() {
        return Err(ParseError::new(
            Location::file(file),
            ParseProblem::Empty {
                expected: "a candidates list and [[ballot]] tables".to_owned(),
            },
        ));
    }
    let document: Document = ::toml::from_str(text).map_err(|error| {
        let location = error.span().map_or_else(|| Location::file(file), &at);
        ParseError::new(
            location,
            ParseProblem::Toml {
                message: error.message().trim().to_owned(),
            },
        )
    })?;
    let seats = match document.seats {
        Some(seats) if *seats.get_ref() == 0 => {
            return Err(ParseError::new(
                at(seats.span()),
                ParseProblem::Invalid {
                    what: "seats",
                    found: "0".to_owned(),
                    expected: "at least 1".to_owned(),
                },
            ));
        }
        seats => seats.map(Spanned::into_inner),
    };
    let (list, list_line) = match (document.candidates, document.candidate) {
        (Some(names), None) => {
            let line = line_of_offset(text, names.span().start);
            (
                names
                    .into_inner()
                    .iter()
                    .map(|name| Candidate::named(name))
                    .collect(),
                line,
            )
        }
        (None, Some(entries)) => {
            let line = line_of_offset(text, entries.span().start);
            let list: Vec<Candidate> = entries
                .into_inner()
                .into_iter()
                .map(|entry| Candidate {
                    name: entry.name,
                    id: entry.id,
                    affiliation: entry.affiliation,
                    withdrawn: entry.withdrawn,
                })
                .collect();
            (list, line)
        }
        (Some(names), Some(_)) => {
            return Err(ParseError::new(
                at(names.span()),
                ParseProblem::Unexpected {
                    found: "both a candidates list and [[candidate]] tables".to_owned(),
                    expected: "one of them".to_owned(),
                },
            ));
        }
        (None, None) => {
            return Err(ParseError::new(
                Location::file(file),
                ParseProblem::Unexpected {
                    found: "no candidates".to_owned(),
                    expected: "candidates = [\"...\", ...] or [[candidate]] tables".to_owned(),
                },
            ));
        }
    };
    if let Some(empty) = list.iter().position(|candidate| candidate.name.is_empty()) {
        return Err(ParseError::new(
            Location::line(file, list_line),
            ParseProblem::Invalid {
                what: "candidate name",
                found: String::new(),
                expected: format!("a name for candidate {}", empty + 1),
            },
        ));
    }
    for candidate in &list {
        let at = || Location::line(file, list_line);
        check_name(at, "candidate name", &candidate.name)?;
        if let Some(id) = &candidate.id {
            check_name(at, "candidate id", id)?;
        }
        if let Some(affiliation) = &candidate.affiliation {
            check_name(at, "affiliation", affiliation)?;
        }
    }
    if let Some(title) = &document.title {
        check_field(|| Location::file(file), "title", title)?;
    }
    let candidates = Candidates::new(list)
        .map_err(|error| candidate_list_error(Location::line(file, list_line), error))?;

    let mut ranked = RankedBallots::new();
    let mut scored = ScoredBallots::new();
    let mut builder = RankingBuilder::new(candidates.len());
    let mut kind: Option<&'static str> = None;
    for entry in &document.ballot {
        let line = line_of_offset(text, entry.span().start);
        let ballot = entry.get_ref();
        let weight = match &ballot.weight {
            Some(weight) if *weight.get_ref() == 0 => {
                return Err(ParseError::new(
                    at(weight.span()),
                    ParseProblem::Invalid {
                        what: "weight",
                        found: "0".to_owned(),
                        expected: "a whole number of at least 1".to_owned(),
                    },
                ));
            }
            Some(weight) => *weight.get_ref(),
            None => 1,
        };
        let this_kind = match (&ballot.ranking, &ballot.votes) {
            (Some(_), None) => "ranking",
            (None, Some(_)) => "votes",
            (found_ranking, _) => {
                let found = if found_ranking.is_some() {
                    "a ballot with both ranking and votes"
                } else {
                    "a ballot with neither ranking nor votes"
                };
                return Err(ParseError::new(
                    Location::line(file, line),
                    ParseProblem::Unexpected {
                        found: found.to_owned(),
                        expected: "ranking = [...] or votes = { ... }".to_owned(),
                    },
                ));
            }
        };
        match kind {
            None => kind = Some(this_kind),
            Some(earlier) if earlier != this_kind => {
                return Err(ParseError::new(
                    Location::line(file, line),
                    ParseProblem::MixedFormats {
                        found: format!("a ballot with {this_kind} after ballots with {earlier}"),
                        format: InputFormat::Toml.description(),
                        expected: format!("{earlier} on every ballot"),
                    },
                ));
            }
            Some(_) => {}
        }
        let origin = BallotOrigin { line };
        let voter = ballot.voter.as_deref();
        if let Some(voter) = voter {
            check_field(|| Location::line(file, line), "voter id", voter)?;
        }
        let pushed = if let Some(ranking) = &ballot.ranking {
            read_ranking(file, text, ranking, &candidates, &mut builder)?;
            ranked.push(weight, &builder, voter, origin)
        } else {
            let votes = ballot.votes.as_ref().map(Spanned::get_ref);
            let mut given = Vec::new();
            for (token, count) in votes.into_iter().flatten() {
                let candidate = find(&candidates, token)
                    .ok_or_else(|| unknown(file, line, &candidates, token))?;
                given.push((candidate, *count));
            }
            if let Some(table) = &ballot.votes {
                check_distinct(
                    file,
                    line_of_offset(text, table.span().start),
                    &candidates,
                    &given,
                )?;
            }
            scored.push(weight, &given, voter, origin)
        };
        pushed.map_err(|error| push_error(file, line, error))?;
    }
    let ballots = match kind {
        Some("votes") => Ballots::Scored(scored),
        Some(_) => Ballots::Ranked(ranked),
        None => {
            return Err(ParseError::new(
                Location::file(file),
                ParseProblem::NoBallots {
                    expected: "[[ballot]] tables".to_owned(),
                },
            ));
        }
    };
    Ok(BallotSet {
        file: file.to_owned(),
        format: InputFormat::Toml,
        title: document.title,
        seats,
        candidates,
        ballots,
    })
}

fn find(candidates: &Candidates, token: &str) -> Option<CandidateIndex> {
    candidates.find(token)
}

fn unknown(file: &str, line: u32, candidates: &Candidates, token: &str) -> ParseError {
    ParseError::new(
        Location::line(file, line),
        ParseProblem::UnknownCandidate {
            found: token.to_owned(),
            expected: expected_candidates(candidates, token),
        },
    )
}

/// Votes name each candidate once; names and ids of one candidate would count twice.
fn check_distinct(
    file: &str,
    line: u32,
    candidates: &Candidates,
    given: &[(CandidateIndex, u32)],
) -> Result<(), ParseError> {
    let mut seen = vec![false; candidates.len()];
    for (candidate, _) in given {
        match seen.get_mut(candidate.index()) {
            Some(slot) if !*slot => *slot = true,
            _ => {
                return Err(ParseError::new(
                    Location::line(file, line),
                    ParseProblem::RankedTwice {
                        name: candidates.name(*candidate).to_owned(),
                    },
                ));
            }
        }
    }
    Ok(())
}

fn read_ranking(
    file: &str,
    text: &str,
    ranking: &[Spanned<::toml::Value>],
    candidates: &Candidates,
    builder: &mut RankingBuilder,
) -> Result<(), ParseError> {
    builder.clear();
    for entry in ranking {
        let line = line_of_offset(text, entry.span().start);
        let names: Vec<&str> = match entry.get_ref() {
            ::toml::Value::String(name) => vec![name.as_str()],
            ::toml::Value::Array(tie) if !tie.is_empty() => tie
                .iter()
                .map(|value| value.as_str().ok_or_else(|| not_a_name(file, line, value)))
                .collect::<Result<_, _>>()?,
            other => return Err(not_a_name(file, line, other)),
        };
        for (position, token) in names.into_iter().enumerate() {
            let candidate =
                find(candidates, token).ok_or_else(|| unknown(file, line, candidates, token))?;
            builder.push(candidate, position == 0).map_err(|_| {
                ParseError::new(
                    Location::line(file, line),
                    ParseProblem::RankedTwice {
                        name: candidates.name(candidate).to_owned(),
                    },
                )
            })?;
        }
    }
    Ok(())
}

fn not_a_name(file: &str, line: u32, value: &::toml::Value) -> ParseError {
    ParseError::new(
        Location::line(file, line),
        ParseProblem::Unexpected {
            found: format!("{value} in a ranking"),
            expected: "a candidate name, or a non-empty list of names ranked equal".to_owned(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"title = "Example board election"
seats = 2
candidates = ["Alice", "Bob", "Carol"]

[[ballot]]
voter = "ann@example.org"
ranking = ["Alice", ["Bob", "Carol"]]

[[ballot]]
weight = 3
ranking = ["Carol"]
"#;

    fn error(text: &str) -> String {
        read("ballots.toml", text).unwrap_err().to_string()
    }

    #[test]
    fn the_documented_example() {
        let set = read("ballots.toml", EXAMPLE).unwrap();
        assert_eq!(set.title.as_deref(), Some("Example board election"));
        assert_eq!(set.seats, Some(2));
        let Ballots::Ranked(ballots) = &set.ballots else {
            panic!("ranked")
        };
        let first = ballots.get(0).unwrap();
        assert_eq!(first.voter, Some("ann@example.org"));
        assert_eq!(first.ranking.tier_count(), 2);
        assert_eq!(first.origin.line, 5);
        assert_eq!(ballots.get(1).unwrap().origin.line, 9);
        assert_eq!(set.ballots.total_weight(), 4);
    }

    #[test]
    fn candidate_tables_and_votes() {
        let set = read(
            "ballots.toml",
            "[[candidate]]\nname = \"Alice\"\nid = \"al\"\naffiliation = \"ACME\"\n\n[[candidate]]\nname = \"Bob\"\nwithdrawn = true\n\n[[ballot]]\nvotes = { al = 2, Bob = 1 }\n",
        )
        .unwrap();
        assert!(set.candidates.as_slice()[1].withdrawn);
        let Ballots::Scored(ballots) = &set.ballots else {
            panic!("scored")
        };
        assert_eq!(ballots.get(0).unwrap().total(), 3);
    }

    #[test]
    fn bad_files() {
        assert_eq!(
            error(""),
            "ballots.toml: the file is empty, expected a candidates list and [[ballot]] tables"
        );
        assert_eq!(
            error("candidates = [\"A\"]\n[[ballot]]\nrankin = [\"A\"]\n"),
            "ballots.toml:3: unknown field `rankin`, expected one of `voter`, `weight`, `ranking`, `votes`"
        );
        assert_eq!(
            error("candidates = [\"Alice\", \"Bob\"]\n[[ballot]]\nranking = [\"Alicia\"]\n"),
            "ballots.toml:3: unknown candidate \"Alicia\", expected one of the 2 candidates (did you mean \"Alice\"?)"
        );
        assert_eq!(
            error("candidates = [\"A\", \"B\"]\n[[ballot]]\nranking = [\"A\", [\"B\", \"A\"]]\n"),
            "ballots.toml:3: candidate \"A\" is ranked twice, expected each candidate at most once per ballot"
        );
        assert_eq!(
            error(
                "candidates = [\"A\"]\n[[ballot]]\nranking = [\"A\"]\n[[ballot]]\nvotes = { A = 1 }\n"
            ),
            "ballots.toml:4: a ballot with votes after ballots with ranking, but this file was read as an electorate TOML ballot file: expected ranking on every ballot"
        );
        assert_eq!(
            error("candidates = [\"A\"]\n[[ballot]]\nweight = 0\nranking = [\"A\"]\n"),
            "ballots.toml:3: weight \"0\" is not valid, expected a whole number of at least 1"
        );
        assert_eq!(
            error("candidates = [\"A\"]\n[[ballot]]\nweight = -2\nranking = [\"A\"]\n"),
            "ballots.toml:3: invalid value: integer `-2`, expected u64"
        );
        assert_eq!(
            error("candidates = [\"A\"]\n"),
            "ballots.toml: the file holds no ballots, expected [[ballot]] tables"
        );
        // A key the parser quotes as written: control characters escaped, one line
        // (found by fuzzing).
        assert_eq!(
            error("[\"vott =hwd\u{96}ajs\"]\n"),
            "ballots.toml:1: unknown field `vott =hwd\\u{96}ajs`, expected one of `title`, `seats`, `candidates`, `candidate`, `ballot`"
        );
        assert_eq!(
            error("candidates = [\"A\"]\n\"a\\nb\" = 1\n"),
            "ballots.toml:2: unknown field `a\\nb`, expected one of `title`, `seats`, `candidates`, `candidate`, `ballot`"
        );
        assert_eq!(
            error("candidates = [\"A\"]\n[[ballot]]\nranking = [1]\n"),
            "ballots.toml:3: found 1 in a ranking, expected a candidate name, or a non-empty list of names ranked equal"
        );
    }
}
