//! From a ranking to seats: the top N, the affiliation cap, and the tie at the seat
//! boundary.
//!
//! Every method that ranks candidates and gives N seats to the top N (the Condorcet
//! methods, plurality, approval, cumulative) fills its seats here, so the rules are the
//! same for all of them:
//!
//! - Tiers are taken best first. A candidate whose affiliation already holds
//!   `--max-per-affiliation` seats is skipped (recorded with the seat they would have
//!   taken) and the next candidate is considered.
//! - When every remaining candidate of a tier fits (enough seats, and no affiliation
//!   would pass its cap), the whole tier is elected, listed by name.
//! - Otherwise the tier is a tie that decides seats: [`TieBreaker::settle`] orders the
//!   tier by the seeded draw and candidates are elected in that order (still skipping
//!   capped ones), or, without a seed, the tie is recorded as unresolved and no further
//!   seat is filled.

use std::collections::BTreeMap;

use super::ballot::{CandidateIndex, Candidates};
use super::method::MethodOutcome;
use super::result::{Audit, VoteCounts};
use super::tie::TieBreaker;

/// A candidate passed over by the affiliation cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skipped {
    pub candidate: CandidateIndex,
    /// The seat (1-based) they would have taken.
    pub seat: u32,
}

/// Who took the seats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeatFill {
    /// In seat order; shorter than the seats when an unresolved tie stopped the filling
    /// or the cap left too few candidates.
    pub winners: Vec<CandidateIndex>,
    pub skipped: Vec<Skipped>,
}

/// Fill `seats` seats from `ranking` (tiers, best first); see the module doc.
pub fn fill_seats(
    ranking: &[Vec<CandidateIndex>],
    seats: u32,
    candidates: &Candidates,
    max_per_affiliation: Option<u32>,
    ties: &mut TieBreaker<'_>,
) -> SeatFill {
    let mut fill = SeatFill::default();
    let mut held: BTreeMap<&str, u32> = BTreeMap::new();
    let affiliation = |candidate: CandidateIndex| {
        candidates
            .get(candidate)
            .and_then(|c| c.affiliation.as_deref())
    };
    let is_capped = |held: &BTreeMap<&str, u32>, candidate: CandidateIndex| match (
        max_per_affiliation,
        affiliation(candidate),
    ) {
        (Some(max), Some(group)) => held.get(group).copied().unwrap_or(0) >= max,
        _ => false,
    };
    let seat_count = |fill: &SeatFill| u32::try_from(fill.winners.len()).unwrap_or(u32::MAX);

    for tier in ranking {
        if seat_count(&fill) >= seats {
            break;
        }
        let mut tier = tier.clone();
        tier.sort_by(|a, b| candidates.name(*a).cmp(candidates.name(*b)));
        let mut eligible = Vec::with_capacity(tier.len());
        for &candidate in &tier {
            if is_capped(&held, candidate) {
                fill.skipped.push(Skipped {
                    candidate,
                    seat: seat_count(&fill) + 1,
                });
            } else {
                eligible.push(candidate);
            }
        }
        if eligible.is_empty() {
            continue;
        }
        let remaining = seats - seat_count(&fill);
        let fits_seats = u32::try_from(eligible.len()).is_ok_and(|count| count <= remaining);
        let fits_cap = max_per_affiliation.is_none_or(|max| {
            let mut wanted: BTreeMap<&str, u32> = BTreeMap::new();
            for &candidate in &eligible {
                if let Some(group) = affiliation(candidate) {
                    *wanted.entry(group).or_default() += 1;
                }
            }
            wanted
                .iter()
                .all(|(group, count)| held.get(group).copied().unwrap_or(0) + count <= max)
        });
        let order = if fits_seats && fits_cap {
            eligible
        } else {
            let first = seat_count(&fill) + 1;
            let last = seats.min(
                seat_count(&fill).saturating_add(u32::try_from(eligible.len()).unwrap_or(u32::MAX)),
            );
            let purpose = if first == last {
                format!("seat {first} of {seats}")
            } else {
                format!("seats {first} to {last} of {seats}")
            };
            match ties.settle(&purpose, &eligible) {
                Some(order) => order,
                None => return fill,
            }
        };
        for candidate in order {
            if seat_count(&fill) >= seats {
                break;
            }
            if is_capped(&held, candidate) {
                fill.skipped.push(Skipped {
                    candidate,
                    seat: seat_count(&fill) + 1,
                });
                continue;
            }
            if let Some(group) = affiliation(candidate) {
                *held.entry(group).or_default() += 1;
            }
            fill.winners.push(candidate);
        }
    }
    fill
}

/// Votes counted per candidate, with the ballots that counted for no one.
#[derive(Debug, Clone, Copy)]
pub struct Totals<'t> {
    /// Per candidate, by index.
    pub votes: &'t [u64],
    pub blank: u64,
    pub void: u64,
}

/// The outcome of a method that ranks by whole-number totals (plurality, approval,
/// cumulative): the ranking, the seats filled down it, and the totals as the audit (in the
/// `audit` variant the method names), with the method's rules.
pub fn outcome_by_totals(
    totals: Totals<'_>,
    candidates: &Candidates,
    seats: u32,
    max_per_affiliation: Option<u32>,
    ties: &mut TieBreaker<'_>,
    audit: fn(VoteCounts) -> Audit,
    rules: Vec<String>,
) -> MethodOutcome {
    let ranking = ranking_from_totals(totals.votes, candidates);
    let fill = fill_seats(&ranking, seats, candidates, max_per_affiliation, ties);
    MethodOutcome {
        audit: audit(VoteCounts::in_ranking_order(
            &ranking,
            totals.votes,
            candidates,
            totals.blank,
            totals.void,
        )),
        ranking,
        winners: fill.winners,
        skipped: fill.skipped,
        rules,
    }
}

/// A ranking from whole-number totals (plurality, approval, cumulative): standing
/// candidates by total, highest first; equal totals share a tier.
#[must_use]
pub fn ranking_from_totals(totals: &[u64], candidates: &Candidates) -> Vec<Vec<CandidateIndex>> {
    let mut standing: Vec<(u64, CandidateIndex)> = candidates
        .standing()
        .into_iter()
        .map(|candidate| {
            (
                totals.get(candidate.index()).copied().unwrap_or(0),
                candidate,
            )
        })
        .collect();
    standing.sort_by(|(a_total, a), (b_total, b)| b_total.cmp(a_total).then(a.cmp(b)));
    let mut ranking: Vec<Vec<CandidateIndex>> = Vec::new();
    let mut previous = None;
    for (total, candidate) in standing {
        match ranking.last_mut() {
            Some(tier) if previous == Some(total) => tier.push(candidate),
            _ => ranking.push(vec![candidate]),
        }
        previous = Some(total);
    }
    ranking
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::ballot::Candidate;

    fn idx(position: usize) -> CandidateIndex {
        CandidateIndex::new(position).unwrap()
    }

    fn affiliated(list: &[(&str, &str)]) -> Candidates {
        Candidates::new(
            list.iter()
                .map(|(name, group)| Candidate {
                    affiliation: Some((*group).to_owned()),
                    ..Candidate::named(name)
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn the_top_tiers_take_the_seats() {
        let candidates = Candidates::from_names(&["A", "B", "C", "D"]).unwrap();
        let mut ties = TieBreaker::new(&candidates, None);
        let ranking = vec![vec![idx(2)], vec![idx(1), idx(0)], vec![idx(3)]];
        let fill = fill_seats(&ranking, 3, &candidates, None, &mut ties);
        assert_eq!(fill.winners, vec![idx(2), idx(0), idx(1)]);
        assert!(ties.ties().is_empty());
    }

    #[test]
    fn a_tie_across_the_last_seat_is_reported_and_stops_the_filling() {
        let candidates = Candidates::from_names(&["A", "B", "C"]).unwrap();
        let mut ties = TieBreaker::new(&candidates, None);
        let ranking = vec![vec![idx(0)], vec![idx(1), idx(2)]];
        let fill = fill_seats(&ranking, 2, &candidates, None, &mut ties);
        assert_eq!(fill.winners, vec![idx(0)]);
        assert_eq!(ties.ties()[0].purpose, "seat 2 of 2");
        assert_eq!(ties.ties()[0].candidates, vec!["B", "C"]);
        assert!(ties.has_unresolved());
    }

    #[test]
    fn a_seeded_draw_settles_the_last_seat() {
        let candidates = Candidates::from_names(&["A", "B", "C"]).unwrap();
        let mut ties = TieBreaker::new(&candidates, Some("s"));
        let ranking = vec![vec![idx(0), idx(1), idx(2)]];
        let fill = fill_seats(&ranking, 2, &candidates, None, &mut ties);
        assert_eq!(fill.winners.len(), 2);
        let draw = ties.ties()[0].draw.as_ref().unwrap();
        assert_eq!(draw.description, "seats 1 to 2 of 2: A, B, C");
        let drawn: Vec<&str> = fill.winners.iter().map(|c| candidates.name(*c)).collect();
        assert_eq!(
            drawn,
            draw.order[..2]
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_cap_skips_to_the_next_candidate_and_says_so() {
        let candidates = affiliated(&[("A", "x"), ("B", "x"), ("C", "y"), ("D", "x")]);
        let mut ties = TieBreaker::new(&candidates, None);
        let ranking = vec![vec![idx(0)], vec![idx(1)], vec![idx(3)], vec![idx(2)]];
        let fill = fill_seats(&ranking, 3, &candidates, Some(2), &mut ties);
        assert_eq!(fill.winners, vec![idx(0), idx(1), idx(2)]);
        assert_eq!(
            fill.skipped,
            vec![Skipped {
                candidate: idx(3),
                seat: 3
            }]
        );
    }

    #[test]
    fn a_tier_that_would_pass_the_cap_is_a_tie() {
        let candidates = affiliated(&[("A", "x"), ("B", "x"), ("C", "y")]);
        let mut ties = TieBreaker::new(&candidates, None);
        let ranking = vec![vec![idx(0), idx(1)], vec![idx(2)]];
        let fill = fill_seats(&ranking, 2, &candidates, Some(1), &mut ties);
        assert!(fill.winners.is_empty());
        assert_eq!(ties.ties()[0].candidates, vec!["A", "B"]);
    }

    #[test]
    fn totals_rank_highest_first_with_shared_tiers() {
        let candidates = Candidates::from_names(&["A", "B", "C"]).unwrap();
        assert_eq!(
            ranking_from_totals(&[3, 5, 3], &candidates),
            vec![vec![idx(1)], vec![idx(0), idx(2)]]
        );
    }
}
