//! The Condorcet family: Schulze, ranked pairs, minimax and CIVS's Condorcet-IRV, with
//! the pairwise matrix they share.
//!
//! To be written (phase 2, Condorcet helper). Each function receives ballots with
//! withdrawn candidates struck and identical rankings merged, and returns the ranking of
//! the standing candidates, the winners, and a [`Audit::Condorcet`] audit. Seats from a
//! ranking go through [`crate::tally::seats::fill_seats`] (top N, affiliation cap,
//! deciding ties); ties inside the method go through [`TieBreaker::settle`]. Unranked
//! candidates follow [`crate::tally::ballot::Unranked`]; see
//! [`crate::tally::ballot::Ranking::write_positions`]. Split into `schulze.rs`,
//! `ranked_pairs.rs`, ... as the code grows; keep these signatures.
//!
//! [`Audit::Condorcet`]: crate::tally::result::Audit::Condorcet

use super::error::TallyError;
use super::method::{
    CondorcetIrvOptions, CondorcetOptions, MethodOutcome, RankedInput, SchulzeOptions,
};
use super::tie::TieBreaker;

/// Schulze (beatpath) with CIVS or Elekto ranking; N seats = top N.
///
/// # Errors
/// Not implemented yet.
pub fn schulze(
    _input: &RankedInput<'_>,
    _options: &SchulzeOptions,
    _ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    Err(TallyError::NotImplemented { method: "schulze" })
}

/// Ranked pairs (Tideman); N seats = top N.
///
/// # Errors
/// Not implemented yet.
pub fn ranked_pairs(
    _input: &RankedInput<'_>,
    _options: &CondorcetOptions,
    _ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    Err(TallyError::NotImplemented {
        method: "ranked-pairs",
    })
}

/// Minimax; N seats = top N.
///
/// # Errors
/// Not implemented yet.
pub fn minimax(
    _input: &RankedInput<'_>,
    _options: &CondorcetOptions,
    _ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    Err(TallyError::NotImplemented { method: "minimax" })
}

/// Condorcet-IRV as CIVS documents it.
///
/// # Errors
/// Not implemented yet.
pub fn condorcet_irv(
    _input: &RankedInput<'_>,
    _options: &CondorcetIrvOptions,
    _ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    Err(TallyError::NotImplemented {
        method: "condorcet-irv",
    })
}
