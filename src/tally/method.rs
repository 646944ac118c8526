//! The nine counting methods, the options each one takes, and [`tally`], the one
//! function that runs a count and assembles its [`TallyResult`].
//!
//! Each [`Method`] variant carries only the options that mean something for it, so an
//! option cannot be silently ignored: the command line refuses `--strength` with
//! `--method irv` instead of dropping it. Options shared by every method (seats, tie
//! seed, affiliation cap) are the [`Contest`].
//!
//! [`tally`] does what every method needs done the same way: it checks the seats and
//! the cap, strikes withdrawn candidates from the ballots, merges identical ballots,
//! hands the method a [`RankedInput`] or [`ScoredInput`] and a [`TieBreaker`], and turns
//! the [`MethodOutcome`] (candidate indices) into the result (names, options, ties).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::approval;
use super::ballot::{
    BallotSet, Ballots, CandidateIndex, Candidates, RankedBallots, ScoredBallots, Unranked,
};
use super::condorcet;
pub use super::condorcet::default_option::{DefaultOption, MajorityRule};
use super::cumulative;
use super::error::TallyError;
use super::irv;
use super::plurality;
use super::result::{Audit, BallotSummary, Options, SkippedCandidate, TallyResult, TieBreak};
use super::seats::Skipped;
use super::stv;
use super::tie::TieBreaker;

/// A counting method with its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// Schulze (beatpath), CIVS's and Elekto's completion; N seats = top N of the ranking.
    Schulze(SchulzeOptions),
    /// Tideman's ranked pairs; N seats = top N.
    RankedPairs(CondorcetOptions),
    /// Minimax (Simpson-Kramer); N seats = top N.
    Minimax(CondorcetOptions),
    /// CIVS's Condorcet-IRV.
    CondorcetIrv(CondorcetIrvOptions),
    /// Instant-runoff voting (single seat, or repeated for N seats as the method defines).
    Irv(IrvOptions),
    /// Single transferable vote.
    Stv(StvOptions),
    /// Cumulative voting: votes per candidate, capped per ballot; N seats = top N.
    Cumulative(CumulativeOptions),
    /// Approval: every candidate a ballot ranks (or gives a vote) is approved.
    Approval,
    /// Plurality: each ballot counts for its single first choice.
    Plurality,
}

impl Method {
    /// The command-line name, also written as `method` in results.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Schulze(_) => "schulze",
            Self::RankedPairs(_) => "ranked-pairs",
            Self::Minimax(_) => "minimax",
            Self::CondorcetIrv(_) => "condorcet-irv",
            Self::Irv(_) => "irv",
            Self::Stv(_) => "stv",
            Self::Cumulative(_) => "cumulative",
            Self::Approval => "approval",
            Self::Plurality => "plurality",
        }
    }

    /// Whether the method fills seats from a ranking, so `--max-per-affiliation` can skip
    /// to the next candidate (Condorcet-IRV included: CIVS ranks every candidate, and
    /// Kubernetes capped companies on it). IRV and STV transfer votes instead; a cap
    /// there would need rules of its own.
    #[must_use]
    pub fn supports_affiliation_cap(&self) -> bool {
        !matches!(self, Self::Irv(_) | Self::Stv(_))
    }

    /// The options this method resolved to, as written in the result.
    fn options(&self, contest: &Contest) -> Options {
        let mut options = Options {
            max_per_affiliation: contest.max_per_affiliation,
            tie_break: if contest.tie_seed.is_some() {
                TieBreak::SeededDraw
            } else {
                TieBreak::Report
            },
            tie_seed: contest.tie_seed.clone(),
            default_option: contest.default_option.as_ref().map(|d| d.name.clone()),
            majority: contest
                .default_option
                .as_ref()
                .map(DefaultOption::majority_text),
            majority_rule: contest.default_option.as_ref().map(|d| d.rule),
            quorum: contest.default_option.as_ref().map(|d| d.quorum),
            ..Options::default()
        };
        match self {
            Self::Schulze(schulze) => {
                options.unranked = Some(schulze.unranked);
                options.strength = Some(schulze.strength);
                options.ranking = Some(schulze.ranking);
            }
            Self::RankedPairs(condorcet) | Self::Minimax(condorcet) => {
                options.unranked = Some(condorcet.unranked);
                options.strength = Some(condorcet.strength);
            }
            Self::CondorcetIrv(condorcet_irv) => {
                options.unranked = Some(condorcet_irv.unranked);
                options.tied_rank = Some(condorcet_irv.tied_rank);
            }
            Self::Irv(irv) => options.tied_rank = Some(irv.tied_rank),
            Self::Stv(stv) => {
                options.stv = Some(stv.variant);
                options.tied_rank = Some(stv.tied_rank);
                options.quota = Some(stv.variant.quota_rule().to_owned());
                options.precision = Some(stv.variant.precision().to_owned());
            }
            Self::Cumulative(cumulative) => {
                options.votes_per_ballot =
                    Some(cumulative.votes_per_ballot.unwrap_or(contest.seats));
            }
            Self::Approval | Self::Plurality => {}
        }
        options
    }
}

/// Options of the pairwise (Condorcet) methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CondorcetOptions {
    /// What an unranked candidate means in a pairwise comparison.
    pub unranked: Unranked,
    /// How the strength of a majority is measured.
    pub strength: Strength,
}

/// Options of Schulze: the Condorcet options plus how the ranking is read off the
/// strongest paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SchulzeOptions {
    pub unranked: Unranked,
    pub strength: Strength,
    pub ranking: RankingRule,
}

/// Options of Condorcet-IRV: pairwise comparisons to find a Condorcet winner, IRV rounds
/// otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CondorcetIrvOptions {
    pub unranked: Unranked,
    pub tied_rank: TiedRank,
}

/// Options of IRV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IrvOptions {
    pub tied_rank: TiedRank,
}

/// Options of STV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StvOptions {
    pub variant: StvVariant,
    pub tied_rank: TiedRank,
}

/// Options of cumulative voting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CumulativeOptions {
    /// The most votes one ballot may give; `None` means as many as there are seats.
    pub votes_per_ballot: Option<u32>,
}

/// How strong a pairwise majority is (`--strength`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// The ballots for the winner of the pair; fewer ballots against breaks ties (CIVS,
    /// Debian).
    #[default]
    Winning,
    /// Ballots for minus ballots against.
    Margin,
}

/// How Schulze's ranking is read off the strongest paths (`--ranking`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RankingRule {
    /// CIVS: take the candidates no one beats in the strongest-path relation, as the next
    /// tier; remove them; repeat.
    #[default]
    Civs,
    /// Elekto: a candidate's place is 1 + the number of candidates that beat it, computed
    /// once.
    Elekto,
}

/// Which STV rules (`--stv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StvVariant {
    /// Meek, as the New Zealand rules specify (fixed-point decimals).
    #[default]
    Meek,
    /// Scottish STV (2007 rules: 5-decimal truncation).
    Scottish,
    /// ERS97 / Gregory surplus transfers, counted with exact rationals.
    Ers,
}

impl StvVariant {
    /// The quota rule, as written in results (see `src/tally/stv/`).
    #[must_use]
    pub fn quota_rule(self) -> &'static str {
        match self {
            Self::Meek => {
                "droop, recomputed every iteration: (valid votes - non-transferable votes) / (seats + 1), truncated to 9 decimal places, plus 0.000000001; elected at or above it"
            }
            Self::Scottish | Self::Ers => {
                "droop: floor(valid votes / (seats + 1)) + 1, fixed for the count; elected at or above it"
            }
        }
    }

    /// The arithmetic, as written in results (see `src/tally/stv/`).
    #[must_use]
    pub fn precision(self) -> &'static str {
        match self {
            Self::Meek => {
                "fixed point, 9 decimal places: a candidate's share of a paper and the value going on rounded up, keep values rounded up, the quota truncated; surplus below 0.00001 ends an iteration"
            }
            Self::Scottish => {
                "fixed point, 5 decimal places: transfer values truncated (the remainder ignored), totals exact"
            }
            Self::Ers => "exact rationals: no rounding",
        }
    }
}

/// What IRV/STV do when a ballot's next preference is a tier of several candidates
/// (`--irv-tied-rank`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TiedRank {
    /// The ballot is exhausted at that tier (an overvote ends the ballot).
    #[default]
    Exhaust,
    /// The tier is skipped and the ballot goes on to the next one.
    Skip,
}

/// What every method shares: the seats, the tie seed, the affiliation cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contest {
    pub seats: u32,
    /// Settles deciding ties by the draw of [`super::tie`]; `None` reports them.
    pub tie_seed: Option<String>,
    /// At most this many winners per affiliation.
    pub max_per_affiliation: Option<u32>,
    /// An option every other must defeat to be counted (Debian); Schulze, ranked pairs
    /// and minimax, one seat.
    pub default_option: Option<DefaultOption>,
}

/// What a ranked-ballot method counts: withdrawn candidates already struck from the
/// ballots, identical ballots merged (voter ids gone), seats checked against the standing
/// candidates. Schulze, ranked pairs and minimax get the ballots unmerged (they read
/// each once, and merging would cost more than it saves); they ignore voter ids.
#[derive(Debug, Clone, Copy)]
pub struct RankedInput<'a> {
    /// All candidates, withdrawn ones included (never rank or elect those: see
    /// [`Candidates::standing`]).
    pub candidates: &'a Candidates,
    pub ballots: &'a RankedBallots,
    /// At least 1, at most the number of standing candidates.
    pub seats: u32,
    /// Checked: at least 1, only for methods that support it, and some candidate has an
    /// affiliation.
    pub max_per_affiliation: Option<u32>,
}

/// What a cumulative-vote method counts (withdrawn candidates struck, seats checked).
#[derive(Debug, Clone, Copy)]
pub struct ScoredInput<'a> {
    pub candidates: &'a Candidates,
    pub ballots: &'a ScoredBallots,
    pub seats: u32,
    pub max_per_affiliation: Option<u32>,
}

/// What a method returns; [`tally`] turns it into a [`TallyResult`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodOutcome {
    /// Standing candidates, best first, as tiers (order within a tier is ignored).
    pub ranking: Vec<Vec<CandidateIndex>>,
    /// The elected, in seat order; stops early at an unresolved tie (recorded in the
    /// [`TieBreaker`]).
    pub winners: Vec<CandidateIndex>,
    /// Passed over by the affiliation cap.
    pub skipped: Vec<Skipped>,
    /// The method's working.
    pub audit: Audit,
    /// The method's fixed rules, one sentence each, for `options.rules`.
    pub rules: Vec<String>,
}

/// Run a count.
///
/// # Errors
/// Seats out of range, a cap the method cannot apply or without affiliations, ballots of
/// the wrong kind for the method.
pub fn tally(
    set: &BallotSet,
    method: &Method,
    contest: &Contest,
) -> Result<TallyResult, TallyError> {
    let candidates = &set.candidates;
    let standing = candidates.standing().len();
    if contest.seats == 0 || usize::try_from(contest.seats).map_or(true, |seats| seats > standing) {
        return Err(TallyError::SeatsOutOfRange {
            seats: contest.seats,
            standing,
        });
    }
    if let Some(max) = contest.max_per_affiliation {
        if max == 0 {
            return Err(TallyError::CapTooSmall { max });
        }
        if !method.supports_affiliation_cap() {
            return Err(TallyError::CapNotSupported {
                method: method.name(),
            });
        }
        if candidates
            .iter()
            .all(|(_, candidate)| candidate.affiliation.is_none())
        {
            return Err(TallyError::NoAffiliations);
        }
    }

    let default_option = match &contest.default_option {
        None => None,
        Some(option) => Some((option, check_default_option(set, method, contest, option)?)),
    };

    let struck = |candidate: CandidateIndex| !candidates.is_standing(candidate);
    let mut ties = TieBreaker::new(candidates, contest.tie_seed.as_deref());
    let (outcome, blank) = match (&set.ballots, method) {
        (Ballots::Scored(ballots), Method::Cumulative(options)) => {
            let ballots = ballots.without(struck);
            let input = ScoredInput {
                candidates,
                ballots: &ballots,
                seats: contest.seats,
                max_per_affiliation: contest.max_per_affiliation,
            };
            (
                cumulative::cumulative(&input, options, &mut ties)?,
                ballots.blank_weight(),
            )
        }
        (Ballots::Scored(ballots), Method::Approval) => {
            let ballots = ballots.without(struck);
            let input = ScoredInput {
                candidates,
                ballots: &ballots,
                seats: contest.seats,
                max_per_affiliation: contest.max_per_affiliation,
            };
            (
                approval::approval_scored(&input, &mut ties),
                ballots.blank_weight(),
            )
        }
        (Ballots::Scored(_), _) => {
            return Err(TallyError::NeedsRankedBallots {
                method: method.name(),
                file: set.file.clone(),
            });
        }
        (Ballots::Ranked(_), Method::Cumulative(_)) => {
            return Err(TallyError::NeedsVotes {
                method: method.name(),
                file: set.file.clone(),
            });
        }
        (Ballots::Ranked(ballots), _) => {
            // Schulze, ranked pairs and minimax read each ballot once, into the pairwise
            // matrix; merging identical ballots first is itself a pass (with hashing)
            // and never pays for itself there, so they count the ballots as they are.
            let merge = !matches!(
                method,
                Method::Schulze(_) | Method::RankedPairs(_) | Method::Minimax(_)
            );
            let ballots = match (standing == candidates.len(), merge) {
                (true, true) => Cow::Owned(ballots.aggregated()),
                (true, false) => Cow::Borrowed(ballots),
                (false, true) => Cow::Owned(ballots.without(struck).aggregated()),
                (false, false) => Cow::Owned(ballots.without(struck)),
            };
            let blank = ballots.blank_weight();
            let outcome = match default_option {
                None => {
                    let input = RankedInput {
                        candidates,
                        ballots: &ballots,
                        seats: contest.seats,
                        max_per_affiliation: contest.max_per_affiliation,
                    };
                    run_ranked(&input, method, &set.file, &mut ties)?
                }
                Some((option, default)) => run_with_default_option(
                    candidates, &ballots, method, contest, option, default, &set.file, &mut ties,
                )?,
            };
            (outcome, blank)
        }
    };

    let name = |candidate: &CandidateIndex| candidates.name(*candidate).to_owned();
    let mut options = method.options(contest);
    options.rules.extend(outcome.rules);
    let ranking = outcome
        .ranking
        .iter()
        .map(|tier| {
            let mut names: Vec<String> = tier.iter().map(name).collect();
            names.sort_unstable();
            names
        })
        .collect();
    let skipped = outcome
        .skipped
        .iter()
        .map(|skip| SkippedCandidate {
            candidate: name(&skip.candidate),
            affiliation: candidates
                .get(skip.candidate)
                .and_then(|candidate| candidate.affiliation.clone())
                .unwrap_or_default(),
            seat: skip.seat,
        })
        .collect();
    let affiliations: BTreeMap<String, String> = candidates
        .iter()
        .filter_map(|(_, candidate)| {
            candidate
                .affiliation
                .as_ref()
                .map(|affiliation| (candidate.name.clone(), affiliation.clone()))
        })
        .collect();
    let decided = !ties.has_unresolved();
    Ok(TallyResult {
        method: method.name().to_owned(),
        options,
        seats: contest.seats,
        candidates: candidates.iter().map(|(_, c)| c.name.clone()).collect(),
        withdrawn: candidates
            .iter()
            .filter(|(_, c)| c.withdrawn)
            .map(|(_, c)| c.name.clone())
            .collect(),
        affiliations,
        ballots: BallotSummary {
            file: set.file.clone(),
            format: set.format.name().to_owned(),
            title: set.title.clone(),
            counted: set.ballots.total_weight(),
            blank,
            records: set.ballots.len(),
            rejected: 0,
        },
        winners: outcome.winners.iter().map(name).collect(),
        ranking,
        decided,
        ties: ties.into_ties(),
        skipped,
        rejected: Vec::new(),
        turnout: None,
        audit: outcome.audit,
    })
}

/// The default option's index, once the contest is checked for it.
fn check_default_option(
    set: &BallotSet,
    method: &Method,
    contest: &Contest,
    option: &DefaultOption,
) -> Result<CandidateIndex, TallyError> {
    if !matches!(
        method,
        Method::Schulze(_) | Method::RankedPairs(_) | Method::Minimax(_)
    ) {
        return Err(TallyError::DefaultOptionNotSupported {
            method: method.name(),
        });
    }
    if contest.seats != 1 {
        return Err(TallyError::DefaultOptionSeats {
            seats: contest.seats,
        });
    }
    let (n, m) = option.majority;
    if n == 0 || m == 0 {
        return Err(TallyError::BadMajority { n, m });
    }
    let candidates = &set.candidates;
    candidates
        .find(&option.name)
        .filter(|&index| candidates.is_standing(index))
        .ok_or_else(|| TallyError::UnknownDefaultOption {
            name: option.name.clone(),
            expected: candidates
                .standing()
                .iter()
                .map(|&index| crate::tally::error::excerpt(candidates.name(index)))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Drop the options that do not defeat the default option, count the rest, and rank the
/// dropped ones last.
#[allow(clippy::too_many_arguments)]
fn run_with_default_option(
    candidates: &Candidates,
    ballots: &RankedBallots,
    method: &Method,
    contest: &Contest,
    option: &DefaultOption,
    default: CandidateIndex,
    file: &str,
    ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    let unranked = match method {
        Method::Schulze(options) => options.unranked,
        Method::RankedPairs(options) | Method::Minimax(options) => options.unranked,
        _ => Unranked::Ignore,
    };
    let judged =
        condorcet::default_option::against_default(candidates, ballots, unranked, default, option);
    let dropped: Vec<CandidateIndex> = judged
        .iter()
        .filter(|(_, judgement)| judgement.dropped)
        .map(|(candidate, _)| *candidate)
        .collect();
    let mut list = candidates.clone().into_list();
    for &candidate in &dropped {
        if let Some(entry) = list.get_mut(candidate.index()) {
            entry.withdrawn = true;
        }
    }
    // Marking standing candidates withdrawn keeps names and ids unique.
    let remaining = Candidates::new(list).unwrap_or_else(|_| candidates.clone());
    let ballots = if dropped.is_empty() {
        Cow::Borrowed(ballots)
    } else {
        Cow::Owned(ballots.without(|candidate| dropped.contains(&candidate)))
    };
    let input = RankedInput {
        candidates: &remaining,
        ballots: &ballots,
        seats: contest.seats,
        max_per_affiliation: contest.max_per_affiliation,
    };
    let mut outcome = run_ranked(&input, method, file, ties)?;
    if !dropped.is_empty() {
        outcome.ranking.push(dropped);
    }
    if let Audit::Condorcet(audit) = &mut outcome.audit {
        audit.against_default = judged.into_iter().map(|(_, judgement)| judgement).collect();
    }
    outcome.rules.push(option.rule());
    Ok(outcome)
}

fn run_ranked(
    input: &RankedInput<'_>,
    method: &Method,
    file: &str,
    ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    match method {
        Method::Schulze(options) => condorcet::schulze(input, options, ties),
        Method::RankedPairs(options) => condorcet::ranked_pairs(input, options, ties),
        Method::Minimax(options) => condorcet::minimax(input, options, ties),
        Method::CondorcetIrv(options) => condorcet::condorcet_irv(input, options, ties),
        Method::Irv(options) => irv::irv(input, options, ties),
        Method::Stv(options) => stv::stv(input, options, ties),
        Method::Approval => Ok(approval::approval_ranked(input, ties)),
        Method::Plurality => Ok(plurality::plurality(input, ties)),
        Method::Cumulative(_) => Err(TallyError::NeedsVotes {
            method: method.name(),
            file: file.to_owned(),
        }),
    }
}
