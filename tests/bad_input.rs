//! Broken inputs: every broken row is listed with file, line and field; nothing is
//! written unless the official knowingly skips them; never a panic.

mod common;

use common::{electorate, electorate_in, write_tree};

const BAD: &str = "fixtures/bad/election.toml";

/// The broken rows as messages show them, from the repository root: the election file's
/// directory joined with the name it gives.
const BROKEN_ROWS: [&str; 4] = [
    "fixtures/bad/changes.csv:3: field merged_at: \"2015-06-01 12:00:00\" has no UTC offset, expected RFC 3339 with an offset such as \"2015-03-04T00:00:00Z\"",
    "fixtures/bad/changes.csv:4: row has 3 fields, expected 5 as in the header",
    "fixtures/bad/changes.csv:5: field merged_at: \"2015-13-01T00:00:00Z\" is not an RFC 3339 timestamp, expected one such as \"2015-03-04T00:00:00Z\"",
    "fixtures/bad/changes.csv:6: field branch: is not valid UTF-8, expected UTF-8 text",
];

/// A name where the address belongs is not a broken row: the change still counts, for an
/// account that can receive no ballot until the export is fixed.
const UNUSABLE_ADDRESS: &str = "warning: fixtures/bad/changes.csv:7: field owner_email: \"Fay Dunn\" is not an e-mail address, expected one such as \"jane@example.org\"; the change still counts for this account, which can receive no ballot until the address is fixed";

#[test]
fn broken_rows_stop_the_roll_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rolls");
    let run = electorate(&[
        "roll",
        "--election",
        BAD,
        "--out",
        &out.display().to_string(),
    ])
    .code(2);
    let expected: Vec<String> = BROKEN_ROWS.iter().map(|p| format!("error: {p}")).collect();
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: fixtures/bad/changes.csv"))
        .collect();
    assert_eq!(errors, expected);
    assert!(run.stderr.contains("error: 4 problems in the inputs; no roll was written\nhint: fix the rows, or pass --skip-bad-rows"));
    assert!(run.stderr.contains(UNUSABLE_ADDRESS));
    assert!(run.stderr.contains(
        "warning: fixtures/bad/projects.yaml:6:7: unknown key \"repo\" (did you mean \"repos\"?); ignored"
    ));
    assert!(!out.exists(), "no roll written");
    assert!(run.stdout.is_empty());
}

#[test]
fn skip_bad_rows_goes_on_and_the_manifest_lists_what_was_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rolls");
    let run = electorate(&[
        "roll",
        "--election",
        BAD,
        "--out",
        &out.display().to_string(),
        "--skip-bad-rows",
    ])
    .success();
    assert!(
        run.stderr
            .contains("skipped: fixtures/bad/changes.csv:3: field merged_at")
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let skipped: Vec<String> = manifest["skipped_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}:{}: {}",
                p["file"].as_str().unwrap(),
                p["line"],
                p["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(skipped.len(), 4);
    // The manifest records files as the election file names them, wherever the command
    // ran from: it stays byte-identical.
    assert!(skipped[0].starts_with("changes.csv:3: "), "{skipped:?}");
    assert_eq!(manifest["changes"]["rejected"], 4);
    assert_eq!(manifest["changes"]["used"], 3);
    assert_eq!(
        std::fs::read_to_string(out.join("tc.txt")).unwrap(),
        "ann@example.org\ngus@example.org\n"
    );
    // Fay's change counts, but she can be sent no ballot: the CSV says so and why.
    let csv = std::fs::read_to_string(out.join("tc.csv")).unwrap();
    let fay: Vec<&str> = csv.lines().filter(|l| l.contains("Fay Dunn")).collect();
    assert_eq!(fay.len(), 1, "{csv}");
    assert!(fay[0].ends_with(",excluded-no-email"), "{}", fay[0]);
}

#[test]
fn check_lists_every_problem_and_exits_1() {
    let run = electorate(&["check", "--election", BAD]).code(1);
    let mut expected: Vec<String> = BROKEN_ROWS.iter().map(|p| format!("error: {p}")).collect();
    expected.push(UNUSABLE_ADDRESS.to_owned());
    expected.push(
        "warning: fixtures/bad/projects.yaml:6:7: unknown key \"repo\" (did you mean \"repos\"?); ignored"
            .to_owned(),
    );
    expected.push("4 files checked: 4 errors, 2 warnings".to_owned());
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected);

    let json = electorate(&["check", "--election", BAD, "--format", "json"]).code(1);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 4);
    assert_eq!(report["problems"][1]["line"], 4);
    assert_eq!(report["problems"][0]["field"], "merged_at");
}

#[test]
fn check_passes_the_example() {
    let run = electorate(&["check", "--election", "examples/newton-tc/election.toml"]).success();
    // The example's Yara Haddad writes her address in two cases, on purpose.
    assert_eq!(
        run.stdout,
        "warning: examples/newton-tc/gerrit/changes.csv:203: address \"Yara.haddad@example.org\" differs from \"yara.haddad@example.org\" (at examples/newton-tc/gerrit/changes.csv:202) only in the case of letters; both are taken as one person's address\n8 files checked: 0 errors, 1 warning\n"
    );
}

fn election_with(files: &[(&str, &str)], extra_inputs: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let election = format!(
        "[election]\nname = \"t\"\nwindow = {{ start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }}\n[inputs]\n{extra_inputs}\n"
    );
    let mut all: Vec<(&str, &str)> = vec![("election.toml", &election)];
    all.extend_from_slice(files);
    write_tree(dir.path(), &all);
    let path = dir.path().join("election.toml").display().to_string();
    (dir, path)
}

#[test]
fn each_kind_of_broken_file_is_named() {
    let cases: [(&str, &[u8], &str); 6] = [
        ("empty.csv", b"", "empty.csv: file is empty, expected a header row naming the columns project, branch, owner_email, merged_at"),
        (
            "dupe.csv",
            b"project,branch,owner_email,merged_at,BRANCH\n",
            "dupe.csv:1: column \"BRANCH\" appears twice (columns 2 and 5), expected each column once",
        ),
        ("bom.csv", b"\xEF\xBB\xBFproject,branch,owner_email,merged_at\nopenstack/nova,master,a@example.org,2015-06-01T00:00:00Z\n", "bom.csv:1: file starts with a UTF-8 byte-order mark; ignored"),
        ("rest.json", b")]}'\n[{\"project\": \"p\", \"branch\": \"master\", \"status\": \"MERGED\", \"owner\": {\"_account_id\": 1}}]", "rest.json: record 1: field submitted: is missing on a MERGED change, expected its submit time"),
        ("query.jsonl", b"{\"type\":\"stats\"}\nnot json\n", "query.jsonl:2:2: invalid JSON: expected ident, expected one change object per line"),
        ("trunc.json", b"[{\"project\": \"p\",", "trunc.json:1:17: invalid JSON: EOF while parsing a value"),
    ];
    for (name, bytes, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let election = format!(
            "[election]\nname = \"t\"\nwindow = {{ start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }}\n[inputs]\nchanges = [\"{name}\"]\n"
        );
        std::fs::write(dir.path().join("election.toml"), election).unwrap();
        let run = electorate_in(dir.path(), &["check", "--election", "election.toml"]);
        assert!(
            run.code == 0 || run.code == 1,
            "{name}: exit {} {}",
            run.code,
            run.stderr
        );
        assert!(
            run.stdout.lines().any(|l| l.ends_with(expected)),
            "{name}: expected {expected:?} in\n{}",
            run.stdout
        );
    }
}

#[test]
fn bad_election_files_exit_2_with_the_place() {
    let (_dir, election) = election_with(&[], "changes = \"changes.csv\"\nmembers = 7");
    let run = electorate(&["roll", "--election", &election]).code(2);
    assert!(run.stderr.contains("election.toml:6:11:"), "{}", run.stderr);
    // Named once, as given, with the reason; no repeated context.
    let run = electorate(&["roll", "--election", "fixtures/does-not-exist.toml"]).code(2);
    assert_eq!(
        run.stderr,
        "error: cannot read fixtures/does-not-exist.toml: No such file or directory (os error 2)\n"
    );
}

#[test]
fn a_missing_input_file_is_named() {
    let (dir, _) = election_with(&[], "changes = \"nowhere.csv\"");
    let run = electorate_in(dir.path(), &["roll", "--election", "election.toml"]).code(2);
    assert_eq!(
        run.stderr,
        "error: cannot read nowhere.csv: No such file or directory (os error 2)\n"
    );
    // From elsewhere, the path that opens from there.
    let run = electorate_in(
        dir.path().parent().unwrap(),
        &[
            "roll",
            "--election",
            &format!(
                "{}/election.toml",
                dir.path().file_name().unwrap().to_string_lossy()
            ),
        ],
    )
    .code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot read {}/nowhere.csv: No such file or directory (os error 2)\n",
            dir.path().file_name().unwrap().to_string_lossy()
        )
    );
}

#[test]
fn governance_problems_are_located() {
    let projects = "Nova:\n  deliverables:\n    nova:\n      repos:\n        - openstack/nova\n  extra-atcs:\n    - name: Ann\n      email: ann@example.org\n      expires-in: Smarch 2016\nGlance:\n  deliverables:\n    glance:\n      repos: [openstack/nova]\n";
    let (dir, _) = election_with(
        &[("projects.yaml", projects)],
        "governance = \"projects.yaml\"",
    );
    // From the election's directory, files are named as the election file names them.
    let run = electorate_in(dir.path(), &["check", "--election", "election.toml"]).code(1);
    assert_eq!(
        run.stdout,
        "error: projects.yaml:9:19: field expires-in: \"Smarch 2016\" is not a month, expected a month and year such as \"February 2017\", \"Feb 2017\" or \"2017-02\"\n\
         warning: projects.yaml:13:15: repository \"openstack/nova\" is listed again (first under \"Nova\" at line 5); the first listing is used\n\
         2 files checked: 1 error, 1 warning\n"
    );
}

#[test]
fn an_identity_file_claiming_one_address_twice_is_an_error_naming_both() {
    let people = "[[person]]\nname = \"Ann\"\nemails = [\"ann@example.org\"]\n\n[[person]]\nname = \"Bo\"\nemails = [\"bo@example.org\", \"Ann@Example.org\"]\n";
    let (dir, _) = election_with(&[("people.toml", people)], "identity = \"people.toml\"");
    let run = electorate_in(dir.path(), &["check", "--election", "election.toml"]).code(1);
    assert!(
        run.stdout.contains("error: people.toml:5:1: email:ann@example.org is claimed by two people: Ann (line 1) and Bo (line 5), expected each address, account, username, nick and handle to belong to one person"),
        "{}",
        run.stdout
    );
}

#[test]
fn operator_inputs_report_their_problems() {
    let roster = "criterion,name,email,evidence,date\nuser-group-organiser,Ann,ann@example.org,x,yesterday\n";
    let summary = "no attendance here\n";
    let (dir, _) = election_with(
        &[
            ("roster.csv", roster),
            ("meetbot/wg.2016-01-01-10.00.txt", summary),
            ("metrics.csv", ""),
        ],
        "rosters = [\"roster.csv\"]\nmeetings = [\"meetbot\"]\nauc_metrics = [\"metrics.csv\"]",
    );
    let run = electorate_in(dir.path(), &["check", "--election", "election.toml"]).code(1);
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(
        errors,
        [
            "error: meetbot/wg.2016-01-01-10.00.txt: no \"People present (lines said)\" section, expected a MeetBot text summary",
            "error: roster.csv:2: field date: \"yesterday\" is not a date, expected YYYY-MM-DD, \"YYYY-MM-DD HH:MM:SS\" (UTC) or RFC 3339",
            "error: metrics.csv: file is empty, expected a header with identifier, member_email",
        ]
    );
}
