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
//!
//! The hashing is the mock's own (`signing`), never the SDK's signer.

use axum::http::{HeaderMap, Method};
use qfpay::types::RespCode;

use crate::config::App;
use crate::params::Params;
use crate::reply::ApiError;
use crate::signing::{self, Hash};

/// A request that passed verification.
pub(crate) struct Verified<'a> {
    pub app: &'a App,
    /// The parameters as received, sorted by name (empty values included).
    pub params: Params,
    pub hash: Hash,
    /// The canonical string (empty values omitted), without the key.
    pub canonical: String,
    /// The (non-empty) `mchid` sent, if any.
    pub mchid: Option<String>,
}

/// A refused request; `app` is known when the app code was, so the reply can be signed.
pub(crate) struct Rejected<'a> {
    pub app: Option<&'a App>,
    pub hash: Hash,
    pub error: ApiError,
}

/// Whether an endpoint takes `mchid` (per the §4 rule) or never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MchidPolicy {
    /// The §4 rule: required for apps with an `mchid`, forbidden otherwise.
    Rule,
    /// Never (the endpoint's description says `sends_mchid: false`:
    /// `add_note`, `trade_bill`).
    Never,
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, ()> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v.to_str().map(Some).map_err(|_| ()),
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
    let sig_err = |app: Option<&'a App>, hash, msg: String| Rejected {
        app,
        hash,
        error: ApiError::new(RespCode::SignatureError, msg),
    };

    let code = match header(headers, "x-qf-appcode") {
        Ok(Some(c)) if !c.trim().is_empty() => c.trim(),
        Ok(_) => {
            return Err(sig_err(
                None,
                Hash::Md5,
                "the X-QF-APPCODE header is missing".into(),
            ));
        }
        Err(()) => {
            return Err(sig_err(
                None,
                Hash::Md5,
                "the X-QF-APPCODE header is not text".into(),
            ));
        }
    };
    let Some(app) = apps.iter().find(|a| a.code == code) else {
        return Err(sig_err(
            None,
            Hash::Md5,
            format!("unknown app code `{code}`"),
        ));
    };

    let hash = match header(headers, "x-qf-signtype") {
        Ok(v) => Hash::from_header(v),
        Err(()) => None,
    };
    let Some(hash) = hash else {
        return Err(sig_err(
            Some(app),
            Hash::Md5,
            "unsupported X-QF-SIGNTYPE (expected MD5 or SHA256, or no header for MD5)".into(),
        ));
    };

    let sent = match header(headers, "x-qf-sign") {
        Ok(Some(s)) if !s.trim().is_empty() => s.trim(),
        Ok(_) | Err(()) => {
            return Err(sig_err(
                Some(app),
                hash,
                "the X-QF-SIGN header is missing".into(),
            ));
        }
    };
    let sent_hash = match signing::hex_signature_hash(sent) {
        Ok(h) => h,
        Err(e) => return Err(sig_err(Some(app), hash, format!("X-QF-SIGN: {e}"))),
    };
    if sent_hash != hash {
        return Err(sig_err(
            Some(app),
            hash,
            format!(
                "X-QF-SIGN is a {} digest but the request is signed with {} (X-QF-SIGNTYPE)",
                sent_hash.name(),
                hash.name()
            ),
        ));
    }

    let params = Params::of_request(method, query, body);
    let canonical = signing::canonical(params.pairs(), false);
    let ok = signing::matches(hash, canonical.as_bytes(), &app.key, sent)
        || (params.pairs().iter().any(|(_, v)| v.is_empty()) && {
            let kept = signing::canonical(params.pairs(), true);
            signing::matches(hash, kept.as_bytes(), &app.key, sent)
        });
    if !ok {
        return Err(sig_err(
            Some(app),
            hash,
            format!(
                "X-QF-SIGN does not match the {} of the sorted parameters plus the client key; signed string without the key: `{canonical}`",
                hash.name(),
            ),
        ));
    }

    let reject = |error: ApiError| Rejected {
        app: Some(app),
        hash,
        error,
    };
    if let Some(w) = params.pairs().windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(reject(ApiError::new(
            RespCode::RequestFormatError,
            format!("parameter `{}` is given more than once", w[0].0),
        )));
    }
    let mchid = mchid_rule(app, policy, params.get("mchid")).map_err(reject)?;

    Ok(Verified {
        app,
        params,
        hash,
        canonical,
        mchid,
    })
}

/// The `mchid` rule (reference §4) for a request of `app` that sent
/// `sent`: the (non-empty) `mchid` to act for, or the `1104` refusal.
pub(crate) fn mchid_rule(
    app: &App,
    policy: MchidPolicy,
    sent: Option<&str>,
) -> Result<Option<String>, ApiError> {
    match (policy, app.mchids.is_empty(), sent) {
        (MchidPolicy::Never, _, Some(_)) => Err(ApiError::param(
            "`mchid` must not be sent to this endpoint (reference §4)",
        )),
        (MchidPolicy::Never, _, None) => Ok(None),
        (MchidPolicy::Rule, true, Some(_)) => Err(ApiError::param(
            "`mchid` must not be sent, not even empty: this app code has no mchid (reference §4)",
        )),
        (MchidPolicy::Rule, true, None) => Ok(None),
        (MchidPolicy::Rule, false, None | Some("")) => Err(ApiError::param(
            "`mchid` is required: this app code acts for merchants identified by mchid (reference §4)",
        )),
        (MchidPolicy::Rule, false, Some(m)) if !app.mchids.iter().any(|x| x == m) => Err(
            ApiError::param(format!("`mchid` `{m}` is not a merchant of this app code")),
        ),
        (MchidPolicy::Rule, false, Some(m)) => Ok(Some(m.to_owned())),
    }
}
