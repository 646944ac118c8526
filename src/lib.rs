//! `electorate`: electorate rolls, policy what-ifs and election tallies for open-source
//! governance.
//!
//! Data flows one way:
//!
//! ```text
//! exports ──ingest──► Change ──identity──► Person ──policy──► Grant ──roll──► Roll ──report──► files
//! ballots ──tally──► Tally ──report──► table / JSON
//! ```
//!
//! - [`ingest`] reads files and knows nothing of policy; every record keeps its origin
//!   (file and line) so every error and every decision can point back to its input.
//! - [`identity`] merges accounts, e-mail addresses and membership records into people.
//! - [`policy`] is pure: contributions, people and the election's dates in, grants out.
//! - [`roll`] turns grants into rolls and answers "why is X on or off roll R".
//! - [`tally`] counts ballots (Condorcet methods, IRV, STV, cumulative, approval,
//!   plurality); it is independent of rolls.
//! - [`report`] renders rolls, explanations and tallies as tables, CSV and JSON.
//! - [`fetch`] downloads what `roll` reads (Gerrit changes, member directory answers)
//!   into files with a manifest; the only module that touches the network.
//! - [`cli`] is the only module that knows about flags, terminals and output files.

pub mod cli;
pub mod diagnostics;
pub mod fetch;
pub mod identity;
pub mod ingest;
pub mod located_toml;
pub mod model;
pub mod policy;
pub mod report;
pub mod roll;
pub mod symbols;
pub mod tally;
