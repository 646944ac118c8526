//! Every command's JSON output, on the shipped examples and fixtures, validates against its
//! schema in `docs/schemas/`: the schemas document the outputs, and this keeps them true.

mod common;

use common::electorate;

fn validator(name: &str) -> jsonschema::Validator {
    let path = common::root().join(format!("docs/schemas/{name}.schema.json"));
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[track_caller]
fn check(schema: &jsonschema::Validator, name: &str, what: &str, text: &str) {
    let value: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
    assert_eq!(
        value["version"], 1,
        "{what}: the schema version comes first"
    );
    let errors: Vec<String> = schema
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match docs/schemas/{name}.schema.json:\n{}",
        errors.join("\n")
    );
}

/// Run a command that prints JSON (any exit code but 2) and validate what it printed.
fn validate(name: &str, args: &[&str]) {
    let schema = validator(name);
    let run = electorate(args);
    assert_ne!(run.code, 2, "{args:?} could not run: {}", run.stderr);
    check(&schema, name, &args.join(" "), &run.stdout);
}

const NEWTON: &str = "examples/newton-tc/election.toml";
const OPS: &str = "examples/ops-recognition/election.toml";

#[test]
fn roll_json_and_the_manifest_file() {
    for election in [NEWTON, OPS] {
        for extra in [
            &[][..],
            &["--compat", "reference"],
            &["--policy", "openstack-bylaws"],
        ] {
            let mut args = vec!["roll", "--election", election, "-q", "-f", "json"];
            args.extend_from_slice(extra);
            validate("roll", &args);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rolls");
    let out_text = out.display().to_string();
    electorate(&["roll", "--election", NEWTON, "-q", "--out", &out_text]).success();
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    check(&validator("roll"), "roll", "manifest.json", &manifest);
}

#[test]
fn check_json() {
    validate("check", &["check", "--election", NEWTON, "-f", "json"]);
    validate(
        "check",
        &[
            "check",
            "--election",
            "fixtures/bad/election.toml",
            "-f",
            "json",
        ],
    );
}

#[test]
fn explain_json() {
    for who in [
        "zofia.farouk@example.org",
        "Yara Haddad",
        "baptiste.orrin@example.org",
        "olek.natarajan@example.org",
    ] {
        validate(
            "explain",
            &["explain", "--election", NEWTON, "-f", "json", who],
        );
    }
    for policy in ["ops-status", "auc-2016", "auc-2018"] {
        validate(
            "explain",
            &[
                "explain",
                "--election",
                OPS,
                "--policy",
                policy,
                "-f",
                "json",
                "anouk.dunmere@example.org",
            ],
        );
    }
}

#[test]
fn candidacy_and_review_json() {
    validate(
        "candidacy",
        &[
            "candidacy",
            "--election",
            NEWTON,
            "-f",
            "json",
            "kenji.okonkwo@example.org",
            "nobody@example.org",
        ],
    );
    validate(
        "review",
        &[
            "review",
            "--election",
            NEWTON,
            "-f",
            "json",
            "fixtures/applications.csv",
        ],
    );
}

#[test]
fn candidates_tree_review_and_expiry_json() {
    validate(
        "candidacy-tree",
        &[
            "candidacy",
            "--election",
            NEWTON,
            "--dir",
            "examples/newton-tc/candidates/newton",
            "-f",
            "json",
        ],
    );
    validate(
        "review-expiring",
        &[
            "review",
            "--election",
            NEWTON,
            "--expiring",
            "200d",
            "--as-of",
            "2016-03-04",
            "-f",
            "json",
        ],
    );
    validate(
        "check",
        &[
            "check",
            "--governance",
            "examples/newton-tc/governance",
            "--as-of",
            "2016-03-04",
            "-f",
            "json",
        ],
    );
}

#[test]
fn diff_digest_and_results_json() {
    let dir = tempfile::tempdir().unwrap();
    let rolls = dir.path().join("rolls").display().to_string();
    let bylaws = dir.path().join("bylaws").display().to_string();
    electorate(&["roll", "--election", NEWTON, "-q", "--out", &rolls]).success();
    electorate(&[
        "roll",
        "--election",
        NEWTON,
        "-q",
        "--policy",
        "openstack-bylaws",
        "--out",
        &bylaws,
    ])
    .success();
    validate("diff", &["diff", &rolls, &bylaws, "-f", "json"]);
    validate(
        "diff",
        &["diff", &rolls, &bylaws, "--election", NEWTON, "-f", "json"],
    );
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "a secret of at least sixteen bytes").unwrap();
    let published = dir.path().join("published").display().to_string();
    let secret = secret.display().to_string();
    validate(
        "digest",
        &[
            "digest",
            &format!("{rolls}/tc.txt"),
            "--secret-file",
            &secret,
            "--label",
            "Newton",
            "--out",
            &published,
            "-f",
            "json",
        ],
    );
    validate(
        "digest-check",
        &[
            "digest",
            "--check",
            "kenji.okonkwo@example.org",
            "--code",
            "00000000000000000000000000000000",
            &format!("{published}/tc.digest.txt"),
            "-f",
            "json",
        ],
    );
    for extra in [
        &["ptl-nova=examples/newton-tc/ballots/ptl-nova.csv"][..],
        &[
            "--election",
            NEWTON,
            "--candidates-dir",
            "examples/newton-tc/candidates/newton",
            "ptl-nova=examples/newton-tc/ballots/ptl-nova.csv",
        ],
    ] {
        let mut args = vec![
            "results",
            "--release",
            "newton",
            "--roll",
            &rolls,
            "-f",
            "json",
        ];
        args.extend_from_slice(extra);
        validate("results", &args);
    }
}

#[test]
fn compare_json() {
    validate(
        "compare",
        &[
            "compare",
            "--election",
            OPS,
            "-p",
            "openstack",
            "-p",
            "ops-as-atc",
            "-p",
            "ops-status",
            "-p",
            "auc-2016",
            "-f",
            "json",
        ],
    );
    validate(
        "compare-series",
        &[
            "compare",
            "--election",
            OPS,
            "-p",
            "openstack",
            "-p",
            "auc-2016",
            "--from",
            "2016-06-01",
            "--to",
            "2017-02-01",
            "--every",
            "1month",
            "-f",
            "json",
        ],
    );
}

#[test]
fn tally_json_of_every_fixture() {
    let schema = validator("tally");
    let root = common::root().join("fixtures/ballots");
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in [root.clone(), root.join("condorcet"), root.join("stv")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let ballots = path.is_file()
                && !name.ends_with(".json")
                && !name.contains("candidates")
                && !["roll.txt", "voters.csv"].contains(&name.as_str());
            if ballots {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut validated = 0;
    for file in &files {
        let file = file.display().to_string();
        for method in [
            "schulze",
            "ranked-pairs",
            "irv",
            "stv",
            "plurality",
            "approval",
        ] {
            let run = electorate(&["tally", &file, "--method", method, "-f", "json"]);
            // A method that does not apply to a ballot kind is refused (exit 2), and a
            // counted tally prints JSON whatever its exit code.
            if run.code == 2 {
                continue;
            }
            check(
                &schema,
                "tally",
                &format!("{file} --method {method}"),
                &run.stdout,
            );
            validated += 1;
        }
    }
    assert!(validated >= 40, "only {validated} tallies validated");
}
