//! Ballots whose format is detected from the content (no extension tells it): whatever
//! is chosen, a ballot set the methods can count or an error located in the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    electorate_fuzz::ballots::check(data, "input.txt", None);
});
