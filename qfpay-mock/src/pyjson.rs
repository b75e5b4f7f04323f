//! JSON written the way Python's `json.dumps(obj)` writes it with default
//! arguments — the style of QFPay's notification bodies (reference §22.2):
//!
//! * separators `", "` between items and `": "` between key and value;
//! * `ensure_ascii=True`: every character outside printable ASCII
//!   (`' '`..=`'~'`) is written as `\uXXXX` with lower-case hex, characters
//!   above U+FFFF as a UTF-16 surrogate pair;
//! * the short escapes `\" \\ \n \r \t \b \f`, other control characters as
//!   `\u00XX`.
//!
//! Implemented as a [`serde_json::ser::Formatter`], so any `Serialize` value
//! can be written; struct fields keep their declaration order (Python dicts
//! keep insertion order).

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

/// A `serde_json` formatter producing Python `json.dumps` default output.
#[derive(Clone, Copy, Debug, Default)]
pub struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json has already escaped `"`, `\` and C0 controls; everything
        // else outside printable ASCII is escaped here.
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if (' '..='~').contains(&c) {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{:04x}", unit)?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

/// Serialises `value` like Python's `json.dumps(value)`.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(512);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    value.serialize(&mut ser)?;
    Ok(out)
}

/// [`to_vec`] as a `String` (the output is always ASCII).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let bytes = to_vec(value)?;
    // Only ASCII is ever written.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_python_defaults() {
        // python3 -c 'import json; print(json.dumps({"a": "測試", "b": [1, 2], "c": "x\u007f\n😀", "d": None, "e": True}))'
        let v = json!({"a": "測試", "b": [1, 2], "c": "x\u{7f}\n😀", "d": null, "e": true});
        assert_eq!(
            to_string(&v).unwrap(),
            r#"{"a": "\u6e2c\u8a66", "b": [1, 2], "c": "x\u007f\n\ud83d\ude00", "d": null, "e": true}"#
        );
        assert_eq!(to_string(&json!({})).unwrap(), "{}");
        assert_eq!(to_string(&json!([])).unwrap(), "[]");
        assert_eq!(
            to_string(&json!({"k": {"n": []}})).unwrap(),
            r#"{"k": {"n": []}}"#
        );
        assert_eq!(to_string(&json!("\u{1}\"\\")).unwrap(), r#""\u0001\"\\""#);
    }
}
