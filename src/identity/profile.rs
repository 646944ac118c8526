//! What a roll shows of a person: a stable key, a name, the address a ballot goes to, their
//! account ids, usernames and nicks, and their membership record.
//!
//! Every choice among several candidates follows a total order on what the records say,
//! never the order they were read in, so shuffled or split exports give the same rolls:
//! - the ballot address is the owner address on the person's latest change; among changes
//!   merged at one instant, the address that sorts first;
//! - the name is one the officials declared, else the name on the person's account seen
//!   latest (ties: the name that sorts last), else the first in sort order of the names
//!   extra-ATC entries, membership records and rosters give;
//! - the membership record is the one with the smallest id.

use rustc_hash::FxHashMap;

use crate::identity::{People, Record};
use crate::model::{Election, Instant, Sym};

/// Fill in every person's profile from the records that make them up.
pub(crate) fn fill(people: &mut People, election: &Election) {
    let log = &election.changes;
    let symbols = &log.symbols;
    // The latest change with an owner address, per person: its address is the one a ballot
    // goes to (people change employers; the latest address is the live one).
    let mut latest: Vec<Option<(Option<Instant>, Sym)>> = vec![None; people.len()];
    for change in &log.changes {
        let person = people.of_account(change.owner);
        let (Some(slot), Some(email)) = (latest.get_mut(person.index()), change.email) else {
            continue;
        };
        let better = match *slot {
            None => true,
            Some((at, kept)) => {
                change.merged_at > at
                    || (change.merged_at == at
                        && email != kept
                        && symbols.resolve(email) < symbols.resolve(kept))
            }
        };
        if better {
            *slot = Some((change.merged_at, email));
        }
    }
    let compat = people.compat;
    let folding = compat.folding;
    // Without merging through the membership list, membership is looked up by address.
    let member_emails: FxHashMap<String, usize> = match (&election.members, compat) {
        (Some(members), compat) if !compat.merge_through_members => members
            .members
            .iter()
            .enumerate()
            .flat_map(|(i, m)| m.emails.iter().map(move |e| (folding.fold(e), i)))
            .collect(),
        _ => FxHashMap::default(),
    };
    for (idx, person) in people.persons.iter_mut().enumerate() {
        // Names the officials declared come first: the identity file exists to settle such
        // things.
        for record in &person.records {
            if let Record::Declared(d) = *record
                && let Some(declared) = election.declared.get(d)
            {
                if let Some(name) = &declared.name
                    && person.name.as_ref().is_none_or(|kept| name < kept)
                {
                    person.name = Some(name.clone());
                }
                person.nicks.extend(declared.irc.iter().cloned());
            }
        }
        let declared_name = person.name.is_some();
        let mut account_name: Option<(Option<Instant>, &str)> = None;
        for record in &person.records {
            match *record {
                Record::Account(a) => {
                    let account = &log.accounts[a.index()];
                    if let Some(name) = account.name {
                        let seen = (account.name_at, symbols.resolve(name));
                        if account_name.is_none_or(|kept| seen > kept) {
                            account_name = Some(seen);
                        }
                    }
                    if let Some(id) = account.gerrit_id {
                        person.account_ids.push(id);
                    }
                    if let Some(u) = account.username {
                        person.usernames.push(symbols.resolve(u).to_owned());
                    }
                    person.unusable_emails.extend(
                        account
                            .unusable_emails
                            .iter()
                            .map(|&e| symbols.resolve(e).to_owned()),
                    );
                }
                Record::Member(m) => {
                    let id = |m: usize| {
                        election
                            .members
                            .as_ref()
                            .and_then(|ms| ms.members.get(m))
                            .map(|member| (member.id.len(), member.id.as_str()))
                    };
                    if person.member.is_none_or(|kept| id(m) < id(kept)) {
                        person.member = Some(m);
                    }
                }
                Record::Nick(n) => {
                    if let Some(nick) = election.activities.nicks.get(n) {
                        person.nicks.push(nick.clone());
                    }
                }
                Record::ExtraAtc(_)
                | Record::Declared(_)
                | Record::Roster(_)
                | Record::Metric(_) => {}
            }
        }
        if !declared_name {
            person.name = account_name.map(|(_, name)| name.to_owned());
        }
        person.email = latest[idx]
            .map(|(_, email)| symbols.resolve(email).to_owned())
            .or_else(|| {
                person
                    .accounts()
                    .flat_map(|a| log.accounts[a.index()].emails.iter())
                    .map(|&e| symbols.resolve(e))
                    .min()
                    .map(str::to_owned)
            });
        // Names and addresses from other records, when the accounts give none: the first
        // in sort order of each kind.
        let mut other_names: Vec<&str> = Vec::new();
        let mut other_emails: Vec<&str> = Vec::new();
        for record in &person.records {
            match *record {
                Record::ExtraAtc(e) => {
                    let extra = &election.governance.extra_atcs[e];
                    other_names.push(&extra.name);
                    other_emails.push(&extra.email);
                }
                Record::Member(m) => {
                    if let Some(member) = election.members.as_ref().and_then(|ms| ms.members.get(m))
                    {
                        other_names.extend(member.name.as_deref());
                        other_emails.extend(member.emails.iter().map(String::as_str));
                    }
                }
                Record::Declared(d) => {
                    if let Some(declared) = election.declared.get(d) {
                        other_emails.extend(declared.emails.iter().map(String::as_str));
                    }
                }
                Record::Roster(r) => {
                    if let Some(entry) = election.activities.roster.get(r) {
                        other_names.extend(entry.name.as_deref());
                        other_emails.push(&entry.email);
                    }
                }
                Record::Metric(m) => {
                    if let Some(entry) = election.activities.metrics.get(m) {
                        other_emails.push(&entry.email);
                    }
                }
                Record::Account(_) | Record::Nick(_) => {}
            }
        }
        if person.name.is_none() {
            person.name = other_names.into_iter().min().map(str::to_owned);
        }
        if person.email.is_none() {
            person.email = other_emails.into_iter().min().map(str::to_owned);
        }
        if compat.fold_roll_domain
            && let Some(email) = &mut person.email
        {
            *email = crate::model::EmailFolding::DomainOnly.fold(email);
        }
        if !compat.merge_through_members {
            person.member = person
                .emails
                .iter()
                .find_map(|e| member_emails.get(e).copied());
        }
        person.account_ids.sort_unstable();
        person.account_ids.dedup();
        person.usernames.sort();
        person.usernames.dedup();
        person.nicks.sort();
        person.nicks.dedup();
        person.unusable_emails.sort();
        person.unusable_emails.dedup();
        person.key = match (
            person.account_ids.first(),
            person.emails.first(),
            person.nicks.first(),
        ) {
            (Some(id), _, _) => format!("gerrit:{id}"),
            (None, Some(email), _) => format!("email:{email}"),
            (None, None, Some(nick)) => format!("irc:{nick}"),
            (None, None, None) => match person.unusable_emails.first() {
                Some(raw) => format!("unusable:{raw}"),
                None => format!("person:{idx}"),
            },
        };
    }
}
