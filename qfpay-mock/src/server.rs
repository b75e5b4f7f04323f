//! [`MockServer`]: the handle of a running server — its address, and the
//! calls that drive and inspect it from Rust.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use qfpay::types::TradeTime;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::check_url;
use crate::error::MockError;
use crate::fault::{FaultId, FaultRule};
use crate::notification::Notification;
use crate::operations;
use crate::record::RecordedRequest;
use crate::state::{Shared, lock};
use crate::store::{Order, SeedOrder};

/// A running mock QFPay server. Stops (gracefully) on drop or [`MockServer::shutdown`].
pub struct MockServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    base_url: String,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    pub(crate) fn started(
        shared: Arc<Shared>,
        addr: SocketAddr,
        shutdown: watch::Sender<bool>,
        task: JoinHandle<()>,
    ) -> Self {
        MockServer {
            base_url: shared.base_url.clone(),
            shared,
            addr,
            shutdown,
            task: Some(task),
        }
    }

    /// `http://127.0.0.1:PORT` — the base URL for
    /// `qfpay::Environment::Custom(..)`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The socket address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Plays the customer: pays the open payment with this `syssn` or
    /// `out_trade_no` (MPM, online, in-app, or a pending CPM). A payment
    /// whose scenario fails (e.g. `txamt` 1201) ends `Failed` instead. Sends
    /// the payment notification when paid. A Payment Element payment intent
    /// (its `payment_intent` or `out_trade_no`) becomes a paid payment of
    /// its amount, pay type and order number the same way.
    pub fn pay(&self, syssn_or_out_trade_no: &str) -> Result<Order, MockError> {
        operations::pay(&self.shared, syssn_or_out_trade_no)
    }

    /// Plays the customer of a recurring merchant: saves a card through the
    /// token intent `token_intent` (from `create_token_intent`, reference
    /// §18.2), and returns the new card token's id (`tk_…`) to subscribe
    /// the intent's customer with. Sends the `payment_token` notification
    /// (event `NEW`) to the intent's `notify_url` (else the app's). Each
    /// intent saves one card, within a day of its creation.
    pub fn save_card(&self, token_intent: &str) -> Result<String, MockError> {
        operations::save_card(&self.shared, token_intent)
    }

    /// Lets the open payment with this `syssn` or `out_trade_no` expire
    /// now, as if its time (`expired_time`, default 30 minutes) had run
    /// out: a query then reports `1181` (order expired), and it can no
    /// longer be paid or closed. Nothing is notified (QFPay notifies only
    /// successes). Fails for an order that is not an open payment.
    pub fn expire(&self, syssn_or_out_trade_no: &str) -> Result<Order, MockError> {
        operations::expire(&self.shared, syssn_or_out_trade_no)
    }

    /// Moves the mock clock forward by `by` and returns its new time (Hong
    /// Kong). Everything that depends on time follows at once: unpaid
    /// orders past their `expired_time` expire, subscriptions bill every
    /// interval passed (with their notifications), and notification retries
    /// that became due are sent — so a test never waits through real
    /// minutes. The clock never goes back.
    ///
    /// ```no_run
    /// # async fn demo(server: qfpay_mock::MockServer) {
    /// use std::time::Duration;
    /// let now = server.advance(Duration::from_secs(31 * 60)); // unpaid MPM orders expire
    /// # let _ = now;
    /// # }
    /// ```
    pub fn advance(&self, by: Duration) -> TradeTime {
        operations::advance(&self.shared, by)
    }

    /// The mock clock's current time (Hong Kong): real time plus every
    /// [`advance`](Self::advance) so far. Every `sysdtm`, `paydtm` and
    /// delivery time the mock writes comes from it.
    pub fn now(&self) -> TradeTime {
        self.shared.clock.now()
    }

    /// The payment or refund with this `syssn` (or latest with this `out_trade_no`).
    pub fn order(&self, syssn_or_out_trade_no: &str) -> Option<Order> {
        let store = lock(&self.shared.store);
        store
            .find(syssn_or_out_trade_no)
            .and_then(|i| store.order(i))
    }

    /// Every payment and refund, in creation order.
    pub fn orders(&self) -> Vec<Order> {
        lock(&self.shared.store).orders()
    }

    /// Puts a paid payment in the store.
    pub fn seed_order(&self, order: SeedOrder) -> Result<Order, MockError> {
        operations::seed(&self.shared, order)
    }

    /// The requests received on QFPay paths, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).iter().cloned().collect()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }

    /// Injects a fault: a bare [`Fault`](crate::Fault) hits the next request on any QFPay
    /// path; a [`FaultRule`] chooses the path and count.
    pub fn inject(&self, rule: impl Into<FaultRule>) -> FaultId {
        lock(&self.shared.faults).add(rule.into())
    }

    /// Removes an injected fault; `false` if it was already used up.
    pub fn remove_fault(&self, id: FaultId) -> bool {
        lock(&self.shared.faults).remove(id)
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Every notification and its delivery attempts.
    pub fn notifications(&self) -> Vec<Notification> {
        lock(&self.shared.notifications).clone()
    }

    /// Changes the default notification URL.
    pub fn set_notify_url(&self, url: Option<&str>) -> Result<(), MockError> {
        if let Some(u) = url {
            check_url(u).map_err(MockError::Config)?;
        }
        *lock(&self.shared.default_notify_url) = url.map(str::to_owned);
        Ok(())
    }

    /// Waits until `pred` holds for the notification list, or `timeout`
    /// passes; returns the list either way.
    pub async fn wait_for_notifications(
        &self,
        timeout: Duration,
        mut pred: impl FnMut(&[Notification]) -> bool,
    ) -> Vec<Notification> {
        let now = tokio::time::Instant::now();
        // A timeout too large to represent waits "forever" (about 30 years).
        let deadline = now
            .checked_add(timeout)
            .unwrap_or_else(|| now + Duration::from_secs(30 * 365 * 24 * 3600));
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let list = self.notifications();
            if pred(&list) {
                return list;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.notifications();
            }
        }
    }

    /// Waits until the notification of transaction `syssn` (payment or
    /// refund) is finished — delivered, given up, or without URL.
    pub async fn wait_for_notification(
        &self,
        syssn: &str,
        timeout: Duration,
    ) -> Option<Notification> {
        let list = self
            .wait_for_notifications(timeout, |l| {
                l.iter().any(|n| n.syssn == syssn && n.state.is_final())
            })
            .await;
        list.into_iter()
            .find(|n| n.syssn == syssn && n.state.is_final())
    }

    /// Stops accepting connections, lets requests in flight finish (up to
    /// 5 s), cancels pending notification retries. With a state file,
    /// returns once everything changed so far is in it.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        // Nobody is left to hear of a failure: the next start reads what is there.
        let _ = self.shared.synced().wait().await;
    }

    /// Serves until Ctrl-C, then shuts down.
    pub async fn run_until_ctrl_c(self) -> Result<(), MockError> {
        tokio::signal::ctrl_c().await?;
        self.shutdown().await;
        Ok(())
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
