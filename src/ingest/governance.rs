//! openstack/governance reference files: which repositories are official and who owns
//! them, and who the TC granted extra-ATC status.
//!
//! - `projects.yaml`: project teams, their deliverables and repositories, and their
//!   `extra-atcs` (renamed `extra-acs` in 2023; both are read).
//! - `legacy.yaml`: retired teams and deliverables with `retired-on` (per deliverable, or
//!   for the whole team). A team present in both files (`partial`) keeps its current
//!   deliverables and gains the retired ones.
//! - `sigs-repos.yaml`: repositories of Special Interest Groups, with `extra-acs`.
//! - `technical-committee-repos.yaml`: the TC's own repositories, with `extra-acs` (the
//!   reference tooling reads `extra_acs` there and so drops them; we read both).
//!
//! The files are parsed into a located YAML tree, so every problem (and every unknown
//! key, which may be a typo that silently drops a repository) is reported with its line
//! and column.

use chrono::NaiveDate;
use saphyr::{AnnotatedMapping, LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use saphyr_parser::Event;

use crate::ingest::limits::{MAX_YAML_DEPTH, MAX_YAML_NODES, field_too_long};
use crate::ingest::{FileDigest, InputPath, read_text};
use crate::model::{
    Code, ExtraAtc, FileId, Governance, Month, Origin, Position, Repo, Team, TeamIdx, TeamKind,
    slug,
};
use crate::model::{Diagnostics, LineCounter, Problem, address_problem, cut_quoted, excerpt};

/// Which governance file a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GovernanceFile {
    Projects,
    Legacy,
    Sigs,
    TechnicalCommittee,
}

impl Governance {
    /// The first team of that name and kind (any kind, for a retired team), created when
    /// there is none. `named` indexes [`Governance::teams`] by name: a file of ninety
    /// thousand teams took 10 s when each was looked for among the others in turn.
    fn team_named(
        &mut self,
        named: &mut TeamsByName,
        name: &str,
        kind: TeamKind,
        origin: Origin,
        column: u32,
    ) -> TeamIdx {
        if let Some(&found) = named.get(name).and_then(|teams| {
            teams.iter().find(|idx| {
                let team = &self.teams[idx.index()];
                team.kind == kind || kind == TeamKind::Retired
            })
        }) {
            return found;
        }
        self.teams.push(Team {
            name: name.to_owned(),
            slug: slug(name),
            kind,
            leadership: None,
            origin,
            column,
        });
        let idx = TeamIdx(u32::try_from(self.teams.len() - 1).unwrap_or(u32::MAX));
        named.entry(name.to_owned()).or_default().push(idx);
        idx
    }

    /// Read one governance file into this set, reporting problems.
    ///
    /// # Errors
    /// Only when the file cannot be read as UTF-8 text.
    pub fn read(
        &mut self,
        input: &InputPath,
        file: FileId,
        which: GovernanceFile,
        diagnostics: &mut Diagnostics,
    ) -> std::io::Result<FileDigest> {
        let (text, digest) = read_text(input)?;
        self.read_str(&input.display, &text, file, which, diagnostics);
        Ok(digest)
    }

    /// Parse governance YAML from a string.
    pub fn read_str(
        &mut self,
        name: &str,
        text: &str,
        file: FileId,
        which: GovernanceFile,
        diagnostics: &mut Diagnostics,
    ) {
        let mut named = TeamsByName::default();
        for (i, team) in self.teams.iter().enumerate() {
            named
                .entry(team.name.clone())
                .or_default()
                .push(TeamIdx(u32::try_from(i).unwrap_or(u32::MAX)));
        }
        let mut reader = Reader {
            name,
            file,
            places: Places::new(text),
            teams: named,
            diagnostics,
        };
        if text.trim().is_empty() {
            reader.diagnostics.push(Problem::error(
                Code::InputEmpty,
                name,
                format!("file is empty, expected {}", which.expected()),
            ));
            return;
        }
        if let Err(problem) = check_shape(name, text, reader.places) {
            reader.diagnostics.push(*problem);
            return;
        }
        let docs = match MarkedYaml::load_from_str(text) {
            Ok(docs) => docs,
            // The real openstack/governance legacy.yaml lists a deliverable twice in one
            // team. YAML forbids it; the tools that read these files (PyYAML) keep the
            // last value. Do the same, and say so.
            Err(err) if err.info() == "duplicated key in mapping" => {
                for problem in duplicate_keys_placed(name, text, reader.places) {
                    reader.diagnostics.push(problem);
                }
                let mut loader = saphyr::YamlLoader::<MarkedYaml<'_>>::default();
                loader.allow_duplicate_keys(true);
                let mut parser = saphyr_parser::Parser::new_from_str(text);
                if let Err(err) = parser.load(&mut loader, true) {
                    let (line, column) = reader.places.place(err.marker());
                    reader.diagnostics.push(
                        Problem::error(
                            Code::YamlInvalid,
                            name,
                            format!("invalid YAML: {}", cut_quoted(err.info())),
                        )
                        .at_line(line)
                        .at_column(column),
                    );
                    return;
                }
                loader.into_documents()
            }
            Err(err) => {
                let (line, column) = reader.places.place(err.marker());
                reader.diagnostics.push(
                    Problem::error(
                        Code::YamlInvalid,
                        name,
                        format!("invalid YAML: {}", cut_quoted(err.info())),
                    )
                    .at_line(line)
                    .at_column(column),
                );
                return;
            }
        };
        let Some(root) = docs.first() else {
            reader.diagnostics.push(Problem::error(
                Code::InputEmpty,
                name,
                format!("file is empty, expected {}", which.expected()),
            ));
            return;
        };
        let Some(entries) = reader.mapping(root, which.expected()) else {
            return;
        };
        for (key, value) in entries {
            let Some(team_name) = reader.key(key) else {
                continue;
            };
            let origin = (reader.origin(key), Reader::column(key));
            match which {
                GovernanceFile::Projects => {
                    self.read_team(&mut reader, team_name, value, origin, false);
                }
                GovernanceFile::Legacy => {
                    self.read_team(&mut reader, team_name, value, origin, true);
                }
                GovernanceFile::Sigs => {
                    self.read_repo_list(&mut reader, team_name, value, origin, TeamKind::Sig);
                }
                GovernanceFile::TechnicalCommittee => {
                    self.read_repo_list(
                        &mut reader,
                        team_name,
                        value,
                        origin,
                        TeamKind::TechnicalCommittee,
                    );
                }
            }
        }
    }

    fn read_team(
        &mut self,
        reader: &mut Reader<'_>,
        team_name: &str,
        value: &MarkedYaml<'_>,
        origin: (Origin, u32),
        legacy: bool,
    ) {
        let Some(fields) = reader.mapping(value, "a team mapping with deliverables") else {
            return;
        };
        let kind = if legacy {
            TeamKind::Retired
        } else {
            TeamKind::Project
        };
        let team = self.team_named(&mut reader.teams, team_name, kind, origin.0, origin.1);
        let mut team_retired: Option<NaiveDate> = None;
        if legacy && let Some(node) = value.data.as_mapping_get("retired-on") {
            team_retired = reader.date(node, "retired-on");
        }
        for (key, field) in fields {
            let Some(name) = reader.key(key) else {
                continue;
            };
            match name {
                "deliverables" => {
                    let Some(deliverables) = reader.mapping(field, "a mapping of deliverables")
                    else {
                        continue;
                    };
                    for (dkey, dvalue) in deliverables {
                        let Some(deliverable) = reader.key(dkey) else {
                            continue;
                        };
                        self.read_deliverable(
                            reader,
                            team,
                            deliverable,
                            dvalue,
                            legacy.then_some(team_retired).flatten(),
                            legacy,
                        );
                    }
                }
                "extra-atcs" | "extra-acs" => {
                    let key_name = if name == "extra-atcs" {
                        "extra-atcs"
                    } else {
                        "extra-acs"
                    };
                    self.read_extra_atcs(reader, team, field, key_name, None);
                }
                "leadership_type" => self.teams[team.index()].leadership = reader.text(field, name),
                "retired-on" | "ptl" | "irc-channel" | "service" | "mission" | "url" | "tags"
                | "liaisons" | "appointed" | "partial" | "release-management" => {}
                other => reader.unknown_key(key, other, TEAM_KEYS),
            }
        }
    }

    fn read_deliverable(
        &mut self,
        reader: &mut Reader<'_>,
        team: TeamIdx,
        deliverable: &str,
        value: &MarkedYaml<'_>,
        team_retired: Option<NaiveDate>,
        legacy: bool,
    ) {
        let Some(fields) = reader.mapping(value, "a deliverable mapping with repos") else {
            return;
        };
        let mut retired_on = team_retired;
        if let Some(node) = value.data.as_mapping_get("retired-on") {
            retired_on = reader.date(node, "retired-on").or(retired_on);
        }
        if legacy && retired_on.is_none() {
            reader.diagnostics.push(
                reader
                    .problem(Code::ConfigMissingKey, value, format!("deliverable {} has no retired-on date, expected one here or on its team", excerpt(deliverable)))
                    .in_field("retired-on"),
            );
            return;
        }
        for (key, field) in fields {
            let Some(name) = reader.key(key) else {
                continue;
            };
            match name {
                "repos" => {
                    let Some(repos) = reader.sequence(field, "a list of repositories") else {
                        continue;
                    };
                    for repo in repos {
                        let Some(repo_name) = reader.text(repo, "repos") else {
                            continue;
                        };
                        self.add_repo(
                            reader,
                            &repo_name,
                            team,
                            Some(deliverable),
                            retired_on,
                            repo,
                        );
                    }
                }
                "retired-on" | "tags" | "docs" | "release-management" | "deprecated" => {}
                other => reader.unknown_key(key, other, DELIVERABLE_KEYS),
            }
        }
    }

    fn read_repo_list(
        &mut self,
        reader: &mut Reader<'_>,
        owner: &str,
        value: &MarkedYaml<'_>,
        origin: (Origin, u32),
        kind: TeamKind,
    ) {
        let team = self.team_named(&mut reader.teams, owner, kind, origin.0, origin.1);
        let Some(entries) = reader.sequence(value, "a list of `- repo: NAME` entries") else {
            return;
        };
        for entry in entries {
            let Some(fields) = reader.mapping(entry, "a `repo: NAME` mapping") else {
                continue;
            };
            let Some(repo_node) = entry.data.as_mapping_get("repo") else {
                reader.diagnostics.push(
                    reader
                        .problem(
                            Code::ConfigMissingKey,
                            entry,
                            "entry has no repo, expected `repo: NAME`".to_owned(),
                        )
                        .in_field("repo"),
                );
                continue;
            };
            let Some(repo_name) = reader.text(repo_node, "repo") else {
                continue;
            };
            self.add_repo(reader, &repo_name, team, None, None, repo_node);
            for (key, field) in fields {
                let Some(name) = reader.key(key) else {
                    continue;
                };
                match name {
                    "repo" => {}
                    "extra-acs" => {
                        self.read_extra_atcs(reader, team, field, "extra-acs", Some(&repo_name));
                    }
                    "extra-atcs" => {
                        self.read_extra_atcs(reader, team, field, "extra-atcs", Some(&repo_name));
                    }
                    "extra_acs" => {
                        reader.diagnostics.push(reader.warning(
                            Code::ExtraAcsSpelling,
                            key,
                            "key \"extra_acs\" is read as \"extra-acs\" (the reference tooling reads only this spelling for TC repositories, and the governance files use the other)".to_owned(),
                        ));
                        self.read_extra_atcs(reader, team, field, "extra_acs", Some(&repo_name));
                    }
                    other => reader.unknown_key(key, other, REPO_ENTRY_KEYS),
                }
            }
        }
    }

    fn add_repo(
        &mut self,
        reader: &mut Reader<'_>,
        name: &str,
        team: TeamIdx,
        deliverable: Option<&str>,
        retired_on: Option<NaiveDate>,
        node: &MarkedYaml<'_>,
    ) {
        let origin = reader.origin(node);
        if let Some(existing) = self.repos.get(name) {
            // A team that is partly retired lists current deliverables in projects.yaml
            // and retired ones in legacy.yaml: the current listing wins, as in the
            // reference tooling.
            let first = format!("line {}", existing.origin.position);
            let owner = &self.teams[existing.team.index()].name;
            reader.diagnostics.push(reader.warning(
                Code::RepoListedTwice,
                node,
                format!(
                    "repository {} is listed again (first under {} at {first}); the first listing is used",
                    excerpt(name),
                    excerpt(owner)
                ),
            ));
            return;
        }
        self.repos.insert(
            name.to_owned(),
            Repo {
                team,
                deliverable: deliverable.map(str::to_owned),
                retired_on,
                origin,
            },
        );
    }

    fn read_extra_atcs(
        &mut self,
        reader: &mut Reader<'_>,
        team: TeamIdx,
        value: &MarkedYaml<'_>,
        key: &'static str,
        repo: Option<&str>,
    ) {
        if matches!(value.data, YamlData::Value(Scalar::Null)) {
            return;
        }
        let Some(entries) = reader.sequence(value, "a list of {name, email, expires-in} entries")
        else {
            return;
        };
        for entry in entries {
            let Some(fields) = reader.mapping(entry, "a mapping with name, email and expires-in")
            else {
                continue;
            };
            let mut name = None;
            let mut email = None;
            let mut expires = None;
            let mut comment = None;
            for (k, v) in fields {
                let Some(field) = reader.key(k) else { continue };
                match field {
                    "name" => name = reader.text(v, field),
                    "email" => email = reader.text(v, field),
                    "expires-in" => {
                        expires =
                            reader
                                .text(v, field)
                                .and_then(|text| match Month::parse(&text) {
                                    Ok(month) => Some(month),
                                    Err(message) => {
                                        reader.diagnostics.push(
                                            reader
                                                .problem(Code::ExtraAtcInvalid, v, message)
                                                .in_field("expires-in"),
                                        );
                                        None
                                    }
                                });
                    }
                    "comment" => comment = reader.text(v, field),
                    other => reader.unknown_key(k, other, EXTRA_ATC_KEYS),
                }
            }
            let mut missing = Vec::new();
            if name.is_none() {
                missing.push("name");
            }
            if email.is_none() {
                missing.push("email");
            }
            if expires.is_none() && entry.data.as_mapping_get("expires-in").is_none() {
                missing.push("expires-in");
            }
            if !missing.is_empty() {
                reader.diagnostics.push(reader.problem(
                    Code::ExtraAtcInvalid,
                    entry,
                    format!(
                        "extra-ATC entry is missing {}, expected name, email and expires-in",
                        missing.join(", ")
                    ),
                ));
                continue;
            }
            let (Some(name), Some(email), Some(expires_in)) = (name, email, expires) else {
                continue;
            };
            if let Some((code, message)) = address_problem(&email) {
                let code = match code {
                    Code::FieldTooLong => code,
                    _ => Code::ExtraAtcInvalid,
                };
                reader
                    .diagnostics
                    .push(reader.problem(code, entry, message).in_field("email"));
                continue;
            }
            self.extra_atcs.push(ExtraAtc {
                team,
                name,
                email,
                expires_in,
                comment,
                key,
                repo: repo.map(str::to_owned),
                origin: reader.origin(entry),
                column: Reader::column(entry),
            });
        }
    }
}

/// Refuse YAML nested deeper than [`MAX_YAML_DEPTH`] or making more than
/// [`MAX_YAML_NODES`] nodes, an alias counting as every node it repeats, before a tree is
/// built: the loader builds (and the tree drops) nested nodes recursively, so deep nesting
/// overflows the stack, and aliases of aliases repeat a few lines into billions of nodes.
/// The parser's events cost no recursion and no tree. A syntax error is reported here,
/// where it is met, as the loader would report it.
fn check_shape(name: &str, text: &str, places: Places) -> Result<(), Box<Problem>> {
    let at = |code: Code, marker: &saphyr_parser::Marker, message: String| {
        let (line, column) = places.place(marker);
        Box::new(
            Problem::error(code, name, message)
                .at_line(line)
                .at_column(column),
        )
    };
    let mut depth = 0usize;
    let mut nodes: u64 = 0;
    // Each open collection's anchor (0: none) and the nodes made before it.
    let mut open: Vec<(usize, u64)> = Vec::new();
    // The nodes each anchor repeats where it is aliased.
    let mut sizes: rustc_hash::FxHashMap<usize, u64> = rustc_hash::FxHashMap::default();
    for event in saphyr_parser::Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(event) => event,
            Err(err) => {
                return Err(at(
                    Code::YamlInvalid,
                    err.marker(),
                    format!("invalid YAML: {}", cut_quoted(err.info())),
                ));
            }
        };
        match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Err(at(
                        Code::InputTooLarge,
                        &span.start,
                        format!(
                            "more than {MAX_YAML_DEPTH} levels of YAML nesting, expected at most {MAX_YAML_DEPTH}"
                        ),
                    ));
                }
                open.push((anchor, nodes));
                nodes += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                depth = depth.saturating_sub(1);
                if let Some((anchor, before)) = open.pop()
                    && anchor > 0
                {
                    sizes.insert(anchor, nodes - before);
                }
            }
            Event::Scalar(_, _, anchor, _) => {
                nodes += 1;
                if anchor > 0 {
                    sizes.insert(anchor, 1);
                }
            }
            Event::Alias(anchor) => {
                nodes = nodes.saturating_add(sizes.get(&anchor).copied().unwrap_or(1));
            }
            _ => {}
        }
        if nodes > MAX_YAML_NODES {
            return Err(at(
                Code::InputTooLarge,
                &span.start,
                format!(
                    "more than {MAX_YAML_NODES} YAML nodes (an alias counts as every node it repeats), expected at most {MAX_YAML_NODES}"
                ),
            ));
        }
    }
    Ok(())
}

/// Where a parser's markers are, in 1-based lines and columns. The parser places what it
/// meets at the end of a file that lacks its last line break on a line after the last
/// one: that place is the end of the last line. Lines end as YAML ends them: `\n`,
/// `\r\n` or a lone `\r`.
#[derive(Debug, Clone, Copy)]
struct Places {
    lines: u64,
    /// The column just after the last line.
    end: u64,
}

impl Places {
    fn new(text: &str) -> Self {
        let lines = LineCounter::new(text.as_bytes()).line_of(text.len() as u64);
        let last = text.rsplit(['\n', '\r']).next().unwrap_or("");
        Self {
            lines,
            end: last.chars().count() as u64 + 1,
        }
    }

    fn place(self, marker: &saphyr_parser::Marker) -> (u64, u64) {
        let line = marker.line() as u64;
        if line <= self.lines {
            (line, marker.col() as u64 + 1)
        } else {
            (self.lines, self.end)
        }
    }
}

/// Every key a YAML mapping repeats, located, with where it first appeared: the parser
/// that builds the tree stops at the first, and a governance file may hold several (the
/// real `legacy.yaml` has one). A text that is not valid YAML yields what was found before
/// the error.
#[must_use]
pub fn duplicate_keys(name: &str, text: &str) -> Vec<Problem> {
    duplicate_keys_placed(name, text, Places::new(text))
}

/// [`duplicate_keys`] with the file's lines already counted.
fn duplicate_keys_placed(name: &str, text: &str, places: Places) -> Vec<Problem> {
    use saphyr_parser::{Event, Parser};
    /// A collection being read: for a mapping, the scalar keys seen (with their lines) and
    /// whether the next node is a key. Keys are looked up in one step: a mapping of a
    /// hundred thousand keys with one repeated took 12 s when they were compared in turn.
    enum Frame {
        Mapping {
            keys: rustc_hash::FxHashMap<String, u64>,
            key_next: bool,
        },
        Sequence,
    }
    /// A node ended inside the collection on top: in a mapping, keys and values alternate.
    fn ended(stack: &mut [Frame]) {
        if let Some(Frame::Mapping { key_next, .. }) = stack.last_mut() {
            *key_next = !*key_next;
        }
    }
    let mut problems = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { break };
        match event {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Mapping {
                    keys,
                    key_next: true,
                }) = stack.last_mut()
                {
                    let (line, column) = places.place(&span.start);
                    match keys.get(value.as_ref()) {
                        Some(first) => problems.push(
                            Problem::warning(
                                Code::YamlDuplicateKey,
                                name,
                                format!(
                                    "key {} is repeated in its mapping (first at line {first}); the last value is used, as PyYAML does",
                                    crate::model::excerpt(&value)
                                ),
                            )
                            .at_line(line)
                            .at_column(column),
                        ),
                        None => {
                            keys.insert(value.into_owned(), line);
                        }
                    }
                }
                ended(&mut stack);
            }
            Event::Alias(_) => ended(&mut stack),
            Event::MappingStart(..) => stack.push(Frame::Mapping {
                keys: rustc_hash::FxHashMap::default(),
                key_next: true,
            }),
            Event::SequenceStart(..) => stack.push(Frame::Sequence),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                ended(&mut stack);
            }
            _ => {}
        }
    }
    problems
}

const TEAM_KEYS: &[&str] = &[
    "deliverables",
    "extra-atcs",
    "extra-acs",
    "ptl",
    "irc-channel",
    "service",
    "mission",
    "url",
    "tags",
    "liaisons",
    "leadership_type",
    "appointed",
    "retired-on",
    "partial",
    "release-management",
];
const DELIVERABLE_KEYS: &[&str] = &[
    "repos",
    "retired-on",
    "tags",
    "docs",
    "release-management",
    "deprecated",
];
const REPO_ENTRY_KEYS: &[&str] = &["repo", "extra-acs", "extra-atcs"];
const EXTRA_ATC_KEYS: &[&str] = &["name", "email", "expires-in", "comment"];

impl GovernanceFile {
    /// The four files, in the order an election reads them.
    pub const ALL: [Self; 4] = [
        Self::Projects,
        Self::Legacy,
        Self::Sigs,
        Self::TechnicalCommittee,
    ];

    /// The file's name in openstack/governance's `reference/` directory.
    #[must_use]
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Projects => "projects.yaml",
            Self::Legacy => "legacy.yaml",
            Self::Sigs => "sigs-repos.yaml",
            Self::TechnicalCommittee => "technical-committee-repos.yaml",
        }
    }

    /// The file's role in a manifest's list of inputs.
    #[must_use]
    pub fn role(self) -> &'static str {
        match self {
            Self::Projects => "governance-projects",
            Self::Legacy => "governance-legacy",
            Self::Sigs => "governance-sigs",
            Self::TechnicalCommittee => "governance-tc-repos",
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Self::Projects => "projects.yaml: a mapping of team names to teams",
            Self::Legacy => "legacy.yaml: a mapping of team names to retired teams",
            Self::Sigs => "sigs-repos.yaml: a mapping of SIG names to lists of repositories",
            Self::TechnicalCommittee => {
                "technical-committee-repos.yaml: a mapping of the owner to a list of repositories"
            }
        }
    }
}

/// Walks the located tree, turning shape mismatches into problems.
/// Teams by name, each name's in the order of [`Governance::teams`].
type TeamsByName = rustc_hash::FxHashMap<String, Vec<TeamIdx>>;

struct Reader<'a> {
    name: &'a str,
    file: FileId,
    places: Places,
    teams: TeamsByName,
    diagnostics: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn column(node: &MarkedYaml<'_>) -> u32 {
        u32::try_from(node.span.start.col() + 1).unwrap_or(u32::MAX)
    }

    fn origin(&self, node: &MarkedYaml<'_>) -> Origin {
        let (line, _) = self.places.place(&node.span.start);
        Origin {
            file: self.file,
            position: u32::try_from(line).unwrap_or(u32::MAX),
            kind: Position::Line,
        }
    }

    fn problem(&self, code: Code, node: &MarkedYaml<'_>, message: String) -> Problem {
        let (line, column) = self.places.place(&node.span.start);
        Problem::error(code, self.name, message)
            .at_line(line)
            .at_column(column)
    }

    fn warning(&self, code: Code, node: &MarkedYaml<'_>, message: String) -> Problem {
        let (line, column) = self.places.place(&node.span.start);
        Problem::warning(code, self.name, message)
            .at_line(line)
            .at_column(column)
    }

    fn mapping<'n, 'i>(
        &mut self,
        node: &'n MarkedYaml<'i>,
        expected: &str,
    ) -> Option<&'n AnnotatedMapping<'i, MarkedYaml<'i>>> {
        match &node.data {
            YamlData::Mapping(map) => Some(map),
            other => {
                let problem = self.problem(
                    Code::ConfigInvalidValue,
                    node,
                    format!("found {}, expected {expected}", describe(other)),
                );
                self.diagnostics.push(problem);
                None
            }
        }
    }

    fn sequence<'n, 'i>(
        &mut self,
        node: &'n MarkedYaml<'i>,
        expected: &str,
    ) -> Option<&'n [MarkedYaml<'i>]> {
        match &node.data {
            YamlData::Sequence(items) => Some(items),
            other => {
                let problem = self.problem(
                    Code::ConfigInvalidValue,
                    node,
                    format!("found {}, expected {expected}", describe(other)),
                );
                self.diagnostics.push(problem);
                None
            }
        }
    }

    fn key<'n>(&mut self, node: &'n MarkedYaml<'_>) -> Option<&'n str> {
        match &node.data {
            YamlData::Value(Scalar::String(s)) => {
                if let Some(message) = field_too_long(s) {
                    let problem = self.problem(Code::FieldTooLong, node, format!("key {message}"));
                    self.diagnostics.push(problem);
                    return None;
                }
                Some(s)
            }
            other => {
                let problem = self.problem(
                    Code::ConfigInvalidValue,
                    node,
                    format!("found {} as a key, expected a name", describe(other)),
                );
                self.diagnostics.push(problem);
                None
            }
        }
    }

    /// A scalar as text; numbers and booleans are turned into their text.
    fn text(&mut self, node: &MarkedYaml<'_>, field: &str) -> Option<String> {
        let text = match &node.data {
            YamlData::Value(Scalar::String(s)) => s.to_string(),
            YamlData::Value(Scalar::Integer(i)) => i.to_string(),
            YamlData::Value(Scalar::FloatingPoint(f)) => f.to_string(),
            YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
            other => {
                let problem = self
                    .problem(
                        Code::ConfigInvalidValue,
                        node,
                        format!("found {}, expected text", describe(other)),
                    )
                    .in_field(field);
                self.diagnostics.push(problem);
                return None;
            }
        };
        let text = text.trim().to_owned();
        if let Some(message) = field_too_long(&text) {
            let problem = self
                .problem(Code::FieldTooLong, node, message)
                .in_field(field);
            self.diagnostics.push(problem);
            return None;
        }
        if text.is_empty() {
            let problem = self
                .problem(
                    Code::ConfigInvalidValue,
                    node,
                    "is empty, expected text".to_owned(),
                )
                .in_field(field);
            self.diagnostics.push(problem);
            return None;
        }
        Some(text)
    }

    fn date(&mut self, node: &MarkedYaml<'_>, field: &str) -> Option<NaiveDate> {
        let text = self.text(node, field)?;
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                let problem = self
                    .problem(
                        Code::ConfigInvalidValue,
                        node,
                        format!("{} is not a date, expected YYYY-MM-DD", excerpt(&text)),
                    )
                    .in_field(field);
                self.diagnostics.push(problem);
                None
            }
        }
    }

    fn unknown_key(&mut self, node: &MarkedYaml<'_>, key: &str, known: &[&str]) {
        let message = match crate::suggest::closest(key, known) {
            Some(close) => {
                format!(
                    "unknown key {} (did you mean \"{close}\"?); ignored",
                    excerpt(key)
                )
            }
            None => format!(
                "unknown key {}, expected one of {}; ignored",
                excerpt(key),
                known.join(", ")
            ),
        };
        let problem = self.warning(Code::ConfigUnknownKey, node, message);
        self.diagnostics.push(problem);
    }
}

fn describe<'i>(data: &YamlData<'i, MarkedYaml<'i>>) -> &'static str {
    match data {
        YamlData::Mapping(_) => "a mapping",
        YamlData::Sequence(_) => "a list",
        YamlData::Value(Scalar::Null) => "nothing",
        YamlData::Value(Scalar::String(_)) => "text",
        YamlData::Value(Scalar::Integer(_) | Scalar::FloatingPoint(_)) => "a number",
        YamlData::Value(Scalar::Boolean(_)) => "a boolean",
        _ => "an unsupported YAML node",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(files: &[(GovernanceFile, &str)]) -> (Governance, Vec<String>) {
        let mut g = Governance::default();
        let mut d = Diagnostics::default();
        for (i, (which, text)) in files.iter().enumerate() {
            let name = match which {
                GovernanceFile::Projects => "projects.yaml",
                GovernanceFile::Legacy => "legacy.yaml",
                GovernanceFile::Sigs => "sigs-repos.yaml",
                GovernanceFile::TechnicalCommittee => "technical-committee-repos.yaml",
            };
            g.read_str(
                name,
                text,
                FileId(u32::try_from(i).unwrap()),
                *which,
                &mut d,
            );
        }
        (g, d.all().iter().map(ToString::to_string).collect())
    }

    const PROJECTS: &str = "\
Nova:
  ptl:
    name: Jane Doe
  deliverables:
    nova:
      repos:
        - openstack/nova
        - openstack/python-novaclient
  extra-atcs:
    - name: Ann Lee
      email: ann@example.org
      expires-in: Feb 2017
      comment: translator
Release Management:
  deliverables:
    releases:
      repos:
        - openstack/releases
  extra-acs:
    - name: Bo Chan
      email: bo@example.org
      expires-in: January 2016
";

    #[test]
    fn reads_teams_repos_and_both_extra_keys() {
        let (g, problems) = load(&[(GovernanceFile::Projects, PROJECTS)]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(g.teams.len(), 2);
        assert_eq!(g.teams[1].slug, "release-management");
        assert_eq!(g.repos["openstack/python-novaclient"].team, TeamIdx(0));
        assert_eq!(g.repos["openstack/nova"].origin.position, 7);
        assert_eq!(g.extra_atcs.len(), 2);
        assert_eq!(
            g.extra_atcs[0].expires_in,
            Month {
                year: 2017,
                month: 2
            }
        );
        assert_eq!(g.extra_atcs[1].key, "extra-acs");
        assert_eq!(g.extra_atcs[1].origin.position, 20);
    }

    #[test]
    fn legacy_partial_teams_and_retirement_dates() {
        let legacy = "\
Nova:
  partial: yes
  deliverables:
    nova-docker:
      repos:
        - openstack/nova-docker
      retired-on: 2016-02-17
Astara:
  retired-on: 2016-10-06
  deliverables:
    astara:
      repos:
        - openstack/astara
";
        let (g, problems) = load(&[
            (GovernanceFile::Projects, PROJECTS),
            (GovernanceFile::Legacy, legacy),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        let docker = &g.repos["openstack/nova-docker"];
        assert_eq!(
            g.team(docker.team).kind,
            TeamKind::Project,
            "partial team keeps its PTL roll"
        );
        assert_eq!(docker.retired_on, NaiveDate::from_ymd_opt(2016, 2, 17));
        let astara = &g.repos["openstack/astara"];
        assert_eq!(g.team(astara.team).kind, TeamKind::Retired);
        assert_eq!(astara.retired_on, NaiveDate::from_ymd_opt(2016, 10, 6));
    }

    #[test]
    fn sig_and_tc_repositories_with_extra_acs() {
        let sigs = "i18n:\n  - repo: openstack/i18n\n    extra-acs:\n    - name: Ann Lee\n      email: ann@example.org\n      expires-in: August 2025\n";
        let tc = "Technical Committee:\n  - repo: openstack/governance\n    extra_acs:\n      - name: Cy Dee\n        email: cy@example.org\n        expires-in: August 2026\n  - repo: openstack/election\n";
        let (g, problems) = load(&[
            (GovernanceFile::Sigs, sigs),
            (GovernanceFile::TechnicalCommittee, tc),
        ]);
        assert_eq!(
            problems,
            [
                "technical-committee-repos.yaml:3:5: key \"extra_acs\" is read as \"extra-acs\" (the reference tooling reads only this spelling for TC repositories, and the governance files use the other)"
            ]
        );
        assert_eq!(g.teams[0].kind, TeamKind::Sig);
        assert_eq!(g.teams[1].kind, TeamKind::TechnicalCommittee);
        assert_eq!(g.extra_atcs.len(), 2);
        assert_eq!(
            g.extra_atcs[1].repo.as_deref(),
            Some("openstack/governance")
        );
        assert!(g.repos.contains_key("openstack/election"));
    }

    #[test]
    fn problems_are_located() {
        let bad = "\
Nova:
  deliverable:
    nova:
      repos: [openstack/nova]
  extra-atcs:
    - name: Ann Lee
      email: ann-at-example.org
      expires-in: Febuary 2017
    - name: Bo Chan
Glance:
  deliverables:
    glance:
      repos:
        - openstack/nova
";
        let (_, problems) = load(&[(GovernanceFile::Projects, bad)]);
        assert_eq!(
            problems,
            [
                "projects.yaml:2:3: unknown key \"deliverable\" (did you mean \"deliverables\"?); ignored",
                "projects.yaml:8:19: field expires-in: \"Febuary 2017\" is not a month, expected a month and year such as \"February 2017\", \"Feb 2017\" or \"2017-02\"",
                "projects.yaml:9:7: extra-ATC entry is missing email, expires-in, expected name, email and expires-in",
            ]
        );
        let twice = format!(
            "{PROJECTS}Glance:\n  deliverables:\n    glance:\n      repos:\n        - openstack/nova\n"
        );
        let (g, problems) = load(&[(GovernanceFile::Projects, &twice)]);
        assert_eq!(
            problems,
            [
                "projects.yaml:27:11: repository \"openstack/nova\" is listed again (first under \"Nova\" at line 7); the first listing is used"
            ]
        );
        assert_eq!(g.repos["openstack/nova"].team, TeamIdx(0));
    }

    #[test]
    fn broken_yaml_and_empty_files() {
        let (_, problems) = load(&[(GovernanceFile::Projects, "Nova:\n  deliverables: [\n")]);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("projects.yaml:3:1: invalid YAML: "),
            "{problems:?}"
        );
        let (_, problems) = load(&[(GovernanceFile::Sigs, "\n")]);
        assert_eq!(
            problems,
            [
                "sigs-repos.yaml: file is empty, expected sigs-repos.yaml: a mapping of SIG names to lists of repositories"
            ]
        );
    }

    #[test]
    fn an_error_at_the_end_of_a_file_without_a_last_line_break_is_on_its_last_line() {
        // The parser put it on line 4 of this 3-line file (found by fuzzing).
        let (_, problems) = load(&[(GovernanceFile::Projects, "Nova:\n  ptl:\n  oj")]);
        assert_eq!(
            problems,
            ["projects.yaml:3:5: invalid YAML: simple key expected"]
        );
        let (_, problems) = load(&[(GovernanceFile::Projects, "Nova:\r  ptl:\r  oj\r")]);
        assert_eq!(
            problems,
            ["projects.yaml:4:1: invalid YAML: simple key expect ':'"]
        );
    }

    #[test]
    fn a_node_at_the_end_of_a_file_without_a_last_line_break_is_on_its_last_line() {
        // The parser put each on the line after the last (found by the governance fuzz
        // targets): an empty document after its start, an empty key (a `?` with nothing
        // after it), one after a lone carriage return, an empty value after a last
        // comment.
        let problems: Vec<String> = [
            (GovernanceFile::Projects, "---"),
            (GovernanceFile::Sigs, "?  "),
            (GovernanceFile::TechnicalCommittee, "?\r "),
            (GovernanceFile::Legacy, "# Retired teams\n? Nova\n# end"),
        ]
        .into_iter()
        .flat_map(|file| load(&[file]).1)
        .collect();
        assert_eq!(
            problems,
            [
                "projects.yaml:1:4: found nothing, expected projects.yaml: a mapping of team names to teams",
                "sigs-repos.yaml:1:4: found nothing as a key, expected a name",
                "technical-committee-repos.yaml:2:2: found nothing as a key, expected a name",
                "legacy.yaml:3:6: found nothing, expected a team mapping with deliverables",
            ]
        );
    }

    #[test]
    fn every_repeated_key_is_located() {
        let text = "Nova:\n  deliverables:\n    nova:\n      repos: [openstack/nova]\n    nova:\n      repos: [openstack/nova]\n  ptl: {name: A, name: B}\nGlance:\n  deliverables: {}\nNova:\n  deliverables: {}\n";
        let found: Vec<String> = duplicate_keys("legacy.yaml", text)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "legacy.yaml:5:5: key \"nova\" is repeated in its mapping (first at line 3); the last value is used, as PyYAML does",
                "legacy.yaml:7:18: key \"name\" is repeated in its mapping (first at line 7); the last value is used, as PyYAML does",
                "legacy.yaml:10:1: key \"Nova\" is repeated in its mapping (first at line 1); the last value is used, as PyYAML does",
            ]
        );
        let (_, problems) = load(&[(GovernanceFile::Projects, text)]);
        assert_eq!(
            problems
                .iter()
                .filter(|p| p.contains("is repeated"))
                .count(),
            3,
            "the reader reports them all: {problems:?}"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("OpenStack Charms"), "openstack-charms");
        assert_eq!(slug("I18n"), "i18n");
        assert_eq!(slug("Quality Assurance (QA)"), "quality-assurance-qa");
        assert_eq!(slug("???"), "team");
    }
}
