//! The election flags for commands that can run without an election (`diff`, `results`):
//! the same flags as the election commands', all optional, turned into the shared
//! [`ElectionArgs`] when `--election` is given.

use std::path::PathBuf;

use clap::Args;

use crate::cli::settings::{ElectionArgs, parse_compat};
use crate::model::Compat;

#[derive(Debug, Clone, Args)]
pub struct OptionalElection {
    /// The election file (election.toml): window, policy and input files.
    #[arg(long, short = 'e', value_name = "FILE")]
    pub election: Option<PathBuf>,

    /// A shipped policy name or a policy file; overrides the election file's `policy`
    /// [default: the election's, else openstack].
    #[arg(long, short = 'p', value_name = "NAME|FILE", requires = "election")]
    pub policy: Option<String>,

    /// Reproduce the reference tooling to audit a past roll: `reference` as it is now,
    /// `reference@YYYY-MM-DD` as it was on that date (see docs/compat.md).
    #[arg(long, value_name = "MODE", requires = "election", value_parser = parse_compat)]
    pub compat: Option<Compat>,
}

impl OptionalElection {
    /// The election flags, when an election is given.
    #[must_use]
    pub fn given(&self) -> Option<ElectionArgs> {
        self.election.as_ref().map(|election| ElectionArgs {
            election: Some(election.clone()),
            policy: self.policy.clone(),
            compat: self.compat.unwrap_or_default(),
        })
    }
}
