//! `election.toml`: the election's name, its window and reference date, the policy, and
//! its input files (paths relative to the election file).
//!
//! ```toml
//! [election]
//! name = "Newton TC election"
//! window = { start = "2015-03-04T00:00:00Z", end = "2016-03-04T00:00:00Z" }  # [start, end)
//! as_of = "2016-03-04T00:00:00Z"   # optional, defaults to the window end
//! policy = "openstack"             # a shipped policy name, or a path
//! seats = { tc = 4 }               # optional: seats per roll name or roll id, default 1
//!
//! [inputs]
//! changes = ["gerrit/changes.csv"] # .csv, .json (Gerrit REST), .jsonl (gerrit query)
//! governance = { projects = "governance/projects.yaml", legacy = "governance/legacy.yaml" }
//! members = "members.csv"          # optional; without it no membership check is made
//! ```

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::ingest::git::GitInput;
use crate::ingest::limits::field_too_long;
use crate::ingest::timestamp::parse_config_instant;
use crate::ingest::{FileDigest, InputPath, read_toml_text, resolve};
use crate::model::{ChangeFormat, Code, Instant, Window, cut_quoted, excerpt, line_column};
use crate::model::{Diagnostics, Problem};

#[derive(Debug, Clone)]
pub struct ChangeInput {
    pub input: InputPath,
    pub format: ChangeFormat,
}

/// The governance files; each is optional, but an election without `projects` has no
/// official repositories and says so.
#[derive(Debug, Clone, Default)]
pub struct GovernanceInputs {
    pub projects: Option<InputPath>,
    pub legacy: Option<InputPath>,
    pub sigs: Option<InputPath>,
    pub technical_committee: Option<InputPath>,
    /// The four files read from a clone of the governance repository at a revision,
    /// instead of from the working tree.
    pub git: Option<GovernanceAtRevision>,
}

/// `governance = { git = "../governance", ref = "march-2016-elections" }`: the governance
/// files as they were at a tag (or branch, or commit) of a local clone, whatever is
/// checked out.
#[derive(Debug, Clone)]
pub struct GovernanceAtRevision {
    pub repo: InputPath,
    /// A tag, branch or full commit id.
    pub rev: String,
    /// The directory of the files inside the repository (`reference`).
    pub dir: String,
}

impl GovernanceAtRevision {
    /// The four files' paths inside the repository, with the role each plays.
    #[must_use]
    pub fn files(&self) -> [(&'static str, String); 4] {
        let at = |name: &str| {
            if self.dir.is_empty() {
                name.to_owned()
            } else {
                format!("{}/{name}", self.dir.trim_end_matches('/'))
            }
        };
        [
            ("projects", at("projects.yaml")),
            ("legacy", at("legacy.yaml")),
            ("sigs", at("sigs-repos.yaml")),
            ("tc-repos", at("technical-committee-repos.yaml")),
        ]
    }

    /// How problems and the manifest name a file of it: `repo@rev:path`.
    #[must_use]
    pub fn name(&self, path: &str) -> String {
        format!("{}@{}:{path}", self.repo.display, self.rev)
    }
}

#[derive(Debug, Clone)]
pub struct Inputs {
    pub changes: Vec<ChangeInput>,
    pub git: Vec<GitInput>,
    pub governance: GovernanceInputs,
    pub members: Option<InputPath>,
    /// MeetBot summaries: files, and every `*.txt` file of directories, sorted.
    pub meetings: Vec<InputPath>,
    /// Nicks of the meeting bot, left out of attendance (normalised).
    pub meeting_bots: Vec<String>,
    pub rosters: Vec<InputPath>,
    pub auc_metrics: Vec<InputPath>,
    /// The identity file: declared people with their addresses and handles.
    pub identity: Option<InputPath>,
}

impl Inputs {
    /// Every file the election reads (git repositories by their directory), for the
    /// writer to protect: no output may replace an input.
    #[must_use]
    pub fn paths(&self) -> Vec<std::path::PathBuf> {
        self.named().map(|input| input.path.clone()).collect()
    }

    /// Every input the election names (git repositories by their directory).
    pub fn named(&self) -> impl Iterator<Item = &InputPath> {
        let g = &self.governance;
        self.changes
            .iter()
            .map(|c| &c.input)
            .chain(self.git.iter().map(|g| &g.input))
            .chain(g.git.iter().map(|git| &git.repo))
            .chain(
                [
                    &g.projects,
                    &g.legacy,
                    &g.sigs,
                    &g.technical_committee,
                    &self.members,
                    &self.identity,
                ]
                .into_iter()
                .flatten(),
            )
            .chain(&self.meetings)
            .chain(&self.rosters)
            .chain(&self.auc_metrics)
    }
}

/// A checked election configuration.
#[derive(Debug, Clone)]
pub struct ElectionFile {
    pub file: InputPath,
    pub digest: FileDigest,
    pub name: String,
    pub window: Window,
    /// The reference date for rolling windows and expiries; defaults to the window end.
    pub as_of: Instant,
    /// A shipped policy name or a path resolved against the election file.
    pub policy: Option<String>,
    /// Seats to fill, by roll name (`tc`, `ptl-nova`) or roll id (`ptl`, for every team).
    pub seats: std::collections::BTreeMap<String, u32>,
    pub inputs: Inputs,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    election: RawElection,
    inputs: RawInputs,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawElection {
    name: Spanned<String>,
    window: Spanned<RawWindow>,
    #[serde(default)]
    as_of: Option<Spanned<toml::Value>>,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    seats: Option<Spanned<std::collections::BTreeMap<String, u32>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWindow {
    /// A string or a TOML datetime; both go through the same parser.
    start: Spanned<toml::Value>,
    end: Spanned<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInputs {
    #[serde(default)]
    changes: Option<Spanned<OneOrMany<RawChangeInput>>>,
    #[serde(default)]
    git: Vec<RawGit>,
    #[serde(default)]
    governance: Option<RawGovernance>,
    #[serde(default)]
    members: Option<Spanned<String>>,
    #[serde(default)]
    meetings: Option<Spanned<OneOrMany<String>>>,
    #[serde(default)]
    meeting_bots: Option<Vec<String>>,
    #[serde(default)]
    rosters: Option<OneOrMany<String>>,
    #[serde(default)]
    auc_metrics: Option<OneOrMany<String>>,
    #[serde(default)]
    identity: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGit {
    path: String,
    project: String,
    #[serde(default)]
    branch: Option<String>,
    #[serde(default)]
    rev: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(one) => vec![one],
            Self::Many(many) => many,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawChangeInput {
    Path(String),
    Table { path: String, format: ChangeFormat },
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawGovernance {
    Projects(String),
    Files(RawGovernanceFiles),
    Git(RawGovernanceGit),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGovernanceGit {
    git: String,
    #[serde(rename = "ref")]
    rev: String,
    #[serde(default)]
    path: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGovernanceFiles {
    #[serde(default)]
    projects: Option<String>,
    #[serde(default)]
    legacy: Option<String>,
    #[serde(default)]
    sigs: Option<String>,
    #[serde(default, alias = "technical_committee", alias = "tc-repos")]
    tc_repos: Option<String>,
}

/// What the problem of a `changes` directory that is missing or empty says it expected:
/// `fetch changes` reads the election to fill that directory, and knows it by this.
pub const NO_CHANGE_EXPORTS: &str = "expected a directory of change exports";

/// The change exports under a directory, at any depth, by relative path (`/`-separated)
/// in byte order; hidden entries are skipped.
fn change_files(dir: &Path) -> std::io::Result<Vec<(String, ChangeFormat)>> {
    let mut found = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((at, prefix)) = pending.pop() {
        for entry in std::fs::read_dir(&at)? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let relative = format!("{prefix}{name}");
            if entry.file_type()?.is_dir() {
                pending.push((entry.path(), format!("{relative}/")));
            } else if let Some(format) = ChangeFormat::from_path(&name) {
                found.push((relative, format));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

/// Read and check an election file. All problems are reported; `None` when any is an error.
///
/// # Errors
/// Only when the file cannot be read.
pub fn read(path: &Path, diagnostics: &mut Diagnostics) -> std::io::Result<Option<ElectionFile>> {
    let display = path.display().to_string();
    let file = InputPath::new(path, &display);
    let (text, digest) = read_toml_text(&file)?;
    Ok(parse(&file, &text, digest, diagnostics))
}

/// Check the text of an election file at `file` (input paths resolve against it; a
/// directory named as changes or meetings is listed). `None` when any problem is an error.
pub fn parse(
    file: &InputPath,
    text: &str,
    digest: FileDigest,
    diagnostics: &mut Diagnostics,
) -> Option<ElectionFile> {
    let name = file.display.as_str();
    let at = |span: Range<usize>, message: String| {
        let (line, column) = line_column(text, span.start);
        Problem::error(Code::ConfigInvalidValue, name, message)
            .at_line(line)
            .at_column(column)
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            let message = cut_quoted(err.message().trim_end());
            // serde names unknown and missing keys in its message; the rest is syntax or
            // a value of the wrong type.
            let code = if message.starts_with("unknown field") {
                Code::ConfigUnknownKey
            } else if message.starts_with("missing field") {
                Code::ConfigMissingKey
            } else {
                Code::ConfigInvalid
            };
            let problem = match err.span() {
                Some(span) => {
                    let (line, column) = line_column(text, span.start);
                    Problem::error(code, name, message)
                        .at_line(line)
                        .at_column(column)
                }
                None => Problem::error(code, name, message),
            };
            diagnostics.push(problem);
            return None;
        }
    };
    let mut ok = true;
    if let Some(message) = field_too_long(raw.election.name.get_ref()) {
        let (line, column) = line_column(text, raw.election.name.span().start);
        diagnostics.push(
            Problem::error(Code::FieldTooLong, name, message)
                .at_line(line)
                .at_column(column)
                .in_field("election.name"),
        );
        ok = false;
    }
    let mut instant = |value: &Spanned<toml::Value>, field: &str| -> Option<Instant> {
        let text = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(dt) => dt.to_string(),
            other => {
                diagnostics.push(
                    at(value.span(), format!("found a {}, expected an RFC 3339 timestamp such as \"2015-03-04T00:00:00Z\"", other.type_str()))
                        .in_field(field),
                );
                ok = false;
                return None;
            }
        };
        match parse_config_instant(&text) {
            Ok(instant) => Some(instant),
            Err(message) => {
                diagnostics.push(at(value.span(), message).in_field(field));
                ok = false;
                None
            }
        }
    };
    let window = raw.election.window.get_ref();
    let start = instant(&window.start, "election.window.start");
    let end = instant(&window.end, "election.window.end");
    let as_of = raw
        .election
        .as_of
        .as_ref()
        .and_then(|v| instant(v, "election.as_of"));
    let window = match (start, end) {
        (Some(start), Some(end)) if start < end => Some(Window::new(start, end)),
        (Some(start), Some(end)) => {
            diagnostics.push(
                at(
                    raw.election.window.span(),
                    format!(
                        "window ends ({}) before or when it starts ({}), expected start < end",
                        crate::model::format_instant(end),
                        crate::model::format_instant(start)
                    ),
                )
                .in_field("election.window"),
            );
            ok = false;
            None
        }
        _ => None,
    };

    let input = |relative: &str| InputPath::new(resolve(&file.path, relative), relative);
    let mut changes = Vec::new();
    let (changes_span, change_entries) = match raw.inputs.changes {
        Some(spanned) => (spanned.span(), spanned.into_inner().into_vec()),
        None => (0..0, Vec::new()),
    };
    for entry in change_entries {
        let span = changes_span.clone();
        let (path, format) = match entry {
            // Not fatal to reading the election file: `fetch changes` reads it to write
            // this very directory. Every command that reads the changes stops on it.
            RawChangeInput::Path(path)
                if path.ends_with('/') && !resolve(&file.path, &path).is_dir() =>
            {
                diagnostics.push(
                    at(span, format!("directory {} does not exist, {NO_CHANGE_EXPORTS} (`electorate fetch changes --out DIR` writes DIR/changes/)", excerpt(&path)))
                        .in_field("inputs.changes"),
                );
                continue;
            }
            RawChangeInput::Path(path) if resolve(&file.path, &path).is_dir() => {
                match change_files(&resolve(&file.path, &path)) {
                    Ok(found) if !found.is_empty() => {
                        for (relative, format) in found {
                            let display = format!("{}/{relative}", path.trim_end_matches('/'));
                            changes.push(ChangeInput {
                                input: InputPath::new(resolve(&file.path, &display), display),
                                format,
                            });
                        }
                    }
                    // Not fatal to reading the election file either: a first fetch
                    // stopped before its first file leaves the directory empty.
                    Ok(_) => {
                        diagnostics.push(
                            at(span, format!("directory {} holds no .csv, .json or .jsonl file, {NO_CHANGE_EXPORTS} (`electorate fetch changes --out DIR` writes DIR/changes/)", excerpt(&path)))
                                .in_field("inputs.changes"),
                        );
                    }
                    Err(err) => {
                        diagnostics.push(
                            at(span, format!("cannot list {}: {err}", excerpt(&path)))
                                .in_field("inputs.changes"),
                        );
                        ok = false;
                    }
                }
                continue;
            }
            RawChangeInput::Path(path) => {
                let format = ChangeFormat::from_path(&path);
                (path, format)
            }
            RawChangeInput::Table { path, format } => (path, Some(format)),
        };
        match format {
            Some(format) => changes.push(ChangeInput {
                input: input(&path),
                format,
            }),
            None => {
                diagnostics.push(
                    at(span, format!("cannot tell the format of {}, expected a .csv, .json or .jsonl file, or {{ path = \"...\", format = \"csv\" | \"gerrit-rest\" | \"gerrit-query\" }}", excerpt(&path)))
                        .in_field("inputs.changes"),
                );
                ok = false;
            }
        }
    }
    let governance = match raw.inputs.governance {
        None => GovernanceInputs::default(),
        Some(RawGovernance::Projects(projects)) => GovernanceInputs {
            projects: Some(input(&projects)),
            ..GovernanceInputs::default()
        },
        Some(RawGovernance::Files(files)) => GovernanceInputs {
            projects: files.projects.as_deref().map(input),
            legacy: files.legacy.as_deref().map(input),
            sigs: files.sigs.as_deref().map(input),
            technical_committee: files.tc_repos.as_deref().map(input),
            git: None,
        },
        Some(RawGovernance::Git(git)) => GovernanceInputs {
            git: Some(GovernanceAtRevision {
                repo: input(&git.git),
                rev: git.rev,
                dir: git.path.unwrap_or_else(|| "reference".to_owned()),
            }),
            ..GovernanceInputs::default()
        },
    };
    let members = raw.inputs.members.as_ref().map(|m| input(m.get_ref()));
    let git = raw
        .inputs
        .git
        .into_iter()
        .map(|g| GitInput {
            input: input(&g.path),
            project: g.project,
            branch: g.branch.unwrap_or_else(|| "master".to_owned()),
            rev: g.rev,
        })
        .collect();
    let mut meetings = Vec::new();
    if let Some(spanned) = raw.inputs.meetings {
        let span = spanned.span();
        for entry in spanned.into_inner().into_vec() {
            let path = resolve(&file.path, &entry);
            if path.is_dir() {
                match std::fs::read_dir(&path) {
                    Ok(dir) => {
                        let mut names: Vec<String> = dir
                            .filter_map(Result::ok)
                            .filter_map(|e| e.file_name().into_string().ok())
                            .filter(|n| n.ends_with(".txt"))
                            .collect();
                        names.sort();
                        for name in names {
                            let display = format!("{}/{name}", entry.trim_end_matches('/'));
                            meetings.push(InputPath::new(path.join(&name), display));
                        }
                    }
                    Err(err) => {
                        diagnostics.push(
                            at(
                                span.clone(),
                                format!("cannot list {}: {err}", excerpt(&entry)),
                            )
                            .in_field("inputs.meetings"),
                        );
                        ok = false;
                    }
                }
            } else {
                meetings.push(input(&entry));
            }
        }
    }
    let meeting_bots = raw.inputs.meeting_bots.map_or_else(
        || {
            crate::ingest::activity::DEFAULT_BOTS
                .iter()
                .map(|b| (*b).to_owned())
                .collect()
        },
        |bots| {
            bots.iter()
                .map(|b| crate::model::normalize_nick(b))
                .collect()
        },
    );
    let rosters = raw
        .inputs
        .rosters
        .map(OneOrMany::into_vec)
        .unwrap_or_default()
        .iter()
        .map(|r| input(r))
        .collect();
    let auc_metrics = raw
        .inputs
        .auc_metrics
        .map(OneOrMany::into_vec)
        .unwrap_or_default()
        .iter()
        .map(|r| input(r))
        .collect();
    let identity = raw.inputs.identity.as_deref().map(input);
    let policy = raw.election.policy.map(|p| {
        if p.ends_with(".toml") {
            resolve(&file.path, &p).to_string_lossy().into_owned()
        } else {
            p
        }
    });
    let seats = raw.election.seats.map(|seats| {
        let span = seats.span();
        seats
            .into_inner()
            .into_iter()
            .filter(|(roll, n)| {
                if *n == 0 {
                    diagnostics.push(
                        at(
                            span.clone(),
                            format!("roll \"{roll}\" has 0 seats, expected at least 1"),
                        )
                        .in_field("election.seats"),
                    );
                    ok = false;
                }
                *n > 0
            })
            .collect()
    });
    if !ok {
        return None;
    }
    let window = window?;
    Some(ElectionFile {
        seats: seats.unwrap_or_default(),
        file: file.clone(),
        digest,
        name: raw.election.name.into_inner(),
        window,
        as_of: as_of.unwrap_or(window.end),
        policy,
        inputs: Inputs {
            changes,
            git,
            governance,
            members,
            meetings,
            meeting_bots,
            rosters,
            auc_metrics,
            identity,
        },
    })
}

impl ElectionFile {
    /// Every input file with its role, in a fixed order.
    #[must_use]
    pub fn input_files(&self) -> Vec<(&'static str, &InputPath)> {
        let mut files = Vec::new();
        for change in &self.inputs.changes {
            files.push(("changes", &change.input));
        }
        for git in &self.inputs.git {
            files.push(("git", &git.input));
        }
        let g = &self.inputs.governance;
        for (role, path) in [
            ("governance-projects", &g.projects),
            ("governance-legacy", &g.legacy),
            ("governance-sigs", &g.sigs),
            ("governance-tc-repos", &g.technical_committee),
            ("members", &self.inputs.members),
            ("identity", &self.inputs.identity),
        ] {
            if let Some(path) = path {
                files.push((role, path));
            }
        }
        files.extend(self.inputs.meetings.iter().map(|m| ("meeting", m)));
        files.extend(self.inputs.rosters.iter().map(|r| ("roster", r)));
        files.extend(self.inputs.auc_metrics.iter().map(|m| ("auc-metrics", m)));
        files
    }

    /// The directory the election file is in.
    #[must_use]
    pub fn directory(&self) -> PathBuf {
        self.file
            .path
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format_instant;

    fn load(text: &str) -> (Option<ElectionFile>, Vec<String>) {
        let mut d = Diagnostics::default();
        let file = InputPath::new("/elections/newton/election.toml", "election.toml");
        let digest = FileDigest {
            bytes: 0,
            sha256: String::new(),
        };
        let e = parse(&file, text, digest, &mut d);
        (e, d.all().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn reads_a_full_election() {
        let (e, problems) = load(
            r#"
[election]
name = "Newton TC"
window = { start = "2015-03-04T00:00:00Z", end = 2016-03-04T00:00:00Z }
policy = "openstack"

[inputs]
changes = ["gerrit/changes.csv", { path = "gerrit/extra.txt", format = "gerrit-query" }, "rest.json"]
governance = { projects = "gov/projects.yaml", legacy = "gov/legacy.yaml" }
members = "members.csv"
"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let e = e.unwrap();
        assert_eq!(format_instant(e.window.end), "2016-03-04T00:00:00Z");
        assert_eq!(e.as_of, e.window.end);
        assert_eq!(e.inputs.changes.len(), 3);
        assert_eq!(e.inputs.changes[1].format, ChangeFormat::GerritQuery);
        assert_eq!(e.inputs.changes[2].format, ChangeFormat::GerritRest);
        assert_eq!(
            e.inputs.changes[0].input.path,
            Path::new("/elections/newton/gerrit/changes.csv")
        );
        assert_eq!(e.inputs.changes[0].input.display, "gerrit/changes.csv");
        assert_eq!(e.input_files().len(), 6);
    }

    #[test]
    fn a_changes_directory_is_every_export_under_it() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "changes/openstack/nova.json",
            "changes/openstack/glance.json",
            "changes/x.csv",
            "changes/.electorate-tmp-1-y.json",
            "changes/notes.txt",
            "empty/.keep",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let mut d = Diagnostics::default();
        let file = InputPath::new(dir.path().join("election.toml"), "election.toml");
        let digest = FileDigest {
            bytes: 0,
            sha256: String::new(),
        };
        let text = "[election]\nname = \"x\"\nwindow = { start = \"2015-01-01T00:00:00Z\", end = \"2016-01-01T00:00:00Z\" }\n[inputs]\nchanges = [\"changes/\"]\n";
        let e = parse(&file, text, digest.clone(), &mut d).unwrap();
        let found: Vec<(&str, ChangeFormat)> = e
            .inputs
            .changes
            .iter()
            .map(|c| (c.input.display.as_str(), c.format))
            .collect();
        assert_eq!(
            found,
            [
                ("changes/openstack/glance.json", ChangeFormat::GerritRest),
                ("changes/openstack/nova.json", ChangeFormat::GerritRest),
                ("changes/x.csv", ChangeFormat::Csv),
            ]
        );
        assert_eq!(
            e.inputs.changes[0].input.path,
            dir.path().join("changes/openstack/glance.json")
        );
        let missing = text.replace("changes/", "gerrit/changes/");
        let e = parse(&file, &missing, digest.clone(), &mut d);
        assert!(
            e.is_some_and(|e| e.inputs.changes.is_empty()),
            "the election is still read"
        );
        let problems: Vec<String> = d.all().iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "election.toml:5:11: field inputs.changes: directory \"gerrit/changes/\" does not exist, expected a directory of change exports (`electorate fetch changes --out DIR` writes DIR/changes/)"
            ]
        );
        let mut d = Diagnostics::default();
        let text = text.replace("changes/", "empty");
        assert!(parse(&file, &text, digest, &mut d).is_some_and(|e| e.inputs.changes.is_empty()));
        let problems: Vec<String> = d.all().iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "election.toml:5:11: field inputs.changes: directory \"empty\" holds no .csv, .json or .jsonl file, expected a directory of change exports (`electorate fetch changes --out DIR` writes DIR/changes/)"
            ]
        );
    }

    #[test]
    fn problems_have_lines_and_columns() {
        let (e, problems) = load(
            "[election]\nname = \"x\"\nwindow = { start = \"2016-03-04 00:00:00\", end = \"2015-01-01\" }\n[inputs]\nchanges = \"a.txt\"\n",
        );
        assert!(e.is_none());
        assert_eq!(
            problems,
            [
                "election.toml:3:20: field election.window.start: \"2016-03-04 00:00:00\" has no UTC offset, expected RFC 3339 with an offset such as \"2015-03-04T00:00:00Z\"",
                "election.toml:5:11: field inputs.changes: cannot tell the format of \"a.txt\", expected a .csv, .json or .jsonl file, or { path = \"...\", format = \"csv\" | \"gerrit-rest\" | \"gerrit-query\" }",
            ]
        );
        let (_, problems) = load(
            "[election]\nname = \"x\"\nwindow = { start = \"2016-03-04\", end = \"2015-01-01\" }\n[inputs]\n",
        );
        assert_eq!(
            problems,
            [
                "election.toml:3:10: field election.window: window ends (2015-01-01T00:00:00Z) before or when it starts (2016-03-04T00:00:00Z), expected start < end"
            ]
        );
        let (_, problems) = load("[election]\nname = \"x\"\nwindw = 3\n");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("election.toml:3:1: unknown field `windw`"),
            "{problems:?}"
        );
    }
}
