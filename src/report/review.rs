//! `review` rendered: a line per application (`file:line: ...`), CSV or JSON.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::Code;
use crate::report::yaml::scalar;
use crate::roll::review::{Expiring, NewEntry, Reviewed};

/// The review of an applications file.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewReport {
    /// The applications file, as given.
    pub file: String,
    pub applications: Vec<Reviewed>,
    /// The acceptable applications as governance entries, sorted.
    pub extra_acs: Vec<NewEntry>,
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
pub const CSV_COLUMNS: [&str; 9] = [
    "line",
    "team",
    "name",
    "email",
    "expires_in",
    "codes",
    "notes",
    "approved",
    "comment",
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
            r.approved.as_deref().unwrap_or(""),
            r.comment.as_deref().unwrap_or(""),
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

/// The acceptable applications as the `extra-acs:` blocks of the governance files, ready
/// to paste: per file, per team (a SIG's or the TC's under the team's first repository),
/// entries sorted by name. Values that YAML would read as something else are quoted.
///
/// # Errors
/// Writing failed.
pub fn write_yaml(entries: &[NewEntry], out: &mut dyn Write) -> io::Result<()> {
    let mut file: Option<&str> = None;
    let mut team: Option<(&str, Option<&str>)> = None;
    for e in entries {
        if file != Some(e.file) {
            writeln!(out, "# {}", e.file)?;
            file = Some(e.file);
            team = None;
        }
        let indent = if team == Some((e.team.as_str(), e.repo.as_deref())) {
            if e.repo.is_some() { "      " } else { "    " }
        } else {
            team = Some((e.team.as_str(), e.repo.as_deref()));
            writeln!(out, "{}:", scalar(&e.team))?;
            match &e.repo {
                Some(repo) => {
                    writeln!(out, "  - repo: {}", scalar(repo))?;
                    writeln!(out, "    extra-acs:")?;
                    "      "
                }
                None => {
                    writeln!(out, "  extra-acs:")?;
                    "    "
                }
            }
        };
        writeln!(out, "{indent}- name: {}", scalar(&e.name))?;
        writeln!(out, "{indent}  email: {}", scalar(&e.email))?;
        writeln!(out, "{indent}  expires-in: {}", scalar(&e.expires_in))?;
        if let Some(comment) = &e.comment {
            writeln!(out, "{indent}  comment: {}", scalar(comment))?;
        }
    }
    Ok(())
}

/// Governance entries that have expired or soon will, for the chair's clean-up.
#[derive(Debug, Clone, Serialize)]
pub struct ExpiringReport {
    /// The date checked.
    pub as_of: String,
    /// The end of the period looked ahead.
    pub until: String,
    pub entries: Vec<Expiring>,
}

/// `file:line: Name <email> (Team): expired in|expires in MONTH (code)`, one line each.
///
/// # Errors
/// Writing failed.
pub fn write_expiring_text(report: &ExpiringReport, out: &mut dyn Write) -> io::Result<()> {
    for e in &report.entries {
        let when = if e.code == Code::ExtraAtcExpiredListed {
            "expired"
        } else {
            "expires"
        };
        writeln!(
            out,
            "{}:{}: {} <{}> ({}): {when} in {}, invalid from {} ({})",
            e.file, e.line, e.name, e.email, e.team, e.expires_in, e.invalid_from, e.code
        )?;
    }
    writeln!(
        out,
        "{} expired or expiring by {} (checked at {})",
        match report.entries.len() {
            1 => "1 entry".to_owned(),
            n => format!("{n} entries"),
        },
        report.until,
        report.as_of
    )
}

/// The columns of `review --expiring --format csv`.
pub const EXPIRING_CSV_COLUMNS: [&str; 8] = [
    "code",
    "file",
    "line",
    "team",
    "name",
    "email",
    "expires_in",
    "invalid_from",
];

/// One row per entry.
///
/// # Errors
/// Writing failed.
pub fn write_expiring_csv(report: &ExpiringReport, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(EXPIRING_CSV_COLUMNS)?;
    for e in &report.entries {
        csv.write_record([
            e.code.as_str(),
            &e.file,
            &e.line.to_string(),
            &e.team,
            &e.name,
            &e.email,
            &e.expires_in,
            &e.invalid_from,
        ])?;
    }
    csv.flush()
}

/// The report as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_expiring_json(report: &ExpiringReport, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(report, out)
}
