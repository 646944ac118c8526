//! `candidacy` rendered: a line per candidate, CSV or JSON for CI.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::style::{Meaning, Style};
use crate::roll::candidacy::Verdict;

/// Every candidate's verdict against one roll.
#[derive(Debug, Clone, Serialize)]
pub struct CandidacyReport {
    pub roll: String,
    pub candidates: Vec<Verdict>,
}

/// `CANDIDATE (Name): eligible for ROLL (code)`, one line each.
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
        writeln!(
            out,
            "{}{who}: {mark} for {} ({})",
            v.candidate, v.roll, v.code
        )?;
    }
    Ok(())
}

/// The columns of `candidacy --format csv`.
pub const CSV_COLUMNS: [&str; 7] = [
    "candidate",
    "roll",
    "eligible",
    "code",
    "person",
    "name",
    "email",
];

/// One row per candidate.
///
/// # Errors
/// Writing failed.
pub fn write_csv(report: &CandidacyReport, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_COLUMNS)?;
    for v in &report.candidates {
        csv.write_record([
            v.candidate.as_str(),
            &v.roll,
            if v.eligible { "true" } else { "false" },
            v.code.as_str(),
            v.person.as_deref().unwrap_or(""),
            v.name.as_deref().unwrap_or(""),
            v.email.as_deref().unwrap_or(""),
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
