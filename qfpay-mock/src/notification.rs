//! The record of a notification and of its delivery attempts, as
//! [`crate::MockServer::notifications`] and `GET /__mock/notifications`
//! show it.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::persist::Record;

/// Where a notification's delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeliveryState {
    /// Attempts are still scheduled.
    Pending,
    /// The receiver answered HTTP 200 with body `SUCCESS`.
    Delivered,
    /// All 8 attempts failed.
    GaveUp,
    /// No notify URL applies (none configured, or the request's
    /// `notify_url` is not a loopback URL and remote URLs are not allowed).
    NoUrl,
    /// The server shut down before delivery finished.
    Cancelled,
}

impl DeliveryState {
    /// `true` once nothing more will be attempted.
    pub fn is_final(self) -> bool {
        self != DeliveryState::Pending
    }
}

/// One POST to the notify URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeliveryAttempt {
    /// 1 for the first attempt.
    pub number: u32,
    /// When it was made (Hong Kong time).
    pub at: String,
    /// The HTTP status received, if any.
    pub status: Option<u16>,
    /// The response body (first 1 KiB).
    pub response_body: String,
    /// Transport error, if the POST failed.
    pub error: Option<String>,
}

impl DeliveryAttempt {
    /// `true` when the receiver acknowledged the notification as QFPay
    /// requires (reference §22.1): HTTP 200 with the body `SUCCESS`
    /// ([`qfpay::notify::SUCCESS_REPLY`]; surrounding whitespace is
    /// tolerated). Anything else makes QFPay deliver it again.
    pub fn is_acknowledged(&self) -> bool {
        self.status == Some(200) && self.response_body.trim() == qfpay::notify::SUCCESS_REPLY
    }
}

/// A payment or refund notification and its delivery history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Notification {
    /// Sequence number, from 1.
    pub id: u64,
    /// `payment` or `refund`.
    pub notify_type: String,
    /// The transaction notified (for a refund, the refund's `syssn`).
    pub syssn: String,
    /// Its `out_trade_no`.
    pub out_trade_no: String,
    /// The app whose key signed it.
    pub app_code: String,
    /// Where it is sent.
    pub url: Option<String>,
    /// The exact body bytes sent (ASCII JSON).
    pub body: String,
    /// The `X-QF-SIGN` header sent.
    pub signature: String,
    /// Delivery state.
    pub state: DeliveryState,
    /// Attempts so far.
    pub attempts: Vec<DeliveryAttempt>,
}

impl Record for Notification {
    const KIND: &'static str = "notification";
    fn id(&self) -> Cow<'_, str> {
        Cow::Owned(self.id.to_string())
    }
}
