//! One way to say who you are and where to send: `--app-code`, `--key` /
//! `--key-file`, `--mchid`, `--env` / `--base-url`, or the variables the
//! SDK's `Client::from_env()` reads (`QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY` /
//! `QFPAY_CLIENT_KEY_FILE`, `QFPAY_MCHID`, `QFPAY_ENV`, `QFPAY_BASE_URL`).
//! A flag always wins over a variable.

use qfpay::Environment;
use qfpay::vars::{BASE_URL_VAR, ENV_VAR};

use crate::args::{parse_base_url, parse_environment};
use crate::failure::Failure;
use crate::key::KeyArgs;

/// The help heading of every credential flag.
pub const CREDENTIALS: &str = "Credentials (each flag wins over its QFPAY_* variable)";

/// Credentials and target, shared by every subcommand that calls QFPay.
#[derive(Clone, Debug, clap::Args)]
pub struct Credentials {
    /// The app code sent as X-QF-APPCODE.
    #[arg(long, env = "QFPAY_APP_CODE", value_name = "CODE", help_heading = CREDENTIALS)]
    pub app_code: String,

    #[command(flatten)]
    pub key: KeyArgs,

    /// The mchid of an agent or multi-store merchant: sent and signed with
    /// every request except add_note and trade_bill. Leave it out (and
    /// QFPAY_MCHID unset, or use --no-mchid) when you were given none.
    #[arg(long, env = "QFPAY_MCHID", value_name = "MCHID", help_heading = CREDENTIALS)]
    mchid: Option<String>,

    /// Do not send an mchid even if QFPAY_MCHID is set.
    #[arg(long, help_heading = CREDENTIALS)]
    no_mchid: bool,

    /// QFPay environment: live-test, production or sandbox [env: QFPAY_ENV].
    /// One of --env, --base-url or the variables is required.
    #[arg(long = "env", value_name = "ENV", value_parser = parse_environment, help_heading = CREDENTIALS)]
    environment: Option<Environment>,

    /// Any base URL instead of a named environment: the mock server, another
    /// region [env: QFPAY_BASE_URL; set it or QFPAY_ENV, not both].
    #[arg(long, value_name = "URL", value_parser = parse_base_url, conflicts_with = "environment", help_heading = CREDENTIALS)]
    base_url: Option<Environment>,
}

impl Credentials {
    /// The mchid to send, if any.
    pub fn mchid(&self) -> Option<&str> {
        self.mchid
            .as_deref()
            .filter(|m| !m.is_empty() && !self.no_mchid)
    }

    /// Where to send: `--base-url`, `--env`, `QFPAY_BASE_URL`, `QFPAY_ENV`;
    /// none of them is an error (never a quiet default to a test host). The variables are read here, not by clap, so that a
    /// flag overrides either variable instead of conflicting with it.
    pub fn environment(&self) -> Result<Environment, Failure> {
        if let Some(env) = self.base_url.clone().or_else(|| self.environment.clone()) {
            return Ok(env);
        }
        // The rules of the SDK's `Client::from_env`: one variable or the other.
        match (variable(ENV_VAR)?, variable(BASE_URL_VAR)?) {
            (Some(_), Some(_)) => Err(Failure::usage(format!(
                "set {ENV_VAR} or {BASE_URL_VAR}, not both (or choose with --env or --base-url)"
            ))),
            (None, Some(url)) => {
                parse_base_url(&url).map_err(|e| Failure::usage(format!("{BASE_URL_VAR}: {e}")))
            }
            (Some(name), None) => match parse_environment(&name) {
                Ok(Environment::Custom(_)) | Err(_) => Err(Failure::usage(format!(
                    "{ENV_VAR}: `{name}` is not `sandbox`, `live-test` or `production` (put a URL in {BASE_URL_VAR})"
                ))),
                Ok(env) => Ok(env),
            },
            (None, None) => Err(Failure::usage(format!(
                "no environment: add --env sandbox|live-test|production or --base-url URL \
             (or set {ENV_VAR} or {BASE_URL_VAR})"
            ))),
        }
    }
}

/// A variable's value; unset or empty is `None`.
fn variable(name: &str) -> Result<Option<String>, Failure> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(Failure::usage(format!("{name} is not valid UTF-8")))
        }
    }
}
