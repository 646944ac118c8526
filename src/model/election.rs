//! The election as a whole: its name and dates, and everything its inputs say (changes,
//! governance, membership, activities, declared people), with the record of every file read.
//! Readers build it; identity, policy and rolls only read it.

use serde::Serialize;

use crate::model::{Activities, ChangeLog, Dates, Declared, Governance, Members, Sources};

/// The format of a changes export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeFormat {
    /// The changes CSV of DESIGN §4.
    Csv,
    /// A Gerrit REST `/changes/` answer.
    GerritRest,
    /// `gerrit query --format=JSON` output.
    GerritQuery,
}

impl ChangeFormat {
    /// The format a file name implies.
    #[must_use]
    pub fn from_path(path: &str) -> Option<Self> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Self::Csv)
        } else if lower.ends_with(".json") {
            Some(Self::GerritRest)
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            Some(Self::GerritQuery)
        } else {
            None
        }
    }
}

/// One input file as the manifest records it.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// `election`, `changes`, `git`, `governance-projects`, `members`, ...
    pub role: &'static str,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<ChangeFormat>,
    pub bytes: u64,
    pub sha256: String,
    /// Records read (data rows, changes, commits), for record-oriented inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignored: Option<u64>,
    /// Records of changes already read (from this file or an earlier one), counted once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<u64>,
    /// For git inputs, and governance files read at a tag: the commit they were read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// Everything an election is.
#[derive(Debug)]
pub struct Election {
    pub name: String,
    pub dates: Dates,
    /// The policy the election file names (a shipped name or a path), if any.
    pub policy: Option<String>,
    /// Seats to fill, by roll name (`tc`, `ptl-nova`) or roll id (`ptl`); 1 when absent.
    pub seats: std::collections::BTreeMap<String, u32>,
    /// The input files, by [`crate::model::FileId`], as the user named them.
    pub sources: Sources,
    pub changes: ChangeLog,
    pub governance: Governance,
    /// The membership list, when the election gives one.
    pub members: Option<Members>,
    pub activities: Activities,
    pub declared: Vec<Declared>,
    /// Every file read, election file first, in reading order.
    pub inputs: Vec<InputFile>,
}

impl Election {
    /// The seats roll `name`, an instance of roll definition `id`, fills: the number the
    /// election file gives for the name, else for the id, else 1.
    #[must_use]
    pub fn seats(&self, name: &str, id: &str) -> u32 {
        self.seats
            .get(name)
            .or_else(|| self.seats.get(id))
            .copied()
            .unwrap_or(1)
    }

    /// Records rejected across all inputs.
    #[must_use]
    pub fn rejected(&self) -> u64 {
        self.inputs.iter().filter_map(|f| f.rejected).sum()
    }

    /// Records read and rejected across the change inputs.
    #[must_use]
    pub fn change_records(&self) -> ChangeRecords {
        self.inputs
            .iter()
            .filter(|f| f.role == "changes" || f.role == "git")
            .fold(ChangeRecords::default(), |total, f| ChangeRecords {
                read: total.read + f.records.unwrap_or(0),
                rejected: total.rejected + f.rejected.unwrap_or(0),
                duplicates: total.duplicates + f.duplicates.unwrap_or(0),
            })
    }
}

/// The change records of every change input, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeRecords {
    pub read: u64,
    /// Rows that could not be used (see the problems).
    pub rejected: u64,
    /// Records of a change already read, counted once.
    pub duplicates: u64,
}

/// An application for extra-ATC status, as the TC chair receives it: one row of an
/// applications CSV, before it goes into the governance files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// The line of the applications file.
    pub line: u64,
    pub team: String,
    pub name: String,
    pub email: String,
    /// `expires-in` as written (a month such as "February 2017", unchecked); may be empty
    /// when `approved` is given.
    pub expires_in: String,
    /// When the TC approved the application: the entry then expires a set number of
    /// months later.
    pub approved: Option<chrono::NaiveDate>,
    pub comment: Option<String>,
}
