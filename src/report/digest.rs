//! `digest` rendered: the list to publish, the private codes to send, what was written,
//! and a voter's check.

use std::io::{self, Write};

use serde::Serialize;

use crate::digest::{ROLL_DIGEST_SCHEME, RollDigest};

/// The published list: a header naming the scheme, the election's label, the roll and
/// the number of entries, then the entries, one per line, sorted.
///
/// # Errors
/// Writing failed.
pub fn write_list(digest: &RollDigest, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "# electorate roll digest: one entry per voter; check yours with `electorate digest --check`"
    )?;
    writeln!(out, "# scheme: {ROLL_DIGEST_SCHEME}")?;
    writeln!(out, "# label: {}", digest.label)?;
    writeln!(out, "# roll: {}", digest.roll)?;
    writeln!(out, "# entries: {}", digest.entries.len())?;
    for entry in &digest.entries {
        writeln!(out, "{entry}")?;
    }
    Ok(())
}

/// The private codes, `email,code`, in the roll's order, for the officials to send each
/// voter theirs.
///
/// # Errors
/// Writing failed.
pub fn write_codes(digest: &RollDigest, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(["email", "code"])?;
    for (email, code) in &digest.codes {
        csv.write_record([email, code])?;
    }
    csv.flush()
}

/// One roll's digest as written.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    pub roll: String,
    pub entries: usize,
    /// The list to publish, and its SHA-256.
    pub list: String,
    pub list_sha256: String,
    /// The private codes.
    pub codes: String,
}

/// What `digest` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct DigestReport {
    pub scheme: &'static str,
    pub label: String,
    pub rolls: Vec<Written>,
}

/// A line per roll.
///
/// # Errors
/// Writing failed.
pub fn write_text(report: &DigestReport, out: &mut dyn Write) -> io::Result<()> {
    for r in &report.rolls {
        writeln!(
            out,
            "{}: {} entries in {} (publish it), codes in {} (private: send each voter theirs)",
            r.roll, r.entries, r.list, r.codes
        )?;
    }
    Ok(())
}

/// The report as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_json(report: &DigestReport, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(report, out)
}

/// A voter's check against a published list.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    /// The published list, as given.
    pub list: String,
    pub label: String,
    pub roll: String,
    pub address: String,
    pub on_list: bool,
}

/// `ADDRESS is on roll ROLL of LABEL (LIST)` or `is NOT on`.
///
/// # Errors
/// Writing failed.
pub fn write_check_text(check: &CheckResult, out: &mut dyn Write) -> io::Result<()> {
    let verb = if check.on_list { "is on" } else { "is NOT on" };
    writeln!(
        out,
        "{} {verb} roll {} of \"{}\" ({})",
        check.address, check.roll, check.label, check.list
    )
}

/// The check as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_check_json(check: &CheckResult, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(check, out)
}
