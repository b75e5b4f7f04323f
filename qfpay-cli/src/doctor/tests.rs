//! The doctor's test table: every mistake it knows is planted, with random
//! values, into a signature computed by this file's own plain code (md-5 and
//! sha2 directly, not the SDK or the doctor's recipes), and the diagnosis
//! must name exactly the planted cause.

use std::cell::Cell;

use md5::Md5;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sha2::{Digest, Sha256};

use super::finding::Cause;
use super::*;

/// A mistake planted by the table, with what the doctor must answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plant {
    Correct,
    EncodedForm,
    EncodedPercent,
    PlusForSpace,
    /// A literal `+` sent unencoded in a hand-built body.
    PlusLiteral,
    EmptySigned,
    EmptyUnsigned,
    Insertion,
    FoldUpper,
    FoldLower,
    LowerHex,
    HeaderMissing,
    HeaderSaysMd5,
    HeaderSaysSha256,
    HeaderUnknown,
    MchidSignedUnsent,
    MchidSentUnsigned,
    KeyNewline,
    KeyCrLf,
    KeyTrailingSpace,
    KeyLeadingSpace,
    KeyAmpKey,
    KeyAmp,
    KeyPrepended,
    KeyPrependedAmp,
    KeyOmitted,
    KeyLowerCase,
    AppCodeAsKey,
    Json {
        python: bool,
        numbers: bool,
        sorted: bool,
    },
}

const PLANTS: &[Plant] = &[
    Plant::Correct,
    Plant::EncodedForm,
    Plant::EncodedPercent,
    Plant::PlusForSpace,
    Plant::PlusLiteral,
    Plant::EmptySigned,
    Plant::EmptyUnsigned,
    Plant::Insertion,
    Plant::FoldUpper,
    Plant::FoldLower,
    Plant::LowerHex,
    Plant::HeaderMissing,
    Plant::HeaderSaysMd5,
    Plant::HeaderSaysSha256,
    Plant::HeaderUnknown,
    Plant::MchidSignedUnsent,
    Plant::MchidSentUnsigned,
    Plant::KeyNewline,
    Plant::KeyCrLf,
    Plant::KeyTrailingSpace,
    Plant::KeyLeadingSpace,
    Plant::KeyAmpKey,
    Plant::KeyAmp,
    Plant::KeyPrepended,
    Plant::KeyPrependedAmp,
    Plant::KeyOmitted,
    Plant::KeyLowerCase,
    Plant::AppCodeAsKey,
    Plant::Json {
        python: false,
        numbers: false,
        sorted: false,
    },
    Plant::Json {
        python: false,
        numbers: true,
        sorted: true,
    },
    Plant::Json {
        python: true,
        numbers: false,
        sorted: true,
    },
    Plant::Json {
        python: true,
        numbers: true,
        sorted: false,
    },
];

impl Plant {
    fn causes(self) -> Vec<Cause> {
        let cause = match self {
            // Lower-case hex is a note on a correct signature (`diagnose`).
            Plant::Correct | Plant::LowerHex => return Vec::new(),
            Plant::EncodedForm | Plant::EncodedPercent => Cause::Encoded,
            Plant::PlusForSpace | Plant::PlusLiteral => Cause::PlusForSpace,
            Plant::EmptySigned | Plant::EmptyUnsigned => Cause::EmptySent,
            Plant::Insertion => Cause::Unsorted,
            Plant::FoldUpper | Plant::FoldLower => Cause::FoldedSort,
            Plant::HeaderMissing => Cause::HeaderMissing,
            Plant::HeaderSaysMd5 => Cause::HeaderSaysMd5,
            Plant::HeaderSaysSha256 => Cause::HeaderSaysSha256,
            Plant::HeaderUnknown => Cause::HeaderUnknown,
            Plant::MchidSignedUnsent => Cause::MchidSignedUnsent,
            Plant::MchidSentUnsigned => Cause::MchidSentUnsigned,
            Plant::KeyNewline
            | Plant::KeyCrLf
            | Plant::KeyTrailingSpace
            | Plant::KeyLeadingSpace => Cause::KeyPadded,
            Plant::KeyAmpKey | Plant::KeyAmp => Cause::KeyAfterSeparator,
            Plant::KeyPrepended | Plant::KeyPrependedAmp => Cause::KeyPrepended,
            Plant::KeyOmitted => Cause::KeyOmitted,
            Plant::KeyLowerCase => Cause::KeyRecased,
            Plant::AppCodeAsKey => Cause::AppCodeAsKey,
            Plant::Json { .. } => Cause::JsonSigned,
        };
        vec![cause]
    }

    /// Whether the planted mistake changes the string hashed (the others
    /// change only what is sent, the headers or the hex).
    fn changes_input(self) -> bool {
        !matches!(
            self,
            Plant::Correct
                | Plant::EmptyUnsigned
                | Plant::LowerHex
                | Plant::HeaderMissing
                | Plant::HeaderSaysMd5
                | Plant::HeaderSaysSha256
                | Plant::HeaderUnknown
        )
    }
}

/// A merchant, its credentials and a payment request, in the order the
/// program wrote the parameters.
#[derive(Clone, Debug)]
struct World {
    key: String,
    app_code: String,
    mchid: Option<String>,
    params: Vec<(String, String)>,
    sha256: bool,
    form_mode: bool,
    pick: u64,
}

fn world() -> impl Strategy<Value = World> {
    let credentials = (
        "[0-9A-F]{32}",
        "[0-9A-F]{32}",
        proptest::option::of("[A-Za-z0-9]{10,14}"),
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
    );
    let core = (
        1u32..1_000_000,
        prop::sample::select(vec!["HKD", "CNY", "USD"]),
        prop::sample::select(vec!["800101", "800201", "800208", "801512", "805801"]),
        "[A-Z0-9]{8,32}",
        (
            2020u32..2030,
            1u32..13,
            1u32..29,
            0u32..24,
            0u32..60,
            0u32..60,
        ),
    );
    let extras = (
        proptest::option::of("[a-zA-Z0-9 &=%/?#~*'()測試商品-]{1,12}"),
        proptest::option::of("[a-z0-9]{6,10}"),
        proptest::option::of("[a-z]{3,8}"),
        any::<bool>(),
        proptest::option::weighted(0.8, "[A-Z][a-z]{2,6}"),
    );
    (credentials, core, extras).prop_flat_map(
        |(
            (key, app_code, mchid, sha256, form_mode, pick),
            (txamt, currency, pay_type, out_trade_no, (y, mo, d, h, mi, s)),
            (goods_name, udid, notify, outlet, custom),
        )| {
            let mut params = vec![
                ("txamt".to_owned(), txamt.to_string()),
                ("txcurrcd".to_owned(), currency.to_owned()),
                ("pay_type".to_owned(), pay_type.to_owned()),
                ("out_trade_no".to_owned(), out_trade_no),
                (
                    "txdtm".to_owned(),
                    format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"),
                ),
            ];
            if let Some(g) = goods_name {
                params.push(("goods_name".to_owned(), g));
            }
            if let Some(u) = udid {
                params.push(("udid".to_owned(), u));
            }
            if let Some(n) = notify {
                params.push((
                    "notify_url".to_owned(),
                    format!("https://shop.example/{n}?id=7"),
                ));
            }
            if outlet {
                params.push(("outlet_id".to_owned(), "S01".to_owned()));
            }
            if let Some(c) = custom {
                params.push((c, "x".to_owned()));
            }
            (
                Just(params).prop_shuffle(),
                Just((key, app_code, mchid, sha256, form_mode, pick)),
            )
                .prop_map(
                    |(params, (key, app_code, mchid, sha256, form_mode, pick))| World {
                        key,
                        app_code,
                        mchid,
                        params,
                        sha256,
                        form_mode,
                        pick,
                    },
                )
        },
    )
}

fn hex_digest(sha256: bool, input: &[u8]) -> String {
    if sha256 {
        hex::encode_upper(Sha256::digest(input))
    } else {
        hex::encode_upper(Md5::digest(input))
    }
}

/// `encodeURIComponent`, written out.
fn uri_component(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A JSON string, compact (`serde_json`) or Python `json.dumps` style
/// (`ensure_ascii`: `\uXXXX` in lower-case hex beyond printable ASCII).
fn json_string(value: &str, python: bool) -> String {
    if !python {
        return serde_json::to_string(value).unwrap();
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// What the program sent and the header and signature it sent with them.
struct Planted {
    /// Pairs as the server decodes them, in the order sent.
    sent: Vec<SentParam>,
    signature: String,
    header: Option<String>,
    mchid_given: Option<String>,
    /// The string QFPay signs (for spotting plants that change nothing).
    rule_input: String,
    planted_input: String,
}

fn plant(world: &World, plant: Plant) -> Planted {
    let mut program = world.params.clone();
    let pick = world.pick as usize;
    // Plant-specific changes to what the program holds.
    if plant == Plant::PlusLiteral {
        program.retain(|(n, _)| n != "goods_name");
        program.insert(
            pick % (program.len() + 1),
            ("goods_name".into(), "a+b".into()),
        );
    }
    if matches!(plant, Plant::EmptySigned | Plant::EmptyUnsigned) {
        for (i, name) in ["limit_pay", "goods_info"]
            .iter()
            .enumerate()
            .take(1 + pick % 2)
        {
            let at = (pick >> (8 * i)) % (program.len() + 1);
            program.insert(at, ((*name).to_owned(), String::new()));
        }
    }
    let mchid_given = match plant {
        Plant::MchidSignedUnsent => {
            Some(world.mchid.clone().unwrap_or_else(|| "ZaMVg12345".into()))
        }
        _ => world.mchid.clone(),
    };
    // The program sends its mchid when it has one, except where planted otherwise.
    let mut body_pairs = program.clone();
    if let Some(m) = &mchid_given
        && plant != Plant::MchidSignedUnsent
    {
        body_pairs.insert(pick % (body_pairs.len() + 1), ("mchid".into(), m.clone()));
    }
    if plant == Plant::MchidSentUnsigned && mchid_given.is_none() {
        body_pairs.push(("mchid".into(), "Q1w2E3r4T5".into()));
    }
    // What the server decodes from the body.
    let sent: Vec<SentParam> = if world.form_mode || plant == Plant::PlusLiteral {
        let body = body_pairs
            .iter()
            .map(|(n, v)| {
                let v = if plant == Plant::PlusLiteral && n == "goods_name" {
                    v.clone() // written by hand, `+` unencoded
                } else {
                    form_urlencoded::byte_serialize(v.as_bytes()).collect()
                };
                format!("{n}={v}")
            })
            .collect::<Vec<_>>()
            .join("&");
        match parse_form(&body) {
            Ok(params) => params,
            Err(e) => panic!("{e}"),
        }
    } else {
        body_pairs
            .iter()
            .map(|(n, v)| SentParam {
                name: n.clone(),
                value: v.clone(),
                raw_value: v.clone(),
            })
            .collect()
    };

    // What the program signed: its own pairs (raw values), in its order.
    let mut signed: Vec<(String, String)> = match plant {
        Plant::MchidSentUnsigned => program.clone(),
        Plant::MchidSignedUnsent => {
            let mut p = program.clone();
            p.push(("mchid".into(), mchid_given.clone().unwrap_or_default()));
            p
        }
        _ => body_pairs.clone(),
    };
    if plant == Plant::MchidSentUnsigned {
        signed.retain(|(n, _)| n != "mchid");
    }
    if plant != Plant::EmptySigned {
        signed.retain(|(_, v)| !v.is_empty());
    }
    match plant {
        Plant::Insertion | Plant::Json { sorted: false, .. } => {}
        Plant::FoldUpper => signed.sort_by_key(|(n, _)| n.to_uppercase()),
        Plant::FoldLower => signed.sort_by_key(|(n, _)| n.to_lowercase()),
        _ => signed.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes())),
    }
    let text = if let Plant::Json {
        python, numbers, ..
    } = plant
    {
        let (comma, colon) = if python { (", ", ": ") } else { (",", ":") };
        let members: Vec<String> = signed
            .iter()
            .map(|(n, v)| {
                let value = match v.parse::<u64>() {
                    Ok(x) if numbers && x.to_string() == *v => v.clone(),
                    _ => json_string(v, python),
                };
                format!("{}{colon}{value}", json_string(n, python))
            })
            .collect();
        format!("{{{}}}", members.join(comma))
    } else {
        signed
            .iter()
            .map(|(n, v)| {
                let v = match plant {
                    Plant::EncodedForm => form_urlencoded::byte_serialize(v.as_bytes()).collect(),
                    Plant::EncodedPercent => uri_component(v),
                    Plant::PlusForSpace => v.replace(' ', "+"),
                    _ => v.clone(),
                };
                format!("{n}={v}")
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let key = &world.key;
    let planted_input = match plant {
        Plant::KeyNewline => format!("{text}{key}\n"),
        Plant::KeyCrLf => format!("{text}{key}\r\n"),
        Plant::KeyTrailingSpace => format!("{text}{key} "),
        Plant::KeyLeadingSpace => format!("{text} {key}"),
        Plant::KeyAmpKey => format!("{text}&key={key}"),
        Plant::KeyAmp => format!("{text}&{key}"),
        Plant::KeyPrepended => format!("{key}{text}"),
        Plant::KeyPrependedAmp => format!("{key}&{text}"),
        Plant::KeyOmitted => text,
        Plant::KeyLowerCase => format!("{text}{}", key.to_lowercase()),
        Plant::AppCodeAsKey => format!("{text}{}", world.app_code),
        _ => format!("{text}{key}"),
    };
    let mut rule: Vec<&SentParam> = sent.iter().filter(|p| !p.value.is_empty()).collect();
    rule.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    let rule_text: Vec<String> = rule
        .iter()
        .map(|p| format!("{}={}", p.name, p.value))
        .collect();
    let rule_input = format!("{}{key}", rule_text.join("&"));

    let sha256 = match plant {
        Plant::HeaderMissing | Plant::HeaderSaysMd5 => true,
        Plant::HeaderSaysSha256 => false,
        _ => world.sha256,
    };
    let mut signature = hex_digest(sha256, planted_input.as_bytes());
    if plant == Plant::LowerHex {
        signature = signature.to_ascii_lowercase();
    }
    let header = match plant {
        Plant::HeaderMissing => None,
        Plant::HeaderSaysMd5 => Some("MD5".to_owned()),
        Plant::HeaderSaysSha256 => Some(["SHA256", "sha256", "SHA-256"][pick % 3].to_owned()),
        Plant::HeaderUnknown => {
            Some(["HMAC-SHA256", "SHA1", "SHA-512", "sha_256"][pick % 4].to_owned())
        }
        _ if sha256 => Some(["SHA256", "sha256", "SHA-256"][pick % 3].to_owned()),
        _ => [None, Some("MD5".to_owned())][pick % 2].clone(),
    };
    Planted {
        sent,
        signature,
        header,
        mchid_given,
        rule_input,
        planted_input,
    }
}

#[test]
fn every_planted_mistake_is_diagnosed_as_planted() {
    let config = Config {
        cases: 1500,
        max_global_rejects: 20_000,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let diagnosed = Cell::new(0usize);
    let ambiguous = Cell::new(0usize);
    let counts = std::cell::RefCell::new(vec![0usize; PLANTS.len()]);
    let result = runner.run(&(world(), 0..PLANTS.len()), |(world, index)| {
        let planted_kind = PLANTS[index];
        let planted = plant(&world, planted_kind);
        // A mistake that changes nothing for these values cannot be seen.
        prop_assume!(!planted_kind.changes_input() || planted.planted_input != planted.rule_input);
        let case = Case {
            sent: Sent {
                params: &planted.sent,
                mchid: planted.mchid_given.as_deref(),
                app_code: Some(&world.app_code),
                key: &world.key,
            },
            signature: &planted.signature,
            sign_type_header: planted.header.as_deref(),
        };
        let diagnosis = diagnose(&case);
        let expected = planted_kind.causes();
        let noted_lower_hex = diagnosis.notes.iter().any(|n| n.cause() == Cause::LowerHex);
        prop_assert_eq!(
            noted_lower_hex,
            planted_kind == Plant::LowerHex,
            "{:?}",
            planted_kind
        );
        if expected.is_empty() {
            prop_assert_eq!(&diagnosis.outcome, &Outcome::Correct, "{:?}", planted_kind);
        } else {
            let found = diagnosis.causes();
            prop_assert!(
                found.contains(&expected),
                "planted {:?}, diagnosed {:?}\n{}",
                planted_kind,
                found,
                report(&diagnosis)
            );
            if found.len() > 1 {
                ambiguous.set(ambiguous.get() + 1);
            }
        }
        diagnosed.set(diagnosed.get() + 1);
        counts.borrow_mut()[index] += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let diagnosed = diagnosed.get();
    assert!(diagnosed >= 1200, "only {diagnosed} cases ran");
    // Ambiguity (two mistakes giving the very same string) is reported
    // honestly, but must stay the exception.
    assert!(
        ambiguous.get() * 50 <= diagnosed,
        "{} ambiguous",
        ambiguous.get()
    );
    for (plant, count) in PLANTS.iter().zip(counts.into_inner()) {
        assert!(count >= 10, "{plant:?} planted only {count} times");
    }
}
