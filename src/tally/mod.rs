//! Election tallies: ballots in, winners, ranking and the working out.
//!
//! This module owns everything between a ballot file and a [`TallyResult`]:
//!
//! - [`ballot`]: the ballot model (candidates, ranked and cumulative ballots, weights,
//!   voter ids, origins) and what an unranked candidate means ([`Unranked`]);
//! - [`format`](mod@format): one reader per ballot format, format detection, and the `--candidates`
//!   file;
//! - [`method`]: the nine methods with their options, and [`tally`], which runs one;
//! - [`plurality`], [`approval`], [`condorcet`], [`irv`], [`stv`], [`cumulative`]: the
//!   methods (their exact rules are in `docs/tally-methods.md`);
//! - [`seats`]: top-N seat filling with the affiliation cap, shared by every method that
//!   ranks;
//! - [`tie`]: deciding ties, reported or settled by a reproducible seeded draw;
//! - [`roll_check`]: the optional check of ballots against a roll;
//! - [`result`]: the result, which is the JSON contract.
//!
//! It is pure: no files, no terminal, no clock. The command line reads the files and
//! renders the result (`crate::report`). Tallies are independent of rolls except for
//! the optional voter check.

pub mod affiliation;
pub mod approval;
pub mod ballot;
pub mod condorcet;
pub mod cumulative;
pub mod error;
pub mod format;
pub mod irv;
pub mod method;
pub mod plurality;
pub mod result;
pub mod roll_check;
pub mod seats;
pub mod stv;
pub mod tie;

pub use ballot::{BallotSet, Ballots, Candidate, CandidateIndex, Candidates, Unranked};
pub use error::{ParseError, TallyError};
pub use format::{Detection, InputFormat, read_ballots};
pub use method::{Contest, Method, tally};
pub use result::TallyResult;
