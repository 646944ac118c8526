//! A tally result as tables for people (Markdown-style, so it pastes into a mailing
//! list or an issue) or as JSON for programs.
//!
//! The JSON is the [`TallyResult`] serialized as is: pretty-printed, keys in the
//! declaration order of the result types (stable), newline-terminated. Its shape is
//! documented in `docs/tally-internals.md`.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::report::style::{Meaning, Style};
use crate::tally::result::{
    Audit, CondorcetAudit, ExactVotes, PairwiseMatrix, Round, RoundsAudit, RunoffRound,
    StrengthMatrix, TallyResult, VoteCounts,
};
use crate::tally::tie::Tie;

/// The version of the JSON shape (`docs/schemas/tally.schema.json`): it changes when a
/// field is renamed, removed or changes meaning, not when one is added.
pub const JSON_VERSION: u32 = 1;

/// The JSON document: the version first, then the result's fields.
#[derive(serde::Serialize)]
struct Document<'a> {
    version: u32,
    #[serde(flatten)]
    result: &'a TallyResult,
}

/// Write the result as pretty JSON with a final newline: one object, `"version"` first.
///
/// # Errors
/// Writing failed.
pub fn write_json(result: &TallyResult, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: JSON_VERSION,
        result,
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// Write the ranking as CSV: a header, then one row per standing candidate in ranking
/// order (names sorted within a shared place), then the withdrawn candidates, who have
/// no place. Columns:
///
/// - `place`: 1 + the number of candidates ranked above (`1,2,2,4`), empty if withdrawn;
/// - `tier`: the tier's number, 1 for the best (`1,2,2,3`), empty if withdrawn;
/// - `candidate`;
/// - `winner`: `true` or `false`; `seat`: the seat taken (1-based), else empty;
/// - `affiliation`: empty without one;
/// - then the method's counts: `votes` (plurality, approval, cumulative), or
///   `round_1`, `round_2`, ... (IRV and STV: the candidate's votes in each round, as
///   the audit's tallies); none for the Condorcet methods, whose working is pairwise.
///
/// # Errors
/// Writing failed.
pub fn write_csv(result: &TallyResult, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    let counts = match &result.audit {
        Audit::FirstPreferences(counts)
        | Audit::Approvals(counts)
        | Audit::CumulativeVotes(counts) => Some(counts),
        Audit::Condorcet(_) | Audit::Rounds(_) => None,
    };
    let rounds = match &result.audit {
        Audit::Rounds(rounds) => rounds.rounds.as_slice(),
        _ => &[],
    };
    let mut header: Vec<String> = [
        "place",
        "tier",
        "candidate",
        "winner",
        "seat",
        "affiliation",
    ]
    .map(str::to_owned)
    .to_vec();
    if counts.is_some() {
        header.push("votes".to_owned());
    }
    header.extend(rounds.iter().map(|round| format!("round_{}", round.number)));
    writer.write_record(&header)?;

    // Lookups by name, so that a row costs the same whatever the number of candidates.
    let seats: HashMap<&str, usize> = (1..)
        .zip(&result.winners)
        .map(|(seat, winner)| (winner.as_str(), seat))
        .collect();
    let votes: HashMap<&str, u64> = counts
        .iter()
        .flat_map(|counts| &counts.counts)
        .map(|count| (count.candidate.as_str(), count.votes))
        .collect();
    let by_round: Vec<HashMap<&str, &ExactVotes>> = rounds
        .iter()
        .map(|round| {
            round
                .tallies
                .iter()
                .map(|tally| (tally.candidate.as_str(), &tally.votes))
                .collect()
        })
        .collect();
    let row = |candidate: &str, place: String, tier: String| -> Vec<String> {
        let seat = seats.get(candidate);
        let mut row = vec![
            place,
            tier,
            candidate.to_owned(),
            seat.is_some().to_string(),
            seat.map(ToString::to_string).unwrap_or_default(),
            result
                .affiliations
                .get(candidate)
                .cloned()
                .unwrap_or_default(),
        ];
        if counts.is_some() {
            row.push(
                votes
                    .get(candidate)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
        }
        row.extend(by_round.iter().map(|round| {
            round
                .get(candidate)
                .map(ToString::to_string)
                .unwrap_or_default()
        }));
        row
    };
    let mut place = 1usize;
    for (tier, names) in (1usize..).zip(&result.ranking) {
        for name in names {
            writer.write_record(row(name, place.to_string(), tier.to_string()))?;
        }
        place += names.len();
    }
    for name in &result.withdrawn {
        writer.write_record(row(name, String::new(), String::new()))?;
    }
    writer.flush()
}

/// Write the result as headed tables.
///
/// # Errors
/// Writing failed.
pub fn write_table(result: &TallyResult, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let width = style.width.map(usize::from);
    let ballots = &result.ballots;
    let title = ballots
        .title
        .as_deref()
        .map(|title| format!(" ({title})"))
        .unwrap_or_default();
    writeln!(
        out,
        "{} tally of {}{title}, read as {}: {} ballots counted, {} blank, {} seat{}",
        result.method,
        ballots.file,
        ballots.format,
        ballots.counted,
        ballots.blank,
        result.seats,
        if result.seats == 1 { "" } else { "s" }
    )?;
    writeln!(out)?;

    section(out, "Winners")?;
    if result.winners.is_empty() {
        writeln!(out, "none decided")?;
    } else {
        for (seat, winner) in result.winners.iter().enumerate() {
            writeln!(out, "{}. {}", seat + 1, style.paint(Meaning::Good, winner))?;
        }
    }
    if !result.decided {
        writeln!(
            out,
            "undecided: an unresolved tie stopped the count (see Ties); --tie-seed settles ties by a reproducible draw"
        )?;
    }
    let filled = u32::try_from(result.winners.len()).unwrap_or(u32::MAX);
    if result.decided && filled < result.seats {
        writeln!(
            out,
            "only {filled} of {} seats could be filled",
            result.seats
        )?;
    }
    writeln!(out)?;

    section(out, "Ranking")?;
    let mut ranking = wrapped(width, &["Place", "Candidate", "Elected"]);
    let mut place = 1usize;
    for tier in &result.ranking {
        let tied = if tier.len() > 1 { "=" } else { "" };
        for name in tier {
            let elected = result
                .winners
                .iter()
                .position(|winner| winner == name)
                .map(|seat| format!("seat {}", seat + 1))
                .or_else(|| {
                    result
                        .skipped
                        .iter()
                        .find(|skip| &skip.candidate == name)
                        .map(|skip| format!("skipped: {} at the cap", skip.affiliation))
                })
                .unwrap_or_default();
            ranking.add_row(vec![format!("{place}{tied}"), name.clone(), elected]);
        }
        place += tier.len();
    }
    writeln!(out, "{ranking}")?;
    writeln!(out)?;

    section(out, "Options")?;
    let options = serde_json::to_value(&result.options).map_err(io::Error::other)?;
    let mut table_of_options = wrapped(width, &["Option", "Value"]);
    if let serde_json::Value::Object(map) = options {
        for (key, value) in map {
            let value = match value {
                serde_json::Value::String(text) => text,
                serde_json::Value::Null => "none".to_owned(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|item| {
                        item.as_str()
                            .map_or_else(|| item.to_string(), str::to_owned)
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                other => other.to_string(),
            };
            table_of_options.add_row(vec![key, value]);
        }
    }
    writeln!(out, "{table_of_options}")?;

    if !result.withdrawn.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Withdrawn before the count: {}",
            result.withdrawn.join(", ")
        )?;
    }
    if !result.ties.is_empty() {
        writeln!(out)?;
        write_ties(out, &result.ties, width)?;
    }
    if !result.skipped.is_empty() {
        writeln!(out)?;
        section(out, "Skipped by --max-per-affiliation")?;
        let mut skipped = wrapped(width, &["Seat", "Candidate", "Affiliation"]);
        for skip in &result.skipped {
            skipped.add_row(vec![
                skip.seat.to_string(),
                skip.candidate.clone(),
                skip.affiliation.clone(),
            ]);
        }
        writeln!(out, "{skipped}")?;
    }
    if let Some(turnout) = &result.turnout {
        writeln!(out)?;
        writeln!(
            out,
            "Turnout: {} of {} voters on the roll ({}%)",
            turnout.voted, turnout.roll, turnout.percent
        )?;
    }
    if !result.rejected.is_empty() {
        writeln!(out)?;
        section(out, "Rejected ballots")?;
        let mut rejected = wrapped(width, &["Ballot", "Voter", "Reason", "Counted ballot"]);
        for ballot in &result.rejected {
            rejected.add_row(vec![
                ballot.origin.clone(),
                ballot.voter.clone().unwrap_or_default(),
                ballot.reason.code().to_owned(),
                ballot.counted_ballot.clone().unwrap_or_default(),
            ]);
        }
        writeln!(out, "{rejected}")?;
    }
    writeln!(out)?;
    write_audit(out, &result.audit, width)
}

/// Write the result as a Markdown page, a `results.md` to publish beside an election (as
/// Kubernetes does for its steering elections): the counts, the winners, the ranking,
/// the method's working (the pairwise matrix for the Condorcet methods, the rounds for
/// IRV, STV and Condorcet-IRV), the options and rules, and every tie with its draw, so
/// that anyone can check the draw's digests. Names are escaped so that no name can
/// change the page's structure.
///
/// # Errors
/// Writing failed.
pub fn write_markdown(result: &TallyResult, out: &mut dyn Write) -> io::Result<()> {
    let ballots = &result.ballots;
    let subject = ballots
        .title
        .as_deref()
        .map_or_else(|| inline(&ballots.file), inline);
    writeln!(out, "# Results: {subject}")?;
    writeln!(out)?;
    writeln!(out, "- Method: {}", result.method)?;
    writeln!(out, "- Seats: {}", result.seats)?;
    writeln!(
        out,
        "- Ballots counted: {} ({} blank), from {} read as {}",
        ballots.counted,
        ballots.blank,
        inline(&ballots.file),
        ballots.format
    )?;
    if ballots.rejected > 0 {
        writeln!(
            out,
            "- Ballots rejected by the roll check: {}",
            ballots.rejected
        )?;
    }
    if let Some(turnout) = &result.turnout {
        writeln!(
            out,
            "- Turnout: {} of {} voters on the roll ({}%)",
            turnout.voted, turnout.roll, turnout.percent
        )?;
    }
    if !result.withdrawn.is_empty() {
        writeln!(
            out,
            "- Withdrawn before the count: {}",
            names_inline(&result.withdrawn)
        )?;
    }
    writeln!(out)?;

    writeln!(out, "## Winners")?;
    writeln!(out)?;
    if result.winners.is_empty() {
        writeln!(out, "No seat was filled.")?;
    }
    for (seat, winner) in (1..).zip(&result.winners) {
        writeln!(out, "{seat}. {}", inline(winner))?;
    }
    if !result.decided {
        writeln!(out)?;
        writeln!(
            out,
            "**Undecided:** a tie that decides a seat is unresolved (see [Ties](#ties)); `--tie-seed` settles it by a draw anyone can repeat."
        )?;
    }
    if !result.skipped.is_empty() {
        writeln!(out)?;
        writeln!(out, "Passed over by `--max-per-affiliation`:")?;
        writeln!(out)?;
        for skip in &result.skipped {
            writeln!(
                out,
                "- {} ({}) for seat {}",
                inline(&skip.candidate),
                inline(&skip.affiliation),
                skip.seat
            )?;
        }
    }
    writeln!(out)?;

    writeln!(out, "## Ranking")?;
    writeln!(out)?;
    markdown_ranking(result, out)?;

    match &result.audit {
        Audit::Condorcet(audit) => {
            writeln!(out)?;
            writeln!(out, "## Pairwise preferences")?;
            writeln!(out)?;
            writeln!(
                out,
                "Each cell: the ballots ranking the row's candidate above the column's."
            )?;
            writeln!(out)?;
            let mut header = vec![String::new()];
            header.extend(audit.pairwise.candidates.iter().map(|name| cell(name)));
            let mut grid = Table::new(header);
            for (row, counts) in audit.pairwise.candidates.iter().zip(&audit.pairwise.cells) {
                let mut line = vec![cell(row)];
                for (column, count) in audit.pairwise.candidates.iter().zip(counts) {
                    line.push(if column == row {
                        "-".to_owned()
                    } else {
                        count.to_string()
                    });
                }
                grid.add_row(line);
            }
            writeln!(out, "{grid}")?;
            if !audit.rounds.is_empty() {
                writeln!(out)?;
                writeln!(out, "## Rounds")?;
                writeln!(out)?;
                for round in &audit.rounds {
                    writeln!(out, "{}. {}", round.number, inline(&round.note))?;
                }
            }
        }
        Audit::Rounds(audit) => {
            writeln!(out)?;
            markdown_rounds(audit, out)?;
        }
        Audit::FirstPreferences(_) | Audit::Approvals(_) | Audit::CumulativeVotes(_) => {}
    }

    writeln!(out)?;
    writeln!(out, "## Options")?;
    writeln!(out)?;
    let options = serde_json::to_value(&result.options).map_err(io::Error::other)?;
    if let serde_json::Value::Object(map) = options {
        // The choices first, then the rules they make.
        let (rules, choices): (Vec<_>, Vec<_>) =
            map.into_iter().partition(|(key, _)| key == "rules");
        for (key, value) in choices.into_iter().chain(rules) {
            match value {
                serde_json::Value::Array(items) => {
                    writeln!(out, "- `{key}`:")?;
                    for item in items {
                        let text = item
                            .as_str()
                            .map_or_else(|| item.to_string(), str::to_owned);
                        writeln!(out, "  - {}", inline(&text))?;
                    }
                }
                serde_json::Value::String(text) => writeln!(out, "- `{key}`: {}", inline(&text))?,
                serde_json::Value::Null => writeln!(out, "- `{key}`: none")?,
                other => writeln!(out, "- `{key}`: {other}")?,
            }
        }
    }

    if !result.ties.is_empty() {
        writeln!(out)?;
        markdown_ties(&result.ties, out)?;
    }
    if !result.rejected.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Rejected ballots")?;
        writeln!(out)?;
        let mut rejected = table(&["Ballot", "Voter", "Reason", "Counted ballot"]);
        for ballot in &result.rejected {
            rejected.add_row(vec![
                cell(&ballot.origin),
                ballot.voter.as_deref().map(cell).unwrap_or_default(),
                ballot.reason.code().to_owned(),
                ballot
                    .counted_ballot
                    .as_deref()
                    .map(cell)
                    .unwrap_or_default(),
            ]);
        }
        writeln!(out, "{rejected}")?;
    }
    Ok(())
}

/// The ranking as a table: place (`2=` when shared), candidate, affiliation when there
/// are any, the count for the methods that count votes, and the seat taken.
fn markdown_ranking(result: &TallyResult, out: &mut dyn Write) -> io::Result<()> {
    let counts = match &result.audit {
        Audit::FirstPreferences(counts)
        | Audit::Approvals(counts)
        | Audit::CumulativeVotes(counts) => Some(counts),
        Audit::Condorcet(_) | Audit::Rounds(_) => None,
    };
    let affiliations = !result.affiliations.is_empty();
    let mut header = vec!["Place", "Candidate"];
    if affiliations {
        header.push("Affiliation");
    }
    if counts.is_some() {
        header.push("Votes");
    }
    header.push("Elected");
    let mut ranking = table(&header);
    let seats: HashMap<&str, usize> = (1..)
        .zip(&result.winners)
        .map(|(seat, winner)| (winner.as_str(), seat))
        .collect();
    let votes: HashMap<&str, u64> = counts
        .iter()
        .flat_map(|counts| &counts.counts)
        .map(|count| (count.candidate.as_str(), count.votes))
        .collect();
    let mut place = 1usize;
    for tier in &result.ranking {
        let shared = if tier.len() > 1 { "=" } else { "" };
        for name in tier {
            let mut row = vec![format!("{place}{shared}"), cell(name)];
            if affiliations {
                row.push(
                    result
                        .affiliations
                        .get(name)
                        .map(|affiliation| cell(affiliation))
                        .unwrap_or_default(),
                );
            }
            if counts.is_some() {
                row.push(
                    votes
                        .get(name.as_str())
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                );
            }
            row.push(
                seats
                    .get(name.as_str())
                    .map(|seat| format!("seat {seat}"))
                    .unwrap_or_default(),
            );
            ranking.add_row(row);
        }
        place += tier.len();
    }
    writeln!(out, "{ranking}")
}

/// IRV and STV: every candidate's votes round by round (with the quota, the exhausted
/// votes and the votes lost to rounding), then what each round decided and moved.
fn markdown_rounds(audit: &RoundsAudit, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Rounds")?;
    writeln!(out)?;
    let mut header = vec!["Candidate".to_owned()];
    header.extend(
        audit
            .rounds
            .iter()
            .map(|round| format!("Round {}", round.number)),
    );
    let mut grid = Table::new(header);
    if audit.rounds.iter().any(|round| round.quota.is_some()) {
        let mut row = vec!["*Quota*".to_owned()];
        row.extend(audit.rounds.iter().map(|round| {
            round
                .quota
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        }));
        grid.add_row(row);
    }
    // Withdrawn candidates take no part (the page lists them at the top).
    let names = audit.standing();
    for name in names {
        let mut row = vec![cell(name)];
        row.extend(audit.rounds.iter().map(|round| {
            let votes = round
                .tallies
                .iter()
                .find(|tally| tally.candidate == name)
                .map(|tally| readable(&tally.votes))
                .unwrap_or_default();
            if round.elected.iter().any(|elected| elected == name) {
                format!("{votes} (elected)")
            } else if round.eliminated.iter().any(|excluded| excluded == name) {
                format!("{votes} (excluded)")
            } else {
                votes
            }
        }));
        grid.add_row(row);
    }
    let mut exhausted = vec!["*Exhausted*".to_owned()];
    exhausted.extend(audit.rounds.iter().map(|round| readable(&round.exhausted)));
    grid.add_row(exhausted);
    if audit
        .rounds
        .iter()
        .any(|round| round.lost_to_rounding.is_some())
    {
        let mut lost = vec!["*Lost to rounding*".to_owned()];
        lost.extend(audit.rounds.iter().map(|round| {
            round
                .lost_to_rounding
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        }));
        grid.add_row(lost);
    }
    writeln!(out, "{grid}")?;
    writeln!(out)?;
    for round in &audit.rounds {
        let mut said: Vec<String> = Vec::new();
        if !round.elected.is_empty() {
            said.push(format!("elected {}", names_inline(&round.elected)));
        }
        if !round.eliminated.is_empty() {
            said.push(format!("excluded {}", names_inline(&round.eliminated)));
        }
        if !round.transfers.is_empty() {
            let moved: Vec<String> = round
                .transfers
                .iter()
                .map(|transfer| {
                    format!(
                        "{} from {} to {}",
                        readable(&transfer.votes),
                        inline(&transfer.from),
                        transfer
                            .to
                            .as_deref()
                            .map_or_else(|| "the exhausted pile".to_owned(), inline)
                    )
                })
                .collect();
            said.push(format!("moved {}", moved.join(", ")));
        }
        if let Some(note) = &round.note {
            said.push(inline(note));
        }
        if said.is_empty() {
            said.push("nothing decided".to_owned());
        }
        writeln!(out, "{}. {}", round.number, said.join("; "))?;
    }
    Ok(())
}

/// Every tie, and for a drawn one the description and each candidate's digest, with the
/// command that recomputes a digest.
fn markdown_ties(ties: &[Tie], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Ties")?;
    for tie in ties {
        writeln!(out)?;
        writeln!(out, "### {}", inline(&tie.purpose))?;
        writeln!(out)?;
        writeln!(out, "Tied: {}.", names_inline(&tie.candidates))?;
        writeln!(out)?;
        match &tie.draw {
            None => writeln!(out, "Unresolved: no `--tie-seed` was given.")?,
            Some(draw) => {
                writeln!(
                    out,
                    "Settled by the draw seeded with {}, favoured first: {}.",
                    code(&draw.seed),
                    names_inline(&draw.order)
                )?;
                writeln!(out)?;
                writeln!(out, "Description: {}", code(&draw.description))?;
                writeln!(out)?;
                let mut digests = table(&["Candidate", "SHA-256 of seed, description, candidate"]);
                for digest in &draw.digests {
                    digests.add_row(vec![cell(&digest.candidate), digest.sha256.clone()]);
                }
                writeln!(out, "{digests}")?;
                writeln!(out)?;
                writeln!(
                    out,
                    "Each digest is `printf '%s\\n%s\\n%s' \"$SEED\" \"$DESCRIPTION\" \"$CANDIDATE\" | sha256sum`; the smallest is favoured."
                )?;
            }
        }
    }
    Ok(())
}

/// Text for a Markdown paragraph or list item: the characters Markdown would read as
/// markup are escaped, and line breaks become spaces.
fn inline(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                escaped.push('\\');
                escaped.push(character);
            }
            '\n' | '\r' => escaped.push(' '),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Text as a Markdown code span, shown exactly as it is (a seed, a draw's description):
/// fenced with one backtick more than the longest run of backticks inside it.
fn code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for character in text.chars() {
        run = if character == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!(
        "{fence}{pad}{}{pad}{fence}",
        text.replace(['\n', '\r'], " ")
    )
}

/// Text for a Markdown table cell (escaped like [`inline`], so `|` cannot end the cell).
fn cell(text: &str) -> String {
    inline(text)
}

/// Names joined with commas, each escaped.
fn names_inline(names: &[String]) -> String {
    names
        .iter()
        .map(|name| inline(name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn section(out: &mut dyn Write, heading: &str) -> io::Result<()> {
    writeln!(out, "{heading}")?;
    writeln!(out, "{}", "-".repeat(heading.chars().count()))
}

fn table(header: &[&str]) -> Table {
    Table::new(header.iter().map(|cell| (*cell).to_owned()).collect())
}

/// A table for the terminal: wrapped to `width` columns when there is one.
fn wrapped(width: Option<usize>, header: &[&str]) -> Table {
    table(header).wrapped(width)
}

/// A Markdown-style table: `| a | b |` rows under a `|---|---|` rule, each column as
/// wide as its widest line (in terminal columns, up to [`MAX_ALIGNED`]), a cell's lines
/// (`\n`) on lines of their own. Rendering is linear in the cells' length: a candidate
/// name of megabytes (which the readers refuse, but a library caller may build) makes
/// one long line, not a wrapped block, and pads nothing to its length (comfy-table, used
/// before, wrapped lines past 65,535 columns in time quadratic in their length and
/// padded every line of the column to it).
///
/// On a terminal a table may be given a width: the widest columns are then narrowed
/// until the table fits, and their cells wrapped at spaces (a word longer than its
/// column is cut), still in time linear in the cells' length.
#[derive(Debug, Clone)]
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    width: Option<usize>,
}

impl Table {
    fn new(header: Vec<String>) -> Self {
        Self {
            header,
            rows: Vec::new(),
            width: None,
        }
    }

    /// Fit the table into `width` terminal columns (when given).
    fn wrapped(mut self, width: Option<usize>) -> Self {
        self.width = width;
        self
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Each column's width: the widest line of its cells, header included, but at most
    /// [`MAX_ALIGNED`] (a longer line sticks out of its column instead of padding every
    /// other line of the column to its length); then, with a table width, narrowed to
    /// fit it (see [`fit`]).
    fn widths(&self) -> Vec<usize> {
        // comfy-table never drew a column narrower than one character.
        let mut widths = vec![1; self.header.len()];
        for row in std::iter::once(&self.header).chain(&self.rows) {
            for (width, cell) in widths.iter_mut().zip(row) {
                for line in cell.split('\n') {
                    *width = (*width).max(line.width());
                }
            }
        }
        for width in &mut widths {
            *width = (*width).min(MAX_ALIGNED);
        }
        match self.width {
            Some(total) => fit(&widths, total),
            None => widths,
        }
    }
}

/// The narrowest a column is made to fit a table's width, unless it is narrower.
const MIN_WRAPPED: usize = 8;

/// Column widths that fit a table of `total` terminal columns (`| a | b |`: three more
/// per column and one): columns narrower than an equal share keep their width, the
/// others share what is left equally, none narrower than [`MIN_WRAPPED`] (a table that
/// cannot fit even so sticks out).
fn fit(natural: &[usize], total: usize) -> Vec<usize> {
    let frame = 3 * natural.len() + 1;
    let mut room = total.saturating_sub(frame);
    if natural.iter().sum::<usize>() <= room {
        return natural.to_vec();
    }
    let mut widths = natural.to_vec();
    let mut open: Vec<usize> = (0..natural.len()).collect();
    // Settle the columns that fit in an equal share, until none does.
    loop {
        let share = room / open.len().max(1);
        let (fits, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&column| natural[column] <= share);
        if fits.is_empty() {
            let extra = room % open.len().max(1);
            for (i, &column) in wide.iter().enumerate() {
                let width = share + usize::from(i < extra);
                widths[column] = width.max(MIN_WRAPPED.min(natural[column]));
            }
            return widths;
        }
        for column in fits {
            room -= natural[column];
        }
        open = wide;
    }
}

/// A cell's lines wrapped to `width` terminal columns: at spaces where it can, inside a
/// word that is longer than the line.
fn wrap_cell(cell: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for text in cell.split('\n') {
        if text.width() <= width {
            lines.push(text.to_owned());
            continue;
        }
        let mut line = String::new();
        let mut used = 0;
        for word in text.split(' ') {
            let size = word.width();
            if used > 0 && used + 1 + size <= width {
                line.push(' ');
                line.push_str(word);
                used += 1 + size;
                continue;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            // The word starts a line; a word too long for any line is cut.
            for character in word.chars() {
                let size = unicode_width::UnicodeWidthChar::width(character).unwrap_or(0);
                if used + size > width && used > 0 {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(character);
                used += size;
            }
        }
        lines.push(line);
    }
    lines
}

/// The widest column a table aligns, in terminal columns: far wider than any real cell
/// (names are at most 200 characters, rule sentences about 300), so that only a
/// pathological cell sticks out, and the output stays linear in the cells' length.
const MAX_ALIGNED: usize = 1_000;

/// `count` times `fill`.
fn repeat(f: &mut fmt::Formatter<'_>, fill: char, count: usize) -> fmt::Result {
    (0..count).try_for_each(|_| f.write_char(fill))
}

impl fmt::Display for Table {
    /// No newline after the last line, so that `writeln!` ends the table.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let widths = self.widths();
        let wrap = self.width.is_some();
        let write_row = |f: &mut fmt::Formatter<'_>, row: &[String], first: bool| {
            let cells: Vec<Vec<String>> = if wrap {
                row.iter()
                    .zip(&widths)
                    .map(|(cell, width)| wrap_cell(cell, *width))
                    .collect()
            } else {
                row.iter()
                    .map(|cell| cell.split('\n').map(str::to_owned).collect())
                    .collect()
            };
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for number in 0..height {
                if !(first && number == 0) {
                    f.write_str("\n")?;
                }
                f.write_str("|")?;
                for (column, width) in widths.iter().enumerate() {
                    let line = cells
                        .get(column)
                        .and_then(|lines| lines.get(number))
                        .map_or("", String::as_str);
                    write!(f, " {line}")?;
                    repeat(f, ' ', width.saturating_sub(line.width()))?;
                    f.write_str(" |")?;
                }
            }
            Ok(())
        };
        write_row(f, &self.header, true)?;
        f.write_str("\n|")?;
        for width in &widths {
            repeat(f, '-', width + 2)?;
            f.write_str("|")?;
        }
        for row in &self.rows {
            write_row(f, row, false)?;
        }
        Ok(())
    }
}

fn write_ties(out: &mut dyn Write, ties: &[Tie], width: Option<usize>) -> io::Result<()> {
    section(out, "Ties")?;
    for tie in ties {
        match &tie.draw {
            None => writeln!(
                out,
                "{}: {} are tied; unresolved (no --tie-seed)",
                tie.purpose,
                tie.candidates.join(", ")
            )?,
            Some(draw) => {
                writeln!(
                    out,
                    "{}: settled by a draw seeded with {:?}, order {}",
                    tie.purpose,
                    draw.seed,
                    draw.order.join(", ")
                )?;
                writeln!(out, "description: {}", draw.description)?;
                let mut digests = wrapped(
                    width,
                    &["Candidate", "SHA-256 of seed\\ndescription\\ncandidate"],
                );
                for digest in &draw.digests {
                    digests.add_row(vec![digest.candidate.clone(), digest.sha256.clone()]);
                }
                writeln!(out, "{digests}")?;
            }
        }
    }
    Ok(())
}

fn write_audit(out: &mut dyn Write, audit: &Audit, width: Option<usize>) -> io::Result<()> {
    match audit {
        Audit::FirstPreferences(counts) => write_counts(out, "First preferences", counts, width),
        Audit::Approvals(counts) => write_counts(out, "Approvals", counts, width),
        Audit::CumulativeVotes(counts) => write_counts(out, "Votes", counts, width),
        Audit::Condorcet(condorcet) => write_condorcet(out, condorcet, width),
        Audit::Rounds(rounds) => write_rounds(out, rounds, width),
    }
}

fn write_counts(
    out: &mut dyn Write,
    heading: &str,
    counts: &VoteCounts,
    width: Option<usize>,
) -> io::Result<()> {
    section(out, heading)?;
    let mut table_of_counts = wrapped(width, &["Candidate", "Votes"]);
    for count in &counts.counts {
        table_of_counts.add_row(vec![count.candidate.clone(), count.votes.to_string()]);
    }
    writeln!(out, "{table_of_counts}")?;
    writeln!(out, "blank: {}, void: {}", counts.blank, counts.void)
}

fn write_condorcet(
    out: &mut dyn Write,
    audit: &CondorcetAudit,
    width: Option<usize>,
) -> io::Result<()> {
    if !audit.against_default.is_empty() {
        section(out, "Against the default option")?;
        let mut judged = wrapped(
            width,
            &["Option", "Prefer it", "Prefer the default", "Counted"],
        );
        for option in &audit.against_default {
            judged.add_row(vec![
                option.candidate.clone(),
                option.support.to_string(),
                option.opposition.to_string(),
                if option.dropped { "dropped" } else { "yes" }.to_owned(),
            ]);
        }
        writeln!(out, "{judged}")?;
        writeln!(out)?;
    }
    section(out, "Pairwise preferences (row over column)")?;
    writeln!(
        out,
        "each cell: ballots ranking the row's candidate above the column's"
    )?;
    write_matrix(out, &audit.pairwise, width)?;
    if let Some(paths) = &audit.strongest_paths {
        writeln!(out)?;
        section(out, "Strongest paths (row to column)")?;
        writeln!(
            out,
            "each cell: for:against of the weakest defeat on the strongest path; - no path"
        )?;
        write_strengths(out, paths, width)?;
    }
    if !audit.locks.is_empty() {
        writeln!(out)?;
        section(out, "Majorities in order")?;
        let mut locks = wrapped(width, &["Winner", "Loser", "For", "Against", "Locked"]);
        for lock in &audit.locks {
            locks.add_row(vec![
                lock.winner.clone(),
                lock.loser.clone(),
                lock.support.to_string(),
                lock.opposition.to_string(),
                if lock.locked {
                    "locked"
                } else {
                    "skipped: cycle"
                }
                .to_owned(),
            ]);
        }
        writeln!(out, "{locks}")?;
    }
    if !audit.worst_defeats.is_empty() {
        writeln!(out)?;
        section(out, "Strongest defeats")?;
        let mut defeats = wrapped(width, &["Candidate", "Defeated by", "For", "Against"]);
        for defeat in &audit.worst_defeats {
            match &defeat.by {
                Some(by) => defeats.add_row(vec![
                    defeat.candidate.clone(),
                    by.clone(),
                    defeat.support.to_string(),
                    defeat.opposition.to_string(),
                ]),
                None => defeats.add_row(vec![
                    defeat.candidate.clone(),
                    "nobody".to_owned(),
                    String::new(),
                    String::new(),
                ]),
            };
        }
        writeln!(out, "{defeats}")?;
    }
    if !audit.rounds.is_empty() {
        writeln!(out)?;
        write_runoff_rounds(out, &audit.rounds, width)?;
    }
    Ok(())
}

/// Condorcet-IRV's steps, one row each: the first places when they were counted, and
/// what the step decided.
fn write_runoff_rounds(
    out: &mut dyn Write,
    rounds: &[RunoffRound],
    width: Option<usize>,
) -> io::Result<()> {
    section(out, "Rounds")?;
    let mut steps = wrapped(
        width,
        &["Round", "Place", "First places", "Exhausted", "Outcome"],
    );
    for round in rounds {
        let first_places = if round.first_places.is_empty() {
            "not counted".to_owned()
        } else {
            round
                .first_places
                .iter()
                .map(|count| format!("{} {}", count.candidate, count.votes))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let outcome = round
            .note
            .strip_prefix(&format!("place {}: ", round.place))
            .unwrap_or(&round.note)
            .to_owned();
        steps.add_row(vec![
            round.number.to_string(),
            round.place.to_string(),
            first_places,
            round
                .exhausted
                .map_or_else(String::new, |exhausted| exhausted.to_string()),
            outcome,
        ]);
    }
    writeln!(out, "{steps}")
}

fn write_matrix(
    out: &mut dyn Write,
    matrix: &PairwiseMatrix,
    width: Option<usize>,
) -> io::Result<()> {
    let mut header = vec![String::new()];
    header.extend(matrix.candidates.iter().cloned());
    let mut grid = Table::new(header).wrapped(width);
    for (row, cells) in matrix.candidates.iter().zip(&matrix.cells) {
        let mut line = vec![row.clone()];
        for (column, cell) in cells.iter().enumerate() {
            line.push(if matrix.candidates.get(column) == Some(row) {
                "-".to_owned()
            } else {
                cell.to_string()
            });
        }
        grid.add_row(line);
    }
    writeln!(out, "{grid}")
}

fn write_strengths(
    out: &mut dyn Write,
    matrix: &StrengthMatrix,
    width: Option<usize>,
) -> io::Result<()> {
    let mut header = vec![String::new()];
    header.extend(matrix.candidates.iter().cloned());
    let mut grid = Table::new(header).wrapped(width);
    for (row, cells) in matrix.candidates.iter().zip(&matrix.cells) {
        let mut line = vec![row.clone()];
        line.extend(cells.iter().map(|cell| {
            cell.map_or_else(
                || "-".to_owned(),
                |strength| format!("{}:{}", strength.support, strength.opposition),
            )
        }));
        grid.add_row(line);
    }
    writeln!(out, "{grid}")
}

/// IRV and STV rounds: an overview (one line per round: quota, who was elected or
/// excluded, the exhausted votes), then each round in full: what it did, every
/// candidate's votes with the exhausted and lost votes under them (so each column adds
/// up to the votes counted), and the votes its decision moved.
fn write_rounds(out: &mut dyn Write, audit: &RoundsAudit, width: Option<usize>) -> io::Result<()> {
    if let Some(quota) = &audit.quota {
        writeln!(out, "Quota: {quota}")?;
        writeln!(out)?;
    }
    let lost = audit
        .rounds
        .iter()
        .any(|round| round.lost_to_rounding.is_some());
    section(out, "Rounds")?;
    let mut header = vec!["Round", "Quota", "Elected", "Excluded", "Exhausted"];
    if lost {
        header.push("Lost to rounding");
    }
    let mut overview = wrapped(width, &header);
    for round in &audit.rounds {
        let mut row = vec![
            round.number.to_string(),
            round
                .quota
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            round.elected.join(", "),
            round.eliminated.join(", "),
            readable(&round.exhausted),
        ];
        if lost {
            row.push(
                round
                    .lost_to_rounding
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
        }
        overview.add_row(row);
    }
    writeln!(out, "{overview}")?;
    for round in &audit.rounds {
        writeln!(out)?;
        write_count_round(out, round, width)?;
    }
    Ok(())
}

/// A vote total for people: as it is, except that an exact fraction (`p/q`, ERS97) gets
/// its value to 3 decimal places (truncated) in front, `≈5290.983 (916543164/173227)`.
fn readable(votes: &ExactVotes) -> String {
    let text = votes.as_str();
    let Some((numerator, denominator)) = text.split_once('/') else {
        return text.to_owned();
    };
    let (Ok(numerator), Ok(denominator)) = (
        numerator.parse::<num_bigint::BigInt>(),
        denominator.parse::<num_bigint::BigInt>(),
    ) else {
        return text.to_owned();
    };
    if denominator == num_bigint::BigInt::from(0) {
        return text.to_owned();
    }
    let thousandths = numerator * 1000 / denominator;
    let whole = &thousandths / 1000;
    let fraction = &thousandths % 1000;
    format!("≈{whole}.{fraction:0>3} ({text})")
}

fn write_count_round(out: &mut dyn Write, round: &Round, width: Option<usize>) -> io::Result<()> {
    section(out, &format!("Round {}", round.number))?;
    if let Some(note) = &round.note {
        writeln!(out, "{note}")?;
    }
    let keep_factors = round
        .tallies
        .iter()
        .any(|tally| tally.keep_factor.is_some());
    let mut header = vec!["Candidate", "Votes", "State"];
    if keep_factors {
        header.push("Keep factor");
    }
    let mut tallies = wrapped(width, &header);
    let blank_columns = if keep_factors { 2 } else { 1 };
    for tally in &round.tallies {
        let state = serde_json::to_value(tally.state)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default();
        let mut row = vec![tally.candidate.clone(), readable(&tally.votes), state];
        if keep_factors {
            row.push(
                tally
                    .keep_factor
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
        }
        tallies.add_row(row);
    }
    let mut pile = |label: &str, votes: String| {
        let mut row = vec![label.to_owned(), votes];
        row.extend(std::iter::repeat_n(String::new(), blank_columns));
        tallies.add_row(row);
    };
    pile("(exhausted)", readable(&round.exhausted));
    if let Some(lost) = &round.lost_to_rounding {
        pile("(lost to rounding)", lost.to_string());
    }
    writeln!(out, "{tallies}")?;
    if let Some(quota) = &round.quota {
        writeln!(out, "quota: {quota}")?;
    }
    if !round.elected.is_empty() {
        writeln!(out, "elected: {}", round.elected.join(", "))?;
    }
    if !round.eliminated.is_empty() {
        writeln!(out, "excluded: {}", round.eliminated.join(", "))?;
    }
    if !round.transfers.is_empty() {
        writeln!(out, "moved by this round's decision:")?;
        let mut transfers = wrapped(width, &["From", "To", "Votes"]);
        for transfer in &round.transfers {
            transfers.add_row(vec![
                transfer.from.clone(),
                transfer
                    .to
                    .clone()
                    .unwrap_or_else(|| "(exhausted)".to_owned()),
                readable(&transfer.votes),
            ]);
        }
        writeln!(out, "{transfers}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The table as comfy-table (this renderer's predecessor) draws it.
    fn by_comfy_table(header: &[String], rows: &[Vec<String>]) -> String {
        let mut table = comfy_table::Table::new();
        table
            .load_style(comfy_table::presets::ASCII_MARKDOWN)
            .force_no_tty();
        table.set_header(header.to_vec());
        for row in rows {
            table.add_row(row.clone());
        }
        table.to_string()
    }

    fn cell() -> impl Strategy<Value = String> {
        // Narrow, wide (CJK), combining and empty content, and line breaks.
        prop::collection::vec(
            prop::sample::select(vec!["a", "Zoë", "李", "e\u{301}", " ", "\n", "≈1.5", ""]),
            0..5,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn tables_read_as_comfy_table_drew_them(
            (header, rows) in (1usize..5).prop_flat_map(|columns| (
                prop::collection::vec(cell(), columns),
                prop::collection::vec(prop::collection::vec(cell(), columns), 0..5),
            ))
        ) {
            let mut table = Table::new(header.clone());
            for row in &rows {
                table.add_row(row.clone());
            }
            prop_assert_eq!(table.to_string(), by_comfy_table(&header, &rows));
        }
    }

    proptest! {
        #[test]
        fn wrapped_tables_fit_and_keep_every_word(
            (header, rows) in (1usize..5).prop_flat_map(|columns| (
                prop::collection::vec(words(), columns),
                prop::collection::vec(prop::collection::vec(words(), columns), 0..5),
            )),
            width in 20usize..120,
        ) {
            let mut table = Table::new(header.clone()).wrapped(Some(width));
            for row in &rows {
                table.add_row(row.clone());
            }
            let text = table.to_string();
            let columns = header.len();
            // Fits whenever every column can have its minimum.
            if 3 * columns + 1 + columns * MIN_WRAPPED <= width {
                for line in text.lines() {
                    prop_assert!(line.width() <= width, "{} > {width}:\n{text}", line.width());
                }
            }
            // Nothing is lost: every word is there, in order, once the lines are joined.
            let mut seen = String::new();
            for line in text.lines().filter(|l| !l.starts_with("|-")) {
                seen.push_str(&line.replace(['|', ' '], ""));
            }
            let mut expected = String::new();
            for row in std::iter::once(&header).chain(&rows) {
                for cell in row {
                    expected.push_str(&cell.replace([' ', '\n'], ""));
                }
            }
            prop_assert_eq!(
                sorted_chars(&seen),
                sorted_chars(&expected)
            );
        }
    }

    fn words() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "Zoë",
                "李李",
                "seat",
                "droop:",
                "floor(votes/(seats+1))",
                "+1",
                "a",
            ]),
            0..8,
        )
        .prop_map(|words| words.join(" "))
    }

    fn sorted_chars(text: &str) -> Vec<char> {
        let mut chars: Vec<char> = text.chars().collect();
        chars.sort_unstable();
        chars
    }

    #[test]
    fn columns_share_the_width_the_narrow_ones_first() {
        assert_eq!(fit(&[5, 100], 60), vec![5, 48]);
        assert_eq!(fit(&[40, 100, 3], 70), vec![29, 28, 3]);
        assert_eq!(fit(&[5, 6], 80), vec![5, 6]);
        assert_eq!(fit(&[30, 30], 10), vec![8, 8]);
        assert_eq!(
            wrap_cell("droop: floor(valid votes / (seats + 1)) + 1", 12),
            ["droop:", "floor(valid", "votes /", "(seats + 1))", "+ 1"]
                .map(str::to_owned)
                .to_vec()
        );
    }

    #[test]
    fn markdown_text_cannot_change_the_page() {
        assert_eq!(
            inline("Ann | *Bo* [x](y) <b>\nC_D #1 `e`"),
            "Ann \\| \\*Bo\\* \\[x\\](y) \\<b\\> C\\_D \\#1 \\`e\\`"
        );
        assert_eq!(code("seat 1 of 1: A, B"), "`seat 1 of 1: A, B`");
        assert_eq!(code("a `b` c"), "``a `b` c``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code(" "), "`   `");
    }

    #[test]
    fn a_name_of_megabytes_stays_on_one_line_in_linear_time() {
        // comfy-table wrapped lines wider than 65,535 columns, in time quadratic in
        // their length (a 20 MB name took 24 s and wrote 200 MB).
        let name = "N".repeat(4_000_000);
        let mut table = table(&["Place", "Candidate"]);
        table.add_row(vec!["1".to_owned(), name.clone()]);
        table.add_row(vec!["2".to_owned(), "Bo".to_owned()]);
        let started = std::time::Instant::now();
        let text = table.to_string();
        let elapsed = started.elapsed();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[2], format!("| 1     | {name} |"));
        assert_eq!(
            lines[3],
            format!("| 2     | Bo{} |", " ".repeat(MAX_ALIGNED - 2))
        );
        assert!(text.len() < name.len() + 4 * MAX_ALIGNED, "{}", text.len());
        // Generous for a debug build on a busy machine; the quadratic renderer took
        // minutes here.
        assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    }
}
