//! Step three of a call: turn the HTTP response into the typed value or a
//! typed error (checking the response signature when asked to).

use std::time::Duration;

use super::Client;
use crate::error::Error;
use crate::raw::RawParams;
use crate::response::DecodeResponse;
use crate::sign::{SignType, Signature, canonical_string};
use crate::transport::{HttpResponse, excerpt};

impl Client {
    /// Turns a response into the typed value or a typed error. `write`:
    /// the request was not idempotent (an unusable reply then leaves its
    /// outcome unknown).
    pub(super) fn decode<R: DecodeResponse>(
        &self,
        path: &str,
        write: bool,
        response: HttpResponse,
    ) -> Result<R, Error> {
        let status = response.status;
        if status == 429 {
            return Err(Error::RateLimited {
                path: path.to_owned(),
                retry_after: response
                    .header("Retry-After")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs),
            });
        }
        if !response.is_success() {
            return Err(Error::Http {
                path: path.to_owned(),
                status,
                excerpt: excerpt(&response.body),
                write,
            });
        }
        if self.inner.verify_response_signatures {
            self.verify_response_signature(path, write, &response)?;
        }
        let decode_error = |source: serde_json::Error| Error::Decode {
            path: path.to_owned(),
            status,
            excerpt: excerpt(&response.body),
            write,
            source,
        };
        let body = response.body.as_slice();
        // One parse: the typed value and the top-level envelope together.
        // A failure code is an `Error::Api`; a body that does not fit the
        // type is read again for its envelope only, so that a failure code
        // is an `Error::Api` even then.
        let (value, envelope) = match R::__decode_with_envelope(body) {
            Ok(decoded) => (Ok(decoded.0), decoded.1),
            Err(error) => (
                Err(decode_error(error)),
                crate::response::read_envelope(body).ok().flatten(),
            ),
        };
        if let Some(envelope) = envelope {
            tracing::Span::current().record("respcd", envelope.respcd.as_str());
            if !(envelope.respcd.is_accepted() || envelope.respcd.is_pending()) {
                return Err(Error::Api {
                    path: path.to_owned(),
                    respcd: envelope.respcd,
                    resperr: envelope.resperr,
                    respmsg: envelope.respmsg,
                });
            }
        }
        value
    }

    /// Best-effort check of `X-QF-SIGN` on a response (see
    /// [`ClientBuilder::verify_response_signatures`]).
    fn verify_response_signature(
        &self,
        path: &str,
        write: bool,
        response: &HttpResponse,
    ) -> Result<(), Error> {
        // Lossy, so that a value that is not ASCII is a mismatch, not absent.
        let Some(claimed) = response.header_lossy("X-QF-SIGN") else {
            return Ok(());
        };
        let claimed = claimed.trim();
        if claimed.is_empty() {
            return Ok(());
        }
        let fail = |reason: &'static str| Error::ResponseSignature {
            path: path.to_owned(),
            reason: reason.into(),
            write,
        };
        let claimed = Signature::from_hex(claimed)
            .map_err(|_| fail("X-QF-SIGN is not the hex of an MD5 or SHA-256 digest"))?;
        let sign_type = claimed.sign_type();
        if let Some(declared) = response.header_lossy("X-QF-SIGNTYPE") {
            match SignType::from_header(Some(&declared)) {
                Some(t) if t == sign_type => {}
                Some(_) => {
                    return Err(fail("X-QF-SIGNTYPE disagrees with the length of X-QF-SIGN"));
                }
                None => return Err(fail("X-QF-SIGNTYPE names an unknown algorithm")),
            }
        }
        let key = &self.inner.key;
        if Signature::compute(sign_type, &response.body, key) == claimed {
            return Ok(());
        }
        if let Some(canonical) = response_fields_canonical(&response.body)
            && Signature::compute(sign_type, canonical.as_bytes(), key) == claimed
        {
            return Ok(());
        }
        Err(fail(
            "it matches neither the raw body nor the sorted response fields signed with the client key",
        ))
    }
}

/// The second response-signature variant: the canonical string of the
/// fields of `data` (or of the top level without a `data` object), `null`s
/// left out, other values as their text (strings) or JSON.
fn response_fields_canonical(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    let fields = match object.get("data") {
        Some(serde_json::Value::Object(data)) => data,
        _ => object,
    };
    let pairs = fields.iter().filter_map(|(k, v)| match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some((k.as_str(), s.clone())),
        other => Some((k.as_str(), other.to_string())),
    });
    Some(canonical_string(&RawParams::from_pairs(pairs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_response_fields() {
        let body = br#"{"respcd":"0000","data":{"b":"2","a":1,"c":"","d":null,"e":{"x":1}}}"#;
        assert_eq!(
            response_fields_canonical(body).as_deref(),
            Some(r#"a=1&b=2&e={"x":1}"#)
        );
        let body = br#"{"respcd":"0000","resperr":"ok"}"#;
        assert_eq!(
            response_fields_canonical(body).as_deref(),
            Some("respcd=0000&resperr=ok")
        );
        assert_eq!(response_fields_canonical(b"PK\x03\x04"), None);
    }
}
