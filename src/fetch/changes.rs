//! `fetch changes`: every selected repository's merged changes, one file each
//! (`changes/<repo>.json`, the REST JSON `roll` reads), and `fetch-manifest.json`.
//!
//! A repository is done when its file is renamed into place, and recorded in the journal
//! just before that. A later run, or one resuming a killed run, decides per repository:
//!
//! - no file yet, or one written for another query (the window changed): fetch it whole;
//! - its file was fetched after the query's last day was over: nothing newer can exist,
//!   no request is made (its sha256 is checked against the record);
//! - fetched while the window was still open: ask only for changes merged since the day
//!   it was fetched (less the margin), merge them in by change number, and rewrite the
//!   file only if its bytes change.
//!
//! At most `jobs` repositories are fetched at once, so at most `jobs` requests are in
//! flight. The first repository that fails stops new ones from starting; those already
//! under way finish and are recorded, and the manifest says the fetch is not complete.

use std::collections::BTreeMap;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::fetch::dir::{MANIFEST, OutDir, Staged, tool};
use crate::fetch::gerrit::{self, OPTIONS, Query, Source};
use crate::fetch::http::{CredentialSource, Server, Transport};
use crate::fetch::retry::Retry;
use crate::fetch::scope::{ElectionFile, QueryDays, query_days};
use crate::fetch::{Error, Progress, sha256};
use crate::model::{Instant, Window, format_instant};

/// The manifest's `kind` for a fetch of changes.
pub const KIND: &str = "gerrit-changes";

/// One repository's file, as the manifest and the journal record it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoRecord {
    pub repo: String,
    /// Relative to the fetch directory.
    pub path: String,
    /// The query the file answers.
    pub query: String,
    pub changes: u64,
    /// Pages and requests of the run that last wrote or checked the file.
    pub pages: u32,
    pub requests: u32,
    pub bytes: u64,
    pub sha256: String,
    /// When the file's content was last asked of the server.
    pub fetched_at: String,
}

/// The election window, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRecord {
    pub start: String,
    pub end: String,
}

/// `fetch-manifest.json` of a fetch of changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `electorate VERSION`.
    pub tool: String,
    /// [`KIND`].
    pub kind: String,
    pub server: String,
    /// `anonymous`, `netrc` or `environment` (never the credentials themselves).
    pub authentication: String,
    /// When this run started: the one reading of the clock.
    pub fetched_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub election: Option<ElectionFile>,
    pub window: WindowRecord,
    pub mergedafter: String,
    pub mergedbefore: String,
    pub margin_days: u32,
    pub options: Vec<String>,
    pub page_size: u32,
    /// Every selected repository was fetched by the last run.
    pub complete: bool,
    /// Every repository file in the directory, sorted by repository.
    pub repositories: Vec<RepoRecord>,
}

/// What to fetch and how.
#[derive(Debug, Clone)]
pub struct Settings {
    pub server: Server,
    /// Where credentials came from, if any (they are in the transport).
    pub authentication: Option<CredentialSource>,
    pub election: Option<ElectionFile>,
    pub window: Window,
    pub margin_days: u32,
    /// Sorted, checked with [`gerrit::is_valid_repo`].
    pub repos: Vec<String>,
    pub page_size: u32,
    /// Repositories fetched at once (requests in flight).
    pub jobs: usize,
    pub retry: Retry,
    /// The time of this run, read by the caller.
    pub now: Instant,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub repositories: usize,
    /// Fetched whole.
    pub fetched: usize,
    /// Asked for newer changes (whether or not any came).
    pub updated: usize,
    /// Already complete: no request.
    pub unchanged: usize,
    /// Changes in the selected repositories' files.
    pub changes: u64,
    pub pages: u64,
    pub requests: u64,
    pub files_written: usize,
    pub manifest: PathBuf,
}

/// The file of a repository, relative to the fetch directory.
#[must_use]
pub fn repo_path(repo: &str) -> String {
    format!("changes/{repo}.json")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Fetched,
    Updated,
    Unchanged,
}

struct Done {
    record: RepoRecord,
    staged: Option<Staged>,
    outcome: Outcome,
    /// The record must be journalled (it is not the one already recorded).
    new_record: bool,
}

struct Task {
    repo: String,
    /// Records of this repository's file, oldest first (manifest, then journal).
    history: Vec<RepoRecord>,
}

/// Fetch the changes of `settings.repos` into `out`.
///
/// # Errors
/// The directory cannot be used (see [`OutDir::open`]), a file there was changed or not
/// written by electorate, or a repository could not be fetched (the others that were
/// fetched are kept and recorded).
pub fn fetch(
    out: &Path,
    settings: &Settings,
    transport: &dyn Transport,
    progress: &dyn Progress,
) -> Result<Summary, Error> {
    let (mut dir, previous) = OutDir::open(out, KIND)?;
    let days = query_days(&settings.window, settings.margin_days);
    let mut history: BTreeMap<String, Vec<RepoRecord>> = BTreeMap::new();
    if let Some(manifest) = previous.manifest {
        let manifest: Manifest = serde_json::from_value(manifest).map_err(|err| {
            Error::Input(format!(
                "{}: cannot be read ({err}), expected a manifest of a fetch of changes",
                dir.path(MANIFEST).display()
            ))
        })?;
        if manifest.server != settings.server.base() {
            return Err(Error::OtherServer {
                dir: out.display().to_string(),
                found: manifest.server,
                wanted: settings.server.base().to_owned(),
            });
        }
        for record in manifest.repositories {
            history.entry(record.repo.clone()).or_default().push(record);
        }
    } else {
        let initial = manifest(settings, days, false, Vec::new());
        dir.write(MANIFEST, &to_json(&initial))?;
    }
    for entry in previous.journal {
        if let Ok(record) = serde_json::from_value::<RepoRecord>(entry) {
            history.entry(record.repo.clone()).or_default().push(record);
        }
    }
    let mut tasks = VecDeque::new();
    for repo in &settings.repos {
        let records = history.get(repo).cloned().unwrap_or_default();
        let path = repo_path(repo);
        if records.is_empty() && dir.path(&path).exists() {
            return Err(Error::Foreign {
                path: dir.path(&path).display().to_string(),
            });
        }
        tasks.push_back(Task {
            repo: repo.clone(),
            history: records,
        });
    }
    progress.planned(tasks.len());

    let tasks = Mutex::new(tasks);
    let stop = AtomicBool::new(false);
    let (send, receive) = mpsc::channel::<Result<Done, Error>>();
    let mut summary = Summary {
        repositories: settings.repos.len(),
        manifest: dir.path(MANIFEST),
        ..Summary::default()
    };
    let mut first_error: Option<Error> = None;
    let dir_ref = &dir;
    std::thread::scope(|scope| {
        for _ in 0..settings.jobs.max(1) {
            let send = send.clone();
            let tasks = &tasks;
            let stop = &stop;
            scope.spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let Some(task) = tasks.lock().ok().and_then(|mut t| t.pop_front()) else {
                        break;
                    };
                    progress.started(&task.repo);
                    let result = run_task(dir_ref, settings, days, transport, progress, &task);
                    if result.is_err() {
                        stop.store(true, Ordering::SeqCst);
                    }
                    if send.send(result).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        for result in &receive {
            let recorded = result
                .and_then(|done| record_done(dir_ref, done, &mut history, &mut summary, progress));
            if let Err(err) = recorded {
                stop.store(true, Ordering::SeqCst);
                first_error.get_or_insert(err);
            }
        }
    });
    let records: Vec<RepoRecord> = history
        .values()
        .filter_map(|records| records.last().cloned())
        .collect();
    summary.changes = records
        .iter()
        .filter(|r| settings.repos.binary_search(&r.repo).is_ok())
        .map(|r| r.changes)
        .sum();
    let complete = first_error.is_none();
    let manifest = manifest(settings, days, complete, records);
    dir.commit_manifest(&to_json(&manifest))?;
    match first_error {
        Some(err) => Err(err),
        None => Ok(summary),
    }
}

/// Journal a finished repository, then put its file in place.
fn record_done(
    dir: &OutDir,
    done: Done,
    history: &mut BTreeMap<String, Vec<RepoRecord>>,
    summary: &mut Summary,
    progress: &dyn Progress,
) -> Result<(), Error> {
    if done.new_record {
        let value = serde_json::to_value(&done.record).map_err(|err| Error::Io {
            path: dir.path(&done.record.path).display().to_string(),
            source: err.into(),
        })?;
        dir.journal(&value)?;
    }
    if let Some(staged) = done.staged {
        dir.publish(staged)?;
        summary.files_written += 1;
    }
    match done.outcome {
        Outcome::Fetched => summary.fetched += 1,
        Outcome::Updated => summary.updated += 1,
        Outcome::Unchanged => summary.unchanged += 1,
    }
    if done.outcome != Outcome::Unchanged {
        summary.pages += u64::from(done.record.pages);
        summary.requests += u64::from(done.record.requests);
    }
    progress.finished(&done.record.repo, done.record.changes);
    history
        .entry(done.record.repo.clone())
        .or_default()
        .push(done.record);
    Ok(())
}

fn parse_instant(text: &str) -> Option<Instant> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&chrono::Utc))
}

/// Fetched after the query's last day was over everywhere: nothing newer can come.
fn settled(fetched_at: &str, before: NaiveDate) -> bool {
    let Some(at) = parse_instant(fetched_at) else {
        return false;
    };
    let over = before
        .checked_add_days(Days::new(1))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc());
    over.is_some_and(|over| at >= over)
}

fn run_task(
    dir: &OutDir,
    settings: &Settings,
    days: QueryDays,
    transport: &dyn Transport,
    progress: &dyn Progress,
    task: &Task,
) -> Result<Done, Error> {
    let query = Query {
        repo: task.repo.clone(),
        after: days.after,
        before: days.before,
    };
    let text = query.text();
    let path = repo_path(&task.repo);
    let file = dir.path(&path);
    let source = Source {
        transport,
        base: settings.server.base(),
        authenticated: settings.authentication.is_some(),
        page_size: settings.page_size,
        retry: &settings.retry,
        progress,
    };
    let now = format_instant(settings.now);
    let mut existing: Option<(Vec<u8>, RepoRecord)> = None;
    if !task.history.is_empty() {
        match std::fs::read(&file) {
            Ok(bytes) => {
                let digest = sha256(&bytes);
                // The latest record whose file this is: a journalled record whose rename
                // a kill prevented leaves the previous file, still ours.
                let Some(record) = task
                    .history
                    .iter()
                    .rev()
                    .find(|r| r.sha256 == digest && r.path == path)
                else {
                    return Err(Error::Modified {
                        path: file.display().to_string(),
                    });
                };
                existing = Some((bytes, record.clone()));
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(Error::Io {
                    path: file.display().to_string(),
                    source: err,
                });
            }
        }
    }
    let latest = task.history.last();
    let (outcome, changes, pages, requests) = match existing {
        Some((bytes, record)) if record.query == text => {
            if settled(&record.fetched_at, days.before) {
                let new_record = latest != Some(&record);
                return Ok(Done {
                    record,
                    staged: None,
                    outcome: Outcome::Unchanged,
                    new_record,
                });
            }
            let since = parse_instant(&record.fetched_at)
                .map(|at| at.date_naive())
                .and_then(|d| d.checked_sub_days(Days::new(u64::from(settings.margin_days))))
                .map_or(days.after, |d| d.max(days.after));
            let newer = Query {
                after: since,
                ..query.clone()
            };
            let fetched = gerrit::fetch(&source, &newer)?;
            let mut changes = gerrit::read_file(&bytes)
                .map_err(|message| Error::Input(format!("{}: {message}", file.display())))?;
            for (number, change) in fetched.changes {
                gerrit::merge(&mut changes, number, change);
            }
            let rendered = gerrit::render(&changes);
            if rendered == bytes {
                let record = RepoRecord {
                    fetched_at: now,
                    pages: fetched.pages,
                    requests: fetched.requests,
                    ..record
                };
                return Ok(Done {
                    record,
                    staged: None,
                    outcome: Outcome::Updated,
                    new_record: true,
                });
            }
            (Outcome::Updated, changes, fetched.pages, fetched.requests)
        }
        _ => {
            let fetched = gerrit::fetch(&source, &query)?;
            (
                Outcome::Fetched,
                fetched.changes,
                fetched.pages,
                fetched.requests,
            )
        }
    };
    let bytes = gerrit::render(&changes);
    let staged = dir.stage(&path, &bytes)?;
    Ok(Done {
        record: RepoRecord {
            repo: task.repo.clone(),
            path,
            query: text,
            changes: changes.len() as u64,
            pages,
            requests,
            bytes: bytes.len() as u64,
            sha256: sha256(&bytes),
            fetched_at: now,
        },
        staged: Some(staged),
        outcome,
        new_record: true,
    })
}

fn manifest(
    settings: &Settings,
    days: QueryDays,
    complete: bool,
    repositories: Vec<RepoRecord>,
) -> Manifest {
    Manifest {
        tool: tool(),
        kind: KIND.to_owned(),
        server: settings.server.base().to_owned(),
        authentication: match settings.authentication {
            None => "anonymous",
            Some(CredentialSource::Netrc) => "netrc",
            Some(CredentialSource::Environment) => "environment",
        }
        .to_owned(),
        fetched_at: format_instant(settings.now),
        election: settings.election.clone(),
        window: WindowRecord {
            start: format_instant(settings.window.start),
            end: format_instant(settings.window.end),
        },
        mergedafter: days.after.format("%Y-%m-%d").to_string(),
        mergedbefore: days.before.format("%Y-%m-%d").to_string(),
        margin_days: settings.margin_days,
        options: OPTIONS.iter().map(|o| (*o).to_owned()).collect(),
        page_size: settings.page_size,
        complete,
        repositories,
    }
}

/// Pretty JSON with a final newline.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
