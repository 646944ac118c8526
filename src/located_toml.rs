//! Reading TOML configuration by hand, with every value's location. Serde stops at the
//! first problem; an official editing a policy wants all of them at once, each with its
//! line and column, and a suggestion when a key looks misspelt. This is the first of the
//! two phases (shape, then meaning) every configuration file goes through.
//!
//! Two helpers keep readers honest: [`Keys`] hands out a table's values and remembers
//! which keys were asked for, so the keys a reader accepts are exactly the keys it reads
//! (an unknown key is one nobody asked for, with the closest asked-for key suggested); and
//! [`Keyword`] turns a string into an enum from one table of names, so a value is either one
//! of the enum's keywords or a located problem, never a silent default.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::model::{Code, Diagnostics, LineIndex, Problem, cut_quoted, excerpt};
use crate::suggest::closest;

pub type Value<'i> = Spanned<DeValue<'i>>;
pub type Table<'i> = DeTable<'i>;

/// Collects located problems for one file.
pub struct Walker<'t> {
    pub file: String,
    text: &'t str,
    /// Locates every problem in about one pass over the text, however many there are.
    lines: LineIndex<'t>,
    pub diagnostics: Diagnostics,
}

impl<'t> Walker<'t> {
    #[must_use]
    pub fn new(file: impl Into<String>, text: &'t str) -> Self {
        Self {
            file: file.into(),
            text,
            lines: LineIndex::new(text),
            diagnostics: Diagnostics::default(),
        }
    }

    /// Parse the document; a syntax error is reported and gives `None`.
    pub fn parse(&mut self) -> Option<Spanned<Table<'t>>> {
        match DeTable::parse(self.text) {
            Ok(table) => Some(table),
            Err(err) => {
                let message = cut_quoted(err.message().trim_end());
                let span = err.span().unwrap_or(0..0);
                self.error(Code::ConfigInvalid, span, message);
                None
            }
        }
    }

    /// Report an error at a span.
    pub fn error(&mut self, code: Code, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = self.lines.locate(span.start);
        self.diagnostics.push(
            Problem::error(code, self.file.clone(), message)
                .at_line(line)
                .at_column(column),
        );
    }

    /// Report a value that is not what its key takes, naming the key path.
    pub fn field_error(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        self.field_problem(Code::ConfigInvalidValue, span, field, message);
    }

    /// Report a problem with a value, naming the key path.
    pub fn field_problem(
        &mut self,
        code: Code,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) {
        let (line, column) = self.lines.locate(span.start);
        self.diagnostics.push(
            Problem::error(code, self.file.clone(), message)
                .at_line(line)
                .at_column(column)
                .in_field(field),
        );
    }

    /// Report every key of a table that its reader did not ask for, with the closest key it
    /// did ask for suggested.
    pub fn unknown_keys(&mut self, keys: &Keys<'_, '_>) {
        for key in keys.table.keys() {
            let name: &str = key.get_ref();
            if keys.asked.contains(&name) {
                continue;
            }
            let message = match closest(name, &keys.asked) {
                Some(close) => format!(
                    "unknown key {} in {}, did you mean \"{close}\"?",
                    excerpt(name),
                    keys.path
                ),
                None => format!(
                    "unknown key {} in {}, expected one of {}",
                    excerpt(name),
                    keys.path,
                    keys.asked.join(", ")
                ),
            };
            self.error(Code::ConfigUnknownKey, key.span(), message);
        }
    }

    /// A string that must be one of a keyword enum's names.
    pub fn keyword<K: Keyword>(&mut self, value: &Value<'_>, field: &str) -> Option<K> {
        let text = self.string(value, field)?;
        if let Some(&(_, found)) = K::KEYWORDS.iter().find(|(name, _)| *name == text) {
            return Some(found);
        }
        let names: Vec<&str> = K::KEYWORDS.iter().map(|(name, _)| *name).collect();
        let hint = closest(&text, &names)
            .map(|c| format!(" (did you mean \"{c}\"?)"))
            .unwrap_or_default();
        self.field_error(
            value.span(),
            field,
            format!(
                "{} is not one of {}{hint}",
                excerpt(&text),
                names
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        None
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
                Code::ConfigMissingKey,
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
    pub fn locate(&mut self, span: Range<usize>) -> (u64, u64) {
        self.lines.locate(span.start)
    }
}

/// A table's values, handed out by key; the keys asked for are the keys the table takes
/// (see [`Walker::unknown_keys`]).
pub struct Keys<'t, 'i> {
    table: &'t Table<'i>,
    path: String,
    asked: Vec<&'static str>,
}

impl<'t, 'i> Keys<'t, 'i> {
    /// The keys of `table`, which messages call `path` (`[policy]`, `a roster criterion`).
    #[must_use]
    pub fn new(table: &'t Table<'i>, path: impl Into<String>) -> Self {
        Self {
            table,
            path: path.into(),
            asked: Vec::new(),
        }
    }

    /// The value of `key`, if present; either way `key` is one the table takes.
    pub fn get(&mut self, key: &'static str) -> Option<&'t Value<'i>> {
        if !self.asked.contains(&key) {
            self.asked.push(key);
        }
        self.table.get(key)
    }

    /// The table itself, for questions that are not about one key.
    #[must_use]
    pub fn table(&self) -> &'t Table<'i> {
        self.table
    }
}

/// An enum read from a fixed set of names (`scope = "team" | "global"`).
pub trait Keyword: Sized + Copy + 'static {
    /// Every name with its value, in the order messages list them.
    const KEYWORDS: &'static [(&'static str, Self)];

    /// The name of a value, as written in configuration.
    fn keyword(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::KEYWORDS
            .iter()
            .find(|(_, value)| *value == self)
            .map_or("", |(name, _)| name)
    }
}

/// Implement [`Keyword`] for an enum from its names.
#[macro_export]
macro_rules! keywords {
    ($ty:ty { $($name:literal => $value:expr),* $(,)? }) => {
        impl $crate::located_toml::Keyword for $ty {
            const KEYWORDS: &'static [(&'static str, Self)] = &[$(($name, $value)),*];
        }
    };
}

fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::Integer(i) => excerpt(i.as_str()),
        other => other.type_str().to_owned(),
    }
}
