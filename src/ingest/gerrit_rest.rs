//! Gerrit REST `/changes/` answers: a JSON array of `ChangeInfo`, possibly behind the
//! `)]}'` line Gerrit prepends against cross-site script inclusion, and possibly several
//! pages (arrays) one after another in one file. The merge time is `submitted` (UTC); the
//! owner is `owner._account_id`, `email`, `name`, `username` (`DETAILED_ACCOUNTS`).
//! With `CURRENT_REVISION`+`CURRENT_COMMIT`, `Co-Authored-By` trailers of the commit
//! message are read; with `DETAILED_LABELS`, the votes in `labels.*.all`.

use std::collections::BTreeMap;
use std::io::Read;

use serde::Deserialize;
use serde_json::Value;

use crate::ingest::FileRows;
use crate::ingest::limits::{MAX_ADDRESS_BYTES, MAX_FIELD_BYTES, too_long};
use crate::ingest::timestamp::parse_gerrit_rest;
use crate::ingest::{FileDigest, InputPath, Progress, open, strip_bom};
use crate::model::{
    AccountSighting, Change, ChangeLog, Credit, CreditRole, MergeTime, address_problem,
    is_plausible_email,
};
use crate::model::{Code, FileId, LineCounter, Origin, Position};
use crate::model::{Diagnostics, Problem, cut_quoted};

/// The prefix Gerrit puts before every JSON answer.
pub const XSSI_PREFIX: &str = ")]}'";

#[derive(Debug, Deserialize)]
struct RestChange {
    project: String,
    branch: String,
    status: String,
    #[serde(default)]
    change_id: Option<String>,
    #[serde(default, rename = "_number")]
    number: Option<u64>,
    #[serde(default)]
    submitted: Option<String>,
    owner: RestAccount,
    #[serde(default)]
    current_revision: Option<String>,
    #[serde(default)]
    revisions: BTreeMap<String, RestRevision>,
    #[serde(default)]
    labels: BTreeMap<String, RestLabel>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RestAccount {
    #[serde(default, rename = "_account_id")]
    account_id: Option<u64>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    username: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RestRevision {
    #[serde(default)]
    commit: Option<RestCommit>,
}

#[derive(Debug, Deserialize)]
struct RestCommit {
    #[serde(default)]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RestLabel {
    #[serde(default)]
    all: Vec<RestVote>,
}

#[derive(Debug, Deserialize)]
struct RestVote {
    #[serde(default)]
    value: Option<i64>,
    #[serde(flatten)]
    account: RestAccount,
}

/// Read one REST answer file into `log`.
///
/// # Errors
/// Only when the file cannot be read; everything else is a [`Problem`].
pub fn read(
    input: &InputPath,
    file: FileId,
    log: &mut ChangeLog,
    diagnostics: &mut Diagnostics,
    progress: &dyn Progress,
) -> std::io::Result<(FileDigest, FileRows)> {
    let mut reader = open(input, progress)?;
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let digest = reader.finish()?;
    let rows = read_bytes(&input.display, strip_bom(&bytes), file, log, diagnostics);
    Ok((digest, rows))
}

/// Read the bytes of a REST answer file (byte-order mark already stripped); `name`
/// names it in problems.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    file: FileId,
    log: &mut ChangeLog,
    diagnostics: &mut Diagnostics,
) -> FileRows {
    let mut rows = FileRows::default();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let line = bytes[..err.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            diagnostics.push(
                Problem::error(
                    Code::InputNotUtf8,
                    name,
                    "invalid UTF-8, expected JSON text",
                )
                .at_line(line as u64),
            );
            return rows;
        }
    };
    if text.trim().is_empty() {
        diagnostics.push(Problem::error(
            Code::InputEmpty,
            name,
            "file is empty, expected a JSON array of changes from Gerrit's /changes/ endpoint",
        ));
        return rows;
    }
    let mut offset = 0;
    let mut record = 0u64;
    let mut ignored_events = 0u64;
    let mut lines = LineCounter::new(bytes);
    loop {
        let rest = &text[offset..];
        let trimmed = rest.trim_start();
        let mut skipped = rest.len() - trimmed.len();
        let trimmed = match trimmed.strip_prefix(XSSI_PREFIX) {
            Some(after) => {
                skipped += XSSI_PREFIX.len();
                after
            }
            None => trimmed,
        };
        if trimmed.trim().is_empty() {
            break;
        }
        offset += skipped;
        let base_line = lines.line_of(offset as u64) - 1;
        let page_line = base_line + 1;
        // Each change is read, counted and dropped as the page is parsed: memory holds
        // the file and one change, not a tree of the whole page.
        let mut each = |item: Value| {
            record += 1;
            let origin = Origin {
                file,
                position: u32::try_from(record).unwrap_or(u32::MAX),
                kind: Position::Record,
            };
            // `gerrit stream-events` output saved as an array: a change-merged event
            // carries its change; other events carry no merge and are skipped.
            let item = match event_change(item) {
                Event::Plain(item) => item,
                Event::Merged(change) => change,
                Event::Other => {
                    rows.ignored += 1;
                    ignored_events += 1;
                    return;
                }
            };
            rows.read += 1;
            if !read_change(name, item, record, origin, log, diagnostics) {
                rows.rejected += 1;
            }
        };
        let mut page = serde_json::Deserializer::from_str(&text[offset..]);
        let read = serde::Deserializer::deserialize_any(&mut page, Page { each: &mut each });
        match read {
            Ok(PageKind::Changes) => {}
            Ok(PageKind::Other(found)) => {
                diagnostics.push(
                    Problem::error(
                        Code::RowMalformed,
                        name,
                        format!("expected a JSON array of changes, found {found}"),
                    )
                    .at_line(page_line),
                );
                break;
            }
            Err(err) => {
                // The changes before the error were read; the broken one is counted as
                // read and rejected, and nothing after it is read.
                rows.read += 1;
                rows.rejected += 1;
                let (line, column) = place(text, base_line + err.line() as u64, err.column());
                diagnostics.push(
                    Problem::error(
                        Code::RowMalformed,
                        name,
                        format!("invalid JSON: {}", strip_position(&err)),
                    )
                    .at_line(line)
                    .at_column(column),
                );
                break;
            }
        }
        offset += page.into_iter::<serde::de::IgnoredAny>().byte_offset();
    }
    if ignored_events > 0 {
        diagnostics.push(Problem::warning(
            Code::RecordNotAChange,
            name,
            format!(
                "skipped {ignored_events} Gerrit stream event{} that {} not change-merged (no merge to count)",
                if ignored_events == 1 { "" } else { "s" },
                if ignored_events == 1 { "is" } else { "are" }
            ),
        ));
    }
    rows
}

/// Where serde_json's error is in `text`: it puts an error met at a line break (a raw line
/// break inside a string) at column 0 of the next line; columns count from 1, so point at
/// the line break itself, at the end of the line before.
fn place(text: &str, line: u64, column: usize) -> (u64, u64) {
    if column > 0 || line <= 1 {
        return (line, column.max(1) as u64);
    }
    let before = usize::try_from(line - 2)
        .ok()
        .and_then(|index| text.split('\n').nth(index))
        .unwrap_or("");
    (line - 1, before.chars().count() as u64 + 1)
}

/// What a page of a REST answer was: changes (an array of them, or one object), or
/// something else, named for the message.
enum PageKind {
    Changes,
    Other(&'static str),
}

/// Parses one page, handing each change to `each` as soon as it is read.
struct Page<'f, F> {
    each: &'f mut F,
}

impl<'de, F: FnMut(Value)> serde::de::Visitor<'de> for Page<'_, F> {
    type Value = PageKind;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON array of changes")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<PageKind, A::Error> {
        while let Some(item) = seq.next_element::<Value>()? {
            (self.each)(item);
        }
        Ok(PageKind::Changes)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<PageKind, A::Error> {
        let change = Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        (self.each)(change);
        Ok(PageKind::Changes)
    }

    fn visit_unit<E>(self) -> Result<PageKind, E> {
        Ok(PageKind::Other("null"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<PageKind, E> {
        Ok(PageKind::Other("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<PageKind, E> {
        Ok(PageKind::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<PageKind, E> {
        Ok(PageKind::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<PageKind, E> {
        Ok(PageKind::Other("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<PageKind, E> {
        Ok(PageKind::Other("a string"))
    }
}

/// What a JSON object in a changes file is.
enum Event {
    Plain(Value),
    /// A `change-merged` event, turned into a `ChangeInfo`-like object.
    Merged(Value),
    Other,
}

/// Recognise `gerrit stream-events` objects: `{"type": ..., "change": {...}}`.
fn event_change(item: Value) -> Event {
    let Value::Object(mut map) = item else {
        return Event::Plain(item);
    };
    let is_event = map.get("type").is_some_and(Value::is_string)
        && map.get("change").is_some_and(Value::is_object);
    if !is_event {
        return Event::Plain(Value::Object(map));
    }
    if map.get("type").and_then(Value::as_str) != Some("change-merged") {
        return Event::Other;
    }
    let created = map.get("eventCreatedOn").and_then(Value::as_i64);
    let Some(Value::Object(mut change)) = map.remove("change") else {
        return Event::Other;
    };
    change.insert("status".to_owned(), Value::String("MERGED".to_owned()));
    if let Some(at) = created.and_then(|s| chrono::DateTime::from_timestamp(s, 0)) {
        change.insert(
            "submitted".to_owned(),
            Value::String(at.format("%Y-%m-%d %H:%M:%S%.9f").to_string()),
        );
    }
    if let Some(number) = change.remove("number") {
        let number = match number {
            Value::String(s) => s
                .parse::<u64>()
                .map(Value::from)
                .unwrap_or(Value::String(s)),
            other => other,
        };
        change.insert("_number".to_owned(), number);
    }
    if let Some(id) = change.remove("id") {
        change.insert("change_id".to_owned(), id);
    }
    Event::Merged(Value::Object(change))
}

pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json appends " at line L column C" to its messages; the problem carries those.
/// The message may quote the input (`invalid type: string "…"`): quoted runs are cut.
pub(crate) fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let text = match text.rfind(" at line ") {
        Some(at) => &text[..at],
        None => &text,
    };
    cut_quoted(text)
}

/// The problem of a JSON value that is not the change object a reader expected: the missing
/// field when serde names one (`field-missing`), else a malformed record. The caller places
/// it (line or record).
pub(crate) fn not_a_change(name: &str, err: &serde_json::Error, expected: &str) -> Problem {
    let message = strip_position(err);
    let field = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned);
    let problem = Problem::error(
        if field.is_some() {
            Code::FieldMissing
        } else {
            Code::RowMalformed
        },
        name,
        format!("{message}, expected {expected}"),
    );
    match field {
        Some(field) => problem.in_field(field),
        None => problem,
    }
}

fn read_change(
    name: &str,
    item: Value,
    record: u64,
    origin: Origin,
    log: &mut ChangeLog,
    diagnostics: &mut Diagnostics,
) -> bool {
    let problem = |code: Code, field: &str, message: String| {
        Problem::error(code, name, message)
            .at_record(record)
            .in_field(field)
    };
    let change: RestChange = match serde_json::from_value(item) {
        Ok(change) => change,
        Err(err) => {
            diagnostics
                .push(not_a_change(name, &err, "a Gerrit ChangeInfo object").at_record(record));
            return false;
        }
    };
    let merged = change.status.eq_ignore_ascii_case("merged");
    let merged_at = match (&change.submitted, merged) {
        (Some(text), _) => match parse_gerrit_rest(text) {
            Ok(at) => Some(at),
            Err(message) => {
                diagnostics.push(problem(Code::FieldInvalid, "submitted", message));
                return false;
            }
        },
        (None, true) => {
            diagnostics.push(problem(
                Code::FieldMissing,
                "submitted",
                "is missing on a MERGED change, expected its submit time".to_owned(),
            ));
            return false;
        }
        (None, false) => None,
    };
    // An address past its limit leaves the record out, as any field past its limit; one
    // that is only not an address still counts for its account, with a warning.
    // An empty address is no address (as in `gerrit query` output): the account id
    // identifies the owner, and the roll lists them as having no usable address.
    let unusable = match change.owner.email.as_deref().filter(|e| !e.is_empty()) {
        Some(email) => match address_problem(email) {
            Some((Code::FieldTooLong, message)) => {
                diagnostics.push(problem(Code::FieldTooLong, "owner.email", message));
                return false;
            }
            Some(_) => Some(email),
            None => None,
        },
        None => None,
    };
    if let Some((field, message)) = too_long_field(&change) {
        diagnostics.push(problem(Code::FieldTooLong, field, message));
        return false;
    }
    if let Some(email) = unusable {
        diagnostics.push(
            crate::ingest::changes_csv::unusable_address(name, email)
                .at_record(record)
                .in_field("owner.email"),
        );
    }
    let owner = match sight(log, &change.owner, origin, merged_at) {
        Some(owner) => owner,
        None if !merged => log.unidentified(change.owner.name.as_deref(), origin),
        None => {
            diagnostics.push(problem(
                Code::FieldMissing,
                "owner",
                "has neither _account_id nor email, expected DETAILED_ACCOUNTS output (query with o=DETAILED_ACCOUNTS)".to_owned(),
            ));
            return false;
        }
    };
    let mut credits = Vec::new();
    let message = change
        .current_revision
        .as_ref()
        .and_then(|rev| change.revisions.get(rev))
        .or_else(|| change.revisions.values().next())
        .and_then(|rev| rev.commit.as_ref())
        .and_then(|commit| commit.message.as_deref());
    if let Some(message) = message {
        // Entries without an address have nobody to credit; exports carry free text here.
        let _ = log.credit_co_authors(co_authors(message), origin, merged_at, &mut credits);
    }
    for (label, votes) in &change.labels {
        let label_sym = log.symbols.intern(label);
        for vote in &votes.all {
            let Some(value) = vote.value.filter(|v| *v != 0) else {
                continue;
            };
            if let Some(account) = sight(log, &vote.account, origin, merged_at) {
                credits.push(Credit {
                    account,
                    role: CreditRole::Reviewer {
                        label: label_sym,
                        value: i8::try_from(value).unwrap_or(if value > 0 {
                            i8::MAX
                        } else {
                            i8::MIN
                        }),
                    },
                });
            }
        }
    }
    let (credits_start, credits_len) = log.add_credits(credits);
    let status = (!merged).then(|| log.symbols.intern(&change.status));
    let email = change.owner.email.as_deref().map(|e| log.symbols.intern(e));
    let change_record = Change {
        repo: log.symbols.intern(&change.project),
        branch: log.symbols.intern(&change.branch),
        owner,
        email,
        merged,
        status,
        merged_at,
        merge_time: if merged {
            MergeTime::Submitted
        } else {
            MergeTime::None
        },
        number: change.number,
        change_id: change.change_id.as_deref().map(|id| log.store_text(id)),
        commit: change
            .current_revision
            .as_deref()
            .map(|id| log.store_text(id)),
        credits_start,
        credits_len,
        origin,
    };
    log.changes.push(change_record);
    true
}

/// The first field of a change longer than any real one, with the message saying so.
fn too_long_field(change: &RestChange) -> Option<(&'static str, String)> {
    let fields = [
        ("project", Some(change.project.as_str()), MAX_FIELD_BYTES),
        ("branch", Some(change.branch.as_str()), MAX_FIELD_BYTES),
        ("status", Some(change.status.as_str()), MAX_FIELD_BYTES),
        ("change_id", change.change_id.as_deref(), MAX_FIELD_BYTES),
        ("owner.name", change.owner.name.as_deref(), MAX_FIELD_BYTES),
        (
            "owner.username",
            change.owner.username.as_deref(),
            MAX_FIELD_BYTES,
        ),
    ];
    // A voter's address that is not one is kept as the account's unusable address, so it
    // has the limit of an address too.
    let labels = change.labels.iter().flat_map(|(label, votes)| {
        std::iter::once(("labels", Some(label.as_str()), MAX_FIELD_BYTES)).chain(
            votes.all.iter().flat_map(|vote| {
                [
                    (
                        "labels.all.name",
                        vote.account.name.as_deref(),
                        MAX_FIELD_BYTES,
                    ),
                    (
                        "labels.all.username",
                        vote.account.username.as_deref(),
                        MAX_FIELD_BYTES,
                    ),
                    (
                        "labels.all.email",
                        vote.account.email.as_deref(),
                        MAX_ADDRESS_BYTES,
                    ),
                ]
            }),
        )
    });
    fields
        .into_iter()
        .chain(labels)
        .find_map(|(field, value, max)| Some((field, too_long(value?, max)?)))
}

pub(crate) fn sight(
    log: &mut ChangeLog,
    account: &RestAccount,
    origin: Origin,
    at: Option<crate::model::Instant>,
) -> Option<crate::model::AccountIdx> {
    let email = account.email.as_deref().filter(|e| !e.is_empty());
    let usable = email.filter(|e| is_plausible_email(e));
    log.account(
        AccountSighting {
            gerrit_id: account.account_id,
            email: usable,
            name: account.name.as_deref(),
            username: account.username.as_deref(),
            unusable_email: email.filter(|_| usable.is_none()),
            at,
        },
        origin,
    )
}

/// The values of `Co-Authored-By:` trailers in a commit message (case-insensitive key),
/// from its trailer block only (see [`crate::ingest::trailers`]).
pub fn co_authors(message: &str) -> impl Iterator<Item = &str> {
    crate::ingest::trailers::values(message, "co-authored-by")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (ChangeLog, Vec<String>, FileRows) {
        let mut log = ChangeLog::new();
        let mut d = Diagnostics::default();
        let rows = read_bytes("rest.json", text.as_bytes(), FileId(0), &mut log, &mut d);
        (log, d.all().iter().map(ToString::to_string).collect(), rows)
    }

    const MERGED: &str = r#"{"project":"openstack/nova","branch":"master","status":"MERGED","_number":5,
        "change_id":"I1","submitted":"2015-06-01 12:00:00.000000000",
        "owner":{"_account_id":42,"name":"Jane Doe","email":"jane@example.org","username":"jdoe"},
        "current_revision":"abc","revisions":{"abc":{"commit":{"message":"Fix\n\nCo-Authored-By: Ann Lee <ann@example.org>\nChange-Id: I1\n"}}},
        "labels":{"Code-Review":{"all":[{"value":2,"_account_id":7,"email":"rev@example.org"},{"value":0,"_account_id":8}]}}}"#;

    #[test]
    fn reads_pages_behind_the_xssi_prefix() {
        let text = format!(
            ")]}}'\n[{MERGED}]\n)]}}'\n[{}]\n",
            MERGED.replace("\"_number\":5", "\"_number\":6")
        );
        let (log, problems, rows) = parse(&text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows.read, 2);
        assert_eq!(log.changes.len(), 2);
        let change = &log.changes[0];
        assert_eq!(change.number, Some(5));
        assert_eq!(log.accounts[change.owner.index()].gerrit_id, Some(42));
        let credits = log.credits_of(change);
        assert_eq!(credits.len(), 2, "co-author and one non-zero vote");
        assert_eq!(credits[0].role, CreditRole::CoAuthor);
        assert!(matches!(
            credits[1].role,
            CreditRole::Reviewer { value: 2, .. }
        ));
    }

    #[test]
    fn merged_without_submitted_or_owner_is_rejected_with_its_record() {
        let text = r#"[{"project":"p","branch":"master","status":"MERGED","owner":{"_account_id":1}},
                       {"project":"p","branch":"master","status":"MERGED","submitted":"2015-01-01 00:00:00.000000000","owner":{"name":"Britt"}},
                       {"project":"p","branch":"master","status":"NEW","owner":{"name":"Britt"}}]"#;
        let (log, problems, rows) = parse(text);
        assert_eq!(
            problems,
            [
                "rest.json: record 1: field submitted: is missing on a MERGED change, expected its submit time",
                "rest.json: record 2: field owner: has neither _account_id nor email, expected DETAILED_ACCOUNTS output (query with o=DETAILED_ACCOUNTS)",
            ]
        );
        assert_eq!(
            rows,
            FileRows {
                read: 3,
                rejected: 2,
                ignored: 0
            }
        );
        assert_eq!(
            log.changes.len(),
            1,
            "an unmerged change of an unidentified owner is still a row"
        );
        assert!(!log.changes[0].merged);
    }

    #[test]
    fn an_empty_owner_address_is_no_address_not_a_bad_one() {
        let (log, problems, rows) = parse(&format!(
            "[{}]",
            MERGED.replace("\"email\":\"jane@example.org\"", "\"email\":\"\"")
        ));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows.rejected, 0);
        let owner = &log.accounts[log.changes[0].owner.index()];
        assert_eq!(owner.gerrit_id, Some(42));
        assert!(owner.emails.is_empty() && owner.unusable_emails.is_empty());
        // Without an account id, an empty address identifies nobody: as with none.
        let (_, problems, rows) = parse(&format!(
            "[{}]",
            MERGED
                .replace("\"email\":\"jane@example.org\"", "\"email\":\"\"")
                .replace("\"_account_id\":42,", "")
        ));
        assert_eq!(rows.rejected, 1);
        assert_eq!(
            problems,
            [
                "rest.json: record 1: field owner: has neither _account_id nor email, expected DETAILED_ACCOUNTS output (query with o=DETAILED_ACCOUNTS)"
            ]
        );
    }

    #[test]
    fn stream_events_yield_merged_changes_and_skip_the_rest() {
        let text = r#"[{"type":"comment-added","change":{"project":"p","branch":"master","number":"5","owner":{"email":"a@example.org"}},"eventCreatedOn":1388000000},
                       {"type":"change-merged","change":{"project":"p","branch":"master","id":"I9","number":"6","owner":{"name":"Ann","email":"a@example.org"}},"eventCreatedOn":1388000000}]"#;
        let (log, problems, rows) = parse(text);
        assert_eq!(
            problems,
            [
                "rest.json: skipped 1 Gerrit stream event that is not change-merged (no merge to count)"
            ]
        );
        assert_eq!(
            rows,
            FileRows {
                read: 1,
                rejected: 0,
                ignored: 1
            }
        );
        assert_eq!(log.changes[0].number, Some(6));
        assert_eq!(log.changes[0].merged_at.unwrap().timestamp(), 1_388_000_000);
    }

    #[test]
    fn broken_json_names_line_and_column() {
        let (_, problems, _) = parse("[\n{\"project\": }\n]");
        assert_eq!(problems, ["rest.json:2:13: invalid JSON: expected value"]);
        // A raw line break in a string is at the end of its line, not at column 0 of the
        // next (found by fuzzing).
        let (_, problems, _) = parse("[\n{\"project\": \"a\n\"}]");
        assert_eq!(
            problems,
            [
                "rest.json:2:15: invalid JSON: control character (\\u0000-\\u001F) found while parsing a string"
            ]
        );
        let (_, problems, _) = parse("  \n");
        assert_eq!(
            problems,
            [
                "rest.json: file is empty, expected a JSON array of changes from Gerrit's /changes/ endpoint"
            ]
        );
        let (_, problems, _) = parse("[{\"project\":\"p\"}]");
        assert_eq!(
            problems,
            [
                "rest.json: record 1: field branch: missing field `branch`, expected a Gerrit ChangeInfo object"
            ]
        );
    }
}
