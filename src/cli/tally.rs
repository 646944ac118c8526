//! `electorate tally`: count a ballot file.
//!
//! The flags are turned into a checked [`Method`] and [`Contest`] in one step
//! ([`CountArgs::method`]): a flag that does not apply to the chosen method is an error,
//! never silently dropped. Then the files are read, the ballots checked against the roll
//! if one is given, the count run and the result rendered on standard output.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::{Args, ValueEnum};

use super::Outcome;
use crate::cli::progress::{Bar, thousands};
use crate::cli::terminal::Terminal;
use crate::publish::{DirOptions, Output, publish_dir};
use crate::report;
use crate::tally::ballot::Unranked;
use crate::tally::format::candidates::CandidateFile;
use crate::tally::format::limits::read_bounded;
use crate::tally::format::{DetectedBy, Detection, InputFormat, decode, detect, read_as};
use crate::tally::method::{
    CondorcetIrvOptions, CondorcetOptions, CumulativeOptions, DefaultOption, IrvOptions,
    MajorityRule, RankingRule, SchulzeOptions, Strength, StvOptions, StvVariant, TiedRank,
};
use crate::tally::roll_check::{VoterRoll, check_against_roll};
use crate::tally::{BallotSet, Contest, Method, TallyResult, tally};

const LONG_ABOUT: &str = "\
Count a ballot file and report the winners, the ranking and the working.

The ballot format is detected from the extension (.blt, .soc/.soi/.toc/.toi, .toml) or
the content (CIVS export, Elekto export, CIVS upload, electorate CSV); --input-format
forces one. Every semantic choice (what an unranked candidate means, how majorities are
measured, how ties are settled, ...) is written into the output.

Without --tie-seed a tie that decides a seat is reported, not settled, and the command
exits 1. With --tie-seed TEXT it is settled by a SHA-256 draw anyone can repeat; the
seed, the tie's description and every digest are in the output.

Exit status: 0 counted; 1 counted, but a deciding tie is unresolved or the roll check
rejected ballots; 2 could not count (usage, unreadable or invalid input).";

const EXAMPLES: &str = "\
Examples:
  electorate tally fixtures/ballots/civs-export.csv
      Schulze, one seat, CIVS-style options, as OpenStack and Kubernetes count.
  electorate tally fixtures/ballots/condorcet/affiliations.toml \\
      --seats 3 --max-per-affiliation 1
      Top three, at most one winner per affiliation.
  electorate tally fixtures/ballots/elekto.csv \\
      --candidates fixtures/ballots/elekto-candidates.csv --ranking elekto --format json
      An Elekto export, ids mapped to names, Elekto's ranking rule, JSON out.
  electorate tally fixtures/ballots/condorcet/default-option.soi --unranked last
      Unranked candidates tied below every ranked one, as Debian counts.
  electorate tally fixtures/ballots/example.blt --method stv --stv scottish
      Scottish STV; the seats come from the BLT header unless --seats is given.
  electorate tally fixtures/ballots/board.toml --method approval \\
      --roll fixtures/ballots/roll.txt --tie-seed 'board 2026'
      Approval, ballots checked against the roll, ties settled by a seeded draw.
  electorate tally fixtures/ballots/affiliations/tc.toml --seats 3 \\
      --max-per-affiliation 1 --members fixtures/ballots/affiliations/members.csv
      The TC charter's cap, with each candidate's employer from the membership list.";

/// Count a ballot file: winners, ranking, and the working.
#[derive(Debug, Args)]
#[command(long_about = LONG_ABOUT, after_long_help = EXAMPLES)]
pub struct TallyArgs {
    #[arg(
        value_name = "BALLOTS",
        help = "The ballot file (CIVS or Elekto export, CIVS upload, BLT, PrefLib, CSV, TOML)"
    )]
    pub ballots: PathBuf,

    #[command(flatten)]
    pub count: CountArgs,

    /// Output: tables for people, JSON for programs, the ranking as CSV, or a Markdown
    /// results page.
    ///
    /// `json` is the documented contract (docs/schemas/tally.schema.json); `csv` is one
    /// row per candidate: place, tier, winner, seat, affiliation, and the method's counts;
    /// `markdown` is a results.md to publish (winners, ranking, working, options, ties).
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,

    /// Check the ballots' voter ids against a roll (one e-mail per line): ballots from
    /// people not on the roll and second ballots are rejected and listed, and turnout
    /// is reported.
    #[arg(long, value_name = "ROLL")]
    pub roll: Option<PathBuf>,

    /// Also write a results page into DIR: index.html (self-contained) with SVG charts
    /// beside it (the pairwise matrix as a heat map, with the strongest paths for Schulze;
    /// the rounds for IRV and STV), the options, every tie's draw and the SHA-256 of the
    /// ballot file. The directory is written as `roll --out` writes: whole, and only when it
    /// is new, empty or the tool's own.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
}

/// How to count: the method, the seats, the options and the ballot reading, shared by
/// `tally` and `results`.
#[derive(Debug, Clone, Args)]
pub struct CountArgs {
    /// How to count.
    ///
    /// Multi-seat Condorcet methods, plurality, approval and cumulative give the seats to
    /// the top of their ranking.
    #[arg(long, short, value_enum, default_value_t = MethodArg::Schulze)]
    pub method: MethodArg,

    /// Number of seats to fill [default: the file's (BLT, TOML), else 1].
    #[arg(long, short, value_parser = clap::value_parser!(u32).range(1..))]
    pub seats: Option<u32>,

    /// Read the ballots in this format instead of detecting it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,

    /// A CSV file naming the candidates: columns id, name, affiliation, withdrawn.
    ///
    /// Maps Elekto ids (or CIVS upload positions 1, 2, ...) to names, gives the
    /// affiliations --max-per-affiliation needs, and can withdraw candidates. Every
    /// candidate of the ballot file needs a row.
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,

    /// A members CSV (as `fetch members` writes it) giving each candidate's affiliation
    /// for --max-per-affiliation: its `affiliations` column, matched by the candidate's
    /// address (an id or name that is one) or else by full name. An affiliation the
    /// ballots or --candidates give is kept; a candidate no member matches, a name two
    /// members share, or a member with several current affiliations is an error.
    #[arg(long, value_name = "FILE")]
    pub members: Option<PathBuf>,

    /// What a candidate left unranked means in a pairwise comparison [default: ignore].
    ///
    /// `ignore`: compared with no one (CIVS and Elekto "No opinion"). `last`: tied below
    /// every ranked candidate (Debian). Applies to schulze, ranked-pairs, minimax and
    /// condorcet-irv.
    #[arg(long, value_enum)]
    pub unranked: Option<UnrankedArg>,

    /// How strong a pairwise majority is [default: winning].
    ///
    /// `winning`: the votes for the winner, fewer votes against breaking ties (CIVS,
    /// Debian). `margin`: votes for minus votes against. Applies to schulze,
    /// ranked-pairs and minimax.
    #[arg(long, value_enum)]
    pub strength: Option<StrengthArg>,

    /// How Schulze's ranking is read off the strongest paths [default: civs].
    ///
    /// `civs`: repeatedly take the candidates no one beats. `elekto`: a candidate's place
    /// is 1 + the number of candidates that beat it. Applies to schulze.
    #[arg(long, value_enum)]
    pub ranking: Option<RankingArg>,

    /// Which STV rules [default: meek].
    ///
    /// `meek`: New Zealand Meek rules (fixed-point decimals). `scottish`: Scottish STV
    /// (5-decimal truncation). `ers`: ERS97 with Gregory transfers (exact rationals).
    #[arg(long, value_enum)]
    pub stv: Option<StvArg>,

    /// What a ballot's tied rank does in IRV and STV [default: exhaust].
    ///
    /// `exhaust`: the ballot stops at a rank shared by several continuing candidates.
    /// `skip`: that rank is skipped and the ballot goes on. Applies to irv, stv and
    /// condorcet-irv.
    #[arg(long, value_enum, value_name = "RULE")]
    pub irv_tied_rank: Option<TiedRankArg>,

    /// Cumulative voting: the most votes one ballot may give [default: the seats].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub votes_per_ballot: Option<u32>,

    /// At most K winners per affiliation; the next candidate in the ranking takes the
    /// seat, and the output says who was skipped. Needs --candidates with affiliations.
    #[arg(long, value_name = "K")]
    pub max_per_affiliation: Option<u32>,

    /// Debian's default option ("None Of The Above", "Further Discussion"): before the
    /// count, every other option that does not defeat it (by --majority, with --quorum)
    /// is dropped and ranked last. Schulze, ranked pairs and minimax, one seat.
    #[arg(long, value_name = "NAME")]
    pub default_option: Option<String>,

    /// With --default-option: an option stays only if at least N/M times as many
    /// ballots prefer it to the default option as the reverse, and more than the
    /// reverse (see --majority-rule) [default: 1:1].
    #[arg(long, value_name = "N:M", requires = "default_option", value_parser = parse_majority)]
    pub majority: Option<(u32, u32)>,

    /// How --majority is compared [default: at-least].
    ///
    /// `at-least`: for ≥ N/M × against, and for > against (Debian since constitution
    /// 1.6, December 2015). `more-than`: for > N/M × against (Debian 2003 to 2015).
    #[arg(long, value_enum, value_name = "RULE", requires = "default_option")]
    pub majority_rule: Option<MajorityRuleArg>,

    /// With --default-option: an option stays only if at least Q ballots prefer it to
    /// the default option [default: 0]. Debian's quorum of 1.5 × √K, rounded up.
    #[arg(long, value_name = "Q", requires = "default_option")]
    pub quorum: Option<u64>,

    /// Settle deciding ties by a SHA-256 draw seeded with TEXT (documented and
    /// repeatable); without it ties are reported and the command exits 1.
    #[arg(long, value_name = "TEXT")]
    pub tie_seed: Option<String>,
}

/// The counting methods, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Schulze (beatpath), as CIVS and Elekto count.
    Schulze,
    /// Tideman's ranked pairs.
    RankedPairs,
    /// Minimax.
    Minimax,
    /// CIVS's Condorcet-IRV.
    CondorcetIrv,
    /// Instant-runoff voting.
    Irv,
    /// Single transferable vote (see --stv).
    Stv,
    /// Cumulative voting (ballots with votes per candidate).
    Cumulative,
    /// Approval: every ranked candidate is approved.
    Approval,
    /// Plurality: first preferences only.
    Plurality,
}

impl MethodArg {
    fn name(self) -> &'static str {
        match self {
            Self::Schulze => "schulze",
            Self::RankedPairs => "ranked-pairs",
            Self::Minimax => "minimax",
            Self::CondorcetIrv => "condorcet-irv",
            Self::Irv => "irv",
            Self::Stv => "stv",
            Self::Cumulative => "cumulative",
            Self::Approval => "approval",
            Self::Plurality => "plurality",
        }
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Headed tables.
    Table,
    /// Pretty JSON (the documented contract).
    Json,
    /// The ranking as CSV, one row per candidate.
    Csv,
    /// A results page in Markdown, to publish beside the election.
    Markdown,
}

/// Ballot formats, as `--input-format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// CIVS ballot export.
    Civs,
    /// Elekto ballot export (candidate ids).
    Elekto,
    /// CIVS upload format (ranks, "-", mX multipliers).
    CivsUpload,
    /// BLT.
    Blt,
    #[value(help = "PrefLib .soc .soi .toc .toi")]
    Preflib,
    /// electorate CSV (voter, weight, rank:NAME or votes:NAME columns).
    Csv,
    /// electorate TOML.
    Toml,
}

impl From<InputFormatArg> for InputFormat {
    fn from(format: InputFormatArg) -> Self {
        match format {
            InputFormatArg::Civs => Self::Civs,
            InputFormatArg::Elekto => Self::Elekto,
            InputFormatArg::CivsUpload => Self::CivsUpload,
            InputFormatArg::Blt => Self::Blt,
            InputFormatArg::Preflib => Self::Preflib,
            InputFormatArg::Csv => Self::Csv,
            InputFormatArg::Toml => Self::Toml,
        }
    }
}

/// `--unranked` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnrankedArg {
    /// Compared with no one (CIVS, Elekto).
    Ignore,
    /// Tied below every ranked candidate (Debian).
    Last,
}

/// `--strength` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrengthArg {
    /// Winning votes, losing votes breaking ties.
    Winning,
    /// Margins.
    Margin,
}

/// `--ranking` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RankingArg {
    /// Repeatedly take the unbeaten candidates.
    Civs,
    /// 1 + the number of candidates that beat this one.
    Elekto,
}

/// `--stv` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StvArg {
    /// New Zealand Meek rules.
    Meek,
    /// Scottish STV.
    Scottish,
    /// ERS97, Gregory transfers, exact rationals.
    Ers,
}

/// `--irv-tied-rank` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TiedRankArg {
    /// The ballot stops at a tied rank.
    Exhaust,
    /// The tied rank is skipped.
    Skip,
}

/// `--majority-rule` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MajorityRuleArg {
    /// At least N/M times as many, and more (Debian since 2015).
    AtLeast,
    /// More than N/M times as many (Debian 2003 to 2015).
    MoreThan,
}

impl CountArgs {
    /// The method with its options, refusing flags that do not apply to it.
    ///
    /// # Errors
    /// A method option given for a method it does not apply to.
    pub fn method(&self) -> anyhow::Result<Method> {
        use MethodArg as M;
        let method = self.method;
        let check = |given: bool, flag: &str, applies: &[MethodArg]| -> anyhow::Result<()> {
            if given && !applies.contains(&method) {
                let names: Vec<&str> = applies.iter().map(|m| m.name()).collect();
                bail!(
                    "{flag} does not apply to --method {}, expected one of the methods it applies to: {}",
                    method.name(),
                    names.join(", ")
                );
            }
            Ok(())
        };
        check(
            self.unranked.is_some(),
            "--unranked",
            &[M::Schulze, M::RankedPairs, M::Minimax, M::CondorcetIrv],
        )?;
        check(
            self.strength.is_some(),
            "--strength",
            &[M::Schulze, M::RankedPairs, M::Minimax],
        )?;
        check(self.ranking.is_some(), "--ranking", &[M::Schulze])?;
        check(self.stv.is_some(), "--stv", &[M::Stv])?;
        check(
            self.irv_tied_rank.is_some(),
            "--irv-tied-rank",
            &[M::Irv, M::Stv, M::CondorcetIrv],
        )?;
        check(
            self.votes_per_ballot.is_some(),
            "--votes-per-ballot",
            &[M::Cumulative],
        )?;

        let unranked = match self.unranked {
            Some(UnrankedArg::Last) => Unranked::Last,
            Some(UnrankedArg::Ignore) | None => Unranked::Ignore,
        };
        let strength = match self.strength {
            Some(StrengthArg::Margin) => Strength::Margin,
            Some(StrengthArg::Winning) | None => Strength::Winning,
        };
        let tied_rank = match self.irv_tied_rank {
            Some(TiedRankArg::Skip) => TiedRank::Skip,
            Some(TiedRankArg::Exhaust) | None => TiedRank::Exhaust,
        };
        let condorcet = CondorcetOptions { unranked, strength };
        Ok(match method {
            M::Schulze => Method::Schulze(SchulzeOptions {
                unranked,
                strength,
                ranking: match self.ranking {
                    Some(RankingArg::Elekto) => RankingRule::Elekto,
                    Some(RankingArg::Civs) | None => RankingRule::Civs,
                },
            }),
            M::RankedPairs => Method::RankedPairs(condorcet),
            M::Minimax => Method::Minimax(condorcet),
            M::CondorcetIrv => Method::CondorcetIrv(CondorcetIrvOptions {
                unranked,
                tied_rank,
            }),
            M::Irv => Method::Irv(IrvOptions { tied_rank }),
            M::Stv => Method::Stv(StvOptions {
                variant: match self.stv {
                    Some(StvArg::Scottish) => StvVariant::Scottish,
                    Some(StvArg::Ers) => StvVariant::Ers,
                    Some(StvArg::Meek) | None => StvVariant::Meek,
                },
                tied_rank,
            }),
            M::Cumulative => Method::Cumulative(CumulativeOptions {
                votes_per_ballot: self.votes_per_ballot,
            }),
            M::Approval => Method::Approval,
            M::Plurality => Method::Plurality,
        })
    }
}

/// `N:M`, both whole numbers of at least 1.
fn parse_majority(text: &str) -> Result<(u32, u32), String> {
    let expected = || format!("{text:?} is not a ratio, expected N:M such as 3:1");
    let (n, m) = text.split_once(':').ok_or_else(expected)?;
    let n: u32 = n.trim().parse().map_err(|_| expected())?;
    let m: u32 = m.trim().parse().map_err(|_| expected())?;
    if n == 0 || m == 0 {
        return Err(format!(
            "{text:?} has a zero, expected N:M with both at least 1"
        ));
    }
    Ok((n, m))
}

/// Run `electorate tally`.
///
/// # Errors
/// Bad flags, unreadable or invalid input, a count that cannot be run, or a failed
/// write to standard output.
pub fn run(args: &TallyArgs, terminal: &Terminal) -> anyhow::Result<Outcome> {
    let bar = Bar::new(terminal);
    let counted = args
        .count
        .count(&args.ballots, args.roll.as_deref(), &bar)?;
    let result = &counted.result;
    if let Some(dir) = &args.report {
        write_report(args, &counted, dir, &bar)?;
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        OutputFormat::Table => report::tally::write_table(result, &terminal.out, &mut out)?,
        OutputFormat::Json => report::tally::write_json(result, &mut out)?,
        OutputFormat::Csv => report::tally::write_csv(result, &mut out)?,
        OutputFormat::Markdown => report::tally::write_markdown(result, &mut out)?,
    }
    out.flush()?;
    Ok(if result.has_problems() {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// The results page of `tally --report`, written as `roll --out` writes.
fn write_report(args: &TallyArgs, counted: &Counted, dir: &Path, bar: &Bar) -> anyhow::Result<()> {
    let page = report::tally_page::Page {
        result: &counted.result,
        ballots_sha256: &counted.ballots_sha256,
    };
    let outputs: Vec<Output> = bar
        .phase("drawing the results page", || {
            report::tally_page::files(&page)
        })
        .map_err(|message| anyhow!("cannot draw the results page: {message}"))?
        .into_iter()
        .map(|(name, bytes)| Output::new(name, bytes))
        .collect();
    let inputs = [
        Some(&args.ballots),
        args.count.candidates.as_ref(),
        args.roll.as_ref(),
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    let options = DirOptions {
        keep_foreign: false,
        inputs,
        made_from: None,
    };
    publish_dir(dir, &outputs, &options)?;
    eprintln!(
        "wrote the results page to {}",
        dir.join("index.html").display()
    );
    Ok(())
}

/// A count, with the digest of the ballot file it read.
pub(super) struct Counted {
    pub(super) result: TallyResult,
    /// SHA-256 of the ballot file's bytes, in hex.
    pub(super) ballots_sha256: String,
}

impl CountArgs {
    /// Read a ballot file, check it against a roll when one is given, and count it.
    ///
    /// # Errors
    /// Bad flags, unreadable or invalid input, or a count that cannot be run.
    pub(super) fn count(
        &self,
        ballots: &Path,
        roll: Option<&Path>,
        bar: &Bar,
    ) -> anyhow::Result<Counted> {
        let method = self.method()?;
        if self.tie_seed.as_deref() == Some("") {
            bail!(
                "--tie-seed \"\" is empty, expected a seed text such as the election's name and date"
            );
        }
        let candidates = self
            .candidates
            .as_deref()
            .map(|path| {
                let name = display(path);
                let bytes = read_file(path, "candidates file", bar)?;
                let text = decode(&name, &bytes)?;
                Ok::<_, anyhow::Error>(CandidateFile::parse(&name, text)?)
            })
            .transpose()?;

        let (mut set, ballots_sha256) = read_ballot_file(ballots, self, candidates.as_ref(), bar)?;
        if let Some(path) = &self.members {
            affiliations_from(path, &mut set)?;
        }

        let roll_check = roll
            .map(|path| {
                let roll_name = display(path);
                let bytes = read_file(path, "roll", bar)?;
                let roll = VoterRoll::parse(&roll_name, decode(&roll_name, &bytes)?)?;
                Ok::<_, anyhow::Error>(check_against_roll(&set, &roll)?)
            })
            .transpose()?;
        let counted = roll_check.as_ref().map_or(&set, |check| &check.accepted);

        let contest = Contest {
            seats: self.seats.or(set.seats).unwrap_or(1),
            tie_seed: self.tie_seed.clone(),
            max_per_affiliation: self.max_per_affiliation,
            default_option: self.default_option.as_ref().map(|name| DefaultOption {
                name: name.clone(),
                majority: self.majority.unwrap_or((1, 1)),
                rule: match self.majority_rule {
                    Some(MajorityRuleArg::MoreThan) => MajorityRule::MoreThan,
                    Some(MajorityRuleArg::AtLeast) | None => MajorityRule::AtLeast,
                },
                quorum: self.quorum.unwrap_or(0),
            }),
        };
        let mut result = bar.phase(
            format!(
                "counting {} ballots by {}",
                thousands(counted.ballots.len()),
                self.method.name()
            ),
            || tally(counted, &method, &contest),
        )?;
        if let Some(check) = &roll_check {
            check.record_in(&mut result);
        }
        Ok(Counted {
            result,
            ballots_sha256,
        })
    }
}

/// Give the candidates of `set` the affiliations of a members CSV.
fn affiliations_from(path: &Path, set: &mut BallotSet) -> anyhow::Result<()> {
    let members = crate::cli::read::members(path)?;
    crate::tally::affiliation::from_members(set, &members, &display(path))
        .map_err(|message| anyhow!(message))
}

/// Read, detect and parse the ballot file; the raw text is dropped on return, before
/// the count, since a large file's text outweighs its ballots.
fn read_ballot_file(
    ballots: &Path,
    args: &CountArgs,
    candidates: Option<&CandidateFile>,
    bar: &Bar,
) -> anyhow::Result<(BallotSet, String)> {
    let name = display(ballots);
    let bytes = read_file(ballots, "ballot file", bar)?;
    let sha256 = crate::digest::sha256_hex(&bytes);
    let text = decode(&name, &bytes)?;
    let detection = match args.input_format {
        Some(format) => Detection {
            format: format.into(),
            by: DetectedBy::Forced,
        },
        None => detect(&name, text, candidates),
    };
    let set = bar
        .phase(format!("reading ballots as {detection}"), || {
            read_as(&name, text, detection.format, candidates)
        })
        .map_err(|error| {
            if detection.by == DetectedBy::Forced {
                anyhow!(error)
            } else {
                anyhow!(
                    "{error}\nhint: the file was read as {detection}; --input-format chooses another format"
                )
            }
        })?;
    Ok((set, sha256))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Read a whole input file, refusing it at its first line longer than
/// [`MAX_LINE_BYTES`](crate::tally::format::limits::MAX_LINE_BYTES) before memory grows
/// with it.
fn read_file(path: &Path, what: &str, bar: &Bar) -> anyhow::Result<Vec<u8>> {
    let name = display(path);
    let could_not = || format!("could not read the {what} {name:?}");
    let file = fs::File::open(path).with_context(could_not)?;
    let size = file.metadata().ok().map(|metadata| metadata.len());
    bar.start_reading(size.unwrap_or(0));
    let bytes = read_bounded(&name, bar.reader(file), size);
    bar.done_reading();
    Ok(bytes.with_context(could_not)??)
}
