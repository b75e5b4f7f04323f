//! Recurring payments (reference §19, §22.5): customers, card tokens,
//! products and subscriptions as records, kept in a state file like every
//! other record (`persist`); billing on the mock clock (`billing`); the
//! endpoints (`api`).

mod api;
mod billing;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use crate::error::MockError;
use crate::persist::{Change, Record};
use crate::state::Shared;
use crate::store::MerchantKey;
use crate::table::Table;

pub(crate) use api::{
    billing_orders, cancel, charge, customer_create, customer_delete, customer_query,
    customer_update, product_create, product_delete, product_query, product_update,
    subscription_create, subscription_query, subscription_update,
};
pub(crate) use billing::{bill_due, save_card};

/// The merchant a record belongs to (app code, `mchid`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Owner {
    pub app_code: String,
    pub mchid: Option<String>,
}

impl Owner {
    pub fn of(m: &MerchantKey) -> Self {
        Owner {
            app_code: m.0.clone(),
            mchid: m.1.clone(),
        }
    }
}

/// `/customer/v1/*` (§19.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Customer {
    pub customer_id: String,
    pub owner: Owner,
    pub name: String,
    pub phone: String,
    pub email: String,
    /// The JSON object sent, as text.
    pub billing_address: Option<String>,
}

/// A card saved for a customer (`tk_…`), announced by a `payment_token`
/// notification (§18.2, §22.5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CardToken {
    pub token_id: String,
    pub owner: Owner,
    pub customer_id: String,
    pub card_scheme: String,
    pub cardcd: String,
    pub token_expiry_date: String,
}

/// `/product/v1/*` (§19.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Product {
    pub product_id: String,
    pub owner: Owner,
    pub name: String,
    /// `onetime` or `recurring`.
    pub product_type: String,
    pub description: String,
    pub txamt: u64,
    pub txcurrcd: String,
    /// `monthly`, `yearly`, `minutes`, `hours` (recurring products).
    pub interval: Option<String>,
    pub interval_count: Option<u32>,
    pub usage_type: Option<String>,
}

/// One product of a subscription.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Item {
    pub product_id: String,
    pub quantity: u64,
}

/// `/subscription/v1/*` (§19.3). Times are Hong Kong `YYYY-MM-DD hh:mm:ss`
/// (the query shows the billing times as ISO 8601 UTC, as the reference's
/// example does).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Subscription {
    pub subscription_id: String,
    pub owner: Owner,
    pub customer_id: String,
    pub token_id: String,
    pub products: Vec<Item>,
    pub total_billing_cycles: Option<u64>,
    pub start_time: String,
    /// §23.6: `ACTIVE`, `INCOMPLETE`, `PAST_DUE`, `COMPLETED`, `CANCELLED`.
    pub state: String,
    /// When the next automatic billing is due (while `ACTIVE`, else
    /// when it would have been).
    pub next_billing: Option<String>,
    pub last_billing: Option<String>,
    pub last_billing_status: String,
    pub completed_iterations: u64,
    /// The billing order that failed and awaits `charge`.
    pub failed_order: Option<String>,
    /// What one billing charges: Σ product price × quantity.
    pub txamt: u64,
    pub txcurrcd: String,
    pub interval: String,
    pub interval_count: u32,
}

impl Subscription {
    /// `sub_ord_<id part of subscription_id>_<4-digit iteration>` (§19.3).
    pub fn order_id(&self, iteration: u64) -> String {
        let id = self
            .subscription_id
            .strip_prefix("sub_")
            .unwrap_or(&self.subscription_id);
        format!("sub_ord_{id}_{iteration:04}")
    }

    /// The product ids, comma-separated (`product_id` of §22.5).
    pub fn product_ids(&self) -> String {
        self.products
            .iter()
            .map(|i| i.product_id.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// One billing attempt of a subscription, with its transaction (`syssn`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BillingOrder {
    pub syssn: String,
    pub subscription_order_id: String,
    pub subscription_id: String,
    /// `auto` or `manual`.
    pub trigger_by: String,
    /// 1 for the subscription's first attempt.
    pub sequence_no: u64,
    pub iteration: u64,
    pub respcd: String,
    pub txamt: u64,
    pub txcurrcd: String,
    pub sysdtm: String,
}

macro_rules! keyed {
    ($($ty:ident: $kind:literal, $id:ident;)*) => {$(
        impl Record for $ty {
            const KIND: &'static str = $kind;
            fn id(&self) -> Cow<'_, str> {
                Cow::Borrowed(&self.$id)
            }
        }
    )*};
}

keyed! {
    Customer: "customer", customer_id;
    CardToken: "card_token", token_id;
    Product: "product", product_id;
    Subscription: "subscription", subscription_id;
    BillingOrder: "billing_order", syssn;
}

/// The recurring API's records.
#[derive(Default)]
pub(crate) struct Recurring {
    pub customers: Table<Customer>,
    pub tokens: Table<CardToken>,
    pub products: Table<Product>,
    /// Changed only through [`Recurring::put_subscription`], which keeps
    /// the billing index in step.
    subscriptions: Table<Subscription>,
    pub billing_orders: Table<BillingOrder>,
    /// `(next_billing, subscription_id)` of the active subscriptions: what
    /// the clock visits when it moves.
    due: BTreeSet<(String, String)>,
}

impl Recurring {
    /// The records of the state file (none without one), in creation
    /// order, with the billing index rebuilt from the subscriptions: what
    /// was billed before a restart is not billed again (its subscription
    /// was saved with its next billing time, in the same write as the
    /// billing), and what fell due while the mock was down is billed at
    /// the first look at the clock.
    pub fn load(shared: &Shared) -> Result<Recurring, MockError> {
        fn table<T: Record>(shared: &Shared) -> Result<Table<T>, MockError> {
            let mut table = Table::default();
            for record in shared.load::<T>()? {
                table.put(record);
            }
            Ok(table)
        }
        let mut recurring = Recurring {
            customers: table(shared)?,
            tokens: table(shared)?,
            products: table(shared)?,
            billing_orders: table(shared)?,
            ..Recurring::default()
        };
        for sub in shared.load::<Subscription>()? {
            recurring.put_subscription(sub);
        }
        Ok(recurring)
    }

    /// Whether there is no record at all.
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
            && self.tokens.is_empty()
            && self.products.is_empty()
            && self.subscriptions.is_empty()
            && self.billing_orders.is_empty()
    }

    /// From now on, remembers which records change (for a state file).
    pub fn track_changes(&mut self) {
        self.customers.track_changes();
        self.tokens.track_changes();
        self.products.track_changes();
        self.subscriptions.track_changes();
        self.billing_orders.track_changes();
    }

    /// Appends the writes of the records changed since the last call.
    pub fn take_changes(&mut self, out: &mut Vec<Change>) -> Result<(), MockError> {
        self.customers.take_changes(out)?;
        self.tokens.take_changes(out)?;
        self.products.take_changes(out)?;
        self.subscriptions.take_changes(out)?;
        self.billing_orders.take_changes(out)
    }

    pub fn subscriptions(&self) -> &Table<Subscription> {
        &self.subscriptions
    }

    /// Inserts or replaces a subscription and its place in the billing index.
    pub fn put_subscription(&mut self, sub: Subscription) {
        if let Some(old) = self.subscriptions.get(&sub.subscription_id)
            && let Some(at) = &old.next_billing
        {
            self.due.remove(&(at.clone(), old.subscription_id.clone()));
        }
        if sub.state == "ACTIVE"
            && let Some(at) = &sub.next_billing
        {
            self.due.insert((at.clone(), sub.subscription_id.clone()));
        }
        self.subscriptions.put(sub);
    }

    /// The first active subscription due by `now` (`YYYY-MM-DD hh:mm:ss`).
    pub fn first_due(&self, now: &str) -> Option<(String, String)> {
        self.due
            .first()
            .filter(|(at, _)| at.as_str() <= now)
            .cloned()
    }
}
