//! Step one of a call: encode, sign and build the HTTP request. Nothing is sent.

use super::Client;
use crate::endpoint::{Endpoint, EndpointSpec, Method};
use crate::error::Error;
use crate::sign::{EncodeError, SignBuffer};
use crate::transport::{HeaderMap, HeaderName, HeaderValue, HttpRequest};

/// The form body's content type (reference §3).
const FORM_CONTENT_TYPE: HeaderValue =
    HeaderValue::from_static("application/x-www-form-urlencoded; charset=UTF-8");

// Request header names, made at compile time (`HeaderName`s are lower case;
// HTTP/1 sends them so whatever case they are written in).
const X_QF_APPCODE: HeaderName = HeaderName::from_static("x-qf-appcode");
const X_QF_SIGN: HeaderName = HeaderName::from_static("x-qf-sign");
const X_QF_SIGNTYPE: HeaderName = HeaderName::from_static("x-qf-signtype");

/// What encoding a request produced: everything needed to send it, owned,
/// so the returned future does not borrow the request.
pub(super) struct Prepared {
    pub path: String,
    pub method: Method,
    pub http: HttpRequest,
    /// A read the client may send again; `false` for every write.
    pub idempotent: bool,
    /// Whether to trace the `syssn` of the reply (set by `call` when the
    /// request carries none and tracing is on).
    pub reply_syssn: bool,
}

impl Client {
    /// Encodes, signs and builds the HTTP request; nothing is sent.
    pub(super) fn prepare<E: Endpoint + ?Sized>(&self, request: &E) -> Result<Prepared, Error> {
        let inner = &*self.inner;
        let spec = request.spec();
        check_spec(&spec)?;
        let path = spec.path;
        let method = spec.method;
        let options = self.call_options();
        let extra = if spec.sends_mchid {
            self.mchid().map(|m| ("mchid", m.as_str()))
        } else if options.is_some_and(|o| o.mchid.is_some()) {
            // Sending it as the agent itself would act for the wrong merchant.
            return Err(Error::InvalidRequest {
                path: path.to_owned(),
                field: "mchid",
                reason: "QFPay never takes `mchid` here; make this call on a client \
                         without a per-call `mchid`"
                    .into(),
            });
        } else {
            None
        };
        let sign_type = spec.sign_type_for(inner.sign_type);
        let mut buf = SignBuffer::new();
        let signature = buf
            .encode_signed(request, extra, &inner.key, sign_type)
            .map_err(|e| encode_error(path, e))?;

        // The only per-call header allocation is the signature's hex; the
        // names are static and the other values shared.
        let signature =
            HeaderValue::try_from(signature.to_string()).map_err(|_| Error::InvalidRequest {
                path: path.to_owned(),
                field: "X-QF-SIGN",
                reason: "the signature is not a valid header value".into(),
            })?;
        let mut headers = HeaderMap::with_capacity(5);
        headers.insert(X_QF_APPCODE, inner.app_code_header.clone());
        headers.insert(X_QF_SIGN, signature);
        if let Some(value) = sign_type.header_value() {
            headers.insert(X_QF_SIGNTYPE, HeaderValue::from_static(value));
        }
        headers.insert(http::header::USER_AGENT, inner.user_agent_header.clone());
        if let Some(options) = options {
            for (name, value) in &options.headers {
                headers.append(name.clone(), value.clone());
            }
        }

        let mut url = String::with_capacity(inner.base_url.len() + path.len() + 1);
        url.push_str(&inner.base_url);
        url.push_str(path);
        let body = match method {
            Method::Get => {
                if !buf.body().is_empty() {
                    url.push('?');
                    url.push_str(buf.body());
                }
                Vec::new()
            }
            Method::Post => {
                headers.insert(http::header::CONTENT_TYPE, FORM_CONTENT_TYPE);
                buf.take_body().into_bytes()
            }
        };
        Ok(Prepared {
            path: path.to_owned(),
            method,
            http: HttpRequest {
                method,
                url,
                headers,
                body,
                timeout: self.timeout(),
            },
            idempotent: spec.idempotent,
            reply_syssn: false,
        })
    }
}

/// Refuses a path that cannot be sent (a hand-written endpoint's; the macro
/// checks a declared one at compile time). The method is the request's own
/// business: right by construction for a typed endpoint, checked against the
/// catalogue by a [`RawRequest`](crate::RawRequest) as it writes its pairs.
fn check_spec(spec: &EndpointSpec<'_>) -> Result<(), Error> {
    let path = spec.path;
    let invalid = |reason: String| Error::InvalidRequest {
        path: path.to_owned(),
        field: "path",
        reason: reason.into(),
    };
    if !path.starts_with('/') {
        return Err(invalid("must start with `/`".to_owned()));
    }
    if path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#')
    {
        return Err(invalid(
            "must not contain whitespace, control characters, `?` or `#`".to_owned(),
        ));
    }
    Ok(())
}

fn encode_error(path: &str, error: EncodeError) -> Error {
    match error {
        EncodeError::Rejected(invalid) => Error::InvalidRequest {
            path: path.to_owned(),
            field: invalid.name,
            reason: invalid.reason,
        },
        EncodeError::Duplicate(dup) => Error::DuplicateParam {
            path: path.to_owned(),
            field: dup.name,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked() {
        let post = |path| EndpointSpec::new(path, Method::Post);
        assert!(check_spec(&post("/trade/v1/query")).is_ok());
        assert!(check_spec(&post("/not/in/the/catalogue")).is_ok());
        for bad in ["trade", "/a b", "/a?b=1", "/a\n"] {
            assert!(matches!(
                check_spec(&post(bad)),
                Err(Error::InvalidRequest { field: "path", .. })
            ));
        }
    }
}
