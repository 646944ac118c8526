//! E-mail addresses: what counts as one, how `Co-Authored-By` values name one, and how two
//! are compared.

use crate::model::{Code, MAX_ADDRESS_BYTES, excerpt};

/// Why `text` is not an e-mail address, with the message quoting its start: too long
/// (`field-too-long`), or not shaped like one (`address-invalid`). `None` for an address.
#[must_use]
pub fn address_problem(text: &str) -> Option<(Code, String)> {
    if text.len() > MAX_ADDRESS_BYTES {
        return Some((
            Code::FieldTooLong,
            format!(
                "{} is {} bytes long, expected an e-mail address of at most {MAX_ADDRESS_BYTES}",
                excerpt(text),
                text.len()
            ),
        ));
    }
    (!is_plausible_email(text)).then(|| {
        (
            Code::AddressInvalid,
            format!(
                "{} is not an e-mail address, expected one such as \"jane@example.org\"",
                excerpt(text)
            ),
        )
    })
}

/// How addresses are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmailFolding {
    /// The whole address without regard to the case of ASCII letters: `Jane.Doe@X` is
    /// `jane.doe@x`. Mail providers almost never distinguish local-part case, and two
    /// ballots for one person is the worse error. Only ASCII letters fold: `K` (U+212A
    /// KELVIN SIGN) is not `k`, so a look-alike address never takes over another mailbox's
    /// changes.
    #[default]
    Whole,
    /// Only the domain, as the reference tooling does (RFC 5321 lets the local part be
    /// case-sensitive).
    DomainOnly,
}

impl EmailFolding {
    /// The comparison key of an address.
    #[must_use]
    pub fn fold(self, email: &str) -> String {
        let email = email.trim();
        match self {
            Self::Whole => email.to_ascii_lowercase(),
            Self::DomainOnly => match email.rsplit_once('@') {
                Some((local, domain)) => format!("{local}@{}", domain.to_ascii_lowercase()),
                None => email.to_owned(),
            },
        }
    }
}

/// Parse a `Co-Authored-By` value: `Name <email>`, `Name (email)`, `Name email`, a bare
/// address, possibly quoted. Returns the name (may be empty) and the address, or `None`
/// when there is no address in it.
#[must_use]
pub fn parse_person(text: &str) -> Option<(&str, &str)> {
    let text = text.trim().trim_matches('"').trim();
    let address = text
        .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ','))
        .find(|word| is_plausible_email(word))?;
    let name_end = text.find(address).unwrap_or(0);
    let name = text[..name_end]
        .trim_end_matches(['<', '(', ' ', '\t'])
        .trim();
    Some((name, address))
}

/// An address has one `@` with something on both sides, no spaces, a dot in the domain
/// and at most [`MAX_ADDRESS_BYTES`] bytes. Deliberately loose: the point is to catch
/// corrupt fields (a name in the address column), not to validate RFC 5322.
#[must_use]
pub fn is_plausible_email(text: &str) -> bool {
    // RFC 5321's limit on a forward path, which every mail system enforces: checked first,
    // so that a field of a megabyte is not scanned.
    if text.len() > MAX_ADDRESS_BYTES {
        return false;
    }
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        // `mailto:` is a link, not an address.
        && !local.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
        && domain.contains('.')
        // No empty label: `example..org`, `.example.org`, `example.org.`.
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !has_separator(text)
}

/// Whether a character that cannot be in an address is in `text`: white space, a control
/// character, or one of `<>,;` that separate addresses in a list. Byte by byte for ASCII
/// text (nearly every address), character by character otherwise.
fn has_separator(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes()
            .any(|b| b <= b' ' || b == 0x7F || matches!(b, b'<' | b'>' | b',' | b';'))
    } else {
        text.chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, written plainly: the fast [`is_plausible_email`] must agree with it.
    fn plausible_by_definition(text: &str) -> bool {
        if text.len() > MAX_ADDRESS_BYTES {
            return false;
        }
        let mut parts = text.split('@');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(local), Some(domain), None) => {
                !local.is_empty()
                    && !local
                        .get(..7)
                        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
                    && domain.contains('.')
                    && domain.split('.').all(|label| !label.is_empty())
                    && !text.chars().any(|c| {
                        c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';')
                    })
            }
            _ => false,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn the_fast_address_check_agrees_with_its_definition(
            text in "(mailto:|MailTo:|mailt)?[ab.\u{212A}é]{0,3}[ab \t\x1f\x7f<>,;\u{85}\u{A0}\u{2028}]?[ab.]{0,2}(@[ab.]{0,4}){0,3}[ab. ]{0,2}"
        ) {
            proptest::prop_assert_eq!(is_plausible_email(&text), plausible_by_definition(&text));
        }
    }

    #[test]
    fn folding() {
        assert_eq!(
            EmailFolding::Whole.fold("Jane.Doe@Example.ORG"),
            "jane.doe@example.org"
        );
        assert_eq!(
            EmailFolding::DomainOnly.fold("Jane.Doe@Example.ORG"),
            "Jane.Doe@example.org"
        );
        // U+212A KELVIN SIGN lower-cases to `k` in Unicode, but is another mailbox.
        assert_eq!(
            EmailFolding::Whole.fold("\u{212A}ofi.amadi@example.org"),
            "\u{212A}ofi.amadi@example.org"
        );
    }

    #[test]
    fn co_author_forms() {
        assert_eq!(
            parse_person("Jane Doe <jane@example.org>"),
            Some(("Jane Doe", "jane@example.org"))
        );
        assert_eq!(
            parse_person("Jane Doe (jane@example.org)"),
            Some(("Jane Doe", "jane@example.org"))
        );
        assert_eq!(
            parse_person("Jane Doe jane@example.org"),
            Some(("Jane Doe", "jane@example.org"))
        );
        assert_eq!(
            parse_person("\"Jane Doe <jane@example.org>\""),
            Some(("Jane Doe", "jane@example.org"))
        );
        assert_eq!(
            parse_person("jane@example.org"),
            Some(("", "jane@example.org"))
        );
        assert_eq!(parse_person("Jane Doe (janed)"), None);
    }

    #[test]
    fn plausible_addresses() {
        assert!(is_plausible_email("jane.doe@example.org"));
        assert!(is_plausible_email("Jane.Doe+gerrit@Example.ORG"));
        assert!(!is_plausible_email(
            "maileter-jenkins.comOSGhostInstanceCheck"
        ));
        assert!(!is_plausible_email("jane@localhost"));
        assert!(!is_plausible_email("jane doe@example.org"));
        assert!(!is_plausible_email("a@b@example.org"));
        assert!(!is_plausible_email("mailto:jane@example.org"));
        assert!(!is_plausible_email("MAILTO:jane@example.org"));
        assert!(!is_plausible_email("jane@example..org"));
        assert!(!is_plausible_email("jane@.example.org"));
        assert!(!is_plausible_email(&format!(
            "{}@example.org",
            "j".repeat(250)
        )));
    }
}
