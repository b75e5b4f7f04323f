//! `qfpay verify-notification`: check `X-QF-SIGN` against a raw body with
//! `qfpay::notify::verify`, and summarise the typed event.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use qfpay::notify::{self, Notification, NotifyError};

use crate::failure::{Failure, chain};
use crate::key::KeyArgs;
use crate::output::write_stdout;

/// Arguments of `qfpay verify-notification`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Check a notification's X-QF-SIGN against its raw body and summarise the event",
    long_about = "Check a notification's X-QF-SIGN against its raw body and summarise the event.\n\n\
QFPay signs a notification with upper-case hex MD5(raw body ‖ client key). The body must be the \
bytes exactly as received — JSON that was parsed and serialised again (other spacing, escapes or \
key order) no longer matches. The check and the parsing are the SDK's qfpay::notify::verify.",
    after_help = "Examples:\n  \
qfpay verify-notification --key-file key.txt --signature 29B26554D9F1B1DAA15B2F95E3DF3976 body.json\n  \
pbpaste | qfpay verify-notification --signature 29B26554D9F1B1DAA15B2F95E3DF3976\n\n\
Exit codes: 0 valid (summary printed); 1 missing, malformed or mismatching signature, or a \
validly signed body that is not a notification; 2 bad arguments or no key; 3 unreadable file or \
standard input."
)]
pub struct VerifyArgs {
    #[command(flatten)]
    key: KeyArgs,

    /// The X-QF-SIGN header of the notification: 32 hex digits (MD5), either
    /// case. 64 digits are read but never match: QFPay signs notifications
    /// with MD5 only.
    #[arg(long, value_name = "HEX")]
    signature: String,

    /// File with the raw body as received; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

/// Reads at most `notify::MAX_BODY + 1` bytes: enough for `verify` to
/// refuse an oversized body without holding all of it.
fn read_body(file: Option<&PathBuf>) -> Result<Vec<u8>, Failure> {
    let limit = u64::try_from(notify::MAX_BODY)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut body = Vec::new();
    match file.filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            let f = std::fs::File::open(path)
                .map_err(|e| Failure::io(format!("cannot read `{}`: {e}", path.display())))?;
            f.take(limit)
                .read_to_end(&mut body)
                .map_err(|e| Failure::io(format!("cannot read `{}`: {e}", path.display())))?;
        }
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!(
                    "qfpay: reading the notification body from standard input (end with Ctrl-D)"
                );
            }
            stdin
                .lock()
                .take(limit)
                .read_to_end(&mut body)
                .map_err(|e| Failure::io(format!("cannot read standard input: {e}")))?;
        }
    }
    Ok(body)
}

/// Runs `qfpay verify-notification`.
pub fn run(args: VerifyArgs) -> Result<(), Failure> {
    let key = args.key.resolve()?;
    let body = read_body(args.file.as_ref())?;
    match notify::verify(&body, Some(args.signature.as_str()), &key) {
        Ok(event) => write_stdout(&summary(&event)),
        Err(error) => {
            let mut message = format!("invalid notification: {}", chain(&error));
            if matches!(error, NotifyError::BadSignature) {
                if let Some(hint) = trailing_newline_hint(&body, &args.signature, &key) {
                    message.push_str("; ");
                    message.push_str(hint);
                }
            } else if error.is_authentic() {
                message.push_str(" (the signature itself is valid: the body is QFPay's)");
            }
            Err(Failure::failed(message))
        }
    }
}

/// A saved body often gains a final newline QFPay never sent.
fn trailing_newline_hint(
    body: &[u8],
    signature: &str,
    key: &qfpay::ClientKey,
) -> Option<&'static str> {
    let trimmed = body
        .strip_suffix(b"\r\n")
        .or_else(|| body.strip_suffix(b"\n"))?;
    notify::verify_signature(trimmed, Some(signature), key).ok()?;
    Some(
        "it matches the body without its final line break: the file has a newline that QFPay did not send (strip it)",
    )
}

fn line(out: &mut String, label: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "{label:<13}{value}");
}

fn described(code: &str, description: Option<&str>) -> String {
    match description {
        Some(d) => format!("{code} ({d})"),
        None => code.to_owned(),
    }
}

/// A short, line-per-field summary of a verified event.
fn summary(event: &Notification) -> String {
    let mut out = String::new();
    line(
        &mut out,
        "valid",
        "X-QF-SIGN matches MD5(body + client key)",
    );
    line(
        &mut out,
        "notify_type",
        event.notify_type().unwrap_or("(none)"),
    );
    match event {
        Notification::Payment(n) => {
            trade(
                &mut out,
                &n.syssn,
                &n.out_trade_no,
                n.txamt,
                &n.txcurrcd,
                &n.pay_type,
                &n.respcd,
                n.paydtm.as_ref(),
                n.mchid.as_deref(),
            );
            line(
                &mut out,
                "cancel",
                described(n.cancel.as_str(), n.cancel.description()),
            );
        }
        Notification::Refund(n) => {
            trade(
                &mut out,
                &n.syssn,
                &n.out_trade_no,
                n.txamt,
                &n.txcurrcd,
                &n.pay_type,
                &n.respcd,
                n.paydtm.as_ref(),
                n.mchid.as_deref(),
            );
            if let Some(orig) = &n.orig_syssn {
                line(&mut out, "orig_syssn", orig);
            }
        }
        Notification::PreAuth(n) => {
            trade(
                &mut out,
                &n.syssn,
                &n.out_trade_no,
                n.txamt,
                &n.txcurrcd,
                &n.pay_type,
                &n.respcd,
                n.paydtm.as_ref(),
                n.mchid.as_deref(),
            );
        }
        Notification::PaymentToken(n) => {
            line(&mut out, "tokenid", &n.tokenid);
            line(&mut out, "event", n.event.as_str());
            line(
                &mut out,
                "card",
                format!("{} {}", n.card_scheme, n.cardcd).trim(),
            );
            line(
                &mut out,
                "respcd",
                described(n.respcd.as_str(), n.respcd.description()),
            );
        }
        Notification::Subscription(n) => {
            line(&mut out, "subscription", &n.subscription_id);
            line(&mut out, "state", n.state.as_str());
        }
        Notification::SubscriptionPayment(n) => {
            line(&mut out, "subscription", &n.subscription_id);
            line(&mut out, "order", &n.subscription_order_id);
            if let Some(syssn) = &n.syssn {
                line(&mut out, "syssn", syssn);
            }
            line(&mut out, "amount", format!("{} {}", n.txamt, n.txcurrcd));
            line(
                &mut out,
                "respcd",
                described(n.respcd.as_str(), n.respcd.description()),
            );
            line(&mut out, "success", n.is_success());
        }
        Notification::Other { raw, .. } => {
            line(
                &mut out,
                "typed",
                "no (unknown notify_type or a missing field); raw fields below",
            );
            if let Some(map) = raw.as_object() {
                for (name, value) in map {
                    let text = match value {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    line(&mut out, &format!("  {name}"), text);
                }
            }
        }
        // `Notification` is non-exhaustive: a variant added later still verifies.
        _ => {}
    }
    if let Some((syssn, notify_type)) = event.dedup_key() {
        line(&mut out, "dedup key", format!("{syssn} + {notify_type}"));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn trade(
    out: &mut String,
    syssn: &qfpay::types::Syssn,
    out_trade_no: &qfpay::types::OutTradeNo,
    txamt: qfpay::types::Amount,
    txcurrcd: &qfpay::types::Currency,
    pay_type: &qfpay::types::PayType,
    respcd: &qfpay::types::RespCode,
    paydtm: Option<&qfpay::types::TradeTime>,
    mchid: Option<&str>,
) {
    line(out, "syssn", syssn);
    line(out, "out_trade_no", out_trade_no);
    line(out, "amount", format!("{txamt} {txcurrcd} (minor units)"));
    line(
        out,
        "pay_type",
        described(pay_type.as_str(), pay_type.description()),
    );
    line(
        out,
        "respcd",
        described(respcd.as_str(), respcd.description()),
    );
    if let Some(paydtm) = paydtm {
        line(out, "paydtm", paydtm);
    }
    if let Some(mchid) = mchid {
        line(out, "mchid", mchid);
    }
}
