//! Every JSON output is one top-level object whose first field is `"version"`: the version
//! of that output's schema (`docs/schemas/`), raised when a field changes meaning or goes
//! away. Pretty-printed, keys in declaration order, newline-terminated.

use std::io::{self, Write};

use serde::Serialize;

/// The version of every JSON schema this build writes.
pub const VERSION: u32 = 1;

/// A body with the schema version in front of its own fields.
#[derive(Serialize)]
struct Versioned<'a, T: ?Sized> {
    version: u32,
    #[serde(flatten)]
    body: &'a T,
}

/// Write `body` (a struct, serialised as an object) with its version, as pretty JSON.
///
/// # Errors
/// Writing failed.
pub fn write<T: Serialize + ?Sized>(body: &T, out: &mut dyn Write) -> io::Result<()> {
    let versioned = Versioned {
        version: VERSION,
        body,
    };
    serde_json::to_writer_pretty(&mut *out, &versioned).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// [`write()`] into a string (for files that are also outputs, such as `manifest.json`).
#[must_use]
pub fn to_string<T: Serialize + ?Sized>(body: &T) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail, and these types always serialise.
    let _ = write(body, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Example {
        name: &'static str,
        items: Vec<u32>,
    }

    #[test]
    fn the_version_comes_first() {
        let text = to_string(&Example {
            name: "x",
            items: vec![1, 2],
        });
        assert_eq!(
            text,
            "{\n  \"version\": 1,\n  \"name\": \"x\",\n  \"items\": [\n    1,\n    2\n  ]\n}\n"
        );
    }
}
