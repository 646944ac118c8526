//! How output for people looks where it lands: colour or none, box drawing or ASCII, and
//! the width to wrap tables to. The command line decides this once, from its flags and the
//! environment (`cli::terminal`); renderers only follow it. Scripts' formats (CSV, JSON,
//! Markdown) never look at it.

/// The look of one output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Colour for meaning (eligible or not, gained or lost, errors): ANSI escapes.
    pub color: bool,
    /// Box-drawing characters for table borders; ASCII when false.
    pub unicode: bool,
    /// Wrap tables to this many columns; `None` leaves lines as long as their content.
    pub width: Option<u16>,
}

/// What a piece of text means, for the colour it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Eligible, on a roll, gained, elected.
    Good,
    /// Not eligible, off a roll, lost, an error.
    Bad,
    /// A warning: read it, nothing failed.
    Warning,
}

impl Style {
    /// The look of a pipe or a file: no colour, ASCII borders, no wrapping.
    pub const PLAIN: Self = Self {
        color: false,
        unicode: false,
        width: None,
    };

    /// `text` coloured for its meaning when colour is on, else as it is.
    #[must_use]
    pub fn paint(&self, meaning: Meaning, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let color = match meaning {
            Meaning::Good => anstyle::AnsiColor::Green,
            Meaning::Bad => anstyle::AnsiColor::Red,
            Meaning::Warning => anstyle::AnsiColor::Yellow,
        };
        let style = anstyle::Style::new().fg_color(Some(color.into()));
        format!("{}{text}{}", style.render(), style.render_reset())
    }
}

impl Default for Style {
    fn default() -> Self {
        Self::PLAIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_colours_only_when_colour_is_on() {
        assert_eq!(Style::PLAIN.paint(Meaning::Bad, "off"), "off");
        let coloured = Style {
            color: true,
            ..Style::PLAIN
        };
        assert_eq!(coloured.paint(Meaning::Good, "on"), "\u{1b}[32mon\u{1b}[0m");
        assert_eq!(
            coloured.paint(Meaning::Bad, "off"),
            "\u{1b}[31moff\u{1b}[0m"
        );
        assert_eq!(
            coloured.paint(Meaning::Warning, "hm"),
            "\u{1b}[33mhm\u{1b}[0m"
        );
    }
}
