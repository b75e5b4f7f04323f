//! The client and the mock under sustained concurrent use: 64 tasks share
//! one `Client` (one connection pool) and pay, query and refund without a
//! single error, and the mock's order state ends exactly as the answers
//! said.
//!
//! CI runs 2,000 requests. The full run:
//! `cargo test --release --test robust_load -- --ignored --nocapture`
//! (10,000 requests; `QFPAY_LOAD_REQUESTS=N` sets another count). Both
//! print throughput and latency percentiles.

mod robust_common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use qfpay::api::Refund;
use qfpay::types::{Amount, TradeTime};
use qfpay::{Client, RetryPolicy};
use qfpay_mock::{OrderStatus, OrderType};
use robust_common::*;

const CONCURRENCY: usize = 64;

/// What one task did: its paid orders (`syssn`, amount, refunded) and the
/// duration of every request.
struct Report {
    orders: Vec<(String, String, u64, u64)>,
    latencies: Vec<Duration>,
}

async fn worker(client: Client, quota: usize, seed: usize) -> Report {
    let mut report = Report {
        orders: Vec::new(),
        latencies: Vec::with_capacity(quota),
    };
    let mut i = 0usize;
    while report.latencies.len() < quota {
        i += 1;
        let amount = 200 + ((seed * 31 + i * 7) % 97) as u64 * 10;
        let order = otn();

        let t = Instant::now();
        let paid = client.call(&cpm(&order, amount)).await.expect("payment");
        report.latencies.push(t.elapsed());
        assert!(paid.envelope.respcd.is_accepted(), "{paid:?}");
        let syssn = paid.syssn.clone().expect("a syssn");
        assert_eq!(paid.txamt, Some(Amount::new(amount)));
        if report.latencies.len() >= quota {
            report.orders.push((
                syssn.as_str().to_owned(),
                order.as_str().to_owned(),
                amount,
                0,
            ));
            break;
        }

        let t = Instant::now();
        let q = client.call(&query_by_syssn(&syssn)).await.expect("query");
        report.latencies.push(t.elapsed());
        let record = q.find_syssn(syssn.as_str()).expect("the payment is found");
        assert!(record.respcd.is_accepted(), "{record:?}");
        assert_eq!(record.txamt, Some(Amount::new(amount)));

        let mut refunded = 0;
        if i.is_multiple_of(2) && report.latencies.len() < quota {
            let refund = Refund::builder()
                .syssn(syssn.clone())
                .out_trade_no(otn())
                .txamt(Amount::new(amount / 2))
                .txdtm(TradeTime::now())
                .build();
            let t = Instant::now();
            let r = client.call(&refund).await.expect("refund");
            report.latencies.push(t.elapsed());
            assert!(r.envelope.respcd.is_accepted(), "{r:?}");
            refunded = amount / 2;
        }
        report.orders.push((
            syssn.as_str().to_owned(),
            order.as_str().to_owned(),
            amount,
            refunded,
        ));
    }
    report
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

async fn run(total: usize) {
    let server = mock_builder()
        .max_recorded_requests(0)
        .start()
        .await
        .unwrap();
    // No retries: every error would be an error of the run.
    let client = client(&server)
        .timeout(Duration::from_secs(30))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let quota = total.div_ceil(CONCURRENCY);
    let handles: Vec<_> = (0..CONCURRENCY)
        .map(|seed| tokio::spawn(worker(client.clone(), quota, seed)))
        .collect();
    let mut latencies = Vec::with_capacity(total);
    let mut expected: HashMap<String, (String, u64, u64)> = HashMap::new();
    for h in handles {
        let report = within(600, h).await.expect("a worker failed");
        latencies.extend(report.latencies);
        for (syssn, otn, amount, refunded) in report.orders {
            assert!(
                expected.insert(syssn, (otn, amount, refunded)).is_none(),
                "a syssn was reused"
            );
        }
    }
    let elapsed = started.elapsed();

    // The mock's state is exactly what the answers said.
    let orders = server.orders();
    let payments: Vec<_> = orders
        .iter()
        .filter(|o| o.order_type == OrderType::Payment)
        .collect();
    let refunds = orders
        .iter()
        .filter(|o| o.order_type == OrderType::Refund)
        .count();
    assert_eq!(payments.len(), expected.len(), "payments created");
    assert_eq!(
        refunds,
        expected.values().filter(|(_, _, r)| *r > 0).count(),
        "refunds created"
    );
    for o in payments {
        let (otn, amount, refunded) = expected.get(&o.syssn).expect("an order nobody paid");
        assert_eq!(&o.out_trade_no, otn);
        assert_eq!(o.txamt, *amount);
        assert_eq!(o.refunded, *refunded, "{o:?}");
        assert_eq!(o.status, OrderStatus::Succeeded, "{o:?}");
    }

    latencies.sort();
    let n = latencies.len();
    assert!(n >= total);
    let throughput = n as f64 / elapsed.as_secs_f64();
    eprintln!(
        "load: {n} requests at concurrency {CONCURRENCY} in {:.2} s = {throughput:.0} req/s; \
         latency p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} build)",
        elapsed.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.90).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies[n - 1].as_secs_f64() * 1e3,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
    );
    server.shutdown().await;
}

fn requested(default: usize) -> usize {
    std::env::var("QFPAY_LOAD_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_requests_at_concurrency_64() {
    run(2_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the full 10,000-request run; use --release --ignored"]
async fn ten_thousand_requests_at_concurrency_64() {
    run(requested(10_000)).await;
}
