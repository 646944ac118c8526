//! What a rule change would do: the same election under several policies, roll by roll,
//! person by person (who is gained, who is lost, and why), status by status (how many
//! AUCs are already ATCs), and over time (each roll's size at a series of dates).
//!
//! People are matched across policies by their stable key (`gerrit:ID`, `email:ADDRESS`,
//! `irc:NICK`): identity resolution depends on the inputs, never on the policy, so a
//! person has the same key under every policy.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate, TimeDelta};

use rustc_hash::FxHashMap;

use crate::identity::PersonIdx;
use crate::model::{Dates, Instant, Window};
use crate::policy::{Engine, Evaluation};
use crate::roll::{Roll, Voter, all_instances, build_selected, decisive, sizes_selected};

/// One policy applied to the election.
pub struct Run<'e, 'a> {
    pub engine: &'e Engine<'a>,
    pub evaluation: Evaluation,
    pub rolls: Vec<Roll>,
    dates: Dates,
    by_key: FxHashMap<&'e str, PersonIdx>,
}

impl<'e, 'a> Run<'e, 'a> {
    #[must_use]
    pub fn new(engine: &'e Engine<'a>, dates: &Dates) -> Self {
        let evaluation = engine.evaluate(dates);
        let rolls = build_selected(engine, &evaluation, &|_| true);
        let by_key = engine
            .people()
            .iter()
            .map(|(i, p)| (p.key.as_str(), i))
            .collect();
        Self {
            engine,
            evaluation,
            rolls,
            dates: *dates,
            by_key,
        }
    }

    fn voters_by_key(&self, roll: &str) -> Option<BTreeMap<&str, &Voter>> {
        let people = self.engine.people();
        self.rolls.iter().find(|r| r.name == roll).map(|roll| {
            roll.voters
                .iter()
                .map(|v| (people.person(v.person).key.as_str(), v))
                .collect()
        })
    }
}

/// A person gained or lost on a roll, with why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub person: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// Gained: the criteria that put them on. Lost: the code that keeps them off.
    pub reasons: Vec<String>,
}

/// One roll across policies.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RollComparison {
    pub roll: String,
    /// Voters under each policy, in policy order; `None` when the policy has no such roll.
    pub voters: Vec<Option<usize>>,
    /// Against the first policy: for each other policy, who is gained and who is lost.
    pub against_first: Vec<Difference>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Difference {
    pub policy: String,
    pub gained: Vec<Change>,
    pub lost: Vec<Change>,
}

/// Holders of a status under a policy.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatusCount {
    pub policy: String,
    pub status: String,
    pub holders: usize,
}

/// People holding two statuses (of the same or different policies).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Overlap {
    pub first: String,
    pub second: String,
    /// Holders of the first who also hold the second.
    pub both: usize,
}

/// People earning a status through a criterion.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CriterionCount {
    pub policy: String,
    pub criterion: String,
    pub people: usize,
}

/// The comparison of several policies at one set of dates.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Comparison {
    /// The instant compared at (`as_of`).
    pub as_of: String,
    pub policies: Vec<String>,
    pub rolls: Vec<RollComparison>,
    pub statuses: Vec<StatusCount>,
    pub overlaps: Vec<Overlap>,
    pub criteria: Vec<CriterionCount>,
}

/// Compare runs of several policies (the first is the baseline).
#[must_use]
pub fn compare(runs: &[Run<'_, '_>]) -> Comparison {
    let policies: Vec<String> = runs
        .iter()
        .map(|r| r.engine.policy().name.clone())
        .collect();
    // Roll names in order of first appearance across policies.
    let mut names: Vec<String> = Vec::new();
    for run in runs {
        for roll in &run.rolls {
            if !names.contains(&roll.name) {
                names.push(roll.name.clone());
            }
        }
    }
    let mut rolls = Vec::new();
    for name in &names {
        let voters = runs
            .iter()
            .map(|run| {
                run.rolls
                    .iter()
                    .find(|r| &r.name == name)
                    .map(|r| r.voters.len())
            })
            .collect();
        let mut against_first = Vec::new();
        if let Some(base) = runs.first() {
            let base_voters = base.voters_by_key(name);
            for run in &runs[1..] {
                // A roll one of the two policies does not have is not a difference in who
                // votes in it: its column shows "-" and nobody is listed.
                let (Some(base_voters), Some(voters)) =
                    (base_voters.as_ref(), run.voters_by_key(name))
                else {
                    against_first.push(Difference {
                        policy: run.engine.policy().name.clone(),
                        gained: Vec::new(),
                        lost: Vec::new(),
                    });
                    continue;
                };
                let gained = voters
                    .iter()
                    .filter(|(key, _)| !base_voters.contains_key(*key))
                    .map(|(key, voter)| change(run, key, on_reason(run, voter)))
                    .collect();
                let lost = base_voters
                    .keys()
                    .filter(|key| !voters.contains_key(*key))
                    .map(|key| change(base, key, off_reason(run, name, key)))
                    .collect();
                let (mut gained, mut lost): (Vec<Change>, Vec<Change>) = (gained, lost);
                for list in [&mut gained, &mut lost] {
                    list.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.person.cmp(&b.person)));
                }
                against_first.push(Difference {
                    policy: run.engine.policy().name.clone(),
                    gained,
                    lost,
                });
            }
        }
        rolls.push(RollComparison {
            roll: name.clone(),
            voters,
            against_first,
        });
    }

    // Status holders (by key), for counts and overlaps.
    let mut holders: Vec<(String, BTreeSet<String>)> = Vec::new();
    let mut criteria = Vec::new();
    for run in runs {
        let policy = run.engine.policy();
        let people = run.engine.people();
        for (s, status) in policy.statuses.iter().enumerate() {
            let set: BTreeSet<String> = run
                .evaluation
                .grants
                .iter()
                .filter(|g| g.status == s)
                .map(|g| people.person(g.person).key.clone())
                .collect();
            holders.push((format!("{}/{}", policy.name, status.id), set));
        }
        for (c, criterion) in run.engine.criteria().iter().enumerate() {
            let people: BTreeSet<PersonIdx> = run
                .evaluation
                .grants
                .iter()
                .filter(|g| g.criterion == c)
                .map(|g| g.person)
                .collect();
            criteria.push(CriterionCount {
                policy: policy.name.clone(),
                criterion: criterion.id.to_owned(),
                people: people.len(),
            });
        }
    }
    let statuses = holders
        .iter()
        .map(|(label, set)| {
            let (policy, status) = label.split_once('/').unwrap_or((label, ""));
            StatusCount {
                policy: policy.to_owned(),
                status: status.to_owned(),
                holders: set.len(),
            }
        })
        .collect();
    // Overlaps worth asking about: a status one policy has and another lacks, against the
    // statuses of the other ("how many AUCs are already ATCs"), and a status a proposal
    // adds against the baseline's statuses in the same policy ("how many Ops Contributors
    // are ATCs anyway"). Pairs that exist in every policy would repeat the same number.
    let has = |policy: &str, status: &str| {
        runs.iter().any(|r| {
            r.engine.policy().name == policy && r.engine.policy().status_index(status).is_some()
        })
    };
    let baseline = runs.first().map_or("", |r| r.engine.policy().name.as_str());
    let mut overlaps = Vec::new();
    for (i, (a, first)) in holders.iter().enumerate() {
        for (b, second) in &holders[i + 1..] {
            let (policy_a, status_a) = a.split_once('/').unwrap_or((a, ""));
            let (policy_b, status_b) = b.split_once('/').unwrap_or((b, ""));
            if status_a == status_b {
                continue; // the same status under two policies is the roll comparison's job
            }
            let worth = if policy_a == policy_b {
                // a status the baseline lacks, within its own policy
                policy_a != baseline && (!has(baseline, status_a) || !has(baseline, status_b))
            } else {
                !has(policy_b, status_a) && !has(policy_a, status_b)
            };
            if !worth {
                continue;
            }
            overlaps.push(Overlap {
                first: a.clone(),
                second: b.clone(),
                both: first.intersection(second).count(),
            });
        }
    }
    Comparison {
        as_of: runs
            .first()
            .map(|r| crate::model::format_instant(r.dates.as_of))
            .unwrap_or_default(),
        policies,
        rolls,
        statuses,
        overlaps,
        criteria,
    }
}

fn change(run: &Run<'_, '_>, key: &str, reasons: Vec<String>) -> Change {
    let profile = run.by_key.get(key).map(|&p| run.engine.people().person(p));
    Change {
        person: key.to_owned(),
        name: profile.and_then(|p| p.name.clone()),
        email: profile.and_then(|p| p.email.clone()),
        reasons,
    }
}

/// Why a voter is on a roll: the criteria that put them there.
fn on_reason(run: &Run<'_, '_>, voter: &Voter) -> Vec<String> {
    let criteria = run.engine.criteria();
    voter
        .criteria
        .iter()
        .map(|&c| criteria[c].id.to_owned())
        .collect()
}

/// Why a person is off a roll under a run's policy: the decisive code.
fn off_reason(run: &Run<'_, '_>, roll: &str, key: &str) -> Vec<String> {
    let engine = run.engine;
    // A person is matched across policies by key; identity does not depend on the policy,
    // so the key is always there.
    let Some(&person) = run.by_key.get(key) else {
        return Vec::new();
    };
    all_instances(engine.policy(), &engine.election().governance)
        .find(|(_, name, _)| name == roll)
        .map(|(def, _, team)| {
            let decision = decisive(engine, &run.evaluation, &run.dates, person, def, team);
            vec![decision.code().as_str().to_owned()]
        })
        .unwrap_or_default()
}

/// How far apart the dates of a series are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Days(u32),
    Months(u32),
}

impl Step {
    /// `1month`, `3months`, `2weeks`, `7days`, `1year`.
    ///
    /// # Errors
    /// A message saying what was expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        let unit = text[digits.len()..].trim();
        let n: u32 = if digits.is_empty() {
            1
        } else {
            digits.parse().map_err(|_| String::new())?
        };
        let bad = || {
            format!(
                "\"{text}\" is not a step, expected a number and a unit such as 1month, 2weeks, 7days or 1year"
            )
        };
        if n == 0 {
            return Err(bad());
        }
        match unit {
            "d" | "day" | "days" => Ok(Self::Days(n)),
            "w" | "week" | "weeks" => Ok(Self::Days(n * 7)),
            "m" | "month" | "months" => Ok(Self::Months(n)),
            "y" | "year" | "years" => Ok(Self::Months(n * 12)),
            _ => Err(bad()),
        }
    }

    /// The date `times` steps after `date`.
    #[must_use]
    pub fn after(self, date: NaiveDate, times: u32) -> Option<NaiveDate> {
        match self {
            Self::Days(n) => {
                date.checked_add_signed(TimeDelta::days(i64::from(n) * i64::from(times)))
            }
            Self::Months(n) => date.checked_add_months(Months::new(n * times)),
        }
    }
}

/// Dates from `from` to `to` inclusive, `step` apart (month steps keep the day of the
/// month, clamped to the month's length, counted from `from` so they never drift).
#[must_use]
pub fn dates(from: NaiveDate, to: NaiveDate, step: Step) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(date) = step.after(from, i) {
        if date > to || out.len() >= 100_000 {
            break;
        }
        out.push(date);
        i += 1;
    }
    out
}

/// The election's dates moved to end at `at`: the window keeps its length and ends there,
/// and `as_of` is `at`.
#[must_use]
pub fn dates_ending(election: &Dates, at: Instant) -> Dates {
    let length = election.window.end - election.window.start;
    Dates {
        window: Window::new(at - length, at),
        as_of: at,
    }
}

/// One point of a series: a roll's size under a policy at a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Point {
    pub date: String,
    pub policy: String,
    pub roll: String,
    pub voters: usize,
}

/// A roll's size under each policy at each date.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Series {
    pub points: Vec<Point>,
}

/// Each selected roll's size under each policy at each date. Engines are prepared once;
/// each date costs one evaluation and the selected rolls.
#[must_use]
pub fn over_time(
    engines: &[&Engine<'_>],
    election: &Dates,
    at: &[NaiveDate],
    keep: &dyn Fn(&str) -> bool,
) -> Vec<Point> {
    let mut points = Vec::new();
    for date in at {
        let Some(midnight) = date.and_hms_opt(0, 0, 0) else {
            continue;
        };
        let dates = dates_ending(election, midnight.and_utc());
        for engine in engines {
            let evaluation = engine.evaluate(&dates);
            for (roll, voters) in sizes_selected(engine, &evaluation, keep) {
                points.push(Point {
                    date: format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day()),
                    policy: engine.policy().name.clone(),
                    roll,
                    voters,
                });
            }
        }
    }
    points
}

/// Names of the election-wide rolls of the engines' policies (the default series).
#[must_use]
pub fn election_wide_rolls(engines: &[&Engine<'_>]) -> Vec<String> {
    let mut names = Vec::new();
    for engine in engines {
        for def in &engine.policy().rolls {
            if def.per == crate::policy::Per::Election && !names.contains(&def.id) {
                names.push(def.id.clone());
            }
        }
    }
    names
}

/// One line of a chart: a policy and a roll, and the roll's size at each date.
pub type Line = ((String, String), Vec<(String, usize)>);

/// Group points into lines `(policy, roll) -> [(date, voters)]`, in first-seen order.
#[must_use]
pub fn series(points: &[Point]) -> Vec<Line> {
    let mut order: Vec<(String, String)> = Vec::new();
    let mut by: BTreeMap<(String, String), Vec<(String, usize)>> = BTreeMap::new();
    for p in points {
        let key = (p.policy.clone(), p.roll.clone());
        if !order.contains(&key) {
            order.push(key.clone());
        }
        by.entry(key).or_default().push((p.date.clone(), p.voters));
    }
    order
        .into_iter()
        .map(|key| {
            let values = by.remove(&key).unwrap_or_default();
            (key, values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_and_dates() {
        assert_eq!(Step::parse("1month"), Ok(Step::Months(1)));
        assert_eq!(Step::parse("2weeks"), Ok(Step::Days(14)));
        assert_eq!(Step::parse("year"), Ok(Step::Months(12)));
        assert!(Step::parse("0days").is_err());
        assert_eq!(
            Step::parse("fortnight").unwrap_err(),
            "\"fortnight\" is not a step, expected a number and a unit such as 1month, 2weeks, 7days or 1year"
        );
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let months = dates(d("2016-01-31"), d("2016-05-01"), Step::Months(1));
        assert_eq!(
            months,
            [
                d("2016-01-31"),
                d("2016-02-29"),
                d("2016-03-31"),
                d("2016-04-30")
            ]
        );
        assert_eq!(
            dates(d("2016-01-01"), d("2015-01-01"), Step::Days(1)),
            Vec::<NaiveDate>::new()
        );
    }
}
