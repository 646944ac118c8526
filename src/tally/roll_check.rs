//! The optional check of ballots against a roll (`--roll ROLL.txt`).
//!
//! The roll is one e-mail address per line (blank lines and `#` comments ignored), as
//! `electorate roll` writes it. Voter ids and addresses compare case-insensitively
//! (Unicode lowercase of the whole address). A ballot is rejected, and listed with its
//! origin, when its voter is not on the roll (`not-on-roll`), when its voter already cast
//! a ballot earlier in the file (`second-ballot`: the first one counts, whatever the
//! later ones say), or when it carries no voter id while others do (`no-voter-id`).
//! Turnout is the number of distinct voters whose ballot counted over the size of the
//! roll.
//!
//! This is the only place the tally knows about rolls.

use std::collections::{BTreeMap, BTreeSet};

use super::ballot::BallotSet;
use super::error::{Location, ParseError, ParseProblem, TallyError};
use super::format::limits::check_field;
use super::format::numbered_lines;
use super::result::{RejectReason, RejectedBallot, TallyResult, Turnout};

/// The addresses allowed to vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterRoll {
    file: String,
    voters: BTreeSet<String>,
}

impl VoterRoll {
    /// Parse a roll: one address per line.
    ///
    /// # Errors
    /// A line holding more than one word, or a roll without any address.
    pub fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        let mut voters = BTreeSet::new();
        for (line, raw) in numbered_lines(text) {
            let entry = raw.trim();
            if entry.is_empty() || entry.starts_with('#') {
                continue;
            }
            check_field(|| Location::line(file, line), "roll entry", entry)?;
            if entry.split_whitespace().nth(1).is_some() {
                return Err(ParseError::new(
                    Location::line(file, line),
                    ParseProblem::Invalid {
                        what: "roll entry",
                        found: entry.to_owned(),
                        expected: "one e-mail address per line".to_owned(),
                    },
                ));
            }
            voters.insert(entry.to_lowercase());
        }
        if voters.is_empty() {
            return Err(ParseError::new(
                Location::file(file),
                ParseProblem::Empty {
                    expected: "one e-mail address per line".to_owned(),
                },
            ));
        }
        Ok(Self {
            file: file.to_owned(),
            voters,
        })
    }

    /// Number of distinct addresses.
    #[must_use]
    pub fn len(&self) -> usize {
        self.voters.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.voters.is_empty()
    }

    /// Whether `voter` is on the roll (case-insensitively).
    #[must_use]
    pub fn contains(&self, voter: &str) -> bool {
        self.voters.contains(&voter.to_lowercase())
    }
}

/// The outcome of the roll check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollCheck {
    /// The ballots that count.
    pub accepted: BallotSet,
    /// The ballots set aside, in file order.
    pub rejected: Vec<RejectedBallot>,
    pub turnout: Turnout,
}

impl RollCheck {
    /// Record the rejections and the turnout in a result.
    pub fn record_in(&self, result: &mut TallyResult) {
        result.rejected.clone_from(&self.rejected);
        result.ballots.rejected = self.rejected.iter().map(|ballot| ballot.weight).sum();
        result.turnout = Some(self.turnout.clone());
    }
}

/// Check `set` against `roll`.
///
/// # Errors
/// The ballots carry no voter ids at all.
pub fn check_against_roll(set: &BallotSet, roll: &VoterRoll) -> Result<RollCheck, TallyError> {
    if !set.ballots.has_voter_ids() {
        return Err(TallyError::NoVoterIds {
            file: set.file.clone(),
        });
    }
    let headers = set.ballots.headers();
    let mut keep = vec![false; headers.len()];
    let mut rejected = Vec::new();
    let mut first_ballot: BTreeMap<String, String> = BTreeMap::new();
    for (header, keep) in headers.iter().zip(keep.iter_mut()) {
        let origin = set.locate(header.origin);
        let reject = |reason, counted_ballot| RejectedBallot {
            origin: origin.clone(),
            voter: header.voter.map(str::to_owned),
            reason,
            counted_ballot,
            weight: header.weight,
        };
        let Some(voter) = header.voter else {
            rejected.push(reject(RejectReason::NoVoterId, None));
            continue;
        };
        let folded = voter.to_lowercase();
        if !roll.voters.contains(&folded) {
            rejected.push(reject(RejectReason::NotOnRoll, None));
        } else if let Some(first) = first_ballot.get(&folded) {
            rejected.push(reject(RejectReason::SecondBallot, Some(first.clone())));
        } else {
            first_ballot.insert(folded, origin.clone());
            *keep = true;
        }
    }
    let voted = u64::try_from(first_ballot.len()).unwrap_or(u64::MAX);
    let roll_size = u64::try_from(roll.len()).unwrap_or(u64::MAX);
    let accepted = BallotSet {
        ballots: set.ballots.filtered(&keep),
        ..set.clone()
    };
    Ok(RollCheck {
        accepted,
        rejected,
        turnout: Turnout {
            voted,
            roll: roll_size,
            percent: percent(voted, roll_size),
        },
    })
}

/// `part / whole` as a percentage with two decimals, rounded half up, in integers.
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.00".to_owned();
    }
    let scaled = (u128::from(part) * 10_000 * 2 + u128::from(whole)) / (u128::from(whole) * 2);
    format!("{}.{:02}", scaled / 100, scaled % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::format::read_ballots;

    fn ballots(text: &str) -> BallotSet {
        read_ballots("ballots.csv", text.as_bytes(), None, None)
            .unwrap()
            .0
    }

    #[test]
    fn strangers_and_second_ballots_are_rejected_and_listed() {
        let roll = VoterRoll::parse(
            "roll.txt",
            "# TC roll\nann@example.org\nBo@Example.org\ncy@example.org\n\n",
        )
        .unwrap();
        assert_eq!(roll.len(), 3);
        let set = ballots(
            "voter,rank:A,rank:B\nANN@example.org,1,2\nzed@example.org,1,2\nann@example.org,2,1\nbo@example.org,2,1\n,1,2\n",
        );
        let check = check_against_roll(&set, &roll).unwrap();
        let reasons: Vec<(&str, RejectReason)> = check
            .rejected
            .iter()
            .map(|ballot| (ballot.origin.as_str(), ballot.reason))
            .collect();
        assert_eq!(
            reasons,
            vec![
                ("ballots.csv:3", RejectReason::NotOnRoll),
                ("ballots.csv:4", RejectReason::SecondBallot),
                ("ballots.csv:6", RejectReason::NoVoterId),
            ]
        );
        assert_eq!(
            check.rejected[1].counted_ballot.as_deref(),
            Some("ballots.csv:2")
        );
        assert_eq!(check.accepted.ballots.len(), 2);
        assert_eq!(
            check.turnout,
            Turnout {
                voted: 2,
                roll: 3,
                percent: "66.67".to_owned()
            }
        );
    }

    #[test]
    fn ballots_without_voter_ids_cannot_be_checked() {
        let roll = VoterRoll::parse("roll.txt", "a@x\n").unwrap();
        let set = ballots("A,B\n1,2\n");
        assert_eq!(
            check_against_roll(&set, &roll).unwrap_err().to_string(),
            "--roll needs ballots that carry voter ids, but ballots.csv has none; expected a csv or toml ballot file with voter ids"
        );
    }

    #[test]
    fn bad_rolls() {
        assert_eq!(
            VoterRoll::parse("roll.txt", "a@x b@x\n")
                .unwrap_err()
                .to_string(),
            "roll.txt:1: roll entry \"a@x b@x\" is not valid, expected one e-mail address per line"
        );
        assert_eq!(
            VoterRoll::parse("roll.txt", "\n").unwrap_err().to_string(),
            "roll.txt: the file is empty, expected one e-mail address per line"
        );
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent(1, 3), "33.33");
        assert_eq!(percent(2, 3), "66.67");
        assert_eq!(percent(1, 8), "12.50");
        assert_eq!(percent(3, 3), "100.00");
        assert_eq!(percent(0, 0), "0.00");
    }
}
