//! Ranked pairs (Tideman): lock majorities from the strongest down unless they would
//! contradict stronger ones.
//!
//! Every defeat of the pairwise matrix is a majority. Majorities are taken in order of
//! strength (`--strength`), strongest first. Majorities of *equal* strength are judged
//! together, so no order among them is ever needed and nothing is drawn: a majority of
//! the group that already contradicts the locked majorities (all stronger) is skipped
//! and set aside, since no order could lock it; then, with the locked majorities and
//! the group's remaining members, a member that lies on a cycle is skipped, the others
//! are locked. The second step is the rule of Eric Gorr's ranked pairs calculator ("if
//! two or more defeats are equivalent, those defeats are considered together"); the
//! locked majorities never form a cycle, and a group whose members contradict one
//! another locks none of the contradicting ones.
//! (CIVS's "Ranked Pairs" instead keeps each equal majority that creates no cycle on
//! its own, which can lock a cycle; Tideman's original breaks such ties with a random
//! ranking of the candidates.)
//!
//! The ranking: the candidates no remaining candidate reaches through locked majorities
//! form the next tier, repeatedly. Candidates the locks leave unordered (a pairwise tie,
//! or contradicting equal majorities) share a tier; a seat that depends on such a tier
//! is a tie for [`crate::tally::seats::fill_seats`].

use super::pairwise::{Defeat, Pairwise, StrengthOrder};

/// One majority and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lock {
    pub winner: usize,
    pub loser: usize,
    pub defeat: Defeat,
    pub locked: bool,
}

/// The majorities in the order considered, and the ranking they give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedPairs {
    pub locks: Vec<Lock>,
    /// Tiers of local indices, best first.
    pub ranking: Vec<Vec<usize>>,
}

/// Which candidates reach which through locked majorities: one bit set per candidate.
#[derive(Debug, Clone)]
struct Reach {
    words: usize,
    /// `rows[a]` holds `b` when a chain of locked majorities leads from `a` to `b`.
    rows: Vec<u64>,
}

impl Reach {
    fn new(size: usize) -> Self {
        let words = size.div_ceil(64).max(1);
        Self {
            words,
            rows: vec![0; size * words],
        }
    }

    fn get(&self, from: usize, to: usize) -> bool {
        self.rows
            .get(from * self.words + to / 64)
            .is_some_and(|word| word & (1u64 << (to % 64)) != 0)
    }

    /// Add the edge `from → to` and keep the relation transitively closed: everyone who
    /// reaches `from` (and `from` itself) now reaches `to` and all `to` reaches.
    fn add(&mut self, from: usize, to: usize) {
        if self.get(from, to) {
            return;
        }
        let words = self.words;
        let mut gained: Vec<u64> = self
            .rows
            .get(to * words..(to + 1) * words)
            .map(<[u64]>::to_vec)
            .unwrap_or_default();
        if let Some(word) = gained.get_mut(to / 64) {
            *word |= 1u64 << (to % 64);
        }
        let size = self.rows.len() / words;
        for source in 0..size {
            if (source == from || self.get(source, from))
                && let Some(row) = self.rows.get_mut(source * words..(source + 1) * words)
            {
                for (word, extra) in row.iter_mut().zip(&gained) {
                    *word |= extra;
                }
            }
        }
    }
}

/// Run ranked pairs on `pairwise` under `order`.
#[must_use]
pub fn ranked_pairs(pairwise: &Pairwise, order: StrengthOrder) -> RankedPairs {
    let size = pairwise.size();
    let mut majorities: Vec<(u128, usize, usize, Defeat)> = Vec::new();
    for winner in 0..size {
        for loser in 0..size {
            if let Some(defeat) = pairwise.defeat(winner, loser) {
                majorities.push((order.key(defeat), winner, loser, defeat));
            }
        }
    }
    // Strongest first; within equal strength the order only affects the audit's listing,
    // and follows the full key (more support first under margins), then input order.
    majorities.sort_by(
        |(a_key, a_winner, a_loser, _), (b_key, b_winner, b_loser, _)| {
            b_key
                .cmp(a_key)
                .then(a_winner.cmp(b_winner))
                .then(a_loser.cmp(b_loser))
        },
    );

    let mut reach = Reach::new(size);
    let mut locks = Vec::with_capacity(majorities.len());
    let mut start = 0;
    while start < majorities.len() {
        let strength = majorities
            .get(start)
            .map_or(0, |(key, ..)| order.decisive(*key));
        let end = majorities
            .iter()
            .skip(start)
            .position(|(key, ..)| order.decisive(*key) != strength)
            .map_or(majorities.len(), |offset| start + offset);
        let group = majorities.get(start..end).unwrap_or(&[]);
        // A member whose loser already reaches its winner through stronger locked
        // majorities can never be locked, whatever the order of its equals: it is set
        // aside first, so that it cannot make its equals look contradictory.
        let open: Vec<bool> = group
            .iter()
            .map(|&(_, winner, loser, _)| !reach.get(loser, winner))
            .collect();
        // The locked majorities plus the group's open members: an open member lies on a
        // cycle when its loser reaches its winner there. A group of one needs no copy.
        let with_group = if open.iter().filter(|&&open| open).count() > 1 {
            let mut with_group = reach.clone();
            for (&(_, winner, loser, _), _) in group.iter().zip(&open).filter(|(_, open)| **open) {
                with_group.add(winner, loser);
            }
            std::borrow::Cow::Owned(with_group)
        } else {
            std::borrow::Cow::Borrowed(&reach)
        };
        let decided: Vec<Lock> = group
            .iter()
            .zip(&open)
            .map(|(&(_, winner, loser, defeat), &open)| Lock {
                winner,
                loser,
                defeat,
                locked: open && !with_group.get(loser, winner),
            })
            .collect();
        for lock in decided.iter().filter(|lock| lock.locked) {
            reach.add(lock.winner, lock.loser);
        }
        locks.extend(decided);
        start = end;
    }

    RankedPairs {
        locks,
        ranking: ranking(&reach, size),
    }
}

/// Tiers from the locked majorities: the candidates no remaining candidate reaches,
/// repeatedly. The locks are acyclic, so every step finds someone.
fn ranking(reach: &Reach, size: usize) -> Vec<Vec<usize>> {
    super::peel_unbeaten(size, |winner, loser| reach.get(winner, loser))
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
    fn a_simple_cycle_skips_the_weakest_majority() {
        // A > B (7:3), then B > C and C > A, equally strong (6:4).
        let result = ranked_pairs(
            &pairwise(&[vec![0, 7, 4], vec![3, 0, 6], vec![6, 4, 0]]),
            StrengthOrder(Strength::Winning),
        );
        let locked: Vec<(usize, usize, bool)> = result
            .locks
            .iter()
            .map(|lock| (lock.winner, lock.loser, lock.locked))
            .collect();
        // Neither B > C nor C > A contradicts A > B on its own, but together with it
        // they form the cycle A > B > C > A: both lie on it, so both are skipped.
        assert_eq!(locked, vec![(0, 1, true), (1, 2, false), (2, 0, false)]);
        assert_eq!(result.ranking, vec![vec![0, 2], vec![1]]);
    }

    #[test]
    fn equal_majorities_that_do_not_conflict_are_all_locked() {
        let result = ranked_pairs(
            &pairwise(&[vec![0, 6, 6], vec![4, 0, 5], vec![4, 5, 0]]),
            StrengthOrder(Strength::Margin),
        );
        assert!(result.locks.iter().all(|lock| lock.locked));
        assert_eq!(result.ranking, vec![vec![0], vec![1, 2]]);
    }

    #[test]
    fn a_candidate_sharing_the_top_through_a_tie_can_lose_it_after_gaining_support() {
        // Found by the monotonicity property: with margins, four majorities of margin 3
        // contradict one another (each lies on a cycle with C2 > C0), so all are skipped
        // and C1, C2, C3 share the top. One more ballot "C1 first" strengthens C1 > C3
        // and C1 > C2 and weakens C0 > C1; the groups split differently and C2 wins
        // alone. Tideman's method with distinct strengths is monotone; this is the price
        // of judging equal majorities together instead of drawing an order for them.
        let before = ranked_pairs(
            &pairwise(&[
                vec![0, 3, 0, 3],
                vec![0, 0, 3, 3],
                vec![4, 3, 0, 3],
                vec![0, 0, 6, 0],
            ]),
            StrengthOrder(Strength::Margin),
        );
        assert_eq!(before.ranking, vec![vec![1, 2, 3], vec![0]]);
        let after = ranked_pairs(
            &pairwise(&[
                vec![0, 3, 0, 3],
                vec![1, 0, 4, 4],
                vec![4, 3, 0, 3],
                vec![0, 0, 6, 0],
            ]),
            StrengthOrder(Strength::Margin),
        );
        assert_eq!(after.ranking, vec![vec![2], vec![0], vec![1], vec![3]]);
    }

    fn decisions(result: &RankedPairs) -> Vec<(usize, usize, bool)> {
        result
            .locks
            .iter()
            .map(|lock| (lock.winner, lock.loser, lock.locked))
            .collect()
    }

    #[test]
    fn an_equal_majority_contradicting_the_locks_is_set_aside_before_its_group_is_judged() {
        // C0..C3 = C, E, F, H of fixtures/ballots/condorcet/ranked-pairs-blocked-tie.toml.
        // E>H 55, then C>F and H>F 54, then F>E and H>C 53, then C>E 46. F>E contradicts
        // the locked E>H>F on its own; left in its group it put H>C on the cycle
        // C>F>E>H>C, H>C was skipped, and the weak C>E made C the winner.
        let result = ranked_pairs(
            &pairwise(&[
                vec![0, 46, 54, 37],
                vec![44, 0, 37, 55],
                vec![36, 53, 0, 36],
                vec![53, 35, 54, 0],
            ]),
            StrengthOrder(Strength::Winning),
        );
        assert_eq!(
            decisions(&result),
            vec![
                (1, 3, true),
                (0, 2, true),
                (3, 2, true),
                (2, 1, false),
                (3, 0, true),
                (0, 1, false),
            ]
        );
        assert_eq!(result.ranking, vec![vec![1], vec![3], vec![0], vec![2]]);
    }

    #[test]
    fn a_skipped_cycle_can_leave_a_candidate_every_order_beats() {
        // Found by the every-order property. C1>C2 and C3>C2 (2:1) are locked. The four
        // 1:0 majorities C0>C1, C0>C3, C1>C3, C2>C0 each lie on a cycle with the locks
        // and the others (C0>C1>C2>C0, C0>C3>C2>C0, C1>C3>C2>C0>C1), so all four are
        // skipped and C0, C1, C3 share the top. Taken one at a time in any order, C1>C3
        // or both C0>C3 and C1>C3 are locked, so C3 never wins; the orders elect C0 or
        // C1. Judging equal majorities together turns that choice into a tie, and C3
        // shares it.
        let result = ranked_pairs(
            &pairwise(&[
                vec![0, 1, 0, 1],
                vec![0, 0, 2, 1],
                vec![1, 1, 0, 1],
                vec![0, 0, 2, 0],
            ]),
            StrengthOrder(Strength::Winning),
        );
        assert!(
            result
                .locks
                .iter()
                .all(|lock| lock.locked == (lock.defeat.support == 2))
        );
        assert_eq!(result.ranking, vec![vec![0, 1, 3], vec![2]]);
    }

    #[test]
    fn reach_stays_transitive() {
        let mut reach = Reach::new(70);
        reach.add(0, 65);
        reach.add(65, 3);
        reach.add(5, 0);
        assert!(reach.get(5, 3));
        assert!(reach.get(0, 3));
        assert!(!reach.get(3, 5));
    }
}
