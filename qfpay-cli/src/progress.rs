//! The progress line of `qfpay transactions` (records and pages so far) on
//! standard error when it is a terminal; nothing at all otherwise, so that a
//! pipe or a log file never receives it.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The line's layout: a spinner, [`status`], the time so far.
const TEMPLATE: &str = "{spinner} {msg} ({elapsed})";

/// The progress of an export; a no-op when standard error is not a terminal.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A progress line on standard error if it is a terminal.
    pub fn on_stderr() -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let Ok(style) = ProgressStyle::with_template(TEMPLATE) else {
            return Progress(None);
        };
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(style);
        bar.set_message(status(0, 0));
        // The spinner and the time move while a page is awaited.
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress(Some(bar))
    }

    /// Shows the counts so far (drawing is rate-limited by indicatif).
    pub fn update(&self, records: u64, pages: u64) {
        if let Some(bar) = &self.0 {
            bar.set_message(status(records, pages));
        }
    }

    /// Stops the spinner, leaving the last counts on the line.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish();
        }
    }
}

/// `12,345 records, 124 pages`.
pub fn status(records: u64, pages: u64) -> String {
    let plural = |n: u64, one: &str, many: &str| {
        format!("{} {}", grouped(n), if n == 1 { one } else { many })
    };
    format!(
        "{}, {}",
        plural(records, "record", "records"),
        plural(pages, "page", "pages")
    )
}

/// `n` with a comma between groups of three digits.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_counts_records_and_pages() {
        assert_eq!(status(0, 0), "0 records, 0 pages");
        assert_eq!(status(1, 1), "1 record, 1 page");
        assert_eq!(status(12_345, 124), "12,345 records, 124 pages");
        assert_eq!(status(1_000_000, 10_000), "1,000,000 records, 10,000 pages");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn the_template_is_valid_and_a_pipe_gets_nothing() {
        assert!(ProgressStyle::with_template(TEMPLATE).is_ok());
        // Under `cargo test` standard error is captured, not a terminal.
        if !std::io::stderr().is_terminal() {
            let progress = Progress::on_stderr();
            assert!(progress.0.is_none());
            progress.update(1, 1);
            progress.finish();
        }
    }
}
