//! `qfpay pay`, `qfpay query`, `qfpay refund`: the catalogue's typed requests
//! from flags, with the SDK's checks before anything is sent.

use qfpay::api::{CpmPayment, Payment, Query, Refund};
use qfpay::types::{
    Amount, AuthCode, Currency, GoodsName, NotifyUrl, OutTradeNo, PayType, RespCode, ReturnUrl,
    Syssn, TradeTime, Udid,
};

use crate::call_cmd::ConnectionArgs;
use crate::failure::Failure;

fn parse_pay_type(text: &str) -> Result<PayType, String> {
    Ok(PayType::from_code(text.trim()))
}

fn parse_currency(text: &str) -> Result<Currency, String> {
    Ok(Currency::from_code(text.trim()))
}

fn parse_respcd(text: &str) -> Result<RespCode, String> {
    Ok(RespCode::from_code(text.trim()))
}

fn parse_amount(text: &str) -> Result<Amount, String> {
    let amount: Amount = text
        .parse()
        .map_err(|_| format!("`{text}` is not an amount in minor units (e.g. 100 for 1.00 HKD)"))?;
    if amount.is_zero() {
        return Err("the amount must be greater than 0".into());
    }
    Ok(amount)
}

fn parse_start_time(text: &str) -> Result<TradeTime, String> {
    TradeTime::parse_field(text, "start_time").map_err(|e| e.to_string())
}

fn parse_end_time(text: &str) -> Result<TradeTime, String> {
    TradeTime::parse_field(text, "end_time").map_err(|e| e.to_string())
}

fn parse_expired_time(text: &str) -> Result<qfpay::api::ExpiredTime, String> {
    let minutes: u32 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of minutes"))?;
    qfpay::api::ExpiredTime::minutes(minutes).map_err(|e| e.to_string())
}

/// Arguments of `qfpay pay`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Create a payment (POST /trade/v1/payment) with the SDK's typed request",
    long_about = "Create a payment (POST /trade/v1/payment) with the SDK's typed request.\n\n\
With --auth-code it is a Consumer Presented Mode payment (CpmPayment: the code scanned from the \
customer's wallet, pay types 800008, 800108, 800208, 801008, 805808, 800708); without, a general \
payment (Payment: MPM QR codes, online, WAP, in-app). Pay types that need fields this command does \
not offer (800207/800213 sub_openid, 800107 openid, 800212 extend_info) are refused before sending; \
use `qfpay call` for those.",
    after_help = "Examples:\n  \
qfpay pay --pay-type 800101 --amount 10            # Alipay MPM: prints the qrcode\n  \
qfpay pay --pay-type 800208 --amount 10 --auth-code 134857901234588557\n\n\
Exit codes: 0 respcd 0000 or pending (1143, 1145, 1298); 1 any other respcd (the answer is still \
printed), an HTTP error status or an undecodable answer; 2 bad arguments or a request refused \
before sending; 3 unreadable key file; 4 host unreachable, connection broken or timeout."
)]
pub struct PayArgs {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// Payment type, e.g. 800101 (Alipay MPM), 800201 (WeChat MPM), 800208 (WeChat CPM).
    #[arg(long, value_name = "CODE", value_parser = parse_pay_type)]
    pay_type: PayType,

    /// Amount in minor units (100 = 1.00 HKD).
    #[arg(long, value_name = "MINOR_UNITS", value_parser = parse_amount)]
    amount: Amount,

    /// Currency code.
    #[arg(long, value_name = "CODE", default_value = "HKD", value_parser = parse_currency)]
    currency: Currency,

    /// Merchant order number (default: a fresh 32-character one).
    #[arg(long, value_name = "ORDER_NO")]
    out_trade_no: Option<OutTradeNo>,

    /// Request time `YYYY-MM-DD hh:mm:ss` (default: now, Hong Kong time).
    #[arg(long, value_name = "TIME")]
    txdtm: Option<TradeTime>,

    /// The code scanned from the customer's wallet (makes it a CPM payment).
    #[arg(long, value_name = "CODE")]
    auth_code: Option<AuthCode>,

    /// Goods description.
    #[arg(long, value_name = "TEXT")]
    goods_name: Option<GoodsName>,

    /// Device id.
    #[arg(long, value_name = "ID")]
    udid: Option<Udid>,

    /// Notification URL for this payment.
    #[arg(long, value_name = "URL")]
    notify_url: Option<NotifyUrl>,

    /// Browser redirect after an online payment (not with --auth-code).
    #[arg(long, value_name = "URL", conflicts_with = "auth_code")]
    return_url: Option<ReturnUrl>,

    /// How long the QR code / order stays payable, 5-120 minutes (not with --auth-code).
    #[arg(long, value_name = "MINUTES", value_parser = parse_expired_time, conflicts_with = "auth_code")]
    expired_time: Option<qfpay::api::ExpiredTime>,
}

/// Runs `qfpay pay`.
pub async fn run_pay(args: PayArgs) -> Result<(), Failure> {
    let connection = args.connection.connect()?;
    let out_trade_no = args.out_trade_no.unwrap_or_else(OutTradeNo::generate);
    let txdtm = args.txdtm.unwrap_or_else(TradeTime::now);
    if args.auth_code.is_none() && args.pay_type.requires_auth_code() {
        return Err(Failure::usage(format!(
            "pay type {} is paid by scanning the code the customer shows: add --auth-code CODE",
            args.pay_type
        )));
    }
    if let Some(auth_code) = args.auth_code {
        let request = CpmPayment::builder()
            .pay_type(args.pay_type)
            .auth_code(auth_code)
            .txamt(args.amount)
            .txcurrcd(args.currency)
            .out_trade_no(out_trade_no)
            .txdtm(txdtm)
            .goods_name(args.goods_name)
            .udid(args.udid)
            .notify_url(args.notify_url)
            .build();
        connection.run(&request, true).await
    } else {
        let request = Payment::builder()
            .pay_type(args.pay_type)
            .txamt(args.amount)
            .txcurrcd(args.currency)
            .out_trade_no(out_trade_no)
            .txdtm(txdtm)
            .goods_name(args.goods_name)
            .udid(args.udid)
            .notify_url(args.notify_url)
            .return_url(args.return_url)
            .expired_time(args.expired_time)
            .build();
        connection.run(&request, true).await
    }
}

/// Arguments of `qfpay query`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Query transactions (POST /trade/v1/query) with the SDK's typed request",
    long_about = "Query transactions (POST /trade/v1/query) with the SDK's typed request.\n\n\
Without --syssn, QFPay searches the current month unless --start-time/--end-time (within one \
calendar month) say otherwise. List flags take several values, repeated or comma-separated.",
    after_help = "Examples:\n  \
qfpay query --syssn 20191227000200020061752831\n  \
qfpay query --out-trade-no ORDER0001,ORDER0002 --start-time '2025-01-01 00:00:00' \\\n      \
--end-time '2025-01-31 23:59:59'\n\n\
Exit codes: 0 respcd 0000 or pending (1143, 1145, 1298); 1 any other respcd (the answer is still \
printed), an HTTP error status or an undecodable answer; 2 bad arguments; 3 unreadable key file; 4 host unreachable, connection \
broken or timeout (queries are retried first unless --no-retry)."
)]
pub struct QueryArgs {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// QFPay transaction number(s).
    #[arg(long, value_name = "SYSSN", value_delimiter = ',')]
    syssn: Vec<Syssn>,

    /// Merchant order number(s).
    #[arg(long, value_name = "ORDER_NO", value_delimiter = ',')]
    out_trade_no: Vec<OutTradeNo>,

    /// Pay type(s).
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = parse_pay_type)]
    pay_type: Vec<PayType>,

    /// Only transactions with this result code.
    #[arg(long, value_name = "CODE", value_parser = parse_respcd)]
    respcd: Option<RespCode>,

    /// Start of the sysdtm range, `YYYY-MM-DD hh:mm:ss`.
    #[arg(long, value_name = "TIME", value_parser = parse_start_time)]
    start_time: Option<TradeTime>,

    /// End of the sysdtm range, `YYYY-MM-DD hh:mm:ss`.
    #[arg(long, value_name = "TIME", value_parser = parse_end_time)]
    end_time: Option<TradeTime>,

    /// Page number (default 1).
    #[arg(long, value_name = "N")]
    page: Option<u32>,

    /// Page size (default 10, at most 100).
    #[arg(long, value_name = "N")]
    page_size: Option<u32>,
}

/// Runs `qfpay query`.
pub async fn run_query(args: QueryArgs) -> Result<(), Failure> {
    let connection = args.connection.connect()?;
    let request = Query::builder()
        .syssn((!args.syssn.is_empty()).then(|| args.syssn.into()))
        .out_trade_no((!args.out_trade_no.is_empty()).then(|| args.out_trade_no.into()))
        .pay_type((!args.pay_type.is_empty()).then(|| args.pay_type.into()))
        .respcd(args.respcd)
        .start_time(args.start_time)
        .end_time(args.end_time)
        .page(args.page)
        .page_size(args.page_size)
        .build();
    connection.run(&request, true).await
}

/// Arguments of `qfpay refund`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Refund a payment (POST /trade/v1/refund) with the SDK's typed request",
    after_help = "Example:\n  qfpay refund --syssn 20191227000200020061752831 --amount 10\n\n\
Exit codes: 0 respcd 0000 or pending (1143, 1145, 1298); 1 any other respcd (the answer is still \
printed), an HTTP error status or an undecodable answer; 2 bad arguments or a request refused \
before sending; 3 unreadable key file; 4 host unreachable, connection broken or timeout (the \
refund may still have happened: query it)."
)]
pub struct RefundArgs {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// syssn of the payment to refund.
    #[arg(long, value_name = "SYSSN")]
    syssn: Syssn,

    /// Amount to refund, in minor units (all or part of the payment).
    #[arg(long, value_name = "MINOR_UNITS", value_parser = parse_amount)]
    amount: Amount,

    /// A new, unique order number for the refund (default: a fresh one).
    #[arg(long, value_name = "ORDER_NO")]
    out_trade_no: Option<OutTradeNo>,

    /// Request time `YYYY-MM-DD hh:mm:ss` (default: now, Hong Kong time).
    #[arg(long, value_name = "TIME")]
    txdtm: Option<TradeTime>,

    /// Device id.
    #[arg(long, value_name = "ID")]
    udid: Option<Udid>,
}

/// Runs `qfpay refund`.
pub async fn run_refund(args: RefundArgs) -> Result<(), Failure> {
    let connection = args.connection.connect()?;
    let request = Refund::builder()
        .syssn(args.syssn)
        .out_trade_no(args.out_trade_no.unwrap_or_else(OutTradeNo::generate))
        .txamt(args.amount)
        .txdtm(args.txdtm.unwrap_or_else(TradeTime::now))
        .udid(args.udid)
        .build();
    connection.run(&request, true).await
}
