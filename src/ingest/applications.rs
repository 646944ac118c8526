//! The TC chair's extra-ATC applications: a CSV with the columns `team`, `name`, `email`,
//! and `expires-in` (or `expires_in`) or `approved` (the date the TC approved it,
//! `YYYY-MM-DD`, from which the entry's expiry is reckoned), and optionally `comment`, one
//! application per row, as they would be added to the governance files.

use crate::ingest::{InputPath, read_text};
use crate::model::{Application, Code, LineCounter, Problem};

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
    let name = input.display.as_str();
    let (text, _) = read_text(input)?;
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
        return Err(ReadError::from(
            Problem::error(
                Code::HeaderMissingColumn,
                name,
                format!(
                    "expected the columns team, name, email, and expires-in or approved (found: {})",
                    header.join(", ")
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
