//! `electorate review`: the TC chair's extra-ATC upkeep. Applications are reviewed before
//! they go into governance, the acceptable ones printed as `extra-acs:` blocks ready to
//! paste; `--expiring` lists the entries already there that have expired or soon will.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::cli::Outcome;
use crate::cli::settings::{ElectionArgs, read_applications};
use crate::identity::People;
use crate::policy::Engine;
use crate::report::review::{self as render, ExpiringReport, ReviewReport};
use crate::roll::compare::Step;
use crate::roll::review;

/// Review extra-ATC applications against an election, or list the entries that expire.
///
/// APPLICATIONS is a CSV with the columns `team, name, email`, and `expires-in` or
/// `approved` (the date the TC approved it, YYYY-MM-DD: the entry then expires in the
/// month --valid-for months later), and optionally `comment`, one application per row.
/// Each row gets every code that applies (see docs/codes.md, "Extra-ATC applications"):
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
/// --format yaml prints the acceptable ones as the `extra-acs:` block of each team, in
/// the shape of the governance file it goes in, sorted, ready to paste.
///
/// With --expiring PERIOD instead of APPLICATIONS, lists the governance entries that have
/// expired (extra-atc-expired-listed) or will within PERIOD (extra-atc-expiring) of
/// --as-of (default: today), with file and line, for the chair's clean-up change.
///
/// Exits 0 when every application is `application-ok` (or nothing expires), 1 otherwise.
///
/// Examples:
///   electorate review --election examples/newton-tc/election.toml fixtures/applications.csv
///   electorate review --election examples/newton-tc/election.toml --format yaml \
///       fixtures/applications.csv
///   electorate review --election examples/newton-tc/election.toml \
///       --expiring 60d --as-of 2016-07-01
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// The applications CSV.
    #[arg(value_name = "APPLICATIONS", required_unless_present = "expiring")]
    pub applications: Option<PathBuf>,

    /// Months an approved entry stays valid: it expires in the month this many months
    /// after its approval date.
    #[arg(long, value_name = "MONTHS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub valid_for: u32,

    /// List the governance entries that have expired or will within PERIOD (60d, 8w,
    /// 2months).
    #[arg(long, value_name = "PERIOD", conflicts_with = "applications", value_parser = Step::parse)]
    pub expiring: Option<Step>,

    /// The date --expiring counts from (YYYY-MM-DD) [default: today, UTC].
    #[arg(long, value_name = "DATE", requires = "expiring")]
    pub as_of: Option<chrono::NaiveDate>,

    /// Text lines, CSV or JSON for scripts, or the acceptable applications as YAML.
    #[arg(long, short = 'f', value_enum, default_value_t = ReviewFormat::Table)]
    pub format: ReviewFormat,
}

/// `review --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    #[value(alias = "text")]
    Table,
    Csv,
    Json,
    /// The acceptable applications' `extra-acs:` blocks.
    Yaml,
}

pub(super) fn run(args: &ReviewArgs) -> anyhow::Result<Outcome> {
    let loaded = args.election.load_quietly()?;
    let election = &loaded.election;
    let mut stdout = std::io::stdout().lock();
    if let Some(period) = args.expiring {
        let today = args.as_of.unwrap_or_else(|| {
            chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
        });
        let until = period
            .after(today, 1)
            .ok_or_else(|| anyhow::anyhow!("--expiring reaches past the last date the calendar holds, expected a shorter period"))?;
        let at = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let report = ExpiringReport {
            as_of: today.to_string(),
            until: until.to_string(),
            entries: review::expiring(
                &election.governance,
                &election.sources,
                at(today),
                at(until),
            ),
        };
        match args.format {
            ReviewFormat::Table | ReviewFormat::Yaml => {
                render::write_expiring_text(&report, &mut stdout)?;
            }
            ReviewFormat::Csv => render::write_expiring_csv(&report, &mut stdout)?,
            ReviewFormat::Json => render::write_expiring_json(&report, &mut stdout)?,
        }
        stdout.flush()?;
        return Ok(if report.entries.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Problems
        });
    }
    let Some(path) = &args.applications else {
        anyhow::bail!("no applications file given, expected APPLICATIONS or --expiring PERIOD");
    };
    let applications = read_applications(path)?;
    let people = People::resolve(election, loaded.compat);
    let engine = Engine::new(&loaded.policy, election, &people);
    let evaluation = engine.evaluate(&election.dates);
    let reviewed = review::review(
        &engine,
        &evaluation,
        &election.dates,
        &applications,
        args.valid_for,
    );
    let report = ReviewReport {
        file: path.display().to_string(),
        extra_acs: review::new_entries(&election.governance, &reviewed),
        applications: reviewed,
    };
    match args.format {
        ReviewFormat::Table => render::write_text(&report, &mut stdout)?,
        ReviewFormat::Csv => render::write_csv(&report, &mut stdout)?,
        ReviewFormat::Json => render::write_json(&report, &mut stdout)?,
        ReviewFormat::Yaml => render::write_yaml(&report.extra_acs, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(if report.applications.iter().all(review::Reviewed::ok) {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
