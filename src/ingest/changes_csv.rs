//! The changes CSV (DESIGN §4): a header row, then one change per row. Header names are
//! matched case-insensitively; unknown columns are ignored (and named once, as a warning,
//! so a misspelt optional column does not go unnoticed).
//!
//! Required: `project, branch, owner_email, merged_at`. Optional: `owner_name,
//! owner_account_id, owner_username, change_id, change_number, status, co_authors`.
//! `merged_at` is RFC 3339 with an offset. `status`, when present, must be `MERGED` for a
//! row to count. `co_authors` is `Name <email>; Name <email>`.

use std::io::{BufRead, Read};

use crate::diagnostics::{Diagnostics, Problem};
use crate::ingest::changes::{
    AccountSighting, Change, ChangeLog, FileRows, MergeTime, is_plausible_email,
};
use crate::ingest::timestamp::parse_rfc3339;
use crate::ingest::{BOM, FileDigest, HashingReader, InputPath, Progress, open};
use crate::model::{FileId, Origin, Position};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Project,
    Branch,
    OwnerEmail,
    MergedAt,
    OwnerName,
    OwnerAccountId,
    OwnerUsername,
    ChangeId,
    ChangeNumber,
    Status,
    CoAuthors,
}

const COLUMNS: [(&str, Column); 11] = [
    ("project", Column::Project),
    ("branch", Column::Branch),
    ("owner_email", Column::OwnerEmail),
    ("merged_at", Column::MergedAt),
    ("owner_name", Column::OwnerName),
    ("owner_account_id", Column::OwnerAccountId),
    ("owner_username", Column::OwnerUsername),
    ("change_id", Column::ChangeId),
    ("change_number", Column::ChangeNumber),
    ("status", Column::Status),
    ("co_authors", Column::CoAuthors),
];

const REQUIRED: [&str; 4] = ["project", "branch", "owner_email", "merged_at"];

/// Column positions resolved from the header.
#[derive(Debug, Default)]
struct Layout {
    positions: [Option<usize>; COLUMNS.len()],
    width: usize,
}

impl Layout {
    fn get(&self, column: Column) -> Option<usize> {
        self.positions[column as usize]
    }
}

/// Read one changes CSV into `log`. Row problems go to `diagnostics`; the returned digest
/// and row counts go to the manifest.
///
/// # Errors
/// Only when the file cannot be read at all; everything else is a [`Problem`].
pub fn read(
    input: &InputPath,
    file: FileId,
    log: &mut ChangeLog,
    diagnostics: &mut Diagnostics,
    progress: &dyn Progress,
) -> std::io::Result<(FileDigest, FileRows)> {
    let mut reader = open(input, progress)?;
    let rows = read_from(&mut reader, input, file, log, diagnostics)?;
    Ok((reader.finish()?, rows))
}

fn read_from<R: Read>(
    reader: &mut HashingReader<'_, std::io::BufReader<R>>,
    input: &InputPath,
    file: FileId,
    log: &mut ChangeLog,
    diagnostics: &mut Diagnostics,
) -> std::io::Result<FileRows>
where
    std::io::BufReader<R>: BufRead,
{
    let name = input.display.as_str();
    let mut rows = FileRows::default();
    let mut head = [0u8; 3];
    let mut filled = 0;
    while filled < 3 {
        let n = reader.read(&mut head[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    if filled == 0 {
        diagnostics.push(Problem::error(
            name,
            "file is empty, expected a header row naming the columns project, branch, owner_email, merged_at",
        ));
        return Ok(rows);
    }
    let prefix: &[u8] = if head[..filled] == *BOM {
        diagnostics.push(
            Problem::warning(name, "file starts with a UTF-8 byte-order mark; ignored").at_line(1),
        );
        &[]
    } else {
        &head[..filled]
    };
    let chained = prefix.chain(reader);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(chained);

    let mut record = csv::ByteRecord::new();
    let header_ok = match csv.read_byte_record(&mut record) {
        Ok(true) => true,
        Ok(false) => false,
        Err(err) => {
            diagnostics.push(csv_problem(name, &err));
            return Ok(rows);
        }
    };
    if !header_ok {
        diagnostics.push(Problem::error(
            name,
            "file has no header row, expected the columns project, branch, owner_email, merged_at",
        ));
        return Ok(rows);
    }
    let Some(layout) = resolve_header(name, &record, diagnostics) else {
        return Ok(rows);
    };

    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                rows.read += 1;
                rows.rejected += 1;
                diagnostics.push(csv_problem(name, &err));
                if matches!(err.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
            continue; // a blank line is not a row
        }
        rows.read += 1;
        let origin = Origin {
            file,
            position: u32::try_from(line).unwrap_or(u32::MAX),
            kind: Position::Line,
        };
        if !read_row(name, &layout, &record, origin, log, diagnostics) {
            rows.rejected += 1;
        }
    }
    if rows.read == 0 {
        diagnostics.push(Problem::warning(name, "no rows after the header").at_line(1));
    }
    Ok(rows)
}

fn csv_problem(name: &str, err: &csv::Error) -> Problem {
    let line = err.position().map(csv::Position::line);
    let message = match err.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("field {} is not valid UTF-8", err.field() + 1),
        _ => format!("malformed CSV: {err}"),
    };
    let problem = Problem::error(name, message);
    match line {
        Some(line) => problem.at_line(line),
        None => problem,
    }
}

fn resolve_header(
    name: &str,
    header: &csv::ByteRecord,
    diagnostics: &mut Diagnostics,
) -> Option<Layout> {
    let mut layout = Layout {
        width: header.len(),
        ..Layout::default()
    };
    let mut ok = true;
    let mut unknown = Vec::new();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (position, raw) in header.iter().enumerate() {
        let Ok(text) = std::str::from_utf8(raw) else {
            diagnostics.push(
                Problem::error(
                    name,
                    format!("header field {} is not valid UTF-8", position + 1),
                )
                .at_line(1),
            );
            ok = false;
            continue;
        };
        let key = text.trim().to_ascii_lowercase();
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            diagnostics.push(
                Problem::error(
                    name,
                    format!("column \"{}\" appears twice (columns {} and {}), expected each column once", text.trim(), first + 1, position + 1),
                )
                .at_line(1),
            );
            ok = false;
            continue;
        }
        seen.push((key.clone(), position));
        match COLUMNS.iter().find(|(n, _)| *n == key) {
            Some((_, column)) => layout.positions[*column as usize] = Some(position),
            None => unknown.push(text.trim().to_owned()),
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|req| !seen.iter().any(|(k, _)| k == req))
        .collect();
    if !missing.is_empty() {
        let found: Vec<&str> = seen.iter().map(|(k, _)| k.as_str()).collect();
        diagnostics.push(
            Problem::error(
                name,
                format!(
                    "missing required column{} {}, expected a header with project, branch, owner_email, merged_at (found: {})",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", "),
                    found.join(", ")
                ),
            )
            .at_line(1),
        );
        ok = false;
    }
    if ok && !unknown.is_empty() {
        diagnostics.push(
            Problem::warning(
                name,
                format!(
                    "ignoring unknown column{}: {}",
                    if unknown.len() == 1 { "" } else { "s" },
                    unknown.join(", ")
                ),
            )
            .at_line(1),
        );
    }
    ok.then_some(layout)
}

/// Parse one data row into `log`. Returns `false` (after reporting every problem in the
/// row) when the row cannot be used.
fn read_row(
    name: &str,
    layout: &Layout,
    record: &csv::ByteRecord,
    origin: Origin,
    log: &mut ChangeLog,
    diagnostics: &mut Diagnostics,
) -> bool {
    let line = u64::from(origin.position);
    if record.len() != layout.width {
        diagnostics.push(
            Problem::error(
                name,
                format!(
                    "row has {} field{}, expected {} as in the header",
                    record.len(),
                    if record.len() == 1 { "" } else { "s" },
                    layout.width
                ),
            )
            .at_line(line),
        );
        return false;
    }
    let mut ok = true;
    let mut problem = |field: &str, message: String| {
        diagnostics.push(Problem::error(name, message).at_line(line).in_field(field));
    };
    let mut text = |column: Column, field: &str| -> Option<&str> {
        let raw = record.get(layout.get(column)?)?;
        match std::str::from_utf8(raw) {
            Ok(s) => Some(s.trim()),
            Err(_) => {
                problem(field, "is not valid UTF-8, expected UTF-8 text".to_owned());
                ok = false;
                None
            }
        }
    };
    // Required columns are always present (the header was checked), so `None` here means
    // the field was not UTF-8, which has been reported already.
    let project = text(Column::Project, "project");
    let branch = text(Column::Branch, "branch");
    let email = text(Column::OwnerEmail, "owner_email");
    let merged_at = text(Column::MergedAt, "merged_at");
    let owner_name = text(Column::OwnerName, "owner_name");
    let account_id = text(Column::OwnerAccountId, "owner_account_id").filter(|s| !s.is_empty());
    let username = text(Column::OwnerUsername, "owner_username");
    let change_id = text(Column::ChangeId, "change_id").filter(|s| !s.is_empty());
    let number = text(Column::ChangeNumber, "change_number").filter(|s| !s.is_empty());
    let status = text(Column::Status, "status");
    let co_authors = text(Column::CoAuthors, "co_authors").filter(|s| !s.is_empty());

    let mut problems: Vec<(&str, String)> = Vec::new();
    if project == Some("") {
        problems.push((
            "project",
            "is empty, expected a repository such as \"openstack/nova\"".to_owned(),
        ));
    }
    if branch == Some("") {
        problems.push((
            "branch",
            "is empty, expected a branch such as \"master\"".to_owned(),
        ));
    }
    let (project, branch) = (project.unwrap_or(""), branch.unwrap_or(""));
    let account_id = match account_id.map(str::parse::<u64>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            problems.push((
                "owner_account_id",
                format!(
                    "\"{}\" is not a number, expected a Gerrit account id",
                    account_id.unwrap_or("")
                ),
            ));
            None
        }
    };
    let email_readable = email.is_some();
    let email = email.unwrap_or("");
    if !email_readable {
        // already reported
    } else if email.is_empty() {
        if account_id.is_none() {
            problems.push((
                "owner_email",
                "is empty and there is no owner_account_id, expected the owner's e-mail address"
                    .to_owned(),
            ));
        }
    } else if !is_plausible_email(email) {
        problems.push((
            "owner_email",
            format!(
                "\"{email}\" is not an e-mail address, expected one such as \"jane@example.org\""
            ),
        ));
    }
    let merged = status.is_none_or(|s| s.eq_ignore_ascii_case("merged"));
    let merged_at = if merged_at.is_none() || (merged_at == Some("") && !merged) {
        None
    } else {
        let merged_at = merged_at.unwrap_or("");
        match parse_rfc3339(merged_at) {
            Ok(at) => Some(at),
            Err(message) => {
                problems.push(("merged_at", message));
                None
            }
        }
    };
    let number = match number.map(str::parse::<u64>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            problems.push((
                "change_number",
                format!(
                    "\"{}\" is not a number, expected a Gerrit change number",
                    number.unwrap_or("")
                ),
            ));
            None
        }
    };
    for (field, message) in problems.drain(..) {
        problem(field, message);
        ok = false;
    }
    if !ok {
        return false;
    }

    let Some((owner, email_sym)) = log.sight(
        AccountSighting {
            gerrit_id: account_id,
            email: Some(email),
            name: owner_name,
            username,
        },
        origin,
    ) else {
        return false;
    };
    let mut credits = Vec::new();
    if let Some(list) = co_authors {
        let entries = list.split(';').map(str::trim).filter(|e| !e.is_empty());
        for entry in log.credit_co_authors(entries, origin, &mut credits) {
            diagnostics.push(
                Problem::warning(
                    name,
                    format!("co-author \"{entry}\" has no e-mail address; it cannot be credited"),
                )
                .at_line(line)
                .in_field("co_authors"),
            );
        }
    }
    let (credits_start, credits_len) = log.add_credits(credits);
    let change = Change {
        repo: log.symbols.intern(project),
        branch: log.symbols.intern(branch),
        owner,
        email: email_sym,
        merged,
        status: if merged {
            None
        } else {
            status.map(|s| log.symbols.intern(s))
        },
        merged_at,
        merge_time: if merged {
            MergeTime::Submitted
        } else {
            MergeTime::None
        },
        number,
        change_id: change_id.map(|id| log.store_text(id)),
        credits_start,
        credits_len,
        origin,
    };
    log.changes.push(change);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Silent;
    use crate::ingest::changes::CreditRole;
    use crate::model::format_instant;

    fn parse(text: &[u8]) -> (ChangeLog, Diagnostics, FileRows) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("changes.csv");
        std::fs::write(&path, text).unwrap();
        let mut log = ChangeLog::new();
        let mut diagnostics = Diagnostics::default();
        let (_, rows) = read(
            &InputPath::new(&path, "changes.csv"),
            FileId(0),
            &mut log,
            &mut diagnostics,
            &Silent,
        )
        .unwrap();
        (log, diagnostics, rows)
    }

    fn messages(d: &Diagnostics) -> Vec<String> {
        d.all().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reads_rows_with_case_insensitive_header_and_extra_columns() {
        let (log, d, rows) = parse(
            b"Project,BRANCH,owner_email,merged_at,Owner_Name,commit\n\
              openstack/nova,master,jane@example.org,2015-06-01T12:00:00+02:00,Jane Doe,abc\n",
        );
        assert_eq!(
            messages(&d),
            ["changes.csv:1: ignoring unknown column: commit"]
        );
        assert_eq!(
            rows,
            FileRows {
                read: 1,
                rejected: 0,
                ignored: 0
            }
        );
        let change = &log.changes[0];
        assert_eq!(log.symbols.resolve(change.repo), "openstack/nova");
        assert_eq!(
            format_instant(change.merged_at.unwrap()),
            "2015-06-01T10:00:00Z"
        );
        let owner = &log.accounts[change.owner.index()];
        assert_eq!(log.symbols.resolve(owner.name.unwrap()), "Jane Doe");
    }

    #[test]
    fn every_bad_field_of_a_row_is_reported() {
        let (log, d, rows) = parse(
            b"project,branch,owner_email,merged_at,change_number\n\
              ,master,not-an-address,2015-06-01 12:00:00,12x\n\
              openstack/nova,master,jane@example.org,2015-06-01T12:00:00Z,12\n\
              openstack/nova,master\n",
        );
        assert_eq!(
            messages(&d),
            [
                "changes.csv:2: field project: is empty, expected a repository such as \"openstack/nova\"",
                "changes.csv:2: field owner_email: \"not-an-address\" is not an e-mail address, expected one such as \"jane@example.org\"",
                "changes.csv:2: field merged_at: \"2015-06-01 12:00:00\" has no UTC offset, expected RFC 3339 with an offset such as \"2015-03-04T00:00:00Z\"",
                "changes.csv:2: field change_number: \"12x\" is not a number, expected a Gerrit change number",
                "changes.csv:4: row has 2 fields, expected 5 as in the header",
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
        assert_eq!(log.changes.len(), 1);
    }

    #[test]
    fn status_other_than_merged_is_kept_as_not_merged() {
        let (log, d, _) = parse(
            b"project,branch,owner_email,merged_at,status\n\
              openstack/nova,master,jane@example.org,,ABANDONED\n\
              openstack/nova,master,jane@example.org,2015-06-01T12:00:00Z,merged\n",
        );
        assert!(d.is_empty(), "{:?}", messages(&d));
        assert!(!log.changes[0].merged);
        assert_eq!(
            log.symbols.resolve(log.changes[0].status.unwrap()),
            "ABANDONED"
        );
        assert!(log.changes[1].merged);
    }

    #[test]
    fn header_problems() {
        let (_, d, _) = parse(b"");
        assert_eq!(
            messages(&d),
            [
                "changes.csv: file is empty, expected a header row naming the columns project, branch, owner_email, merged_at"
            ]
        );
        let (_, d, _) = parse(b"project,branch,Project,merged_at\n");
        assert_eq!(
            messages(&d),
            [
                "changes.csv:1: column \"Project\" appears twice (columns 1 and 3), expected each column once",
                "changes.csv:1: missing required column owner_email, expected a header with project, branch, owner_email, merged_at (found: project, branch, merged_at)",
            ]
        );
    }

    #[test]
    fn bom_is_stripped_and_reported() {
        let (log, d, _) = parse(b"\xEF\xBB\xBFproject,branch,owner_email,merged_at\nopenstack/nova,master,jane@example.org,2015-06-01T12:00:00Z\n");
        assert_eq!(
            messages(&d),
            ["changes.csv:1: file starts with a UTF-8 byte-order mark; ignored"]
        );
        assert_eq!(log.changes.len(), 1);
    }

    #[test]
    fn invalid_utf8_names_line_and_field() {
        let (log, d, rows) = parse(b"project,branch,owner_email,merged_at\nopenstack/nova,ma\xFFster,jane@example.org,2015-06-01T12:00:00Z\n");
        assert_eq!(
            messages(&d),
            ["changes.csv:2: field branch: is not valid UTF-8, expected UTF-8 text"]
        );
        assert_eq!(rows.rejected, 1);
        assert!(log.changes.is_empty());
    }

    #[test]
    fn co_authors_are_credited_and_bad_entries_warned() {
        let (log, d, _) = parse(
            b"project,branch,owner_email,merged_at,co_authors\n\
              openstack/nova,master,jane@example.org,2015-06-01T12:00:00Z,Ann Lee <ann@example.org>; Bob (bobby)\n",
        );
        assert_eq!(
            messages(&d),
            [
                "changes.csv:2: field co_authors: co-author \"Bob (bobby)\" has no e-mail address; it cannot be credited"
            ]
        );
        let credits = log.credits_of(&log.changes[0]);
        assert_eq!(credits.len(), 1);
        assert_eq!(credits[0].role, CreditRole::CoAuthor);
    }
}
