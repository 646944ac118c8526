//! Fetching a generated Gerrit instance of 50,000 merged changes (20 repositories of
//! 2,500, pages of 100: 500 pages) from a server on loopback: a whole fetch into an empty
//! directory, and a second, incremental run over the finished directory (once the window
//! is over: no request, every file checked against its sha256; while it is open: one
//! request per repository for newer changes, merged in). Run with `cargo bench --bench
//! fetch`.

#[path = "../tests/fetch_server/mod.rs"]
mod fetch_server;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use electorate::fetch::Quiet;
use electorate::fetch::changes::{self, Settings};
use electorate::fetch::http::{Http, Server, Timeouts};
use electorate::fetch::retry::Retry;
use electorate::model::Window;

const REPOS: usize = 20;
const PER_REPO: usize = 2_500;

fn settings(url: &str, repos: &[String], now: &str) -> Settings {
    Settings {
        server: Server::parse(url).expect("loopback URL"),
        authentication: None,
        election: None,
        // Covers every generated merge (2015-03-01 .. 2016-03-10).
        window: Window::new(
            "2015-03-01T00:00:00Z".parse().expect("instant"),
            "2016-03-12T00:00:00Z".parse().expect("instant"),
        ),
        margin_days: 1,
        repos: repos.to_vec(),
        page_size: 100,
        jobs: 4,
        retry: Retry::default(),
        now: now.parse().expect("instant"),
    }
}

fn fetch(c: &mut Criterion) {
    let names: Vec<String> = (0..REPOS).map(|i| format!("bench/repo-{i:02}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut state = fetch_server::State::default();
    fetch_server::generate(&mut state, &refs, PER_REPO, 5_000);
    let server = fetch_server::Server::start(state);
    let http = Http::new(Timeouts::default(), None);
    let after = settings(&server.url, &names, "2016-06-01T00:00:00Z");
    let during = settings(&server.url, &names, "2016-03-08T00:00:00Z");

    let check = tempfile::tempdir().expect("temporary directory");
    let summary = changes::fetch(check.path(), &after, &http, &Quiet).expect("fetch");
    assert_eq!((summary.changes, summary.pages), (50_000, 500));

    let mut group = c.benchmark_group("fetch-50k-changes");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("whole-500-pages", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temporary directory"),
            |dir| black_box(changes::fetch(dir.path(), &after, &http, &Quiet).expect("fetch")),
            BatchSize::PerIteration,
        );
    });
    group.bench_function("second-run-window-over", |b| {
        b.iter(|| {
            let summary = changes::fetch(check.path(), &after, &http, &Quiet).expect("fetch");
            assert_eq!(summary.requests, 0);
            black_box(summary)
        });
    });
    let open = tempfile::tempdir().expect("temporary directory");
    changes::fetch(open.path(), &during, &http, &Quiet).expect("fetch");
    group.bench_function("second-run-window-open", |b| {
        b.iter(|| {
            let summary = changes::fetch(open.path(), &during, &http, &Quiet).expect("fetch");
            assert_eq!((summary.requests, summary.files_written), (REPOS as u64, 0));
            black_box(summary)
        });
    });
    group.finish();
}

criterion_group!(benches, fetch);
criterion_main!(benches);
