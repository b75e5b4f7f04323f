//! Which of the pairs a request writes go on the wire — and so into the
//! signature. The rules of reference §5.1 about *what* is sent live here
//! once: empty values are left out, the client's extra pair (`mchid`) joins
//! at its sorted place and may not repeat a request's own, a refused value
//! stops the request. How the pairs are then written is the business of the
//! canonical string (`sign::canonical`) and of the form body (`form`), which
//! both receive exactly what passes through [`WirePairs`].

use std::borrow::Cow;

use crate::endpoint::WriteParams;
use crate::param::PairSink;
use crate::param_error::{DuplicateParam, EncodeError, InvalidParam};

/// Filters the pairs a request writes down to those sent, passing them on to `out`.
pub(crate) struct WirePairs<'x, S> {
    out: S,
    keep_empty: bool,
    extra: Option<(&'static str, &'x str)>,
    error: Option<EncodeError>,
    #[cfg(debug_assertions)]
    order: OrderCheck,
}

impl<'x, S: PairSink> WirePairs<'x, S> {
    /// Sends the pairs that go on the wire to `out`.
    pub(crate) fn new(out: S) -> Self {
        WirePairs {
            out,
            keep_empty: false,
            extra: None,
            error: None,
            #[cfg(debug_assertions)]
            order: OrderCheck::default(),
        }
    }

    /// Keeps pairs with an empty value (see `SignBuffer::keep_empty_values`).
    pub(crate) fn keep_empty(mut self, keep: bool) -> Self {
        self.keep_empty = keep;
        self
    }

    /// A pair the client adds (`("mchid", value)`), merged at its sorted place.
    pub(crate) fn with_extra(mut self, extra: Option<(&'static str, &'x str)>) -> Self {
        self.extra = extra;
        self
    }

    /// Writes the extra pair if no request pair came after it, and gives back
    /// the output with the first reason the request cannot be sent, if any.
    pub(crate) fn finish(mut self) -> (S, Result<(), EncodeError>) {
        if let Some((name, value)) = self.extra.take() {
            self.send(name, value);
        }
        let result = match self.error {
            Some(error) => Err(error),
            None => Ok(()),
        };
        (self.out, result)
    }

    #[inline]
    fn send(&mut self, name: &str, value: &str) {
        if value.is_empty() && !self.keep_empty {
            return;
        }
        #[cfg(debug_assertions)]
        self.order.check(name);
        self.out.pair(name, value);
    }

    fn fail(&mut self, error: EncodeError) {
        // The first reason is the one reported.
        self.error.get_or_insert(error);
    }
}

impl<S: PairSink> PairSink for WirePairs<'_, S> {
    #[inline]
    fn pair(&mut self, name: &str, value: &str) {
        if let Some((extra_name, extra_value)) = self.extra {
            if extra_name < name {
                self.extra = None;
                self.send(extra_name, extra_value);
            } else if extra_name == name {
                self.fail(DuplicateParam { name: extra_name }.into());
            }
        }
        self.send(name, value);
    }

    fn reject(&mut self, name: &'static str, reason: Cow<'static, str>) {
        self.fail(InvalidParam { name, reason }.into());
    }
}

/// Two outputs fed the same pairs (the canonical string and the form body).
pub(crate) struct Both<A, B>(pub(crate) A, pub(crate) B);

impl<A: PairSink, B: PairSink> PairSink for Both<A, B> {
    fn pair(&mut self, name: &str, value: &str) {
        self.0.pair(name, value);
        self.1.pair(name, value);
    }
}

/// Room to reserve for a text written from a `P`, so that a typical request
/// is written without growing its `String`.
pub(crate) fn text_estimate<P: WriteParams + ?Sized>() -> usize {
    24 * P::PARAM_NAMES.len() + 96
}

/// Debug builds check that names arrive in increasing byte order, as
/// [`WriteParams`] promises and signing relies on (nothing re-sorts). It
/// must not allocate, so that allocation counts are the same in every
/// profile: names are compared by their first `PREFIX` bytes.
#[cfg(debug_assertions)]
struct OrderCheck {
    last: [u8; OrderCheck::PREFIX],
    len: usize,
}

#[cfg(debug_assertions)]
impl Default for OrderCheck {
    fn default() -> Self {
        OrderCheck {
            last: [0; Self::PREFIX],
            len: 0,
        }
    }
}

#[cfg(debug_assertions)]
impl OrderCheck {
    const PREFIX: usize = 64;

    fn check(&mut self, name: &str) {
        let name = name.as_bytes();
        let last = &self.last[..self.len];
        debug_assert!(
            last <= &name[..name.len().min(last.len())],
            "parameters must be written in increasing name order: `{}` after `{}`",
            String::from_utf8_lossy(name),
            String::from_utf8_lossy(last),
        );
        self.len = name.len().min(Self::PREFIX);
        self.last[..self.len].copy_from_slice(&name[..self.len]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::RawParams;

    #[derive(Default)]
    struct Collect(Vec<String>);
    impl PairSink for Collect {
        fn pair(&mut self, name: &str, value: &str) {
            self.0.push(format!("{name}={value}"));
        }
    }

    fn sent(
        pairs: &[(&str, &str)],
        extra: Option<(&'static str, &str)>,
        keep_empty: bool,
    ) -> (Vec<String>, Result<(), EncodeError>) {
        let params = RawParams::from_pairs(pairs.iter().copied());
        let mut wire = WirePairs::new(Collect::default())
            .keep_empty(keep_empty)
            .with_extra(extra);
        params.write_params(&mut wire);
        let (out, result) = wire.finish();
        (out.0, result)
    }

    #[test]
    fn empty_values_are_left_out_unless_kept() {
        let pairs = [("a", ""), ("b", "x")];
        assert_eq!(sent(&pairs, None, false).0, ["b=x"]);
        assert_eq!(sent(&pairs, None, true).0, ["a=", "b=x"]);
        assert_eq!(sent(&[], Some(("mchid", "")), false).0, [] as [&str; 0]);
    }

    #[test]
    fn the_extra_pair_joins_at_its_sorted_place() {
        let pairs = [("a", "1"), ("z", "2")];
        for (extra, expected) in [
            ("0", ["0=v", "a=1", "z=2"]),
            ("mchid", ["a=1", "mchid=v", "z=2"]),
            ("zz", ["a=1", "z=2", "zz=v"]),
        ] {
            let (out, result) = sent(&pairs, Some((extra, "v")), false);
            assert_eq!(out, expected);
            assert_eq!(result, Ok(()));
        }
    }

    #[test]
    fn a_repeated_extra_pair_and_a_rejection_are_errors() {
        let (_, result) = sent(&[("mchid", "X")], Some(("mchid", "M1")), false);
        assert_eq!(
            result,
            Err(EncodeError::Duplicate(DuplicateParam { name: "mchid" }))
        );
        let mut wire = WirePairs::new(Collect::default());
        wire.reject("txamt", "must be positive".into());
        wire.reject("udid", "too long".into());
        assert!(matches!(
            wire.finish().1,
            Err(EncodeError::Rejected(InvalidParam { name: "txamt", .. }))
        ));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "increasing name order")]
    fn names_out_of_order_fail_loudly_in_debug_builds() {
        let mut wire = WirePairs::new(Collect::default());
        wire.pair("b", "1");
        wire.pair("a", "1");
    }
}
