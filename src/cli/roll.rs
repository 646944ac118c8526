//! `electorate roll`: build every roll of an election and write them.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::cli::Outcome;
use crate::cli::settings::{ElectionArgs, Format, print_problems};
use crate::ingest::Progress;
use crate::policy::evaluate::{Engine, Inputs};
use crate::publish::{self, DirOptions, Output};
use crate::report::roll::{self as render, OutputFile as ManifestFile};
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

/// A progress bar on stderr for large inputs, when stderr is a terminal.
struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    fn new() -> Self {
        Self(None)
    }
}

impl Progress for Bar {
    fn start(&self, _total: u64) {}
    fn advance(&self, bytes: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(bytes);
        }
    }
    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

fn progress_bar(election: &ElectionArgs) -> Bar {
    const LARGE: u64 = 16 << 20;
    if !std::io::stderr().is_terminal() {
        return Bar::new();
    }
    // Size the inputs up front from the election file's directory listing is not
    // possible before parsing it, so the bar is created lazily by size on first use.
    let total: u64 = std::fs::read_to_string(&election.election)
        .ok()
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
        .and_then(|table| {
            let changes = table.get("inputs")?.get("changes")?.clone();
            let list = match changes {
                toml::Value::Array(items) => items,
                other => vec![other],
            };
            let base = election.election.parent()?.to_path_buf();
            Some(
                list.iter()
                    .filter_map(|v| v.as_str().or_else(|| v.get("path")?.as_str()))
                    .filter_map(|p| std::fs::metadata(base.join(p)).ok())
                    .map(|m| m.len())
                    .sum(),
            )
        })
        .unwrap_or(0);
    if total < LARGE {
        return Bar::new();
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "reading changes {bar:40} {bytes}/{total_bytes} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Bar(Some(bar))
}

pub fn run(args: &RollArgs) -> anyhow::Result<Outcome> {
    let bar = progress_bar(&args.election);
    let loaded = args.election.load(&bar)?;
    let bundle = &loaded.bundle;
    if !args.quiet {
        print_problems(bundle.diagnostics.warnings(), "warning", 20);
    }
    if bundle.diagnostics.has_errors() {
        let count = bundle.diagnostics.errors().count();
        if !args.skip_bad_rows {
            print_problems(bundle.diagnostics.errors(), "error", usize::MAX);
            anyhow::bail!(
                "{count} problem{} in the inputs; no roll was written\nhint: fix the rows, or pass --skip-bad-rows to leave them out knowingly (they are then listed in manifest.json)",
                if count == 1 { "" } else { "s" }
            );
        }
        print_problems(bundle.diagnostics.errors(), "skipped", 20);
    }

    let collisions = roll::name_collisions(&loaded.policy, &bundle.governance, &bundle.sources);
    if !collisions.is_empty() {
        print_problems(collisions.iter(), "error", usize::MAX);
        anyhow::bail!("roll names collide; no roll was written");
    }
    let engine = Engine::new(&loaded.policy, Inputs::of(bundle), loaded.compat);
    let evaluation = engine.evaluate(&loaded.dates);
    let rolls = roll::build(&engine, &evaluation);

    let mut files = Vec::new();
    let mut listed: Vec<Vec<ManifestFile>> = Vec::new();
    for roll in &rolls.rolls {
        let txt = render::roll_txt(roll).into_bytes();
        let csv = render::roll_csv(&engine, bundle, roll).context("cannot render a roll as CSV")?;
        listed.push(vec![
            ManifestFile {
                path: format!("{}.txt", roll.name),
                sha256: crate::ingest::sha256_hex(&txt),
            },
            ManifestFile {
                path: format!("{}.csv", roll.name),
                sha256: crate::ingest::sha256_hex(&csv),
            },
        ]);
        files.push(Output::new(format!("{}.txt", roll.name), txt));
        files.push(Output::new(format!("{}.csv", roll.name), csv));
    }
    let written: &[Vec<ManifestFile>] = if args.out.is_some() { &listed } else { &[] };
    let manifest = render::manifest(&engine, bundle, &evaluation, &loaded.dates, &rolls, written);
    let manifest_json = render::to_json(&manifest)?;
    if let Some(dir) = &args.out {
        files.push(Output::new("manifest.json", manifest_json.clone()));
        let options = DirOptions {
            keep_foreign: args.force,
            inputs: std::iter::once(bundle.election.file.path.clone())
                .chain(bundle.election.inputs.paths())
                .collect(),
        };
        let published = publish::publish_dir(dir, &files, &options)?;
        for left in &published.left {
            eprintln!(
                "warning: {} is left from an earlier run and holds files electorate cannot prove it wrote; look inside, then remove it",
                left.display()
            );
        }
    }

    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            write!(stdout, "{}", render::summary_table(&manifest))?;
            match &args.out {
                Some(dir) => writeln!(stdout, "wrote {} files to {}", files.len(), dir.display())?,
                None => writeln!(stdout, "nothing written: pass --out DIR to write the rolls")?,
            }
        }
        Format::Json => write!(stdout, "{manifest_json}")?,
        Format::Csv => {
            let mut out = csv::Writer::from_writer(Vec::new());
            out.write_record([
                "roll",
                "team",
                "voters",
                "excluded_not_member",
                "excluded_no_email",
            ])?;
            for roll in &manifest.rolls {
                out.write_record([
                    roll.name.as_str(),
                    roll.team.as_deref().unwrap_or(""),
                    &roll.voters.to_string(),
                    &roll.excluded_not_member.to_string(),
                    &roll.excluded_no_email.to_string(),
                ])?;
            }
            stdout.write_all(&out.into_inner().map_err(csv::IntoInnerError::into_error)?)?;
        }
    }
    stdout.flush()?;
    Ok(Outcome::Clean)
}
