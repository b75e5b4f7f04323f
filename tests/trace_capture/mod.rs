//! Captures everything `tracing` emits — every event and span, at TRACE — as
//! text, for the tests that check what the SDK logs (`client_secrets.rs`,
//! `robust_secrets.rs`). Included with `mod trace_capture;`.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing::subscriber::DefaultGuard;

/// The captured log; traced until the guard returned with it is dropped.
#[derive(Clone, Default)]
pub struct Trace(Arc<Mutex<Vec<u8>>>);

impl Trace {
    /// Installs a subscriber writing here as this thread's default.
    pub fn start() -> (Trace, DefaultGuard) {
        let trace = Trace::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(trace.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_ansi(false)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        (trace, guard)
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Trace {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Trace {
    type Writer = Trace;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
