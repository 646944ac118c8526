//! STV speed: Meek (New Zealand rules, 9-decimal fixed point) end to end, reading the
//! ballot file and counting, on Meath 2002 (64,081 ballots, 14 candidates, 5 seats) when
//! the shared data folder has it, and always on a generated election of the same size.
//! The target is Meath under 0.2 s end to end. Run with `cargo bench --bench stv`.
//!
//! `ELECTORATE_REAL_BALLOTS` points at another folder of real ballot files.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use electorate::tally::method::{Method, StvOptions, StvVariant, TiedRank};
use electorate::tally::{Contest, TallyResult, read_ballots, tally};

fn method(variant: StvVariant) -> Method {
    Method::Stv(StvOptions {
        variant,
        tied_rank: TiedRank::Exhaust,
    })
}

/// Read and count, as `electorate tally FILE --method stv --seats N` does.
fn read_and_count(name: &str, bytes: &[u8], variant: StvVariant, seats: u32) -> TallyResult {
    let (set, _) = read_ballots(name, bytes, None, None).expect("ballots parse");
    let contest = Contest {
        seats,
        tie_seed: Some("bench".to_owned()),
        max_per_affiliation: None,
        default_option: None,
    };
    tally(&set, &method(variant), &contest).expect("a count")
}

/// A PrefLib `.soi` election shaped like an Irish constituency: 14 candidates in five
/// parties, 64,081 ballots; each voter ranks a favourite party's candidates first (in a
/// personal order), then wanders to others and stops after 1 to 14 preferences. A fixed
/// xorshift sequence makes it the same every run.
fn generated_election() -> String {
    const CANDIDATES: usize = 14;
    const VOTERS: u64 = 64_081;
    let party = |candidate: usize| candidate % 5;
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound
    };
    let mut text = String::from(
        "# FILE NAME: generated.soi\n# TITLE: Generated constituency\n# DATA TYPE: soi\n",
    );
    text.push_str(&format!("# NUMBER ALTERNATIVES: {CANDIDATES}\n"));
    text.push_str(&format!("# NUMBER VOTERS: {VOTERS}\n"));
    for candidate in 1..=CANDIDATES {
        text.push_str(&format!(
            "# ALTERNATIVE NAME {candidate}: Candidate {candidate} (party {})\n",
            party(candidate - 1)
        ));
    }
    // Party strengths (out of 100) and, within a party, each candidate's pull.
    let strength = [34u64, 26, 15, 14, 11];
    for _ in 0..VOTERS {
        let mut roll = next(100);
        let mut favourite = 0;
        while roll >= strength[favourite] {
            roll -= strength[favourite];
            favourite += 1;
        }
        let mut order: Vec<usize> = (0..CANDIDATES).filter(|c| party(*c) == favourite).collect();
        // Personal votes: shuffle the party's candidates, biased to the lower numbers.
        for i in (1..order.len()).rev() {
            let j = usize::try_from(next(i as u64 + 1)).unwrap_or(0);
            if next(3) > 0 {
                order.swap(i, j);
            }
        }
        let mut others: Vec<usize> = (0..CANDIDATES).filter(|c| party(*c) != favourite).collect();
        for i in (1..others.len()).rev() {
            let j = usize::try_from(next(i as u64 + 1)).unwrap_or(0);
            others.swap(i, j);
        }
        order.extend(others);
        let length = 1 + usize::try_from(next(CANDIDATES as u64)).unwrap_or(0);
        order.truncate(length.max(1));
        let ranking: Vec<String> = order.iter().map(|c| (c + 1).to_string()).collect();
        text.push_str("1: ");
        text.push_str(&ranking.join(","));
        text.push('\n');
    }
    text
}

fn data_file(name: &str) -> Option<Vec<u8>> {
    let folder = std::env::var_os("ELECTORATE_REAL_BALLOTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ballots"),
        PathBuf::from,
    );
    std::fs::read(folder.join(name)).ok()
}

fn stv(c: &mut Criterion) {
    let mut group = c.benchmark_group("stv");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));

    match data_file("meath-2002.soi") {
        Some(bytes) => {
            let winners = read_and_count("meath-2002.soi", &bytes, StvVariant::Meek, 5).winners;
            assert_eq!(winners.len(), 5);
            for variant in [StvVariant::Meek, StvVariant::Scottish, StvVariant::Ers] {
                let label = format!("meath-2002-{variant:?}-read-and-count").to_lowercase();
                group.bench_function(label, |b| {
                    b.iter(|| black_box(read_and_count("meath-2002.soi", &bytes, variant, 5)));
                });
            }
        }
        None => println!(
            "meath-2002.soi not found (shared data folder absent): skipping the Meath benchmark"
        ),
    }

    let generated = generated_election();
    group.bench_function("generated-64k-meek-read-and-count", |b| {
        b.iter(|| {
            black_box(read_and_count(
                "generated.soi",
                generated.as_bytes(),
                StvVariant::Meek,
                5,
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, stv);
criterion_main!(benches);
