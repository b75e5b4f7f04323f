//! The client's response path end to end: an arbitrary HTTP status, headers
//! and body handed back by the transport, decoded by `Client::call` into a
//! typed response or a typed error — envelope check, `Retry-After`, the
//! optional response-signature verification, the endpoint's response type.
//!
//! Properties: never a panic; 429 is `RateLimited`, another non-2xx is
//! `Http` with that status; `Ok` only for `0000`/pending; `Api` only for
//! other codes; a body signed by the harness with the client key passes
//! verification and a tampered signature fails it; no error shows the key.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use qfpay::api::{PaymentResponse, QueryResponse, RefundResponse, TradeBill};
use qfpay::transport::HttpResponse;
use qfpay::transport::mock::RecordingTransport;
use qfpay::{
    Client, ClientKey, Environment, Error, Method, RawParams, RawRequest, RetryPolicy, SignType,
    Signature, qf_endpoint,
};

const KEY: &str = "FUZZKEY-0E32A59A8B454940A2FF3900";

#[qf_endpoint(path = "/trade/v1/payment", method = "POST", response = PaymentResponse)]
struct Pay {
    txamt: u64,
}

#[qf_endpoint(path = "/trade/v1/refund", method = "POST", response = RefundResponse)]
struct Refund {
    txamt: u64,
}

#[qf_endpoint(path = "/trade/v1/query", method = "POST", response = QueryResponse)]
struct Query {
    syssn: String,
}

#[qf_endpoint(path = "/download/v1/trade_bill", method = "GET", response = TradeBill)]
struct Bill {
    trade_date: String,
}

#[derive(Debug)]
enum Sign {
    None,
    RawBody { sha: bool, lower: bool },
    Tampered { sha: bool, flip: u8 },
    Garbage(String),
}

/// A plain byte layout (so seeds are easy to write by hand): five control
/// bytes, then the body.
///
/// | byte | meaning |
/// |---|---|
/// | 0 | status: `< 128` → 200, else one of `STATUSES` |
/// | 1 | bits 0–2 endpoint, 3 verify, 4–5 signature mode, 6 SHA-256, 7 lower-case |
/// | 2 | `X-QF-SIGNTYPE`: one of `SIGNTYPES` (or none) |
/// | 3 | `Retry-After`: one of `RETRY_AFTER` (or none) |
/// | 4 | which hex digit a tampered signature changes |
#[derive(Debug)]
struct Input {
    status: u16,
    endpoint: u8,
    verify: bool,
    sign: Sign,
    signtype_header: Option<String>,
    retry_after: Option<String>,
    body: Vec<u8>,
}

const STATUSES: &[u16] = &[
    201, 204, 299, 301, 302, 400, 401, 404, 429, 500, 502, 503, 504, 100, 600, 999,
];
const SIGNTYPES: &[&str] = &["MD5", "SHA256", "sha-256", "md5 ", "", "RSA"];
const RETRY_AFTER: &[&str] = &[
    "1",
    "0",
    "3600",
    " 2 ",
    "abc",
    "-1",
    "18446744073709551616",
    "Wed, 21 Oct 2015 07:28:00 GMT",
];

impl Input {
    fn parse(data: &[u8]) -> Option<Input> {
        let (head, body) = data.split_at_checked(5)?;
        let [b0, b1, b2, b3, b4] = [head[0], head[1], head[2], head[3], head[4]];
        let status = if b0 < 128 {
            200
        } else {
            STATUSES[usize::from(b0) % STATUSES.len()]
        };
        let sha = b1 & 0x40 != 0;
        let sign = match (b1 >> 4) & 3 {
            0 => Sign::None,
            1 => Sign::RawBody {
                sha,
                lower: b1 & 0x80 != 0,
            },
            2 => Sign::Tampered { sha, flip: b4 },
            _ => Sign::Garbage(String::from_utf8_lossy(&body[..body.len().min(70)]).into_owned()),
        };
        let pick = |b: u8, table: &[&str]| table.get(usize::from(b)).map(|s| (*s).to_owned());
        Some(Input {
            status,
            endpoint: b1 & 7,
            verify: b1 & 8 != 0,
            sign,
            signtype_header: pick(b2, SIGNTYPES),
            retry_after: pick(b3, RETRY_AFTER),
            body: body.to_vec(),
        })
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    })
}

fn clients() -> &'static [(Client, RecordingTransport); 2] {
    static CLIENTS: OnceLock<[(Client, RecordingTransport); 2]> = OnceLock::new();
    CLIENTS.get_or_init(|| {
        [false, true].map(|verify| {
            let transport = RecordingTransport::new();
            let client = Client::builder()
                .app_code("FUZZAPP")
                .client_key(ClientKey::new(KEY))
                .mchid("FUZZMCH1")
                .environment(Environment::Custom("http://qfpay.invalid".into()))
                .timeout(Duration::from_secs(5))
                .retry_policy(RetryPolicy::none())
                .verify_response_signatures(verify)
                .transport(transport.clone())
                .build()
                .expect("client");
            (client, transport)
        })
    })
}

/// What the envelope of a JSON object body says, as the client reads it.
fn respcd_of(body: &[u8]) -> Option<qfpay::types::RespCode> {
    if !body.trim_ascii_start().starts_with(b"{") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    serde_json::from_value(value.get("respcd")?.clone()).ok()
}

fn check_error(error: &Error, input: &Input, signed_ok: bool) {
    let text = format!("{error} {error:?}");
    assert!(!text.contains(KEY), "an error shows the key: {text}");
    match input.status {
        429 => {
            let expected = input
                .retry_after
                .as_deref()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            assert!(
                matches!(error, Error::RateLimited { retry_after, .. } if *retry_after == expected),
                "{error:?}"
            );
        }
        s if !(200..=299).contains(&s) => {
            assert!(
                matches!(error, Error::Http { status, .. } if *status == s),
                "{error:?}"
            )
        }
        _ if input.verify && !signed_ok => {
            assert!(
                matches!(error, Error::ResponseSignature { .. }),
                "{error:?}"
            )
        }
        _ => match error {
            Error::Api { respcd, .. } => assert!(!respcd.is_accepted() && !respcd.is_pending()),
            Error::Decode { .. } => {}
            Error::ResponseSignature { .. } => {
                assert!(
                    input.verify && !signed_ok,
                    "a good signature was refused: {error:?}"
                )
            }
            other => panic!("unexpected error for a 2xx answer: {other:?}"),
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let (client, transport) = &clients()[usize::from(input.verify)];
    let mut response = HttpResponse::new(input.status, input.body.clone())
        .with_header("Content-Type", "application/json");
    if let Some(v) = &input.retry_after {
        response = response.with_header("Retry-After", v.clone());
    }
    let key = ClientKey::new(KEY);
    let declared = input
        .signtype_header
        .as_deref()
        .map(|t| SignType::from_header(Some(t)));
    let signed_ok = match &input.sign {
        Sign::None => true,
        Sign::RawBody { sha, lower } => {
            let t = if *sha {
                SignType::Sha256
            } else {
                SignType::Md5
            };
            let sig = Signature::compute(t, &input.body, &key);
            let hex = if *lower {
                sig.to_hex_lower()
            } else {
                sig.to_hex_upper()
            };
            response = response.with_header("X-QF-SIGN", hex);
            // A declared algorithm must agree with the signature's length.
            declared.is_none_or(|d| d == Some(t))
        }
        Sign::Tampered { sha, flip } => {
            let t = if *sha {
                SignType::Sha256
            } else {
                SignType::Md5
            };
            let mut hex = Signature::compute(t, &input.body, &key)
                .to_hex_upper()
                .into_bytes();
            let at = usize::from(*flip) % hex.len();
            hex[at] = if hex[at] == b'0' { b'1' } else { b'0' };
            response = response.with_header("X-QF-SIGN", String::from_utf8(hex).unwrap());
            false
        }
        Sign::Garbage(text) => {
            response = response.with_header("X-QF-SIGN", text.clone());
            // Blank counts as absent, and so does text no HTTP header can
            // carry (control characters: `with_header` leaves it out);
            // anything else is not this body's signature.
            response
                .header_lossy("X-QF-SIGN")
                .is_none_or(|sent| sent.trim().is_empty())
        }
    };
    if let Some(t) = &input.signtype_header {
        response = response.with_header("X-QF-SIGNTYPE", t.clone());
    }
    transport.push_response(response);

    let rt = runtime();
    let status_ok = (200..=299).contains(&input.status);
    let respcd = respcd_of(&input.body);
    let ok_code = respcd
        .as_ref()
        .is_none_or(|c| c.is_accepted() || c.is_pending());
    macro_rules! run {
        ($fut:expr) => {{
            match rt.block_on($fut) {
                Ok(_) => {
                    assert!(status_ok, "Ok for HTTP {}", input.status);
                    assert!(
                        !input.verify || signed_ok,
                        "a bad response signature was accepted"
                    );
                    assert!(ok_code, "Ok for respcd {respcd:?}");
                }
                Err(e) => check_error(&e, &input, signed_ok),
            }
        }};
    }
    match input.endpoint % 5 {
        0 => run!(client.call(&Pay { txamt: 1 })),
        1 => run!(client.call(&Refund { txamt: 1 })),
        2 => run!(client.call(&Query { syssn: "1".into() })),
        3 => run!(client.call(&Bill {
            trade_date: "2024-01-01".into()
        })),
        _ => run!(client.call(&RawRequest::new(
            Method::Post,
            "/trade/v1/close",
            RawParams::from_pairs([("syssn", "1")]),
        ))),
    }
    // Exactly one request per call: no retry of anything here.
    assert_eq!(transport.take_requests().len(), 1);
    assert_eq!(transport.pending_replies(), 0);
});
