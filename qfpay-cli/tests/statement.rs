//! The clearing statement end to end: orders paid on the mock, the day's
//! ZIP downloaded through the SDK (`DownloadTradeBill` + `qfpay::statement`)
//! and through `qfpay statement`, its rows checked against the orders.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use qfpay::api::{DownloadTradeBill, Payment, Refund, TradeDate};
use qfpay::statement::Statement;
use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
use qfpay::{Client, Environment};
use qfpay_mock::{History, MockServer, Order, OrderType};
use support::*;

/// `syssn` → (out_trade_no, order_type, pay_type, txcurrcd, txamt, origssn).
type Lines = BTreeMap<String, [String; 6]>;

fn expected(orders: &[Order], day: &str) -> Lines {
    orders
        .iter()
        .filter(|o| o.status.is_success() && o.sysdtm.starts_with(day))
        .map(|o| {
            let kind = match o.order_type {
                OrderType::Payment => "payment",
                _ => "refund",
            };
            let line = [
                o.out_trade_no.clone(),
                kind.to_owned(),
                o.pay_type.clone(),
                o.txcurrcd.clone(),
                o.txamt.to_string(),
                o.orig_syssn.clone().unwrap_or_default(),
            ];
            (o.syssn.clone(), line)
        })
        .collect()
}

fn lines(statement: &Statement, day: &str) -> Lines {
    let name = format!("trade_bill_{day}.csv");
    assert_eq!(statement.entries().len(), 1);
    let entry = statement
        .entry(&name)
        .expect("one CSV entry named after the day");
    let mut out = Lines::new();
    for row in entry.rows().unwrap() {
        let row = row.unwrap();
        assert!(row.require("sysdtm").unwrap().starts_with(day));
        let value = |c: &str| row.require(c).unwrap().to_owned();
        let line = [
            "out_trade_no",
            "order_type",
            "pay_type",
            "txcurrcd",
            "txamt",
            "origssn",
        ]
        .map(value);
        assert!(
            out.insert(value("syssn"), line).is_none(),
            "each syssn once"
        );
    }
    out
}

#[test]
fn the_days_statement_lists_exactly_the_days_successful_orders() {
    let rt = runtime();
    let server: MockServer = rt
        .block_on(
            MockServer::builder()
                .app(APP, KEY, None)
                .history(History::new(5, (2024, 12), 1, 60))
                .start(),
        )
        .unwrap();
    let client = Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    // Today: three paid payments (one in USD), one of them partly refunded,
    // and one left unpaid (never on a statement).
    let pay = |amount: u64, currency: &str| {
        let request = Payment::builder()
            .pay_type(PayType::AlipayMpm)
            .txamt(Amount::new(amount))
            .txcurrcd(Currency::from_code(currency))
            .out_trade_no(OutTradeNo::generate())
            .txdtm(TradeTime::now())
            .build();
        let created = rt.block_on(client.call(&request)).unwrap();
        created.syssn.unwrap().as_str().to_owned()
    };
    let paid: Vec<String> = [(1200, "HKD"), (345, "USD"), (9900, "HKD")]
        .into_iter()
        .map(|(amount, currency)| pay(amount, currency))
        .collect();
    for syssn in &paid {
        server.pay(syssn).unwrap();
    }
    let unpaid = pay(777, "HKD");
    let refund = Refund::builder()
        .syssn(paid[2].parse::<qfpay::types::Syssn>().unwrap())
        .out_trade_no(OutTradeNo::generate())
        .txamt(Amount::new(400))
        .txdtm(TradeTime::now())
        .build();
    rt.block_on(client.call(&refund)).unwrap();

    let orders = server.orders();
    let today = server.order(&paid[0]).unwrap().sysdtm[..10].to_owned();
    let want = expected(&orders, &today);
    assert!(
        want.len() >= 4 && !want.contains_key(&unpaid),
        "the day has the 3 payments and the refund (a run across midnight HK may split them)"
    );

    // Through the SDK.
    let download = |day: &str| {
        let request = DownloadTradeBill::builder()
            .trade_date(TradeDate::parse(day).unwrap())
            .build();
        let bill = rt.block_on(client.call(&request)).unwrap();
        assert!(bill.is_zip());
        bill.statement().unwrap()
    };
    assert_eq!(lines(&download(&today), &today), want);

    // Another day: that day's history only, nothing of today's.
    let past = orders
        .iter()
        .find(|o| o.sysdtm.starts_with("2024-12") && o.status.is_success())
        .map(|o| o.sysdtm[..10].to_owned())
        .unwrap();
    let want_past = expected(&orders, &past);
    assert!(!want_past.is_empty());
    let got_past = lines(&download(&past), &past);
    assert_eq!(got_past, want_past);
    assert!(paid.iter().all(|s| !got_past.contains_key(s)));
    // A day without orders: a header and no rows.
    assert!(lines(&download("2023-06-01"), "2023-06-01").is_empty());

    // Through `qfpay statement`: the ZIP saved where asked, its entry listed.
    let out = temp_file("statement.zip", b"");
    let o = run(against(server.base_url(), "statement")
        .args(["--date", &today, "--out"])
        .arg(&out));
    assert_exit(&o, 0);
    let listing = stdout(&o);
    assert!(
        listing.contains(&format!("trade_bill_{today}.csv")),
        "{listing}"
    );
    assert!(
        listing.contains(&format!("{} rows", want.len())),
        "{listing}"
    );
    assert!(
        listing.contains("columns: sysdtm, syssn, out_trade_no"),
        "{listing}"
    );
    let saved = Statement::from_zip(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(lines(&saved, &today), want);

    // The default file name, in the working directory.
    let dir = out.parent().unwrap().join("default-name");
    std::fs::create_dir_all(&dir).unwrap();
    let o = run(against(server.base_url(), "statement")
        .args(["--date", &past])
        .current_dir(&dir));
    assert_exit(&o, 0);
    let saved = std::fs::read(dir.join(format!("trade_bill_{past}.zip"))).unwrap();
    assert_eq!(
        lines(&Statement::from_zip(&saved).unwrap(), &past),
        want_past
    );

    // A date that does not exist is refused before anything is sent.
    let o = run(against(server.base_url(), "statement").args(["--date", "2025-02-30"]));
    assert_exit(&o, 2);
    rt.block_on(server.shutdown());
}
