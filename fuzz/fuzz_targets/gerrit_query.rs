//! `gerrit query` JSON lines: problems located and short, fields within their limits,
//! every change line either used or rejected (the stats line is ignored).
#![no_main]

use electorate::ingest::gerrit_query;
use electorate::model::{ChangeLog, Code, Diagnostics, FileId};
use electorate_fuzz::{check_log, check_problems};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut log = ChangeLog::new();
    let mut diagnostics = Diagnostics::default();
    // Lines are far below the limit here: reading cannot fail.
    let rows = gerrit_query::read_lines(
        "input.jsonl",
        &mut &data[..],
        FileId(0),
        &mut log,
        &mut diagnostics,
    )
    .expect("reading from memory");
    check_problems(
        diagnostics.all(),
        "input.jsonl",
        data,
        &[Code::InputEmpty, Code::MergeTimeApproximate],
    );
    assert_eq!(rows.read, log.changes.len() as u64 + rows.rejected);
    check_log(&log);
});
