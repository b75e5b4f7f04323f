//! The standalone server's command line (`qfpay-mock`, and `qfpay mock`).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::builder::MockServerBuilder;
use crate::config::App;
use crate::error::MockError;
use crate::history::History;
use crate::server::MockServer;
use crate::store::SeedOrder;

/// Command-line arguments of the standalone mock server.
///
/// The `qfpay` CLI can embed them as its `mock` subcommand
/// (`#[command(flatten)]` or as a subcommand's args) and call [`run_cli`].
#[derive(Clone, clap::Parser)]
#[command(
    name = "qfpay-mock",
    version,
    about = "A local QFPay Open API server: strict signatures, stateful orders, scenarios, signed notifications",
    long_about = None
)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// App code accepted in X-QF-APPCODE.
    #[arg(long, env = "QFPAY_APP_CODE")]
    pub app_code: String,
    /// Client key requests are signed with.
    #[arg(long, env = "QFPAY_CLIENT_KEY", hide_env_values = true)]
    pub client_key: String,
    /// Merchant id(s) of an agent app: requests must then carry one of them.
    /// Repeat the flag (or separate with commas) for several.
    #[arg(long, env = "QFPAY_MCHID", value_delimiter = ',')]
    pub mchid: Vec<String>,
    /// Where payment and refund notifications are POSTed.
    #[arg(long)]
    pub notify_url: Option<String>,
    /// Multiplies QFPay's notification retry schedule (2 min … 15 h).
    #[arg(long, default_value_t = 1.0)]
    pub notify_time_scale: f64,
    /// Honour a request's `notify_url` even when it is not on loopback.
    #[arg(long)]
    pub allow_remote_notify: bool,
    /// Turn off the scenario triggers (special amounts and `MOCK-…` auth codes).
    #[arg(long)]
    pub no_scenarios: bool,
    /// Refuse `CONNECT` (by default the mock answers it and serves its own
    /// API inside a TLS tunnel with a self-signed certificate, so clients
    /// with hard-coded `https://` QFPay URLs can use it as `HTTPS_PROXY`).
    #[arg(long)]
    pub no_connect: bool,
    /// Put a paid payment in the store: `SYSSN:TXAMT[:CURRENCY[:PAY_TYPE]]`
    /// (e.g. the syssn a fixed test collection refunds). Repeatable.
    #[arg(long = "seed-paid", value_name = "SYSSN:TXAMT[:CURRENCY[:PAY_TYPE]]")]
    pub seed_paid: Vec<String>,
    /// Start with a seeded, deterministic past of payments and refunds:
    /// `SEED:YYYY-MM:MONTHS:PER_MONTH` (see `History`).
    #[arg(long, value_name = "SEED:YYYY-MM:MONTHS:PER_MONTH")]
    pub history: Option<String>,
    /// List time-range queries newest first, so new payments shift older
    /// records to later pages.
    #[arg(long)]
    pub newest_first: bool,
    /// Keep the state (orders, refunds, notifications…) in this SQLite
    /// file, created if missing; restarted on the same file, the mock
    /// continues where it stopped. Without it the state is in memory only.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
}

/// The client key is shown as `<redacted>`: arguments end up in logs.
impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Args")
            .field("addr", &self.addr)
            .field("app_code", &self.app_code)
            .field("client_key", &"<redacted>")
            .field("mchid", &self.mchid)
            .field("notify_url", &self.notify_url)
            .field("notify_time_scale", &self.notify_time_scale)
            .field("allow_remote_notify", &self.allow_remote_notify)
            .field("no_scenarios", &self.no_scenarios)
            .field("no_connect", &self.no_connect)
            .field("seed_paid", &self.seed_paid)
            .field("history", &self.history)
            .field("newest_first", &self.newest_first)
            .field("state", &self.state)
            .finish()
    }
}

fn parse_seed(text: &str) -> Result<SeedOrder, MockError> {
    let mut parts = text.split(':');
    let syssn = parts.next().unwrap_or("").trim();
    let txamt = parts
        .next()
        .and_then(|a| a.trim().parse::<u64>().ok())
        .ok_or_else(|| {
            MockError::Config(format!(
                "--seed-paid `{text}`: expected SYSSN:TXAMT[:CURRENCY[:PAY_TYPE]]"
            ))
        })?;
    let mut seed = SeedOrder::paid(syssn, txamt);
    if let Some(c) = parts.next() {
        seed = seed.currency(c.trim());
    }
    if let Some(p) = parts.next() {
        seed = seed.pay_type(p.trim());
    }
    Ok(seed)
}

fn parse_history(text: &str) -> Result<History, MockError> {
    let bad = || {
        MockError::Config(format!(
            "--history `{text}`: expected SEED:YYYY-MM:MONTHS:PER_MONTH, e.g. 7:2024-11:3:150"
        ))
    };
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    let [seed, month, months, per_month] = parts.as_slice() else {
        return Err(bad());
    };
    let (year, month) = month.split_once('-').ok_or_else(bad)?;
    Ok(History::new(
        seed.parse().map_err(|_| bad())?,
        (
            year.parse().map_err(|_| bad())?,
            month.parse().map_err(|_| bad())?,
        ),
        months.parse().map_err(|_| bad())?,
        per_month.parse().map_err(|_| bad())?,
    ))
}

impl Args {
    /// The server builder these arguments describe.
    pub fn builder(&self) -> Result<MockServerBuilder, MockError> {
        let mut app = App::new(self.app_code.clone(), self.client_key.clone());
        for m in self.mchid.iter().filter(|m| !m.is_empty()) {
            app = app.mchid(m.clone());
        }
        let mut b = MockServer::builder()
            .add_app(app)
            .addr(self.addr)
            .notify_time_scale(self.notify_time_scale)
            .allow_remote_notify_urls(self.allow_remote_notify)
            .scenarios(!self.no_scenarios)
            .accept_connect(!self.no_connect);
        if let Some(u) = &self.notify_url {
            b = b.notify_url(u.clone());
        }
        for s in &self.seed_paid {
            b = b.seed(parse_seed(s)?);
        }
        if let Some(h) = &self.history {
            b = b.history(parse_history(h)?);
        }
        b = b.newest_first(self.newest_first);
        if let Some(path) = &self.state {
            b = b.state_file(path.clone());
        }
        Ok(b)
    }
}

/// Runs the standalone server: starts it, writes `listening on http://ADDR`
/// to `out`, serves until Ctrl-C.
pub async fn run_cli(args: Args, out: &mut (dyn Write + Send)) -> Result<(), MockError> {
    let server = args.builder()?.start().await?;
    writeln!(out, "listening on {}", server.base_url())?;
    out.flush()?;
    server.run_until_ctrl_c().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn debug_never_shows_the_key() {
        let a = Args::try_parse_from([
            "qfpay-mock",
            "--app-code",
            "A",
            "--client-key",
            "SECRET-KEY-0123",
        ])
        .unwrap();
        let shown = format!("{a:?}");
        assert!(!shown.contains("SECRET-KEY-0123"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn parses() {
        let a = Args::try_parse_from([
            "qfpay-mock",
            "--app-code",
            "A",
            "--client-key",
            "K",
            "--mchid",
            "M1,M2",
            "--seed-paid",
            "123:100:THB",
        ])
        .unwrap();
        assert_eq!(a.mchid, vec!["M1", "M2"]);
        let s = parse_seed(&a.seed_paid[0]).unwrap();
        assert_eq!(
            (s.syssn.as_str(), s.txamt, s.txcurrcd.as_str()),
            ("123", 100, "THB")
        );
        assert!(parse_seed("123").is_err());
        assert_eq!(
            parse_history("7:2024-11:3:150").unwrap(),
            History::new(7, (2024, 11), 3, 150)
        );
        assert!(parse_history("7:2024:3:150").is_err());
    }
}
