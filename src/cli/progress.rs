//! A progress bar on stderr for long reads, shown only when stderr is a terminal and the
//! inputs are large enough to be worth one. The bar is sized from the work the readers
//! announce, never from a second reading of the election file.

use std::io::IsTerminal;
use std::sync::OnceLock;

use crate::ingest::Progress;

/// Inputs smaller than this read in well under a second: no bar.
const LARGE: u64 = 16 << 20;

/// A bar that appears when the readers announce a large total.
#[derive(Default)]
pub(super) struct Bar {
    bar: OnceLock<indicatif::ProgressBar>,
}

impl Bar {
    #[must_use]
    pub(super) fn new() -> Self {
        Self::default()
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        if total < LARGE || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "reading changes {bar:40} {bytes}/{total_bytes} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let _ = self.bar.set(bar);
    }

    fn advance(&self, bytes: u64) {
        if let Some(bar) = self.bar.get() {
            bar.inc(bytes);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
