//! The policy engine. Given the election, its people (resolved once by `identity`) and a
//! policy, it works out which contributions each criterion could ever count, and then, for
//! any election dates, who holds which status with what evidence.
//!
//! The work is split so that dates are cheap: [`Engine::new`] does everything that does
//! not depend on the dates (repository and branch selection, crediting) and keeps, per
//! criterion, the credited contributions sorted by person, team and time;
//! [`Engine::evaluate`] then answers for one set of dates with binary searches. Comparing
//! a policy at 36 dates costs one preparation and 36 cheap evaluations.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::identity::{People, PersonIdx, Record, by_person};
use crate::model::{
    Change, Code, Compat, CreditRole, Dates, Election, Instant, Placement, Sym, TeamIdx,
};
use crate::policy::{
    BranchSelector, CodeChangeRule, CreditRule, ExpiryCheck, MeetingAggregate, MeetingRule,
    MetricRule, Policy, RepoSelector, RosterRule, Rule,
};

/// What a grant rests on: a change, a meeting attended, a roster row or a metrics row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    Change(u32),
    Attendance(u32),
    Roster(u32),
    Metric(u32),
}

impl Evidence {
    /// How to point a person at the evidence: a change by its number (else its Change-Id,
    /// else where it was read), a meeting by its series, a roster or metrics row by what it
    /// says and where.
    #[must_use]
    pub fn describe(self, election: &Election) -> String {
        let activities = &election.activities;
        match self {
            Self::Change(c) => change_reference(election, c),
            Self::Attendance(a) => activities
                .attendance
                .get(a as usize)
                .and_then(|x| activities.meetings.get(x.meeting as usize))
                .map_or_else(String::new, |m| format!("meeting {}", m.series)),
            Self::Roster(r) => activities
                .roster
                .get(r as usize)
                .map_or_else(String::new, |e| {
                    format!("{} ({})", e.role, election.sources.locate(e.origin))
                }),
            Self::Metric(m) => activities
                .metrics
                .get(m as usize)
                .map_or_else(String::new, |e| {
                    format!("{} ({})", e.identifier, election.sources.locate(e.origin))
                }),
        }
    }
}

/// How to point at a change: its number or Change-Id, else where it was read.
#[must_use]
pub fn change_reference(election: &Election, change: u32) -> String {
    let log = &election.changes;
    let change = &log.changes[change as usize];
    change
        .label(log)
        .unwrap_or_else(|| election.sources.locate(change.origin))
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
struct Credited {
    person: PersonIdx,
    /// `u32::MAX` for repositories no team owns.
    team: u32,
    at: Instant,
    change: u32,
}

/// A criterion's credited contributions, sorted by person, team and time, with what
/// evaluation at many dates needs precomputed: where each (person, team) run starts and
/// ends, and a running count of contributions in retired repositories (so a run without
/// any is counted by two binary searches, without touching its changes).
#[derive(Debug, Default)]
struct CriterionCredits {
    list: Vec<Credited>,
    /// `(start, end)` of each (person, team) run in `list`.
    runs: Vec<(u32, u32)>,
    /// `retired_before[i]`: contributions in `list[..i]` whose repository has a retirement date.
    retired_before: Vec<u32>,
}

const NO_TEAM: u32 = u32::MAX;

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
    /// Credited to nobody the policy's code-change criteria credit (a co-author-only or
    /// reviewer-only criterion, and no credited co-author or reviewer qualifies).
    pub not_credited: u64,
    /// The policy has no code-change criterion to count the change for.
    pub not_counted: u64,
}

/// Contributions of one person counted together: how many, lines said (meetings), the
/// earliest and the latest.
#[derive(Debug, Clone, Copy)]
struct Counted {
    count: u64,
    lines: u64,
    first: (Instant, Evidence),
    last: (Instant, Evidence),
}

impl Counted {
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

/// A policy applied to an election and its people, ready to be evaluated at any dates.
pub struct Engine<'a> {
    policy: &'a Policy,
    election: &'a Election,
    people: &'a People,
    criteria: Vec<CriterionRef<'a>>,
    repo_info: Vec<RepoInfo>,
    /// Per criterion, for each branch symbol: does the criterion take it. Only
    /// code-change criteria have one.
    branch_ok: Vec<Vec<bool>>,
    /// Per criterion, for each repository symbol under `repos = [patterns]`.
    repo_selected: Vec<Option<Vec<bool>>>,
    /// Per criterion, credited contributions sorted by person, team, time.
    credits: Vec<CriterionCredits>,
}

impl<'a> Engine<'a> {
    /// Prepare every criterion of `policy` over the election's contributions. Engines for
    /// several policies share one [`People`].
    #[must_use]
    pub fn new(policy: &'a Policy, election: &'a Election, people: &'a People) -> Self {
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
        let log = &election.changes;
        let symbol_count = log.symbols.len();
        let mut repo_info = vec![RepoInfo::Unlisted; symbol_count];
        let compat = people.compat();
        for (name, repo) in &election.governance.repos {
            let kind = election.governance.team(repo.team).kind;
            if !compat.counts_repo(kind, repo.retired_on.is_some()) {
                continue;
            }
            if let Some(sym) = log.symbols.get(name) {
                repo_info[sym.index()] = RepoInfo::Listed {
                    team: repo.team,
                    retired_on: repo.retired_on,
                };
            }
        }
        // The branches and repositories the changes name, each once: patterns are matched
        // against these, not against every change.
        let (mut is_branch, mut is_repo) = (vec![false; symbol_count], vec![false; symbol_count]);
        for change in &log.changes {
            is_branch[change.branch.index()] = true;
            is_repo[change.repo.index()] = true;
        }
        let used = |marks: Vec<bool>| -> Vec<Sym> {
            marks
                .iter()
                .enumerate()
                .filter(|&(_, &used)| used)
                .map(|(i, _)| Sym::from_index(i))
                .collect()
        };
        let (used_branches, used_repos) = (used(is_branch), used(is_repo));
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
            election,
            people,
            criteria,
            repo_info,
            branch_ok,
            repo_selected,
            credits: Vec::new(),
        };
        engine.prepare_credits();
        engine
    }

    #[must_use]
    pub fn policy(&self) -> &'a Policy {
        self.policy
    }

    #[must_use]
    pub fn election(&self) -> &'a Election {
        self.election
    }

    #[must_use]
    pub fn people(&self) -> &'a People {
        self.people
    }

    #[must_use]
    pub fn compat(&self) -> Compat {
        self.people.compat()
    }

    /// Every criterion of the policy, flattened out of its status, in policy order.
    #[must_use]
    pub fn criteria(&self) -> &[CriterionRef<'a>] {
        &self.criteria
    }

    /// Everyone a change credits under a rule, deduplicated.
    fn credited(&self, change: &Change, credit: &[CreditRule], out: &mut Vec<PersonIdx>) {
        out.clear();
        let log = &self.election.changes;
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
            return Err(Code::ChangeRepoNotGoverned);
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
                RepoSelector::Governed => Code::ChangeRepoNotGoverned,
                RepoSelector::Matching(_) => Code::ChangeRepoNotSelected,
            });
        }
        if !self.branch_ok[criterion]
            .get(change.branch.index())
            .copied()
            .unwrap_or(false)
        {
            return Err(Code::ChangeBranchExcluded);
        }
        Ok(())
    }

    /// Each code-change criterion's credited contributions, computed on up to two threads
    /// (a policy has a few such criteria, each a pass over every change).
    fn prepare_credits(&mut self) {
        let this = &*self;
        let Ok(credits) = crate::parallel::each(this.criteria.len(), 2, |ci| {
            Ok::<_, std::convert::Infallible>(this.criterion_credits(ci, this.criteria[ci].rule))
        });
        self.credits = credits;
    }

    fn criterion_credits(&self, ci: usize, rule: &Rule) -> CriterionCredits {
        let log = &self.election.changes;
        let mut credited = Vec::new();
        let Rule::CodeChange(rule) = rule else {
            return CriterionCredits::default();
        };
        let mut list = Vec::new();
        for (i, change) in log.changes.iter().enumerate() {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            if !change.merged || self.people.is_dropped(index) || self.selects(ci, change).is_err()
            {
                continue;
            }
            let Some(at) = change.merged_at else { continue };
            let team = self.team_of(change.repo).map_or(NO_TEAM, |(t, _)| t.0);
            self.credited(change, &rule.credit, &mut credited);
            for &person in &credited {
                list.push(Credited {
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
            // Changes merged at one instant are ordered by their number, so the first
            // and last evidence shown does not depend on the order rows were read in.
            list[start..end].sort_unstable_by(|a, b| {
                (a.team, a.at).cmp(&(b.team, b.at)).then_with(|| {
                    let number = |c: u32| log.changes[c as usize].number;
                    number(a.change)
                        .cmp(&number(b.change))
                        .then(a.change.cmp(&b.change))
                })
            });
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
        CriterionCredits {
            list,
            runs,
            retired_before,
        }
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
        let window = rule.window.of(dates);
        let start_date = window.start.date_naive();
        let log = &self.election.changes;
        let credits = &self.credits[ci];
        let list = &credits.list;
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
                        code: Code::BelowMinCount,
                        team: None,
                        extra_atc: None,
                        count: total,
                        detail: None,
                    });
                }
            };
        for &(start, end) in &credits.runs {
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
            if credits.retired_before[hi] == credits.retired_before[lo] {
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
        let governance = &self.election.governance;
        for (i, extra) in governance.extra_atcs.iter().enumerate() {
            let Some(person) = self.people.of(Record::ExtraAtc(i)) else {
                continue;
            };
            let team = Some(extra.team);
            let ignored = !self
                .compat()
                .reads_extra_atc(governance.team(extra.team).kind, extra.key);
            let expired = checked_at.is_some_and(|at| at >= extra.expires_in.first_instant());
            if ignored || expired {
                out.misses.push(Miss {
                    person,
                    criterion: ci,
                    code: if ignored {
                        Code::ExtraAtcIgnored
                    } else {
                        Code::ExtraAtcExpired
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
        let window = rule.window.of(dates);
        let activities = &self.election.activities;
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
        let mut tally: BTreeMap<(PersonIdx, &str), Counted> = BTreeMap::new();
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
                .or_insert_with(|| Counted::new(evidence))
                .add(u64::from(attendance.lines), evidence);
        }
        let all_held: u64 = held.values().sum();
        // Per person, the series that qualifies, else the one attended most (to explain).
        let mut best: BTreeMap<PersonIdx, (bool, Counted, String)> = BTreeMap::new();
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
                    code: Code::BelowThreshold,
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
        let window = rule.window.of(dates);
        let status = self.criteria[ci].status;
        let mut per_person: BTreeMap<PersonIdx, Counted> = BTreeMap::new();
        for (i, entry) in self.election.activities.roster.iter().enumerate() {
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
                .or_insert_with(|| Counted::new(evidence))
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
                    code: Code::BelowMinCount,
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
        for (i, entry) in self.election.activities.metrics.iter().enumerate() {
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
                    code: Code::MetricExpired,
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
        if !self.compat().check_extra_atc_expiry {
            return None;
        }
        match expiry {
            ExpiryCheck::Never => None,
            ExpiryCheck::WindowEnd => Some(dates.window.end),
            ExpiryCheck::AsOf => Some(dates.as_of),
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
        let log = &self.election.changes;
        let change = &log.changes[change_index as usize];
        let plain = |code| Disposition {
            code,
            placement: None,
        };
        let Rule::CodeChange(rule) = self.criteria[criterion].rule else {
            return plain(Code::ChangeNotCredited);
        };
        if !change.merged {
            return plain(Code::ChangeNotMerged);
        }
        if let Err(code) = self.selects(criterion, change) {
            return plain(code);
        }
        let Some(at) = change.merged_at else {
            return plain(Code::ChangeNotMerged);
        };
        let window = rule.window.of(dates);
        match window.place(at) {
            Placement::Inside => {}
            placement @ Placement::Before(_) => {
                return Disposition {
                    code: Code::ChangeBeforeWindow,
                    placement: Some(placement),
                };
            }
            placement @ Placement::After(_) => {
                return Disposition {
                    code: Code::ChangeAfterWindow,
                    placement: Some(placement),
                };
            }
        }
        if let Some((_, Some(retired))) = self.team_of(change.repo)
            && retired < window.start.date_naive()
        {
            return plain(Code::ChangeRepoRetired);
        }
        if self.people.is_dropped(change_index) {
            return plain(Code::ChangeDroppedDuplicate);
        }
        let owner_credited = rule.credit.contains(&CreditRule::Owner)
            && self.people.of_account(change.owner) == person;
        if !owner_credited {
            let mut credited = Vec::new();
            self.credited(change, &rule.credit, &mut credited);
            if !credited.contains(&person) {
                return plain(Code::ChangeNotCredited);
            }
        }
        Disposition {
            code: Code::ChangeQualifies,
            placement: Some(Placement::Inside),
        }
    }

    /// The team that owns a change's repository, if governance lists it.
    #[must_use]
    pub fn change_team(&self, change: u32) -> Option<TeamIdx> {
        let change = self.election.changes.changes.get(change as usize)?;
        self.team_of(change.repo).map(|(team, _)| team)
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
        let log = &self.election.changes;
        for (i, change) in log.changes.iter().enumerate() {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            let owner = self.people.of_account(change.owner);
            let mut first_code = None;
            let mut used = false;
            for &ci in &code_criteria {
                let d = self.classify(index, ci, owner, dates);
                if d.code == Code::ChangeQualifies
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
            let slot = match first_code {
                // `classify` answers with change codes only; anything else would be counted
                // as not counted rather than under a wrong reason.
                None => &mut counts.not_counted,
                Some(Code::ChangeNotMerged) => &mut counts.not_merged,
                Some(Code::ChangeRepoRetired) => &mut counts.repo_retired,
                Some(Code::ChangeBeforeWindow | Code::ChangeAfterWindow) => {
                    &mut counts.outside_window
                }
                Some(Code::ChangeBranchExcluded) => &mut counts.branch_excluded,
                Some(Code::ChangeRepoNotSelected) => &mut counts.repo_not_selected,
                Some(Code::ChangeDroppedDuplicate) => &mut counts.dropped_duplicate_account,
                Some(Code::ChangeNotCredited) => &mut counts.not_credited,
                Some(Code::ChangeRepoNotGoverned) => &mut counts.repo_not_governed,
                Some(_) => &mut counts.not_counted,
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
        if owner_disposition.code != Code::ChangeNotCredited {
            return false;
        }
        let Rule::CodeChange(rule) = self.criteria[criterion].rule else {
            return false;
        };
        let mut credited = Vec::new();
        self.credited(
            &self.election.changes.changes[index as usize],
            &rule.credit,
            &mut credited,
        );
        credited
            .iter()
            .any(|&p| self.classify(index, criterion, p, dates).code == Code::ChangeQualifies)
    }
}
