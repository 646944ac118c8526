//! Merging records into people: records that share a folded address or a handle are one
//! person, and so are the addresses of one member (union-find, numbered so that the result
//! never depends on the order links are found in).

use rustc_hash::FxHashMap;

use crate::identity::{Link, People, Person, PersonIdx, Record};
use crate::model::EmailFolding;

/// An address-bearing record for identity resolution, independent of where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Claim<'a> {
    pub(crate) record: Record,
    pub(crate) emails: Vec<&'a str>,
    /// Other identity keys, namespaced: `gerrit:ID`, `user:NAME`, `irc:NICK`,
    /// `github:HANDLE`. Compared exactly (callers normalise).
    pub(crate) handles: Vec<String>,
    /// A member id, for membership records.
    pub(crate) member_id: Option<&'a str>,
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
pub(crate) fn merge(claims: &[Claim<'_>], folding: EmailFolding) -> People {
    let mut sets = Sets::new(claims.len());
    // Each claim's addresses folded once: the keys to join on here, the person's addresses
    // in `build`.
    let mut folded: Vec<Vec<String>> = claims
        .iter()
        .map(|claim| claim.emails.iter().map(|e| folding.fold(e)).collect())
        .collect();
    let mut first_with_key: FxHashMap<&str, u32> = FxHashMap::default();
    first_with_key.reserve(claims.len());
    let mut links = Vec::new();
    for (i, (claim, keys)) in claims.iter().zip(&folded).enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        for handle in &claim.handles {
            match first_with_key.get(handle.as_str()) {
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
                    first_with_key.insert(handle, i);
                }
            }
        }
        for key in keys {
            match first_with_key.get(key.as_str()) {
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
    drop(first_with_key);
    build(claims, &mut folded, &mut sets, links, folding)
}

fn build(
    claims: &[Claim<'_>],
    folded: &mut [Vec<String>],
    sets: &mut Sets,
    links: Vec<(Record, Record, Link)>,
    folding: EmailFolding,
) -> People {
    // Roots in order of their smallest member give persons a stable numbering: a set's
    // root is its smallest claim index, so the first claim of each set numbers it.
    let mut person_of_root: Vec<PersonIdx> = vec![PersonIdx(u32::MAX); claims.len()];
    let mut people = People {
        compat: crate::model::Compat {
            folding,
            ..crate::model::Compat::default()
        },
        ..People::default()
    };
    for (i, (claim, keys)) in claims.iter().zip(folded.iter_mut()).enumerate() {
        let root = sets.find(u32::try_from(i).unwrap_or(u32::MAX)) as usize;
        if person_of_root[root].0 == u32::MAX {
            person_of_root[root] =
                PersonIdx(u32::try_from(people.persons.len()).unwrap_or(u32::MAX));
            people.persons.push(Person::default());
        }
        let person = person_of_root[root];
        let entry = &mut people.persons[person.index()];
        entry.records.push(claim.record);
        entry.emails.append(keys);
        for handle in &claim.handles {
            if !people.by_handle.contains_key(handle) {
                people.by_handle.insert(handle.clone(), person);
            }
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
            if !people.by_email.contains_key(email) {
                people.by_email.insert(
                    email.clone(),
                    PersonIdx(u32::try_from(idx).unwrap_or(u32::MAX)),
                );
            }
        }
    }
    people
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AccountIdx;

    fn claim(record: Record, emails: &[&'static str]) -> Claim<'static> {
        Claim {
            record,
            emails: emails.to_vec(),
            handles: Vec::new(),
            member_id: None,
        }
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
        let people = merge(&claims, EmailFolding::Whole);
        assert_eq!(people.len(), 2);
        let p = people.of_account(AccountIdx(2));
        assert_eq!(people.of_account(AccountIdx(0)), p);
        assert_eq!(people.of_account(AccountIdx(1)), p);
        assert_eq!(people.person(p).links.len(), 2);
        assert_eq!(people.by_email("A@EXAMPLE.ORG"), Some(p));

        let reference = merge(&claims, EmailFolding::DomainOnly);
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
        let people = merge(&claims, EmailFolding::Whole);
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
        let people = merge(&a, EmailFolding::Whole);
        assert_eq!(people.len(), 1);
        assert_eq!(people.persons[0].records.len(), 3);
    }
}
