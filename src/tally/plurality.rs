//! Plurality: each ballot counts for the one candidate it ranks first.
//!
//! Rules, written into the result: a ballot whose first tier holds several candidates
//! (ranked equal first) is void and counts for no one, as an over-marked paper ballot
//! would be; a ballot that ranks no standing candidate is blank. Candidates are ranked by
//! their totals (equal totals share a tier) and N seats go to the top N through
//! [`super::seats::fill_seats`].

use super::method::{MethodOutcome, RankedInput};
use super::result::Audit;
use super::seats::{Totals, outcome_by_totals};
use super::tie::TieBreaker;

/// Count first preferences.
pub fn plurality(input: &RankedInput<'_>, ties: &mut TieBreaker<'_>) -> MethodOutcome {
    let mut totals = vec![0u64; input.candidates.len()];
    let (mut blank, mut void) = (0u64, 0u64);
    for ballot in input.ballots.iter() {
        match ballot.ranking.first_tier() {
            None => blank += ballot.weight,
            Some([single]) => {
                if let Some(total) = totals.get_mut(single.index()) {
                    *total += ballot.weight;
                }
            }
            Some(_) => void += ballot.weight,
        }
    }
    outcome_by_totals(
        Totals {
            votes: &totals,
            blank,
            void,
        },
        input.candidates,
        input.seats,
        input.max_per_affiliation,
        ties,
        Audit::FirstPreferences,
        vec![
            "each ballot counts for the one candidate it ranks first".to_owned(),
            "a ballot that ranks several candidates equal first is void and counts for no one"
                .to_owned(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::ballot::{BallotOrigin, Candidates, RankedBallots, RankingBuilder};

    fn ballots(rows: &[(u64, &[Option<u32>])]) -> RankedBallots {
        let mut ballots = RankedBallots::new();
        for (line, (weight, ranks)) in (1u32..).zip(rows) {
            let mut builder = RankingBuilder::new(ranks.len());
            builder.set_from_ranks(ranks);
            ballots
                .push(*weight, &builder, None, BallotOrigin { line })
                .unwrap();
        }
        ballots
    }

    #[test]
    fn first_preferences_win_and_equal_firsts_are_void() {
        let candidates = Candidates::from_names(&["Ann", "Bob", "Cy"]).unwrap();
        let ballots = ballots(&[
            (3, &[Some(1), Some(2), None]),
            (2, &[None, Some(1), None]),
            (4, &[Some(1), Some(1), None]),
            (1, &[None, None, None]),
        ]);
        let input = RankedInput {
            candidates: &candidates,
            ballots: &ballots,
            seats: 1,
            max_per_affiliation: None,
        };
        let mut ties = TieBreaker::new(&candidates, None);
        let outcome = plurality(&input, &mut ties);
        assert_eq!(outcome.winners.len(), 1);
        assert_eq!(candidates.name(outcome.winners[0]), "Ann");
        let Audit::FirstPreferences(counts) = outcome.audit else {
            panic!("wrong audit")
        };
        assert_eq!((counts.blank, counts.void), (1, 4));
        assert_eq!(counts.counts[0].votes, 3);
        assert_eq!(counts.counts[2].candidate, "Cy");
    }
}
