//! Stateful trade endpoints: payment, query, refund, reversal/close, add_note.

mod common;

use common::*;
use qfpay_mock::{OrderStatus, OrderType};

#[tokio::test]
async fn cpm_completes_at_once() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let j = c.pay_cpm(250, "134857901234567890").await.json();
    assert_eq!(j["respcd"], "0000", "{j}");
    // The CPM example of the reference has a numeric txamt.
    assert_eq!(j["txamt"], 250);
    let syssn = s(&j, "syssn");
    assert_eq!(syssn.len(), 26);
    assert!(syssn.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(s(&j, "sysdtm").len(), 19);
    assert!(!s(&j, "chnlsn").is_empty());
    let order = server.order(&syssn).unwrap();
    assert!(order.status.is_success());
    assert_eq!(order.refundable(), 250);
}

#[tokio::test]
async fn cpm_requires_auth_code() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let a = c.pay(100, &[("pay_type", "800208")]).await;
    assert_eq!(a.respcd(), "1104");
    assert!(s(&a.json(), "resperr").contains("auth_code"));
}

#[tokio::test]
async fn mpm_stays_unpaid_until_paid() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let j = c
        .pay(1000, &[("pay_type", "800201"), ("goods_name", "咖啡")])
        .await
        .json();
    assert_eq!(j["respcd"], "0000");
    assert_eq!(j["txamt"], "1000");
    let qrcode = s(&j, "qrcode");
    let syssn = s(&j, "syssn");
    assert!(
        qrcode.starts_with(server.base_url()) && qrcode.ends_with(&syssn),
        "{qrcode}"
    );
    assert_eq!(server.order(&syssn).unwrap().status, OrderStatus::Unpaid);

    let q = c.query(&[("syssn", &syssn)]).await;
    assert_eq!(q["data"][0]["respcd"], "1143");
    assert_eq!(q["data"][0]["cancel"], "0");
    // unpaid orders cannot be refunded
    assert_eq!(c.refund(&syssn, 100).await.respcd(), "1261");

    let paid = server.pay(&syssn).unwrap();
    assert!(paid.status.is_success());
    assert!(paid.paydtm.is_some());
    let q = c.query(&[("syssn", &syssn)]).await;
    let rec = &q["data"][0];
    assert_eq!(rec["respcd"], "0000");
    assert_eq!(rec["order_type"], "payment");
    assert_eq!(rec["txamt"], "1000");
    assert_eq!(rec["goods_name"], "咖啡");
    // paying twice is refused
    assert!(server.pay(&syssn).is_err());
}

#[tokio::test]
async fn mpm_can_be_paid_through_the_checkout_page_by_out_trade_no() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let otn = otn();
    let j = c.pay(300, &[("out_trade_no", &otn)]).await.json();
    let qrcode = s(&j, "qrcode");
    let page = c
        .http
        .get(&qrcode)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<form"), "{page}");
    let r = c.http.post(&qrcode).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(server.order(&otn).unwrap().status.is_success());
    // control endpoint: already paid → 409
    let r = c
        .http
        .post(server.url(&format!("/__mock/pay/{otn}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = c
        .http
        .post(server.url("/__mock/pay/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn online_and_in_app_flows_return_urls_and_pay_params() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let wap = c
        .pay(
            300,
            &[
                ("pay_type", "801512"),
                ("return_url", "https://m.example/ok"),
            ],
        )
        .await
        .json();
    assert!(s(&wap, "pay_url").contains("/__mock/checkout/"), "{wap}");
    let jsapi = c
        .pay(300, &[("pay_type", "800207"), ("sub_openid", "oUser")])
        .await
        .json();
    let pp = &jsapi["pay_params"];
    for k in [
        "appId",
        "timeStamp",
        "nonceStr",
        "package",
        "signType",
        "paySign",
    ] {
        assert!(pp[k].is_string(), "{k} in {jsapi}");
    }
    let inapp = c.pay(300, &[("pay_type", "800210")]).await.json();
    assert!(inapp["pay_params"]["timestamp"].is_i64(), "{inapp}");
    let alipay = c.pay(300, &[("pay_type", "801510")]).await.json();
    assert_eq!(alipay["pay_params"]["total_fee"], 3.0);
    let window = c
        .pay(
            300,
            &[("pay_type", "800107"), ("openid", "2088802811715388")],
        )
        .await
        .json();
    assert!(window["pay_params"]["tradeNO"].is_string());
    // required per pay type
    assert_eq!(c.pay(300, &[("pay_type", "800207")]).await.respcd(), "1104");
    assert_eq!(c.pay(300, &[("pay_type", "800107")]).await.respcd(), "1104");
    assert_eq!(c.pay(300, &[("pay_type", "800212")]).await.respcd(), "1104");
    let h5 = c
        .pay(
            300,
            &[
                ("pay_type", "800212"),
                (
                    "extend_info",
                    r#"{"scene_info":{"h5_info":{"type":"Wap"}},"spbill_create_ip":"1.2.3.4"}"#,
                ),
            ],
        )
        .await;
    assert_eq!(h5.respcd(), "0000", "{}", h5.json());
    assert_eq!(
        c.pay(300, &[("pay_type", "800212"), ("extend_info", "not json")])
            .await
            .respcd(),
        "1104"
    );
    // all of them stay unpaid until the customer pays
    assert!(
        server
            .orders()
            .iter()
            .all(|o| o.status == OrderStatus::Unpaid)
    );
}

#[tokio::test]
async fn payment_validation_names_the_parameter() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let long = "x".repeat(129);
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("txamt", "0")], "txamt"),
        (&[("txamt", "10.00")], "txamt"),
        (&[("txamt", "123456789012")], "txamt"),
        (&[("txcurrcd", "XYZ")], "txcurrcd"),
        (&[("pay_type", "999999")], "pay_type"),
        (&[("txdtm", "2019-12-25T14:21:28")], "txdtm"),
        (&[("txdtm", "2019-02-30 10:00:00")], "txdtm"),
        (&[("out_trade_no", &long)], "out_trade_no"),
        (&[("goods_name", &long)], "goods_name"),
        (&[("expired_time", "3")], "expired_time"),
        (&[("notify_url", "ftp://x")], "notify_url"),
    ];
    for (extra, field) in cases {
        let a = c.pay(100, extra).await;
        let j = a.json();
        assert_eq!(j["respcd"], "1104", "{extra:?}: {j}");
        assert!(s(&j, "resperr").contains(field), "{extra:?}: {j}");
    }
    // a missing required parameter
    let a = c
        .post(
            "/trade/v1/payment",
            &[
                ("txamt", "100"),
                ("txcurrcd", "HKD"),
                ("pay_type", "800101"),
                ("txdtm", &now()),
            ],
        )
        .await;
    assert!(s(&a.json(), "resperr").contains("out_trade_no"));
    assert!(server.orders().is_empty());
}

#[tokio::test]
async fn duplicate_out_trade_no() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let otn = otn();
    let t = now();
    let pairs = [
        ("txamt", "100"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800101"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    assert_eq!(c.post("/trade/v1/payment", &pairs).await.respcd(), "0000");
    // the identical request again: duplicate request
    assert_eq!(c.post("/trade/v1/payment", &pairs).await.respcd(), "1102");
    // another payment with the same number: duplicate serial number
    let a = c.pay(200, &[("out_trade_no", &otn)]).await;
    assert_eq!(a.respcd(), "2011");
    assert_eq!(server.orders().len(), 1);
}

#[tokio::test]
async fn close_and_reversal() {
    let server = server().await;
    let c = Caller::merchant(&server);
    // close an unpaid MPM order by out_trade_no
    let otn = otn();
    let j = c
        .pay(500, &[("pay_type", "800201"), ("out_trade_no", &otn)])
        .await
        .json();
    let syssn = s(&j, "syssn");
    let t = now();
    // wrong amount
    let a = c
        .post(
            "/trade/v1/close",
            &[("out_trade_no", &otn), ("txamt", "400"), ("txdtm", &t)],
        )
        .await;
    assert_eq!(a.respcd(), "1266");
    let a = c
        .post(
            "/trade/v1/close",
            &[("out_trade_no", &otn), ("txamt", "500"), ("txdtm", &t)],
        )
        .await;
    let j = a.json();
    assert_eq!(j["respcd"], "0000", "{j}");
    assert_eq!(j["orig_syssn"], syssn.as_str());
    assert_ne!(j["syssn"], syssn.as_str());
    let order = server.order(&syssn).unwrap();
    assert_eq!(order.status, OrderStatus::Closed);
    assert_eq!(order.cancel, "2");
    assert!(server.pay(&syssn).is_err());
    let again = c
        .post(
            "/trade/v1/close",
            &[("syssn", &syssn), ("txamt", "500"), ("txdtm", &t)],
        )
        .await;
    assert_eq!(again.respcd(), "1264");
    let q = c.query(&[("syssn", &syssn)]).await;
    assert_eq!(q["data"][0]["cancel"], "2");

    // reverse a pending CPM order (GET works too: the docs say GET)
    let j = c.pay_cpm(700, "MOCK-NEVER-PAID").await.json();
    assert_eq!(j["respcd"], "1143");
    let syssn = s(&j, "syssn");
    let p = c.params(&[("syssn", &syssn), ("txamt", "700"), ("txdtm", &t)]);
    let sig = c.sign(&p);
    let a = c
        .send("GET", "/trade/v1/reversal", &p, Some(&sig), true)
        .await;
    assert_eq!(a.respcd(), "0000", "{}", a.json());
    let order = server.order(&syssn).unwrap();
    assert_eq!(order.status, OrderStatus::Reversed);
    assert_eq!(order.cancel, "1");

    // a paid order cannot be reversed
    let j = c.pay_cpm(800, "1300000000").await.json();
    let syssn = s(&j, "syssn");
    let a = c
        .post(
            "/trade/v1/reversal",
            &[("syssn", &syssn), ("txamt", "800"), ("txdtm", &t)],
        )
        .await;
    assert_eq!(a.respcd(), "1260");
    // syssn and out_trade_no naming different orders
    let a = c
        .post(
            "/trade/v1/reversal",
            &[
                ("syssn", &syssn),
                ("out_trade_no", &otn),
                ("txamt", "800"),
                ("txdtm", &t),
            ],
        )
        .await;
    assert_eq!(a.respcd(), "1267");
    let a = c
        .post("/trade/v1/reversal", &[("txamt", "800"), ("txdtm", &t)])
        .await;
    assert_eq!(a.respcd(), "1104");
    let a = c
        .post(
            "/trade/v1/reversal",
            &[("syssn", "1"), ("txamt", "800"), ("txdtm", &t)],
        )
        .await;
    assert_eq!(a.respcd(), "1268");
}

#[tokio::test]
async fn refund_rules() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let j = c.pay_cpm(1000, "1300000000").await.json();
    let syssn = s(&j, "syssn");

    // partial refunds accumulate
    let r1 = c.refund(&syssn, 300).await.json();
    assert_eq!(r1["respcd"], "0000", "{r1}");
    assert_eq!(r1["orig_syssn"], syssn.as_str());
    assert_eq!(r1["txamt"], "300");
    let r1_syssn = s(&r1, "syssn");
    assert_ne!(r1_syssn, syssn);
    assert_eq!(server.order(&syssn).unwrap().cancel, "5");
    let r2 = c.refund(&syssn, 600).await;
    assert_eq!(r2.respcd(), "0000");
    // more than the balance (100 left)
    let over = c.refund(&syssn, 101).await;
    assert_eq!(over.respcd(), "1272", "{}", over.json());
    assert_eq!(c.refund(&syssn, 100).await.respcd(), "0000");
    // fully refunded
    assert_eq!(c.refund(&syssn, 1).await.respcd(), "1262");
    let order = server.order(&syssn).unwrap();
    assert_eq!(order.refunded, 1000);
    assert_eq!(order.refunds.len(), 3);
    assert_eq!(order.cancel, "3");
    assert_eq!(order.refundable(), 0);

    // refunds appear in queries with origssn
    let q = c.query(&[("syssn", &r1_syssn)]).await;
    assert_eq!(q["data"][0]["order_type"], "refund");
    assert_eq!(q["data"][0]["origssn"], syssn.as_str());
    assert_eq!(
        server.order(&r1_syssn).unwrap().order_type,
        OrderType::Refund
    );

    // a refund needs its own unique out_trade_no
    let j = c.pay_cpm(1000, "1300000000").await.json();
    let syssn2 = s(&j, "syssn");
    let used_by_payment = s(&j, "out_trade_no");
    assert_eq!(
        c.refund_with(&syssn2, 10, &used_by_payment).await.respcd(),
        "2011"
    );
    let rno = otn();
    assert_eq!(c.refund_with(&syssn2, 10, &rno).await.respcd(), "0000");
    assert_eq!(c.refund_with(&syssn2, 20, &rno).await.respcd(), "2011");

    // unknown order, a refund of a refund, amount checks
    assert_eq!(
        c.refund("20990101000200020000000000", 10).await.respcd(),
        "1268"
    );
    assert_eq!(c.refund(&r1_syssn, 10).await.respcd(), "1136");
    assert_eq!(c.refund(&syssn2, 0).await.respcd(), "1104");
    // a failed payment cannot be refunded
    let f = c.pay_cpm(100, "MOCK-INSUFFICIENT").await.json();
    assert_eq!(c.refund(&s(&f, "syssn"), 10).await.respcd(), "1261");
    // FPS has no refunds
    let fps = c.pay(100, &[("pay_type", "802001")]).await.json();
    server.pay(&s(&fps, "syssn")).unwrap();
    assert_eq!(c.refund(&s(&fps, "syssn"), 10).await.respcd(), "1155");
}

#[tokio::test]
async fn query_filters_and_paging() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let mut syssns = Vec::new();
    let mut otns = Vec::new();
    for i in 0..25u64 {
        let otn = otn();
        let pt = if i % 5 == 0 { "800208" } else { "800101" };
        let mut extra = vec![("out_trade_no", otn.as_str()), ("pay_type", pt)];
        if pt == "800208" {
            extra.push(("auth_code", "1300000000"));
        }
        let j = c.pay(100 + i, &extra).await.json();
        syssns.push(s(&j, "syssn"));
        otns.push(otn);
    }
    // by several syssn
    let list = format!("{},{}", syssns[3], syssns[7]);
    let q = c.query(&[("syssn", &list)]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 2);
    // in creation order whatever the list's order; a repeated id once; an
    // unknown one ignored
    let list = format!(
        "{},{},{},20990101000100020000000001",
        syssns[7], syssns[3], syssns[7]
    );
    let q = c.query(&[("syssn", &list)]).await;
    let got: Vec<&str> = q["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["syssn"].as_str().unwrap())
        .collect();
    assert_eq!(got, [syssns[3].as_str(), syssns[7].as_str()]);
    let list = format!("{},{}", otns[9], otns[2]);
    let q = c.query(&[("out_trade_no", &list)]).await;
    assert_eq!(q["data"][0]["syssn"], syssns[2].as_str());
    assert_eq!(q["data"][1]["syssn"], syssns[9].as_str());
    // by out_trade_no
    let q = c.query(&[("out_trade_no", &otns[4])]).await;
    assert_eq!(q["data"][0]["syssn"], syssns[4].as_str());
    // by pay_type
    let q = c
        .query(&[("pay_type", "800208"), ("page_size", "100")])
        .await;
    assert_eq!(q["data"].as_array().unwrap().len(), 5);
    // by respcd
    let q = c.query(&[("respcd", "0000"), ("page_size", "100")]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 5);
    // default page: 10 of 25, current month
    let q = c.query(&[]).await;
    assert_eq!(q["page"], "1");
    assert_eq!(q["page_size"], "10");
    assert_eq!(q["data"].as_array().unwrap().len(), 10);
    let q = c.query(&[("page", "3"), ("page_size", "10")]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 5);
    assert_eq!(q["data"][4]["syssn"], syssns[24].as_str());
    let q = c.query(&[("page", "4")]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 0);
    // page_size is capped at 100
    let q = c.query(&[("page_size", "500")]).await;
    assert_eq!(q["page_size"], "100");
    // a time range of the current day contains them; another month does not
    let today = &now()[..10];
    let (start, end) = (format!("{today} 00:00:00"), format!("{today} 23:59:59"));
    let q = c
        .query(&[
            ("start_time", &start),
            ("end_time", &end),
            ("page_size", "100"),
        ])
        .await;
    assert_eq!(q["data"].as_array().unwrap().len(), 25);
    let q = c
        .query(&[
            ("start_time", "2001-01-01 00:00:00"),
            ("end_time", "2001-01-31 23:59:59"),
        ])
        .await;
    assert_eq!(q["data"].as_array().unwrap().len(), 0);
    // the range is ignored when syssn is given
    let q = c
        .query(&[("syssn", &syssns[0]), ("start_time", "2001-01-01 00:00:00")])
        .await;
    assert_eq!(q["data"].as_array().unwrap().len(), 1);
    // more than one calendar month, bad formats
    let a = c
        .post(
            "/trade/v1/query",
            &[
                ("start_time", "2001-01-01 00:00:00"),
                ("end_time", "2001-02-01 00:00:00"),
            ],
        )
        .await;
    assert_eq!(a.respcd(), "1104");
    let a = c
        .post("/trade/v1/query", &[("start_time", "2001-01-01")])
        .await;
    assert_eq!(a.respcd(), "1104");
    let a = c.post("/trade/v1/query", &[("page", "0")]).await;
    assert_eq!(a.respcd(), "1104");
}

#[tokio::test]
async fn add_note() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let j = c.pay_cpm(100, "1300000000").await.json();
    let syssn = s(&j, "syssn");
    let a = c
        .post(
            "/trade/v1/add_note",
            &[("code", APP), ("syssn", &syssn), ("note", "table 4")],
        )
        .await;
    let j = a.json();
    assert_eq!(j["respcd"], "0000", "{j}");
    assert_eq!(j["syssn"], syssn.as_str());
    assert_eq!(j["data"]["syssn"], syssn.as_str());
    assert_eq!(
        server.order(&syssn).unwrap().note.as_deref(),
        Some("table 4")
    );
    let long = "n".repeat(201);
    assert_eq!(
        c.post(
            "/trade/v1/add_note",
            &[("code", APP), ("syssn", &syssn), ("note", &long)]
        )
        .await
        .respcd(),
        "1104"
    );
    assert_eq!(
        c.post(
            "/trade/v1/add_note",
            &[("code", "OTHER"), ("syssn", &syssn), ("note", "x")]
        )
        .await
        .respcd(),
        "1104"
    );
    assert_eq!(
        c.post(
            "/trade/v1/add_note",
            &[("code", APP), ("syssn", "123"), ("note", "x")]
        )
        .await
        .respcd(),
        "1268"
    );
}

#[tokio::test]
async fn catalogue_endpoints_are_signature_checked() {
    let server = server().await;
    let c = Caller::merchant(&server);
    let a = c.post("/customer/v1/create", &[("email", "a@b.c")]).await;
    assert_eq!(a.respcd(), "0000");
    assert!(
        a.json()["data"]["customer_id"]
            .as_str()
            .unwrap()
            .starts_with("cust_")
    );
    let p = c.params(&[("code", "abc")]);
    let sig = c.sign(&p);
    let a = c
        .send("GET", "/tool/v1/get_weixin_openid", &p, Some(&sig), true)
        .await;
    assert!(a.json()["openid"].is_string());
    let a = c
        .send(
            "GET",
            "/tool/v1/get_weixin_openid",
            &p,
            Some(&"0".repeat(32)),
            true,
        )
        .await;
    assert_eq!(a.respcd(), "1108");
    // oauth code: signed in the query string, answered with a redirect
    let p =
        qfpay::RawParams::from_pairs([("app_code", APP), ("redirect_uri", "https://m.example/cb")]);
    let sig = c.sign(&p);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = format!(
        "{}/tool/v1/get_weixin_oauth_code?{}&sign={sig}",
        c.base,
        qfpay::form_body(&p)
    );
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let loc = r.headers()["location"].to_str().unwrap();
    assert!(loc.starts_with("https://m.example/cb?code="), "{loc}");
    let r = http
        .get(url.replace(&sig, &"0".repeat(32)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn respcd_filter_applies_before_paging() {
    let server = server().await;
    let c = Caller::merchant(&server);
    for i in 0..12u64 {
        // MPM orders stay 1143; every third one is paid by CPM
        if i % 3 == 0 {
            c.pay_cpm(100 + i, "1300000000").await;
        } else {
            c.pay(100 + i, &[]).await;
        }
    }
    let q = c.query(&[("respcd", "0000"), ("page_size", "2")]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 2);
    let q = c
        .query(&[("respcd", "0000"), ("page_size", "2"), ("page", "2")])
        .await;
    assert_eq!(q["data"].as_array().unwrap().len(), 2);
    let q = c.query(&[("respcd", "1143"), ("page_size", "100")]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 8);
}
