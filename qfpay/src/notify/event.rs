//! The typed notification events (reference §22.2, §22.4, §22.5).

use serde_json::{Map, Value};

use super::surrogates::replace_lone_surrogates;
use crate::response::{Extra, qf_object};
use crate::types::{
    Amount, CancelState, Currency, NotifyType, OutTradeNo, PayType, PaymentTokenEvent, RespCode,
    SubscriptionState, Syssn, TradeTime,
};

/// A verified notification, by `notify_type`.
///
/// | `notify_type` | variant |
/// |---|---|
/// | `payment` | [`Payment`](Self::Payment) (also a captured pre-authorisation, §22.4) |
/// | `refund` | [`Refund`](Self::Refund) (also a pre-authorisation refund) |
/// | `unfreeze` | [`PreAuth`](Self::PreAuth) (Alipay pre-authorisation unfrozen, §22.4) |
/// | `payment_token` | [`PaymentToken`](Self::PaymentToken) (§22.5) |
/// | `subscription` | [`Subscription`](Self::Subscription) (§22.5) |
/// | `subscription_payment` | [`SubscriptionPayment`](Self::SubscriptionPayment) (§22.5) |
/// | anything else | [`Other`](Self::Other) |
///
/// **Tolerance.** A notification is only parsed after its signature checked
/// out, so it really is QFPay's; refusing it would only make QFPay send the
/// same bytes again for a day. Hence nothing valid as JSON is refused:
///
/// * unknown fields are kept in each struct's `extra` map;
/// * amounts are accepted as strings or numbers; times that are empty or not
///   `YYYY-MM-DD hh:mm:ss` become `None`; unknown codes are kept as `Other`;
/// * a body **without `notify_type`** (the card page's sample looks like a
///   query record, reference §27.1 #47) is typed by its `order_type`
///   (`payment` / `refund`) when it has one, else kept as `Other`;
/// * a body whose `notify_type` is known but which lacks a field every such
///   notification has (e.g. a payment without `syssn`, `out_trade_no`,
///   `txamt`, `txcurrcd`, `pay_type`, `cancel` or `respcd`), or a body that is
///   not a JSON object, is kept as [`Other`](Self::Other) with the raw JSON.
///
/// Match `Other` too (the enum is `#[non_exhaustive]`), log it and still
/// reply `SUCCESS` if you do not need it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Notification {
    /// A payment (`notify_type` `payment`). QFPay documents that only
    /// successful payments are notified, with `respcd` always `0000`
    /// (reference §22.1), but this variant does not assume it: a signed body
    /// with another `respcd` or `status` still arrives here, so check
    /// [`PaymentNotification::is_success`] before treating the order as paid.
    Payment(PaymentNotification),
    /// A refund (`notify_type` `refund`); `syssn` is the refund's own. As for
    /// [`Payment`](Self::Payment), check [`RefundNotification::is_success`].
    Refund(RefundNotification),
    /// An Alipay pre-authorisation was unfrozen (`notify_type` `unfreeze`,
    /// §22.4). Captures and refunds of pre-authorisations arrive as
    /// [`Payment`](Self::Payment) and [`Refund`](Self::Refund).
    PreAuth(PreAuthNotification),
    /// A card was tokenised for recurring payments (`payment_token`).
    PaymentToken(PaymentTokenNotification),
    /// A subscription changed state (`subscription`).
    Subscription(SubscriptionNotification),
    /// A subscription billing attempt, successful **or failed**
    /// (`subscription_payment`): check [`SubscriptionPaymentNotification::is_success`].
    SubscriptionPayment(SubscriptionPaymentNotification),
    /// A notification this version does not type: an unknown `notify_type`,
    /// none at all, or a known one missing a field its type requires.
    Other {
        /// The `notify_type` as sent, if it is a string.
        notify_type: Option<String>,
        /// The whole body as parsed, except that a top-level integer too
        /// long for 64 bits (an identifier such as `syssn` sent bare) is
        /// kept as its exact digits in a string: a `Value` would hold it as
        /// a rounded float.
        raw: Value,
    },
}

impl Notification {
    /// Parses a notification body **without verifying it**.
    ///
    /// Use [`crate::notify::verify`] for anything received over the network.
    /// This is for bodies already verified, e.g. stored raw and replayed
    /// later. Fails only when `body` is not JSON; see the type's
    /// documentation for how every JSON value is typed.
    ///
    /// A lone UTF-16 surrogate escape (`"\udce9"` without its pair, which
    /// Python's `json.dumps` writes for a string holding one) is read as
    /// U+FFFD instead of failing the whole notification.
    pub fn from_json(body: &[u8]) -> Result<Notification, serde_json::Error> {
        match serde_json::from_slice(body) {
            Ok(value) => Ok(Self::classify(value, body)),
            Err(error) => match replace_lone_surrogates(body) {
                Some(repaired) => {
                    let value = serde_json::from_slice(&repaired).map_err(|_| error)?;
                    Ok(Self::classify(value, &repaired))
                }
                None => Err(error),
            },
        }
    }

    /// Types an already-parsed (and verified) notification body.
    ///
    /// [`from_json`](Self::from_json) is exact where this cannot be: a
    /// `Value` already holds a bare integer beyond 64 bits as a float.
    #[inline] // compiled where it is called: lib.rs, "Build cost"
    pub fn from_value(value: Value) -> Notification {
        // Typed events decode from JSON text only, as `from_json` does: one
        // decoder per event type to compile, not a second one over `Value`.
        match serde_json::to_vec(&value) {
            Ok(body) => Self::classify(value, &body),
            Err(_) => Notification::Other {
                notify_type: None,
                raw: value,
            },
        }
    }

    /// Types `value` by its `notify_type`; a typed event is decoded from
    /// `body`, the same JSON as text, so that its identifiers keep every
    /// digit.
    fn classify(value: Value, body: &[u8]) -> Notification {
        let Value::Object(map) = value else {
            return Notification::Other {
                notify_type: None,
                raw: value,
            };
        };
        let wire_type = match map.get("notify_type") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        // The card page's sample has no `notify_type` but an `order_type`.
        let kind = match (&wire_type, map.get("order_type")) {
            (Some(t), _) => NotifyType::from_code(t.trim()),
            (None, Some(Value::String(order))) => match order.trim() {
                "payment" => NotifyType::Payment,
                "refund" => NotifyType::Refund,
                _ => return Self::other(wire_type, map, body),
            },
            (None, _) => return Self::other(wire_type, map, body),
        };
        let typed = match kind {
            NotifyType::Payment => decode(body).map(Notification::Payment),
            NotifyType::Refund => decode(body).map(Notification::Refund),
            NotifyType::Unfreeze => decode(body).map(Notification::PreAuth),
            NotifyType::PaymentToken => decode(body).map(Notification::PaymentToken),
            NotifyType::Subscription => decode(body).map(Notification::Subscription),
            NotifyType::SubscriptionPayment => decode(body).map(Notification::SubscriptionPayment),
            _ => None,
        };
        match typed {
            Some(mut event) => {
                // The variant says the type; keep it out of `extra`.
                if let Some(extra) = event.extra_mut() {
                    extra.remove("notify_type");
                }
                event
            }
            None => Self::other(wire_type, map, body),
        }
    }

    fn extra_mut(&mut self) -> Option<&mut Extra> {
        Some(match self {
            Notification::Payment(n) => &mut n.extra,
            Notification::Refund(n) => &mut n.extra,
            Notification::PreAuth(n) => &mut n.extra,
            Notification::PaymentToken(n) => &mut n.extra,
            Notification::Subscription(n) => &mut n.extra,
            Notification::SubscriptionPayment(n) => &mut n.extra,
            Notification::Other { .. } => return None,
        })
    }

    fn other(
        notify_type: Option<String>,
        mut map: Map<String, Value>,
        body: &[u8],
    ) -> Notification {
        keep_long_integers(&mut map, body);
        Notification::Other {
            notify_type,
            raw: Value::Object(map),
        }
    }

    /// The `notify_type`: fixed by the variant for typed events (`payment`
    /// also for a card notification typed by its `order_type`), as sent for
    /// [`Other`](Self::Other) (`None` when it had none).
    pub fn notify_type(&self) -> Option<&str> {
        Some(match self {
            Notification::Payment(_) => "payment",
            Notification::Refund(_) => "refund",
            Notification::PreAuth(_) => "unfreeze",
            Notification::PaymentToken(_) => "payment_token",
            Notification::Subscription(_) => "subscription",
            Notification::SubscriptionPayment(_) => "subscription_payment",
            Notification::Other { notify_type, .. } => return notify_type.as_deref(),
        })
    }

    /// The QFPay transaction number the event is about, when it has one
    /// (payments, refunds, unfreezes, subscription payments).
    ///
    /// For [`Other`](Self::Other), this is `None`; read `raw["syssn"]`.
    pub fn syssn(&self) -> Option<&Syssn> {
        match self {
            Notification::Payment(n) => Some(&n.syssn),
            Notification::Refund(n) => Some(&n.syssn),
            Notification::PreAuth(n) => Some(&n.syssn),
            Notification::SubscriptionPayment(n) => n.syssn.as_ref(),
            Notification::PaymentToken(_)
            | Notification::Subscription(_)
            | Notification::Other { .. } => None,
        }
    }

    /// `(syssn, notify_type)`: the key to deduplicate retried deliveries by
    /// (reference §22.1). QFPay sends the same notification again whenever
    /// it did not read `SUCCESS`, so record this key with the effect of the
    /// event, in one transaction, and skip events whose key is known.
    ///
    /// `None` for events without a `syssn` (`payment_token`, `subscription`,
    /// and [`Other`](Self::Other) unless its raw JSON has a `syssn`, text or
    /// an integer, and a string `notify_type`): their effects (a token stored, a state set)
    /// are naturally idempotent, or deduplicate them by their content.
    ///
    /// ```
    /// let body = br#"{"notify_type": "chargeback", "syssn": "2025"}"#;
    /// let event = qfpay::notify::Notification::from_json(body).unwrap();
    /// assert_eq!(event.dedup_key(), Some(("2025".to_owned(), "chargeback".to_owned())));
    /// ```
    pub fn dedup_key(&self) -> Option<(String, String)> {
        if let Notification::Other { notify_type, raw } = self {
            let syssn = match raw.get("syssn")? {
                Value::String(s) if !s.is_empty() => s.clone(),
                Value::Number(n) if n.is_u64() => n.to_string(),
                _ => return None,
            };
            return Some((syssn, notify_type.as_deref()?.to_owned()));
        }
        let syssn = self.syssn()?;
        let notify_type = self.notify_type()?;
        Some((syssn.as_str().to_owned(), notify_type.to_owned()))
    }
}

/// Replaces each top-level integer of `map` that 64 bits cannot hold with
/// its digits as written in `body` (the same JSON as text).
fn keep_long_integers(map: &mut Map<String, Value>, body: &[u8]) {
    let long = |n: &serde_json::Number| !(n.is_u64() || n.is_i64());
    if !map
        .values()
        .any(|v| matches!(v, Value::Number(n) if long(n)))
    {
        return;
    }
    // `Extra` holds each top-level field as the JSON text sent.
    let Ok(fields) = serde_json::from_slice::<Extra>(body) else {
        return;
    };
    for (key, text) in fields.iter() {
        let text = text.get();
        let digits = text.strip_prefix('-').unwrap_or(text);
        let integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        if integer && matches!(map.get(key), Some(Value::Number(n)) if long(n)) {
            map.insert(key.to_owned(), Value::String(text.to_owned()));
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body)
        .inspect_err(|_error| {
            // The error may quote a field's value; it stays at debug level.
            #[cfg(feature = "tracing")]
            tracing::debug!(error = %_error, "qfpay: notification kept as Notification::Other");
        })
        .ok()
}

/// The fields of a payment, refund or pre-authorisation notification
/// (reference §22.2, §22.4), shared by three structs so each variant has its
/// own type.
macro_rules! trade_notification {
    ($( $(#[$doc:meta])* $name:ident; )*) => {$(
        $crate::response::qf_object! {
            record
            $(#[$doc])*
            ///
            /// Fields the reference marks "always" are required (a body without
            /// one is kept as [`Notification::Other`]); the others default to
            /// empty. Unknown fields are kept in `extra`.
            pub struct $name {
                /// QFPay transaction number of this transaction (for a refund,
                /// the refund's own).
                pub syssn: Syssn,
                /// The merchant's order number.
                pub out_trade_no: OutTradeNo,
                /// Amount in minor units (a string on the wire).
                pub txamt: Amount,
                /// Currency.
                pub txcurrcd: Currency,
                /// Payment type.
                pub pay_type: PayType,
                /// Result code; always `0000` (only successes are notified).
                pub respcd: RespCode,
                /// Cancellation / refund state (§23.2).
                pub cancel: CancelState,
                /// `1` = success. Empty when absent (the card sample has none).
                #[serde(default, deserialize_with = "crate::types::de::text")]
                pub status: String,
                shared { sysdtm, paydtm, txdtm }
                /// Merchant id: sent to agents only.
                #[serde(default, deserialize_with = "crate::types::de::opt_text", skip_serializing_if = "Option::is_none")]
                pub mchid: Option<String>,
                /// Refunds: the `syssn` of the refunded payment, when sent (not
                /// in the reference's field list; `origssn` is accepted too).
                #[serde(
                    default,
                    alias = "origssn",
                    deserialize_with = "crate::types::de::opt_syssn",
                    skip_serializing_if = "Option::is_none"
                )]
                pub orig_syssn: Option<Syssn>,
                shared {
                    goods_name, goods_info, exchange_rate, chnlsn, chnlsn2, cardcd, cash_fee,
                    cash_fee_type, cash_refund_fee, cash_refund_fee_type,
                }
            }
        }

        impl $name {
            /// `true` when `respcd` is `0000` and `status` is `1` or absent.
            pub fn is_success(&self) -> bool {
                self.respcd.is_accepted() && (self.status.is_empty() || self.status == "1")
            }
        }
    )*};
}

trade_notification! {
    /// A payment (`notify_type` `payment`, reference §22.2), also a captured
    /// pre-authorisation (§22.4); [`is_success`](Self::is_success) says
    /// whether it was paid.
    PaymentNotification;
    /// A refund (`notify_type` `refund`, reference §22.2); `syssn` and
    /// `out_trade_no` are the refund's own, `txamt` the refunded amount;
    /// [`is_success`](Self::is_success) says whether it went through.
    RefundNotification;
    /// An Alipay pre-authorisation unfrozen (`notify_type` `unfreeze`,
    /// reference §22.4): the same fields as a payment notification.
    PreAuthNotification;
}

qf_object! {
    record
    /// A card tokenised for recurring payments (`notify_type` `payment_token`,
    /// reference §22.5).
    pub struct PaymentTokenNotification {
        /// The token (`tk_…`). Note the spelling: `tokenid` here, `token_id`
        /// in the subscription APIs.
        pub tokenid: String,
        /// `NEW`, `MATCH` (card already tokenised) or `CONFLICT` (card known,
        /// data differs).
        pub event: PaymentTokenEvent,
        shared { userid }
        /// Token expiry; `None` when absent or unreadable.
        #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        pub token_expiry_date: Option<TradeTime>,
        shared { cardcd }
        /// Card scheme, e.g. `VISA`, `ECMC_DEBIT`.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub card_scheme: String,
        shared { respcd, respmsg }
        /// Event time; `None` when absent or unreadable.
        #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        pub sysdtm: Option<TradeTime>,
        /// Customer id, if available.
        #[serde(
            default,
            deserialize_with = "crate::types::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub customer_id: Option<String>,
        /// Token reason, if available.
        #[serde(
            default,
            deserialize_with = "crate::types::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub token_reason: Option<String>,
        /// Token reference, if available.
        #[serde(
            default,
            deserialize_with = "crate::types::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub token_reference: Option<String>,
    }
}

qf_object! {
    record
    /// A subscription changed state (`notify_type` `subscription`, reference §22.5).
    pub struct SubscriptionNotification {
        /// The subscription (`sub_…`).
        #[serde(deserialize_with = "crate::types::de::text")]
        pub subscription_id: String,
        /// Its new state (§23.6).
        pub state: SubscriptionState,
        /// Event time; `None` when absent or unreadable.
        #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        pub sysdtm: Option<TradeTime>,
    }
}

qf_object! {
    record
    /// A subscription billing attempt (`notify_type` `subscription_payment`,
    /// reference §22.5). Sent for failed attempts too: check
    /// [`is_success`](Self::is_success).
    pub struct SubscriptionPaymentNotification {
        /// The subscription (`sub_…`).
        #[serde(deserialize_with = "crate::types::de::text")]
        pub subscription_id: String,
        /// The billing order (an opaque string; documented as
        /// `sub_ord_<id>_<iteration>`, not so in the example).
        #[serde(deserialize_with = "crate::types::de::text")]
        pub subscription_order_id: String,
        shared { respcd, respmsg }
        /// Reason given by the card processor, e.g. `AUTHORISED` (in the example, undocumented).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub reason: String,
        /// QFPay transaction number of the attempt; `None` when absent or empty.
        #[serde(
            default,
            deserialize_with = "crate::types::de::opt_syssn",
            skip_serializing_if = "Option::is_none"
        )]
        pub syssn: Option<Syssn>,
        /// Amount in minor units.
        pub txamt: Amount,
        /// Currency.
        pub txcurrcd: Currency,
        shared { txdtm, customer_id }
        /// Product ids, comma-separated: see [`product_ids`](Self::product_ids).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub product_id: String,
        shared { cardcd }
        /// Card scheme (only when the attempt succeeded).
        #[serde(
            default,
            deserialize_with = "crate::types::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub card_scheme: Option<String>,
        /// Billing iteration, from 1 (a string or a number on the wire).
        #[serde(
            default,
            deserialize_with = "crate::types::de::opt_u64_lenient",
            skip_serializing_if = "Option::is_none"
        )]
        pub current_iteration: Option<u64>,
    }
}

impl SubscriptionPaymentNotification {
    /// `true` when the attempt succeeded (`respcd` `0000`).
    pub fn is_success(&self) -> bool {
        self.respcd.is_accepted()
    }

    /// The product ids, split at commas, trimmed, empty ones skipped.
    pub fn product_ids(&self) -> impl Iterator<Item = &str> {
        self.product_id
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Notification {
        match Notification::from_json(json.as_bytes()) {
            Ok(n) => n,
            Err(e) => panic!("{e}: {json}"),
        }
    }

    #[test]
    fn payment_times_are_tolerant() {
        let n = parse(
            r#"{"notify_type": "payment", "syssn": "1", "out_trade_no": "o", "txamt": 5,
                "txcurrcd": "HKD", "pay_type": "800101", "respcd": "0000", "cancel": "0",
                "sysdtm": "2020-05-14T12:32:56", "paydtm": "", "txdtm": null, "new": 1}"#,
        );
        let Notification::Payment(p) = n else {
            panic!("{n:?}")
        };
        assert_eq!(p.txamt, Amount::new(5));
        assert_eq!((p.sysdtm, p.paydtm, p.txdtm), (None, None, None));
        assert_eq!(p.extra.text("new").as_deref(), Some("1"));
        assert!(!p.extra.contains_key("notify_type"));
        assert!(p.is_success());
    }

    #[test]
    fn missing_required_field_is_other_with_notify_type_kept() {
        let n = parse(r#"{"notify_type": "refund", "syssn": "1"}"#);
        let Notification::Other { notify_type, raw } = &n else {
            panic!("{n:?}")
        };
        assert_eq!(notify_type.as_deref(), Some("refund"));
        assert_eq!(raw["notify_type"], "refund");
        assert_eq!(n.dedup_key(), Some(("1".into(), "refund".into())));
    }

    #[test]
    fn origssn_alias_and_order_type_inference() {
        let n = parse(
            r#"{"order_type": "refund", "syssn": "2", "origssn": "1", "out_trade_no": "r",
                "txamt": "5", "txcurrcd": "HKD", "pay_type": "800101", "respcd": "0000",
                "cancel": "0"}"#,
        );
        let Notification::Refund(r) = &n else {
            panic!("{n:?}")
        };
        assert_eq!(r.orig_syssn.as_ref().map(Syssn::as_str), Some("1"));
        assert_eq!(n.dedup_key(), Some(("2".into(), "refund".into())));
    }

    #[test]
    fn non_objects_and_untyped_bodies_are_other() {
        assert_eq!(
            parse("[1]"),
            Notification::Other {
                notify_type: None,
                raw: serde_json::json!([1])
            }
        );
        let n = parse(r#"{"syssn": "1"}"#);
        assert_eq!(n.notify_type(), None);
        assert_eq!(n.dedup_key(), None);
        let n = parse(r#"{"notify_type": 7}"#);
        assert_eq!(n.notify_type(), None);
    }

    /// An untyped event's long bare integers keep every digit, and its
    /// `syssn` still deduplicates it.
    #[test]
    fn other_keeps_long_integers_exact() {
        let body = br#"{"notify_type": "chargeback", "syssn": 20200615000200020000641807, "chnlsn": 2020061522001453561406303428, "txamt": 10, "ratio": 0.5, "neg": -20200615000200020000641807}"#;
        let event = Notification::from_json(body).unwrap_or_else(|e| panic!("{e}"));
        let Notification::Other { raw, .. } = &event else {
            panic!("{event:?}");
        };
        assert_eq!(raw["syssn"], "20200615000200020000641807");
        assert_eq!(raw["chnlsn"], "2020061522001453561406303428");
        assert_eq!(raw["neg"], "-20200615000200020000641807");
        // What 64 bits hold stays a number.
        assert_eq!(raw["txamt"], 10);
        assert_eq!(raw["ratio"], 0.5);
        assert_eq!(
            event.dedup_key(),
            Some((
                "20200615000200020000641807".to_owned(),
                "chargeback".to_owned()
            ))
        );
        let short = Notification::from_json(br#"{"notify_type": "chargeback", "syssn": 2025}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            short.dedup_key(),
            Some(("2025".to_owned(), "chargeback".to_owned()))
        );
    }
}
