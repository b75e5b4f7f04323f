//! Recurring objects in a state file (reference §19, §22.5): customers,
//! card tokens, products, subscriptions and billing orders survive a
//! restart of the mock — an orderly one of the library's server and a
//! SIGKILL of the binary — with the same ids; what was billed is not billed
//! again, what falls due afterwards is billed once, and notified.

mod common;

use std::path::Path;
use std::process::Child;
use std::time::Duration;

use common::*;
use qfpay::Client;
use qfpay::api::{
    BillingOrder, CreateCustomer, CreateProduct, CreateSubscription, CreateTokenIntent, Customer,
    ListBillingOrders, Product, Query, QueryCustomers, QueryProducts, QuerySubscriptions,
    Subscription, SubscriptionItem, UpdateSubscription,
};
use qfpay::types::{
    Amount, BillingInterval, Currency, Json, NotifyUrl, OutTradeNo, Syssn, TradeTime,
};
use qfpay_mock::{MockServer, Order};
use serde_json::Value;

const HOUR: Duration = Duration::from_secs(3600);

/// How the mock runs, and how it is stopped.
#[derive(Clone, Copy)]
enum Run {
    /// The library's server, shut down in order.
    Library,
    /// The `qfpay-mock` binary, killed with SIGKILL.
    Binary,
}

/// A running mock on a state file, driven over HTTP only (the SDK for the
/// QFPay API, `/__mock/…` for the customer and the clock), whichever way it
/// runs.
struct Mock {
    base: String,
    client: Client,
    http: reqwest::Client,
    server: Option<MockServer>,
    child: Option<Child>,
}

impl Mock {
    async fn start(run: Run, file: &Path, notify_url: &str) -> Mock {
        let (base, server, child) = match run {
            Run::Library => {
                let server = builder()
                    .notify_url(notify_url)
                    .state_file(file)
                    .start()
                    .await
                    .expect("mock starts on its file");
                (server.base_url().to_owned(), Some(server), None)
            }
            Run::Binary => {
                let (child, base) = spawn_mock_binary(
                    env!("CARGO_BIN_EXE_qfpay-mock"),
                    &[
                        "--notify-url".as_ref(),
                        notify_url.as_ref(),
                        "--state".as_ref(),
                        file.as_os_str(),
                    ],
                );
                (base, None, Some(child))
            }
        };
        Mock {
            client: typed_client_at(&base),
            base,
            http: reqwest::Client::new(),
            server,
            child,
        }
    }

    /// Shuts the library's server down; kills the binary (SIGKILL).
    async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    async fn control(&self, path: &str, body: &str) -> Value {
        let r = self
            .http
            .post(format!("{}/__mock/{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        serde_json::from_slice(&r.bytes().await.unwrap()).unwrap()
    }

    async fn advance(&self, by: Duration) {
        self.control("clock/advance", &format!("seconds={}", by.as_secs()))
            .await;
    }

    async fn orders(&self) -> Vec<Order> {
        let r = self.http.get(format!("{}/__mock/orders", self.base));
        serde_json::from_slice(&r.send().await.unwrap().bytes().await.unwrap()).unwrap()
    }

    async fn customers(&self) -> Vec<Customer> {
        let q = QueryCustomers::builder().page_size(100).build();
        self.client.call(&q).await.unwrap().data
    }

    async fn products(&self) -> Vec<Product> {
        let q = QueryProducts::builder().page_size(100).build();
        self.client.call(&q).await.unwrap().data
    }

    async fn subscriptions(&self) -> Vec<Subscription> {
        let q = QuerySubscriptions::builder().page_size(100).build();
        self.client.call(&q).await.unwrap().data
    }

    async fn billing_orders(&self, sub: &str) -> Vec<BillingOrder> {
        let l = ListBillingOrders::builder()
            .subscription_id(sub)
            .page_size(100)
            .build();
        self.client.call(&l).await.unwrap().data
    }

    /// A customer with a card saved through a token intent, an hourly
    /// product of 300 HKD cents, and a subscription to it from `start`
    /// (now when `None`): their ids.
    async fn subscriber(&self, notify_url: &str, start: Option<TradeTime>) -> Ids {
        let c = CreateCustomer::builder()
            .name("Peter")
            .email("peter@example.com")
            .build();
        let customer = self.client.call(&c).await.unwrap().data.unwrap();
        let intent = CreateTokenIntent::builder()
            .customer_id(&customer.customer_id)
            .token_reason("subscription")
            .notify_url(NotifyUrl::new(notify_url).unwrap())
            .build();
        let intent = self.client.call(&intent).await.unwrap().token_intent;
        let token = self
            .control(&format!("save_card/{intent}"), "")
            .await
            .get("token_id")
            .and_then(Value::as_str)
            .expect("a token id")
            .to_owned();
        let p = CreateProduct::recurring(
            "Gold",
            Amount::new(300),
            Currency::from_code("HKD"),
            BillingInterval::Hours,
            1,
        );
        let product = self.client.call(&p).await.unwrap().data.unwrap();
        let mut s = CreateSubscription::builder()
            .customer_id(&customer.customer_id)
            .token_id(&token)
            .products(Json::new(vec![SubscriptionItem::new(&product.product_id, 1)]).unwrap())
            .build();
        s.start_time = start;
        let sub = self.client.call(&s).await.unwrap().data.unwrap();
        Ids {
            customer: customer.customer_id,
            token,
            product: product.product_id,
            subscription: sub.subscription_id,
        }
    }

    /// The billing `order_id` as a transaction: found by `out_trade_no`
    /// exactly once, paid, and once among the mock's orders.
    async fn billed_once(&self, order_id: &str, syssn: &str) {
        let q = Query::by_out_trade_no(OutTradeNo::new(order_id).unwrap());
        let q = self.client.call(&q).await.unwrap();
        let found: Vec<_> = q.find_out_trade_no(order_id).collect();
        assert_eq!(found.len(), 1, "{order_id}: {q:?}");
        assert_eq!(found[0].respcd.as_str(), "0000");
        assert_eq!(found[0].txamt, Some(Amount::new(300)));
        let q = Query::by_syssn(Syssn::new(syssn).unwrap());
        let q = self.client.call(&q).await.unwrap();
        assert!(q.find_syssn(syssn).is_some(), "{syssn}: {q:?}");
        let orders = self.orders().await;
        assert_eq!(
            orders.iter().filter(|o| o.out_trade_no == order_id).count(),
            1,
            "{order_id} among the mock's orders"
        );
    }
}

impl Drop for Mock {
    /// A failed test leaves no process behind.
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The ids of one subscriber's objects.
struct Ids {
    customer: String,
    token: String,
    product: String,
    subscription: String,
}

/// `sub_ord_<id part>_<iteration>` of `sub` (§19.3).
fn order_id(sub: &str, iteration: u64) -> String {
    let part = sub.strip_prefix("sub_").unwrap_or(sub);
    format!("sub_ord_{part}_{iteration:04}")
}

/// The `subscription_payment` bodies `rx` received for billing `order_id`.
fn payments_of(rx: &Receiver, order_id: &str) -> Vec<Value> {
    rx.bodies()
        .iter()
        .filter_map(|(_, b)| serde_json::from_slice::<Value>(b).ok())
        .filter(|v| {
            v["notify_type"] == "subscription_payment" && v["subscription_order_id"] == order_id
        })
        .collect()
}

/// [`payments_of`] once one has arrived (or after 5 s), then a moment
/// more for a second one, which must not come.
async fn notified_once(rx: &Receiver, order_id: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while payments_of(rx, order_id).is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut sent = payments_of(rx, order_id);
    assert_eq!(sent.len(), 1, "{order_id} notified once: {sent:?}");
    sent.remove(0)
}

/// Billed at once and after an hour; restarted (`run`); everything listed
/// as before with the same ids; the next hour billed once and notified.
async fn recurring_objects_survive(run: Run) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    let rx = Receiver::start(0).await;
    let mock = Mock::start(run, &file, &rx.url).await;
    let ids = mock.subscriber(&rx.url, None).await;
    mock.advance(HOUR + Duration::from_secs(1)).await;
    let billed = mock.billing_orders(&ids.subscription).await;
    assert_eq!(billed.len(), 2, "{billed:?}");
    // Both billings delivered before the stop (nothing left to resend).
    for i in 1..=2 {
        notified_once(&rx, &order_id(&ids.subscription, i)).await;
    }
    let customers = mock.customers().await;
    let products = mock.products().await;
    let subscriptions = mock.subscriptions().await;
    assert_eq!(subscriptions.len(), 1);
    assert_eq!(subscriptions[0].completed_billing_iteration, Some(2));
    assert_eq!(subscriptions[0].token_id, ids.token);
    mock.stop().await;

    let mock = Mock::start(run, &file, &rx.url).await;
    assert_eq!(mock.customers().await, customers);
    assert_eq!(customers[0].customer_id, ids.customer);
    assert_eq!(customers[0].email, "peter@example.com");
    assert_eq!(mock.products().await, products);
    assert_eq!(products[0].product_id, ids.product);
    assert_eq!(
        mock.subscriptions().await,
        subscriptions,
        "state, iterations and next billing time kept"
    );
    // Not billed again by the restart.
    assert_eq!(mock.billing_orders(&ids.subscription).await, billed);
    for (i, b) in (1..).zip(&billed) {
        assert_eq!(b.subscription_order_id, order_id(&ids.subscription, i));
        let syssn = b.extra.text("syssn").expect("syssn");
        mock.billed_once(&b.subscription_order_id, &syssn).await;
    }
    // The card token is still the customer's: a subscription accepts it.
    let update = UpdateSubscription::builder()
        .subscription_id(&ids.subscription)
        .token_id(&ids.token)
        .build();
    mock.client.call(&update).await.expect("the token is known");

    // The next hour: billed once, notified once.
    mock.advance(HOUR).await;
    let after = mock.billing_orders(&ids.subscription).await;
    assert_eq!(after.len(), 3, "{after:?}");
    assert_eq!(after[..2], billed[..]);
    let third = order_id(&ids.subscription, 3);
    assert_eq!(after[2].subscription_order_id, third);
    assert_eq!(after[2].sequence_no, Some(3));
    mock.billed_once(&third, &after[2].extra.text("syssn").unwrap())
        .await;
    let sent = notified_once(&rx, &third).await;
    assert_eq!(sent["respcd"], "0000");
    assert_eq!(sent["current_iteration"], "3");
    assert_eq!(sent["subscription_id"], ids.subscription.as_str());
    // Nothing billed before the restart was notified again.
    for i in 1..=2 {
        assert_eq!(payments_of(&rx, &order_id(&ids.subscription, i)).len(), 1);
    }
    let subs = mock.subscriptions().await;
    assert_eq!(subs[0].completed_billing_iteration, Some(3));
    mock.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recurring_objects_survive_an_orderly_restart() {
    recurring_objects_survive(Run::Library).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recurring_objects_survive_a_sigkill_of_the_binary() {
    recurring_objects_survive(Run::Binary).await;
}

/// A billing that fell due while the mock was down (real time passed) is
/// billed after the restart, once, at its scheduled time, and notified.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_billing_due_while_the_mock_was_down_is_billed_once_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    let rx = Receiver::start(0).await;
    let mock = Mock::start(Run::Library, &file, &rx.url).await;
    let now = mock.server.as_ref().unwrap().now();
    let start = TradeTime::from(now.to_primitive().unwrap() + Duration::from_secs(3));
    let ids = mock.subscriber(&rx.url, Some(start)).await;
    assert!(mock.billing_orders(&ids.subscription).await.is_empty());
    mock.stop().await;

    // Down until past the start (real time: the mock clock follows it).
    tokio::time::sleep(Duration::from_millis(4200)).await;
    let mock = Mock::start(Run::Library, &file, &rx.url).await;
    let billed = mock.billing_orders(&ids.subscription).await;
    assert_eq!(billed.len(), 1, "{billed:?}");
    let first = order_id(&ids.subscription, 1);
    assert_eq!(billed[0].subscription_order_id, first);
    assert_eq!(
        billed[0].extra.text("sysdtm").as_deref(),
        Some(start.as_str())
    );
    mock.billed_once(&first, &billed[0].extra.text("syssn").unwrap())
        .await;
    notified_once(&rx, &first).await;
    mock.stop().await;

    // And only once: a second restart does not bill it again.
    let mock = Mock::start(Run::Library, &file, &rx.url).await;
    assert_eq!(mock.billing_orders(&ids.subscription).await, billed);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(payments_of(&rx, &first).len(), 1);
    mock.stop().await;
}
