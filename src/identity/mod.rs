//! Who is who: Gerrit accounts, addresses from extra-ATC entries and the membership list
//! merged into people. One person, one vote: two accounts that share an address are one
//! person, and so are two accounts whose addresses belong to one Foundation member.
//!
//! This module knows nothing about elections; it only answers "which person is this
//! account / address / member", and why two records were taken to be one person.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::ingest::changes::{AccountIdx, ChangeLog};
use crate::symbols::Symbols;

/// How addresses are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmailFolding {
    /// The whole address case-insensitively: `Jane.Doe@X` is `jane.doe@x`. Mail providers
    /// almost never distinguish local-part case, and two ballots for one person is the
    /// worse error.
    #[default]
    Whole,
    /// Only the domain, as the reference tooling does (RFC 5321 lets the local part be
    /// case-sensitive).
    DomainOnly,
}

impl EmailFolding {
    /// The comparison key of an address.
    #[must_use]
    pub fn fold(self, email: &str) -> String {
        let email = email.trim();
        match self {
            Self::Whole => email.to_lowercase(),
            Self::DomainOnly => match email.rsplit_once('@') {
                Some((local, domain)) => format!("{local}@{}", domain.to_lowercase()),
                None => email.to_owned(),
            },
        }
    }
}

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

/// An address-bearing record for identity resolution, independent of where it came from.
#[derive(Debug, Clone)]
pub struct Claim<'a> {
    pub record: Record,
    pub emails: Vec<&'a str>,
    /// Other identity keys, namespaced: `gerrit:ID`, `user:NAME`, `irc:NICK`,
    /// `github:HANDLE`. Compared exactly (callers normalise).
    pub handles: Vec<String>,
    /// A member id, for membership records.
    pub member_id: Option<&'a str>,
}

#[derive(Debug, Clone, Default)]
pub struct Person {
    /// The records that make up this person, sorted.
    pub records: Vec<Record>,
    /// Folded addresses, sorted and unique.
    pub emails: Vec<String>,
    /// Links that merged records into this person, for explanations.
    pub links: Vec<(Record, Record, Link)>,
}

impl Person {
    pub fn accounts(&self) -> impl Iterator<Item = AccountIdx> + '_ {
        self.records.iter().filter_map(|r| match r {
            Record::Account(a) => Some(*a),
            _ => None,
        })
    }

    pub fn members(&self) -> impl Iterator<Item = usize> + '_ {
        self.records.iter().filter_map(|r| match r {
            Record::Member(m) => Some(*m),
            _ => None,
        })
    }
}

/// The people of an election and the map from records to them.
#[derive(Debug, Clone, Default)]
pub struct People {
    pub persons: Vec<Person>,
    /// Person of each record, per kind of record, indexed by the record's own index
    /// (dense: looked up once per change in the hot loops).
    of_record: [Vec<PersonIdx>; Record::KINDS],
    by_handle: FxHashMap<String, PersonIdx>,
    by_email: FxHashMap<String, PersonIdx>,
    pub folding: EmailFolding,
}

impl People {
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
        self.by_email.get(&self.folding.fold(email)).copied()
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
}

/// Union-find over record indices.
struct Sets {
    parent: Vec<u32>,
}

impl Sets {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..u32::try_from(n).unwrap_or(u32::MAX)).collect(),
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Join two sets; the smaller index becomes the root so results do not depend on
    /// the order links are found in.
    fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child as usize] = root;
        true
    }
}

/// Merge records into people: records sharing a folded address are one person, and so
/// are the addresses of one member.
#[must_use]
pub fn resolve(claims: &[Claim<'_>], folding: EmailFolding) -> People {
    let mut sets = Sets::new(claims.len());
    let mut first_with_key: FxHashMap<String, u32> = FxHashMap::default();
    let mut links = Vec::new();
    for (i, claim) in claims.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        for handle in &claim.handles {
            match first_with_key.get(handle) {
                Some(&j) => {
                    if sets.union(j, i) {
                        links.push((
                            claims[j as usize].record,
                            claim.record,
                            Link::SharedHandle(handle.clone()),
                        ));
                    }
                }
                None => {
                    first_with_key.insert(handle.clone(), i);
                }
            }
        }
        for email in &claim.emails {
            let key = folding.fold(email);
            match first_with_key.get(&key) {
                Some(&j) => {
                    if sets.union(j, i) {
                        let link = match claim.member_id.or(claims[j as usize].member_id) {
                            Some(id)
                                if claim.member_id.is_some()
                                    != claims[j as usize].member_id.is_some() =>
                            {
                                Link::SameMember(id.to_owned())
                            }
                            _ => Link::SharedEmail(key.clone()),
                        };
                        links.push((claims[j as usize].record, claim.record, link));
                    }
                }
                None => {
                    first_with_key.insert(key, i);
                }
            }
        }
    }
    build(claims, &mut sets, links, folding)
}

fn build(
    claims: &[Claim<'_>],
    sets: &mut Sets,
    links: Vec<(Record, Record, Link)>,
    folding: EmailFolding,
) -> People {
    // Roots in order of their smallest member give persons a stable numbering.
    let mut person_of_root: BTreeMap<u32, PersonIdx> = BTreeMap::new();
    let mut people = People {
        folding,
        ..People::default()
    };
    for (i, claim) in claims.iter().enumerate() {
        let root = sets.find(u32::try_from(i).unwrap_or(u32::MAX));
        let next = PersonIdx(u32::try_from(person_of_root.len()).unwrap_or(u32::MAX));
        let person = *person_of_root.entry(root).or_insert(next);
        if person.index() == people.persons.len() {
            people.persons.push(Person::default());
        }
        let entry = &mut people.persons[person.index()];
        entry.records.push(claim.record);
        for email in &claim.emails {
            entry.emails.push(folding.fold(email));
        }
        for handle in &claim.handles {
            people.by_handle.entry(handle.clone()).or_insert(person);
        }
        let (kind, index) = claim.record.slot();
        let table = &mut people.of_record[kind];
        if table.len() <= index {
            table.resize(index + 1, PersonIdx(u32::MAX));
        }
        table[index] = person;
    }
    for (a, b, link) in links {
        if let Some(p) = people.of(a) {
            people.persons[p.index()].links.push((a, b, link));
        }
    }
    for (idx, person) in people.persons.iter_mut().enumerate() {
        person.records.sort_unstable();
        person.emails.sort_unstable();
        person.emails.dedup();
        for email in &person.emails {
            people
                .by_email
                .entry(email.clone())
                .or_insert(PersonIdx(u32::try_from(idx).unwrap_or(u32::MAX)));
        }
    }
    people
}

/// The claims every account of a change log makes.
pub fn account_claims<'a>(
    log: &'a ChangeLog,
    symbols: &'a Symbols,
) -> impl Iterator<Item = Claim<'a>> + 'a {
    log.accounts
        .iter()
        .enumerate()
        .map(move |(i, account)| Claim {
            record: Record::Account(AccountIdx(u32::try_from(i).unwrap_or(u32::MAX))),
            emails: account.emails.iter().map(|e| symbols.resolve(*e)).collect(),
            handles: account
                .gerrit_id
                .map(|id| format!("gerrit:{id}"))
                .into_iter()
                .chain(
                    account
                        .username
                        .map(|u| format!("user:{}", symbols.resolve(u).to_lowercase())),
                )
                .collect(),
            member_id: None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(record: Record, emails: &[&'static str]) -> Claim<'static> {
        Claim {
            record,
            emails: emails.to_vec(),
            handles: Vec::new(),
            member_id: None,
        }
    }

    #[test]
    fn folding() {
        assert_eq!(
            EmailFolding::Whole.fold("Jane.Doe@Example.ORG"),
            "jane.doe@example.org"
        );
        assert_eq!(
            EmailFolding::DomainOnly.fold("Jane.Doe@Example.ORG"),
            "Jane.Doe@example.org"
        );
    }

    #[test]
    fn accounts_sharing_an_address_are_one_person_transitively() {
        let claims = [
            claim(Record::Account(AccountIdx(0)), &["a@example.org"]),
            claim(Record::Account(AccountIdx(1)), &["b@example.org"]),
            claim(
                Record::Account(AccountIdx(2)),
                &["B@example.org", "A@Example.org"],
            ),
            claim(Record::Account(AccountIdx(3)), &["c@example.org"]),
        ];
        let people = resolve(&claims, EmailFolding::Whole);
        assert_eq!(people.len(), 2);
        let p = people.of_account(AccountIdx(2));
        assert_eq!(people.of_account(AccountIdx(0)), p);
        assert_eq!(people.of_account(AccountIdx(1)), p);
        assert_eq!(people.person(p).links.len(), 2);
        assert_eq!(people.by_email("A@EXAMPLE.ORG"), Some(p));

        let reference = resolve(&claims, EmailFolding::DomainOnly);
        assert_eq!(reference.len(), 4, "local-part case keeps them apart");
    }

    #[test]
    fn a_member_with_two_addresses_joins_two_accounts() {
        let claims = [
            claim(Record::Account(AccountIdx(0)), &["a@example.org"]),
            claim(Record::Account(AccountIdx(1)), &["a2@example.net"]),
            Claim {
                record: Record::Member(0),
                emails: vec!["a@example.org", "a2@example.net"],
                handles: Vec::new(),
                member_id: Some("101"),
            },
        ];
        let people = resolve(&claims, EmailFolding::Whole);
        assert_eq!(people.len(), 1);
        let links = &people.persons[0].links;
        assert!(
            links
                .iter()
                .all(|(_, _, l)| *l == Link::SameMember("101".to_owned())),
            "{links:?}"
        );
    }

    #[test]
    fn numbering_does_not_depend_on_link_order() {
        let a = [
            claim(Record::Account(AccountIdx(0)), &["x@example.org"]),
            claim(Record::Account(AccountIdx(1)), &["y@example.org"]),
            claim(
                Record::Account(AccountIdx(2)),
                &["x@example.org", "y@example.org"],
            ),
        ];
        let people = resolve(&a, EmailFolding::Whole);
        assert_eq!(people.len(), 1);
        assert_eq!(people.persons[0].records.len(), 3);
    }
}
