//! The policy engine. Given contributions, governance, the membership list and a policy,
//! it works out who is who, which contributions each criterion could ever count, and then,
//! for any election dates, who holds which status with what evidence.
//!
//! The work is split so that dates are cheap: [`Engine::new`] does everything that does
//! not depend on the dates (identity, repository and branch selection, crediting) and
//! keeps, per criterion, the credited contributions sorted by person, team and time;
//! [`Engine::evaluate`] then answers for one set of dates with binary searches. Comparing
//! a policy at 36 dates costs one preparation and 36 cheap evaluations.

use std::collections::BTreeMap;
use std::rc::Rc;

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::identity::{self, Claim, EmailFolding, People, PersonIdx, Record};
use crate::ingest::activity::Activities;
use crate::ingest::changes::{AccountIdx, Change, ChangeLog, CreditRole};
use crate::ingest::declarations::Declared;
use crate::ingest::governance::{Governance, TeamIdx, TeamKind};
use crate::ingest::inputs::Bundle;
use crate::ingest::members::Members;
use crate::model::{Instant, Month, Placement, Window};
use crate::policy::codes::{self, Code};
use crate::policy::{
    BranchSelector, CodeChangeRule, CreditRule, ExpiryCheck, MeetingAggregate, MeetingRule,
    MetricRule, Policy, RepoSelector, RosterRule, Rule, WindowRule,
};
use crate::symbols::Sym;

/// The election's dates: everything time-dependent is decided against these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub window: Window,
    pub as_of: Instant,
}

impl Dates {
    /// The window a criterion uses.
    #[must_use]
    pub fn window_for(&self, rule: WindowRule) -> Window {
        match rule {
            WindowRule::Election => self.window,
            WindowRule::Trailing { days } => Window::trailing(self.as_of, days),
        }
    }
}

/// Reproduce the reference tooling's known behaviour, to audit a past roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compat {
    #[default]
    None,
    /// `openstack/election` owners.py as published: addresses folded by domain only; the
    /// first change of a newly found duplicate account dropped; no merging through the
    /// membership list; extra-ATC expiry never checked; extra-ACs on TC repositories
    /// ignored; accounts without a full name left off.
    Reference,
}

/// The inputs the engine reads.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub log: &'a ChangeLog,
    pub governance: &'a Governance,
    pub members: Option<&'a Members>,
    pub activities: &'a Activities,
    pub declared: &'a [Declared],
}

impl<'a> Inputs<'a> {
    /// Everything a bundle read.
    #[must_use]
    pub fn of(bundle: &'a Bundle) -> Self {
        Self {
            log: &bundle.log,
            governance: &bundle.governance,
            members: bundle.members.as_ref(),
            activities: &bundle.activities,
            declared: &bundle.declared,
        }
    }
}

/// What a grant rests on: a change, a meeting attended, a roster row or a metrics row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    Change(u32),
    Attendance(u32),
    Roster(u32),
    Metric(u32),
}

/// What the governance files say about a repository, precomputed per symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RepoInfo {
    Unlisted,
    Listed {
        team: TeamIdx,
        retired_on: Option<NaiveDate>,
    },
}

/// A contribution a criterion credits to a person, before any date is applied.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    person: PersonIdx,
    /// `u32::MAX` for repositories no team owns.
    team: u32,
    at: Instant,
    change: u32,
}

/// A criterion's candidates, sorted by person, team and time, with what evaluation at
/// many dates needs precomputed: where each (person, team) run starts and ends, and a
/// running count of candidates in retired repositories (so a run without any is counted
/// by two binary searches, without touching its changes).
#[derive(Debug, Default)]
struct Candidates {
    list: Vec<Candidate>,
    /// `(start, end)` of each (person, team) run in `list`.
    runs: Vec<(u32, u32)>,
    /// `retired_before[i]`: candidates in `list[..i]` whose repository has a retirement date.
    retired_before: Vec<u32>,
}

const NO_TEAM: u32 = u32::MAX;

/// What can be shown for a person: the name and address a roll lists.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// A stable key: `gerrit:<smallest account id>`, else `email:<smallest address>`.
    pub key: String,
    pub name: Option<String>,
    /// The address a ballot goes to: the owner address on the person's latest change,
    /// else an account address, else the extra-ATC or membership address.
    pub email: Option<String>,
    pub account_ids: Vec<u64>,
    pub usernames: Vec<String>,
    /// IRC nicks seen in meeting logs or declared, normalised.
    pub nicks: Vec<String>,
    /// Membership-list entry, when a list was given and the person is on it.
    pub member: Option<usize>,
}

/// A status a person holds, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub person: PersonIdx,
    pub status: usize,
    /// Index into [`Engine::criteria`].
    pub criterion: usize,
    pub team: Option<TeamIdx>,
    /// Qualifying contributions (0 for grants that are not counted, like extra-ATCs).
    pub count: u32,
    /// Earliest and latest qualifying contribution, with when it happened.
    pub first: Option<(Instant, Evidence)>,
    pub last: Option<(Instant, Evidence)>,
    /// The extra-ATC entry behind the grant, if any.
    pub extra_atc: Option<usize>,
}

/// Something that stopped a person from holding a status, worth telling them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub person: PersonIdx,
    pub criterion: usize,
    pub code: Code,
    pub team: Option<TeamIdx>,
    /// The extra-ATC entry, for expiries.
    pub extra_atc: Option<usize>,
    /// Qualifying contributions counted, for `below-min-count`.
    pub count: u32,
    /// What was measured, for thresholds (meetings attended, share, lines said).
    pub detail: Option<String>,
}

/// The statuses held at one set of dates.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Sorted by person, status, team.
    pub grants: Vec<Grant>,
    pub misses: Vec<Miss>,
}

impl Evaluation {
    /// The misses of one person.
    #[must_use]
    pub fn misses_of(&self, person: PersonIdx) -> &[Miss] {
        let lo = self.misses.partition_point(|m| m.person < person);
        let hi = self.misses.partition_point(|m| m.person <= person);
        &self.misses[lo..hi]
    }

    /// The grants of one person.
    #[must_use]
    pub fn of(&self, person: PersonIdx) -> &[Grant] {
        let lo = self.grants.partition_point(|g| g.person < person);
        let hi = self.grants.partition_point(|g| g.person <= person);
        &self.grants[lo..hi]
    }
}

/// How a change fared against a criterion for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition {
    pub code: Code,
    /// Placement relative to the window when the code is about time.
    pub placement: Option<Placement>,
}

/// Row accounting against the policy: each merged or unmerged change lands in exactly
/// one of these.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ChangeCounts {
    /// Counted for at least one criterion.
    pub used: u64,
    pub not_merged: u64,
    pub repo_not_governed: u64,
    /// Not matched by the repository patterns of a criterion that names repositories.
    pub repo_not_selected: u64,
    pub repo_retired: u64,
    pub outside_window: u64,
    pub branch_excluded: u64,
    pub dropped_duplicate_account: u64,
}

/// Group items by person, keeping their order within a person: a counting sort, linear in
/// the number of items, where a comparison sort of a million candidates would dominate
/// preparing a policy.
fn by_person<T: Copy>(items: Vec<T>, people: usize, person: impl Fn(&T) -> PersonIdx) -> Vec<T> {
    let Some(first) = items.first().copied() else {
        return items;
    };
    let mut starts = vec![0usize; people + 2];
    for item in &items {
        let p = person(item).index().min(people);
        starts[p + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut out = vec![first; items.len()];
    for item in items {
        let p = person(&item).index().min(people);
        out[starts[p]] = item;
        starts[p] += 1;
    }
    out
}

/// Contributions of one person counted together: how many, lines said (meetings), the
/// earliest and the latest.
#[derive(Debug, Clone, Copy)]
struct Tally {
    count: u64,
    lines: u64,
    first: (Instant, Evidence),
    last: (Instant, Evidence),
}

impl Tally {
    fn new(evidence: (Instant, Evidence)) -> Self {
        Self {
            count: 0,
            lines: 0,
            first: evidence,
            last: evidence,
        }
    }

    fn add(&mut self, lines: u64, evidence: (Instant, Evidence)) {
        self.count += 1;
        self.lines += lines;
        self.first = self.first.min(evidence);
        self.last = self.last.max(evidence);
    }
}

/// A criterion, flattened out of its status.
#[derive(Debug, Clone)]
pub struct CriterionRef<'p> {
    pub status: usize,
    pub id: &'p str,
    pub rule: &'p Rule,
}

/// A policy applied to an election's inputs, ready to be evaluated at any dates.
pub struct Engine<'a> {
    pub policy: &'a Policy,
    pub inputs: Inputs<'a>,
    pub compat: Compat,
    /// Who is who; the same for every policy over the same inputs, so engines for several
    /// policies share it (see [`Engine::with_people_of`]).
    pub people: Rc<People>,
    pub profiles: Rc<Vec<Profile>>,
    pub criteria: Vec<CriterionRef<'a>>,
    repo_info: Vec<RepoInfo>,
    /// Per criterion, for each branch symbol: does the criterion take it. Only
    /// code-change criteria have one.
    branch_ok: Vec<Vec<bool>>,
    /// Per criterion, for each repository symbol under `repos = [patterns]`.
    repo_selected: Vec<Option<Vec<bool>>>,
    /// Per criterion, credited contributions sorted by person, team, time.
    candidates: Vec<Candidates>,
    dropped: Rc<FxHashSet<u32>>,
    /// Index of every change a person took part in, as owner or credited, sorted.
    involvement: Rc<Vec<(PersonIdx, u32)>>,
}

impl<'a> Engine<'a> {
    /// Resolve identities and prepare every criterion.
    #[must_use]
    pub fn new(policy: &'a Policy, inputs: Inputs<'a>, compat: Compat) -> Self {
        Self::build(policy, inputs, compat, None)
    }

    /// Prepare another policy over the same inputs, reusing `other`'s identity work
    /// (people, profiles, who took part in which change): comparing policies pays for it
    /// once.
    #[must_use]
    pub fn with_people_of(policy: &'a Policy, other: &Engine<'a>) -> Self {
        Self::build(policy, other.inputs, other.compat, Some(other))
    }

    fn build(
        policy: &'a Policy,
        inputs: Inputs<'a>,
        compat: Compat,
        shared: Option<&Engine<'a>>,
    ) -> Self {
        let people = match shared {
            Some(other) => Rc::clone(&other.people),
            None => Rc::new(Self::resolve_people(inputs, compat)),
        };
        let log = inputs.log;
        let criteria: Vec<CriterionRef<'a>> = policy
            .statuses
            .iter()
            .enumerate()
            .flat_map(|(s, status)| {
                status.criteria.iter().map(move |c| CriterionRef {
                    status: s,
                    id: c.id.as_str(),
                    rule: &c.rule,
                })
            })
            .collect();
        Self::prepare(policy, inputs, compat, people, criteria, shared, log)
    }

    fn resolve_people(inputs: Inputs<'a>, compat: Compat) -> People {
        let log = inputs.log;
        let folding = match compat {
            Compat::None => EmailFolding::Whole,
            Compat::Reference => EmailFolding::DomainOnly,
        };
        let mut claims: Vec<Claim<'_>> = identity::account_claims(log, &log.symbols).collect();
        if compat == Compat::Reference {
            // The reference only ever compares an account's first-seen address.
            for claim in &mut claims {
                claim.emails.truncate(1);
                claim.handles.clear();
            }
        }
        let plain = |record, emails: Vec<&'a str>, handles: Vec<String>| Claim {
            record,
            emails,
            handles,
            member_id: None,
        };
        for (i, extra) in inputs.governance.extra_atcs.iter().enumerate() {
            claims.push(plain(
                Record::ExtraAtc(i),
                vec![extra.email.as_str()],
                Vec::new(),
            ));
        }
        if compat == Compat::None
            && let Some(members) = inputs.members
        {
            for (i, member) in members.members.iter().enumerate() {
                claims.push(Claim {
                    record: Record::Member(i),
                    emails: member.emails.iter().map(String::as_str).collect(),
                    handles: Vec::new(),
                    member_id: Some(member.id.as_str()),
                });
            }
        }
        for (i, person) in inputs.declared.iter().enumerate() {
            let handles = person
                .keys()
                .into_iter()
                .filter(|k| !k.starts_with("email:"))
                .collect();
            claims.push(plain(
                Record::Declared(i),
                person.emails.iter().map(String::as_str).collect(),
                handles,
            ));
        }
        let activities = inputs.activities;
        for (i, nick) in activities.nicks.iter().enumerate() {
            claims.push(plain(
                Record::Nick(i),
                Vec::new(),
                vec![format!("irc:{nick}")],
            ));
        }
        for (i, entry) in activities.roster.iter().enumerate() {
            claims.push(plain(
                Record::Roster(i),
                vec![entry.email.as_str()],
                Vec::new(),
            ));
        }
        for (i, entry) in activities.metrics.iter().enumerate() {
            claims.push(plain(
                Record::Metric(i),
                vec![entry.email.as_str()],
                Vec::new(),
            ));
        }
        identity::resolve(&claims, folding)
    }

    #[allow(clippy::too_many_arguments)]
    fn prepare(
        policy: &'a Policy,
        inputs: Inputs<'a>,
        compat: Compat,
        people: Rc<People>,
        criteria: Vec<CriterionRef<'a>>,
        shared: Option<&Engine<'a>>,
        log: &'a ChangeLog,
    ) -> Self {
        let symbol_count = log.symbols.len();
        let mut repo_info = vec![RepoInfo::Unlisted; symbol_count];
        for (name, repo) in &inputs.governance.repos {
            if let Some(sym) = log.symbols.get(name) {
                repo_info[sym.index()] = RepoInfo::Listed {
                    team: repo.team,
                    retired_on: repo.retired_on,
                };
            }
        }
        let mut used_branches = FxHashSet::default();
        let mut used_repos = FxHashSet::default();
        for change in &log.changes {
            used_branches.insert(change.branch);
            used_repos.insert(change.repo);
        }
        let branch_ok = criteria
            .iter()
            .map(|c| match c.rule {
                Rule::CodeChange(rule) => {
                    let mut ok = vec![false; symbol_count];
                    for &branch in &used_branches {
                        ok[branch.index()] = match &rule.branches {
                            BranchSelector::Any => true,
                            BranchSelector::Matching(patterns) => patterns
                                .iter()
                                .any(|p| p.matches(log.symbols.resolve(branch))),
                        };
                    }
                    ok
                }
                _ => Vec::new(),
            })
            .collect();
        let repo_selected = criteria
            .iter()
            .map(|c| match c.rule {
                Rule::CodeChange(CodeChangeRule {
                    repos: RepoSelector::Matching(patterns),
                    ..
                }) => {
                    let mut ok = vec![false; symbol_count];
                    for &repo in &used_repos {
                        ok[repo.index()] = patterns
                            .iter()
                            .any(|p| p.matches(log.symbols.resolve(repo)));
                    }
                    Some(ok)
                }
                _ => None,
            })
            .collect();

        let mut engine = Self {
            policy,
            inputs,
            compat,
            people,
            profiles: Rc::new(Vec::new()),
            criteria,
            repo_info,
            branch_ok,
            repo_selected,
            candidates: Vec::new(),
            dropped: Rc::new(FxHashSet::default()),
            involvement: Rc::new(Vec::new()),
        };
        match shared {
            Some(other) => {
                engine.profiles = Rc::clone(&other.profiles);
                engine.dropped = Rc::clone(&other.dropped);
                engine.involvement = Rc::clone(&other.involvement);
            }
            None => {
                if compat == Compat::Reference {
                    engine.dropped = Rc::new(engine.reference_dropped_changes());
                }
                engine.profiles = Rc::new(engine.build_profiles());
                engine.involvement = Rc::new(engine.build_involvement());
            }
        }
        engine.prepare_candidates();
        engine
    }

    /// The reference tooling drops the change on which it discovers that an account
    /// duplicates an earlier one: for every person made of several accounts, the first
    /// change of each account but the first one seen.
    fn reference_dropped_changes(&self) -> FxHashSet<u32> {
        let log = self.inputs.log;
        let mut first_change: FxHashMap<AccountIdx, u32> = FxHashMap::default();
        for (i, change) in log.changes.iter().enumerate() {
            first_change
                .entry(change.owner)
                .or_insert(u32::try_from(i).unwrap_or(u32::MAX));
        }
        let mut dropped = FxHashSet::default();
        for (_, person) in self.people.iter() {
            let mut owned: Vec<u32> = person
                .accounts()
                .filter_map(|a| first_change.get(&a).copied())
                .collect();
            if owned.len() > 1 {
                owned.sort_unstable();
                dropped.extend(owned.into_iter().skip(1));
            }
        }
        dropped
    }

    fn build_profiles(&self) -> Vec<Profile> {
        let log = self.inputs.log;
        let symbols = &log.symbols;
        let mut latest: Vec<Option<(Option<Instant>, u32)>> = vec![None; self.people.len()];
        for (i, change) in log.changes.iter().enumerate() {
            let person = self.people.of_account(change.owner);
            let Some(slot) = latest.get_mut(person.index()) else {
                continue;
            };
            let key = (change.merged_at, u32::try_from(i).unwrap_or(u32::MAX));
            if change.email.is_some() && slot.is_none_or(|best| key > best) {
                *slot = Some(key);
            }
        }
        let folding = self.people.folding;
        let member_emails: FxHashMap<String, usize> = match (self.compat, self.inputs.members) {
            (Compat::Reference, Some(members)) => members
                .members
                .iter()
                .enumerate()
                .flat_map(|(i, m)| m.emails.iter().map(move |e| (folding.fold(e), i)))
                .collect(),
            _ => FxHashMap::default(),
        };
        self.people
            .iter()
            .map(|(idx, person)| {
                let mut profile = Profile::default();
                // Names the officials declared come first: the identity file exists to
                // settle such things.
                for record in &person.records {
                    if let Record::Declared(d) = *record
                        && let Some(declared) = self.inputs.declared.get(d)
                    {
                        if profile.name.is_none() {
                            profile.name.clone_from(&declared.name);
                        }
                        profile.nicks.extend(declared.irc.iter().cloned());
                    }
                }
                for record in &person.records {
                    match *record {
                        Record::Account(a) => {
                            let account = &log.accounts[a.index()];
                            if profile.name.is_none() {
                                profile.name = account.name.map(|n| symbols.resolve(n).to_owned());
                            }
                            if let Some(id) = account.gerrit_id {
                                profile.account_ids.push(id);
                            }
                            if let Some(u) = account.username {
                                profile.usernames.push(symbols.resolve(u).to_owned());
                            }
                        }
                        Record::Member(m) => {
                            profile.member.get_or_insert(m);
                        }
                        Record::Nick(n) => {
                            if let Some(nick) = self.inputs.activities.nicks.get(n) {
                                profile.nicks.push(nick.clone());
                            }
                        }
                        Record::ExtraAtc(_)
                        | Record::Declared(_)
                        | Record::Roster(_)
                        | Record::Metric(_) => {}
                    }
                }
                profile.email = latest[idx.index()]
                    .and_then(|(_, change)| log.changes[change as usize].email)
                    .map(|e| symbols.resolve(e).to_owned())
                    .or_else(|| {
                        person.accounts().find_map(|a| {
                            log.accounts[a.index()]
                                .emails
                                .first()
                                .map(|e| symbols.resolve(*e).to_owned())
                        })
                    });
                for record in &person.records {
                    match *record {
                        Record::ExtraAtc(e) => {
                            let extra = &self.inputs.governance.extra_atcs[e];
                            profile.name.get_or_insert_with(|| extra.name.clone());
                            profile.email.get_or_insert_with(|| extra.email.clone());
                        }
                        Record::Member(m) => {
                            if let Some(member) =
                                self.inputs.members.and_then(|ms| ms.members.get(m))
                            {
                                if let Some(name) = &member.name {
                                    profile.name.get_or_insert_with(|| name.clone());
                                }
                                if let Some(email) = member.emails.first() {
                                    profile.email.get_or_insert_with(|| email.clone());
                                }
                            }
                        }
                        Record::Declared(d) => {
                            if let Some(email) =
                                self.inputs.declared.get(d).and_then(|p| p.emails.first())
                            {
                                profile.email.get_or_insert_with(|| email.clone());
                            }
                        }
                        Record::Roster(r) => {
                            if let Some(entry) = self.inputs.activities.roster.get(r) {
                                if let Some(name) = &entry.name {
                                    profile.name.get_or_insert_with(|| name.clone());
                                }
                                profile.email.get_or_insert_with(|| entry.email.clone());
                            }
                        }
                        Record::Metric(m) => {
                            if let Some(entry) = self.inputs.activities.metrics.get(m) {
                                profile.email.get_or_insert_with(|| entry.email.clone());
                            }
                        }
                        Record::Account(_) | Record::Nick(_) => {}
                    }
                }
                if self.compat == Compat::Reference {
                    profile.member = person
                        .emails
                        .iter()
                        .find_map(|e| member_emails.get(e).copied());
                }
                profile.account_ids.sort_unstable();
                profile.account_ids.dedup();
                profile.usernames.sort();
                profile.usernames.dedup();
                profile.nicks.sort();
                profile.nicks.dedup();
                profile.key = match (
                    profile.account_ids.first(),
                    person.emails.first(),
                    profile.nicks.first(),
                ) {
                    (Some(id), _, _) => format!("gerrit:{id}"),
                    (None, Some(email), _) => format!("email:{email}"),
                    (None, None, Some(nick)) => format!("irc:{nick}"),
                    (None, None, None) => format!("person:{}", idx.0),
                };
                profile
            })
            .collect()
    }

    /// Everyone a change credits under a rule, deduplicated.
    fn credited(&self, change: &Change, credit: &[CreditRule], out: &mut Vec<PersonIdx>) {
        out.clear();
        let log = self.inputs.log;
        for rule in credit {
            match rule {
                CreditRule::Owner => out.push(self.people.of_account(change.owner)),
                CreditRule::CoAuthor => {
                    for c in log.credits_of(change) {
                        if c.role == CreditRole::CoAuthor {
                            out.push(self.people.of_account(c.account));
                        }
                    }
                }
                CreditRule::Reviewer { label, values } => {
                    for c in log.credits_of(change) {
                        if let CreditRole::Reviewer { label: l, value } = c.role
                            && values.contains(&value)
                            && log.symbols.resolve(l).eq_ignore_ascii_case(label)
                        {
                            out.push(self.people.of_account(c.account));
                        }
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    fn team_of(&self, repo: Sym) -> Option<(TeamIdx, Option<NaiveDate>)> {
        match self.repo_info.get(repo.index()) {
            Some(RepoInfo::Listed { team, retired_on }) => Some((*team, *retired_on)),
            _ => None,
        }
    }

    /// Whether a criterion selects a change's repository and branch, ignoring dates.
    fn selects(&self, criterion: usize, change: &Change) -> Result<(), Code> {
        let Rule::CodeChange(rule) = self.criteria[criterion].rule else {
            return Err(codes::CHANGE_REPO_NOT_GOVERNED);
        };
        let repo_ok = match (&rule.repos, &self.repo_selected[criterion]) {
            (RepoSelector::Governed, _) => self.team_of(change.repo).is_some(),
            (RepoSelector::Matching(_), Some(selected)) => {
                selected.get(change.repo.index()).copied().unwrap_or(false)
            }
            (RepoSelector::Matching(_), None) => false,
        };
        if !repo_ok {
            return Err(match rule.repos {
                RepoSelector::Governed => codes::CHANGE_REPO_NOT_GOVERNED,
                RepoSelector::Matching(_) => codes::CHANGE_REPO_NOT_SELECTED,
            });
        }
        if !self.branch_ok[criterion]
            .get(change.branch.index())
            .copied()
            .unwrap_or(false)
        {
            return Err(codes::CHANGE_BRANCH_EXCLUDED);
        }
        Ok(())
    }

    fn prepare_candidates(&mut self) {
        let log = self.inputs.log;
        let mut credited = Vec::new();
        let mut candidates = Vec::with_capacity(self.criteria.len());
        for (ci, criterion) in self.criteria.iter().enumerate() {
            let Rule::CodeChange(rule) = criterion.rule else {
                candidates.push(Candidates::default());
                continue;
            };
            let mut list = Vec::new();
            for (i, change) in log.changes.iter().enumerate() {
                let index = u32::try_from(i).unwrap_or(u32::MAX);
                if !change.merged
                    || (!self.dropped.is_empty() && self.dropped.contains(&index))
                    || self.selects(ci, change).is_err()
                {
                    continue;
                }
                let Some(at) = change.merged_at else { continue };
                let team = self.team_of(change.repo).map_or(NO_TEAM, |(t, _)| t.0);
                self.credited(change, &rule.credit, &mut credited);
                for &person in &credited {
                    list.push(Candidate {
                        person,
                        team,
                        at,
                        change: index,
                    });
                }
            }
            let mut list = by_person(list, self.people.len(), |c| c.person);
            let mut start = 0;
            while start < list.len() {
                let person = list[start].person;
                let end = start + list[start..].partition_point(|c| c.person == person);
                list[start..end].sort_unstable_by_key(|c| (c.team, c.at, c.change));
                start = end;
            }
            let mut runs = Vec::new();
            let mut start = 0;
            for i in 1..=list.len() {
                if i == list.len()
                    || (list[i].person, list[i].team) != (list[start].person, list[start].team)
                {
                    runs.push((
                        u32::try_from(start).unwrap_or(u32::MAX),
                        u32::try_from(i).unwrap_or(u32::MAX),
                    ));
                    start = i;
                }
            }
            let mut retired_before = Vec::with_capacity(list.len() + 1);
            let mut retired = 0u32;
            retired_before.push(0);
            for c in &list {
                if matches!(
                    self.team_of(log.changes[c.change as usize].repo),
                    Some((_, Some(_)))
                ) {
                    retired += 1;
                }
                retired_before.push(retired);
            }
            candidates.push(Candidates {
                list,
                runs,
                retired_before,
            });
        }
        self.candidates = candidates;
    }

    fn build_involvement(&self) -> Vec<(PersonIdx, u32)> {
        let log = self.inputs.log;
        let mut involvement = Vec::with_capacity(log.changes.len());
        for (i, change) in log.changes.iter().enumerate() {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            involvement.push((self.people.of_account(change.owner), index));
            for c in log.credits_of(change) {
                involvement.push((self.people.of_account(c.account), index));
            }
        }
        // Grouped by person, each person's changes stay in input order (and an owner who
        // is also credited on a change appears twice in a row).
        let mut involvement = by_person(involvement, self.people.len(), |(p, _)| *p);
        involvement.dedup();
        involvement
    }

    /// Who holds which status at these dates.
    #[must_use]
    pub fn evaluate(&self, dates: &Dates) -> Evaluation {
        let mut evaluation = Evaluation::default();
        for (ci, criterion) in self.criteria.iter().enumerate() {
            match criterion.rule {
                Rule::CodeChange(rule) => self.evaluate_changes(ci, rule, dates, &mut evaluation),
                Rule::ExtraAtc(rule) => {
                    self.evaluate_extra_atcs(ci, rule.expiry, dates, &mut evaluation);
                }
                Rule::Meetings(rule) => self.evaluate_meetings(ci, rule, dates, &mut evaluation),
                Rule::Roster(rule) => self.evaluate_roster(ci, rule, dates, &mut evaluation),
                Rule::AucMetric(rule) => self.evaluate_metrics(ci, rule, dates, &mut evaluation),
            }
        }
        // Each criterion appended its grants in person order: a stable sort merges those
        // runs instead of sorting from scratch.
        evaluation
            .grants
            .sort_by_key(|g| (g.person, g.status, g.team, g.criterion, g.extra_atc));
        evaluation
            .misses
            .sort_unstable_by_key(|m| (m.person, m.criterion, m.team, m.extra_atc));
        evaluation
    }

    fn evaluate_changes(
        &self,
        ci: usize,
        rule: &CodeChangeRule,
        dates: &Dates,
        out: &mut Evaluation,
    ) {
        let window = dates.window_for(rule.window);
        let start_date = window.start.date_naive();
        let log = self.inputs.log;
        let candidates = &self.candidates[ci];
        let list = &candidates.list;
        let status = self.criteria[ci].status;
        let mut teams: Vec<Grant> = Vec::new();
        let mut total = 0u32;
        let mut current: Option<PersonIdx> = None;
        let flush =
            |person: PersonIdx, total: u32, teams: &mut Vec<Grant>, out: &mut Evaluation| {
                if total >= rule.min_count {
                    out.grants.append(teams);
                } else if total > 0 {
                    teams.clear();
                    out.misses.push(Miss {
                        person,
                        criterion: ci,
                        code: codes::BELOW_MIN_COUNT,
                        team: None,
                        extra_atc: None,
                        count: total,
                        detail: None,
                    });
                }
            };
        for &(start, end) in &candidates.runs {
            let (start, end) = (start as usize, end as usize);
            let run = &list[start..end];
            let person = run[0].person;
            if current != Some(person) {
                if let Some(previous) = current {
                    flush(previous, total, &mut teams, out);
                }
                current = Some(person);
                total = 0;
            }
            let lo = start + run.partition_point(|c| c.at < window.start);
            let hi = start + run.partition_point(|c| c.at < window.end);
            if lo == hi {
                continue;
            }
            let team = run[0].team;
            let mut grant = Grant {
                person,
                status,
                criterion: ci,
                team: (team != NO_TEAM).then_some(TeamIdx(team)),
                count: 0,
                first: None,
                last: None,
                extra_atc: None,
            };
            if candidates.retired_before[hi] == candidates.retired_before[lo] {
                // No retired repository in range: count and ends are immediate.
                grant.count = u32::try_from(hi - lo).unwrap_or(u32::MAX);
                grant.first = Some((list[lo].at, Evidence::Change(list[lo].change)));
                grant.last = Some((list[hi - 1].at, Evidence::Change(list[hi - 1].change)));
            } else {
                for c in &list[lo..hi] {
                    let change = &log.changes[c.change as usize];
                    if let Some((_, Some(retired))) = self.team_of(change.repo)
                        && retired < start_date
                    {
                        continue;
                    }
                    grant.count += 1;
                    grant
                        .first
                        .get_or_insert((c.at, Evidence::Change(c.change)));
                    grant.last = Some((c.at, Evidence::Change(c.change)));
                }
            }
            if grant.count > 0 {
                total += grant.count;
                teams.push(grant);
            }
        }
        if let Some(previous) = current {
            flush(previous, total, &mut teams, out);
        }
    }

    fn evaluate_extra_atcs(
        &self,
        ci: usize,
        expiry: ExpiryCheck,
        dates: &Dates,
        out: &mut Evaluation,
    ) {
        let status = self.criteria[ci].status;
        let checked_at = self.expiry_checked_at(expiry, dates);
        let governance = self.inputs.governance;
        for (i, extra) in governance.extra_atcs.iter().enumerate() {
            let Some(person) = self.people.of(Record::ExtraAtc(i)) else {
                continue;
            };
            let team = Some(extra.team);
            let ignored = self.compat == Compat::Reference
                && governance.team(extra.team).kind == TeamKind::TechnicalCommittee;
            let expired = checked_at.is_some_and(|at| at >= extra.expires_in.first_instant());
            if ignored || expired {
                out.misses.push(Miss {
                    person,
                    criterion: ci,
                    code: if ignored {
                        codes::EXTRA_ATC_IGNORED
                    } else {
                        codes::EXTRA_ATC_EXPIRED
                    },
                    team,
                    extra_atc: Some(i),
                    count: 0,
                    detail: None,
                });
                continue;
            }
            out.grants.push(Grant {
                person,
                status,
                criterion: ci,
                team,
                count: 0,
                first: None,
                last: None,
                extra_atc: Some(i),
            });
        }
    }

    /// Meeting attendance: per person, meetings attended, the share of the series'
    /// meetings that is, and lines said, measured per series or over all of them.
    fn evaluate_meetings(
        &self,
        ci: usize,
        rule: &MeetingRule,
        dates: &Dates,
        out: &mut Evaluation,
    ) {
        let window = dates.window_for(rule.window);
        let activities = self.inputs.activities;
        let status = self.criteria[ci].status;
        let selected = |series: &str| {
            rule.meetings
                .as_ref()
                .is_none_or(|patterns| patterns.iter().any(|p| p.matches(series)))
        };
        // Meetings held per series in the window.
        let mut held: BTreeMap<&str, u64> = BTreeMap::new();
        for meeting in &activities.meetings {
            if window.contains(meeting.at) && selected(&meeting.series) {
                *held.entry(meeting.series.as_str()).or_default() += 1;
            }
        }
        let mut tally: BTreeMap<(PersonIdx, &str), Tally> = BTreeMap::new();
        for (i, attendance) in activities.attendance.iter().enumerate() {
            let meeting = &activities.meetings[attendance.meeting as usize];
            if !window.contains(meeting.at) || !selected(&meeting.series) {
                continue;
            }
            let Some(person) = self.people.of(Record::Nick(attendance.nick as usize)) else {
                continue;
            };
            let evidence = (
                meeting.at,
                Evidence::Attendance(u32::try_from(i).unwrap_or(u32::MAX)),
            );
            let key = match rule.per {
                MeetingAggregate::Series => (person, meeting.series.as_str()),
                MeetingAggregate::All => (person, ""),
            };
            tally
                .entry(key)
                .or_insert_with(|| Tally::new(evidence))
                .add(u64::from(attendance.lines), evidence);
        }
        let all_held: u64 = held.values().sum();
        // Per person, the series that qualifies, else the one attended most (to explain).
        let mut best: BTreeMap<PersonIdx, (bool, Tally, String)> = BTreeMap::new();
        for ((person, series), t) in tally {
            let (attended, lines) = (t.count, t.lines);
            let of = if series.is_empty() {
                all_held
            } else {
                held.get(series).copied().unwrap_or(0)
            };
            let share_ok = rule
                .min_share
                .is_none_or(|share| share.reached(attended, of));
            let ok = attended >= u64::from(rule.min_meetings)
                && share_ok
                && lines >= u64::from(rule.min_lines);
            let place = if series.is_empty() {
                String::new()
            } else {
                format!(" of {series}")
            };
            let detail = format!("attended {attended} of {of} meetings{place}, said {lines} lines");
            let replace = match best.get(&person) {
                None => true,
                Some((done, kept, _)) => !done && (ok || attended > kept.count),
            };
            if replace {
                best.insert(person, (ok, t, detail));
            }
        }
        for (person, (ok, t, detail)) in best {
            let attended = t.count;
            if ok {
                out.grants.push(Grant {
                    person,
                    status,
                    criterion: ci,
                    team: None,
                    count: u32::try_from(attended).unwrap_or(u32::MAX),
                    first: Some(t.first),
                    last: Some(t.last),
                    extra_atc: None,
                });
            } else {
                out.misses.push(Miss {
                    person,
                    criterion: ci,
                    code: codes::BELOW_THRESHOLD,
                    team: None,
                    extra_atc: None,
                    count: u32::try_from(attended).unwrap_or(u32::MAX),
                    detail: Some(detail),
                });
            }
        }
    }

    /// Roster rows with a selected role, dated inside the window.
    fn evaluate_roster(&self, ci: usize, rule: &RosterRule, dates: &Dates, out: &mut Evaluation) {
        let window = dates.window_for(rule.window);
        let status = self.criteria[ci].status;
        let mut per_person: BTreeMap<PersonIdx, Tally> = BTreeMap::new();
        for (i, entry) in self.inputs.activities.roster.iter().enumerate() {
            if !window.contains(entry.at) || !rule.roles.iter().any(|p| p.matches(&entry.role)) {
                continue;
            }
            let Some(person) = self.people.of(Record::Roster(i)) else {
                continue;
            };
            let evidence = (
                entry.at,
                Evidence::Roster(u32::try_from(i).unwrap_or(u32::MAX)),
            );
            per_person
                .entry(person)
                .or_insert_with(|| Tally::new(evidence))
                .add(0, evidence);
        }
        for (person, t) in per_person {
            let count = u32::try_from(t.count).unwrap_or(u32::MAX);
            let (first, last) = (t.first, t.last);
            if count >= rule.min_count {
                out.grants.push(Grant {
                    person,
                    status,
                    criterion: ci,
                    team: None,
                    count,
                    first: Some(first),
                    last: Some(last),
                    extra_atc: None,
                });
            } else {
                out.misses.push(Miss {
                    person,
                    criterion: ci,
                    code: codes::BELOW_MIN_COUNT,
                    team: None,
                    extra_atc: None,
                    count,
                    detail: None,
                });
            }
        }
    }

    /// AUC metrics rows with a selected identifier that have not expired.
    fn evaluate_metrics(&self, ci: usize, rule: &MetricRule, dates: &Dates, out: &mut Evaluation) {
        let checked_at = self.expiry_checked_at(rule.expiry, dates);
        let status = self.criteria[ci].status;
        let mut per_person: BTreeMap<PersonIdx, (u32, Option<(Instant, Evidence)>)> =
            BTreeMap::new();
        let mut expired: BTreeMap<PersonIdx, u32> = BTreeMap::new();
        for (i, entry) in self.inputs.activities.metrics.iter().enumerate() {
            if !rule
                .identifiers
                .iter()
                .any(|p| p.matches(&entry.identifier))
            {
                continue;
            }
            let Some(person) = self.people.of(Record::Metric(i)) else {
                continue;
            };
            let valid = match (checked_at, entry.expires) {
                (Some(at), Some(expires)) => at < expires,
                _ => true,
            };
            if !valid {
                *expired.entry(person).or_default() += 1;
                continue;
            }
            let evidence = entry
                .expires
                .map(|at| (at, Evidence::Metric(u32::try_from(i).unwrap_or(u32::MAX))));
            let slot = per_person.entry(person).or_insert((0, None));
            slot.0 += 1;
            if slot.1.is_none() {
                slot.1 = evidence;
            }
        }
        for (person, (count, evidence)) in &per_person {
            out.grants.push(Grant {
                person: *person,
                status,
                criterion: ci,
                team: None,
                count: *count,
                first: *evidence,
                last: *evidence,
                extra_atc: None,
            });
        }
        for (person, count) in expired {
            if !per_person.contains_key(&person) {
                out.misses.push(Miss {
                    person,
                    criterion: ci,
                    code: codes::METRIC_EXPIRED,
                    team: None,
                    extra_atc: None,
                    count,
                    detail: None,
                });
            }
        }
    }

    /// The instant an extra-ATC's expiry is checked against, if it is.
    #[must_use]
    pub fn expiry_checked_at(&self, expiry: ExpiryCheck, dates: &Dates) -> Option<Instant> {
        match (self.compat, expiry) {
            (Compat::Reference, _) | (_, ExpiryCheck::Never) => None,
            (Compat::None, ExpiryCheck::WindowEnd) => Some(dates.window.end),
            (Compat::None, ExpiryCheck::AsOf) => Some(dates.as_of),
        }
    }

    /// How one change fares against one criterion, for one person.
    #[must_use]
    pub fn classify(
        &self,
        change_index: u32,
        criterion: usize,
        person: PersonIdx,
        dates: &Dates,
    ) -> Disposition {
        let log = self.inputs.log;
        let change = &log.changes[change_index as usize];
        let plain = |code| Disposition {
            code,
            placement: None,
        };
        let Rule::CodeChange(rule) = self.criteria[criterion].rule else {
            return plain(codes::CHANGE_NOT_CREDITED);
        };
        if !change.merged {
            return plain(codes::CHANGE_NOT_MERGED);
        }
        if let Err(code) = self.selects(criterion, change) {
            return plain(code);
        }
        let Some(at) = change.merged_at else {
            return plain(codes::CHANGE_NOT_MERGED);
        };
        let window = dates.window_for(rule.window);
        match window.place(at) {
            Placement::Inside => {}
            placement @ Placement::Before(_) => {
                return Disposition {
                    code: codes::CHANGE_BEFORE_WINDOW,
                    placement: Some(placement),
                };
            }
            placement @ Placement::After(_) => {
                return Disposition {
                    code: codes::CHANGE_AFTER_WINDOW,
                    placement: Some(placement),
                };
            }
        }
        if let Some((_, Some(retired))) = self.team_of(change.repo)
            && retired < window.start.date_naive()
        {
            return plain(codes::CHANGE_REPO_RETIRED);
        }
        if self.dropped.contains(&change_index) {
            return plain(codes::CHANGE_DROPPED_DUPLICATE);
        }
        let owner_credited = rule.credit.contains(&CreditRule::Owner)
            && self.people.of_account(change.owner) == person;
        if !owner_credited {
            let mut credited = Vec::new();
            self.credited(change, &rule.credit, &mut credited);
            if !credited.contains(&person) {
                return plain(codes::CHANGE_NOT_CREDITED);
            }
        }
        Disposition {
            code: codes::CHANGE_QUALIFIES,
            placement: Some(Placement::Inside),
        }
    }

    /// The team that owns a change's repository, if governance lists it.
    #[must_use]
    pub fn change_team(&self, change: u32) -> Option<TeamIdx> {
        let change = self.inputs.log.changes.get(change as usize)?;
        self.team_of(change.repo).map(|(team, _)| team)
    }

    /// Every change a person owns or is credited on, in input order.
    #[must_use]
    pub fn changes_of(&self, person: PersonIdx) -> Vec<u32> {
        let lo = self.involvement.partition_point(|(p, _)| *p < person);
        let hi = self.involvement.partition_point(|(p, _)| *p <= person);
        self.involvement[lo..hi].iter().map(|(_, c)| *c).collect()
    }

    /// Row accounting: each change counted once, as used, or by the first reason (in the
    /// order of [`ChangeCounts`]' fields) it fails the policy's first code-change
    /// criterion.
    #[must_use]
    pub fn count_changes(&self, dates: &Dates) -> ChangeCounts {
        let mut counts = ChangeCounts::default();
        let code_criteria: Vec<usize> = self
            .criteria
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.rule, Rule::CodeChange(_)))
            .map(|(i, _)| i)
            .collect();
        let log = self.inputs.log;
        for (i, change) in log.changes.iter().enumerate() {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            let owner = self.people.of_account(change.owner);
            let mut first_code = None;
            let mut used = false;
            for &ci in &code_criteria {
                let d = self.classify(index, ci, owner, dates);
                if d.code == codes::CHANGE_QUALIFIES
                    || self.qualifies_for_anyone(index, ci, dates, &d)
                {
                    used = true;
                    break;
                }
                first_code.get_or_insert(d.code);
            }
            if used {
                counts.used += 1;
                continue;
            }
            let slot = match first_code.map(|c| c.code) {
                Some("change-not-merged") => &mut counts.not_merged,
                Some("change-repo-retired") => &mut counts.repo_retired,
                Some("change-before-window" | "change-after-window") => &mut counts.outside_window,
                Some("change-branch-excluded") => &mut counts.branch_excluded,
                Some("change-repo-not-selected") => &mut counts.repo_not_selected,
                Some("change-dropped-duplicate-account") => &mut counts.dropped_duplicate_account,
                _ => &mut counts.repo_not_governed,
            };
            *slot += 1;
        }
        counts
    }

    /// A change the owner is not credited for can still count for a co-author or reviewer.
    fn qualifies_for_anyone(
        &self,
        index: u32,
        criterion: usize,
        dates: &Dates,
        owner_disposition: &Disposition,
    ) -> bool {
        if owner_disposition.code != codes::CHANGE_NOT_CREDITED {
            return false;
        }
        let Rule::CodeChange(rule) = self.criteria[criterion].rule else {
            return false;
        };
        let mut credited = Vec::new();
        self.credited(
            &self.inputs.log.changes[index as usize],
            &rule.credit,
            &mut credited,
        );
        credited
            .iter()
            .any(|&p| self.classify(index, criterion, p, dates).code == codes::CHANGE_QUALIFIES)
    }

    /// The month an extra-ATC entry expires in (for reports).
    #[must_use]
    pub fn extra_atc_expiry(&self, index: usize) -> Option<Month> {
        self.inputs
            .governance
            .extra_atcs
            .get(index)
            .map(|e| e.expires_in)
    }
}
