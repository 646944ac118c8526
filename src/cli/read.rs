//! Reading the inputs of the officials' desk commands that are not an election's: a
//! candidates tree, governance files on their own. Beside `settings`, the only place the
//! command line talks to the readers.

use std::path::Path;

use anyhow::Context;

use crate::ingest::InputPath;
use crate::ingest::governance::GovernanceFile;
use crate::model::{CandidateTree, Diagnostics, Governance, InputFile, Sources};

/// Read a release directory of a candidates tree.
///
/// # Errors
/// The directory, or one of its team directories, cannot be listed.
pub(super) fn candidate_tree(dir: &Path) -> anyhow::Result<CandidateTree> {
    let shown = dir.display().to_string();
    crate::ingest::candidates::read(dir, &shown)
        .with_context(|| format!("cannot read the candidates tree {shown}"))
}

/// Governance files read on their own, with every problem found in them.
pub(super) struct GovernanceRead {
    pub governance: Governance,
    pub sources: Sources,
    pub inputs: Vec<InputFile>,
    pub diagnostics: Diagnostics,
}

/// The governance files a path names: a file (its name says which: `projects.yaml`,
/// `legacy.yaml`, `sigs-repos.yaml`, `technical-committee-repos.yaml`), or a directory
/// holding them (directly, or under `reference/` as in openstack/governance).
///
/// # Errors
/// A file that is not one of the four, a directory holding none of them, or a file that
/// cannot be read.
pub(super) fn governance(paths: &[std::path::PathBuf]) -> anyhow::Result<GovernanceRead> {
    let mut files: Vec<(std::path::PathBuf, GovernanceFile)> = Vec::new();
    for path in paths {
        if path.is_dir() {
            let base = if path.join("reference").is_dir() {
                path.join("reference")
            } else {
                path.clone()
            };
            let found: Vec<_> = GovernanceFile::ALL
                .iter()
                .filter_map(|&which| {
                    let file = base.join(which.file_name());
                    file.is_file().then_some((file, which))
                })
                .collect();
            if found.is_empty() {
                anyhow::bail!(
                    "{} holds no governance file, expected projects.yaml, legacy.yaml, sigs-repos.yaml or technical-committee-repos.yaml (or a reference/ directory with them)",
                    path.display()
                );
            }
            files.extend(found);
        } else {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let Some(which) = GovernanceFile::ALL
                .iter()
                .copied()
                .find(|w| w.file_name() == name)
            else {
                anyhow::bail!(
                    "cannot tell which governance file {} is, expected one named projects.yaml, legacy.yaml, sigs-repos.yaml or technical-committee-repos.yaml",
                    path.display()
                );
            };
            files.push((path.clone(), which));
        }
    }
    // Projects first, as an election reads them: the current listing of a repository wins.
    files.sort_by_key(|(_, which)| *which);
    let mut read = GovernanceRead {
        governance: Governance::default(),
        sources: Sources::default(),
        inputs: Vec::new(),
        diagnostics: Diagnostics::default(),
    };
    for (path, which) in files {
        let shown = path.display().to_string();
        let input = InputPath::new(&path, &shown);
        let file = read.sources.add(shown.clone());
        let digest = read
            .governance
            .read(&input, file, which, &mut read.diagnostics)
            .with_context(|| format!("cannot read governance file {shown}"))?;
        read.inputs.push(InputFile {
            role: which.role(),
            path: shown,
            format: None,
            bytes: digest.bytes,
            sha256: digest.sha256,
            records: None,
            rejected: None,
            ignored: None,
            duplicates: None,
            commit: None,
        });
    }
    Ok(read)
}

/// A roll file, or every `<roll>.txt` of a roll directory.
///
/// # Errors
/// Unreadable, not a roll, or a directory without rolls.
pub(super) fn rolls(path: &Path) -> anyhow::Result<Vec<crate::model::RollFile>> {
    Ok(crate::ingest::rolls::read(
        path,
        &path.display().to_string(),
    )?)
}

/// A published roll digest, for a voter's check.
///
/// # Errors
/// Unreadable, or not a list `electorate digest` wrote.
pub(super) fn published_digest(
    path: &Path,
) -> anyhow::Result<crate::ingest::roll_digest::PublishedList> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the published list {shown}"))?;
    crate::ingest::roll_digest::parse(&shown, &text).map_err(|problem| anyhow::anyhow!("{problem}"))
}

/// The ballot files of a directory, each for the roll its name gives (`ptl-nova.csv` is
/// `ptl-nova`'s), by name; hidden files are skipped.
///
/// # Errors
/// The directory cannot be listed, or holds no file.
pub(super) fn ballot_dir(dir: &Path) -> anyhow::Result<Vec<(String, std::path::PathBuf)>> {
    let shown = dir.display().to_string();
    let mut found: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list the ballots directory {shown}"))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let roll = name.split('.').next().filter(|r| !r.is_empty())?.to_owned();
            Some((roll, e.path()))
        })
        .collect();
    found.sort();
    if found.is_empty() {
        anyhow::bail!(
            "{shown} holds no ballot file, expected files named after their rolls, such as ptl-nova.csv"
        );
    }
    Ok(found)
}

/// A members CSV on its own (for `tally --members`): every problem is an error here, as
/// the count depends on each row.
///
/// # Errors
/// The file cannot be read, or has problems (all listed).
pub(super) fn members(path: &Path) -> anyhow::Result<crate::model::Members> {
    let name = path.display().to_string();
    let input = InputPath::new(path, name.clone());
    let mut diagnostics = crate::model::Diagnostics::default();
    let (members, _) =
        crate::ingest::members::read(&input, crate::model::FileId::default(), &mut diagnostics)
            .map_err(|err| anyhow::anyhow!("cannot read the members file {name}: {err}"))?;
    if diagnostics.has_errors() {
        let problems: Vec<String> = diagnostics.errors().map(ToString::to_string).collect();
        anyhow::bail!("{}", problems.join("\n"));
    }
    Ok(members)
}
