//! What the client puts on the wire: path, method, headers, body bytes, with
//! the signature recomputed independently; GET query strings; the `mchid`
//! rule; requests refused before sending; configuration errors.

mod client_common;

use client_common::{APP_CODE, Canned, KEY, MCHID, OK_QUERY_EMPTY, Server, expected_signature};
use qfpay::types::{Amount, Currency, OutTradeNo, PayType, TradeTime};
use qfpay::{
    BuildError, Client, ClientKey, Environment, Error, Method, RawParams, RawRequest, SignType,
    qf_endpoint,
};

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct Pay {
    pub txamt: Amount,
    pub txcurrcd: Currency,
    pub pay_type: PayType,
    pub out_trade_no: OutTradeNo,
    pub txdtm: TradeTime,
    pub goods_name: Option<String>,
}

#[qf_endpoint(path = "/trade/v1/payment", method = "POST")]
pub struct PayWithMchid {
    pub txamt: Amount,
    pub mchid: Option<String>,
}

fn pay() -> Pay {
    Pay::builder()
        .txamt(Amount::new(10))
        .txcurrcd(Currency::from_code("HKD"))
        .pay_type(PayType::from_code("800101"))
        .out_trade_no(OutTradeNo::new("ORDER0001").unwrap())
        .txdtm(TradeTime::parse("2025-01-02 03:04:05").unwrap())
        .goods_name("測試 a&b=c".to_owned())
        .build()
}

const PAY_OK: &str = r#"{"respcd":"0000","resperr":"success","respmsg":"","syssn":"20191227000200020061752831","txamt":10}"#;

#[tokio::test]
async fn post_is_byte_exact_and_signed_sha256() {
    let server = Server::start().await;
    server.push(Canned::json(PAY_OK));
    let client = server.client().build().unwrap();
    let response = client.call(&pay()).await.unwrap();
    assert_eq!(response.envelope.respcd.as_str(), "0000");
    assert_eq!(response.get("syssn").unwrap(), "20191227000200020061752831");

    let [req] = server.received().try_into().unwrap();
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/trade/v1/payment");
    assert_eq!(req.query, None);
    assert_eq!(
        String::from_utf8(req.body.clone()).unwrap(),
        "goods_name=%E6%B8%AC%E8%A9%A6+a%26b%3Dc&out_trade_no=ORDER0001&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2025-01-02+03%3A04%3A05"
    );
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=UTF-8")
    );
    assert_eq!(req.header("x-qf-appcode"), Some(APP_CODE));
    assert_eq!(req.header("x-qf-signtype"), Some("SHA256"));
    let sign = req.header("x-qf-sign").unwrap();
    assert_eq!(sign.len(), 64);
    assert_eq!(sign, expected_signature(&req, KEY, SignType::Sha256));
    assert!(req.header("user-agent").unwrap().starts_with("qfpay-rust/"));
    // The key itself never travels.
    assert!(!String::from_utf8_lossy(&req.body).contains(KEY));
    assert!(req.headers.iter().all(|(_, v)| !v.contains(KEY)));
}

#[tokio::test]
async fn md5_sends_no_signtype_header_and_matches_the_reference_vector() {
    let server = Server::start().await;
    server.push(Canned::json(PAY_OK));
    let client = server
        .client()
        .client_key("TESTKEY0123456789")
        .sign_type(SignType::Md5)
        .user_agent("my-shop/1.0")
        .build()
        .unwrap();
    let request = RawRequest::new(
        Method::Post,
        "/trade/v1/payment",
        RawParams::from_pairs([
            ("txamt", "100"),
            ("txcurrcd", "HKD"),
            ("pay_type", "800101"),
            ("out_trade_no", "ORDER0001"),
            ("txdtm", "2025-01-02 03:04:05"),
        ]),
    );
    client.call(&request).await.unwrap();
    let [req] = server.received().try_into().unwrap();
    assert_eq!(req.header("x-qf-signtype"), None);
    // Reference §5.1 worked vector.
    assert_eq!(
        req.header("x-qf-sign"),
        Some("A80FE4E16B6ECC50FCDAF08A20CF760E")
    );
    assert_eq!(
        req.header("x-qf-sign").unwrap(),
        expected_signature(&req, "TESTKEY0123456789", SignType::Md5)
    );
    assert_eq!(req.header("user-agent"), Some("my-shop/1.0"));
}

#[tokio::test]
async fn get_sends_the_pairs_as_query_string() {
    let server = Server::start().await;
    server.push(Canned::json(
        r#"{"resperr":"","respcd":"0000","respmsg":"","openid":"oo3Lss8d0hLOuyTuSJMVwLTk68JE"}"#,
    ));
    let client = server.client().mchid(MCHID).build().unwrap();
    let request = RawRequest::new(
        Method::Get,
        "/tool/v1/get_weixin_openid",
        RawParams::from_pairs([("code", "011QipnO1y+/MIla")]),
    );
    let response = client.call(&request).await.unwrap();
    assert_eq!(
        response.get("openid").unwrap(),
        "oo3Lss8d0hLOuyTuSJMVwLTk68JE"
    );
    let [req] = server.received().try_into().unwrap();
    assert_eq!(req.method, "GET");
    assert_eq!(req.path, "/tool/v1/get_weixin_openid");
    assert_eq!(
        req.query.as_deref(),
        Some("code=011QipnO1y%2B%2FMIla&mchid=ZaMVg12345")
    );
    assert!(req.body.is_empty());
    assert_eq!(req.header("content-type"), None);
    // MD5 only (reference §5.2), as its typed twin, though the client is
    // configured with SHA-256; MD5 is the absent header.
    assert_eq!(req.header("x-qf-signtype"), None);
    assert_eq!(
        req.header("x-qf-sign").unwrap(),
        expected_signature(&req, KEY, SignType::Md5)
    );
}

#[tokio::test]
async fn mchid_is_merged_in_sorted_place_and_signed() {
    let server = Server::start().await;
    server.push(Canned::json(PAY_OK));
    let client = server.client().mchid(MCHID).build().unwrap();
    client.call(&pay()).await.unwrap();
    let [req] = server.received().try_into().unwrap();
    let body = String::from_utf8(req.body.clone()).unwrap();
    assert!(
        body.starts_with("goods_name=%E6%B8%AC%E8%A9%A6+a%26b%3Dc&mchid=ZaMVg12345&out_trade_no="),
        "{body}"
    );
    assert_eq!(
        req.header("x-qf-sign").unwrap(),
        expected_signature(&req, KEY, SignType::Sha256)
    );
}

#[tokio::test]
async fn no_mchid_configured_means_none_sent() {
    let server = Server::start().await;
    server.push(Canned::json(PAY_OK));
    let client = server.client().build().unwrap();
    client.call(&pay()).await.unwrap();
    let [req] = server.received().try_into().unwrap();
    assert!(req.param("mchid").is_none());
    assert!(!String::from_utf8_lossy(&req.body).contains("mchid"));
}

#[tokio::test]
async fn mchid_is_never_sent_where_the_reference_forbids_it() {
    let server = Server::start().await;
    server.push(Canned::json(
        r#"{"respcd":"0000","resperr":"Success","respmsg":"","data":{"syssn":"1"}}"#,
    ));
    server.push(Canned::bytes(b"PK\x03\x04zipdata"));
    let client = server.client().mchid(MCHID).build().unwrap();

    let note = RawRequest::new(
        Method::Post,
        "/trade/v1/add_note",
        RawParams::from_pairs([("code", APP_CODE), ("syssn", "1"), ("note", "n")]),
    );
    client.call(&note).await.unwrap();

    // A hand-written binary response type for the statement download.
    struct Zip(Vec<u8>);
    impl qfpay::DecodeResponse for Zip {
        fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
            Ok(Zip(body.to_vec()))
        }
    }
    struct TradeBill;
    impl qfpay::WriteParams for TradeBill {
        const PARAM_NAMES: &'static [&'static str] = &["trade_date"];
        fn write_params<S: qfpay::PairSink + ?Sized>(&self, out: &mut S) {
            out.pair("trade_date", "2024-01-31");
        }
    }
    impl qfpay::Endpoint for TradeBill {
        type Response = Zip;
        fn spec(&self) -> qfpay::EndpointSpec<'_> {
            qfpay::EndpointSpec::new("/download/v1/trade_bill", Method::Get).with_mchid(false)
        }
    }
    let zip = client.call(&TradeBill).await.unwrap();
    assert_eq!(zip.0, b"PK\x03\x04zipdata");

    let [note_req, bill_req] = server.received().try_into().unwrap();
    assert!(note_req.param("mchid").is_none());
    assert_eq!(
        note_req.header("x-qf-sign").unwrap(),
        expected_signature(&note_req, KEY, SignType::Sha256)
    );
    assert_eq!(bill_req.query.as_deref(), Some("trade_date=2024-01-31"));
    assert_eq!(
        bill_req.header("x-qf-sign").unwrap(),
        expected_signature(&bill_req, KEY, SignType::Sha256)
    );
}

#[tokio::test]
async fn mchid_on_request_and_client_is_refused_before_sending() {
    let server = Server::start().await;
    let client = server.client().mchid(MCHID).build().unwrap();
    let request = PayWithMchid::builder()
        .txamt(Amount::new(10))
        .mchid("OTHER".to_owned())
        .build();
    let error = client.call(&request).await.unwrap_err();
    assert!(
        matches!(&error, Error::DuplicateParam { field: "mchid", path } if path == "/trade/v1/payment"),
        "{error:?}"
    );
    assert!(error.to_string().contains("mchid"), "{error}");
    assert_eq!(server.count(), 0);

    // Without a client mchid the request's own mchid is sent as is.
    server.push(Canned::json(PAY_OK));
    let client = server.client().build().unwrap();
    client.call(&request).await.unwrap();
    assert_eq!(
        server.received()[0].param("mchid").as_deref(),
        Some("OTHER")
    );
}

#[tokio::test]
async fn an_invalid_field_is_refused_before_sending() {
    let server = Server::start().await;
    let client = server.client().build().unwrap();
    let request = Pay::builder()
        .txamt(Amount::new(0))
        .txcurrcd(Currency::from_code("HKD"))
        .pay_type(PayType::from_code("800101"))
        .out_trade_no(OutTradeNo::new("ORDER0001").unwrap())
        .txdtm(TradeTime::parse("2025-01-02 03:04:05").unwrap())
        .build();
    let error = client.call(&request).await.unwrap_err();
    match &error {
        Error::InvalidRequest { path, field, .. } => {
            assert_eq!(path, "/trade/v1/payment");
            assert_eq!(*field, "txamt");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(error.to_string().contains("txamt"), "{error}");
    assert_eq!(server.count(), 0);
}

#[test]
fn configuration_errors_name_the_field() {
    let missing_code = Client::builder().client_key(KEY).build().unwrap_err();
    assert!(matches!(
        missing_code,
        Error::Build(BuildError::Missing { field: "app_code" })
    ));
    let missing_key = Client::builder().app_code(APP_CODE).build().unwrap_err();
    assert!(matches!(
        missing_key,
        Error::Build(BuildError::Missing {
            field: "client_key"
        })
    ));
    assert!(missing_key.to_string().contains("client_key"));

    let cases: [(&str, qfpay::ClientBuilder); 9] = [
        (
            "app_code",
            Client::builder()
                .app_code("ABC\r\nX-Evil: 1")
                .client_key(KEY),
        ),
        (
            "app_code",
            Client::builder().app_code("a&b=c").client_key(KEY),
        ),
        ("app_code", Client::builder().app_code("").client_key(KEY)),
        (
            "client_key",
            Client::builder().app_code(APP_CODE).client_key(""),
        ),
        (
            "client_key",
            Client::builder()
                .app_code(APP_CODE)
                .client_key(format!("{KEY}\n")),
        ),
        (
            "client_key",
            Client::builder()
                .app_code(APP_CODE)
                .client_key(format!(" {KEY}")),
        ),
        (
            "mchid",
            Client::builder()
                .app_code(APP_CODE)
                .client_key(KEY)
                .mchid("ab\ncd"),
        ),
        (
            "mchid",
            Client::builder()
                .app_code(APP_CODE)
                .client_key(KEY)
                .mchid("a&mchid=b"),
        ),
        (
            "environment",
            Client::builder()
                .app_code(APP_CODE)
                .client_key(KEY)
                .environment(Environment::Custom("ftp://example".into())),
        ),
    ];
    for (field, builder) in cases {
        match builder.build() {
            Err(Error::Build(BuildError::Invalid { field: f, .. })) => assert_eq!(f, field),
            other => panic!("{field}: unexpected {other:?}"),
        }
    }
    // The environment is never guessed (issue 15): no quiet default to a test host.
    let no_environment = Client::builder()
        .app_code(APP_CODE)
        .client_key(KEY)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            no_environment,
            Error::Build(BuildError::Missing {
                field: "environment"
            })
        ),
        "{no_environment:?}"
    );
    assert!(
        no_environment.to_string().contains(".environment("),
        "{no_environment}"
    );
    let zero = Client::builder()
        .app_code(APP_CODE)
        .client_key(KEY)
        .environment(Environment::Sandbox)
        .timeout(std::time::Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(zero.to_string().contains("timeout"), "{zero}");
}

#[test]
fn defaults_and_environments() {
    let client = Client::builder()
        .app_code(APP_CODE)
        .client_key(ClientKey::new(KEY))
        .mchid(qfpay::types::MchId::new(MCHID).unwrap())
        .environment(Environment::LiveTest)
        .build()
        .unwrap();
    assert_eq!(client.sign_type(), SignType::Sha256);
    assert_eq!(client.timeout(), std::time::Duration::from_secs(30));
    assert_eq!(client.environment(), &Environment::LiveTest);
    assert_eq!(client.base_url(), "https://test-openapi-hk.qfapi.com");
    assert_eq!(client.mchid().map(|m| m.as_str()), Some(MCHID));
    assert_eq!(
        Environment::Sandbox.base_url(),
        "https://openapi-int.qfapi.com"
    );
    assert_eq!(
        Environment::Production.base_url(),
        "https://openapi-hk.qfapi.com"
    );

    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client>();
}

#[tokio::test]
async fn the_call_future_is_send_and_does_not_borrow_the_request() {
    let server = Server::start().await;
    server.push(Canned::json(OK_QUERY_EMPTY));
    let client = server.client().build().unwrap();
    let future = {
        let request = RawRequest::new(
            Method::Post,
            "/trade/v1/query",
            RawParams::from_pairs([("syssn", "1")]),
        );
        client.call(&request)
    };
    let handle = tokio::spawn(future);
    handle.await.unwrap().unwrap();
}

#[tokio::test]
async fn catalogue_endpoints_that_forbid_mchid_never_get_it() {
    use qfpay::api::{AddNote, DownloadTradeBill, Note, TradeDate};
    let server = Server::start().await;
    server.push(Canned::json(
        r#"{"resperr":"Success","respcd":"0000","respmsg":"","data":{"syssn":"20190722000200020081084545"}}"#,
    ));
    server.push(Canned::bytes(b"PK\x03\x04rest"));
    let client = server.client().mchid(MCHID).build().unwrap();
    let note = AddNote::builder()
        .code(APP_CODE)
        .syssn(qfpay::types::Syssn::new("20190722000200020081075691").unwrap())
        .note(Note::new("add_note").unwrap())
        .build();
    let response = client.call(&note).await.unwrap();
    assert_eq!(
        response.syssn().map(|s| s.as_str()),
        Some("20190722000200020081084545")
    );
    let bill = DownloadTradeBill::builder()
        .trade_date(TradeDate::parse("2017-10-17").unwrap())
        .build();
    let file = client.call(&bill).await.unwrap();
    assert!(file.is_zip());

    let [note_req, bill_req] = server.received().try_into().unwrap();
    assert_eq!(
        String::from_utf8(note_req.body.clone()).unwrap(),
        format!("code={APP_CODE}&note=add_note&syssn=20190722000200020081075691")
    );
    assert_eq!(bill_req.method, "GET");
    assert_eq!(bill_req.query.as_deref(), Some("trade_date=2017-10-17"));
    for req in [&note_req, &bill_req] {
        assert_eq!(
            req.header("x-qf-sign").unwrap(),
            expected_signature(req, KEY, SignType::Sha256)
        );
    }
}
