//! What IRV and every STV variant share once votes are counted: where each candidate
//! stands, how a round is written into the audit, and how the final ranking is read off
//! the count.
//!
//! Every count here records rounds the same way, so the audit reads the same whatever the
//! method: a round shows the tallies the round's decision was taken on (with the quota
//! and the exhausted votes at that point), who was elected or excluded on them, and the
//! votes that decision moved (which the next round's tallies then show).

use crate::tally::ballot::{CandidateIndex, Candidates};
use crate::tally::result::{CandidateState, CandidateTally, ExactVotes, Round, Transfer};

/// Where a candidate stands during a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Hopeful,
    Elected,
    Excluded,
    Withdrawn,
}

impl Status {
    /// The initial status of every candidate: withdrawn ones never take part.
    #[must_use]
    pub fn initial(candidates: &Candidates) -> Vec<Self> {
        candidates
            .iter()
            .map(|(_, candidate)| {
                if candidate.withdrawn {
                    Self::Withdrawn
                } else {
                    Self::Hopeful
                }
            })
            .collect()
    }

    /// The audit's name for the status.
    #[must_use]
    pub fn state(self) -> CandidateState {
        match self {
            Self::Hopeful => CandidateState::Hopeful,
            Self::Elected => CandidateState::Elected,
            Self::Excluded => CandidateState::Excluded,
            Self::Withdrawn => CandidateState::Withdrawn,
        }
    }
}

/// The status of `candidate` in `statuses` (withdrawn when out of range).
#[must_use]
pub fn status_of(statuses: &[Status], candidate: CandidateIndex) -> Status {
    statuses
        .get(candidate.index())
        .copied()
        .unwrap_or(Status::Withdrawn)
}

/// Every candidate's line in a round, in input order.
pub fn tallies(
    candidates: &Candidates,
    statuses: &[Status],
    votes: impl Fn(CandidateIndex) -> ExactVotes,
    keep_factor: impl Fn(CandidateIndex) -> Option<ExactVotes>,
) -> Vec<CandidateTally> {
    candidates
        .indices()
        .map(|candidate| CandidateTally {
            candidate: candidates.name(candidate).to_owned(),
            votes: votes(candidate),
            state: status_of(statuses, candidate).state(),
            keep_factor: keep_factor(candidate),
        })
        .collect()
}

/// A round with no decision or transfer yet; the count fills those in.
#[must_use]
pub fn round(number: u32, quota: Option<ExactVotes>, tallies: Vec<CandidateTally>) -> Round {
    Round {
        number,
        quota,
        tallies,
        exhausted: ExactVotes::whole(0),
        lost_to_rounding: None,
        elected: Vec::new(),
        eliminated: Vec::new(),
        transfers: Vec::new(),
        note: None,
    }
}

/// Names of `list`, in its order.
#[must_use]
pub fn names(candidates: &Candidates, list: &[CandidateIndex]) -> Vec<String> {
    list.iter()
        .map(|candidate| candidates.name(*candidate).to_owned())
        .collect()
}

/// A transfer line.
#[must_use]
pub fn transfer(
    candidates: &Candidates,
    from: CandidateIndex,
    to: Option<CandidateIndex>,
    votes: ExactVotes,
) -> Transfer {
    Transfer {
        from: candidates.name(from).to_owned(),
        to: to.map(|candidate| candidates.name(candidate).to_owned()),
        votes,
    }
}

/// The ranking of a finished (or stopped) count: the elected, as `elected` gives their
/// tiers in seat order; then the candidates neither elected nor excluded, by their last
/// votes (most first, equal votes sharing a tier); then the excluded, last exclusion
/// first, candidates excluded together sharing a tier.
///
/// `excluded` holds one entry per exclusion, in the order they happened. Candidates
/// decided in one step are never told apart by their input order or their names: that
/// would rank them by something the voters did not say.
pub fn final_ranking<K: Ord>(
    statuses: &[Status],
    elected: &[Vec<CandidateIndex>],
    excluded: &[Vec<CandidateIndex>],
    last_votes: impl Fn(CandidateIndex) -> K,
) -> Vec<Vec<CandidateIndex>> {
    let mut ranking: Vec<Vec<CandidateIndex>> = elected.to_vec();
    let mut rest: Vec<(K, CandidateIndex)> = statuses
        .iter()
        .enumerate()
        .filter(|(_, status)| **status == Status::Hopeful)
        .filter_map(|(position, _)| CandidateIndex::new(position))
        .map(|candidate| (last_votes(candidate), candidate))
        .collect();
    rest.sort_by(|(a_votes, a), (b_votes, b)| b_votes.cmp(a_votes).then(a.cmp(b)));
    let mut previous: Option<&K> = None;
    for (votes, candidate) in &rest {
        match ranking.last_mut() {
            Some(tier) if previous == Some(votes) => tier.push(*candidate),
            _ => ranking.push(vec![*candidate]),
        }
        previous = Some(votes);
    }
    ranking.extend(excluded.iter().rev().cloned());
    ranking
}

/// Candidates elected in one step, already sorted most votes first, as ranking tiers:
/// equal votes share a tier (their seat order, by name, says nothing about the voters).
pub fn tiers_by_votes<K: PartialEq>(
    sorted: &[CandidateIndex],
    votes: impl Fn(CandidateIndex) -> K,
) -> Vec<Vec<CandidateIndex>> {
    let mut tiers: Vec<(K, Vec<CandidateIndex>)> = Vec::new();
    for &candidate in sorted {
        let these = votes(candidate);
        match tiers.last_mut() {
            Some((level, tier)) if *level == these => tier.push(candidate),
            _ => tiers.push((these, vec![candidate])),
        }
    }
    tiers.into_iter().map(|(_, tier)| tier).collect()
}

/// `units / 10^decimals` with a sign, exactly (`lost_to_rounding` can be negative when
/// a rule rounds up and so creates votes).
#[must_use]
pub fn signed_fixed_point(units: i128, decimals: u32) -> ExactVotes {
    let magnitude = ExactVotes::fixed_point(units.unsigned_abs(), decimals);
    if units < 0 {
        ExactVotes::from_text(&format!("-{magnitude}")).unwrap_or(magnitude)
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(position: usize) -> CandidateIndex {
        CandidateIndex::new(position).unwrap()
    }

    #[test]
    fn the_ranking_puts_winners_then_the_rest_then_the_excluded() {
        let statuses = [
            Status::Elected,
            Status::Hopeful,
            Status::Excluded,
            Status::Hopeful,
            Status::Excluded,
            Status::Hopeful,
        ];
        let votes = [9, 4, 0, 4, 0, 6];
        let ranking = final_ranking(
            &statuses,
            &[vec![idx(0)]],
            &[vec![idx(4)], vec![idx(2)]],
            |c| votes[c.index()],
        );
        assert_eq!(
            ranking,
            vec![
                vec![idx(0)],
                vec![idx(5)],
                vec![idx(1), idx(3)],
                vec![idx(2)],
                vec![idx(4)]
            ]
        );
    }

    #[test]
    fn candidates_excluded_together_share_a_tier() {
        let statuses = [
            Status::Elected,
            Status::Excluded,
            Status::Excluded,
            Status::Excluded,
        ];
        let ranking = final_ranking(
            &statuses,
            &[vec![idx(0)]],
            &[vec![idx(3), idx(2)], vec![idx(1)]],
            |_| 0,
        );
        assert_eq!(
            ranking,
            vec![vec![idx(0)], vec![idx(1)], vec![idx(3), idx(2)]]
        );
    }

    #[test]
    fn candidates_elected_together_with_equal_votes_share_a_tier() {
        let votes = [5, 7, 5, 3];
        let sorted = [idx(1), idx(0), idx(2), idx(3)];
        assert_eq!(
            tiers_by_votes(&sorted, |c| votes[c.index()]),
            vec![vec![idx(1)], vec![idx(0), idx(2)], vec![idx(3)]]
        );
    }

    #[test]
    fn negative_fixed_point_keeps_its_sign() {
        assert_eq!(signed_fixed_point(-5, 3).as_str(), "-0.005");
        assert_eq!(signed_fixed_point(1_500, 3).as_str(), "1.500");
    }
}
