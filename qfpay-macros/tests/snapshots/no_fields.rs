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
    type Response = ::qfpay::__private::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private::EndpointSpec<'_> {
        <Self as ::qfpay::__private::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private::StaticEndpoint for Ping {
    const SPEC: ::qfpay::__private::EndpointSpec<'static> = ::qfpay::__private::EndpointSpec::new(
            "/trade/v1/ping",
            ::qfpay::__private::Method::Get,
        )
        .with_mchid(true)
        .with_idempotent(false)
        .with_either_method(false)
        .with_sign_type(::core::option::Option::None);
}
