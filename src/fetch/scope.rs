//! What a fetch of changes covers: the election's window, widened to whole days, and the
//! repositories its governance files list (project teams' deliverables, SIG and TC
//! repositories, and retired ones while they can still count), or those `--repo`
//! patterns select.
//!
//! Gerrit's `mergedafter:` and `mergedbefore:` take days, inclusive, read at midnight in
//! the server's time zone (UTC on current servers, local time on old ones). The query
//! therefore starts `margin` days before the window's first day and ends `margin` days
//! after its last: with a margin of one day no time zone can cut the window, and the
//! roll's own window (instants, half-open) decides which changes count.

use std::path::Path;

use chrono::{Days, NaiveDate};

use crate::fetch::gerrit::is_valid_repo;
use crate::fetch::{Error, sha256};
use crate::ingest::InputPath;
use crate::ingest::election::{self, ElectionFile as Election};
use crate::ingest::governance::GovernanceFile;
use crate::model::Governance;
use crate::model::Window;
use crate::model::{Diagnostics, Problem};
use crate::policy::pattern::Pattern;

/// The election file a fetch was planned from, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ElectionFile {
    pub path: String,
    pub sha256: String,
}

/// The days a query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryDays {
    pub after: NaiveDate,
    pub before: NaiveDate,
}

/// The query days for `window` widened by `margin` days on each side.
#[must_use]
pub fn query_days(window: &Window, margin: u32) -> QueryDays {
    let days = Days::new(u64::from(margin));
    let first = window.start.date_naive();
    let last = window.end.date_naive();
    QueryDays {
        after: first.checked_sub_days(days).unwrap_or(first),
        before: last.checked_add_days(days).unwrap_or(last),
    }
}

/// Read and check an election file.
///
/// # Errors
/// The file cannot be read or has problems (all listed).
pub fn read_election(path: &Path) -> Result<Election, Error> {
    let mut diagnostics = Diagnostics::default();
    // The reader's error names the file already.
    let election =
        election::read(path, &mut diagnostics).map_err(|err| Error::Input(err.to_string()))?;
    // The changes directory missing or empty is what a first fetch is for.
    let blocking = |p: &Problem| {
        !(p.field.as_deref() == Some("inputs.changes")
            && p.message.contains(election::NO_CHANGE_EXPORTS))
    };
    match election {
        Some(election) if !diagnostics.errors().any(blocking) => Ok(election),
        _ => Err(Error::Input(problems(&diagnostics))),
    }
}

fn problems(diagnostics: &Diagnostics) -> String {
    diagnostics
        .errors()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The election file's record for a manifest.
#[must_use]
pub fn election_file(election: &Election) -> ElectionFile {
    ElectionFile {
        path: election.file.display.clone(),
        sha256: election.digest.sha256.clone(),
    }
}

/// Read the election's governance files.
///
/// # Errors
/// A file cannot be read or has errors (all listed).
pub fn governance(election: &Election) -> Result<Governance, Error> {
    let mut governance = Governance::default();
    let mut diagnostics = Diagnostics::default();
    let g = &election.inputs.governance;
    let files: [(GovernanceFile, &Option<InputPath>); 4] = [
        (GovernanceFile::Projects, &g.projects),
        (GovernanceFile::Legacy, &g.legacy),
        (GovernanceFile::Sigs, &g.sigs),
        (GovernanceFile::TechnicalCommittee, &g.technical_committee),
    ];
    for (index, (which, input)) in files.into_iter().enumerate() {
        if let Some(input) = input {
            let file = crate::model::FileId(u32::try_from(index).unwrap_or(u32::MAX));
            governance
                .read(input, file, which, &mut diagnostics)
                .map_err(|err| Error::Io {
                    path: input.display.clone(),
                    source: err,
                })?;
        }
    }
    if diagnostics.has_errors() {
        return Err(Error::Input(problems(&diagnostics)));
    }
    Ok(governance)
}

/// The repositories to fetch, sorted: the governed ones (retired ones only when retired
/// on or after the query's first day), kept to those matching a pattern when patterns
/// are given; a pattern without `*` that matches no governed repository names one
/// repository to fetch as well.
///
/// # Errors
/// Nothing to fetch, or a name that cannot be queried or used as a file name.
pub fn repositories(
    governance: &Governance,
    days: QueryDays,
    patterns: &[String],
) -> Result<Vec<String>, Error> {
    let governed: Vec<&String> = governance
        .repos
        .iter()
        .filter(|(_, repo)| repo.retired_on.is_none_or(|on| on >= days.after))
        .map(|(name, _)| name)
        .collect();
    let patterns: Vec<Pattern> = patterns.iter().map(|p| Pattern::new(p)).collect();
    let mut repos: Vec<String> = governed
        .iter()
        .filter(|name| patterns.is_empty() || patterns.iter().any(|p| p.matches(name)))
        .map(|name| (*name).clone())
        .collect();
    for pattern in &patterns {
        let text = pattern.as_str();
        if !text.contains('*') && !governed.iter().any(|name| pattern.matches(name)) {
            repos.push(text.to_owned());
        }
    }
    repos.sort();
    repos.dedup();
    if let Some(bad) = repos.iter().find(|r| !is_valid_repo(r)) {
        return Err(Error::BadRepo(bad.clone()));
    }
    if repos.is_empty() {
        return Err(Error::Input(if patterns.is_empty() {
            "no repositories to fetch: the election's governance files list none, expected a projects file under [inputs] governance, or --repo NAME".to_owned()
        } else {
            format!(
                "no governed repository matches {}, expected a pattern such as \"openstack/nova\" or \"openstack/oslo.*\"",
                patterns
                    .iter()
                    .map(|p| format!("\"{p}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }));
    }
    Ok(repos)
}

/// SHA-256 of a file on disk.
///
/// # Errors
/// The file cannot be read.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    Ok(sha256(&std::fs::read(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileId;

    fn governance() -> Governance {
        let mut g = Governance::default();
        let mut d = Diagnostics::default();
        g.read_str(
            "projects.yaml",
            "nova:\n  deliverables:\n    nova:\n      repos:\n        - openstack/nova\n        - openstack/python-novaclient\noslo:\n  deliverables:\n    oslo.config:\n      repos:\n        - openstack/oslo.config\n",
            FileId(0),
            GovernanceFile::Projects,
            &mut d,
        );
        g.read_str(
            "legacy.yaml",
            "old:\n  retired-on: 2014-01-01\n  deliverables:\n    gone:\n      repos:\n        - openstack/gone\nlate:\n  deliverables:\n    late:\n      retired-on: 2015-06-01\n      repos:\n        - openstack/late\n",
            FileId(1),
            GovernanceFile::Legacy,
            &mut d,
        );
        g.read_str(
            "sigs-repos.yaml",
            "Scientific:\n  - repo: openstack/scientific-sig\n",
            FileId(2),
            GovernanceFile::Sigs,
            &mut d,
        );
        assert!(!d.has_errors(), "{:?}", d.all());
        g
    }

    fn days() -> QueryDays {
        query_days(
            &Window::new(
                "2015-03-04T00:00:00Z".parse().unwrap(),
                "2016-03-04T00:00:00Z".parse().unwrap(),
            ),
            1,
        )
    }

    #[test]
    fn the_window_is_widened_to_whole_days() {
        let d = days();
        assert_eq!(d.after.to_string(), "2015-03-03");
        assert_eq!(d.before.to_string(), "2016-03-05");
    }

    #[test]
    fn governed_repositories_and_patterns() {
        let g = governance();
        assert_eq!(
            repositories(&g, days(), &[]).unwrap(),
            [
                "openstack/late",
                "openstack/nova",
                "openstack/oslo.config",
                "openstack/python-novaclient",
                "openstack/scientific-sig"
            ],
            "retired before the window: left out"
        );
        assert_eq!(
            repositories(
                &g,
                days(),
                &["openstack/*nova*".into(), "x/ungoverned".into()]
            )
            .unwrap(),
            [
                "openstack/nova",
                "openstack/python-novaclient",
                "x/ungoverned"
            ]
        );
        assert_eq!(
            repositories(&g, days(), &["other/*".into()])
                .unwrap_err()
                .to_string(),
            "no governed repository matches \"other/*\", expected a pattern such as \"openstack/nova\" or \"openstack/oslo.*\""
        );
        assert_eq!(
            repositories(&g, days(), &["../etc".into()])
                .unwrap_err()
                .to_string(),
            "cannot fetch repository \"../etc\": expected a name of letters, digits, '.', '_', '-' and '/' such as \"openstack/nova\""
        );
    }
}
