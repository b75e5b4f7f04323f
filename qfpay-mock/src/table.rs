//! One kind of record of the catalogue's state (holds, customers, products,
//! subscriptions, tokens, billing orders, intents, customs declarations):
//! [`Record`]s (kind + stable id, what a state file saves), kept in
//! creation order, changed only through [`Table::put`], [`Table::update`]
//! and [`Table::remove`] — the three places where a write-through goes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::error::MockError;
use crate::persist::{Change, Record};

/// Records of one kind by id, in creation order.
#[derive(Clone, Debug)]
pub(crate) struct Table<T> {
    seq: u64,
    rows: BTreeMap<u64, T>,
    ids: HashMap<String, u64>,
    /// With a state file: the ids put, updated or removed since the last
    /// write-through (`persist`). `None` in memory: nothing tracked.
    changed: Option<BTreeSet<String>>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            seq: 0,
            rows: BTreeMap::new(),
            ids: HashMap::new(),
            changed: None,
        }
    }
}

impl<T: Record> Table<T> {
    /// Inserts `record`, or replaces the one with its id (keeping its place).
    pub fn put(&mut self, record: T) {
        let at = match self.ids.get(&*record.id()) {
            Some(&at) => at,
            None => {
                self.seq += 1;
                self.ids.insert(record.id().into_owned(), self.seq);
                self.seq
            }
        };
        self.touched(&record.id());
        self.rows.insert(at, record);
    }

    /// From now on, remembers which records change (for a state file).
    pub fn track_changes(&mut self) {
        self.changed = Some(BTreeSet::new());
    }

    /// Appends the writes of the records changed since the last call.
    pub fn take_changes(&mut self, out: &mut Vec<Change>) -> Result<(), MockError> {
        for id in self
            .changed
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
        {
            out.push(match self.get(&id) {
                Some(record) => Change::put(record)?,
                None => Change::remove::<T>(id),
            });
        }
        Ok(())
    }

    fn touched(&mut self, id: &str) {
        if let Some(changed) = &mut self.changed {
            changed.insert(id.to_owned());
        }
    }

    /// The record with this id.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.ids.get(id).and_then(|at| self.rows.get(at))
    }

    /// Whether there is no record.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether a record has this id.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    /// Changes the record with this id.
    pub fn update<R>(&mut self, id: &str, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let at = *self.ids.get(id)?;
        self.touched(id);
        self.rows.get_mut(&at).map(f)
    }

    /// Removes the record with this id.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        let at = self.ids.remove(id)?;
        self.touched(id);
        self.rows.remove(&at)
    }

    /// Every record, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.rows.values()
    }

    /// A fresh id: `prefix` + 32 hex digits, derived from `seed` and the
    /// table's counter, never one already used.
    pub fn fresh_id(&self, prefix: &str, seed: &str) -> String {
        let mut n = self.seq;
        loop {
            n += 1;
            let id = format!(
                "{prefix}{}",
                crate::signing::token(&format!("{}{seed}{n}", T::KIND), b"qfpay-mock-id")
            );
            if !self.contains(&id) {
                return id;
            }
        }
    }
}

/// The `page` (from 1) of `page_size` items of `records`: what the
/// catalogue's list calls answer.
pub(crate) fn page<T>(records: impl Iterator<Item = T>, page: u64, page_size: u64) -> Vec<T> {
    let skip =
        usize::try_from(page.saturating_sub(1).saturating_mul(page_size)).unwrap_or(usize::MAX);
    records
        .skip(skip)
        .take(usize::try_from(page_size).unwrap_or(100))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Row(String, u32);

    impl Record for Row {
        const KIND: &'static str = "row";
        fn id(&self) -> std::borrow::Cow<'_, str> {
            std::borrow::Cow::Borrowed(&self.0)
        }
    }

    #[test]
    fn put_keeps_the_place_of_a_replaced_record() {
        let mut t = Table::default();
        t.put(Row("a".into(), 1));
        t.put(Row("b".into(), 2));
        t.put(Row("a".into(), 3));
        let rows: Vec<_> = t.iter().cloned().collect();
        assert_eq!(rows, [Row("a".into(), 3), Row("b".into(), 2)]);
        assert_eq!(t.update("b", |r| r.1 += 1), Some(()));
        assert_eq!(t.remove("a"), Some(Row("a".into(), 3)));
        assert!(!t.contains("a") && t.get("b") == Some(&Row("b".into(), 3)));
        let id = t.fresh_id("x_", "seed");
        assert!(id.starts_with("x_") && id.len() == 34, "{id}");
        let all: Vec<_> = (0..25).map(|i| Row(i.to_string(), i)).collect();
        let p = page(all.iter().filter(|r| r.1 % 2 == 0), 2, 5);
        assert_eq!(
            p.iter().map(|r| r.1).collect::<Vec<_>>(),
            [10, 12, 14, 16, 18]
        );
    }
}
