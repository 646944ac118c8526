//! Roll diff: two builds of the same rolls compared, address by address. OpenStack's
//! officials build the roll independently and compare; this is that comparison, and the
//! same one between this cycle and the last. With an election, each address that differs
//! gets the decisive reason for its roll, as `explain` gives it.

use serde::Serialize;

use crate::model::{Code, RollFile};
use crate::policy::{Engine, Evaluation};
use crate::roll::explain::{Lookup, find};
use crate::roll::{Decision, all_instances, decisive};

/// One address on one side only.
#[derive(Debug, Clone, Serialize)]
pub struct OneSide {
    pub email: String,
    /// The person the election knows by this address, when an election was given.
    pub person: Option<String>,
    pub name: Option<String>,
    /// Whether the election puts them on this roll.
    pub on_roll: Option<bool>,
    /// The decisive code for this roll in the election: `on-roll` or why not.
    pub code: Option<Code>,
}

/// One roll compared.
#[derive(Debug, Clone, Serialize)]
pub struct RollDiff {
    pub roll: String,
    /// Voters in A, `None` when A has no such roll.
    pub a_voters: Option<usize>,
    pub b_voters: Option<usize>,
    pub only_in_a: Vec<OneSide>,
    pub only_in_b: Vec<OneSide>,
}

impl RollDiff {
    #[must_use]
    pub fn same(&self) -> bool {
        self.a_voters.is_some()
            && self.b_voters.is_some()
            && self.only_in_a.is_empty()
            && self.only_in_b.is_empty()
    }
}

/// Two sets of rolls compared.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// A and B as given.
    pub a: String,
    pub b: String,
    /// Whether every roll is in both with the same addresses.
    pub same: bool,
    /// Every roll of either side, by name.
    pub rolls: Vec<RollDiff>,
}

/// Compare two sets of rolls by name, address by address (exactly, as the files are
/// what a ballot system takes). With an engine, each address that differs is looked up
/// and decided for its roll.
#[must_use]
pub fn diff(
    a: (&str, &[RollFile]),
    b: (&str, &[RollFile]),
    election: Option<(&Engine<'_>, &Evaluation)>,
) -> Diff {
    let mut names: Vec<&str> = a.1.iter().chain(b.1).map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let rolls: Vec<RollDiff> = names
        .into_iter()
        .map(|name| {
            let left = a.1.iter().find(|r| r.name == name);
            let right = b.1.iter().find(|r| r.name == name);
            let only = |one: Option<&RollFile>, other: Option<&RollFile>| -> Vec<OneSide> {
                let mut found: Vec<&String> = one
                    .map(|r| {
                        r.addresses
                            .iter()
                            .filter(|e| other.is_none_or(|o| !o.addresses.contains(e)))
                            .collect()
                    })
                    .unwrap_or_default();
                found.sort_unstable_by(|x, y| x.as_bytes().cmp(y.as_bytes()));
                found
                    .into_iter()
                    .map(|email| side(email, name, election))
                    .collect()
            };
            RollDiff {
                roll: name.to_owned(),
                a_voters: left.map(|r| r.addresses.len()),
                b_voters: right.map(|r| r.addresses.len()),
                only_in_a: only(left, right),
                only_in_b: only(right, left),
            }
        })
        .collect();
    Diff {
        a: a.0.to_owned(),
        b: b.0.to_owned(),
        same: rolls.iter().all(RollDiff::same),
        rolls,
    }
}

fn side(email: &str, roll: &str, election: Option<(&Engine<'_>, &Evaluation)>) -> OneSide {
    let mut out = OneSide {
        email: email.to_owned(),
        person: None,
        name: None,
        on_roll: None,
        code: None,
    };
    let Some((engine, evaluation)) = election else {
        return out;
    };
    let Lookup::Found(people) = find(engine, email) else {
        return out;
    };
    let [person] = people[..] else {
        return out;
    };
    let profile = engine.people().person(person);
    out.person = Some(profile.key.clone());
    out.name.clone_from(&profile.name);
    let dates = &engine.election().dates;
    if let Some((def, _, team)) = all_instances(engine.policy(), &engine.election().governance)
        .find(|(_, name, _)| name == roll)
    {
        let decision = decisive(engine, evaluation, dates, person, def, team);
        out.on_roll = Some(matches!(decision, Decision::On(_)));
        out.code = Some(decision.code());
    }
    out
}
