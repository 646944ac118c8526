//! Single transferable vote: Meek (New Zealand rules, fixed-point decimals), Scottish STV
//! (5-decimal truncation) and ERS97/Gregory (exact rationals). Never binary floating
//! point.
//!
//! To be written (phase 2, IRV/STV helper), one file per variant under `stv/` as the
//! code grows, dispatched from [`stv`]. Rounds go in an
//! [`crate::tally::result::Audit::Rounds`] audit with [`crate::tally::result::ExactVotes`]
//! tallies; the quota and precision written into the result come from
//! [`crate::tally::method::StvVariant::quota_rule`] and
//! [`crate::tally::method::StvVariant::precision`], which this module's author owns.

use super::error::TallyError;
use super::method::{MethodOutcome, RankedInput, StvOptions};
use super::tie::TieBreaker;

/// Count by STV in the chosen variant.
///
/// # Errors
/// Not implemented yet.
pub fn stv(
    _input: &RankedInput<'_>,
    _options: &StvOptions,
    _ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    Err(TallyError::NotImplemented { method: "stv" })
}
