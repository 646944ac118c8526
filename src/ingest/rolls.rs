//! Roll files read back: `<roll>.txt` (one address per line, as `roll --out` writes them
//! and CIVS takes them), alone or every one of a roll directory.

use std::io;
use std::path::Path;

use crate::digest::sha256_hex;
use crate::model::{Code, Problem, RollFile, excerpt, is_plausible_email};

/// Why a roll could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}")]
    Io { path: String, source: io::Error },
    #[error("{0}")]
    Malformed(Box<Problem>),
    #[error(
        "{dir} holds no roll, expected <roll>.txt files as `electorate roll --out` writes them"
    )]
    Empty { dir: String },
}

/// Read one roll file; `display` is how messages name it. Blank lines and `#` comments
/// are skipped; every other line must be one address, and no address may appear twice.
///
/// # Errors
/// The file cannot be read, is not UTF-8, or a line is not an address or repeats one.
pub fn read_file(path: &Path, display: &str) -> Result<RollFile, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: display.to_owned(),
        source,
    })?;
    let malformed = |line: usize, message: String| {
        ReadError::Malformed(Box::new(
            Problem::error(Code::AddressInvalid, display, message).at_line(line as u64),
        ))
    };
    let text = std::str::from_utf8(&bytes).map_err(|err| {
        let line = bytes[..err.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        ReadError::Malformed(Box::new(
            Problem::error(
                Code::InputNotUtf8,
                display,
                "is not UTF-8, expected one address per line",
            )
            .at_line(line as u64),
        ))
    })?;
    let mut addresses: Vec<String> = Vec::new();
    let mut first_line: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let entry = raw.trim();
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        if !is_plausible_email(entry) {
            return Err(malformed(
                line,
                format!(
                    "{} is not an address, expected one address per line",
                    excerpt(entry)
                ),
            ));
        }
        if let Some(first) = first_line.insert(entry, line) {
            return Err(malformed(
                line,
                format!(
                    "{} is listed again (first at line {first}), expected each address once",
                    excerpt(entry)
                ),
            ));
        }
        addresses.push(entry.to_owned());
    }
    let name = path.file_name().and_then(|n| n.to_str()).map_or_else(
        || display.to_owned(),
        |n| n.trim_end_matches(".txt").to_owned(),
    );
    Ok(RollFile {
        name,
        path: display.to_owned(),
        sha256: sha256_hex(&bytes),
        addresses,
    })
}

/// Read every `<roll>.txt` of a roll directory, by name.
///
/// # Errors
/// The directory cannot be listed, holds no roll, or a roll cannot be read.
pub fn read_dir(dir: &Path, display: &str) -> Result<Vec<RollFile>, ReadError> {
    let io = |source| ReadError::Io {
        path: display.to_owned(),
        source,
    };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".txt") && !n.starts_with('.'))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(ReadError::Empty {
            dir: display.to_owned(),
        });
    }
    let base = display.trim_end_matches('/');
    names
        .iter()
        .map(|name| read_file(&dir.join(name), &format!("{base}/{name}")))
        .collect()
}

/// A roll file, or every roll of a directory.
///
/// # Errors
/// See [`read_file`] and [`read_dir`].
pub fn read(path: &Path, display: &str) -> Result<Vec<RollFile>, ReadError> {
    if path.is_dir() {
        read_dir(path, display)
    } else {
        read_file(path, display).map(|roll| vec![roll])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolls_are_read_back_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("tc.txt"),
            "a@example.org\n\nb@example.org\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("manifest.json"), "{}").unwrap();
        let rolls = read(dir.path(), "out/").unwrap();
        assert_eq!(rolls.len(), 1);
        assert_eq!(rolls[0].name, "tc");
        assert_eq!(rolls[0].path, "out/tc.txt");
        assert_eq!(rolls[0].addresses, ["a@example.org", "b@example.org"]);
        assert_eq!(
            rolls[0].sha256,
            sha256_hex(b"a@example.org\n\nb@example.org\n")
        );
        std::fs::write(dir.path().join("bad.txt"), "a@example.org\nJane Doe\n").unwrap();
        let err = read_file(&dir.path().join("bad.txt"), "bad.txt").unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.txt:2: \"Jane Doe\" is not an address, expected one address per line"
        );
        std::fs::write(dir.path().join("bad.txt"), "a@example.org\na@example.org\n").unwrap();
        let err = read_file(&dir.path().join("bad.txt"), "bad.txt").unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.txt:2: \"a@example.org\" is listed again (first at line 1), expected each address once"
        );
    }
}
