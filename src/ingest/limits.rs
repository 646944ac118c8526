//! How much one input may hold. Real exports stay far below every limit here; an input
//! past one is a mistake (a file of another kind) or an attack, and is refused with its
//! location before it costs much time or memory:
//!
//! | what | at most |
//! |---|---|
//! | a line of a CSV, YAML, TOML or MeetBot file | 1 MiB ([`MAX_LINE_BYTES`]) |
//! | a line of `gerrit query` JSON | 16 MiB ([`MAX_JSON_LINE_BYTES`]) |
//! | an e-mail address | 254 bytes ([`MAX_ADDRESS_BYTES`], RFC 5321's limit) |
//! | any other field: a name, team, repository, branch, id, username, nick, role, comment | 1,000 bytes ([`MAX_FIELD_BYTES`]) |
//! | YAML nesting | 64 levels ([`MAX_YAML_DEPTH`]) |
//! | YAML nodes, aliases counted as what they repeat | 200,000 ([`MAX_YAML_NODES`]) |
//! | a TOML file (election, identity, policy) | 4 MiB ([`MAX_TOML_BYTES`]) |
//! | problems listed for one file | 1,000, the rest counted in one more |
//! | people present at one meeting | 10,000 ([`MAX_ATTENDEES`]) |
//!
//! A Gerrit REST answer has no line limit: Gerrit writes a whole page on one line. A line
//! too long makes the file unreadable (like text that is not UTF-8); a field too long
//! rejects its record (`field-too-long`), and the message quotes only its start.

use std::io::{self, Read};

use crate::ingest::{FileDigest, HashingReader, InputPath, Progress, open, with_path};
use crate::model::excerpt;
pub use crate::model::{MAX_ADDRESS_BYTES, MAX_FIELD_BYTES, MAX_TOML_BYTES};

/// The longest line of a CSV, YAML, TOML or MeetBot file, in bytes (1 MiB). The longest
/// line of a real changes export is a few kilobytes.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The longest line of `gerrit query` JSON, in bytes (16 MiB): one change with every
/// approval, comment and file of a large review is a few hundred kilobytes.
pub const MAX_JSON_LINE_BYTES: usize = 16 << 20;

/// The deepest YAML nesting: governance files nest six levels.
pub const MAX_YAML_DEPTH: usize = 64;

/// The most YAML nodes one file may make, an alias counting as every node it repeats:
/// the largest `projects.yaml` has about ten thousand. The tree costs some 170 bytes a
/// node, so a governance file never costs more than about 35 MB.
pub const MAX_YAML_NODES: u64 = 200_000;

/// The most people one MeetBot summary may list as present: a busy meeting has fifty.
pub const MAX_ATTENDEES: usize = 10_000;

/// How much is read at a time.
const CHUNK: usize = 64 << 10;
/// The most [`read_all`] reserves ahead of reading, whatever size the file claims.
const MAX_RESERVE: usize = 4 << 30;

/// The lengths of the lines of an input fed in pieces. A line ends at `\n`, `\r\n` or a
/// lone `\r`, as everywhere else lines are counted ([`crate::model::LineCounter`]): a file
/// with old Mac line ends is many short lines, not one long one.
#[derive(Debug, Clone)]
pub struct LineLengths {
    max: usize,
    /// The 1-based line under way.
    line: u64,
    /// Its bytes so far.
    length: usize,
    /// The last byte fed ended a line with `\r`: a `\n` right after it is the same end.
    after_cr: bool,
}

impl LineLengths {
    #[must_use]
    pub fn new(max: usize) -> Self {
        Self {
            max,
            line: 1,
            length: 0,
            after_cr: false,
        }
    }

    /// Feed the next piece; the number of the first line that is longer than the limit.
    ///
    /// # Errors
    /// The 1-based number of the line that grew past the limit.
    pub fn feed(&mut self, piece: &[u8]) -> Result<(), u64> {
        let mut from = 0;
        for end in memchr::memchr2_iter(b'\n', b'\r', piece) {
            let crlf = piece[end] == b'\n' && self.after_cr && end == from;
            self.after_cr = piece[end] == b'\r';
            if crlf {
                from = end + 1;
                continue;
            }
            self.length += end - from;
            self.check()?;
            self.line += 1;
            self.length = 0;
            from = end + 1;
        }
        if from < piece.len() {
            self.after_cr = false;
        }
        self.length += piece.len() - from;
        self.check()
    }

    fn check(&self) -> Result<(), u64> {
        if self.length > self.max {
            Err(self.line)
        } else {
            Ok(())
        }
    }
}

/// The error for a line past `max` bytes: it names the line, and quotes none of it (the
/// file may be of another kind, and hold secrets).
#[must_use]
pub fn line_too_long(file: &str, line: u64, max: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{file}:{line}: the line is longer than {max} bytes, expected at most {} per line",
            human(max)
        ),
    )
}

fn human(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// The error for a TOML file past [`MAX_TOML_BYTES`].
#[must_use]
pub fn toml_too_large(file: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{file}: the file is larger than {MAX_TOML_BYTES} bytes, expected at most {} for a TOML file",
            human(MAX_TOML_BYTES)
        ),
    )
}

/// Read a whole file, hashed, refusing it as soon as a line grows past `max` bytes (a
/// file that is one huge line costs about `max`, not its size), or the file past
/// `max_total` bytes.
///
/// # Errors
/// The file cannot be read, a line is too long (named, not quoted), or the file is.
pub fn read_bounded(
    input: &InputPath,
    progress: &dyn Progress,
    max: usize,
    max_total: Option<usize>,
) -> io::Result<(Vec<u8>, FileDigest)> {
    let mut reader = open(input, progress)?;
    let shown = input.shown();
    let bytes = read_all_within(&shown, &mut reader, max, max_total.unwrap_or(usize::MAX), 0)?;
    if let Some(max_total) = max_total
        && bytes.len() > max_total
    {
        return Err(toml_too_large(&shown));
    }
    Ok((bytes, reader.finish()?))
}

/// [`read_bounded`] for a file already open, whose digest the caller finishes (after
/// parsing, so that hashing and parsing overlap). `expected` is the file's size when
/// known (0 otherwise): room for it is taken at once, not grown by copying.
///
/// # Errors
/// See [`read_bounded`].
pub fn read_all<R: Read>(
    file: &str,
    reader: &mut HashingReader<'_, R>,
    max: usize,
    expected: u64,
) -> io::Result<Vec<u8>> {
    read_all_within(file, reader, max, usize::MAX, expected)
}

fn read_all_within<R: Read>(
    file: &str,
    reader: &mut HashingReader<'_, R>,
    max: usize,
    max_total: usize,
    expected: u64,
) -> io::Result<Vec<u8>> {
    // Allocated zeroed, which for a large buffer is fresh memory the kernel zeroes as it
    // is first written: no pass over it before the file is read in. The last chunk's read,
    // which finds the end, fits in the extra chunk.
    let expected = usize::try_from(expected).unwrap_or(usize::MAX);
    let mut bytes = vec![
        0u8;
        expected
            .min(max_total)
            .min(MAX_RESERVE)
            .saturating_add(CHUNK)
    ];
    let mut filled = 0;
    let mut lines = LineLengths::new(max);
    loop {
        if filled > max_total {
            bytes.truncate(filled);
            return Ok(bytes);
        }
        if bytes.len() < filled + CHUNK {
            bytes.resize(filled + CHUNK, 0);
        }
        let read = match reader.read(&mut bytes[filled..filled + CHUNK]) {
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(with_path(&error, file)),
        };
        if read == 0 {
            bytes.truncate(filled);
            return Ok(bytes);
        }
        lines
            .feed(&bytes[filled..filled + read])
            .map_err(|line| line_too_long(file, line, max))?;
        filled += read;
    }
}

/// The message for a field longer than [`MAX_FIELD_BYTES`], quoting its start; `None`
/// when it fits.
#[must_use]
pub fn field_too_long(value: &str) -> Option<String> {
    too_long(value, MAX_FIELD_BYTES)
}

/// The message for a value longer than `max` bytes, quoting its start; `None` when it
/// fits.
#[must_use]
pub fn too_long(value: &str, max: usize) -> Option<String> {
    (value.len() > max).then(|| {
        format!(
            "{} is {} bytes long, expected at most {max}",
            excerpt(value),
            value.len()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Silent;

    fn lengths(text: &str, step: usize, max: usize) -> Result<(), u64> {
        let mut lines = LineLengths::new(max);
        for piece in text.as_bytes().chunks(step) {
            lines.feed(piece)?;
        }
        Ok(())
    }

    #[test]
    fn the_first_long_line_is_named_whatever_the_pieces() {
        let text = "ab\r\ncd\n\nlong line\nx";
        for step in 1..=text.len() {
            assert_eq!(lengths(text, step, 4), Err(4), "{step}");
            assert_eq!(lengths(text, step, 9), Ok(()), "{step}");
        }
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_everywhere_else() {
        let text = "ab\rcd\r\n\rlong line\rx\r";
        for step in 1..=text.len() {
            assert_eq!(lengths(text, step, 4), Err(4), "{step}");
            assert_eq!(lengths(text, step, 9), Ok(()), "{step}");
        }
        // Many short lines with old Mac line ends are not one long line.
        let mac = "a,b\r".repeat(1000);
        assert_eq!(lengths(&mac, 4096, 16), Ok(()));
        // The line numbers agree with the ones problems carry.
        let counted = crate::model::LineCounter::new(text.as_bytes())
            .record_line(u64::try_from(text.find("long").unwrap()).unwrap());
        assert_eq!(counted, 4);
    }

    #[test]
    fn a_long_line_is_refused_without_reading_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let mut text = b"a,b\n1,2\n".to_vec();
        text.resize(8 + 3 * CHUNK, b'x');
        text.extend_from_slice(b"\nsecret\n");
        std::fs::write(&path, &text).unwrap();
        let input = InputPath::new(&path, "big.csv");
        let error = read_bounded(&input, &Silent, CHUNK, None).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        // Named as the user would type it from the current directory, as every error
        // that stops reading a file.
        assert_eq!(
            error.to_string(),
            format!(
                "{}:3: the line is longer than 65536 bytes, expected at most 65536 bytes per line",
                input.shown()
            )
        );
        let (bytes, digest) = read_bounded(&input, &Silent, 4 * CHUNK, None).unwrap();
        assert_eq!(bytes, text);
        assert_eq!(digest.sha256, crate::digest::sha256_hex(&text));
        assert_eq!(
            line_too_long("f", 2, MAX_LINE_BYTES).to_string(),
            "f:2: the line is longer than 1048576 bytes, expected at most 1 MiB per line"
        );
    }

    #[test]
    fn fields_too_long_are_quoted_by_their_start() {
        assert_eq!(too_long("abc", 3), None);
        assert_eq!(
            too_long(&"n".repeat(1001), MAX_FIELD_BYTES).unwrap(),
            format!(
                "\"{}\"… is 1001 bytes long, expected at most 1000",
                "n".repeat(40)
            )
        );
    }
}
