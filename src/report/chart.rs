//! What the tool's charts share: a palette that survives print and most colour vision,
//! a dash pattern and a marker per series (so that series which coincide stay apart),
//! round axis tops. Charts are drawn with plotters' SVG backend; SVG text needs no fonts,
//! so a chart is byte-identical from run to run.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The colours of the chart's lines, distinguishable in print and for most colour vision.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(230, 159, 0),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// How a series is told apart beside its colour: a dash pattern, a marker and a width.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    /// Dash and gap lengths in pixels; `None` for a solid line.
    pub dash: Option<(u32, u32)>,
    pub marker: Marker,
    pub stroke: u32,
}

impl Look {
    #[must_use]
    pub fn of(series: usize) -> Self {
        const DASHES: [Option<(u32, u32)>; 4] = [None, Some((10, 5)), Some((3, 4)), Some((16, 4))];
        const MARKERS: [Marker; 4] = [
            Marker::Circle,
            Marker::Triangle,
            Marker::Cross,
            Marker::Square,
        ];
        Self {
            dash: DASHES[series % DASHES.len()],
            // Offset by one so the fifth series differs from the first in both.
            marker: MARKERS[(series + series / DASHES.len()) % MARKERS.len()],
            // Earlier series are drawn wider, so a later one on top leaves them showing.
            stroke: u32::try_from(6usize.saturating_sub(series).max(1)).unwrap_or(1),
        }
    }
}

/// The shape drawn at each point of a series.
#[derive(Debug, Clone, Copy)]
pub enum Marker {
    Circle,
    Triangle,
    Cross,
    Square,
}

impl Marker {
    /// The marker's outline for a series drawn in `style`.
    fn outline(style: ShapeStyle) -> ShapeStyle {
        ShapeStyle {
            stroke_width: 2,
            ..style
        }
    }

    /// Draw this marker at each point of a chart.
    ///
    /// # Errors
    /// Drawing failed.
    pub fn draw_on<X, Y>(
        self,
        chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<X, Y>>,
        points: &[(X::ValueType, Y::ValueType)],
        style: ShapeStyle,
    ) -> Result<(), String>
    where
        X: Ranged,
        Y: Ranged,
        X::ValueType: Clone,
        Y::ValueType: Clone,
    {
        let outline = Self::outline(style);
        let at = |point: &(X::ValueType, Y::ValueType)| EmptyElement::at(point.clone());
        match self {
            Self::Circle => chart
                .draw_series(
                    points
                        .iter()
                        .map(|p| at(p) + Circle::new((0, 0), 4, outline)),
                )
                .map(|_| ()),
            Self::Triangle => chart
                .draw_series(
                    points
                        .iter()
                        .map(|p| at(p) + TriangleMarker::new((0, 0), 5, style.filled())),
                )
                .map(|_| ()),
            Self::Cross => chart
                .draw_series(
                    points
                        .iter()
                        .map(|p| at(p) + Cross::new((0, 0), 4, outline)),
                )
                .map(|_| ()),
            Self::Square => chart
                .draw_series(
                    points
                        .iter()
                        .map(|p| at(p) + Rectangle::new([(-4, -4), (4, 4)], style.filled())),
                )
                .map(|_| ()),
        }
        .map_err(|e| e.to_string())
    }

    /// Draw this marker at a pixel of a drawing area (a legend).
    ///
    /// # Errors
    /// Drawing failed.
    pub fn draw_at(
        self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
        point: (i32, i32),
        style: ShapeStyle,
    ) -> Result<(), String> {
        let outline = Self::outline(style);
        let at = EmptyElement::at(point);
        match self {
            Self::Circle => area.draw(&(at + Circle::new((0, 0), 4, outline))),
            Self::Triangle => area.draw(&(at + TriangleMarker::new((0, 0), 5, style.filled()))),
            Self::Cross => area.draw(&(at + Cross::new((0, 0), 4, outline))),
            Self::Square => area.draw(&(at + Rectangle::new([(-4, -4), (4, 4)], style.filled()))),
        }
        .map_err(|e| e.to_string())
    }
}

/// A round number above `n` for the top of the y axis.
pub fn nice_ceiling(n: usize) -> usize {
    if n == 0 {
        return 10;
    }
    let mut step = 1;
    while step * 10 <= n {
        step *= 10;
    }
    n.div_ceil(step) * step + step.max(2) / 2
}

/// Draw one legend entry on `area` at height `y`: a sample of series `index`'s line (its
/// colour, dash and marker) and its label.
///
/// # Errors
/// Drawing failed.
pub fn legend_entry(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    index: usize,
    label: &str,
    y: i32,
) -> Result<(), String> {
    let look = Look::of(index);
    let style = ShapeStyle {
        color: PALETTE[index % PALETTE.len()].to_rgba(),
        filled: false,
        stroke_width: look.stroke,
    };
    let line = vec![(8, y), (40, y)];
    match look.dash {
        Some((dash, gap)) => area.draw(&DashedPathElement::new(line, dash, gap, style)),
        None => area.draw(&PathElement::new(line, style)),
    }
    .map_err(|e| e.to_string())?;
    look.marker.draw_at(area, (24, y), style)?;
    area.draw(&Text::new(
        label.to_owned(),
        (50, y),
        ("sans-serif", 14)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center)),
    ))
    .map_err(|e| e.to_string())
}
