//! Instant-runoff voting, in whole votes.
//!
//! Each ballot counts for its highest-ranked candidate still in the count. A candidate
//! with more than half of the votes on ballots still counting wins; otherwise the
//! candidate with the fewest votes is excluded and their ballots move on to their next
//! preference. Ballots with no further preference are exhausted and stop counting, so
//! the majority is of the ballots still counting (as US cities count, Burlington and
//! Oakland among them).
//!
//! Choices, each written into `options.rules`:
//!
//! - a rank shared by several continuing candidates follows `--irv-tied-rank`
//!   ([`crate::tally::stv::papers`] walks ballots for IRV and STV alike). A ballot moves
//!   only when the candidate holding it is excluded, so what a shared rank did when the
//!   ballot reached it stands even if the tie later resolves (an over-marked rank
//!   exhausts a paper ballot for good, as US counts treat overvotes);
//! - a tie for fewest votes is broken by the most recent earlier round at which the tied
//!   candidates differed, then by the seeded draw, else reported (the count stops);
//!   except that candidates tied for fewest votes who together have fewer votes than the
//!   next candidate are excluded together, since excluding them one by one in any order
//!   ends the same way (so a tie among hopeless candidates never stops a count);
//! - several seats are filled by sequential IRV: each further seat is a new count among
//!   the candidates not yet elected. Rounds are numbered across the counts.

use super::ballot::{CandidateIndex, Candidates};
use super::error::TallyError;
use super::method::{IrvOptions, MethodOutcome, RankedInput, TiedRank};
use super::result::{Audit, ExactVotes, Round, RoundsAudit};
use super::stv::papers::{Next, Papers};
use super::stv::rounds::{self, Status, status_of};
use super::stv::tiebreak::{self, LookBack, Want};
use super::stv::{Rereading, tied_rank_rule};
use super::tie::TieBreaker;

/// The tie rule of IRV.
pub const LOOK_BACK: LookBack = LookBack::Backwards;

/// Count by instant runoff.
///
/// # Errors
/// None today: every input [`RankedInput`] guarantees can be counted. The `Result` keeps
/// the signature every method shares.
pub fn irv(
    input: &RankedInput<'_>,
    options: &IrvOptions,
    ties: &mut TieBreaker<'_>,
) -> Result<MethodOutcome, TallyError> {
    let papers = Papers::new(input.ballots);
    let mut winners: Vec<CandidateIndex> = Vec::new();
    let mut rounds: Vec<Round> = Vec::new();
    let mut last = None;
    for seat in 1..=input.seats {
        let mut count = SeatCount::new(input.candidates, &papers, options.tied_rank, &winners);
        let winner = count.run(seat, input.seats, &mut rounds, ties);
        last = Some(count);
        match winner {
            Some(winner) => winners.push(winner),
            None => break,
        }
    }
    let ranking = last.map_or_else(Vec::new, |count| {
        let elected: Vec<Vec<CandidateIndex>> = winners.iter().map(|w| vec![*w]).collect();
        rounds::final_ranking(&count.status, &elected, &count.excluded, |c| {
            count.votes_of(c)
        })
    });
    let quota = rounds.first().and_then(|round| round.quota.clone());
    let mut rules = vec![
        "each ballot counts for its highest-ranked candidate still in the count".to_owned(),
        "a candidate with more than half of the votes on ballots still counting wins; otherwise the candidate with the fewest votes is excluded and their ballots move on (the quota shown is that majority)".to_owned(),
        "candidates tied for fewest votes who together have fewer votes than the next candidate are excluded together: excluding them one by one in any order ends the same way".to_owned(),
        LOOK_BACK.describe("exclusion"),
        tied_rank_rule(options.tied_rank, Rereading::Never),
        "blank ballots count for no one and are not among the ballots still counting".to_owned(),
    ];
    if input.seats > 1 {
        rules.push("several seats are filled by sequential irv: each further seat is a new count among the candidates not yet elected".to_owned());
    }
    Ok(MethodOutcome {
        ranking,
        winners,
        skipped: Vec::new(),
        audit: Audit::Rounds(RoundsAudit { quota, rounds }),
        rules,
    })
}

/// The count for one seat.
struct SeatCount<'a> {
    candidates: &'a Candidates,
    papers: &'a Papers,
    tied_rank: TiedRank,
    status: Vec<Status>,
    votes: Vec<u64>,
    /// The papers each candidate holds: (paper, tier where it stands).
    piles: Vec<Vec<(u32, u32)>>,
    exhausted: u64,
    /// One entry per exclusion: the candidates excluded together in that round.
    excluded: Vec<Vec<CandidateIndex>>,
    history: Vec<Vec<u64>>,
}

impl<'a> SeatCount<'a> {
    fn new(
        candidates: &'a Candidates,
        papers: &'a Papers,
        tied_rank: TiedRank,
        elected: &[CandidateIndex],
    ) -> Self {
        let mut status = Status::initial(candidates);
        for candidate in elected {
            if let Some(slot) = status.get_mut(candidate.index()) {
                *slot = Status::Elected;
            }
        }
        let mut count = Self {
            candidates,
            papers,
            tied_rank,
            status,
            votes: vec![0; candidates.len()],
            piles: vec![Vec::new(); candidates.len()],
            exhausted: 0,
            excluded: Vec::new(),
            history: Vec::new(),
        };
        for paper in 0..papers.len() {
            if !papers.is_blank(paper) {
                let first = papers.first_tier(paper);
                count.deal(to_u32(paper), first);
            }
        }
        count
    }

    fn votes_of(&self, candidate: CandidateIndex) -> u64 {
        self.votes.get(candidate.index()).copied().unwrap_or(0)
    }

    fn hopeful(&self) -> Vec<CandidateIndex> {
        self.candidates
            .indices()
            .filter(|c| status_of(&self.status, *c) == Status::Hopeful)
            .collect()
    }

    /// Give `paper` to its first continuing preference from tier `from` on; returns who
    /// got it.
    fn deal(&mut self, paper: u32, from: u32) -> Option<CandidateIndex> {
        let weight = self.papers.weight(paper as usize);
        let status = &self.status;
        let next = self.papers.seek(paper as usize, from, self.tied_rank, |c| {
            status_of(status, c) == Status::Hopeful
        });
        match next {
            Next::To { candidate, tier } => {
                if let Some(votes) = self.votes.get_mut(candidate.index()) {
                    *votes += weight;
                }
                if let Some(pile) = self.piles.get_mut(candidate.index()) {
                    pile.push((paper, tier));
                }
                Some(candidate)
            }
            Next::Exhausted => {
                self.exhausted += weight;
                None
            }
        }
    }

    /// Rounds until this seat is filled (`Some(winner)`) or an unresolved tie stops the
    /// count (`None`).
    fn run(
        &mut self,
        seat: u32,
        seats: u32,
        rounds: &mut Vec<Round>,
        ties: &mut TieBreaker<'_>,
    ) -> Option<CandidateIndex> {
        let mut first = true;
        loop {
            let number = u32::try_from(rounds.len() + 1).unwrap_or(u32::MAX);
            let hopeful = self.hopeful();
            let continuing: u64 = hopeful.iter().map(|c| self.votes_of(*c)).sum();
            let majority = continuing / 2 + 1;
            let mut round = self.record(number, majority);
            if first && seats > 1 {
                round.note = Some(format!(
                    "count for seat {seat} of {seats}, among the candidates not yet elected"
                ));
            }
            first = false;
            let winner = match hopeful.as_slice() {
                [only] => Some(*only),
                _ => hopeful
                    .iter()
                    .copied()
                    .find(|c| self.votes_of(*c) >= majority),
            };
            if let Some(winner) = winner {
                if let Some(slot) = self.status.get_mut(winner.index()) {
                    *slot = Status::Elected;
                }
                round.tallies = self.tallies();
                round.elected = vec![self.candidates.name(winner).to_owned()];
                rounds.push(round);
                return Some(winner);
            }
            let fewest = hopeful.iter().map(|c| self.votes_of(*c)).min();
            let lowest: Vec<CandidateIndex> = hopeful
                .iter()
                .copied()
                .filter(|c| Some(self.votes_of(*c)) == fewest)
                .collect();
            let Some(out) = self.choose_exclusion(&hopeful, number, ties) else {
                append_note(&mut round, "unresolved tie for exclusion: count stopped");
                rounds.push(round);
                return None;
            };
            self.history.push(self.votes.clone());
            let exhausted_before = self.exhausted;
            let mut moved: Vec<u64> = vec![0; self.candidates.len()];
            for candidate in &out {
                if let Some(slot) = self.status.get_mut(candidate.index()) {
                    *slot = Status::Excluded;
                }
            }
            self.excluded.push(out.clone());
            for candidate in &out {
                let pile = self
                    .piles
                    .get_mut(candidate.index())
                    .map(std::mem::take)
                    .unwrap_or_default();
                for (paper, tier) in pile {
                    let weight = self.papers.weight(paper as usize);
                    if let Some(to) = self.deal(paper, tier + 1)
                        && let Some(slot) = moved.get_mut(to.index())
                    {
                        *slot += weight;
                    }
                }
                if let Some(votes) = self.votes.get_mut(candidate.index()) {
                    *votes = 0;
                }
            }
            round.tallies = self.tallies_before(&round);
            round.eliminated = rounds::names(self.candidates, &out);
            let from = out.first().copied();
            if let Some(from) = from {
                for candidate in self.candidates.indices() {
                    let votes = moved.get(candidate.index()).copied().unwrap_or(0);
                    if votes > 0 {
                        round.transfers.push(rounds::transfer(
                            self.candidates,
                            from,
                            Some(candidate),
                            ExactVotes::whole(votes),
                        ));
                    }
                }
                if self.exhausted > exhausted_before {
                    round.transfers.push(rounds::transfer(
                        self.candidates,
                        from,
                        None,
                        ExactVotes::whole(self.exhausted - exhausted_before),
                    ));
                }
            }
            if out.len() == 1
                && let Some(tie) = tiebreak::explain(
                    LOOK_BACK,
                    Want::Fewest,
                    &lowest,
                    &self.history[..self.history.len().saturating_sub(1)],
                    self.candidates,
                )
            {
                append_note(&mut round, &tie);
            }
            if out.len() > 1 {
                append_note(
                    &mut round,
                    "tied for fewest votes and together fewer than the next candidate: excluded together; transfers are listed from the first of them and include the others' ballots",
                );
            }
            rounds.push(round);
        }
    }

    /// Who is excluded this round: the candidate with the fewest votes, or a tied group
    /// of them excluded together when that cannot matter; `None` for an unresolved tie.
    fn choose_exclusion(
        &self,
        hopeful: &[CandidateIndex],
        number: u32,
        ties: &mut TieBreaker<'_>,
    ) -> Option<Vec<CandidateIndex>> {
        let fewest = hopeful.iter().map(|c| self.votes_of(*c)).min()?;
        let lowest: Vec<CandidateIndex> = hopeful
            .iter()
            .copied()
            .filter(|c| self.votes_of(*c) == fewest)
            .collect();
        if lowest.len() > 1 {
            let together: u64 = lowest.iter().map(|c| self.votes_of(*c)).sum();
            let next = hopeful
                .iter()
                .map(|c| self.votes_of(*c))
                .filter(|votes| *votes > fewest)
                .min();
            if next.is_some_and(|next| together < next) {
                return Some(lowest);
            }
        }
        let purpose = format!("exclusion in round {number}");
        tiebreak::pick(
            LOOK_BACK,
            Want::Fewest,
            &lowest,
            &self.history,
            &purpose,
            ties,
        )
        .map(|candidate| vec![candidate])
    }

    fn tallies(&self) -> Vec<crate::tally::result::CandidateTally> {
        rounds::tallies(
            self.candidates,
            &self.status,
            |c| ExactVotes::whole(self.votes_of(c)),
            |_| None,
        )
    }

    /// The round's tallies as they were before the exclusion moved votes (kept in the
    /// round already), with the statuses after it.
    fn tallies_before(&self, round: &Round) -> Vec<crate::tally::result::CandidateTally> {
        let mut tallies = round.tallies.clone();
        for (tally, candidate) in tallies.iter_mut().zip(self.candidates.indices()) {
            tally.state = status_of(&self.status, candidate).state();
        }
        tallies
    }

    fn record(&self, number: u32, majority: u64) -> Round {
        let mut round = rounds::round(number, Some(ExactVotes::whole(majority)), self.tallies());
        round.exhausted = ExactVotes::whole(self.exhausted);
        round
    }
}

fn append_note(round: &mut Round, text: &str) {
    round.note = Some(match round.note.take() {
        Some(note) => format!("{note}; {text}"),
        None => text.to_owned(),
    });
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
