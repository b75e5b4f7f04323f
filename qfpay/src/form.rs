//! The form body (POST) or query string (GET) of a request: the pairs that
//! go on the wire ([`crate::wire`]), in the same order as in the signature,
//! `application/x-www-form-urlencoded` by the `form_urlencoded` crate.

use crate::endpoint::WriteParams;
use crate::param::PairSink;
use crate::wire::{WirePairs, text_estimate};

/// Writes the pairs it is given as a form body into a `String`.
pub(crate) struct FormWriter<'a>(form_urlencoded::Serializer<'static, &'a mut String>);

impl<'a> FormWriter<'a> {
    /// Writes after what `out` holds (a form body itself, or nothing).
    pub(crate) fn new(out: &'a mut String) -> Self {
        FormWriter(form_urlencoded::Serializer::new(out))
    }
}

impl PairSink for FormWriter<'_> {
    fn pair(&mut self, name: &str, value: &str) {
        self.0.append_pair(name, value);
    }
}

/// The exact `application/x-www-form-urlencoded` body a POST of `request` sends
/// (also its query string for a GET): the same pairs in the same order as the
/// signature, values percent-encoded.
///
/// ```
/// use qfpay::RawParams;
/// let params = RawParams::from_pairs([("goods_name", "測試 a&b"), ("txamt", "10")]);
/// assert_eq!(
///     qfpay::form_body(&params),
///     "goods_name=%E6%B8%AC%E8%A9%A6+a%26b&txamt=10"
/// );
/// ```
pub fn form_body<P: WriteParams + ?Sized>(request: &P) -> String {
    let mut body = String::with_capacity(text_estimate::<P>());
    let mut pairs = WirePairs::new(FormWriter::new(&mut body));
    request.write_params(&mut pairs);
    // A refused value matters only to the client, which then sends nothing;
    // this shows what would be written.
    let _ = pairs.finish();
    body
}

#[cfg(test)]
mod tests {
    use crate::raw::RawParams;

    #[test]
    fn the_body_is_what_the_encoder_writes() {
        let params = RawParams::from_pairs([
            ("txdtm", "2019-12-25 14:21:28"),
            ("b", "a+b=c&d"),
            ("a", ""),
            ("c", "*-._~!"),
        ]);
        assert_eq!(
            super::form_body(&params),
            "b=a%2Bb%3Dc%26d&c=*-._%7E%21&txdtm=2019-12-25+14%3A21%3A28"
        );
        assert_eq!(super::form_body(&RawParams::default()), "");
    }
}
