//! Publishing outputs: the one place that writes files. Every command that writes goes
//! through here, under the same rules, because a roll decides who may vote and the
//! directory it lands in is often one the official also keeps other things in.
//!
//! **A directory of outputs** ([`publish_dir`]) is owned by the tool:
//! - It is written only if it is new, empty, or holds a ledger (`.electorate-ledger`) the
//!   tool wrote whose files still have the hashes it recorded. A directory written by an
//!   earlier version (a `manifest.json` naming `electorate` as its tool) is recognised the
//!   same way. Anything else is refused with the names of the files in the way; `--force`
//!   (see [`DirOptions::keep_foreign`]) keeps such files and writes beside them, but never
//!   replaces or deletes one: a file the tool did not write whose name an output needs is
//!   refused even then, and so is a file the tool wrote that has been changed since.
//! - The whole set appears at once. The new set is written into a staging directory beside
//!   the target, flushed with one `syncfs`, and swapped with the target in one atomic
//!   `renameat2(RENAME_EXCHANGE)`; the old set, now in the staging directory, is then
//!   removed. A kill at any moment leaves the complete old set or the complete new set,
//!   ledger and manifest included; a staging directory left by a killed run is removed by
//!   the next run (only the files it can prove it wrote).
//! - A lock file (`.electorate.lock`, shared by the old and the new directory through a
//!   hard link) refuses a second concurrent writer.
//! - Only regular files are replaced; outputs never replace an input the run read.
//!
//! **A single file** ([`publish_file`]) is written to a temporary name beside it, flushed
//! and renamed into place. An existing file is replaced only if it is a regular file the
//! tool wrote (the caller says how to recognise one).

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::digest::{hex, sha256_hex};

/// The ledger of a published directory: every file the tool wrote there, with its hash.
pub const LEDGER: &str = ".electorate-ledger";
/// The lock a writer holds while it works on a directory.
pub const LOCK: &str = ".electorate.lock";
/// Written first into a staging directory: the names the run is about to write there, so a
/// killed run's leftovers can be recognised and removed.
const MARKER: &str = ".electorate-staging";
/// The manifest an earlier version left as the only record of its outputs.
const LEGACY_MANIFEST: &str = "manifest.json";

/// A file to publish: its name inside the output directory and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Output {
    #[must_use]
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// How a directory may be written.
#[derive(Debug, Clone, Default)]
pub struct DirOptions {
    /// Write into a directory that holds files the tool did not write, keeping them (they
    /// are carried into the new directory as hard links, never replaced or deleted).
    pub keep_foreign: bool,
    /// Files the run read: no output may replace one of them.
    pub inputs: Vec<PathBuf>,
    /// What the outputs are made from (say a digest of the inputs, the rules and the
    /// tool's version), recorded in the ledger. When the set in the directory was made
    /// from the same, its files are expected to come out the same again: they are carried
    /// over as their bytes are confirmed, and none is created ahead of its contents by
    /// [`Publication::reserve`]. Only a hint: every file is still compared by its hash.
    pub made_from: Option<String>,
}

/// What publishing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The directory written, as given.
    pub dir: PathBuf,
    pub files: usize,
    /// Files whose bytes were the same as the set's before: carried over (the same file,
    /// its modification time kept) rather than written again.
    pub unchanged: usize,
    /// Files the tool did not write that were kept beside the outputs (`keep_foreign`).
    pub kept: Vec<String>,
    /// Leftovers of killed runs removed before writing.
    pub cleaned: Vec<PathBuf>,
    /// Leftovers that could not be removed because they hold files the tool cannot prove
    /// it wrote; they are left for a person to look at.
    pub left: Vec<PathBuf>,
}

/// Why outputs could not be published. Nothing was changed when one of these is returned,
/// except where the message says so.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("refusing to write output \"{name}\": {reason}")]
    BadName { name: String, reason: &'static str },
    #[error("refusing to write into {dir}: it is not a directory")]
    NotADirectory { dir: String },
    #[error(
        "refusing to write into {dir}: it holds {} electorate did not write ({})\nhint: choose a new or empty directory, or pass --force to keep them and write beside them",
        plural(.names.len(), "file"),
        list(.names)
    )]
    Foreign { dir: String, names: Vec<String> },
    #[error(
        "refusing to write into {dir}: {} electorate wrote there {} changed since ({})\nhint: move {} away (or delete {} if the change is not wanted) and run again",
        plural(.names.len(), "file"),
        if .names.len() == 1 { "has" } else { "have" },
        list(.names),
        if .names.len() == 1 { "it" } else { "them" },
        if .names.len() == 1 { "it" } else { "them" }
    )]
    Modified { dir: String, names: Vec<String> },
    #[error(
        "refusing to write into {dir}: {} electorate did not write {} in the way of outputs ({}), and --force never replaces one",
        plural(.names.len(), "file"),
        if .names.len() == 1 { "is" } else { "are" },
        list(.names)
    )]
    InTheWay { dir: String, names: Vec<String> },
    #[error(
        "refusing to write into {dir}: {name} is a directory or a special file electorate did not write, and --force keeps only files"
    )]
    CannotKeep { dir: String, name: String },
    #[error("refusing to write {path}: it is an input of this run")]
    Input { path: String },
    #[error("refusing to write {path}: {reason}")]
    NotOurs { path: String, reason: String },
    #[error(
        "{dir} is being written by another electorate run (it holds {lock}); try again when it has finished"
    )]
    Busy { dir: String, lock: String },
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        #[source]
        source: io::Error,
    },
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("a {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn list(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> PublishError {
    let path = path.display().to_string();
    move |source| PublishError::Io {
        action,
        path,
        source,
    }
}

/// The ledger's contents.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Ledger {
    tool: String,
    /// See [`DirOptions::made_from`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    made_from: Option<String>,
    files: Vec<LedgerEntry>,
}

/// The ledger of a directory, if it holds one the tool wrote.
fn read_ledger(dir: &Path) -> Option<Ledger> {
    let text = fs::read_to_string(dir.join(LEDGER)).ok()?;
    serde_json::from_str::<Ledger>(&text)
        .ok()
        .filter(|ledger| ledger.tool.starts_with("electorate"))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct LedgerEntry {
    name: String,
    sha256: String,
}

fn check_name(name: &str) -> Result<(), PublishError> {
    let bad = |reason| {
        Err(PublishError::BadName {
            name: name.to_owned(),
            reason,
        })
    };
    if name.is_empty() {
        return bad("an empty name");
    }
    if name.starts_with('.') {
        return bad("names starting with a dot are the tool's own");
    }
    if name.contains(['/', '\\', '\0']) || name == ".." {
        return bad("not a plain file name");
    }
    if name.len() > 255 {
        return bad("longer than 255 bytes");
    }
    Ok(())
}

/// The outputs' names, checked: plain, unique even where file names ignore case.
fn check_names(names: &[String]) -> Result<(), PublishError> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for name in names {
        check_name(name)?;
        if let Some(first) = seen.insert(name.to_lowercase(), name) {
            return Err(PublishError::BadName {
                name: name.clone(),
                reason: if first == name {
                    "two outputs have this name"
                } else {
                    "two outputs have names that differ only in case, which one file system cannot hold apart"
                },
            });
        }
    }
    Ok(())
}

/// How an entry of an existing directory relates to the tool.
enum Entry {
    /// Written by the tool, unchanged: replace freely. With what the ledger recorded of it,
    /// when it recorded a hash.
    Ours(Option<Previous>),
    /// Written by the tool, changed since (or no longer a regular file).
    Changed,
    /// Not the tool's: a regular file or a symbolic link (can be kept), or anything else.
    Foreign { keepable: bool },
}

/// What the tool knows it wrote in a directory: names with their hashes (`None` for a
/// legacy manifest's own file, whose hash nobody recorded).
fn owned_files(dir: &Path) -> BTreeMap<String, Option<String>> {
    owned_by(read_ledger(dir), dir)
}

/// [`owned_files`] with the directory's ledger already read.
fn owned_by(ledger: Option<Ledger>, dir: &Path) -> BTreeMap<String, Option<String>> {
    let mut owned = BTreeMap::new();
    if let Some(ledger) = ledger {
        for entry in ledger.files {
            owned.insert(entry.name, Some(entry.sha256));
        }
        return owned;
    }
    // A roll directory from before the ledger: the manifest names the tool and lists every
    // roll file with its hash.
    let Ok(text) = fs::read_to_string(dir.join(LEGACY_MANIFEST)) else {
        return owned;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return owned;
    };
    if !json
        .get("tool")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|tool| tool.starts_with("electorate "))
    {
        return owned;
    }
    owned.insert(LEGACY_MANIFEST.to_owned(), None);
    for roll in json
        .get("rolls")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
    {
        for file in roll
            .get("files")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(name), Some(sha)) = (
                file.get("path").and_then(serde_json::Value::as_str),
                file.get("sha256").and_then(serde_json::Value::as_str),
            ) && check_name(name).is_ok()
            {
                owned.insert(name.to_owned(), Some(sha.to_owned()));
            }
        }
    }
    owned
}

fn file_sha256(path: &Path) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut file = File::open(path)?;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = io::Read::read(&mut file, &mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Classify every entry of an existing directory (the lock, ledger and marker excepted),
/// given what the tool knows it wrote there ([`owned_files`]).
fn inspect(
    dir: &Path,
    owned: &BTreeMap<String, Option<String>>,
) -> Result<Vec<(String, Entry)>, PublishError> {
    let mut entries = Vec::new();
    let listing = fs::read_dir(dir).map_err(io_error("read", dir))?;
    for entry in listing {
        let entry = entry.map_err(io_error("read", dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if [LOCK, LEDGER, MARKER].contains(&name.as_str()) {
            continue;
        }
        let path = entry.path();
        // Taken before the file is hashed, so that a change made while it is read shows.
        let meta = fs::symlink_metadata(&path).map_err(io_error("inspect", &path))?;
        let kind = match owned.get(&name) {
            Some(expected) if meta.is_file() => match expected {
                None => Entry::Ours(None),
                Some(sha) => {
                    let actual = file_sha256(&path).map_err(io_error("read", &path))?;
                    if &actual == sha {
                        Entry::Ours(Some(Previous {
                            sha256: actual,
                            stamp: Stamp::of(&meta),
                        }))
                    } else {
                        Entry::Changed
                    }
                }
            },
            Some(_) => Entry::Changed,
            None => Entry::Foreign {
                keepable: meta.is_file() || meta.file_type().is_symlink(),
            },
        };
        entries.push((name, kind));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// A file of the target's current set as it was checked: its hash, and what shows that
/// its bytes are untouched since (the same inode, length and modification time).
#[derive(Debug, Clone)]
struct Previous {
    sha256: String,
    stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Self {
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Self {
            device,
            inode,
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// The directory's absolute path, following a symbolic link to it, and whether it was
/// created (it did not exist).
fn resolve_dir(dir: &Path) -> Result<(PathBuf, bool), PublishError> {
    let absolute = std::path::absolute(dir).map_err(io_error("resolve", dir))?;
    match fs::metadata(&absolute) {
        Ok(meta) if meta.is_dir() => fs::canonicalize(&absolute)
            .map(|real| (real, false))
            .map_err(io_error("resolve", dir)),
        Ok(_) => Err(PublishError::NotADirectory {
            dir: dir.display().to_string(),
        }),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(&absolute).is_ok() {
                // A dangling symbolic link: not a directory the tool may create.
                return Err(PublishError::NotADirectory {
                    dir: dir.display().to_string(),
                });
            }
            fs::create_dir_all(&absolute).map_err(io_error("create", dir))?;
            fs::canonicalize(&absolute)
                .map(|real| (real, true))
                .map_err(io_error("resolve", dir))
        }
        Err(err) => Err(io_error("inspect", dir)(err)),
    }
}

/// Hold the directory's lock for as long as the returned file lives.
fn lock(dir: &Path, shown: &Path) -> Result<File, PublishError> {
    let path = dir.join(LOCK);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_error("create", &path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(PublishError::Busy {
            dir: shown.display().to_string(),
            lock: LOCK.to_owned(),
        }),
        Err(fs::TryLockError::Error(err)) => Err(io_error("lock", &path)(err)),
    }
}

fn staging_prefix(name: &str) -> String {
    format!(".{name}.electorate-staging-")
}

/// Write `outputs` into `dir` as one set (see the module documentation).
///
/// # Errors
/// The directory holds files in the way, is being written by another run, or cannot be
/// written; see [`PublishError`].
pub fn publish_dir(
    dir: &Path,
    outputs: &[Output],
    options: &DirOptions,
) -> Result<Published, PublishError> {
    let names: Vec<String> = outputs.iter().map(|o| o.name.clone()).collect();
    let mut publication = begin(dir, &names, options)?;
    for output in outputs {
        publication.write(&output.name, &output.bytes)?;
    }
    publication.finish()
}

/// A set of outputs being published into a directory: the directory checked and locked,
/// the new set being written into a staging directory beside it. Files may be written as
/// they are produced, from another thread than the one that began; [`Publication::finish`]
/// swaps the set in. Dropped before that (an error while producing the files), it removes
/// what it staged and leaves the directory as it found it.
#[derive(Debug)]
pub struct Publication {
    /// The target, as given and resolved.
    shown: PathBuf,
    real: PathBuf,
    parent: PathBuf,
    /// The names announced, and how far each is; in name order, as the ledger lists them.
    names: BTreeMap<String, Slot>,
    /// The target's files of its current set, as checked: one whose new bytes are the same
    /// is carried into the new set as a hard link instead of being written again.
    previous: BTreeMap<String, Previous>,
    /// How many files were carried over so.
    unchanged: usize,
    /// What this set is made from, for the ledger ([`DirOptions::made_from`]).
    made_from: Option<String>,
    /// The target's set was made from the same: its files are expected back unchanged.
    repeat: bool,
    staging: PathBuf,
    kept: Vec<String>,
    cleaned: Vec<PathBuf>,
    left: Vec<PathBuf>,
    lock: Option<File>,
    lock_existed: bool,
    /// The target did not exist before this run.
    created: bool,
    /// Set once the new set is in place: nothing is left to undo.
    done: bool,
}

/// How far an announced output is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Announced,
    /// Created empty by [`Publication::reserve`].
    Reserved,
    /// Written, with its SHA-256 for the ledger.
    Written(String),
}

/// Check and lock `dir` for a set of outputs named `names` (see the module
/// documentation), and create the staging directory the set is written into.
///
/// # Errors
/// As [`publish_dir`]; nothing is changed when one is returned.
pub fn begin(
    dir: &Path,
    names: &[String],
    options: &DirOptions,
) -> Result<Publication, PublishError> {
    check_names(names)?;
    // Inputs are compared before the directory is created, so a refused run leaves nothing.
    let target = std::path::absolute(dir).map_err(io_error("resolve", dir))?;
    let real_target = fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
    for input in &options.inputs {
        let input = fs::canonicalize(input).unwrap_or_else(|_| input.clone());
        let replaced = input.parent() == Some(real_target.as_path())
            && input
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| names.iter().any(|o| o == n));
        if replaced || input == real_target {
            return Err(PublishError::Input {
                path: input.display().to_string(),
            });
        }
    }
    let (real, created) = resolve_dir(dir)?;
    let (Some(parent), Some(name)) = (real.parent(), real.file_name().and_then(|n| n.to_str()))
    else {
        return Err(PublishError::NotADirectory {
            dir: dir.display().to_string(),
        });
    };
    let lock_existed = fs::symlink_metadata(real.join(LOCK)).is_ok();
    let lock = lock(&real, dir)?;
    let mut publication = Publication {
        shown: dir.to_path_buf(),
        real: real.clone(),
        parent: parent.to_path_buf(),
        names: names.iter().map(|n| (n.clone(), Slot::Announced)).collect(),
        previous: BTreeMap::new(),
        unchanged: 0,
        made_from: options.made_from.clone(),
        repeat: false,
        staging: PathBuf::new(),
        kept: Vec::new(),
        cleaned: Vec::new(),
        left: Vec::new(),
        lock: Some(lock),
        lock_existed,
        created,
        done: false,
    };
    // From here on, an error drops `publication`, which unlocks and removes its staging.
    publication.prepare(name, names, options)?;
    Ok(publication)
}

impl Publication {
    /// Clean up after killed runs, inspect the target, and create the staging directory.
    fn prepare(
        &mut self,
        name: &str,
        names: &[String],
        options: &DirOptions,
    ) -> Result<(), PublishError> {
        let shown = self.shown.display().to_string();
        let (parent, real) = (self.parent.clone(), self.real.clone());
        remove_leftovers(&parent, name, &real, &mut self.cleaned, &mut self.left)?;
        let ledger = read_ledger(&real);
        self.repeat = self.made_from.is_some()
            && ledger.as_ref().and_then(|l| l.made_from.as_ref()) == self.made_from.as_ref();
        let owned = owned_by(ledger, &real);

        let mut changed = Vec::new();
        let mut foreign = Vec::new();
        for (entry, kind) in inspect(&real, &owned)? {
            match kind {
                Entry::Ours(Some(previous)) => {
                    self.previous.insert(entry, previous);
                }
                Entry::Ours(None) => {}
                Entry::Changed => changed.push(entry),
                Entry::Foreign { keepable } => foreign.push((entry, keepable)),
            }
        }
        if !changed.is_empty() {
            return Err(PublishError::Modified {
                dir: shown,
                names: changed,
            });
        }
        if !foreign.is_empty() {
            if !options.keep_foreign {
                return Err(PublishError::Foreign {
                    dir: shown,
                    names: foreign.into_iter().map(|(n, _)| n).collect(),
                });
            }
            let in_the_way: Vec<String> = foreign
                .iter()
                .filter(|(n, _)| names.iter().any(|o| o.to_lowercase() == n.to_lowercase()))
                .map(|(n, _)| n.clone())
                .collect();
            if !in_the_way.is_empty() {
                return Err(PublishError::InTheWay {
                    dir: shown,
                    names: in_the_way,
                });
            }
            if let Some((name, _)) = foreign.iter().find(|(_, keepable)| !keepable) {
                return Err(PublishError::CannotKeep {
                    dir: shown,
                    name: name.clone(),
                });
            }
            self.kept = foreign.into_iter().map(|(n, _)| n).collect();
        }

        let prefix = staging_prefix(name);
        let mut attempt = 0u32;
        self.staging = loop {
            let candidate = parent.join(format!("{prefix}{}-{attempt}", std::process::id()));
            match fs::create_dir(&candidate) {
                Ok(()) => break candidate,
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempt < 1000 => {
                    attempt += 1;
                }
                Err(err) => return Err(io_error("create", &candidate)(err)),
            }
        };
        // The marker names every file about to be written, so that the next run can
        // remove what a killed one staged.
        let mut marker = String::new();
        for name in names {
            marker.push_str(name);
            marker.push('\n');
        }
        write_new(&self.staging.join(MARKER), marker.as_bytes())
    }

    /// Create every announced file, empty, in the staging directory, to be filled by
    /// [`Publication::write`]. Creating a file costs the file system far more than filling
    /// it (an inode to find), so a caller that knows the names long before the contents
    /// reserves them on another thread meanwhile. When the target's set was made from
    /// what this one is ([`DirOptions::made_from`]), the names it has are left alone:
    /// their bytes are expected to be the same, and the files to be carried over.
    ///
    /// # Errors
    /// A file cannot be created.
    pub fn reserve(&mut self) -> Result<(), PublishError> {
        for (name, slot) in &mut self.names {
            if *slot == Slot::Announced && !(self.repeat && self.previous.contains_key(name)) {
                write_new(&self.staging.join(name), b"")?;
                *slot = Slot::Reserved;
            }
        }
        Ok(())
    }

    /// Write one of the announced files into the staging directory.
    ///
    /// # Errors
    /// The name was not announced, or was written already, or the file cannot be written.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), PublishError> {
        let refused = |reason| {
            Err(PublishError::BadName {
                name: name.to_owned(),
                reason,
            })
        };
        let path = self.staging.join(name);
        let sha256 = sha256_hex(bytes);
        match self.names.get(name) {
            None => return refused("it was not among the outputs announced"),
            Some(Slot::Written(_)) => return refused("two outputs have this name"),
            Some(Slot::Announced) => {
                if !self.carry_over(name, &sha256)? {
                    write_new(&path, bytes)?;
                }
            }
            // Created empty by this run in its own staging directory.
            Some(Slot::Reserved) => OpenOptions::new()
                .write(true)
                .open(&path)
                .and_then(|mut file| file.write_all(bytes))
                .map_err(io_error("write", &path))?,
        }
        self.names.insert(name.to_owned(), Slot::Written(sha256));
        Ok(())
    }

    /// Put the target's file `name` into the staging directory as a hard link when its
    /// bytes are the new ones (`sha256`) and it is untouched since it was checked: a file
    /// rewritten with the same bytes would cost a new inode and the old one's removal, the
    /// most expensive work of a run that changes little. Returns whether it did; when it
    /// cannot (another file system, links not supported), the file is written afresh.
    fn carry_over(&mut self, name: &str, sha256: &str) -> Result<bool, PublishError> {
        let Some(previous) = self.previous.get(name) else {
            return Ok(false);
        };
        if previous.sha256 != sha256 || cfg!(not(unix)) {
            return Ok(false);
        }
        let (from, to) = (self.real.join(name), self.staging.join(name));
        if fs::hard_link(&from, &to).is_err() {
            return Ok(false);
        }
        // Linked: now make sure the link is to the file that was checked, as it was.
        let same = fs::symlink_metadata(&to)
            .is_ok_and(|meta| meta.is_file() && Stamp::of(&meta) == previous.stamp);
        if !same {
            fs::remove_file(&to).map_err(io_error("remove", &to))?;
            return Ok(false);
        }
        self.unchanged += 1;
        Ok(true)
    }

    /// Complete the set: write the ledger, flush the staging directory to disk, swap it
    /// with the target, and remove the old set.
    ///
    /// # Errors
    /// An announced file was not written, or the set cannot be flushed or swapped in (the
    /// target then keeps its old set).
    pub fn finish(mut self) -> Result<Published, PublishError> {
        let staging = self.seal()?;
        swap(&self.parent, &staging, &self.real)?;
        // The new set is in place: from here on nothing is undone.
        self.done = true;
        sync_dir(&self.parent)?;
        // The old set now sits where the staging directory was; remove what is provably ours.
        if !clean_staging(&staging, &self.real) {
            self.left.push(staging);
        }
        Ok(Published {
            dir: self.shown.clone(),
            files: self.names.len(),
            unchanged: self.unchanged,
            kept: std::mem::take(&mut self.kept),
            cleaned: std::mem::take(&mut self.cleaned),
            left: std::mem::take(&mut self.left),
        })
    }

    /// Make the staging directory a complete set, ready to swap in: every announced file,
    /// the ledger, links to the lock and the kept files, flushed to disk.
    fn seal(&mut self) -> Result<PathBuf, PublishError> {
        let mut files = Vec::with_capacity(self.names.len());
        for (name, slot) in &self.names {
            let Slot::Written(sha256) = slot else {
                return Err(PublishError::BadName {
                    name: name.clone(),
                    reason: "it was announced but never written",
                });
            };
            files.push(LedgerEntry {
                name: name.clone(),
                sha256: sha256.clone(),
            });
        }
        let ledger = Ledger {
            tool: format!("electorate {}", env!("CARGO_PKG_VERSION")),
            made_from: self.made_from.clone(),
            files,
        };
        let staging = self.staging.clone();
        let mut text = serde_json::to_string_pretty(&ledger).map_err(|err| PublishError::Io {
            action: "write",
            path: staging.join(LEDGER).display().to_string(),
            source: io::Error::other(err),
        })?;
        text.push('\n');
        write_new(&staging.join(LEDGER), text.as_bytes())?;
        for (from, to) in std::iter::once(LOCK)
            .chain(self.kept.iter().map(String::as_str))
            .map(|n| (self.real.join(n), staging.join(n)))
        {
            fs::hard_link(&from, &to).map_err(io_error("link", &from))?;
        }
        fs::remove_file(staging.join(MARKER)).map_err(io_error("remove", &staging))?;
        sync_tree(&staging, ledger.files.iter().map(|f| f.name.as_str()))?;
        Ok(staging)
    }
}

impl Drop for Publication {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // Not finished: remove what was staged (the marker names it), then the lock if
        // this run created it, leaving the directory as it was found.
        if !self.staging.as_os_str().is_empty() {
            clean_staging(&self.staging, &self.real);
        }
        drop(self.lock.take());
        if !self.lock_existed {
            let _ = fs::remove_file(self.real.join(LOCK));
        }
        if self.created {
            // Only if still empty.
            let _ = fs::remove_dir(&self.real);
        }
    }
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), PublishError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io_error("create", path))?;
    file.write_all(bytes).map_err(io_error("write", path))
}

/// Flush a staging directory's files to disk: one `syncfs` where there is one.
#[cfg(target_os = "linux")]
fn sync_tree<'a>(
    staging: &Path,
    _names: impl Iterator<Item = &'a str>,
) -> Result<(), PublishError> {
    let dir = File::open(staging).map_err(io_error("open", staging))?;
    rustix::fs::syncfs(&dir).map_err(|err| io_error("flush", staging)(err.into()))
}

#[cfg(not(target_os = "linux"))]
fn sync_tree<'a>(staging: &Path, names: impl Iterator<Item = &'a str>) -> Result<(), PublishError> {
    for name in names {
        let path = staging.join(name);
        File::open(&path)
            .and_then(|f| f.sync_all())
            .map_err(io_error("flush", &path))?;
    }
    for name in [LEDGER] {
        let path = staging.join(name);
        File::open(&path)
            .and_then(|f| f.sync_all())
            .map_err(io_error("flush", &path))?;
    }
    sync_dir(staging)
}

fn sync_dir(dir: &Path) -> Result<(), PublishError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_error("flush", dir))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Put the staging directory in the target's place. Returns whether the old set is now in
/// the staging directory's place (always, except when the target was swapped out by two
/// renames, where the old set is also left there).
fn swap(parent: &Path, staging: &Path, real: &Path) -> Result<bool, PublishError> {
    #[cfg(target_os = "linux")]
    {
        let dir = File::open(parent).map_err(io_error("open", parent))?;
        match rustix::fs::renameat_with(
            &dir,
            staging.file_name().unwrap_or_default(),
            &dir,
            real.file_name().unwrap_or_default(),
            rustix::fs::RenameFlags::EXCHANGE,
        ) {
            Ok(()) => return Ok(true),
            Err(err)
                if err == rustix::io::Errno::INVAL
                    || err == rustix::io::Errno::NOSYS
                    || err == rustix::io::Errno::OPNOTSUPP => {}
            Err(err) => return Err(io_error("swap in", real)(err.into())),
        }
    }
    // Without an atomic exchange: the old set steps aside, the new one steps in. A kill
    // between the two leaves the target missing and both sets beside it.
    let aside = staging.with_extension("old");
    fs::rename(real, &aside).map_err(io_error("move aside", real))?;
    fs::rename(staging, real).map_err(io_error("swap in", real))?;
    fs::rename(&aside, staging).map_err(io_error("rename", &aside))?;
    Ok(true)
}

/// Remove staging directories that killed runs left beside the target.
fn remove_leftovers(
    parent: &Path,
    name: &str,
    real: &Path,
    cleaned: &mut Vec<PathBuf>,
    left: &mut Vec<PathBuf>,
) -> Result<(), PublishError> {
    let prefix = staging_prefix(name);
    let listing = fs::read_dir(parent).map_err(io_error("read", parent))?;
    let mut leftovers: Vec<PathBuf> = listing
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&prefix))
                && e.file_type().is_ok_and(|t| t.is_dir())
        })
        .map(|e| e.path())
        .collect();
    leftovers.sort();
    for leftover in leftovers {
        if clean_staging(&leftover, real) {
            cleaned.push(leftover);
        } else {
            left.push(leftover);
        }
    }
    Ok(())
}

/// Remove from a staging directory (a killed run's, or the old set after a swap) the files
/// the tool can prove it wrote: those its marker or ledger (or legacy manifest) names, the
/// lock, and hard links to files that live on in the target. The directory goes too when
/// nothing else is in it; returns whether it went.
fn clean_staging(staging: &Path, real: &Path) -> bool {
    let mut ours: Vec<String> = owned_files(staging).into_keys().collect();
    if let Ok(marker) = fs::read_to_string(staging.join(MARKER)) {
        ours.extend(marker.lines().map(str::to_owned));
    }
    ours.extend([LEDGER, LOCK, MARKER].map(str::to_owned));
    let Ok(listing) = fs::read_dir(staging) else {
        return false;
    };
    // The records that prove what is ours go last, so that a kill in the middle of this
    // leaves them for the next run to finish the job.
    let proofs = [LEGACY_MANIFEST, LEDGER, MARKER];
    let mut last = Vec::new();
    for entry in listing.filter_map(Result::ok) {
        let name = entry.file_name();
        let path = entry.path();
        let provably_ours = name.to_str().is_some_and(|n| {
            (ours.iter().any(|o| o == n) && check_name_or_internal(n))
                || same_file(&path, &real.join(n))
        });
        let is_file = fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir());
        if provably_ours && is_file {
            if name.to_str().is_some_and(|n| proofs.contains(&n)) {
                last.push(path);
            } else {
                let _ = fs::remove_file(&path);
            }
        }
    }
    last.sort_by_key(|path| {
        proofs
            .iter()
            .position(|p| path.file_name().is_some_and(|n| n == *p))
    });
    for path in last {
        let _ = fs::remove_file(&path);
    }
    fs::remove_dir(staging).is_ok()
}

fn check_name_or_internal(name: &str) -> bool {
    [LEDGER, LOCK, MARKER].contains(&name) || check_name(name).is_ok()
}

/// Whether two paths are one file (the same inode), without following links.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Write one file (see the module documentation): replaced only when it is a regular file
/// that `ours` recognises as the tool's.
///
/// # Errors
/// The path is not a regular file, holds something the tool did not write, or cannot be
/// written.
pub fn publish_file(
    path: &Path,
    bytes: &[u8],
    ours: &dyn Fn(&[u8]) -> bool,
    what: &str,
) -> Result<(), PublishError> {
    let shown = path.display().to_string();
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(PublishError::NotOurs {
                path: shown,
                reason: "it exists and is not a regular file".to_owned(),
            });
        }
        Ok(_) => {
            let existing = fs::read(path).map_err(io_error("read", path))?;
            if !ours(&existing) {
                return Err(PublishError::NotOurs {
                    path: shown,
                    reason: format!(
                        "it exists and is not {what} electorate wrote\nhint: choose another name, or move the file away"
                    ),
                });
            }
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(io_error("inspect", path)(err)),
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| PublishError::NotOurs {
            path: shown.clone(),
            reason: "it has no file name".to_owned(),
        })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temporary = parent.join(format!(".{name}.electorate-{}", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .map_err(io_error("create", &temporary))?;
        file.write_all(bytes)
            .map_err(io_error("write", &temporary))?;
        file.sync_all().map_err(io_error("flush", &temporary))?;
        fs::rename(&temporary, path).map_err(io_error("write", path))?;
        sync_dir(&parent)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(name: &str, text: &str) -> Output {
        Output::new(name, text.as_bytes())
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_directory_gets_the_set_and_a_ledger() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        let published = publish_dir(&dir, &[out("tc.txt", "a\n")], &DirOptions::default()).unwrap();
        assert_eq!(published.files, 1);
        assert_eq!(names(&dir), [LEDGER, LOCK, "tc.txt"]);
        assert_eq!(names(root.path()), ["rolls"], "no staging left beside it");
    }

    #[test]
    fn a_second_run_replaces_the_whole_set() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        let options = DirOptions::default();
        publish_dir(&dir, &[out("a.txt", "1"), out("gone.txt", "2")], &options).unwrap();
        publish_dir(&dir, &[out("a.txt", "3")], &options).unwrap();
        assert_eq!(names(&dir), [LEDGER, LOCK, "a.txt"]);
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "3");
    }

    #[test]
    fn foreign_files_are_refused_then_kept_with_force() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        fs::write(dir.join("thesis.docx"), "mine").unwrap();
        let err = publish_dir(dir, &[out("tc.txt", "x")], &DirOptions::default()).unwrap_err();
        assert!(matches!(err, PublishError::Foreign { .. }), "{err}");
        let force = DirOptions {
            keep_foreign: true,
            ..DirOptions::default()
        };
        let published = publish_dir(dir, &[out("tc.txt", "x")], &force).unwrap();
        assert_eq!(published.kept, ["thesis.docx"]);
        assert_eq!(fs::read_to_string(dir.join("thesis.docx")).unwrap(), "mine");
        // A later run keeps it again, and it is never listed as the tool's.
        publish_dir(dir, &[out("tc.txt", "y")], &force).unwrap();
        assert_eq!(fs::read_to_string(dir.join("thesis.docx")).unwrap(), "mine");
        let err = publish_dir(dir, &[out("tc.txt", "z")], &DirOptions::default()).unwrap_err();
        assert!(matches!(err, PublishError::Foreign { .. }), "{err}");
    }

    #[test]
    fn a_foreign_file_in_the_way_is_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("TC.txt"), "mine").unwrap();
        let force = DirOptions {
            keep_foreign: true,
            ..DirOptions::default()
        };
        let err = publish_dir(root.path(), &[out("tc.txt", "x")], &force).unwrap_err();
        assert!(matches!(err, PublishError::InTheWay { .. }), "{err}");
        assert_eq!(
            fs::read_to_string(root.path().join("TC.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_changed_output_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        publish_dir(&dir, &[out("tc.txt", "x")], &DirOptions::default()).unwrap();
        fs::write(dir.join("tc.txt"), "edited").unwrap();
        let err = publish_dir(&dir, &[out("tc.txt", "y")], &DirOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "refusing to write into {}: a file electorate wrote there has changed since (tc.txt)\nhint: move it away (or delete it if the change is not wanted) and run again",
                dir.display()
            )
        );
        assert_eq!(fs::read_to_string(dir.join("tc.txt")).unwrap(), "edited");
    }

    #[test]
    fn a_users_manifest_gives_no_licence_to_delete() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        fs::write(dir.join("thesis.docx"), "mine").unwrap();
        fs::write(
            dir.join("manifest.json"),
            r#"{"rolls":[{"files":[{"path":"thesis.docx","sha256":"00"}]}]}"#,
        )
        .unwrap();
        let err = publish_dir(dir, &[out("tc.txt", "x")], &DirOptions::default()).unwrap_err();
        assert!(matches!(err, PublishError::Foreign { .. }), "{err}");
        assert!(dir.join("thesis.docx").exists());
    }

    #[test]
    fn names_that_collide_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let err = publish_dir(
            root.path(),
            &[out("ptl-nova.txt", "a"), out("PTL-Nova.txt", "b")],
            &DirOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(err, PublishError::BadName { .. }), "{err}");
        for bad in ["../x", ".hidden", "a/b", ""] {
            assert!(
                publish_dir(root.path(), &[out(bad, "")], &DirOptions::default()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_input_is_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        let input = root.path().join("members.csv");
        fs::write(&input, "member_id,email\n").unwrap();
        let options = DirOptions {
            keep_foreign: true,
            inputs: vec![input.clone()],
            made_from: None,
        };
        let err = publish_dir(root.path(), &[out("members.csv", "x")], &options).unwrap_err();
        assert!(matches!(err, PublishError::Input { .. }), "{err}");
        assert_eq!(fs::read_to_string(&input).unwrap(), "member_id,email\n");
    }

    #[test]
    fn a_held_lock_refuses_a_second_writer() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        publish_dir(&dir, &[out("tc.txt", "x")], &DirOptions::default()).unwrap();
        let held = lock(&dir, &dir).unwrap();
        let err = publish_dir(&dir, &[out("tc.txt", "y")], &DirOptions::default()).unwrap_err();
        assert!(matches!(err, PublishError::Busy { .. }), "{err}");
        drop(held);
        publish_dir(&dir, &[out("tc.txt", "y")], &DirOptions::default()).unwrap();
    }

    #[test]
    fn leftovers_of_a_killed_run_are_removed_but_never_foreign_files() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        publish_dir(&dir, &[out("tc.txt", "x")], &DirOptions::default()).unwrap();
        // A run killed while staging: its marker names what it wrote.
        let killed = root.path().join(".rolls.electorate-staging-99999-0");
        fs::create_dir(&killed).unwrap();
        fs::write(killed.join(MARKER), "tc.txt\nptl-a.txt\n").unwrap();
        fs::write(killed.join("tc.txt"), "half").unwrap();
        // Another holds something that is not provably the tool's.
        let odd = root.path().join(".rolls.electorate-staging-99999-1");
        fs::create_dir(&odd).unwrap();
        fs::write(odd.join("notes.txt"), "mine").unwrap();
        let published = publish_dir(&dir, &[out("tc.txt", "y")], &DirOptions::default()).unwrap();
        assert_eq!(published.cleaned, std::slice::from_ref(&killed));
        assert_eq!(published.left, std::slice::from_ref(&odd));
        assert!(!killed.exists());
        assert_eq!(fs::read_to_string(odd.join("notes.txt")).unwrap(), "mine");
    }

    /// The two moments a kill can leave something behind, replayed step by step.
    #[test]
    fn a_kill_before_or_after_the_swap_leaves_one_set_and_the_next_run_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        let old = [out("a.txt", "old"), out("b.txt", "old")];
        let new = [out("a.txt", "new")];
        publish_dir(&dir, &old, &DirOptions::default()).unwrap();
        let real = fs::canonicalize(&dir).unwrap();
        let old_view = snapshot(&dir);

        // Killed after staging, before the swap: the old set stands.
        let mut publication = begin(&dir, &["a.txt".to_owned()], &DirOptions::default()).unwrap();
        publication.write("a.txt", b"new").unwrap();
        let staged = publication.seal().unwrap();
        killed(publication);
        assert_eq!(snapshot(&dir), old_view);
        // Killed after the swap, before the old set was removed: the new set stands.
        swap(root.path(), &staged, &real).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "new");
        assert!(!dir.join("b.txt").exists());
        assert!(staged.join("b.txt").exists(), "the old set waits beside it");
        // The next run removes the leftover.
        let published = publish_dir(&dir, &new, &DirOptions::default()).unwrap();
        assert_eq!(published.cleaned, std::slice::from_ref(&staged));
        assert_eq!(names(root.path()), ["rolls"]);
    }

    #[test]
    fn files_written_on_another_thread_as_they_come_make_the_same_set() {
        let root = tempfile::tempdir().unwrap();
        let (at_once, streamed) = (root.path().join("a"), root.path().join("b"));
        let outputs = [
            out("b.txt", "2"),
            out("a.txt", "1"),
            out("manifest.json", "{}"),
        ];
        publish_dir(&at_once, &outputs, &DirOptions::default()).unwrap();
        let names: Vec<String> = outputs.iter().map(|o| o.name.clone()).collect();
        let publication = begin(&streamed, &names, &DirOptions::default()).unwrap();
        let publication = std::thread::spawn(move || {
            let mut publication = publication;
            // Created empty first, filled later, as `roll` does.
            publication.reserve().unwrap();
            for output in &outputs {
                publication.write(&output.name, &output.bytes).unwrap();
            }
            publication
        })
        .join()
        .unwrap();
        let published = publication.finish().unwrap();
        assert_eq!(published.files, 3);
        assert_eq!(snapshot(&streamed), snapshot(&at_once));
    }

    #[test]
    fn a_publication_dropped_unfinished_leaves_the_directory_as_it_was() {
        // Dropped with its files reserved, or one of them written.
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        let announced = ["a.txt".to_owned(), "b.txt".to_owned()];
        // A new directory: gone again.
        let mut publication = begin(&dir, &announced, &DirOptions::default()).unwrap();
        publication.reserve().unwrap();
        drop(publication);
        assert_eq!(names(root.path()), Vec::<String>::new());
        // An old set: standing, lock and all, nothing staged beside it.
        publish_dir(&dir, &[out("a.txt", "old")], &DirOptions::default()).unwrap();
        let before = snapshot(&dir);
        let mut publication = begin(&dir, &announced, &DirOptions::default()).unwrap();
        publication.write("a.txt", b"new").unwrap();
        drop(publication);
        assert_eq!(snapshot(&dir), before);
        assert_eq!(names(root.path()), ["rolls"]);
    }

    #[test]
    fn only_the_names_announced_are_written_each_once_and_all_of_them() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        publish_dir(&dir, &[out("a.txt", "old")], &DirOptions::default()).unwrap();
        let before = snapshot(&dir);
        let announced = ["a.txt".to_owned(), "b.txt".to_owned()];
        let mut publication = begin(&dir, &announced, &DirOptions::default()).unwrap();
        let refused = |result: Result<(), PublishError>| result.unwrap_err().to_string();
        assert_eq!(
            refused(publication.write("c.txt", b"")),
            "refusing to write output \"c.txt\": it was not among the outputs announced"
        );
        publication.write("a.txt", b"new").unwrap();
        assert_eq!(
            refused(publication.write("a.txt", b"again")),
            "refusing to write output \"a.txt\": two outputs have this name"
        );
        assert_eq!(
            publication.finish().unwrap_err().to_string(),
            "refusing to write output \"b.txt\": it was announced but never written"
        );
        assert_eq!(snapshot(&dir), before);
        assert_eq!(names(root.path()), ["rolls"]);
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> (u64, u64) {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::symlink_metadata(path).unwrap();
        (meta.ino(), meta.nlink())
    }

    #[cfg(unix)]
    #[test]
    fn a_file_whose_bytes_are_the_same_is_carried_over_not_written_again() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        let options = DirOptions::default();
        publish_dir(
            &dir,
            &[out("same.txt", "a\n"), out("new.txt", "1")],
            &options,
        )
        .unwrap();
        let (same, new) = (inode(&dir.join("same.txt")), inode(&dir.join("new.txt")));
        let published = publish_dir(
            &dir,
            &[out("same.txt", "a\n"), out("new.txt", "2")],
            &options,
        )
        .unwrap();
        assert_eq!(published.unchanged, 1);
        assert_eq!(
            inode(&dir.join("same.txt")),
            same,
            "the same file, one link"
        );
        assert_ne!(
            inode(&dir.join("new.txt")).0,
            new.0,
            "changed bytes, a new file"
        );
        assert_eq!(fs::read_to_string(dir.join("new.txt")).unwrap(), "2");
        assert_eq!(
            names(root.path()),
            ["rolls"],
            "the old set's links are gone"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_set_made_from_the_same_is_not_created_ahead_and_is_carried_over() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        let made_from = |basis: &str| DirOptions {
            made_from: Some(basis.to_owned()),
            ..DirOptions::default()
        };
        let announced = ["a.txt".to_owned(), "b.txt".to_owned()];
        publish_dir(
            &dir,
            &[out("a.txt", "1"), out("b.txt", "2")],
            &made_from("x"),
        )
        .unwrap();
        let a = inode(&dir.join("a.txt"));
        assert!(
            fs::read_to_string(dir.join(LEDGER))
                .unwrap()
                .contains(r#""made_from": "x""#)
        );

        // Made from the same: nothing is reserved, the files come back and are linked.
        let mut publication = begin(&dir, &announced, &made_from("x")).unwrap();
        publication.reserve().unwrap();
        assert!(
            !publication.staging.join("a.txt").exists(),
            "not created ahead"
        );
        publication.write("a.txt", b"1").unwrap();
        publication.write("b.txt", b"changed").unwrap();
        assert_eq!(publication.finish().unwrap().unchanged, 1);
        assert_eq!(inode(&dir.join("a.txt")), a);

        // Made from something else: every file is created ahead, and written in full.
        let mut publication = begin(&dir, &announced, &made_from("y")).unwrap();
        publication.reserve().unwrap();
        assert!(publication.staging.join("a.txt").exists(), "created ahead");
        publication.write("a.txt", b"1").unwrap();
        publication.write("b.txt", b"changed").unwrap();
        assert_eq!(publication.finish().unwrap().unchanged, 0);
        assert_ne!(inode(&dir.join("a.txt")).0, a.0);
        assert_eq!(
            snapshot(&dir)
                .into_iter()
                .filter(|(n, _)| !n.starts_with('.'))
                .collect::<Vec<_>>(),
            [
                ("a.txt".to_owned(), b"1".to_vec()),
                ("b.txt".to_owned(), b"changed".to_vec())
            ]
        );
        assert_eq!(names(root.path()), ["rolls"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_carried_over_file_survives_a_run_that_stops_or_is_killed() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        let options = DirOptions::default();
        publish_dir(&dir, &[out("a.txt", "x")], &options).unwrap();
        let before = (inode(&dir.join("a.txt")), snapshot(&dir));
        // Dropped after carrying the file over (an error while rendering the rest).
        let announced = ["a.txt".to_owned(), "b.txt".to_owned()];
        let mut publication = begin(&dir, &announced, &options).unwrap();
        publication.write("a.txt", b"x").unwrap();
        drop(publication);
        assert_eq!((inode(&dir.join("a.txt")), snapshot(&dir)), before);
        assert_eq!(names(root.path()), ["rolls"]);
        // Killed after carrying it over: the next run removes the link it left, not the
        // file.
        let mut publication = begin(&dir, &announced, &options).unwrap();
        publication.write("a.txt", b"x").unwrap();
        killed(publication);
        assert_eq!(
            inode(&dir.join("a.txt")).1,
            2,
            "linked from the staging directory"
        );
        let published = publish_dir(&dir, &[out("a.txt", "x")], &options).unwrap();
        assert_eq!(published.cleaned.len(), 1);
        assert_eq!((inode(&dir.join("a.txt")), snapshot(&dir)), before);
        assert_eq!(names(root.path()), ["rolls"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_touched_after_the_check_is_written_afresh() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rolls");
        let options = DirOptions::default();
        publish_dir(&dir, &[out("a.txt", "x")], &options).unwrap();
        let before = inode(&dir.join("a.txt"));
        let mut publication = begin(&dir, &["a.txt".to_owned()], &options).unwrap();
        // Someone writes the file between the check and the write: the checked hash no
        // longer vouches for it, so its bytes are not trusted to be the new ones.
        let file = OpenOptions::new()
            .write(true)
            .open(dir.join("a.txt"))
            .unwrap();
        file.set_modified(std::time::SystemTime::UNIX_EPOCH)
            .unwrap();
        drop(file);
        publication.write("a.txt", b"x").unwrap();
        let published = publication.finish().unwrap();
        assert_eq!(published.unchanged, 0);
        assert_ne!(inode(&dir.join("a.txt")).0, before.0);
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "x");
        assert_eq!(names(root.path()), ["rolls"]);
    }

    /// What a kill leaves: nothing undone, the lock released by the kernel.
    fn killed(mut publication: Publication) {
        publication.done = true;
        drop(publication.lock.take());
    }

    fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn a_legacy_roll_directory_is_recognised() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        fs::write(dir.join("tc.txt"), "a\n").unwrap();
        let manifest = format!(
            r#"{{"tool":"electorate 0.1.0","rolls":[{{"files":[{{"path":"tc.txt","sha256":"{}"}}]}}]}}"#,
            sha256_hex(b"a\n")
        );
        fs::write(dir.join("manifest.json"), manifest).unwrap();
        publish_dir(dir, &[out("tc.txt", "b\n")], &DirOptions::default()).unwrap();
        assert_eq!(names(dir), [LEDGER, LOCK, "tc.txt"]);
    }

    #[test]
    fn a_single_file_replaces_only_its_own_kind() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("chart.svg");
        let ours = |bytes: &[u8]| bytes.starts_with(b"OURS");
        publish_file(&path, b"OURS 1", &ours, "a chart").unwrap();
        publish_file(&path, b"OURS 2", &ours, "a chart").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"OURS 2");
        fs::write(&path, "user's").unwrap();
        let err = publish_file(&path, b"OURS 3", &ours, "a chart").unwrap_err();
        assert!(matches!(err, PublishError::NotOurs { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"user's");
        assert_eq!(names(root.path()), ["chart.svg"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_or_link_is_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        let link = root.path().join("link.svg");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        let ours = |_: &[u8]| true;
        assert!(publish_file(&link, b"x", &ours, "a chart").is_err());
        assert!(publish_file(Path::new("/dev/null"), b"x", &ours, "a chart").is_err());
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
