//! `qfpay mock`: qfpay-mock's own command line and server, with the key
//! taken the way every `qfpay` subcommand takes it.

use std::path::PathBuf;

use crate::credentials::CREDENTIALS;
use crate::failure::Failure;
use crate::key::{self, KeyText};

/// Arguments of `qfpay mock`: those of the standalone `qfpay-mock`, except
/// that its `--client-key` becomes `--key` (alias `--client-key`) with
/// `--key-file`, `QFPAY_CLIENT_KEY` and `QFPAY_CLIENT_KEY_FILE`, resolved as
/// for the other subcommands.
#[derive(Clone, Debug, clap::Args)]
#[command(mut_arg("client_key", |arg| arg
    .long("key")
    .visible_alias("client-key")
    .value_name("KEY")
    .help("The client key requests must be signed with [env: QFPAY_CLIENT_KEY]")
    .required(false)
    .default_value("")
    .hide_default_value(true)
    .env(None::<&str>)
    .conflicts_with("key_file")
    .help_heading(CREDENTIALS)))]
pub struct MockArgs {
    #[command(flatten)]
    mock: qfpay_mock::Args,

    /// Read the client key from FILE [env: QFPAY_CLIENT_KEY_FILE];
    /// surrounding whitespace, such as the final newline, is ignored.
    #[arg(long, visible_alias = "client-key-file", value_name = "FILE", help_heading = CREDENTIALS)]
    key_file: Option<PathBuf>,
}

/// Runs the mock server until Ctrl-C (prints `listening on http://ADDR` first).
pub async fn run(mut args: MockArgs) -> Result<(), Failure> {
    let given = (!args.mock.client_key.is_empty())
        .then(|| key::parse_key(&args.mock.client_key))
        .transpose()
        .map_err(Failure::usage)?;
    let key: KeyText = key::resolve(given, args.key_file.as_deref())?;
    args.mock.client_key = key.expose().to_owned();
    let mut stdout = std::io::stdout();
    qfpay_mock::run_cli(args.mock, &mut stdout)
        .await
        .map_err(|e| match e {
            qfpay_mock::MockError::Config(_) => Failure::usage(e.to_string()),
            qfpay_mock::MockError::Bind { .. }
            | qfpay_mock::MockError::Io(_)
            | qfpay_mock::MockError::State(_) => Failure::io(e.to_string()),
            _ => Failure::failed(e.to_string()),
        })
}
