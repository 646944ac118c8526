//! The outcome of a tally, as one value: the JSON contract and what the table report
//! renders.
//!
//! Field order here is key order in the JSON (serde writes struct fields in declaration
//! order), so reordering fields changes the contract. Candidates appear by name
//! everywhere; per-candidate lists follow input order unless they say otherwise.
//! Vote counts that can be fractional (STV) are [`ExactVotes`] strings, never binary
//! floating point.

use super::condorcet::default_option::MajorityRule;
use std::collections::BTreeMap;

use serde::Serialize;

use super::ballot::{CandidateIndex, Candidates, Unranked};
use super::method::{RankingRule, Strength, StvVariant, TiedRank};
use super::tie::Tie;

/// Everything a tally decided and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TallyResult {
    /// The method's command-line name (`schulze`, `stv`, ...).
    pub method: String,
    /// Every semantic choice the count made.
    pub options: Options,
    pub seats: u32,
    /// All candidates' names, in input order (withdrawn ones included).
    pub candidates: Vec<String>,
    /// Candidates withdrawn before the count, in input order.
    pub withdrawn: Vec<String>,
    /// Each candidate's affiliation, when a candidates file gave one.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub affiliations: BTreeMap<String, String>,
    pub ballots: BallotSummary,
    /// The elected candidates in the order they took their seats. Shorter than `seats`
    /// when an unresolved tie stopped the count (see `decided` and `ties`).
    pub winners: Vec<String>,
    /// Standing candidates, best first, as tiers; names within a tier are sorted by
    /// bytes and their order means nothing.
    pub ranking: Vec<Vec<String>>,
    /// False when a tie that decides a seat was left unresolved (no `--tie-seed`).
    pub decided: bool,
    /// Every tie that decided something, settled by a draw or not.
    pub ties: Vec<Tie>,
    /// Candidates passed over for a seat by `--max-per-affiliation`.
    pub skipped: Vec<SkippedCandidate>,
    /// Ballots the roll check set aside.
    pub rejected: Vec<RejectedBallot>,
    /// Turnout against the roll, when `--roll` was given.
    pub turnout: Option<Turnout>,
    /// The method's working: counts, pairwise matrices, rounds.
    pub audit: Audit,
}

impl TallyResult {
    /// Whether the command should exit 1: an unresolved deciding tie, or rejected
    /// ballots.
    #[must_use]
    pub fn has_problems(&self) -> bool {
        !self.decided || !self.rejected.is_empty()
    }
}

/// The semantic choices of a count, written out: what `--unranked`, `--strength`,
/// `--ranking`, `--stv`, ... resolved to, and the method's fixed rules as sentences.
/// Options that do not apply to the method are left out of the JSON, except the tie
/// rule, which always applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Options {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unranked: Option<Unranked>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strength: Option<Strength>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ranking: Option<RankingRule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stv: Option<StvVariant>,
    /// What a tier of several candidates does when IRV/STV reaches it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tied_rank: Option<TiedRank>,
    /// The quota rule, e.g. `droop: floor(valid votes / (seats + 1)) + 1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota: Option<String>,
    /// Arithmetic and rounding, e.g. `fixed point, 9 decimal places, rounded down`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<String>,
    /// Cumulative voting: the most votes one ballot may give.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes_per_ballot: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_per_affiliation: Option<u32>,
    /// The option every other must defeat to stay in the count (Debian's default option).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_option: Option<String>,
    /// With a default option: the ratio by which an option must defeat it, `N:M`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub majority: Option<String>,
    /// With a default option: how the ratio is compared (`at-least`, `more-than`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub majority_rule: Option<MajorityRule>,
    /// With a default option: the ballots that must prefer an option to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quorum: Option<u64>,
    /// `report` (ties stay unresolved) or `seeded-draw`.
    pub tie_break: TieBreak,
    /// The seed of the draw, `null` without one.
    pub tie_seed: Option<String>,
    /// The method's fixed rules, one sentence each (how a ballot counts, what a tie on a
    /// ballot does, ...).
    pub rules: Vec<String>,
}

/// How ties that decide something are handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieBreak {
    /// Reported as unresolved; the count decides nothing past them.
    #[default]
    Report,
    /// Settled by the SHA-256 draw documented in [`super::tie`].
    SeededDraw,
}

/// What was counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BallotSummary {
    /// The ballot file as the user named it.
    pub file: String,
    /// The format it was read as (`civs`, `blt`, ...).
    pub format: String,
    /// The election's title, when the file states one.
    pub title: Option<String>,
    /// Ballots counted (sum of weights), after the roll check.
    pub counted: u64,
    /// Ballots counted that mark no standing candidate.
    pub blank: u64,
    /// Ballot records (lines) in the file.
    pub records: usize,
    /// Ballots (sum of weights) the roll check rejected.
    pub rejected: u64,
}

/// A candidate passed over for a seat because their affiliation already held the most
/// seats `--max-per-affiliation` allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedCandidate {
    pub candidate: String,
    pub affiliation: String,
    /// The seat (1-based) they would have taken.
    pub seat: u32,
}

/// A ballot the roll check set aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedBallot {
    /// `file:line`.
    pub origin: String,
    /// The voter id as written on the ballot.
    pub voter: Option<String>,
    pub reason: RejectReason,
    /// For a second ballot: the `file:line` of the ballot that counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted_ballot: Option<String>,
    pub weight: u64,
}

/// Why the roll check set a ballot aside (stable kebab-case codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectReason {
    /// The voter id is not on the roll.
    NotOnRoll,
    /// The voter already cast a ballot earlier in the file; the first one counts.
    SecondBallot,
    /// The ballot carries no voter id, so it cannot be checked.
    NoVoterId,
}

impl RejectReason {
    /// The stable code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::NotOnRoll => "not-on-roll",
            Self::SecondBallot => "second-ballot",
            Self::NoVoterId => "no-voter-id",
        }
    }
}

/// Turnout against the roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Turnout {
    /// Distinct voters whose ballot counted.
    pub voted: u64,
    /// Distinct e-mail addresses on the roll.
    pub roll: u64,
    /// `voted / roll` as a percentage with two decimals, rounded half up (`"42.86"`).
    pub percent: String,
}

/// A vote total that can be fractional, written exactly: digits with an optional
/// decimal part (`"12"`, `"12.500000000"`, trailing zeros show the precision used) or,
/// when the value has no finite decimal expansion, a fraction in lowest terms
/// (`"37/3"`). A leading `-` is allowed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ExactVotes(String);

impl ExactVotes {
    /// A whole number of votes.
    #[must_use]
    pub fn whole(votes: u64) -> Self {
        Self(votes.to_string())
    }

    /// A fixed-point value: `units / 10^decimals`, every decimal written
    /// (`fixed_point(12_500, 3)` is `"12.500"`).
    #[must_use]
    pub fn fixed_point(units: u128, decimals: u32) -> Self {
        let digits = units.to_string();
        let decimals = decimals as usize;
        if decimals == 0 {
            return Self(digits);
        }
        let padded = format!("{digits:0>width$}", width = decimals + 1);
        let (whole, fraction) = padded.split_at(padded.len() - decimals);
        Self(format!("{whole}.{fraction}"))
    }

    /// An exact ratio, as a decimal when it has a finite expansion (at most 40
    /// decimals), else as `numerator/denominator` in lowest terms. `None` for a zero
    /// denominator.
    #[must_use]
    pub fn ratio(numerator: u128, denominator: u128) -> Option<Self> {
        if denominator == 0 {
            return None;
        }
        // gcd(0, 0) is 0; dividing by 1 then leaves the zero fraction as it is.
        let divisor = num_integer::Integer::gcd(&numerator, &denominator).max(1);
        let (numerator, denominator) = (numerator / divisor, denominator / divisor);
        let mut rest = denominator;
        let (mut twos, mut fives) = (0u32, 0u32);
        while rest % 2 == 0 {
            rest /= 2;
            twos += 1;
        }
        while rest % 5 == 0 {
            rest /= 5;
            fives += 1;
        }
        let decimals = twos.max(fives);
        if rest == 1 && decimals <= 40 {
            let scale = 10u128.checked_pow(decimals)?;
            let units = numerator.checked_mul(scale / denominator)?;
            return Some(Self::fixed_point(units, decimals));
        }
        Some(Self(format!("{numerator}/{denominator}")))
    }

    /// Check and wrap text already in the exact grammar (for big-number arithmetic that
    /// formats its own values).
    #[must_use]
    pub fn from_text(text: &str) -> Option<Self> {
        let body = text.strip_prefix('-').unwrap_or(text);
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        let valid = if let Some((whole, fraction)) = body.split_once('.') {
            all_digits(whole) && all_digits(fraction)
        } else if let Some((numerator, denominator)) = body.split_once('/') {
            all_digits(numerator)
                && all_digits(denominator)
                && denominator.bytes().any(|b| b != b'0')
        } else {
            all_digits(body)
        };
        valid.then(|| Self(text.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ExactVotes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A method's working, tagged by `kind` in the JSON. Each method fills one variant;
/// variants may gain fields (adding a field is compatible, renaming one is not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Audit {
    /// Plurality: first preferences per candidate.
    FirstPreferences(VoteCounts),
    /// Approval: approvals per candidate.
    Approvals(VoteCounts),
    /// Cumulative voting: votes per candidate.
    CumulativeVotes(VoteCounts),
    /// Schulze, ranked pairs, minimax, Condorcet-IRV.
    Condorcet(CondorcetAudit),
    /// IRV and STV.
    Rounds(RoundsAudit),
}

/// One number per candidate, plus the ballots that counted for no one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoteCounts {
    /// Standing candidates, most votes first, then by name.
    pub counts: Vec<CandidateCount>,
    /// Ballots that mark no standing candidate.
    pub blank: u64,
    /// Ballots that mark something but count for no one (plurality: several candidates
    /// ranked first; cumulative: over the cap).
    pub void: u64,
}

impl VoteCounts {
    /// Totals of the candidates in `ranking` (standing ones), best tier first and by name
    /// within a tier.
    #[must_use]
    pub fn in_ranking_order(
        ranking: &[Vec<CandidateIndex>],
        totals: &[u64],
        candidates: &Candidates,
        blank: u64,
        void: u64,
    ) -> Self {
        let mut counts = Vec::new();
        for tier in ranking {
            let mut names: Vec<(&str, u64)> = tier
                .iter()
                .map(|candidate| {
                    (
                        candidates.name(*candidate),
                        totals.get(candidate.index()).copied().unwrap_or(0),
                    )
                })
                .collect();
            names.sort_unstable();
            counts.extend(names.into_iter().map(|(name, votes)| CandidateCount {
                candidate: name.to_owned(),
                votes,
            }));
        }
        Self {
            counts,
            blank,
            void,
        }
    }
}

/// A candidate's whole-number total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateCount {
    pub candidate: String,
    pub votes: u64,
}

/// The pairwise working of a Condorcet method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CondorcetAudit {
    /// `cells[i][j]`: the ballots (sum of weights) ranking candidate `i` above `j`.
    pub pairwise: PairwiseMatrix,
    /// Schulze: the strength of the strongest path from `i` to `j`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strongest_paths: Option<StrengthMatrix>,
    /// Ranked pairs: every majority in the order considered, locked or skipped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locks: Vec<PairLock>,
    /// Condorcet-IRV: every step of the count, place by place (a Condorcet winner found,
    /// or first places counted and someone dropped).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<RunoffRound>,
    /// Minimax: each candidate's strongest defeat, in ranking order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub worst_defeats: Vec<WorstDefeat>,
    /// With a default option: each other option against it, before the count (the
    /// matrices above then leave the dropped options out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub against_default: Vec<AgainstDefault>,
}

/// One option measured against the default option, as Debian's constitution does before
/// the count: kept only when it defeats the default by the majority ratio and quorum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgainstDefault {
    pub candidate: String,
    /// Ballots preferring it to the default option.
    pub support: u64,
    /// Ballots preferring the default option to it.
    pub opposition: u64,
    /// Dropped from the count (ranked after every kept option).
    pub dropped: bool,
}

/// One step of Condorcet-IRV: looking for the candidate (or tier) that takes `place`
/// among the `considered` candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunoffRound {
    /// 1-based, counted across all places.
    pub number: u32,
    /// The place (1-based) being decided.
    pub place: u32,
    /// The candidates still considered for the place, in input order.
    pub considered: Vec<String>,
    /// The candidate that defeats every other considered one, when there is one.
    pub condorcet_winner: Option<String>,
    /// First places among the considered candidates, in input order; empty when a
    /// Condorcet winner made counting them unnecessary.
    pub first_places: Vec<CandidateCount>,
    /// Ballots that gave no first place to any considered candidate (none ranked, or
    /// a shared first tier under `tied_rank: exhaust`); `null` when not counted.
    pub exhausted: Option<u64>,
    /// The candidate with the fewest first places, no longer considered for the place.
    pub dropped: Option<String>,
    /// The candidates this round placed (the Condorcet winner, or a tier of candidates
    /// with equal first places).
    pub placed: Vec<String>,
    /// What the round did, in words.
    pub note: String,
}

/// A candidate's strongest defeat (minimax), `by` `null` when undefeated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorstDefeat {
    pub candidate: String,
    /// Who inflicts it (among equally strong defeats, the one with the most support,
    /// then the first by name).
    pub by: Option<String>,
    /// Ballots preferring `by` to the candidate.
    pub support: u64,
    /// Ballots preferring the candidate to `by`.
    pub opposition: u64,
}

/// A square matrix of whole numbers over some candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairwiseMatrix {
    /// Row and column names, in the same order.
    pub candidates: Vec<String>,
    pub cells: Vec<Vec<u64>>,
}

/// A square matrix of path strengths; `None` where there is no path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StrengthMatrix {
    pub candidates: Vec<String>,
    pub cells: Vec<Vec<Option<PathStrength>>>,
}

/// The strength of a majority or a path: the ballots for it and against it. With
/// winning votes, `support` decides and smaller `opposition` breaks ties; with
/// margins, `support - opposition` decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PathStrength {
    pub support: u64,
    pub opposition: u64,
}

/// One majority considered by ranked pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairLock {
    pub winner: String,
    pub loser: String,
    pub support: u64,
    pub opposition: u64,
    /// False when locking it would have made a cycle.
    pub locked: bool,
}

/// The rounds of an IRV or STV count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundsAudit {
    /// The quota at the first round (Meek recomputes it: see each round).
    pub quota: Option<ExactVotes>,
    pub rounds: Vec<Round>,
}

impl RoundsAudit {
    /// The candidates who took part in the count (not withdrawn), in input order.
    #[must_use]
    pub fn standing(&self) -> Vec<&str> {
        self.rounds.first().map_or_else(Vec::new, |round| {
            round
                .tallies
                .iter()
                .filter(|tally| tally.state != CandidateState::Withdrawn)
                .map(|tally| tally.candidate.as_str())
                .collect()
        })
    }
}

/// One round of an IRV or STV count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    /// 1-based.
    pub number: u32,
    /// The quota in force this round, if the method has one.
    pub quota: Option<ExactVotes>,
    /// Every candidate's votes at the end of the round, in input order.
    pub tallies: Vec<CandidateTally>,
    /// Votes on ballots with no continuing candidate left, cumulated.
    pub exhausted: ExactVotes,
    /// Votes lost to rounding so far, when the arithmetic rounds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_to_rounding: Option<ExactVotes>,
    /// Elected this round.
    pub elected: Vec<String>,
    /// Excluded this round.
    pub eliminated: Vec<String>,
    /// Votes moved this round.
    pub transfers: Vec<Transfer>,
    /// What the round did, in words (`surplus of Alice transferred`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A candidate's standing in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateTally {
    pub candidate: String,
    pub votes: ExactVotes,
    pub state: CandidateState,
    /// Meek's keep factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_factor: Option<ExactVotes>,
}

/// Where a candidate stands in an IRV/STV count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CandidateState {
    Hopeful,
    Elected,
    Excluded,
    Withdrawn,
}

/// Votes moved from one candidate to another (or to the exhausted pile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    pub from: String,
    /// `None`: the votes were exhausted.
    pub to: Option<String>,
    pub votes: ExactVotes,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_votes_are_written_exactly() {
        assert_eq!(ExactVotes::whole(7).as_str(), "7");
        assert_eq!(ExactVotes::fixed_point(12_500, 3).as_str(), "12.500");
        assert_eq!(ExactVotes::fixed_point(5, 3).as_str(), "0.005");
        assert_eq!(ExactVotes::fixed_point(5, 0).as_str(), "5");
        assert_eq!(ExactVotes::ratio(3, 4).unwrap().as_str(), "0.75");
        assert_eq!(ExactVotes::ratio(74, 6).unwrap().as_str(), "37/3");
        assert_eq!(ExactVotes::ratio(10, 5).unwrap().as_str(), "2");
        assert_eq!(ExactVotes::ratio(1, 0), None);
        assert!(ExactVotes::from_text("-1.25").is_some());
        assert!(ExactVotes::from_text("3/0").is_none());
        assert!(ExactVotes::from_text("1e5").is_none());
        assert!(ExactVotes::from_text("1.").is_none());
    }
}
