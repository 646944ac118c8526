//! Minimax (Simpson–Kramer): rank candidates by their strongest defeat, weakest first.
//!
//! The variant, written out because minimax has several: a candidate's score is the
//! strongest defeat it suffers, measured by `--strength` (winning votes: the support of
//! the defeat, fewer votes against breaking ties; margins: support minus opposition).
//! Only defeats count: a pairwise tie or a win is no defeat, so an undefeated candidate
//! (a Condorcet winner, or one that only ties) has no score and ranks above every
//! defeated one. Candidates are ranked by score, weakest strongest-defeat first; equal
//! scores share a tier (no second-strongest defeat is consulted, unlike CIVS's
//! Minimax-PM). This is the "winning votes" or "margins" minimax of the literature, not
//! the "pairwise opposition" one, so a Condorcet winner always wins.

use super::pairwise::{NO_DEFEAT, Pairwise, StrengthOrder};

/// A candidate's strongest defeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub candidate: usize,
    /// The [`StrengthOrder`] key of the strongest defeat, [`NO_DEFEAT`] for none.
    pub key: u128,
    /// Who inflicts it (the strongest by full key, then the first in input order).
    pub by: Option<usize>,
}

/// Every standing candidate's score, and the ranking (tiers of local indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minimax {
    /// In ranking order (input order within a tier).
    pub scores: Vec<Score>,
    pub ranking: Vec<Vec<usize>>,
}

/// Run minimax on `pairwise` under `order`.
#[must_use]
pub fn minimax(pairwise: &Pairwise, order: StrengthOrder) -> Minimax {
    let size = pairwise.size();
    let mut scores: Vec<Score> = (0..size)
        .map(|candidate| {
            let mut worst = Score {
                candidate,
                key: NO_DEFEAT,
                by: None,
            };
            for other in 0..size {
                let key = order.key_of(pairwise.defeat(other, candidate));
                if key > worst.key {
                    worst.key = key;
                    worst.by = Some(other);
                }
            }
            worst
        })
        .collect();
    scores.sort_by(|a, b| {
        order
            .decisive(a.key)
            .cmp(&order.decisive(b.key))
            .then(a.candidate.cmp(&b.candidate))
    });
    let mut ranking: Vec<Vec<usize>> = Vec::new();
    let mut previous = None;
    for score in &scores {
        let strength = order.decisive(score.key);
        match ranking.last_mut() {
            Some(tier) if previous == Some(strength) => tier.push(score.candidate),
            _ => ranking.push(vec![score.candidate]),
        }
        previous = Some(strength);
    }
    Minimax { scores, ranking }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::ballot::Candidates;
    use crate::tally::method::Strength;

    fn pairwise(counts: &[Vec<u64>]) -> Pairwise {
        let names: Vec<String> = (0..counts.len()).map(|i| format!("c{i}")).collect();
        Pairwise::from_counts(Candidates::from_names(&names).unwrap().standing(), counts)
    }

    #[test]
    fn winning_votes_and_margins_can_disagree() {
        // A loses to C 8:7 (margin 1, support 8); B loses to A 10:0 (margin 10, support
        // 10); C loses to B 9:1 (margin 8, support 9).
        let counts = [vec![0, 10, 7], vec![0, 0, 9], vec![8, 1, 0]];
        let winning = minimax(&pairwise(&counts), StrengthOrder(Strength::Winning));
        assert_eq!(winning.ranking, vec![vec![0], vec![2], vec![1]]);
        let margin = minimax(&pairwise(&counts), StrengthOrder(Strength::Margin));
        assert_eq!(margin.ranking, vec![vec![0], vec![2], vec![1]]);
        // Make A's defeat narrow but well supported: C beats A 12:11 (support 12, margin 1).
        let counts = [vec![0, 10, 11], vec![0, 0, 9], vec![12, 1, 0]];
        let winning = minimax(&pairwise(&counts), StrengthOrder(Strength::Winning));
        assert_eq!(winning.ranking, vec![vec![2], vec![1], vec![0]]);
        let margin = minimax(&pairwise(&counts), StrengthOrder(Strength::Margin));
        assert_eq!(margin.ranking, vec![vec![0], vec![2], vec![1]]);
        assert_eq!(margin.scores[0].by, Some(2));
    }

    #[test]
    fn undefeated_candidates_share_the_top() {
        let result = minimax(
            &pairwise(&[vec![0, 3, 5], vec![3, 0, 5], vec![1, 1, 0]]),
            StrengthOrder(Strength::Winning),
        );
        assert_eq!(result.ranking, vec![vec![0, 1], vec![2]]);
        assert_eq!(result.scores[0].by, None);
    }
}
