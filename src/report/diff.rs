//! `diff` rendered: the rolls that differ with who is on one side only, CSV or JSON.

use std::io::{self, Write};

use crate::roll::diff::{Diff, OneSide};

fn person(side: &OneSide) -> String {
    let name = side
        .name
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    let decided = match (side.on_roll, side.code) {
        (Some(true), Some(code)) => format!(": on the roll ({code})"),
        (Some(false), Some(code)) => format!(": off the roll ({code})"),
        _ => String::new(),
    };
    format!("{}{name}{decided}", side.email)
}

fn count(voters: Option<usize>) -> String {
    voters.map_or_else(|| "no such roll".to_owned(), |n| n.to_string())
}

/// For each roll that differs, `ROLL: A N, B M` then `< ADDRESS` (only in A) and
/// `> ADDRESS` (only in B) lines, each with the election's decision when one was given;
/// then a summary line.
///
/// # Errors
/// Writing failed.
pub fn write_text(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let differing: Vec<_> = diff.rolls.iter().filter(|r| !r.same()).collect();
    for roll in &differing {
        writeln!(
            out,
            "{}: {} in A, {} in B",
            roll.roll,
            count(roll.a_voters),
            count(roll.b_voters)
        )?;
        for side in &roll.only_in_a {
            writeln!(out, "  < {}", person(side))?;
        }
        for side in &roll.only_in_b {
            writeln!(out, "  > {}", person(side))?;
        }
    }
    if diff.same {
        writeln!(
            out,
            "same: {} roll{} with the same addresses in {} and {}",
            diff.rolls.len(),
            if diff.rolls.len() == 1 { "" } else { "s" },
            diff.a,
            diff.b
        )
    } else {
        writeln!(
            out,
            "differ: {} of {} rolls (A is {}, B is {})",
            differing.len(),
            diff.rolls.len(),
            diff.a,
            diff.b
        )
    }
}

/// The columns of `diff --format csv`.
pub const CSV_COLUMNS: [&str; 7] = ["roll", "side", "email", "person", "name", "on_roll", "code"];

/// One row per address on one side only; `side` is `a` or `b`.
///
/// # Errors
/// Writing failed.
pub fn write_csv(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_COLUMNS)?;
    for roll in &diff.rolls {
        for (side, people) in [("a", &roll.only_in_a), ("b", &roll.only_in_b)] {
            for p in people {
                csv.write_record([
                    roll.roll.as_str(),
                    side,
                    &p.email,
                    p.person.as_deref().unwrap_or(""),
                    p.name.as_deref().unwrap_or(""),
                    p.on_roll.map_or("", |on| if on { "true" } else { "false" }),
                    p.code.map_or("", |c| c.as_str()),
                ])?;
            }
        }
    }
    csv.flush()
}

/// The diff as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_json(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(diff, out)
}
