//! `review` rendered: a line per application (`file:line: ...`), CSV or JSON.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::Code;
use crate::roll::review::Reviewed;

/// The review of an applications file.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewReport {
    /// The applications file, as given.
    pub file: String,
    pub applications: Vec<Reviewed>,
}

fn codes(verdicts: &[Code]) -> Vec<&'static str> {
    verdicts.iter().map(|c| c.as_str()).collect()
}

/// `file:line: Name <email> for Team, expires in Month: codes (notes)`, one line each.
///
/// # Errors
/// Writing failed.
pub fn write_text(report: &ReviewReport, out: &mut dyn Write) -> io::Result<()> {
    for r in &report.applications {
        let notes = if r.notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", r.notes.join("; "))
        };
        writeln!(
            out,
            "{}:{}: {} <{}> for {}, expires in {}: {}{notes}",
            report.file,
            r.line,
            r.name,
            r.email,
            r.team,
            r.expires_in,
            codes(&r.verdicts).join(", ")
        )?;
    }
    Ok(())
}

/// The columns of `review --format csv`.
pub const CSV_COLUMNS: [&str; 7] = [
    "line",
    "team",
    "name",
    "email",
    "expires_in",
    "codes",
    "notes",
];

/// One row per application; several codes or notes are `;`-separated.
///
/// # Errors
/// Writing failed.
pub fn write_csv(report: &ReviewReport, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_COLUMNS)?;
    for r in &report.applications {
        csv.write_record([
            r.line.to_string().as_str(),
            &r.team,
            &r.name,
            &r.email,
            &r.expires_in,
            &codes(&r.verdicts).join(";"),
            &r.notes.join(";"),
        ])?;
    }
    csv.flush()
}

/// The report as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_json(report: &ReviewReport, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(report, out)
}
