//! `electorate review APPLICATIONS`: the TC chair's look at extra-ATC applications before
//! they go into governance: is the team real, the address plausible, the expiry sensible,
//! the applicant a member, and do they not already qualify (or already have an entry)?

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::cli::Outcome;
use crate::cli::settings::{ElectionArgs, Format};
use crate::diagnostics::LineCounter;
use crate::identity::Record;
use crate::ingest::changes::is_plausible_email;
use crate::model::{Month, format_instant};
use crate::policy::evaluate::{Engine, Inputs};

/// Review extra-ATC applications against an election.
///
/// APPLICATIONS is a CSV with the columns `team, name, email, expires-in` and optionally
/// `comment`, one application per row, as they would be added to governance. Each row gets
/// a verdict:
///
///   ok                  nothing stands in the way
///   already-atc         the applicant already qualifies in that team by code (redundant)
///   already-listed      an entry for this address and team already exists
///   not-member          not on the membership list: the status would not give a vote
///   unknown-team        no such team, SIG or TC in the governance files
///   bad-email           the address is not an address
///   bad-expiry          `expires-in` is not a month
///   expires-before-election  the entry would already be expired at the window end
///   expires-too-late    more than 13 months after the window end
///
/// Exits 0 when every application is `ok`, 1 otherwise.
///
/// Example:
///   electorate review --election examples/newton-tc/election.toml applications.csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// The applications CSV.
    #[arg(value_name = "APPLICATIONS")]
    pub applications: PathBuf,

    /// Text lines, or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Serialize)]
struct Reviewed {
    line: u64,
    team: String,
    name: String,
    email: String,
    expires_in: String,
    verdicts: Vec<&'static str>,
    notes: Vec<String>,
}

pub fn run(args: &ReviewArgs) -> anyhow::Result<Outcome> {
    let loaded = args.election.load_quietly()?;
    let bundle = &loaded.bundle;
    let engine = Engine::new(&loaded.policy, Inputs::of(bundle), loaded.compat);
    let evaluation = engine.evaluate(&loaded.dates);
    let text = std::fs::read_to_string(&args.applications)
        .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", args.applications.display()))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let header_record = reader.headers().map_err(|err| {
        let line = err
            .position()
            .map_or(1, |position| lines.record_line(position.byte()));
        anyhow::anyhow!(
            "{}:{line}: cannot read the header: {err}",
            args.applications.display()
        )
    })?;
    let header_line = header_record
        .position()
        .map_or(1, |position| lines.record_line(position.byte()));
    let header: Vec<String> = header_record
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name || h.replace('_', "-") == name)
    };
    let (Some(team_col), Some(name_col), Some(email_col), Some(expires_col)) = (
        column("team"),
        column("name"),
        column("email"),
        column("expires-in"),
    ) else {
        anyhow::bail!(
            "{}:{header_line}: expected the columns team, name, email, expires-in (found: {})",
            args.applications.display(),
            header.join(", ")
        );
    };
    let window_end = loaded.dates.window.end;
    let mut reviewed = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| {
            let line = err
                .position()
                .map_or(0, |position| lines.record_line(position.byte()));
            anyhow::anyhow!(
                "{}:{line}: malformed CSV: {err}",
                args.applications.display()
            )
        })?;
        let line = record
            .position()
            .map_or(0, |position| lines.record_line(position.byte()));
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let (team, name, email, expires_in) = (
            field(team_col),
            field(name_col),
            field(email_col),
            field(expires_col),
        );
        let mut verdicts = Vec::new();
        let mut notes = Vec::new();
        let team_idx = bundle.governance.teams.iter().position(|t| {
            t.name.eq_ignore_ascii_case(&team) || t.slug == crate::ingest::governance::slug(&team)
        });
        if team_idx.is_none() {
            verdicts.push("unknown-team");
        }
        if !is_plausible_email(&email) {
            verdicts.push("bad-email");
        }
        match Month::parse(&expires_in) {
            Err(message) => {
                verdicts.push("bad-expiry");
                notes.push(message);
            }
            Ok(month) => {
                if window_end >= month.first_instant() {
                    verdicts.push("expires-before-election");
                    notes.push(format!(
                        "expired from {}, the window ends {}",
                        format_instant(month.first_instant()),
                        format_instant(window_end)
                    ));
                } else if month > Month::of(window_end + chrono::Months::new(13)) {
                    verdicts.push("expires-too-late");
                    notes.push(format!(
                        "{month} is more than 13 months after the window end"
                    ));
                }
            }
        }
        if let Some(person) = engine.people.by_email(&email) {
            let team = team_idx
                .map(|t| crate::ingest::governance::TeamIdx(u32::try_from(t).unwrap_or(u32::MAX)));
            let grants = evaluation.of(person);
            if grants.iter().any(|g| {
                g.extra_atc.is_none()
                    && g.team.is_some()
                    && g.team == team
                    && engine.policy.statuses[g.status].id == "atc"
            }) {
                verdicts.push("already-atc");
                let count: u32 = grants
                    .iter()
                    .filter(|g| g.extra_atc.is_none() && g.team == team)
                    .map(|g| g.count)
                    .sum();
                notes.push(format!(
                    "{count} qualifying change{} in the team already",
                    if count == 1 { "" } else { "s" }
                ));
            }
            let listed = engine
                .people
                .person(person)
                .records
                .iter()
                .any(|r| match *r {
                    Record::ExtraAtc(e) => bundle
                        .governance
                        .extra_atcs
                        .get(e)
                        .is_some_and(|x| Some(x.team.index()) == team_idx),
                    _ => false,
                });
            if listed {
                verdicts.push("already-listed");
            }
            if bundle.members.is_some() && engine.profiles[person.index()].member.is_none() {
                verdicts.push("not-member");
            }
        } else if let Some(members) = &bundle.members {
            let folded = engine.people.folding.fold(&email);
            let member = members.members.iter().any(|m| {
                m.emails
                    .iter()
                    .any(|e| engine.people.folding.fold(e) == folded)
            });
            if !member {
                verdicts.push("not-member");
            }
        }
        if verdicts.is_empty() {
            verdicts.push("ok");
        }
        reviewed.push(Reviewed {
            line,
            team,
            name,
            email,
            expires_in,
            verdicts,
            notes,
        });
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Json => write!(stdout, "{}", crate::report::roll::to_json(&reviewed)?)?,
        Format::Table | Format::Csv => {
            let file = args.applications.display();
            for r in &reviewed {
                let notes = if r.notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", r.notes.join("; "))
                };
                writeln!(
                    stdout,
                    "{file}:{}: {} <{}> for {}, expires in {}: {}{notes}",
                    r.line,
                    r.name,
                    r.email,
                    r.team,
                    r.expires_in,
                    r.verdicts.join(", ")
                )?;
            }
        }
    }
    stdout.flush()?;
    Ok(if reviewed.iter().all(|r| r.verdicts == ["ok"]) {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
