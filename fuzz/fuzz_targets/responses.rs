//! Response decoding: arbitrary bytes into every response type of the
//! catalogue (`qfpay::api`), `JsonResponse` and `Envelope`.
//!
//! Properties: decoding never panics; a value that decodes serialises to
//! JSON that decodes again to an equal value (what the SDK writes, it reads
//! back unchanged); and when the input is a JSON number, that number placed
//! bare in every field of every response type comes back as exactly its
//! text, its exact integer or an error naming the field (issue 18, the
//! check of `tests/responses_exact.rs`).
#![no_main]

#[path = "../../tests/exact_common/mod.rs"]
mod exact_common;

use libfuzzer_sys::fuzz_target;
use qfpay::DecodeResponse;
use qfpay::api::Customer;
use qfpay::api::{
    AddNoteResponse, BillingOrder, CustomerResult, CustomsQueryResponse, CustomsResponse,
    DataResponse, ListResponse, PayParams, PaymentIntentResponse, PaymentResponse, PreAuthResponse,
    Product, ProductResult, QueryResponse, RefundResponse, ReversalResponse, Subscription,
    SubscriptionResult, TokenIntentResponse, TradeBill, TradeRecord, WeixinOpenidResponse,
};
use qfpay::{Envelope, JsonResponse};

fn round_trip<T>(body: &[u8])
where
    T: DecodeResponse + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let Ok(value) = T::decode(body) else {
        return;
    };
    // Debug must not panic either (it is what logs and errors show).
    let _ = format!("{value:?}");
    let json = serde_json::to_vec(&value).expect("a decoded response serialises");
    let again = T::decode(&json).unwrap_or_else(|e| {
        panic!(
            "{}: its own JSON does not decode: {e}\n{}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(&json)
        )
    });
    // Equal, up to the last bit of a float: serde_json (without its
    // `float_roundtrip` feature) may read a number of more than 17
    // significant digits one ULP off, so a float kept in an untyped field
    // can move by one ULP when written and read again.
    let (a, b) = (
        serde_json::to_value(&value).expect("serialises"),
        serde_json::to_value(&again).expect("serialises"),
    );
    assert!(
        same_up_to_float_rounding(&a, &b),
        "{}: changed by a round trip through {}\n{value:?}\n{again:?}",
        std::any::type_name::<T>(),
        String::from_utf8_lossy(&json)
    );
    if !contains_float(&a) {
        assert_eq!(value, again, "{}", std::any::type_name::<T>());
    }
}

fn same_up_to_float_rounding(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => x == y || ((x - y) / x).abs() < 1e-15,
                _ => false,
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(x, y)| same_up_to_float_rounding(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_up_to_float_rounding(v, w)))
        }
        _ => a == b,
    }
}

fn contains_float(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Number(n) => n.is_f64(),
        Value::Array(a) => a.iter().any(contains_float),
        Value::Object(o) => o.values().any(contains_float),
        _ => false,
    }
}

fuzz_target!(|body: &[u8]| {
    if let Ok(text) = std::str::from_utf8(body)
        && text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
        && serde_json::from_str::<serde_json::Number>(text).is_ok()
    {
        if let Err(e) = exact_common::check_all(text) {
            panic!("{e}");
        }
    }
    round_trip::<Envelope>(body);
    round_trip::<JsonResponse>(body);
    round_trip::<PaymentResponse>(body);
    round_trip::<QueryResponse>(body);
    round_trip::<TradeRecord>(body);
    round_trip::<RefundResponse>(body);
    round_trip::<ReversalResponse>(body);
    round_trip::<AddNoteResponse>(body);
    round_trip::<PreAuthResponse>(body);
    round_trip::<WeixinOpenidResponse>(body);
    round_trip::<PaymentIntentResponse>(body);
    round_trip::<TokenIntentResponse>(body);
    round_trip::<PayParams>(body);
    round_trip::<DataResponse<CustomerResult>>(body);
    round_trip::<ListResponse<Customer>>(body);
    round_trip::<DataResponse<ProductResult>>(body);
    round_trip::<ListResponse<Product>>(body);
    round_trip::<DataResponse<SubscriptionResult>>(body);
    round_trip::<ListResponse<Subscription>>(body);
    round_trip::<DataResponse<serde_json::Value>>(body);
    round_trip::<ListResponse<BillingOrder>>(body);
    round_trip::<CustomsResponse>(body);
    round_trip::<CustomsQueryResponse>(body);
    // The statement download takes any bytes except a JSON envelope (an
    // error answer), and keeps them unchanged.
    match TradeBill::decode(body) {
        Ok(bill) => assert_eq!(bill.bytes(), body),
        Err(_) => assert!(Envelope::decode(body.trim_ascii_start()).is_ok()),
    }
});
