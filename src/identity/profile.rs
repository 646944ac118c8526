//! What a roll shows of a person: a stable key, a name, the address a ballot goes to, their
//! account ids, usernames and nicks, and their membership record.

use rustc_hash::FxHashMap;

use crate::identity::{People, Record};
use crate::model::{Election, Instant};

/// Fill in every person's profile from the records that make them up.
pub(crate) fn fill(people: &mut People, election: &Election) {
    let log = &election.changes;
    let symbols = &log.symbols;
    // The latest change with an owner address, per person: its address is the one a ballot
    // goes to (people change employers; the latest address is the live one).
    let mut latest: Vec<Option<(Option<Instant>, u32)>> = vec![None; people.len()];
    for (i, change) in log.changes.iter().enumerate() {
        let person = people.of_account(change.owner);
        let Some(slot) = latest.get_mut(person.index()) else {
            continue;
        };
        let key = (change.merged_at, u32::try_from(i).unwrap_or(u32::MAX));
        if change.email.is_some() && slot.is_none_or(|best| key > best) {
            *slot = Some(key);
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
                if person.name.is_none() {
                    person.name.clone_from(&declared.name);
                }
                person.nicks.extend(declared.irc.iter().cloned());
            }
        }
        for record in &person.records {
            match *record {
                Record::Account(a) => {
                    let account = &log.accounts[a.index()];
                    if person.name.is_none() {
                        person.name = account.name.map(|n| symbols.resolve(n).to_owned());
                    }
                    if let Some(id) = account.gerrit_id {
                        person.account_ids.push(id);
                    }
                    if let Some(u) = account.username {
                        person.usernames.push(symbols.resolve(u).to_owned());
                    }
                }
                Record::Member(m) => {
                    person.member.get_or_insert(m);
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
        person.email = latest[idx]
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
                    let extra = &election.governance.extra_atcs[e];
                    person.name.get_or_insert_with(|| extra.name.clone());
                    person.email.get_or_insert_with(|| extra.email.clone());
                }
                Record::Member(m) => {
                    if let Some(member) = election.members.as_ref().and_then(|ms| ms.members.get(m))
                    {
                        if let Some(name) = &member.name {
                            person.name.get_or_insert_with(|| name.clone());
                        }
                        if let Some(email) = member.emails.first() {
                            person.email.get_or_insert_with(|| email.clone());
                        }
                    }
                }
                Record::Declared(d) => {
                    if let Some(email) = election.declared.get(d).and_then(|p| p.emails.first()) {
                        person.email.get_or_insert_with(|| email.clone());
                    }
                }
                Record::Roster(r) => {
                    if let Some(entry) = election.activities.roster.get(r) {
                        if let Some(name) = &entry.name {
                            person.name.get_or_insert_with(|| name.clone());
                        }
                        person.email.get_or_insert_with(|| entry.email.clone());
                    }
                }
                Record::Metric(m) => {
                    if let Some(entry) = election.activities.metrics.get(m) {
                        person.email.get_or_insert_with(|| entry.email.clone());
                    }
                }
                Record::Account(_) | Record::Nick(_) => {}
            }
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
        person.key = match (
            person.account_ids.first(),
            person.emails.first(),
            person.nicks.first(),
        ) {
            (Some(id), _, _) => format!("gerrit:{id}"),
            (None, Some(email), _) => format!("email:{email}"),
            (None, None, Some(nick)) => format!("irc:{nick}"),
            (None, None, None) => format!("person:{idx}"),
        };
    }
}
