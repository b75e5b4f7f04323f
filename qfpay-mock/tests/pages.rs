//! The pages a developer opens in a browser, read as HTML (no browser):
//! the checkout page and its three choices, the dashboard, and the reason
//! a refused request carries in `MockServer::requests()`.

mod common;

use std::time::Duration;

use common::*;
use qfpay_mock::{DeliveryState, OrderStatus};

/// A client that does not follow redirects, to see the checkout's 303.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(url: &str) -> (u16, String) {
    let r = browser().get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let ctype = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = r.text().await.unwrap();
    if status == 200 {
        assert!(ctype.starts_with("text/html"), "{ctype}");
    }
    (status, body)
}

const HOSTILE: &str = "<script>alert(\"x\")</script>&'";
const HOSTILE_ESCAPED: &str = "&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt;&amp;&#x27;";

#[tokio::test]
async fn checkout_page_shows_the_order_and_escapes_it() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let j = c.pay(1000, &[("goods_name", HOSTILE)]).await.json();
    let qrcode = s(&j, "qrcode");
    let (status, page) = get(&qrcode).await;
    assert_eq!(status, 200);
    assert!(page.contains("HKD 10.00"), "{page}");
    assert!(page.contains(HOSTILE_ESCAPED), "{page}");
    assert!(!page.contains("<script>"), "{page}");
    for button in ["id=\"pay\"", "id=\"decline\"", "id=\"expire\""] {
        assert!(page.contains(button), "{button} missing: {page}");
    }
    assert!(page.contains(&s(&j, "out_trade_no")));

    let (status, page) = get(&server.url("/__mock/checkout/nope")).await;
    assert_eq!(status, 404);
    assert!(page.contains("No order"));
}

#[tokio::test]
async fn each_choice_changes_the_order_like_the_control_api() {
    let rx = Receiver::start(0).await;
    let server = builder().notify_url(&rx.url).start().await.unwrap();
    let c = Caller::merchant(&server);
    let http = browser();

    // Pay: 303 back to the page, paid, notified.
    let paid = c.pay(300, &[]).await.json();
    let syssn = s(&paid, "syssn");
    let r = http
        .post(server.url(&format!("/__mock/checkout/{syssn}/pay")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/__mock/checkout/{syssn}")
    );
    let q = c.query(&[("syssn", &syssn)]).await;
    assert_eq!(q["data"][0]["respcd"], "0000");
    let n = server
        .wait_for_notification(&syssn, Duration::from_secs(10))
        .await
        .expect("notified");
    assert_eq!(n.state, DeliveryState::Delivered);
    let (_, page) = get(&server.url(&format!("/__mock/checkout/{syssn}"))).await;
    assert!(
        page.contains("succeeded") && !page.contains("id=\"pay\""),
        "{page}"
    );
    // A second choice on a settled order is refused (409), like the control API.
    let r = http
        .post(server.url(&format!("/__mock/checkout/{syssn}/decline")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);

    // Decline and expire: the order ends unpaid with its code, no notification.
    for (choice, code) in [("decline", "1205"), ("expire", "1181")] {
        let j = c.pay(300, &[]).await.json();
        let syssn = s(&j, "syssn");
        let r = http
            .post(server.url(&format!("/__mock/checkout/{syssn}/{choice}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{choice}");
        let q = c.query(&[("syssn", &syssn)]).await;
        assert_eq!(q["data"][0]["respcd"], code, "{choice}: {q}");
        let expected = if choice == "expire" {
            OrderStatus::Expired
        } else {
            OrderStatus::Failed {
                respcd: code.into(),
            }
        };
        assert_eq!(server.order(&syssn).unwrap().status, expected);
    }
    // The control API makes the same choices.
    let j = c.pay(300, &[]).await.json();
    let r = http
        .post(server.url(&format!("/__mock/expire/{}", s(&j, "out_trade_no"))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let order: serde_json::Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(order["respcd"], "1181");
    // Only the paid order was notified.
    assert_eq!(server.notifications().len(), 1);
    assert_eq!(rx.count(), 1);
}

#[tokio::test]
async fn a_bad_signature_is_recorded_with_why() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let params = c.params(&[("txamt", "100"), ("out_trade_no", "R1")]);
    let good = c.sign(&params);
    let bad = "0".repeat(32);
    let a = c
        .send("POST", "/trade/v1/query", &params, Some(&bad), true)
        .await;
    assert_eq!(a.respcd(), "1108");

    let recs = server.requests();
    let why = recs[0].refusal.as_ref().expect("refusal recorded");
    assert_eq!(why.respcd, "1108");
    assert!(why.reason.contains("does not match"), "{}", why.reason);
    assert_eq!(
        why.signed_string.as_deref(),
        Some("out_trade_no=R1&txamt=100")
    );
    assert_eq!(why.expected_signature.as_deref(), Some(good.as_str()));
    assert_eq!(why.received_signature.as_deref(), Some(bad.as_str()));
    assert_eq!(why.mchid_rule, None);
    let json = serde_json::to_string(&recs).unwrap();
    assert!(!json.contains(KEY), "the key leaked: {json}");

    // A good request is not marked.
    c.post("/trade/v1/query", &[("syssn", "1")]).await;
    assert!(server.requests()[1].refusal.is_none());

    // The mchid rule, with the rule named.
    let agent = Caller::agent(&server);
    let mut no_mchid = agent.clone();
    no_mchid.mchid = None;
    let a = no_mchid.post("/trade/v1/query", &[("syssn", "1")]).await;
    assert_eq!(a.respcd(), "1104");
    let recs = server.requests();
    let why = recs.last().unwrap().refusal.as_ref().unwrap();
    assert_eq!(why.respcd, "1104");
    assert!(
        why.mchid_rule
            .as_deref()
            .is_some_and(|r| r.contains("agent")),
        "{why:?}"
    );
    assert_eq!(why.signed_string.as_deref(), Some("syssn=1"));

    // An unknown path, and a missing app code: a reason, no signed string.
    c.post("/trade/v1/nope", &[("a", "1")]).await;
    c.send("POST", "/trade/v1/query", &params, Some(&good), false)
        .await;
    let recs = server.requests();
    let n = recs.len();
    let unknown = recs[n - 2].refusal.as_ref().unwrap();
    assert!(unknown.reason.contains("no QFPay endpoint"), "{unknown:?}");
    let no_app = recs[n - 1].refusal.as_ref().unwrap();
    assert_eq!(no_app.respcd, "1108");
    assert_eq!(no_app.signed_string, None);
}

#[tokio::test]
async fn dashboard_lists_orders_notifications_and_refusals() {
    let rx = Receiver::start(1).await;
    let server = builder().notify_url(&rx.url).start().await.unwrap();
    let c = Caller::merchant(&server);
    let j = c.pay_cpm(500, "1300000000").await.json();
    let syssn = s(&j, "syssn");
    let r = c.refund(&syssn, 200).await.json();
    let refund = s(&r, "syssn");
    let hostile = c.pay(100, &[("goods_name", HOSTILE)]).await.json();
    let params = c.params(&[("syssn", &syssn)]);
    c.send(
        "POST",
        "/trade/v1/query",
        &params,
        Some(&"A".repeat(32)),
        true,
    )
    .await;
    server
        .wait_for_notifications(Duration::from_secs(10), |l| {
            l.len() == 2 && l.iter().all(|n| n.state.is_final())
        })
        .await;

    let (status, page) = get(&server.url("/__mock/")).await;
    assert_eq!(status, 200);
    // Orders, with the refund linked to its payment.
    assert!(page.contains(&syssn) && page.contains(&refund), "{page}");
    assert!(page.contains("HKD 2.00 refunded"), "{page}");
    assert!(page.contains(&s(&hostile, "syssn")));
    assert!(page.contains(HOSTILE_ESCAPED) && !page.contains("<script>"));
    // Notifications, with each attempt and the receiver's answer.
    assert!(page.contains("HTTP 500 <code>oops</code>"), "{page}");
    assert!(page.contains("HTTP 200 <code>SUCCESS</code>"), "{page}");
    // The refused request, with why; never the key.
    assert!(page.contains("class=\"refusal\""), "{page}");
    assert!(page.contains(&format!("<code>syssn={syssn}</code><span class=\"key\">")));
    assert!(page.contains(&"A".repeat(32)));
    assert!(page.contains(&c.sign(&params)));
    assert!(!page.contains(KEY));
}

#[tokio::test]
async fn dashboard_shows_only_the_latest_orders() {
    let server = server().await;
    let c = Caller::merchant(&server);
    for _ in 0..4 {
        c.pay(100, &[]).await;
    }
    let (_, page) = get(&server.url("/__mock/?limit=3")).await;
    assert!(page.contains("(latest 3 of 4)"), "{page}");
    assert_eq!(page.matches("<td>payment</td>").count(), 3);
}

/// The SDK's hosted checkout URL for `otn` on `server`, notifying
/// `notify`, and the query the page's script sends to `/checkstand/open`
/// (the fragment's parameters).
fn hosted(server: &qfpay_mock::MockServer, otn: &str, key: &str, notify: &str) -> (String, String) {
    use qfpay::api::CheckoutUrl;
    use qfpay::types::{Amount, Currency, GoodsName, NotifyUrl, OutTradeNo, ReturnUrl, TradeTime};
    let url = CheckoutUrl::builder()
        .appcode(APP)
        .txamt(Amount::new(4200))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::new(otn).unwrap())
        .txdtm(TradeTime::now())
        .return_url(ReturnUrl::new("https://shop.example/ok").unwrap())
        .failed_url("https://shop.example/fail")
        .notify_url(NotifyUrl::new(notify).unwrap())
        .goods_name(GoodsName::new("Tea & <cake>").unwrap())
        .build()
        .url(server.base_url(), &qfpay::ClientKey::new(key))
        .unwrap();
    let fragment = url
        .split_once("#/?")
        .map(|(_, f)| f.to_owned())
        .expect("a fragment");
    (url, fragment)
}

#[tokio::test]
async fn the_hosted_checkout_url_opens_an_unpaid_payment() {
    let rx = Receiver::start(0).await;
    let server = server().await;
    let otn = otn();
    let (url, fragment) = hosted(&server, &otn, KEY, &rx.url);
    assert!(url.starts_with(&server.url("/checkstand/#/?")), "{url}");
    let (status, shell) = get(&server.url("/checkstand/")).await;
    assert_eq!(status, 200);
    assert!(shell.contains("/checkstand/open?"), "{shell}");

    let open = server.url(&format!("/checkstand/open?{fragment}"));
    let r = browser().get(&open).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let order = server.order(&otn).expect("the checkout's payment");
    assert_eq!(location, format!("/__mock/checkout/{}", order.syssn));
    assert_eq!(order.status, OrderStatus::Unpaid);
    assert_eq!(order.txamt, 4200);
    assert_eq!(order.goods_name.as_deref(), Some("Tea & <cake>"));
    assert_eq!(order.notify_url.as_deref(), Some(rx.url.as_str()));
    let (_, page) = get(&server.url(&location)).await;
    assert!(
        page.contains("HKD 42.00") && page.contains("Tea &amp; &lt;cake&gt;"),
        "{page}"
    );

    // Opening the same URL again (a reload) leads to the same payment.
    let r = browser().get(&open).send().await.unwrap();
    assert_eq!(r.headers()["location"].to_str().unwrap(), location);
    assert_eq!(server.orders().len(), 1);

    // Pay on its page: the same path as the control API — paid, and the
    // checkout's notify_url notified.
    let r = browser()
        .post(server.url(&format!("{location}/pay")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let n = server
        .wait_for_notification(&order.syssn, Duration::from_secs(10))
        .await
        .expect("notified");
    assert_eq!(n.state, DeliveryState::Delivered);
    assert_eq!(rx.count(), 1);
    assert_eq!(server.order(&otn).unwrap().status, OrderStatus::Succeeded);

    // Another checkout left unpaid expires after the default 30 minutes of
    // the mock clock, like an MPM order.
    let late = self::otn();
    let (_, fragment) = hosted(&server, &late, KEY, &rx.url);
    let (status, _) = get(&server.url(&format!("/checkstand/open?{fragment}"))).await;
    assert_eq!(status, 303);
    server.advance(Duration::from_secs(29 * 60));
    assert_eq!(server.order(&late).unwrap().status, OrderStatus::Unpaid);
    server.advance(Duration::from_secs(2 * 60));
    assert_eq!(server.order(&late).unwrap().status, OrderStatus::Expired);
}

#[tokio::test]
async fn a_hosted_checkout_with_a_bad_signature_is_refused_with_why() {
    let server = server().await;
    let otn = otn();
    let (_, fragment) = hosted(&server, &otn, "NOT-THE-KEY", "http://127.0.0.1:9/notify");
    let (status, page) = get(&server.url(&format!("/checkstand/open?{fragment}"))).await;
    assert_eq!(status, 400);
    assert!(
        page.contains("1108") && page.contains("does not match"),
        "{page}"
    );
    assert!(server.order(&otn).is_none());
    let recs = server.requests();
    let why = recs
        .iter()
        .find(|r| r.path == "/checkstand/open")
        .and_then(|r| r.refusal.as_ref())
        .expect("the refusal is recorded");
    assert_eq!(why.respcd, "1108");
    let signed = why.signed_string.as_deref().unwrap();
    assert!(signed.starts_with("appcode=") && signed.contains("&paysource=remotepay_checkout&"));
    assert!(!signed.contains("sign="), "{signed}");
    assert!(why.received_signature.is_some() && why.expected_signature.is_some());
}
