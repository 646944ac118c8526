//! `policy list` rendered: the shipped policies as a table.

use std::io::{self, Write};

use crate::policy::Policy;
use crate::report::style::Style;
use crate::report::table;

/// One row per policy: its name, title and rolls.
///
/// # Errors
/// Writing failed.
pub fn write_list(policies: &[Policy], style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let mut t = table::new(style, ["policy", "title", "rolls"]);
    for p in policies {
        let rolls: Vec<&str> = p.rolls.iter().map(|r| r.id.as_str()).collect();
        t.add_row([p.name.clone(), p.title.clone(), rolls.join(", ")]);
    }
    writeln!(out, "{t}")
}
