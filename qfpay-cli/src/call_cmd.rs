//! `qfpay call` and the typed shortcuts `pay`, `query`, `refund`: a signed
//! request through the SDK's `Client`, the JSON answer on standard output.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use qfpay::transport::{
    BoxFuture, HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
};
use qfpay::{Client, Endpoint, Method, RawParams, RawRequest, RetryPolicy, SignType};
use serde_json::Value;

use crate::args::{parse_method, parse_pair, parse_sign_type, parse_timeout};
use crate::credentials::Credentials;
use crate::failure::{Failure, chain, from_sdk};
use crate::output::{ColorChoice, print_json, strip_nulls, write_stdout};
use crate::sign_cmd::duplicates;

/// The `User-Agent` the CLI sends.
const USER_AGENT: &str = concat!("qfpay-cli/", env!("CARGO_PKG_VERSION"));

/// The longest connect timeout (as the SDK's default transport).
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

const CONNECTION: &str = "Connection";
const OUTPUT: &str = "Output";

/// Where to send, with which credentials: shared by `call`, `pay`, `query`, `refund`.
#[derive(Clone, Debug, clap::Args)]
pub struct ConnectionArgs {
    #[command(flatten)]
    credentials: Credentials,

    /// md5 or sha256 (default, sent with `X-QF-SIGNTYPE: SHA256`, as the SDK's client does).
    #[arg(long, value_name = "md5|sha256", default_value = "sha256", value_parser = parse_sign_type, help_heading = CONNECTION)]
    sign_type: SignType,

    /// Seconds one attempt may take.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_timeout, help_heading = CONNECTION)]
    timeout: Duration,

    /// Never retry (by default the SDK retries the read-only endpoints, such
    /// as /trade/v1/query, after 429, 5xx, timeouts and connection errors).
    #[arg(long, help_heading = CONNECTION)]
    no_retry: bool,

    /// Print the HTTP request and response (headers and bodies; never the
    /// key) to standard error.
    #[arg(short, long, help_heading = OUTPUT)]
    verbose: bool,

    /// Colour the JSON answer: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, help_heading = OUTPUT)]
    color: ColorChoice,

    /// Print the signed request that would be sent (method, URL, headers,
    /// body) and send nothing.
    #[arg(long, help_heading = OUTPUT)]
    dry_run: bool,
}

/// What the CLI's transport does besides sending.
struct CliTransport {
    inner: Option<ReqwestTransport>,
    verbose: bool,
    /// The last request (for --dry-run).
    last_request: Mutex<Option<HttpRequest>>,
    /// The last response (to print the whole body of an error answer).
    last_response: Mutex<Option<HttpResponse>>,
}

/// A request header name as the reference spells it (`HeaderMap` keeps
/// names in lower case): `X-QF-…` in capitals, others in `Title-Case`.
fn display_name(name: &str) -> String {
    if name.len() >= 5 && name[..5].eq_ignore_ascii_case("x-qf-") {
        return name.to_ascii_uppercase();
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        out.push(if start { c.to_ascii_uppercase() } else { c });
        start = c == '-';
    }
    out
}

fn print_request(request: &HttpRequest, prefix: &str) -> String {
    let mut text = format!("{prefix}{} {}\n", request.method.as_str(), request.url);
    for (name, value) in &request.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        text.push_str(&format!(
            "{prefix}{}: {value}\n",
            display_name(name.as_str())
        ));
    }
    if !request.body.is_empty() {
        text.push_str(prefix);
        text.push('\n');
        text.push_str(prefix);
        text.push_str(&String::from_utf8_lossy(&request.body));
        text.push('\n');
    }
    text
}

impl Transport for CliTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            if self.verbose {
                eprint!("{}", print_request(&request, "> "));
            }
            let Some(inner) = &self.inner else {
                *self
                    .last_request
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(request);
                return Err(TransportError::other("dry run: nothing sent"));
            };
            let result = inner.send(request).await;
            match &result {
                Ok(response) => {
                    if self.verbose {
                        eprintln!("< HTTP {}", response.status);
                        for (name, value) in &response.headers {
                            let value = String::from_utf8_lossy(value.as_bytes());
                            eprintln!("< {name}: {value}");
                        }
                        eprintln!("<");
                        eprintln!("< {}", String::from_utf8_lossy(&response.body));
                    }
                    *self
                        .last_response
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = Some(response.clone());
                }
                Err(e) if self.verbose => eprintln!("< {}", chain(e)),
                Err(_) => {}
            }
            result
        })
    }
}

/// A client built from the connection flags, and the transport it uses.
pub struct Connection {
    client: Client,
    transport: Arc<CliTransport>,
    dry_run: bool,
    color: bool,
}

impl ConnectionArgs {
    /// Builds the SDK client.
    pub fn connect(&self) -> Result<Connection, Failure> {
        let key = self.credentials.key.resolve()?;
        let environment = self.credentials.environment()?;
        let inner = if self.dry_run {
            None
        } else {
            Some(
                ReqwestTransport::new(USER_AGENT, self.timeout.min(MAX_CONNECT_TIMEOUT))
                    .map_err(|e| Failure::usage(chain(&e)))?,
            )
        };
        let transport = Arc::new(CliTransport {
            inner,
            verbose: self.verbose,
            last_request: Mutex::new(None),
            last_response: Mutex::new(None),
        });
        let mut builder = Client::builder()
            .app_code(self.credentials.app_code.clone())
            .client_key(key)
            .environment(environment)
            .sign_type(self.sign_type)
            .timeout(self.timeout)
            .user_agent(USER_AGENT)
            .transport(transport.clone());
        if self.no_retry || self.dry_run {
            builder = builder.retry_policy(RetryPolicy::none());
        }
        if let Some(mchid) = self.credentials.mchid() {
            builder = builder.mchid(mchid);
        }
        let client = builder.build().map_err(|e| from_sdk(&e))?;
        Ok(Connection {
            client,
            transport,
            dry_run: self.dry_run,
            color: self.color.enabled(),
        })
    }
}

impl Connection {
    /// The SDK client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Sends `request`, prints the answer as JSON, maps errors to exit codes.
    ///
    /// `typed`: the response is one of the catalogue's types, whose absent
    /// optional fields are left out instead of shown as `null`.
    pub async fn run<E>(&self, request: &E, typed: bool) -> Result<(), Failure>
    where
        E: Endpoint,
        E::Response: serde::Serialize,
    {
        let Some(response) = self.send(request).await? else {
            return Ok(());
        };
        let mut value = serde_json::to_value(&response)
            .map_err(|e| Failure::failed(format!("cannot show the response: {e}")))?;
        if typed {
            strip_nulls(&mut value);
        }
        print_json(&value, self.color)
    }

    /// Sends `request` and maps errors to exit codes: the response, or
    /// `None` after `--dry-run` (the signed request is printed instead). An
    /// error answer in JSON is printed on standard output before the failure.
    pub async fn send<E: Endpoint>(&self, request: &E) -> Result<Option<E::Response>, Failure> {
        let result = self.client.call(request).await;
        if self.dry_run {
            let recorded = self
                .transport
                .last_request
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            return match (recorded, result) {
                (Some(http), _) => write_stdout(&print_request(&http, "")).map(|()| None),
                (None, Err(e)) => Err(from_sdk(&e)),
                (None, Ok(_)) => Err(Failure::io("dry run: no request was prepared")),
            };
        }
        match result {
            Ok(response) => Ok(Some(response)),
            Err(error) => {
                // Show the whole answer (not just respcd) when it is JSON.
                let mut printed = false;
                if matches!(error, qfpay::Error::Api { .. } | qfpay::Error::Http { .. }) {
                    let body = self
                        .transport
                        .last_response
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .take();
                    if let Some(value) =
                        body.and_then(|r| serde_json::from_slice::<Value>(&r.body).ok())
                    {
                        print_json(&value, self.color)?;
                        printed = true;
                    }
                }
                Err(readable(from_sdk(&error), &error, printed))
            }
        }
    }
}

/// The SDK's message quotes an HTTP error's excerpt (`"…"`). Say it
/// plainly instead: the answer was printed (JSON), or here is how it begins.
fn readable(failure: Failure, error: &qfpay::Error, json_printed: bool) -> Failure {
    let qfpay::Error::Http { excerpt, .. } = error else {
        return failure;
    };
    let quoted = format!("\"{excerpt}\"");
    let plain = if json_printed {
        "the JSON answer is printed on standard output".to_owned()
    } else if excerpt.is_empty() {
        "the answer has no body".to_owned()
    } else {
        format!("the answer begins: {excerpt}")
    };
    failure.map_message(|m| m.replacen(&quoted, &plain, 1))
}

/// Arguments of `qfpay call`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Send a signed request to any path and print the JSON answer",
    long_about = "Send a signed request to any path and print the JSON answer.\n\n\
The parameters are signed and encoded by the SDK exactly as a typed request would be: sorted by \
name, empty values left out. A path of the SDK's catalogue follows that endpoint's rules, as its \
typed request would: its method (the default for --method), whether the configured mchid is \
added, whether it is retried, and a required hash (get_weixin_openid is always MD5). Any other \
path is sent by POST with the mchid added and no retry. The answer is printed as pretty JSON (coloured on a terminal). An answer \
with respcd 0000 or pending (1143, 1145, 1298) exits 0; any other respcd prints the answer and \
exits 1.",
    after_help = "Examples:\n  \
export QFPAY_APP_CODE=... QFPAY_CLIENT_KEY=...\n  \
qfpay call /trade/v1/query syssn=20191227000200020061752831\n  \
qfpay call --base-url http://127.0.0.1:8080 /trade/v1/payment pay_type=800101 txamt=10 \\\n      \
txcurrcd=HKD out_trade_no=ORDER0001 'txdtm=2025-01-02 03:04:05'\n  \
qfpay call /download/v1/trade_bill trade_date=2025-01-02 --dry-run\n\n\
Exit codes: 0 respcd 0000 or pending (1143, 1145, 1298); 1 any other respcd (the answer is still \
printed), an HTTP error status or an undecodable answer; 2 bad arguments or a request refused \
before sending; 3 unreadable key file; 4 host unreachable, connection broken or timeout."
)]
pub struct CallArgs {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// HTTP method: POST (body) or GET (query string). Default: the
    /// catalogue's method for the path, else POST.
    #[arg(long, value_name = "GET|POST", value_parser = parse_method)]
    method: Option<Method>,

    /// Path below the base URL, e.g. /trade/v1/query.
    #[arg(value_name = "PATH")]
    path: String,

    /// Parameters as NAME=VALUE (only the first `=` separates the name).
    #[arg(value_name = "NAME=VALUE", value_parser = parse_pair)]
    params: Vec<(String, String)>,
}

/// Runs `qfpay call`.
pub async fn run_call(args: CallArgs) -> Result<(), Failure> {
    let connection = args.connection.connect()?;
    let params = RawParams::from_pairs(args.params);
    for (name, _) in params.pairs().iter().filter(|(_, v)| v.is_empty()) {
        eprintln!(
            "qfpay: note: `{name}` has an empty value and is not sent (the SDK never sends empty values)"
        );
    }
    for (name, count) in duplicates(&params) {
        eprintln!(
            "qfpay: warning: `{name}` is given {count} times; QFPay refuses repeated names (1103)"
        );
    }
    let method = args
        .method
        .or_else(|| qfpay::api::lookup(&args.path).map(|spec| spec.method))
        .unwrap_or(Method::Post);
    let request = RawRequest::new(method, args.path, params);
    connection.run(&request, false).await
}
