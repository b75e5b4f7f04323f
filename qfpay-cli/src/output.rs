//! Pretty JSON on standard output, coloured only on a terminal.

use std::io::{IsTerminal, Write};

use serde_json::Value;

use crate::failure::Failure;

/// When to colour JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

const KEY: &str = "\x1b[34;1m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const LITERAL: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// `value` as pretty JSON (two-space indent, like `serde_json::to_string_pretty`),
/// with ANSI colours when `color` is set.
pub fn render_json(value: &Value, color: bool) -> String {
    if !color {
        return serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    }
    let mut out = String::new();
    write_colored(value, 0, &mut out);
    out
}

fn write_colored(value: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize, out: &mut String| out.extend(std::iter::repeat_n("  ", n));
    match value {
        Value::Null | Value::Bool(_) => {
            out.push_str(LITERAL);
            out.push_str(&value.to_string());
            out.push_str(RESET);
        }
        Value::Number(n) => {
            out.push_str(NUMBER);
            out.push_str(&n.to_string());
            out.push_str(RESET);
        }
        Value::String(_) => {
            out.push_str(STRING);
            out.push_str(&value.to_string());
            out.push_str(RESET);
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(indent + 1, out);
                write_colored(item, indent + 1, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(indent, out);
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                pad(indent + 1, out);
                out.push_str(KEY);
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(RESET);
                out.push_str(": ");
                write_colored(item, indent + 1, out);
                if i + 1 < map.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(indent, out);
            out.push('}');
        }
    }
}

/// Shows control characters escaped so one value cannot break the layout.
pub fn visible(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        text.to_owned()
    }
}

/// Writes `text` to standard output and flushes it.
///
/// A closed pipe (`qfpay … | head -1`) is not an error: the reader has all
/// it wanted.
pub fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::io(format!("cannot write to standard output: {e}"))),
    }
}

/// Prints `value` as pretty JSON followed by a newline.
pub fn print_json(value: &Value, color: bool) -> Result<(), Failure> {
    let mut text = render_json(value, color);
    text.push('\n');
    write_stdout(&text)
}

/// Removes `null` members of objects, recursively: a typed response shows
/// the SDK's absent optional fields as `null`, which only adds noise.
pub fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colourless_output_is_serde_pretty_and_coloured_output_strips_to_it() {
        let v: Value = serde_json::json!({"respcd": "0000", "n": 1, "ok": true, "z": null,
            "data": [{"a": "x\"y"}], "e": [], "o": {}});
        let plain = render_json(&v, false);
        assert_eq!(plain, serde_json::to_string_pretty(&v).unwrap());
        let colored = render_json(&v, true);
        assert!(colored.contains(KEY));
        let mut stripped = colored;
        for code in [KEY, STRING, NUMBER, LITERAL, RESET] {
            stripped = stripped.replace(code, "");
        }
        assert_eq!(stripped, plain);
    }

    #[test]
    fn control_characters_are_escaped_for_display() {
        assert_eq!(visible("a\nb"), "a\\nb");
        assert_eq!(visible("測試 x \"q\""), "測試 x \"q\"");
    }

    #[test]
    fn nulls_are_stripped_from_objects_only() {
        let mut v = serde_json::json!({"a": null, "b": [null, {"c": null, "d": 1}]});
        strip_nulls(&mut v);
        assert_eq!(v, serde_json::json!({"b": [null, {"d": 1}]}));
    }
}
