//! Rolls rendered: the `.txt` list CIVS takes (one address per line, byte-sorted), the
//! `.csv` with the evidence behind every name, the `manifest.json` that ties outputs to
//! inputs by SHA-256, and the summary shown on the terminal. These shapes are contracts,
//! documented in `docs/outputs.md`.

use serde::Serialize;

use crate::diagnostics::Problem;
use crate::ingest::inputs::{Bundle, InputFile};
use crate::model::{Origin, format_instant};
use crate::policy::codes;
use crate::policy::evaluate::{ChangeCounts, Compat, Dates, Engine, Evaluation, Evidence};
use crate::roll::{NotBuilt, Roll, Rolls, not_built};

/// The `.txt` roll: one address per line, byte-sorted, unique, newline-terminated.
#[must_use]
pub fn roll_txt(roll: &Roll) -> String {
    let mut out = String::with_capacity(roll.voters.len() * 32);
    for voter in &roll.voters {
        out.push_str(&voter.email);
        out.push('\n');
    }
    out
}

/// The columns of a roll's `.csv`, in order.
pub const CSV_COLUMNS: [&str; 14] = [
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
];

/// How to point at a change: its number or Change-Id, else where it was read.
#[must_use]
pub fn change_reference(bundle: &Bundle, change: u32) -> String {
    let change = &bundle.log.changes[change as usize];
    change
        .label(&bundle.log)
        .unwrap_or_else(|| bundle.sources.locate(change.origin))
}

/// How to point at any contribution: a change by number, a meeting by series and date, a
/// roster or metrics row by what it says and where.
#[must_use]
pub fn evidence_reference(bundle: &Bundle, evidence: Evidence) -> String {
    let activities = &bundle.activities;
    match evidence {
        Evidence::Change(c) => change_reference(bundle, c),
        Evidence::Attendance(a) => activities
            .attendance
            .get(a as usize)
            .and_then(|x| activities.meetings.get(x.meeting as usize))
            .map_or_else(String::new, |m| format!("meeting {}", m.series)),
        Evidence::Roster(r) => activities
            .roster
            .get(r as usize)
            .map_or_else(String::new, |e| {
                format!("{} ({})", e.role, bundle.sources.locate(e.origin))
            }),
        Evidence::Metric(m) => activities
            .metrics
            .get(m as usize)
            .map_or_else(String::new, |e| {
                format!("{} ({})", e.identifier, bundle.sources.locate(e.origin))
            }),
    }
}

/// The `.csv` roll with its evidence columns.
///
/// # Errors
/// Only if writing to memory fails, which it does not.
pub fn roll_csv(engine: &Engine<'_>, bundle: &Bundle, roll: &Roll) -> csv::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::with_capacity(roll.voters.len() * 200));
    out.write_record(CSV_COLUMNS)?;
    // Fields are written one by one from borrowed text where possible: a team roll of
    // thousands of voters is rendered five hundred times over in a large election.
    let mut scratch = String::new();
    for voter in &roll.voters {
        let profile = &engine.profiles[voter.person.index()];
        out.write_field(&profile.key)?;
        out.write_field(profile.name.as_deref().unwrap_or(""))?;
        out.write_field(&voter.email)?;
        joined(&mut scratch, profile.account_ids.iter().map(u64::to_string));
        out.write_field(&scratch)?;
        joined(&mut scratch, profile.usernames.iter().cloned());
        out.write_field(&scratch)?;
        let member = profile
            .member
            .and_then(|m| bundle.members.as_ref().and_then(|ms| ms.members.get(m)));
        out.write_field(member.map_or("", |m| m.id.as_str()))?;
        joined(
            &mut scratch,
            voter
                .statuses
                .iter()
                .map(|&s| engine.policy.statuses[s].id.clone()),
        );
        out.write_field(&scratch)?;
        joined(
            &mut scratch,
            voter
                .criteria
                .iter()
                .map(|&c| engine.criteria[c].id.to_owned()),
        );
        out.write_field(&scratch)?;
        out.write_field(voter.contributions.to_string())?;
        for end in [voter.first, voter.last] {
            match end {
                Some((at, evidence)) => {
                    out.write_field(format_instant(at))?;
                    out.write_field(evidence_reference(bundle, evidence))?;
                }
                None => {
                    out.write_field("")?;
                    out.write_field("")?;
                }
            }
        }
        match voter.extra_atc_expires {
            Some(month) => out.write_field(month.to_string())?,
            None => out.write_field("")?,
        }
        out.write_record(None::<&[u8]>)?;
    }
    out.into_inner()
        .map_err(|err| csv::Error::from(err.into_error()))
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
pub struct OutputFile {
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
    pub files: Vec<OutputFile>,
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
    #[serde(flatten)]
    pub counts: ChangeCounts,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExtraAtcAccounting {
    pub listed: usize,
    pub valid: usize,
    pub expired: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub ignored_compat: usize,
}

/// `manifest.json`: what was read, what rules were applied, what was written.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub tool: String,
    pub election: ManifestElection,
    pub policy: ManifestPolicy,
    pub compat: &'static str,
    pub membership_checked: bool,
    pub inputs: Vec<InputFile>,
    pub changes: ChangeAccounting,
    pub people: usize,
    pub extra_atcs: ExtraAtcAccounting,
    pub rolls: Vec<RollSummary>,
    /// Team rolls the policy does not build for their team's kind of leadership.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_built: Vec<NotBuilt>,
    /// Rows left out with `--skip-bad-rows`, each with its location and reason.
    pub skipped_rows: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// Assemble the manifest. `files` gives, per roll, the output files written (empty when
/// nothing is written).
#[must_use]
pub fn manifest(
    engine: &Engine<'_>,
    bundle: &Bundle,
    evaluation: &Evaluation,
    dates: &Dates,
    rolls: &Rolls,
    files: &[Vec<OutputFile>],
) -> Manifest {
    let counts = engine.count_changes(dates);
    let records: u64 = bundle
        .files
        .iter()
        .filter(|f| f.role == "changes")
        .filter_map(|f| f.records)
        .sum();
    let rejected: u64 = bundle
        .files
        .iter()
        .filter(|f| f.role == "changes")
        .filter_map(|f| f.rejected)
        .sum();
    let extra_valid = evaluation
        .grants
        .iter()
        .filter(|g| g.extra_atc.is_some())
        .count();
    let expired = evaluation
        .misses
        .iter()
        .filter(|m| m.code == codes::EXTRA_ATC_EXPIRED)
        .count();
    let ignored = evaluation
        .misses
        .iter()
        .filter(|m| m.code == codes::EXTRA_ATC_IGNORED)
        .count();
    let policy = engine.policy;
    let rolls_summary = rolls
        .rolls
        .iter()
        .enumerate()
        .map(|(i, roll)| RollSummary {
            name: roll.name.clone(),
            title: policy.rolls[roll.def].title.clone(),
            team: roll.team.map(|t| bundle.governance.team(t).name.clone()),
            voters: roll.voters.len(),
            excluded_not_member: roll.excluded_with(codes::EXCLUDED_NOT_MEMBER),
            excluded_no_email: roll.excluded_with(codes::EXCLUDED_NO_EMAIL),
            excluded_no_full_name: roll.excluded_with(codes::EXCLUDED_NO_FULL_NAME),
            files: files.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    Manifest {
        tool: format!("electorate {}", env!("CARGO_PKG_VERSION")),
        election: ManifestElection {
            name: bundle.election.name.clone(),
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
        compat: match engine.compat {
            Compat::None => "none",
            Compat::Reference => "reference",
        },
        membership_checked: rolls.membership_checked,
        inputs: bundle.files.clone(),
        changes: ChangeAccounting {
            records,
            rejected,
            counts,
        },
        people: engine.people.len(),
        extra_atcs: ExtraAtcAccounting {
            listed: bundle.governance.extra_atcs.len(),
            valid: extra_valid,
            expired,
            ignored_compat: ignored,
        },
        rolls: rolls_summary,
        not_built: policy
            .rolls
            .iter()
            .flat_map(|def| not_built(engine, def))
            .collect(),
        skipped_rows: bundle.diagnostics.errors().cloned().collect(),
        warnings: bundle.diagnostics.warnings().cloned().collect(),
    }
}

/// Pretty JSON, newline-terminated.
///
/// # Errors
/// Serialization cannot fail for these types; the error is passed on regardless.
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// How many team rolls the terminal table lists one by one before summarising.
const TEAM_ROWS_SHOWN: usize = 25;

/// The terminal summary: one row per roll (team rolls summarised when there are many),
/// then the change accounting.
#[must_use]
pub fn summary_table(manifest: &Manifest) -> String {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(["roll", "voters", "not members", "no e-mail"]);
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
        table.add_row([
            roll.name.clone(),
            roll.voters.to_string(),
            roll.excluded_not_member.to_string(),
            roll.excluded_no_email.to_string(),
        ]);
    }
    if summarised.0 > 0 {
        table.add_row([
            format!("{} team rolls", summarised.0),
            summarised.1.to_string(),
            summarised.2.to_string(),
            summarised.3.to_string(),
        ]);
    }
    for column in 1..4 {
        if let Some(c) = table.column_mut(column) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    let c = &manifest.changes;
    let mut not_built = String::new();
    if !manifest.not_built.is_empty() {
        let rolls: Vec<String> = manifest
            .not_built
            .iter()
            .map(|n| format!("{} ({} leadership)", n.name, n.leadership))
            .collect();
        not_built = format!("not built: {}\n", rolls.join(", "));
    }
    let mut out = format!(
        "{} ({}), policy {}{}\nwindow [{}, {}), as of {}\n{table}\n{not_built}",
        manifest.election.name,
        manifest.tool,
        manifest.policy.name,
        if manifest.compat == "none" {
            String::new()
        } else {
            format!(", compat {}", manifest.compat)
        },
        manifest.election.window_start,
        manifest.election.window_end,
        manifest.election.as_of,
    );
    out.push_str(&format!(
        "changes: {} read, {} used, {} outside the window, {} in repositories not governed, {} retired, {} not merged, {} on other branches, {} rejected",
        c.records,
        c.counts.used,
        c.counts.outside_window,
        c.counts.repo_not_governed,
        c.counts.repo_retired,
        c.counts.not_merged,
        c.counts.branch_excluded,
        c.rejected,
    ));
    if c.counts.repo_not_selected > 0 {
        out.push_str(&format!(
            ", {} in repositories no criterion names",
            c.counts.repo_not_selected
        ));
    }
    if c.counts.dropped_duplicate_account > 0 {
        out.push_str(&format!(
            ", {} dropped as in the reference tooling",
            c.counts.dropped_duplicate_account
        ));
    }
    out.push('\n');
    let e = &manifest.extra_atcs;
    out.push_str(&format!(
        "extra-ATCs: {} listed, {} valid, {} expired",
        e.listed, e.valid, e.expired
    ));
    if e.ignored_compat > 0 {
        out.push_str(&format!(
            ", {} ignored as in the reference tooling",
            e.ignored_compat
        ));
    }
    out.push('\n');
    out.push_str(&format!("people: {}\n", manifest.people));
    if !manifest.membership_checked {
        out.push_str("membership: NOT CHECKED (no members file in the election); the rolls may include non-members\n");
    }
    out
}

/// Where an origin is, for messages.
#[must_use]
pub fn locate(bundle: &Bundle, origin: Origin) -> String {
    bundle.sources.locate(origin)
}
