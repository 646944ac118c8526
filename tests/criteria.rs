//! Each kind of criterion at its edges, on small elections built by the tests: thresholds,
//! trailing windows, meeting shares, rosters, AUC metrics, reviewers, git histories.

mod common;

use common::{electorate, write_tree};

/// Build an election in a temporary directory with `inputs` under `[inputs]` and
/// `policy.toml` as its policy; return the roll `roll` under it.
fn roll(files: &[(&str, &str)], inputs: &str, policy: &str, roll: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let election = format!(
        "[election]\nname = \"edges\"\nwindow = {{ start = \"2016-02-01T00:00:00Z\", end = \"2017-02-01T00:00:00Z\" }}\npolicy = \"policy.toml\"\n\n[inputs]\n{inputs}\n"
    );
    let mut all: Vec<(&str, &str)> = vec![("election.toml", &election), ("policy.toml", policy)];
    all.extend_from_slice(files);
    write_tree(dir.path(), &all);
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
    std::fs::read_to_string(out.join(format!("{roll}.txt")))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn policy(criterion: &str) -> String {
    format!(
        "[policy]\nname = \"edge\"\n\n[[status]]\nid = \"s\"\n\n[[status.criterion]]\nid = \"c\"\n{criterion}\n\n[[roll]]\nid = \"r\"\nstatuses = [\"s\"]\n"
    )
}

#[test]
fn min_count_and_a_trailing_window_open_at_its_start() {
    // as_of = 2017-02-01T00:00:00Z; 183 days before is 2016-08-02T00:00:00Z (out).
    let changes = "project,branch,owner_email,merged_at\n\
        ops/a,master,two@example.org,2016-12-01T00:00:00Z\n\
        ops/a,master,two@example.org,2017-01-31T23:59:59Z\n\
        ops/a,master,one@example.org,2016-12-01T00:00:00Z\n\
        ops/a,master,edge@example.org,2016-08-02T00:00:00Z\n\
        ops/a,master,edge@example.org,2016-12-01T00:00:00Z\n\
        ops/a,master,late@example.org,2016-08-02T00:00:01Z\n\
        ops/a,master,late@example.org,2017-02-01T00:00:00Z\n\
        ops/b,master,other@example.org,2016-12-01T00:00:00Z\n\
        ops/b,master,other@example.org,2016-12-02T00:00:00Z\n";
    let p = policy(
        "kind = \"code-change\"\nrepos = [\"ops/a\"]\nwindow = { days = 183 }\nmin_count = 2",
    );
    let voters = roll(
        &[("changes.csv", changes)],
        "changes = \"changes.csv\"",
        &p,
        "r",
    );
    assert_eq!(
        voters,
        ["late@example.org", "two@example.org"],
        "one change is too few; exactly 183 days before as_of is out; as_of itself is in; other repos do not count"
    );
}

const MEETING: &str = "People present (lines said)\n---------------------------\n";

#[test]
fn meeting_share_and_lines_thresholds() {
    // Eight meetings of one series between October and December 2016.
    let mut files: Vec<(String, String)> = Vec::new();
    let dates = [
        "2016-10-04",
        "2016-10-11",
        "2016-10-18",
        "2016-10-25",
        "2016-11-01",
        "2016-11-08",
        "2016-11-15",
        "2016-11-22",
    ];
    for (i, date) in dates.iter().enumerate() {
        let mut text = String::from(MEETING);
        text.push_str("* openstack (9)\n");
        if i < 2 {
            text.push_str("* quarter (13)\n"); // 2 of 8 = 25%, 26 lines: in
            text.push_str("* short (12)\n"); // 2 of 8, 24 lines: out
        }
        if i == 0 {
            text.push_str("* talker (101)\n"); // 1 of 8, 101 lines: in by lines alone
            text.push_str("* once (26)\n"); // 1 of 8 = 12.5%: out
        }
        files.push((format!("meetbot/wg.{date}-15.00.txt"), text));
    }
    let people = "[[person]]\nname = \"Q\"\nemails = [\"quarter@example.org\"]\nirc = [\"quarter\"]\n\
                  [[person]]\nname = \"S\"\nemails = [\"short@example.org\"]\nirc = [\"short\"]\n\
                  [[person]]\nname = \"T\"\nemails = [\"talker@example.org\"]\nirc = [\"talker_\"]\n\
                  [[person]]\nname = \"O\"\nemails = [\"once@example.org\"]\nirc = [\"once\"]\n\
                  [[person]]\nname = \"Bot\"\nemails = [\"bot@example.org\"]\nirc = [\"openstack\"]\n";
    files.push(("people.toml".to_owned(), people.to_owned()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let p = "[policy]\nname = \"wg\"\n\n[[status]]\nid = \"s\"\n\n\
             [[status.criterion]]\nid = \"share\"\nkind = \"meeting-attendance\"\nwindow = { days = 183 }\nmin_share = 0.25\nmin_lines = 26\n\n\
             [[status.criterion]]\nid = \"lines\"\nkind = \"meeting-attendance\"\nwindow = { days = 183 }\nmin_lines = 101\n\n\
             [[roll]]\nid = \"r\"\nstatuses = [\"s\"]\n";
    let voters = roll(
        &refs,
        "meetings = [\"meetbot\"]\nidentity = \"people.toml\"",
        p,
        "r",
    );
    assert_eq!(
        voters,
        ["quarter@example.org", "talker@example.org"],
        "the bot never counts"
    );
}

#[test]
fn roster_dates_and_metric_expiry() {
    let roster = "criterion,name,email,evidence,date\n\
        user-group-organiser,A,at-as-of@example.org,x,2017-02-01\n\
        user-group-organiser,B,too-old@example.org,x,2016-08-02\n\
        user-group-organiser,C,just-in@example.org,x,2016-08-03\n\
        track-chair,D,other-role@example.org,x,2016-12-01\n";
    let p = policy("kind = \"roster\"\nroles = [\"user-group-*\"]\nwindow = { days = 183 }");
    let voters = roll(
        &[("roster.csv", roster)],
        "rosters = [\"roster.csv\"]",
        &p,
        "r",
    );
    assert_eq!(voters, ["at-as-of@example.org", "just-in@example.org"]);

    let metrics = "identifier,value,member_email,expires\n\
        TRACK_CHAIR,x,valid@example.org,2017-02-01 00:00:01\n\
        TRACK_CHAIR,x,expired@example.org,2017-02-01 00:00:00\n\
        OTHER,x,other@example.org,2018-01-01\n\
        TRACK_CHAIR,x,forever@example.org,\n";
    let p = policy("kind = \"auc-metric\"\nidentifiers = [\"TRACK_*\"]\nexpiry = \"as-of\"");
    let voters = roll(
        &[("metrics.csv", metrics)],
        "auc_metrics = [\"metrics.csv\"]",
        &p,
        "r",
    );
    assert_eq!(
        voters,
        ["forever@example.org", "valid@example.org"],
        "valid while as_of is before expires"
    );
}

#[test]
fn reviewers_and_co_authors_are_credited_when_the_policy_says_so() {
    let rest = r#"[{"project":"p/q","branch":"master","status":"MERGED","_number":1,"submitted":"2016-06-01 00:00:00.000000000",
        "owner":{"_account_id":1,"email":"owner@example.org","name":"O"},
        "current_revision":"a","revisions":{"a":{"commit":{"message":"x\n\nCo-Authored-By: Co <co@example.org>\n"}}},
        "labels":{"Code-Review":{"all":[{"value":2,"_account_id":2,"email":"core@example.org"},{"value":1,"_account_id":3,"email":"plus-one@example.org"},{"value":-2,"_account_id":4,"email":"blocker@example.org"}]},
                  "Workflow":{"all":[{"value":1,"_account_id":5,"email":"approver@example.org"}]}}}]"#;
    let governance = "T:\n  deliverables:\n    q:\n      repos:\n        - p/q\n";
    let files = [("rest.json", rest), ("projects.yaml", governance)];
    let inputs = "changes = [\"rest.json\"]\ngovernance = \"projects.yaml\"";
    let owner_only = roll(&files, inputs, &policy("kind = \"code-change\""), "r");
    assert_eq!(owner_only, ["owner@example.org"]);
    let charter =
        std::fs::read_to_string(common::root().join("policies/charter-2026.toml")).unwrap();
    let with_reviewers = roll(&files, inputs, &charter, "tc");
    assert_eq!(
        with_reviewers,
        [
            "approver@example.org",
            "blocker@example.org",
            "core@example.org",
            "owner@example.org"
        ],
        "CR+2, CR-2 and W+1 count; CR+1 does not; co-authors do not under this policy"
    );
    let co = roll(
        &files,
        inputs,
        &policy("kind = \"code-change\"\ncredit = [\"owner\", \"co-author\"]"),
        "r",
    );
    assert_eq!(co, ["co@example.org", "owner@example.org"]);
}

#[test]
fn an_identity_file_links_a_nick_to_an_account() {
    let changes = "project,branch,owner_email,owner_account_id,merged_at\np/q,master,dev@example.org,77,2016-12-01T00:00:00Z\n";
    let meeting = format!("{MEETING}* dev_nick (40)\n");
    let people = "[[person]]\nname = \"Dev\"\ngerrit_ids = [77]\nirc = [\"dev_nick\"]\n";
    let p = policy("kind = \"meeting-attendance\"\nwindow = { days = 183 }\nmin_lines = 10");
    let voters = roll(
        &[
            ("changes.csv", changes),
            ("meetbot/wg.2016-12-06-15.00.txt", &meeting),
            ("people.toml", people),
        ],
        "changes = \"changes.csv\"\nmeetings = [\"meetbot\"]\nidentity = \"people.toml\"",
        &p,
        "r",
    );
    assert_eq!(
        voters,
        ["dev@example.org"],
        "the nick's attendance reaches the account's address through the identity file"
    );
}
