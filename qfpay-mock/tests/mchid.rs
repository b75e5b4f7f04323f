//! The `mchid` rule of reference §4, both ways.

mod common;

use common::*;

#[tokio::test]
async fn merchant_app_must_not_send_mchid() {
    let server = server().await;
    let c = Caller::merchant(&server);
    assert_eq!(c.pay(100, &[]).await.respcd(), "0000");
    let a = c.pay(100, &[("mchid", "R1zQrTdJnn")]).await;
    assert_eq!(a.respcd(), "1104", "{}", a.json());
    assert!(s(&a.json(), "resperr").contains("mchid"));
    // not even empty
    let a = c
        .post_keep_empty(
            "/trade/v1/payment",
            &[
                ("txamt", "100"),
                ("txcurrcd", "HKD"),
                ("pay_type", "800101"),
                ("out_trade_no", &otn()),
                ("txdtm", &now()),
                ("mchid", ""),
            ],
        )
        .await;
    assert_eq!(a.respcd(), "1104", "{}", a.json());
}

#[tokio::test]
async fn agent_app_must_send_its_mchid() {
    let server = server().await;
    let agent = Caller::agent(&server);
    let a = agent.pay(100, &[]).await;
    assert_eq!(a.respcd(), "0000", "{}", a.json());
    let mut without = agent.clone();
    without.mchid = None;
    assert_eq!(without.pay(100, &[]).await.respcd(), "1104");
    let a = without
        .post_keep_empty(
            "/trade/v1/payment",
            &[
                ("txamt", "100"),
                ("txcurrcd", "HKD"),
                ("pay_type", "800101"),
                ("out_trade_no", &otn()),
                ("txdtm", &now()),
                ("mchid", ""),
            ],
        )
        .await;
    assert_eq!(a.respcd(), "1104", "{}", a.json());
    assert_eq!(
        without.pay(100, &[("mchid", "SomeoneElse")]).await.respcd(),
        "1104"
    );
    let order = server.orders().pop().unwrap();
    assert_eq!(order.mchid.as_deref(), Some(MCHID));
}

#[tokio::test]
async fn add_note_and_trade_bill_never_take_mchid() {
    let server = server().await;
    // agent: query carries mchid, add_note must not
    let agent = Caller::agent(&server);
    let paid = agent.pay_cpm(100, "134857901234567").await.json();
    let syssn = s(&paid, "syssn");
    let a = agent
        .post(
            "/trade/v1/add_note",
            &[("code", AGENT_APP), ("syssn", &syssn), ("note", "n")],
        )
        .await;
    assert_eq!(a.respcd(), "1104", "{}", a.json());
    let mut bare = agent.clone();
    bare.mchid = None;
    let a = bare
        .post(
            "/trade/v1/add_note",
            &[("code", AGENT_APP), ("syssn", &syssn), ("note", "n")],
        )
        .await;
    assert_eq!(a.respcd(), "0000", "{}", a.json());
    let p = qfpay::RawParams::from_pairs([("trade_date", "2025-01-02"), ("mchid", MCHID)]);
    let sig = agent.sign(&p);
    let a = agent
        .send("GET", "/download/v1/trade_bill", &p, Some(&sig), true)
        .await;
    assert_eq!(a.respcd(), "1104");
}

#[tokio::test]
async fn orders_are_scoped_per_merchant() {
    let server = qfpay_mock::MockServer::builder()
        .add_app(
            qfpay_mock::App::new(AGENT_APP, AGENT_KEY)
                .mchid("M1")
                .mchid("M2"),
        )
        .start()
        .await
        .unwrap();
    let mut m1 = Caller::agent(&server);
    m1.mchid = Some("M1".into());
    let mut m2 = m1.clone();
    m2.mchid = Some("M2".into());
    let otn = otn();
    let a = m1.pay(100, &[("out_trade_no", &otn)]).await;
    assert_eq!(a.respcd(), "0000");
    // the same out_trade_no is free for another merchant
    assert_eq!(
        m2.pay(100, &[("out_trade_no", &otn)]).await.respcd(),
        "0000"
    );
    let syssn = s(&a.json(), "syssn");
    // M2 cannot see or refund M1's order
    let q = m2.query(&[("syssn", &syssn)]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 0);
    let q = m1.query(&[("syssn", &syssn)]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 1);
}
