//! The Foundation's membership list: who may be on a roll at all.
//!
//! A CSV with a header: `member_id` (or `id`), optional `name`, and one or more address
//! columns, any column whose name starts with `email` (`email`, `email2`,
//! `secondary_emails`, ...). An address field may hold several addresses separated by
//! `;`, `,` or spaces. An optional `affiliations` column holds the organisations of the
//! member's current affiliations, separated by `;`. Unknown columns are ignored with a
//! warning.

use crate::ingest::limits::{self, field_too_long};
use crate::ingest::{FileDigest, InputPath, header, strip_bom};
use crate::model::LineCounter;
use crate::model::{Code, FileId, Member, Members, Origin, Position};
use crate::model::{Diagnostics, Problem};
use crate::model::{address_problem, cut, excerpt};

/// Read a membership list.
///
/// # Errors
/// Only when the file cannot be read; everything else is a [`Problem`].
pub fn read(
    input: &InputPath,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> std::io::Result<(Members, FileDigest)> {
    let (bytes, digest) =
        limits::read_bounded(input, &crate::ingest::Silent, limits::MAX_LINE_BYTES, None)?;
    Ok((parse(&input.display, &bytes, file, diagnostics), digest))
}

/// Parse the bytes of a membership list; `name` names it in problems.
pub fn parse(name: &str, bytes: &[u8], file: FileId, diagnostics: &mut Diagnostics) -> Members {
    let mut members = Members::default();
    let bytes = strip_bom(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        diagnostics.push(Problem::error(
            Code::InputEmpty,
            name,
            "file is empty, expected a header with member_id, name and email columns",
        ));
        return members;
    }
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut lines = LineCounter::new(bytes);
    let mut record = csv::StringRecord::new();
    match csv.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return members,
        Err(err) => {
            diagnostics.push(
                Problem::error(
                    Code::RowMalformed,
                    name,
                    format!("cannot read the header: {err}"),
                )
                .at_line(
                    err.position()
                        .map_or(1, |position| lines.record_line(position.byte())),
                ),
            );
            return members;
        }
    }
    let header_line = record
        .position()
        .map_or(1, |position| lines.record_line(position.byte()));
    let header: Vec<String> = record
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let id_col = header.iter().position(|h| h == "member_id" || h == "id");
    let name_col = header.iter().position(|h| h == "name");
    let affiliations_col = header.iter().position(|h| h == "affiliations");
    let is_email =
        |h: &str| h.starts_with("email") || h.ends_with("emails") || h.ends_with("email");
    let email_cols: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| is_email(h))
        .map(|(i, _)| i)
        .collect();
    // Each column's name as problems quote it, cut once rather than on every row.
    let email_fields: Vec<(usize, String)> = email_cols
        .iter()
        .map(|&col| {
            (
                col,
                header
                    .get(col)
                    .map_or_else(|| "email".to_owned(), |h| cut(h)),
            )
        })
        .collect();
    if id_col.is_none() || email_cols.is_empty() {
        let mut missing = Vec::new();
        if id_col.is_none() {
            missing.push("member_id");
        }
        if email_cols.is_empty() {
            missing.push("email");
        }
        let cells: Vec<&str> = header.iter().map(String::as_str).collect();
        let found = header::found(
            &cells,
            |h| h == "member_id" || h == "id" || h == "name" || is_email(h),
            &missing,
        );
        diagnostics.push(
            Problem::error(
                Code::HeaderMissingColumn,
                name,
                format!("missing column {}, expected a header with member_id, name and one or more email columns ({found})", missing.join(" and ")),
            )
            .at_line(header_line),
        );
        return members;
    }
    // One pass, whatever the number of columns.
    let unknown: Vec<&str> = header
        .iter()
        .enumerate()
        .filter(|(i, h)| {
            Some(*i) != id_col
                && Some(*i) != name_col
                && Some(*i) != affiliations_col
                && !is_email(h)
        })
        .map(|(_, h)| h.as_str())
        .collect();
    if !unknown.is_empty() {
        diagnostics.push(
            Problem::warning(
                Code::HeaderUnknownColumn,
                name,
                format!("ignoring unknown columns: {}", header::list(&unknown)),
            )
            .at_line(header_line),
        );
    }
    let id_col = id_col.unwrap_or(0);
    loop {
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                members.rows += 1;
                members.rejected += 1;
                let line = err
                    .position()
                    .map_or(0, |position| lines.record_line(position.byte()));
                let (code, message) = match err.kind() {
                    csv::ErrorKind::Utf8 { err, .. } => (
                        Code::InputNotUtf8,
                        format!("field {} is not valid UTF-8", err.field() + 1),
                    ),
                    _ => (Code::RowMalformed, format!("malformed CSV: {err}")),
                };
                diagnostics.push(Problem::error(code, name, message).at_line(line));
                continue;
            }
        }
        let line = record
            .position()
            .map_or(0, |position| lines.record_line(position.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        members.rows += 1;
        if record.len() != header.len() {
            members.rejected += 1;
            diagnostics.push(
                Problem::error(
                    Code::RowMalformed,
                    name,
                    format!(
                        "row has {} fields, expected {} as in the header",
                        record.len(),
                        header.len()
                    ),
                )
                .at_line(line),
            );
            continue;
        }
        let id = record.get(id_col).unwrap_or("").trim();
        let member_name = name_col
            .and_then(|c| record.get(c))
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let affiliations: Vec<&str> = affiliations_col
            .and_then(|c| record.get(c))
            .map(|field| {
                field
                    .split(';')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let too_long: Vec<(&str, String)> = [(Some(id), "member_id"), (member_name, "name")]
            .into_iter()
            .chain(affiliations.iter().map(|&a| (Some(a), "affiliations")))
            .filter_map(|(value, field)| Some((field, field_too_long(value?)?)))
            .collect();
        if !too_long.is_empty() {
            members.rejected += 1;
            for (field, message) in too_long {
                diagnostics.push(
                    Problem::error(Code::FieldTooLong, name, message)
                        .at_line(line)
                        .in_field(field),
                );
            }
            continue;
        }
        if id.is_empty() {
            members.rejected += 1;
            diagnostics.push(
                Problem::error(
                    Code::FieldMissing,
                    name,
                    "is empty, expected the member's id",
                )
                .at_line(line)
                .in_field("member_id"),
            );
            continue;
        }
        let mut emails = Vec::new();
        let mut bad = false;
        for &(col, ref field) in &email_fields {
            for address in record
                .get(col)
                .unwrap_or("")
                .split(|c: char| c == ';' || c == ',' || c.is_whitespace())
                .filter(|a| !a.is_empty())
            {
                if let Some((code, message)) = address_problem(address) {
                    bad = true;
                    diagnostics.push(
                        Problem::error(code, name, message)
                            .at_line(line)
                            .in_field(field.as_str()),
                    );
                } else {
                    emails.push(address.to_owned());
                }
            }
        }
        if bad {
            members.rejected += 1;
            continue;
        }
        if emails.is_empty() {
            diagnostics.push(
                Problem::warning(
                    Code::FieldMissing,
                    name,
                    format!(
                        "member {} has no e-mail address and cannot match anyone",
                        excerpt(id)
                    ),
                )
                .at_line(line),
            );
        }
        members.members.push(Member {
            id: id.to_owned(),
            name: member_name.map(str::to_owned),
            emails,
            affiliations: affiliations.iter().map(|&a| a.to_owned()).collect(),
            origin: Origin {
                file,
                position: u32::try_from(line).unwrap_or(u32::MAX),
                kind: Position::Line,
            },
        });
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Members, Vec<String>) {
        let mut d = Diagnostics::default();
        let m = parse("members.csv", text.as_bytes(), FileId(0), &mut d);
        (m, d.all().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn several_addresses_per_member() {
        let (m, problems) = load(
            "member_id,name,email,secondary_emails\n101,Jane Doe,jane@example.org,jd@example.net; jane@example.com\n102,Bo,bo@example.org,\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            m.members[0].emails,
            ["jane@example.org", "jd@example.net", "jane@example.com"]
        );
        assert_eq!(m.members[1].origin.position, 3);
    }

    #[test]
    fn lines_after_blank_lines_are_the_file_lines() {
        let (m, problems) = load("id,email\n\n\n7,not-mail\n\r\n8,b@example.org\n");
        assert_eq!(
            problems,
            [
                "members.csv:4: field email: \"not-mail\" is not an e-mail address, expected one such as \"jane@example.org\""
            ]
        );
        assert_eq!(m.members[0].origin.position, 6);
    }

    #[test]
    fn problems_are_located() {
        let (m, problems) = load("id,email,team\n,a@example.org,x\n7,not-mail,y\n8\n");
        assert_eq!(
            problems,
            [
                "members.csv:1: ignoring unknown columns: team",
                "members.csv:2: field member_id: is empty, expected the member's id",
                "members.csv:3: field email: \"not-mail\" is not an e-mail address, expected one such as \"jane@example.org\"",
                "members.csv:4: row has 1 fields, expected 3 as in the header",
            ]
        );
        assert_eq!((m.rows, m.rejected), (3, 3));
        // Found by fuzzing: column names went into messages raw, an address column
        // (known by its name's end) as well as an unknown one.
        let (_, problems) = load("name\u{c}email\n");
        assert_eq!(
            problems,
            [
                "members.csv:1: missing column member_id, expected a header with member_id, name and one or more email columns (found: name\\u{c}email)"
            ]
        );
        // An address column named with control characters is named in forty characters
        // as shown, escapes included, not in six times as many.
        let (_, problems) = load(&format!("id,{}email\n7,Ann\n", "\u{19}".repeat(40)));
        assert_eq!(
            problems,
            [format!(
                "members.csv:2: field {}…: \"Ann\" is not an e-mail address, expected one such as \"jane@example.org\"",
                "\\u{19}".repeat(6)
            )]
        );
        let (_, problems) = load("id,email,nam\0e,x\u{1b}[2J\n");
        assert_eq!(
            problems,
            ["members.csv:1: ignoring unknown columns: nam\\0e, x\\u{1b}[2j"]
        );
        let (_, problems) = load("name,mail\n");
        assert_eq!(
            problems,
            [
                "members.csv:1: missing column member_id and email, expected a header with member_id, name and one or more email columns (found: name and 1 other column; did you mean email for \"mail\"?)"
            ]
        );
    }
}
