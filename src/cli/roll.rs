//! `electorate roll`: build every roll of an election and write them.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::progress::{Bar, thousands};
use crate::cli::settings::{ElectionArgs, Format, print_problems, stop_on_errors};
use crate::cli::terminal::Terminal;
use crate::identity::People;
use crate::policy::Engine;
use crate::publish::{self, DirOptions, Output};
use crate::report::roll as render;
use crate::roll;

/// Build the electorate rolls of an election.
///
/// Reads the election file and every input it names, applies the policy, and builds the
/// TC roll, one PTL roll per project team and the stable-branch roll (or whatever rolls
/// the policy defines). With --out, writes `<roll>.txt` (one address per line, sorted),
/// `<roll>.csv` (with the evidence behind every name) and `manifest.json` (inputs and
/// outputs with SHA-256), all at once: the directory holds the complete old set or the
/// complete new one, never a mix. The tool writes only into a new or empty directory, or
/// one it wrote before and nobody changed since; it never replaces a file it did not write.
///
/// A row that does not parse stops the run (exit 2) after every broken row is listed,
/// and nothing is written: a roll built from a corrupt export could silently
/// disenfranchise someone. --skip-bad-rows goes on knowingly and lists the skipped rows
/// in the manifest.
///
/// Example:
///   electorate roll --election examples/newton-tc/election.toml --out rolls
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct RollArgs {
    #[command(flatten)]
    pub election: ElectionArgs,

    /// Write the rolls and manifest.json into this directory (created if needed).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// What to print on stdout: a summary table, the summary as CSV, or the manifest as JSON.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Leave out rows that do not parse instead of stopping; the manifest lists them.
    #[arg(long)]
    pub skip_bad_rows: bool,

    /// Do not print warnings about the inputs (they are still in the manifest).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Write into a --out directory that holds files electorate did not write, keeping
    /// them beside the rolls (they are never replaced or deleted).
    #[arg(long, requires = "out")]
    pub force: bool,
}

pub(super) fn run(args: &RollArgs, terminal: &Terminal) -> anyhow::Result<Outcome> {
    let bar = Bar::new(terminal);
    let loaded = args.election.load(&bar)?;
    if !args.quiet {
        print_problems(
            loaded.diagnostics.warnings(),
            "warning",
            20,
            terminal,
            &loaded.paths,
        );
    }
    stop_on_errors(&loaded, args.skip_bad_rows, terminal)?;
    let collisions = roll::name_collisions(&loaded.policy, &loaded.election);
    if !collisions.is_empty() {
        print_problems(
            collisions.iter(),
            "error",
            usize::MAX,
            terminal,
            &loaded.paths,
        );
        anyhow::bail!("roll names collide; no roll was written");
    }
    let election = &loaded.election;
    let people = bar.phase(
        format!(
            "identity: {} changes",
            thousands(election.changes.changes.len())
        ),
        || People::resolve(election, loaded.compat),
    );
    let (engine, evaluation) = bar.phase(
        format!(
            "policy {}: {} people",
            loaded.policy.name,
            thousands(people.len())
        ),
        || {
            let engine = Engine::new(&loaded.policy, election, &people);
            let evaluation = engine.evaluate(&election.dates);
            (engine, evaluation)
        },
    );
    let render::RenderedRolls { files, manifest } = bar.phase("building the rolls", || {
        let rolls = roll::build(&engine, &evaluation, &election.dates);
        render::render(&rolls, &loaded.diagnostics, args.out.is_some())
    })?;
    let written = files.len();
    if let Some(dir) = &args.out {
        let outputs: Vec<Output> = files
            .into_iter()
            .map(|(name, bytes)| Output::new(name, bytes))
            .collect();
        let options = DirOptions {
            keep_foreign: args.force,
            inputs: loaded.input_paths.clone(),
        };
        let bytes: usize = outputs.iter().map(|o| o.bytes.len()).sum();
        let published = bar.phase(
            format!(
                "writing {written} files ({} kB) to {}",
                thousands(bytes / 1000),
                dir.display()
            ),
            || publish::publish_dir(dir, &outputs, &options),
        )?;
        for left in published.left {
            eprintln!(
                "warning: {} is left from an earlier run and holds files electorate cannot prove it wrote; look inside, then remove it",
                left.display()
            );
        }
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            render::write_summary(&manifest, &terminal.out, &mut stdout)?;
            match &args.out {
                Some(dir) => writeln!(stdout, "wrote {written} files to {}", dir.display())?,
                None => writeln!(stdout, "nothing written: pass --out DIR to write the rolls")?,
            }
        }
        Format::Csv => render::write_summary_csv(&manifest, &mut stdout)?,
        Format::Json => render::write_json(&manifest, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(Outcome::Clean)
}
