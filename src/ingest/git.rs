//! A local git repository read directly, through `gix` (no `git` subprocess): every
//! commit reachable from the chosen revision becomes a merged change of the configured
//! project and branch. Ops repositories often live outside Gerrit, or their history is all
//! an official has; a commit that landed is a contribution that landed.
//!
//! - owner: the commit's author (name and address);
//! - merge time: the committer time (when it landed, not when it was written);
//! - Change-Id: the last `Change-Id:` trailer, else the commit id (so explanations can
//!   point at it);
//! - co-authors: `Co-Authored-By:` trailers;
//! - merge commits (two or more parents) are not contributions of their own and are
//!   counted as ignored.
//!
//! gix is most of the binary's dependencies, for an input most officials never use, so it
//! is behind the `git` cargo feature (on by default). Built without it, an election that
//! names a repository is refused with a message that says how to get the feature.

#[cfg(feature = "git")]
use sha2::{Digest, Sha256};

#[cfg(feature = "git")]
use crate::digest::hex;
use crate::ingest::FileRows;
#[cfg(feature = "git")]
use crate::ingest::gerrit_rest::co_authors;
#[cfg(feature = "git")]
use crate::ingest::limits::{MAX_FIELD_BYTES, field_too_long};
use crate::ingest::{FileDigest, InputPath};
#[cfg(feature = "git")]
use crate::model::{AccountSighting, Change, MergeTime, address_problem, excerpt};
use crate::model::{ChangeLog, Diagnostics, FileId};
#[cfg(feature = "git")]
use crate::model::{Code, Origin, Position, Problem};

/// A repository to read, as the election file names it.
#[derive(Debug, Clone)]
pub struct GitInput {
    pub input: InputPath,
    /// The project name the commits count for, e.g. `openstack/osops-tools-generic`.
    pub project: String,
    pub branch: String,
    /// A revision to walk from; the repository's `HEAD` when absent.
    pub rev: Option<String>,
}

/// What reading a repository established, for the manifest.
#[derive(Debug, Clone)]
pub struct GitRead {
    pub rows: FileRows,
    /// SHA-256 over the ids of every commit read, in walk order: changes when history does.
    pub digest: FileDigest,
    pub head: String,
}

/// Files read from a repository at a revision, without a checkout.
#[derive(Debug, Clone)]
pub struct TreeFiles {
    /// The commit the revision resolved to.
    pub commit: String,
    /// Each path asked for, with its contents when the commit has it.
    pub files: Vec<(String, Option<Vec<u8>>)>,
}

/// Built without the `git` feature: a repository cannot be read.
///
/// # Errors
/// Always: this build cannot read git repositories.
#[cfg(not(feature = "git"))]
pub fn read_files(repo: &InputPath, _rev: &str, _paths: &[String]) -> Result<TreeFiles, String> {
    Err(format!(
        "cannot read git repository {}: this electorate was built without the `git` feature\nhint: install it with `cargo install --locked --path . --features git`",
        repo.shown()
    ))
}

/// Read `paths` from the tree of `rev` (a tag, branch or commit id) of a repository,
/// whatever is checked out.
///
/// # Errors
/// The repository cannot be opened, the revision not resolved, or a file not read; the
/// message names the repository and the revision.
#[cfg(feature = "git")]
pub fn read_files(repo: &InputPath, rev: &str, paths: &[String]) -> Result<TreeFiles, String> {
    let shown = repo.shown();
    if !repo.path.exists() {
        return Err(format!(
            "cannot open git repository {shown}: no such file or directory"
        ));
    }
    let opened = gix::open(&repo.path)
        .map_err(|err| format!("cannot open git repository {shown}: {err}"))?;
    let start = resolve(&opened, rev, &shown)?;
    let not_a_commit =
        |err: &dyn std::fmt::Display| format!("\"{rev}\" in {shown} is not a commit: {err}");
    let commit = opened
        .find_object(start)
        .map_err(|err| not_a_commit(&err))?
        .peel_to_commit()
        .map_err(|err| not_a_commit(&err))?;
    let tree = commit
        .tree()
        .map_err(|err| format!("cannot read the tree of \"{rev}\" in {shown}: {err}"))?;
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let entry = tree
            .lookup_entry_by_path(path)
            .map_err(|err| format!("cannot read {path} at \"{rev}\" in {shown}: {err}"))?;
        let bytes = match entry {
            Some(entry) => Some(
                entry
                    .object()
                    .map_err(|err| format!("cannot read {path} at \"{rev}\" in {shown}: {err}"))?
                    .detach()
                    .data,
            ),
            None => None,
        };
        files.push((path.clone(), bytes));
    }
    Ok(TreeFiles {
        commit: commit.id.to_string(),
        files,
    })
}

/// A revision as a commit id: a full id, else a branch or tag name, peeled.
#[cfg(feature = "git")]
fn resolve(repo: &gix::Repository, rev: &str, shown: &str) -> Result<gix::ObjectId, String> {
    match gix::ObjectId::from_hex(rev.as_bytes()) {
        Ok(id) => Ok(id),
        Err(_) => Ok(repo
            .find_reference(rev)
            .and_then(gix::Reference::into_fully_peeled_id)
            .map_err(|err| format!("cannot resolve \"{rev}\" in {shown}, expected a branch, tag or commit id: {err}"))?
            .detach()),
    }
}

/// Built without the `git` feature: every repository is refused, by name.
///
/// # Errors
/// Always: this build cannot read git repositories.
#[cfg(not(feature = "git"))]
pub fn read(
    git: &GitInput,
    _file: FileId,
    _log: &mut ChangeLog,
    _diagnostics: &mut Diagnostics,
) -> Result<GitRead, String> {
    Err(format!(
        "cannot read git repository {}: this electorate was built without the `git` feature\nhint: install it with `cargo install --locked --path . --features git`",
        git.input.shown()
    ))
}

/// Read a repository's history into `log`.
///
/// # Errors
/// The repository cannot be opened or the revision cannot be resolved; the message names
/// the repository.
#[cfg(feature = "git")]
pub fn read(
    git: &GitInput,
    file: FileId,
    log: &mut ChangeLog,
    diagnostics: &mut Diagnostics,
) -> Result<GitRead, String> {
    let name = git.input.display.as_str();
    let shown = git.input.shown();
    if !git.input.path.exists() {
        return Err(format!(
            "cannot open git repository {shown}: no such file or directory"
        ));
    }
    let repo = gix::open(&git.input.path)
        .map_err(|err| format!("cannot open git repository {shown}: {err}"))?;
    let start = match &git.rev {
        Some(rev) => resolve(&repo, rev, &shown)?,
        None => repo
            .head_id()
            .map_err(|err| format!("cannot read HEAD of {shown}: {err}"))?
            .detach(),
    };
    let walk = repo
        .rev_walk([start])
        .all()
        .map_err(|err| format!("cannot walk the history of {shown}: {err}"))?;
    let mut rows = FileRows::default();
    let mut hasher = Sha256::new();
    let project = log.symbols.intern(&git.project);
    let branch = log.symbols.intern(&git.branch);
    for (index, info) in walk.enumerate() {
        let info = info.map_err(|err| format!("cannot walk the history of {shown}: {err}"))?;
        let record = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let id = info.id.to_string();
        hasher.update(id.as_bytes());
        hasher.update(b"\n");
        let origin = Origin {
            file,
            position: record,
            kind: Position::Record,
        };
        let problem = |code: Code, message: String| {
            Problem::error(code, name, format!("commit {id}: {message}"))
                .at_record(u64::from(record))
        };
        let object = match info.object() {
            Ok(object) => object,
            Err(err) => {
                rows.read += 1;
                rows.rejected += 1;
                diagnostics.push(problem(
                    Code::GitUnreadable,
                    format!("cannot read the commit: {err}"),
                ));
                continue;
            }
        };
        let commit = match object.decode() {
            Ok(commit) => commit,
            Err(err) => {
                rows.read += 1;
                rows.rejected += 1;
                diagnostics.push(problem(
                    Code::GitUnreadable,
                    format!("cannot decode the commit: {err}"),
                ));
                continue;
            }
        };
        if commit.parents().count() > 1 {
            rows.ignored += 1;
            continue;
        }
        rows.read += 1;
        let (Ok(author), Ok(committer)) = (commit.author(), commit.committer()) else {
            rows.rejected += 1;
            diagnostics.push(problem(
                Code::GitUnreadable,
                "has no readable author or committer".to_owned(),
            ));
            continue;
        };
        // `CommitRef::time` reads an unparsable time as 1970; read it here, and refuse it.
        let committed = match committer.time() {
            Ok(time) if time.seconds >= 0 => time,
            parsed => {
                rows.rejected += 1;
                let why = if parsed.is_ok() {
                    "is before 1970"
                } else {
                    "cannot be read"
                };
                diagnostics.push(
                    problem(
                        Code::FieldInvalid,
                        format!(
                            "committer time {} {why}, expected seconds since 1970 and an offset such as \"1456790400 +0000\"",
                            excerpt(committer.time)
                        ),
                    )
                    .in_field("committer"),
                );
                continue;
            }
        };
        let email = author.email.to_string();
        let author_name = author.name.to_string();
        // An address past its limit leaves the commit out, as any field past its limit; one
        // that is only not an address still counts for its author, with a warning.
        let usable = match address_problem(&email) {
            Some((Code::FieldTooLong, message)) => {
                rows.rejected += 1;
                diagnostics.push(
                    problem(Code::FieldTooLong, format!("author address {message}"))
                        .in_field("author"),
                );
                continue;
            }
            Some(_) => false,
            None => true,
        };
        if let Some(message) = field_too_long(&author_name) {
            rows.rejected += 1;
            diagnostics.push(
                problem(Code::FieldTooLong, format!("author name {message}")).in_field("author"),
            );
            continue;
        }
        if !usable {
            diagnostics.push(
                crate::ingest::changes_csv::unusable_address(name, &email)
                    .at_record(u64::from(record))
                    .in_field("author"),
            );
        }
        let Some(merged_at) = chrono::DateTime::from_timestamp(committed.seconds, 0) else {
            rows.rejected += 1;
            diagnostics.push(problem(
                Code::FieldInvalid,
                format!("committer time {} is out of range", committed.seconds),
            ));
            continue;
        };
        let message = commit.message.to_string();
        let Some((owner, email_sym)) = log.sight(
            AccountSighting {
                gerrit_id: None,
                email: Some(email.as_str()).filter(|_| usable),
                name: Some(&author_name),
                username: None,
                unusable_email: Some(email.as_str()).filter(|_| !usable),
                at: Some(merged_at),
            },
            origin,
        ) else {
            rows.rejected += 1;
            continue;
        };
        let mut credits = Vec::new();
        // Entries without an address have nobody to credit; exports carry free text here.
        let _ = log.credit_co_authors(co_authors(&message), origin, Some(merged_at), &mut credits);
        let change_id = crate::ingest::trailers::values(&message, "change-id")
            .last()
            .map_or_else(|| id.clone(), str::to_owned);
        let (credits_start, credits_len) = log.add_credits(credits);
        // A Change-Id trailer too long to be one is not one: the commit id stands in, and
        // the official is told.
        let change_id = if change_id.len() > MAX_FIELD_BYTES {
            diagnostics.push(
                Problem::warning(
                    Code::FieldTooLong,
                    name,
                    format!(
                        "commit {id}: its Change-Id trailer is {} bytes, longer than the {MAX_FIELD_BYTES} a field may hold; the commit id identifies the change instead",
                        change_id.len()
                    ),
                )
                .at_record(u64::from(record))
                .in_field("Change-Id"),
            );
            id.clone()
        } else {
            change_id
        };
        let change_id = log.store_text(&change_id);
        let commit_id = log.store_text(&id);
        log.changes.push(Change {
            repo: project,
            branch,
            owner,
            email: email_sym,
            merged: true,
            status: None,
            merged_at: Some(merged_at),
            merge_time: MergeTime::Submitted,
            number: None,
            change_id: Some(change_id),
            commit: Some(commit_id),
            credits_start,
            credits_len,
            origin,
        });
    }
    if rows.read == 0 && rows.ignored == 0 {
        diagnostics.push(Problem::warning(
            Code::InputEmpty,
            name,
            "the repository has no commits",
        ));
    }
    Ok(GitRead {
        rows,
        digest: FileDigest {
            bytes: 0,
            sha256: hex(&hasher.finalize()),
        },
        head: start.to_string(),
    })
}

#[cfg(all(test, not(feature = "git")))]
mod tests {
    use super::*;

    #[test]
    fn without_the_feature_a_repository_is_refused_by_name() {
        let git = GitInput {
            input: InputPath::new("elections/ops/osops", "osops"),
            project: "openstack/osops".to_owned(),
            branch: "master".to_owned(),
            rev: None,
        };
        let mut log = ChangeLog::new();
        let mut diagnostics = Diagnostics::default();
        let err = read(&git, FileId::default(), &mut log, &mut diagnostics).unwrap_err();
        assert_eq!(
            err,
            "cannot read git repository elections/ops/osops: this electorate was built without the `git` feature\nhint: install it with `cargo install --locked --path . --features git`"
        );
    }
}
