//! Signing cost against the bare hash of the same bytes and against a
//! straightforward hand-written signer (issue 12's guards: at most 1.3× the
//! bare hash, at least 3.5× / 7× faster than the hand-written signer).
//!
//! Run with `cargo bench --bench signing`. Compare rows of one run: the
//! machine is noisy, ratios are what BENCHMARKS.md records. Heap
//! allocations are counted by `--bench allocs` (divan's `AllocProfiler`),
//! not here: the profiler's bookkeeping would slow every allocating row.

mod common;

use common::{
    HandHex, KEY, PAYMENT7_PAIRS, bare_hash, payment7, sign_by_hand, sign_by_hand_typed, twenty,
    user_payment,
};
use divan::{Bencher, black_box};
use qfpay::sign::SignBuffer;
use qfpay::{ClientKey, SignType};

fn main() {
    // Fixed sample sizes: with divan's automatic sizing a disturbed first
    // calibration can leave a row at one iteration per sample, where the
    // timer's own cost is part of the result. The command line still wins.
    divan::Divan::default()
        .sample_count(300)
        .sample_size(200)
        .config_with_args()
        .main();
}

const TYPES: [SignType; 2] = [SignType::Md5, SignType::Sha256];

/// The floor: hashing the identical canonical bytes (+ key) with the same crate.
#[divan::bench(args = TYPES)]
fn bare_hash_7(b: Bencher, sign_type: SignType) {
    let canonical = qfpay::canonical_string(&payment7());
    b.bench_local(|| bare_hash(sign_type, black_box(canonical.as_bytes()), KEY.as_bytes()));
}

/// `qfpay::sign`: encode the typed request and hash it.
#[divan::bench(args = TYPES)]
fn qfpay_sign_7(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    b.bench_local(|| qfpay::sign(black_box(&req), &key, sign_type));
}

/// Reusing one buffer, as a caller signing many requests can.
#[divan::bench(args = TYPES)]
fn qfpay_sign_7_reused_buffer(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    let mut buf = SignBuffer::new();
    b.bench_local(|| {
        let _ = buf.encode(black_box(&req), None);
        buf.signature(&key, sign_type)
    });
}

/// The `X-QF-SIGN` header value as the client makes it (`to_string()`), a
/// `String` as the hand-written signer returns.
#[divan::bench(args = TYPES)]
fn qfpay_sign_hex_7(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    b.bench_local(|| qfpay::sign(black_box(&req), &key, sign_type).to_string());
}

/// Signature and form body: everything a POST needs.
#[divan::bench(args = TYPES)]
fn qfpay_sign_and_body_7(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    b.bench_local(|| {
        (
            qfpay::sign(black_box(&req), &key, sign_type),
            qfpay::form_body(black_box(&req)),
        )
    });
}

/// What a user writes by hand from the documentation (upper-case hex out),
/// given the values already as text.
#[divan::bench(args = TYPES)]
fn by_hand_btreemap_7(b: Bencher, sign_type: SignType) {
    b.bench_local(|| sign_by_hand(black_box(&PAYMENT7_PAIRS), KEY, sign_type));
}

/// The same, formatting the amount and the time itself as a real one does.
#[divan::bench(args = TYPES)]
fn by_hand_btreemap_typed_7(b: Bencher, sign_type: SignType) {
    let user = user_payment();
    b.bench_local(|| sign_by_hand_typed(black_box(&user), KEY, sign_type, HandHex::Crate));
}

/// The same with `format!("{:02X}")` per digest byte instead of the `hex`
/// crate: issue 7's reference (about 4.5× a bare MD5, 11× a bare SHA-256).
#[divan::bench(args = TYPES)]
fn by_hand_btreemap_typed_format_hex_7(b: Bencher, sign_type: SignType) {
    let user = user_payment();
    b.bench_local(|| sign_by_hand_typed(black_box(&user), KEY, sign_type, HandHex::Format));
}

#[divan::bench(args = TYPES)]
fn bare_hash_20(b: Bencher, sign_type: SignType) {
    let canonical = qfpay::canonical_string(&twenty());
    b.bench_local(|| bare_hash(sign_type, black_box(canonical.as_bytes()), KEY.as_bytes()));
}

#[divan::bench(args = TYPES)]
fn qfpay_sign_20(b: Bencher, sign_type: SignType) {
    let (req, key) = (twenty(), ClientKey::new(KEY));
    b.bench_local(|| qfpay::sign(black_box(&req), &key, sign_type));
}

#[divan::bench(args = TYPES)]
fn qfpay_sign_20_reused_buffer(b: Bencher, sign_type: SignType) {
    let (req, key) = (twenty(), ClientKey::new(KEY));
    let mut buf = SignBuffer::new();
    b.bench_local(|| {
        let _ = buf.encode(black_box(&req), None);
        buf.signature(&key, sign_type)
    });
}

#[divan::bench(args = TYPES)]
fn qfpay_sign_hex_20(b: Bencher, sign_type: SignType) {
    let (req, key) = (twenty(), ClientKey::new(KEY));
    b.bench_local(|| qfpay::sign(black_box(&req), &key, sign_type).to_string());
}

#[divan::bench(args = TYPES)]
fn by_hand_btreemap_20(b: Bencher, sign_type: SignType) {
    let owned = qfpay::RawParams::collect(&twenty());
    let pairs: Vec<(&str, &str)> = owned
        .pairs()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.bench_local(|| sign_by_hand(black_box(&pairs), KEY, sign_type));
}
