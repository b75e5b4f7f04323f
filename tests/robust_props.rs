//! Properties beyond `sign_props.rs`:
//!
//! * `form_body` decodes back to exactly the pairs written (arbitrary names
//!   and values, `RawParams` and a typed endpoint);
//! * a signature verifies exactly when it is the signer's: any single-byte
//!   change of the signed bytes, the key or the signature is refused;
//! * amounts and times round-trip through their wire forms (text, serde,
//!   `ParamValue`);
//! * bounded text read from JSON is refused on the wire exactly when its
//!   constructor would refuse it.

use std::borrow::Cow;

use proptest::prelude::*;
use qfpay::notify::{self, NotifyError};
use qfpay::types::{Amount, MchId, OutTradeNo, TradeTime};
use qfpay::{ClientKey, PairSink, ParamValue, RawParams, SignType, Signature, qf_endpoint};

fn decode(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

/// Names and values with every character class that matters to form
/// encoding: separators, `+`, `%`, spaces, non-ASCII, controls, empties.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z_]{1,12}",
        "[ &=+%#?;/:,.a-zA-Z0-9]{0,16}",
        "[測試商品😀é\\u{0}-\\u{1f}\\u{7f} %+&=]{1,10}",
        any::<String>(),
    ]
}

fn sign_type() -> impl Strategy<Value = SignType> {
    prop_oneof![Just(SignType::Md5), Just(SignType::Sha256)]
}

#[derive(Default)]
struct Collect {
    pairs: Vec<(String, String)>,
    rejected: Vec<&'static str>,
}

impl PairSink for Collect {
    fn pair(&mut self, name: &str, value: &str) {
        self.pairs.push((name.to_owned(), value.to_owned()));
    }
    fn reject(&mut self, name: &'static str, _reason: Cow<'static, str>) {
        self.rejected.push(name);
    }
}

fn written<T: ParamValue>(value: &T) -> Collect {
    let mut c = Collect::default();
    value.write_param("field", &mut c);
    c
}

#[qf_endpoint(path = "/robust/props", method = "POST")]
struct Typed {
    txamt: Amount,
    txdtm: TradeTime,
    out_trade_no: OutTradeNo,
    goods_name: Option<String>,
    zeta: String,
    #[qf(rename = "Upper")]
    upper: Option<String>,
}

/// Any date-time `TradeTime` can write: years 0000–9999.
fn trade_time() -> impl Strategy<Value = TradeTime> {
    (0i32..=9999, 1u8..=12, 1u8..=31, 0u8..24, 0u8..60, 0u8..60).prop_filter_map(
        "the day exists",
        |(y, mo, d, h, mi, s)| {
            let month = time::Month::try_from(mo).ok()?;
            let date = time::Date::from_calendar_date(y, month, d).ok()?;
            let t = time::Time::from_hms(h, mi, s).ok()?;
            Some(TradeTime::from(time::PrimitiveDateTime::new(date, t)))
        },
    )
}

/// Every way to change one byte of `bytes`: position and a different value.
fn one_byte_change() -> impl Strategy<Value = (prop::sample::Index, u8)> {
    (any::<prop::sample::Index>(), 1u8..=255)
}

fn changed(bytes: &[u8], (at, delta): &(prop::sample::Index, u8)) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let i = at.index(out.len());
    out[i] = out[i].wrapping_add(*delta);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// `form_body` of arbitrary pairs decodes to exactly those pairs: sorted
    /// by name (stable for repeated names), empty values left out, nothing
    /// else changed.
    #[test]
    fn form_body_decodes_back_to_the_pairs(pairs in prop::collection::vec((text(), text()), 0..12)) {
        let params = RawParams::from_pairs(pairs.clone());
        let mut expected: Vec<(String, String)> =
            pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        expected.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let body = qfpay::form_body(&params);
        prop_assert_eq!(decode(&body), expected.clone());
        // The signed string is the same pairs, raw.
        let canonical = expected.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&");
        prop_assert_eq!(qfpay::canonical_string(&params), canonical);
        // Decoding the body again (as a server does) gives the same params.
        let again = RawParams::from_form(body.as_bytes());
        prop_assert_eq!(again.pairs(), expected.as_slice());
    }

    /// The same for a typed endpoint: the decoded body holds exactly the
    /// fields' wire forms.
    #[test]
    fn typed_form_body_decodes_back_to_the_fields(
        txamt in 1u64..=99_999_999_999,
        txdtm in trade_time(),
        out_trade_no in "[A-Za-z0-9_\\-]{1,64}",
        goods_name in proptest::option::of(text()),
        zeta in text(),
        upper in proptest::option::of(text()),
    ) {
        let request = Typed {
            txamt: Amount::new(txamt),
            txdtm,
            out_trade_no: OutTradeNo::new(out_trade_no.clone()).unwrap(),
            goods_name: goods_name.clone(),
            zeta: zeta.clone(),
            upper: upper.clone(),
        };
        let mut expected = vec![
            ("Upper".to_owned(), upper.unwrap_or_default()),
            ("goods_name".to_owned(), goods_name.unwrap_or_default()),
            ("out_trade_no".to_owned(), out_trade_no),
            ("txamt".to_owned(), txamt.to_string()),
            ("txdtm".to_owned(), txdtm.to_string()),
            ("zeta".to_owned(), zeta),
        ];
        expected.retain(|(_, v)| !v.is_empty());
        prop_assert_eq!(decode(&qfpay::form_body(&request)), expected);
    }

    /// The signer's signature verifies (either hex case); one changed byte of
    /// the signed string or of the key, and it no longer does.
    #[test]
    fn a_signature_verifies_only_for_its_own_bytes_and_key(
        message in prop::collection::vec(any::<u8>(), 1..200),
        key in "[ -~]{1,40}",
        sign_type in sign_type(),
        change in one_byte_change(),
    ) {
        let k = ClientKey::new(key.clone());
        let sig = Signature::compute(sign_type, &message, &k);
        prop_assert!(sig.matches_hex(&sig.to_hex_upper()));
        prop_assert!(sig.matches_hex(&sig.to_hex_lower()));
        prop_assert_eq!(Signature::compute(sign_type, &message, &k), sig);

        let other_message = changed(&message, &change);
        prop_assert!(!Signature::compute(sign_type, &other_message, &k).matches_hex(&sig.to_hex_upper()));

        let other_key = changed(key.as_bytes(), &change);
        // A byte change can leave the key non-UTF-8; keys are text, so such
        // a change is not a key at all.
        if let Ok(other_key) = String::from_utf8(other_key) {
            let sig2 = Signature::compute(sign_type, &message, &ClientKey::new(other_key));
            prop_assert!(!sig2.matches_hex(&sig.to_hex_upper()));
        }
    }

    /// Any single-character change of the hex signature is refused — to
    /// another hex digit (other than a case change) or to anything else — and
    /// so are a dropped or an added character.
    #[test]
    fn a_changed_signature_is_refused(
        message in prop::collection::vec(any::<u8>(), 0..64),
        sign_type in sign_type(),
        at in any::<prop::sample::Index>(),
        replacement in any::<char>(),
        lower in any::<bool>(),
    ) {
        let sig = Signature::compute(sign_type, &message, &ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4"));
        let hex = if lower { sig.to_hex_lower() } else { sig.to_hex_upper() };
        let i = at.index(hex.len());
        let original = hex.as_bytes()[i] as char;
        prop_assume!(!replacement.eq_ignore_ascii_case(&original));
        let mut chars: Vec<char> = hex.chars().collect();
        chars[i] = replacement;
        let tampered: String = chars.iter().collect();
        prop_assert!(!sig.matches_hex(&tampered), "{} accepted for {}", tampered, hex);
        let mut shorter = hex.clone();
        shorter.remove(i);
        prop_assert!(!sig.matches_hex(&shorter));
        let mut longer = hex.clone();
        longer.insert(i, 'A');
        prop_assert!(!sig.matches_hex(&longer));
    }

    /// A request signature verifies over the pairs decoded from the body —
    /// and not over the same pairs with one value's byte changed.
    #[test]
    fn a_request_signature_covers_every_value(
        pairs in prop::collection::vec(("[a-z_]{1,10}", "[ -~測試😀]{1,12}"), 1..8),
        sign_type in sign_type(),
        which in any::<prop::sample::Index>(),
        change in one_byte_change(),
    ) {
        let key = ClientKey::new("0E32A59A8B454940A2FF3900C1D2E3F4");
        let params = RawParams::from_pairs(pairs.clone());
        let sig = qfpay::sign(&params, &key, sign_type);
        let received = RawParams::from_form(qfpay::form_body(&params).as_bytes());
        prop_assert!(qfpay::sign(&received, &key, sign_type) == sig);

        let mut tampered = pairs;
        let i = which.index(tampered.len());
        let Ok(value) = String::from_utf8(changed(tampered[i].1.as_bytes(), &change)) else {
            return Ok(());
        };
        prop_assume!(!value.is_empty());
        tampered[i].1 = value;
        let tampered = RawParams::from_pairs(tampered);
        prop_assert!(!qfpay::sign(&tampered, &key, sign_type).matches_hex(&sig.to_hex_upper()));
    }

    /// `Amount`: text, JSON number, JSON string and the request parameter all
    /// carry the same integer; zero and more than 11 digits are refused as
    /// parameters, naming the field.
    #[test]
    fn amounts_round_trip(minor in any::<u64>()) {
        let a = Amount::new(minor);
        prop_assert_eq!(a.to_string(), minor.to_string());
        prop_assert_eq!(a.to_string().parse::<Amount>().unwrap(), a);
        prop_assert_eq!(serde_json::from_str::<Amount>(&serde_json::to_string(&a).unwrap()).unwrap(), a);
        prop_assert_eq!(serde_json::from_str::<Amount>(&format!("\"{minor}\"")).unwrap(), a);
        let w = written(&a);
        prop_assert_eq!(w.pairs, vec![("field".to_owned(), minor.to_string())]);
        let refused = minor == 0 || minor > Amount::MAX.minor_units();
        prop_assert_eq!(w.rejected, if refused { vec!["field"] } else { vec![] });
    }

    /// `TradeTime`: the text form parses back to the same value, through
    /// `parse`, serde and `time`, and is what the parameter writes.
    #[test]
    fn times_round_trip(t in trade_time()) {
        let text = t.to_string();
        prop_assert_eq!(text.len(), 19);
        prop_assert_eq!(TradeTime::parse(&text).unwrap(), t);
        prop_assert_eq!(serde_json::from_str::<TradeTime>(&serde_json::to_string(&t).unwrap()).unwrap(), t);
        prop_assert_eq!(TradeTime::from(t.to_primitive().unwrap()), t);
        let w = written(&t);
        prop_assert_eq!(w.pairs, vec![("field".to_owned(), text)]);
        prop_assert!(w.rejected.is_empty());
    }

    /// Bounded text read from JSON is taken as sent, but a request refuses
    /// to carry it exactly when `new` would have refused it; within limits,
    /// it is the same value as `new`'s.
    #[test]
    fn bounded_text_from_json_is_refused_on_the_wire_iff_new_refuses(
        text in prop_oneof!["[a-zA-Z0-9_&=-]{0,20}", "\\PC{120,135}", any::<String>()],
    ) {
        let json = serde_json::to_string(&text).unwrap();
        let read: OutTradeNo = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(read.as_str(), text.as_str());
        let w = written(&read);
        prop_assert_eq!(w.pairs, vec![("field".to_owned(), text.clone())]);
        match OutTradeNo::new(text.clone()) {
            Ok(checked) => {
                prop_assert!(w.rejected.is_empty());
                prop_assert_eq!(checked, read);
            }
            Err(_) => prop_assert_eq!(w.rejected, vec!["field"]),
        }
        let read: MchId = serde_json::from_str(&json).unwrap();
        let refused = MchId::new(text.clone()).is_err();
        prop_assert_eq!(written(&read).rejected, if refused { vec!["field"] } else { vec![] });
    }

    /// Any text that is not exactly `YYYY-MM-DD hh:mm:ss` of a real date-time
    /// is refused, naming the field; whatever parses prints back unchanged.
    #[test]
    fn time_parsing_accepts_only_the_exact_format(text in prop_oneof![
        "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}",
        "[0-9 :T\\-./Z+]{0,24}",
        any::<String>(),
    ]) {
        match TradeTime::parse(&text) {
            Ok(t) => prop_assert_eq!(t.as_str(), text.as_str()),
            Err(e) => prop_assert_eq!(e.name, "txdtm"),
        }
    }

    /// Notification verification (`qfpay::notify`) accepts exactly the
    /// signer's signature over the raw bytes: one changed byte of the body,
    /// of the key or of the signature (other than its hex case), and it is
    /// `BadSignature` (or a malformed header) — never accepted.
    #[test]
    fn a_notification_verifies_only_with_its_own_body_key_and_signature(
        fields in prop::collection::vec(("[a-z_]{1,10}", "[ -~測試😀]{0,12}"), 1..8),
        spacing in any::<bool>(),
        key in "[0-9A-F]{32}",
        change in one_byte_change(),
        at in any::<prop::sample::Index>(),
        replacement in any::<char>(),
    ) {
        // A JSON object, written with either separator style.
        let map: serde_json::Map<String, serde_json::Value> = fields
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        let body = if spacing {
            serde_json::to_string_pretty(&map).unwrap()
        } else {
            serde_json::to_string(&map).unwrap()
        };
        let k = ClientKey::new(key.clone());
        let sig = Signature::compute(SignType::Md5, body.as_bytes(), &k);
        prop_assert!(notify::verify(body.as_bytes(), Some(&sig.to_hex_upper()), &k).is_ok());
        prop_assert!(notify::verify(body.as_bytes(), Some(&sig.to_hex_lower()), &k).is_ok());

        let tampered = changed(body.as_bytes(), &change);
        prop_assert!(matches!(
            notify::verify(&tampered, Some(&sig.to_hex_upper()), &k),
            Err(NotifyError::BadSignature)
        ));
        if let Ok(other_key) = String::from_utf8(changed(key.as_bytes(), &change)) {
            prop_assert!(matches!(
                notify::verify(body.as_bytes(), Some(&sig.to_hex_upper()), &ClientKey::new(other_key)),
                Err(NotifyError::BadSignature)
            ));
        }
        let hex = sig.to_hex_upper();
        let i = at.index(hex.len());
        prop_assume!(!replacement.eq_ignore_ascii_case(&(hex.as_bytes()[i] as char)));
        let mut chars: Vec<char> = hex.chars().collect();
        chars[i] = replacement;
        let forged: String = chars.iter().collect();
        let result = notify::verify(body.as_bytes(), Some(&forged), &k);
        prop_assert!(
            matches!(result, Err(NotifyError::BadSignature | NotifyError::MalformedSignature(_) | NotifyError::MissingSignature)),
            "{:?} accepted", forged
        );
    }
}
