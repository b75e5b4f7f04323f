//! Billing subscriptions on the mock clock, saving cards, and the
//! recurring notifications (§22.5).

use std::time::Duration;

use qfpay::types::{NotifyType, TradeTime};

use super::{BillingOrder, CardToken, Owner, Subscription};
use crate::clock;
use crate::intent::Intent;
use crate::notify_body::NotificationBody;
use crate::operations;
use crate::scenario::{self, Scenario};
use crate::store::{Event, Notice, OrderStatus, SeedOrder, Store, SyssnKind};

/// The card every saved token stands for (a Visa test card).
const CARD_SCHEME: &str = "VISA";
const CARDCD: &str = "4242****4242";
/// The pay type of a billing's transaction: Visa/Mastercard online (§23.3).
const CARD_PAY_TYPE: &str = "802801";
/// Billings made by one catch-up at most; the rest follow at the next one
/// (a year of minutely billing does not hold the store's lock for long).
const MAX_BILLINGS_PER_CATCH_UP: usize = 1000;

/// `t` plus `count` × `interval` (`monthly` and `yearly` by the calendar,
/// the day clamped to the month's last; `minutes` and `hours` exactly).
pub(crate) fn add_interval(t: &TradeTime, interval: &str, count: u32) -> Option<TradeTime> {
    let months = match interval {
        "minutes" => return Some(clock::later(t, Duration::from_secs(60 * u64::from(count)))),
        "hours" => {
            return Some(clock::later(
                t,
                Duration::from_secs(3600 * u64::from(count)),
            ));
        }
        "monthly" => count,
        "yearly" => count.checked_mul(12)?,
        _ => return None,
    };
    let p = t.to_primitive()?;
    let index = i64::from(p.year()) * 12 + i64::from(u8::from(p.month())) - 1 + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = time::Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = p.day().min(time::util::days_in_month(month, year));
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    Some(TradeTime::from(time::PrimitiveDateTime::new(
        date,
        p.time(),
    )))
}

/// A recurring notification of `owner` about `about` (an id or `syssn`).
fn notice(
    owner: &Owner,
    notify_url: Option<String>,
    kind: NotifyType,
    about: &str,
    out_trade_no: &str,
    body: &NotificationBody,
) -> Event {
    Event::Notice(Box::new(Notice {
        app_code: owner.app_code.clone(),
        notify_url,
        notify_type: kind.as_str().to_owned(),
        syssn: about.to_owned(),
        out_trade_no: out_trade_no.to_owned(),
        body: body.to_bytes(),
    }))
}

/// The `subscription` notification of `sub`'s state (§22.5).
pub(crate) fn state_notice(sub: &Subscription, at: &TradeTime) -> Event {
    let mut body = NotificationBody::new(&NotifyType::Subscription);
    body.set("state", &sub.state)
        .set("sysdtm", at.as_str())
        .set("subscription_id", &sub.subscription_id);
    notice(
        &sub.owner,
        None,
        NotifyType::Subscription,
        &sub.subscription_id,
        "",
        &body,
    )
}

/// How a billing is triggered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Trigger {
    /// On schedule: may fail by the amount's scenario (README).
    Auto,
    /// `/subscription/v1/charge` of the failed order: the customer has fixed
    /// the card, it succeeds.
    Manual,
}

/// Bills `sub` at `at`: a transaction, a billing order, the
/// `subscription_payment` notification (successes and failures, §22.1), and
/// a `subscription` notification when the state changes. Returns the
/// events; the subscription is stored with its new state.
pub(crate) fn bill(
    store: &mut Store,
    mut sub: Subscription,
    at: &TradeTime,
    trigger: Trigger,
    scenarios: bool,
) -> Vec<Event> {
    // A manual charge bills the iteration that failed (not yet completed).
    let iteration = sub.completed_iterations + 1;
    let order_id = sub.order_id(iteration);
    let fails = match (trigger, scenarios) {
        (Trigger::Auto, true) => match scenario::pick(None, sub.txamt, Duration::ZERO) {
            Scenario::Fail { code } => Some(code),
            _ => None,
        },
        _ => None,
    };
    let syssn = store.next_syssn(SyssnKind::Payment, at);
    let sequence_no = store
        .recurring
        .billing_orders
        .iter()
        .filter(|b| b.subscription_id == sub.subscription_id)
        .count() as u64
        + 1;
    let out_trade_no = match trigger {
        Trigger::Auto => order_id.clone(),
        Trigger::Manual => format!("{order_id}-charge{sequence_no}"),
    };
    let now = at.to_string();
    let seed = SeedOrder::paid(syssn.clone(), sub.txamt)
        .currency(sub.txcurrcd.clone())
        .pay_type(CARD_PAY_TYPE);
    let merchant = (sub.owner.app_code.clone(), sub.owner.mchid.clone());
    let mut order = operations::paid_payment(store, &seed, merchant, out_trade_no.clone(), at);
    if let Some(code) = fails {
        order.status = OrderStatus::Failed {
            respcd: code.to_owned(),
        };
        order.paydtm = None;
        order.chnlsn = String::new();
    }
    operations::record(store, order);
    let respcd = fails.unwrap_or("0000");
    store.recurring.billing_orders.put(BillingOrder {
        syssn: syssn.clone(),
        subscription_order_id: order_id.clone(),
        subscription_id: sub.subscription_id.clone(),
        trigger_by: match trigger {
            Trigger::Auto => "auto",
            Trigger::Manual => "manual",
        }
        .to_owned(),
        sequence_no,
        iteration,
        respcd: respcd.to_owned(),
        txamt: sub.txamt,
        txcurrcd: sub.txcurrcd.clone(),
        sysdtm: now.clone(),
    });

    let mut body = NotificationBody::new(&NotifyType::SubscriptionPayment);
    body.set("txcurrcd", &sub.txcurrcd)
        .set(
            "reason",
            if fails.is_none() {
                "AUTHORISED"
            } else {
                "REFUSED"
            },
        )
        .set("cardcd", CARDCD)
        .set("subscription_order_id", &order_id)
        .set("product_id", sub.product_ids())
        .set("txdtm", &now)
        .set("txamt", sub.txamt.to_string())
        // `card_scheme`: "only when 0000" (§22.5).
        .set(
            "card_scheme",
            if fails.is_none() { CARD_SCHEME } else { "" },
        )
        .set("syssn", &syssn)
        .set("respcd", respcd)
        .set("subscription_id", &sub.subscription_id)
        .set("customer_id", &sub.customer_id)
        .set("current_iteration", iteration.to_string());
    if let Some(code) = fails {
        body.set("respmsg", crate::store::describe(code));
    }
    let mut events = vec![notice(
        &sub.owner,
        None,
        NotifyType::SubscriptionPayment,
        &syssn,
        &out_trade_no,
        &body,
    )];

    let before = sub.state.clone();
    sub.last_billing = Some(now);
    if trigger == Trigger::Auto {
        sub.next_billing = sub
            .next_billing
            .as_deref()
            .and_then(|t| TradeTime::parse(t).ok())
            .and_then(|t| add_interval(&t, &sub.interval, sub.interval_count))
            .map(|t| t.to_string());
    }
    match fails {
        None => {
            sub.last_billing_status = "SUCCESS".into();
            sub.completed_iterations = iteration;
            sub.failed_order = None;
            sub.state = "ACTIVE".into();
            if sub
                .total_billing_cycles
                .is_some_and(|total| sub.completed_iterations >= total)
            {
                sub.state = "COMPLETED".into();
            }
        }
        Some(_) => {
            sub.last_billing_status = "FAILED".into();
            sub.failed_order = Some(order_id);
            // §23.6: the first payment failing leaves it INCOMPLETE, a
            // later one PAST_DUE; either waits for `charge`.
            sub.state = if iteration == 1 {
                "INCOMPLETE"
            } else {
                "PAST_DUE"
            }
            .into();
        }
    }
    if sub.state != before {
        events.push(state_notice(&sub, at));
    }
    store.recurring.put_subscription(sub);
    events
}

/// Bills every active subscription due by `now`, once per interval passed,
/// each at its scheduled time.
pub(crate) fn bill_due(store: &mut Store, now: &TradeTime, scenarios: bool) -> Vec<Event> {
    let mut events = Vec::new();
    for _ in 0..MAX_BILLINGS_PER_CATCH_UP {
        let Some((at, id)) = store.recurring.first_due(now.as_str()) else {
            break;
        };
        let (Ok(at), Some(sub)) = (
            TradeTime::parse(&at),
            store.recurring.subscriptions().get(&id).cloned(),
        ) else {
            break;
        };
        events.extend(bill(store, sub, &at, Trigger::Auto, scenarios));
    }
    events
}

/// The mock's customer saves a card through token intent `intent`: a token
/// for the intent's customer, announced by a `payment_token` notification
/// (event `NEW`) to the intent's `notify_url`.
pub(crate) fn save_card(store: &mut Store, intent: &Intent, now: &TradeTime) -> (CardToken, Event) {
    let token_id = store
        .recurring
        .tokens
        .fresh_id("tk_", &format!("{}{now}", intent.id));
    // §18.2: "Token expiry default: 7 days in sandbox".
    let default_expiry = clock::later(now, Duration::from_secs(7 * 24 * 3600)).to_string();
    let token = CardToken {
        token_id: token_id.clone(),
        owner: intent.owner.clone(),
        customer_id: intent.customer_id.clone().unwrap_or_default(),
        card_scheme: CARD_SCHEME.into(),
        cardcd: CARDCD.into(),
        token_expiry_date: intent.token_expiry.clone().unwrap_or(default_expiry),
    };
    store.recurring.tokens.put(token.clone());
    let mut body = NotificationBody::new(&NotifyType::PaymentToken);
    body.set("card_scheme", CARD_SCHEME)
        .set("cardcd", CARDCD)
        .set("tokenid", &token_id)
        .set("respcd", "0000")
        .set("token_expiry_date", &token.token_expiry_date)
        .set("sysdtm", now.as_str())
        .set("event", "NEW")
        .set("customer_id", &token.customer_id);
    if let Some(r) = &intent.token_reason {
        body.set("token_reason", r);
    }
    if let Some(r) = &intent.token_reference {
        body.set("token_reference", r);
    }
    let event = notice(
        &intent.owner,
        intent.notify_url.clone(),
        NotifyType::PaymentToken,
        &token_id,
        "",
        &body,
    );
    (token, event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_follow_the_calendar() {
        let t = |s: &str| TradeTime::parse(s).unwrap();
        let add = |s, i, n| add_interval(&t(s), i, n).unwrap().to_string();
        assert_eq!(
            add("2024-01-31 10:00:00", "monthly", 1),
            "2024-02-29 10:00:00"
        );
        assert_eq!(
            add("2024-11-30 10:00:00", "monthly", 3),
            "2025-02-28 10:00:00"
        );
        assert_eq!(
            add("2024-02-29 10:00:00", "yearly", 1),
            "2025-02-28 10:00:00"
        );
        assert_eq!(
            add("2024-12-31 23:59:00", "minutes", 2),
            "2025-01-01 00:01:00"
        );
        assert_eq!(
            add("2024-12-31 23:00:00", "hours", 1),
            "2025-01-01 00:00:00"
        );
        assert!(add_interval(&t("2024-12-31 23:00:00"), "weekly", 1).is_none());
    }
}
