//! `explain`: everything the inputs say about one person, and every decision about them,
//! resolved into what a person (or a script) reads: each change with how it fared against
//! each criterion and by how much it missed the window, the statuses earned and missed with
//! their evidence, and each roll with its decisive code.
//!
//! Finding the person accepts an address, a Gerrit account id, a username or a name; when
//! nothing matches, the closest names and addresses are suggested.

use serde::Serialize;

use crate::identity::{Link, PersonIdx, Record};
use crate::model::{
    Code, Dates, Election, Instant, Placement, TeamIdx, describe_duration, format_instant,
};
use crate::policy::{Disposition, Engine, Evaluation, Rule};
use crate::roll::{Decision, all_instances, decisive};

/// The whole story of one person.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The person's stable key.
    pub person: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub account_ids: Vec<u64>,
    pub usernames: Vec<String>,
    /// Every address of the person, folded.
    pub emails: Vec<String>,
    pub member_id: Option<String>,
    pub membership_checked: bool,
    /// Why several records are one person.
    pub merged_because: Vec<String>,
    pub extra_atcs: Vec<ExtraAtcListing>,
    pub changes: Vec<ChangeExplained>,
    /// Contributions other than changes: meetings attended, roster and metrics rows.
    pub activities: Vec<Activity>,
    pub statuses: Vec<StatusHeld>,
    pub not_earned: Vec<StatusMissed>,
    pub rolls: Vec<RollVerdict>,
}

/// Everybody a query matched, explained.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    /// The query as given.
    pub query: String,
    pub people: Vec<Explanation>,
}

/// An extra-ATC entry naming the person.
#[derive(Debug, Clone, Serialize)]
pub struct ExtraAtcListing {
    pub team: String,
    pub expires_in: String,
    pub listed_at: String,
}

/// A change the person owns or is credited on.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeExplained {
    /// Where it was read: `file:line` or `file: record N`.
    pub source: String,
    pub change: Option<String>,
    pub repo: String,
    pub branch: String,
    pub merged_at: Option<String>,
    /// `owner` or `credited`.
    pub role: &'static str,
    /// How it fared against each code-change criterion.
    pub decisions: Vec<ChangeDecision>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeDecision {
    pub criterion: String,
    pub code: Code,
    /// By how much it missed the window, or the status of a change that did not merge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A contribution that is not a change.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    /// `meeting`, `roster` or `auc-metric`.
    pub kind: &'static str,
    pub what: String,
    pub at: Option<String>,
    pub source: String,
}

/// A status the person holds, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct StatusHeld {
    pub status: String,
    pub criterion: String,
    pub team: Option<String>,
    pub qualifying_changes: u32,
    pub first_change: Option<String>,
    pub last_change: Option<String>,
    pub extra_atc_expires: Option<String>,
}

/// A status the person came close to and did not earn.
#[derive(Debug, Clone, Serialize)]
pub struct StatusMissed {
    pub criterion: String,
    pub code: Code,
    pub team: Option<String>,
    pub detail: String,
}

/// One roll's decision about the person.
#[derive(Debug, Clone, Serialize)]
pub struct RollVerdict {
    pub roll: String,
    pub on_roll: bool,
    pub code: Code,
    /// Whether the roll is one team's (most people have no status in most teams, so team
    /// rolls without one are summarised rather than listed).
    #[serde(skip)]
    pub team_roll: bool,
}

impl Explanation {
    /// Every election-wide roll, and the team rolls the person is on or kept off despite a
    /// status; team rolls they have no status for are many and dull, so only counted.
    #[must_use]
    pub fn notable_rolls(&self) -> (Vec<&RollVerdict>, usize) {
        let mut shown = Vec::new();
        let mut dull = 0;
        for verdict in &self.rolls {
            if verdict.team_roll && verdict.code == Code::ExcludedNoStatus {
                dull += 1;
            } else {
                shown.push(verdict);
            }
        }
        (shown, dull)
    }
}

/// Who `who` can mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Everybody `who` names exactly, or the one person it names a part of.
    Found(Vec<PersonIdx>),
    /// Nobody exactly, and several people by a part of their name, username or address:
    /// the candidates, to choose from.
    Several(Vec<PersonIdx>),
    /// Nobody; the closest known names, addresses and usernames, best first.
    NotFound(Vec<String>),
}

/// Find people by address, account id, username or name (case-insensitive); failing that,
/// by a part of a name, username or address ("Zofia", "farouk"), which must be one
/// person's to count as found.
#[must_use]
pub fn find(engine: &Engine<'_>, who: &str) -> Lookup {
    let people = engine.people();
    let who = who.trim();
    let needle = who.to_lowercase();
    let mut found: Vec<PersonIdx> = Vec::new();
    if let Some(p) = people.by_email(who) {
        found.push(p);
    }
    let as_id = who.trim_start_matches("gerrit:").parse::<u64>().ok();
    for (idx, person) in people.iter() {
        let matches = as_id.is_some_and(|id| person.account_ids.contains(&id))
            || person.usernames.iter().any(|u| u.to_lowercase() == needle)
            || person
                .name
                .as_ref()
                .is_some_and(|n| n.to_lowercase() == needle)
            || person.key == who;
        if matches {
            found.push(idx);
        }
    }
    if !found.is_empty() {
        found.sort_unstable();
        found.dedup();
        return Lookup::Found(found);
    }
    if !needle.is_empty() {
        let part = |text: &String| text.to_lowercase().contains(&needle);
        let partial: Vec<PersonIdx> = people
            .iter()
            .filter(|(_, person)| {
                person.name.as_ref().is_some_and(part)
                    || person.usernames.iter().any(part)
                    || person.emails.iter().any(part)
            })
            .map(|(idx, _)| idx)
            .collect();
        match partial.len() {
            0 => {}
            1 => return Lookup::Found(partial),
            _ => return Lookup::Several(partial),
        }
    }
    let names = people.iter().flat_map(|(_, person)| {
        person
            .name
            .iter()
            .chain(person.usernames.iter())
            .chain(person.emails.iter())
            .map(String::as_str)
    });
    Lookup::NotFound(
        crate::suggest::similar(who, names, 5)
            .into_iter()
            .map(str::to_owned)
            .collect(),
    )
}

fn placement_detail(placement: Option<Placement>) -> Option<String> {
    match placement {
        Some(Placement::Before(delta)) => Some(format!(
            "{} before the window start",
            describe_duration(delta)
        )),
        Some(Placement::After(delta)) if delta.is_zero() => {
            Some("exactly at the window end, which is outside".to_owned())
        }
        Some(Placement::After(delta)) => {
            Some(format!("{} after the window end", describe_duration(delta)))
        }
        _ => None,
    }
}

/// Explain one person at the given dates.
#[must_use]
pub fn explain(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    person: PersonIdx,
) -> Explanation {
    let election = engine.election();
    let people = engine.people();
    let profile = people.person(person);
    let log = &election.changes;
    let criteria = engine.criteria();
    let team_name = |t: Option<TeamIdx>| t.map(|t| election.governance.team(t).name.clone());
    let code_criteria: Vec<usize> = criteria
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.rule, Rule::CodeChange(_)))
        .map(|(i, _)| i)
        .collect();
    let changes = people
        .changes_of(person)
        .map(|index| {
            let change = &log.changes[index as usize];
            let decision = |(ci, d): (usize, Disposition)| ChangeDecision {
                criterion: criteria[ci].id.to_owned(),
                code: d.code,
                detail: placement_detail(d.placement).or_else(|| {
                    (d.code == Code::ChangeNotMerged)
                        .then(|| {
                            change
                                .status
                                .map(|s| format!("status {}", log.symbols.resolve(s)))
                        })
                        .flatten()
                }),
            };
            ChangeExplained {
                source: election.sources.locate(change.origin),
                change: change.label(log),
                repo: log.symbols.resolve(change.repo).to_owned(),
                branch: log.symbols.resolve(change.branch).to_owned(),
                merged_at: change.merged_at.map(format_instant),
                role: if people.of_account(change.owner) == person {
                    "owner"
                } else {
                    "credited"
                },
                decisions: code_criteria
                    .iter()
                    .map(|&ci| decision((ci, engine.classify(index, ci, person, dates))))
                    .collect(),
            }
        })
        .collect();
    let evidence = |at: Option<(Instant, crate::policy::Evidence)>| {
        at.map(|(t, e)| format!("{} {}", format_instant(t), e.describe(election)))
    };
    let statuses = evaluation
        .of(person)
        .iter()
        .map(|g| StatusHeld {
            status: engine.policy().statuses[g.status].id.clone(),
            criterion: criteria[g.criterion].id.to_owned(),
            team: team_name(g.team),
            qualifying_changes: g.count,
            first_change: evidence(g.first),
            last_change: evidence(g.last),
            extra_atc_expires: g
                .extra_atc
                .and_then(|e| election.governance.extra_atcs.get(e))
                .map(|e| e.expires_in.to_string()),
        })
        .collect();
    let not_earned = evaluation
        .misses_of(person)
        .iter()
        .map(|m| {
            let criterion = &criteria[m.criterion];
            let detail = match m
                .extra_atc
                .and_then(|e| election.governance.extra_atcs.get(e))
            {
                Some(extra) => {
                    let checked = match criterion.rule {
                        Rule::ExtraAtc(rule) => engine.expiry_checked_at(rule.expiry, dates),
                        _ => None,
                    };
                    match checked {
                        Some(at) => format!(
                            "expires in {}: not valid from {}, checked at {}",
                            extra.expires_in,
                            format_instant(extra.expires_in.first_instant()),
                            format_instant(at)
                        ),
                        None => format!("listed at {}", election.sources.locate(extra.origin)),
                    }
                }
                None => m.detail.clone().unwrap_or_else(|| {
                    format!(
                        "{} qualifying contribution{} counted",
                        m.count,
                        if m.count == 1 { "" } else { "s" }
                    )
                }),
            };
            StatusMissed {
                criterion: criterion.id.to_owned(),
                code: m.code,
                team: team_name(m.team),
                detail,
            }
        })
        .collect();
    let rolls = all_instances(engine.policy(), &election.governance)
        .map(|(def, name, team)| {
            let decision = decisive(engine, evaluation, dates, person, def, team);
            RollVerdict {
                roll: name,
                on_roll: matches!(decision, Decision::On(_)),
                code: decision.code(),
                team_roll: team.is_some(),
            }
        })
        .collect();
    Explanation {
        person: profile.key.clone(),
        name: profile.name.clone(),
        email: profile.email.clone(),
        account_ids: profile.account_ids.clone(),
        usernames: profile.usernames.clone(),
        emails: profile.emails.clone(),
        member_id: profile
            .member
            .and_then(|m| election.members.as_ref().and_then(|ms| ms.members.get(m)))
            .map(|m| m.id.clone()),
        membership_checked: election.members.is_some(),
        merged_because: merged_because(election, &profile.links),
        extra_atcs: profile
            .records
            .iter()
            .filter_map(|r| match r {
                Record::ExtraAtc(e) => election.governance.extra_atcs.get(*e),
                _ => None,
            })
            .map(|e| ExtraAtcListing {
                team: election.governance.team(e.team).name.clone(),
                expires_in: e.expires_in.to_string(),
                listed_at: election.sources.locate(e.origin),
            })
            .collect(),
        changes,
        activities: activities_of(election, &profile.records),
        statuses,
        not_earned,
        rolls,
    }
}

/// How to name a record to a person.
fn record_name(election: &Election, record: &Record) -> String {
    let log = &election.changes;
    let locate = |origin| election.sources.locate(origin);
    match *record {
        Record::Account(a) => {
            let account = &log.accounts[a.index()];
            match account.gerrit_id {
                Some(id) => format!("account {id}"),
                None => format!(
                    "account {}",
                    account
                        .emails
                        .first()
                        .map_or("?", |e| log.symbols.resolve(*e))
                ),
            }
        }
        Record::ExtraAtc(e) => format!(
            "extra-ATC entry at {}",
            locate(election.governance.extra_atcs[e].origin)
        ),
        Record::Member(m) => format!(
            "member {}",
            election
                .members
                .as_ref()
                .and_then(|ms| ms.members.get(m))
                .map_or("?", |m| m.id.as_str())
        ),
        Record::Declared(d) => format!(
            "the identity file entry at {}",
            election
                .declared
                .get(d)
                .map_or_else(String::new, |p| locate(p.origin))
        ),
        Record::Nick(n) => format!(
            "IRC nick {}",
            election.activities.nicks.get(n).map_or("?", String::as_str)
        ),
        Record::Roster(r) => format!(
            "roster row {}",
            election
                .activities
                .roster
                .get(r)
                .map_or_else(String::new, |e| locate(e.origin))
        ),
        Record::Metric(m) => format!(
            "AUC metrics row {}",
            election
                .activities
                .metrics
                .get(m)
                .map_or_else(String::new, |e| locate(e.origin))
        ),
    }
}

/// Why the records are one person. A member record joined to one account says nothing
/// worth a line (membership is shown on its own); a member record joining several records
/// is why they are one person.
fn merged_because(election: &Election, links: &[(Record, Record, Link)]) -> Vec<String> {
    let mut reasons: Vec<String> = Vec::new();
    let mut via_member: Vec<(&String, Vec<&Record>)> = Vec::new();
    for (a, b, link) in links {
        match link {
            Link::SharedEmail(key) | Link::SharedHandle(key) => {
                reasons.push(format!(
                    "{} and {} share {key}",
                    record_name(election, a),
                    record_name(election, b)
                ));
            }
            Link::SameMember(id) => {
                let other = if matches!(a, Record::Member(_)) { b } else { a };
                match via_member.iter_mut().find(|(m, _)| *m == id) {
                    Some((_, others)) => others.push(other),
                    None => via_member.push((id, vec![other])),
                }
            }
        }
    }
    for (id, others) in via_member {
        if others.len() > 1 {
            let names: Vec<String> = others
                .into_iter()
                .map(|r| record_name(election, r))
                .collect();
            reasons.push(format!(
                "{} all have addresses of member {id}",
                names.join(", ")
            ));
        }
    }
    reasons
}

/// Meetings attended, roster rows and metrics rows behind a person's records, by time.
fn activities_of(election: &Election, records: &[Record]) -> Vec<Activity> {
    let a = &election.activities;
    let locate = |origin| election.sources.locate(origin);
    let mut out: Vec<(Option<Instant>, Activity)> = Vec::new();
    for record in records {
        match *record {
            Record::Nick(n) => {
                for attendance in a.attendance.iter().filter(|x| x.nick as usize == n) {
                    let Some(meeting) = a.meetings.get(attendance.meeting as usize) else {
                        continue;
                    };
                    out.push((
                        Some(meeting.at),
                        Activity {
                            kind: "meeting",
                            what: format!(
                                "{} as {}, {} lines said",
                                meeting.series,
                                a.nicks.get(n).map_or("?", String::as_str),
                                attendance.lines
                            ),
                            at: Some(format_instant(meeting.at)),
                            source: locate(attendance.origin),
                        },
                    ));
                }
            }
            Record::Roster(r) => {
                if let Some(entry) = a.roster.get(r) {
                    let evidence = entry
                        .evidence
                        .as_deref()
                        .map(|e| format!(": {e}"))
                        .unwrap_or_default();
                    out.push((
                        Some(entry.at),
                        Activity {
                            kind: "roster",
                            what: format!("{}{evidence}", entry.role),
                            at: Some(format_instant(entry.at)),
                            source: locate(entry.origin),
                        },
                    ));
                }
            }
            Record::Metric(m) => {
                if let Some(entry) = a.metrics.get(m) {
                    let expires = entry
                        .expires
                        .map(|e| format!(", expires {}", format_instant(e)))
                        .unwrap_or_default();
                    out.push((
                        entry.expires,
                        Activity {
                            kind: "auc-metric",
                            what: format!("{} {}{expires}", entry.identifier, entry.value),
                            at: None,
                            source: locate(entry.origin),
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.source.cmp(&b.1.source)));
    out.into_iter().map(|(_, activity)| activity).collect()
}
