//! Many clients at once: payments and refunds leave consistent state.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::*;
use qfpay_mock::OrderType;

const TASKS: usize = 64;
const REQUESTS_PER_TASK: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn payments_and_refunds_stay_consistent() {
    let server = builder().max_recorded_requests(0).start().await.unwrap();
    let started = Instant::now();
    let mut handles = Vec::new();
    for task in 0..TASKS {
        let c = if task % 2 == 0 {
            Caller::merchant(&server)
        } else {
            Caller::agent(&server)
        };
        handles.push(tokio::spawn(async move {
            // Each task pays 25 orders and asks for 3 half refunds of each:
            // two are accepted, the third exceeds the balance.
            let mut paid = 0usize;
            let mut refunded_ok = Vec::new();
            let mut requests = 0usize;
            let mut mine: Vec<(String, u64)> = Vec::new();
            while requests < REQUESTS_PER_TASK {
                let amount = 300 + (requests as u64 % 7) * 10;
                let j = c.pay_cpm(amount, "1300000000").await.json();
                requests += 1;
                assert_eq!(j["respcd"], "0000", "{j}");
                paid += 1;
                let syssn = s(&j, "syssn");
                mine.push((syssn.clone(), amount));
                for part in [amount / 2, amount / 2, amount / 2] {
                    if requests >= REQUESTS_PER_TASK {
                        break;
                    }
                    let a = c.refund(&syssn, part).await;
                    requests += 1;
                    match a.respcd().as_str() {
                        "0000" => refunded_ok.push((syssn.clone(), part)),
                        "1272" | "1262" => {}
                        other => panic!("unexpected refund answer {other}: {}", a.json()),
                    }
                }
            }
            (paid, refunded_ok, mine, c.mchid.clone())
        }));
    }
    let mut total_paid = 0;
    let mut accepted_count = 0;
    let mut accepted: HashMap<String, u64> = HashMap::new();
    let mut expected_orders: HashMap<String, (u64, Option<String>)> = HashMap::new();
    for h in handles {
        let (paid, refunds, mine, mchid) = h.await.unwrap();
        total_paid += paid;
        accepted_count += refunds.len();
        for (syssn, amt) in refunds {
            *accepted.entry(syssn).or_default() += amt;
        }
        for (syssn, amt) in mine {
            expected_orders.insert(syssn, (amt, mchid.clone()));
        }
    }
    let elapsed = started.elapsed();

    let orders = server.orders();
    let payments: Vec<_> = orders
        .iter()
        .filter(|o| o.order_type == OrderType::Payment)
        .collect();
    let refunds: Vec<_> = orders
        .iter()
        .filter(|o| o.order_type == OrderType::Refund)
        .collect();
    // no lost or extra order, no duplicate syssn
    assert_eq!(payments.len(), total_paid);
    assert_eq!(expected_orders.len(), total_paid);
    let mut syssns: Vec<_> = orders.iter().map(|o| o.syssn.as_str()).collect();
    syssns.sort_unstable();
    syssns.dedup();
    assert_eq!(syssns.len(), orders.len());
    for p in &payments {
        let (amt, mchid) = &expected_orders[&p.syssn];
        assert_eq!(p.txamt, *amt);
        assert_eq!(&p.mchid, mchid);
        // no refund exceeds its payment, and the books agree
        assert!(p.refunded <= p.txamt, "{p:?}");
        assert_eq!(p.refunded, accepted.get(&p.syssn).copied().unwrap_or(0));
        let sum: u64 = refunds
            .iter()
            .filter(|r| r.orig_syssn.as_deref() == Some(p.syssn.as_str()))
            .map(|r| r.txamt)
            .sum();
        assert_eq!(sum, p.refunded);
        assert_eq!(
            p.refunds.len(),
            refunds
                .iter()
                .filter(|r| r.orig_syssn.as_deref() == Some(&p.syssn))
                .count()
        );
    }
    assert_eq!(refunds.len(), accepted_count);
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    println!(
        "{} requests: {} payments, {} refunds in {elapsed:?}",
        TASKS * REQUESTS_PER_TASK,
        payments.len(),
        refunds.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_refunds_on_one_payment_never_exceed_it() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let syssn = s(&c.pay_cpm(1000, "1300000000").await.json(), "syssn");
    let mut handles = Vec::new();
    for _ in 0..64 {
        let c = c.clone();
        let syssn = syssn.clone();
        handles.push(tokio::spawn(
            async move { c.refund(&syssn, 30).await.respcd() },
        ));
    }
    let mut ok = 0;
    for h in handles {
        match h.await.unwrap().as_str() {
            "0000" => ok += 1,
            "1272" => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(ok, 33, "1000 / 30 = 33 refunds fit");
    assert_eq!(server.order(&syssn).unwrap().refunded, 990);
}
