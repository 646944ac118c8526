//! What the CSV readers say about a header that is not what they expect. A file of
//! another kind named as an input (a password file as the membership list) has a first
//! line that may be secret, so a message names the known columns found and counts the
//! others; it quotes an unknown cell only when it is a likely typo of a missing column,
//! and then only its start.

use crate::model::{cut, excerpt};
use crate::suggest::closest;

/// The most unknown column names a warning lists.
const LISTED: usize = 10;

/// What a header holds, for a message about the columns it lacks: `found: a, b` when
/// every cell is a known column, `found: a and 2 other columns`, or `found 3 columns,
/// none of them known`; then, for a missing column that a cell nearly spells, `; did you
/// mean owner_email for "owner_mail"?`.
#[must_use]
pub fn found(cells: &[&str], is_known: impl Fn(&str) -> bool, missing: &[&str]) -> String {
    let mut known: Vec<&str> = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    let mut others = 0;
    for &cell in cells {
        if is_known(cell) {
            if !known.contains(&cell) {
                known.push(cell);
            }
        } else {
            others += 1;
            if !cell.is_empty() {
                unknown.push(cell);
            }
        }
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut text = if known.is_empty() {
        format!(
            "found {} column{}, none of them known",
            cells.len(),
            plural(cells.len())
        )
    } else {
        // A known column may be known by its shape (`*email`), and so hold anything.
        let known: Vec<String> = known.iter().map(|name| cut(name)).collect();
        if others == 0 {
            format!("found: {}", known.join(", "))
        } else {
            format!(
                "found: {} and {others} other column{}",
                known.join(", "),
                plural(others)
            )
        }
    };
    for &wanted in missing {
        if let Some(cell) = closest(wanted, &unknown) {
            text.push_str(&format!("; did you mean {wanted} for {}?", excerpt(cell)));
        }
    }
    text
}

/// Unknown column names for a warning: at most ten, each cut to its start, then how
/// many more there are.
#[must_use]
pub fn list(names: &[&str]) -> String {
    let mut shown: Vec<String> = names.iter().take(LISTED).map(|name| cut(name)).collect();
    if names.len() > LISTED {
        shown.push(format!("and {} more", names.len() - LISTED));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(cell: &str) -> bool {
        ["project", "branch", "owner_email", "merged_at"].contains(&cell)
    }

    #[test]
    fn only_known_columns_and_likely_typos_are_named() {
        assert_eq!(
            found(&["project", "branch", "merged_at"], known, &["owner_email"]),
            "found: project, branch, merged_at"
        );
        assert_eq!(
            found(
                &["project", "branch", "owner_mail", "merged_at", "x"],
                known,
                &["owner_email"]
            ),
            "found: project, branch, merged_at and 2 other columns; did you mean owner_email for \"owner_mail\"?"
        );
        assert_eq!(
            found(
                &["root:$6$salt$hash:19000:0:99999:7:::"],
                known,
                &["project", "branch", "owner_email", "merged_at"]
            ),
            "found 1 column, none of them known"
        );
    }

    #[test]
    fn long_lists_are_cut() {
        let names: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(
            list(&names),
            "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, and 2 more"
        );
        let long = "x".repeat(50);
        assert_eq!(list(&[&long]), format!("{}…", "x".repeat(40)));
    }
}
