//! The docs cannot go stale: every transcript in the README (a ```console block of
//! `$ electorate ...` lines, each followed by what it prints) is run and its output compared
//! with what is written, and every example in every `--help` runs.
//!
//! In a transcript, a command may continue on the next lines after a trailing backslash, a
//! line `...` stands for any number of lines (long outputs are shown in part), and a last
//! line `[exit N]` says the command exits with N (else it must exit 0).
//! Commands run in a scratch directory that sees the repository's `examples`, `fixtures`,
//! `policies` and `docs`, so one that writes (`--out rolls`) leaves the checkout alone.

mod common;

use std::path::Path;

use common::{electorate_in, root};

/// The README's test command, which CI runs too.
const TEST_COMMAND: &str = "cargo test --release --locked";

/// A scratch directory that sees the repository's shipped files.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["examples", "fixtures", "policies", "docs"] {
        #[cfg(unix)]
        std::os::unix::fs::symlink(root().join(name), dir.path().join(name)).unwrap();
        #[cfg(not(unix))]
        let _ = name;
    }
    dir
}

/// One command of a transcript and what it prints.
#[derive(Debug)]
struct Step {
    line: usize,
    command: String,
    expected: Vec<String>,
    exit: i32,
}

/// The transcripts of a Markdown file.
fn transcripts(text: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            inside = !inside && line.trim() == "```console";
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                line: n + 1,
                command: command.to_owned(),
                expected: Vec::new(),
                exit: 0,
            });
        } else if let Some(step) = steps
            .last_mut()
            .filter(|s| s.expected.is_empty() && s.command.ends_with('\\'))
        {
            // A long command continues on the next line after a trailing backslash.
            step.command.pop();
            step.command.push(' ');
            step.command.push_str(line.trim());
        } else if let Some(step) = steps.last_mut() {
            match line
                .strip_prefix("[exit ")
                .and_then(|rest| rest.strip_suffix(']'))
            {
                Some(code) => step.exit = code.parse().unwrap(),
                None => step.expected.push(line.to_owned()),
            }
        }
    }
    steps
}

/// Whether `actual` lines match `expected`, where a `...` line matches any run of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.first().is_some_and(|a| a == first) && matches(rest, &actual[1..])
        }
    }
}

/// Split a command line as a shell would, for the simple quoting the docs use.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        out.push(word);
    }
    out
}

fn run_transcripts(file: &Path) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    let steps = transcripts(&text);
    let dir = sandbox();
    for step in &steps {
        let args = words(&step.command);
        assert_eq!(
            args.first().map(String::as_str),
            Some("electorate"),
            "{}:{}: transcripts run electorate",
            file.display(),
            step.line
        );
        let refs: Vec<&str> = args[1..].iter().map(String::as_str).collect();
        let run = electorate_in(dir.path(), &refs);
        let actual: Vec<&str> = run.stdout.lines().collect();
        assert!(
            run.code == step.exit && matches(&step.expected, &actual),
            "{}:{}: `{}` (exit {}, expected {}) printed:\n{}\n--- but the docs say:\n{}\n--- stderr:\n{}",
            file.display(),
            step.line,
            step.command,
            run.code,
            step.exit,
            run.stdout,
            step.expected.join("\n"),
            run.stderr
        );
    }
    steps.len()
}

#[test]
fn readme_transcripts_print_what_they_say() {
    let ran = run_transcripts(&root().join("README.md"));
    assert!(ran >= 4, "the README shows its commands ({ran} found)");
}

#[test]
fn example_readme_transcripts_print_what_they_say() {
    for example in [
        "examples/newton-tc/README.md",
        "examples/ops-recognition/README.md",
    ] {
        run_transcripts(&root().join(example));
    }
}

#[test]
fn transcript_matching_understands_elision() {
    let expected: Vec<String> = ["a", "...", "d"].map(str::to_owned).to_vec();
    assert!(matches(&expected, &["a", "b", "c", "d"]));
    assert!(matches(&expected, &["a", "d"]));
    assert!(!matches(&expected, &["a", "b"]));
    assert!(!matches(&expected, &["x", "d"]));
    assert_eq!(
        words("explain -e x.toml 'Yara Haddad' \"a b\""),
        ["explain", "-e", "x.toml", "Yara Haddad", "a b"]
    );
}

/// Every subcommand path, from the binary's own help (`policy list`, `fetch changes`, ...).
fn subcommands(dir: &Path, path: &[String]) -> Vec<Vec<String>> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let help = electorate_in(dir, &args).success().stdout;
    let mut found = Vec::new();
    let mut in_commands = false;
    for line in help.lines() {
        if line.trim_end() == "Commands:" {
            in_commands = true;
            continue;
        }
        if in_commands {
            if line.starts_with("   ") {
                continue; // a description wrapped onto the next line
            }
            let Some(name) = line
                .strip_prefix("  ")
                .and_then(|l| l.split_whitespace().next())
            else {
                in_commands = false;
                continue;
            };
            if name == "help" {
                continue;
            }
            let mut sub = path.to_vec();
            sub.push(name.to_owned());
            found.extend(subcommands(dir, &sub));
            found.push(sub);
        }
    }
    found
}

#[test]
fn every_help_example_runs() {
    let dir = sandbox();
    // What the examples take as already there: rolls written by `roll --out` (twice, for
    // `diff`), and the secret the digest example makes with `head -c 32 /dev/urandom`.
    for out in ["rolls", "rolls-official-1", "rolls-official-2"] {
        electorate_in(
            dir.path(),
            &[
                "roll",
                "--election",
                "examples/newton-tc/election.toml",
                "--out",
                out,
                "--quiet",
            ],
        )
        .success();
    }
    std::fs::write(dir.path().join("secret"), [7u8; 32]).unwrap();
    let mut examples = 0;
    for path in subcommands(dir.path(), &[]) {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = electorate_in(dir.path(), &args).success().stdout;
        let mut in_examples = false;
        // A long example continues on the next lines after a trailing backslash.
        let joined = help.replace("\\\n", " ");
        for line in joined.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with("Example:") || trimmed.starts_with("Examples:") {
                in_examples = true;
                continue;
            }
            if !in_examples {
                continue;
            }
            let Some(command) = trimmed.strip_prefix("electorate ") else {
                continue;
            };
            if command.contains("...") {
                // A placeholder for what only a real run gives (a voter's code).
                continue;
            }
            if command.contains("--server https://") {
                // Fetching needs a server: tests/fetch_cli.rs runs these commands against
                // one on loopback.
                continue;
            }
            let words = words(command);
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let run = electorate_in(dir.path(), &refs);
            assert!(
                run.code == 0 || run.code == 1,
                "`electorate {}` from `electorate {} --help` could not run (exit {}):\n{}",
                command,
                path.join(" "),
                run.code,
                run.stderr
            );
            examples += 1;
        }
    }
    assert!(examples >= 8, "only {examples} help examples found");
}

/// Every `cargo run ... -- ARGS` line in the README (the main command and the tour's),
/// as argument lists.
fn cargo_run_lines(readme: &str) -> Vec<Vec<String>> {
    readme
        .lines()
        .filter(|line| line.trim_start().starts_with("cargo run "))
        .filter_map(|line| line.split_once(" -- ").map(|(_, args)| words(args)))
        .collect()
}

#[test]
fn the_readme_commands_run() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let commands = cargo_run_lines(&readme);
    assert!(
        !commands.is_empty(),
        "the README shows how to run the example"
    );
    let dir = sandbox();
    for args in commands {
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
