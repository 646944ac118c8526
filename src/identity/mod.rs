//! Who is who, decided once per election: Gerrit accounts, extra-ATC entries, membership
//! records, declared people, IRC nicks, roster and metrics rows merged into people. One
//! person, one vote: two accounts that share an address are one person, and so are two
//! accounts whose addresses belong to one Foundation member.
//!
//! [`People::resolve`] is the stage: it takes the election and the compatibility rules and
//! yields every person with what a roll shows of them (a stable key, a name, the address a
//! ballot goes to), the changes each took part in, and why records were taken to be one
//! person. Policies never change who is who, so comparing policies pays for this once.

mod merge;
mod profile;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{AccountIdx, Compat, Election, EmailFolding};
use merge::Claim;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonIdx(pub u32);

impl PersonIdx {
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Something that names a person in the inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Record {
    Account(AccountIdx),
    /// An extra-ATC entry, by its index in the governance list.
    ExtraAtc(usize),
    /// A membership-list entry, by its index.
    Member(usize),
    /// A person declared in the identity file, by index.
    Declared(usize),
    /// An IRC nick seen in meeting logs, by index.
    Nick(usize),
    /// A roster row, by index.
    Roster(usize),
    /// An AUC metrics row, by index.
    Metric(usize),
}

impl Record {
    const KINDS: usize = 7;

    fn slot(self) -> (usize, usize) {
        match self {
            Self::Account(a) => (0, a.index()),
            Self::ExtraAtc(i) => (1, i),
            Self::Member(i) => (2, i),
            Self::Declared(i) => (3, i),
            Self::Nick(i) => (4, i),
            Self::Roster(i) => (5, i),
            Self::Metric(i) => (6, i),
        }
    }
}

/// Why two records were found to be one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Both carry this address (folded).
    SharedEmail(String),
    /// Both addresses belong to this Foundation member.
    SameMember(String),
    /// Both carry this handle: `gerrit:ID`, `user:NAME`, `irc:NICK`, `github:HANDLE`.
    SharedHandle(String),
}

/// One person: the records that make them up, and what a roll shows of them.
#[derive(Debug, Clone, Default)]
pub struct Person {
    /// The records that make up this person, sorted.
    pub records: Vec<Record>,
    /// Folded addresses, sorted and unique.
    pub emails: Vec<String>,
    /// Links that merged records into this person, for explanations.
    pub links: Vec<(Record, Record, Link)>,
    /// A stable key: `gerrit:<smallest account id>`, else `email:<smallest address>`, else
    /// `irc:<nick>`.
    pub key: String,
    pub name: Option<String>,
    /// The address a ballot goes to: the owner address on the person's latest change, else
    /// an account address, else the extra-ATC, membership or declared address.
    pub email: Option<String>,
    pub account_ids: Vec<u64>,
    pub usernames: Vec<String>,
    /// IRC nicks seen in meeting logs or declared, normalised.
    pub nicks: Vec<String>,
    /// Membership-list entry, when a list was given and the person is on it.
    pub member: Option<usize>,
    /// What the exports gave as this person's address when it was not one: they can
    /// receive no ballot until it is fixed.
    pub unusable_emails: Vec<String>,
}

impl Person {
    pub fn accounts(&self) -> impl Iterator<Item = AccountIdx> + '_ {
        self.records.iter().filter_map(|r| match r {
            Record::Account(a) => Some(*a),
            _ => None,
        })
    }
}

/// The people of an election and the maps from records, addresses and handles to them.
#[derive(Debug, Clone, Default)]
pub struct People {
    persons: Vec<Person>,
    /// Person of each record, per kind of record, indexed by the record's own index
    /// (dense: looked up once per change in the hot loops).
    of_record: [Vec<PersonIdx>; Record::KINDS],
    by_handle: FxHashMap<String, PersonIdx>,
    by_email: FxHashMap<String, PersonIdx>,
    compat: Compat,
    /// Every change a person owns or is credited on: `(person, change)`, grouped by
    /// person, each person's changes in input order.
    involvement: Vec<(PersonIdx, u32)>,
    /// Changes the compatibility rules drop (the first change of a duplicate account).
    dropped: FxHashSet<u32>,
}

impl People {
    /// Resolve the election's records into people under the compatibility rules.
    #[must_use]
    pub fn resolve(election: &Election, compat: Compat) -> Self {
        let claims = claims(election, compat);
        let mut people = merge::merge(&claims, compat.folding);
        people.compat = compat;
        if compat.drop_duplicate_first_change {
            people.dropped = people.duplicate_first_changes(election);
        }
        profile::fill(&mut people, election);
        people.involvement = people.involvement(election);
        people
    }

    /// The rules the people were resolved under.
    #[must_use]
    pub fn compat(&self) -> Compat {
        self.compat
    }

    #[must_use]
    pub fn folding(&self) -> EmailFolding {
        self.compat.folding
    }

    #[must_use]
    pub fn of(&self, record: Record) -> Option<PersonIdx> {
        let (kind, index) = record.slot();
        self.of_record[kind]
            .get(index)
            .copied()
            .filter(|p| p.0 != u32::MAX)
    }

    /// The person a handle (`irc:nick`, `gerrit:123`, ...) belongs to.
    #[must_use]
    pub fn by_handle(&self, handle: &str) -> Option<PersonIdx> {
        self.by_handle.get(handle).copied()
    }

    #[must_use]
    pub fn of_account(&self, account: AccountIdx) -> PersonIdx {
        self.of_record[0]
            .get(account.index())
            .copied()
            .unwrap_or(PersonIdx(u32::MAX))
    }

    /// The person an address belongs to, folded the same way as at resolution.
    #[must_use]
    pub fn by_email(&self, email: &str) -> Option<PersonIdx> {
        self.by_email.get(&self.folding().fold(email)).copied()
    }

    #[must_use]
    pub fn person(&self, idx: PersonIdx) -> &Person {
        &self.persons[idx.index()]
    }

    pub fn iter(&self) -> impl Iterator<Item = (PersonIdx, &Person)> {
        self.persons
            .iter()
            .enumerate()
            .map(|(i, p)| (PersonIdx(u32::try_from(i).unwrap_or(u32::MAX)), p))
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.persons.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }

    /// Every change a person owns or is credited on, in input order.
    pub fn changes_of(&self, person: PersonIdx) -> impl Iterator<Item = u32> + '_ {
        let lo = self.involvement.partition_point(|(p, _)| *p < person);
        let hi = self.involvement.partition_point(|(p, _)| *p <= person);
        self.involvement[lo..hi].iter().map(|(_, c)| *c)
    }

    /// Whether the compatibility rules drop this change.
    #[must_use]
    pub fn is_dropped(&self, change: u32) -> bool {
        !self.dropped.is_empty() && self.dropped.contains(&change)
    }

    /// The reference tooling drops the change on which it discovers that an account
    /// duplicates an earlier one: for every person made of several accounts, the first
    /// change of each account but the first one seen.
    fn duplicate_first_changes(&self, election: &Election) -> FxHashSet<u32> {
        let mut first_change: FxHashMap<AccountIdx, u32> = FxHashMap::default();
        for (i, change) in election.changes.changes.iter().enumerate() {
            first_change
                .entry(change.owner)
                .or_insert(u32::try_from(i).unwrap_or(u32::MAX));
        }
        let mut dropped = FxHashSet::default();
        for person in &self.persons {
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

    fn involvement(&self, election: &Election) -> Vec<(PersonIdx, u32)> {
        let log = &election.changes;
        let mut involvement = Vec::with_capacity(log.changes.len());
        for (i, change) in log.changes.iter().enumerate() {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            involvement.push((self.of_account(change.owner), index));
            for c in log.credits_of(change) {
                involvement.push((self.of_account(c.account), index));
            }
        }
        // Grouped by person, each person's changes stay in input order (and an owner who
        // is also credited on a change appears twice in a row).
        let mut involvement = by_person(involvement, self.len(), |(p, _)| *p);
        involvement.dedup();
        involvement
    }
}

/// Group items by person, keeping their order within a person: a counting sort, linear in
/// the number of items, where a comparison sort of a million items would dominate.
pub fn by_person<T: Copy>(
    items: Vec<T>,
    people: usize,
    person: impl Fn(&T) -> PersonIdx,
) -> Vec<T> {
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

/// The claims every record of the election makes, under the compatibility rules.
fn claims<'e>(election: &'e Election, compat: Compat) -> Vec<Claim<'e>> {
    let log = &election.changes;
    let symbols = &log.symbols;
    let mut claims: Vec<Claim<'_>> = log
        .accounts
        .iter()
        .enumerate()
        .map(|(i, account)| {
            let mut emails: Vec<&str> =
                account.emails.iter().map(|e| symbols.resolve(*e)).collect();
            let mut handles: Vec<String> = account
                .gerrit_id
                .map(|id| format!("gerrit:{id}"))
                .into_iter()
                .chain(
                    account
                        .username
                        .map(|u| format!("user:{}", symbols.resolve(u).to_lowercase())),
                )
                .collect();
            if compat.first_address_only {
                emails.truncate(1);
            }
            if !compat.merge_by_handles {
                handles.clear();
            }
            Claim {
                record: Record::Account(AccountIdx(u32::try_from(i).unwrap_or(u32::MAX))),
                emails,
                handles,
                member_id: None,
            }
        })
        .collect();
    let plain = |record, emails: Vec<&'e str>, handles: Vec<String>| Claim {
        record,
        emails,
        handles,
        member_id: None,
    };
    for (i, extra) in election.governance.extra_atcs.iter().enumerate() {
        claims.push(plain(
            Record::ExtraAtc(i),
            vec![extra.email.as_str()],
            Vec::new(),
        ));
    }
    if compat.merge_through_members
        && let Some(members) = &election.members
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
    for (i, person) in election.declared.iter().enumerate() {
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
    let activities = &election.activities;
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
    claims
}
