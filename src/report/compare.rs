//! `compare` rendered: a table for people, a long-format CSV and JSON for scripts, and an
//! SVG chart of roll sizes over time (drawn with plotters; SVG text needs no fonts, so the
//! file is byte-identical from run to run).

use std::fmt::Write as _;
use std::io;

use comfy_table::Table;
use plotters::prelude::*;

use crate::report::chart::{Look, PALETTE, legend_entry, nice_ceiling};

use crate::report::style::{Meaning, Style};
use crate::report::table::{self as tables, Align};
use crate::roll::compare::{Comparison, Point, series};

/// How many gained or lost people the table lists per roll and policy before summarising.
const PEOPLE_SHOWN: usize = 20;
/// How many team rolls the table lists before summarising the rest.
const ROLLS_SHOWN: usize = 12;

/// The comparison for people to read.
///
/// # Errors
/// Writing failed.
pub fn write_table(
    comparison: &Comparison,
    style: &Style,
    writer: &mut dyn io::Write,
) -> io::Result<()> {
    let when = &comparison.as_of;
    let mut out = String::new();
    let base = comparison.policies.first().map_or("", String::as_str);
    let _ = writeln!(
        out,
        "Comparing {} at {when} (baseline: {base})",
        comparison.policies.join(", ")
    );

    let mut t = new_table(style);
    let mut header = vec!["roll".to_owned()];
    header.extend(comparison.policies.iter().cloned());
    t.set_header(header);
    // Rolls whose membership differs are always shown; identical team rolls are counted.
    let mut identical_team_rolls = 0;
    let mut shown_team_rolls = 0;
    for roll in &comparison.rolls {
        let differs = roll
            .against_first
            .iter()
            .any(|d| !d.gained.is_empty() || !d.lost.is_empty())
            || roll.voters.iter().any(Option::is_none);
        let is_team = roll.roll.starts_with("ptl-");
        if is_team && (!differs || shown_team_rolls >= ROLLS_SHOWN) {
            identical_team_rolls += 1;
            continue;
        }
        if is_team {
            shown_team_rolls += 1;
        }
        let mut row = vec![roll.roll.clone()];
        for (i, voters) in roll.voters.iter().enumerate() {
            let cell = match (
                voters,
                i.checked_sub(1).and_then(|d| roll.against_first.get(d)),
            ) {
                (None, _) => "-".to_owned(),
                (Some(n), None) => n.to_string(),
                (Some(n), Some(d)) if d.gained.is_empty() && d.lost.is_empty() => n.to_string(),
                (Some(n), Some(d)) => format!("{n} (+{} -{})", d.gained.len(), d.lost.len()),
            };
            row.push(cell);
        }
        t.add_row(row);
    }
    tables::align(&mut t, 1..comparison.policies.len() + 1, Align::Right);
    let _ = writeln!(out, "{t}");
    if identical_team_rolls > 0 {
        let _ = writeln!(
            out,
            "{identical_team_rolls} more team rolls not shown (identical, or beyond the first {ROLLS_SHOWN} that differ; see --format json)"
        );
    }

    for roll in &comparison.rolls {
        for difference in &roll.against_first {
            if difference.gained.is_empty() && difference.lost.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "\n{} under {}: {} gained, {} lost",
                roll.roll,
                difference.policy,
                difference.gained.len(),
                difference.lost.len()
            );
            for (sign, people) in [('+', &difference.gained), ('-', &difference.lost)] {
                for change in people.iter().take(PEOPLE_SHOWN) {
                    let who = match (&change.name, &change.email) {
                        (Some(name), Some(email)) => format!("{name} <{email}>"),
                        (None, Some(email)) => email.clone(),
                        (Some(name), None) => format!("{name} [{}]", change.person),
                        (None, None) => change.person.clone(),
                    };
                    let meaning = if sign == '+' {
                        Meaning::Good
                    } else {
                        Meaning::Bad
                    };
                    let _ = writeln!(
                        out,
                        "  {} {who}  ({})",
                        style.paint(meaning, &sign.to_string()),
                        change.reasons.join(", ")
                    );
                }
                if people.len() > PEOPLE_SHOWN {
                    let _ = writeln!(out, "  {sign} ... and {} more", people.len() - PEOPLE_SHOWN);
                }
            }
        }
    }

    let mut statuses = new_table(style);
    statuses.set_header(["policy", "status", "holders"]);
    for s in &comparison.statuses {
        statuses.add_row([s.policy.clone(), s.status.clone(), s.holders.to_string()]);
    }
    tables::align(&mut statuses, 2..3, Align::Right);
    let _ = writeln!(out, "\nstatus holders:\n{statuses}");

    let interesting: Vec<_> = comparison.overlaps.iter().filter(|o| o.both > 0).collect();
    if !interesting.is_empty() {
        let _ = writeln!(out, "\noverlap (people holding both):");
        let holders = |label: &str| {
            comparison
                .statuses
                .iter()
                .find(|s| format!("{}/{}", s.policy, s.status) == label)
                .map_or(0, |s| s.holders)
        };
        for o in interesting {
            let _ = writeln!(
                out,
                "  {} and {}: {} ({} of {} {} holders; {} of {} {} holders)",
                o.first,
                o.second,
                o.both,
                o.both,
                holders(&o.first),
                o.first,
                o.both,
                holders(&o.second),
                o.second
            );
        }
    }

    let mut criteria = new_table(style);
    criteria.set_header(["policy", "criterion", "people"]);
    for c in &comparison.criteria {
        criteria.add_row([c.policy.clone(), c.criterion.clone(), c.people.to_string()]);
    }
    tables::align(&mut criteria, 2..3, Align::Right);
    let _ = writeln!(out, "\npeople by criterion:\n{criteria}");
    writer.write_all(out.as_bytes())
}

fn new_table(style: &Style) -> Table {
    tables::new(style, Vec::<String>::new())
}

/// The comparison as one long CSV: `kind,policy,subject,person,name,email,value,reason`,
/// where `kind` is `voters`, `gained`, `lost`, `holders`, `overlap` or `criterion`.
///
/// # Errors
/// Writing failed.
pub fn write_csv(comparison: &Comparison, out: &mut dyn io::Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "kind", "policy", "subject", "person", "name", "email", "value", "reason",
    ])?;
    for roll in &comparison.rolls {
        for (policy, voters) in comparison.policies.iter().zip(&roll.voters) {
            if let Some(n) = voters {
                w.write_record(["voters", policy, &roll.roll, "", "", "", &n.to_string(), ""])?;
            }
        }
        for d in &roll.against_first {
            for (kind, people) in [("gained", &d.gained), ("lost", &d.lost)] {
                for c in people {
                    w.write_record([
                        kind,
                        &d.policy,
                        &roll.roll,
                        &c.person,
                        c.name.as_deref().unwrap_or(""),
                        c.email.as_deref().unwrap_or(""),
                        "",
                        &c.reasons.join(", "),
                    ])?;
                }
            }
        }
    }
    for s in &comparison.statuses {
        w.write_record([
            "holders",
            &s.policy,
            &s.status,
            "",
            "",
            "",
            &s.holders.to_string(),
            "",
        ])?;
    }
    for o in &comparison.overlaps {
        w.write_record([
            "overlap",
            "",
            &format!("{} & {}", o.first, o.second),
            "",
            "",
            "",
            &o.both.to_string(),
            "",
        ])?;
    }
    for c in &comparison.criteria {
        w.write_record([
            "criterion",
            &c.policy,
            &c.criterion,
            "",
            "",
            "",
            &c.people.to_string(),
            "",
        ])?;
    }
    w.flush()
}

/// Sizes over time as a table: one row per date, one column per policy and roll.
///
/// # Errors
/// Writing failed.
pub fn write_series_table(
    points: &[Point],
    style: &Style,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let all = series(points);
    let mut t = new_table(style);
    let mut header = vec!["date".to_owned()];
    header.extend(
        all.iter()
            .map(|((policy, roll), _)| format!("{roll} ({policy})")),
    );
    t.set_header(header);
    let dates: Vec<&str> = all
        .first()
        .map(|(_, values)| values.iter().map(|(d, _)| d.as_str()).collect())
        .unwrap_or_default();
    for (i, date) in dates.iter().enumerate() {
        let mut row = vec![(*date).to_owned()];
        row.extend(all.iter().map(|(_, values)| {
            values
                .get(i)
                .map_or_else(String::new, |(_, n)| n.to_string())
        }));
        t.add_row(row);
    }
    tables::align(&mut t, 1..all.len() + 1, Align::Right);
    writeln!(out, "{t}")
}

/// Sizes over time as CSV: `date,policy,roll,voters`.
///
/// # Errors
/// Writing failed.
pub fn write_series_csv(points: &[Point], out: &mut dyn io::Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["date", "policy", "roll", "voters"])?;
    for p in points {
        w.write_record([p.date.as_str(), &p.policy, &p.roll, &p.voters.to_string()])?;
    }
    w.flush()
}

/// The comment every chart carries after its opening tag, by which the tool recognises a
/// chart it wrote (and may replace).
pub const CHART_MARK: &str = "<!-- electorate what-if chart -->";

/// Whether a file is a chart the tool wrote.
#[must_use]
pub fn is_chart(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    head.windows(CHART_MARK.len())
        .any(|w| w == CHART_MARK.as_bytes())
}

/// A chart of roll sizes over time: its title and its points.
#[derive(Debug, Clone, Copy)]
pub struct Chart<'p> {
    pub title: &'p str,
    pub points: &'p [Point],
}

/// The chart as SVG.
///
/// # Errors
/// Writing failed, or the chart cannot be drawn (no points).
pub fn write_svg(chart: &Chart<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let svg = chart_svg(chart.points, chart.title).map_err(io::Error::other)?;
    out.write_all(svg.as_bytes())
}

/// Roll sizes over time as an SVG line chart, one line per policy and roll.
fn chart_svg(points: &[Point], title: &str) -> Result<String, String> {
    let all = series(points);
    let dates: Vec<String> = all
        .first()
        .map(|(_, v)| v.iter().map(|(d, _)| d.clone()).collect())
        .unwrap_or_default();
    if dates.is_empty() {
        return Err("no dates to chart".to_owned());
    }
    let max = all
        .iter()
        .flat_map(|(_, v)| v.iter().map(|(_, n)| *n))
        .max()
        .unwrap_or(0);
    let top = nice_ceiling(max);
    let mut svg = String::new();
    {
        let legend_height = 80 + 24 * u32::try_from(all.len()).unwrap_or(20);
        let root =
            SVGBackend::with_string(&mut svg, (1200, legend_height.max(540))).into_drawing_area();
        let draw = |e: DrawingAreaErrorKind<std::io::Error>| e.to_string();
        root.fill(&WHITE).map_err(draw)?;
        let (plot, side) = root.split_horizontally(900);
        let last = dates.len().saturating_sub(1);
        let mut chart = ChartBuilder::on(&plot)
            .caption(title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(56)
            .build_cartesian_2d(0..last.max(1), 0..top)
            .map_err(draw)?;
        let label_every = (dates.len() / 12).max(1);
        chart
            .configure_mesh()
            .x_labels(dates.len().min(13))
            .x_label_formatter(&|i| {
                if i % label_every == 0 {
                    dates.get(*i).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc("voters")
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(draw)?;
        // Series often coincide (a policy that changes nothing keeps the baseline's
        // numbers): each has its own dash pattern and marker as well as its colour, and
        // each is drawn narrower than the one before, so every one stays visible on top of
        // another.
        for (i, (_, values)) in all.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let look = Look::of(i);
            let style = ShapeStyle {
                color: colour.to_rgba(),
                filled: false,
                stroke_width: look.stroke,
            };
            let points: Vec<(usize, usize)> = values
                .iter()
                .enumerate()
                .map(|(x, (_, n))| (x, *n))
                .collect();
            match look.dash {
                Some((dash, gap)) => chart
                    .draw_series(DashedLineSeries::new(points.clone(), dash, gap, style))
                    .map_err(draw)?,
                None => chart
                    .draw_series(LineSeries::new(points.clone(), style))
                    .map_err(draw)?,
            };
            look.marker.draw_on(&mut chart, &points, style)?;
        }
        for (i, ((policy, roll), _)) in all.iter().enumerate() {
            let y = 60 + 24 * i32::try_from(i).unwrap_or(0);
            legend_entry(&side, i, &format!("{roll} ({policy})"), y)?;
        }
        root.present().map_err(draw)?;
    }
    svg.push('\n');
    if let Some(end) = svg.find('\n') {
        svg.insert_str(end + 1, &format!("{CHART_MARK}\n"));
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(date: &str, policy: &str, voters: usize) -> Point {
        Point {
            date: date.to_owned(),
            policy: policy.to_owned(),
            roll: "tc".to_owned(),
            voters,
        }
    }

    #[test]
    fn series_render_as_table_csv_and_svg() {
        let points = [
            point("2016-01-01", "a", 10),
            point("2016-01-01", "b", 12),
            point("2016-02-01", "a", 11),
            point("2016-02-01", "b", 15),
        ];
        let mut table = Vec::new();
        write_series_table(&points, &Style::PLAIN, &mut table).unwrap();
        let table = String::from_utf8(table).unwrap();
        assert!(
            table.contains("tc (a)") && table.contains("tc (b)"),
            "{table}"
        );
        let mut csv = Vec::new();
        write_series_csv(&points, &mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(
            csv,
            "date,policy,roll,voters\n2016-01-01,a,tc,10\n2016-01-01,b,tc,12\n2016-02-01,a,tc,11\n2016-02-01,b,tc,15\n"
        );
        let svg = chart_svg(&points, "tc").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(is_chart(svg.as_bytes()));
        assert!(svg.contains("tc (b)"));
        assert_eq!(svg, chart_svg(&points, "tc").unwrap(), "deterministic");
        assert!(chart_svg(&[], "x").is_err());
    }

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_ceiling(0), 10);
        assert_eq!(nice_ceiling(7), 8);
        assert_eq!(nice_ceiling(36), 45);
        assert_eq!(nice_ceiling(3517), 4500);
    }
}
