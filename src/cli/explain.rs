//! `electorate explain WHO`: why a person is on or off each roll.

use std::io::Write;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::progress::{Bar, thousands};
use crate::cli::settings::{ElectionArgs, Format};
use crate::cli::terminal::Terminal;
use crate::policy::Engine;
use crate::report::explain as render;
use crate::roll::explain::{self, Explained, Lookup};

/// Explain why someone is on or off each roll.
///
/// WHO is an e-mail address, a Gerrit account id, a username or a full name. Shows every
/// contribution seen, which qualified and, for the others, why not (outside the window
/// and by how much, repository not governed, not merged), the statuses earned or missed,
/// and each roll with its decisive reason as a stable code (see docs/codes.md).
///
/// WHO may also be a part of one person's name, username or address ("Zofia"); when it is
/// a part of several people's, they are listed to choose from.
///
/// Exits 1 when WHO matches nobody (after suggesting close matches) or several people.
///
/// Example:
///   electorate explain --election examples/newton-tc/election.toml zofia.farouk@example.org
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// Who to explain: address, account id, username or name.
    #[arg(value_name = "WHO")]
    pub who: String,

    /// Text for people; CSV (one row per change and criterion) or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(super) fn run(args: &ExplainArgs, terminal: &Terminal) -> anyhow::Result<Outcome> {
    let bar = Bar::new(terminal);
    let loaded = args.election.load(&bar)?;
    let count = loaded.diagnostics.errors().count();
    if count > 0 {
        eprintln!(
            "warning: {count} input row{} could not be read and are left out of this explanation; run `electorate check` for the list",
            if count == 1 { "" } else { "s" }
        );
    }
    let election = &loaded.election;
    let people = bar.resolve_people(election, loaded.compat);
    let engine = Engine::new(&loaded.policy, election, &people);
    let found = match explain::find(&engine, &args.who) {
        Lookup::Found(found) => found,
        Lookup::NotFound(suggestions) => {
            eprintln!(
                "nobody matches \"{}\" in the inputs of {}",
                args.who, election.name
            );
            if !suggestions.is_empty() {
                let quoted: Vec<String> = suggestions.iter().map(|s| format!("\"{s}\"")).collect();
                eprintln!("hint: did you mean {}?", quoted.join(", "));
            }
            return Ok(Outcome::Problems);
        }
        Lookup::Several(people) => {
            eprintln!(
                "\"{}\" is part of the names of {} people in the inputs of {}; give one of these:",
                args.who,
                people.len(),
                election.name
            );
            for line in candidates(&engine, &people) {
                eprintln!("  {line}");
            }
            return Ok(Outcome::Problems);
        }
    };
    let evaluation = bar.phase(
        format!(
            "policy {}: {} people",
            loaded.policy.name,
            thousands(people.len())
        ),
        || engine.evaluate(&election.dates),
    );
    let explained = Explained {
        query: args.who.clone(),
        people: found
            .into_iter()
            .map(|person| explain::explain(&engine, &evaluation, &election.dates, person))
            .collect(),
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => render::write_text(&explained, &terminal.out, &mut stdout)?,
        Format::Csv => render::write_csv(&explained, &mut stdout)?,
        Format::Json => render::write_json(&explained, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(Outcome::Clean)
}

/// How many people a lookup lists before it summarises.
const CANDIDATES_SHOWN: usize = 20;

/// People a part of a name matched, one line each: name, address and key, which
/// `explain` takes back exactly.
pub(super) fn candidates(
    engine: &Engine<'_>,
    people: &[crate::identity::PersonIdx],
) -> Vec<String> {
    let mut lines: Vec<String> = people
        .iter()
        .take(CANDIDATES_SHOWN)
        .map(|&idx| {
            let person = engine.people().person(idx);
            let name = person.name.as_deref().unwrap_or("(no name)");
            match &person.email {
                Some(email) => format!("{name} <{email}>  [{}]", person.key),
                None => format!("{name}  [{}]", person.key),
            }
        })
        .collect();
    if people.len() > CANDIDATES_SHOWN {
        lines.push(format!("... and {} more", people.len() - CANDIDATES_SHOWN));
    }
    lines
}
