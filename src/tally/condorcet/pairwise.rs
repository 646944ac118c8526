//! The pairwise matrix every Condorcet method starts from, and how strong a majority is.
//!
//! This file owns the two definitions the whole family shares, so that they are written
//! once and read the same way by every method:
//!
//! - **Who prefers whom.** `d[a][b]` is the weight of ballots that rank `a` in a better
//!   tier than `b`, read from [`Ranking::write_positions`] with the count's
//!   [`Unranked`] rule. Candidates in one tier are preferred neither way; with
//!   `Unranked::Ignore` an unranked candidate is compared with no one, with
//!   `Unranked::Last` it sits in a tier below every ranked one.
//! - **What a majority is, and how strong.** `a` defeats `b` when `d[a][b] > d[b][a]`;
//!   equal counts are no defeat either way. A defeat's strength follows `--strength`:
//!   winning votes (support, then fewer votes against) or margins (support minus
//!   opposition). [`StrengthOrder`] turns a defeat into one `u128` key so that methods
//!   compare strengths with plain integer comparisons, never floating point.
//!
//! The matrix covers the standing candidates only, in input order; methods work with
//! their positions in that list ("local" indices) and translate back to
//! [`CandidateIndex`] at the end.
//!
//! [`Ranking::write_positions`]: crate::tally::ballot::Ranking::write_positions

use crate::tally::ballot::{CandidateIndex, Candidates, RankedBallots, Unranked};
use crate::tally::method::Strength;
use crate::tally::result::PairwiseMatrix;

/// The pairwise preferences among the standing candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairwise {
    /// The standing candidates, input order; local index `i` is `standing[i]`.
    standing: Vec<CandidateIndex>,
    /// `counts[a * size + b]` = weight of ballots ranking `a` above `b`.
    counts: Vec<u64>,
}

/// Position given to a candidate a ballot does not compare with anyone
/// (`Unranked::Ignore`): with `0`, `mine < theirs` is false both ways, so the
/// branch-free accumulation below counts nothing for or against it.
const COMPARED_WITH_NO_ONE: u16 = 0;

impl Pairwise {
    /// Count the ballots. Candidates that are not standing are left out (the ballots a
    /// method receives have them struck already, but `Unranked::Last` would otherwise
    /// place a withdrawn candidate below the ranked ones).
    ///
    /// A ballot's preferences are those of [`Ranking::write_positions`]: `a` over `b`
    /// when `a`'s tier number is smaller, the unranked per `unranked`.
    /// [`Pairwise::count_by_positions`] does exactly that, pair by pair; this function
    /// counts the same thing faster (the hot loop of every Condorcet count), and the
    /// tests check that the two agree.
    ///
    /// [`Ranking::write_positions`]: crate::tally::ballot::Ranking::write_positions
    #[must_use]
    pub fn count(candidates: &Candidates, ballots: &RankedBallots, unranked: Unranked) -> Self {
        if candidates.standing().len() < usize::from(u16::MAX - 1) {
            Self::count_fast(candidates, ballots, unranked)
        } else {
            Self::count_by_positions(candidates, ballots, unranked)
        }
    }

    /// The definition, pair by pair: each ballot's positions from
    /// [`Ranking::write_positions`], then `d[a][b] += weight` for every pair the ballot
    /// orders. O(candidates²) per ballot.
    ///
    /// [`Ranking::write_positions`]: crate::tally::ballot::Ranking::write_positions
    #[must_use]
    pub fn count_by_positions(
        candidates: &Candidates,
        ballots: &RankedBallots,
        unranked: Unranked,
    ) -> Self {
        let standing = candidates.standing();
        let size = standing.len();
        let mut counts = vec![0u64; size * size];
        let mut positions: Vec<Option<u32>> = vec![None; candidates.len()];
        let mut mine: Vec<Option<u32>> = vec![None; size];
        for ballot in ballots.iter() {
            ballot.ranking.write_positions(unranked, &mut positions);
            for (slot, candidate) in mine.iter_mut().zip(&standing) {
                *slot = positions.get(candidate.index()).copied().flatten();
            }
            for (a, row) in counts.chunks_mut(size.max(1)).enumerate() {
                for (b, cell) in row.iter_mut().enumerate() {
                    if let (Some(Some(x)), Some(Some(y))) = (mine.get(a), mine.get(b))
                        && x < y
                    {
                        *cell += ballot.weight;
                    }
                }
            }
        }
        Self { standing, counts }
    }

    /// The fast count: one walk over each ballot's tiers writes 16-bit ranks, then each
    /// ranked candidate's row gains the ballot's weight against every worse rank in a
    /// branch-free loop over whole vectors of 16-bit cells, added into the 64-bit matrix
    /// before they could overflow (heavier ballots go straight to 64 bits).
    fn count_fast(candidates: &Candidates, ballots: &RankedBallots, unranked: Unranked) -> Self {
        let standing = candidates.standing();
        let size = standing.len();
        let mut local = vec![usize::MAX; candidates.len()];
        for (position, candidate) in standing.iter().enumerate() {
            if let Some(slot) = local.get_mut(candidate.index()) {
                *slot = position;
            }
        }
        // Ranks are tier numbers shifted by one (at most `size`, below u16::MAX), so that
        // 0 can mean "compared with no one" (`Unranked::Ignore`). `Unranked::Last` gives
        // unranked candidates u16::MAX: below every ranked one and equal among
        // themselves, which is all "last" means.
        let unranked_rank = match unranked {
            Unranked::Ignore => COMPARED_WITH_NO_ONE,
            Unranked::Last => u16::MAX,
        };
        // Rows of the narrow matrix and the ranks are padded to whole vectors; padding
        // ranks are 0, which no rank is below, so padding cells stay 0.
        let stride = size.div_ceil(LANES) * LANES;
        let mut ranks: Vec<u16> = vec![COMPARED_WITH_NO_ONE; stride];
        if let Some(real) = ranks.get_mut(..size) {
            real.fill(unranked_rank);
        }
        let mut counts = vec![0u64; size * size];
        let mut narrow = vec![0u16; size * stride];
        // The weight counted into `narrow` since its last flush: no cell exceeds it.
        let mut narrow_total = 0u16;
        let mut ranked: Vec<(usize, u16)> = Vec::with_capacity(size);
        for ballot in ballots.iter() {
            // A blank ballot prefers no one to anyone under either rule.
            if ballot.ranking.is_empty() {
                continue;
            }
            ranked.clear();
            for (tier, rank) in ballot.ranking.tiers().zip(1u16..) {
                for candidate in tier {
                    let position = local.get(candidate.index()).copied().unwrap_or(usize::MAX);
                    if position < size
                        && let Some(slot) = ranks.get_mut(position)
                    {
                        *slot = rank;
                        ranked.push((position, rank));
                    }
                }
            }
            let light = u16::try_from(ballot.weight).ok().filter(|&weight| {
                if narrow_total.checked_add(weight).is_none() {
                    flush(&mut narrow, stride, size, &mut counts);
                    narrow_total = 0;
                }
                narrow_total.checked_add(weight).is_some()
            });
            if let Some(weight) = light {
                narrow_total += weight;
                for &(position, mine) in &ranked {
                    let start = position * stride;
                    if let Some(row) = narrow.get_mut(start..start + stride) {
                        // Rows are whole vectors wide: the scalar tail never runs.
                        for (cell, &theirs) in row.iter_mut().zip(&ranks) {
                            *cell += weight & 0u16.wrapping_sub(u16::from(mine < theirs));
                        }
                    }
                }
            } else {
                let weight = ballot.weight;
                for &(position, mine) in &ranked {
                    let start = position * size;
                    if let Some(row) = counts.get_mut(start..start + size) {
                        for (cell, &theirs) in row.iter_mut().zip(&ranks) {
                            *cell += weight & 0u64.wrapping_sub(u64::from(mine < theirs));
                        }
                    }
                }
            }
            // Back to "unranked" for the next ballot, touching only what was set.
            for &(position, _) in &ranked {
                if let Some(slot) = ranks.get_mut(position) {
                    *slot = unranked_rank;
                }
            }
        }
        flush(&mut narrow, stride, size, &mut counts);
        Self { standing, counts }
    }

    /// A matrix from given counts (`counts[a][b]` over `standing`), for tests and tools.
    /// Rows shorter or longer than the candidates are cut or padded with zeros.
    #[must_use]
    pub fn from_counts(standing: Vec<CandidateIndex>, counts: &[Vec<u64>]) -> Self {
        let size = standing.len();
        let mut flat = vec![0u64; size * size];
        for (a, row) in counts.iter().take(size).enumerate() {
            for (b, &count) in row.iter().take(size).enumerate() {
                if a != b
                    && let Some(cell) = flat.get_mut(a * size + b)
                {
                    *cell = count;
                }
            }
        }
        Self {
            standing,
            counts: flat,
        }
    }

    /// Number of standing candidates.
    #[must_use]
    pub fn size(&self) -> usize {
        self.standing.len()
    }

    /// The standing candidates, in input order.
    #[must_use]
    pub fn standing(&self) -> &[CandidateIndex] {
        &self.standing
    }

    /// The candidate at a local index (`None` past the end).
    #[must_use]
    pub fn candidate(&self, local: usize) -> Option<CandidateIndex> {
        self.standing.get(local).copied()
    }

    /// The name of the candidate at a local index (`""` past the end).
    #[must_use]
    pub fn name<'a>(&self, candidates: &'a Candidates, local: usize) -> &'a str {
        self.candidate(local)
            .map_or("", |candidate| candidates.name(candidate))
    }

    /// Tiers of local indices as tiers of candidates.
    #[must_use]
    pub fn to_candidates(&self, ranking: &[Vec<usize>]) -> Vec<Vec<CandidateIndex>> {
        ranking
            .iter()
            .map(|tier| tier.iter().filter_map(|&c| self.candidate(c)).collect())
            .collect()
    }

    /// `d[a][b]`: the weight of ballots ranking `a` above `b` (0 out of range).
    #[must_use]
    pub fn prefer(&self, a: usize, b: usize) -> u64 {
        if a >= self.size() || b >= self.size() {
            return 0;
        }
        self.counts.get(a * self.size() + b).copied().unwrap_or(0)
    }

    /// `a`'s defeat of `b`, if more ballots prefer `a` to `b` than `b` to `a`.
    #[must_use]
    pub fn defeat(&self, a: usize, b: usize) -> Option<Defeat> {
        let (support, opposition) = (self.prefer(a, b), self.prefer(b, a));
        (support > opposition).then_some(Defeat {
            support,
            opposition,
        })
    }

    /// The candidate among `among` (local indices) that defeats every other one of them,
    /// if there is one. A single candidate is trivially the winner among itself.
    #[must_use]
    pub fn condorcet_winner(&self, among: &[usize]) -> Option<usize> {
        among.iter().copied().find(|&a| {
            among
                .iter()
                .all(|&b| a == b || self.prefer(a, b) > self.prefer(b, a))
        })
    }

    /// The matrix for the result, with names.
    #[must_use]
    pub fn matrix(&self, candidates: &Candidates) -> PairwiseMatrix {
        PairwiseMatrix {
            candidates: names(&self.standing, candidates),
            cells: (0..self.size())
                .map(|a| (0..self.size()).map(|b| self.prefer(a, b)).collect())
                .collect(),
        }
    }
}

/// Cells per row chunk of the narrow accumulation: two SSE vectors, one AVX2 vector.
const LANES: usize = 16;

/// Add the narrow counts (rows `stride` wide) into the matrix (rows `size` wide) and
/// clear them.
fn flush(narrow: &mut [u16], stride: usize, size: usize, counts: &mut [u64]) {
    if size == 0 || stride == 0 {
        return;
    }
    for (row, parts) in counts.chunks_mut(size).zip(narrow.chunks_mut(stride)) {
        for (count, part) in row.iter_mut().zip(parts.iter_mut()) {
            *count += u64::from(std::mem::take(part));
        }
    }
}

/// The names of candidates, in the given order.
pub(super) fn names(list: &[CandidateIndex], candidates: &Candidates) -> Vec<String> {
    list.iter()
        .map(|candidate| candidates.name(*candidate).to_owned())
        .collect()
}

/// A defeat (or a path's weakest link): the ballots for it and against it. Always
/// `support > opposition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defeat {
    pub support: u64,
    pub opposition: u64,
}

impl Defeat {
    /// Support minus opposition.
    #[must_use]
    pub fn margin(self) -> u64 {
        self.support.saturating_sub(self.opposition)
    }
}

/// How defeats are compared under a [`Strength`], as `u128` keys.
///
/// A key orders defeats totally (two defeats with different support or opposition never
/// share a key), which makes every maximum and minimum well defined and the audit
/// deterministic. Decisions compare [`StrengthOrder::decisive`] parts only, which is
/// exactly the documented strength:
///
/// - winning votes: key = `support << 64 | (u64::MAX - opposition)`; the whole key
///   decides (more support, then less opposition);
/// - margins: key = `margin << 64 | support`; only the margin decides, support just
///   picks a representative among equal margins.
///
/// Key 0 means "no defeat" (no path); every real defeat has a non-zero upper half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrengthOrder(pub Strength);

/// The key of "no defeat": weaker than every defeat.
pub const NO_DEFEAT: u128 = 0;

impl StrengthOrder {
    /// The defeat's key.
    #[must_use]
    pub fn key(self, defeat: Defeat) -> u128 {
        match self.0 {
            Strength::Winning => {
                (u128::from(defeat.support) << 64) | u128::from(u64::MAX - defeat.opposition)
            }
            Strength::Margin => (u128::from(defeat.margin()) << 64) | u128::from(defeat.support),
        }
    }

    /// The key of an optional defeat ([`NO_DEFEAT`] for none).
    #[must_use]
    pub fn key_of(self, defeat: Option<Defeat>) -> u128 {
        defeat.map_or(NO_DEFEAT, |defeat| self.key(defeat))
    }

    /// The part of a key that decides: two defeats are equally strong when their
    /// decisive parts are equal.
    #[must_use]
    pub fn decisive(self, key: u128) -> u128 {
        match self.0 {
            Strength::Winning => key,
            Strength::Margin => key >> 64,
        }
    }

    /// The defeat a key stands for, `None` for [`NO_DEFEAT`].
    #[must_use]
    pub fn defeat(self, key: u128) -> Option<Defeat> {
        if key == NO_DEFEAT {
            return None;
        }
        let high = u64::try_from(key >> 64).unwrap_or(u64::MAX);
        let low = u64::try_from(key & u128::from(u64::MAX)).unwrap_or(0);
        Some(match self.0 {
            Strength::Winning => Defeat {
                support: high,
                opposition: u64::MAX - low,
            },
            Strength::Margin => Defeat {
                support: low,
                opposition: low.saturating_sub(high),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::ballot::{BallotOrigin, RankingBuilder};

    fn ballots(count: usize, rows: &[(u64, &[Option<u32>])]) -> RankedBallots {
        let mut ballots = RankedBallots::new();
        let mut builder = RankingBuilder::new(count);
        for (line, (weight, ranks)) in (1u32..).zip(rows) {
            builder.set_from_ranks(ranks);
            ballots
                .push(*weight, &builder, None, BallotOrigin { line })
                .unwrap();
        }
        ballots
    }

    fn rows(pairwise: &Pairwise) -> Vec<Vec<u64>> {
        (0..pairwise.size())
            .map(|a| {
                (0..pairwise.size())
                    .map(|b| pairwise.prefer(a, b))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn ties_on_a_ballot_count_neither_way_and_unranked_follows_the_rule() {
        let candidates = Candidates::from_names(&["A", "B", "C", "D"]).unwrap();
        let ballots = ballots(
            4,
            &[
                (2, &[Some(1), Some(1), Some(2), None]),
                (1, &[None, None, None, None]),
                (3, &[None, Some(1), None, None]),
            ],
        );
        let ignore = Pairwise::count(&candidates, &ballots, Unranked::Ignore);
        assert_eq!(
            rows(&ignore),
            vec![
                vec![0, 0, 2, 0],
                vec![0, 0, 2, 0],
                vec![0, 0, 0, 0],
                vec![0, 0, 0, 0]
            ]
        );
        let last = Pairwise::count(&candidates, &ballots, Unranked::Last);
        assert_eq!(
            rows(&last),
            vec![
                vec![0, 0, 2, 2],
                vec![3, 0, 5, 5],
                vec![0, 0, 0, 2],
                vec![0, 0, 0, 0]
            ]
        );
    }

    #[test]
    fn the_fast_count_agrees_with_the_definition_across_flushes_and_heavy_ballots() {
        // Weights up to 40,000 overflow the 16-bit cells every few ballots, and some
        // ballots weigh more than 16 bits hold: both paths and every flush are exercised.
        let count = 9;
        let names: Vec<String> = (0..count).map(|i| format!("c{i}")).collect();
        let mut list = Candidates::from_names(&names).unwrap().into_list();
        list[4].withdrawn = true;
        let candidates = Candidates::new(list).unwrap();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        let mut ballots = RankedBallots::new();
        let mut builder = RankingBuilder::new(count);
        for line in 1..=3000u32 {
            let ranks: Vec<Option<u32>> = (0..count)
                .map(|c| (c != 4 && next(5) != 0).then(|| u32::try_from(next(4) + 1).unwrap_or(1)))
                .collect();
            builder.set_from_ranks(&ranks);
            let weight = if next(50) == 0 {
                70_000 + next(10)
            } else {
                1 + next(40_000)
            };
            ballots
                .push(weight, &builder, None, BallotOrigin { line })
                .unwrap();
        }
        for unranked in [Unranked::Ignore, Unranked::Last] {
            let fast = Pairwise::count(&candidates, &ballots, unranked);
            let definition = Pairwise::count_by_positions(&candidates, &ballots, unranked);
            assert_eq!(fast, definition, "{unranked:?}");
            assert_eq!(fast.size(), count - 1);
        }
    }

    #[test]
    fn withdrawn_candidates_are_left_out_even_when_unranked_is_last() {
        let mut list = Candidates::from_names(&["A", "B", "C"])
            .unwrap()
            .into_list();
        list[1].withdrawn = true;
        let candidates = Candidates::new(list).unwrap();
        let ballots = ballots(3, &[(1, &[Some(1), None, None])]);
        let last = Pairwise::count(&candidates, &ballots, Unranked::Last);
        assert_eq!(last.size(), 2);
        assert_eq!(rows(&last), vec![vec![0, 1], vec![0, 0]]);
    }

    #[test]
    fn keys_order_defeats_as_documented() {
        let winning = StrengthOrder(Strength::Winning);
        let strong = Defeat {
            support: 10,
            opposition: 2,
        };
        let same_support_more_against = Defeat {
            support: 10,
            opposition: 5,
        };
        let less_support = Defeat {
            support: 9,
            opposition: 0,
        };
        assert!(winning.key(strong) > winning.key(same_support_more_against));
        assert!(winning.key(same_support_more_against) > winning.key(less_support));
        assert!(winning.key(less_support) > NO_DEFEAT);

        let margin = StrengthOrder(Strength::Margin);
        assert!(margin.key(less_support) > margin.key(strong));
        let equal_margin = Defeat {
            support: 20,
            opposition: 12,
        };
        assert_eq!(
            margin.decisive(margin.key(strong)),
            margin.decisive(margin.key(equal_margin))
        );
        for order in [winning, margin] {
            for defeat in [
                strong,
                same_support_more_against,
                less_support,
                equal_margin,
            ] {
                assert_eq!(order.defeat(order.key(defeat)), Some(defeat));
            }
            assert_eq!(order.defeat(NO_DEFEAT), None);
        }
    }

    #[test]
    fn a_condorcet_winner_defeats_everyone_else() {
        let pairwise = Pairwise::from_counts(
            Candidates::from_names(&["A", "B", "C"]).unwrap().standing(),
            &[vec![0, 5, 5], vec![4, 0, 5], vec![4, 4, 0]],
        );
        assert_eq!(pairwise.condorcet_winner(&[0, 1, 2]), Some(0));
        assert_eq!(pairwise.condorcet_winner(&[1, 2]), Some(1));
        assert_eq!(pairwise.condorcet_winner(&[2]), Some(2));
        assert_eq!(pairwise.condorcet_winner(&[]), None);
        let tied = Pairwise::from_counts(
            Candidates::from_names(&["A", "B"]).unwrap().standing(),
            &[vec![0, 3], vec![3, 0]],
        );
        assert_eq!(tied.condorcet_winner(&[0, 1]), None);
    }
}
