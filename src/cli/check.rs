//! `electorate check`: validate every input of an election, for CI.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::Outcome;
use crate::cli::settings::{ElectionArgs, Format};
use crate::diagnostics::Problem;
use crate::ingest::inputs::InputFile;

/// Validate an election's inputs and policy.
///
/// Reads the election file, every input it names and the policy, and lists every
/// problem with its location (`file:line:column`, field). Exits 0 when there are no
/// errors (warnings are printed but do not fail), 1 when there are, 2 when the election
/// file itself cannot be read.
///
/// Example:
///   electorate check --election examples/newton-tc/election.toml --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// Problems as text lines, or as JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    errors: usize,
    warnings: usize,
    inputs: &'a [InputFile],
    problems: Vec<&'a Problem>,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let bundle = match crate::ingest::inputs::load(&args.election.election, &crate::ingest::Silent)
    {
        Ok(bundle) => bundle,
        Err(crate::ingest::inputs::LoadError::Election(diagnostics)) => {
            return report_only(
                args.format,
                &diagnostics.all().iter().collect::<Vec<_>>(),
                &[],
            );
        }
        Err(err) => {
            return Err(anyhow::Error::new(err).context(format!(
                "cannot read election {}",
                args.election.election.display()
            )));
        }
    };
    let mut problems: Vec<Problem> = bundle.diagnostics.all().to_vec();
    let name = args
        .election
        .policy
        .clone()
        .or_else(|| bundle.election.policy.clone())
        .unwrap_or_else(|| crate::policy::DEFAULT_POLICY.to_owned());
    match crate::policy::resolve(&name) {
        Ok(policy) => problems.extend(crate::roll::name_collisions(
            &policy,
            &bundle.governance,
            &bundle.sources,
        )),
        Err(crate::policy::PolicyError::Invalid {
            problems: policy_problems,
            ..
        }) => problems.extend(policy_problems),
        Err(other) => problems.push(
            Problem::error(bundle.election.file.display.clone(), other.to_string())
                .in_field("election.policy"),
        ),
    }
    let refs: Vec<&Problem> = problems.iter().collect();
    report_only(args.format, &refs, &bundle.files)
}

fn report_only(
    format: Format,
    problems: &[&Problem],
    inputs: &[InputFile],
) -> anyhow::Result<Outcome> {
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => {
            let report = Report {
                ok: errors == 0,
                errors,
                warnings,
                inputs,
                problems: problems.to_vec(),
            };
            write!(stdout, "{}", crate::report::roll::to_json(&report)?)?;
        }
        Format::Table | Format::Csv => {
            for problem in problems {
                let level = if problem.is_error() {
                    "error"
                } else {
                    "warning"
                };
                writeln!(stdout, "{level}: {problem}")?;
            }
            let files = inputs.len();
            writeln!(
                stdout,
                "{} file{} checked: {errors} error{}, {warnings} warning{}",
                files,
                if files == 1 { "" } else { "s" },
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            )?;
        }
    }
    stdout.flush()?;
    Ok(if errors == 0 {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
