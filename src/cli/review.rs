//! `electorate review APPLICATIONS`: the TC chair's look at extra-ATC applications before
//! they go into governance.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::settings::{ElectionArgs, Format, read_applications};
use crate::identity::People;
use crate::policy::Engine;
use crate::report::review::{self as render, ReviewReport};
use crate::roll::review;

/// Review extra-ATC applications against an election.
///
/// APPLICATIONS is a CSV with the columns `team, name, email, expires-in` and optionally
/// `comment`, one application per row, as they would be added to governance. Each row gets
/// every code that applies (see docs/codes.md, "Extra-ATC applications"):
///
///   application-ok                   nothing stands in the way
///   application-already-atc          already qualifies in that team by code (redundant)
///   application-already-listed       an entry for this address and team already exists
///   application-not-member           not on the membership list: no vote would follow
///   application-unknown-team         no such team, SIG or TC in the governance files
///   application-bad-email            the address is not an address
///   application-bad-expiry           `expires-in` is not a month
///   application-expires-before-election  already expired at the window end
///   application-expires-too-late     more than 13 months after the window end
///
/// Exits 0 when every application is `application-ok`, 1 otherwise.
///
/// Example:
///   electorate review --election examples/newton-tc/election.toml fixtures/applications.csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// The applications CSV.
    #[arg(value_name = "APPLICATIONS")]
    pub applications: PathBuf,

    /// Text lines, or CSV or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(super) fn run(args: &ReviewArgs) -> anyhow::Result<Outcome> {
    let loaded = args.election.load_quietly()?;
    let file = args.applications.display().to_string();
    let applications = read_applications(&args.applications)?;
    let election = &loaded.election;
    let people = People::resolve(election, loaded.compat);
    let engine = Engine::new(&loaded.policy, election, &people);
    let evaluation = engine.evaluate(&election.dates);
    let report = ReviewReport {
        file,
        applications: review::review(&engine, &evaluation, &election.dates, &applications),
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => render::write_text(&report, &mut stdout)?,
        Format::Csv => render::write_csv(&report, &mut stdout)?,
        Format::Json => render::write_json(&report, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(if report.applications.iter().all(review::Reviewed::ok) {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
