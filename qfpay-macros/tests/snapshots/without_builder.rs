/// A refund.
#[derive(Debug)]
pub struct Refund {
    pub syssn: String,
    pub txamt: u64,
    pub order: String,
    pub udid: Option<String>,
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::WriteParams for Refund {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "out_trade_no",
        "syssn",
        "txamt",
        "udid",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private_v0_1_0::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <String as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.order,
            "out_trade_no",
            __out,
        );
        <String as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.syssn,
            "syssn",
            __out,
        );
        <u64 as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.txamt,
            "txamt",
            __out,
        );
        <Option<
            String,
        > as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.udid,
            "udid",
            __out,
        );
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::Endpoint for Refund {
    type Response = ::qfpay::__private_v0_1_0::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private_v0_1_0::EndpointSpec<'_> {
        <Self as ::qfpay::__private_v0_1_0::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::StaticEndpoint for Refund {
    const SPEC: ::qfpay::__private_v0_1_0::EndpointSpec<'static> = ::qfpay::__private_v0_1_0::EndpointSpec::new(
        "/trade/v1/refund",
        ::qfpay::__private_v0_1_0::Method::Post,
    );
}
