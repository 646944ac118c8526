//! `results`: a roll and a tally put together into the record officials publish, for each
//! election: candidates, winners, electorate, ballots cast, turnout, method and options,
//! the tie-break draws, and the SHA-256 of the roll and of the ballots. As YAML in the
//! shape of openstack/election's `doc/source/results/<release>/{tc,ptl}.yaml` (with the
//! record's details under each election's `election_statistics` entry), as JSON, and as
//! Markdown.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::RollFile;
use crate::roll::candidacy::{Poll, TreeCheck};
use crate::tally::TallyResult;
use crate::tally::result::Options;
use crate::tally::tie::Tie;

/// A file of the record, with its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digested {
    pub path: String,
    pub sha256: String,
}

/// A tally with the ballot file it counted.
#[derive(Debug, Clone)]
pub struct Counted {
    /// The roll it elects for (`tc`, `ptl-nova`).
    pub roll: String,
    pub ballots: Digested,
    pub result: TallyResult,
}

/// One candidate in the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub fullname: String,
    pub email: String,
    pub ircname: String,
    pub elected: bool,
}

/// One election in the record.
#[derive(Debug, Clone, Serialize)]
pub struct Election {
    pub roll: String,
    /// The project as the results file names it: the candidates tree's directory (`TC`,
    /// `Release_Management`), else the roll's name.
    pub project: String,
    pub team: Option<String>,
    /// `poll`, `no-poll` or `leaderless`.
    pub poll: &'static str,
    pub seats: u32,
    pub candidates: Vec<Candidate>,
    /// Elected, in seat order (names as the ballots give them, or the candidates').
    pub winners: Vec<String>,
    /// Voters on the roll.
    pub electorate: usize,
    /// Ballots counted, for a poll.
    pub ballots_cast: Option<u64>,
    /// `ballots_cast / electorate` as a percentage with two decimals, rounded half up.
    pub turnout: Option<String>,
    pub method: Option<String>,
    pub options: Option<Options>,
    /// False when a tie that decides a seat is unresolved.
    pub decided: bool,
    /// Every tie that decided something, with its draw when one was made.
    pub ties: Vec<Tie>,
    pub roll_file: Option<Digested>,
    pub ballots: Option<Digested>,
}

/// The record of a release's elections.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// The release (`newton`, `2026.2`).
    pub election: String,
    pub elections: Vec<Election>,
    /// Projects without an eligible candidate, sorted.
    pub leaderless: Vec<String>,
}

/// Why a record cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error(
        "no roll \"{roll}\" among the rolls given ({known}), expected the roll the ballots {ballots} were cast from"
    )]
    NoRoll {
        roll: String,
        ballots: String,
        known: String,
    },
    #[error(
        "election {roll} needs a poll ({candidates} eligible candidates for {seats} seat{}), but no ballots were given for it, expected {roll}=BALLOTS",
        plural_s(*.seats)
    )]
    NoBallots {
        roll: String,
        candidates: usize,
        seats: u32,
    },
    #[error(
        "candidate {candidate:?} of {ballots} matches no eligible candidacy of {roll} ({known}), expected a candidate's full name or address"
    )]
    UnknownCandidate {
        candidate: String,
        ballots: String,
        roll: String,
        known: String,
    },
}

/// `part / whole` as a percentage with two decimals, rounded half up.
fn percent(part: u64, whole: u64) -> Option<String> {
    if whole == 0 {
        return None;
    }
    let hundredths = (u128::from(part) * 20_000 + u128::from(whole)) / (2 * u128::from(whole));
    Some(format!("{}.{:02}", hundredths / 100, hundredths % 100))
}

fn project_of(roll: &str) -> String {
    if roll == "tc" {
        "TC".to_owned()
    } else {
        roll.to_owned()
    }
}

/// Put rolls, tallies and (when given) the checked candidates tree together, for the
/// elections whose roll `keep` accepts (tallies are all kept). With a tree,
/// its elections decide what is recorded: a poll needs its tally, an election with no
/// more eligible candidates than seats elects them all ("no poll required"), one without
/// any is leaderless. Without a tree, each tally is one election and its candidates are
/// the ballots'.
///
/// # Errors
/// A tally for a roll not given, a poll without ballots, or a ballot candidate matching
/// no eligible candidacy.
pub fn record(
    release: &str,
    rolls: &[RollFile],
    counted: &[Counted],
    tree: Option<&TreeCheck>,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Record, RecordError> {
    let roll_of = |name: &str| rolls.iter().find(|r| r.name == name);
    for c in counted {
        if roll_of(&c.roll).is_none() {
            return Err(RecordError::NoRoll {
                roll: c.roll.clone(),
                ballots: c.ballots.path.clone(),
                known: rolls
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    let mut elections = Vec::new();
    let mut leaderless = Vec::new();
    let from_tally =
        |c: &Counted, project: String, team: Option<String>, candidates: Vec<Candidate>| {
            let roll = roll_of(&c.roll);
            let electorate = roll.map_or(0, |r| r.addresses.len());
            let r = &c.result;
            Election {
                roll: c.roll.clone(),
                project,
                team,
                poll: "poll",
                seats: r.seats,
                candidates,
                winners: r.winners.clone(),
                electorate,
                ballots_cast: Some(r.ballots.counted),
                turnout: percent(r.ballots.counted, electorate as u64),
                method: Some(r.method.clone()),
                options: Some(r.options.clone()),
                decided: r.decided,
                ties: r.ties.clone(),
                roll_file: roll.map(|r| Digested {
                    path: r.path.clone(),
                    sha256: r.sha256.clone(),
                }),
                ballots: Some(c.ballots.clone()),
            }
        };
    match tree {
        None => {
            for c in counted {
                let candidates = c
                    .result
                    .candidates
                    .iter()
                    .filter(|name| !c.result.withdrawn.contains(name))
                    .map(|name| Candidate {
                        fullname: name.clone(),
                        email: if crate::model::is_plausible_email(name) {
                            name.clone()
                        } else {
                            String::new()
                        },
                        ircname: String::new(),
                        elected: c.result.winners.contains(name),
                    })
                    .collect();
                elections.push(from_tally(c, project_of(&c.roll), None, candidates));
            }
        }
        Some(tree) => {
            for e in tree.elections.iter().filter(|e| keep(&e.roll)) {
                let project = e.team_dir.clone().unwrap_or_else(|| project_of(&e.roll));
                if e.poll == Poll::Leaderless {
                    leaderless.push(project);
                    continue;
                }
                let eligible: Vec<Candidate> = e
                    .candidates
                    .iter()
                    .map(|address| {
                        let name = tree
                            .files
                            .iter()
                            .find(|f| f.roll.as_deref() == Some(&e.roll) && f.candidate == *address)
                            .and_then(|f| f.name.clone())
                            .unwrap_or_default();
                        Candidate {
                            fullname: name,
                            email: address.clone(),
                            ircname: String::new(),
                            elected: e.poll == Poll::NoPoll,
                        }
                    })
                    .collect();
                let tally = counted.iter().find(|c| c.roll == e.roll);
                match (e.poll, tally) {
                    (Poll::Poll, None) => {
                        return Err(RecordError::NoBallots {
                            roll: e.roll.clone(),
                            candidates: e.candidates.len(),
                            seats: e.seats,
                        });
                    }
                    (_, Some(c)) => {
                        let mut candidates = eligible.clone();
                        for name in &c.result.candidates {
                            if c.result.withdrawn.contains(name) {
                                continue;
                            }
                            let Some(found) = candidates.iter_mut().find(|k| {
                                k.email.eq_ignore_ascii_case(name)
                                    || k.fullname.to_lowercase() == name.to_lowercase()
                            }) else {
                                return Err(RecordError::UnknownCandidate {
                                    candidate: name.clone(),
                                    ballots: c.ballots.path.clone(),
                                    roll: e.roll.clone(),
                                    known: eligible
                                        .iter()
                                        .map(|k| format!("{} <{}>", k.fullname, k.email))
                                        .collect::<Vec<_>>()
                                        .join(", "),
                                });
                            };
                            found.elected = c.result.winners.contains(name);
                        }
                        elections.push(from_tally(c, project, e.team.clone(), candidates));
                    }
                    (_, None) => {
                        let roll = roll_of(&e.roll);
                        elections.push(Election {
                            roll: e.roll.clone(),
                            project,
                            team: e.team.clone(),
                            poll: "no-poll",
                            seats: e.seats,
                            winners: eligible.iter().map(|k| k.fullname.clone()).collect(),
                            candidates: eligible,
                            electorate: roll.map_or(0, |r| r.addresses.len()),
                            ballots_cast: None,
                            turnout: None,
                            method: None,
                            options: None,
                            decided: true,
                            ties: Vec::new(),
                            roll_file: roll.map(|r| Digested {
                                path: r.path.clone(),
                                sha256: r.sha256.clone(),
                            }),
                            ballots: None,
                        });
                    }
                }
            }
            for c in counted {
                if !tree.elections.iter().any(|e| e.roll == c.roll) {
                    let candidates = c
                        .result
                        .candidates
                        .iter()
                        .map(|name| Candidate {
                            fullname: name.clone(),
                            email: String::new(),
                            ircname: String::new(),
                            elected: c.result.winners.contains(name),
                        })
                        .collect();
                    elections.push(from_tally(c, project_of(&c.roll), None, candidates));
                }
            }
        }
    }
    elections.sort_by(|a, b| a.project.cmp(&b.project));
    leaderless.sort();
    Ok(Record {
        election: release.to_owned(),
        elections,
        leaderless,
    })
}

/// The record as openstack/election's results file: `candidates` (per project, each with
/// `elected`, `email`, `fullname`, `ircname`), `election`, `election_statistics` (per
/// polled project: `electorate` and `votes_cast`, then this record's details),
/// `elections_results` (per project: "no poll required", or how it was counted),
/// `leaderless` and `projects`; keys sorted as PyYAML writes them.
///
/// # Errors
/// Writing failed.
pub fn write_yaml(record: &Record, out: &mut dyn Write) -> io::Result<()> {
    let mut candidates = Map::new();
    let mut statistics = Vec::new();
    let mut results = Map::new();
    for e in &record.elections {
        let mut listed: Vec<&Candidate> = e.candidates.iter().collect();
        listed.sort_by(|a, b| (&a.email, &a.fullname).cmp(&(&b.email, &b.fullname)));
        candidates.insert(
            e.project.clone(),
            Value::Array(
                listed
                    .iter()
                    .map(|c| {
                        json!({
                            "elected": c.elected,
                            "email": c.email,
                            "fullname": c.fullname,
                            "ircname": c.ircname,
                        })
                    })
                    .collect(),
            ),
        );
        let outcome = match &e.method {
            None => "no poll required".to_owned(),
            Some(method) => format!(
                "counted by electorate: {method}, {} seat{}{}",
                e.seats,
                if e.seats == 1 { "" } else { "s" },
                if e.decided {
                    ""
                } else {
                    ", a deciding tie unresolved"
                }
            ),
        };
        results.insert(e.project.clone(), Value::String(outcome));
        if let Some(cast) = e.ballots_cast {
            let mut stats = Map::new();
            stats.insert("electorate".into(), json!(e.electorate));
            stats.insert("votes_cast".into(), json!(cast));
            if let Some(turnout) = &e.turnout {
                stats.insert("turnout".into(), json!(turnout));
            }
            stats.insert("method".into(), json!(e.method));
            stats.insert("seats".into(), json!(e.seats));
            stats.insert("winners".into(), json!(e.winners));
            if let Some(options) = &e.options {
                stats.insert(
                    "options".into(),
                    serde_json::to_value(options).unwrap_or(Value::Null),
                );
            }
            if !e.ties.is_empty() {
                stats.insert(
                    "ties".into(),
                    serde_json::to_value(&e.ties).unwrap_or(Value::Null),
                );
            }
            if let Some(roll) = &e.roll_file {
                stats.insert("roll".into(), json!(roll.path));
                stats.insert("roll_sha256".into(), json!(roll.sha256));
            }
            if let Some(ballots) = &e.ballots {
                stats.insert("ballots".into(), json!(ballots.path));
                stats.insert("ballots_sha256".into(), json!(ballots.sha256));
            }
            statistics.push(json!({ e.project.clone(): Value::Object(stats) }));
        }
    }
    let mut projects: Vec<&str> = record
        .elections
        .iter()
        .map(|e| e.project.as_str())
        .chain(record.leaderless.iter().map(String::as_str))
        .collect();
    projects.sort_unstable();
    let mut doc = Map::new();
    doc.insert("candidates".into(), Value::Object(candidates));
    doc.insert("election".into(), json!(record.election));
    if !statistics.is_empty() {
        doc.insert("election_statistics".into(), Value::Array(statistics));
    }
    doc.insert("elections_results".into(), Value::Object(results));
    if !record.leaderless.is_empty() {
        doc.insert("leaderless".into(), json!(record.leaderless));
    }
    doc.insert("projects".into(), json!(projects));
    out.write_all(crate::report::yaml::document(&Value::Object(doc)).as_bytes())
}

/// The record as JSON.
///
/// # Errors
/// Writing failed.
pub fn write_json(record: &Record, out: &mut dyn Write) -> io::Result<()> {
    crate::report::json::write(record, out)
}

/// Cell text that cannot break a Markdown table or add markup.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

/// A results page: per election, its outcome, the figures and digests, and the
/// candidates; then the leaderless projects.
///
/// # Errors
/// Writing failed.
pub fn write_markdown(record: &Record, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Election results: {}", md(&record.election))?;
    for e in &record.elections {
        writeln!(out)?;
        match &e.team {
            Some(team) => writeln!(out, "## {} ({})", md(team), md(&e.roll))?,
            None => writeln!(out, "## {}", md(&e.roll))?,
        }
        writeln!(out)?;
        let seats = format!("{} seat{}", e.seats, if e.seats == 1 { "" } else { "s" });
        match (&e.method, e.ballots_cast) {
            (Some(method), Some(cast)) => {
                writeln!(out, "- Counted with {}, {seats}", md(method))?;
                writeln!(
                    out,
                    "- Electorate {}, ballots cast {cast}{}",
                    e.electorate,
                    e.turnout
                        .as_deref()
                        .map(|t| format!(", turnout {t}%"))
                        .unwrap_or_default()
                )?;
                if let Some(options) = &e.options {
                    let seed = options
                        .tie_seed
                        .as_deref()
                        .map(|s| format!(", seed \"{}\"", md(s)))
                        .unwrap_or_default();
                    let tie_break = match options.tie_break {
                        crate::tally::result::TieBreak::Report => "ties reported",
                        crate::tally::result::TieBreak::SeededDraw => {
                            "ties settled by a seeded draw"
                        }
                    };
                    writeln!(out, "- Options: {tie_break}{seed}")?;
                }
            }
            _ => writeln!(
                out,
                "- No poll required: {} eligible candidate{} for {seats}",
                e.candidates.len(),
                if e.candidates.len() == 1 { "" } else { "s" }
            )?,
        }
        if let Some(roll) = &e.roll_file {
            writeln!(out, "- Roll `{}`, sha256 `{}`", md(&roll.path), roll.sha256)?;
        }
        if let Some(ballots) = &e.ballots {
            writeln!(
                out,
                "- Ballots `{}`, sha256 `{}`",
                md(&ballots.path),
                ballots.sha256
            )?;
        }
        if !e.decided {
            writeln!(
                out,
                "- **Undecided**: a tie that decides a seat is unresolved"
            )?;
        }
        writeln!(out)?;
        writeln!(out, "| candidate | address | elected |")?;
        writeln!(out, "|---|---|---|")?;
        for c in &e.candidates {
            writeln!(
                out,
                "| {} | {} | {} |",
                md(&c.fullname),
                md(&c.email),
                if c.elected { "yes" } else { "no" }
            )?;
        }
        for tie in &e.ties {
            writeln!(out)?;
            match &tie.draw {
                Some(draw) => {
                    writeln!(
                        out,
                        "Tie for {}: {}, settled by a draw with seed \"{}\" and description \"{}\"; the order drawn: {}",
                        md(&tie.purpose),
                        md(&tie.candidates.join(", ")),
                        md(&draw.seed),
                        md(&draw.description),
                        md(&draw.order.join(", "))
                    )?;
                    for digest in &draw.digests {
                        writeln!(out, "- {}: `{}`", md(&digest.candidate), digest.sha256)?;
                    }
                }
                None => writeln!(
                    out,
                    "Tie for {}: {}, unresolved",
                    md(&tie.purpose),
                    md(&tie.candidates.join(", "))
                )?,
            }
        }
    }
    if !record.leaderless.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Leaderless")?;
        writeln!(out)?;
        for project in &record.leaderless {
            writeln!(out, "- {}", md(project))?;
        }
    }
    Ok(())
}

/// `s` unless there is exactly one.
fn plural_s(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}
