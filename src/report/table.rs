//! Tables for people: the one place comfy-table is used. Every table the tool prints is
//! made here, so its look (borders, alignment) is decided once.

use std::ops::Range;

use comfy_table::{CellAlignment, Table, presets};

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table with the tool's look and this header.
pub fn new<I, T>(header: I) -> Table
where
    I: IntoIterator<Item = T>,
    T: Into<comfy_table::Cell>,
{
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
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
