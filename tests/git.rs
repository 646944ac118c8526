//! The git reader on a repository the test creates: commits become merged changes of the
//! configured project (author credited, committer time as the merge time, Change-Id and
//! Co-Authored-By trailers read); merge commits are counted and left out.

#![cfg(feature = "git")]

mod common;

use std::path::Path;
use std::process::Command;

use common::{electorate, write_tree};

fn git(dir: &Path, args: &[&str], date: &str, author: (&str, &str)) -> bool {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", author.0)
        .env("GIT_AUTHOR_EMAIL", author.1)
        .env("GIT_COMMITTER_NAME", "Gate Keeper")
        .env("GIT_COMMITTER_EMAIL", "gate@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn commits_of_a_local_repository_are_changes() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let ann = ("Ann Operator", "ann@example.org");
    let bo = ("Bo Operator", "bo@example.org");
    if !git(
        &repo,
        &["init", "-q", "-b", "master"],
        "2016-01-01T00:00:00+00:00",
        ann,
    ) {
        eprintln!("skipped: git is not available to build the test repository");
        return;
    }
    let commit = |file: &str, message: &str, date: &str, author| {
        std::fs::write(repo.join(file), message).unwrap();
        assert!(git(&repo, &["add", file], date, author));
        assert!(git(&repo, &["commit", "-q", "-m", message], date, author));
    };
    commit(
        "a.sh",
        "Add a check\n\nChange-Id: I1111111111111111111111111111111111111111",
        "2016-09-01T10:00:00+02:00",
        ann,
    );
    commit(
        "b.sh",
        "Add b\n\nCo-Authored-By: Cy Helper <cy@example.org>\nChange-Id: I2222222222222222222222222222222222222222",
        "2016-10-01T12:00:00+00:00",
        bo,
    );
    assert!(git(
        &repo,
        &["checkout", "-q", "-b", "side", "HEAD~1"],
        "2016-10-02T00:00:00+00:00",
        ann
    ));
    commit("c.sh", "Side work", "2016-10-03T00:00:00+00:00", ann);
    assert!(git(
        &repo,
        &["checkout", "-q", "master"],
        "2016-10-04T00:00:00+00:00",
        ann
    ));
    assert!(git(
        &repo,
        &["merge", "-q", "--no-ff", "-m", "Merge side", "side"],
        "2016-10-05T00:00:00+00:00",
        bo
    ));

    let policy = "[policy]\nname = \"ops\"\n[[status]]\nid = \"ops\"\n[[status.criterion]]\nid = \"ops-change\"\nkind = \"code-change\"\nrepos = [\"openstack/osops-*\"]\ncredit = [\"owner\", \"co-author\"]\nwindow = { days = 183 }\n[[roll]]\nid = \"ops\"\nstatuses = [\"ops\"]\n";
    let election = "[election]\nname = \"git\"\nwindow = { start = \"2016-02-01T00:00:00Z\", end = \"2017-02-01T00:00:00Z\" }\npolicy = \"policy.toml\"\n[inputs]\ngit = [{ path = \"repo\", project = \"openstack/osops-tools-generic\" }]\n";
    write_tree(
        dir.path(),
        &[("election.toml", election), ("policy.toml", policy)],
    );
    let election_path = dir.path().join("election.toml").display().to_string();
    let out = dir.path().join("out");
    let run = electorate(&[
        "roll",
        "--election",
        &election_path,
        "--out",
        &out.display().to_string(),
        "--format",
        "json",
        "--quiet",
    ])
    .success();
    let manifest: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let input = &manifest["inputs"][1];
    assert_eq!(input["role"], "git");
    assert_eq!(input["records"], 3, "three commits");
    assert_eq!(input["ignored"], 1, "one merge commit");
    assert_eq!(input["commit"].as_str().unwrap().len(), 40);
    assert_eq!(
        std::fs::read_to_string(out.join("ops.txt")).unwrap(),
        "ann@example.org\nbo@example.org\ncy@example.org\n",
        "authors and the co-author (2016-09-01 is inside 183 days of 2017-02-01)"
    );

    let explain = electorate(&[
        "explain",
        "--election",
        &election_path,
        "--format",
        "json",
        "ann@example.org",
    ])
    .success();
    let ann: serde_json::Value = serde_json::from_str(&explain.stdout).unwrap();
    let mut changes: Vec<(String, String)> = ann["people"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["merged_at"].as_str().unwrap().to_owned(),
                c["change"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    changes.sort();
    assert_eq!(
        changes[0],
        (
            "2016-09-01T08:00:00Z".to_owned(),
            "I1111111111111111111111111111111111111111".to_owned()
        ),
        "committer time in UTC, Change-Id trailer"
    );
    assert_eq!(changes[1].0, "2016-10-03T00:00:00Z");
    assert_eq!(
        changes[1].1.len(),
        40,
        "without a Change-Id, the commit id names the change"
    );
}

#[test]
fn a_missing_repository_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let election = "[election]\nname = \"git\"\nwindow = { start = \"2016-02-01T00:00:00Z\", end = \"2017-02-01T00:00:00Z\" }\n[inputs]\ngit = [{ path = \"nowhere\", project = \"p/q\" }]\n";
    write_tree(dir.path(), &[("election.toml", election)]);
    let run = common::electorate_in(dir.path(), &["roll", "--election", "election.toml"]).code(2);
    assert_eq!(
        run.stderr,
        "error: cannot open git repository nowhere: no such file or directory\n"
    );
}

/// Run git with output, for plumbing commands whose answer the test needs.
fn git_output(dir: &Path, args: &[&str], input: Option<&str>) -> Option<String> {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()?
        .write_all(input.unwrap_or("").as_bytes())
        .ok()?;
    let output = child.wait_with_output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// A new repository `repo` in `dir`, with the id of its empty tree, for commits written
/// as raw objects; `None` when git is not available to build it.
fn raw_repository(dir: &Path) -> Option<(std::path::PathBuf, String)> {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).ok()?;
    git_output(&repo, &["init", "-q", "-b", "master"], None)?;
    let tree = git_output(&repo, &["mktree"], Some(""))?;
    Some((repo, tree))
}

/// Write a commit object exactly as given (`--literally`: git would refuse some of the
/// ones the tests need) and return its id.
fn raw_commit(repo: &Path, text: &str) -> String {
    git_output(
        repo,
        &[
            "hash-object",
            "-t",
            "commit",
            "-w",
            "--literally",
            "--stdin",
        ],
        Some(text),
    )
    .unwrap()
}

#[test]
fn only_the_trailer_block_credits_and_an_unreadable_commit_time_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let Some((repo, tree)) = raw_repository(dir.path()) else {
        eprintln!("skipped: git is not available to build the test repository");
        return;
    };
    // A revert quoting the reverted change's trailers in its body, then a commit whose
    // committer time is 2^64 - 1, written as raw objects (git commit would refuse it).
    let revert = format!(
        "tree {tree}\nauthor Ann Operator <ann@example.org> 1475323200 +0000\ncommitter Gate Keeper <gate@example.org> 1475323200 +0000\n\nRevert \"Add b\"\n\nThis reverts commit 0123, which said:\n\n    Co-Authored-By: Cy Helper <cy@example.org>\n    Change-Id: Iold\n\nChange-Id: I3333333333333333333333333333333333333333\n"
    );
    let first = raw_commit(&repo, &revert);
    let broken = format!(
        "tree {tree}\nparent {first}\nauthor Bo Operator <bo@example.org> 1475323300 +0000\ncommitter Gate Keeper <gate@example.org> 18446744073709551615 +0000\n\nAdd c\n"
    );
    let second = raw_commit(&repo, &broken);
    git_output(&repo, &["update-ref", "refs/heads/master", &second], None).unwrap();

    let policy = "[policy]\nname = \"ops\"\n[[status]]\nid = \"ops\"\n[[status.criterion]]\nid = \"ops-change\"\nkind = \"code-change\"\nrepos = [\"openstack/osops-*\"]\ncredit = [\"owner\", \"co-author\"]\nwindow = \"election\"\n[[roll]]\nid = \"ops\"\nstatuses = [\"ops\"]\n";
    let election = "[election]\nname = \"git\"\nwindow = { start = \"2016-02-01T00:00:00Z\", end = \"2017-02-01T00:00:00Z\" }\npolicy = \"policy.toml\"\n[inputs]\ngit = [{ path = \"repo\", project = \"openstack/osops-tools-generic\" }]\n";
    write_tree(
        dir.path(),
        &[("election.toml", election), ("policy.toml", policy)],
    );
    let election_path = dir.path().join("election.toml").display().to_string();
    let run = electorate(&["check", "--election", &election_path]).code(1);
    assert!(
        run.stdout.contains(&format!(
            "/repo: record 1: field committer: commit {second}: committer time \"18446744073709551615 +0000\" cannot be read"
        )),
        "{}",
        run.stdout
    );
    let out = dir.path().join("out");
    electorate(&[
        "roll",
        "--election",
        &election_path,
        "--out",
        &out.display().to_string(),
        "--skip-bad-rows",
        "--quiet",
    ])
    .success();
    assert_eq!(
        std::fs::read_to_string(out.join("ops.txt")).unwrap(),
        "ann@example.org\n",
        "the co-author quoted in the revert's body is not credited; the broken commit is left out"
    );
}

#[test]
fn governance_is_read_at_the_election_tag_whatever_is_checked_out() {
    let dir = tempfile::tempdir().unwrap();
    let example = common::root().join("examples/newton-tc");
    let gov = dir.path().join("governance");
    let reference = gov.join("reference");
    std::fs::create_dir_all(&reference).unwrap();
    let who = ("Gov Clerk", "clerk@example.org");
    let date = "2016-03-01T00:00:00+00:00";
    if !git(&gov, &["init", "-q", "-b", "master"], date, who) {
        eprintln!("skipped: git is not available to build the test repository");
        return;
    }
    for (name, from) in [
        ("projects.yaml", "projects.yaml"),
        ("legacy.yaml", "legacy.yaml"),
        (
            "technical-committee-repos.yaml",
            "technical-committee-repos.yaml",
        ),
    ] {
        std::fs::copy(example.join("governance").join(from), reference.join(name)).unwrap();
    }
    assert!(git(&gov, &["add", "."], date, who));
    assert!(git(
        &gov,
        &["commit", "-q", "-m", "As at the election"],
        date,
        who
    ));
    assert!(git(&gov, &["tag", "march-2016-elections"], date, who));
    // Later: the Nova team is gone from projects.yaml, and that is what is checked out.
    let projects = std::fs::read_to_string(reference.join("projects.yaml")).unwrap();
    let without_nova = projects.split("\nGlance:").nth(1).unwrap();
    std::fs::write(
        reference.join("projects.yaml"),
        format!("Glance:{without_nova}"),
    )
    .unwrap();
    let later = "2016-06-01T00:00:00+00:00";
    assert!(git(&gov, &["commit", "-q", "-am", "Later"], later, who));
    let tagged = git_output(&gov, &["rev-parse", "march-2016-elections^{commit}"], None).unwrap();

    let election = std::fs::read_to_string(example.join("election.toml"))
        .unwrap()
        .replace(
            "changes = [\"gerrit/changes.csv\"",
            &format!(
                "changes = [{:?}",
                example.join("gerrit/changes.csv").display().to_string()
            ),
        )
        .replace(
            "\"gerrit/glance-rest.json\"",
            &format!(
                "{:?}",
                example
                    .join("gerrit/glance-rest.json")
                    .display()
                    .to_string()
            ),
        )
        .replace(
            "members = \"members.csv\"",
            &format!(
                "members = {:?}",
                example.join("members.csv").display().to_string()
            ),
        );
    let at_tag = election
        .lines()
        .map(|line| {
            if line.starts_with("governance =") {
                "governance = { git = \"governance\", ref = \"march-2016-elections\" }"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write_tree(dir.path(), &[("election.toml", &at_tag)]);
    let out = dir.path().join("rolls");
    let run = electorate(&[
        "roll",
        "--election",
        &dir.path().join("election.toml").display().to_string(),
        "--out",
        &out.display().to_string(),
        "--format",
        "json",
        "--quiet",
    ])
    .success();
    let manifest: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let projects: Vec<&serde_json::Value> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["role"] == "governance-projects")
        .collect();
    assert_eq!(projects.len(), 1);
    assert_eq!(
        projects[0]["path"],
        "governance@march-2016-elections:reference/projects.yaml"
    );
    assert_eq!(projects[0]["commit"], tagged.as_str());
    assert!(
        !manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["role"] == "governance-sigs"),
        "the tag has no sigs-repos.yaml, and none is made up"
    );
    assert!(out.join("ptl-nova.txt").exists(), "Nova as at the tag");
    // The same rolls as from the example's files, but for the SIG roll they list.
    let shipped = tempfile::tempdir().unwrap();
    let shipped_out = shipped.path().join("rolls");
    electorate(&[
        "roll",
        "--election",
        &example.join("election.toml").display().to_string(),
        "--out",
        &shipped_out.display().to_string(),
        "--quiet",
    ])
    .success();
    for roll in ["ptl-nova.txt", "ptl-glance.txt"] {
        let a = std::fs::read_to_string(out.join(roll)).unwrap();
        let b = std::fs::read_to_string(shipped_out.join(roll)).unwrap();
        assert!(!a.is_empty());
        assert_eq!(a, b, "{roll}");
    }
    // A tag the clone does not have is an error naming the repository and the tag.
    write_tree(
        dir.path(),
        &[(
            "election.toml",
            &at_tag.replace("march-2016-elections", "no-such-tag"),
        )],
    );
    let run = electorate(&[
        "roll",
        "--election",
        &dir.path().join("election.toml").display().to_string(),
    ])
    .code(2);
    assert!(
        run.stderr.contains("cannot resolve \"no-such-tag\" in ")
            && run
                .stderr
                .contains("governance, expected a branch, tag or commit id"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_change_id_too_long_to_be_one_is_replaced_by_the_commit_id_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let Some((repo, tree)) = raw_repository(dir.path()) else {
        eprintln!("skipped: git is not available to build the test repository");
        return;
    };
    let commit = format!(
        "tree {tree}\nauthor Ann Operator <ann@example.org> 1475323200 +0000\ncommitter Gate Keeper <gate@example.org> 1475323200 +0000\n\nAdd a\n\nChange-Id: I{}\n",
        "1".repeat(1_200)
    );
    let id = raw_commit(&repo, &commit);
    git_output(&repo, &["update-ref", "refs/heads/master", &id], None).unwrap();
    let election = "[election]\nname = \"git\"\nwindow = { start = \"2016-02-01T00:00:00Z\", end = \"2017-02-01T00:00:00Z\" }\npolicy = \"openstack\"\n[inputs]\ngit = [{ path = \"repo\", project = \"openstack/osops-tools-generic\" }]\n";
    write_tree(dir.path(), &[("election.toml", election)]);
    let election_path = dir.path().join("election.toml").display().to_string();
    let run = electorate(&["check", "--election", &election_path]);
    assert!(
        run.stdout.contains(&format!(
            "/repo: record 1: field Change-Id: commit {id}: its Change-Id trailer is 1201 bytes, longer than the 1000 a field may hold; the commit id identifies the change instead"
        )),
        "{}",
        run.stdout
    );
}
