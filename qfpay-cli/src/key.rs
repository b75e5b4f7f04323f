//! Where the client key comes from: `--key`, `--key-file`, `QFPAY_CLIENT_KEY`
//! or `QFPAY_CLIENT_KEY_FILE`, in that order (flags over variables, as the
//! SDK's `Client::from_env()` reads the same variables).
//!
//! The key is wrapped as soon as it is read ([`KeyText`]: redacted `Debug`,
//! no `Display`, zeroed on drop); errors name the source, never the value.

use std::fmt;
use std::path::{Path, PathBuf};

use qfpay::ClientKey;
use secrecy::{ExposeSecret, SecretString};

use crate::credentials::CREDENTIALS;
use crate::failure::Failure;
use qfpay::vars::{CLIENT_KEY_FILE_VAR as KEY_FILE_ENV, CLIENT_KEY_VAR as KEY_ENV};

/// The client key's text, for the commands that need more than a
/// [`ClientKey`] (the doctor tries the key with mistakes around it).
#[derive(Clone)]
pub struct KeyText(SecretString);

impl KeyText {
    /// Wraps a key's text.
    pub fn new(text: &str) -> Self {
        KeyText(SecretString::from(text))
    }

    /// The key's text. Never print it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The key for the SDK.
    pub fn client_key(&self) -> ClientKey {
        ClientKey::new(self.expose())
    }
}

impl fmt::Debug for KeyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyText(<redacted>)")
    }
}

/// `--key` / `--key-file`, shared by every command that signs or verifies.
#[derive(Clone, Debug, clap::Args)]
pub struct KeyArgs {
    /// The client key [env: QFPAY_CLIENT_KEY]. Prefer --key-file or the
    /// variable: a key typed on the command line ends up in your shell
    /// history and in `ps`.
    #[arg(
        long = "key",
        visible_alias = "client-key",
        value_name = "KEY",
        value_parser = parse_key,
        conflicts_with = "key_file",
        help_heading = CREDENTIALS
    )]
    key: Option<KeyText>,

    /// Read the client key from FILE [env: QFPAY_CLIENT_KEY_FILE];
    /// surrounding whitespace, such as the final newline, is ignored.
    #[arg(
        long = "key-file",
        visible_alias = "client-key-file",
        value_name = "FILE",
        help_heading = CREDENTIALS
    )]
    key_file: Option<PathBuf>,
}

/// Parses a `--key` value.
pub fn parse_key(text: &str) -> Result<KeyText, String> {
    if text.is_empty() {
        return Err("the client key is empty".to_owned());
    }
    Ok(KeyText::new(text))
}

impl KeyArgs {
    /// The key from `--key`, else `--key-file`, else `QFPAY_CLIENT_KEY`,
    /// else the file named by `QFPAY_CLIENT_KEY_FILE`.
    pub fn resolve(&self) -> Result<ClientKey, Failure> {
        self.resolve_text().map(|k| k.client_key())
    }

    /// As [`resolve`](Self::resolve), the key's text.
    pub fn resolve_text(&self) -> Result<KeyText, Failure> {
        resolve(self.key.clone(), self.key_file.as_deref())
    }
}

/// The key from a `--key` value, else a `--key-file`, else the variables.
pub fn resolve(key: Option<KeyText>, key_file: Option<&Path>) -> Result<KeyText, Failure> {
    {
        if let Some(key) = key {
            return Ok(key);
        }
        if let Some(path) = key_file {
            return read_key_file(path);
        }
        let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        if set(KEY_ENV) && set(KEY_FILE_ENV) {
            // The rule of the SDK's `Client::from_env`.
            return Err(Failure::usage(format!(
                "set {KEY_ENV} or {KEY_FILE_ENV}, not both (or give --key or --key-file)"
            )));
        }
        if let Some(value) = std::env::var_os(KEY_ENV).filter(|v| !v.is_empty()) {
            return match value.into_string() {
                Ok(text) if !text.trim().is_empty() => Ok(KeyText::new(text.trim())),
                Ok(_) => Err(Failure::usage(format!(
                    "{KEY_ENV} is set but empty; give the client key with --key, --key-file or {KEY_ENV}"
                ))),
                Err(_) => Err(Failure::usage(format!("{KEY_ENV} is not valid UTF-8"))),
            };
        }
        match std::env::var_os(KEY_FILE_ENV) {
            Some(path) if !path.is_empty() => read_key_file(Path::new(&path)),
            Some(_) => Err(Failure::usage(format!("{KEY_FILE_ENV} is set but empty"))),
            None => Err(Failure::usage(format!(
                "no client key: give --key KEY, --key-file FILE, or set {KEY_ENV} or {KEY_FILE_ENV}"
            ))),
        }
    }
}

fn read_key_file(path: &Path) -> Result<KeyText, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::io(format!("cannot read key file `{}`: {e}", path.display())))?;
    let text =
        secrecy::zeroize::Zeroizing::new(String::from_utf8(bytes).map_err(|_| {
            Failure::usage(format!("key file `{}` is not UTF-8 text", path.display()))
        })?);
    let key = text.trim();
    if key.is_empty() {
        return Err(Failure::usage(format!(
            "key file `{}` is empty",
            path.display()
        )));
    }
    Ok(KeyText::new(key))
}
