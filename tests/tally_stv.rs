//! IRV, STV and cumulative voting against published worked examples, on edge cases
//! (blank ballots only, as many seats as candidates, ties, tied ranks), and through the
//! real binary for exit codes and the options written into the output.
//!
//! Sources of the examples: `fixtures/ballots/tennessee.toml` (Wikipedia, "Instant-runoff
//! voting": Knoxville), `fixtures/ballots/stv/wikipedia-food.toml` (Wikipedia, "Single
//! transferable vote", section "Example": Chocolate, Oranges, Strawberries, with the
//! published round figures).

use std::path::{Path, PathBuf};
use std::process::Command;

use electorate::tally::ballot::{
    BallotOrigin, BallotSet, Ballots, CandidateIndex, Candidates, RankedBallots, RankingBuilder,
};
use electorate::tally::method::{
    CumulativeOptions, IrvOptions, Method, StvOptions, StvVariant, TiedRank,
};
use electorate::tally::result::{Audit, Round, TallyResult};
use electorate::tally::{Contest, InputFormat, TallyError, read_ballots, tally};

const VARIANTS: [StvVariant; 3] = [StvVariant::Meek, StvVariant::Scottish, StvVariant::Ers];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ballots")
}

fn fixture(name: &str) -> BallotSet {
    let bytes = std::fs::read(fixtures().join(name)).expect("fixture exists");
    read_ballots(name, &bytes, None, None)
        .expect("fixture parses")
        .0
}

fn contest(seats: u32, seed: Option<&str>) -> Contest {
    Contest {
        seats,
        tie_seed: seed.map(str::to_owned),
        max_per_affiliation: None,
        default_option: None,
    }
}

fn stv(variant: StvVariant) -> Method {
    Method::Stv(StvOptions {
        variant,
        tied_rank: TiedRank::Exhaust,
    })
}

fn irv(tied_rank: TiedRank) -> Method {
    Method::Irv(IrvOptions { tied_rank })
}

fn rounds(result: &TallyResult) -> &[Round] {
    match &result.audit {
        Audit::Rounds(audit) => &audit.rounds,
        other => panic!("rounds expected, got {other:?}"),
    }
}

/// Each candidate's votes in a round, by name.
fn votes(round: &Round) -> Vec<(&str, &str)> {
    round
        .tallies
        .iter()
        .map(|tally| (tally.candidate.as_str(), tally.votes.as_str()))
        .collect()
}

/// A ballot set from rows of (weight, ranks per candidate).
fn ranked_set(names: &[&str], rows: &[(u64, &[Option<u32>])]) -> BallotSet {
    let candidates = Candidates::from_names(names).unwrap();
    let mut ballots = RankedBallots::new();
    for (line, (weight, ranks)) in (1u32..).zip(rows) {
        let mut builder = RankingBuilder::new(names.len());
        builder.set_from_ranks(ranks);
        ballots
            .push(*weight, &builder, None, BallotOrigin { line })
            .unwrap();
    }
    BallotSet {
        file: "generated".to_owned(),
        format: InputFormat::Csv,
        title: None,
        seats: None,
        candidates,
        ballots: Ballots::Ranked(ballots),
    }
}

#[test]
fn tennessee_elects_knoxville_by_instant_runoff() {
    let set = fixture("tennessee.toml");
    let result = tally(&set, &irv(TiedRank::Exhaust), &contest(1, None)).unwrap();
    assert_eq!(result.winners, vec!["Knoxville"]);
    let rounds = rounds(&result);
    // Chattanooga (15) out, then Nashville (26); Knoxville wins 58 to 42.
    assert_eq!(rounds[0].eliminated, vec!["Chattanooga"]);
    assert_eq!(rounds[1].eliminated, vec!["Nashville"]);
    assert_eq!(
        votes(&rounds[2]),
        vec![
            ("Memphis", "42"),
            ("Nashville", "0"),
            ("Chattanooga", "0"),
            ("Knoxville", "58")
        ]
    );
    assert_eq!(rounds[2].quota.as_ref().unwrap().as_str(), "51");
    assert_eq!(
        result.ranking,
        vec![
            vec!["Knoxville"],
            vec!["Memphis"],
            vec!["Nashville"],
            vec!["Chattanooga"]
        ]
    );
}

#[test]
fn the_wikipedia_food_example_counts_as_published() {
    let set = fixture("stv/wikipedia-food.toml");
    for variant in VARIANTS {
        let result = tally(&set, &stv(variant), &contest(3, None)).unwrap();
        let mut winners = result.winners.clone();
        winners.sort();
        assert_eq!(
            winners,
            vec!["Chocolate", "Oranges", "Strawberries"],
            "{variant:?}"
        );
        assert!(result.decided);
    }
    // The Gregory counts follow the published figures stage by stage.
    for (variant, expected) in [
        (
            StvVariant::Scottish,
            [
                "4.00000", "2.00000", "6.00000", "5.00000", "3.00000", "6.00000",
            ],
        ),
        (StvVariant::Ers, ["4", "2", "6", "5", "3", "6"]),
    ] {
        let result = tally(&set, &stv(variant), &contest(3, None)).unwrap();
        let rounds = rounds(&result);
        assert_eq!(rounds[0].elected, vec!["Chocolate"], "{variant:?}");
        assert_eq!(rounds[0].quota.as_ref().unwrap().as_str(), expected[5]);
        let after_surplus: Vec<&str> = votes(&rounds[1]).iter().map(|(_, v)| *v).collect();
        assert_eq!(after_surplus, expected[..5], "{variant:?}");
        assert_eq!(rounds[1].eliminated, vec!["Pears"], "{variant:?}");
        assert_eq!(rounds[2].elected, vec!["Oranges"], "{variant:?}");
        assert_eq!(rounds[2].eliminated, vec!["Hamburgers"], "{variant:?}");
        assert_eq!(result.winners[2], "Strawberries", "{variant:?}");
    }
    // Chocolate's surplus of 6 moves at 6/12 = 0.5 a paper: 4 to Strawberries, 2 to
    // Hamburgers.
    let result = tally(&set, &stv(StvVariant::Ers), &contest(3, None)).unwrap();
    let moved: Vec<(Option<&str>, &str)> = rounds(&result)[0]
        .transfers
        .iter()
        .map(|t| (t.to.as_deref(), t.votes.as_str()))
        .collect();
    assert_eq!(
        moved,
        vec![(Some("Strawberries"), "4"), (Some("Hamburgers"), "2")]
    );
}

#[test]
fn the_options_state_quota_precision_and_rules() {
    let set = fixture("stv/wikipedia-food.toml");
    for variant in VARIANTS {
        let result = tally(&set, &stv(variant), &contest(3, None)).unwrap();
        let options = &result.options;
        assert_eq!(options.stv, Some(variant));
        assert_eq!(options.tied_rank, Some(TiedRank::Exhaust));
        assert_eq!(options.quota.as_deref(), Some(variant.quota_rule()));
        assert_eq!(options.precision.as_deref(), Some(variant.precision()));
        assert!(
            options.rules.iter().any(|rule| rule.contains("tie for")),
            "{variant:?}: {:?}",
            options.rules
        );
    }
    assert!(StvVariant::Meek.precision().contains("9 decimal places"));
    assert!(
        StvVariant::Scottish
            .precision()
            .contains("5 decimal places")
    );
    assert!(StvVariant::Ers.precision().contains("exact rationals"));
}

#[test]
fn blank_ballots_only_elect_no_one_without_a_draw() {
    let set = ranked_set(&["A", "B", "C"], &[(5, &[None, None, None])]);
    for method in [
        stv(StvVariant::Meek),
        stv(StvVariant::Scottish),
        stv(StvVariant::Ers),
        irv(TiedRank::Exhaust),
    ] {
        let result = tally(&set, &method, &contest(1, None)).unwrap();
        assert!(!result.decided, "{method:?}");
        assert!(result.winners.is_empty(), "{method:?}");
        assert_eq!(result.ballots.blank, 5);
        let seeded = tally(&set, &method, &contest(1, Some("blank"))).unwrap();
        assert!(seeded.decided, "{method:?}");
        assert_eq!(seeded.winners.len(), 1, "{method:?}");
    }
}

#[test]
fn as_many_seats_as_candidates_elects_everyone() {
    let set = ranked_set(
        &["A", "B", "C"],
        &[(3, &[Some(1), Some(2), None]), (1, &[None, None, Some(1)])],
    );
    for variant in VARIANTS {
        let result = tally(&set, &stv(variant), &contest(3, None)).unwrap();
        assert_eq!(result.winners.len(), 3, "{variant:?}");
        assert!(result.decided);
    }
    let result = tally(&set, &irv(TiedRank::Exhaust), &contest(3, None)).unwrap();
    assert_eq!(result.winners.len(), 3);
}

#[test]
fn impossible_counts_are_typed_errors() {
    let set = ranked_set(&["A", "B"], &[(1, &[Some(1), Some(2)])]);
    for method in [stv(StvVariant::Meek), irv(TiedRank::Skip)] {
        assert_eq!(
            tally(&set, &method, &contest(3, None)).unwrap_err(),
            TallyError::SeatsOutOfRange {
                seats: 3,
                standing: 2
            }
        );
    }
    let empty = ranked_set(&[], &[]);
    assert!(matches!(
        tally(&empty, &stv(StvVariant::Ers), &contest(1, None)),
        Err(TallyError::SeatsOutOfRange { .. })
    ));
}

#[test]
fn a_tied_rank_exhausts_or_is_skipped() {
    // 4 ballots A > {B, C} > D, 5 for B, 6 for C, 7 for D: A is excluded first.
    let set = ranked_set(
        &["A", "B", "C", "D"],
        &[
            (4, &[Some(1), Some(2), Some(2), Some(3)]),
            (5, &[None, Some(1), None, None]),
            (6, &[None, None, Some(1), None]),
            (7, &[None, None, None, Some(1)]),
        ],
    );
    let exhaust = tally(&set, &irv(TiedRank::Exhaust), &contest(1, None)).unwrap();
    let first = &rounds(&exhaust)[0];
    assert_eq!(first.eliminated, vec!["A"]);
    assert_eq!(first.transfers[0].to, None);
    assert_eq!(first.transfers[0].votes.as_str(), "4");
    let skip = tally(&set, &irv(TiedRank::Skip), &contest(1, None)).unwrap();
    let first = &rounds(&skip)[0];
    assert_eq!(first.transfers[0].to.as_deref(), Some("D"));
    assert_eq!(skip.winners, vec!["D"]);
}

#[test]
fn earlier_rounds_break_an_exclusion_tie_before_the_draw() {
    // Round 1: A 4, B 3, C 5, D 6, E 1 (E out: its ballot goes to B). Round 2: A 4, B 4
    // tie for fewest; backwards, round 1 had B lower, so B is excluded with no draw.
    let set = ranked_set(
        &["A", "B", "C", "D", "E"],
        &[
            (4, &[Some(1), None, None, None, None]),
            (3, &[None, Some(1), None, None, None]),
            (5, &[None, None, Some(1), None, None]),
            (6, &[None, None, None, Some(1), None]),
            (1, &[None, Some(2), None, None, Some(1)]),
        ],
    );
    let result = tally(&set, &irv(TiedRank::Exhaust), &contest(1, None)).unwrap();
    assert!(result.ties.is_empty());
    assert_eq!(rounds(&result)[1].eliminated, vec!["B"]);
    // Scottish and Meek look forwards, ERS backwards: here all agree.
    for variant in VARIANTS {
        let result = tally(&set, &stv(variant), &contest(1, None)).unwrap();
        assert!(result.ties.is_empty(), "{variant:?}");
        assert_eq!(rounds(&result)[1].eliminated, vec!["B"], "{variant:?}");
    }
}

#[test]
fn a_tie_no_round_separates_goes_to_the_draw_or_stops_the_count() {
    let set = ranked_set(
        &["A", "B", "C"],
        &[
            (3, &[Some(1), None, None]),
            (3, &[None, Some(1), None]),
            (4, &[None, None, Some(1)]),
        ],
    );
    let unresolved = tally(&set, &irv(TiedRank::Exhaust), &contest(1, None)).unwrap();
    assert!(!unresolved.decided);
    assert!(unresolved.winners.is_empty());
    assert_eq!(unresolved.ties[0].purpose, "exclusion in round 1");
    assert_eq!(unresolved.ties[0].candidates, vec!["A", "B"]);
    let drawn = tally(&set, &irv(TiedRank::Exhaust), &contest(1, Some("draw"))).unwrap();
    assert!(drawn.decided);
    let draw = drawn.ties[0].draw.as_ref().unwrap();
    // The draw's favourite survives; the other is excluded.
    assert_eq!(rounds(&drawn)[0].eliminated, vec![draw.order[1].clone()]);
}

#[test]
fn cumulative_voids_ballots_over_the_cap_and_caps_affiliations() {
    let set = fixture("stv/board-cumulative.toml");
    let method = Method::Cumulative(CumulativeOptions::default());
    let capped = Contest {
        max_per_affiliation: Some(2),
        ..contest(3, None)
    };
    let result = tally(&set, &method, &capped).unwrap();
    assert_eq!(result.winners, vec!["Ada Quill", "Cleo Marsh", "Dev Rao"]);
    assert_eq!(result.skipped[0].candidate, "Ben Ortiz");
    assert_eq!(result.options.votes_per_ballot, Some(3));
    let Audit::CumulativeVotes(counts) = &result.audit else {
        panic!("cumulative votes expected")
    };
    assert_eq!((counts.void, counts.blank), (2, 1));
    let totals: Vec<(&str, u64)> = counts
        .counts
        .iter()
        .map(|count| (count.candidate.as_str(), count.votes))
        .collect();
    assert_eq!(
        totals,
        vec![
            ("Ada Quill", 15),
            ("Cleo Marsh", 13),
            ("Ben Ortiz", 8),
            ("Dev Rao", 7),
            ("Eli Stone", 3)
        ]
    );
    // A cap of 4 makes the over-cap ballots count: Eli Stone gains 8.
    let wider = Method::Cumulative(CumulativeOptions {
        votes_per_ballot: Some(4),
    });
    let result = tally(&set, &wider, &capped).unwrap();
    let Audit::CumulativeVotes(counts) = &result.audit else {
        panic!("cumulative votes expected")
    };
    assert_eq!(counts.void, 0);
    assert!(
        counts
            .counts
            .iter()
            .any(|count| count.candidate == "Eli Stone" && count.votes == 11)
    );
}

#[test]
fn sequential_irv_fills_further_seats_with_new_counts() {
    let set = fixture("tennessee.toml");
    let result = tally(&set, &irv(TiedRank::Exhaust), &contest(2, None)).unwrap();
    // Knoxville first; then a new count without Knoxville: Chattanooga takes Knoxville's
    // 17 first preferences (32), Nashville (26) is excluded and Chattanooga wins 58-42.
    assert_eq!(result.winners, vec!["Knoxville", "Chattanooga"]);
    assert!(rounds(&result).iter().any(|round| {
        round
            .note
            .as_deref()
            .is_some_and(|n| n.contains("seat 2 of 2"))
    }));
}

#[test]
fn candidates_excluded_together_share_a_place_whatever_the_column_order() {
    // A 5 (two of them A>B), B 4 (three of them B>A), C 1, D 1: C and D are tied for
    // fewest and together fewer than B, so both go in round 1; A then wins 5 to 4.
    let a_b: &[Option<u32>] = &[Some(1), Some(2), None, None];
    let a: &[Option<u32>] = &[Some(1), None, None, None];
    let b_a: &[Option<u32>] = &[Some(2), Some(1), None, None];
    let b: &[Option<u32>] = &[None, Some(1), None, None];
    let c: &[Option<u32>] = &[None, None, Some(1), None];
    let d: &[Option<u32>] = &[None, None, None, Some(1)];
    let rows = [(2, a_b), (3, a), (3, b_a), (1, b), (1, c), (1, d)];
    // The same ballots with the columns of C and D swapped.
    let swap = |ranks: &[Option<u32>]| vec![ranks[0], ranks[1], ranks[3], ranks[2]];
    let swapped: Vec<(u64, Vec<Option<u32>>)> = rows
        .iter()
        .map(|(weight, ranks)| (*weight, swap(ranks)))
        .collect();
    let swapped: Vec<(u64, &[Option<u32>])> = swapped
        .iter()
        .map(|(weight, ranks)| (*weight, ranks.as_slice()))
        .collect();
    for set in [
        ranked_set(&["A", "B", "C", "D"], &rows),
        ranked_set(&["A", "B", "D", "C"], &swapped),
    ] {
        let result = tally(&set, &irv(TiedRank::Exhaust), &contest(1, None)).unwrap();
        assert_eq!(result.winners, vec!["A"]);
        assert_eq!(rounds(&result)[0].eliminated.len(), 2);
        assert_eq!(
            result.ranking,
            vec![vec!["A"], vec!["B"], vec!["C", "D"]],
            "{:?}",
            result.candidates
        );
    }
}

#[test]
fn candidates_elected_together_with_equal_votes_share_a_place() {
    // Two seats, quota 3 (Droop, 7 votes): Al and Bo reach it together with 3 votes each;
    // their seat order (by name) says nothing about the voters, so they share a place.
    let al: &[Option<u32>] = &[None, Some(1), None];
    let bo: &[Option<u32>] = &[Some(1), None, None];
    let cy: &[Option<u32>] = &[None, None, Some(1)];
    let set = ranked_set(&["Bo", "Al", "Cy"], &[(3, al), (3, bo), (1, cy)]);
    for variant in VARIANTS {
        let result = tally(&set, &stv(variant), &contest(2, None)).unwrap();
        assert_eq!(result.winners, vec!["Al", "Bo"], "{variant:?}");
        assert_eq!(
            result.ranking,
            vec![vec!["Al", "Bo"], vec!["Cy"]],
            "{variant:?}"
        );
    }
}

#[test]
fn candidate_indices_in_rounds_follow_input_order() {
    let set = fixture("stv/wikipedia-food.toml");
    let result = tally(&set, &stv(StvVariant::Meek), &contest(3, None)).unwrap();
    for round in rounds(&result) {
        let names: Vec<&str> = round.tallies.iter().map(|t| t.candidate.as_str()).collect();
        assert_eq!(names, result.candidates);
        assert!(round.tallies.iter().all(|t| t.keep_factor.is_some()));
    }
    let _ = CandidateIndex::new(0);
}

// The real binary: exit codes and the JSON contract.

fn run(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_electorate"))
        .arg("tally")
        .args(args)
        .current_dir(fixtures())
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("UTF-8"),
    )
}

#[test]
fn the_command_counts_stv_and_reports_rounds() {
    let (code, stdout) = run(&[
        "stv/wikipedia-food.toml",
        "--method",
        "stv",
        "--stv",
        "scottish",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["options"]["stv"], "scottish");
    assert_eq!(json["options"]["tied_rank"], "exhaust");
    assert_eq!(json["audit"]["kind"], "rounds");
    assert_eq!(json["audit"]["quota"], "6.00000");
    assert_eq!(json["audit"]["rounds"][0]["lost_to_rounding"], "0.00000");
    let (code, table) = run(&["stv/wikipedia-food.toml", "--method", "stv"]);
    assert_eq!(code, 0);
    assert!(table.contains("Rounds\n------\n| Round | Quota"), "{table}");
    assert!(table.contains("| (exhausted)"), "{table}");
    assert!(table.contains("Keep factor"), "{table}");
}

#[test]
fn an_unresolved_exclusion_tie_exits_1() {
    let (code, stdout) = run(&["stv/irv-tie.csv", "--method", "irv"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("unresolved"), "{stdout}");
    let (code, _) = run(&["stv/irv-tie.csv", "--method", "irv", "--tie-seed", "s"]);
    assert_eq!(code, 0);
}
