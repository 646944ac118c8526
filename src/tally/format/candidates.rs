//! The `--candidates` file: who the candidates in a ballot file are.
//!
//! A CSV file with a header row; columns, in any order, names case-insensitive, unknown
//! columns ignored:
//!
//! - `id`: the token the ballot file uses (an Elekto account id, a BLT or `PrefLib` number,
//!   a CIVS upload position `1`, `2`, ...);
//! - `name`: the name to report (defaults to the id);
//! - `affiliation`: the group `--max-per-affiliation` caps (empty: none);
//! - `withdrawn`: `yes`/`true`/`1` to withdraw the candidate before the count.
//!
//! At least one of `id` and `name` is required. Each row must match exactly one
//! candidate of the ballot file (by id when the row has one, else by name) and each
//! candidate must have a row, so a typo cannot quietly leave someone out of the cap.

use crate::model::LineCounter;
use crate::tally::ballot::{BallotSet, Candidate, Candidates};
use crate::tally::error::{Location, ParseError, ParseProblem, excerpt};
use crate::tally::format::limits::check_name;

/// One row of a candidates file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateRow {
    pub line: u32,
    pub id: Option<String>,
    pub name: Option<String>,
    pub affiliation: Option<String>,
    pub withdrawn: bool,
}

/// A parsed `--candidates` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateFile {
    pub file: String,
    pub rows: Vec<CandidateRow>,
}

const EXPECTED_HEADER: &str =
    "a header row with an id or name column, e.g. \"id,name,affiliation\"";

impl CandidateFile {
    /// Parse the text of a candidates file.
    ///
    /// # Errors
    /// An empty file, a header without `id` or `name`, a row without either, a bad
    /// `withdrawn` value, or a repeated id or name.
    pub fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(::csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut lines = LineCounter::new(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(header)) => header,
            Some(Err(error)) => return Err(csv_error(file, &mut lines, &error)),
            None => {
                return Err(ParseError::new(
                    Location::file(file),
                    ParseProblem::Empty {
                        expected: EXPECTED_HEADER.to_owned(),
                    },
                ));
            }
        };
        let column = |wanted: &str| {
            header
                .iter()
                .position(|cell| cell.eq_ignore_ascii_case(wanted))
        };
        let (id, name, affiliation, withdrawn) = (
            column("id"),
            column("name"),
            column("affiliation"),
            column("withdrawn"),
        );
        if id.is_none() && name.is_none() {
            return Err(ParseError::new(
                Location::line(file, record_line(&mut lines, &header)),
                ParseProblem::Unexpected {
                    found: format!("the columns [{}]", columns_excerpt(&header)),
                    expected: EXPECTED_HEADER.to_owned(),
                },
            ));
        }
        let mut rows: Vec<CandidateRow> = Vec::new();
        for record in records {
            let record = record.map_err(|error| csv_error(file, &mut lines, &error))?;
            let line = record_line(&mut lines, &record);
            if record.iter().all(str::is_empty) {
                continue;
            }
            let cell = |position: Option<usize>| {
                position
                    .and_then(|position| record.get(position))
                    .filter(|cell| !cell.is_empty())
                    .map(str::to_owned)
            };
            let row = CandidateRow {
                line,
                id: cell(id),
                name: cell(name),
                affiliation: cell(affiliation),
                withdrawn: match cell(withdrawn)
                    .as_deref()
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                {
                    None | Some("no" | "false" | "0") => false,
                    Some("yes" | "true" | "1") => true,
                    Some(other) => {
                        let position = withdrawn.unwrap_or(0);
                        return Err(ParseError::new(
                            Location::field(file, line, position + 1, Some("withdrawn")),
                            ParseProblem::Invalid {
                                what: "withdrawn value",
                                found: other.to_owned(),
                                expected: "yes, no, true, false, 1, 0 or an empty cell".to_owned(),
                            },
                        ));
                    }
                },
            };
            for (what, position, value) in [
                ("candidate id", id, &row.id),
                ("candidate name", name, &row.name),
                ("affiliation", affiliation, &row.affiliation),
            ] {
                if let (Some(position), Some(value)) = (position, value) {
                    let label = header.get(position);
                    check_name(
                        || Location::field(file, line, position + 1, label),
                        what,
                        value,
                    )?;
                }
            }
            if row.id.is_none() && row.name.is_none() {
                return Err(ParseError::new(
                    Location::line(file, line),
                    ParseProblem::Unexpected {
                        found: "a row without id and name".to_owned(),
                        expected: "an id or a name on every row".to_owned(),
                    },
                ));
            }
            for earlier in &rows {
                let same_id = row.id.is_some() && row.id == earlier.id;
                let same_name = row.name.is_some() && row.name == earlier.name;
                if same_id || same_name {
                    let name = if same_id { &row.id } else { &row.name };
                    return Err(ParseError::new(
                        Location::line(file, line),
                        ParseProblem::DuplicateCandidate {
                            name: name.clone().unwrap_or_default(),
                        },
                    ));
                }
            }
            rows.push(row);
        }
        Ok(Self {
            file: file.to_owned(),
            rows,
        })
    }

    /// Whether some row has this id.
    #[must_use]
    pub fn has_id(&self, id: &str) -> bool {
        self.rows.iter().any(|row| row.id.as_deref() == Some(id))
    }

    /// Name, affiliation and withdrawal of every candidate of `set` from its row.
    ///
    /// # Errors
    /// A row that matches no candidate, a candidate without a row, or two candidates
    /// ending up with one name.
    pub fn apply(&self, set: &mut BallotSet) -> Result<(), ParseError> {
        let mut matched = vec![None; set.candidates.len()];
        for (row_number, row) in self.rows.iter().enumerate() {
            let found = row
                .id
                .as_deref()
                .and_then(|id| set.candidates.find_by_id(id))
                .or_else(|| {
                    row.name
                        .as_deref()
                        .and_then(|name| set.candidates.find_by_name(name))
                })
                .or_else(|| {
                    // An id column holding the names a CIVS export uses.
                    row.id
                        .as_deref()
                        .and_then(|id| set.candidates.find_by_name(id))
                });
            let slot = found.and_then(|candidate| matched.get_mut(candidate.index()));
            match slot {
                Some(slot) if slot.is_none() => *slot = Some(row_number),
                _ => {
                    let token = row
                        .id
                        .clone()
                        .or_else(|| row.name.clone())
                        .unwrap_or_default();
                    return Err(ParseError::new(
                        Location::line(&self.file, row.line),
                        ParseProblem::UnknownCandidate {
                            expected: format!(
                                "a candidate of {} not matched by an earlier row ({})",
                                set.file,
                                super::expected_candidates(&set.candidates, &token)
                            ),
                            found: token,
                        },
                    ));
                }
            }
        }
        let mut list: Vec<Candidate> = set.candidates.as_slice().to_vec();
        for (candidate, row) in list.iter_mut().zip(&matched) {
            let Some(row) = row.and_then(|row| self.rows.get(row)) else {
                return Err(ParseError::new(
                    Location::file(&self.file),
                    ParseProblem::Unexpected {
                        found: format!(
                            "no row for candidate {} of {}",
                            excerpt(&candidate.name),
                            set.file
                        ),
                        expected: "a row for every candidate".to_owned(),
                    },
                ));
            };
            if let Some(name) = &row.name {
                candidate.name.clone_from(name);
            }
            if candidate.id.is_none() {
                candidate.id.clone_from(&row.id);
            }
            candidate.affiliation.clone_from(&row.affiliation);
            candidate.withdrawn |= row.withdrawn;
        }
        set.candidates = Candidates::new(list)
            .map_err(|error| super::candidate_list_error(Location::file(&self.file), error))?;
        Ok(())
    }
}

/// The file line a record starts on (the `csv` crate's own count skips blank lines).
pub(crate) fn record_line(lines: &mut LineCounter, record: &::csv::StringRecord) -> u32 {
    record
        .position()
        .and_then(|position| u32::try_from(lines.record_line(position.byte())).ok())
        .unwrap_or(0)
}

/// The first columns of a header, each quoted with [`excerpt`], for messages.
fn columns_excerpt(header: &::csv::StringRecord) -> String {
    const SHOWN: usize = 10;
    let mut shown: Vec<String> = header.iter().take(SHOWN).map(excerpt).collect();
    if header.len() > SHOWN {
        shown.push(format!("… {} more", header.len() - SHOWN));
    }
    shown.join(", ")
}

pub(crate) fn csv_error(file: &str, lines: &mut LineCounter, error: &::csv::Error) -> ParseError {
    let line = error
        .position()
        .and_then(|position| u32::try_from(lines.record_line(position.byte())).ok());
    let location = match line {
        Some(line) => Location::line(file, line),
        None => Location::file(file),
    };
    ParseError::new(
        location,
        ParseProblem::Unexpected {
            found: format!("a line that is not CSV ({error})"),
            expected: "comma-separated fields, quoted with \" where needed".to_owned(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_with_any_column_order() {
        let file = CandidateFile::parse(
            "c.csv",
            "Affiliation,ID,Name,extra\nACME,ann,Ann Lee,x\n,bo,,\n",
        )
        .unwrap();
        assert_eq!(file.rows.len(), 2);
        assert_eq!(file.rows[0].affiliation.as_deref(), Some("ACME"));
        assert_eq!(file.rows[1].name, None);
        assert_eq!(file.rows[1].line, 3);
    }

    #[test]
    fn bad_files_are_located() {
        let error = CandidateFile::parse("c.csv", "").unwrap_err();
        assert_eq!(
            error.to_string(),
            "c.csv: the file is empty, expected a header row with an id or name column, e.g. \"id,name,affiliation\""
        );
        let error = CandidateFile::parse("c.csv", "id,withdrawn\nann,maybe\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "c.csv:2: field 2 (\"withdrawn\"): withdrawn value \"maybe\" is not valid, expected yes, no, true, false, 1, 0 or an empty cell"
        );
        let error = CandidateFile::parse("c.csv", "id\nann\nann\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "c.csv:3: candidate \"ann\" is listed twice, expected distinct candidates"
        );
    }
}
