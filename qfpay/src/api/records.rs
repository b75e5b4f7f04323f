//! Response pieces shared by several endpoints: the transaction record of
//! `/trade/v1/query` and the envelope-with-`data` shapes of the recurring and
//! customs APIs.

use crate::response::qf_object;
use crate::types::{
    Amount, CancelState, Currency, OrderType, OutTradeNo, PayType, RespCode, Syssn, TradeTime,
};

qf_object! {
    record
    /// One transaction of a `/trade/v1/query` response (`data[]`, reference §10):
    /// a payment, refund or cancellation.
    ///
    /// Every field but `respcd` may be missing; numbers are accepted as strings
    /// or numbers; unknown fields are kept in `extra`.
    pub struct TradeRecord {
        /// QFPay transaction number.
        #[serde(default)]
        pub syssn: Option<Syssn>,
        /// Merchant order number.
        #[serde(default)]
        pub out_trade_no: Option<OutTradeNo>,
        /// Wallet transaction number (often empty).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub chnlsn: String,
        /// Extra channel number.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub chnlsn2: String,
        /// Goods name.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub goods_name: String,
        /// Goods information.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub goods_info: String,
        /// Goods detail.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub goods_detail: String,
        /// Currency.
        #[serde(default)]
        pub txcurrcd: Option<Currency>,
        /// Refunds only: the `syssn` of the refunded original.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub origssn: String,
        /// Payment type.
        #[serde(default)]
        pub pay_type: Option<PayType>,
        /// `payment` or `refund`.
        #[serde(default)]
        pub order_type: Option<OrderType>,
        /// The merchant's request time.
        #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        pub txdtm: Option<TradeTime>,
        /// Amount in minor units.
        #[serde(default)]
        pub txamt: Option<Amount>,
        /// System time (settlement cut-off), Hong Kong time.
        #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        pub sysdtm: Option<TradeTime>,
        /// Payment time.
        #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        pub paydtm: Option<TradeTime>,
        /// Cancellation / refund state (§23.2).
        #[serde(default)]
        pub cancel: Option<CancelState>,
        /// The transaction's status: `0000` success, `1143`/`1145` pending, else
        /// failed. An empty `Other` code when the record has none.
        #[serde(default = "crate::types::de::missing_code")]
        pub respcd: RespCode,
        /// Status message.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub errmsg: String,
        /// Applied exchange rate.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub exchange_rate: String,
        /// Amount the payer actually paid (after discounts), as text.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub cash_fee: String,
        /// Currency of `cash_fee` (e.g. `CNY`).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub cash_fee_type: String,
        /// Amount actually refunded, as text.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub cash_refund_fee: String,
        /// Currency of `cash_refund_fee`.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub cash_refund_fee_type: String,
        /// Card type code (undocumented; `"5"` in the example).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub cardtp: String,
        /// Undocumented (`"038424"` in the example), probably a terminal serial number.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub clisn: String,
        /// Device id.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub udid: String,
        /// QFPay store / user id (a string or a number on the wire).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub userid: String,
    }
}

impl TradeRecord {
    /// `true` when the record's status is pending (`1143`, `1145`, `1298`): keep polling.
    pub fn is_pending(&self) -> bool {
        self.respcd.is_pending()
    }
}

qf_object! {
    reply
    /// A response whose payload is one object in `data` (the recurring APIs, §19).
    ///
    /// `data` is `None` when absent, `null` or empty.
    pub struct DataResponse<T> {
        /// The payload.
        #[serde(
            default = "none",
            deserialize_with = "crate::types::de::opt_object_or_json_string"
        )]
        pub data: Option<T>,
    }
}

fn none<T>() -> Option<T> {
    None
}

qf_object! {
    reply
    /// A response whose payload is a list in `data`, with optional paging
    /// fields (the list calls of §19, customs query §20).
    ///
    /// A single object in `data` is read as a one-element list.
    pub struct ListResponse<T> {
        /// The items.
        #[serde(
            default = "Vec::new",
            deserialize_with = "crate::types::de::vec_or_one"
        )]
        pub data: Vec<T>,
        /// Page number, when sent (a string or a number on the wire).
        #[serde(default, deserialize_with = "crate::types::de::opt_u64_lenient")]
        pub page: Option<u64>,
        /// Page size, when sent (a string or a number on the wire).
        #[serde(default, deserialize_with = "crate::types::de::opt_u64_lenient")]
        pub page_size: Option<u64>,
    }
}
