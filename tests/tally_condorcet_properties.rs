//! The Condorcet methods against independent, obviously correct slow implementations,
//! and properties that must hold for every election, on random small elections (up to
//! six candidates, ties and unranked candidates on the ballots, weights).
//!
//! The oracles share nothing with the library but the election: they read each ballot's
//! rank numbers directly (no tiers, no `write_positions`), compare defeats with tuples
//! instead of integer keys, enumerate every path for Schulze, search cycles by
//! depth-first search for ranked pairs (and, when no two majorities are equally strong,
//! check the result against every ordering of the candidates), and follow CIVS's
//! description of Condorcet-IRV step by step.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashSet};

use electorate::tally::ballot::{
    BallotOrigin, BallotSet, Ballots, Candidates, RankedBallots, RankingBuilder, Unranked,
};
use electorate::tally::method::{
    CondorcetIrvOptions, CondorcetOptions, Contest, Method, RankingRule, SchulzeOptions, Strength,
    TiedRank, tally,
};
use electorate::tally::result::{Audit, CondorcetAudit, TallyResult};
use electorate::tally::tie::{describe, draw_digest};
use electorate::tally::{InputFormat, TallyError};
use proptest::prelude::*;

/// A generated election: each ballot's rank per candidate (smaller is better, equal
/// ranks tie, `None` unranked) and its weight.
#[derive(Debug, Clone)]
struct Election {
    count: usize,
    ballots: Vec<(Vec<Option<u32>>, u64)>,
}

fn election_with(max_weight: u64) -> impl Strategy<Value = Election> {
    election_shaped(6, max_weight)
}

/// Elections of 1 to `max_count` candidates, ballots weighing 1 to `max_weight`.
fn election_shaped(max_count: usize, max_weight: u64) -> impl Strategy<Value = Election> {
    (1..=max_count).prop_flat_map(move |count| {
        let top = u32::try_from(count).unwrap_or(u32::MAX);
        let ranks = prop::collection::vec(prop::option::weighted(0.8, 1..=top), count);
        prop::collection::vec((ranks, 1..=max_weight), 0..25)
            .prop_map(move |ballots| Election { count, ballots })
    })
}

fn election() -> impl Strategy<Value = Election> {
    election_with(4)
}

fn names(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("C{i}")).collect()
}

fn ballot_set(election: &Election, names: &[String]) -> BallotSet {
    let candidates = Candidates::from_names(names).expect("distinct names");
    let mut ballots = RankedBallots::new();
    let mut builder = RankingBuilder::new(election.count);
    for (line, (ranks, weight)) in (1u32..).zip(&election.ballots) {
        builder.set_from_ranks(ranks);
        ballots
            .push(*weight, &builder, None, BallotOrigin { line })
            .expect("small weights");
    }
    BallotSet {
        file: "generated.csv".to_owned(),
        format: InputFormat::Csv,
        title: None,
        seats: None,
        candidates,
        ballots: Ballots::Ranked(ballots),
    }
}

fn contest(seats: u32, seed: Option<&str>) -> Contest {
    Contest {
        seats,
        tie_seed: seed.map(str::to_owned),
        max_per_affiliation: None,
        default_option: None,
    }
}

fn run(set: &BallotSet, method: &Method, contest: &Contest) -> TallyResult {
    match tally(set, method, contest) {
        Ok(result) => result,
        Err(error) => panic!("{method:?}: {error}"),
    }
}

fn condorcet_audit(result: &TallyResult) -> &CondorcetAudit {
    match &result.audit {
        Audit::Condorcet(audit) => audit,
        other => panic!("not a Condorcet audit: {other:?}"),
    }
}

/// Every method with every combination of its options.
fn all_methods() -> Vec<Method> {
    let mut methods = Vec::new();
    for unranked in [Unranked::Ignore, Unranked::Last] {
        for strength in [Strength::Winning, Strength::Margin] {
            for ranking in [RankingRule::Civs, RankingRule::Elekto] {
                methods.push(Method::Schulze(SchulzeOptions {
                    unranked,
                    strength,
                    ranking,
                }));
            }
            methods.push(Method::RankedPairs(CondorcetOptions { unranked, strength }));
            methods.push(Method::Minimax(CondorcetOptions { unranked, strength }));
        }
        for tied_rank in [TiedRank::Exhaust, TiedRank::Skip] {
            methods.push(Method::CondorcetIrv(CondorcetIrvOptions {
                unranked,
                tied_rank,
            }));
        }
    }
    methods
}

fn unranked_of(method: &Method) -> Unranked {
    match method {
        Method::Schulze(options) => options.unranked,
        Method::RankedPairs(options) | Method::Minimax(options) => options.unranked,
        Method::CondorcetIrv(options) => options.unranked,
        _ => Unranked::Ignore,
    }
}

// ---------------------------------------------------------------------------------
// The oracles.

/// `d[a][b]`, straight from the rank numbers.
fn oracle_pairwise(election: &Election, unranked: Unranked) -> Vec<Vec<u64>> {
    let n = election.count;
    let mut d = vec![vec![0u64; n]; n];
    for (a, row) in d.iter_mut().enumerate() {
        for (b, cell) in row.iter_mut().enumerate() {
            for (ranks, weight) in &election.ballots {
                let prefers = match (ranks[a], ranks[b]) {
                    (Some(x), Some(y)) => x < y,
                    (Some(_), None) => unranked == Unranked::Last,
                    _ => false,
                };
                if a != b && prefers {
                    *cell += weight;
                }
            }
        }
    }
    d
}

/// A defeat as (support, opposition).
type Link = (u64, u64);

/// How two defeats compare under a strength; `None` (no defeat, no path) is weakest.
fn compare(strength: Strength, x: Option<Link>, y: Option<Link>) -> Ordering {
    match (x, y) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => match strength {
            Strength::Winning => x.0.cmp(&y.0).then(y.1.cmp(&x.1)),
            Strength::Margin => {
                (i128::from(x.0) - i128::from(x.1)).cmp(&(i128::from(y.0) - i128::from(y.1)))
            }
        },
    }
}

fn defeat(d: &[Vec<u64>], a: usize, b: usize) -> Option<Link> {
    (d[a][b] > d[b][a]).then_some((d[a][b], d[b][a]))
}

/// The strongest path from `from` to `to`, by enumerating every simple path.
fn strongest_path(d: &[Vec<u64>], strength: Strength, from: usize, to: usize) -> Option<Link> {
    fn walk(
        d: &[Vec<u64>],
        strength: Strength,
        at: usize,
        to: usize,
        visited: &mut Vec<bool>,
        weakest: Option<Link>,
        best: &mut Option<Link>,
    ) {
        for next in 0..d.len() {
            if visited[next] {
                continue;
            }
            let Some(link) = defeat(d, at, next) else {
                continue;
            };
            let weakest = match weakest {
                Some(so_far)
                    if compare(strength, Some(so_far), Some(link)) != Ordering::Greater =>
                {
                    Some(so_far)
                }
                _ => Some(link),
            };
            if next == to {
                if compare(strength, weakest, *best) == Ordering::Greater {
                    *best = weakest;
                }
            } else {
                visited[next] = true;
                walk(d, strength, next, to, visited, weakest, best);
                visited[next] = false;
            }
        }
    }
    if from == to {
        return None;
    }
    let mut visited = vec![false; d.len()];
    visited[from] = true;
    let mut best = None;
    walk(d, strength, from, to, &mut visited, None, &mut best);
    best
}

/// Tiers by repeatedly taking the candidates nobody remaining is `above`.
fn tiers_by(n: usize, above: impl Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
    let mut remaining: Vec<usize> = (0..n).collect();
    let mut tiers = Vec::new();
    while !remaining.is_empty() {
        let tier: Vec<usize> = remaining
            .iter()
            .copied()
            .filter(|&c| !remaining.iter().any(|&o| o != c && above(o, c)))
            .collect();
        assert!(
            !tier.is_empty(),
            "a cycle in a relation that must be acyclic"
        );
        remaining.retain(|c| !tier.contains(c));
        tiers.push(tier);
    }
    tiers
}

fn oracle_schulze(
    election: &Election,
    options: SchulzeOptions,
) -> (Vec<Vec<usize>>, Vec<Vec<Option<Link>>>) {
    let n = election.count;
    let d = oracle_pairwise(election, options.unranked);
    let p: Vec<Vec<Option<Link>>> = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| strongest_path(&d, options.strength, a, b))
                .collect()
        })
        .collect();
    let beats =
        |a: usize, b: usize| compare(options.strength, p[a][b], p[b][a]) == Ordering::Greater;
    let ranking = match options.ranking {
        RankingRule::Civs => tiers_by(n, beats),
        RankingRule::Elekto => {
            let place = |c: usize| (0..n).filter(|&o| beats(o, c)).count();
            let mut places: Vec<usize> = (0..n).map(place).collect();
            places.sort_unstable();
            places.dedup();
            places
                .iter()
                .map(|&at| (0..n).filter(|&c| place(c) == at).collect())
                .collect()
        }
    };
    (ranking, p)
}

/// A majority `(winner, loser)` and whether it was locked.
type Decision = (usize, usize, bool);

/// Ranked pairs with equal majorities judged together (those contradicting the locked
/// majorities set aside first): `(winner, loser, locked)` in strength order (any order
/// within equal strength), and the ranking.
fn oracle_ranked_pairs(
    election: &Election,
    options: CondorcetOptions,
) -> (Vec<Decision>, Vec<Vec<usize>>) {
    let n = election.count;
    let d = oracle_pairwise(election, options.unranked);
    let mut majorities: Vec<(usize, usize)> = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .filter(|&(a, b)| defeat(&d, a, b).is_some())
        .collect();
    majorities
        .sort_by(|&(a, b), &(c, e)| compare(options.strength, defeat(&d, c, e), defeat(&d, a, b)));
    let reaches = |edges: &[(usize, usize)], from: usize, to: usize| {
        let mut seen = vec![false; n];
        let mut stack = vec![from];
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            if std::mem::replace(&mut seen[at], true) {
                continue;
            }
            stack.extend(edges.iter().filter(|(x, _)| *x == at).map(|(_, y)| *y));
        }
        false
    };
    let mut locked: Vec<(usize, usize)> = Vec::new();
    let mut decisions = Vec::new();
    let mut start = 0;
    while start < majorities.len() {
        let (a, b) = majorities[start];
        let group: Vec<(usize, usize)> = majorities[start..]
            .iter()
            .copied()
            .take_while(|&(c, e)| {
                compare(options.strength, defeat(&d, a, b), defeat(&d, c, e)) == Ordering::Equal
            })
            .collect();
        // Members already contradicting the locks are set aside; the rest are judged
        // together.
        let open: Vec<(usize, usize)> = group
            .iter()
            .copied()
            .filter(|&(w, l)| !reaches(&locked, l, w))
            .collect();
        let mut graph = locked.clone();
        graph.extend(&open);
        let kept: Vec<Decision> = group
            .iter()
            .map(|&(w, l)| (w, l, open.contains(&(w, l)) && !reaches(&graph, l, w)))
            .collect();
        locked.extend(kept.iter().filter(|k| k.2).map(|&(w, l, _)| (w, l)));
        decisions.extend(kept);
        start += group.len();
    }
    // Sources of the locked graph, repeatedly (direct edges suffice in an acyclic graph).
    let ranking = tiers_by(n, |o, c| locked.contains(&(o, c)));
    (decisions, ranking)
}

/// When no two majorities are equally strong, ranked pairs keeps exactly the majorities
/// of the orderings that agree with the strongest majorities lexicographically: a
/// candidate is above another in the result exactly when it is so in every such
/// ordering.
fn lexicographic_ranked_pairs(
    election: &Election,
    options: CondorcetOptions,
) -> Option<Vec<Vec<usize>>> {
    let n = election.count;
    let d = oracle_pairwise(election, options.unranked);
    let mut majorities: Vec<(usize, usize)> = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .filter(|&(a, b)| defeat(&d, a, b).is_some())
        .collect();
    majorities
        .sort_by(|&(a, b), &(c, e)| compare(options.strength, defeat(&d, c, e), defeat(&d, a, b)));
    if has_equal_majorities(election, options) {
        return None;
    }
    let mut best: Vec<bool> = Vec::new();
    let mut best_orders: Vec<Vec<usize>> = Vec::new();
    let mut order: Vec<usize> = (0..n).collect();
    permutations(&mut order, 0, &mut |order| {
        let position = |c: usize| order.iter().position(|&x| x == c).unwrap_or(0);
        let agrees: Vec<bool> = majorities
            .iter()
            .map(|&(w, l)| position(w) < position(l))
            .collect();
        match agrees.cmp(&best) {
            Ordering::Greater => {
                best = agrees;
                best_orders = vec![order.to_vec()];
            }
            Ordering::Equal => best_orders.push(order.to_vec()),
            Ordering::Less => {}
        }
    });
    let above = |a: usize, b: usize| {
        best_orders
            .iter()
            .all(|order| order.iter().position(|&x| x == a) < order.iter().position(|&x| x == b))
    };
    Some(tiers_by(n, above))
}

/// Where the every-order search stands: see `ranked_pairs_every_order`.
type SearchState = (usize, u32, Vec<(usize, usize)>);

/// Tideman's ranked pairs once for every order of the equally strong majorities: the
/// majorities are taken one at a time, strongest first, and each is locked unless its
/// loser already reaches its winner. Returns the top tier each order gives (several
/// candidates only when pairwise ties leave them unordered), every distinct one once.
///
/// Orders are explored depth first; two orders that reach the same majorities decided
/// the same way continue identically, so that state is explored once.
fn ranked_pairs_every_order(
    election: &Election,
    options: CondorcetOptions,
) -> BTreeSet<Vec<usize>> {
    struct Search<'a> {
        n: usize,
        groups: &'a [Vec<(usize, usize)>],
        /// (group, members of it considered, majorities locked so far, sorted).
        seen: HashSet<SearchState>,
        winners: BTreeSet<Vec<usize>>,
    }
    impl Search<'_> {
        fn reaches(&self, locked: &[(usize, usize)], from: usize, to: usize) -> bool {
            let mut seen = vec![false; self.n];
            let mut stack = vec![from];
            while let Some(at) = stack.pop() {
                if at == to {
                    return true;
                }
                if !std::mem::replace(&mut seen[at], true) {
                    stack.extend(locked.iter().filter(|(x, _)| *x == at).map(|(_, y)| *y));
                }
            }
            false
        }

        /// Bit `i` of `taken`: member `i` of group `group` has been considered.
        fn explore(&mut self, group: usize, taken: u32, mut locked: Vec<(usize, usize)>) {
            let Some(members) = self.groups.get(group) else {
                let top: Vec<usize> = (0..self.n)
                    .filter(|&c| !locked.iter().any(|&(_, loser)| loser == c))
                    .collect();
                self.winners.insert(top);
                return;
            };
            if taken.count_ones() as usize == members.len() {
                self.explore(group + 1, 0, locked);
                return;
            }
            locked.sort_unstable();
            if !self.seen.insert((group, taken, locked.clone())) {
                return;
            }
            for (i, &(winner, loser)) in members.iter().enumerate() {
                if taken & (1 << i) != 0 {
                    continue;
                }
                let mut next = locked.clone();
                if !self.reaches(&locked, loser, winner) {
                    next.push((winner, loser));
                }
                self.explore(group, taken | (1 << i), next);
            }
        }
    }

    let n = election.count;
    let d = oracle_pairwise(election, options.unranked);
    let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
    for (a, b) in (0..n).flat_map(|a| (0..n).map(move |b| (a, b))) {
        let Some(link) = defeat(&d, a, b) else {
            continue;
        };
        let equal = groups.iter_mut().find(|group| {
            let (x, y) = group[0];
            compare(options.strength, defeat(&d, x, y), Some(link)) == Ordering::Equal
        });
        match equal {
            Some(group) => group.push((a, b)),
            None => groups.push(vec![(a, b)]),
        }
    }
    groups.sort_by(|x, y| {
        compare(
            options.strength,
            defeat(&d, y[0].0, y[0].1),
            defeat(&d, x[0].0, x[0].1),
        )
    });
    let mut search = Search {
        n,
        groups: &groups,
        seen: HashSet::new(),
        winners: BTreeSet::new(),
    };
    search.explore(0, 0, Vec::new());
    search.winners
}

/// Whether two majorities are equally strong (ranked pairs then judges them together).
fn has_equal_majorities(election: &Election, options: CondorcetOptions) -> bool {
    let n = election.count;
    let d = oracle_pairwise(election, options.unranked);
    let defeats: Vec<Link> = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .filter_map(|(a, b)| defeat(&d, a, b))
        .collect();
    defeats.iter().enumerate().any(|(i, x)| {
        defeats
            .iter()
            .skip(i + 1)
            .any(|y| compare(options.strength, Some(*x), Some(*y)) == Ordering::Equal)
    })
}

fn permutations(items: &mut Vec<usize>, k: usize, visit: &mut impl FnMut(&[usize])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, visit);
        items.swap(k, i);
    }
}

fn oracle_minimax(election: &Election, options: CondorcetOptions) -> Vec<Vec<usize>> {
    let n = election.count;
    let d = oracle_pairwise(election, options.unranked);
    let worst = |c: usize| {
        (0..n)
            .map(|o| defeat(&d, o, c))
            .max_by(|x, y| compare(options.strength, *x, *y))
            .flatten()
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| compare(options.strength, worst(a), worst(b)));
    let mut tiers: Vec<Vec<usize>> = Vec::new();
    for c in order {
        match tiers.last_mut() {
            Some(tier)
                if compare(options.strength, worst(tier[0]), worst(c)) == Ordering::Equal =>
            {
                tier.push(c);
            }
            _ => tiers.push(vec![c]),
        }
    }
    tiers
}

/// Condorcet-IRV as CIVS describes it; `None` when an exclusion tie arose and no seed
/// was given to draw it.
fn oracle_condorcet_irv(
    election: &Election,
    options: CondorcetIrvOptions,
    names: &[String],
    seed: Option<&str>,
) -> Option<Vec<Vec<usize>>> {
    let n = election.count;
    let d = oracle_pairwise(election, options.unranked);
    let mut placed: Vec<usize> = Vec::new();
    let mut tiers = Vec::new();
    let mut round = 0;
    while placed.len() < n {
        let place = placed.len() + 1;
        let mut considered: Vec<usize> = (0..n).filter(|c| !placed.contains(c)).collect();
        loop {
            round += 1;
            let winner = considered
                .iter()
                .copied()
                .find(|&a| considered.iter().all(|&b| a == b || d[a][b] > d[b][a]));
            if let Some(winner) = winner {
                tiers.push(vec![winner]);
                placed.push(winner);
                break;
            }
            let mut first = vec![0u64; n];
            for (ranks, weight) in &election.ballots {
                let mut levels: Vec<u32> = considered.iter().filter_map(|&c| ranks[c]).collect();
                levels.sort_unstable();
                levels.dedup();
                for level in levels {
                    let at: Vec<usize> = considered
                        .iter()
                        .copied()
                        .filter(|&c| ranks[c] == Some(level))
                        .collect();
                    if at.len() == 1 {
                        first[at[0]] += weight;
                        break;
                    }
                    if options.tied_rank == TiedRank::Exhaust {
                        break;
                    }
                }
            }
            let fewest = considered.iter().map(|&c| first[c]).min().unwrap_or(0);
            let lowest: Vec<usize> = considered
                .iter()
                .copied()
                .filter(|&c| first[c] == fewest)
                .collect();
            if lowest.len() == considered.len() {
                placed.extend(&considered);
                tiers.push(considered);
                break;
            }
            let dropped = if lowest.len() == 1 {
                lowest[0]
            } else {
                let seed = seed?;
                let purpose = format!("exclusion in round {round} (place {place})");
                let tied: Vec<&str> = lowest.iter().map(|&c| names[c].as_str()).collect();
                let description = describe(&purpose, &tied);
                *lowest
                    .iter()
                    .max_by_key(|&&c| {
                        (draw_digest(seed, &description, &names[c]), names[c].clone())
                    })
                    .unwrap_or(&lowest[0])
            };
            considered.retain(|&c| c != dropped);
        }
    }
    Some(tiers)
}

/// Tiers of indices as the result writes them: names, sorted within a tier.
fn named(tiers: &[Vec<usize>], names: &[String]) -> Vec<Vec<String>> {
    tiers
        .iter()
        .map(|tier| {
            let mut tier: Vec<String> = tier.iter().map(|&c| names[c].clone()).collect();
            tier.sort();
            tier
        })
        .collect()
}

fn condorcet_winner(d: &[Vec<u64>]) -> Option<usize> {
    (0..d.len()).find(|&a| (0..d.len()).all(|b| a == b || d[a][b] > d[b][a]))
}

// ---------------------------------------------------------------------------------
// The library against the oracles.

proptest! {
    // 256 cases by default; PROPTEST_CASES=5000 for a longer search.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn the_pairwise_matrix_counts_what_the_ballots_say(election in election()) {
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for method in all_methods() {
            let result = run(&set, &method, &contest(1, None));
            let audit = condorcet_audit(&result);
            prop_assert_eq!(&audit.pairwise.candidates, &names);
            prop_assert_eq!(&audit.pairwise.cells, &oracle_pairwise(&election, unranked_of(&method)));
        }
    }

    #[test]
    fn schulze_matches_the_path_enumeration(election in election()) {
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for method in all_methods() {
            let Method::Schulze(options) = method else { continue };
            let result = run(&set, &method, &contest(1, None));
            let (ranking, paths) = oracle_schulze(&election, options);
            prop_assert_eq!(&result.ranking, &named(&ranking, &names), "{:?}", options);
            let audit = condorcet_audit(&result);
            let cells = &audit.strongest_paths.as_ref().expect("strongest paths").cells;
            for (a, row) in paths.iter().enumerate() {
                for (b, expected) in row.iter().enumerate() {
                    let actual = cells[a][b].map(|s| (s.support, s.opposition));
                    prop_assert_eq!(
                        compare(options.strength, actual, *expected),
                        Ordering::Equal,
                        "p[{}][{}] = {:?}, expected {:?}", a, b, actual, expected
                    );
                    if options.strength == Strength::Winning {
                        prop_assert_eq!(actual, *expected);
                    }
                }
            }
        }
    }

    #[test]
    fn ranked_pairs_matches_the_cycle_search(election in election()) {
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for method in all_methods() {
            let Method::RankedPairs(options) = method else { continue };
            let result = run(&set, &method, &contest(1, None));
            let (decisions, ranking) = oracle_ranked_pairs(&election, options);
            prop_assert_eq!(&result.ranking, &named(&ranking, &names), "{:?}", options);
            let audit = condorcet_audit(&result);
            let mut actual: Vec<(String, String, bool)> = audit
                .locks
                .iter()
                .map(|lock| (lock.winner.clone(), lock.loser.clone(), lock.locked))
                .collect();
            let mut expected: Vec<(String, String, bool)> = decisions
                .iter()
                .map(|&(w, l, k)| (names[w].clone(), names[l].clone(), k))
                .collect();
            // Strongest first in both; within equal strength any order.
            let d = oracle_pairwise(&election, options.unranked);
            for pair in audit.locks.windows(2) {
                let first = Some((pair[0].support, pair[0].opposition));
                let second = Some((pair[1].support, pair[1].opposition));
                prop_assert_ne!(compare(options.strength, first, second), Ordering::Less);
            }
            for lock in &audit.locks {
                let w = names.iter().position(|n| n == &lock.winner).unwrap();
                let l = names.iter().position(|n| n == &lock.loser).unwrap();
                prop_assert_eq!(Some((lock.support, lock.opposition)), defeat(&d, w, l));
            }
            actual.sort();
            expected.sort();
            prop_assert_eq!(actual, expected);
            if let Some(lexicographic) = lexicographic_ranked_pairs(&election, options) {
                prop_assert_eq!(&result.ranking, &named(&lexicographic, &names));
            }
        }
    }

    #[test]
    fn ranked_pairs_elects_the_winner_every_order_of_equal_majorities_agrees_on(
        election in election_shaped(5, 4)
    ) {
        // The independent check is Tideman's one-at-a-time locking, run for every order
        // of the equally strong majorities. When every order elects the same winners,
        // judging equal majorities together must elect exactly them.
        //
        // When orders disagree, the tie among equal majorities is what decides, and
        // judging them together is one answer among several: the top tier may be one
        // order's winner alone, several orders' winners sharing it, or (rarely) also hold
        // a candidate no order elects, when a cycle of equal majorities is skipped whole.
        // What is asserted then is only that it holds at least one candidate some order
        // elects. The unit test `a_skipped_cycle_can_leave_a_candidate_every_order_beats`
        // (src/tally/condorcet/ranked_pairs.rs) pins a found case of the last shape.
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for method in all_methods() {
            let Method::RankedPairs(options) = method else { continue };
            let result = run(&set, &method, &contest(1, None));
            let top: BTreeSet<String> = result.ranking[0].iter().cloned().collect();
            let orders: Vec<BTreeSet<String>> = ranked_pairs_every_order(&election, options)
                .iter()
                .map(|tier| tier.iter().map(|&c| names[c].clone()).collect())
                .collect();
            if let [agreed] = orders.as_slice() {
                prop_assert_eq!(&top, agreed, "{:?}: every order elects {:?}", options, agreed);
            } else {
                prop_assert!(
                    orders.iter().any(|winners| !winners.is_disjoint(&top)),
                    "{:?}: the orders elect {:?}, the top tier is {:?}",
                    options,
                    orders,
                    top
                );
            }
        }
    }

    #[test]
    fn minimax_matches_the_definition(election in election()) {
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for method in all_methods() {
            let Method::Minimax(options) = method else { continue };
            let result = run(&set, &method, &contest(1, None));
            prop_assert_eq!(&result.ranking, &named(&oracle_minimax(&election, options), &names));
        }
    }

    #[test]
    fn condorcet_irv_matches_the_described_procedure(election in election()) {
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for method in all_methods() {
            let Method::CondorcetIrv(options) = method else { continue };
            // With a seed every exclusion tie is drawn, so the whole ranking is decided.
            let result = run(&set, &method, &contest(1, Some("oracle")));
            let expected = oracle_condorcet_irv(&election, options, &names, Some("oracle"))
                .expect("a seed settles every tie");
            prop_assert_eq!(&result.ranking, &named(&expected, &names), "{:?}", options);
            // Without one, the same ranking whenever no exclusion tie arose.
            if let Some(expected) = oracle_condorcet_irv(&election, options, &names, None) {
                let result = run(&set, &method, &contest(1, None));
                prop_assert_eq!(&result.ranking, &named(&expected, &names));
            }
        }
    }

    // -----------------------------------------------------------------------------
    // Properties.

    #[test]
    fn a_condorcet_winner_wins_every_condorcet_method(election in election()) {
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for method in all_methods() {
            let d = oracle_pairwise(&election, unranked_of(&method));
            let Some(winner) = condorcet_winner(&d) else { continue };
            let result = run(&set, &method, &contest(1, None));
            prop_assert!(result.decided, "{:?}", method);
            prop_assert_eq!(&result.winners, &vec![names[winner].clone()], "{:?}", method);
            prop_assert_eq!(&result.ranking[0], &vec![names[winner].clone()]);
        }
    }

    #[test]
    fn ballot_order_never_matters(election in election(), seed in any::<u64>()) {
        let names = names(election.count);
        let mut shuffled = election.clone();
        // A deterministic shuffle from the generated seed.
        let mut state = seed | 1;
        for i in (1..shuffled.ballots.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
            shuffled.ballots.swap(i, j);
        }
        let seats = u32::try_from(election.count.min(2)).unwrap_or(1);
        for method in all_methods() {
            for tie_seed in [None, Some("order")] {
                let original = run(&ballot_set(&election, &names), &method, &contest(seats, tie_seed));
                let reordered = run(&ballot_set(&shuffled, &names), &method, &contest(seats, tie_seed));
                prop_assert_eq!(original, reordered);
            }
        }
    }

    #[test]
    fn renaming_and_reordering_candidates_renames_the_result(
        election in election(),
        rotation in 0usize..6,
    ) {
        let n = election.count;
        // Candidate i of the original becomes candidate (i + rotation) % n, named
        // "Z{5 - i}" so that name order differs from both input orders.
        let new_position = |i: usize| (i + rotation) % n;
        let old_names = names(n);
        let renamed: Vec<String> = (0..n).map(|i| format!("Z{}", 5 - i)).collect();
        let mut new_names = vec![String::new(); n];
        for i in 0..n {
            new_names[new_position(i)].clone_from(&renamed[i]);
        }
        let moved = Election {
            count: n,
            ballots: election
                .ballots
                .iter()
                .map(|(ranks, weight)| {
                    let mut new_ranks = vec![None; n];
                    for (i, rank) in ranks.iter().enumerate() {
                        new_ranks[new_position(i)] = *rank;
                    }
                    (new_ranks, *weight)
                })
                .collect(),
        };
        let rename = |name: &String| {
            let i = old_names.iter().position(|n| n == name).unwrap_or(0);
            renamed[i].clone()
        };
        let seats = u32::try_from(n.min(2)).unwrap_or(1);
        for method in all_methods() {
            // Draws depend on names, so compare reported ties, not drawn ones.
            let original = run(&ballot_set(&election, &old_names), &method, &contest(seats, None));
            let moved_result = run(&ballot_set(&moved, &new_names), &method, &contest(seats, None));
            let expected_ranking: Vec<Vec<String>> = original
                .ranking
                .iter()
                .map(|tier| {
                    let mut tier: Vec<String> = tier.iter().map(rename).collect();
                    tier.sort();
                    tier
                })
                .collect();
            prop_assert_eq!(&moved_result.ranking, &expected_ranking, "{:?}", method);
            // A tier that fits the seats is seated in name order, so compare who won,
            // not the order within such a tier.
            let mut expected_winners: Vec<String> = original.winners.iter().map(rename).collect();
            let mut winners = moved_result.winners.clone();
            expected_winners.sort();
            winners.sort();
            prop_assert_eq!(&winners, &expected_winners);
            prop_assert_eq!(moved_result.decided, original.decided);

            // Reordering alone (same names) changes nothing, draws included.
            let same_names: Vec<String> = {
                let mut list = vec![String::new(); n];
                for i in 0..n {
                    list[new_position(i)].clone_from(&old_names[i]);
                }
                list
            };
            let drawn = run(&ballot_set(&election, &old_names), &method, &contest(seats, Some("s")));
            let reordered = run(&ballot_set(&moved, &same_names), &method, &contest(seats, Some("s")));
            prop_assert_eq!(&reordered.ranking, &drawn.ranking);
            prop_assert_eq!(&reordered.winners, &drawn.winners);
            prop_assert_eq!(&reordered.ties, &drawn.ties);
        }
    }

    #[test]
    fn ballots_putting_a_top_candidate_first_keep_it_on_top(
        election in election(),
        extra in 1u64..5,
        pick in 0usize..6,
    ) {
        // A ballot "A first, everyone else equal second" adds to A's support against each
        // other candidate and changes nothing else. Schulze and minimax keep a candidate
        // in their top tier when that happens (monotonicity). Ranked pairs does when no
        // two majorities are equally strong (Tideman's method proper); judging equal
        // majorities together can drop a candidate that only shared the top through such
        // a tie (docs/tally-methods.md), so those elections are left out for it.
        // IRV-style elimination guarantees nothing of the kind: Condorcet-IRV is left out.
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for method in all_methods() {
            if matches!(method, Method::CondorcetIrv(_)) {
                continue;
            }
            let before = run(&set, &method, &contest(1, None));
            let top = &before.ranking[0];
            let favourite = top[pick % top.len()].clone();
            let a = names.iter().position(|n| n == &favourite).unwrap_or(0);
            let mut more = election.clone();
            let ranks: Vec<Option<u32>> = (0..election.count)
                .map(|c| Some(if c == a { 1 } else { 2 }))
                .collect();
            more.ballots.push((ranks, extra));
            if let Method::RankedPairs(options) = method
                && (has_equal_majorities(&election, options) || has_equal_majorities(&more, options)) {
                    continue;
                }
            let after = run(&ballot_set(&more, &names), &method, &contest(1, None));
            prop_assert!(
                after.ranking[0].contains(&favourite),
                "{:?}: {} left the top tier: {:?} -> {:?}",
                method, favourite, before.ranking, after.ranking
            );
        }
    }

    #[test]
    fn civs_and_elekto_agree_on_the_top_tier(election in election()) {
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for unranked in [Unranked::Ignore, Unranked::Last] {
            for strength in [Strength::Winning, Strength::Margin] {
                let civs = run(&set, &Method::Schulze(SchulzeOptions { unranked, strength, ranking: RankingRule::Civs }), &contest(1, None));
                let elekto = run(&set, &Method::Schulze(SchulzeOptions { unranked, strength, ranking: RankingRule::Elekto }), &contest(1, None));
                prop_assert_eq!(&civs.ranking[0], &elekto.ranking[0]);
                prop_assert_eq!(&civs.winners, &elekto.winners);
            }
        }
    }

    #[test]
    fn complete_rankings_make_unranked_irrelevant(election in election()) {
        let mut complete = election.clone();
        for (ranks, _) in &mut complete.ballots {
            for rank in ranks.iter_mut() {
                rank.get_or_insert(7);
            }
        }
        let names = names(complete.count);
        let set = ballot_set(&complete, &names);
        for method in all_methods() {
            let flipped = match method.clone() {
                Method::Schulze(o) => Method::Schulze(SchulzeOptions { unranked: Unranked::Last, ..o }),
                Method::RankedPairs(o) => Method::RankedPairs(CondorcetOptions { unranked: Unranked::Last, ..o }),
                Method::Minimax(o) => Method::Minimax(CondorcetOptions { unranked: Unranked::Last, ..o }),
                Method::CondorcetIrv(o) => Method::CondorcetIrv(CondorcetIrvOptions { unranked: Unranked::Last, ..o }),
                other => other,
            };
            let a = run(&set, &method, &contest(1, None));
            let b = run(&set, &flipped, &contest(1, None));
            prop_assert_eq!(&a.ranking, &b.ranking);
            prop_assert_eq!(&a.audit, &b.audit);
        }
    }

    #[test]
    fn large_weights_and_every_seat_count_never_panic(election in election_with(1_000_000_000_000)) {
        let names = names(election.count);
        let set = ballot_set(&election, &names);
        for seats in 1..=u32::try_from(election.count).unwrap_or(1) {
            for method in all_methods() {
                for tie_seed in [None, Some("seed")] {
                    let result = run(&set, &method, &contest(seats, tie_seed));
                    // Winners never exceed the seats, are distinct, and come from the
                    // ranking; with a seed every seat is filled.
                    prop_assert!(result.winners.len() <= seats as usize);
                    let mut distinct = result.winners.clone();
                    distinct.sort();
                    distinct.dedup();
                    prop_assert_eq!(distinct.len(), result.winners.len());
                    if tie_seed.is_some() {
                        prop_assert_eq!(result.winners.len(), seats as usize);
                        prop_assert!(result.decided);
                    }
                    let ranked: usize = result.ranking.iter().map(Vec::len).sum();
                    prop_assert_eq!(ranked, election.count);
                }
            }
        }
    }
}

#[test]
fn too_many_seats_is_refused_before_counting() {
    let election = Election {
        count: 2,
        ballots: vec![(vec![Some(1), Some(2)], 1)],
    };
    let set = ballot_set(&election, &names(2));
    for method in all_methods() {
        assert_eq!(
            tally(&set, &method, &contest(3, None)),
            Err(TallyError::SeatsOutOfRange {
                seats: 3,
                standing: 2
            })
        );
    }
}
