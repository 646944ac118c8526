//! Condorcet-IRV as CIVS documents it (also called Condorcet–Hare): each place goes to
//! the Condorcet winner among the candidates still considered; without one, the
//! candidate with the fewest first places among them is dropped and the search repeats.
//!
//! Place by place, over the candidates not placed yet:
//!
//! 1. If one considered candidate defeats every other considered one (pairwise matrix,
//!    `--unranked`), it takes the place.
//! 2. Otherwise each ballot gives one first place to its best-ranked considered
//!    candidate. A ballot whose best tier holds several considered candidates follows
//!    `--irv-tied-rank`: `exhaust` gives no first place, `skip` passes to the next tier
//!    that holds considered candidates. Unranked candidates never get a first place
//!    (with `--unranked last` they are a shared last tier, so the same rule applies).
//! 3. If every considered candidate has the same number of first places, they share
//!    the place (CIVS: "the remaining candidates are considered top-ranked").
//!    Otherwise the one with the fewest is no longer considered for this place; several
//!    with the fewest are a tie settled by [`TieBreaker::settle`] (`exclusion in round
//!    N (place P)`; the draw's last candidate is dropped). Then back to 1.
//!
//! Dropped candidates come back for the next place. Seats are the top of the ranking
//! through [`crate::tally::seats::fill_seats`], so `--max-per-affiliation` applies.
//!
//! Ties are asked about only while they can still matter: once the places found so far
//! fill the seats (or an unresolved seat tie stops the filling), the ranking below is
//! still computed, but an exclusion tie there is settled only with `--tie-seed`; without
//! one the candidates left share the remaining places, so that an exclusion among
//! also-rans never leaves the election undecided.

use super::pairwise::Pairwise;
use crate::tally::ballot::{CandidateIndex, RankedBallots};
use crate::tally::method::{RankedInput, TiedRank};
use crate::tally::seats::fill_seats;
use crate::tally::tie::TieBreaker;

/// One step of the count, with local indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub number: u32,
    pub place: u32,
    pub considered: Vec<usize>,
    pub condorcet_winner: Option<usize>,
    /// First places of the considered candidates (same order), and the exhausted weight.
    pub first_places: Option<(Vec<u64>, u64)>,
    pub dropped: Option<usize>,
    pub placed: Vec<usize>,
    pub note: String,
}

/// The count: the ranking (tiers of local indices), its steps, and how much of the
/// ranking the seats may be filled from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runoff {
    pub ranking: Vec<Vec<usize>>,
    pub steps: Vec<Step>,
    /// `Some(k)`: an unresolved exclusion tie stopped the count while the seats still
    /// depended on it; only the first `k` tiers are decided and may fill seats.
    pub decided_tiers: Option<usize>,
}

/// Counts first places among the considered candidates.
struct FirstPlaces<'a> {
    ballots: &'a RankedBallots,
    /// Candidate index → local index (`usize::MAX` for candidates not standing).
    local: Vec<usize>,
    tied_rank: TiedRank,
}

impl FirstPlaces<'_> {
    /// First places per local index, and the weight that gave none.
    fn count(&self, considered: &[bool]) -> (Vec<u64>, u64) {
        let mut totals = vec![0u64; considered.len()];
        let mut exhausted = 0u64;
        let mut members: Vec<usize> = Vec::new();
        for ballot in self.ballots.iter() {
            let mut credited = false;
            for tier in ballot.ranking.tiers() {
                members.clear();
                members.extend(
                    tier.iter()
                        .filter_map(|candidate| self.local.get(candidate.index()).copied())
                        .filter(|&local| considered.get(local).copied().unwrap_or(false)),
                );
                match (members.as_slice(), self.tied_rank) {
                    ([], _) => {}
                    ([only], _) => {
                        if let Some(total) = totals.get_mut(*only) {
                            *total += ballot.weight;
                            credited = true;
                        }
                        break;
                    }
                    (_, TiedRank::Exhaust) => break,
                    (_, TiedRank::Skip) => {}
                }
            }
            if !credited {
                exhausted += ballot.weight;
            }
        }
        (totals, exhausted)
    }
}

/// Run the count. `pairwise` must be the matrix of `input` (same standing candidates).
pub fn run(
    input: &RankedInput<'_>,
    pairwise: &Pairwise,
    tied_rank: TiedRank,
    ties: &mut TieBreaker<'_>,
) -> Runoff {
    let candidates = input.candidates;
    let size = pairwise.size();
    let mut local = vec![usize::MAX; candidates.len()];
    for (position, candidate) in pairwise.standing().iter().enumerate() {
        if let Some(slot) = local.get_mut(candidate.index()) {
            *slot = position;
        }
    }
    let counter = FirstPlaces {
        ballots: input.ballots,
        local,
        tied_rank,
    };
    let name = |local: usize| pairwise.name(candidates, local);

    let mut runoff = Runoff {
        ranking: Vec::new(),
        steps: Vec::new(),
        decided_tiers: None,
    };
    let mut placed = vec![false; size];
    let mut placed_count = 0usize;
    let mut number = 0u32;
    let mut seats_depend = true;
    'places: while placed_count < size {
        let place = u32::try_from(placed_count + 1).unwrap_or(u32::MAX);
        let mut considered: Vec<bool> = placed.iter().map(|done| !done).collect();
        loop {
            number += 1;
            let members: Vec<usize> = (0..size)
                .filter(|&c| considered.get(c).copied().unwrap_or(false))
                .collect();
            let mut step = Step {
                number,
                place,
                considered: members.clone(),
                condorcet_winner: None,
                first_places: None,
                dropped: None,
                placed: Vec::new(),
                note: String::new(),
            };
            if let Some(winner) = pairwise.condorcet_winner(&members) {
                step.condorcet_winner = Some(winner);
                step.placed = vec![winner];
                step.note = if members.len() == 1 {
                    format!("place {place}: {} is the only candidate left", name(winner))
                } else {
                    format!(
                        "place {place}: {} is the Condorcet winner among the {} candidates considered",
                        name(winner),
                        members.len()
                    )
                };
                runoff.steps.push(step);
                runoff.ranking.push(vec![winner]);
                if let Some(done) = placed.get_mut(winner) {
                    *done = true;
                }
                placed_count += 1;
                break;
            }

            let (totals, exhausted) = counter.count(&considered);
            let first = |c: usize| totals.get(c).copied().unwrap_or(0);
            let fewest = members.iter().map(|&c| first(c)).min().unwrap_or(0);
            let lowest: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&c| first(c) == fewest)
                .collect();
            step.first_places = Some((members.iter().map(|&c| first(c)).collect(), exhausted));

            if lowest.len() == members.len() {
                step.placed = members.clone();
                step.note = format!(
                    "place {place}: no Condorcet winner, and all {} candidates considered have {fewest} first places: they share the place",
                    members.len()
                );
                runoff.steps.push(step);
                for &c in &members {
                    if let Some(done) = placed.get_mut(c) {
                        *done = true;
                    }
                }
                placed_count += members.len();
                runoff.ranking.push(members);
                break;
            }

            let dropped = if let [only] = lowest.as_slice() {
                step.note = format!(
                    "place {place}: no Condorcet winner among the {} candidates considered; {} has the fewest first places ({fewest}) and is dropped",
                    members.len(),
                    name(*only)
                );
                *only
            } else {
                let tied_names = lowest
                    .iter()
                    .map(|&c| name(c))
                    .collect::<Vec<_>>()
                    .join(", ");
                let settled = if seats_depend || ties.seed().is_some() {
                    let tied: Vec<CandidateIndex> = lowest
                        .iter()
                        .filter_map(|&c| pairwise.candidate(c))
                        .collect();
                    ties.settle(
                        &format!("exclusion in round {number} (place {place})"),
                        &tied,
                    )
                } else {
                    None
                };
                let loser = settled
                    .as_deref()
                    .and_then(<[CandidateIndex]>::last)
                    .and_then(|candidate| {
                        pairwise
                            .standing()
                            .iter()
                            .position(|standing| standing == candidate)
                    });
                let Some(loser) = loser else {
                    // No draw: the candidates not placed yet share the remaining places.
                    let rest: Vec<usize> = (0..size)
                        .filter(|&c| !placed.get(c).copied().unwrap_or(true))
                        .collect();
                    step.note = if seats_depend {
                        format!(
                            "place {place}: no Condorcet winner; {tied_names} tie with the fewest first places ({fewest}) and no --tie-seed was given: the count stops, and the {} candidates left share the remaining places",
                            rest.len()
                        )
                    } else {
                        format!(
                            "place {place}: no Condorcet winner; {tied_names} tie with the fewest first places ({fewest}); the seats do not depend on it and no --tie-seed was given, so the {} candidates left share the remaining places",
                            rest.len()
                        )
                    };
                    step.placed.clone_from(&rest);
                    runoff.steps.push(step);
                    if seats_depend {
                        runoff.decided_tiers = Some(runoff.ranking.len());
                    }
                    runoff.ranking.push(rest);
                    break 'places;
                };
                step.note = format!(
                    "place {place}: no Condorcet winner among the {} candidates considered; {tied_names} tie with the fewest first places ({fewest}); the draw drops {}",
                    members.len(),
                    name(loser)
                );
                loser
            };
            step.dropped = Some(dropped);
            runoff.steps.push(step);
            if let Some(still) = considered.get_mut(dropped) {
                *still = false;
            }
        }
        if seats_depend {
            seats_depend = !seats_settled(&runoff.ranking, input, pairwise, ties.seed());
        }
    }
    runoff
}

/// Whether the places found so far decide every seat: filling from them alone either
/// fills all seats or stops at an unresolved tie (more places cannot change either).
/// A scratch tie breaker with the same seed gives the same draws the real filling will.
fn seats_settled(
    ranking: &[Vec<usize>],
    input: &RankedInput<'_>,
    pairwise: &Pairwise,
    seed: Option<&str>,
) -> bool {
    let tiers = pairwise.to_candidates(ranking);
    let mut scratch = TieBreaker::new(input.candidates, seed);
    let fill = fill_seats(
        &tiers,
        input.seats,
        input.candidates,
        input.max_per_affiliation,
        &mut scratch,
    );
    usize::try_from(input.seats).is_ok_and(|seats| fill.winners.len() >= seats)
        || scratch.has_unresolved()
}
