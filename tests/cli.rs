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
fn candidacy_by_the_charter_with_codes_and_evidence() {
    let example = "examples/newton-tc/election.toml";
    // The TC charter: any Foundation individual member may stand for the TC. Zofia Farouk
    // is a member whose only change merged a second before the window: a member, not an
    // ATC. Kofi Sorvino contributes but is not a member.
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "zofia.farouk@example.org",
        "kofi.sorvino@example.org",
        "nobody@example.org",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "zofia.farouk@example.org (Zofia Farouk): eligible for tc (candidate-member; member 5025 at members.csv:26)\n\
         kofi.sorvino@example.org (Kofi Sorvino): NOT eligible for tc (candidate-not-member)\n\
         nobody@example.org: NOT eligible for tc (candidate-not-found)\n"
    );
    // A PTL candidate must be an APC of the team: on its roll.
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "--team",
        "Glance",
        "zofia.farouk@example.org",
        "kofi.sorvino@example.org",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "zofia.farouk@example.org (Zofia Farouk): NOT eligible for ptl-glance (change-before-window; change 100242 in openstack/glance merged 2015-03-03T23:59:59Z)\n\
         kofi.sorvino@example.org (Kofi Sorvino): NOT eligible for ptl-glance (excluded-no-status)\n"
    );
    // The stable-branch election takes stable-branch contributors.
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "--roll",
        "stable-branch-maintenance",
        "kofi.sorvino@example.org",
        "maren.nassar@example.org",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "kofi.sorvino@example.org (Kofi Sorvino): NOT eligible for stable-branch-maintenance (change-branch-excluded; change 100256 in openstack/governance merged 2015-12-01T15:00:00Z)\n\
         maren.nassar@example.org (Maren Nassar): eligible for stable-branch-maintenance (on-roll; change 100236 in openstack/nova merged 2015-10-07T12:00:00Z)\n"
    );
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "--team",
        "nova",
        "vesna.quarrie@example.org",
    ])
    .success();
    assert_eq!(
        run.stdout,
        "vesna.quarrie@example.org (Vesna Quarrie): eligible for ptl-nova (on-roll; extra-ATC for Nova expiring in February 2017 at governance/projects.yaml:25)\n"
    );
    let run = electorate(&[
        "candidacy",
        "--election",
        example,
        "--team",
        "keystone",
        "--format",
        "csv",
        "kenji.okonkwo@example.org",
    ])
    .success();
    assert_eq!(
        run.stdout,
        "candidate,roll,eligible,code,person,name,email,rule,evidence_kind,evidence,evidence_at,evidence_repo,evidence_source,reason\n\
         kenji.okonkwo@example.org,ptl-keystone,true,on-roll,gerrit:1028,Kenji Okonkwo,kenji.okonkwo@example.org,roll,change,100245,2016-03-03T23:59:59Z,openstack/keystone,gerrit/changes.csv:197,\n"
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
    assert_eq!(
        json["candidates"][0]["evidence"],
        serde_json::json!({
            "kind": "change",
            "what": "100245",
            "at": "2016-03-03T23:59:59Z",
            "repo": "openstack/keystone",
            "source": "gerrit/changes.csv:197"
        })
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
fn a_policy_can_change_who_may_stand() {
    let dir = tempfile::tempdir().unwrap();
    let policy = electorate(&["policy", "show", "openstack"])
        .success()
        .stdout;
    let what_if = policy
        .replacen("name = \"openstack\"", "name = \"what-if\"", 1)
        .replacen("candidates = \"members\"", "candidates = [\"atc\"]", 1)
        .replacen(
            "candidates = \"roll\"\n\n[[roll]]\nid = \"stable-branch-maintenance\"",
            "candidates = \"none\"\n\n[[roll]]\nid = \"stable-branch-maintenance\"",
            1,
        );
    std::fs::write(dir.path().join("what-if.toml"), &what_if).unwrap();
    let policy_path = dir.path().join("what-if.toml").display().to_string();
    electorate(&["policy", "check", &policy_path]).success();
    let example = common::path("examples/newton-tc/election.toml");
    // TC candidates must now hold the ATC status: an extra-ATC no longer may stand.
    let run = electorate(&[
        "candidacy",
        "--election",
        &example,
        "--policy",
        &policy_path,
        "vesna.quarrie@example.org",
        "kenji.okonkwo@example.org",
        "zofia.farouk@example.org",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "vesna.quarrie@example.org (Vesna Quarrie): NOT eligible for tc (excluded-no-status)\n\
         kenji.okonkwo@example.org (Kenji Okonkwo): eligible for tc (candidate-holds-status; change 100245 in openstack/keystone merged 2016-03-03T23:59:59Z)\n\
         zofia.farouk@example.org (Zofia Farouk): NOT eligible for tc (change-before-window; change 100242 in openstack/glance merged 2015-03-03T23:59:59Z)\n"
    );
    let run = electorate(&[
        "candidacy",
        "--election",
        &example,
        "--policy",
        &policy_path,
        "--team",
        "Nova",
        "vesna.quarrie@example.org",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "vesna.quarrie@example.org (Vesna Quarrie): NOT eligible for ptl-nova (candidate-no-election; roll \"ptl\" says candidates = \"none\")\n"
    );
    let broken = what_if.replacen("candidates = [\"atc\"]", "candidates = [\"atcs\"]", 1);
    std::fs::write(dir.path().join("what-if.toml"), broken).unwrap();
    let run = electorate(&["policy", "check", &policy_path]).code(1);
    assert!(
        run.stdout.contains(
            "field roll.candidates: no status \"atcs\" in this policy, expected one of atc, extra-atc, stable-maintainer (did you mean \"atc\"?)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn the_candidates_tree_is_checked_for_ci() {
    let example = "examples/newton-tc/election.toml";
    let tree = "examples/newton-tc/candidates/newton";
    let run = electorate(&["candidacy", "--election", example, "--dir", tree]).code(1);
    assert_eq!(
        run.stdout,
        "examples/newton-tc/candidates/newton/Documentation/kofia.txt: NOT eligible for ptl-documentation (candidate-file-not-address; \"kofia.txt\" is not an e-mail address, expected the candidate's address as the file name)\n\
examples/newton-tc/candidates/newton/Glance/tomas.haldane@example.org (Tomas Haldane): eligible for ptl-glance (on-roll; change 100017 in openstack/glance merged 2016-02-20T00:40:46Z)\n\
examples/newton-tc/candidates/newton/Keystone/zofia.farouk@example.org (Zofia Farouk): NOT eligible for ptl-keystone (excluded-no-status)\n\
examples/newton-tc/candidates/newton/Nova/ines.quillfeather@example.org (Ines Quillfeather): eligible for ptl-nova (on-roll; change 100001 in openstack/python-novaclient merged 2015-09-16T14:37:37Z)\n\
examples/newton-tc/candidates/newton/Nova/vesna.quarrie@example.org (Vesna Quarrie): eligible for ptl-nova (on-roll; extra-ATC for Nova expiring in February 2017 at governance/projects.yaml:25)\n\
examples/newton-tc/candidates/newton/Release_Management/maren.nassar@example.org (Maren Nassar): eligible for ptl-release-management (on-roll; change 100057 in openstack/releases merged 2016-01-11T21:44:12Z)\n\
examples/newton-tc/candidates/newton/Swift/ada@example.org: NOT a candidacy (candidate-unknown-team; directory \"Swift\" names no project team and no election-wide roll, expected a team's name with underscores for spaces (such as Nova, Glance, Keystone, Oslo, Release Management) or a roll id (tc, stable-branch-maintenance))\n\
examples/newton-tc/candidates/newton/TC/kenji.okonkwo@example.org (Kenji Okonkwo): eligible for tc (candidate-member; member 5028 at members.csv:29)\n\
examples/newton-tc/candidates/newton/TC/kofi.sorvino@example.org (Kofi Sorvino): NOT eligible for tc (candidate-not-member)\n\
examples/newton-tc/candidates/newton/TC/zofia.farouk@example.org (Zofia Farouk): eligible for tc (candidate-member; member 5025 at members.csv:26)\n\
elections:\n\
\x20 tc: 2 eligible candidates for 4 seats: no poll needed\n\
\x20 ptl-nova: 2 eligible candidates for 1 seat: poll\n\
\x20 ptl-glance: 1 eligible candidate for 1 seat: no poll needed\n\
\x20 ptl-keystone: no eligible candidate: leaderless\n\
\x20 ptl-oslo: no eligible candidate: leaderless\n\
\x20 ptl-release-management: 1 eligible candidate for 1 seat: no poll needed\n\
\x20 ptl-documentation: no eligible candidate: leaderless\n\
10 files checked: 4 findings\n"
    );
    let csv = electorate(&[
        "candidacy",
        "--election",
        example,
        "--dir",
        tree,
        "-f",
        "csv",
    ])
    .code(1);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "kind,path,team_dir,roll,candidate,name,eligible,code,evidence,reason,team,candidates,seats,poll"
    );
    assert_eq!(
        lines[2],
        "candidate,examples/newton-tc/candidates/newton/Glance/tomas.haldane@example.org,Glance,ptl-glance,tomas.haldane@example.org,Tomas Haldane,true,on-roll,change 100017 in openstack/glance merged 2016-02-20T00:40:46Z,,,,,"
    );
    assert_eq!(
        lines[12],
        "election,,,ptl-nova,,,,,,,Nova,ines.quillfeather@example.org;vesna.quarrie@example.org,1,poll"
    );
    assert_eq!(lines.len(), 1 + 10 + 7);
    // A clean tree passes: the CI example script runs check, then candidacy.
    let dir = tempfile::tempdir().unwrap();
    common::write_tree(
        dir.path(),
        &[
            ("newton/TC/zofia.farouk@example.org", "fictional"),
            ("newton/Glance/tomas.haldane@example.org", "fictional"),
            ("newton/Nova/.placeholder", ""),
        ],
    );
    let clean = dir.path().join("newton").display().to_string();
    let run = electorate(&["candidacy", "--election", example, "--dir", &clean]).success();
    assert!(
        run.stdout.ends_with("elections:\n  tc: 1 eligible candidate for 4 seats: no poll needed\n  ptl-nova: no eligible candidate: leaderless\n  ptl-glance: 1 eligible candidate for 1 seat: no poll needed\n  ptl-keystone: no eligible candidate: leaderless\n  ptl-oslo: no eligible candidate: leaderless\n  ptl-release-management: no eligible candidate: leaderless\n  ptl-documentation: no eligible candidate: leaderless\n2 files checked: 0 findings\n"),
        "{}",
        run.stdout
    );
    let script = common::path("examples/ci/check-candidacies.sh");
    let output = std::process::Command::new("sh")
        .arg(&script)
        .arg(common::path(example))
        .arg(&clean)
        .env("ELECTORATE", env!("CARGO_BIN_EXE_electorate"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let output = std::process::Command::new("sh")
        .arg(&script)
        .arg(common::path(example))
        .arg(common::path(tree))
        .env("ELECTORATE", env!("CARGO_BIN_EXE_electorate"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the example tree has findings"
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
