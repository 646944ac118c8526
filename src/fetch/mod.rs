//! Fetching what `roll` reads, once, into files with a manifest, so that a roll can be
//! rebuilt offline, byte for byte, by anyone. The only networked part of the crate:
//! `roll`, `explain`, `compare` and `tally` never touch the network.
//!
//! - [`changes`]: merged changes of every governed repository from Gerrit's REST API,
//!   one REST JSON file per repository (what `roll` reads), incremental and resumable.
//! - [`members`]: the Foundation member directory's answer for every address a roll
//!   would hold, cached per address, written as the members CSV `roll` reads.
//! - [`http`], [`retry`]: one GET behind a small trait (so tests point it at a loopback
//!   server), and trying it again politely.
//! - [`dir`]: the output directory, owned by the tool: locked, written atomically,
//!   journalled so an interrupted fetch resumes.
//!
//! The clock is read by the caller (the CLI), once, and handed in as `now`: it is
//! recorded in the manifest and decides what an incremental run asks again. Files written
//! are byte-identical for the same server answers (changes sorted by number, object keys
//! sorted), so an uninterrupted and a resumed fetch give the same files.

pub mod changes;
pub mod dir;
pub mod gerrit;
pub mod http;
pub mod members;
pub mod retry;
pub mod scope;

use crate::fetch::retry::{GaveUp, Retrying};

/// Why a fetch stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "another fetch is writing into {dir} (it holds the lock .electorate-fetch.lock); wait for it to finish"
    )]
    Locked { dir: String },
    #[error(
        "refusing to write into {dir}: it holds files electorate did not write ({}), expected an empty directory or one with electorate's fetch-manifest.json",
        found.join(", ")
    )]
    NotOurs { dir: String, found: Vec<String> },
    #[error("{dir} holds a fetch of {found}, not of {wanted}; fetch into another directory")]
    OtherKind {
        dir: String,
        found: String,
        wanted: String,
    },
    #[error("{dir} holds a fetch from {found}, not from {wanted}; fetch into another directory")]
    OtherServer {
        dir: String,
        found: String,
        wanted: String,
    },
    #[error(
        "{path} changed since electorate wrote it (its sha256 is not the manifest's); remove it to fetch it again"
    )]
    Modified { path: String },
    #[error("{path} exists and electorate did not write it; refusing to overwrite it")]
    Foreign { path: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Input(String),
    #[error("cannot fetch {what} from {server}: {gave_up}")]
    Request {
        server: String,
        what: String,
        gave_up: GaveUp,
    },
    #[error(
        "the merged changes of {repo} kept moving while they were paged through ({passes} passes each saw a change twice); try again later"
    )]
    Moving { repo: String, passes: u32 },
    #[error(
        "cannot fetch repository \"{0}\": expected a name of letters, digits, '.', '_', '-' and '/' such as \"openstack/nova\""
    )]
    BadRepo(String),
}

/// What a fetch reports as it goes, for a progress display. The library never draws.
/// An item is a repository (changes) or an address (members).
pub trait Progress: Sync {
    /// `items` are about to be fetched or checked.
    fn planned(&self, _items: usize) {}
    fn started(&self, _item: &str) {}
    /// A page of `changes` arrived for `item`.
    fn page(&self, _item: &str, _changes: usize) {}
    /// `item` is done; `changes` are in its file (0 for an address).
    fn finished(&self, _item: &str, _changes: u64) {}
    /// A request for `item` failed and is tried again.
    fn retrying(&self, _item: &str, _retry: &Retrying) {}
}

/// No progress display.
pub struct Quiet;

impl Progress for Quiet {}

/// Lower-case hex SHA-256.
#[must_use]
pub fn sha256(bytes: &[u8]) -> String {
    crate::digest::sha256_hex(bytes)
}
