//! Instant-runoff voting.
//!
//! To be written (phase 2, IRV/STV helper). Receives ballots with withdrawn candidates
//! struck and identical rankings merged; a tier of several candidates follows
//! [`crate::tally::method::TiedRank`]; exclusion ties go through [`TieBreaker::settle`]
//! (purpose such as `exclusion in round 4`); every round is recorded as a
//! [`crate::tally::result::Round`] in an [`crate::tally::result::Audit::Rounds`] audit.

use super::error::TallyError;
use super::method::{IrvOptions, MethodOutcome, RankedInput};
use super::tie::TieBreaker;

/// Count by instant runoff.
///
/// # Errors
/// Not implemented yet.
pub fn irv(
    _input: &RankedInput<'_>,
    _options: &IrvOptions,
    _ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    Err(TallyError::NotImplemented { method: "irv" })
}
