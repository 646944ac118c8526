//! The Condorcet family run as a user runs it: the real binary on published worked
//! examples (each fixture names its source), the JSON audit pinned for small elections,
//! ties, the affiliation cap, degenerate inputs, and real elections with published
//! outcomes (skipped quietly when `../shared/data` is absent).

mod common;

use std::path::PathBuf;

use serde_json::Value;

const METHODS: [&str; 4] = ["schulze", "ranked-pairs", "minimax", "condorcet-irv"];

fn fixtures() -> PathBuf {
    common::root().join("fixtures/ballots")
}

/// `electorate tally BALLOTS ARGS...` from the fixture folder.
fn tally(ballots: &str, args: &[&str]) -> common::Run {
    let mut all = vec!["tally", ballots];
    all.extend_from_slice(args);
    common::electorate_in(&fixtures(), &all)
}

/// The same with `--format json`, expecting exit `code`.
#[track_caller]
fn json(ballots: &str, args: &[&str], code: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = tally(ballots, &all).code(code);
    serde_json::from_str(&run.stdout).expect("valid JSON")
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item.as_str().expect("a string").to_owned())
        .collect()
}

fn tiers(value: &Value) -> Vec<Vec<String>> {
    value
        .as_array()
        .expect("tiers")
        .iter()
        .map(strings)
        .collect()
}

fn numbers(value: &Value) -> Vec<Vec<u64>> {
    value
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            row.as_array()
                .expect("a row")
                .iter()
                .map(|cell| cell.as_u64().expect("a number"))
                .collect()
        })
        .collect()
}

fn single(names: &[&str]) -> Vec<Vec<String>> {
    names.iter().map(|name| vec![(*name).to_owned()]).collect()
}

#[test]
fn schulzes_published_example_ranks_e_a_c_b_d() {
    // Wikipedia, "Schulze method" (from Schulze's paper): the matrix d, the strongest
    // paths p and the ranking E > A > C > B > D are all published.
    for ranking in ["civs", "elekto"] {
        for strength in ["winning", "margin"] {
            let result = json(
                "schulze-wikipedia.soc",
                &["--ranking", ranking, "--strength", strength],
                0,
            );
            assert_eq!(strings(&result["winners"]), ["E"]);
            assert_eq!(
                tiers(&result["ranking"]),
                single(&["E", "A", "C", "B", "D"])
            );
        }
    }
    let result = json("schulze-wikipedia.soc", &[], 0);
    let audit = &result["audit"];
    assert_eq!(audit["kind"], "condorcet");
    assert_eq!(
        numbers(&audit["pairwise"]["cells"]),
        [
            [0, 20, 26, 30, 22],
            [25, 0, 16, 33, 18],
            [19, 29, 0, 17, 24],
            [15, 12, 28, 0, 14],
            [23, 27, 21, 31, 0]
        ]
    );
    let support: Vec<Vec<u64>> = audit["strongest_paths"]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|cell| cell["support"].as_u64().unwrap_or(0))
                .collect()
        })
        .collect();
    assert_eq!(
        support,
        [
            [0, 28, 28, 30, 24],
            [25, 0, 28, 33, 24],
            [25, 29, 0, 29, 24],
            [25, 28, 28, 0, 24],
            [25, 28, 28, 31, 0]
        ]
    );
    assert_eq!(audit["strongest_paths"]["cells"][0][0], Value::Null);
}

#[test]
fn every_condorcet_method_elects_nashville() {
    // Wikipedia's Tennessee capital example: Nashville is the Condorcet winner.
    for method in METHODS {
        let result = json("tennessee.toml", &["--method", method], 0);
        assert_eq!(strings(&result["winners"]), ["Nashville"], "{method}");
        assert_eq!(result["method"], method);
    }
    // Wikipedia, "Ranked pairs": every majority is locked, strongest (Chattanooga over
    // Knoxville, 83%) first, giving Nashville, Chattanooga, Knoxville, Memphis.
    let result = json("tennessee.toml", &["--method", "ranked-pairs"], 0);
    assert_eq!(
        tiers(&result["ranking"]),
        single(&["Nashville", "Chattanooga", "Knoxville", "Memphis"])
    );
    let locks = result["audit"]["locks"].as_array().unwrap();
    assert_eq!(locks.len(), 6);
    assert!(locks.iter().all(|lock| lock["locked"] == true));
    assert_eq!(
        (
            &locks[0]["winner"],
            &locks[0]["loser"],
            &locks[0]["support"]
        ),
        (
            &Value::from("Chattanooga"),
            &Value::from("Knoxville"),
            &Value::from(83)
        )
    );
}

#[test]
fn gorrs_ranked_pairs_example_elects_b() {
    // Eric Gorr's ranked pairs example 4: equally strong defeats are judged together.
    for strength in ["winning", "margin"] {
        let result = json(
            "condorcet/gorr-ranked-pairs.toml",
            &["--method", "ranked-pairs", "--strength", strength],
            0,
        );
        assert_eq!(strings(&result["winners"]), ["B"]);
        assert_eq!(tiers(&result["ranking"]), single(&["B", "A", "D", "C"]));
        let locks: Vec<(String, String, u64, u64, bool)> = result["audit"]["locks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|lock| {
                (
                    lock["winner"].as_str().unwrap().to_owned(),
                    lock["loser"].as_str().unwrap().to_owned(),
                    lock["support"].as_u64().unwrap(),
                    lock["opposition"].as_u64().unwrap(),
                    lock["locked"].as_bool().unwrap(),
                )
            })
            .collect();
        let expected = [
            ("A", "D", 61, 39, true),
            ("B", "A", 55, 45, true),
            ("A", "C", 54, 46, false),
            ("C", "B", 54, 46, false),
            ("D", "B", 51, 49, false),
            ("D", "C", 51, 49, true),
        ]
        .map(|(w, l, s, o, k)| (w.to_owned(), l.to_owned(), s, o, k));
        assert_eq!(locks, expected, "{strength}");
    }
}

#[test]
fn an_equal_majority_blocked_by_stronger_ones_does_not_block_its_equals() {
    // F>E and H>C are equally strong (53:37). F>E contradicts the stronger E>H and H>F,
    // so no order of the two ever locks it; H>C lies on a cycle only through F>E. H>C is
    // locked, the weak C>E is skipped, and E wins, as under every order of the equal
    // majorities (CIVS and MAM too). Judging F>E with its equals elected C.
    for strength in ["winning", "margin"] {
        let result = json(
            "condorcet/ranked-pairs-blocked-tie.toml",
            &["--method", "ranked-pairs", "--strength", strength],
            0,
        );
        assert_eq!(strings(&result["winners"]), ["E"], "{strength}");
        assert_eq!(
            tiers(&result["ranking"]),
            single(&["E", "H", "C", "F"]),
            "{strength}"
        );
        let locks: Vec<(String, String, bool)> = result["audit"]["locks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|lock| {
                (
                    lock["winner"].as_str().unwrap().to_owned(),
                    lock["loser"].as_str().unwrap().to_owned(),
                    lock["locked"].as_bool().unwrap(),
                )
            })
            .collect();
        let expected = [
            ("E", "H", true),
            ("C", "F", true),
            ("H", "F", true),
            ("F", "E", false),
            ("H", "C", true),
            ("C", "E", false),
        ]
        .map(|(w, l, k)| (w.to_owned(), l.to_owned(), k));
        assert_eq!(locks, expected, "{strength}");
    }
}

#[test]
fn the_squeeze_example_without_and_with_a_cycle() {
    // Accurate Democracy's example 3: B is the Condorcet winner of the sincere ballots.
    for method in METHODS {
        let result = json("condorcet/squeeze-sincere.toml", &["--method", method], 0);
        assert_eq!(strings(&result["winners"]), ["B"], "{method}");
    }
    // The strategic ballots make an A > C > B > A cycle of equally strong defeats:
    // Condorcet-IRV drops B (fewest first places) and A beats C; the other methods leave
    // a three-way tie, reported (exit 1) or drawn.
    let result = json(
        "condorcet/squeeze-strategic.toml",
        &["--method", "condorcet-irv"],
        0,
    );
    assert_eq!(strings(&result["winners"]), ["A"]);
    assert_eq!(tiers(&result["ranking"]), single(&["A", "C", "B"]));
    let rounds = result["audit"]["rounds"].as_array().unwrap();
    assert_eq!(rounds[0]["place"], 1);
    assert_eq!(rounds[0]["condorcet_winner"], Value::Null);
    assert_eq!(rounds[0]["dropped"], "B");
    let first: Vec<(String, u64)> = rounds[0]["first_places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|count| {
            (
                count["candidate"].as_str().unwrap().to_owned(),
                count["votes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [
            ("A".to_owned(), 8),
            ("B".to_owned(), 6),
            ("C".to_owned(), 7)
        ]
    );
    assert_eq!(rounds[1]["condorcet_winner"], "A");
    assert_eq!(strings(&rounds[1]["considered"]), ["A", "C"]);
    for method in ["schulze", "ranked-pairs", "minimax"] {
        let result = json("condorcet/squeeze-strategic.toml", &["--method", method], 1);
        assert_eq!(result["decided"], false);
        assert!(result["winners"].as_array().unwrap().is_empty());
        assert_eq!(tiers(&result["ranking"]), [["A", "B", "C"]]);
        assert_eq!(result["ties"][0]["purpose"], "seat 1 of 1");
        let drawn = json(
            "condorcet/squeeze-strategic.toml",
            &["--method", method, "--tie-seed", "squeeze"],
            0,
        );
        assert_eq!(drawn["decided"], true);
        assert_eq!(
            drawn["winners"][0], drawn["ties"][0]["draw"]["order"][0],
            "{method}"
        );
    }
}

#[test]
fn an_exclusion_tie_the_seat_depends_on_is_reported_or_drawn() {
    let reported = json(
        "condorcet/exclusion-tie.toml",
        &["--method", "condorcet-irv"],
        1,
    );
    assert_eq!(reported["decided"], false);
    assert!(reported["winners"].as_array().unwrap().is_empty());
    assert_eq!(tiers(&reported["ranking"]), [["A", "B", "C", "D"]]);
    assert_eq!(
        reported["ties"][0]["purpose"],
        "exclusion in round 1 (place 1)"
    );
    assert_eq!(strings(&reported["ties"][0]["candidates"]), ["C", "D"]);
    assert_eq!(reported["ties"][0]["draw"], Value::Null);

    let drawn = json(
        "condorcet/exclusion-tie.toml",
        &["--method", "condorcet-irv", "--tie-seed", "s"],
        0,
    );
    let draw = &drawn["ties"][0]["draw"];
    assert_eq!(draw["description"], "exclusion in round 1 (place 1): C, D");
    // The last of the drawn order is dropped.
    assert_eq!(drawn["audit"]["rounds"][0]["dropped"], draw["order"][1]);
    assert_eq!(strings(&drawn["winners"]), ["A"]);
}

#[test]
fn an_exclusion_tie_below_the_seats_decides_nothing() {
    let result = json(
        "condorcet/tie-below-the-seats.toml",
        &["--method", "condorcet-irv"],
        0,
    );
    assert_eq!(result["decided"], true);
    assert!(result["ties"].as_array().unwrap().is_empty());
    assert_eq!(strings(&result["winners"]), ["A"]);
    assert_eq!(tiers(&result["ranking"]), [vec!["A"], vec!["B", "C", "D"]]);
    let note = result["audit"]["rounds"][1]["note"].as_str().unwrap();
    assert!(note.contains("the seats do not depend on it"), "{note}");
    // With a seed the places below are drawn too, and recorded.
    let drawn = json(
        "condorcet/tie-below-the-seats.toml",
        &["--method", "condorcet-irv", "--tie-seed", "s"],
        0,
    );
    assert_eq!(
        drawn["ties"][0]["purpose"],
        "exclusion in round 2 (place 2)"
    );
    assert_eq!(drawn["ranking"].as_array().unwrap().len(), 4);
    // Two seats: now the seats depend on place 2, and without a seed it is a tie.
    let two = json(
        "condorcet/tie-below-the-seats.toml",
        &["--method", "condorcet-irv", "--seats", "2"],
        1,
    );
    assert_eq!(strings(&two["winners"]), ["A"]);
    assert_eq!(two["ties"][0]["purpose"], "exclusion in round 2 (place 2)");
}

#[test]
fn options_name_every_choice() {
    let result = json(
        "condorcet/ties-and-no-opinion.csv",
        &[
            "--unranked",
            "last",
            "--strength",
            "margin",
            "--ranking",
            "elekto",
        ],
        0,
    );
    let options = &result["options"];
    assert_eq!(options["unranked"], "last");
    assert_eq!(options["strength"], "margin");
    assert_eq!(options["ranking"], "elekto");
    let rules = strings(&options["rules"]).join("\n");
    assert!(rules.contains("(--unranked last)"), "{rules}");
    assert!(rules.contains("(margins)"), "{rules}");
    assert!(rules.contains("ranking (elekto)"), "{rules}");
    assert!(
        rules.contains("equal counts are no defeat either way"),
        "{rules}"
    );

    let result = json(
        "condorcet/ties-and-no-opinion.csv",
        &["--method", "condorcet-irv", "--irv-tied-rank", "skip"],
        0,
    );
    let options = &result["options"];
    assert_eq!(options["unranked"], "ignore");
    assert_eq!(options["tied_rank"], "skip");
    assert!(options.get("strength").is_none());
    assert!(
        strings(&options["rules"])
            .join("\n")
            .contains("(--irv-tied-rank skip)")
    );
}

#[test]
fn unranked_ignore_and_last_count_differently() {
    let ignore = json("condorcet/ties-and-no-opinion.csv", &[], 0);
    assert_eq!(
        numbers(&ignore["audit"]["pairwise"]["cells"]),
        [[0, 3, 4, 3], [2, 0, 3, 3], [1, 0, 0, 3], [0, 0, 0, 0]]
    );
    let last = json(
        "condorcet/ties-and-no-opinion.csv",
        &["--unranked", "last"],
        0,
    );
    assert_eq!(
        numbers(&last["audit"]["pairwise"]["cells"]),
        [[0, 4, 5, 6], [3, 0, 5, 6], [1, 1, 0, 5], [1, 1, 1, 0]]
    );
    // The ballot ranking only Ada and Cy now counts Ada (and Cy) over the unranked Ben.
    assert_eq!(strings(&last["winners"]), ["Ada"]);
}

#[test]
fn the_cap_skips_to_the_next_candidate_for_every_method() {
    for method in METHODS {
        let result = json(
            "condorcet/affiliations.toml",
            &["--method", method, "--max-per-affiliation", "1"],
            if method == "minimax" { 1 } else { 0 },
        );
        assert_eq!(result["skipped"][0]["candidate"], "Bo", "{method}");
        assert_eq!(result["skipped"][0]["affiliation"], "Acme");
        assert_eq!(result["skipped"][0]["seat"], 2);
        if method == "minimax" {
            // Cal and Di suffer the same strongest defeat (by Ana, 8:2): the second seat
            // is a tie between them once Bo is skipped.
            assert_eq!(strings(&result["winners"]), ["Ana"]);
            assert_eq!(strings(&result["ties"][0]["candidates"]), ["Cal", "Di"]);
        } else {
            assert_eq!(strings(&result["winners"]), ["Ana", "Cal"], "{method}");
        }
    }
}

#[test]
fn degenerate_elections_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let alone = write("alone.csv", "Solo\n1\nNo opinion\n");
    let blank = write("blank.csv", "A,B,C\nNo opinion,No opinion,No opinion\n");
    for method in METHODS {
        let run =
            common::electorate(&["tally", &alone, "--method", method, "--format", "json"]).code(0);
        let result: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(strings(&result["winners"]), ["Solo"], "{method}");

        // Nobody prefers anyone: everyone shares first place, a tie for the seat.
        let run =
            common::electorate(&["tally", &blank, "--method", method, "--format", "json"]).code(1);
        let result: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(tiers(&result["ranking"]), [["A", "B", "C"]], "{method}");
        assert_eq!(result["ballots"]["blank"], 1);

        let run =
            common::electorate(&["tally", &blank, "--method", method, "--seats", "4"]).code(2);
        assert_eq!(
            run.stderr,
            "error: 4 seats, expected at least 1 and at most 3 (the standing candidates)\n"
        );
    }
}

#[test]
fn thousands_of_candidates_are_refused_not_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    let names: Vec<String> = (0..1001).map(|i| format!("C{i}")).collect();
    let ranks: Vec<String> = (1..=1001).map(|i| i.to_string()).collect();
    std::fs::write(&path, format!("{}\n{}\n", names.join(","), ranks.join(","))).unwrap();
    let path = path.display().to_string();
    for method in METHODS {
        let run = common::electorate(&["tally", &path, "--method", method]).code(2);
        let max = if method == "condorcet-irv" { 100 } else { 1000 };
        assert_eq!(
            run.stderr,
            format!(
                "error: 1001 standing candidates, expected at most {max} for method \"{method}\" (a pairwise count grows with the square of the candidates)\n"
            )
        );
    }
}

#[test]
fn a_withdrawn_candidate_is_left_out_of_the_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let candidates = dir.path().join("candidates.csv");
    std::fs::write(
        &candidates,
        "name,withdrawn\nAda,no\nBen,yes\nCy,no\nDee,no\n",
    )
    .unwrap();
    let candidates = candidates.display().to_string();
    for method in METHODS {
        let result = json(
            "condorcet/ties-and-no-opinion.csv",
            &[
                "--method",
                method,
                "--candidates",
                &candidates,
                "--unranked",
                "last",
            ],
            0,
        );
        assert_eq!(strings(&result["withdrawn"]), ["Ben"]);
        assert_eq!(
            strings(&result["audit"]["pairwise"]["candidates"]),
            ["Ada", "Cy", "Dee"]
        );
        assert_eq!(strings(&result["winners"]), ["Ada"], "{method}");
    }
}

#[test]
fn the_table_shows_the_working() {
    let run = tally(
        "condorcet/gorr-ranked-pairs.toml",
        &["--method", "ranked-pairs"],
    )
    .code(0);
    assert!(
        run.stdout
            .contains("Pairwise preferences (row over column)")
    );
    assert!(
        run.stdout
            .contains("| A      | C     | 54  | 46      | skipped: cycle |")
    );
    let run = tally("schulze-wikipedia.soc", &[]).code(0);
    assert!(run.stdout.contains("Strongest paths (row to column)"));
    assert!(
        run.stdout
            .contains("| E | 25:20 | 28:17 | 28:17 | 31:14 | -     |")
    );
    let run = tally("tennessee.toml", &["--method", "minimax"]).code(0);
    assert!(
        run.stdout
            .contains("| Nashville   | nobody      |     |         |")
    );
    let run = tally(
        "condorcet/squeeze-strategic.toml",
        &["--method", "condorcet-irv"],
    )
    .code(0);
    assert!(run.stdout.contains("Rounds\n------\n"));
    assert!(
        run.stdout
            .contains("no Condorcet winner among the 3 candidates considered; B has the fewest first places (6) and is dropped")
    );
}

/// The whole JSON result of a small election, pinned: the contract and the audit at
/// once. Set `ELECTORATE_BLESS=1` to rewrite the expected files after a deliberate
/// change (and review the diff).
#[test]
fn the_json_of_small_elections_is_pinned() {
    let cases = [
        (
            "condorcet/ties-and-no-opinion.csv",
            vec!["--method", "schulze"],
            "condorcet/ties-and-no-opinion.schulze.json",
        ),
        (
            "condorcet/squeeze-strategic.toml",
            vec!["--method", "condorcet-irv"],
            "condorcet/squeeze-strategic.condorcet-irv.json",
        ),
        (
            "condorcet/gorr-ranked-pairs.toml",
            vec!["--method", "ranked-pairs", "--strength", "margin"],
            "condorcet/gorr-ranked-pairs.ranked-pairs.json",
        ),
        (
            "tennessee.toml",
            vec!["--method", "minimax"],
            "condorcet/tennessee.minimax.json",
        ),
    ];
    for (ballots, args, expected) in cases {
        let mut all = args.clone();
        all.extend(["--format", "json"]);
        let actual = tally(ballots, &all).code(0).stdout;
        let path = fixtures().join(expected);
        if std::env::var_os("ELECTORATE_BLESS").is_some() {
            std::fs::write(&path, &actual).unwrap();
        }
        let pinned = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            pinned == actual,
            "{expected} differs from the output of {ballots} {args:?}:\n{actual}"
        );
    }
}

#[test]
fn a_default_option_drops_what_does_not_defeat_it() {
    // Unranked last (Debian). Against Further Discussion: Plan A 60:40, Plan B 50:40,
    // Plan C 10:90.
    let ballots = fixtures()
        .join("condorcet/default-option.soi")
        .display()
        .to_string();
    let vote = |extra: &[&str]| {
        let mut args = vec![
            ballots.as_str(),
            "--unranked",
            "last",
            "--default-option",
            "Further Discussion",
        ];
        args.extend_from_slice(extra);
        run_json(&args, 0)
    };
    let dropped = |result: &Value| -> Vec<String> {
        result["audit"]["against_default"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|option| option["dropped"] == true)
            .map(|option| option["candidate"].as_str().unwrap().to_owned())
            .collect()
    };

    let simple = vote(&[]);
    assert_eq!(strings(&simple["winners"]), ["Plan A"]);
    assert_eq!(
        tiers(&simple["ranking"]),
        single(&["Plan A", "Plan B", "Further Discussion", "Plan C"])
    );
    assert_eq!(dropped(&simple), ["Plan C"]);
    assert_eq!(simple["audit"]["against_default"][0]["support"], 60);
    assert_eq!(simple["audit"]["against_default"][0]["opposition"], 40);
    assert_eq!(simple["options"]["default_option"], "Further Discussion");
    assert_eq!(simple["options"]["majority"], "1:1");

    let four_to_three = vote(&["--majority", "4:3"]);
    assert_eq!(
        dropped(&four_to_three),
        ["Plan B", "Plan C"],
        "50:40 is not over 4:3"
    );
    assert_eq!(
        tiers(&four_to_three["ranking"]),
        [
            vec!["Plan A"],
            vec!["Further Discussion"],
            vec!["Plan B", "Plan C"]
        ],
        "the dropped options share the last tier"
    );

    let three_to_two = vote(&["--majority", "3:2"]);
    assert_eq!(
        dropped(&three_to_two),
        ["Plan B", "Plan C"],
        "60:40 is exactly 3:2, enough since Debian's 2015 rule"
    );
    assert_eq!(three_to_two["options"]["majority_rule"], "at-least");
    let before_2015 = vote(&["--majority", "3:2", "--majority-rule", "more-than"]);
    assert_eq!(
        dropped(&before_2015),
        ["Plan A", "Plan B", "Plan C"],
        "60:40 is not more than 3:2"
    );
    assert_eq!(strings(&before_2015["winners"]), ["Further Discussion"]);
    assert_eq!(
        tiers(&before_2015["ranking"]),
        [
            vec!["Further Discussion"],
            vec!["Plan A", "Plan B", "Plan C"]
        ],
        "everything dropped: the default option wins"
    );

    let quorum = vote(&["--quorum", "55"]);
    assert_eq!(
        dropped(&quorum),
        ["Plan B", "Plan C"],
        "50 ballots prefer Plan B"
    );
    assert_eq!(quorum["options"]["quorum"], 55);

    let without = run_json(&[&ballots, "--unranked", "last"], 0);
    assert!(without["audit"].get("against_default").is_none());
    assert!(without["options"].get("default_option").is_none());
}

#[test]
fn default_option_misuse_is_refused() {
    let ballots = fixtures()
        .join("condorcet/default-option.soi")
        .display()
        .to_string();
    for (args, message) in [
        (
            vec!["--method", "irv", "--default-option", "Plan A"],
            "error: method \"irv\" does not support --default-option, expected schulze, ranked-pairs or minimax",
        ),
        (
            vec!["--seats", "2", "--default-option", "Plan A"],
            "error: --default-option with 2 seats, expected 1: a default option decides a single-winner vote (Debian's)",
        ),
        (
            vec!["--default-option", "Plan D"],
            "error: --default-option \"Plan D\" is not a standing candidate, expected one of \"Plan A\", \"Plan B\", \"Plan C\", \"Further Discussion\"",
        ),
        (
            vec!["--default-option", "Plan A", "--majority", "3:0"],
            "\"3:0\" has a zero, expected N:M with both at least 1",
        ),
        (
            vec!["--default-option", "Plan A", "--majority", "three"],
            "\"three\" is not a ratio, expected N:M such as 3:1",
        ),
        (vec!["--quorum", "5"], "--default-option <NAME>"),
        (
            vec!["--majority-rule", "more-than"],
            "--default-option <NAME>",
        ),
    ] {
        let mut all = vec!["tally", ballots.as_str()];
        all.extend(args.iter().copied());
        let run = common::electorate(&all).code(2);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
}

// Real elections with published outcomes. The data folder is not part of the project.

fn real(name: &str) -> Option<String> {
    let folder = std::env::var_os("ELECTORATE_REAL_BALLOTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ballots"),
        PathBuf::from,
    );
    let path = folder.join(name);
    if path.is_file() {
        Some(path.display().to_string())
    } else {
        eprintln!("{name} not found; skipping");
        None
    }
}

#[track_caller]
fn run_json(args: &[&str], code: i32) -> Value {
    let mut all = vec!["tally"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let run = common::electorate(&all).code(code);
    serde_json::from_str(&run.stdout).expect("valid JSON")
}

/// Names with the `" (@handle)"` the 2019 CIVS export adds removed.
fn without_handles(tiers: Vec<Vec<String>>) -> Vec<Vec<String>> {
    tiers
        .into_iter()
        .map(|tier| {
            tier.into_iter()
                .map(|name| name.split(" (@").next().unwrap_or_default().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn kubernetes_steering_2017_civs_schulze() {
    let Some(ballots) = real("k8s-steering-2017-civs-schulze.csv") else {
        return;
    };
    // Affiliations as the 2017 voters' guide lists them (kubernetes/community
    // elections/steering/2017/README.md). The file spells Phillip Wittrock "Whitrock".
    let affiliations = [
        ("Aaron Crickenberger", "Samsung SDS"),
        ("Aaron Schlesinger", "Microsoft"),
        ("Adnan Abdulhussein", "Bitnami"),
        ("Alex Pollitt", "Tigera"),
        ("Caleb Miles", "CoreOS"),
        ("Derek Carr", "Red Hat"),
        ("Doug Davis", "IBM"),
        ("Ihor Dvoretskyi", "CNCF"),
        ("Ilya Dmitrichenko", "Weave"),
        ("Jaice Singer DuMars", "Microsoft"),
        ("Justin Santa Barbara", "Independent"),
        ("Kris Nova", "Microsoft"),
        ("Matt Farina", "Samsung SDS"),
        ("Michael Rubin", "Google"),
        ("Michelle Noorali", "Microsoft"),
        ("Phillip Whitrock", "Google"),
        ("Quinton Hoole", "Huawei"),
        ("Rob Hirschfeld", "RackN"),
        ("Sebastien Goasguen", "Bitnami"),
        ("Timothy St. Clair", "Heptio"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let candidates = dir.path().join("candidates.csv");
    let mut text = String::from("id,name,affiliation\n");
    for (name, affiliation) in affiliations {
        let shown = if name == "Phillip Whitrock" {
            "Phillip Wittrock"
        } else {
            name
        };
        text.push_str(&format!("{name},{shown},{affiliation}\n"));
    }
    std::fs::write(&candidates, text).unwrap();
    let candidates = candidates.display().to_string();

    // The published ranking (RESULTS.md), CIVS's Schulze completion.
    let published = [
        "Derek Carr",
        "Michelle Noorali",
        "Phillip Wittrock",
        "Michael Rubin",
        "Timothy St. Clair",
        "Quinton Hoole",
        "Aaron Crickenberger",
        "Caleb Miles",
        "Jaice Singer DuMars",
        "Kris Nova",
        "Justin Santa Barbara",
        "Alex Pollitt",
        "Sebastien Goasguen",
        "Ihor Dvoretskyi",
        "Adnan Abdulhussein",
        "Ilya Dmitrichenko",
        "Matt Farina",
        "Aaron Schlesinger",
        "Rob Hirschfeld",
        "Doug Davis",
    ];
    // The charter capped a company at a third of the whole committee, incumbents
    // included; for the elected seats that left Google one, which is what a cap of one
    // per affiliation reproduces here ("Michael Rubin must be excluded").
    let result = run_json(
        &[
            &ballots,
            "--candidates",
            &candidates,
            "--seats",
            "6",
            "--max-per-affiliation",
            "1",
        ],
        0,
    );
    assert_eq!(tiers(&result["ranking"]), single(&published));
    assert_eq!(
        strings(&result["winners"]),
        [
            "Derek Carr",
            "Michelle Noorali",
            "Phillip Wittrock",
            "Timothy St. Clair",
            "Quinton Hoole",
            "Aaron Crickenberger"
        ]
    );
    assert_eq!(result["skipped"][0]["candidate"], "Michael Rubin");
    assert_eq!(result["skipped"].as_array().unwrap().len(), 1);
}

#[test]
fn kubernetes_steering_2022_elekto() {
    let Some(ballots) = real("k8s-steering-2022-elekto.csv") else {
        return;
    };
    let published = [
        "mrbobbytables",
        "bentheelder",
        "palnabarun",
        "cici37",
        "cpanato",
        "lavalamp",
        "deads2k",
        "qedrakmar",
    ];
    for ranking in ["elekto", "civs"] {
        let result = run_json(&[&ballots, "--ranking", ranking, "--seats", "3"], 0);
        assert_eq!(strings(&result["winners"]), published[..3]);
        assert_eq!(tiers(&result["ranking"]), single(&published), "{ranking}");
    }
}

#[test]
fn kubernetes_steering_2024_elekto() {
    // elections/steering/2024/results.md: 3 seats, 233 votes, the full order published.
    let Some(ballots) = real("k8s-steering-2024-elekto.csv") else {
        return;
    };
    let published = [
        "bentheelder",
        "aojea",
        "saschagrunert",
        "natalisucks",
        "katcosgrove",
        "palnabarun",
        "xmudrii",
    ];
    let result = run_json(&[&ballots, "--ranking", "elekto", "--seats", "3"], 0);
    assert_eq!(strings(&result["winners"]), published[..3]);
    assert_eq!(tiers(&result["ranking"]), single(&published));
}

#[test]
fn kubernetes_code_of_conduct_2025_elekto_with_a_shared_first_place() {
    // elections/code-of-conduct/2025/results.md: "1. (Tie) Danielle Lancashire / Divya
    // Mohan", then Sean McGinnis, Swati Sehgal, Sreeram Venkitesh; 3 seats, 6 votes.
    let Some(ballots) = real("k8s-coc-2025-elekto.csv") else {
        return;
    };
    let result = run_json(&[&ballots, "--ranking", "elekto", "--seats", "3"], 0);
    let mut winners = strings(&result["winners"]);
    winners.sort();
    assert_eq!(winners, ["divya-mohan0209", "endocrimes", "stmcginnis"]);
    let mut ranking = tiers(&result["ranking"]);
    ranking[0].sort();
    assert_eq!(
        ranking,
        [
            vec!["divya-mohan0209", "endocrimes"],
            vec!["stmcginnis"],
            vec!["swatisehgal"],
            vec!["sreeram-venkitesh"],
        ]
    );
}

#[test]
fn cloud_foundry_toc_2022_elekto() {
    // cloudfoundry/community elections/2022/TOC/results.md: Ruben Koster, Beyhan Veli and
    // Andy Hunt elected, Peter Burkholder fourth; 60 votes.
    let Some(ballots) = real("cloudfoundry-toc-2022-elekto.csv") else {
        return;
    };
    let published = ["rkoster", "beyhan", "AP-Hunt", "pburkholder"];
    let result = run_json(&[&ballots, "--ranking", "elekto", "--seats", "3"], 0);
    assert_eq!(strings(&result["winners"]), published[..3]);
    assert_eq!(tiers(&result["ranking"]), single(&published));
    assert_eq!(result["ballots"]["counted"], 60);
}

#[test]
fn debian_dpl_2007_elects_sam_hocevar() {
    let Some(ballots) = real("debian-dpl-2007.soi") else {
        return;
    };
    let result = run_json(&[&ballots, "--unranked", "last"], 0);
    assert_eq!(strings(&result["winners"]), ["Sam Hocevar"]);
    // With the default option as the constitution has it: two candidates did not defeat
    // "None Of The Above" and are dropped; the winner is the same.
    let result = run_json(
        &[
            &ballots,
            "--unranked",
            "last",
            "--default-option",
            "None Of The Above",
        ],
        0,
    );
    assert_eq!(strings(&result["winners"]), ["Sam Hocevar"]);
    let dropped: Vec<&str> = result["audit"]["against_default"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|option| option["dropped"] == true)
        .map(|option| option["candidate"].as_str().unwrap())
        .collect();
    assert_eq!(dropped, ["Aigars Mahinovs", "Simon Richter"]);
    for method in ["ranked-pairs", "minimax", "condorcet-irv"] {
        let result = run_json(&[&ballots, "--method", method, "--unranked", "last"], 0);
        assert_eq!(strings(&result["winners"]), ["Sam Hocevar"], "{method}");
    }
}

#[test]
fn the_other_debian_leaders_of_the_shared_data() {
    // The Project Leaders Debian announced for these years.
    for (year, leader) in [
        ("2002", "Bdale Garbee"),
        ("2005", "Branden Robinson"),
        ("2010", "Stefano Zacchiroli"),
        ("2012", "Stefano Zacchiroli"),
    ] {
        let Some(ballots) = real(&format!("debian-dpl-{year}.soi")) else {
            return;
        };
        let result = run_json(&[&ballots, "--unranked", "last"], 0);
        assert_eq!(strings(&result["winners"]), [leader], "{year}");
    }
}

#[test]
fn kubernetes_steering_2019_and_2020_condorcet_irv() {
    // The published rankings (RESULTS.md, "using the Condorcet-IRV method"); the ballot
    // files have 27 and 28 ballots with a shared first rank, and both tied-rank rules
    // give the published order.
    let cases: [(&str, &str, &[&str]); 2] = [
        (
            "k8s-steering-2019-civs-condorcet-irv.csv",
            "4",
            &[
                "Paris Pittman",
                "Nikhita Raghunath",
                "Christoph Blecker",
                "Derek Carr",
                "Stephen Augustus",
                "Lachlan Evenson",
                "Brendan Burns",
                "Vallery Lancey",
                "Pengfei Ni",
                "Kris Nova",
                "Klaus Ma",
            ],
        ),
        (
            "k8s-steering-2020-civs-condorcet-irv.csv",
            "3",
            &[
                "Jordan Liggitt",
                "Bob Killen",
                "Davanum Srinivas",
                "Stephen Augustus",
                "Ian Coldwater",
                "Lachlan Evenson",
                "Federico Bongiovanni",
                "Carlos Panato",
                "Divya Mohan",
                "Mayank Kumar",
            ],
        ),
    ];
    for (name, seats, published) in cases {
        let Some(ballots) = real(name) else {
            continue;
        };
        for tied_rank in ["exhaust", "skip"] {
            let result = run_json(
                &[
                    &ballots,
                    "--method",
                    "condorcet-irv",
                    "--irv-tied-rank",
                    tied_rank,
                    "--seats",
                    seats,
                ],
                0,
            );
            assert_eq!(
                without_handles(tiers(&result["ranking"])),
                single(published),
                "{name} {tied_rank}"
            );
            let winners: Vec<String> = without_handles(vec![strings(&result["winners"])]).remove(0);
            let seats: usize = seats.parse().unwrap();
            assert_eq!(winners, published[..seats], "{name}");
        }
    }
}

#[test]
fn the_2019_company_cap_is_not_invoked() {
    // Affiliations from the 2019 voters' guide. The cap was two per company on the
    // whole committee; Red Hat's two winners fit it, so the winners stand.
    let Some(ballots) = real("k8s-steering-2019-civs-condorcet-irv.csv") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let candidates = dir.path().join("candidates.csv");
    std::fs::write(
        &candidates,
        "id,affiliation\n\
         Brendan Burns (@brendandburns),Microsoft\n\
         Christoph Blecker (@cblecker),Red Hat\n\
         Derek Carr (@derekwaynecarr),Red Hat\n\
         Pengfei Ni (@feiskyer),Microsoft\n\
         Stephen Augustus (@justaugustus),VMware\n\
         Kris Nova (@kris-nova),Sysdig\n\
         Klaus Ma (@k82cn),Huawei\n\
         Lachlan Evenson (@lachie83),Microsoft\n\
         Nikhita Raghunath (@nikhita),Loodse\n\
         Paris Pittman (@parispittman),Google\n\
         Vallery Lancey (@vllry),Lyft\n",
    )
    .unwrap();
    let candidates = candidates.display().to_string();
    let result = run_json(
        &[
            &ballots,
            "--method",
            "condorcet-irv",
            "--candidates",
            &candidates,
            "--seats",
            "4",
            "--max-per-affiliation",
            "2",
        ],
        0,
    );
    assert!(result["skipped"].as_array().unwrap().is_empty());
    assert_eq!(
        without_handles(vec![strings(&result["winners"])]).remove(0),
        [
            "Paris Pittman",
            "Nikhita Raghunath",
            "Christoph Blecker",
            "Derek Carr"
        ]
    );
    // With one seat per company, Derek Carr gives way to the next candidate.
    let capped = run_json(
        &[
            &ballots,
            "--method",
            "condorcet-irv",
            "--candidates",
            &candidates,
            "--seats",
            "4",
            "--max-per-affiliation",
            "1",
        ],
        0,
    );
    assert_eq!(capped["skipped"][0]["seat"], 4);
    assert!(
        capped["skipped"][0]["candidate"]
            .as_str()
            .unwrap()
            .starts_with("Derek Carr")
    );
}
