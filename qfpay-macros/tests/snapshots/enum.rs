enum Choice {
    A { a: u8 },
}
#[automatically_derived]
impl ::qfpay::__private::WriteParams for Choice {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[];
    #[inline]
    fn write_params<__S: ::qfpay::__private::PairSink + ?::core::marker::Sized>(
        &self,
        _: &mut __S,
    ) {}
}
#[automatically_derived]
impl ::qfpay::__private::Endpoint for Choice {
    const PATH: &'static ::core::primitive::str = "/x";
    const METHOD: ::qfpay::__private::Method = ::qfpay::__private::Method::Post;
    const SENDS_MCHID: ::core::primitive::bool = true;
    const IDEMPOTENT: ::core::primitive::bool = false;
    type Response = ::qfpay::__private::JsonResponse;
}
::core::compile_error! {
    "`#[qf_endpoint]` goes on a struct with named fields, one per request parameter; this is an enum"
}
