//! Replies of the QFPay endpoints, and their signatures.
//!
//! Every JSON reply to a request whose app code is known carries
//! `X-QF-SIGN` = hex(hash(raw body bytes ‖ client key)), upper-case, with
//! the hash the request used (MD5 unless the request said
//! `X-QF-SIGNTYPE: SHA256`, in which case the reply also carries
//! `X-QF-SIGNTYPE: SHA256`). The reference leaves response signatures
//! unspecified (§5.3); this is the simplest rule that gives a client's
//! optional verifier something exact to check.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode, header};
use qfpay::types::RespCode;
use secrecy::SecretString;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::signing::{self, Hash};

/// An error reply: a `respcd` and a human explanation (HTTP 200, like QFPay).
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    pub code: RespCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: RespCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// 1104, naming the parameter.
    pub fn param(message: impl Into<String>) -> Self {
        Self::new(RespCode::RequestParameterError, message)
    }

    pub fn to_json(&self) -> Value {
        let description = self.code.description().unwrap_or("error");
        json!({
            "respcd": self.code.as_str(),
            "resperr": format!("{description}: {}", self.message),
            "respmsg": "",
        })
    }
}

/// The JSON body of an answer: a `Value` built by hand, or the bytes of a
/// typed structure serialised once ([`Json::serialize`]). The second spares a
/// large reply (a query page) a `Value` per record — a `String` per key and
/// value and a map insert each — on the way to the same bytes.
pub(crate) enum Json {
    Value(Value),
    Written(Vec<u8>),
}

impl Json {
    /// `value` written as JSON now. Give its fields the order a `Value` map
    /// would write them in (by name) when the bytes must stay as before.
    pub fn serialize(value: &impl Serialize) -> Self {
        // Only a map with non-string keys or a failing `Serialize` impl can
        // fail; the mock's reply types have neither.
        Json::Written(serde_json::to_vec(value).unwrap_or_default())
    }

    /// The top-level object, to add members to, when built as a `Value`.
    pub fn as_object_mut(&mut self) -> Option<&mut Map<String, Value>> {
        match self {
            Json::Value(v) => v.as_object_mut(),
            Json::Written(_) => None,
        }
    }

    fn into_bytes(self) -> Vec<u8> {
        match self {
            // Serialising a `Value` cannot fail.
            Json::Value(v) => serde_json::to_vec(&v).unwrap_or_default(),
            Json::Written(bytes) => bytes,
        }
    }
}

impl From<Value> for Json {
    fn from(value: Value) -> Self {
        Json::Value(value)
    }
}

/// What an endpoint answers.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub sign: Option<(SecretString, Hash)>,
}

impl Reply {
    pub fn json(json: impl Into<Json>) -> Self {
        Reply {
            status: StatusCode::OK,
            content_type: "application/json; charset=utf-8",
            body: json.into().into_bytes(),
            headers: Vec::new(),
            sign: None,
        }
    }

    pub fn error(err: &ApiError) -> Self {
        Self::json(err.to_json())
    }

    pub fn signed(mut self, key: &SecretString, hash: Hash) -> Self {
        self.sign = Some((key.clone(), hash));
        self
    }

    pub fn into_response(self) -> Response<Body> {
        let mut builder = Response::builder()
            .status(self.status)
            .header(header::CONTENT_TYPE, self.content_type);
        if let Some((key, hash)) = &self.sign {
            builder = builder.header("X-QF-SIGN", signing::sign(*hash, &self.body, key));
            if let Some(v) = hash.header_value() {
                builder = builder.header("X-QF-SIGNTYPE", v);
            }
        }
        for (name, value) in self.headers {
            builder = builder.header(name, value);
        }
        builder.body(Body::from(self.body)).unwrap_or_else(|_| {
            let mut r = Response::new(Body::from("mock: cannot build response"));
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
    }
}

/// A plain-text (or HTML) reply outside the QFPay API: transport errors,
/// injected faults, `CONNECT` refusals.
pub(crate) fn plain_text(
    status: StatusCode,
    content_type: &'static str,
    body: &'static str,
) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}
