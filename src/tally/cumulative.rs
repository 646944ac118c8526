//! Cumulative voting, as the OpenStack Foundation elects its individual directors: each
//! ballot spreads up to a capped number of votes over the candidates, as many on one
//! candidate as the voter likes; the N highest totals take the N seats.
//!
//! Rules, written into the result:
//!
//! - the cap is `--votes-per-ballot`, by default the number of seats;
//! - a ballot that gives more votes than the cap is void: it counts for no one and is
//!   counted in the audit's `void` (scaling it down would mean guessing what the voter
//!   meant, and counting only part of it would favour whoever came first in the file);
//!   a ballot giving fewer votes than the cap counts as given;
//! - a ballot that gives no votes is blank;
//! - candidates are ranked by total (equal totals share a tier) and seats are filled
//!   with [`super::seats::fill_seats`], so `--max-per-affiliation` applies (the Board has an
//!   affiliation limit too) and a tie across the last seat is settled by the draw or
//!   reported.

use super::error::TallyError;
use super::method::{CumulativeOptions, MethodOutcome, ScoredInput};
use super::result::Audit;
use super::seats::{Totals, outcome_by_totals};
use super::tie::TieBreaker;

/// Count cumulative votes.
///
/// # Errors
/// None today: every input [`ScoredInput`] guarantees can be counted. The `Result` keeps
/// the signature every method shares.
pub fn cumulative(
    input: &ScoredInput<'_>,
    options: &CumulativeOptions,
    ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    let cap = u64::from(options.votes_per_ballot.unwrap_or(input.seats));
    let mut totals = vec![0u64; input.candidates.len()];
    let (mut blank, mut void) = (0u64, 0u64);
    for ballot in input.ballots.iter() {
        let given = ballot.total();
        if given == 0 {
            blank += ballot.weight;
        } else if given > cap {
            void += ballot.weight;
        } else {
            for &(candidate, votes) in ballot.votes {
                if let Some(total) = totals.get_mut(candidate.index()) {
                    // Weights sum to at most 10^15 and a valid ballot gives at most
                    // `cap` (a u32) votes, so this cannot overflow in practice; saturate
                    // rather than wrap if it ever did.
                    *total = total.saturating_add(u64::from(votes).saturating_mul(ballot.weight));
                }
            }
        }
    }
    Ok(outcome_by_totals(
        Totals {
            votes: &totals,
            blank,
            void,
        },
        input.candidates,
        input.seats,
        input.max_per_affiliation,
        ties,
        Audit::CumulativeVotes,
        vec![
            format!(
                "each ballot gives up to {cap} votes, as many to one candidate as the voter likes; a candidate's total is the sum of the votes given to them"
            ),
            format!(
                "a ballot giving more than {cap} votes is void and counts for no one; a ballot giving fewer counts as given"
            ),
            "the highest totals take the seats".to_owned(),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::ballot::{BallotOrigin, CandidateIndex, Candidates, ScoredBallots};

    fn idx(position: usize) -> CandidateIndex {
        CandidateIndex::new(position).unwrap()
    }

    #[test]
    fn over_the_cap_is_void_and_under_counts() {
        let candidates = Candidates::from_names(&["Ann", "Bob", "Cy"]).unwrap();
        let mut ballots = ScoredBallots::new();
        let rows: [(u64, &[(CandidateIndex, u32)]); 4] = [
            (1, &[(idx(0), 2)]),
            (2, &[(idx(1), 1)]),
            (3, &[(idx(2), 2), (idx(1), 1)]),
            (1, &[]),
        ];
        for (line, (weight, votes)) in (1u32..).zip(rows) {
            ballots
                .push(weight, votes, None, BallotOrigin { line })
                .unwrap();
        }
        let input = ScoredInput {
            candidates: &candidates,
            ballots: &ballots,
            seats: 2,
            max_per_affiliation: None,
        };
        let mut ties = TieBreaker::new(&candidates, None);
        let outcome = cumulative(&input, &CumulativeOptions::default(), &mut ties).unwrap();
        let Audit::CumulativeVotes(counts) = &outcome.audit else {
            panic!("wrong audit")
        };
        assert_eq!((counts.blank, counts.void), (1, 3));
        assert_eq!(outcome.winners, vec![idx(0), idx(1)]);
        assert_eq!(counts.counts[0].votes, 2);
        assert_eq!(counts.counts[1].votes, 2);
    }
}
