//! What the fuzz targets check besides "it did not panic". Every reader must, whatever
//! its input:
//!
//! - report each problem against the file it was given, at a line (or record) inside
//!   that input, unless the problem is about the file as a whole;
//! - keep messages short (no quoted megabyte), one line, free of control characters,
//!   starting lowercase;
//! - store no value past the limits of `docs/outputs.md` ("Limits");
//! - account for its rows: those read are those used plus those rejected.

pub mod ballots;

use electorate::model::{Code, EXCERPT_CHARS, MAX_ADDRESS_BYTES, MAX_FIELD_BYTES, Problem};

/// The longest message any problem may have, in characters: a fixed sentence, a few
/// excerpts of [`EXCERPT_CHARS`] characters and a list of expected keys.
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// 1 + the number of line ends (`\n`, `\r\n` or a lone `\r`): the last line a problem
/// may name.
#[must_use]
pub fn last_line(data: &[u8]) -> u64 {
    let breaks = data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u64 + 1
}

/// Check a message of any kind: short, one line, no control character, lowercase start.
///
/// # Panics
/// When it is not.
pub fn check_message(message: &str, context: &str) {
    assert!(!message.is_empty(), "{context}: empty message");
    let chars = message.chars().count();
    assert!(
        chars <= MAX_MESSAGE_CHARS,
        "{context}: a message of {chars} characters: {}…",
        message.chars().take(300).collect::<String>()
    );
    assert!(
        !message.chars().any(char::is_control),
        "{context}: a control character in {message:?}"
    );
    assert!(
        !message.starts_with(|c: char| c.is_uppercase()),
        "{context}: a message starting uppercase: {message:?}"
    );
}

/// Check every problem a reader reported about `file`, whose input had `data`'s lines.
/// `whole_file` are the codes that may be about the file as a whole (no line or record),
/// besides the one counting the problems past the thousandth.
///
/// # Panics
/// When a problem breaks a rule.
pub fn check_problems(problems: &[Problem], file: &str, data: &[u8], whole_file: &[Code]) {
    let last = last_line(data);
    for problem in problems {
        let context = problem.to_string();
        assert_eq!(problem.file, file, "{context}");
        check_message(&problem.message, &context);
        if let Some(line) = problem.line {
            assert!(
                line >= 1 && line <= last,
                "line {line} of {last}: {context}"
            );
        }
        if let Some(column) = problem.column {
            assert!(problem.line.is_some() && column >= 1, "{context}");
        }
        if let Some(record) = problem.record {
            assert!(record >= 1, "{context}");
        }
        if let Some(field) = &problem.field {
            assert!(
                field.chars().count() <= 2 * EXCERPT_CHARS + 20,
                "a long field name: {context}"
            );
        }
        assert!(
            problem.line.is_some()
                || problem.record.is_some()
                || problem.code == Code::ProblemsNotListed
                || whole_file.contains(&problem.code),
            "no location: {context}"
        );
    }
}

/// A stored name, id or other field.
///
/// # Panics
/// When it is longer than the limit.
pub fn check_field(value: &str, what: &str) {
    assert!(
        value.len() <= MAX_FIELD_BYTES,
        "{what} of {} bytes stored",
        value.len()
    );
}

/// A stored address.
///
/// # Panics
/// When it is not an address.
pub fn check_address(value: &str, what: &str) {
    assert!(
        value.len() <= MAX_ADDRESS_BYTES && electorate::model::is_plausible_email(value),
        "{what} {value:?} stored"
    );
}

/// What a change reader stored: every interned string within the field limit, every
/// address of an account an address, every text kept for it a malformed address (within
/// the limit of one), Change-Ids and commit ids within the field limit.
///
/// # Panics
/// When a rule is broken.
pub fn check_log(log: &electorate::model::ChangeLog) {
    for i in 0..log.symbols.len() {
        check_field(
            log.symbols.resolve(electorate::model::Sym::from_index(i)),
            "symbol",
        );
    }
    for account in &log.accounts {
        for &email in &account.emails {
            check_address(log.symbols.resolve(email), "account address");
        }
        for &raw in &account.unusable_emails {
            let raw = log.symbols.resolve(raw);
            assert!(
                !raw.is_empty() && raw.len() <= MAX_ADDRESS_BYTES,
                "unusable address {raw:?} stored"
            );
        }
    }
    for change in &log.changes {
        for text in [change.change_id, change.commit].into_iter().flatten() {
            check_field(log.text(text), "change id or commit");
        }
    }
}

/// Text the readers that want text are given: `None` when the bytes are not UTF-8 (the
/// file readers refuse those before parsing).
#[must_use]
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// One governance file of a kind: problems located (lines and columns), names and
/// addresses within their limits, every repository owned by a team that exists.
///
/// # Panics
/// When a rule is broken.
pub fn check_governance(data: &[u8], which: electorate::ingest::governance::GovernanceFile) {
    let Some(text) = text(data) else { return };
    let mut governance = electorate::model::Governance::default();
    let mut diagnostics = electorate::model::Diagnostics::default();
    governance.read_str(
        "input.yaml",
        text,
        electorate::model::FileId(0),
        which,
        &mut diagnostics,
    );
    check_problems(diagnostics.all(), "input.yaml", data, &[Code::InputEmpty]);
    for problem in diagnostics.all() {
        assert!(
            problem.code == Code::InputEmpty
                || problem.code == Code::ProblemsNotListed
                || problem.column.is_some(),
            "no column: {problem}"
        );
    }
    let last = last_line(data);
    for team in &governance.teams {
        check_field(&team.name, "team name");
    }
    for (name, repo) in &governance.repos {
        check_field(name, "repository");
        assert!(repo.team.index() < governance.teams.len());
        if let Some(deliverable) = &repo.deliverable {
            check_field(deliverable, "deliverable");
        }
        assert!(u64::from(repo.origin.position) <= last);
    }
    for extra in &governance.extra_atcs {
        check_field(&extra.name, "extra-ATC name");
        check_address(&extra.email, "extra-ATC address");
        if let Some(comment) = &extra.comment {
            check_field(comment, "extra-ATC comment");
        }
        assert!(extra.team.index() < governance.teams.len());
        assert!(u64::from(extra.origin.position) <= last);
    }
}
