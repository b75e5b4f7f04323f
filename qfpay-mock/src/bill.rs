//! The clearing statement of `GET /download/v1/trade_bill` (reference §14),
//! built from the mock's own orders. QFPay documents only that the answer
//! is a ZIP archive covering every merchant of the channel, not its files
//! or columns; the layout chosen here is described for users in README.md
//! (the `trade_bill` row of the endpoint table).

use std::io::{Cursor, Write};

use qfpay::types::RespCode;

use crate::reply::ApiError;
use crate::store::{Order, OrderType, Store};

/// The statement's columns, in order.
pub(crate) const COLUMNS: [&str; 10] = [
    "sysdtm",
    "syssn",
    "out_trade_no",
    "mchid",
    "order_type",
    "pay_type",
    "txcurrcd",
    "txamt",
    "origssn",
    "chnlsn",
];

fn line(o: &Order) -> [String; 10] {
    [
        o.sysdtm.clone(),
        o.syssn.clone(),
        o.out_trade_no.clone(),
        o.mchid.clone().unwrap_or_default(),
        match o.order_type {
            OrderType::Payment => "payment",
            OrderType::Refund => "refund",
        }
        .to_owned(),
        o.pay_type.clone(),
        o.txcurrcd.clone(),
        o.txamt.to_string(),
        o.orig_syssn.clone().unwrap_or_default(),
        o.chnlsn.clone(),
    ]
}

/// The entry's name for `trade_date` (`YYYY-MM-DD`).
pub(crate) fn entry_name(trade_date: &str) -> String {
    format!("trade_bill_{trade_date}.csv")
}

/// The ZIP archive for `trade_date` (`YYYY-MM-DD`, already checked) and the
/// app `app_code`.
pub(crate) fn statement(
    store: &Store,
    app_code: &str,
    trade_date: &str,
) -> Result<Vec<u8>, ApiError> {
    // `sysdtm`, the settlement cut-off time, decides the day.
    let day = store.in_time_range(
        &format!("{trade_date} 00:00:00"),
        &format!("{trade_date} 23:59:59"),
    );
    let orders = day
        .filter_map(|i| store.get(i).map(|tx| &tx.order))
        .filter(|o| o.app_code == app_code && o.status.is_success());

    let failed = |e: &dyn std::fmt::Display| {
        ApiError::new(
            RespCode::OrderSystemError,
            format!("the mock could not build the statement: {e}"),
        )
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(COLUMNS).map_err(|e| failed(&e))?;
    for o in orders {
        csv.write_record(line(o)).map_err(|e| failed(&e))?;
    }
    let text = csv.into_inner().map_err(|e| failed(&e))?;

    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(entry_name(trade_date), options)
        .map_err(|e| failed(&e))?;
    zip.write_all(&text).map_err(|e| failed(&e))?;
    Ok(zip.finish().map_err(|e| failed(&e))?.into_inner())
}
