//! What a call tells `tracing`, field by field, captured by a small `Layer`:
//! one `qfpay.call` span per call carrying path, `out_trade_no`, `syssn` and
//! `mchid`, each field recorded once however many attempts there were; one
//! `qfpay attempt` event per attempt inside it with its number, status and
//! duration; never the key, the signature or a header value.
//!
//! One test in this binary: a scoped subscriber and calls on other threads
//! would race over the callsites' cached interest.

mod robust_common;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use qfpay::{CallOptions, Client, ClientKey, Environment};
use qfpay_mock::{App, Fault, FaultRule, MockServer};
use robust_common::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

const AGENT: &str = "AGENT000000000000000000000000003";
const AGENT_KEY: &str = "AGENTKEY-trace-0c4f7a2b91";
const SHOP: &str = "TraceShop1";
const TOKEN: &str = "HEADER-TOKEN-9e8d7c";

/// Every field ever given to a span (at creation and each `record`) and
/// every event with the span it happened in.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Log>>);

/// Field name and value, in the order given.
type FieldList = Vec<(String, String)>;

#[derive(Default)]
struct Log {
    /// Span id → (name, fields).
    spans: HashMap<u64, (&'static str, FieldList)>,
    /// (The span it happened in, fields).
    events: Vec<(Option<u64>, FieldList)>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let mut log = self.0.lock().unwrap();
        log.spans
            .insert(id.into_u64(), (attrs.metadata().name(), fields));
    }
    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut log = self.0.lock().unwrap();
        if let Some((_, fields)) = log.spans.get_mut(&id.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }
    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        let parent = ctx.event_span(event).map(|s| s.id().into_u64());
        self.0.lock().unwrap().events.push((parent, fields));
    }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Each field at most once: recorded values never pile up.
fn assert_each_once(fields: &[(String, String)]) {
    let mut seen = HashMap::new();
    for (name, _) in fields {
        *seen.entry(name.as_str()).or_insert(0) += 1;
    }
    assert!(
        seen.values().all(|n| *n == 1),
        "a field recorded twice: {fields:?}"
    );
}

#[tokio::test]
async fn spans_and_attempt_events_carry_the_ids_once_and_no_secret() {
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));

    let server = MockServer::builder()
        .add_app(App::new(AGENT, AGENT_KEY).mchid(SHOP))
        .notify_time_scale(0.0)
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .app_code(AGENT)
        .client_key(ClientKey::new(AGENT_KEY))
        .environment(Environment::Custom(server.base_url().to_owned()))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
        .with_options(
            CallOptions::new()
                .mchid(qfpay::types::MchId::new(SHOP).unwrap())
                .header("X-Api-Token", TOKEN)
                .unwrap(),
        );

    // A payment: out_trade_no from the request, syssn from the reply.
    let order = otn();
    let paid = within(10, client.call(&cpm(&order, 500))).await.unwrap();
    let syssn = paid.syssn.clone().unwrap();
    // A query retried twice (two 503s, then the answer).
    server.inject(
        FaultRule::new(Fault::Status { status: 503 })
            .on_path("/trade/v1/query")
            .times(2),
    );
    within(10, client.call(&query_by_syssn(&syssn)))
        .await
        .unwrap();

    let log = capture.0.lock().unwrap();
    let calls: Vec<(u64, &FieldList)> = log
        .spans
        .iter()
        .filter(|(_, (name, _))| *name == "qfpay.call")
        .map(|(id, (_, fields))| (*id, fields))
        .collect();
    assert_eq!(calls.len(), 2, "one span per call");
    let span_of = |path: &str| {
        calls
            .iter()
            .find(|(_, f)| field(f, "path") == Some(path))
            .copied()
            .unwrap_or_else(|| panic!("no span for {path}: {calls:?}"))
    };

    let (pay_id, pay) = span_of("/trade/v1/payment");
    assert_each_once(pay);
    assert_eq!(field(pay, "out_trade_no"), Some(order.as_str()));
    assert_eq!(field(pay, "syssn"), Some(syssn.as_str()));
    assert_eq!(field(pay, "mchid"), Some(SHOP));
    assert_eq!(field(pay, "attempts"), Some("1"));

    let (query_id, query) = span_of("/trade/v1/query");
    assert_each_once(query);
    assert_eq!(field(query, "syssn"), Some(syssn.as_str()));
    assert_eq!(field(query, "out_trade_no"), None);
    assert_eq!(field(query, "attempts"), Some("3"));
    assert_eq!(field(query, "respcd"), Some("0000"));
    assert!(field(query, "duration_ms").is_some());

    // One event per attempt, inside its call's span, with its own status.
    let attempts = |span: u64| -> Vec<&FieldList> {
        log.events
            .iter()
            .filter(|(parent, f)| {
                *parent == Some(span) && field(f, "message") == Some("qfpay attempt")
            })
            .map(|(_, f)| f)
            .collect()
    };
    let pay_attempts = attempts(pay_id);
    assert_eq!(pay_attempts.len(), 1);
    assert_eq!(field(pay_attempts[0], "status"), Some("200"));
    let query_attempts = attempts(query_id);
    let numbers: Vec<_> = query_attempts.iter().map(|f| field(f, "attempt")).collect();
    assert_eq!(numbers, [Some("1"), Some("2"), Some("3")]);
    let statuses: Vec<_> = query_attempts.iter().map(|f| field(f, "status")).collect();
    assert_eq!(statuses, [Some("503"), Some("503"), Some("200")]);
    for f in &query_attempts {
        assert_each_once(f);
        assert!(field(f, "duration_ms").is_some(), "{f:?}");
    }
    assert_eq!(field(query_attempts[0], "error"), Some("http"));
    assert_eq!(field(query_attempts[2], "error"), None);

    // Nothing secret in any field of any span or event.
    let signatures: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.header("x-qf-sign").map(str::to_owned))
        .collect();
    assert!(signatures.len() >= 4);
    let everything = log
        .spans
        .values()
        .flat_map(|(_, f)| f.iter())
        .chain(log.events.iter().flat_map(|(_, f)| f.iter()));
    for (name, value) in everything {
        for secret in [AGENT_KEY, &AGENT_KEY[..12], TOKEN] {
            assert!(!value.contains(secret), "{name} shows a secret: {value}");
        }
        for sign in &signatures {
            assert!(
                !value.contains(sign.as_str()),
                "{name} shows a signature: {value}"
            );
        }
    }
}
