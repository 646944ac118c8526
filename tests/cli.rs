//! The command line itself: help, usage errors, policy commands.

mod common;

use common::{electorate, electorate_in};

#[test]
fn usage_errors_exit_2() {
    // No --election, no ELECTORATE_ELECTION and no election.toml in the repository root.
    let run = electorate(&["roll"]).code(2);
    assert_eq!(
        run.stderr,
        "error: no election file: --election is not given, ELECTORATE_ELECTION is not set and there is no election.toml in the current directory\nhint: pass --election FILE, or run where the election's election.toml is\n"
    );
    let run = electorate(&["roll", "--election"]).code(2);
    assert!(run.stderr.contains("--election <FILE>"), "{}", run.stderr);
    electorate(&["frobnicate"]).code(2);
}

#[test]
fn help_and_version() {
    let run = electorate(&["roll", "--help"]).success();
    assert!(run.stdout.contains("--skip-bad-rows"));
    assert!(run.stdout.contains("Example:"));
    let run = electorate(&["--version"]).success();
    assert_eq!(
        run.stdout,
        format!("electorate {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn policy_list_names_every_shipped_policy() {
    let run = electorate(&["policy", "list"]).success();
    for name in [
        "openstack",
        "openstack-bylaws",
        "charter-2026",
        "auc-2016",
        "auc-2018",
        "ops-as-atc",
        "ops-status",
    ] {
        assert!(run.stdout.contains(name), "{name} listed");
    }
}

#[test]
fn policy_show_prints_the_shipped_text() {
    let run = electorate(&["policy", "show", "openstack"]).success();
    assert_eq!(
        run.stdout,
        std::fs::read_to_string(common::root().join("policies/openstack.toml")).unwrap()
    );
    let run = electorate(&["policy", "show", "opnstack"]).code(2);
    assert_eq!(
        run.stderr,
        "error: no shipped policy named \"opnstack\", expected one of openstack, openstack-bylaws, charter-2026, auc-2016, auc-2018, ops-as-atc, ops-status or a path to a .toml file\nhint: did you mean \"openstack\"?\n"
    );
}

#[test]
fn policy_init_then_check_then_use() {
    let dir = tempfile::tempdir().unwrap();
    electorate_in(
        dir.path(),
        &["policy", "init", "mine.toml", "--from", "openstack-bylaws"],
    )
    .success();
    let text = std::fs::read_to_string(dir.path().join("mine.toml")).unwrap();
    assert!(text.contains("name = \"mine\""));
    let run = electorate_in(dir.path(), &["policy", "check", "mine.toml"]).success();
    assert_eq!(
        run.stdout,
        "mine.toml: policy \"mine\" is valid (3 statuses, 3 rolls)\n"
    );
    electorate_in(dir.path(), &["policy", "init", "mine.toml"]).code(2);

    std::fs::write(
        dir.path().join("mine.toml"),
        text.replace(
            "statuses = [\"atc\", \"extra-atc\"]",
            "statuses = [\"atc\", \"extra-act\"]",
        ),
    )
    .unwrap();
    let run = electorate_in(dir.path(), &["policy", "check", "mine.toml"]).code(1);
    assert!(
        run.stdout.contains("field roll.statuses: no status \"extra-act\" in this policy, expected one of atc, extra-atc, stable-maintainer (did you mean \"extra-atc\"?)"),
        "{}",
        run.stdout
    );
    let example = common::path("examples/newton-tc/election.toml");
    let run = electorate_in(
        dir.path(),
        &["roll", "--election", &example, "--policy", "mine.toml"],
    )
    .code(2);
    assert!(
        run.stderr
            .starts_with("error: policy mine.toml has 2 problems:"),
        "{}",
        run.stderr
    );
}

#[test]
fn candidacy_checks_for_ci() {
    let example = "examples/newton-tc/election.toml";
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "kenji.okonkwo@example.org",
        "leila.yildiran@example.org",
        "nobody@example.org",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "kenji.okonkwo@example.org (Kenji Okonkwo): eligible for tc (on-roll)\n\
         leila.yildiran@example.org (Leila Yildiran): NOT eligible for tc (change-after-window)\n\
         nobody@example.org: NOT eligible for tc (candidate-not-found)\n"
    );
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "--team",
        "keystone",
        "--format",
        "json",
        "kenji.okonkwo@example.org",
    ])
    .success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["roll"], "ptl-keystone");
    assert_eq!(json["candidates"][0]["roll"], "ptl-keystone");
    assert_eq!(json["candidates"][0]["eligible"], true);
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "kofi.sorvino@example.org",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "kofi.sorvino@example.org (Kofi Sorvino): NOT eligible for tc (excluded-not-member)\n"
    );
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "--team",
        "Nova",
        "kofi.sorvino@example.org",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "kofi.sorvino@example.org (Kofi Sorvino): NOT eligible for ptl-nova (excluded-no-status)\n"
    );
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "--team",
        "Swift",
        "a@example.org",
    ])
    .code(2);
    assert!(
        run.stderr.starts_with(
            "error: no project team \"Swift\" in the governance files, expected one of Nova, Glance"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn review_of_extra_atc_applications() {
    let run = electorate(&[
        "review",
        "--election",
        "examples/newton-tc/election.toml",
        "fixtures/applications.csv",
    ])
    .code(1);
    let verdicts: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.rsplit(": ").next().unwrap_or(""))
        .collect();
    insta::assert_snapshot!(run.stdout);
    assert_eq!(
        verdicts.last(),
        Some(&"application-ok"),
        "the last application is a good one"
    );
    let json = electorate(&[
        "review",
        "--election",
        "examples/newton-tc/election.toml",
        "--format",
        "json",
        "fixtures/applications.csv",
    ])
    .code(1);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["file"], "fixtures/applications.csv");
    let rows = &report["applications"];
    assert_eq!(
        rows[3]["verdicts"],
        serde_json::json!([
            "application-unknown-team",
            "application-bad-expiry",
            "application-not-member"
        ])
    );
    assert_eq!(
        rows[2]["verdicts"],
        serde_json::json!(["application-already-atc"])
    );
}
