//! The output directory of a fetch. The tool owns it, and behaves so:
//!
//! - it writes only into an empty directory or one holding its own `fetch-manifest.json`
//!   (recognised by `"tool": "electorate ..."` and the same `kind`);
//! - one fetch at a time: `.electorate-fetch.lock` is locked for the whole run, and a
//!   second fetch into the directory is refused;
//! - every file is written under a temporary name beside its final one, flushed to disk,
//!   then renamed into place: a final name never holds half a file;
//! - what is done is recorded as it is done, in `.electorate-fetch.journal` (one JSON
//!   line per file, appended and flushed before the file is renamed into place), so an
//!   interrupted run leaves a record of every complete file and the next run resumes;
//!   at the end the journal is folded into the manifest and removed;
//! - a file the tool did not write is never overwritten or deleted (callers check
//!   the manifest's records before writing; temporary files of a killed run are
//!   recognised by their `.electorate-tmp-` prefix and removed).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::Value;

use crate::fetch::Error;

/// The manifest's name in a fetch directory.
pub const MANIFEST: &str = "fetch-manifest.json";
/// The lock file.
pub const LOCK: &str = ".electorate-fetch.lock";
/// The journal of files written by a run not yet folded into the manifest.
pub const JOURNAL: &str = ".electorate-fetch.journal";
const TEMP_PREFIX: &str = ".electorate-tmp-";
const OWN_PREFIX: &str = ".electorate-";

/// The tool and version, as the manifest's `tool` field records it.
#[must_use]
pub fn tool() -> String {
    format!("electorate {}", env!("CARGO_PKG_VERSION"))
}

/// A locked fetch directory.
#[derive(Debug)]
pub struct OutDir {
    root: PathBuf,
    _lock: File,
    journal: Mutex<Option<File>>,
}

/// What a directory held when it was opened.
#[derive(Debug, Default)]
pub struct Previous {
    /// The manifest, when there is one.
    pub manifest: Option<Value>,
    /// Journal entries of a run that did not finish, in order.
    pub journal: Vec<Value>,
}

fn io_error(path: &Path, source: io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

impl OutDir {
    /// Open (creating it if needed) and lock a fetch directory for a fetch of `kind`.
    ///
    /// # Errors
    /// The directory is another fetch's, another tool's, locked by a running fetch, or
    /// cannot be read or created.
    pub fn open(root: &Path, kind: &str) -> Result<(Self, Previous), Error> {
        fs::create_dir_all(root).map_err(|e| io_error(root, e))?;
        let lock_path = root.join(LOCK);
        let manifest_path = root.join(MANIFEST);
        if !manifest_path.exists() {
            let mut foreign: Vec<String> = fs::read_dir(root)
                .map_err(|e| io_error(root, e))?
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| !name.starts_with(OWN_PREFIX))
                .collect();
            if !foreign.is_empty() {
                foreign.sort();
                return Err(Error::NotOurs {
                    dir: root.display().to_string(),
                    found: foreign,
                });
            }
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_error(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    dir: root.display().to_string(),
                });
            }
            Err(fs::TryLockError::Error(err)) => return Err(io_error(&lock_path, err)),
        }
        let mut previous = Previous::default();
        match fs::read(&manifest_path) {
            Ok(bytes) => {
                let manifest: Value =
                    serde_json::from_slice(&bytes).map_err(|_| Error::NotOurs {
                        dir: root.display().to_string(),
                        found: vec![format!("{MANIFEST} (not JSON)")],
                    })?;
                let by_us = manifest
                    .get("tool")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.starts_with("electorate "));
                if !by_us {
                    return Err(Error::NotOurs {
                        dir: root.display().to_string(),
                        found: vec![format!("{MANIFEST} (not written by electorate)")],
                    });
                }
                let found = manifest.get("kind").and_then(Value::as_str).unwrap_or("");
                if found != kind {
                    return Err(Error::OtherKind {
                        dir: root.display().to_string(),
                        found: found.to_owned(),
                        wanted: kind.to_owned(),
                    });
                }
                previous.manifest = Some(manifest);
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(io_error(&manifest_path, err)),
        }
        let journal_path = root.join(JOURNAL);
        match fs::read_to_string(&journal_path) {
            // A line cut short by a kill is not a record: its file was not renamed into
            // place, or is refetched and rewritten by this run.
            Ok(text) => {
                previous.journal = text
                    .lines()
                    .filter_map(|line| serde_json::from_str(line).ok())
                    .collect();
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(io_error(&journal_path, err)),
        }
        remove_temporaries(root).map_err(|e| io_error(root, e))?;
        Ok((
            Self {
                root: root.to_path_buf(),
                _lock: lock,
                journal: Mutex::new(None),
            },
            previous,
        ))
    }

    /// The directory.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of a file given relative to the directory.
    #[must_use]
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Write `bytes` to a temporary file beside `relative`, flushed to disk. Nothing
    /// is at the final name until [`Self::publish`].
    ///
    /// # Errors
    /// The file cannot be created or written.
    pub fn stage(&self, relative: &str, bytes: &[u8]) -> Result<Staged, Error> {
        let target = self.path(relative);
        let parent = target.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| io_error(&parent, e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = parent.join(format!("{TEMP_PREFIX}{}-{name}", std::process::id()));
        let mut file = File::create(&temp).map_err(|e| io_error(&temp, e))?;
        file.write_all(bytes).map_err(|e| io_error(&temp, e))?;
        file.sync_all().map_err(|e| io_error(&temp, e))?;
        Ok(Staged { temp, target })
    }

    /// Rename a staged file into place and flush its directory.
    ///
    /// # Errors
    /// The rename fails.
    pub fn publish(&self, mut staged: Staged) -> Result<(), Error> {
        // Taken, so that dropping `staged` has nothing left to remove.
        let temp = std::mem::take(&mut staged.temp);
        fs::rename(&temp, &staged.target).map_err(|e| io_error(&staged.target, e))?;
        if let Some(parent) = staged.target.parent() {
            sync_dir(parent);
        }
        Ok(())
    }

    /// Stage and publish at once (for files no journal entry describes: the manifest).
    ///
    /// # Errors
    /// See [`Self::stage`] and [`Self::publish`].
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Error> {
        let staged = self.stage(relative, bytes)?;
        self.publish(staged)
    }

    /// Append one record to the journal and flush it to disk.
    ///
    /// # Errors
    /// The journal cannot be opened or written.
    pub fn journal(&self, record: &Value) -> Result<(), Error> {
        let path = self.root.join(JOURNAL);
        let mut line = serde_json::to_vec(record).map_err(|e| io_error(&path, e.into()))?;
        line.push(b'\n');
        let mut journal = self
            .journal
            .lock()
            .map_err(|_| io_error(&path, io::Error::other("the journal lock was poisoned")))?;
        if journal.is_none() {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map_err(|e| io_error(&path, e))?;
            *journal = Some(file);
        }
        if let Some(file) = journal.as_mut() {
            file.write_all(&line).map_err(|e| io_error(&path, e))?;
            file.sync_data().map_err(|e| io_error(&path, e))?;
        }
        Ok(())
    }

    /// Write the manifest (atomically), then drop the journal it now contains.
    ///
    /// # Errors
    /// The manifest cannot be written or the journal removed.
    pub fn commit_manifest(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.write(MANIFEST, bytes)?;
        *self
            .journal
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        let path = self.root.join(JOURNAL);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(io_error(&path, err)),
        }
    }
}

/// A file written under a temporary name, waiting to be renamed into place.
#[derive(Debug)]
pub struct Staged {
    temp: PathBuf,
    target: PathBuf,
}

impl Drop for Staged {
    fn drop(&mut self) {
        // A staged file never published was abandoned.
        if !self.temp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

fn sync_dir(dir: &Path) {
    // Makes the rename itself durable where the platform allows opening a directory.
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Remove the temporary files a killed run left, in the directory and below it.
fn remove_temporaries(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let kind = entry.file_type()?;
        if kind.is_dir() && !kind.is_symlink() {
            remove_temporaries(&entry.path())?;
        } else if kind.is_file() && name.starts_with(TEMP_PREFIX) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Is `relative` a safe relative path of plain components (no `..`, no hidden names)?
#[must_use]
pub fn is_plain_relative(relative: &str) -> bool {
    !relative.is_empty()
        && !relative.starts_with('/')
        && !relative.contains('\\')
        && relative
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_foreign_directories_and_a_second_fetch() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = OutDir::open(dir.path(), "gerrit-changes").unwrap_err();
        assert!(matches!(err, Error::NotOurs { ref found, .. } if found == &["notes.txt"]));
        fs::remove_file(dir.path().join("notes.txt")).unwrap();

        let (mut first, previous) = OutDir::open(dir.path(), "gerrit-changes").unwrap();
        assert!(previous.manifest.is_none());
        let err = OutDir::open(dir.path(), "gerrit-changes").unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        first
            .commit_manifest(br#"{"tool": "electorate 0.0.0", "kind": "gerrit-changes"}"#)
            .unwrap();
        drop(first);
        let err = OutDir::open(dir.path(), "member-directory").unwrap_err();
        assert!(matches!(err, Error::OtherKind { .. }), "{err}");
        fs::write(dir.path().join(MANIFEST), r#"{"tool": "other"}"#).unwrap();
        let err = OutDir::open(dir.path(), "gerrit-changes").unwrap_err();
        assert!(matches!(err, Error::NotOurs { .. }), "{err}");
    }

    #[test]
    fn staged_files_appear_whole_and_journals_survive_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let (out, _) = OutDir::open(dir.path(), "k").unwrap();
        let staged = out.stage("a/b.json", b"[]\n").unwrap();
        assert!(!dir.path().join("a/b.json").exists());
        out.journal(&serde_json::json!({"path": "a/b.json"}))
            .unwrap();
        out.publish(staged).unwrap();
        assert_eq!(fs::read(dir.path().join("a/b.json")).unwrap(), b"[]\n");
        let abandoned = out.stage("a/c.json", b"x").unwrap();
        std::mem::forget(abandoned);
        let mut journal = OpenOptions::new()
            .append(true)
            .open(dir.path().join(JOURNAL))
            .unwrap();
        journal.write_all(b"{\"path\": \"a/c.js").unwrap();
        out.write(MANIFEST, br#"{"tool": "electorate 0.0.0", "kind": "k"}"#)
            .unwrap();
        drop(out);
        let (_, previous) = OutDir::open(dir.path(), "k").unwrap();
        assert_eq!(previous.journal, [serde_json::json!({"path": "a/b.json"})]);
        let left: Vec<_> = fs::read_dir(dir.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(left, ["b.json"], "the abandoned temporary file is removed");
    }

    #[test]
    fn plain_relative_paths() {
        assert!(is_plain_relative("changes/openstack/nova.json"));
        for bad in ["", "/etc/x", "a/../b", "a//b", ".hidden", "a\\b"] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
    }
}
