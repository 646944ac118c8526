//! Where a record came from: an input file of the run and a line (or record) in it, so that
//! every problem and every decision can point back at its evidence.

/// Where a record came from: an input file (by its index in the election's list of
/// inputs) and a line, or a record number for formats without meaningful lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Origin {
    pub file: FileId,
    /// 1-based line, or 1-based record number when `Position::Record`.
    pub position: u32,
    pub kind: Position,
}

/// How an [`Origin`]'s number reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Position {
    #[default]
    Line,
    Record,
}

/// An input file's index in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// The input files of a run, in the order they were given, as the user should see them
/// (relative to the election file when they were given that way).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    names: Vec<String>,
}

impl Sources {
    /// Register a file and return its id.
    ///
    /// # Panics
    /// When a run has read 2^32 files already, which no file system holds.
    pub fn add(&mut self, display_name: impl Into<String>) -> FileId {
        let id = FileId(u32::try_from(self.names.len()).expect("fewer than 2^32 input files"));
        self.names.push(display_name.into());
        id
    }

    #[must_use]
    pub fn name(&self, id: FileId) -> &str {
        self.names.get(id.0 as usize).map_or("?", String::as_str)
    }

    /// `file:line` or `file: record N`, for messages and evidence columns.
    #[must_use]
    pub fn locate(&self, origin: Origin) -> String {
        match origin.kind {
            Position::Line => format!("{}:{}", self.name(origin.file), origin.position),
            Position::Record => format!("{}: record {}", self.name(origin.file), origin.position),
        }
    }
}
