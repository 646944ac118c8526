//! `gerrit query --format=JSON` output: one change per line, then a `{"type":"stats"}`
//! line that is skipped. `number` is a string in old Gerrit and an integer in newer ones.
//! The merge time is the `SUBM` approval's `grantedOn` (with `--all-approvals`); without
//! one it falls back to `lastUpdated`, which a later comment can move, so those changes
//! are counted and warned about.

use std::io::{BufRead, Read};

use serde::Deserialize;
use serde_json::Value;

use crate::ingest::FileRows;
use crate::ingest::gerrit_rest::{co_authors, kind_of, not_a_change, strip_position};
use crate::ingest::limits::{
    MAX_ADDRESS_BYTES, MAX_FIELD_BYTES, MAX_JSON_LINE_BYTES, line_too_long, too_long,
};
use crate::ingest::timestamp::from_epoch_seconds;
use crate::ingest::{FileDigest, InputPath, Progress, open};
use crate::model::{
    AccountIdx, AccountSighting, Change, ChangeLog, Credit, CreditRole, MergeTime, address_problem,
    excerpt, is_plausible_email,
};
use crate::model::{Code, FileId, Instant, Origin, Position};
use crate::model::{Diagnostics, Problem};

#[derive(Debug, Deserialize)]
struct QueryChange {
    project: String,
    branch: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    number: Option<Value>,
    owner: QueryAccount,
    #[serde(default)]
    status: Option<String>,
    #[serde(default, rename = "lastUpdated")]
    last_updated: Option<i64>,
    #[serde(default, rename = "commitMessage")]
    commit_message: Option<String>,
    #[serde(default, rename = "patchSets")]
    patch_sets: Vec<PatchSet>,
    #[serde(default, rename = "currentPatchSet")]
    current_patch_set: Option<PatchSet>,
}

#[derive(Debug, Default, Deserialize)]
struct QueryAccount {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    username: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PatchSet {
    #[serde(default)]
    approvals: Vec<Approval>,
}

#[derive(Debug, Deserialize)]
struct Approval {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    value: Option<Value>,
    #[serde(default, rename = "grantedOn")]
    granted_on: Option<i64>,
    #[serde(default)]
    by: QueryAccount,
}

/// Read one `gerrit query` JSON-lines file into `log`.
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
    let rows = read_lines(
        &input.display,
        &mut std::io::BufReader::new(&mut reader),
        file,
        log,
        diagnostics,
    )?;
    Ok((reader.finish()?, rows))
}

/// Read `gerrit query` JSON lines from `reader`; `name` names them in problems.
///
/// # Errors
/// Only when reading fails.
pub fn read_lines(
    name: &str,
    reader: &mut impl BufRead,
    file: FileId,
    log: &mut ChangeLog,
    diagnostics: &mut Diagnostics,
) -> std::io::Result<FileRows> {
    let mut rows = FileRows::default();
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    let mut fallback_lines = Vec::new();
    let mut any_line = false;
    let limit = MAX_JSON_LINE_BYTES as u64 + 1;
    loop {
        buf.clear();
        // At most one byte more than the longest line allowed, so that a file of one
        // endless line costs the limit, not its size.
        if reader.by_ref().take(limit).read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        if buf.len() as u64 == limit && buf.last() != Some(&b'\n') {
            return Err(line_too_long(name, line_no, MAX_JSON_LINE_BYTES));
        }
        let bytes = if line_no == 1 {
            crate::ingest::strip_bom(&buf)
        } else {
            &buf[..]
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            rows.read += 1;
            rows.rejected += 1;
            diagnostics.push(
                Problem::error(
                    Code::InputNotUtf8,
                    name,
                    "invalid UTF-8, expected a JSON object",
                )
                .at_line(line_no),
            );
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        any_line = true;
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(err) => {
                rows.read += 1;
                rows.rejected += 1;
                let problem = Problem::error(
                    Code::RowMalformed,
                    name,
                    format!(
                        "invalid JSON: {}, expected one change object per line",
                        strip_position(&err)
                    ),
                )
                .at_line(line_no);
                diagnostics.push(if err.column() > 0 {
                    problem.at_column(err.column() as u64)
                } else {
                    problem
                });
                continue;
            }
        };
        if value.get("type").and_then(Value::as_str) == Some("stats") {
            rows.ignored += 1;
            continue;
        }
        rows.read += 1;
        let origin = Origin {
            file,
            position: u32::try_from(line_no).unwrap_or(u32::MAX),
            kind: Position::Line,
        };
        match read_change(name, value, line_no, origin, log, diagnostics) {
            Some(MergeTime::LastUpdated) => fallback_lines.push(line_no),
            Some(_) => {}
            None => rows.rejected += 1,
        }
    }
    if !any_line {
        diagnostics.push(Problem::error(
            Code::InputEmpty,
            name,
            "file is empty, expected `gerrit query --format=JSON` output, one change per line",
        ));
    }
    if !fallback_lines.is_empty() {
        let shown: Vec<String> = fallback_lines.iter().take(5).map(u64::to_string).collect();
        diagnostics.push(Problem::warning(
            Code::MergeTimeApproximate,
            name,
            format!(
                "{} merged change{} had no SUBM approval, so the merge time is lastUpdated, which a later comment can move (lines {}{}); query with --all-approvals for exact times",
                fallback_lines.len(),
                if fallback_lines.len() == 1 { "" } else { "s" },
                shown.join(", "),
                if fallback_lines.len() > 5 { ", ..." } else { "" }
            ),
        ));
    }
    Ok(rows)
}

fn read_change(
    name: &str,
    value: Value,
    line: u64,
    origin: Origin,
    log: &mut ChangeLog,
    diagnostics: &mut Diagnostics,
) -> Option<MergeTime> {
    let problem = |code: Code, field: &str, message: String| {
        Problem::error(code, name, message)
            .at_line(line)
            .in_field(field)
    };
    let change: QueryChange = match serde_json::from_value(value) {
        Ok(change) => change,
        Err(err) => {
            diagnostics
                .push(not_a_change(name, &err, "a gerrit query change object").at_line(line));
            return None;
        }
    };
    let number = match &change.number {
        None => None,
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => match s.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                diagnostics.push(problem(
                    Code::FieldInvalid,
                    "number",
                    format!("{} is not a change number", excerpt(s)),
                ));
                return None;
            }
        },
        Some(other) => {
            diagnostics.push(problem(
                Code::FieldInvalid,
                "number",
                format!("found {}, expected a change number", kind_of(other)),
            ));
            return None;
        }
    };
    let status = change.status.as_deref().unwrap_or("");
    let merged = status.eq_ignore_ascii_case("merged");
    let approvals = || {
        change
            .patch_sets
            .iter()
            .chain(change.current_patch_set.iter())
            .flat_map(|ps| ps.approvals.iter())
    };
    let submitted: Option<i64> = approvals()
        .filter(|a| a.kind.eq_ignore_ascii_case("SUBM"))
        .filter_map(|a| a.granted_on)
        .max();
    let (merged_at, merge_time): (Option<Instant>, MergeTime) =
        match (merged, submitted, change.last_updated) {
            (false, _, _) => (None, MergeTime::None),
            (true, Some(at), _) => (
                Some(epoch(name, line, "grantedOn", at, diagnostics)?),
                MergeTime::SubmitApproval,
            ),
            (true, None, Some(at)) => (
                Some(epoch(name, line, "lastUpdated", at, diagnostics)?),
                MergeTime::LastUpdated,
            ),
            (true, None, None) => {
                diagnostics.push(problem(
                    Code::FieldMissing,
                    "lastUpdated",
                    "is missing and there is no SUBM approval, expected a merge time".to_owned(),
                ));
                return None;
            }
        };
    // An address past its limit leaves the record out, as any field past its limit; one
    // that is only not an address still counts for its account, with a warning.
    let unusable = match change.owner.email.as_deref().filter(|e| !e.is_empty()) {
        Some(email) => match address_problem(email) {
            Some((Code::FieldTooLong, message)) => {
                diagnostics.push(problem(Code::FieldTooLong, "owner.email", message));
                return None;
            }
            Some(_) => Some(email),
            None => None,
        },
        None => None,
    };
    if let Some((field, message)) = too_long_field(&change) {
        diagnostics.push(problem(Code::FieldTooLong, field, message));
        return None;
    }
    if let Some(email) = unusable {
        diagnostics.push(
            crate::ingest::changes_csv::unusable_address(name, email)
                .at_line(line)
                .in_field("owner.email"),
        );
    }
    let Some(owner) = sight(log, &change.owner, origin, merged_at) else {
        diagnostics.push(problem(
            Code::FieldMissing,
            "owner",
            "has no email, expected the owner's e-mail address".to_owned(),
        ));
        return None;
    };
    let mut credits = Vec::new();
    if let Some(message) = change.commit_message.as_deref() {
        // Entries without an address have nobody to credit; exports carry free text here.
        let _ = log.credit_co_authors(co_authors(message), origin, merged_at, &mut credits);
    }
    for approval in approvals() {
        let label = match approval.kind.as_str() {
            "CRVW" => "Code-Review",
            "APRV" => "Workflow",
            "VRIF" => "Verified",
            "SUBM" => continue,
            other => other,
        };
        let value = match &approval.value {
            Some(Value::String(s)) => s.parse::<i64>().ok(),
            Some(Value::Number(n)) => n.as_i64(),
            _ => None,
        };
        let Some(value) = value.filter(|v| *v != 0) else {
            continue;
        };
        let label = log.symbols.intern(label);
        if let Some(account) = sight(log, &approval.by, origin, merged_at) {
            credits.push(Credit {
                account,
                role: CreditRole::Reviewer {
                    label,
                    value: i8::try_from(value).unwrap_or(if value > 0 { i8::MAX } else { i8::MIN }),
                },
            });
        }
    }
    let (credits_start, credits_len) = log.add_credits(credits);
    let record = Change {
        repo: log.symbols.intern(&change.project),
        branch: log.symbols.intern(&change.branch),
        owner,
        email: change
            .owner
            .email
            .as_deref()
            .filter(|e| !e.is_empty())
            .map(|e| log.symbols.intern(e)),
        merged,
        status: (!merged).then(|| log.symbols.intern(status)),
        merged_at,
        merge_time,
        number,
        change_id: change.id.as_deref().map(|id| log.store_text(id)),
        commit: None,
        credits_start,
        credits_len,
        origin,
    };
    log.changes.push(record);
    Some(merge_time)
}

fn epoch(
    name: &str,
    line: u64,
    field: &str,
    seconds: i64,
    diagnostics: &mut Diagnostics,
) -> Option<Instant> {
    match from_epoch_seconds(seconds) {
        Ok(at) => Some(at),
        Err(message) => {
            diagnostics.push(
                Problem::error(Code::FieldInvalid, name, message)
                    .at_line(line)
                    .in_field(field),
            );
            None
        }
    }
}

/// The first field of a change longer than any real one, with the message saying so.
fn too_long_field(change: &QueryChange) -> Option<(&'static str, String)> {
    // A reviewer's address that is not one is kept as the account's unusable address, so
    // it has the limit of an address too.
    fn account(account: &QueryAccount) -> [(Option<&str>, usize); 3] {
        [
            (account.name.as_deref(), MAX_FIELD_BYTES),
            (account.username.as_deref(), MAX_FIELD_BYTES),
            (account.email.as_deref(), MAX_ADDRESS_BYTES),
        ]
    }
    let fields = [
        ("project", Some(change.project.as_str()), MAX_FIELD_BYTES),
        ("branch", Some(change.branch.as_str()), MAX_FIELD_BYTES),
        ("id", change.id.as_deref(), MAX_FIELD_BYTES),
        ("status", change.status.as_deref(), MAX_FIELD_BYTES),
        ("owner.name", change.owner.name.as_deref(), MAX_FIELD_BYTES),
        (
            "owner.username",
            change.owner.username.as_deref(),
            MAX_FIELD_BYTES,
        ),
    ];
    let approvals = change
        .patch_sets
        .iter()
        .chain(change.current_patch_set.iter())
        .flat_map(|ps| ps.approvals.iter())
        .flat_map(|a| {
            std::iter::once(("approvals.type", Some(a.kind.as_str()), MAX_FIELD_BYTES))
                .chain(account(&a.by).map(|(value, max)| ("approvals.by", value, max)))
        });
    fields
        .into_iter()
        .chain(approvals)
        .find_map(|(field, value, max)| Some((field, too_long(value?, max)?)))
}

/// Accounts in `gerrit query` output carry no account id: they are keyed by address.
/// Bots without an address (Jenkins) are not accounts anyone can be credited through.
fn sight(
    log: &mut ChangeLog,
    account: &QueryAccount,
    origin: Origin,
    at: Option<Instant>,
) -> Option<AccountIdx> {
    let email = account.email.as_deref().filter(|e| !e.is_empty())?;
    let usable = is_plausible_email(email);
    log.account(
        AccountSighting {
            gerrit_id: None,
            email: Some(email).filter(|_| usable),
            name: account.name.as_deref(),
            username: account.username.as_deref(),
            unusable_email: Some(email).filter(|_| !usable),
            at,
        },
        origin,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (ChangeLog, Vec<String>, FileRows) {
        let mut log = ChangeLog::new();
        let mut d = Diagnostics::default();
        let rows = read_lines(
            "query.jsonl",
            &mut text.as_bytes(),
            FileId(0),
            &mut log,
            &mut d,
        )
        .unwrap();
        (log, d.all().iter().map(ToString::to_string).collect(), rows)
    }

    #[test]
    fn submit_approval_gives_the_merge_time_and_stats_line_is_skipped() {
        let text = concat!(
            r#"{"project":"openstack/nova","branch":"master","id":"I1","number":"635","owner":{"name":"Jane","email":"jane@example.org"},"lastUpdated":1316814999,"status":"MERGED","patchSets":[{"approvals":[{"type":"SUBM","value":"1","grantedOn":1316814951,"by":{"name":"Jenkins","username":"jenkins"}},{"type":"CRVW","value":"2","grantedOn":1316814192,"by":{"name":"Rev","email":"rev@example.org"}}]}]}"#,
            "\n",
            r#"{"project":"openstack/nova","branch":"master","number":636,"owner":{"name":"Jane","email":"jane@example.org"},"lastUpdated":1316815000,"status":"MERGED"}"#,
            "\n",
            r#"{"type":"stats","rowCount":2}"#,
            "\n"
        );
        let (log, problems, rows) = parse(text);
        assert_eq!(
            rows,
            FileRows {
                read: 2,
                rejected: 0,
                ignored: 1
            }
        );
        assert_eq!(log.changes[0].merged_at.unwrap().timestamp(), 1_316_814_951);
        assert_eq!(log.changes[0].merge_time, MergeTime::SubmitApproval);
        assert_eq!(log.changes[0].number, Some(635));
        assert_eq!(log.changes[1].merge_time, MergeTime::LastUpdated);
        assert_eq!(
            log.credits_of(&log.changes[0]).len(),
            1,
            "the CRVW vote; Jenkins has no address"
        );
        assert_eq!(
            problems,
            [
                "query.jsonl: 1 merged change had no SUBM approval, so the merge time is lastUpdated, which a later comment can move (lines 2); query with --all-approvals for exact times"
            ]
        );
    }

    #[test]
    fn broken_lines_are_reported_and_counted() {
        let (_, problems, rows) = parse("{\"project\":\n{\"branch\":\"x\"}\n");
        assert_eq!(
            problems,
            [
                "query.jsonl:1: invalid JSON: EOF while parsing a value, expected one change object per line",
                "query.jsonl:2: field project: missing field `project`, expected a gerrit query change object",
            ]
        );
        assert_eq!(
            rows,
            FileRows {
                read: 2,
                rejected: 2,
                ignored: 0
            }
        );
    }
}
