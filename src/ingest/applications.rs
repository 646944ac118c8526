//! The TC chair's extra-ATC applications: a CSV with the columns `team`, `name`, `email`,
//! and `expires-in` (or `expires_in`) or `approved` (the date the TC approved it,
//! `YYYY-MM-DD`, from which the entry's expiry is reckoned), and optionally `comment`, one
//! application per row, as they would be added to the governance files.

use crate::ingest::limits::{MAX_ADDRESS_BYTES, field_too_long, too_long};
use crate::ingest::{InputPath, header, read_text};
use crate::model::{Application, Code, LineCounter, Problem};

/// The columns an applications file may have.
const COLUMNS: [&str; 6] = ["team", "name", "email", "expires-in", "approved", "comment"];

/// Why the applications could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Malformed(Box<Problem>),
}

impl From<Problem> for ReadError {
    fn from(problem: Problem) -> Self {
        Self::Malformed(Box::new(problem))
    }
}

/// Read an applications file.
///
/// # Errors
/// The file cannot be read, or its header or a row is malformed (the first such problem,
/// located).
pub fn read(input: &InputPath) -> Result<Vec<Application>, ReadError> {
    let (text, _) = read_text(input)?;
    parse(&input.display, &text)
}

/// Parse the text of an applications file; `name` names it in problems.
///
/// # Errors
/// The header or a row is malformed (the first such problem, located).
pub fn parse(name: &str, text: &str) -> Result<Vec<Application>, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let header_record = reader.headers().map_err(|err| {
        let line = err
            .position()
            .map_or(1, |position| lines.record_line(position.byte()));
        Problem::error(
            Code::RowMalformed,
            name,
            format!("cannot read the header: {err}"),
        )
        .at_line(line)
    })?;
    let header_line = header_record
        .position()
        .map_or(1, |position| lines.record_line(position.byte()));
    let header: Vec<String> = header_record
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name || h.replace('_', "-") == name)
    };
    let expires_col = column("expires-in");
    let approved_col = column("approved");
    let (Some(team_col), Some(name_col), Some(email_col), true) = (
        column("team"),
        column("name"),
        column("email"),
        expires_col.is_some() || approved_col.is_some(),
    ) else {
        let cells: Vec<String> = header.iter().map(|h| h.replace('_', "-")).collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        // Either date column will do: both are wanted when neither is there.
        let dated = cells.contains(&"expires-in") || cells.contains(&"approved");
        let wanted: Vec<&str> = COLUMNS
            .iter()
            .copied()
            .filter(|c| *c != "comment" && !cells.contains(c))
            .filter(|c| !dated || !matches!(*c, "expires-in" | "approved"))
            .collect();
        let found = header::found(&cells, |cell| COLUMNS.contains(&cell), &wanted);
        return Err(ReadError::from(
            Problem::error(
                Code::HeaderMissingColumn,
                name,
                format!(
                    "expected the columns team, name, email, and expires-in or approved ({found})"
                ),
            )
            .at_line(header_line),
        ));
    };
    let comment_col = column("comment");
    let mut applications = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| {
            let line = err
                .position()
                .map_or(0, |position| lines.record_line(position.byte()));
            Problem::error(Code::RowMalformed, name, format!("malformed CSV: {err}")).at_line(line)
        })?;
        let line = record
            .position()
            .map_or(0, |position| lines.record_line(position.byte()));
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        for (column, position) in [
            ("team", Some(team_col)),
            ("name", Some(name_col)),
            ("email", Some(email_col)),
            ("expires-in", expires_col),
            ("comment", comment_col),
        ] {
            let value = position.and_then(|p| record.get(p)).unwrap_or("").trim();
            let message = if column == "email" {
                too_long(value, MAX_ADDRESS_BYTES)
            } else {
                field_too_long(value)
            };
            if let Some(message) = message {
                return Err(ReadError::from(
                    Problem::error(Code::FieldTooLong, name, message)
                        .at_line(line)
                        .in_field(column),
                ));
            }
        }
        let approved = match approved_col.map(field).filter(|a| !a.is_empty()) {
            None => None,
            Some(text) => match chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(_) => {
                    return Err(ReadError::from(
                        Problem::error(
                            Code::FieldInvalid,
                            name,
                            format!(
                                "{} is not a date, expected the approval date as YYYY-MM-DD",
                                crate::model::excerpt(&text)
                            ),
                        )
                        .at_line(line)
                        .in_field("approved"),
                    ));
                }
            },
        };
        applications.push(Application {
            line,
            team: field(team_col),
            name: field(name_col),
            email: field(email_col),
            expires_in: expires_col.map(field).unwrap_or_default(),
            approved,
            comment: comment_col.map(field).filter(|c| !c.is_empty()),
        });
    }
    Ok(applications)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_by_the_lines_of_the_file() {
        // A lone carriage return ends a record for the CSV reader, and so a line: the
        // row after one was numbered as the header's line (found by fuzzing).
        let applications = parse(
            "a.csv",
            "team,name,email,expires-in\rNova,Ann,ann@example.org,February 2017\n\nGlance,Bo,bo@example.org,March 2017\n",
        )
        .unwrap();
        let lines: Vec<u64> = applications.iter().map(|a| a.line).collect();
        assert_eq!(lines, [2, 4]);
    }
}
