//! The bodies of QFPay's asynchronous notifications, for every `notify_type`
//! (reference §22.2, §22.4, §22.5): the fields in the order of the
//! reference's examples, every value a string, written the way QFPay writes
//! them (Python `json.dumps`, see [`crate::pyjson`]).
//!
//! The mock's own notifications and `qfpay notify send` are both written
//! here, so a receiver tested with one sees exactly the bytes of the other.

use qfpay::types::{NotifyType, TradeTime};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Payments, refunds and unfreezes (§22.2, §22.4), in the order of the
/// reference's example; `false` marks a field sent only when it has a value
/// (`mchid`: agents only).
const TRADE: &[(&str, bool)] = &[
    ("status", true),
    ("pay_type", true),
    ("sysdtm", true),
    ("paydtm", true),
    ("goods_name", true),
    ("txcurrcd", true),
    ("txdtm", true),
    ("mchid", false),
    ("txamt", true),
    ("exchange_rate", true),
    ("chnlsn2", true),
    ("out_trade_no", true),
    ("syssn", true),
    ("cash_fee_type", true),
    ("cancel", true),
    ("respcd", true),
    ("goods_info", true),
    ("cash_fee", true),
    ("notify_type", true),
    ("chnlsn", true),
    ("cardcd", true),
];

/// `payment_token` (§22.5), in the order of the reference's example; the
/// fields sent "if available" follow.
const PAYMENT_TOKEN: &[(&str, bool)] = &[
    ("respmsg", true),
    ("card_scheme", true),
    ("cardcd", true),
    ("tokenid", true),
    ("respcd", true),
    ("token_expiry_date", true),
    ("sysdtm", true),
    ("notify_type", true),
    ("event", true),
    ("userid", false),
    ("customer_id", false),
    ("token_reason", false),
    ("token_reference", false),
];

/// `subscription` (§22.5), in the order of the reference's example.
const SUBSCRIPTION: &[(&str, bool)] = &[
    ("state", true),
    ("sysdtm", true),
    ("notify_type", true),
    ("subscription_id", true),
];

/// `subscription_payment` (§22.5), in the order of the reference's example;
/// `respmsg` is in its field list but not in the example.
const SUBSCRIPTION_PAYMENT: &[(&str, bool)] = &[
    ("txcurrcd", true),
    ("reason", true),
    ("cardcd", true),
    ("subscription_order_id", true),
    ("product_id", true),
    ("txdtm", true),
    ("txamt", true),
    ("card_scheme", true),
    ("syssn", true),
    ("respcd", true),
    ("subscription_id", true),
    ("customer_id", true),
    ("notify_type", true),
    ("current_iteration", true),
    ("respmsg", false),
];

/// A notification body: named string fields in QFPay's order.
///
/// [`new`](Self::new) lays out the fields of a `notify_type` (empty, or
/// left out until set for the optional ones), [`example`](Self::example)
/// fills them with plausible fresh values; [`set`](Self::set) changes a
/// field in place or adds one at the end; [`to_bytes`](Self::to_bytes)
/// writes the exact body to send and sign.
///
/// ```
/// use qfpay::types::NotifyType;
/// use qfpay_mock::NotificationBody;
///
/// let mut body = NotificationBody::new(&NotifyType::Subscription);
/// body.set("state", "COMPLETED");
/// body.set("subscription_id", "sub_1");
/// body.set("sysdtm", "2024-04-24 15:19:39");
/// assert_eq!(
///     body.to_bytes(),
///     br#"{"state": "COMPLETED", "sysdtm": "2024-04-24 15:19:39", "notify_type": "subscription", "subscription_id": "sub_1"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationBody {
    /// `None`: an optional field not set, left out of the body.
    fields: Vec<(String, Option<String>)>,
}

impl NotificationBody {
    /// The fields QFPay sends for `notify_type`, in its order, every
    /// always-sent field empty and `notify_type` set. A type the reference
    /// does not document gets just its `notify_type`.
    pub fn new(notify_type: &NotifyType) -> Self {
        let template = match notify_type {
            NotifyType::Payment | NotifyType::Refund | NotifyType::Unfreeze => TRADE,
            NotifyType::PaymentToken => PAYMENT_TOKEN,
            NotifyType::Subscription => SUBSCRIPTION,
            NotifyType::SubscriptionPayment => SUBSCRIPTION_PAYMENT,
            _ => &[("notify_type", true)],
        };
        let mut body = NotificationBody {
            fields: template
                .iter()
                .map(|&(name, always)| (name.to_owned(), always.then(String::new)))
                .collect(),
        };
        body.set("notify_type", notify_type.as_str());
        body
    }

    /// A complete body of `notify_type` with fresh example values: new
    /// `syssn`, order and subscription ids, the current Hong Kong time,
    /// 100 HKD cents paid by `800101`, result `0000`.
    pub fn example(notify_type: &NotifyType) -> Self {
        let now = TradeTime::now();
        let now = now.as_str();
        let date: String = now[..10].chars().filter(char::is_ascii_digit).collect();
        let syssn = |kind: &str| format!("{date}{kind}0002{}", digits(10));
        let mut body = Self::new(notify_type);
        let values: Vec<(&str, String)> = match notify_type {
            NotifyType::Payment | NotifyType::Refund | NotifyType::Unfreeze => vec![
                ("status", "1".into()),
                ("pay_type", "800101".into()),
                ("sysdtm", now.into()),
                ("paydtm", now.into()),
                ("txcurrcd", "HKD".into()),
                ("txdtm", now.into()),
                ("txamt", "100".into()),
                ("out_trade_no", alphanumeric(32)),
                (
                    "syssn",
                    syssn(if *notify_type == NotifyType::Refund {
                        "0003"
                    } else {
                        "0002"
                    }),
                ),
                ("cash_fee_type", "HKD".into()),
                ("cancel", "0".into()),
                ("respcd", "0000".into()),
                ("cash_fee", "100".into()),
                ("chnlsn", format!("42{}", digits(26))),
            ],
            NotifyType::PaymentToken => vec![
                ("card_scheme", "VISA".into()),
                ("cardcd", "4242****4242".into()),
                ("tokenid", format!("tk_{}", hex(32))),
                ("respcd", "0000".into()),
                ("token_expiry_date", format!("{}-12-31 00:00:00", &now[..4])),
                ("sysdtm", now.into()),
                ("event", "NEW".into()),
            ],
            NotifyType::Subscription => vec![
                ("state", "ACTIVE".into()),
                ("sysdtm", now.into()),
                ("subscription_id", format!("sub_{}", hex(32))),
            ],
            NotifyType::SubscriptionPayment => {
                let id = hex(32);
                vec![
                    ("txcurrcd", "HKD".into()),
                    ("reason", "AUTHORISED".into()),
                    ("cardcd", "4242****4242".into()),
                    ("subscription_order_id", format!("sub_ord_{id}_0001")),
                    ("product_id", format!("prod_{}", hex(32))),
                    ("txdtm", now.into()),
                    ("txamt", "100".into()),
                    ("card_scheme", "VISA".into()),
                    ("syssn", syssn("0002")),
                    ("respcd", "0000".into()),
                    ("subscription_id", format!("sub_{id}")),
                    ("customer_id", format!("cust_{}", hex(32))),
                    ("current_iteration", "1".into()),
                ]
            }
            _ => Vec::new(),
        };
        for (name, value) in values {
            body.set(name, value);
        }
        body
    }

    /// Sets field `name`: in its place when the body has it (also an
    /// optional one not set so far), else added at the end.
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        let value = Some(value.into());
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some((_, slot)) => *slot = value,
            None => self.fields.push((name.to_owned(), value)),
        }
        self
    }

    /// The value of field `name`, if the body has it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// The exact body: a JSON object of strings in Python `json.dumps` style
    /// (`", "` and `": "` separators, non-ASCII as `\uXXXX`).
    pub fn to_bytes(&self) -> Vec<u8> {
        // A map of strings always serialises.
        crate::pyjson::to_vec(self).unwrap_or_default()
    }
}

impl Serialize for NotificationBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in &self.fields {
            if let Some(value) = value {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}

fn random_text(len: usize, alphabet: &[u8]) -> String {
    (0..len)
        .map(|_| char::from(alphabet[fastrand::usize(..alphabet.len())]))
        .collect()
}

fn digits(len: usize) -> String {
    random_text(len, b"0123456789")
}

fn hex(len: usize) -> String {
    random_text(len, b"0123456789abcdef")
}

fn alphanumeric(len: usize) -> String {
    random_text(len, b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use qfpay::notify::Notification;

    #[test]
    fn examples_of_every_documented_type_decode_as_that_type() {
        for kind in NotifyType::known() {
            let bytes = NotificationBody::example(kind).to_bytes();
            let event = Notification::from_json(&bytes).unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(event.notify_type(), Some(kind.as_str()));
            assert!(
                !matches!(event, Notification::Other { .. }),
                "{kind} typed: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    #[test]
    fn set_keeps_the_place_and_optional_fields_appear_only_when_set() {
        let mut body = NotificationBody::new(&NotifyType::Payment);
        let text = String::from_utf8(body.to_bytes()).unwrap_or_default();
        assert!(
            text.starts_with(r#"{"status": "", "pay_type": """#),
            "{text}"
        );
        assert!(!text.contains("mchid"), "{text}");
        body.set("mchid", "M1").set("txamt", "5").set("zz", "é");
        let text = String::from_utf8(body.to_bytes()).unwrap_or_default();
        assert!(
            text.contains(r#""txdtm": "", "mchid": "M1", "txamt": "5""#),
            "{text}"
        );
        assert!(text.ends_with(r#""cardcd": "", "zz": "\u00e9"}"#), "{text}");
        assert_eq!(body.get("txamt"), Some("5"));
        assert_eq!(body.get("userid"), None);
    }
}
