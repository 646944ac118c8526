//! Tables for people: the one place comfy-table is used. Every table the tool prints is
//! made here, so its look (borders, alignment, wrapping) is decided once, from the
//! [`Style`] the command line chose.

use std::ops::Range;

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use crate::report::style::Style;

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table with the tool's look in `style` and this header: box drawing or ASCII
/// borders, wrapped to the style's width when it has one. comfy-table never looks at the
/// terminal itself: the style already did.
pub fn new<I, T>(style: &Style, header: I) -> Table
where
    I: IntoIterator<Item = T>,
    T: Into<comfy_table::Cell>,
{
    let mut table = Table::new();
    table.load_style(if style.unicode {
        presets::UTF8_FULL_CONDENSED
    } else {
        presets::ASCII_MARKDOWN
    });
    table.force_no_tty();
    if style.color {
        table.enforce_styling();
    }
    if let Some(width) = style.width {
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
    }
    table.set_header(header);
    table
}

/// Align the cells of some columns.
pub fn align(table: &mut Table, columns: Range<usize>, how: Align) {
    let alignment = match how {
        Align::Left => CellAlignment::Left,
        Align::Right => CellAlignment::Right,
    };
    for i in columns {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(alignment);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(style: &Style) -> String {
        let mut t = new(style, ["policy", "title"]);
        t.add_row([
            "openstack",
            "OpenStack ATC as practised by the election tooling, with extra-ATCs and the stable branch roll",
        ]);
        t.to_string()
    }

    #[test]
    fn borders_are_ascii_unless_the_style_allows_box_drawing() {
        let plain = sample(&Style::PLAIN);
        assert!(plain.is_ascii(), "{plain}");
        let fancy = sample(&Style {
            unicode: true,
            ..Style::PLAIN
        });
        assert!(fancy.contains('│'), "{fancy}");
    }

    #[test]
    fn tables_wrap_to_the_width_and_not_without_one() {
        let wrapped = sample(&Style {
            width: Some(60),
            ..Style::PLAIN
        });
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 60),
            "{wrapped}"
        );
        assert!(
            wrapped.contains("tooling") && wrapped.contains("branch roll"),
            "{wrapped}"
        );
        let unwrapped = sample(&Style::PLAIN);
        assert!(unwrapped.lines().any(|l| l.chars().count() > 60));
    }
}
