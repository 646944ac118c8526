//! `electorate fetch changes|members`: download what `roll` reads into a directory with a
//! manifest. The only networked command; the work is in [`crate::fetch`], this file
//! turns flags into settings, reads the clock once, and draws progress on a terminal.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::cli::Outcome;
use crate::cli::settings::election_file;
use crate::cli::settings::parse_compat;
use crate::fetch::http::{CREDENTIALS_VARIABLE, Credentials, Http, Server, Timeouts};
use crate::fetch::retry::{Retry, Retrying};
use crate::fetch::{Progress, changes, members, scope};
use crate::ingest::{Silent, inputs};
use crate::model::Compat;
use crate::model::Diagnostics;

/// Download what `roll` reads, once, into files with a manifest.
///
/// `fetch changes` asks Gerrit's REST API for the merged changes of every repository
/// the election governs; `fetch members` asks the Foundation member directory about
/// every address a roll would hold. Both write into a directory of their own, with
/// fetch-manifest.json (server, queries, time fetched, tool version, sha256 of every
/// file), so that anyone can rebuild the roll offline. A second run fetches only what
/// is missing or newer; an interrupted run resumes where it stopped.
///
/// See docs/fetch.md.
#[derive(Debug, Subcommand)]
#[command(verbatim_doc_comment)]
pub enum FetchCommand {
    Changes(ChangesArgs),
    Members(MembersArgs),
}

/// How to talk to a server.
#[derive(Debug, Clone, Args)]
pub struct NetArgs {
    /// Requests in flight at once, at most.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,

    /// Tries after the first, on timeouts, resets, 5xx and 429 answers.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub retries: u32,

    /// Seconds to wait for a connection, and for each read of an answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,

    /// No progress display and no retry notices.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl NetArgs {
    fn retry(&self) -> Retry {
        Retry {
            attempts: self.retries.saturating_add(1),
            ..Retry::default()
        }
    }

    fn timeouts(&self) -> Timeouts {
        let timeout = Duration::from_secs(self.timeout);
        Timeouts {
            connect: timeout.min(Timeouts::default().connect),
            read: timeout,
        }
    }
}

/// Fetch the merged changes of the election's repositories from Gerrit.
///
/// Queries `status:merged project:REPO mergedafter:DAY mergedbefore:DAY` for every
/// repository the election's governance files list (project teams, SIGs, TC, and retired
/// ones that can still count), or those --repo selects, over the election window widened
/// by --margin-days on each side, and writes DIR/changes/<repo>.json (the REST JSON
/// `roll` reads) and DIR/fetch-manifest.json. Name DIR/changes/ in the election's
/// [inputs] changes.
///
/// Anonymous by default; for a private server, credentials come from the environment
/// variable ELECTORATE_GERRIT_CREDENTIALS (LOGIN:PASSWORD) or from ~/.netrc, and are
/// never printed or written.
///
/// Example:
///   electorate fetch changes --election election.toml \
///       --server https://review.opendev.org --out gerrit
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ChangesArgs {
    /// The election file: its window, and the governance files that list repositories
    /// [default: $ELECTORATE_ELECTION, else election.toml in the current directory].
    #[arg(long, short = 'e', value_name = "FILE")]
    pub election: Option<PathBuf>,

    /// The directory to fetch into (created; only an empty one or a previous fetch's).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,

    /// The Gerrit server.
    #[arg(long, value_name = "URL", default_value = "https://review.opendev.org")]
    pub server: String,

    /// Only the governed repositories matching PATTERN (`*` matches anything); a name
    /// without `*` that no governed repository matches is fetched as named. Repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub repo: Vec<String>,

    /// Changes asked for per page (Gerrit's `n`).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub page_size: u32,

    /// Days added before and after the election window in the query.
    #[arg(long, value_name = "DAYS", default_value_t = 1, value_parser = clap::value_parser!(u32).range(..=366))]
    pub margin_days: u32,

    /// The netrc file to take credentials from [default: $NETRC, else ~/.netrc].
    #[arg(long, value_name = "FILE")]
    pub netrc: Option<PathBuf>,

    #[command(flatten)]
    pub net: NetArgs,
}

/// Look up in the Foundation member directory every address a roll would hold.
///
/// Reads the election (without its members file), applies the policy with no membership
/// check, and asks the member directory about every address of everybody on a roll, as
/// the reference tooling's lookup_member does. Answers are cached per address in
/// DIR/cache/; DIR/members.csv (member_id, name, email, affiliations) is what `roll`
/// reads: name it as the election's [inputs] members.
///
/// Example:
///   electorate fetch members --election election.toml \
///       --server https://openstackid-resources.openstack.org --out members
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct MembersArgs {
    /// The election file (its changes must be there: fetch them first) [default:
    /// $ELECTORATE_ELECTION, else election.toml in the current directory].
    #[arg(long, short = 'e', value_name = "FILE")]
    pub election: Option<PathBuf>,

    /// A shipped policy name or a policy file [default: the election's, else openstack].
    #[arg(long, short = 'p', value_name = "NAME|FILE")]
    pub policy: Option<String>,

    /// Reproduce the reference tooling's known behaviour (as `roll --compat`).
    #[arg(long, value_name = "MODE", default_value = "none", value_parser = parse_compat)]
    pub compat: Compat,

    /// The directory to fetch into (created; only an empty one or a previous fetch's).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,

    /// The member directory.
    #[arg(long, value_name = "URL", default_value = members::DEFAULT_SERVER)]
    pub server: String,

    /// Ask again about addresses already answered (someone may have joined since).
    #[arg(long)]
    pub refresh: bool,

    #[command(flatten)]
    pub net: NetArgs,
}

pub(super) fn run(command: &FetchCommand) -> anyhow::Result<Outcome> {
    match command {
        FetchCommand::Changes(args) => run_changes(args),
        FetchCommand::Members(args) => run_members(args),
    }
}

/// The one reading of the clock: recorded in the manifest.
fn now() -> crate::model::Instant {
    use chrono::SubsecRound;
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).trunc_subsecs(0)
}

fn netrc_path(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| std::env::var_os("NETRC").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".netrc")))
}

fn run_changes(args: &ChangesArgs) -> anyhow::Result<Outcome> {
    let server = Server::parse(&args.server).map_err(anyhow::Error::msg)?;
    let file = election_file(args.election.as_deref())?;
    let election = scope::read_election(&file)?;
    let governance = scope::governance(&election)?;
    let days = scope::query_days(&election.window, args.margin_days);
    let repos = scope::repositories(&governance, days, &args.repo)?;
    let variable = std::env::var(CREDENTIALS_VARIABLE).ok();
    let netrc = netrc_path(args.netrc.as_deref());
    let credentials = Credentials::find(server.host(), variable.as_deref(), netrc.as_deref())
        .map_err(anyhow::Error::msg)?;
    let transport = Http::new(args.net.timeouts(), credentials.as_ref());
    let settings = changes::Settings {
        server: server.clone(),
        authentication: credentials.as_ref().map(|c| c.source),
        election: Some(scope::election_file(&election)),
        window: election.window,
        margin_days: args.margin_days,
        repos,
        page_size: args.page_size,
        jobs: args.net.jobs as usize,
        retry: args.net.retry(),
        now: now(),
    };
    let display = Display::new(args.net.quiet, "repositories");
    let summary = changes::fetch(&args.out, &settings, &transport, &display);
    display.finish();
    let summary = summary?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} repositor{} from {server}: {} fetched, {} updated, {} already complete",
        summary.repositories,
        if summary.repositories == 1 {
            "y"
        } else {
            "ies"
        },
        summary.fetched,
        summary.updated,
        summary.unchanged
    )?;
    writeln!(
        out,
        "{} changes; {} pages in {} requests; wrote {} file{} and {}",
        summary.changes,
        summary.pages,
        summary.requests,
        summary.files_written,
        if summary.files_written == 1 { "" } else { "s" },
        summary.manifest.display()
    )?;
    out.flush()?;
    Ok(Outcome::Clean)
}

fn run_members(args: &MembersArgs) -> anyhow::Result<Outcome> {
    let server = Server::parse(&args.server).map_err(anyhow::Error::msg)?;
    let mut diagnostics = Diagnostics::default();
    let file = election_file(args.election.as_deref())?;
    let read = crate::ingest::election::read(&file, &mut diagnostics)?;
    let Some(mut election) = read.filter(|_| !diagnostics.has_errors()) else {
        // Each problem names the file and the place.
        let problems: Vec<String> = diagnostics.errors().map(ToString::to_string).collect();
        anyhow::bail!("{}", problems.join("\n"));
    };
    // The members file is what this command writes; the roll it would check is not
    // needed to know whom to look up.
    election.inputs.members = None;
    let record = scope::election_file(&election);
    let bundle = inputs::load_election(election, diagnostics, &Silent)?;
    if bundle.diagnostics.has_errors() {
        let problems: Vec<String> = bundle
            .diagnostics
            .errors()
            .map(ToString::to_string)
            .collect();
        anyhow::bail!(
            "{} problem{} in the election's inputs; nothing was looked up\n{}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            problems.join("\n")
        );
    }
    let name = args
        .policy
        .clone()
        .or_else(|| bundle.election.policy.clone())
        .unwrap_or_else(|| crate::policy::DEFAULT_POLICY.to_owned());
    let policy = crate::policy::resolve(&name)?;
    let addresses = members::addresses(&bundle.election, &policy, args.compat);
    let transport = Http::new(args.net.timeouts(), None);
    let settings = members::Settings {
        server: server.clone(),
        election: Some(record),
        addresses,
        jobs: args.net.jobs as usize,
        retry: args.net.retry(),
        now: now(),
        refresh: args.refresh,
    };
    let display = Display::new(args.net.quiet, "addresses");
    let summary = members::fetch(&args.out, &settings, &transport, &display);
    display.finish();
    let summary = summary?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} address{} at {server}: {} asked ({} requests), {} from the cache; {} member{} found",
        summary.addresses,
        if summary.addresses == 1 { "" } else { "es" },
        summary.looked_up,
        summary.requests,
        summary.cached,
        summary.members,
        if summary.members == 1 { "" } else { "s" }
    )?;
    writeln!(
        out,
        "wrote {} and {}",
        summary.csv.display(),
        args.out.join(crate::fetch::dir::MANIFEST).display()
    )?;
    out.flush()?;
    Ok(Outcome::Clean)
}

/// Progress on stderr: bars on a terminal (overall, and one per item under way), retry
/// notices as lines elsewhere; nothing with --quiet.
struct Display {
    quiet: bool,
    bars: Option<Bars>,
}

struct Bars {
    multi: indicatif::MultiProgress,
    overall: indicatif::ProgressBar,
    items: Mutex<HashMap<String, (indicatif::ProgressBar, u64, u64)>>,
    changes: AtomicU64,
    pages: AtomicU64,
}

impl Display {
    fn new(quiet: bool, unit: &str) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Self { quiet, bars: None };
        }
        let multi = indicatif::MultiProgress::new();
        let overall = multi.add(indicatif::ProgressBar::new(0));
        overall.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{bar:30}} {{pos}}/{{len}} {unit} {{msg}} {{elapsed}}"
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Self {
            quiet,
            bars: Some(Bars {
                multi,
                overall,
                items: Mutex::new(HashMap::new()),
                changes: AtomicU64::new(0),
                pages: AtomicU64::new(0),
            }),
        }
    }

    fn finish(&self) {
        if let Some(bars) = &self.bars {
            bars.overall.finish_and_clear();
        }
    }
}

impl Progress for Display {
    fn planned(&self, items: usize) {
        if let Some(bars) = &self.bars {
            bars.overall.set_length(items as u64);
        }
    }

    fn started(&self, item: &str) {
        if let Some(bars) = &self.bars {
            let bar = bars
                .multi
                .add(indicatif::ProgressBar::new_spinner().with_message(item.to_owned()));
            bar.enable_steady_tick(Duration::from_millis(200));
            if let Ok(mut items) = bars.items.lock() {
                items.insert(item.to_owned(), (bar, 0, 0));
            }
        }
    }

    fn page(&self, item: &str, changes: usize) {
        if let Some(bars) = &self.bars {
            let total_changes =
                bars.changes.fetch_add(changes as u64, Ordering::Relaxed) + changes as u64;
            let total_pages = bars.pages.fetch_add(1, Ordering::Relaxed) + 1;
            bars.overall
                .set_message(format!("{total_changes} changes, {total_pages} pages"));
            if let Ok(mut items) = bars.items.lock()
                && let Some((bar, item_changes, item_pages)) = items.get_mut(item)
            {
                *item_changes += changes as u64;
                *item_pages += 1;
                bar.set_message(format!(
                    "{item}: {item_changes} changes, {item_pages} pages"
                ));
            }
        }
    }

    fn finished(&self, item: &str, _changes: u64) {
        if let Some(bars) = &self.bars {
            bars.overall.inc(1);
            if let Ok(mut items) = bars.items.lock()
                && let Some((bar, _, _)) = items.remove(item)
            {
                bar.finish_and_clear();
                bars.multi.remove(&bar);
            }
        }
    }

    fn retrying(&self, item: &str, retry: &Retrying) {
        if self.quiet {
            return;
        }
        let line = format!(
            "retrying {item} in {:.1} s: {} (attempt {} of {})",
            retry.wait.as_secs_f64(),
            retry.reason,
            retry.attempt,
            retry.of
        );
        match &self.bars {
            Some(bars) => {
                let _ = bars.multi.println(line);
            }
            None => eprintln!("{line}"),
        }
    }
}
