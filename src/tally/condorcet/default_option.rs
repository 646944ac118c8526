//! Debian's default option ("None of the above", "Further discussion"): before the count,
//! every other option is compared with it alone, and an option that does not defeat it by
//! the required majority ratio, or that too few ballots prefer to it (the quorum), is
//! dropped (Debian constitution, appendix A). The count then runs on what is left; the
//! dropped options are ranked after it, in one tier.

use super::pairwise::Pairwise;
use crate::tally::ballot::{CandidateIndex, Candidates, RankedBallots, Unranked};
use crate::tally::result::AgainstDefault;

/// The default option and what it takes to beat it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultOption {
    /// The option's name (or id) as in the ballot file.
    pub name: String,
    /// An option must be preferred to the default by more than `N/M` times as many
    /// ballots as prefer the default to it: `(N, M)`, both at least 1.
    pub majority: (u32, u32),
    /// How the ratio is compared.
    pub rule: MajorityRule,
    /// At least this many ballots must prefer an option to the default (0: no quorum).
    pub quorum: u64,
}

/// How an option's support against the default option is compared with the ratio N:M.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MajorityRule {
    /// `V(A,D) >= N/M * V(D,A)` and `V(A,D) > V(D,A)`: Debian since constitution 1.6
    /// (December 2015), so that exactly 3:1 meets a 3:1 supermajority.
    #[default]
    AtLeast,
    /// `V(A,D) > N/M * V(D,A)`: Debian from 2003 to 2015.
    MoreThan,
}

impl MajorityRule {
    /// Whether `support` against `opposition` meets the ratio `n:m`.
    #[must_use]
    pub fn met(self, support: u64, opposition: u64, (n, m): (u32, u32)) -> bool {
        let scaled_support = u128::from(support) * u128::from(m);
        let scaled_opposition = u128::from(opposition) * u128::from(n);
        match self {
            Self::AtLeast => scaled_support >= scaled_opposition && support > opposition,
            Self::MoreThan => scaled_support > scaled_opposition,
        }
    }
}

impl DefaultOption {
    /// `N:M`, as the result writes it.
    #[must_use]
    pub fn majority_text(&self) -> String {
        format!("{}:{}", self.majority.0, self.majority.1)
    }

    /// The rule as a sentence for the result.
    #[must_use]
    pub fn rule(&self) -> String {
        let (n, m) = self.majority;
        let ratio = match (self.rule, (n, m) == (1, 1)) {
            (_, true) => {
                "more ballots prefer it to the default option than prefer the default option to it"
                    .to_owned()
            }
            (MajorityRule::AtLeast, false) => format!(
                "at least {n}/{m} times as many ballots prefer it to the default option as prefer the default option to it, and more than prefer the default option"
            ),
            (MajorityRule::MoreThan, false) => format!(
                "more than {n}/{m} times as many ballots prefer it to the default option as prefer the default option to it"
            ),
        };
        let quorum = if self.quorum > 0 {
            format!(
                ", and at least {} ballots prefer it to the default option",
                self.quorum
            )
        } else {
            String::new()
        };
        format!(
            "default option {:?}: before the count, an option is dropped unless {ratio}{quorum}; dropped options are ranked after every other, in one tier",
            self.name
        )
    }
}

/// Every standing option other than `default` against it; `dropped` in the result says
/// which ones the count leaves out.
#[must_use]
pub fn against_default(
    candidates: &Candidates,
    ballots: &RankedBallots,
    unranked: Unranked,
    default: CandidateIndex,
    option: &DefaultOption,
) -> Vec<(CandidateIndex, AgainstDefault)> {
    let pairwise = Pairwise::count(candidates, ballots, unranked);
    let Some(base) = pairwise.standing().iter().position(|&c| c == default) else {
        return Vec::new();
    };
    (0..pairwise.size())
        .filter(|&local| local != base)
        .filter_map(|local| {
            let candidate = pairwise.candidate(local)?;
            let support = pairwise.prefer(local, base);
            let opposition = pairwise.prefer(base, local);
            let defeats = option.rule.met(support, opposition, option.majority);
            Some((
                candidate,
                AgainstDefault {
                    candidate: candidates.name(candidate).to_owned(),
                    support,
                    opposition,
                    dropped: !defeats || support < option.quorum,
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::ballot::{BallotOrigin, Candidate, RankingBuilder};

    fn ballots(count: usize, rankings: &[(u64, &[&[usize]])]) -> RankedBallots {
        let mut set = RankedBallots::new();
        let mut builder = RankingBuilder::new(count);
        for (line, (weight, tiers)) in rankings.iter().enumerate() {
            builder.clear();
            for tier in *tiers {
                let tier: Vec<CandidateIndex> = tier
                    .iter()
                    .filter_map(|&c| CandidateIndex::new(c))
                    .collect();
                builder.push_tier(&tier).unwrap();
            }
            let line = u32::try_from(line + 1).unwrap();
            set.push(*weight, &builder, None, BallotOrigin { line })
                .unwrap();
        }
        set
    }

    #[test]
    fn majority_ratio_and_quorum_drop_options() {
        let candidates = Candidates::new(
            ["A", "B", "C", "NOTA"]
                .iter()
                .map(|n| Candidate::named(n))
                .collect(),
        )
        .unwrap();
        // A over NOTA 6:4; B 5:5; C 4:6.
        let set = ballots(
            4,
            &[
                (3, &[&[0], &[2], &[1], &[3]]),
                (2, &[&[0], &[1], &[3], &[2]]),
                (1, &[&[2], &[0], &[3], &[1]]),
                (1, &[&[3], &[0], &[1], &[2]]),
                (1, &[&[3], &[2], &[1], &[0]]),
                (2, &[&[3], &[1], &[0], &[2]]),
            ],
        );
        let nota = CandidateIndex::new(3).unwrap();
        let judge_by = |rule, majority, quorum| {
            against_default(
                &candidates,
                &set,
                Unranked::Ignore,
                nota,
                &DefaultOption {
                    name: "NOTA".to_owned(),
                    majority,
                    rule,
                    quorum,
                },
            )
            .into_iter()
            .map(|(_, a)| (a.candidate, a.support, a.opposition, a.dropped))
            .collect::<Vec<_>>()
        };
        let judge = |majority, quorum| judge_by(MajorityRule::MoreThan, majority, quorum);
        assert_eq!(
            judge((1, 1), 0),
            [
                ("A".to_owned(), 6, 4, false),
                ("B".to_owned(), 5, 5, true),
                ("C".to_owned(), 4, 6, true),
            ],
            "a tie with the default option is no defeat"
        );
        assert!(judge((3, 2), 0)[0].3, "6/4 is not more than 3/2");
        assert!(!judge((4, 3), 0)[0].3, "6/4 is more than 4/3");
        assert!(judge((1, 1), 7)[0].3, "quorum 7, 6 prefer A");
        assert!(!judge((1, 1), 6)[0].3, "quorum 6 is met");
        assert!(
            !judge_by(MajorityRule::AtLeast, (3, 2), 0)[0].3,
            "since 2015 an exact 3:2 meets 3:2"
        );
        assert!(judge_by(MajorityRule::AtLeast, (4, 1), 0)[0].3);
        assert_eq!(
            judge_by(MajorityRule::AtLeast, (1, 1), 0),
            judge((1, 1), 0),
            "the rules agree on a simple majority: a tie is no defeat"
        );
    }

    #[test]
    fn the_two_majority_rules() {
        let (rule, old) = (MajorityRule::AtLeast, MajorityRule::MoreThan);
        assert!(rule.met(3, 1, (3, 1)) && !old.met(3, 1, (3, 1)));
        assert!(rule.met(4, 1, (3, 1)) && old.met(4, 1, (3, 1)));
        assert!(!rule.met(0, 0, (1, 1)) && !old.met(0, 0, (1, 1)));
        assert!(
            !rule.met(1, 1, (1, 2)),
            "a ratio below 1 still needs a majority"
        );
        assert!(old.met(1, 1, (1, 2)));
        assert!(rule.met(u64::MAX, u64::MAX / 2, (2, 1)), "no overflow");
    }
}
