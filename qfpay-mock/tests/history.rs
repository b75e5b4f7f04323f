//! The seeded history and the rules of listing by time range (reference §10):
//! one calendar month per query, `page_size` capped at 100, a page beyond the
//! end empty, newest-first listing that shifts records while a client pages.

mod common;

use common::*;
use qfpay_mock::{History, OrderType};
use serde_json::Value;

fn syssns(q: &Value) -> Vec<String> {
    q["data"]
        .as_array()
        .map(|a| a.iter().map(|r| s(r, "syssn")).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn history_is_deterministic_and_spread_over_months() {
    let h = History::new(7, (2024, 11), 3, 150);
    let a = builder().history(h.clone()).start().await.unwrap();
    let b = builder().history(h).start().await.unwrap();
    let (oa, ob) = (a.orders(), b.orders());
    assert_eq!(oa, ob, "same seed, same history");
    let payments = oa
        .iter()
        .filter(|o| o.order_type == OrderType::Payment)
        .count();
    let refunds = oa
        .iter()
        .filter(|o| o.order_type == OrderType::Refund)
        .count();
    assert_eq!(payments, 450);
    assert_eq!(refunds, 3 * 150 / 5 - 3 * 150 / 65); // every 5th, not the closed ones
    let c = Caller::merchant(&a);
    for (start, end) in [
        ("2024-11-01 00:00:00", "2024-11-30 23:59:59"),
        ("2024-12-01 00:00:00", "2024-12-31 23:59:59"),
        ("2025-01-01 00:00:00", "2025-01-31 23:59:59"),
    ] {
        let page = |p: &'static str| {
            [
                ("start_time", start),
                ("end_time", end),
                ("page_size", "100"),
                ("page", p),
            ]
        };
        let p1 = c.query(&page("1")).await;
        let p2 = c.query(&page("2")).await;
        assert_eq!(syssns(&p1).len(), 100, "more than one page per month");
        assert!(!syssns(&p2).is_empty());
        let p9 = c.query(&page("9")).await;
        assert_eq!(p9["respcd"], "0000");
        assert!(syssns(&p9).is_empty(), "a page beyond the end is empty");
    }
    // A range crossing a calendar month is a parameter error.
    let a = c
        .post(
            "/trade/v1/query",
            &[
                ("start_time", "2024-12-31 23:00:00"),
                ("end_time", "2025-01-01 01:00:00"),
            ],
        )
        .await;
    assert_eq!(a.respcd(), "1104");
    // page_size above 100 is capped, not refused.
    let q = c
        .query(&[
            ("start_time", "2024-12-01 00:00:00"),
            ("end_time", "2024-12-31 23:59:59"),
            ("page_size", "1000"),
        ])
        .await;
    assert_eq!(q["page_size"], "100");
    assert_eq!(syssns(&q).len(), 100);
}

#[tokio::test]
async fn newest_first_shifts_records_to_the_next_page() {
    let server = builder().newest_first(true).start().await.unwrap();
    let c = Caller::merchant(&server);
    for i in 0..4 {
        c.pay_cpm(100 + i, "1300000000").await;
    }
    let q = |p: &'static str| [("page_size", "2"), ("page", p)];
    let before = syssns(&c.query(&q("1")).await);
    c.pay_cpm(999, "1300000000").await;
    let after = syssns(&c.query(&q("2")).await);
    // The newest is listed first; the second of page 1 is now the first of page 2.
    assert_eq!(after[0], before[1]);
}

/// Every page of a month, asked by number and concatenated: exactly the
/// merchant's transactions of that month in `sysdtm` order (newest first when
/// configured), with and without a filter — whether the page was cut
/// straight at its offset or the range was filtered.
#[tokio::test]
async fn pages_by_number_concatenate_to_the_month_in_order() {
    for newest_first in [false, true] {
        let server = builder()
            .newest_first(newest_first)
            .history(History::new(3, (2024, 11), 2, 260))
            .start()
            .await
            .unwrap();
        let c = Caller::merchant(&server);
        let (start, end) = ("2024-12-01 00:00:00", "2024-12-31 23:59:59");
        let mut orders = server.orders();
        orders.sort_by(|a, b| a.sysdtm.cmp(&b.sysdtm)); // stable: ties in creation order
        if newest_first {
            orders.reverse();
        }
        for (pay_type, page_size) in [(None, 100), (Some("800101"), 7)] {
            let want: Vec<String> = orders
                .iter()
                .filter(|o| o.sysdtm.as_str() >= start && o.sysdtm.as_str() <= end)
                .filter(|o| pay_type.is_none_or(|p| o.pay_type == p))
                .map(|o| o.syssn.clone())
                .collect();
            let mut got = Vec::new();
            for page in 1.. {
                let page = page.to_string();
                let size = page_size.to_string();
                let mut pairs = vec![
                    ("start_time", start),
                    ("end_time", end),
                    ("page_size", size.as_str()),
                    ("page", page.as_str()),
                ];
                pairs.extend(pay_type.map(|p| ("pay_type", p)));
                let listed = syssns(&c.query(&pairs).await);
                got.extend(listed.iter().cloned());
                if listed.len() < page_size {
                    break;
                }
            }
            assert!(want.len() > page_size, "more than one page");
            assert_eq!(
                got, want,
                "newest_first {newest_first}, pay_type {pay_type:?}"
            );
        }
        // The other merchant (the agent app's) has none of them.
        let agent = Caller::agent(&server);
        let q = agent
            .query(&[("start_time", start), ("end_time", end)])
            .await;
        assert!(syssns(&q).is_empty());
    }
}
