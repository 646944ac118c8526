//! `electorate tally` run as a user runs it: the real binary, fixture files, exit codes,
//! exact error messages and the JSON contract.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// A run of `electorate tally` from the fixture folder, so messages name files as the
/// user typed them.
struct Tally {
    args: Vec<String>,
}

struct Finished {
    code: i32,
    stdout: String,
    stderr: String,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ballots")
}

fn tally(ballots: &str) -> Tally {
    Tally {
        args: vec!["tally".to_owned(), ballots.to_owned()],
    }
}

impl Tally {
    fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|arg| (*arg).to_owned()));
        self
    }

    fn run(self) -> Finished {
        let output = Command::new(env!("CARGO_BIN_EXE_electorate"))
            .args(&self.args)
            .current_dir(fixtures())
            .output()
            .expect("the binary runs");
        Finished {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    /// Run with `--format json`, expect `code`, return the parsed JSON.
    fn json(self, code: i32) -> Value {
        let finished = self.args(&["--format", "json"]).run().expect(code);
        assert!(finished.stdout.ends_with("}\n"), "{}", finished.stdout);
        serde_json::from_str(&finished.stdout).expect("valid JSON")
    }

    /// Expect exit 2 and return the message after `error: `.
    fn error(self) -> String {
        let finished = self.run().expect(2);
        assert!(finished.stdout.is_empty(), "{}", finished.stdout);
        finished
            .stderr
            .strip_prefix("error: ")
            .unwrap_or(&finished.stderr)
            .trim_end_matches('\n')
            .to_owned()
    }
}

impl Finished {
    fn expect(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
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

#[test]
fn help_explains_defaults_and_examples() {
    let finished = tally("--help").run().expect(0);
    assert!(finished.stdout.contains("Examples:"));
    assert!(finished.stdout.contains("[default: ignore]"));
    assert!(finished.stdout.contains("Exit status"));
}

#[test]
fn the_json_contract_has_its_keys_in_order() {
    let finished = tally("tennessee.toml")
        .args(&["--method", "plurality", "-f", "json"])
        .run()
        .expect(0);
    assert!(finished.stdout.starts_with("{\n  \"version\": 1,\n"));
    // Top-level keys are the lines indented by two spaces (serde_json's pretty printer).
    let keys: Vec<&str> = finished
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("  \""))
        .filter_map(|line| line.split_once('"').map(|(key, _)| key))
        .collect();
    assert_eq!(
        keys,
        [
            "version",
            "method",
            "options",
            "seats",
            "candidates",
            "withdrawn",
            "ballots",
            "winners",
            "ranking",
            "decided",
            "ties",
            "skipped",
            "rejected",
            "turnout",
            "audit"
        ]
    );
    let json: Value = serde_json::from_str(&finished.stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["method"], "plurality");
    assert_eq!(json["seats"], 1);
    assert_eq!(strings(&json["winners"]), ["Memphis"]);
    assert_eq!(
        tiers(&json["ranking"]),
        [["Memphis"], ["Nashville"], ["Knoxville"], ["Chattanooga"]]
    );
    assert_eq!(json["options"]["tie_break"], "report");
    assert_eq!(json["options"]["tie_seed"], Value::Null);
    assert_eq!(json["ballots"]["counted"], 100);
    assert_eq!(
        json["ballots"]["title"],
        "Tennessee capital (worked example)"
    );
    assert_eq!(json["audit"]["kind"], "first-preferences");
    assert_eq!(json["audit"]["counts"][0]["votes"], 42);
}

#[test]
fn the_table_report() {
    let finished = tally("tennessee.toml")
        .args(&["--method", "plurality"])
        .run()
        .expect(0);
    let expected = "\
plurality tally of tennessee.toml (Tennessee capital (worked example)), read as toml: 100 ballots counted, 0 blank, 1 seat

Winners
-------
1. Memphis

Ranking
-------
| Place | Candidate   | Elected |
|-------|-------------|---------|
| 1     | Memphis     | seat 1  |
| 2     | Nashville   |         |
| 3     | Knoxville   |         |
| 4     | Chattanooga |         |

Options
-------
| Option    | Value                                                                            |
|-----------|----------------------------------------------------------------------------------|
| rules     | each ballot counts for the one candidate it ranks first                          |
|           | a ballot that ranks several candidates equal first is void and counts for no one |
| tie_break | report                                                                           |
| tie_seed  | none                                                                             |

First preferences
-----------------
| Candidate   | Votes |
|-------------|-------|
| Memphis     | 42    |
| Nashville   | 26    |
| Knoxville   | 17    |
| Chattanooga | 15    |
blank: 0, void: 0
";
    assert_eq!(finished.stdout, expected);
}

#[test]
fn every_fixture_format_is_read() {
    // (file, extra flags, format, ballots counted, candidates)
    let cases: &[(&str, &[&str], &str, u64, usize)] = &[
        ("civs-export.csv", &[], "civs", 6, 4),
        (
            "elekto.csv",
            &["--candidates", "elekto-candidates.csv"],
            "elekto",
            5,
            3,
        ),
        (
            "civs-upload.txt",
            &["--candidates", "upload-candidates.csv"],
            "civs-upload",
            6,
            4,
        ),
        ("civs-upload.txt", &[], "civs-upload", 6, 4),
        ("example.blt", &[], "blt", 10, 4),
        ("example.toi", &[], "preflib", 10, 4),
        ("example-older.soc", &[], "preflib", 6, 3),
        ("schulze-wikipedia.soc", &[], "preflib", 45, 5),
        ("voters.csv", &[], "csv", 5, 3),
        ("board.toml", &[], "toml", 4, 4),
        ("cumulative.csv", &[], "csv", 3, 3),
        ("bad/bom.csv", &[], "civs", 1, 2),
    ];
    for (file, flags, format, counted, candidates) in cases {
        let finished = tally(file)
            .args(&["--method", "approval", "--format", "json"])
            .args(flags)
            .run();
        let json: Value = serde_json::from_str(&finished.stdout)
            .unwrap_or_else(|_| panic!("{file}: {}", finished.stderr));
        assert_eq!(json["ballots"]["format"], *format, "{file}");
        assert_eq!(json["ballots"]["counted"], *counted, "{file}");
        assert_eq!(
            json["candidates"].as_array().unwrap().len(),
            *candidates,
            "{file}"
        );
    }
}

#[test]
fn names_come_from_the_candidates_file() {
    let json = tally("elekto.csv")
        .args(&[
            "--candidates",
            "elekto-candidates.csv",
            "--method",
            "plurality",
        ])
        .json(0);
    assert_eq!(
        strings(&json["candidates"]),
        ["Aster Vale", "Bram Oakes", "Cleo Marsh"]
    );
    assert_eq!(json["affiliations"]["Cleo Marsh"], "Harbor Labs");
    let json = tally("civs-upload.txt")
        .args(&[
            "--candidates",
            "upload-candidates.csv",
            "--method",
            "plurality",
        ])
        .json(0);
    assert_eq!(strings(&json["winners"]), ["Aster Vale"]);
}

#[test]
fn blt_seats_titles_and_withdrawn_candidates() {
    let json = tally("example.blt").args(&["--method", "approval"]).json(0);
    assert_eq!(json["seats"], 2);
    assert_eq!(strings(&json["winners"]), ["Aster Vale", "Cleo Marsh"]);
    assert_eq!(json["ballots"]["title"], "Harbor council 2031");
    assert_eq!(strings(&json["withdrawn"]), ["Dov Reyes"]);
    let ranked: Vec<String> = tiers(&json["ranking"]).concat();
    assert!(!ranked.contains(&"Dov Reyes".to_owned()));
    // "1 4 0" ranks only the withdrawn candidate: blank once the withdrawal is applied,
    // like the "1 0" ballot.
    assert_eq!(json["ballots"]["blank"], 2);
    let json = tally("example.blt")
        .args(&["--method", "approval", "--seats", "1"])
        .json(0);
    assert_eq!(json["seats"], 1);
}

#[test]
fn an_unresolved_tie_is_reported_and_exits_1() {
    let json = tally("tied.csv").args(&["--method", "plurality"]).json(1);
    assert_eq!(json["decided"], false);
    assert_eq!(strings(&json["winners"]), Vec::<String>::new());
    assert_eq!(json["ties"][0]["purpose"], "seat 1 of 1");
    assert_eq!(
        strings(&json["ties"][0]["candidates"]),
        ["Aster Vale", "Bram Oakes"]
    );
    assert_eq!(json["ties"][0]["draw"], Value::Null);
    assert_eq!(tiers(&json["ranking"])[0], ["Aster Vale", "Bram Oakes"]);
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[test]
fn a_seeded_draw_is_repeatable_by_anyone() {
    let seed = "Harbor council 2031, count of 12 March";
    let json = tally("tied.csv")
        .args(&["--method", "plurality", "--tie-seed", seed])
        .json(0);
    assert_eq!(json["decided"], true);
    let draw = &json["ties"][0]["draw"];
    assert_eq!(draw["seed"], seed);
    assert_eq!(draw["description"], "seat 1 of 1: Aster Vale, Bram Oakes");
    // Recompute every digest from the documented recipe.
    let mut recomputed: Vec<(String, String)> = ["Aster Vale", "Bram Oakes"]
        .iter()
        .map(|name| {
            let text = format!("{seed}\nseat 1 of 1: Aster Vale, Bram Oakes\n{name}");
            (sha256_hex(&text), (*name).to_owned())
        })
        .collect();
    recomputed.sort();
    let digests: Vec<(String, String)> = draw["digests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["sha256"].as_str().unwrap().to_owned(),
                entry["candidate"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(digests, recomputed);
    let order: Vec<String> = recomputed.iter().map(|(_, name)| name.clone()).collect();
    assert_eq!(strings(&draw["order"]), order);
    assert_eq!(strings(&json["winners"]), [order[0].clone()]);
    assert_eq!(json["options"]["tie_break"], "seeded-draw");
    // The same seed gives the same result on every run.
    let again = tally("tied.csv")
        .args(&["--method", "plurality", "--tie-seed", seed])
        .json(0);
    assert_eq!(again, json);
}

#[test]
fn the_roll_check_rejects_and_reports_turnout() {
    let json = tally("voters.csv")
        .args(&["--method", "approval", "--roll", "roll.txt"])
        .json(1);
    let rejected: Vec<(String, String)> = json["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ballot| {
            (
                ballot["origin"].as_str().unwrap().to_owned(),
                ballot["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        [
            ("voters.csv:4".to_owned(), "not-on-roll".to_owned()),
            ("voters.csv:5".to_owned(), "second-ballot".to_owned()),
        ]
    );
    assert_eq!(json["rejected"][1]["counted_ballot"], "voters.csv:2");
    assert_eq!(json["turnout"]["voted"], 3);
    assert_eq!(json["turnout"]["roll"], 4);
    assert_eq!(json["turnout"]["percent"], "75.00");
    assert_eq!(json["ballots"]["counted"], 3);
    assert_eq!(json["ballots"]["rejected"], 2);
}

#[test]
fn the_affiliation_cap_skips_and_says_who() {
    let json = tally("elekto.csv")
        .args(&[
            "--candidates",
            "elekto-candidates.csv",
            "--method",
            "plurality",
            "--seats",
            "2",
            "--max-per-affiliation",
            "1",
        ])
        .json(0);
    assert_eq!(strings(&json["winners"]), ["Aster Vale", "Cleo Marsh"]);
    assert_eq!(json["skipped"][0]["candidate"], "Bram Oakes");
    assert_eq!(json["skipped"][0]["affiliation"], "Northwind");
    assert_eq!(json["skipped"][0]["seat"], 2);
    assert_eq!(json["options"]["max_per_affiliation"], 1);
}

#[test]
fn bad_input_is_located_and_exits_2() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "bad/empty.csv",
            &[],
            "bad/empty.csv: the file is empty, expected a first line of candidate names\nhint: the file was read as civs (from the content: the file is empty; read as the default format); --input-format chooses another format",
        ),
        (
            "bad/not-utf8.csv",
            &[],
            "bad/not-utf8.csv:3: byte 0xe9 at column 3 is not UTF-8, expected UTF-8 text",
        ),
        (
            "bad/short-row.csv",
            &["--input-format", "civs"],
            "bad/short-row.csv:3: the line has 2 fields, expected 3, one rank per candidate named on line 1",
        ),
        (
            "bad/rank-out-of-range.csv",
            &["--input-format", "civs"],
            "bad/rank-out-of-range.csv:2: field 3 (\"Cleo Marsh\"): rank 4 is out of range, expected a rank from 1 to 3 or \"No opinion\"",
        ),
        (
            "bad/rank-not-a-number.csv",
            &["--input-format", "civs"],
            "bad/rank-not-a-number.csv:7: field 3 (\"Cleo Marsh\"): rank \"x\" is not a number, expected a rank from 1 to 4 or \"No opinion\"",
        ),
        (
            "bad/mixed-formats.csv",
            &[],
            "bad/mixed-formats.csv:3: field 2 (\"Bram Oakes\"): \"-\" is the CIVS upload mark for no opinion, but this file was read as a CIVS ballot export: expected a rank from 1 to 3 or \"No opinion\"\nhint: the file was read as civs (from the content: a first line of candidate names); --input-format chooses another format",
        ),
        (
            "bad/unknown-candidate.toml",
            &[],
            "bad/unknown-candidate.toml:4: unknown candidate \"Bram Oaks\", expected one of the 2 candidates (did you mean \"Bram Oakes\"?)\nhint: the file was read as toml (from the extension \".toml\"); --input-format chooses another format",
        ),
        (
            "bad/unknown-candidate.blt",
            &["--input-format", "blt"],
            "bad/unknown-candidate.blt:2: field 3: unknown candidate \"3\", expected a candidate number from 1 to 2, \"=\" or 0",
        ),
        (
            "civs-export.csv",
            &["--input-format", "csv"],
            "civs-export.csv:1: field 1: column \"Aster Vale\" is not valid, expected \"voter\", \"weight\", \"rank:NAME\" or \"votes:NAME\"",
        ),
        (
            "no-such-file.csv",
            &[],
            "could not read the ballot file \"no-such-file.csv\": No such file or directory (os error 2)",
        ),
    ];
    for (file, flags, message) in cases {
        assert_eq!(
            tally(file)
                .args(flags)
                .args(&["--method", "plurality"])
                .error(),
            *message,
            "{file}"
        );
    }
}

#[test]
fn flags_that_do_not_apply_are_refused() {
    assert_eq!(
        tally("civs-export.csv")
            .args(&["--method", "irv", "--strength", "margin"])
            .error(),
        "--strength does not apply to --method irv, expected one of the methods it applies to: schulze, ranked-pairs, minimax"
    );
    assert_eq!(
        tally("civs-export.csv")
            .args(&["--method", "plurality", "--unranked", "last"])
            .error(),
        "--unranked does not apply to --method plurality, expected one of the methods it applies to: schulze, ranked-pairs, minimax, condorcet-irv"
    );
    assert_eq!(
        tally("civs-export.csv")
            .args(&["--method", "plurality", "--tie-seed", ""])
            .error(),
        "--tie-seed \"\" is empty, expected a seed text such as the election's name and date"
    );
    assert_eq!(
        tally("civs-export.csv")
            .args(&["--method", "plurality", "--seats", "5"])
            .error(),
        "5 seats, expected at least 1 and at most 4 (the standing candidates)"
    );
    assert_eq!(
        tally("civs-export.csv")
            .args(&["--method", "plurality", "--max-per-affiliation", "1"])
            .error(),
        "--max-per-affiliation needs candidate affiliations, but no candidate has one; expected a --candidates file with an affiliation column"
    );
    assert_eq!(
        tally("civs-export.csv")
            .args(&["--method", "approval", "--roll", "roll.txt"])
            .error(),
        "--roll needs ballots that carry voter ids, but civs-export.csv has none; expected a csv or toml ballot file with voter ids"
    );
}

#[test]
fn ballots_of_the_wrong_kind_are_refused() {
    assert_eq!(
        tally("cumulative.csv")
            .args(&["--method", "plurality"])
            .error(),
        "method \"plurality\" needs ranked ballots, but cumulative.csv holds votes per candidate"
    );
    assert_eq!(
        tally("civs-export.csv")
            .args(&["--method", "cumulative"])
            .error(),
        "method \"cumulative\" needs votes per candidate, but civs-export.csv holds rankings"
    );
}

// Huge inputs: refused early, with messages that quote an excerpt.

/// A file in a fresh temporary folder, and its path as messages name it.
fn temporary(name: &str, contents: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    (dir, path.display().to_string())
}

const LINE_LIMIT: &str = "is longer than 1048576 bytes, expected at most 1048576 bytes per line";

#[test]
fn a_50_mb_line_is_refused_at_once_quoting_its_start() {
    // Once counted as 25 million candidates (4.4 GB, 15 s) and quoted whole in errors.
    let (_dir, path) = temporary("upload.txt", "1 ".repeat(25_000_000).as_bytes());
    let started = std::time::Instant::now();
    let message = tally(&path).error();
    let elapsed = started.elapsed();
    assert_eq!(
        message,
        format!(
            "{path}:1: the line starting \"{}\"… {LINE_LIMIT}",
            "1 ".repeat(20)
        )
    );
    // Generous for a debug build on a busy machine: only the first megabyte is read.
    assert!(elapsed.as_secs() < 10, "{elapsed:?}");
}

#[test]
fn every_input_file_has_the_line_limit() {
    let long = "x".repeat(1_048_577);
    // The limit is on bytes: 1 MiB exactly is a line like any other.
    let (_dir, path) = temporary(
        "ok.csv",
        format!("A,B\n{}\n", "1".repeat(1_048_576)).as_bytes(),
    );
    assert!(!tally(&path).error().contains("is longer than"));
    for name in ["b.csv", "b.blt", "b.toml", "b.soi", "b.txt"] {
        // Line ends of every kind count: the long line is the fourth.
        let (_dir, path) = temporary(name, format!("a\r\nb\rc\n{long}\nd\n").as_bytes());
        assert_eq!(
            tally(&path).error(),
            format!(
                "{path}:4: the line starting \"{}\"… {LINE_LIMIT}",
                "x".repeat(40)
            ),
            "{name}"
        );
    }
    let (_dir, roll) = temporary("roll.txt", format!("ann@example.org\n{long}\n").as_bytes());
    assert_eq!(
        tally("voters.csv").args(&["--roll", &roll]).error(),
        format!(
            "{roll}:2: the line starting \"{}\"… {LINE_LIMIT}",
            "x".repeat(40)
        )
    );
    let (_dir, candidates) = temporary("people.csv", format!("id,name\n{long}\n").as_bytes());
    assert_eq!(
        tally("elekto.csv")
            .args(&["--candidates", &candidates])
            .error(),
        format!(
            "{candidates}:2: the line starting \"{}\"… {LINE_LIMIT}",
            "x".repeat(40)
        )
    );
}

#[test]
fn names_and_fields_past_their_limits_are_refused_where_they_are() {
    let name = "N".repeat(300);
    let excerpt = format!("\"{}\"…", "N".repeat(40));
    let cases: Vec<(&str, String, &[&str], String)> = vec![
        (
            "civs.csv",
            format!("Ann,{name}\n1,2\n"),
            &["--input-format", "civs"],
            format!(
                ":1: field 2: candidate name {excerpt} is 300 characters long, expected at most 200"
            ),
        ),
        (
            "ours.csv",
            format!("voter,rank:{name}\nann,1\n"),
            &[],
            format!(
                ":1: field 2: candidate name {excerpt} is 300 characters long, expected at most 200"
            ),
        ),
        (
            "ours.csv",
            format!("voter,rank:Ann\n{},1\n", "v".repeat(1001)),
            &[],
            format!(
                ":2: field 1 (\"voter\"): voter id \"{}\"… is 1001 characters long, expected at most 1000",
                "v".repeat(40)
            ),
        ),
        (
            "b.blt",
            format!("2 1\n1 1 0\n0\n\"Ann\"\n\"{name}\"\n"),
            &[],
            format!(":5: candidate name {excerpt} is 300 characters long, expected at most 200"),
        ),
        (
            "b.soi",
            format!("# DATA TYPE: soi\n# ALTERNATIVE NAME 1: {name}\n1: 1\n"),
            &[],
            format!(":2: alternative name {excerpt} is 300 characters long, expected at most 200"),
        ),
        (
            "b.toml",
            format!("candidates = [\"Ann\", \"{name}\"]\n[[ballot]]\nranking = [\"Ann\"]\n"),
            &[],
            format!(":1: candidate name {excerpt} is 300 characters long, expected at most 200"),
        ),
        (
            "b.toml",
            format!(
                "candidates = [\"Ann\"]\n[[ballot]]\nranking = [\"{}\"]\n",
                "X".repeat(100_000)
            ),
            &[],
            format!(
                ":3: unknown candidate \"{}\"…, expected one of \"Ann\"",
                "X".repeat(40)
            ),
        ),
    ];
    for (file, contents, flags, expected) in cases {
        let (_dir, path) = temporary(file, contents.as_bytes());
        let message = tally(&path).args(flags).error();
        let first = message.lines().next().unwrap_or_default();
        assert_eq!(first, format!("{path}{expected}"), "{contents:.80}");
    }
    let (_dir, people) = temporary("people.csv", format!("id,name\naster,{name}\n").as_bytes());
    assert_eq!(
        tally("elekto.csv").args(&["--candidates", &people]).error(),
        format!(
            "{people}:2: field 2 (\"name\"): candidate name {excerpt} is 300 characters long, expected at most 200"
        )
    );
    let (_dir, roll) = temporary(
        "roll.txt",
        format!("{}@example.org\n", "r".repeat(1000)).as_bytes(),
    );
    assert_eq!(
        tally("voters.csv").args(&["--roll", &roll]).error(),
        format!(
            "{roll}:1: roll entry \"{}\"… is 1012 characters long, expected at most 1000",
            "r".repeat(40)
        )
    );
}

// The CSV of the ranking.

#[test]
fn the_csv_ranking_has_places_tiers_seats_and_the_counts() {
    let csv = |file: &str, args: &[&str], code: i32| {
        tally(file)
            .args(args)
            .args(&["-f", "csv"])
            .run()
            .expect(code)
            .stdout
    };
    // IRV: a column per round, as the audit's tallies.
    assert_eq!(
        csv("tennessee.toml", &["--method", "irv"], 0),
        "\
place,tier,candidate,winner,seat,affiliation,round_1,round_2,round_3
1,1,Knoxville,true,1,,17,32,58
2,2,Memphis,false,,,42,42,42
3,3,Nashville,false,,,26,26,0
4,4,Chattanooga,false,,,15,0,0
"
    );
    // STV: a shared place (elected together with equal votes), and the withdrawn
    // candidate last, without a place.
    assert_eq!(
        csv("example.blt", &["--method", "stv"], 0),
        "\
place,tier,candidate,winner,seat,affiliation,round_1
1,1,Aster Vale,true,1,,3.000000000
1,1,Cleo Marsh,true,2,,3.000000000
3,2,Bram Oakes,false,,,2.000000000
,,Dov Reyes,false,,,0.000000000
"
    );
    // Approval: the votes, affiliations, and a tie drawn for the second seat.
    assert_eq!(
        csv(
            "board.toml",
            &["--method", "approval", "--tie-seed", "board 2026"],
            0
        ),
        "\
place,tier,candidate,winner,seat,affiliation,votes
1,1,Cleo Marsh,true,1,Harbor Labs,3
2,2,Aster Vale,true,2,Northwind,2
2,2,Bram Oakes,false,,Northwind,2
,,Dov Reyes,false,,Harbor Labs,
"
    );
    // An unresolved tie leaves the seat empty (exit 1).
    assert_eq!(
        csv("tied.csv", &["--method", "plurality"], 1),
        "\
place,tier,candidate,winner,seat,affiliation,votes
1,1,Aster Vale,false,,,2
1,1,Bram Oakes,false,,,2
3,2,Cleo Marsh,false,,,1
"
    );
    // Condorcet methods: the ranking alone, their working being pairwise.
    assert_eq!(
        csv(
            "condorcet/ranked-pairs-blocked-tie.toml",
            &["--method", "ranked-pairs"],
            0
        ),
        "\
place,tier,candidate,winner,seat,affiliation
1,1,E,true,1,
2,2,H,false,,
3,3,C,false,,
4,4,F,false,,
"
    );
}

#[test]
fn csv_cells_are_quoted_when_they_must_be() {
    let (_dir, path) = temporary(
        "quoted.toml",
        b"candidates = [\"Vale, Aster\", \"Bram \\\"B\\\" Oakes\"]\n[[ballot]]\nranking = [\"Vale, Aster\"]\n",
    );
    assert_eq!(
        tally(&path)
            .args(&["--method", "plurality", "-f", "csv"])
            .run()
            .expect(0)
            .stdout,
        "\
place,tier,candidate,winner,seat,affiliation,votes
1,1,\"Vale, Aster\",true,1,,1
2,2,\"Bram \"\"B\"\" Oakes\",false,,,0
"
    );
}

// The Markdown results page, snapshot-tested.

#[test]
fn the_markdown_results_page() {
    let cases: [(&str, &str, &[&str], i32); 9] = [
        (
            "schulze_with_affiliations",
            "board.toml",
            &["--seats", "2", "--tie-seed", "board 2026"],
            0,
        ),
        (
            "schulze_with_the_cap",
            "elekto.csv",
            &[
                "--candidates",
                "elekto-candidates.csv",
                "--max-per-affiliation",
                "1",
                "--seats",
                "2",
            ],
            0,
        ),
        ("irv_rounds", "tennessee.toml", &["--method", "irv"], 0),
        (
            "stv_ers_rounds",
            "stv/wikipedia-food.toml",
            &["--method", "stv", "--stv", "ers"],
            0,
        ),
        ("stv_meek_withdrawn", "example.blt", &["--method", "stv"], 0),
        (
            "condorcet_irv_rounds",
            "condorcet/squeeze-strategic.toml",
            &["--method", "condorcet-irv"],
            0,
        ),
        (
            "plurality_tie_drawn",
            "tied.csv",
            &["--method", "plurality", "--tie-seed", "board `2026`"],
            0,
        ),
        (
            "plurality_tie_unresolved",
            "tied.csv",
            &["--method", "plurality"],
            1,
        ),
        (
            "plurality_roll_check",
            "voters.csv",
            &["--method", "plurality", "--roll", "roll.txt"],
            1,
        ),
    ];
    for (name, file, args, code) in cases {
        let page = tally(file)
            .args(args)
            .args(&["-f", "markdown"])
            .run()
            .expect(code)
            .stdout;
        insta::assert_snapshot!(format!("markdown_{name}"), page);
    }
}

#[test]
fn names_cannot_break_the_markdown_page() {
    let (_dir, path) = temporary(
        "names.toml",
        "title = \"# Board | 2031\"\ncandidates = [\"Ann | Lee\", \"*Bo*\"]\n[[ballot]]\nranking = [\"Ann | Lee\", \"*Bo*\"]\n"
            .as_bytes(),
    );
    let page = tally(&path)
        .args(&["-f", "markdown"])
        .run()
        .expect(0)
        .stdout;
    assert!(
        page.starts_with("# Results: \\# Board \\| 2031\n"),
        "{page}"
    );
    assert!(page.contains("\n1. Ann \\| Lee\n"), "{page}");
    assert!(
        page.contains("\n| 1     | Ann \\| Lee | seat 1  |\n"),
        "{page}"
    );
    assert!(
        page.contains("\n| 2     | \\*Bo\\*     |         |\n"),
        "{page}"
    );
}

#[test]
fn affiliations_from_the_membership_list_feed_the_cap() {
    let run = tally("affiliations/tc.toml")
        .args(&[
            "--seats",
            "3",
            "--max-per-affiliation",
            "1",
            "--members",
            "affiliations/members.csv",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    let winners: Vec<&str> = result["winners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(winners, ["Ann Lee", "Di Moe"], "Bo and Cy are Acme's too");

    let dir = tempfile::tempdir().unwrap();
    let members = dir.path().join("members.csv");
    std::fs::write(
        &members,
        "member_id,name,email,affiliations\n101,Ann Lee,ann.lee@example.org,Acme\n102,Bo Roe,bo.roe@example.org,Acme;Initech\n",
    )
    .unwrap();
    let shown = members.display().to_string();
    let run = tally("affiliations/tc.toml")
        .args(&["--max-per-affiliation", "1", "--members", &shown])
        .run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "candidate \"Bo Roe\" (member 102 at {shown}:3) has 2 current affiliations (Acme; Initech)"
        )) && run
            .stderr
            .contains(&format!("candidate \"Cy Poe\" matches no member of {shown} by name")),
        "{}",
        run.stderr
    );
}
