//! Gerrit's `/changes/` query, paged: `q=status:merged project:REPO mergedafter:DAY
//! mergedbefore:DAY` with `o=DETAILED_ACCOUNTS`, `o=CURRENT_REVISION` and
//! `o=CURRENT_COMMIT` (the owner's account, and the commit message whose
//! `Co-Authored-By` trailers `roll` reads), `n` changes a page, `start` advanced by what
//! each page held, until the last change of a page no longer carries `_more_changes`.
//! Answers start with Gerrit's `)]}'` line.
//!
//! Gerrit orders results by last update, so a change updated while the pages are read
//! moves to the front: the pages after it repeat a change already seen, and the moved
//! change itself may have been skipped. A repeat is the sign; the query is then read
//! again from the start, merging by change number, until a pass sees no repeat.
//!
//! The file written for a repository is one JSON array of its changes sorted by number,
//! one change a line, object keys sorted, `_more_changes` removed: the same answers give
//! the same bytes, however they were paged.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::fetch::http::{Transport, encode};
use crate::fetch::retry::{self, Retry};
use crate::fetch::{Error, Progress};
use crate::ingest::gerrit_rest::XSSI_PREFIX;

/// The `o=` options asked for.
pub const OPTIONS: [&str; 3] = ["DETAILED_ACCOUNTS", "CURRENT_REVISION", "CURRENT_COMMIT"];

/// Passes over a query before giving up on a result set that keeps moving.
pub const MAX_PASSES: u32 = 3;

/// One repository's merged changes between two days (both inclusive, as Gerrit reads
/// `mergedafter:` and `mergedbefore:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub repo: String,
    pub after: NaiveDate,
    pub before: NaiveDate,
}

impl Query {
    /// The query text, as sent in `q=`.
    #[must_use]
    pub fn text(&self) -> String {
        format!(
            "status:merged project:{} mergedafter:{} mergedbefore:{}",
            self.repo,
            self.after.format("%Y-%m-%d"),
            self.before.format("%Y-%m-%d")
        )
    }

    /// The URL of one page. Authenticated requests go to Gerrit's `/a/` endpoints.
    #[must_use]
    pub fn url(&self, base: &str, authenticated: bool, page_size: u32, start: u64) -> String {
        let mut url = format!(
            "{base}/{}changes/?q={}&n={page_size}&start={start}",
            if authenticated { "a/" } else { "" },
            encode(&self.text())
        );
        for option in OPTIONS {
            url.push_str("&o=");
            url.push_str(option);
        }
        url
    }
}

/// Is `repo` a name this module can put in a query and a file name?
#[must_use]
pub fn is_valid_repo(repo: &str) -> bool {
    crate::fetch::dir::is_plain_relative(repo)
        && repo
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/'))
}

/// One page of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Changes by number, in the server's order, `_more_changes` removed.
    pub changes: Vec<(u64, Map<String, Value>)>,
    /// The last change said more follow.
    pub more: bool,
}

/// Parse one `/changes/` answer.
///
/// # Errors
/// Not a JSON array of change objects each with a `_number`; the message says where.
pub fn parse_page(body: &[u8]) -> Result<Page, String> {
    let text = std::str::from_utf8(body).map_err(|err| {
        format!(
            "invalid UTF-8 at byte {}, expected JSON text",
            err.valid_up_to()
        )
    })?;
    let text = text.trim_start();
    let text = text.strip_prefix(XSSI_PREFIX).unwrap_or(text);
    let items: Vec<Value> = serde_json::from_str(text).map_err(|err| {
        let message = crate::ingest::gerrit_rest::strip_position(&err);
        if err.is_data() {
            format!("not an array of changes ({message})")
        } else {
            format!(
                "invalid JSON at line {} column {}: {message}, expected an array of changes",
                err.line(),
                err.column(),
            )
        }
    })?;
    let mut changes = Vec::with_capacity(items.len());
    let mut more = false;
    let last = items.len().saturating_sub(1);
    for (index, item) in items.into_iter().enumerate() {
        let Value::Object(mut change) = item else {
            return Err(format!(
                "item {} is not an object, expected a change",
                index + 1
            ));
        };
        let flagged = change
            .remove("_more_changes")
            .is_some_and(|v| v.as_bool() == Some(true));
        if index == last {
            more = flagged;
        }
        let Some(number) = change.get("_number").and_then(Value::as_u64) else {
            return Err(format!(
                "item {} has no _number, expected a change with its number",
                index + 1
            ));
        };
        changes.push((number, change));
    }
    Ok(Page { changes, more })
}

/// What paging through a query gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetched {
    pub changes: BTreeMap<u64, Map<String, Value>>,
    pub pages: u32,
    pub requests: u32,
    pub passes: u32,
}

/// Where and how to ask.
pub struct Source<'a> {
    pub transport: &'a dyn Transport,
    pub base: &'a str,
    pub authenticated: bool,
    pub page_size: u32,
    pub retry: &'a Retry,
    pub progress: &'a dyn Progress,
}

/// Keep the copy updated last (Gerrit's `updated`), the later seen on a tie.
pub fn merge(
    into: &mut BTreeMap<u64, Map<String, Value>>,
    number: u64,
    change: Map<String, Value>,
) {
    let updated = |c: &Map<String, Value>| {
        c.get("updated")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    match into.get(&number) {
        Some(old) if updated(old) > updated(&change) => {}
        _ => {
            into.insert(number, change);
        }
    }
}

/// Page through `query` (see the module documentation).
///
/// # Errors
/// A request given up, or a result set still moving after [`MAX_PASSES`] passes.
pub fn fetch(source: &Source<'_>, query: &Query) -> Result<Fetched, Error> {
    let mut fetched = Fetched::default();
    let text = query.text();
    loop {
        fetched.passes += 1;
        let mut seen = BTreeSet::new();
        let mut repeated = false;
        let mut start = 0u64;
        loop {
            let url = query.url(source.base, source.authenticated, source.page_size, start);
            let on_retry = |r: &retry::Retrying| source.progress.retrying(&query.repo, r);
            let (page, requests) =
                retry::get(source.transport, &url, source.retry, &on_retry, parse_page).map_err(
                    |gave_up| Error::Request {
                        server: source.base.to_owned(),
                        what: format!("query \"{text}\" (start {start})"),
                        gave_up,
                    },
                )?;
            fetched.requests += requests;
            fetched.pages += 1;
            source.progress.page(&query.repo, page.changes.len());
            let received = page.changes.len() as u64;
            for (number, change) in page.changes {
                if !seen.insert(number) {
                    repeated = true;
                }
                merge(&mut fetched.changes, number, change);
            }
            if !page.more {
                break;
            }
            if received == 0 {
                return Err(Error::Request {
                    server: source.base.to_owned(),
                    what: format!("query \"{text}\" (start {start})"),
                    gave_up: retry::GaveUp::Malformed {
                        message:
                            "an empty page says more changes follow, expected changes or the end"
                                .to_owned(),
                        excerpt: String::new(),
                        attempts: 1,
                    },
                });
            }
            start += received;
        }
        if !repeated {
            return Ok(fetched);
        }
        if fetched.passes >= MAX_PASSES {
            return Err(Error::Moving {
                repo: query.repo.clone(),
                passes: fetched.passes,
            });
        }
    }
}

/// The bytes of a repository file.
#[must_use]
pub fn render(changes: &BTreeMap<u64, Map<String, Value>>) -> Vec<u8> {
    if changes.is_empty() {
        return b"[]\n".to_vec();
    }
    let mut out = Vec::with_capacity(changes.len() * 1024);
    out.extend_from_slice(b"[\n");
    for (i, change) in changes.values().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        // Writing a map of JSON values to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, change);
    }
    out.extend_from_slice(b"\n]\n");
    out
}

/// Read back a repository file this module wrote.
///
/// # Errors
/// The file is not what [`render`] writes.
pub fn read_file(bytes: &[u8]) -> Result<BTreeMap<u64, Map<String, Value>>, String> {
    let page = parse_page(bytes)?;
    Ok(page.changes.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_urls() {
        let query = Query {
            repo: "openstack/nova".to_owned(),
            after: NaiveDate::from_ymd_opt(2015, 3, 3).unwrap(),
            before: NaiveDate::from_ymd_opt(2016, 3, 5).unwrap(),
        };
        assert_eq!(
            query.text(),
            "status:merged project:openstack/nova mergedafter:2015-03-03 mergedbefore:2016-03-05"
        );
        assert_eq!(
            query.url("https://review.example.org", true, 100, 200),
            "https://review.example.org/a/changes/?q=status%3Amerged%20project%3Aopenstack%2Fnova%20mergedafter%3A2015-03-03%20mergedbefore%3A2016-03-05&n=100&start=200&o=DETAILED_ACCOUNTS&o=CURRENT_REVISION&o=CURRENT_COMMIT"
        );
        assert!(is_valid_repo("openstack/nova") && is_valid_repo("x/a.b_c-d"));
        for bad in ["", "a b", "../x", "a//b", "/a", "a/.git", "a\"b"] {
            assert!(!is_valid_repo(bad), "{bad}");
        }
    }

    #[test]
    fn pages_are_parsed_behind_the_prefix_and_checked() {
        let page = parse_page(
            b")]}'\n[{\"_number\": 7, \"b\": 1, \"a\": 2}, {\"_number\": 3, \"_more_changes\": true}]",
        )
        .unwrap();
        assert!(page.more);
        assert_eq!(page.changes.iter().map(|c| c.0).collect::<Vec<_>>(), [7, 3]);
        assert!(!page.changes[1].1.contains_key("_more_changes"));
        assert!(!parse_page(b"[]").unwrap().more);
        assert_eq!(
            parse_page(b")]}'\n[{\"_number\": 1},").unwrap_err(),
            "invalid JSON at line 2 column 16: EOF while parsing a value, expected an array of changes"
        );
        assert_eq!(
            parse_page(b"[{\"project\": \"p\"}]").unwrap_err(),
            "item 1 has no _number, expected a change with its number"
        );
        assert_eq!(
            parse_page(b"{}").unwrap_err(),
            "not an array of changes (invalid type: map, expected a sequence)"
        );
    }

    #[test]
    fn files_are_sorted_by_number_with_sorted_keys_and_read_back() {
        let page = parse_page(
            br#"[{"_number": 9, "zeta": 1, "alpha": {"y": 1, "x": 2}}, {"_number": 2}]"#,
        )
        .unwrap();
        let changes: BTreeMap<_, _> = page.changes.into_iter().collect();
        let bytes = render(&changes);
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            "[\n{\"_number\":2},\n{\"_number\":9,\"alpha\":{\"x\":2,\"y\":1},\"zeta\":1}\n]\n",
            "object keys are sorted (serde_json without preserve_order)"
        );
        assert_eq!(read_file(&bytes).unwrap(), changes);
        assert_eq!(render(&BTreeMap::new()), b"[]\n");
    }

    #[test]
    fn the_copy_updated_last_is_kept() {
        let change = |updated: &str, tag: u64| {
            let mut m = Map::new();
            m.insert("updated".into(), Value::from(updated));
            m.insert("tag".into(), Value::from(tag));
            m
        };
        let mut changes = BTreeMap::new();
        merge(&mut changes, 1, change("2015-01-02 00:00:00.000000000", 1));
        merge(&mut changes, 1, change("2015-01-01 00:00:00.000000000", 2));
        assert_eq!(changes[&1]["tag"], 1);
        merge(&mut changes, 1, change("2015-01-02 00:00:00.000000000", 3));
        assert_eq!(changes[&1]["tag"], 3);
    }
}
