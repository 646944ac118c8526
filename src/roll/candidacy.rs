//! Candidacy: may these people stand? Each candidate is looked up as `explain` looks people
//! up and decided against a roll as `roll` decides, so a CI job validating candidacy files
//! gets the same answer an official would.

use serde::Serialize;

use crate::model::{Code, Dates, TeamIdx, slug};
use crate::policy::{Engine, Evaluation, Per, RollDef};
use crate::roll::explain::{Lookup, find};
use crate::roll::{all_instances, decisive, instance_name, not_built};

/// The roll candidates are checked against.
#[derive(Debug, Clone)]
pub struct Target<'p> {
    pub name: String,
    pub def: &'p RollDef,
    pub team: Option<TeamIdx>,
}

/// Why a roll to check against could not be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("no project team \"{team}\" in the governance files, expected one of {known}")]
    UnknownTeam { team: String, known: String },
    #[error("policy \"{policy}\" has no per-team roll")]
    NoTeamRoll { policy: String },
    #[error("roll \"{roll}\" is not built: {reason} (team {team})")]
    NotBuilt {
        roll: String,
        reason: String,
        team: String,
    },
    #[error("policy \"{policy}\" has no roll \"{roll}\"")]
    NoSuchRoll { policy: String, roll: String },
}

/// The roll to check candidates against: the one named, else the team's per-team roll
/// (the one built for that team when rolls are limited to teams led one way), else `tc`.
///
/// # Errors
/// An unknown team or roll, or a roll the policy does not build.
pub fn target<'p>(
    engine: &Engine<'p>,
    roll: Option<&str>,
    team: Option<&str>,
) -> Result<Target<'p>, TargetError> {
    let policy = engine.policy();
    let governance = &engine.election().governance;
    let name = match (roll, team) {
        (Some(roll), _) => roll.to_owned(),
        (None, Some(team)) => {
            let wanted = slug(team);
            let Some((_, found)) = governance.project_teams().find(|(_, t)| t.slug == wanted)
            else {
                let known: Vec<&str> = governance
                    .project_teams()
                    .map(|(_, t)| t.name.as_str())
                    .collect();
                return Err(TargetError::UnknownTeam {
                    team: team.to_owned(),
                    known: known.join(", "),
                });
            };
            let per_team: Vec<&RollDef> =
                policy.rolls.iter().filter(|r| r.per == Per::Team).collect();
            let built = per_team.iter().find(|def| {
                all_instances(policy, governance)
                    .any(|(_, name, _)| name == instance_name(def, Some(found)))
            });
            match built.or(per_team.first()) {
                Some(def) => instance_name(def, Some(found)),
                None => {
                    return Err(TargetError::NoTeamRoll {
                        policy: policy.name.clone(),
                    });
                }
            }
        }
        (None, None) => "tc".to_owned(),
    };
    if let Some((def, _, team)) = all_instances(policy, governance).find(|(_, n, _)| *n == name) {
        return Ok(Target { name, def, team });
    }
    if let Some(unbuilt) = policy
        .rolls
        .iter()
        .flat_map(|def| not_built(governance, def))
        .find(|unbuilt| unbuilt.name == name)
    {
        return Err(TargetError::NotBuilt {
            roll: name,
            reason: unbuilt.reason,
            team: unbuilt.team,
        });
    }
    Err(TargetError::NoSuchRoll {
        policy: policy.name.clone(),
        roll: name,
    })
}

/// The answer for one candidate.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The candidate as given.
    pub candidate: String,
    pub roll: String,
    pub eligible: bool,
    pub code: Code,
    pub person: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// Decide each candidate against the target roll.
#[must_use]
pub fn check(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    target: &Target<'_>,
    candidates: &[String],
) -> Vec<Verdict> {
    candidates
        .iter()
        .map(|candidate| {
            let unknown = |code| Verdict {
                candidate: candidate.clone(),
                roll: target.name.clone(),
                eligible: false,
                code,
                person: None,
                name: None,
                email: None,
            };
            match find(engine, candidate) {
                Lookup::Found(people) if people.len() == 1 => {
                    let person = people[0];
                    let profile = engine.people().person(person);
                    let decision =
                        decisive(engine, evaluation, dates, person, target.def, target.team);
                    Verdict {
                        candidate: candidate.clone(),
                        roll: target.name.clone(),
                        eligible: decision.code() == Code::OnRoll,
                        code: decision.code(),
                        person: Some(profile.key.clone()),
                        name: profile.name.clone(),
                        email: profile.email.clone(),
                    }
                }
                Lookup::Found(_) | Lookup::Several(_) => unknown(Code::CandidateAmbiguous),
                Lookup::NotFound(_) => unknown(Code::CandidateNotFound),
            }
        })
        .collect()
}
