//! `qfpay doctor`: why did QFPay answer 1108 (bad signature)?
//!
//! Given what was sent and the `X-QF-SIGN` it carried, the doctor rebuilds
//! the signed string every known way programs get it wrong ([`recipe`]),
//! keeps the way that gives the signature sent ([`diagnose`]) and says the
//! mistake in one sentence with its fix ([`finding`]).

use std::fmt::Write as _;

use crate::args::{parse_pair, sign_type_name};
use crate::failure::Failure;
use crate::key::KeyArgs;
use crate::output::{visible, write_stdout};

mod diagnose;
mod finding;
mod recipe;
#[cfg(test)]
mod tests;

pub use diagnose::{Case, Diagnosis, Outcome, diagnose};
pub use recipe::{Sent, SentParam};

/// Arguments of `qfpay doctor`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Find the mistake behind a refused signature (respcd 1108) and say how to fix it",
    long_about = "Find the mistake behind a refused signature (respcd 1108) and say how to fix it.\n\n\
Give what your program sent: the X-QF-SIGN header (--signature), the X-QF-SIGNTYPE header if it sent \
one (--sign-type-header), and the parameters — the raw form body or query string it sent (--form) \
or the parameters as NAME=VALUE, in the order your program used. The doctor rebuilds the signed \
string the ways programs commonly get it wrong — values percent-encoded, `+` for spaces, empty \
parameters, unsorted or case-insensitively sorted names, MD5/SHA-256 and the header, mchid signed but \
not sent or sent but not signed, whitespace around the key, `&key=`, the key in front, the app code \
as key, a JSON body signed — and names the one that gives your signature. When none does, it says so \
and prints the string QFPay signs (the key shown as {client_key}).",
    after_help = "Examples:\n  \
qfpay doctor --key-file key.txt --signature 9A0B… \\\n      \
--form 'txamt=10&txcurrcd=HKD&pay_type=800101&out_trade_no=A1&txdtm=2025-01-02+03%3A04%3A05'\n  \
qfpay doctor --key-file key.txt --signature 9A0B… --sign-type-header SHA256 --mchid ZaMVg12345 \\\n      \
txamt=10 txcurrcd=HKD pay_type=800101 out_trade_no=A1 'txdtm=2025-01-02 03:04:05'\n\n\
Exit codes: 0 the signature is correct for these parameters and key; 1 it is not (the mistake, or \
that none was found, is printed); 2 bad arguments or no key; 3 unreadable key file."
)]
#[command(group = clap::ArgGroup::new("params").required(true).args(["form", "pairs"]))]
pub struct DoctorArgs {
    #[command(flatten)]
    key: KeyArgs,

    /// The X-QF-SIGN header your program sent: 32 hex digits (MD5) or 64
    /// (SHA-256), either case.
    #[arg(long, value_name = "HEX")]
    signature: String,

    /// The X-QF-SIGNTYPE header your program sent (leave out if it sent none).
    #[arg(long, value_name = "VALUE")]
    sign_type_header: Option<String>,

    /// Your app code, to check whether it was used as the key.
    #[arg(long, env = "QFPAY_APP_CODE", value_name = "CODE")]
    app_code: Option<String>,

    /// The mchid you were given, if any (agents and multi-store merchants).
    #[arg(long, env = "QFPAY_MCHID", value_name = "MCHID")]
    mchid: Option<String>,

    /// The form body (POST) or query string (GET) exactly as sent, still percent-encoded.
    #[arg(long, value_name = "BODY", conflicts_with = "pairs")]
    form: Option<String>,

    /// The parameters as NAME=VALUE with raw values, in the order your program had them.
    #[arg(value_name = "NAME=VALUE", value_parser = parse_pair)]
    pairs: Vec<(String, String)>,
}

/// The parameters of a form body in the order sent, each with its raw text.
pub fn parse_form(body: &str) -> Result<Vec<SentParam>, Failure> {
    let trimmed = body.trim();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Err(Failure::usage(
            "--form takes a form body (a=1&b=2) but this is JSON; QFPay takes form parameters, so \
             give the fields as NAME=VALUE instead, and send them as application/x-www-form-urlencoded",
        ));
    }
    Ok(trimmed
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let raw_value = piece.split_once('=').map_or("", |(_, v)| v);
            let (name, value) = form_urlencoded::parse(piece.as_bytes())
                .next()
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .unwrap_or_default();
            SentParam {
                name,
                value,
                raw_value: raw_value.to_owned(),
            }
        })
        .collect())
}

/// Runs `qfpay doctor`.
pub fn run(args: DoctorArgs) -> Result<(), Failure> {
    let key = args.key.resolve_text()?;
    let params = match &args.form {
        Some(body) => parse_form(body)?,
        None => args
            .pairs
            .iter()
            .map(|(name, value)| SentParam {
                name: name.clone(),
                value: value.clone(),
                raw_value: value.clone(),
            })
            .collect(),
    };
    if params.is_empty() {
        return Err(Failure::usage("the form body has no parameters"));
    }
    let case = Case {
        sent: Sent {
            params: &params,
            mchid: args.mchid.as_deref().filter(|m| !m.is_empty()),
            app_code: args.app_code.as_deref().filter(|a| !a.is_empty()),
            key: key.expose(),
        },
        signature: &args.signature,
        sign_type_header: args.sign_type_header.as_deref(),
    };
    let diagnosis = diagnose(&case);
    write_stdout(&report(&diagnosis))?;
    match diagnosis.outcome {
        Outcome::Correct => Ok(()),
        Outcome::Explained(_) => Err(Failure::failed("the signature is wrong (see above)")),
        Outcome::Unexplained => Err(Failure::failed(
            "the signature is wrong and no known mistake explains it",
        )),
    }
}

/// The doctor's answer as printed.
pub fn report(diagnosis: &Diagnosis) -> String {
    let mut out = String::new();
    let label = |out: &mut String, label: &str, text: &dyn std::fmt::Display| {
        let _ = writeln!(out, "{label:<13}{text}");
    };
    match &diagnosis.outcome {
        Outcome::Correct => label(
            &mut out,
            "diagnosis",
            &"The signature is correct for these parameters and this key; if QFPay still answered \
              1108, the key is not the one of this app code (X-QF-APPCODE) in this environment, or \
              the body sent differs from the one given here.",
        ),
        Outcome::Explained(list) if list.len() == 1 => {
            for (i, finding) in list[0].iter().enumerate() {
                label(&mut out, if i == 0 { "diagnosis" } else { "" }, finding);
            }
        }
        Outcome::Explained(list) => {
            label(
                &mut out,
                "diagnosis",
                &format!(
                    "{} explanations give exactly the string you signed, and nothing here tells \
                     them apart:",
                    list.len()
                ),
            );
            for (i, findings) in list.iter().enumerate() {
                for (j, finding) in findings.iter().enumerate() {
                    let head = if j == 0 {
                        format!("  {}.", i + 1)
                    } else {
                        String::new()
                    };
                    label(&mut out, &head, finding);
                }
            }
        }
        Outcome::Unexplained => label(
            &mut out,
            "diagnosis",
            &"None of the known mistakes (nor two of them together) gives this signature: it was \
              computed over other parameters or with another key. QFPay signs the string below.",
        ),
    }
    for note in &diagnosis.notes {
        label(&mut out, "note", note);
    }
    let header = match diagnosis.expected_sign_type.header_value() {
        Some(value) => format!("with `X-QF-SIGNTYPE: {value}`"),
        None => "with no X-QF-SIGNTYPE header".to_owned(),
    };
    label(
        &mut out,
        "expected",
        &format!(
            "X-QF-SIGN: {} ({} {header})",
            diagnosis.expected_signature,
            sign_type_name(diagnosis.expected_sign_type)
        ),
    );
    label(&mut out, "sign input", &visible(&diagnosis.expected_input));
    out
}
