//! A small builder that runs the real binary, as a user or a CI job would.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The outcome of one run.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub(crate) fn success(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// The repository root, so tests can name examples and fixtures.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn path(relative: &str) -> String {
    root().join(relative).display().to_string()
}

/// Run `electorate` with arguments, from the repository root.
pub(crate) fn electorate(args: &[&str]) -> Run {
    electorate_in(&root(), args)
}

/// Run `electorate` with arguments, from `dir`.
pub(crate) fn electorate_in(dir: &Path, args: &[&str]) -> Run {
    electorate_with(dir, args, &[])
}

/// Variables that change how the tool looks or which election it reads: removed, so that
/// a test sees the same thing on every machine unless it sets them.
pub(crate) const STYLE_VARIABLES: [&str; 7] = [
    "LANG",
    "ELECTORATE_ELECTION",
    "NO_COLOR",
    "COLUMNS",
    "TERM",
    "LC_ALL",
    "LC_CTYPE",
];

/// Run `electorate` with arguments and environment variables, from `dir`.
pub(crate) fn electorate_with(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_electorate"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE");
    for name in STYLE_VARIABLES {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Every visible file of a directory (the tool's ledger and lock are hidden), sorted, as
/// (name, contents).
pub(crate) fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("directory exists")
        .filter(|e| {
            !e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with('.'))
        })
        .map(|e| {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path()).expect("text file");
            (name, text)
        })
        .collect();
    out.sort();
    out
}

/// Write a small election into `dir` from (relative path, contents) pairs.
pub(crate) fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(path, text).expect("write fixture");
    }
}
