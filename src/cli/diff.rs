//! `electorate diff A B`: two builds of the rolls compared.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::cli::optional::OptionalElection;
use crate::cli::settings::{ElectionArgs, Format};
use crate::cli::{Outcome, read};
use crate::identity::People;
use crate::policy::Engine;
use crate::report::diff as render;
use crate::roll::diff;

/// Compare two rolls, or two roll directories, address by address.
///
/// A and B are each a roll file (`tc.txt`) or a directory `roll --out` wrote (its
/// `<roll>.txt` files, matched by name): two officials' independent builds, or this
/// cycle's and the last. Lists, for each roll that differs, who is only in A (`<`) and
/// only in B (`>`). With --election, each of them is looked up in that election and given
/// the decisive code for the roll, as `explain` decides it (pass the election B was built
/// from to see why B differs).
///
/// Exits 0 when the rolls are the same, 1 when they differ, 2 when one cannot be read.
///
/// Example:
///   electorate diff rolls-official-1 rolls-official-2 \
///       --election examples/newton-tc/election.toml
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DiffArgs {
    /// A roll file or roll directory.
    #[arg(value_name = "A")]
    pub a: PathBuf,

    /// The other roll file or roll directory.
    #[arg(value_name = "B")]
    pub b: PathBuf,

    #[command(flatten)]
    pub election: OptionalElection,

    /// Text lines, or CSV or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(super) fn run(args: &DiffArgs) -> anyhow::Result<Outcome> {
    let a = read::rolls(&args.a)?;
    let mut b = read::rolls(&args.b)?;
    // Two roll files are compared with each other, whatever their names.
    if !args.a.is_dir() && !args.b.is_dir() {
        for (roll, first) in b.iter_mut().zip(&a) {
            roll.name.clone_from(&first.name);
        }
    }
    let (a_name, b_name) = (args.a.display().to_string(), args.b.display().to_string());
    let loaded = args
        .election
        .given()
        .as_ref()
        .map(ElectionArgs::load_quietly)
        .transpose()?;
    let people = loaded
        .as_ref()
        .map(|l| People::resolve(&l.election, l.compat));
    let engine = loaded
        .as_ref()
        .zip(people.as_ref())
        .map(|(l, people)| Engine::new(&l.policy, &l.election, people));
    let evaluation = engine.as_ref().map(|e| e.evaluate(&e.election().dates));
    let result = diff::diff(
        (&a_name, &a),
        (&b_name, &b),
        engine.as_ref().zip(evaluation.as_ref()),
    );
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => render::write_text(&result, &mut stdout)?,
        Format::Csv => render::write_csv(&result, &mut stdout)?,
        Format::Json => render::write_json(&result, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(if result.same {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
