//! A published roll digest read back, for a voter's check: the header names the scheme,
//! the election's label and the roll; then one entry (64 hex digits) per line.

use crate::digest::ROLL_DIGEST_SCHEME;
use crate::model::{Code, Problem, excerpt};

/// A published list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedList {
    pub label: String,
    pub roll: String,
    pub entries: Vec<String>,
}

/// Parse a published list; `file` names it in messages.
///
/// # Errors
/// A header that is not this scheme's, or a line that is not an entry.
pub fn parse(file: &str, text: &str) -> Result<PublishedList, Box<Problem>> {
    let mut scheme = None;
    let mut label = None;
    let mut roll = None;
    let mut entries = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n as u64 + 1;
        let entry = raw.trim();
        if entry.is_empty() {
            continue;
        }
        if let Some(header) = entry.strip_prefix('#') {
            if let Some((key, value)) = header.split_once(':') {
                let value = value.trim().to_owned();
                match key.trim() {
                    "scheme" => scheme = Some(value),
                    "label" => label = Some(value),
                    "roll" => roll = Some(value),
                    _ => {}
                }
            }
            continue;
        }
        if entry.len() != 64 || !entry.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Box::new(
                Problem::error(
                    Code::FieldInvalid,
                    file,
                    format!(
                        "{} is not an entry, expected 64 hex digits per line",
                        excerpt(entry)
                    ),
                )
                .at_line(line),
            ));
        }
        entries.push(entry.to_ascii_lowercase());
    }
    let missing = |what: &str| {
        Box::new(Problem::error(
            Code::FieldMissing,
            file,
            format!("has no \"# {what}:\" line, expected the header `electorate digest` writes"),
        ))
    };
    match scheme {
        Some(s) if s == ROLL_DIGEST_SCHEME => {}
        Some(s) => {
            return Err(Box::new(Problem::error(
                Code::FieldInvalid,
                file,
                format!(
                    "scheme {} is not one this version checks, expected {ROLL_DIGEST_SCHEME}",
                    excerpt(&s)
                ),
            )));
        }
        None => return Err(missing("scheme")),
    }
    Ok(PublishedList {
        label: label.ok_or_else(|| missing("label"))?,
        roll: roll.ok_or_else(|| missing("roll"))?,
        entries,
    })
}
