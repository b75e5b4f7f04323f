//! `qfpay notify send`: post one of QFPay's notifications to a receiver —
//! the body the mock sends (`qfpay_mock::NotificationBody`), signed with the
//! SDK, retried on QFPay's schedule (`qfpay_mock::post_until_acknowledged`).

use std::time::{Duration, Instant};

use clap::builder::PossibleValuesParser;
use qfpay::types::NotifyType;
use qfpay::{SignType, Signature};
use qfpay_mock::{DeliveryAttempt, NotificationBody};

use crate::args::{parse_pair, parse_timeout};
use crate::failure::Failure;
use crate::key::KeyArgs;
use crate::output::{visible, write_stdout};

/// Arguments of `qfpay notify`.
#[derive(Clone, Debug, clap::Args)]
#[command(about = "Send QFPay's asynchronous notifications to a receiver, on demand")]
pub struct NotifyArgs {
    #[command(subcommand)]
    command: NotifyCommand,
}

#[derive(Clone, Debug, clap::Subcommand)]
enum NotifyCommand {
    Send(SendArgs),
}

/// Arguments of `qfpay notify send`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Post a signed notification of any type to your receiver, retrying as QFPay does",
    long_about = "Post a signed notification of any type to your receiver, retrying as QFPay does.\n\n\
The body is exactly what QFPay (and qfpay-mock) sends: a JSON object of strings in QFPay's field \
order, written like Python's json.dumps, with fresh example values; --field changes or adds \
fields. It is signed as QFPay signs: X-QF-SIGN = upper-case hex MD5(body ‖ client key). The \
receiver acknowledges with HTTP 200 and the body SUCCESS; until then the notification is sent \
again after 2 min, 10 min, 10 min, 60 min, 2 h, 6 h and 15 h (8 attempts), a schedule that \
--retry-scale shrinks. Each attempt's time, status and answer are printed.\n\n\
--tamper sends one attempt with a wrong signature, to check that the receiver refuses forgeries.",
    after_help = "Examples:\n  \
qfpay notify send --key-file key.txt --url http://127.0.0.1:8000/qfpay/notify --type payment\n  \
qfpay notify send --url http://127.0.0.1:8000/qfpay/notify --type refund --field txamt=250 --retry-scale 0.001\n  \
qfpay notify send --url http://127.0.0.1:8000/qfpay/notify --type subscription --field state=PAST_DUE\n  \
qfpay notify send --url http://127.0.0.1:8000/qfpay/notify --type payment --tamper\n\n\
Exit codes: 0 acknowledged (with --tamper: refused); 1 never acknowledged (with --tamper: \
accepted, the receiver does not check signatures); 2 bad arguments or no key; 4 the receiver \
could not be reached at any attempt."
)]
pub struct SendArgs {
    #[command(flatten)]
    key: KeyArgs,

    /// Your receiver's URL (http:// or https://).
    #[arg(long, value_name = "URL", value_parser = parse_url)]
    url: String,

    /// The notify_type to send.
    #[arg(long = "type", value_name = "TYPE", value_parser = notify_types())]
    notify_type: String,

    /// Set a field of the body (repeatable): replaces the example value, or
    /// adds the field at the end. Example: --field txamt=250 --field mchid=M1.
    #[arg(long = "field", value_name = "NAME=VALUE", value_parser = parse_pair)]
    fields: Vec<(String, String)>,

    /// Send one attempt with a wrong X-QF-SIGN and report whether the
    /// receiver refused it (exit 1 if it answered 200 SUCCESS).
    #[arg(long)]
    tamper: bool,

    /// Multiply QFPay's retry gaps by FACTOR: 0.001 turns 2 min into 0.12 s
    /// and the whole day into 88 s; 0 retries at once.
    #[arg(long, value_name = "FACTOR", default_value = "1", value_parser = parse_scale)]
    retry_scale: f64,

    /// Stop after N attempts (QFPay makes 8).
    #[arg(long, value_name = "N", default_value = "8", value_parser = clap::value_parser!(u8).range(1..=8), conflicts_with = "tamper")]
    attempts: u8,

    /// Seconds to wait for each answer (fractions allowed).
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_timeout)]
    timeout: Duration,
}

/// The six documented `notify_type`s, from the SDK's table.
fn notify_types() -> PossibleValuesParser {
    PossibleValuesParser::new(NotifyType::known().iter().map(NotifyType::as_str))
}

fn parse_url(text: &str) -> Result<String, String> {
    let lower = text.trim().to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err("the receiver's URL must start with http:// or https://".into());
    }
    Ok(text.trim().to_owned())
}

fn parse_scale(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(scale) if scale.is_finite() && scale >= 0.0 => Ok(scale),
        _ => Err(format!("`{text}` is not a factor of 0 or more")),
    }
}

/// Runs `qfpay notify …`.
pub async fn run(args: NotifyArgs) -> Result<(), Failure> {
    match args.command {
        NotifyCommand::Send(args) => send(args).await,
    }
}

async fn send(args: SendArgs) -> Result<(), Failure> {
    let key = args.key.resolve()?;
    let mut body = NotificationBody::example(&NotifyType::from_code(&args.notify_type));
    for (name, value) in &args.fields {
        body.set(name, value.as_str());
    }
    let body = body.to_bytes();
    let mut signature = Signature::compute(SignType::Md5, &body, &key).to_string();
    if args.tamper {
        signature = tampered(&signature);
    }
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(args.timeout)
        .user_agent(concat!("qfpay-cli/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Failure::io(format!("cannot build the HTTP client: {e}")))?;
    let gaps = if args.tamper {
        Vec::new()
    } else {
        let count = usize::from(args.attempts) - 1;
        qfpay_mock::scaled_schedule(args.retry_scale)[..count].to_vec()
    };
    let mut header = format!(
        "POST {}\nX-QF-SIGN: {signature}{}\n{}\n",
        args.url,
        if args.tamper {
            " (deliberately wrong)"
        } else {
            ""
        },
        String::from_utf8_lossy(&body)
    );
    header.push('\n');
    write_stdout(&header)?;

    let total = gaps.len() + 1;
    let started = Instant::now();
    let mut attempts: Vec<DeliveryAttempt> = Vec::new();
    let mut output = Ok(());
    let acknowledged =
        qfpay_mock::post_until_acknowledged(&http, &args.url, &body, &signature, &gaps, |a| {
            let next = usize::try_from(a.number)
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| gaps.get(i));
            let line = attempt_line(a, total, started.elapsed(), next);
            if output.is_ok() {
                output = write_stdout(&line);
            }
            attempts.push(a.clone());
        })
        .await;
    output?;
    verdict(&args, acknowledged, &attempts)
}

/// The signature with its first hex digit changed: still well-formed, so
/// the receiver must compare it to refuse it.
fn tampered(signature: &str) -> String {
    let mut chars: Vec<char> = signature.chars().collect();
    if let Some(first) = chars.first_mut() {
        *first = if *first == '0' { '1' } else { '0' };
    }
    chars.into_iter().collect()
}

/// `attempt 2/8  2026-01-05 10:00:00 HKT  +0.120s  HTTP 200 "SUCCESS"  acknowledged`
fn attempt_line(
    attempt: &DeliveryAttempt,
    total: usize,
    elapsed: Duration,
    next_gap: Option<&Duration>,
) -> String {
    let answer = match (attempt.status, &attempt.error) {
        (Some(status), _) => format!("HTTP {status} \"{}\"", visible(&attempt.response_body)),
        (None, Some(error)) => format!("no answer: {error}"),
        (None, None) => "no answer".to_owned(),
    };
    let outcome = if attempt.is_acknowledged() {
        "acknowledged".to_owned()
    } else {
        match next_gap {
            Some(gap) => format!(
                "not acknowledged, next attempt in {:.3}s",
                gap.as_secs_f64()
            ),
            None => "not acknowledged".to_owned(),
        }
    };
    format!(
        "attempt {}/{total}  {} HKT  +{:.3}s  {answer}  {outcome}\n",
        attempt.number,
        attempt.at,
        elapsed.as_secs_f64()
    )
}

fn verdict(
    args: &SendArgs,
    acknowledged: bool,
    attempts: &[DeliveryAttempt],
) -> Result<(), Failure> {
    let unreachable = attempts.iter().all(|a| a.status.is_none());
    if args.tamper {
        return match attempts.first() {
            Some(a) if a.is_acknowledged() => Err(Failure::failed(
                "the receiver ACCEPTED a notification with a wrong X-QF-SIGN (200 SUCCESS): \
                 it must check MD5(raw body ‖ client key) before acting on a notification",
            )),
            Some(DeliveryAttempt {
                status: Some(status),
                ..
            }) => write_stdout(&format!(
                "refused: the receiver answered HTTP {status} to a wrong signature, as it should\n"
            )),
            _ => Err(Failure::network(format!(
                "the receiver at {} could not be reached",
                args.url
            ))),
        };
    }
    if acknowledged {
        return write_stdout(&format!(
            "delivered: acknowledged at attempt {}\n",
            attempts.len()
        ));
    }
    if unreachable {
        return Err(Failure::network(match attempts.len() {
            1 => format!("the receiver at {} could not be reached", args.url),
            n => format!(
                "the receiver at {} could not be reached at any of {n} attempts",
                args.url
            ),
        }));
    }
    Err(Failure::failed(format!(
        "not acknowledged after {} attempts: the receiver must answer HTTP 200 with the body SUCCESS",
        attempts.len()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tampered_signatures_stay_hex_and_differ() {
        for sig in ["0ABC", "ABC0", "F"] {
            let t = tampered(sig);
            assert_ne!(t, sig);
            assert_eq!(t.len(), sig.len());
            assert!(t.chars().all(|c| c.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn scales_and_urls() {
        assert_eq!(parse_scale("0.001"), Ok(0.001));
        assert_eq!(parse_scale("0"), Ok(0.0));
        assert!(parse_scale("-1").is_err());
        assert!(parse_scale("inf").is_err());
        assert!(parse_url("127.0.0.1:3000/qfpay").is_err());
        assert!(parse_url("http://127.0.0.1:3000/qfpay").is_ok());
    }
}
