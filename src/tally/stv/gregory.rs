//! The stage-by-stage count that Scottish STV and ERS97 share: papers in parcels, a fixed
//! Droop quota, surpluses transferred at a reduced value (Gregory), exclusions moving
//! papers at the value they carry.
//!
//! The two variants differ in three rules and in their arithmetic, which is why this
//! engine is generic over [`Votes`] (the number type, with its rounding) and takes
//! [`Rules`]:
//!
//! - which papers carry a surplus: all of the elected candidate's papers, each at
//!   `surplus × its value / the candidate's votes` (weighted inclusive Gregory, Scottish),
//!   or only the last parcel received, its transferable papers sharing the surplus
//!   equally (ERS97);
//! - how an excluded candidate's papers move: all in one stage (Scottish), or one stage
//!   per transfer value, highest first (ERS97), with anyone reaching the quota in between
//!   elected and closed to further papers;
//! - which earlier rounds break a tie ([`LookBack`]).
//!
//! Order of business, each round: elect every hopeful candidate at or above the quota
//! (most votes first); stop when the seats are filled, or elect every hopeful candidate
//! when no more remain than seats; otherwise finish a pending exclusion stage, else
//! transfer the largest untransferred surplus, else exclude the hopeful candidate with
//! the fewest votes.

use std::collections::BTreeMap;

use crate::tally::ballot::{CandidateIndex, Candidates};
use crate::tally::method::TiedRank;
use crate::tally::result::{ExactVotes, Round, Transfer};
use crate::tally::tie::TieBreaker;

use super::papers::{Next, Papers};
use super::rounds::{self, Status, status_of};
use super::tiebreak::{self, LookBack, Want};

/// A number of votes in a variant's arithmetic.
pub trait Votes: Clone + Ord + std::fmt::Debug {
    fn zero() -> Self;
    fn whole(count: u64) -> Self;
    fn plus(&self, other: &Self) -> Self;
    /// `self - other`; the engine only subtracts a part from its whole.
    fn minus(&self, other: &Self) -> Self;
    fn times(&self, count: u64) -> Self;
    /// The new value of a paper worth `value` when `surplus` of `total` votes moves on
    /// (weighted inclusive Gregory), with the variant's rounding.
    fn weighted_share(surplus: &Self, value: &Self, total: &Self) -> Self;
    /// The value of each of `count` papers sharing `surplus` equally (last parcel).
    fn equal_share(surplus: &Self, count: u64) -> Self;
    fn exact(&self) -> ExactVotes;
}

/// Which papers carry a surplus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurplusRule {
    /// All the candidate's papers, each at `surplus × value / votes`.
    WeightedInclusive,
    /// The last parcel received; its transferable papers share the surplus, never more
    /// than their own value.
    LastParcel,
}

/// How an excluded candidate's papers move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExclusionRule {
    /// All at once, each at its own value.
    OneStage,
    /// One stage per value, highest first.
    ByValue,
}

/// The rules of a variant.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub surplus: SurplusRule,
    pub exclusion: ExclusionRule,
    pub look_back: LookBack,
    /// Whether the arithmetic rounds (so the audit shows `lost_to_rounding`).
    pub rounds: bool,
}

/// What the count decided.
#[derive(Debug)]
pub struct Outcome {
    pub winners: Vec<CandidateIndex>,
    pub ranking: Vec<Vec<CandidateIndex>>,
    pub quota: ExactVotes,
    pub rounds: Vec<Round>,
}

/// Papers that travelled together: same value, received at the same stage.
#[derive(Debug, Clone)]
struct Parcel<V> {
    /// (paper, tier where it stands)
    papers: Vec<(u32, u32)>,
    weight: u64,
    value: V,
}

struct Count<'a, V: Votes> {
    candidates: &'a Candidates,
    papers: &'a Papers,
    tied_rank: TiedRank,
    rules: Rules,
    seats: usize,
    status: Vec<Status>,
    votes: Vec<V>,
    piles: Vec<Vec<Parcel<V>>>,
    /// Elected candidates whose surplus has been transferred (or was nil).
    surplus_done: Vec<bool>,
    exhausted: V,
    lost: V,
    quota: V,
    /// Seat order.
    elected: Vec<CandidateIndex>,
    /// The elected as ranking tiers: one entry per step, equal votes sharing a tier.
    elected_tiers: Vec<Vec<CandidateIndex>>,
    /// One entry per exclusion (one candidate each).
    excluded: Vec<Vec<CandidateIndex>>,
    /// Votes of every candidate at each past round, for tie-breaks.
    history: Vec<Vec<V>>,
    /// ERS97: the stages still to run of the exclusion under way.
    pending_exclusion: Option<(CandidateIndex, Vec<Parcel<V>>)>,
    /// How the last surplus-order tie was settled, for the round's note.
    surplus_tie: Option<String>,
}

/// Count `papers` for `seats` seats under `rules`.
pub fn count<V: Votes>(
    candidates: &Candidates,
    papers: &Papers,
    seats: u32,
    tied_rank: TiedRank,
    rules: Rules,
    ties: &mut TieBreaker<'_>,
) -> Outcome {
    let size = candidates.len();
    let mut count = Count {
        candidates,
        papers,
        tied_rank,
        rules,
        seats: seats as usize,
        status: Status::initial(candidates),
        votes: vec![V::zero(); size],
        piles: vec![Vec::new(); size],
        surplus_done: vec![false; size],
        exhausted: V::zero(),
        lost: V::zero(),
        quota: V::zero(),
        elected: Vec::new(),
        elected_tiers: Vec::new(),
        excluded: Vec::new(),
        history: Vec::new(),
        pending_exclusion: None,
        surplus_tie: None,
    };
    count.first_preferences();
    let valid: u64 = count
        .piles
        .iter()
        .flatten()
        .map(|parcel| parcel.weight)
        .sum();
    // Droop: the smallest whole number that no more than `seats` candidates can reach.
    count.quota = V::whole(valid / (u64::from(seats) + 1) + 1);
    let mut rounds = Vec::new();
    loop {
        let number = u32::try_from(rounds.len() + 1).unwrap_or(u32::MAX);
        let (round, stop) = count.round(number, ties);
        rounds.push(round);
        if stop {
            break;
        }
    }
    let ranking =
        rounds::final_ranking(&count.status, &count.elected_tiers, &count.excluded, |c| {
            count.votes.get(c.index()).cloned().unwrap_or_else(V::zero)
        });
    Outcome {
        winners: count.elected.clone(),
        ranking,
        quota: count.quota.exact(),
        rounds,
    }
}

impl<V: Votes> Count<'_, V> {
    fn can_receive(&self, candidate: CandidateIndex) -> bool {
        status_of(&self.status, candidate) == Status::Hopeful
    }

    fn hopeful(&self) -> Vec<CandidateIndex> {
        self.candidates
            .indices()
            .filter(|candidate| self.can_receive(*candidate))
            .collect()
    }

    fn votes_of(&self, candidate: CandidateIndex) -> V {
        self.votes
            .get(candidate.index())
            .cloned()
            .unwrap_or_else(V::zero)
    }

    fn add_votes(&mut self, candidate: CandidateIndex, amount: &V) {
        if let Some(votes) = self.votes.get_mut(candidate.index()) {
            *votes = votes.plus(amount);
        }
    }

    fn first_preferences(&mut self) {
        let mut parcels: BTreeMap<CandidateIndex, Parcel<V>> = BTreeMap::new();
        for paper in 0..self.papers.len() {
            let weight = self.papers.weight(paper);
            let start = self.papers.first_tier(paper);
            match self
                .papers
                .seek(paper, start, self.tied_rank, |c| self.can_receive(c))
            {
                Next::To { candidate, tier } => {
                    let parcel = parcels.entry(candidate).or_insert_with(|| Parcel {
                        papers: Vec::new(),
                        weight: 0,
                        value: V::whole(1),
                    });
                    parcel.papers.push((to_u32(paper), tier));
                    parcel.weight += weight;
                }
                // Blank papers are not valid votes; a paper whose first choice is a tie
                // it cannot pass (exhaust) is valid but goes nowhere.
                Next::Exhausted if !self.papers.is_blank(paper) => {
                    self.exhausted = self.exhausted.plus(&V::whole(weight));
                }
                Next::Exhausted => {}
            }
        }
        for (candidate, parcel) in parcels {
            self.add_votes(candidate, &V::whole(parcel.weight));
            if let Some(pile) = self.piles.get_mut(candidate.index()) {
                pile.push(parcel);
            }
        }
    }

    /// Move `papers` (all worth `value`) on from where they stand to the next hopeful
    /// candidate: new parcels on the piles, votes credited. Papers that can go nowhere
    /// are exhausted at `value` when `exhaust` is set (inclusive surpluses, exclusions),
    /// else left behind (a last-parcel surplus shares only among transferable papers).
    fn move_on(&mut self, papers: &[(u32, u32)], value: &V, exhaust: bool) {
        let mut received: BTreeMap<CandidateIndex, Parcel<V>> = BTreeMap::new();
        let mut nowhere = 0u64;
        for &(paper, tier) in papers {
            let weight = self.papers.weight(paper as usize);
            match self
                .papers
                .seek(paper as usize, tier + 1, self.tied_rank, |c| {
                    self.can_receive(c)
                }) {
                Next::To { candidate, tier } => {
                    let parcel = received.entry(candidate).or_insert_with(|| Parcel {
                        papers: Vec::new(),
                        weight: 0,
                        value: value.clone(),
                    });
                    parcel.papers.push((paper, tier));
                    parcel.weight += weight;
                }
                Next::Exhausted => nowhere += weight,
            }
        }
        for (candidate, parcel) in received {
            self.add_votes(candidate, &value.times(parcel.weight));
            if let Some(pile) = self.piles.get_mut(candidate.index()) {
                pile.push(parcel);
            }
        }
        if exhaust {
            self.exhausted = self.exhausted.plus(&value.times(nowhere));
        }
    }

    /// Elect every hopeful candidate at or above the quota, most votes first.
    ///
    /// The Droop quota is more than `votes / (seats + 1)` and votes only ever leave the
    /// count, so no more candidates can reach it than there are seats: this never has to
    /// choose among them.
    fn elect_reaching_quota(&mut self) -> Vec<CandidateIndex> {
        let mut reaching: Vec<CandidateIndex> = self
            .hopeful()
            .into_iter()
            .filter(|candidate| self.votes_of(*candidate) >= self.quota)
            .collect();
        self.sort_by_votes(&mut reaching);
        let remaining = self.seats.saturating_sub(self.elected.len());
        reaching.truncate(remaining);
        self.elect(&reaching);
        reaching
    }

    /// Elect `sorted` (most votes first) in one step.
    fn elect(&mut self, sorted: &[CandidateIndex]) {
        for candidate in sorted {
            self.mark_elected(*candidate);
        }
        let tiers = rounds::tiers_by_votes(sorted, |c| self.votes_of(c));
        self.elected_tiers.extend(tiers);
    }

    fn mark_elected(&mut self, candidate: CandidateIndex) {
        if let Some(status) = self.status.get_mut(candidate.index()) {
            *status = Status::Elected;
        }
        self.elected.push(candidate);
    }

    /// Most votes first; equal votes by name (the order of candidates elected together
    /// decides nothing: each surplus is transferred in its own turn, largest first).
    fn sort_by_votes(&self, list: &mut [CandidateIndex]) {
        list.sort_by(|a, b| {
            self.votes_of(*b)
                .cmp(&self.votes_of(*a))
                .then_with(|| self.candidates.name(*a).cmp(self.candidates.name(*b)))
        });
    }

    /// The hopeful candidates with the fewest votes.
    fn lowest(&self, hopeful: &[CandidateIndex]) -> Vec<CandidateIndex> {
        let fewest = hopeful.iter().map(|c| self.votes_of(*c)).min();
        hopeful
            .iter()
            .copied()
            .filter(|c| Some(self.votes_of(*c)) == fewest)
            .collect()
    }

    /// The elected candidate whose surplus goes next: `None` when no surplus is waiting,
    /// `Some(None)` when an unresolved tie decides which.
    fn next_surplus(
        &mut self,
        number: u32,
        ties: &mut TieBreaker<'_>,
    ) -> Option<Option<CandidateIndex>> {
        let waiting: Vec<CandidateIndex> = self
            .elected
            .iter()
            .copied()
            .filter(|c| !self.surplus_done.get(c.index()).copied().unwrap_or(true))
            .collect();
        // A nil surplus moves nothing: it is done without a round of its own.
        let mut with_surplus = Vec::new();
        for candidate in waiting {
            if self.votes_of(candidate) > self.quota {
                with_surplus.push(candidate);
            } else if let Some(done) = self.surplus_done.get_mut(candidate.index()) {
                *done = true;
            }
        }
        let largest = with_surplus.iter().map(|c| self.votes_of(*c)).max()?;
        let tied: Vec<CandidateIndex> = with_surplus
            .into_iter()
            .filter(|c| self.votes_of(*c) == largest)
            .collect();
        self.surplus_tie = tiebreak::explain(
            self.rules.look_back,
            Want::Most,
            &tied,
            &self.history,
            self.candidates,
        );
        let purpose = format!("surplus order in round {number}");
        Some(tiebreak::pick(
            self.rules.look_back,
            Want::Most,
            &tied,
            &self.history,
            &purpose,
            ties,
        ))
    }

    fn transfer_surplus(
        &mut self,
        candidate: CandidateIndex,
        transfers: &mut Vec<Transfer>,
    ) -> String {
        if let Some(done) = self.surplus_done.get_mut(candidate.index()) {
            *done = true;
        }
        let total = self.votes_of(candidate);
        let surplus = total.minus(&self.quota);
        let pile = self
            .piles
            .get_mut(candidate.index())
            .map(std::mem::take)
            .unwrap_or_default();
        let before = self.votes.clone();
        let exhausted_before = self.exhausted.clone();
        let mut moved = V::zero();
        let text = match self.rules.surplus {
            SurplusRule::WeightedInclusive => {
                for parcel in &pile {
                    let value = V::weighted_share(&surplus, &parcel.value, &total);
                    moved = moved.plus(&value.times(parcel.weight));
                    self.move_on(&parcel.papers, &value, true);
                }
                format!(
                    "surplus of {} ({}) transferred: all their {}, each at surplus × its value / {}",
                    self.candidates.name(candidate),
                    surplus.exact(),
                    papers_text(pile.iter().map(|p| p.weight).sum::<u64>()),
                    total.exact()
                )
            }
            SurplusRule::LastParcel => {
                let empty = Parcel {
                    papers: Vec::new(),
                    weight: 0,
                    value: V::whole(1),
                };
                let last = pile.last().unwrap_or(&empty);
                let transferable: u64 = last
                    .papers
                    .iter()
                    .filter(|(paper, tier)| {
                        let next =
                            self.papers
                                .seek(*paper as usize, tier + 1, self.tied_rank, |c| {
                                    self.can_receive(c)
                                });
                        matches!(next, Next::To { .. })
                    })
                    .map(|(paper, _)| self.papers.weight(*paper as usize))
                    .sum();
                // Papers never carry more than their own value; what they cannot carry
                // goes nowhere.
                let value = if last.value.times(transferable) <= surplus {
                    last.value.clone()
                } else {
                    V::equal_share(&surplus, transferable)
                };
                let carried = value.times(transferable);
                self.move_on(&last.papers, &value, false);
                if value == last.value {
                    self.exhausted = self.exhausted.plus(&surplus.minus(&carried));
                    moved = surplus.clone();
                } else {
                    moved = carried;
                }
                format!(
                    "surplus of {} ({}) transferred: the last parcel received, {} transferable at {} each",
                    self.candidates.name(candidate),
                    surplus.exact(),
                    papers_text(transferable),
                    value.exact()
                )
            }
        };
        // Rounding down leaves part of the surplus with no paper to carry it.
        self.lost = self.lost.plus(&surplus.minus(&moved.min(surplus.clone())));
        if let Some(votes) = self.votes.get_mut(candidate.index()) {
            *votes = self.quota.clone();
        }
        self.list_transfers(candidate, &before, &exhausted_before, transfers);
        text
    }

    fn exclude(&mut self, candidate: CandidateIndex, transfers: &mut Vec<Transfer>) -> String {
        if let Some(status) = self.status.get_mut(candidate.index()) {
            *status = Status::Excluded;
        }
        self.excluded.push(vec![candidate]);
        let mut pile = self
            .piles
            .get_mut(candidate.index())
            .map(std::mem::take)
            .unwrap_or_default();
        match self.rules.exclusion {
            ExclusionRule::OneStage => {
                let before = self.votes.clone();
                let exhausted_before = self.exhausted.clone();
                for parcel in &pile {
                    self.move_on(&parcel.papers, &parcel.value, true);
                }
                if let Some(votes) = self.votes.get_mut(candidate.index()) {
                    *votes = V::zero();
                }
                self.list_transfers(candidate, &before, &exhausted_before, transfers);
                format!(
                    "{} excluded: {} transferred at their values",
                    self.candidates.name(candidate),
                    papers_text(pile.iter().map(|parcel| parcel.weight).sum::<u64>())
                )
            }
            ExclusionRule::ByValue => {
                pile.sort_by(|a, b| b.value.cmp(&a.value));
                let mut stages: Vec<Parcel<V>> = Vec::new();
                for parcel in pile {
                    match stages.last_mut() {
                        Some(stage) if stage.value == parcel.value => {
                            stage.papers.extend(parcel.papers);
                            stage.weight += parcel.weight;
                        }
                        _ => stages.push(parcel),
                    }
                }
                self.exclusion_stage(candidate, stages, transfers)
            }
        }
    }

    /// Move the excluded candidate's papers of the highest value left; the rest wait for
    /// the next rounds.
    fn exclusion_stage(
        &mut self,
        candidate: CandidateIndex,
        mut stages: Vec<Parcel<V>>,
        transfers: &mut Vec<Transfer>,
    ) -> String {
        if stages.is_empty() {
            return format!(
                "{} excluded: no papers to transfer",
                self.candidates.name(candidate)
            );
        }
        let stage = stages.remove(0);
        let before = self.votes.clone();
        let exhausted_before = self.exhausted.clone();
        self.move_on(&stage.papers, &stage.value, true);
        let moved = stage.value.times(stage.weight);
        if let Some(votes) = self.votes.get_mut(candidate.index()) {
            *votes = votes.minus(&moved.min(votes.clone()));
        }
        self.list_transfers(candidate, &before, &exhausted_before, transfers);
        let left = stages.len();
        if left > 0 {
            self.pending_exclusion = Some((candidate, stages));
        }
        format!(
            "exclusion of {}: {} worth {} each transferred{}",
            self.candidates.name(candidate),
            papers_text(stage.weight),
            stage.value.exact(),
            match left {
                0 => String::new(),
                1 => "; 1 more stage of lower value follows".to_owned(),
                n => format!("; {n} more stages of lower values follow"),
            }
        )
    }

    /// The votes `from`'s papers brought each candidate (and the exhausted pile) since
    /// `before`.
    fn list_transfers(
        &self,
        from: CandidateIndex,
        before: &[V],
        exhausted_before: &V,
        transfers: &mut Vec<Transfer>,
    ) {
        for candidate in self.candidates.indices() {
            let now = self.votes_of(candidate);
            let then = before
                .get(candidate.index())
                .cloned()
                .unwrap_or_else(V::zero);
            if candidate != from && now > then {
                transfers.push(rounds::transfer(
                    self.candidates,
                    from,
                    Some(candidate),
                    now.minus(&then).exact(),
                ));
            }
        }
        if self.exhausted > *exhausted_before {
            transfers.push(rounds::transfer(
                self.candidates,
                from,
                None,
                self.exhausted.minus(exhausted_before).exact(),
            ));
        }
    }

    /// One round, and whether the count stops after it.
    fn round(&mut self, number: u32, ties: &mut TieBreaker<'_>) -> (Round, bool) {
        let snapshot = self.votes.clone();
        let exhausted_at_start = self.exhausted.clone();
        let lost_at_start = self.lost.clone();
        let mut newly = self.elect_reaching_quota();
        let mut stop = false;
        let mut eliminated = Vec::new();
        let mut transfers = Vec::new();
        let note;
        let remaining = self.seats.saturating_sub(self.elected.len());
        let hopeful = self.hopeful();
        if remaining == 0 {
            stop = true;
            note = Some("all seats filled".to_owned());
        } else if hopeful.len() <= remaining {
            let mut rest = hopeful;
            self.sort_by_votes(&mut rest);
            self.elect(&rest);
            newly.extend(rest);
            stop = true;
            note = Some(
                "no more hopeful candidates than seats left: all of them are elected".to_owned(),
            );
        } else if let Some((candidate, stages)) = self.pending_exclusion.take() {
            let text = self.exclusion_stage(candidate, stages, &mut transfers);
            note = Some(text);
        } else if let Some(candidate) = self.next_surplus(number, ties) {
            match candidate {
                Some(candidate) => {
                    let text = self.transfer_surplus(candidate, &mut transfers);
                    note = Some(match self.surplus_tie.take() {
                        Some(tie) => format!("{tie}; {text}"),
                        None => text,
                    });
                }
                None => {
                    stop = true;
                    note = Some("unresolved tie for the surplus order: count stopped".to_owned());
                }
            }
        } else {
            let lowest = self.lowest(&hopeful);
            let tie = tiebreak::explain(
                self.rules.look_back,
                Want::Fewest,
                &lowest,
                &self.history,
                self.candidates,
            );
            let purpose = format!("exclusion in round {number}");
            match tiebreak::pick(
                self.rules.look_back,
                Want::Fewest,
                &lowest,
                &self.history,
                &purpose,
                ties,
            ) {
                Some(candidate) => {
                    eliminated.push(candidate);
                    let text = self.exclude(candidate, &mut transfers);
                    note = Some(match tie {
                        Some(tie) => format!("{tie}; {text}"),
                        None => text,
                    });
                }
                None => {
                    stop = true;
                    note = Some("unresolved tie for exclusion: count stopped".to_owned());
                }
            }
        }
        let tallies = rounds::tallies(
            self.candidates,
            &self.status,
            |c| {
                snapshot
                    .get(c.index())
                    .map_or_else(|| V::zero().exact(), V::exact)
            },
            |_| None,
        );
        self.history.push(snapshot);
        let mut round = rounds::round(number, Some(self.quota.exact()), tallies);
        // The exhausted and lost votes the tallies were taken with: before this round's
        // transfers, which are listed in `transfers`.
        round.exhausted = exhausted_at_start.exact();
        round.lost_to_rounding = self.rules.rounds.then(|| lost_at_start.exact());
        round.elected = rounds::names(self.candidates, &newly);
        round.eliminated = rounds::names(self.candidates, &eliminated);
        round.transfers = transfers;
        round.note = note;
        (round, stop)
    }
}

fn papers_text(count: u64) -> String {
    if count == 1 {
        "1 paper".to_owned()
    } else {
        format!("{count} papers")
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
