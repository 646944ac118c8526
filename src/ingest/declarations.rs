//! The identity file: people declared by the election officials, with every address,
//! Gerrit account, username, IRC nick and GitHub handle they use. It is how an operator's
//! IRC nick in a meeting log meets their Gerrit account and their membership record.
//!
//! ```toml
//! [[person]]
//! name = "Ann Lee"
//! emails = ["ann@example.org", "ann.lee@example.net"]
//! gerrit_ids = [1001]
//! usernames = ["annl"]
//! irc = ["ann_l"]
//! github = ["annlee"]
//! ```
//!
//! Two people claiming one address (or nick, account, handle) is an error that names
//! both: the file exists to settle identity, not to add doubt.

use crate::ingest::limits::field_too_long;
use crate::ingest::{FileDigest, InputPath, read_toml_text};
use crate::located_toml::{Keys, Walker};
use crate::model::Diagnostics;
use crate::model::normalize_nick;
use crate::model::{Code, Declared, FileId, Origin, Position};
use crate::model::{address_problem, cut};

/// Read an identity file.
///
/// # Errors
/// Only when the file cannot be read.
pub fn read(
    input: &InputPath,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> std::io::Result<(Vec<Declared>, FileDigest)> {
    let (text, digest) = read_toml_text(input)?;
    Ok((parse(&input.display, &text, file, diagnostics), digest))
}

/// Parse the text of an identity file; `name` names it in problems.
pub fn parse(name: &str, text: &str, file: FileId, diagnostics: &mut Diagnostics) -> Vec<Declared> {
    let mut w = Walker::new(name, text);
    let mut people = Vec::new();
    if let Some(root) = w.parse() {
        let mut top = Keys::new(root.get_ref(), "the identity file");
        let entries = match top.get("person") {
            Some(v) => w.tables(v, "person"),
            None => Vec::new(),
        };
        w.unknown_keys(&top);
        for entry in &entries {
            let mut t = Keys::new(entry.get_ref(), "[[person]]");
            let (line, _) = w.locate(entry.span());
            let mut person = Declared {
                origin: Origin {
                    file,
                    position: u32::try_from(line).unwrap_or(u32::MAX),
                    kind: Position::Line,
                },
                ..Declared::default()
            };
            person.name = t.get("name").and_then(|v| {
                let name = w.string(v, "person.name")?;
                match field_too_long(&name) {
                    None => Some(name),
                    Some(message) => {
                        w.field_problem(Code::FieldTooLong, v.span(), "person.name", message);
                        None
                    }
                }
            });
            // A list of strings, those too long reported and left out (addresses have
            // their own limit, checked with their shape).
            let list = |w: &mut Walker<'_>,
                        t: &mut Keys<'_, '_>,
                        key: &'static str|
             -> Vec<toml::Spanned<String>> {
                let field = format!("person.{key}");
                let mut items = t
                    .get(key)
                    .and_then(|v| w.strings(v, &field))
                    .unwrap_or_default();
                if key != "emails" {
                    items.retain(|item| match field_too_long(item.get_ref()) {
                        None => true,
                        Some(message) => {
                            w.field_problem(Code::FieldTooLong, item.span(), &field, message);
                            false
                        }
                    });
                }
                items
            };
            for email in list(&mut w, &mut t, "emails") {
                match address_problem(email.get_ref()) {
                    None => person.emails.push(email.get_ref().clone()),
                    Some((code, message)) => {
                        w.field_problem(code, email.span(), "person.emails", message);
                    }
                }
            }
            if let Some(v) = t.get("gerrit_ids") {
                if let toml::de::DeValue::Array(items) = v.get_ref() {
                    for item in &**items {
                        if let Some(id) = w.unsigned(item, "person.gerrit_ids", 0..=u64::MAX) {
                            person.gerrit_ids.push(id);
                        }
                    }
                } else {
                    w.field_error(
                        v.span(),
                        "person.gerrit_ids",
                        "expected an array of account ids such as [1001]",
                    );
                }
            }
            person.usernames = list(&mut w, &mut t, "usernames")
                .into_iter()
                .map(toml::Spanned::into_inner)
                .collect();
            person.irc = list(&mut w, &mut t, "irc")
                .iter()
                .map(|n| normalize_nick(n.get_ref()))
                .collect();
            person.github = list(&mut w, &mut t, "github")
                .into_iter()
                .map(toml::Spanned::into_inner)
                .collect();
            w.unknown_keys(&t);
            if person.keys().is_empty() {
                w.error(Code::ConfigMissingKey, entry.span(), "person declares no address, account, username, nick or handle, expected at least one");
            }
            people.push(person);
        }
        // Two declared people may not claim the same key.
        let mut owners: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
        for (i, person) in people.iter().enumerate() {
            for key in person.keys() {
                match owners.get(&key) {
                    Some(&first) if first != i => {
                        let span = entries[i].span();
                        let describe = |p: &Declared| {
                            format!(
                                "{} (line {})",
                                cut(p.name.as_deref().unwrap_or("unnamed")),
                                p.origin.position
                            )
                        };
                        let key = cut(&key);
                        w.error(
                            Code::IdentityConflict,
                            span,
                            format!(
                                "{key} is claimed by two people: {} and {}, expected each address, account, username, nick and handle to belong to one person",
                                describe(&people[first]),
                                describe(person)
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        owners.insert(key, i);
                    }
                }
            }
        }
    }
    diagnostics.extend(w.diagnostics);
    people
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Vec<Declared>, Vec<String>) {
        let mut d = Diagnostics::default();
        let people = parse("people.toml", text, FileId(0), &mut d);
        (people, d.all().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn reads_people_with_every_kind_of_handle() {
        let (people, problems) = load(
            "[[person]]\nname = \"Ann Lee\"\nemails = [\"ann@example.org\"]\ngerrit_ids = [1001]\nusernames = [\"annl\"]\nirc = [\"Ann_L_\"]\ngithub = [\"AnnLee\"]\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(people[0].irc, ["ann_l"]);
        assert_eq!(
            people[0].keys(),
            [
                "email:ann@example.org",
                "gerrit:1001",
                "user:annl",
                "irc:ann_l",
                "github:annlee"
            ]
        );
    }

    #[test]
    fn two_people_claiming_one_address_is_an_error_naming_both() {
        let (_, problems) = load(
            "[[person]]\nname = \"Ann Lee\"\nemails = [\"ann@example.org\"]\n\n[[person]]\nname = \"Bo Chan\"\nemails = [\"ANN@example.org\"]\nirc = [\"bo\"]\nphone = \"x\"\n",
        );
        assert_eq!(
            problems,
            [
                "people.toml:9:1: unknown key \"phone\" in [[person]], expected one of name, emails, gerrit_ids, usernames, irc, github",
                "people.toml:5:1: email:ann@example.org is claimed by two people: Ann Lee (line 1) and Bo Chan (line 5), expected each address, account, username, nick and handle to belong to one person",
            ]
        );
    }
}
