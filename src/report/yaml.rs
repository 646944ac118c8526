//! YAML for people to paste or publish, written in the block style PyYAML's `safe_dump`
//! writes (the governance and election repositories' files are read and written by it):
//! two-space indents, a sequence's items at its key's indent, mapping keys as given.

use serde_json::Value;

/// A YAML scalar: plain when YAML reads it back as the same string, else double-quoted
/// with escapes.
#[must_use]
pub fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && text.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | '.' | '@' | '-' | '_' | '(' | ')' | '/' | '+' | ',' | '\''
                )
        })
        && !text.starts_with(['-', '.', '(', '\''])
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
        )
        && !text.chars().next().is_some_and(|c| c.is_ascii_digit());
    if plain {
        return text.to_owned();
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn leaf(value: &Value) -> Option<String> {
    Some(match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        _ => return None,
    })
}

fn lines(value: &Value, indent: usize, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match leaf(v) {
                    Some(text) => out.push(format!("{pad}{}: {text}", scalar(key))),
                    None => {
                        out.push(format!("{pad}{}:", scalar(key)));
                        let inner = if v.is_array() { indent } else { indent + 2 };
                        lines(v, inner, out);
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match leaf(item) {
                    Some(text) => out.push(format!("{pad}- {text}")),
                    None => {
                        let mut nested = Vec::new();
                        lines(item, indent + 2, &mut nested);
                        if let Some(first) = nested.first_mut() {
                            *first = format!("{pad}- {}", first.trim_start());
                        }
                        out.extend(nested);
                    }
                }
            }
        }
        other => out.push(format!("{pad}{}", leaf(other).unwrap_or_default())),
    }
}

/// A document: the value (a mapping, normally) in block style, newline-terminated.
#[must_use]
pub fn document(value: &Value) -> String {
    let mut out = Vec::new();
    lines(value, 0, &mut out);
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_style_as_pyyaml_writes_it() {
        let value = serde_json::json!({
            "candidates": { "TC": [ { "elected": true, "email": "a@example.org", "ircname": "" } ] },
            "election": "2026.2",
            "leaderless": [],
            "projects": ["TC"],
        });
        assert_eq!(
            document(&value),
            "candidates:\n  TC:\n  - elected: true\n    email: a@example.org\n    ircname: \"\"\nelection: \"2026.2\"\nleaderless: []\nprojects:\n- TC\n"
        );
    }

    #[test]
    fn scalars_are_quoted_when_yaml_would_read_them_otherwise() {
        assert_eq!(scalar("Ann Lee"), "Ann Lee");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("2017"), "\"2017\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("say \"hi\" #1"), "\"say \\\"hi\\\" #1\"");
        assert_eq!(scalar("- x"), "\"- x\"");
        assert_eq!(scalar(""), "\"\"");
    }
}
