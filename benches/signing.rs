//! Signing cost against the bare hash of the same bytes, against a
//! straightforward hand-written signer, and heap allocations per request.
//!
//! Run with `cargo bench --bench signing`. Compare rows of one run: the
//! machine is noisy, ratios are what BENCHMARKS.md records.

use std::collections::BTreeMap;

use divan::{AllocProfiler, Bencher, black_box};
use md5::{Digest, Md5};
use qfpay::sign::SignBuffer;
use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
use qfpay::{ClientKey, SignType, qf_endpoint};
use sha2::Sha256;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

const KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";

/// Seven parameters, as a CPM payment sends them.
#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
struct Payment7 {
    txamt: Amount,
    txcurrcd: Currency,
    pay_type: PayType,
    out_trade_no: OutTradeNo,
    txdtm: TradeTime,
    auth_code: String,
    goods_name: String,
}

#[qf_endpoint(path = "/bench/twenty", method = "POST")]
struct Twenty {
    p01: String,
    p02: String,
    p03: String,
    p04: String,
    p05: String,
    p06: String,
    p07: String,
    p08: String,
    p09: String,
    p10: String,
    p11: u64,
    p12: u64,
    p13: u64,
    p14: u64,
    p15: u64,
    p16: Option<String>,
    p17: Option<String>,
    p18: Option<String>,
    p19: Option<String>,
    p20: Option<String>,
}

fn payment7() -> Payment7 {
    Payment7 {
        txamt: Amount::new(2200),
        txcurrcd: Currency::from_code("HKD"),
        pay_type: PayType::from_code("800208"),
        out_trade_no: OutTradeNo::new("20191225142128000123ABCDEFGHIJKL")
            .unwrap_or_else(|_| OutTradeNo::generate()),
        txdtm: TradeTime::parse("2019-12-25 14:21:28").unwrap_or_else(|_| TradeTime::now()),
        auth_code: "134857901234588557".into(),
        goods_name: "qfpay".into(),
    }
}

fn twenty() -> Twenty {
    let s = |i: u32| format!("value-{i}-abcdefgh");
    Twenty {
        p01: s(1),
        p02: s(2),
        p03: s(3),
        p04: s(4),
        p05: s(5),
        p06: s(6),
        p07: s(7),
        p08: s(8),
        p09: s(9),
        p10: s(10),
        p11: 11_000,
        p12: 12_000,
        p13: 13_000,
        p14: 14_000,
        p15: 15_000,
        p16: Some(s(16)),
        p17: Some(s(17)),
        p18: Some(s(18)),
        p19: Some(s(19)),
        p20: Some(s(20)),
    }
}

fn hash(sign_type: SignType, bytes: &[u8], key: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    match sign_type {
        SignType::Md5 => {
            let mut h = Md5::new();
            h.update(bytes);
            h.update(key);
            out[..16].copy_from_slice(&h.finalize());
        }
        SignType::Sha256 => {
            let mut h = Sha256::new();
            h.update(bytes);
            h.update(key);
            out.copy_from_slice(&h.finalize());
        }
    }
    out
}

const TYPES: [SignType; 2] = [SignType::Md5, SignType::Sha256];

/// The floor: hashing the identical canonical bytes with the same crate.
#[divan::bench(args = TYPES)]
fn bare_hash_7(b: Bencher, sign_type: SignType) {
    let canonical = qfpay::canonical_string(&payment7());
    b.bench(|| hash(sign_type, black_box(canonical.as_bytes()), KEY.as_bytes()));
}

#[divan::bench(args = TYPES)]
fn qfpay_sign_7(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    b.bench(|| qfpay::sign(black_box(&req), &key, sign_type));
}

/// Reusing one buffer, as the client does: no allocation at all.
#[divan::bench(args = TYPES)]
fn qfpay_sign_7_reused_buffer(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    let mut buf = SignBuffer::new();
    b.bench_local(|| {
        let _ = buf.encode(black_box(&req), None);
        buf.signature(&key, sign_type)
    });
}

#[divan::bench(args = TYPES)]
fn qfpay_sign_and_body_7(b: Bencher, sign_type: SignType) {
    let (req, key) = (payment7(), ClientKey::new(KEY));
    b.bench(|| {
        (
            qfpay::sign(black_box(&req), &key, sign_type),
            qfpay::form_body(black_box(&req)),
        )
    });
}

/// What a user writes by hand from the documentation.
#[divan::bench(args = TYPES)]
fn by_hand_btreemap_7(b: Bencher, sign_type: SignType) {
    let req = payment7();
    let pairs = qfpay::RawParams::collect(&req);
    b.bench(|| {
        let mut map = BTreeMap::new();
        for (k, v) in black_box(pairs.pairs()) {
            map.insert(k.to_string(), v.to_string());
        }
        let joined = map
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let input = format!("{joined}{KEY}");
        match sign_type {
            SignType::Md5 => hex::encode_upper(Md5::digest(input.as_bytes())),
            SignType::Sha256 => hex::encode_upper(Sha256::digest(input.as_bytes())),
        }
    });
}

#[divan::bench(args = TYPES)]
fn bare_hash_20(b: Bencher, sign_type: SignType) {
    let canonical = qfpay::canonical_string(&twenty());
    b.bench(|| hash(sign_type, black_box(canonical.as_bytes()), KEY.as_bytes()));
}

#[divan::bench(args = TYPES)]
fn qfpay_sign_20(b: Bencher, sign_type: SignType) {
    let (req, key) = (twenty(), ClientKey::new(KEY));
    b.bench(|| qfpay::sign(black_box(&req), &key, sign_type));
}
