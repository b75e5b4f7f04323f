//! Request verification, exactly as reference §5.1, plus the `mchid` rule of §4.
//!
//! 1. `X-QF-APPCODE` names a configured app (else `1108`).
//! 2. `X-QF-SIGNTYPE`: absent or `MD5` → MD5, `SHA256` → SHA-256, anything
//!    else → `1108`.
//! 3. `X-QF-SIGN` is the hex digest, either case (else `1108`).
//! 4. The parameters are the decoded form body (POST) or query string (GET);
//!    a POST with an empty body and a query string is read from the query
//!    string (one of the documentation's samples posts that way, §27.2).
//! 5. The signed string is the parameters sorted by name, `name=value`
//!    joined by `&`, raw values, key appended. Empty values are omitted
//!    (reference rule); a signature computed with the empty pairs **kept**
//!    (`a=&b=1`) is accepted too, since naive peers sign what they send.
//! 6. A parameter name given twice → `1103`.
//! 7. `mchid` rule → `1104`.

use axum::http::{HeaderMap, Method};
use qfpay::sign::SignBuffer;
use qfpay::types::RespCode;
use qfpay::{RawParams, SignType, Signature};

use crate::config::App;
use crate::reply::ApiError;

/// A request that passed verification.
pub(crate) struct Verified<'a> {
    pub app: &'a App,
    /// The parameters as received, sorted by name (empty values included).
    pub params: RawParams,
    pub sign_type: SignType,
    /// The canonical string (empty values omitted), without the key.
    pub canonical: String,
    /// The (non-empty) `mchid` sent, if any.
    pub mchid: Option<String>,
}

/// A refused request; `app` is known when the app code was, so the reply can be signed.
pub(crate) struct Rejected<'a> {
    pub app: Option<&'a App>,
    pub sign_type: SignType,
    pub error: ApiError,
}

/// Whether an endpoint takes `mchid` (per the §4 rule) or never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MchidPolicy {
    /// The §4 rule: required for apps with an `mchid`, forbidden otherwise.
    Rule,
    /// `add_note` and `trade_bill`: never.
    Never,
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, ()> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v.to_str().map(Some).map_err(|_| ()),
    }
}

/// The parameters of a request: query string for GET, form body for POST
/// (or the query string when the body is empty).
pub(crate) fn request_params(method: &Method, query: Option<&str>, body: &[u8]) -> RawParams {
    let query = query.unwrap_or("");
    if method == Method::GET || (body.is_empty() && !query.is_empty()) {
        RawParams::from_form(query.as_bytes())
    } else {
        RawParams::from_form(body)
    }
}

pub(crate) fn verify<'a>(
    apps: &'a [App],
    method: &Method,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
    policy: MchidPolicy,
) -> Result<Verified<'a>, Rejected<'a>> {
    let sig_err = |app: Option<&'a App>, sign_type, msg: String| Rejected {
        app,
        sign_type,
        error: ApiError::new(RespCode::SignatureError, msg),
    };

    let code = match header(headers, "x-qf-appcode") {
        Ok(Some(c)) if !c.trim().is_empty() => c.trim(),
        Ok(_) => {
            return Err(sig_err(
                None,
                SignType::Md5,
                "the X-QF-APPCODE header is missing".into(),
            ));
        }
        Err(()) => {
            return Err(sig_err(
                None,
                SignType::Md5,
                "the X-QF-APPCODE header is not text".into(),
            ));
        }
    };
    let Some(app) = apps.iter().find(|a| a.code == code) else {
        return Err(sig_err(
            None,
            SignType::Md5,
            format!("unknown app code `{code}`"),
        ));
    };

    let sign_type = match header(headers, "x-qf-signtype") {
        Ok(v) => SignType::from_header(v),
        Err(()) => None,
    };
    let Some(sign_type) = sign_type else {
        return Err(sig_err(
            Some(app),
            SignType::Md5,
            "unsupported X-QF-SIGNTYPE (expected MD5 or SHA256, or no header for MD5)".into(),
        ));
    };

    let sent = match header(headers, "x-qf-sign") {
        Ok(Some(s)) if !s.trim().is_empty() => s.trim(),
        Ok(_) | Err(()) => {
            return Err(sig_err(
                Some(app),
                sign_type,
                "the X-QF-SIGN header is missing".into(),
            ));
        }
    };
    let sent = match Signature::from_hex(sent) {
        Ok(s) => s,
        Err(e) => return Err(sig_err(Some(app), sign_type, format!("X-QF-SIGN: {e}"))),
    };
    if sent.sign_type() != sign_type {
        let name = |t: SignType| if t == SignType::Md5 { "MD5" } else { "SHA-256" };
        return Err(sig_err(
            Some(app),
            sign_type,
            format!(
                "X-QF-SIGN is a {} digest but the request is signed with {} (X-QF-SIGNTYPE)",
                name(sent.sign_type()),
                name(sign_type)
            ),
        ));
    }

    let params = request_params(method, query, body);
    let mut buf = SignBuffer::new();
    // `RawParams` never refuses a value; an error here is impossible.
    let _ = buf.encode(&params, None);
    let canonical = buf.canonical().to_owned();
    let mut ok = buf.signature(&app.key, sign_type) == sent;
    if !ok && params.pairs().iter().any(|(_, v)| v.is_empty()) {
        let mut keep = SignBuffer::new().keep_empty_values(true);
        let _ = keep.encode(&params, None);
        ok = keep.signature(&app.key, sign_type) == sent;
    }
    if !ok {
        return Err(sig_err(
            Some(app),
            sign_type,
            format!(
                "X-QF-SIGN does not match the {} of the sorted parameters plus the client key; signed string without the key: `{canonical}`",
                if sign_type == SignType::Md5 {
                    "MD5"
                } else {
                    "SHA-256"
                },
            ),
        ));
    }

    let reject = |error: ApiError| Rejected {
        app: Some(app),
        sign_type,
        error,
    };
    if let Some(w) = params.pairs().windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(reject(ApiError::new(
            RespCode::RequestFormatError,
            format!("parameter `{}` is given more than once", w[0].0),
        )));
    }

    let mchid_sent = params.get("mchid");
    let mchid = match (policy, app.mchids.is_empty(), mchid_sent) {
        (MchidPolicy::Never, _, Some(_)) => {
            return Err(reject(ApiError::param(
                "`mchid` must not be sent to this endpoint (reference §4)",
            )));
        }
        (MchidPolicy::Never, _, None) => None,
        (MchidPolicy::Rule, true, Some(_)) => {
            return Err(reject(ApiError::param(
                "`mchid` must not be sent, not even empty: this app code has no mchid (reference §4)",
            )));
        }
        (MchidPolicy::Rule, true, None) => None,
        (MchidPolicy::Rule, false, None | Some("")) => {
            return Err(reject(ApiError::param(
                "`mchid` is required: this app code acts for merchants identified by mchid (reference §4)",
            )));
        }
        (MchidPolicy::Rule, false, Some(m)) => {
            if !app.mchids.iter().any(|x| x == m) {
                return Err(reject(ApiError::param(format!(
                    "`mchid` `{m}` is not a merchant of this app code"
                ))));
            }
            Some(m.to_owned())
        }
    };

    Ok(Verified {
        app,
        params,
        sign_type,
        canonical,
        mchid,
    })
}
