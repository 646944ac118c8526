//! The officials' desk: extra-ATC upkeep (`review --format yaml`, `review --expiring`),
//! governance lint (`check --governance`), roll diffs, the publishable roll digest and the
//! results record, run as a user runs them.

mod common;

use common::{electorate, electorate_in};
use electorate::ingest::governance::GovernanceFile;
use electorate::model::{Diagnostics, FileId, Governance};

const NEWTON: &str = "examples/newton-tc/election.toml";

/// Read governance YAML as the election reads it: the entries, and any problem.
fn read_governance(which: GovernanceFile, text: &str) -> (Governance, Vec<String>) {
    let mut governance = Governance::default();
    let mut diagnostics = Diagnostics::default();
    governance.read_str(which.file_name(), text, FileId(0), which, &mut diagnostics);
    let problems = diagnostics.all().iter().map(ToString::to_string).collect();
    (governance, problems)
}

#[test]
fn acceptable_applications_become_extra_acs_blocks_that_read_back() {
    let run = electorate(&[
        "review",
        "--election",
        NEWTON,
        "--format",
        "yaml",
        "fixtures/applications-approved.csv",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        r##"# projects.yaml
Glance:
  extra-acs:
    - name: Zofia Farouk
      email: zofia.farouk@example.org
      expires-in: February 2017
      comment: "usability studies: \"Glance\" #1"
Keystone:
  extra-acs:
    - name: Kofi Amadi
      email: kofi.amadi@example.org
      expires-in: January 2017
      comment: documentation reviews
# sigs-repos.yaml
i18n:
  - repo: openstack/i18n
    extra-acs:
      - name: Runa Calloway
        email: runa.calloway@example.org
        expires-in: March 2017
        comment: translator (fr)
# technical-committee-repos.yaml
Technical Committee:
  - repo: openstack/election
    extra-acs:
      - name: Ilario Dunmore
        email: ilario.dunmore@example.org
        expires-in: January 2017
        comment: election official
"##
    );
    // Each file's block, read by the governance reader, gives back the entries.
    let mut read_back = Vec::new();
    for section in run.stdout.split("# ").filter(|s| !s.is_empty()) {
        let (file, text) = section.split_once('\n').unwrap();
        let which = GovernanceFile::ALL
            .into_iter()
            .find(|w| w.file_name() == file)
            .unwrap();
        let (governance, problems) = read_governance(which, text);
        assert!(problems.is_empty(), "{file}: {problems:?}");
        for e in &governance.extra_atcs {
            read_back.push(format!(
                "{file} {} {:?} {} <{}> {} {:?}",
                governance.team(e.team).name,
                e.repo,
                e.name,
                e.email,
                e.expires_in,
                e.comment
            ));
        }
    }
    assert_eq!(
        read_back,
        [
            "projects.yaml Glance None Zofia Farouk <zofia.farouk@example.org> February 2017 Some(\"usability studies: \\\"Glance\\\" #1\")",
            "projects.yaml Keystone None Kofi Amadi <kofi.amadi@example.org> January 2017 Some(\"documentation reviews\")",
            "sigs-repos.yaml i18n Some(\"openstack/i18n\") Runa Calloway <runa.calloway@example.org> March 2017 Some(\"translator (fr)\")",
            "technical-committee-repos.yaml Technical Committee Some(\"openstack/election\") Ilario Dunmore <ilario.dunmore@example.org> January 2017 Some(\"election official\")",
        ]
    );
    // The review itself: expiry reckoned from the approval date, twelve months on.
    let run = electorate(&[
        "review",
        "--election",
        NEWTON,
        "--valid-for",
        "6",
        "fixtures/applications-approved.csv",
    ])
    .code(1);
    assert_eq!(
        run.stdout.lines().next(),
        Some(
            "fixtures/applications-approved.csv:2: Zofia Farouk <zofia.farouk@example.org> for Glance, expires in August 2016: application-ok"
        )
    );
}

#[test]
fn values_yaml_would_misread_are_quoted_and_read_back() {
    use electorate::roll::review::NewEntry;
    let awkward = [
        "O'Brien, Ann",
        "yes",
        "- dash",
        "2017",
        "a: b #c",
        "back\\slash \"quoted\"",
        "Zoë Ångström",
        "tab\there",
    ];
    let entries: Vec<NewEntry> = awkward
        .iter()
        .enumerate()
        .map(|(i, text)| NewEntry {
            file: "projects.yaml",
            team: "Nova".to_owned(),
            repo: None,
            name: (*text).to_owned(),
            email: format!("p{i}@example.org"),
            expires_in: "May 2017".to_owned(),
            comment: Some((*text).to_owned()),
        })
        .collect();
    let mut yaml = Vec::new();
    electorate::report::review::write_yaml(&entries, &mut yaml).unwrap();
    let yaml = String::from_utf8(yaml).unwrap();
    let (governance, problems) = read_governance(GovernanceFile::Projects, &yaml);
    assert!(problems.is_empty(), "{problems:?}\n{yaml}");
    let names: Vec<&str> = governance
        .extra_atcs
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    let comments: Vec<&str> = governance
        .extra_atcs
        .iter()
        .filter_map(|e| e.comment.as_deref())
        .collect();
    // The reader trims values, as governance values are trimmed; none of these has
    // outer spaces.
    assert_eq!(names, awkward);
    assert_eq!(comments, awkward);
}

#[test]
fn an_approval_date_that_is_not_a_date_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("apps.csv");
    std::fs::write(
        &file,
        "team,name,email,approved\nGlance,Zofia Farouk,zofia.farouk@example.org,15/02/2016\n",
    )
    .unwrap();
    let run = electorate(&["review", "--election", NEWTON, &file.display().to_string()]).code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: {}:2: field approved: \"15/02/2016\" is not a date, expected the approval date as YYYY-MM-DD\n",
            file.display()
        )
    );
}

#[test]
fn the_chair_sees_what_expires() {
    let run = electorate(&[
        "review",
        "--election",
        NEWTON,
        "--expiring",
        "200d",
        "--as-of",
        "2016-03-04",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "governance/projects.yaml:91: Ilario Dunmore <ilario.dunmore@example.org> (Documentation): expired in January 2016, invalid from 2016-01-01T00:00:00Z (extra-atc-expired-listed)\n\
         governance/projects.yaml:43: Tomas Haldane <tomas.haldane@example.org> (Glance): expired in March 2016, invalid from 2016-03-01T00:00:00Z (extra-atc-expired-listed)\n\
         governance/sigs-repos.yaml:7: Baptiste Orrin <baptiste.orrin@example.org> (i18n): expires in August 2016, invalid from 2016-08-01T00:00:00Z (extra-atc-expiring)\n\
         governance/technical-committee-repos.yaml:6: Runa Calloway <runa.calloway@example.org> (Technical Committee): expires in August 2016, invalid from 2016-08-01T00:00:00Z (extra-atc-expiring)\n\
         governance/projects.yaml:95: Ottilie Vance <ottilie.vance@example.org> (Documentation): expires in September 2016, invalid from 2016-09-01T00:00:00Z (extra-atc-expiring)\n\
         5 entries expired or expiring by 2016-09-20 (checked at 2016-03-04)\n"
    );
    // The period's end is in: an entry invalid from the last day looked at is listed.
    let run = electorate(&[
        "review",
        "--election",
        NEWTON,
        "--expiring",
        "1month",
        "--as-of",
        "2016-07-01",
        "-f",
        "csv",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "code,file,line,team,name,email,expires_in,invalid_from\n\
         extra-atc-expired-listed,governance/projects.yaml,91,Documentation,Ilario Dunmore,ilario.dunmore@example.org,January 2016,2016-01-01T00:00:00Z\n\
         extra-atc-expired-listed,governance/projects.yaml,43,Glance,Tomas Haldane,tomas.haldane@example.org,March 2016,2016-03-01T00:00:00Z\n\
         extra-atc-expiring,governance/sigs-repos.yaml,7,i18n,Baptiste Orrin,baptiste.orrin@example.org,August 2016,2016-08-01T00:00:00Z\n\
         extra-atc-expiring,governance/technical-committee-repos.yaml,6,Technical Committee,Runa Calloway,runa.calloway@example.org,August 2016,2016-08-01T00:00:00Z\n"
    );
    let run = electorate(&[
        "review",
        "--election",
        NEWTON,
        "--expiring",
        "60d",
        "--as-of",
        "2015-06-01",
    ])
    .success();
    assert_eq!(
        run.stdout,
        "0 entries expired or expiring by 2015-07-31 (checked at 2015-06-01)\n"
    );
    let run = electorate(&["review", "--election", NEWTON, "--expiring", "soon"]).code(2);
    assert!(
        run.stderr.contains(
            "\"soon\" is not a step, expected a number and a unit such as 1month, 2weeks, 7days or 1year"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn governance_lint_finds_each_kind_of_problem() {
    let run = electorate(&[
        "check",
        "--governance",
        "fixtures/governance-lint",
        "--as-of",
        "2026-12-01",
    ])
    .code(1);
    assert_eq!(
        run.stdout,
        "error: fixtures/governance-lint/projects.yaml:10:19: field expires-in: \"Febuary 2027\" is not a month, expected a month and year such as \"February 2017\", \"Feb 2017\" or \"2017-02\"\n\
         error: fixtures/governance-lint/projects.yaml:11:7: field expires-in: extra-ATC entry of Bo Chan (bo.chan@example.org) for Nova expired in March 2016: not valid from 2016-03-01T00:00:00Z, checked at 2026-12-01T00:00:00Z; remove it, or renew it with a later expires-in\n\
         error: fixtures/governance-lint/projects.yaml:14:7: field email: address \"Bo.Chan@example.org\" is listed again among the extra-ATCs of Nova (first at line 11), expected one entry per address and team\n\
         error: fixtures/governance-lint/projects.yaml:17:1: team \"NOVA\" (fixtures/governance-lint/projects.yaml:17) makes roll ptl-nova, and so does team \"Nova\" (fixtures/governance-lint/projects.yaml:2): two rolls cannot share a file name\n\
         hint: rename one of the teams, or give the policy's roll another id\n\
         warning: fixtures/governance-lint/projects.yaml:29:11: repository \"openstack/nova\" is listed again (first under \"Nova\" at line 6); the first listing is used\n\
         warning: fixtures/governance-lint/legacy.yaml:7:5: key \"astara\" is repeated in its mapping (first at line 4); the last value is used, as PyYAML does\n\
         2 files checked: 4 errors, 2 warnings\n"
    );
    // Warnings alone are findings for the governance repository's CI.
    let run = electorate(&[
        "check",
        "--governance",
        "fixtures/governance-lint/legacy.yaml",
        "-f",
        "json",
    ])
    .code(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["errors"], 0);
    assert_eq!(json["problems"][0]["code"], "yaml-duplicate-key");
    // The example's governance files at the election: two entries expired.
    let run = electorate(&[
        "check",
        "--governance",
        "examples/newton-tc/governance",
        "--as-of",
        "2016-03-04",
        "-f",
        "csv",
    ])
    .code(1);
    let codes: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        codes,
        ["extra-atc-expired-listed", "extra-atc-expired-listed"]
    );
    electorate(&[
        "check",
        "--governance",
        "examples/newton-tc/governance",
        "--as-of",
        "2015-12-01",
    ])
    .success();
    let run = electorate(&["check", "--governance", "fixtures/ballots"]).code(2);
    assert_eq!(
        run.stderr,
        "error: fixtures/ballots holds no governance file, expected projects.yaml, legacy.yaml, sigs-repos.yaml or technical-committee-repos.yaml (or a reference/ directory with them)\n"
    );
}

/// The example's rolls under the tooling's reading and the bylaws', in a fresh directory.
fn two_builds() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let election = common::path(NEWTON);
    electorate_in(
        dir.path(),
        &["roll", "--election", &election, "-q", "--out", "rolls"],
    )
    .success();
    electorate_in(
        dir.path(),
        &[
            "roll",
            "--election",
            &election,
            "-q",
            "--policy",
            "openstack-bylaws",
            "--out",
            "bylaws",
        ],
    )
    .success();
    dir
}

#[test]
fn two_builds_of_the_rolls_are_compared() {
    let dir = two_builds();
    let run = electorate_in(dir.path(), &["diff", "rolls", "bylaws"]).code(1);
    assert_eq!(
        run.stdout,
        "ptl-glance: 7 in A, 5 in B\n  < amaru.quispe@example.org\n  < greta.velasquo@example.org\n\
         ptl-keystone: 7 in A, 8 in B\n  > leila.yildiran@example.org\n\
         ptl-oslo: 7 in A, 6 in B\n  < tomas.ravindran@example.org\n\
         tc: 36 in A, 34 in B\n  < amaru.quispe@example.org\n  < greta.velasquo@example.org\n  < tomas.ravindran@example.org\n  > leila.yildiran@example.org\n\
         differ: 4 of 8 rolls (A is rolls, B is bylaws)\n"
    );
    // With the election B was built from, each gets the decisive reason.
    let election = common::path(NEWTON);
    let run = electorate_in(
        dir.path(),
        &[
            "diff",
            "rolls/tc.txt",
            "bylaws/tc.txt",
            "--election",
            &election,
            "--policy",
            "openstack-bylaws",
        ],
    )
    .code(1);
    assert_eq!(
        run.stdout,
        "tc: 36 in A, 34 in B\n\
         \x20 < amaru.quispe@example.org (Amaru Quispe): off the roll (change-before-window)\n\
         \x20 < greta.velasquo@example.org (Greta Velasquo): off the roll (change-before-window)\n\
         \x20 < tomas.ravindran@example.org (Tomas Ravindran): off the roll (change-before-window)\n\
         \x20 > leila.yildiran@example.org (Leila Yildiran): on the roll (on-roll)\n\
         differ: 1 of 1 rolls (A is rolls/tc.txt, B is bylaws/tc.txt)\n"
    );
    let run = electorate_in(
        dir.path(),
        &[
            "diff",
            "rolls/tc.txt",
            "bylaws/tc.txt",
            "--election",
            &election,
            "-f",
            "csv",
        ],
    )
    .code(1);
    assert_eq!(
        run.stdout,
        "roll,side,email,person,name,on_roll,code\n\
         tc,a,amaru.quispe@example.org,gerrit:1026,Amaru Quispe,true,on-roll\n\
         tc,a,greta.velasquo@example.org,gerrit:1027,Greta Velasquo,true,on-roll\n\
         tc,a,tomas.ravindran@example.org,gerrit:1032,Tomas Ravindran,true,on-roll\n\
         tc,b,leila.yildiran@example.org,gerrit:1029,Leila Yildiran,false,change-after-window\n"
    );
    let run = electorate_in(dir.path(), &["diff", "rolls", "rolls"]).success();
    assert_eq!(
        run.stdout,
        "same: 8 rolls with the same addresses in rolls and rolls\n"
    );
    // A roll only one side has: every address of it is on one side only.
    std::fs::remove_file(dir.path().join("bylaws/ptl-oslo.txt")).unwrap();
    let run = electorate_in(dir.path(), &["diff", "rolls", "bylaws", "-f", "json"]).code(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let oslo = &json["rolls"][4];
    assert_eq!(oslo["roll"], "ptl-oslo");
    assert_eq!(oslo["b_voters"], serde_json::Value::Null);
    assert_eq!(oslo["only_in_a"].as_array().unwrap().len(), 7);
    std::fs::write(dir.path().join("bylaws/tc.txt"), "Jane Doe\n").unwrap();
    let run = electorate_in(dir.path(), &["diff", "rolls", "bylaws"]).code(2);
    assert_eq!(
        run.stderr,
        "error: bylaws/tc.txt:1: \"Jane Doe\" is not an address, expected one address per line\n"
    );
}

#[test]
fn a_published_digest_lets_a_voter_check_with_their_code() {
    let dir = two_builds();
    std::fs::write(
        dir.path().join("secret"),
        "a fictional election secret, 41 bytes...\n",
    )
    .unwrap();
    let run = electorate_in(
        dir.path(),
        &[
            "digest",
            "rolls/tc.txt",
            "--secret-file",
            "secret",
            "--label",
            "Newton TC",
            "--out",
            "published",
        ],
    )
    .success();
    assert_eq!(
        run.stdout,
        "tc: 36 entries in published/tc.digest.txt (publish it), codes in published/tc.codes.csv (private: send each voter theirs)\n"
    );
    let list = std::fs::read_to_string(dir.path().join("published/tc.digest.txt")).unwrap();
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(
        lines[..5],
        [
            "# electorate roll digest: one entry per voter; check yours with `electorate digest --check`",
            "# scheme: electorate-roll-digest-v1",
            "# label: Newton TC",
            "# roll: tc",
            "# entries: 36",
        ]
    );
    let entries = &lines[5..];
    assert_eq!(entries.len(), 36);
    assert!(entries.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
    assert!(
        entries
            .iter()
            .all(|e| e.len() == 64 && e.bytes().all(|b| b.is_ascii_hexdigit())),
        "nothing but digests"
    );
    let roll = std::fs::read_to_string(dir.path().join("rolls/tc.txt")).unwrap();
    assert!(
        roll.lines().all(|address| !list.contains(address)),
        "no address is published"
    );
    let codes = std::fs::read_to_string(dir.path().join("published/tc.codes.csv")).unwrap();
    let kenji = codes
        .lines()
        .find_map(|l| l.strip_prefix("kenji.okonkwo@example.org,"))
        .unwrap()
        .to_owned();
    assert_eq!(codes.lines().count(), 37);
    let run = electorate_in(
        dir.path(),
        &[
            "digest",
            "--check",
            "Kenji.Okonkwo@example.org",
            "--code",
            &kenji,
            "published/tc.digest.txt",
        ],
    )
    .success();
    assert_eq!(
        run.stdout,
        "Kenji.Okonkwo@example.org is on roll tc of \"Newton TC\" (published/tc.digest.txt)\n"
    );
    // Another address with Kenji's code, or Kenji's address with a guessed code, is not.
    for (address, code) in [
        ("leila.yildiran@example.org", kenji.as_str()),
        (
            "kenji.okonkwo@example.org",
            "0000-0000-0000-0000-0000-0000-0000-0000",
        ),
    ] {
        let run = electorate_in(
            dir.path(),
            &[
                "digest",
                "--check",
                address,
                "--code",
                code,
                "published/tc.digest.txt",
            ],
        )
        .code(1);
        assert_eq!(
            run.stdout,
            format!("{address} is NOT on roll tc of \"Newton TC\" (published/tc.digest.txt)\n")
        );
    }
    // The example's fictional secret gives the codes the README shows.
    let run = electorate_in(
        dir.path(),
        &[
            "digest",
            "rolls/tc.txt",
            "--secret-file",
            &common::path("examples/newton-tc/digest-secret.txt"),
            "--label",
            "newton-tc",
            "--out",
            "example",
        ],
    )
    .success();
    assert!(run.stdout.starts_with("tc: 36 entries"), "{}", run.stdout);
    let codes = std::fs::read_to_string(dir.path().join("example/tc.codes.csv")).unwrap();
    assert!(
        codes.contains("\nkenji.okonkwo@example.org,b1bf-ae37-bdd0-221f-aa3e-b214-8a20-ca8c\n"),
        "{codes}"
    );
    // The same secret gives the same list; the directory is the tool's to rewrite.
    electorate_in(
        dir.path(),
        &[
            "digest",
            "rolls/tc.txt",
            "--secret-file",
            "secret",
            "--label",
            "Newton TC",
            "--out",
            "published",
        ],
    )
    .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("published/tc.digest.txt")).unwrap(),
        list
    );
    std::fs::write(dir.path().join("short"), "too short\n").unwrap();
    let run = electorate_in(
        dir.path(),
        &[
            "digest",
            "rolls",
            "--secret-file",
            "short",
            "--label",
            "x",
            "--out",
            "elsewhere",
        ],
    )
    .code(2);
    assert_eq!(
        run.stderr,
        "error: the secret file short holds 9 bytes, expected at least 16\nhint: head -c 32 /dev/urandom > short\n"
    );
    let run = electorate_in(
        dir.path(),
        &[
            "digest",
            "--check",
            "a@example.org",
            "--code",
            "12",
            "published/tc.digest.txt",
        ],
    )
    .code(2);
    assert_eq!(
        run.stderr,
        "error: --code: the code has 2 hex digits, expected the 32 hex digits of the code the officials sent, such as 1a2b-3c4d-5e6f-7a8b-9c0d-1e2f-3a4b-5c6d\n"
    );
}

#[test]
fn results_put_rolls_tallies_and_the_candidates_tree_together() {
    let dir = two_builds();
    std::fs::create_dir(dir.path().join("ballots")).unwrap();
    std::fs::copy(
        common::root().join("examples/newton-tc/ballots/ptl-nova.csv"),
        dir.path().join("ballots/ptl-nova.csv"),
    )
    .unwrap();
    let election = common::path(NEWTON);
    let tree = common::path("examples/newton-tc/candidates/newton");
    let ptl = [
        "results",
        "--release",
        "newton",
        "--roll",
        "rolls",
        "--round",
        "ptl",
        "--election",
        &election,
        "--candidates-dir",
        &tree,
        "ptl-nova=ballots/ptl-nova.csv",
    ];
    let run = electorate_in(dir.path(), &ptl).success();
    insta::assert_snapshot!("results_ptl_yaml", run.stdout);
    // A directory of ballot files named after their rolls says the same.
    let mut by_dir = ptl.to_vec();
    by_dir.pop();
    by_dir.push("ballots");
    assert_eq!(
        electorate_in(dir.path(), &by_dir).success().stdout,
        run.stdout
    );
    let mut markdown = ptl.to_vec();
    markdown.extend(["--format", "markdown"]);
    let run = electorate_in(dir.path(), &markdown).success();
    insta::assert_snapshot!("results_ptl_markdown", run.stdout);
    let run = electorate_in(
        dir.path(),
        &[
            "results",
            "--release",
            "newton",
            "--roll",
            "rolls",
            "--round",
            "tc",
            "--election",
            &election,
            "--candidates-dir",
            &tree,
        ],
    )
    .success();
    assert_eq!(
        run.stdout,
        "candidates:\n  TC:\n  - elected: true\n    email: kenji.okonkwo@example.org\n    fullname: Kenji Okonkwo\n    ircname: \"\"\n  - elected: true\n    email: zofia.farouk@example.org\n    fullname: Zofia Farouk\n    ircname: \"\"\nelection: newton\nelections_results:\n  TC: no poll required\nprojects:\n- TC\n"
    );
    // A poll needs its ballots; ballots must name eligible candidates.
    let run = electorate_in(dir.path(), &ptl[..ptl.len() - 1]).code(2);
    assert_eq!(
        run.stderr,
        "error: election ptl-nova needs a poll (2 eligible candidates for 1 seat), but no ballots were given for it, expected ptl-nova=BALLOTS\n"
    );
    std::fs::write(
        dir.path().join("ballots/typo.csv"),
        "Ines Quillfeather,Vesna Quarry\n1,2\n",
    )
    .unwrap();
    let mut typo = ptl.to_vec();
    typo.pop();
    typo.push("ptl-nova=ballots/typo.csv");
    let run = electorate_in(dir.path(), &typo).code(2);
    assert_eq!(
        run.stderr,
        "error: candidate \"Vesna Quarry\" of ballots/typo.csv matches no eligible candidacy of ptl-nova (Ines Quillfeather <ines.quillfeather@example.org>, Vesna Quarrie <vesna.quarrie@example.org>), expected a candidate's full name or address\n"
    );
}

#[test]
fn a_drawn_tie_is_in_the_record_and_an_unresolved_one_fails() {
    let dir = two_builds();
    std::fs::write(
        dir.path().join("tie.csv"),
        "Ines Quillfeather,Vesna Quarrie\n1,2\n2,1\n",
    )
    .unwrap();
    let run = electorate_in(
        dir.path(),
        &[
            "results",
            "--release",
            "newton",
            "--roll",
            "rolls/ptl-nova.txt",
            "--tie-seed",
            "newton ptl-nova",
            "--format",
            "markdown",
            "tie.csv",
        ],
    )
    .success();
    assert_eq!(
        run.stdout,
        "# Election results: newton\n\n## ptl-nova\n\n\
         - Counted with schulze, 1 seat\n\
         - Electorate 12, ballots cast 2, turnout 16.67%\n\
         - Options: ties settled by a seeded draw, seed \"newton ptl-nova\"\n\
         - Roll `rolls/ptl-nova.txt`, sha256 `dc94705522c21c80ef50ef2e91186254103d15d69f5a61056238d67ab7e10c97`\n\
         - Ballots `tie.csv`, sha256 `a653398a294385ec2bfd11400d102d29a501283e24e07cab9e82d711d808ec61`\n\n\
         | candidate | address | elected |\n|---|---|---|\n\
         | Ines Quillfeather |  | yes |\n| Vesna Quarrie |  | no |\n\n\
         Tie for seat 1 of 1: Ines Quillfeather, Vesna Quarrie, settled by a draw with seed \"newton ptl-nova\" and description \"seat 1 of 1: Ines Quillfeather, Vesna Quarrie\"; the order drawn: Ines Quillfeather, Vesna Quarrie\n\
         - Ines Quillfeather: `94314c69c25109f8ffad892c9a97f4b3d31373cf9f66d3301cfeef74030f38d5`\n\
         - Vesna Quarrie: `a98cd9ea71dc6e11c718275fdc93c522dd3996ccca930d6589e8ba977a8a925e`\n"
    );
    let run = electorate_in(
        dir.path(),
        &[
            "results",
            "--release",
            "newton",
            "--roll",
            "rolls",
            "--format",
            "json",
            "ptl-nova=tie.csv",
        ],
    )
    .code(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let nova = &json["elections"][0];
    assert_eq!(nova["decided"], false);
    assert_eq!(nova["winners"], serde_json::json!([]));
    assert_eq!(nova["ties"][0]["draw"], serde_json::Value::Null);
    assert_eq!(nova["electorate"], 12);
    assert_eq!(nova["ballots_cast"], 2);
    assert_eq!(nova["turnout"], "16.67");
    assert_eq!(
        nova["ballots"]["sha256"],
        "a653398a294385ec2bfd11400d102d29a501283e24e07cab9e82d711d808ec61"
    );
}

#[test]
fn without_a_membership_list_a_members_rule_cannot_decide() {
    let dir = tempfile::tempdir().unwrap();
    let example = common::root().join("examples/newton-tc");
    let election = std::fs::read_to_string(example.join("election.toml"))
        .unwrap()
        .replace("members = \"members.csv\"\n", "")
        .replace("\"gerrit/", &format!("\"{}/gerrit/", example.display()))
        .replace(
            "\"governance/",
            &format!("\"{}/governance/", example.display()),
        );
    std::fs::write(dir.path().join("election.toml"), election).unwrap();
    let run = electorate_in(
        dir.path(),
        &[
            "candidacy",
            "--election",
            "election.toml",
            "kenji.okonkwo@example.org",
        ],
    )
    .code(1);
    assert_eq!(
        run.stdout,
        "kenji.okonkwo@example.org (Kenji Okonkwo): NOT eligible for tc (candidate-membership-unknown)\n"
    );
}
