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
use crate::refusal::Refusal;
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
    /// What the dashboard and [`crate::MockServer::requests`] show (boxed:
    /// refusals are rare, `Result`s of every request carry the space).
    pub refusal: Box<Refusal>,
}

impl<'a> Rejected<'a> {
    /// Refused before the app (or its hash) was known: no signed string.
    fn early(app: Option<&'a App>, error: ApiError) -> Self {
        Rejected {
            app,
            hash: Hash::Md5,
            refusal: Box::new(Refusal::new(error.code.as_str(), error.message.clone())),
            error,
        }
    }
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
    let sig_err = |msg: &str| ApiError::new(RespCode::SignatureError, msg);

    let code = match header(headers, "x-qf-appcode") {
        Ok(Some(c)) if !c.trim().is_empty() => c.trim(),
        Ok(_) => {
            return Err(Rejected::early(
                None,
                sig_err("the X-QF-APPCODE header is missing"),
            ));
        }
        Err(()) => {
            return Err(Rejected::early(
                None,
                sig_err("the X-QF-APPCODE header is not text"),
            ));
        }
    };
    let Some(app) = apps.iter().find(|a| a.code == code) else {
        return Err(Rejected::early(
            None,
            sig_err(&format!("unknown app code `{code}`")),
        ));
    };

    let hash = match header(headers, "x-qf-signtype") {
        Ok(v) => Hash::from_header(v),
        Err(()) => None,
    };
    let Some(hash) = hash else {
        return Err(Rejected::early(
            Some(app),
            sig_err("unsupported X-QF-SIGNTYPE (expected MD5 or SHA256, or no header for MD5)"),
        ));
    };

    // From here on the app and hash are known: every refusal shows the
    // signed string and the signature the mock expected.
    let params = Params::of_request(method, query, body);
    let canonical = signing::canonical(params.pairs(), false);
    let expected = signing::sign(hash, canonical.as_bytes(), &app.key);
    let sent = header(headers, "x-qf-sign").ok().flatten().map(str::trim);
    let reject = |error: ApiError, mchid_rule: Option<MchidRule>| {
        let mut refusal = Refusal::new(error.code.as_str(), error.message.clone());
        refusal.signed_string = Some(canonical.clone());
        refusal.expected_signature = Some(expected.clone());
        refusal.received_signature = sent.map(str::to_owned);
        refusal.mchid_rule = mchid_rule.map(|r| r.text().to_owned());
        Rejected {
            app: Some(app),
            hash,
            error,
            refusal: Box::new(refusal),
        }
    };

    let sent = match sent {
        Some(s) if !s.is_empty() => s,
        _ => {
            return Err(reject(sig_err("the X-QF-SIGN header is missing"), None));
        }
    };
    let sent_hash = match signing::hex_signature_hash(sent) {
        Ok(h) => h,
        Err(e) => return Err(reject(sig_err(&format!("X-QF-SIGN: {e}")), None)),
    };
    if sent_hash != hash {
        return Err(reject(
            sig_err(&format!(
                "X-QF-SIGN is a {} digest but the request is signed with {} (X-QF-SIGNTYPE)",
                sent_hash.name(),
                hash.name()
            )),
            None,
        ));
    }

    let ok = expected.eq_ignore_ascii_case(sent)
        || (params.pairs().iter().any(|(_, v)| v.is_empty()) && {
            let kept = signing::canonical(params.pairs(), true);
            signing::matches(hash, kept.as_bytes(), &app.key, sent)
        });
    if !ok {
        return Err(reject(
            sig_err(&format!(
                "X-QF-SIGN does not match the {} of the sorted parameters plus the client key; signed string without the key: `{canonical}`",
                hash.name(),
            )),
            None,
        ));
    }

    if let Some(w) = params.pairs().windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(reject(
            ApiError::new(
                RespCode::RequestFormatError,
                format!("parameter `{}` is given more than once", w[0].0),
            ),
            None,
        ));
    }
    let mchid = match mchid_rule(app, policy, params.get("mchid")) {
        Ok(m) => m,
        Err(broken) => return Err(reject(broken.error(), Some(broken))),
    };

    Ok(Verified {
        app,
        params,
        hash,
        canonical,
        mchid,
    })
}

/// A broken `mchid` rule (reference §4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum MchidRule {
    /// The endpoint never takes `mchid`.
    NeverSent,
    /// The app has no `mchid`: none may be sent, not even empty.
    NotForThisApp,
    /// The app is an agent's: `mchid` is required.
    Required,
    /// The `mchid` sent is not one of the app's merchants.
    NotAMerchant(String),
}

impl MchidRule {
    /// The rule, as the dashboard and [`Refusal::mchid_rule`] state it.
    pub fn text(&self) -> &'static str {
        match self {
            MchidRule::NeverSent => "this endpoint never takes `mchid`",
            MchidRule::NotForThisApp => {
                "an app code without mchid never sends `mchid`, not even empty"
            }
            MchidRule::Required => "an agent's app code sends the `mchid` it acts for",
            MchidRule::NotAMerchant(_) => "the `mchid` sent is one of the app code's merchants",
        }
    }

    /// The `1104` answered.
    pub fn error(&self) -> ApiError {
        ApiError::param(match self {
            MchidRule::NeverSent => {
                "`mchid` must not be sent to this endpoint (reference §4)".to_owned()
            }
            MchidRule::NotForThisApp => {
                "`mchid` must not be sent, not even empty: this app code has no mchid (reference §4)"
                    .to_owned()
            }
            MchidRule::Required => {
                "`mchid` is required: this app code acts for merchants identified by mchid (reference §4)"
                    .to_owned()
            }
            MchidRule::NotAMerchant(m) => format!("`mchid` `{m}` is not a merchant of this app code"),
        })
    }
}

/// The `mchid` rule (reference §4) for a request of `app` that sent
/// `sent`: the (non-empty) `mchid` to act for, or the rule it broke.
pub(crate) fn mchid_rule(
    app: &App,
    policy: MchidPolicy,
    sent: Option<&str>,
) -> Result<Option<String>, MchidRule> {
    match (policy, app.mchids.is_empty(), sent) {
        (MchidPolicy::Never, _, Some(_)) => Err(MchidRule::NeverSent),
        (MchidPolicy::Never, _, None) => Ok(None),
        (MchidPolicy::Rule, true, Some(_)) => Err(MchidRule::NotForThisApp),
        (MchidPolicy::Rule, true, None) => Ok(None),
        (MchidPolicy::Rule, false, None | Some("")) => Err(MchidRule::Required),
        (MchidPolicy::Rule, false, Some(m)) if !app.mchids.iter().any(|x| x == m) => {
            Err(MchidRule::NotAMerchant(m.to_owned()))
        }
        (MchidPolicy::Rule, false, Some(m)) => Ok(Some(m.to_owned())),
    }
}
