//! `electorate roll`: build every roll of an election and write them.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::progress::{Bar, thousands};
use crate::cli::settings::{ElectionArgs, Format, Loaded, print_problems, stop_on_errors};
use crate::cli::terminal::Terminal;
use crate::policy::Engine;
use crate::publish::{self, DirOptions, Publication};
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
    // The files' names follow from the policy and the governance files alone, so the
    // directory is checked and locked before any work, and its files are created on a
    // second thread while the rolls are computed (creating a file is what costs).
    let names = render::file_names(
        roll::all_instances(&loaded.policy, &election.governance).map(|(_, name, _)| name),
        true,
    );
    let written = names.len();
    let manifest = match &args.out {
        // Nothing to write: the summary needs the manifest alone, not the files.
        None => compute(&loaded, &bar, |rolls| {
            render::manifest(rolls, &loaded.diagnostics, &[])
        }),
        Some(dir) => {
            let options = DirOptions {
                keep_foreign: args.force,
                inputs: loaded.input_paths.clone(),
                made_from: Some(made_from(&loaded, args)),
            };
            let publication = publish::begin(dir, &names, &options)?;
            let (manifest, published) = write_while_computing(publication, &loaded, &bar, dir)?;
            for left in published.left {
                eprintln!(
                    "warning: {} is left from an earlier run and holds files electorate cannot prove it wrote; look inside, then remove it",
                    left.display()
                );
            }
            manifest
        }
    };
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

/// A digest of what the rolls are made from: the tool, the policy, the compatibility mode,
/// whether bad rows are skipped, and every input with its SHA-256. The same digest as the
/// directory's last set means its files should come out the same (see
/// [`DirOptions::made_from`]); it is a hint for speed, never trusted for correctness.
fn made_from(loaded: &Loaded, args: &RollArgs) -> String {
    let mut basis = format!(
        "electorate {}\npolicy {} {}\ncompat {:?}\nskip-bad-rows {}\n",
        env!("CARGO_PKG_VERSION"),
        loaded.policy.name,
        loaded.policy.sha256,
        loaded.compat,
        args.skip_bad_rows
    );
    for input in &loaded.election.inputs {
        basis.push_str(&format!("{} {} {}\n", input.role, input.sha256, input.path));
    }
    crate::digest::sha256_hex(basis.as_bytes())
}

/// Resolve identities, evaluate the policy, build every roll, and hand them to `then`.
fn compute<T>(loaded: &Loaded, bar: &Bar, then: impl FnOnce(&roll::Rolls<'_>) -> T) -> T {
    let election = &loaded.election;
    let people = bar.resolve_people(election, loaded.compat);
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
    let rolls = bar.phase("building the rolls", || {
        roll::build(&engine, &evaluation, &election.dates)
    });
    let done = then(&rolls);
    // The process ends soon after: freeing what the rolls were built from (hundreds of
    // thousands of allocations, a tenth of a second for a million changes) would only
    // delay it, and the memory goes back to the system at exit all the same.
    std::mem::forget(rolls);
    std::mem::forget(evaluation);
    std::mem::forget(engine);
    std::mem::forget(people);
    done
}

/// Compute and render the rolls on this thread while a second creates the publication's
/// files, writes each as soon as it is rendered, and swaps the set in.
fn write_while_computing(
    publication: Publication,
    loaded: &Loaded,
    bar: &Bar,
    dir: &std::path::Path,
) -> anyhow::Result<(render::Manifest, publish::Published)> {
    // A few files in flight: enough to keep the writer busy, little memory held.
    let (send, receive) = std::sync::mpsc::sync_channel::<(String, Vec<u8>)>(4);
    let (rendered, published) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let mut publication = publication;
            publication.reserve()?;
            for (name, bytes) in receive {
                publication.write(&name, &bytes)?;
            }
            publication.finish()
        });
        let rendered = compute(loaded, bar, |rolls| {
            let rendered = bar.phase(format!("writing the rolls to {}", dir.display()), || {
                render::render_each(rolls, &loaded.diagnostics, true, &|name, bytes| {
                    send.send((name, bytes)).map_err(|_| {
                        std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the writer stopped")
                    })
                })
            });
            // Rendering is over: let the writer finish (or, when rendering failed, drop
            // what it staged) without waiting for anything else.
            drop(send);
            rendered
        });
        let published = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (rendered, published)
    });
    match (rendered, published) {
        (Ok(manifest), Ok(published)) => Ok((manifest, published)),
        // The writer stopped, and rendering with it: the writer's error says why.
        (Ok(_), Err(err)) => Err(err.into()),
        (Err(err), Err(writer)) if err.kind() == std::io::ErrorKind::BrokenPipe => {
            Err(writer.into())
        }
        // Rendering failed, so the writer found files missing: the render's error says why.
        (Err(err), _) => Err(err.into()),
    }
}
