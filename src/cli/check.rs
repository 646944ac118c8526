//! `electorate check`: validate every input of an election, or governance files alone,
//! for CI.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::read;
use crate::cli::settings::{
    ElectionArgs, Format, UserPaths, election_file, election_problems, read_election_quietly,
};
use crate::cli::terminal::Terminal;
use crate::model::{Code, Problem};
use crate::report::check::{self as render, CheckReport};

/// Validate an election's inputs and policy, or governance files on their own.
///
/// Reads the election file, every input it names and the policy, and lists every
/// problem with its location (`file:line:column`, field) and its code. Exits 0 when
/// there are no errors (warnings are printed but do not fail), 1 when there are, 2 when
/// the election file itself cannot be read.
///
/// With --governance (a directory holding projects.yaml, legacy.yaml, sigs-repos.yaml and
/// technical-committee-repos.yaml, or its reference/ directory, or the files themselves),
/// lints them for the governance repository's CI: malformed expires-in months,
/// extra-ATC entries expired at --as-of (default: today) and still listed, one address
/// listed twice in a team, a repository listed twice, repeated YAML keys, teams whose roll
/// files would collide under the openstack policy. Every finding,
/// warnings included, exits 1.
///
/// Examples:
///   electorate check --election examples/newton-tc/election.toml --format json
///   electorate check --governance examples/newton-tc/governance --as-of 2016-03-04
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// Lint governance files alone: a directory of them, or the files.
    #[arg(long, value_name = "DIR|FILE", num_args = 1.., conflicts_with_all = ["election", "policy", "compat"])]
    pub governance: Vec<PathBuf>,

    /// With --governance: the date expiry is checked at (YYYY-MM-DD) [default: today, UTC].
    #[arg(long, value_name = "DATE", requires = "governance")]
    pub as_of: Option<chrono::NaiveDate>,

    /// Problems as text lines, or as CSV or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(super) fn run(args: &CheckArgs, terminal: &Terminal) -> anyhow::Result<Outcome> {
    let (report, paths) = if args.governance.is_empty() {
        check_election(&args.election)?
    } else {
        (lint_governance(args)?, UserPaths::default())
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

fn check_election(args: &ElectionArgs) -> anyhow::Result<(CheckReport, UserPaths)> {
    let file = election_file(args.election.as_deref())?;
    let mut paths = UserPaths::default();
    let report = match read_election_quietly(&file) {
        Ok(read) => {
            paths = UserPaths::of(&read.file);
            let mut problems: Vec<Problem> = read.diagnostics.all().to_vec();
            let name = args
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
    Ok((report, paths))
}

fn lint_governance(args: &CheckArgs) -> anyhow::Result<CheckReport> {
    let read = read::governance(&args.governance)?;
    let policy = crate::policy::builtin(crate::policy::DEFAULT_POLICY)?;
    let today = args.as_of.unwrap_or_else(|| {
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
    });
    let at = today.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let mut problems: Vec<Problem> = read.diagnostics.all().to_vec();
    problems.extend(crate::roll::lint::lint_governance(
        &policy,
        &read.governance,
        &read.sources,
        at,
    ));
    // In the order the files were read, then by place.
    let order = |file: &str| read.inputs.iter().position(|i| i.path == file);
    problems.sort_by(|a, b| {
        (order(&a.file), a.line, a.column).cmp(&(order(&b.file), b.line, b.column))
    });
    let mut report = CheckReport::new(read.inputs, problems);
    // For the governance repository's CI every finding counts, warnings included.
    report.ok = report.problems.is_empty();
    Ok(report)
}
