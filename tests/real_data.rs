//! Checks against real public data in `../shared/data` (OpenStack governance files, Gerrit
//! exports, change history). The folder is not part of the project: each test passes
//! quietly when it is absent, so the project's tests never depend on it.

use std::path::PathBuf;

use electorate::ingest::governance::GovernanceFile;
use electorate::ingest::{FileRows, InputPath, Silent, gerrit_query, gerrit_rest};
use electorate::model::{ChangeLog, Diagnostics, FileId, Governance};

fn shared(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is not there", path.display());
        None
    }
}

fn errors(d: &Diagnostics) -> Vec<String> {
    d.errors().map(ToString::to_string).collect()
}

#[test]
fn real_gerrit_exports_parse() {
    let cases: [(&str, bool, FileRows, usize); 6] = [
        (
            "gerrit-json/openstack-nova-gerrit-query-2011-09.jsonl",
            false,
            FileRows {
                read: 3,
                rejected: 0,
                ignored: 1,
            },
            2,
        ),
        (
            "gerrit-json/wikimedia-gerrit-query-page-1.jsonl",
            false,
            FileRows {
                read: 2,
                rejected: 0,
                ignored: 1,
            },
            1,
        ),
        (
            "gerrit-json/wikimedia-gerrit-query-page-2.jsonl",
            false,
            FileRows {
                read: 2,
                rejected: 0,
                ignored: 1,
            },
            2,
        ),
        (
            "gerrit-json/wikimedia-gerrit-query-page-3.jsonl",
            false,
            FileRows {
                read: 2,
                rejected: 0,
                ignored: 1,
            },
            2,
        ),
        (
            "gerrit-json/openstack-rest-changes-query-2014-08.json",
            true,
            FileRows {
                read: 1,
                rejected: 0,
                ignored: 0,
            },
            0,
        ),
        (
            "gerrit-json/openstack-stream-events-2014-01.json",
            true,
            FileRows {
                read: 0,
                rejected: 0,
                ignored: 11,
            },
            0,
        ),
    ];
    for (file, rest, expected, merged) in cases {
        let Some(path) = shared(file) else { return };
        let mut log = ChangeLog::new();
        let mut d = Diagnostics::default();
        let input = InputPath::new(&path, file);
        let (_, rows) = if rest {
            gerrit_rest::read(&input, FileId(0), &mut log, &mut d, &Silent).unwrap()
        } else {
            gerrit_query::read(&input, FileId(0), &mut log, &mut d, &Silent).unwrap()
        };
        assert!(errors(&d).is_empty(), "{file}: {:?}", errors(&d));
        assert_eq!(rows, expected, "{file}");
        assert_eq!(
            log.changes.iter().filter(|c| c.merged).count(),
            merged,
            "{file}"
        );
    }
}

#[test]
fn real_nova_query_merge_times_come_from_submit_approvals() {
    let Some(path) = shared("gerrit-json/openstack-nova-gerrit-query-2011-09.jsonl") else {
        return;
    };
    let mut log = ChangeLog::new();
    let mut d = Diagnostics::default();
    gerrit_query::read(
        &InputPath::new(&path, "nova"),
        FileId(0),
        &mut log,
        &mut d,
        &Silent,
    )
    .unwrap();
    let merged: Vec<(Option<u64>, i64)> = log
        .changes
        .iter()
        .filter(|c| c.merged)
        .map(|c| (c.number, c.merged_at.unwrap().timestamp()))
        .collect();
    assert_eq!(
        merged,
        [(Some(635), 1_316_814_951), (Some(630), 1_316_813_692)]
    );
    assert!(d.is_empty(), "every merged change had a SUBM approval");
}

#[test]
fn real_governance_files_parse_without_problems() {
    let files = [
        ("governance/current-projects.yaml", GovernanceFile::Projects),
        ("governance/current-legacy.yaml", GovernanceFile::Legacy),
        ("governance/current-sigs-repos.yaml", GovernanceFile::Sigs),
        (
            "governance/current-technical-committee-repos.yaml",
            GovernanceFile::TechnicalCommittee,
        ),
    ];
    let mut g = Governance::default();
    let mut d = Diagnostics::default();
    for (i, (file, which)) in files.iter().enumerate() {
        let Some(path) = shared(file) else { return };
        g.read(
            &InputPath::new(&path, *file),
            FileId(u32::try_from(i).unwrap()),
            *which,
            &mut d,
        )
        .unwrap();
    }
    let problems: Vec<String> = d.all().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems[0],
        "governance/current-legacy.yaml:2749:5: key \"ansible-role-tripleo-ui\" is repeated in its mapping (first at line 2603); the last value is used, as PyYAML does",
        "the real legacy.yaml lists the deliverable ansible-role-tripleo-ui twice"
    );
    assert!(
        problems[1..].iter().all(|p| p.contains("is listed again")),
        "{problems:?}"
    );
    assert!(d.errors().next().is_none());
    assert!(g.repos.len() > 1000, "{} repositories", g.repos.len());
    // extra-ACs live in the SIG and TC files now; the TC ones are the ones the reference drops.
    let tc = g
        .extra_atcs
        .iter()
        .filter(|e| {
            e.repo
                .as_deref()
                .is_some_and(|r| r == "openstack/election" || r == "openstack/openstack-manuals")
        })
        .count();
    assert_eq!(tc, 3);

    for tagged in [
        "governance/march-2016-elections-projects.yaml",
        "governance/sept-2016-elections-projects.yaml",
    ] {
        let Some(path) = shared(tagged) else { return };
        let mut g = Governance::default();
        let mut d = Diagnostics::default();
        g.read(
            &InputPath::new(&path, tagged),
            FileId(0),
            GovernanceFile::Projects,
            &mut d,
        )
        .unwrap();
        assert!(d.is_empty(), "{tagged}: {:?}", d.all());
    }
}

/// `roll --format json --quiet` on an election file with this text: the manifest.
fn roll_manifest(election_toml: &str, extra: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let election = dir.path().join("election.toml");
    std::fs::write(&election, election_toml).unwrap();
    let election = election.display().to_string();
    let mut args = vec![
        "roll",
        "--election",
        &election,
        "--format",
        "json",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_electorate"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn real_history_builds_a_roll_with_two_rows_rejected() {
    let (Some(official), Some(ops), Some(projects)) = (
        shared("openstack-history/gerrit-official.csv"),
        shared("openstack-history/ops-repos.csv"),
        shared("governance/march-2016-elections-projects.yaml"),
    ) else {
        return;
    };
    let manifest = roll_manifest(
        &format!(
            "[election]\nname = \"Newton, real history subset\"\nwindow = {{ start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }}\n[inputs]\nchanges = [{:?}, {:?}]\ngovernance = {{ projects = {:?} }}\n",
            official.display().to_string(),
            ops.display().to_string(),
            projects.display().to_string()
        ),
        &["--skip-bad-rows"],
    );
    assert_eq!(manifest["changes"]["records"], 42_362);
    assert_eq!(
        manifest["changes"]["rejected"], 2,
        "two malformed author addresses in the real history"
    );
    assert_eq!(
        manifest["extra_atcs"]["expired"], 2,
        "the Release Management entry expired in January 2016, one in February"
    );
}

#[test]
fn real_distributed_leadership_teams_get_no_ptl_roll() {
    let Some(projects) = shared("governance/current-projects.yaml") else {
        return;
    };
    let manifest = roll_manifest(
        &format!(
            "[election]\nname = \"current governance\"\nwindow = {{ start = \"2025-03-01T00:00:00Z\", end = \"2026-03-01T00:00:00Z\" }}\n[inputs]\ngovernance = {{ projects = {:?} }}\n",
            projects.display().to_string()
        ),
        &[],
    );
    let not_built: Vec<&str> = manifest["not_built"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        not_built,
        [
            "ptl-freezer",
            "ptl-ironic",
            "ptl-oslo",
            "ptl-release-management",
            "ptl-requirements"
        ]
    );
}

#[test]
fn the_governance_lint_on_the_real_files() {
    let dir = tempfile::tempdir().unwrap();
    for which in GovernanceFile::ALL {
        let Some(path) = shared(&format!("governance/current-{}", which.file_name())) else {
            return;
        };
        std::fs::copy(path, dir.path().join(which.file_name())).unwrap();
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_electorate"))
        .args(["check", "--governance"])
        .arg(dir.path())
        .args(["--as-of", "2020-01-01", "-f", "csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let csv = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let duplicate: Vec<&Vec<&str>> = rows
        .iter()
        .filter(|r| r[1] == "yaml-duplicate-key")
        .collect();
    assert_eq!(duplicate.len(), 1, "the real legacy.yaml repeats one key");
    assert!(duplicate[0][2].ends_with("legacy.yaml"));
    assert_eq!(duplicate[0][3..5], ["2749", "5"]);
    assert!(
        rows.iter().all(|r| [
            "yaml-duplicate-key",
            "repo-listed-twice",
            "extra-atc-expired-listed"
        ]
        .contains(&r[1])),
        "{csv}"
    );
}
