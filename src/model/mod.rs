//! The election's vocabulary and its invariants: changes and the accounts that own them,
//! governance (teams, repositories, extra-ATCs, leadership), the membership list, activities
//! that are not code, declared people, the election with its dates, where every record came
//! from, stable codes and located problems.
//!
//! Everything here is plain data. Readers (`ingest`) build it; identity, the policy engine
//! and the rolls only read it; nothing here reads a file or the clock.

pub mod activity;
pub mod address;
pub mod candidates;
pub mod changes;
pub mod code;
pub mod compat;
pub mod declared;
pub mod duplicates;
pub mod election;
pub mod governance;
pub mod limits;
pub mod members;
pub mod origin;
pub mod problem;
pub mod roll_file;
pub mod symbols;
pub mod time;

pub use activity::{Activities, Attendance, Meeting, MetricEntry, RosterEntry, normalize_nick};
pub use address::{EmailFolding, address_problem, is_plausible_email, parse_person};
pub use candidates::{CandidateFile, CandidateTree, TeamDir, dir_key};
pub use changes::{
    Account, AccountIdx, AccountKey, AccountSighting, Change, ChangeLog, Credit, CreditRole,
    MergeTime, TextRef,
};
pub use code::{Code, CodeKind};
pub use compat::Compat;
pub use declared::Declared;
pub use duplicates::{Conflict, Deduplicated, Disagreement, Duplicate};
pub use election::{Application, ChangeFormat, Election, InputFile};
pub use governance::{ExtraAtc, Governance, Repo, Team, TeamIdx, TeamKind, slug};
pub use limits::{MAX_ADDRESS_BYTES, MAX_FIELD_BYTES, MAX_TOML_BYTES};
pub use members::{Member, Members};
pub use origin::{FileId, Origin, Position, Sources};
pub use problem::{
    Diagnostics, EXCERPT_CHARS, LineCounter, LineIndex, Problem, Severity, cut, cut_quoted,
    excerpt, line_column,
};
pub use roll_file::RollFile;
pub use symbols::{Sym, Symbols};
pub use time::{Dates, Instant, Month, Placement, Window, describe_duration, format_instant};
