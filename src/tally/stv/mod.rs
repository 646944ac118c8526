//! Single transferable vote in three variants, each exactly as its rules write it down:
//!
//! - [`meek`]: Meek's method with New Zealand's rules (Schedule 1A of the Local Electoral
//!   Regulations 2001): fixed-point decimals of 9 places, rounding stated per step;
//! - [`scottish`]: Scottish STV (Scottish Local Government Elections Order 2007):
//!   weighted inclusive Gregory, transfer values truncated to 5 decimal places;
//! - [`ers`]: ERS97 with Gregory last-parcel transfers, in exact rationals.
//!
//! Never binary floating point: every value is an integer count of 10^-9 or 10^-5 votes,
//! or an exact fraction, and the audit writes it exactly ([`crate::tally::result::ExactVotes`]).
//!
//! The shared parts live beside the variants: [`papers`] (ballots laid out for walking,
//! and what a tied rank does), [`rounds`] (statuses, round records, the final ranking),
//! [`tiebreak`] (earlier rounds, then the draw) and [`gregory`] (the stage-by-stage
//! engine of the Scottish and ERS97 counts). IRV ([`crate::tally::irv`]) walks papers
//! and breaks ties with the same code, which is what makes "STV with one seat is IRV"
//! hold (see the property tests).

pub mod ers;
pub mod gregory;
pub mod meek;
pub mod papers;
pub mod rounds;
pub mod scottish;
pub mod tiebreak;

use super::error::TallyError;
use super::method::{MethodOutcome, RankedInput, StvOptions, StvVariant, TiedRank};
use super::result::{Audit, RoundsAudit};
use super::tie::TieBreaker;

use gregory::Outcome;
use papers::Papers;

use crate::tally::ballot::Candidates;

/// Count by STV in the chosen variant.
///
/// # Errors
/// None today: every input [`RankedInput`] guarantees can be counted (no ballots, blank
/// ballots only, as many seats as candidates). The `Result` keeps the signature every
/// method shares.
pub fn stv(
    input: &RankedInput<'_>,
    options: &StvOptions,
    ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    let papers = Papers::new(input.ballots);
    // Scottish STV and ERS97 are one Gregory engine in two arithmetics; Meek's outcome
    // names its quota the first round's.
    type GregoryCount = fn(&Candidates, &Papers, u32, TiedRank, &mut TieBreaker<'_>) -> Outcome;
    let (candidates, seats, tied_rank) = (input.candidates, input.seats, options.tied_rank);
    let (outcome, mut rules) = match options.variant {
        StvVariant::Meek => {
            let meek = meek::count(candidates, &papers, seats, tied_rank, ties);
            let outcome = Outcome {
                winners: meek.winners,
                ranking: meek.ranking,
                quota: meek.first_quota,
                rounds: meek.rounds,
            };
            (outcome, meek::rules())
        }
        StvVariant::Scottish | StvVariant::Ers => {
            let (count, rules): (GregoryCount, fn() -> Vec<String>) =
                if options.variant == StvVariant::Scottish {
                    (scottish::count, scottish::rules)
                } else {
                    (ers::count, ers::rules)
                };
            (count(candidates, &papers, seats, tied_rank, ties), rules())
        }
    };
    let Outcome {
        winners,
        ranking,
        quota,
        rounds,
    } = outcome;
    let rereading = match options.variant {
        StvVariant::Meek => Rereading::EveryIteration,
        StvVariant::Scottish | StvVariant::Ers => Rereading::Never,
    };
    rules.push(tied_rank_rule(options.tied_rank, rereading));
    rules.push(
        "blank ballots are not valid votes; the quota counts the ballots that reach a candidate at the first count".to_owned(),
    );
    Ok(MethodOutcome {
        ranking,
        winners,
        skipped: Vec::new(),
        audit: Audit::Rounds(RoundsAudit {
            quota: Some(quota),
            rounds,
        }),
        rules,
    })
}

/// When a count looks at a ballot's ranks again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rereading {
    /// A ballot moves only when the candidate holding it is excluded or passes on a
    /// surplus (IRV, Scottish, ERS97): what a tied rank did when the ballot reached it
    /// stands, even if the tie later resolves.
    Never,
    /// Every ballot is read again from its first rank at every iteration (Meek): a
    /// tied rank is judged afresh against the candidates still standing.
    EveryIteration,
}

/// What a tier of several candidates does, as a sentence for `options.rules` (IRV and
/// STV).
#[must_use]
pub fn tied_rank_rule(tied_rank: TiedRank, rereading: Rereading) -> String {
    let what = match tied_rank {
        TiedRank::Exhaust => {
            "a rank shared by several candidates who can still receive the ballot ends it there (exhausted), as an over-marked paper ballot would"
        }
        TiedRank::Skip => {
            "a rank shared by several candidates who can still receive the ballot is skipped and the ballot goes on to its next rank"
        }
    };
    let when = match rereading {
        Rereading::Never => {
            "this is settled when the ballot reaches that rank and stands even if the tie later resolves (ballots move only when their candidate is excluded or passes on a surplus)"
        }
        Rereading::EveryIteration => {
            "every ballot is read again from its first rank at every iteration, so a shared rank is judged against the candidates not excluded at that time"
        }
    };
    format!("{what}; a shared rank with only one such candidate counts for that candidate; {when}")
}
