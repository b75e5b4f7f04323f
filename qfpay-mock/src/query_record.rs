//! The reply of the query endpoint (`qfpay::api::Query`, reference §10) as borrowed, typed
//! structures serialised straight to bytes ([`Json::serialize`]): a page of
//! 100 records costs no `Value` per record.
//!
//! Fields are declared in byte order of their names, the order in which a
//! `serde_json::Value` map writes them, so the bytes are those the mock has
//! always answered; amounts and the paging echo are text, as QFPay sends them.
//!
//! [`Json::serialize`]: crate::reply::Json::serialize

use serde::{Serialize, Serializer};

use crate::store::{Order, OrderType, describe};

/// One record of a query page.
#[derive(Serialize)]
pub(crate) struct QueryRecord<'a> {
    cancel: &'a str,
    cardtp: &'static str,
    chnlsn: &'a str,
    chnlsn2: &'static str,
    clisn: &'static str,
    errmsg: &'static str,
    goods_detail: &'static str,
    goods_info: &'a str,
    goods_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    order_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    origssn: Option<&'a str>,
    out_trade_no: &'a str,
    pay_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    paydtm: Option<&'a str>,
    respcd: &'a str,
    sysdtm: &'a str,
    syssn: &'a str,
    #[serde(serialize_with = "as_text")]
    txamt: u64,
    txcurrcd: &'a str,
    txdtm: &'a str,
    udid: &'a str,
}

impl<'a> QueryRecord<'a> {
    /// What a query shows of `o`.
    pub fn of(o: &'a Order) -> Self {
        QueryRecord {
            cancel: &o.cancel,
            cardtp: "5",
            chnlsn: &o.chnlsn,
            chnlsn2: "",
            clisn: "",
            errmsg: describe(&o.respcd),
            goods_detail: "",
            goods_info: o.goods_info.as_deref().unwrap_or_default(),
            goods_name: o.goods_name.as_deref().unwrap_or_default(),
            note: o.note.as_deref(),
            order_type: match o.order_type {
                OrderType::Payment => "payment",
                OrderType::Refund => "refund",
            },
            origssn: o.orig_syssn.as_deref(),
            out_trade_no: &o.out_trade_no,
            pay_type: &o.pay_type,
            paydtm: o.paydtm.as_deref(),
            respcd: &o.respcd,
            sysdtm: &o.sysdtm,
            syssn: &o.syssn,
            txamt: o.txamt,
            txcurrcd: &o.txcurrcd,
            txdtm: &o.txdtm,
            udid: o.udid.as_deref().unwrap_or("qiantai2"),
        }
    }
}

/// A query page: the envelope, the paging echo and the records.
#[derive(Serialize)]
pub(crate) struct QueryReply<'a> {
    pub data: Vec<QueryRecord<'a>>,
    pub page: String,
    pub page_size: String,
    pub respcd: &'static str,
    pub resperr: &'static str,
    pub respmsg: &'static str,
}

/// A number written as a JSON string (`"txamt": "100"`).
fn as_text<S: Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(n)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use qfpay::types::TradeTime;

    use super::*;
    use crate::operations::paid_payment;
    use crate::store::{OrderStatus, SeedOrder, Store};

    /// How the records were built before, as a `Value`: the bytes to keep.
    fn as_value(o: &Order) -> Value {
        let mut r = json!({
            "syssn": o.syssn,
            "out_trade_no": o.out_trade_no,
            "chnlsn": o.chnlsn,
            "chnlsn2": "",
            "goods_name": o.goods_name.clone().unwrap_or_default(),
            "goods_info": o.goods_info.clone().unwrap_or_default(),
            "goods_detail": "",
            "txcurrcd": o.txcurrcd,
            "pay_type": o.pay_type,
            "order_type": match o.order_type { OrderType::Payment => "payment", OrderType::Refund => "refund" },
            "txdtm": o.txdtm,
            "txamt": o.txamt.to_string(),
            "sysdtm": o.sysdtm,
            "cancel": o.cancel,
            "respcd": o.respcd,
            "errmsg": describe(&o.respcd),
            "udid": o.udid.clone().unwrap_or_else(|| "qiantai2".into()),
            "cardtp": "5",
            "clisn": "",
        });
        if let Value::Object(m) = &mut r {
            if let Some(p) = &o.paydtm {
                m.insert("paydtm".into(), p.clone().into());
            }
            if let Some(s) = &o.orig_syssn {
                m.insert("origssn".into(), s.clone().into());
            }
            if let Some(n) = &o.note {
                m.insert("note".into(), n.clone().into());
            }
        }
        r
    }

    /// A paid payment with nothing optional set, as seeding records one.
    fn bare() -> Order {
        let at = TradeTime::parse("2025-01-02 03:04:05").unwrap();
        let seed = SeedOrder::paid("20250102000100020000000001", 12345);
        let merchant = ("APP".to_owned(), None);
        paid_payment(&Store::default(), &seed, merchant, "order-1".into(), &at)
    }

    #[test]
    fn records_are_the_bytes_a_value_gave() {
        let unpaid = Order {
            paydtm: None,
            status: OrderStatus::Unpaid,
            respcd: "1143".into(),
            cancel: "0".into(),
            ..bare()
        };
        let full = Order {
            order_type: OrderType::Refund,
            paydtm: Some("2025-01-02 03:04:07".into()),
            status: OrderStatus::Succeeded,
            respcd: "0000".into(),
            orig_syssn: Some("20250102000100020000000000".into()),
            note: Some("a \"note\"\n\\ 備註 \u{1}".into()),
            goods_name: Some("茶 & <cake>".into()),
            goods_info: Some("x".into()),
            udid: Some("till-7".into()),
            chnlsn: "4200001".into(),
            txamt: u64::MAX,
            ..bare()
        };
        for o in [bare(), unpaid, full] {
            let typed = serde_json::to_vec(&QueryRecord::of(&o)).unwrap();
            let built = serde_json::to_vec(&as_value(&o)).unwrap();
            assert_eq!(String::from_utf8(typed), String::from_utf8(built));
        }
    }

    #[test]
    fn the_page_is_the_bytes_a_value_gave() {
        let orders = [bare(), bare()];
        let reply = QueryReply {
            data: orders.iter().map(QueryRecord::of).collect(),
            page: "2".into(),
            page_size: "100".into(),
            respcd: "0000",
            resperr: "success",
            respmsg: "",
        };
        let built = json!({
            "respcd": "0000",
            "resperr": "success",
            "respmsg": "",
            "page": "2",
            "page_size": "100",
            "data": orders.iter().map(as_value).collect::<Vec<_>>(),
        });
        assert_eq!(
            String::from_utf8(serde_json::to_vec(&reply).unwrap()),
            String::from_utf8(serde_json::to_vec(&built).unwrap())
        );
    }
}
