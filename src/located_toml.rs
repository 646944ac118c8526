//! Reading TOML configuration by hand, with every value's location. Serde stops at the
//! first problem; an official editing a policy wants all of them at once, each with its
//! line and column, and a suggestion when a key looks misspelt. This is the first of the
//! two phases (shape, then meaning) every configuration file goes through.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostics, Problem};
use crate::ingest::election::line_column;

pub type Value<'i> = Spanned<DeValue<'i>>;
pub type Table<'i> = DeTable<'i>;

/// Collects located problems for one file.
pub struct Walker<'t> {
    pub file: String,
    text: &'t str,
    pub diagnostics: Diagnostics,
}

impl<'t> Walker<'t> {
    #[must_use]
    pub fn new(file: impl Into<String>, text: &'t str) -> Self {
        Self {
            file: file.into(),
            text,
            diagnostics: Diagnostics::default(),
        }
    }

    /// Parse the document; a syntax error is reported and gives `None`.
    pub fn parse(&mut self) -> Option<Spanned<Table<'t>>> {
        match DeTable::parse(self.text) {
            Ok(table) => Some(table),
            Err(err) => {
                let message = err.message().trim_end().to_owned();
                let span = err.span().unwrap_or(0..0);
                self.error(span, message);
                None
            }
        }
    }

    /// Report an error at a span.
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_column(self.text, span.start);
        self.diagnostics.push(
            Problem::error(self.file.clone(), message)
                .at_line(line)
                .at_column(column),
        );
    }

    /// Report an error at a span, naming the key path.
    pub fn field_error(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        let (line, column) = line_column(self.text, span.start);
        self.diagnostics.push(
            Problem::error(self.file.clone(), message)
                .at_line(line)
                .at_column(column)
                .in_field(field),
        );
    }

    /// Report every key of `table` not in `known`, with the closest known key suggested.
    pub fn check_keys(&mut self, table: &Table<'_>, path: &str, known: &[&str]) {
        for key in table.keys() {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                continue;
            }
            let suggestion = closest(name, known);
            let message = match suggestion {
                Some(close) => {
                    format!("unknown key \"{name}\" in {path}, did you mean \"{close}\"?")
                }
                None => format!(
                    "unknown key \"{name}\" in {path}, expected one of {}",
                    known.join(", ")
                ),
            };
            self.error(key.span(), message);
        }
    }

    /// A required key; reported when missing.
    pub fn required<'a, 'i>(
        &mut self,
        table: &'a Spanned<Table<'i>>,
        key: &str,
        path: &str,
        expected: &str,
    ) -> Option<&'a Value<'i>> {
        let found = table.get_ref().get(key);
        if found.is_none() {
            self.error(
                table.span(),
                format!("{path} has no \"{key}\", expected {expected}"),
            );
        }
        found
    }

    /// A string value.
    pub fn string(&mut self, value: &Value<'_>, field: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.field_error(
                    value.span(),
                    field,
                    format!("found {}, expected a string", other.type_str()),
                );
                None
            }
        }
    }

    /// A non-negative integer value.
    pub fn unsigned(
        &mut self,
        value: &Value<'_>,
        field: &str,
        range: std::ops::RangeInclusive<u64>,
    ) -> Option<u64> {
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<i64>().ok(),
            _ => None,
        };
        match parsed {
            Some(n) if n >= 0 && range.contains(&n.unsigned_abs()) => Some(n.unsigned_abs()),
            Some(n) => {
                self.field_error(
                    value.span(),
                    field,
                    format!(
                        "{n} is out of range, expected a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
            None => {
                self.field_error(
                    value.span(),
                    field,
                    format!(
                        "found {}, expected a whole number from {} to {}",
                        describe(value.get_ref()),
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
        }
    }

    /// A number, integer or float, as text for exact parsing by the caller.
    pub fn number_text(&mut self, value: &Value<'_>, field: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::Integer(i) => Some(i.as_str().replace('_', "")),
            DeValue::Float(f) => Some(f.as_str().replace('_', "")),
            other => {
                self.field_error(
                    value.span(),
                    field,
                    format!("found {}, expected a number", other.type_str()),
                );
                None
            }
        }
    }

    /// A signed integer value.
    pub fn integer(&mut self, value: &Value<'_>, field: &str) -> Option<i64> {
        match value.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<i64>().ok(),
            other => {
                self.field_error(
                    value.span(),
                    field,
                    format!("found {}, expected a whole number", other.type_str()),
                );
                None
            }
        }
    }

    pub fn boolean(&mut self, value: &Value<'_>, field: &str) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.field_error(
                    value.span(),
                    field,
                    format!("found {}, expected true or false", other.type_str()),
                );
                None
            }
        }
    }

    /// A string that must be one of `choices`.
    pub fn choice(&mut self, value: &Value<'_>, field: &str, choices: &[&str]) -> Option<String> {
        let text = self.string(value, field)?;
        if choices.contains(&text.as_str()) {
            return Some(text);
        }
        let hint = closest(&text, choices)
            .map(|c| format!(" (did you mean \"{c}\"?)"))
            .unwrap_or_default();
        self.field_error(
            value.span(),
            field,
            format!(
                "\"{text}\" is not one of {}{hint}",
                choices
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        None
    }

    /// An array of strings.
    pub fn strings(&mut self, value: &Value<'_>, field: &str) -> Option<Vec<Spanned<String>>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.field_error(
                value.span(),
                field,
                format!(
                    "found {}, expected an array of strings",
                    value.get_ref().type_str()
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in &**items {
            if let Some(s) = self.string(item, field) {
                out.push(Spanned::new(item.span(), s));
            }
        }
        Some(out)
    }

    /// A table value.
    pub fn table<'a, 'i>(&mut self, value: &'a Value<'i>, field: &str) -> Option<&'a Table<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.field_error(
                    value.span(),
                    field,
                    format!("found {}, expected a table", other.type_str()),
                );
                None
            }
        }
    }

    /// An array of tables (`[[name]]`), each with its span.
    pub fn tables<'a, 'i>(
        &mut self,
        value: &'a Value<'i>,
        field: &str,
    ) -> Vec<Spanned<&'a Table<'i>>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.field_error(
                value.span(),
                field,
                format!(
                    "found {}, expected an array of tables ([[{field}]])",
                    value.get_ref().type_str()
                ),
            );
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::Table(t) => Some(Spanned::new(item.span(), t)),
                other => {
                    let message = format!("found {}, expected a table", other.type_str());
                    self.field_error(item.span(), field, message);
                    None
                }
            })
            .collect()
    }

    /// Line and column of a span, for callers that report later.
    #[must_use]
    pub fn locate(&self, span: Range<usize>) -> (u64, u64) {
        line_column(self.text, span.start)
    }
}

fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::Integer(i) => format!("\"{}\"", i.as_str()),
        other => other.type_str().to_owned(),
    }
}

/// The known name closest to `name`, when close enough to be a likely typo.
#[must_use]
pub fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(k, name), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}
