//! Flags shared by the election commands, and the loading step that turns them into checked
//! settings: the election read into the model, the policy resolved, the compatibility rules
//! chosen. This is the only place outside `ingest` that talks to the readers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::cli::terminal::Terminal;
use crate::ingest::election::ElectionFile;
use crate::ingest::inputs::{self, LoadError};
use crate::ingest::{Progress, Silent};
use crate::model::{Compat, Diagnostics, Election, Problem};
use crate::policy::{self, Policy};

/// The variable that names the election file when `--election` is not given.
pub(super) const ELECTION_VARIABLE: &str = "ELECTORATE_ELECTION";

/// The file looked for in the current directory when neither `--election` nor
/// [`ELECTION_VARIABLE`] names one.
pub(super) const ELECTION_FILE: &str = "election.toml";

#[derive(Debug, Clone, Args)]
pub struct ElectionArgs {
    /// The election file: window, policy and input files [default: $ELECTORATE_ELECTION,
    /// else election.toml in the current directory].
    #[arg(long, short = 'e', value_name = "FILE")]
    pub election: Option<PathBuf>,

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

/// The election file to read: `--election`, else [`ELECTION_VARIABLE`], else
/// [`ELECTION_FILE`] in the current directory; a choice the user did not type is said on
/// standard error.
///
/// # Errors
/// None of the three names a file.
pub(super) fn election_file(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    let (file, note) = choose_election_file(
        given,
        std::env::var_os(ELECTION_VARIABLE).filter(|v| !v.is_empty()),
        Path::new(ELECTION_FILE).is_file(),
    )?;
    if let Some(note) = note {
        eprintln!("{note}");
    }
    Ok(file)
}

/// [`election_file`]'s decision, without the environment: the file and what to say
/// about a choice the user did not type.
///
/// # Errors
/// None of the three names a file.
pub(super) fn choose_election_file(
    given: Option<&Path>,
    variable: Option<std::ffi::OsString>,
    here: bool,
) -> anyhow::Result<(PathBuf, Option<String>)> {
    if let Some(given) = given {
        return Ok((given.to_path_buf(), None));
    }
    if let Some(value) = variable {
        let file = PathBuf::from(value);
        let note = format!(
            "using election file {} (from {ELECTION_VARIABLE})",
            file.display()
        );
        return Ok((file, Some(note)));
    }
    if here {
        return Ok((
            PathBuf::from(ELECTION_FILE),
            Some(format!(
                "using election file {ELECTION_FILE} (in the current directory)"
            )),
        ));
    }
    anyhow::bail!(
        "no election file: --election is not given, {ELECTION_VARIABLE} is not set and there is no {ELECTION_FILE} in the current directory\nhint: pass --election FILE, or run where the election's {ELECTION_FILE} is"
    )
}

/// Input files as the user would name them from the current directory. Problems record an
/// input by its name in the election file (relative to it), which is what manifests keep;
/// messages on the terminal show the path that opens from where the command ran.
#[derive(Debug, Clone, Default)]
pub struct UserPaths {
    by_name: HashMap<String, String>,
}

impl UserPaths {
    /// The inputs of an election file.
    #[must_use]
    pub fn of(file: &ElectionFile) -> Self {
        let by_name = file
            .inputs
            .named()
            .map(|input| (input.display.clone(), input.shown()))
            .collect();
        Self { by_name }
    }

    /// A problem with its file as the user would name it.
    #[must_use]
    pub fn show(&self, problem: &Problem) -> Problem {
        let mut shown = problem.clone();
        if let Some(path) = self.by_name.get(&problem.file) {
            shown.file.clone_from(path);
        }
        // Another place the message names ("... (at gerrit/changes.csv:202)").
        for (name, path) in &self.by_name {
            if name != path && shown.message.contains(name.as_str()) {
                shown.message = replace_places(&shown.message, name, path);
            }
        }
        shown
    }
}

/// `text` with each `name:` that starts a word (after a space or an opening parenthesis)
/// written as `path:`.
fn replace_places(text: &str, name: &str, path: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = rest.find(name) {
        let before = rest[..found].chars().next_back();
        let starts = before.is_none_or(|c| c == ' ' || c == '(');
        let place = rest[found + name.len()..].starts_with(':');
        out.push_str(&rest[..found]);
        out.push_str(if starts && place { path } else { name });
        rest = &rest[found + name.len()..];
    }
    out.push_str(rest);
    out
}

/// An election read and a policy chosen, ready for identity and the engine.
pub struct Loaded {
    /// The election file read.
    pub file: PathBuf,
    /// Its inputs as the user would name them, for messages.
    pub paths: UserPaths,
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
        let file = election_file(self.election.as_deref())?;
        let read = read_election(&file, progress)?;
        let name = self
            .policy
            .clone()
            .or_else(|| read.election.policy.clone())
            .unwrap_or_else(|| policy::DEFAULT_POLICY.to_owned());
        let policy = policy::resolve(&name)?;
        let mut input_paths = vec![read.file.file.path.clone()];
        input_paths.extend(read.file.inputs.paths());
        Ok(Loaded {
            file,
            paths: UserPaths::of(&read.file),
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

/// Read an election file and its inputs. Errors name the file they are about once (the
/// readers do), as the user would name it.
///
/// # Errors
/// An unreadable or invalid election file, or an unreadable input.
pub(super) fn read_election(
    path: &Path,
    progress: &dyn Progress,
) -> anyhow::Result<inputs::Loaded> {
    Ok(inputs::load(path, progress)?)
}

/// [`read_election`] without a progress bar.
///
/// # Errors
/// See [`read_election`].
pub(super) fn read_election_quietly(path: &Path) -> anyhow::Result<inputs::Loaded> {
    read_election(path, &Silent)
}

/// Read the TC chair's extra-ATC applications.
///
/// # Errors
/// The file cannot be read, or its header or a row is malformed.
pub(super) fn read_applications(path: &Path) -> anyhow::Result<Vec<crate::model::Application>> {
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

/// Print problems to stderr, at most `limit`, with a count of the rest: each after its
/// label (`error`, `warning`, coloured on a terminal), its file as the user names it.
pub(super) fn print_problems<'a>(
    problems: impl Iterator<Item = &'a Problem>,
    prefix: &str,
    limit: usize,
    terminal: &Terminal,
    paths: &UserPaths,
) {
    let mut shown = 0;
    let mut hidden = 0;
    let label = terminal.label(prefix);
    for problem in problems {
        if shown < limit {
            eprintln!("{label}: {}", paths.show(problem));
            shown += 1;
        } else {
            hidden += 1;
        }
    }
    if hidden > 0 {
        eprintln!("{label}: ... and {hidden} more");
    }
}

/// Stop when the inputs have errors, listing them all, unless the official chose to go on
/// without the broken rows (then the first few are shown, and all are in the manifest).
///
/// # Errors
/// The inputs have errors and `skip_bad_rows` is off.
pub(super) fn stop_on_errors(
    loaded: &Loaded,
    skip_bad_rows: bool,
    terminal: &Terminal,
) -> anyhow::Result<()> {
    let diagnostics = &loaded.diagnostics;
    if !diagnostics.has_errors() {
        return Ok(());
    }
    let count = diagnostics.errors().count();
    if skip_bad_rows {
        print_problems(diagnostics.errors(), "skipped", 20, terminal, &loaded.paths);
        return Ok(());
    }
    print_problems(
        diagnostics.errors(),
        "error",
        usize::MAX,
        terminal,
        &loaded.paths,
    );
    anyhow::bail!(
        "{count} problem{} in the inputs; no roll was written\nhint: fix the rows, or pass --skip-bad-rows to leave them out knowingly (they are then listed in manifest.json)",
        if count == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::replace_places;

    #[test]
    fn places_in_messages_are_named_from_here_and_only_whole_names() {
        assert_eq!(
            replace_places(
                "differs from \"x\" (at changes.csv:202) and gerrit/changes.csv:3, changes.csv",
                "changes.csv",
                "examples/changes.csv",
            ),
            "differs from \"x\" (at examples/changes.csv:202) and gerrit/changes.csv:3, changes.csv"
        );
    }
}
