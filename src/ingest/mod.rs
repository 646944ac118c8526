//! Readers for every input format. They know file formats and nothing about policy: each
//! yields typed records that remember their origin (file and line, or record), and reports
//! every problem it meets with its location instead of stopping at the first.
//!
//! Inputs are streamed and hashed in the same pass, so the manifest's SHA-256 of each
//! input costs no second read.

pub mod activity;
pub mod applications;
pub mod candidates;
pub mod changes_csv;
pub mod declarations;
pub mod election;
pub mod gerrit_query;
pub mod gerrit_rest;
pub mod git;
pub mod governance;
pub mod header;
pub mod inputs;
pub mod limits;
pub mod members;
pub mod roll_digest;
pub mod rolls;
pub mod timestamp;
pub mod trailers;

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use sha2::{Digest, Sha256};

use crate::digest::hex;

/// Receives how far a reader has got, for a progress bar. The library never draws one.
pub trait Progress {
    /// Total bytes about to be read across all inputs.
    fn start(&self, _total_bytes: u64) {}
    /// `bytes` more have been read.
    fn advance(&self, _bytes: u64) {}
    fn finish(&self) {}
}

/// No progress display.
pub struct Silent;

impl Progress for Silent {}

/// Row accounting for one input file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileRows {
    /// Records read (data rows, JSON changes), including rejected ones.
    pub read: u64,
    /// Records that could not be parsed and were left out.
    pub rejected: u64,
    /// Records that are not changes at all (a `gerrit query` stats line).
    pub ignored: u64,
}

/// An input file: where it is and how the user should see its name.
#[derive(Debug, Clone)]
pub struct InputPath {
    pub path: PathBuf,
    /// As written in the election file (relative to it), or as given on the command line:
    /// the name problems and manifests record.
    pub display: String,
}

impl InputPath {
    #[must_use]
    pub fn new(path: impl Into<PathBuf>, display: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            display: display.into(),
        }
    }

    /// The path as the user would type it from the current directory (the election file's
    /// directory joined with the name it gives), for error messages.
    #[must_use]
    pub fn shown(&self) -> String {
        let path = self.path.display().to_string();
        path.strip_prefix("./").map_or(path.clone(), str::to_owned)
    }
}

/// What reading an input file established about the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Hashes what it is given, on a second thread when one can be had: hashing a large
/// export costs as much as parsing it, and the machine has a second core.
enum Hasher {
    Inline(Sha256),
    Threaded {
        chunks: mpsc::SyncSender<Vec<u8>>,
        /// Buffers the hashing thread is done with, to be filled again: without them
        /// every chunk would be fresh memory for the kernel to zero.
        spent: mpsc::Receiver<Vec<u8>>,
        done: std::thread::JoinHandle<Sha256>,
    },
}

impl Hasher {
    fn new() -> Self {
        let (chunks, incoming) = mpsc::sync_channel::<Vec<u8>>(32);
        let (give_back, spent) = mpsc::channel::<Vec<u8>>();
        let spawned = std::thread::Builder::new()
            .name("sha256".to_owned())
            .spawn(move || {
                let mut hasher = Sha256::new();
                for chunk in incoming {
                    hasher.update(&chunk);
                    let _ = give_back.send(chunk);
                }
                hasher
            });
        match spawned {
            Ok(done) => Self::Threaded {
                chunks,
                spent,
                done,
            },
            Err(_) => Self::Inline(Sha256::new()),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Inline(hasher) => hasher.update(bytes),
            Self::Threaded { chunks, spent, .. } => {
                let mut buffer = spent.try_recv().unwrap_or_default();
                buffer.clear();
                buffer.extend_from_slice(bytes);
                // A send fails only if the thread is gone; `finish` then reports the
                // thread's failure instead of a digest of part of the file.
                let _ = chunks.send(buffer);
            }
        }
    }

    fn finish(self) -> io::Result<String> {
        let digest = match self {
            Self::Inline(hasher) => hasher.finalize(),
            Self::Threaded { chunks, done, .. } => {
                drop(chunks);
                done.join()
                    .map_err(|_| io::Error::other("the hashing thread failed"))?
                    .finalize()
            }
        };
        Ok(hex(&digest))
    }
}

/// A reader that hashes everything read through it and reports progress in chunks.
pub struct HashingReader<'p, R> {
    inner: R,
    hasher: Hasher,
    bytes: u64,
    unreported: u64,
    progress: &'p dyn Progress,
}

impl<'p, R: Read> HashingReader<'p, R> {
    pub fn new(inner: R, progress: &'p dyn Progress) -> Self {
        Self {
            inner,
            hasher: Hasher::new(),
            bytes: 0,
            unreported: 0,
            progress,
        }
    }

    /// Read whatever is left (so the digest covers the whole file) and return the digest.
    ///
    /// # Errors
    /// An I/O error while draining the rest of the file.
    pub fn finish(mut self) -> io::Result<FileDigest> {
        io::copy(&mut self, &mut io::sink())?;
        self.progress.advance(self.unreported);
        Ok(FileDigest {
            bytes: self.bytes,
            sha256: self.hasher.finish()?,
        })
    }
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.hasher.update(&buf[..n]);
        }
        self.bytes += n as u64;
        self.unreported += n as u64;
        if self.unreported >= 1 << 20 {
            self.progress.advance(self.unreported);
            self.unreported = 0;
        }
        Ok(n)
    }
}

/// Open a file for streaming, hashed.
///
/// # Errors
/// The file cannot be opened; the error names it.
pub fn open<'p>(
    input: &InputPath,
    progress: &'p dyn Progress,
) -> io::Result<HashingReader<'p, BufReader<File>>> {
    let file = File::open(&input.path).map_err(|err| with_path(&err, &input.shown()))?;
    Ok(HashingReader::new(
        BufReader::with_capacity(1 << 16, file),
        progress,
    ))
}

/// Read a whole (small) text file, hashed. Configuration and governance files are read
/// this way; they are small and their parsers want the whole text.
///
/// # Errors
/// Unreadable, a line longer than [`limits::MAX_LINE_BYTES`], or not UTF-8 (the message
/// names the line of the first bad byte).
pub fn read_text(input: &InputPath) -> io::Result<(String, FileDigest)> {
    read_text_within(input, None)
}

/// [`read_text`] for a TOML file, which is also refused past
/// [`limits::MAX_TOML_BYTES`]: its tree costs about fifty times its size.
///
/// # Errors
/// See [`read_text`]; or the file is too large.
pub fn read_toml_text(input: &InputPath) -> io::Result<(String, FileDigest)> {
    read_text_within(input, Some(limits::MAX_TOML_BYTES))
}

fn read_text_within(input: &InputPath, max: Option<usize>) -> io::Result<(String, FileDigest)> {
    let (bytes, digest) = limits::read_bounded(input, &Silent, limits::MAX_LINE_BYTES, max)?;
    let bytes = strip_bom(&bytes);
    match String::from_utf8(bytes.to_vec()) {
        Ok(text) => Ok((text, digest)),
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{}:{line}: invalid UTF-8 (byte {at}), expected UTF-8 text",
                    input.shown()
                ),
            ))
        }
    }
}

pub(crate) fn with_path(err: &io::Error, display: &str) -> io::Error {
    io::Error::new(err.kind(), format!("cannot read {display}: {err}"))
}

/// The UTF-8 byte-order mark some spreadsheet programs write.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

#[must_use]
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// Resolve `relative` against the directory of `base_file`; absolute paths stay.
#[must_use]
pub fn resolve(base_file: &Path, relative: &str) -> PathBuf {
    let path = Path::new(relative);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base_file
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_reader_digests_what_it_reads() {
        let data = b"hello\n".repeat(1000);
        let mut reader = HashingReader::new(&data[..], &Silent);
        let mut first = [0u8; 10];
        reader.read_exact(&mut first).unwrap();
        let digest = reader.finish().unwrap();
        assert_eq!(digest.bytes, 6000);
        assert_eq!(digest.sha256, crate::digest::sha256_hex(&data));
    }
}
