//! A synthetic election at OpenStack's whole-history scale, for benchmarks: a changes CSV,
//! projects.yaml, legacy.yaml, a SIG and TC repository file and a membership list. The
//! data is deterministic (a fixed-seed xorshift), so figures compare across runs. It is
//! written once under `target/bench-data/` and reused.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The shape of a generated election.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub changes: usize,
    pub teams: usize,
    pub repos: usize,
    pub people: usize,
}

pub(crate) const FULL: Shape = Shape {
    changes: 1_000_000,
    teams: 500,
    repos: 2_000,
    people: 50_000,
};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Generate (or reuse) the election; returns the path of its election.toml.
pub(crate) fn election(shape: Shape) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(format!(
            "{}-{}-{}-{}",
            shape.changes, shape.teams, shape.repos, shape.people
        ));
    let election = dir.join("election.toml");
    if election.exists() {
        return election;
    }
    fs::create_dir_all(&dir).expect("create bench data directory");
    write_election(&dir, shape);
    election
}

fn write_election(dir: &Path, shape: Shape) {
    let mut rng = Rng(0x5EED_2016_0304_0001);
    // Repositories: 90% official project-team repos, 4% retired, 2% SIG, 1% TC, 3% not governed.
    let repo_name = |r: usize| format!("openstack/repo-{r:04}");
    let mut projects = String::new();
    let mut legacy = String::new();
    let per_team = shape.repos * 90 / 100 / shape.teams;
    let mut next_repo = 0;
    for t in 0..shape.teams {
        let _ = writeln!(
            projects,
            "Team {t:03}:\n  ptl:\n    name: Lead {t}\n  deliverables:"
        );
        for d in 0..per_team {
            let _ = writeln!(
                projects,
                "    deliverable-{t}-{d}:\n      repos:\n        - {}",
                repo_name(next_repo)
            );
            next_repo += 1;
        }
        if t % 10 == 0 {
            let _ = writeln!(projects, "  extra-atcs:");
            for e in 0..3 {
                let month = ["January 2016", "Feb 2017", "June 2016"][e];
                let _ = writeln!(
                    projects,
                    "    - name: Extra {t}-{e}\n      email: extra{t}-{e}@example.org\n      expires-in: {month}"
                );
            }
        }
    }
    let retired = shape.repos * 4 / 100;
    let _ = writeln!(
        legacy,
        "Retired Team:\n  retired-on: 2015-10-06\n  deliverables:"
    );
    for d in 0..retired {
        let _ = writeln!(
            legacy,
            "    retired-{d}:\n      repos:\n        - {}",
            repo_name(next_repo)
        );
        next_repo += 1;
    }
    let mut sigs = String::from("Some SIG:\n");
    for _ in 0..shape.repos * 2 / 100 {
        let _ = writeln!(sigs, "  - repo: {}", repo_name(next_repo));
        next_repo += 1;
    }
    let mut tc = String::from("Technical Committee:\n");
    for _ in 0..shape.repos / 100 {
        let _ = writeln!(tc, "  - repo: {}", repo_name(next_repo));
        next_repo += 1;
    }
    fs::write(dir.join("projects.yaml"), projects).expect("write projects");
    fs::write(dir.join("legacy.yaml"), legacy).expect("write legacy");
    fs::write(dir.join("sigs-repos.yaml"), sigs).expect("write sigs");
    fs::write(dir.join("tc-repos.yaml"), tc).expect("write tc");

    // People: a long tail, as in real projects: person p contributes with weight ~ 1/(p+1).
    let mut changes = BufWriter::with_capacity(
        1 << 20,
        fs::File::create(dir.join("changes.csv")).expect("create changes"),
    );
    writeln!(changes, "change_number,change_id,project,branch,owner_account_id,owner_name,owner_email,owner_username,merged_at,status").unwrap();
    let start = 1_388_534_400i64; // 2014-01-01
    let span = 3 * 365 * 86_400i64;
    for n in 0..shape.changes {
        let person = {
            let u = rng.below(1_000_000) as f64 / 1_000_000.0;
            ((shape.people as f64).powf(u) as usize)
                .saturating_sub(1)
                .min(shape.people - 1)
        };
        let home = person % shape.repos;
        let repo = if rng.below(4) == 0 {
            rng.below(shape.repos)
        } else {
            home
        };
        let branch = if rng.below(20) == 0 {
            "stable/liberty"
        } else {
            "master"
        };
        let at = start + (rng.next() % span as u64) as i64;
        let status = if rng.below(25) == 0 {
            "ABANDONED"
        } else {
            "MERGED"
        };
        let time = chrono::DateTime::from_timestamp(at, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ");
        let merged_at = if status == "MERGED" {
            time.to_string()
        } else {
            String::new()
        };
        // Every 500th person has a second account with a case-variant address.
        let (account, email) = if person % 500 == 7 && n % 2 == 0 {
            (200_000 + person, format!("Person.{person}@example.org"))
        } else {
            (100_000 + person, format!("person.{person}@example.org"))
        };
        writeln!(
            changes,
            "{},I{:040x},{},{branch},{account},Person {person},{email},user{person},{merged_at},{status}",
            500_000 + n,
            rng.next() as u128 * 7919,
            repo_name(repo),
        )
        .unwrap();
    }
    changes.flush().unwrap();

    let mut members =
        BufWriter::new(fs::File::create(dir.join("members.csv")).expect("create members"));
    writeln!(members, "member_id,name,email").unwrap();
    for p in 0..shape.people {
        if p % 50 != 3 {
            writeln!(members, "{},Person {p},person.{p}@example.org", 10_000 + p).unwrap();
        }
    }
    members.flush().unwrap();
    fs::write(
        dir.join("election.toml"),
        "[election]\nname = \"benchmark\"\nwindow = { start = \"2015-03-04T00:00:00Z\", end = \"2016-03-04T00:00:00Z\" }\n\n[inputs]\nchanges = [\"changes.csv\"]\ngovernance = { projects = \"projects.yaml\", legacy = \"legacy.yaml\", sigs = \"sigs-repos.yaml\", tc_repos = \"tc-repos.yaml\" }\nmembers = \"members.csv\"\n",
    )
    .expect("write election");
}
