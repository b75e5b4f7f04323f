//! What the mock's owner does to its state besides the QFPay API (from
//! Rust, the control API and the checkout page): pay an order as the
//! customer, let it expire, seed a paid order, move the clock — and what
//! happens when time passes.

use std::sync::Arc;
use std::time::Duration;

use qfpay::types::TradeTime;
use tokio::sync::watch;

use crate::error::MockError;
use crate::intent;
use crate::notify;
use crate::recurring;
use crate::state::{Shared, lock};
use crate::store::{Event, Order, OrderStatus, OrderType, Plan, SeedOrder, Store, Tx};

/// What fell due on the clock up to `now`: unpaid orders past their
/// `expires_at` expire, subscriptions bill every interval passed. Returns
/// the notifications to send. Cheap when nothing is due (both are indexed
/// by due time), so every request runs it first.
pub(crate) fn due(store: &mut Store, now: &TradeTime, scenarios: bool) -> Vec<Event> {
    store.expire_due(now);
    recurring::bill_due(store, now, scenarios)
}

/// Runs [`due`] at the clock's current time and sends its notifications.
pub(crate) fn catch_up(shared: &Arc<Shared>) {
    let now = shared.clock.now();
    let events = {
        let mut store = lock(&shared.store);
        let events = due(&mut store, &now, shared.config.scenarios);
        // Nobody waits for this answer: a write failure shows at the next
        // request's write-through (`persist`).
        let _ = shared.commit(&mut store);
        events
    };
    notify::dispatch(shared, events);
}

/// Moves the mock clock forward by `by`, then catches up: orders expire,
/// subscriptions bill, and notification retries that became due fire
/// (their waits watch the clock). Returns the new mock time.
pub(crate) fn advance(shared: &Arc<Shared>, by: Duration) -> TradeTime {
    shared.clock.advance(by);
    // Like `catch_up`'s: a write failure shows at the next request's.
    let _ = shared.save_clock();
    catch_up(shared);
    // What fell due, with its notifications, is in the state file when
    // the caller hears of the new time.
    shared.flush();
    shared.clock.now()
}

/// Catches up once a second of real time until shutdown, so that what falls
/// due while no request arrives still happens (a subscription billed every
/// minute on a mock left running).
pub(crate) async fn tick(shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => catch_up(&shared),
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

/// Lets the open payment with this `syssn` or `out_trade_no` expire now,
/// as if its `expires_at` had passed (query then reports `1181`). No
/// notification: failures are never notified (§22.1).
pub(crate) fn expire(shared: &Arc<Shared>, id: &str) -> Result<Order, MockError> {
    catch_up(shared);
    let mut store = lock(&shared.store);
    let idx = open_payment(&store, id)?;
    // A pending CPM payment is open but has nothing to expire.
    if !store.expire(idx)
        && let Some(order) = store.order(idx)
    {
        return Err(MockError::NotPayable {
            syssn: order.syssn,
            status: order.status,
        });
    }
    shared.commit(&mut store)?;
    store
        .order(idx)
        .ok_or_else(|| MockError::OrderNotFound(id.to_owned()))
}

/// Pays the open payment with this `syssn` or `out_trade_no` — or the
/// payment intent with this id or `out_trade_no` — and sends its
/// notification.
pub(crate) fn pay(shared: &Arc<Shared>, id: &str) -> Result<Order, MockError> {
    // An order whose time ran out is expired before the customer can pay.
    catch_up(shared);
    let now = shared.clock.now();
    let (order, events) = {
        let mut store = lock(&shared.store);
        if store.find(id).is_none() {
            // A Payment Element intent (by id or order number) becomes a
            // paid payment.
            let intent = intent::usable(&store, id, "payment", &now)
                .map_err(MockError::Intent)?
                .ok_or_else(|| MockError::OrderNotFound(id.to_owned()))?;
            let (order, event) = intent::pay(&mut store, &intent, &now);
            // Written through before the caller hears of it, like every
            // other change.
            shared.commit(&mut store)?;
            drop(store);
            notify::dispatch(shared, vec![event]);
            shared.flush();
            return Ok(order);
        }
        let idx = open_payment(&store, id)?;
        let events: Vec<_> = store.pay(idx, &now).into_iter().collect();
        let order = store
            .order(idx)
            .ok_or_else(|| MockError::OrderNotFound(id.to_owned()))?;
        shared.commit(&mut store)?;
        (order, events)
    };
    notify::dispatch(shared, events);
    // Its notification too is in the state file when the caller hears of it.
    shared.flush();
    Ok(order)
}

/// The customer saves a card through token intent `id` (§18.2): a card
/// token of the intent's customer, announced by a `payment_token`
/// notification. Returns the token id (`tk_…`).
pub(crate) fn save_card(shared: &Arc<Shared>, id: &str) -> Result<String, MockError> {
    let now = shared.clock.now();
    let (token, event) = {
        let mut store = lock(&shared.store);
        let intent = intent::usable(&store, id, "token", &now)
            .map_err(MockError::Intent)?
            .ok_or_else(|| MockError::Intent(format!("no token intent `{id}`")))?;
        let (token, event) = recurring::save_card(&mut store, &intent, &now);
        store
            .intents
            .update(&intent.id, |i| i.result = Some(token.token_id.clone()));
        shared.commit(&mut store)?;
        (token, event)
    };
    notify::dispatch(shared, vec![event]);
    shared.flush();
    Ok(token.token_id)
}

/// The index of the open payment with this `syssn` or `out_trade_no`:
/// what the customer can pay, decline or let expire.
pub(crate) fn open_payment(store: &Store, id: &str) -> Result<usize, MockError> {
    let idx = store
        .find(id)
        .ok_or_else(|| MockError::OrderNotFound(id.to_owned()))?;
    let order = store
        .order(idx)
        .ok_or_else(|| MockError::OrderNotFound(id.to_owned()))?;
    if order.order_type != OrderType::Payment || !order.status.is_open() {
        return Err(MockError::NotPayable {
            syssn: order.syssn,
            status: order.status,
        });
    }
    Ok(idx)
}

/// Puts a paid payment in the store, checking it against the configured
/// apps and the orders already there.
pub(crate) fn seed(shared: &Shared, seed: SeedOrder) -> Result<Order, MockError> {
    let app = match &seed.app_code {
        Some(code) => shared
            .app(code)
            .ok_or_else(|| MockError::Seed(format!("unknown app code `{code}`")))?,
        None => shared
            .config
            .apps
            .first()
            .ok_or_else(|| MockError::Seed("no app configured".into()))?,
    };
    let mchid = match (&seed.mchid, app.mchids.first()) {
        (Some(m), _) if app.mchids.contains(m) => Some(m.clone()),
        (Some(m), _) => {
            return Err(MockError::Seed(format!(
                "`{m}` is not an mchid of app `{}`",
                app.code
            )));
        }
        (None, first) => first.cloned(),
    };
    if seed.syssn.is_empty() || seed.txamt == 0 {
        return Err(MockError::Seed(
            "syssn and a positive txamt are required".into(),
        ));
    }
    let out_trade_no = seed
        .out_trade_no
        .clone()
        .unwrap_or_else(|| format!("SEED-{}", seed.syssn));
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    if store.syssn_exists(&seed.syssn) {
        return Err(MockError::Seed(format!(
            "syssn `{}` already exists",
            seed.syssn
        )));
    }
    let merchant = (app.code.clone(), mchid.clone());
    if store.by_out_trade_no(&merchant, &out_trade_no).is_some() {
        return Err(MockError::Seed(format!(
            "out_trade_no `{out_trade_no}` already exists"
        )));
    }
    let order = paid_payment(&store, &seed, merchant, out_trade_no, &now);
    let idx = record(&mut store, order);
    shared.commit(&mut store)?;
    store
        .order(idx)
        .ok_or_else(|| MockError::Seed("order lost".into()))
}

/// A payment paid at `at` with nothing optional set: what seeding and the
/// seeded history record. The caller has checked `seed` and chosen its
/// merchant (app code, `mchid`) and order number.
pub(crate) fn paid_payment(
    store: &Store,
    seed: &SeedOrder,
    (app_code, mchid): (String, Option<String>),
    out_trade_no: String,
    at: &TradeTime,
) -> Order {
    Order {
        syssn: seed.syssn.clone(),
        order_type: OrderType::Payment,
        app_code,
        mchid,
        out_trade_no,
        pay_type: seed.pay_type.clone(),
        txamt: seed.txamt,
        txcurrcd: seed.txcurrcd.clone(),
        txdtm: at.to_string(),
        sysdtm: at.to_string(),
        paydtm: Some(at.to_string()),
        status: OrderStatus::Succeeded,
        respcd: String::new(),
        cancel: String::new(),
        refunded: 0,
        refunds: Vec::new(),
        orig_syssn: None,
        note: None,
        goods_name: None,
        goods_info: None,
        udid: None,
        qrcode: None,
        pay_url: None,
        notify_url: None,
        chnlsn: store.chnlsn(&seed.syssn),
        expires_at: None,
    }
}

/// Puts a settled order (no card flow, nothing planned) in the store.
pub(crate) fn record(store: &mut Store, order: Order) -> usize {
    store.insert(Tx {
        order,
        cpm: false,
        plan: Plan::None,
        fail_on_pay: None,
        fingerprint: String::new(),
    })
}
