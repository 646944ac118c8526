//! `candidacy` rendered: a line per candidate, CSV or JSON for CI.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::style::{Meaning, Style};
use crate::roll::candidacy::{CandidateEvidence, Poll, TreeCheck, Verdict};

/// Every candidate's verdict against one roll.
#[derive(Debug, Clone, Serialize)]
pub struct CandidacyReport {
    pub roll: String,
    pub candidates: Vec<Verdict>,
}

/// The evidence in a few words: `change 100250 in openstack/nova merged 2015-06-09T08:00:00Z`,
/// `member 5025 at members.csv:26`, `extra-ATC for Nova expiring in February 2017 at
/// governance/projects.yaml:25`.
#[must_use]
pub fn describe(evidence: &CandidateEvidence) -> String {
    let at = evidence.at.as_deref().unwrap_or("");
    match evidence.kind {
        "change" => format!(
            "change {} in {} merged {at}",
            evidence.what,
            evidence.repo.as_deref().unwrap_or("")
        ),
        "member" => format!("member {} at {}", evidence.what, evidence.source),
        "extra-atc" => format!(
            "extra-ATC for {} expiring in {at} at {}",
            evidence.what, evidence.source
        ),
        kind => format!("{kind} {} at {at}", evidence.what),
    }
}

/// What follows the code: the evidence, or why no election is held.
fn detail(v: &Verdict) -> Option<String> {
    v.evidence
        .as_ref()
        .map(describe)
        .or_else(|| v.reason.clone())
}

/// `CANDIDATE (Name): eligible for ROLL (code; evidence)`, one line each.
///
/// # Errors
/// Writing failed.
pub fn write_text(report: &CandidacyReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    for v in &report.candidates {
        let who = v
            .name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let mark = if v.eligible {
            style.paint(Meaning::Good, "eligible")
        } else {
            style.paint(Meaning::Bad, "NOT eligible")
        };
        let detail = detail(v).map(|d| format!("; {d}")).unwrap_or_default();
        writeln!(
            out,
            "{}{who}: {mark} for {} ({}{detail})",
            v.candidate, v.roll, v.code
        )?;
    }
    Ok(())
}

/// The columns of `candidacy --format csv`.
pub const CSV_COLUMNS: [&str; 14] = [
    "candidate",
    "roll",
    "eligible",
    "code",
    "person",
    "name",
    "email",
    "rule",
    "evidence_kind",
    "evidence",
    "evidence_at",
    "evidence_repo",
    "evidence_source",
    "reason",
];

/// One row per candidate.
///
/// # Errors
/// Writing failed.
pub fn write_csv(report: &CandidacyReport, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_COLUMNS)?;
    for v in &report.candidates {
        let e = v.evidence.as_ref();
        csv.write_record([
            v.candidate.as_str(),
            &v.roll,
            if v.eligible { "true" } else { "false" },
            v.code.as_str(),
            v.person.as_deref().unwrap_or(""),
            v.name.as_deref().unwrap_or(""),
            v.email.as_deref().unwrap_or(""),
            v.rule,
            e.map_or("", |e| e.kind),
            e.map_or("", |e| e.what.as_str()),
            e.and_then(|e| e.at.as_deref()).unwrap_or(""),
            e.and_then(|e| e.repo.as_deref()).unwrap_or(""),
            e.map_or("", |e| e.source.as_str()),
            v.reason.as_deref().unwrap_or(""),
        ])?;
    }
    csv.flush()
}

/// The report as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_json(report: &CandidacyReport, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(report, out)
}

/// A checked candidates tree: a line per file, then each election and whether it needs a
/// poll, then the count of findings.
///
/// # Errors
/// Writing failed.
pub fn write_tree_text(check: &TreeCheck, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    for f in &check.files {
        let who = f
            .name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let verdict = match (&f.roll, f.eligible) {
            (Some(roll), true) => format!("{} for {roll}", style.paint(Meaning::Good, "eligible")),
            (Some(roll), false) => {
                format!("{} for {roll}", style.paint(Meaning::Bad, "NOT eligible"))
            }
            (None, _) => style.paint(Meaning::Bad, "NOT a candidacy").to_string(),
        };
        let detail = f
            .evidence
            .as_ref()
            .map(describe)
            .or_else(|| f.reason.clone())
            .map(|d| format!("; {d}"))
            .unwrap_or_default();
        writeln!(out, "{}{who}: {verdict} ({}{detail})", f.path, f.code)?;
    }
    if !check.elections.is_empty() {
        writeln!(out, "elections:")?;
    }
    for e in &check.elections {
        let seats = plural(u64::from(e.seats), "seat");
        let line = match e.poll {
            Poll::Leaderless => "no eligible candidate: leaderless".to_owned(),
            Poll::NoPoll => format!(
                "{} for {seats}: no poll needed",
                plural(e.candidates.len() as u64, "eligible candidate")
            ),
            Poll::Poll => format!(
                "{} for {seats}: poll",
                plural(e.candidates.len() as u64, "eligible candidate")
            ),
        };
        writeln!(out, "  {}: {line}", e.roll)?;
    }
    writeln!(
        out,
        "{} checked: {}",
        plural(check.files.len() as u64, "file"),
        plural(check.findings as u64, "finding")
    )
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn poll_word(poll: Poll) -> &'static str {
    match poll {
        Poll::Poll => "poll",
        Poll::NoPoll => "no-poll",
        Poll::Leaderless => "leaderless",
    }
}

/// The columns of `candidacy --dir --format csv`.
pub const TREE_CSV_COLUMNS: [&str; 14] = [
    "kind",
    "path",
    "team_dir",
    "roll",
    "candidate",
    "name",
    "eligible",
    "code",
    "evidence",
    "reason",
    "team",
    "candidates",
    "seats",
    "poll",
];

/// One `candidate` row per file, then one `election` row per election.
///
/// # Errors
/// Writing failed.
pub fn write_tree_csv(check: &TreeCheck, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(TREE_CSV_COLUMNS)?;
    for f in &check.files {
        csv.write_record([
            "candidate",
            f.path.as_str(),
            f.team_dir.as_deref().unwrap_or(""),
            f.roll.as_deref().unwrap_or(""),
            &f.candidate,
            f.name.as_deref().unwrap_or(""),
            if f.eligible { "true" } else { "false" },
            f.code.as_str(),
            &f.evidence.as_ref().map(describe).unwrap_or_default(),
            f.reason.as_deref().unwrap_or(""),
            "",
            "",
            "",
            "",
        ])?;
    }
    for e in &check.elections {
        csv.write_record([
            "election",
            "",
            "",
            e.roll.as_str(),
            "",
            "",
            "",
            "",
            "",
            "",
            e.team.as_deref().unwrap_or(""),
            &e.candidates.join(";"),
            &e.seats.to_string(),
            poll_word(e.poll),
        ])?;
    }
    csv.flush()
}

/// The checked tree as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_tree_json(check: &TreeCheck, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(check, out)
}
