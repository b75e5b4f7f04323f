//! [`Client::from_env`]: the `QFPAY_*` variables the quickstart, the examples
//! and the `qfpay` tool read, with one precedence everywhere.

use std::borrow::Cow;

use super::Client;
use super::builder::ClientBuilder;
use super::environment::Environment;
use crate::error::{BuildError, Error};
use crate::sign::ClientKey;

/// The variables [`Client::from_env`] reads.
pub const APP_CODE_VAR: &str = "QFPAY_APP_CODE";
/// The client key itself (prefer [`CLIENT_KEY_FILE_VAR`] on shared machines).
pub const CLIENT_KEY_VAR: &str = "QFPAY_CLIENT_KEY";
/// A file holding the client key (surrounding whitespace, such as the final
/// newline, is not part of the key).
pub const CLIENT_KEY_FILE_VAR: &str = "QFPAY_CLIENT_KEY_FILE";
/// The merchant id of an agent or multi-store merchant (optional).
pub const MCHID_VAR: &str = "QFPAY_MCHID";
/// `sandbox`, `live-test` or `production`.
pub const ENV_VAR: &str = "QFPAY_ENV";
/// Any `http(s)://` base URL, e.g. the mock's.
pub const BASE_URL_VAR: &str = "QFPAY_BASE_URL";

impl Client {
    /// A client configured from the environment; see [`ClientBuilder::from_env`].
    ///
    /// ```no_run
    /// let client = qfpay::Client::from_env()?;
    /// # Ok::<(), qfpay::Error>(())
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }
}

impl ClientBuilder {
    /// A builder filled from the process environment, to adjust before
    /// [`build`](Self::build) (a setting made afterwards wins over the variable):
    ///
    /// | variable | sets | |
    /// |---|---|---|
    /// | `QFPAY_APP_CODE` | [`app_code`](Self::app_code) | required |
    /// | `QFPAY_CLIENT_KEY` or `QFPAY_CLIENT_KEY_FILE` | [`client_key`](Self::client_key) | one of them, not both |
    /// | `QFPAY_ENV` (`sandbox`, `live-test`, `production`) or `QFPAY_BASE_URL` | [`environment`](Self::environment) | one of them, not both |
    /// | `QFPAY_MCHID` | [`mchid`](Self::mchid) | optional |
    ///
    /// A variable set to the empty string counts as unset. Each missing or
    /// malformed variable is a [`BuildError::Variable`] naming it; the key's
    /// value is never part of a message.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) reading the variables through `lookup`
    /// (a configuration map, a secrets store, a test).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let vars = HashMap::from([
    ///     ("QFPAY_APP_CODE", "A2B4C6D8E0F2A4B6C8D0E2F4A6B8C0D2"),
    ///     ("QFPAY_CLIENT_KEY", "0E32A59A8B454940A2FF3900C1D2E3F4"),
    ///     ("QFPAY_BASE_URL", "http://127.0.0.1:8080"),
    /// ]);
    /// let client = qfpay::ClientBuilder::from_vars(|n| vars.get(n).map(|v| v.to_string()))?
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    /// # Ok::<(), qfpay::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let app_code = get(APP_CODE_VAR).ok_or_else(|| missing(APP_CODE_VAR))?;
        let key = match one_of(
            &get,
            [CLIENT_KEY_VAR, CLIENT_KEY_FILE_VAR],
            "not set (set QFPAY_CLIENT_KEY, or QFPAY_CLIENT_KEY_FILE to a file holding the key)",
        )? {
            Ok(text) => key_from(CLIENT_KEY_VAR, &text, "holds only whitespace")?,
            Err(path) => read_key_file(&path)?,
        };
        let environment = match one_of(
            &get,
            [ENV_VAR, BASE_URL_VAR],
            "not set (set QFPAY_ENV to `sandbox`, `live-test` or `production`, or QFPAY_BASE_URL to a base URL)",
        )? {
            Ok(name) => match name.parse::<Environment>() {
                Ok(
                    env @ (Environment::Sandbox | Environment::LiveTest | Environment::Production),
                ) => env,
                _ => {
                    return Err(variable(
                        ENV_VAR,
                        format!(
                            "`{name}` is not `sandbox`, `live-test` or `production` (put a URL in QFPAY_BASE_URL)"
                        ),
                    ));
                }
            },
            Err(url) => {
                let env = Environment::Custom(url.trim().to_owned());
                if let Err(BuildError::Invalid { reason, .. }) = env.validate() {
                    return Err(variable(BASE_URL_VAR, reason));
                }
                env
            }
        };
        let mut builder = Client::builder()
            .app_code(app_code)
            .client_key(key)
            .environment(environment);
        if let Some(mchid) = get(MCHID_VAR) {
            builder = builder.mchid(mchid);
        }
        Ok(builder)
    }
}

/// The value of whichever of two exclusive variables is set: `Ok` for the
/// first, `Err` for the second. Both set is an error naming the second;
/// neither, one naming the first with `unset`.
fn one_of(
    get: &impl Fn(&str) -> Option<String>,
    [first, second]: [&'static str; 2],
    unset: &'static str,
) -> Result<Result<String, String>, Error> {
    match (get(first), get(second)) {
        (Some(value), None) => Ok(Ok(value)),
        (None, Some(value)) => Ok(Err(value)),
        (Some(_), Some(_)) => Err(variable(
            second,
            format!("set {first} or {second}, not both"),
        )),
        (None, None) => Err(variable(first, unset)),
    }
}

fn variable(name: &'static str, reason: impl Into<Cow<'static, str>>) -> Error {
    BuildError::Variable {
        name,
        reason: reason.into(),
    }
    .into()
}

fn missing(name: &'static str) -> Error {
    variable(name, "not set")
}

fn read_key_file(path: &str) -> Result<ClientKey, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| variable(CLIENT_KEY_FILE_VAR, format!("cannot read `{path}`: {e}")))?;
    key_from(CLIENT_KEY_FILE_VAR, &text, format!("`{path}` is empty"))
}

/// The key in a variable's or a file's text. Surrounding whitespace is never
/// part of a client key (QFPay's are letters and digits): a pasted key's
/// space or an editor's final newline would otherwise be signed, and QFPay
/// would answer 1108 with nothing to say why. `qfpay` reads its keys the
/// same way.
fn key_from(
    source: &'static str,
    text: &str,
    blank: impl Into<Cow<'static, str>>,
) -> Result<ClientKey, Error> {
    match text.trim() {
        "" => Err(variable(source, blank)),
        key => Ok(ClientKey::new(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn build(vars: &[(&str, &str)]) -> Result<Client, Error> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ClientBuilder::from_vars(|n| map.get(n).cloned())?.build()
    }

    fn variable_of(result: Result<Client, Error>) -> (&'static str, String) {
        match result {
            Err(Error::Build(BuildError::Variable { name, reason })) => (name, reason.into_owned()),
            other => panic!("expected a variable error, got {other:?}"),
        }
    }

    const APP: (&str, &str) = ("QFPAY_APP_CODE", "A2B4C6D8E0F2A4B6C8D0E2F4A6B8C0D2");
    const KEY: (&str, &str) = ("QFPAY_CLIENT_KEY", "SECRET-KEY-NEVER-SHOWN");

    #[test]
    fn each_missing_variable_is_named() {
        assert_eq!(variable_of(build(&[])).0, "QFPAY_APP_CODE");
        assert_eq!(variable_of(build(&[APP])).0, "QFPAY_CLIENT_KEY");
        let (name, reason) = variable_of(build(&[APP, KEY]));
        assert_eq!(name, "QFPAY_ENV");
        assert!(reason.contains("QFPAY_BASE_URL"), "{reason}");
        // Empty counts as unset.
        assert_eq!(
            variable_of(build(&[APP, ("QFPAY_CLIENT_KEY", "")])).0,
            "QFPAY_CLIENT_KEY"
        );
    }

    #[test]
    fn malformed_variables_are_named_and_the_key_never_shown() {
        let (name, reason) = variable_of(build(&[APP, KEY, ("QFPAY_ENV", "staging")]));
        assert_eq!(name, "QFPAY_ENV");
        assert!(reason.contains("staging"), "{reason}");
        let (name, _) = variable_of(build(&[APP, KEY, ("QFPAY_BASE_URL", "ftp://x")]));
        assert_eq!(name, "QFPAY_BASE_URL");
        let both = build(&[
            APP,
            KEY,
            ("QFPAY_ENV", "production"),
            ("QFPAY_BASE_URL", "http://a"),
        ]);
        assert_eq!(variable_of(both).0, "QFPAY_BASE_URL");
        let two_keys = build(&[
            APP,
            KEY,
            ("QFPAY_CLIENT_KEY_FILE", "/nonexistent"),
            ("QFPAY_ENV", "sandbox"),
        ]);
        let (name, reason) = variable_of(two_keys);
        assert_eq!(name, "QFPAY_CLIENT_KEY_FILE");
        assert!(!reason.contains(KEY.1));
        let unreadable = build(&[
            APP,
            ("QFPAY_CLIENT_KEY_FILE", "/nonexistent/key"),
            ("QFPAY_ENV", "sandbox"),
        ]);
        assert_eq!(variable_of(unreadable).0, "QFPAY_CLIENT_KEY_FILE");
        // A malformed mchid is refused by the builder, under its setting's name.
        let bad_mchid = build(&[APP, KEY, ("QFPAY_ENV", "sandbox"), ("QFPAY_MCHID", "a b")]);
        let message = bad_mchid.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("mchid") && !message.contains(KEY.1),
            "{message}"
        );
    }

    #[test]
    fn a_complete_environment_builds() {
        let client = build(&[
            APP,
            KEY,
            ("QFPAY_ENV", "production"),
            ("QFPAY_MCHID", "ZaMVg12345"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(client.base_url(), "https://openapi-hk.qfapi.com");
        let client = build(&[APP, KEY, ("QFPAY_BASE_URL", "http://127.0.0.1:9/")])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(client.base_url(), "http://127.0.0.1:9");
        assert!(!format!("{client:?}").contains(KEY.1));
    }

    #[test]
    fn surrounding_whitespace_is_not_part_of_the_key() {
        let dir = std::env::temp_dir().join(format!("qfpay-from-env-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("key");
        let _ = std::fs::write(&path, "  FILE KEY\r\n\n");
        let path = path.to_string_lossy().into_owned();
        let key_of = |var: &'static str, value: String| {
            ClientBuilder::from_vars(|n| match n {
                "QFPAY_APP_CODE" => Some(APP.1.to_owned()),
                "QFPAY_ENV" => Some("sandbox".to_owned()),
                n if n == var => Some(value.clone()),
                _ => None,
            })
            .and_then(ClientBuilder::build)
            .map(|client| client.inner.key.bytes().to_vec())
        };
        let file = key_of("QFPAY_CLIENT_KEY_FILE", path.clone());
        assert_eq!(file.as_deref().ok(), Some(&b"FILE KEY"[..]));
        let var = key_of("QFPAY_CLIENT_KEY", " VARKEY\n".to_owned());
        assert_eq!(var.as_deref().ok(), Some(&b"VARKEY"[..]));

        let _ = std::fs::write(dir.join("key"), " \n");
        for (var, value) in [
            ("QFPAY_CLIENT_KEY_FILE", path.clone()),
            ("QFPAY_CLIENT_KEY", " \t".to_owned()),
        ] {
            let blank = key_of(var, value);
            let named = match &blank {
                Err(Error::Build(BuildError::Variable { name, .. })) => Some(*name),
                _ => None,
            };
            assert_eq!(named, Some(var), "{blank:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
