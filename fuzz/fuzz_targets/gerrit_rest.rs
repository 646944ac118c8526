//! Gerrit REST answers: problems located and short, fields within their limits, and
//! every change read either used or rejected (stream events other than change-merged
//! are ignored, not read).
#![no_main]

use electorate::ingest::{gerrit_rest, strip_bom};
use electorate::model::{ChangeLog, Code, Diagnostics, FileId};
use electorate_fuzz::{check_log, check_problems};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut log = ChangeLog::new();
    let mut diagnostics = Diagnostics::default();
    let rows = gerrit_rest::read_bytes(
        "input.json",
        strip_bom(data),
        FileId(0),
        &mut log,
        &mut diagnostics,
    );
    check_problems(
        diagnostics.all(),
        "input.json",
        data,
        &[Code::InputEmpty, Code::RecordNotAChange],
    );
    assert_eq!(rows.read, log.changes.len() as u64 + rows.rejected);
    check_log(&log);
});
