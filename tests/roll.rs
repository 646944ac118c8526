//! `electorate roll` on the shipped example and on small elections built for one edge each.

mod common;

use common::{electorate, electorate_in, files, path, write_tree};

const EXAMPLE: &str = "examples/newton-tc/election.toml";

fn roll_example(extra: &[&str]) -> (tempfile::TempDir, Vec<(String, String)>) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("rolls");
    let dir_text = dir.display().to_string();
    let mut args = vec!["roll", "--election", EXAMPLE, "--out", &dir_text, "--quiet"];
    args.extend_from_slice(extra);
    electorate(&args).success();
    let written = files(&dir);
    (out, written)
}

fn txt<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    &files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} written"))
        .1
}

#[test]
fn example_rolls_match_their_snapshots() {
    let (_dir, written) = roll_example(&[]);
    let names: Vec<&str> = written.iter().map(|(n, _)| n.as_str()).collect();
    insta::assert_snapshot!("example_files", names.join("\n"));
    for (name, text) in &written {
        if name.ends_with(".txt") || name == "tc.csv" || name == "manifest.json" {
            insta::assert_snapshot!(format!("example_{name}"), text);
        }
    }
}

#[test]
fn rolls_are_byte_identical_across_runs() {
    let (_a, first) = roll_example(&[]);
    let (_b, second) = roll_example(&[]);
    assert_eq!(first, second);
}

#[test]
fn txt_rolls_are_sorted_unique_and_newline_terminated() {
    let (_dir, written) = roll_example(&[]);
    for (name, text) in written.iter().filter(|(n, _)| n.ends_with(".txt")) {
        let lines: Vec<&str> = text.lines().collect();
        let mut sorted = lines.clone();
        sorted.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        sorted.dedup();
        assert_eq!(lines, sorted, "{name} is byte-sorted and unique");
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{name} ends with a newline"
        );
    }
}

#[test]
fn window_edges_in_the_example() {
    let (_dir, written) = roll_example(&[]);
    let tc = txt(&written, "tc.txt");
    let on = |email: &str| tc.lines().any(|l| l == email);
    assert!(
        !on("zofia.farouk@example.org"),
        "merged 1 s before the start: out"
    );
    assert!(
        on("amaru.quispe@example.org"),
        "merged at the start instant: in"
    );
    assert!(
        on("greta.velasquo@example.org"),
        "merged 1 s after the start: in"
    );
    assert!(
        on("kenji.okonkwo@example.org"),
        "merged 1 s before the end: in"
    );
    assert!(
        !on("leila.yildiran@example.org"),
        "merged at the end instant: out"
    );
    assert!(
        !on("omar.lindqvist@example.org"),
        "merged 1 s after the end: out"
    );
    assert!(
        on("ines.brannock@example.org"),
        "00:30+01:00 on the end day is 23:30Z the day before: in"
    );
    assert!(
        on("tomas.ravindran@example.org"),
        "23:30-01:00 the day before the start is 00:30Z on it: in"
    );
}

#[test]
fn the_bylaws_reading_disagrees_at_the_edges() {
    let (_dir, written) = roll_example(&["--policy", "openstack-bylaws"]);
    let tc = txt(&written, "tc.txt");
    let on = |email: &str| tc.lines().any(|l| l == email);
    // as_of = 2016-03-04T00:00:00Z; ATC iff as_of - 365 days < merged_at <= as_of.
    assert!(
        on("leila.yildiran@example.org"),
        "merged at as_of itself: in under the bylaws"
    );
    assert!(
        !on("amaru.quispe@example.org"),
        "merged 366 days before as_of: out"
    );
    assert!(
        !on("tomas.ravindran@example.org"),
        "2015-03-04T00:30Z is more than 365 days before: out"
    );
    assert!(on("kenji.okonkwo@example.org"));
}

#[test]
fn membership_duplicates_and_extra_atcs_in_the_example() {
    let (_dir, written) = roll_example(&[]);
    let tc = txt(&written, "tc.txt");
    let on = |email: &str| tc.lines().any(|l| l == email);
    assert!(!on("kofi.sorvino@example.org"), "not a member");
    assert_eq!(
        tc.lines()
            .filter(|l| l.eq_ignore_ascii_case("yara.haddad@example.org"))
            .count(),
        1,
        "two accounts, case-variant addresses: one person, one line"
    );
    assert!(
        on("maren.belhaj@example.org"),
        "an account without a full name is kept"
    );
    assert!(
        on("vesna.quarrie@example.org"),
        "valid extra-ATC without code"
    );
    assert!(!on("ilario.dunmore@example.org"), "expired extra-ATC");
    assert!(
        on("ottilie.vance@example.org"),
        "abbreviated expires-in month"
    );
    assert!(on("baptiste.orrin@example.org"), "SIG extra-AC");
    assert!(on("runa.calloway@example.org"), "TC repository extra-AC");
    assert!(
        txt(&written, "ptl-nova.txt")
            .lines()
            .any(|l| l == "vesna.quarrie@example.org")
    );
    assert!(!txt(&written, "ptl-documentation.txt").contains("ilario.dunmore"));
    let stable = txt(&written, "stable-branch-maintenance.txt");
    assert_eq!(
        stable.lines().count(),
        7,
        "six stable/liberty owners and one stable/kilo; stable/juno merged before the window"
    );
    assert!(
        !stable.contains("vesna.quarrie"),
        "no extra-ATCs on the stable roll"
    );
}

/// The TC roll under a compatibility mode, against this tool's own: who it adds, who it
/// leaves off.
fn compat_difference(mode: &str) -> (Vec<String>, Vec<String>) {
    let (_a, ours) = roll_example(&[]);
    let (_b, theirs) = roll_example(&["--compat", mode]);
    let ours: Vec<&str> = txt(&ours, "tc.txt").lines().collect();
    let theirs: Vec<&str> = txt(&theirs, "tc.txt").lines().collect();
    let added = theirs
        .iter()
        .filter(|l| !ours.contains(l))
        .map(|l| (*l).to_owned())
        .collect();
    let removed = ours
        .iter()
        .filter(|l| !theirs.contains(l))
        .map(|l| (*l).to_owned())
        .collect();
    (added, removed)
}

#[test]
fn compat_reference_reproduces_the_reference_tooling_as_it_is_now() {
    // Domain-only folding: the case-variant accounts are two people, and the member lookup
    // finds only the lower-case one. Accounts without a full name vanish. Only the
    // `extra-acs` key is read (since 2023): the projects.yaml entries under `extra-atcs`
    // are ignored, the SIG's `extra-acs` counts, the TC's is read as `extra_acs` and never
    // matches.
    assert_eq!(
        compat_difference("reference"),
        (
            vec!["yara.haddad@example.org".to_owned()],
            [
                "Yara.haddad@example.org",
                "maren.belhaj@example.org",
                "ottilie.vance@example.org",
                "runa.calloway@example.org",
                "vesna.quarrie@example.org",
            ]
            .map(str::to_owned)
            .to_vec()
        )
    );
}

#[test]
fn compat_reference_replays_the_tooling_of_2016() {
    // In April 2016: `extra-atcs` read and never expired (the expired one comes back), SIG
    // and TC repositories and their extra-ACs not counted, no membership check, every
    // account its own person unless an address matches (domain folded).
    assert_eq!(
        compat_difference("reference@2016-04-01"),
        (
            ["ilario.dunmore@example.org", "yara.haddad@example.org"]
                .map(str::to_owned)
                .to_vec(),
            [
                "baptiste.orrin@example.org",
                "maren.belhaj@example.org",
                "runa.calloway@example.org",
            ]
            .map(str::to_owned)
            .to_vec()
        )
    );
}

#[test]
fn compat_reference_drops_the_first_change_of_a_duplicate_account() {
    let run = electorate(&[
        "explain",
        "--election",
        EXAMPLE,
        "--compat",
        "reference",
        "--format",
        "json",
        "olek.natarajan@example.org",
    ])
    .success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<&str> = json["people"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["decisions"][0]["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "change-qualifies",
            "change-dropped-duplicate-account",
            "change-qualifies"
        ]
    );
    let ours = electorate(&[
        "explain",
        "--election",
        EXAMPLE,
        "--format",
        "json",
        "olek.natarajan@example.org",
    ])
    .success();
    assert!(!ours.stdout.contains("change-dropped-duplicate-account"));
}

#[test]
fn without_out_nothing_is_written_and_json_is_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let run = electorate_in(
        dir.path(),
        &[
            "roll",
            "--election",
            &path(EXAMPLE),
            "--format",
            "json",
            "--quiet",
        ],
    )
    .success();
    let manifest: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(manifest["rolls"][0]["name"], "tc");
    assert_eq!(manifest["rolls"][0]["files"].as_array().unwrap().len(), 0);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_summary_accounts_for_every_row() {
    let run = electorate(&["roll", "--election", EXAMPLE, "--format", "json", "--quiet"]).success();
    let m: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let c = &m["changes"];
    let parts = [
        "used",
        "not_merged",
        "repo_not_governed",
        "repo_not_selected",
        "repo_retired",
        "outside_window",
        "branch_excluded",
        "dropped_duplicate_account",
        "rejected",
        "duplicates",
    ];
    let sum: u64 = parts.iter().map(|p| c[p].as_u64().unwrap()).sum();
    assert_eq!(sum, c["records"].as_u64().unwrap());
    assert_eq!(c["records"], 281);
    assert_eq!(
        c["repo_retired"], 1,
        "nova-docker retired before the window start"
    );
}

const EXTRA_ATC_ELECTION: &str = r#"
[election]
name = "expiry"
window = { start = "2015-03-04T00:00:00Z", end = "WINDOW_END" }

[inputs]
governance = "projects.yaml"
"#;

fn extra_atc_rolls(window_end: &str) -> Vec<String> {
    let months = [
        "January 2016",
        "Feb 2016",
        "March 2016",
        "Apr 2016",
        "May 2016",
        "June 2016",
        "Jul 2016",
        "August 2016",
        "Sept 2016",
        "Oct 2016",
        "November 2016",
        "Dec 2016",
    ];
    let mut projects = String::from(
        "Nova:\n  deliverables:\n    nova:\n      repos:\n        - openstack/nova\n  extra-atcs:\n",
    );
    for (i, month) in months.iter().enumerate() {
        projects.push_str(&format!(
            "    - name: Person {i}\n      email: m{:02}@example.org\n      expires-in: {month}\n",
            i + 1
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "election.toml",
                &EXTRA_ATC_ELECTION.replace("WINDOW_END", window_end),
            ),
            ("projects.yaml", &projects),
        ],
    );
    let out = dir.path().join("out");
    electorate(&[
        "roll",
        "--election",
        &dir.path().join("election.toml").display().to_string(),
        "--out",
        &out.display().to_string(),
        "--quiet",
    ])
    .success();
    std::fs::read_to_string(out.join("tc.txt"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn extra_atc_expiry_month_by_month() {
    // Valid while the window end is before the first day of the expires-in month.
    let valid = extra_atc_rolls("2016-03-04T00:00:00Z");
    let expected: Vec<String> = (4..=12).map(|m| format!("m{m:02}@example.org")).collect();
    assert_eq!(valid, expected);
    let valid = extra_atc_rolls("2016-03-31T23:59:59Z");
    assert_eq!(
        valid.first().map(String::as_str),
        Some("m04@example.org"),
        "April entries last until April starts"
    );
    let valid = extra_atc_rolls("2016-04-01T00:00:00Z");
    assert_eq!(
        valid.first().map(String::as_str),
        Some("m05@example.org"),
        "a window ending on April 1st 00:00 expires April entries"
    );
}

#[test]
fn distributed_leadership_teams_get_no_ptl_roll() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "election.toml",
                &EXTRA_ATC_ELECTION.replace("WINDOW_END", "2016-03-04T00:00:00Z"),
            ),
            (
                "projects.yaml",
                "Nova:\n  leadership_type: ptl\n  deliverables:\n    nova:\n      repos:\n        - openstack/nova\n\
                 Oslo:\n  leadership_type: distributed\n  deliverables:\n    oslo:\n      repos:\n        - openstack/oslo.config\n\
                 Swift:\n  deliverables:\n    swift:\n      repos:\n        - openstack/swift\n",
            ),
        ],
    );
    let election = dir.path().join("election.toml").display().to_string();
    let out = dir.path().join("out");
    let run = electorate(&[
        "roll",
        "--election",
        &election,
        "--out",
        &out.display().to_string(),
    ])
    .success();
    assert!(
        run.stdout
            .contains("not built: ptl-oslo (distributed leadership)\n"),
        "{}",
        run.stdout
    );
    let written: Vec<String> = files(&out).into_iter().map(|(name, _)| name).collect();
    assert!(written.contains(&"ptl-nova.txt".to_owned()), "{written:?}");
    assert!(
        written.contains(&"ptl-swift.txt".to_owned()),
        "no leadership_type means a PTL"
    );
    assert!(!written.iter().any(|name| name.starts_with("ptl-oslo")));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["not_built"],
        serde_json::json!([{
            "name": "ptl-oslo",
            "team": "Oslo",
            "leadership": "distributed",
            "reason": "the team's leadership_type is \"distributed\"; roll \"ptl\" is built for teams led by ptl"
        }])
    );
    // A team with distributed leadership holds no PTL election: a candidacy for it is a
    // finding (exit 1), not a failure to run.
    let candidacy = electorate(&[
        "candidacy",
        "--election",
        &election,
        "--team",
        "Oslo",
        "someone@example.org",
    ])
    .code(1);
    assert_eq!(
        candidacy.stdout,
        "someone@example.org: NOT eligible for ptl-oslo (candidate-no-election; team Oslo: the team's leadership_type is \"distributed\"; roll \"ptl\" is built for teams led by ptl)\n"
    );
    write_tree(
        dir.path(),
        &[
            ("candidates/Oslo/someone@example.org", "fictional"),
            ("candidates/Swift/.placeholder", ""),
        ],
    );
    let tree = dir.path().join("candidates").display().to_string();
    let run = electorate(&["candidacy", "--election", &election, "--dir", &tree]).code(1);
    assert!(
        run.stdout.starts_with(&format!(
            "{tree}/Oslo/someone@example.org: NOT eligible for ptl-oslo (candidate-no-election; team Oslo: the team's leadership_type is \"distributed\"; roll \"ptl\" is built for teams led by ptl)\n\
             elections:\n  ptl-nova: no eligible candidate: leaderless\n  ptl-swift: no eligible candidate: leaderless\n"
        )),
        "the distributed team has no election to list: {}",
        run.stdout
    );
}

#[test]
fn a_team_led_another_way_can_have_its_own_roll() {
    let dir = tempfile::tempdir().unwrap();
    let policy = electorate(&["policy", "show", "openstack"])
        .success()
        .stdout
        + "\n[[roll]]\nid = \"liaison\"\ntitle = \"Liaisons of distributed teams\"\nper = \"team\"\nstatuses = [\"atc\"]\nleadership = [\"Distributed\"]\n";
    write_tree(
        dir.path(),
        &[
            (
                "election.toml",
                &EXTRA_ATC_ELECTION
                    .replace("WINDOW_END", "2016-03-04T00:00:00Z")
                    .replace("[inputs]", "policy = \"policy.toml\"\n\n[inputs]"),
            ),
            ("policy.toml", &policy),
            (
                "projects.yaml",
                "Nova:\n  deliverables:\n    nova:\n      repos:\n        - openstack/nova\n\
                 Oslo:\n  leadership_type: distributed\n  deliverables:\n    oslo:\n      repos:\n        - openstack/oslo.config\n",
            ),
        ],
    );
    let election = dir.path().join("election.toml").display().to_string();
    let out = dir.path().join("out");
    electorate(&[
        "roll",
        "--election",
        &election,
        "--out",
        &out.display().to_string(),
        "--quiet",
    ])
    .success();
    let written: Vec<String> = files(&out).into_iter().map(|(name, _)| name).collect();
    assert!(
        written.contains(&"liaison-oslo.txt".to_owned()),
        "{written:?}"
    );
    assert!(
        !written.contains(&"liaison-nova.txt".to_owned()),
        "leadership types compare without case"
    );
    let candidacy = electorate(&[
        "candidacy",
        "--election",
        &election,
        "--team",
        "Oslo",
        "someone@example.org",
        "--format",
        "json",
    ]);
    assert!(
        candidacy.stdout.contains("\"roll\": \"liaison-oslo\""),
        "the team's own per-team roll: {}{}",
        candidacy.stdout,
        candidacy.stderr
    );
}

/// The example's election with its change files listed as given, and the openstack policy
/// asking for `min_count` merged changes, rolled into a temporary directory.
fn roll_with_changes(changes: &[&str], min_count: u32) -> (tempfile::TempDir, common::Run) {
    roll_with_changes_and(changes, min_count, &[])
}

/// [`roll_with_changes`], with more files written into the election's directory.
fn roll_with_changes_and(
    changes: &[&str],
    min_count: u32,
    extra: &[(&str, &str)],
) -> (tempfile::TempDir, common::Run) {
    let dir = tempfile::tempdir().unwrap();
    let example = common::root().join("examples/newton-tc");
    let election = std::fs::read_to_string(example.join("election.toml"))
        .unwrap()
        .replace("policy = \"openstack\"", "policy = \"policy.toml\"");
    let listed: Vec<String> = changes.iter().map(|c| format!("{c:?}")).collect();
    let election = election.replace(
        "changes = [\"gerrit/changes.csv\", \"gerrit/glance-rest.json\"]",
        &format!("changes = [{}]", listed.join(", ")),
    );
    let policy = std::fs::read_to_string(common::root().join("policies/openstack.toml"))
        .unwrap()
        .replace("min_count = 1", &format!("min_count = {min_count}"));
    for entry in ["gerrit", "governance"] {
        for file in std::fs::read_dir(example.join(entry)).unwrap() {
            let file = file.unwrap();
            std::fs::create_dir_all(dir.path().join(entry)).unwrap();
            std::fs::copy(file.path(), dir.path().join(entry).join(file.file_name())).unwrap();
        }
    }
    std::fs::copy(example.join("members.csv"), dir.path().join("members.csv")).unwrap();
    write_tree(
        dir.path(),
        &[("election.toml", &election), ("policy.toml", &policy)],
    );
    write_tree(dir.path(), extra);
    let run = electorate_in(
        dir.path(),
        &["roll", "--election", "election.toml", "--out", "rolls"],
    );
    (dir, run)
}

#[test]
fn a_change_file_listed_twice_counts_each_change_once() {
    let once = ["gerrit/changes.csv", "gerrit/glance-rest.json"];
    let twice = [
        "gerrit/changes.csv",
        "gerrit/glance-rest.json",
        "gerrit/changes.csv",
    ];
    let (a, first) = roll_with_changes(&once, 2);
    let first = first.success();
    let (b, second) = roll_with_changes(&twice, 2);
    let second = second.success();
    let tc =
        |dir: &tempfile::TempDir| std::fs::read_to_string(dir.path().join("rolls/tc.txt")).unwrap();
    assert_eq!(tc(&a), tc(&b), "the TC roll does not grow");
    assert!(tc(&a).lines().count() > 0);
    assert!(!first.stderr.contains("repeat"), "{}", first.stderr);
    assert!(
        second
            .stderr
            .contains("gerrit/changes.csv:2: this file is listed more than once among the change inputs: 230 changes of it were already read at its first listing; each is counted once"),
        "{}",
        second.stderr
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(b.path().join("rolls/manifest.json")).unwrap(),
    )
    .unwrap();
    let rows = std::fs::read_to_string(a.path().join("gerrit/changes.csv"))
        .unwrap()
        .lines()
        .count() as u64
        - 1;
    assert_eq!(manifest["changes"]["duplicates"], rows);
}

#[test]
fn two_records_of_one_change_that_disagree_are_an_error_naming_both() {
    let csv = std::fs::read_to_string(path("examples/newton-tc/gerrit/changes.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    // Change 100001, merged a year earlier by the second file's account.
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("100001,"));
    let again = format!("{header}\n{}\n", row.replace("2015-09-16", "2014-09-16"));
    let extra = [("gerrit/again.csv", again.as_str())];
    let (_dir, run) = roll_with_changes_and(&["gerrit/changes.csv", "gerrit/again.csv"], 1, &extra);
    let run = run.code(2);
    assert!(
        run.stderr.contains("gerrit/again.csv:2")
            && run.stderr.contains("gerrit/changes.csv:2")
            && run.stderr.contains("merged_at"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2014-09-16") && run.stderr.contains("2015-09-16"));
}

#[test]
fn rolls_rendered_on_two_threads_come_in_order_with_the_bytes_written() {
    use electorate::identity::People;
    use electorate::policy::Engine;
    use electorate::report::roll as render;

    let loaded = electorate::ingest::inputs::load(
        std::path::Path::new(&path(EXAMPLE)),
        &electorate::ingest::Silent,
    )
    .expect("the example loads");
    let election = &loaded.election;
    let policy = electorate::policy::builtin("openstack").expect("shipped policy");
    let people = People::resolve(election, electorate::model::Compat::NONE);
    let engine = Engine::new(&policy, election, &people);
    let evaluation = engine.evaluate(&election.dates);
    let rolls = electorate::roll::build(&engine, &evaluation, &election.dates);
    assert!(rolls.rolls.len() >= 4, "enough rolls for two threads");
    let rendered = render::render(&rolls, &loaded.diagnostics, true).unwrap();
    let names: Vec<&str> = rendered.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        render::file_names(rolls.rolls.iter().map(|r| r.name.as_str()), true)
    );
    let (_out, written) = roll_example(&[]);
    for (name, bytes) in &rendered.files {
        if name != "manifest.json" {
            assert_eq!(
                std::str::from_utf8(bytes).unwrap(),
                txt(&written, name),
                "{name}"
            );
        }
    }
}
