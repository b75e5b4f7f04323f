//! `qfpay transactions` (every record of a period, as CSV or JSON lines)
//! and `qfpay reconcile` (the shop's orders CSV against those records),
//! both over the SDK's `Client::transactions` and `qfpay::reconcile`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use qfpay::api::TradeRecord;
use qfpay::reconcile::{Discrepancy, ExpectedOrder, Found, OrderState, Reconciler};
use qfpay::types::TradeTime;
use qfpay::{TransactionFilter, Transactions};

use crate::call_cmd::ConnectionArgs;
use crate::failure::{Failure, from_sdk};
use crate::progress::Progress;

/// `--from`: `YYYY-MM-DD hh:mm:ss`, or a date meaning its first second.
fn parse_from(text: &str) -> Result<TradeTime, String> {
    parse_bound(text, "00:00:00")
}

/// `--to`: `YYYY-MM-DD hh:mm:ss`, or a date meaning its last second.
fn parse_to(text: &str) -> Result<TradeTime, String> {
    parse_bound(text, "23:59:59")
}

fn parse_bound(text: &str, time_of_day: &str) -> Result<TradeTime, String> {
    let full = if text.len() == 10 {
        format!("{text} {time_of_day}")
    } else {
        text.to_owned()
    };
    TradeTime::parse_field(&full, "time").map_err(|e| e.to_string())
}

/// The output format of `transactions`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// A header row of QFPay's field names, then one row per record.
    Csv,
    /// One JSON object per line, every field as received.
    Jsonl,
}

/// The period and connection both commands share.
#[derive(Debug, clap::Args)]
pub struct Period {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// First instant (`sysdtm`), `YYYY-MM-DD[ hh:mm:ss]`.
    #[arg(long, value_parser = parse_from)]
    from: TradeTime,

    /// Last instant included, `YYYY-MM-DD[ hh:mm:ss]` (a date: its end).
    #[arg(long, value_parser = parse_to)]
    to: TradeTime,
}

impl Period {
    fn stream(&self) -> Result<Transactions, Failure> {
        let connection = self.connection.connect()?;
        Ok(connection
            .client()
            .transactions(TransactionFilter::new(self.from, self.to)))
    }
}

/// Write every transaction (payments and refunds) of a period: the range is
/// cut into QFPay's calendar-month windows and paged 100 at a time.
///
/// While it runs, the records and pages so far are shown on standard error
/// when that is a terminal (nothing is written there otherwise).
#[derive(Debug, clap::Args)]
pub struct TransactionsArgs {
    #[command(flatten)]
    period: Period,

    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,

    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// The CSV columns: QFPay's field names (reference §10).
const COLUMNS: [&str; 14] = [
    "syssn",
    "out_trade_no",
    "order_type",
    "pay_type",
    "txamt",
    "txcurrcd",
    "respcd",
    "cancel",
    "sysdtm",
    "paydtm",
    "txdtm",
    "origssn",
    "chnlsn",
    "errmsg",
];

fn row(r: &TradeRecord) -> [String; 14] {
    let opt = |v: Option<String>| v.unwrap_or_default();
    [
        opt(r.syssn.as_ref().map(|s| s.as_str().to_owned())),
        opt(r.out_trade_no.as_ref().map(|s| s.as_str().to_owned())),
        opt(r.order_type.as_ref().map(|s| s.as_str().to_owned())),
        opt(r.pay_type.as_ref().map(|s| s.as_str().to_owned())),
        opt(r.txamt.map(|a| a.to_string())),
        opt(r.txcurrcd.as_ref().map(|s| s.as_str().to_owned())),
        r.respcd.as_str().to_owned(),
        opt(r.cancel.as_ref().map(|s| s.as_str().to_owned())),
        opt(r.sysdtm.map(|t| t.to_string())),
        opt(r.paydtm.map(|t| t.to_string())),
        opt(r.txdtm.map(|t| t.to_string())),
        r.origssn.clone(),
        r.chnlsn.clone(),
        r.errmsg.clone(),
    ]
}

fn output(out: Option<&Path>) -> Result<Box<dyn Write>, Failure> {
    Ok(match out {
        Some(p) => {
            Box::new(BufWriter::new(File::create(p).map_err(|e| {
                Failure::io(format!("cannot create {}: {e}", p.display()))
            })?))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

fn write_failed(e: impl std::fmt::Display) -> Failure {
    Failure::io(format!("cannot write the output: {e}"))
}

/// Runs `qfpay transactions`.
pub async fn run_transactions(args: TransactionsArgs) -> Result<(), Failure> {
    let mut records = args.period.stream()?;
    let out = output(args.out.as_deref())?;
    let progress = Progress::on_stderr();
    let result = write_records(&mut records, out, args.format, &progress).await;
    progress.finish();
    result
}

async fn write_records(
    records: &mut Transactions,
    out: Box<dyn Write>,
    format: Format,
    progress: &Progress,
) -> Result<(), Failure> {
    match format {
        Format::Csv => {
            // The csv writer's buffer is bounded: rows go out as they come.
            let mut w = csv::Writer::from_writer(out);
            w.write_record(COLUMNS).map_err(write_failed)?;
            while let Some(r) = records.next_record().await {
                w.write_record(row(&r.map_err(|e| from_sdk(&e))?))
                    .map_err(write_failed)?;
                progress.update(records.records(), records.pages());
            }
            w.flush().map_err(write_failed)
        }
        Format::Jsonl => {
            let mut out = out;
            while let Some(r) = records.next_record().await {
                serde_json::to_writer(&mut out, &r.map_err(|e| from_sdk(&e))?)
                    .map_err(write_failed)?;
                out.write_all(b"\n").map_err(write_failed)?;
                progress.update(records.records(), records.pages());
            }
            out.flush().map_err(write_failed)
        }
    }
}

/// Compare the shop's orders with QFPay's transactions of a period; exit 0
/// only when everything matched.
///
/// The orders file is CSV with a header row: `out_trade_no`, `txamt` (minor
/// units), `txcurrcd`, optionally `state` (`paid`, `refunded`, `closed`,
/// `unpaid`; default `paid`) and `refunded` (minor units refunded, compared
/// with QFPay's refunds of the payment when given); other columns are
/// ignored.
#[derive(Debug, clap::Args)]
pub struct ReconcileArgs {
    #[command(flatten)]
    period: Period,

    /// The shop's orders (CSV).
    #[arg(long, value_name = "FILE")]
    orders: PathBuf,

    /// Also write the discrepancies to FILE as CSV.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Reads the orders CSV; a malformed line names the file, line and column.
fn read_orders(path: &Path) -> Result<Vec<ExpectedOrder>, Failure> {
    let file = path.display();
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| Failure::io(format!("cannot read {file}: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| Failure::failed(format!("{file}: line 1: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let need = |name: &str| {
        column(name).ok_or_else(|| {
            Failure::failed(format!("{file}: line 1: no column `{name}` in the header"))
        })
    };
    let (otn, amt, cur) = (need("out_trade_no")?, need("txamt")?, need("txcurrcd")?);
    let state = column("state");
    let refunded = column("refunded");
    let mut orders = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Failure::failed(format!("{file}: line {line}: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize, name: &str| {
            record
                .get(i)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    Failure::failed(format!("{file}: line {line}: column `{name}` is empty"))
                })
        };
        let out_trade_no = field(otn, "out_trade_no")?;
        let amount = |text: &str, name: &str| {
            text.parse::<u64>().map_err(|_| {
                Failure::failed(format!(
                    "{file}: line {line}: column `{name}`: `{text}` is not an amount in minor units"
                ))
            })
        };
        let txamt = amount(field(amt, "txamt")?, "txamt")?;
        let txcurrcd = field(cur, "txcurrcd")?;
        let state = match state.and_then(|i| record.get(i)).map(str::trim) {
            None | Some("") | Some("paid") => OrderState::Paid,
            Some("refunded") => OrderState::Refunded,
            Some("closed") => OrderState::Closed,
            Some("unpaid") => OrderState::Unpaid,
            Some(other) => {
                return Err(Failure::failed(format!(
                    "{file}: line {line}: column `state`: `{other}` is not paid, refunded, closed or unpaid"
                )));
            }
        };
        let mut order = ExpectedOrder::new(out_trade_no, txamt, txcurrcd, state);
        match refunded.and_then(|i| record.get(i)).map(str::trim) {
            None | Some("") => {}
            Some(text) => order = order.with_refunded(amount(text, "refunded")?),
        }
        orders.push(order);
    }
    Ok(orders)
}

/// `kind, out_trade_no, expected amount/currency/state, QFPay
/// syssn/amount/currency/state, expected refunded, QFPay refunded`.
fn discrepancy_row(d: &Discrepancy) -> [String; 11] {
    let e = |o: Option<&ExpectedOrder>| match o {
        Some(o) => [
            o.out_trade_no.clone(),
            o.txamt.to_string(),
            o.txcurrcd.clone(),
            o.state.to_string(),
            o.refunded.map(|r| r.to_string()).unwrap_or_default(),
        ],
        None => Default::default(),
    };
    let f = |x: Option<&Found>| match x {
        Some(x) => [
            x.syssn.clone(),
            x.txamt.to_string(),
            x.txcurrcd.clone(),
            x.state.to_string(),
            x.refunded.to_string(),
        ],
        None => Default::default(),
    };
    let (exp, found) = match d {
        Discrepancy::UnknownToShop(x) => (e(None), f(Some(x))),
        Discrepancy::Missing(o) => (e(Some(o)), f(None)),
        Discrepancy::AmountMismatch(o, x)
        | Discrepancy::CurrencyMismatch(o, x)
        | Discrepancy::StateMismatch(o, x)
        | Discrepancy::RefundMismatch(o, x) => (e(Some(o)), f(Some(x))),
        _ => (e(None), f(None)),
    };
    let [otn, ea, ec, es, er] = exp;
    let otn = if otn.is_empty() {
        match d {
            Discrepancy::UnknownToShop(x) => x.out_trade_no.clone(),
            _ => otn,
        }
    } else {
        otn
    };
    let [sy, fa, fc, fs, fr] = found;
    [d.kind().to_owned(), otn, ea, ec, es, sy, fa, fc, fs, er, fr]
}

/// The columns of `--out`; new ones go at the end.
const DISCREPANCY_COLUMNS: [&str; 11] = [
    "kind",
    "out_trade_no",
    "expected_txamt",
    "expected_txcurrcd",
    "expected_state",
    "syssn",
    "qfpay_txamt",
    "qfpay_txcurrcd",
    "qfpay_state",
    "expected_refunded",
    "qfpay_refunded",
];

/// Runs `qfpay reconcile`.
pub async fn run_reconcile(args: ReconcileArgs) -> Result<(), Failure> {
    let orders = read_orders(&args.orders)?;
    let mut records = args.period.stream()?;
    let mut reconciler = Reconciler::new(orders);
    while let Some(r) = records.next_record().await {
        reconciler.add(&r.map_err(|e| from_sdk(&e))?);
    }
    let report = reconciler.finish();
    let mut table = format!(
        "{:<16} {:<32} {:>12} {:<4} {:<9} {:<28} {:>12} {:<4} {:<9} {:>12} {:>12}\n",
        "kind",
        "out_trade_no",
        "expected",
        "cur",
        "state",
        "syssn",
        "qfpay",
        "cur",
        "state",
        "exp.refund",
        "qfpay.refund"
    );
    for d in &report.discrepancies {
        let [k, o, ea, ec, es, s, fa, fc, fs, er, fr] = discrepancy_row(d);
        table.push_str(&format!(
            "{k:<16} {o:<32} {ea:>12} {ec:<4} {es:<9} {s:<28} {fa:>12} {fc:<4} {fs:<9} {er:>12} {fr:>12}\n"
        ));
    }
    table.push_str(&format!(
        "\n{} matched, {} discrepancies\n",
        report.matched.len(),
        report.discrepancies.len()
    ));
    for (currency, t) in &report.totals {
        table.push_str(&format!(
            "{currency}: expected {} · paid at QFPay {} · refunded {} · net {} · matched {}\n",
            t.expected,
            t.paid,
            t.refunded,
            t.net(),
            t.matched
        ));
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(table.as_bytes()).map_err(write_failed)?;
    if let Some(path) = &args.out {
        let mut w = csv::Writer::from_path(path)
            .map_err(|e| Failure::io(format!("cannot create {}: {e}", path.display())))?;
        w.write_record(DISCREPANCY_COLUMNS).map_err(write_failed)?;
        for d in &report.discrepancies {
            w.write_record(discrepancy_row(d)).map_err(write_failed)?;
        }
        w.flush().map_err(write_failed)?;
    }
    if report.is_clean() {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "{} discrepancies",
            report.discrepancies.len()
        )))
    }
}
