//! `electorate results`: rolls and tallies into the record officials publish.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::cli::optional::OptionalElection;
use crate::cli::progress::Bar;
use crate::cli::tally::CountArgs;
use crate::cli::terminal::Terminal;
use crate::cli::{Outcome, read};
use crate::identity::People;
use crate::policy::Engine;
use crate::report::results::{self as render, Counted, Digested};
use crate::roll::candidacy;

/// Put rolls and ballots together into the results record officials publish.
///
/// Each ELECTION is `ROLL=BALLOTS`: the roll the ballots were cast from (a name in the
/// --roll directory, such as tc or ptl-nova) and the ballot file, counted here as `tally`
/// counts it, with the same options (a record counted from the ballots it names cannot
/// disagree with them); or a directory of ballot files named after their rolls
/// (`ptl-nova.csv`). With --roll FILE, a bare BALLOTS is that roll's.
///
/// For each election the record has the candidates and winners, the electorate, ballots
/// cast and turnout, the method and its options, the tie-break draws, and the SHA-256 of
/// the roll and of the ballots. With --candidates-dir (and --election), the candidates
/// tree decides the elections: those with no more eligible candidates than seats are
/// recorded as "no poll required", those without any as leaderless, and a poll without
/// ballots is an error.
///
/// Formats: yaml (the shape of openstack/election doc/source/results/<release>/tc.yaml
/// and ptl.yaml; --round tc or ptl makes one of the two), json, markdown.
///
/// Examples:
///   electorate results --release newton --roll rolls \
///       ptl-nova=examples/newton-tc/ballots/ptl-nova.csv
///   electorate results --release newton --roll rolls --round ptl \
///       --election examples/newton-tc/election.toml \
///       --candidates-dir examples/newton-tc/candidates/newton \
///       ptl-nova=examples/newton-tc/ballots/ptl-nova.csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ResultsArgs {
    /// Elections: ROLL=BALLOTS, a directory of ballot files named after their rolls, or
    /// BALLOTS alone with --roll FILE.
    #[arg(value_name = "ELECTION")]
    pub elections: Vec<String>,

    /// The rolls: a directory `roll --out` wrote, or one roll file.
    #[arg(long, value_name = "DIR|FILE")]
    pub roll: PathBuf,

    /// The release the record is for (`newton`, `2026.2`).
    #[arg(long, value_name = "NAME")]
    pub release: String,

    /// The release directory of the candidates tree; needs --election.
    #[arg(long, value_name = "DIR", requires = "election")]
    pub candidates_dir: Option<PathBuf>,

    #[command(flatten)]
    pub election: OptionalElection,

    /// Which elections of the tree to record, as openstack/election splits its results
    /// files: `tc` (the tc roll only), `ptl` (every other roll), or `all`.
    #[arg(long, value_enum, default_value_t = Round::All)]
    pub round: Round,

    #[command(flatten)]
    pub count: CountArgs,

    /// YAML as openstack/election publishes it, JSON for scripts, or a Markdown page.
    #[arg(long, short = 'f', value_enum, default_value_t = ResultsFormat::Yaml)]
    pub format: ResultsFormat,
}

/// `results --round` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Round {
    Tc,
    Ptl,
    All,
}

/// `results --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResultsFormat {
    Yaml,
    Json,
    Markdown,
}

pub(super) fn run(args: &ResultsArgs) -> anyhow::Result<Outcome> {
    let rolls = read::rolls(&args.roll)?;
    let single = (rolls.len() == 1 && !args.roll.is_dir()).then(|| rolls[0].name.clone());
    let tree = match (&args.candidates_dir, &args.election.given()) {
        (Some(dir), Some(election)) => {
            let loaded = election.load_quietly()?;
            let people = People::resolve(&loaded.election, loaded.compat);
            let engine = Engine::new(&loaded.policy, &loaded.election, &people);
            let evaluation = engine.evaluate(&loaded.election.dates);
            let tree = read::candidate_tree(dir)?;
            Some(candidacy::check_tree(
                &engine,
                &evaluation,
                &loaded.election.dates,
                &tree,
            ))
        }
        _ => None,
    };
    let mut counted = Vec::new();
    let mut ballots: Vec<(String, PathBuf)> = Vec::new();
    for spec in &args.elections {
        match spec.split_once('=') {
            Some((roll, path)) if !roll.is_empty() && !roll.contains('/') => {
                ballots.push((roll.to_owned(), PathBuf::from(path)));
            }
            _ if std::path::Path::new(spec).is_dir() => {
                ballots.extend(read::ballot_dir(std::path::Path::new(spec))?);
            }
            _ => match &single {
                Some(roll) => ballots.push((roll.clone(), PathBuf::from(spec))),
                None => anyhow::bail!(
                    "election {spec:?} names no roll, expected ROLL=BALLOTS such as tc=ballots.csv, or a directory of ballot files named after their rolls"
                ),
            },
        }
    }
    for (roll, path) in ballots {
        let bytes = std::fs::read(&path)
            .with_context(|| format!("cannot read the ballot file {}", path.display()))?;
        // Seats: as given, else the election file's for this roll (with a tree).
        let mut count = args.count.clone();
        if count.seats.is_none() {
            count.seats = tree
                .as_ref()
                .and_then(|t| t.elections.iter().find(|e| e.roll == roll))
                .map(|e| e.seats);
        }
        let result = count
            .count(&path, None, &Bar::new(&Terminal::default()))?
            .result;
        counted.push(Counted {
            roll,
            ballots: Digested {
                path: path.display().to_string(),
                sha256: crate::digest::sha256_hex(&bytes),
            },
            result,
        });
    }
    if counted.is_empty() && tree.is_none() {
        anyhow::bail!("no election given, expected ROLL=BALLOTS or --candidates-dir DIR");
    }
    let keep = |roll: &str| match args.round {
        Round::Tc => roll == "tc",
        Round::Ptl => roll != "tc",
        Round::All => true,
    };
    let record = render::record(&args.release, &rolls, &counted, tree.as_ref(), &keep)?;
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ResultsFormat::Yaml => render::write_yaml(&record, &mut stdout)?,
        ResultsFormat::Json => render::write_json(&record, &mut stdout)?,
        ResultsFormat::Markdown => render::write_markdown(&record, &mut stdout)?,
    }
    stdout.flush()?;
    Ok(if record.elections.iter().all(|e| e.decided) {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
