//! Extra-ATC applications: every application within the limits and at a line of the
//! input, or the first problem located and short.
#![no_main]

use electorate::ingest::applications::{self, ReadError};
use electorate::model::{MAX_ADDRESS_BYTES, MAX_FIELD_BYTES};
use electorate_fuzz::{check_field, check_problems, last_line, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    match applications::parse("input.csv", text) {
        Ok(list) => {
            for application in &list {
                assert!(application.line >= 2 && application.line <= last_line(data));
                for value in [
                    &application.team,
                    &application.name,
                    &application.expires_in,
                ]
                .into_iter()
                .chain(&application.comment)
                {
                    check_field(value, "application field");
                }
                assert!(application.email.len() <= MAX_ADDRESS_BYTES.min(MAX_FIELD_BYTES));
            }
        }
        Err(ReadError::Malformed(problem)) => {
            check_problems(std::slice::from_ref(&*problem), "input.csv", data, &[]);
            assert!(problem.line.is_some(), "no line: {problem}");
        }
        Err(ReadError::Io(error)) => panic!("reading from memory failed: {error}"),
    }
});
