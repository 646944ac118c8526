//! `explain` rendered: text for a person, JSON for scripts (contract in `docs/outputs.md`),
//! and CSV of every change decision (one row per change and criterion).

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::report::style::{Meaning, Style};
use crate::roll::explain::{Explained, Explanation};

/// Everybody explained, for a person to read, one after another.
///
/// # Errors
/// Writing failed.
pub fn write_text(explained: &Explained, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    for (i, explanation) in explained.people.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        out.write_all(text(explanation, style).as_bytes())?;
    }
    Ok(())
}

/// Everybody explained, as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_json(explained: &Explained, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(explained, out)
}

/// The columns of `explain --format csv`.
pub const CSV_COLUMNS: [&str; 10] = [
    "person",
    "source",
    "change",
    "repo",
    "branch",
    "merged_at",
    "role",
    "criterion",
    "code",
    "detail",
];

/// Every change of everybody explained against every code-change criterion, one row each.
///
/// # Errors
/// Writing failed.
pub fn write_csv(explained: &Explained, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_COLUMNS)?;
    for person in &explained.people {
        for change in &person.changes {
            for decision in &change.decisions {
                csv.write_record([
                    person.person.as_str(),
                    &change.source,
                    change.change.as_deref().unwrap_or(""),
                    &change.repo,
                    &change.branch,
                    change.merged_at.as_deref().unwrap_or(""),
                    change.role,
                    &decision.criterion,
                    decision.code.as_str(),
                    decision.detail.as_deref().unwrap_or(""),
                ])?;
            }
        }
    }
    csv.flush()
}

/// One person's explanation for a person to read.
fn text(e: &Explanation, style: &Style) -> String {
    let mut out = String::new();
    let name = e.name.as_deref().unwrap_or("(no name)");
    let email = e.email.as_deref().unwrap_or("no address");
    let _ = writeln!(out, "{name} <{email}>  [{}]", e.person);
    if !e.account_ids.is_empty() {
        let ids: Vec<String> = e.account_ids.iter().map(u64::to_string).collect();
        let _ = writeln!(out, "  Gerrit accounts: {}", ids.join(", "));
    }
    if !e.usernames.is_empty() {
        let _ = writeln!(out, "  usernames: {}", e.usernames.join(", "));
    }
    let _ = writeln!(out, "  addresses: {}", e.emails.join(", "));
    for reason in &e.merged_because {
        let _ = writeln!(out, "  one person because {reason}");
    }
    match (&e.member_id, e.membership_checked) {
        (Some(id), _) => {
            let _ = writeln!(out, "  Foundation member {id}");
        }
        (None, true) => {
            let _ = writeln!(out, "  not on the membership list");
        }
        (None, false) => {
            let _ = writeln!(out, "  membership not checked (no members file)");
        }
    }
    for extra in &e.extra_atcs {
        let _ = writeln!(
            out,
            "  extra-ATC for {}, expires in {} ({})",
            extra.team, extra.expires_in, extra.listed_at
        );
    }

    if e.changes.is_empty() {
        let _ = writeln!(out, "\nchanges: none");
    } else {
        let _ = writeln!(out, "\nchanges ({}):", e.changes.len());
    }
    for change in &e.changes {
        let label = change
            .change
            .as_deref()
            .map(|c| format!(" change {c}"))
            .unwrap_or_default();
        let merged = change
            .merged_at
            .as_deref()
            .map_or_else(|| "not merged".to_owned(), |m| format!("merged {m}"));
        let role = if change.role == "owner" {
            ""
        } else {
            " (credited, not owner)"
        };
        let _ = writeln!(
            out,
            "  {}{label}: {} {}, {merged}{role}",
            change.source, change.repo, change.branch
        );
        for d in &change.decisions {
            let detail = d
                .detail
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default();
            let _ = writeln!(out, "      {}: {}{detail}", d.criterion, d.code);
        }
    }

    if !e.activities.is_empty() {
        let _ = writeln!(out, "\nother contributions ({}):", e.activities.len());
        for activity in &e.activities {
            let at = activity
                .at
                .as_deref()
                .map(|a| format!(" {a}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}:{at} {} {}",
                activity.source, activity.kind, activity.what
            );
        }
    }

    let _ = writeln!(out, "\nstatuses:");
    if e.statuses.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for s in &e.statuses {
        let team = s
            .team
            .as_deref()
            .map(|t| format!(" in {t}"))
            .unwrap_or_default();
        let evidence = match (&s.extra_atc_expires, &s.first_change) {
            (Some(month), _) => format!("valid, expires in {month}"),
            (None, Some(first)) => format!(
                "{} qualifying contribution{}, first {first}, last {}",
                s.qualifying_changes,
                if s.qualifying_changes == 1 { "" } else { "s" },
                s.last_change.as_deref().unwrap_or("")
            ),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "  {}{team} by {}: {evidence}", s.status, s.criterion);
    }
    for m in &e.not_earned {
        let team = m
            .team
            .as_deref()
            .map(|t| format!(" in {t}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  not earned{team} by {}: {} ({})",
            m.criterion, m.code, m.detail
        );
    }

    let _ = writeln!(out, "\nrolls:");
    let (shown, dull) = e.notable_rolls();
    let width = shown.iter().map(|v| v.roll.len()).max().unwrap_or(0);
    for verdict in shown {
        let code = verdict.code;
        let mark = if verdict.on_roll {
            style.paint(Meaning::Good, "on ")
        } else {
            style.paint(Meaning::Bad, "off")
        };
        let _ = writeln!(out, "  {mark} {:width$}  {code}", verdict.roll);
    }
    if dull > 0 {
        let _ = writeln!(
            out,
            "  {} {dull} other team roll{}: excluded-no-status",
            style.paint(Meaning::Bad, "off"),
            if dull == 1 { "" } else { "s" }
        );
    }
    out
}
