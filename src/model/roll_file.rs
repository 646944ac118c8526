//! A roll as written to disk (`<roll>.txt`: one address per line, byte-sorted), read back
//! to compare two runs, publish a digest of it or record it with a result.

/// One roll file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollFile {
    /// The roll's name: the file's name without `.txt` (`tc`, `ptl-nova`).
    pub name: String,
    /// The file as the user named it.
    pub path: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// The addresses, in file order.
    pub addresses: Vec<String>,
}
