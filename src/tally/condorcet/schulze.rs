//! Schulze (beatpath): strongest paths and the two ways of reading a ranking off them.
//!
//! A path from `a` to `b` is a chain of defeats `a → x → ... → b`; its strength is its
//! weakest link, and `p[a][b]` is the strength of the strongest such path (a widest-path
//! problem, solved Floyd–Warshall style in O(n³) over the standing candidates). `a`
//! *beats* `b` when `p[a][b]` is stronger than `p[b][a]` under the chosen strength; this
//! relation is transitive (Schulze 2011, §4), so some candidate is always unbeaten.
//!
//! The ranking, `--ranking`:
//! - `civs`: the candidates no remaining candidate beats form the next tier; remove
//!   them and repeat (what CIVS reports, used by OpenStack and Kubernetes until 2020);
//! - `elekto`: a candidate's place is 1 + the number of candidates that beat it,
//!   computed once; equal places share a tier (what Elekto reports).
//!
//! The two agree on the winners of most elections but can order lower places
//! differently: a candidate beaten by three mutually tied candidates is second for CIVS
//! and fourth for Elekto.

use super::pairwise::{NO_DEFEAT, Pairwise, StrengthOrder};
use crate::tally::method::RankingRule;

/// The strongest-path strengths, as [`StrengthOrder`] keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrongestPaths {
    size: usize,
    order: StrengthOrder,
    /// `keys[a * size + b]`: the strongest path from `a` to `b`; [`NO_DEFEAT`] on the
    /// diagonal and where there is no path.
    keys: Vec<u128>,
}

impl StrongestPaths {
    /// Compute the strongest paths of `pairwise` under `order`.
    #[must_use]
    pub fn compute(pairwise: &Pairwise, order: StrengthOrder) -> Self {
        let size = pairwise.size();
        let mut keys = vec![NO_DEFEAT; size * size];
        for a in 0..size {
            for b in 0..size {
                if a != b
                    && let Some(cell) = keys.get_mut(a * size + b)
                {
                    *cell = order.key_of(pairwise.defeat(a, b));
                }
            }
        }
        // Widest paths: through each intermediate `via` in turn, a path a → via → b is
        // as strong as its weaker half; keep it if it beats the best path so far. Keys
        // order defeats totally, so max and min pick one defeat each time and the
        // result does not depend on anything but the matrix.
        for via in 0..size {
            let via_row: Vec<u128> = keys
                .get(via * size..(via + 1) * size)
                .map(<[u128]>::to_vec)
                .unwrap_or_default();
            for a in 0..size {
                if a == via {
                    continue;
                }
                let to_via = keys.get(a * size + via).copied().unwrap_or(NO_DEFEAT);
                if to_via == NO_DEFEAT {
                    continue;
                }
                if let Some(row) = keys.get_mut(a * size..(a + 1) * size) {
                    for (b, (cell, &from_via)) in row.iter_mut().zip(&via_row).enumerate() {
                        if b != a && b != via {
                            *cell = (*cell).max(to_via.min(from_via));
                        }
                    }
                }
            }
        }
        Self { size, order, keys }
    }

    /// The key of the strongest path from `a` to `b`.
    #[must_use]
    pub fn key(&self, a: usize, b: usize) -> u128 {
        if a >= self.size || b >= self.size {
            return NO_DEFEAT;
        }
        self.keys
            .get(a * self.size + b)
            .copied()
            .unwrap_or(NO_DEFEAT)
    }

    /// Whether `a` beats `b`: its strongest path to `b` is stronger than `b`'s to it.
    #[must_use]
    pub fn beats(&self, a: usize, b: usize) -> bool {
        self.order.decisive(self.key(a, b)) > self.order.decisive(self.key(b, a))
    }

    /// The ranking (tiers of local indices, best first) by `rule`.
    #[must_use]
    pub fn ranking(&self, rule: RankingRule) -> Vec<Vec<usize>> {
        match rule {
            RankingRule::Civs => self.civs_ranking(),
            RankingRule::Elekto => self.elekto_ranking(),
        }
    }

    fn civs_ranking(&self) -> Vec<Vec<usize>> {
        super::peel_unbeaten(self.size, |winner, loser| self.beats(winner, loser))
    }

    fn elekto_ranking(&self) -> Vec<Vec<usize>> {
        let mut by_place: Vec<(usize, usize)> = (0..self.size)
            .map(|candidate| {
                let beaten_by = (0..self.size)
                    .filter(|&other| other != candidate && self.beats(other, candidate))
                    .count();
                (beaten_by, candidate)
            })
            .collect();
        by_place.sort_unstable();
        let mut ranking: Vec<Vec<usize>> = Vec::new();
        let mut previous = None;
        for (place, candidate) in by_place {
            match ranking.last_mut() {
                Some(tier) if previous == Some(place) => tier.push(candidate),
                _ => ranking.push(vec![candidate]),
            }
            previous = Some(place);
        }
        ranking
    }
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

    /// Schulze's own example (Wikipedia "Schulze method"): d[*,*] for A..E.
    fn wikipedia() -> Pairwise {
        pairwise(&[
            vec![0, 20, 26, 30, 22],
            vec![25, 0, 16, 33, 18],
            vec![19, 29, 0, 17, 24],
            vec![15, 12, 28, 0, 14],
            vec![23, 27, 21, 31, 0],
        ])
    }

    #[test]
    fn the_published_strongest_paths_and_ranking() {
        let paths = StrongestPaths::compute(&wikipedia(), StrengthOrder(Strength::Winning));
        let support = |a, b| {
            StrengthOrder(Strength::Winning)
                .defeat(paths.key(a, b))
                .map_or(0, |defeat| defeat.support)
        };
        // The published p[*,*] table.
        let expected = [
            [0, 28, 28, 30, 24],
            [25, 0, 28, 33, 24],
            [25, 29, 0, 29, 24],
            [25, 28, 28, 0, 24],
            [25, 28, 28, 31, 0],
        ];
        for (a, row) in expected.iter().enumerate() {
            for (b, &strength) in row.iter().enumerate() {
                assert_eq!(support(a, b), strength, "p[{a}][{b}]");
            }
        }
        let ranking = paths.ranking(RankingRule::Civs);
        assert_eq!(ranking, vec![vec![4], vec![0], vec![2], vec![1], vec![3]]);
        assert_eq!(paths.ranking(RankingRule::Elekto), ranking);
    }

    #[test]
    fn civs_and_elekto_differ_below_the_top() {
        // A, B, C tie with each other and each defeats X; Y defeats Z, Z defeats W.
        // CIVS: {A, B, C, Y}, {X, Z}, {W}. Elekto: X is beaten by three (place 4),
        // W by two (place 3).
        let (a, b, c, x, y, z, w) = (0, 1, 2, 3, 4, 5, 6);
        let mut counts = vec![vec![0u64; 7]; 7];
        for winner in [a, b, c] {
            counts[winner][x] = 2;
        }
        counts[y][z] = 2;
        counts[z][w] = 2;
        let paths = StrongestPaths::compute(&pairwise(&counts), StrengthOrder(Strength::Winning));
        assert_eq!(
            paths.ranking(RankingRule::Civs),
            vec![vec![a, b, c, y], vec![x, z], vec![w]]
        );
        assert_eq!(
            paths.ranking(RankingRule::Elekto),
            vec![vec![a, b, c, y], vec![z], vec![w], vec![x]]
        );
    }

    #[test]
    fn no_defeats_means_one_shared_tier() {
        let paths = StrongestPaths::compute(&pairwise(&[vec![0, 1], vec![1, 0]]), {
            StrengthOrder(Strength::Margin)
        });
        assert_eq!(paths.ranking(RankingRule::Civs), vec![vec![0, 1]]);
        assert_eq!(paths.ranking(RankingRule::Elekto), vec![vec![0, 1]]);
        let empty = StrongestPaths::compute(&pairwise(&[]), StrengthOrder(Strength::Margin));
        assert!(empty.ranking(RankingRule::Civs).is_empty());
    }
}
