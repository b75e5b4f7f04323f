//! `qfpay sign`: the signature the SDK computes for some parameters, and why.

use std::fmt::Write as _;

use qfpay::sign::SignBuffer;
use qfpay::{RawParams, SignType};

use crate::args::{parse_pair, parse_sign_type, sign_type_name};
use crate::failure::Failure;
use crate::key::KeyArgs;
use crate::output::{visible, write_stdout};

/// Arguments of `qfpay sign`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Print the X-QF-SIGN signature of request parameters, exactly as the SDK computes it",
    long_about = "Print the X-QF-SIGN signature of request parameters, exactly as the SDK computes it.\n\n\
The signature is HASH(canonical ‖ client key) in upper-case hex, where the canonical string is the \
parameters sorted by name (byte order), joined as name=value with `&`, raw (not percent-encoded) \
UTF-8 values. Parameters with an empty value are left out of the canonical string and of the form \
body, as the SDK never sends them (--keep-empty keeps them, to reproduce what another client signed).\n\n\
Default sign type: md5, because that is what QFPay assumes when a request carries no X-QF-SIGNTYPE \
header — the usual case when you debug a request another program sent. The SDK's Client (and \
`qfpay call`) default to sha256 and then send `X-QF-SIGNTYPE: SHA256`; pass --sign-type sha256 to \
reproduce those.",
    after_help = "Examples:\n  \
QFPAY_CLIENT_KEY=... qfpay sign txamt=10 txcurrcd=HKD pay_type=800101 \\\n      \
out_trade_no=01234567890123 'txdtm=2019-12-25 14:21:28'\n  \
qfpay sign --key-file key.txt --sign-type sha256 --explain goods_name=a=b txamt=10\n  \
qfpay sign --key-file key.txt --form 'txamt=10&goods_name=%E6%B8%AC%E8%A9%A6'\n\n\
Exit codes: 0 signature printed; 2 no parameters, malformed NAME=VALUE, unknown sign type, no or empty key; \
3 unreadable key file."
)]
pub struct SignArgs {
    #[command(flatten)]
    key: KeyArgs,

    /// Hash: md5 (QFPay's assumption without X-QF-SIGNTYPE) or sha256
    /// (sent with `X-QF-SIGNTYPE: SHA256`; the SDK client's default).
    #[arg(long, value_name = "md5|sha256", default_value = "md5", value_parser = parse_sign_type)]
    sign_type: SignType,

    /// Also print the sorted parameters, the canonical string (key shown as
    /// `{client_key}`), the form body, the headers and any dropped parameter.
    #[arg(long)]
    explain: bool,

    /// Keep parameters whose value is empty (`name=`) in the canonical string
    /// and the body. The SDK never sends them; QFPay's one published vector
    /// signs `channel_type=`.
    #[arg(long)]
    keep_empty: bool,

    /// Print lower-case hex (the hosted checkout page's `sign` is lower-case).
    #[arg(long)]
    lowercase: bool,

    /// Also take the parameters of an application/x-www-form-urlencoded body
    /// or query string (e.g. the body a request sent), percent-decoded.
    #[arg(long, value_name = "BODY")]
    form: Option<String>,

    /// Parameters as NAME=VALUE; only the first `=` separates the name, so
    /// values may contain `=`. Quote values with spaces.
    #[arg(value_name = "NAME=VALUE", value_parser = parse_pair)]
    params: Vec<(String, String)>,
}

/// Names given more than once, with their counts (in sorted order).
pub fn duplicates(params: &RawParams) -> Vec<(&str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    let pairs = params.pairs();
    let mut i = 0;
    while i < pairs.len() {
        let name = pairs[i].0.as_str();
        let run = pairs[i..].iter().take_while(|(n, _)| n == name).count();
        if run > 1 {
            out.push((name, run));
        }
        i += run.max(1);
    }
    out
}

/// Runs `qfpay sign`.
pub fn run(mut args: SignArgs) -> Result<(), Failure> {
    let key = args.key.resolve()?;
    let mut pairs = std::mem::take(&mut args.params);
    if let Some(form) = &args.form {
        pairs.extend(
            RawParams::from_form(form.as_bytes())
                .pairs()
                .iter()
                .cloned(),
        );
    }
    if pairs.is_empty() {
        return Err(Failure::usage(
            "no parameters to sign: give them as NAME=VALUE arguments or with --form BODY",
        ));
    }
    let params = RawParams::from_pairs(pairs);
    let mut buf = SignBuffer::new().keep_empty_values(args.keep_empty);
    buf.encode(&params, None)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let signature = buf.signature(&key, args.sign_type);
    let hex = if args.lowercase {
        signature.to_hex_lower()
    } else {
        signature.to_hex_upper()
    };
    let dups = duplicates(&params);

    let mut text = String::new();
    if args.explain {
        explain(&mut text, &args, &params, &buf, &dups);
        let _ = writeln!(text, "signature    {hex}");
    } else {
        for (name, count) in &dups {
            eprintln!(
                "qfpay: warning: `{name}` is given {count} times; all are signed and sent, but QFPay refuses repeated names (1103)"
            );
        }
        let _ = writeln!(text, "{hex}");
    }
    write_stdout(&text)
}

fn explain(
    out: &mut String,
    args: &SignArgs,
    params: &RawParams,
    buf: &SignBuffer,
    dups: &[(&str, usize)],
) {
    let header = match args.sign_type.header_value() {
        Some(value) => format!("send `X-QF-SIGNTYPE: {value}`"),
        None => "send no X-QF-SIGNTYPE header: QFPay assumes MD5 without one".to_owned(),
    };
    let _ = writeln!(
        out,
        "sign type    {} ({header})",
        sign_type_name(args.sign_type)
    );
    let kept: Vec<&(String, String)> = params
        .pairs()
        .iter()
        .filter(|(_, v)| args.keep_empty || !v.is_empty())
        .collect();
    let _ = writeln!(
        out,
        "parameters   {} signed, sorted by name (byte order), raw values:",
        kept.len()
    );
    for (name, value) in &kept {
        let _ = writeln!(out, "  {}={}", visible(name), visible(value));
    }
    for (name, _) in params.pairs().iter().filter(|(_, v)| v.is_empty()) {
        if args.keep_empty {
            let _ = writeln!(
                out,
                "empty        `{}` is kept (--keep-empty); the SDK itself never sends an empty value",
                visible(name)
            );
        } else {
            let _ = writeln!(
                out,
                "dropped      `{}` has an empty value: the SDK neither sends nor signs it (--keep-empty keeps it)",
                visible(name)
            );
        }
    }
    for (name, count) in dups {
        let _ = writeln!(
            out,
            "duplicate    `{}` is given {count} times: all are signed and sent, but QFPay refuses repeated names (1103)",
            visible(name)
        );
    }
    let _ = writeln!(out, "sign input   {}", visible(&buf.redacted_sign_input()));
    let _ = writeln!(
        out,
        "             (canonical string + client key, hashed as UTF-8; the key is not shown)"
    );
    let _ = writeln!(out, "form body    {}", buf.body());
    if let Some(value) = args.sign_type.header_value() {
        let _ = writeln!(out, "header       X-QF-SIGNTYPE: {value}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_names_are_counted() {
        let p = RawParams::from_pairs([("b", "1"), ("a", "1"), ("b", "2"), ("c", ""), ("b", "")]);
        assert_eq!(duplicates(&p), vec![("b", 3)]);
        assert!(duplicates(&RawParams::default()).is_empty());
    }
}
