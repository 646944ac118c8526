//! `fetch changes` against a Gerrit on loopback: complete fetches, every fault with its
//! exact outcome (retried and complete, or a located error with nothing partial),
//! incremental runs, and the directory rules.

mod fetch_server;

use std::path::Path;
use std::time::{Duration, Instant as Clock};

use electorate::fetch::changes::{self, Manifest, Settings, Summary};
use electorate::fetch::http::{CredentialSource, Credentials, Http, Server, Timeouts};
use electorate::fetch::retry::Retry;
use electorate::fetch::{Error, Quiet};
use electorate::model::Window;
use fetch_server::{Change, Fault, Rule, State, generate};

const REPOS: [&str; 3] = ["x/alpha", "x/beta", "x/empty"];

fn instance() -> State {
    let mut state = State::default();
    generate(&mut state, &REPOS[..2], 10, 8);
    state.add_repo("x/empty");
    state
}

fn at(text: &str) -> electorate::model::Instant {
    text.parse().unwrap()
}

fn settings(url: &str, repos: &[&str], now: &str) -> Settings {
    Settings {
        server: Server::parse(url).unwrap(),
        authentication: None,
        election: None,
        window: Window::new(at("2015-03-04T00:00:00Z"), at("2016-03-04T00:00:00Z")),
        margin_days: 1,
        repos: repos.iter().map(|r| (*r).to_owned()).collect(),
        page_size: 3,
        jobs: 2,
        retry: Retry {
            attempts: 4,
            base: Duration::from_millis(5),
            cap: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(5),
        },
        now: at(now),
    }
}

fn http() -> Http {
    Http::new(
        Timeouts {
            connect: Duration::from_secs(2),
            // Far above any answer's time, even on a loaded machine; a hang outlasts it.
            read: Duration::from_secs(2),
        },
        None,
    )
}

fn run(server: &fetch_server::Server, out: &Path, repos: &[&str]) -> Result<Summary, Error> {
    changes::fetch(
        out,
        &settings(&server.url, repos, "2026-01-01T00:00:00Z"),
        &http(),
        &Quiet,
    )
}

/// Every file under a directory, relative path and bytes, sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            } else {
                let name = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .display()
                    .to_string();
                out.push((name, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The repository files only.
fn repo_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .filter(|(name, _)| name.starts_with("changes/"))
        .collect()
}

fn manifest(dir: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(dir.join("fetch-manifest.json")).unwrap()).unwrap()
}

/// What a fault-free fetch writes, for comparison.
fn clean_fetch() -> Vec<(String, Vec<u8>)> {
    let server = fetch_server::Server::start(instance());
    let dir = tempfile::tempdir().unwrap();
    run(&server, dir.path(), &REPOS).unwrap();
    repo_files(dir.path())
}

#[test]
fn a_fetch_writes_every_merged_change_once_sorted_by_number_and_a_manifest() {
    let server = fetch_server::Server::start(instance());
    let expected: Vec<(String, Vec<serde_json::Value>)> = server.with(|s| {
        s.changes
            .iter()
            .map(|(repo, list)| {
                let mut list: Vec<&Change> = list
                    .iter()
                    .filter(|c| {
                        c.submitted.as_str() >= "2015-03-03" && c.submitted.as_str() < "2016-03-05"
                    })
                    .collect();
                list.sort_by_key(|c| c.number);
                let values = list
                    .iter()
                    .map(|c| serde_json::from_str(&c.json).unwrap())
                    .collect();
                (format!("changes/{repo}.json"), values)
            })
            .collect()
    });
    let dir = tempfile::tempdir().unwrap();
    let summary = run(&server, dir.path(), &REPOS).unwrap();
    let files = repo_files(dir.path());
    let got: Vec<(String, Vec<serde_json::Value>)> = files
        .iter()
        .map(|(name, bytes)| (name.clone(), serde_json::from_slice(bytes).unwrap()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        files[2],
        ("changes/x/empty.json".to_owned(), b"[]\n".to_vec())
    );
    let alpha = expected[0].1.len() as u64;
    let beta = expected[1].1.len() as u64;
    let pages = |n: u64| n.div_ceil(3).max(1);
    assert_eq!(
        (
            summary.fetched,
            summary.changes,
            summary.pages,
            summary.requests
        ),
        (
            3,
            alpha + beta,
            pages(alpha) + pages(beta) + 1,
            pages(alpha) + pages(beta) + 1
        )
    );
    let manifest = manifest(dir.path());
    assert_eq!(
        manifest.tool,
        format!("electorate {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(manifest.kind, "gerrit-changes");
    assert_eq!(manifest.server, server.url);
    assert_eq!(manifest.authentication, "anonymous");
    assert_eq!(manifest.fetched_at, "2026-01-01T00:00:00Z");
    assert_eq!(
        (
            manifest.mergedafter.as_str(),
            manifest.mergedbefore.as_str()
        ),
        ("2015-03-03", "2016-03-05")
    );
    assert!(manifest.complete);
    for (record, (name, bytes)) in manifest.repositories.iter().zip(&files) {
        assert_eq!(&record.path, name);
        assert_eq!(record.sha256, electorate::fetch::sha256(bytes));
        assert_eq!(record.bytes, bytes.len() as u64);
    }
    assert_eq!(
        manifest.repositories[0].query,
        "status:merged project:x/alpha mergedafter:2015-03-03 mergedbefore:2016-03-05"
    );
    let names: Vec<String> = tree(dir.path()).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            ".electorate-fetch.lock",
            "changes/x/alpha.json",
            "changes/x/beta.json",
            "changes/x/empty.json",
            "fetch-manifest.json"
        ],
        "no journal or temporary file is left"
    );
    let log = server.with(|s| s.log.clone());
    assert!(
        log.iter()
            .all(|r| r.contains("&o=DETAILED_ACCOUNTS&o=CURRENT_REVISION&o=CURRENT_COMMIT")),
        "{log:?}"
    );
}

/// Run with one fault rule and expect the clean result after exactly `extra` more requests.
fn retried_and_complete(rule: Rule, extra: usize) -> Duration {
    let clean = clean_fetch();
    let server = fetch_server::Server::start(instance());
    let baseline = {
        let s = fetch_server::Server::start(instance());
        let d = tempfile::tempdir().unwrap();
        run(&s, d.path(), &REPOS).unwrap();
        s.requests()
    };
    server.with(|s| s.rules.push(rule));
    let dir = tempfile::tempdir().unwrap();
    let started = Clock::now();
    let summary = run(&server, dir.path(), &REPOS).unwrap();
    let took = started.elapsed();
    assert_eq!(
        repo_files(dir.path()),
        clean,
        "the files are those of a fault-free fetch"
    );
    assert_eq!(server.requests(), baseline + extra);
    assert_eq!(summary.requests as usize, baseline + extra);
    assert!(manifest(dir.path()).complete);
    took
}

#[test]
fn a_500_then_success_is_retried_and_complete() {
    retried_and_complete(
        Rule::new(
            &["project:x/alpha", "start=3&"],
            Fault::Status(500, None, "oops".into()),
            1,
        ),
        1,
    );
}

#[test]
fn a_429_waits_what_retry_after_asks_and_completes() {
    let took = retried_and_complete(
        Rule::new(
            &["project:x/beta", "start=0&"],
            Fault::Status(429, Some("1".into()), "slow down".into()),
            1,
        ),
        1,
    );
    assert!(took >= Duration::from_secs(1), "waited {took:?}");
}

#[test]
fn a_reset_connection_is_retried_and_complete() {
    retried_and_complete(
        Rule::new(&["project:x/alpha", "start=0&"], Fault::Reset, 2),
        2,
    );
}

#[test]
fn a_truncated_body_is_retried_and_complete() {
    retried_and_complete(
        Rule::new(&["project:x/beta", "start=3&"], Fault::Truncate, 1),
        1,
    );
}

#[test]
fn malformed_json_once_is_retried_and_complete() {
    retried_and_complete(
        Rule::new(&["project:x/alpha", "start=6&"], Fault::Malformed, 1),
        1,
    );
}

#[test]
fn a_server_that_goes_silent_is_timed_out_and_retried() {
    retried_and_complete(
        Rule::new(&["project:x/empty"], Fault::Hang(Duration::from_secs(5)), 1),
        1,
    );
}

#[test]
fn malformed_json_every_time_is_a_located_error_and_nothing_partial() {
    let server = fetch_server::Server::start(instance());
    server.with(|s| {
        s.rules.push(Rule::new(
            &["project:x/beta", "start=3&"],
            Fault::Malformed,
            usize::MAX,
        ));
    });
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        jobs: 1,
        ..settings(&server.url, &REPOS, "2026-01-01T00:00:00Z")
    };
    let err = changes::fetch(dir.path(), &settings, &http(), &Quiet).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot fetch query \"status:merged project:x/beta mergedafter:2015-03-03 mergedbefore:2016-03-05\" (start 3) from {}: answered with a body that is not what was expected (after 4 attempts): invalid JSON at line 2 column 35: EOF while parsing a string, expected an array of changes: \")]}}' [{{'_number':100016,'branch':'master\"",
            server.url
        )
    );
    let names: Vec<String> = tree(dir.path()).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            ".electorate-fetch.lock",
            "changes/x/alpha.json",
            "fetch-manifest.json"
        ],
        "alpha was done before beta failed; beta has no file, empty was never started"
    );
    let manifest = manifest(dir.path());
    assert!(!manifest.complete);
    assert_eq!(manifest.repositories.len(), 1);
    // The server is fixed: the next run fetches only what is missing.
    server.with(|s| s.rules.clear());
    server.clear_log();
    let summary = changes::fetch(dir.path(), &settings, &http(), &Quiet).unwrap();
    assert_eq!((summary.fetched, summary.unchanged), (2, 1));
    assert!(server.with(|s| s.log.iter().all(|r| !r.contains("x/alpha"))));
    assert_eq!(repo_files(dir.path()), clean_fetch());
}

#[test]
fn a_repository_that_404s_is_a_located_error_and_nothing_partial() {
    let server = fetch_server::Server::start(instance());
    server.with(|s| {
        s.rules.push(Rule::new(
            &["project:x/ghost"],
            Fault::Status(404, None, "Not found: x/ghost".into()),
            usize::MAX,
        ));
    });
    let dir = tempfile::tempdir().unwrap();
    let err = run(&server, dir.path(), &["x/ghost"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot fetch query \"status:merged project:x/ghost mergedafter:2015-03-03 mergedbefore:2016-03-05\" (start 0) from {}: answered 404 Not Found: \"Not found: x/ghost\"",
            server.url
        )
    );
    assert_eq!(server.requests(), 1, "a 404 is not asked again");
    assert!(!dir.path().join("changes").exists());
    assert!(!manifest(dir.path()).complete);
}

#[test]
fn a_page_repeating_a_change_reads_the_repository_again_and_misses_nothing() {
    let server = fetch_server::Server::start(instance());
    // After the first page of alpha, a change not yet seen moves to the front: the second
    // page repeats the first page's last change, and the moved one would be skipped.
    let hidden = server.with(|s| s.changes["x/alpha"][7].number);
    server.with(|s| {
        s.rules.push(Rule::new(
            &["project:x/alpha", "start=0&"],
            Fault::MoveToFront(hidden),
            1,
        ));
    });
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(&server.url, &["x/alpha"], "2026-01-01T00:00:00Z");
    let summary = changes::fetch(dir.path(), &settings, &http(), &Quiet).unwrap();
    let changes: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join("changes/x/alpha.json")).unwrap())
            .unwrap();
    let numbers: Vec<u64> = changes
        .iter()
        .map(|c| c["_number"].as_u64().unwrap())
        .collect();
    let mut expected: Vec<u64> = server.with(|s| {
        s.changes["x/alpha"]
            .iter()
            .filter(|c| c.submitted.as_str() >= "2015-03-03" && c.submitted.as_str() < "2016-03-05")
            .map(|c| c.number)
            .collect()
    });
    expected.sort_unstable();
    assert_eq!(
        numbers, expected,
        "each change once, the moved one included"
    );
    let moved = changes.iter().find(|c| c["_number"] == hidden).unwrap();
    assert_eq!(
        moved["updated"], "2030-01-01 00:00:00.000000000",
        "the later copy is kept"
    );
    let pages = (expected.len() as u64).div_ceil(3);
    assert_eq!(summary.pages, 2 * pages, "two passes over the query");
}

#[test]
fn a_second_run_asks_only_for_newer_changes_and_nothing_once_settled() {
    let server = fetch_server::Server::start(instance());
    let dir = tempfile::tempdir().unwrap();
    let during = settings(&server.url, &REPOS, "2016-02-01T12:00:00Z");
    let first = changes::fetch(dir.path(), &during, &http(), &Quiet).unwrap();
    assert_eq!(first.fetched, 3);
    // A change merges after the first fetch, and an old one is commented on.
    server.with(|s| {
        s.add(Change::new(
            200_001,
            "x/beta",
            "master",
            "2016-02-20 08:00:00",
            (1001, "Bram Arden", "bram.arden@example.org", "brama"),
            &[],
        ));
    });
    server.clear_log();
    let later = settings(&server.url, &REPOS, "2016-03-01T00:00:00Z");
    let second = changes::fetch(dir.path(), &later, &http(), &Quiet).unwrap();
    assert_eq!(
        (second.fetched, second.updated, second.unchanged),
        (0, 3, 0)
    );
    assert_eq!(second.files_written, 1, "only beta changed");
    let log = server.with(|s| s.log.clone());
    assert_eq!(log.len(), 3, "{log:?}");
    assert!(
        log.iter()
            .all(|r| r.contains("mergedafter:2016-01-31 mergedbefore:2016-03-05")),
        "{log:?}"
    );
    let beta = std::fs::read_to_string(dir.path().join("changes/x/beta.json")).unwrap();
    assert!(beta.contains("\"_number\":200001"));
    // The same data fetched at once gives the same files.
    let fresh = tempfile::tempdir().unwrap();
    changes::fetch(fresh.path(), &later, &http(), &Quiet).unwrap();
    assert_eq!(repo_files(dir.path()), repo_files(fresh.path()));
    // After the window (and margin) is over: no request at all.
    server.clear_log();
    let after = settings(&server.url, &REPOS, "2016-03-06T00:00:00Z");
    changes::fetch(dir.path(), &after, &http(), &Quiet).unwrap();
    let third = changes::fetch(dir.path(), &after, &http(), &Quiet).unwrap();
    assert_eq!((third.unchanged, third.requests), (3, 0));
    // A window that changes refetches every repository whole.
    server.clear_log();
    let widened = Settings {
        window: Window::new(at("2015-01-01T00:00:00Z"), at("2016-03-04T00:00:00Z")),
        ..after
    };
    let fourth = changes::fetch(dir.path(), &widened, &http(), &Quiet).unwrap();
    assert_eq!(fourth.fetched, 3);
}

#[test]
fn the_directory_is_the_tools_own() {
    let server = fetch_server::Server::start(instance());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let err = run(&server, dir.path(), &REPOS).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "refusing to write into {}: it holds files electorate did not write (notes.txt), expected an empty directory or one with electorate's fetch-manifest.json",
            dir.path().display()
        )
    );
    assert_eq!(server.requests(), 0);

    let dir = tempfile::tempdir().unwrap();
    run(&server, dir.path(), &["x/alpha"]).unwrap();
    // A file put where a repository's file goes is not overwritten.
    std::fs::create_dir_all(dir.path().join("changes/x")).unwrap();
    std::fs::write(dir.path().join("changes/x/beta.json"), "[]").unwrap();
    let err = run(&server, dir.path(), &REPOS).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} exists and electorate did not write it; refusing to overwrite it",
            dir.path().join("changes/x/beta.json").display()
        )
    );
    std::fs::remove_file(dir.path().join("changes/x/beta.json")).unwrap();
    // A file changed by hand is not overwritten either.
    std::fs::write(dir.path().join("changes/x/alpha.json"), "[]\n").unwrap();
    let err = run(&server, dir.path(), &REPOS).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} changed since electorate wrote it (its sha256 is not the manifest's); remove it to fetch it again",
            dir.path().join("changes/x/alpha.json").display()
        )
    );
    assert_eq!(
        std::fs::read(dir.path().join("changes/x/alpha.json")).unwrap(),
        b"[]\n"
    );
    // Another server's fetch is not mixed in.
    let err = changes::fetch(
        dir.path(),
        &settings("http://127.0.0.1:9", &REPOS, "2026-01-01T00:00:00Z"),
        &http(),
        &Quiet,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} holds a fetch from {}, not from http://127.0.0.1:9; fetch into another directory",
            dir.path().display(),
            server.url
        )
    );
}

#[test]
fn a_second_fetch_into_the_same_directory_is_refused_while_the_first_runs() {
    let server = fetch_server::Server::start(instance());
    server.with(|s| s.delay = Duration::from_millis(300));
    let dir = tempfile::tempdir().unwrap();
    std::thread::scope(|scope| {
        let first = scope.spawn(|| run(&server, dir.path(), &["x/alpha"]));
        // The first run asks the server only once it holds the lock, and each answer then
        // takes 300 ms: the second comes while the lock is held, however loaded the machine.
        let deadline = Clock::now() + Duration::from_secs(30);
        while server.requests() == 0 {
            assert!(
                Clock::now() < deadline,
                "the first fetch never asked the server"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let err = run(&server, dir.path(), &["x/alpha"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "another fetch is writing into {} (it holds the lock .electorate-fetch.lock); wait for it to finish",
                dir.path().display()
            )
        );
        first.join().unwrap().unwrap();
    });
}

#[test]
fn credentials_go_to_the_authenticated_endpoint_and_nowhere_else() {
    let credentials = Credentials::find("127.0.0.1", Some("jane:pa55word"), None)
        .unwrap()
        .unwrap();
    let server = fetch_server::Server::start(instance());
    server.with(|s| s.require_authorization = Some("Basic amFuZTpwYTU1d29yZA==".into()));
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        authentication: Some(CredentialSource::Environment),
        ..settings(&server.url, &["x/alpha"], "2026-01-01T00:00:00Z")
    };
    let transport = Http::new(Timeouts::default(), Some(&credentials));
    changes::fetch(dir.path(), &settings, &transport, &Quiet).unwrap();
    assert!(server.with(|s| s.log.iter().all(|r| r.starts_with("/a/changes/"))));
    let manifest_text = std::fs::read_to_string(dir.path().join("fetch-manifest.json")).unwrap();
    assert!(manifest_text.contains("\"authentication\": \"environment\""));
    for (_, bytes) in tree(dir.path()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("pa55word") && !text.contains("amFuZTpwYTU1d29yZA"));
    }
    // Without them, the server says 401 and the fetch stops at once.
    let dir = tempfile::tempdir().unwrap();
    let err = changes::fetch(dir.path(), &settings, &http(), &Quiet).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("answered 401 Unauthorized: \"Unauthorized\""),
        "{err}"
    );
}
