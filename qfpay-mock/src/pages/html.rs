//! What every page of the mock shares: the layout, the little CSS, and
//! the escaping of every value written into HTML.

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use qfpay::types::Currency;

/// `text` escaped for HTML text and quoted attribute values (`&`, `<`, `>`,
/// `"`, `'` and `/`).
pub(crate) fn esc(text: &str) -> Cow<'_, str> {
    html_escape::encode_safe(text)
}

/// `txamt` minor units of `txcurrcd` as a person reads it (`HKD 10.00`),
/// or in minor units when the currency's exponent is unknown.
pub(crate) fn amount(txamt: u64, txcurrcd: &str) -> String {
    match Currency::from_code(txcurrcd).minor_units() {
        Some(0) => format!("{txcurrcd} {txamt}"),
        Some(d) => {
            let unit = 10u64.pow(u32::from(d));
            format!(
                "{txcurrcd} {}.{:0width$}",
                txamt / unit,
                txamt % unit,
                width = usize::from(d)
            )
        }
        None => format!("{txamt} minor units of {txcurrcd}"),
    }
}

const STYLE: &str = "\
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}\
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;font-size:.85rem}\
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f4f4f4}code,pre{font-size:.8rem;word-break:break-all;white-space:pre-wrap}\
.card{border:1px solid #ccc;border-radius:8px;padding:1.5rem;max-width:26rem}\
.amount{font-size:2rem;font-weight:600;margin:.5rem 0}\
.state{display:inline-block;padding:.1rem .5rem;border-radius:4px;background:#eee}\
.ok{background:#d7f5dd}.bad{background:#fadada}.open{background:#fff3c4}\
.key{color:#a00;font-style:italic}.muted{color:#777}\
button{font-size:1rem;padding:.5rem 1rem;margin:.5rem .5rem 0 0;border-radius:6px;border:1px solid #888;cursor:pointer}\
button.pay{background:#1a7f37;color:#fff;border-color:#1a7f37}";

/// A complete HTML page with `title` and `body` (already HTML: every value
/// in it escaped by the caller). Its empty icon keeps browsers from asking
/// for `/favicon.ico`, which would land in the request log as refused.
pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"data:,\">\
         <title>{} · qfpay-mock</title><style>{STYLE}</style></head><body>{body}</body></html>",
        esc(title)
    );
    (status, Html(html)).into_response()
}

/// The CSS class of a state badge: paid, failed/closed, or still open.
pub(crate) fn state_class(success: bool, open: bool) -> &'static str {
    match (success, open) {
        (true, _) => "state ok",
        (false, true) => "state open",
        (false, false) => "state bad",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_use_the_currency_exponent() {
        assert_eq!(amount(1000, "HKD"), "HKD 10.00");
        assert_eq!(amount(5, "HKD"), "HKD 0.05");
        assert_eq!(amount(1000, "JPY"), "JPY 1000");
        assert_eq!(amount(7, "XYZ"), "7 minor units of XYZ");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(esc("<script>\"'&"), "&lt;script&gt;&quot;&#x27;&amp;");
    }
}
