//! What every ballot reader must give: a ballot set that the methods can count, or an
//! error located inside the input with a short message.

use electorate::tally::ballot::{BallotSet, Ballots, CandidateIndex};
use electorate::tally::error::ParseError;
use electorate::tally::format::limits::MAX_NAME_CHARS;
use electorate::tally::format::{InputFormat, read_ballots};

use crate::{check_message, last_line};

/// Read `data` as `format` (or detected, with `None`) and check the outcome.
///
/// # Panics
/// When a rule is broken.
pub fn check(data: &[u8], file: &str, format: Option<InputFormat>) {
    match read_ballots(file, data, format, None) {
        Ok((set, _)) => check_set(&set, data),
        Err(error) => check_error(&error, file, data),
    }
}

/// A parse error: in the file, at a line of it, with a short message.
///
/// # Panics
/// When it is not.
pub fn check_error(error: &ParseError, file: &str, data: &[u8]) {
    let message = error.to_string();
    assert!(message.starts_with(file), "{message}");
    assert_eq!(error.location().file, file);
    if let Some(line) = error.location().line {
        assert!(
            line >= 1 && u64::from(line) <= last_line(data),
            "line {line}: {message}"
        );
    }
    let rest = &message[file.len()..];
    check_message(
        rest.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit() || c == ' '),
        &message,
    );
}

/// A ballot set: names within their limit and unique, every ballot ranking or scoring
/// candidates that exist, each once, at a line of the input, and weights that add up.
///
/// # Panics
/// When a rule is broken.
pub fn check_set(set: &BallotSet, data: &[u8]) {
    let candidates = set.candidates.len();
    let mut names = std::collections::HashSet::new();
    for (_, candidate) in set.candidates.iter() {
        assert!(candidate.name.chars().count() <= MAX_NAME_CHARS);
        assert!(
            names.insert(candidate.name.as_str()),
            "{} twice",
            candidate.name
        );
        for text in [&candidate.id, &candidate.affiliation]
            .into_iter()
            .flatten()
        {
            assert!(text.chars().count() <= MAX_NAME_CHARS);
        }
    }
    let last = last_line(data);
    let valid = |index: CandidateIndex, seen: &mut Vec<bool>| {
        assert!(
            index.index() < candidates,
            "candidate {index} of {candidates}"
        );
        assert!(
            !seen[index.index()],
            "candidate {index} twice on one ballot"
        );
        seen[index.index()] = true;
    };
    let mut total: u64 = 0;
    match &set.ballots {
        Ballots::Ranked(ballots) => {
            for ballot in ballots.iter() {
                let mut seen = vec![false; candidates];
                for tier in ballot.ranking.tiers() {
                    assert!(!tier.is_empty(), "an empty tier");
                    for &index in tier {
                        valid(index, &mut seen);
                    }
                }
                assert!(u64::from(ballot.origin.line) <= last);
                total += ballot.weight;
            }
            assert_eq!(ballots.aggregated().total_weight(), ballots.total_weight());
        }
        Ballots::Scored(ballots) => {
            for ballot in ballots.iter() {
                let mut seen = vec![false; candidates];
                for &(index, votes) in ballot.votes {
                    valid(index, &mut seen);
                    assert!(votes > 0, "a zero vote stored");
                }
                assert!(u64::from(ballot.origin.line) <= last);
                total += ballot.weight;
            }
        }
    }
    assert_eq!(total, set.ballots.total_weight());
}
