//! `qfpay-mock`: the mock QFPay server as a standalone program.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let args = qfpay_mock::Args::parse();
    match qfpay_mock::run_cli(args, &mut std::io::stdout()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qfpay-mock: {e}");
            ExitCode::FAILURE
        }
    }
}
