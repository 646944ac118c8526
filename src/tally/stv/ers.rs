//! ERS97 (the Electoral Reform Society's rules, 3rd edition, 1997) with Gregory surplus
//! transfers, counted in exact rationals.
//!
//! What makes it ERS97, against the shared stage-by-stage engine in [`super::gregory`]:
//!
//! - a surplus is carried only by the *last parcel* of papers the candidate received
//!   (all their papers when elected on first preferences); its transferable papers
//!   share the surplus equally, but never carry more than their own value, and the part
//!   they cannot carry is exhausted;
//! - an excluded candidate's papers move one value at a time, highest value first, each
//!   a stage of its own, and anyone reaching the quota in between is elected and takes
//!   no more papers;
//! - ties look at the most recent earlier round first, then the draw.
//!
//! ERS97 itself works to two decimal places, rounding transfer values down; here every
//! value is an exact fraction (`num-rational` over `num-bigint`), so no vote is lost to
//! rounding and the audit writes values as decimals or `p/q` fractions. The quota is the
//! whole-number Droop quota, fixed for the count (ERS97's fractional, reducible quota is
//! not used).

use num_bigint::{BigInt, BigUint};
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};

use crate::tally::ballot::Candidates;
use crate::tally::method::TiedRank;
use crate::tally::result::ExactVotes;
use crate::tally::tie::TieBreaker;

use super::gregory::{self, ExclusionRule, Outcome, Rules, SurplusRule, Votes};
use super::papers::Papers;
use super::tiebreak::LookBack;

/// The tie rule of the ERS97 count.
pub const LOOK_BACK: LookBack = LookBack::Backwards;

/// An exact, non-negative number of votes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Exact(BigRational);

impl Votes for Exact {
    fn zero() -> Self {
        Self(BigRational::zero())
    }

    fn whole(count: u64) -> Self {
        Self(BigRational::from_integer(BigInt::from(count)))
    }

    fn plus(&self, other: &Self) -> Self {
        Self(&self.0 + &other.0)
    }

    fn minus(&self, other: &Self) -> Self {
        if other.0 > self.0 {
            return Self::zero();
        }
        Self(&self.0 - &other.0)
    }

    fn times(&self, count: u64) -> Self {
        Self(&self.0 * BigRational::from_integer(BigInt::from(count)))
    }

    fn weighted_share(surplus: &Self, value: &Self, total: &Self) -> Self {
        if total.0.is_zero() {
            return Self::zero();
        }
        Self(&surplus.0 * &value.0 / &total.0)
    }

    fn equal_share(surplus: &Self, count: u64) -> Self {
        if count == 0 {
            return Self::zero();
        }
        Self(&surplus.0 / BigRational::from_integer(BigInt::from(count)))
    }

    fn exact(&self) -> ExactVotes {
        exact_text(&self.0)
    }
}

/// A rational as [`ExactVotes`]: a decimal when the denominator has only the prime
/// factors 2 and 5 (at most 40 places), else `p/q` in lowest terms.
#[must_use]
pub fn exact_text(value: &BigRational) -> ExactVotes {
    let numerator = value.numer();
    let denominator = value.denom();
    let text = if denominator.is_one() {
        numerator.to_string()
    } else {
        let (mut rest, mut twos, mut fives) = (denominator.magnitude().clone(), 0u32, 0u32);
        let two = BigUint::from(2u32);
        let five = BigUint::from(5u32);
        while (&rest % &two).is_zero() {
            rest /= &two;
            twos += 1;
        }
        while (&rest % &five).is_zero() {
            rest /= &five;
            fives += 1;
        }
        let places = twos.max(fives);
        if rest.is_one() && places <= 40 {
            let scaled =
                numerator.magnitude() * BigUint::from(10u32).pow(places) / denominator.magnitude();
            let digits = format!("{scaled:0>width$}", width = places as usize + 1);
            let (whole, fraction) = digits.split_at(digits.len() - places as usize);
            let sign = if numerator < &BigInt::zero() { "-" } else { "" };
            format!("{sign}{whole}.{fraction}")
        } else {
            format!("{numerator}/{denominator}")
        }
    };
    ExactVotes::from_text(&text).unwrap_or_else(|| {
        // Unreachable for well-formed rationals; fall back to the nearest whole number
        // rather than panic in a count.
        ExactVotes::whole(value.to_integer().to_u64().unwrap_or(0))
    })
}

/// Count by the ERS97 rules in exact rationals.
pub fn count(
    candidates: &Candidates,
    papers: &Papers,
    seats: u32,
    tied_rank: TiedRank,
    ties: &mut TieBreaker<'_>,
) -> Outcome {
    gregory::count::<Exact>(
        candidates,
        papers,
        seats,
        tied_rank,
        Rules {
            surplus: SurplusRule::LastParcel,
            exclusion: ExclusionRule::ByValue,
            look_back: LOOK_BACK,
            rounds: false,
        },
        ties,
    )
}

/// The rules, one sentence each, for `options.rules`.
#[must_use]
pub fn rules() -> Vec<String> {
    vec![
        "ers97 (electoral reform society, 1997) with gregory transfers in exact rationals instead of ers97's two decimal places; the whole-number droop quota is fixed for the count".to_owned(),
        "a candidate with at least the quota is elected; surpluses are transferred largest first, before any exclusion".to_owned(),
        "a surplus is carried by the last parcel of papers the candidate received (all their papers if elected on first preferences): its transferable papers share it equally, never above their own value, and what they cannot carry is exhausted".to_owned(),
        "the hopeful candidate with the fewest votes is excluded; their papers move one transfer value at a time, highest first, each a round of its own, and a candidate reaching the quota meanwhile is elected and takes no more papers".to_owned(),
        LOOK_BACK.describe("exclusion or surplus order"),
        "when the hopeful candidates are no more than the seats left, they are all elected".to_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(numerator: i64, denominator: i64) -> BigRational {
        BigRational::new(BigInt::from(numerator), BigInt::from(denominator))
    }

    #[test]
    fn exact_values_are_decimals_or_fractions() {
        assert_eq!(exact_text(&ratio(5, 4)).as_str(), "1.25");
        assert_eq!(exact_text(&ratio(1, 3)).as_str(), "1/3");
        assert_eq!(exact_text(&ratio(6, 3)).as_str(), "2");
        assert_eq!(exact_text(&ratio(1, 40)).as_str(), "0.025");
    }
}
