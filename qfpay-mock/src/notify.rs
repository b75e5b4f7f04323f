//! Asynchronous notifications (reference §22): JSON bodies in Python
//! `json.dumps` style, signed `X-QF-SIGN` = upper-case MD5(raw body ‖ key),
//! retried until HTTP 200 with body `SUCCESS`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use qfpay::types::NotifyType;
use secrecy::SecretString;
use time::OffsetDateTime;

use crate::clock::{self, Clock};

use crate::notification::{DeliveryAttempt, DeliveryState, Notification};
use crate::notify_body::NotificationBody;
use crate::signing::{self, Hash};
use crate::state::{Shared, lock};
use crate::store::{Event, Notice, Order};

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

/// The notification of a payment, refund or release event.
fn trade_notice(event: Event) -> Notice {
    let event = match event {
        Event::Notice(n) => return *n,
        other => other,
    };
    let (order, notify_type, notify_url) = match &event {
        Event::Paid(o) => (&**o, "payment", o.notify_url.clone()),
        // A refund goes where its payment's notification went.
        Event::Refunded { refund, payment } => (&**refund, "refund", payment.notify_url.clone()),
        Event::Unfrozen(o) => (&**o, "unfreeze", o.notify_url.clone()),
        Event::Notice(n) => return (**n).clone(),
    };
    Notice {
        app_code: order.app_code.clone(),
        notify_url,
        notify_type: notify_type.to_owned(),
        syssn: order.syssn.clone(),
        out_trade_no: order.out_trade_no.clone(),
        body: body(order, notify_type),
    }
}

/// Turns store events into recorded notifications and starts their delivery.
pub(crate) fn dispatch(shared: &Arc<Shared>, events: Vec<Event>) {
    for event in events {
        let notice = trade_notice(event);
        let Some(app) = shared.app(&notice.app_code) else {
            continue;
        };
        let url = shared.notify_url_for(app, notice.notify_url.as_deref());
        let body = notice.body;
        let signature = sign(&body, &app.key);
        let id = {
            let mut list = lock(&shared.notifications);
            let id = list.len() as u64 + 1;
            let notification = Notification {
                id,
                notify_type: notice.notify_type,
                syssn: notice.syssn,
                out_trade_no: notice.out_trade_no,
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

/// Queues a notification for the state file, if any (a reply that created
/// it waits for it, `api`). A failed write is not reported: the
/// notification is still delivered, and the order it notifies was written
/// before the reply.
fn saved(shared: &Shared, notification: &Notification) {
    let _ = shared.save([notification]);
}

fn update(shared: &Shared, id: u64, f: impl FnOnce(&mut Notification)) {
    update_then(shared, id, true, f);
}

/// Changes notification `id`, writing it through if `save`. Ids are
/// positions from 1 (`dispatch`), so this costs the same however many
/// notifications there are.
fn update_then(shared: &Shared, id: u64, save: bool, f: impl FnOnce(&mut Notification)) {
    {
        let mut list = lock(&shared.notifications);
        let at = usize::try_from(id).map_or(usize::MAX, |i| i.wrapping_sub(1));
        if let Some(n) = list.get_mut(at).filter(|n| n.id == id) {
            f(n);
            if save {
                saved(shared, n);
            }
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
    // Retries wait on the mock clock: advancing it makes them due.
    let attempts = post_on_schedule(
        &shared.clock,
        &shared.http,
        &url,
        &body,
        &signature,
        gaps,
        |a| {
            let mut a = a.clone();
            a.number = a.number.saturating_add(done);
            // An acknowledged attempt is written with the final state
            // right after it: one write instead of two.
            let save = !a.is_acknowledged();
            update_then(&shared, id, save, |n| n.attempts.push(a));
        },
    );
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
    on_attempt: impl FnMut(&DeliveryAttempt),
) -> bool {
    post_on_schedule(&RealTime, http, url, body, signature, gaps, on_attempt).await
}

/// The time retries are scheduled on: real time, or the mock's clock.
trait Timer: Sync {
    fn now(&self) -> OffsetDateTime;
    fn sleep_until(&self, deadline: OffsetDateTime) -> impl Future<Output = ()> + Send;
}

struct RealTime;

impl Timer for RealTime {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
    async fn sleep_until(&self, deadline: OffsetDateTime) {
        if let Ok(left) = Duration::try_from(deadline - OffsetDateTime::now_utc()) {
            tokio::time::sleep(left).await;
        }
    }
}

impl Timer for Clock {
    fn now(&self) -> OffsetDateTime {
        self.now_utc()
    }
    fn sleep_until(&self, deadline: OffsetDateTime) -> impl Future<Output = ()> + Send {
        Clock::sleep_until(self, deadline)
    }
}

/// [`post_until_acknowledged`] on `timer`: attempt `k + 1` is due the sum
/// of the first `k` gaps after the first attempt ended, so a clock advanced
/// past several gaps makes each of those attempts in turn, at once.
async fn post_on_schedule(
    timer: &impl Timer,
    http: &reqwest::Client,
    url: &str,
    body: &[u8],
    signature: &str,
    gaps: &[Duration],
    mut on_attempt: impl FnMut(&DeliveryAttempt),
) -> bool {
    // When the last attempt was due (the first: when it ended).
    let mut due = None;
    for number in 1..=gaps.len() + 1 {
        if let Some(last) = due {
            let gap = time::Duration::try_from(gaps[number - 2]).ok();
            // A gap too large to represent never comes.
            let Some(next) = gap.and_then(|g| OffsetDateTime::checked_add(last, g)) else {
                return false;
            };
            due = Some(next);
            timer.sleep_until(next).await;
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
            at: clock::trade_time(timer.now()).to_string(),
            status,
            response_body,
            error,
        };
        on_attempt(&attempt);
        due = due.or_else(|| Some(timer.now()));
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
