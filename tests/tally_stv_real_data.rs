//! IRV and STV on real elections with published outcomes, from the shared data folder.
//! The folder is not part of the project: without it (or with `ELECTORATE_REAL_BALLOTS`
//! pointing elsewhere) each test says so and passes.
//!
//! Published outcomes:
//! - Burlington (Vermont) mayor 2009, IRV: Bob Kiss over Kurt Wright in the final round,
//!   4,313 to 4,061.
//! - Oakland mayor 2010, IRV: Jean Quan.
//! - Dublin West 2002, 3 seats: Joe Higgins, Brian Lenihan, Joan Burton.
//! - Dublin North 2002, 4 seats: Trevor Sargent, Seán Ryan, Jim Glennon, G. V. Wright.
//! - Meath 2002, 5 seats: Johnny Brady, John Bruton, Noel Dempsey, Damien English,
//!   Mary Wallace.
//!
//! The Irish counts transfer surpluses by sampling papers from the last parcel, which no
//! exact method reproduces paper for paper; every variant here elects the published
//! members in all three constituencies.

use std::path::PathBuf;

use electorate::tally::method::{IrvOptions, Method, StvOptions, StvVariant, TiedRank};
use electorate::tally::result::{Audit, TallyResult};
use electorate::tally::{Contest, read_ballots, tally};

fn data_folder() -> Option<PathBuf> {
    let folder = std::env::var_os("ELECTORATE_REAL_BALLOTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ballots"),
        PathBuf::from,
    );
    folder.is_dir().then_some(folder)
}

fn count(name: &str, method: &Method, seats: u32) -> Option<TallyResult> {
    let Some(folder) = data_folder() else {
        eprintln!("real ballot files not found; skipping {name}");
        return None;
    };
    let bytes = std::fs::read(folder.join(name)).ok()?;
    let (set, _) = read_ballots(name, &bytes, None, None).expect("parses");
    let contest = Contest {
        seats,
        tie_seed: None,
        max_per_affiliation: None,
        default_option: None,
    };
    Some(tally(&set, method, &contest).expect("counts"))
}

fn irv() -> Method {
    Method::Irv(IrvOptions {
        tied_rank: TiedRank::Exhaust,
    })
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

#[test]
fn burlington_2009_elects_bob_kiss_over_kurt_wright() {
    let Some(result) = count("burlington-mayor-2009.toi", &irv(), 1) else {
        return;
    };
    assert_eq!(result.winners, vec!["Bob Kiss"]);
    let Audit::Rounds(audit) = &result.audit else {
        panic!("rounds expected")
    };
    let last = audit.rounds.last().unwrap();
    let standing: Vec<(&str, &str)> = last
        .tallies
        .iter()
        .filter(|tally| tally.votes.as_str() != "0")
        .map(|tally| (tally.candidate.as_str(), tally.votes.as_str()))
        .collect();
    assert_eq!(
        standing,
        vec![("Bob Kiss", "4313"), ("Kurt Wright", "4061")]
    );
}

#[test]
fn oakland_2010_elects_jean_quan() {
    let Some(result) = count("oakland-mayor-2010.toi", &irv(), 1) else {
        return;
    };
    assert_eq!(result.winners, vec!["Jean Quan"]);
    assert!(result.decided);
}

#[test]
fn the_irish_2002_counts_elect_the_published_members() {
    let expected: [(&str, u32, &[&str]); 3] = [
        (
            "dublin-west-2002.soi",
            3,
            &["Brian Lenihan F.F.", "Joan Burton Lab", "Joe Higgins S.P."],
        ),
        (
            "dublin-north-2002.soi",
            4,
            &[
                "G.V. Wright F.F.",
                "Jim Glennon F.F.",
                "Sean Ryan Lab",
                "Trevor Sargent G.P.",
            ],
        ),
        (
            "meath-2002.soi",
            5,
            &[
                "Damien English F.G.",
                "John Bruton F.G.",
                "Johnny Brady F.F.",
                "Mary Wallace F.F.",
                "Noel Dempsey F.F.",
            ],
        ),
    ];
    for (name, seats, members) in expected {
        for variant in [StvVariant::Meek, StvVariant::Scottish, StvVariant::Ers] {
            let method = Method::Stv(StvOptions {
                variant,
                tied_rank: TiedRank::Exhaust,
            });
            let Some(result) = count(name, &method, seats) else {
                return;
            };
            assert!(result.decided, "{name} {variant:?}");
            assert_eq!(sorted(result.winners), members, "{name} {variant:?}");
        }
    }
}
