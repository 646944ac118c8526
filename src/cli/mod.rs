//! The command line: flag definitions, one file per subcommand, and the mapping from
//! outcomes to exit codes. This is the only module that knows about terminals, progress
//! bars and where output files go.

mod candidacy;
mod check;
mod compare;
mod completions;
mod diff;
mod digest;
mod explain;
mod fetch;
mod man;
mod optional;
mod policy;
mod progress;
mod read;
mod results;
mod review;
mod roll;
mod settings;
pub mod tally;
pub mod terminal;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cli::terminal::{ColorChoice, Terminal};
use crate::report::style::Meaning;

/// Electorate rolls, policy what-ifs and election tallies for open-source governance.
#[derive(Debug, Parser)]
#[command(name = "electorate", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Colour for meaning (eligible or not, gained or lost, errors): auto colours a
    /// terminal unless NO_COLOR is set or TERM=dumb; always also gives a pipe the
    /// terminal's look (box-drawn tables where the locale is UTF-8).
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Roll(roll::RollArgs),
    Explain(explain::ExplainArgs),
    Compare(compare::CompareArgs),
    Check(check::CheckArgs),
    Candidacy(candidacy::CandidacyArgs),
    Review(review::ReviewArgs),
    Diff(diff::DiffArgs),
    Digest(digest::DigestArgs),
    Results(results::ResultsArgs),
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    Tally(tally::TallyArgs),
    #[command(subcommand)]
    Fetch(fetch::FetchCommand),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
}

/// What a command found, as opposed to whether it could run at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Ran and found nothing wrong: exit 0.
    Clean,
    /// Ran, but found problems (invalid inputs, an ineligible candidate): exit 1.
    Problems,
}

/// Parse the command line, run, print an error once, return the exit code:
/// 0 success, 1 ran but found problems, 2 could not run.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let terminal = Terminal::detect(cli.color);
    match run(cli, &terminal) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("{}: {err:#}", terminal.err.paint(Meaning::Bad, "error"));
            ExitCode::from(2)
        }
    }
}

/// Run one parsed command.
///
/// # Errors
/// Any failure that stops the command from running (exit code 2).
pub fn run(cli: Cli, terminal: &Terminal) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Roll(args) => roll::run(&args, terminal),
        Command::Explain(args) => explain::run(&args, terminal),
        Command::Compare(args) => compare::run(&args, terminal),
        Command::Check(args) => check::run(&args, terminal),
        Command::Candidacy(args) => candidacy::run(&args, terminal),
        Command::Review(args) => review::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Digest(args) => digest::run(&args),
        Command::Results(args) => results::run(&args),
        Command::Policy(command) => policy::run(&command, terminal),
        Command::Tally(args) => tally::run(&args, terminal),
        Command::Fetch(command) => fetch::run(&command),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
