//! `electorate candidacy`: may these people stand? For CI jobs that validate candidacy
//! files: a line per candidate, JSON on request, exit 1 when anyone is ineligible.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::Outcome;
use crate::cli::settings::{ElectionArgs, Format};
use crate::policy::evaluate::{Engine, Inputs};
use crate::roll::explain::{self, Lookup};
use crate::roll::{Decision, decisive, instances, not_built};

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

    /// Text lines, or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Serialize)]
struct Verdict {
    candidate: String,
    roll: String,
    eligible: bool,
    code: String,
    person: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

pub fn run(args: &CandidacyArgs) -> anyhow::Result<Outcome> {
    let loaded = args.election.load_quietly()?;
    let bundle = &loaded.bundle;
    if bundle.diagnostics.has_errors() {
        anyhow::bail!("the inputs have problems; run `electorate check` and fix them first");
    }
    let engine = Engine::new(&loaded.policy, Inputs::of(bundle), loaded.compat);
    let roll_name = match (&args.roll, &args.team) {
        (Some(roll), _) => roll.clone(),
        (None, Some(team)) => {
            let wanted = crate::ingest::governance::slug(team);
            let Some((_, found)) = bundle
                .governance
                .project_teams()
                .find(|(_, t)| t.slug == wanted)
            else {
                let names: Vec<&str> = bundle
                    .governance
                    .project_teams()
                    .map(|(_, t)| t.name.as_str())
                    .collect();
                anyhow::bail!(
                    "no project team \"{team}\" in the governance files, expected one of {}",
                    names.join(", ")
                );
            };
            // The per-team roll built for this team (rolls may be limited to teams led
            // one way); else the first, whose absence is then explained below.
            let per_team: Vec<&crate::policy::RollDef> = loaded
                .policy
                .rolls
                .iter()
                .filter(|r| r.per == crate::policy::Per::Team)
                .collect();
            let name_for = |def: &crate::policy::RollDef| format!("{}-{}", def.id, found.slug);
            let built = per_team.iter().find(|def| {
                instances(&engine, def)
                    .iter()
                    .any(|(name, _)| *name == name_for(def))
            });
            match built.or(per_team.first()) {
                Some(def) => name_for(def),
                None => anyhow::bail!("policy \"{}\" has no per-team roll", loaded.policy.name),
            }
        }
        (None, None) => "tc".to_owned(),
    };
    let target = loaded
        .policy
        .rolls
        .iter()
        .flat_map(|def| {
            instances(&engine, def)
                .into_iter()
                .map(move |(name, team)| (def, name, team))
        })
        .find(|(_, name, _)| *name == roll_name);
    let Some((def, _, team)) = target else {
        if let Some(unbuilt) = loaded
            .policy
            .rolls
            .iter()
            .flat_map(|def| not_built(&engine, def))
            .find(|unbuilt| unbuilt.name == roll_name)
        {
            anyhow::bail!(
                "roll \"{roll_name}\" is not built: {} (team {})",
                unbuilt.reason,
                unbuilt.team
            );
        }
        anyhow::bail!(
            "policy \"{}\" has no roll \"{roll_name}\"",
            loaded.policy.name
        );
    };
    let evaluation = engine.evaluate(&loaded.dates);
    let mut verdicts = Vec::new();
    for candidate in &args.candidates {
        let verdict = match explain::find(&engine, candidate) {
            Lookup::Found(people) if people.len() == 1 => {
                let person = people[0];
                let profile = &engine.profiles[person.index()];
                let decision = decisive(&engine, &evaluation, &loaded.dates, person, def, team);
                let (eligible, code) = match decision {
                    Decision::On(_) => (true, "on-roll".to_owned()),
                    Decision::Off(code) => (false, code.code.to_owned()),
                };
                Verdict {
                    candidate: candidate.clone(),
                    roll: roll_name.clone(),
                    eligible,
                    code,
                    person: Some(profile.key.clone()),
                    name: profile.name.clone(),
                    email: profile.email.clone(),
                }
            }
            Lookup::Found(_) => Verdict {
                candidate: candidate.clone(),
                roll: roll_name.clone(),
                eligible: false,
                code: "ambiguous".to_owned(),
                person: None,
                name: None,
                email: None,
            },
            Lookup::NotFound(_) => Verdict {
                candidate: candidate.clone(),
                roll: roll_name.clone(),
                eligible: false,
                code: "not-found".to_owned(),
                person: None,
                name: None,
                email: None,
            },
        };
        verdicts.push(verdict);
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Json => write!(stdout, "{}", crate::report::roll::to_json(&verdicts)?)?,
        Format::Table | Format::Csv => {
            for v in &verdicts {
                let who = v
                    .name
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                let mark = if v.eligible {
                    "eligible"
                } else {
                    "NOT eligible"
                };
                writeln!(
                    stdout,
                    "{}{who}: {mark} for {} ({})",
                    v.candidate, v.roll, v.code
                )?;
            }
        }
    }
    stdout.flush()?;
    Ok(if verdicts.iter().all(|v| v.eligible) {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
