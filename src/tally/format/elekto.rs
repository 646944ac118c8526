//! Elekto's ballot export: the CIVS shape (a first line of candidates, then one line of
//! ranks or `No opinion` per ballot) with candidate ids (GitHub accounts) instead of
//! names. A `--candidates` file with `id` and `name` columns gives the names to report;
//! without it the ids are the names.

use crate::tally::ballot::BallotSet;
use crate::tally::error::ParseError;
use crate::tally::format::InputFormat;
use crate::tally::format::civs::read_rank_grid;

/// Read an Elekto export.
///
/// # Errors
/// As for the CIVS export.
pub(super) fn read(file: &str, text: &str) -> Result<BallotSet, ParseError> {
    read_rank_grid(file, text, InputFormat::Elekto)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::format::candidates::CandidateFile;

    #[test]
    fn ids_are_kept_and_a_candidates_file_names_them() {
        let mut set = read("ballots.csv", "ann,bo\n1,No opinion\n").unwrap();
        assert_eq!(set.candidates.as_slice()[0].id.as_deref(), Some("ann"));
        let names = CandidateFile::parse(
            "c.csv",
            "id,name,affiliation\nbo,Bo Ray,Beta\nann,Ann Lee,\n",
        )
        .unwrap();
        names.apply(&mut set).unwrap();
        assert_eq!(set.candidates.name_at(0), "Ann Lee");
        assert_eq!(set.candidates.name_at(1), "Bo Ray");
        assert_eq!(
            set.candidates.as_slice()[1].affiliation.as_deref(),
            Some("Beta")
        );
    }

    #[test]
    fn every_candidate_needs_a_row_and_every_row_a_candidate() {
        let mut set = read("ballots.csv", "ann,bo\n1,2\n").unwrap();
        let names = CandidateFile::parse("c.csv", "id,name\nann,Ann Lee\n").unwrap();
        assert_eq!(
            names.apply(&mut set).unwrap_err().to_string(),
            "c.csv: found no row for candidate \"bo\" of ballots.csv, expected a row for every candidate"
        );
        let names = CandidateFile::parse("c.csv", "id,name\nann,Ann\nbo,Bo\nzed,Zed\n").unwrap();
        assert_eq!(
            names.apply(&mut set).unwrap_err().to_string(),
            "c.csv:4: unknown candidate \"zed\", expected a candidate of ballots.csv not matched by an earlier row (one of \"ann\", \"bo\")"
        );
    }
}
