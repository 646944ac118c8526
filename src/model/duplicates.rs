//! Each change counted once: the same change read twice (a file listed twice, rows repeated,
//! REST pages that overlap, a CSV and a `gerrit query` export of the same changes) is kept
//! once, and two records of one change that disagree are reported, not silently merged.
//!
//! A change is identified by, in order:
//! 1. its Gerrit number within its repository (a number is unique on its server, and a
//!    repository lives on one server, so the pair names one change even when several
//!    servers' exports are read together);
//! 2. else its repository, branch and Change-Id (a Change-Id is unique per branch);
//! 3. else its repository, branch and commit id (history from before code review has
//!    neither number nor Change-Id; two commits merged in the same second by one person are
//!    two changes);
//! 4. else the record itself: repository, branch, owner, status and merge time, so that only
//!    a repeated record is a duplicate.
//!
//! Two records of one change agree when they have the same branch, the same owner (the
//! same account, or the same address up to ASCII case), the same status, and the same merge
//! time. A merge time `gerrit query` estimated from `lastUpdated` does not disagree with a
//! submit time: the submit time is kept. Co-authors and reviewers of the copies are united.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::model::{Change, ChangeLog, Credit, Instant, MergeTime, Origin, Sym};

/// A record of a change already read, left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate {
    /// The record kept (the first read, or the one with the exact merge time).
    pub kept: Origin,
    /// The record left out.
    pub dropped: Origin,
}

/// What two records of one change disagree about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disagreement {
    Branch,
    Owner,
    Status,
    MergeTime,
}

impl Disagreement {
    /// The field as the exports call it.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            Self::Branch => "branch",
            Self::Owner => "owner",
            Self::Status => "status",
            Self::MergeTime => "merged_at",
        }
    }
}

/// Two records of one change that disagree: the first is kept, the second left out, and
/// the caller reports an error naming both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict {
    pub kept: Origin,
    pub dropped: Origin,
    pub about: Disagreement,
    /// How the change is named: its number, else its Change-Id (see [`Change::label`]).
    pub change: usize,
}

/// What [`ChangeLog::deduplicate`] found. `change` indexes are into the log as it is
/// after the call.
#[derive(Debug, Default)]
pub struct Deduplicated {
    pub duplicates: Vec<Duplicate>,
    pub conflicts: Vec<Conflict>,
    /// For each conflict, the two values as text (kept, dropped), for the message.
    pub values: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    Number(Sym, u64),
    ChangeId(Sym, Sym, &'a str),
    Commit(Sym, Sym, &'a str),
    Record(Sym, Sym, u32, Option<Sym>, Option<Instant>),
}

/// A change's index as the table keeps it: a log holds fewer than 2^32 changes (each is a
/// record of at least a few bytes in a file read whole).
fn index_u32(index: usize) -> u32 {
    u32::try_from(index).expect("fewer than 2^32 changes")
}

/// What to do with a later record of a change already seen.
enum Verdict {
    /// The same change: drop the later record.
    Same,
    /// The same change, but the later record's merge time is exact where the first's was
    /// estimated: keep the later one.
    SameBetter,
    Conflict(Disagreement),
}

impl ChangeLog {
    /// Keep each change once (see the module's documentation), in the order first read.
    pub fn deduplicate(&mut self) -> Deduplicated {
        // The first record of each change, by index: four bytes a change rather than a copy
        // of its key, so that a million changes cost a table of a few megabytes. A key is
        // hashed once and compared, on a collision of hashes, with the key of the record
        // found.
        let mut first: HashTable<u32> = HashTable::with_capacity(self.changes.len());
        let hash = |key: &Key<'_>| FxBuildHasher.hash_one(key);
        // The later records of changes already seen, in the order read: (index, the
        // record it repeats, what the two say). Few or none in most elections.
        let mut repeats: Vec<(usize, usize, Verdict)> = Vec::new();
        for (index, change) in self.changes.iter().enumerate() {
            let key = self.key(change);
            let hashed = hash(&key);
            let found = first.find_mut(hashed, |&seen| {
                self.key(&self.changes[seen as usize]) == key
            });
            match found {
                None => {
                    first.insert_unique(hashed, index_u32(index), |&seen| {
                        hash(&self.key(&self.changes[seen as usize]))
                    });
                }
                Some(earlier) => {
                    let verdict = self.compare(&self.changes[*earlier as usize], change);
                    let repeated = *earlier as usize;
                    if matches!(verdict, Verdict::SameBetter) {
                        *earlier = index_u32(index);
                    }
                    repeats.push((index, repeated, verdict));
                }
            }
        }
        drop(first);
        if repeats.is_empty() {
            return Deduplicated::default();
        }

        // Resolve who is kept: a record replaced by a better one is itself dropped.
        let mut kept = vec![true; self.changes.len()];
        let mut found = Deduplicated::default();
        let mut pending_conflicts = Vec::new();
        // survivor[i]: the record standing for i's change so far.
        let mut survivor: Vec<usize> = (0..self.changes.len()).collect();
        for (index, earlier, verdict) in repeats {
            let standing = survivor[earlier];
            match verdict {
                Verdict::Same => {
                    kept[index] = false;
                    survivor[index] = standing;
                    self.unite_credits(standing, index);
                    found.duplicates.push(Duplicate {
                        kept: self.changes[standing].origin,
                        dropped: self.changes[index].origin,
                    });
                }
                Verdict::SameBetter => {
                    kept[standing] = false;
                    survivor[earlier] = index;
                    survivor[standing] = index;
                    self.unite_credits(index, standing);
                    found.duplicates.push(Duplicate {
                        kept: self.changes[index].origin,
                        dropped: self.changes[standing].origin,
                    });
                }
                Verdict::Conflict(about) => {
                    kept[index] = false;
                    survivor[index] = standing;
                    pending_conflicts.push((standing, index, about));
                }
            }
        }
        for &(standing, index, about) in &pending_conflicts {
            let standing = survivor[standing];
            found
                .values
                .push(self.values(&self.changes[standing], &self.changes[index], about));
        }

        // Renumber: the conflicts name the kept change by its new index.
        let mut new_index = vec![usize::MAX; self.changes.len()];
        let mut next = 0;
        for (old, &keep) in kept.iter().enumerate() {
            if keep {
                new_index[old] = next;
                next += 1;
            }
        }
        for (standing, index, about) in pending_conflicts {
            // The record kept for the change, should a better one have replaced `standing`.
            let standing = survivor[standing];
            found.conflicts.push(Conflict {
                kept: self.changes[standing].origin,
                dropped: self.changes[index].origin,
                about,
                change: new_index[standing],
            });
        }
        let mut flags = kept.into_iter();
        self.changes.retain(|_| flags.next().unwrap_or(true));
        found
    }

    fn key<'a>(&'a self, change: &Change) -> Key<'a> {
        if let Some(number) = change.number {
            Key::Number(change.repo, number)
        } else if let Some(id) = change.change_id {
            Key::ChangeId(change.repo, change.branch, self.text(id))
        } else if let Some(commit) = change.commit {
            Key::Commit(change.repo, change.branch, self.text(commit))
        } else {
            Key::Record(
                change.repo,
                change.branch,
                change.owner.index() as u32,
                change.status,
                change.merged_at,
            )
        }
    }

    fn compare(&self, first: &Change, later: &Change) -> Verdict {
        if first.branch != later.branch {
            return Verdict::Conflict(Disagreement::Branch);
        }
        if !self.same_owner(first, later) {
            return Verdict::Conflict(Disagreement::Owner);
        }
        if first.merged != later.merged {
            return Verdict::Conflict(Disagreement::Status);
        }
        if first.merged_at == later.merged_at {
            return Verdict::Same;
        }
        let estimated = |c: &Change| c.merge_time == MergeTime::LastUpdated;
        match (estimated(first), estimated(later)) {
            (true, false) => Verdict::SameBetter,
            (false | true, true) => Verdict::Same,
            (false, false) => Verdict::Conflict(Disagreement::MergeTime),
        }
    }

    fn same_owner(&self, first: &Change, later: &Change) -> bool {
        if first.owner == later.owner {
            return true;
        }
        let (a, b) = (
            &self.accounts[first.owner.index()],
            &self.accounts[later.owner.index()],
        );
        if let (Some(x), Some(y)) = (a.gerrit_id, b.gerrit_id) {
            return x == y;
        }
        match (first.email, later.email) {
            (Some(x), Some(y)) => self
                .symbols
                .resolve(x)
                .eq_ignore_ascii_case(self.symbols.resolve(y)),
            _ => false,
        }
    }

    /// Give the change at `keep` the credits of the change at `other` it lacks.
    fn unite_credits(&mut self, keep: usize, other: usize) {
        let missing: Vec<Credit> = {
            let mine = self.credits_of(&self.changes[keep]);
            self.credits_of(&self.changes[other])
                .iter()
                .filter(|c| !mine.contains(c))
                .copied()
                .collect()
        };
        if missing.is_empty() {
            return;
        }
        let united: Vec<Credit> = self
            .credits_of(&self.changes[keep])
            .iter()
            .copied()
            .chain(missing)
            .collect();
        let (start, len) = self.add_credits(united);
        let change = &mut self.changes[keep];
        change.credits_start = start;
        change.credits_len = len;
    }

    fn values(&self, kept: &Change, dropped: &Change, about: Disagreement) -> (String, String) {
        let show = |change: &Change| -> String {
            match about {
                Disagreement::Branch => self.symbols.resolve(change.branch).to_owned(),
                Disagreement::Owner => {
                    let account = &self.accounts[change.owner.index()];
                    match (change.email, account.gerrit_id) {
                        (Some(email), _) => self.symbols.resolve(email).to_owned(),
                        (None, Some(id)) => format!("account {id}"),
                        (None, None) => "an unidentified owner".to_owned(),
                    }
                }
                Disagreement::Status => {
                    if change.merged {
                        "MERGED".to_owned()
                    } else {
                        change.status.map_or_else(
                            || "not merged".to_owned(),
                            |s| self.symbols.resolve(s).to_owned(),
                        )
                    }
                }
                Disagreement::MergeTime => change
                    .merged_at
                    .map_or_else(|| "none".to_owned(), crate::model::format_instant),
            }
        };
        (show(kept), show(dropped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountSighting, FileId, Position};

    fn origin(file: u32, line: u32) -> Origin {
        Origin {
            file: FileId(file),
            position: line,
            kind: Position::Line,
        }
    }

    struct Row<'a> {
        repo: &'a str,
        branch: &'a str,
        email: &'a str,
        at: i64,
        number: Option<u64>,
        change_id: Option<&'a str>,
        commit: Option<&'a str>,
        merge_time: MergeTime,
    }

    const ROW: Row<'static> = Row {
        repo: "openstack/nova",
        branch: "master",
        email: "ann@example.org",
        at: 1_433_160_000,
        number: Some(12),
        change_id: None,
        commit: None,
        merge_time: MergeTime::Submitted,
    };

    fn push(log: &mut ChangeLog, row: &Row<'_>, origin: Origin, co_author: Option<&str>) {
        let at = chrono::DateTime::from_timestamp(row.at, 0);
        let (owner, email) = log
            .sight(
                AccountSighting {
                    email: Some(row.email),
                    at,
                    ..AccountSighting::default()
                },
                origin,
            )
            .unwrap();
        let mut credits = Vec::new();
        if let Some(entry) = co_author {
            log.credit_co_authors([entry], origin, at, &mut credits);
        }
        let (credits_start, credits_len) = log.add_credits(credits);
        let change_id = row.change_id.map(|id| log.store_text(id));
        let commit = row.commit.map(|id| log.store_text(id));
        let change = Change {
            repo: log.symbols.intern(row.repo),
            branch: log.symbols.intern(row.branch),
            owner,
            email,
            merged: true,
            status: None,
            merged_at: at,
            merge_time: row.merge_time,
            number: row.number,
            change_id,
            commit,
            credits_start,
            credits_len,
            origin,
        };
        log.changes.push(change);
    }

    #[test]
    fn a_repeated_change_is_kept_once_with_both_records_named() {
        let mut log = ChangeLog::new();
        push(&mut log, &ROW, origin(0, 2), None);
        push(
            &mut log,
            &Row {
                number: Some(13),
                ..ROW
            },
            origin(0, 3),
            None,
        );
        push(&mut log, &ROW, origin(1, 2), None);
        let found = log.deduplicate();
        assert_eq!(log.changes.len(), 2);
        assert_eq!(
            found.duplicates,
            [Duplicate {
                kept: origin(0, 2),
                dropped: origin(1, 2)
            }]
        );
        assert!(found.conflicts.is_empty());
    }

    #[test]
    fn the_same_number_in_another_repository_is_another_change() {
        let mut log = ChangeLog::new();
        push(&mut log, &ROW, origin(0, 2), None);
        push(
            &mut log,
            &Row {
                repo: "openstack/swift",
                ..ROW
            },
            origin(0, 3),
            None,
        );
        assert!(log.deduplicate().duplicates.is_empty());
        assert_eq!(log.changes.len(), 2);
    }

    #[test]
    fn without_a_number_the_change_id_and_branch_identify_a_change() {
        let mut log = ChangeLog::new();
        let id = Row {
            number: None,
            change_id: Some("I0123"),
            ..ROW
        };
        push(&mut log, &id, origin(0, 2), None);
        push(&mut log, &id, origin(0, 3), None);
        push(
            &mut log,
            &Row {
                branch: "stable/liberty",
                ..id
            },
            origin(0, 4),
            None,
        );
        let found = log.deduplicate();
        assert_eq!(found.duplicates.len(), 1);
        assert_eq!(log.changes.len(), 2, "a backport is a change of its own");
    }

    #[test]
    fn two_commits_merged_together_by_one_person_are_two_changes() {
        // Early history: no number, no Change-Id; one merge brought in two commits of one
        // author with one time.
        let mut log = ChangeLog::new();
        let first = Row {
            number: None,
            commit: Some("26808c68"),
            ..ROW
        };
        let second = Row {
            commit: Some("3fadaa6b"),
            ..first
        };
        push(&mut log, &first, origin(0, 2), None);
        push(&mut log, &second, origin(0, 3), None);
        push(&mut log, &first, origin(1, 2), None);
        let found = log.deduplicate();
        assert_eq!(found.duplicates.len(), 1, "only the re-read commit");
        assert_eq!(found.duplicates[0].dropped, origin(1, 2));
        assert_eq!(log.changes.len(), 2);
    }

    #[test]
    fn without_any_identifier_only_a_repeated_record_is_a_duplicate() {
        let mut log = ChangeLog::new();
        let bare = Row {
            number: None,
            ..ROW
        };
        push(&mut log, &bare, origin(0, 2), None);
        push(&mut log, &bare, origin(0, 3), None);
        push(
            &mut log,
            &Row {
                at: ROW.at + 1,
                ..bare
            },
            origin(0, 4),
            None,
        );
        assert_eq!(log.deduplicate().duplicates.len(), 1);
        assert_eq!(log.changes.len(), 2);
    }

    #[test]
    fn records_that_disagree_are_a_conflict_naming_both() {
        for (row, about, values) in [
            (
                Row {
                    email: "bo@example.org",
                    ..ROW
                },
                Disagreement::Owner,
                ("ann@example.org", "bo@example.org"),
            ),
            (
                Row {
                    at: ROW.at + 60,
                    ..ROW
                },
                Disagreement::MergeTime,
                ("2015-06-01T12:00:00Z", "2015-06-01T12:01:00Z"),
            ),
            (
                Row {
                    branch: "stable/kilo",
                    ..ROW
                },
                Disagreement::Branch,
                ("master", "stable/kilo"),
            ),
        ] {
            let mut log = ChangeLog::new();
            push(&mut log, &ROW, origin(0, 2), None);
            push(&mut log, &row, origin(1, 5), None);
            let found = log.deduplicate();
            assert!(found.duplicates.is_empty());
            assert_eq!(
                found.conflicts,
                [Conflict {
                    kept: origin(0, 2),
                    dropped: origin(1, 5),
                    about,
                    change: 0
                }]
            );
            assert_eq!(found.values, [(values.0.to_owned(), values.1.to_owned())]);
            assert_eq!(log.changes.len(), 1);
        }
    }

    #[test]
    fn an_address_differing_only_in_case_is_the_same_owner() {
        let mut log = ChangeLog::new();
        push(&mut log, &ROW, origin(0, 2), None);
        push(
            &mut log,
            &Row {
                email: "Ann@Example.org",
                ..ROW
            },
            origin(1, 2),
            None,
        );
        let found = log.deduplicate();
        assert!(found.conflicts.is_empty());
        assert_eq!(found.duplicates.len(), 1);
    }

    #[test]
    fn an_exact_merge_time_is_kept_over_an_estimate() {
        let mut log = ChangeLog::new();
        push(
            &mut log,
            &Row {
                at: ROW.at + 3600,
                merge_time: MergeTime::LastUpdated,
                ..ROW
            },
            origin(0, 2),
            None,
        );
        push(&mut log, &ROW, origin(1, 9), None);
        let found = log.deduplicate();
        assert!(found.conflicts.is_empty());
        assert_eq!(
            found.duplicates,
            [Duplicate {
                kept: origin(1, 9),
                dropped: origin(0, 2)
            }]
        );
        assert_eq!(log.changes.len(), 1);
        assert_eq!(
            log.changes[0].merged_at,
            chrono::DateTime::from_timestamp(ROW.at, 0)
        );
    }

    #[test]
    fn the_kept_record_gains_the_co_authors_only_the_other_names() {
        let mut log = ChangeLog::new();
        push(&mut log, &ROW, origin(0, 2), None);
        push(
            &mut log,
            &ROW,
            origin(1, 2),
            Some("Cy Lee <cy@example.org>"),
        );
        log.deduplicate();
        let credits = log.credits_of(&log.changes[0]);
        assert_eq!(credits.len(), 1);
        let account = &log.accounts[credits[0].account.index()];
        assert_eq!(log.symbols.resolve(account.emails[0]), "cy@example.org");
    }
}
