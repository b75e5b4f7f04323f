//! A blocking client for code without an async runtime (feature `blocking`):
//! cron jobs, synchronous services, scripts.
//!
//! [`Client`] wraps the async [`crate::Client`] and a tokio runtime of its
//! own with one worker thread, which drives the pooled connections between
//! calls: each method runs the async method of the same name to completion
//! on that runtime. The requests, retries, errors
//! ([`crate::Error`]) and outcome reports are therefore exactly the async
//! client's.
//!
//! Called on a thread where a tokio runtime is current (inside an async task,
//! or in `spawn_blocking`), a method does not block: it returns
//! [`Error::InsideAsyncRuntime`] — use the async client there. Dropping the
//! client in such a place does not panic either.
//!
//! ```no_run
//! use std::time::Duration;
//! use qfpay::api::Query;
//! use qfpay::types::OutTradeNo;
//!
//! fn main() -> Result<(), qfpay::Error> {
//!     let client = qfpay::blocking::Client::from_env()?;
//!     let order = OutTradeNo::new("ORDER-42")?;
//!     let report = client.wait_for_payment(order.clone(), Duration::from_secs(60))?;
//!     println!("{:?}", report.state);
//!     let found = client.call(&Query::by_out_trade_no(order))?;
//!     println!("{} records", found.data.len());
//!     Ok(())
//! }
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::api::{CpmPayment, TradeRecord};
use crate::client::{
    CallOptions, CpmPolicy, PaymentRef, PaymentReport, PollPolicy, RefundReport, TransactionFilter,
    Transactions,
};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error};
use crate::state::PaymentRequest;
use crate::types::{MchId, OutTradeNo};

/// A blocking QFPay client: the async [`crate::Client`]'s calls and outcome
/// helpers, each run to completion on a runtime the client owns.
///
/// Cheap to clone (clones share the runtime and the connection pool);
/// `Send + Sync`, so one client can serve several threads. Its `Debug`
/// never shows the key. See the [module documentation](self).
#[derive(Clone)]
pub struct Client {
    client: crate::Client,
    runtime: Arc<OwnedRuntime>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.client)
            .finish()
    }
}

/// The runtime, shut down without blocking when the last clone is dropped
/// where blocking is not allowed (an async context), instead of panicking.
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}

/// Declares blocking methods: each runs the async client's method of the
/// same name, with the same arguments, to completion (`block_on`).
macro_rules! blocking {
    ($(
        $(#[$doc:meta])*
        fn $name:ident $(<$g:ident: $bound:path>)? ($($arg:ident: $ty:ty),* $(,)?) -> $out:ty;
    )*) => {$(
        $(#[$doc])*
        pub fn $name $(<$g: $bound>)? (&self, $($arg: $ty),*) -> Result<$out, Error> {
            self.block_on(self.client.$name($($arg),*))
        }
    )*};
}

impl Client {
    /// Wraps an async client (built with [`crate::Client::builder`]).
    ///
    /// Fails with [`BuildError::HttpClient`] if the runtime cannot be
    /// created (the operating system refused its I/O driver).
    pub fn new(client: crate::Client) -> Result<Client, Error> {
        // One worker, not a current-thread runtime: the pooled connections'
        // tasks live on this runtime, and with nothing to drive them between
        // calls the async client of `as_async`, used elsewhere, waited on
        // them until its timeout.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("qfpay-blocking")
            .enable_all()
            .build()
            .map_err(|e| BuildError::HttpClient(Box::new(e)))?;
        Ok(Client {
            client,
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }

    /// [`crate::Client::from_env`], blocking.
    pub fn from_env() -> Result<Client, Error> {
        Client::new(crate::Client::from_env()?)
    }

    /// The async client this one drives (same configuration and pool), for
    /// code that has a runtime after all: it may be used on any runtime.
    pub fn as_async(&self) -> &crate::Client {
        &self.client
    }

    /// A view with per-call options; see [`crate::Client::with_options`].
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client {
            client: self.client.with_options(options),
            runtime: Arc::clone(&self.runtime),
        }
    }

    /// A view acting for `mchid`; see [`crate::Client::for_mchid`].
    pub fn for_mchid(&self, mchid: MchId) -> Client {
        self.with_options(CallOptions::new().mchid(mchid))
    }

    /// The `mchid` calls are made for, if any.
    pub fn mchid(&self) -> Option<&MchId> {
        self.client.mchid()
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.client.timeout()
    }

    blocking! {
        /// Signs and sends `request` and decodes the typed response; see
        /// [`crate::Client::call`].
        fn call<E: Endpoint>(request: &E) -> E::Response;

        /// Sends a payment and reads its answer; see [`crate::Client::pay`].
        fn pay<P: PaymentRequest>(payment: &P) -> PaymentReport;

        /// A consumer-presented payment to its end; see [`crate::Client::pay_cpm`].
        fn pay_cpm(payment: &CpmPayment) -> PaymentReport;

        /// [`pay_cpm`](Self::pay_cpm) with a policy; see [`crate::Client::pay_cpm_with`].
        fn pay_cpm_with(payment: &CpmPayment, policy: CpmPolicy) -> PaymentReport;

        /// Queries a payment until its state is final or `deadline` passes; see
        /// [`crate::Client::wait_for_payment`].
        fn wait_for_payment(payment: impl Into<PaymentRef>, deadline: Duration) -> PaymentReport;

        /// [`wait_for_payment`](Self::wait_for_payment) with a polling policy.
        fn wait_for_payment_with(
            payment: impl Into<PaymentRef>,
            deadline: Duration,
            policy: PollPolicy,
        ) -> PaymentReport;

        /// Queries a refund until its state is final or `deadline` passes; see
        /// [`crate::Client::wait_for_refund`].
        fn wait_for_refund(refund: OutTradeNo, deadline: Duration) -> RefundReport;

        /// [`wait_for_refund`](Self::wait_for_refund) with a polling policy.
        fn wait_for_refund_with(
            refund: OutTradeNo,
            deadline: Duration,
            policy: PollPolicy,
        ) -> RefundReport;
    }

    /// Every transaction matching `filter`, page by page, as an iterator;
    /// see [`crate::Client::transactions`].
    pub fn transactions(&self, filter: TransactionFilter) -> TransactionIter {
        TransactionIter {
            client: self.clone(),
            stream: self.client.transactions(filter),
        }
    }

    /// Runs `future` to completion on the client's runtime, or refuses to
    /// where blocking would stall (or panic in) a runtime already running.
    fn block_on<T>(&self, future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::InsideAsyncRuntime);
        }
        match &self.runtime.0 {
            Some(runtime) => runtime.block_on(future),
            // Only `Drop` takes it, and then nobody holds the client.
            None => Err(Error::InsideAsyncRuntime),
        }
    }
}

/// The records of [`Client::transactions`], one page fetched at a time.
///
/// Each item is a record or the error that ended the listing.
#[derive(Debug)]
pub struct TransactionIter {
    client: Client,
    stream: Transactions,
}

impl TransactionIter {
    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.stream.pages()
    }
}

impl Iterator for TransactionIter {
    type Item = Result<TradeRecord, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = &mut self.stream;
        self.client
            .block_on(async { stream.next_record().await.transpose() })
            .transpose()
    }
}
