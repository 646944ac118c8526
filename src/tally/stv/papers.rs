//! Ballots as the transferable-vote counts read them: one "paper" per distinct ranking
//! (with its weight), its tiers laid out flat, and the one rule every count here shares
//! for finding a paper's next preference.
//!
//! IRV, the three STV variants and their test oracles all walk a ballot the same way: from
//! the tier where the paper stands, on to the first later tier that holds a candidate who
//! can still receive votes. What "can receive" means is the method's business (IRV and the
//! Gregory counts: neither elected nor excluded; Meek: not excluded), so it is passed in.
//! What a tier of *several* such candidates does is the voter-facing rule
//! [`TiedRank`]: the paper stops there (`exhaust`, as an over-marked paper ballot would)
//! or the tier is passed over (`skip`), judged against the candidates who can receive
//! at the moment the paper is walked: IRV and the Gregory counts walk a paper only when
//! it moves, so their verdict on a tier stands; Meek walks every paper at every
//! iteration, so a tier is judged afresh. Keeping this in one place keeps the methods
//! consistent with each other, which the property tests rely on (STV with one seat is
//! IRV).
//!
//! The layout is built once per count from the merged ballots, so a count that walks
//! every paper hundreds of times (Meek) touches two flat arrays and nothing else.

use crate::tally::ballot::{CandidateIndex, RankedBallots};
use crate::tally::method::TiedRank;

/// Where a paper goes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// To this candidate, who stands in tier `tier` (a global tier number, see
    /// [`Papers::first_tier`]).
    To {
        candidate: CandidateIndex,
        tier: u32,
    },
    /// Nowhere: no later tier holds a candidate who can receive it, or (with
    /// [`TiedRank::Exhaust`]) the next such tier holds several.
    Exhausted,
}

/// The ballots of a count, one paper per distinct ranking.
#[derive(Debug, Clone, Default)]
pub struct Papers {
    weights: Vec<u64>,
    /// Paper `p` owns tiers `paper_tiers[p] .. paper_tiers[p + 1]`.
    paper_tiers: Vec<u32>,
    /// Tier `t` holds `candidates[tier_starts[t] .. tier_starts[t + 1]]`; one extra entry
    /// closes the last tier.
    tier_starts: Vec<u32>,
    candidates: Vec<CandidateIndex>,
    /// Whether every tier of paper `p` holds one candidate (the fast path of Meek).
    strict: Vec<bool>,
    total_weight: u64,
}

impl Papers {
    /// Lay out `ballots` (already merged and stripped of withdrawn candidates).
    #[must_use]
    pub fn new(ballots: &RankedBallots) -> Self {
        let mut papers = Self {
            weights: Vec::with_capacity(ballots.len()),
            paper_tiers: Vec::with_capacity(ballots.len() + 1),
            ..Self::default()
        };
        papers.paper_tiers.push(0);
        for ballot in ballots.iter() {
            let mut strict = true;
            for tier in ballot.ranking.tiers() {
                papers.tier_starts.push(to_u32(papers.candidates.len()));
                papers.candidates.extend_from_slice(tier);
                strict &= tier.len() == 1;
            }
            papers.weights.push(ballot.weight);
            papers.strict.push(strict);
            papers.paper_tiers.push(to_u32(papers.tier_starts.len()));
            papers.total_weight += ballot.weight;
        }
        papers.tier_starts.push(to_u32(papers.candidates.len()));
        papers
    }

    /// Number of papers (distinct rankings).
    #[must_use]
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether there are no papers.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// How many ballots paper `paper` stands for.
    #[must_use]
    pub fn weight(&self, paper: usize) -> u64 {
        self.weights.get(paper).copied().unwrap_or(0)
    }

    /// The sum of all weights.
    #[must_use]
    pub fn total_weight(&self) -> u64 {
        self.total_weight
    }

    /// Whether the paper ranks no one.
    #[must_use]
    pub fn is_blank(&self, paper: usize) -> bool {
        self.first_tier(paper) == self.end_tier(paper)
    }

    /// Whether every tier of the paper holds exactly one candidate.
    #[must_use]
    pub fn is_strict(&self, paper: usize) -> bool {
        self.strict.get(paper).copied().unwrap_or(true)
    }

    /// The global number of the paper's first tier; a walk starts there.
    #[must_use]
    pub fn first_tier(&self, paper: usize) -> u32 {
        self.paper_tiers.get(paper).copied().unwrap_or(0)
    }

    /// One past the paper's last tier.
    #[must_use]
    pub fn end_tier(&self, paper: usize) -> u32 {
        self.paper_tiers.get(paper + 1).copied().unwrap_or(0)
    }

    /// All the candidates the paper ranks, best first, tiers flattened (for strict papers
    /// each is a tier of its own).
    #[must_use]
    pub fn ranked(&self, paper: usize) -> &[CandidateIndex] {
        let at = |t: u32| self.tier_starts.get(t as usize).copied().unwrap_or(0) as usize;
        self.candidates
            .get(at(self.first_tier(paper))..at(self.end_tier(paper)))
            .unwrap_or(&[])
    }

    /// The candidates of global tier `tier`.
    #[must_use]
    pub fn tier(&self, tier: u32) -> &[CandidateIndex] {
        let at = |t: u32| self.tier_starts.get(t as usize).copied().unwrap_or(0) as usize;
        self.candidates.get(at(tier)..at(tier + 1)).unwrap_or(&[])
    }

    /// The first tier from `from` on (inclusive) of paper `paper` that settles where the
    /// paper goes: a tier with exactly one candidate `can_receive` accepts, or, with
    /// [`TiedRank::Exhaust`], a tier with several.
    pub fn seek(
        &self,
        paper: usize,
        from: u32,
        tied_rank: TiedRank,
        can_receive: impl Fn(CandidateIndex) -> bool,
    ) -> Next {
        for tier in from..self.end_tier(paper) {
            let mut found = None;
            let mut several = false;
            for &candidate in self.tier(tier) {
                if can_receive(candidate) {
                    if found.is_some() {
                        several = true;
                        break;
                    }
                    found = Some(candidate);
                }
            }
            match (found, several) {
                (Some(candidate), false) => return Next::To { candidate, tier },
                (Some(_), true) if tied_rank == TiedRank::Exhaust => return Next::Exhausted,
                _ => {}
            }
        }
        Next::Exhausted
    }
}

/// Arena positions fit `u32`: the ballot arena they come from is indexed by `u32`.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::ballot::{BallotOrigin, RankingBuilder};

    fn idx(position: usize) -> CandidateIndex {
        CandidateIndex::new(position).unwrap()
    }

    fn papers(rows: &[&[Option<u32>]]) -> Papers {
        let mut ballots = RankedBallots::new();
        for (line, ranks) in (1u32..).zip(rows) {
            let mut builder = RankingBuilder::new(ranks.len());
            builder.set_from_ranks(ranks);
            ballots
                .push(1, &builder, None, BallotOrigin { line })
                .unwrap();
        }
        Papers::new(&ballots)
    }

    #[test]
    fn a_tier_of_several_exhausts_or_is_skipped() {
        // A first, B and C equal second, D third.
        let set = papers(&[&[Some(1), Some(2), Some(2), Some(3)]]);
        let everyone = |_| true;
        let first = set.seek(0, set.first_tier(0), TiedRank::Exhaust, everyone);
        assert_eq!(
            first,
            Next::To {
                candidate: idx(0),
                tier: 0
            }
        );
        assert_eq!(set.seek(0, 1, TiedRank::Exhaust, everyone), Next::Exhausted);
        assert_eq!(
            set.seek(0, 1, TiedRank::Skip, everyone),
            Next::To {
                candidate: idx(3),
                tier: 2
            }
        );
        // With C out, the tier holds one candidate who can receive: B.
        assert_eq!(
            set.seek(0, 1, TiedRank::Exhaust, |c| c != idx(2)),
            Next::To {
                candidate: idx(1),
                tier: 1
            }
        );
        assert!(!set.is_strict(0));
    }

    #[test]
    fn blank_papers_go_nowhere() {
        let set = papers(&[&[None, None], &[Some(1), None]]);
        assert!(set.is_blank(0));
        assert_eq!(set.seek(0, 0, TiedRank::Skip, |_| true), Next::Exhausted);
        assert_eq!(set.first_tier(1), 0);
        assert!(set.is_strict(1));
        assert_eq!(set.total_weight(), 2);
    }
}
