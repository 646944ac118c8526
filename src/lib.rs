//! `electorate`: electorate rolls, policy what-ifs and election tallies for open-source
//! governance.
//!
//! Data flows one way:
//!
//! ```text
//! files ──ingest──► model::Election ──identity──► People ──policy──► Evaluation ──roll──► Rolls ──report──► text / CSV / JSON
//! ballots ──tally──► TallyResult ──report──► text / CSV / JSON
//! ```
//!
//! - [`model`] is the election's vocabulary: changes and accounts, governance, members,
//!   activities, the election and its dates, origins, codes, problems. Plain data.
//! - [`ingest`] reads every input format into the model and knows nothing of policy; every
//!   record keeps its origin (file and line) so every problem and decision can point back.
//! - [`identity`] turns the election's accounts, addresses and records into people, once.
//! - [`policy`] is pure: policies as data, and the engine that applies one to people and
//!   contributions at given dates, yielding grants and misses with their evidence.
//! - [`roll`] turns an evaluation into rolls, explanations, comparisons, candidacy and
//!   application verdicts: every decision resolved before anything is rendered.
//! - [`tally`] counts ballots (Condorcet methods, IRV, STV, cumulative, approval,
//!   plurality); it is independent of rolls.
//! - [`report`] renders what `roll` and `tally` decided, `write_*(&T, &mut dyn Write)`.
//! - [`fetch`] downloads what `roll` reads (Gerrit changes, member directory answers)
//!   into files with a manifest; the only module that touches the network.
//! - [`publish`] is the one place that writes files; [`cli`] is the only module that knows
//!   about flags and terminals.
//!
//! Arrows run one way: `cli → report → roll → policy → identity → model`, `ingest → model`;
//! a test (`tests/layers.rs`) keeps them so.

pub mod cli;
pub mod digest;
pub mod fetch;
pub mod identity;
pub mod ingest;
pub mod located_toml;
pub mod model;
pub mod parallel;
pub mod policy;
pub mod publish;
pub mod report;
pub mod roll;
pub mod suggest;
pub mod tally;
