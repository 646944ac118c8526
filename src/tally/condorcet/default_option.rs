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
    /// At least this many ballots must prefer an option to the default (0: no quorum).
    pub quorum: u64,
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
        let ratio = if (n, m) == (1, 1) {
            "more ballots prefer it to the default option than prefer the default option to it"
                .to_owned()
        } else {
            format!(
                "more than {n}/{m} times as many ballots prefer it to the default option as prefer the default option to it"
            )
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
    let (n, m) = option.majority;
    (0..pairwise.size())
        .filter(|&local| local != base)
        .filter_map(|local| {
            let candidate = pairwise.candidate(local)?;
            let support = pairwise.prefer(local, base);
            let opposition = pairwise.prefer(base, local);
            let defeats =
                u128::from(support) * u128::from(m) > u128::from(opposition) * u128::from(n);
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
    use crate::tally::ballot::{Candidate, Origin, RankingBuilder};

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
            set.push(*weight, &builder, None, Origin { line }).unwrap();
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
        let judge = |majority, quorum| {
            against_default(
                &candidates,
                &set,
                Unranked::Ignore,
                nota,
                &DefaultOption {
                    name: "NOTA".to_owned(),
                    majority,
                    quorum,
                },
            )
            .into_iter()
            .map(|(_, a)| (a.candidate, a.support, a.opposition, a.dropped))
            .collect::<Vec<_>>()
        };
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
    }
}
