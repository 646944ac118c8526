//! `electorate explain`: the whole story of one person, with stable codes.

mod common;

use common::electorate;

const EXAMPLE: &str = "examples/newton-tc/election.toml";

fn explain_json(who: &str) -> serde_json::Value {
    let run = electorate(&["explain", "--election", EXAMPLE, "--format", "json", who]).success();
    let all: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(all["version"], 1);
    assert_eq!(all["query"], who);
    let people = all["people"].as_array().unwrap();
    assert_eq!(people.len(), 1, "one person matches {who}");
    people[0].clone()
}

fn roll_code(person: &serde_json::Value, roll: &str) -> String {
    person["rolls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roll"] == roll)
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no roll {roll}"))
}

#[test]
fn finds_people_by_address_account_username_and_name() {
    for who in [
        "yara.haddad@example.org",
        "YARA.HADDAD@EXAMPLE.ORG",
        "1033",
        "2033",
        "yarah",
        "Yara Haddad",
        "gerrit:1033",
    ] {
        let person = explain_json(who);
        assert_eq!(person["person"], "gerrit:1033", "{who}");
        assert_eq!(person["account_ids"], serde_json::json!([1033, 2033]));
    }
}

#[test]
fn outside_the_window_says_by_how_much() {
    let p = explain_json("zofia.farouk@example.org");
    assert_eq!(
        p["changes"][0]["decisions"][0]["code"],
        "change-before-window"
    );
    assert_eq!(
        p["changes"][0]["decisions"][0]["detail"],
        "1 second before the window start"
    );
    assert_eq!(
        roll_code(&p, "tc"),
        "change-before-window",
        "the decisive reason, not just \"no status\""
    );
    let p = explain_json("leila.yildiran@example.org");
    assert_eq!(
        p["changes"][0]["decisions"][0]["code"],
        "change-after-window"
    );
    assert_eq!(
        p["changes"][0]["decisions"][0]["detail"],
        "exactly at the window end, which is outside"
    );
}

#[test]
fn decisive_codes_for_each_kind_of_exclusion() {
    assert_eq!(
        roll_code(&explain_json("kofi.sorvino@example.org"), "tc"),
        "excluded-not-member"
    );
    assert_eq!(
        roll_code(
            &explain_json("ilario.dunmore@example.org"),
            "ptl-documentation"
        ),
        "extra-atc-expired"
    );
    let on = explain_json("vesna.quarrie@example.org");
    assert_eq!(roll_code(&on, "tc"), "on-roll");
    assert_eq!(roll_code(&on, "ptl-nova"), "on-roll");
    assert_eq!(
        roll_code(&on, "stable-branch-maintenance"),
        "excluded-no-status"
    );
    assert_eq!(on["statuses"][0]["criterion"], "extra-atc-listed");
}

#[test]
fn retired_and_ungoverned_repositories() {
    let p = explain_json("rosa.wozniak@example.org");
    let codes: Vec<&str> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["repo"] == "openstack/nova-docker")
        .map(|c| c["decisions"][0]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["change-repo-retired"]);
    let ungoverned: Vec<&str> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["repo"].as_str().unwrap().starts_with("stackforge/")
                || c["repo"].as_str().unwrap().starts_with("openstack-infra/")
        })
        .map(|c| c["decisions"][0]["code"].as_str().unwrap())
        .collect();
    assert!(
        ungoverned.iter().all(|c| *c == "change-repo-not-governed"),
        "{ungoverned:?}"
    );
}

#[test]
fn text_output_reads_well() {
    let run = electorate(&[
        "explain",
        "--election",
        EXAMPLE,
        "ilario.dunmore@example.org",
    ])
    .success();
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn nobody_matches_suggests_close_names_and_exits_1() {
    let run = electorate(&["explain", "--election", EXAMPLE, "kofi sorvno"]).code(1);
    assert_eq!(
        run.stderr,
        "nobody matches \"kofi sorvno\" in the inputs of Newton TC and PTL elections (fictional)\nhint: did you mean \"Kofi Sorvino\", \"kofis\", \"kofi.sorvino@example.org\"?\n"
    );
}
