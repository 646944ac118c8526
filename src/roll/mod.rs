//! Rolls: who votes in which election, and why. A roll is made of the statuses its policy
//! definition names; per-team rolls take only statuses earned in that team. The same
//! decision function builds the rolls and answers `explain`, `compare` and `candidacy`, so
//! an explanation can never disagree with the roll it explains.
//!
//! Everything a report shows is decided here: the voters with their evidence, who was left
//! off and why, how every change was accounted for, which team rolls were not built.

pub mod candidacy;
pub mod compare;
pub mod diff;
pub mod explain;
pub mod lint;
pub mod review;

use crate::identity::{People, PersonIdx};
use crate::model::{
    Code, Compat, Dates, Election, Governance, Instant, Month, Problem, Team, TeamIdx,
};
use crate::policy::{
    ChangeCounts, DEFAULT_LEADERSHIP, Engine, Evaluation, Evidence, Grant, Per, Policy, RollDef,
    Rule, Scope,
};

/// One person on a roll, with the evidence the roll's CSV shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voter {
    pub person: PersonIdx,
    pub email: String,
    /// Indices of the statuses held that this roll accepts, sorted.
    pub statuses: Vec<usize>,
    /// Indices of the criteria that earned them, sorted.
    pub criteria: Vec<usize>,
    /// Qualifying contributions counted for this roll (in the team, for a team roll).
    pub contributions: u32,
    pub first: Option<(Instant, Evidence)>,
    pub last: Option<(Instant, Evidence)>,
    /// The latest expiry among the extra-ATC entries that put the person on this roll.
    pub extra_atc_expires: Option<Month>,
}

/// Someone with a qualifying status who is left off a roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub person: PersonIdx,
    pub code: Code,
    /// What would have put them on, for those an official can put back by fixing an input
    /// (no usable address): the roll's `.csv` lists them with the reason.
    pub held: Option<Voter>,
}

#[derive(Debug, Clone)]
pub struct Roll {
    /// `tc`, `ptl-nova`, `stable-branch-maintenance`, ...
    pub name: String,
    /// Index into the policy's rolls.
    pub def: usize,
    pub team: Option<TeamIdx>,
    /// Sorted by the bytes of their addresses; addresses are unique.
    pub voters: Vec<Voter>,
    /// Sorted by person.
    pub excluded: Vec<Exclusion>,
}

impl Roll {
    #[must_use]
    pub fn excluded_with(&self, code: Code) -> usize {
        self.excluded.iter().filter(|e| e.code == code).count()
    }
}

/// The extra-ATC entries of the governance files, accounted for.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExtraAtcCounts {
    pub listed: usize,
    pub valid: usize,
    pub expired: usize,
    /// Left unread, as the reference tooling leaves them (compatibility mode only).
    #[serde(skip_serializing_if = "is_zero")]
    pub ignored_compat: usize,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Every roll of an election, with what the run established on the way: how each change
/// was accounted for, the extra-ATC entries, the team rolls not built.
#[derive(Debug, Clone)]
pub struct Rolls<'a> {
    pub policy: &'a Policy,
    pub election: &'a Election,
    pub people: &'a People,
    pub dates: Dates,
    pub compat: Compat,
    pub rolls: Vec<Roll>,
    /// Team rolls the policy does not build for their team's kind of leadership.
    pub not_built: Vec<NotBuilt>,
    pub changes: ChangeCounts,
    pub extra_atcs: ExtraAtcCounts,
    pub membership_checked: bool,
    /// Each criterion's id, by criterion index.
    pub criteria: Vec<&'a str>,
}

/// The outcome of one person against one roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    On(Voter),
    Off(Code),
}

impl Decision {
    /// The decisive code: `on-roll`, or why not.
    #[must_use]
    pub fn code(&self) -> Code {
        match self {
            Self::On(_) => Code::OnRoll,
            Self::Off(code) => *code,
        }
    }
}

/// The name of one instance of a roll definition: its id, or `<id>-<team slug>` for a
/// team's roll. Every roll file and every message names rolls this way.
#[must_use]
pub fn instance_name(def: &RollDef, team: Option<&Team>) -> String {
    match team {
        Some(team) => format!("{}-{}", def.id, team.slug),
        None => def.id.clone(),
    }
}

/// The grants of `grants` (one person's) that count for a roll.
fn counting<'g>(
    policy: &Policy,
    def: &RollDef,
    team: Option<TeamIdx>,
    grants: &'g [Grant],
) -> impl Iterator<Item = &'g Grant> {
    let statuses = &policy.statuses;
    grants.iter().filter(move |g| {
        def.statuses.contains(&g.status)
            && match team {
                None => true,
                Some(t) => statuses[g.status].scope == Scope::Team && g.team == Some(t),
            }
    })
}

/// Decide one person against one roll, given that person's grants.
#[must_use]
pub fn decide(
    engine: &Engine<'_>,
    person: PersonIdx,
    def: &RollDef,
    team: Option<TeamIdx>,
    grants: &[Grant],
) -> Decision {
    match weigh(engine, person, def, team, grants) {
        Weighed::On(voter) => Decision::On(voter),
        Weighed::Off(code) | Weighed::Held(code, _) => Decision::Off(code),
    }
}

/// [`decide`], keeping what would have put a person on the roll when only an input they
/// can fix keeps them off.
enum Weighed {
    On(Voter),
    Off(Code),
    Held(Code, Voter),
}

fn weigh(
    engine: &Engine<'_>,
    person: PersonIdx,
    def: &RollDef,
    team: Option<TeamIdx>,
    grants: &[Grant],
) -> Weighed {
    let mut voter = Voter {
        person,
        email: String::new(),
        statuses: Vec::new(),
        criteria: Vec::new(),
        contributions: 0,
        first: None,
        last: None,
        extra_atc_expires: None,
    };
    let extra_atcs = &engine.election().governance.extra_atcs;
    for grant in counting(engine.policy(), def, team, grants) {
        voter.statuses.push(grant.status);
        voter.criteria.push(grant.criterion);
        voter.contributions += grant.count;
        if let Some(first) = grant.first {
            voter.first = Some(voter.first.map_or(first, |f| f.min(first)));
        }
        if let Some(last) = grant.last {
            voter.last = Some(voter.last.map_or(last, |l| l.max(last)));
        }
        if let Some(month) = grant
            .extra_atc
            .and_then(|e| extra_atcs.get(e))
            .map(|e| e.expires_in)
        {
            voter.extra_atc_expires = Some(voter.extra_atc_expires.map_or(month, |m| m.max(month)));
        }
    }
    if voter.statuses.is_empty() {
        return Weighed::Off(Code::ExcludedNoStatus);
    }
    voter.statuses.sort_unstable();
    voter.statuses.dedup();
    voter.criteria.sort_unstable();
    voter.criteria.dedup();
    match off_roll(engine, person, def) {
        Some(Code::ExcludedNoEmail) => Weighed::Held(Code::ExcludedNoEmail, voter),
        Some(code) => Weighed::Off(code),
        None => {
            if let Some(email) = &engine.people().person(person).email {
                voter.email.clone_from(email);
            }
            Weighed::On(voter)
        }
    }
}

/// Why a person who holds a status for the roll is still kept off it, if they are.
fn off_roll(engine: &Engine<'_>, person: PersonIdx, def: &RollDef) -> Option<Code> {
    let profile = engine.people().person(person);
    if engine.compat().require_full_name && profile.name.is_none() {
        return Some(Code::ExcludedNoFullName);
    }
    if profile.email.is_none() {
        return Some(Code::ExcludedNoEmail);
    }
    if def.members_only && membership_checked(engine) && profile.member.is_none() {
        return Some(Code::ExcludedNotMember);
    }
    None
}

/// Whether rolls are checked against a membership list: one is given, and the rules check
/// it (the reference tooling did not before August 2017).
fn membership_checked(engine: &Engine<'_>) -> bool {
    engine.election().members.is_some() && engine.compat().check_membership
}

/// [`decide`], and when the person holds no status for the roll, the nearest reason why:
/// a status missed (an expired extra-ATC, a threshold not met), else what kept their
/// latest change from counting (outside the window, not governed, ...). Rolls use
/// [`decide`]; explanations, comparisons and candidacies use this.
#[must_use]
pub fn decisive(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    person: PersonIdx,
    def: &RollDef,
    team: Option<TeamIdx>,
) -> Decision {
    grounds(engine, evaluation, dates, person, def, team).0
}

/// What a decision about a person and a roll rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    /// A contribution: the latest that counted, or the latest that did not (and the
    /// decision's code says why).
    Contribution(Instant, Evidence),
    /// An extra-ATC entry, by its index in the governance list: the one that counted, or
    /// the one that expired.
    ExtraAtc(usize),
}

/// [`decisive`], with what the decision rests on when there is one thing to point at.
#[must_use]
pub fn grounds(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    person: PersonIdx,
    def: &RollDef,
    team: Option<TeamIdx>,
) -> (Decision, Option<Ground>) {
    let grants = evaluation.of(person);
    let decision = decide(engine, person, def, team, grants);
    if decision != Decision::Off(Code::ExcludedNoStatus) {
        // The latest contribution that counted, else the extra-ATC entry that did.
        let counted: Vec<&Grant> = counting(engine.policy(), def, team, grants).collect();
        let ground = counted
            .iter()
            .filter_map(|g| g.last)
            .max()
            .map(|(at, evidence)| Ground::Contribution(at, evidence))
            .or_else(|| {
                counted
                    .iter()
                    .find_map(|g| g.extra_atc)
                    .map(Ground::ExtraAtc)
            });
        return (decision, ground);
    }
    let criteria = engine.criteria();
    let in_roll = |criterion: usize| def.statuses.contains(&criteria[criterion].status);
    if let Some(miss) = evaluation
        .misses_of(person)
        .iter()
        .find(|m| in_roll(m.criterion) && (team.is_none() || m.team.is_none() || m.team == team))
    {
        return (
            Decision::Off(miss.code),
            miss.extra_atc.map(Ground::ExtraAtc),
        );
    }
    let code_criteria: Vec<usize> = (0..criteria.len())
        .filter(|&c| in_roll(c) && matches!(criteria[c].rule, Rule::CodeChange(_)))
        .collect();
    let changes = &engine.election().changes.changes;
    let mut latest: Option<(Option<Instant>, Code, u32)> = None;
    for change in engine.people().changes_of(person) {
        if team.is_some() && engine.change_team(change) != team {
            continue;
        }
        let at = changes[change as usize].merged_at;
        for &criterion in &code_criteria {
            let code = engine.classify(change, criterion, person, dates).code;
            if code != Code::ChangeQualifies && latest.is_none_or(|(when, _, _)| at > when) {
                latest = Some((at, code, change));
            }
        }
    }
    match latest {
        Some((at, code, change)) => (
            Decision::Off(code),
            at.map(|at| Ground::Contribution(at, Evidence::Change(change))),
        ),
        None => (decision, None),
    }
}

/// Whether [`decide`] would put the person on the roll, without building the voter: the
/// over-time comparison asks this millions of times.
fn eligible(
    engine: &Engine<'_>,
    person: PersonIdx,
    def: &RollDef,
    team: Option<TeamIdx>,
    grants: &[Grant],
) -> bool {
    counting(engine.policy(), def, team, grants)
        .next()
        .is_some()
        && off_roll(engine, person, def).is_none()
}

/// The number of voters of each roll whose name `keep` accepts, as [`build_selected`]
/// would count them, in roll order.
#[must_use]
pub fn sizes_selected(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    keep: &dyn Fn(&str) -> bool,
) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for def in &engine.policy().rolls {
        for (name, team) in instances(&engine.election().governance, def) {
            if !keep(&name) {
                continue;
            }
            let mut voters = 0;
            let grants = &evaluation.grants;
            let mut start = 0;
            while start < grants.len() {
                let person = grants[start].person;
                let end = start + grants[start..].partition_point(|g| g.person == person);
                if eligible(engine, person, def, team, &grants[start..end]) {
                    voters += 1;
                }
                start = end;
            }
            out.push((name, voters));
        }
    }
    out
}

/// The rolls one policy roll definition expands to: `(name, team)`.
#[must_use]
pub fn instances(governance: &Governance, def: &RollDef) -> Vec<(String, Option<TeamIdx>)> {
    match def.per {
        Per::Election => vec![(instance_name(def, None), None)],
        Per::Team => governance
            .project_teams()
            .filter(|(_, team)| led_as_required(def, team).is_ok())
            .map(|(idx, team)| (instance_name(def, Some(team)), Some(idx)))
            .collect(),
    }
}

/// Every roll instance of a policy, with its definition: `(definition, name, team)`.
pub fn all_instances<'p>(
    policy: &'p Policy,
    governance: &Governance,
) -> impl Iterator<Item = (&'p RollDef, String, Option<TeamIdx>)> {
    policy.rolls.iter().flat_map(move |def| {
        instances(governance, def)
            .into_iter()
            .map(move |(name, team)| (def, name, team))
    })
}

/// Rolls whose names would be one file name: two teams whose names slug alike (`Nova` and
/// `NOVA`), or a team roll and a policy roll of the same name. Each is an error located at
/// the team that makes the second name; no roll can be written while there is one.
#[must_use]
pub fn name_collisions(policy: &Policy, election: &Election) -> Vec<Problem> {
    team_name_collisions(policy, &election.governance, &election.sources)
}

/// [`name_collisions`] for governance files read on their own.
#[must_use]
pub fn team_name_collisions(
    policy: &Policy,
    governance: &Governance,
    sources: &crate::model::Sources,
) -> Vec<Problem> {
    let mut seen: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    for def in &policy.rolls {
        let named: Vec<(String, Option<&Team>)> = match def.per {
            Per::Election => vec![(instance_name(def, None), None)],
            Per::Team => governance
                .project_teams()
                .filter(|(_, team)| led_as_required(def, team).is_ok())
                .map(|(_, team)| (instance_name(def, Some(team)), Some(team)))
                .collect(),
        };
        for (name, team) in named {
            let what = match team {
                Some(team) => format!("team \"{}\" ({})", team.name, sources.locate(team.origin)),
                None => format!("policy roll \"{}\"", def.id),
            };
            match seen.get(&name.to_lowercase()) {
                Some(first) => {
                    let message = format!(
                        "{what} makes roll {name}, and so does {first}: two rolls cannot share a file name\nhint: rename one of the teams, or give the policy's roll another id"
                    );
                    problems.push(match team {
                        Some(team) => Problem::error(
                            Code::RollNameCollision,
                            sources.name(team.origin.file),
                            message,
                        )
                        .at_line(u64::from(team.origin.position))
                        .at_column(u64::from(team.column)),
                        None => Problem::error(
                            Code::RollNameCollision,
                            format!("policy {}", policy.name),
                            message,
                        ),
                    });
                }
                None => {
                    seen.insert(name.to_lowercase(), what);
                }
            }
        }
    }
    problems
}

/// A per-team roll left unbuilt because of how its team is led.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NotBuilt {
    pub name: String,
    pub team: String,
    /// The team's `leadership_type`.
    pub leadership: String,
    pub reason: String,
}

/// The team rolls of `def` that are not built: teams whose `leadership_type` the roll
/// does not take (distributed-leadership teams elect no PTL).
#[must_use]
pub fn not_built(governance: &Governance, def: &RollDef) -> Vec<NotBuilt> {
    if def.per != Per::Team {
        return Vec::new();
    }
    governance
        .project_teams()
        .filter_map(|(_, team)| {
            let led = led_as_required(def, team).err()?;
            Some(NotBuilt {
                name: instance_name(def, Some(team)),
                team: team.name.clone(),
                leadership: led.to_owned(),
                reason: format!(
                    "the team's leadership_type is {led:?}; roll \"{}\" is built for teams led by {}",
                    def.id,
                    def.leadership.as_deref().unwrap_or_default().join(" or ")
                ),
            })
        })
        .collect()
}

/// Ok when `def` is built for `team`, else the team's leadership type (compared without
/// regard to case).
fn led_as_required<'t>(def: &RollDef, team: &'t Team) -> Result<(), &'t str> {
    let led = team.leadership.as_deref().unwrap_or(DEFAULT_LEADERSHIP);
    match &def.leadership {
        Some(kinds) if !kinds.iter().any(|kind| kind.eq_ignore_ascii_case(led)) => Err(led),
        _ => Ok(()),
    }
}

/// Build every roll of the policy from an evaluation at `dates`, with the accounting a
/// manifest shows.
#[must_use]
pub fn build<'a>(engine: &Engine<'a>, evaluation: &Evaluation, dates: &Dates) -> Rolls<'a> {
    let rolls = build_selected(engine, evaluation, &|_| true);
    let election = engine.election();
    let extra_atcs = ExtraAtcCounts {
        listed: election.governance.extra_atcs.len(),
        valid: evaluation
            .grants
            .iter()
            .filter(|g| g.extra_atc.is_some())
            .count(),
        expired: evaluation
            .misses
            .iter()
            .filter(|m| m.code == Code::ExtraAtcExpired)
            .count(),
        ignored_compat: evaluation
            .misses
            .iter()
            .filter(|m| m.code == Code::ExtraAtcIgnored)
            .count(),
    };
    let policy = engine.policy();
    Rolls {
        policy,
        election,
        people: engine.people(),
        dates: *dates,
        compat: engine.compat(),
        rolls,
        not_built: policy
            .rolls
            .iter()
            .flat_map(|def| not_built(&election.governance, def))
            .collect(),
        changes: engine.count_changes(dates),
        extra_atcs,
        membership_checked: membership_checked(engine),
        criteria: engine.criteria().iter().map(|c| c.id).collect(),
    }
}

/// Build the rolls whose names `keep` accepts (comparisons over time want a few rolls at
/// many dates, not five hundred team rolls at each).
#[must_use]
pub fn build_selected(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    keep: &dyn Fn(&str) -> bool,
) -> Vec<Roll> {
    let policy = engine.policy();
    let governance = &engine.election().governance;
    let mut rolls = Vec::new();
    for (d, def) in policy.rolls.iter().enumerate() {
        for (name, team) in instances(governance, def) {
            if !keep(&name) {
                continue;
            }
            rolls.push(Roll {
                name,
                def: d,
                team,
                voters: Vec::new(),
                excluded: Vec::new(),
            });
        }
    }
    // Map (definition, team) to the roll's position, so each person's grants are read once.
    let mut team_roll: Vec<Vec<Option<usize>>> = vec![Vec::new(); policy.rolls.len()];
    let team_count = governance.teams.len();
    let mut election_roll: Vec<Option<usize>> = vec![None; policy.rolls.len()];
    for (i, roll) in rolls.iter().enumerate() {
        match roll.team {
            None => election_roll[roll.def] = Some(i),
            Some(t) => {
                let slots = &mut team_roll[roll.def];
                if slots.is_empty() {
                    slots.resize(team_count, None);
                }
                slots[t.index()] = Some(i);
            }
        }
    }
    let grants = &evaluation.grants;
    let mut start = 0;
    let mut teams_seen: Vec<TeamIdx> = Vec::new();
    while start < grants.len() {
        let person = grants[start].person;
        let end = start + grants[start..].partition_point(|g| g.person == person);
        let mine = &grants[start..end];
        for (d, def) in policy.rolls.iter().enumerate() {
            match def.per {
                Per::Election => {
                    if let Some(i) = election_roll[d] {
                        place(
                            &mut rolls[i],
                            weigh(engine, person, def, None, mine),
                            person,
                        );
                    }
                }
                Per::Team => {
                    teams_seen.clear();
                    teams_seen.extend(counting(policy, def, None, mine).filter_map(|g| g.team));
                    teams_seen.sort_unstable();
                    teams_seen.dedup();
                    for &team in &teams_seen {
                        if let Some(i) = team_roll[d].get(team.index()).copied().flatten() {
                            place(
                                &mut rolls[i],
                                weigh(engine, person, def, Some(team), mine),
                                person,
                            );
                        }
                    }
                }
            }
        }
        start = end;
    }
    for roll in &mut rolls {
        // Addresses are unique by construction: people who share a folded address are one
        // person, so sorting alone gives the byte-sorted, unique list the contract asks for.
        roll.voters
            .sort_unstable_by(|a, b| a.email.as_bytes().cmp(b.email.as_bytes()));
    }
    rolls
}

fn place(roll: &mut Roll, decision: Weighed, person: PersonIdx) {
    match decision {
        Weighed::On(voter) => roll.voters.push(voter),
        Weighed::Off(Code::ExcludedNoStatus) => {}
        Weighed::Off(code) => roll.excluded.push(Exclusion {
            person,
            code,
            held: None,
        }),
        Weighed::Held(code, voter) => roll.excluded.push(Exclusion {
            person,
            code,
            held: Some(voter),
        }),
    }
}
