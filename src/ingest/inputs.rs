//! Reading every input an election file names, in a fixed order, into the model's
//! [`Election`], with the digest and row counts of each file and every problem found.

use std::path::Path;

use crate::ingest::declarations;
use crate::ingest::election::{self, ElectionFile, GovernanceAtRevision};
use crate::ingest::governance::GovernanceFile;
use crate::ingest::members;
use crate::ingest::{
    FileDigest, FileRows, InputPath, Progress, changes_csv, gerrit_query, gerrit_rest, git,
};
use crate::model::{
    Activities, ChangeFormat, ChangeLog, Code, Dates, Deduplicated, Diagnostics, Election, FileId,
    Governance, InputFile, Members, Origin, Position, Problem, Sources,
};

/// Why an election could not be read at all.
#[derive(Debug)]
pub enum LoadError {
    /// The election file has problems (all of them listed).
    Election(Diagnostics),
    Io(std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Election(d) => {
                let errors: Vec<String> = d.errors().map(ToString::to_string).collect();
                write!(f, "{}", errors.join("\n"))
            }
            Self::Io(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<std::io::Error> for LoadError {
    fn from(err: std::io::Error) -> Self {
        Self::Io(err)
    }
}

fn record(
    role: &'static str,
    input: &InputPath,
    digest: FileDigest,
    rows: Option<&FileRows>,
    format: Option<ChangeFormat>,
) -> InputFile {
    InputFile {
        role,
        path: input.display.clone(),
        format,
        bytes: digest.bytes,
        sha256: digest.sha256,
        records: rows.map(|r| r.read),
        rejected: rows.map(|r| r.rejected),
        ignored: rows.and_then(|r| (r.ignored > 0).then_some(r.ignored)),
        duplicates: None,
        commit: None,
    }
}

/// An election read: the model's value, the files it was read from, and every problem
/// found in them.
#[derive(Debug)]
pub struct Loaded {
    pub election: Election,
    /// The election file as written, with its input paths resolved.
    pub file: ElectionFile,
    pub diagnostics: Diagnostics,
}

/// Read an election file and every input it names.
///
/// # Errors
/// The election file is unreadable or invalid, or an input cannot be opened. Problems
/// inside inputs are not errors here: they are in [`Loaded::diagnostics`].
pub fn load(path: &Path, progress: &dyn Progress) -> Result<Loaded, LoadError> {
    let mut diagnostics = Diagnostics::default();
    let Some(election) = election::read(path, &mut diagnostics)? else {
        return Err(LoadError::Election(diagnostics));
    };
    load_election(election, diagnostics, progress)
}

/// Read every input of an election already read (with the problems reading it found).
/// `fetch members` reads an election this way without its members file, which it is
/// about to write.
///
/// # Errors
/// See [`load`].
pub fn load_election(
    election: ElectionFile,
    mut diagnostics: Diagnostics,
    progress: &dyn Progress,
) -> Result<Loaded, LoadError> {
    let mut sources = Sources::default();
    sources.add(election.file.display.clone());
    let election_entry = InputFile {
        role: "election",
        path: election.file.display.clone(),
        format: None,
        bytes: election.digest.bytes,
        sha256: election.digest.sha256.clone(),
        records: None,
        rejected: None,
        ignored: None,
        duplicates: None,
        commit: None,
    };
    // The change inputs are numbered first, in the order the election file lists them, so
    // that the other inputs can be read (and numbered after them) on a second thread while
    // the changes, which are most of the work, are read on this one.
    let names = (election.inputs.changes.iter().map(|c| &c.input))
        .chain(election.inputs.git.iter().map(|g| &g.input));
    let change_ids: Vec<FileId> = names.map(|i| sources.add(i.display.clone())).collect();
    let mut later_diagnostics = Diagnostics::default();
    let (changes, others) = std::thread::scope(|scope| {
        let others = scope.spawn(|| read_others(&election, &mut sources, &mut later_diagnostics));
        let changes = read_changes(&election, &change_ids, &mut diagnostics, progress);
        // A panic on the other thread is a bug: raised here as it would have been there.
        let others = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (changes, others)
    });
    let (mut log, change_files) = changes?;
    let others = others?;

    let found = log.deduplicate();
    report_duplicates(&found, &log, &sources, &mut diagnostics);
    let mut files = Vec::with_capacity(1 + change_files.len() + others.files.len());
    files.push(election_entry);
    for (file, mut entry) in change_files {
        let dropped = found
            .duplicates
            .iter()
            .filter(|d| d.dropped.file == file)
            .count() as u64;
        let conflicting = found
            .conflicts
            .iter()
            .filter(|c| c.dropped.file == file)
            .count() as u64;
        if dropped > 0 {
            entry.duplicates = Some(dropped);
        }
        if conflicting > 0 {
            entry.rejected = Some(entry.rejected.unwrap_or(0) + conflicting);
        }
        files.push(entry);
    }
    files.extend(others.files);
    diagnostics.extend(later_diagnostics);
    report_case_variants(&log, others.members.as_ref(), &sources, &mut diagnostics);
    Ok(Loaded {
        election: Election {
            name: election.name.clone(),
            dates: Dates {
                window: election.window,
                as_of: election.as_of,
            },
            policy: election.policy.clone(),
            seats: election.seats.clone(),
            sources,
            changes: log,
            governance: others.governance,
            members: others.members,
            activities: others.activities,
            declared: others.declared,
            inputs: files,
        },
        file: election,
        diagnostics,
    })
}

/// Every change input read into one log, in the election file's order: `ids` numbers
/// the change files, then the git repositories. Each comes with its manifest entry.
fn read_changes(
    election: &ElectionFile,
    ids: &[FileId],
    diagnostics: &mut Diagnostics,
    progress: &dyn Progress,
) -> Result<(ChangeLog, Vec<(FileId, InputFile)>), LoadError> {
    let total: u64 = election
        .inputs
        .changes
        .iter()
        .filter_map(|c| std::fs::metadata(&c.input.path).ok())
        .map(|m| m.len())
        .sum();
    progress.start(total);
    let mut log = ChangeLog::new();
    debug_assert_eq!(
        ids.len(),
        election.inputs.changes.len() + election.inputs.git.len(),
        "one number for each change input"
    );
    let mut files = Vec::with_capacity(ids.len());
    let (change_ids, git_ids) = ids.split_at(election.inputs.changes.len().min(ids.len()));
    for (change, &file) in election.inputs.changes.iter().zip(change_ids) {
        let (digest, rows) = match change.format {
            ChangeFormat::Csv => {
                changes_csv::read(&change.input, file, &mut log, diagnostics, progress)?
            }
            ChangeFormat::GerritRest => {
                gerrit_rest::read(&change.input, file, &mut log, diagnostics, progress)?
            }
            ChangeFormat::GerritQuery => {
                gerrit_query::read(&change.input, file, &mut log, diagnostics, progress)?
            }
        };
        files.push((
            file,
            record(
                "changes",
                &change.input,
                digest,
                Some(&rows),
                Some(change.format),
            ),
        ));
    }
    for (git, &file) in election.inputs.git.iter().zip(git_ids) {
        let read = git::read(git, file, &mut log, diagnostics)
            .map_err(|message| LoadError::Io(std::io::Error::other(message)))?;
        let mut entry = record("git", &git.input, read.digest, Some(&read.rows), None);
        entry.commit = Some(read.head);
        files.push((file, entry));
    }
    progress.finish();
    Ok((log, files))
}

/// What an election reads besides its changes.
struct Others {
    governance: Governance,
    members: Option<Members>,
    activities: Activities,
    declared: Vec<crate::model::Declared>,
    /// Their manifest entries, in the order read.
    files: Vec<InputFile>,
}

/// Read the governance files, the membership list, the activity inputs and the identity
/// file, numbering each in `sources` as it is read.
fn read_others(
    election: &ElectionFile,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
) -> Result<Others, LoadError> {
    let mut files = Vec::new();
    let mut governance = Governance::default();
    let g = &election.inputs.governance;
    for (role, which, input) in [
        ("governance-projects", GovernanceFile::Projects, &g.projects),
        ("governance-legacy", GovernanceFile::Legacy, &g.legacy),
        ("governance-sigs", GovernanceFile::Sigs, &g.sigs),
        (
            "governance-tc-repos",
            GovernanceFile::TechnicalCommittee,
            &g.technical_committee,
        ),
    ] {
        if let Some(input) = input {
            let file = sources.add(input.display.clone());
            let digest = governance.read(input, file, which, diagnostics)?;
            files.push(record(role, input, digest, None, None));
        }
    }
    if let Some(at) = &g.git {
        read_governance_at(at, &mut governance, sources, &mut files, diagnostics)?;
    }
    if g.projects.is_none() && g.git.is_none() {
        diagnostics.push(Problem::warning(
            Code::InputMissing,
            election.file.display.clone(),
            "no governance projects file is given, so no repository is official and code-change criteria with repos = \"governed\" count nothing",
        ));
    }

    let members = match &election.inputs.members {
        Some(input) => {
            let file = sources.add(input.display.clone());
            let (members, digest) = members::read(input, file, diagnostics)?;
            let rows = FileRows {
                read: members.rows,
                rejected: members.rejected,
                ignored: 0,
            };
            files.push(record("members", input, digest, Some(&rows), None));
            Some(members)
        }
        None => None,
    };
    let mut activities = Activities::default();
    for input in &election.inputs.meetings {
        let file = sources.add(input.display.clone());
        let digest =
            activities.read_meetbot(input, file, &election.inputs.meeting_bots, diagnostics)?;
        files.push(record("meeting", input, digest, None, None));
    }
    for input in &election.inputs.rosters {
        let file = sources.add(input.display.clone());
        let (digest, read, rejected) = activities.read_roster(input, file, diagnostics)?;
        let rows = FileRows {
            read,
            rejected,
            ignored: 0,
        };
        files.push(record("roster", input, digest, Some(&rows), None));
    }
    for input in &election.inputs.auc_metrics {
        let file = sources.add(input.display.clone());
        let (digest, read, rejected) = activities.read_metrics(input, file, diagnostics)?;
        let rows = FileRows {
            read,
            rejected,
            ignored: 0,
        };
        files.push(record("auc-metrics", input, digest, Some(&rows), None));
    }
    let declared = match &election.inputs.identity {
        Some(input) => {
            let file = sources.add(input.display.clone());
            let (declared, digest) = declarations::read(input, file, diagnostics)?;
            files.push(record("identity", input, digest, None, None));
            declared
        }
        None => Vec::new(),
    };
    Ok(Others {
        governance,
        members,
        activities,
        declared,
        files,
    })
}

/// The four governance files from a clone at a revision: each read as if from disk, named
/// `repo@rev:path`, and recorded in the manifest with the commit the revision named.
/// `projects.yaml` must be there; the others are read when the commit has them (older
/// tags have no `sigs-repos.yaml`).
fn read_governance_at(
    at: &GovernanceAtRevision,
    governance: &mut Governance,
    sources: &mut Sources,
    files: &mut Vec<InputFile>,
    diagnostics: &mut Diagnostics,
) -> Result<(), LoadError> {
    let wanted = at.files();
    let paths: Vec<String> = wanted.iter().map(|(_, path)| path.clone()).collect();
    let read = git::read_files(&at.repo, &at.rev, &paths)
        .map_err(|message| LoadError::Io(std::io::Error::other(message)))?;
    for ((role, path), (_, bytes)) in wanted.iter().zip(read.files) {
        let (role, which) = match *role {
            "projects" => ("governance-projects", GovernanceFile::Projects),
            "legacy" => ("governance-legacy", GovernanceFile::Legacy),
            "sigs" => ("governance-sigs", GovernanceFile::Sigs),
            _ => ("governance-tc-repos", GovernanceFile::TechnicalCommittee),
        };
        let name = at.name(path);
        let Some(bytes) = bytes else {
            if which == GovernanceFile::Projects {
                return Err(LoadError::Io(std::io::Error::other(format!(
                    "{name}: commit {} has no {path}, expected the governance repository's projects file there (set `path` in `governance` if the files are elsewhere)",
                    read.commit
                ))));
            }
            continue;
        };
        let digest = FileDigest {
            bytes: bytes.len() as u64,
            sha256: crate::digest::sha256_hex(&bytes),
        };
        let text = std::str::from_utf8(crate::ingest::strip_bom(&bytes)).map_err(|err| {
            LoadError::Io(std::io::Error::other(format!(
                "{name}: invalid UTF-8 (byte {}), expected UTF-8 text",
                err.valid_up_to()
            )))
        })?;
        let file = sources.add(name.clone());
        governance.read_str(&name, text, file, which, diagnostics);
        let input = InputPath::new(at.repo.path.join(path), name);
        let mut entry = record(role, &input, digest, None, None);
        entry.commit = Some(read.commit.clone());
        files.push(entry);
    }
    Ok(())
}

/// Where a problem about a record goes: its file, and its line or record number.
fn at(problem: Problem, origin: Origin) -> Problem {
    match origin.kind {
        Position::Line => problem.at_line(u64::from(origin.position)),
        Position::Record => problem.at_record(u64::from(origin.position)),
    }
}

/// Warn where two spellings of an address differ only in ASCII case: they are compared as
/// one (see [`crate::model::EmailFolding`]), which is right for nearly every mail system
/// but merges two people where one is not. One warning per extra spelling, at its first
/// sighting, naming the first sighting of the spelling it joins.
fn report_case_variants(
    log: &ChangeLog,
    members: Option<&Members>,
    sources: &Sources,
    diagnostics: &mut Diagnostics,
) {
    // Folded address -> each exact spelling with where it was first seen, in order.
    let mut spellings: rustc_hash::FxHashMap<String, Vec<(&str, Origin)>> =
        rustc_hash::FxHashMap::default();
    // Each interned address once, by its symbol's index (a million changes hold tens of
    // thousands of addresses).
    let mut seen_symbols = vec![false; log.symbols.len()];
    let from_changes = log
        .changes
        .iter()
        .filter_map(|c| c.email.map(|e| (e, c.origin)))
        .filter(|&(email, _)| !std::mem::replace(&mut seen_symbols[email.index()], true))
        .map(|(email, origin)| (log.symbols.resolve(email), origin));
    let from_members = members
        .into_iter()
        .flat_map(|m| &m.members)
        .flat_map(|m| m.emails.iter().map(move |e| (e.as_str(), m.origin)));
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    for (email, origin) in from_changes.chain(from_members) {
        if !seen.insert(email) {
            continue;
        }
        spellings
            .entry(crate::model::EmailFolding::Whole.fold(email))
            .or_default()
            .push((email, origin));
    }
    // Reported in the order of the folded addresses, whatever the table's order.
    let mut spellings: Vec<(String, Vec<(&str, Origin)>)> =
        spellings.into_iter().filter(|(_, v)| v.len() > 1).collect();
    spellings.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (_, variants) in &spellings {
        let (first, first_at) = variants[0];
        for &(other, origin) in &variants[1..] {
            diagnostics.push(at(
                Problem::warning(
                    Code::AddressCaseVariant,
                    sources.name(origin.file),
                    format!(
                        "address \"{other}\" differs from \"{first}\" (at {}) only in the case of letters; both are taken as one person's address",
                        sources.locate(first_at)
                    ),
                ),
                origin,
            ));
        }
    }
}

/// Report what [`ChangeLog::deduplicate`] found: one warning per pair of files (the file
/// holding the copies left out, the file holding the records kept), with how many and the
/// first of them; one error per conflict, naming both records.
fn report_duplicates(
    found: &Deduplicated,
    log: &ChangeLog,
    sources: &Sources,
    diagnostics: &mut Diagnostics,
) {
    let mut pairs: std::collections::BTreeMap<(FileId, FileId), (u64, Origin, Origin)> =
        std::collections::BTreeMap::new();
    for duplicate in &found.duplicates {
        let entry = pairs
            .entry((duplicate.dropped.file, duplicate.kept.file))
            .or_insert((0, duplicate.dropped, duplicate.kept));
        entry.0 += 1;
        if duplicate.dropped < entry.1 {
            (entry.1, entry.2) = (duplicate.dropped, duplicate.kept);
        }
    }
    for ((dropped_file, kept_file), (count, dropped, kept)) in pairs {
        let changes = if count == 1 {
            "1 change".to_owned()
        } else {
            format!("{count} changes")
        };
        let message = if dropped_file == kept_file {
            format!(
                "{changes} of this file repeat earlier records of it (the first: this record repeats {}); each is counted once",
                sources.locate(kept)
            )
        } else if sources.name(dropped_file) == sources.name(kept_file) {
            format!(
                "this file is listed more than once among the change inputs: {changes} of it were already read at its first listing; each is counted once"
            )
        } else {
            format!(
                "{changes} of this file were already read from {} (the first: this record, read at {}); each is counted once",
                sources.name(kept_file),
                sources.locate(kept)
            )
        };
        diagnostics.push(at(
            Problem::warning(Code::ChangeDuplicate, sources.name(dropped_file), message),
            dropped,
        ));
    }
    for (conflict, (kept_value, dropped_value)) in found.conflicts.iter().zip(&found.values) {
        let change = &log.changes[conflict.change];
        let label = change.label(log).map_or_else(
            || "this change".to_owned(),
            |label| format!("change {label}"),
        );
        let field = conflict.about.field();
        let message = format!(
            "{label} of {} is also at {}, with {field} {kept_value:?}; here {dropped_value:?}: one of the two records is wrong (with --skip-bad-rows this one is left out)",
            log.symbols.resolve(change.repo),
            sources.locate(conflict.kept),
        );
        diagnostics.push(
            at(
                Problem::error(
                    Code::ChangeConflict,
                    sources.name(conflict.dropped.file),
                    message,
                ),
                conflict.dropped,
            )
            .in_field(field),
        );
    }
}
