//! `check` rendered: every problem, as lines for a person, CSV or JSON for CI.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{InputFile, Problem};
use crate::report::style::{Meaning, Style};

/// What `check` found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub errors: usize,
    pub warnings: usize,
    pub inputs: Vec<InputFile>,
    pub problems: Vec<Problem>,
}

impl CheckReport {
    #[must_use]
    pub fn new(inputs: Vec<InputFile>, problems: Vec<Problem>) -> Self {
        let errors = problems.iter().filter(|p| p.is_error()).count();
        Self {
            ok: errors == 0,
            errors,
            warnings: problems.len() - errors,
            inputs,
            problems,
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// One line per problem, then the count.
///
/// # Errors
/// Writing failed.
pub fn write_text(report: &CheckReport, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    for problem in &report.problems {
        let level = if problem.is_error() {
            style.paint(Meaning::Bad, "error")
        } else {
            style.paint(Meaning::Warning, "warning")
        };
        writeln!(out, "{level}: {problem}")?;
    }
    writeln!(
        out,
        "{} checked: {}, {}",
        plural(report.inputs.len(), "file"),
        plural(report.errors, "error"),
        plural(report.warnings, "warning")
    )
}

/// The columns of `check --format csv`.
pub const CSV_COLUMNS: [&str; 8] = [
    "severity", "code", "file", "line", "column", "record", "field", "message",
];

/// One row per problem.
///
/// # Errors
/// Writing failed.
pub fn write_csv(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_COLUMNS)?;
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    for p in &report.problems {
        csv.write_record([
            if p.is_error() { "error" } else { "warning" },
            p.code.as_str(),
            &p.file,
            &number(p.line),
            &number(p.column),
            &number(p.record),
            p.field.as_deref().unwrap_or(""),
            &p.message,
        ])?;
    }
    csv.flush()
}

/// The report as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_json(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(report, out)
}
