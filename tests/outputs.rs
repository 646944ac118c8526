//! The output directory under attack: files the user keeps beside the rolls, a user's own
//! manifest, devices, colliding roll names, kills in the middle of a write and two runs at
//! once. The tool must never lose a file it did not write, and a directory must always hold
//! one complete set of outputs.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{electorate, path, write_tree};
use sha2::{Digest, Sha256};

const EXAMPLE: &str = "examples/newton-tc/election.toml";

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn roll_into(dir: &Path, extra: &[&str]) -> common::Run {
    let out = dir.display().to_string();
    let mut args = vec!["roll", "--election", EXAMPLE, "--quiet", "--out", &out];
    args.extend_from_slice(extra);
    electorate(&args)
}

/// Every entry of a directory with its bytes (symbolic links as their target).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = fs::symlink_metadata(e.path()).unwrap();
            let bytes = if meta.file_type().is_symlink() {
                fs::read_link(e.path())
                    .unwrap()
                    .display()
                    .to_string()
                    .into_bytes()
            } else {
                fs::read(e.path()).unwrap()
            };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// Checks that `dir` holds exactly one complete set: every file the ledger lists, with its
/// hash, every roll file the manifest lists, and nothing else. Returns the policy's name.
fn complete_set(dir: &Path) -> Result<String, String> {
    let ledger = fs::read_to_string(dir.join(".electorate-ledger"))
        .map_err(|e| format!("no ledger: {e}"))?;
    let ledger: serde_json::Value = serde_json::from_str(&ledger).map_err(|e| e.to_string())?;
    let mut listed = Vec::new();
    for file in ledger["files"].as_array().ok_or("ledger without files")? {
        let name = file["name"].as_str().ok_or("nameless")?;
        let bytes = fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
        if sha256(&bytes) != file["sha256"].as_str().unwrap_or_default() {
            return Err(format!("{name} does not match the ledger"));
        }
        listed.push(name.to_owned());
    }
    let on_disk: Vec<String> = snapshot(dir)
        .into_keys()
        .filter(|n| !n.starts_with('.'))
        .collect();
    listed.sort();
    if on_disk != listed {
        return Err(format!("files {on_disk:?} but the ledger lists {listed:?}"));
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("manifest.json")).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    for roll in manifest["rolls"].as_array().ok_or("no rolls")? {
        for file in roll["files"].as_array().ok_or("no files")? {
            let name = file["path"].as_str().unwrap_or_default();
            let bytes = fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
            if sha256(&bytes) != file["sha256"].as_str().unwrap_or_default() {
                return Err(format!("{name} does not match the manifest"));
            }
        }
    }
    Ok(manifest["policy"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[test]
fn a_chart_pointed_into_a_roll_directory_deletes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let rolls = root.path().join("rolls");
    roll_into(&rolls, &[]).success();
    let before = snapshot(&rolls);
    let chart = rolls.join("x.svg").display().to_string();
    electorate(&[
        "compare",
        "--election",
        "examples/ops-recognition/election.toml",
        "--policy",
        "openstack",
        "--from",
        "2016-06-01",
        "--to",
        "2016-09-01",
        "--every",
        "1month",
        "--chart",
        &chart,
    ])
    .success();
    let mut after = snapshot(&rolls);
    assert!(after.remove("x.svg").is_some(), "the chart is written");
    assert_eq!(after, before, "every roll file is untouched");
}

#[cfg(unix)]
#[test]
fn a_chart_never_replaces_a_device_or_a_link() {
    let run = electorate(&[
        "compare",
        "--election",
        "examples/ops-recognition/election.toml",
        "--policy",
        "openstack",
        "--from",
        "2016-06-01",
        "--to",
        "2016-07-01",
        "--every",
        "1month",
        "--chart",
        "/dev/null",
    ])
    .code(2);
    assert_eq!(
        run.stderr,
        "error: refusing to write /dev/null: it exists and is not a regular file\n"
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn a_users_own_manifest_gives_no_licence_to_delete() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    fs::write(dir.join("thesis.docx"), "four years of work").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("thesis.docx", dir.join("latest.docx")).unwrap();
    fs::write(
        dir.join("manifest.json"),
        r#"{"rolls":[{"files":[{"path":"thesis.docx"},{"path":"latest.docx"}]}]}"#,
    )
    .unwrap();
    let before = snapshot(dir);
    let run = roll_into(dir, &[]).code(2);
    assert!(
        run.stderr.starts_with(&format!(
            "error: refusing to write into {}: it holds ",
            dir.display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    assert_eq!(snapshot(dir), before, "nothing deleted, nothing added");
}

#[test]
fn a_users_own_roll_file_is_never_overwritten_even_with_force() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    fs::write(dir.join("tc.txt"), "my own list\n").unwrap();
    let before = snapshot(dir);
    roll_into(dir, &[]).code(2);
    let run = roll_into(dir, &["--force"]).code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: refusing to write into {}: a file electorate did not write is in the way of outputs (tc.txt), and --force never replaces one\n",
            dir.display()
        )
    );
    assert_eq!(snapshot(dir), before);
}

#[test]
fn force_keeps_the_users_files_beside_the_rolls() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    fs::write(dir.join("notes.md"), "minutes\n").unwrap();
    roll_into(dir, &["--force"]).success();
    roll_into(dir, &["--force", "--policy", "openstack-bylaws"]).success();
    assert_eq!(
        fs::read_to_string(dir.join("notes.md")).unwrap(),
        "minutes\n"
    );
    // The ledger never claims the user's file.
    let ledger = fs::read_to_string(dir.join(".electorate-ledger")).unwrap();
    assert!(!ledger.contains("notes.md"), "{ledger}");
}

#[test]
fn an_edited_roll_is_not_replaced() {
    let root = tempfile::tempdir().unwrap();
    let rolls = root.path().join("rolls");
    roll_into(&rolls, &[]).success();
    fs::write(rolls.join("tc.csv"), "edited in a spreadsheet\n").unwrap();
    let run = roll_into(&rolls, &[]).code(2);
    assert!(
        run.stderr.contains("has changed since (tc.csv)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(rolls.join("tc.csv")).unwrap(),
        "edited in a spreadsheet\n"
    );
}

#[test]
fn a_rerun_replaces_the_set_and_removes_rolls_no_longer_built() {
    let root = tempfile::tempdir().unwrap();
    let rolls = root.path().join("rolls");
    roll_into(&rolls, &[]).success();
    assert_eq!(complete_set(&rolls).unwrap(), "openstack");
    // A policy with other rolls: the old set goes entirely.
    let policy = root.path().join("tc-only.toml");
    let text = fs::read_to_string(common::root().join("policies/openstack.toml")).unwrap();
    let tc_only: String = text
        .split("[[roll]]")
        .enumerate()
        .filter(|(i, part)| *i == 0 || part.contains("id = \"tc\""))
        .map(|(i, part)| {
            if i == 0 {
                part.to_owned()
            } else {
                format!("[[roll]]{part}")
            }
        })
        .collect();
    fs::write(
        &policy,
        tc_only.replace("name = \"openstack\"", "name = \"tc-only\""),
    )
    .unwrap();
    roll_into(&rolls, &["--policy", &policy.display().to_string()]).success();
    assert_eq!(complete_set(&rolls).unwrap(), "tc-only");
    let names: Vec<String> = snapshot(&rolls)
        .into_keys()
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(names, ["manifest.json", "tc.csv", "tc.txt"]);
    assert_eq!(
        fs::read_dir(root.path()).unwrap().count(),
        2,
        "no staging directory is left beside the rolls"
    );
}

#[test]
fn the_election_folder_is_refused_and_inputs_are_never_replaced() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    write_tree(
        dir,
        &[
            (
                "election.toml",
                "[election]\nname = \"x\"\nwindow = { start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }\npolicy = \"members.toml\"\n\n[inputs]\nchanges = [\"changes.csv\"]\ngovernance = { projects = \"projects.yaml\" }\nmembers = \"members.csv\"\n",
            ),
            (
                "changes.csv",
                "project,branch,owner_email,merged_at\nopenstack/nova,master,ada@example.org,2015-06-01T00:00:00Z\n",
            ),
            (
                "projects.yaml",
                "Nova:\n  deliverables:\n    nova:\n      repos:\n        - openstack/nova\n",
            ),
            (
                "members.csv",
                "member_id,name,email\n1,Ada,ada@example.org\n",
            ),
        ],
    );
    let policy = fs::read_to_string(common::root().join("policies/openstack.toml"))
        .unwrap()
        .replace("name = \"openstack\"", "name = \"members-roll\"")
        .replace("id = \"tc\"", "id = \"members\"");
    fs::write(dir.join("members.toml"), policy).unwrap();
    let before = snapshot(dir);
    let election = dir.join("election.toml").display().to_string();
    let out = dir.display().to_string();
    for force in [false, true] {
        let mut args = vec!["roll", "--election", &election, "--out", &out, "-q"];
        if force {
            args.push("--force");
        }
        let run = electorate(&args).code(2);
        assert_eq!(
            run.stderr,
            format!(
                "error: refusing to write {}: it is an input of this run\n",
                fs::canonicalize(dir.join("members.csv")).unwrap().display()
            )
        );
    }
    assert_eq!(snapshot(dir), before, "the members list is intact");
}

#[test]
fn teams_whose_rolls_share_a_file_name_are_an_error_before_anything_is_written() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    write_tree(
        dir,
        &[
            (
                "election.toml",
                "[election]\nname = \"x\"\nwindow = { start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }\n\n[inputs]\nchanges = [\"changes.csv\"]\ngovernance = { projects = \"projects.yaml\" }\n",
            ),
            (
                "changes.csv",
                "project,branch,owner_email,merged_at\nopenstack/nova,master,ada@example.org,2015-06-01T00:00:00Z\nopenstack/nova2,master,bo@example.org,2015-06-01T00:00:00Z\n",
            ),
            (
                "projects.yaml",
                "Nova:\n  deliverables:\n    nova:\n      repos:\n        - openstack/nova\nNOVA:\n  deliverables:\n    nova2:\n      repos:\n        - openstack/nova2\n",
            ),
        ],
    );
    let election = dir.join("election.toml").display().to_string();
    let run = common::electorate_in(dir, &["check", "--election", "election.toml"]).code(1);
    assert!(
        run.stdout.contains(
            "error: projects.yaml:6:1: team \"NOVA\" (projects.yaml:6) makes roll ptl-nova, and so does team \"Nova\" (projects.yaml:1): two rolls cannot share a file name"
        ),
        "{}",
        run.stdout
    );
    let out = dir.join("rolls");
    let run = electorate(&[
        "roll",
        "--election",
        &election,
        "--out",
        &out.display().to_string(),
        "-q",
    ])
    .code(2);
    assert!(
        run.stderr
            .ends_with("error: roll names collide; no roll was written\n"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing written");
}

/// A larger election than the example, so that a kill can land anywhere in a run.
fn large_election(dir: &Path) -> String {
    let mut projects = String::new();
    let mut changes = String::from("project,branch,owner_email,merged_at\n");
    for team in 0..200 {
        projects.push_str(&format!(
            "Team{team}:\n  deliverables:\n    d{team}:\n      repos:\n        - openstack/r{team}\n"
        ));
    }
    for i in 0..6_000u32 {
        let team = (i * 7919) % 200;
        let person = (i * 104_729) % 1500;
        let day = 1 + (i % 28);
        let month = 1 + (i % 12);
        changes.push_str(&format!(
            "openstack/r{team},master,p{person}@example.org,2015-{month:02}-{day:02}T12:00:00Z\n"
        ));
    }
    write_tree(
        dir,
        &[
            (
                "election.toml",
                "[election]\nname = \"large\"\nwindow = { start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }\n\n[inputs]\nchanges = [\"changes.csv\"]\ngovernance = { projects = \"projects.yaml\" }\n",
            ),
            ("changes.csv", &changes),
            ("projects.yaml", &projects),
        ],
    );
    dir.join("election.toml").display().to_string()
}

fn spawn_roll(election: &str, out: &Path, policy: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_electorate"))
        .args([
            "roll",
            "--election",
            election,
            "--quiet",
            "--policy",
            policy,
        ])
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_kill_at_any_moment_leaves_one_complete_set() {
    let root = tempfile::tempdir().unwrap();
    let election = large_election(&root.path().join("election"));
    let out = root.path().join("rolls");
    let start = std::time::Instant::now();
    spawn_roll(&election, &out, "openstack").wait().unwrap();
    let full = start.elapsed();
    assert_eq!(complete_set(&out).unwrap(), "openstack");
    let policies = ["openstack-bylaws", "openstack"];
    let runs = 24u32;
    for i in 0..runs {
        // Kills spread over the whole run, from its first instant to past its end.
        let delay = full * (i % 12) / 10;
        let mut child = spawn_roll(&election, &out, policies[i as usize % 2]);
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let policy = complete_set(&out).unwrap_or_else(|e| panic!("kill {i} after {delay:?}: {e}"));
        assert!(policies.contains(&policy.as_str()), "{policy}");
    }
    // A clean run afterwards removes whatever the killed runs left beside the directory.
    let run = spawn_roll(&election, &out, "openstack")
        .wait_with_output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(complete_set(&out).unwrap(), "openstack");
    let beside: Vec<String> = fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        beside.len(),
        2,
        "only the election and the rolls: {beside:?}"
    );
}

#[test]
fn two_runs_at_once_never_mix_their_outputs() {
    let root = tempfile::tempdir().unwrap();
    let election = large_election(&root.path().join("election"));
    let out = root.path().join("rolls");
    for _ in 0..6 {
        let a = spawn_roll(&election, &out, "openstack");
        let b = spawn_roll(&election, &out, "openstack-bylaws");
        for child in [a, b] {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success()
                    || stderr.contains("is being written by another electorate run"),
                "{stderr}"
            );
        }
        complete_set(&out).unwrap();
    }
    std::thread::sleep(Duration::from_millis(1));
}

#[test]
fn rolls_without_out_write_nothing() {
    let root = tempfile::tempdir().unwrap();
    let run = common::electorate_in(
        root.path(),
        &["roll", "--election", &path(EXAMPLE), "--quiet"],
    )
    .success();
    assert!(
        run.stdout
            .ends_with("nothing written: pass --out DIR to write the rolls\n")
    );
    assert_eq!(fs::read_dir(root.path()).unwrap().count(), 0);
}
