//! Every real ballot file in the shared data folder parses, with the candidate and
//! ballot counts its source publishes. The folder is not part of the project: without
//! it (or with `ELECTORATE_REAL_BALLOTS` pointing elsewhere) the test says so and passes.

use std::path::PathBuf;

use electorate::tally::{Ballots, InputFormat, read_ballots};

fn data_folder() -> Option<PathBuf> {
    let folder = std::env::var_os("ELECTORATE_REAL_BALLOTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ballots"),
        PathBuf::from,
    );
    folder.is_dir().then_some(folder)
}

/// (file, format, candidates, ballots cast)
const EXPECTED: &[(&str, InputFormat, usize, u64)] = &[
    ("burlington-mayor-2009.toi", InputFormat::Preflib, 6, 8980),
    ("cloudfoundry-toc-2022-elekto.csv", InputFormat::Civs, 4, 60),
    ("debian-dpl-2002.soi", InputFormat::Preflib, 4, 475),
    ("debian-dpl-2005.soi", InputFormat::Preflib, 7, 504),
    ("debian-dpl-2007.soi", InputFormat::Preflib, 9, 482),
    ("debian-dpl-2010.soi", InputFormat::Preflib, 5, 436),
    ("debian-dpl-2012.soi", InputFormat::Preflib, 4, 403),
    ("dublin-north-2002.soi", InputFormat::Preflib, 12, 43942),
    ("dublin-west-2002.soi", InputFormat::Preflib, 9, 29988),
    ("k8s-coc-2025-elekto.csv", InputFormat::Civs, 5, 6),
    (
        "k8s-steering-2017-civs-schulze.csv",
        InputFormat::Civs,
        20,
        309,
    ),
    (
        "k8s-steering-2019-civs-condorcet-irv.csv",
        InputFormat::Civs,
        11,
        377,
    ),
    (
        "k8s-steering-2020-civs-condorcet-irv.csv",
        InputFormat::Civs,
        10,
        312,
    ),
    ("k8s-steering-2022-elekto.csv", InputFormat::Civs, 8, 219),
    ("k8s-steering-2024-elekto.csv", InputFormat::Civs, 7, 233),
    ("meath-2002.soi", InputFormat::Preflib, 14, 64081),
    ("oakland-mayor-2010.toi", InputFormat::Preflib, 11, 119_256),
];

#[test]
fn every_real_ballot_file_parses() {
    let Some(folder) = data_folder() else {
        eprintln!("real ballot files not found; skipping");
        return;
    };
    for (name, format, candidates, cast) in EXPECTED {
        let path = folder.join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{name}: {error}"));
        let (set, detection) = read_ballots(name, &bytes, None, None)
            .unwrap_or_else(|error| panic!("{name} does not parse: {error}"));
        assert_eq!(detection.format, *format, "{name}");
        assert_eq!(set.candidates.len(), *candidates, "{name}");
        assert_eq!(set.ballots.total_weight(), *cast, "{name}");
        assert!(matches!(set.ballots, Ballots::Ranked(_)), "{name}");
    }
    // Files added to the folder later must parse too.
    for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).unwrap_or_default();
        if let Err(error) = read_ballots(&name, &bytes, None, None) {
            panic!("{name} does not parse: {error}");
        }
    }
}

#[test]
fn elekto_files_map_ids_through_a_candidates_file() {
    let Some(folder) = data_folder() else {
        eprintln!("real ballot files not found; skipping");
        return;
    };
    let name = "k8s-coc-2025-elekto.csv";
    let bytes = std::fs::read(folder.join(name)).unwrap_or_default();
    let candidates = electorate::tally::format::candidates::CandidateFile::parse(
        "candidates.csv",
        "id,name\nendocrimes,E\nsreeram-venkitesh,S\ndivya-mohan0209,D\nswatisehgal,Sw\nstmcginnis,St\n",
    )
    .unwrap();
    let (set, detection) = read_ballots(name, &bytes, None, Some(&candidates)).unwrap();
    assert_eq!(detection.format, InputFormat::Elekto);
    assert_eq!(set.candidates.name_at(4), "St");
}
