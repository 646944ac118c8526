//! How much one line, one name and one field of an input may hold, and the reader that
//! enforces the line limit while the input arrives.
//!
//! Real ballot files have short lines: a CIVS export of a thousand candidates writes
//! lines of about eleven kilobytes, and names are a few dozen characters. A file with a
//! fifty-megabyte line is a mistake or an attack, and every reader used to pay for it in
//! full (split into millions of fields, or quoted in full in an error message). So:
//!
//! - [`read_bounded`] reads an input chunk by chunk and refuses it as soon as a line
//!   grows past [`MAX_LINE_BYTES`]: memory never holds more than the lines before it
//!   plus one line's worth of the limit, whatever the file;
//! - [`check_lines`] applies the same limit to bytes already in memory (the library's
//!   [`super::read_ballots`]);
//! - candidate names, ids and affiliations are at most [`MAX_NAME_CHARS`] characters,
//!   and voter ids, titles and roll entries at most [`MAX_FIELD_CHARS`]
//!   ([`check_name`], [`check_field`]): results quote them in every table.
//!
//! Error messages quote at most an excerpt of a bad value ([`crate::tally::error::excerpt`]).

use std::io::{self, Read};

use crate::tally::error::{Location, ParseError, ParseProblem, excerpt};

/// The longest line any input may have, in bytes (1 MiB).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The longest candidate name, id or affiliation, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// The longest voter id, title or roll entry, in characters.
pub const MAX_FIELD_CHARS: usize = 1_000;

/// How much is asked of the reader at a time.
const CHUNK: usize = 64 << 10;

/// Line ends (`\n`, `\r\n` or a lone `\r`) and the length of the line under way, fed
/// the input in pieces.
#[derive(Debug, Clone)]
struct LineLimit {
    max: usize,
    /// The 1-based line under way.
    line: u32,
    /// Where it starts in the whole input.
    start: usize,
    /// Its bytes so far.
    length: usize,
    /// The last byte fed was a `\r`, so a `\n` right after it ends no further line.
    after_cr: bool,
}

/// The line that grew past the limit: its number and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Overflow {
    line: u32,
    start: usize,
}

impl LineLimit {
    fn new(max: usize) -> Self {
        Self {
            max,
            line: 1,
            start: 0,
            length: 0,
            after_cr: false,
        }
    }

    /// Feed the next `piece`, which starts at byte `offset` of the input.
    fn feed(&mut self, piece: &[u8], offset: usize) -> Result<(), Overflow> {
        let mut at = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', piece.get(at..).unwrap_or(&[])) {
            self.length += found;
            self.check()?;
            let end = at + found;
            let byte = piece.get(end).copied().unwrap_or(b'\n');
            if !(byte == b'\n' && self.after_cr && found == 0) {
                self.line = self.line.saturating_add(1);
            }
            self.after_cr = byte == b'\r';
            self.length = 0;
            self.start = offset + end + 1;
            at = end + 1;
        }
        let rest = piece.len().saturating_sub(at);
        if rest > 0 {
            self.after_cr = false;
        }
        self.length += rest;
        self.check()
    }

    fn check(&self) -> Result<(), Overflow> {
        if self.length > self.max {
            return Err(Overflow {
                line: self.line,
                start: self.start,
            });
        }
        Ok(())
    }
}

/// The error for a line past the limit, quoting how it starts.
fn line_too_long(file: &str, bytes: &[u8], overflow: Overflow, max: usize) -> ParseError {
    let start = bytes.get(overflow.start..).unwrap_or_default();
    // Enough bytes for the excerpt's characters, however wide they are, and not past
    // the line's end.
    let head = start.get(..start.len().min(256)).unwrap_or(start);
    let head = memchr::memchr2(b'\n', b'\r', head).map_or(head, |end| &head[..end]);
    ParseError::new(
        Location::line(file, overflow.line),
        ParseProblem::LineTooLong {
            start: excerpt(&String::from_utf8_lossy(head)),
            max,
        },
    )
}

/// Read all of `reader`, refusing it at the first line longer than [`MAX_LINE_BYTES`]
/// before reading much further: a file that is one huge line costs one megabyte, not
/// its size. `size_hint` (the file's length, when known) sizes the buffer once.
///
/// # Errors
/// The outer error: reading failed. The inner one: a line is too long, at its line.
pub fn read_bounded(
    file: &str,
    reader: impl Read,
    size_hint: Option<u64>,
) -> io::Result<Result<Vec<u8>, ParseError>> {
    read_bounded_with(file, reader, size_hint, MAX_LINE_BYTES)
}

fn read_bounded_with(
    file: &str,
    mut reader: impl Read,
    size_hint: Option<u64>,
    max: usize,
) -> io::Result<Result<Vec<u8>, ParseError>> {
    let hint = size_hint
        .and_then(|size| usize::try_from(size).ok())
        .unwrap_or(0);
    // Capacity costs no memory until it is written to, so a file refused at its first
    // long line never occupies its size. One chunk more leaves room for the read that
    // finds the end.
    let mut bytes: Vec<u8> = Vec::with_capacity(hint.saturating_add(CHUNK));
    let mut limit = LineLimit::new(max);
    loop {
        let filled = bytes.len();
        bytes.resize(filled + CHUNK, 0);
        let read = match reader.read(bytes.get_mut(filled..).unwrap_or_default()) {
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {
                bytes.truncate(filled);
                continue;
            }
            Err(error) => return Err(error),
        };
        bytes.truncate(filled + read);
        if read == 0 {
            return Ok(Ok(bytes));
        }
        let piece = bytes.get(filled..).unwrap_or_default();
        if let Err(overflow) = limit.feed(piece, filled) {
            return Ok(Err(line_too_long(file, &bytes, overflow, max)));
        }
    }
}

/// Refuse bytes already in memory whose lines are longer than [`MAX_LINE_BYTES`].
///
/// # Errors
/// The first line that is too long.
pub fn check_lines(file: &str, bytes: &[u8]) -> Result<(), ParseError> {
    check_lines_with(file, bytes, MAX_LINE_BYTES)
}

fn check_lines_with(file: &str, bytes: &[u8], max: usize) -> Result<(), ParseError> {
    LineLimit::new(max)
        .feed(bytes, 0)
        .map_err(|overflow| line_too_long(file, bytes, overflow, max))
}

/// Refuse a candidate name, id or affiliation longer than [`MAX_NAME_CHARS`].
///
/// # Errors
/// `value` is too long; the error is at `location`.
pub fn check_name(
    location: impl FnOnce() -> Location,
    what: &'static str,
    value: &str,
) -> Result<(), ParseError> {
    check_length(location, what, value, MAX_NAME_CHARS)
}

/// Refuse a voter id, title or roll entry longer than [`MAX_FIELD_CHARS`].
///
/// # Errors
/// `value` is too long; the error is at `location`.
pub fn check_field(
    location: impl FnOnce() -> Location,
    what: &'static str,
    value: &str,
) -> Result<(), ParseError> {
    check_length(location, what, value, MAX_FIELD_CHARS)
}

fn check_length(
    location: impl FnOnce() -> Location,
    what: &'static str,
    value: &str,
    max: usize,
) -> Result<(), ParseError> {
    // A string has no more characters than bytes: most values never need counting.
    if value.len() <= max {
        return Ok(());
    }
    let length = value.chars().count();
    if length <= max {
        return Ok(());
    }
    Err(ParseError::new(
        location(),
        ParseProblem::TooLong {
            what,
            found: excerpt(value),
            length,
            max,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per call, to cross chunk borders.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            let take = self.step.min(buffer.len()).min(self.bytes.len());
            let (head, tail) = self.bytes.split_at(take);
            buffer
                .get_mut(..take)
                .unwrap_or_default()
                .copy_from_slice(head);
            self.bytes = tail;
            Ok(take)
        }
    }

    fn read(text: &str, step: usize, max: usize) -> Result<Vec<u8>, ParseError> {
        let trickle = Trickle {
            bytes: text.as_bytes(),
            step,
        };
        read_bounded_with("f.txt", trickle, None, max).unwrap()
    }

    #[test]
    fn short_lines_are_read_whole_in_any_pieces() {
        let text = "ab\ncd\r\nef\rgh";
        for step in 1..=text.len() {
            assert_eq!(read(text, step, 2).unwrap(), text.as_bytes(), "{step}");
        }
    }

    #[test]
    fn the_first_long_line_is_refused_with_its_number_and_start() {
        // Line ends of every kind count once each, `\r\n` included, even split between
        // two reads.
        // The excerpt is what was read when the line passed the limit.
        let text = "ab\r\ncd\ref\nlong line\nx\n";
        for step in 1..=text.len() {
            let error = read(text, step, 4).unwrap_err();
            assert_eq!(error.location().line, Some(4), "{step}");
            let message = error.to_string();
            assert!(
                message.starts_with("f.txt:4: the line starting \"long ")
                    && message
                        .ends_with(" is longer than 4 bytes, expected at most 4 bytes per line"),
                "{step}: {message}"
            );
        }
        assert_eq!(
            check_lines_with("f.txt", text.as_bytes(), 4)
                .unwrap_err()
                .to_string(),
            "f.txt:4: the line starting \"long line\" is longer than 4 bytes, expected at most 4 bytes per line"
        );
    }

    #[test]
    fn a_huge_line_is_refused_after_reading_about_the_limit() {
        struct Endless {
            served: usize,
        }
        impl Read for Endless {
            fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
                buffer.fill(b'a');
                self.served += buffer.len();
                Ok(buffer.len())
            }
        }
        let mut endless = Endless { served: 0 };
        let error = read_bounded_with("f.txt", &mut endless, None, 1000)
            .unwrap()
            .unwrap_err();
        assert!(endless.served <= 1000 + CHUNK, "{}", endless.served);
        assert_eq!(
            error.to_string(),
            format!(
                "f.txt:1: the line starting \"{}\"… is longer than 1000 bytes, expected at most 1000 bytes per line",
                "a".repeat(40)
            )
        );
    }

    #[test]
    fn bytes_in_memory_get_the_same_limit() {
        assert!(check_lines("f.txt", b"short\nlines\n").is_ok());
        let long = format!("ok\n{}\n", "é".repeat(MAX_LINE_BYTES));
        let error = check_lines("f.txt", long.as_bytes()).unwrap_err();
        assert_eq!(error.location().line, Some(2));
    }

    #[test]
    fn names_and_fields_are_counted_in_characters() {
        let at = || Location::line("f.txt", 3);
        assert!(check_name(at, "candidate name", &"é".repeat(MAX_NAME_CHARS)).is_ok());
        let error = check_name(at, "candidate name", &"é".repeat(MAX_NAME_CHARS + 1)).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "f.txt:3: candidate name \"{}\"… is 201 characters long, expected at most 200",
                "é".repeat(40)
            )
        );
        assert!(check_field(at, "voter id", &"v".repeat(MAX_FIELD_CHARS)).is_ok());
        assert!(check_field(at, "voter id", &"v".repeat(MAX_FIELD_CHARS + 1)).is_err());
    }
}
