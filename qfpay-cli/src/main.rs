//! `qfpay`: the QFPay SDK's signing, verification and transport from a shell.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod args;
mod call_cmd;
mod completions_cmd;
mod credentials;
mod doctor;
mod failure;
mod key;
mod mock_cmd;
mod notify_cmd;
mod output;
mod progress;
mod recon_cmd;
mod shortcuts;
mod sign_cmd;
mod statement_cmd;
mod verify_cmd;

use failure::{EXIT_CODES_HELP, Failure};

/// Sign, explain, verify and send QFPay Open API requests; run a local mock.
// No `Debug`: `qfpay_mock::Args` holds the mock's client key as a plain string.
#[derive(Parser)]
#[command(
    name = "qfpay",
    version,
    about = "Sign, explain, verify and send QFPay Open API requests; run a local mock server",
    long_about = "Sign, explain, verify and send QFPay Open API requests; run a local mock server.\n\n\
Every subcommand uses the qfpay Rust SDK itself, so what it prints is exactly what the SDK \
signs and sends. Credentials come from flags or from the variables the SDK's Client::from_env() \
reads, a flag winning over its variable: --app-code (QFPAY_APP_CODE), --key or --key-file \
(QFPAY_CLIENT_KEY, QFPAY_CLIENT_KEY_FILE; prefer a file or a variable, which keep the key out of \
your shell history), --mchid (QFPAY_MCHID), --env or --base-url (QFPAY_ENV, QFPAY_BASE_URL). The \
key is never printed.",
    after_help = EXIT_CODES_HELP,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    // The about and long help of each subcommand are on its argument struct
    // (a doc comment here would replace them).
    Sign(sign_cmd::SignArgs),
    Doctor(doctor::DoctorArgs),
    VerifyNotification(verify_cmd::VerifyArgs),
    Call(call_cmd::CallArgs),
    Pay(shortcuts::PayArgs),
    Query(shortcuts::QueryArgs),
    Refund(shortcuts::RefundArgs),
    Notify(notify_cmd::NotifyArgs),
    /// Run the qfpay-mock server (strict signatures, stateful orders, signed notifications) until Ctrl-C.
    ///
    /// Prints `listening on http://ADDR` once it accepts connections; point `qfpay call
    /// --base-url` (or the SDK's `Environment::Custom`) at that URL. Same flags as the
    /// standalone `qfpay-mock`, except that the key is given as for every qfpay subcommand:
    /// --key (alias --client-key), --key-file, QFPAY_CLIENT_KEY or QFPAY_CLIENT_KEY_FILE.
    ///
    /// Exit codes: 0 stopped by Ctrl-C, 2 bad configuration, 3 the address cannot be bound.
    Mock(mock_cmd::MockArgs),
    Transactions(recon_cmd::TransactionsArgs),
    Reconcile(recon_cmd::ReconcileArgs),
    Statement(statement_cmd::StatementArgs),
    Completions(completions_cmd::CompletionsArgs),
    Man(completions_cmd::ManArgs),
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::io(format!("cannot start the async runtime: {e}")))
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Sign(args) => sign_cmd::run(args),
        Command::Doctor(args) => doctor::run(args),
        Command::VerifyNotification(args) => verify_cmd::run(args),
        Command::Call(args) => runtime()?.block_on(call_cmd::run_call(args)),
        Command::Pay(args) => runtime()?.block_on(shortcuts::run_pay(args)),
        Command::Query(args) => runtime()?.block_on(shortcuts::run_query(args)),
        Command::Refund(args) => runtime()?.block_on(shortcuts::run_refund(args)),
        Command::Notify(args) => runtime()?.block_on(notify_cmd::run(args)),
        Command::Mock(args) => runtime()?.block_on(mock_cmd::run(args)),
        Command::Completions(args) => completions_cmd::completions(&args, &mut Cli::command()),
        Command::Man(args) => completions_cmd::man(&args, Cli::command()),
        Command::Transactions(args) => runtime()?.block_on(recon_cmd::run_transactions(args)),
        Command::Reconcile(args) => runtime()?.block_on(recon_cmd::run_reconcile(args)),
        Command::Statement(args) => runtime()?.block_on(statement_cmd::run(args)),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("qfpay: error: {failure}");
            failure.exit_code()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parsed_arguments_never_show_the_key() {
        let secret = "SECRET-KEY-0123456789";
        let parsed = [
            vec!["qfpay", "sign", "--key", secret, "a=1"],
            vec![
                "qfpay",
                "verify-notification",
                "--key",
                secret,
                "--signature",
                "AB",
            ],
            vec!["qfpay", "call", "--app-code", "A", "--key", secret, "/x"],
            vec![
                "qfpay",
                "refund",
                "--app-code",
                "A",
                "--key",
                secret,
                "--syssn",
                "1",
                "--amount",
                "1",
            ],
        ];
        for argv in parsed {
            let cli = match Cli::try_parse_from(&argv) {
                Ok(cli) => cli,
                Err(e) => panic!("{argv:?}: {e}"),
            };
            let debug = match &cli.command {
                Command::Sign(a) => format!("{a:?}"),
                Command::VerifyNotification(a) => format!("{a:?}"),
                Command::Call(a) => format!("{a:?}"),
                Command::Refund(a) => format!("{a:?}"),
                _ => unreachable!(),
            };
            assert!(debug.contains("<redacted>"), "{debug}");
            assert!(!debug.contains(secret), "{debug}");
        }
    }
}
