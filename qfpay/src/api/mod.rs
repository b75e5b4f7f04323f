//! The endpoint catalogue: every current endpoint of the QFPay Open API,
//! declared with [`qf_endpoint`](crate::qf_endpoint), each with a typed
//! response.
//!
//! Each endpoint's rules (method, whether the client's `mchid` is sent,
//! whether it may be retried, a required hash) are stated once, in its
//! `#[qf_endpoint]` attribute, and listed in [`CATALOGUE`]. The client adds its
//! configured `mchid` except where the reference forbids it; no request type
//! here has an `mchid` field (the hosted checkout's `mchntid` is the one exception, set on
//! [`CheckoutUrl`]).
//!
//! | method | path | request | response |
//! |---|---|---|---|
//! | POST | `/trade/v1/payment` | [`Payment`], [`CpmPayment`], [`WechatJsapiPayment`], [`WechatMiniProgramPayment`], [`AlipayServiceWindowPayment`], [`WechatH5Payment`] | [`PaymentResponse`] |
//! | POST | `/trade/v1/query` | [`Query`] | [`QueryResponse`] |
//! | POST | `/trade/v1/refund` | [`Refund`] | [`RefundResponse`] |
//! | POST | `/trade/v1/reversal` | [`Reversal`], [`AlipayPreAuthCancel`] | [`ReversalResponse`] |
//! | POST | `/trade/v1/close` | [`Close`] | [`CloseResponse`] |
//! | POST | `/trade/v1/add_note` | [`AddNote`] (no `mchid`) | [`AddNoteResponse`] |
//! | GET | `/download/v1/trade_bill` | [`DownloadTradeBill`] (no `mchid`) | [`TradeBill`] (ZIP bytes) |
//! | POST | `/trade/v1/authtrade` | [`AuthTrade`], [`AlipayAuthTrade`] | [`PreAuthResponse`] |
//! | POST | `/trade/v1/unfreeze` | [`Unfreeze`] | [`PreAuthResponse`] |
//! | GET (browser) | `/tool/v1/get_weixin_oauth_code` | [`WeixinOauthCodeUrl`] (URL builder) | — |
//! | GET | `/tool/v1/get_weixin_openid` | [`GetWeixinOpenid`] | [`WeixinOpenidResponse`] |
//! | GET (browser) | `https://o2-hk.qfapi.com/q/direct` | [`WechatCashierUrl`] (URL builder) | — |
//! | GET (browser) | `/checkstand/#/?…` | [`CheckoutUrl`] (URL builder) | — |
//! | POST | `/payment_element/v1/create_payment_intent` | [`CreatePaymentIntent`] | [`PaymentIntentResponse`] |
//! | POST | `/payment_element/v1/create_token_intent` | [`CreateTokenIntent`] | [`TokenIntentResponse`] |
//! | POST | `/customer/v1/{create,update,query,delete}` | [`CreateCustomer`], [`UpdateCustomer`], [`QueryCustomers`], [`DeleteCustomer`] | [`DataResponse`]`<`[`CustomerResult`]`>`, [`ListResponse`]`<`[`Customer`]`>` |
//! | POST | `/product/v1/{create,update,query,delete}` | [`CreateProduct`], [`UpdateProduct`], [`QueryProducts`], [`DeleteProduct`] | [`DataResponse`]`<`[`ProductResult`]`>`, [`ListResponse`]`<`[`Product`]`>` |
//! | POST | `/subscription/v1/{create,update}` | [`CreateSubscription`], [`UpdateSubscription`] | [`DataResponse`]`<`[`SubscriptionResult`]`>` |
//! | POST | `/subscription/v1/query` | [`QuerySubscriptions`] | [`ListResponse`]`<`[`Subscription`]`>` |
//! | POST | `/subscription/v1/{cancel,charge}` | [`CancelSubscription`], [`ChargeSubscription`] | [`DataResponse`]`<serde_json::Value>` |
//! | POST | `/subscription/billing_order/v1/list` | [`ListBillingOrders`] | [`ListResponse`]`<`[`BillingOrder`]`>` |
//! | POST | `/custom/v1/declare` | [`CustomsDeclare`] | [`CustomsResponse`] |
//! | POST | `/custom/v1/query` | [`CustomsQuery`] | [`CustomsQueryResponse`] |
//! | POST | `/custom/v1/redeclare` | [`CustomsRedeclare`] | [`CustomsResponse`] |
//!
//! Not included: the legacy direct-card `payment_verify`, the superseded
//! `/subscription/v1/list` draft and the ECR cloud preview API.
//!
//! Response types keep every field they do not model in `extra`, accept
//! numbers sent as strings and vice versa, and read `respcd` as text
//! ([`RespCode`](crate::types::RespCode)); they never reject unknown fields.

mod bill;
mod catalogue;
mod checkout;
mod customs;
mod element;
mod note;
mod pay_params;
mod payment;
mod payment_response;
mod preauth;
mod query;
mod records;
mod recurring;
mod refund;
mod reversal;
mod wechat;

pub use bill::{DownloadTradeBill, TradeBill, TradeDate};
pub use catalogue::{CATALOGUE, CatalogueEntry, lookup, paths};
pub use checkout::CheckoutUrl;
pub use customs::{
    CustomsDeclaration, CustomsDeclare, CustomsQuery, CustomsQueryResponse, CustomsRedeclare,
    CustomsResponse,
};
pub use element::{
    CreatePaymentIntent, CreateTokenIntent, PaymentIntentResponse, TokenIntentResponse,
};
pub use note::{AddNote, AddNoteData, AddNoteResponse, Note};
pub use pay_params::{
    AlipayAppParams, AlipayServiceWindowParams, CardParams, PayParams, ThreeDsChallenge,
    WechatAppParams, WechatJsapiParams,
};
pub use payment::{
    AlipayServiceWindowPayment, CpmPayType, CpmPayment, ExpiredTime, GeneralPayType, H5ExtendInfo,
    H5Info, H5SceneInfo, Payment, RealNameInfo, WechatH5Payment, WechatJsapiPayment,
    WechatMiniProgramPayment,
};
pub use payment_response::PaymentResponse;
pub use preauth::{AlipayAuthTrade, AuthTrade, PreAuthResponse, Unfreeze};
pub use query::{CommaSeparated, Query, QueryResponse};
pub use records::{DataResponse, ListResponse, TradeRecord};
pub use recurring::*;
pub use refund::{Refund, RefundResponse};
pub use reversal::{AlipayPreAuthCancel, Close, CloseResponse, Reversal, ReversalResponse};
pub use wechat::{GetWeixinOpenid, WechatCashierUrl, WeixinOauthCodeUrl, WeixinOpenidResponse};

/// The builders of the request types (generated by `#[qf_endpoint]`), for
/// naming them in signatures, e.g. a function that returns a partly filled
/// builder: `fn start() -> qfpay::api::builders::CpmPaymentBuilder`. A
/// builder's parameters after the request type's own are its required
/// fields' states, in declaration order: [`Set`](builders::Set) or
/// [`Unset`](builders::Unset) (the default), e.g. `RefundBuilder<Set>` once
/// `syssn` is set.
pub mod builders {
    pub use super::bill::DownloadTradeBillBuilder;
    pub use super::checkout::CheckoutUrlBuilder;
    pub use super::customs::{CustomsDeclareBuilder, CustomsQueryBuilder, CustomsRedeclareBuilder};
    pub use super::element::{CreatePaymentIntentBuilder, CreateTokenIntentBuilder};
    pub use super::note::AddNoteBuilder;
    pub use super::payment::{
        AlipayServiceWindowPaymentBuilder, CpmPaymentBuilder, PaymentBuilder,
        WechatH5PaymentBuilder, WechatJsapiPaymentBuilder, WechatMiniProgramPaymentBuilder,
    };
    pub use super::preauth::{AlipayAuthTradeBuilder, AuthTradeBuilder, UnfreezeBuilder};
    pub use super::query::QueryBuilder;
    pub use super::recurring::builders::*;
    pub use super::refund::RefundBuilder;
    pub use super::reversal::{AlipayPreAuthCancelBuilder, CloseBuilder, ReversalBuilder};
    pub use super::wechat::GetWeixinOpenidBuilder;
    pub use crate::setter::{Set, Unset};
}
