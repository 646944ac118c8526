//! `docs/codes.md`, generated from the codes themselves (a test keeps the file equal to
//! what this writes), so a code cannot be added without its documentation.

use std::io::{self, Write};

use crate::model::{Code, CodeKind};

/// The codes page: an introduction, then one section per kind and one heading per code.
///
/// # Errors
/// Writing failed.
pub fn write_markdown(codes: &[Code], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Codes")?;
    writeln!(out)?;
    writeln!(
        out,
        "Every decision `electorate` makes about a contribution, a status, a roll, a candidacy or an"
    )?;
    writeln!(
        out,
        "extra-ATC application, and every kind of problem it finds in its inputs, carries one of these"
    )?;
    writeln!(
        out,
        "stable codes. Scripts match on them; a code never changes meaning. A status earned is shown"
    )?;
    writeln!(
        out,
        "with the id of the policy criterion that earned it instead (for example `atc-merged-change`)."
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "This page is generated from `src/model/code.rs`; `cargo test` fails when the two differ."
    )?;
    for kind in CodeKind::ALL {
        let of_kind: Vec<&Code> = codes.iter().filter(|c| c.kind() == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "## {}", kind.title())?;
        for code in of_kind {
            writeln!(out)?;
            writeln!(out, "### `{}`", code.as_str())?;
            writeln!(out)?;
            writeln!(out, "{}", code.summary())?;
        }
    }
    Ok(())
}
