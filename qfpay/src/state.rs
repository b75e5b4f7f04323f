//! Payment and refund states: what the SDK reports instead of raw `respcd`s.
//!
#![doc = include_str!("../docs/payment-states.md")]

use std::fmt;

use crate::api::{
    AlipayServiceWindowPayment, CpmPayment, PayParams, Payment, PaymentIntentResponse,
    PaymentResponse, RefundResponse, TradeRecord, WechatH5Payment, WechatJsapiPayment,
    WechatMiniProgramPayment,
};
use crate::endpoint::Endpoint;
use crate::types::{Amount, CancelState, OutTradeNo, PayType, RespCode, TradeTime};

/// How the customer pays, which decides what `0000` on the payment means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaymentFlow {
    /// Consumer-presented (CPM): the merchant scanned the customer's code;
    /// `0000` means **paid**.
    ConsumerPresented,
    /// MPM, online web / WAP, JSAPI, mini-program, H5, in-app, Payment
    /// Element: `0000` means the order was **created**; the customer pays
    /// afterwards.
    CustomerPaysLater,
}

/// Where a payment stands. Exactly one state answers "was I paid?":
/// [`Paid`](Self::Paid).
///
/// Refunded payments were paid and (partly) paid back; `Closed` and
/// `Reversed` ones were cancelled unpaid. See [the module docs](self) for
/// the table of flows and codes.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PaymentState {
    /// The customer paid.
    Paid,
    /// The order exists and waits for the customer: show the QR code,
    /// redirect, or hand the parameters to the wallet. Not paid (yet).
    AwaitingCustomer(CustomerAction),
    /// Not final (`1143`, `1145`, `1298`): query by `out_trade_no` until it is.
    Pending {
        /// The pending code.
        respcd: RespCode,
    },
    /// The payment failed; nothing was charged. A code for which
    /// [`RespCode::is_request_error`] holds (`1108` for a wrong client key)
    /// means the request or the configuration is wrong, not the customer's
    /// payment method.
    Failed {
        /// Why (reference §23.1).
        respcd: RespCode,
    },
    /// Paid, then refunded in full.
    Refunded,
    /// Paid, then refunded in part.
    PartiallyRefunded,
    /// Closed unpaid (`/trade/v1/close`).
    Closed,
    /// Cancelled unpaid (`/trade/v1/reversal`).
    Reversed,
    /// QFPay has no payment with this reference: the request never reached
    /// it (or the record is not visible yet).
    NotFound,
}

impl PaymentState {
    /// `true` only for [`Paid`](Self::Paid).
    pub fn is_paid(&self) -> bool {
        matches!(self, Self::Paid)
    }

    /// `true` when the state will not change by itself any more (paid,
    /// failed, refunded, closed, reversed); `false` while awaiting the
    /// customer, pending or not found.
    pub fn is_final(&self) -> bool {
        !matches!(
            self,
            Self::AwaitingCustomer(_) | Self::Pending { .. } | Self::NotFound
        )
    }

    /// A payment's state from the `respcd` QFPay answered to the payment
    /// request itself, read for `flow`.
    pub fn from_payment_code(respcd: &RespCode, flow: PaymentFlow, action: CustomerAction) -> Self {
        if respcd.is_pending() {
            Self::Pending {
                respcd: respcd.clone(),
            }
        } else if !respcd.is_accepted() {
            Self::Failed {
                respcd: respcd.clone(),
            }
        } else {
            match flow {
                PaymentFlow::ConsumerPresented => Self::Paid,
                PaymentFlow::CustomerPaysLater => Self::AwaitingCustomer(action),
            }
        }
    }

    /// A payment's state from its `/trade/v1/query` record (`respcd` and
    /// `cancel`, reference §10, §23.2).
    pub fn from_record(record: &TradeRecord) -> Self {
        let cancel = record.cancel.as_ref();
        match (&record.respcd, cancel) {
            (RespCode::OrderAlreadyCancelled, _)
            | (_, Some(CancelState::CpmReversedOrRefunded))
                if !record.respcd.is_accepted() =>
            {
                Self::Reversed
            }
            (RespCode::OrderClosed | RespCode::OrderAlreadyClosed, _)
            | (_, Some(CancelState::MpmCancelled)) => Self::Closed,
            (code, _) if code.is_accepted() => match cancel {
                // `1` on a paid CPM payment: a paid order cannot be
                // reversed (reference §12), so it was refunded.
                Some(CancelState::Refunded | CancelState::CpmReversedOrRefunded) => Self::Refunded,
                Some(CancelState::PartiallyRefunded) => Self::PartiallyRefunded,
                _ => Self::Paid,
            },
            // A record without a code is not final either.
            (code, _) if code.is_pending() || code.as_str().is_empty() => Self::Pending {
                respcd: code.clone(),
            },
            (code, _) => Self::Failed {
                respcd: code.clone(),
            },
        }
    }
}

impl fmt::Display for PaymentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Paid => f.write_str("paid"),
            Self::AwaitingCustomer(_) => f.write_str("awaiting the customer"),
            Self::Pending { respcd } => write!(f, "pending ({respcd})"),
            Self::Failed { respcd } => write!(f, "failed ({respcd})"),
            Self::Refunded => f.write_str("refunded"),
            Self::PartiallyRefunded => f.write_str("partially refunded"),
            Self::Closed => f.write_str("closed"),
            Self::Reversed => f.write_str("reversed"),
            Self::NotFound => f.write_str("not found"),
        }
    }
}

/// What the customer does next with an order that awaits payment.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum CustomerAction {
    /// MPM: render this content as a QR code for the customer to scan.
    ShowQrCode(String),
    /// Online: desktop web renders it as a QR code; WAP / H5 redirect the
    /// browser to it.
    OpenPayUrl(String),
    /// JSAPI, mini-program, in-app, Service Window: hand these to the wallet SDK.
    WalletParams(Box<PayParams>),
    /// Payment Element: hand this intent to QFPay's browser SDK.
    PaymentIntent(String),
    /// QFPay returned nothing to show (the customer pays by other means).
    None,
}

impl CustomerAction {
    fn of(response: &PaymentResponse) -> Self {
        if let Some(qr) = &response.qrcode {
            Self::ShowQrCode(qr.clone())
        } else if let Some(url) = response.pay_url.as_ref().or(response.web_url.as_ref()) {
            Self::OpenPayUrl(url.clone())
        } else if let Some(params) = &response.pay_params {
            Self::WalletParams(Box::new(params.clone()))
        } else {
            Self::None
        }
    }
}

impl PaymentResponse {
    /// The payment's state, read for the `flow` of the request that got
    /// this answer (use the request's [`PaymentRequest::flow`]).
    ///
    /// ```
    /// use qfpay::api::PaymentResponse;
    /// use qfpay::{CustomerAction, PaymentFlow, PaymentState};
    ///
    /// let created: PaymentResponse = serde_json::from_str(
    ///     r#"{"respcd":"0000","syssn":"1","qrcode":"weixin://wxpay/bizpayurl?pr=4PsXP5N"}"#,
    /// ).unwrap();
    /// // An MPM order nobody has paid yet is not paid:
    /// assert_eq!(
    ///     created.state(PaymentFlow::CustomerPaysLater),
    ///     PaymentState::AwaitingCustomer(CustomerAction::ShowQrCode("weixin://wxpay/bizpayurl?pr=4PsXP5N".into()))
    /// );
    /// // The same code on a scanned (CPM) payment is:
    /// assert!(created.state(PaymentFlow::ConsumerPresented).is_paid());
    /// ```
    pub fn state(&self, flow: PaymentFlow) -> PaymentState {
        PaymentState::from_payment_code(self.respcd(), flow, CustomerAction::of(self))
    }
}

impl PaymentIntentResponse {
    /// The intent's payment state: `0000` is
    /// [`AwaitingCustomer`](PaymentState::AwaitingCustomer) with the intent
    /// to hand to the browser SDK.
    pub fn state(&self) -> PaymentState {
        PaymentState::from_payment_code(
            self.respcd(),
            PaymentFlow::CustomerPaysLater,
            CustomerAction::PaymentIntent(self.payment_intent.clone()),
        )
    }
}

impl TradeRecord {
    /// The payment state this query record shows (for a payment record;
    /// see [`RefundState::from_record`] for a refund's).
    pub fn payment_state(&self) -> PaymentState {
        PaymentState::from_record(self)
    }
}

/// Where a refund stands.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefundState {
    /// The refund was accepted (`0000`).
    Refunded,
    /// Not final (`1143`, `1145`, `1298`): query the refund's `out_trade_no`.
    Pending {
        /// The pending code.
        respcd: RespCode,
    },
    /// The refund failed; nothing was paid back.
    Failed {
        /// Why (reference §23.1).
        respcd: RespCode,
    },
    /// QFPay has no refund with this reference.
    NotFound,
}

impl RefundState {
    /// A refund's state from a `respcd` (of the refund reply or its record).
    pub fn from_code(respcd: &RespCode) -> Self {
        if respcd.is_accepted() {
            Self::Refunded
        } else if respcd.is_pending() || respcd.as_str().is_empty() {
            Self::Pending {
                respcd: respcd.clone(),
            }
        } else {
            Self::Failed {
                respcd: respcd.clone(),
            }
        }
    }

    /// A refund's state from its `/trade/v1/query` record.
    pub fn from_record(record: &TradeRecord) -> Self {
        Self::from_code(&record.respcd)
    }

    /// `true` when the state will not change by itself any more.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Refunded | Self::Failed { .. })
    }
}

impl fmt::Display for RefundState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refunded => f.write_str("refunded"),
            Self::Pending { respcd } => write!(f, "pending ({respcd})"),
            Self::Failed { respcd } => write!(f, "failed ({respcd})"),
            Self::NotFound => f.write_str("not found"),
        }
    }
}

impl RefundResponse {
    /// The refund's state.
    pub fn state(&self) -> RefundState {
        RefundState::from_code(self.respcd())
    }
}

/// A request that creates a payment (`/trade/v1/payment`): it knows its
/// flow, so its answer can be read as a [`PaymentState`].
///
/// Implemented by every payment request type of [`crate::api`];
/// [`Client::pay`](crate::Client::pay) takes any of them.
pub trait PaymentRequest: Endpoint<Response = PaymentResponse> {
    /// How the customer pays with this request.
    fn flow(&self) -> PaymentFlow;
    /// The merchant's order number: the key to query the payment by.
    fn out_trade_no(&self) -> &OutTradeNo;
    /// The amount, for a reversal or close.
    fn txamt(&self) -> Amount;
    /// The request time, for a reversal or close (the original's).
    fn txdtm(&self) -> &TradeTime;
    /// The pay type (decides reversal or close, reference §12).
    fn pay_type(&self) -> &PayType;
}

macro_rules! payment_request {
    ($($ty:ty => $flow:expr, $pay_type:expr;)*) => {$(
        impl PaymentRequest for $ty {
            fn flow(&self) -> PaymentFlow {
                let flow: fn(&$ty) -> PaymentFlow = $flow;
                flow(self)
            }
            fn out_trade_no(&self) -> &OutTradeNo {
                &self.out_trade_no
            }
            fn txamt(&self) -> Amount {
                self.txamt
            }
            fn txdtm(&self) -> &TradeTime {
                &self.txdtm
            }
            fn pay_type(&self) -> &PayType {
                let pay_type: fn(&$ty) -> &PayType = $pay_type;
                pay_type(self)
            }
        }
    )*};
}

payment_request! {
    CpmPayment => |_| PaymentFlow::ConsumerPresented, |p| p.pay_type.pay_type();
    // The general type carries `auth_code` only for the Alipay
    // pre-authorisation code-scan flow, which completes like CPM.
    Payment => |p| if p.auth_code.is_some() {
        PaymentFlow::ConsumerPresented
    } else {
        PaymentFlow::CustomerPaysLater
    }, |p| p.pay_type.pay_type();
    WechatJsapiPayment => |_| PaymentFlow::CustomerPaysLater, |p| p.pay_type();
    WechatMiniProgramPayment => |_| PaymentFlow::CustomerPaysLater, |p| p.pay_type();
    AlipayServiceWindowPayment => |_| PaymentFlow::CustomerPaysLater, |p| p.pay_type();
    WechatH5Payment => |_| PaymentFlow::CustomerPaysLater, |p| p.pay_type();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(respcd: &str, cancel: Option<&str>) -> TradeRecord {
        let mut json = serde_json::json!({ "respcd": respcd, "order_type": "payment" });
        if let Some(c) = cancel {
            json["cancel"] = c.into();
        }
        serde_json::from_value(json).expect("a record")
    }

    #[test]
    fn records_read_as_states() {
        let s = |code, cancel| record(code, cancel).payment_state();
        assert_eq!(s("0000", Some("0")), PaymentState::Paid);
        assert_eq!(s("0000", None), PaymentState::Paid);
        assert_eq!(s("0000", Some("3")), PaymentState::Refunded);
        assert_eq!(s("0000", Some("1")), PaymentState::Refunded);
        assert_eq!(s("0000", Some("5")), PaymentState::PartiallyRefunded);
        assert_eq!(s("1263", Some("1")), PaymentState::Reversed);
        assert_eq!(s("1143", Some("1")), PaymentState::Reversed);
        assert_eq!(s("1264", Some("2")), PaymentState::Closed);
        assert_eq!(s("1142", None), PaymentState::Closed);
        assert!(matches!(s("1145", Some("0")), PaymentState::Pending { .. }));
        assert!(matches!(s("", None), PaymentState::Pending { .. }));
        assert_eq!(
            s("1205", Some("0")),
            PaymentState::Failed {
                respcd: RespCode::from_code("1205")
            }
        );
        assert!(!s("1143", None).is_final());
        assert!(s("1205", None).is_final());
    }

    #[test]
    fn zero_means_paid_only_for_cpm() {
        let ok = RespCode::from_code("0000");
        let action = CustomerAction::ShowQrCode("qr".into());
        assert!(
            PaymentState::from_payment_code(&ok, PaymentFlow::ConsumerPresented, action.clone())
                .is_paid()
        );
        let later = PaymentState::from_payment_code(&ok, PaymentFlow::CustomerPaysLater, action);
        assert!(!later.is_paid());
        assert!(!later.is_final());
        for pending in ["1143", "1145", "1298"] {
            let code = RespCode::from_code(pending);
            for flow in [
                PaymentFlow::ConsumerPresented,
                PaymentFlow::CustomerPaysLater,
            ] {
                assert!(matches!(
                    PaymentState::from_payment_code(&code, flow, CustomerAction::None),
                    PaymentState::Pending { .. }
                ));
            }
        }
    }

    #[test]
    fn refund_codes() {
        assert_eq!(
            RefundState::from_code(&RespCode::from_code("0000")),
            RefundState::Refunded
        );
        assert!(!RefundState::from_code(&RespCode::from_code("1145")).is_final());
        assert!(RefundState::from_code(&RespCode::from_code("1269")).is_final());
    }
}
