//! Scottish STV: the count of the Scottish Local Government Elections Order 2007
//! (weighted inclusive Gregory), in fixed-point decimals truncated to 5 places.
//!
//! What makes it Scottish, against the shared stage-by-stage engine in
//! [`super::gregory`]:
//!
//! - a surplus is carried by *all* the elected candidate's papers, each at a transfer
//!   value of `surplus × the paper's value / the candidate's votes`, calculated to 5
//!   decimal places with any remainder ignored; the part of the surplus the truncation
//!   drops is shown as lost to rounding;
//! - an excluded candidate's papers all move in one stage, each at its own value;
//! - ties look at the earliest round first (the order speaks of "the earliest stage of
//!   the count at which they had an unequal number of votes"), then the draw.
//!
//! Vote totals are exact: a paper's value has 5 decimals and a total is a sum of whole
//! numbers of papers times such values, so `u128` counts of 10^-5 never round.

use crate::tally::ballot::Candidates;
use crate::tally::method::TiedRank;
use crate::tally::result::ExactVotes;
use crate::tally::tie::TieBreaker;

use super::gregory::{self, ExclusionRule, Outcome, Rules, SurplusRule, Votes};
use super::papers::Papers;
use super::tiebreak::LookBack;

/// Decimal places of values and votes.
pub const DECIMALS: u32 = 5;
const SCALE: u128 = 100_000;

/// The tie rule of the Scottish count.
pub const LOOK_BACK: LookBack = LookBack::Forwards;

/// Votes in units of 10^-5.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fixed5(u128);

impl Votes for Fixed5 {
    fn zero() -> Self {
        Self(0)
    }

    fn whole(count: u64) -> Self {
        Self(u128::from(count) * SCALE)
    }

    fn plus(&self, other: &Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }

    fn minus(&self, other: &Self) -> Self {
        Self(self.0.saturating_sub(other.0))
    }

    fn times(&self, count: u64) -> Self {
        Self(self.0.saturating_mul(u128::from(count)))
    }

    /// `surplus × value / total` to 5 places, truncated. In units of 10^-5 that is
    /// `floor(s × v / t)`: the scales cancel but one.
    fn weighted_share(surplus: &Self, value: &Self, total: &Self) -> Self {
        if total.0 == 0 {
            return Self(0);
        }
        Self(surplus.0.saturating_mul(value.0) / total.0)
    }

    fn equal_share(surplus: &Self, count: u64) -> Self {
        if count == 0 {
            return Self(0);
        }
        Self(surplus.0 / u128::from(count))
    }

    fn exact(&self) -> ExactVotes {
        ExactVotes::fixed_point(self.0, DECIMALS)
    }
}

/// Count by the Scottish rules.
pub fn count(
    candidates: &Candidates,
    papers: &Papers,
    seats: u32,
    tied_rank: TiedRank,
    ties: &mut TieBreaker<'_>,
) -> Outcome {
    gregory::count::<Fixed5>(
        candidates,
        papers,
        seats,
        tied_rank,
        Rules {
            surplus: SurplusRule::WeightedInclusive,
            exclusion: ExclusionRule::OneStage,
            look_back: LOOK_BACK,
            rounds: true,
        },
        ties,
    )
}

/// The rules, one sentence each, for `options.rules`.
#[must_use]
pub fn rules() -> Vec<String> {
    vec![
        "scottish stv (scottish local government elections order 2007): weighted inclusive gregory".to_owned(),
        "a candidate with at least the quota is elected; surpluses are transferred largest first, before any exclusion".to_owned(),
        "a surplus is carried by all the elected candidate's papers, each at surplus × its value / the candidate's votes, truncated to 5 decimal places; the truncation is reported as lost to rounding".to_owned(),
        "papers with no next preference for a hopeful candidate are exhausted at the value they would have carried".to_owned(),
        "the hopeful candidate with the fewest votes is excluded and all their papers move on at once, each at its own value".to_owned(),
        LOOK_BACK.describe("exclusion or surplus order"),
        "when the hopeful candidates are no more than the seats left, they are all elected".to_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfer_values_are_truncated_to_five_places() {
        // 1/3 of a vote: 0.33333, the remainder ignored.
        let share = Fixed5::weighted_share(&Fixed5::whole(1), &Fixed5::whole(1), &Fixed5::whole(3));
        assert_eq!(share.exact().as_str(), "0.33333");
        // A paper already worth 0.5 carries half as much.
        let half = Fixed5(50_000);
        let share = Fixed5::weighted_share(&Fixed5::whole(1), &half, &Fixed5::whole(3));
        assert_eq!(share.exact().as_str(), "0.16666");
    }
}
