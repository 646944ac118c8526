//! The TC chair's review of extra-ATC applications before they go into governance: is the
//! team real, the address an address, the expiry sensible, the applicant a member, and do
//! they not already qualify (or already have an entry)? Each application gets every code
//! that applies, `application-ok` when none does. The acceptable ones become extra-AC
//! entries, ready to paste into governance; and the entries already there that have
//! expired, or soon will, are listed for the chair's clean-up.

use chrono::Datelike;
use serde::Serialize;

use crate::identity::Record;
use crate::model::{
    Application, Code, Dates, Governance, Instant, Month, Sources, TeamIdx, TeamKind,
    format_instant, is_plausible_email, slug,
};
use crate::policy::{Engine, Evaluation};

/// The review of one application.
#[derive(Debug, Clone, Serialize)]
pub struct Reviewed {
    pub line: u64,
    pub team: String,
    pub name: String,
    pub email: String,
    /// `expires-in` as written, or reckoned from the approval date.
    pub expires_in: String,
    /// The approval date, when the applications file gives one.
    pub approved: Option<String>,
    pub comment: Option<String>,
    pub verdicts: Vec<Code>,
    pub notes: Vec<String>,
    /// The team found in governance.
    #[serde(skip)]
    pub team_idx: Option<TeamIdx>,
}

impl Reviewed {
    /// Whether nothing stands in the way.
    #[must_use]
    pub fn ok(&self) -> bool {
        self.verdicts == [Code::ApplicationOk]
    }
}

/// Review every application against the election at its dates. An application with an
/// approval date expires `valid_for` months after it (in the month that date falls in).
#[must_use]
pub fn review(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    applications: &[Application],
    valid_for: u32,
) -> Vec<Reviewed> {
    applications
        .iter()
        .map(|application| review_one(engine, evaluation, dates, application, valid_for))
        .collect()
}

fn review_one(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    application: &Application,
    valid_for: u32,
) -> Reviewed {
    let expires_in = match application.approved {
        Some(date) => date
            .checked_add_months(chrono::Months::new(valid_for))
            .map_or_else(String::new, |d| {
                Month {
                    year: d.year(),
                    month: d.month(),
                }
                .to_string()
            }),
        None => application.expires_in.clone(),
    };
    let election = engine.election();
    let people = engine.people();
    let folding = people.folding();
    let window_end = dates.window.end;
    let mut verdicts = Vec::new();
    let mut notes = Vec::new();
    let team_idx = election.governance.teams.iter().position(|t| {
        t.name.eq_ignore_ascii_case(&application.team) || t.slug == slug(&application.team)
    });
    if team_idx.is_none() {
        verdicts.push(Code::ApplicationUnknownTeam);
    }
    if !is_plausible_email(&application.email) {
        verdicts.push(Code::ApplicationBadEmail);
    }
    match Month::parse(&expires_in) {
        Err(message) => {
            verdicts.push(Code::ApplicationBadExpiry);
            notes.push(message);
        }
        Ok(month) => {
            if window_end >= month.first_instant() {
                verdicts.push(Code::ApplicationExpiresBeforeElection);
                notes.push(format!(
                    "expired from {}, the window ends {}",
                    format_instant(month.first_instant()),
                    format_instant(window_end)
                ));
            } else if month > Month::of(window_end + chrono::Months::new(13)) {
                verdicts.push(Code::ApplicationExpiresTooLate);
                notes.push(format!(
                    "{month} is more than 13 months after the window end"
                ));
            }
        }
    }
    if let Some(person) = people.by_email(&application.email) {
        let team = team_idx.map(|t| TeamIdx(u32::try_from(t).unwrap_or(u32::MAX)));
        let grants = evaluation.of(person);
        // Already a contributor by code in that team: a grant of a code-change criterion.
        let criteria = engine.criteria();
        let by_code = |g: &&crate::policy::Grant| {
            g.team.is_some()
                && g.team == team
                && matches!(
                    criteria[g.criterion].rule,
                    crate::policy::Rule::CodeChange(_)
                )
        };
        if grants.iter().any(|g| by_code(&g)) {
            verdicts.push(Code::ApplicationAlreadyAtc);
            let count: u32 = grants.iter().filter(by_code).map(|g| g.count).sum();
            notes.push(format!(
                "{count} qualifying change{} in the team already",
                if count == 1 { "" } else { "s" }
            ));
        }
        let listed = people.person(person).records.iter().any(|r| match *r {
            Record::ExtraAtc(e) => election
                .governance
                .extra_atcs
                .get(e)
                .is_some_and(|x| Some(x.team.index()) == team_idx),
            _ => false,
        });
        if listed {
            verdicts.push(Code::ApplicationAlreadyListed);
        }
        if election.members.is_some() && people.person(person).member.is_none() {
            verdicts.push(Code::ApplicationNotMember);
        }
    } else if let Some(members) = &election.members {
        let folded = folding.fold(&application.email);
        let member = members
            .members
            .iter()
            .any(|m| m.emails.iter().any(|e| folding.fold(e) == folded));
        if !member {
            verdicts.push(Code::ApplicationNotMember);
        }
    }
    if verdicts.is_empty() {
        verdicts.push(Code::ApplicationOk);
    }
    Reviewed {
        line: application.line,
        team: application.team.clone(),
        name: application.name.clone(),
        email: application.email.clone(),
        expires_in,
        approved: application
            .approved
            .map(|d| d.format("%Y-%m-%d").to_string()),
        comment: application.comment.clone(),
        verdicts,
        notes,
        team_idx: team_idx.map(|t| TeamIdx(u32::try_from(t).unwrap_or(u32::MAX))),
    }
}

/// An acceptable application as an entry of the governance files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewEntry {
    /// The governance file it goes in: `projects.yaml`, `sigs-repos.yaml` or
    /// `technical-committee-repos.yaml`.
    pub file: &'static str,
    /// The team as governance names it.
    pub team: String,
    /// For a SIG's or the TC's entry: the repository it is listed under (the team's first).
    pub repo: Option<String>,
    pub name: String,
    pub email: String,
    pub expires_in: String,
    pub comment: Option<String>,
}

/// The applications that are `application-ok`, as governance entries: sorted by file,
/// team, name and address.
#[must_use]
pub fn new_entries(governance: &Governance, reviewed: &[Reviewed]) -> Vec<NewEntry> {
    let mut entries: Vec<NewEntry> = reviewed
        .iter()
        .filter(|r| r.ok())
        .filter_map(|r| {
            let idx = r.team_idx?;
            let team = governance.team(idx);
            let (file, repo) = match team.kind {
                TeamKind::Project | TeamKind::Retired => ("projects.yaml", None),
                TeamKind::Sig => ("sigs-repos.yaml", first_repo(governance, idx)),
                TeamKind::TechnicalCommittee => (
                    "technical-committee-repos.yaml",
                    first_repo(governance, idx),
                ),
            };
            Some(NewEntry {
                file,
                team: team.name.clone(),
                repo,
                name: r.name.clone(),
                email: r.email.clone(),
                expires_in: Month::parse(&r.expires_in)
                    .map_or_else(|_| r.expires_in.clone(), |m| m.to_string()),
                comment: r.comment.clone(),
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        (a.file, &a.team, &a.name, &a.email).cmp(&(b.file, &b.team, &b.name, &b.email))
    });
    entries
}

fn first_repo(governance: &Governance, team: TeamIdx) -> Option<String> {
    governance
        .repos
        .iter()
        .find(|(_, repo)| repo.team == team && repo.retired_on.is_none())
        .map(|(name, _)| name.clone())
}

/// An extra-ATC entry of the governance files that has expired, or will within the
/// period looked ahead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiring {
    /// `extra-atc-expired-listed` or `extra-atc-expiring`.
    pub code: Code,
    pub file: String,
    pub line: u64,
    pub team: String,
    pub name: String,
    pub email: String,
    pub expires_in: String,
    /// The first instant it is no longer valid: the first day of its `expires-in` month.
    pub invalid_from: String,
}

/// The entries no longer valid at `at` (`extra-atc-expired-listed`) or no longer valid by
/// `until` (`extra-atc-expiring`), soonest first, then by file and line.
#[must_use]
pub fn expiring(
    governance: &Governance,
    sources: &Sources,
    at: Instant,
    until: Instant,
) -> Vec<Expiring> {
    let mut found: Vec<(Instant, Expiring)> = governance
        .extra_atcs
        .iter()
        .filter_map(|entry| {
            let from = entry.expires_in.first_instant();
            let code = if from <= at {
                Code::ExtraAtcExpiredListed
            } else if from <= until {
                Code::ExtraAtcExpiring
            } else {
                return None;
            };
            Some((
                from,
                Expiring {
                    code,
                    file: sources.name(entry.origin.file).to_owned(),
                    line: u64::from(entry.origin.position),
                    team: governance.team(entry.team).name.clone(),
                    name: entry.name.clone(),
                    email: entry.email.clone(),
                    expires_in: entry.expires_in.to_string(),
                    invalid_from: format_instant(from),
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| (a.0, &a.1.file, a.1.line).cmp(&(b.0, &b.1.file, b.1.line)));
    found.into_iter().map(|(_, e)| e).collect()
}
