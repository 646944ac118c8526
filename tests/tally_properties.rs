//! Properties of ballot reading and counting that must hold for any input:
//! writing ballots in our CSV and reading them back gives the same ballots; no input makes
//! a reader panic; the order of ballots never changes a count; identical ballots merged
//! count the same as kept apart.

use electorate::tally::InputFormat;
use electorate::tally::ballot::{BallotSet, Ballots, RankedBallots};
use electorate::tally::format::read_ballots;
use electorate::tally::method::{Contest, Method, tally};
use proptest::prelude::*;

/// A generated ballot: a rank (or nothing) per candidate, a weight, maybe a voter.
#[derive(Debug, Clone)]
struct GeneratedBallot {
    ranks: Vec<Option<u32>>,
    weight: u64,
    voter: Option<String>,
}

fn election() -> impl Strategy<Value = (usize, Vec<GeneratedBallot>)> {
    (2usize..7).prop_flat_map(|count| {
        let max_rank = u32::try_from(count).unwrap_or(2);
        let ballot = (
            prop::collection::vec(prop::option::of(1..=max_rank), count),
            1u64..5,
            prop::option::of("[a-z]{1,6}@example\\.org"),
        )
            .prop_map(|(ranks, weight, voter)| GeneratedBallot {
                ranks,
                weight,
                voter,
            });
        (Just(count), prop::collection::vec(ballot, 1..30))
    })
}

fn names(count: usize) -> Vec<String> {
    // Names that need CSV quoting, to exercise it.
    (0..count)
        .map(|i| format!("Candidate {i}, \"the {i}th\""))
        .collect()
}

fn quote(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

fn write_csv(count: usize, ballots: &[GeneratedBallot]) -> String {
    let mut text = String::from("voter,weight");
    for name in names(count) {
        text.push(',');
        text.push_str(&quote(&format!("rank:{name}")));
    }
    text.push('\n');
    for ballot in ballots {
        text.push_str(&ballot.voter.clone().unwrap_or_default());
        text.push(',');
        text.push_str(&ballot.weight.to_string());
        for rank in &ballot.ranks {
            text.push(',');
            if let Some(rank) = rank {
                text.push_str(&rank.to_string());
            }
        }
        text.push('\n');
    }
    text
}

/// Tiers of candidate positions, the way ranks define them.
fn expected_tiers(ranks: &[Option<u32>]) -> Vec<Vec<usize>> {
    let mut distinct: Vec<u32> = ranks.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct
        .iter()
        .map(|rank| {
            ranks
                .iter()
                .enumerate()
                .filter(|(_, r)| **r == Some(*rank))
                .map(|(position, _)| position)
                .collect()
        })
        .collect()
}

fn ranked(set: &BallotSet) -> &RankedBallots {
    match &set.ballots {
        Ballots::Ranked(ballots) => ballots,
        Ballots::Scored(_) => panic!("ranked ballots expected"),
    }
}

fn count(set: &BallotSet, method: &Method) -> serde_json::Value {
    let contest = Contest {
        seats: 1,
        tie_seed: Some("property".to_owned()),
        max_per_affiliation: None,
        default_option: None,
    };
    let result = tally(set, method, &contest).expect("a count");
    let mut json = serde_json::to_value(&result).expect("serializable");
    // The number of records legitimately changes when ballots are merged.
    json["ballots"]["records"] = serde_json::Value::Null;
    json
}

proptest! {
    #[test]
    fn our_csv_round_trips((count, ballots) in election()) {
        let text = write_csv(count, &ballots);
        let (set, detection) = read_ballots("generated.csv", text.as_bytes(), None, None)
            .expect("our own CSV reads back");
        prop_assert_eq!(detection.format, InputFormat::Csv);
        prop_assert_eq!(set.candidates.len(), count);
        for (position, name) in names(count).iter().enumerate() {
            prop_assert_eq!(set.candidates.name_at(position), name.as_str());
        }
        let read = ranked(&set);
        prop_assert_eq!(read.len(), ballots.len());
        for (ballot, generated) in read.iter().zip(&ballots) {
            let tiers: Vec<Vec<usize>> = ballot
                .ranking
                .tiers()
                .map(|tier| tier.iter().map(|c| c.index()).collect())
                .collect();
            prop_assert_eq!(tiers, expected_tiers(&generated.ranks));
            prop_assert_eq!(ballot.weight, generated.weight);
            prop_assert_eq!(ballot.voter, generated.voter.as_deref());
        }
    }

    #[test]
    fn ballot_order_and_merging_never_change_a_count((count, ballots) in election(), seed in any::<u64>()) {
        let text = write_csv(count, &ballots);
        let mut shuffled = ballots.clone();
        // A deterministic shuffle driven by the generated seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
            shuffled.swap(i, j);
        }
        // Split every weighted ballot into single ballots: merging must undo it.
        let split: Vec<GeneratedBallot> = shuffled
            .iter()
            .flat_map(|ballot| {
                (0..ballot.weight).map(|_| GeneratedBallot { weight: 1, ..ballot.clone() })
            })
            .collect();
        let original = read_ballots("b.csv", text.as_bytes(), None, None).unwrap().0;
        let reordered =
            read_ballots("b.csv", write_csv(count, &split).as_bytes(), None, None).unwrap().0;
        for method in [Method::Plurality, Method::Approval] {
            prop_assert_eq!(count_of(&original, &method), count_of(&reordered, &method));
        }
    }

    #[test]
    fn no_bytes_make_a_reader_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        for format in InputFormat::ALL {
            let _ = read_ballots("fuzz.txt", &bytes, Some(format), None);
        }
        let _ = read_ballots("fuzz.txt", &bytes, None, None);
    }

    #[test]
    fn no_ballot_like_text_makes_a_reader_panic(
        text in "([0-9]{1,3}|,|:|\\{|\\}| |=|-|x|\"|#|\n|No opinion|rank:|votes:|voter|\\[\\[ballot\\]\\]|ranking = |A|B){0,60}"
    ) {
        for format in InputFormat::ALL {
            let _ = read_ballots("fuzz.txt", text.as_bytes(), Some(format), None);
        }
        for name in ["fuzz.csv", "fuzz.blt", "fuzz.toi", "fuzz.soc", "fuzz.toml"] {
            let _ = read_ballots(name, text.as_bytes(), None, None);
        }
    }
}

fn count_of(set: &BallotSet, method: &Method) -> serde_json::Value {
    let mut json = count(set, method);
    json["ballots"]["file"] = serde_json::Value::Null;
    json
}
