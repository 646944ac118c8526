//! Rendering: what `roll` and `tally` decided, as tables and text for people and as CSV and
//! JSON for scripts. Every renderer has one shape, `write_*(&T, &mut dyn Write)`, decides
//! nothing, and is the only place its output shape is written down; the shapes are
//! contracts (`docs/outputs.md`, `docs/schemas/`). comfy-table is used here and nowhere
//! else.

pub mod candidacy;
pub mod chart;
pub mod check;
pub mod codes;
pub mod compare;
pub mod diff;
pub mod digest;
pub mod explain;
pub mod json;
pub mod policy;
pub mod results;
pub mod review;
pub mod roll;
pub mod style;
pub mod table;
pub mod tally;
pub mod tally_page;
pub mod yaml;
