//! Approval: every candidate a ballot marks is approved once.
//!
//! On ranked ballots, every ranked candidate is approved, whatever its rank; candidates
//! left unranked (`No opinion`, a blank cell, absent from the order) are not. Beware of
//! CIVS polls without `No opinion`: there every candidate carries a rank, so every
//! candidate is approved. On cumulative ballots, every candidate given at least one vote
//! is approved. Candidates are ranked by approvals (equal totals share a tier) and N
//! seats go to the top N through [`super::seats::fill_seats`].

use super::method::{MethodOutcome, RankedInput, ScoredInput};
use super::result::Audit;
use super::seats::{Totals, outcome_by_totals};
use super::tie::TieBreaker;

/// Count approvals on ranked ballots.
pub fn approval_ranked(input: &RankedInput<'_>, ties: &mut TieBreaker<'_>) -> MethodOutcome {
    let mut totals = vec![0u64; input.candidates.len()];
    let mut blank = 0u64;
    for ballot in input.ballots.iter() {
        if ballot.ranking.is_empty() {
            blank += ballot.weight;
        }
        for candidate in ballot.ranking.candidates() {
            if let Some(total) = totals.get_mut(candidate.index()) {
                *total += ballot.weight;
            }
        }
    }
    finish(
        &totals,
        blank,
        input.candidates,
        input.seats,
        input.max_per_affiliation,
        ties,
        "a ranked ballot approves every candidate it ranks, whatever the rank, and no unranked one",
    )
}

/// Count approvals on cumulative ballots.
pub fn approval_scored(input: &ScoredInput<'_>, ties: &mut TieBreaker<'_>) -> MethodOutcome {
    let mut totals = vec![0u64; input.candidates.len()];
    let mut blank = 0u64;
    for ballot in input.ballots.iter() {
        if ballot.votes.is_empty() {
            blank += ballot.weight;
        }
        for (candidate, _) in ballot.votes {
            if let Some(total) = totals.get_mut(candidate.index()) {
                *total += ballot.weight;
            }
        }
    }
    finish(
        &totals,
        blank,
        input.candidates,
        input.seats,
        input.max_per_affiliation,
        ties,
        "a ballot approves every candidate it gives at least one vote, once",
    )
}

fn finish(
    totals: &[u64],
    blank: u64,
    candidates: &super::ballot::Candidates,
    seats: u32,
    max_per_affiliation: Option<u32>,
    ties: &mut TieBreaker<'_>,
    rule: &str,
) -> MethodOutcome {
    outcome_by_totals(
        Totals {
            votes: totals,
            blank,
            void: 0,
        },
        candidates,
        seats,
        max_per_affiliation,
        ties,
        Audit::Approvals,
        vec![rule.to_owned()],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::ballot::{
        BallotOrigin, CandidateIndex, Candidates, RankedBallots, RankingBuilder, ScoredBallots,
    };

    fn idx(position: usize) -> CandidateIndex {
        CandidateIndex::new(position).unwrap()
    }

    #[test]
    fn every_ranked_candidate_is_approved_whatever_the_rank() {
        let candidates = Candidates::from_names(&["Ann", "Bob", "Cy"]).unwrap();
        let mut ballots = RankedBallots::new();
        for (line, ranks) in (1u32..).zip([
            [Some(1), Some(3), None],
            [None, Some(1), None],
            [None, None, None],
        ]) {
            let mut builder = RankingBuilder::new(3);
            builder.set_from_ranks(&ranks);
            ballots
                .push(1, &builder, None, BallotOrigin { line })
                .unwrap();
        }
        let input = RankedInput {
            candidates: &candidates,
            ballots: &ballots,
            seats: 1,
            max_per_affiliation: None,
        };
        let mut ties = TieBreaker::new(&candidates, None);
        let outcome = approval_ranked(&input, &mut ties);
        assert_eq!(outcome.winners, vec![idx(1)]);
        assert_eq!(
            outcome.ranking,
            vec![vec![idx(1)], vec![idx(0)], vec![idx(2)]]
        );
        let Audit::Approvals(counts) = outcome.audit else {
            panic!("wrong audit")
        };
        assert_eq!(counts.blank, 1);
    }

    #[test]
    fn a_vote_is_an_approval_on_cumulative_ballots() {
        let candidates = Candidates::from_names(&["Ann", "Bob"]).unwrap();
        let mut ballots = ScoredBallots::new();
        ballots
            .push(1, &[(idx(0), 3)], None, BallotOrigin { line: 1 })
            .unwrap();
        ballots
            .push(
                1,
                &[(idx(0), 1), (idx(1), 2)],
                None,
                BallotOrigin { line: 2 },
            )
            .unwrap();
        let input = ScoredInput {
            candidates: &candidates,
            ballots: &ballots,
            seats: 2,
            max_per_affiliation: None,
        };
        let mut ties = TieBreaker::new(&candidates, None);
        let outcome = approval_scored(&input, &mut ties);
        assert_eq!(outcome.winners, vec![idx(0), idx(1)]);
    }
}
