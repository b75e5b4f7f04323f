//! Customs declaration (reference §20): push WeChat / Alipay payment data
//! to Chinese customs for cross-border e-commerce.

use crate::api::builders::Set;
use crate::qf_endpoint;
use crate::response::qf_object;
use crate::types::{Currency, CustomsActionType, CustomsTradeType, Syssn};

/// `POST /custom/v1/declare`: push a customs declaration.
///
/// WeChat (`weixin`) requires `fee_type` (`CNY` only); Alipay requires
/// `mch_customs_name`, `out_request_no` and `amount` (major units, e.g.
/// `2.00`). [`CustomsDeclare::weixin`] and [`CustomsDeclare::alipay`] take
/// exactly those. Split orders add `sub_order_no` and the fen amounts
/// (`order_fee` = `product_fee` + `transport_fee`). `1143`/`1145` → query.
#[qf_endpoint(path = "/custom/v1/declare", method = "POST", response = CustomsResponse)]
#[derive(Clone, Debug)]
pub struct CustomsDeclare {
    /// `weixin` or `alipay`.
    pub trade_type: CustomsTradeType,
    /// The payment.
    pub syssn: Syssn,
    /// Customs office, e.g. `SHANGHAI_ZS`.
    pub customs: String,
    /// The merchant's customs registration number.
    pub mch_customs_no: String,
    /// WeChat only: `ADD` or `MODIFY`.
    pub action_type: Option<CustomsActionType>,
    /// Alipay: the customs record name.
    pub mch_customs_name: Option<String>,
    /// Alipay: the merchant order number.
    pub out_request_no: Option<String>,
    /// Alipay: declared amount in **major** units with decimals (`2.00`).
    pub amount: Option<String>,
    /// Sub-order number (split orders; ≤ 40 characters is safe everywhere).
    pub sub_order_no: Option<String>,
    /// WeChat: only `CNY`.
    pub fee_type: Option<Currency>,
    /// Sub-order amount in fen (split orders).
    pub order_fee: Option<u64>,
    /// Product amount in fen (split orders).
    pub product_fee: Option<u64>,
    /// Transport amount in fen (split orders).
    pub transport_fee: Option<u64>,
}

impl CustomsDeclare {
    /// A WeChat declaration (`fee_type=CNY`).
    pub fn weixin(
        syssn: Syssn,
        customs: impl Into<String>,
        mch_customs_no: impl Into<String>,
    ) -> Self {
        Self::declaration(CustomsTradeType::Weixin, syssn, customs, mch_customs_no)
            .fee_type(Currency::from_code("CNY"))
            .build()
    }

    /// An Alipay declaration with its three mandatory fields.
    pub fn alipay(
        syssn: Syssn,
        customs: impl Into<String>,
        mch_customs_no: impl Into<String>,
        mch_customs_name: impl Into<String>,
        out_request_no: impl Into<String>,
        amount: impl Into<String>,
    ) -> Self {
        Self::declaration(CustomsTradeType::Alipay, syssn, customs, mch_customs_no)
            .mch_customs_name(mch_customs_name)
            .out_request_no(out_request_no)
            .amount(amount)
            .build()
    }

    /// The four fields every declaration has, set; the wallet's own follow.
    fn declaration(
        trade_type: CustomsTradeType,
        syssn: Syssn,
        customs: impl Into<String>,
        mch_customs_no: impl Into<String>,
    ) -> CustomsDeclareBuilder<Set, Set, Set, Set> {
        CustomsDeclare::builder()
            .trade_type(trade_type)
            .syssn(syssn)
            .customs(customs)
            .mch_customs_no(mch_customs_no)
    }
}

/// `POST /custom/v1/query` (POST or GET are accepted; POST is sent): the
/// state of a declaration.
#[qf_endpoint(path = "/custom/v1/query", method = "POST", response = CustomsQueryResponse, idempotent = true, either_method = true)]
#[derive(Clone, Debug)]
pub struct CustomsQuery {
    /// `weixin` or `alipay`.
    pub trade_type: CustomsTradeType,
    /// Customs office.
    pub customs: String,
    /// The payment.
    pub syssn: Syssn,
    /// Sub-order number (split orders).
    pub sub_order_no: Option<String>,
}

/// `POST /custom/v1/redeclare`: re-push a declaration lost at the electronic port.
#[qf_endpoint(path = "/custom/v1/redeclare", method = "POST", response = CustomsResponse)]
#[derive(Clone, Debug)]
pub struct CustomsRedeclare {
    /// `weixin` or `alipay`.
    pub trade_type: CustomsTradeType,
    /// Customs office.
    pub customs: String,
    /// The payment.
    pub syssn: Syssn,
    /// The merchant's customs registration number.
    pub mch_customs_no: String,
    /// Sub-order number (split orders).
    pub sub_order_no: Option<String>,
}

qf_object! {
    reply
    /// The response of `/custom/v1/declare` and `/custom/v1/redeclare`.
    pub struct CustomsResponse {
        shared { syssn }
        /// Verifying department.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub verify_department: String,
        /// The department's transaction id.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub verify_department_trade_id: String,
    }
}

qf_object! {
    reply
    /// The response of `/custom/v1/query`.
    pub struct CustomsQueryResponse {
        shared { syssn }
        /// One entry per (sub-)order.
        #[serde(default, deserialize_with = "crate::types::de::vec_or_one")]
        pub data: Vec<CustomsDeclaration>,
    }
}

qf_object! {
    record
    /// One declaration of a customs query.
    pub struct CustomsDeclaration {
        /// Sub-order number.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub sub_order_no: String,
        /// Verifying department (e.g. `OTHERS`).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub verify_department: String,
        /// The department's transaction id.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub verify_department_trade_id: String,
        /// Result description of this declaration.
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub resperr: String,
        /// Error message (`null` when none).
        #[serde(default, deserialize_with = "crate::types::de::text")]
        pub errmsg: String,
    }
}
