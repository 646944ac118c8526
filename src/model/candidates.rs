//! A candidates tree as OpenStack's election repository lays it out:
//! `candidates/<release>/<Team_Dir>/<email>`, one file per candidacy, named by the
//! candidate's address, in a directory per team (underscores for spaces, `TC` for the
//! Technical Committee). The file's content is the candidacy statement; only the names
//! matter here.

/// The tree of one release.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateTree {
    /// The release directory as the user named it (`candidates/newton`).
    pub dir: String,
    /// Team directories, sorted by name.
    pub teams: Vec<TeamDir>,
    /// Files outside any team directory (directly in the release directory, or in a
    /// directory inside a team directory), as paths, sorted.
    pub stray: Vec<String>,
}

/// One team's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamDir {
    /// The directory's name (`Release_Management`, `TC`).
    pub name: String,
    /// Candidacy files, sorted by name; hidden files (`.placeholder`) are left out.
    pub files: Vec<CandidateFile>,
}

/// One candidacy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateFile {
    /// The file's name: the candidate's address.
    pub name: String,
    /// The file's path as the user sees it (`candidates/newton/Nova/jane@example.org`).
    pub path: String,
}

/// A team directory's name, a team's name and a roll id compared as the election tooling
/// compares them: case, spaces, hyphens and underscores ignored (`OpenStack_Helm` is
/// `OpenStack-Helm`, `Stable_Branch_Maintenance` is `stable-branch-maintenance`).
#[must_use]
pub fn dir_key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_names_match_as_the_tooling_matches_them() {
        assert_eq!(dir_key("Release_Management"), dir_key("Release Management"));
        assert_eq!(dir_key("OpenStack_Helm"), dir_key("OpenStack-Helm"));
        assert_eq!(dir_key("TC"), "tc");
        assert_eq!(
            dir_key("Stable_Branch_Maintenance"),
            dir_key("stable-branch-maintenance")
        );
        assert_ne!(dir_key("Nova"), dir_key("Novas"));
    }
}
