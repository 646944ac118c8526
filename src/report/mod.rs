//! Rendering: rolls, explanations and tallies as tables, CSV and JSON. The shapes written
//! here are contracts (`docs/outputs.md`); comfy-table is used nowhere else.

pub mod explain;
pub mod roll;
