//! Recurring payments (reference §19, §22.5) through the SDK's typed client:
//! customers, cards, products and subscriptions persist and page;
//! subscriptions bill on the mock clock; charge and cancel act on them.

mod common;

use std::time::Duration;

use common::*;
use qfpay::Client;
use qfpay::api::{
    CancelSubscription, ChargeSubscription, CreateCustomer, CreateProduct, CreateSubscription,
    CreateTokenIntent, ListBillingOrders, Query, QueryCustomers, QueryProducts, QuerySubscriptions,
    SubscriptionItem,
};
use qfpay::types::{
    Amount, BillingInterval, Currency, Json, NotifyUrl, SubscriptionState, Syssn, TradeTime,
};
use qfpay_mock::MockServer;
use serde_json::Value;

const HOUR: Duration = Duration::from_secs(3600);

struct Shop {
    server: MockServer,
    client: Client,
    rx: Receiver,
}

impl Shop {
    async fn open() -> Shop {
        let rx = Receiver::start(0).await;
        let server = builder().notify_url(&rx.url).start().await.unwrap();
        let client = typed_client(&server);
        Shop { server, client, rx }
    }

    async fn customer(&self, name: &str) -> String {
        let c = CreateCustomer::builder().name(name).build();
        let r = self.client.call(&c).await.expect("customer");
        r.data.expect("data").customer_id
    }

    /// A card saved by the customer through a token intent.
    async fn card(&self, customer_id: &str) -> String {
        let intent = CreateTokenIntent::builder()
            .customer_id(customer_id)
            .token_reason("subscription")
            .notify_url(NotifyUrl::new(self.rx.url.clone()).unwrap())
            .build();
        let intent = self.client.call(&intent).await.expect("token intent");
        self.server
            .save_card(&intent.token_intent)
            .expect("card saved")
    }

    /// An hourly product of `txamt` HKD cents.
    async fn product(&self, name: &str, txamt: u64) -> String {
        let p = CreateProduct::recurring(
            name,
            Amount::new(txamt),
            Currency::from_code("HKD"),
            BillingInterval::Hours,
            1,
        );
        self.client
            .call(&p)
            .await
            .expect("product")
            .data
            .expect("data")
            .product_id
    }

    async fn subscribe(
        &self,
        customer_id: &str,
        token_id: &str,
        product_id: &str,
        start: Option<TradeTime>,
        cycles: Option<u32>,
    ) -> (String, Option<SubscriptionState>) {
        let mut s = CreateSubscription::builder()
            .customer_id(customer_id)
            .token_id(token_id)
            .products(Json::new(vec![SubscriptionItem::new(product_id, 1)]).unwrap())
            .build();
        s.start_time = start;
        s.total_billing_cycles = cycles;
        let data = self
            .client
            .call(&s)
            .await
            .expect("subscription")
            .data
            .expect("data");
        (data.subscription_id, data.state)
    }

    async fn state(&self, id: &str) -> Option<SubscriptionState> {
        let q = QuerySubscriptions::builder().subscription_id(id).build();
        let r = self.client.call(&q).await.unwrap();
        r.data.into_iter().next().and_then(|s| s.state)
    }

    async fn billing_orders(&self, id: &str) -> Vec<qfpay::api::BillingOrder> {
        let l = ListBillingOrders::builder()
            .subscription_id(id)
            .page_size(100)
            .build();
        self.client.call(&l).await.unwrap().data
    }

    /// The bodies received with `notify_type` `kind`.
    fn received(&self, kind: &str) -> Vec<Value> {
        self.rx
            .bodies()
            .iter()
            .filter_map(|(_, b)| serde_json::from_slice::<Value>(b).ok())
            .filter(|v| v["notify_type"] == kind)
            .collect()
    }

    async fn settle(&self, n: usize) {
        let list = self
            .server
            .wait_for_notifications(Duration::from_secs(5), |l| {
                l.len() >= n && l.iter().all(|n| n.state.is_final())
            })
            .await;
        assert!(list.len() >= n, "{list:?}");
    }
}

/// `server.now()` + `d`.
fn later(server: &MockServer, d: Duration) -> TradeTime {
    let t = server.now().to_primitive().unwrap() + d;
    TradeTime::from(t)
}

#[tokio::test]
async fn a_subscription_bills_every_interval_passed_on_the_mock_clock() {
    let shop = Shop::open().await;
    let customer = shop.customer("Peter").await;
    let card = shop.card(&customer).await;
    assert!(card.starts_with("tk_"), "{card}");
    let product = shop.product("Gold", 300).await;
    // First billing one hour from now, then hourly, without end.
    let start = later(&shop.server, HOUR);
    let (sub, state) = shop
        .subscribe(&customer, &card, &product, Some(start), None)
        .await;
    assert_eq!(state, Some(SubscriptionState::Active));
    assert!(
        shop.billing_orders(&sub).await.is_empty(),
        "nothing billed before the start"
    );

    shop.server.advance(3 * HOUR + Duration::from_secs(1));
    let orders = shop.billing_orders(&sub).await;
    assert_eq!(orders.len(), 3, "{orders:?}");
    let ids: Vec<_> = orders
        .iter()
        .map(|o| o.subscription_order_id.clone())
        .collect();
    let id_part = sub.strip_prefix("sub_").unwrap();
    assert_eq!(
        ids,
        (1..=3)
            .map(|i| format!("sub_ord_{id_part}_{i:04}"))
            .collect::<Vec<_>>()
    );
    assert!(
        orders
            .iter()
            .all(|o| o.trigger_by.as_ref().map(|t| t.as_str()) == Some("auto"))
    );
    assert_eq!(
        orders.iter().map(|o| o.sequence_no).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );
    // Each billing is a paid transaction, found by query.
    for o in &orders {
        let syssn = Syssn::new(o.extra.text("syssn").unwrap()).unwrap();
        let q = shop
            .client
            .call(&Query::by_syssn(syssn.clone()))
            .await
            .unwrap();
        let rec = q.find_syssn(syssn.as_str()).expect("billed transaction");
        assert_eq!(rec.respcd.as_str(), "0000");
        assert_eq!(rec.txamt, Some(Amount::new(300)));
    }
    let q = QuerySubscriptions::builder().subscription_id(&sub).build();
    let s = shop.client.call(&q).await.unwrap().data.remove(0);
    assert_eq!(s.completed_billing_iteration, Some(3));
    assert!(
        s.next_billing_time.ends_with('Z'),
        "{}",
        s.next_billing_time
    );

    // The three notification types, at a loopback receiver.
    shop.settle(5).await;
    let tokens = shop.received("payment_token");
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0]["tokenid"], card.as_str());
    assert_eq!(tokens[0]["customer_id"], customer.as_str());
    assert_eq!(tokens[0]["event"], "NEW");
    let states = shop.received("subscription");
    assert_eq!(states.len(), 1);
    assert_eq!(states[0]["state"], "ACTIVE");
    let payments = shop.received("subscription_payment");
    assert_eq!(payments.len(), 3);
    for (i, p) in payments.iter().enumerate() {
        let event =
            qfpay::notify::Notification::from_json(&serde_json::to_vec(p).unwrap()).unwrap();
        assert_eq!(event.notify_type(), Some("subscription_payment"));
        assert_eq!(p["respcd"], "0000");
        assert_eq!(p["txamt"], "300");
        assert_eq!(p["subscription_id"], sub.as_str());
        assert_eq!(p["product_id"], product.as_str());
        assert!(
            ids.contains(&p["subscription_order_id"].as_str().unwrap().to_owned()),
            "{i}"
        );
    }

    // Cancelled: notified, and never billed again.
    let cancel = CancelSubscription::builder().subscription_id(&sub).build();
    shop.client.call(&cancel).await.expect("cancel");
    assert_eq!(shop.state(&sub).await, Some(SubscriptionState::Cancelled));
    assert_eq!(
        respcd_of(shop.client.call(&cancel).await.unwrap_err()),
        "1263"
    );
    shop.server.advance(5 * HOUR);
    assert_eq!(shop.billing_orders(&sub).await.len(), 3);
    shop.settle(6).await;
    assert_eq!(
        shop.received("subscription").last().unwrap()["state"],
        "CANCELLED"
    );
}

#[tokio::test]
async fn limited_cycles_complete_and_a_failed_billing_waits_for_charge() {
    let shop = Shop::open().await;
    let customer = shop.customer("Mary").await;
    let card = shop.card(&customer).await;

    // Two cycles from now: billed at once, then after an hour; COMPLETED.
    let gold = shop.product("Gold", 300).await;
    let (done, state) = shop.subscribe(&customer, &card, &gold, None, Some(2)).await;
    assert_eq!(state, Some(SubscriptionState::Active));
    assert_eq!(shop.billing_orders(&done).await.len(), 1);
    shop.server.advance(HOUR);
    assert_eq!(shop.state(&done).await, Some(SubscriptionState::Completed));
    shop.server.advance(3 * HOUR);
    assert_eq!(shop.billing_orders(&done).await.len(), 2);

    // 1205 is the amount scenario of a declined card: the first billing
    // fails, INCOMPLETE, and automatic billing stops until `charge`.
    let declined = shop.product("Declined", 1205).await;
    let (sub, state) = shop
        .subscribe(&customer, &card, &declined, None, None)
        .await;
    assert_eq!(state, Some(SubscriptionState::Incomplete));
    let orders = shop.billing_orders(&sub).await;
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].extra.text("respcd").as_deref(), Some("1205"));
    let failed = orders[0].subscription_order_id.clone();
    // Charging another order than the failed one: 1267.
    let wrong = ChargeSubscription::builder()
        .subscription_id(&sub)
        .subscription_order_id("sub_ord_x_0001")
        .build();
    assert_eq!(
        respcd_of(shop.client.call(&wrong).await.unwrap_err()),
        "1267"
    );
    // Charged before the next billing date: ACTIVE again, billing goes on.
    let charge = ChargeSubscription::builder()
        .subscription_id(&sub)
        .subscription_order_id(&failed)
        .build();
    shop.client.call(&charge).await.expect("charge");
    assert_eq!(shop.state(&sub).await, Some(SubscriptionState::Active));
    let orders = shop.billing_orders(&sub).await;
    assert_eq!(orders.len(), 2);
    assert_eq!(orders[1].subscription_order_id, failed);
    assert_eq!(
        orders[1].trigger_by.as_ref().map(|t| t.as_str()),
        Some("manual")
    );
    assert_eq!(orders[1].extra.text("respcd").as_deref(), Some("0000"));
    // Nothing failed any more: charge is refused (1136).
    assert_eq!(
        respcd_of(shop.client.call(&charge).await.unwrap_err()),
        "1136"
    );
    // The next automatic billing fails again (same amount): PAST_DUE; a
    // charge after the following billing date cancels the subscription.
    shop.server.advance(HOUR);
    assert_eq!(shop.state(&sub).await, Some(SubscriptionState::PastDue));
    shop.server.advance(HOUR);
    let charge = ChargeSubscription::builder().subscription_id(&sub).build();
    shop.client.call(&charge).await.expect("late charge");
    assert_eq!(shop.state(&sub).await, Some(SubscriptionState::Cancelled));

    shop.settle(8).await;
    let payments = shop.received("subscription_payment");
    assert!(
        payments
            .iter()
            .any(|p| p["respcd"] == "1205" && p["card_scheme"] == "")
    );
    let states: Vec<_> = shop
        .received("subscription")
        .iter()
        .map(|s| s["state"].as_str().unwrap().to_owned())
        .collect();
    for s in ["COMPLETED", "INCOMPLETE", "PAST_DUE", "CANCELLED"] {
        assert!(states.iter().any(|x| x == s), "{s} in {states:?}");
    }
}

#[tokio::test]
async fn customers_products_and_subscriptions_page() {
    let shop = Shop::open().await;
    let mut customers = Vec::new();
    for i in 0..23 {
        customers.push(shop.customer(&format!("C{i:02}")).await);
    }
    let page = |n, size| QueryCustomers::builder().page(n).page_size(size).build();
    let mut seen = Vec::new();
    for n in 1..=3 {
        let r = shop.client.call(&page(n, 10)).await.unwrap();
        assert_eq!(r.page, Some(u64::from(n)));
        seen.extend(r.data.into_iter().map(|c| c.customer_id));
    }
    assert_eq!(seen, customers, "every customer once, in creation order");
    assert!(
        shop.client
            .call(&page(4, 10))
            .await
            .unwrap()
            .data
            .is_empty()
    );
    let by_name = QueryCustomers::builder().name("C07").build();
    let r = shop.client.call(&by_name).await.unwrap();
    assert_eq!(r.data.len(), 1);
    assert_eq!(r.data[0].customer_id, customers[7]);

    let mut products = Vec::new();
    for i in 0..12 {
        products.push(shop.product(&format!("P{i}"), 100 + i).await);
    }
    let q = QueryProducts::builder().page(2).page_size(5).build();
    let r = shop.client.call(&q).await.unwrap();
    assert_eq!(
        r.data
            .iter()
            .map(|p| p.product_id.clone())
            .collect::<Vec<_>>(),
        products[5..10]
    );
    assert_eq!(r.data[0].txamt, Some(Amount::new(105)));

    let card = shop.card(&customers[0]).await;
    let mut subs = Vec::new();
    for p in &products[..3] {
        subs.push(shop.subscribe(&customers[0], &card, p, None, None).await.0);
    }
    let q = |n| {
        QuerySubscriptions::builder()
            .customer_id(&customers[0])
            .page(n)
            .page_size(2)
            .build()
    };
    let first = shop.client.call(&q(1)).await.unwrap().data;
    let second = shop.client.call(&q(2)).await.unwrap().data;
    let ids: Vec<_> = first
        .iter()
        .chain(&second)
        .map(|s| s.subscription_id.clone())
        .collect();
    assert_eq!(ids, subs);
    let other = QuerySubscriptions::builder()
        .customer_id(&customers[1])
        .build();
    assert!(shop.client.call(&other).await.unwrap().data.is_empty());
}
