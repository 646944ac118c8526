//! Building every roll from a generated export of 1,000,000 changes (500 teams, 2,000
//! repositories, 50,000 people): reading, the engine, and rendering, separately and end to
//! end; comparing two policies at 36 monthly dates; and publishing the 1,005 files into a
//! directory on disk (under `target/`) that holds the previous set, with the same bytes
//! and with every file changed. Run with `cargo bench --bench rolls`.

mod generate;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use electorate::identity::People;
use electorate::ingest::Silent;
use electorate::ingest::inputs::{self, Loaded};
use electorate::model::Compat;
use electorate::policy::Engine;
use electorate::publish::{DirOptions, Output, publish_dir};
use electorate::report::roll as render;
use electorate::roll::{self, compare};

/// Every roll of the election rendered; with `listed`, the manifest among the files.
fn render_all(
    read: &Loaded,
    policy: &electorate::policy::Policy,
    listed: bool,
) -> render::RenderedRolls {
    let election = &read.election;
    let people = People::resolve(election, Compat::NONE);
    let engine = Engine::new(policy, election, &people);
    let evaluation = engine.evaluate(&election.dates);
    let rolls = roll::build(&engine, &evaluation, &election.dates);
    render::render(&rolls, &read.diagnostics, listed).expect("render")
}

fn all_rolls(read: &Loaded, policy: &electorate::policy::Policy) -> usize {
    let rendered = render_all(read, policy, false);
    let mut manifest = Vec::new();
    render::write_json(&rendered.manifest, &mut manifest).expect("json");
    rendered
        .files
        .iter()
        .map(|(_, bytes)| bytes.len())
        .sum::<usize>()
        + manifest.len()
}

fn rolls(c: &mut Criterion) {
    let election = generate::election(generate::FULL);
    let policy = electorate::policy::builtin("openstack").expect("shipped policy");
    let mut group = c.benchmark_group("rolls-1m-changes");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));

    group.bench_function("read-inputs", |b| {
        b.iter(|| black_box(inputs::load(&election, &Silent).expect("load")));
    });
    let bundle = inputs::load(&election, &Silent).expect("load");
    assert!(!bundle.diagnostics.has_errors(), "generated data is clean");
    group.bench_function("engine-and-render", |b| {
        b.iter(|| black_box(all_rolls(&bundle, &policy)));
    });
    let bylaws = electorate::policy::builtin("openstack-bylaws").expect("shipped policy");
    let dates = bundle.election.dates;
    let from = chrono::NaiveDate::from_ymd_opt(2014, 1, 1).expect("date");
    let at = compare::dates(
        from,
        from + chrono::Months::new(35),
        compare::Step::Months(1),
    );
    assert_eq!(at.len(), 36);
    let compare_36 = |bundle: &Loaded| {
        let people = People::resolve(&bundle.election, Compat::NONE);
        let first = Engine::new(&policy, &bundle.election, &people);
        let second = Engine::new(&bylaws, &bundle.election, &people);
        compare::over_time(&[&first, &second], &dates, &at, &|name| {
            name == "tc" || name == "stable-branch-maintenance"
        })
        .len()
    };
    group.bench_function("compare-2-policies-36-dates", |b| {
        b.iter(|| black_box(compare_36(&bundle)));
    });
    group.bench_function("compare-36-dates-end-to-end", |b| {
        b.iter(|| {
            let bundle = inputs::load(&election, &Silent).expect("load");
            black_box(compare_36(&bundle))
        });
    });
    group.bench_function("end-to-end", |b| {
        b.iter(|| {
            let bundle = inputs::load(&election, &Silent).expect("load");
            black_box(all_rolls(&bundle, &policy))
        });
    });
    // Publishing: the rendered set into a directory under target/ (the disk the build is
    // on), which already holds the previous run's set, as a re-run finds it.
    // Listed: the manifest among them, as `roll --out` writes it.
    let outputs: Vec<Output> = render_all(&bundle, &policy, true)
        .files
        .into_iter()
        .map(|(name, bytes)| Output::new(name, bytes))
        .collect();
    assert_eq!(outputs.len(), 1005);
    // Every file changed: the same set with one more line, then without it, in turn.
    let changed: Vec<Output> = outputs
        .iter()
        .map(|o| Output::new(o.name.clone(), [o.bytes.as_slice(), b"\n"].concat()))
        .collect();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-publish");
    let options = DirOptions::default();
    publish_dir(&dir, &outputs, &options).expect("publish");
    group.bench_function("publish-1005-files-unchanged", |b| {
        b.iter(|| black_box(publish_dir(&dir, &outputs, &options).expect("publish")));
    });
    let mut turn = false;
    group.bench_function("publish-1005-files-all-changed", |b| {
        b.iter(|| {
            turn = !turn;
            let set = if turn { &changed } else { &outputs };
            black_box(publish_dir(&dir, set, &options).expect("publish"))
        });
    });
    group.finish();
}

criterion_group!(benches, rolls);
criterion_main!(benches);
