//! The README's commands work: the one that runs the example and the tour's commands.

mod common;

use common::electorate_in;

/// The README's test command, which CI runs too.
const TEST_COMMAND: &str = "cargo test --release --locked";

/// Every `cargo run --release [--locked] -- ARGS` line in the README, as argument lists.
fn readme_commands() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    readme
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            line.strip_prefix("cargo run --release --locked -- ")
                .or_else(|| line.strip_prefix("cargo run --release -- "))
        })
        .map(|args| args.split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_readme_commands_run() {
    let commands = readme_commands();
    assert!(commands.len() >= 2, "the README shows its commands");
    let dir = tempfile::tempdir().unwrap();
    // Run from a copy-free place: the commands name files relative to the repository root.
    for args in commands {
        let args: Vec<String> = args
            .into_iter()
            .map(|a| {
                if a.starts_with("examples/") || a.starts_with("fixtures/") {
                    common::path(&a)
                } else {
                    a
                }
            })
            .map(|a| {
                if a == "rolls" {
                    dir.path().join("rolls").display().to_string()
                } else {
                    a
                }
            })
            .collect();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = electorate_in(dir.path(), &refs);
        assert!(
            run.code == 0 || run.code == 1,
            "README command {args:?} failed: {}",
            run.stderr
        );
    }
    assert!(
        dir.path().join("rolls/tc.txt").exists(),
        "the main command writes the rolls"
    );
}

#[test]
fn the_readme_names_the_test_command_and_ci_runs_it() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    assert!(readme.contains(&format!("\n{TEST_COMMAND}\n")));
    // The two commands share one build: the same profile, the same lock file.
    assert!(readme.contains(
        "\ncargo run --release --locked -- roll --election examples/newton-tc/election.toml --out rolls\n"
    ));
    assert!(readme.contains("\ncargo install --locked --path .\n"));
    let ci = std::fs::read_to_string(common::root().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|line| line.trim() == TEST_COMMAND),
        "CI runs the README's test command"
    );
}
