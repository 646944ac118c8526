//! The candidates tree of OpenStack's election repository,
//! `candidates/<release>/<Team_Dir>/<email>`: team directories and the candidacy files in
//! them, read by name only (the statements are for people). Hidden files (the
//! `.placeholder` every team directory starts with) are left out.

use std::io;
use std::path::Path;

use crate::model::{CandidateFile, CandidateTree, TeamDir};

/// Read a release directory of a candidates tree; `display` is how messages name it.
///
/// # Errors
/// The directory, or one of its team directories, cannot be listed.
pub fn read(dir: &Path, display: &str) -> io::Result<CandidateTree> {
    let base = display.trim_end_matches('/');
    let mut tree = CandidateTree {
        dir: base.to_owned(),
        ..CandidateTree::default()
    };
    for (name, path, is_dir) in entries(dir)? {
        let shown = format!("{base}/{name}");
        if !is_dir {
            tree.stray.push(shown);
            continue;
        }
        let mut team = TeamDir {
            name,
            files: Vec::new(),
        };
        for (file, _, nested) in entries(&path)? {
            let file_path = format!("{shown}/{file}");
            if nested {
                tree.stray.push(format!("{file_path}/"));
            } else {
                team.files.push(CandidateFile {
                    name: file,
                    path: file_path,
                });
            }
        }
        tree.teams.push(team);
    }
    Ok(tree)
}

/// The visible entries of a directory, sorted by name: (name, path, is a directory).
fn entries(dir: &Path) -> io::Result<Vec<(String, std::path::PathBuf, bool)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let is_dir = entry.path().is_dir();
        found.push((name, entry.path(), is_dir));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_team_directories_and_leaves_hidden_files_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("Nova/jane@example.org", "I am running"),
            ("Nova/.placeholder", ""),
            ("TC/ann@example.org", "me too"),
            ("Oslo/.placeholder", ""),
            ("README", "stray"),
            ("Nova/old/x@example.org", "nested"),
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let tree = read(root, "candidates/newton/").unwrap();
        assert_eq!(tree.dir, "candidates/newton");
        let names: Vec<(&str, Vec<&str>)> = tree
            .teams
            .iter()
            .map(|t| {
                (
                    t.name.as_str(),
                    t.files.iter().map(|f| f.path.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("Nova", vec!["candidates/newton/Nova/jane@example.org"]),
                ("Oslo", vec![]),
                ("TC", vec!["candidates/newton/TC/ann@example.org"]),
            ]
        );
        assert_eq!(
            tree.stray,
            ["candidates/newton/Nova/old/", "candidates/newton/README"]
        );
    }
}
