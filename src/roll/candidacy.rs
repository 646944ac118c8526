//! Candidacy: may these people stand? Each roll of a policy says who may stand in its
//! election (`candidates`: any member, the roll's own voters, holders of named statuses, or
//! nobody); each candidate is looked up as `explain` looks people up and decided by that
//! rule, with the decisive code and what it rests on (the qualifying change with its date
//! and repository, the extra-ATC entry, or the member record), so a CI job validating
//! candidacy files gets the same answer an official would.

use serde::Serialize;

use crate::identity::PersonIdx;
use crate::model::{Code, Dates, TeamIdx, format_instant, slug};
use crate::policy::{Candidates, Engine, Evaluation, Evidence, Per, RollDef};
use crate::roll::explain::{Lookup, find};
use crate::roll::{Decision, Ground, all_instances, grounds, instance_name, not_built};

/// The roll candidates are checked against.
#[derive(Debug, Clone)]
pub struct Target<'p> {
    pub name: String,
    pub def: &'p RollDef,
    pub team: Option<TeamIdx>,
    /// Why the roll holds no election for this team, when it holds none (its team is led
    /// in a way the roll is not built for).
    pub no_election: Option<String>,
}

/// Why a roll to check against could not be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("no project team \"{team}\" in the governance files, expected one of {known}")]
    UnknownTeam { team: String, known: String },
    #[error("policy \"{policy}\" has no per-team roll")]
    NoTeamRoll { policy: String },
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
        return Ok(Target {
            name,
            def,
            team,
            no_election: None,
        });
    }
    for def in &policy.rolls {
        if let Some(unbuilt) = not_built(governance, def)
            .into_iter()
            .find(|unbuilt| unbuilt.name == name)
        {
            let team = governance
                .project_teams()
                .find(|(_, t)| t.name == unbuilt.team)
                .map(|(idx, _)| idx);
            return Ok(Target {
                name,
                def,
                team,
                no_election: Some(format!("team {}: {}", unbuilt.team, unbuilt.reason)),
            });
        }
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
    /// The roll's candidacy rule: `members`, `roll`, `statuses` or `none`.
    pub rule: &'static str,
    pub person: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    /// What the decision rests on, when there is one thing to point at.
    pub evidence: Option<CandidateEvidence>,
    /// Why no election is held, for `candidate-no-election`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The record a candidacy decision rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateEvidence {
    /// `change`, `extra-atc`, `member`, `meeting`, `roster` or `auc-metric`.
    pub kind: &'static str,
    /// A change's number (else its Change-Id), a member's id, an extra-ATC entry's team, a
    /// meeting's series, a roster role or a metrics identifier.
    pub what: String,
    /// A change's merge time or a contribution's time; an extra-ATC's `expires-in` month.
    pub at: Option<String>,
    /// A change's repository.
    pub repo: Option<String>,
    /// Where it was read: `file:line` or `file: record N`.
    pub source: String,
}

/// Decide each candidate against the target roll, by the roll's candidacy rule.
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
            let mut verdict = Verdict {
                candidate: candidate.clone(),
                roll: target.name.clone(),
                eligible: false,
                code: Code::CandidateNotFound,
                rule: target.def.candidates.keyword(),
                person: None,
                name: None,
                email: None,
                evidence: None,
                reason: None,
            };
            if let Some(reason) = &target.no_election {
                verdict.code = Code::CandidateNoElection;
                verdict.reason = Some(reason.clone());
            }
            match find(engine, candidate) {
                Lookup::Found(people) if people.len() == 1 => {
                    let profile = engine.people().person(people[0]);
                    verdict.person = Some(profile.key.clone());
                    verdict.name.clone_from(&profile.name);
                    verdict.email.clone_from(&profile.email);
                    if target.no_election.is_none() {
                        let (eligible, code, evidence) =
                            decide(engine, evaluation, dates, target, people[0]);
                        verdict.eligible = eligible;
                        verdict.code = code;
                        verdict.evidence = evidence;
                    }
                }
                Lookup::Found(_) | Lookup::Several(_) if target.no_election.is_none() => {
                    verdict.code = Code::CandidateAmbiguous;
                }
                _ => {}
            }
            if target.no_election.is_none() && target.def.candidates == Candidates::Nobody {
                verdict.eligible = false;
                verdict.code = Code::CandidateNoElection;
                verdict.evidence = None;
                verdict.reason = Some(format!(
                    "roll \"{}\" says candidates = \"none\"",
                    target.def.id
                ));
            }
            verdict
        })
        .collect()
}

/// One person against the roll's candidacy rule: eligible, the decisive code, and what it
/// rests on.
fn decide(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    target: &Target<'_>,
    person: PersonIdx,
) -> (bool, Code, Option<CandidateEvidence>) {
    let def = target.def;
    match &def.candidates {
        Candidates::Nobody => (false, Code::CandidateNoElection, None),
        Candidates::Members => {
            let election = engine.election();
            let Some(members) = &election.members else {
                return (false, Code::CandidateMembershipUnknown, None);
            };
            match engine.people().person(person).member {
                Some(m) => (
                    true,
                    Code::CandidateMember,
                    members.members.get(m).map(|member| CandidateEvidence {
                        kind: "member",
                        what: member.id.clone(),
                        at: None,
                        repo: None,
                        source: election.sources.locate(member.origin),
                    }),
                ),
                None => (false, Code::CandidateNotMember, None),
            }
        }
        Candidates::Roll => {
            let (decision, ground) = grounds(engine, evaluation, dates, person, def, target.team);
            (
                matches!(decision, Decision::On(_)),
                decision.code(),
                ground.map(|g| evidence(engine, g)),
            )
        }
        Candidates::Statuses(statuses) => {
            let narrowed = RollDef {
                statuses: statuses.clone(),
                ..def.clone()
            };
            let (decision, ground) =
                grounds(engine, evaluation, dates, person, &narrowed, target.team);
            let code = match decision {
                Decision::On(_) => Code::CandidateHoldsStatus,
                Decision::Off(code) => code,
            };
            (
                matches!(decision, Decision::On(_)),
                code,
                ground.map(|g| evidence(engine, g)),
            )
        }
    }
}

/// A ground, in the words and places a candidate reads.
fn evidence(engine: &Engine<'_>, ground: Ground) -> CandidateEvidence {
    let election = engine.election();
    let locate = |origin| election.sources.locate(origin);
    let (at, contribution) = match ground {
        Ground::ExtraAtc(e) => {
            let entry = &election.governance.extra_atcs[e];
            return CandidateEvidence {
                kind: "extra-atc",
                what: election.governance.team(entry.team).name.clone(),
                at: Some(entry.expires_in.to_string()),
                repo: None,
                source: locate(entry.origin),
            };
        }
        Ground::Contribution(at, contribution) => (format_instant(at), contribution),
    };
    let activities = &election.activities;
    let (kind, what, repo, origin) = match contribution {
        Evidence::Change(c) => {
            let log = &election.changes;
            let change = &log.changes[c as usize];
            (
                "change",
                change.label(log).unwrap_or_else(|| locate(change.origin)),
                Some(log.symbols.resolve(change.repo).to_owned()),
                Some(change.origin),
            )
        }
        Evidence::Attendance(a) => (
            "meeting",
            contribution.describe(election),
            None,
            activities.attendance.get(a as usize).map(|x| x.origin),
        ),
        Evidence::Roster(r) => (
            "roster",
            contribution.describe(election),
            None,
            activities.roster.get(r as usize).map(|x| x.origin),
        ),
        Evidence::Metric(m) => (
            "auc-metric",
            contribution.describe(election),
            None,
            activities.metrics.get(m as usize).map(|x| x.origin),
        ),
    };
    CandidateEvidence {
        kind,
        what,
        at: Some(at),
        repo,
        source: origin.map(locate).unwrap_or_default(),
    }
}

/// One file of a candidates tree, checked.
#[derive(Debug, Clone, Serialize)]
pub struct TreeEntry {
    /// The file's path as the user sees it.
    pub path: String,
    /// The team directory it is in; `None` for a file outside any.
    pub team_dir: Option<String>,
    /// The roll the directory stands for, when it names one.
    pub roll: Option<String>,
    /// The candidate: the file's name.
    pub candidate: String,
    pub eligible: bool,
    pub code: Code,
    /// The roll's candidacy rule, when the directory names a roll.
    pub rule: Option<&'static str>,
    pub person: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub evidence: Option<CandidateEvidence>,
    /// What is wrong, in words, when the code alone does not say it all.
    pub reason: Option<String>,
}

/// Whether an election must be polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Poll {
    /// More eligible candidates than seats: ballots are needed.
    Poll,
    /// As many eligible candidates as seats or fewer, and at least one: no poll is needed.
    NoPoll,
    /// No eligible candidate: the TC appoints (leaderless).
    Leaderless,
}

/// One election of the tree: its eligible candidates against its seats.
#[derive(Debug, Clone, Serialize)]
pub struct TreeElection {
    pub roll: String,
    /// The project team, for a team's election.
    pub team: Option<String>,
    /// The tree's directory for it, when the tree has one.
    pub team_dir: Option<String>,
    /// The eligible candidates' addresses, sorted.
    pub candidates: Vec<String>,
    pub seats: u32,
    pub poll: Poll,
}

/// A candidates tree, checked: every file, and every election it makes.
#[derive(Debug, Clone, Serialize)]
pub struct TreeCheck {
    /// The release directory as given.
    pub dir: String,
    /// Every file, team directories in name order, then files outside them.
    pub files: Vec<TreeEntry>,
    /// The elections: election-wide rolls with a directory, and, when the tree has any
    /// team directory, every team that elects a leader, in policy and governance order.
    pub elections: Vec<TreeElection>,
    /// Files that are not an eligible candidacy.
    pub findings: usize,
}

/// What a team directory stands for.
enum DirRoll<'p> {
    Roll(Target<'p>),
    Unknown(String),
}

/// Check every file of a candidates tree: named by an address, in the directory of a team
/// or roll that holds an election, for a candidate the roll's candidacy rule accepts; and
/// tell, for each election, whether it needs a poll.
#[must_use]
pub fn check_tree(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    tree: &crate::model::CandidateTree,
) -> TreeCheck {
    use crate::model::{dir_key, is_plausible_email};
    let policy = engine.policy();
    let election = engine.election();
    let governance = &election.governance;
    let mut files = Vec::new();
    let mut eligible: Vec<(String, String)> = Vec::new();
    let mut seen_rolls: Vec<(String, String)> = Vec::new();
    let mut team_dirs = false;
    for dir in &tree.teams {
        let key = dir_key(&dir.name);
        let resolved = if let Some(def) = policy
            .rolls
            .iter()
            .find(|d| d.per == Per::Election && dir_key(&d.id) == key)
        {
            target(engine, Some(&def.id), None).map(DirRoll::Roll)
        } else if let Some((_, team)) = governance
            .project_teams()
            .find(|(_, t)| dir_key(&t.name) == key)
        {
            team_dirs = true;
            target(engine, None, Some(&team.name)).map(DirRoll::Roll)
        } else {
            let teams: Vec<&str> = governance
                .project_teams()
                .map(|(_, t)| t.name.as_str())
                .take(5)
                .collect();
            let rolls: Vec<&str> = policy
                .rolls
                .iter()
                .filter(|d| d.per == Per::Election)
                .map(|d| d.id.as_str())
                .collect();
            Ok(DirRoll::Unknown(format!(
                "directory \"{}\" names no project team and no election-wide roll, expected a team's name with underscores for spaces (such as {}) or a roll id ({})",
                dir.name,
                teams.join(", "),
                rolls.join(", ")
            )))
        };
        let resolved = resolved
            .unwrap_or_else(|err| DirRoll::Unknown(format!("directory \"{}\": {err}", dir.name)));
        if let DirRoll::Roll(t) = &resolved {
            seen_rolls.push((t.name.clone(), dir.name.clone()));
        }
        for file in &dir.files {
            let mut entry = TreeEntry {
                path: file.path.clone(),
                team_dir: Some(dir.name.clone()),
                roll: None,
                candidate: file.name.clone(),
                eligible: false,
                code: Code::CandidateUnknownTeam,
                rule: None,
                person: None,
                name: None,
                email: None,
                evidence: None,
                reason: None,
            };
            match &resolved {
                DirRoll::Unknown(message) => entry.reason = Some(message.clone()),
                DirRoll::Roll(t) => {
                    entry.roll = Some(t.name.clone());
                    entry.rule = Some(t.def.candidates.keyword());
                    if is_plausible_email(&file.name) {
                        let verdict = check(
                            engine,
                            evaluation,
                            dates,
                            t,
                            std::slice::from_ref(&file.name),
                        )
                        .into_iter()
                        .next();
                        if let Some(v) = verdict {
                            entry.eligible = v.eligible;
                            entry.code = v.code;
                            entry.person = v.person;
                            entry.name = v.name;
                            entry.email = v.email;
                            entry.evidence = v.evidence;
                            entry.reason = v.reason;
                        }
                        if entry.eligible {
                            eligible.push((t.name.clone(), file.name.clone()));
                        }
                    } else {
                        entry.code = Code::CandidateFileNotAddress;
                        entry.reason = Some(format!(
                            "{} is not an e-mail address, expected the candidate's address as the file name",
                            crate::model::excerpt(&file.name)
                        ));
                    }
                }
            }
            files.push(entry);
        }
    }
    for path in &tree.stray {
        files.push(TreeEntry {
            path: path.clone(),
            team_dir: None,
            roll: None,
            candidate: path
                .rsplit('/')
                .find(|s| !s.is_empty())
                .unwrap_or(path)
                .to_owned(),
            eligible: false,
            code: Code::CandidateFileMisplaced,
            rule: None,
            person: None,
            name: None,
            email: None,
            evidence: None,
            reason: Some(format!(
                "expected candidacy files in team directories, {}/<Team_Dir>/<email>",
                tree.dir
            )),
        });
    }
    let mut elections = Vec::new();
    for (def, name, team) in all_instances(policy, governance) {
        let team_dir = seen_rolls
            .iter()
            .find(|(roll, _)| *roll == name)
            .map(|(_, dir)| dir.clone());
        let in_scope = match team {
            None => team_dir.is_some(),
            Some(_) => team_dirs,
        };
        if !in_scope || def.candidates == Candidates::Nobody {
            continue;
        }
        let mut candidates: Vec<String> = eligible
            .iter()
            .filter(|(roll, _)| *roll == name)
            .map(|(_, address)| address.clone())
            .collect();
        candidates.sort();
        candidates.dedup();
        let seats = election.seats(&name, &def.id);
        let poll = match candidates.len() {
            0 => Poll::Leaderless,
            n if n <= seats as usize => Poll::NoPoll,
            _ => Poll::Poll,
        };
        elections.push(TreeElection {
            roll: name,
            team: team.map(|t| governance.team(t).name.clone()),
            team_dir,
            candidates,
            seats,
            poll,
        });
    }
    let findings = files.iter().filter(|f| !f.eligible).count();
    TreeCheck {
        dir: tree.dir.clone(),
        files,
        elections,
        findings,
    }
}
