//! The AUC metrics CSV: problems located and short, fields within their limits, every
//! row read either kept or rejected.
#![no_main]

use electorate::model::{Activities, Code, Diagnostics, FileId};
use electorate_fuzz::{check_address, check_field, check_problems, last_line, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let mut activities = Activities::default();
    let mut diagnostics = Diagnostics::default();
    let (read, rejected) = activities.parse_metrics("input.csv", text, FileId(0), &mut diagnostics);
    check_problems(diagnostics.all(), "input.csv", data, &[Code::InputEmpty]);
    assert_eq!(read, activities.metrics.len() as u64 + rejected);
    for entry in &activities.metrics {
        check_field(&entry.identifier, "identifier");
        assert!(!entry.identifier.is_empty());
        check_field(&entry.value, "value");
        check_address(&entry.email, "metrics address");
        assert!(u64::from(entry.origin.position) <= last_line(data));
    }
});
