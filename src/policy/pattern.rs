//! Name patterns in policies: `*` matches any run of characters (including `/`), every
//! other character matches itself. `openstack/osops-*` selects the osops repositories,
//! `stable/*` the stable branches. Deliberately small: policies are read by officials,
//! and one wildcard is all they have needed.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
}

impl Pattern {
    #[must_use]
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    #[must_use]
    pub fn matches(&self, name: &str) -> bool {
        let mut parts = self.text.split('*');
        let Some(first) = parts.next() else {
            return false;
        };
        let Some(mut rest) = name.strip_prefix(first) else {
            return false;
        };
        let parts: Vec<&str> = parts.collect();
        let Some((last, middle)) = parts.split_last() else {
            return rest.is_empty();
        };
        for part in middle {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
        rest.len() >= last.len() && rest.ends_with(last)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wildcards() {
        let p = Pattern::new("stable/*");
        assert!(p.matches("stable/2025.1"));
        assert!(p.matches("stable/"));
        assert!(!p.matches("unmaintained/2023.1"));
        assert!(!p.matches("master"));
        assert!(Pattern::new("openstack/osops-*").matches("openstack/osops-tools-generic"));
        assert!(Pattern::new("*").matches(""));
        assert!(Pattern::new("a*b*c").matches("abc"));
        assert!(Pattern::new("a*b*c").matches("a-b-b-c"));
        assert!(!Pattern::new("a*b*c").matches("a-c"));
        assert!(
            !Pattern::new("a*aa").matches("aa"),
            "prefix and suffix may not overlap"
        );
        assert!(Pattern::new("master").matches("master"));
        assert!(!Pattern::new("master").matches("master2"));
    }

    /// An obvious oracle: a regular-expression-like backtracking matcher.
    fn oracle(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (None, Some(_)) => false,
            (Some(b'*'), _) => oracle(&p[1..], s) || (!s.is_empty() && oracle(p, &s[1..])),
            (Some(c), Some(d)) if c == d => oracle(&p[1..], &s[1..]),
            _ => false,
        }
    }

    proptest! {
        #[test]
        fn agrees_with_a_backtracking_oracle(p in "[ab*]{0,6}", s in "[ab]{0,8}") {
            prop_assert_eq!(Pattern::new(&p).matches(&s), oracle(p.as_bytes(), s.as_bytes()));
        }
    }
}
