//! What the governance files say: teams (project teams, SIGs, the TC, retired teams), the
//! repositories each owns, how each is led, and the extra-ATCs the TC granted.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{Month, Origin};

/// What kind of body a team is; it decides which rolls its contributors reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TeamKind {
    /// An official project team: its contributors elect its PTL.
    Project,
    /// A Special Interest Group: contributors vote for the TC only.
    Sig,
    /// The Technical Committee's own repositories.
    TechnicalCommittee,
    /// A team that exists only in `legacy.yaml`.
    Retired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TeamIdx(pub u32);

impl TeamIdx {
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone)]
pub struct Team {
    pub name: String,
    /// For file names: lower-case, runs of other characters turned into one `-`.
    pub slug: String,
    pub kind: TeamKind,
    /// `leadership_type` when given (`distributed` teams elect no PTL).
    pub leadership: Option<String>,
    pub origin: Origin,
    /// The 1-based column of the team's name, for messages.
    pub column: u32,
}

/// An official (or formerly official) repository.
#[derive(Debug, Clone)]
pub struct Repo {
    pub team: TeamIdx,
    pub deliverable: Option<String>,
    /// Set for deliverables listed in `legacy.yaml`.
    pub retired_on: Option<NaiveDate>,
    pub origin: Origin,
}

/// One extra-ATC (extra-AC) entry.
#[derive(Debug, Clone)]
pub struct ExtraAtc {
    pub team: TeamIdx,
    pub name: String,
    pub email: String,
    pub expires_in: Month,
    pub comment: Option<String>,
    /// The key it was listed under: `extra-atcs`, `extra-acs` or `extra_acs`.
    pub key: &'static str,
    /// For SIG and TC entries, the repository they are listed under.
    pub repo: Option<String>,
    pub origin: Origin,
    /// The 1-based column the entry starts at, for messages.
    pub column: u32,
}

/// The governance files of an election, merged.
#[derive(Debug, Clone, Default)]
pub struct Governance {
    pub teams: Vec<Team>,
    /// Repository name (`openstack/nova`) to owner, sorted by name.
    pub repos: BTreeMap<String, Repo>,
    pub extra_atcs: Vec<ExtraAtc>,
}

impl Governance {
    #[must_use]
    pub fn team(&self, idx: TeamIdx) -> &Team {
        &self.teams[idx.index()]
    }

    pub fn project_teams(&self) -> impl Iterator<Item = (TeamIdx, &Team)> {
        self.teams
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind == TeamKind::Project)
            .map(|(i, t)| (TeamIdx(u32::try_from(i).unwrap_or(u32::MAX)), t))
    }
}

/// Turn a team name into a file-name slug: `OpenStack Charms` → `openstack-charms`.
#[must_use]
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "team".to_owned()
    } else {
        out
    }
}
