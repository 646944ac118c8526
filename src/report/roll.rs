//! Rolls rendered: the `.txt` list CIVS takes (one address per line, byte-sorted), the
//! `.csv` with the evidence behind every name, the `manifest.json` that ties outputs to
//! inputs by SHA-256, and the summary shown on the terminal. These shapes are contracts,
//! documented in `docs/outputs.md`.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{Code, Diagnostics, InputFile, Problem, format_instant};
use crate::policy::ChangeCounts;
use crate::report::style::Style;
use crate::report::table::{self, Align};
use crate::roll::{ExtraAtcCounts, NotBuilt, Roll, Rolls};

/// The `.txt` roll: one address per line, byte-sorted, unique, newline-terminated.
///
/// # Errors
/// Writing failed.
pub fn write_txt(roll: &Roll, out: &mut dyn Write) -> io::Result<()> {
    let mut text = String::with_capacity(roll.voters.len() * 32);
    for voter in &roll.voters {
        text.push_str(&voter.email);
        text.push('\n');
    }
    out.write_all(text.as_bytes())
}

/// The columns of a roll's `.csv`, in order.
pub const CSV_COLUMNS: [&str; 15] = [
    "person",
    "name",
    "email",
    "account_ids",
    "usernames",
    "member_id",
    "statuses",
    "criteria",
    "contributions",
    "first_contribution_at",
    "first_contribution",
    "last_contribution_at",
    "last_contribution",
    "extra_atc_expires",
    "excluded",
];

/// One roll of a set, for rendering with what the set knows.
#[derive(Debug, Clone, Copy)]
pub struct RollView<'r, 'a> {
    pub rolls: &'r Rolls<'a>,
    pub roll: &'r Roll,
}

/// The `.csv` roll with its evidence columns.
///
/// # Errors
/// Writing failed.
pub fn write_csv(view: &RollView<'_, '_>, out: &mut dyn Write) -> io::Result<()> {
    let RollView { rolls, roll } = *view;
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_COLUMNS)?;
    // Fields are written one by one from borrowed text where possible: a team roll of
    // thousands of voters is rendered five hundred times over in a large election.
    let mut scratch = String::new();
    // Voters in the `.txt` order, then the people an official can put back by fixing an
    // input (no usable address), by person key, with the reason and the address as found.
    let mut held: Vec<(&str, &crate::roll::Voter, Code)> = roll
        .excluded
        .iter()
        .filter_map(|e| {
            let voter = e.held.as_ref()?;
            Some((rolls.people.person(e.person).key.as_str(), voter, e.code))
        })
        .collect();
    held.sort_by(|a, b| a.0.cmp(b.0));
    let rows = roll
        .voters
        .iter()
        .map(|voter| (voter, None))
        .chain(held.into_iter().map(|(_, voter, code)| (voter, Some(code))));
    for (voter, excluded) in rows {
        write_row(rolls, voter, excluded, &mut scratch, &mut csv)?;
    }
    csv.flush()
}

fn write_row(
    rolls: &Rolls<'_>,
    voter: &crate::roll::Voter,
    excluded: Option<Code>,
    scratch: &mut String,
    csv: &mut csv::Writer<&mut dyn Write>,
) -> io::Result<()> {
    let election = rolls.election;
    let profile = rolls.people.person(voter.person);
    csv.write_field(&profile.key)?;
    csv.write_field(profile.name.as_deref().unwrap_or(""))?;
    match excluded {
        None => csv.write_field(&voter.email)?,
        Some(_) => csv.write_field(profile.unusable_emails.first().map_or("", String::as_str))?,
    }
    joined(scratch, profile.account_ids.iter().map(u64::to_string));
    csv.write_field(&*scratch)?;
    joined(scratch, profile.usernames.iter().cloned());
    csv.write_field(&*scratch)?;
    let member = profile
        .member
        .and_then(|m| election.members.as_ref().and_then(|ms| ms.members.get(m)));
    csv.write_field(member.map_or("", |m| m.id.as_str()))?;
    joined(
        scratch,
        voter
            .statuses
            .iter()
            .map(|&s| rolls.policy.statuses[s].id.clone()),
    );
    csv.write_field(&*scratch)?;
    joined(
        scratch,
        voter.criteria.iter().map(|&c| rolls.criteria[c].to_owned()),
    );
    csv.write_field(&*scratch)?;
    csv.write_field(voter.contributions.to_string())?;
    for end in [voter.first, voter.last] {
        match end {
            Some((at, evidence)) => {
                csv.write_field(format_instant(at))?;
                csv.write_field(evidence.describe(election))?;
            }
            None => {
                csv.write_field("")?;
                csv.write_field("")?;
            }
        }
    }
    match voter.extra_atc_expires {
        Some(month) => csv.write_field(month.to_string())?,
        None => csv.write_field("")?,
    }
    csv.write_field(excluded.map_or("", Code::as_str))?;
    csv.write_record(None::<&[u8]>)?;
    Ok(())
}

/// `a;b;c` into a reused buffer.
fn joined(buffer: &mut String, parts: impl Iterator<Item = String>) {
    buffer.clear();
    for (i, part) in parts.enumerate() {
        if i > 0 {
            buffer.push(';');
        }
        buffer.push_str(&part);
    }
}

/// One output file in the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenFile {
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RollSummary {
    pub name: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub voters: usize,
    pub excluded_not_member: usize,
    pub excluded_no_email: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub excluded_no_full_name: usize,
    pub files: Vec<WrittenFile>,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Serialize)]
pub struct ManifestElection {
    pub name: String,
    pub window_start: String,
    pub window_end: String,
    pub as_of: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ManifestPolicy {
    pub name: String,
    pub title: String,
    pub origin: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeAccounting {
    pub records: u64,
    pub rejected: u64,
    /// Records of a change already read (see [`crate::model::duplicates`]), counted once.
    pub duplicates: u64,
    #[serde(flatten)]
    pub counts: ChangeCounts,
}

/// `manifest.json`: what was read, what rules were applied, what was written.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub tool: String,
    pub election: ManifestElection,
    pub policy: ManifestPolicy,
    pub compat: String,
    pub membership_checked: bool,
    pub inputs: Vec<InputFile>,
    pub changes: ChangeAccounting,
    pub people: usize,
    pub extra_atcs: ExtraAtcCounts,
    pub rolls: Vec<RollSummary>,
    /// Team rolls the policy does not build for their team's kind of leadership.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_built: Vec<NotBuilt>,
    /// Rows left out with `--skip-bad-rows`, each with its location and reason.
    pub skipped_rows: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// Assemble the manifest. `files` gives, per roll, the output files written (empty when
/// nothing is written); `problems` are the inputs' problems (errors were skipped rows).
#[must_use]
pub fn manifest(rolls: &Rolls<'_>, problems: &Diagnostics, files: &[Vec<WrittenFile>]) -> Manifest {
    let election = rolls.election;
    let policy = rolls.policy;
    let records = election.change_records();
    let dates = rolls.dates;
    Manifest {
        tool: format!("electorate {}", env!("CARGO_PKG_VERSION")),
        election: ManifestElection {
            name: election.name.clone(),
            window_start: format_instant(dates.window.start),
            window_end: format_instant(dates.window.end),
            as_of: format_instant(dates.as_of),
        },
        policy: ManifestPolicy {
            name: policy.name.clone(),
            title: policy.title.clone(),
            origin: policy.origin.to_string(),
            sha256: policy.sha256.clone(),
        },
        compat: rolls.compat.to_string(),
        membership_checked: rolls.membership_checked,
        inputs: election.inputs.clone(),
        changes: ChangeAccounting {
            records: records.read,
            rejected: records.rejected,
            duplicates: records.duplicates,
            counts: rolls.changes.clone(),
        },
        people: rolls.people.len(),
        extra_atcs: rolls.extra_atcs.clone(),
        rolls: rolls
            .rolls
            .iter()
            .enumerate()
            .map(|(i, roll)| RollSummary {
                name: roll.name.clone(),
                title: policy.rolls[roll.def].title.clone(),
                team: roll.team.map(|t| election.governance.team(t).name.clone()),
                voters: roll.voters.len(),
                excluded_not_member: roll.excluded_with(Code::ExcludedNotMember),
                excluded_no_email: roll.excluded_with(Code::ExcludedNoEmail),
                excluded_no_full_name: roll.excluded_with(Code::ExcludedNoFullName),
                files: files.get(i).cloned().unwrap_or_default(),
            })
            .collect(),
        not_built: rolls.not_built.clone(),
        skipped_rows: problems.errors().cloned().collect(),
        warnings: problems.warnings().cloned().collect(),
    }
}

/// The manifest as JSON (also `roll --format json`).
///
/// # Errors
/// Writing failed.
pub fn write_json(manifest: &Manifest, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(manifest, out)
}

/// How many team rolls the terminal table lists one by one before summarising.
const TEAM_ROWS_SHOWN: usize = 25;

/// The terminal summary: one row per roll (team rolls summarised when there are many),
/// then the change accounting.
///
/// # Errors
/// Writing failed.
pub fn write_summary(manifest: &Manifest, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let mut t = table::new(style, ["roll", "voters", "not members", "no e-mail"]);
    let team_rolls = manifest.rolls.iter().filter(|r| r.team.is_some()).count();
    let mut summarised = (0usize, 0usize, 0usize, 0usize);
    for roll in &manifest.rolls {
        if roll.team.is_some() && team_rolls > TEAM_ROWS_SHOWN {
            summarised.0 += 1;
            summarised.1 += roll.voters;
            summarised.2 += roll.excluded_not_member;
            summarised.3 += roll.excluded_no_email;
            continue;
        }
        t.add_row([
            roll.name.clone(),
            roll.voters.to_string(),
            roll.excluded_not_member.to_string(),
            roll.excluded_no_email.to_string(),
        ]);
    }
    if summarised.0 > 0 {
        t.add_row([
            format!("{} team rolls", summarised.0),
            summarised.1.to_string(),
            summarised.2.to_string(),
            summarised.3.to_string(),
        ]);
    }
    table::align(&mut t, 1..4, Align::Right);
    writeln!(
        out,
        "{} ({}), policy {}{}",
        manifest.election.name,
        manifest.tool,
        manifest.policy.name,
        if manifest.compat == "none" {
            String::new()
        } else {
            format!(", compat {}", manifest.compat)
        },
    )?;
    writeln!(
        out,
        "window [{}, {}), as of {}",
        manifest.election.window_start, manifest.election.window_end, manifest.election.as_of,
    )?;
    writeln!(out, "{t}")?;
    if !manifest.not_built.is_empty() {
        let rolls: Vec<String> = manifest
            .not_built
            .iter()
            .map(|n| format!("{} ({} leadership)", n.name, n.leadership))
            .collect();
        writeln!(out, "not built: {}", rolls.join(", "))?;
    }
    let c = &manifest.changes;
    write!(
        out,
        "changes: {} read, {} used, {} outside the window, {} in repositories not governed, {} retired, {} not merged, {} on other branches, {} rejected",
        c.records,
        c.counts.used,
        c.counts.outside_window,
        c.counts.repo_not_governed,
        c.counts.repo_retired,
        c.counts.not_merged,
        c.counts.branch_excluded,
        c.rejected,
    )?;
    if c.duplicates > 0 {
        write!(out, ", {} duplicates counted once", c.duplicates)?;
    }
    if c.counts.repo_not_selected > 0 {
        write!(
            out,
            ", {} in repositories no criterion names",
            c.counts.repo_not_selected
        )?;
    }
    if c.counts.not_credited > 0 {
        write!(
            out,
            ", {} credited to nobody the criteria credit",
            c.counts.not_credited
        )?;
    }
    if c.counts.not_counted > 0 {
        write!(
            out,
            ", {} not counted by any criterion",
            c.counts.not_counted
        )?;
    }
    if c.counts.dropped_duplicate_account > 0 {
        write!(
            out,
            ", {} dropped as in the reference tooling",
            c.counts.dropped_duplicate_account
        )?;
    }
    writeln!(out)?;
    let e = &manifest.extra_atcs;
    write!(
        out,
        "extra-ATCs: {} listed, {} valid, {} expired",
        e.listed, e.valid, e.expired
    )?;
    if e.ignored_compat > 0 {
        write!(
            out,
            ", {} ignored as in the reference tooling",
            e.ignored_compat
        )?;
    }
    writeln!(out)?;
    writeln!(out, "people: {}", manifest.people)?;
    if !manifest.membership_checked {
        writeln!(
            out,
            "membership: NOT CHECKED (no members file in the election); the rolls may include non-members"
        )?;
    }
    Ok(())
}

/// The summary as CSV: one row per roll.
///
/// # Errors
/// Writing failed.
pub fn write_summary_csv(manifest: &Manifest, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "roll",
        "team",
        "voters",
        "excluded_not_member",
        "excluded_no_email",
    ])?;
    for roll in &manifest.rolls {
        csv.write_record([
            roll.name.as_str(),
            roll.team.as_deref().unwrap_or(""),
            &roll.voters.to_string(),
            &roll.excluded_not_member.to_string(),
            &roll.excluded_no_email.to_string(),
        ])?;
    }
    csv.flush()
}

/// Every roll as the files `roll --out` writes (`<roll>.txt`, `<roll>.csv`, and, when the
/// files are to be written, `manifest.json` last), and the manifest.
#[derive(Debug, Clone)]
pub struct RenderedRolls {
    pub files: Vec<(String, Vec<u8>)>,
    pub manifest: Manifest,
}

/// The manifest's own file name.
pub const MANIFEST: &str = "manifest.json";

/// The names of the files [`render_each`] gives for rolls of these names, in its order:
/// `<roll>.txt` and `<roll>.csv` for each roll, then, with `listed`, the manifest.
#[must_use]
pub fn file_names<S: AsRef<str>>(rolls: impl IntoIterator<Item = S>, listed: bool) -> Vec<String> {
    let mut names: Vec<String> = rolls
        .into_iter()
        .flat_map(|roll| {
            let roll = roll.as_ref();
            [format!("{roll}.txt"), format!("{roll}.csv")]
        })
        .collect();
    if listed {
        names.push(MANIFEST.to_owned());
    }
    names
}

/// Render every roll and the manifest. With `listed`, the manifest lists the roll files
/// with their hashes and is itself the last file; without, it lists none (nothing is
/// written).
///
/// # Errors
/// Rendering into memory failed (it does not).
pub fn render(
    rolls: &Rolls<'_>,
    problems: &Diagnostics,
    listed: bool,
) -> io::Result<RenderedRolls> {
    let files = std::sync::Mutex::new(Vec::with_capacity(rolls.rolls.len() * 2 + 1));
    let manifest = render_each(rolls, problems, listed, &|name, bytes| {
        files
            .lock()
            .map_err(|_| io::Error::other("a renderer panicked"))?
            .push((name, bytes));
        Ok(())
    })?;
    let mut files = files
        .into_inner()
        .map_err(|_| io::Error::other("a renderer panicked"))?;
    // In the order of `file_names`, whichever thread rendered each.
    let order = file_names(rolls.rolls.iter().map(|r| r.name.as_str()), listed);
    let position: std::collections::HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    files.sort_by_key(|(name, _)| position.get(name.as_str()).copied());
    Ok(RenderedRolls { files, manifest })
}

/// As [`render`], handing each file to `sink` as soon as it is rendered (so that it can
/// be written while the next is rendered). Large sets of rolls are rendered on two
/// threads, so files arrive in no particular order, the manifest last.
///
/// # Errors
/// What `sink` returns.
pub fn render_each(
    rolls: &Rolls<'_>,
    problems: &Diagnostics,
    listed: bool,
    sink: &(dyn Fn(String, Vec<u8>) -> io::Result<()> + Sync),
) -> io::Result<Manifest> {
    let render_one = |roll: &Roll| -> io::Result<Vec<WrittenFile>> {
        let mut txt = Vec::new();
        write_txt(roll, &mut txt)?;
        let mut csv = Vec::with_capacity(roll.voters.len() * 200);
        write_csv(&RollView { rolls, roll }, &mut csv)?;
        let (txt_name, csv_name) = (format!("{}.txt", roll.name), format!("{}.csv", roll.name));
        let hashes = if listed {
            vec![
                WrittenFile {
                    path: txt_name.clone(),
                    sha256: crate::digest::sha256_hex(&txt),
                },
                WrittenFile {
                    path: csv_name.clone(),
                    sha256: crate::digest::sha256_hex(&csv),
                },
            ]
        } else {
            Vec::new()
        };
        sink(txt_name, txt)?;
        sink(csv_name, csv)?;
        Ok(hashes)
    };
    // Each thread takes the next roll not yet taken: the TC roll alone is a third of
    // the work, so a fixed split would leave one thread idle.
    let threads = if rolls.rolls.len() >= PARALLEL_ROLLS {
        2
    } else {
        1
    };
    let rendered =
        crate::parallel::each(rolls.rolls.len(), threads, |i| render_one(&rolls.rolls[i]))?;
    let written: Vec<Vec<WrittenFile>> = if listed { rendered } else { Vec::new() };
    let manifest = manifest(rolls, problems, &written);
    if listed {
        let mut json = Vec::new();
        write_json(&manifest, &mut json)?;
        sink(MANIFEST.to_owned(), json)?;
    }
    Ok(manifest)
}

/// From this many rolls on, [`render_each`] renders on two threads: low enough that the
/// shipped example (eight rolls) and the tests built on it go through that path.
const PARALLEL_ROLLS: usize = 4;
