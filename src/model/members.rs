//! The Foundation's membership list: who may be on a roll at all.

use crate::model::Origin;

/// One member, with every address the list gives them.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub name: Option<String>,
    pub emails: Vec<String>,
    /// The organisations of the member's current affiliations (`affiliations` column,
    /// `;`-separated, as `fetch members` writes it), in the order given.
    pub affiliations: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Default)]
pub struct Members {
    pub members: Vec<Member>,
    /// Data rows read, including rejected ones.
    pub rows: u64,
    pub rejected: u64,
}
