//! Documentation generated from the code stays equal to it. Run with `ELECTORATE_BLESS=1`
//! to rewrite a generated page after changing what it documents.

mod common;

use electorate::model::Code;

/// Compare a generated page with the committed one, or rewrite it when blessing.
fn check_generated(relative: &str, generated: &str) {
    let path = common::root().join(relative);
    if std::env::var_os("ELECTORATE_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{relative} is out of date; run `ELECTORATE_BLESS=1 cargo test --test docs` and commit it"
    );
}

#[test]
fn codes_page_is_generated_from_the_codes() {
    let mut page = Vec::new();
    electorate::report::codes::write_markdown(Code::ALL, &mut page).unwrap();
    check_generated("docs/codes.md", &String::from_utf8(page).unwrap());
}
