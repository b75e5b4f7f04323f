//! Domain types of request and response fields, and QFPay's code tables.

mod code_enum;

mod amount;
mod cancel;
mod currency;
pub(crate) mod de;
mod enums;
mod json;
mod pay_type;
mod resp_code;
mod text;
mod trade_time;

pub use amount::Amount;
pub use cancel::*;
pub use currency::*;
pub use enums::*;
pub use json::Json;
pub use pay_type::*;
pub use resp_code::*;
pub use text::{
    AuthCode, GoodsName, MchId, NotifyUrl, OutTradeNo, ReturnUrl, SubOpenid, Syssn, Udid,
};
#[cfg(feature = "time")]
pub use trade_time::HONG_KONG;
pub use trade_time::TradeTime;
#[cfg(feature = "time")]
pub(crate) use trade_time::to_date;
pub(crate) use trade_time::{check_date, has_shape};
