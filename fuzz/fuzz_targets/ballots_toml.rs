//! Ballots read as `InputFormat::Toml`: a ballot set the methods can count (names within
//! their limit and unique, every ballot naming existing candidates once, weights that add
//! up) or an error at a line of the input with a short message.
#![no_main]

use electorate::tally::format::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    electorate_fuzz::ballots::check(data, "input.txt", Some(InputFormat::Toml));
});
