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

use papers::Papers;

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
    let (winners, ranking, quota, rounds, mut rules) = match options.variant {
        StvVariant::Meek => {
            let outcome = meek::count(
                input.candidates,
                &papers,
                input.seats,
                options.tied_rank,
                ties,
            );
            (
                outcome.winners,
                outcome.ranking,
                outcome.first_quota,
                outcome.rounds,
                meek::rules(),
            )
        }
        StvVariant::Scottish => {
            let outcome = scottish::count(
                input.candidates,
                &papers,
                input.seats,
                options.tied_rank,
                ties,
            );
            (
                outcome.winners,
                outcome.ranking,
                outcome.quota,
                outcome.rounds,
                scottish::rules(),
            )
        }
        StvVariant::Ers => {
            let outcome = ers::count(
                input.candidates,
                &papers,
                input.seats,
                options.tied_rank,
                ties,
            );
            (
                outcome.winners,
                outcome.ranking,
                outcome.quota,
                outcome.rounds,
                ers::rules(),
            )
        }
    };
    rules.push(tied_rank_rule(options.tied_rank));
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

/// What a tier of several candidates does, as a sentence for `options.rules` (IRV and
/// STV).
#[must_use]
pub fn tied_rank_rule(tied_rank: TiedRank) -> String {
    match tied_rank {
        TiedRank::Exhaust => "a rank shared by several candidates who can still receive the ballot ends it there (exhausted), as an over-marked paper ballot would; a shared rank with only one such candidate counts for that candidate".to_owned(),
        TiedRank::Skip => "a rank shared by several candidates who can still receive the ballot is skipped and the ballot goes on to its next rank; a shared rank with only one such candidate counts for that candidate".to_owned(),
    }
}
