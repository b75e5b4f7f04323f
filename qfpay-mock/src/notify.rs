//! Asynchronous notifications (reference §22): JSON bodies in Python
//! `json.dumps` style, signed `X-QF-SIGN` = upper-case MD5(raw body ‖ key),
//! retried until HTTP 200 with body `SUCCESS`.

use std::sync::Arc;
use std::time::Duration;

use qfpay::types::{NotifyType, TradeTime};
use secrecy::SecretString;

use crate::notification::{DeliveryAttempt, DeliveryState, Notification};
use crate::notify_body::NotificationBody;
use crate::signing::{self, Hash};
use crate::state::{Shared, lock};
use crate::store::{Event, Order};

/// The gaps between delivery attempts after the first (reference §22.1):
/// the SDK's [`qfpay::notify::RETRY_INTERVALS`] — 2 min, 10 min, 10 min,
/// 60 min, 2 h, 6 h, 15 h, 8 attempts in all. Scaled by
/// [`crate::MockServerBuilder::notify_time_scale`].
pub const RETRY_SCHEDULE: [Duration; 7] = qfpay::notify::RETRY_INTERVALS;

/// [`RETRY_SCHEDULE`] with every gap multiplied by `scale` (`0` retries at
/// once; a negative or non-finite scale counts as `1`).
pub fn scaled_schedule(scale: f64) -> [Duration; 7] {
    let scale = if scale.is_finite() && scale >= 0.0 {
        scale
    } else {
        1.0
    };
    RETRY_SCHEDULE
        .map(|gap| Duration::try_from_secs_f64(gap.as_secs_f64() * scale).unwrap_or(Duration::MAX))
}

/// The body of the notification of `order` (`notify_type` `payment` or `refund`).
pub(crate) fn body(order: &Order, notify_type: &str) -> Vec<u8> {
    let mut body = NotificationBody::new(&NotifyType::from_code(notify_type));
    body.set("status", "1")
        .set("pay_type", &order.pay_type)
        .set("sysdtm", &order.sysdtm)
        .set("paydtm", order.paydtm.as_deref().unwrap_or(&order.sysdtm))
        .set("goods_name", order.goods_name.as_deref().unwrap_or(""))
        .set("txcurrcd", &order.txcurrcd)
        .set("txdtm", &order.txdtm)
        .set("txamt", order.txamt.to_string())
        .set("out_trade_no", &order.out_trade_no)
        .set("syssn", &order.syssn)
        .set("cash_fee_type", &order.txcurrcd)
        .set("cancel", &order.cancel)
        .set("respcd", "0000")
        .set("goods_info", order.goods_info.as_deref().unwrap_or(""))
        .set("cash_fee", order.txamt.to_string())
        .set("chnlsn", &order.chnlsn);
    if let Some(mchid) = &order.mchid {
        body.set("mchid", mchid);
    }
    body.to_bytes()
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
            let notification = Notification {
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
            };
            saved(shared, &notification);
            list.push(notification);
            id
        };
        shared.changed.notify_waiters();
        if let Some(url) = url {
            let shared2 = Arc::clone(shared);
            shared
                .runtime
                .spawn(deliver(shared2, id, url, body, signature, 0));
        }
    }
}

/// Delivers again, from their next attempt, the notifications that were
/// still pending (or cancelled by a shutdown) when the state file's last
/// server stopped: the time it was down counts as the gap before that
/// attempt.
pub(crate) fn resume(shared: &Arc<Shared>) {
    let pending: Vec<_> = lock(&shared.notifications)
        .iter()
        .filter(|n| matches!(n.state, DeliveryState::Pending | DeliveryState::Cancelled))
        .filter_map(|n| {
            Some((
                n.id,
                n.url.clone()?,
                n.body.clone(),
                n.signature.clone(),
                n.attempts.len(),
            ))
        })
        .collect();
    for (id, url, body, signature, done) in pending {
        update(shared, id, |n| n.state = DeliveryState::Pending);
        let shared2 = Arc::clone(shared);
        shared.runtime.spawn(deliver(
            shared2,
            id,
            url,
            body.into_bytes(),
            signature,
            done,
        ));
    }
}

/// Writes a notification through to the state file, if any. A failed
/// write is not reported: the notification is still delivered, and the
/// order it notifies was written before the reply.
fn saved(shared: &Shared, notification: &Notification) {
    let _ = shared.save([notification]);
}

fn update(shared: &Shared, id: u64, f: impl FnOnce(&mut Notification)) {
    {
        let mut list = lock(&shared.notifications);
        if let Some(n) = list.iter_mut().find(|n| n.id == id) {
            f(n);
            saved(shared, n);
        }
    }
    shared.changed.notify_waiters();
}

/// Delivers a notification of which `done` attempts were already made.
async fn deliver(
    shared: Arc<Shared>,
    id: u64,
    url: String,
    body: Vec<u8>,
    signature: String,
    done: usize,
) {
    let mut shutdown = shared.shutdown.clone();
    if *shutdown.borrow() {
        update(&shared, id, |n| n.state = DeliveryState::Cancelled);
        return;
    }
    let all_gaps = scaled_schedule(shared.config.notify_time_scale);
    let Some(gaps) = all_gaps.get(done..) else {
        update(&shared, id, |n| n.state = DeliveryState::GaveUp);
        return;
    };
    let done = u32::try_from(done).unwrap_or(u32::MAX);
    let attempts = post_until_acknowledged(&shared.http, &url, &body, &signature, gaps, |a| {
        let mut a = a.clone();
        a.number = a.number.saturating_add(done);
        update(&shared, id, |n| n.attempts.push(a));
    });
    let state = tokio::select! {
        delivered = attempts => if delivered { DeliveryState::Delivered } else { DeliveryState::GaveUp },
        _ = shutdown.changed() => DeliveryState::Cancelled,
    };
    update(&shared, id, |n| n.state = state);
}

/// Posts a notification `body` signed `signature` to `url` as QFPay does
/// (reference §22.1): `Content-Type: application/json`, the signature in
/// `X-QF-SIGN`; again after each gap of `gaps` until the receiver
/// acknowledges ([`DeliveryAttempt::is_acknowledged`]), so at most
/// `gaps.len() + 1` attempts. `on_attempt` sees each attempt as it ends.
/// Returns whether the receiver acknowledged.
///
/// The mock delivers with [`scaled_schedule`]; `qfpay notify send` too.
pub async fn post_until_acknowledged(
    http: &reqwest::Client,
    url: &str,
    body: &[u8],
    signature: &str,
    gaps: &[Duration],
    mut on_attempt: impl FnMut(&DeliveryAttempt),
) -> bool {
    for number in 1..=gaps.len() + 1 {
        if number > 1 {
            tokio::time::sleep(gaps[number - 2]).await;
        }
        let result = http
            .post(url)
            .header("Content-Type", "application/json")
            .header(qfpay::notify::SIGNATURE_HEADER, signature)
            .body(body.to_vec())
            .send()
            .await;
        let (status, response_body, error) = match result {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let text = resp.text().await.unwrap_or_default();
                (Some(status), text.chars().take(1024).collect(), None)
            }
            Err(e) => (None, String::new(), Some(with_causes(&e))),
        };
        let attempt = DeliveryAttempt {
            number: u32::try_from(number).unwrap_or(u32::MAX),
            at: TradeTime::now().to_string(),
            status,
            response_body,
            error,
        };
        on_attempt(&attempt);
        if attempt.is_acknowledged() {
            return true;
        }
    }
    false
}

/// `error` and its causes (reqwest's own text names only the URL, its
/// source says "Connection refused").
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
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
