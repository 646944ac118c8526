//! Meek's method as New Zealand counts it (Local Electoral Regulations 2001, Schedule 1A,
//! after Hill, Wichmann and Woodall's Algorithm 123), in fixed-point decimals of 9
//! places.
//!
//! Every candidate has a *keep value*: 1 while hopeful, 0 once excluded, and for an
//! elected candidate the share of each vote reaching them that they keep. A count is a
//! series of rounds; each round iterates until it can decide something:
//!
//! 1. every valid paper starts with value 1 and is walked in order of preference: each
//!    candidate with a keep value receives `value × keep value` **rounded up** to 9
//!    places, and the paper goes on with `value × (1 − keep value)`, also **rounded up**
//!    (the two roundings of Schedule 1A; together they can create up to 10^-9 of a vote
//!    per candidate passed, which the audit shows as a negative loss to rounding). What
//!    is left when the paper has no further preference is non-transferable;
//! 2. quota = (valid votes − non-transferable votes) / (seats + 1), **truncated** to 9
//!    places, plus 0.000000001;
//! 3. every hopeful candidate at or above the quota is elected, which ends the round;
//! 4. otherwise, if the total surplus of the elected is below 0.00001, or did not fall
//!    since the previous iteration of the round, the hopeful candidate with the fewest
//!    votes is excluded, which ends the round;
//! 5. otherwise each elected candidate's keep value becomes `keep value × quota`
//!    (rounded up) `/ votes` (rounded up), and the round iterates from 1.
//!
//! The count ends when the seats are filled, or when the hopeful candidates are no more
//! than the seats left (they are then all elected).
//!
//! Speed: papers are the merged ballots. Within a round only elected candidates' keep
//! values change, so papers whose first receiving candidate is hopeful (who keeps the
//! whole paper) are summed once per change of status, and an iteration walks only the
//! papers that reach an elected candidate first; a walk stops at the first hopeful
//! candidate, and keep values of 0 and 1 need no arithmetic. Values are `u64` units of
//! 10^-9 per paper and `u128` for totals (a total is up to 10^15 ballots × 10^9 units).

use crate::tally::ballot::{CandidateIndex, Candidates};
use crate::tally::method::TiedRank;
use crate::tally::result::{ExactVotes, Round};
use crate::tally::tie::TieBreaker;

use super::papers::{Next, Papers};
use super::rounds::{self, Status, status_of};
use super::tiebreak::{self, LookBack, Want};

/// Decimal places of every value.
pub const DECIMALS: u32 = 9;
/// One vote, in units of 10^-9.
const SCALE: u64 = 1_000_000_000;
/// An iteration stops once the total surplus is below 0.00001.
const OMEGA: u128 = 10_000;
/// A round stops iterating after this many iterations whatever the surplus; rounding
/// makes the surplus stop falling long before, so this only guards the loop.
const ITERATION_LIMIT: u32 = 10_000;

/// The tie rule of the Meek count: New Zealand's "ahead at first difference".
pub const LOOK_BACK: LookBack = LookBack::Forwards;

/// What the count decided.
#[derive(Debug)]
pub struct Outcome {
    pub winners: Vec<CandidateIndex>,
    pub ranking: Vec<Vec<CandidateIndex>>,
    pub first_quota: ExactVotes,
    pub rounds: Vec<Round>,
}

/// Why a round stopped iterating.
enum Stop {
    Elected(Vec<CandidateIndex>),
    Converged(u128),
    Stable(u128),
    Limit(u128),
}

struct Meek<'a> {
    candidates: &'a Candidates,
    papers: &'a Papers,
    tied_rank: TiedRank,
    seats: usize,
    status: Vec<Status>,
    /// Keep values in units of 10^-9.
    keep: Vec<u64>,
    votes: Vec<u128>,
    /// Non-transferable votes of the last distribution.
    non_transferable: u128,
    /// Valid votes: every paper that ranks someone, at value 1.
    valid: u128,
    /// Seat order.
    elected: Vec<CandidateIndex>,
    /// The elected as ranking tiers: one entry per round, equal votes sharing a tier.
    elected_tiers: Vec<Vec<CandidateIndex>>,
    /// One entry per exclusion (one candidate each).
    excluded: Vec<Vec<CandidateIndex>>,
    history: Vec<Vec<u128>>,
    /// Statuses changed since the papers were last sorted into fixed and moving.
    resort: bool,
    /// What the fixed papers give: those whose first receiving candidate is hopeful
    /// (who keeps the whole paper) or who have none (non-transferable). Keep values
    /// change only for elected candidates, so these stay put until a status changes.
    fixed_votes: Vec<u128>,
    fixed_left: u128,
    /// Papers whose first receiving candidate is elected: walked every iteration.
    moving: Vec<u32>,
}

/// `ceil(a × b / SCALE)` for a paper value and a keep value (each at most one vote).
fn times_up(value: u64, keep: u64) -> u64 {
    (value * keep).div_ceil(SCALE)
}

/// Count by Meek's method.
pub fn count(
    candidates: &Candidates,
    papers: &Papers,
    seats: u32,
    tied_rank: TiedRank,
    ties: &mut TieBreaker<'_>,
) -> Outcome {
    let status = Status::initial(candidates);
    let keep = status
        .iter()
        .map(|status| if *status == Status::Hopeful { SCALE } else { 0 })
        .collect();
    let valid = (0..papers.len())
        .filter(|paper| !papers.is_blank(*paper))
        .map(|paper| u128::from(papers.weight(paper)) * u128::from(SCALE))
        .sum();
    let mut meek = Meek {
        candidates,
        papers,
        tied_rank,
        seats: seats as usize,
        status,
        keep,
        votes: vec![0; candidates.len()],
        non_transferable: 0,
        valid,
        elected: Vec::new(),
        elected_tiers: Vec::new(),
        excluded: Vec::new(),
        history: Vec::new(),
        resort: true,
        fixed_votes: vec![0; candidates.len()],
        fixed_left: 0,
        moving: Vec::new(),
    };
    let rounds = meek.run(ties);
    let ranking = rounds::final_ranking(&meek.status, &meek.elected_tiers, &meek.excluded, |c| {
        meek.votes.get(c.index()).copied().unwrap_or(0)
    });
    let first_quota = rounds
        .first()
        .and_then(|round| round.quota.clone())
        .unwrap_or_else(|| ExactVotes::fixed_point(0, DECIMALS));
    Outcome {
        winners: meek.elected,
        ranking,
        first_quota,
        rounds,
    }
}

impl Meek<'_> {
    fn hopeful(&self) -> Vec<CandidateIndex> {
        self.candidates
            .indices()
            .filter(|c| status_of(&self.status, *c) == Status::Hopeful)
            .collect()
    }

    fn votes_of(&self, candidate: CandidateIndex) -> u128 {
        self.votes.get(candidate.index()).copied().unwrap_or(0)
    }

    fn keep_of(&self, candidate: CandidateIndex) -> u64 {
        self.keep.get(candidate.index()).copied().unwrap_or(0)
    }

    /// Step 1: walk every paper with the current keep values.
    ///
    /// Only the papers reaching an elected candidate first can change between
    /// iterations of a round; the others are summed once per change of status.
    fn distribute(&mut self) {
        if self.resort {
            self.sort_papers();
            self.resort = false;
        }
        self.votes.clone_from(&self.fixed_votes);
        let mut non_transferable = self.fixed_left;
        for position in 0..self.moving.len() {
            let paper = self.moving.get(position).copied().unwrap_or(0) as usize;
            let weight = u128::from(self.papers.weight(paper));
            let left = if self.papers.is_strict(paper) {
                self.walk_strict(paper, weight)
            } else {
                self.walk_tiers(paper, weight)
            };
            non_transferable += u128::from(left) * weight;
        }
        self.non_transferable = non_transferable;
    }

    /// Split the papers into fixed and moving (see the fields).
    fn sort_papers(&mut self) {
        self.fixed_votes.fill(0);
        self.fixed_left = 0;
        self.moving.clear();
        let keep = &self.keep;
        for paper in 0..self.papers.len() {
            if self.papers.is_blank(paper) {
                continue;
            }
            let whole = u128::from(self.papers.weight(paper)) * u128::from(SCALE);
            let first = self.papers.first_tier(paper);
            let next = self.papers.seek(paper, first, self.tied_rank, |c| {
                keep.get(c.index()).is_some_and(|k| *k > 0)
            });
            match next {
                Next::To { candidate, .. }
                    if status_of(&self.status, candidate) == Status::Hopeful =>
                {
                    if let Some(votes) = self.fixed_votes.get_mut(candidate.index()) {
                        *votes += whole;
                    }
                }
                Next::To { .. } => self.moving.push(u32::try_from(paper).unwrap_or(u32::MAX)),
                Next::Exhausted => self.fixed_left += whole,
            }
        }
    }

    /// Give `candidate` their share of a paper worth `value`; returns what goes on.
    fn credit(&mut self, candidate: CandidateIndex, value: u64, weight: u128) -> u64 {
        let keep = self.keep_of(candidate);
        let (kept, passed) = if keep == SCALE {
            (value, 0)
        } else {
            (times_up(value, keep), times_up(value, SCALE - keep))
        };
        if let Some(votes) = self.votes.get_mut(candidate.index()) {
            *votes += u128::from(kept) * weight;
        }
        passed
    }

    /// A paper with one candidate per tier: the common case, walked without tier
    /// bookkeeping. Returns the value left at the end.
    fn walk_strict(&mut self, paper: usize, weight: u128) -> u64 {
        let mut value = SCALE;
        for &candidate in self.papers.ranked(paper) {
            if self.keep_of(candidate) == 0 {
                continue;
            }
            value = self.credit(candidate, value, weight);
            if value == 0 {
                break;
            }
        }
        value
    }

    /// A paper with tiers of several candidates: each tier is settled by
    /// [`Papers::seek`] with the candidates not excluded as receivers.
    fn walk_tiers(&mut self, paper: usize, weight: u128) -> u64 {
        let mut value = SCALE;
        let mut from = self.papers.first_tier(paper);
        while value > 0 {
            let keep = &self.keep;
            let next = self.papers.seek(paper, from, self.tied_rank, |c| {
                keep.get(c.index()).is_some_and(|k| *k > 0)
            });
            match next {
                Next::To { candidate, tier } => {
                    value = self.credit(candidate, value, weight);
                    from = tier + 1;
                }
                Next::Exhausted => break,
            }
        }
        value
    }

    /// Step 2: the quota for the current distribution.
    fn quota(&self) -> u128 {
        let active = self.valid.saturating_sub(self.non_transferable);
        active / (self.seats as u128 + 1) + 1
    }

    fn total_surplus(&self, quota: u128) -> u128 {
        let surplus: i128 = self
            .elected
            .iter()
            .map(|c| to_i128(self.votes_of(*c)) - to_i128(quota))
            .sum();
        u128::try_from(surplus).unwrap_or(0)
    }

    /// Step 5.
    fn update_keep_values(&mut self, quota: u128) {
        for candidate in self.elected.clone() {
            let votes = self.votes_of(candidate);
            // An elected candidate can lose every vote: with a shared rank before them
            // on a ballot, excluding one of the tied candidates makes the ballot go to
            // the other from then on (ballots are re-read every iteration). There is
            // nothing to scale; the keep value stays.
            if votes == 0 {
                continue;
            }
            let keep = u128::from(self.keep_of(candidate));
            let share = (keep * quota).div_ceil(u128::from(SCALE));
            let new = (share * u128::from(SCALE)).div_ceil(votes);
            // A keep value above 1 would hand an elected candidate more than the paper
            // carries; it cannot arise while the elected keep at least the quota.
            let new = u64::try_from(new.min(u128::from(SCALE))).unwrap_or(SCALE);
            if let Some(slot) = self.keep.get_mut(candidate.index()) {
                *slot = new;
            }
        }
    }

    fn run(&mut self, ties: &mut TieBreaker<'_>) -> Vec<Round> {
        let mut rounds = Vec::new();
        let mut fresh = false;
        loop {
            if self.elected.len() >= self.seats {
                break;
            }
            let number = u32::try_from(rounds.len() + 1).unwrap_or(u32::MAX);
            // A round's first iteration is the distribution it starts from, which an
            // exclusion has already made when it listed its transfers.
            let mut iterations = 1u32;
            if !fresh {
                self.distribute();
            }
            fresh = true;
            let mut quota = self.quota();
            let remaining = self.seats - self.elected.len();
            let mut hopeful = self.hopeful();
            if hopeful.len() <= remaining {
                self.sort_by_votes(&mut hopeful);
                self.elect(&hopeful);
                let mut round = self.record(number, quota);
                round.elected = rounds::names(self.candidates, &hopeful);
                round.note = Some(
                    "no more hopeful candidates than seats left: all of them are elected"
                        .to_owned(),
                );
                rounds.push(round);
                break;
            }
            let mut last_surplus: Option<u128> = None;
            let stop = loop {
                let mut reaching: Vec<CandidateIndex> = self
                    .hopeful()
                    .into_iter()
                    .filter(|c| self.votes_of(*c) >= quota)
                    .collect();
                if !reaching.is_empty() {
                    self.sort_by_votes(&mut reaching);
                    break Stop::Elected(reaching);
                }
                let surplus = self.total_surplus(quota);
                if surplus < OMEGA {
                    break Stop::Converged(surplus);
                }
                if last_surplus.is_some_and(|last| surplus >= last) {
                    break Stop::Stable(surplus);
                }
                if iterations >= ITERATION_LIMIT {
                    break Stop::Limit(surplus);
                }
                last_surplus = Some(surplus);
                self.update_keep_values(quota);
                self.distribute();
                iterations += 1;
                quota = self.quota();
            };
            let mut round = self.record(number, quota);
            match stop {
                Stop::Elected(reaching) => {
                    let Some(elected) = self.choose_elected(reaching, remaining, number, ties)
                    else {
                        round.note =
                            Some("unresolved tie for the last seats: count stopped".to_owned());
                        rounds.push(round);
                        break;
                    };
                    self.elect(&elected);
                    round.tallies = self.tallies();
                    round.elected = rounds::names(self.candidates, &elected);
                    round.note = Some(format!(
                        "elected on reaching the quota ({})",
                        iteration_text(iterations)
                    ));
                    self.history.push(self.votes.clone());
                    rounds.push(round);
                }
                Stop::Converged(surplus) | Stop::Stable(surplus) | Stop::Limit(surplus) => {
                    let why = match stop {
                        Stop::Converged(_) => "the total surplus is below 0.00001",
                        Stop::Stable(_) => "the total surplus stopped falling",
                        _ => "the iteration limit was reached",
                    };
                    let hopeful = self.hopeful();
                    let fewest = hopeful.iter().map(|c| self.votes_of(*c)).min();
                    let lowest: Vec<CandidateIndex> = hopeful
                        .into_iter()
                        .filter(|c| Some(self.votes_of(*c)) == fewest)
                        .collect();
                    let tie = tiebreak::explain(
                        LOOK_BACK,
                        Want::Fewest,
                        &lowest,
                        &self.history,
                        self.candidates,
                    );
                    let purpose = format!("exclusion in round {number}");
                    let picked = tiebreak::pick(
                        LOOK_BACK,
                        Want::Fewest,
                        &lowest,
                        &self.history,
                        &purpose,
                        ties,
                    );
                    self.history.push(self.votes.clone());
                    let Some(candidate) = picked else {
                        round.note = Some("unresolved tie for exclusion: count stopped".to_owned());
                        rounds.push(round);
                        break;
                    };
                    self.mark(candidate, Status::Excluded);
                    round.tallies = self.tallies();
                    round.eliminated = vec![self.candidates.name(candidate).to_owned()];
                    round.note = Some(format!(
                        "{why} ({}; total surplus {}): the candidate with the fewest votes is excluded{}; transfers are their votes moving on at the keep values of this round",
                        iteration_text(iterations),
                        ExactVotes::fixed_point(surplus, DECIMALS),
                        tie.map(|tie| format!(" ({tie})")).unwrap_or_default()
                    ));
                    // The next round starts from this distribution.
                    let before = self.votes.clone();
                    let non_transferable_before = self.non_transferable;
                    self.distribute();
                    round.transfers = self.transfers(candidate, &before, non_transferable_before);
                    rounds.push(round);
                }
            }
        }
        rounds
    }

    /// The candidates elected among those reaching the quota: all of them when seats
    /// allow (they always do while the elected keep the quota); otherwise those with
    /// the most votes, a tie at the boundary settled like any other.
    fn choose_elected(
        &mut self,
        reaching: Vec<CandidateIndex>,
        remaining: usize,
        number: u32,
        ties: &mut TieBreaker<'_>,
    ) -> Option<Vec<CandidateIndex>> {
        if reaching.len() <= remaining {
            return Some(reaching);
        }
        let boundary = reaching.get(remaining - 1).map(|c| self.votes_of(*c))?;
        let mut chosen: Vec<CandidateIndex> = reaching
            .iter()
            .copied()
            .filter(|c| self.votes_of(*c) > boundary)
            .collect();
        let tied: Vec<CandidateIndex> = reaching
            .iter()
            .copied()
            .filter(|c| self.votes_of(*c) == boundary)
            .collect();
        let purpose = format!("election in round {number}");
        let order = ties.settle(&purpose, &tied)?;
        chosen.extend(order.into_iter().take(remaining - chosen.len()));
        Some(chosen)
    }

    /// Elect `sorted` (most votes first) in one round.
    fn elect(&mut self, sorted: &[CandidateIndex]) {
        for candidate in sorted {
            self.mark(*candidate, Status::Elected);
        }
        let tiers = rounds::tiers_by_votes(sorted, |c| self.votes_of(c));
        self.elected_tiers.extend(tiers);
    }

    fn mark(&mut self, candidate: CandidateIndex, status: Status) {
        if let Some(slot) = self.status.get_mut(candidate.index()) {
            *slot = status;
        }
        self.resort = true;
        match status {
            Status::Elected => self.elected.push(candidate),
            Status::Excluded => {
                self.excluded.push(vec![candidate]);
                if let Some(keep) = self.keep.get_mut(candidate.index()) {
                    *keep = 0;
                }
            }
            Status::Hopeful | Status::Withdrawn => {}
        }
    }

    fn sort_by_votes(&self, list: &mut [CandidateIndex]) {
        list.sort_by(|a, b| {
            self.votes_of(*b)
                .cmp(&self.votes_of(*a))
                .then_with(|| self.candidates.name(*a).cmp(self.candidates.name(*b)))
        });
    }

    /// The round as the current distribution stands.
    fn record(&self, number: u32, quota: u128) -> Round {
        let mut round = rounds::round(
            number,
            Some(ExactVotes::fixed_point(quota, DECIMALS)),
            Vec::new(),
        );
        round.tallies = self.tallies();
        round.exhausted = ExactVotes::fixed_point(self.non_transferable, DECIMALS);
        let counted: u128 = self.votes.iter().sum::<u128>() + self.non_transferable;
        round.lost_to_rounding = Some(rounds::signed_fixed_point(
            to_i128(self.valid) - to_i128(counted),
            DECIMALS,
        ));
        round
    }

    /// Tallies with the current votes, statuses and keep values.
    fn tallies(&self) -> Vec<crate::tally::result::CandidateTally> {
        rounds::tallies(
            self.candidates,
            &self.status,
            |c| ExactVotes::fixed_point(self.votes_of(c), DECIMALS),
            |c| {
                (status_of(&self.status, c) != Status::Withdrawn).then(|| {
                    // Excluded candidates show the keep value they had when excluded
                    // only in that round's decision; from then on it is 0.
                    ExactVotes::fixed_point(u128::from(self.keep_of(c)), DECIMALS)
                })
            },
        )
    }

    fn transfers(
        &self,
        from: CandidateIndex,
        before: &[u128],
        non_transferable_before: u128,
    ) -> Vec<crate::tally::result::Transfer> {
        let mut transfers = Vec::new();
        for candidate in self.candidates.indices() {
            let then = before.get(candidate.index()).copied().unwrap_or(0);
            let now = self.votes_of(candidate);
            if candidate != from && now > then {
                transfers.push(rounds::transfer(
                    self.candidates,
                    from,
                    Some(candidate),
                    ExactVotes::fixed_point(now - then, DECIMALS),
                ));
            }
        }
        if self.non_transferable > non_transferable_before {
            transfers.push(rounds::transfer(
                self.candidates,
                from,
                None,
                ExactVotes::fixed_point(self.non_transferable - non_transferable_before, DECIMALS),
            ));
        }
        transfers
    }
}

fn iteration_text(iterations: u32) -> String {
    if iterations == 1 {
        "1 iteration".to_owned()
    } else {
        format!("{iterations} iterations")
    }
}

fn to_i128(value: u128) -> i128 {
    i128::try_from(value).unwrap_or(i128::MAX)
}

/// The rules, one sentence each, for `options.rules`.
#[must_use]
pub fn rules() -> Vec<String> {
    vec![
        "meek stv as new zealand counts it (local electoral regulations 2001, schedule 1a; hill, wichmann and woodall, algorithm 123), 9 decimal places".to_owned(),
        "each paper starts at value 1; each candidate on it with a keep value receives value × keep value rounded up, and value × (1 − keep value) rounded up goes on; hopeful candidates keep 1, excluded ones 0".to_owned(),
        "the quota is recomputed every iteration: (valid votes − non-transferable votes) / (seats + 1), truncated to 9 places, plus 0.000000001".to_owned(),
        "a hopeful candidate with at least the quota is elected; each elected candidate's keep value becomes keep value × quota (rounded up) / votes (rounded up), repeated until the total surplus is below 0.00001 or stops falling".to_owned(),
        "then the hopeful candidate with the fewest votes is excluded (keep value 0); votes created by rounding up are shown as a negative loss to rounding".to_owned(),
        LOOK_BACK.describe("exclusion"),
        "when the hopeful candidates are no more than the seats left, they are all elected".to_owned(),
    ]
}
