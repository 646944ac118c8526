//! The Condorcet family: Schulze, ranked pairs, minimax and CIVS's Condorcet-IRV, with
//! the pairwise matrix they share.
//!
//! Each method receives ballots with withdrawn candidates struck and identical rankings
//! merged ([`RankedInput`]), counts the pairwise matrix once ([`pairwise`]), ranks the
//! standing candidates its own way, and gives N seats to the top N through
//! [`fill_seats`] (affiliation cap, deciding ties). The files:
//!
//! - [`pairwise`]: who prefers whom (`--unranked`), what a defeat is and how strong it
//!   is (`--strength`), as integer keys;
//! - [`schulze`](mod@schulze): strongest paths and the CIVS and Elekto rankings (`--ranking`);
//! - [`ranked_pairs`](mod@ranked_pairs): locking majorities, equal ones judged together;
//! - [`minimax`](mod@minimax): strongest defeats;
//! - [`condorcet_irv`](mod@condorcet_irv): Condorcet winner, else drop the fewest first places;
//! - [`default_option`](mod@default_option): Debian's default option, which every other
//!   option must defeat (by a majority ratio, with a quorum) to be counted at all.
//!
//! This file turns their results into a [`MethodOutcome`]: the ranking as candidates,
//! the seats, the audit ([`Audit::Condorcet`]) and the rules as sentences, so that every
//! choice the count made is written into the result.

pub mod condorcet_irv;
pub mod default_option;
pub mod minimax;
pub mod pairwise;
pub mod ranked_pairs;
pub mod schulze;

use self::pairwise::{Pairwise, StrengthOrder, names};
use self::schulze::StrongestPaths;
use super::ballot::{Candidates, Unranked};
use super::error::TallyError;
use super::method::{
    CondorcetIrvOptions, CondorcetOptions, MethodOutcome, RankedInput, RankingRule, SchulzeOptions,
    Strength, TiedRank,
};
use super::result::{
    Audit, CandidateCount, CondorcetAudit, PairLock, PathStrength, RunoffRound, StrengthMatrix,
    WorstDefeat,
};
use super::seats::fill_seats;
use super::tie::TieBreaker;

/// The most standing candidates Schulze, ranked pairs and minimax accept: the matrix
/// grows with the square of the candidates and Schulze's paths with the cube, so a file
/// with thousands of candidates is refused with an error instead of exhausting memory or
/// time (1,000 candidates take about two seconds).
pub const MAX_CANDIDATES: usize = 1_000;

/// The most standing candidates Condorcet-IRV accepts: without Condorcet winners it can
/// take a round per candidate per place, each listing every considered candidate's
/// first places, so its audit grows with the cube of the candidates (100 candidates
/// with no Condorcet winner anywhere: under a second and a 20 MB audit).
pub const MAX_CANDIDATES_CONDORCET_IRV: usize = 100;

fn check_size(input: &RankedInput<'_>, method: &'static str, max: usize) -> Result<(), TallyError> {
    let standing = input.candidates.standing().len();
    if standing > max {
        return Err(TallyError::TooManyCandidates {
            method,
            standing,
            max,
        });
    }
    Ok(())
}

/// Schulze (beatpath) with CIVS or Elekto ranking; N seats = top N.
///
/// # Errors
/// More than [`MAX_CANDIDATES`] standing candidates.
pub fn schulze(
    input: &RankedInput<'_>,
    options: &SchulzeOptions,
    ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    check_size(input, "schulze", MAX_CANDIDATES)?;
    let pairwise = Pairwise::count(input.candidates, input.ballots, options.unranked);
    let order = StrengthOrder(options.strength);
    let paths = StrongestPaths::compute(&pairwise, order);
    let ranking = pairwise.to_candidates(&paths.ranking(options.ranking));

    let mut audit = base_audit(&pairwise, input.candidates);
    audit.strongest_paths = Some(StrengthMatrix {
        candidates: names(pairwise.standing(), input.candidates),
        cells: (0..pairwise.size())
            .map(|a| {
                (0..pairwise.size())
                    .map(|b| {
                        order.defeat(paths.key(a, b)).map(|link| PathStrength {
                            support: link.support,
                            opposition: link.opposition,
                        })
                    })
                    .collect()
            })
            .collect(),
    });

    let mut rules = pairwise_rules(options.unranked, Some(options.strength));
    rules.push(
        "a path from a to b is a chain of defeats; its strength is that of its weakest defeat, and the strongest path from a to b is the strongest such chain (null when there is none)"
            .to_owned(),
    );
    rules.push(
        "a beats b when the strongest path from a to b is stronger than the strongest path from b to a"
            .to_owned(),
    );
    rules.push(match options.ranking {
        RankingRule::Civs => "ranking (civs): the candidates no remaining candidate beats form the next tier; they are removed and the rule repeats".to_owned(),
        RankingRule::Elekto => "ranking (elekto): a candidate's place is 1 + the number of candidates that beat it; equal places share a tier".to_owned(),
    });
    Ok(outcome(input, ranking, audit, rules, ties))
}

/// Ranked pairs (Tideman); N seats = top N.
///
/// # Errors
/// More than [`MAX_CANDIDATES`] standing candidates.
pub fn ranked_pairs(
    input: &RankedInput<'_>,
    options: &CondorcetOptions,
    ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    check_size(input, "ranked-pairs", MAX_CANDIDATES)?;
    let pairwise = Pairwise::count(input.candidates, input.ballots, options.unranked);
    let result = ranked_pairs::ranked_pairs(&pairwise, StrengthOrder(options.strength));
    let ranking = pairwise.to_candidates(&result.ranking);

    let mut audit = base_audit(&pairwise, input.candidates);
    audit.locks = result
        .locks
        .iter()
        .map(|lock| PairLock {
            winner: pairwise.name(input.candidates, lock.winner).to_owned(),
            loser: pairwise.name(input.candidates, lock.loser).to_owned(),
            support: lock.defeat.support,
            opposition: lock.defeat.opposition,
            locked: lock.locked,
        })
        .collect();

    let mut rules = pairwise_rules(options.unranked, Some(options.strength));
    rules.push(
        "majorities (defeats) are considered strongest first and locked unless they contradict stronger locked majorities"
            .to_owned(),
    );
    rules.push(
        "majorities of equal strength are judged together: one that already contradicts the locked majorities is skipped and set aside; of the rest, one that lies on a cycle with the locked majorities and the others left of its strength is skipped, the others are locked, so no order among equal majorities is needed"
            .to_owned(),
    );
    rules.push(
        "ranking: the candidates no remaining candidate reaches through locked majorities form the next tier; they are removed and the rule repeats"
            .to_owned(),
    );
    Ok(outcome(input, ranking, audit, rules, ties))
}

/// Minimax; N seats = top N.
///
/// # Errors
/// More than [`MAX_CANDIDATES`] standing candidates.
pub fn minimax(
    input: &RankedInput<'_>,
    options: &CondorcetOptions,
    ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    check_size(input, "minimax", MAX_CANDIDATES)?;
    let pairwise = Pairwise::count(input.candidates, input.ballots, options.unranked);
    let order = StrengthOrder(options.strength);
    let result = minimax::minimax(&pairwise, order);
    let ranking = pairwise.to_candidates(&result.ranking);

    let mut audit = base_audit(&pairwise, input.candidates);
    let mut scores = result.scores;
    // In ranking order, by name within a tier, like every per-candidate list.
    scores.sort_by(|a, b| {
        order
            .decisive(a.key)
            .cmp(&order.decisive(b.key))
            .then_with(|| {
                pairwise
                    .name(input.candidates, a.candidate)
                    .cmp(pairwise.name(input.candidates, b.candidate))
            })
    });
    audit.worst_defeats = scores
        .iter()
        .map(|score| {
            let defeat = order.defeat(score.key);
            WorstDefeat {
                candidate: pairwise.name(input.candidates, score.candidate).to_owned(),
                by: score
                    .by
                    .map(|by| pairwise.name(input.candidates, by).to_owned()),
                support: defeat.map_or(0, |defeat| defeat.support),
                opposition: defeat.map_or(0, |defeat| defeat.opposition),
            }
        })
        .collect();

    let mut rules = pairwise_rules(options.unranked, Some(options.strength));
    rules.push(
        "a candidate's score is the strongest defeat it suffers; a candidate with no defeat has none and ranks above every defeated one"
            .to_owned(),
    );
    rules.push(
        "ranking: by score, weakest strongest-defeat first; equal scores share a tier (no second-strongest defeat is consulted)"
            .to_owned(),
    );
    Ok(outcome(input, ranking, audit, rules, ties))
}

/// Condorcet-IRV as CIVS documents it.
///
/// # Errors
/// More than [`MAX_CANDIDATES_CONDORCET_IRV`] standing candidates.
pub fn condorcet_irv(
    input: &RankedInput<'_>,
    options: &CondorcetIrvOptions,
    ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    check_size(input, "condorcet-irv", MAX_CANDIDATES_CONDORCET_IRV)?;
    let candidates = input.candidates;
    let pairwise = Pairwise::count(candidates, input.ballots, options.unranked);
    let runoff = condorcet_irv::run(input, &pairwise, options.tied_rank, ties);
    let ranking = pairwise.to_candidates(&runoff.ranking);

    let mut audit = base_audit(&pairwise, candidates);
    let name = |local: usize| pairwise.name(candidates, local).to_owned();
    audit.rounds = runoff
        .steps
        .iter()
        .map(|step| {
            let (first_places, exhausted) = match &step.first_places {
                Some((totals, exhausted)) => (
                    step.considered
                        .iter()
                        .zip(totals)
                        .map(|(&local, &votes)| CandidateCount {
                            candidate: name(local),
                            votes,
                        })
                        .collect(),
                    Some(*exhausted),
                ),
                None => (Vec::new(), None),
            };
            RunoffRound {
                number: step.number,
                place: step.place,
                considered: step.considered.iter().map(|&local| name(local)).collect(),
                condorcet_winner: step.condorcet_winner.map(name),
                first_places,
                exhausted,
                dropped: step.dropped.map(name),
                placed: step.placed.iter().map(|&local| name(local)).collect(),
                note: step.note.clone(),
            }
        })
        .collect();

    // Condorcet-IRV only asks whether a defeat exists, never how strong it is.
    let mut rules = pairwise_rules(options.unranked, None);
    rules.push(
        "each place goes to the Condorcet winner among the candidates not placed yet that are still considered; without one, the candidate with the fewest first places among them is no longer considered for the place, and the search repeats"
            .to_owned(),
    );
    rules.push(match options.tied_rank {
        TiedRank::Exhaust => "a first place goes to the ballot's best-ranked considered candidate; a ballot whose best tier holds several considered candidates gives no first place (--irv-tied-rank exhaust)".to_owned(),
        TiedRank::Skip => "a first place goes to the ballot's best-ranked considered candidate; a tier holding several considered candidates is skipped for the next one (--irv-tied-rank skip)".to_owned(),
    });
    rules.push("unranked candidates never receive a first place".to_owned());
    rules.push(
        "when every considered candidate has the same number of first places they share the place; several tied for the fewest are an exclusion tie (the draw's last candidate is dropped)"
            .to_owned(),
    );
    rules.push(
        "dropped candidates are considered again for the next place; an exclusion tie below the places the seats depend on is drawn only with --tie-seed, otherwise the candidates left share the remaining places"
            .to_owned(),
    );

    let (winners, skipped) = {
        let decided = runoff.decided_tiers.map_or(ranking.as_slice(), |tiers| {
            ranking.get(..tiers).unwrap_or(&[])
        });
        let fill = fill_seats(
            decided,
            input.seats,
            candidates,
            input.max_per_affiliation,
            ties,
        );
        (fill.winners, fill.skipped)
    };
    rules.push(seats_rule().to_owned());
    Ok(MethodOutcome {
        ranking,
        winners,
        skipped,
        audit: Audit::Condorcet(audit),
        rules,
    })
}

/// The audit every method starts from: the pairwise matrix, nothing else yet.
/// Tiers of a relation with no cycles (Schulze's strongest paths, ranked pairs' locks):
/// the candidates nobody remaining `beats`, then the same among the rest, and so on.
pub(super) fn peel_unbeaten(size: usize, beats: impl Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
    let mut remaining: Vec<usize> = (0..size).collect();
    let mut ranking = Vec::new();
    while !remaining.is_empty() {
        let (mut tier, rest): (Vec<usize>, Vec<usize>) =
            remaining.iter().copied().partition(|&candidate| {
                !remaining
                    .iter()
                    .any(|&other| other != candidate && beats(other, candidate))
            });
        if tier.is_empty() {
            // Unreachable: a finite set under an acyclic relation always has an unbeaten
            // member. Should arithmetic ever prove otherwise, the rest share one tier
            // rather than loop forever.
            tier = rest;
            remaining = Vec::new();
        } else {
            remaining = rest;
        }
        ranking.push(tier);
    }
    ranking
}

fn base_audit(pairwise: &Pairwise, candidates: &Candidates) -> CondorcetAudit {
    CondorcetAudit {
        pairwise: pairwise.matrix(candidates),
        strongest_paths: None,
        locks: Vec::new(),
        rounds: Vec::new(),
        worst_defeats: Vec::new(),
        against_default: Vec::new(),
    }
}

/// Seats from the ranking, and the outcome.
fn outcome(
    input: &RankedInput<'_>,
    ranking: Vec<Vec<super::ballot::CandidateIndex>>,
    audit: CondorcetAudit,
    mut rules: Vec<String>,
    ties: &mut TieBreaker<'_>,
) -> MethodOutcome {
    let fill = fill_seats(
        &ranking,
        input.seats,
        input.candidates,
        input.max_per_affiliation,
        ties,
    );
    rules.push(seats_rule().to_owned());
    MethodOutcome {
        ranking,
        winners: fill.winners,
        skipped: fill.skipped,
        audit: Audit::Condorcet(audit),
        rules,
    }
}

fn seats_rule() -> &'static str {
    "seats go to the top of the ranking, tier by tier; a candidate whose affiliation holds --max-per-affiliation seats is skipped for the next one; a tier that does not fit the seats left is a tie, settled by the --tie-seed draw or reported"
}

/// How the pairwise matrix is read: the sentences every method of the family shares,
/// and how strong a defeat is for the methods that weigh defeats.
fn pairwise_rules(unranked: Unranked, strength: Option<Strength>) -> Vec<String> {
    let mut rules = vec![
        "a ballot prefers a to b when it ranks a in a better tier than b; candidates it ranks equal are preferred neither way".to_owned(),
        match unranked {
            Unranked::Ignore => "a candidate a ballot leaves unranked is compared with no one: the ballot counts neither for nor against it (--unranked ignore)".to_owned(),
            Unranked::Last => "candidates a ballot leaves unranked are tied with each other below every candidate it ranks (--unranked last)".to_owned(),
        },
        "a defeats b when more ballots prefer a to b than b to a; equal counts are no defeat either way".to_owned(),
    ];
    rules.extend(strength.map(|strength| match strength {
        Strength::Winning => "a defeat's strength is the ballots for it (winning votes); with equal support, fewer ballots against is stronger (losing votes)".to_owned(),
        Strength::Margin => "a defeat's strength is the ballots for it minus the ballots against it (margins); equal margins are equally strong".to_owned(),
    }));
    rules
}
