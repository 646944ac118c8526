//! Hostile inputs meet the limits of docs/outputs.md ("Limits"): each is refused with its
//! place and a short message, never with a crash, a long wait, or a copy of the input.
//! Every big input is generated here.

mod common;

use std::path::Path;

use common::{Run, electorate_in};

const HEAD: &str = "[election]\nname = \"t\"\nwindow = { start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }\n[inputs]\n";

/// The warning every election without a projects file gets.
const NO_PROJECTS: &str = "election.toml: no governance projects file is given, so no repository is official and code-change criteria with repos = \"governed\" count nothing";

/// `check` an election whose inputs are `inputs` (TOML lines) and `files`.
fn check(inputs: &str, files: &[(&str, &[u8])]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "election.toml",
        format!("{HEAD}{inputs}\n").as_bytes(),
    );
    for (name, bytes) in files {
        write(dir.path(), name, bytes);
    }
    electorate_in(dir.path(), &["check", "--election", "election.toml"])
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The problems `check` printed, the summary and the usual warning left out.
fn problems(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .filter(|line| !line.ends_with(NO_PROJECTS) && !line.contains(" checked: "))
        .collect()
}

/// The key of each governance file in `inputs.governance`.
const GOVERNANCE: [&str; 4] = ["projects", "legacy", "sigs", "tc_repos"];

#[test]
fn yaml_nested_past_64_levels_is_refused_in_every_governance_file() {
    let nested = [
        // A block sequence in a block sequence, 20,000 deep: 40 KB.
        ("- ".repeat(20_000) + "x\n", "g.yaml:1:129"),
        // Complex keys, 10,000 deep.
        ("? ".repeat(10_000) + "x\n", "g.yaml:1:129"),
        // Mappings nested by indentation.
        (
            (0..100)
                .map(|depth| format!("{}k{depth}:\n", " ".repeat(depth)))
                .collect(),
            "g.yaml:65:65",
        ),
    ];
    for key in GOVERNANCE {
        for (yaml, place) in &nested {
            let run = check(
                &format!("governance = {{ {key} = \"g.yaml\" }}"),
                &[("g.yaml", yaml.as_bytes())],
            )
            .code(1);
            // Messages start lowercase, this one too (found by fuzzing).
            assert_eq!(
                problems(&run),
                [format!(
                    "error: {place}: more than 64 levels of YAML nesting, expected at most 64"
                )],
                "{key}"
            );
        }
    }
}

#[test]
fn yaml_aliases_repeating_past_two_hundred_thousand_nodes_are_refused() {
    let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..8 {
        let aliases = vec![format!("*a{}", level - 1); 10].join(", ");
        yaml.push_str(&format!("a{level}: &a{level} [{aliases}]\n"));
    }
    let run = check(
        "governance = { projects = \"g.yaml\" }",
        &[("g.yaml", yaml.as_bytes())],
    )
    .code(1);
    assert_eq!(
        problems(&run),
        [
            "error: g.yaml:6:10: more than 200000 YAML nodes (an alias counts as every node it repeats), expected at most 200000"
        ]
    );
}

#[test]
fn a_mapping_of_ninety_thousand_keys_with_one_repeated_is_read_at_once() {
    // Each key was compared with every earlier one: 12 s for this 1 MB file.
    let mut yaml: String = (0..90_000).map(|i| format!("k{i}: {{}}\n")).collect();
    yaml.push_str("k0: {}\n");
    let started = std::time::Instant::now();
    let run = check(
        "governance = { projects = \"g.yaml\" }",
        &[("g.yaml", yaml.as_bytes())],
    );
    let elapsed = started.elapsed();
    assert!(
        problems(&run).contains(&"warning: g.yaml:90001:1: key \"k0\" is repeated in its mapping (first at line 1); the last value is used, as PyYAML does"),
        "{}",
        run.stdout
    );
    assert!(elapsed.as_secs() < 4, "{elapsed:?}");
}

#[test]
fn wide_headers_are_read_and_listed_short() {
    let columns: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let columns = columns.join(",");
    let listed = "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, and 99990 more";
    let changes = format!(
        "project,branch,owner_email,merged_at,{columns}\nopenstack/nova,master,a@example.org,2015-06-01T00:00:00Z{}\n",
        ",".repeat(100_000)
    );
    let run = check("changes = [\"c.csv\"]", &[("c.csv", changes.as_bytes())]).success();
    assert_eq!(
        problems(&run),
        [format!(
            "warning: c.csv:1: ignoring unknown columns: {listed}"
        )]
    );
    let members = format!(
        "id,email,{columns}\n7,a@example.org{}\n",
        ",".repeat(100_000)
    );
    let run = check("members = \"m.csv\"", &[("m.csv", members.as_bytes())]).success();
    assert_eq!(
        problems(&run),
        [format!(
            "warning: m.csv:1: ignoring unknown columns: {listed}"
        )]
    );
    // Every column an address column: each is looked at once.
    let emails: Vec<String> = (0..80_000).map(|i| format!("email{i}")).collect();
    let members = format!(
        "id,{}\n7,a@example.org{}\n",
        emails.join(","),
        ",".repeat(79_999)
    );
    let run = check("members = \"m.csv\"", &[("m.csv", members.as_bytes())]).success();
    assert_eq!(problems(&run), Vec::<&str>::new());
}

#[test]
fn a_meeting_of_more_than_ten_thousand_people_is_refused() {
    let mut summary = String::from("People present (lines said)\n---\n");
    for i in 0..10_001 {
        summary.push_str(&format!("* nick{i} (1)\n"));
    }
    let run = check(
        "meetings = [\"wg.2015-06-01-10.00.txt\"]",
        &[("wg.2015-06-01-10.00.txt", summary.as_bytes())],
    )
    .code(1);
    assert_eq!(
        problems(&run),
        [
            "error: wg.2015-06-01-10.00.txt:10003: more than 10000 people present, expected at most 10000 at one meeting; the summary is not read"
        ]
    );
}

#[test]
fn a_line_past_its_limit_makes_the_file_unreadable_and_is_not_quoted() {
    let long = format!("SECRET{}\n", "s".repeat(1 << 20));
    let cases: [(&str, &str); 9] = [
        ("changes = [\"f.csv\"]", "f.csv"),
        ("changes = [\"f.jsonl\"]", "f.jsonl"),
        ("members = \"f.csv\"", "f.csv"),
        ("rosters = [\"f.csv\"]", "f.csv"),
        ("auc_metrics = [\"f.csv\"]", "f.csv"),
        ("identity = \"f.toml\"", "f.toml"),
        ("governance = { projects = \"f.yaml\" }", "f.yaml"),
        ("governance = { sigs = \"f.yaml\" }", "f.yaml"),
        (
            "meetings = [\"m.2015-06-01-10.00.txt\"]",
            "m.2015-06-01-10.00.txt",
        ),
    ];
    for (inputs, file) in cases {
        let (bytes, max, human) = if file.ends_with(".jsonl") {
            (
                format!("{{}}\n{}", "x".repeat((16 << 20) + 1)),
                16 << 20,
                "16 MiB",
            )
        } else {
            (format!("a,b\n{long}"), 1 << 20, "1 MiB")
        };
        let run = check(inputs, &[(file, bytes.as_bytes())]).code(2);
        assert_eq!(
            run.stderr,
            format!(
                "error: {file}:2: the line is longer than {max} bytes, expected at most {human} per line\n"
            ),
            "{inputs}"
        );
        assert!(!run.stdout.contains("SECRET"), "{inputs}");
    }
}

/// A password file named as each kind of input: it is refused, and nothing of it shows.
#[test]
fn a_file_of_another_kind_is_never_quoted() {
    let shadow: &[u8] =
        b"root:$6$SECRETSALT$abcdefghijklmnopqrstuvwxyz0123456789:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n";
    let cases: [(&str, &str, &[&str]); 9] = [
        (
            "changes = [\"s.csv\"]",
            "s.csv",
            &[
                "error: s.csv:1: missing required columns project, branch, owner_email, merged_at, expected a header with project, branch, owner_email, merged_at (found 1 column, none of them known)",
            ],
        ),
        (
            "members = \"s.csv\"",
            "s.csv",
            &[
                "error: s.csv:1: missing column member_id and email, expected a header with member_id, name and one or more email columns (found 1 column, none of them known)",
            ],
        ),
        (
            "rosters = [\"s.csv\"]",
            "s.csv",
            &[
                "error: s.csv:1: missing column criterion or role, email, date, expected a header with criterion, email, date, name, evidence (found 1 column, none of them known)",
            ],
        ),
        (
            "auc_metrics = [\"s.csv\"]",
            "s.csv",
            &[
                "error: s.csv:1: missing column identifier, member_email or email, expected a header with identifier, member_email, value, expires (found 1 column, none of them known)",
            ],
        ),
        (
            "changes = [\"s.json\"]",
            "s.json",
            &["error: s.json:1:1: invalid JSON: expected value"],
        ),
        (
            "changes = [\"s.jsonl\"]",
            "s.jsonl",
            &[
                "error: s.jsonl:1:1: invalid JSON: expected value, expected one change object per line",
                "error: s.jsonl:2:1: invalid JSON: expected value, expected one change object per line",
            ],
        ),
        (
            "governance = { projects = \"s.yaml\" }",
            "s.yaml",
            &[
                "error: s.yaml:1:74: found nothing, expected a team mapping with deliverables",
                "error: s.yaml:2:27: found nothing, expected a team mapping with deliverables",
            ],
        ),
        (
            "identity = \"s.toml\"",
            "s.toml",
            &["error: s.toml:1:75: key with no value, expected `=`"],
        ),
        (
            "meetings = [\"m.2015-06-01-10.00.txt\"]",
            "m.2015-06-01-10.00.txt",
            &[
                "error: m.2015-06-01-10.00.txt: no \"People present (lines said)\" section, expected a MeetBot text summary",
            ],
        ),
    ];
    for (inputs, file, expected) in cases {
        let run = check(inputs, &[(file, shadow)]).code(1);
        assert_eq!(problems(&run), expected, "{inputs}");
        assert!(!run.stdout.contains("SECRET"), "{inputs}");
        assert!(!run.stderr.contains("SECRET"), "{inputs}");
    }
    // The applications file of `review`, and a binary file.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "election.toml", HEAD.as_bytes());
    write(dir.path(), "s.csv", shadow);
    write(dir.path(), "b.csv", b"\x7fELF\x02\x01\x01\0\0\0\xff\xfe\n");
    let run = electorate_in(
        dir.path(),
        &["review", "--election", "election.toml", "s.csv"],
    )
    .code(2);
    assert_eq!(
        run.stderr,
        "error: s.csv:1: expected the columns team, name, email, and expires-in or approved (found 1 column, none of them known)\n"
    );
    let binary: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\xff\xfe\n";
    let run = check("members = \"b.csv\"", &[("b.csv", binary)]).code(1);
    assert_eq!(
        problems(&run),
        [
            "error: b.csv:1: cannot read the header: CSV parse error: record 0 (line 1, field: 0, byte: 0): invalid utf-8: invalid UTF-8 in field 0 near byte index 10"
        ]
    );
    let run = check("identity = \"b.toml\"", &[("b.toml", binary)]).code(2);
    assert_eq!(
        run.stderr,
        "error: b.toml:1: invalid UTF-8 (byte 10), expected UTF-8 text\n"
    );
}

#[test]
fn a_toml_file_past_four_mebibytes_is_refused() {
    let people = "[[person]]\nemails = [\"ann@example.org\"]\n".repeat((4 << 20) / 40 + 1);
    let run = check("identity = \"p.toml\"", &[("p.toml", people.as_bytes())]).code(2);
    assert_eq!(
        run.stderr,
        "error: p.toml: the file is larger than 4194304 bytes, expected at most 4 MiB for a TOML file\n"
    );
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "election.toml", HEAD.as_bytes());
    write(dir.path(), "policy.toml", &vec![b'#'; (4 << 20) + 1]);
    let run = electorate_in(
        dir.path(),
        &[
            "check",
            "--election",
            "election.toml",
            "--policy",
            "policy.toml",
        ],
    )
    .code(1);
    assert_eq!(
        problems(&run),
        [
            "error: election.toml: field election.policy: policy policy.toml is larger than 4194304 bytes, expected at most 4 MiB"
        ]
    );
}

#[test]
fn a_file_lists_a_thousand_problems_and_counts_the_rest() {
    let mut changes = String::from("project,branch,owner_email,merged_at\n");
    for _ in 0..1500 {
        changes.push_str("short row\n");
    }
    let run = check("changes = [\"c.csv\"]", &[("c.csv", changes.as_bytes())]).code(1);
    let listed = problems(&run);
    assert_eq!(listed.len(), 1001);
    assert_eq!(
        listed[0],
        "error: c.csv:2: row has 1 field, expected 4 as in the header"
    );
    assert_eq!(
        listed[1000],
        "error: c.csv: 500 more problems in this file are not listed (the first 1000 are)"
    );
}

#[test]
fn a_header_typo_is_the_one_cell_quoted() {
    let run = check(
        "changes = [\"c.csv\"]",
        &[("c.csv", b"project,branch,owner_mail,merged_at,extra\n")],
    )
    .code(1);
    assert_eq!(
        problems(&run),
        [
            "error: c.csv:1: missing required column owner_email, expected a header with project, branch, owner_email, merged_at (found: project, branch, merged_at and 2 other columns; did you mean owner_email for \"owner_mail\"?)"
        ]
    );
}

#[test]
fn fields_past_their_limit_reject_their_record_and_are_quoted_by_their_start() {
    let name = "N".repeat(1001);
    let address = format!("{}@example.org", "a".repeat(243));
    let quoted_name = format!("\"{}\"…", "N".repeat(40));
    let quoted_address = format!("\"{}\"…", "a".repeat(40));
    let long_name = format!("{quoted_name} is 1001 bytes long, expected at most 1000");
    let long_address =
        format!("{quoted_address} is 255 bytes long, expected an e-mail address of at most 254");
    let changes = format!(
        "project,branch,owner_email,merged_at,owner_name,commit\n\
         p/r,master,a@example.org,2015-06-01T00:00:00Z,{name},\n\
         p/r,master,{address},2015-06-01T00:00:00Z,Ann,\n\
         p/r,master,b@example.org,2015-06-01T00:00:00Z,Bo,{name}\n"
    );
    let rest = format!(
        "[{{\"project\":\"p/r\",\"branch\":\"master\",\"status\":\"MERGED\",\"submitted\":\"2015-06-01 00:00:00.000000000\",\"owner\":{{\"_account_id\":1,\"name\":\"{name}\"}}}}]"
    );
    let query = format!(
        "{{\"project\":\"p/r\",\"branch\":\"master\",\"status\":\"MERGED\",\"lastUpdated\":1433116800,\"owner\":{{\"email\":\"{address}\"}}}}\n"
    );
    let members = format!(
        "id,name,email,affiliations\n7,{name},a@example.org,\n8,Bo,{address},\n9,Cy,c@example.org,ACME; {name}\n"
    );
    let roster =
        format!("role,email,date,evidence\nuser-group-organiser,a@example.org,2015-06-01,{name}\n");
    let metrics = format!("identifier,member_email,value\nTRACK_CHAIR,a@example.org,{name}\n");
    let identity = format!("[[person]]\nname = \"{name}\"\nemails = [\"{address}\"]\n");
    let projects = format!("Nova:\n  deliverables:\n    nova:\n      repos:\n        - {name}\n");
    let meeting = format!("People present (lines said)\n---\n* {name} (3)\n");
    let cases: [(&str, &str, &str, Vec<String>); 9] = [
        (
            "changes = [\"c.csv\"]",
            "c.csv",
            &changes,
            vec![
                format!("error: c.csv:2: field owner_name: {long_name}"),
                format!("error: c.csv:3: field owner_email: {long_address}"),
                format!("error: c.csv:4: field commit: {long_name}"),
            ],
        ),
        (
            "changes = [\"r.json\"]",
            "r.json",
            &rest,
            vec![format!("error: r.json: record 1: field owner.name: {long_name}")],
        ),
        (
            "changes = [\"q.jsonl\"]",
            "q.jsonl",
            &query,
            vec![format!("error: q.jsonl:1: field owner.email: {long_address}")],
        ),
        (
            "members = \"m.csv\"",
            "m.csv",
            &members,
            vec![
                format!("error: m.csv:2: field name: {long_name}"),
                format!("error: m.csv:3: field email: {long_address}"),
                format!("error: m.csv:4: field affiliations: {long_name}"),
            ],
        ),
        (
            "rosters = [\"r.csv\"]",
            "r.csv",
            &roster,
            vec![format!("error: r.csv:2: field evidence: {long_name}")],
        ),
        (
            "auc_metrics = [\"a.csv\"]",
            "a.csv",
            &metrics,
            vec![format!("error: a.csv:2: field value: {long_name}")],
        ),
        (
            "identity = \"p.toml\"",
            "p.toml",
            &identity,
            vec![
                format!("error: p.toml:2:8: field person.name: {long_name}"),
                format!("error: p.toml:3:11: field person.emails: {long_address}"),
                "error: p.toml:1:1: person declares no address, account, username, nick or handle, expected at least one".to_owned(),
            ],
        ),
        (
            "governance = { projects = \"g.yaml\" }",
            "g.yaml",
            &projects,
            vec![format!("error: g.yaml:5:11: field repos: {long_name}")],
        ),
        (
            "meetings = [\"wg.2015-06-01-10.00.txt\"]",
            "wg.2015-06-01-10.00.txt",
            &meeting,
            vec![format!("error: wg.2015-06-01-10.00.txt:3: nick {long_name}")],
        ),
    ];
    for (inputs, file, text, expected) in cases {
        let run = check(inputs, &[(file, text.as_bytes())]).code(1);
        assert_eq!(problems(&run), expected, "{inputs}");
    }
}

#[test]
fn other_parsers_messages_quote_only_the_start_of_a_value() {
    let long = "7".repeat(5000);
    let rest = format!(
        "[{{\"project\":\"p/r\",\"branch\":\"master\",\"status\":\"MERGED\",\"_number\":\"{long}\",\"owner\":{{}}}}]"
    );
    let run = check("changes = [\"r.json\"]", &[("r.json", rest.as_bytes())]).code(1);
    assert_eq!(
        problems(&run),
        [format!(
            "error: r.json: record 1: invalid type: string \"{}\"…, expected u64, expected a Gerrit ChangeInfo object",
            "7".repeat(40)
        )]
    );
    let election = format!("[election]\nname = \"t\"\nwindow = \"{long}\"\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "election.toml", election.as_bytes());
    let run = electorate_in(dir.path(), &["check", "--election", "election.toml"]).code(1);
    assert_eq!(
        run.stdout,
        format!(
            "error: election.toml:3:10: invalid type: string \"{}\"…, expected struct RawWindow\n0 files checked: 1 error, 0 warnings\n",
            "7".repeat(40)
        )
    );
}
