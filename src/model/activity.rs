//! Contributions that are not code: working-group meetings (from MeetBot summaries), rosters
//! kept by people (user-group organisers, meetup moderators, track chairs, ...), and the
//! Foundation's AUC metrics export.

use rustc_hash::FxHashMap;

use crate::model::{Instant, Origin};

/// One meeting: a MeetBot summary file.
#[derive(Debug, Clone)]
pub struct Meeting {
    /// The `#startmeeting` name, e.g. `ops_meetups_team`.
    pub series: String,
    pub at: Instant,
    pub origin: Origin,
}

/// Someone present at a meeting.
#[derive(Debug, Clone, Copy)]
pub struct Attendance {
    /// Index into [`Activities::meetings`].
    pub meeting: u32,
    /// Index into [`Activities::nicks`].
    pub nick: u32,
    pub lines: u32,
    pub origin: Origin,
}

/// A roster row: someone recognised for a role at a date.
#[derive(Debug, Clone)]
pub struct RosterEntry {
    /// The criterion or role, e.g. `user-group-organiser`.
    pub role: String,
    pub name: Option<String>,
    pub email: String,
    pub evidence: Option<String>,
    pub at: Instant,
    pub origin: Origin,
}

/// A row of the Foundation's AUC metrics export.
#[derive(Debug, Clone)]
pub struct MetricEntry {
    pub identifier: String,
    pub value: String,
    pub email: String,
    /// The recognition lasts until this instant.
    pub expires: Option<Instant>,
    pub origin: Origin,
}

/// Every non-code contribution of an election.
#[derive(Debug, Clone, Default)]
pub struct Activities {
    pub meetings: Vec<Meeting>,
    pub attendance: Vec<Attendance>,
    /// Normalised IRC nicks, in order of first sight.
    pub nicks: Vec<String>,
    nick_index: FxHashMap<String, u32>,
    pub roster: Vec<RosterEntry>,
    pub metrics: Vec<MetricEntry>,
}

/// Normalise a nick as the User Committee's `get_active_wg_members.py` did.
#[must_use]
pub fn normalize_nick(nick: &str) -> String {
    nick.trim_matches(|c: char| c == ' ' || c == '_')
        .to_lowercase()
}

impl Activities {
    /// The index of a normalised nick, added when new.
    pub fn intern_nick(&mut self, nick: &str) -> u32 {
        if let Some(&i) = self.nick_index.get(nick) {
            return i;
        }
        let i = u32::try_from(self.nicks.len()).unwrap_or(u32::MAX);
        self.nicks.push(nick.to_owned());
        self.nick_index.insert(nick.to_owned(), i);
        i
    }
}
