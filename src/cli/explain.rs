//! `electorate explain WHO`: why a person is on or off each roll.

use std::io::Write;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::settings::{ElectionArgs, Format, print_problems};
use crate::policy::evaluate::{Engine, Inputs};
use crate::report::explain as render;
use crate::roll::explain::{self, Lookup};

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
///   electorate explain --election examples/newton-tc/election.toml ada.lovelace@example.org
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// Who to explain: address, account id, username or name.
    #[arg(value_name = "WHO")]
    pub who: String,

    /// Text for people, or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(args: &ExplainArgs) -> anyhow::Result<Outcome> {
    let loaded = args.election.load_quietly()?;
    let bundle = &loaded.bundle;
    if bundle.diagnostics.has_errors() {
        let count = bundle.diagnostics.errors().count();
        eprintln!(
            "warning: {count} input row{} could not be read and are left out of this explanation; run `electorate check` for the list",
            if count == 1 { "" } else { "s" }
        );
    }
    let engine = Engine::new(&loaded.policy, Inputs::of(bundle), loaded.compat);
    let people = match explain::find(&engine, &args.who) {
        Lookup::Found(people) => people,
        Lookup::NotFound(suggestions) => {
            let mut message = format!(
                "nobody matches \"{}\" in the inputs of {}",
                args.who, bundle.election.name
            );
            if !suggestions.is_empty() {
                message.push_str(&format!(
                    "\nhint: did you mean {}?",
                    suggestions
                        .iter()
                        .map(|s| format!("\"{s}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            eprintln!("{message}");
            return Ok(Outcome::Problems);
        }
    };
    let evaluation = engine.evaluate(&loaded.dates);
    let mut stdout = std::io::stdout().lock();
    let mut json_all = Vec::new();
    for (i, &person) in people.iter().enumerate() {
        let explanation = explain::explain(&engine, &evaluation, &loaded.dates, person);
        let json = render::to_json(&engine, bundle, &loaded.dates, &explanation);
        match args.format {
            Format::Json => json_all.push(json),
            Format::Table | Format::Csv => {
                if i > 0 {
                    writeln!(stdout)?;
                }
                write!(stdout, "{}", render::to_text(&json, &explanation))?;
            }
        }
    }
    if args.format == Format::Json {
        write!(stdout, "{}", crate::report::roll::to_json(&json_all)?)?;
    }
    if !bundle.diagnostics.is_empty() && args.format != Format::Json {
        print_problems(std::iter::empty(), "warning", 0);
    }
    stdout.flush()?;
    Ok(Outcome::Clean)
}
