enum Choice {
    A { a: u8 },
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::WriteParams for Choice {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[];
    #[inline]
    fn write_params<__S: ::qfpay::__private_v0_1_0::PairSink + ?::core::marker::Sized>(
        &self,
        _: &mut __S,
    ) {}
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::Endpoint for Choice {
    type Response = ::qfpay::__private_v0_1_0::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private_v0_1_0::EndpointSpec<'_> {
        <Self as ::qfpay::__private_v0_1_0::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::StaticEndpoint for Choice {
    const SPEC: ::qfpay::__private_v0_1_0::EndpointSpec<'static> = ::qfpay::__private_v0_1_0::EndpointSpec::new(
        "/x",
        ::qfpay::__private_v0_1_0::Method::Post,
    );
}
::core::compile_error! {
    "`#[qf_endpoint]` goes on a struct with named fields, one per request parameter; this is an enum"
}
