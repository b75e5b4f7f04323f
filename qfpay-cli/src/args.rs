//! Value parsers shared by the subcommands.

use qfpay::{Environment, Method, SignType};

/// Parses `NAME=VALUE`, splitting at the first `=` (values may contain `=`).
pub fn parse_pair(text: &str) -> Result<(String, String), String> {
    let Some((name, value)) = text.split_once('=') else {
        return Err("expected NAME=VALUE, found no `=` (write `NAME=` for an empty value)".into());
    };
    if name.is_empty() {
        return Err("expected NAME=VALUE, the name before `=` is empty".into());
    }
    if name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '&')
    {
        return Err(format!(
            "parameter name `{}` contains whitespace, a control character or `&`",
            name.escape_debug()
        ));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// Parses a sign type with the SDK's rules (`md5`, `sha256`, `sha-256`, any case).
pub fn parse_sign_type(text: &str) -> Result<SignType, String> {
    text.parse::<SignType>().map_err(|e| e.to_string())
}

/// The name of a sign type as the CLI prints it.
pub fn sign_type_name(sign_type: SignType) -> &'static str {
    match sign_type {
        SignType::Md5 => "MD5",
        SignType::Sha256 => "SHA-256",
    }
}

/// Parses `GET` or `POST` (any case).
pub fn parse_method(text: &str) -> Result<Method, String> {
    if text.eq_ignore_ascii_case("GET") {
        Ok(Method::Get)
    } else if text.eq_ignore_ascii_case("POST") {
        Ok(Method::Post)
    } else {
        Err(format!("unknown method `{text}` (expected GET or POST)"))
    }
}

/// Parses an environment name (or a base URL) with the SDK's rules.
pub fn parse_environment(text: &str) -> Result<Environment, String> {
    text.parse::<Environment>().map_err(|e| e.to_string())
}

/// Parses a base URL as a custom environment.
pub fn parse_base_url(text: &str) -> Result<Environment, String> {
    let lower = text.trim().to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err("a base URL must start with http:// or https://".into());
    }
    parse_environment(text)
}

/// Parses a timeout in seconds (fractions allowed, more than zero).
pub fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if secs.is_nan() || secs <= 0.0 {
        return Err("the timeout must be more than 0 seconds".into());
    }
    let timeout = std::time::Duration::try_from_secs_f64(secs).map_err(|e| e.to_string())?;
    // `1e-300` is more than zero but rounds to a zero duration.
    if timeout.is_zero() {
        return Err("the timeout must be at least one nanosecond".into());
    }
    Ok(timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_split_at_the_first_equals() {
        assert_eq!(
            parse_pair("goods_name=a=b"),
            Ok(("goods_name".into(), "a=b".into()))
        );
        assert_eq!(parse_pair("a="), Ok(("a".into(), String::new())));
        assert!(parse_pair("a").is_err());
        assert!(parse_pair("=a").is_err());
        assert!(parse_pair("a b=c").is_err());
    }

    #[test]
    fn sign_types_and_methods() {
        assert_eq!(parse_sign_type("MD5"), Ok(SignType::Md5));
        assert_eq!(parse_sign_type("sha-256"), Ok(SignType::Sha256));
        assert!(parse_sign_type("rot13").is_err());
        assert_eq!(parse_method("get"), Ok(Method::Get));
        assert!(parse_method("PUT").is_err());
        assert!(parse_base_url("live-test").is_err());
        assert!(parse_base_url("http://127.0.0.1:1").is_ok());
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("1e-300").is_err());
        assert!(parse_timeout("0.5").is_ok());
    }
}
