//! Rendering results for people and programs: tables for the terminal, JSON for scripts.
//! comfy-table is used here and nowhere else; the shapes written here are contracts
//! (documented in `docs/tally-internals.md`).

pub mod tally;
