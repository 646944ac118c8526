//! The identity file: problems located (lines and columns) and short, every declared
//! value within its limit, and no key claimed by two people without an error.
#![no_main]

use electorate::ingest::declarations;
use electorate::model::{Code, Diagnostics, FileId};
use electorate_fuzz::{check_address, check_field, check_problems, last_line, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let mut diagnostics = Diagnostics::default();
    let people = declarations::parse("input.toml", text, FileId(0), &mut diagnostics);
    check_problems(diagnostics.all(), "input.toml", data, &[]);
    for problem in diagnostics.all() {
        assert!(
            problem.column.is_some() || problem.code == Code::ProblemsNotListed,
            "no column: {problem}"
        );
    }
    let mut owners = std::collections::HashMap::new();
    let mut shared = false;
    for (i, person) in people.iter().enumerate() {
        if let Some(name) = &person.name {
            check_field(name, "name");
        }
        for email in &person.emails {
            check_address(email, "declared address");
        }
        for value in person
            .usernames
            .iter()
            .chain(&person.irc)
            .chain(&person.github)
        {
            check_field(value, "handle");
        }
        assert!(u64::from(person.origin.position) <= last_line(data));
        for key in person.keys() {
            if owners.insert(key, i).is_some_and(|first| first != i) {
                shared = true;
            }
        }
    }
    if shared {
        assert!(
            diagnostics
                .all()
                .iter()
                .any(|p| p.code == Code::IdentityConflict),
            "two people share a key and nobody said so"
        );
    }
});
