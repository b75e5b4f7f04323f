//! `Client::transactions` against the mock's history: month and year
//! windows, empty months, one day, a page boundary at exactly 100, refunds,
//! and records shifting between pages while the client pages.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use qfpay::types::{OrderType, TradeTime};
use qfpay::{Client, Environment, RespcdFamily, TransactionFilter};
use qfpay_mock::{History, MockServer, Order, SeedOrder};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .app_code(APP)
        .client_key(KEY)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

fn t(s: &str) -> TradeTime {
    TradeTime::parse(s).unwrap()
}

fn range(from: &str, to: &str) -> TransactionFilter {
    TransactionFilter::new(t(from), t(to))
}

/// Every record's `syssn`, in order, and the number of pages fetched.
async fn list(client: &Client, filter: TransactionFilter) -> (Vec<String>, u64) {
    let mut s = client.transactions(filter);
    let mut out = Vec::new();
    while let Some(r) = s.next_record().await {
        out.push(r.unwrap().syssn.unwrap().as_str().to_owned());
    }
    (out, s.pages())
}

fn expected(orders: &[Order], from: &str, to: &str, keep: impl Fn(&Order) -> bool) -> Vec<String> {
    orders
        .iter()
        .filter(|o| o.sysdtm.as_str() >= from && o.sysdtm.as_str() <= to && keep(o))
        .map(|o| o.syssn.clone())
        .collect()
}

fn assert_same(got: &[String], want: &[String]) {
    let set: HashSet<&String> = got.iter().collect();
    assert_eq!(set.len(), got.len(), "no duplicates");
    assert_eq!(set, want.iter().collect::<HashSet<_>>(), "no loss");
}

#[tokio::test]
async fn ranges_across_months_years_days_and_empty_months() {
    let server = builder()
        .history(History::new(11, (2024, 11), 3, 150))
        .start()
        .await
        .unwrap();
    let c = client(&server);
    let orders = server.orders();

    // Across two month ends and a year end.
    let (from, to) = ("2024-11-15 12:00:00", "2025-01-20 08:00:00");
    let (got, pages) = list(&c, range(from, to)).await;
    assert_same(&got, &expected(&orders, from, to, |_| true));
    assert!(got.len() > 300);
    // three windows: half of November (one page), December and most of
    // January (more than one page each)
    assert!(pages >= 5, "{pages} pages");

    // An empty month before the history, and one after: nothing, one page each.
    let (from, to) = ("2024-10-01 00:00:00", "2024-11-30 23:59:59");
    let (got, _) = list(&c, range(from, to)).await;
    assert_same(&got, &expected(&orders, from, to, |_| true));
    let (got, pages) = list(&c, range("2025-03-01 00:00:00", "2025-04-30 23:59:59")).await;
    assert!(got.is_empty());
    assert_eq!(pages, 2);

    // Inside one day.
    let (from, to) = ("2024-12-10 00:00:00", "2024-12-10 23:59:59");
    let (got, pages) = list(&c, range(from, to)).await;
    assert_same(&got, &expected(&orders, from, to, |_| true));
    assert_eq!(pages, 1);

    // Start after end: nothing, no request.
    let (got, pages) = list(&c, range("2025-01-02 00:00:00", "2025-01-01 00:00:00")).await;
    assert!(got.is_empty());
    assert_eq!(pages, 0);
}

#[tokio::test]
async fn refunds_and_status_filters() {
    let server = builder()
        .history(History::new(5, (2024, 12), 2, 120))
        .start()
        .await
        .unwrap();
    let c = client(&server);
    let orders = server.orders();
    let (from, to) = ("2024-12-01 00:00:00", "2025-01-31 23:59:59");

    let mut s = c.transactions(range(from, to).order_type(OrderType::Refund));
    let mut refunds = Vec::new();
    while let Some(r) = s.next_record().await {
        let r = r.unwrap();
        assert_eq!(r.order_type, Some(OrderType::Refund));
        assert!(!r.origssn.is_empty(), "a refund names its payment");
        refunds.push(r.syssn.unwrap().as_str().to_owned());
    }
    let want = expected(&orders, from, to, |o| {
        o.order_type == qfpay_mock::OrderType::Refund
    });
    assert!(!want.is_empty());
    assert_same(&refunds, &want);

    let (closed, _) = list(&c, range(from, to).respcd(RespcdFamily::Failure)).await;
    assert_same(
        &closed,
        &expected(&orders, from, to, |o| o.respcd == "1264"),
    );
    let (paid, _) = list(&c, range(from, to).respcd(RespcdFamily::Success)).await;
    assert_same(&paid, &expected(&orders, from, to, |o| o.respcd == "0000"));
}

/// From the start of the current month to the end of today.
fn this_month_so_far() -> TransactionFilter {
    let now = TradeTime::now().to_string();
    range(
        &format!("{}-01 00:00:00", &now[..7]),
        &format!("{} 23:59:59", &now[..10]),
    )
}

fn seed(server: &MockServer, n: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| {
            let syssn = format!("9{tag}{i:08}");
            server
                .seed_order(SeedOrder::paid(syssn.clone(), 100 + i as u64))
                .unwrap();
            syssn
        })
        .collect()
}

#[tokio::test]
async fn a_page_boundary_at_exactly_100() {
    let server = server().await;
    let want = seed(&server, 100, "1");
    let (got, pages) = list(&client(&server), this_month_so_far()).await;
    assert_same(&got, &want);
    // a full page, then an empty one
    assert_eq!(pages, 2);
}

#[tokio::test]
async fn records_shifting_between_pages_are_neither_lost_nor_repeated() {
    let server = builder().newest_first(true).start().await.unwrap();
    let want = seed(&server, 250, "2");
    let c = client(&server);
    let mut s = c.transactions(this_month_so_far());
    let first = s.next_record().await.unwrap().unwrap();
    assert_eq!(s.pages(), 1);
    // Page 2 is fetched ahead while the client reads page 1; once it is in,
    // 30 new payments: each pushes every older record one place down, so
    // page 3 (asked for when the client reaches page 2) starts with the
    // last 30 records of page 2.
    assert_eq!(queries_after(&server, 2).await, 2);
    seed(&server, 30, "3");
    let mut got = vec![first.syssn.unwrap().as_str().to_owned()];
    while let Some(r) = s.next_record().await {
        got.push(r.unwrap().syssn.unwrap().as_str().to_owned());
    }
    assert_same(&got, &want);
    assert_eq!(s.pages(), 3, "280 records listed: 100 + 100 + 80");
}

/// Query requests the server has received so far.
fn queries(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path == "/trade/v1/query")
        .count()
}

/// Waits (at most 10 s) until the server has received `n` queries, then a
/// little longer, and returns the count: a fetch runs in its own task,
/// without polls from the test, so one more than expected would show here.
async fn queries_after(server: &MockServer, n: usize) -> usize {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while queries(server) < n && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    queries(server)
}

#[tokio::test]
async fn pages_are_fetched_one_ahead_and_no_further() {
    let server = server().await;
    let want = seed(&server, 250, "4");
    let c = client(&server);
    let mut s = c.transactions(this_month_so_far());
    assert_eq!(queries_after(&server, 0).await, 0, "nothing before a poll");

    let mut got = Vec::new();
    let mut next = async |s: &mut qfpay::Transactions| {
        let r = s.next_record().await.unwrap().unwrap();
        got.push(r.syssn.unwrap().as_str().to_owned());
    };
    next(&mut s).await;
    assert_eq!(s.pages(), 1);
    assert_eq!(
        queries_after(&server, 2).await,
        2,
        "page 2 asked for ahead, not page 3"
    );
    for _ in 1..100 {
        next(&mut s).await;
    }
    assert_eq!(
        queries_after(&server, 2).await,
        2,
        "page 1 read to its end: page 2 is still the one ahead"
    );
    next(&mut s).await;
    assert_eq!(s.pages(), 2);
    assert_eq!(
        queries_after(&server, 3).await,
        3,
        "page 2 read from: page 3 asked for"
    );
    for _ in 101..250 {
        next(&mut s).await;
    }
    assert!(s.next_record().await.is_none());
    assert_eq!(s.pages(), 3);
    assert_eq!(queries(&server), 3, "page 3 was short: the end");
    assert_same(&got, &want);
}
