//! The governance file read as `GovernanceFile::TechnicalCommittee`: problems located and
//! short, names and addresses within their limits, every repository owned by a team.
#![no_main]

use electorate::ingest::governance::GovernanceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    electorate_fuzz::check_governance(data, GovernanceFile::TechnicalCommittee);
});
