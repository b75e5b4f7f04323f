//! The QFPay paths: routing (the rules come from `routes`), verification,
//! and each path's behaviour.

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Response, StatusCode, Uri, header};
use qfpay::types::RespCode;
use secrecy::ExposeSecret;
use serde_json::json;

use crate::catalogue::{self, Answer};
use crate::error::MockError;
use crate::notify;
use crate::operations;
use crate::params::Params;
use crate::payment;
use crate::persist::Written;
use crate::record::RequestSeq;
use crate::refusal::Refusal;
use crate::reply::{ApiError, Reply};
use crate::routes;
use crate::signing;
use crate::state::{Shared, lock};
use crate::store::Event;
use crate::trade::{self, Ctx};
use crate::verify::{self, MchidPolicy, Verified};

/// What the mock does at a path: the behaviour, keyed by path. (Which
/// paths exist and their rules are in `routes`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Payment,
    Query,
    Refund,
    Reversal,
    Close,
    AddNote,
    OauthCode,
    /// Stateless, plausible replies (`catalogue::answer`).
    Catalogue,
}

impl Kind {
    fn of(path: &str) -> Kind {
        use routes::{ADD_NOTE, CLOSE, OAUTH_CODE, PAYMENT, QUERY, REFUND, REVERSAL};
        match path {
            PAYMENT => Kind::Payment,
            QUERY => Kind::Query,
            REFUND => Kind::Refund,
            REVERSAL => Kind::Reversal,
            CLOSE => Kind::Close,
            ADD_NOTE => Kind::AddNote,
            OAUTH_CODE => Kind::OauthCode,
            _ => Kind::Catalogue,
        }
    }
}

/// Axum fallback: every non-control path.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    seq: Option<Extension<RequestSeq>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let path = uri.path();
    let seq = seq.map(|Extension(s)| s);
    let refused = |error: &ApiError| {
        shared.refuse(
            seq,
            Refusal::new(error.code.as_str(), error.message.clone()),
        );
    };
    let Some(route) = routes::route(path) else {
        let error = ApiError::new(
            RespCode::RequestFormatError,
            format!("no QFPay endpoint at `{path}`"),
        );
        refused(&error);
        let mut r = Reply::error(&error);
        r.status = StatusCode::NOT_FOUND;
        return r.into_response();
    };
    if !route.accepts(&method) {
        let names: Vec<&str> = route.methods().map(Method::as_str).collect();
        let error = ApiError::new(
            RespCode::RequestFormatError,
            format!("`{path}` takes {}", names.join(" or ")),
        );
        refused(&error);
        let mut r = Reply::error(&error);
        r.status = StatusCode::METHOD_NOT_ALLOWED;
        if let Ok(v) = HeaderValue::from_str(&names.join(", ")) {
            r.headers.push((header::ALLOW, v));
        }
        return r.into_response();
    }
    let policy = if route.spec.sends_mchid {
        MchidPolicy::Rule
    } else {
        MchidPolicy::Never
    };
    let kind = Kind::of(path);
    if kind == Kind::OauthCode {
        return oauth_code(&shared, uri.query(), policy).into_response();
    }
    let query = uri.query();
    let v = match verify::verify(&shared.config.apps, &method, query, &headers, &body, policy) {
        Ok(v) => v,
        Err(rejected) => {
            shared.refuse(seq, *rejected.refusal);
            let mut reply = Reply::error(&rejected.error);
            if let Some(app) = rejected.app {
                reply = reply.signed(&app.key, rejected.hash);
            }
            return reply.into_response();
        }
    };
    let (reply, events, delay, written) = process(&shared, kind, path, &v);
    notify::dispatch(&shared, events);
    // The request's changes, and the notifications just queued, are in the
    // state file before the reply goes out (at once without one).
    let reply = match written.wait().await {
        Ok(()) => reply,
        Err(e) => Reply::error(&unwritten(&e)).signed(&v.app.key, v.hash),
    };
    if let Err(e) = shared.synced().wait().await {
        return Reply::error(&unwritten(&e))
            .signed(&v.app.key, v.hash)
            .into_response();
    }
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    reply.into_response()
}

/// The error answered to a request whose changes could not be written to
/// the state file.
fn unwritten(e: &MockError) -> ApiError {
    ApiError::new(
        RespCode::OrderSystemError,
        format!("the mock could not write its {e}"),
    )
}

/// Runs the behaviour of `kind` for a verified request: the reply, the
/// notifications to send, the delay before replying, and the write of its
/// changes to wait for before replying.
fn process(
    shared: &Arc<Shared>,
    kind: Kind,
    path: &str,
    v: &Verified<'_>,
) -> (Reply, Vec<Event>, Option<Duration>, Written) {
    let ctx = Ctx {
        base_url: &shared.base_url,
        scenarios: shared.config.scenarios,
        slow_reply: shared.config.slow_reply,
        now: shared.clock.now(),
        newest_first: shared.config.newest_first,
    };
    let (due, result, written) = {
        let mut store = lock(&shared.store);
        // What fell due on the clock since the last look (cheap: indexes
        // by due time) happens before the request is answered.
        let due = operations::due(&mut store, &ctx.now, ctx.scenarios);
        let result = match kind {
            Kind::Payment => payment::payment(&mut store, v, &ctx).map(Answer::Done),
            Kind::Query => trade::query(&mut store, v, &ctx).map(Answer::Done),
            Kind::Refund => trade::refund(&mut store, v, &ctx).map(Answer::Done),
            Kind::Reversal => trade::cancel(&mut store, v, &ctx, false).map(Answer::Done),
            Kind::Close => trade::cancel(&mut store, v, &ctx, true).map(Answer::Done),
            Kind::AddNote => trade::add_note(&mut store, v).map(Answer::Done),
            Kind::OauthCode | Kind::Catalogue => catalogue::answer(&mut store, path, v, &ctx),
        };
        // Queued before the lock is released (so in the order of the
        // changes), committed before the reply goes out (`handle`): a
        // change a client was told about is in the state file.
        let (result, written) = match shared.commit_queued(&mut store) {
            Ok(written) => (result, written),
            Err(e) => (Err(unwritten(&e)), Written::NOTHING),
        };
        (due, result, written)
    };
    let (reply, events, delay) = match result {
        Ok(Answer::Done(out)) => (
            Reply::json(out.json).signed(&v.app.key, v.hash),
            out.events,
            out.delay,
        ),
        Ok(Answer::Zip(bytes)) => {
            let reply = Reply {
                status: StatusCode::OK,
                content_type: "application/zip",
                body: bytes,
                headers: Vec::new(),
                sign: None,
            };
            (reply, Vec::new(), None)
        }
        Err(e) => (
            Reply::error(&e).signed(&v.app.key, v.hash),
            Vec::new(),
            None,
        ),
    };
    (
        reply,
        due.into_iter().chain(events).collect(),
        delay,
        written,
    )
}

/// `GET /tool/v1/get_weixin_oauth_code` (reference §16.1): signed in the
/// query string (`app_code`, `sign`), answered with a redirect to
/// `redirect_uri` carrying a `code`.
fn oauth_code(shared: &Shared, query: Option<&str>, policy: MchidPolicy) -> Reply {
    let mut params = Params::from_form(query.unwrap_or("").as_bytes());
    let sign = params.remove("sign").unwrap_or_default();
    let err = |code, msg: &str| Reply::error(&ApiError::new(code, msg));
    let Some(app_code) = params.get("app_code") else {
        return err(RespCode::SignatureError, "`app_code` is required");
    };
    let Some(app) = shared.app(app_code) else {
        return err(RespCode::SignatureError, "unknown app code");
    };
    let sign = sign.trim();
    let Ok(hash) = signing::hex_signature_hash(sign) else {
        return err(
            RespCode::SignatureError,
            "`sign` is missing or not a hex digest",
        );
    };
    let canonical = signing::canonical(params.pairs(), false);
    if !signing::matches(hash, canonical.as_bytes(), &app.key, sign) {
        return err(RespCode::SignatureError, "`sign` does not match");
    }
    if let Err(broken) = verify::mchid_rule(app, policy, params.get("mchid")) {
        return Reply::error(&broken.error());
    }
    let Some(redirect) = params.get("redirect_uri").filter(|r| !r.is_empty()) else {
        return err(
            RespCode::RequestParameterError,
            "`redirect_uri` is required",
        );
    };
    let token = signing::token(redirect, app.key.expose_secret().as_bytes());
    let code = format!("mockcode{}", &token[..16]);
    let sep = if redirect.contains('?') { '&' } else { '?' };
    let location = format!("{redirect}{sep}code={code}");
    let mut reply =
        Reply::json(json!({ "respcd": "0000", "resperr": "success", "respmsg": "", "code": code }));
    reply.status = StatusCode::FOUND;
    match HeaderValue::from_str(&location) {
        Ok(v) => reply.headers.push((header::LOCATION, v)),
        Err(_) => {
            return err(
                RespCode::RequestParameterError,
                "`redirect_uri` is not a valid URL",
            );
        }
    }
    reply
}
