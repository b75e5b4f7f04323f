#[derive(::qfpay::__private::bon::Builder)]
#[builder(crate = ::qfpay::__private::bon)]
pub struct Ping {}
#[automatically_derived]
impl ::qfpay::__private::WriteParams for Ping {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[];
    #[inline]
    fn write_params<__S: ::qfpay::__private::PairSink + ?::core::marker::Sized>(
        &self,
        _: &mut __S,
    ) {}
}
#[automatically_derived]
impl ::qfpay::__private::Endpoint for Ping {
    const PATH: &'static ::core::primitive::str = "/trade/v1/ping";
    const METHOD: ::qfpay::__private::Method = ::qfpay::__private::Method::Get;
    const SENDS_MCHID: ::core::primitive::bool = true;
    const IDEMPOTENT: ::core::primitive::bool = false;
    type Response = ::qfpay::__private::JsonResponse;
}
