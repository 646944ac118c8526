//! A tally as a results page to publish: `index.html` with everything an observer needs
//! to follow the count (winners, ranking, the working, the options, every tie and its
//! draw, the ballot file's SHA-256), and the charts beside it as SVG files:
//!
//! - Condorcet methods: `pairwise.svg`, the pairwise matrix as a heat map (rows and
//!   columns in ranking order, so wins sit above the diagonal); Schulze also
//!   `strongest-paths.svg`;
//! - IRV and STV: `rounds.svg`, each candidate's votes round by round, with elections,
//!   exclusions, transfers and the quota marked;
//! - plurality, approval and cumulative voting: `votes.svg`, a bar per candidate.
//!
//! The page is self-contained: no script, no font or style sheet from elsewhere, and the
//! charts are inlined in it as well as written beside it. Every name is escaped.

use std::collections::HashMap;
use std::fmt::Write as _;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::chart::{Look, PALETTE, legend_entry};
use crate::tally::result::{
    Audit, CandidateState, CondorcetAudit, ExactVotes, PairwiseMatrix, RoundsAudit, StrengthMatrix,
    TallyResult, VoteCounts,
};

/// What the page shows: the result, and the digest of the ballot file it was counted from.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub result: &'a TallyResult,
    /// Lower-case hex SHA-256 of the ballot file's bytes.
    pub ballots_sha256: &'a str,
}

/// The files of the page, by name: `index.html` and its charts.
///
/// # Errors
/// A chart cannot be drawn.
pub fn files(page: &Page<'_>) -> Result<Vec<(String, Vec<u8>)>, String> {
    let charts = charts(page.result)?;
    let html = html(page, &charts);
    let mut files = vec![("index.html".to_owned(), html.into_bytes())];
    files.extend(
        charts
            .into_iter()
            .map(|chart| (chart.file.to_owned(), chart.svg.into_bytes())),
    );
    Ok(files)
}

/// One chart: its file name, heading, caption and SVG text.
struct Chart {
    file: &'static str,
    heading: &'static str,
    caption: String,
    svg: String,
}

fn charts(result: &TallyResult) -> Result<Vec<Chart>, String> {
    let order = ranking_order(result);
    let mut charts = Vec::new();
    match &result.audit {
        Audit::Condorcet(audit) => {
            charts.push(Chart {
                file: "pairwise.svg",
                heading: "Pairwise preferences",
                caption: "Each cell: the ballots ranking the row's candidate above the column's. \
                          Blue: the row's candidate wins the pair; orange: loses it; grey: a tie. \
                          The deeper the colour, the larger the majority."
                    .to_owned(),
                svg: pairwise_svg(&audit.pairwise, &order)?,
            });
            if let Some(paths) = &audit.strongest_paths {
                charts.push(Chart {
                    file: "strongest-paths.svg",
                    heading: "Strongest paths (Schulze)",
                    caption: "Each cell: for:against of the weakest majority on the strongest path \
                              from the row's candidate to the column's. Blue: the row's path is the \
                              stronger, so the row's candidate ranks above the column's."
                        .to_owned(),
                    svg: paths_svg(paths, &order, condorcet_strength_is_margin(result))?,
                });
            }
        }
        Audit::Rounds(audit) => charts.push(Chart {
            file: "rounds.svg",
            heading: "Rounds",
            caption:
                "Each candidate's votes at the end of each round. A ring marks an election, a \
                      cross an exclusion, a downward triangle votes transferred from the candidate \
                      that round; the dashed black line is the quota."
                    .to_owned(),
            svg: rounds_svg(audit)?,
        }),
        Audit::FirstPreferences(counts)
        | Audit::Approvals(counts)
        | Audit::CumulativeVotes(counts) => {
            charts.push(Chart {
                file: "votes.svg",
                heading: "Votes",
                caption: "Each candidate's votes; the winners' bars are green.".to_owned(),
                svg: votes_svg(counts, &result.winners)?,
            });
        }
    }
    Ok(charts)
}

/// Whether a Condorcet count measured majorities by margins.
fn condorcet_strength_is_margin(result: &TallyResult) -> bool {
    matches!(
        result.options.strength,
        Some(crate::tally::method::Strength::Margin)
    )
}

/// Candidates in ranking order (tiers as they are), then anyone else of the count.
fn ranking_order(result: &TallyResult) -> Vec<&str> {
    let mut order: Vec<&str> = result
        .ranking
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    for name in &result.candidates {
        if !order.contains(&name.as_str()) && !result.withdrawn.contains(name) {
            order.push(name);
        }
    }
    order
}

/// `name` shortened to `limit` characters, with an ellipsis when it was longer.
fn short(name: &str, limit: usize) -> String {
    if name.chars().count() <= limit {
        name.to_owned()
    } else {
        let mut cut: String = name.chars().take(limit.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

const LABEL_CHARS: usize = 28;

/// The comment every chart of a results page carries after its opening tag.
const CHART_MARK: &str = "<!-- electorate results chart -->";

/// Plotters' SVG with the mark after the opening tag and a final newline.
fn finish_svg(mut svg: String) -> String {
    svg.push('\n');
    if let Some(end) = svg.find('\n') {
        svg.insert_str(end + 1, &format!("{CHART_MARK}\n"));
    }
    svg
}

/// A heat-map cell: its text and how far it leans, from -1 (the row's candidate loses
/// everything) through 0 (a tie) to 1 (wins everything); `None` on the diagonal.
struct Heat {
    text: String,
    lean: Option<f64>,
}

fn mix(base: RGBColor, amount: f64) -> RGBColor {
    let channel = |c: u8| {
        let white = 255.0;
        let value = white + (f64::from(c) - white) * amount;
        // In 0..=255 by construction; the cast only drops the fraction.
        value.round().clamp(0.0, 255.0) as u8
    };
    RGBColor(channel(base.0), channel(base.1), channel(base.2))
}

/// A square grid of cells with the candidates numbered along the top and named down the
/// left, in `order`.
fn heat_map(
    title: &str,
    names: &[&str],
    cell: &dyn Fn(usize, usize) -> Heat,
) -> Result<String, String> {
    let n = names.len();
    let size: i32 = 56;
    let longest = names
        .iter()
        .map(|name| short(name, LABEL_CHARS).chars().count())
        .max()
        .unwrap_or(0);
    let left = 40 + 8 * i32::try_from(longest).unwrap_or(0);
    let top = 84;
    let count = i32::try_from(n).map_err(|_| "too many candidates to draw".to_owned())?;
    let width = u32::try_from((left + count * size + 24).max(420)).unwrap_or(420);
    let height = u32::try_from(top + count * size + 48).unwrap_or(200);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let font = |size: u32| ("sans-serif", size).into_font();
        root.draw(&Text::new(
            title.to_owned(),
            (16, 28),
            font(20).color(&BLACK),
        ))
        .map_err(|e| e.to_string())?;
        let centred = |size: u32, colour: RGBColor| {
            font(size)
                .color(&colour)
                .pos(Pos::new(HPos::Center, VPos::Center))
        };
        for (j, _) in names.iter().enumerate() {
            let x = left + i32::try_from(j).unwrap_or(0) * size + size / 2;
            root.draw(&Text::new(
                (j + 1).to_string(),
                (x, top - 14),
                centred(13, BLACK),
            ))
            .map_err(|e| e.to_string())?;
        }
        for (i, name) in names.iter().enumerate() {
            let y = top + i32::try_from(i).unwrap_or(0) * size;
            root.draw(&Text::new(
                format!("{}  {}", i + 1, short(name, LABEL_CHARS)),
                (left - 10, y + size / 2),
                font(14)
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
            for j in 0..n {
                let x = left + i32::try_from(j).unwrap_or(0) * size;
                let heat = cell(i, j);
                let fill = match heat.lean {
                    None => RGBColor(255, 255, 255),
                    Some(lean) if lean > 0.0 => mix(PALETTE[0], 0.2 + 0.8 * lean.min(1.0)),
                    Some(lean) if lean < 0.0 => mix(PALETTE[1], 0.2 + 0.8 * (-lean).min(1.0)),
                    Some(_) => RGBColor(221, 221, 221),
                };
                root.draw(&Rectangle::new(
                    [(x, y), (x + size, y + size)],
                    fill.filled(),
                ))
                .map_err(|e| e.to_string())?;
                root.draw(&Rectangle::new(
                    [(x, y), (x + size, y + size)],
                    RGBColor(255, 255, 255).stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
                let dark = heat.lean.is_some_and(|lean| lean.abs() > 0.45);
                let ink = if dark { WHITE } else { BLACK };
                root.draw(&Text::new(
                    heat.text,
                    (x + size / 2, y + size / 2),
                    centred(12, ink),
                ))
                .map_err(|e| e.to_string())?;
            }
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(finish_svg(svg))
}

/// Indexes of `order`'s names in a matrix's candidate list.
fn indexes(candidates: &[String], order: &[&str]) -> Vec<(usize, String)> {
    let at: HashMap<&str, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let mut out: Vec<(usize, String)> = order
        .iter()
        .filter_map(|name| at.get(name).map(|&i| (i, (*name).to_owned())))
        .collect();
    // Candidates of the matrix that the ranking does not place (a dropped default
    // option's rivals are still in the ranking; this is for completeness).
    for (i, name) in candidates.iter().enumerate() {
        if !out.iter().any(|(j, _)| *j == i) {
            out.push((i, name.clone()));
        }
    }
    out
}

fn pairwise_svg(matrix: &PairwiseMatrix, order: &[&str]) -> Result<String, String> {
    let rows = indexes(&matrix.candidates, order);
    let names: Vec<&str> = rows.iter().map(|(_, name)| name.as_str()).collect();
    let value = |i: usize, j: usize| {
        matrix
            .cells
            .get(i)
            .and_then(|row| row.get(j))
            .copied()
            .unwrap_or(0)
    };
    heat_map("Pairwise preferences (row over column)", &names, &|r, c| {
        let (i, j) = (rows[r].0, rows[c].0);
        if i == j {
            return Heat {
                text: "–".to_owned(),
                lean: None,
            };
        }
        let (ours, theirs) = (value(i, j), value(j, i));
        let total = ours + theirs;
        let lean = if total == 0 {
            0.0
        } else {
            (ours as f64 - theirs as f64) / total as f64
        };
        Heat {
            text: ours.to_string(),
            lean: Some(lean),
        }
    })
}

fn paths_svg(paths: &StrengthMatrix, order: &[&str], margin: bool) -> Result<String, String> {
    let rows = indexes(&paths.candidates, order);
    let names: Vec<&str> = rows.iter().map(|(_, name)| name.as_str()).collect();
    let strength = |i: usize, j: usize| {
        paths
            .cells
            .get(i)
            .and_then(|row| row.get(j))
            .copied()
            .flatten()
    };
    // How strong a path is, as one number to compare: winning votes first, fewer votes
    // against breaking ties; or the margin.
    let measure = |s: crate::tally::result::PathStrength| -> (i128, i128) {
        if margin {
            (i128::from(s.support) - i128::from(s.opposition), 0)
        } else {
            (i128::from(s.support), -i128::from(s.opposition))
        }
    };
    heat_map("Strongest paths (row to column)", &names, &|r, c| {
        let (i, j) = (rows[r].0, rows[c].0);
        if i == j {
            return Heat {
                text: "–".to_owned(),
                lean: None,
            };
        }
        match strength(i, j) {
            None => Heat {
                text: "no path".to_owned(),
                lean: Some(if strength(j, i).is_some() { -0.3 } else { 0.0 }),
            },
            Some(ours) => {
                let text = format!("{}:{}", ours.support, ours.opposition);
                let lean = match strength(j, i).map(measure) {
                    None => 0.7,
                    Some(theirs) => match measure(ours).cmp(&theirs) {
                        std::cmp::Ordering::Greater => 0.7,
                        std::cmp::Ordering::Less => -0.7,
                        std::cmp::Ordering::Equal => 0.0,
                    },
                };
                Heat {
                    text,
                    lean: Some(lean),
                }
            }
        }
    })
}

/// An exact vote total as a number to plot (`12.500`, `37/3`).
fn votes_value(votes: &ExactVotes) -> f64 {
    let text = votes.as_str();
    match text.split_once('/') {
        Some((numerator, denominator)) => {
            let numerator: f64 = numerator.parse().unwrap_or(0.0);
            let denominator: f64 = denominator.parse().unwrap_or(1.0);
            if denominator == 0.0 {
                0.0
            } else {
                numerator / denominator
            }
        }
        None => text.parse().unwrap_or(0.0),
    }
}

/// A downward triangle just above a point, in pixel offsets: votes leaving a candidate
/// (above, so that an exclusion's cross on the same point leaves it visible).
fn leaving(style: ShapeStyle) -> Polygon<(i32, i32)> {
    Polygon::new(vec![(-7, -22), (7, -22), (0, -10)], style)
}

fn rounds_svg(audit: &RoundsAudit) -> Result<String, String> {
    let rounds = &audit.rounds;
    if rounds.is_empty() {
        return Err("no rounds to chart".to_owned());
    }
    let names = audit.standing();
    let last = i32::try_from(rounds.len()).map_err(|_| "too many rounds".to_owned())?;
    let mut top: f64 = 1.0;
    for round in rounds {
        for tally in &round.tallies {
            top = top.max(votes_value(&tally.votes));
        }
        if let Some(quota) = &round.quota {
            top = top.max(votes_value(quota));
        }
    }
    let top = top * 1.12;
    let legend_rows = i32::try_from(names.len() + 5).unwrap_or(40);
    let height = u32::try_from((60 + 22 * legend_rows).max(540)).unwrap_or(540);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1040, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (plot, side) = root.split_horizontally(780);
        let mut chart = ChartBuilder::on(&plot)
            .caption("Votes by round", ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(0..last + 1, 0.0..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_labels(usize::try_from(last + 2).unwrap_or(2).min(30))
            .x_label_formatter(&|x| {
                if (1..=last).contains(x) {
                    x.to_string()
                } else {
                    String::new()
                }
            })
            .x_desc("round")
            .y_desc("votes")
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| e.to_string())?;

        // The quota, where the method has one.
        let quota: Vec<(i32, f64)> = (1..)
            .zip(rounds)
            .filter_map(|(x, round)| round.quota.as_ref().map(|q| (x, votes_value(q))))
            .collect();
        if !quota.is_empty() {
            chart
                .draw_series(DashedLineSeries::new(quota, 8, 6, BLACK.stroke_width(1)))
                .map_err(|e| e.to_string())?;
        }

        for (i, name) in names.iter().enumerate() {
            let look = Look::of(i);
            let style = ShapeStyle {
                color: PALETTE[i % PALETTE.len()].to_rgba(),
                filled: false,
                stroke_width: look.stroke,
            };
            // A candidate's line runs until the round that excludes them.
            let mut points: Vec<(i32, f64)> = Vec::new();
            let mut events: Vec<(i32, f64, Event)> = Vec::new();
            for (x, round) in (1..).zip(rounds) {
                let Some(tally) = round.tallies.iter().find(|t| t.candidate == *name) else {
                    continue;
                };
                let excluded_now = round.eliminated.iter().any(|e| e == name);
                if tally.state == CandidateState::Excluded && !excluded_now {
                    break;
                }
                let y = votes_value(&tally.votes);
                points.push((x, y));
                if round.elected.iter().any(|e| e == name) {
                    events.push((x, y, Event::Elected));
                }
                if excluded_now {
                    events.push((x, y, Event::Excluded));
                }
                if round.transfers.iter().any(|t| t.from == *name) {
                    events.push((x, y, Event::Transferred));
                }
            }
            match look.dash {
                Some((dash, gap)) => chart
                    .draw_series(DashedLineSeries::new(points.clone(), dash, gap, style))
                    .map_err(|e| e.to_string())?,
                None => chart
                    .draw_series(LineSeries::new(points.clone(), style))
                    .map_err(|e| e.to_string())?,
            };
            look.marker.draw_on(&mut chart, &points, style)?;
            for (x, y, event) in events {
                let ink = BLACK.stroke_width(2);
                match event {
                    Event::Elected => chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((x, y)) + Circle::new((0, 0), 10, ink),
                        ))
                        .map_err(|e| e.to_string())?,
                    Event::Excluded => chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((x, y)) + Cross::new((0, 0), 9, ink),
                        ))
                        .map_err(|e| e.to_string())?,
                    Event::Transferred => chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((x, y)) + leaving(ink.color.stroke_width(1)),
                        ))
                        .map_err(|e| e.to_string())?,
                };
            }
        }

        // The legend, beside the plot: a sample of each line, then the marks.
        let font = ("sans-serif", 14).into_font();
        let text_style = font.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
        let mut y = 60;
        for (i, name) in names.iter().enumerate() {
            legend_entry(&side, i, &short(name, LABEL_CHARS), y)?;
            y += 22;
        }
        y += 12;
        let ink = BLACK.stroke_width(2);
        side.draw(&(EmptyElement::at((24, y)) + Circle::new((0, 0), 10, ink)))
            .map_err(|e| e.to_string())?;
        side.draw(&Text::new("elected", (50, y), text_style.clone()))
            .map_err(|e| e.to_string())?;
        y += 24;
        side.draw(&(EmptyElement::at((24, y)) + Cross::new((0, 0), 8, ink)))
            .map_err(|e| e.to_string())?;
        side.draw(&Text::new("excluded", (50, y), text_style.clone()))
            .map_err(|e| e.to_string())?;
        y += 24;
        side.draw(&(EmptyElement::at((24, y)) + leaving(BLACK.stroke_width(1))))
            .map_err(|e| e.to_string())?;
        side.draw(&Text::new(
            "votes transferred from",
            (50, y),
            text_style.clone(),
        ))
        .map_err(|e| e.to_string())?;
        if rounds.iter().any(|round| round.quota.is_some()) {
            y += 24;
            side.draw(&DashedPathElement::new(
                vec![(8, y), (40, y)],
                8,
                6,
                BLACK.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
            side.draw(&Text::new("quota", (50, y), text_style))
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(finish_svg(svg))
}

#[derive(Debug, Clone, Copy)]
enum Event {
    Elected,
    Excluded,
    Transferred,
}

fn votes_svg(counts: &VoteCounts, winners: &[String]) -> Result<String, String> {
    let n = i32::try_from(counts.counts.len()).map_err(|_| "too many candidates".to_owned())?;
    let longest = counts
        .counts
        .iter()
        .map(|count| short(&count.candidate, LABEL_CHARS).chars().count())
        .max()
        .unwrap_or(0);
    let left = 24 + 8 * i32::try_from(longest).unwrap_or(0);
    let bar_room = 520;
    let row = 30;
    let top = 56;
    let most = counts
        .counts
        .iter()
        .map(|c| c.votes)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = u32::try_from(left + bar_room + 90).unwrap_or(800);
    let height = u32::try_from(top + n * row + 24).unwrap_or(200);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let font = |size: u32| ("sans-serif", size).into_font();
        root.draw(&Text::new("Votes", (16, 28), font(20).color(&BLACK)))
            .map_err(|e| e.to_string())?;
        for (i, count) in (0..).zip(&counts.counts) {
            let y = top + i * row;
            root.draw(&Text::new(
                short(&count.candidate, LABEL_CHARS),
                (left - 10, y + row / 2),
                font(14)
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
            let length = i32::try_from(
                u128::from(count.votes) * u128::from(bar_room.unsigned_abs()) / u128::from(most),
            )
            .unwrap_or(bar_room);
            let colour = if winners.contains(&count.candidate) {
                PALETTE[2]
            } else {
                RGBColor(160, 160, 160)
            };
            root.draw(&Rectangle::new(
                [(left, y + 4), (left + length.max(1), y + row - 4)],
                colour.filled(),
            ))
            .map_err(|e| e.to_string())?;
            root.draw(&Text::new(
                count.votes.to_string(),
                (left + length + 8, y + row / 2),
                font(13)
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(finish_svg(svg))
}

/// Text for HTML: `&`, `<`, `>` and quotes escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:68rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}\
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.25rem .6rem;text-align:left;vertical-align:top}\
td.n{text-align:right;font-variant-numeric:tabular-nums}.elected{color:#006b4f;font-weight:600}.excluded{color:#a33}\
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#444}\
code{font-size:.9em;word-break:break-all}dt{font-weight:600}dd{margin:0 0 .5rem 1.5rem}";

fn html(page: &Page<'_>, charts: &[Chart]) -> String {
    let result = page.result;
    let ballots = &result.ballots;
    let subject = ballots.title.as_deref().unwrap_or(&ballots.file);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Results: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        escape(subject)
    );
    let _ = writeln!(out, "<h1>Results: {}</h1>", escape(subject));
    let _ = writeln!(out, "<ul>");
    let _ = writeln!(
        out,
        "<li>Method: <strong>{}</strong>, {} seat{}</li>",
        escape(&result.method),
        result.seats,
        if result.seats == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        out,
        "<li>Ballots counted: {} ({} blank), from <code>{}</code> read as {}</li>",
        ballots.counted,
        ballots.blank,
        escape(&ballots.file),
        escape(&ballots.format)
    );
    let _ = writeln!(
        out,
        "<li>SHA-256 of the ballot file: <code>{}</code></li>",
        escape(page.ballots_sha256)
    );
    if ballots.rejected > 0 {
        let _ = writeln!(
            out,
            "<li>Ballots rejected by the roll check: {}</li>",
            ballots.rejected
        );
    }
    if let Some(turnout) = &result.turnout {
        let _ = writeln!(
            out,
            "<li>Turnout: {} of {} voters on the roll ({}%)</li>",
            turnout.voted,
            turnout.roll,
            escape(&turnout.percent)
        );
    }
    if !result.withdrawn.is_empty() {
        let _ = writeln!(
            out,
            "<li>Withdrawn before the count: {}</li>",
            names(&result.withdrawn)
        );
    }
    let _ = writeln!(out, "</ul>");

    let _ = writeln!(out, "<h2>Winners</h2>");
    if result.winners.is_empty() {
        let _ = writeln!(out, "<p>No seat was filled.</p>");
    } else {
        let _ = writeln!(out, "<ol>");
        for winner in &result.winners {
            let _ = writeln!(out, "<li class=\"elected\">{}</li>", escape(winner));
        }
        let _ = writeln!(out, "</ol>");
    }
    if !result.decided {
        let _ = writeln!(
            out,
            "<p><strong>Undecided:</strong> a tie that decides a seat is unresolved (see <a href=\"#ties\">Ties</a>); <code>--tie-seed</code> settles it by a draw anyone can repeat.</p>"
        );
    }
    for skip in &result.skipped {
        let _ = writeln!(
            out,
            "<p>{} ({}) was passed over for seat {} by <code>--max-per-affiliation</code>.</p>",
            escape(&skip.candidate),
            escape(&skip.affiliation),
            skip.seat
        );
    }

    ranking_table(result, &mut out);

    for chart in charts {
        let _ = writeln!(out, "<h2>{}</h2>", chart.heading);
        let inline = chart.svg.replacen(&format!("{CHART_MARK}\n"), "", 1);
        let _ = writeln!(
            out,
            "<figure>\n{}<figcaption>{} (<a href=\"{}\">{}</a>)</figcaption>\n</figure>",
            inline,
            escape(&chart.caption),
            chart.file,
            chart.file
        );
    }
    match &result.audit {
        Audit::Rounds(audit) => rounds_table(audit, &mut out),
        Audit::Condorcet(audit) => condorcet_tables(audit, &mut out),
        Audit::FirstPreferences(_) | Audit::Approvals(_) | Audit::CumulativeVotes(_) => {}
    }

    options(result, &mut out);
    ties(result, &mut out);
    if !result.rejected.is_empty() {
        let _ = writeln!(
            out,
            "<h2>Rejected ballots</h2>\n<table>\n<tr><th>Ballot</th><th>Voter</th><th>Reason</th><th>Counted ballot</th></tr>"
        );
        for ballot in &result.rejected {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&ballot.origin),
                escape(ballot.voter.as_deref().unwrap_or("")),
                ballot.reason.code(),
                escape(ballot.counted_ballot.as_deref().unwrap_or(""))
            );
        }
        let _ = writeln!(out, "</table>");
    }
    let _ = writeln!(
        out,
        "<hr>\n<p><small>Counted by electorate {}. The same ballots and options give the same page.</small></p>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn names(list: &[String]) -> String {
    list.iter()
        .map(|name| escape(name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ranking_table(result: &TallyResult, out: &mut String) {
    let counts = match &result.audit {
        Audit::FirstPreferences(counts)
        | Audit::Approvals(counts)
        | Audit::CumulativeVotes(counts) => Some(counts),
        Audit::Condorcet(_) | Audit::Rounds(_) => None,
    };
    let affiliations = !result.affiliations.is_empty();
    let _ = writeln!(out, "<h2>Ranking</h2>\n<table>");
    let _ = write!(out, "<tr><th>Place</th><th>Candidate</th>");
    if affiliations {
        let _ = write!(out, "<th>Affiliation</th>");
    }
    if counts.is_some() {
        let _ = write!(out, "<th>Votes</th>");
    }
    let _ = writeln!(out, "<th>Elected</th></tr>");
    let votes: HashMap<&str, u64> = counts
        .iter()
        .flat_map(|counts| &counts.counts)
        .map(|count| (count.candidate.as_str(), count.votes))
        .collect();
    let mut place = 1usize;
    for tier in &result.ranking {
        let shared = if tier.len() > 1 { "=" } else { "" };
        for name in tier {
            let seat = result.winners.iter().position(|winner| winner == name);
            let class = if seat.is_some() {
                " class=\"elected\""
            } else {
                ""
            };
            let _ = write!(
                out,
                "<tr><td class=\"n\">{place}{shared}</td><td{class}>{}</td>",
                escape(name)
            );
            if affiliations {
                let _ = write!(
                    out,
                    "<td>{}</td>",
                    escape(result.affiliations.get(name).map_or("", String::as_str))
                );
            }
            if counts.is_some() {
                let _ = write!(
                    out,
                    "<td class=\"n\">{}</td>",
                    votes
                        .get(name.as_str())
                        .map(ToString::to_string)
                        .unwrap_or_default()
                );
            }
            let _ = writeln!(
                out,
                "<td>{}</td></tr>",
                seat.map(|seat| format!("seat {}", seat + 1))
                    .unwrap_or_default()
            );
        }
        place += tier.len();
    }
    let _ = writeln!(out, "</table>");
}

fn rounds_table(audit: &RoundsAudit, out: &mut String) {
    let _ = writeln!(out, "<table>\n<tr><th>Candidate</th>");
    for round in &audit.rounds {
        let _ = write!(out, "<th>Round {}</th>", round.number);
    }
    let _ = writeln!(out, "</tr>");
    if audit.rounds.iter().any(|round| round.quota.is_some()) {
        let _ = write!(out, "<tr><td><em>Quota</em></td>");
        for round in &audit.rounds {
            let _ = write!(
                out,
                "<td class=\"n\">{}</td>",
                round
                    .quota
                    .as_ref()
                    .map(|q| escape(q.as_str()))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(out, "</tr>");
    }
    let names = audit.standing();
    for name in names {
        let _ = write!(out, "<tr><td>{}</td>", escape(name));
        for round in &audit.rounds {
            let votes = round
                .tallies
                .iter()
                .find(|tally| tally.candidate == name)
                .map(|tally| escape(tally.votes.as_str()))
                .unwrap_or_default();
            if round.elected.iter().any(|e| e == name) {
                let _ = write!(out, "<td class=\"n elected\">{votes} elected</td>");
            } else if round.eliminated.iter().any(|e| e == name) {
                let _ = write!(out, "<td class=\"n excluded\">{votes} excluded</td>");
            } else {
                let _ = write!(out, "<td class=\"n\">{votes}</td>");
            }
        }
        let _ = writeln!(out, "</tr>");
    }
    let _ = write!(out, "<tr><td><em>Exhausted</em></td>");
    for round in &audit.rounds {
        let _ = write!(
            out,
            "<td class=\"n\">{}</td>",
            escape(round.exhausted.as_str())
        );
    }
    let _ = writeln!(out, "</tr>\n</table>\n<ol>");
    for round in &audit.rounds {
        let mut said: Vec<String> = Vec::new();
        if !round.elected.is_empty() {
            said.push(format!("elected {}", names_list(&round.elected)));
        }
        if !round.eliminated.is_empty() {
            said.push(format!("excluded {}", names_list(&round.eliminated)));
        }
        for transfer in &round.transfers {
            said.push(format!(
                "moved {} from {} to {}",
                escape(transfer.votes.as_str()),
                escape(&transfer.from),
                transfer
                    .to
                    .as_deref()
                    .map_or_else(|| "the exhausted pile".to_owned(), escape)
            ));
        }
        if let Some(note) = &round.note {
            said.push(escape(note));
        }
        if said.is_empty() {
            said.push("nothing decided".to_owned());
        }
        let _ = writeln!(out, "<li>{}</li>", said.join("; "));
    }
    let _ = writeln!(out, "</ol>");
}

fn names_list(list: &[String]) -> String {
    names(list)
}

fn condorcet_tables(audit: &CondorcetAudit, out: &mut String) {
    if !audit.against_default.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Against the default option</h3>\n<table>\n<tr><th>Option</th><th>Prefer it</th><th>Prefer the default</th><th>Counted</th></tr>"
        );
        for option in &audit.against_default {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(&option.candidate),
                option.support,
                option.opposition,
                if option.dropped { "dropped" } else { "yes" }
            );
        }
        let _ = writeln!(out, "</table>");
    }
    if !audit.locks.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Majorities in order (ranked pairs)</h3>\n<table>\n<tr><th>Winner</th><th>Loser</th><th>For</th><th>Against</th><th>Locked</th></tr>"
        );
        for lock in &audit.locks {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(&lock.winner),
                escape(&lock.loser),
                lock.support,
                lock.opposition,
                if lock.locked {
                    "locked"
                } else {
                    "skipped: cycle"
                }
            );
        }
        let _ = writeln!(out, "</table>");
    }
    if !audit.worst_defeats.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Strongest defeats (minimax)</h3>\n<table>\n<tr><th>Candidate</th><th>Defeated by</th><th>For</th><th>Against</th></tr>"
        );
        for defeat in &audit.worst_defeats {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&defeat.candidate),
                defeat
                    .by
                    .as_deref()
                    .map_or_else(|| "nobody".to_owned(), escape),
                defeat.support,
                defeat.opposition
            );
        }
        let _ = writeln!(out, "</table>");
    }
    if !audit.rounds.is_empty() {
        let _ = writeln!(out, "<h3>Rounds (Condorcet-IRV)</h3>\n<ol>");
        for round in &audit.rounds {
            let _ = writeln!(out, "<li>{}</li>", escape(&round.note));
        }
        let _ = writeln!(out, "</ol>");
    }
}

fn options(result: &TallyResult, out: &mut String) {
    let _ = writeln!(out, "<h2>Options</h2>\n<dl>");
    if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(&result.options) {
        let (rules, choices): (Vec<_>, Vec<_>) =
            map.into_iter().partition(|(key, _)| key == "rules");
        for (key, value) in choices.into_iter().chain(rules) {
            let _ = writeln!(out, "<dt><code>{}</code></dt>", escape(&key));
            match value {
                serde_json::Value::Array(items) => {
                    let _ = writeln!(out, "<dd><ul>");
                    for item in items {
                        let text = item
                            .as_str()
                            .map_or_else(|| item.to_string(), str::to_owned);
                        let _ = writeln!(out, "<li>{}</li>", escape(&text));
                    }
                    let _ = writeln!(out, "</ul></dd>");
                }
                serde_json::Value::String(text) => {
                    let _ = writeln!(out, "<dd>{}</dd>", escape(&text));
                }
                serde_json::Value::Null => {
                    let _ = writeln!(out, "<dd>none</dd>");
                }
                other => {
                    let _ = writeln!(out, "<dd>{}</dd>", escape(&other.to_string()));
                }
            }
        }
    }
    let _ = writeln!(out, "</dl>");
}

fn ties(result: &TallyResult, out: &mut String) {
    if result.ties.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2 id=\"ties\">Ties</h2>");
    for tie in &result.ties {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<p>Tied: {}.</p>",
            escape(&tie.purpose),
            names(&tie.candidates)
        );
        match &tie.draw {
            None => {
                let _ = writeln!(
                    out,
                    "<p>Unresolved: no <code>--tie-seed</code> was given.</p>"
                );
            }
            Some(draw) => {
                let _ = writeln!(
                    out,
                    "<p>Settled by the draw seeded with <code>{}</code>, favoured first: {}.</p>\n<p>Description: <code>{}</code></p>\n<table>\n<tr><th>Candidate</th><th>SHA-256 of seed, description, candidate</th></tr>",
                    escape(&draw.seed),
                    names(&draw.order),
                    escape(&draw.description)
                );
                for digest in &draw.digests {
                    let _ = writeln!(
                        out,
                        "<tr><td>{}</td><td><code>{}</code></td></tr>",
                        escape(&digest.candidate),
                        escape(&digest.sha256)
                    );
                }
                let _ = writeln!(
                    out,
                    "</table>\n<p>Each digest is <code>printf '%s\\n%s\\n%s' \"$SEED\" \"$DESCRIPTION\" \"$CANDIDATE\" | sha256sum</code>; the smallest is favoured.</p>"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_change_the_page() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(short("Zofia Farouk", 28), "Zofia Farouk");
        assert_eq!(short("abcdef", 4), "abc…");
    }

    #[test]
    fn exact_votes_plot_as_numbers() {
        assert!((votes_value(&ExactVotes::whole(7)) - 7.0).abs() < 1e-9);
        assert!((votes_value(&ExactVotes::fixed_point(12_500, 3)) - 12.5).abs() < 1e-9);
        assert!((votes_value(&ExactVotes::ratio(74, 6).unwrap()) - 74.0 / 6.0).abs() < 1e-9);
    }
}
