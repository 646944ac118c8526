//! The election file: problems located and short; a file read as an election has a
//! window that starts before it ends, and one that is not read says why.
//!
//! The reader lists directories named as inputs, so nothing may name a real one: every
//! `/` and `\` of the input (a TOML escape could spell a `/`) becomes `_`, and every
//! `..` becomes `._`, so that each path resolves under a directory that does not exist.
#![no_main]

use electorate::ingest::election;
use electorate::ingest::{FileDigest, InputPath};
use electorate::model::{Code, Diagnostics};
use electorate_fuzz::{check_field, check_problems, text};
use libfuzzer_sys::fuzz_target;

/// The input with nothing that could lead out of a directory that does not exist.
fn confined(data: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = data
        .iter()
        .map(|&b| if b == b'/' || b == b'\\' { b'_' } else { b })
        .collect();
    for i in 1..out.len() {
        if out[i - 1] == b'.' && out[i] == b'.' {
            out[i] = b'_';
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let data = &confined(data)[..];
    let Some(text) = text(data) else { return };
    let file = InputPath::new(
        "/nonexistent-electorate-fuzz/election.toml",
        "election.toml",
    );
    let digest = FileDigest {
        bytes: data.len() as u64,
        sha256: String::new(),
    };
    let mut diagnostics = Diagnostics::default();
    let read = election::parse(&file, text, digest, &mut diagnostics);
    check_problems(
        diagnostics.all(),
        "election.toml",
        data,
        &[
            Code::ConfigInvalid,
            Code::ConfigUnknownKey,
            Code::ConfigMissingKey,
        ],
    );
    match read {
        Some(election) => {
            assert!(election.window.start < election.window.end);
            check_field(&election.name, "election name");
        }
        None => assert!(diagnostics.has_errors(), "not read, and no error says why"),
    }
});
