//! `electorate fetch` as a user runs it: the tour of docs/fetch.md against a loopback
//! server, fetch-then-roll against roll over the same data as CSV, a fetch killed at a
//! random moment and run again, and `fetch members`.

mod common;
mod fetch_server;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{electorate_in, write_tree};
use fetch_server::{Change, Fault, Rule, State, generate, member, person};

const PROJECTS: &str = "alpha:\n  deliverables:\n    alpha:\n      repos:\n        - x/alpha\n        - x/alpha-client\nbeta:\n  deliverables:\n    beta:\n      repos:\n        - x/beta\n";
const LEGACY: &str = "gamma:\n  retired-on: 2014-06-01\n  deliverables:\n    gamma:\n      repos:\n        - x/gamma\n";
const SIGS: &str = "Scientific:\n  - repo: x/science-sig\n";
const TC_REPOS: &str = "Technical Committee:\n  - repo: x/governance\n";
const REPOS: [&str; 6] = [
    "x/alpha",
    "x/alpha-client",
    "x/beta",
    "x/gamma",
    "x/science-sig",
    "x/governance",
];
const PEOPLE: usize = 30;

/// A fictional instance of the governed repositories, and a member directory where
/// everybody but every seventh person is an Individual Member.
fn instance(per_repo: usize) -> State {
    let mut state = State::default();
    generate(&mut state, &REPOS, per_repo, PEOPLE);
    state.add_repo("x/ungoverned");
    for i in 0..PEOPLE {
        if i % 7 == 3 {
            continue;
        }
        let (_, name, email, _) = person(i);
        let orgs: &[(&str, bool)] = if i % 2 == 0 {
            &[("Example Org", true), ("Old Corp", false)]
        } else {
            &[("Widget Cooperative", true)]
        };
        state
            .members
            .insert(email, vec![member(5000 + i as u64, &name, orgs)]);
    }
    state
}

fn governance(dir: &Path) {
    write_tree(
        dir,
        &[
            ("governance/reference/projects.yaml", PROJECTS),
            ("governance/reference/legacy.yaml", LEGACY),
            ("governance/reference/sigs-repos.yaml", SIGS),
            (
                "governance/reference/technical-committee-repos.yaml",
                TC_REPOS,
            ),
        ],
    );
}

/// The `From Gerrit to a roll` section of docs/fetch.md: its election file and commands.
fn tour() -> (String, Vec<Vec<String>>) {
    tour_of("docs/fetch.md")
}

/// The `From Gerrit to a roll` section of a Markdown file: its election file, if it has
/// one, and its commands.
fn tour_of(file: &str) -> (String, Vec<Vec<String>>) {
    let doc = std::fs::read_to_string(common::root().join(file)).unwrap();
    let section = doc
        .split("## From Gerrit to a roll")
        .nth(1)
        .expect("the section is there");
    let toml = section
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_default()
        .to_owned();
    let commands = section
        .lines()
        .filter_map(|line| line.strip_prefix("electorate "))
        .map(|args| args.split_whitespace().map(str::to_owned).collect())
        .collect();
    (toml, commands)
}

fn point_at(args: &[String], url: &str) -> Vec<String> {
    args.iter()
        .map(|a| {
            if a == "https://review.opendev.org"
                || a == "https://openstackid-resources.openstack.org"
            {
                url.to_owned()
            } else {
                a.clone()
            }
        })
        .collect()
}

fn run_in(dir: &Path, args: &[String]) -> common::Run {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    electorate_in(dir, &refs)
}

#[test]
fn the_tour_of_docs_fetch_md_runs_as_written_against_a_loopback_server() {
    let (toml, commands) = tour();
    assert!(
        toml.contains("[inputs]"),
        "docs/fetch.md gives the election file"
    );
    let (_, readme) = tour_of("README.md");
    assert_eq!(
        readme, commands,
        "the README shows the commands this test runs"
    );
    assert_eq!(commands.len(), 3, "fetch changes, fetch members, roll");
    assert!(commands[0].contains(&"https://review.opendev.org".to_owned()));
    let server = fetch_server::Server::start(instance(12));
    let dir = tempfile::tempdir().unwrap();
    governance(dir.path());
    std::fs::write(dir.path().join("election.toml"), &toml).unwrap();
    let mut outputs = Vec::new();
    for command in &commands {
        let run = run_in(dir.path(), &point_at(command, &server.url)).success();
        outputs.push(run.stdout);
    }
    assert!(
        outputs[0].starts_with("5 repositories from http://127.0.0.1:"),
        "{}",
        outputs[0]
    );
    assert!(outputs[1].contains("member"), "{}", outputs[1]);
    let log = server.with(|s| s.log.clone());
    assert!(
        !log.iter().any(|r| r.contains("x/gamma")),
        "retired before the window: not asked"
    );
    assert!(!log.iter().any(|r| r.contains("x/ungoverned")));
    let tc = std::fs::read_to_string(dir.path().join("rolls/tc.txt")).unwrap();
    assert!(tc.lines().count() > 5, "{tc}");
    let (_, _, non_member, _) = person(3);
    let (_, _, a_member, _) = person(2);
    assert!(!tc.contains(&non_member), "not a member: off the roll");
    assert!(tc.contains(&a_member), "{tc}");
}

/// The server's changes as the changes CSV of DESIGN §4, for the same query days and the
/// repositories a fetch asks for (governed, not retired before the window).
fn changes_csv(state: &State) -> String {
    let mut rows: Vec<&Change> = state
        .changes
        .values()
        .flatten()
        .filter(|c| c.project != "x/gamma" && c.project != "x/ungoverned")
        .filter(|c| c.submitted.as_str() >= "2015-03-03" && c.submitted.as_str() < "2016-03-05")
        .collect();
    rows.sort_by(|a, b| a.project.cmp(&b.project).then(a.number.cmp(&b.number)));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "project",
        "branch",
        "owner_email",
        "merged_at",
        "owner_name",
        "owner_account_id",
        "owner_username",
        "change_id",
        "change_number",
        "status",
        "co_authors",
    ])
    .unwrap();
    for c in rows {
        let co: Vec<String> = c
            .co_authors
            .iter()
            .map(|(n, e)| format!("{n} <{e}>"))
            .collect();
        out.write_record([
            c.project.as_str(),
            &c.branch,
            &c.owner.2,
            &format!("{}T{}Z", &c.submitted[..10], &c.submitted[11..]),
            &c.owner.1,
            &c.owner.0.to_string(),
            &c.owner.3,
            &format!("I{:040x}", c.number),
            &c.number.to_string(),
            "MERGED",
            &co.join("; "),
        ])
        .unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

fn members_csv(state: &State) -> String {
    let mut out = String::from("member_id,name,email\n");
    let mut rows: Vec<(u64, String, String)> = state
        .members
        .iter()
        .map(|(email, data)| {
            let v: serde_json::Value = serde_json::from_str(&data[0]).unwrap();
            let name = format!(
                "{} {}",
                v["first_name"].as_str().unwrap(),
                v["last_name"].as_str().unwrap()
            );
            (v["id"].as_u64().unwrap(), name, email.clone())
        })
        .collect();
    rows.sort();
    for (id, name, email) in rows {
        out.push_str(&format!("{id},{name},{email}\n"));
    }
    out
}

#[test]
fn fetch_then_roll_equals_roll_on_the_same_data_as_csv() {
    let server = fetch_server::Server::start(instance(25));
    let (csv, members) = server.with(|s| (changes_csv(s), members_csv(s)));
    let election = |changes: &str, members: &str| {
        format!(
            "[election]\nname = \"x\"\nwindow = {{ start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }}\n\n[inputs]\nchanges = [\"{changes}\"]\ngovernance = {{ projects = \"governance/reference/projects.yaml\", legacy = \"governance/reference/legacy.yaml\", sigs = \"governance/reference/sigs-repos.yaml\", tc_repos = \"governance/reference/technical-committee-repos.yaml\" }}\nmembers = \"{members}\"\n"
        )
    };
    let fetched = tempfile::tempdir().unwrap();
    governance(fetched.path());
    std::fs::write(
        fetched.path().join("election.toml"),
        election("gerrit/changes/", "members/members.csv"),
    )
    .unwrap();
    let s = |v: &[&str]| v.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    run_in(
        fetched.path(),
        &s(&[
            "fetch",
            "changes",
            "-e",
            "election.toml",
            "--server",
            &server.url,
            "--out",
            "gerrit",
            "--page-size",
            "7",
        ]),
    )
    .success();
    run_in(
        fetched.path(),
        &s(&[
            "fetch",
            "members",
            "-e",
            "election.toml",
            "--server",
            &server.url,
            "--out",
            "members",
        ]),
    )
    .success();
    run_in(
        fetched.path(),
        &s(&["roll", "-e", "election.toml", "--out", "rolls"]),
    )
    .success();

    let given = tempfile::tempdir().unwrap();
    governance(given.path());
    write_tree(
        given.path(),
        &[("changes.csv", &csv), ("members.csv", &members)],
    );
    std::fs::write(
        given.path().join("election.toml"),
        election("changes.csv", "members.csv"),
    )
    .unwrap();
    run_in(
        given.path(),
        &s(&["roll", "-e", "election.toml", "--out", "rolls"]),
    )
    .success();

    let rolls = |dir: &Path| -> Vec<(String, String)> {
        common::files(&dir.join("rolls"))
            .into_iter()
            .filter(|(name, _)| name != "manifest.json")
            .collect()
    };
    let from_fetch = rolls(fetched.path());
    assert!(from_fetch.len() >= 6, "{from_fetch:?}");
    assert_eq!(from_fetch, rolls(given.path()));
    let manifest = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("rolls/manifest.json")).unwrap())
            .unwrap()
    };
    let (a, b) = (manifest(fetched.path()), manifest(given.path()));
    assert_eq!(a["changes"], b["changes"]);
    assert_eq!(a["people"], b["people"]);
    assert!(a["changes"]["used"].as_u64().unwrap() > 50);
}

fn fetch_command(dir: &Path, url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_electorate"));
    command
        .args([
            "fetch",
            "changes",
            "-e",
            "election.toml",
            "--server",
            url,
            "--out",
            "gerrit",
            "--page-size",
            "4",
            "--jobs",
            "2",
        ])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// The manifest without what differs between runs: when, and how many requests it took.
fn stable_manifest(dir: &Path) -> serde_json::Value {
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("gerrit/fetch-manifest.json")).unwrap())
            .unwrap();
    m["fetched_at"] = serde_json::Value::Null;
    for repo in m["repositories"].as_array_mut().unwrap() {
        for key in ["fetched_at", "pages", "requests"] {
            repo[key] = serde_json::Value::Null;
        }
    }
    m
}

fn every_file(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            } else {
                let name = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .display()
                    .to_string();
                if name != "fetch-manifest.json" {
                    out.push((name, std::fs::read(entry.path()).unwrap()));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_fetch_killed_at_a_random_moment_and_run_again_gives_the_files_of_an_uninterrupted_one() {
    let server = fetch_server::Server::start(instance(40));
    server.with(|s| s.delay = Duration::from_millis(3));
    let election = "[election]\nname = \"x\"\nwindow = { start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }\n[inputs]\nchanges = [\"gerrit/changes/\"]\ngovernance = { projects = \"governance/reference/projects.yaml\", legacy = \"governance/reference/legacy.yaml\", sigs = \"governance/reference/sigs-repos.yaml\", tc_repos = \"governance/reference/technical-committee-repos.yaml\" }\n";
    let reference = tempfile::tempdir().unwrap();
    governance(reference.path());
    std::fs::write(reference.path().join("election.toml"), election).unwrap();
    let started = Instant::now();
    assert!(
        fetch_command(reference.path(), &server.url)
            .status()
            .unwrap()
            .success()
    );
    let full = started.elapsed();
    let expected = every_file(&reference.path().join("gerrit"));
    // A random moment within the run, a different one each time the test runs.
    let seed =
        std::hash::BuildHasher::hash_one(&std::collections::hash_map::RandomState::new(), 0u8);
    for round in 0..3u64 {
        let dir = tempfile::tempdir().unwrap();
        governance(dir.path());
        std::fs::write(dir.path().join("election.toml"), election).unwrap();
        let fraction = (seed.rotate_left(round as u32 * 21) % 1000) as f64 / 1000.0;
        let kill_after = full.mul_f64(fraction);
        let mut child = fetch_command(dir.path(), &server.url).spawn().unwrap();
        std::thread::sleep(kill_after);
        let _ = child.kill();
        let _ = child.wait();
        let output = fetch_command(dir.path(), &server.url)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "round {round}: killed after {kill_after:?}, the second run failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            every_file(&dir.path().join("gerrit")),
            expected,
            "round {round}: killed after {kill_after:?} of {full:?}"
        );
        assert_eq!(
            stable_manifest(dir.path()),
            stable_manifest(reference.path()),
            "round {round}"
        );
    }
}

#[test]
fn fetch_members_caches_answers_retries_failures_and_refuses_foreign_directories() {
    let server = fetch_server::Server::start(instance(8));
    let dir = tempfile::tempdir().unwrap();
    governance(dir.path());
    std::fs::write(
        dir.path().join("election.toml"),
        "[election]\nname = \"x\"\nwindow = { start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }\n[inputs]\nchanges = [\"gerrit/changes/\"]\ngovernance = { projects = \"governance/reference/projects.yaml\" }\nmembers = \"members/members.csv\"\n",
    )
    .unwrap();
    let s = |v: &[&str]| v.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    run_in(
        dir.path(),
        &s(&[
            "fetch",
            "changes",
            "-e",
            "election.toml",
            "--server",
            &server.url,
            "-o",
            "gerrit",
        ]),
    )
    .success();
    let (_, _, first_address, _) = person(0);
    server.with(|s| {
        s.log.clear();
        s.rules.push(Rule::new(
            &["/api/public/v1/members"],
            Fault::Status(503, None, "maintenance".into()),
            1,
        ));
    });
    let first = run_in(
        dir.path(),
        &s(&[
            "fetch",
            "members",
            "-e",
            "election.toml",
            "--server",
            &server.url,
            "-o",
            "members",
        ]),
    )
    .success();
    let asked = server.requests() - 1;
    assert!(
        first.stderr.contains("(attempt 1 of 6)"),
        "{}",
        first.stderr
    );
    assert!(
        first.stdout.contains(&format!(
            "{asked} asked ({} requests), 0 from the cache",
            asked + 1
        )),
        "{}",
        first.stdout
    );
    let csv = std::fs::read_to_string(dir.path().join("members/members.csv")).unwrap();
    assert!(
        csv.starts_with("member_id,name,email,affiliations\n"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("5000,Ada Arden,{first_address},Example Org\n")),
        "{csv}"
    );
    // A second run asks nothing and writes the same file.
    server.clear_log();
    let second = run_in(
        dir.path(),
        &s(&[
            "fetch",
            "members",
            "-e",
            "election.toml",
            "--server",
            &server.url,
            "-o",
            "members",
        ]),
    )
    .success();
    assert_eq!(server.requests(), 0);
    assert!(
        second
            .stdout
            .contains(&format!("0 asked (0 requests), {asked} from the cache")),
        "{}",
        second.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("members/members.csv")).unwrap(),
        csv
    );
    // A lookup that keeps failing is an error naming the address.
    server.with(|s| {
        s.rules.push(Rule::new(
            &["/api/public/v1/members"],
            Fault::Status(400, None, "{\"message\": \"bad\"}".into()),
            usize::MAX,
        ));
    });
    let failed = run_in(
        dir.path(),
        &s(&[
            "fetch",
            "members",
            "-e",
            "election.toml",
            "--server",
            &server.url,
            "-o",
            "members",
            "--refresh",
            "-j",
            "1",
        ]),
    )
    .code(2);
    assert!(
        failed.stderr.starts_with(&format!("error: cannot fetch the member lookup of \"{first_address}\" from {}: answered 400 Bad Request: \"{{'message': 'bad'}}\"", server.url)),
        "{}",
        failed.stderr
    );
    // The changes directory is not a members directory.
    let wrong = run_in(
        dir.path(),
        &s(&[
            "fetch",
            "members",
            "-e",
            "election.toml",
            "--server",
            &server.url,
            "-o",
            "gerrit",
        ]),
    )
    .code(2);
    assert_eq!(
        wrong.stderr,
        "error: gerrit holds a fetch of gerrit-changes, not of member-directory; fetch into another directory\n"
    );
}
