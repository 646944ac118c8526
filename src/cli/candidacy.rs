//! `electorate candidacy`: may these people stand? For CI jobs that validate candidacy
//! files: a line per candidate (or per file of a candidates tree), CSV or JSON on request,
//! exit 1 when anyone is ineligible.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::read;
use crate::cli::settings::{ElectionArgs, Format};
use crate::cli::terminal::Terminal;
use crate::identity::People;
use crate::policy::Engine;
use crate::report::candidacy::{self as render, CandidacyReport};
use crate::roll::candidacy;
use crate::roll::explain::{self, Lookup};

/// Check candidates, or a candidates tree, by each roll's candidacy rule.
///
/// The rule is the policy's `candidates`: with the shipped openstack policy, any
/// Foundation member may stand for the TC, a team's APCs (its PTL roll) for its PTL.
/// Each CANDIDATE (an address, account id, username or name) is looked up and decided
/// against the roll, with the decisive code (see docs/codes.md) and what it rests on: the
/// qualifying change with its date and repository, the extra-ATC entry, or the member
/// record.
///
/// With --dir, checks a candidates tree as OpenStack's election repository lays it out,
/// candidates/<release>/<Team_Dir>/<email> (underscores for spaces, TC for the TC):
/// every file is named by an address, in the directory of a team or roll that holds an
/// election, for an eligible candidate. Then each election is listed: leaderless (no
/// eligible candidate), no poll needed (no more candidates than seats: `seats` in the
/// election file, 1 by default), or poll.
///
/// Exits 0 when every candidate (or file) is eligible, 1 when any is not, 2 when it
/// cannot run.
///
/// Examples:
///   electorate candidacy --election examples/newton-tc/election.toml zofia.farouk@example.org
///   electorate candidacy --election examples/newton-tc/election.toml \
///       --team Keystone leila.yildiran@example.org
///   electorate candidacy --election examples/newton-tc/election.toml \
///       --dir examples/newton-tc/candidates/newton
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CandidacyArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// A project team (name or slug): check against its per-team roll instead of the TC's.
    #[arg(long, value_name = "TEAM", conflicts_with = "dir")]
    pub team: Option<String>,

    /// The roll to check against when it is not `tc` (or `ptl-<team>` with --team).
    #[arg(long, value_name = "ROLL", conflicts_with_all = ["team", "dir"])]
    pub roll: Option<String>,

    /// A release directory of a candidates tree (candidates/<release>): check every file.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Candidates: addresses, account ids, usernames or names.
    #[arg(
        value_name = "CANDIDATE",
        required_unless_present = "dir",
        conflicts_with = "dir"
    )]
    pub candidates: Vec<String>,

    /// Text lines, or CSV or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(super) fn run(args: &CandidacyArgs, terminal: &Terminal) -> anyhow::Result<Outcome> {
    let loaded = args.election.load_quietly()?;
    if loaded.diagnostics.has_errors() {
        anyhow::bail!("the inputs have problems; run `electorate check` and fix them first");
    }
    let election = &loaded.election;
    let people = People::resolve(election, loaded.compat);
    let engine = Engine::new(&loaded.policy, election, &people);
    let evaluation = engine.evaluate(&election.dates);
    let mut stdout = std::io::stdout().lock();
    if let Some(dir) = &args.dir {
        let tree = read::candidate_tree(dir)?;
        let checked = candidacy::check_tree(&engine, &evaluation, &election.dates, &tree);
        match args.format {
            Format::Table => render::write_tree_text(&checked, &terminal.out, &mut stdout)?,
            Format::Csv => render::write_tree_csv(&checked, &mut stdout)?,
            Format::Json => render::write_tree_json(&checked, &mut stdout)?,
        }
        stdout.flush()?;
        return Ok(outcome(checked.findings == 0));
    }
    let target = candidacy::target(&engine, args.roll.as_deref(), args.team.as_deref())?;
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
    match args.format {
        Format::Table => render::write_text(&report, &terminal.out, &mut stdout)?,
        Format::Csv => render::write_csv(&report, &mut stdout)?,
        Format::Json => render::write_json(&report, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(outcome(report.candidates.iter().all(|v| v.eligible)))
}

fn outcome(clean: bool) -> Outcome {
    if clean {
        Outcome::Clean
    } else {
        Outcome::Problems
    }
}
