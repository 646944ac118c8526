//! Building every roll from a generated export of 1,000,000 changes (500 teams, 2,000
//! repositories, 50,000 people): reading, the engine, and rendering, separately and end to
//! end; and comparing two policies at 36 monthly dates. Run with `cargo bench --bench rolls`.

mod generate;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use electorate::identity::People;
use electorate::ingest::Silent;
use electorate::ingest::inputs::{self, Loaded};
use electorate::model::Compat;
use electorate::policy::Engine;
use electorate::report::roll as render;
use electorate::roll::{self, compare};

fn all_rolls(read: &Loaded, policy: &electorate::policy::Policy) -> usize {
    let election = &read.election;
    let people = People::resolve(election, Compat::NONE);
    let engine = Engine::new(policy, election, &people);
    let evaluation = engine.evaluate(&election.dates);
    let rolls = roll::build(&engine, &evaluation, &election.dates);
    let rendered = render::render(&rolls, &read.diagnostics, false).expect("render");
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
    group.finish();
}

criterion_group!(benches, rolls);
criterion_main!(benches);
