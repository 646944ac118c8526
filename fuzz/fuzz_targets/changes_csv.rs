//! The changes CSV: problems located and short, fields within their limits, every row
//! read either used or rejected, and reading in two halves (as large exports are) gives
//! exactly what one pass gives.
#![no_main]

use electorate::ingest::changes_csv;
use electorate::model::{ChangeLog, Code, Diagnostics, FileId};
use electorate_fuzz::{check_field, check_log, check_problems};
use libfuzzer_sys::fuzz_target;

fn read(data: &[u8], halves: bool) -> (ChangeLog, Diagnostics, electorate::ingest::FileRows) {
    let mut log = ChangeLog::new();
    let mut diagnostics = Diagnostics::default();
    let rows = changes_csv::parse(
        "input.csv",
        data.to_vec(),
        FileId(0),
        &mut log,
        &mut diagnostics,
        halves,
    );
    (log, diagnostics, rows)
}

fuzz_target!(|data: &[u8]| {
    let (log, diagnostics, rows) = read(data, false);
    check_problems(diagnostics.all(), "input.csv", data, &[Code::InputEmpty]);
    assert_eq!(rows.read, log.changes.len() as u64 + rows.rejected);
    assert_eq!(rows.ignored, 0);
    check_log(&log);
    for change in &log.changes {
        if let Some(label) = change.label(&log) {
            check_field(&label, "change label");
        }
    }
    let (later, later_diagnostics, later_rows) = read(data, true);
    assert_eq!(later_rows, rows);
    assert_eq!(later_diagnostics.all(), diagnostics.all());
    assert_eq!(later.fingerprint(), log.fingerprint());
});
