#[derive(::qfpay::__private::bon::Builder)]
#[builder(crate = ::qfpay::__private::bon)]
/// Creates a payment.
#[derive(Debug, Clone)]
pub struct Payment {
    pub txamt: Amount,
    pub txcurrcd: Currency,
    pub pay_type: PayType,
    pub out_trade_no: OutTradeNo,
    pub txdtm: TradeTime,
    /// Only for payment codes.
    #[builder(into)]
    pub auth_code: Option<String>,
    pub product: Option<String>,
}
#[automatically_derived]
impl ::qfpay::__private::WriteParams for Payment {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "auth_code",
        "goods_name",
        "out_trade_no",
        "pay_type",
        "txamt",
        "txcurrcd",
        "txdtm",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <Option<
            String,
        > as ::qfpay::__private::ParamValue>::write_param(
            &self.auth_code,
            "auth_code",
            __out,
        );
        <Option<
            String,
        > as ::qfpay::__private::ParamValue>::write_param(
            &self.product,
            "goods_name",
            __out,
        );
        <OutTradeNo as ::qfpay::__private::ParamValue>::write_param(
            &self.out_trade_no,
            "out_trade_no",
            __out,
        );
        <PayType as ::qfpay::__private::ParamValue>::write_param(
            &self.pay_type,
            "pay_type",
            __out,
        );
        <Amount as ::qfpay::__private::ParamValue>::write_param(
            &self.txamt,
            "txamt",
            __out,
        );
        <Currency as ::qfpay::__private::ParamValue>::write_param(
            &self.txcurrcd,
            "txcurrcd",
            __out,
        );
        <TradeTime as ::qfpay::__private::ParamValue>::write_param(
            &self.txdtm,
            "txdtm",
            __out,
        );
    }
}
#[automatically_derived]
impl ::qfpay::__private::Endpoint for Payment {
    type Response = PaymentResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private::EndpointSpec<'_> {
        <Self as ::qfpay::__private::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private::StaticEndpoint for Payment {
    const SPEC: ::qfpay::__private::EndpointSpec<'static> = ::qfpay::__private::EndpointSpec::new(
            "/trade/v1/payment",
            ::qfpay::__private::Method::Post,
        )
        .with_mchid(true)
        .with_idempotent(false)
        .with_either_method(false)
        .with_sign_type(::core::option::Option::None);
}
