//! Requests and reference signers shared by the signing benches, the Python
//! comparison and `tests/alloc_count.rs` (included there with `#[path]`).
//!
//! Every bench binary uses a different subset.
#![allow(dead_code)]

use std::collections::BTreeMap;

use md5::{Digest, Md5};
use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
use qfpay::{SignType, qf_endpoint};
use sha2::Sha256;

/// The client key of reference §5.1's examples.
pub const KEY: &str = "0E32A59A8B454940A2FF3900C1D2E3F4";

/// Seven parameters, as a CPM payment sends them.
#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Payment7 {
    pub txamt: Amount,
    pub txcurrcd: Currency,
    pub pay_type: PayType,
    pub out_trade_no: OutTradeNo,
    pub txdtm: TradeTime,
    pub auth_code: String,
    pub goods_name: String,
}

/// The same seven parameters as text, in the order a user would write them
/// (the Python comparison feeds exactly these to `make_req_sign`).
pub const PAYMENT7_PAIRS: [(&str, &str); 7] = [
    ("txamt", "2200"),
    ("txcurrcd", "HKD"),
    ("pay_type", "800208"),
    ("out_trade_no", "20191225142128000123ABCDEFGHIJKL"),
    ("txdtm", "2019-12-25 14:21:28"),
    ("auth_code", "134857901234588557"),
    ("goods_name", "qfpay"),
];

pub fn payment7() -> Payment7 {
    let get = |name: &str| {
        PAYMENT7_PAIRS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    };
    Payment7 {
        txamt: get("txamt").parse().unwrap_or(Amount::new(2200)),
        txcurrcd: Currency::from_code(get("txcurrcd")),
        pay_type: PayType::from_code(get("pay_type")),
        out_trade_no: OutTradeNo::new(get("out_trade_no"))
            .unwrap_or_else(|_| OutTradeNo::generate()),
        txdtm: TradeTime::parse(get("txdtm")).unwrap_or_else(|_| TradeTime::now()),
        auth_code: get("auth_code").into(),
        goods_name: get("goods_name").into(),
    }
}

/// Twenty parameters: ten strings, five integers, five optional strings.
#[qf_endpoint(path = "/bench/twenty", method = "POST")]
pub struct Twenty {
    pub p01: String,
    pub p02: String,
    pub p03: String,
    pub p04: String,
    pub p05: String,
    pub p06: String,
    pub p07: String,
    pub p08: String,
    pub p09: String,
    pub p10: String,
    pub p11: u64,
    pub p12: u64,
    pub p13: u64,
    pub p14: u64,
    pub p15: u64,
    pub p16: Option<String>,
    pub p17: Option<String>,
    pub p18: Option<String>,
    pub p19: Option<String>,
    pub p20: Option<String>,
}

pub fn twenty() -> Twenty {
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

/// The canonical bytes alone, into a reused buffer, no hash: what producing
/// the string to hash costs at least (value formatting and copying). Used
/// to show how much of `sign`'s overhead over the bare hash is unavoidable.
pub struct CopySink(pub Vec<u8>);

impl qfpay::PairSink for CopySink {
    #[inline]
    fn pair(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        if !self.0.is_empty() {
            self.0.push(b'&');
        }
        self.0.extend_from_slice(name.as_bytes());
        self.0.push(b'=');
        self.0.extend_from_slice(value.as_bytes());
    }
}

/// Writes `params`' canonical bytes into `sink` (cleared first).
#[inline]
pub fn encode_only<P: qfpay::WriteParams>(params: &P, sink: &mut CopySink) -> usize {
    sink.0.clear();
    params.write_params(sink);
    sink.0.len()
}

/// The floor: `hash(canonical ‖ key)` with the same hash crates qfpay uses.
#[inline]
pub fn bare_hash(sign_type: SignType, canonical: &[u8], key: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    match sign_type {
        SignType::Md5 => {
            let mut h = Md5::new();
            h.update(canonical);
            h.update(key);
            out[..16].copy_from_slice(&h.finalize());
        }
        SignType::Sha256 => {
            let mut h = Sha256::new();
            h.update(canonical);
            h.update(key);
            out.copy_from_slice(&h.finalize());
        }
    }
    out
}

/// The seven values as a user's own code holds them before signing by hand:
/// the amount an integer, the time a date-time (`time`, as qfpay uses).
pub struct UserPayment {
    pub txamt: u64,
    pub txcurrcd: &'static str,
    pub pay_type: &'static str,
    pub out_trade_no: String,
    pub txdtm: time::PrimitiveDateTime,
    pub auth_code: String,
    pub goods_name: String,
}

pub fn user_payment() -> UserPayment {
    let p = payment7();
    UserPayment {
        txamt: p.txamt.minor_units(),
        txcurrcd: "HKD",
        pay_type: "800208",
        out_trade_no: p.out_trade_no.as_str().to_owned(),
        txdtm: p
            .txdtm
            .to_primitive()
            .unwrap_or(time::PrimitiveDateTime::MIN),
        auth_code: p.auth_code.clone(),
        goods_name: p.goods_name.clone(),
    }
}

/// How a hand-written signer turns the digest into hex.
#[derive(Clone, Copy)]
pub enum HandHex {
    /// `hex::encode_upper`: a crate made for it.
    Crate,
    /// `format!("{:02X}")` per byte, collected: no extra dependency, the way
    /// most hand-written signers do it. With it the signer costs 4.7× a
    /// bare MD5 and 12.6× a bare SHA-256 here, which is the reference issue 7
    /// describes ("about 4.5× … and 11×").
    Format,
}

/// What a user writes by hand from the documentation: a `BTreeMap<String,
/// String>` filled from the request's values, `format!`, join, hash, hex.
///
/// The values arrive as text here, so this does less work than a real one
/// (which also formats the amount and the time, see [`sign_by_hand_typed`]);
/// qfpay formats `txamt` itself.
pub fn sign_by_hand(pairs: &[(&str, &str)], key: &str, sign_type: SignType) -> String {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k.to_string(), v.to_string());
    }
    sign_map(&map, key, sign_type, HandHex::Crate)
}

/// The same signer fed from [`UserPayment`]: the amount with `to_string`,
/// the time with `format!` — what a real hand-written signer also does, and
/// what `qfpay::sign` does for its typed fields.
pub fn sign_by_hand_typed(p: &UserPayment, key: &str, sign_type: SignType, hex: HandHex) -> String {
    let t = &p.txdtm;
    let mut map = BTreeMap::new();
    map.insert("txamt".to_string(), p.txamt.to_string());
    map.insert("txcurrcd".to_string(), p.txcurrcd.to_string());
    map.insert("pay_type".to_string(), p.pay_type.to_string());
    map.insert("out_trade_no".to_string(), p.out_trade_no.clone());
    map.insert(
        "txdtm".to_string(),
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
    );
    map.insert("auth_code".to_string(), p.auth_code.clone());
    map.insert("goods_name".to_string(), p.goods_name.clone());
    sign_map(&map, key, sign_type, hex)
}

fn sign_map(
    map: &BTreeMap<String, String>,
    key: &str,
    sign_type: SignType,
    hex: HandHex,
) -> String {
    let joined = map
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let input = format!("{joined}{key}");
    let to_hex = |digest: &[u8]| match hex {
        HandHex::Crate => hex::encode_upper(digest),
        HandHex::Format => digest.iter().map(|b| format!("{b:02X}")).collect(),
    };
    match sign_type {
        SignType::Md5 => to_hex(&Md5::digest(input.as_bytes())),
        SignType::Sha256 => to_hex(&Sha256::digest(input.as_bytes())),
    }
}
