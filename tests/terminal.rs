//! Output where it lands: a pipe, a terminal (a real one: `script` runs the binary on a
//! pseudo-terminal), `NO_COLOR`, `TERM=dumb`, a C locale and an 80-column window; the
//! election file found without `--election`; names found by a part; completions and the
//! manual page from the binary.

mod common;

use std::path::Path;
use std::process::Command;

use common::{STYLE_VARIABLES, electorate, electorate_with, root};

/// Run `electorate` on a pseudo-terminal (util-linux `script`) with these variables, from
/// the repository root; the screen's text (standard output and error together, as a
/// terminal shows them), with the terminal's CR LF made LF.
fn on_terminal(args: &[&str], vars: &[(&str, &str)]) -> String {
    let binary = env!("CARGO_BIN_EXE_electorate");
    let quoted: Vec<String> = std::iter::once(binary)
        .chain(args.iter().copied())
        .map(|arg| format!("'{}'", arg.replace('\'', "'\\''")))
        .collect();
    let mut command = Command::new("script");
    command
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .current_dir(root())
        .env_remove("RUST_BACKTRACE");
    for name in STYLE_VARIABLES {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    let output = command
        .output()
        .expect("util-linux `script` runs the binary on a pseudo-terminal");
    assert!(matches!(output.status.code(), Some(0..=2)), "{output:?}");
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .replace("\r\n", "\n")
}

const ESC: char = '\u{1b}';

fn widest(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_pipe_gets_plain_ascii_unwrapped() {
    let run = electorate(&["policy", "list"]).success();
    assert!(run.stdout.is_ascii(), "{}", run.stdout);
    assert!(widest(&run.stdout) > 80, "not wrapped in a pipe");
    insta::assert_snapshot!("pipe_policy_list", run.stdout);
}

#[test]
fn an_80_column_utf8_terminal_gets_box_drawing_colour_and_wrapping() {
    let vars = [("LANG", "C.UTF-8"), ("COLUMNS", "80"), ("TERM", "xterm")];
    let screen = on_terminal(&["policy", "list"], &vars);
    assert!(screen.contains('│'), "{screen}");
    assert!(widest(&screen) <= 80, "{screen}");
    insta::assert_snapshot!("terminal_80_policy_list", screen);

    // Colour for meaning: on and off a roll.
    let screen = on_terminal(
        &[
            "explain",
            "--election",
            "examples/newton-tc/election.toml",
            "Zofia",
        ],
        &vars,
    );
    assert!(
        screen.contains(&format!("{ESC}[31moff{ESC}[0m")),
        "{screen:?}"
    );

    // The tally's options table, 350 columns in a pipe, fits the window (prose lines are
    // the terminal's to wrap).
    let screen = on_terminal(
        &[
            "tally",
            "fixtures/ballots/tennessee.toml",
            "--method",
            "schulze",
        ],
        &vars,
    );
    let tables: String = screen
        .lines()
        .filter(|line| line.starts_with('|'))
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        tables.lines().count() > 20 && widest(&tables) <= 80,
        "{screen}"
    );
    assert!(
        screen.contains(&format!("{ESC}[32mNashville{ESC}[0m")),
        "{screen:?}"
    );
    insta::assert_snapshot!("terminal_80_tally", screen);
}

#[test]
fn no_color_keeps_the_borders_and_drops_the_colour() {
    let vars = [("LANG", "C.UTF-8"), ("COLUMNS", "80"), ("NO_COLOR", "1")];
    let screen = on_terminal(
        &[
            "explain",
            "--election",
            "examples/newton-tc/election.toml",
            "zofia.farouk@example.org",
        ],
        &vars,
    );
    assert!(!screen.contains(ESC), "{screen:?}");
    insta::assert_snapshot!("no_color_explain", screen);
    let screen = on_terminal(&["policy", "list"], &vars);
    assert!(!screen.contains(ESC) && screen.contains('│'), "{screen}");
}

#[test]
fn a_dumb_terminal_or_a_c_locale_gets_ascii() {
    let screen = on_terminal(
        &["policy", "list"],
        &[("LANG", "C.UTF-8"), ("COLUMNS", "80"), ("TERM", "dumb")],
    );
    assert!(screen.is_ascii(), "{screen}");
    assert!(widest(&screen) <= 80, "{screen}");
    insta::assert_snapshot!("dumb_policy_list", screen);
    let screen = on_terminal(
        &["policy", "list"],
        &[("LC_ALL", "C"), ("LANG", "C.UTF-8"), ("TERM", "xterm")],
    );
    assert!(screen.is_ascii(), "LC_ALL=C wins over LANG: {screen}");
}

#[test]
fn color_flags_decide_in_a_pipe_too() {
    let args = [
        "candidacy",
        "--election",
        "examples/newton-tc/election.toml",
        "kenji.okonkwo@example.org",
        "kofi.sorvino@example.org",
    ];
    let plain = electorate_with(&root(), &args, &[]).code(1);
    assert!(!plain.stdout.contains(ESC));
    let mut always = args.to_vec();
    always.push("--color=always");
    let coloured = electorate_with(&root(), &always, &[("NO_COLOR", "1")]).code(1);
    assert!(
        coloured
            .stdout
            .contains(&format!("{ESC}[32meligible{ESC}[0m"))
            && coloured
                .stdout
                .contains(&format!("{ESC}[31mNOT eligible{ESC}[0m")),
        "{:?}",
        coloured.stdout
    );
    let mut never = args.to_vec();
    never.push("--color=never");
    let screen = on_terminal(&never, &[("LANG", "C.UTF-8")]);
    assert!(!screen.contains(ESC), "{screen:?}");
}

#[test]
fn errors_are_red_on_a_terminal_only() {
    let screen = on_terminal(&["roll", "--election", "nope.toml"], &[("TERM", "xterm")]);
    assert!(
        screen.starts_with(&format!("{ESC}[31merror{ESC}[0m: cannot read nope.toml")),
        "{screen:?}"
    );
    let run = electorate(&["roll", "--election", "nope.toml"]).code(2);
    assert_eq!(
        run.stderr,
        "error: cannot read nope.toml: No such file or directory (os error 2)\n"
    );
}

#[test]
fn the_election_file_is_found_and_the_choice_said() {
    let example = root().join("examples/newton-tc");
    let run = electorate_with(&example, &["check"], &[]).success();
    assert_eq!(
        run.stderr,
        "using election file election.toml (in the current directory)\n"
    );
    assert!(
        run.stdout
            .starts_with("warning: gerrit/changes.csv:203: address \"Yara.haddad@example.org\" differs from \"yara.haddad@example.org\" (at gerrit/changes.csv:202)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("8 files checked: 0 errors, 1 warning\n")
    );
    let run = electorate_with(
        &root(),
        &["check"],
        &[("ELECTORATE_ELECTION", "examples/newton-tc/election.toml")],
    )
    .success();
    assert_eq!(
        run.stderr,
        "using election file examples/newton-tc/election.toml (from ELECTORATE_ELECTION)\n"
    );
    // The variable wins over the file here; the flag wins over both, silently.
    let run = electorate_with(
        &example,
        &["check", "--election", "election.toml"],
        &[("ELECTORATE_ELECTION", "nope.toml")],
    )
    .success();
    assert_eq!(run.stderr, "");
    let run = electorate_with(
        &example,
        &["check"],
        &[("ELECTORATE_ELECTION", "nope.toml")],
    )
    .code(2);
    assert_eq!(
        run.stderr,
        "using election file nope.toml (from ELECTORATE_ELECTION)\nerror: cannot read nope.toml: No such file or directory (os error 2)\n"
    );
}

#[test]
fn paths_in_messages_open_from_where_the_command_ran() {
    let dir = tempfile::tempdir().unwrap();
    let election = dir.path().join("e");
    common::write_tree(
        &election,
        &[
            (
                "election.toml",
                "[election]\nname = \"t\"\nwindow = { start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }\n[inputs]\nchanges = [\"gerrit/changes.csv\"]\n",
            ),
            (
                "gerrit/changes.csv",
                "project,branch,owner_email,merged_at\nopenstack/nova,master,ann@example.org,2015-06-01\n",
            ),
        ],
    );
    let run = electorate_with(dir.path(), &["check", "--election", "e/election.toml"], &[]).code(1);
    assert!(
        run.stdout
            .starts_with("error: e/gerrit/changes.csv:2: field merged_at"),
        "{}",
        run.stdout
    );
    // JSON keeps the election file's own names, as the manifest does.
    let run = electorate_with(
        dir.path(),
        &["check", "--election", "e/election.toml", "--format", "json"],
        &[],
    )
    .code(1);
    assert!(
        run.stdout.contains("\"file\": \"gerrit/changes.csv\""),
        "{}",
        run.stdout
    );
}

#[test]
fn a_part_of_a_name_finds_one_person_or_lists_several() {
    let election = "examples/newton-tc/election.toml";
    let run = electorate(&["explain", "--election", election, "Zofia"]).success();
    assert!(
        run.stdout
            .starts_with("Zofia Farouk <zofia.farouk@example.org>"),
        "{}",
        run.stdout
    );
    let run = electorate(&["explain", "--election", election, "Ravindran"]).code(1);
    assert_eq!(
        run.stderr,
        "\"Ravindran\" is part of the names of 2 people in the inputs of Newton TC and PTL elections (fictional); give one of these:\n  Mirela Ravindran <mirela.ravindran@example.org>  [gerrit:1015]\n  Tomas Ravindran <tomas.ravindran@example.org>  [gerrit:1032]\n"
    );
    let run = electorate(&["candidacy", "--election", election, "Ravindran"]).code(1);
    assert!(run.stdout.contains("candidate-ambiguous"), "{}", run.stdout);
    assert!(run.stderr.contains("Mirela Ravindran"), "{}", run.stderr);
    let run = electorate(&["candidacy", "--election", election, "kofi sorv"]).code(1);
    assert!(
        run.stdout
            .starts_with("kofi sorv (Kofi Sorvino): NOT eligible for tc (candidate-not-member"),
        "{}",
        run.stdout
    );
}

#[test]
fn completions_and_the_manual_come_from_the_binary() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = electorate(&["completions", shell]).success();
        assert!(run.stdout.contains("tally"), "{shell}");
    }
    let run = electorate(&["man"]).success();
    assert!(run.stdout.contains(".SH \"ELECTORATE TALLY\""));
    // groff, where it is installed, reads it without a warning.
    let page = std::env::temp_dir().join(format!("electorate-{}.1", std::process::id()));
    std::fs::write(&page, &run.stdout).unwrap();
    if Path::new("/usr/bin/groff").exists() {
        let checked = Command::new("groff")
            .args(["-k", "-man", "-ww", "-z"])
            .arg(&page)
            .output()
            .unwrap();
        assert!(
            checked.status.success() && checked.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&checked.stderr)
        );
    }
    let _ = std::fs::remove_file(page);
}
