//! `electorate check`: validate every input of an election, for CI.

use std::io::Write;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::settings::{
    ElectionArgs, Format, UserPaths, election_file, election_problems, read_election_quietly,
};
use crate::cli::terminal::Terminal;
use crate::model::{Code, Problem};
use crate::report::check::{self as render, CheckReport};

/// Validate an election's inputs and policy.
///
/// Reads the election file, every input it names and the policy, and lists every
/// problem with its location (`file:line:column`, field) and its code. Exits 0 when
/// there are no errors (warnings are printed but do not fail), 1 when there are, 2 when
/// the election file itself cannot be read.
///
/// Example:
///   electorate check --election examples/newton-tc/election.toml --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// Problems as text lines, or as CSV or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(args: &CheckArgs, terminal: &Terminal) -> anyhow::Result<Outcome> {
    let file = election_file(args.election.election.as_deref())?;
    let mut paths = UserPaths::default();
    let report = match read_election_quietly(&file) {
        Ok(read) => {
            paths = UserPaths::of(&read.file);
            let mut problems: Vec<Problem> = read.diagnostics.all().to_vec();
            let name = args
                .election
                .policy
                .clone()
                .or_else(|| read.election.policy.clone())
                .unwrap_or_else(|| crate::policy::DEFAULT_POLICY.to_owned());
            match crate::policy::resolve(&name) {
                Ok(policy) => {
                    problems.extend(crate::roll::name_collisions(&policy, &read.election));
                }
                Err(crate::policy::PolicyError::Invalid {
                    problems: found, ..
                }) => {
                    problems.extend(found);
                }
                Err(other) => problems.push(
                    Problem::error(
                        Code::ConfigInvalidValue,
                        read.election.inputs[0].path.clone(),
                        other.to_string(),
                    )
                    .in_field("election.policy"),
                ),
            }
            CheckReport::new(read.election.inputs, problems)
        }
        Err(err) => match election_problems(&err) {
            Some(diagnostics) => CheckReport::new(Vec::new(), diagnostics.all().to_vec()),
            None => return Err(err),
        },
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            // For a person, files as they would open them from here; CSV and JSON keep
            // the names the election file gives, as the manifest does.
            let shown = CheckReport {
                problems: report.problems.iter().map(|p| paths.show(p)).collect(),
                ..report.clone()
            };
            render::write_text(&shown, &terminal.out, &mut stdout)?;
        }
        Format::Csv => render::write_csv(&report, &mut stdout)?,
        Format::Json => render::write_json(&report, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(if report.ok {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
