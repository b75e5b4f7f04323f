//! The parameters of a request, read by the mock's own plain code (see
//! `signing`): decoded form pairs, sorted by name.

use axum::http::Method;
use qfpay::types::TradeTime;

use crate::reply::ApiError;

/// Where a request's parameters are: the query string for GET, else the
/// form body — or the query string when the body is empty (one of the
/// documentation's samples posts that way, §27.2).
pub(crate) fn source<'a>(is_get: bool, query: &'a str, body: &'a [u8]) -> &'a [u8] {
    if is_get || (body.is_empty() && !query.is_empty()) {
        query.as_bytes()
    } else {
        body
    }
}

/// Decoded `name=value` pairs sorted by name (byte order; a name given
/// twice keeps both, in the order received).
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// The parameters of a request (see [`source`]).
    pub fn of_request(method: &Method, query: Option<&str>, body: &[u8]) -> Params {
        Self::from_form(source(method == Method::GET, query.unwrap_or(""), body))
    }

    /// Decodes `application/x-www-form-urlencoded` text and sorts the pairs.
    pub fn from_form(form: &[u8]) -> Params {
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(form)
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        Params { pairs }
    }

    /// The sorted pairs.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The value of the first parameter called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Removes every parameter called `name`; returns the first value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let at = self.pairs.iter().position(|(n, _)| n == name)?;
        let first = self.pairs.remove(at).1;
        self.pairs.retain(|(n, _)| n != name);
        Some(first)
    }
}

/// Parameter access with the reference's limits: each refusal is a `1104`
/// naming the parameter.
impl Params {
    /// A non-empty value (empty values count as absent).
    pub fn opt(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    pub fn req(&self, name: &str) -> Result<&str, ApiError> {
        self.opt(name)
            .ok_or_else(|| ApiError::param(format!("`{name}` is required")))
    }

    /// Text of at most `max` characters without control characters.
    pub fn text(&self, name: &str, max: usize, required: bool) -> Result<Option<&str>, ApiError> {
        let v = if required {
            Some(self.req(name)?)
        } else {
            self.opt(name)
        };
        if let Some(v) = v {
            let n = v.chars().count();
            if n > max {
                return Err(ApiError::param(format!(
                    "`{name}` is {n} characters long, at most {max} are allowed"
                )));
            }
            if v.chars().any(char::is_control) {
                return Err(ApiError::param(format!(
                    "`{name}` contains a control character"
                )));
            }
        }
        Ok(v)
    }

    /// `Int(11)` minor units, greater than 0.
    pub fn amount(&self, name: &str) -> Result<u64, ApiError> {
        let v = self.req(name)?;
        if v.len() > 11 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::param(format!(
                "`{name}` must be an integer amount in minor units (at most 11 digits), got `{v}`"
            )));
        }
        match v.parse::<u64>() {
            Ok(0) | Err(_) => Err(ApiError::param(format!("`{name}` must be greater than 0"))),
            Ok(n) => Ok(n),
        }
    }

    pub fn time(&self, name: &'static str) -> Result<TradeTime, ApiError> {
        let v = self.req(name)?;
        TradeTime::parse_field(v, name).map_err(|e| ApiError::param(e.to_string()))
    }

    pub fn opt_time(&self, name: &'static str) -> Result<Option<TradeTime>, ApiError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => TradeTime::parse_field(v, name)
                .map(Some)
                .map_err(|e| ApiError::param(e.to_string())),
        }
    }

    pub fn url(&self, name: &str, max: usize) -> Result<Option<&str>, ApiError> {
        let v = self.text(name, max, false)?;
        if let Some(u) = v
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(ApiError::param(format!("`{name}` must be an http(s) URL")));
        }
        Ok(v)
    }

    /// `page` (default 1, from 1) and `page_size` (default 10; the
    /// reference's "max 100" read as a cap, as the trade query does).
    pub fn paging(&self) -> Result<(u64, u64), ApiError> {
        let page = self.int("page")?.unwrap_or(1);
        let page_size = self.int("page_size")?.unwrap_or(10);
        if page == 0 {
            return Err(ApiError::param("`page` starts at 1"));
        }
        if page_size == 0 {
            return Err(ApiError::param("`page_size` must be at least 1"));
        }
        Ok((page, page_size.min(100)))
    }

    pub fn int(&self, name: &str) -> Result<Option<u64>, ApiError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<u64>()
                .map(Some)
                .map_err(|_| ApiError::param(format!("`{name}` must be an integer, got `{v}`"))),
        }
    }
}
