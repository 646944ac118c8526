//! Properties of IRV, STV and cumulative voting that must hold for any election, and two
//! independent slow counts to check the fast ones against.
//!
//! - STV with one seat elects the IRV winner. This holds exactly for Scottish STV and
//!   ERS97 with both `--irv-tied-rank` rules, and for Meek when no ballot ranks
//!   candidates equal (Meek reads every ballot afresh at every iteration, so a shared
//!   rank is judged again once one of its candidates is out, where IRV's verdict
//!   stands), provided the counts meet no tie for fewest votes: with one
//!   seat no surplus is ever transferred (the count ends at the first election), every
//!   quota (Droop's `floor(v/2) + 1`, Meek's `active/2 + 10^-9`) means "more than half"
//!   of the votes still counting, as IRV's majority does, and both exclude the single
//!   candidate with the fewest votes. They can part at a tie: IRV and ERS97 look back
//!   to the latest earlier round, Scottish STV and Meek to the earliest, IRV excludes a
//!   hopeless tied group at once, and draws depend on round numbers. So the test
//!   compares counts in which neither side met a tie.
//! - Cumulative voting with one seat and one vote per ballot is plurality.
//! - The order of the ballots never matters, nor the order of the candidates; renaming
//!   candidates renames the winners.
//! - Votes are conserved: in every round the tallies, the exhausted votes and the votes
//!   lost to rounding add up to the valid ballots.
//! - A candidate with a quota of first preferences is elected.
//! - IRV agrees with a naive recount from scratch every round; ERS97 agrees with a slow
//!   paper-by-paper count in exact rationals.

use std::collections::BTreeMap;

use electorate::tally::ballot::{
    BallotOrigin, BallotSet, Ballots, Candidates, RankedBallots, RankingBuilder, ScoredBallots,
};
use electorate::tally::method::{
    CumulativeOptions, IrvOptions, Method, StvOptions, StvVariant, TiedRank,
};
use electorate::tally::result::{Audit, Round, TallyResult};
use electorate::tally::{CandidateIndex, Contest, InputFormat, tally};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};
use proptest::prelude::*;

const VARIANTS: [StvVariant; 3] = [StvVariant::Meek, StvVariant::Scottish, StvVariant::Ers];
const TIED_RANKS: [TiedRank; 2] = [TiedRank::Exhaust, TiedRank::Skip];

/// A generated ballot: each candidate's rank (or none), and a weight.
#[derive(Debug, Clone)]
struct Generated {
    ranks: Vec<Option<u32>>,
    weight: u64,
}

/// 2 to 6 candidates, 1 to 30 ballots; ranks mostly distinct, sometimes shared.
fn election() -> impl Strategy<Value = (usize, Vec<Generated>)> {
    (2usize..7).prop_flat_map(|count| {
        let max_rank = u32::try_from(count).unwrap_or(2);
        let ballot = (
            prop::collection::vec(prop::option::weighted(0.7, 1..=max_rank), count),
            1u64..6,
        )
            .prop_map(|(ranks, weight)| Generated { ranks, weight });
        (Just(count), prop::collection::vec(ballot, 1..30))
    })
}

fn names(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("C{i}")).collect()
}

fn ranked_set(names: &[String], ballots: &[Generated]) -> BallotSet {
    let candidates = Candidates::from_names(names).unwrap();
    let mut set = RankedBallots::new();
    for (line, ballot) in (1u32..).zip(ballots) {
        let mut builder = RankingBuilder::new(names.len());
        builder.set_from_ranks(&ballot.ranks);
        set.push(ballot.weight, &builder, None, BallotOrigin { line })
            .unwrap();
    }
    BallotSet {
        file: "generated".to_owned(),
        format: InputFormat::Csv,
        title: None,
        seats: None,
        candidates,
        ballots: Ballots::Ranked(set),
    }
}

fn count(set: &BallotSet, method: &Method, seats: u32) -> TallyResult {
    let contest = Contest {
        seats,
        tie_seed: Some("property".to_owned()),
        max_per_affiliation: None,
        default_option: None,
    };
    tally(set, method, &contest).expect("a count")
}

fn stv(variant: StvVariant, tied_rank: TiedRank) -> Method {
    Method::Stv(StvOptions { variant, tied_rank })
}

fn irv(tied_rank: TiedRank) -> Method {
    Method::Irv(IrvOptions { tied_rank })
}

fn rounds(result: &TallyResult) -> &[Round] {
    match &result.audit {
        Audit::Rounds(audit) => &audit.rounds,
        _ => &[],
    }
}

/// An `ExactVotes` string as an exact number.
fn exact(text: &str) -> BigRational {
    let (negative, body) = text
        .strip_prefix('-')
        .map_or((false, text), |rest| (true, rest));
    let value = if let Some((numerator, denominator)) = body.split_once('/') {
        BigRational::new(numerator.parse().unwrap(), denominator.parse().unwrap())
    } else if let Some((whole, fraction)) = body.split_once('.') {
        let digits: BigInt = format!("{whole}{fraction}").parse().unwrap();
        let scale = num_traits::pow(BigInt::from(10), fraction.len());
        BigRational::new(digits, scale)
    } else {
        BigRational::from_integer(body.parse().unwrap())
    };
    if negative { -value } else { value }
}

fn shuffled(ballots: &[Generated], seed: u64) -> Vec<Generated> {
    let mut out: Vec<Generated> = ballots
        .iter()
        .flat_map(|ballot| {
            (0..ballot.weight).map(|_| Generated {
                weight: 1,
                ..ballot.clone()
            })
        })
        .collect();
    let mut state = seed | 1;
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
        out.swap(i, j);
    }
    out
}

/// Whether the count met a tie for fewest votes (or surplus order), settled by earlier
/// rounds, by the draw, or not at all.
fn met_a_tie(result: &TallyResult) -> bool {
    !result.ties.is_empty()
        || rounds(result).iter().any(|round| {
            round.note.as_deref().is_some_and(|note| {
                note.contains("tie between") || note.contains("tied for fewest")
            })
        })
}

fn comparable(result: &TallyResult) -> serde_json::Value {
    let mut json = serde_json::to_value(result).unwrap();
    json["ballots"]["records"] = serde_json::Value::Null;
    json
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn stv_with_one_seat_elects_the_irv_winner((size, ballots) in election()) {
        let set = ranked_set(&names(size), &ballots);
        // Meek reads every ballot afresh at every iteration, so a shared rank can count
        // differently once one of its candidates is out; with strict rankings it agrees.
        let strict = ballots.iter().all(|ballot| {
            let ranks: Vec<u32> = ballot.ranks.iter().flatten().copied().collect();
            let mut distinct = ranks.clone();
            distinct.sort_unstable();
            distinct.dedup();
            distinct.len() == ranks.len()
        });
        for tied_rank in TIED_RANKS {
            let by_irv = count(&set, &irv(tied_rank), 1);
            for variant in VARIANTS {
                if variant == StvVariant::Meek && !strict {
                    continue;
                }
                let by_stv = count(&set, &stv(variant, tied_rank), 1);
                if !met_a_tie(&by_irv) && !met_a_tie(&by_stv) {
                    prop_assert_eq!(&by_stv.winners, &by_irv.winners, "{:?} {:?}", variant, tied_rank);
                }
            }
        }
    }

    #[test]
    fn ballot_order_never_matters((size, ballots) in election(), seed in any::<u64>(), seats in 1u32..4) {
        let names = names(size);
        let seats = seats.min(u32::try_from(size).unwrap_or(1));
        let original = ranked_set(&names, &ballots);
        let reordered = ranked_set(&names, &shuffled(&ballots, seed));
        let mut methods = vec![irv(TiedRank::Exhaust), irv(TiedRank::Skip)];
        methods.extend(VARIANTS.map(|variant| stv(variant, TiedRank::Exhaust)));
        methods.push(stv(StvVariant::Meek, TiedRank::Skip));
        for method in &methods {
            prop_assert_eq!(
                comparable(&count(&original, method, seats)),
                comparable(&count(&reordered, method, seats)),
                "{:?}", method
            );
        }
    }

    #[test]
    fn renaming_candidates_renames_the_winners((size, ballots) in election(), seats in 1u32..4) {
        let seats = seats.min(u32::try_from(size).unwrap_or(1));
        let before = names(size);
        // Names whose byte order is the reverse of the originals'.
        let after: Vec<String> = (0..size).map(|i| format!("Z{}", 9 - i)).collect();
        let renamed = |name: &String| {
            let position = before.iter().position(|b| b == name).unwrap();
            after[position].clone()
        };
        let mut methods = vec![irv(TiedRank::Exhaust)];
        methods.extend(VARIANTS.map(|variant| stv(variant, TiedRank::Exhaust)));
        for method in &methods {
            let first = count(&ranked_set(&before, &ballots), method, seats);
            let second = count(&ranked_set(&after, &ballots), method, seats);
            // Draws hash the names, so only counts without ties must agree.
            if !met_a_tie(&first) && !met_a_tie(&second) {
                let mut expected: Vec<String> = first.winners.iter().map(renamed).collect();
                let mut got = second.winners.clone();
                expected.sort();
                got.sort();
                prop_assert_eq!(got, expected, "{:?}", method);
            }
        }
    }

    #[test]
    fn the_order_of_the_candidates_never_changes_the_result(
        (size, ballots) in election(),
        seats in 1u32..4,
        rotation in 1usize..6,
    ) {
        // The same names and ballots with the candidate columns rotated: tie draws hash
        // names and look-backs compare votes, so nothing may depend on the column order,
        // not even the order of candidates decided in one round.
        let seats = seats.min(u32::try_from(size).unwrap_or(1));
        let before = names(size);
        let moved = |list: &[Option<u32>]| {
            let mut list = list.to_vec();
            list.rotate_left(rotation % size);
            list
        };
        let mut after = before.clone();
        after.rotate_left(rotation % size);
        let rotated: Vec<Generated> = ballots
            .iter()
            .map(|ballot| Generated { ranks: moved(&ballot.ranks), weight: ballot.weight })
            .collect();
        let mut methods = vec![irv(TiedRank::Exhaust), irv(TiedRank::Skip)];
        for tied_rank in TIED_RANKS {
            methods.extend(VARIANTS.map(|variant| stv(variant, tied_rank)));
        }
        for method in &methods {
            let first = count(&ranked_set(&before, &ballots), method, seats);
            let second = count(&ranked_set(&after, &rotated), method, seats);
            prop_assert_eq!(&first.winners, &second.winners, "{:?}", method);
            prop_assert_eq!(&first.ranking, &second.ranking, "{:?}", method);
            prop_assert_eq!(
                serde_json::to_value(&first.ties).unwrap(),
                serde_json::to_value(&second.ties).unwrap(),
                "{:?}", method
            );
        }
    }

    #[test]
    fn votes_are_conserved_in_every_round((size, ballots) in election(), seats in 1u32..4) {
        let seats = seats.min(u32::try_from(size).unwrap_or(1));
        let set = ranked_set(&names(size), &ballots);
        let mut methods = vec![irv(TiedRank::Exhaust), irv(TiedRank::Skip)];
        for tied_rank in TIED_RANKS {
            methods.extend(VARIANTS.map(|variant| stv(variant, tied_rank)));
        }
        for method in &methods {
            let result = count(&set, method, seats);
            let valid = BigRational::from_integer(BigInt::from(result.ballots.counted - result.ballots.blank));
            for round in rounds(&result) {
                let mut total: BigRational = round.tallies.iter().map(|t| exact(t.votes.as_str())).sum();
                total += exact(round.exhausted.as_str());
                if let Some(lost) = &round.lost_to_rounding {
                    total += exact(lost.as_str());
                }
                prop_assert_eq!(&total, &valid, "{:?} round {}", method, round.number);
            }
        }
    }

    #[test]
    fn a_quota_of_first_preferences_is_elected((size, ballots) in election(), seats in 1u32..4) {
        let seats = seats.min(u32::try_from(size).unwrap_or(1));
        let set = ranked_set(&names(size), &ballots);
        for variant in VARIANTS {
            let result = count(&set, &stv(variant, TiedRank::Exhaust), seats);
            let first = &rounds(&result)[0];
            let quota = exact(first.quota.as_ref().unwrap().as_str());
            for tally in &first.tallies {
                if exact(tally.votes.as_str()) >= quota {
                    prop_assert!(result.winners.contains(&tally.candidate), "{:?}: {}", variant, tally.candidate);
                }
            }
        }
    }

    #[test]
    fn cumulative_with_one_seat_and_one_vote_is_plurality(
        size in 2usize..6,
        marks in prop::collection::vec((prop::collection::btree_set(0usize..6, 0..3), 1u64..5), 1..30),
    ) {
        let names = names(size);
        let candidates = Candidates::from_names(&names).unwrap();
        let mut ranked = RankedBallots::new();
        let mut scored = ScoredBallots::new();
        for (line, (marked, weight)) in (1u32..).zip(&marks) {
            let marked: Vec<usize> = marked.iter().copied().filter(|c| *c < size).collect();
            // Plurality: the marked candidates ranked equal first.
            let mut ranks = vec![None; size];
            for candidate in &marked {
                ranks[*candidate] = Some(1);
            }
            let mut builder = RankingBuilder::new(size);
            builder.set_from_ranks(&ranks);
            ranked.push(*weight, &builder, None, BallotOrigin { line }).unwrap();
            // Cumulative: one vote for each marked candidate.
            let votes: Vec<(CandidateIndex, u32)> = marked
                .iter()
                .map(|c| (CandidateIndex::new(*c).unwrap(), 1))
                .collect();
            scored.push(*weight, &votes, None, BallotOrigin { line }).unwrap();
        }
        let set = |ballots| BallotSet {
            file: "generated".to_owned(),
            format: InputFormat::Csv,
            title: None,
            seats: None,
            candidates: candidates.clone(),
            ballots,
        };
        let plurality = count(&set(Ballots::Ranked(ranked)), &Method::Plurality, 1);
        let cumulative = count(
            &set(Ballots::Scored(scored)),
            &Method::Cumulative(CumulativeOptions { votes_per_ballot: Some(1) }),
            1,
        );
        prop_assert_eq!(&cumulative.winners, &plurality.winners);
        prop_assert_eq!(&cumulative.ranking, &plurality.ranking);
        let (Audit::CumulativeVotes(votes), Audit::FirstPreferences(firsts)) =
            (&cumulative.audit, &plurality.audit)
        else {
            panic!("wrong audits");
        };
        prop_assert_eq!(votes, firsts);
    }

    #[test]
    fn irv_agrees_with_a_naive_recount((size, ballots) in election(), tied_rank in prop::sample::select(TIED_RANKS.to_vec())) {
        let names = names(size);
        let result = count(&ranked_set(&names, &ballots), &irv(tied_rank), 1);
        if let Some((winner, excluded)) = naive_irv(size, &ballots, tied_rank) {
            prop_assert!(result.ties.is_empty());
            prop_assert_eq!(&result.winners, &vec![names[winner].clone()]);
            let order: Vec<String> = rounds(&result).iter().flat_map(|r| r.eliminated.clone()).collect();
            let expected: Vec<String> = excluded.iter().map(|c| names[*c].clone()).collect();
            prop_assert_eq!(order, expected);
        }
    }

    #[test]
    fn meek_agrees_with_a_literal_count((size, ballots) in election(), seats in 1u32..4, tied_rank in prop::sample::select(TIED_RANKS.to_vec())) {
        let seats = seats.min(u32::try_from(size).unwrap_or(1));
        let names = names(size);
        let result = count(&ranked_set(&names, &ballots), &stv(StvVariant::Meek, tied_rank), seats);
        if let Some((elected, excluded, tallies)) = literal_meek(size, &ballots, seats as usize, tied_rank) {
            prop_assert!(result.ties.is_empty());
            let expected: Vec<String> = elected.iter().map(|c| names[*c].clone()).collect();
            prop_assert_eq!(&result.winners, &expected);
            let order: Vec<String> = rounds(&result).iter().flat_map(|r| r.eliminated.clone()).collect();
            let expected: Vec<String> = excluded.iter().map(|c| names[*c].clone()).collect();
            prop_assert_eq!(order, expected);
            let got: Vec<Vec<String>> = rounds(&result)
                .iter()
                .map(|round| round.tallies.iter().map(|t| t.votes.to_string()).collect())
                .collect();
            prop_assert_eq!(got, tallies);
        }
    }

    #[test]
    fn ers_agrees_with_a_slow_exact_count((size, ballots) in election(), seats in 1u32..4, tied_rank in prop::sample::select(TIED_RANKS.to_vec())) {
        let seats = seats.min(u32::try_from(size).unwrap_or(1));
        let names = names(size);
        let result = count(&ranked_set(&names, &ballots), &stv(StvVariant::Ers, tied_rank), seats);
        if let Some((elected, excluded)) = slow_ers(size, &ballots, seats as usize, tied_rank) {
            prop_assert!(result.ties.is_empty());
            let expected: Vec<String> = elected.iter().map(|c| names[*c].clone()).collect();
            prop_assert_eq!(&result.winners, &expected);
            let order: Vec<String> = rounds(&result).iter().flat_map(|r| r.eliminated.clone()).collect();
            let expected: Vec<String> = excluded.iter().map(|c| names[*c].clone()).collect();
            prop_assert_eq!(order, expected);
        }
    }
}

/// A generated ballot's tiers, best first.
fn tiers(ranks: &[Option<u32>]) -> Vec<Vec<usize>> {
    let mut distinct: Vec<u32> = ranks.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct
        .iter()
        .map(|rank| {
            (0..ranks.len())
                .filter(|c| ranks[*c] == Some(*rank))
                .collect()
        })
        .collect()
}

/// The first tier from `from` on that settles where a ballot goes: `Some((candidate,
/// tier))`, or `None` when it goes nowhere.
fn next(
    tiers: &[Vec<usize>],
    from: usize,
    tied_rank: TiedRank,
    open: impl Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    for (position, tier) in tiers.iter().enumerate().skip(from) {
        let open: Vec<usize> = tier.iter().copied().filter(|c| open(*c)).collect();
        match (open.as_slice(), tied_rank) {
            ([only], _) => return Some((*only, position)),
            ([], _) | (_, TiedRank::Skip) => {}
            (_, TiedRank::Exhaust) => return None,
        }
    }
    None
}

/// A ballot of the naive IRV count: its tiers, weight, and (candidate, tier) holding it.
type Held = (Vec<Vec<usize>>, u64, Option<(usize, usize)>);

/// IRV by recounting the tallies from every single ballot each round; a ballot moves on
/// only when its candidate is excluded (so a tied rank's verdict stands, as the fast
/// count's rule says). `None` when a tie for fewest votes arises (the fast count settles
/// those by rules this naive count does not repeat). Returns the winner and the
/// exclusion order.
fn naive_irv(
    size: usize,
    ballots: &[Generated],
    tied_rank: TiedRank,
) -> Option<(usize, Vec<usize>)> {
    let mut out = vec![false; size];
    let mut excluded = Vec::new();
    let mut held: Vec<Held> = ballots
        .iter()
        .map(|ballot| {
            let tiers = tiers(&ballot.ranks);
            let first = next(&tiers, 0, tied_rank, |_| true);
            (tiers, ballot.weight, first)
        })
        .collect();
    loop {
        let mut votes = vec![0u64; size];
        for (_, weight, holder) in &held {
            if let Some((candidate, _)) = holder {
                votes[*candidate] += weight;
            }
        }
        let hopeful: Vec<usize> = (0..size).filter(|c| !out[*c]).collect();
        let total: u64 = hopeful.iter().map(|c| votes[*c]).sum();
        if hopeful.len() == 1 {
            return Some((hopeful[0], excluded));
        }
        if let Some(winner) = hopeful.iter().find(|c| 2 * votes[**c] > total) {
            return Some((*winner, excluded));
        }
        let fewest = hopeful.iter().map(|c| votes[*c]).min()?;
        let lowest: Vec<usize> = hopeful
            .iter()
            .copied()
            .filter(|c| votes[*c] == fewest)
            .collect();
        if lowest.len() > 1 {
            return None;
        }
        out[lowest[0]] = true;
        excluded.push(lowest[0]);
        for (tiers, _, holder) in &mut held {
            if let Some((candidate, tier)) = *holder
                && candidate == lowest[0]
            {
                *holder = next(tiers, tier + 1, tied_rank, |c| !out[c]);
            }
        }
    }
}

/// One paper of the slow ERS97 count.
#[derive(Clone)]
struct Paper {
    tiers: Vec<Vec<usize>>,
    value: BigRational,
    holder: Option<usize>,
    tier: usize,
    /// Which transfer brought the paper to its holder (0: first preferences).
    batch: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Hopeful,
    Elected,
    Excluded,
}

/// ERS97 in exact rationals, one paper per ballot, recomputing every total from the
/// papers (except an elected candidate's, which stays at the quota once their surplus
/// has gone). `None` at any exact tie for fewest votes or for the largest surplus.
/// Returns the elected in order and the exclusion order.
fn slow_ers(
    size: usize,
    ballots: &[Generated],
    seats: usize,
    tied_rank: TiedRank,
) -> Option<(Vec<usize>, Vec<usize>)> {
    let mut state = vec![State::Hopeful; size];
    let mut papers: Vec<Paper> = Vec::new();
    for ballot in ballots {
        let tiers = tiers(&ballot.ranks);
        if tiers.is_empty() {
            continue;
        }
        let first = next(&tiers, 0, tied_rank, |_| true);
        for _ in 0..ballot.weight {
            papers.push(Paper {
                tiers: tiers.clone(),
                value: BigRational::one(),
                holder: first.map(|(c, _)| c),
                tier: first.map_or(0, |(_, t)| t),
                batch: 0,
            });
        }
    }
    let valid = papers.iter().filter(|p| p.holder.is_some()).count();
    let quota = BigRational::from_integer(BigInt::from(valid / (seats + 1) + 1));
    let mut fixed: BTreeMap<usize, BigRational> = BTreeMap::new();
    let mut surplus_done = vec![false; size];
    let mut elected = Vec::new();
    let mut excluded = Vec::new();
    let mut pending: Vec<(BigRational, Vec<usize>)> = Vec::new();
    let mut batch = 0usize;
    let votes = |papers: &[Paper], fixed: &BTreeMap<usize, BigRational>, c: usize| {
        fixed.get(&c).cloned().unwrap_or_else(|| {
            papers
                .iter()
                .filter(|p| p.holder == Some(c))
                .map(|p| p.value.clone())
                .sum()
        })
    };
    loop {
        let mut reaching: Vec<(BigRational, usize)> = (0..size)
            .filter(|c| state[*c] == State::Hopeful)
            .map(|c| (votes(&papers, &fixed, c), c))
            .filter(|(v, _)| *v >= quota)
            .collect();
        reaching.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, c) in reaching {
            state[c] = State::Elected;
            elected.push(c);
        }
        let hopeful: Vec<usize> = (0..size).filter(|c| state[*c] == State::Hopeful).collect();
        if elected.len() >= seats {
            elected.truncate(seats);
            return Some((elected, excluded));
        }
        if hopeful.len() <= seats - elected.len() {
            let mut rest: Vec<(BigRational, usize)> = hopeful
                .iter()
                .map(|c| (votes(&papers, &fixed, *c), *c))
                .collect();
            rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            elected.extend(rest.into_iter().map(|(_, c)| c));
            return Some((elected, excluded));
        }
        batch += 1;
        let open = |state: &[State], c: usize| state[c] == State::Hopeful;
        if let Some((_, indices)) = pending.pop() {
            // The next stage of an exclusion: papers of one value, highest first.
            move_papers(&mut papers, &indices, &state, tied_rank, batch);
            continue;
        }
        let waiting: Vec<(BigRational, usize)> = elected
            .iter()
            .copied()
            .filter(|c| !surplus_done[*c])
            .map(|c| (votes(&papers, &fixed, c) - &quota, c))
            .filter(|(s, _)| *s > BigRational::zero())
            .collect();
        if let Some(largest) = waiting.iter().map(|(s, _)| s.clone()).max() {
            let tied: Vec<usize> = waiting
                .iter()
                .filter(|(s, _)| *s == largest)
                .map(|(_, c)| *c)
                .collect();
            if tied.len() > 1 {
                return None;
            }
            let c = tied[0];
            surplus_done[c] = true;
            let last = papers
                .iter()
                .filter(|p| p.holder == Some(c))
                .map(|p| p.batch)
                .max()?;
            let parcel: Vec<usize> = (0..papers.len())
                .filter(|i| papers[*i].holder == Some(c) && papers[*i].batch == last)
                .collect();
            let movable: Vec<(usize, usize, usize)> = parcel
                .iter()
                .filter_map(|i| {
                    next(&papers[*i].tiers, papers[*i].tier + 1, tied_rank, |x| {
                        open(&state, x)
                    })
                    .map(|(to, t)| (*i, to, t))
                })
                .collect();
            let own = papers[parcel[0]].value.clone();
            let count = BigRational::from_integer(BigInt::from(movable.len()));
            let value = if own.clone() * &count <= largest {
                own
            } else {
                largest / count
            };
            for (i, to, t) in movable {
                papers[i].holder = Some(to);
                papers[i].tier = t;
                papers[i].value = value.clone();
                papers[i].batch = batch;
            }
            fixed.insert(c, quota.clone());
            continue;
        }
        let fewest = hopeful.iter().map(|c| votes(&papers, &fixed, *c)).min()?;
        let lowest: Vec<usize> = hopeful
            .iter()
            .copied()
            .filter(|c| votes(&papers, &fixed, *c) == fewest)
            .collect();
        if lowest.len() > 1 {
            return None;
        }
        let out = lowest[0];
        state[out] = State::Excluded;
        excluded.push(out);
        // Stages by value, highest first; `pending` pops from the end, so the lowest
        // value goes in first.
        let mut by_value: BTreeMap<BigRational, Vec<usize>> = BTreeMap::new();
        for (i, paper) in papers.iter().enumerate() {
            if paper.holder == Some(out) {
                by_value.entry(paper.value.clone()).or_default().push(i);
            }
        }
        pending = by_value.into_iter().collect();
        if let Some((_, indices)) = pending.pop() {
            move_papers(&mut papers, &indices, &state, tied_rank, batch);
        }
    }
}

/// Move papers on to their next hopeful preference (or nowhere), as one batch.
fn move_papers(
    papers: &mut [Paper],
    indices: &[usize],
    state: &[State],
    tied_rank: TiedRank,
    batch: usize,
) {
    for i in indices {
        let paper = &mut papers[*i];
        match next(&paper.tiers, paper.tier + 1, tied_rank, |c| {
            state[c] == State::Hopeful
        }) {
            Some((c, t)) => {
                paper.holder = Some(c);
                paper.tier = t;
                paper.batch = batch;
            }
            None => paper.holder = None,
        }
    }
}

/// The elected in order, the excluded in order, and every round's tallies as text.
type MeekCount = (Vec<usize>, Vec<usize>, Vec<Vec<String>>);

/// Meek as Schedule 1A writes it, ballot by ballot (no merging, no fast paths): every
/// ballot read from its first rank at every iteration, 9-decimal units, products rounded
/// up, the quota truncated plus 10^-9. `None` at a tie for fewest votes or more
/// candidates reaching the quota than seats. Returns the elected in order, the excluded
/// in order, and every round's tallies as the audit writes them.
fn literal_meek(
    size: usize,
    ballots: &[Generated],
    seats: usize,
    tied_rank: TiedRank,
) -> Option<MeekCount> {
    const ONE: u64 = 1_000_000_000;
    let mut copies: Vec<Vec<Vec<usize>>> = Vec::new();
    for ballot in ballots {
        let tiers = tiers(&ballot.ranks);
        if !tiers.is_empty() {
            for _ in 0..ballot.weight {
                copies.push(tiers.clone());
            }
        }
    }
    let valid = copies.len() as u128 * u128::from(ONE);
    let mut keep = vec![ONE; size];
    let mut state = vec![State::Hopeful; size];
    let mut elected = Vec::new();
    let mut excluded = Vec::new();
    let mut recorded = Vec::new();
    let distribute = |keep: &[u64]| {
        let mut votes = vec![0u128; size];
        let mut left = 0u128;
        for tiers in &copies {
            let mut value = ONE;
            let mut from = 0;
            while value > 0 {
                let Some((c, t)) = next(tiers, from, tied_rank, |c| keep[c] > 0) else {
                    break;
                };
                let k = keep[c];
                let (kept, passed) = if k == ONE {
                    (value, 0)
                } else {
                    ((value * k).div_ceil(ONE), (value * (ONE - k)).div_ceil(ONE))
                };
                votes[c] += u128::from(kept);
                value = passed;
                from = t + 1;
            }
            left += u128::from(value);
        }
        let quota = (valid - left) / (seats as u128 + 1) + 1;
        (votes, quota)
    };
    let text = |votes: &[u128]| -> Vec<String> {
        votes
            .iter()
            .map(|v| format!("{}.{:09}", v / u128::from(ONE), v % u128::from(ONE)))
            .collect()
    };
    while elected.len() < seats {
        let (mut votes, mut quota) = distribute(&keep);
        let hopeful: Vec<usize> = (0..size).filter(|c| state[*c] == State::Hopeful).collect();
        if hopeful.len() <= seats - elected.len() {
            let mut rest = hopeful;
            rest.sort_by(|a, b| votes[*b].cmp(&votes[*a]).then(a.cmp(b)));
            elected.extend(rest);
            recorded.push(text(&votes));
            break;
        }
        let mut last: Option<u128> = None;
        loop {
            let mut reaching: Vec<usize> = (0..size)
                .filter(|c| state[*c] == State::Hopeful && votes[*c] >= quota)
                .collect();
            if !reaching.is_empty() {
                if reaching.len() > seats - elected.len() {
                    return None;
                }
                reaching.sort_by(|a, b| votes[*b].cmp(&votes[*a]).then(a.cmp(b)));
                for c in &reaching {
                    state[*c] = State::Elected;
                }
                elected.extend(reaching);
                recorded.push(text(&votes));
                break;
            }
            let surplus: i128 = elected
                .iter()
                .map(|c| votes[*c] as i128 - quota as i128)
                .sum();
            let surplus = u128::try_from(surplus).unwrap_or(0);
            if surplus < 10_000 || last.is_some_and(|l| surplus >= l) {
                let fewest = (0..size)
                    .filter(|c| state[*c] == State::Hopeful)
                    .map(|c| votes[c])
                    .min()?;
                let lowest: Vec<usize> = (0..size)
                    .filter(|c| state[*c] == State::Hopeful && votes[*c] == fewest)
                    .collect();
                if lowest.len() > 1 {
                    return None;
                }
                state[lowest[0]] = State::Excluded;
                keep[lowest[0]] = 0;
                excluded.push(lowest[0]);
                recorded.push(text(&votes));
                break;
            }
            last = Some(surplus);
            for c in &elected {
                // Re-reading can take every vote from an elected candidate (a shared
                // rank before them resolves once a candidate is out); their keep value
                // then stays as it is.
                if votes[*c] == 0 {
                    continue;
                }
                let share = (u128::from(keep[*c]) * quota).div_ceil(u128::from(ONE));
                let new = (share * u128::from(ONE)).div_ceil(votes[*c]);
                keep[*c] = u64::try_from(new.min(u128::from(ONE))).unwrap_or(ONE);
            }
            (votes, quota) = distribute(&keep);
        }
    }
    Some((elected, excluded, recorded))
}
