//! Cumulative voting: each ballot spreads up to a capped number of votes over the
//! candidates; N seats go to the N highest totals.
//!
//! To be written (phase 2, IRV/STV helper). The cap is
//! [`crate::tally::method::CumulativeOptions::votes_per_ballot`] (`None`: the number of
//! seats); say in the result what happens to a ballot over the cap (the
//! [`crate::tally::result::VoteCounts::void`] count is there for it). Rank with
//! [`crate::tally::seats::ranking_from_totals`] and fill seats with
//! [`crate::tally::seats::fill_seats`], as plurality does.

use super::error::TallyError;
use super::method::{CumulativeOptions, MethodOutcome, ScoredInput};
use super::tie::TieBreaker;

/// Count cumulative votes.
///
/// # Errors
/// Not implemented yet.
pub fn cumulative(
    _input: &ScoredInput<'_>,
    _options: &CumulativeOptions,
    _ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    Err(TallyError::NotImplemented {
        method: "cumulative",
    })
}
