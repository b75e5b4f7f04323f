//! The doctor's search: which known mistake turns what was sent into the
//! signature that was sent.

use qfpay::{ClientKey, SignType, Signature};

use super::finding::{Cause, Finding};
use super::recipe::{Encoding, Format, KeyUse, Mchid, Order, Recipe, Sent};

/// A request that QFPay refused, as the developer describes it.
#[derive(Debug)]
pub struct Case<'a> {
    /// What was sent, the key, the `mchid` and app code given.
    pub sent: Sent<'a>,
    /// The `X-QF-SIGN` header sent.
    pub signature: &'a str,
    /// The `X-QF-SIGNTYPE` header sent (`None`: not sent).
    pub sign_type_header: Option<&'a str>,
}

/// What the doctor concluded.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The signature is exactly what QFPay computes.
    Correct,
    /// The mistakes that give exactly the signature sent. More than one
    /// explanation when several give the very same signed string (the
    /// doctor cannot tell them apart, and says so).
    Explained(Vec<Vec<Finding>>),
    /// No known mistake, nor two of them together, gives this signature.
    Unexplained,
}

/// The doctor's answer.
#[derive(Debug)]
pub struct Diagnosis {
    /// The verdict.
    pub outcome: Outcome,
    /// Remarks that do not change the signature (an `mchid` given but not
    /// sent; a header problem when nothing else explains the signature).
    pub notes: Vec<Finding>,
    /// What QFPay signs, with the key shown as `{client_key}`.
    pub expected_input: String,
    /// The signature QFPay expects, upper-case hex.
    pub expected_signature: String,
    /// The hash of [`expected_signature`](Self::expected_signature).
    pub expected_sign_type: SignType,
}

impl Diagnosis {
    /// The causes of each explanation.
    #[cfg(test)]
    pub fn causes(&self) -> Vec<Vec<Cause>> {
        match &self.outcome {
            Outcome::Explained(list) => list
                .iter()
                .map(|findings| findings.iter().map(Finding::cause).collect())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Finds the mistake behind a refused signature.
pub fn diagnose(case: &Case<'_>) -> Diagnosis {
    let header_type = SignType::from_header(case.sign_type_header);
    let parsed = Signature::from_hex(case.signature);
    let search_type = match &parsed {
        Ok(sig) => sig.sign_type(),
        Err(_) => header_type.unwrap_or(SignType::Md5),
    };
    let rule_text = Recipe::RULE.text(&case.sent);
    let expected_sign_type = header_type.unwrap_or(search_type);
    let expected_signature = hash(expected_sign_type, &Recipe::RULE.sign_input(&case.sent));
    let mut diagnosis = Diagnosis {
        outcome: Outcome::Unexplained,
        notes: mchid_notes(&case.sent),
        expected_input: format!("{rule_text}{{client_key}}"),
        expected_signature: expected_signature.to_hex_upper(),
        expected_sign_type,
    };
    let signature = match parsed {
        Ok(signature) => signature,
        Err(e) => {
            diagnosis.outcome = Outcome::Explained(vec![vec![Finding::BadSignature {
                reason: e.to_string(),
            }]]);
            return diagnosis;
        }
    };

    // Findings about the headers and the hex, whatever was hashed.
    let mut outer = Vec::new();
    if let Some(finding) = header_finding(case.sign_type_header, header_type, search_type) {
        outer.push(finding);
    }
    // Lower-case hex is a remark, not a cause: QFPay's own Postman collection
    // and Node.js samples send it, and the mock accepts either case
    // (reference §5 step 6).
    let text = case.signature.trim();
    if text.bytes().any(|b| b.is_ascii_lowercase()) && !text.bytes().any(|b| b.is_ascii_uppercase())
    {
        diagnosis.notes.push(Finding::LowerHex {
            upper: signature.to_hex_upper(),
        });
    }

    let empty: Vec<String> = case
        .sent
        .params
        .iter()
        .filter(|p| p.value.is_empty())
        .map(|p| p.name.clone())
        .collect();
    let mut best: Option<usize> = None;
    let mut explanations: Vec<Vec<Finding>> = Vec::new();
    for recipe in Recipe::candidates(&case.sent) {
        if best.is_some_and(|level| recipe.deviations() > level) {
            break;
        }
        if hash(search_type, &recipe.sign_input(&case.sent)) != signature {
            continue;
        }
        best = Some(recipe.deviations());
        let mut findings = recipe_findings(&recipe, &case.sent);
        if !empty.is_empty() {
            findings.push(Finding::EmptySent {
                names: empty.clone(),
                signed: recipe.keep_empty,
            });
        }
        findings.extend(outer.iter().cloned());
        findings.sort_by_key(Finding::cause);
        // Recipes that give the same string with the same causes (upper- and
        // lower-case folding that sort alike) are one explanation.
        let causes = |list: &[Finding]| list.iter().map(Finding::cause).collect::<Vec<_>>();
        if !explanations.iter().any(|e| causes(e) == causes(&findings)) {
            explanations.push(findings);
        }
    }
    // The explanation already says to send the mchid.
    let says_send = |f: &Finding| f.cause() == Cause::MchidSignedUnsent;
    if explanations.iter().flatten().any(says_send) {
        diagnosis.notes.retain(|n| n.cause() != Cause::MchidNotSent);
    }
    diagnosis.outcome = match best {
        None => {
            diagnosis.notes.extend(outer);
            Outcome::Unexplained
        }
        Some(_) if explanations.iter().all(Vec::is_empty) => Outcome::Correct,
        Some(_) => Outcome::Explained(explanations),
    };
    diagnosis
}

fn hash(sign_type: SignType, input: &str) -> Signature {
    // The key is already in `input`; hashing it "with an empty key" is
    // hashing exactly `input`.
    Signature::compute(sign_type, input.as_bytes(), &ClientKey::new(""))
}

fn header_finding(
    header: Option<&str>,
    header_type: Option<SignType>,
    signed_with: SignType,
) -> Option<Finding> {
    let sent = header.map(str::trim).filter(|h| !h.is_empty());
    match (sent, header_type) {
        (Some(value), None) => Some(Finding::HeaderUnknown {
            value: value.to_owned(),
            signed_with,
        }),
        (_, Some(t)) if t == signed_with => None,
        (None, _) => Some(Finding::HeaderMissing),
        (Some(value), Some(SignType::Md5)) => Some(Finding::HeaderSaysMd5 {
            value: value.to_owned(),
        }),
        (Some(value), Some(_)) => Some(Finding::HeaderSaysSha256 {
            value: value.to_owned(),
        }),
    }
}

/// Remarks about `mchid` that hold whatever was signed.
fn mchid_notes(sent: &Sent<'_>) -> Vec<Finding> {
    let given = sent.mchid.filter(|m| !m.is_empty());
    let sent_value = sent
        .params
        .iter()
        .find(|p| p.name == "mchid")
        .map(|p| p.value.as_str());
    match (given, sent_value) {
        (Some(given), None) => vec![Finding::MchidNotSent {
            given: given.to_owned(),
        }],
        (Some(given), Some(value)) if value != given => vec![Finding::MchidDiffers {
            sent: value.to_owned(),
            given: given.to_owned(),
        }],
        _ => Vec::new(),
    }
}

/// One finding per departure of `recipe` from QFPay's rule.
fn recipe_findings(recipe: &Recipe, sent: &Sent<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    match recipe.mchid {
        Mchid::AsSent => {}
        Mchid::Unsigned => out.push(Finding::MchidSentUnsigned {
            value: value_of(sent, "mchid"),
        }),
        Mchid::SignedOnly => out.push(Finding::MchidSignedUnsent {
            value: sent.mchid.unwrap_or_default().to_owned(),
        }),
    }
    if recipe.encoding != Encoding::Raw {
        let raw = Recipe {
            encoding: Encoding::Raw,
            ..*recipe
        };
        let example = raw
            .pairs(sent)
            .into_iter()
            .zip(recipe.pairs(sent))
            .find(|(r, e)| r.1 != e.1)
            .map(|((name, raw), (_, signed))| (name, raw, signed))
            .unwrap_or_default();
        let (name, raw, signed) = example;
        if matches!(
            recipe.encoding,
            Encoding::PlusForSpace | Encoding::LiteralPlus(_)
        ) {
            out.push(Finding::PlusForSpace {
                name,
                raw,
                signed,
                literal_plus: recipe.encoding != Encoding::PlusForSpace,
            });
        } else {
            out.push(Finding::Encoded { name, raw, signed });
        }
    }
    if recipe.order != Order::Sorted {
        let names =
            |r: &Recipe| -> Vec<String> { r.pairs(sent).into_iter().map(|p| p.0).collect() };
        let signed = names(recipe);
        let sorted = names(&Recipe {
            order: Order::Sorted,
            ..*recipe
        });
        // The first pair of neighbours the recipe put out of byte order.
        let (first, second) = signed
            .windows(2)
            .find(|w| w[0].as_bytes() > w[1].as_bytes())
            .map(|w| (w[0].clone(), w[1].clone()))
            .unwrap_or_default();
        out.push(match recipe.order {
            Order::AsSent => Finding::Unsorted {
                signed,
                sorted,
                first,
                second,
            },
            _ => Finding::FoldedSort {
                upper: recipe.order == Order::FoldedUpper,
                first,
                second,
            },
        });
    }
    if let Format::Json { python, sorted, .. } = recipe.format {
        let text = recipe.text(sent);
        out.push(Finding::JsonSigned {
            excerpt: excerpt(&text, 48),
            python,
            sorted,
        });
    }
    match recipe.key {
        KeyUse::Appended => {}
        KeyUse::AppendedAfter(separator) => out.push(Finding::KeyAfterSeparator { separator }),
        KeyUse::Prepended(separator) => out.push(Finding::KeyPrepended { separator }),
        KeyUse::Omitted => out.push(Finding::KeyOmitted),
        KeyUse::Padded(pad) => out.push(Finding::KeyPadded { pad }),
        KeyUse::Recased(upper) => out.push(Finding::KeyRecased { upper }),
        KeyUse::AppCode => out.push(Finding::AppCodeAsKey),
    }
    out
}

fn value_of(sent: &Sent<'_>, name: &str) -> String {
    sent.params
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.value.clone())
        .unwrap_or_default()
}

/// The first `max` characters of `text`, with `…` when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
