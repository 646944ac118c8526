//! `electorate compare`: the same election under several policies, now or over time.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::Outcome;
use crate::cli::progress::{Bar, thousands};
use crate::cli::settings::{
    Format, UserPaths, election_file, parse_compat, print_problems, read_election,
};
use crate::cli::terminal::Terminal;
use crate::model::Compat;
use crate::policy::{self, Engine, Policy};
use crate::publish;
use crate::report::compare::{self as render, Chart};
use crate::roll::compare::{self, Run, Series, Step};

/// Compare policies: who each rule set adds to which roll, and who it leaves out.
///
/// With two or more --policy, shows per roll the size under each policy, who is gained
/// and lost against the first policy (with the criteria that put them on, or the code
/// that keeps them off), how many hold each status and how statuses overlap (how many
/// AUCs are already ATCs), and how many people each criterion recognises.
///
/// With --from, --to and --every, shows instead each election-wide roll's size under each
/// policy at each date: the election window keeps its length and ends on the date, and the
/// date is the `as_of`. --chart writes the series as an SVG line chart.
///
/// Examples:
///   electorate compare --election examples/ops-recognition/election.toml \
///       --policy openstack --policy ops-as-atc --policy ops-status
///   electorate compare --election examples/ops-recognition/election.toml \
///       --policy openstack --policy auc-2016 \
///       --from 2015-09-01 --to 2016-09-01 --every 1month --chart chart.svg
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompareArgs {
    /// The election file [default: $ELECTORATE_ELECTION, else election.toml in the
    /// current directory].
    #[arg(long, short = 'e', value_name = "FILE")]
    pub election: Option<PathBuf>,

    /// A policy to compare (a shipped name or a file); give two or more, the first is the
    /// baseline. With one, only over-time series make sense.
    #[arg(long, short = 'p', value_name = "NAME|FILE", required = true)]
    pub policy: Vec<String>,

    /// Reproduce the reference tooling's known behaviour.
    #[arg(long, value_name = "MODE", default_value = "none", value_parser = parse_compat)]
    pub compat: Compat,

    /// First date of a series (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", requires_all = ["to", "every"])]
    pub from: Option<NaiveDate>,

    /// Last date of a series (YYYY-MM-DD, inclusive).
    #[arg(long, value_name = "DATE", requires_all = ["from", "every"])]
    pub to: Option<NaiveDate>,

    /// Distance between dates: 1month, 2weeks, 7days, 1year, ...
    #[arg(long, value_name = "STEP", requires_all = ["from", "to"])]
    pub every: Option<String>,

    /// Rolls to follow over time [default: every election-wide roll].
    #[arg(long, value_name = "ROLL")]
    pub roll: Vec<String>,

    /// Write the series as an SVG chart to this file (with --from/--to/--every).
    #[arg(long, value_name = "FILE.svg", requires = "every")]
    pub chart: Option<PathBuf>,

    /// Table for people, CSV or JSON for scripts.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Do not print warnings about the inputs.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub(super) fn run(args: &CompareArgs, terminal: &Terminal) -> anyhow::Result<Outcome> {
    let file = election_file(args.election.as_deref())?;
    let bar = Bar::new(terminal);
    let read = read_election(&file, &bar)?;
    let paths = UserPaths::of(&read.file);
    if !args.quiet {
        print_problems(read.diagnostics.warnings(), "warning", 20, terminal, &paths);
    }
    if read.diagnostics.has_errors() {
        print_problems(
            read.diagnostics.errors(),
            "error",
            usize::MAX,
            terminal,
            &paths,
        );
        bail!("the inputs have problems; fix them first (run `electorate check`)");
    }
    let election = &read.election;
    let policies: Vec<Policy> = args
        .policy
        .iter()
        .map(|p| policy::resolve(p))
        .collect::<Result<_, _>>()?;
    // Who is who does not depend on the policy: one identity stage serves every engine.
    let people = bar.resolve_people(election, args.compat);
    let engines: Vec<Engine<'_>> = policies
        .iter()
        .map(|policy| Engine::new(policy, election, &people))
        .collect();
    let dates = election.dates;
    let mut stdout = std::io::stdout().lock();
    if let (Some(from), Some(to), Some(every)) = (args.from, args.to, &args.every) {
        let step = Step::parse(every).map_err(anyhow::Error::msg)?;
        let at = compare::dates(from, to, step);
        if at.is_empty() {
            bail!("--from {from} is after --to {to}: no dates to compare");
        }
        let engine_refs: Vec<&Engine<'_>> = engines.iter().collect();
        let wanted: Vec<String> = if args.roll.is_empty() {
            compare::election_wide_rolls(&engine_refs)
        } else {
            args.roll.clone()
        };
        // One date at a time, so that the bar moves with the work.
        let steps = bar.steps(
            format!("{} policies at {} dates", engines.len(), at.len()),
            at.len() as u64,
        );
        let mut points = Vec::new();
        for date in &at {
            points.extend(compare::over_time(
                &engine_refs,
                &dates,
                std::slice::from_ref(date),
                &|name| wanted.iter().any(|w| w == name),
            ));
            steps.step();
        }
        drop(steps);
        let series = Series { points };
        if series.points.is_empty() {
            bail!("no roll named {} in these policies", wanted.join(", "));
        }
        match args.format {
            Format::Table => {
                render::write_series_table(&series.points, &terminal.out, &mut stdout)?;
            }
            Format::Csv => render::write_series_csv(&series.points, &mut stdout)?,
            Format::Json => crate::report::json::write(&series, &mut stdout)?,
        }
        if let Some(chart) = &args.chart {
            let title = format!("{}: voters by policy, {from} to {to}", election.name);
            let mut svg = Vec::new();
            render::write_svg(
                &Chart {
                    title: &title,
                    points: &series.points,
                },
                &mut svg,
            )?;
            publish::publish_file(chart, &svg, &render::is_chart, "a chart")?;
        }
        stdout.flush()?;
        return Ok(Outcome::Clean);
    }
    if engines.len() < 2 {
        bail!("give two or more --policy to compare, or --from, --to and --every for a series");
    }
    let steps = bar.steps(
        format!(
            "{} policies over {} people",
            engines.len(),
            thousands(people.len())
        ),
        engines.len() as u64,
    );
    let runs: Vec<Run<'_, '_>> = engines
        .iter()
        .map(|e| {
            let run = Run::new(e, &dates);
            steps.step();
            run
        })
        .collect();
    drop(steps);
    let comparison = compare::compare(&runs);
    match args.format {
        Format::Table => render::write_table(&comparison, &terminal.out, &mut stdout)?,
        Format::Csv => render::write_csv(&comparison, &mut stdout)?,
        Format::Json => crate::report::json::write(&comparison, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(Outcome::Clean)
}
