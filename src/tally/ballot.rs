//! The ballot model every reader produces and every method counts.
//!
//! - [`Candidates`]: the candidates in input order, each with a display name, an optional
//!   id (Elekto account, BLT or `PrefLib` number), an optional affiliation (for
//!   `--max-per-affiliation`) and a withdrawn flag. A [`CandidateIndex`] is a position in
//!   that list; names are unique, so results can be written with names.
//! - [`RankedBallots`]: rankings as ordered tiers of candidates (a tier holds candidates
//!   the voter ranked equal). Candidates a voter did not rank are *absent*; what absence
//!   means is a counting choice, [`Unranked`], made by the method, not by the reader.
//! - [`ScoredBallots`]: votes per candidate (cumulative voting).
//!
//! Every ballot carries an integer weight (a multiplicity: `PrefLib` counts, BLT weights,
//! CIVS `mX`), an optional voter id (for the roll check) and its [`BallotOrigin`] (the line it
//! was read from).
//!
//! Memory: a million ballots ranking thirty candidates must fit easily. Ballots are not
//! one `Vec` each: every ranking lives in one flat arena of `u16` candidate indices, with a
//! bit per arena slot marking where a new tier starts, and each ballot is a fixed-size
//! record (weight, span, voter, line): about 24 + 2 × ranked candidates bytes per ballot.
//! Methods count [`RankedBallots::aggregated`] sets, where identical rankings are merged
//! into one weighted record, which makes real elections (a few hundred distinct rankings
//! per thousand voters at most) cheap to count again and again.

use std::collections::HashMap;
use std::fmt;

use super::format::InputFormat;

/// The largest total weight a ballot set may carry: 10^15 ballots. Methods may add weights
/// in `u64` without overflow checks, and multiply them by up to 10^4 (fixed-point scales
/// need `u128`).
pub const MAX_TOTAL_WEIGHT: u64 = 1_000_000_000_000_000;

/// A candidate's position in [`Candidates`] (0-based).
///
/// Stored as `u16` to keep the ranking arena compact, so an election has at most
/// [`CandidateIndex::MAX_CANDIDATES`] candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CandidateIndex(u16);

impl CandidateIndex {
    /// The most candidates one election can have.
    pub const MAX_CANDIDATES: usize = u16::MAX as usize;

    /// The index for a 0-based position, if it fits.
    #[must_use]
    pub fn new(index: usize) -> Option<Self> {
        if index < Self::MAX_CANDIDATES {
            u16::try_from(index).ok().map(Self)
        } else {
            None
        }
    }

    /// The 0-based position, for indexing per-candidate vectors.
    #[must_use]
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl fmt::Display for CandidateIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One candidate (CIVS calls them choices, `PrefLib` alternatives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The name results are written with; unique within an election.
    pub name: String,
    /// The token the ballot file used, when it was not the name: an Elekto account id, a
    /// BLT or `PrefLib` number, a CIVS upload position.
    pub id: Option<String>,
    /// The group `--max-per-affiliation` caps (an employer, a party).
    pub affiliation: Option<String>,
    /// Withdrawn candidates (BLT negative ids, a candidates file) stay in the list so that
    /// reports can name them, but no method ranks or elects them.
    pub withdrawn: bool,
}

impl Candidate {
    /// A standing candidate with just a name.
    #[must_use]
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            id: None,
            affiliation: None,
            withdrawn: false,
        }
    }
}

/// Why a list of candidates is not a valid election.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateListError {
    /// Two candidates share this name.
    DuplicateName(String),
    /// Two candidates share this id.
    DuplicateId(String),
    /// More candidates than a [`CandidateIndex`] can address.
    TooMany(usize),
}

/// The candidates of one election, in input order, with lookup by name and by id.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    list: Vec<Candidate>,
    by_name: HashMap<String, CandidateIndex>,
    by_id: HashMap<String, CandidateIndex>,
}

impl PartialEq for Candidates {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Eq for Candidates {}

impl Candidates {
    /// Check names and ids are unique and build the lookups.
    ///
    /// # Errors
    /// A repeated name or id, or too many candidates.
    pub fn new(list: Vec<Candidate>) -> Result<Self, CandidateListError> {
        if list.len() > CandidateIndex::MAX_CANDIDATES {
            return Err(CandidateListError::TooMany(list.len()));
        }
        let mut by_name = HashMap::with_capacity(list.len());
        let mut by_id = HashMap::new();
        for (position, candidate) in list.iter().enumerate() {
            let index =
                CandidateIndex::new(position).ok_or(CandidateListError::TooMany(list.len()))?;
            if by_name.insert(candidate.name.clone(), index).is_some() {
                return Err(CandidateListError::DuplicateName(candidate.name.clone()));
            }
            if let Some(id) = &candidate.id
                && by_id.insert(id.clone(), index).is_some()
            {
                return Err(CandidateListError::DuplicateId(id.clone()));
            }
        }
        Ok(Self {
            list,
            by_name,
            by_id,
        })
    }

    /// Candidates with only names, for tests and simple readers.
    ///
    /// # Errors
    /// A repeated name, or too many candidates.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<Self, CandidateListError> {
        Self::new(
            names
                .iter()
                .map(|name| Candidate::named(name.as_ref()))
                .collect(),
        )
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.list.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The candidate at `index`, if there is one.
    #[must_use]
    pub fn get(&self, index: CandidateIndex) -> Option<&Candidate> {
        self.list.get(index.index())
    }

    /// The candidate's name, or `""` for an index from another election (which a method
    /// would have to invent: indices come from this list).
    #[must_use]
    pub fn name(&self, index: CandidateIndex) -> &str {
        self.get(index)
            .map_or("", |candidate| candidate.name.as_str())
    }

    /// The name of the candidate at a 0-based position, or `""` past the end.
    #[must_use]
    pub fn name_at(&self, position: usize) -> &str {
        self.list
            .get(position)
            .map_or("", |candidate| candidate.name.as_str())
    }

    /// Whether the candidate is in the running (not withdrawn).
    #[must_use]
    pub fn is_standing(&self, index: CandidateIndex) -> bool {
        self.get(index)
            .is_some_and(|candidate| !candidate.withdrawn)
    }

    /// All candidates with their indices, in input order.
    pub fn iter(&self) -> impl Iterator<Item = (CandidateIndex, &Candidate)> {
        self.list
            .iter()
            .enumerate()
            .filter_map(|(position, candidate)| {
                CandidateIndex::new(position).map(|index| (index, candidate))
            })
    }

    /// All indices, in input order.
    pub fn indices(&self) -> impl Iterator<Item = CandidateIndex> + '_ {
        self.iter().map(|(index, _)| index)
    }

    /// The candidates still in the running, in input order.
    #[must_use]
    pub fn standing(&self) -> Vec<CandidateIndex> {
        self.iter()
            .filter(|(_, candidate)| !candidate.withdrawn)
            .map(|(index, _)| index)
            .collect()
    }

    /// The candidate with this exact name.
    #[must_use]
    pub fn find_by_name(&self, name: &str) -> Option<CandidateIndex> {
        self.by_name.get(name).copied()
    }

    /// The candidate with this exact id.
    #[must_use]
    pub fn find_by_id(&self, id: &str) -> Option<CandidateIndex> {
        self.by_id.get(id).copied()
    }

    /// The candidate a ballot refers to with `token`: by name first, then by id.
    #[must_use]
    pub fn find(&self, token: &str) -> Option<CandidateIndex> {
        self.find_by_name(token).or_else(|| self.find_by_id(token))
    }

    /// The closest name to an unknown `token`, for "did you mean" hints.
    #[must_use]
    pub fn closest_name(&self, token: &str) -> Option<&str> {
        // A token longer than any name can be is no near miss, and comparing it with
        // every name would cost its length times theirs.
        if token.len() > 4 * super::format::limits::MAX_NAME_CHARS {
            return None;
        }
        let token = token.to_lowercase();
        let mut best: Option<(f64, &str)> = None;
        for candidate in &self.list {
            let score = strsim::jaro_winkler(&token, &candidate.name.to_lowercase());
            if score >= 0.8 && best.is_none_or(|(top, _)| score > top) {
                best = Some((score, candidate.name.as_str()));
            }
        }
        best.map(|(_, name)| name)
    }

    /// The candidates as a plain list, in input order.
    #[must_use]
    pub fn as_slice(&self) -> &[Candidate] {
        &self.list
    }

    /// Give up the list (to edit it and build a new [`Candidates`]).
    #[must_use]
    pub fn into_list(self) -> Vec<Candidate> {
        self.list
    }
}

/// What a candidate the voter did not rank means, chosen with `--unranked`.
///
/// Readers never fill in unranked candidates: a ballot's [`Ranking`] holds only what the
/// voter ranked (CIVS and Elekto `No opinion`, a blank cell, a candidate missing from a
/// `PrefLib` or BLT order). Methods that compare pairs of candidates then apply one of:
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unranked {
    /// An unranked candidate is compared with no one: the ballot counts neither for nor
    /// against it in any pair (CIVS's and Elekto's `No opinion`).
    #[default]
    Ignore,
    /// Unranked candidates are tied with each other below every ranked candidate, so a
    /// ballot counts for each ranked candidate against each unranked one (Debian).
    Last,
}

impl Unranked {
    /// The word used on the command line and in results.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ignore => "ignore",
            Self::Last => "last",
        }
    }
}

/// Where a ballot came from: the 1-based line of its file (the first line of a multi-line
/// TOML ballot). The file is the ballot set's, named by whoever reports the origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BallotOrigin {
    pub line: u32,
}

/// Index into a ballot set's voter list; `u32::MAX` means "no voter id".
const NO_VOTER: u32 = u32::MAX;

/// The fixed-size part of one ballot; its marks live in the set's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BallotRecord {
    weight: u64,
    start: u32,
    len: u32,
    voter: u32,
    line: u32,
}

/// Voter ids exactly as written on the ballots (the roll check folds case itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct VoterIds {
    ids: Vec<Box<str>>,
}

impl VoterIds {
    fn push(&mut self, voter: Option<&str>) -> u32 {
        match voter {
            None => NO_VOTER,
            Some(id) => {
                // More than four billion voter ids cannot be stored; counting them as
                // anonymous would be wrong, so the builder refuses them first.
                let index = u32::try_from(self.ids.len()).unwrap_or(NO_VOTER);
                self.ids.push(id.into());
                index
            }
        }
    }

    fn get(&self, index: u32) -> Option<&str> {
        if index == NO_VOTER {
            return None;
        }
        let position = usize::try_from(index).ok()?;
        self.ids.get(position).map(|id| &**id)
    }

    fn is_full(&self) -> bool {
        self.ids.len() >= (NO_VOTER as usize)
    }
}

/// What ranked and scored ballot sets share: a record per ballot, every ballot's marks in
/// one arena, the voter ids and the total weight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Ledger<E> {
    records: Vec<BallotRecord>,
    arena: Vec<E>,
    voters: VoterIds,
    total_weight: u64,
}

impl<E: Copy> Ledger<E> {
    /// Add one ballot's marks; returns where they start in the arena.
    fn push(
        &mut self,
        weight: u64,
        marks: &[E],
        voter: Option<&str>,
        origin: BallotOrigin,
    ) -> Result<usize, PushError> {
        let total = self
            .total_weight
            .checked_add(weight)
            .filter(|total| *total <= MAX_TOTAL_WEIGHT)
            .ok_or(PushError::TooMuchWeight)?;
        let start = u32::try_from(self.arena.len()).map_err(|_| PushError::TooManyBallots)?;
        let len = u32::try_from(marks.len()).map_err(|_| PushError::TooManyBallots)?;
        if start.checked_add(len).is_none() || (voter.is_some() && self.voters.is_full()) {
            return Err(PushError::TooManyBallots);
        }
        self.arena.extend_from_slice(marks);
        let voter = self.voters.push(voter);
        self.records.push(BallotRecord {
            weight,
            start,
            len,
            voter,
            line: origin.line,
        });
        self.total_weight = total;
        Ok(start as usize)
    }

    /// Add every ballot of `other` after these, in order; returns where its marks start
    /// in the arena. Nothing is added on error.
    fn append(&mut self, other: Self) -> Result<usize, PushError> {
        let total = self
            .total_weight
            .checked_add(other.total_weight)
            .filter(|total| *total <= MAX_TOTAL_WEIGHT)
            .ok_or(PushError::TooMuchWeight)?;
        let base = u32::try_from(self.arena.len()).map_err(|_| PushError::TooManyBallots)?;
        let voters = u32::try_from(self.voters.ids.len()).map_err(|_| PushError::TooManyBallots)?;
        let fits = u32::try_from(other.arena.len())
            .ok()
            .and_then(|len| base.checked_add(len))
            .is_some()
            && u32::try_from(other.voters.ids.len())
                .ok()
                .and_then(|len| voters.checked_add(len))
                .is_some_and(|len| len < NO_VOTER);
        if !fits {
            return Err(PushError::TooManyBallots);
        }
        self.arena.extend_from_slice(&other.arena);
        self.voters.ids.extend(other.voters.ids);
        self.records
            .extend(other.records.into_iter().map(|record| BallotRecord {
                start: record.start + base,
                voter: if record.voter == NO_VOTER {
                    NO_VOTER
                } else {
                    record.voter + voters
                },
                ..record
            }));
        self.total_weight = total;
        Ok(base as usize)
    }
}

impl<E> Ledger<E> {
    fn marks(&self, record: &BallotRecord) -> &[E] {
        let start = record.start as usize;
        self.arena
            .get(start..start + record.len as usize)
            .unwrap_or(&[])
    }
}

/// The accessors ranked and scored sets share, read from their `ledger`.
macro_rules! ledger_accessors {
    ($blank:literal) => {
        /// Number of ballot records (lines), not the total weight.
        #[must_use]
        pub fn len(&self) -> usize {
            self.ledger.records.len()
        }

        #[must_use]
        pub fn is_empty(&self) -> bool {
            self.ledger.records.is_empty()
        }

        /// The sum of all weights: the number of ballots cast.
        #[must_use]
        pub fn total_weight(&self) -> u64 {
            self.ledger.total_weight
        }

        /// Whether any ballot carries a voter id.
        #[must_use]
        pub fn has_voter_ids(&self) -> bool {
            self.ledger
                .records
                .iter()
                .any(|record| record.voter != NO_VOTER)
        }

        #[doc = $blank]
        #[must_use]
        pub fn blank_weight(&self) -> u64 {
            self.ledger
                .records
                .iter()
                .filter(|record| record.len == 0)
                .map(|record| record.weight)
                .sum()
        }
    };
}

/// A set of bits, one per arena slot: "a new tier starts here".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TierStarts {
    words: Vec<u64>,
}

impl TierStarts {
    fn set(&mut self, position: usize, starts_tier: bool) {
        let word = position / 64;
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        let bit = 1u64 << (position % 64);
        if let Some(slot) = self.words.get_mut(word) {
            if starts_tier {
                *slot |= bit;
            } else {
                *slot &= !bit;
            }
        }
    }

    /// Put `other`'s first `len` bits after this set's first `base` (all later bits are 0).
    fn append(&mut self, base: usize, other: &Self, len: usize) {
        let needed = (base + len).div_ceil(64);
        if self.words.len() < needed {
            self.words.resize(needed, 0);
        }
        let (first, shift) = (base / 64, base % 64);
        for (offset, &word) in other.words.iter().enumerate() {
            if let Some(slot) = self.words.get_mut(first + offset) {
                *slot |= word << shift;
            }
            if shift > 0
                && let Some(slot) = self.words.get_mut(first + offset + 1)
            {
                *slot |= word >> (64 - shift);
            }
        }
    }

    fn get(&self, position: usize) -> bool {
        self.words
            .get(position / 64)
            .is_some_and(|word| word & (1u64 << (position % 64)) != 0)
    }
}

/// Why a ballot could not be added to a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushError {
    /// The set's total weight would exceed [`MAX_TOTAL_WEIGHT`].
    TooMuchWeight,
    /// The arena or the voter list is full (more than four billion entries).
    TooManyBallots,
}

/// A ranking being built by a reader: candidates in order, tier by tier, with a check that
/// no candidate is ranked twice. Reuse one per file with [`RankingBuilder::clear`].
#[derive(Debug, Clone, Default)]
pub struct RankingBuilder {
    candidates: Vec<CandidateIndex>,
    starts: Vec<bool>,
    seen: Vec<bool>,
    /// Scratch for [`Self::set_from_ranks`], kept to spare an allocation per ballot.
    by_rank: Vec<(u32, CandidateIndex)>,
    rank_slots: Vec<u32>,
}

impl RankingBuilder {
    /// A builder for an election with `candidate_count` candidates.
    #[must_use]
    pub fn new(candidate_count: usize) -> Self {
        Self {
            candidates: Vec::new(),
            starts: Vec::new(),
            seen: vec![false; candidate_count],
            by_rank: Vec::with_capacity(candidate_count),
            rank_slots: Vec::new(),
        }
    }

    /// Forget the ranking built so far.
    pub fn clear(&mut self) {
        for candidate in &self.candidates {
            if let Some(seen) = self.seen.get_mut(candidate.index()) {
                *seen = false;
            }
        }
        self.candidates.clear();
        self.starts.clear();
    }

    /// Add `candidate` in a new tier below everything so far (`new_tier`), or in the same
    /// tier as the previous candidate (a tie).
    ///
    /// # Errors
    /// The candidate is already in this ranking (returned), or is not a candidate of this
    /// election.
    pub fn push(
        &mut self,
        candidate: CandidateIndex,
        new_tier: bool,
    ) -> Result<(), CandidateIndex> {
        match self.seen.get_mut(candidate.index()) {
            Some(seen) if !*seen => *seen = true,
            _ => return Err(candidate),
        }
        let starts_tier = new_tier || self.candidates.is_empty();
        self.candidates.push(candidate);
        self.starts.push(starts_tier);
        Ok(())
    }

    /// Add a whole tier (candidates ranked equal).
    ///
    /// # Errors
    /// A candidate already in this ranking (returned).
    pub fn push_tier(&mut self, tier: &[CandidateIndex]) -> Result<(), CandidateIndex> {
        for (position, &candidate) in tier.iter().enumerate() {
            self.push(candidate, position == 0)?;
        }
        Ok(())
    }

    /// Build the ranking from one rank number per candidate (CIVS, Elekto, our CSV):
    /// `ranks[i]` is candidate `i`'s rank, smaller is better, equal numbers tie, `None`
    /// is unranked. Gaps in the numbers mean nothing.
    pub fn set_from_ranks(&mut self, ranks: &[Option<u32>]) {
        self.clear();
        let top = ranks.iter().flatten().max().map_or(0, |&r| r as usize);
        if top <= 4 * ranks.len() + 4 {
            self.place_by_rank(ranks, top);
            return;
        }
        // Sparse rank numbers: sort.
        let mut ranked = std::mem::take(&mut self.by_rank);
        ranked.clear();
        ranked.extend(ranks.iter().enumerate().filter_map(|(position, rank)| {
            let rank = (*rank)?;
            CandidateIndex::new(position).map(|index| (rank, index))
        }));
        ranked.sort_unstable();
        let mut previous = None;
        for &(rank, candidate) in &ranked {
            // Indices come from distinct positions, so a push cannot fail here.
            let _ = self.push(candidate, previous != Some(rank));
            previous = Some(rank);
        }
        self.by_rank = ranked;
    }

    /// [`Self::set_from_ranks`] for rank numbers up to `top`: a counting sort straight
    /// into the ranking (a million ballots of thirty ranks each pass through here).
    fn place_by_rank(&mut self, ranks: &[Option<u32>], top: usize) {
        let slots = &mut self.rank_slots;
        slots.clear();
        slots.resize(top + 2, 0);
        for &rank in ranks.iter().flatten() {
            slots[rank as usize + 1] += 1;
        }
        for i in 1..slots.len() {
            slots[i] += slots[i - 1];
        }
        let ranked = slots[top + 1] as usize;
        self.candidates.resize(ranked, CandidateIndex::default());
        self.starts.resize(ranked, false);
        for (position, rank) in ranks.iter().enumerate() {
            let (Some(rank), Some(candidate)) = (rank, CandidateIndex::new(position)) else {
                continue;
            };
            let slot = &mut slots[*rank as usize];
            self.candidates[*slot as usize] = candidate;
            *slot += 1;
            if let Some(seen) = self.seen.get_mut(position) {
                *seen = true;
            }
        }
        // After placing, `slots[r]` is where rank r's run ends: each run starts a tier.
        let mut start = 0;
        for &end in &slots[..=top] {
            if (end as usize) > start {
                self.starts[start] = true;
                start = end as usize;
            }
        }
    }

    /// Whether nothing has been ranked yet.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }
}

/// Ranked ballots in a flat arena (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RankedBallots {
    ledger: Ledger<CandidateIndex>,
    starts: TierStarts,
}

/// One ranked ballot, borrowed from its set.
#[derive(Debug, Clone, Copy)]
pub struct RankedBallot<'a> {
    /// How many identical ballots this record stands for.
    pub weight: u64,
    /// What the voter ranked.
    pub ranking: Ranking<'a>,
    /// The voter id written on the ballot, if any.
    pub voter: Option<&'a str>,
    /// The line the ballot was read from (the first such line, once aggregated).
    pub origin: BallotOrigin,
}

impl RankedBallots {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a ballot.
    ///
    /// # Errors
    /// The total weight would pass [`MAX_TOTAL_WEIGHT`], or the arena is full.
    pub fn push(
        &mut self,
        weight: u64,
        ranking: &RankingBuilder,
        voter: Option<&str>,
        origin: BallotOrigin,
    ) -> Result<(), PushError> {
        let base = self
            .ledger
            .push(weight, &ranking.candidates, voter, origin)?;
        for (offset, &starts_tier) in ranking.starts.iter().enumerate() {
            self.starts.set(base + offset, starts_tier);
        }
        Ok(())
    }

    /// Add every ballot of `other` after these, in order (sets read in parts).
    ///
    /// # Errors
    /// The total weight would pass [`MAX_TOTAL_WEIGHT`], or the arena is full; nothing is
    /// added then.
    pub fn append(&mut self, other: Self) -> Result<(), PushError> {
        let len = other.ledger.arena.len();
        let base = self.ledger.append(other.ledger)?;
        self.starts.append(base, &other.starts, len);
        Ok(())
    }

    ledger_accessors!("The weight of ballots that rank no one.");

    /// The ballot at `position`.
    #[must_use]
    pub fn get(&self, position: usize) -> Option<RankedBallot<'_>> {
        self.ledger
            .records
            .get(position)
            .map(|record| self.view(record))
    }

    /// All ballots, in input order.
    pub fn iter(&self) -> impl Iterator<Item = RankedBallot<'_>> + '_ {
        self.ledger.records.iter().map(|record| self.view(record))
    }

    fn view(&self, record: &BallotRecord) -> RankedBallot<'_> {
        RankedBallot {
            weight: record.weight,
            ranking: Ranking {
                candidates: self.ledger.marks(record),
                starts: &self.starts,
                offset: record.start as usize,
            },
            voter: self.ledger.voters.get(record.voter),
            origin: BallotOrigin { line: record.line },
        }
    }

    /// The ballots at the positions where `keep` is true (the roll check's accepted
    /// ballots); positions past the end of `keep` are dropped.
    #[must_use]
    pub fn filtered(&self, keep: &[bool]) -> Self {
        let mut out = Self::new();
        let mut builder = RankingBuilder::new(CandidateIndex::MAX_CANDIDATES);
        for (ballot, _) in self.iter().zip(keep).filter(|(_, keep)| **keep) {
            ballot.ranking.copy_into(&mut builder, |_| true);
            // A subset of a valid set stays within every limit.
            let _ = out.push(ballot.weight, &builder, ballot.voter, ballot.origin);
        }
        out
    }

    /// The same ballots with some candidates struck out (withdrawn candidates): their
    /// entries are removed and tiers left empty disappear. Voter ids and origins stay.
    #[must_use]
    pub fn without(&self, struck: impl Fn(CandidateIndex) -> bool) -> Self {
        let mut out = Self::new();
        let mut builder = RankingBuilder::new(CandidateIndex::MAX_CANDIDATES);
        for ballot in self.iter() {
            ballot
                .ranking
                .copy_into(&mut builder, |candidate| !struck(candidate));
            let _ = out.push(ballot.weight, &builder, ballot.voter, ballot.origin);
        }
        out
    }

    /// Identical rankings merged into one record each, weights summed, in order of first
    /// appearance (so the result does not depend on hash order). Voter ids are dropped:
    /// aggregate after the roll check. Each record keeps the origin of its first ballot.
    ///
    /// Memory stays proportional to the distinct rankings: rankings are looked up by a
    /// 64-bit hash and compared against the output arena, never copied into keys.
    #[must_use]
    pub fn aggregated(&self) -> Self {
        let mut out = Self::new();
        // Hash of a ranking -> first output record with that hash; `next` chains records
        // whose rankings share a hash.
        let mut first_with_hash: rustc_hash::FxHashMap<u64, usize> =
            rustc_hash::FxHashMap::default();
        let mut next: Vec<Option<usize>> = Vec::new();
        let mut builder = RankingBuilder::new(CandidateIndex::MAX_CANDIDATES);
        for ballot in self.iter() {
            let hash = ballot.ranking.fingerprint();
            let mut slot = first_with_hash.get(&hash).copied();
            let mut last = None;
            while let Some(position) = slot {
                let same = out
                    .get(position)
                    .is_some_and(|merged| merged.ranking.same_as(&ballot.ranking));
                if same {
                    break;
                }
                last = Some(position);
                slot = next.get(position).copied().flatten();
            }
            if let Some(record) = slot.and_then(|position| out.ledger.records.get_mut(position)) {
                // The merged weights sum to this set's total, which is within the cap.
                record.weight += ballot.weight;
                out.ledger.total_weight += ballot.weight;
                continue;
            }
            let position = out.ledger.records.len();
            ballot.ranking.copy_into(&mut builder, |_| true);
            let _ = out.push(ballot.weight, &builder, None, ballot.origin);
            next.push(None);
            match last.and_then(|last| next.get_mut(last)) {
                Some(link) => *link = Some(position),
                None => {
                    first_with_hash.insert(hash, position);
                }
            }
        }
        out
    }
}

/// One voter's ranking: ordered tiers of candidates, best first; candidates within a
/// tier are ranked equal. Unranked candidates are absent (see [`Unranked`]).
#[derive(Clone, Copy)]
pub struct Ranking<'a> {
    candidates: &'a [CandidateIndex],
    starts: &'a TierStarts,
    offset: usize,
}

impl fmt::Debug for Ranking<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.tiers()).finish()
    }
}

impl<'a> Ranking<'a> {
    /// The ranked candidates, best first, tiers flattened.
    #[must_use]
    pub fn candidates(&self) -> &'a [CandidateIndex] {
        self.candidates
    }

    /// The tiers, best first.
    #[must_use]
    pub fn tiers(&self) -> Tiers<'a> {
        Tiers {
            ranking: *self,
            next: 0,
        }
    }

    /// The first tier, or `None` for a blank ballot.
    #[must_use]
    pub fn first_tier(&self) -> Option<&'a [CandidateIndex]> {
        self.tiers().next()
    }

    /// Whether the voter ranked no one.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    /// Number of tiers.
    #[must_use]
    pub fn tier_count(&self) -> usize {
        self.tiers().count()
    }

    /// Whether no two candidates are ranked equal.
    #[must_use]
    pub fn is_strict(&self) -> bool {
        (0..self.candidates.len()).all(|position| self.starts_tier(position))
    }

    /// Whether `candidate` is ranked.
    #[must_use]
    pub fn contains(&self, candidate: CandidateIndex) -> bool {
        self.candidates.contains(&candidate)
    }

    /// Write each candidate's tier number (0 = best) into `positions`, which the caller
    /// sizes to the number of candidates and reuses across ballots. Unranked candidates
    /// get `None` with [`Unranked::Ignore`], and the tier just below the last ranked one
    /// with [`Unranked::Last`]. Candidates beyond `positions.len()` are skipped.
    pub fn write_positions(&self, unranked: Unranked, positions: &mut [Option<u32>]) {
        let tier_count = u32::try_from(self.tier_count()).unwrap_or(u32::MAX);
        let fill = match unranked {
            Unranked::Ignore => None,
            Unranked::Last => Some(tier_count),
        };
        positions.fill(fill);
        for (tier_number, tier) in (0u32..).zip(self.tiers()) {
            for candidate in tier {
                if let Some(slot) = positions.get_mut(candidate.index()) {
                    *slot = Some(tier_number);
                }
            }
        }
    }

    /// A 64-bit hash of the ranking (candidates and tier breaks), for merging identical
    /// ballots. `FxHasher` has no random keys, so it is the same on every run, and it is
    /// several times faster than SipHash on a million ballots; collisions only cost an
    /// extra comparison (`aggregated` compares the rankings themselves).
    fn fingerprint(&self) -> u64 {
        use std::hash::Hasher;
        let mut hasher = rustc_hash::FxHasher::default();
        for (candidate, starts_tier) in self.entries() {
            hasher.write_u32((u32::from(candidate.0) << 1) | u32::from(starts_tier));
        }
        hasher.finish()
    }

    /// Whether two rankings have the same tiers.
    fn same_as(&self, other: &Ranking<'_>) -> bool {
        self.candidates.len() == other.candidates.len() && self.entries().eq(other.entries())
    }

    fn starts_tier(&self, position: usize) -> bool {
        position == 0 || self.starts.get(self.offset + position)
    }

    fn entries(&self) -> impl Iterator<Item = (CandidateIndex, bool)> + '_ {
        self.candidates
            .iter()
            .enumerate()
            .map(|(position, &candidate)| (candidate, self.starts_tier(position)))
    }

    /// Copy the candidates `keep` accepts into `builder` (cleared first), keeping the
    /// tier structure; a tier whose candidates are all dropped disappears.
    fn copy_into(&self, builder: &mut RankingBuilder, keep: impl Fn(CandidateIndex) -> bool) {
        builder.clear();
        for tier in self.tiers() {
            let mut first = true;
            for &candidate in tier.iter().filter(|candidate| keep(**candidate)) {
                let _ = builder.push(candidate, first);
                first = false;
            }
        }
    }
}

/// Iterator over a [`Ranking`]'s tiers.
#[derive(Debug, Clone)]
pub struct Tiers<'a> {
    ranking: Ranking<'a>,
    next: usize,
}

impl<'a> Iterator for Tiers<'a> {
    type Item = &'a [CandidateIndex];

    fn next(&mut self) -> Option<Self::Item> {
        let len = self.ranking.candidates.len();
        if self.next >= len {
            return None;
        }
        let start = self.next;
        let mut end = start + 1;
        while end < len && !self.ranking.starts_tier(end) {
            end += 1;
        }
        self.next = end;
        self.ranking.candidates.get(start..end)
    }
}

/// Cumulative ballots: each ballot gives some votes to some candidates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoredBallots {
    ledger: Ledger<(CandidateIndex, u32)>,
}

/// One cumulative ballot, borrowed from its set.
#[derive(Debug, Clone, Copy)]
pub struct ScoredBallot<'a> {
    /// How many identical ballots this record stands for.
    pub weight: u64,
    /// The votes given, by candidate index, each candidate at most once, no zeros.
    pub votes: &'a [(CandidateIndex, u32)],
    /// The voter id written on the ballot, if any.
    pub voter: Option<&'a str>,
    /// The line the ballot was read from.
    pub origin: BallotOrigin,
}

impl ScoredBallot<'_> {
    /// All votes on the ballot (the number a cap applies to).
    #[must_use]
    pub fn total(&self) -> u64 {
        self.votes.iter().map(|(_, votes)| u64::from(*votes)).sum()
    }
}

impl ScoredBallots {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a ballot. `votes` must name each candidate at most once (readers check and
    /// report); zero entries are dropped and the rest sorted by candidate.
    ///
    /// # Errors
    /// The total weight would pass [`MAX_TOTAL_WEIGHT`], or the arena is full.
    pub fn push(
        &mut self,
        weight: u64,
        votes: &[(CandidateIndex, u32)],
        voter: Option<&str>,
        origin: BallotOrigin,
    ) -> Result<(), PushError> {
        let mut entries: Vec<(CandidateIndex, u32)> = votes
            .iter()
            .copied()
            .filter(|(_, votes)| *votes > 0)
            .collect();
        entries.sort_unstable();
        self.ledger
            .push(weight, &entries, voter, origin)
            .map(|_| ())
    }

    ledger_accessors!("The weight of ballots that give no votes.");

    /// The ballot at `position`.
    #[must_use]
    pub fn get(&self, position: usize) -> Option<ScoredBallot<'_>> {
        self.ledger
            .records
            .get(position)
            .map(|record| self.view(record))
    }

    /// All ballots, in input order.
    pub fn iter(&self) -> impl Iterator<Item = ScoredBallot<'_>> + '_ {
        self.ledger.records.iter().map(|record| self.view(record))
    }

    fn view(&self, record: &BallotRecord) -> ScoredBallot<'_> {
        ScoredBallot {
            weight: record.weight,
            votes: self.ledger.marks(record),
            voter: self.ledger.voters.get(record.voter),
            origin: BallotOrigin { line: record.line },
        }
    }

    /// The ballots at the positions where `keep` is true.
    #[must_use]
    pub fn filtered(&self, keep: &[bool]) -> Self {
        let mut out = Self::new();
        for (ballot, _) in self.iter().zip(keep).filter(|(_, keep)| **keep) {
            let _ = out.push(ballot.weight, ballot.votes, ballot.voter, ballot.origin);
        }
        out
    }

    /// The same ballots with votes for struck-out (withdrawn) candidates removed.
    #[must_use]
    pub fn without(&self, struck: impl Fn(CandidateIndex) -> bool) -> Self {
        let mut out = Self::new();
        let mut votes = Vec::new();
        for ballot in self.iter() {
            votes.clear();
            votes.extend(
                ballot
                    .votes
                    .iter()
                    .copied()
                    .filter(|(candidate, _)| !struck(*candidate)),
            );
            let _ = out.push(ballot.weight, &votes, ballot.voter, ballot.origin);
        }
        out
    }
}

/// The marks on a file's ballots: rankings or votes per candidate, never both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ballots {
    Ranked(RankedBallots),
    Scored(ScoredBallots),
}

/// What the roll check needs of any ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotHeader<'a> {
    pub weight: u64,
    pub voter: Option<&'a str>,
    pub origin: BallotOrigin,
    /// Whether the voter marked nothing.
    pub blank: bool,
}

impl Ballots {
    /// Number of ballot records (lines).
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Self::Ranked(ballots) => ballots.len(),
            Self::Scored(ballots) => ballots.len(),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of ballots cast (sum of weights).
    #[must_use]
    pub fn total_weight(&self) -> u64 {
        match self {
            Self::Ranked(ballots) => ballots.total_weight(),
            Self::Scored(ballots) => ballots.total_weight(),
        }
    }

    /// Whether any ballot carries a voter id.
    #[must_use]
    pub fn has_voter_ids(&self) -> bool {
        match self {
            Self::Ranked(ballots) => ballots.has_voter_ids(),
            Self::Scored(ballots) => ballots.has_voter_ids(),
        }
    }

    /// Weight, voter and origin of every ballot, in input order.
    #[must_use]
    pub fn headers(&self) -> Vec<BallotHeader<'_>> {
        match self {
            Self::Ranked(ballots) => ballots
                .iter()
                .map(|ballot| BallotHeader {
                    weight: ballot.weight,
                    voter: ballot.voter,
                    origin: ballot.origin,
                    blank: ballot.ranking.is_empty(),
                })
                .collect(),
            Self::Scored(ballots) => ballots
                .iter()
                .map(|ballot| BallotHeader {
                    weight: ballot.weight,
                    voter: ballot.voter,
                    origin: ballot.origin,
                    blank: ballot.votes.is_empty(),
                })
                .collect(),
        }
    }

    /// The ballots at the positions where `keep` is true.
    #[must_use]
    pub fn filtered(&self, keep: &[bool]) -> Self {
        match self {
            Self::Ranked(ballots) => Self::Ranked(ballots.filtered(keep)),
            Self::Scored(ballots) => Self::Scored(ballots.filtered(keep)),
        }
    }

    /// The weight of ballots that mark nothing.
    #[must_use]
    pub fn blank_weight(&self) -> u64 {
        match self {
            Self::Ranked(ballots) => ballots.blank_weight(),
            Self::Scored(ballots) => ballots.blank_weight(),
        }
    }
}

/// Everything read from one ballot file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotSet {
    /// The file as the user named it; origins are lines of this file.
    pub file: String,
    /// The format the file was read as.
    pub format: InputFormat,
    /// The election's title, when the file states one (BLT, `PrefLib`, TOML).
    pub title: Option<String>,
    /// The number of seats, when the file states it (BLT, TOML).
    pub seats: Option<u32>,
    pub candidates: Candidates,
    pub ballots: Ballots,
}

impl BallotSet {
    /// `file:line` for a ballot's origin, as reports and the roll check print it.
    #[must_use]
    pub fn locate(&self, origin: BallotOrigin) -> String {
        format!("{}:{}", self.file, origin.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(position: usize) -> CandidateIndex {
        CandidateIndex::new(position).unwrap()
    }

    fn tiers(ranking: Ranking<'_>) -> Vec<Vec<usize>> {
        ranking
            .tiers()
            .map(|tier| tier.iter().map(|c| c.index()).collect())
            .collect()
    }

    fn push_ranks(ballots: &mut RankedBallots, ranks: &[Option<u32>], weight: u64, line: u32) {
        let mut builder = RankingBuilder::new(ranks.len());
        builder.set_from_ranks(ranks);
        ballots
            .push(weight, &builder, None, BallotOrigin { line })
            .unwrap();
    }

    #[test]
    fn ranks_become_tiers_best_first_with_ties_and_gaps_ignored() {
        let mut ballots = RankedBallots::new();
        push_ranks(
            &mut ballots,
            &[Some(4), Some(1), None, Some(4), Some(2)],
            1,
            2,
        );
        let ballot = ballots.get(0).unwrap();
        assert_eq!(tiers(ballot.ranking), vec![vec![1], vec![4], vec![0, 3]]);
        assert!(!ballot.ranking.is_strict());
        assert!(!ballot.ranking.contains(idx(2)));
        assert_eq!(ballot.origin, BallotOrigin { line: 2 });
    }

    #[test]
    fn positions_follow_the_unranked_rule() {
        let mut ballots = RankedBallots::new();
        push_ranks(&mut ballots, &[Some(2), None, Some(1)], 1, 1);
        let ranking = ballots.get(0).unwrap().ranking;
        let mut positions = vec![None; 3];
        ranking.write_positions(Unranked::Ignore, &mut positions);
        assert_eq!(positions, vec![Some(1), None, Some(0)]);
        ranking.write_positions(Unranked::Last, &mut positions);
        assert_eq!(positions, vec![Some(1), Some(2), Some(0)]);
    }

    #[test]
    fn tier_bits_do_not_leak_between_ballots() {
        let mut ballots = RankedBallots::new();
        // 70 candidates so the tier bits cross a word boundary.
        let all_tied: Vec<Option<u32>> = vec![Some(1); 70];
        let strict: Vec<Option<u32>> = (1..=70).map(Some).collect();
        push_ranks(&mut ballots, &all_tied, 1, 1);
        push_ranks(&mut ballots, &strict, 1, 2);
        push_ranks(&mut ballots, &all_tied, 1, 3);
        assert_eq!(ballots.get(0).unwrap().ranking.tier_count(), 1);
        assert_eq!(ballots.get(1).unwrap().ranking.tier_count(), 70);
        assert_eq!(ballots.get(2).unwrap().ranking.tier_count(), 1);
    }

    #[test]
    fn aggregation_merges_identical_rankings_in_first_seen_order() {
        let mut ballots = RankedBallots::new();
        push_ranks(&mut ballots, &[Some(1), Some(2)], 1, 1);
        push_ranks(&mut ballots, &[Some(1), Some(1)], 2, 2);
        push_ranks(&mut ballots, &[Some(3), Some(7)], 5, 3);
        let merged = ballots.aggregated();
        assert_eq!(merged.len(), 2);
        assert_eq!(merged.total_weight(), 8);
        let first = merged.get(0).unwrap();
        assert_eq!((first.weight, first.origin.line), (6, 1));
        assert_eq!(tiers(first.ranking), vec![vec![0], vec![1]]);
        assert_eq!(tiers(merged.get(1).unwrap().ranking), vec![vec![0, 1]]);
    }

    #[test]
    fn striking_a_candidate_drops_empty_tiers() {
        let mut ballots = RankedBallots::new();
        push_ranks(&mut ballots, &[Some(2), Some(1), Some(3)], 1, 1);
        let without = ballots.without(|candidate| candidate == idx(1));
        assert_eq!(
            tiers(without.get(0).unwrap().ranking),
            vec![vec![0], vec![2]]
        );
    }

    #[test]
    fn a_candidate_cannot_be_ranked_twice() {
        let mut builder = RankingBuilder::new(3);
        builder.push(idx(0), true).unwrap();
        assert_eq!(builder.push(idx(0), false), Err(idx(0)));
        assert_eq!(builder.push(idx(5), true), Err(idx(5)));
        builder.clear();
        builder.push(idx(0), true).unwrap();
    }

    #[test]
    fn total_weight_is_capped() {
        let mut ballots = RankedBallots::new();
        let builder = RankingBuilder::new(1);
        ballots
            .push(MAX_TOTAL_WEIGHT, &builder, None, BallotOrigin { line: 1 })
            .unwrap();
        assert_eq!(
            ballots.push(1, &builder, None, BallotOrigin { line: 2 }),
            Err(PushError::TooMuchWeight)
        );
    }

    #[test]
    fn candidate_names_and_ids_are_unique() {
        assert_eq!(
            Candidates::from_names(&["Ann", "Bo", "Ann"]),
            Err(CandidateListError::DuplicateName("Ann".into()))
        );
        let candidates = Candidates::from_names(&["Alice", "Bob"]).unwrap();
        assert_eq!(candidates.find("Bob"), Some(idx(1)));
        assert_eq!(candidates.closest_name("alcie"), Some("Alice"));
        assert_eq!(candidates.closest_name("Zed"), None);
    }

    #[test]
    fn scored_ballots_drop_zeros_and_sort() {
        let mut ballots = ScoredBallots::new();
        ballots
            .push(
                2,
                &[(idx(2), 1), (idx(0), 0), (idx(1), 3)],
                Some("v@x"),
                BallotOrigin { line: 4 },
            )
            .unwrap();
        let ballot = ballots.get(0).unwrap();
        assert_eq!(ballot.votes, &[(idx(1), 3), (idx(2), 1)]);
        assert_eq!(ballot.total(), 4);
        assert_eq!(ballot.voter, Some("v@x"));
        assert!(ballots.has_voter_ids());
    }
}
