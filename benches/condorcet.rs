//! Schulze over 1,000,000 ballots and 30 candidates, end to end (read the file, count,
//! render the JSON result), and its parts separately. Run with
//! `cargo bench --bench condorcet`.
//!
//! The same ballots are written twice under `target/bench-data/`, once as a PrefLib TOI
//! file (58 MB) and once as a CIVS export (154 MB, what OpenStack and Kubernetes
//! publish), by a fixed-seed xorshift so figures compare across runs: candidates have
//! different popularity, so rankings correlate as real ones do; 40% of the ballots rank
//! all 30 candidates, the rest the first 1 to 29 of their order with the others
//! unranked; one ballot in ten ranks two neighbours equal. Nearly every ballot is
//! distinct, so merging identical ballots saves nothing here: this is the worst case.

use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use electorate::report::tally::write_json;
use electorate::tally::ballot::{BallotSet, Ballots, Unranked};
use electorate::tally::condorcet::pairwise::Pairwise;
use electorate::tally::method::{Contest, Method, SchulzeOptions, tally};
use electorate::tally::read_ballots;

const BALLOTS: usize = 1_000_000;
const CANDIDATES: usize = 30;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The two ballot files (CIVS export, PrefLib TOI) holding the same ballots, generated
/// on first use.
fn ballot_files() -> (PathBuf, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let civs = dir.join(format!("ballots-{BALLOTS}-{CANDIDATES}.csv"));
    let toi = dir.join(format!("ballots-{BALLOTS}-{CANDIDATES}.toi"));
    if civs.exists() && toi.exists() {
        return (civs, toi);
    }
    fs::create_dir_all(&dir).expect("create bench data directory");
    let partial = |path: &PathBuf| PathBuf::from(format!("{}.partial", path.display()));
    let create = |path: &PathBuf| BufWriter::new(fs::File::create(partial(path)).expect("create"));
    let (mut civs_out, mut toi_out) = (create(&civs), create(&toi));
    let names: Vec<String> = (0..CANDIDATES)
        .map(|c| format!("Candidate {c:02}"))
        .collect();
    writeln!(civs_out, "{}", names.join(",")).expect("write");
    write!(
        toi_out,
        "# FILE NAME: ballots.toi\n# TITLE: generated benchmark election\n# DATA TYPE: toi\n\
         # NUMBER ALTERNATIVES: {CANDIDATES}\n# NUMBER VOTERS: {BALLOTS}\n\
         # NUMBER UNIQUE ORDERS: {BALLOTS}\n"
    )
    .expect("write");
    for (c, name) in names.iter().enumerate() {
        writeln!(toi_out, "# ALTERNATIVE NAME {}: {name}", c + 1).expect("write");
    }
    let mut rng = Rng(0x5EED_C0DE_2017_1003);
    let mut order: Vec<(u64, usize)> = Vec::with_capacity(CANDIDATES);
    let mut ranks = vec![0usize; CANDIDATES];
    let (mut civs_line, mut toi_line) = (String::new(), String::new());
    for _ in 0..BALLOTS {
        // Popularity: a random score with an offset that favours low-numbered candidates.
        order.clear();
        for c in 0..CANDIDATES {
            let bias = (CANDIDATES - c) as u64 * 40;
            order.push((rng.below(1000) + bias, c));
        }
        order.sort_unstable_by(|a, b| b.cmp(a));
        let ranked = if rng.below(10) < 4 {
            CANDIDATES
        } else {
            1 + rng.below(CANDIDATES as u64 - 1) as usize
        };
        // One ballot in ten ranks the candidate at `tie_at + 1` equal to the one before.
        let tie_at = if ranked > 1 && rng.below(10) == 0 {
            Some(rng.below(ranked as u64 - 1) as usize)
        } else {
            None
        };
        ranks.iter_mut().for_each(|rank| *rank = 0);
        toi_line.clear();
        toi_line.push_str("1: ");
        let mut rank = 0;
        for (position, &(_, c)) in order.iter().take(ranked).enumerate() {
            let tied = position > 0 && Some(position - 1) == tie_at;
            if !tied {
                rank += 1;
            }
            ranks[c] = rank;
            // PrefLib: a tie is a braced group; here at most two candidates.
            match (tied, Some(position) == tie_at) {
                (true, _) => {
                    let _ = write!(toi_line, ",{}}}", c + 1);
                }
                (false, opens) => {
                    if position > 0 {
                        toi_line.push(',');
                    }
                    if opens {
                        toi_line.push('{');
                    }
                    let _ = write!(toi_line, "{}", c + 1);
                }
            }
        }
        civs_line.clear();
        for (c, &rank) in ranks.iter().enumerate() {
            if c > 0 {
                civs_line.push(',');
            }
            if rank == 0 {
                civs_line.push_str("No opinion");
            } else {
                let _ = write!(civs_line, "{rank}");
            }
        }
        writeln!(civs_out, "{civs_line}").expect("write");
        writeln!(toi_out, "{toi_line}").expect("write");
    }
    for (out, path) in [(civs_out, &civs), (toi_out, &toi)] {
        out.into_inner().expect("flush").sync_all().expect("sync");
        fs::rename(partial(path), path).expect("finish ballot file");
    }
    (civs, toi)
}

fn read(name: &str, bytes: &[u8]) -> BallotSet {
    read_ballots(name, bytes, None, None)
        .expect("generated ballots parse")
        .0
}

fn schulze() -> Method {
    Method::Schulze(SchulzeOptions::default())
}

fn contest() -> Contest {
    Contest {
        seats: 1,
        tie_seed: None,
        max_per_affiliation: None,
        default_option: None,
    }
}

/// What `electorate tally FILE --format json` does: read, count, render.
fn end_to_end(path: &Path) -> usize {
    let name = path.display().to_string();
    let bytes = fs::read(path).expect("read ballot file");
    let set = read(&name, &bytes);
    drop(bytes);
    let result = tally(&set, &schulze(), &contest()).expect("count");
    let mut json = Vec::new();
    write_json(&result, &mut json).expect("render");
    json.len()
}

fn condorcet(c: &mut Criterion) {
    let (civs, toi) = ballot_files();
    // Both files hold the same ballots: same winner, same matrix.
    let mut group = c.benchmark_group("schulze-1m-ballots-30-candidates");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));

    group.bench_function("end-to-end-preflib", |b| {
        b.iter(|| black_box(end_to_end(&toi)));
    });
    group.bench_function("end-to-end-civs", |b| {
        b.iter(|| black_box(end_to_end(&civs)));
    });

    let bytes = fs::read(&toi).expect("read ballot file");
    group.bench_function("read-preflib", |b| {
        b.iter(|| black_box(read("ballots.toi", &bytes)));
    });
    let set = read("ballots.toi", &bytes);
    drop(bytes);
    group.bench_function("count", |b| {
        b.iter(|| black_box(tally(&set, &schulze(), &contest()).expect("count")));
    });
    let Ballots::Ranked(ballots) = &set.ballots else {
        panic!("ranked ballots expected");
    };
    group.bench_function("merge-identical-ballots", |b| {
        b.iter(|| black_box(ballots.aggregated()));
    });
    group.bench_function("pairwise-matrix", |b| {
        b.iter(|| black_box(Pairwise::count(&set.candidates, ballots, Unranked::Ignore)));
    });
    group.finish();
}

criterion_group!(benches, condorcet);
criterion_main!(benches);
