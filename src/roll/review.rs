//! The TC chair's review of extra-ATC applications before they go into governance: is the
//! team real, the address an address, the expiry sensible, the applicant a member, and do
//! they not already qualify (or already have an entry)? Each application gets every code
//! that applies, `application-ok` when none does.

use serde::Serialize;

use crate::identity::Record;
use crate::model::{
    Application, Code, Dates, Month, TeamIdx, format_instant, is_plausible_email, slug,
};
use crate::policy::{Engine, Evaluation};

/// The review of one application.
#[derive(Debug, Clone, Serialize)]
pub struct Reviewed {
    pub line: u64,
    pub team: String,
    pub name: String,
    pub email: String,
    pub expires_in: String,
    pub verdicts: Vec<Code>,
    pub notes: Vec<String>,
}

impl Reviewed {
    /// Whether nothing stands in the way.
    #[must_use]
    pub fn ok(&self) -> bool {
        self.verdicts == [Code::ApplicationOk]
    }
}

/// Review every application against the election at its dates.
#[must_use]
pub fn review(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    applications: &[Application],
) -> Vec<Reviewed> {
    applications
        .iter()
        .map(|application| review_one(engine, evaluation, dates, application))
        .collect()
}

fn review_one(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    application: &Application,
) -> Reviewed {
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
    match Month::parse(&application.expires_in) {
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
        expires_in: application.expires_in.clone(),
        verdicts,
        notes,
    }
}
