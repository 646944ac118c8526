//! Where the output lands, decided once per run: whether each stream is a terminal, the
//! user's `--color` and `NO_COLOR`, `TERM`, the locale and the width. The result is a
//! [`Style`] per stream that the renderers follow; nothing below `cli` looks at the
//! environment.
//!
//! - Colour: `--color always` or `never` decide; `auto` (the default) colours a terminal
//!   unless `NO_COLOR` is set to anything non-empty or `TERM=dumb`.
//! - Box drawing: on a terminal whose locale is UTF-8 (`LC_ALL`, else `LC_CTYPE`, else
//!   `LANG`) and whose `TERM` is not `dumb`; ASCII everywhere else. `--color always` asks
//!   for the terminal's look in a pipe too, box drawing included (if the locale is UTF-8).
//! - Width: `COLUMNS` when it is set to a number, else the terminal's width; a pipe gets
//!   unwrapped lines.
//! - Progress bars: only when standard error is a terminal that is not `dumb`.

use std::io::IsTerminal;

use clap::ValueEnum;

use crate::report::style::{Meaning, Style};

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set or TERM=dumb.
    #[default]
    Auto,
    /// Colour and the terminal's look even in a pipe.
    Always,
    /// No colour.
    Never,
}

/// What the environment says, read once (or made up by a test).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    pub stdout_terminal: bool,
    pub stderr_terminal: bool,
    /// `NO_COLOR` set to a non-empty value.
    pub no_color: bool,
    /// `TERM=dumb`.
    pub dumb: bool,
    /// The locale's character set is UTF-8.
    pub utf8: bool,
    /// `COLUMNS`, when it is a positive number.
    pub columns: Option<u16>,
    /// The width of the terminal standard output is, when it is one.
    pub terminal_width: Option<u16>,
}

impl Environment {
    /// The process's environment and streams.
    #[must_use]
    pub fn detect() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let stdout_terminal = std::io::stdout().is_terminal();
        let locale = var("LC_ALL")
            .or_else(|| var("LC_CTYPE"))
            .or_else(|| var("LANG"))
            .unwrap_or_default();
        Self {
            stdout_terminal,
            stderr_terminal: std::io::stderr().is_terminal(),
            no_color: var("NO_COLOR").is_some(),
            dumb: var("TERM").as_deref() == Some("dumb"),
            utf8: is_utf8_locale(&locale),
            columns: var("COLUMNS")
                .and_then(|c| c.trim().parse::<u16>().ok())
                .filter(|&c| c > 0),
            terminal_width: if stdout_terminal {
                terminal_size::terminal_size_of(std::io::stdout())
                    .map(|(terminal_size::Width(w), _)| w)
                    .filter(|&w| w > 0)
            } else {
                None
            },
        }
    }
}

/// Whether a locale name (`en_US.UTF-8`, `C.utf8`, `C`, `POSIX`, or macOS's bare `UTF-8`)
/// uses UTF-8.
#[must_use]
pub fn is_utf8_locale(locale: &str) -> bool {
    let charset = locale.split_once('.').map_or(locale, |(_, rest)| rest);
    let charset = charset.split('@').next().unwrap_or(charset);
    let charset = charset.to_ascii_lowercase().replace('-', "");
    charset == "utf8"
}

/// The look of each stream, and whether progress bars may be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    /// Standard output: tables, reports.
    pub out: Style,
    /// Standard error: errors and warnings.
    pub err: Style,
    /// Progress bars on standard error.
    pub progress: bool,
}

impl Terminal {
    /// Decide the look of both streams from `--color` and the environment.
    #[must_use]
    pub fn decide(choice: ColorChoice, env: &Environment) -> Self {
        let stream = |terminal: bool, width: Option<u16>| {
            let looks_like_terminal = match choice {
                ColorChoice::Always => true,
                ColorChoice::Never | ColorChoice::Auto => terminal,
            };
            Style {
                color: match choice {
                    ColorChoice::Always => true,
                    ColorChoice::Never => false,
                    ColorChoice::Auto => terminal && !env.no_color && !env.dumb,
                },
                unicode: looks_like_terminal && env.utf8 && !env.dumb,
                width,
            }
        };
        Self {
            out: stream(env.stdout_terminal, env.columns.or(env.terminal_width)),
            err: stream(env.stderr_terminal, None),
            progress: env.stderr_terminal && !env.dumb,
        }
    }

    /// The look of this process's streams.
    #[must_use]
    pub fn detect(choice: ColorChoice) -> Self {
        Self::decide(choice, &Environment::detect())
    }

    /// A line prefix for standard error (`error`, `warning`), coloured for its meaning.
    #[must_use]
    pub fn label(&self, label: &str) -> String {
        let meaning = match label {
            "warning" | "skipped" => Meaning::Warning,
            _ => Meaning::Bad,
        };
        self.err.paint(meaning, label)
    }
}

impl Default for Terminal {
    /// Pipes everywhere: plain output, no progress.
    fn default() -> Self {
        Self {
            out: Style::PLAIN,
            err: Style::PLAIN,
            progress: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terminal() -> Environment {
        Environment {
            stdout_terminal: true,
            stderr_terminal: true,
            utf8: true,
            terminal_width: Some(120),
            ..Environment::default()
        }
    }

    #[test]
    fn a_utf8_terminal_gets_colour_box_drawing_and_its_width() {
        let t = Terminal::decide(ColorChoice::Auto, &terminal());
        assert_eq!(
            t.out,
            Style {
                color: true,
                unicode: true,
                width: Some(120)
            }
        );
        assert!(t.err.color && t.progress);
    }

    #[test]
    fn a_pipe_is_plain_unless_asked() {
        let pipe = Environment {
            utf8: true,
            ..Environment::default()
        };
        let t = Terminal::decide(ColorChoice::Auto, &pipe);
        assert_eq!(t.out, Style::PLAIN);
        assert!(!t.progress);
        let asked = Terminal::decide(ColorChoice::Always, &pipe);
        assert!(asked.out.color && asked.out.unicode);
        assert_eq!(asked.out.width, None);
    }

    #[test]
    fn no_color_and_never_turn_colour_off_but_keep_the_borders() {
        let env = Environment {
            no_color: true,
            ..terminal()
        };
        let t = Terminal::decide(ColorChoice::Auto, &env);
        assert!(!t.out.color && !t.err.color && t.out.unicode);
        let t = Terminal::decide(ColorChoice::Never, &terminal());
        assert!(!t.out.color && t.out.unicode);
        // An explicit --color always wins over NO_COLOR, as no-color.org asks.
        assert!(Terminal::decide(ColorChoice::Always, &env).out.color);
    }

    #[test]
    fn a_dumb_terminal_or_a_c_locale_gets_ascii() {
        let dumb = Environment {
            dumb: true,
            ..terminal()
        };
        let t = Terminal::decide(ColorChoice::Auto, &dumb);
        assert!(!t.out.color && !t.out.unicode && !t.progress);
        let c_locale = Environment {
            utf8: false,
            ..terminal()
        };
        let t = Terminal::decide(ColorChoice::Auto, &c_locale);
        assert!(t.out.color && !t.out.unicode);
    }

    #[test]
    fn columns_sets_the_width_even_in_a_pipe() {
        let env = Environment {
            columns: Some(80),
            ..Environment::default()
        };
        assert_eq!(
            Terminal::decide(ColorChoice::Auto, &env).out.width,
            Some(80)
        );
        let env = Environment {
            columns: Some(80),
            ..terminal()
        };
        assert_eq!(
            Terminal::decide(ColorChoice::Auto, &env).out.width,
            Some(80)
        );
    }

    #[test]
    fn locales_are_read_by_their_character_set() {
        for utf8 in ["en_US.UTF-8", "C.utf8", "de_DE.utf-8@euro", "fr_FR.UTF8"] {
            assert!(is_utf8_locale(utf8), "{utf8}");
        }
        assert!(is_utf8_locale("UTF-8"), "macOS sets LC_CTYPE=UTF-8");
        for other in ["C", "POSIX", "", "en_US", "en_US.ISO-8859-1"] {
            assert!(!is_utf8_locale(other), "{other}");
        }
    }
}
