//! `electorate compare` on the shipped examples: side by side, over time, and the chart
//! the example's README shows.

mod common;

use common::electorate;

const OPS: &str = "examples/ops-recognition/election.toml";

fn compare(extra: &[&str]) -> common::Run {
    let mut args = vec![
        "compare",
        "--election",
        OPS,
        "--policy",
        "openstack",
        "--policy",
        "ops-as-atc",
        "--policy",
        "ops-status",
        "--policy",
        "auc-2016",
    ];
    args.extend_from_slice(extra);
    electorate(&args).success()
}

#[test]
fn the_ops_what_if_matches_its_snapshot() {
    insta::assert_snapshot!("ops_what_if_table", compare(&[]).stdout);
    insta::assert_snapshot!("ops_what_if_csv", compare(&["--format", "csv"]).stdout);
}

#[test]
fn json_gives_sizes_people_and_overlaps() {
    let json: serde_json::Value =
        serde_json::from_str(&compare(&["--format", "json"]).stdout).unwrap();
    assert_eq!(
        json["policies"],
        serde_json::json!(["openstack", "ops-as-atc", "ops-status", "auc-2016"])
    );
    let tc = json["rolls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roll"] == "tc")
        .unwrap();
    assert_eq!(tc["voters"], serde_json::json!([15, 25, 25, null]));
    let gained = tc["against_first"][0]["gained"].as_array().unwrap();
    assert_eq!(gained.len(), 10);
    assert!(
        gained.iter().all(|g| g["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .all(|c| c.starts_with("atc-ops-") || c == "atc-user-group-organiser")),
        "only the operator criteria add people: {gained:?}"
    );
    let overlap = json["overlaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["first"] == "openstack/atc" && o["second"] == "auc-2016/auc")
        .unwrap();
    assert_eq!(overlap["both"], 3, "three AUCs are ATCs already");
}

#[test]
fn the_bylaws_what_if_names_the_edge_people() {
    let run = electorate(&[
        "compare",
        "--election",
        "examples/newton-tc/election.toml",
        "--policy",
        "openstack",
        "--policy",
        "openstack-bylaws",
        "--format",
        "csv",
    ])
    .success();
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("gained,") || l.starts_with("lost,"))
        .filter(|l| l.contains(",tc,"))
        .collect();
    assert_eq!(
        lines,
        [
            "gained,openstack-bylaws,tc,gerrit:1029,Leila Yildiran,leila.yildiran@example.org,,atc-merged-change",
            "lost,openstack-bylaws,tc,gerrit:1026,Amaru Quispe,amaru.quispe@example.org,,change-before-window",
            "lost,openstack-bylaws,tc,gerrit:1027,Greta Velasquo,greta.velasquo@example.org,,change-before-window",
            "lost,openstack-bylaws,tc,gerrit:1032,Tomas Ravindran,tomas.ravindran@example.org,,change-before-window",
        ]
    );
}

#[test]
fn series_over_time_and_the_committed_chart() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("what-if.svg");
    let run = compare(&[
        "--from",
        "2016-03-01",
        "--to",
        "2017-06-01",
        "--every",
        "1month",
        "--roll",
        "tc",
        "--roll",
        "uc",
        "--format",
        "csv",
        "--chart",
        &chart.display().to_string(),
    ]);
    insta::assert_snapshot!("ops_series_csv", run.stdout);
    assert_eq!(
        run.stdout.lines().count(),
        1 + 16 * 4,
        "a header, then 16 dates x 4 series"
    );
    let drawn = std::fs::read_to_string(&chart).unwrap();
    let committed =
        std::fs::read_to_string(common::root().join("examples/ops-recognition/what-if.svg"))
            .unwrap();
    assert_eq!(
        drawn, committed,
        "the chart in the example's README is what the tool draws"
    );
}

#[test]
fn usage_errors() {
    let run = electorate(&["compare", "--election", OPS, "--policy", "openstack"]).code(2);
    assert_eq!(
        run.stderr,
        "error: give two or more --policy to compare, or --from, --to and --every for a series\n"
    );
    let run = electorate(&[
        "compare",
        "--election",
        OPS,
        "--policy",
        "openstack",
        "--from",
        "2016-01-01",
        "--to",
        "2016-02-01",
        "--every",
        "fortnight",
    ])
    .code(2);
    assert_eq!(
        run.stderr,
        "error: \"fortnight\" is not a step, expected a number and a unit such as 1month, 2weeks, 7days or 1year\n"
    );
    let run = electorate(&[
        "compare",
        "--election",
        OPS,
        "--policy",
        "openstack",
        "--from",
        "2016-01-01",
    ])
    .code(2);
    assert!(run.stderr.contains("--to <DATE>"), "{}", run.stderr);
}

#[test]
fn sizes_over_time_agree_with_full_rolls() {
    use electorate::identity::People;
    use electorate::ingest::{Silent, inputs};
    use electorate::model::Compat;
    use electorate::policy::Engine;
    use electorate::roll::{build_selected, compare as cmp};
    for (election, policy) in [
        ("examples/newton-tc/election.toml", "openstack-bylaws"),
        (OPS, "ops-as-atc"),
        (OPS, "auc-2018"),
    ] {
        let read = inputs::load(&common::root().join(election), &Silent).unwrap();
        let policy = electorate::policy::builtin(policy).unwrap();
        let people = People::resolve(&read.election, Compat::NONE);
        let engine = Engine::new(&policy, &read.election, &people);
        let election_dates = read.election.dates;
        let from = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
        let to = chrono::NaiveDate::from_ymd_opt(2017, 6, 1).unwrap();
        for date in cmp::dates(from, to, cmp::Step::Months(2)) {
            let dates = cmp::dates_ending(
                &election_dates,
                date.and_hms_opt(0, 0, 0).unwrap().and_utc(),
            );
            let evaluation = engine.evaluate(&dates);
            let full: Vec<(String, usize)> = build_selected(&engine, &evaluation, &|_| true)
                .into_iter()
                .map(|r| (r.name, r.voters.len()))
                .collect();
            let quick = electorate::roll::sizes_selected(&engine, &evaluation, &|_| true);
            assert_eq!(quick, full, "{election} under {} at {date}", policy.name);
        }
    }
}
