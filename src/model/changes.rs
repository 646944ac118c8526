//! Changes and the accounts that own them: the compact store every change reader appends
//! to, accounts as the exports name them and changes as integer-keyed records with their
//! origin. A million changes fit in well under a hundred megabytes this way.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::address::parse_person;
use crate::model::{Instant, MAX_FIELD_BYTES, Origin, Sym, Symbols};

/// An account as an export identifies it: by Gerrit account id when the export has one,
/// else by its exact e-mail address. Folding case and merging accounts that share an
/// address is the identity module's job, so the choice can follow the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKey {
    Gerrit(u64),
    Email(Sym),
    /// An account the export names only by a field that is not a usable address (say
    /// `aradhana1.singh`): its changes still count for it, but it can receive no ballot.
    Unusable(Sym),
    /// The owner of an unmerged change that the export does not identify (REST answers
    /// without `DETAILED_ACCOUNTS`): such a change counts for nobody either way, but it is
    /// still a row to account for and explain.
    Unidentified(u32),
}

/// Index of an [`Account`] in [`ChangeLog::accounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountIdx(pub u32);

impl AccountIdx {
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone)]
pub struct Account {
    pub key: AccountKey,
    pub gerrit_id: Option<u64>,
    /// Every usable address seen for this account, exact, in order of first sight.
    pub emails: Vec<Sym>,
    /// What the export gave as an address when it was not one, exact.
    pub unusable_emails: Vec<Sym>,
    /// The full name on the latest record that gives one (ties: the name that sorts
    /// last), so that the name does not depend on the order of rows.
    pub name: Option<Sym>,
    /// When the record that gave the name was made.
    pub name_at: Option<Instant>,
    /// The username, chosen like the name.
    pub username: Option<Sym>,
    pub username_at: Option<Instant>,
    /// Where the account was first seen.
    pub first_seen: Origin,
}

/// How a change's merge time was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MergeTime {
    /// A `merged_at` column or REST `submitted`: the submit time itself.
    Submitted,
    /// The `SUBM` approval's `grantedOn` in `gerrit query` output.
    SubmitApproval,
    /// `lastUpdated`, for `gerrit query` changes without a `SUBM` approval: usually the
    /// merge, but a later comment moves it. Counted and warned about.
    LastUpdated,
    /// The change did not merge and has no merge time.
    None,
}

/// Someone other than the owner who a policy may credit for a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit {
    pub account: AccountIdx,
    pub role: CreditRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CreditRole {
    /// Named in a `Co-Authored-By` trailer.
    CoAuthor,
    /// Voted on the change: the label (interned, e.g. `Code-Review`) and the vote.
    Reviewer { label: Sym, value: i8 },
}

/// One change as exported.
#[derive(Debug, Clone)]
pub struct Change {
    pub repo: Sym,
    pub branch: Sym,
    pub owner: AccountIdx,
    /// The owner's address on this record, if any.
    pub email: Option<Sym>,
    pub merged: bool,
    /// The export's status when it is not `MERGED` (for explanations).
    pub status: Option<Sym>,
    pub merged_at: Option<Instant>,
    pub merge_time: MergeTime,
    pub number: Option<u64>,
    /// The Change-Id, kept in the change log's text arena: nearly every change has its own, so
    /// interning them would only cost hashing.
    pub change_id: Option<TextRef>,
    /// The commit id, when the export has one: it tells apart changes that carry neither a
    /// number nor a Change-Id (history from before code review).
    pub commit: Option<TextRef>,
    /// Range in [`ChangeLog::credits`].
    pub credits_start: u32,
    pub credits_len: u16,
    pub origin: Origin,
}

impl Change {
    /// How to name the change to a person: its number, else its Change-Id.
    #[must_use]
    pub fn label(&self, log: &ChangeLog) -> Option<String> {
        self.number
            .map(|n| n.to_string())
            .or_else(|| self.change_id.map(|id| log.text(id).to_owned()))
    }
}

/// A string stored once in the change log's text arena ([`ChangeLog::text`] reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRef {
    start: usize,
    len: u32,
}

/// Everything the change readers produce.
#[derive(Debug, Default)]
pub struct ChangeLog {
    pub symbols: Symbols,
    pub accounts: Vec<Account>,
    pub changes: Vec<Change>,
    pub credits: Vec<Credit>,
    /// Strings that are rarely repeated (Change-Ids), one after another.
    texts: String,
    by_key: FxHashMap<AccountKey, AccountIdx>,
    /// Every (account, address) pair of [`Account::emails`]: an account seen with a
    /// hundred thousand addresses is looked up in one step, not a hundred thousand.
    account_emails: FxHashSet<(AccountIdx, Sym)>,
    /// Likewise for [`Account::unusable_emails`].
    account_unusable: FxHashSet<(AccountIdx, Sym)>,
}

/// What a reader knows about an account on one record.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountSighting<'a> {
    pub gerrit_id: Option<u64>,
    /// The address on the record; one that is not an address (see
    /// [`crate::model::is_plausible_email`]) is kept as unusable.
    pub email: Option<&'a str>,
    pub name: Option<&'a str>,
    pub username: Option<&'a str>,
    /// What the record gave as an address when it is not one (the reader decides); the
    /// account is then known by it, and can receive no ballot through it.
    pub unusable_email: Option<&'a str>,
    /// When the record was made (a change's merge time), to choose among names.
    pub at: Option<Instant>,
}

/// Whether a name seen at `seen.0` should replace the one kept (seen at `kept_at`): the
/// latest record wins, and at one instant the text that sorts last, so the choice never
/// depends on the order records are read in.
fn later(
    symbols: &Symbols,
    seen: (Option<Instant>, &str),
    kept_at: Option<Instant>,
    kept: Option<Sym>,
) -> bool {
    match kept {
        None => true,
        Some(kept) => (seen.0, seen.1) > (kept_at, symbols.resolve(kept)),
    }
}

/// [`later`] for a name already interned.
fn later_name(
    symbols: &Symbols,
    seen: (Option<Instant>, Sym),
    kept_at: Option<Instant>,
    kept: Option<Sym>,
) -> bool {
    later(symbols, (seen.0, symbols.resolve(seen.1)), kept_at, kept)
}

impl Account {
    fn new(key: AccountKey, gerrit_id: Option<u64>, first_seen: Origin) -> Self {
        Self {
            key,
            gerrit_id,
            emails: Vec::new(),
            unusable_emails: Vec::new(),
            name: None,
            name_at: None,
            username: None,
            username_at: None,
            first_seen,
        }
    }
}

impl ChangeLog {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The account for a sighting, created or enriched. Returns `None` when the sighting
    /// has neither an account id nor an address.
    pub fn account(&mut self, seen: AccountSighting<'_>, origin: Origin) -> Option<AccountIdx> {
        self.sight(seen, origin).map(|(idx, _)| idx)
    }

    /// [`Self::account`], also returning the interned address of the sighting.
    pub fn sight(
        &mut self,
        seen: AccountSighting<'_>,
        origin: Origin,
    ) -> Option<(AccountIdx, Option<Sym>)> {
        let email_text = seen.email.filter(|e| !e.is_empty());
        let unusable = seen
            .unusable_email
            .filter(|e| !e.is_empty())
            .map(|e| self.symbols.intern(e));
        // Most records name an account already seen with an address already seen: find
        // the account by number, and the address with one lookup of its text (no new
        // symbol, no allocation).
        if let Some(id) = seen.gerrit_id
            && let Some(&idx) = self.by_key.get(&AccountKey::Gerrit(id))
        {
            let known = email_text
                .and_then(|text| self.symbols.get(text))
                .filter(|&sym| self.account_emails.contains(&(idx, sym)));
            let email = match (email_text, known) {
                (_, Some(sym)) => Some(sym),
                (Some(text), None) => Some(self.symbols.intern(text)),
                (None, None) => None,
            };
            self.enrich(idx, email, unusable, seen);
            return Some((idx, email));
        }
        let email = email_text.map(|e| self.symbols.intern(e));
        let key = match (seen.gerrit_id, email, unusable) {
            (Some(id), _, _) => AccountKey::Gerrit(id),
            (None, Some(email), _) => AccountKey::Email(email),
            (None, None, Some(raw)) => AccountKey::Unusable(raw),
            (None, None, None) => return None,
        };
        let idx = match self.by_key.get(&key) {
            Some(&idx) => idx,
            None => {
                let idx = AccountIdx(u32::try_from(self.accounts.len()).unwrap_or(u32::MAX));
                self.accounts
                    .push(Account::new(key, seen.gerrit_id, origin));
                self.by_key.insert(key, idx);
                idx
            }
        };
        self.enrich(idx, email, unusable, seen);
        Some((idx, email))
    }

    /// A fresh account for an owner the export does not identify.
    pub fn unidentified(&mut self, name: Option<&str>, origin: Origin) -> AccountIdx {
        let idx = AccountIdx(u32::try_from(self.accounts.len()).unwrap_or(u32::MAX));
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| self.symbols.intern(n));
        let mut account = Account::new(AccountKey::Unidentified(idx.0), None, origin);
        account.name = name;
        self.accounts.push(account);
        idx
    }

    fn enrich(
        &mut self,
        idx: AccountIdx,
        email: Option<Sym>,
        unusable: Option<Sym>,
        seen: AccountSighting<'_>,
    ) {
        let account = &mut self.accounts[idx.index()];
        if let Some(email) = email
            && self.account_emails.insert((idx, email))
        {
            account.emails.push(email);
        }
        if let Some(raw) = unusable
            && self.account_unusable.insert((idx, raw))
        {
            account.unusable_emails.push(raw);
        }
        let (name_at, username_at) = (account.name_at, account.username_at);
        let (name, username) = (account.name, account.username);
        if let Some(text) = seen.name.map(str::trim).filter(|n| !n.is_empty())
            && later(&self.symbols, (seen.at, text), name_at, name)
        {
            let sym = self.symbols.intern(text);
            let account = &mut self.accounts[idx.index()];
            account.name = Some(sym);
            account.name_at = seen.at;
        }
        if let Some(text) = seen.username.filter(|u| !u.is_empty())
            && later(&self.symbols, (seen.at, text), username_at, username)
        {
            let sym = self.symbols.intern(text);
            let account = &mut self.accounts[idx.index()];
            account.username = Some(sym);
            account.username_at = seen.at;
        }
    }

    /// Append everything `later` read, as if its records had been read after this log's:
    /// symbols, accounts and changes are numbered exactly as one sequential read would
    /// number them. A large export is read in parallel halves and put back together so.
    pub fn absorb(&mut self, later: ChangeLog) {
        let syms: Vec<Sym> = (0..later.symbols.len())
            .map(|i| {
                let text = later.symbols.resolve(Sym::from_index(i));
                self.symbols.intern(text)
            })
            .collect();
        let sym = |s: Sym| syms[s.index()];
        let mut accounts = Vec::with_capacity(later.accounts.len());
        for account in &later.accounts {
            let key = match account.key {
                AccountKey::Gerrit(id) => Some(AccountKey::Gerrit(id)),
                AccountKey::Email(email) => Some(AccountKey::Email(sym(email))),
                AccountKey::Unusable(raw) => Some(AccountKey::Unusable(sym(raw))),
                AccountKey::Unidentified(_) => None,
            };
            let existing = key.and_then(|k| self.by_key.get(&k).copied());
            let idx = match existing {
                Some(idx) => idx,
                None => {
                    let idx = AccountIdx(u32::try_from(self.accounts.len()).unwrap_or(u32::MAX));
                    let key = key.unwrap_or(AccountKey::Unidentified(idx.0));
                    self.accounts
                        .push(Account::new(key, account.gerrit_id, account.first_seen));
                    if !matches!(key, AccountKey::Unidentified(_)) {
                        self.by_key.insert(key, idx);
                    }
                    idx
                }
            };
            let (mine_name, mine_name_at) = (
                self.accounts[idx.index()].name,
                self.accounts[idx.index()].name_at,
            );
            let (mine_user, mine_user_at) = (
                self.accounts[idx.index()].username,
                self.accounts[idx.index()].username_at,
            );
            let take_name = account.name.is_some_and(|n| {
                later_name(
                    &self.symbols,
                    (account.name_at, sym(n)),
                    mine_name_at,
                    mine_name,
                )
            });
            let take_user = account.username.is_some_and(|u| {
                later_name(
                    &self.symbols,
                    (account.username_at, sym(u)),
                    mine_user_at,
                    mine_user,
                )
            });
            let mine = &mut self.accounts[idx.index()];
            for &email in &account.emails {
                let email = sym(email);
                if self.account_emails.insert((idx, email)) {
                    mine.emails.push(email);
                }
            }
            for &raw in &account.unusable_emails {
                let raw = sym(raw);
                if self.account_unusable.insert((idx, raw)) {
                    mine.unusable_emails.push(raw);
                }
            }
            if take_name {
                mine.name = account.name.map(sym);
                mine.name_at = account.name_at;
            }
            if take_user {
                mine.username = account.username.map(sym);
                mine.username_at = account.username_at;
            }
            accounts.push(idx);
        }
        let text_offset = self.texts.len();
        self.texts.push_str(&later.texts);
        let credit_offset = u32::try_from(self.credits.len()).unwrap_or(u32::MAX);
        self.credits.extend(later.credits.iter().map(|c| Credit {
            account: accounts[c.account.index()],
            role: match c.role {
                CreditRole::CoAuthor => CreditRole::CoAuthor,
                CreditRole::Reviewer { label, value } => CreditRole::Reviewer {
                    label: sym(label),
                    value,
                },
            },
        }));
        self.changes.reserve(later.changes.len());
        for change in later.changes {
            self.changes.push(Change {
                repo: sym(change.repo),
                branch: sym(change.branch),
                owner: accounts[change.owner.index()],
                email: change.email.map(sym),
                status: change.status.map(sym),
                change_id: change.change_id.map(|t| TextRef {
                    start: t.start + text_offset,
                    len: t.len,
                }),
                commit: change.commit.map(|t| TextRef {
                    start: t.start + text_offset,
                    len: t.len,
                }),
                credits_start: change.credits_start + credit_offset,
                ..change
            });
        }
    }

    /// Keep a rarely repeated string.
    pub fn store_text(&mut self, text: &str) -> TextRef {
        let start = self.texts.len();
        self.texts.push_str(text);
        TextRef {
            start,
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        }
    }

    #[must_use]
    pub fn text(&self, text: TextRef) -> &str {
        self.texts
            .get(text.start..text.start + text.len as usize)
            .unwrap_or("")
    }

    /// Credit the co-authors named in `entries` (`Co-Authored-By` values); returns the
    /// entries that name no address (or a name longer than [`MAX_FIELD_BYTES`]), for the
    /// caller to report.
    pub fn credit_co_authors<'e>(
        &mut self,
        entries: impl IntoIterator<Item = &'e str>,
        origin: Origin,
        at: Option<Instant>,
        credits: &mut Vec<Credit>,
    ) -> Vec<&'e str> {
        let mut unusable = Vec::new();
        for entry in entries {
            let Some((name, email)) =
                parse_person(entry).filter(|(name, _)| name.len() <= MAX_FIELD_BYTES)
            else {
                unusable.push(entry);
                continue;
            };
            let sighting = AccountSighting {
                email: Some(email),
                name: Some(name),
                at,
                ..AccountSighting::default()
            };
            if let Some(account) = self.account(sighting, origin) {
                credits.push(Credit {
                    account,
                    role: CreditRole::CoAuthor,
                });
            }
        }
        unusable
    }

    /// Append credits for the next change; returns the range to store on it.
    pub fn add_credits(&mut self, credits: impl IntoIterator<Item = Credit>) -> (u32, u16) {
        let start = u32::try_from(self.credits.len()).unwrap_or(u32::MAX);
        self.credits.extend(credits);
        let len = self.credits.len() - start as usize;
        (start, u16::try_from(len).unwrap_or(u16::MAX))
    }

    #[must_use]
    pub fn credits_of(&self, change: &Change) -> &[Credit] {
        let start = change.credits_start as usize;
        self.credits
            .get(start..start + usize::from(change.credits_len))
            .unwrap_or(&[])
    }

    /// Everything the log holds, as text with symbols resolved: two logs that read the same
    /// records give the same text even if one interned a string the other never needed.
    /// For tests and fuzz targets that compare two ways of reading one input.
    #[must_use]
    pub fn fingerprint(&self) -> String {
        let text = |sym: Sym| self.symbols.resolve(sym).to_owned();
        let accounts: Vec<_> = self
            .accounts
            .iter()
            .map(|a| {
                let key = match a.key {
                    AccountKey::Email(e) => format!("email:{}", text(e)),
                    AccountKey::Unusable(raw) => format!("unusable:{}", text(raw)),
                    other => format!("{other:?}"),
                };
                (
                    key,
                    a.gerrit_id,
                    a.emails.iter().map(|&e| text(e)).collect::<Vec<_>>(),
                    a.unusable_emails
                        .iter()
                        .map(|&e| text(e))
                        .collect::<Vec<_>>(),
                    a.name.map(text),
                    a.username.map(text),
                    a.first_seen,
                )
            })
            .collect();
        let changes: Vec<_> = self
            .changes
            .iter()
            .map(|c| {
                (
                    text(c.repo),
                    text(c.branch),
                    c.owner,
                    c.email.map(text),
                    c.merged,
                    c.status.map(text),
                    c.merged_at,
                    c.label(self),
                    c.commit.map(|t| self.text(t).to_owned()),
                    self.credits_of(c).to_vec(),
                    c.origin,
                )
            })
            .collect();
        format!("{accounts:?}\n{changes:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileId, Position};

    fn origin(line: u32) -> Origin {
        Origin {
            file: FileId(0),
            position: line,
            kind: Position::Line,
        }
    }

    #[test]
    fn accounts_are_keyed_by_id_then_exact_email() {
        let mut log = ChangeLog::new();
        let sighting = |id, email| AccountSighting {
            gerrit_id: id,
            email: Some(email),
            ..AccountSighting::default()
        };
        let a = log
            .account(sighting(Some(7), "a@example.org"), origin(2))
            .unwrap();
        let b = log
            .account(sighting(Some(7), "b@example.org"), origin(3))
            .unwrap();
        let c = log
            .account(sighting(None, "a@example.org"), origin(4))
            .unwrap();
        let d = log
            .account(sighting(None, "A@example.org"), origin(5))
            .unwrap();
        assert_eq!(a, b, "same id, one account, two addresses");
        assert_eq!(log.accounts[a.index()].emails.len(), 2);
        assert_ne!(a, c, "merging by address is identity's job");
        assert_ne!(c, d, "exact addresses at ingest");
        assert_eq!(log.account(AccountSighting::default(), origin(6)), None);
    }
}
