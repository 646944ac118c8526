//! Rendering: rolls, explanations and tallies as tables, CSV and JSON, for people and for
//! scripts. The shapes written here are contracts (`docs/outputs.md`,
//! `docs/tally-internals.md`); comfy-table is used here and nowhere else.

pub mod compare;
pub mod explain;
pub mod roll;
pub mod tally;
