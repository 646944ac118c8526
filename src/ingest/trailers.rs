//! Commit-message trailers, read as git reads them: `Key: value` lines in the message's
//! last paragraph, and only when that paragraph is made of trailers. A trailer quoted in
//! the body (a revert citing the reverted change's `Co-Authored-By:`, a discussion of a
//! `Change-Id:`) is prose, not a trailer, and credits nobody.
//!
//! The last paragraph is the lines after the last blank line, trailing blank lines left
//! out. It is a trailer block when the message has a paragraph before it (a subject alone
//! is never one) and every line of it is a trailer (`Token: value`, the token letters,
//! digits and `-`), a continuation of the trailer before it (indented), or git's
//! `(cherry picked from commit …)` note.

/// The trailers of a commit message as (key, value), in order; the key as written.
#[must_use]
pub fn trailers(message: &str) -> Vec<(&str, &str)> {
    let lines: Vec<&str> = message.lines().collect();
    let end = lines
        .iter()
        .rposition(|line| !line.trim().is_empty())
        .map_or(0, |last| last + 1);
    let Some(blank) = lines[..end].iter().rposition(|line| line.trim().is_empty()) else {
        return Vec::new();
    };
    let block = &lines[blank + 1..end];
    let mut found = Vec::new();
    for (index, line) in block.iter().enumerate() {
        if let Some(pair) = trailer(line) {
            found.push(pair);
            continue;
        }
        // A continuation adds to the value before it, which matters nowhere here
        // (addresses and ids fit on one line).
        let continuation = index > 0 && line.starts_with([' ', '\t']);
        if !continuation && !line.starts_with("(cherry picked from commit ") {
            return Vec::new();
        }
    }
    found
}

/// The values of the trailers named `key` (case-insensitive), in order.
pub fn values<'a>(message: &'a str, key: &str) -> impl Iterator<Item = &'a str> {
    trailers(message)
        .into_iter()
        .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, value)| value)
}

fn trailer(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim_end();
    let token = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    token.then(|| (key, value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_paragraph_of_trailers_is_read() {
        let message = "Fix the thing\n\nLonger words.\n\nCloses-Bug: #1\nCo-Authored-By: Ann Lee <ann@example.org>\nChange-Id: I0123\n\n";
        assert_eq!(
            trailers(message),
            [
                ("Closes-Bug", "#1"),
                ("Co-Authored-By", "Ann Lee <ann@example.org>"),
                ("Change-Id", "I0123"),
            ]
        );
        assert_eq!(values(message, "change-id").collect::<Vec<_>>(), ["I0123"]);
    }

    #[test]
    fn a_trailer_quoted_in_the_body_is_prose() {
        let revert = "Revert \"Add X\"\n\nThis reverts commit abc, which said:\n\n    Co-Authored-By: Bob Roe <bob@example.org>\n    Change-Id: Iold\n\nChange-Id: Inew\n";
        assert_eq!(trailers(revert), [("Change-Id", "Inew")]);
        let mixed = "Subject\n\nCo-Authored-By: Bob Roe <bob@example.org> helped, and\nthen this sentence goes on.\n";
        assert!(
            trailers(mixed).is_empty(),
            "a paragraph of prose is no block"
        );
    }

    #[test]
    fn a_subject_alone_has_no_trailers() {
        assert!(trailers("Change-Id: I0123").is_empty());
        assert!(trailers("").is_empty());
        assert!(trailers("\n\n").is_empty());
    }

    #[test]
    fn continuations_and_cherry_pick_notes_belong_to_the_block() {
        let message = "Subject\r\n\r\nSigned-off-by: Ann Lee\r\n  <ann@example.org>\r\nChange-Id: I1\r\n(cherry picked from commit 0123abc)\r\n";
        assert_eq!(
            trailers(message),
            [("Signed-off-by", "Ann Lee"), ("Change-Id", "I1")]
        );
    }

    #[test]
    fn a_key_with_a_space_is_not_a_token() {
        assert!(trailers("Subject\n\nSee also: the docs\n").is_empty());
    }
}
