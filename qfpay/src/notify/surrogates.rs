//! Repairing lone UTF-16 surrogate escapes, which Python's `json.dumps`
//! writes for a string holding one and serde_json refuses.

/// Rewrites `\uD800`–`\uDFFF` escapes that are not part of a surrogate
/// pair as `\uFFFD`; `None` when there is none (or the body is not UTF-8).
pub(super) fn replace_lone_surrogates(body: &[u8]) -> Option<Vec<u8>> {
    fn unit_at(b: &[u8], i: usize) -> Option<u16> {
        // `\uXXXX` starting at `i`
        if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
            return None;
        }
        let hex = std::str::from_utf8(b.get(i + 2..i + 6)?).ok()?;
        u16::from_str_radix(hex, 16).ok()
    }
    let mut out = Vec::with_capacity(body.len());
    let mut changed = false;
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' {
            out.push(body[i]);
            i += 1;
            continue;
        }
        match unit_at(body, i) {
            Some(0xD800..=0xDBFF) => {
                if let Some(0xDC00..=0xDFFF) = unit_at(body, i + 6) {
                    out.extend_from_slice(&body[i..i + 12]);
                    i += 12;
                } else {
                    out.extend_from_slice(b"\\ufffd");
                    changed = true;
                    i += 6;
                }
            }
            Some(0xDC00..=0xDFFF) => {
                out.extend_from_slice(b"\\ufffd");
                changed = true;
                i += 6;
            }
            _ => {
                // Any other escape is two bytes (`\\`, `\"`, `\n`, …) or a
                // plain `\uXXXX`, copied as is.
                let end = (i + 2).min(body.len());
                out.extend_from_slice(&body[i..end]);
                i = end;
            }
        }
    }
    changed.then_some(out)
}
