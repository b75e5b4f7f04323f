//! Secret hygiene over a whole traced session: client construction, calls
//! against the mock (successes, retries, API and transport errors, a bad
//! response signature), a verified and a forged notification — with a
//! subscriber capturing every log line and span at TRACE, and `Debug` /
//! `Display` of every public type touched. Neither the client key nor the
//! unredacted signing input (canonical string + key) may appear anywhere,
//! nor may the key go over the wire.

mod robust_common;
mod trace_capture;

use std::time::Duration;

use qfpay::api::{Payment, Refund};
use qfpay::notify::{self, NotifyError};
use qfpay::sign::SignBuffer;
use qfpay::transport::HttpResponse;
use qfpay::transport::mock::RecordingTransport;
use qfpay::types::{Amount, Currency, PayType, TradeTime};
use qfpay::{
    Client, ClientKey, Environment, Error, Method, RawParams, RawRequest, SignType, Signature,
};
use qfpay_mock::{App, Fault, FaultRule, MockServer};
use robust_common::*;

const AGENT: &str = "AGENT000000000000000000000000001";
const AGENT_KEY: &str = "AGENTSECRET-41f0c2e9d8b7a6f5e4d3c2b1";
const MCHID: &str = "R1zQrTdJnn";
/// An extra header's value (say, a gateway token): never shown either.
const HEADER_TOKEN: &str = "Bearer HDRSECRET-8b2f6d0e";

/// Everything shown during the session.
#[derive(Default)]
struct Shown(Vec<String>);

impl Shown {
    fn debug(&mut self, what: &str, value: &dyn std::fmt::Debug) {
        self.0.push(format!("{what}: {value:?} / {value:#?}"));
    }
    fn display(&mut self, what: &str, value: &dyn std::fmt::Display) {
        self.0.push(format!("{what}: {value}"));
    }
    fn error(&mut self, what: &str, error: &(dyn std::error::Error + 'static)) {
        self.display(what, &error);
        self.debug(what, &error);
        let mut source = error.source();
        while let Some(s) = source {
            self.display(what, &s);
            self.debug(what, &s);
            source = s.source();
        }
    }
}

#[tokio::test]
async fn a_traced_session_never_shows_the_key_or_the_signing_input() {
    // The test runs on one thread: the mock's tasks and the client's are
    // all traced by this subscriber.
    let (trace, _guard) = trace_capture::Trace::start();
    let mut shown = Shown::default();

    // Construction.
    let server = MockServer::builder()
        .add_app(App::new(APP, KEY))
        .add_app(App::new(AGENT, AGENT_KEY).mchid(MCHID))
        .notify_time_scale(0.0)
        .start()
        .await
        .unwrap();
    shown.debug("server", &server);
    shown.debug("app", &App::new(APP, KEY));
    let builder = client(&server).verify_response_signatures(true);
    shown.debug("builder", &builder);
    let merchant = builder.build().unwrap();
    let agent = Client::builder()
        .app_code(AGENT)
        .client_key(ClientKey::new(AGENT_KEY))
        .mchid(MCHID)
        .environment(Environment::Custom(server.base_url().to_owned()))
        .sign_type(SignType::Md5)
        .timeout(Duration::from_millis(400))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    for (name, c) in [("merchant", &merchant), ("agent", &agent)] {
        shown.debug(name, c);
        shown.debug("environment", c.environment());
        shown.display("environment", c.environment());
        shown.debug("mchid", &c.mchid());
    }
    shown.debug("key", &ClientKey::new(KEY));

    // Successful calls, both clients.
    let order = otn();
    let paid = within(10, merchant.call(&cpm(&order, 1000))).await.unwrap();
    shown.debug("payment response", &paid);
    let syssn = paid.syssn.clone().unwrap();
    let q = within(10, merchant.call(&query_by_otn(&order)))
        .await
        .unwrap();
    shown.debug("query response", &q);
    let refund = Refund::builder()
        .syssn(syssn.clone())
        .out_trade_no(otn())
        .txamt(Amount::new(100))
        .txdtm(TradeTime::now())
        .build();
    shown.debug("refund request", &refund);
    shown.debug(
        "refund response",
        &within(10, merchant.call(&refund)).await.unwrap(),
    );
    let agent_order = otn();
    shown.debug(
        "agent payment",
        &within(10, agent.call(&cpm(&agent_order, 500)))
            .await
            .unwrap(),
    );
    // A per-call view: its mchid and a credential-bearing extra header.
    let view = agent.with_options(
        qfpay::CallOptions::new()
            .mchid(qfpay::types::MchId::new(MCHID).unwrap())
            .header("Authorization", HEADER_TOKEN)
            .unwrap(),
    );
    shown.debug("view", &view);
    shown.debug(
        "view payment",
        &within(10, view.call(&cpm(&otn(), 300))).await.unwrap(),
    );
    shown.error(
        "header error",
        &qfpay::CallOptions::new()
            .header("X-QF-SIGN", HEADER_TOKEN)
            .unwrap_err(),
    );

    // Errors of every kind the session can meet.
    let mut errors: Vec<Error> = Vec::new();
    let too_much = Refund::builder()
        .syssn(syssn.clone())
        .out_trade_no(otn())
        .txamt(Amount::new(1_000_000))
        .txdtm(TradeTime::now())
        .build();
    errors.push(within(10, merchant.call(&too_much)).await.unwrap_err()); // Api
    server.inject(
        FaultRule::new(Fault::Status { status: 503 })
            .on_path("/trade/v1/query")
            .times(3),
    );
    errors.push(
        within(10, merchant.call(&query_by_otn(&order)))
            .await
            .unwrap_err(),
    ); // Http after retries
    server.inject(FaultRule::new(Fault::WrongSignature).on_path("/trade/v1/payment"));
    errors.push(
        within(10, merchant.call(&cpm(&otn(), 100)))
            .await
            .unwrap_err(),
    ); // ResponseSignature
    server.inject(FaultRule::new(Fault::NonJson).on_path("/trade/v1/payment"));
    errors.push(
        within(10, merchant.call(&cpm(&otn(), 100)))
            .await
            .unwrap_err(),
    ); // Decode
    server.inject(
        FaultRule::new(Fault::TooManyRequests {
            retry_after_secs: Some(7),
        })
        .on_path("/trade/v1/payment"),
    );
    errors.push(within(10, agent.call(&cpm(&otn(), 100))).await.unwrap_err()); // RateLimited
    server.inject(
        FaultRule::new(Fault::latency(Duration::from_secs(2))).on_path("/trade/v1/payment"),
    );
    errors.push(within(10, agent.call(&cpm(&otn(), 100))).await.unwrap_err()); // Timeout
    server.inject(FaultRule::new(Fault::DropConnection).on_path("/trade/v1/payment"));
    errors.push(within(10, agent.call(&cpm(&otn(), 100))).await.unwrap_err()); // Transport
    errors.push(
        within(10, merchant.call(&cpm(&otn(), 0)))
            .await
            .unwrap_err(),
    ); // InvalidRequest
    let dup = RawRequest::new(
        Method::Post,
        "/trade/v1/query",
        RawParams::from_pairs([("mchid", "X1")]),
    );
    shown.debug("raw request", &dup);
    errors.push(within(10, agent.call(&dup)).await.unwrap_err()); // DuplicateParam
    errors.push(
        Client::builder()
            .app_code("A\r\n")
            .client_key(KEY)
            .build()
            .unwrap_err(),
    ); // Build
    // A signature error from the server: its reply shows the signed string
    // without the key, which is fine; the key must still not appear.
    let wrong_key = client(&server)
        .client_key(ClientKey::new("WRONG-KEY-000"))
        .build()
        .unwrap();
    errors.push(
        within(10, wrong_key.call(&query_by_otn(&order)))
            .await
            .unwrap_err(),
    );
    for e in &errors {
        shown.error("error", e);
    }
    let kinds: Vec<_> = errors
        .iter()
        .map(|e| {
            format!("{e:?}")
                .split([' ', '{', '('])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "Api",
            "Http",
            "ResponseSignature",
            "Decode",
            "RateLimited",
            "Timeout",
            "Transport",
            "InvalidRequest",
            "DuplicateParam",
            "Build",
            "Api"
        ]
    );

    // A notification: the customer pays an MPM order; the mock signs and
    // sends it; it is verified with the key, and a forged one is refused.
    let mpm_order = otn();
    let mpm = Payment::builder()
        .pay_type(PayType::from_code("800101"))
        .txamt(Amount::new(300))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(mpm_order.clone())
        .txdtm(TradeTime::now())
        .build();
    let created = within(10, merchant.call(&mpm)).await.unwrap();
    let mpm_syssn = created.syssn.clone().unwrap();
    server.pay(mpm_syssn.as_str()).unwrap();
    let sent = within(
        10,
        server.wait_for_notification(mpm_syssn.as_str(), Duration::from_secs(5)),
    )
    .await
    .expect("the notification was made");
    shown.debug("mock notification", &sent);
    let event = notify::verify(
        sent.body.as_bytes(),
        Some(&sent.signature),
        &ClientKey::new(KEY),
    )
    .unwrap();
    shown.debug("event", &event);
    let forged = sent.body.replace("\"300\"", "\"30000\"");
    let refused = notify::verify(
        forged.as_bytes(),
        Some(&sent.signature),
        &ClientKey::new(KEY),
    )
    .unwrap_err();
    assert!(matches!(refused, NotifyError::BadSignature));
    shown.error("notify error", &refused);
    let not_json = notify::verify(
        b"\xff\xfe",
        Some(&Signature::compute(SignType::Md5, b"\xff\xfe", &ClientKey::new(KEY)).to_string()),
        &ClientKey::new(KEY),
    )
    .unwrap_err();
    shown.error("notify error", &not_json);

    // The signing machinery itself.
    let mut buf = SignBuffer::new();
    buf.encode(&refund, Some(("mchid", MCHID))).unwrap();
    shown.debug("sign buffer", &buf);
    shown.display("redacted input", &buf.redacted_sign_input());
    assert!(buf.redacted_sign_input().ends_with("{client_key}"));
    let sig = buf.signature(&ClientKey::new(KEY), SignType::Sha256);
    shown.debug("signature", &sig);
    shown.display("signature", &sig);

    // The transport layer's requests and responses.
    let transport = RecordingTransport::new();
    transport.push_response(
        HttpResponse::json(200, r#"{"respcd":"0000"}"#).with_header("X-QF-SIGN", "00"),
    );
    let recorded = client_for("http://qfpay.test")
        .transport(transport.clone())
        .build()
        .unwrap();
    let _ = within(5, recorded.call(&query_by_otn(&order))).await;
    for request in transport.requests() {
        shown.debug("http request", &request);
    }
    shown.debug("transport", &transport);

    // What the server received, and its state.
    let received = server.requests();
    for r in &received {
        shown.debug("recorded", r);
    }
    for o in server.orders() {
        shown.debug("order", &o);
    }
    let wire: String = received.iter().map(|r| format!("{r:?}")).collect();
    for key in [KEY, AGENT_KEY] {
        assert!(!wire.contains(key), "the key went over the wire");
    }

    // The verdict.
    let log = trace.text();
    assert!(
        log.contains("qfpay.call"),
        "the session was not traced: {log}"
    );
    assert!(log.contains("retrying"), "retries were not traced: {log}");
    let everything = format!("{log}\n{}", shown.0.join("\n"));
    // The unredacted signing inputs of every request sent.
    let mut inputs = Vec::new();
    for r in &received {
        let params = if r.method == "GET" {
            RawParams::from_form(r.query.clone().unwrap_or_default().as_bytes())
        } else {
            RawParams::from_form(r.body.as_bytes())
        };
        let canonical = qfpay::canonical_string(&params);
        inputs.push(format!("{canonical}{KEY}"));
        inputs.push(format!("{canonical}{AGENT_KEY}"));
    }
    // The SDK's side: the trace and everything shown but the mock's own record of the wire.
    let sdk_side = shown.0.iter().filter(|s| !s.starts_with("recorded:"));
    for text in sdk_side.chain(std::iter::once(&log)) {
        assert!(
            !text.contains("HDRSECRET"),
            "an extra header's value was shown: {text}"
        );
    }
    assert!(wire.contains("HDRSECRET"), "the extra header was not sent");
    for key in [KEY, AGENT_KEY] {
        assert!(!everything.contains(key), "the key `{key}` was shown");
        // Not even a recognisable part of it.
        assert!(
            !everything.contains(&key[..16]),
            "part of the key `{key}` was shown"
        );
    }
    for input in &inputs {
        assert!(
            !everything.contains(input.as_str()),
            "a signing input was shown: {input}"
        );
    }
}
