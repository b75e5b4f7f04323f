//! `qfpay mock`: qfpay-mock's own command line and server, unchanged.

use crate::failure::Failure;

/// Arguments of `qfpay mock`: exactly those of the standalone `qfpay-mock`.
pub type MockArgs = qfpay_mock::Args;

/// Runs the mock server until Ctrl-C (prints `listening on http://ADDR` first).
pub async fn run(args: MockArgs) -> Result<(), Failure> {
    let mut stdout = std::io::stdout();
    qfpay_mock::run_cli(args, &mut stdout)
        .await
        .map_err(|e| match e {
            qfpay_mock::MockError::Config(_) => Failure::usage(e.to_string()),
            qfpay_mock::MockError::Bind { .. } | qfpay_mock::MockError::Io(_) => {
                Failure::io(e.to_string())
            }
            _ => Failure::failed(e.to_string()),
        })
}
