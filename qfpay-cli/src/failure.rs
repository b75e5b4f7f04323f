//! What went wrong, and the exit code it maps to.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (a valid notification, a `0000` or pending answer, a signature printed) |
//! | 1 | a negative answer: the notification does not verify, QFPay answered an error `respcd`, an HTTP error status or an undecodable body |
//! | 2 | usage: bad arguments (clap's own code), malformed `NAME=VALUE`, unknown sign type, missing or empty key, a request refused before sending |
//! | 3 | I/O: a file or standard input could not be read, the mock server could not listen |
//! | 4 | network: the host could not be reached, the connection broke, or no answer came in time |
//!
//! Messages never contain the client key: the key is held in a
//! [`qfpay::ClientKey`] from the moment it is read, and only file names and
//! variable names appear in errors about it.

use std::fmt;
use std::process::ExitCode;

/// Exit code: verification failed, or QFPay (or the server) answered an error.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: usage error (same as clap's).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: a file or standard input could not be read or written.
pub const EXIT_IO: u8 = 3;
/// Exit code: the network failed (unreachable host, broken connection, timeout).
pub const EXIT_NETWORK: u8 = 4;

/// The exit-code table shown at the end of `qfpay --help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success: signature printed, notification valid, QFPay answered 0000 or pending
     (1143, 1145, 1298)
  1  negative answer: notification signature mismatch or malformed, QFPay error respcd (e.g. 1108
     bad signature), HTTP error status, undecodable response
  2  usage error: bad arguments, malformed NAME=VALUE, unknown sign type, missing/empty key,
     request refused before sending (a field breaks a documented limit)
  3  I/O error: a file or standard input could not be read, the mock could not listen
  4  network error: host unreachable, connection refused or broken, timeout";

/// A failure with its exit code.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    /// A negative answer (exit 1).
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_FAILED,
            message: message.into(),
        }
    }

    /// An I/O error (exit 3).
    pub fn io(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_IO,
            message: message.into(),
        }
    }

    /// A network error (exit 4).
    pub fn network(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_NETWORK,
            message: message.into(),
        }
    }

    /// The same failure with its message rewritten.
    pub fn map_message(self, f: impl FnOnce(String) -> String) -> Self {
        Failure {
            code: self.code,
            message: f(self.message),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// `error` followed by each of its sources not already part of the text.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !cause_text.is_empty() && !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Maps an SDK error to its exit code.
pub fn from_sdk(error: &qfpay::Error) -> Failure {
    use qfpay::Error as E;
    let text = chain(error);
    match error {
        E::Build(_) | E::InvalidRequest { .. } | E::DuplicateParam { .. } => Failure::usage(text),
        E::Timeout { .. } | E::Transport { .. } => Failure::network(text),
        // The SDK signed it, so the signature is right for the key given:
        // the key is the wrong one. The doctor is for the user's own code.
        E::Api {
            respcd: qfpay::types::RespCode::SignatureError,
            ..
        } => Failure::failed(format!(
            "{text}\nqfpay signs by QFPay's rule, so the app code and the client key do not \
             belong together in this environment (QFPAY_APP_CODE, the key, QFPAY_ENV or \
             QFPAY_BASE_URL); when your own code gets 1108, `qfpay doctor` names the mistake"
        )),
        _ => Failure::failed(text),
    }
}
