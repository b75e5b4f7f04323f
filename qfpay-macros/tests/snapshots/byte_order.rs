#[derive(::qfpay::__private::bon::Builder)]
#[builder(crate = ::qfpay::__private::bon)]
struct Sorted {
    ab: u32,
    a_b: u32,
    upper: u32,
    a1: u32,
    a: u32,
}
#[automatically_derived]
impl ::qfpay::__private::WriteParams for Sorted {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "A",
        "a",
        "a1",
        "a_b",
        "ab",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <u32 as ::qfpay::__private::ParamValue>::write_param(&self.upper, "A", __out);
        <u32 as ::qfpay::__private::ParamValue>::write_param(&self.a, "a", __out);
        <u32 as ::qfpay::__private::ParamValue>::write_param(&self.a1, "a1", __out);
        <u32 as ::qfpay::__private::ParamValue>::write_param(&self.a_b, "a_b", __out);
        <u32 as ::qfpay::__private::ParamValue>::write_param(&self.ab, "ab", __out);
    }
}
#[automatically_derived]
impl ::qfpay::__private::Endpoint for Sorted {
    type Response = ::qfpay::__private::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private::EndpointSpec<'_> {
        <Self as ::qfpay::__private::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private::StaticEndpoint for Sorted {
    const SPEC: ::qfpay::__private::EndpointSpec<'static> = ::qfpay::__private::EndpointSpec::new(
            "/x",
            ::qfpay::__private::Method::Get,
        )
        .with_mchid(true)
        .with_idempotent(false)
        .with_either_method(false)
        .with_sign_type(::core::option::Option::None);
}
