//! Response pieces shared by several endpoints: the transaction record of
//! `/trade/v1/query` and the envelope-with-`data` shapes of the recurring and
//! customs APIs.

use crate::response::qf_object;
use crate::types::{CancelState, OrderType, RespCode};

qf_object! {
    record
    /// One transaction of a `/trade/v1/query` response (`data[]`, reference §10):
    /// a payment, refund or cancellation.
    ///
    /// Every field but `respcd` may be missing; numbers are accepted as strings
    /// or numbers; unknown fields are kept in `extra`.
    pub struct TradeRecord {
        shared { syssn, out_trade_no, chnlsn, chnlsn2, goods_name, goods_info }
        /// Goods detail.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub goods_detail: String,
        shared { txcurrcd }
        /// Refunds only: the `syssn` of the refunded original.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub origssn: String,
        shared { pay_type }
        /// `payment` or `refund`.
        #[serde(default)]
        pub order_type: Option<OrderType>,
        shared { txdtm, txamt, sysdtm, paydtm }
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
        shared { exchange_rate, cash_fee, cash_fee_type, cash_refund_fee, cash_refund_fee_type }
        /// Card type code (undocumented; `"5"` in the example).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub cardtp: String,
        /// Undocumented (`"038424"` in the example), probably a terminal serial number.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub clisn: String,
        shared { udid, userid }
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
