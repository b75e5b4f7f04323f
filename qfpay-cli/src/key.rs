//! Where the client key comes from: `--key`, `--key-file` or `QFPAY_CLIENT_KEY`.
//!
//! The key is wrapped in a [`ClientKey`] (redacted `Debug`, no `Display`,
//! zeroed on drop) as soon as it is read; errors name the source, never the
//! value.

use std::path::{Path, PathBuf};

use qfpay::ClientKey;

use crate::failure::Failure;

/// The environment variable the key is read from when no flag gives it.
pub const KEY_ENV: &str = "QFPAY_CLIENT_KEY";

/// `--key` / `--key-file`, shared by every command that signs or verifies.
#[derive(Clone, Debug, clap::Args)]
pub struct KeyArgs {
    /// The client key. Prefer --key-file or QFPAY_CLIENT_KEY: a key typed on
    /// the command line ends up in your shell history and in `ps`.
    #[arg(
        long = "key",
        visible_alias = "client-key",
        value_name = "KEY",
        value_parser = parse_key,
        conflicts_with = "key_file",
        help_heading = "Client key (--key, --key-file, or the QFPAY_CLIENT_KEY variable)"
    )]
    key: Option<ClientKey>,

    /// Read the client key from FILE (surrounding whitespace, such as the
    /// final newline, is ignored).
    #[arg(
        long = "key-file",
        visible_alias = "client-key-file",
        value_name = "FILE",
        help_heading = "Client key (--key, --key-file, or the QFPAY_CLIENT_KEY variable)"
    )]
    key_file: Option<PathBuf>,
}

fn parse_key(text: &str) -> Result<ClientKey, String> {
    if text.is_empty() {
        return Err("the client key is empty".to_owned());
    }
    Ok(ClientKey::new(text))
}

impl KeyArgs {
    /// The key from `--key`, else `--key-file`, else `QFPAY_CLIENT_KEY`.
    pub fn resolve(&self) -> Result<ClientKey, Failure> {
        if let Some(key) = &self.key {
            return Ok(key.clone());
        }
        if let Some(path) = &self.key_file {
            return read_key_file(path);
        }
        match std::env::var_os(KEY_ENV) {
            Some(value) => match value.into_string() {
                Ok(text) if !text.trim().is_empty() => Ok(ClientKey::new(text.trim())),
                Ok(_) => Err(Failure::usage(format!(
                    "{KEY_ENV} is set but empty; give the client key with --key, --key-file or {KEY_ENV}"
                ))),
                Err(_) => Err(Failure::usage(format!("{KEY_ENV} is not valid UTF-8"))),
            },
            None => Err(Failure::usage(format!(
                "no client key: give --key KEY, --key-file FILE, or set {KEY_ENV}"
            ))),
        }
    }
}

fn read_key_file(path: &Path) -> Result<ClientKey, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::io(format!("cannot read key file `{}`: {e}", path.display())))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::usage(format!("key file `{}` is not UTF-8 text", path.display())))?;
    let key = text.trim();
    if key.is_empty() {
        return Err(Failure::usage(format!(
            "key file `{}` is empty",
            path.display()
        )));
    }
    Ok(ClientKey::new(key))
}
