//! `electorate candidacy`: may these people stand? For CI jobs that validate candidacy
//! files: a line per candidate, CSV or JSON on request, exit 1 when anyone is ineligible.

use std::io::Write;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::settings::{ElectionArgs, Format};
use crate::cli::terminal::Terminal;
use crate::identity::People;
use crate::policy::Engine;
use crate::report::candidacy::{self as render, CandidacyReport};
use crate::roll::candidacy;
use crate::roll::explain::{self, Lookup};

/// Check candidates against a roll: TC candidates must be on the TC roll, a team's PTL
/// candidates on that team's roll.
///
/// Each EMAIL (or account id, username, name) is looked up and decided against the roll
/// as `roll` would; the answer carries the decisive code (see docs/codes.md). Exits 0 when
/// every candidate is eligible, 1 when any is not (or matches nobody), 2 when it cannot
/// run.
///
/// Examples:
///   electorate candidacy --election examples/newton-tc/election.toml kenji.okonkwo@example.org
///   electorate candidacy --election examples/newton-tc/election.toml --team Keystone leila.yildiran@example.org
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CandidacyArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// A project team (name or slug): check against its per-team roll instead of the TC's.
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,

    /// The roll to check against when it is not `tc` (or `ptl-<team>` with --team).
    #[arg(long, value_name = "ROLL", conflicts_with = "team")]
    pub roll: Option<String>,

    /// Candidates: addresses, account ids, usernames or names.
    #[arg(value_name = "CANDIDATE", required = true)]
    pub candidates: Vec<String>,

    /// Text lines, or CSV or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(args: &CandidacyArgs, terminal: &Terminal) -> anyhow::Result<Outcome> {
    let loaded = args.election.load_quietly()?;
    if loaded.diagnostics.has_errors() {
        anyhow::bail!("the inputs have problems; run `electorate check` and fix them first");
    }
    let election = &loaded.election;
    let people = People::resolve(election, loaded.compat);
    let engine = Engine::new(&loaded.policy, election, &people);
    let target = candidacy::target(&engine, args.roll.as_deref(), args.team.as_deref())?;
    let evaluation = engine.evaluate(&election.dates);
    let report = CandidacyReport {
        roll: target.name.clone(),
        candidates: candidacy::check(
            &engine,
            &evaluation,
            &election.dates,
            &target,
            &args.candidates,
        ),
    };
    for verdict in &report.candidates {
        if verdict.code == crate::model::Code::CandidateAmbiguous
            && let Lookup::Several(people) | Lookup::Found(people) =
                explain::find(&engine, &verdict.candidate)
        {
            eprintln!(
                "\"{}\" matches {} people; give one of these:",
                verdict.candidate,
                people.len()
            );
            for line in crate::cli::explain::candidates(&engine, &people) {
                eprintln!("  {line}");
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => render::write_text(&report, &terminal.out, &mut stdout)?,
        Format::Csv => render::write_csv(&report, &mut stdout)?,
        Format::Json => render::write_json(&report, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(if report.candidates.iter().all(|v| v.eligible) {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
