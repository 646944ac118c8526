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
fn real_history_builds_a_roll_with_no_flags() {
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
        &[],
    );
    assert_eq!(manifest["changes"]["records"], 42_362);
    assert_eq!(
        manifest["changes"]["rejected"], 0,
        "the two malformed author addresses are warnings: their changes count, for accounts held off the roll"
    );
    assert_eq!(manifest["changes"]["used"], 3_980);
    assert_eq!(manifest["rolls"][0]["voters"], 518);
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

/// One election file per distinct window of `openstack-history/election-windows.csv`, with
/// the governance of its tag where the data has it (the current files otherwise). A window
/// written to the minute (`...T05:59Z`) ends a minute later, as the published electorate
/// sections mean it.
fn real_windows() -> Vec<(String, String)> {
    let (Some(history), Some(governance)) = (shared("openstack-history"), shared("governance"))
    else {
        return Vec::new();
    };
    let mut reader = csv::Reader::from_path(history.join("election-windows.csv")).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut windows = Vec::new();
    for row in reader.deserialize::<std::collections::HashMap<String, String>>() {
        let row = row.unwrap();
        let (start, end, tag) = (
            row["window_start_utc"].clone(),
            row["window_end_utc"].clone(),
            row["governance_tag"].clone(),
        );
        if !seen.insert((start.clone(), end.clone(), tag.clone())) {
            continue;
        }
        let minute = |text: &str| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%MZ")
                .unwrap_or_else(|e| panic!("{text}: {e}"))
        };
        let start_at = minute(&start);
        let mut end_at = minute(&end);
        if end.ends_with("59Z") {
            end_at += chrono::Duration::minutes(1);
        }
        let file = |name: &str| format!("{:?}", governance.join(name).display().to_string());
        let governance = match tag.as_str() {
            "march-2016-elections" | "sept-2016-elections" => {
                format!("{{ projects = {} }}", file(&format!("{tag}-projects.yaml")))
            }
            _ => format!(
                "{{ projects = {}, legacy = {}, sigs = {}, tc_repos = {} }}",
                file("current-projects.yaml"),
                file("current-legacy.yaml"),
                file("current-sigs-repos.yaml"),
                file("current-technical-committee-repos.yaml")
            ),
        };
        let changes = |name: &str| format!("{:?}", history.join(name).display().to_string());
        let toml = format!(
            "[election]\nname = {:?}\nwindow = {{ start = \"{}Z\", end = \"{}Z\" }}\n[inputs]\nchanges = [{}, {}]\ngovernance = {governance}\n",
            format!("{} ({tag})", row["election"]),
            start_at.format("%Y-%m-%dT%H:%M:%S"),
            end_at.format("%Y-%m-%dT%H:%M:%S"),
            changes("gerrit-official.csv"),
            changes("ops-repos.csv"),
        );
        windows.push((format!("{start}..{end} {tag}"), toml));
    }
    windows
}

/// Every roll the real history can give, with no flag at all: each window rolls, writes its
/// whole set, and rejects no row. Real data has its flaws (malformed addresses, co-authors
/// without one, team names that collide once made file names); none of them may stop an
/// official who passes nothing.
#[test]
fn every_real_window_rolls_with_no_flags() {
    let windows = real_windows();
    if windows.is_empty() {
        return;
    }
    assert_eq!(
        windows.len(),
        34,
        "distinct windows in election-windows.csv"
    );
    for (label, toml) in windows {
        let dir = tempfile::tempdir().unwrap();
        let election = dir.path().join("election.toml");
        std::fs::write(&election, &toml).unwrap();
        let out = dir.path().join("rolls");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_electorate"))
            .args(["roll", "--election"])
            .arg(&election)
            .arg("--out")
            .arg(&out)
            .arg("--quiet")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{label}: {stderr}");
        assert!(!stderr.contains("error"), "{label}: {stderr}");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
                .unwrap();
        assert_eq!(manifest["changes"]["rejected"], 0, "{label}");
        let tc = std::fs::read_to_string(out.join("tc.txt")).unwrap();
        assert!(tc.lines().count() > 100, "{label}: a TC roll of real size");
    }
}

/// The April 2016 TC election replayed: `--compat reference` is the reference tooling as it
/// is now, `--compat reference@2016-04-01` as it was then. Each `tc.txt` is the reference
/// code's own output on the same data, byte for byte (see docs/compat.md).
#[test]
fn april_2016_replays_the_reference_rolls_byte_for_byte() {
    let Some((_, toml)) = real_windows()
        .into_iter()
        .find(|(label, _)| label.starts_with("2015-03-04T00:00Z..2016-03-03T23:59Z"))
    else {
        return;
    };
    let cases = [
        (
            "reference",
            456,
            "6f637b84ec4c38177f0713de968b6895776788ba34e583f11a5322b9a8880927",
        ),
        (
            "reference@2016-04-01",
            520,
            "20578d5d48e0f24426059182941d289aa000570ea483abf56b4b232300eb9ae6",
        ),
    ];
    for (mode, voters, sha256) in cases {
        let dir = tempfile::tempdir().unwrap();
        let election = dir.path().join("election.toml");
        std::fs::write(&election, &toml).unwrap();
        let out = dir.path().join("rolls");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_electorate"))
            .args(["roll", "--quiet", "--compat", mode, "--election"])
            .arg(&election)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{mode}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let tc = std::fs::read(out.join("tc.txt")).unwrap();
        assert_eq!(tc.iter().filter(|&&b| b == b'\n').count(), voters, "{mode}");
        assert_eq!(electorate::digest::sha256_hex(&tc), sha256, "{mode}");
    }
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
