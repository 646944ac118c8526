//! The membership list: problems located and short, ids, names and addresses within
//! their limits, every row read either a member or rejected.
#![no_main]

use electorate::ingest::members;
use electorate::model::{Code, Diagnostics, FileId};
use electorate_fuzz::{check_address, check_field, check_problems, last_line};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut diagnostics = Diagnostics::default();
    let list = members::parse("input.csv", data, FileId(0), &mut diagnostics);
    check_problems(diagnostics.all(), "input.csv", data, &[Code::InputEmpty]);
    assert_eq!(list.rows, list.members.len() as u64 + list.rejected);
    for member in &list.members {
        check_field(&member.id, "member id");
        assert!(!member.id.is_empty());
        if let Some(name) = &member.name {
            check_field(name, "member name");
        }
        for email in &member.emails {
            check_address(email, "member address");
        }
        for affiliation in &member.affiliations {
            check_field(affiliation, "member affiliation");
            assert!(!affiliation.is_empty());
        }
        assert!(u64::from(member.origin.position) <= last_line(data));
    }
});
