//! Progress on stderr for the long phases of a run (reading, identity, evaluation,
//! counting, writing), shown only when stderr is a terminal and the work is large enough
//! to be worth it. Every bar and spinner is sized from the work itself: the bytes the
//! readers announce, the people, policies and dates being evaluated, the files being
//! written; never from a guess or a second reading of the inputs.

use std::fmt::Display;
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::terminal::Terminal;
use crate::ingest::Progress;

/// Inputs smaller than this are read and evaluated in well under a second: no display.
const LARGE: u64 = 16 << 20;

/// The progress display of one run: a bar while the inputs are read, then a spinner or a
/// bar per phase. Silent unless stderr is a terminal and the inputs are [`LARGE`].
pub(super) struct Bar {
    enabled: bool,
    large: AtomicBool,
    reading: Mutex<Option<ProgressBar>>,
}

impl Bar {
    #[must_use]
    pub(super) fn new(terminal: &Terminal) -> Self {
        Self {
            enabled: terminal.progress,
            large: AtomicBool::new(false),
            reading: Mutex::new(None),
        }
    }

    /// Whether phases are shown: on a terminal, once large inputs were announced.
    fn showing(&self) -> bool {
        self.enabled && self.large.load(Ordering::Relaxed)
    }

    /// A file of `bytes` is about to be read through [`Bar::reader`].
    pub(super) fn start_reading(&self, bytes: u64) {
        self.start(bytes);
    }

    /// The file is read.
    pub(super) fn done_reading(&self) {
        self.finish();
    }

    /// Run a phase that has no steps to count, with a spinner saying what it works on.
    pub(super) fn phase<T>(&self, what: impl Display, work: impl FnOnce() -> T) -> T {
        if !self.showing() {
            return work();
        }
        let spinner = ProgressBar::new_spinner().with_message(what.to_string());
        spinner.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        spinner.enable_steady_tick(Duration::from_millis(100));
        let done = work();
        spinner.finish_and_clear();
        done
    }

    /// The identity phase every command that evaluates a policy starts with.
    pub(super) fn resolve_people(
        &self,
        election: &crate::model::Election,
        compat: crate::model::Compat,
    ) -> crate::identity::People {
        self.phase(
            format!(
                "identity: {} changes",
                thousands(election.changes.changes.len())
            ),
            || crate::identity::People::resolve(election, compat),
        )
    }

    /// A phase of `total` steps (policies, dates, files), with a bar.
    #[must_use]
    pub(super) fn steps(&self, what: impl Display, total: u64) -> Steps {
        if !self.showing() {
            return Steps(None);
        }
        let bar = ProgressBar::new(total).with_message(what.to_string());
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Steps(Some(bar))
    }

    /// A reader that moves the reading bar as bytes go through it (a ballot file).
    pub(super) fn reader<'a, R: Read + 'a>(&'a self, inner: R) -> impl Read + 'a {
        Counted {
            inner,
            progress: self,
        }
    }
}

/// Steps of a phase: [`Steps::step`] after each; the bar goes when this is dropped.
pub(super) struct Steps(Option<ProgressBar>);

impl Steps {
    pub(super) fn step(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
}

impl Drop for Steps {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.large.store(total >= LARGE, Ordering::Relaxed);
        if !self.showing() {
            return;
        }
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("reading {bar:40} {bytes}/{total_bytes} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        if let Ok(mut reading) = self.reading.lock() {
            *reading = Some(bar);
        }
    }

    fn advance(&self, bytes: u64) {
        if let Ok(reading) = self.reading.lock()
            && let Some(bar) = reading.as_ref()
        {
            bar.inc(bytes);
        }
    }

    fn finish(&self) {
        if let Ok(mut reading) = self.reading.lock()
            && let Some(bar) = reading.take()
        {
            bar.finish_and_clear();
        }
    }
}

/// Bytes read through it are reported to a [`Bar`].
struct Counted<'a, R> {
    inner: R,
    progress: &'a Bar,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// A count for a spinner's message: `1,000,000`.
#[must_use]
pub(super) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_with_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn nothing_is_shown_off_a_terminal_however_large() {
        let bar = Bar::new(&Terminal::default());
        bar.start(LARGE * 4);
        assert!(!bar.showing());
        assert_eq!(bar.phase("identity", || 7), 7);
        assert!(bar.steps("policies", 3).0.is_none());
    }

    #[test]
    fn a_terminal_shows_large_work_only() {
        let terminal = Terminal {
            progress: true,
            ..Terminal::default()
        };
        let bar = Bar::new(&terminal);
        bar.start(1024);
        assert!(!bar.showing());
        bar.start(LARGE);
        assert!(bar.showing());
        let mut read = Vec::new();
        bar.reader(&b"ballots"[..]).read_to_end(&mut read).unwrap();
        assert_eq!(read, b"ballots");
        bar.finish();
    }
}
