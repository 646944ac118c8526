//! Row order, file boundaries, line endings and the order of governance entries are not
//! facts: shuffling the example's change rows, splitting them across two files, writing
//! one with CRLF line ends, shuffling the members file and the teams of projects.yaml
//! gives byte-identical `.txt` and `.csv` rolls.

mod common;

use std::path::Path;

use common::{electorate_in, files, root};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// A CSV's header and its rows.
fn header_and_rows(text: &str) -> (String, Vec<String>) {
    let mut lines = text.lines().map(str::to_owned);
    let header = lines.next().unwrap();
    (header, lines.filter(|l| !l.is_empty()).collect())
}

/// The top-level entries of a block-style YAML mapping (each from its unindented key
/// line to the next), after the comment lines that open the file.
fn yaml_entries(text: &str) -> (String, Vec<String>) {
    let mut preamble = String::new();
    let mut entries: Vec<String> = Vec::new();
    for line in text.lines() {
        let top = !line.is_empty() && !line.starts_with([' ', '#', '-']);
        if top {
            entries.push(String::new());
        }
        match entries.last_mut() {
            Some(entry) => {
                entry.push_str(line);
                entry.push('\n');
            }
            None => {
                preamble.push_str(line);
                preamble.push('\n');
            }
        }
    }
    (preamble, entries)
}

fn permute<T: Clone>(items: &[T], keys: &[u32]) -> Vec<T> {
    let mut keyed: Vec<(u32, usize)> = (0..items.len())
        .map(|i| (keys[i % keys.len()].wrapping_mul(i as u32 + 1), i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| items[i].clone()).collect()
}

/// The example rolled from `dir`: its `.txt` and `.csv` files.
fn rolls(dir: &Path) -> Vec<(String, String)> {
    electorate_in(
        dir,
        &[
            "roll",
            "--election",
            "election.toml",
            "--out",
            "rolls",
            "--quiet",
        ],
    )
    .success();
    files(&dir.join("rolls"))
        .into_iter()
        .filter(|(name, _)| name.ends_with(".txt") || name.ends_with(".csv"))
        .collect()
}

/// A copy of the example with its inputs rearranged by `keys`, split at `split`.
fn rearranged(keys: &[u32], split: usize, crlf: bool) -> tempfile::TempDir {
    let example = root().join("examples/newton-tc");
    let dir = tempfile::tempdir().unwrap();
    let read = |name: &str| std::fs::read_to_string(example.join(name)).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let (header, rows) = header_and_rows(&read("gerrit/changes.csv"));
    let rows = permute(&rows, keys);
    let split = split % (rows.len() + 1);
    let end = if crlf { "\r\n" } else { "\n" };
    let first = format!(
        "{header}\n{}",
        rows[..split]
            .iter()
            .map(|r| format!("{r}\n"))
            .collect::<String>()
    );
    let second = format!(
        "{header}{end}{}",
        rows[split..]
            .iter()
            .map(|r| format!("{r}{end}"))
            .collect::<String>()
    );
    write("gerrit/a.csv", &first);
    write("gerrit/b.csv", &second);
    write("gerrit/glance-rest.json", &read("gerrit/glance-rest.json"));
    let (header, rows) = header_and_rows(&read("members.csv"));
    let members = permute(&rows, &keys[1..]);
    write(
        "members.csv",
        &format!(
            "{header}\n{}",
            members.iter().map(|r| format!("{r}\n")).collect::<String>()
        ),
    );
    let (preamble, teams) = yaml_entries(&read("governance/projects.yaml"));
    write(
        "governance/projects.yaml",
        &format!("{preamble}{}", permute(&teams, &keys[2..]).concat()),
    );
    for name in [
        "legacy.yaml",
        "sigs-repos.yaml",
        "technical-committee-repos.yaml",
    ] {
        write(
            &format!("governance/{name}"),
            &read(&format!("governance/{name}")),
        );
    }
    let election = read("election.toml").replace(
        "changes = [\"gerrit/changes.csv\", \"gerrit/glance-rest.json\"]",
        "changes = [\"gerrit/b.csv\", \"gerrit/glance-rest.json\", \"gerrit/a.csv\"]",
    );
    assert!(election.contains("gerrit/b.csv"));
    write("election.toml", &election);
    dir
}

#[test]
fn order_boundaries_and_line_ends_do_not_change_the_rolls() {
    // The example as shipped, through the same copying (no permutation, no split).
    let baseline = rolls(rearranged(&[0, 0, 0], 0, false).path());
    assert!(baseline.len() > 10, "the example writes its rolls");
    let shipped = tempfile::tempdir().unwrap();
    let out = shipped.path().join("rolls");
    common::electorate(&[
        "roll",
        "--election",
        "examples/newton-tc/election.toml",
        "--out",
        &out.display().to_string(),
        "--quiet",
    ])
    .success();
    let shipped: Vec<(String, String)> = files(&out)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".txt") || name.ends_with(".csv"))
        .collect();
    assert_eq!(baseline, shipped, "copying the example changes nothing");

    let mut runner = TestRunner::new(Config {
        cases: 12,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(
                prop::collection::vec(any::<u32>(), 3..8),
                any::<usize>(),
                any::<bool>(),
            ),
            |(keys, split, crlf)| {
                let dir = rearranged(&keys, split, crlf);
                let again = rolls(dir.path());
                prop_assert_eq!(&again, &baseline);
                Ok(())
            },
        )
        .unwrap();
}
