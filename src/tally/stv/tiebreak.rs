//! Ties in transferable-vote counts: first the earlier rounds, then the draw.
//!
//! When candidates are level at the point where one must be excluded (or one surplus
//! transferred first), the rules of every count here first look at how the tied
//! candidates stood in the earlier rounds of the same count, and only if that does not
//! separate them ask the [`TieBreaker`] (the documented seeded draw, or an unresolved tie
//! that stops the count). Which earlier rounds are looked at first is the variant's rule:
//!
//! - [`LookBack::Backwards`] (IRV, ERS97): the most recent earlier round at which the
//!   tied candidates did not all have equal votes decides;
//! - [`LookBack::Forwards`] (Scottish STV, New Zealand Meek's "ahead at first
//!   difference"): the earliest round at which they did not all have equal votes
//!   decides.
//!
//! With three or more tied candidates a round may separate only some of them: the ones
//! that round puts at the losing end stay tied and the search goes on from that round.

use crate::tally::ballot::{CandidateIndex, Candidates};
use crate::tally::tie::TieBreaker;

/// Which earlier rounds are searched first for a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookBack {
    /// The latest earlier round first.
    Backwards,
    /// The first round first.
    Forwards,
}

impl LookBack {
    /// The rule as a sentence for `options.rules`, for `what` (e.g. "exclusion").
    #[must_use]
    pub fn describe(self, what: &str) -> String {
        match self {
            Self::Backwards => format!(
                "a tie for {what} is broken by the most recent earlier round at which the tied candidates had unequal votes (fewest loses), then by the seeded draw (--tie-seed), else it is reported and the count stops"
            ),
            Self::Forwards => format!(
                "a tie for {what} is broken by the earliest round at which the tied candidates had unequal votes (fewest loses; 'ahead at first difference'), then by the seeded draw (--tie-seed), else it is reported and the count stops"
            ),
        }
    }
}

/// Which end of a tie the caller is looking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The candidates with the fewest votes (who is excluded).
    Fewest,
    /// The candidates with the most votes (whose surplus goes first).
    Most,
}

/// Narrow `tied` by earlier rounds: `history[r][c]` is candidate `c`'s votes in round
/// `r` (only rounds before the tie). Returns the candidates still tied (one when the
/// history settles it), in the order given.
#[must_use]
pub fn narrow<K: Ord>(
    look: LookBack,
    want: Want,
    tied: &[CandidateIndex],
    history: &[Vec<K>],
) -> Vec<CandidateIndex> {
    let mut tied = tied.to_vec();
    let mut visit = |round: &Vec<K>| {
        if tied.len() < 2 {
            return;
        }
        let votes = |c: &CandidateIndex| round.get(c.index());
        let target = match want {
            Want::Fewest => tied.iter().map(votes).min(),
            Want::Most => tied.iter().map(votes).max(),
        }
        .flatten();
        tied.retain(|c| votes(c) == target);
    };
    match look {
        LookBack::Backwards => history.iter().rev().for_each(&mut visit),
        LookBack::Forwards => history.iter().for_each(&mut visit),
    }
    tied
}

/// Pick one of `tied` by earlier rounds, then by the [`TieBreaker`]: the candidate to
/// exclude ([`Want::Fewest`]) or to go first ([`Want::Most`]). `None` when only an
/// unresolved tie remains (recorded in `ties`; the count must stop).
pub fn pick<K: Ord>(
    look: LookBack,
    want: Want,
    tied: &[CandidateIndex],
    history: &[Vec<K>],
    purpose: &str,
    ties: &mut TieBreaker<'_>,
) -> Option<CandidateIndex> {
    let narrowed = narrow(look, want, tied, history);
    if let [only] = narrowed.as_slice() {
        return Some(*only);
    }
    // The draw favours its first candidate: the one that survives an exclusion, or the
    // one whose surplus goes first.
    let order = ties.settle(purpose, &narrowed)?;
    match want {
        Want::Fewest => order.last().copied(),
        Want::Most => order.first().copied(),
    }
}

/// A sentence for the round's note when `tied` held several candidates: who was tied
/// and what settled it. `None` for no tie.
#[must_use]
pub fn explain<K: Ord>(
    look: LookBack,
    want: Want,
    tied: &[CandidateIndex],
    history: &[Vec<K>],
    candidates: &Candidates,
) -> Option<String> {
    if tied.len() < 2 {
        return None;
    }
    let mut names: Vec<&str> = tied.iter().map(|c| candidates.name(*c)).collect();
    names.sort_unstable();
    let by = if narrow(look, want, tied, history).len() == 1 {
        "earlier rounds"
    } else {
        "the draw (or left unresolved)"
    };
    Some(format!("tie between {} settled by {by}", names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(position: usize) -> CandidateIndex {
        CandidateIndex::new(position).unwrap()
    }

    #[test]
    fn backwards_looks_at_the_latest_difference_first() {
        let history = vec![vec![1, 5, 9], vec![6, 5, 9]];
        let tied = [idx(0), idx(1)];
        assert_eq!(
            narrow(LookBack::Backwards, Want::Fewest, &tied, &history),
            vec![idx(1)]
        );
        assert_eq!(
            narrow(LookBack::Forwards, Want::Fewest, &tied, &history),
            vec![idx(0)]
        );
        assert_eq!(
            narrow(LookBack::Forwards, Want::Most, &tied, &history),
            vec![idx(1)]
        );
    }

    #[test]
    fn a_partial_difference_keeps_the_rest_tied() {
        let history = vec![vec![2, 2, 3], vec![4, 4, 4]];
        let tied = [idx(0), idx(1), idx(2)];
        assert_eq!(
            narrow(LookBack::Backwards, Want::Fewest, &tied, &history),
            vec![idx(0), idx(1)]
        );
    }

    #[test]
    fn without_history_or_seed_the_tie_is_reported() {
        let candidates = Candidates::from_names(&["A", "B"]).unwrap();
        let mut ties = TieBreaker::new(&candidates, None);
        let none: Vec<Vec<u64>> = Vec::new();
        let picked = pick(
            LookBack::Backwards,
            Want::Fewest,
            &[idx(0), idx(1)],
            &none,
            "exclusion in round 1",
            &mut ties,
        );
        assert_eq!(picked, None);
        assert!(ties.has_unresolved());
        let mut seeded = TieBreaker::new(&candidates, Some("seed"));
        let picked = pick(
            LookBack::Backwards,
            Want::Fewest,
            &[idx(0), idx(1)],
            &none,
            "exclusion in round 1",
            &mut seeded,
        );
        let order = &seeded.ties()[0].draw.as_ref().unwrap().order;
        assert_eq!(candidates.name(picked.unwrap()), order[1]);
    }
}
