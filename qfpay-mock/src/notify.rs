//! Asynchronous notifications (reference §22): JSON bodies in Python
//! `json.dumps` style, signed `X-QF-SIGN` = upper-case MD5(raw body ‖ key),
//! retried until HTTP 200 with body `SUCCESS`.

use std::sync::Arc;
use std::time::Duration;

use qfpay::types::TradeTime;
use secrecy::SecretString;
use serde::Serialize;

use crate::notification::{DeliveryAttempt, DeliveryState, Notification};
use crate::signing::{self, Hash};
use crate::state::{Shared, lock};
use crate::store::{Event, Order};

/// The gaps between delivery attempts after the first (reference §22.1):
/// 2 min, 10 min, 10 min, 60 min, 2 h, 6 h, 15 h — 8 attempts in all, the
/// last ≈ 24 h 22 min after the first. Scaled by
/// [`crate::MockServerBuilder::notify_time_scale`].
pub const RETRY_SCHEDULE: [Duration; 7] = [
    Duration::from_secs(2 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(6 * 3600),
    Duration::from_secs(15 * 3600),
];

/// Field order follows the reference's example (§22.2).
#[derive(Serialize)]
struct Body<'a> {
    status: &'a str,
    pay_type: &'a str,
    sysdtm: &'a str,
    paydtm: &'a str,
    goods_name: &'a str,
    txcurrcd: &'a str,
    txdtm: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mchid: Option<&'a str>,
    txamt: String,
    exchange_rate: &'a str,
    chnlsn2: &'a str,
    out_trade_no: &'a str,
    syssn: &'a str,
    cash_fee_type: &'a str,
    cancel: &'a str,
    respcd: &'a str,
    goods_info: &'a str,
    cash_fee: String,
    notify_type: &'a str,
    chnlsn: &'a str,
    cardcd: &'a str,
}

/// The body of the notification of `order` (`notify_type` `payment` or `refund`).
pub(crate) fn body(order: &Order, notify_type: &str) -> Vec<u8> {
    let b = Body {
        status: "1",
        pay_type: &order.pay_type,
        sysdtm: &order.sysdtm,
        paydtm: order.paydtm.as_deref().unwrap_or(&order.sysdtm),
        goods_name: order.goods_name.as_deref().unwrap_or(""),
        txcurrcd: &order.txcurrcd,
        txdtm: &order.txdtm,
        mchid: order.mchid.as_deref(),
        txamt: order.txamt.to_string(),
        exchange_rate: "",
        chnlsn2: "",
        out_trade_no: &order.out_trade_no,
        syssn: &order.syssn,
        cash_fee_type: &order.txcurrcd,
        cancel: &order.cancel,
        respcd: "0000",
        goods_info: order.goods_info.as_deref().unwrap_or(""),
        cash_fee: order.txamt.to_string(),
        notify_type,
        chnlsn: &order.chnlsn,
        cardcd: "",
    };
    // A struct of strings always serialises.
    crate::pyjson::to_vec(&b).unwrap_or_default()
}

/// `X-QF-SIGN` of a notification body: upper-case MD5(body ‖ key).
pub(crate) fn sign(body: &[u8], key: &SecretString) -> String {
    signing::sign(Hash::Md5, body, key)
}

/// Turns store events into recorded notifications and starts their delivery.
pub(crate) fn dispatch(shared: &Arc<Shared>, events: Vec<Event>) {
    for event in events {
        let (order, notify_type, url_source) = match &event {
            Event::Paid(o) => (&**o, "payment", &**o),
            Event::Refunded { refund, payment } => (&**refund, "refund", &**payment),
        };
        let Some(app) = shared.app(&order.app_code) else {
            continue;
        };
        let url = shared.notify_url_for(app, url_source.notify_url.as_deref());
        let body = body(order, notify_type);
        let signature = sign(&body, &app.key);
        let id = {
            let mut list = lock(&shared.notifications);
            let id = list.len() as u64 + 1;
            list.push(Notification {
                id,
                notify_type: notify_type.to_owned(),
                syssn: order.syssn.clone(),
                out_trade_no: order.out_trade_no.clone(),
                app_code: app.code.clone(),
                url: url.clone(),
                body: String::from_utf8_lossy(&body).into_owned(),
                signature: signature.clone(),
                state: if url.is_some() {
                    DeliveryState::Pending
                } else {
                    DeliveryState::NoUrl
                },
                attempts: Vec::new(),
            });
            id
        };
        shared.changed.notify_waiters();
        if let Some(url) = url {
            let shared2 = Arc::clone(shared);
            shared
                .runtime
                .spawn(deliver(shared2, id, url, body, signature));
        }
    }
}

fn update(shared: &Shared, id: u64, f: impl FnOnce(&mut Notification)) {
    {
        let mut list = lock(&shared.notifications);
        if let Some(n) = list.iter_mut().find(|n| n.id == id) {
            f(n);
        }
    }
    shared.changed.notify_waiters();
}

async fn deliver(shared: Arc<Shared>, id: u64, url: String, body: Vec<u8>, signature: String) {
    let mut shutdown = shared.shutdown.clone();
    let scale = shared.config.notify_time_scale;
    for number in 1..=(RETRY_SCHEDULE.len() as u32 + 1) {
        if number > 1 {
            let gap = RETRY_SCHEDULE[(number - 2) as usize];
            let wait =
                Duration::try_from_secs_f64(gap.as_secs_f64() * scale).unwrap_or(Duration::MAX);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => {
                    update(&shared, id, |n| n.state = DeliveryState::Cancelled);
                    return;
                }
            }
        }
        if *shutdown.borrow() {
            update(&shared, id, |n| n.state = DeliveryState::Cancelled);
            return;
        }
        let result = shared
            .http
            .post(&url)
            .header("Content-Type", "application/json")
            .header("X-QF-SIGN", &signature)
            .body(body.clone())
            .send()
            .await;
        let attempt = match result {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let text = resp.text().await.unwrap_or_default();
                let text: String = text.chars().take(1024).collect();
                DeliveryAttempt {
                    number,
                    at: TradeTime::now().to_string(),
                    status: Some(status),
                    response_body: text,
                    error: None,
                }
            }
            Err(e) => DeliveryAttempt {
                number,
                at: TradeTime::now().to_string(),
                status: None,
                response_body: String::new(),
                error: Some(e.to_string()),
            },
        };
        let ok = attempt.status == Some(200) && attempt.response_body.trim() == "SUCCESS";
        update(&shared, id, |n| {
            n.attempts.push(attempt);
            if ok {
                n.state = DeliveryState::Delivered;
            }
        });
        if ok {
            return;
        }
    }
    update(&shared, id, |n| n.state = DeliveryState::GaveUp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_vector() {
        // reference §22.3 test vector
        let body = br#"{"status": "1", "notify_type": "payment", "syssn": "20250102000300020000000001", "respcd": "0000", "txamt": "100"}"#;
        assert_eq!(
            sign(body, &SecretString::from("TESTKEY0123456789")),
            "EF25A73D6EA314AA0C6F58CEE0A28C05"
        );
    }
}
