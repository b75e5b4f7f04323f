#[derive(::qfpay::__private::bon::Builder)]
#[builder(crate = ::qfpay::__private::bon)]
pub struct Broken {
    one: String,
    two: String,
    three: String,
}
#[automatically_derived]
impl ::qfpay::__private::WriteParams for Broken {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "a=b",
        "two",
        "two",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <String as ::qfpay::__private::ParamValue>::write_param(&self.one, "a=b", __out);
        <String as ::qfpay::__private::ParamValue>::write_param(&self.two, "two", __out);
        <String as ::qfpay::__private::ParamValue>::write_param(
            &self.three,
            "two",
            __out,
        );
    }
}
#[automatically_derived]
impl ::qfpay::__private::Endpoint for Broken {
    type Response = ::qfpay::__private::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private::EndpointSpec<'_> {
        <Self as ::qfpay::__private::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private::StaticEndpoint for Broken {
    const SPEC: ::qfpay::__private::EndpointSpec<'static> = ::qfpay::__private::EndpointSpec::new(
            "/",
            ::qfpay::__private::Method::Post,
        )
        .with_mchid(true)
        .with_idempotent(false)
        .with_either_method(false)
        .with_sign_type(::core::option::Option::None);
}
::core::compile_error! {
    "unknown key `methd` in `#[qf_endpoint(...)]`; did you mean `method`? (expected `path`, `method`, `response`, `mchid`, `idempotent`, `either_method`, `sign_type` or `builder`)"
}
::core::compile_error! {
    "`response` takes a type, e.g. `response = PaymentResponse`"
}
::core::compile_error! {
    "duplicate key `path`: it may appear only once"
}
::core::compile_error! {
    "`mchid` takes `true` or `false`: `mchid = false` stops the client from sending `mchid` to this endpoint"
}
::core::compile_error! {
    "the path must start with `/`: \"/trade\""
}
::core::compile_error! {
    "unknown key `renam` in `#[qf(...)]`; did you mean `rename`? (expected `rename`)"
}
::core::compile_error! {
    "the wire name \"a=b\" must not contain '=': `=`, `&`, whitespace and control characters would corrupt the signed string"
}
::core::compile_error! {
    "wire name \"two\" is already used by field `two`; each parameter may be sent once"
}
