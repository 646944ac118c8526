//! A MeetBot summary: problems located and short, nicks within their limit, at most
//! the allowed number of people per meeting, each attendance at a line of the input.
//! The first line is also tried as a summary's file name.
#![no_main]

use std::path::Path;

use electorate::ingest::activity::meeting_from_file_name;
use electorate::ingest::limits::MAX_ATTENDEES;
use electorate::model::{Activities, Code, Diagnostics, FileId};
use electorate_fuzz::{check_field, check_problems, last_line, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    if let Some((series, _)) = meeting_from_file_name(text.lines().next().unwrap_or("")) {
        assert!(!series.is_empty());
    }
    let mut activities = Activities::default();
    let mut diagnostics = Diagnostics::default();
    let bots = vec!["openstack".to_owned()];
    activities.parse_meetbot(
        "input.txt",
        Path::new("wg.2015-06-01-10.00.txt"),
        text,
        FileId(0),
        &bots,
        &mut diagnostics,
    );
    check_problems(
        diagnostics.all(),
        "input.txt",
        data,
        &[Code::MeetingSummaryInvalid],
    );
    assert!(activities.meetings.len() <= 1);
    assert!(activities.attendance.len() <= MAX_ATTENDEES);
    for nick in &activities.nicks {
        check_field(nick, "nick");
        assert!(!nick.is_empty() && nick != "openstack");
    }
    for attendance in &activities.attendance {
        assert!(u64::from(attendance.origin.position) <= last_line(data));
        assert!((attendance.nick as usize) < activities.nicks.len());
    }
});
