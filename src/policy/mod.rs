//! Eligibility rules as data. A policy declares *statuses* (ATC, extra-ATC, AUC, ...),
//! each earned through one or more *criteria* (any one suffices), and *rolls* composed of
//! statuses. The engine in [`evaluate`] applies a policy to contributions and people; it
//! never reads the clock or the disk: the election's dates come in as arguments.
//!
//! Shipped policies live in `policies/` and are built into the binary; any other policy
//! is a TOML file with the same shape (see `docs/policies.md`).

pub mod evaluate;
mod load;
pub mod pattern;

use std::fmt;

pub use evaluate::{
    ChangeCounts, CriterionRef, Disposition, Engine, Evaluation, Evidence, Grant, Miss,
    change_reference,
};
pub use load::{PolicyError, load_file, load_str};
use pattern::Pattern;

use crate::keywords;
use crate::model::{Dates, Window};

/// A validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub source: Option<String>,
    pub statuses: Vec<Status>,
    pub rolls: Vec<RollDef>,
    /// Where it was loaded from, for the manifest.
    pub origin: PolicyOrigin,
    /// SHA-256 of the policy text.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyOrigin {
    Builtin,
    File(String),
}

impl fmt::Display for PolicyOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Builtin => write!(f, "built in"),
            Self::File(path) => write!(f, "{path}"),
        }
    }
}

/// Whether a status belongs to a team or to the whole electorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Earned in a team (the team owning the repository, the team that granted an
    /// extra-ATC): counts for that team's per-team rolls and for global rolls.
    Team,
    /// Counts only for global rolls.
    Global,
}

keywords!(Scope { "team" => Scope::Team, "global" => Scope::Global });

#[derive(Debug, Clone)]
pub struct Status {
    pub id: String,
    pub title: String,
    pub scope: Scope,
    /// Any one of these earns the status.
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    /// Also the decision code shown when the criterion earns the status.
    pub id: String,
    pub rule: Rule,
}

/// The kinds of criterion, as policies name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriterionKind {
    CodeChange,
    ExtraAtc,
    Meetings,
    Roster,
    AucMetric,
}

keywords!(CriterionKind {
    "code-change" => CriterionKind::CodeChange,
    "extra-atc" => CriterionKind::ExtraAtc,
    "meeting-attendance" => CriterionKind::Meetings,
    "roster" => CriterionKind::Roster,
    "auc-metric" => CriterionKind::AucMetric,
});

#[derive(Debug, Clone)]
pub enum Rule {
    CodeChange(CodeChangeRule),
    ExtraAtc(ExtraAtcRule),
    Meetings(MeetingRule),
    Roster(RosterRule),
    AucMetric(MetricRule),
}

/// Taking part in working-group meetings (MeetBot summaries).
#[derive(Debug, Clone)]
pub struct MeetingRule {
    /// Meeting series (`#startmeeting` names) that count; `None` for all given.
    pub meetings: Option<Vec<Pattern>>,
    pub window: WindowRule,
    /// Meetings attended, at least.
    pub min_meetings: u32,
    /// Share of the series' meetings in the window attended, at least (exact fraction).
    pub min_share: Option<Share>,
    /// Lines said, at least.
    pub min_lines: u32,
    pub per: MeetingAggregate,
}

/// A share such as 0.25, kept as an exact fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub numerator: u64,
    pub denominator: u64,
}

impl Share {
    /// Whether `part / whole` reaches this share (`whole` > 0).
    #[must_use]
    pub fn reached(self, part: u64, whole: u64) -> bool {
        whole > 0
            && u128::from(part) * u128::from(self.denominator)
                >= u128::from(self.numerator) * u128::from(whole)
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = self.numerator * 100;
        if percent.is_multiple_of(self.denominator) {
            write!(f, "{}%", percent / self.denominator)
        } else {
            write!(f, "{}/{}", self.numerator, self.denominator)
        }
    }
}

/// How meeting thresholds are measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingAggregate {
    /// In each series separately; any one series that meets them is enough.
    Series,
    /// Summed over every selected series (as the User Committee's script did).
    All,
}

keywords!(MeetingAggregate {
    "series" => MeetingAggregate::Series,
    "all" => MeetingAggregate::All,
});

/// Rows of roster files with a selected criterion or role.
#[derive(Debug, Clone)]
pub struct RosterRule {
    pub roles: Vec<Pattern>,
    pub window: WindowRule,
    pub min_count: u32,
}

/// Rows of the Foundation's AUC metrics export with a selected identifier, while they
/// have not expired.
#[derive(Debug, Clone)]
pub struct MetricRule {
    pub identifiers: Vec<Pattern>,
    pub expiry: ExpiryCheck,
}

/// Merged changes in selected repositories and branches, credited to selected people.
#[derive(Debug, Clone)]
pub struct CodeChangeRule {
    pub repos: RepoSelector,
    pub branches: BranchSelector,
    pub credit: Vec<CreditRule>,
    pub window: WindowRule,
    /// Qualifying changes needed in total (across teams).
    pub min_count: u32,
}

#[derive(Debug, Clone)]
pub enum RepoSelector {
    /// Repositories the governance files list (teams, SIGs, TC; retired ones while they
    /// still count).
    Governed,
    /// Repositories whose full name matches one of these patterns (`*` matches any run
    /// of characters), governed or not.
    Matching(Vec<Pattern>),
}

#[derive(Debug, Clone)]
pub enum BranchSelector {
    Any,
    Matching(Vec<Pattern>),
}

/// Who a change is credited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditRule {
    Owner,
    CoAuthor,
    /// A reviewer who voted one of `values` on `label` (e.g. Code-Review +2 or -2).
    Reviewer {
        label: String,
        values: Vec<i8>,
    },
}

/// Which contributions are recent enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowRule {
    /// The election's window, `[start, end)`.
    Election,
    /// The `days` days up to and including `as_of`: `(as_of - days, as_of]`. This is also
    /// "a status lasting `days` days from each qualifying contribution".
    Trailing { days: u32 },
}

impl WindowRule {
    /// The window this rule selects at the election's dates.
    #[must_use]
    pub fn of(self, dates: &Dates) -> Window {
        match self {
            Self::Election => dates.window,
            Self::Trailing { days } => Window::trailing(dates.as_of, days),
        }
    }
}

/// An extra-ATC (extra-AC) entry in the governance files.
#[derive(Debug, Clone)]
pub struct ExtraAtcRule {
    pub expiry: ExpiryCheck,
}

/// When an `expires-in` month is checked: valid while the instant is before the first
/// day of that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryCheck {
    WindowEnd,
    AsOf,
    Never,
}

keywords!(ExpiryCheck {
    "window-end" => ExpiryCheck::WindowEnd,
    "as-of" => ExpiryCheck::AsOf,
    "never" => ExpiryCheck::Never,
});

/// Whether a roll is one list or one list per team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Per {
    Election,
    /// One roll per official project team, named `<id>-<team-slug>`.
    Team,
}

keywords!(Per { "election" => Per::Election, "team" => Per::Team });

#[derive(Debug, Clone)]
pub struct RollDef {
    pub id: String,
    pub title: String,
    /// Indices into [`Policy::statuses`].
    pub statuses: Vec<usize>,
    pub per: Per,
    /// Only Foundation members may be on it (when a membership list is given).
    pub members_only: bool,
    /// For per-team rolls: build only for teams whose governance `leadership_type` is one
    /// of these (a team that states none is led by a `ptl`). `None`: every team.
    pub leadership: Option<Vec<String>>,
    /// Who may stand in the roll's election.
    pub candidates: Candidates,
}

/// Who may stand in a roll's election (`candidates` in a `[[roll]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidates {
    /// Any Foundation member, whatever they contributed: the membership list decides.
    Members,
    /// Anyone on the roll, decided as the roll decides (the default).
    Roll,
    /// Holders of one of these statuses (indices into [`Policy::statuses`]; for a team
    /// roll, earned in that team) who pass the roll's membership check.
    Statuses(Vec<usize>),
    /// Nobody: the roll elects no one.
    Nobody,
}

impl Candidates {
    /// The rule as a policy writes it: `members`, `roll`, `statuses` or `none`.
    #[must_use]
    pub fn keyword(&self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Roll => "roll",
            Self::Statuses(_) => "statuses",
            Self::Nobody => "none",
        }
    }
}

/// The leadership type of a team that states none in the governance files.
pub const DEFAULT_LEADERSHIP: &str = "ptl";

/// A policy shipped with the tool.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub text: &'static str,
}

/// Every shipped policy, by name.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "openstack",
        text: include_str!("../../policies/openstack.toml"),
    },
    Builtin {
        name: "openstack-bylaws",
        text: include_str!("../../policies/openstack-bylaws.toml"),
    },
    Builtin {
        name: "charter-2026",
        text: include_str!("../../policies/charter-2026.toml"),
    },
    Builtin {
        name: "auc-2016",
        text: include_str!("../../policies/auc-2016.toml"),
    },
    Builtin {
        name: "auc-2018",
        text: include_str!("../../policies/auc-2018.toml"),
    },
    Builtin {
        name: "ops-as-atc",
        text: include_str!("../../policies/ops-as-atc.toml"),
    },
    Builtin {
        name: "ops-status",
        text: include_str!("../../policies/ops-status.toml"),
    },
];

/// The policy used when the election file and the command line name none.
pub const DEFAULT_POLICY: &str = "openstack";

/// Load a shipped policy by name.
///
/// # Errors
/// An unknown name (with the closest shipped one suggested), or a shipped policy that does
/// not validate (a bug the tests catch).
pub fn builtin(name: &str) -> Result<Policy, PolicyError> {
    let Some(found) = BUILTINS.iter().find(|b| b.name == name) else {
        let names: Vec<&str> = BUILTINS.iter().map(|b| b.name).collect();
        let close = crate::suggest::closest(name, &names)
            .map(|n| format!("\nhint: did you mean \"{n}\"?"))
            .unwrap_or_default();
        return Err(PolicyError::Unknown(format!(
            "no shipped policy named {}, expected one of {} or a path to a .toml file{close}",
            crate::model::excerpt(name),
            names.join(", ")
        )));
    };
    load_str(found.name, found.text, PolicyOrigin::Builtin)
}

/// Load a policy given by name or path.
///
/// # Errors
/// See [`builtin`] and [`load_file`].
pub fn resolve(name_or_path: &str) -> Result<Policy, PolicyError> {
    if name_or_path.ends_with(".toml") || name_or_path.contains('/') || name_or_path.contains('\\')
    {
        load_file(std::path::Path::new(name_or_path))
    } else {
        builtin(name_or_path)
    }
}

impl Policy {
    #[must_use]
    pub fn status_index(&self, id: &str) -> Option<usize> {
        self.statuses.iter().position(|s| s.id == id)
    }

    /// Every criterion with its status index, in policy order.
    pub fn criteria(&self) -> impl Iterator<Item = (usize, &Criterion)> {
        self.statuses
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.criteria.iter().map(move |c| (i, c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_policy_loads() {
        for b in BUILTINS {
            let policy = builtin(b.name).unwrap_or_else(|e| panic!("{}: {e}", b.name));
            assert_eq!(
                policy.name, b.name,
                "the file's name matches its builtin name"
            );
            assert!(!policy.rolls.is_empty());
        }
    }

    #[test]
    fn unknown_builtin_suggests_the_closest() {
        let err = builtin("opnstack").unwrap_err().to_string();
        assert_eq!(
            err,
            "no shipped policy named \"opnstack\", expected one of openstack, openstack-bylaws, charter-2026, auc-2016, auc-2018, ops-as-atc, ops-status or a path to a .toml file\nhint: did you mean \"openstack\"?"
        );
    }
}
