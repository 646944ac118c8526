//! `electorate explain WHO`: why a person is on or off each roll.

use std::io::Write;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::settings::{ElectionArgs, Format};
use crate::identity::People;
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
/// Exits 1 when WHO matches nobody, after suggesting close matches.
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

pub(super) fn run(args: &ExplainArgs) -> anyhow::Result<Outcome> {
    let loaded = args.election.load_quietly()?;
    let count = loaded.diagnostics.errors().count();
    if count > 0 {
        eprintln!(
            "warning: {count} input row{} could not be read and are left out of this explanation; run `electorate check` for the list",
            if count == 1 { "" } else { "s" }
        );
    }
    let election = &loaded.election;
    let people = People::resolve(election, loaded.compat);
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
    };
    let evaluation = engine.evaluate(&election.dates);
    let explained = Explained {
        query: args.who.clone(),
        people: found
            .into_iter()
            .map(|person| explain::explain(&engine, &evaluation, &election.dates, person))
            .collect(),
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => render::write_text(&explained, &mut stdout)?,
        Format::Csv => render::write_csv(&explained, &mut stdout)?,
        Format::Json => render::write_json(&explained, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(Outcome::Clean)
}
