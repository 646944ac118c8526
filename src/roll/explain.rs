//! `explain`: everything the inputs say about one person, and every decision about them.
//! Finding the person accepts an address, a Gerrit account id, a username or a name; when
//! nothing matches, the closest names and addresses are suggested.

use crate::identity::{Link, PersonIdx, Record};
use crate::policy::Rule;
use crate::policy::codes::{self, Code};
use crate::policy::evaluate::{Dates, Disposition, Engine, Evaluation, Grant, Miss};
use crate::roll::{Decision, decisive, instances};

/// How a change fared against each code-change criterion.
#[derive(Debug, Clone)]
pub struct ChangeVerdict {
    pub change: u32,
    /// `(criterion index, disposition)` for every code-change criterion.
    pub dispositions: Vec<(usize, Disposition)>,
}

/// One roll's decision about the person.
#[derive(Debug, Clone)]
pub struct RollVerdict {
    pub roll: String,
    pub team: Option<crate::ingest::governance::TeamIdx>,
    pub decision: Decision,
}

/// The whole story of one person.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub person: PersonIdx,
    pub records: Vec<Record>,
    pub links: Vec<(Record, Record, Link)>,
    pub changes: Vec<ChangeVerdict>,
    pub grants: Vec<Grant>,
    pub misses: Vec<Miss>,
    pub rolls: Vec<RollVerdict>,
    pub membership_checked: bool,
}

/// Who `who` can mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(Vec<PersonIdx>),
    /// Nobody; the closest known names, addresses and usernames, best first.
    NotFound(Vec<String>),
}

/// Find people by address, account id, username or name (case-insensitive).
#[must_use]
pub fn find(engine: &Engine<'_>, who: &str) -> Lookup {
    let who = who.trim();
    let needle = who.to_lowercase();
    let mut found: Vec<PersonIdx> = Vec::new();
    if let Some(p) = engine.people.by_email(who) {
        found.push(p);
    }
    let as_id = who.trim_start_matches("gerrit:").parse::<u64>().ok();
    for (idx, profile) in engine.profiles.iter().enumerate() {
        let person = PersonIdx(u32::try_from(idx).unwrap_or(u32::MAX));
        let matches = as_id.is_some_and(|id| profile.account_ids.contains(&id))
            || profile.usernames.iter().any(|u| u.to_lowercase() == needle)
            || profile
                .name
                .as_ref()
                .is_some_and(|n| n.to_lowercase() == needle)
            || profile.key == who;
        if matches {
            found.push(person);
        }
    }
    if !found.is_empty() {
        found.sort_unstable();
        found.dedup();
        return Lookup::Found(found);
    }
    let mut scored: Vec<(u32, String)> = Vec::new();
    for (idx, profile) in engine.profiles.iter().enumerate() {
        let person = engine
            .people
            .person(PersonIdx(u32::try_from(idx).unwrap_or(u32::MAX)));
        let names = profile
            .name
            .iter()
            .chain(profile.usernames.iter())
            .chain(person.emails.iter());
        for candidate in names {
            let score = strsim::jaro_winkler(&needle, &candidate.to_lowercase());
            if score >= 0.85 {
                // Scores as integers keep the ordering total and deterministic.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                scored.push(((score * 1_000_000.0) as u32, candidate.clone()));
            }
        }
    }
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut suggestions: Vec<String> = Vec::new();
    for (_, s) in scored {
        if !suggestions.contains(&s) {
            suggestions.push(s);
        }
        if suggestions.len() == 5 {
            break;
        }
    }
    Lookup::NotFound(suggestions)
}

/// Explain one person at the given dates.
#[must_use]
pub fn explain(
    engine: &Engine<'_>,
    evaluation: &Evaluation,
    dates: &Dates,
    person: PersonIdx,
) -> Explanation {
    let record = engine.people.person(person);
    let code_criteria: Vec<usize> = engine
        .criteria
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.rule, Rule::CodeChange(_)))
        .map(|(i, _)| i)
        .collect();
    let changes = engine
        .changes_of(person)
        .into_iter()
        .map(|change| ChangeVerdict {
            change,
            dispositions: code_criteria
                .iter()
                .map(|&ci| (ci, engine.classify(change, ci, person, dates)))
                .collect(),
        })
        .collect();
    let grants = evaluation.of(person).to_vec();
    let misses: Vec<Miss> = evaluation
        .misses
        .iter()
        .filter(|m| m.person == person)
        .cloned()
        .collect();
    let mut rolls = Vec::new();
    for def in &engine.policy.rolls {
        for (name, team) in instances(engine, def) {
            let decision = decisive(engine, evaluation, dates, person, def, team);
            rolls.push(RollVerdict {
                roll: name,
                team,
                decision,
            });
        }
    }
    Explanation {
        person,
        records: record.records.clone(),
        links: record.links.clone(),
        changes,
        grants,
        misses,
        rolls,
        membership_checked: engine.inputs.members.is_some(),
    }
}

impl Explanation {
    /// Every election-wide roll, and the team rolls the person is on or kept off despite a
    /// status; team rolls they have no status for are many and dull, so only counted.
    #[must_use]
    pub fn notable_rolls(&self) -> (Vec<&RollVerdict>, usize) {
        let mut shown = Vec::new();
        let mut no_status = 0;
        for verdict in &self.rolls {
            let dull = verdict.team.is_some()
                && verdict.decision == Decision::Off(codes::EXCLUDED_NO_STATUS);
            if dull {
                no_status += 1;
            } else {
                shown.push(verdict);
            }
        }
        (shown, no_status)
    }

    /// The decisive code for a roll.
    #[must_use]
    pub fn code_for(decision: &Decision) -> Code {
        match decision {
            Decision::On(_) => codes::ON_ROLL,
            Decision::Off(code) => *code,
        }
    }
}
