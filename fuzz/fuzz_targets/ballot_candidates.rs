//! The `--candidates` file, alone and applied: the input is a candidates file, then a
//! NUL byte, then ballots (read as an Elekto export, or as a CIVS upload file when the
//! ballots start with `#`). A candidates file is read or refused at a line of it; the
//! ballots it is applied to come out countable, or refused with a located error.
#![no_main]

use electorate::tally::format::candidates::CandidateFile;
use electorate::tally::format::limits::MAX_NAME_CHARS;
use electorate::tally::format::{InputFormat, read_ballots};
use electorate_fuzz::ballots::{check_error, check_set};
use electorate_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (first, ballots) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let Some(candidates_text) = text(first) else {
        return;
    };
    let candidates = match CandidateFile::parse("candidates.csv", candidates_text) {
        Ok(candidates) => candidates,
        Err(error) => {
            check_error(&error, "candidates.csv", first);
            return;
        }
    };
    for row in &candidates.rows {
        assert!(row.id.is_some() || row.name.is_some());
        for value in [&row.id, &row.name, &row.affiliation].into_iter().flatten() {
            assert!(value.chars().count() <= MAX_NAME_CHARS);
        }
    }
    let format = if ballots.starts_with(b"#") {
        InputFormat::CivsUpload
    } else {
        InputFormat::Elekto
    };
    match read_ballots("ballots.csv", ballots, Some(format), Some(&candidates)) {
        Ok((set, _)) => check_set(&set, ballots),
        // The error may be about either file.
        Err(error) => {
            let in_candidates = error.location().file == "candidates.csv";
            let (file, input) = if in_candidates {
                ("candidates.csv", first)
            } else {
                ("ballots.csv", ballots)
            };
            check_error(&error, file, input);
        }
    }
});
