//! Writing output files atomically. Every file of a run is first written into a temporary
//! directory beside the destination, then renamed into place, the manifest last: a
//! failure part-way leaves the previous rolls untouched, never a half-written one. Files
//! a previous run listed in its manifest that this run does not produce are removed, so
//! a directory never mixes two runs.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// A file to write: its name inside the output directory and its bytes.
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The manifest's name in an output directory.
pub const MANIFEST: &str = "manifest.json";

/// Write `files` into `dir` atomically (see the module documentation). The last file
/// is renamed last; callers put the manifest there.
///
/// # Errors
/// The directory cannot be created, a file cannot be written or renamed.
pub fn write_all(dir: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    for file in files {
        if file.name.contains('/') || file.name.contains('\\') || file.name.starts_with('.') {
            bail!(
                "refusing to write output file \"{}\": not a plain file name",
                file.name
            );
        }
    }
    let previous = previous_outputs(dir);
    let staging = staging_dir(dir);
    let result = stage_and_publish(dir, &staging, files);
    let _ = fs::remove_dir_all(&staging);
    result?;
    for old in previous {
        if !files.iter().any(|f| f.name == old) {
            let _ = fs::remove_file(dir.join(&old));
        }
    }
    Ok(())
}

fn staging_dir(dir: &Path) -> PathBuf {
    dir.join(format!(".electorate-staging-{}", std::process::id()))
}

fn stage_and_publish(dir: &Path, staging: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
    fs::create_dir_all(staging).with_context(|| format!("cannot create {}", staging.display()))?;
    for file in files {
        let path = staging.join(&file.name);
        let mut handle =
            fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        handle
            .write_all(&file.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        handle
            .sync_all()
            .with_context(|| format!("cannot flush {}", path.display()))?;
    }
    for file in files {
        let target = dir.join(&file.name);
        fs::rename(staging.join(&file.name), &target)
            .with_context(|| format!("cannot move {} into place", target.display()))?;
    }
    Ok(())
}

/// The files a previous run's manifest lists as its outputs.
fn previous_outputs(dir: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(dir.join(MANIFEST)) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for roll in json
        .get("rolls")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
    {
        for file in roll
            .get("files")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(path) = file.get("path").and_then(|p| p.as_str())
                && !path.contains('/')
                && !path.starts_with('.')
            {
                names.push(path.to_owned());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> OutputFile {
        OutputFile {
            name: name.to_owned(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_files_and_removes_what_the_previous_manifest_listed() {
        let dir = tempfile::tempdir().unwrap();
        let old_manifest = r#"{"rolls":[{"files":[{"path":"ptl-gone.txt"},{"path":"tc.txt"}]}]}"#;
        write_all(
            dir.path(),
            &[
                file("ptl-gone.txt", "x\n"),
                file("tc.txt", "old\n"),
                file(MANIFEST, old_manifest),
            ],
        )
        .unwrap();
        write_all(dir.path(), &[file("tc.txt", "new\n"), file(MANIFEST, "{}")]).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("tc.txt")).unwrap(),
            "new\n"
        );
        assert!(!dir.path().join("ptl-gone.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn refuses_paths() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_all(dir.path(), &[file("../x", "")]).is_err());
    }
}
