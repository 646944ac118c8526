//! Candidates' affiliations from the membership list, for `--max-per-affiliation`: the TC
//! charter's "no more than half of the members from one organization" needs each
//! candidate's employer, which the member directory has (`fetch members` writes it as the
//! members CSV's `affiliations` column).
//!
//! A candidate is matched to a member by address (a candidate whose id or name is an
//! address: ASCII case ignored) or else by full name (case and runs of spaces ignored).
//! An affiliation the ballot or candidates file already gives is kept. Everything else
//! that cannot be decided is an error naming the candidate and the member rows: a
//! candidate no member matches, a name two members share, a member with more than one
//! current affiliation (the cap needs the one that counts: give it in a candidates file).

use crate::model::{Member, Members};
use crate::tally::ballot::{BallotSet, Candidates};

/// Fill in each candidate's affiliation from `members` (read from the file named `file`).
///
/// # Errors
/// One message per candidate that cannot be given an affiliation, all together.
pub fn from_members(set: &mut BallotSet, members: &Members, file: &str) -> Result<(), String> {
    let mut list = set.candidates.as_slice().to_vec();
    let mut problems = Vec::new();
    for candidate in list.iter_mut().filter(|c| c.affiliation.is_none()) {
        let address = [candidate.id.as_deref(), Some(candidate.name.as_str())]
            .into_iter()
            .flatten()
            .find(|token| crate::model::is_plausible_email(token));
        let matches: Vec<&Member> = match address {
            Some(address) => members
                .members
                .iter()
                .filter(|m| m.emails.iter().any(|e| e.eq_ignore_ascii_case(address)))
                .collect(),
            None => {
                let wanted = normalise(&candidate.name);
                members
                    .members
                    .iter()
                    .filter(|m| m.name.as_deref().is_some_and(|n| normalise(n) == wanted))
                    .collect()
            }
        };
        let rows = |found: &[&Member]| {
            found
                .iter()
                .map(|m| format!("member {} at {file}:{}", m.id, m.origin.position))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match matches.as_slice() {
            [] => problems.push(format!(
                "candidate \"{}\" matches no member of {file} by {}, expected every candidate in the membership list",
                candidate.name,
                if address.is_some() { "address" } else { "name" }
            )),
            [member] => match member.affiliations.as_slice() {
                [] => {}
                [one] => candidate.affiliation = Some(one.clone()),
                several => problems.push(format!(
                    "candidate \"{}\" ({}) has {} current affiliations ({}), expected one: give the one that counts in a candidates file (--candidates)",
                    candidate.name,
                    rows(&matches),
                    several.len(),
                    several.join("; ")
                )),
            },
            several => problems.push(format!(
                "candidate \"{}\" matches {} members by name ({}), expected one: give the candidate's address as its id in a candidates file (--candidates)",
                candidate.name,
                several.len(),
                rows(several)
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    // Affiliations change neither names nor ids, so the list stays valid.
    set.candidates =
        Candidates::new(list).map_err(|err| format!("the candidates of {}: {err:?}", set.file))?;
    Ok(())
}

fn normalise(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileId, Origin, Position};
    use crate::tally::ballot::Candidate;

    fn member(id: &str, name: &str, email: &str, affiliations: &[&str], line: u32) -> Member {
        Member {
            id: id.to_owned(),
            name: Some(name.to_owned()),
            emails: vec![email.to_owned()],
            affiliations: affiliations.iter().map(|a| (*a).to_owned()).collect(),
            origin: Origin {
                file: FileId::default(),
                position: line,
                kind: Position::Line,
            },
        }
    }

    fn set(candidates: Vec<Candidate>) -> BallotSet {
        BallotSet {
            file: "b.toml".to_owned(),
            format: crate::tally::format::InputFormat::Toml,
            title: None,
            seats: None,
            candidates: Candidates::new(candidates).unwrap(),
            ballots: crate::tally::ballot::Ballots::Ranked(
                crate::tally::ballot::RankedBallots::new(),
            ),
        }
    }

    fn members() -> Members {
        Members {
            members: vec![
                member("1", "Ann Lee", "ann@example.org", &["Acme"], 2),
                member("2", "Bo  Roe", "bo@example.org", &[], 3),
                member("3", "Cy Poe", "cy@example.org", &["Acme", "Initech"], 4),
                member("4", "Di Moe", "di@example.org", &["Initech"], 5),
                member("5", "Di Moe", "di2@example.org", &["Globex"], 6),
            ],
            rows: 5,
            rejected: 0,
        }
    }

    #[test]
    fn by_address_by_name_and_a_given_affiliation_kept() {
        let mut given = Candidate::named("Kept");
        given.affiliation = Some("Umbrella".to_owned());
        let mut by_id = Candidate::named("Ann");
        by_id.id = Some("ANN@example.org".to_owned());
        let mut ballots = set(vec![by_id, Candidate::named("bo roe"), given]);
        from_members(&mut ballots, &members(), "members.csv").unwrap();
        let affiliations: Vec<Option<&str>> = ballots
            .candidates
            .iter()
            .map(|(_, c)| c.affiliation.as_deref())
            .collect();
        assert_eq!(affiliations, [Some("Acme"), None, Some("Umbrella")]);
    }

    #[test]
    fn what_cannot_be_decided_is_named() {
        let mut ballots = set(vec![
            Candidate::named("Cy Poe"),
            Candidate::named("Di Moe"),
            Candidate::named("Nobody"),
        ]);
        let err = from_members(&mut ballots, &members(), "members.csv").unwrap_err();
        assert_eq!(
            err.lines().collect::<Vec<_>>(),
            [
                "candidate \"Cy Poe\" (member 3 at members.csv:4) has 2 current affiliations (Acme; Initech), expected one: give the one that counts in a candidates file (--candidates)",
                "candidate \"Di Moe\" matches 2 members by name (member 4 at members.csv:5, member 5 at members.csv:6), expected one: give the candidate's address as its id in a candidates file (--candidates)",
                "candidate \"Nobody\" matches no member of members.csv by name, expected every candidate in the membership list",
            ]
        );
    }
}
