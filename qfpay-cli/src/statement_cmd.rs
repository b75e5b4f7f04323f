//! `qfpay statement`: download a day's clearing statement
//! (`GET /download/v1/trade_bill`), save the ZIP, list what is inside.

use std::fmt::Write as _;
use std::path::PathBuf;

use qfpay::api::{DownloadTradeBill, TradeDate};
use qfpay::statement::Entry;

use crate::call_cmd::ConnectionArgs;
use crate::failure::Failure;
use crate::output::write_stdout;

fn parse_date(text: &str) -> Result<TradeDate, String> {
    TradeDate::parse(text.trim()).map_err(|e| e.to_string())
}

/// Arguments of `qfpay statement`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Download a day's clearing statement (GET /download/v1/trade_bill): save the ZIP, list its entries",
    long_about = "Download a day's clearing statement (GET /download/v1/trade_bill): save the ZIP, list its entries.\n\n\
QFPay serves statements in production only; they cover every merchant of the payment channel, so \
no mchid is sent. The file's layout is not documented: the listing shows each entry's name and \
size and, for a CSV entry, its number of rows and its header's column names, as found. The SDK \
reads the rows by those names (qfpay::statement, feature `statement`).",
    after_help = "Example:\n  qfpay statement --env production --date 2025-01-02 --out bill.zip\n\n\
Exit codes: 0 saved; 1 QFPay answered an error instead of a file, or the file is not a readable ZIP \
(it is still saved); 2 bad arguments; 3 the file cannot be written; 4 host unreachable, connection \
broken or timeout."
)]
pub struct StatementArgs {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// The statement's day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: TradeDate,

    /// Where to save the ZIP [default: trade_bill_YYYY-MM-DD.zip in the current directory].
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// `name  N bytes` and, for CSV, `N rows  columns: a, b`.
fn describe(entry: &Entry, listing: &mut String) -> Result<(), Failure> {
    let _ = write!(listing, "{}\t{} bytes", entry.name(), entry.bytes().len());
    if entry.is_csv() {
        let rows = entry.rows().map_err(|e| Failure::failed(e.to_string()))?;
        let columns = rows.headers().join(", ");
        let mut count = 0u64;
        for row in rows {
            row.map_err(|e| Failure::failed(e.to_string()))?;
            count += 1;
        }
        let _ = write!(listing, "\t{count} rows\tcolumns: {columns}");
    }
    listing.push('\n');
    Ok(())
}

/// Runs `qfpay statement`.
pub async fn run(args: StatementArgs) -> Result<(), Failure> {
    let connection = args.connection.connect()?;
    let request = DownloadTradeBill::builder().trade_date(args.date).build();
    let Some(bill) = connection.send(&request).await? else {
        return Ok(());
    };
    let path = args
        .out
        .unwrap_or_else(|| PathBuf::from(format!("trade_bill_{}.zip", args.date)));
    std::fs::write(&path, bill.bytes())
        .map_err(|e| Failure::io(format!("cannot write {}: {e}", path.display())))?;
    let mut listing = format!("saved {} ({} bytes)\n", path.display(), bill.bytes().len());
    let statement = bill
        .statement()
        .map_err(|e| Failure::failed(format!("{e} (the answer is saved in {})", path.display())))?;
    for entry in statement.entries() {
        if let Err(failure) = describe(entry, &mut listing) {
            // What was read so far, then the line that cannot be.
            write_stdout(&listing)?;
            return Err(failure);
        }
    }
    write_stdout(&listing)
}
