//! Wire parsing of the value types: `TradeTime::parse`, `Amount` (text,
//! JSON, `ParamValue`), the length-limited text types, `Signature::from_hex`,
//! `SignType`, `Environment` and the code tables.
//!
//! Properties: never a panic; what parses writes itself back unchanged;
//! every refusal names its field.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use qfpay::api::{ExpiredTime, Note, TradeDate};
use qfpay::types::{
    Amount, AuthCode, Currency, GoodsName, MchId, NotifyUrl, OutTradeNo, PayType, RespCode,
    ReturnUrl, SubOpenid, Syssn, TradeTime, Udid,
};
use qfpay::{Environment, PairSink, ParamValue, SignType, Signature};

#[derive(Default)]
struct Sink {
    pairs: Vec<(String, String)>,
    rejected: Vec<&'static str>,
}

impl PairSink for Sink {
    fn pair(&mut self, name: &str, value: &str) {
        self.pairs.push((name.to_owned(), value.to_owned()));
    }
    fn reject(&mut self, name: &'static str, _reason: Cow<'static, str>) {
        self.rejected.push(name);
    }
}

fn written<T: ParamValue>(value: &T, name: &'static str) -> Sink {
    let mut sink = Sink::default();
    value.write_param(name, &mut sink);
    sink
}

fn trade_time(text: &str) {
    match TradeTime::parse(text) {
        Ok(t) => {
            assert_eq!(t.as_str(), text);
            assert_eq!(t.to_string(), text);
            let primitive = t.to_primitive().expect("a parsed time converts");
            assert_eq!(TradeTime::from(primitive), t);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<TradeTime>(&json).unwrap(), t);
            let sink = written(&t, "txdtm");
            assert_eq!(sink.pairs, [("txdtm".to_owned(), text.to_owned())]);
            assert!(sink.rejected.is_empty());
        }
        Err(e) => {
            assert_eq!(e.name, "txdtm");
            assert_eq!(
                TradeTime::parse_field(text, "start_time").unwrap_err().name,
                "start_time"
            );
            let json = serde_json::to_string(text).unwrap();
            assert!(serde_json::from_str::<TradeTime>(&json).is_err());
        }
    }
}

fn amount(text: &str) {
    if let Ok(a) = text.parse::<Amount>() {
        assert_eq!(a.to_string().parse::<Amount>().unwrap(), a);
        let sink = written(&a, "txamt");
        assert_eq!(sink.pairs, [("txamt".to_owned(), a.to_string())]);
        let refused = a.is_zero() || a > Amount::MAX;
        assert_eq!(sink.rejected.len(), usize::from(refused));
        assert!(sink.rejected.iter().all(|n| *n == "txamt"));
        // Serialised as a number, read back from a number or a string.
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), a);
        let quoted = serde_json::to_string(&a.to_string()).unwrap();
        assert_eq!(serde_json::from_str::<Amount>(&quoted).unwrap(), a);
    }
    // As JSON (a number, a string, anything): no panic.
    let _ = serde_json::from_str::<Amount>(text);
    let _ = serde_json::from_str::<Option<Amount>>(text);
}

macro_rules! bounded {
    ($text:expr, $($t:ty),*) => {$(
        // Read from JSON, any text is taken as sent; written into a request,
        // it is refused exactly when `new` refuses it.
        let json = serde_json::to_string($text).unwrap();
        let read = serde_json::from_str::<$t>(&json).unwrap();
        assert_eq!(read.as_str(), $text);
        let read_sink = written(&read, <$t>::FIELD);
        assert_eq!(read_sink.pairs, [(<$t>::FIELD.to_owned(), $text.to_owned())]);
        match <$t>::new($text) {
            Ok(v) => {
                assert_eq!(v.as_str(), $text);
                assert!($text.chars().count() <= <$t>::MAX_CHARS);
                assert!(!$text.is_empty() && !$text.chars().any(char::is_control));
                let sink = written(&v, <$t>::FIELD);
                assert_eq!(sink.pairs, [(<$t>::FIELD.to_owned(), $text.to_owned())]);
                assert!(sink.rejected.is_empty() && read_sink.rejected.is_empty());
                assert_eq!(read, v);
            }
            Err(e) => {
                assert_eq!(e.name, <$t>::FIELD);
                assert_eq!(read_sink.rejected, [<$t>::FIELD]);
            }
        }
    )*};
}

fn signature(text: &str) {
    if let Ok(sig) = Signature::from_hex(text) {
        let trimmed = text.trim();
        assert_eq!(sig.to_string(), trimmed.to_ascii_uppercase());
        assert_eq!(sig.to_hex_lower(), trimmed.to_ascii_lowercase());
        assert!(sig.matches_hex(text));
        assert_eq!(sig.as_bytes().len(), sig.sign_type().digest_len());
    } else {
        assert!(!Signature::compute(SignType::Md5, text.as_bytes(), &"k".into()).matches_hex(text));
    }
}

fn codes(text: &str) {
    for code in [
        RespCode::from_code(text).as_str(),
        Currency::from_code(text).as_str(),
        PayType::from_code(text).as_str(),
    ] {
        assert_eq!(code, text);
    }
    let _ = RespCode::from_code(text).is_pending();
    let _ = PayType::from_code(text).family();
    let _ = Currency::from_code(text).minor_units();
    let _ = serde_json::from_str::<RespCode>(text);
    let _ = serde_json::from_str::<PayType>(text);
    let _ = serde_json::from_str::<Currency>(text);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    trade_time(text);
    amount(text);
    bounded!(
        text, OutTradeNo, Syssn, MchId, AuthCode, GoodsName, Udid, NotifyUrl, ReturnUrl, SubOpenid
    );
    signature(text);
    codes(text);
    match TradeDate::parse(text) {
        Ok(d) => assert_eq!(
            written(&d, "trade_date").pairs,
            [("trade_date".to_owned(), text.to_owned())]
        ),
        Err(e) => assert_eq!(e.name, "trade_date"),
    }
    match Note::new(text) {
        Ok(n) => assert_eq!(n.as_str(), text),
        Err(e) => assert_eq!(e.name, "note"),
    }
    if let Ok(minutes) = text.parse::<u32>() {
        match ExpiredTime::minutes(minutes) {
            Ok(e) => {
                assert!((5..=120).contains(&minutes));
                assert_eq!(e.as_minutes(), minutes);
                assert_eq!(
                    written(&e, "expired_time").pairs,
                    [("expired_time".to_owned(), minutes.to_string())]
                );
            }
            Err(e) => assert_eq!(e.name, "expired_time"),
        }
    }
    let _ = text.parse::<SignType>();
    let _ = SignType::from_header(Some(text));
    if let Ok(env) = text.parse::<Environment>() {
        let base = env.base_url();
        assert!(base.starts_with("http://") || base.starts_with("https://"));
        assert!(!base.ends_with('/'));
    }
});
