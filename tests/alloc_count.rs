//! Heap allocations per signed request (issue 12: at most 1 for `sign` +
//! `form_body`), counted exactly.
//!
//! A counting global allocator (per binary, so this is a test file of its
//! own) counts the allocations made by the current thread between two
//! points; the tests run in parallel threads, each counting only its own.
//! Counts are not timings: they are the same on every machine and profile,
//! so they are asserted here and fail `cargo test` when they regress.

#[path = "../benches/common/mod.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::{KEY, payment7, twenty};
use qfpay::api::Payment;
use qfpay::sign::SignBuffer;
use qfpay::types::{Amount, Currency, GoodsName, OutTradeNo, PayType, TradeTime, Udid};
use qfpay::{ClientKey, SignType};

struct Counting;

thread_local! {
    // `const`, no destructor: touching it never allocates.
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A reallocation is an allocation too (a grown buffer).
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations `f` makes on this thread (its result is dropped afterwards,
/// outside the count).
fn allocations<R>(f: impl FnOnce() -> R) -> u64 {
    let before = ALLOCS.with(Cell::get);
    let result = std::hint::black_box(f());
    let after = ALLOCS.with(Cell::get);
    drop(result);
    after - before
}

const TYPES: [SignType; 2] = [SignType::Md5, SignType::Sha256];

/// The catalogue's payment with seven parameters (Alipay HK MPM).
fn catalogue_payment() -> Payment {
    Payment::builder()
        .pay_type(PayType::AlipayHkMpm)
        .txamt(Amount::new(2200))
        .txcurrcd(Currency::from_code("HKD"))
        .out_trade_no(OutTradeNo::new("20191225142128000123ABCDEFGHIJKL").unwrap())
        .txdtm(TradeTime::parse("2019-12-25 14:21:28").unwrap())
        .goods_name(GoodsName::new("qfpay").unwrap())
        .udid(Udid::new("bench-device-01").unwrap())
        .build()
}

#[test]
fn the_requests_have_the_parameters_they_claim() {
    assert_eq!(qfpay::RawParams::collect(&payment7()).pairs().len(), 7);
    assert_eq!(
        qfpay::RawParams::collect(&catalogue_payment())
            .pairs()
            .len(),
        7
    );
    assert_eq!(qfpay::RawParams::collect(&twenty()).pairs().len(), 20);
}

#[test]
fn sign_allocates_nothing() {
    let key = ClientKey::new(KEY);
    let (p7, api, p20) = (payment7(), catalogue_payment(), twenty());
    for t in TYPES {
        assert_eq!(allocations(|| qfpay::sign(&p7, &key, t)), 0, "{t:?}");
        assert_eq!(allocations(|| qfpay::sign(&api, &key, t)), 0, "{t:?}");
        assert_eq!(allocations(|| qfpay::sign(&p20, &key, t)), 0, "{t:?}");
    }
}

#[test]
fn sign_and_form_body_allocate_once() {
    // Target (issue 12): at most 1 per signed request. The body is the one `String`.
    let key = ClientKey::new(KEY);
    let (p7, api, p20) = (payment7(), catalogue_payment(), twenty());
    for t in TYPES {
        let both = |req: &dyn Fn() -> (qfpay::Signature, String)| allocations(req);
        assert_eq!(
            both(&|| (qfpay::sign(&p7, &key, t), qfpay::form_body(&p7))),
            1
        );
        assert_eq!(
            both(&|| (qfpay::sign(&api, &key, t), qfpay::form_body(&api))),
            1
        );
        assert_eq!(
            both(&|| (qfpay::sign(&p20, &key, t), qfpay::form_body(&p20))),
            1
        );
    }
    assert_eq!(allocations(|| qfpay::form_body(&p7)), 1);
    assert_eq!(allocations(|| qfpay::canonical_string(&p7)), 1);
}

#[test]
fn a_reused_sign_buffer_allocates_nothing() {
    // Target: 0 when the caller reuses a buffer. The first use grows it.
    let key = ClientKey::new(KEY);
    let (p7, api, p20) = (payment7(), catalogue_payment(), twenty());
    let mut buf = SignBuffer::new();
    let first = allocations(|| buf.encode(&p20, Some(("mchid", "M1"))).is_ok());
    assert_eq!(first, 2, "canonical string and body, once");
    for t in TYPES {
        for _ in 0..3 {
            let n = allocations(|| {
                buf.encode(&p7, None).unwrap();
                (buf.signature(&key, t), buf.body().len())
            });
            assert_eq!(n, 0, "{t:?}");
            let n = allocations(|| {
                buf.encode(&api, Some(("mchid", "M1"))).unwrap();
                (buf.signature(&key, t), buf.body().len())
            });
            assert_eq!(n, 0, "{t:?}");
            let n = allocations(|| {
                buf.encode(&p20, None).unwrap();
                (buf.signature(&key, t), buf.body().len())
            });
            assert_eq!(n, 0, "{t:?}");
            // What the client does: both texts, then the signature.
            let n = allocations(|| {
                let sig = buf.encode_signed(&api, Some(("mchid", "M1")), &key, t);
                (sig.unwrap(), buf.body().len())
            });
            assert_eq!(n, 0, "{t:?}");
        }
    }
}

#[test]
fn the_header_value_is_one_string() {
    let key = ClientKey::new(KEY);
    let p7 = payment7();
    for t in TYPES {
        assert_eq!(allocations(|| qfpay::sign(&p7, &key, t).to_hex_upper()), 1);
        assert_eq!(allocations(|| qfpay::sign(&p7, &key, t).to_string()), 1);
    }
}

#[test]
fn the_counter_sees_allocations() {
    // The harness itself: a Vec is one allocation, a BTreeMap of seven
    // owned pairs is many (the hand-written signer makes 26).
    assert_eq!(allocations(|| Vec::<u8>::with_capacity(10)), 1);
    let n = allocations(|| common::sign_by_hand(&common::PAYMENT7_PAIRS, KEY, SignType::Md5));
    assert!(n > 7, "{n}");
}
