//! Ties that decide something: who takes the last seat, who is excluded in a round.
//!
//! Without a seed a deciding tie stays a tie: [`TieBreaker::settle`] returns `None`, the
//! method stops deciding at that point, and the result lists the tie as unresolved (the
//! command then exits 1). Input order never settles a tie.
//!
//! With `--tie-seed TEXT` the tie is settled by a draw anyone can repeat:
//!
//! 1. The tie's *description* is `PURPOSE: NAME, NAME, ...`, where `PURPOSE` says what
//!    the tie decides (`seat 3 of 3`, `exclusion in round 4`) and the names of the tied
//!    candidates are sorted by their UTF-8 bytes. It does not depend on input order.
//! 2. For each tied candidate, its digest is the SHA-256 of the UTF-8 text
//!    `SEED + "\n" + DESCRIPTION + "\n" + NAME` (no trailing newline), in lowercase hex.
//! 3. The candidates are ordered by digest, smallest first; the first is favoured (keeps
//!    the better place, takes the seat, survives the exclusion).
//!
//! Every draw is recorded with its seed, description, digests and order, so that
//! `printf '%s\n%s\n%s' "$SEED" "$DESCRIPTION" "$NAME" | sha256sum` checks it.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::ballot::{CandidateIndex, Candidates};

/// A tie that decided something, and how it was settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tie {
    /// What the tie decides, e.g. `seat 3 of 3`.
    pub purpose: String,
    /// The tied candidates' names, sorted.
    pub candidates: Vec<String>,
    /// `None` when no seed was given: the tie is reported, not settled.
    pub draw: Option<Draw>,
}

impl Tie {
    /// Whether the tie was left unsettled.
    #[must_use]
    pub fn is_unresolved(&self) -> bool {
        self.draw.is_none()
    }
}

/// A seeded draw, with everything needed to repeat it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draw {
    pub seed: String,
    /// `PURPOSE: NAME, NAME, ...` (names sorted).
    pub description: String,
    /// Each candidate's digest, in the drawn order.
    pub digests: Vec<DrawDigest>,
    /// The tied candidates, favoured first.
    pub order: Vec<String>,
}

/// One candidate's digest in a [`Draw`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrawDigest {
    pub candidate: String,
    /// SHA-256 of `seed + "\n" + description + "\n" + candidate`, lowercase hex.
    pub sha256: String,
}

/// The description of a tie: `purpose: ` then the names sorted by bytes, joined by `, `.
#[must_use]
pub fn describe(purpose: &str, names: &[&str]) -> String {
    let mut sorted = names.to_vec();
    sorted.sort_unstable();
    format!("{purpose}: {}", sorted.join(", "))
}

/// The digest one candidate draws: SHA-256 of `seed\ndescription\nname`, lowercase hex.
#[must_use]
pub fn draw_digest(seed: &str, description: &str, name: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(seed.as_bytes());
    hasher.update(b"\n");
    hasher.update(description.as_bytes());
    hasher.update(b"\n");
    hasher.update(name.as_bytes());
    crate::digest::hex(&hasher.finalize())
}

/// Settles (or reports) the ties a method meets, and remembers every one of them.
///
/// A method asks only about ties that decide something; a tie inside a ranking that no
/// seat depends on is shown as a shared tier, not as a [`Tie`].
#[derive(Debug)]
pub struct TieBreaker<'a> {
    candidates: &'a Candidates,
    seed: Option<String>,
    log: Vec<Tie>,
}

impl<'a> TieBreaker<'a> {
    /// A tie breaker for `candidates`; with `seed`, ties are settled by seeded draws.
    #[must_use]
    pub fn new(candidates: &'a Candidates, seed: Option<&str>) -> Self {
        Self {
            candidates,
            seed: seed.map(str::to_owned),
            log: Vec::new(),
        }
    }

    /// The seed, if ties are drawn.
    #[must_use]
    pub fn seed(&self) -> Option<&str> {
        self.seed.as_deref()
    }

    /// Settle a tie among `tied` for `purpose` (e.g. `seat 3 of 3`,
    /// `exclusion in round 4`; it must not depend on input order).
    ///
    /// Returns the tied candidates favoured first, or `None` when there is no seed: the
    /// tie is then recorded as unresolved and the caller must not decide it. A "tie" of
    /// fewer than two candidates is returned as is and not recorded.
    pub fn settle(
        &mut self,
        purpose: &str,
        tied: &[CandidateIndex],
    ) -> Option<Vec<CandidateIndex>> {
        if tied.len() < 2 {
            return Some(tied.to_vec());
        }
        let mut names: Vec<&str> = tied.iter().map(|c| self.candidates.name(*c)).collect();
        names.sort_unstable();
        let candidates: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        let Some(seed) = self.seed.clone() else {
            self.log.push(Tie {
                purpose: purpose.to_owned(),
                candidates,
                draw: None,
            });
            return None;
        };
        let description = describe(purpose, &names);
        let mut drawn: Vec<(String, CandidateIndex)> = tied
            .iter()
            .map(|&candidate| {
                let name = self.candidates.name(candidate);
                (draw_digest(&seed, &description, name), candidate)
            })
            .collect();
        // Equal digests would need equal names, which an election cannot have; the name
        // order is the documented fallback all the same.
        drawn.sort_by(|(a_digest, a), (b_digest, b)| {
            a_digest
                .cmp(b_digest)
                .then_with(|| self.candidates.name(*a).cmp(self.candidates.name(*b)))
        });
        let order: Vec<CandidateIndex> = drawn.iter().map(|(_, candidate)| *candidate).collect();
        self.log.push(Tie {
            purpose: purpose.to_owned(),
            candidates,
            draw: Some(Draw {
                seed,
                description,
                digests: drawn
                    .iter()
                    .map(|(digest, candidate)| DrawDigest {
                        candidate: self.candidates.name(*candidate).to_owned(),
                        sha256: digest.clone(),
                    })
                    .collect(),
                order: order
                    .iter()
                    .map(|candidate| self.candidates.name(*candidate).to_owned())
                    .collect(),
            }),
        });
        Some(order)
    }

    /// The ties met so far, in the order they were met.
    #[must_use]
    pub fn ties(&self) -> &[Tie] {
        &self.log
    }

    /// Whether some tie was left unresolved.
    #[must_use]
    pub fn has_unresolved(&self) -> bool {
        self.log.iter().any(Tie::is_unresolved)
    }

    /// Give up the log of ties, for the result.
    #[must_use]
    pub fn into_ties(self) -> Vec<Tie> {
        self.log
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates() -> Candidates {
        Candidates::from_names(&["Carol", "alice", "Bob"]).unwrap()
    }

    fn idx(position: usize) -> CandidateIndex {
        CandidateIndex::new(position).unwrap()
    }

    #[test]
    fn without_a_seed_a_tie_is_reported_not_settled() {
        let candidates = candidates();
        let mut ties = TieBreaker::new(&candidates, None);
        assert_eq!(ties.settle("seat 2 of 2", &[idx(0), idx(2)]), None);
        assert!(ties.has_unresolved());
        assert_eq!(
            ties.ties(),
            &[Tie {
                purpose: "seat 2 of 2".into(),
                candidates: vec!["Bob".into(), "Carol".into()],
                draw: None,
            }]
        );
    }

    #[test]
    fn a_single_candidate_is_not_a_tie() {
        let candidates = candidates();
        let mut ties = TieBreaker::new(&candidates, None);
        assert_eq!(ties.settle("seat 1 of 1", &[idx(1)]), Some(vec![idx(1)]));
        assert!(ties.ties().is_empty());
    }

    #[test]
    fn the_description_sorts_names_by_bytes() {
        assert_eq!(
            describe("seat 1 of 1", &["alice", "Carol", "Bob"]),
            "seat 1 of 1: Bob, Carol, alice"
        );
    }

    #[test]
    fn the_draw_does_not_depend_on_input_order() {
        let candidates = candidates();
        let mut first = TieBreaker::new(&candidates, Some("seed"));
        let mut second = TieBreaker::new(&candidates, Some("seed"));
        let a = first.settle("seat 1 of 1", &[idx(0), idx(1), idx(2)]);
        let b = second.settle("seat 1 of 1", &[idx(2), idx(0), idx(1)]);
        assert_eq!(a, b);
        assert_eq!(first.ties(), second.ties());
    }

    #[test]
    fn a_known_digest_matches_sha256sum() {
        // printf 'seed\nseat 1 of 1: Bob, Carol\nBob' | sha256sum
        assert_eq!(
            draw_digest("seed", "seat 1 of 1: Bob, Carol", "Bob"),
            "953b3a8a2410eabd09914e0c5a3b1646864f0d66de6304e746c519d78258d5f3"
        );
    }
}
