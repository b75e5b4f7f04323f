//! Heap allocations per signed request (issue 12: at most 1 for `sign` +
//! `form_body`), from divan's `AllocProfiler`: read the `alloc` rows. `tests/alloc_count.rs` asserts the
//! same counts with a counting allocator, so a regression fails `cargo test`.
//!
//! Run with `cargo bench --bench allocs`. The times printed here include the
//! profiler's bookkeeping; `--bench signing` has the clean timings.

mod common;

use common::{KEY, PAYMENT7_PAIRS, payment7, sign_by_hand, twenty};
use divan::{AllocProfiler, Bencher, black_box};
use qfpay::sign::SignBuffer;
use qfpay::{ClientKey, SignType};

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::Divan::default()
        .sample_count(100)
        .sample_size(100)
        .config_with_args()
        .main();
}

const TYPES: [SignType; 2] = [SignType::Md5, SignType::Sha256];

/// `qfpay::sign` alone: the canonical string goes straight into the hash.
#[divan::bench(args = TYPES)]
fn sign_7(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    b.bench_local(|| qfpay::sign(black_box(&req), &key, sign_type));
}

/// `qfpay::form_body` alone: the returned `String`.
#[divan::bench]
fn form_body_7(b: Bencher) {
    let req = payment7();
    b.bench_local(|| qfpay::form_body(black_box(&req)));
}

/// `sign` + `form_body`, everything a POST needs (≤ 1).
#[divan::bench(args = TYPES)]
fn sign_and_body_7(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    b.bench_local(|| {
        (
            qfpay::sign(black_box(&req), &key, sign_type),
            qfpay::form_body(black_box(&req)),
        )
    });
}

#[divan::bench(args = TYPES)]
fn sign_and_body_20(b: Bencher, sign_type: SignType) {
    let (req, key) = (twenty(), ClientKey::new(KEY));
    b.bench_local(|| {
        (
            qfpay::sign(black_box(&req), &key, sign_type),
            qfpay::form_body(black_box(&req)),
        )
    });
}

/// A reused `SignBuffer` — canonical string, body and signature —
/// allocates nothing once its buffers have grown (0).
#[divan::bench(args = TYPES)]
fn reused_buffer_7(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    let mut buf = SignBuffer::new();
    b.bench_local(|| {
        let _ = buf.encode(black_box(&req), None);
        (buf.signature(&key, sign_type), buf.body().len())
    });
}

#[divan::bench(args = TYPES)]
fn reused_buffer_20(b: Bencher, sign_type: SignType) {
    let (req, key) = (twenty(), ClientKey::new(KEY));
    let mut buf = SignBuffer::new();
    b.bench_local(|| {
        let _ = buf.encode(black_box(&req), None);
        (buf.signature(&key, sign_type), buf.body().len())
    });
}

/// The header value as a `String` (one allocation: the string).
#[divan::bench(args = TYPES)]
fn sign_hex_7(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    b.bench_local(|| qfpay::sign(black_box(&req), &key, sign_type).to_hex_upper());
}

/// For comparison: the hand-written `BTreeMap` signer.
#[divan::bench(args = TYPES)]
fn by_hand_btreemap_7(b: Bencher, sign_type: SignType) {
    b.bench_local(|| sign_by_hand(black_box(&PAYMENT7_PAIRS), KEY, sign_type));
}
