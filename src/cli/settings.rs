//! Flags shared by the election commands, and their conversion into checked settings:
//! the election bundle read, the policy resolved, the engine options chosen.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::diagnostics::Problem;
use crate::ingest::inputs::{self, Bundle};
use crate::ingest::{Progress, Silent};
use crate::policy::evaluate::{Compat, Dates};
use crate::policy::{self, Policy};

#[derive(Debug, Clone, Args)]
pub struct ElectionArgs {
    /// The election file (election.toml): window, policy and input files.
    #[arg(long, short = 'e', value_name = "FILE")]
    pub election: PathBuf,

    /// A shipped policy name (see `electorate policy list`) or a policy file; overrides
    /// the election file's `policy` [default: the election's, else openstack].
    #[arg(long, short = 'p', value_name = "NAME|FILE")]
    pub policy: Option<String>,

    /// Reproduce the reference tooling's known behaviour to audit a past roll.
    #[arg(long, value_enum, default_value_t = CompatArg::None)]
    pub compat: CompatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompatArg {
    /// This tool's rules (one person, one vote; expiry checked; all extra-ACs read).
    None,
    /// `openstack/election` owners.py: e-mail domains folded only, first change of a
    /// duplicate account dropped, no extra-ATC expiry check, extra-ACs on TC repos
    /// ignored, accounts without a full name left off.
    Reference,
}

impl From<CompatArg> for Compat {
    fn from(arg: CompatArg) -> Self {
        match arg {
            CompatArg::None => Self::None,
            CompatArg::Reference => Self::Reference,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// An election read and a policy chosen, ready for the engine.
pub struct Loaded {
    pub bundle: Bundle,
    pub policy: Policy,
    pub dates: Dates,
    pub compat: Compat,
}

impl ElectionArgs {
    /// Read the election and its inputs and resolve the policy.
    ///
    /// # Errors
    /// An unreadable or invalid election file, an unreadable input, or a bad policy.
    pub fn load(&self, progress: &dyn Progress) -> anyhow::Result<Loaded> {
        let bundle = inputs::load(&self.election, progress)
            .with_context(|| format!("cannot read election {}", self.election.display()))?;
        let name = self
            .policy
            .clone()
            .or_else(|| bundle.election.policy.clone())
            .unwrap_or_else(|| policy::DEFAULT_POLICY.to_owned());
        let policy = policy::resolve(&name)?;
        let dates = Dates {
            window: bundle.election.window,
            as_of: bundle.election.as_of,
        };
        Ok(Loaded {
            bundle,
            policy,
            dates,
            compat: self.compat.into(),
        })
    }

    /// Load without a progress bar.
    ///
    /// # Errors
    /// See [`Self::load`].
    pub fn load_quietly(&self) -> anyhow::Result<Loaded> {
        self.load(&Silent)
    }
}

/// Print problems to stderr, at most `limit` of each severity, with a count of the rest.
pub fn print_problems<'a>(problems: impl Iterator<Item = &'a Problem>, prefix: &str, limit: usize) {
    let mut shown = 0;
    let mut hidden = 0;
    for problem in problems {
        if shown < limit {
            eprintln!("{prefix}: {problem}");
            shown += 1;
        } else {
            hidden += 1;
        }
    }
    if hidden > 0 {
        eprintln!("{prefix}: ... and {hidden} more");
    }
}
