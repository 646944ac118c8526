//! Flags shared by the election commands, and the loading step that turns them into checked
//! settings: the election read into the model, the policy resolved, the compatibility rules
//! chosen. This is the only place outside `ingest` that talks to the readers.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::ingest::inputs::{self, LoadError};
use crate::ingest::{Progress, Silent};
use crate::model::{Compat, Diagnostics, Election, Problem};
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

    /// Reproduce the reference tooling (openstack/election owners.py) to audit a past roll:
    /// `reference` as it is now, `reference@YYYY-MM-DD` as it was on that date (see
    /// docs/compat.md), `none` for this tool's rules.
    #[arg(long, value_name = "MODE", default_value = "none", value_parser = parse_compat)]
    pub compat: Compat,
}

/// `--compat`: `none`, `reference` (the reference tooling as it is now) or
/// `reference@YYYY-MM-DD` (as it was on that date).
pub(crate) fn parse_compat(text: &str) -> Result<Compat, String> {
    Compat::parse(text)
}

/// Output formats: a table or text lines for people, CSV or JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[value(alias = "text")]
    Table,
    Csv,
    Json,
}

/// An election read and a policy chosen, ready for identity and the engine.
pub struct Loaded {
    pub election: Election,
    /// Every file the election reads (the election file first), for the writer to protect.
    pub input_paths: Vec<PathBuf>,
    pub diagnostics: Diagnostics,
    pub policy: Policy,
    pub compat: Compat,
}

impl ElectionArgs {
    /// Read the election and its inputs and resolve the policy.
    ///
    /// # Errors
    /// An unreadable or invalid election file, an unreadable input, or a bad policy.
    pub fn load(&self, progress: &dyn Progress) -> anyhow::Result<Loaded> {
        let read = read_election(&self.election, progress)?;
        let name = self
            .policy
            .clone()
            .or_else(|| read.election.policy.clone())
            .unwrap_or_else(|| policy::DEFAULT_POLICY.to_owned());
        let policy = policy::resolve(&name)?;
        let mut input_paths = vec![read.file.file.path.clone()];
        input_paths.extend(read.file.inputs.paths());
        Ok(Loaded {
            election: read.election,
            input_paths,
            diagnostics: read.diagnostics,
            policy,
            compat: self.compat,
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

/// Read an election file and its inputs, with the file named once in any error.
///
/// # Errors
/// An unreadable or invalid election file, or an unreadable input.
pub(super) fn read_election(
    path: &std::path::Path,
    progress: &dyn Progress,
) -> anyhow::Result<inputs::Loaded> {
    inputs::load(path, progress).with_context(|| format!("cannot read election {}", path.display()))
}

/// [`read_election`] without a progress bar.
///
/// # Errors
/// See [`read_election`].
pub(super) fn read_election_quietly(path: &std::path::Path) -> anyhow::Result<inputs::Loaded> {
    read_election(path, &Silent)
}

/// Read the TC chair's extra-ATC applications.
///
/// # Errors
/// The file cannot be read, or its header or a row is malformed.
pub(super) fn read_applications(
    path: &std::path::Path,
) -> anyhow::Result<Vec<crate::model::Application>> {
    let file = path.display().to_string();
    Ok(crate::ingest::applications::read(
        &crate::ingest::InputPath::new(path, file),
    )?)
}

/// Whether an election file could not be read because of problems inside it (listed), as
/// opposed to a file that cannot be opened.
#[must_use]
pub(super) fn election_problems(err: &anyhow::Error) -> Option<&Diagnostics> {
    match err.downcast_ref::<LoadError>() {
        Some(LoadError::Election(diagnostics)) => Some(diagnostics),
        _ => None,
    }
}

/// Print problems to stderr, at most `limit` of each severity, with a count of the rest.
pub(super) fn print_problems<'a>(
    problems: impl Iterator<Item = &'a Problem>,
    prefix: &str,
    limit: usize,
) {
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

/// Stop when the inputs have errors, listing them all, unless the official chose to go on
/// without the broken rows (then the first few are shown, and all are in the manifest).
///
/// # Errors
/// The inputs have errors and `skip_bad_rows` is off.
pub(super) fn stop_on_errors(diagnostics: &Diagnostics, skip_bad_rows: bool) -> anyhow::Result<()> {
    if !diagnostics.has_errors() {
        return Ok(());
    }
    let count = diagnostics.errors().count();
    if skip_bad_rows {
        print_problems(diagnostics.errors(), "skipped", 20);
        return Ok(());
    }
    print_problems(diagnostics.errors(), "error", usize::MAX);
    anyhow::bail!(
        "{count} problem{} in the inputs; no roll was written\nhint: fix the rows, or pass --skip-bad-rows to leave them out knowingly (they are then listed in manifest.json)",
        if count == 1 { "" } else { "s" }
    )
}
